"""Helpers the benchmark modules share: tables, medians, the machine, stub server processes.

Each benchmark returns a `Table` (what it prints and what docs/benchmarks.md shows) plus a
dict of figures for the JSON. Stub servers run in child processes, like a real Ollama: a
server thread inside the measured process would compete with the agents for the GIL and
slow its own token stream exactly when the agents are busy, which is what we measure.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
EXAMPLE_DATA = REPO / "examples" / "data"

# The analyst asks for JSON (its request carries a schema), the writer for prose; the stub
# answers each accordingly so every run goes through the real parsing and checks.
ANALYST_REPLY = json.dumps(
    {
        "key_findings": [
            "gemma3:270m with num_gpu=80 reaches the highest throughput of the runs.",
            "TTFT stays near 100 ms across configurations.",
        ],
        "recommendations": ["Keep num_gpu=80 for gemma3:270m.", "Re-run the 4b baseline."],
    }
)
WRITER_REPLY = (
    "## Summary\nThroughput rises with GPU offload while TTFT stays flat.\n\n"
    "## Findings\n- Full offload gives the best tokens per second.\n"
    "- Context size barely moves TTFT.\n\n"
    "## Recommendations\n- Keep num_gpu=80.\n- Repeat the 4b baseline with a longer timeout.\n"
)


@dataclass
class Table:
    """A titled table; cells are already formatted strings."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        widths = [
            max(len(h), *(len(r[i]) for r in self.rows)) if self.rows else len(h)
            for i, h in enumerate(self.headers)
        ]
        lines = [
            self.title,
            "  ".join(h.rjust(w) for h, w in zip(self.headers, widths, strict=True)),
        ]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in self.rows]
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [
            "| " + " | ".join(self.headers) + " |",
            "|" + "|".join("---:" if i else "---" for i in range(len(self.headers))) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def report(result: dict[str, Any], table: Table, json_path: Path | None) -> int:
    """Print a benchmark's table and, if asked, write its figures as JSON; the exit code."""
    print(table.text())
    if json_path:
        json_path.write_text(json.dumps(result, indent=2))
    return 0


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def side_medians(runs: Sequence[Any], sides: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per side of a side-by-side benchmark, the medians of its runs' decode rate, TTFT, wall
    time and tokens (each run has `side`, `decode_tok_s`, `ttft_ms`, `wall_ms`, `tokens`)."""
    summary: dict[str, dict[str, float]] = {}
    for side in sides:
        mine = [r for r in runs if r.side == side]
        summary[side] = {
            "decode_tok_s": median([r.decode_tok_s for r in mine]),
            "ttft_ms": median([r.ttft_ms for r in mine]),
            "wall_ms": median([r.wall_ms for r in mine]),
            "tokens": median([r.tokens for r in mine]),
        }
    return summary


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """25th and 75th percentiles (inclusive method): the spread shown beside a median."""
    if len(values) < 2:
        v = values[0] if values else math.nan
        return v, v
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:,.{digits}f}"


def goal(met: bool) -> str:
    return "met" if met else "MISSED"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, Any]:
    """The machine as `nproc`, `lscpu | head`, `free -h` and Python describe it."""
    lscpu = _run(["lscpu"]).splitlines()
    versions = {}
    for dist in ("chimera-agents", "langgraph", "langchain-core", "langchain-ollama", "pandas"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return {
        "nproc": _run(["nproc"]) or str(os.cpu_count()),
        "lscpu_head": lscpu[:10],
        "cpu_model": next(
            (ln.split(":", 1)[1].strip() for ln in lscpu if ln.startswith("Model name")), ""
        ),
        "free_h": _run(["free", "-h"]).splitlines(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _status_mb(field: str) -> float:
    """One memory field of /proc/self/status (e.g. VmHWM, VmRSS), MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return math.nan


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), MB."""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), MB."""
    return _status_mb("VmRSS")


# --- stub Ollama servers in child processes ----------------------------------------------


@dataclass
class StubProcess:
    """A stub Ollama server in its own process; `stats` is filled in when it stops."""

    url: str
    proc: subprocess.Popen[str]
    stats: dict[str, Any] = field(default_factory=dict)

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.close()  # the child reports and exits when its stdin closes
            out = self.proc.stdout.read()
            self.proc.wait(timeout=10)
            if out.strip():
                self.stats = json.loads(out.strip().splitlines()[-1])


def start_stub(behaviour: dict[str, Any]) -> StubProcess:
    """Start `benchmarks/stub_server.py` with a StubBehaviour's fields; returns once it listens."""
    proc = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "stub_server.py"), json.dumps(behaviour)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("http://"):
        proc.kill()
        raise RuntimeError(f"stub server did not start: {line!r}")
    return StubProcess(url=line.strip(), proc=proc)


@contextmanager
def stub_servers(count: int, behaviour: dict[str, Any]) -> Iterator[list[StubProcess]]:
    """`count` stub servers, each in its own process, stopped (and reporting) at exit."""
    with ExitStack() as stack:
        servers: list[StubProcess] = []
        for _ in range(count):
            server = start_stub(behaviour)
            stack.callback(server.stop)
            servers.append(server)
        yield servers


def quiet_logging() -> None:
    """Chimera logs each run at info level on stderr; a benchmark only wants its warnings."""
    from chimera.logging import configure_logging

    configure_logging(level="warning")
