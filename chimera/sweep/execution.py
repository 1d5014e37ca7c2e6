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
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from langgraph.graph.state import CompiledStateGraph

from chimera.backends.base import BackendSpec, ChatBackend
from chimera.backends.registry import backend_spec, build_backend
from chimera.comparison.scheduling import HostSlots
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
from chimera.errors import ChimeraError, ConfigError, OutputError, RunInterrupted
from chimera.execution.runner import (
    ConfigSource,
    check_data_dir,
    execute,
    prepare,
    resolve_config,
    save_run,
)
from chimera.execution.runstore import (
    discard_unused,
    folder_lock,
    mark_output,
    new_run_dir,
    output_kind,
    read_saved,
    write_atomic,
)
from chimera.graphs.insight import compile_insight_graph
from chimera.ingest.cache import IngestCache, file_progress
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


@dataclass
class _Sweep:
    """What one sweep invocation shares across its runs."""

    plan: SweepPlan
    out_dir: Path
    spec: BackendSpec
    personas: PersonaLibrary
    slots: HostSlots
    backends: dict[tuple[str, str], ChatBackend]
    progress: SweepProgress | None
    ingest_cache: IngestCache
    graph: CompiledStateGraph
    done: int
    started: float = field(default_factory=time.perf_counter)
    last_on_host: dict[str, str] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)

    def _emit(
        self, phase: Literal["start", "end"], item: ScheduledRun, host: str, **extra: Any
    ) -> None:
        if self.progress is None:
            return
        labels = [c.label for c in self.plan.cells]
        left = None
        if self.walls:
            remaining = len(self.plan.schedule) - self.done
            left = remaining * (sum(self.walls) / len(self.walls)) / parallel_slots(self.plan)
        self.progress(
            SweepEvent(
                phase=phase,
                done=self.done,
                total=len(self.plan.schedule),
                elapsed_s=time.perf_counter() - self.started,
                left_s=left,
                run=item,
                cell_index=labels.index(item.cell) + 1,
                cells=len(labels),
                host=host,
                **extra,
            )
        )

    def cold_expected(self, host: str, cell: Cell) -> bool:
        """Will this run's first call load the model (see `chimera.sweep.records`)?"""
        reloads = self.spec.reloads_on
        if reloads is not None and not reloads:
            return False  # the backend loads nothing
        previous = self.last_on_host.get(host)
        if previous is None:
            return True  # nothing of this sweep ran there yet: assume a load
        if previous == cell.label:
            return False
        if reloads is None:
            return True
        before = self.plan.cell(previous).config
        return any(current_value(before, k) != current_value(cell.config, k) for k in reloads)

    def backend_for(self, cell: Cell, host: str) -> ChatBackend:
        """One backend per (cell, host); an in-process model is freed when its host moves on."""
        if not self.spec.uses_hosts:
            for key in [k for k in self.backends if k[1] == host and k[0] != cell.label]:
                closing = self.backends.pop(key)
                close = getattr(closing, "close", None)
                if callable(close):
                    close()
        key = (cell.label, host)
        if key not in self.backends:
            self.backends[key] = build_backend(cell.config, self.spec.server(host))
        return self.backends[key]

    async def run_one(self, item: ScheduledRun, acquired: asyncio.Event) -> CellRun:
        try:
            async with self.slots.acquire() as host:
                acquired.set()
                return await self._run_on(item, host)
        finally:
            acquired.set()

    async def _run_on(self, item: ScheduledRun, host: str) -> CellRun:
        cell = self.plan.cell(item.cell)
        cold_expected = self.cold_expected(host, cell)
        backend = self.backend_for(cell, host)
        self.last_on_host[host] = cell.label
        relative = Path(CELLS_DIR) / cell.folder / item.folder
        run_dir = self.out_dir / relative
        run_dir.mkdir(parents=True, exist_ok=False)
        mark_output(run_dir, "run", datetime.now(UTC))
        offset = time.perf_counter() - self.started
        self._emit("start", item, host)
        log.info("sweep.run", cell=cell.label, kind=item.kind, round=item.round, host=host)
        try:
            result = await execute(
                cell.config,
                self.personas,
                backend,
                Path(self.plan.data_dir),
                thread_id=f"{cell.label}/{item.folder}/{uuid.uuid4().hex[:8]}",
                ingest_cache=self.ingest_cache,
                graph=self.graph,
                exclude=own_folders(self.out_dir),
            )
        except RunInterrupted as stop:
            if stop.result is not None:
                save_run(stop.result, run_dir)  # type: ignore[arg-type]
            raise
        result = save_run(result, run_dir)
        residency = None
        if result.ok and self.spec.residency is not None:
            found = await self.spec.residency(cell.config, host)
            residency = None if found is None else Residency.of(host, found)
        record = cell_run(
            result,
            kind=item.kind,
            round=item.round,
            cell=cell.label,
            host=backend.host or host,
            offset_s=offset,
            run_dir=relative.as_posix(),
            cold_expected=cold_expected,
            residency=residency,
        )
        append_record(self.out_dir, record)
        self.done += 1
        self.walls.append(result.wall_s)
        self._emit("end", item, host, record=record)
        return record


