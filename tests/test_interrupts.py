"""Ctrl-C stops promptly and says how to go on, in a run's ingest and in a comparison.

A digest runs in a thread, which cancelling the waiting run does not stop; the interpreter
then waits for it (10-16 s for 5,000 files before). The cache tells the thread to stop
when the last run waiting for it is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chimera.config.agent import IngestOptions
from chimera.ingest.cache import IngestCache
from chimera.testing.ollama_server import reply_by_format, serve_ollama_stub

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
ANALYST_JSON = '{"key_findings": ["Steady."], "recommendations": ["Keep warm."]}'


def many_files(root: Path, count: int) -> Path:
    root.mkdir()
    for i in range(count):
        (root / f"run_{i:03d}.csv").write_text(f"model,tokens_per_s\nm{i},{i + 1}\n")
    return root


def test_cancelling_the_only_run_waiting_for_a_digest_stops_the_digest(tmp_path: Path) -> None:
    root = many_files(tmp_path / "data", 40)
    seen: list[int] = []
    reached, release = threading.Event(), threading.Event()

    def on_file(done: int, total: int) -> None:  # runs in the digest's thread
        seen.append(done)
        if done == 3:
            reached.set()
            release.wait(30)

    async def scenario() -> None:
        cache = IngestCache()
        run = asyncio.ensure_future(cache.ingest(root, IngestOptions(), on_file))
        assert await asyncio.to_thread(reached.wait, 30)
        run.cancel()  # what Ctrl-C does to the run
        with contextlib.suppress(asyncio.CancelledError):
            await run
        release.set()

    asyncio.run(scenario())  # returns once the loop's threads have ended
    assert seen and max(seen) <= 4, f"the digest went on to file {max(seen)} of 40"


def test_a_second_run_still_waiting_keeps_the_digest_going(tmp_path: Path) -> None:
    root = many_files(tmp_path / "data", 10)
    reached, release = threading.Event(), threading.Event()

    def on_file(done: int, total: int) -> None:
        if done == 3:
            reached.set()
            release.wait(30)

    async def scenario() -> int:
        cache = IngestCache()
        first = asyncio.ensure_future(cache.ingest(root, IngestOptions(), on_file))
        await asyncio.to_thread(reached.wait, 30)
        second = asyncio.ensure_future(cache.ingest(root, IngestOptions()))
        await asyncio.sleep(0.05)  # the second run is waiting for the same digest
        first.cancel()
        release.set()
        data = await second
        return data.inventory.total_files

    assert asyncio.run(scenario()) == 10


def test_ctrl_c_during_a_comparison_says_how_to_resume(tmp_path: Path) -> None:
    reply = reply_by_format(ANALYST_JSON, "## Summary\nSteady.\n")
    with serve_ollama_stub(reply=reply, tokens=20, token_delay_s=0.1) as server:
        configs = []
        for name in ("A", "B"):
            path = tmp_path / f"{name}.yaml"
            path.write_text(f"name: {name}\nbackend: ollama\nbase_url: {server.url}\n")
            configs.append(path)
        out = tmp_path / "cmp"
        proc = subprocess.Popen(
            [sys.executable, "-m", "chimera", "compare", str(EXAMPLE)]
            + ["--a", str(configs[0]), "--b", str(configs[1]), "--runs", "3", "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 60
        while len(server.chat_requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    [line] = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert f"chimera resume {folder}" in line


@pytest.mark.slow  # over 10 s: `pytest --all` (and CI) runs it
def test_a_resumed_report_counts_every_session_and_says_it_was_resumed(tmp_path: Path) -> None:
    import json

    reply = reply_by_format(ANALYST_JSON, "## Summary\nSteady.\n")
    with serve_ollama_stub(reply=reply, tokens=20, token_delay_s=0.1) as server:
        config = tmp_path / "slow.yaml"
        config.write_text(f"name: Slow\nbackend: ollama\nbase_url: {server.url}\n")
        out = tmp_path / "runs"
        proc = subprocess.Popen(
            [sys.executable, "-m", "chimera", "run", str(EXAMPLE), "-c", str(config)]
            + ["-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while len(server.chat_requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # the analyst has finished; the writer streams
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
        (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
        first = json.loads((run_dir / "run.json").read_text())
        server.update(token_delay_s=0.0)
        done = subprocess.run(
            [sys.executable, "-m", "chimera", "resume", str(run_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    final = json.loads((run_dir / "run.json").read_text())
    assert final["sessions"] == 2
    assert final["earlier_wall_s"] == first["wall_s"]
    total = final["earlier_wall_s"] + final["wall_s"]
    assert total >= sum(final["node_timings"].values())  # no stage longer than the whole
    report = (run_dir / "report.md").read_text()
    assert "**Resumed:** yes, 2 sessions" in report
    assert f"in the last of 2 sessions (resumed from a checkpoint; {total:.2f}s in all)" in report


def test_a_cancelled_model_call_stays_cancelled_whenever_the_cancel_lands() -> None:
    """Ctrl-C cancels the run's task; a model call must not swallow that cancellation, even
    one that lands as its stream ends (Python 3.11's wait_for did: the run went on and the
    comparison exited 0). Cancelled after 0, 1, 2, ... turns of the loop, the call either
    finished before the cancel or ends cancelled."""
    from langchain_core.messages import HumanMessage

    from chimera.backends.base import measured_call
    from chimera.backends.fake import FakeBackend

    async def scenario() -> list[str]:
        outcomes = []
        for turns in range(12):
            call = asyncio.ensure_future(
                measured_call(
                    FakeBackend(), [HumanMessage("hi")], node="t", timeout_s=30, num_ctx=None
                )
            )
            for _ in range(turns):
                await asyncio.sleep(0)
            if call.done():
                outcomes.append("finished first")
                continue
            call.cancel()
            try:
                await call
                outcomes.append("cancel swallowed")
            except asyncio.CancelledError:
                outcomes.append("cancelled")
        return outcomes

    outcomes = asyncio.run(scenario())
    assert "cancel swallowed" not in outcomes, outcomes
    assert "cancelled" in outcomes and "finished first" in outcomes  # both sides were tried
