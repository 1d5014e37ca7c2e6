"""Figures check (no LLM): find every figure the model wrote and trace it to a known value.

Small local models invent numbers, so every figure in the report, findings and recommendations
is looked up among the figures Chimera knows: the digest's statistics, the data highlights,
the run's measured metrics and counts the caller adds (files analysed, ...).

What counts as a figure (the extraction rule, applied to digits only; spelled-out numbers such
as "two rows" are never figures):

1. A number followed by a metric unit is a figure: tok/s (also tokens/s, tokens/sec,
   tokens/second, tokens per second, t/s, tps), ms, s/sec/seconds, min/minutes, %,
   percent, x (a ratio, "2.5x"), tokens, GB/MB. In a range ("15-17 tok/s") both ends are.
2. A number without a unit is a figure when a metric word is among the five words before it
   (or right after it): throughput, tokens per second, TTFT, time to first token, latency,
   load, eval, duration, speed, mean/median/average, p95, num_ctx, num_gpu, temperature ...
   Its unit may come from the label it belongs to: a table's column header or row label,
   or "Label (ms): 723".
3. A count of data ("101 files", "Files analysed: 101", "44 rows", "12 runs") is a figure
   when it is at least 10; smaller counts ("3 runs", "2 models") are not.
4. Never figures: section and list numbers ("1.", "### 2."), dates and years
   (2025-11-14, November 14th, 2025, Nov 8th, 2025), times of day (10:00, 3 pm), version
   strings and identifiers (gemma3:270m, llama3.1, Q4_K_M, 1b, 1.2.3, file names and paths),
   labels ("Table 1", "Section 3", "Run 2", "#4"), integers followed by any other noun
   ("3 recommendations", "400 words"), and anything inside code spans or fenced code blocks.

A figure is traced when it matches a known figure of the same unit (a unitless figure may
match any unit; s and min are compared in ms): within 1 % of it, or equal to it rounded or
truncated to the digits written ("42.8" and "42" both match 42.76). A percentage or an "x"
ratio also matches one computed from two known figures, (a - b) / b or a / b in either
direction, when both are of one unit and statistic and scope (model vs model; a group vs all
rows or the run is allowed too) and each is cited elsewhere in the texts or covers all rows
or the run. Counts must match exactly. Signs are ignored.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, computed_field

from chimera.metrics import RunMetrics

if TYPE_CHECKING:
    from chimera.digest import DataDigest
    from chimera.highlights import Highlight

Status = Literal["traced", "unverified"]

_REL_TOLERANCE = 0.01
_SENTENCE_MAX = 240
# Data counts below this are "small counts of things", not figures ("3 runs", "2 models").
_MIN_COUNT = 10
_WINDOW_WORDS = 5
_AFTER_WORDS = 3


class KnownFigure(BaseModel):
    """A value Chimera knows to be true, and where it comes from."""

    value: float
    unit: str = Field(description="tok/s, ms, s, tokens, %, files, rows, or a setting name")
    source: str = Field(description="e.g. 'digest: tokens_per_s mean, model=gemma3:270m (...)'")
    kind: str | None = Field(
        None,
        description="what it measures (e.g. 'tokens_per_s'); percentages are only derived "
        "between figures of the same unit and kind",
    )


class FigureClaim(BaseModel):
    """One figure as the model wrote it, and whether it could be traced."""

    text: str = Field(description="as written, e.g. '110 tok/s'")
    value: float = Field(description="the number as written (sign ignored)")
    unit: str | None = Field(description="normalised written unit: tok/s, ms, s, %, files ...")
    sentence: str
    where: str = Field(description="which text: report, findings, recommendations")
    status: Status = "unverified"
    provenance: str | None = None


class FiguresCheck(BaseModel):
    claims: list[FigureClaim] = Field(default_factory=list)
    traced: int = 0
    total: int = 0

    @classmethod
    def from_claims(cls, claims: list[FigureClaim]) -> FiguresCheck:
        traced = sum(1 for c in claims if c.status == "traced")
        return cls(claims=claims, traced=traced, total=len(claims))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounding_rate(self) -> float | None:
        """Share of figures traced; None when the text has no figures at all."""
        return self.traced / self.total if self.total else None

    def to_markdown(self) -> str:
        """Body of the report's Figures Check section (the caller writes the heading)."""
        if not self.total:
            return "_No figures found in the model's text._"
        rate = 100.0 * self.traced / self.total
        lines = [f"Traced {self.traced} of {self.total} figures ({rate:.1f} %)."]
        per_where: dict[str, list[int]] = {}
        for claim in self.claims:
            counts = per_where.setdefault(claim.where, [0, 0])
            counts[0] += claim.status == "traced"
            counts[1] += 1
        if len(per_where) > 1:
            lines[0] += " By text: " + ", ".join(
                f"{where} {t} of {n}" for where, (t, n) in per_where.items()
            ) + "."
        untraced = [c for c in self.claims if c.status != "traced"]
        if untraced:
            lines += ["", "Not found in the data or the run's metrics:"]
            lines += [f'- **{c.text}** ({c.where}): "{_clip(c.sentence)}"' for c in untraced]
        return "\n".join(lines)


