"""A headless Chromium driven over the DevTools protocol, for the page tests.

No Node and no browser download: the system's Chromium (Debian's `chromium`, installed by
.ci/run) is started with `--remote-debugging-port=0`, and this module speaks CDP to it over
a WebSocket. For each page it records every network request, every console message and
uncaught exception, evaluates expressions in the page and takes full-page screenshots.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CANDIDATES = ("chromium", "chromium-headless-shell", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """CHIMERA_CHROMIUM, else the first Chromium on PATH."""
    explicit = os.environ.get("CHIMERA_CHROMIUM")
    if explicit:
        return explicit
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


@dataclass
class PageLoad:
    """What happened while one page loaded."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    exceptions: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [t for level, t in self.console if level in ("error", "assert")] + self.exceptions

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page itself."""
        return [u for u in self.requests if u.split("#")[0] != self.url.split("#")[0]]


class Browser:
    """One Chromium process and one tab, reused for every page of a test session."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="chimera-chromium-")
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or len(port_file.read_text().split()) < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{executable} did not open its DevTools port")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        self._stack = ExitStack()  # the socket lives as long as the browser
        self.ws = self._stack.enter_context(
            connect(f"ws://127.0.0.1:{port}{path}", max_size=64 * 1024 * 1024)
        )
        self._id = 0
        self._events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=True)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: bool = False,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _drain(self, until: str | None, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until and any(e.get("method") == until for e in self._events):
                return
            try:
                self._events.append(json.loads(self.ws.recv(timeout=0.2)))
            except TimeoutError:
                if until is None:
                    return
        if until:
            raise TimeoutError(f"no {until} within {timeout} s")

    def load(self, path: Path, width: int = 1200) -> PageLoad:
        """Open `path` from file:// and record what it asked for and what it logged."""
        url = path.resolve().as_uri()
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )
        self._events.clear()
        self.send("Page.navigate", {"url": url}, session=True)
        self._drain("Page.loadEventFired", 30)
        self._drain(None, 0.5)  # late console messages and requests
        load = PageLoad(url)
        for event in self._events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                load.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                text = " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params["args"]
                )
                load.console.append((params["type"], text))
            elif method == "Log.entryAdded":
                load.console.append((params["entry"]["level"], params["entry"]["text"]))
            elif method == "Runtime.exceptionThrown":
                load.exceptions.append(json.dumps(params["exceptionDetails"])[:500])
        return load

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def count(self, selector: str) -> int:
        return int(self.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length"))

    def texts(self, selector: str) -> list[str]:
        return list(
            self.evaluate(
                f"Array.from(document.querySelectorAll({json.dumps(selector)}), e => e.textContent)"
            )
        )

    def screenshot(self, path: Path, max_height: int | None = None) -> Path:
        """The whole page (or its top `max_height` CSS pixels) as a PNG."""
        metrics = self.send("Page.getLayoutMetrics", session=True)
        size = metrics["cssContentSize"]
        height = size["height"] if max_height is None else min(size["height"], max_height)
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1},
            },
            session=True,
            timeout=60,
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        stack = getattr(self, "_stack", None)
        if stack is not None:
            stack.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
