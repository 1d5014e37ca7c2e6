"""The one interface every backend meets: a LangChain chat model plus a preflight check.

`measured_call` streams any backend's chat model and turns the final message's
`response_metadata` (Ollama's nanosecond timing fields, which the embedded and fake
backends emit too) into a `CallMetrics`. Metrics, timing and reports never ask which
backend ran.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from chimera.errors import (
    BackendError,
    BackendProtocolError,
    BackendTimeout,
    BackendUnreachable,
    ModelMissing,
)
from chimera.metrics import CallMetrics


class ChatBackend(Protocol):
    """What a node needs from a model backend."""

    name: str  # "ollama", "embedded" or "fake"
    model_label: str
    host: str | None

    def chat_model(
        self, *, json_schema: dict[str, Any] | None = None, max_tokens: int | None = None
    ) -> BaseChatModel:
        """A chat model for one role; json_schema asks the backend to constrain output."""
        ...

    async def check(self) -> None:
        """Fail fast (BackendError) if the backend cannot serve the model."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this backend's model (an estimate where no tokenizer exists)."""
        ...


@dataclass(frozen=True)
class ModelReply:
    text: str
    metrics: CallMetrics


def translate_backend_error(exc: BaseException, *, url: str | None, model: str) -> BackendError:
    """Map httpx/ollama/llama.cpp exceptions onto Chimera's error tree with a fix in the hint."""
    if isinstance(exc, BackendError):
        return exc
    where = url or "the backend"
    status = getattr(exc, "status_code", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # Before the timeout test: a ConnectTimeout means nothing answered at all.
    if isinstance(exc, ConnectionError) or type(exc).__name__ in {"ConnectError", "ConnectTimeout"}:
        return BackendUnreachable(
            f"cannot reach Ollama at {where}",
            hint="start it with `ollama serve`, or set OLLAMA_HOST / base_url to the right URL",
        )
    if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        return BackendTimeout(
            f"request to {where} for model '{model}' timed out",
            hint="raise timeout_s in the agent config or check the server's load",
        )
    # Ollama says "model 'x' not found"; a bare 404 means the URL is not an Ollama API.
    if "not found" in text.lower() and "model" in text.lower():
        return ModelMissing(
            f"model '{model}' is not available at {where}", hint=f"run: ollama pull {model}"
        )
    if status == 404:
        return BackendProtocolError(
            f"{where} answered HTTP 404: {text}",
            hint="is this URL an Ollama server? set OLLAMA_HOST / base_url",
        )
    if isinstance(status, int) and status >= 0:  # ollama uses -1 for errors sent mid-stream
        return BackendProtocolError(f"{where} answered HTTP {status}: {text}")
    return BackendProtocolError(f"call to {where} failed: {type(exc).__name__}: {text}")


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
) -> ModelReply:
    """Stream one chat call, timing TTFT client-side, and return text plus metrics."""
    model = backend.chat_model(json_schema=json_schema, max_tokens=max_tokens)
    prompt_estimate = sum(backend.count_tokens(str(m.content)) for m in messages)
    started_at = datetime.now(UTC)
    start = time.perf_counter()
    first_token_at: float | None = None
    pieces: list[str] = []
    # Later chunks override earlier ones: the timing fields arrive in the final chunk, and
    # adding chunks would concatenate string fields such as the model name.
    metadata: dict[str, Any] = {}
    chunks = 0

    async def consume() -> None:
        nonlocal first_token_at, chunks
        async for chunk in model.astream(messages):
            chunks += 1
            text = chunk.content if isinstance(chunk.content, str) else str(chunk.content)
            if first_token_at is None and text:
                first_token_at = time.perf_counter()
            pieces.append(text)
            metadata.update(chunk.response_metadata or {})

    try:
        await asyncio.wait_for(consume(), timeout=timeout_s)
    except BackendError:
        raise  # already translated (a backend raised it); `from` itself would loop the cause
    except Exception as exc:  # every other failure leaves here as a BackendError
        raise translate_backend_error(exc, url=backend.host, model=backend.model_label) from exc
    end = time.perf_counter()
    if chunks == 0:
        raise BackendProtocolError(f"{backend.host or backend.name} returned an empty stream")
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
    )
    return ModelReply(text="".join(pieces), metrics=metrics)
