"""The Ollama backend: langchain-ollama's ChatOllama against one Ollama server.

Only the options the user set reach the server (unset ones are never sent, so Ollama's own
defaults apply), and the stream must end with Ollama's `done: true` chunk, which carries the
timing fields `measured_call` turns into metrics. A stream that stops before it is a
`BackendProtocolError`, never a short answer with missing metrics.

langchain-ollama is imported on first use, not with this module: the `ollama` package it
brings builds a client from OLLAMA_HOST at import, so a malformed OLLAMA_HOST would
otherwise break every command, the embedded backend's included, with a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import ssl
import weakref
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk

from chimera.backends.base import (
    ALL_OPTIONS,
    BackendSpec,
    ChatBackend,
    ModelResidency,
    PromptStyle,
    connection_url,
    served_by,
    warn_beyond_training,
)
from chimera.config.agent import AgentConfig, ollama_host_url
from chimera.errors import (
    BackendError,
    BackendProtocolError,
    BackendTimeout,
    BackendUnreachable,
    ConfigError,
    ModelMissing,
)
from chimera.escape import redact_url, shorten
from chimera.metrics import MAX_COUNT
from chimera.tokens import estimate_tokens

if TYPE_CHECKING:
    from langchain_ollama import ChatOllama

# The preflight only lists models, so it should answer fast even from a busy server.
CHECK_TIMEOUT_S = 5.0


def _full_name(model: str) -> str:
    """Ollama's canonical name: `gemma3` means `gemma3:latest`."""
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


@functools.cache
def chat_ollama_class() -> type[ChatOllama]:
    """ChatOllama that refuses a stream ending without the final `done: true` chunk.

    langchain-ollama (1.1) accepts a stream that simply ends, returning the text so far with
    no timing metadata; a server that closes the response early must not pass as a short reply.
    Defined on first use: importing langchain-ollama reads OLLAMA_HOST (see the module doc).
    """
    value = os.environ.get("OLLAMA_HOST", "").strip()
    if value:
        ollama_host_url(value)  # a ConfigError naming the variable, before the import fails
    try:
        from langchain_ollama import ChatOllama
    except ValueError as exc:  # the `ollama` package's own parse of OLLAMA_HOST
        raise ConfigError(
            f"OLLAMA_HOST={value[:80]!r} is not a usable address: {exc}",
            hint="the ollama client reads it even when base_url is set; "
            "set it to host:port (e.g. 127.0.0.1:11434) or unset it",
        ) from None

    class CompleteStreamChatOllama(ChatOllama):
        def _cut_stream(self) -> BackendProtocolError:
            return BackendProtocolError(
                f"the stream from {redact_url(self.base_url or '')} for model '{self.model}' "
                "ended before Ollama's final chunk (done: true); the server closed the response "
                "early",
                hint="check the Ollama server's log; it may have crashed or run out of memory",
            )

        async def _aiterate_over_stream(
            self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
        ) -> AsyncIterator[ChatGenerationChunk]:
            done = False
            async for chunk in super()._aiterate_over_stream(messages, stop, **kwargs):
                done = done or bool((chunk.generation_info or {}).get("done"))
                yield chunk
            if not done:
                raise self._cut_stream()

        def _iterate_over_stream(
            self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
        ) -> Iterator[ChatGenerationChunk]:
            done = False
            for chunk in super()._iterate_over_stream(messages, stop, **kwargs):
                done = done or bool((chunk.generation_info or {}).get("done"))
                yield chunk
            if not done:
                raise self._cut_stream()

    return CompleteStreamChatOllama


_NOT_OLLAMA = "is this URL an Ollama server? set OLLAMA_HOST / base_url"


