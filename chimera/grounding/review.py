"""Reviewing a model's draft of one report section: keep it, or say why not.

A draft is rejected when any of these holds (in this order, the first reason is given):

- it is too short: fewer words than the section's `min_words`;
- it echoes its prompt: more than `MAX_ECHO` of its 8-word runs are copied from the prompt's
  instructions, inventory and digest (restating the findings it was given is fine);
- it repeats itself: more than `MAX_REPETITION` of its 8-word runs are repeats, or more
  than `MAX_REPEATED_SECTION` of them are in a section kept before it;
- it states fewer measured figures of the data than the section asks for (`min_figures`; a
  count of models, files or runs measures nothing);
- a figure in it does not trace to the data (see `chimera.grounding.figures`), or it holds
  a decimal number or a duration ("the 15-minute difference") that is not even a figure
  (no unit the figure rules read, no metric beside it: unexplained);
- a table section is not a table whose rows fill the header's columns with words;
- a section that reports the measurements (not the recommendations, not a table) advises
  ("we recommend ...", "should use ..."): advice is held to the findings only in its section;
- a recommendations section is not a list, or an item names a setting value
  (`num_gpu=0`, "CPU only") that no computed recommendation supports, or, naming none,
  says nothing a computed recommendation says.

`Section` is the section as the report keeps it, with who wrote it and these measures.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from chimera.document import Document
from chimera.grounding.context import normalise_value
from chimera.grounding.echo import echo_share, repetition_share, run_set, runs, words
from chimera.grounding.figure_text import COUNT_UNITS
from chimera.grounding.figures import OTHER_CONTEXT, FiguresCheck, KnownFigures, check_figures

MAX_ECHO = 0.10
MAX_REPETITION = 0.30
MAX_REPEATED_SECTION = 0.50


class Section(BaseModel):
    """One section of the report body and how it came to be."""

    title: str
    author: Literal["model", "chimera"]
    text: str = Field(description="the section's Markdown, without its heading")
    echo_share: float | None = Field(None, description="share of the model's draft copied")
    findings_share: float | None = Field(
        None, description="share of the model's draft restating the findings word for word"
    )
    figures_traced: int = 0
    figures_total: int = 0
    retries: int = 0
    rejected: str | None = Field(None, description="why the model's last draft was rejected")
    not_asked: str | None = Field(
        None, description="why the model was not asked for (another) draft of this section"
    )
    omitted: bool = Field(False, description="left out of the report (its on_reject: omit)")


class DraftReview(BaseModel):
    """What the review of one draft found."""

    echo_share: float | None
    repetition_share: float | None
    findings_share: float | None = None
    figures: FiguresCheck
    rejected: str | None = None

    @property
    def kept(self) -> bool:
        return self.rejected is None


_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(?P<text>.+)$", re.M)


# A duration the figure rules do not read as one ("the 15-minute difference", "a 3 hour run"):
# a weak model's invented quantity, never a figure of a benchmark folder's data.
_DURATION = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?(?:-|\s+)(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b",
    re.I,
)


def _unexplained_numbers(text: str, figures: FiguresCheck) -> list[str]:
    """Decimal numbers, and durations, the figures check did not even read as figures."""
    claimed = sorted((c.start, c.end or c.start) for c in figures.claims if c.start is not None)
    starts = [s for s, _ in claimed]

    def is_claimed(offset: int) -> bool:
        i = bisect_right(starts, offset) - 1  # the last figure starting at or before it
        return i >= 0 and offset < claimed[i][1]

    found = [*_DECIMAL.finditer(text), *_DURATION.finditer(text)]
    return [m.group(0) for m in sorted(found, key=lambda m: m.start()) if not is_claimed(m.start())]


# A sentence that advises ("we recommend ...", "you should use ..."; not "the data suggest",
# which reports): the recommendations section's, where each is held to a computed
# recommendation; a section that reports the measurements may not slip one past that check.
_ADVISES = re.compile(
    r"\b(?:recommend\w*|advis(?:e|es|ed|ing|able)|should\s+(?:use|switch|set|run|choose|pick|prefer"
    r"|avoid|raise|lower|increase|decrease))\b",
    re.I,
)


def _table_problem(text: str) -> str | None:
    lines = [line for line in Document(text).lines if line.kind.startswith("table")]
    if len(lines) < 3 or lines[0].kind != "table_header":
        return "not a table with a header and rows"
    width = len(lines[0].cells)
    for row in (line for line in lines if line.kind == "table_row"):
        cells = [row.cell_text(col).strip() for col in range(len(row.cells))]
        if len(cells) != width or any(not re.search(r"[A-Za-z]{2,}", c) for c in cells):
            return "a table row that does not fill its columns with words"
    return None


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) >= 4}


_NOT_ADVISED = re.compile(
    r"\b(?:rather[ \t]+than|instead[ \t]+of|than|not|never|avoid|against|over|from|unlike)\b"
    r"(?:[^.;\n]|\.\d)*",
    re.I,
)


def _unsupported_change(
    text: str,
    known: KnownFigures,
    changes: Sequence[Mapping[str, object]],
    advice: Sequence[str],
) -> str | None:
    """Why a recommendations draft says what the findings do not, or None.

    It must be a list; each item must name a setting change a computed recommendation makes
    (values it advises against — "rather than num_gpu=0" — are not changes), or say much
    the same as one of the computed recommendations (`advice`)."""
    items = list(_ITEM.finditer(text))
    if not items:
        return "not a list of recommendations"
    supported = {
        (key, normalise_value(str(value))) for change in changes for key, value in change.items()
    }
    known_advice = [_content_words(a) for a in advice]
    for item in items:
        mine = _content_words(item.group("text"))
        if any(mine and len(mine & other) >= 0.8 * len(mine) for other in known_advice):
            continue  # one of the computed recommendations, restated (its config names too)
        advised = _NOT_ADVISED.sub(" ", item.group("text"))
        named = known.entities.named(advised)
        settings = [
            (key, value)
            for key, values in named.entities.items()
            if key not in ("model", "config", "file", "run")
            for value in values
        ]
        for key, value in settings:
            if (key, value) not in supported:
                return f"recommends {key}={value}, which no finding supports"
        if settings:
            continue
        if not any(len(mine & other) >= max(2, 0.4 * len(mine)) for other in known_advice):
            shown = " ".join(item.group("text").split()[:8])
            return f'recommends what no finding supports ("{shown} ...")'
    return None


def _overlap(text: str, others: Sequence[str]) -> float:
    """The largest share of `text`'s word runs found in any one of `others`."""
    mine = runs(text)
    if not mine:
        return 0.0
    return max((sum(r in run_set([o]) for r in mine) / len(mine) for o in others), default=0.0)


