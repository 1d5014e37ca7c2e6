"""Finding the figures in a model's text: which numbers are claims about the data.

What counts as a figure (the extraction rule, applied to digits only; spelled-out numbers such
as "two rows" are never figures):

1. A number followed by a metric unit is a figure: tok/s (also tokens/s, tokens/sec,
   tokens/second, tokens per second, t/s, tps), ms, s/sec/seconds, min/minutes, %,
   percent, x (a ratio, "2.5x"), tokens, GB/MB. In a range ("15-17 tok/s") both ends are.
2. A number without a unit is a figure when a metric word is among the five words before it
   (or right after it): throughput, tokens per second, TTFT, time to first token, latency,
   load, eval, duration, speed, mean/median/average, p95, num_ctx, num_gpu, temperature ...
   (also inside snake_case names: load_duration, avg_tokens_per_second).
   Its unit may come from the label it belongs to: a table's column header or row label,
   or "Label (ms): 723".
3. A count of data ("101 files", "Files analysed: 101", "44 rows", "12 runs") is a figure
   when it is at least 10; smaller counts ("3 runs", "2 models") are not.
4. Never figures: section and list numbers ("1.", "### 2."), dates and years
   (2025-11-14, November 14th, 2025, Nov 8th, 2025), times of day (10:00, 3 pm), version
   strings and identifiers (gemma3:270m, llama3.1, Q4_K_M, 1b, 1.2.3, file names and paths),
   labels ("Table 1", "Section 3", "Run 2", "#4"), integers followed by any other noun
   ("3 recommendations", "400 words"), and anything inside code spans or fenced code blocks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from chimera.document import Document, Line, sentence_spans
from chimera.grounding.vocabulary import (
    CONVERSIONS,
    COUNT_NOUNS,
    LABEL_UNITS,
    METRIC_WORDS,
    SETTING_CONNECTOR,
    SETTING_SPELLINGS,
    THROUGHPUT_WORD,
    UNIT_NAMES,
    metric_word_pattern,
    unit_alternatives,
)

# Data counts below this are "small counts of things", not figures ("3 runs", "2 models").
_MIN_COUNT = 10
_WINDOW_WORDS = 5
# How far the rules look on each side of a number: its words, label and clause are closer.
# Reading a bounded window keeps the check linear in the text (issue 25: a 16,000-character
# line of numbers made every rule read everything before each number).
_REACH = 240
# What the rules anchored at the number ("num_gpu=", "Table ", "n=") read before it.
_NEAR = 64
_AFTER_WORDS = 3


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
    approx: bool = False  # written as an approximation: "about 250", "~250", "roughly 250"
    label: str | None = None  # a table cell's column header
    context: str | None = None  # a table cell's row, as "header: cell; ..." (what it is about)
    rule: str | None = None  # the extraction rule that made it a figure (EXTRACTION_RULES)


# --- units -------------------------------------------------------------------------------

_UNIT_ALTERNATIVES = unit_alternatives()
# A unit right after the number (markdown emphasis may sit between: "**42.76** tok/s").
_UNIT_AFTER_RE = re.compile(
    r"[*_]{0,2}[ \t\u00a0]{0,2}(?:" + _UNIT_ALTERNATIVES + r")(?![\w/])", re.IGNORECASE
)
_UNIT_WORD_RE = re.compile(r"(?:" + _UNIT_ALTERNATIVES + r")", re.IGNORECASE)
_UNIT_NAMES = UNIT_NAMES
_CONVERSIONS = CONVERSIONS
# Units in a label: "(ms)", "[s]", "in seconds", or a throughput spelling anywhere.
_LABEL_UNIT_RE = re.compile(
    rf"(?:\(|\[|\bin[ \t]+)[ \t]*(?P<u>{LABEL_UNITS})[ \t]*(?:\)|\]|\b)"
    rf"|(?P<toks>(?<![A-Za-z])(?:{THROUGHPUT_WORD})(?![A-Za-z]))"
    r"|(?P<pct>%)",
    re.IGNORECASE,
)

_COUNT_NOUNS = COUNT_NOUNS
COUNT_UNITS = frozenset(_COUNT_NOUNS.values())
_COUNT_WORD_RE = re.compile(
    r"\b(" + "|".join(sorted(_COUNT_NOUNS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)

# Metric words (chimera.grounding.vocabulary.METRIC_WORDS): group w<i> is METRIC_WORDS[i].
_METRIC_WORD_RE = metric_word_pattern()
# Hints of a measurement (not of a setting): a bare small integer with one is not a figure.
_MEASURE_HINTS = frozenset({"tok/s", "ms", "tokens"})
# Words that may follow a figure without making it a count ("42 and", "80 for").
_CONNECTORS = frozenset((
    "and", "or", "but", "with", "on", "in", "at", "for", "vs", "versus", "compared", "to",
    "from", "which", "while", "when", "whereas", "is", "was", "are", "were", "the", "a", "an",
    "as", "than", "per", "across", "under", "over", "by", "of", "average", "overall",
))  # fmt: skip
_TIME_SPANS = frozenset(("day", "days", "week", "weeks", "month", "months", "year", "years"))

# --- non-figures, masked before numbers are read ------------------------------------------

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_MASKS = (
    # Chimera's own note on a section it wrote quotes the rejected draft: not a claim.
    re.compile(r"^_Written by Chimera from the computed findings;[^\n]*$", re.MULTILINE),
    re.compile(r"`[^`\n]+`"),
    re.compile(r"https?://\S+"),
    re.compile(
        r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
        r"(?:Z|[+-]\d{2}:?\d{2}|[ \t]?UTC)?)?"
    ),
    re.compile(r"\b\d{1,4}/\d{1,2}/\d{2,4}\b"),
    re.compile(rf"\b{_MONTHS}[ \t]+{_ORDINAL}\b(?:,?[ \t]+\d{{4}}\b)?"),
    re.compile(rf"\b{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTHS}(?:,?[ \t]+\d{{4}}\b)?"),
    re.compile(rf"\b{_MONTHS},?[ \t]+\d{{4}}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[ \t]?[ap]\.?m\.?(?!\w))?", re.I),
    re.compile(r"\b\d{1,2}[ \t]?[ap]\.?m\.?(?!\w)", re.I),
    re.compile(r"\bv?\d+(?:\.\d+){2,}\b"),
    # the tail of a list Chimera shortened: "a, b, c and 33 more"
    re.compile(r"\band[ \t]+\d+[ \t]+more\b"),
    # (each starts where its word starts: trying every character of a long word was quadratic)
    re.compile(r"(?<![\w.\-])(?:[\w.\-]+/){2,}[\w.\-]*"),
    re.compile(
        r"(?<![\w.\-])[\w.\-]*\w\.(?:csv|jsonl?|md|markdown|txt|ya?ml|py|log|gguf|png|html?)\b",
        re.I,
    ),
    # model:tag, where the tag has a letter (gemma3:270m, llama3.1:8b, qwen2.5:latest)
    re.compile(r"(?<![\w.\-])[A-Za-z][\w.\-]*:[\w.\-]*[A-Za-z][\w.\-]*"),
    # heading and list numbering: "### 2.", "## 3.2", "1. ", "2) ", "**1. Summary**"
    re.compile(r"^[ \t]*#{1,6}[ \t]*(?:[*_]{1,2})?\d+(?:\.\d+)*[.)]?", re.MULTILINE),
    re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:[*_]{2})?\d+(?:\.\d+)*[.)](?=[ \t*_])", re.MULTILINE),
)
# A number not glued to an identifier ("gemma3", "Q4_K_M", "it-2"); digit ranges "15-17" pass.
_NUMBER_RE = re.compile(r"(?<![\w.])(?<![A-Za-z_][-/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\d)")
# "15-17 tok/s", "88.03 vs 41.82 tok/s": the unit after the second number is the first's too.
_RANGE_RE = re.compile(
    r"[ \t]*(?:-|–|—|to|vs\.?|versus|and|or|against)[ \t]*(\d[\d,]*(?:\.\d+)?)(?!\d)"
)
_LABEL_BEFORE_RE = re.compile(
    r"(?:\b(?:table|figure|fig\.|section|step|phase|option|recommendation|finding|appendix"
    r"|item|run|test|case|example|week|day|version|rank|priority|tier|level|chapter|part"
    r"|no\.|number|top)|#)[ \t]*$",
    re.IGNORECASE,
)
# A table cell with this many words is sentences, not a value under its header.
_PROSE_CELL_WORDS = 8
_PROSE_WORD_RE = re.compile(r"[A-Za-z]{2,}")


def _spelled(name: str) -> str:
    return re.escape(name).replace(r"\ ", r"[ \t_-]").replace("_", "[ \t_-]?")


_ANY_SETTING = "|".join(
    f"(?P<{param}>{'|'.join(_spelled(s) for s in spellings)})"
    for param, spellings in SETTING_SPELLINGS.items()
    if param != "quantization"  # its values are names (Q4_K_M), not numbers
)
# "num_gpu=80", "num_ctx: 2048", "num_ctx of 4096", "num_gpu set to 80", "ngl 99", "temp 0.7"
_SETTING_BEFORE_RE = re.compile(
    rf"(?<![A-Za-z])(?:{_ANY_SETTING})(?![A-Za-z])[ \t]*{SETTING_CONNECTOR}[ \t]*$",
    re.IGNORECASE,
)
# "80 GPU layers", "a 4096-token context", "8192 context"
_SETTING_AFTER_RE = re.compile(
    r"[ \t-]*(?:(?P<num_gpu>(?:gpu[ \t-]*)?layers?\b)|(?P<num_ctx>(?:tokens?[ \t-]*)?"
    r"(?:context|ctx)\b)|(?P<num_thread>threads?\b))",
    re.IGNORECASE,
)
_OVER_RE = re.compile(
    r"\b(?:over|across|from|in|of|on|after)[ \t]+(?:all[ \t]+|its[ \t]+|the[ \t]+)?$", re.I
)
_TIMES_RE = re.compile(
    r"[ \t]+(times|-fold)(?=[ \t]+(?:as|faster|slower|more|less|higher|lower|quicker|longer"
    r"|shorter|the)\b)",
    re.IGNORECASE,
)
_COUNT_ADJECTIVES = frozenset((
    "successful", "failed", "completed", "repeated", "valid", "measured", "benchmark", "error",
    "warm", "cold", "timed", "recorded", "usable", "good", "bad", "clean",
))  # fmt: skip
_SHARE_RE = re.compile(
    r"[ \t]+(?:of|out[ \t]+of)[ \t]+\d[\d,]*[ \t]+([A-Za-z]+)(?:[ \t]+([A-Za-z]+))?"
)
_SETTING_LIST_RE = re.compile(
    r"\s*(?:,|/|to|and|or|vs\.?|versus|-|–|(?:rather|more|less|higher|lower)?\s*than|instead\s+of)"
    r"\s*(?:and\s+|or\s+)?"
)
_RUN_COUNT_RE = re.compile(r"(?<![A-Za-z])n[ \t]*=[ \t]*$")
_APPROX_RE = re.compile(
    r"(?:~|≈|\b(?:about|around|approximately|approx\.?|roughly|nearly|almost|some))[ \t]*$",
    re.IGNORECASE,
)


def _mask(document: Document) -> str:
    """Blank out (same length) every span whose digits are never figures: fenced code (read
    by `chimera.document`), then each pattern of `_MASKS`."""
    text = document.without_code()
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
    label = head[cut + 1 :]
    return label if len(label.split()) <= _WINDOW_WORDS else None


def _is_year(number: str, decimals: str | None) -> bool:
    return not decimals and len(number) == 4 and 1990 <= int(number) <= 2039


# --- the extraction rules -----------------------------------------------------------------
#
# Whether a number is a figure is decided by the first rule below that has something to say
# about it (`EXTRACTION_RULES`, in order). Each rule reads the number and the masked words
# around it (`_Number`) and answers NOT_A_FIGURE, a figure with its unit ((unit, unit as
# written after the number); a unit of None: a metric word says what it is), or nothing (the
# next rule decides). A figure records the rule that made it one (`FigureMention.rule`), and
# `explain(text)` tells for every number which rule decided it. The examples of each rule are
# its test table (tests/test_figure_rules.py).

Decision = tuple[str | None, str] | None


class _NotAFigure:
    """A rule's answer: this number is not a figure."""


