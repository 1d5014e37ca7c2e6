"""A real OpenAI-compatible inference server for tests and benchmarks: llama-cpp-python's
own (`python -m llama_cpp.server`, its `server` extra, started through
`chimera.backends.serve_llama_cpp` so its weights sit in plain CPU buffers) serving a GGUF on a
free loopback port.

    with serve_llama_cpp(default_model_path(), alias="gemma3-270m") as server:
        config = AgentConfig(..., backend="openai", base_url=server.url, model=server.alias)

The server runs in a child process: it can be killed mid-stream (`kill`) and started again
on the same port (`start`). Its log (uvicorn's access lines included) goes to a file.

`OMP_WAIT_POLICY=PASSIVE` by default: the server decodes each token on whichever thread of
its pool is free, and llama.cpp's OpenMP build keeps a team of spinning threads for each
of them; on 2 cores those teams starve each other (measured: 4-7x slower decode, see
benchmarks/bench_openai.py). `env={}` runs the server as it comes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# Gemma 3 270M is a base model without a chat template; this is Gemma's turn format.
DEFAULT_CHAT_FORMAT = "gemma"
READY_TIMEOUT_S = 180.0


def free_port() -> int:
    """A port nothing listens on right now (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LlamaCppServer:
    """llama-cpp-python's server in a child process, on 127.0.0.1."""

    model_path: Path
    alias: str
    log_path: Path
    port: int = field(default_factory=free_port)
    n_ctx: int = 4096
    n_threads: int = os.cpu_count() or 1
    chat_format: str = DEFAULT_CHAT_FORMAT
    env: dict[str, str] = field(default_factory=lambda: {"OMP_WAIT_POLICY": "PASSIVE"})
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The OpenAI API's base URL, e.g. `http://127.0.0.1:40123/v1`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaCppServer:
        """Start the server and wait until it lists its model (a RuntimeError if it does not)."""
        command = [
            # llama_cpp.server itself, its weights in plain CPU buffers (see serve_llama_cpp)
            sys.executable, "-m", "chimera.backends.serve_llama_cpp",
            "--model", str(self.model_path), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
            "--chat_format", self.chat_format,
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env}
            )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited at start:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer in {READY_TIMEOUT_S:g} s")

    def kill(self) -> None:
        """SIGKILL: the server dies as a crash would, mid-answer if it was answering."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def chat_requests(self) -> int:
        """Chat requests the server has started answering (uvicorn logs each response start)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text.count('"POST /v1/chat/completions HTTP/1.1" 200')

    def log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def serve_llama_cpp(
    model_path: Path, *, alias: str, log_path: Path, **settings: object
) -> Iterator[LlamaCppServer]:
    """A started server for a `with` block or a fixture; stopped (or killed) at its end."""
    server = LlamaCppServer(model_path, alias, log_path, **settings)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()
