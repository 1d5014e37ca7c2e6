"""Run a sweep: every cell's repetitions as normal graph runs, spread over the hosts.

Layout of a sweep folder (nothing in it is ever overwritten):

    plan.json                  the cells, their configs and the run order: enough to resume
    records.ndjson             one line per finished run (host, figures, cold start, /api/ps)
    cells/<cell>/run_<r>/      each run's report.md and run.json (a marked run folder)
    cells/<cell>/warmup_<r>/   warm-up runs (kept, left out of the statistics)
    summary.json/.md/.csv      ranking, intervals, verdict, flags; one CSV row per cell per run
    heatmap.png, pareto.png, quality.png
    best.yaml                  the best cell's agent config, ready to use

Each run is `chimera.execution.runner.execute` on the cell's config, sharing one digest of
the data (`IngestCache`) and one compiled graph. Runs go out in the plan's order; each takes
a slot on the least-loaded of the config's hosts (`HostSlots`, one run per host at a time
by default), so a host serves one cell at a time and its cold starts are known. After a run
on an Ollama host, `/api/ps` says where the cell's model sits (VRAM share, context length).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from chimera.backends.base import BackendSpec
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
from chimera.engine.dispatch import Batch, BatchDone, Job, Pool, RunOrder, dispatch, set_aside
from chimera.engine.executors import ExecutorKind, running
from chimera.errors import ChimeraError, ConfigError, OutputError, RunInterrupted
from chimera.execution.runner import ConfigSource, check_data_dir, resolve_config
from chimera.execution.runstore import (
    discard_unused,
    folder_lock,
    new_run_dir,
    output_kind,
    read_saved,
    write_atomic,
)
from chimera.logging import get_logger
from chimera.sweep.cells import Cell, current_value
from chimera.sweep.estimate import Estimate, estimate
from chimera.sweep.plan import PLAN_FILE, ScheduledRun, SweepPlan, make_plan, parallel_slots
from chimera.sweep.records import CellRun, Residency, append_record, cell_run, read_journal
from chimera.sweep.results import SweepResult, aggregate
from chimera.sweep.spec import merge_request
from chimera.sweep.summary import write_outputs

log = get_logger("chimera.sweep")
CELLS_DIR = "cells"
POOL = "sweep"  # every cell's runs go to the base config's hosts


@dataclass(frozen=True)
class SweepEvent:
    """Progress of a sweep, for the CLI's lines on stderr."""

    phase: Literal["ingest", "start", "end"]
    done: int  # runs finished, resumed ones included
    total: int  # runs in the plan
    elapsed_s: float  # since this invocation started
    left_s: float | None = None  # estimate of the time left
    run: ScheduledRun | None = None
    cell_index: int = 0  # 1-based position of the run's cell in the plan
    cells: int = 0
    host: str | None = None
    record: CellRun | None = None
    detail: str | None = None


SweepProgress = Callable[[SweepEvent], None]
RunKey = tuple[str, int, str]


def run_folder(plan: SweepPlan, item: ScheduledRun) -> str:
    return f"{CELLS_DIR}/{plan.cell(item.cell).folder}/{item.folder}"


def _key(item: ScheduledRun) -> str:
    return f"{item.kind}/{item.round}/{item.cell}"


def _item_of(key: RunKey) -> ScheduledRun:
    return ScheduledRun(kind=key[0], round=key[1], cell=key[2])  # type: ignore[arg-type]


def _item(key: str) -> ScheduledRun:
    kind, number, cell = key.split("/", 2)
    return ScheduledRun(kind=kind, round=int(number), cell=cell)  # type: ignore[arg-type]


def batches(plan: SweepPlan, skip: set[RunKey] | None = None) -> Iterator[Batch]:
    """Each run of the sweep as a batch of one, in plan order, made as asked for."""
    for item in plan.runs_in_order():
        if skip and item.key in skip:
            continue
        cell = plan.cell(item.cell)
        folder = run_folder(plan, item)
        key = _key(item)
        order = RunOrder(key, folder, cell.config, pool=POOL, group=cell.label, name=cell.label)
        yield Batch(key=key, folder=folder, runs=(order,))


@dataclass
class _Progress:
    """Counts and times the runs for the progress lines and the estimate of time left."""

    plan: SweepPlan
    progress: SweepProgress | None
    done: int
    started: float = field(default_factory=time.perf_counter)
    walls: list[float] = field(default_factory=list)

    def emit(
        self,
        phase: Literal["start", "end"],
        item: ScheduledRun,
        host: str,
        record: CellRun | None = None,
    ) -> None:
        if self.progress is None:
            return
        total = self.plan.total_runs
        left = None
        if self.walls:
            mean = sum(self.walls) / len(self.walls)
            left = (total - self.done) * mean / parallel_slots(self.plan)
        labels = [c.label for c in self.plan.cells]
        self.progress(
            SweepEvent(
                phase=phase,
                done=self.done,
                total=total,
                elapsed_s=time.perf_counter() - self.started,
                left_s=left,
                run=item,
                cell_index=labels.index(item.cell) + 1,
                cells=len(labels),
                host=host,
                record=record,
            )
        )


