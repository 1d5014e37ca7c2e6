"""The OpenAI-compatible backend: langchain-openai's ChatOpenAI against llama.cpp's
llama-server, vLLM, SGLang, LM Studio, llama-cpp-python's server or anything else that
speaks the chat-completions API (`base_url` ends in /v1).

Request options. Chimera's temperature, top_p, seed and num_predict (sent as max_tokens,
the name every local server reads) are sent; num_ctx is not (a server's context is fixed
when it starts: llama-server -c, vllm --max-model-len) but tells Chimera how much prompt
fits. Any other option is refused with one line naming it: it would be silently ignored.

Metrics. The stream must end with a chunk carrying a finish_reason (else the reply was cut:
a `BackendProtocolError`, never a short answer). The last chunk this chat model yields puts
what the server reported in Ollama's fields, so `measured_call` reads every backend alike:
llama.cpp's own `timings` block (prompt_n/prompt_ms, predicted_n/predicted_ms) where the
server sends one; else the token counts of `usage` (asked for with
`stream_options.include_usage`) where it sends them; else nothing ("not measured"). TTFT,
inter-token latency and the decode rate are measured client-side by `measured_call`. The
server says nothing about loading the model: load time is "not measured".

The chat model (`_openai_chat.py`) keeps the server's timings and usage, refuses a cut stream
and asks for JSON through `response_format`: OpenAI's json_schema form first; a server
that refuses it (llama-cpp-python's server takes only json_object with a schema) is asked
the other way once, and the backend remembers which way its server takes.

langchain-openai is imported on first use, as langchain-ollama is (see ollama.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from chimera.backends._openai_chat import chat_openai_class
from chimera.backends.base import (
    BackendSpec,
    ChatBackend,
    PromptStyle,
    connection_url,
    served_by,
    warn_beyond_training,
)
from chimera.backends.ollama import CHECK_TIMEOUT_S, bounded_get, shared_ssl_context
from chimera.config.agent import AgentConfig
from chimera.errors import (
    BackendError,
    BackendProtocolError,
    BackendTimeout,
    BackendUnreachable,
    ConfigError,
    ModelMissing,
)
from chimera.escape import redact_url, shorten
from chimera.tokens import estimate_tokens

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

# Chimera's options this backend sends, and num_ctx, which it reads as the server's context.
SENT_OPTIONS = ("temperature", "top_p", "num_predict", "seed")
ACCEPTED_OPTIONS = frozenset({*SENT_OPTIONS, "num_ctx"})
# llama-server's default context (-c), when the config does not say the server's.
DEFAULT_NUM_CTX = 4096
# Sent as the key when the config names none: local servers want no key, and the openai
# client would otherwise send OPENAI_API_KEY (a real key) to whatever base_url says.
NO_KEY = "no-key"
_START_IT = (
    "start the server (e.g. llama-server -m MODEL.gguf --port 8080, or vllm serve MODEL), "
    "or fix base_url (its OpenAI API, /v1 included)"
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it was raised from: openai wraps httpx's errors, langchain openai's."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def translate_openai_error(
    exc: BaseException, url: str, model: str, *, doing: str | None = None, secret: str = ""
) -> BackendError:
    """The one mapping of openai / httpx exceptions onto Chimera's errors, fix in the hint.

    `url` is the server's name as shown (credentials redacted); `secret` (the API key) is
    cut out of any text a server echoed back.
    """
    if isinstance(exc, BackendError):
        return exc
    causes = list(_causes(exc))
    codes = [getattr(c, "status_code", None) for c in causes]
    status = next((code for code in codes if isinstance(code, int)), None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = shorten(redact_url(text.replace(secret, "***") if secret else text), 300)
    what = doing or f"answer for model '{model}'"
    refused = httpx.ConnectError | httpx.ConnectTimeout | ConnectionRefusedError
    if any(isinstance(c, refused) for c in causes):
        return BackendUnreachable(
            f"cannot reach the OpenAI-compatible server at {url} (connection refused)",
            hint=_START_IT,
        )
    if any(isinstance(c, TimeoutError | httpx.TimeoutException) for c in causes) or (
        type(exc).__name__ == "APITimeoutError"
    ):
        return BackendTimeout(
            f"the server at {url} did not {what} in time",
            hint="raise timeout_s in the agent config or check the server's load",
        )
    if any(isinstance(c, httpx.RemoteProtocolError | httpx.ReadError) for c in causes):
        return BackendProtocolError(
            f"the stream from {url} for model '{model}' was cut: {text}",
            hint="check the server's log; it may have stopped, crashed or run out of memory",
        )
    if status == 404 and "model" in text.lower():
        return ModelMissing(
            f"model '{model}' is not served at {url}: {text}",
            hint="set model to one the server serves (GET /v1/models lists them)",
        )
    if status in (401, 403):
        return BackendProtocolError(
            f"{url} answered HTTP {status}: {text}",
            hint="set api_key_env in the agent config to the variable that holds its key",
        )
    if status is not None:
        return BackendProtocolError(f"{url} answered HTTP {status}: {text}")
    if doing is not None:
        return BackendProtocolError(
            f"the server at {url} could not {doing}: {text}", hint=_START_IT
        )
    return BackendProtocolError(f"call to {url} failed: {type(exc).__name__}: {text}")


def _where(config: AgentConfig) -> str:
    return str(config.source) if config.source else f"the config of '{config.name}'"


def check_options(config: AgentConfig) -> None:
    """Refuse options this backend would not send (they would silently do nothing)."""
    refused = [f"options.{k}" for k in config.options.set_options() if k not in ACCEPTED_OPTIONS]
    if refused:
        raise ConfigError(
            f"{_where(config)}: {', '.join(refused)} "
            f"{'is' if len(refused) == 1 else 'are'} not sent by the openai backend "
            "(it sends temperature, top_p, seed and num_predict as max_tokens; num_ctx "
            "tells Chimera the server's context)",
            hint=f"remove {', '.join(refused)}; set such things where the server starts",
        )


def api_key(config: AgentConfig) -> str:
    """The key from the variable `api_key_env` names; `NO_KEY` when the config names none."""
    if config.api_key_env is None:
        return NO_KEY
    value = os.environ.get(config.api_key_env, "").strip()
    if not value:
        raise ConfigError(
            f"{_where(config)}: api_key_env names {config.api_key_env}, which is not set",
            hint=f"export {config.api_key_env}=<the server's key>, or remove api_key_env",
        )
    return value


def _build(config: AgentConfig, host: str | None) -> ChatBackend:
    return OpenAIBackend(config, host)


class OpenAIBackend:
    """One agent's model on one OpenAI-compatible server."""

    name = "openai"

    def __init__(self, config: AgentConfig, host: str | None = None) -> None:
        if not (config.base_url or config.hosts):
            raise ConfigError(
                f"{_where(config)}: the openai backend needs base_url, the server's OpenAI "
                "API (e.g. http://127.0.0.1:8080/v1)",
                hint="add base_url (or hosts) to the agent config",
            )
        check_options(config)
        chat_openai_class()  # langchain-openai missing: one line now, before any work
        self.config = config
        self._url = connection_url(config, host).rstrip("/")
        self.host = redact_url(self._url)
        self.model_label = config.model
        self.served_by: str | None = None  # set by check()
        self._key = api_key(config)
        self._schema_style = {"style": "json_schema"}  # which JSON form the server takes
        self._models: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]]
        self._models = weakref.WeakKeyDictionary()

    def chat_model(
        self,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        raw: bool = False,
        seed: int | None = None,
        shared_prefix: str = "",
    ) -> ChatOpenAI:
        """A chat model for these settings, kept per event loop (its client is bound to one).

        Servers apply their model's chat template, so `raw` documents are sent as chat too;
        `shared_prefix` is not sent (llama-server and vLLM reuse a cached prefix on their own).
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self._new_chat_model(json_schema, max_tokens, seed)
        models = self._models.setdefault(loop, {})
        key = json.dumps([json_schema, max_tokens, seed], sort_keys=True)
        if key not in models:
            models[key] = self._new_chat_model(json_schema, max_tokens, seed)
        return models[key]

    def _new_chat_model(
        self, json_schema: dict[str, Any] | None, max_tokens: int | None, seed: int | None
    ) -> ChatOpenAI:
        options = self.config.options
        limit = options.num_predict if options.num_predict and options.num_predict > 0 else None
        if max_tokens is not None and (limit is None or max_tokens < limit):
            limit = max_tokens
        timeout = self.config.timeout_s
        return chat_openai_class()(
            model=self.config.model,
            base_url=self._url,
            api_key=self._key,
            temperature=options.temperature,
            top_p=options.top_p,
            seed=options.seed if seed is None else seed,
            max_tokens=limit,
            stream_usage=True,  # stream_options.include_usage: the server's token counts
            max_retries=0,  # Chimera retries a node itself, and counts it
            timeout=timeout,
            stream_chunk_timeout=timeout,
            # Nobody closes a model's client when its loop ends: no pooled connections.
            http_async_client=httpx.AsyncClient(
                timeout=timeout,
                verify=shared_ssl_context(),
                limits=httpx.Limits(max_keepalive_connections=0),
            ),
            schema_style=self._schema_style,
            json_schema=json_schema,
            shown_url=self.host,
        )

    async def prompt_style(self) -> PromptStyle:
        """The server applies its model's chat template: chat turns."""
        return "chat"

    async def check(self) -> None:
        """Fail fast if the server is down or does not serve the model (GET /v1/models).

        The whole request has a deadline (`CHECK_TIMEOUT_S`, at most timeout_s).
        """
        url = f"{self.host}/models"
        timeout = min(CHECK_TIMEOUT_S, self.config.timeout_s)
        try:
            response = await bounded_get(
                f"{self._url}/models", timeout, {"Authorization": f"Bearer {self._key}"}
            )
        except (httpx.HTTPError, TimeoutError) as exc:
            raise translate_openai_error(
                exc,
                self.host,
                self.config.model,
                doing=f"list its models (GET {url}, {timeout:g} s allowed)",
                secret=self._key,
            ) from exc
        self.served_by = served_by(response.headers)
        if response.status_code != 200:
            hint = (
                "set api_key_env in the agent config to the variable that holds its key"
                if response.status_code in (401, 403)
                else "is base_url the server's OpenAI API, /v1 included?"
            )
            raise BackendProtocolError(f"GET {url} answered HTTP {response.status_code}", hint=hint)
        try:
            listed = response.json()["data"]
            served = {str(m["id"]): m for m in listed if isinstance(m, dict)}
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendProtocolError(
                f"GET {url} did not return a model list",
                hint="is base_url the server's OpenAI API, /v1 included?",
            ) from exc
        entry = served.get(self.config.model)
        if entry is None:
            have = shorten(", ".join(sorted(served)) or "none", 300)
            raise ModelMissing(
                f"model '{self.config.model}' is not served at {self.host} (it serves: {have})",
                hint="set model to one it serves, or start the server with that model",
            )
        # vLLM says its context (max_model_len); llama-server its model's trained one.
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        known = entry.get("max_model_len") or meta.get("n_ctx_train")
        if isinstance(known, int) and not isinstance(known, bool) and known > 0:
            warn_beyond_training(self.config.options.num_ctx, known, self.config.model)

    def translate_error(self, exc: BaseException) -> BackendError:
        """An openai / httpx exception of a chat call in Chimera's terms."""
        return translate_openai_error(exc, self.host, self.config.model, secret=self._key)

    def count_tokens(self, text: str) -> int:
        """An estimate (the API exposes no tokenizer): `chimera.tokens.estimate_tokens`."""
        return estimate_tokens(text)


SPEC = BackendSpec(
    name="openai",
    uses_hosts=True,
    default_num_ctx=DEFAULT_NUM_CTX,
    build=_build,
    model_label=lambda config: config.model,
    settings=frozenset({*SENT_OPTIONS, "model"}),
    settings_note=(
        "the openai backend sends temperature, top_p, seed and num_predict; the context,"
        " GPU layers and the rest are fixed when the server starts"
    ),
    reloads_on=frozenset(),  # request options never make the server load a model
)
