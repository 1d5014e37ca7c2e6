"""A team's notes against its own measurements: each claim checked, both figures shown.

The digest reads claims out of the folder's Markdown notes (`ingest.digest.claims`). Here
each is matched with what the data measured for the same setting (its levels, or the
lowest and highest measured) and model (or every model that measured the setting):

- an effect ("raising num_ctx from 2048 to 8192 costs about 10 %") with the measured change
  per model, and whether the claimed range holds for each;
- a null ("temperature does not move tok/s") with the setting's verdicts;
- a model's rate ("over 200 tok/s") with its measured mean, and where that disagrees and
  the runs come from several files (sessions), with the session the note matches; a rate of
  a model no file measured that is, to its last digit, one figure of another model's, with
  that model's figure (a note crediting one model's run to another).

One finding per note, its claims in the note's order; a claim the data cannot speak to
(no such setting or model measured) is left out rather than called true or false.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from chimera.findings.difference import Comparison, compare
from chimera.findings.finding import Finding
from chimera.findings.measured import TTFT, Measured, fmt
from chimera.findings.settings_effects import Effect
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.claims import ABOUT, NoteClaim

_MAX_CLAIMS = 4  # checked claims a note's finding states


def _level(levels: list[tuple[Any, Measured]], wanted: float) -> Measured | None:
    for level, m in levels:
        try:
            if float(level) == wanted:
                return m
        except (TypeError, ValueError):
            continue
    return None


def _measured_change(effect: Effect, claim: NoteClaim) -> Comparison | None:
    """The change from the claim's first level to its last (or lowest to highest)."""
    levels = effect.levels
    if len(claim.levels) >= 2:
        low, high = _level(levels, claim.levels[0]), _level(levels, claim.levels[-1])
    elif len(claim.levels) == 1:
        low, high = levels[0][1], _level(levels, claim.levels[0])
    else:
        low, high = levels[0][1], levels[-1][1]
    if low is None or high is None or low is high:
        return None
    return compare(high, low, claim.metric)


# A figure written without "about" still stands for what rounds to it: -0.6 % holds for
# -0.7 %, 1.5x for 1.54x.
EXACT_SLACK_PCT = 0.5
EXACT_SLACK_RATIO = 0.05


def _holds(claim: NoteClaim, c: Comparison) -> bool:
    low, high = claim.low or 0.0, claim.high if claim.high is not None else float("inf")
    slack = EXACT_SLACK_RATIO if claim.unit == "x" else EXACT_SLACK_PCT
    low, high = max(0.0, low - slack), high + slack
    if claim.unit == "x":
        return low <= c.ratio <= high
    signed_ok = claim.direction == 0 or (c.change < 0) == (claim.direction < 0)
    return signed_ok and low <= abs(c.change) <= high


def _shown(c: Comparison, unit: str) -> str:
    return f"{c.ratio:.2f}x" if unit == "x" else f"{c.change:+.1f} %"


def _claimed(claim: NoteClaim) -> str:
    if claim.low is None:
        return ""
    if claim.high is None:
        return f"over {claim.low:.2f}x" if claim.unit == "x" else f"over {claim.low:.1f} %"
    if claim.unit == "x":
        return f"{claim.low:.2f}-{claim.high:.2f}x"
    return (
        f"{claim.low:.1f}-{claim.high:.1f} %" if claim.high != claim.low else f"{claim.low:.1f} %"
    )