NOT_A_FIGURE = _NotAFigure()
Answer = tuple[str | None, str] | _NotAFigure | None


@dataclass(frozen=True)
class _Number:
    """A number in its masked line: the window before and after it, its table label."""

    before: str
    after: str
    number: str
    decimals: str | None
    label: str | None  # a table cell's header (+ row label)

    @functools.cached_property
    def value(self) -> float:
        return float((self.number + (self.decimals or "")).replace(",", ""))

    @property
    def is_int(self) -> bool:
        return not self.decimals

    @property
    def near_before(self) -> str:
        return self.before[-_NEAR:]

    @functools.cached_property
    def next_word(self) -> re.Match[str] | None:
        """The word after the number, or after a count adjective ("20 successful runs")."""
        found = re.match(r"[*_]{0,2}[ \t]+([A-Za-z][\w/]*)", self.after)
        if found and found.group(1).lower() in _COUNT_ADJECTIVES:
            following = re.match(r"[ \t]+([A-Za-z][\w/]*)", self.after[found.end() :])
            if following and following.group(1).lower() in _COUNT_NOUNS:
                return following
        return found

    @property
    def word(self) -> str | None:
        return self.next_word.group(1).lower() if self.next_word else None

    @functools.cached_property
    def colon_label(self) -> str | None:
        return _colon_label(self.before)


