"""The words the figures check reads, as data: units, metric words, counts, settings, and
comparatives with their direction.

Each table lists words as people write them and what they say; the patterns the checks
match are generated from these tables (`unit_alternatives`, `metric_word_pattern`,
`metric_patterns`, `comparative_pattern`, ...), so a spelling is written once and adding a
word is adding a line here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from chimera.ingest.digest.columns import PARAM_ALIASES, PARAM_NAMES

# --- units ---------------------------------------------------------------------------------

# A throughput written after a number: tok/s, tokens/sec, tokens per second, t/s, tps.
THROUGHPUT = (
    r"tok(?:en)?s?[ \t]*/[ \t]*s(?:ec(?:ond)?)?|tok(?:en)?s?[ \t]+per[ \t]+sec(?:ond)?|t/s|tps"
)
# A throughput inside a name or label, snake_case too: tokens_per_s, avg_tok_s, "tokens/s".
THROUGHPUT_WORD = r"tok(?:en)?s?(?:[ \t_]*(?:/|per)[ \t_]*|_)s(?:ec(?:ond)?)?|t/s|tps"

# (unit, its pattern group's name, how it is written after a number)
UNITS: tuple[tuple[str, str, str], ...] = (
    ("tok/s", "toks", THROUGHPUT),
    ("ms", "ms", r"ms|msec|milliseconds?"),
    ("s", "s", r"s|secs?|seconds?"),
    ("min", "min", r"mins?|minutes?"),
    ("pp", "pp", r"percentage[ \t]+points?|pp"),
    ("%", "pct", r"%|percent|per[ \t]?cent"),
    ("x", "x", r"x|×"),
    ("tokens", "tokens", r"tokens?"),
    ("GB", "GB", r"GB|GiB"),
    ("MB", "MB", r"MB|MiB"),
)
UNIT_NAMES = {group: unit for unit, group, _ in UNITS}
# Units a label names in brackets or after "in": "(ms)", "[s]", "in seconds".
LABEL_UNITS = r"tok/s|tokens?[ \t]*/[ \t]*s(?:ec(?:ond)?)?|ms|s|secs?|seconds|%|tokens|GB|MB"
# Written unit -> (unit compared in, factor).
CONVERSIONS = {"s": ("ms", 1000.0), "min": ("ms", 60_000.0)}


def unit_alternatives() -> str:
    """Every unit as a named group (`UNIT_NAMES` gives the unit of the group that matched)."""
    return "|".join(f"(?P<{group}>{spelled})" for _, group, spelled in UNITS)


# --- metric words ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricWord:
    """A word for a metric, a setting or a statistic (matched between letters, so inside
    snake_case too: load_duration, avg_ttft)."""

    spelling: str  # a pattern
    metrics: tuple[str, ...] = ()  # the metrics a sentence naming it speaks of
    unit: str | None = None  # the unit a unitless figure beside it is most likely in
    marks_figure: bool = True  # a number beside it is a figure (figure_text's rule 2)


# In the order they are tried where several could match (longer and narrower first).
METRIC_WORDS: tuple[MetricWord, ...] = (
    MetricWord(r"throughput", ("tokens_per_s",), "tok/s"),
    MetricWord(THROUGHPUT_WORD, ("tokens_per_s",), "tok/s"),
    MetricWord(r"speed", ("tokens_per_s",), "tok/s"),
    MetricWord(r"fast(?:er|est)?|slow(?:er|est)?|generation[ \t]+rate", ("tokens_per_s",),
               "tok/s", marks_figure=False),
    MetricWord(r"ttft|time[ \t]+to[ \t]+first[ \t]+tokens?", ("ttft_ms",), "ms"),
    MetricWord(r"first[ \t-]+tokens?", ("ttft_ms",), "ms", marks_figure=False),
    # a token's gap and time, besides what "latency" names ("median inter-token latency")
    MetricWord(r"inter[ \t-]*token[ \t]+latenc(?:y|ies)|itl", ("itl_ms",), "ms"),
    MetricWord(r"time[ \t]+per[ \t]+output[ \t]+token|tpot", ("tpot_ms",), "ms"),
    MetricWord(r"latenc(?:y|ies)|response[ \t]+time", ("latency_ms", "total_ms", "ttft_ms"),
               "ms"),
    MetricWord(r"wall[ \t-]*(?:clock[ \t]*)?time", ("total_ms", "latency_ms"), "ms"),
    MetricWord(r"total[ \t_-]*(?:duration|time)|end[ \t-]*to[ \t-]*end",
               ("total_ms", "latency_ms"), "ms", marks_figure=False),
    MetricWord(r"(?:execution|run|generation)[ \t]+time", (), "ms"),
    MetricWord(r"prompt[ \t_-]*eval\w*|prefill|prompt[ \t]+processing", ("prompt_eval_ms",),
               "ms", marks_figure=False),
    MetricWord(r"load(?:ing|ed|s)?(?:[ \t_-]*(?:time|duration))?", ("load_ms",), "ms"),
    MetricWord(r"cold[ \t-]+start", ("load_ms",), "ms", marks_figure=False),
    MetricWord(r"eval[ _]count", ("eval_count",), "tokens"),
    MetricWord(r"(?<!prompt[ _])eval(?:uation)?[ \t_-]*(?:time|duration)", ("eval_ms",), "ms"),
    MetricWord(r"eval[a-z]*", (), "ms"),
    MetricWord(r"duration", (), "ms"),
    MetricWord(r"tokens?[ \t]+generated|generated[ \t]+tokens|output[ \t]+tokens",
               ("eval_count",), "tokens", marks_figure=False),
    MetricWord(r"p\d{2}|percentile|mean|median|average|avg|stdev|std"),
    MetricWord(r"num_ctx|ctx|context[ \t]+(?:size|length|window)", (), "num_ctx"),
    MetricWord(r"num_gpu|gpu[ \t]+layers", (), "num_gpu"),
    MetricWord(r"temperature|temp", (), "temperature"),
    MetricWord(r"tokens?", (), "tokens"),
)  # fmt: skip


def _between_letters(pattern: str) -> str:
    return rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])"


def metric_word_pattern() -> re.Pattern[str]:
    """Any metric word that marks a figure; group `w<i>` is `METRIC_WORDS[i]`."""
    return re.compile(
        _between_letters(
            "|".join(
                f"(?P<w{i}>{word.spelling})"
                for i, word in enumerate(METRIC_WORDS)
                if word.marks_figure
            )
        ),
        re.IGNORECASE,
    )


def metric_patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Each metric word that names metrics, and those metrics."""
    return tuple(
        (re.compile(_between_letters(word.spelling), re.IGNORECASE), word.metrics)
        for word in METRIC_WORDS
        if word.metrics
    )


