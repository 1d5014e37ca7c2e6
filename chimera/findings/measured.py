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
from chimera.ingest.digest.stats import PAIR_SEPARATOR
from chimera.ingest.digest.table import NO_SETTINGS, model_words

THROUGHPUT = "tokens_per_s"
PROMPT_RATE = "prompt_tokens_per_s"
TTFT = "ttft_ms"
LOAD = "load_ms"
# Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; beyond, normal.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_MAX_NAMED = 3
# Models one sentence names one by one (a ranking, a setting across models); the rest are
# counted: a folder of a thousand models must not make a sentence, or its check, grow with it.
MAX_MODELS_NAMED = 12

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


def _whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) <= 1e-9 * max(1.0, abs(value))


def fmt_all(values: Sequence[float]) -> list[str]:
    """Figures of one sentence (times, counts) as `fmt` prints them, but with no decimals
    where every one is whole: a file's "1024 ms" and "3877 s" are not "1024.00 ms"."""
    if values and all(_whole(v) for v in values):
        return [f"{round(v):,}" if abs(v) >= 10_000 else f"{round(v)}" for v in values]
    return [fmt(v) for v in values]


def rate(value: float, metric: str = "tokens_per_s") -> str:
    """A rate as the report writes it: '43.30 tok/s', and for prompt processing '466.90 tok/s
    prompt processing', so every such figure says in its own clause which rate it is."""
    text = f"{fmt(value)} tok/s"
    return text + " prompt processing" if metric == "prompt_tokens_per_s" else text


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
    machine: str | None = None
    engine: str | None = None
    where: str = ""  # " on RTX 3080" where the data has several machines (or engines)
    # Per workload (prompt or test) its per-run statistics: runs of one workload are
    # repetitions; a setup's runs over several workloads vary by workload too.
    cells: dict[str, dict[str, MetricStats]] = field(default_factory=dict)
    # The least and most share of the model in VRAM (percent) its rows state (Ollama's
    # `ollama ps` PROCESSOR, /api/ps's size_vram / size); None where none states it.
    gpu_share: tuple[float, float] | None = None

    @property
    def scope(self) -> tuple[str | None, str | None]:
        """The machine and engine: groups of two scopes are never compared as settings."""
        return (self.machine, self.engine)

    @property
    def subject(self) -> str:
        """The model as measured here: "gemma3:4b", or "gemma3:4b on RTX 3080"."""
        return f"{model_words(self.model)}{self.where}"

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


def _context(
    model: str | None,
    config: str | None,
    params: dict[str, Any],
    scope: dict[str, str] | None = None,
) -> dict[str, str]:
    context: dict[str, str] = {}
    if model:
        context["model"] = model
    if config:
        context["config"] = config
    context.update({k: setting_value(v) for k, v in params.items()})
    context.update(scope or {})
    return context


Key = tuple[str | None, str | None, str]  # machine, engine, group


def several(digest: DataDigest) -> tuple[bool, bool]:
    """Whether the data has several machines, several engines."""
    return (
        len({sc.machine for sc in digest.scopes}) > 1,
        len({sc.engine for sc in digest.scopes}) > 1,
    )


def scope_context(digest: DataDigest, machine: str | None, engine: str | None) -> dict[str, str]:
    """The machine and engine as a figure's context, where the data has several of them."""
    machines, engines = several(digest)
    context = {}
    if machines:
        context["machine"] = machine or "not stated"
    if engines:
        context["engine"] = engine or "not stated"
    return context


def scope_words(digest: DataDigest, machine: str | None, engine: str | None) -> str:
    """' on RTX 3080' / ' on RTX 3080 with llama.cpp (CUDA)' where the data has several."""
    machines, engines = several(digest)
    words = ""
    if machines:
        words += f" on {machine or 'a machine no file names'}"
    if engines:
        words += f" with {engine or 'an engine no file names'}"
    return words


def _by_group(digest: DataDigest, group_by: str) -> dict[Key, dict[str, MetricStats]]:
    """Per-run statistics of one grouping: (machine, engine, group) -> metric -> stats."""
    found: dict[Key, dict[str, MetricStats]] = {}
    for s in digest.stats:
        if s.group_by == group_by and s.aggregate is None and s.group is not None and s.n > 0:
            found.setdefault((s.machine, s.engine, s.group), {})[s.metric] = s
    return found


def _cells(digest: DataDigest) -> dict[Key, dict[str, dict[str, MetricStats]]]:
    """Per (machine, engine, "model / config"): workload -> metric -> per-run stats."""
    cells: dict[Key, dict[str, dict[str, MetricStats]]] = {}
    for s in digest.stats:
        if s.group_by == "model+config_name+workload" and s.aggregate is None and s.n > 0:
            key = (s.machine, s.engine, s.group or "")
            cells.setdefault(key, {}).setdefault(s.workload or "", {})[s.metric] = s
    return cells