@dataclass(frozen=True)
class Rule:
    """One extraction rule: its name, what it decides, and examples of both answers (the
    first number of each example is the one the rule decides)."""

    name: str
    says: str
    decide: Callable[[_Number], Answer]
    figures: tuple[str, ...] = ()
    not_figures: tuple[str, ...] = ()


def _glued_dot(n: _Number) -> Answer:
    glued = n.after.startswith(".") and len(n.after) > 1 and n.after[1].isalnum()
    return NOT_A_FIGURE if glued else None


def _numbering_label(n: _Number) -> Answer:
    return NOT_A_FIGURE if _LABEL_BEFORE_RE.search(n.near_before) else None


def _run_count(n: _Number) -> Answer:
    return ("rows", "") if n.is_int and _RUN_COUNT_RE.search(n.near_before) else None


def _unit_after(n: _Number) -> Answer:
    unit_match = _UNIT_AFTER_RE.match(n.after)
    ranged = None
    if unit_match is None:
        ranged = _RANGE_RE.match(n.after)
        if ranged:
            unit_match = _UNIT_AFTER_RE.match(n.after[ranged.end() :])
    if not unit_match:
        return None
    if _is_year(n.number, n.decimals) and unit_match.group(0) == "s":
        return NOT_A_FIGURE  # "the 2020s"
    written = unit_match.group(0).replace("*", "").replace("_", "")
    if ranged:  # the unit belongs to the range's end: "15-17 tok/s" -> "15 tok/s"
        written = " " + written.strip()
    return _unit_of(unit_match), written


