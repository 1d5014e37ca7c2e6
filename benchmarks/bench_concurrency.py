"""Concurrency efficiency: N agents run their full graphs at once against stub Ollama servers.

Every chat call streams a fixed number of tokens at a fixed rate (40 x 25 ms = 1 s), so a
run's model time is known. For each N and layout (one server for all agents, or one per
agent, each server its own process as a real Ollama would be), a repetition runs the N
agents one at a time (solo), then all at once with `asyncio.gather(execute(...))`;
alternate repetitions reverse that order so drift hits both sides alike.

    speedup    = sum of the N solo walls / concurrent wall
    efficiency = speedup / N
    (chimera.statistics.concurrency_figures, as `chimera compare` reports them)

The agents' own CPU work (ingest's pandas digest, prompt building, verify) holds the GIL, so
N agents queue for one interpreter: concurrency costs about (N - 1) x the CPU time of a run.
The table shows that CPU time, measured in the solo runs, beside the time lost, so the gap
to ideal is explained by measurement rather than by guess.

    .venv/bin/python benchmarks/bench_concurrency.py [--smoke] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    ANALYST_REPLY,
    EXAMPLE_DATA,
    WRITER_REPLY,
    Table,
    fmt,
    goal,
    load_average,
    median,
    quiet_logging,
    report,
    stub_servers,
)
from calculations import concurrency_goals, cpu_per_run
from langgraph.graph.state import CompiledStateGraph

from chimera.backends.ollama import OllamaBackend
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
from chimera.execution.result import RunResult
from chimera.execution.runner import execute, prepare
from chimera.graphs.insight import compile_insight_graph
from chimera.ingest.cache import IngestCache
from chimera.statistics import concurrency_figures

GOALS = {2: 99.5, 8: 97.0}  # efficiency %, from the issue


@dataclass(frozen=True)
class Settings:
    counts: tuple[int, ...] = (1, 2, 4, 8)
    layouts: tuple[str, ...] = ("shared", "per-agent")
    tokens: int = 40
    token_delay_s: float = 0.025
    reps: int = 3
    data_dir: Path = EXAMPLE_DATA
    # Rows where every run digests the folder itself (no shared IngestCache), as before
    # the cache existed: the before/after of sharing, measured in the same invocation.
    per_run_ingest_counts: tuple[int, ...] = (2, 8)
    # One extra row at model-like call lengths (10 s a call), where the study's 99.25 %
    # was measured: N=2, one server per agent, one repetition (a minute).
    long_tokens: int = 400
    long_n: int = 2


SMOKE = Settings(
    counts=(1, 2),
    tokens=3,
    token_delay_s=0.005,
    reps=1,
    long_tokens=6,
    per_run_ingest_counts=(2,),
)


@dataclass(frozen=True)
class Agent:
    config: AgentConfig
    personas: PersonaLibrary
    backend: OllamaBackend
    graph: CompiledStateGraph | None  # compiled once, as `chimera compare` does; None: per run


async def make_agent(i: int, url: str, *, compile_once: bool = True) -> Agent:
    config = AgentConfig(name=f"agent-{i}", base_url=url, timeout_s=120)
    # Each agent its own backend, as `chimera compare` gives each variant.
    agent, personas, backend = await prepare(config, backend=OllamaBackend(config, url))
    assert isinstance(backend, OllamaBackend)
    graph = compile_insight_graph(agent.retries) if compile_once else None
    return Agent(agent, personas, backend, graph)


async def run_agent(agent: Agent, data_dir: Path, cache: IngestCache | None) -> RunResult:
    return await execute(
        agent.config,
        agent.personas,
        agent.backend,
        data_dir,
        ingest_cache=cache,
        graph=agent.graph,
    )


async def timed_run(
    agent: Agent, data_dir: Path, cache: IngestCache | None
) -> tuple[float, RunResult]:
    start = time.perf_counter()
    result = await run_agent(agent, data_dir, cache)
    return time.perf_counter() - start, result


def _check(results: list[RunResult]) -> None:
    failed = [f"{r.config.name}: {r.error}" for r in results if not r.ok]
    if failed:
        raise RuntimeError("benchmark runs failed: " + "; ".join(failed))


async def one_rep(
    agents: list[Agent], data_dir: Path, solo_first: bool, cache: IngestCache | None
) -> dict[str, Any]:
    async def solo() -> tuple[list[float], list[RunResult], float]:
        cpu = time.process_time()
        walls, results = [], []
        for agent in agents:
            wall, result = await timed_run(agent, data_dir, cache)
            walls.append(wall)
            results.append(result)
        return walls, results, time.process_time() - cpu

    async def together() -> tuple[float, list[RunResult]]:
        start = time.perf_counter()
        results = await asyncio.gather(*(run_agent(a, data_dir, cache) for a in agents))
        return time.perf_counter() - start, list(results)

    if solo_first:
        walls, solo_results, solo_cpu = await solo()
        wall, conc_results = await together()
    else:
        wall, conc_results = await together()
        walls, solo_results, solo_cpu = await solo()
    _check(solo_results + conc_results)
    figures = concurrency_figures(walls, wall)

    def node(results: list[RunResult], name: str) -> float:
        return median([r.node_timings.get(name, 0.0) for r in results])

    def llm_s(results: list[RunResult]) -> float:
        return median([sum(c.wall_ms for c in r.llm_calls) / 1000 for r in results])

    return {
        "solo_walls_s": walls,
        "concurrent_wall_s": wall,
        "speedup": figures.speedup,
        "efficiency_pct": figures.efficiency_pct,
        "cpu_per_run_s": solo_cpu / len(agents),
        "lost_s": wall - max(walls),
        "solo_ingest_s": node(solo_results, "ingest"),
        "concurrent_ingest_s": node(conc_results, "ingest"),
        "solo_llm_s": llm_s(solo_results),
        "concurrent_llm_s": llm_s(conc_results),
    }


async def measure(
    n: int,
    layout: str,
    settings: Settings,
    *,
    tokens: int | None = None,
    reps: int | None = None,
    shared_ingest: bool = True,
) -> dict[str, Any]:
    tokens = tokens or settings.tokens
    behaviour = {
        "tokens": tokens,
        "token_delay_s": settings.token_delay_s,
        "analyst_reply": ANALYST_REPLY,
        "writer_reply": WRITER_REPLY,
    }
    with stub_servers(1 if layout == "shared" else n, behaviour) as servers:
        agents = [
            await make_agent(
                i, servers[0 if layout == "shared" else i].url, compile_once=shared_ingest
            )
            for i in range(n)
        ]
        # As `chimera compare` does: one cache for every run, filled before the first
        # measured run (here by the warm-up), so solo and concurrent runs reuse one digest.
        cache = IngestCache() if shared_ingest else None
        await timed_run(agents[0], settings.data_dir, cache)  # warm-up: imports, connections
        reps = [
            await one_rep(agents, settings.data_dir, rep % 2 == 0, cache)
            for rep in range(reps or settings.reps)
        ]
    peak = max(s.stats.get("peak_concurrency", 0) for s in servers)
    best = max(reps, key=lambda r: r["efficiency_pct"])
    keys = [k for k in reps[0] if k != "solo_walls_s"]
    row: dict[str, Any] = {
        "layout": layout,
        "n": n,
        "reps": len(reps),
        "ingest": "shared" if shared_ingest else "per run",
    }
    row |= {k: median([r[k] for r in reps]) for k in keys}
    row |= {
        "solo_wall_sum_s": median([sum(r["solo_walls_s"]) for r in reps]),
        "best_efficiency_pct": best["efficiency_pct"],
        "peak_server_concurrency": peak,
        "call_s": tokens * settings.token_delay_s,
        "cpu_model_lost_s": (n - 1) * row["cpu_per_run_s"],
        "per_rep": reps,
    }
    return row


def run(settings: Settings) -> dict[str, Any]:
    quiet_logging()
    load_before = load_average()
    rows = []
    for layout in settings.layouts:
        for n in settings.counts:
            row = asyncio.run(measure(n, layout, settings))
            rows.append(row)
            print(
                f"  {layout:>9} N={n}: efficiency {row['efficiency_pct']:.2f} %",
                file=sys.stderr,
            )
    for n in settings.per_run_ingest_counts:
        row = asyncio.run(measure(n, settings.layouts[0], settings, shared_ingest=False))
        rows.append(row)
        print(f"  per-run ingest N={n}: efficiency {row['efficiency_pct']:.2f} %", file=sys.stderr)
    long = asyncio.run(
        measure(settings.long_n, "per-agent", settings, tokens=settings.long_tokens, reps=1)
    )
    print(
        f"  long calls N={settings.long_n}: efficiency {long['efficiency_pct']:.2f} %",
        file=sys.stderr,
    )
    goals = concurrency_goals(rows, settings.layouts, GOALS)
    return {
        "settings": {
            "counts": list(settings.counts),
            "layouts": list(settings.layouts),
            "tokens_per_call": settings.tokens,
            "token_delay_s": settings.token_delay_s,
            "call_s": settings.tokens * settings.token_delay_s,
            "reps": settings.reps,
            "per_run_ingest_counts": list(settings.per_run_ingest_counts),
            "data_dir": str(settings.data_dir),
            "load_avg_before": load_before,
            "load_avg_after": load_average(),
        },
        "rows": rows,
        "long_calls": long,
        "goals": goals,
    }


def table(result: dict[str, Any]) -> Table:
    s = result["settings"]
    out = Table(
        title=(
            f"Concurrency efficiency: full graphs on {Path(s['data_dir']).name}, "
            f"{s['tokens_per_call']} tokens x {s['token_delay_s'] * 1000:g} ms per call, "
            f"median of {s['reps']} reps"
        ),
        headers=[
            "layout",
            "ingest",
            "N",
            "call s",
            "solo sum s",
            "concurrent s",
            "speedup",
            "efficiency %",
            "lost s",
            "(N-1) x CPU/run s",
            "model s solo",
            "model s conc.",
            "ingest solo ms",
            "ingest conc. ms",
            "peak/server",
        ],  # fmt: skip
    )
    rows = list(result["rows"])
    if "long_calls" in result:
        rows.append(result["long_calls"])
    for r in rows:
        out.rows.append(
            [
                r["layout"],
                r.get("ingest", "per run"),
                str(r["n"]),
                fmt(r["call_s"], 2),
                fmt(r["solo_wall_sum_s"], 2),
                fmt(r["concurrent_wall_s"], 3),
                fmt(r["speedup"], 3),
                fmt(r["efficiency_pct"], 2),
                fmt(r["lost_s"], 3),
                fmt(r["cpu_model_lost_s"], 3),
                fmt(r["solo_llm_s"], 3),
                fmt(r["concurrent_llm_s"], 3),
                fmt(r["solo_ingest_s"] * 1000, 0),
                fmt(r["concurrent_ingest_s"] * 1000, 0),
                str(r["peak_server_concurrency"]),
            ]
        )
    cpu = cpu_per_run(result["rows"])
    out.notes.append(
        "CPU per run (process time over the solo runs, median): "
        + ", ".join(f"{ingest} ingest {ms * 1000:.0f} ms" for ingest, ms in cpu.items())
        + "; lost s = concurrent wall - slowest solo wall; model s = a run's time inside "
        "its two model calls (median)"
    )
    for key, g in result["goals"].items():
        out.notes.append(
            f"goal {key}: >= {g['target_pct']} %, measured {g['measured_pct']:.2f} % "
            f"({goal(g['met'])})"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="N=1,2, 3 tokens, one rep")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = SMOKE if args.smoke else Settings()
    if args.reps:
        settings = Settings(**{**settings.__dict__, "reps": args.reps})
    if args.data_dir:
        settings = Settings(**{**settings.__dict__, "data_dir": args.data_dir})
    result = run(settings)
    return report(result, table(result), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