def _effect_claim(
    claim: NoteClaim, found: Sequence[Effect]
) -> tuple[str, list[KnownFigure]] | None:
    relevant = [e for e in found if e.setting == claim.setting and (claim.model in (None, e.model))]
    checked = []
    for e in relevant:
        c = _measured_change(e, claim)
        if c is not None:
            checked.append((e, c))
    if not checked:
        return None
    if claim.kind == "null":
        moved = [(e, c) for e, c in checked if c.verdict == "real"]
        listing = "; ".join(
            f"{e.subject} {_shown(c, '%')} ({c.spread_words()})" for e, c in checked
        )
        verdict = (
            "the data agrees"
            if not moved
            else f"the data disagrees for {len(moved)} of {len(checked)}"
        )
        text = f"{_quote(claim)}: {verdict} ({listing})"
        agrees = not moved
    else:
        holds = [(e, c) for e, c in checked if _holds(claim, c)]
        listing = "; ".join(f"{e.subject} {_shown(c, claim.unit)}" for e, c in checked)
        what = "TTFT" if claim.metric == TTFT else "throughput"
        agrees = len(holds) == len(checked)
        if agrees:
            verdict = f"the data agrees ({what}: {listing})"
        elif not holds:
            verdict = f"the data disagrees: it shows {listing} ({what})"
        else:
            verdict = (
                f"true for {len(holds)} of {len(checked)} models: the data shows {listing} ({what})"
            )
        text = f"{_quote(claim)} (read as {_claimed(claim)}): {verdict}"
    figures = []
    for e, c in checked:
        figures.append(KnownFigure(value=c.change, unit="%", metric=claim.metric, statistic="pct",
                                   context={"model": e.model}, source=f"finding: {claim.setting} "
                                   f"change on {e.subject}"))  # fmt: skip
        if claim.unit == "x":
            figures.append(
                KnownFigure(
                    value=c.ratio,
                    unit="x",
                    metric=claim.metric,
                    statistic="ratio",
                    context={"model": e.model},
                    source=f"finding: {claim.setting} ratio on {e.subject}",
                )  # fmt: skip
            )
    return text, figures, agrees


def _quote(claim: NoteClaim) -> str:
    words = " ".join(claim.text.replace("`", "").replace("*", "").split())
    if len(words) > 140:
        words = words[:137] + "..."
    return f'"{words}"'


def _about(claim: NoteClaim) -> bool:
    """Whether the claim's range is one figure the note gave as "about" it (read widened by
    ABOUT on each side, see `claims`)."""
    if claim.low is None or claim.high is None or claim.low <= 0:
        return False
    return math.isclose(claim.high / claim.low, (1 + ABOUT) / (1 - ABOUT))


