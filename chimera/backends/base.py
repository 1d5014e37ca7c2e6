"""The one interface every backend meets: a LangChain chat model plus a preflight check.

`measured_call` streams any backend's chat model and turns the final message's
`response_metadata` (Ollama's nanosecond timing fields, which the embedded and fake
backends emit too) into a `CallMetrics`. Metrics, timing and reports never ask which
backend ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from chimera.config.agent import AgentConfig, ModelOptions, load_agent_config
from chimera.errors import BackendError, BackendProtocolError, ConfigError
from chimera.escape import has_redacted_userinfo, redact_url
from chimera.logging import get_logger
from chimera.metrics import CallMetrics, int_or_none, stream_timing

# The `Server` header of Chimera's own stub (chimera.testing, which production code does
# not import; tests/test_compare.py checks the two agree): a run it answered is a test.
STUB_SERVER_NAME = "OllamaStub"
STUB_SERVED_BY = "Chimera's stub server (chimera.testing), not a real model server"


def served_by(headers: Mapping[str, str]) -> str | None:
    """What answered (from its response headers) when it is Chimera's stub; else None."""
    return STUB_SERVED_BY if headers.get("server", "").startswith(STUB_SERVER_NAME) else None


class ChatBackend(Protocol):
    """What a node needs from a model backend."""

    name: str  # "ollama", "embedded" or "fake"
    model_label: str
    host: str | None
    # Set by `check` when the server names itself as Chimera's stub; None otherwise. Optional
    # for a user's own backend: the runner reads it with getattr.
    served_by: str | None

    def chat_model(
        self,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        raw: bool = False,
        seed: int | None = None,
        shared_prefix: str = "",
    ) -> BaseChatModel:
        """A chat model for one role; json_schema asks the backend to constrain output;
        `raw` sends the messages' text as a document to continue (where the backend can);
        `seed` replaces the config's seed (a retry must not sample the same text again);
        `shared_prefix` is the start of the last message that the node's other calls share,
        which a backend may keep evaluated for them (the embedded one does; Ollama keeps
        its last prompt's prefix by itself)."""
        ...

    async def prompt_style(self) -> PromptStyle:
        """How this model is best prompted: chat turns, or a document it continues."""
        ...

    async def check(self) -> None:
        """Fail fast (BackendError) if the backend cannot serve the model."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this backend's model (an estimate where no tokenizer exists)."""
        ...

    def translate_error(self, exc: BaseException) -> BackendError:
        """`exc` from this backend's library in Chimera's terms, with the fix in the hint."""
        ...


PromptStyle = Literal["chat", "continuation"]


log = get_logger("chimera.backends")


def warn_beyond_training(num_ctx: int | None, trained: int | None, model: str) -> None:
    """Warn (not refuse: some models extrapolate) when num_ctx exceeds the trained context."""
    if num_ctx and trained and num_ctx > trained:
        log.warning(
            f"num_ctx {num_ctx} is beyond the {trained} tokens of context '{model}' was "
            f"trained with: past that its answers degrade, or the server caps the context; "
            f"set options.num_ctx to at most {trained}"
        )


@dataclass(frozen=True)
class ModelResidency:
    """Where a loaded model sits, as the server reports it (Ollama's `/api/ps`)."""

    model: str
    size_bytes: int
    size_vram_bytes: int
    context_length: int | None  # the context the server runs the model with

    @property
    def vram_share(self) -> float | None:
        """size_vram / size: 1.0 is all on the GPU; None when the size is unknown."""
        return self.size_vram_bytes / self.size_bytes if self.size_bytes > 0 else None


# Every option of `ModelOptions`: what an Ollama-like backend uses.
ALL_OPTIONS = frozenset(ModelOptions.model_fields)


