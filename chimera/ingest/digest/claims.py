"""What a team's notes claim about speed, in a form the findings can check against the data.

A claim is one sentence (or one row of a table) of a Markdown note that ties a quantity to a
setting or a model:

- an **effect of a setting**: "raising num_ctx from 2048 to 8192 costs about 10 %
  throughput", "num_gpu 80: about 2.3x" (a table row under a `num_gpu` column), "full
  offload roughly doubles throughput";
- a **null**: "temperature ... the same tokens/s within noise", "does not move tok/s";
- a **rate of a model**: "gemma3:270m ... over 200 tok/s", "13-16 tok/s".

Each is kept with the note's path and line, the words it was read from, what it is about
(the setting and its levels, the model, throughput or TTFT) and the figure as a range (an
"about" widens it by `ABOUT`). Sentences with no setting, model or recognised quantity are
not claims; nothing is guessed beyond that.
"""

from __future__ import annotations

import contextlib
import re

from pydantic import BaseModel, Field

from chimera.ingest.digest.columns import PARAM_ALIASES, TABLE_PARAMS
from chimera.ingest.digest.identity import model_from_heading, model_name
from chimera.ingest.digest.text_results import (
    atx_heading_text,
    markdown_tables,
    output_line,
    stated_model,
)

# Claims kept to check against the data, per note and per folder; the rest are counted
# (`DataDigest.note_claims_left_out`): 20,000 generated notes held over a million.
MAX_CLAIMS_PER_NOTE = 50
MAX_NOTE_CLAIMS = 5_000

ABOUT = 0.25  # "about 10 %" is read as 7.5-12.5 %


def _starting(first: str, pattern: str, flags: int = re.I) -> re.Pattern[str]:
    """`pattern`, told that each of its matches starts with one of the characters `first`
    (a regex character set): a search then passes over any other place in one test instead
    of trying every alternative there (a case-insensitive alternation gets no such help
    from `re`), several times faster, with the same matches."""
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


