"""Figures check (no LLM): find every figure a text states and trace it to a known value.

Small local models invent numbers, so every figure in the report, findings and
recommendations is looked up among the figures Chimera knows (`chimera.grounding.catalog`).
What counts as a figure is defined in `figure_text` (`find_figures`).

A figure is traced only to a known figure that matches it on all of these:

1. **Unit**: the same unit (s and min are compared in ms); a unitless figure takes the unit
   of the metric word beside it. Counts (files, rows, runs, `n=29`) trace only to counts,
   exactly; a setting value (`num_ctx=8192`) only to a value that setting was measured with.
   A count of runs is the n of the metric its own clause names, when it names one ("41.8
   tok/s (n=5)": the throughput's n; "loads in 2.1 s over 12 runs": the load time's), else
   of any metric of its group ("18 runs of gemma3:1b"): rows that loaded the model count
   for load time only, so a group's n differs between its metrics (`_count_metrics`).
2. **Value**: equal to the known value rounded or truncated to the digits written ("246.9"
   and "246" both match 246.94, "250" does not); a share or ratio (%, x, pp) only rounded.
   Written as an approximation ("about 250", "~250"), it may be 2.5 % off.
3. **Context** (`chimera.grounding.context`): every model, config, file, machine, engine and
   setting value the sentence names must agree with the known figure's context, and a figure of
   a group must share at least one of them (a table cell is about its row, cell by cell under
   its header, and its column header names its metric and statistic; a sentence that names no
   model takes the model of the paragraph's last sentence that does). A figure of one setup
   needs its config named or settings that leave only that setup; a model's runs pooled over one
   setting's value ("at num_gpu=0, gemma3:1b averages ...") need no other varying setting named
   (`EntityIndex.identifies`). The metric the sentence names (throughput, TTFT, load, ...) must
   be the figure's, and so must the statistic when one is named (mean, median, p95, min, max);
   without one only a typical value (mean, median) traces, or also a min or max when the
   sentence speaks of single runs ("ranged from", "the fastest run", "cold start"). A
   coefficient of variation traces only in a sentence about variation.

A percentage, an "x" ratio or a percentage-point difference also traces when recomputed from
two known figures the sentence compares (`chimera.grounding.derived`), one from each side it
names: where it names two values of a setting, each figure has one of them. A finding's own
ratio or share (its figure's context names the two sides it compares, as the finding writes
them, or its machines' or engines' "A vs B") traces where the sentence names both sides in
that order, with a comparative word that agrees: a headline leaves out the figures it is
computed from ("Q2 is 2.3x as fast as Q6 on Llama-3.1-405B", "5.1-5.8x the throughput of Apple
M4"). A range's ends trace only to the lowest and highest ratio of the comparison of the
finding that states it, never to a pair of the figures of the groups a sentence names. The
known figures are indexed once per digest (`chimera.grounding.index`).
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from chimera.document import SENTENCE_BREAK, SENTENCE_END
from chimera.escape import md_inline
from chimera.grounding.catalog import data_figures, run_figures
from chimera.grounding.context import (
    CLAUSE_BREAK,
    EXTREMES,
    SCOPE_KEYS,
    TYPICAL,
    EntityIndex,
    Named,
    consistent,
    context_matches,
    statistics_in,
    statistics_near,
)
from chimera.grounding.derived import APPROX, close, derived_pair, describe
from chimera.grounding.direction import WRONG_DIRECTION, Comparison, sides, wrong_direction
from chimera.grounding.figure_text import (
    COUNT_UNITS,
    FigureMention,
    canonical_unit,
    find_figures,
)
from chimera.grounding.index import Known, KnownFigures, known_figures
from chimera.grounding.known import COUNT_STATISTICS, KnownFigure
from chimera.ingest.digest.columns import PARAM_NAMES

__all__ = [
    "FigureClaim",
    "FigureMention",
    "FiguresCheck",
    "KnownFigure",
    "KnownFigures",
    "check_figures",
    "data_figures",
    "find_figures",
    "known_figures",
    "run_figures",
]

Status = Literal["traced", "untraced", "unverified"]  # "unverified": run.json before v2

_SENTENCE_MAX = 240
_OWN_REACH = 4000  # a computed sentence is never longer than this

# The match rules, in the order they are tried; a claim records the one that decided it
# (`FigureClaim.traced_by`). Traced:
SAME_FIGURE = "same figure"  # a known figure of the same unit, value and context
SETTING_VALUE = "setting value"  # a value its setting was measured with, in that setup
DERIVED = "derived share"  # a %, x or pp recomputed from two known figures it compares
COMPUTED_SENTENCE = "computed sentence"  # inside a sentence of Chimera's, copied as written
# a finding's own ratio or share, in a sentence that names both sides it compares, in order
OWN_COMPARISON = "own comparison"
# Not traced:
NO_UNIT = "no unit"  # neither a unit nor a metric word says what it measures
NO_VALUE = "no known value"  # no known figure of its unit has this value
OTHER_CONTEXT = "other context"  # the value is known, but of another model, setup, metric
# Settings whose values are numbers (a quantization's are names: Q4_K_M).
_SETTINGS = frozenset(PARAM_NAMES) - {"quantization"}
# Units a metric is in, for metrics named by a sentence.
_TIME_METRICS = frozenset(
    {"ttft_ms", "load_ms", "prompt_eval_ms", "eval_ms", "total_ms", "latency_ms"}
)
_COUNT_ALIASES = {"runs": "rows"}
# Statistics of Chimera's own (a coefficient of variation, a quoted error message, a rule's
# threshold): no statistic word selects or excludes them.
_OWN_STATISTICS = frozenset({"cv", "quoted", "threshold", "value"})
# Figures that are not measurements: never one side of a derived percentage.
_NOT_MEASURED = COUNT_STATISTICS | {"value", "threshold", "quoted"}


class FigureClaim(BaseModel):
    """One figure as a text states it, and whether it could be traced."""

    text: str = Field(description="as written, e.g. '110 tok/s'")
    value: float = Field(description="the number as written (sign ignored)")
    unit: str | None = Field(description="normalised written unit: tok/s, ms, s, %, files ...")
    sentence: str
    where: str = Field(description="which text: report, findings, recommendations, ...")
    status: Status = "untraced"
    provenance: str | None = Field(None, description="the known figure it traced to")
    start: int | None = Field(None, description="offset of the number in its text")
    end: int | None = None
    found_by: str | None = Field(None, description="the extraction rule that made it a figure")
    traced_by: str | None = Field(
        None, description="the match rule that traced it, or why it is not traced"
    )


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

    def traced_by_rule(self) -> dict[str, str]:
        """The untraced figures as written, each with the rule that left it untraced."""
        return {c.text: c.traced_by or "" for c in self.claims if c.status != "traced"}

    def where(self, *names: str) -> FiguresCheck:
        """The check of some of the texts only."""
        return FiguresCheck.from_claims([c for c in self.claims if c.where in names])

    def to_markdown(self) -> str:
        """Body of the report's Figures Check section (the caller writes the heading)."""
        if not self.total:
            return "_No figures found in the checked text._"
        rate = 100.0 * self.traced / self.total
        lines = [f"Traced {self.traced} of {self.total} figures ({rate:.1f} %)."]
        per_where: dict[str, list[int]] = {}
        for claim in self.claims:
            counts = per_where.setdefault(claim.where, [0, 0])
            counts[0] += claim.status == "traced"
            counts[1] += 1
        if len(per_where) > 1:
            lines[0] += (
                " By text: "
                + ", ".join(f"{where} {t} of {n}" for where, (t, n) in per_where.items())
                + "."
            )
        untraced = [c for c in self.claims if c.status != "traced"]
        if untraced:
            lines += ["", "Not found in the data, in the sentence's context:"]
            lines += [
                f'- **{c.text}** ({c.where}): "{_clip(c.sentence)}"{_why(c)}' for c in untraced
            ]
        return "\n".join(lines)


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Want:
    """What a mention can trace to: its unit and the metric/statistic filters."""

    unit: str | None
    factor: float
    setting: str | None  # a setting's value, when the figure is one
    metrics: frozenset[str]
    statistics: frozenset[str]
    approx: bool = False