def _glued_letters(n: _Number) -> Answer:
    return NOT_A_FIGURE if n.after[:1].isalpha() else None


def _year(n: _Number) -> Answer:
    return NOT_A_FIGURE if _is_year(n.number, n.decimals) else None


def _table_column(n: _Number) -> Answer:
    if n.label is None:
        return None
    unit = _label_unit(n.label)
    if unit:
        return unit, ""
    count = _count_unit(n.label)
    if count and n.is_int and n.value >= _MIN_COUNT:
        return count, ""
    return (None, "") if _METRIC_WORD_RE.search(n.label) else NOT_A_FIGURE


def _share_of(n: _Number) -> Answer:
    share = _SHARE_RE.match(n.after)
    if not (share and n.is_int):
        return None
    # "52 of 60 runs": a count of the noun's unit; "3 of 4 models", "9 of 36 groups": a
    # small count or a count of something the data does not count, not a figure
    noun = next(
        (_COUNT_NOUNS[w.lower()] for w in share.groups() if w and w.lower() in _COUNT_NOUNS),
        None,
    )
    return (noun, "") if noun and n.value >= _MIN_COUNT else NOT_A_FIGURE


def _times(n: _Number) -> Answer:
    times = _TIMES_RE.match(n.after)
    return ("x", " " + times.group(1)) if times else None


def _count_noun(n: _Number) -> Answer:
    word = n.word
    if word is None or word not in _COUNT_NOUNS:
        return None
    # "over 9 runs", "across 4 repetitions": how many runs a figure is over, a count of the
    # data however small
    over = _COUNT_NOUNS[word] == "rows" and _OVER_RE.search(n.near_before)
    if n.is_int and (n.value >= _MIN_COUNT or over):
        assert n.next_word is not None
        return _COUNT_NOUNS[word], " " + n.next_word.group(1)
    return NOT_A_FIGURE


def _time_span(n: _Number) -> Answer:
    return NOT_A_FIGURE if n.word in _TIME_SPANS else None