@dataclass(frozen=True)
class BackendSpec:
    """The facts of one backend that the rest of Chimera needs; each backend module has one.

    Code outside `chimera.backends` asks the spec (`backend_spec(config)`) rather than test
    `config.backend`.
    """

    name: str
    uses_hosts: bool  # runs go to HTTP servers, one backend per host; else in-process
    default_num_ctx: int  # the context window when the config leaves num_ctx unset
    build: Callable[[AgentConfig, str | None], ChatBackend]
    model_label: Callable[[AgentConfig], str]  # how reports name the config's model
    # The settings this backend acts on: option names (as under `options`) and top-level
    # config fields (model, model_path, embedded_threads). A sweep refuses to vary others.
    settings: frozenset[str] = ALL_OPTIONS | {"model"}
    # Why the other settings do nothing here, for the one line that refuses them.
    settings_note: str = ""
    # Settings whose change makes the server load the model again (the next call is a
    # cold start); None: every change does (the backend is rebuilt for new settings).
    reloads_on: frozenset[str] | None = frozenset()
    # Asks a host where the config's model is loaded (VRAM share, context); None: cannot.
    residency: Callable[[AgentConfig, str], Awaitable[ModelResidency | None]] | None = None

    def applies(self, setting: str) -> bool:
        """Whether changing `setting` changes anything on this backend."""
        return setting in self.settings

    def hosts(self, config: AgentConfig) -> list[str]:
        """Where this config's runs go: its servers, or the backend's name when in-process.

        Servers are named with their credentials redacted (`redact_url`): these names are
        printed and written; `connection_url` turns one back into the URL to connect to.
        """
        if not self.uses_hosts:
            return [self.name]
        return [redact_url(url) for url in config.resolve_hosts()]

    def max_in_flight_per_host(self, config: AgentConfig) -> int:
        """Calls one host takes at once; an in-process model serves one at a time."""
        return config.max_in_flight_per_host if self.uses_hosts else 1

    def server(self, host: str) -> str | None:
        """The URL to build a backend for, given one of `hosts()`; None when in-process."""
        return host if self.uses_hosts else None

    def context_window(self, config: AgentConfig) -> int:
        """The context window the model runs with: num_ctx, else the backend's default."""
        return config.options.num_ctx or self.default_num_ctx


def connection_url(config: AgentConfig, host: str | None) -> str:
    """The URL to connect to for `host`, one of `BackendSpec.hosts(config)` (None: the first).

    That name has its credentials redacted; the config holds them. A config read back from
    a run's files holds them redacted too (they are never written), so they are read from
    the config file it came from (`source`), or it is a ConfigError saying so.
    """
    urls = config.resolve_hosts()
    wanted = None if host is None else host.rstrip("/")
    url = urls[0] if wanted is None else next((u for u in urls if redact_url(u) == wanted), wanted)
    if not has_redacted_userinfo(url):
        return url
    source = config.source
    if source is not None and source.is_file():
        try:
            original = load_agent_config(source).resolve_hosts()
        except ConfigError:
            original = []
        for candidate in original:
            if redact_url(candidate) == url and not has_redacted_userinfo(candidate):
                return candidate
    where = f"{source} no longer has them" if source else "no config file was given"
    raise ConfigError(
        f"the credentials of {url} are not stored in Chimera's folders, and {where}",
        hint="put user:password back into that URL in the config file, "
        "or start again with --config FILE",
    )


# A reply is kept up to this many characters per token asked for (a token is 3-5
# characters of English; 32 leaves room for any tokenizer), and never less than
# MIN_REPLY_CHARS: a server that ignores num_predict cannot fill the run folder (a 50 MB
# reply per call made a 2 GB folder), and what was cut is said in the call's metrics.
REPLY_CHARS_PER_TOKEN = 32
MIN_REPLY_CHARS = 64_000
DEFAULT_REPLY_TOKENS = 2048


# While a call runs, a progress line this often (the embedded model can take minutes).
PROGRESS_EVERY_S = 5.0


def reply_cap(max_tokens: int | None) -> int:
    """The most characters of a reply kept, for a call that asked for `max_tokens`."""
    tokens = max_tokens if max_tokens and max_tokens > 0 else DEFAULT_REPLY_TOKENS
    return max(MIN_REPLY_CHARS, tokens * REPLY_CHARS_PER_TOKEN)


@dataclass(frozen=True)
class ModelReply:
    text: str
    metrics: CallMetrics