@dataclass(frozen=True)
class FigureMention:
    """A figure found in a text, before tracing. `start`/`end` index the number itself."""

    text: str
    value: float
    decimals: int
    unit: str | None
    sentence: str
    start: int
    end: int
    hint: str | None = None  # for a unitless figure: the unit its nearby metric word implies


# --- units -------------------------------------------------------------------------------

_UNIT_ALTERNATIVES = (
    r"(?P<toks>tok(?:en)?s?[ \t]*/[ \t]*s(?:ec(?:ond)?)?|tok(?:en)?s?[ \t]+per[ \t]+sec(?:ond)?"
    r"|t/s|tps)"
    r"|(?P<ms>ms|msec|milliseconds?)"
    r"|(?P<s>s|secs?|seconds?)"
    r"|(?P<min>mins?|minutes?)"
    r"|(?P<pct>%|percent|per[ \t]?cent)"
    r"|(?P<x>x|×)"
    r"|(?P<tokens>tokens?)"
    r"|(?P<GB>GB|GiB)|(?P<MB>MB|MiB)"
)
# A unit right after the number (markdown emphasis may sit between: "**42.76** tok/s").
_UNIT_AFTER_RE = re.compile(
    r"[*_]{0,2}[ \t\u00a0]{0,2}(?:" + _UNIT_ALTERNATIVES + r")(?![\w/])", re.IGNORECASE
)
_UNIT_WORD_RE = re.compile(r"(?:" + _UNIT_ALTERNATIVES + r")", re.IGNORECASE)
_UNIT_NAMES = {"toks": "tok/s", "ms": "ms", "s": "s", "min": "min", "pct": "%", "x": "x",
               "tokens": "tokens", "GB": "GB", "MB": "MB"}
# Written unit -> (unit compared in, factor).
_CONVERSIONS = {"s": ("ms", 1000.0), "min": ("ms", 60_000.0)}
# Units in a label: "(ms)", "[s]", "in seconds", or a throughput spelling anywhere.
_LABEL_UNIT_RE = re.compile(
    r"(?:\(|\[|\bin[ \t]+)[ \t]*(?P<u>tok/s|tokens?[ \t]*/[ \t]*s(?:ec(?:ond)?)?|ms|s|secs?"
    r"|seconds|%|tokens|GB|MB)[ \t]*(?:\)|\]|\b)"
    r"|(?P<toks>tok(?:en)?s?[ \t]*(?:/|per)[ \t]*s(?:ec(?:ond)?)?\b|\bt/s\b|\btps\b)"
    r"|(?P<pct>%)",
    re.IGNORECASE,
)

