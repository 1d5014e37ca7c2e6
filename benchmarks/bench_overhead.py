"""Orchestration overhead: a run's wall time minus its model calls and ingest, per run.

The stub server (a child process) answers instantly with 3 tokens, so what is left is the
framework: graph build and compile, prompt fitting, ChatOllama set-up, metrics, the result.
Four pipelines over the same server and data, interleaved in rotating order, many times:

- chimera:            `execute(...)` as `chimera compare` calls it: one `IngestCache` and
                      one compiled graph for all runs (no checkpointer)
- chimera one-off:    `execute(...)` alone, as one `chimera run` does: a fresh cache (so
                      the folder is digested, and its figures prepared, inside ingest) and
                      a graph compiled for the run
- chimera+sqlite:     the one-off run inside `sqlite_checkpointer(...)` on a fresh file per
                      run, exactly as `arun` writes a run folder
- hand-written:       a plain LangGraph StateGraph with three async nodes (ingest with the
                      same `ingest_folder`, analyst, writer) calling ChatOllama, compiled
                      once; it sends Chimera's exact prompt texts (captured from a warm-up
                      run) so request and reply sizes match, and does nothing else
- chimera-no-verify:  Chimera's overhead without its verify node (no LLM: it traces every
                      figure of the report back to the data), the like-for-like figure
                      against the hand-written pipeline, which checks nothing

Overhead = wall - sum of model-call walls (each timed around the streaming call) - ingest.
A realistic run (stub with model-like delays) gives the overhead's share of a real run.

    .venv/bin/python benchmarks/bench_overhead.py [--smoke] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from _common import (
    ANALYST_REPLY,
    EXAMPLE_DATA,
    WRITER_REPLY,
    Table,
    fmt,
    goal,
    load_average,
    median,
    quartiles,
    quiet_logging,
    report,
    stub_servers,
)
from calculations import overhead_comparison, overhead_goals
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_ollama import ChatOllama
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from chimera.backends.ollama import OllamaBackend
from chimera.config.agent import AgentConfig, IngestOptions
from chimera.execution.checkpoints import sqlite_checkpointer
from chimera.execution.result import RunResult
from chimera.execution.runner import execute, prepare
from chimera.graphs.insight import compile_insight_graph
from chimera.ingest.cache import IngestCache
from chimera.ingest.digest.build import ingest_folder

GOAL_MS = 30.0
GOAL_RATIO = 1.10


@dataclass(frozen=True)
class Settings:
    reps: int = 60
    data_dir: Path = EXAMPLE_DATA
    # A realistic run: ~1 s prompt evaluation, 250 tokens at 40 tok/s per call (the
    # embedded gemma3 270M's pace on these 2 cores), i.e. ~14 s a run.
    real_tokens: int = 250
    real_token_delay_s: float = 0.025
    real_first_token_s: float = 1.0
    real_reps: int = 1


SMOKE = Settings(
    reps=3, real_tokens=5, real_token_delay_s=0.01, real_first_token_s=0.05, real_reps=1
)


@dataclass(frozen=True)
class Sample:
    wall_ms: float
    model_ms: float
    ingest_ms: float
    verify_ms: float = math.nan
    # Analyst + writer node time beyond their model calls: prompt fitting, ChatOllama set-up.
    in_nodes_ms: float = math.nan
    # Wall time outside every node: graph build and compile, LangGraph's steps,
    # checkpoint writes, the RunResult.
    outside_ms: float = math.nan

    @property
    def overhead_ms(self) -> float:
        return self.wall_ms - self.model_ms - self.ingest_ms


def _sample(wall_s: float, result: RunResult) -> Sample:
    if not result.ok:
        raise RuntimeError(f"benchmark run failed: {result.error}")
    nodes = {name: seconds * 1000 for name, seconds in result.node_timings.items()}
    model_ms = sum(c.wall_ms for c in result.llm_calls)
    return Sample(
        wall_ms=wall_s * 1000,
        model_ms=model_ms,
        ingest_ms=nodes.get("ingest", 0.0),
        verify_ms=nodes.get("verify", 0.0),
        in_nodes_ms=nodes.get("analyst", 0.0) + nodes.get("writer", 0.0) - model_ms,
        outside_ms=wall_s * 1000 - sum(nodes.values()),
    )


# --- the hand-written pipeline -----------------------------------------------------------


class HandState(TypedDict, total=False):
    digest: Any
    analysis: dict[str, Any]
    report: str


@dataclass
class HandTimes:
    model_s: float = 0.0
    ingest_s: float = 0.0


def hand_written(
    url: str, data_dir: Path, prompts: dict[str, dict[str, str]], times: HandTimes
) -> CompiledStateGraph:
    """Three nodes, ChatOllama, Chimera's prompt texts; what one would write by hand."""
    analyst_llm = ChatOllama(model="gemma3:latest", base_url=url, format="json", num_predict=400)
    writer_llm = ChatOllama(model="gemma3:latest", base_url=url, num_predict=700)

    async def call(llm: ChatOllama, role: str) -> str:
        messages = [
            SystemMessage(content=prompts[role]["system"]),
            HumanMessage(content=prompts[role]["user"]),
        ]
        start = time.perf_counter()
        reply = await llm.ainvoke(messages)
        times.model_s += time.perf_counter() - start
        return str(reply.content)

    async def ingest(state: HandState) -> dict[str, Any]:
        start = time.perf_counter()
        _, digest = ingest_folder(data_dir, IngestOptions())
        times.ingest_s += time.perf_counter() - start
        return {"digest": digest}

    async def analyst(state: HandState) -> dict[str, Any]:
        return {"analysis": json.loads(await call(analyst_llm, "analyst"))}

    async def writer(state: HandState) -> dict[str, Any]:
        return {"report": await call(writer_llm, "writer")}

    graph = StateGraph(HandState)
    graph.add_node("ingest", ingest)
    graph.add_node("analyst", analyst)
    graph.add_node("writer", writer)
    graph.add_edge(START, "ingest")
    graph.add_edge("ingest", "analyst")
    graph.add_edge("analyst", "writer")
    graph.add_edge("writer", END)
    return graph.compile()