# Words that make a rate in tok/s a prompt-processing rate (llama-bench's pp512), not
# generation; they must be in the figure's own clause: "generates 43 tok/s and processes
# prompts at 467 tok/s".
_PROMPT_RATE_RE = re.compile(
    r"prompt[ \t]+processing|process(?:es|ed|ing)?[ \t]+(?:the[ \t]+)?prompts?|prefill"
    r"|\bpp\d+\b|prompt[ \t_-]*(?:eval(?:uation)?[ \t]+)?(?:rate|throughput|speed)",
    re.I,
)
# Words that make it generation whatever else the clause says: "generates 43 tok/s (tg128)".
_GENERATION_RATE_RE = re.compile(r"\btg\d+\b|\bgenerat\w*|\bdecod\w*", re.I)
# What ends a clause, on both sides of the figure (a period only before a space:
# "qwen2.5-7b" is a name; a cell or a line ends it too).
_RATE_CLAUSE_BREAK = r"[;,|\n]|\.(?=\s)|\b(?:and|but|while|whereas|than|vs\.?|versus|against)\b"
_RATE_CLAUSE_START = re.compile(rf".*(?:{_RATE_CLAUSE_BREAK})", re.I | re.S)
_RATE_CLAUSE_END = re.compile(_RATE_CLAUSE_BREAK, re.I)


def _own_clause(text: str, start: int, end: int, label: str | None) -> str:
    """The words a figure at text[start:end] (its unit included) is about: its column and row
    labels in a table, else its own clause (a parenthesis stays in it: "41.8 tok/s (n=5)")."""
    if label is not None:
        return label
    before = text[max(0, start - 80) : start]
    cut = _RATE_CLAUSE_START.match(before)
    after = text[end : end + 32]
    stop = _RATE_CLAUSE_END.search(after)
    return (before[cut.end() :] if cut else before) + " " + after[: stop.start() if stop else None]