# Data counts: noun -> unit. Counts are compared exactly.
_COUNT_NOUNS = {
    "file": "files", "files": "files",
    "row": "rows", "rows": "rows", "run": "rows", "runs": "rows", "sample": "rows",
    "samples": "rows", "record": "rows", "records": "rows", "repetition": "rows",
    "repetitions": "rows", "iteration": "rows", "iterations": "rows",
    "measurement": "rows", "measurements": "rows", "trial": "rows", "trials": "rows",
    "table": "tables", "tables": "tables",
    "model": "models", "models": "models",
    "config": "configs", "configs": "configs", "configuration": "configs",
    "configurations": "configs",
    "call": "calls", "calls": "calls", "request": "calls", "requests": "calls",
}
_COUNT_UNITS = frozenset(_COUNT_NOUNS.values())
_COUNT_WORD_RE = re.compile(r"\b(" + "|".join(sorted(_COUNT_NOUNS, key=len, reverse=True))
                            + r")\b", re.IGNORECASE)

_METRIC_WORD_RE = re.compile(
    r"\b(?:throughput|tok(?:en)?s?[ \t]*(?:/|per)[ \t]*s(?:ec(?:ond)?)?|t/s|tps|ttft"
    r"|time[ \t]+to[ \t]+first[ \t]+token|latenc(?:y|ies)|load(?:ing)?|eval\w*|duration"
    r"|(?:wall|execution|response|run|generation)[ \t]+time|speed|p\d{2}|percentile"
    r"|mean|median|average|avg|std|stdev|num_ctx|num_gpu|ctx|gpu[ \t]+layers"
    r"|context[ \t]+(?:size|length|window)|temperature|temp|tokens?)\b",
    re.IGNORECASE,
)
# Words that may follow a figure without making it a count ("42 and", "80 for").
# Metric word -> unit of the known figures a unitless figure beside it most likely is.
_HINTS = (
    (re.compile(r"throughput|tok(?:en)?s?\s*(?:/|per)|t/s|tps|speed", re.I), "tok/s"),
    (re.compile(r"ttft|first|latenc|load|eval|duration|time", re.I), "ms"),
    (re.compile(r"num_ctx|ctx|context", re.I), "num_ctx"),
    (re.compile(r"num_gpu|gpu", re.I), "num_gpu"),
    (re.compile(r"temp", re.I), "temperature"),
    (re.compile(r"tokens?", re.I), "tokens"),
)
_CONNECTORS = frozenset(
    (
        "and", "or", "but", "with", "on", "in", "at", "for", "vs", "versus", "compared", "to",
        "from", "which", "while", "when", "whereas", "is", "was", "are", "were", "the", "a",
        "an", "as", "than", "per", "across", "under", "over", "by", "of", "average", "overall",
    )
)
_TIME_SPANS = frozenset(("day", "days", "week", "weeks", "month", "months", "year", "years"))

