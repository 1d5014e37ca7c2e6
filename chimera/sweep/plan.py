"""A sweep's plan: its cells, the order the runs visit them in, and what it will take.

Order, stated once: the runs go in rounds; each round runs every cell once. Warm-up
rounds come first (kept, left out of the statistics), then the measured ones. `rotated`
starts round r at cell r (mod n), so every cell takes every position equally often and a
slow drift (heat, a busy neighbour) favours none; `shuffled` draws each round's order from
the seed. The plan is written to plan.json before the first run; the run order is made
from it as the runs go out, never laid out in memory whole, so `chimera resume` repeats
exactly the same sweep (plans written before kept their order in `schedule`: it is used).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
from chimera.engine.dispatch import check_size
from chimera.errors import ConfigError
from chimera.sweep.cells import Cell, make_cells
from chimera.sweep.spec import Axis, Objective, Order, SweepRequest, grid_points

SWEEP_SCHEMA_VERSION = 1
PLAN_FILE = "plan.json"
RunKind = Literal["warmup", "run"]


class ScheduledRun(BaseModel):
    kind: RunKind
    round: int  # 1-based, counted separately for warm-up and measured rounds
    cell: str  # the cell's label

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind, self.round, self.cell)

    @property
    def folder(self) -> str:
        return f"{self.kind}_{self.round}"


class SweepPlan(BaseModel):
    """Everything needed to run, or resume, a sweep."""

    schema_version: int = SWEEP_SCHEMA_VERSION
    name: str
    data_dir: str
    personas_dirs: list[str] = Field(default_factory=list)
    base: AgentConfig
    grid_keys: list[str]
    axes: list[Axis]
    exclude: list[dict] = Field(default_factory=list)
    cells: list[Cell]
    runs: int
    warmup: int
    order: Order
    seed: int
    objective: Objective
    include_cold: bool = Field(False, description="cold-start calls count in the figures")
    schedule: list[ScheduledRun] | None = Field(
        None, description="the run order, as older versions stored it; now made from the seed"
    )
    prompt_ctx: int | None = Field(
        None,
        description="every cell's prompts are fitted to this context (the grid's smallest),"
        " so every cell gets the same work; None: each cell's own (older plans)",
    )

    @property
    def total_runs(self) -> int:
        if self.schedule is not None:
            return len(self.schedule)
        return len(self.cells) * (self.runs + self.warmup)

    def runs_in_order(self) -> Iterator[ScheduledRun]:
        """Every run of the sweep in the order it goes out, made as asked for."""
        if self.schedule is not None:
            yield from self.schedule
            return
        labels = [c.label for c in self.cells]
        yield from iter_schedule(labels, self.runs, self.warmup, self.order, self.seed)

    def cell(self, label: str) -> Cell:
        for c in self.cells:
            if c.label == label:
                return c
        raise KeyError(label)

    @property
    def baseline(self) -> Cell:
        return next(c for c in self.cells if c.baseline)


def iter_round_orders(
    labels: Sequence[str], rounds: int, order: Order, seed: int
) -> Iterator[list[str]]:
    """The cell order of each round (see the module docstring), made as asked for."""
    rng = random.Random(seed)
    for r in range(rounds):
        if order == "rotated":
            shift = r % len(labels)
            yield [*labels[shift:], *labels[:shift]]
        else:
            shuffled = list(labels)
            rng.shuffle(shuffled)
            yield shuffled


def round_orders(labels: Sequence[str], rounds: int, order: Order, seed: int) -> list[list[str]]:
    return list(iter_round_orders(labels, rounds, order, seed))


def iter_schedule(
    labels: Sequence[str], runs: int, warmup: int, order: Order, seed: int
) -> Iterator[ScheduledRun]:
    for r, cells in enumerate(iter_round_orders(labels, warmup + runs, order, seed)):
        kind: RunKind = "warmup" if r < warmup else "run"
        number = r + 1 if r < warmup else r - warmup + 1
        for c in cells:
            yield ScheduledRun(kind=kind, round=number, cell=c)


def make_schedule(
    labels: Sequence[str], runs: int, warmup: int, order: Order, seed: int
) -> list[ScheduledRun]:
    return list(iter_schedule(labels, runs, warmup, order, seed))


def make_plan(
    request: SweepRequest,
    base: AgentConfig,
    data_dir: Path,
    personas_dirs: Sequence[str | Path],
    *,
    include_cold: bool = False,
) -> SweepPlan:
    """Validate every cell (config, backend, personas) and lay out the runs; sends nothing."""
    if request.runs < 1:
        raise ConfigError(f"--runs must be at least 1, got {request.runs}")
    if request.warmup < 0:
        raise ConfigError(f"--warmup must not be negative, got {request.warmup}")
    cells = make_cells(base, grid_points(request.axes, request.exclude))
    check_size(len(cells), request.runs + request.warmup, "sweep", "cells")
    # Every cell gets the prompts of the smallest context: a cell with a smaller num_ctx
    # would otherwise get a shorter digest, do less work, and win on speed.
    windows = [backend_spec(c.config).context_window(c.config) for c in cells]
    smallest = min(windows)
    if len(set(windows)) > 1:
        cells = [
            c.model_copy(update={"config": c.config.model_copy(update={"prompt_window": smallest})})
            for c in cells
        ]
    library = PersonaLibrary.discover([*base.personas_dirs, *map(Path, personas_dirs)])
    for cell in cells:
        try:
            library.get(cell.config.personas.analyst, role="analyst")
            library.get(cell.config.personas.writer, role="writer")
        except ConfigError as exc:
            exc.message = f"sweep cell {cell.label}: {exc.message}"
            raise
    keys = [k for axis in request.axes for k in axis.keys]
    return SweepPlan(
        name=request.name or "-".join(keys),
        data_dir=str(data_dir.resolve()),
        personas_dirs=[str(Path(p).resolve()) for p in personas_dirs],
        base=base,
        grid_keys=keys,
        axes=request.axes,
        exclude=request.exclude,
        cells=cells,
        runs=request.runs,
        warmup=request.warmup,
        order=request.order,
        seed=request.seed,
        objective=request.objective,
        include_cold=include_cold,
        prompt_ctx=smallest,
    )


def parallel_slots(plan: SweepPlan) -> int:
    """Runs at once: the base config's hosts x its per-host limit (1 each by default)."""
    spec = backend_spec(plan.base)
    return len(spec.hosts(plan.base)) * spec.max_in_flight_per_host(plan.base)
