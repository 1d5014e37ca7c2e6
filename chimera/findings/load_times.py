"""How long the model takes to load, by setting, where every call loaded it.

A benchmark that unloads the model before each call (keep_alive=0, an explicit unload)
measures the load itself: rohilrao's five models at num_ctx 8192, 32768 and 65536, every
row a load, asked what num_ctx costs in load time. Elsewhere a load is the odd call out,
set apart (`run_health.cold_rows`); here it is the measurement, and no other finding
looked at it. Per model and setting, with the other settings held (`settings_effects.
effects`), the median load at each level; a difference is stated where every load at one
level took longer than every load at the other, or than the other's median by at least
`_MATERIAL` (a first-ever read from disk pulls a level's mean and range: means and their
spread are not used).
"""

from __future__ import annotations

from collections.abc import Sequence

from chimera.findings.duration import duration, duration_range, durations
from chimera.findings.finding import Finding
from chimera.findings.measured import LOAD, Measured
from chimera.findings.settings_effects import effects, level_text
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest

# A difference of medians worth stating where the loads' ranges overlap.
_MATERIAL = 1.10
# Loads a level needs for a median and a range to mean anything.
_MIN_LOADS = 3


def _sort_key(value: object) -> tuple[int, object]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def load_times(digest: DataDigest, setups: Sequence[Measured]) -> list[Finding]:
    """A finding per model and setting whose levels' loads were each a load."""
    every = {c.path for c in digest.cold_rows if c.every_row_loaded}
    if not every:
        return []
    loaded = [m for m in setups if LOAD in m.metrics and set(m.metrics[LOAD].sources) <= every]
    found, _ = effects(loaded, LOAD)
    out = []
    for e in found:
        levels = sorted(e.levels, key=lambda lm: _sort_key(lm[0]))
        stats = [(lvl, m, m.metrics[LOAD]) for lvl, m in levels]
        if min(st.n for _, _, st in stats) < _MIN_LOADS:
            continue  # one load a level has no median or range to judge by
        counts = {s.n for _, _, s in stats}
        n = (
            f"n={counts.pop()} each"
            if len(counts) == 1
            else "n=" + "/".join(str(s.n) for _, _, s in stats)
        )
        medians = durations([s.median for _, _, s in stats])
        series = ", ".join(
            f"{median} at {level_text(e.setting, lvl)}"
            for median, (lvl, _, _) in zip(medians, stats, strict=True)
        )
        short = min(stats, key=lambda x: x[2].median)
        long = max(stats, key=lambda x: x[2].median)
        at_long, at_short = level_text(e.setting, long[0]), level_text(e.setting, short[0])
        ratio = long[2].median / short[2].median if short[2].median > 0 else 0.0
        size = (
            f"{ratio:.1f}x the median"
            if ratio >= 2
            else f"{100 * (ratio - 1):+.1f} % on the median"
        )
        # Every load apart; or every load at one level above the other's median, by enough to
        # matter: one first-ever read from disk (19.15 s among 9.5-9.8 s) overlaps the ranges.
        apart = long[2].min > short[2].max and ratio > 1
        mostly = not apart and long[2].min > short[2].median and ratio >= _MATERIAL
        if apart:
            verdict_text = (
                f"every load at {at_long} took longer than every load at {at_short}: {size}"
            )
        elif mostly:
            verdict_text = (
                # the statistic beside its figure ("whose longest is"), not before a bracket:
                # a reader and the figures check take "(19.15 s)" for a median like the rest
                f"every load at {at_long} took longer than the median load at {at_short}, whose "
                f"longest is {duration(short[2].max)} and stands out from the rest: {size}"
            )
        else:
            verdict_text = (
                f"the loads at {at_long} ({duration_range(long[2].min, long[2].max)}) and "
                f"{at_short} ({duration_range(short[2].min, short[2].max)}) overlap, so no "
                "difference is clear"
            )
        held = (
            f"; {', '.join(f'{k}={v}' for k, v in sorted(e.fixed.items()))} held fixed"
            if e.fixed
            else ""
        )
        text = (
            f"On {e.subject}, where every call loaded the model, the median load is {series} "
            f"({n}{held}): {verdict_text}."
        )
        figures: list[KnownFigure] = []
        for _, m, _ in stats:
            figures += [m.figure(LOAD, "median"), m.figure(LOAD, "min"), m.figure(LOAD, "max")]
        out.append(
            Finding(
                id="",
                kind="setting_effect",
                title=f"{e.setting} on {e.subject} (load time)",
                text=text,
                headline=(
                    f"{at_long} loads {e.subject} slower than {at_short} ({size})"
                    if apart or mostly
                    else f"{e.setting} on {e.subject}: no clear difference in load time"
                ),
                figures=figures,
                groups=[m.label for _, m, _ in stats],
                sources=sorted({src for _, m, _ in stats for src in m.sources}),
                verdict="real" if apart else "info",
                caveats=["loads compared by their medians and ranges, not means"],
                importance=45.0 if apart else 35.0 if mostly else 15.0,
            )
        )
    return out