def _prompt_rate(text: str, start: int, end: int, label: str | None) -> bool:
    """Whether the figure at text[start:end] (its unit included) is a prompt-processing rate:
    by its column and row labels in a table, else by its own clause."""
    clause = _own_clause(text, start, end, label)
    return bool(_PROMPT_RATE_RE.search(clause)) and not _GENERATION_RATE_RE.search(clause)


# "163.57 tok/s and 116.1 ms TTFT over 23 runs": a count after the list it qualifies counts
# every item of it, not only the last clause's.
_TRAILING_COUNT = re.compile(r"\b(?:over|across|from|in)[ \t]+(?:all[ \t]+|the[ \t]+)?$", re.I)
_LIST_START = re.compile(r".*(?:[;,|\n]|\.(?=\s))", re.S)


def _count_metrics(
    text: str, start: int, end: int, label: str | None, entities: EntityIndex
) -> frozenset[str]:
    """The metrics whose n a count of runs may be (the module's rule 1): those its own clause
    names ("41.8 tok/s (n=5)": the throughput's; "loads in 2.1 s over 12 runs": the
    load time's; "41.8 tok/s and 116 ms TTFT over 12 runs": both, the list the count
    follows), a prompt-processing rate's with them; none, so any, when it names none
    ("18 runs of gemma3:1b"). Rows that loaded the model count for load time only, so a
    setup's n differs between its metrics."""
    clause = _own_clause(text, start, end, label)
    if label is None and _TRAILING_COUNT.search(text[max(0, start - 16) : start]):
        before = text[max(0, start - 160) : start]
        cut = _LIST_START.match(before)
        clause = (before[cut.end() :] if cut else before) + " " + clause
    metrics = set(entities.named(clause).metrics)
    if metrics and _PROMPT_RATE_RE.search(clause):
        metrics.add("prompt_tokens_per_s")
    return frozenset(metrics)


def _want(
    mention: FigureMention,
    named: Named,
    statistics: set[str],
    prompt_rate: Callable[[], bool] | None = None,
    count_metrics: Callable[[], frozenset[str]] | None = None,
) -> _Want | None:
    """What a known figure must be to back `mention`; `prompt_rate` is asked only of a rate
    in tok/s (whether it is a prompt-processing rate reads the clause: not for every figure),
    `count_metrics` only of a count of runs (the metrics its clause names)."""
    if mention.unit is None and mention.hint in _SETTINGS:
        return _Want(mention.hint, 1.0, mention.hint, frozenset({mention.hint}), frozenset())
    unit_text = mention.unit if mention.unit is not None else mention.hint
    if unit_text is None:
        return None
    unit_text = _COUNT_ALIASES.get(unit_text, unit_text)
    unit, factor = canonical_unit(unit_text)
    metrics = frozenset(named.metrics)
    if unit == "tok/s":
        prompt = prompt_rate is not None and prompt_rate()
        metrics = frozenset({"prompt_tokens_per_s" if prompt else "tokens_per_s"})
    elif unit == "ms":
        metrics = metrics & _TIME_METRICS
    elif unit == "tokens":
        metrics = metrics & {"eval_count", "prompt_eval_count"}
    elif unit == "rows" and count_metrics is not None:
        metrics = count_metrics()
    elif unit in COUNT_UNITS or unit in ("%", "x", "pp"):
        metrics = frozenset()
    return _Want(unit, factor, None, metrics, frozenset(statistics), mention.approx)


def _allowed_statistics(want: _Want, sentence: Named) -> frozenset[str]:
    """The statistics a figure may be: the ones named beside it ("median", "p95"); with a
    word for an extreme ("at most", "peaks", a range), also the typical values; with none,
    only the typical values (mean, median) — an unqualified "runs at 78 tok/s" is not a min
    — unless the sentence speaks of single runs ("ranged from", "the fastest run")."""
    named = want.statistics
    if named - EXTREMES:
        return named | _OWN_STATISTICS
    extremes = EXTREMES if sentence.extremes else frozenset()
    return TYPICAL | named | extremes | _OWN_STATISTICS


def _count_fits(fig: KnownFigure, want: _Want) -> bool:
    """A count traces only to a count; a count of runs, to the n of a metric its clause names,
    when it names any (rule 1): "41.8 tok/s (n=5)" is not the load time's n=5. Counts of
    other things (rows read, error rows, files) are of no metric."""
    if fig.statistic not in COUNT_STATISTICS:
        return False
    return not (want.metrics and fig.statistic == "n" and fig.metric not in want.metrics)


