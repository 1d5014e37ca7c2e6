"""Statistics for `chimera compare`: summaries, bootstrap CIs of B - A, verdicts, concurrency.

Pure functions over lists of numbers: no I/O, no LLM. None means "not measured" (see
`chimera.metrics`) and is dropped before any arithmetic, never read as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypeGuard

import numpy as np
from pydantic import BaseModel, Field

SIGN_CONVENTION = (
    "delta = B - A (mean of B minus mean of A); percentages are relative to A's mean; "
    "a positive delta means B is higher. Brackets are the 95 % percentile-bootstrap "
    "confidence interval of the delta; a difference is claimed only when it excludes zero."
)

DEFAULT_RESAMPLES = 10_000
DEFAULT_CONFIDENCE = 0.95
# Below this many values per side a bootstrap CI is meaningless, so no verdict is given.
MIN_RUNS_FOR_VERDICT = 2
# Concurrent runs count as contended when the speedup is below this share of the ideal
# (n_agents); for two agents that is a speedup below 1.5.
CONTENTION_EFFICIENCY = 0.75

Outcome = Literal["better", "worse", "no_clear_difference", "not_enough_runs"]


def _is_measured(value: float | None) -> TypeGuard[float]:
    """None and NaN both mean "not measured"."""
    return value is not None and not math.isnan(value)


def _clean(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if _is_measured(v)]


class Summary(BaseModel):
    """Descriptive statistics of one figure over the measured repetitions."""

    n: int
    mean: float | None
    median: float | None
    stdev: float | None = Field(description="sample standard deviation (n - 1); None for n < 2")
    min: float | None
    max: float | None
    p95: float | None = Field(description="95th percentile, linear interpolation")


def summarize(values: Sequence[float | None]) -> Summary:
    """Summarise `values`; None (and NaN) entries are ignored and not counted in `n`.

    `stdev` is the sample standard deviation (divisor n - 1), None when n < 2. `p95` uses
    linear interpolation between closest ranks (numpy's default 'linear' method:
    position 0.95 * (n - 1) in the sorted values). Every field but `n` is None when n == 0.
    """
    clean = _clean(values)
    if not clean:
        return Summary(n=0, mean=None, median=None, stdev=None, min=None, max=None, p95=None)
    arr = np.asarray(clean, dtype=float)
    return Summary(
        n=arr.size,
        mean=float(arr.mean()),
        median=float(np.median(arr)),
        stdev=float(arr.std(ddof=1)) if arr.size >= 2 else None,
        min=float(arr.min()),
        max=float(arr.max()),
        p95=float(np.percentile(arr, 95, method="linear")),
    )


def bootstrap_delta_ci(
    a: Sequence[float],
    b: Sequence[float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
    paired: bool = False,
) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of mean(b) - mean(a).

    Unpaired: each side is resampled with replacement independently. Paired: repetition
    indices are resampled jointly, i.e. the per-repetition differences b[i] - a[i] are
    resampled, which removes between-repetition drift shared by A and B; `a` and `b` must
    then have the same length, in repetition order. Deterministic for a given `seed`.
    """
    arr_a = np.asarray(a, dtype=float)
    arr_b = np.asarray(b, dtype=float)
    if arr_a.size == 0 or arr_b.size == 0:
        raise ValueError("bootstrap needs at least one value on each side")
    if paired and arr_a.size != arr_b.size:
        raise ValueError(f"paired bootstrap needs equal lengths (got {arr_a.size}, {arr_b.size})")
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")

    rng = np.random.default_rng(seed)
    # One (resamples x n) index matrix per side: vectorised, 10k x 50 is a few ms.
    if paired:
        diffs = arr_b - arr_a
        idx = rng.integers(0, diffs.size, size=(resamples, diffs.size))
        deltas = diffs[idx].mean(axis=1)
    else:
        idx_a = rng.integers(0, arr_a.size, size=(resamples, arr_a.size))
        idx_b = rng.integers(0, arr_b.size, size=(resamples, arr_b.size))
        deltas = arr_b[idx_b].mean(axis=1) - arr_a[idx_a].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(deltas, [tail, 100 - tail])
    return float(low), float(high)


class DeltaCI(BaseModel):
    """The B - A difference of one figure, with its bootstrap CI and a one-line verdict.

    Percent fields are relative to |mean_a| and None when mean_a is 0 or missing; CI fields
    are None with fewer than `MIN_RUNS_FOR_VERDICT` values on a side.
    """

    figure: str
    unit: str
    mean_a: float | None
    mean_b: float | None
    delta: float | None = Field(description="mean_b - mean_a")
    delta_pct: float | None
    ci_low: float | None
    ci_high: float | None
    ci_low_pct: float | None
    ci_high_pct: float | None
    n_a: int
    n_b: int
    higher_is_better: bool
    outcome: Outcome = Field(description="B vs A in the figure's own sense of better")
    verdict: str