def translate_ollama_error(
    exc: BaseException, url: str, model: str, *, doing: str | None = None
) -> BackendError:
    """The one mapping of httpx / ollama exceptions onto Chimera's errors, fix in the hint.

    `doing` names the request when it is not a chat call for `model` (the preflight check).
    """
    if isinstance(exc, BackendError):
        return exc
    status = getattr(exc, "status_code", None)
    # httpx quotes the URL it asked, credentials and all.
    text = redact_url(str(exc).strip().splitlines()[0]) if str(exc).strip() else type(exc).__name__
    # Before the timeout test: a ConnectTimeout means nothing answered at all.
    if isinstance(exc, ConnectionError | httpx.ConnectError | httpx.ConnectTimeout):
        return BackendUnreachable(
            f"cannot reach Ollama at {url} ({type(exc).__name__})",
            hint="start it with `ollama serve`, or set OLLAMA_HOST / base_url to the right URL",
        )
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        what = doing or f"answer for model '{model}'"
        return BackendTimeout(
            f"Ollama at {url} did not {what} in time",
            hint="raise timeout_s in the agent config or check the server's load (`ollama ps`)",
        )
    # Ollama says "model 'x' not found"; a bare 404 means the URL is not an Ollama API.
    if "not found" in text.lower() and "model" in text.lower():
        return ModelMissing(
            f"model '{model}' is not available at {url}", hint=f"run: ollama pull {model}"
        )
    if status == 404:
        return BackendProtocolError(f"{url} answered HTTP 404: {text}", hint=_NOT_OLLAMA)
    if isinstance(status, int) and status >= 0:  # ollama uses -1 for errors sent mid-stream
        return BackendProtocolError(f"{url} answered HTTP {status}: {text}")
    if doing is not None:
        return BackendProtocolError(
            f"Ollama at {url} could not {doing}: {type(exc).__name__}: {text}", hint=_NOT_OLLAMA
        )
    return BackendProtocolError(f"call to {url} failed: {type(exc).__name__}: {text}")


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One TLS context for every client of the process (contexts are safe to share).

    Each ChatOllama builds two httpx clients; left alone, each loads the CA bundle (~50 ms,
    blocking the event loop), which serialises concurrent calls and costs a sweep that
    much for every new cell's backend and every /api/ps probe.
    """
    return httpx.create_ssl_context()


def _build(config: AgentConfig, host: str | None) -> ChatBackend:
    return OllamaBackend(config, host)


class OllamaBackend:
    """One agent's model on one Ollama server."""

    name = "ollama"

    def __init__(self, config: AgentConfig, host: str | None = None) -> None:
        chat_ollama_class()  # a malformed OLLAMA_HOST is refused now, before any work
        self.config = config
        # The URL connected to (credentials and all), and the name shown and written.
        self._url = connection_url(config, host).rstrip("/")
        self.host = redact_url(self._url)
        self.model_label = config.model
        self.served_by: str | None = None  # set by check()
        # Chat models per event loop, by call settings (see chat_model); a finished loop's
        # entry goes with the loop.
        self._models: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, ChatOllama]]
        self._models = weakref.WeakKeyDictionary()

    @property
    def _ssl_context(self) -> ssl.SSLContext:
        return shared_ssl_context()

    def chat_model(
        self,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        raw: bool = False,
        seed: int | None = None,
        shared_prefix: str = "",
    ) -> ChatOllama:
        """A ChatOllama for these settings, reused by every call made on the same event loop.

        Building one costs ~0.8 ms (two httpx clients), paid on every call by every agent
        otherwise; its async client is bound to the loop that first used it, so the models
        are kept per loop and built afresh for a new loop (a new `asyncio.run`). Ollama's
        models carry their chat template, so `raw` documents are sent as chat too; Ollama
        reuses the prefix of its last prompt by itself, so `shared_prefix` is not sent.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous caller: nothing to share
            return self._new_chat_model(json_schema, max_tokens, seed)
        models = self._models.setdefault(loop, {})
        key = json.dumps([json_schema, max_tokens, seed], sort_keys=True)
        if key not in models:
            models[key] = self._new_chat_model(json_schema, max_tokens, seed)
        return models[key]

    async def prompt_style(self) -> PromptStyle:
        """Ollama applies each model's chat template: chat turns."""
        return "chat"

    def _new_chat_model(
        self, json_schema: dict[str, Any] | None, max_tokens: int | None, seed: int | None
    ) -> ChatOllama:
        fields = self.config.options.set_options()
        if seed is not None:
            fields["seed"] = seed
        if max_tokens is not None:
            current = fields.get("num_predict")
            # Negative num_predict means "no limit" (-1) or "fill the context" (-2).
            if current is None or current < 0 or max_tokens < current:
                fields["num_predict"] = max_tokens
        if json_schema is not None:
            fields["format"] = json_schema
        return chat_ollama_class()(
            model=self.config.model,
            base_url=self._url,
            client_kwargs={
                "timeout": self.config.timeout_s,
                "verify": self._ssl_context,
                # Nobody closes a model's client when its loop ends, so a pooled connection
                # would linger until garbage collection; close each with its response.
                "limits": httpx.Limits(max_keepalive_connections=0),
            },
            **fields,
        )

    async def check(self) -> None:
        """Fail fast if the server is down or lacks the model (GET /api/tags).

        Each request has an overall deadline (`CHECK_TIMEOUT_S`, at most timeout_s): httpx's
        timeout is per read, so a server dripping a byte a second would hold it for minutes.
        """
        url = f"{self.host}/api/tags"
        timeout = min(CHECK_TIMEOUT_S, self.config.timeout_s)
        try:
            response = await bounded_get(f"{self._url}/api/tags", timeout)
        except (httpx.HTTPError, TimeoutError) as exc:
            raise translate_ollama_error(
                exc,
                self.host,
                self.config.model,
                doing=f"list its models (GET {url}, {timeout:g} s allowed)",
            ) from exc
        if response.status_code != 200:
            raise BackendProtocolError(
                f"GET {url} answered HTTP {response.status_code}", hint=_NOT_OLLAMA
            )
        try:
            listed = response.json().get("models") or []
            names = {_full_name(str(m.get("name") or m.get("model"))) for m in listed}
        except (ValueError, AttributeError, TypeError) as exc:
            raise BackendProtocolError(
                f"GET {url} did not return Ollama's model list", hint=_NOT_OLLAMA
            ) from exc
        self.served_by = served_by(response.headers)
        if _full_name(self.config.model) not in names:
            have = shorten(", ".join(sorted(names)) or "none", 300)
            raise ModelMissing(
                f"model '{self.config.model}' is not available at {self.host} (it has: {have})",
                hint=f"run: ollama pull {self.config.model}",
            )
        if self.config.options.num_ctx:
            trained = await self._trained_context(timeout)
            warn_beyond_training(self.config.options.num_ctx, trained, self.config.model)

    async def _trained_context(self, timeout: float) -> int | None:
        """The model's trained context (POST /api/show, model_info); None if not told."""
        try:
            async with asyncio.timeout(timeout), self._client(timeout) as client:
                response = await client.post(
                    f"{self._url}/api/show", json={"model": self.config.model}
                )
            info = response.json().get("model_info") or {}
            lengths = [v for k, v in info.items() if str(k).endswith(".context_length")]
        except (httpx.HTTPError, TimeoutError, ValueError, AttributeError, TypeError):
            return None  # an older, partial or too slow server: the context is not checked
        return lengths[0] if lengths and _count(lengths[0]) else None

    def _client(self, timeout: float) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=timeout, verify=self._ssl_context)

    def translate_error(self, exc: BaseException) -> BackendError:
        """An httpx / ollama exception of a chat call in Chimera's terms."""
        return translate_ollama_error(exc, self.host, self.config.model)

    def count_tokens(self, text: str) -> int:
        """An estimate (Ollama exposes no tokenizer): `chimera.tokens.estimate_tokens`."""
        return estimate_tokens(text)


