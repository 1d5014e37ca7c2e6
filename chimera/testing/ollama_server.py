"""A real HTTP server speaking Ollama's API, for tests and benchmarks (standard library only).

It streams NDJSON from `POST /api/chat` exactly as Ollama does, with the final chunk's
nanosecond timing fields measured from what the server really did, so every client-side
metric path runs over real HTTP with known timings::

    with OllamaStubServer(StubBehaviour(tokens=50, token_delay_s=0.01)) as server:
        backend = OllamaBackend(config, server.url)
        ...
        assert server.chat_requests[-1].body["options"]["num_ctx"] == 2048

Timeline of one chat request (every phase really sleeps, so durations are honest):

    received -> [hang_s: nothing sent] -> [load_s] -> [first_token_delay_s] ->
    token_delay_s, token 1, token_delay_s, token 2, ... -> final chunk (done: true)

    load_duration        = the load phase          prompt_eval_duration = the first-token delay
    eval_duration        = the token loop          total_duration       = received -> final chunk

so the first token reaches the client after about load_s + first_token_delay_s + token_delay_s.
Faults (`fail_next`, `hang_s`, `cut_after_tokens`) apply to the paths in `fault_paths` only.
With `StubBehaviour.speed` (a `SpeedModel`) the three delays come from the request's options
instead: tok/s from num_gpu, prefill from num_ctx, a load after runner options change.
`GET /api/ps` reports the model last loaded (size, size_vram, context_length), as Ollama does.
The same server speaks the OpenAI-compatible API too (`GET /v1/models`,
`POST /v1/chat/completions`, see `_openai_routes`), with the same timings and faults.

This module is the import point; the parts live in `_stub_models` (what the stub is told and
what it records), `_ollama_payloads` (the JSON it sends) and `_ollama_handler` (the HTTP side).
"""

from __future__ import annotations

import math
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Any

from chimera.testing._ollama_handler import StubHTTPServer
from chimera.testing._ollama_payloads import (
    STUB_VERSION,
    estimate_tokens,
    model_entry,
    now_iso,
    prompt_text,
)
from chimera.testing._speed_model import (
    MODEL_SIZE_BYTES,
    ChatTiming,
    LoadedModel,
    SpeedModel,
    runner_key,
)
from chimera.testing._stub_models import (
    DEFAULT_REPLY,
    RecordedRequest,
    ReplyFn,
    StubBehaviour,
    TakenBehaviour,
    full_model_name,
    reply_by_format,
)

__all__ = [
    "DEFAULT_REPLY",
    "STUB_VERSION",
    "OllamaStubServer",
    "RecordedRequest",
    "ReplyFn",
    "SpeedModel",
    "StubBehaviour",
    "estimate_tokens",
    "peak_overlap",
    "prompt_text",
    "refused_url",
    "reply_by_format",
    "serve_ollama_stub",
]


