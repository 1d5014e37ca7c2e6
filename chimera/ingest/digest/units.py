"""The unit of each time column, by what the field is, never by one file's median.

In order of trust:

1. **The row's own figures.** Where a row holds a token count, a rate and the matching
   duration (eval_count, tokens/s and eval_duration; the same for the prompt), the duration
   must equal count / rate. The unit that makes it so, over the table's rows, overrules a
   header or a definition (a `[ms]` header over values in seconds), and the other duration
   columns declared the same way are corrected with it: one file writes its times one way.
   So are the other columns whose names state no unit (KoboldCpp's `ProcessingTime` beside
   the `GenerationTime` its `GenAmount` / `GenerationSpeed` prove to be seconds).
2. **The field's definition.** Ollama's API durations (`total_duration`, `load_duration`,
   `prompt_eval_duration`, `eval_duration`) are nanoseconds, however small (a model that
   stayed loaded has a `load_duration` of a few million ns). Values below 1,000 cannot be
   nanoseconds (a call shorter than a microsecond): a script converted them, and they are
   read in the unit under which they are plausible for that field (seconds, usually).
3. **The header**: a unit in the name (`_ms`, `_s`, `(ms)`, `_ns`).
4. **Unstated** (`ttft`, `latency`, `initial_load_duration`): the unit under which most of
   the column's values are plausible for that field (a TTFT between 5 ms and 2 minutes, a
   request between 20 ms and an hour, ...), milliseconds on a tie. A whole request's latency
   (`request_latency`, `e2e_latency`) is never shorter than its first token: where the row's
   TTFT is in a stated unit, only units that keep the latency at least as long are weighed
   (GuideLLM's `request_latency` 42.2 beside `time_to_first_token_ms` 1243.6 is seconds).
   The digest says so.

Every decision other than a plain header (rules 1, 2 when overruled, and 4) is kept as a
`UnitNote`, shown in the report, so a reader can check the unit Chimera chose. So is a rate
found to be an estimate (`ESTIMATED_TOKENS`: a note's "tokens/sec" that its records' output
characters / 4 a second give to the digit, h2oGPT's): the findings quoting it say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from pydantic import BaseModel

from chimera.ingest.digest.columns import MetricRole

_NAMES = {1e-6: "ns", 1e-3: "µs", 1.0: "ms", 1000.0: "s"}
_CANDIDATES = (1.0, 1000.0, 1e-6, 1e-3)  # the order that breaks ties
# Where a value of each time metric is plausible, in ms, for one LLM call or request.
_PLAUSIBLE_MS = {
    "ttft_ms": (5.0, 120_000.0),
    "itl_ms": (0.5, 5_000.0),
    "tpot_ms": (0.5, 5_000.0),
    "latency_ms": (20.0, 3_600_000.0),
    "total_ms": (20.0, 3_600_000.0),
    "eval_ms": (10.0, 3_600_000.0),
    "prompt_eval_ms": (0.5, 600_000.0),
    "load_ms": (1.0, 600_000.0),
}
# The metrics whose duration a count and a rate in the same row pin down.
_CHECKS = {"eval_ms": ("eval_count", "tokens_per_s"),
           "prompt_eval_ms": ("prompt_eval_count", "prompt_tokens_per_s")}  # fmt: skip


class UnitNote(BaseModel):
    """A unit Chimera decided for a column other than from a plain header, and why."""

    path: str
    column: str
    unit: str  # the unit the values were read in
    reason: str


# The unit of a rate that estimates tokens from characters (h2oGPT's benchmark writes "tokens/sec"
# for its output's characters / 4 a second: no token was counted).
ESTIMATED_TOKENS = "estimated tok/s (output characters / 4 a second)"


def is_estimate(note: UnitNote) -> bool:
    """Whether the note says a column's rate is an estimate, not a count of tokens."""
    return note.unit == ESTIMATED_TOKENS


def unit_name(factor: float) -> str:
    return _NAMES.get(factor, f"x{factor:g} ms")


def _values(records: Mapping[str, np.ndarray], label: str, valid: np.ndarray) -> np.ndarray:
    values = np.asarray(records[f"v:{label}"], dtype=float)[valid]
    with np.errstate(invalid="ignore"):
        return values[np.isfinite(values) & (values > 0)]


def _snap(ratio: float) -> float | None:
    """The candidate factor `ratio` is (within a factor of about 3), else None."""
    if not math.isfinite(ratio) or ratio <= 0:
        return None
    for factor in _CANDIDATES:
        if abs(math.log10(ratio) - math.log10(factor)) < 0.5:
            return factor
    return None