def _rate_claim(
    claim: NoteClaim, setups: Sequence[Measured], sessions: Sequence[Measured] = ()
) -> tuple[str, list[KnownFigure], bool] | None:
    mine = [m for m in setups if m.model == claim.model and claim.metric in m.metrics]
    if claim.setting and claim.at is not None:
        mine = [m for m in mine if _equal(m.params.get(claim.setting), claim.at)]
    elif claim.baseline:
        mine = [m for m in mine if not m.params]
    if not mine:
        if any(m.model == claim.model for m in setups):
            return None
        return _another_models_figure(claim, setups)
    low = claim.low or 0.0
    high = claim.high if claim.high is not None else float("inf")
    values = [(m, m.metrics[claim.metric].mean) for m in mine]
    # 10 % of slack around a figure as written; "about 60 tok/s" is already read as 45-75
    # (42.2 tok/s was "the data agrees" with it)
    about = _about(claim)
    slack = 0.0 if about else 0.1
    inside = [(m, v) for m, v in values if low * (1 - slack) <= v <= high * (1 + slack)]
    lo_v, hi_v = min(v for _, v in values), max(v for _, v in values)
    span = fmt(lo_v) if lo_v == hi_v else f"{fmt(lo_v)}-{fmt(hi_v)}"
    where = "its setup" if len(values) == 1 else f"its {len(values)} matching setups"
    best = hi_v if claim.metric != "ttft_ms" else lo_v
    if len(inside) == len(values):
        verdict = "the data agrees"
    elif claim.high == claim.low and abs(best - low) <= 0.01 * max(low, 1e-9):
        verdict = "the data agrees for its best setup only"  # a note quoting its best figure
    elif inside:
        within = f"{ABOUT * 100:.0f} %" if about else "10 %"  # "around 90": 67.5-112.5
        verdict = f"{len(inside)} of {len(values)} setups measured within {within} of it"
    else:
        verdict = "the data disagrees"
    figures = [m.figure(claim.metric) for m, _ in values[:6]]
    if (
        not inside
        and len(values) == 1
        and (session := _session_near(claim, values[0][0], sessions, low, high))
    ):
        # A note written from one session's runs, the folder holding others too (a report
        # of the 15:14 run beside the 03:22 and 16:45 runs): checked against its session.
        own, mean = session
        figures.append(own.figure(claim.metric))
        verdict = (f"the data agrees with one session, {own.file} ({claim.model}: {fmt(mean)} "
                   f"tok/s there; {span} tok/s over the runs of every file)")  # fmt: skip
        return f"{_quote(claim)}: {verdict}", figures, True
    if not inside and len(values) == 1:
        files = _sessions(claim, values[0][0], sessions)
        if len(files) >= 2:
            # a mean pooling sessions (gzhang33's gemma3:4b: Chinese prompts in two, English
            # in a third at half the rate) is no figure to set a claim against: each is said
            shown = sorted(files, key=lambda f: -f[1])[:_MAX_SESSIONS]
            figures += [own.figure(claim.metric) for own, _ in shown]
            listed = ", ".join(f"{fmt(mean)} tok/s in {own.file}" for own, mean in shown)
            more = f" and {len(files) - len(shown)} more" if len(files) > len(shown) else ""
            verdict = (f"the data disagrees with each of its {len(files)} sessions "
                       f"({claim.model}: {listed}{more}; {span} tok/s over the runs of every "
                       "file)")  # fmt: skip
            return f"{_quote(claim)}: {verdict}", figures, False
    if not inside and (runs := _runs_around(claim, mine, low, high)) is not None:
        # a note of one run (ChimeraForge's per-run agent reports beside their metrics.json):
        # its figure is one of the runs, not their mean, and no disagreement
        n, lo_run, hi_run = runs
        verdict = (
            f"within the spread of its runs, not near their mean ({claim.model}: runs of "
            f"{fmt(lo_run)}-{fmt(hi_run)} tok/s, n={n}; {span} tok/s over {where})"
        )
        return f"{_quote(claim)}: {verdict}", figures, True
    verdict += f" ({claim.model}: {span} tok/s over {where})"
    return f"{_quote(claim)}: {verdict}", figures, verdict.startswith("the data agrees")


# A note quoting one run rounds it: its figure stands within this share of the runs' range.
_RUN_ROUNDING = 0.005


def _runs_around(
    claim: NoteClaim, mine: Sequence[Measured], low: float, high: float
) -> tuple[int, float, float] | None:
    """Where the claim is one figure (or a range) inside the spread of the runs of its
    setups (their least and most), the runs' count and that spread; else None. A figure
    of many runs' means is no run's: only per-run statistics count."""
    stats = [s for m in mine if (s := m.metrics[claim.metric]).aggregate is None and s.n > 1]
    if not stats or high == float("inf"):
        return None
    lo_run, hi_run = min(s.min for s in stats), max(s.max for s in stats)
    if lo_run * (1 - _RUN_ROUNDING) <= low and high <= hi_run * (1 + _RUN_ROUNDING):
        return sum(s.n for s in stats), lo_run, hi_run
    return None


# A claimed figure is matched with another model's measured one only where it is this
# precise (19,787 tok/s; not "over 200 tok/s"): a coincidence of fewer digits proves nothing.
_MATCHED_DIGITS = 4


def _written_unit(value: float) -> float:
    """One unit of the last digit a figure writes (19787.0: 1; 19787.63: 0.01)."""
    for places in range(0, 4):
        if abs(round(value, places) - value) <= 1e-9 * max(abs(value), 1.0):
            return 10.0**-places
    return 1e-4