def _fits(k: Known, want: _Want, named: Named, entities: EntityIndex) -> bool:
    fig = k.figure
    if want.setting is not None:
        if fig.statistic != "value" or fig.metric != want.setting:
            return False
        # The value itself is what is checked; the rest of the sentence must fit its setup.
        # (a config's name is not checked here: "from gpu0_ctx2048 to num_gpu=40")
        others = Named(
            {k: v for k, v in named.entities.items() if k not in (want.setting, "config")}
        )
        return consistent(fig, others)
    if fig.statistic == "threshold":
        return want.unit == k.unit  # a rule of Chimera's, not about any group
    if fig.statistic == "cv" and (
        not named.variation or (named.metrics and fig.metric not in named.metrics)
    ):
        return False  # a coefficient of variation backs only a claim about that variation
    if want.unit in COUNT_UNITS:
        if not _count_fits(fig, want):
            return False
    else:
        if fig.statistic in COUNT_STATISTICS or fig.statistic == "value":
            return False
        if fig.statistic is not None and fig.statistic not in _allowed_statistics(want, named):
            return False
        if want.metrics and fig.metric is not None and fig.metric not in want.metrics:
            return False
    if " of " in (fig.kind or "") and not (named.summary or "file" in named.entities):
        return False  # a summary file's already-averaged value backs only a claim about it
    return context_matches(fig, named) and entities.identifies(fig, named)


def _direct(
    mention: FigureMention, want: _Want, named: Named, index: KnownFigures
) -> tuple[Known | None, str]:
    """The known figure that backs the mention, and the match rule's name (or why none)."""
    value = mention.value * want.factor
    step = 10.0**-mention.decimals * want.factor
    slack = max(step, (APPROX * value if mention.approx else 0.0)) * 1.001
    best: tuple[tuple[bool, bool, float], Known] | None = None
    why = NO_VALUE
    for k in index.near(want.unit, value - slack, value + slack):
        written = k.value / want.factor
        if want.unit in COUNT_UNITS:
            if abs(abs(written) - mention.value) >= 0.5:
                continue
        elif not close(mention, written, truncated=want.unit not in ("%", "x", "pp")):
            continue
        if not _fits(k, want, named, index.entities):
            why = OTHER_CONTEXT
            continue
        # Among figures that match: per-run values before a summary file's, means first.
        aggregated = " of " in (k.figure.kind or "")
        rank = (aggregated, k.figure.statistic != "mean", abs(abs(written) - mention.value))
        if best is None or rank < best[0]:
            best = (rank, k)
    if best is None:
        return None, why
    return best[1], SETTING_VALUE if want.setting is not None else SAME_FIGURE


# A sentence ends as chimera.document says, or at its line's end.
_SENTENCE_END = re.compile(SENTENCE_END.pattern + r"|\n")
_SENTENCE_SPLIT = re.compile(SENTENCE_BREAK.pattern + r"|\n")


class _Spans:
    """Spans of a text, to ask quickly whether an offset falls in one."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def covers(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


class _OwnSentences:
    """Where a text repeats one of Chimera's computed sentences (as written, or escaped as
    report.md prints it): the figures in it are true as they stand."""

    def __init__(self, text: str, sentences: Iterable[tuple[str, str]]) -> None:
        found: list[tuple[int, int, str]] = []
        for source, sentence in sentences:
            for spelled in {sentence, md_inline(sentence)}:
                pos = text.find(spelled)
                while pos >= 0:
                    found.append((pos, pos + len(spelled), source))
                    pos = text.find(spelled, pos + 1)
        found.sort()
        self.spans = found
        self.starts = [a for a, _, _ in found]

    def source_at(self, offset: int) -> str | None:
        # the spans starting at or before `offset`, latest first; sentences are short
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and offset - self.starts[i] <= _OWN_REACH:
            a, b, source = self.spans[i]
            if a <= offset < b:
                return source
            i -= 1
        return None


class _Paragraphs:
    """Where each paragraph of a text starts, to find a figure's paragraph quickly."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n", text)]

    def start_of(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]


def _replace(named: Named, **changes: object) -> Named:
    return dataclasses.replace(named, **changes)  # type: ignore[arg-type]


def _with_model(named: Named, before: str, entities: EntityIndex) -> Named:
    """A sentence that names no model speaks of the one the paragraph last named (the same
    for the config): "gemma3:4b is the slowest. With num_gpu=80 it reaches 33.88 tok/s."."""
    if "model" in named.entities:
        return named
    for sentence in reversed([s for s in _SENTENCE_SPLIT.split(before) if s.strip()]):
        earlier = entities.named(sentence)
        if "model" in earlier.entities:
            merged = dict(named.entities)
            merged["model"] = earlier.entities["model"]
            # its config too, unless this sentence says which setup it means
            inherit = ("file",) if len(merged) > 1 else ("config", "file")
            for key in inherit:
                if key in earlier.entities and key not in merged:
                    merged[key] = earlier.entities[key]
            return _replace(named, entities=merged)
    return named