@dataclass
class OllamaStubServer:
    """An Ollama-protocol HTTP server on 127.0.0.1 in a background thread.

    Use as a context manager, or `start()` / `stop()`. Thread-safe: any number of concurrent
    streaming requests each run in their own thread and really sleep their timings.
    """

    behaviour: StubBehaviour = field(default_factory=StubBehaviour)
    bind_port: int = 0  # 0: a free port
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _requests: list[RecordedRequest] = field(default_factory=list, init=False, repr=False)
    _connections: set[socket.socket] = field(default_factory=set, init=False, repr=False)
    _httpd: StubHTTPServer | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _loaded: LoadedModel | None = field(default=None, init=False, repr=False)
    _loaded_key: tuple[Any, ...] | None = field(default=None, init=False, repr=False)
    _chats: int = field(default=0, init=False, repr=False)
    _loads: int = field(default=0, init=False, repr=False)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> OllamaStubServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = StubHTTPServer(self, self.bind_port)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"ollama-stub:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections; requests in flight are abandoned."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> OllamaStubServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the stub server is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL for a client, e.g. `http://127.0.0.1:40123` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_url(self) -> str:
        """The OpenAI-compatible API's base URL, e.g. `http://127.0.0.1:40123/v1`."""
        return f"{self.url}/v1"

    # -- behaviour --------------------------------------------------------------------------

    def update(self, **changes: Any) -> StubBehaviour:
        """Change some behaviour fields for the requests that arrive from now on."""
        with self._lock:
            self.behaviour = replace(self.behaviour, **changes)
            return self.behaviour

    def _take_behaviour(self, path: str) -> TakenBehaviour:
        # Snapshot per request, and count faults down atomically across concurrent requests.
        with self._lock:
            settings = self.behaviour
            fault = path.split("?", 1)[0] in settings.fault_paths
            fail = fault and settings.fail_next > 0
            if fail:
                self.behaviour = replace(settings, fail_next=settings.fail_next - 1)
            return TakenBehaviour(settings=settings, fault=fault, fail=fail)

    # -- the loaded model ---------------------------------------------------------------

    def _start_chat(
        self, model: str, options: dict[str, Any], settings: StubBehaviour
    ) -> ChatTiming:
        """Load the model for these options if it is not (a cold start); the request's sleeps."""
        num_ctx = int(options.get("num_ctx") or settings.default_num_ctx)
        speed = settings.speed
        key = runner_key(full_model_name(model), options, settings.default_num_ctx)
        with self._lock:
            self._chats += 1
            cold = key != self._loaded_key
            if cold:
                self._loads += 1
                self._loaded_key = key
                size = speed.size_bytes if speed else MODEL_SIZE_BYTES
                self._loaded = LoadedModel(
                    model=full_model_name(model),
                    options=dict(options),
                    num_ctx=num_ctx,
                    size=size,
                    size_vram=speed.size_vram(options) if speed else size,
                )
        if speed is None:
            return ChatTiming(
                settings.load_s,
                settings.first_token_delay_s,
                settings.token_delay_s,
                dict(options),
                num_ctx,
            )
        return ChatTiming(
            speed.load_s if cold else 0.0,
            speed.prefill_s(options, num_ctx),
            speed.token_s(options, num_ctx, 0),
            dict(options),
            num_ctx,
        )

    def _end_chat(self) -> None:
        with self._lock:
            self._chats -= 1

    def _token_delay(self, timing: ChatTiming, settings: StubBehaviour) -> float:
        """The next token's delay: a shared GPU slows each chat by the others in flight."""
        speed = settings.speed
        if speed is None or not speed.concurrency_slowdown:
            return timing.token_delay_s
        with self._lock:
            others = max(0, self._chats - 1)
        return speed.token_s(timing.options, timing.num_ctx, others)

    def _ps(self) -> list[dict[str, Any]]:
        """`/api/ps`'s models: the one loaded, with its share in VRAM and context length."""
        with self._lock:
            loaded = self._loaded
        if loaded is None:
            return []
        entry = model_entry(loaded.model)
        return [
            {
                "name": loaded.model,
                "model": loaded.model,
                "size": loaded.size,
                "digest": entry["digest"],
                "details": entry["details"],
                "expires_at": now_iso(),
                "size_vram": loaded.size_vram,
                "context_length": loaded.num_ctx,
            }
        ]

    @property
    def loads(self) -> int:
        """How many times a model was (re)loaded: cold starts served so far."""
        with self._lock:
            return self._loads

    # -- records ----------------------------------------------------------------------------

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(record)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Chat requests of either API (`/api/chat`, `/v1/chat/completions`)."""
        return [r for r in self.requests if r.path in ("/api/chat", "/v1/chat/completions")]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def peak_concurrency(self, path: str = "/api/chat") -> int:
        """The most requests to `path` that were in progress at the same moment."""
        return peak_overlap(
            [(r.received_at, r.finished_at) for r in self.requests if r.path == path]
        )


def peak_overlap(intervals: Sequence[tuple[float, float | None]]) -> int:
    """Maximum number of (start, end) intervals open at once; an open end counts as ongoing."""
    events: list[tuple[float, int]] = []
    for start, end in intervals:
        events.append((start, 1))
        events.append((math.inf if end is None else end, -1))
    # Ends sort before starts at the same instant: back-to-back is not overlap.
    events.sort(key=lambda e: (e[0], e[1]))
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


@contextmanager
def serve_ollama_stub(
    behaviour: StubBehaviour | None = None, *, bind_port: int = 0, **changes: Any
) -> Iterator[OllamaStubServer]:
    """A started stub for a `with` block or a pytest fixture; keyword args tweak the behaviour."""
    server = OllamaStubServer(replace(behaviour or StubBehaviour(), **changes), bind_port)
    with server:
        yield server


@contextmanager
def refused_url() -> Iterator[str]:
    """A URL on which connections are refused.

    The port stays bound (but not listening) until the block ends, so no other process can
    start listening on it meanwhile and turn "refused" into a surprise answer.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()