def _measured(figures: FiguresCheck) -> int:
    """Traced figures that measure something (a rate, a time, a share), not counts: aukejw on
    the embedded model, "the model with MLX (metal) has a better performance on the 14 models
    than it did for the same number of parameters", a summary whose one figure was a count."""
    return sum(c.status == "traced" and c.unit not in COUNT_UNITS for c in figures.claims)


def _some(texts: list[str]) -> str:
    return ", ".join(texts[:3]) + (f" and {len(texts) - 3} more" if len(texts) > 3 else "")


def _untraced_reason(figures: FiguresCheck) -> str:
    """Why the draft's figures do not trace, as a reader can check it: a figure the data
    gives, but for another model, setting or metric than the sentence names, is said so
    (leoriccrown: "not in the data (170.14 tok/s, 160.23 tok/s)", two rates a reader finds
    in the files, of phi4-mini and gpt-oss, at num_ctx=49152 and 92160)."""
    missed = [c for c in figures.claims if c.status != "traced"]
    elsewhere = [c.text for c in missed if c.traced_by == OTHER_CONTEXT]
    absent = [c.text for c in missed if c.traced_by != OTHER_CONTEXT]
    said = []
    if absent:
        said.append(f"{len(absent)} of {figures.total} figures not in the data ({_some(absent)})")
    if elsewhere:
        said.append(
            f"{len(elsewhere)} of {figures.total} figures the data gives only for another model,"
            f" setting or metric than the sentence names ({_some(elsewhere)})"
        )
    return "; ".join(said)


def review_draft(
    text: str,
    sources: set[tuple[str, ...]],
    known: KnownFigures,
    min_words: int,
    *,
    min_figures: int = 0,
    table: bool = False,
    changes: Sequence[Mapping[str, object]] | None = None,
    advice: Sequence[str] = (),
    earlier: Sequence[str] = (),
    findings: set[tuple[str, ...]] | None = None,
) -> DraftReview:
    """Review `text` against its prompt's word runs (`sources`) and the known figures.

    `min_figures`: traced measured figures it must state (not counts); `table`: it must be
    a table; `changes` and `advice`: what the computed recommendations support (a
    recommendations section says nothing else); `earlier`: the sections kept before it (it
    may not repeat one); `findings`: the word runs of the findings it was given (restating
    is fine, but it is measured, so the report does not count copied findings as the
    model's writing)."""
    echo = echo_share(text, sources)
    repeated = repetition_share(text)
    figures = check_figures({"draft": text}, known)
    n_words = len(words(text))
    untraced = [c.text for c in figures.claims if c.status != "traced"]
    unexplained = _unexplained_numbers(text, figures)
    checks: list[tuple[bool, str]] = [
        (n_words < min_words, f"too short: {n_words} words (at least {min_words} wanted)"),
        (echo is not None and echo > MAX_ECHO, f"{100 * (echo or 0):.0f} % copied from its prompt"),
        (
            repeated is not None and repeated > MAX_REPETITION,
            f"{100 * (repeated or 0):.0f} % repeats itself",
        ),
        (bool(untraced), _untraced_reason(figures)),
        (
            bool(unexplained),
            f"numbers that are not figures of the data ({', '.join(unexplained[:3])})",
        ),
        (
            (measured := _measured(figures)) < min_figures,
            f"states {measured} measured figures of the data (at least {min_figures} wanted;"
            " a count of models, files or runs is none)",
        ),
        (_overlap(text, earlier) > MAX_REPEATED_SECTION, "repeats an earlier section"),
    ]
    reason = next((why for failed, why in checks if failed), None)
    if reason is None and table:
        reason = _table_problem(text)
    if reason is None and changes is not None:
        reason = _unsupported_change(text, known, changes, advice)
    if reason is None and changes is None and not table and (advises := _ADVISES.search(text)):
        shown = " ".join(text[advises.start() :].split()[:8])
        reason = f'advises in a section that reports the measurements ("{shown} ...")'
    copied = echo_share(text, findings) if findings else None
    return DraftReview(
        echo_share=echo,
        repetition_share=repeated,
        findings_share=copied,
        figures=figures,
        rejected=reason,
    )