def setups(digest: DataDigest) -> list[Measured]:
    """Every (model, config) measured per run on one machine and engine, with the settings
    its rows state."""
    stats = _by_group(digest, "model+config_name")
    cells = _cells(digest)
    conflicting = set(digest.conflicting_setups)
    out = []
    for setup in digest.setups:
        if setup.model is None:
            continue
        group = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        if group in conflicting:
            continue  # one name, two sets of settings: its rows mix setups
        metrics = stats.get((setup.machine, setup.engine, group))
        if not metrics:
            continue  # only summary values (already aggregated) for this setup
        if THROUGHPUT in metrics and metrics[THROUGHPUT].mean <= 0:
            continue  # a rate of zero or less is a broken measurement, not a setup's speed
        scope = scope_context(digest, setup.machine, setup.engine)
        context = _context(
            setup.model, None if setup.synthetic else setup.config, setup.params, scope
        )
        where = scope_words(digest, setup.machine, setup.engine)
        # A reader names a setup whose files state no settings by its model alone.
        name = setup.model if setup.config == NO_SETTINGS else group
        out.append(
            Measured(
                name + where,
                setup.model,
                setup.config,
                dict(setup.params),
                metrics,
                None,
                None,
                context,
                setup.machine,
                setup.engine,
                where,
                cells.get((setup.machine, setup.engine, group), {}),
                None
                if setup.gpu_share_min is None
                else (setup.gpu_share_min, setup.gpu_share_max or setup.gpu_share_min),
            )  # fmt: skip
        )
    return out


def models(digest: DataDigest) -> list[Measured]:
    """Each model over all its per-run rows, per machine and engine."""
    out = []
    for (machine, engine, model), metrics in sorted(
        _by_group(digest, "model").items(), key=lambda item: _sort_key(item[0])
    ):
        scope = scope_context(digest, machine, engine)
        where = scope_words(digest, machine, engine)
        out.append(
            Measured(
                model + where,
                model,
                None,
                {},
                metrics,
                context={"model": model, **scope},
                machine=machine,
                engine=engine,
                where=where,
            )  # fmt: skip
        )
    return out


def _sort_key(key: Key) -> tuple[str, str, str]:
    machine, engine, group = key
    return (group, machine or "", engine or "")


def model_files(digest: DataDigest) -> list[Measured]:
    """Each model in each file: one benchmark session, dated by the file when it can be."""
    out = []
    for (machine, engine, label), metrics in sorted(
        _by_group(digest, "model+file").items(), key=lambda item: _sort_key(item[0])
    ):
        model, _, path = label.partition(PAIR_SEPARATOR)
        scope = scope_context(digest, machine, engine)
        context = {"model": model, "file": path, **scope}
        out.append(
            Measured(
                label,
                model,
                None,
                {},
                metrics,
                path,
                digest.file_dates.get(path),
                context,
                machine,
                engine,
                scope_words(digest, machine, engine),
            )  # fmt: skip
        )
    return out


def overall(digest: DataDigest) -> dict[str, MetricStats]:
    """Each metric over all per-run rows; with several machines or engines, none (a mean
    over two machines describes neither)."""
    if any(several(digest)):
        return {}
    return {
        s.metric: s for s in digest.stats if s.group_by is None and s.aggregate is None and s.n > 0
    }


def file_metrics(digest: DataDigest) -> dict[str, frozenset[str]]:
    """Each file's metrics, its summary rows' too (bench_results' prompt rate and prompt
    length beside its decode runs): what the tool that wrote it measured."""
    found: dict[str, set[str]] = {}
    for s in digest.stats:
        if len(s.sources) == 1:
            found.setdefault(s.sources[0], set()).add(s.metric)
    return {path: frozenset(metrics) for path, metrics in found.items()}


def stands_for_defaults(
    m: Measured, tuned: Iterable[Measured], measured_in: dict[str, frozenset[str]]
) -> bool:
    """Whether a setup whose files state no settings is the engine's defaults beside configs
    that state theirs: only where its files measured all that one of theirs did, the same
    tool's output (ChimeraForge's quantisation bench beside its parameter sweep, both Ollama's
    eight figures a prompt). A file of other measurements (an eval's summary, one decode rate
    a model beside its coding scores) states no settings because it states nothing of them:
    no evidence of defaults."""
    if not measured_in:
        return True
    mine = frozenset().union(*(measured_in.get(src, frozenset()) for src in m.sources))
    return any(
        frozenset().union(*(measured_in.get(src, frozenset()) for src in t.sources)) <= mine
        for t in tuned
    )
