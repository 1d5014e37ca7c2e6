"""The Ollama stub's data: what it is told to do (`StubBehaviour`) and what it saw (requests).

Public names here are re-exported from `chimera.testing.ollama_server`; import them from there.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from chimera.testing._speed_model import ChatTiming, SpeedModel

ReplyFn = Callable[[dict[str, Any]], str]

DEFAULT_REPLY = (
    "The benchmark artifacts show steady throughput across runs, with time to first token "
    "dominated by prompt evaluation. Larger contexts cost more prompt time but leave the "
    "generation rate unchanged, and offloading more layers to the GPU raises tokens per second."
)


def reply_by_format(json_reply: str, prose_reply: str) -> ReplyFn:
    """Answer `json_reply` when the request asks for structured output (`format`), else prose.

    Chimera's analyst sends a JSON schema as `format` and its writer does not, so this one
    function serves a whole graph run.
    """

    def reply(request: dict[str, Any]) -> str:
        return json_reply if request.get("format") else prose_reply

    return reply


def full_model_name(name: str) -> str:
    """`gemma3` -> `gemma3:latest`; a name with a tag is kept as it is."""
    return name if ":" in name else f"{name}:latest"


@dataclass(frozen=True)
class StubBehaviour:
    """How the stub answers. Frozen: change it between requests with `OllamaStubServer.update`."""

    models: tuple[str, ...] = ("gemma3:latest",)
    # Fixed text, or a function of the request JSON (see `reply_by_format`).
    reply: str | ReplyFn = DEFAULT_REPLY
    # None: one token per word. N: the reply is cut into N near-equal character slices
    # (some empty when the text is shorter than N characters), so timing is exact.
    tokens: int | None = None
    first_token_delay_s: float = 0.0
    token_delay_s: float = 0.0
    load_s: float = 0.0
    # num_ctx when the request sets none (Ollama's own default).
    default_num_ctx: int = 4096
    # The trained context /api/show reports (model_info's <arch>.context_length).
    context_length: int = 131072
    # Faults. `fail_next` requests get `fail_status`; the count goes down as they happen.
    fail_next: int = 0
    fail_status: int = 500
    hang_s: float = 0.0
    cut_after_tokens: int | None = None
    # "abort": drop the connection mid-body (the client sees an incomplete chunked read).
    # "clean": end the HTTP body properly but never send the `done: true` chunk.
    cut_mode: Literal["abort", "clean"] = "abort"
    fault_paths: tuple[str, ...] = ("/api/chat",)
    # On the fault paths, a JSON answer leaves one byte every `drip_s` seconds: a server
    # that keeps every read timeout from firing and never finishes.
    drip_s: float = 0.0
    # What `/api/ps` lists instead of the loaded model: a server that lies (sizes of
    # Infinity, negative, more VRAM than size ...). JSON-encoded as given.
    ps_models: tuple[Any, ...] | None = None
    # The OpenAI-compatible API (/v1): send `usage` when the request asks for it, and
    # llama.cpp's `timings` block in the last chunk (llama-server does; most servers do not).
    openai_usage: bool = True
    openai_timings: bool = False
    # Timings from the request's options (tok/s from num_gpu, prefill from num_ctx, a cold
    # load after a change of runner options) instead of the fixed delays above.
    speed: SpeedModel | None = None

    def has_model(self, name: str) -> bool:
        """Ollama treats `gemma3` and `gemma3:latest` as the same model."""
        return full_model_name(name) in {full_model_name(m) for m in self.models}


@dataclass(frozen=True)
class TakenBehaviour:
    """The behaviour one request runs with, and whether it is hit by the configured faults."""

    settings: StubBehaviour
    fault: bool
    fail: bool


@dataclass
class RecordedRequest:
    """One request as the server saw it; times are `time.perf_counter()` seconds."""

    method: str
    path: str
    body: Any
    received_at: float
    finished_at: float | None = None
    status: int | None = None
    # ok | failed | not_found | cut | client_gone | bad_request
    outcome: str = "pending"
    # The final chat chunk (done: true) as sent: what the server "reported" for this call.
    reported: dict[str, Any] | None = None
    # The Authorization header, as sent (credentials from a URL's user-info arrive here).
    authorization: str | None = None

    @property
    def options(self) -> dict[str, Any]:
        """The `options` object the client sent ({} when it sent none)."""
        body = self.body if isinstance(self.body, dict) else {}
        return dict(body.get("options") or {})


class StubOwner(Protocol):
    """What the HTTP handler needs of the stub server that owns it (`OllamaStubServer`)."""

    _stopping: threading.Event

    def _take_behaviour(self, path: str) -> TakenBehaviour: ...

    def _record(self, record: RecordedRequest) -> None: ...

    def _track(self, conn: socket.socket, *, add: bool) -> None: ...

    def _start_chat(
        self, model: str, options: dict[str, Any], settings: StubBehaviour
    ) -> ChatTiming: ...

    def _end_chat(self) -> None: ...

    def _token_delay(self, timing: ChatTiming, settings: StubBehaviour) -> float: ...

    def _ps(self) -> list[dict[str, Any]]: ...