_SETTINGS = tuple(TABLE_PARAMS) + tuple(PARAM_ALIASES)
_SETTING = _starting(
    "".join(sorted({re.escape(s[0]) for s in _SETTINGS})),
    r"\b(" + "|".join(re.escape(s) for s in _SETTINGS) + r")\b",
)
_OFFLOAD = _starting("fea", r"\b(full|every layer|all layers)\b.{0,20}\b(offload|on the gpu)\b")
_PERCENT = re.compile(r"([-+−]?\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*%")
_TIMES = re.compile(r"(\d+(?:\.\d+)?)\s*[x×]\b", re.I)
_TIMES_WORDS = {"doubles": 2.0, "doubled": 2.0, "triples": 3.0, "halves": 0.5, "halved": 0.5}
_WORD_TIMES = {re.compile(rf"\b{word}\b", re.I): value for word, value in _TIMES_WORDS.items()}
# Whether any of them is there, in one search: most texts have none.
_ANY_WORD_TIMES = _starting("dth", r"\b(?:" + "|".join(_TIMES_WORDS) + r")\b")
# The separators are kept (a group): where each clause stands in its sentence is known.
_CLAUSE_BREAK = _starting("a;,\\-—", r"(\band\b|;|,|--|—)", 0)
_REFERENCE_CELL = re.compile(r"\bbaseline\b|\breference\b", re.I)
_NUMBERED = re.compile(r"^\d+\.\s")
_ITEM_MARK = re.compile(r"^(?:[-*]|\d+\.)\s+")
_RATE = _starting(
    r"oamublr~\d",
    r"(?:(over|above|more than|under|below|less than|~|about|around|roughly)\s*)?"
    r"(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*"
    r"(?:tok(?:en)?s?/s|t/s|tokens per second)",
)
_PER_SECOND = re.compile(r"tokens per second", re.I)  # _RATE's one unit without a "/"
# What runs side by side gain over one at a time ("concurrency speedup", "parallel
# efficiency", "1.985x sequential baseline", an "Efficiency" column): a claim about running
# concurrently, not a change of one setting's throughput ("num_gpu=99 gives a 2x speedup" is).
_SCALING = re.compile(
    r"(?i)efficien|sequential|(?:concurren|parallel|agents?\b)[^.]*speed-?ups?"
    r"|speed-?ups?[^.]*(?:concurren|parallel|agents?\b)"
)
_SPEEDUP = re.compile(r"(?i)speed-?up")
# Two rates side by side before one unit ("102.85 vs 76.59 tok/s")
_VERSUS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:tok(?:en)?s?/s|t/s)?\s*(?:vs\.?|versus)\s*(\d+(?:\.\d+)?)\s*"
    r"(?:tok(?:en)?s?/s|t/s|tokens per second)",
    re.I,
)
_APPROX = re.compile(r"\b(about|around|roughly|approximately|~|circa|some)\b", re.I)
_NULL = _starting(
    "snwdu",
    r"\b(same|no (?:measurable )?(?:effect|difference|change)|within noise|does not move|"
    r"doesn't move|not how fast|does not change|no impact|unchanged)\b",
)
_DOWN = re.compile(r"\b(costs?|slower|drops?|falls?|loses?|reduces?|lower|penalty|hurts?)\b", re.I)
_UP = re.compile(r"\b(faster|gains?|raises?|speeds? up|improves?|higher|boosts?|adds?)\b", re.I)
_TTFT = re.compile(r"\b(ttft|time[- ]to[- ]first[- ]token|first token|latency)\b", re.I)
# A claim about speed names what it measures: a rate, a time to first token, "faster".
_SPEED = _starting(
    "tsflrpdg",
    r"throughput|tok(?:en)?s?/s|t/s|tokens per second|\bspeed|\bfast|\bslow|ttft|"
    r"time[- ]to[- ]first[- ]token|latency|\brate\b|prefill|decod|generation",
)
_FROM_TO = re.compile(r"from\s+(\d+(?:\.\d+)?)\s+to\s+(\d+(?:\.\d+)?)", re.I)
_MODEL_TOKEN = re.compile(r"`?([a-z][\w.\-]*:[\w.\-]+)`?", re.I)
# The colon every _MODEL_TOKEN has, between two name characters: a search that starts with a
# literal character is quick, and most sentences have no such colon ("0.8: about").
_NAME_COLON = re.compile(r":(?<=[\w.\-]:)[\w.\-]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(])")
# A figure written with a decimal comma before its unit ("45,2 tokens/s", "120,5 ms", "12,5 %",
# "1,5x"): a comma with one or two digits after it is no thousands separator, and as a clause
# break it read "45,2 tokens/s" as 2 tok/s. Lists ("1,2,4,8") are left as they are.
_DECIMAL_COMMA_FIGURE = _starting(
    r"\d", r"(?<![\d,.])(\d+),(\d{1,2})(?![\d,])(?=\s*(?:tok|t/s|ms\b|s\b|sec|%|x\b|×))"
)
# A figure written with thousands separators before its unit ("19,787 tokens/sec", "1,234.5
# tok/s"): as a clause break the comma read "19,787 tokens/sec" as 787 tok/s. Each comma
# becomes a leading zero ("019787"), so the figure keeps its length and its quote its place.
_THOUSANDS_FIGURE = _starting(
    r"\d",
    r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])(?=(?:\.\d+)?\s*(?:tok|t/s|ms\b|s\b|sec|%|x\b|×))",
)
_AT = re.compile(r"=\s*(\d+(?:\.\d+)?)")
_BASELINE_WORDS = _starting("bd", r"\b(baseline|default options|defaults)\b")
_CPU_ONLY = _starting("c", r"\bcpu[- ]only\b")


class NoteClaim(BaseModel):
    """One quantitative claim of a note."""

    path: str
    line: int
    text: str = Field(description="the sentence or table row, as the note words it")
    kind: str = Field(description="'effect' (a setting's), 'null' (no effect), 'rate' (a model's)")
    setting: str | None = None
    levels: list[float] = Field(default_factory=list, description="from, to (where stated)")
    metric: str = "tokens_per_s"  # or ttft_ms
    unit: str = Field("%", description="'%' (a change), 'x' (a ratio) or 'tok/s' (a rate)")
    low: float | None = None
    high: float | None = Field(None, description="None: no upper bound ('over 200 tok/s')")
    direction: int = Field(0, description="-1 slower / costs, +1 faster, 0 not said")
    model: str | None = None
    at: float | None = Field(None, description="the setting's value a rate was measured at")
    baseline: bool = Field(False, description="a rate at the engine's defaults")


