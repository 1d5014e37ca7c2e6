"""How healthy the measurements are: failed rows and timeouts, unstable repetitions, cold starts.

- Errors: rows whose error column holds a message, per file; timeouts are named apart.
- Instability: the coefficient of variation (standard deviation / mean) of throughput within
  one setup's (or one model's file's) runs; above `UNSTABLE_CV` the setup is called unstable.
- Cold starts: within one model's runs in one file, a load time far above its median
  (`COLD_RATIO` times, and `COLD_MIN_MS` more) means a call that loaded the model. When that
  file's TTFT peaks the same way, TTFT includes the load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chimera.findings.finding import Finding, Recommendation
from chimera.findings.measured import LOAD, THROUGHPUT, TTFT, Measured, fmt, named
from chimera.grounding.figure_text import find_figures
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.columns import model_from_filename
from chimera.ingest.digest.models import DataDigest

UNSTABLE_CV = 0.10
COLD_RATIO = 5.0
COLD_MIN_MS = 200.0
_TIMEOUT = re.compile(r"time[ -]?out|timed out|deadline", re.I)


def errors(digest: DataDigest) -> list[Finding]:
    """Rows that failed, per file, with the first message; timeouts said apart."""
    files = sorted(digest.error_rows, key=lambda e: (-e.count, e.path))
    if not files:
        return []
    total = sum(e.count for e in files)
    parts = []
    figures = [
        KnownFigure(
            value=total, unit="rows", metric="error_rows", statistic="count",
            source="finding: error rows, all files", kind="error_rows",
        )
    ]  # fmt: skip
    for e in files[:3]:
        model = model_from_filename(e.path)
        of = f" of {e.rows}" if e.rows else ""
        parts.append(f"{e.count}{of} rows of {e.path}" + (f" ({model})" if model else ""))
        context = {"file": e.path, **({"model": model} if model else {})}
        figures.append(
            KnownFigure(
                value=e.count, unit="rows", metric="error_rows", statistic="count",
                context=context, source=f"finding: error rows in {e.path}", kind="error_rows",
            )
        )  # fmt: skip
        if e.rows:
            figures.append(
                KnownFigure(
                    value=e.rows, unit="rows", metric="rows", statistic="count",
                    context=context, source=f"finding: rows in {e.path}", kind="rows",
                )
            )  # fmt: skip
    if len(files) > 3:
        parts.append(f"{sum(e.count for e in files[3:])} in {len(files) - 3} more files")
    sample = " ".join(files[0].sample.split())[:80]
    timeouts = [e for e in files if _TIMEOUT.search(e.sample)]
    figures += [
        KnownFigure(
            value=m.value, unit=m.unit or "", source=f"finding: error message in {files[0].path}",
            metric="error_message", statistic="quoted", context={"file": files[0].path},
        )
        for m in find_figures(sample)
    ]  # fmt: skip
    what = "timed out" if len(timeouts) == len(files) else "failed"
    text = (
        f"{total} rows {what} and are left out of the statistics: {', '.join(parts)}; "
        f'the first error reads "{sample}".'
    )
    rec = None
    if timeouts:
        models = sorted({m for e in timeouts if (m := model_from_filename(e.path))})
        who = f" for {named(models, 'more models')}" if models else ""
        rec = Recommendation(
            id="",
            text=(
                f"Raise the benchmark's request timeout{who} (or lower num_predict) so slow "
                "calls finish: timed-out rows drop out of every mean and bias it upwards."
            ),
            change={},
            model=models[0] if len(models) == 1 else None,
        )
    return [
        Finding(
            id="",
            kind="errors",
            title="failed rows",
            text=text,
            figures=figures,
            groups=[e.path for e in files],
            sources=[e.path for e in files],
            verdict="info",
            importance=65.0 if timeouts else 45.0,
            recommendation=rec,
        )
    ]


def instability(setups: Sequence[Measured], model_files: Sequence[Measured]) -> list[Finding]:
    """The least stable group of repeated runs; every group above UNSTABLE_CV is named."""
    pool = [
        m
        for m in (setups or model_files)
        if (s := m.metrics.get(THROUGHPUT)) and s.n >= 3 and s.std is not None and s.mean > 0
    ]
    if not pool:
        return []

    def cv(m: Measured) -> float:
        s = m.metrics[THROUGHPUT]
        return (s.std or 0.0) / s.mean

    worst = max(pool, key=lambda m: (cv(m), m.label))
    s = worst.metrics[THROUGHPUT]
    unstable = [m for m in pool if cv(m) > UNSTABLE_CV]
    share = 100.0 * cv(worst)
    cv_figure = KnownFigure(
        value=share, unit="%", metric=THROUGHPUT, statistic="cv", context=dict(worst.context),
        source=f"finding: tokens_per_s std / mean, {worst.label}", kind="cv",
    )  # fmt: skip
    text = (
        f"The least stable runs are {worst.label}: {fmt(s.min)}-{fmt(s.max)} tok/s over "
        f"{s.n} runs, a coefficient of variation of {share:.1f} %"
    )
    if unstable:
        text += (
            f"; {len(unstable)} of {len(pool)} groups of repeated runs vary by more than "
            f"{100 * UNSTABLE_CV:.0f} % ({named([m.label for m in unstable], 'more')})"
        )
    else:
        groups = "the only group" if len(pool) == 1 else f"all {len(pool)} groups"
        verb = "varies" if len(pool) == 1 else "vary"
        text += f"; {groups} of repeated runs {verb} by less than {100 * UNSTABLE_CV:.0f} %"
    text += "."
    rec = None
    if unstable:
        rec = Recommendation(
            id="",
            text=(
                f"Repeat the runs of {worst.label} at least five times on a quiet machine "
                f"before trusting its mean: its throughput varies by {share:.1f} % from run "
                "to run."
            ),
            model=worst.model,
            figures=[cv_figure],
        )
    threshold = KnownFigure(
        value=100 * UNSTABLE_CV, unit="%", metric=THROUGHPUT, statistic="threshold",
        source="finding: the coefficient of variation above which runs count as unstable",
    )  # fmt: skip
    return [
        Finding(
            id="",
            kind="instability",
            title="run-to-run stability",
            text=text,
            figures=[
                worst.figure(THROUGHPUT, "min"),
                worst.figure(THROUGHPUT, "max"),
                worst.figure(THROUGHPUT, "n"),
                cv_figure,
                threshold,
            ],
            groups=[m.label for m in (unstable or [worst])],
            sources=worst.sources,
            verdict="real" if unstable else "info",
            importance=40.0 if unstable else 12.0,
            recommendation=rec,
        )
    ]


def cold_starts(model_files: Sequence[Measured]) -> list[Finding]:
    """Calls that loaded the model, and whether TTFT includes the load."""
    cold = []
    for m in model_files:
        load = m.metrics.get(LOAD)
        if load is None or load.n < 2:
            continue
        if (
            load.max >= COLD_RATIO * max(load.median, 1e-9)
            and load.max - load.median >= COLD_MIN_MS
        ):
            cold.append(m)
    if not cold:
        return []
    worst = max(cold, key=lambda m: (m.metrics[LOAD].max, m.label))
    load = worst.metrics[LOAD]
    figures = [worst.figure(LOAD, "max"), worst.figure(LOAD, "median")]
    text = (
        f"Cold starts: {len(cold)} of {len(model_files)} sessions (a model's runs in one file) "
        f"had a call that loaded the model; the longest: in {worst.file} ({worst.model}) the "
        f"maximum load time was {fmt(load.max)} ms against a median of {fmt(load.median)} ms."
    )
    ttft = worst.metrics.get(TTFT)
    if ttft is not None and ttft.n >= 2:
        figures += [worst.figure(TTFT, "max"), worst.figure(TTFT, "median")]
        if ttft.max >= 2 * ttft.median and ttft.max >= 0.5 * load.max:
            text += (
                f" Its TTFT peaks at {fmt(ttft.max)} ms against a median of "
                f"{fmt(ttft.median)} ms: the load is inside that call's TTFT, so compare "
                "median TTFTs, or warm up first."
            )
        else:
            text += (
                f" Its TTFT stays near its median ({fmt(ttft.median)} ms, at most "
                f"{fmt(ttft.max)} ms), so the load is not counted in TTFT there."
            )
    rec = Recommendation(
        id="",
        text=(
            "Warm each model up with one discarded call (or keep it loaded with keep_alive) "
            f"before measuring: a cold load took up to {fmt(load.max)} ms in {worst.file}."
        ),
        change={},
        figures=[worst.figure(LOAD, "max")],
    )
    return [
        Finding(
            id="",
            kind="cold_start",
            title="cold starts",
            text=text,
            figures=figures,
            groups=[m.label for m in cold],
            sources=sorted({s for m in cold for s in m.sources}),
            verdict="real",
            importance=50.0,
            recommendation=rec,
        )
    ]