def _metric_word_next(n: _Number) -> Answer:
    return (None, "") if n.word and _METRIC_WORD_RE.fullmatch(n.word) else None


def _label_unit_before(n: _Number) -> Answer:
    unit = _label_unit(n.colon_label) if n.colon_label else None
    return (unit, "") if unit else None


def _metric_word_before(n: _Number) -> Answer:
    window = " ".join(n.before.split()[-_WINDOW_WORDS:])
    return (None, "") if _METRIC_WORD_RE.search(window) else None


def _other_noun(n: _Number) -> Answer:
    return NOT_A_FIGURE if n.word and n.word not in _CONNECTORS else None


def _metric_word_after(n: _Number) -> Answer:
    if n.next_word is None and _METRIC_WORD_RE.search(" ".join(n.after.split()[:_AFTER_WORDS])):
        return None, ""
    return None


def _label_count(n: _Number) -> Answer:
    if n.colon_label and n.is_int and n.value >= _MIN_COUNT:
        count = _count_unit(n.colon_label)
        if count:
            return count, ""
    return None


def _plain_number(n: _Number) -> Answer:
    return NOT_A_FIGURE


EXTRACTION_RULES: tuple[Rule, ...] = (
    Rule("glued to a dot", "a number glued to a dot and more: a leftover of a version or name",
         _glued_dot, not_figures=("works with 3.x only",)),
    Rule("numbering label", "a label's number: Table 1, Section 3, Run 2, #4, top 5",
         _numbering_label, not_figures=("see Table 12 for 45 ms",)),
    Rule("run count", "n=29: how many runs a statistic is over (a count of rows)",
         _run_count, figures=("(n=29)",)),
    Rule("unit after", "a metric unit after the number, or after the range it starts",
         _unit_after, figures=("runs at 88.03 tok/s", "15-17 tok/s", "TTFT of 0.4 s"),
         not_figures=("since the 2020s",)),
    Rule("glued to letters", "letters glued to the number: 270m, 1b, 4th",
         _glued_letters, not_figures=("the 270m model",)),
    Rule("year", "a four-digit year from 1990 to 2039", _year,
         not_figures=("measured in 2025 at",)),
    Rule("table column", "a table cell: its header's unit, count noun or metric word",
         _table_column, figures=("| Model | TTFT (ms) |\n|---|---|\n| a | 123 |",)),
    Rule("share of a count", "52 of 60 runs: a count of the noun when at least 10",
         _share_of, figures=("52 of 60 runs passed",), not_figures=("3 of 4 models",)),
    Rule("times as", "2.9 times as fast, 3-fold higher: a ratio", _times,
         figures=("it is 2.9 times as fast",)),
    Rule("count noun", "a count of the data (files, rows, runs, models ...): at least 10, or "
         "any 'over N runs'", _count_noun, figures=("we read 44 rows",),
         not_figures=("we read 3 files",)),
    Rule("time span", "days, weeks, months, years", _time_span,
         not_figures=("over 3 weeks",)),
    Rule("metric word next", "a metric word right after it: 4096 context, 80 tok_s",
         _metric_word_next, figures=("measured 120 TTFT",)),
    Rule("label unit", "a label with a unit before it: 'Latency (ms): 723'",
         _label_unit_before, figures=("Value [ms]: 723",)),
    Rule("metric word before", "a metric word among the five words before it",
         _metric_word_before, figures=("throughput was 88.03 overall",)),
    Rule("count of other things", "any other noun after it: 3 recommendations, 400 words",
         _other_noun, not_figures=("write 400 words",)),
    Rule("metric word after", "a metric word in the three words after it", _metric_word_after,
         figures=("88.03 — the mean throughput",)),
    Rule("label count", "a count label before it: 'Files analysed: 26'", _label_count,
         figures=("Files analysed: 26",)),
    Rule("plain number", "nothing says what it measures", _plain_number,
         not_figures=("it was 42.",)),
)  # fmt: skip


def _classify(n: _Number) -> tuple[Decision, str]:
    """(unit and unit as written, or None when not a figure; the rule that decided)."""
    for rule in EXTRACTION_RULES:
        answer = rule.decide(n)
        if answer is None:
            continue
        return (None if isinstance(answer, _NotAFigure) else answer), rule.name
    raise AssertionError("the last rule decides every number")  # pragma: no cover


