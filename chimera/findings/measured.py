"""What was measured, arranged for comparisons: per setup (model + config + settings), per
model and per model in one file; and the test that says whether a difference is real.

A difference between two groups is called real only when it exceeds the run-to-run spread:
Welch's t-test at the 95 % level on the groups' means, standard deviations and run counts.
With a single run on either side there is no spread to compare with, so no verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest, MetricStats
from chimera.ingest.digest.series import PAIR_SEPARATOR

THROUGHPUT = "tokens_per_s"
TTFT = "ttft_ms"
LOAD = "load_ms"
# Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; beyond, normal.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_MAX_NAMED = 3

Verdict = Literal["real", "within spread", "too few runs"]


def t_quantile_975(df: float) -> float:
    """Student's t 97.5 % quantile (two-sided 95 %), from the table, normal beyond 30 df."""
    if df < 1:
        return math.inf
    if df >= 30:
        return 1.960 + 2.4 / df  # within 0.2 % of the exact value for df >= 30
    low = int(df)
    frac = df - low
    high = min(low + 1, 30)
    return _T975[low - 1] + frac * (_T975[high - 1] - _T975[low - 1])


# Below this relative size a difference is not worth acting on, however steady the runs.
MIN_EFFECT = 0.01


def welch(a: MetricStats, b: MetricStats) -> Verdict:
    """Is mean(a) - mean(b) beyond the run-to-run spread (Welch's t-test, 95 %) and at least
    MIN_EFFECT of the larger mean?"""
    if a.n < 2 or b.n < 2 or a.std is None or b.std is None:
        return "too few runs"
    va, vb = a.std**2 / a.n, b.std**2 / b.n
    se = math.sqrt(va + vb)
    diff = abs(a.mean - b.mean)
    if diff < MIN_EFFECT * max(abs(a.mean), abs(b.mean)):
        return "within spread"
    if se == 0:
        return "real"
    df = (va + vb) ** 2 / ((va**2 / (a.n - 1) if va else 0) + (vb**2 / (b.n - 1) if vb else 0))
    return "real" if diff / se > t_quantile_975(df) else "within spread"


def finding_verdict(verdict: Verdict) -> Literal["real", "no measurable effect", "not comparable"]:
    """A test's verdict in a finding's words."""
    words = {"real": "real", "within spread": "no measurable effect"}
    return words.get(verdict, "not comparable")  # type: ignore[return-value]


def pct_change(new: float, base: float) -> float:
    """(new - base) / base in percent (callers keep non-positive bases out)."""
    return 100.0 * (new - base) / base if base > 0 else math.nan


def pct(value: float) -> str:
    """A percentage with one decimal, two where one would round it to 0 or 100."""
    text = f"{value:.1f}"
    if text.lstrip("-+") in ("0.0", "100.0") and abs(value) not in (0.0, 100.0):
        text = f"{value:.2f}"
    return text


def count_of(n: int, noun: str) -> str:
    """'1 row', '3 rows'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def fmt(value: float) -> str:
    """Figures as reports print them: 2 decimals, thousands separated above 10,000."""
    return f"{value:,.2f}" if abs(value) >= 10_000 else f"{value:.2f}"


def named(items: Sequence[str], more_word: str = "more") -> str:
    """'a, b and c', or 'a, b, c and 4 more'."""
    shown = list(items[:_MAX_NAMED])
    rest = len(items) - len(shown)
    if rest > 0:
        return ", ".join(shown) + f" and {rest} {more_word}"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def setting_value(value: Any) -> str:
    """A setting's value as configs write it: 0.8, 2048, q4_k_m."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def settings_text(params: dict[str, Any], keys: Iterable[str] | None = None) -> str:
    """'num_gpu=80, num_ctx=2048, temperature=0.8' (in the order the params are given)."""
    chosen = params if keys is None else {k: params[k] for k in keys if k in params}
    return ", ".join(f"{k}={setting_value(v)}" for k, v in chosen.items())


