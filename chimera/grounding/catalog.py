"""Every figure Chimera knows to be true, each with its context: what a report may cite.

- The digest: per metric and group, mean / median / p95 / min / max / std and n (and, for
  a summary file's values, the runs its `runs` column says they are over), in the
  context of its group (model, config with its settings, file). Statistics of a config
  name that several models share are left out: they mix models, and no single model's
  data supports them.
- The settings each setup was measured with (`num_ctx` = 2048 for gemma3:270m / gpu80_...).
- Counts: rows and tables read, error rows per file, models and configs.
- The findings' own figures (percent differences, coefficients of variation, ...).
- The run itself: its measured metrics, the files it analysed, its agent's settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from chimera.grounding.known import CarriesFigures, KnownFigure
from chimera.ingest.digest.models import DataDigest, MetricStats
from chimera.ingest.digest.stats import PAIR_SEPARATOR, SETTING_GROUPING
from chimera.metrics import RunMetrics

_STATISTICS = ("mean", "median", "p95", "min", "max", "std")
_COMPARISONS = ("ratio", "pct", "interval")  # a finding's figures of a comparison
_NAMED_FILES = 3  # files a figure's provenance names before "and N more"
# RunMetrics field -> (unit, metric, statistic)
_RUN_FIELDS = {
    "throughput_tok_s": ("tok/s", "tokens_per_s", "mean"),
    "ttft_ms": ("ms", "ttft_ms", "mean"),
    "total_duration_ms": ("ms", "total_ms", "sum"),
    "tokens_generated": ("tokens", "eval_count", "sum"),
    "prompt_eval_ms": ("ms", "prompt_eval_ms", "sum"),
    "eval_duration_ms": ("ms", "eval_ms", "sum"),
    "load_duration_ms": ("ms", "load_ms", "sum"),
    "prompt_tokens": ("tokens", "prompt_eval_count", "sum"),
    "calls": ("calls", "llm_calls", "count"),
}


def _named_files(sources: Sequence[str]) -> str:
    # A statistic over all rows of a large folder has thousands of sources; naming them all
    # in each of its figures made provenance unreadable and cost megabytes.
    more = len(sources) - _NAMED_FILES
    return ", ".join(sources[:_NAMED_FILES]) + (f" and {more:,} more files" if more > 0 else "")


def _settings(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Groupings whose groups are setups (model / config), whole or in part.
_SETUP_GROUPINGS = frozenset(
    {"model+config_name", "model+config_name+workload", "model+config_name+file"}
)


def _scope(digest: DataDigest, s: MetricStats) -> dict[str, str]:
    """The machine and engine of a statistic, where the data has several of them."""
    context = {}
    if len({sc.machine for sc in digest.scopes}) > 1:
        context["machine"] = s.machine or "not stated"
    if len({sc.engine for sc in digest.scopes}) > 1:
        context["engine"] = s.engine or "not stated"
    return context


def _group_context(digest: DataDigest, s: MetricStats, shared: set[str]) -> dict[str, str] | None:
    """The context of a statistic's group; None when it must not be cited (see module doc)."""
    context = _group_only(digest, s, shared)
    return None if context is None else {**context, **_scope(digest, s)}


def _group_only(digest: DataDigest, s: MetricStats, shared: set[str]) -> dict[str, str] | None:
    group = s.group or ""
    scope = (s.machine, s.engine)
    if s.group_by is None:
        return {}
    if s.group_by == "model":
        return {"model": group}
    if s.group_by == "file":
        return {"file": group}
    if s.group_by == "config_name":
        if group in shared:
            return None
        params = {k: _settings(v) for k, v in digest.configs.get(group, {}).items()}
        owners = [x for x in digest.setups if x.config == group]
        model = {"model": owners[0].model} if len(owners) == 1 and owners[0].model else {}
        synthetic = any(x.synthetic for x in owners)
        return {**model, **params} if synthetic else {**model, "config": group, **params}
    model, _, other = group.partition(PAIR_SEPARATOR)
    if s.group_by == "model+file":
        return {"model": model, "file": other}
    if s.group_by.startswith(SETTING_GROUPING) and s.group_by not in _SETUP_GROUPINGS:
        setting, _, value = other.partition("=")
        return {"model": model, setting: value}  # the model's runs at one setting value
    setup = next(
        (
            x
            for x in digest.setups
            if x.model == model and x.config == other and (x.machine, x.engine) == scope
        ),
        None,
    )
    context = {"model": model}
    if setup is None or not setup.synthetic:
        context["config"] = other
    if setup is not None:
        context.update({k: _settings(v) for k, v in setup.params.items()})
    if s.group_by == "model+config_name+file" and s.file:
        context["file"] = s.file  # one session of the setup
    return context


