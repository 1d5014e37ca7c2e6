"""The computed analysis: every finding the data supports, most important first (no LLM).

`compute_findings` runs each rule over the digest (see the modules named below) and numbers
the findings F1, F2, ... by importance, and their recommendations R1, R2, ... in the same
order. It is a pure function of the digest, so a resumed run recomputes the same findings.

    settings_effects   each setting within a model (others fixed), across models, best config
    model_comparison   models ranked by throughput and TTFT, quantised variants
    run_health         failed rows and timeouts, unstable repetitions, cold starts
    trends             change between a model's earliest and latest dated session
    reported           what summary files report for setups no run measured (no verdict)
"""

from __future__ import annotations

from chimera.findings import (
    measured,
    model_comparison,
    reported,
    run_health,
    settings_effects,
    trends,
)
from chimera.findings.finding import Finding, Recommendation
from chimera.findings.measured import THROUGHPUT, fmt
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest


def _overview(digest: DataDigest) -> Finding | None:
    """Throughput over all rows: the one thing to say when nothing can be compared."""
    s = measured.overall(digest).get(THROUGHPUT)
    if s is None:
        return None

    def figure(statistic: str) -> KnownFigure:
        unit = "rows" if statistic == "n" else s.unit
        return KnownFigure(
            value=float(getattr(s, statistic)), unit=unit, metric=THROUGHPUT,
            statistic=statistic, kind=f"{THROUGHPUT} {statistic}",
            source=f"finding: {THROUGHPUT} {statistic}, all rows (column {s.column})",
        )  # fmt: skip

    return Finding(
        id="",
        kind="overview",
        title="throughput over all rows",
        text=(
            f"Mean throughput over {'the only row' if s.n == 1 else f'all {s.n} rows'} is "
            f"{fmt(s.mean)} tok/s (median "
            f"{fmt(s.median)}, min {fmt(s.min)}, max {fmt(s.max)} tok/s)."
        ),
        figures=[figure(stat) for stat in ("mean", "median", "min", "max", "n")],
        sources=list(s.sources),
        importance=5.0,
    )


def _conflicts(labels: list[str]) -> Finding:
    shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
    return Finding(
        id="",
        kind="overview",
        title="configs with two sets of settings",
        text=(
            f"Different files give different settings under the same config name for {shown}; "
            "their rows mix setups, so they are left out of every comparison."
        ),
        verdict="not comparable",
        caveats=["one config name, several sets of settings"],
        importance=30.0,
    )


def _sessions_not_checked(digest: DataDigest) -> Finding | None:
    """Cold starts and changes over time need each file's own statistics: above the digest's
    limit they are not computed, and the report says so rather than fall silent."""
    omitted = digest.file_stats_omitted
    if omitted is None:
        return None
    return Finding(
        id="",
        kind="overview",
        title="cold starts and trends not checked",
        text=(
            f"Cold starts and changes over time were not checked: {omitted.files} files hold "
            f"metrics, more than the {omitted.max_files} files the digest keeps per-file "
            "statistics for; analyse a smaller folder (one model or one period) to see them."
        ),
        figures=[
            KnownFigure(
                value=float(n), unit="files", metric="files", statistic="count", source=source
            )
            for n, source in (
                (omitted.files, "digest: files holding metrics"),
                (omitted.max_files, "digest: the most files given per-file statistics"),
            )
        ],
        verdict="not comparable",
        caveats=["per-file statistics left out"],
        importance=5.0,
    )


def compute_findings(digest: DataDigest) -> list[Finding]:
    """Every finding, numbered by importance (F1 first); [] when nothing was measured."""
    setups = measured.setups(digest)
    models = measured.models(digest)
    sessions = measured.model_files(digest)
    effects, blocked = settings_effects.effects(setups)
    found: list[Finding] = [
        *model_comparison.rankings(models, setups),
        *[settings_effects.effect_finding(e) for e in effects],
        *[settings_effects.blocked_finding(*b) for b in blocked],
        *settings_effects.across_models(effects),
        *settings_effects.best_configs(setups),
        *model_comparison.quantization(models, setups),
        *run_health.errors(digest),
        *run_health.instability(setups, sessions),
        *run_health.cold_starts(sessions),
        *trends.trends(sessions),
        *reported.reported(digest),
    ]
    if digest.conflicting_setups:
        found.append(_conflicts(digest.conflicting_setups))
    if (unchecked := _sessions_not_checked(digest)) is not None:
        found.append(unchecked)
    if not any(f.kind in ("model_ranking", "setting_effect", "best_config") for f in found):
        overview = _overview(digest)
        if overview is not None:
            found.append(overview)
    found.sort(key=lambda f: (-f.importance, f.kind, f.title))
    numbered: list[Finding] = []
    recs = 0
    for i, finding in enumerate(found, start=1):
        fid = f"F{i}"
        rec = finding.recommendation
        if rec is not None:
            recs += 1
            rec = rec.model_copy(update={"id": f"R{recs}", "finding_ids": [fid]})
        numbered.append(finding.model_copy(update={"id": fid, "recommendation": rec}))
    return numbered


def recommendations(findings: list[Finding]) -> list[Recommendation]:
    """The findings' recommendations, in the findings' order."""
    return [f.recommendation for f in findings if f.recommendation is not None]
