"""Compare agent configurations: repeated runs, concurrent or sequential, with statistics.

Layout of a comparison folder (nothing in it is ever overwritten):

    plan.json              what was asked (configs, data folder, options): enough to resume
    warmup_1/ ...          warm-up repetitions (kept, excluded from statistics)
    solo_1/ ...            concurrent mode: each variant alone, one after another (the
                           uncontended walls the strict speedup is measured against)
    run_1/<variant>/       each variant's report.md and run.json
    run_1/metrics.json     that repetition's figures (written last: its presence = finished)
    summary.json/.md/.csv  aggregates, deltas with t intervals, verdicts; summary.png chart

Concurrent mode runs every variant's graph at once in each repetition (asyncio), each on
its own configured host(s); sequential mode alternates A B, B A, ... so drift is balanced.
Order: warm-ups, then solo repetitions (one at a time), then the measured ones.
A repetition that fails is kept and counted, never dropped. The plan, results and
statistics are defined in `chimera.comparison.models`.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from chimera.backends.base import ChatBackend
from chimera.backends.registry import backend_spec, build_backend
from chimera.comparison.models import (
    FIGURES,
    PLAN_FILE,
    AgentRep,
    ComparePlan,
    ComparisonResult,
    Mode,
    Repetition,
    RepKind,
    Variant,
    aggregate,
    make_plan,
)
from chimera.comparison.scheduling import HostSlots, balanced_order
from chimera.config.personas import PersonaLibrary
from chimera.errors import ChimeraError, ConfigError, OutputError, RunInterrupted
from chimera.execution.checkpoints import CHECKPOINT_FILE, CHECKPOINT_FILES, sqlite_checkpointer
from chimera.execution.result import RunResult
from chimera.execution.runner import (
    ConfigSource,
    ProgressCallback,
    ProgressEvent,
    check_data_dir,
    execute,
    prepare,
    resolve_config,
    save_run,
)
from chimera.execution.runstore import (
    discard_unused,
    folder_lock,
    new_run_dir,
    read_saved,
    slug,
    write_atomic,
)
from chimera.graphs.insight import compile_insight_graph
from chimera.ingest.cache import IngestCache, file_progress, reading_key
from chimera.logging import get_logger
from chimera.statistics import (
    concurrency_figures,
)

log = get_logger("chimera.comparison")
Phase = Literal["start", "progress", "end"]
T = TypeVar("T")


def _finite(value: float | None) -> float | None:
    """A figure as compared: inf and NaN are not measurements, so they are "not measured"."""
    return value if value is None or math.isfinite(value) else None


def _agent_rep(variant: Variant, result: RunResult, host: str | None, offset: float) -> AgentRep:
    return AgentRep(
        variant=variant.label,
        agent=variant.config.name,
        status=result.status,
        error=result.error,
        host=host,
        started_offset_s=offset,
        wall_s=result.wall_s,
        node_timings=result.node_timings,
        figures={f.key: _finite(f.read(result)) for f in FIGURES},
        run_dir=str(result.run_dir) if result.run_dir else None,
    )


@dataclass
class _Runner:
    """Holds what one comparison shares across repetitions: backends, host slots, data, progress."""

    plan: ComparePlan
    out_dir: Path
    personas: dict[str, PersonaLibrary]
    slots: dict[str, HostSlots]
    backends: dict[tuple[str, str], ChatBackend]
    progress: ProgressCallback | None
    started: float
    checkpointer: BaseCheckpointSaver | None = None
    ingest_cache: IngestCache = field(default_factory=IngestCache)
    graphs: dict[int, CompiledStateGraph] = field(default_factory=dict)  # by retries

    def graph_for(self, variant: Variant) -> CompiledStateGraph:
        # Compiled once per comparison (compiling costs every run ~3 ms of CPU otherwise).
        retries = variant.config.retries
        if retries not in self.graphs:
            self.graphs[retries] = compile_insight_graph(retries, self.checkpointer)
        return self.graphs[retries]

    def backend_for(self, variant: Variant, host: str) -> ChatBackend:
        # One backend per (variant, host) for the whole comparison: an embedded model is
        # loaded once, and every Ollama client stays on this event loop.
        key = (variant.label, host)
        if key not in self.backends:
            server = backend_spec(variant.config).server(host)
            self.backends[key] = build_backend(variant.config, server)
        return self.backends[key]

    async def run_variant(
        self, variant: Variant, rep_dir: Path, label: str, rep_start: float
    ) -> AgentRep:
        async with self.slots[variant.label].acquire() as host:
            offset = time.perf_counter() - rep_start
            backend = self.backend_for(variant, host)
            agent_name = f"{label} {variant.label}"

            def emit(event: ProgressEvent) -> None:
                if self.progress:
                    self.progress(
                        ProgressEvent(
                            agent_name,
                            event.node,
                            event.phase,
                            time.perf_counter() - self.started,
                            event.detail,
                        )
                    )

            variant_dir = rep_dir / slug(f"{variant.label}-{variant.config.name}")
            variant_dir.mkdir(exist_ok=False)
            try:
                result = await execute(
                    variant.config,
                    self.personas[variant.label],
                    backend,
                    Path(self.plan.data_dir),
                    progress=emit,
                    checkpointer=self.checkpointer,
                    # Unique per attempt: a re-run repetition must start afresh, not resume.
                    thread_id=f"{label}/{variant.label}/{uuid.uuid4().hex[:8]}",
                    ingest_cache=self.ingest_cache,
                    graph=self.graph_for(variant),
                    exclude=own_folders(self.out_dir),
                )
            except RunInterrupted as stop:
                if stop.result is not None:
                    save_run(stop.result, variant_dir)
                raise
            result = save_run(result, variant_dir)
            return _agent_rep(variant, result, backend.host or host, offset)

    async def run_repetition(self, index: int, kind: RepKind, order: list[Variant]) -> Repetition:
        label = f"{kind}_{index}"
        rep_dir = self.out_dir / label
        rep_dir.mkdir(exist_ok=False)
        start = time.perf_counter()
        together = self.plan.mode == "concurrent" and kind != "solo"
        if together:
            agents = await gather_or_stop(
                [self.run_variant(v, rep_dir, label, start) for v in order]
            )
        else:
            agents = [await self.run_variant(v, rep_dir, label, start) for v in order]
        wall = time.perf_counter() - start
        concurrency = None
        if together and len(agents) > 1 and wall > 0:
            concurrency = concurrency_figures([a.wall_s for a in agents], wall)
        rep = Repetition(
            index=index,
            warmup=kind == "warmup",
            solo=kind == "solo",
            mode=self.plan.mode,
            order=[v.label for v in order],
            wall_s=wall,
            agents=agents,
            concurrency=concurrency,
        )
        # Written last: a repetition folder with metrics.json is finished (resume relies on it).
        write_atomic(rep_dir / "metrics.json", rep.model_dump_json(indent=2))
        return rep


async def gather_or_stop(work: Sequence[Awaitable[T]]) -> list[T]:
    """All of `work` at once; when one fails (or this is cancelled), the others are stopped
    and waited for, so none is left running, or failing unseen, after the comparison ends."""
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def own_folders(out_dir: Path) -> tuple[Path, Path]:
    """What a comparison writes to, never read as data: its folder and the `--out` folder."""
    return (out_dir.parent, out_dir)


def schedule(plan: ComparePlan) -> list[tuple[int, RepKind, list[Variant]]]:
    """(1-based index, kind, variants in start order) for every repetition of the plan:
    warm-ups, solo repetitions, then measured ones."""
    by_label = {v.label: v for v in plan.variants}
    labels = [v.label for v in plan.variants]
    grouped: dict[tuple[RepKind, int], list[Variant]] = {}
    for rep, label, is_warmup in balanced_order(labels, plan.runs, plan.warmup):
        if is_warmup:
            grouped.setdefault(("warmup", rep), []).append(by_label[label])
    for rep, label, _ in balanced_order(labels, plan.solo_runs):
        grouped.setdefault(("solo", rep), []).append(by_label[label])
    for rep, label, is_warmup in balanced_order(labels, plan.runs, plan.warmup):
        if not is_warmup:
            grouped.setdefault(("run", rep), []).append(by_label[label])
    return [(rep + 1, kind, variants) for (kind, rep), variants in grouped.items()]


def finished_repetitions(out_dir: Path) -> dict[tuple[RepKind, int], Repetition]:
    """Repetitions whose metrics.json exists, keyed by (kind, index)."""
    done: dict[tuple[RepKind, int], Repetition] = {}
    for path in sorted(out_dir.glob("*_*/metrics.json")):
        if path.parent.name.split("_")[0] not in ("run", "warmup", "solo"):
            continue  # set aside: interrupted-... or damaged-...
        rep = read_saved(
            path, Repetition, hint=f"move {path.parent} away to run that repetition again"
        )
        done[(rep.kind, rep.index)] = rep
    return done


def _readable(metrics: Path) -> bool:
    try:
        Repetition.model_validate_json(metrics.read_bytes())
    except (OSError, ValueError):
        return False
    return True


def repetition_capacity(plan: ComparePlan) -> int:
    """How many repetitions may run at once: the tightest variant's hosts x per-host limit.

    Sequential mode is one at a time by definition (its A B B A order must hold), and so
    is a variant without hosts (embedded): more capacity comes only from more servers.
    """
    if plan.mode == "sequential":
        return 1
    capacities = []
    for v in plan.variants:
        spec = backend_spec(v.config)
        capacities.append(len(spec.hosts(v.config)) * spec.max_in_flight_per_host(v.config))
    return max(1, min(capacities))


async def _run_pending(
    runner: _Runner, pending: list[tuple[int, RepKind, list[Variant]]], capacity: int
) -> list[Repetition]:
    """Warm-ups first, then solo repetitions one at a time (they measure walls without
    company), then measured repetitions, up to `capacity` at a time."""

    async def one(
        gate: asyncio.Semaphore, index: int, kind: RepKind, order: list[Variant]
    ) -> Repetition:
        async with gate:
            labels = [v.label for v in order]
            log.info("compare.repetition", index=index, kind=kind, order=labels)
            return await runner.run_repetition(index, kind, order)

    finished: list[Repetition] = []
    for kind in ("warmup", "solo", "run"):
        gate = asyncio.Semaphore(1 if kind == "solo" else capacity)
        finished += await gather_or_stop([one(gate, *rep) for rep in pending if rep[1] == kind])
    return finished


async def execute_plan(
    plan: ComparePlan,
    out_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    comparison_id: str | None = None,
    started_at: datetime | None = None,
) -> ComparisonResult:
    """Run every repetition of `plan` not yet finished in `out_dir`, then write the summary."""
    from chimera.comparison.summary import write_summary

    personas: dict[str, PersonaLibrary] = {}
    slots: dict[str, HostSlots] = {}
    backends: dict[tuple[str, str], ChatBackend] = {}
    for v in plan.variants:
        spec = backend_spec(v.config)
        hosts = spec.hosts(v.config)
        for host in hosts:
            agent, library, backend = await prepare(
                v.config, plan.personas_dirs, host=spec.server(host)
            )
            personas[v.label] = library
            backends[(v.label, host)] = backend
        slots[v.label] = HostSlots(hosts, spec.max_in_flight_per_host(v.config))
    done = finished_repetitions(out_dir)
    repetitions = list(done.values())
    # Digest the folder before the first repetition, so no run pays for it and every run
    # reuses it (while the files stay unchanged): run walls stay comparable.
    ingest_cache = IngestCache()
    readings = {reading_key(v.config.ingest): v.config.ingest for v in plan.variants}
    digest_start = time.perf_counter()

    def digest_progress(phase: Phase, detail: str | None = None) -> None:
        if progress:
            elapsed = time.perf_counter() - digest_start
            progress(ProgressEvent("comparison", "ingest", phase, elapsed, detail))

    digest_progress("start")
    for options in readings.values():
        log.info("compare.ingest", data_dir=plan.data_dir)
        on_file = file_progress(partial(digest_progress, "progress"))
        data = await ingest_cache.ingest(
            Path(plan.data_dir), options, on_file, exclude=own_folders(out_dir)
        )
        log.info("compare.ingested", files=data.inventory.total_files, rows=data.digest.rows_read)
    digest_progress("end")
    data_digest_s = time.perf_counter() - digest_start
    try:
        async with sqlite_checkpointer(out_dir / CHECKPOINT_FILE) as saver:
            runner = _Runner(
                plan,
                out_dir,
                personas,
                slots,
                backends,
                progress,
                time.perf_counter(),
                saver,
                ingest_cache,
            )
            pending = [rep for rep in schedule(plan) if (rep[1], rep[0]) not in done]
            try:
                repetitions += await _run_pending(runner, pending, repetition_capacity(plan))
            except (RunInterrupted, asyncio.CancelledError) as exc:
                # Ctrl-C reaches a gather of runs as a CancelledError of the gather itself,
                # whatever its runs raised: either way, say how to go on.
                finished = sum(1 for r in finished_repetitions(out_dir).values() if r.kind == "run")
                stop = RunInterrupted(
                    None, f"comparison interrupted after {finished} finished repetition(s)"
                )
                stop.hint = f"they were kept; continue with: chimera resume {out_dir}"
                raise stop from exc
        result = aggregate(
            plan,
            repetitions,
            comparison_id=comparison_id or out_dir.name,
            started_at=started_at or datetime.now(UTC),
            out_dir=out_dir,
            data_digest_s=data_digest_s,
            # Each re-digest means files changed mid-comparison; that run's wall includes it.
            data_redigests=ingest_cache.ingests - len(readings),
        )
        write_summary(result, out_dir)
        return result
    except OutputError as exc:  # the disk filled up: what finished is kept
        exc.hint = f"free disk space, then continue with: chimera resume {out_dir}"
        raise


async def acompare(
    data_dir: str | Path,
    configs: Sequence[ConfigSource],
    *,
    runs: int = 3,
    warmup: int = 0,
    mode: Mode = "concurrent",
    out: str | Path = "comparisons",
    personas_dirs: Sequence[str | Path] = (),
    progress: ProgressCallback | None = None,
    solo_runs: int | None = None,
) -> ComparisonResult:
    """Compare two or more agent configs on `data_dir`; writes a new comparison folder.

    `solo_runs` (concurrent mode; default 1): repetitions where each variant runs alone,
    the reference of the strict speedup and of the contention flag.
    """
    data = check_data_dir(data_dir)
    resolved = [resolve_config(c) for c in configs]
    plan = make_plan(
        data,
        resolved,
        runs=runs,
        warmup=warmup,
        mode=mode,
        personas_dirs=personas_dirs,
        solo_runs=solo_runs,
    )
    started_at = datetime.now(UTC)
    out_dir = new_run_dir(
        Path(out), "-vs-".join(c.name for c in resolved), started_at, kind="comparison"
    )
    with folder_lock(out_dir):
        write_atomic(out_dir / PLAN_FILE, plan.model_dump_json(indent=2))
        try:
            return await execute_plan(plan, out_dir, progress=progress, started_at=started_at)
        except RunInterrupted:
            raise  # finished repetitions are kept, to be resumed
        except ChimeraError:
            # Refused before any repetition (a server down, unusable data): none happened.
            discard_unused(out_dir, {PLAN_FILE, *CHECKPOINT_FILES})
            raise


def compare(
    data_dir: str | Path,
    configs: Sequence[ConfigSource],
    *,
    runs: int = 3,
    warmup: int = 0,
    mode: Mode = "concurrent",
    out: str | Path = "comparisons",
    personas_dirs: Sequence[str | Path] = (),
    progress: ProgressCallback | None = None,
    solo_runs: int | None = None,
) -> ComparisonResult:
    """Blocking twin of `acompare` (same parameters, spelled out for help() and editors)."""
    return asyncio.run(
        acompare(
            data_dir,
            configs,
            runs=runs,
            warmup=warmup,
            mode=mode,
            out=out,
            personas_dirs=personas_dirs,
            progress=progress,
            solo_runs=solo_runs,
        )
    )


async def aresume(
    out_dir: str | Path, *, progress: ProgressCallback | None = None
) -> ComparisonResult:
    """Finish an interrupted comparison: finished repetitions are kept exactly as they are."""
    folder = Path(out_dir)
    plan_path = folder / PLAN_FILE
    if not plan_path.is_file():
        raise ConfigError(
            f"{folder} is not a comparison folder (no {PLAN_FILE})",
            hint="pass the folder `chimera compare` printed",
        )
    with folder_lock(folder):
        plan = read_saved(
            plan_path,
            ComparePlan,
            hint="it holds what the comparison was asked to do; restore it, or start again "
            "with chimera compare",
        )
        # A repetition that was cut off mid-way left a folder without metrics.json: set it
        # aside (renamed, not deleted) so the repetition can run again from scratch.
        # So is one whose metrics.json cannot be read (cut short by a full disk, edited).
        for rep_dir in sorted(folder.glob("*_*")):
            is_repetition = rep_dir.name.split("_")[0] in ("run", "warmup", "solo")
            if not (rep_dir.is_dir() and is_repetition):
                continue
            metrics = rep_dir / "metrics.json"
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            if not metrics.exists():
                rep_dir.rename(folder / f"interrupted-{stamp}-{rep_dir.name}")
            elif not _readable(metrics):
                rep_dir.rename(folder / f"damaged-{stamp}-{rep_dir.name}")
        return await execute_plan(plan, folder, progress=progress)
