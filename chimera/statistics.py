"""Statistics shared by `chimera compare` and `chimera sweep`: summaries, intervals, verdicts.

Pure functions over lists of numbers: no I/O, no LLM. None means "not measured" (see
`chimera.metrics`) and is dropped before any arithmetic, never read as 0.

Rules, stated once:

- **Intervals** are Student-t: the paired t interval of the mean difference when values
  come in repetitions (drift shared by both sides cancels), Welch's interval otherwise
  (unequal variances allowed). At small n they are as wide as the data warrants: two runs
  give t = 12.71, where a percentile bootstrap of two values gave almost no width at all.
- **Verdicts** need `MIN_RUNS_FOR_VERDICT` (3) measured values on each side; below that
  the verdict is "too few runs". Otherwise a difference is claimed ("better" / "worse",
  in the figure's own sense) only when its interval excludes zero and, when several
  variants are compared with one baseline, its Holm-adjusted p-value is below 0.05;
  else "no measurable difference".
- **Percentages**: deltas are relative to the baseline's mean, except for figures already
  in % (grounding, compliance), whose deltas are in percentage points.
- **Concurrency**: the seed-compatible speedup (sum of the agents' walls in the concurrent
  run / its wall) stays near n even when agents slow each other down; the strict speedup
  divides the agents' walls measured *alone* (solo runs of the same comparison) instead,
  and contention is flagged from that measured slowdown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeGuard

import numpy as np
from pydantic import BaseModel, Field

SIGN_CONVENTION = (
    "delta = B - A (mean of B minus mean of A); percentages are relative to A's mean, and "
    "figures already in % differ in percentage points; a positive delta means B is higher. "
    "Brackets are the 95 % Student-t confidence interval of the delta (paired by repetition, "
    "else Welch's); a difference is claimed only when it excludes zero, with 3 or more runs "
    "per side, after Holm's correction when several variants face one baseline."
)

DEFAULT_RESAMPLES = 10_000
DEFAULT_CONFIDENCE = 0.95
# Below this many measured values per side no verdict is given: with two, one outlier
# decides the outcome, and the interval (t = 12.71) spans almost anything.
MIN_RUNS_FOR_VERDICT = 3
# Concurrent agents are contended when their walls grow by at least this much over the
# walls each measured alone.
CONTENTION_SLOWDOWN_PCT = 10.0

Outcome = Literal["better", "worse", "no_measurable_difference", "too_few_runs"]
OUTCOME_WORDS: dict[str, str] = {
    "better": "better",
    "worse": "worse",
    "no_measurable_difference": "no measurable difference",
    "too_few_runs": "too few runs",
}


def _is_measured(value: float | None) -> TypeGuard[float]:
    """None and NaN both mean "not measured"."""
    return value is not None and not math.isnan(value)


def _clean(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if _is_measured(v)]


# ---------------------------------------------------------------- Student-t distribution


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta (modified Lentz)."""
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < eps:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom (df may be fractional)."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(q: float, df: float) -> float:
    """The t value with P(T <= t) = q (bisection on `t_cdf`; ample for intervals)."""
    if not 0 < q < 1:
        raise ValueError("q must be between 0 and 1")
    if q == 0.5:
        return 0.0
    if q < 0.5:
        return -t_quantile(1.0 - q, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < q:
        low, high = high, high * 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < q:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


# ---------------------------------------------------------------- summaries


class Summary(BaseModel):
    """Descriptive statistics of one figure over the measured repetitions."""

    n: int
    mean: float | None
    median: float | None
    stdev: float | None = Field(description="sample standard deviation (n - 1); None for n < 2")
    min: float | None
    max: float | None
    p95: float | None = Field(description="95th percentile, linear interpolation")
    ci_low: float | None = Field(None, description="95 % Student-t interval of the mean; n >= 2")
    ci_high: float | None = None


def mean_interval(
    values: Sequence[float], confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float] | None:
    """The Student-t confidence interval of the mean of `values`; None below two values."""
    if len(values) < 2:
        return None
    arr = np.asarray(values, dtype=float)
    mean = float(arr.mean())
    half = t_quantile(0.5 + confidence / 2, arr.size - 1) * float(arr.std(ddof=1)) / arr.size**0.5
    return mean - half, mean + half


def summarize(values: Sequence[float | None]) -> Summary:
    """Summarise `values`; None (and NaN) entries are ignored and not counted in `n`.

    `stdev` is the sample standard deviation (divisor n - 1), None when n < 2. `p95` uses
    linear interpolation between closest ranks (numpy's default 'linear' method:
    position 0.95 * (n - 1) in the sorted values). `ci_low`/`ci_high` are the 95 %
    Student-t interval of the mean (n >= 2). Every field but `n` is None when n == 0.
    """
    clean = _clean(values)
    if not clean:
        return Summary(n=0, mean=None, median=None, stdev=None, min=None, max=None, p95=None)
    arr = np.asarray(clean, dtype=float)
    interval = mean_interval(clean)
    return Summary(
        n=arr.size,
        mean=float(arr.mean()),
        median=float(np.median(arr)),
        stdev=float(arr.std(ddof=1)) if arr.size >= 2 else None,
        min=float(arr.min()),
        max=float(arr.max()),
        p95=float(np.percentile(arr, 95, method="linear")),
        ci_low=None if interval is None else interval[0],
        ci_high=None if interval is None else interval[1],
    )


# ---------------------------------------------------------------- intervals of a difference


@dataclass(frozen=True)
class DeltaTest:
    """mean(b) - mean(a) with its t statistic: what an interval at any level needs."""

    delta: float
    std_error: float
    df: float
    method: Literal["paired t", "Welch t"]

    @property
    def p_value(self) -> float:
        """Two-sided p-value of "no difference"."""
        if self.std_error == 0:
            return 1.0 if self.delta == 0 else 0.0
        return 2.0 * (1.0 - t_cdf(abs(self.delta) / self.std_error, self.df))

    def interval(self, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
        if not 0 < confidence < 1:
            raise ValueError("confidence must be between 0 and 1")
        half = t_quantile(0.5 + confidence / 2, self.df) * self.std_error
        return self.delta - half, self.delta + half


def delta_test(a: Sequence[float], b: Sequence[float], *, paired: bool) -> DeltaTest:
    """The t test of mean(b) - mean(a); each side needs two values (paired: two pairs).

    Paired: the per-repetition differences b[i] - a[i] (equal lengths, repetition order).
    Unpaired: Welch's test, degrees of freedom by Welch-Satterthwaite.
    """
    arr_a = np.asarray(a, dtype=float)
    arr_b = np.asarray(b, dtype=float)
    if paired:
        if arr_a.size != arr_b.size:
            raise ValueError(f"paired test needs equal lengths (got {arr_a.size}, {arr_b.size})")
        if arr_a.size < 2:
            raise ValueError("a paired t test needs at least two pairs")
        diffs = arr_b - arr_a
        se = float(diffs.std(ddof=1)) / diffs.size**0.5
        return DeltaTest(float(diffs.mean()), se, float(diffs.size - 1), "paired t")
    if min(arr_a.size, arr_b.size) < 2:
        raise ValueError("Welch's t test needs at least two values on each side")
    va = float(arr_a.var(ddof=1)) / arr_a.size
    vb = float(arr_b.var(ddof=1)) / arr_b.size
    se = math.sqrt(va + vb)
    if se == 0:
        df = float(arr_a.size + arr_b.size - 2)
    else:
        df = (va + vb) ** 2 / (va**2 / (arr_a.size - 1) + vb**2 / (arr_b.size - 1))
    return DeltaTest(float(arr_b.mean() - arr_a.mean()), se, df, "Welch t")


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

    Not used for verdicts (at small n it is too narrow: two values give nearly no width);
    kept for callers with many runs who prefer no normality assumption. Unpaired: each
    side is resampled independently; paired: the differences b[i] - a[i] are resampled.
    Deterministic for a given `seed`.
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


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order (capped at 1).

    The smallest of m p-values is multiplied by m, the next by m - 1, ...; each adjusted
    value is at least the one before it, so a claim never survives a stronger one failing.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


# ---------------------------------------------------------------- verdicts


class DeltaCI(BaseModel):
    """The B - A difference of one figure, with its interval and a one-line verdict.

    Percent fields are relative to |mean_a|; they are None when mean_a is 0 or missing,
    and for figures already in % (`points`: their delta is in percentage points).
    Interval fields are None below two values per side; the outcome needs three.
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
    points: bool = Field(False, description="the figure is a percentage: delta in points")
    method: str | None = Field(None, description="'paired t' or 'Welch t'")
    df: float | None = Field(None, description="degrees of freedom of the t interval")
    confidence: float = Field(DEFAULT_CONFIDENCE, description="level of ci_low/ci_high")
    p_value: float | None = None
    p_adjusted: float | None = Field(None, description="Holm-adjusted over `comparisons`")
    comparisons: int = Field(1, description="comparisons with the same baseline, for Holm")


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


def too_few_runs_text(n_a: int, n_b: int) -> str:
    n = f"n={n_a}" if n_a == n_b else f"n={min(n_a, n_b)} (n_a={n_a}, n_b={n_b})"
    return f"too few runs for a verdict: {n}; use --runs {MIN_RUNS_FOR_VERDICT} or more"


def _verdict(d: DeltaCI, words: tuple[str, str], subject: str) -> tuple[Outcome, str]:
    if min(d.n_a, d.n_b) < MIN_RUNS_FOR_VERDICT:
        return "too_few_runs", too_few_runs_text(d.n_a, d.n_b)
    assert d.delta is not None and d.ci_low is not None and d.ci_high is not None
    if d.delta_pct is not None:
        delta, low, high, suffix = d.delta_pct, d.ci_low_pct, d.ci_high_pct, " %"
    elif d.points:
        delta, low, high, suffix = d.delta, d.ci_low, d.ci_high, " points"
    else:
        delta, low, high, suffix = d.delta, d.ci_low, d.ci_high, f" {d.unit}".rstrip()
    assert delta is not None and low is not None and high is not None
    holm = ""
    if d.comparisons > 1 and d.p_adjusted is not None:
        holm = f"; Holm-adjusted p={d.p_adjusted:.3g} over {d.comparisons} comparisons"
    excludes_zero = not d.ci_low <= 0 <= d.ci_high
    held = d.p_adjusted is None or d.p_adjusted < 1 - d.confidence
    if not excludes_zero or not held:
        sign = f"{delta:+.1f}{suffix} [{low:.1f}, {high:.1f}]"
        return "no_measurable_difference", f"no measurable difference (delta {sign}{holm})"
    b_higher = d.ci_low > 0
    outcome: Outcome = "better" if b_higher == d.higher_is_better else "worse"
    if b_higher:
        evidence = f"{subject} {words[0]} by {delta:.1f}{suffix} [{low:.1f}, {high:.1f}]"
    else:
        # A decrease is reported as a positive magnitude, so its interval flips: [-high, -low].
        evidence = f"{subject} {words[1]} by {-delta:.1f}{suffix} [{-high:.1f}, {-low:.1f}]"
    return outcome, f"{outcome} ({evidence}{holm})"


def compare_figure(
    figure: str,
    unit: str,
    a: Sequence[float | None],
    b: Sequence[float | None],
    *,
    higher_is_better: bool,
    paired: bool,
    confidence: float = DEFAULT_CONFIDENCE,
    words: tuple[str, str] | None = None,
    subject: str = "B",
) -> DeltaCI:
    """Compare one figure between variant A and variant B (delta = B - A, see SIGN_CONVENTION).

    None values are dropped; when `paired`, `a[i]` and `b[i]` come from repetition i and a
    repetition missing either value is dropped from both sides. A figure in "%" is compared
    in percentage points. `words` overrides the verdict words for (B higher, B lower); by
    default a rate unit ("tok/s") reads "faster"/"slower", a TTFT figure "higher TTFT"/
    "lower TTFT", anything else "higher"/"lower". `subject` names B in the verdict.
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

    points = unit == "%"
    mean_a = float(np.mean(clean_a)) if clean_a else None
    mean_b = float(np.mean(clean_b)) if clean_b else None
    delta = mean_b - mean_a if mean_a is not None and mean_b is not None else None
    ci_low = ci_high = p_value = df = None
    method = None
    if min(len(clean_a), len(clean_b)) >= 2:
        test = delta_test(clean_a, clean_b, paired=paired)
        ci_low, ci_high = test.interval(confidence)
        p_value, method, df = test.p_value, test.method, test.df
    base = None if points else mean_a
    result = DeltaCI(
        figure=figure,
        unit=unit,
        mean_a=mean_a,
        mean_b=mean_b,
        delta=delta,
        delta_pct=_pct(delta, base),
        ci_low=ci_low,
        ci_high=ci_high,
        ci_low_pct=_pct(ci_low, base),
        ci_high_pct=_pct(ci_high, base),
        n_a=len(clean_a),
        n_b=len(clean_b),
        higher_is_better=higher_is_better,
        outcome="too_few_runs",
        verdict="",
        points=points,
        method=method,
        df=df,
        confidence=confidence,
        p_value=p_value,
    )
    return _with_verdict(result, words or _default_words(figure, unit), subject)


def _with_verdict(d: DeltaCI, words: tuple[str, str], subject: str) -> DeltaCI:
    outcome, verdict = _verdict(d, words, subject)
    return d.model_copy(update={"outcome": outcome, "verdict": verdict})


def adjust_for_comparisons(
    deltas: Sequence[DeltaCI],
    *,
    words: tuple[str, str] | None = None,
    subject: str | Sequence[str] = "B",
) -> list[DeltaCI]:
    """The same figure of several variants against one baseline, Holm-corrected together.

    Each delta gets its Holm-adjusted p-value and a verdict that claims a difference only
    when that is below 1 - confidence (0.05). The interval shown is widened to the level
    of its step in Holm's procedure (the smallest p of m is judged at 0.05 / m), so an
    interval that excludes zero agrees with the adjusted test except when an earlier step
    failed, which the verdict then says. One delta alone is returned unchanged.
    """
    subjects = [subject] * len(deltas) if isinstance(subject, str) else list(subject)
    testable = [i for i, d in enumerate(deltas) if d.p_value is not None]
    m = len(testable)
    out = list(deltas)
    if m < 2:
        return out
    adjusted = holm_adjust([deltas[i].p_value or 0.0 for i in testable])
    ranks = sorted(testable, key=lambda i: deltas[i].p_value or 0.0)
    for rank, i in enumerate(ranks):
        d = deltas[i]
        level = 1 - (1 - d.confidence) / (m - rank)
        low = high = None
        if d.delta is not None and d.ci_low is not None and d.ci_high is not None and d.df:
            # Same centre and t distribution, a wider quantile: rescale the half-width.
            half = (d.ci_high - d.ci_low) / 2
            factor = t_quantile(0.5 + level / 2, d.df) / t_quantile(0.5 + d.confidence / 2, d.df)
            low, high = d.delta - half * factor, d.delta + half * factor
        base = None if d.points else d.mean_a
        updated = d.model_copy(
            update={
                "ci_low": low,
                "ci_high": high,
                "ci_low_pct": _pct(low, base),
                "ci_high_pct": _pct(high, base),
                "p_adjusted": adjusted[testable.index(i)],
                "comparisons": m,
            }
        )
        out[i] = _with_verdict(updated, words or _default_words(d.figure, d.unit), subjects[i])
    return out


# ---------------------------------------------------------------- concurrency


class ConcurrencyFigures(BaseModel):
    """How much running the agents at once saved versus running them one after another."""

    n_agents: int
    solo_wall_sum: float = Field(
        description="sum of the agents' wall times in this concurrent run (seed formula)"
    )
    concurrent_wall: float
    speedup: float = Field(description="solo_wall_sum / concurrent_wall; ideal is n_agents")
    efficiency_pct: float = Field(description="speedup / n_agents * 100")
    contention: bool | None = Field(
        description=f"agents' walls grew by >= {CONTENTION_SLOWDOWN_PCT:g} % over their walls "
        "measured alone; None without solo runs"
    )
    alone_wall_sum: float | None = Field(
        None, description="sum of each agent's wall measured alone in the same comparison"
    )
    strict_speedup: float | None = Field(None, description="alone_wall_sum / concurrent_wall")
    strict_efficiency_pct: float | None = None
    slowdown_pct: float | None = Field(
        None, description="mean over agents of (wall together / wall alone - 1) x 100"
    )


def concurrency_figures(
    walls: Sequence[float],
    concurrent_wall: float,
    alone_walls: Sequence[float] | None = None,
) -> ConcurrencyFigures:
    """Speedup and efficiency of one concurrent run, seed-compatible and strict.

    `walls` are the agents' wall times inside the concurrent run: their sum over the run's
    wall is the seed's speedup, which stays near n even when agents slow each other down.
    `alone_walls` (same order) are the same agents' walls measured alone: with them come
    the strict speedup, each agent's slowdown, and the contention flag (mean slowdown of
    `CONTENTION_SLOWDOWN_PCT` or more). Without them contention is not judged (None).
    """
    if not walls:
        raise ValueError("need at least one wall time")
    if concurrent_wall <= 0:
        raise ValueError("concurrent wall time must be positive")
    if alone_walls is not None and len(alone_walls) != len(walls):
        raise ValueError("alone_walls must give one wall per agent")
    n = len(walls)
    total = float(sum(walls))
    speedup = total / concurrent_wall
    figures = ConcurrencyFigures(
        n_agents=n,
        solo_wall_sum=total,
        concurrent_wall=float(concurrent_wall),
        speedup=speedup,
        efficiency_pct=speedup / n * 100,
        contention=None,
    )
    if alone_walls is None or any(w <= 0 for w in alone_walls):
        return figures
    alone = float(sum(alone_walls))
    strict = alone / concurrent_wall
    slowdown = float(np.mean([(w / s - 1) * 100 for w, s in zip(walls, alone_walls, strict=True)]))
    return figures.model_copy(
        update={
            "alone_wall_sum": alone,
            "strict_speedup": strict,
            "strict_efficiency_pct": strict / n * 100,
            "slowdown_pct": slowdown,
            "contention": slowdown >= CONTENTION_SLOWDOWN_PCT,
        }
    )
