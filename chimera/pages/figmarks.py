"""Where each figure the model wrote sits in its text, and how a page marks it.

The figures check (run.json `figures_check.claims`) lists every figure with its status
and provenance, and which text it was found in (`where`). Schema 2 also records the
figure's character offsets (`start`/`end`) in that text; for older runs the figure is
found again by searching for its sentence, then for the number inside the sentence, in
reading order. Marks wrap the number itself, so they never straddle Markdown syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chimera.grounding.lists import LIST_JOIN
from chimera.pages.markdown import Span
from chimera.pages.shell import esc
from chimera.run_record import RunResult

# The names a claim's `where` may carry for each text (as the figures check names them).
TEXT_NAMES = {
    "report": "body",
    "report_body": "body",
    "body": "body",
    "findings": "findings",
    "key_findings": "findings",
    "recommendations": "recommendations",
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Claim:
    index: int  # 0-based position in figures_check.claims; shown 1-based
    text: str
    where: str  # body, findings, recommendations or the raw name
    traced: bool
    provenance: str | None
    sentence: str
    start: int | None
    end: int | None
    unit: str | None
    found_by: str | None = None  # the extraction rule that made it a figure
    traced_by: str | None = None  # the match rule that traced it, or why not

    @property
    def status(self) -> str:
        return "traced" if self.traced else "untraced"

    def tooltip(self) -> str:
        # the rules that decided it (run.json from before the rules were recorded has none)
        found = f' (a figure by the rule "{self.found_by}")' if self.found_by else ""
        if self.traced:
            rule = f' by "{self.traced_by}"' if self.traced_by else ""
            return (
                f"Figure {self.index + 1}{found}, traced{rule}: "
                f"{self.provenance or 'provenance not recorded'}"
            )
        if self.traced_by == "wrong direction":
            return (
                f"Figure {self.index + 1}{found}, not traced (wrong direction): its figures are "
                "in the data, but the comparative word beside it says the opposite of their order"
            )
        why = f" ({self.traced_by})" if self.traced_by else ""
        return (
            f"Figure {self.index + 1}{found}, not traced{why}: no figure in the data or the "
            f"run's metrics matches {self.text}"
        )


def claims_of(run: RunResult) -> list[Claim]:
    check = run.figures_check
    return [
        Claim(
            index=i,
            text=c.text,
            where=TEXT_NAMES.get(c.where, c.where),
            traced=c.status == "traced",
            provenance=c.provenance,
            sentence=c.sentence,
            start=c.start,
            end=c.end,
            unit=c.unit,
            found_by=c.found_by,
            traced_by=c.traced_by,
        )
        for i, c in enumerate(check.claims if check else [])
    ]


def _number_of(claim: Claim) -> str:
    match = _NUMBER.search(claim.text)
    return match.group(0) if match else claim.text


def _find_number(text: str, number: str, lo: int, hi: int, taken: set[int]) -> int | None:
    pattern = re.compile(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)")
    for match in pattern.finditer(text, lo, hi):
        if match.start() not in taken:
            return match.start()
    return None


def locate(text: str, claims: Sequence[Claim]) -> tuple[list[Span], list[Claim]]:
    """Spans of `claims` in `text` (by offsets when recorded, else by search) and the rest."""
    spans: list[Span] = []
    missing: list[Claim] = []
    taken: set[int] = set()
    cursor = 0
    for claim in claims:
        number = _number_of(claim)
        if (
            claim.start is not None
            and claim.end is not None
            and 0 <= claim.start < claim.end <= len(text)
            and any(ch.isdigit() for ch in text[claim.start : claim.end])
            # the recorded offsets must still point at this figure (else: search for it)
            and claim.text.startswith(text[claim.start : claim.end])
        ):
            spans.append((claim.start, claim.end, claim.index))
            taken.add(claim.start)
            cursor = claim.end
            continue
        found = None
        sentence = claim.sentence.strip()
        if sentence:
            for lo in (cursor, 0):
                at = text.find(sentence, lo)
                while at >= 0 and found is None:
                    found = _find_number(text, number, at, at + len(sentence), taken)
                    at = text.find(sentence, at + 1) if found is None else at
                if found is not None:
                    break
        if found is None:
            found = _find_number(text, number, cursor, len(text), taken)
        if found is None:
            found = _find_number(text, number, 0, len(text), taken)
        if found is None:
            missing.append(claim)
            continue
        spans.append((found, found + len(number), claim.index))
        taken.add(found)
        cursor = found + len(number)
    return spans, missing


def mark_fn(claims: Sequence[Claim]):  # type: ignore[no-untyped-def]
    """The `mark` callback for `markdown.to_html`: a coloured span with a hover title."""
    by_index = {c.index: c for c in claims}

    def mark(index: int) -> tuple[str, str]:
        claim = by_index.get(index)
        if claim is None:
            return "", ""
        return (
            f'<span class="fig {claim.status}" id="fig-{index + 1}"'
            f' data-figure="{index + 1}" title="{esc(claim.tooltip())}">',
            f"<sup>{index + 1}</sup></span>",
        )

    return mark


def split_items(
    items: Sequence[str], spans: Sequence[Span], join: str = LIST_JOIN
) -> list[list[Span]]:
    """Spans over `join.join(items)` (how the figures check read a list), per item."""
    out: list[list[Span]] = [[] for _ in items]
    offset = 0
    bounds = []
    for item in items:
        bounds.append((offset, offset + len(item)))
        offset += len(item) + len(join)
    for start, end, index in spans:
        for k, (lo, hi) in enumerate(bounds):
            if lo <= start and end <= hi:
                out[k].append((start - lo, end - lo, index))
                break
    return out