async def bounded_get(
    url: str, seconds: float, headers: dict[str, str] | None = None
) -> httpx.Response:
    """GET `url`, the whole answer within `seconds` (TimeoutError past it).

    httpx's own timeout bounds each read, not the request: a server dripping a byte a
    second would keep it going for minutes.
    """
    async with (
        asyncio.timeout(seconds),
        httpx.AsyncClient(timeout=seconds, verify=shared_ssl_context()) as client,
    ):
        return await client.get(url, headers=headers)


def _count(value: Any) -> bool:
    """A count a server may honestly report: a whole, non-negative int below MAX_COUNT.

    JSON's 1e999 reads as inf, and an int() of it raises OverflowError; a bool is no count.
    """
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT


async def loaded_model(config: AgentConfig, host: str) -> ModelResidency | None:
    """Where `host` holds the config's model (GET /api/ps): VRAM share and context length.

    None when the server does not list the model as loaded, answers with numbers no server
    could mean (infinite, negative, more VRAM than size), is slower than `CHECK_TIMEOUT_S`
    in all, or the request fails: the residency is then "not measured", which must not fail
    (or slow down) a run that already finished.
    """
    try:
        url = f"{connection_url(config, host).rstrip('/')}/api/ps"
        response = await bounded_get(url, min(CHECK_TIMEOUT_S, config.timeout_s))
        listed = response.json().get("models") or [] if response.status_code == 200 else []
        return _residency(listed, _full_name(config.model))
    except (httpx.HTTPError, TimeoutError, ValueError, AttributeError, TypeError, ConfigError):
        return None


def _residency(listed: Any, wanted: str) -> ModelResidency | None:
    """The entry of `/api/ps`'s list for `wanted`, if its numbers are believable."""
    for entry in listed if isinstance(listed, list) else []:
        if not isinstance(entry, dict):
            continue
        if _full_name(str(entry.get("name") or entry.get("model") or "")) != wanted:
            continue
        size, vram = entry.get("size") or 0, entry.get("size_vram") or 0
        context = entry.get("context_length") or None
        if not (_count(size) and _count(vram) and vram <= size):
            return None
        if context is not None and not _count(context):
            return None
        return ModelResidency(
            model=wanted, size_bytes=size, size_vram_bytes=vram, context_length=context
        )
    return None


# Ollama's long-standing default context when the config leaves num_ctx unset.
OLLAMA_DEFAULT_NUM_CTX = 2048

SPEC = BackendSpec(
    name="ollama",
    uses_hosts=True,
    default_num_ctx=OLLAMA_DEFAULT_NUM_CTX,
    build=_build,
    model_label=lambda config: config.model,
    settings=ALL_OPTIONS | {"model"},
    settings_note="embedded_threads and model_path are the embedded backend's",
    # A new runner (a reload) when the model or its runner options change; sampling
    # options such as temperature are applied per request.
    reloads_on=frozenset({"model", "num_gpu", "num_ctx"}),
    residency=loaded_model,
)