# --- non-figures, masked before numbers are read ------------------------------------------

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_MASKS = (
    re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.DOTALL | re.MULTILINE),
    re.compile(r"`[^`\n]+`"),
    re.compile(r"https?://\S+"),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
               r"(?:Z|[+-]\d{2}:?\d{2}|[ \t]?UTC)?)?"),
    re.compile(r"\b\d{1,4}/\d{1,2}/\d{2,4}\b"),
    re.compile(rf"\b{_MONTHS}[ \t]+{_ORDINAL}\b(?:,?[ \t]+\d{{4}}\b)?"),
    re.compile(rf"\b{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTHS}(?:,?[ \t]+\d{{4}}\b)?"),
    re.compile(rf"\b{_MONTHS},?[ \t]+\d{{4}}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[ \t]?[ap]\.?m\.?(?!\w))?", re.I),
    re.compile(r"\b\d{1,2}[ \t]?[ap]\.?m\.?(?!\w)", re.I),
    re.compile(r"\bv?\d+(?:\.\d+){2,}\b"),
    re.compile(r"(?:[\w.\-]+/){2,}[\w.\-]*"),
    re.compile(r"[\w.\-]*\w\.(?:csv|jsonl?|md|markdown|txt|ya?ml|py|log|gguf|png|html?)\b",
               re.I),
    # model:tag, where the tag has a letter (gemma3:270m, llama3.1:8b, qwen2.5:latest)
    re.compile(r"\b[A-Za-z][\w.\-]*:[\w.\-]*[A-Za-z][\w.\-]*"),
    # heading and list numbering: "### 2.", "## 3.2", "1. ", "2) ", "**1. Summary**"
    re.compile(r"^[ \t]*#{1,6}[ \t]*(?:[*_]{1,2})?\d+(?:\.\d+)*[.)]?", re.MULTILINE),
    re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:[*_]{2})?\d+(?:\.\d+)*[.)](?=[ \t*_])",
               re.MULTILINE),
)
# A number not glued to an identifier ("gemma3", "Q4_K_M", "it-2"); digit ranges "15-17" pass.
_NUMBER_RE = re.compile(r"(?<![\w.])(?<![A-Za-z_][-/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\d)")
_RANGE_RE = re.compile(r"[ \t]*(?:-|–|—|to)[ \t]*(\d[\d,]*(?:\.\d+)?)(?!\d)")
_LABEL_BEFORE_RE = re.compile(
    r"(?:\b(?:table|figure|fig\.|section|step|phase|option|recommendation|finding|appendix"
    r"|item|run|test|case|example|week|day|version|rank|priority|tier|level|chapter|part"
    r"|no\.|number|top)|#)[ \t]*$",
    re.IGNORECASE,
)
_TABLE_SEPARATOR_RE = re.compile(
    r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$"
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def _mask(text: str) -> str:
    """Blank out (same length) every span whose digits are never figures."""
    chars = list(text)
    for pattern in _MASKS:
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def _unit_of(match: re.Match[str]) -> str:
    return next(_UNIT_NAMES[name] for name, val in match.groupdict().items() if val)


def _label_unit(label: str) -> str | None:
    found = _LABEL_UNIT_RE.search(label)
    if not found:
        return None
    if found.group("u"):
        word = _UNIT_WORD_RE.fullmatch(found.group("u"))
        return _unit_of(word) if word else None
    return "tok/s" if found.group("toks") else "%"


def _count_unit(label: str) -> str | None:
    """Unit of a count label; plural only, since "Run" or "Model" heads a column of names."""
    found = [w.lower() for w in _COUNT_WORD_RE.findall(label) if w.lower().endswith("s")]
    return _COUNT_NOUNS[found[-1]] if found else None


def _colon_label(before: str) -> str | None:
    """'Latency (ms)' when the number follows 'Latency (ms):' or 'num_ctx ='."""
    head = before.rstrip(" \t*_")
    if not head.endswith((":", "=")):
        return None
    head = head[:-1]
    # The label starts after the previous clause or figure: "... 120.00 tok/s (n=20".
    cut = max(head.rfind(c) for c in ".;:,(|")
    label = head[cut + 1:]
    return label if len(label.split()) <= _WINDOW_WORDS else None


def _is_year(number: str, decimals: str | None) -> bool:
    return not decimals and len(number) == 4 and 1990 <= int(number) <= 2039


def _classify(
    masked: str, start: int, end: int, number: str, decimals: str | None, label: str | None
) -> tuple[str | None, str] | None:
    """(unit, unit as written after the number) when the number at start:end is a figure.

    `masked` is the masked line (or table cell); `label` is a table cell's header + row label.
    """
    before = masked[:start]
    after = masked[end:]
    if after.startswith(".") and len(after) > 1 and after[1].isalnum():
        return None  # "1.2.3" leftovers, "file2.csv"
    if _LABEL_BEFORE_RE.search(before):
        return None
    value = float((number + (decimals or "")).replace(",", ""))
    is_int = not decimals
    unit_match = _UNIT_AFTER_RE.match(after)
    ranged = None
    if unit_match is None:
        ranged = _RANGE_RE.match(after)
        if ranged:
            unit_match = _UNIT_AFTER_RE.match(after[ranged.end():])
    if unit_match:
        if _is_year(number, decimals) and unit_match.group(0) == "s":
            return None  # "the 2020s"
        written = unit_match.group(0).replace("*", "").replace("_", "")
        if ranged:  # the unit belongs to the range's end: "15-17 tok/s" -> "15 tok/s"
            written = " " + written.strip()
        return _unit_of(unit_match), written
    if after[:1].isalpha():
        return None  # glued to letters: "270m", "1b", "4th"
    if _is_year(number, decimals):
        return None
    if label is not None:
        unit = _label_unit(label)
        if unit:
            return unit, ""
        count = _count_unit(label)
        if count and is_int and value >= _MIN_COUNT:
            return count, ""
        return (None, "") if _METRIC_WORD_RE.search(label) else None
    next_word = re.match(r"[*_]{0,2}[ \t]+([A-Za-z][\w/]*)", after)
    if next_word:
        word = next_word.group(1).lower()
        if word in _COUNT_NOUNS:
            if is_int and value >= _MIN_COUNT:
                return _COUNT_NOUNS[word], " " + next_word.group(1)
            return None
        if word in _TIME_SPANS:
            return None
        if _METRIC_WORD_RE.fullmatch(word):
            return None, ""
    window = " ".join(before.split()[-_WINDOW_WORDS:])
    colon_label = _colon_label(before)
    if colon_label:
        unit = _label_unit(colon_label)
        if unit:
            return unit, ""
    if _METRIC_WORD_RE.search(window):
        return None, ""
    if next_word and next_word.group(1).lower() not in _CONNECTORS:
        return None  # "3 recommendations", "400 words": counts of things
    if not next_word and _METRIC_WORD_RE.search(" ".join(after.split()[:_AFTER_WORDS])):
        return None, ""
    if colon_label and is_int and value >= _MIN_COUNT:
        count = _count_unit(colon_label)
        if count:
            return count, ""
    return None


def _hint(context: str) -> str | None:
    """The unit implied by the metric word in `context` closest to its end."""
    words = list(_METRIC_WORD_RE.finditer(context))
    for word in reversed(words):
        for pattern, unit in _HINTS:
            if pattern.search(word.group(0)):
                return unit
    return None


def _mentions_in(
    original: str, masked: str, offset: int, sentence: str, label: str | None
) -> Iterator[FigureMention]:
    for match in _NUMBER_RE.finditer(masked):
        number, decimals = match.group(1), match.group(2)
        found = _classify(masked, match.start(), match.end(), number, decimals, label)
        if found is None:
            continue
        unit, suffix = found
        written = original[match.start():match.end()]
        hint = None
        if unit is None:
            before = " ".join(masked[:match.start()].split()[-_WINDOW_WORDS:])
            after = " ".join(masked[match.end():].split()[:_AFTER_WORDS])
            hint = _hint(label) if label is not None else _hint(before) or _hint(after)
        yield FigureMention(
            text=(written + suffix).strip(),
            value=abs(float(written.replace(",", ""))),
            decimals=len(decimals) - 1 if decimals else 0,
            unit=unit,
            sentence=sentence,
            start=offset + match.start(),
            end=offset + match.end(),
            hint=hint,
        )


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a Markdown table row, without the outer pipes."""
    bounds = [i for i, ch in enumerate(line) if ch == "|"]
    stripped = line.strip()
    edges = ([] if stripped.startswith("|") else [-1]) + bounds
    if not stripped.endswith("|"):
        edges.append(len(line))
    return [(a + 1, b) for a, b in zip(edges, edges[1:], strict=False)]


def find_figures(text: str) -> list[FigureMention]:
    """Every figure in `text`, by the rule in the module docstring, in reading order."""
    masked = _mask(text)
    found: list[FigureMention] = []
    lines = text.split("\n")
    masked_lines = masked.split("\n")
    offset = 0
    header: list[str] | None = None
    for i, (line, mline) in enumerate(zip(lines, masked_lines, strict=True)):
        is_row = "|" in line and line.strip() != ""
        if is_row and i + 1 < len(lines) and _TABLE_SEPARATOR_RE.match(lines[i + 1]) \
                and "|" in lines[i + 1]:
            header = [line[a:b].strip() for a, b in _cells(line)]
        elif header is not None and is_row and not _TABLE_SEPARATOR_RE.match(line):
            cells = _cells(line)
            row_label = line[cells[0][0]:cells[0][1]].strip() if cells else ""
            for col, (a, b) in enumerate(cells):
                label = (header[col] if col < len(header) else "") + (
                    f" {row_label}" if col else ""
                )
                found += _mentions_in(line[a:b], mline[a:b], offset + a, line.strip(), label)
        elif not is_row or header is None:
            header = None
            pos = 0
            for part in _SENTENCE_END_RE.split(line):
                start = line.index(part, pos) if part else pos
                pos = start + len(part)
                found += _mentions_in(
                    part, mline[start:pos], offset + start, part.strip(), None
                )
        offset += len(line) + 1
    return found


# --- known figures -------------------------------------------------------------------------

_STATISTICS = ("mean", "median", "p95", "min", "max")
# RunMetrics field -> (unit, kind); kinds match the digest's metric names so a run's
# throughput can be compared with the data's.
_RUN_FIELDS = {
    "throughput_tok_s": ("tok/s", "tokens_per_s mean by run"),
    "ttft_ms": ("ms", "ttft_ms mean by run"),
    "total_duration_ms": ("ms", "total_ms sum by run"),
    "tokens_generated": ("tokens", "eval_count sum by run"),
    "prompt_eval_ms": ("ms", "prompt_eval_ms sum by run"),
    "eval_duration_ms": ("ms", "eval_ms sum by run"),
    "load_duration_ms": ("ms", "load_ms sum by run"),
    "prompt_tokens": ("tokens", "prompt_eval_count sum by run"),
    "calls": ("calls", "llm_calls"),
}
# Scopes that may be compared with any other scope of the same statistic (see _pairable).
_WILDCARD_SCOPES = frozenset({"all", "run"})


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"


def figure_kind(metric: str, statistic: str, group_by: str | None) -> str:
    """Kind of a statistic, e.g. 'tokens_per_s mean by model' ('by all' for all rows)."""
    return f"{metric} {statistic} by {group_by or 'all'}"


def _digest_figures(digest: DataDigest) -> Iterator[KnownFigure]:
    for s in digest.stats:
        where = f"{s.group_by}={s.group}" if s.group_by else "all rows"
        origin = f"{', '.join(s.sources)}, column {s.column}"
        of = f" of the files' {s.aggregate} values" if getattr(s, "aggregate", None) else ""
        for stat in _STATISTICS:
            yield KnownFigure(
                value=getattr(s, stat), unit=s.unit, kind=figure_kind(s.metric, stat, s.group_by),
                source=f"digest: {s.metric} {stat}{of}, {where} ({origin})",
            )
        yield KnownFigure(
            value=s.n, unit="rows", kind="n", source=f"digest: {s.metric} n, {where} ({origin})"
        )
    for name, params in digest.configs.items():
        for key, value in params.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield KnownFigure(
                    value=value, unit=key, kind=key, source=f"digest: config {name} {key}"
                )
    yield KnownFigure(value=digest.rows_read, unit="rows", kind="rows_read",
                      source="digest: rows read")
    yield KnownFigure(value=digest.tables_read, unit="tables", kind="tables_read",
                      source="digest: tables read")
    if digest.configs:
        yield KnownFigure(value=len(digest.configs), unit="configs", kind="configs",
                          source="digest: configurations")
    models = {s.group for s in digest.stats if s.group_by == "model"}
    if models:
        yield KnownFigure(value=len(models), unit="models", kind="models",
                          source="digest: models")
    for err in digest.error_rows:
        yield KnownFigure(value=err.count, unit="rows", kind="error_rows",
                          source=f"digest: error rows in {err.path}")


def _run_figures(run: RunMetrics) -> Iterator[KnownFigure]:
    for field, (unit, kind) in _RUN_FIELDS.items():
        value = getattr(run, field)
        if value is not None:
            yield KnownFigure(value=value, unit=unit, kind=kind, source=f"run metrics: {field}")


def known_figures(
    digest: DataDigest | None,
    highlights: Sequence[Highlight] = (),
    run_metrics: RunMetrics | None = None,
    extra: Sequence[KnownFigure] = (),
) -> list[KnownFigure]:
    """Every figure a report may cite, deduplicated by (value, unit, kind), first source kept."""
    sources: list[Iterable[KnownFigure]] = []
    if digest is not None:
        sources.append(_digest_figures(digest))
    sources += [(v for h in highlights for v in h.values)]
    if run_metrics is not None:
        sources.append(_run_figures(run_metrics))
    sources.append(extra)
    seen: set[tuple[float, str, str | None]] = set()
    result: list[KnownFigure] = []
    for figures in sources:
        for fig in figures:
            if not math.isfinite(fig.value):
                continue
            key = (round(fig.value, 9), fig.unit, fig.kind)
            if key not in seen:
                seen.add(key)
                result.append(fig)
    return result


# --- matching ------------------------------------------------------------------------------


def _canonical(unit: str | None) -> tuple[str | None, float]:
    """(unit compared in, factor to it) for a written or known unit."""
    if unit is None:
        return None, 1.0
    word = _UNIT_WORD_RE.fullmatch(unit.strip())
    name = _unit_of(word) if word else unit.strip().lower()
    return _CONVERSIONS.get(name, (name, 1.0))


def _close(written: float, decimals: int, candidate: float) -> bool:
    """Within 1 %, or `candidate` rounds or truncates to `written` at the digits written."""
    candidate = abs(candidate)
    step = 10.0 ** -decimals
    eps = step * 1e-6
    if abs(candidate - written) <= step / 2 + eps:
        return True
    if written <= candidate < written + step - eps:
        return True
    return written != 0 and abs(candidate - written) <= _REL_TOLERANCE * written


@dataclass(frozen=True)
class _Known:
    value: float  # in the canonical unit
    unit: str | None
    base: str | None  # kind without its scope: "tokens_per_s mean"
    scope: str | None  # "model", "all", "run"; None when the kind has no scope
    figure: KnownFigure

    @classmethod
    def of(cls, fig: KnownFigure) -> _Known:
        unit, factor = _canonical(fig.unit)
        base, _, scope = (fig.kind or "").rpartition(" by ")
        if not base:
            base, scope = fig.kind or "", ""
        return cls(fig.value * factor, unit, base or None, scope or None, fig)

    @property
    def is_mean(self) -> bool:
        return bool(self.base and self.base.endswith(" mean"))


def _pairable(a: _Known, b: _Known) -> bool:
    """Same unit and statistic, and the same scope unless one covers all rows or the run.

    Model-vs-model or group-vs-all comparisons are what reports make; allowing every pair
    (a p95 against another group's minimum) would trace almost any percentage by chance.
    """
    if a.unit != b.unit or a.value == b.value or not a.value or not b.value:
        return False
    if a.base is None or b.base is None:
        return True
    if a.base != b.base:
        return False
    scopes = {a.scope, b.scope}
    return len(scopes) == 1 or None in scopes or bool(scopes & _WILDCARD_SCOPES)


def _describe(fig: KnownFigure) -> str:
    return f"{fig.source} = {_fmt(fig.value)} {fig.unit}"


def _ratio_trace(mention: FigureMention, known: Sequence[_Known]) -> str | None:
    """Trace a % or x figure to (a - b) / b or a / b of two pairable known figures."""
    buckets: dict[tuple[str | None, str | None], list[_Known]] = {}
    for k in known:
        if k.unit not in ("%", "x") and k.value:
            buckets.setdefault((k.unit, k.base), []).append(k)
    for group in buckets.values():
        for a in group:
            for b in group:
                if not _pairable(a, b):
                    continue
                ratio = a.value / b.value
                if mention.unit == "%":
                    options = ((100.0 * (ratio - 1.0), "(a - b) / b"), (100.0 * ratio, "a / b"))
                else:
                    options = ((ratio, "a / b"),)
                for result, formula in options:
                    if _close(mention.value, mention.decimals, result):
                        return (
                            f"{formula} = {_fmt(round(result, 4))}"
                            f"{' %' if mention.unit == '%' else 'x'} with "
                            f"a = {_describe(a.figure)}; b = {_describe(b.figure)}"
                        )
    return None


class _Index:
    """Known figures sorted by magnitude, per unit, so a mention only looks at its neighbours."""

    def __init__(self, known: Sequence[_Known]) -> None:
        ordered = sorted(range(len(known)), key=lambda i: abs(known[i].value))
        self._all = [known[i] for i in ordered]
        self._keys = [abs(k.value) for k in self._all]
        self._position = {id(k): i for i, k in enumerate(known)}

    def near(self, low: float, high: float) -> list[_Known]:
        """Figures whose magnitude is within [low, high], in their original order."""
        found = self._all[bisect_left(self._keys, low):bisect_right(self._keys, high)]
        return sorted(found, key=lambda k: self._position[id(k)])


def _direct_match(mention: FigureMention, index: _Index) -> _Known | None:
    """The closest known figure the mention matches, of its unit (any unit when it has none)."""
    unit, factor = _canonical(mention.unit)
    step = 10.0 ** -mention.decimals
    slack = max(step, _REL_TOLERANCE * mention.value) * 1.001
    best: tuple[tuple[bool, float, bool], _Known] | None = None
    for k in index.near((mention.value - slack) * factor, (mention.value + slack) * factor):
        if unit is not None and k.unit != unit:
            continue
        written = k.value / factor
        if unit in _COUNT_UNITS:
            if abs(written - mention.value) >= 0.5:
                continue
        elif not _close(mention.value, mention.decimals, written):
            continue
        # Closest first; among equals the figure the nearby word names, then means.
        rank = (k.unit != mention.hint, abs(abs(written) - mention.value), not k.is_mean)
        if best is None or rank < best[0]:
            best = (rank, k)
    return best[1] if best is not None else None


def check_figures(texts: Mapping[str, str], known: Sequence[KnownFigure]) -> FiguresCheck:
    """Extract the figures of each text ({"report": ..., "findings": ...}) and trace them."""
    prepared = [_Known.of(fig) for fig in known]
    index = _Index(prepared)
    found = [(where, m) for where, text in texts.items() for m in find_figures(text or "")]
    matches = [_direct_match(m, index) for _, m in found]
    # Ratios are computed only from figures the texts cite, plus overall and run figures:
    # a large digest has so many pairs that almost any percentage would match one by chance.
    cited = {id(k) for k in matches if k is not None}
    pool = [k for k in prepared if id(k) in cited or k.scope in _WILDCARD_SCOPES]
    claims: list[FigureClaim] = []
    for (where, mention), match in zip(found, matches, strict=True):
        provenance = _describe(match.figure) if match is not None else None
        if provenance is None and mention.unit in ("%", "x"):
            provenance = _ratio_trace(mention, pool)
        claims.append(
            FigureClaim(
                text=mention.text,
                value=mention.value,
                unit=mention.unit,
                sentence=mention.sentence,
                where=where,
                status="traced" if provenance else "unverified",
                provenance=provenance,
            )
        )
    return FiguresCheck.from_claims(claims)


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split()).replace('"', "'")
    return sentence if len(sentence) <= _SENTENCE_MAX else sentence[: _SENTENCE_MAX - 1] + "…"
