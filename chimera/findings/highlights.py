"""Data Highlights (no LLM): the few computed findings a reader wants first.

Highlights are rendered from the findings (`chimera.findings.compute`), so they say only what
the findings establish: settings compared within one model with the others held fixed,
models compared like for like where the data allows it, verdicts against the run-to-run
spread. Each highlight names its sources and carries the figures it states.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from chimera.findings.compute import compute_findings
from chimera.findings.finding import Finding, varied
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest

MAX_HIGHLIGHTS = 8


class Highlight(BaseModel):
    """One computed fact, where it comes from, and the figures it states."""

    text: str
    source: str = Field(description="file(s), column and statistic it was computed from")
    values: list[KnownFigure] = Field(default_factory=list)
    finding_id: str | None = Field(None, description="the finding it shows")


def highlights_from(findings: Sequence[Finding]) -> list[Highlight]:
    """The most important findings that establish something, at most MAX_HIGHLIGHTS."""
    chosen = varied([f for f in findings if f.verdict != "not comparable"], MAX_HIGHLIGHTS)
    return [
        Highlight(
            text=first_sentence(f.text),
            source=f.source_line(),
            values=list(f.values),
            finding_id=f.id,
        )
        for f in chosen
    ]


def first_sentence(text: str) -> str:
    """A finding's first sentence: its claim (the rest qualifies it)."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def compute_highlights(digest: DataDigest) -> list[Highlight]:
    """Highlights of a digest; [] when nothing in it was measured."""
    return highlights_from(compute_findings(digest))


def render_highlights(highlights: Sequence[Highlight], *, sources: bool = True) -> str:
    """A Markdown bullet list, each line ending with its source in muted form.

    `sources=False` is for prompts: the file lists help a reader check a line but only
    cost a small model context it needs for the figures.
    """
    if not highlights:
        return "(none)"
    if not sources:
        return "\n".join(f"- {h.text}" for h in highlights)
    return "\n".join(
        f"- {h.text} _(source: {h.source})_" if h.source else f"- {h.text}" for h in highlights
    )
