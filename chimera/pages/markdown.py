"""A small, safe Markdown-to-HTML converter for the text models write.

Models write headings, paragraphs, lists, tables, bold/italic and code; that is all this
converts. Every character of the input is HTML-escaped before any tag is added, raw HTML in
the input stays text, links and images become text (a page must not point anywhere), so
nothing a model writes can inject markup or make the page fetch something.

Figures are marked by character offsets into the Markdown source: `to_html(text, spans,
mark)` wraps each span [start, end) in the HTML that `mark(index)` returns. The spans are
carried through the conversion as private-use sentinel characters, so they survive
escaping and inline formatting and land exactly around the characters they named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chimera.document import FENCE_OPEN, HEADING, fence_closes, is_table_separator, split_cells
from chimera.escape import plain

_OPEN = "\ue000"  # followed by one character encoding the span's index
_CLOSE = "\ue001"
_INDEX_BASE = 0xE100
MAX_SPANS = 0xF8FF - _INDEX_BASE  # the private-use area left for indices
_SENTINELS = re.compile(f"[{_OPEN}{_CLOSE}]")

Span = tuple[int, int, int]  # start, end, index
MarkFn = Callable[[int], tuple[str, str]]  # index -> (opening HTML, closing HTML)

_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\s]*)[^)]*\)")
_BACKSLASH = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_EMPHASIS = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), "strong"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), "strong"),
    (re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"), "em"),
    (re.compile(r"(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])"), "em"),
)
_ESCAPED = "\ue002"  # a backslash-escaped character, restored after emphasis


def _escape(text: str) -> str:
    # plain() turns line breaks into spaces and drops control characters: inline text only.
    return (
        plain(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def insert_spans(text: str, spans: Sequence[Span]) -> str:
    """`text` with sentinels around each span; overlapping or out-of-range spans are skipped."""
    clean = _SENTINELS.sub("\ufffd", text)  # same length: offsets stay valid
    chosen: list[Span] = []
    last_end = -1
    for start, end, index in sorted(spans):
        if 0 <= start < end <= len(clean) and start >= last_end and index < MAX_SPANS:
            if "\n" in clean[start:end]:
                continue
            chosen.append((start, end, index))
            last_end = end
    out: list[str] = []
    pos = 0
    for start, end, index in chosen:
        out += [clean[pos:start], _OPEN, chr(_INDEX_BASE + index), clean[start:end], _CLOSE]
        pos = end
    out.append(clean[pos:])
    return "".join(out)


def inline(text: str) -> str:
    """One block's text as inline HTML: code spans, bold, italic; links and images as text."""
    parts: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_inline_text(text[pos : match.start()]))
        parts.append(f"<code>{_escape(match.group(2).strip())}</code>")
        pos = match.end()
    parts.append(_inline_text(text[pos:]))
    return "".join(parts)


def _inline_text(text: str) -> str:
    escaped_chars: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped_chars.append(match.group(1))
        return _ESCAPED

    text = _BACKSLASH.sub(hold, text)
    # A link keeps its words and shows where it pointed, as text: pages link nowhere.
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) else m.group(1), text)
    html = _escape(text)
    for pattern, tag in _EMPHASIS:
        html = pattern.sub(lambda m, t=tag: f"<{t}>{m.group(1)}</{t}>", html)
    held = iter(escaped_chars)
    return re.sub(_ESCAPED, lambda _: _escape(next(held)), html)


def _cells(line: str) -> list[str]:
    return [line[a:b].strip() for a, b in split_cells(line)]


def _table(lines: list[str]) -> str:
    head = _cells(lines[0])
    rows = [_cells(line) for line in lines[2:]]
    width = max([len(head), *(len(r) for r in rows)])
    head += [""] * (width - len(head))
    out = ["<table><thead><tr>", *(f"<th>{inline(c)}</th>" for c in head), "</tr></thead><tbody>"]
    for row in rows:
        row += [""] * (width - len(row))
        out += ["<tr>", *(f"<td>{inline(c)}</td>" for c in row), "</tr>"]
    out.append("</tbody></table>")
    return '<div class="scroll">' + "".join(out) + "</div>"


