"""Persona compliance (no LLM): does the writer's text keep the promises its persona makes?

Checks, one `ComplianceItem` each, only for what the persona declares:

- **Sections**: one item per declared section. A heading matches when, after dropping
  numbering ("1.", "3.2", "Section 2"), Markdown marks, case, punctuation, small words and
  plural/British spellings, it contains every word of the section name, or two thirds of
  them, or reads almost the same (typos). Headings are `#` lines, lines that are wholly
  bold ("**1. Executive Summary**", "1. **Summary**"), and short numbered or colon-ended
  lines ("1. Executive Summary", "Risks:").
- **Length**: words (runs of letters/digits, "tok/s" is one word) outside code blocks,
  within `length.min_words`..`length.max_words`.
- **Table**: some Markdown table (header, `---` separator, rows) has at least
  `min_table_rows` data rows.
- **Numbered sections**: every declared section that was found sits under a numbered
  heading; with no declared sections, at least two `#`/bold headings are numbered.
- **Bold metric callouts**: at least one `**...**` span contains a figure, as the figures
  check defines one (a number with a unit or beside a metric word: "**42.8 tok/s**").

`score` is passed / total, or None when the persona declares nothing checkable (a score of
1.0 would claim compliance that was never tested).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from pydantic import BaseModel, computed_field

from chimera.config.personas import Persona
from chimera.document import HEADING, TABLE_SEPARATOR, Document
from chimera.grounding.figures import find_figures

_BOLD_LINE_RE = re.compile(
    r"^\s*(?P<pre>(?:\d+(?:\.\d+)*[.)]|[-*+])\s*)?(\*\*|__)(?P<title>.+?)\2\s*:?\s*$"
)
_NUMBERED_LINE_RE = re.compile(r"^\s*\d+(?:\.\d+)*[.)]\s+(?P<title>[^.!?]+?)\s*:?\s*$")
_COLON_LINE_RE = re.compile(r"^\s*(?P<title>[A-Za-z][^.!?:]*?):\s*$")
_NUMBER_PREFIX_RE = re.compile(
    r"^\s*(?:section\s+|part\s+)?(?:\d+(?:\.\d+)*|[IVX]{1,4})(?:[.):]|\s)\s*", re.IGNORECASE
)
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’._/:\-][A-Za-z0-9]+)*")
_BOLD_SPAN_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STOPWORDS = frozenset(("a", "an", "the", "of", "and", "for", "to", "with", "on", "in", "our"))
_BRITISH_RE = re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)\b")
_MAX_WORDS_WEAK_HEADING = 8
_MAX_LISTED = 8
_FUZZY_RATIO = 0.85
_SHARE_OF_WORDS = 2 / 3


class ComplianceItem(BaseModel):
    requirement: str
    passed: bool
    detail: str


class ComplianceResult(BaseModel):
    items: list[ComplianceItem]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float | None:
        """Share of requirements met; None when the persona declares none."""
        if not self.items:
            return None
        return sum(item.passed for item in self.items) / len(self.items)

    def to_markdown(self) -> str:
        """Body of the report's Persona Compliance section (the caller writes the heading)."""
        if not self.items:
            return "_The persona declares no checkable requirements._"
        passed = sum(item.passed for item in self.items)
        lines = [
            f"Met {passed} of {len(self.items)} requirements "
            f"({100.0 * passed / len(self.items):.1f} %).",
            "",
        ]
        lines += [
            f"- [{'x' if item.passed else ' '}] {item.requirement}: {item.detail}"
            for item in self.items
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Heading:
    line: str
    words: frozenset[str]
    normalised: str
    numbered: bool
    strong: bool  # a `#` or wholly bold line, not just a short line


@functools.lru_cache(maxsize=1024)  # persona sections are matched against every heading
def _normalise(title: str) -> tuple[frozenset[str], str]:
    text = _NUMBER_PREFIX_RE.sub("", title.replace("*", "").replace("_", " ").replace("`", ""))
    text = _BRITISH_RE.sub(r"iz\1", text.lower().replace("&", " and "))
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOPWORDS]
    stems = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    ]
    return frozenset(stems), " ".join(stems)


def _heading(line: str, title: str, numbered_outside: bool, strong: bool) -> _Heading:
    words, normalised = _normalise(title)
    numbered = numbered_outside or bool(_NUMBER_PREFIX_RE.match(title.strip("*_ ")))
    return _Heading(line.strip(), words, normalised, numbered, strong)


def _headings(text: str) -> list[_Heading]:
    found: list[_Heading] = []
    for read in Document(text).lines:
        line = read.text
        if read.kind == "code":
            continue
        if read.kind == "heading" and (m := HEADING.match(line)):
            found.append(_heading(line, m.group(2), False, strong=True))
        elif m := _BOLD_LINE_RE.match(line):
            pre = (m.group("pre") or "").strip()
            found.append(_heading(line, m.group("title"), pre[:1].isdigit(), strong=True))
        elif (m := _NUMBERED_LINE_RE.match(line) or _COLON_LINE_RE.match(line)) and len(
            m.group("title").split()
        ) <= _MAX_WORDS_WEAK_HEADING:
            numbered = bool(_NUMBERED_LINE_RE.match(line))
            found.append(_heading(line, m.group("title"), numbered, strong=False))
    return found