def _setting(text: str) -> str | None:
    found = _SETTING.search(text)
    if found:
        name = found.group(1).lower()
        return PARAM_ALIASES.get(name, name)
    lowered = text.lower()  # _OFFLOAD cannot match without one of its last words
    if ("offload" in lowered or "on the gpu" in lowered) and _OFFLOAD.search(text):
        return "num_gpu"
    return None


def _range(low: float, high: float | None, approx: bool) -> tuple[float, float]:
    high = low if high is None else high
    low, high = min(low, high), max(low, high)
    if approx:
        return low * (1 - ABOUT), high * (1 + ABOUT)
    return low, high


def _quantity(text: str) -> tuple[str, float, float] | None:
    """(unit, low, high) of the first change the text states; an "about" there widens it."""
    # Each test first looks for the character its pattern cannot match without ("%", "x"):
    # most texts have none, and a regex search is dearer than a substring test.
    if "%" in text and (m := _PERCENT.search(text)):
        low = abs(float(m.group(1).replace("−", "-")))
        high = float(m.group(2)) if m.group(2) else None
        return ("%", *_range(low, high, bool(_APPROX.search(text))))
    if ("x" in text or "X" in text or "×" in text) and (m := _TIMES.search(text)):
        return ("x", *_range(float(m.group(1)), None, bool(_APPROX.search(text))))
    lowered = text.lower()
    if ("doubl" in lowered or "tripl" in lowered or "halv" in lowered) and _ANY_WORD_TIMES.search(
        text
    ):
        for pattern, value in _WORD_TIMES.items():  # in this order: "halves ... doubles" is 2x
            if pattern.search(text):
                return ("x", *_range(value, None, True))
    return None


def _may_be_null(lowered: str) -> bool:
    """Whether a lowered text holds a word every _NULL match holds ("same", "no"/"not",
    "n't", "unchanged")."""
    return "same" in lowered or "no" in lowered or "n't" in lowered or "unchanged" in lowered


def _direction(text: str) -> int:
    if _DOWN.search(text):
        return -1
    if _UP.search(text):
        return 1
    return 0


def _metric(text: str) -> str:
    return "ttft_ms" if _TTFT.search(text) else "tokens_per_s"