# --- measuring ---------------------------------------------------------------------------


Pipelines = dict[str, Callable[[], Awaitable[Sample]]]


@asynccontextmanager
async def pipelines(
    url: str, data: Path, prompts: dict[str, dict[str, str]] | None
) -> AsyncIterator[tuple[Pipelines, dict[str, dict[str, str]]]]:
    """The pipelines on the server at `url`; hand-written sends `prompts` (Chimera's)."""
    config = AgentConfig(name="overhead", base_url=url, timeout_s=300)
    agent, personas, backend = await prepare(config, backend=OllamaBackend(config, url))
    if prompts is None:  # a warm-up run gives the prompts the hand-written pipeline sends
        first = await execute(agent, personas, backend, data)
        prompts = {role: first.prompts[role] for role in ("analyst", "writer")}
    times = HandTimes()
    app = hand_written(url, data, prompts, times)
    # What a comparison shares between its runs (see chimera.comparison.execution._Runner).
    cache = IngestCache()
    graph = compile_insight_graph(agent.retries)
    await execute(agent, personas, backend, data, ingest_cache=cache, graph=graph)

    with tempfile.TemporaryDirectory() as tmp:

        async def chimera() -> Sample:
            start = time.perf_counter()
            result = await execute(agent, personas, backend, data, ingest_cache=cache, graph=graph)
            return _sample(time.perf_counter() - start, result)

        async def chimera_one_off() -> Sample:
            start = time.perf_counter()
            result = await execute(agent, personas, backend, data)
            return _sample(time.perf_counter() - start, result)

        async def chimera_sqlite() -> Sample:
            start = time.perf_counter()
            async with sqlite_checkpointer(Path(tmp) / f"{uuid.uuid4().hex}.sqlite") as saver:
                result = await execute(
                    agent, personas, backend, data, checkpointer=saver, thread_id="bench"
                )
            return _sample(time.perf_counter() - start, result)

        async def hand() -> Sample:
            times.model_s = times.ingest_s = 0.0
            start = time.perf_counter()
            state = await app.ainvoke({})
            wall = time.perf_counter() - start
            assert state["analysis"]["key_findings"] and state["report"]
            return Sample(wall * 1000, times.model_s * 1000, times.ingest_s * 1000)

        yield (
            {
                "chimera": chimera,
                "chimera one-off": chimera_one_off,
                "chimera+sqlite": chimera_sqlite,
                "hand-written": hand,
            },
            prompts,
        )


async def interleaved(variants: Pipelines, reps: int, warm_up: bool) -> dict[str, list[Sample]]:
    if warm_up:
        for fn in variants.values():  # every path once before timing
            await fn()
    samples: dict[str, list[Sample]] = {name: [] for name in variants}
    names = list(variants)
    for rep in range(reps):
        shift = rep % len(names)  # rotate the order: no variant always goes first
        for name in names[shift:] + names[:shift]:
            samples[name].append(await variants[name]())
    return samples


async def measure(settings: Settings) -> dict[str, Any]:
    instant = {"tokens": 3, "analyst_reply": ANALYST_REPLY, "writer_reply": WRITER_REPLY}
    with stub_servers(1, instant) as (server,):
        async with pipelines(server.url, settings.data_dir, None) as (variants, prompts):
            samples = await interleaved(variants, settings.reps, warm_up=True)
    realistic = {
        **instant,
        "tokens": settings.real_tokens,
        "token_delay_s": settings.real_token_delay_s,
        "first_token_delay_s": settings.real_first_token_s,
    }
    with stub_servers(1, realistic) as (server,):
        async with pipelines(server.url, settings.data_dir, prompts) as (variants, _):
            # The realistic pair, like for like: both digest the folder in every run.
            del variants["chimera+sqlite"], variants["chimera"]
            real = await interleaved(variants, settings.real_reps, warm_up=False)
    return {"samples": samples, "realistic": real, "prompts": prompts}


