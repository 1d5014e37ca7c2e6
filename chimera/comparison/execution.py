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
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from chimera.comparison.models import (
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
from chimera.comparison.scheduling import iter_balanced
from chimera.engine.dispatch import (
    Batch,
    BatchDone,
    Job,
    Pool,
    RunDone,
    RunOrder,
    dispatch,
    set_aside,
)
from chimera.engine.executors import ExecutorKind, running
from chimera.engine.figures import run_figures
from chimera.errors import ChimeraError, ConfigError, OutputError, RunInterrupted
from chimera.execution.checkpoints import CHECKPOINT_FILE, CHECKPOINT_FILES
from chimera.execution.runner import (
    ConfigSource,
    ProgressCallback,
    ProgressEvent,
    check_data_dir,
    resolve_config,
)
from chimera.execution.runstore import (
    discard_unused,
    folder_lock,
    new_run_dir,
    read_saved,
    slug,
    write_atomic,
)
from chimera.host_load import busy_reason
from chimera.logging import get_logger
from chimera.statistics import concurrency_figures

log = get_logger("chimera.comparison")
Phase = Literal["start", "progress", "end"]
STAGES: dict[RepKind, int] = {"warmup": 0, "solo": 1, "run": 2}


def _agent_rep(done: RunDone, variant: Variant) -> AgentRep:
    result = done.result
    return AgentRep(
        variant=variant.label,
        agent=variant.config.name,
        status="ok" if result.ok else "failed",
        error=result.error,
        host=done.host,
        started_offset_s=done.offset_s,
        wall_s=result.wall_s,
        node_timings=result.node_timings,
        figures=run_figures(result),
        run_dir=str(result.run_dir) if result.run_dir else None,
        placement=done.placement,
        attempts=done.attempts,
        busy=busy_reason(result.host_load),
        served_by=result.served_by,
    )


def schedule(plan: ComparePlan) -> Iterator[tuple[int, RepKind, list[Variant]]]:
    """(1-based index, kind, variants in start order) for every repetition of the plan:
    warm-ups, solo repetitions, then measured ones; made as they are asked for."""
    by_label = {v.label: v for v in plan.variants}
    labels = [v.label for v in plan.variants]
    for kind, count in (("warmup", plan.warmup), ("solo", plan.solo_runs), ("run", plan.runs)):
        for rep, order in enumerate(iter_balanced(labels, count)):
            yield rep + 1, kind, [by_label[label] for label in order]  # type: ignore[misc]


def batches(plan: ComparePlan) -> Iterator[Batch]:
    """The plan's repetitions as the engine's batches, lazily (a plan may be long)."""
    for index, kind, order in schedule(plan):
        label = f"{kind}_{index}"
        runs = tuple(
            RunOrder(
                key=f"{label}/{v.label}",
                folder=f"{label}/{slug(f'{v.label}-{v.config.name}')}",
                config=v.config,
                pool=v.label,
                group=v.label,
                name=f"{label} {v.label}",
            )
            for v in order
        )
        yield Batch(
            key=label,
            folder=label,
            runs=runs,
            together=plan.mode == "concurrent" and kind != "solo",
            stage=STAGES[kind],
            alone=kind == "solo",
        )


def repetition(plan: ComparePlan, done: BatchDone) -> Repetition:
    """A finished batch as the comparison's record of it (its metrics.json)."""
    kind, _, index = done.batch.key.partition("_")
    by_label = {v.label: v for v in plan.variants}
    agents = [_agent_rep(run, by_label[run.order.group]) for run in done.runs]
    together = done.batch.together
    concurrency = None
    if together and len(agents) > 1 and done.wall_s > 0:
        concurrency = concurrency_figures([a.wall_s for a in agents], done.wall_s)
    return Repetition(
        index=int(index),
        warmup=kind == "warmup",
        solo=kind == "solo",
        mode=plan.mode,
        order=[run.order.group for run in done.runs],
        wall_s=done.wall_s,
        agents=agents,
        concurrency=concurrency,
    )


def finished_repetitions(out_dir: Path) -> dict[tuple[RepKind, int], Repetition]:
    """Repetitions whose metrics.json exists, keyed by (kind, index)."""
    done: dict[tuple[RepKind, int], Repetition] = {}
    for path in sorted(out_dir.glob("*_*/metrics.json")):
        if path.parent.name.split("_")[0] not in STAGES:
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
    return max(1, min(Pool.of(v.config).slots for v in plan.variants))


async def execute_plan(
    plan: ComparePlan,
    out_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    comparison_id: str | None = None,
    started_at: datetime | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> ComparisonResult:
    """Run every repetition of `plan` not yet finished in `out_dir`, then write the summary."""
    from chimera.comparison.summary import write_summary

    started = time.perf_counter()

    def node_event(order: RunOrder, event: ProgressEvent) -> None:
        if progress:
            elapsed = time.perf_counter() - started
            progress(ProgressEvent(order.name, event.node, event.phase, elapsed, event.detail))

    def digest_progress(phase: Phase, detail: str | None = None) -> None:
        if progress:
            elapsed = time.perf_counter() - started
            progress(ProgressEvent("comparison", "ingest", phase, elapsed, detail))

    def run_started(order: RunOrder, host: str) -> None:
        if progress and executor == "ray":  # a worker's node events stay on the cluster
            elapsed = time.perf_counter() - started
            progress(ProgressEvent(order.name, "run", "start", elapsed, f"on {host}"))

    job = Job(
        out_dir=out_dir,
        data_dir=Path(plan.data_dir),
        personas_dirs=plan.personas_dirs,
        pools={v.label: Pool.of(v.config) for v in plan.variants},
        on_node=node_event,
        on_start=run_started,
    )
    done = finished_repetitions(out_dir)
    repetitions = list(done.values())
    finished = {f"{kind}_{index}" for kind, index in done}

    def record(batch_done: BatchDone) -> None:
        rep = repetition(plan, batch_done)
        # Its presence = the repetition finished (resume relies on it).
        write_atomic(
            out_dir / batch_done.batch.folder / "metrics.json", rep.model_dump_json(indent=2)
        )
        repetitions.append(rep)
        log.info("compare.repetition", index=rep.index, kind=rep.kind)
        if progress and executor == "ray":  # the node lines stay on the cluster: say the end
            elapsed = time.perf_counter() - started
            for run in batch_done.runs:
                where = run.placement.machine
                detail = f"{run.result.status} in {run.result.wall_s:.2f}s on {where}"
                progress(ProgressEvent(run.order.name, "run", "end", elapsed, detail))

    orders = [o for o in _first_run(plan).runs]
    checkpoint = out_dir / CHECKPOINT_FILE if executor == "local" else None
    try:
        log.info("compare.start", data_dir=plan.data_dir, executor=executor)
        async with running(
            executor, job, orders, checkpoint=checkpoint, address=ray_address,
            report=digest_progress,
        ) as ready:  # fmt: skip
            job.started = time.perf_counter()
            capacity = 1
            if plan.mode == "concurrent":
                capacity = max(1, min(ready.capacity(v.label) for v in plan.variants))
            pending = (b for b in batches(plan) if b.key not in finished)
            try:
                await dispatch(pending, ready.executor.start, record, capacity=capacity)
            except RunInterrupted as exc:
                # Ctrl-C reaches a gather of runs as a CancelledError of the gather itself,
                # whatever its runs raised: either way, say how to go on.
                count = sum(1 for r in finished_repetitions(out_dir).values() if r.kind == "run")
                stop = RunInterrupted(
                    None, f"comparison interrupted after {count} finished repetition(s)"
                )
                again = " --executor ray" if executor == "ray" else ""
                stop.hint = f"they were kept; continue with: chimera resume {out_dir}{again}"
                raise stop from exc
            redigests = ready.redigests()
        result = aggregate(
            plan,
            repetitions,
            comparison_id=comparison_id or out_dir.name,
            started_at=started_at or datetime.now(UTC),
            out_dir=out_dir,
            data_digest_s=ready.digest_s,
            # Each re-digest means files changed mid-comparison; that run's wall includes it.
            data_redigests=redigests,
            executor=executor,
        )
        write_summary(result, out_dir)
        return result
    except OutputError as exc:  # the disk filled up: what finished is kept
        exc.hint = f"free disk space, then continue with: chimera resume {out_dir}"
        raise


def _first_run(plan: ComparePlan) -> Batch:
    """A measured repetition: it runs every variant (what is checked before the first run)."""
    return next(b for b in batches(plan) if b.stage == STAGES["run"])


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
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> ComparisonResult:
    """Compare two or more agent configs on `data_dir`; writes a new comparison folder.

    `solo_runs` (concurrent mode; default 1): repetitions where each variant runs alone,
    the reference of the strict speedup and of the contention flag.
    `executor="ray"`: the runs execute on a Ray cluster (`ray_address`, else RAY_ADDRESS,
    else a local Ray instance started for this comparison); needs the `ray` extra.
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
            return await execute_plan(
                plan,
                out_dir,
                progress=progress,
                started_at=started_at,
                executor=executor,
                ray_address=ray_address,
            )
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
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
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
            executor=executor,
            ray_address=ray_address,
        )
    )


async def aresume(
    out_dir: str | Path,
    *,
    progress: ProgressCallback | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
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
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        for rep_dir in sorted(folder.glob("*_*")):
            if rep_dir.is_dir() and rep_dir.name.split("_")[0] in STAGES:
                metrics = rep_dir / "metrics.json"
                if metrics.exists() and not _readable(metrics):
                    rep_dir.rename(folder / f"damaged-{stamp}-{rep_dir.name}")
        done = {f"{kind}_{index}" for kind, index in finished_repetitions(folder)}
        set_aside(folder, batches(plan), done)
        return await execute_plan(
            plan, folder, progress=progress, executor=executor, ray_address=ray_address
        )
