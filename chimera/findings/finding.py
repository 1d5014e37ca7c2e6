"""A finding: one fact Chimera computed from the data, with its figures and where they come from.

Findings are what the report's Data Highlights, Key Findings and Recommendations are made of,
and what the analyst model is shown (by id) to choose from and interpret. Each one is a full
sentence a reader can check: its figures carry their unit, run count and context, and its
sources name the files and columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from chimera.grounding.known import KnownFigure

FindingKind = Literal[
    "model_ranking",
    "setting_effect",
    "setting_across_models",
    "best_config",
    "same_placement",
    "machine_comparison",
    "engine_comparison",
    "sessions",
    "baseline",
    "instability",
    "errors",
    "void_sessions",
    "degenerate",
    "duplicates",
    "cold_start",
    "quantization",
    "trend",
    "reported",
    "notes_vs_data",
    "overview",
]
FindingVerdict = Literal["real", "no measurable effect", "not comparable", "info"]


class Recommendation(BaseModel):
    """A concrete setting change the data supports, tied to the findings behind it."""

    id: str = Field(description="R1, R2, ...")
    text: str = Field(description="a full sentence with the change and the figure behind it")
    change: dict[str, Any] = Field(
        default_factory=dict, description="settings to use, e.g. {'num_gpu': 80}"
    )
    model: str | None = Field(None, description="the model it applies to; None: all of them")
    finding_ids: list[str] = Field(default_factory=list)
    figures: list[KnownFigure] = Field(default_factory=list)

    @property
    def values(self) -> Sequence[KnownFigure]:
        return self.figures


# A space after a word, not after a figure: a cut there keeps each figure with its unit.
_WORD_END = re.compile(r"(?<=[^\d\s.,%]) ")


class Finding(BaseModel):
    """One computed fact."""

    id: str = Field(description="F1, F2, ... in order of importance")
    kind: FindingKind
    title: str = Field(description="a few words: 'num_ctx on gemma3:270m'")
    text: str = Field(description="full sentences with the figures, as the report prints them")
    headline: str = Field(
        "", description="the claim in a few words, for summaries that cite the finding by id"
    )
    figures: list[KnownFigure] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list, description="the groups compared")
    sources: list[str] = Field(default_factory=list, description="files (and columns)")
    verdict: FindingVerdict = "info"
    caveats: list[str] = Field(default_factory=list)
    importance: float = Field(0.0, description="higher first; how much it should matter")
    recommendation: Recommendation | None = None

    @property
    def values(self) -> Sequence[KnownFigure]:
        """The figures it states (with its recommendation's), for the figures check."""
        extra = self.recommendation.figures if self.recommendation else []
        return [*self.figures, *extra]

    def short(self) -> str:
        """The headline, else the first clause of the text: what a summary cites."""
        if self.headline:
            return self.headline
        first = self.text.split(": ")[0].split("; ")[0]
        if len(first) <= 160:
            return first
        # cut at a clause's end, never between a figure and its unit ("160.00 ..." for
        # "160.00 s with ..." is a figure no check can trace)
        cut = first.rfind(", ", 0, 157)
        if cut >= 80:
            return first[:cut] + ", ..."
        spaces = [m.start() for m in _WORD_END.finditer(first, 0, 157)]
        return first[: spaces[-1] if spaces else 157] + " ..."

    def source_line(self) -> str:
        """'reports/a.csv, reports/b.csv and 3 more files' for a report's source note."""
        shown = self.sources[:3]
        more = len(self.sources) - len(shown)
        return ", ".join(shown) + (f" and {more} more files" if more > 0 else "")


def topic(finding: Finding) -> str:
    """What a finding is about, for variety: a setting's effect on one model or across
    models is one topic (the setting); a best config, a ranking or a reported summary is
    one per title without its parenthesis (best config per model and workload); a ranking one
    per figure ranked, on any machine; the other kinds one each."""
    if finding.kind in ("setting_effect", "setting_across_models"):
        return "setting " + finding.title.split()[0]
    if finding.kind == "model_ranking":  # one per figure, whichever machine it ranks on
        return finding.title.split(" by model")[0]
    if finding.kind in ("best_config", "reported"):
        return finding.title.split(" (")[0]
    return finding.kind


def by_variety(findings: Sequence[Finding], shown: Sequence[Finding] = ()) -> list[Finding]:
    """The findings, most important first, but the first of each topic not in `shown` before
    a second of any topic: three models' num_gpu effects would otherwise fill a short list."""
    first: list[Finding] = []
    rest: list[Finding] = []
    topics = {topic(f) for f in shown}
    for f in findings:
        about = topic(f)
        (rest if about in topics else first).append(f)
        topics.add(about)
    return first + rest


def varied(findings: Sequence[Finding], most: int) -> list[Finding]:
    """At most `most` of the findings picked `by_variety`, shown in their order of importance."""
    chosen = {id(f) for f in by_variety(findings)[:most]}
    return [f for f in findings if id(f) in chosen]
