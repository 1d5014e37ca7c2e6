"""One aggregation for comparisons and sweeps: per-subject summaries and verdicts.

A **subject** is what is compared (a comparison's variant, a sweep's cell). Its values
are aligned by round: `values[subject][figure][i]` comes from measured round i, None
where that run failed or is missing, so paired deltas pair the same rounds.

Rules, stated once:
- Summaries (mean, Student-t interval) use the values that exist; failures are counted
  by the plan, never averaged.
- Every other subject faces the baseline, paired by round; several faces of one
  baseline are Holm-corrected together (picking the best of many otherwise finds a
  "winner" by chance). Below `MIN_RUNS_FOR_VERDICT` values a side gets no verdict.
- A figure whose values all sit below its resolution (`chimera.run_figures`) is not
  compared in percent: the verdict says it is too small to measure.
- `head_to_head`: one uncorrected comparison (a sweep's best against its runner-up).
"""

from __future__ import annotations

from collections.abc import Sequence

from chimera.run_figures import RunFigure
from chimera.statistics import (
    DeltaCI,
    Summary,
    adjust_for_comparisons,
    compare_figure,
    summarize,
)

Aligned = list[float | None]
Values = dict[str, dict[str, Aligned]]  # subject -> figure key -> one value per round


def summaries(values: Values, figures: Sequence[RunFigure]) -> dict[str, dict[str, Summary]]:
    """subject -> figure key -> its summary."""
    return {
        subject: {f.key: summarize(by_key.get(f.key, [])) for f in figures}
        for subject, by_key in values.items()
    }


def _below_resolution(figure: RunFigure, delta: DeltaCI, *sides: Aligned) -> bool:
    if delta.outcome == "too_few_runs":
        return False  # that says it first
    measured = [v for side in sides for v in side if v is not None]
    return (
        bool(figure.resolution)
        and bool(measured)
        and all(abs(v) < figure.resolution for v in measured)
    )


def _too_small(figure: RunFigure, delta: DeltaCI) -> DeltaCI:
    """The delta without percentages: every value is below what the figure can show."""
    limit = f"{figure.resolution:g}"
    return delta.model_copy(
        update={
            "outcome": "no_measurable_difference",
            "delta_pct": None,
            "ci_low_pct": None,
            "ci_high_pct": None,
            "verdict": f"too small to compare (every value below {limit} {figure.unit})",
        }
    )


def named(figure: RunFigure, delta: DeltaCI) -> DeltaCI:
    """The delta with its verdict starting with the figure it is about: "better (B faster
    by 12.3 % [8.1, 16.0])" alone does not say of what, once taken out of a list."""
    return delta.model_copy(update={"verdict": f"{figure.label}: {delta.verdict}"})


def against_baseline(
    figure: RunFigure, values: Values, baseline: str, others: Sequence[str]
) -> dict[str, DeltaCI]:
    """`figure` of every subject in `others` against the baseline, Holm-corrected together."""
    base = values[baseline].get(figure.key, [])
    raw = [
        compare_figure(
            figure.label,
            figure.unit,
            base,
            values[other].get(figure.key, []),
            higher_is_better=figure.higher_is_better,
            paired=True,
            subject=other,
        )
        for other in others
    ]
    adjusted = adjust_for_comparisons(raw, subject=list(others))
    out = {}
    for other, delta in zip(others, adjusted, strict=True):
        if _below_resolution(figure, delta, base, values[other].get(figure.key, [])):
            delta = _too_small(figure, delta)
        out[other] = delta
    return out


def head_to_head(figure: RunFigure, a: Aligned, b: Aligned, subject: str) -> DeltaCI:
    """`b` against `a` on one figure, paired, uncorrected."""
    delta = compare_figure(
        figure.label,
        figure.unit,
        a,
        b,
        higher_is_better=figure.higher_is_better,
        paired=True,
        subject=subject,
    )
    return _too_small(figure, delta) if _below_resolution(figure, delta, a, b) else delta