def _in_clause(
    named: Named, text: str, start: int, end: int, entities: EntityIndex, lo: int = 0
) -> Named:
    """Where the sentence names several values of one setting or several models, a figure is
    bound to those its own clause names (when its clause names any). `lo`: where its
    sentence's paragraph starts (no clause reaches further back)."""
    several = [key for key, values in named.entities.items() if len(values) > 1]
    if not several:
        return named
    lo = max(lo, start - _SENTENCE_MAX * 2)
    breaks = [lo] + [
        m.end()
        for pattern in (CLAUSE_BREAK, _SENTENCE_END)  # nor back past its sentence's start
        for m in pattern.finditer(text, lo, start)
    ]
    stop = _SENTENCE_END.search(text, end)  # no clause reaches past its sentence
    hi = stop.start() if stop else len(text)
    after = CLAUSE_BREAK.search(text, end, hi)
    clause = text[max(breaks) : (after.start() if after else hi)]
    local = entities.named(clause)
    merged = dict(named.entities)
    for key in several:
        if key in local.entities:
            merged[key] = local.entities[key]
        elif key in SCOPE_KEYS and local.entities.keys() & SCOPE_KEYS:
            # "GB10 372.06, strix-halo (llama.cpp (ROCm)) 230.90, RTX A2000 129.11": its
            # clause's machine says where it ran; the engines named are other clauses'
            del merged[key]
    return _replace(named, entities=merged)


@dataclass
class _Reading:
    """One mention as its text reads it: what its sentence names, what it must trace to."""

    mention: FigureMention
    key: tuple[int, str]  # (its paragraph's start, what it is about): its sentence or row
    named: Named
    want: _Want | None
    match: Known | None = None
    why: str = NO_UNIT
    provenance: str | None = None
    pair: tuple[Known, Known] | None = None  # a derived share's (a, b)


class _TextReader:
    """Reads the mentions of one text in their context, remembering each sentence's names."""

    def __init__(self, text: str, index: KnownFigures) -> None:
        self.text = text
        self.index = index
        self.entities = index.entities
        self.paragraphs = _Paragraphs(text)
        self.names = _Spans(self.entities.name_spans(text))
        self.own = _OwnSentences(text, index.sentences)
        self._named: dict[tuple[int, str], Named] = {}

    def sentence_named(self, mention: FigureMention, key: tuple[int, str]) -> Named:
        named = self._named.get(key)
        if named is None:
            start, about = key
            sentence_at = self.text.rfind(mention.sentence[:40], start, mention.start + 1)
            # the paragraph before the sentence (its last few sentences are enough)
            before = self.text[start : sentence_at if sentence_at >= 0 else mention.start]
            before = before[-_SENTENCE_MAX * 8 :]
            named = _with_model(self.entities.named(about), before, self.entities)
            self._named[key] = named
        return named

    def statistics(self, mention: FigureMention, named: Named) -> tuple[Named, set[str]]:
        """The sentence's names with a table column's metric, and the figure's statistics."""
        near: set[str] = set()
        if mention.label is not None:
            column = self.entities.named(mention.label)
            if column.metrics:
                named = _replace(named, metrics=column.metrics)
            near = statistics_in(mention.label)
        # a header that names no statistic leaves it to the words beside the figure (a
        # cell of prose, or the row's label: "| peak | 134.6 |")
        if mention.label is None or not near:
            text, after = self.text, mention.start + len(mention.text)  # past its unit
            near = statistics_near(
                text[max(0, mention.start - 160) : mention.start],
                text[after : after + 20],
                text[mention.end : mention.end + 20],
            )
        return named, near

    def read(self, mention: FigureMention) -> _Reading:
        start = self.paragraphs.start_of(mention.start)
        # A table cell is about its row (each cell under its header) and its column.
        about = mention.context if mention.context is not None else mention.sentence
        key = (start, about)
        named, near = self.statistics(mention, self.sentence_named(mention, key))
        past_unit = mention.start + len(mention.text)
        rate = partial(_prompt_rate, self.text, mention.start, past_unit, mention.label)
        runs = partial(
            _count_metrics, self.text, mention.start, past_unit, mention.label, self.entities
        )
        reading = _Reading(mention, key, named, _want(mention, named, near, rate, runs))
        want = reading.want
        if want is not None and want.unit != "pp":
            # A setting's value is checked against the whole sentence's setups: its clause
            # may name the other side ("from temp 0.2 to n_gpu_layers=33").
            bound = (
                named
                if want.setting is not None
                else _in_clause(named, self.text, mention.start, mention.end, self.entities, start)
            )
            reading.match, reading.why = _direct(mention, want, bound, self.index)
            if reading.match is not None:
                reading.provenance = describe(reading.match.figure)
        return reading


# A share is recomputed from the figures its sentence cites nearest to it: a sentence of
# hundreds of figures (a looping reply) must not make the pairs quadratic per share.
_CITED_MAX = 8


