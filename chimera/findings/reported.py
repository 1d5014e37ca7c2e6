"""What summary files report where no run was measured: their own means, side by side.

A summary row (`mean_tokens_s`, a llama-bench CSV's avg_ts) is already an average, and a
file that states neither its run count nor its spread gives nothing to test a difference
against: the other findings compare per-run values and leave such setups out. Left at that,
a folder of llama-bench CSVs would yield no finding at all. So, per model, the generation
throughput each setup's file reports is listed, fastest first, with the settings that tell
the setups apart, the run count where the file states one, and no verdict. The figures are
the digest's (a summary row's value as reported), and the sentence says the files report
them.
"""

from __future__ import annotations

from collections import defaultdict

from chimera.findings.finding import Finding
from chimera.findings.measured import (
    THROUGHPUT,
    fmt,
    named,
    pct_change,
    scope_words,
    setting_value,
    settings_text,
)
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest, MetricStats, Setup
from chimera.ingest.digest.stats import PAIR_SEPARATOR
from chimera.ingest.digest.table import NO_MODEL

_SETUP = "model+config_name"


def _context(setup: Setup) -> dict[str, str]:
    context = {"model": str(setup.model)}
    if not setup.synthetic:
        context["config"] = setup.config
    context.update({k: setting_value(v) for k, v in setup.params.items()})
    return context


def _figure(s: MetricStats, setup: Setup, statistic: str = "mean") -> KnownFigure:
    context = _context(setup)
    where = ", ".join(f"{k}={v}" for k, v in context.items())
    if statistic == "n":
        value, unit, kind = float(s.runs or 0), "rows", "runs"
    else:
        # One reported value is the setup's mean as the file reports it (the digest's kind).
        value, unit, kind = s.mean, s.unit, f"{s.metric} {s.aggregate}"
    return KnownFigure(
        value=value,
        unit=unit,
        kind=kind,
        metric=s.metric,
        statistic=statistic,
        context=context,
        source=f"finding: {s.metric} {statistic} as {named(s.sources, 'more files')} "
        f"report it, {where} (column {s.column})",
    )


def _reported(digest: DataDigest) -> dict[str, list[tuple[Setup, MetricStats]]]:
    """Per model (on its machine), its setups only summary files measured, with the mean
    they report."""
    # A setup whose throughput has runs is compared by its runs; runs of another metric only
    # (LLMPerf's per-request TTFT beside its summary's throughput) leave its reported mean.
    measured = {
        (s.machine, s.engine, s.group)
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate is None and s.n and s.metric == THROUGHPUT
    }
    means = {
        (s.machine, s.engine, s.group): s
        for s in digest.stats
        if s.group_by == _SETUP and s.metric == THROUGHPUT and s.aggregate == "mean"
    }
    conflicting = set(digest.conflicting_setups)
    by_model: dict[str, list[tuple[Setup, MetricStats]]] = defaultdict(list)
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        key = (setup.machine, setup.engine, label)
        s = means.get(key)
        # One reported value: a mean of several would be a mean of means, and two files'
        # values under one name mix setups.
        if setup.model in (None, NO_MODEL) or s is None or s.n != 1 or key in measured:
            continue
        if label in conflicting or s.mean <= 0:
            continue
        subject = str(setup.model) + scope_words(digest, setup.machine, setup.engine)
        by_model[subject].append((setup, s))
    return by_model


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _level(setup: Setup, keys: list[str] | None) -> str:
    """A setup as the sentence names it: its config (if the file names one), its settings."""
    settings = settings_text(setup.params, keys)
    if setup.synthetic:
        return settings or setup.config
    return f"{setup.config} ({settings})" if settings else setup.config


def reported(digest: DataDigest) -> list[Finding]:
    """Per model, the generation throughput summary files report for its setups."""
    out = []
    for model, pairs in sorted(_reported(digest).items()):
        pairs.sort(key=lambda p: (-p[1].mean, p[0].config))
        keys = sorted({k for setup, _ in pairs for k in setup.params})
        varying = [k for k in keys if len({setting_value(s.params.get(k)) for s, _ in pairs}) > 1]
        first = pairs[0][0].params
        fixed = {k: first[k] for k in keys if k not in varying and k in first}
        shown = varying if len(pairs) > 1 else None  # one setup: all of its settings
        parts = []
        for setup, s in pairs:
            runs = f" (n={s.runs})" if s.runs is not None else ""
            parts.append(f"{fmt(s.mean)} tok/s{runs} with {_level(setup, shown)}")
        figures = [_figure(s, setup) for setup, s in pairs]
        figures += [_figure(s, setup, "n") for setup, s in pairs if s.runs is not None]
        sources = sorted({src for _, s in pairs for src in s.sources})
        held = f"; {settings_text(fixed)} the same" if fixed and len(pairs) > 1 else ""
        margin = ""
        if len(pairs) > 1:
            (_, fast), (_, slow) = pairs[0], pairs[-1]
            margin = f": the fastest {pct_change(fast.mean, slow.mean):.1f} % above the slowest"
        text = (
            f"{named(sources, 'more files')} report{'s' if len(sources) == 1 else ''} for "
            f"{model} a generation throughput of {_joined(parts)}{held}{margin}."
        )
        unstated = any(s.runs is None for _, s in pairs)
        text += (
            " Each figure is a mean the file had already computed"
            + (" (it does not say over how many runs)" if unstated else "")
            + ", so no difference is tested against the run-to-run spread."
        )
        out.append(
            Finding(
                id="",
                kind="reported",
                title=f"reported throughput of {model}",
                text=text,
                figures=figures,
                groups=[f"{model}{PAIR_SEPARATOR}{setup.config}" for setup, _ in pairs],
                sources=sources,
                verdict="info",
                caveats=["already-aggregated values, no run-to-run spread to test against"],
                importance=40.0 if len(pairs) > 1 else 12.0,
            )
        )
    return out
