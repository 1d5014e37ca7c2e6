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
"""

from __future__ import annotations

import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, cast

ReplyFn = Callable[[dict[str, Any]], str]

STUB_VERSION = "0.12.6"
DEFAULT_REPLY = (
    "The benchmark artifacts show steady throughput across runs, with time to first token "
    "dominated by prompt evaluation. Larger contexts cost more prompt time but leave the "
    "generation rate unchanged, and offloading more layers to the GPU raises tokens per second."
)
CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """~4 characters per token, rounded up: the same estimate Chimera's Ollama backend uses."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def prompt_text(request: Mapping[str, Any]) -> str:
    """All message contents of a chat request, joined: handy inside a reply function."""
    return "\n".join(str(m.get("content") or "") for m in request.get("messages") or [])


def reply_by_format(json_reply: str, prose_reply: str) -> ReplyFn:
    """Answer `json_reply` when the request asks for structured output (`format`), else prose.

    Chimera's analyst sends a JSON schema as `format` and its writer does not, so this one
    function serves a whole graph run.
    """

    def reply(request: dict[str, Any]) -> str:
        return json_reply if request.get("format") else prose_reply

    return reply


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
    # Faults. `fail_next` requests get `fail_status`; the count goes down as they happen.
    fail_next: int = 0
    fail_status: int = 500
    hang_s: float = 0.0
    cut_after_tokens: int | None = None
    # "abort": drop the connection mid-body (the client sees an incomplete chunked read).
    # "clean": end the HTTP body properly but never send the `done: true` chunk.
    cut_mode: Literal["abort", "clean"] = "abort"
    fault_paths: tuple[str, ...] = ("/api/chat",)

    def has_model(self, name: str) -> bool:
        """Ollama treats `gemma3` and `gemma3:latest` as the same model."""
        return _full_name(name) in {_full_name(m) for m in self.models}


def _full_name(name: str) -> str:
    return name if ":" in name else f"{name}:latest"


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

    @property
    def options(self) -> dict[str, Any]:
        """The `options` object the client sent ({} when it sent none)."""
        body = self.body if isinstance(self.body, dict) else {}
        return dict(body.get("options") or {})


@dataclass
class _Plan:
    """What one chat request will stream, decided before any byte is sent."""

    pieces: list[str]
    done_reason: str
    prompt_eval_count: int


def _split_reply(text: str, tokens: int | None) -> list[str]:
    if tokens is None:
        return re.findall(r"\s*\S+", text) or ([text] if text else [])
    size, extra = divmod(len(text), tokens)
    pieces, start = [], 0
    for i in range(tokens):
        end = start + size + (1 if i < extra else 0)
        pieces.append(text[start:end])
        start = end
    return pieces


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _StubHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Never wait for handler threads on close: a hanging handler would stall stop().
    block_on_close = False
    request_queue_size = 128

    def __init__(self, stub: OllamaStubServer) -> None:
        self.stub = stub
        super().__init__(("127.0.0.1", 0), _OllamaHandler)


class _ClientGone(Exception):
    """The client closed its end (timeout, cancel) while we were still answering."""


