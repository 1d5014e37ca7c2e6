"""What a sweep yields: per-cell statistics, the ranking, the verdict, the flags.

Rules, stated once:

- Statistics use the measured runs that finished (`ok`); failed ones are counted, warm-ups
  are left out. Figures are the steady-state ones (see `chimera.sweep.records`).
- The ranking is by the objective's mean (throughput: tok/s, higher first; ttft: TTFT;
  wall: a run's wall; quality: grounding rate); cells without a value rank last. Each mean
  comes with its 95 % Student-t interval.
- The verdict compares every other cell with the baseline (the base config's own values)
  on the objective, paired by round, and corrects for that many comparisons (Holm) before
  the best cell may be called better: picking the best of many finds a "winner" by chance
  otherwise. Below 3 runs a cell gets no verdict. The best cell is also set against the
  runner-up (uncorrected), which says whether the win over it is measurable at all.
- Flags: partly on CPU (Ollama's size_vram / size below 100 %), a context the server runs
  other than the num_ctx asked, failed runs, likely truncated prompts, reloads the plan
  did not expect, and too few runs.

`summary.json` is this model. It never puts a single number under a metric's name (such
as `ttft_ms`): per-run figures are in `table` (columns and rows, as summary.csv), so
analysing a sweep folder counts each run once, from summary.csv.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from chimera.engine.aggregate import Values, against_baseline, head_to_head, summaries
from chimera.run_figures import BY_KEY, FIGURES, RunFigure
from chimera.statistics import (
    MIN_RUNS_FOR_VERDICT,
    SIGN_CONVENTION,
    DeltaCI,
    Summary,
    summarize,
)
from chimera.sweep.cells import OPTION_NAMES, Cell, current_value
from chimera.sweep.plan import SWEEP_SCHEMA_VERSION, SweepPlan
from chimera.sweep.records import CellRun, Residency
from chimera.versions import package_versions

FULL_VRAM_PCT = 99.5  # at or above: the whole model is on the GPU (rounding aside)
OBJECTIVE_FIGURE = {
    "throughput": "throughput_tok_s",
    "ttft": "ttft_ms",
    "wall": "wall_s",
    "quality": "grounding_rate_pct",
}


class FigureInfo(BaseModel):
    key: str
    label: str
    unit: str
    higher_is_better: bool


class CellSummary(BaseModel):
    """One cell over its measured runs."""

    label: str
    values: dict[str, Any]
    baseline: bool
    in_grid: bool = True
    config_line: str
    rank: int | None = Field(description="1 = best for the objective; None: no value")
    measured: int = Field(description="measured runs that finished")
    failures: int
    hosts: dict[str, int]
    machines: dict[str, int] = Field(
        default_factory=dict, description="machine the runs executed on -> runs"
    )
    figures: dict[str, Summary]
    cold_load: Summary = Field(description="load time of the cold calls, ms")
    cold_ttft: Summary = Field(description="TTFT of the cold calls, load included, ms")
    cold_calls: int
    unexpected_reloads: int = Field(description="runs with a load the plan did not expect")
    residency: Residency | None = None
    flags: list[str] = Field(default_factory=list)
    verdict: DeltaCI | None = Field(None, description="against the baseline, Holm-corrected")


class Table(BaseModel):
    """Rows of per-run figures, as in summary.csv."""

    columns: list[str]
    rows: list[list[Any]]


class SweepResult(BaseModel):
    schema_version: int = SWEEP_SCHEMA_VERSION
    sweep_id: str
    started_at: datetime
    finished_at: datetime
    plan: SweepPlan
    sign_convention: str = SIGN_CONVENTION
    objective: FigureInfo
    figures: list[FigureInfo]
    cells: list[CellSummary] = Field(description="in ranking order")
    baseline: str
    best: str | None
    best_verdict: DeltaCI | None = Field(description="best cell against the baseline")
    runner_up: str | None = None
    runner_up_verdict: DeltaCI | None = Field(
        None, description="best against the runner-up, uncorrected; None if that is the baseline"
    )
    table: Table = Field(description="every run, warm-ups included (column `kind`)")
    runs_total: int
    runs_failed: int
    hosts: dict[str, int]
    include_cold: bool
    data_digest_s: float | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    out_dir: str | None = None
    executor: str = Field("local", description="local, or ray: where the runs executed")
    retried_runs: int = Field(0, description="runs done again after their Ray worker died")
    served_by: str | None = Field(
        None, description="set when Chimera's stub answered measured runs: how many (a test)"
    )

    def cell(self, label: str) -> CellSummary:
        return next(c for c in self.cells if c.label == label)


def settings_text(values: dict[str, Any]) -> str:
    """`num_gpu=48, num_ctx=1024`: a cell's swept values, `default` when unset."""
    return ", ".join(f"{k}={'default' if v is None else v}" for k, v in values.items())