def _hint(context: str) -> str | None:
    """The unit implied by the metric word in `context` closest to its end (the nearest
    that implies one)."""
    for word in reversed(list(_METRIC_WORD_RE.finditer(context))):
        unit = METRIC_WORDS[int((word.lastgroup or "w0")[1:])].unit
        if unit is not None:
            return unit
    return None


def setting_of(before: str, after: str) -> str | None:
    """The setting a number is the value of, by the words just before or after it."""
    if _UNIT_AFTER_RE.match(after):
        return None
    found = _SETTING_BEFORE_RE.search(before[-_NEAR:]) or _SETTING_AFTER_RE.match(after)
    if found is None:
        return None
    return next(name for name, value in found.groupdict().items() if value)


# Rules applied outside the table above: a setting's value, and a bare small integer.
SETTING_RULE = "setting value"  # "num_gpu=80", "num_ctx from 4096 to 2048", "80 GPU layers"
TOO_BARE_RULE = "too bare"  # "3 of 3", "8" beside a metric word: no measurement
COUNT_COLUMN_RULE = "count column"  # a cell under "Runs", "n", "count": a count of any size

Explained = list[tuple[str, str, bool]]  # (number, rule, is a figure)


def _setting_at(masked: str, match: re.Match[str], last: tuple[str, int] | None) -> str | None:
    """The setting the number is a value of, by its words or as the next value in a list
    after the last setting value (`last`: its setting and end)."""
    lo, hi = max(0, match.start() - _REACH), match.end() + _REACH
    setting = setting_of(masked[lo : match.start()], masked[match.end() : hi])
    if setting is None and last is not None:
        # "num_ctx from 4096 to 2048", "num_gpu 40, 60 or 80": the same setting
        between = masked[last[1] : match.start()]
        if _SETTING_LIST_RE.fullmatch(between) and not _UNIT_AFTER_RE.match(
            masked[match.end() : hi]
        ):
            setting = last[0]
    return setting


def _unit_hint(masked: str, match: re.Match[str], label: str | None) -> str | None:
    """For a figure without a unit: the unit its nearby metric word implies."""
    lo, hi = max(0, match.start() - _REACH), match.end() + _REACH
    before = " ".join(masked[lo : match.start()].split()[-_WINDOW_WORDS:])
    after = " ".join(masked[match.end() : hi].split()[:_AFTER_WORDS])
    hint = (_hint(label) if label is not None else None) or _hint(before) or _hint(after)
    if label is None and hint not in _MEASURE_HINTS:
        return None  # in prose a setting's value is read by `setting_of`, not by a word nearby
    return hint


def _mentions_in(
    original: str,
    masked: str,
    offset: int,
    sentence: str,
    label: str | None,
    context: str | None = None,
    explained: Explained | None = None,
) -> Iterator[FigureMention]:
    last_setting: tuple[str, int] | None = None  # (setting, end) of the last setting value
    for match in _NUMBER_RE.finditer(masked):
        number, decimals = match.group(1), match.group(2)
        written = original[match.start() : match.end()]
        common = {
            "value": abs(float(written.replace(",", ""))),
            "decimals": len(decimals) - 1 if decimals else 0,
            "sentence": sentence,
            "start": offset + match.start(),
            "end": offset + match.end(),
        }
        setting = _setting_at(masked, match, last_setting)
        if setting:
            last_setting = (setting, match.end())
            _explain(explained, written, SETTING_RULE, True)
            yield FigureMention(text=written, unit=None, hint=setting, rule=SETTING_RULE, **common)
            continue
        lo, hi = max(0, match.start() - _REACH), match.end() + _REACH
        numbered = _Number(masked[lo : match.start()], masked[match.end() : hi], number,
                           decimals, label)  # fmt: skip
        found, rule = _classify(numbered)
        if found is None:
            _explain(explained, written, rule, False)
            continue
        unit, suffix = found
        hint = _unit_hint(masked, match, label) if unit is None else None
        if (
            unit is None
            and not decimals
            and numbered.value < _MIN_COUNT
            and (hint in _MEASURE_HINTS or hint is None)
        ):
            _explain(explained, written, TOO_BARE_RULE, False)
            continue
        _explain(explained, written, rule, True)
        approx = _APPROX_RE.search(original[max(0, match.start() - _NEAR) : match.start()])
        yield FigureMention(
            text=(written + suffix).strip(), unit=unit, hint=hint, approx=bool(approx),
            label=label, context=context, rule=rule, **common,
        )  # fmt: skip


