"""Data highlights (no LLM): the few facts a reader wants first, computed from the digest.

Each highlight names the file(s), column and statistic it comes from, and carries the figures
it states as `KnownFigure`s, so a report that repeats them is traced by the figures check.

Rules, stated once:
- Comparisons use mean tokens/s (higher is better) and mean TTFT (lower is better) of the
  digest's groups, per-run values only; a metric that only summary files report (already
  aggregated, `MetricStats.aggregate == "mean"`) is used when there is nothing else.
- Rankings are by model; by another grouping when there is no model with a rival; by
  config_name only when the tuning lines (which name the settings) are not there. Groups
  per file and per model+config are not ranked against each other.
- Tuning lines need `digest.configs`: best and worst config by mean tokens/s, the best config
  of each model (when two or more models were tuned), and for each setting that varies
  (num_gpu, num_ctx, temperature, ...) the value whose configs have the best mean of means.
- Spread is the range (max - min) as a share of the mean within one group's rows, taken
  where rows are closest to repetitions: model+config, then config, then model, then file.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import Any

from pydantic import BaseModel, Field

from chimera.grounding.figure_text import find_figures
from chimera.grounding.known import KnownFigure, figure_kind
from chimera.ingest.digest.models import DataDigest, MetricStats

_THROUGHPUT = "tokens_per_s"
_TTFT = "ttft_ms"
_SETTINGS = ("num_gpu", "num_ctx", "temperature")
_NOT_RANKED = ("file", "model+config_name")
_MODEL_CONFIG = "model+config_name"
_MODEL_CONFIG_SEPARATOR = " / "  # how the digest joins the two in a model+config group
_MAX_NAMED = 3
_KIND_BY_CONFIG = f"{_THROUGHPUT} mean by config_name"


class Highlight(BaseModel):
    """One computed fact, where it comes from, and the figures it states."""

    text: str
    source: str = Field(description="file(s), column and statistic it was computed from")
    values: list[KnownFigure] = Field(default_factory=list)


def _series(digest: DataDigest, metric: str, group_by: str | None) -> list[MetricStats]:
    """One stats per group (per-run values, else a summary's means), sorted by group."""
    chosen: dict[str | None, MetricStats] = {}
    for aggregate in (None, "mean"):
        for s in digest.stats:
            if (
                s.metric == metric
                and s.group_by == group_by
                and s.aggregate == aggregate
                and s.n > 0
                and (s.group not in chosen or s.n > chosen[s.group].n)
            ):
                chosen[s.group] = s
        if chosen:
            break
    return [chosen[g] for g in sorted(chosen, key=lambda g: g or "")]


def _files(stats: Sequence[MetricStats]) -> str:
    files = sorted({src for s in stats for src in s.sources})
    more = len(files) - _MAX_NAMED
    return ", ".join(files[:_MAX_NAMED]) + (f" and {more} more" if more > 0 else "")


def _columns(stats: Sequence[MetricStats]) -> str:
    return ", ".join(sorted({c.strip() for s in stats for c in s.column.split(",")}))


def _statistic(s: MetricStats, name: str) -> str:
    """'tokens_per_s mean' or, for a summary file's values, 'mean of tokens_per_s means'."""
    return f"{name} of {s.metric} {s.aggregate}s" if s.aggregate else f"{s.metric} {name}"


def _figure(value: float, unit: str, kind: str, source: str) -> KnownFigure:
    return KnownFigure(value=value, unit=unit, kind=kind, source=f"highlight: {source}")


def _extremes(
    digest: DataDigest, metric: str, label: str, higher_is_better: bool, skip: Sequence[str]
) -> Highlight | None:
    dims = sorted(
        {s.group_by for s in digest.stats if s.metric == metric and s.group_by}
        - {*_NOT_RANKED, *skip},
        key=lambda d: (d != "model", d == "config_name", d),
    )
    for dim in dims:
        groups = _series(digest, metric, dim)
        if len(groups) >= 2:
            break
    else:
        return None
    ranked = sorted(groups, key=lambda s: (-s.mean if higher_is_better else s.mean, s.group))
    best, worst = ranked[0], ranked[-1]
    unit = best.unit
    kind = figure_kind(metric, "mean", dim)
    if higher_is_better:
        text = f"Fastest {dim} by mean {label}: {best.group} at {best.mean:.2f} {unit} "
    else:
        text = f"Lowest mean {label} by {dim}: {best.group} at {best.mean:.2f} {unit} "
    text += (
        f"(n={best.n}); {'slowest' if higher_is_better else 'highest'}: {worst.group} at "
        f"{worst.mean:.2f} {unit} (n={worst.n})"
    )
    values = [
        _figure(best.mean, unit, kind, f"{_statistic(best, 'mean')}, {dim}={best.group}"),
        _figure(worst.mean, unit, kind, f"{_statistic(worst, 'mean')}, {dim}={worst.group}"),
    ]
    if worst.mean and best.mean:
        # Stated as the better one's advantage, so the percentage is positive either way.
        if higher_is_better:
            gap = 100.0 * (best.mean / worst.mean - 1.0)
            text += f"; the fastest is {gap:.1f} % faster"
        else:
            gap = 100.0 * (1.0 - best.mean / worst.mean)
            text += f"; the lowest is {gap:.1f} % lower"
        values.append(_figure(gap, "%", f"{metric} gap", f"{metric} mean, best vs worst {dim}"))
    return Highlight(
        text=text + ".",
        source=f"{_statistic(best, 'mean')} by {dim}, column {_columns([best, worst])} in "
        f"{_files([best, worst])}",
        values=values,
    )


def _settings_text(params: dict[str, Any]) -> str:
    ordered = [k for k in _SETTINGS if k in params]
    ordered += sorted(k for k in params if k not in _SETTINGS)
    return ", ".join(f"{k}={params[k]}" for k in ordered)


def _best_config(digest: DataDigest, groups: list[MetricStats]) -> Highlight:
    ranked = sorted(groups, key=lambda s: (-s.mean, s.group))
    best, worst = ranked[0], ranked[-1]
    unit = best.unit
    return Highlight(
        text=(
            f"Best tuning config by mean tokens/s: {best.group} "
            f"({_settings_text(digest.configs[str(best.group)])}) at {best.mean:.2f} {unit}; "
            f"worst: {worst.group} ({_settings_text(digest.configs[str(worst.group)])}) "
            f"at {worst.mean:.2f} {unit}; {len(groups)} configs compared."
        ),
        source=f"{_statistic(best, 'mean')} by config_name, column {_columns(groups)} in "
        f"{_files(groups)}",
        values=[
            _figure(
                best.mean,
                unit,
                _KIND_BY_CONFIG,
                f"{_statistic(best, 'mean')}, config_name={best.group}",
            ),
            _figure(
                worst.mean,
                unit,
                _KIND_BY_CONFIG,
                f"{_statistic(worst, 'mean')}, config_name={worst.group}",
            ),
            _figure(len(groups), "configs", "configs compared", "configs with tokens/s"),
        ],
    )


def _best_per_model(digest: DataDigest) -> Highlight | None:
    """Each tuned model's best config, when two or more models were tuned."""
    by_model: dict[str, list[tuple[str, MetricStats]]] = {}
    for s in _series(digest, _THROUGHPUT, _MODEL_CONFIG):
        model, _, config = (s.group or "").rpartition(_MODEL_CONFIG_SEPARATOR)
        if model and config in digest.configs:
            by_model.setdefault(model, []).append((config, s))
    tuned = {m: rows for m, rows in sorted(by_model.items()) if len(rows) >= 2}
    if len(tuned) < 2:
        return None
    parts, values, used = [], [], []
    for model, rows in list(tuned.items())[:_MAX_NAMED]:
        config, s = min(rows, key=lambda row: (-row[1].mean, row[0]))
        parts.append(f"{model}: {config} at {s.mean:.2f} {s.unit} ({len(rows)} configs)")
        values.append(
            _figure(
                s.mean,
                s.unit,
                figure_kind(_THROUGHPUT, "mean", _MODEL_CONFIG),
                f"{_statistic(s, 'mean')}, model+config_name={s.group}",
            )
        )
        used += [row[1] for row in rows]
    more = len(tuned) - _MAX_NAMED
    return Highlight(
        text="Best config per model by mean tokens/s: "
        + "; ".join(parts)
        + (f"; {more} more models" if more > 0 else "")
        + ".",
        source=f"{_statistic(used[0], 'mean')} by model+config_name, column {_columns(used)} "
        f"in {_files(used)}",
        values=values,
    )


def _best_settings(digest: DataDigest, groups: list[MetricStats]) -> Highlight | None:
    """For each setting that varies: the value whose configs have the best mean of means."""
    keys = sorted(
        {k for s in groups for k in digest.configs[s.group or ""]},
        key=lambda k: (_SETTINGS.index(k) if k in _SETTINGS else len(_SETTINGS), k),
    )
    parts: list[str] = []
    values: list[KnownFigure] = []
    unit = groups[0].unit
    for key in keys:
        by_value: dict[Any, list[float]] = {}
        for s in groups:
            value = digest.configs[s.group or ""].get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                by_value.setdefault(value, []).append(s.mean)
        if len(by_value) < 2:
            continue
        means = sorted(((fmean(v), k) for k, v in by_value.items()), key=lambda p: (-p[0], p[1]))
        (top, top_value), (low, low_value) = means[0], means[-1]
        if top == low:
            parts.append(f"{key}: no difference ({top:.2f} {unit} for every value)")
        else:
            parts.append(
                f"{key}={top_value} at {top:.2f} {unit} (worst {key}={low_value} at {low:.2f})"
            )
        kind = figure_kind(_THROUGHPUT, "mean", "setting")
        values += [
            _figure(top, unit, kind, f"mean of config means, {key}={top_value}"),
            _figure(low, unit, kind, f"mean of config means, {key}={low_value}"),
        ]
    if not parts:
        return None
    return Highlight(
        text="Best value of each setting (mean of its configs' mean tokens/s): "
        + "; ".join(parts)
        + ".",
        source=f"{_statistic(groups[0], 'mean')} by config_name, column {_columns(groups)} in "
        f"{_files(groups)}, averaged per setting value",
        values=values,
    )


def _spread(digest: DataDigest) -> Highlight | None:
    """The group whose tokens/s varies most across its own rows (range / mean)."""
    for group_by in (_MODEL_CONFIG, "config_name", "model", "file"):
        candidates = [
            s
            for s in digest.stats
            if s.metric == _THROUGHPUT
            and s.group_by == group_by
            and s.aggregate is None
            and s.n >= 2
            and s.mean > 0
        ]
        if candidates:
            break
    else:
        return None
    s = max(candidates, key=lambda s: ((s.max - s.min) / s.mean, s.group or ""))
    share = 100.0 * (s.max - s.min) / s.mean
    where = f"{s.group_by}={s.group}"
    return Highlight(
        text=(
            f"Widest spread of tokens/s within one {s.group_by}: {s.group}, "
            f"{s.min:.2f}-{s.max:.2f} {s.unit} over {s.n} rows "
            f"(range {share:.1f} % of its mean {s.mean:.2f} {s.unit})."
        ),
        source=f"{s.metric} min, max and mean, {where}, column {s.column} in {_files([s])}",
        values=[
            _figure(
                s.min, s.unit, figure_kind(s.metric, "min", s.group_by), f"{s.metric} min, {where}"
            ),
            _figure(
                s.max, s.unit, figure_kind(s.metric, "max", s.group_by), f"{s.metric} max, {where}"
            ),
            _figure(
                s.mean,
                s.unit,
                figure_kind(s.metric, "mean", s.group_by),
                f"{s.metric} mean, {where}",
            ),
            _figure(share, "%", "spread", f"{s.metric} (max - min) / mean, {where}"),
        ],
    )


def _overall(digest: DataDigest) -> Highlight | None:
    """Fallback when no groups can be compared: mean tokens/s over all rows."""
    found = _series(digest, _THROUGHPUT, None)
    if not found:
        return None
    s = found[0]
    return Highlight(
        text=f"Mean tokens/s over all {s.n} rows: {s.mean:.2f} {s.unit} "
        f"(min {s.min:.2f}, max {s.max:.2f}).",
        source=f"{_statistic(s, 'mean')}, min and max over all rows, column {s.column} in "
        f"{_files([s])}",
        values=[
            _figure(
                s.mean,
                s.unit,
                figure_kind(s.metric, "mean", None),
                f"{_statistic(s, 'mean')}, all rows",
            ),
            _figure(
                s.min,
                s.unit,
                figure_kind(s.metric, "min", None),
                f"{_statistic(s, 'min')}, all rows",
            ),
            _figure(
                s.max,
                s.unit,
                figure_kind(s.metric, "max", None),
                f"{_statistic(s, 'max')}, all rows",
            ),
        ],
    )


def _errors(digest: DataDigest) -> Highlight | None:
    files = sorted(digest.error_rows, key=lambda e: (-e.count, e.path))
    if not files:
        return None
    total = sum(e.count for e in files)
    named = ", ".join(f"{e.count} in {e.path}" for e in files[:_MAX_NAMED])
    more = len(files) - _MAX_NAMED
    if more > 0:
        named += f" and {more} more files"
    sample = " ".join(files[0].sample.split())[:80]
    # Figures quoted from the error message are in the data too ("timeout after 60s").
    quoted = [
        KnownFigure(
            value=m.value,
            unit=m.unit or "",
            kind=None,
            source=f"highlight: error message in {files[0].path}",
        )
        for m in find_figures(sample)
    ]
    return Highlight(
        text=f"Rows with an error, left out of the statistics: {total} ({named}); "
        f'first error: "{sample}".',
        source="error column of " + ", ".join(e.path for e in files),
        values=[
            KnownFigure(
                value=e.count,
                unit="rows",
                kind="error_rows",
                source=f"highlight: error rows in {e.path}",
            )
            for e in files
        ]
        + [
            KnownFigure(
                value=total,
                unit="rows",
                kind="error_rows",
                source="highlight: error rows, all files",
            )
        ]
        + quoted,
    )


def compute_highlights(digest: DataDigest) -> list[Highlight]:
    """Up to eight deterministic highlights; [] when the digest has no statistics or errors."""
    configs = [s for s in _series(digest, _THROUGHPUT, "config_name") if s.group in digest.configs]
    tuning = len(configs) >= 2
    throughput = _extremes(
        digest,
        _THROUGHPUT,
        "tokens/s",
        higher_is_better=True,
        skip=("config_name",) if tuning else (),
    )
    found = [
        throughput or (None if tuning else _overall(digest)),
        _extremes(digest, _TTFT, "TTFT", higher_is_better=False, skip=()),
        _best_config(digest, configs) if tuning else None,
        _best_per_model(digest),
        _best_settings(digest, configs) if tuning else None,
        _spread(digest),
        _errors(digest),
    ]
    return [h for h in found if h is not None]


def render_highlights(highlights: Sequence[Highlight], *, sources: bool = True) -> str:
    """A Markdown bullet list, each line ending with its source in muted form.

    `sources=False` is for prompts: the file lists help a reader check a line but only
    cost a small model context it needs for the figures.
    """
    if not highlights:
        return "(none)"
    if not sources:
        return "\n".join(f"- {h.text}" for h in highlights)
    return "\n".join(f"- {h.text} _(source: {h.source})_" for h in highlights)