def _nearest(cited: list[tuple[int, Known]], reading: _Reading) -> list[Known]:
    """The distinct figures of the sentence nearest the mention, in the sentence's order
    (`cited` is in the text's order)."""
    at = bisect_left(cited, reading.mention.start, key=lambda item: item[0])
    window = cited[max(0, at - _CITED_MAX) : at + _CITED_MAX]
    distinct: dict[int, tuple[int, Known]] = {}
    for start, known in sorted(window, key=lambda item: abs(item[0] - reading.mention.start)):
        distinct.setdefault(id(known), (start, known))
        if len(distinct) == _CITED_MAX:
            break
    return [known for _, known in sorted(distinct.values(), key=lambda item: item[0])]


def _claims(where: str, text: str, index: KnownFigures) -> list[FigureClaim]:
    reader = _TextReader(text, index)
    readings = [
        reader.read(mention)
        for mention in find_figures(text)
        # a digit of a name: "Llama 3.2 3B", a setting value "num_ctx=4k"
        if not reader.names.covers(mention.start)
    ]
    cited: dict[tuple[int, str], list[tuple[int, Known]]] = {}
    for r in readings:
        if r.match is not None and r.match.figure.statistic not in _NOT_MEASURED:
            cited.setdefault(r.key, []).append((r.mention.start, r.match))
    for r in readings:
        if r.match is None and r.want is not None and r.want.unit in ("%", "x", "pp"):
            near = _nearest(cited.get(r.key, []), r)
            # the figures it cites first, then a finding's own comparison whose sides it
            # names, and only then figures of the groups it names (a pool a sentence that
            # names no machine draws from every machine's)
            found = derived_pair(r.mention, near, r.named, index) if len(near) > 1 else None
            own = _own_comparison(reader, r, index) if found is None else None
            # a range's end is an extreme of what it ranges over, which no pair of the
            # groups named tells: "1.05-1.38x" moved to "1.05-1.20x" is another pair's ratio
            if own is None and len(near) < 2 and not _range_end(text, r.mention):
                found = derived_pair(r.mention, near, r.named, index)
            if found is not None:
                r.provenance, r.pair, r.why = found[0], found[1:], DERIVED
            elif own is not None:
                r.provenance, r.why = describe(own.figure), OWN_COMPARISON
        if r.provenance is None and (source := reader.own.source_at(r.mention.start)):
            r.provenance = f"Chimera's computed sentence, as written: {source}"
            r.why = COMPUTED_SENTENCE
    _check_directions(reader, readings)
    return [
        FigureClaim(
            text=r.mention.text,
            value=r.mention.value,
            unit=r.mention.unit,
            sentence=r.mention.sentence,
            where=where,
            status="traced" if r.provenance else "untraced",
            provenance=r.provenance,
            start=r.mention.start,
            end=r.mention.end,
            found_by=r.mention.rule,
            traced_by=r.why,
        )
        for r in readings
    ]


# A rate's ratio is stated in the words of its metric's time ("prompt processing" names
# prompt_eval_ms): either backs it.
_RATE_OF = {
    "prompt_tokens_per_s": {"prompt_tokens_per_s", "prompt_eval_ms"},
    "tokens_per_s": {"tokens_per_s", "eval_ms"},
}


