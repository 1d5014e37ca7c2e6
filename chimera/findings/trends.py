"""Change over time: a model's throughput in its earliest and its latest dated session.

A session is one model's runs in one file, dated by the file's earliest timestamp or the
date in its name. Sessions may differ in settings and prompts, which the finding says when
their setups are not known to be the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from chimera.findings.finding import Finding
from chimera.findings.measured import (
    THROUGHPUT,
    Measured,
    fmt,
    pct_change,
    welch,
)


def _main_session(sessions: Sequence[Measured], date: str) -> Measured:
    """The session of that date with the most runs."""
    return max((m for m in sessions if m.date == date), key=lambda m: m.metrics[THROUGHPUT].n)


def trends(model_files: Sequence[Measured]) -> list[Finding]:
    by_model: dict[str, list[Measured]] = defaultdict(list)
    for m in model_files:
        if m.model and m.date and THROUGHPUT in m.metrics:
            by_model[m.model].append(m)
    out = []
    for model, sessions in sorted(by_model.items()):
        dates = sorted({m.date for m in sessions if m.date})
        if len(dates) < 2:
            continue
        first = max(
            (m for m in sessions if m.date == dates[0]), key=lambda m: m.metrics[THROUGHPUT].n
        )
        last = max(
            (m for m in sessions if m.date == dates[-1]), key=lambda m: m.metrics[THROUGHPUT].n
        )
        a, b = first.metrics[THROUGHPUT], last.metrics[THROUGHPUT]
        change = pct_change(b.mean, a.mean)
        verdict = welch(a, b)
        direction = "rose" if change > 0 else "fell"
        spread = {
            "real": "beyond the run-to-run spread",
            "within spread": "within the run-to-run spread: no measurable change",
            "too few runs": "too few runs for a verdict",
        }[verdict]
        text = (
            f"Over time, {model}'s mean throughput {direction} from {fmt(a.mean)} tok/s on "
            f"{first.date} ({first.file}, n={a.n}) to {fmt(b.mean)} tok/s on {last.date} "
            f"({last.file}, n={b.n}), {change:+.1f} % ({spread}); {len(dates)} dated sessions. "
            "The sessions may differ in settings and prompts."
        )
        out.append(
            Finding(
                id="",
                kind="trend",
                title=f"{model} over time",
                text=text,
                figures=[
                    first.figure(THROUGHPUT),
                    last.figure(THROUGHPUT),
                    first.figure(THROUGHPUT, "n"),
                    last.figure(THROUGHPUT, "n"),
                ],
                groups=[first.label, last.label],
                sources=sorted({first.file or "", last.file or ""} - {""}),
                verdict="real"
                if verdict == "real"
                else "no measurable effect"
                if verdict == "within spread"
                else "not comparable",
                caveats=["sessions may differ in settings and prompts"],
                importance=22.0 if verdict == "real" else 6.0,
            )
        )
    return out