def _another_models_figure(
    claim: NoteClaim, setups: Sequence[Measured]
) -> tuple[str, list[KnownFigure], bool] | None:
    """A note's rate for a model no file measured, that is to its last written digit one
    other model's measured figure (a workload's or a setup's): the note credits that model's
    run to the one it names (shaamil101-etched/trtllm-benchmarks: "Llama 3.1 8B | 1x H100 |
    19,787 tok/sec", the 70B's TP-8 run at input 128 / output 1024, 19,787.63 tok/s). None
    where no single figure is it: the claim is left unchecked."""
    if claim.model is None or claim.low is None or claim.high != claim.low:
        return None
    claimed = claim.low
    if claimed <= 0 or math.floor(math.log10(claimed)) + 1 < _MATCHED_DIGITS:
        return None
    unit = _written_unit(claimed)
    found: list[tuple[Measured, str | None, float]] = []
    for m in setups:
        if m.model is None or claim.metric not in m.metrics:
            continue
        values = [(None, m.metrics[claim.metric].mean)]
        values += [(w, c[claim.metric].mean) for w, c in m.cells.items() if claim.metric in c]
        # truncated or rounded to the digits the note writes
        found += [(m, w, v) for w, v in values if -unit / 2 <= v - claimed < unit]
    if len({(m.label, m.where, v) for m, _, v in found}) != 1:
        return None
    m, workload, value = next((f for f in found if f[1] is not None), found[0])
    at = f" at {workload}" if workload else ""
    figure = m.figure(claim.metric, value=value)
    if workload:
        figure.context["workload"] = workload
    verdict = (
        f"no file measured {claim.model}; the figure is {m.subject}'s{at} "
        f"({fmt(value)} tok/s{f', {m.config}' if m.config else ''})"
    )
    return f"{_quote(claim)}: {verdict}", [figure], False


def _session_near(
    claim: NoteClaim, setup: Measured, sessions: Sequence[Measured], low: float, high: float
) -> tuple[Measured, float] | None:
    """The file (a session) of the setup's model and scope whose own mean is nearest the
    claim, within 10 % of it, where the setup's runs come from several files; else None."""
    files = _sessions(claim, setup, sessions)
    near = [(s, mean) for s, mean in files if low * 0.9 <= mean <= high * 1.1]
    if len(files) < 2 or not near:
        return None
    middle = (low + high) / 2 if high != float("inf") else low
    return min(near, key=lambda found: abs(found[1] - middle))


_MAX_SESSIONS = 4  # sessions a disagreeing claim's verdict names one by one


def _sessions(
    claim: NoteClaim, setup: Measured, sessions: Sequence[Measured]
) -> list[tuple[Measured, float]]:
    """The files (sessions) of the setup's model and scope, each with its own mean."""
    return [
        (s, s.metrics[claim.metric].mean)
        for s in sessions
        if s.model == claim.model and s.scope == setup.scope and claim.metric in s.metrics
    ]


def _equal(value: object, wanted: float) -> bool:
    try:
        return float(value) == wanted  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def notes_against_data(
    claims: Sequence[NoteClaim],
    found: Sequence[Effect],
    setups: Sequence[Measured],
    sessions: Sequence[Measured] = (),
) -> list[Finding]:
    """One finding per note: its claims, each with what the data measured (a model's rate
    also against each file's runs of it, `sessions`, where the note matches only one)."""
    by_note: dict[str, list[NoteClaim]] = defaultdict(list)
    for claim in claims:
        by_note[claim.path].append(claim)
    out = []
    for path, note in sorted(by_note.items()):
        lines: list[str] = []
        figures: list[KnownFigure] = []
        disagree = 0
        for claim in note:
            checked = (
                _rate_claim(claim, setups, sessions)
                if claim.kind == "rate"
                else _effect_claim(claim, found)
            )
            if checked is None:
                continue
            text, figs, agrees = checked
            if text in lines:
                continue
            lines.append(text)
            figures += figs
            disagree += not agrees
            if len(lines) >= _MAX_CLAIMS:
                break
        if not lines:
            continue
        text = f"{path} claims, checked against the measurements: " + "; ".join(lines) + "."
        headline = (
            f"{path}: {disagree} of {len(lines)} checked claims disagree with the data, in "
            "whole or in part"
            if disagree
            else f"{path}: its {len(lines)} checked claims agree with the data"
        )
        out.append(
            Finding(
                id="",
                kind="notes_vs_data",  # type: ignore[arg-type]
                title=f"notes in {path}",
                text=text,
                headline=headline,
                figures=figures,
                sources=[path],
                verdict="info",
                importance=58.0 if disagree else 28.0,
            )
        )
    return out
