"""Model-written Markdown, read once: lines as blocks, table cells, sentences, with offsets.

Every checker and page that reads what a model wrote (the figures check, persona compliance,
the review of a draft, `chimera verify`, the pages, `escape.md_block`) reads its structure
here, so each piece of syntax has one definition:

- **Code fence:** a line opening with three or more backticks or tildes (after any
  indentation: models indent fences inside list items); it closes at a line that starts
  with at least as many of the same character. An unclosed fence runs to the end.
- **Heading:** one to six `#` at the start of a line (up to three spaces in), a space, a title.
- **Table:** a line holding `|` followed by a separator line holding `|` (`|---|:--:|`);
  the lines holding `|` that follow are its rows, up to the first line that does not. A
  cell is split at each `|` that is not escaped (`\\|`) and not inside a code span.
- **Sentence:** ends at `.`, `!` or `?` followed by white space or the end of its line.

`Document(text).lines` gives each line its offset, its kind and, for a table row, its cells
and its table's header; `sentence_spans` splits a stretch of prose into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# Where one sentence ends (its full stop) and the gap before the next begins.
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_CODE_SPAN = re.compile(r"(`+)[^`\n]*?\1")

LineKind = Literal["code", "heading", "table_header", "table_separator", "table_row", "prose"]


@dataclass(frozen=True)
class Line:
    """One line of the text: `start` is its offset, `text` is without its line break."""

    start: int
    text: str
    kind: LineKind
    cells: tuple[tuple[int, int], ...] = ()  # a table line's cells, offsets in `text`
    header: tuple[str, ...] = ()  # a table row's header cells, stripped
    fence: bool = field(default=False)  # an opening or closing fence line (kind "code")

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def cell_text(self, column: int) -> str:
        a, b = self.cells[column]
        return self.text[a:b]


def fence_closes(opening: str, line: str) -> bool:
    """Whether `line` closes a fence opened with `opening` (``` or ~~~, three or more)."""
    stripped = line.lstrip(" \t")
    run = len(stripped) - len(stripped.lstrip(opening[0]))
    return run >= len(opening)


def is_table_separator(line: str) -> bool:
    return "|" in line and bool(TABLE_SEPARATOR.match(line))


def split_cells(line: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each cell of a table row, without the outer pipes; a pipe escaped
    (`\\|`) or inside a code span does not split."""
    guarded = _CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line.replace("\\|", "xx"))
    bounds = [i for i, ch in enumerate(guarded) if ch == "|"]
    stripped = line.strip()
    edges = ([] if stripped.startswith("|") else [-1]) + bounds
    if not stripped.endswith("|") or stripped.endswith("\\|"):
        edges.append(len(line))
    return tuple((a + 1, b) for a, b in zip(edges, edges[1:], strict=False))


def _kinds(lines: list[str]) -> list[tuple[LineKind, bool]]:
    """Each line's kind, and whether it is a fence line itself."""
    kinds: list[tuple[LineKind, bool]] = []
    fence: str | None = None
    in_table = False
    for i, line in enumerate(lines):
        if fence is not None:
            closed = fence_closes(fence, line)
            kinds.append(("code", closed))
            fence = None if closed else fence
            continue
        opened = FENCE_OPEN.match(line)
        if opened:
            fence, in_table = opened.group(1), False
            kinds.append(("code", True))
            continue
        row = "|" in line and line.strip() != ""
        if row and i + 1 < len(lines) and is_table_separator(lines[i + 1]):
            kinds.append(("table_header", False))
            in_table = True
        elif in_table and row:
            kinds.append(("table_separator" if is_table_separator(line) else "table_row", False))
        else:
            in_table = False
            kinds.append(("heading" if HEADING.match(line) else "prose", False))
    return kinds


class Document:
    """A Markdown text read into lines of known kinds, each with its offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        raw = text.split("\n")
        self.lines: list[Line] = []
        offset = 0
        header: tuple[str, ...] = ()
        for line, (kind, fence) in zip(raw, _kinds(raw), strict=True):
            cells: tuple[tuple[int, int], ...] = ()
            if kind.startswith("table"):
                cells = split_cells(line)
            if kind == "table_header":
                header = tuple(line[a:b].strip() for a, b in cells)
            shown = header if kind in ("table_row", "table_separator") else ()
            self.lines.append(Line(offset, line, kind, cells, shown, fence))
            offset += len(line) + 1

    def code_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every line inside a fenced code block, fences included."""
        return [(line.start, line.end) for line in self.lines if line.kind == "code"]

    def without_code(self) -> str:
        """The text with fenced code blanked out (same length: offsets stay valid)."""
        chars = list(self.text)
        for a, b in self.code_spans():
            chars[a:b] = " " * (b - a)
        return "".join(chars)

    def headings(self) -> list[tuple[int, str, Line]]:
        """(level, title, line) of each heading outside code."""
        found = []
        for line in self.lines:
            if line.kind == "heading" and (m := HEADING.match(line.text)):
                found.append((len(m.group(1)), m.group(2).strip(), line))
        return found


def sentence_spans(text: str, a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[a:b] (surrounding white space excluded)."""
    b = len(text) if b is None else b
    spans = []
    pos = a
    for gap in SENTENCE_BREAK.finditer(text, a, b):
        spans.append((pos, gap.start()))
        pos = gap.end()
    spans.append((pos, b))
    return spans