def _info(f: RunFigure) -> FigureInfo:
    return FigureInfo(key=f.key, label=f.label, unit=f.unit, higher_is_better=f.higher_is_better)


def _aligned(plan: SweepPlan, records: Sequence[CellRun], label: str, key: str) -> list:
    """One value per measured round (None when the run failed or is missing)."""
    by_round = {r.round: r for r in records if r.cell == label and r.kind == "run"}
    values = []
    for number in range(1, plan.runs + 1):
        run = by_round.get(number)
        ok = run is not None and run.status == "ok"
        values.append(run.chosen(plan.include_cold).get(key) if ok and run else None)
    return values


def _flags(cell: Cell, runs: Sequence[CellRun], residency: Residency | None) -> list[str]:
    flags: list[str] = []
    share = None if residency is None else residency.vram_pct
    if share is not None and share < FULL_VRAM_PCT:
        flags.append(f"partly on CPU ({share:.0f} % in VRAM)")
    asked = cell.config.options.num_ctx
    reported = None if residency is None else residency.context_length
    if reported and asked and reported != asked:
        flags.append(f"the server runs a {reported}-token context, {asked} asked")
    failed = sum(1 for r in runs if r.status != "ok")
    if failed:
        flags.append(f"{failed} of {len(runs)} runs failed")
    measured = sum(1 for r in runs if r.status == "ok")
    if measured < MIN_RUNS_FOR_VERDICT:
        flags.append(f"too few runs for a verdict (n={measured})")
    truncated = sum(1 for r in runs if r.truncated_calls)
    if truncated:
        flags.append(f"prompt likely truncated in {truncated} run(s)")
    machines = _machines(runs)
    if len(machines) > 1:
        spread = ", ".join(f"{m} ({n})" for m, n in machines.items())
        flags.append(f"its runs executed on {len(machines)} machines ({spread})")
    unexpected = _unexpected_reloads(runs)
    if unexpected:
        flags.append(f"the model was reloaded unexpectedly in {unexpected} run(s)")
    busy = [r for r in runs if r.busy]
    if busy:  # its timings say as much about the neighbours as about the cell
        flags.append(f"{len(busy)} of {len(runs)} runs measured on a busy machine")
    return flags


def _machines(runs: Sequence[CellRun]) -> dict[str, int]:
    machines: dict[str, int] = {}
    for r in runs:
        if r.placement is not None:
            machines[r.placement.machine] = machines.get(r.placement.machine, 0) + 1
    return machines


def _unexpected_reloads(runs: Sequence[CellRun]) -> int:
    return sum(1 for r in runs if r.cold_calls > (1 if r.cold_expected else 0))


def table_columns(plan: SweepPlan) -> list[str]:
    """summary.csv's columns: names the digest recognises, every option as a column."""
    extra = [k for k in plan.grid_keys if k not in OPTION_NAMES]
    return [
        "kind",
        "repetition",
        "cell",
        "config_name",
        "model",
        "host",
        "machine",
        "status",
        "error",
        *OPTION_NAMES,
        *extra,
        "tokens_per_s",
        "ttft_ms",
        "run_wall_s",
        "total_duration_ms",
        "eval_count",
        "prompt_eval_ms",
        "grounding_pct",
        "compliance_pct",
        "load_ms",
        "cold_ttft_ms",
        "cold_calls",
        "vram_pct",
        "context_length",
        "started_at",
    ]


def _row(plan: SweepPlan, record: CellRun) -> list[Any]:
    cell = plan.cell(record.cell)
    figures = record.chosen(plan.include_cold)
    residency = record.residency
    extra = [current_value(cell.config, k) for k in plan.grid_keys if k not in OPTION_NAMES]
    tokens = figures.get("tokens_generated")
    return [
        record.kind,
        record.round,
        cell.label,
        cell.label,
        cell.config.model,
        record.host,
        None if record.placement is None else record.placement.machine,
        record.status,
        record.error,
        *[current_value(cell.config, k) for k in OPTION_NAMES],
        *extra,
        figures.get("throughput_tok_s"),
        figures.get("ttft_ms"),
        figures.get("wall_s") if record.status == "ok" else record.wall_s,
        figures.get("total_duration_ms"),
        None if tokens is None else int(tokens),
        figures.get("prompt_eval_ms"),
        figures.get("grounding_rate_pct"),
        figures.get("compliance_pct"),
        record.cold_load_ms,
        record.cold_ttft_ms,
        record.cold_calls,
        None if residency is None else residency.vram_pct,
        None if residency is None else residency.context_length,
        record.started_at.isoformat(),
    ]


def _schedule_order(plan: SweepPlan) -> dict[tuple[str, int, str], int]:
    return {item.key: i for i, item in enumerate(plan.runs_in_order())}


def aligned_values(plan: SweepPlan, measured: Sequence[CellRun]) -> Values:
    """cell -> figure -> one value per measured round (None: failed or missing)."""
    return {
        cell.label: {f.key: _aligned(plan, measured, cell.label, f.key) for f in FIGURES}
        for cell in plan.cells
    }


