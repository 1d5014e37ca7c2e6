"""Sweep cost: Chimera's own time per cell beyond the model calls, and a 3x3 grid on the stub.

The stub Ollama server runs in a child process (as a real Ollama would) with its speed
model: tok/s from num_gpu (48 layers), prefill from num_ctx, a load after every change of
runner options. Two measurements:

1. Overhead. A 2x2 grid (num_gpu 16,48 x num_ctx 1024,4096, plus the base) with short
   replies. Per run: its wall minus its model calls' client-side walls (graph, prompt
   fitting, metrics, verify, run.json and report.md); per run outside the graph: the sweep's
   dispatch wall minus the sum of its runs' walls, over the runs (host slot, run folder,
   the /api/ps probe, the journal line); per cell: both, times the runs of a cell; and once
   per sweep: validating the plan, and writing the summary (statistics, summary.md/.csv/
   .json, three charts, best.yaml).
2. The issue's 3x3 grid (num_gpu 16,32,48 x num_ctx 1024,2048,4096) x 3 runs: total wall,
   the model calls' share of it, the winner (the speed model makes num_gpu=48,
   num_ctx=1024 fastest) and the cells flagged as partly on CPU (num_gpu 16 and 32).

    .venv/bin/python benchmarks/bench_sweep.py [--smoke] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import (
    ANALYST_REPLY,
    EXAMPLE_DATA,
    WRITER_REPLY,
    Table,
    fmt,
    load_average,
    median,
    quartiles,
    quiet_logging,
    report,
    stub_servers,
)

from chimera.config.agent import AgentConfig
from chimera.sweep.execution import asweep, plan_sweep
from chimera.sweep.plan import SweepPlan
from chimera.sweep.records import read_journal
from chimera.sweep.results import aggregate
from chimera.sweep.summary import write_outputs

WINNER = "gpu48_ctx1024"


@dataclass(frozen=True)
class Settings:
    overhead_grid: tuple[str, ...] = ("num_gpu=16,48", "num_ctx=1024,4096")
    overhead_runs: int = 3
    overhead_tokens: int = 3
    grid: tuple[str, ...] = ("num_gpu=16,32,48", "num_ctx=1024,2048,4096")
    grid_runs: int = 3
    grid_tokens: int = 30
    gpu_tok_s: float = 400.0
    load_s: float = 0.2


SMOKE = Settings(
    overhead_grid=("num_gpu=16,48",),
    overhead_runs=1,
    grid=("num_gpu=16,48", "num_ctx=1024,4096"),
    grid_runs=1,
    grid_tokens=5,
    load_s=0.02,
)


def _stub(settings: Settings, tokens: int) -> dict[str, Any]:
    return {
        "analyst_reply": ANALYST_REPLY,
        "writer_reply": WRITER_REPLY,
        "tokens": tokens,
        "speed": {
            "layers": 48,
            "gpu_tok_s": settings.gpu_tok_s,
            "cpu_tok_s": 40.0,
            "load_s": settings.load_s,
        },  # fmt: skip
    }


def _config(url: str) -> AgentConfig:
    return AgentConfig(name="Bench Sweep", backend="ollama", base_url=url, timeout_s=120)


async def _sweep(url: str, grid: tuple[str, ...], runs: int, out: Path) -> dict[str, Any]:
    start = time.perf_counter()
    plan = plan_sweep(EXAMPLE_DATA, _config(url), grid=list(grid), runs=runs)
    plan_s = time.perf_counter() - start
    start = time.perf_counter()
    result = await asweep(plan, out=out)
    sweep_s = time.perf_counter() - start
    folder = Path(result.out_dir or "")
    records = sorted(read_journal(folder).values(), key=lambda r: r.started_offset_s)
    # One host, one run at a time: from one run's end to the next run's start is the
    # sweep's own work between runs (run.json and report.md, /api/ps, journal, next folder).
    gaps = [
        later.started_offset_s - (run.started_offset_s + run.wall_s)
        for run, later in zip(records, records[1:], strict=False)
    ]
    run_walls, model_s, beyond = [], [], []
    for record in records:
        saved = json.loads((folder / record.run_dir / "run.json").read_text())
        calls = sum(c["wall_ms"] for c in saved["llm_calls"]) / 1000
        run_walls.append(record.wall_s)
        model_s.append(calls)
        beyond.append(record.wall_s - calls)
    # The summary once more, timed on its own (aggregate + every output file).
    start = time.perf_counter()
    again = folder.parent / f"{folder.name}-summary-timing"
    again.mkdir()
    reread = SweepPlan.model_validate_json((folder / "plan.json").read_text())
    write_outputs(
        aggregate(reread, records, sweep_id=folder.name, started_at=datetime.now(UTC),
                  out_dir=again),
        again,
    )  # fmt: skip
    summary_s = time.perf_counter() - start
    flagged = sorted(c.label for c in result.cells if any("partly on CPU" in f for f in c.flags))
    return {
        "cells": len(plan.cells),
        "runs": len(records),
        "plan_s": plan_s,
        "sweep_s": sweep_s,
        "digest_s": result.data_digest_s,
        "run_walls_s": run_walls,
        "model_calls_s": model_s,
        "beyond_model_s": beyond,
        "between_runs_s": gaps,
        # What is left once: the model checks, the digest, the summary (first chart included).
        "fixed_s": sweep_s - sum(run_walls) - sum(gaps),
        "summary_s": summary_s,
        "best": result.best,
        "best_verdict": None if result.best_verdict is None else result.best_verdict.verdict,
        "flagged_partly_on_cpu": flagged,
    }


def run(settings: Settings) -> dict[str, Any]:
    quiet_logging()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        with stub_servers(1, _stub(settings, settings.overhead_tokens)) as (server,):
            overhead = asyncio.run(
                _sweep(server.url, settings.overhead_grid, settings.overhead_runs, Path(tmp) / "o")
            )
        with stub_servers(1, _stub(settings, settings.grid_tokens)) as (server,):
            grid = asyncio.run(
                _sweep(server.url, settings.grid, settings.grid_runs, Path(tmp) / "g")
            )
    runs_per_cell = settings.overhead_runs
    beyond = overhead["beyond_model_s"]
    between = overhead["between_runs_s"]
    low, high = quartiles(beyond)
    return {
        "settings": settings.__dict__,
        "load_avg_before": load_before,
        "load_avg_after": load_average(),
        "overhead": {
            **overhead,
            "beyond_model_ms_median": median(beyond) * 1000,
            "beyond_model_ms_p25": low * 1000,
            "beyond_model_ms_p75": high * 1000,
            "between_runs_ms_median": median(between) * 1000 if between else 0.0,
            "per_cell_ms": (median(beyond) + (median(between) if between else 0.0))
            * runs_per_cell
            * 1000,
            "runs_per_cell": runs_per_cell,
        },
        "grid": {
            **grid,
            "model_share_pct": sum(grid["model_calls_s"]) / grid["sweep_s"] * 100,
            "winner_expected": WINNER,
            "winner_ok": grid["best"] == WINNER,
        },
    }


def table(result: dict[str, Any]) -> Table:
    o, g = result["overhead"], result["grid"]
    out = Table(
        "Sweep: Chimera's own time and a grid on the stub",
        ["measure", "value", "note"],
    )
    out.rows += [
        [
            "per run, beyond model calls",
            f"{fmt(o['beyond_model_ms_median'])} ms",
            f"median of {o['runs']} runs (p25 {fmt(o['beyond_model_ms_p25'])},"
            f" p75 {fmt(o['beyond_model_ms_p75'])})",
        ],
        [
            "per run, between runs",
            f"{fmt(o['between_runs_ms_median'])} ms",
            "median: saving the run, /api/ps probe, journal line",
        ],
        [
            "per cell",
            f"{fmt(o['per_cell_ms'])} ms",
            f"{o['runs_per_cell']} runs, both of the above",
        ],
        ["validate the plan", f"{fmt(o['plan_s'] * 1000)} ms", f"{o['cells']} cells"],
        [
            "once per sweep",
            f"{fmt(o['fixed_s'] * 1000)} ms",
            "model checks, the digest, the summary",
        ],
        [
            "write the summary",
            f"{fmt(o['summary_s'] * 1000)} ms",
            "statistics, summary.md/.csv/.json, 3 charts, best.yaml",
        ],
        [
            f"grid: {g['cells']} cells x {g['runs'] // g['cells']} runs",
            f"{fmt(g['sweep_s'])} s",
            f"model calls {fmt(g['model_share_pct'])} % of it; digest {fmt(g['digest_s'], 2)} s",
        ],
        [
            "grid: winner",
            str(g["best"]),
            f"expected {g['winner_expected']} ({'ok' if g['winner_ok'] else 'WRONG'})",
        ],
        ["grid: partly on CPU", ", ".join(g["flagged_partly_on_cpu"]) or "none", ""],
    ]
    out.notes.append(f"best vs base: {g['best_verdict']}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny grids, one run per cell")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(SMOKE if args.smoke else Settings())
    given = sys.argv[1:] if argv is None else argv
    result["command"] = " ".join([".venv/bin/python benchmarks/bench_sweep.py", *given])
    result["took_s"] = time.perf_counter() - started
    result["date_utc"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return report(result, table(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