# --- counts ---------------------------------------------------------------------------------

# Data counts: noun -> unit ("44 rows", "12 runs", "101 files"). Counts are compared exactly.
COUNT_NOUNS: dict[str, str] = {
    noun: unit
    for unit, nouns in (
        ("files", ("file", "files")),
        ("rows", ("row", "rows", "run", "runs", "sample", "samples", "record", "records",
                  "repetition", "repetitions", "iteration", "iterations", "measurement",
                  "measurements", "trial", "trials")),
        ("tables", ("table", "tables")),
        ("models", ("model", "models")),
        ("configs", ("config", "configs", "configuration", "configurations")),
        ("calls", ("call", "calls", "request", "requests")),
    )
    for noun in nouns
}  # fmt: skip

# --- settings -------------------------------------------------------------------------------

# Words and llama.cpp's command-line flags for a setting (-ngl 99, -c 4096, --temp 0.7)
SETTING_WORDS = {
    "num_gpu": ("gpu layers", "-ngl", "--n-gpu-layers", "--gpu-layers"),
    "num_ctx": ("context size", "context length", "context window", "ctx", "context", "-c",
                "--ctx-size"),
    "temperature": ("temp", "--temp"),
    "num_thread": ("threads", "--threads"),
    "num_batch": ("--batch-size",),
}  # fmt: skip
# How people write each setting: Chimera's names, the aliases the digest reads as columns,
# and words; longest first.
SETTING_SPELLINGS: dict[str, tuple[str, ...]] = {
    param: tuple(
        sorted(
            {
                param,
                *(a for a, p in PARAM_ALIASES.items() if p == param),
                *SETTING_WORDS.get(param, ()),
            },
            key=len,
            reverse=True,
        )
    )
    for param in PARAM_NAMES
}
# What joins a setting to its value: "num_gpu=80", "num_ctx: 2048", "num_ctx of 4096", ...
SETTING_CONNECTOR = r"(?:=|:|[ \t]of|[ \t]at|[ \t]is|[ \t]was|[ \t]set[ \t]+to|[ \t]to|[ \t]from)?"

# --- comparatives ---------------------------------------------------------------------------

Kind = Literal["speed", "amount"]

# Comparative words: (forms, +1 for more/faster, -1 for less/slower, kind). A "speed" word
# is about being fast: for a throughput more is faster, for a time (TTFT, load) less is. An
# "amount" word is about the number itself, whatever the metric.
COMPARATIVES: tuple[tuple[tuple[str, ...], int, Kind], ...] = (
    (("faster", "quicker", "speedier", "sooner"), +1, "speed"),
    (("slower", "later", "slows"), -1, "speed"),
    (("outpaces", "outpaced", "outperforms", "outperformed", "beats", "beat"), +1, "speed"),
    (("trails", "trailed", "lags", "lagged", "lags behind"), -1, "speed"),
    (("higher", "more", "greater", "larger", "above"), +1, "amount"),
    (("lower", "less", "fewer", "smaller", "below"), -1, "amount"),
    (("rises", "rose", "raises", "raised", "increases", "increased", "gains", "gain", "grows",
      "climbs", "jumps", "improves"), +1, "amount"),
    (("falls", "fell", "lowers", "lowered", "drops", "dropped", "decreases", "decreased",
      "loses", "lost", "loss", "shrinks", "cuts", "reduces", "reduced", "declines"), -1,
     "amount"),
)  # fmt: skip
# Words that turn a comparative into a plain description of two values, not a comparison
# of their order ("more than twice", "less than 5 %": a bound; "no faster": a negation).
_NOT_COMPARING = r"(?<!\bno )(?<!\bnot )(?<!\bnot much )"

WORD_DIRECTION: dict[str, tuple[int, Kind]] = {
    form: (sign, kind) for forms, sign, kind in COMPARATIVES for form in forms
}


def comparative_pattern() -> re.Pattern[str]:
    """Any comparative word of `COMPARATIVES`, as a whole word (longest forms first)."""
    forms = sorted(WORD_DIRECTION, key=len, reverse=True)
    words = "|".join(re.escape(f).replace(r"\ ", r"[ \t]+") for f in forms)
    # "more than 10 %", "less than twice", "rules out more than ±0.2 %": a bound on one
    # value, not an order of two
    bound = r"(?![ \t]+than[ \t]+(?:\d|~|≈|±|twice|half|a[ \t]|an[ \t]|one[ \t]))"
    return re.compile(rf"{_NOT_COMPARING}\b(?P<word>{words})\b{bound}", re.IGNORECASE)
