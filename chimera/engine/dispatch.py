"""The core of every comparison and sweep: batches of runs, dispatched, journaled, resumed.

A plan is a sequence of **batches**; a batch is one or more runs that go together (a
comparison's repetition: every variant at once, or one after another; a sweep's run: one
cell once). `dispatch` starts the batches in plan order on an executor, at most
`capacity` at a time, and hands each finished batch to `record` (the plan's journal)
before anything else happens, so a batch that finished is never lost and never run twice:

- **Stages** (warm-ups, solo repetitions, measured ones) run in order: every batch of one
  stage finishes before the next stage starts. A batch marked `alone` runs with no other.
- **Order**: a batch starts only after the one before it in the plan has started.
- **The driver writes.** Executors run the graph; the process that called `dispatch`
  creates each run's folder, writes its files (`Job.save`) and its journal line. With Ray,
  the workers only compute and send their results back.
- **Stopping**: when one batch fails (a full disk) or the dispatch is cancelled (Ctrl-C),
  the others are cancelled and waited for; the batches that finished meanwhile are still
  recorded, then `RunInterrupted` (or the failure) is raised for the plan to say how to
  resume.
- **Resume**: the plan's journal says which batches finished; `set_aside` renames the
  folders of the others (never deletes them) so they run again from scratch.

Executors (`chimera.engine.local`, `chimera.engine.ray_executor`) implement `start(batch)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from chimera.backends.base import BackendSpec, ModelResidency
from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig
from chimera.errors import ConfigError, RunInterrupted
from chimera.execution.result import Placement, RunResult
from chimera.execution.runner import ProgressEvent, save_run
from chimera.execution.runstore import mark_output


@dataclass(frozen=True)
class RunOrder:
    """One run to do: its config, where its folder goes, which hosts serve it."""

    key: str  # unique in the plan
    folder: str  # relative to the plan's output folder, posix
    config: AgentConfig
    pool: str  # the hosts it takes a slot on (a comparison's variant, the sweep's base)
    group: str  # runs of one group share a backend (a variant, a sweep cell)
    name: str  # for progress lines


@dataclass(frozen=True)
class Batch:
    """Runs that go together; the unit of the journal."""

    key: str
    folder: str  # relative, posix: set aside as a whole when unfinished on resume
    runs: tuple[RunOrder, ...]
    together: bool = False  # start every run at once (else one after another)
    stage: int = 0  # every batch of a stage finishes before the next stage starts
    alone: bool = False  # no other batch runs meanwhile


@dataclass
class RunDone:
    """One finished run, saved in its folder."""

    order: RunOrder
    result: RunResult
    host: str  # the server it ran against (an in-process backend: the backend's name)
    placement: Placement  # also in the run's run.json
    offset_s: float  # start, relative to its batch's start
    since_start_s: float  # start, relative to the dispatch's start
    previous: str | None  # the group that ran last on the same slot before it (cold starts)
    residency: ModelResidency | None = None
    attempts: int = 1  # > 1: its worker died mid-run and it ran again (Ray)


@dataclass
class BatchDone:
    batch: Batch
    runs: list[RunDone]
    wall_s: float  # the batch's wall time, all its runs


@dataclass(frozen=True)
class Pool:
    """The hosts a pool's runs go to, and how many runs one host takes at once."""

    spec: BackendSpec
    hosts: tuple[str, ...]
    per_host: int

    @classmethod
    def of(cls, config: AgentConfig) -> Pool:
        spec = backend_spec(config)
        return cls(spec, tuple(spec.hosts(config)), spec.max_in_flight_per_host(config))

    @property
    def slots(self) -> int:
        return len(self.hosts) * self.per_host


@dataclass
class Job:
    """What one invocation of a plan shares: folders, pools, progress; the driver's writes."""

    out_dir: Path
    data_dir: Path
    personas_dirs: Sequence[str]
    pools: dict[str, Pool]
    residency: bool = False  # ask a host where the model sits after each ok run (sweeps)
    on_start: Callable[[RunOrder, str], None] | None = None  # (run, host)
    on_node: Callable[[RunOrder, ProgressEvent], None] | None = None
    started: float = 0.0  # perf_counter at dispatch start

    def open_folder(self, order: RunOrder) -> Path:
        """Create the run's folder (it must not exist: nothing is overwritten), marked."""
        run_dir = self.out_dir / order.folder
        run_dir.mkdir(parents=True, exist_ok=False)
        mark_output(run_dir, "run", datetime.now(UTC))
        return run_dir

    def save(self, order: RunOrder, result: RunResult) -> RunResult:
        """Write the run's files into its folder (run.json, report.md, report.html)."""
        return save_run(result, self.out_dir / order.folder)

    def exclude(self) -> tuple[Path, ...]:
        return own_folders(self.out_dir)


# Runs in one plan, warm-ups included: far more than any machine finishes (at a second a
# run, a day), far fewer than would fill memory or disk with journal lines and folders.
MAX_RUNS = 100_000


def check_size(subjects: int, repetitions: int, what: str, subject_word: str) -> None:
    """Refuse a plan of more than MAX_RUNS runs with one line, before anything is laid out."""
    total = subjects * repetitions
    if total > MAX_RUNS:
        raise ConfigError(
            f"this {what} would make {total:,} runs ({subjects:,} {subject_word} x"
            f" {repetitions:,} repetitions, warm-ups included); at most {MAX_RUNS:,} runs fit"
            f" in one {what}",
            hint="lower --runs (or --warmup), or split it",
        )


def own_folders(out_dir: Path) -> tuple[Path, ...]:
    """What a plan writes to, never read as data: its folder and the `--out` folder."""
    return (out_dir.parent, out_dir)


class Executor(Protocol):
    """Runs batches; `start` returns when the batch finished (its runs saved by the driver)."""

    name: str

    async def start(self, batch: Batch) -> BatchDone: ...


async def dispatch(
    batches: Iterable[Batch],
    start: Callable[[Batch], Awaitable[BatchDone]],
    record: Callable[[BatchDone], None],
    *,
    capacity: int,
) -> int:
    """Run `batches` (lazily, in order) with `start`; `record` each as it finishes.

    Returns how many batches finished. See the module docstring for the rules.
    """
    in_flight: set[asyncio.Task[BatchDone]] = set()
    finished = 0

    async def drain(limit: int) -> None:
        nonlocal finished
        while len(in_flight) > limit:
            done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                in_flight.discard(task)
                record(task.result())  # a failed batch raises here
                finished += 1

    stage: int | None = None
    try:
        for batch in batches:
            if stage is not None and batch.stage != stage:
                await drain(0)
            stage = batch.stage
            await drain(0 if batch.alone else max(capacity, 1) - 1)
            in_flight.add(asyncio.ensure_future(start(batch)))
            if batch.alone:
                await drain(0)
        await drain(0)
    except BaseException as exc:
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        for task in in_flight:  # finished before the cancellation reached it: keep it
            if not task.cancelled() and task.exception() is None:
                record(task.result())
                finished += 1
        if isinstance(exc, asyncio.CancelledError):
            raise RunInterrupted() from exc
        raise
    return finished


def set_aside(out_dir: Path, batches: Iterable[Batch], finished: set[str]) -> list[Path]:
    """Rename the folder of every unfinished batch `interrupted-<time>-<name>` (kept, so a
    cut-off run can still be read) so that it runs again from scratch."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    moved = []
    for batch in batches:
        folder = out_dir / batch.folder
        if batch.key in finished or not folder.exists():
            continue
        target = folder.with_name(f"interrupted-{stamp}-{folder.name}")
        folder.rename(target)
        moved.append(target)
    return moved
