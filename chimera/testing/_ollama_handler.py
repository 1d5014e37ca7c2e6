"""The Ollama stub's HTTP side: routing, chunked NDJSON streaming, real sleeps and injected faults.

One `OllamaHandler` runs per connection in its own thread. It reads its behaviour from the
owning stub server (`StubOwner`) once per request and records what happened on a `RecordedRequest`.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from chimera.testing._ollama_payloads import (
    STUB_VERSION,
    ChatPlan,
    final_chunk,
    model_entry,
    plan_chat,
    show_body,
    status_phrase,
    token_chunk,
)
from chimera.testing._openai_routes import CHAT_PATH, models_body, serve_chat
from chimera.testing._speed_model import ChatTiming
from chimera.testing._stub_models import (
    RecordedRequest,
    StubBehaviour,
    StubOwner,
    TakenBehaviour,
)


class StubHTTPServer(ThreadingHTTPServer):
    """The listening socket on 127.0.0.1 (a free port unless one is asked), tied to its stub."""

    daemon_threads = True
    # Never wait for handler threads on close: a hanging handler would stall stop().
    block_on_close = False
    request_queue_size = 128

    def __init__(self, stub: StubOwner, port: int = 0) -> None:
        self.stub = stub
        super().__init__(("127.0.0.1", port), OllamaHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a cut reply, a cancelled run) is normal, not a stub fault.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ClientGone(Exception):
    """The client closed its end (timeout, cancel) while we were still answering."""


class OllamaHandler(BaseHTTPRequestHandler):
    """Answers Ollama's endpoints as the current `StubBehaviour` says."""

    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as Ollama's Go server
    # How a run knows the stub answered it (chimera.backends.base.STUB_SERVER_NAME; production
    # code does not import this package, so the name is spelled twice and a test ties them).
    server_version = "OllamaStub"
    # Without it Nagle + delayed ACK can hold small token chunks back ~40 ms.
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections do not live forever

    @property
    def stub(self) -> StubOwner:
        return cast(StubHTTPServer, self.server).stub

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
        record.status = status
        if self._drip_s <= 0:
            self.wfile.write(data)
            return
        for i in range(len(data)):  # a byte at a time: each read finishes, the body never
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            self._sleep(self._drip_s)

    def _start_stream(self, record: RecordedRequest, content_type: str) -> None:
        """A 200 whose body follows in chunks (Ollama's NDJSON, the OpenAI API's SSE)."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        record.status = 200

    def _write_chunk(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode() + b"\n"
        try:
            # One write per chunk: size line, data and CRLF leave in a single segment.
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        except OSError as exc:
            raise ClientGone from exc

    def _write_sse(self, data: bytes) -> None:
        """One Server-Sent Event as one HTTP chunk (the OpenAI-compatible stream)."""
        try:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        except OSError as exc:
            raise ClientGone from exc

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self.stub._stopping.wait(seconds):
            raise ClientGone  # the server is stopping: abandon the request

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
        record.authorization = self.headers.get("Authorization")
        recorded = False
        try:
            try:
                record.body = self._read_body() if method == "POST" else None
            except (ValueError, UnicodeDecodeError):
                self.stub._record(record)
                recorded = True
                self._send_json(record, 400, {"error": "invalid JSON body"})
                record.outcome = "bad_request"
                return
            behaviour = self.stub._take_behaviour(self.path)
            # Listed once its behaviour is taken: a test that changes the behaviour when it
            # sees a request changes it for the requests after that one, never for it.
            self.stub._record(record)
            recorded = True
            self._route(method, record, behaviour)
        except (ClientGone, OSError):
            record.outcome = "client_gone"  # or the server is stopping
            self.close_connection = True
            if not recorded:
                self.stub._record(record)
        finally:
            record.finished_at = time.perf_counter()

    _drip_s = 0.0

    def _route(self, method: str, record: RecordedRequest, behaviour: TakenBehaviour) -> None:
        path = self.path.split("?", 1)[0]
        self._drip_s = behaviour.settings.drip_s if behaviour.fault else 0.0
        if behaviour.fault:
            self._sleep(behaviour.settings.hang_s)
            if behaviour.fail:
                status = behaviour.settings.fail_status
                message = f"simulated failure: {status_phrase(status)}"
                self._send_json(record, status, {"error": message})
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
        elif method == "GET" and path == "/api/ps":
            lies = settings.ps_models
            self._send_json(record, 200, {"models": self.stub._ps() if lies is None else lies})
            record.outcome = "ok"
        elif method == "GET" and path == "/api/tags":
            self._send_json(record, 200, {"models": [model_entry(m) for m in settings.models]})
            record.outcome = "ok"
        elif method == "POST" and path == "/api/show":
            self._show(record, settings)
        elif method == "POST" and path == "/api/chat":
            self._chat(record, behaviour)
        elif method == "GET" and path == "/v1/models":
            self._send_json(record, 200, models_body(settings.models))
            record.outcome = "ok"
        elif method == "POST" and path == CHAT_PATH:
            serve_chat(self, record, behaviour)
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
        self._send_json(record, 200, show_body(name, settings.context_length))
        record.outcome = "ok"

    # -- /api/chat --------------------------------------------------------------------------

    def _chat(self, record: RecordedRequest, behaviour: TakenBehaviour) -> None:
        settings = behaviour.settings
        request = record.body if isinstance(record.body, dict) else {}
        model = str(request.get("model") or "")
        if not settings.has_model(model):
            self._model_missing(record, model)
            return
        try:
            plan = plan_chat(request, settings)
        except Exception as exc:  # a broken reply function should fail loudly, not hang
            self._send_json(record, 500, {"error": f"stub reply function failed: {exc!r}"})
            record.outcome = "failed"
            return
        timing = self.stub._start_chat(model, dict(request.get("options") or {}), settings)
        try:
            self._stream_chat(record, behaviour, request, plan, timing)
        finally:
            self.stub._end_chat()

    def _stream_chat(
        self,
        record: RecordedRequest,
        behaviour: TakenBehaviour,
        request: dict[str, Any],
        plan: ChatPlan,
        timing: ChatTiming,
    ) -> None:
        settings = behaviour.settings
        model = str(request.get("model") or "")
        cut_after = settings.cut_after_tokens if behaviour.fault else None
        stream = request.get("stream", True) is not False

        load_start = time.perf_counter_ns()
        self._sleep(timing.load_s)
        prompt_start = time.perf_counter_ns()
        self._sleep(timing.first_token_delay_s)
        eval_start = time.perf_counter_ns()
        deadline = time.perf_counter()

        def final(whole_reply: bool) -> dict[str, Any]:
            return final_chunk(
                model,
                plan,
                received_at=record.received_at,
                load_start=load_start,
                prompt_start=prompt_start,
                eval_start=eval_start,
                whole_reply=whole_reply,
            )

        if not stream:
            for _ in plan.pieces:  # token by token: a shared GPU's slowdown changes as chats come
                deadline += self.stub._token_delay(timing, settings)
                self._sleep_until(deadline)
            reported = final(whole_reply=True)
            record.reported = reported
            self._send_json(record, 200, reported)
            record.outcome = "ok"
            return

        self._start_stream(record, "application/x-ndjson")
        for i, piece in enumerate(plan.pieces):
            if cut_after is not None and i >= cut_after:
                self._cut(record, settings)
                return
            # Deadlines from one base keep per-token sleep overhead from accumulating.
            deadline += self.stub._token_delay(timing, settings)
            self._sleep_until(deadline)
            self._write_chunk(token_chunk(model, piece))
        if cut_after is not None:  # asked to cut at or past the end: still no final chunk
            self._cut(record, settings)
            return
        reported = final(whole_reply=False)
        record.reported = reported
        self._write_chunk(reported)
        self._end_body()
        record.outcome = "ok"

    def _end_body(self) -> None:
        try:
            self.wfile.write(b"0\r\n\r\n")
        except OSError as exc:
            raise ClientGone from exc

    def _cut(self, record: RecordedRequest, settings: StubBehaviour) -> None:
        record.outcome = "cut"
        if settings.cut_mode == "clean":
            self._end_body()
            return
        # No chunked terminator, then close: the client sees the body end mid-stream.
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