def _own_comparison(reader: _TextReader, r: _Reading, index: KnownFigures) -> Known | None:
    """A finding's own ratio or share (its context's `side` against `versus`: "num_gpu=99",
    "Apple M4"; its value `side` over `versus`) that the mention's sentence states: both
    sides written in that order, its metric (when the sentence names one), its model (when
    it names models), and a comparative word that agrees with it. A headline that leaves out
    what was held fixed ("Q2 is 2.3x as fast as Q6 on Llama-3.1-405B") or states the range of
    a comparison's ratios ("5.1-5.8x the throughput of Apple M4") cites no figure to derive
    it from."""
    want, mention = r.want, r.mention
    # a sentence this long is no finding's (a looping reply): not read again per figure
    if want is None or want.unit not in ("%", "x") or len(mention.sentence) > _OWN_REACH:
        return None
    step = 10.0**-mention.decimals
    # a share may state a ratio: "reports 1.4 % above" is a ratio of 1.014
    stated = [(want.unit, 0.0, 1.0)] + ([("x", 1.0, 100.0)] if want.unit == "%" else [])
    candidates = [
        k
        for unit, offset, scale in stated
        for sign in (1.0, -1.0)
        for k in index.near(unit, *sorted((offset + sign * (mention.value - step) / scale,
                                           offset + sign * (mention.value + step) / scale)))
        if k.figure.statistic in ("ratio", "pct", "interval")
        and _sides_of(k.figure) is not None
        and close(mention, (k.value - offset) * scale, truncated=False)
        and not (r.named.metrics
                 and not _RATE_OF.get(k.figure.metric or "", {k.figure.metric}) & r.named.metrics)
    ]  # fmt: skip
    if not candidates:
        return None
    head = mention.sentence[:40]  # where the sentence starts in the text
    lo = reader.text.rfind(head, r.key[0], mention.start + len(head))
    if lo < 0:
        return None
    hi = lo + len(mention.sentence)
    sentence = reader.text[lo:hi].lower()
    # the models its sentence names up to the end of its clause ("5.1-5.8x ...: for example
    # gemma3:4b ..." names none; "On gemma3:4b, ...: anywhere from -11 % to +28 %" does)
    text, at = reader.text, mention.start
    ends = [e for e in (text.find(";", at, hi), text.find(": ", at, hi)) if e >= 0]
    models = reader.entities.named(text[lo : min(ends, default=hi)]).entities.get("model")
    ranged = _range_end(text, mention) or "±" in text[max(0, mention.start - 3) : mention.start]
    end = _which_end(text, mention)
    for k in candidates:
        fig = k.figure
        if models and fig.context.get("model") not in models:
            continue
        if fig.statistic == "interval" and not ranged:
            continue  # an interval's bound backs a range or a "±", not a change
        if end is not None and not _extreme(mention, k, end, models, index):
            continue  # a range's end is its comparison's lowest or highest, no other pair's
        side, versus = _sides_of(fig) or ("", "")
        first = _written(sentence, side, 0)
        second = _written(sentence, versus, first[1]) if first else None
        if first is None or second is None:
            continue
        if "engine" in fig.context and sentence[: first[0]].endswith(" with "):
            continue  # a machine's engine ("RX 7900 XTX with llama.cpp b7951"): not the sides
        if fig.metric in _TIME_METRICS or want.statistics & EXTREMES or _range_end(text, mention):
            # a time's ratio is said as speed or as time; a range's ends ("-1.6 % to +2.2 %",
            # "0.9-1.5x") go both ways: their word is not judged
            return k
        # the side is the larger where its ratio is above 1 (its share above 0)
        larger = k.value > (1.0 if k.unit == "x" else 0.0)
        a, b = Known(2.0, "tok/s", fig), Known(1.0, "tok/s", fig)
        said = Comparison(mention.start, *((a, b) if larger else (b, a)),
                          lo + first[0], lo + second[0])  # fmt: skip
        if not wrong_direction(reader.text, lo, hi, said):
            return k
    return None


def _sides_of(fig: KnownFigure) -> tuple[str, str] | None:
    """The two sides a finding's comparison figure compares, as the finding writes them: its
    context's `side` and `versus`, or a machine's or engine's "A vs B"."""
    ctx = fig.context
    if "side" in ctx and "versus" in ctx:
        return ctx["side"], ctx["versus"]
    for key in SCOPE_KEYS:
        side, both, versus = ctx.get(key, "").partition(" vs ")
        if both and side and versus:
            return side, versus
    return None


_RANGE_NEXT = re.compile(r"[ \t]*(?:%|x)?[ \t]*(?:-|–|to)[ \t]*[+-]?\d")
# a number before it, not a name's digits: "llama3.1:8b-instruct-q4_0 -0.2 %" is no range
_RANGE_PREVIOUS = re.compile(
    r"(?<![\w.,])[\d,]*\d(?:\.\d+)?[ \t]*(?:%|x)?[ \t]*(?:-|–|to)[ \t]*[+-]?$"
)


def _range_end(text: str, mention: FigureMention) -> bool:
    """Whether the mention is an end of a range of signed shares ("-1.6 % to +2.2 %")."""
    return bool(
        _RANGE_NEXT.match(text, mention.end)
        or _RANGE_PREVIOUS.search(text, max(0, mention.start - 24), mention.start)
    )


def _which_end(text: str, mention: FigureMention) -> str | None:
    """Which end of a range ("1.05-1.38x", "-11 % to +28 %") the mention is, "low" or
    "high"; None when it is no range's end (or the middle of a longer one)."""
    low = bool(_RANGE_NEXT.match(text, mention.end))
    high = bool(_RANGE_PREVIOUS.search(text, max(0, mention.start - 24), mention.start))
    return None if low == high else ("low" if low else "high")


_COMPARISON_STATISTICS = ("ratio", "pct", "interval")
# Each index's comparisons (see `_comparison_key`): the (model, value) of each of their pairs,
# gathered once per index, not per range's end.
_COMPARISONS: weakref.WeakKeyDictionary[KnownFigures, dict[tuple, list[tuple[str | None, float]]]]
_COMPARISONS = weakref.WeakKeyDictionary()


def _comparison_key(k: Known) -> tuple:
    """What the figures of one comparison share: their unit, kind and the finding that states
    them with its sides (a comparison's pairs may differ in their setups), else their context
    but for the model."""
    fig = k.figure
    if fig.finding is not None:
        return (k.unit, fig.statistic, fig.metric, fig.finding, _sides_of(fig))
    others = frozenset((key, v) for key, v in fig.context.items() if key != "model")
    return (k.unit, fig.statistic, fig.metric, None, others)