async def _dispatch(sweep: _Sweep, pending: Sequence[ScheduledRun]) -> list[CellRun]:
    """Start the runs in plan order: each waits for a host before the next one may."""
    tasks: list[asyncio.Task[CellRun]] = []
    try:
        for item in pending:
            acquired = asyncio.Event()
            task = asyncio.create_task(sweep.run_one(item, acquired))
            tasks.append(task)
            waiter = asyncio.create_task(acquired.wait())
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if task.done() and not task.cancelled() and task.exception() is not None:
                await task  # re-raises
        return list(await asyncio.gather(*tasks))
    except BaseException as exc:
        for task in tasks:
            task.cancel()
        # The runs in flight save what they finished (as interrupted) before they stop.
        await asyncio.gather(*tasks, return_exceptions=True)
        if isinstance(exc, asyncio.CancelledError):  # Ctrl-C: say how to go on
            raise RunInterrupted() from exc
        raise


def own_folders(out_dir: Path) -> tuple[Path, Path]:
    """What a sweep writes to, never read as data: its folder and the `--out` folder."""
    return (out_dir.parent, out_dir)


async def _digest(
    plan: SweepPlan, cache: IngestCache, out_dir: Path, progress: SweepProgress | None
) -> float:
    """Digest the data once before the first run, so no run's wall includes it."""
    start = time.perf_counter()

    def report(detail: str | None) -> None:
        if progress:
            total = len(plan.schedule)
            elapsed = time.perf_counter() - start
            progress(SweepEvent("ingest", 0, total, elapsed, detail=detail))

    report(None)
    await cache.ingest(
        Path(plan.data_dir), plan.base.ingest, file_progress(report), exclude=own_folders(out_dir)
    )
    return time.perf_counter() - start


async def execute_plan(
    plan: SweepPlan, out_dir: Path, *, progress: SweepProgress | None = None
) -> SweepResult:
    """Run every run of `plan` not yet in the journal of `out_dir`, then write the summary."""
    started_at = datetime.now(UTC)
    spec = backend_spec(plan.base)
    hosts = spec.hosts(plan.base)
    backends: dict[tuple[str, str], ChatBackend] = {}
    library: PersonaLibrary | None = None
    checked: set[tuple[str, str, str, str]] = set()
    for cell in plan.cells:
        config = cell.config
        for host in hosts:
            key = (config.model, config.personas.analyst, config.personas.writer, host)
            if key in checked:
                continue
            checked.add(key)
            _, library, backend = await prepare(config, plan.personas_dirs, host=spec.server(host))
            backends[(cell.label, host)] = backend
    assert library is not None
    records = read_journal(out_dir)
    pending = [item for item in plan.schedule if item.key not in records]
    cache = IngestCache()
    digest_s = await _digest(plan, cache, out_dir, progress)
    sweep = _Sweep(
        plan=plan,
        out_dir=out_dir,
        spec=spec,
        personas=library,
        slots=HostSlots(hosts, spec.max_in_flight_per_host(plan.base)),
        backends=backends,
        progress=progress,
        ingest_cache=cache,
        graph=compile_insight_graph(plan.base.retries, None),
        done=len(plan.schedule) - len(pending),
    )
    try:
        for record in await _dispatch(sweep, pending):
            records[record.key] = record
    except RunInterrupted as stop:
        stop.message = f"sweep interrupted after {sweep.done} of {len(plan.schedule)} runs"
        stop.hint = f"finished runs were kept; continue with: chimera resume {out_dir}"
        raise
    except OutputError as exc:  # the disk filled up: what finished is kept
        exc.hint = f"free disk space, then continue with: chimera resume {out_dir}"
        raise
    finally:
        for backend in backends.values():
            close = getattr(backend, "close", None)
            if callable(close):
                close()
    result = aggregate(
        plan,
        list(records.values()),
        sweep_id=out_dir.name,
        started_at=started_at,
        out_dir=out_dir,
        data_digest_s=digest_s,
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
    plan: SweepPlan, *, out: str | Path = "sweeps", progress: SweepProgress | None = None
) -> SweepResult:
    """Run a planned sweep (`plan_sweep`) into a new folder under `out`."""
    started_at = datetime.now(UTC)
    out_dir = new_run_dir(Path(out), plan.name, started_at, kind="sweep")
    with folder_lock(out_dir):
        write_atomic(out_dir / PLAN_FILE, plan.model_dump_json(indent=2))
        try:
            return await execute_plan(plan, out_dir, progress=progress)
        except RunInterrupted:
            raise  # finished runs are kept, to be resumed
        except ChimeraError:
            # Refused before any run (a server down, unusable data): nothing happened.
            if not read_journal(out_dir):
                discard_unused(out_dir, {PLAN_FILE})
            raise


def run_sweep(
    plan: SweepPlan, *, out: str | Path = "sweeps", progress: SweepProgress | None = None
) -> SweepResult:
    """Blocking twin of `asweep` (same parameters)."""
    return asyncio.run(asweep(plan, out=out, progress=progress))


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
    out_dir: str | Path, *, progress: SweepProgress | None = None
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
        records = read_journal(folder)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        for item in plan.schedule:
            run_dir = folder / CELLS_DIR / plan.cell(item.cell).folder / item.folder
            if item.key not in records and run_dir.exists():
                run_dir.rename(run_dir.with_name(f"interrupted-{stamp}-{item.folder}"))
        return await execute_plan(plan, folder, progress=progress)
