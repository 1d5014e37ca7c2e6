"""Data-derived text made safe for the format it lands in: CSV, Markdown, HTML, a terminal.

Names of configs, models and files come from users' files and may hold anything: a leading
`=` (a formula when a spreadsheet opens the CSV), `|` (a new Markdown table cell), a newline
and backticks (a heading or live HTML in a Markdown report), ANSI escapes (terminal control).
Every such string passes through the function for its destination, once, where it is written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from chimera.document import FENCE_OPEN, fence_closes

# Spreadsheets treat a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n for callers to judge
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_MD_SPECIAL = re.compile(r"([\\`*{}\[\]<>#|!~])")
# An underscore between two letters or digits (num_gpu) cannot start or end emphasis in
# CommonMark, so it stays as it is: names stay readable in the raw file.
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def not_utf8(path: object) -> str | None:
    """None for a path that is valid UTF-8; else the path shown with `\\xff`-style escapes.
    (Python decodes a file name's stray bytes to lone surrogates no report can hold.)"""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def plain(text: object) -> str:
    """One line of printable text: escapes and control characters dropped, line breaks as spaces."""
    value = _ANSI.sub("", str(text))
    value = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub("", value)


def shorten(text: object, limit: int = 80) -> str:
    """`text` cut to about `limit` characters, saying how long it was: a value quoted in an
    error message must not make the message itself unreadable (or hundreds of MB)."""
    value = str(text)
    if len(value) <= limit:
        return value
    return f"{value[: max(limit - 3, 1)]}... ({len(value):,} characters)"


# `scheme://` then user-info up to the last `@` before the host's end (a password typed with
# an unencoded `@` is still all hidden, as urlsplit takes the last `@` too).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#]*@")
REDACTED = "***"


def redact_url(text: str) -> str:
    """`text` with the user-info of every URL in it (`alice:S3cret@`) replaced by `***@`.

    The one redaction of credentials: a URL, or a message that quotes one, passes here
    wherever it is written to a file or printed (configs, host names, errors, logs).
    """
    return _USERINFO.sub(rf"\1{REDACTED}@", text) if "@" in text else text


def has_redacted_userinfo(url: str) -> bool:
    """Whether `url`'s user-info is the mark `redact_url` leaves (its credentials are gone)."""
    scheme, sep, rest = url.partition("://")
    return bool(sep) and rest.split("/", 1)[0].rpartition("@")[0] == REDACTED


def terminal(text: object) -> str:
    """For a terminal: no escape sequence or control character reaches it."""
    return plain(text)


def csv_cell(value: object) -> object:
    """A CSV value: text that a spreadsheet would run as a formula is prefixed with `'`."""
    if not isinstance(value, str):
        return value
    text = plain(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def md_inline(text: object) -> str:
    """Text inside a Markdown line or table cell: one line, Markdown and HTML syntax escaped."""
    return _MD_UNDERSCORE.sub(r"\\_", _MD_SPECIAL.sub(r"\\\1", plain(text)))


def md_names(text: str, names: Iterable[str]) -> str:
    """Markdown someone else wrote (a model's draft) with each of `names` (the data's models,
    configs, files) escaped where it is written as is: a model that copies the name
    "[x](http://…)" or "a|b" from its prompt makes no link or table cell of it."""
    risky = sorted({n for n in names if n and md_inline(n) != n}, key=len, reverse=True)
    if not risky:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in risky))
    return pattern.sub(lambda m: md_inline(m.group(0)), text)


def md_code(text: object) -> str:
    """Text inside an inline code span: one line, with a fence longer than its backticks."""
    value = plain(text)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


# A "<" that starts a tag, after its run of backslashes: an odd run escapes it already ("\<").
_TAG_START = re.compile(r"(\\*)<(?=[A-Za-z/!?])")


def _inert_tag(match: re.Match[str]) -> str:
    slashes = match.group(1)
    return match.group(0) if len(slashes) % 2 else slashes + "&lt;"


_BLOCK_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def md_block(text: object) -> str:
    """Markdown someone else wrote (a model's report, a check's table), kept as Markdown but
    inert: no raw HTML tag outside code (`<` before a tag becomes `&lt;`), no terminal
    escape sequences or control characters. Code spans and fenced blocks show text as it
    is, so they are left as they are."""
    value = _ANSI.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    value = _BLOCK_CONTROL.sub("", value)
    out: list[str] = []
    fence: str | None = None
    for line in value.split("\n"):
        opened = FENCE_OPEN.match(line)
        if fence is not None:
            if fence_closes(fence, line):
                fence = None
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        # Outside code spans only: split on backtick runs, escape the even (text) parts.
        parts = re.split(r"(`+[^`]*?`+)", line)
        out.append(
            "".join(p if i % 2 else _TAG_START.sub(_inert_tag, p) for i, p in enumerate(parts))
        )
    return "\n".join(out)


def fenced(text: object) -> str:
    """Text for a fenced code block: its lines kept, escape sequences and controls dropped."""
    value = _ANSI.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return _BLOCK_CONTROL.sub("", value)


def html_text(text: object) -> str:
    """Text inside HTML, attribute values included."""
    return html.escape(plain(text), quote=True)