def _comparisons(index: KnownFigures) -> dict[tuple, list[tuple[str | None, float]]]:
    found = _COMPARISONS.get(index)
    if found is None:
        found = {}
        for fig in index:
            if fig.statistic in _COMPARISON_STATISTICS:
                k = Known.of(fig)
                found.setdefault(_comparison_key(k), []).append((fig.context.get("model"), k.value))
        _COMPARISONS[index] = found
    return found


def _extreme(
    mention: FigureMention, k: Known, end: str, models: set[str] | None, index: KnownFigures
) -> bool:
    """Whether the mention, a range's end, is the lowest (`end` "low") or highest value of
    the comparison `k` is one pair of (`_comparison_key`), of the models the sentence names,
    when it names any."""
    pairs = _comparisons(index).get(_comparison_key(k), [])
    values = [v for model, v in pairs if not models or model in models]
    if not values:
        return True
    extreme = min(values) if end == "low" else max(values)
    if k.unit == "x" and canonical_unit(mention.unit)[0] == "%":
        extreme = (extreme - 1.0) * 100.0  # a ratio stated as a share
    return close(mention, extreme, truncated=False)


def _written(sentence: str, name: str, start: int) -> tuple[int, int] | None:
    """Where `sentence` (lower case) writes `name` whole, from `start` on: not "num_gpu=8"
    inside "num_gpu=80"."""
    pattern = rf"(?<![\w.=-]){re.escape(name.lower())}(?![\w=-]|\.\d)"
    found = re.compile(pattern).search(sentence, start)
    return found.span() if found else None


def _clause(text: str, lo: int, hi: int, at: int) -> tuple[int, int]:
    """The part of text[lo:hi] (a sentence) around `at` between semicolons."""
    start = text.rfind(";", lo, at)
    end = text.find(";", at, hi)
    return (lo if start < 0 else start + 1), (hi if end < 0 else end)


def _comparison(reader: _TextReader, group: list[_Reading], lo: int, hi: int) -> Comparison | None:
    """What one sentence compares: the pair of a derived share, or two values it cites of
    one metric and statistic (in the order written)."""
    values = [r for r in group if r.match is not None and r.why == SAME_FIGURE]
    for r in group:
        if r.pair is None:
            continue
        a, b = r.pair
        written = {id(v.match): v.mention.start for v in values}
        # the sides as the share's own clause names them, else where their values stand
        clause = _clause(reader.text, lo, hi, r.mention.start)
        if (placed := sides(reader.text, *clause, a, b, reader.entities)) is not None:
            at_a, at_b = placed
        elif id(a) in written and id(b) in written:
            at_a, at_b = written[id(a)], written[id(b)]
        else:
            continue
        first, second = (a, b) if at_a < at_b else (b, a)
        return Comparison(r.mention.start, first, second, min(at_a, at_b), max(at_a, at_b))
    for one, two in zip(values, values[1:], strict=False):
        f1, f2 = one.match.figure, two.match.figure  # type: ignore[union-attr]
        if (f1.metric, f1.statistic) == (f2.metric, f2.statistic) and f1.context != f2.context:
            return Comparison(
                two.mention.start, one.match, two.match,  # type: ignore[arg-type]
                one.mention.start, two.mention.start,
            )  # fmt: skip
    return None


def _check_directions(reader: _TextReader, readings: list[_Reading]) -> None:
    """Mark the figure that states a comparison untraced when the sentence's comparative
    word says the opposite of its figures (`chimera.grounding.direction`)."""
    by_sentence: dict[tuple[int, str], list[_Reading]] = {}
    for r in readings:
        if r.mention.context is None:  # prose, not a table row
            by_sentence.setdefault(r.key, []).append(r)
    for (start, _), group in by_sentence.items():
        sentence = group[0].mention.sentence
        head = sentence[:40]  # the sentence starts at or before its first figure
        lo = reader.text.rfind(head, start, group[0].mention.start + len(head))
        if lo < 0 or reader.own.source_at(group[0].mention.start):
            continue  # Chimera's own sentence: right by construction
        hi = lo + len(sentence)
        comparison = _comparison(reader, group, lo, hi)
        if comparison is not None and wrong_direction(reader.text, lo, hi, comparison):
            stated = next(r for r in group if r.mention.start == comparison.at)
            stated.provenance, stated.why = None, WRONG_DIRECTION


def check_figures(
    texts: Mapping[str, str], known: KnownFigures | Iterable[KnownFigure]
) -> FiguresCheck:
    """Extract the figures of each text ({"report": ..., "findings": ...}) and trace them."""
    index = known if isinstance(known, KnownFigures) else KnownFigures(known)
    return FiguresCheck.from_claims(
        [claim for where, text in texts.items() for claim in _claims(where, text or "", index)]
    )


def _why(claim: FigureClaim) -> str:
    return f" ({claim.traced_by})" if claim.traced_by else ""


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split()).replace('"', "'")
    return sentence if len(sentence) <= _SENTENCE_MAX else sentence[: _SENTENCE_MAX - 1] + "…"
