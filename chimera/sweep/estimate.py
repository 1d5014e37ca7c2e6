"""How long a sweep will take, said before it starts (`--dry-run`) and while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

from chimera.backends.registry import backend_spec
from chimera.config.personas import PersonaLibrary
from chimera.sweep.plan import PLAN_FILE, SweepPlan, parallel_slots
from chimera.sweep.records import read_journal

# A dry run's assumed generation rate when no earlier sweep measured this model.
ASSUMED_TOK_S = 20.0
UNCAPPED_TOKENS = 1024  # what a dry run assumes a persona without max_tokens generates


@dataclass(frozen=True)
class Estimate:
    """How long a sweep should take, and what the figure rests on."""

    runs: int
    per_run_s: float
    slots: int
    basis: str

    @property
    def total_s(self) -> float:
        return self.runs * self.per_run_s / self.slots


def estimate(plan: SweepPlan, out_dir: Path, library: PersonaLibrary) -> Estimate:
    """From earlier sweeps of the same backend and model under `out_dir` when there are
    any (the mean wall of their runs: a total is a sum, which the mean predicts); else
    from the tokens a run may generate at most (both personas' max_tokens) at an assumed
    `ASSUMED_TOK_S`."""
    walls: list[float] = []
    model = plan.base.model
    for journal in sorted(out_dir.glob("*/records.ndjson")) if out_dir.is_dir() else []:
        try:
            earlier = SweepPlan.model_validate_json((journal.parent / PLAN_FILE).read_text())
        except (OSError, ValueError):
            continue
        same_backend = backend_spec(earlier.base).name == backend_spec(plan.base).name
        if same_backend and earlier.base.model == model:
            walls += [r.wall_s for r in read_journal(journal.parent).values() if r.status == "ok"]
    slots = parallel_slots(plan)
    if walls:
        basis = f"the mean of {len(walls)} earlier runs of {model} under {out_dir}"
        return Estimate(plan.total_runs, fmean(walls), slots, basis)
    tokens = sum(
        library.get(name, role=role).max_tokens or UNCAPPED_TOKENS
        for name, role in (
            (plan.base.personas.analyst, "analyst"),
            (plan.base.personas.writer, "writer"),
        )
    )
    basis = (
        f"assumed: up to {tokens} tokens a run at {ASSUMED_TOK_S:g} tok/s; no earlier sweep"
        f" of {model} under {out_dir} to measure from"
    )
    return Estimate(plan.total_runs, tokens / ASSUMED_TOK_S, slots, basis)
