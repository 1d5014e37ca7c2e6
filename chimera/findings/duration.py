"""Durations as an engineer writes them: every finding and report renderer formats a time here.

The data keeps its times in ms (the digest converts s and ns); only the text changes unit.
Below ten seconds a time reads in ms ("812.40 ms"), from ten seconds in seconds ("84.29 s",
"2377.00 s"), never in minutes: benchmark files state their times in ms or s, and a reader
checks a figure against them. A figure printed in seconds still traces to the data, whose
figures are in ms: the figures check converts a written s to ms
(`chimera.grounding.vocabulary.CONVERSIONS`) and matches it to the digits written.

Several times of one sentence, compared side by side (a ladder of levels, a range), share a
unit where they can: all in seconds when the longest is ten seconds or more and the shortest
at least one ("9.50 s at num_ctx=2048, 19.15 s at num_ctx=8192"); otherwise each reads as
alone. A range has one unit for both ends, seconds only where both would be one or more. A time
whole in the unit shown is printed whole, as files write it ("1024 ms", "3877 s", not
"1024.00 ms"); times side by side print whole only where every one is, else all keep two
decimals.

`same_times` tells a line that differs from another only in how a time is written: how
`chimera verify` reads a report written before times read in seconds ("13294.03 ms" where
today's rendering says "13.29 s") as Chimera's own line, not an edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chimera.findings.measured import fmt_all

SECONDS_FROM_MS = 10_000.0  # a time of ten seconds or more reads in seconds
_SHARED_SECONDS_FROM_MS = 1_000.0  # in a shared unit, the shortest must still be >= 1 s


def _in_seconds(values: Sequence[float]) -> bool:
    """Whether times compared in one sentence all read in seconds."""
    sizes = [abs(v) for v in values]
    return max(sizes) >= SECONDS_FROM_MS and min(sizes) >= _SHARED_SECONDS_FROM_MS


def duration(ms: float) -> str:
    """One time: '812.40 ms', '84.29 s', '1024 ms'."""
    if abs(ms) >= SECONDS_FROM_MS:
        return f"{fmt_all([ms / 1000])[0]} s"
    return f"{fmt_all([ms])[0]} ms"


def durations(values_ms: Sequence[float]) -> list[str]:
    """Times compared side by side: one unit for all where it reads ('370 s', '427 s'),
    else each as `duration` writes it."""
    shared = bool(values_ms) and _in_seconds(values_ms)
    units = ["s" if shared or abs(v) >= SECONDS_FROM_MS else "ms" for v in values_ms]
    shown = fmt_all([v / 1000 if u == "s" else v for v, u in zip(values_ms, units, strict=True)])
    return [f"{v} {u}" for v, u in zip(shown, units, strict=True)]


def duration_range(low_ms: float, high_ms: float) -> str:
    """A range with its unit once: '9.50-19.15 s', '412.00-980.50 ms', '412-980 ms'."""
    if _in_seconds((low_ms, high_ms)):
        low, high = fmt_all([low_ms / 1000, high_ms / 1000])
        return f"{low}-{high} s"
    low, high = fmt_all([low_ms, high_ms])
    return f"{low}-{high} ms"


# A time as written after a number: "13294.03 ms", "84.29 s", "18,920.00 ms".
_TIME = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?) (ms|s)\b")


def time_shape(line: str) -> str | None:
    """The line with each time replaced by '#' (None when it states no time): two lines of
    one shape differ in their times only."""
    if " ms" not in line and " s" not in line:  # most lines: no regex
        return None
    shape, found = _TIME.subn("#", line)
    return shape if found else None


def same_times(written: str, rendered: str) -> bool:
    """Whether `written` is `rendered` with its times written in another unit: each of its
    times, in `rendered`'s unit and to its digits, is `rendered`'s ("13294.03 ms" is
    "13.29 s"; "13251.00 ms" is not)."""
    if time_shape(written) != time_shape(rendered):
        return False
    for w, r in zip(_TIME.finditer(written), _TIME.finditer(rendered), strict=True):
        value_ms = float(w.group(1).replace(",", "")) * (1000.0 if w.group(2) == "s" else 1.0)
        shown = r.group(1).replace(",", "")
        digits = len(shown.split(".")[1]) if "." in shown else 0
        in_unit = value_ms / (1000.0 if r.group(2) == "s" else 1.0)
        if abs(in_unit - float(shown)) > 0.5 * 10.0**-digits + 1e-9:
            return False
    return True