def _clauses(sentence: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The sentence's clauses and where in it each one starts and ends."""
    parts = _CLAUSE_BREAK.split(sentence)  # clause, separator, clause, ...
    spans = []
    start = 0
    for i, part in enumerate(parts):
        if i % 2 == 0:
            spans.append((start, start + len(part)))
        start += len(part)
    return parts[::2], spans


def _claims_in(sentence: str, path: str, line: int, context_model: str | None) -> list[NoteClaim]:
    speed = _SPEED.search(sentence)
    if not speed:
        return []  # every claim is about speed; a clause matches only where its sentence does
    out: list[NoteClaim] = []
    # The first model named (it may name no model: then none, not the heading's).
    named = _MODEL_TOKEN.search(sentence) if _NAME_COLON.search(sentence) else None
    model = model_name(named.group(1)) if named else context_model
    # Each pattern below is searched only where the word it cannot match without is there
    # (a substring test of the lowered text): most sentences have none of them.
    lowered = sentence.lower()
    from_to = _FROM_TO.search(sentence) if "from" in lowered else None
    levels = [float(x) for x in from_to.groups()] if from_to else []
    # A claim about throughput and one about TTFT can share a sentence ("costs 10 % throughput
    # and adds 25-30 % to time-to-first-token"): each clause is read on its own.
    clauses, spans = _clauses(sentence)

    def of_speed(i: int) -> bool:
        """Whether clause i names what it measures. A clause's match is its sentence's at the
        same place (clauses break at non-word characters, so word boundaries read the same):
        one that ends before the sentence's first match has none, one that holds it has it."""
        start, end = spans[i]
        if end <= speed.start():
            return False
        return start <= speed.start() and speed.end() <= end or bool(_SPEED.search(clauses[i]))

    # The subject of the first clause carries on ("raising num_ctx ... costs 10 %, and adds
    # 25 % to TTFT"): a later clause is quoted with it, and takes its setting. (The first
    # clause reads as its stripped lead does: the patterns match no edge whitespace.)
    lead = clauses[0].strip()
    lead_setting = _setting(lead)
    lead_speed = of_speed(0)
    for i, clause in enumerate(clauses):
        if not (lead_speed or (i > 0 and of_speed(i))):
            continue  # "97.93 % efficiency": not a claim about speed
        setting = lead_setting if i == 0 else _setting(clause) or lead_setting
        if setting and _may_be_null(clause.lower()) and _NULL.search(clause):
            out.append(NoteClaim(path=path, line=line, text=sentence, kind="null", setting=setting,
                                 levels=levels, metric=_metric(clause), model=model))  # fmt: skip
            continue
        if setting and (quantity := _quantity(clause)):
            if _SCALING.search(clause if i == 0 else f"{lead} {clause}"):
                continue  # a parallel speedup or an efficiency: no change of throughput
            unit, low, high = quantity
            said = clause.strip() if clause is clauses[0] else f"{lead} ... {clause.strip()}"
            out.append(
                NoteClaim(
                    path=path,
                    line=line,
                    text=said,
                    kind="effect",
                    setting=setting,
                    levels=levels,
                    metric=_metric(clause),
                    unit=unit,
                    low=low,
                    high=high,
                    direction=_direction(clause),
                    model=model,
                )  # fmt: skip
            )
            continue
        if (
            model
            and ("/" in clause or _PER_SECOND.search(clause))  # _RATE's unit, cheaply first
            and "vs" in clause.lower()
            and (versus := _VERSUS.search(clause))
        ):
            # "A ... than B (102.85 vs 76.59 tok/s)": the unit's figure is B's, not the first
            # model's. Two models named take a figure each, in order; else whose is whose
            # the sentence does not say.
            names = list(dict.fromkeys(model_name(t) for t in _MODEL_TOKEN.findall(sentence)))
            if len(names) == 2:
                for name, value in zip(names, versus.groups(), strict=True):
                    out.append(NoteClaim(path=path, line=line, text=sentence, kind="rate",
                                         model=name, unit="tok/s", low=float(value),
                                         high=float(value)))  # fmt: skip
            continue
        if (
            model
            and ("/" in clause or _PER_SECOND.search(clause))  # _RATE's unit, cheaply first
            and (m := _RATE.search(clause))
        ):
            words = (m.group(1) or "").lower()
            low = float(m.group(2))
            high = float(m.group(3)) if m.group(3) else None
            if words in ("over", "above", "more than"):
                low, high = low, None  # "over 200 tok/s": no upper bound
            elif words in ("under", "below", "less than"):
                low, high = 0.0, low
            else:
                low, high = _range(low, high, bool(words))
            at = _AT.search(clause) if "=" in clause else None
            if at is None and "=" in lead:
                at = _AT.search(lead)
            cpu = "cpu" in lowered and bool(_CPU_ONLY.search(sentence))
            out.append(
                NoteClaim(
                    path=path,
                    line=line,
                    text=sentence,
                    kind="rate",
                    model=model,
                    setting="num_gpu" if cpu else setting,
                    unit="tok/s",
                    low=low,
                    high=high,
                    at=0.0 if cpu else float(at.group(1)) if at and setting else None,
                    baseline=("baseline" in lowered or "default" in lowered)
                    and bool(_BASELINE_WORDS.search(sentence))
                    and not cpu,
                )  # fmt: skip
            )
    return out


def _table_claims(text: str, path: str) -> list[NoteClaim]:
    """Rows of a table whose first column holds a setting's levels and whose other columns
    state effects ("| 40 | about 1.5x | about -30% |" under "| num_gpu | effect on tokens/s |")."""
    out = []
    for _, rows in markdown_tables(text):
        header = rows[0]
        setting = _setting(header[0]) if header else None
        if setting is None:
            continue
        reference = None  # the row the others are relative to ("0 | baseline | baseline")
        for row in rows[1:]:
            if any(_REFERENCE_CELL.search(c) for c in row[1:]):
                with contextlib.suppress(ValueError):
                    reference = float(row[0].replace("*", ""))
        for row in rows[1:]:
            try:
                level = float(row[0].replace("*", ""))
            except ValueError:
                continue
            for head, cell in zip(header[1:], row[1:], strict=False):
                # a speedup column with no reference row is against something else
                # (runs one at a time), not another level of the table
                skip = _SCALING.search(head) or (reference is None and _SPEEDUP.search(head))
                quantity = None if skip else _quantity(cell)
                if quantity is None:
                    continue
                unit, low, high = quantity
                metric = "ttft_ms" if _TTFT.search(head) else "tokens_per_s"
                sign = -1 if "-" in cell or "−" in cell else (1 if unit == "%" else 0)
                out.append(
                    NoteClaim(
                        path=path,
                        line=0,
                        text=f"{setting} {row[0]}: {cell} ({head})",
                        kind="effect",
                        setting=setting,
                        levels=[reference, level] if reference is not None else [level],
                        metric=metric,
                        unit=unit,
                        low=low,
                        high=high,
                        direction=sign,
                    )  # fmt: skip
                )
    return out


def _without_separators(figure: re.Match[str]) -> str:
    """A figure's thousands separators made leading zeros: "19,787" -> "019787"."""
    digits = figure[0].replace(",", "")
    return digits.rjust(len(figure[0]), "0")


def _as_written(claim: NoteClaim, read: str, written: str) -> NoteClaim:
    """The claim quoting `written` where its text was read from `read`, the same text with
    its decimal commas made points and its thousands separators leading zeros (so each
    quote stands at the same place in both)."""
    at = read.find(claim.text)
    if at < 0:
        return claim
    return claim.model_copy(update={"text": written[at : at + len(claim.text)]})


def note_claims(text: str, path: str) -> list[NoteClaim]:
    """Every claim of one note: its sentences (the heading above gives a model where the
    sentence names none), then its tables of effects by setting level."""
    claims: list[NoteClaim] = []
    heading_model = None
    in_fence = False
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if not paragraph:
            return
        joined = written = " ".join(t for _, t in paragraph)
        if "," in joined and _DECIMAL_COMMA_FIGURE.search(joined):  # a search is the cheaper
            joined = _DECIMAL_COMMA_FIGURE.sub(r"\1.\2", joined)  # "45,2 tokens/s": 45.2
        if "," in joined and _THOUSANDS_FIGURE.search(joined):
            joined = _THOUSANDS_FIGURE.sub(_without_separators, joined)  # "19,787": 019787
        line = paragraph[0][0]
        for sentence in _SENTENCE.split(joined):
            found = _claims_in(sentence.strip(), path, line, heading_model)
            if joined != written:  # each claim quotes the note as written ("45,2"): one length
                found = [_as_written(c, joined, written) for c in found]
            claims.extend(found)
        paragraph.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("```"):
            in_fence = not in_fence
            flush()
            continue
        if in_fence or line.startswith("|"):
            flush()
            continue
        if line.startswith("#"):
            flush()
            heading_model = model_from_heading(atx_heading_text(line)) or heading_model
            continue
        if (named := stated_model(line)) is not None:
            flush()  # "model_name = mistral:7b": the model of what follows, as a heading
            heading_model = model_name(named)
            continue
        if output_line(line):
            flush()  # a benchmark's printed figure ("eval rate: 67.11 tokens/s"): data
            continue
        if not line or line.startswith(("- ", "* ")) or _NUMBERED.match(line):
            flush()
        if line:
            paragraph.append((number, _ITEM_MARK.sub("", line)))
    flush()
    return claims + _table_claims(text, path)