async def measured_call(
    backend: ChatBackend,
    messages: list[BaseMessage],
    *,
    node: str,
    timeout_s: float,
    num_ctx: int | None,
    json_schema: dict[str, Any] | None = None,
    max_tokens: int | None = None,
    prompt_shrunk: bool = False,
    raw: bool = False,
    stop: list[str] | None = None,
    seed: int | None = None,
    shared_prefix: str = "",
    progress: Callable[[str], None] | None = None,
    label: str = "model call",
) -> ModelReply:
    """Stream one chat call, timing TTFT client-side, and return text plus metrics.

    `raw` sends the messages as a document to continue, `stop` ends the reply at any of
    those strings, `seed` replaces the config's seed for this call, `shared_prefix` marks
    the start of the last message that other calls share (see ChatBackend.chat_model). A
    reply longer than `reply_cap(max_tokens)` characters is cut there and the stream closed
    (which stops the generation); its metrics then say so (`reply_cut_at_chars`), and the
    server's own counters, which only its last chunk carries, are not measured.
    `progress` gets a line as the call starts, every PROGRESS_EVERY_S while it runs (tokens
    so far, elapsed) and as it ends, each beginning with `label`."""
    model = backend.chat_model(
        json_schema=json_schema,
        max_tokens=max_tokens,
        raw=raw,
        seed=seed,
        shared_prefix=shared_prefix,
    )
    prompt_estimate = sum(backend.count_tokens(str(m.content)) for m in messages)
    started_at = datetime.now(UTC)
    start = time.perf_counter()
    first_token_at: float | None = None
    token_times: list[float] = []  # arrival of each non-empty chunk: TTFT, ITL, decode rate
    pieces: list[str] = []
    # Later chunks override earlier ones: the timing fields arrive in the final chunk, and
    # adding chunks would concatenate string fields such as the model name.
    metadata: dict[str, Any] = {}
    chunks = 0
    room = cap = reply_cap(max_tokens)
    cut = False

    async def consume() -> None:
        nonlocal first_token_at, chunks, room, cut
        # aclosing: leaving the loop early closes the stream now, not at garbage collection.
        async with contextlib.aclosing(model.astream(messages, stop=stop)) as stream:
            async for chunk in stream:
                chunks += 1
                text = chunk.content if isinstance(chunk.content, str) else str(chunk.content)
                if text:
                    token_times.append(time.perf_counter())
                    if first_token_at is None:
                        first_token_at = token_times[-1]
                if len(text) > room:
                    pieces.append(text[:room])
                    cut = True
                    break  # leaving the stream closes it: the server or llama.cpp stops
                room -= len(text)
                pieces.append(text)
                metadata.update(chunk.response_metadata or {})

    async def report_while_running() -> None:
        assert progress is not None
        while True:
            await asyncio.sleep(PROGRESS_EVERY_S)
            elapsed = time.perf_counter() - start
            if first_token_at is None:
                progress(f"{label}: reading the prompt, {elapsed:.0f} s")
            else:
                so_far = backend.count_tokens("".join(pieces))
                progress(f"{label}: {so_far} tokens so far, {elapsed:.0f} s")

    if progress is not None:
        progress(f"{label}: prompt of ~{prompt_estimate:,} tokens sent")
    reporter = asyncio.create_task(report_while_running()) if progress is not None else None
    try:
        # asyncio.timeout, not wait_for: Python 3.11's wait_for drops a cancellation (Ctrl-C)
        # that arrives as the stream ends, and the run goes on as if never interrupted.
        async with asyncio.timeout(timeout_s):
            await consume()
    except BackendError:
        raise  # already translated (a backend raised it); `from` itself would loop the cause
    except Exception as exc:  # every other failure leaves here as a BackendError
        raise backend.translate_error(exc) from exc
    finally:
        if reporter is not None:
            reporter.cancel()
    end = time.perf_counter()
    if chunks == 0:
        raise BackendProtocolError(f"{backend.host or backend.name} returned an empty stream")
    # The server's count of generated tokens, when it sent one (not for a cut reply).
    counted = None if cut else int_or_none(metadata.get("eval_count"))
    itl_mean, itl_p95, decode_rate = stream_timing(token_times, counted)
    metrics = CallMetrics.from_response(
        metadata,
        node=node,
        backend=backend.name,
        model=backend.model_label,
        host=backend.host,
        started_at=started_at,
        wall_ms=(end - start) * 1000.0,
        ttft_ms=None if first_token_at is None else (first_token_at - start) * 1000.0,
        prompt_tokens_estimate=prompt_estimate,
        num_ctx=num_ctx,
        prompt_shrunk=prompt_shrunk,
        reply_cut_at_chars=cap if cut else None,
        itl_mean_ms=itl_mean,
        itl_p95_ms=itl_p95,
        decode_tok_s=decode_rate,
    )
    if progress is not None:
        progress(f"{label}: {call_summary(metrics)}")
    return ModelReply(text="".join(pieces), metrics=metrics)


def call_summary(metrics: CallMetrics) -> str:
    """'115 tokens in 7.2 s (16.0 tok/s; prompt: 29 of ~734 tokens read, the rest cached)'."""
    tokens = "? tokens" if metrics.eval_count is None else f"{metrics.eval_count} tokens"
    rate = metrics.throughput_tok_s
    parts = [f"{tokens} in {metrics.wall_ms / 1000:.1f} s"]
    details = [] if rate is None else [f"{rate:.1f} tok/s"]
    read, sent = metrics.prompt_eval_count, metrics.prompt_tokens_estimate
    if read is not None:
        if sent and read < 0.5 * sent:
            details.append(f"prompt: {read} of ~{sent:,} tokens read, the rest cached")
        else:
            details.append(f"prompt: {read:,} tokens read")
    return f"{parts[0]} ({'; '.join(details)})" if details else parts[0]
