"""A sweep's plan: its cells, the order the runs visit them in, and what it will take.

Order, stated once: the runs go in rounds; each round runs every cell once. Warm-up
rounds come first (kept, left out of the statistics), then the measured ones. `rotated`
starts round r at cell r (mod n), so every cell takes every position equally often and a
slow drift (heat, a busy neighbour) favours none; `shuffled` draws each round's order from
the seed. The plan, schedule included, is written to plan.json before the first run, so
`chimera resume` repeats exactly the same sweep.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
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
    schedule: list[ScheduledRun]

    def cell(self, label: str) -> Cell:
        for c in self.cells:
            if c.label == label:
                return c
        raise KeyError(label)

    @property
    def baseline(self) -> Cell:
        return next(c for c in self.cells if c.baseline)


def round_orders(labels: Sequence[str], rounds: int, order: Order, seed: int) -> list[list[str]]:
    """The cell order of each round (see the module docstring)."""
    rng = random.Random(seed)
    orders = []
    for r in range(rounds):
        if order == "rotated":
            shift = r % len(labels)
            orders.append([*labels[shift:], *labels[:shift]])
        else:
            shuffled = list(labels)
            rng.shuffle(shuffled)
            orders.append(shuffled)
    return orders


def make_schedule(labels: Sequence[str], runs: int, warmup: int, order: Order, seed: int) -> list:
    orders = round_orders(labels, warmup + runs, order, seed)
    schedule = []
    for r, cells in enumerate(orders):
        kind: RunKind = "warmup" if r < warmup else "run"
        number = r + 1 if r < warmup else r - warmup + 1
        schedule += [ScheduledRun(kind=kind, round=number, cell=c) for c in cells]
    return schedule


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
    library = PersonaLibrary.discover([*base.personas_dirs, *map(Path, personas_dirs)])
    for cell in cells:
        try:
            library.get(cell.config.personas.analyst, role="analyst")
            library.get(cell.config.personas.writer, role="writer")
        except ConfigError as exc:
            exc.message = f"sweep cell {cell.label}: {exc.message}"
            raise
    labels = [c.label for c in cells]
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
        schedule=make_schedule(labels, request.runs, request.warmup, request.order, request.seed),
    )


def parallel_slots(plan: SweepPlan) -> int:
    """Runs at once: the base config's hosts x its per-host limit (1 each by default)."""
    spec = backend_spec(plan.base)
    return len(spec.hosts(plan.base)) * spec.max_in_flight_per_host(plan.base)