def _from_rows(
    label: str,
    metric: str,
    metrics: Mapping[str, MetricRole],
    records: Mapping[str, np.ndarray],
    valid: np.ndarray,
) -> float | None:
    """The factor count / rate in the same rows implies for a duration column, if any."""
    if metric not in _CHECKS:
        return None
    count_metric, rate_metric = _CHECKS[metric]

    def column(wanted: str) -> str | None:
        for other, role in metrics.items():
            if role.metric == wanted and role.aggregate is None:
                return other
        return None

    count, rate = column(count_metric), column(rate_metric)
    if count is None or rate is None:
        return None
    durations = np.asarray(records[f"v:{label}"], dtype=float)
    counts = np.asarray(records[f"v:{count}"], dtype=float)
    rates = np.asarray(records[f"v:{rate}"], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        usable = valid & (durations > 0) & (counts > 0) & (rates > 0)
        usable &= np.isfinite(durations) & np.isfinite(counts) & np.isfinite(rates)
        if usable.sum() < 1:
            return None
        ratios = (counts[usable] / rates[usable] * 1000.0) / durations[usable]
    return _snap(float(np.median(ratios)))


# Names of a latency that spans the whole request, first token included.
_WHOLE_REQUEST = ("request", "e2e", "end_to_end")
# The share of rows a unit must keep at least as long as their TTFT to be weighed.
_NOT_BELOW_TTFT = 0.9


def _not_below_ttft(
    label: str,
    metrics: Mapping[str, MetricRole],
    records: Mapping[str, np.ndarray],
    valid: np.ndarray,
) -> tuple[float, ...]:
    """The candidate units under which a whole request's latency is, in nearly every row, no
    shorter than the row's TTFT (stated in its name); () when nothing tells."""
    if metrics[label].metric != "latency_ms" or not any(w in label.lower() for w in _WHOLE_REQUEST):
        return ()
    ttft = next(
        (
            other
            for other, role in metrics.items()
            if role.metric == "ttft_ms" and role.aggregate is None and role.factor is not None
        ),
        None,
    )
    if ttft is None or metrics[label].aggregate is not None:
        return ()
    latencies = np.asarray(records[f"v:{label}"], dtype=float)
    firsts = np.asarray(records[f"v:{ttft}"], dtype=float) * (metrics[ttft].factor or 1.0)
    with np.errstate(invalid="ignore"):
        both = valid & np.isfinite(latencies) & np.isfinite(firsts) & (latencies > 0)
        both &= firsts > 0
    if not both.any():
        return ()
    return tuple(
        factor
        for factor in _CANDIDATES
        if float((latencies[both] * factor >= firsts[both]).mean()) >= _NOT_BELOW_TTFT
    )


def _plausible(metric: str, values: np.ndarray, candidates: tuple[float, ...]) -> float:
    """The candidate under which most values fall where `metric` is plausible."""
    low, high = _PLAUSIBLE_MS.get(metric, (0.1, 3_600_000.0))
    best, best_share = candidates[0], -1.0
    for factor in candidates:
        scaled = values * factor
        share = float(((scaled >= low) & (scaled <= high)).mean()) if values.size else 0.0
        if share > best_share:
            best, best_share = factor, share
    return best


def _span(values: np.ndarray) -> str:
    return f"{values.min():.6g}-{values.max():.6g}" if values.size else "none"


def _note(path: str, label: str, factor: float, reason: str) -> UnitNote:
    return UnitNote(path=path, column=label, unit=unit_name(factor), reason=reason)


def decide_units(
    path: str,
    metrics: Mapping[str, MetricRole],
    records: Mapping[str, np.ndarray],
    valid: np.ndarray,
) -> tuple[dict[str, float], list[UnitNote]]:
    """Per metric column the factor to milliseconds (1 for non-time metrics), and notes."""
    factors: dict[str, float] = {}
    notes: list[UnitNote] = []
    open_labels: list[str] = []  # time columns no row of their own decided
    corrections: dict[tuple[str, float | None], float] = {}  # (declared by, factor) -> k
    unstated: set[float] = set()  # units the rows proved for columns whose names state none
    for label, role in metrics.items():
        if role.metric not in _PLAUSIBLE_MS:
            factors[label] = role.factor if role.factor is not None else 1.0
            continue
        declared = role.factor
        measured = _from_rows(label, role.metric, metrics, records, valid)
        if measured is None:
            open_labels.append(label)
            continue
        factors[label] = measured
        if declared is None:
            unstated.add(measured)
            reason = (
                f"unit not in the name; the rows' token counts and rates say {unit_name(measured)}"
            )
            notes.append(_note(path, label, measured, reason))
        elif measured != declared:
            corrections[(role.unit, declared)] = measured / declared
            said = "Ollama's API definition" if role.unit == "definition" else "the column name"
            reason = (
                f"{said} says {unit_name(declared)}, but the rows' token counts and rates say "
                f"{unit_name(measured)}"
            )
            notes.append(_note(path, label, measured, reason))
    for label in open_labels:
        role = metrics[label]
        values = _values(records, label, valid)
        correction = corrections.get((role.unit, role.factor))
        if role.factor is not None and correction is not None:
            factor = role.factor * correction
            reason = (
                f"declared {unit_name(role.factor)} like the file's other times, which its "
                f"rows' token counts and rates prove to be {unit_name(factor)}"
            )
            notes.append(_note(path, label, factor, reason))
        elif role.factor is None and len(unstated) == 1:
            # KoboldCpp's GenerationTime is proved seconds by GenAmount / GenerationSpeed; its
            # ProcessingTime beside it (no prompt count to prove it) was "plausible only as
            # ms" (3.12 ms for 8,092 tokens): one file writes its unnamed times one way.
            factor = next(iter(unstated))
            reason = (
                f"unit not in the name; read as {unit_name(factor)} like the file's other "
                f"times whose names state none, which its rows' token counts and rates prove"
            )
            notes.append(_note(path, label, factor, reason))
        elif role.factor is None:
            after_ttft = _not_below_ttft(label, metrics, records, valid)
            factor = _plausible(role.metric, values, after_ttft or _CANDIDATES)
            what = role.metric.removesuffix("_ms")
            reason = (
                f"unit not in the name; its values ({_span(values)}) are plausible for {what} "
                f"only as {unit_name(factor)}"
            )
            if after_ttft and 1.0 not in after_ttft:
                reason = (
                    f"unit not in the name; as ms its values ({_span(values)}) would end the "
                    f"requests before their first token: read as {unit_name(factor)}"
                )
            notes.append(_note(path, label, factor, reason))
        elif role.unit == "definition" and values.size and values.max() < 1000:
            # Below a microsecond as ns: not Ollama's raw nanoseconds but converted figures.
            factor = _plausible(role.metric, values, (1000.0, 1.0))
            reason = (
                f"Ollama's API gives nanoseconds, but values of at most {values.max():.6g} "
                f"cannot be (a call under a microsecond): read as {unit_name(factor)}, where "
                "they are plausible"
            )
            notes.append(_note(path, label, factor, reason))
        else:
            factor = role.factor
        factors[label] = factor
    return factors, notes


# Rates a script divided by the whole request's time, not by their own phase's (tedsluis'
# ollama_performance_test.py: prompt_eval_count / total_duration and eval_count /
# total_duration, "Prompt Tok/s" 1.74 for 17 prompt tokens in a 9.8 s request).
PROMPT_OVER_REQUEST = "prompt tokens / the whole request's time (no prompt-processing rate)"
OUTPUT_OVER_REQUEST = "output tokens / the whole request's time (load and prompt included)"
_RATE_COUNTS = {"prompt_tokens_per_s": "prompt_eval_count", "tokens_per_s": "eval_count"}
_REQUEST_TIMES = ("latency_ms", "total_ms")
_SAME_TIME = 0.05  # count / rate within 5 % of the row's request time (rates rounded to 0.01)
_MIN_ROWS = 3


def whole_request_rates(
    frame: pd.DataFrame, metrics: Mapping[str, MetricRole], path: str
) -> list[UnitNote]:
    """The rate columns that are a token count over the row's whole request time: on every
    row (three at least) stating the count, the rate and the request's latency, count / rate
    is that latency. A prompt is evaluated in a fraction of its request, so a prompt rate
    that spans the request is prompt tokens over the request, never prompt processing; an
    output rate beside it, the same count over the same time, counts the model's load and
    the prompt's evaluation too. An output rate alone is not judged so: where the prompt and
    the load take no time, a true generation rate spans the request as well."""

    def numbers(label: str) -> np.ndarray:
        return pd.to_numeric(frame[label], errors="coerce").to_numpy(dtype=float)

    times = [
        (label, role)
        for label, role in metrics.items()
        if role.metric in _REQUEST_TIMES and role.factor and label in frame
    ]
    if not times:
        return []
    time_label, time_role = times[0]
    request_s = numbers(time_label) * float(time_role.factor or 0.0) / 1000.0
    spanning: dict[str, str] = {}  # rate's metric -> its label
    for rate_metric, count_metric in _RATE_COUNTS.items():
        rates = [lb for lb, role in metrics.items() if role.metric == rate_metric and lb in frame]
        counts = [lb for lb, role in metrics.items() if role.metric == count_metric and lb in frame]
        if len(rates) != 1 or len(counts) != 1:
            continue
        rate, count = numbers(rates[0]), numbers(counts[0])
        valid = (rate > 0) & (count > 0) & (request_s > 0)
        if int(valid.sum()) < _MIN_ROWS:
            continue
        implied = count[valid] / rate[valid]
        if np.all(np.abs(implied - request_s[valid]) <= _SAME_TIME * request_s[valid]):
            spanning[rate_metric] = rates[0]
    if "prompt_tokens_per_s" not in spanning:
        return []
    reason = f"on each row, {{}} / {{}} is {time_label}, the whole request's time"
    notes = [
        UnitNote(path=path, column=str(spanning["prompt_tokens_per_s"]), unit=PROMPT_OVER_REQUEST,
                 reason=reason.format("its prompt tokens", "this rate"))
    ]  # fmt: skip
    if "tokens_per_s" in spanning:
        notes.append(
            UnitNote(path=path, column=str(spanning["tokens_per_s"]), unit=OUTPUT_OVER_REQUEST,
                     reason=reason.format("its output tokens", "this rate"))
        )  # fmt: skip
    return notes