def _matches(section: str, heading: _Heading) -> bool:
    words, normalised = _normalise(section)
    if not words or not heading.words:
        return False
    if words <= heading.words:
        return True
    if len(words) >= 3 and len(words & heading.words) >= _SHARE_OF_WORDS * len(words):
        return True
    return SequenceMatcher(None, normalised, heading.normalised).ratio() >= _FUZZY_RATIO


def _find_section(section: str, headings: list[_Heading]) -> _Heading | None:
    # Prefer real headings over short lines that merely look like one.
    ranked = sorted(headings, key=lambda h: not h.strong)
    return next((h for h in ranked if _matches(section, h)), None)


def count_words(text: str) -> int:
    """Words as the length target counts them: code blocks and table rules left out."""
    prose = [
        line.text
        for line in Document(text).lines
        if line.kind not in ("code", "table_separator") and not TABLE_SEPARATOR.match(line.text)
    ]
    return len(_WORD_RE.findall("\n".join(prose)))


def table_row_counts(text: str) -> list[int]:
    """Data rows of each Markdown table in `text`, in order."""
    counts: list[int] = []
    for line in Document(text).lines:
        if line.kind == "table_header":
            counts.append(0)
        elif line.kind == "table_row" and counts and line.text.replace("|", "").strip():
            counts[-1] += 1
    return counts


def _clip(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _section_items(persona: Persona, headings: list[_Heading]) -> list[ComplianceItem]:
    items = []
    for section in persona.section_titles:
        found = _find_section(section, headings)
        if found:
            detail = f'found as "{_clip(found.line)}"'
        else:
            strong = [h.line for h in headings if h.strong]
            seen = ", ".join(f'"{_clip(line, 40)}"' for line in strong[:_MAX_LISTED])
            if len(strong) > _MAX_LISTED:
                seen += f" and {len(strong) - _MAX_LISTED} more"
            detail = "not found" + (f"; headings: {seen}" if seen else "; no headings")
        items.append(
            ComplianceItem(requirement=f'section "{section}"', passed=bool(found), detail=detail)
        )
    return items


def _numbered_item(persona: Persona, headings: list[_Heading]) -> ComplianceItem:
    requirement = "numbered sections"
    if persona.sections:
        found = {s: _find_section(s, headings) for s in persona.section_titles}
        present = {s: h for s, h in found.items() if h is not None}
        if not present:
            return ComplianceItem(
                requirement=requirement,
                passed=False,
                detail="none of the declared sections was found",
            )
        unnumbered = [s for s, h in present.items() if not h.numbered]
        detail = f"{len(present) - len(unnumbered)} of {len(present)} found sections numbered"
        if unnumbered:
            detail += "; not numbered: " + ", ".join(f'"{s}"' for s in unnumbered)
        return ComplianceItem(requirement=requirement, passed=not unnumbered, detail=detail)
    numbered = [h for h in headings if h.strong and h.numbered]
    strong = [h for h in headings if h.strong]
    return ComplianceItem(
        requirement=requirement,
        passed=len(numbered) >= 2,
        detail=f"{len(numbered)} of {len(strong)} headings numbered (need 2 or more)",
    )


def _bold_item(text: str) -> ComplianceItem:
    spans = [(m.start(), m.end(), m.group(0)) for m in _BOLD_SPAN_RE.finditer(text)]
    figures = find_figures(text)
    callouts = [
        span for span in spans if any(span[0] <= f.start and f.end <= span[1] for f in figures)
    ]
    if callouts:
        detail = f"{len(callouts)} bold spans with a figure, e.g. {_clip(callouts[0][2], 50)}"
    else:
        detail = f"no bold span contains a figure ({len(spans)} bold spans in all)"
    return ComplianceItem(
        requirement="bolded metric callouts", passed=bool(callouts), detail=detail
    )


def check_compliance(text: str, persona: Persona) -> ComplianceResult:
    """Check `text` against the sections, length and requirements `persona` declares."""
    text = text or ""
    headings = _headings(text)
    items = _section_items(persona, headings)
    if persona.length is not None:
        words = count_words(text)
        low, high = persona.length.min_words, persona.length.max_words
        verdict = " (too short)" if words < low else " (too long)" if words > high else ""
        items.append(
            ComplianceItem(
                requirement=f"length {low}-{high} words",
                passed=low <= words <= high,
                detail=f"{words} words{verdict}",
            )
        )
    need = persona.requirements.min_table_rows
    if need:
        rows = table_row_counts(text)
        best = max(rows, default=0)
        detail = (
            f"largest table has {best} data rows" if rows else "no Markdown table found"
        ) + f" (need {need})"
        items.append(
            ComplianceItem(
                requirement=f"table with at least {need} rows", passed=best >= need, detail=detail
            )
        )
    if persona.requirements.numbered_sections:
        items.append(_numbered_item(persona, headings))
    if persona.requirements.bold_metric_callouts:
        items.append(_bold_item(text))
    return ComplianceResult(items=items)