class _OllamaHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as Ollama's Go server
    server_version = "OllamaStub"
    # Without it Nagle + delayed ACK can hold small token chunks back ~40 ms.
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections do not live forever

    @property
    def stub(self) -> OllamaStubServer:
        return cast(_StubHTTPServer, self.server).stub

    def setup(self) -> None:
        super().setup()
        self.stub._track(self.connection, add=True)

    def finish(self) -> None:
        self.stub._track(self.connection, add=False)
        with suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read `requests`, not stderr

    # -- plumbing ---------------------------------------------------------------------------

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw.strip() else {}

    def _send_json(self, record: RecordedRequest, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        record.status = status

    def _write_chunk(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode() + b"\n"
        try:
            # One write per chunk: size line, data and CRLF leave in a single segment.
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        except OSError as exc:
            raise _ClientGone from exc

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self.stub._stopping.wait(seconds):
            raise _ClientGone  # the server is stopping: abandon the request

    def _sleep_until(self, deadline: float) -> None:
        self._sleep(deadline - time.perf_counter())

    # -- routing ----------------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        received = time.perf_counter()
        record = RecordedRequest(method=method, path=self.path, body=None, received_at=received)
        self.stub._record(record)
        try:
            try:
                record.body = self._read_body() if method == "POST" else None
            except (ValueError, UnicodeDecodeError):
                self._send_json(record, 400, {"error": "invalid JSON body"})
                record.outcome = "bad_request"
                return
            behaviour = self.stub._take_behaviour(self.path)
            self._route(method, record, behaviour)
        except (_ClientGone, OSError):
            record.outcome = "client_gone"  # or the server is stopping
            self.close_connection = True
        finally:
            record.finished_at = time.perf_counter()

    def _route(self, method: str, record: RecordedRequest, behaviour: _Taken) -> None:
        path = self.path.split("?", 1)[0]
        if behaviour.fault:
            self._sleep(behaviour.settings.hang_s)
            if behaviour.fail:
                status = behaviour.settings.fail_status
                self._send_json(record, status, {"error": f"simulated failure: {_phrase(status)}"})
                record.outcome = "failed"
                return
        settings = behaviour.settings
        if method == "GET" and path == "/":
            data = b"Ollama is running"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            record.status, record.outcome = 200, "ok"
        elif method == "GET" and path == "/api/version":
            self._send_json(record, 200, {"version": STUB_VERSION})
            record.outcome = "ok"
        elif method == "GET" and path == "/api/tags":
            self._send_json(record, 200, {"models": [_model_entry(m) for m in settings.models]})
            record.outcome = "ok"
        elif method == "POST" and path == "/api/show":
            self._show(record, settings)
        elif method == "POST" and path == "/api/chat":
            self._chat(record, behaviour)
        else:
            self._send_json(record, 404, {"error": f"{method} {path} not found"})
            record.outcome = "not_found"

    def _model_missing(self, record: RecordedRequest, name: str) -> None:
        self._send_json(record, 404, {"error": f"model '{name}' not found"})
        record.outcome = "not_found"

    def _show(self, record: RecordedRequest, settings: StubBehaviour) -> None:
        body = record.body if isinstance(record.body, dict) else {}
        name = str(body.get("model") or body.get("name") or "")
        if not settings.has_model(name):
            self._model_missing(record, name)
            return
        family = name.split(":", 1)[0]
        self._send_json(
            record,
            200,
            {
                "modelfile": f"FROM {name}\n",
                "parameters": "",
                "template": "{{ .Prompt }}",
                "details": _model_entry(name)["details"],
                "model_info": {
                    "general.architecture": family,
                    f"{family}.context_length": 131072,
                },
                "capabilities": ["completion"],
                "modified_at": _now_iso(),
            },
        )
        record.outcome = "ok"

    # -- /api/chat --------------------------------------------------------------------------

    def _plan(self, request: dict[str, Any], settings: StubBehaviour) -> _Plan:
        reply = settings.reply
        text = reply(request) if callable(reply) else reply
        pieces = _split_reply(str(text), settings.tokens)
        options = request.get("options") or {}
        done_reason = "stop"
        num_predict = options.get("num_predict")
        if isinstance(num_predict, int) and 0 <= num_predict < len(pieces):
            pieces, done_reason = pieces[:num_predict], "length"
        num_ctx = options.get("num_ctx") or settings.default_num_ctx
        # Ollama silently drops what does not fit num_ctx; prompt_eval_count betrays it.
        prompt_eval_count = min(estimate_tokens(prompt_text(request)), int(num_ctx))
        return _Plan(pieces=pieces, done_reason=done_reason, prompt_eval_count=prompt_eval_count)

    def _chat(self, record: RecordedRequest, behaviour: _Taken) -> None:
        settings = behaviour.settings
        request = record.body if isinstance(record.body, dict) else {}
        model = str(request.get("model") or "")
        if not settings.has_model(model):
            self._model_missing(record, model)
            return
        try:
            plan = self._plan(request, settings)
        except Exception as exc:  # a broken reply function should fail loudly, not hang
            self._send_json(record, 500, {"error": f"stub reply function failed: {exc!r}"})
            record.outcome = "failed"
            return
        cut_after = settings.cut_after_tokens if behaviour.fault else None
        stream = request.get("stream", True) is not False

        load_start = time.perf_counter_ns()
        self._sleep(settings.load_s)
        prompt_start = time.perf_counter_ns()
        self._sleep(settings.first_token_delay_s)
        eval_start = time.perf_counter_ns()
        base = time.perf_counter()

        if not stream:
            self._sleep(settings.token_delay_s * len(plan.pieces))
            final = self._final(model, plan, record, load_start, prompt_start, eval_start)
            final["message"] = {"role": "assistant", "content": "".join(plan.pieces)}
            record.reported = final
            self._send_json(record, 200, final)
            record.outcome = "ok"
            return

        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        record.status = 200
        for i, piece in enumerate(plan.pieces):
            if cut_after is not None and i >= cut_after:
                self._cut(record, settings)
                return
            # Deadlines from one base keep per-token sleep overhead from accumulating.
            self._sleep_until(base + (i + 1) * settings.token_delay_s)
            self._write_chunk(
                {
                    "model": model,
                    "created_at": _now_iso(),
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
            )
        if cut_after is not None:  # asked to cut at or past the end: still no final chunk
            self._cut(record, settings)
            return
        final = self._final(model, plan, record, load_start, prompt_start, eval_start)
        final["message"] = {"role": "assistant", "content": ""}
        record.reported = final
        self._write_chunk(final)
        self._end_body()
        record.outcome = "ok"

    def _final(
        self,
        model: str,
        plan: _Plan,
        record: RecordedRequest,
        load_start: int,
        prompt_start: int,
        eval_start: int,
    ) -> dict[str, Any]:
        end = time.perf_counter_ns()
        received_ns = int(record.received_at * 1e9)
        return {
            "model": model,
            "created_at": _now_iso(),
            "done": True,
            "done_reason": plan.done_reason,
            "total_duration": max(end - received_ns, 0),
            "load_duration": prompt_start - load_start,
            "prompt_eval_count": plan.prompt_eval_count,
            "prompt_eval_duration": eval_start - prompt_start,
            "eval_count": len(plan.pieces),
            "eval_duration": end - eval_start,
        }

    def _end_body(self) -> None:
        try:
            self.wfile.write(b"0\r\n\r\n")
        except OSError as exc:
            raise _ClientGone from exc

    def _cut(self, record: RecordedRequest, settings: StubBehaviour) -> None:
        record.outcome = "cut"
        if settings.cut_mode == "clean":
            self._end_body()
            return
        # No chunked terminator, then close: the client sees the body end mid-stream.
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _model_entry(name: str) -> dict[str, Any]:
    full = _full_name(name)
    return {
        "name": full,
        "model": full,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 3_338_801_804,
        "digest": "0" * 64,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": full.split(":", 1)[0],
            "families": [full.split(":", 1)[0]],
            "parameter_size": "4.3B",
            "quantization_level": "Q4_K_M",
        },
    }


@dataclass(frozen=True)
class _Taken:
    """The behaviour one request runs with, and whether it is hit by the configured faults."""

    settings: StubBehaviour
    fault: bool
    fail: bool


@dataclass
class OllamaStubServer:
    """An Ollama-protocol HTTP server on 127.0.0.1 in a background thread.

    Use as a context manager, or `start()` / `stop()`. Thread-safe: any number of concurrent
    streaming requests each run in their own thread and really sleep their timings.
    """

    behaviour: StubBehaviour = field(default_factory=StubBehaviour)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _requests: list[RecordedRequest] = field(default_factory=list, init=False, repr=False)
    _connections: set[socket.socket] = field(default_factory=set, init=False, repr=False)
    _httpd: _StubHTTPServer | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> OllamaStubServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _StubHTTPServer(self)
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

    # -- behaviour --------------------------------------------------------------------------

    def update(self, **changes: Any) -> StubBehaviour:
        """Change some behaviour fields for the requests that arrive from now on."""
        with self._lock:
            self.behaviour = replace(self.behaviour, **changes)
            return self.behaviour

    def _take_behaviour(self, path: str) -> _Taken:
        # Snapshot per request, and count faults down atomically across concurrent requests.
        with self._lock:
            settings = self.behaviour
            fault = path.split("?", 1)[0] in settings.fault_paths
            fail = fault and settings.fail_next > 0
            if fail:
                self.behaviour = replace(settings, fail_next=settings.fail_next - 1)
            return _Taken(settings=settings, fault=fault, fail=fail)

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
        return [r for r in self.requests if r.path == "/api/chat"]

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
    behaviour: StubBehaviour | None = None, **changes: Any
) -> Iterator[OllamaStubServer]:
    """A started stub for a `with` block or a pytest fixture; keyword args tweak the behaviour."""
    server = OllamaStubServer(replace(behaviour or StubBehaviour(), **changes))
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