def _explain(explained: Explained | None, number: str, rule: str, figure: bool) -> None:
    if explained is not None:
        explained.append((number, rule, figure))


_COUNT_COLUMN_RE = re.compile(
    r"n|#|runs?|count|samples?|repetitions?|reps|rows|requests|calls", re.IGNORECASE
)


def _count_cell(
    line: str, a: int, b: int, offset: int, sentence: str, head: str, row: str
) -> list[FigureMention]:
    """A count column's cell ("Runs", "n"): a count of any size."""
    cell = line[a:b]
    number = cell.strip()
    start = offset + a + cell.index(number)
    return [
        FigureMention(
            text=number, value=float(number), decimals=0, unit="rows", sentence=sentence,
            start=start, end=start + len(number), label=head, context=row, rule=COUNT_COLUMN_RULE,
        )
    ]  # fmt: skip


def find_figures(text: str | Document, explained: Explained | None = None) -> list[FigureMention]:
    """Every figure in `text`, by the rule in the module docstring, in reading order
    (`explained`: gets (number, rule, is a figure) for every number read)."""
    document = text if isinstance(text, Document) else Document(text)
    masked = _mask(document)
    found: list[FigureMention] = []
    for line in document.lines:
        a, b = line.start, line.end
        if line.kind == "table_row":
            found += _table_row(line, masked[a:b], explained)
        elif line.kind in ("prose", "heading", "code"):
            found += _sentences(line.text, masked[a:b], 0, len(line.text), a, "", explained)
    return found


def _table_row(line: Line, mline: str, explained: Explained | None) -> list[FigureMention]:
    """The figures of a table row: each cell under its header, about its row."""
    text, header, cells = line.text, line.header, line.cells
    row_label = line.cell_text(0).strip() if cells else ""
    # What the row is about, cell by cell under its header: "Model: gemma3:1b; ..."
    row = "; ".join(
        f"{header[col] if col < len(header) else ''}: {text[a:b].strip()}"
        for col, (a, b) in enumerate(cells)
    )
    found: list[FigureMention] = []
    for col, (a, b) in enumerate(cells):
        head = header[col] if col < len(header) else ""
        if _COUNT_COLUMN_RE.fullmatch(head.strip()) and text[a:b].strip().isdigit():
            found += _count_cell(text, a, b, line.start, text.strip(), head, row)
        elif len(_PROSE_WORD_RE.findall(text[a:b])) >= _PROSE_CELL_WORDS and not _label_unit(head):
            # A cell of sentences under a header that names no unit ("Evidence": "2 of 19
            # groups vary by more than 10 %") is prose about its row.
            found += _sentences(text, mline, a, b, line.start, row_label if col else "", explained)
        else:
            # The header names the column's unit; a row label only when the header does not
            # (metrics as rows: "| TTFT (ms) | 123 |").
            label = head if _label_unit(head) or not col else f"{head} {row_label}"
            found += _mentions_in(
                text[a:b], mline[a:b], line.start + a, text.strip(), label, row, explained
            )
    return found


def _sentences(
    line: str,
    mline: str,
    a: int,
    b: int,
    offset: int,
    row_label: str = "",
    explained: Explained | None = None,
) -> Iterator[FigureMention]:
    """The figures of line[a:b] (a line of prose, or a table cell that holds sentences), read
    sentence by sentence; a cell's sentences are about its row's label too."""
    for start, end in sentence_spans(line, a, b):
        sentence = line[start:end].strip()
        about = f"{row_label}: {sentence}" if row_label else None
        yield from _mentions_in(
            line[start:end], mline[start:end], offset + start, sentence, None, about, explained
        )


def explain(text: str) -> Explained:
    """For every number in `text`: (the number, the rule that decided it, is it a figure)."""
    explained: Explained = []
    find_figures(text, explained)
    return explained


@functools.lru_cache(maxsize=512)  # a handful of unit strings, asked for every known figure
def canonical_unit(unit: str | None) -> tuple[str | None, float]:
    """(unit compared in, factor to it) for a written or known unit."""
    if unit is None:
        return None, 1.0
    word = _UNIT_WORD_RE.fullmatch(unit.strip())
    name = _unit_of(word) if word else unit.strip().lower()
    return _CONVERSIONS.get(name, (name, 1.0))