def _median(values: list[float]) -> float | None:
    """Median of the measured values; None where a pipeline has no such part (hand-written)."""
    known = [v for v in values if not math.isnan(v)]
    return median(known) if known else None


def summarise(samples: list[Sample], *, without_verify: bool = False) -> dict[str, Any]:
    overheads = [s.overhead_ms - (s.verify_ms if without_verify else 0.0) for s in samples]
    q1, q3 = quartiles(overheads)
    return {
        "runs": len(samples),
        "wall_ms": median([s.wall_ms for s in samples]),
        "model_ms": median([s.model_ms for s in samples]),
        "ingest_ms": median([s.ingest_ms for s in samples]),
        "verify_ms": 0.0 if without_verify else _median([s.verify_ms for s in samples]),
        "in_nodes_ms": _median([s.in_nodes_ms for s in samples]),
        "outside_ms": _median([s.outside_ms for s in samples]),
        "overhead_ms": median(overheads),
        "overhead_q1_ms": q1,
        "overhead_q3_ms": q3,
    }


def run(settings: Settings) -> dict[str, Any]:
    quiet_logging()
    load_before = load_average()
    raw = asyncio.run(measure(settings))
    samples = raw["samples"]
    rows = {name: summarise(s) for name, s in samples.items()}
    rows["chimera-no-verify"] = summarise(samples["chimera"], without_verify=True)
    realistic = {name: summarise(s) for name, s in raw["realistic"].items()}
    comparison = overhead_comparison(rows, realistic)
    goals = overhead_goals(rows, comparison, GOAL_MS, GOAL_RATIO)
    return {
        "settings": {
            "reps": settings.reps,
            "data_dir": str(settings.data_dir),
            "tokens_per_call": 3,
            "realistic": {
                "tokens": settings.real_tokens,
                "token_delay_s": settings.real_token_delay_s,
                "first_token_delay_s": settings.real_first_token_s,
                "reps": settings.real_reps,
            },
            "prompt_chars": {
                role: len(p["system"]) + len(p["user"]) for role, p in raw["prompts"].items()
            },
            "load_avg_before": load_before,
            "load_avg_after": load_average(),
        },
        "rows": rows,
        "realistic": realistic,
        "comparison": comparison,
        "goals": goals,
    }


def table(result: dict[str, Any]) -> Table:
    s, c = result["settings"], result["comparison"]
    out = Table(
        title=(
            f"Orchestration overhead per run (instant stub, 3 tokens/call, "
            f"median of {s['reps']} interleaved runs each)"
        ),
        headers=[
            "pipeline",
            "wall ms",
            "model ms",
            "ingest ms",
            "overhead ms",
            "IQR ms",
            "verify ms",
            "in nodes ms",
            "outside nodes ms",
        ],  # fmt: skip
    )
    for name, r in result["rows"].items():
        derived = name == "chimera-no-verify"  # the chimera samples minus their verify time
        out.rows.append(
            [
                name + (" (derived)" if derived else ""),
                "-" if derived else fmt(r["wall_ms"]),
                "-" if derived else fmt(r["model_ms"]),
                "-" if derived else fmt(r["ingest_ms"]),
                fmt(r["overhead_ms"]),
                f"{fmt(r['overhead_q1_ms'])}-{fmt(r['overhead_q3_ms'])}",
                fmt(r["verify_ms"]) if name.startswith("chimera") else "-",
                fmt(r["in_nodes_ms"]) if name.startswith("chimera") else "-",
                fmt(r["outside_ms"]) if name.startswith("chimera") else "-",
            ]
        )
    out.notes += [
        f"Chimera / hand-written overhead: x{c['overhead_ratio_vs_hand']:.2f} "
        f"(+{c['overhead_extra_vs_hand_ms']:.1f} ms), without verify "
        f"x{c['overhead_ratio_no_verify_vs_hand']:.2f}",
        f"one-off run / hand-written overhead: x{c['overhead_ratio_one_off_vs_hand']:.2f}, "
        f"whole-run wall x{c['wall_ratio_vs_hand']:.3f}; "
        f"the SQLite checkpointer (as `arun`) adds {c['sqlite_extra_ms']:.1f} ms of overhead "
        f"and {c['sqlite_extra_wall_ms']:.1f} ms of wall to a one-off run",
        "realistic run (stub with model-like delays): Chimera "
        f"{c['realistic_wall_ms'] / 1000:.2f} s, wall x{c['realistic_wall_ratio_vs_hand']:.4f} "
        f"of hand-written; the instant-run overhead is {c['share_of_realistic_pct']:.2f} % of it "
        f"({c['share_of_realistic_sqlite_pct']:.2f} % with SQLite)",
    ]
    for key, g in result["goals"].items():
        out.notes.append(
            f"goal {key}: <= {g['target']:g} {g['unit']}, measured {g['measured']:.3g} "
            f"({goal(g['met'])})"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 runs per pipeline")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--reps", type=int, default=None)
    args = parser.parse_args(argv)
    settings = SMOKE if args.smoke else Settings()
    if args.reps:
        settings = Settings(**{**settings.__dict__, "reps": args.reps})
    result = run(settings)
    return report(result, table(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