def _pct(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base == 0:
        return None
    # |base| keeps the sign meaning "B is higher" even for a negative mean_a.
    return value / abs(base) * 100


def _default_words(figure: str, unit: str) -> tuple[str, str]:
    """Verdict words for (B higher, B lower): rates read as speed, TTFT is named."""
    if unit.endswith("/s"):
        return "faster", "slower"
    if "ttft" in figure.lower():
        return "higher TTFT", "lower TTFT"
    return "higher", "lower"


def _verdict(d: DeltaCI, words: tuple[str, str]) -> tuple[Outcome, str]:
    if min(d.n_a, d.n_b) < MIN_RUNS_FOR_VERDICT:
        n = f"n={d.n_a}" if d.n_a == d.n_b else f"n_a={d.n_a}, n_b={d.n_b}"
        return "not_enough_runs", f"not enough runs for a verdict ({n})"
    assert d.delta is not None and d.ci_low is not None and d.ci_high is not None
    use_pct = d.delta_pct is not None
    if use_pct:
        delta, low, high, suffix = d.delta_pct, d.ci_low_pct, d.ci_high_pct, " %"
    else:
        delta, low, high, suffix = d.delta, d.ci_low, d.ci_high, f" {d.unit}".rstrip()
    assert delta is not None and low is not None and high is not None
    if d.ci_low <= 0 <= d.ci_high:
        return (
            "no_clear_difference",
            f"no clear difference (delta {delta:+.1f}{suffix} [{low:.1f}, {high:.1f}])",
        )
    b_higher = d.ci_low > 0
    outcome: Outcome = "better" if b_higher == d.higher_is_better else "worse"
    if b_higher:
        return outcome, f"B {words[0]} by {delta:.1f}{suffix} [{low:.1f}, {high:.1f}]"
    # Report a decrease as a positive magnitude, so its CI flips: [-high, -low].
    return outcome, f"B {words[1]} by {-delta:.1f}{suffix} [{-high:.1f}, {-low:.1f}]"


def compare_figure(
    figure: str,
    unit: str,
    a: Sequence[float | None],
    b: Sequence[float | None],
    *,
    higher_is_better: bool,
    paired: bool,
    seed: int = 0,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    words: tuple[str, str] | None = None,
) -> DeltaCI:
    """Compare one figure between variant A and variant B (delta = B - A, see SIGN_CONVENTION).

    None values are dropped; when `paired`, `a[i]` and `b[i]` come from repetition i and a
    repetition missing either value is dropped from both sides. `words` overrides the verdict
    words for (B higher, B lower); by default a rate unit ("tok/s") reads "faster"/"slower",
    a TTFT figure "higher TTFT"/"lower TTFT", anything else "higher"/"lower".
    """
    if paired:
        if len(a) != len(b):
            raise ValueError(f"paired comparison needs equal lengths (got {len(a)}, {len(b)})")
        pairs = [
            (float(x), float(y))
            for x, y in zip(a, b, strict=True)
            if _is_measured(x) and _is_measured(y)
        ]
        clean_a = [x for x, _ in pairs]
        clean_b = [y for _, y in pairs]
    else:
        clean_a, clean_b = _clean(a), _clean(b)

    mean_a = float(np.mean(clean_a)) if clean_a else None
    mean_b = float(np.mean(clean_b)) if clean_b else None
    delta = mean_b - mean_a if mean_a is not None and mean_b is not None else None
    ci_low = ci_high = None
    if min(len(clean_a), len(clean_b)) >= MIN_RUNS_FOR_VERDICT:
        ci_low, ci_high = bootstrap_delta_ci(
            clean_a, clean_b, resamples=resamples, confidence=confidence, seed=seed, paired=paired
        )
    result = DeltaCI(
        figure=figure,
        unit=unit,
        mean_a=mean_a,
        mean_b=mean_b,
        delta=delta,
        delta_pct=_pct(delta, mean_a),
        ci_low=ci_low,
        ci_high=ci_high,
        ci_low_pct=_pct(ci_low, mean_a),
        ci_high_pct=_pct(ci_high, mean_a),
        n_a=len(clean_a),
        n_b=len(clean_b),
        higher_is_better=higher_is_better,
        outcome="not_enough_runs",
        verdict="",
    )
    outcome, verdict = _verdict(result, words or _default_words(figure, unit))
    return result.model_copy(update={"outcome": outcome, "verdict": verdict})


class ConcurrencyFigures(BaseModel):
    """How much running the agents at once saved versus running them one after another."""

    n_agents: int
    solo_wall_sum: float = Field(description="sum of the agents' solo wall times")
    concurrent_wall: float
    speedup: float = Field(description="solo_wall_sum / concurrent_wall; ideal is n_agents")
    efficiency_pct: float = Field(description="speedup / n_agents * 100")
    contention: bool = Field(
        description=f"speedup < {CONTENTION_EFFICIENCY} * n_agents (below 1.5 for two agents)"
    )


def concurrency_figures(solo_walls: Sequence[float], concurrent_wall: float) -> ConcurrencyFigures:
    """Speedup and efficiency of one concurrent run against the same agents run solo.

    Contention is flagged when the speedup falls below `CONTENTION_EFFICIENCY` (75 %) of the
    ideal n_agents, i.e. below 1.5 for two agents: the agents are mostly waiting on a shared
    resource (one GPU, one Ollama server) rather than overlapping.
    """
    if not solo_walls:
        raise ValueError("need at least one solo wall time")
    if concurrent_wall <= 0:
        raise ValueError("concurrent wall time must be positive")
    n = len(solo_walls)
    total = float(sum(solo_walls))
    speedup = total / concurrent_wall
    return ConcurrencyFigures(
        n_agents=n,
        solo_wall_sum=total,
        concurrent_wall=float(concurrent_wall),
        speedup=speedup,
        efficiency_pct=speedup / n * 100,
        contention=speedup < CONTENTION_EFFICIENCY * n,
    )