def digest_figures(digest: DataDigest) -> Iterator[KnownFigure]:
    """The digest's statistics, settings and counts as known figures with their context."""
    models_per_config = Counter(s.config for s in digest.setups if s.model)
    shared = {config for config, n in models_per_config.items() if n > 1}
    for s in digest.stats:
        if s.group_by == "model+config_name+workload":
            continue  # one prompt's figures: a finding that compares them carries its own
        context = _group_context(digest, s, shared)
        if context is None:
            continue
        where = ", ".join(f"{k}={v}" for k, v in context.items()) or "all rows"
        origin = f"{_named_files(s.sources)}, column {s.column}"
        of = f" of the files' {s.aggregate} values" if s.aggregate else ""
        if s.aggregate in _STATISTICS and s.n == 1:
            # One summary row for the group: its value is the group's statistic as the file
            # reports it ("4b_cpu averages 14.28 tok/s"), not a statistic of several values.
            yield KnownFigure(
                value=s.mean,
                unit=s.unit,
                kind=f"{s.metric} {s.aggregate}",
                metric=s.metric,
                statistic=s.aggregate,
                context=context,
                source=f"digest: {s.metric} {s.aggregate} as reported, {where} ({origin})",
            )
        if s.std is not None and s.mean > 0 and not s.aggregate:
            # Run-to-run variation as a coefficient of variation, in % ("varies by 8.3 %")
            yield KnownFigure(
                value=100.0 * s.std / s.mean,
                unit="%",
                kind=f"{s.metric} cv",
                metric=s.metric,
                statistic="cv",
                context=context,
                source=f"digest: {s.metric} std / mean, {where} ({origin})",
            )
        for stat in _STATISTICS:
            value = getattr(s, stat)
            if value is None:
                continue
            yield KnownFigure(
                value=value,
                unit=s.unit,
                # A summary file's values are already aggregated: the kind says so.
                kind=f"{s.metric} {stat}{' of ' + s.aggregate + 's' if s.aggregate else ''}",
                metric=s.metric,
                statistic=stat,
                context=context,
                source=f"digest: {s.metric} {stat}{of}, {where} ({origin})",
            )
        yield KnownFigure(
            value=s.n,
            unit="rows",
            kind="n",
            metric=s.metric,
            statistic="n",
            context=context,
            source=f"digest: {s.metric} n, {where} ({origin})",
        )
        if s.runs is not None:  # a summary file's run count: "(n=17)" about its row
            yield KnownFigure(
                value=s.runs,
                unit="rows",
                kind="runs",
                metric=s.metric,
                statistic="n",
                context=context,
                source=f"digest: {s.metric} runs behind the files' "
                f"{s.aggregate or 'per-row mean'} values, as the files state them, {where} "
                f"({origin})",
            )
    for setup in digest.setups:
        base = {"model": setup.model} if setup.model else {}
        if not setup.synthetic:
            base["config"] = setup.config
        for key, value in setup.params.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                # In the context of the setup's other settings: "temperature=0.7" is a value
                # measured with num_ctx=4096 only if some setup had both.
                others = {k: _settings(v) for k, v in setup.params.items() if k != key}
                yield KnownFigure(
                    value=value,
                    unit=key,
                    kind=key,
                    metric=key,
                    statistic="value",
                    context={**base, **others},
                    source=f"digest: setting {key} of {setup.model} / {setup.config}",
                )
    yield from _counts(digest)


def _count(value: int, unit: str, metric: str, source: str, **context: str) -> KnownFigure:
    return KnownFigure(
        value=value, unit=unit, kind=metric, metric=metric, statistic="count",
        context=dict(context), source=source,
    )  # fmt: skip


def _counts(digest: DataDigest) -> Iterator[KnownFigure]:
    yield _count(digest.rows_read, "rows", "rows_read", "digest: rows read")
    yield _count(digest.tables_read, "tables", "tables_read", "digest: tables read")
    if digest.configs:
        yield _count(len(digest.configs), "configs", "configs", "digest: configurations")
    models = {s.group for s in digest.stats if s.group_by == "model"}
    if models:
        yield _count(len(models), "models", "models", "digest: models")
    for err in digest.error_rows:
        source = f"digest: error rows in {err.path}"
        yield _count(err.count, "rows", "error_rows", source, file=err.path)
    total = sum(e.count for e in digest.error_rows)
    if total:
        yield _count(total, "rows", "error_rows", "digest: error rows, all files")


def run_figures(run: RunMetrics) -> Iterator[KnownFigure]:
    """The run's own measured metrics as figures a report may cite."""
    for field, (unit, metric, statistic) in _RUN_FIELDS.items():
        value = getattr(run, field)
        if value is not None:
            yield KnownFigure(
                value=value,
                unit=unit,
                kind=f"{metric} {statistic} by run",
                metric=metric,
                statistic=statistic,
                context={"run": "this run"},
                source=f"run metrics: {field}",
            )


def data_figures(
    digest: DataDigest | None, carriers: Sequence[CarriesFigures] = ()
) -> Iterator[KnownFigure]:
    """The figures of the data alone: the digest's, then the findings' (or highlights')."""
    if digest is not None:
        yield from digest_figures(digest)
    for carrier in carriers:
        finding = getattr(carrier, "id", None)
        for fig in carrier.values:
            # a comparison's figure knows its finding (`KnownFigure.finding`)
            stated = finding and fig.finding is None and fig.statistic in _COMPARISONS
            yield fig.model_copy(update={"finding": finding}) if stated else fig


def unique(figures: Iterable[KnownFigure]) -> list[KnownFigure]:
    """Figures deduplicated by value, unit, metric, statistic, context and the finding that
    states them (a ratio two findings state is of both comparisons); first kept."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for fig in figures:
        key = (
            round(fig.value, 9),
            fig.unit,
            fig.metric,
            fig.statistic,
            tuple(sorted(fig.context.items())),
            fig.finding,
        )
        if key not in seen:
            seen.add(key)
            out.append(fig)
    return out