def aggregate(
    plan: SweepPlan,
    records: Sequence[CellRun],
    *,
    sweep_id: str,
    started_at: datetime,
    out_dir: Path | None,
    data_digest_s: float | None = None,
    executor: str = "local",
) -> SweepResult:
    """Statistics, ranking and verdicts over the journal's runs."""
    objective = BY_KEY[OBJECTIVE_FIGURE[plan.objective]]
    order = _schedule_order(plan)
    records = sorted(records, key=lambda r: order.get(r.key, len(order)))
    measured = [r for r in records if r.kind == "run"]
    baseline = plan.baseline
    values = aligned_values(plan, measured)
    figures = summaries(values, FIGURES)
    summaries_by_cell: dict[str, CellSummary] = {}
    for cell in plan.cells:
        runs = [r for r in measured if r.cell == cell.label]
        ok = [r for r in runs if r.status == "ok"]
        residencies = [r.residency for r in ok if r.residency is not None]
        residency = residencies[-1] if residencies else None
        hosts: dict[str, int] = {}
        for r in runs:
            hosts[r.host] = hosts.get(r.host, 0) + 1
        summaries_by_cell[cell.label] = CellSummary(
            label=cell.label,
            values=cell.values,
            baseline=cell.baseline,
            in_grid=cell.in_grid,
            config_line=cell.config.options.config_line(),
            rank=None,
            measured=len(ok),
            failures=len(runs) - len(ok),
            hosts=hosts,
            machines=_machines(runs),
            figures=figures[cell.label],
            cold_load=summarize([r.cold_load_ms for r in ok]),
            cold_ttft=summarize([r.cold_ttft_ms for r in ok]),
            cold_calls=sum(r.cold_calls for r in ok),
            unexpected_reloads=_unexpected_reloads(ok),
            residency=residency,
            flags=_flags(cell, runs, residency),
        )
    # Verdicts: every other cell against the baseline on the objective, Holm-corrected.
    others = [c.label for c in plan.cells if not c.baseline]
    verdicts = against_baseline(objective, values, baseline.label, others)
    for label, verdict in verdicts.items():
        summaries_by_cell[label] = summaries_by_cell[label].model_copy(update={"verdict": verdict})
    # Ranking by the objective's mean; cells without a value last, in plan order.
    sign = -1.0 if objective.higher_is_better else 1.0
    plan_order = {c.label: i for i, c in enumerate(plan.cells)}

    def rank_key(label: str) -> tuple[int, float, int]:
        mean = summaries_by_cell[label].figures[objective.key].mean
        return (mean is None, 0.0 if mean is None else sign * mean, plan_order[label])

    ranking = sorted(summaries_by_cell, key=rank_key)
    ranked = []
    for position, label in enumerate(ranking, start=1):
        has_value = summaries_by_cell[label].figures[objective.key].mean is not None
        ranked.append(
            summaries_by_cell[label].model_copy(update={"rank": position if has_value else None})
        )
    best = ranked[0].label if ranked and ranked[0].rank is not None else None
    runner_up = ranked[1].label if len(ranked) > 1 and ranked[1].rank is not None else None
    runner_up_verdict = None
    # Against a baseline runner-up the verdict above already says it (Holm-corrected).
    if best is not None and runner_up is not None and runner_up != baseline.label:
        runner_up_verdict = head_to_head(
            objective, values[runner_up][objective.key], values[best][objective.key], best
        )
    hosts_total: dict[str, int] = {}
    for r in measured:
        hosts_total[r.host] = hosts_total.get(r.host, 0) + 1
    return SweepResult(
        sweep_id=sweep_id,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        plan=plan,
        objective=_info(objective),
        figures=[_info(f) for f in FIGURES],
        cells=ranked,
        baseline=baseline.label,
        best=best,
        best_verdict=None if best is None else summaries_by_cell[best].verdict,
        runner_up=runner_up,
        runner_up_verdict=runner_up_verdict,
        table=Table(columns=table_columns(plan), rows=[_row(plan, r) for r in records]),
        runs_total=len(measured),
        runs_failed=sum(1 for r in measured if r.status != "ok"),
        hosts=hosts_total,
        include_cold=plan.include_cold,
        data_digest_s=data_digest_s,
        versions=package_versions(),
        out_dir=str(out_dir) if out_dir else None,
        executor=executor,
        retried_runs=sum(r.attempts - 1 for r in records),
        served_by=_served_note(measured),
    )


def _served_note(measured: Sequence[CellRun]) -> str | None:
    """How many measured runs Chimera's stub answered (their figures are a test's); None: none."""
    stub = [r for r in measured if r.served_by]
    if not stub:
        return None
    return f"{len(stub)} of {len(measured)} measured runs were answered by {stub[0].served_by}"