def cold_expected(spec: BackendSpec, plan: SweepPlan, previous: str | None, cell: Cell) -> bool:
    """Will this run's first call load the model (see `chimera.sweep.records`)?
    `previous`: the cell that ran last on the same host (or worker), None if none did."""
    reloads = spec.reloads_on
    if reloads is not None and not reloads:
        return False  # the backend loads nothing
    if previous is None:
        return True  # nothing of this sweep ran there yet: assume a load
    if previous == cell.label:
        return False
    if reloads is None:
        return True
    before = plan.cell(previous).config
    return any(current_value(before, k) != current_value(cell.config, k) for k in reloads)


def sweep_job(plan: SweepPlan, out_dir: Path) -> Job:
    return Job(
        out_dir=out_dir,
        data_dir=Path(plan.data_dir),
        personas_dirs=plan.personas_dirs,
        pools={POOL: Pool.of(plan.base)},
        residency=True,
    )


async def execute_plan(
    plan: SweepPlan,
    out_dir: Path,
    *,
    progress: SweepProgress | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> SweepResult:
    """Run every run of `plan` not yet in the journal of `out_dir`, then write the summary."""
    started_at = datetime.now(UTC)
    job = sweep_job(plan, out_dir)
    spec = job.pools[POOL].spec
    records = read_journal(out_dir)
    counter = _Progress(plan, progress, done=len(records))

    def on_start(order: RunOrder, host: str) -> None:
        counter.emit("start", _item(order.key), host)
        log.info("sweep.run", run=order.key, host=host)

    def record(done: BatchDone) -> None:
        (run,) = done.runs
        item = _item(run.order.key)
        cell = plan.cell(item.cell)
        found = run.residency
        entry = cell_run(
            run.result,
            kind=item.kind,
            round=item.round,
            cell=cell.label,
            host=run.host,
            offset_s=run.since_start_s,
            run_dir=run.order.folder,
            cold_expected=cold_expected(spec, plan, run.previous, cell),
            residency=None if found is None else Residency.of(run.host, found),
            placement=run.placement,
            attempts=run.attempts,
        )
        append_record(out_dir, entry)
        records[entry.key] = entry
        counter.done += 1
        counter.walls.append(run.result.wall_s)
        counter.emit("end", item, run.host, entry)

    def report(phase: str, detail: str | None) -> None:
        if progress and phase != "end":
            elapsed = time.perf_counter() - counter.started
            progress(SweepEvent("ingest", 0, plan.total_runs, elapsed, detail=detail))

    job.on_start = on_start
    try:
        orders = [order for c in plan.cells for order in _one_run(c)]
        async with running(executor, job, orders, address=ray_address, report=report) as ready:
            digest_s = ready.digest_s
            job.started = time.perf_counter()
            pending = batches(plan, set(records))
            await dispatch(pending, ready.executor.start, record, capacity=ready.capacity(POOL))
    except RunInterrupted as stop:
        again = " --executor ray" if executor == "ray" else ""
        stop.message = f"sweep interrupted after {counter.done} of {plan.total_runs} runs"
        stop.hint = f"finished runs were kept; continue with: chimera resume {out_dir}{again}"
        raise
    except OutputError as exc:  # the disk filled up: what finished is kept
        exc.hint = f"free disk space, then continue with: chimera resume {out_dir}"
        raise
    return summarize_sweep(plan, out_dir, records, started_at, digest_s, executor)


def _one_run(cell: Cell) -> list[RunOrder]:
    """A cell as the check before the first run sees it."""
    return [RunOrder(cell.label, "", cell.config, pool=POOL, group=cell.label, name=cell.label)]


def summarize_sweep(
    plan: SweepPlan,
    out_dir: Path,
    records: dict[RunKey, CellRun],
    started_at: datetime,
    digest_s: float | None,
    executor: str = "local",
) -> SweepResult:
    result = aggregate(
        plan,
        list(records.values()),
        sweep_id=out_dir.name,
        started_at=started_at,
        out_dir=out_dir,
        data_digest_s=digest_s,
        executor=executor,
    )
    write_outputs(result, out_dir)
    return result


def plan_sweep(
    data_dir: str | Path | None,
    config: ConfigSource,
    *,
    spec: str | Path | None = None,
    grid: Sequence[str] = (),
    exclude: Sequence[str] = (),
    runs: int | None = None,
    warmup: int | None = None,
    objective: str | None = None,
    order: str | None = None,
    seed: int | None = None,
    name: str | None = None,
    personas_dirs: Sequence[str | Path] = (),
    include_cold: bool = False,
) -> SweepPlan:
    """Validate a sweep and lay out its runs; touches no server and writes nothing.

    `config` and `data_dir` may come from the sweep file (`spec`) instead; arguments given
    here override the file.
    """
    if data_dir is not None:
        check_data_dir(data_dir)  # before Path("") becomes "." (the current folder)
    request = merge_request(
        Path(spec) if spec is not None else None,
        grid=grid,
        exclude=exclude,
        config=Path(config) if isinstance(config, str | Path) else None,
        data=Path(data_dir) if data_dir is not None else None,
        runs=runs,
        warmup=warmup,
        objective=objective,
        order=order,
        seed=seed,
        name=name,
    )
    if request.data is None:
        raise ConfigError("no data folder: give DATA, or `data:` in the sweep file")
    data = check_data_dir(request.data)
    # An AgentConfig given here wins; else the --config path, else the sweep file's.
    base = config if isinstance(config, AgentConfig) else resolve_config(request.config)
    return make_plan(request, base, data, personas_dirs, include_cold=include_cold)


def dry_run_estimate(plan: SweepPlan, out: str | Path = "sweeps") -> Estimate:
    """The time a sweep should take, from earlier sweeps under `out` (sends nothing)."""
    library = PersonaLibrary.discover([*plan.base.personas_dirs, *map(Path, plan.personas_dirs)])
    return estimate(plan, Path(out), library)


async def asweep(
    plan: SweepPlan,
    *,
    out: str | Path = "sweeps",
    progress: SweepProgress | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> SweepResult:
    """Run a planned sweep (`plan_sweep`) into a new folder under `out`.

    `executor="ray"`: the runs execute on a Ray cluster (`ray_address`, else RAY_ADDRESS,
    else a local Ray instance started for this sweep); needs the `ray` extra.
    """
    started_at = datetime.now(UTC)
    out_dir = new_run_dir(Path(out), plan.name, started_at, kind="sweep")
    with folder_lock(out_dir):
        write_atomic(out_dir / PLAN_FILE, plan.model_dump_json(indent=2))
        try:
            return await execute_plan(
                plan, out_dir, progress=progress, executor=executor, ray_address=ray_address
            )
        except RunInterrupted:
            raise  # finished runs are kept, to be resumed
        except ChimeraError:
            # Refused before any run (a server down, unusable data): nothing happened.
            if not read_journal(out_dir):
                discard_unused(out_dir, {PLAN_FILE})
            raise


def run_sweep(
    plan: SweepPlan,
    *,
    out: str | Path = "sweeps",
    progress: SweepProgress | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> SweepResult:
    """Blocking twin of `asweep` (same parameters)."""
    return asyncio.run(
        asweep(plan, out=out, progress=progress, executor=executor, ray_address=ray_address)
    )


def is_sweep_folder(folder: Path) -> bool:
    """A folder `chimera sweep` made: marked as a sweep, or holding a sweep's plan.json
    (a comparison's plan.json has no grid)."""
    if output_kind(folder) == "sweep":
        return True
    try:
        plan = json.loads((folder / PLAN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(plan, dict) and "grid_keys" in plan


async def aresume_sweep(
    out_dir: str | Path,
    *,
    progress: SweepProgress | None = None,
    executor: ExecutorKind = "local",
    ray_address: str | None = None,
) -> SweepResult:
    """Finish an interrupted sweep: finished runs are kept exactly as they are.

    A run cut off mid-way left a folder but no journal line: the folder is set aside
    (renamed `interrupted-<time>-<run>`, never deleted) and the run starts again.
    """
    folder = Path(out_dir)
    if not is_sweep_folder(folder):
        raise ConfigError(
            f"{folder} is not a sweep folder (no sweep {PLAN_FILE})",
            hint="pass the folder `chimera sweep` printed",
        )
    with folder_lock(folder):
        plan = read_saved(
            folder / PLAN_FILE,
            SweepPlan,
            hint="it holds the sweep's cells and run order; restore it, or start again with"
            " chimera sweep",
        )
        # A run cut off mid-way left a folder but no journal line: set aside, run again.
        finished = {_key(_item_of(key)) for key in read_journal(folder)}
        set_aside(folder, batches(plan), finished)
        return await execute_plan(
            plan, folder, progress=progress, executor=executor, ray_address=ray_address
        )