def _list(items: list[tuple[int, bool, str]]) -> str:
    """Nested lists from (indent, ordered, text) items, nesting by indentation."""
    out: list[str] = []
    stack: list[tuple[int, str]] = []  # (indent, tag)
    for indent, ordered, text in items:
        tag = "ol" if ordered else "ul"
        if stack and indent > stack[-1][0]:
            out.append(f"<{tag}>")
            stack.append((indent, tag))
        else:
            while len(stack) > 1 and indent < stack[-1][0]:
                out.append(f"</li></{stack.pop()[1]}>")
            if stack and stack[-1][1] != tag:  # "1." after "-": a new list of the other kind
                out.append(f"</li></{stack[-1][1]}><{tag}>")
                stack[-1] = (stack[-1][0], tag)
            elif stack:
                out.append("</li>")
            else:
                out.append(f"<{tag}>")
                stack.append((indent, tag))
        out.append(f"<li>{inline(text)}")
    while stack:
        out.append(f"</li></{stack.pop()[1]}>")
    return "".join(out)


def blocks(text: str, heading_shift: int = 1) -> str:
    """Block-level conversion; headings move down `heading_shift` levels under the page's."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(s.strip() for s in para))}</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        fence = FENCE_OPEN.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            code: list[str] = []
            i += 1
            while i < len(lines) and not fence_closes(marker, lines[i]):
                code.append(lines[i])
                i += 1
            i += 1
            body = "\n".join(_escape(c) for c in code)
            out.append(f"<pre><code>{body}</code></pre>")
            continue
        heading = HEADING.match(line)
        if heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_shift)
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
            i += 1
            continue
        if _HR.match(line):
            flush()
            out.append("<hr>")
            i += 1
            continue
        if "|" in line and i + 1 < len(lines) and is_table_separator(lines[i + 1]):
            flush()
            rows = [line, lines[i + 1]]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(lines[i])
                i += 1
            out.append(_table(rows))
            continue
        if _ITEM.match(line):
            flush()
            items: list[tuple[int, bool, str]] = []
            while i < len(lines):
                item = _ITEM.match(lines[i])
                if item:
                    indent = len(item.group(1).expandtabs(4))
                    items.append((indent, item.group(2)[0].isdigit(), item.group(3)))
                elif lines[i].strip() and lines[i][:1].isspace() and items:
                    indent, ordered, prev = items[-1]
                    items[-1] = (indent, ordered, f"{prev} {lines[i].strip()}")
                else:
                    break
                i += 1
            out.append(_list(items))
            continue
        if _QUOTE.match(line):
            flush()
            quoted: list[str] = []
            while i < len(lines) and (q := _QUOTE.match(lines[i])):
                quoted.append(q.group(1))
                i += 1
            out.append(f"<blockquote>{blocks(chr(10).join(quoted), heading_shift)}</blockquote>")
            continue
        para.append(line)
        i += 1
    flush()
    return "".join(out)


def to_html(
    text: str, spans: Sequence[Span] = (), mark: MarkFn | None = None, heading_shift: int = 1
) -> str:
    """Markdown `text` as safe HTML, each span wrapped by `mark` (see the module docstring)."""
    html = blocks(
        insert_spans(text, spans) if spans else _SENTINELS.sub("\ufffd", text), heading_shift
    )
    if not spans or mark is None:
        return _SENTINELS.sub("", html)

    closers: list[str] = []

    def open_and_remember(match: re.Match[str]) -> str:
        index = ord(match.group(1)) - _INDEX_BASE
        opened, closing = mark(index)
        closers.append(closing)
        return opened

    html = re.sub(f"{_OPEN}(.)", open_and_remember, html, flags=re.S)
    closing_iter = iter(closers)
    return re.sub(_CLOSE, lambda _: next(closing_iter, ""), html)