@dataclass(frozen=True)
class Measured:
    """The per-run statistics of one group (a setup, a model, a model in one file)."""

    label: str  # how a reader names it: "gemma3:270m / gpu80_ctx2048"
    model: str | None
    config: str | None
    params: dict[str, Any]
    metrics: dict[str, MetricStats]
    file: str | None = None
    date: str | None = None
    context: dict[str, str] = field(default_factory=dict)

    def stat(self, metric: str) -> MetricStats | None:
        return self.metrics.get(metric)

    @property
    def sources(self) -> list[str]:
        return sorted({src for s in self.metrics.values() for src in s.sources})

    def figure(
        self, metric: str, statistic: str = "mean", value: float | None = None
    ) -> KnownFigure:
        """One of this group's figures as a known figure with its context."""
        s = self.metrics[metric]
        number = float(getattr(s, statistic)) if value is None else value
        unit = "rows" if statistic == "n" else s.unit
        where = ", ".join(f"{k}={v}" for k, v in self.context.items()) or "all rows"
        return KnownFigure(
            value=number,
            unit=unit,
            kind=f"{metric} {statistic}",
            metric=metric,
            statistic=statistic,
            context=dict(self.context),
            source=f"finding: {metric} {statistic}, {where} (column {s.column} in "
            f"{named(s.sources, 'more files')})",
        )


def _context(model: str | None, config: str | None, params: dict[str, Any]) -> dict[str, str]:
    context: dict[str, str] = {}
    if model:
        context["model"] = model
    if config:
        context["config"] = config
    context.update({k: setting_value(v) for k, v in params.items()})
    return context


def _by_group(digest: DataDigest, group_by: str) -> dict[str, dict[str, MetricStats]]:
    """Per-run statistics of one grouping: group -> metric -> stats."""
    found: dict[str, dict[str, MetricStats]] = {}
    for s in digest.stats:
        if s.group_by == group_by and s.aggregate is None and s.group is not None and s.n > 0:
            found.setdefault(s.group, {})[s.metric] = s
    return found


def setups(digest: DataDigest) -> list[Measured]:
    """Every (model, config) measured per run, with the settings its rows state."""
    stats = _by_group(digest, "model+config_name")
    conflicting = set(digest.conflicting_setups)
    out = []
    for setup in digest.setups:
        if setup.model is None:
            continue
        if f"{setup.model}{PAIR_SEPARATOR}{setup.config}" in conflicting:
            continue  # one name, two sets of settings: its rows mix setups
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        metrics = stats.get(label)
        if not metrics:
            continue  # only summary values (already aggregated) for this setup
        if THROUGHPUT in metrics and metrics[THROUGHPUT].mean <= 0:
            continue  # a rate of zero or less is a broken measurement, not a setup's speed
        context = _context(setup.model, None if setup.synthetic else setup.config, setup.params)
        out.append(
            Measured(
                label, setup.model, setup.config, dict(setup.params), metrics, None, None, context
            )
        )
    return out


def models(digest: DataDigest) -> list[Measured]:
    """Each model over all its per-run rows."""
    return [
        Measured(model, model, None, {}, metrics, context={"model": model})
        for model, metrics in sorted(_by_group(digest, "model").items())
    ]


def model_files(digest: DataDigest) -> list[Measured]:
    """Each model in each file: one benchmark session, dated by the file when it can be."""
    out = []
    for label, metrics in sorted(_by_group(digest, "model+file").items()):
        model, _, path = label.partition(PAIR_SEPARATOR)
        context = {"model": model, "file": path}
        out.append(
            Measured(label, model, None, {}, metrics, path, digest.file_dates.get(path), context)
        )
    return out


def overall(digest: DataDigest) -> dict[str, MetricStats]:
    """Each metric over all per-run rows."""
    return {
        s.metric: s for s in digest.stats if s.group_by is None and s.aggregate is None and s.n > 0
    }
