"""What each setting does, within one model on one machine and engine, the others fixed.

For a model as measured on one machine and engine (its *subject*), and a setting (num_gpu,
num_ctx, temperature, n_ubatch, ...), its setups are grouped by their other settings; the
group with the most levels of the setting is compared, so only the setting differs. The
fastest level is compared with the slowest (`compare`: repetitions, paired prompts or
tests), for generation and for prompt processing where both were measured. A difference
within the spread is said as a measured null ("no measurable effect: the data rules out
more than ±3 %"), not left out. num_gpu levels that all put every layer on the GPU are one
placement, said so, not compared as settings. Then, per setting, the models of one machine
side by side, and each subject's fastest config with its margin over the runner-up; a
recommendation names only settings whose own effect on that subject is real. The levels of
one swept workload setting (concurrency, depth) whose fastest config is the same are one
finding, with the range of its rates and margins (`_said_once`); levels whose winners
differ stay apart. A setup stating no settings is a config only where it stands for the
defaults (`stands_for_defaults`).

A real effect over paired workloads that is none on some of them and large on others is
said as uneven, with where (more KV cache: nothing at 1-50 prompts, 2.16x at 200). The rest
of a heading that states a setting (`heading`) is held fixed, never compared as a setting;
configs of one file that differ only in their names are said to (`named_only`), not
compared.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from chimera.findings import placement
from chimera.findings.difference import SMALL_CHANGE, Comparison, compare, prompt_noise
from chimera.findings.duration import durations
from chimera.findings.finding import Finding, Recommendation
from chimera.findings.layers import all_on_gpu, blocks
from chimera.findings.measured import (
    MAX_MODELS_NAMED,
    PROMPT_RATE,
    THROUGHPUT,
    TTFT,
    Measured,
    fmt,
    model_words,
    named,
    rate,
    setting_value,
    settings_text,
    stands_for_defaults,
)
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.identity import HEADING_REST, is_reported_outcome
from chimera.ingest.digest.table import NO_SETTINGS

# A benchmark's workload, not a setting to serve with: llama-bench's prompt and generation
# lengths, the context depth they start at, the requests in flight, the request rate a
# serving benchmark offers (more load buys throughput with latency). A best config is one of
# a workload.
WORKLOAD = frozenset({"n_prompt", "n_gen", "n_depth", "concurrency", "request_rate"})
# The load a serving benchmark offers (requests in flight, requests per second).
_OFFERED_LOAD = frozenset({"concurrency", "request_rate"})
# Settings whose levels are not a dial to turn for speed: they are compared, not recommended.
_NOT_RECOMMENDED = frozenset({"seed", "num_predict"}) | WORKLOAD
# Settings that change what the model computes: a recommendation of one for speed says that
# its accuracy, which a speed benchmark does not measure, is the reader's to check.
_LOSSY = ("quantization", "kv_cache_dtype")


def quality_words(settings: Iterable[str]) -> str:
    """'; quantization changes the model's accuracy, ...' where a recommended setting does."""
    lossy = [s for s in _LOSSY if s in settings]
    if not lossy:
        return ""
    verb = "changes" if len(lossy) == 1 else "change"
    return (
        f"; {' and '.join(lossy)} {verb} the model's accuracy, which these runs do not "
        "measure: check the output's quality before switching"
    )


RATE_WORDS = {THROUGHPUT: "throughput", PROMPT_RATE: "prompt processing"}


@dataclass(frozen=True)
class Effect:
    """One setting compared within one subject on one rate: the levels and the verdict."""

    subject: str  # the model, with its machine where the data has several
    model: str
    setting: str
    metric: str
    levels: list[tuple[Any, Measured]]  # sorted by level
    fixed: dict[str, Any]
    comparison: Comparison  # fastest level against slowest
    fastest: tuple[Any, Measured]
    slowest: tuple[Any, Measured]
    noise: tuple[float, float] | None = None  # the subject's prompt-to-prompt spread
    # the fastest level over the slowest in each combination of the other settings where
    # both were measured (dLoRA's router at each of six request rates)
    across: tuple[float, ...] = ()

    @property
    def real(self) -> bool:
        return self.comparison.verdict == "real"


def _level_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def _pick_levels(group: list[Measured], setting: str, metric: str) -> list[tuple[Any, Measured]]:
    """One setup per level: from the file that measured most levels, else the most runs."""
    by_level: dict[Any, list[Measured]] = defaultdict(list)
    for m in group:
        by_level[m.params[setting]].append(m)
    coverage: dict[str, set[Any]] = defaultdict(set)
    for level, ms in by_level.items():
        for m in ms:
            for src in m.sources:
                coverage[src].add(level)
    best_file = max(coverage, key=lambda f: (len(coverage[f]), f), default=None)
    chosen = []
    for level, ms in by_level.items():
        pool = [m for m in ms if best_file in m.sources] or ms
        chosen.append((level, max(pool, key=lambda m: (m.metrics[metric].n, m.label))))
    return sorted(chosen, key=lambda item: _level_key(item[0]))


def _strata(having: list[Measured], setting: str) -> dict[tuple, list[Measured]]:
    strata: dict[tuple[tuple[str, str], ...], list[Measured]] = defaultdict(list)
    for m in having:
        others = tuple(sorted((k, setting_value(v)) for k, v in m.params.items() if k != setting))
        strata[others].append(m)
    return strata


def by_subject(setups: Iterable[Measured], metric: str) -> dict[tuple, list[Measured]]:
    """Setups with `metric`, per (model, machine, engine)."""
    grouped: dict[tuple, list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model and metric in m.metrics:
            grouped[(m.model, m.machine or "", m.engine or "")].append(m)
    return dict(sorted(grouped.items()))


def effects(
    setups: Sequence[Measured], metric: str = THROUGHPUT
) -> tuple[list[Effect], list[tuple[str, str, int]]]:
    """Every comparable (subject, setting) on `metric`, and the (subject, setting, levels)
    whose levels differ in other settings too."""
    found: list[Effect] = []
    blocked: list[tuple[str, str, int]] = []
    for ms in by_subject(setups, metric).values():
        subject, model = ms[0].subject, ms[0].model or ""
        noise = prompt_noise(ms, metric)
        names = sorted({k for m in ms for k in m.params} - {HEADING_REST})
        groups = [
            group
            for name in names
            for group in _per_workload(name, [m for m in ms if name in m.params], metric)
        ]
        for setting, having, held in groups:
            if len({setting_value(m.params[setting]) for m in having}) < 2:
                continue
            # The other settings held where most levels were measured, most often; between
            # equals, where the model runs fastest: the effect that matters to its tuning.
            best = max(
                _strata(having, setting).values(),
                key=lambda g: (
                    len({m.params[setting] for m in g}),
                    sum(m.metrics[metric].n for m in g),
                    max(m.metrics[metric].mean for m in g),
                ),
            )
            if len({m.params[setting] for m in best}) < 2:
                blocked.append((subject, setting, len({m.params[setting] for m in having})))
                continue
            chosen = _pick_levels(best, setting, metric)
            fastest = max(chosen, key=lambda lm: lm[1].metrics[metric].mean)
            slowest = min(
                (lm for lm in chosen if lm[0] != fastest[0]),
                key=lambda lm: lm[1].metrics[metric].mean,
            )
            comparison = compare(
                fastest[1], slowest[1], metric, noise, across_workloads=setting in WORKLOAD
            )
            if comparison is None:
                continue
            fixed = {k: v for k, v in chosen[0][1].params.items() if k != setting} | held
            found.append(
                Effect(
                    subject,
                    model,
                    setting,
                    metric,
                    chosen,
                    fixed,
                    comparison,
                    fastest,
                    slowest,
                    noise,
                    _across(having, setting, metric, fastest[0], slowest[0]),
                )  # fmt: skip
            )
    return found, blocked


def _per_workload(
    setting: str, having: list[Measured], metric: str
) -> list[tuple[str, list[Measured], dict[str, Any]]]:
    """The setups to compare a setting over, and what they hold fixed beyond their settings.
    An offered load (request rate, concurrency) compared across workloads is compared as the
    workloads are (`compare`'s `across_workloads`: each side's runs as they are), so where
    the levels ran different workloads (SGLang's sweep of random 1024/1024 at 1-16 req/s and
    of sharegpt at 4 and 8 only) a level's mean would pool them, unlike the next level's:
    the load is then compared within each workload, that workload held fixed."""
    if setting not in _OFFERED_LOAD or not all(_cells_cover(m, metric) for m in having):
        return [(setting, having, {})]  # runs of no recorded workload: nothing to split by
    ran: dict[str, set[str]] = defaultdict(set)  # level -> the workloads it ran
    for m in having:
        ran[setting_value(m.params[setting])] |= {w for w in m.cells if metric in m.cells[w]}
    workloads = sorted(set().union(*ran.values()))
    if len(workloads) < 2 or all(r == ran[next(iter(ran))] for r in ran.values()):
        return [(setting, having, {})]  # every level ran every workload: like for like
    return [
        (
            setting,
            [
                replace(m, metrics=dict(m.cells[w]), cells={w: m.cells[w]})
                for m in having
                if metric in m.cells.get(w, {})
            ],
            {"workload": w},
        )
        for w in workloads
    ]


def _cells_cover(m: Measured, metric: str) -> bool:
    """Whether every run of the setup has its workload recorded (its cells hold them all)."""
    return sum(c[metric].n for c in m.cells.values() if metric in c) == m.metrics[metric].n


def _across(
    having: list[Measured], setting: str, metric: str, fast: Any, slow: Any
) -> tuple[float, ...]:
    """The `fast` level's mean over the `slow` level's in each combination of the other
    settings where both were measured."""
    ratios = []
    for group in _strata(having, setting).values():
        at = {m.params[setting]: m for m in group}
        a, b = at.get(fast), at.get(slow)
        if a is not None and b is not None and b.metrics[metric].mean > 0:
            ratios.append(a.metrics[metric].mean / b.metrics[metric].mean)
    return tuple(ratios)


# Combinations of the other settings that make a direction worth saying without a verdict.
_MIN_ACROSS = 3


def _across_words(effect: Effect) -> str:
    """' Over the 6 combinations of the other settings where both were measured,
    routing_strategy=least_loaded is faster than routing_strategy=static at every one
    (1.09-1.56x) ...' where the comparison itself has no verdict; '' where too few
    combinations hold both levels."""
    ratios = effect.across
    if len(ratios) < _MIN_ACROSS:
        return ""
    s = effect.setting
    small = SMALL_CHANGE / 100
    ahead = sum(r > 1 + small for r in ratios)
    behind = sum(r < 1 - small for r in ratios)
    n = len(ratios)
    fast, slow = level_text(s, effect.fastest[0]), level_text(s, effect.slowest[0])
    where = f" Over the {n} combinations of the other settings where both were measured, "
    span = f"({min(ratios):.2f}-{max(ratios):.2f}x)"
    if ahead == n:
        return (
            f"{where}{fast} is faster than {slow} at every one {span}: the same direction "
            "every time, each a single comparison with no spread to test."
        )
    if ahead == behind == 0:
        return f"{where}{fast} and {slow} are within {SMALL_CHANGE:g} % of each other at every one."
    return (
        f"{where}{fast} is faster than {slow} at {ahead}, slower at {behind} and within "
        f"{SMALL_CHANGE:g} % at {n - ahead - behind} {span}: no consistent direction."
    )


def _across_figures(effect: Effect) -> list[KnownFigure]:
    """The least and the largest ratio `_across_words` states."""
    return [
        KnownFigure(value=value, unit="x", metric=effect.metric, statistic="ratio",
                    kind=f"{effect.metric} ratio", context={"model": effect.model},
                    source=f"finding: {effect.setting} levels' ratio over the other settings")
        for value in (min(effect.across), max(effect.across))
    ]  # fmt: skip


def _reported_words(setting: str) -> str:
    """Why a figure the engine reported is no setting: the two configurations differ in
    settings their results do not state (dennislee22's start-up logs do: 0.25 and 0.5)."""
    return (
        f" {setting} is a figure the engine reported, not a setting anyone set: it follows from"
        " settings these results do not state (for vLLM, gpu_memory_utilization and"
        ' max_model_len, which its start-up log lists under "non-default args") and the GPU,'
        " so this compares two configurations that differ in something unstated, not the"
        " effect of a setting."
    )


def level_text(setting: str, level: Any) -> str:
    text = f"{setting}={setting_value(level)}"
    return text + " (CPU only)" if setting == "num_gpu" and level == 0 else text


def times_or_pct(comparison: Comparison, other: str = "") -> str:
    """'2.3x as fast (as OTHER)' above a ratio of 2, else '12.4 % faster (than OTHER)'."""
    if comparison.ratio >= 2:
        return f"{comparison.ratio:.1f}x as fast" + (f" as {other}" if other else "")
    change = comparison.change
    if round(abs(change), 1) == 0:
        return "as fast" + (f" as {other}" if other else "")  # not "0.0 % faster"
    word = "faster" if change >= 0 else "slower"
    return f"{abs(change):.1f} % {word}" + (f" than {other}" if other else "")


def null_words(comparison: Comparison, what: str) -> str:
    """'no measurable effect on throughput: the data rules out more than ±3.1 %', or, where
    the spread rules out little, that the runs are too few to tell."""
    c = comparison
    if c.tight:
        return f"no measurable effect on {what}: the data rules out more than ±{c.bound:.1f} %"
    if c.null:
        limit = f" (too few runs to rule out more than ±{c.bound:.0f} %)" if c.bound else ""
        return f"no measurable effect on {what}: the levels differ by {abs(c.change):.1f} %{limit}"
    return f"no verdict on {what}: {c.spread_words()}"


def _one_placement(effect: Effect) -> bool:
    """num_gpu levels that all put every layer of the model on the GPU."""
    return effect.setting == "num_gpu" and all(
        all_on_gpu(effect.model, level) for level, _ in effect.levels
    )


def sides_context(side: str, versus: str) -> dict[str, str]:
    """A ratio's or share's two sides as its finding writes them ("num_gpu=99" against
    "num_gpu=0"): a sentence naming both states it, whatever it leaves out (the figures
    check's own-comparison rule)."""
    return {"side": side, "versus": versus}


def change_figures(
    c: Comparison, about: Measured, sides: tuple[str, str] | None = None
) -> list[KnownFigure]:
    """A comparison's own figures: the change in percent and the ratio (of `about`, the
    first side, against the second; `sides` as the finding writes them)."""
    where = about.label
    context = {"model": about.model or ""} | (sides_context(*sides) if sides else {})
    figures = [
        KnownFigure(value=c.change, unit="%", metric=c.metric, statistic="pct",
                    context=context, kind=f"{c.metric} pct",
                    source=f"finding: {c.metric} change, {where}"),
        KnownFigure(value=c.ratio, unit="x", metric=c.metric, statistic="ratio",
                    context=context, kind=f"{c.metric} ratio",
                    source=f"finding: {c.metric} ratio, {where}"),
    ]  # fmt: skip
    if sides and c.low is not None and c.high is not None and c.bound is not None:
        # the interval the sentence states ("anywhere from -11 % to +28 %", "rules out
        # more than ±21 %"): computed here, from nothing else it cites
        figures += [
            KnownFigure(value=v, unit="%", metric=c.metric, statistic="interval",
                        context=context, kind=f"{c.metric} interval",
                        source=f"finding: {c.metric} {name}, {where}")
            for v, name in ((c.low, "interval low"), (c.high, "interval high"),
                            (c.bound, "largest change allowed"))
        ]  # fmt: skip
    return figures


def _level_means(effect: Effect) -> list[float]:
    """Each level's mean as the headline states the fastest and slowest: where they are
    compared over the prompts both ran and every level ran just those, each level's mean of
    its per-prompt means there (mlx-aukejw's int4 at 111.72 tok/s over the 7 prompt lengths
    bfloat16 ran, then "All levels: ... 111.20 at int4" over all its runs, in one finding).
    Elsewhere each level's mean over its runs."""
    metric, c = effect.metric, effect.comparison
    means = [m.metrics[metric].mean for _, m in effect.levels]
    if c.design != "paired":
        return means
    ran = [{w for w, cell in m.cells.items() if metric in cell} for _, m in effect.levels]
    fast, slow = effect.fastest[1], effect.slowest[1]
    both = {w for w, cell in fast.cells.items() if metric in cell} & {
        w for w, cell in slow.cells.items() if metric in cell
    }
    if set.intersection(*ran) != both:
        return means
    # fsum: the set's order changes with the process's string hashes, a plain sum's last digit
    # with it (aukejw's level means differed from one run of Chimera to the next)
    return [math.fsum(m.cells[w][metric].mean for w in both) / len(both) for _, m in effect.levels]


def _figures(effect: Effect) -> list[KnownFigure]:
    figures = [m.figure(effect.metric) for _, m in effect.levels]
    if effect.comparison.design == "paired":  # each level over the prompts all ran
        figures += [
            m.figure(effect.metric, value=mean, statistic="mean")
            for (_, m), mean in zip(effect.levels, _level_means(effect), strict=True)
        ]
    fast, slow = effect.fastest[1], effect.slowest[1]
    figures += [fast.figure(effect.metric, "n"), slow.figure(effect.metric, "n")]
    c = effect.comparison
    s = effect.setting
    sides = (f"{s}={setting_value(effect.fastest[0])}", f"{s}={setting_value(effect.slowest[0])}")
    figures += change_figures(c, fast, sides)
    if c.design == "paired":  # the like-for-like means over the prompts both ran
        figures += [
            fast.figure(effect.metric, value=c.a, statistic="mean"),
            slow.figure(effect.metric, value=c.b, statistic="mean"),
        ]
    return figures


# A real paired effect is said as uneven where its largest per-workload ratio is this much
# the smallest and some workload shows none (within SMALL_CHANGE): more KV cache does
# nothing at 1-50 requests in flight, then up to 2.16x at 200.
UNEVEN = 1.5


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _short_workloads(workloads: Sequence[str]) -> dict[str, str]:
    """Each workload by the words that tell it from the others ("num-prompts=200")."""
    words = [w.split() for w in workloads]
    shared = set.intersection(*(set(ws) for ws in words)) if words else set()
    return {
        w: " ".join(x for x in ws if x not in shared) or w
        for w, ws in zip(workloads, words, strict=True)
    }


def _uneven_sentence(effect: Effect) -> tuple[str, list[KnownFigure]]:
    """Where a real effect over paired workloads is none on some and large on others, which:
    its mean over them would hide both."""
    c, metric = effect.comparison, effect.metric
    if c.design != "paired" or not c.real:
        return "", []
    fast, slow = effect.fastest[1], effect.slowest[1]
    ratios = {
        w: fast.cells[w][metric].mean / slow.cells[w][metric].mean
        for w in fast.cells
        if metric in fast.cells[w]
        and metric in slow.cells.get(w, {})
        and fast.cells[w][metric].mean > 0
        and slow.cells[w][metric].mean > 0
    }
    if len(ratios) < 3:
        return "", []
    names = _short_workloads(sorted(ratios))
    flat = sorted((w for w, r in ratios.items() if abs(r - 1) * 100 <= SMALL_CHANGE),
                  key=lambda w: _natural(names[w]))  # fmt: skip
    top = max(ratios, key=lambda w: ratios[w])
    if not flat or ratios[top] < UNEVEN * min(ratios.values()):
        return "", []
    text = (
        f" The change is not even over the {len(ratios)} {c.noun} both ran: none (within "
        f"{SMALL_CHANGE:g} %) at {named([names[w] for w in flat])}, up to {ratios[top]:.2f}x at "
        f"{names[top]} ({rate(fast.cells[top][metric].mean, metric)} against "
        f"{rate(slow.cells[top][metric].mean, metric)})."
    )
    context = {"model": fast.model or "", "workload": top}
    figures = [
        KnownFigure(value=ratios[top], unit="x", metric=metric, statistic="ratio",
                    context=context, kind=f"{metric} ratio",
                    source=f"finding: {metric} ratio at {top}, {fast.label}"),
        fast.figure(metric, value=fast.cells[top][metric].mean, statistic="mean"),
        slow.figure(metric, value=slow.cells[top][metric].mean, statistic="mean"),
    ]  # fmt: skip
    return text, figures


def _ttft_sentence(effect: Effect) -> tuple[str, list[KnownFigure]]:
    pairs = [(lvl, m) for lvl, m in effect.levels if TTFT in m.metrics]
    if len(pairs) < 2 or effect.metric != THROUGHPUT:
        return "", []
    first, last = pairs[0], pairs[-1]
    c = compare(last[1], first[1], TTFT, effect.noise if effect.metric == TTFT else None)
    if c is None or not (c.real or c.null):
        return "", []  # a TTFT difference the runs cannot judge is not worth a sentence
    fixed = settings_text(effect.fixed)
    held = f"; {fixed} held fixed" if fixed else ""
    verdict = c.spread_words() if c.verdict == "real" else null_words(c, "TTFT")
    at_first, at_last = durations([c.b, c.a])
    # the means are over the workloads both ran: say which ("538.25 s at Q2" is over five
    # prompt lengths of 1024 to 32768 tokens, not a typical request's wait)
    over = f" over the {c.workloads} {c.noun} both ran" if c.design == "paired" else ""
    text = (
        f" Mean TTFT{over} is {at_first} at {level_text(effect.setting, first[0])} and "
        f"{at_last} at {level_text(effect.setting, last[0])} "
        f"({abs(c.change):.1f} % {'higher' if c.change > 0 else 'lower'}{held}; {verdict})."
    )
    if at_first == at_last:  # not "(0.0 % lower; ... rules out more than ±0.0 %)"
        text = (
            f" Mean TTFT{over} is {at_first} at both {level_text(effect.setting, first[0])} "
            f"and {level_text(effect.setting, last[0])}"
            + (f" ({fixed} held fixed)." if fixed else ".")
        )
    figures = [
        first[1].figure(TTFT, value=c.b, statistic="mean"),
        last[1].figure(TTFT, value=c.a, statistic="mean"),
        *change_figures(c, last[1]),
    ]
    return text, figures


def _per_request(effect: Effect, fast_level: Any, slow_level: Any) -> str:
    """Where a lower concurrency is the faster and the rate is each row's own (a column not
    named a throughput): the rates are per request, and the server's total is not compared."""
    if effect.setting != "concurrency" or effect.metric not in RATE_WORDS:
        return ""
    try:
        lower_is_faster = float(fast_level) < float(slow_level)
    except (TypeError, ValueError):
        return ""
    column = effect.slowest[1].metrics[effect.metric].column.lower()
    if not lower_is_faster or "throughput" in column:
        return ""
    return (
        f" These are rates per request: at {level_text('concurrency', slow_level)} the "
        "requests share the server, so its total throughput is not compared here."
    )


# A server's cap on the requests it batches: it binds only where more are in flight.
_SERVER_CAPS = frozenset({"max_num_seqs"})


def _cap_never_binds(effect: Effect) -> str:
    """' With at most 2 requests in flight ...' where every level of a server's batch cap is
    at or above the client's concurrency (er0080: max_num_seqs 4 against 8 at
    max_concurrency=2, read as a 28.9 % gain): the cap never binds, so a difference between
    its levels is something else (run order, a cold first run)."""
    levels = [lvl for lvl, _ in effect.levels]
    return _cap_words(effect.setting, effect.fixed.get("concurrency"), levels)


def _cap_words(setting: str, inflight: Any, levels: list[Any]) -> str:
    """`_cap_never_binds`'s sentence for `setting` at `levels` with `inflight` requests."""
    if setting not in _SERVER_CAPS or not isinstance(inflight, int | float):
        return ""
    if not all(isinstance(lvl, int | float) and lvl >= inflight for lvl in levels):
        return ""
    return (
        f" With at most {setting_value(inflight)} requests in flight, every {setting} "
        f"here ({', '.join(setting_value(lvl) for lvl in levels)}) is at or above it: the cap "
        "never binds, so the levels cannot differ by it."
    )


def effect_finding(effect: Effect) -> Finding:
    """A finding for one effect: real, a measured null, one placement, or no verdict."""
    s, c = effect.setting, effect.comparison
    fast_level, _ = effect.fastest
    slow_level, _ = effect.slowest
    fixed = settings_text(effect.fixed)
    held = f"; {fixed} held fixed" if fixed else ""
    what = RATE_WORDS[effect.metric]
    level_means = _level_means(effect)
    series = ", ".join(
        f"{rate(mean, effect.metric)} at {level_text(s, lvl)}"
        for (lvl, _), mean in zip(effect.levels, level_means, strict=True)
    )
    if _one_placement(effect):
        levels = ", ".join(setting_value(lvl) for lvl, _ in effect.levels)
        count = blocks(effect.model)
        why = (
            f"the model has {count} layers and an output layer"
            if count is not None
            else "-1 and values of 99 or more mean every layer"
        )
        text = (
            f"On {effect.subject}, num_gpu {levels} all put every layer on the GPU ({why}): "
            "one placement "
            f"measured {len(effect.levels)} times, {what} {series} ({c.counts()}{held}); "
            + (
                f"they differ {c.spread_words()}, so something else changed between the runs."
                if c.real
                else f"{null_words(c, what)}."
            )
        )
        return Finding(
            id="", kind="same_placement", title=f"num_gpu on {effect.subject} ({what})",
            text=text, headline=f"num_gpu {levels} are one placement on {effect.subject}",
            figures=_figures(effect), groups=[m.label for _, m in effect.levels],
            sources=sorted({src for _, m in effect.levels for src in m.sources}),
            # a null only where the runs measured one; one run a level measured nothing
            verdict="no measurable effect" if c.null else "info",
            caveats=["levels at or above the layer count are one placement"],
            importance=18.0,
        )  # fmt: skip
    uneven_text, uneven_figures = _uneven_sentence(effect)
    if c.real:
        spread = c.spread_words()
        if uneven_text and c.design == "paired":  # not "consistent": the next sentence says how
            spread = f"beyond the prompt-to-prompt spread over the {c.workloads} {c.noun} both ran"
        fast_words, slow_words = level_text(s, fast_level), f"at {level_text(s, slow_level)}"
        if is_reported_outcome(s):
            fast_words = f"the configuration that reported {fast_words}"
            slow_words = f"for the one that reported {level_text(s, slow_level)}"
        head = (
            f"On {effect.subject}, {fast_words} gives "
            f"{rate(c.a, effect.metric)} against {rate(c.b, effect.metric)} {slow_words}: "
            f"{times_or_pct(c)} ({c.counts()}{held}; {spread})."
        )
        if len(effect.levels) > 2:  # the model and what was held, so each figure has its setup
            fixed_words = f", {fixed}" if fixed else ""
            head += f" All levels on {effect.subject}{fixed_words}: {series}."
        per_request = _per_request(effect, fast_level, slow_level)
        head += per_request
        if is_reported_outcome(s):
            head += _reported_words(s)
        if s in _OFFERED_LOAD and _level_key(fast_level) > _level_key(slow_level):
            # "request_rate=inf ... 4.8x as fast" read as a faster way to serve: it is the
            # load offered, which buys total throughput with each request's wait.
            head += (
                f" {s} is the load the benchmark offered, not a server setting: more load buys "
                "total throughput at the cost of each request's latency."
            )
        verdict = "real"
        importance = 60.0 + min(abs(c.change), 200.0) / 5
        other = level_text(s, slow_level)
        headline = (
            f"{level_text(s, fast_level)} is {times_or_pct(c, other)} for {what}"
            f"{' per request' if per_request else ''} on {effect.subject}"
        )
        if is_reported_outcome(s):
            headline = (
                f"The config reporting {level_text(s, fast_level)} is "
                f"{times_or_pct(c, f'the one reporting {setting_value(slow_level)}')}"
                f" for {what} on {effect.subject} (a reported figure, not a setting)"
            )
    elif c.null:
        shown = series
        if c.design == "paired" and len(effect.levels) == 2:
            # the like-for-like means the change is of, not each level's mean over its own
            # prompts (2052 against 1730 tok/s beside "the levels differ by 1.0 %")
            shown = (
                f"{rate(c.a, effect.metric)} at {level_text(s, fast_level)}, "
                f"{rate(c.b, effect.metric)} at {level_text(s, slow_level)} over the "
                f"{c.workloads} {c.noun} both ran"
            )
        head = f"On {effect.subject}, {s} has {null_words(c, what)} ({shown}; {c.counts()}{held})."
        if is_reported_outcome(s):
            head = (
                f"On {effect.subject}, configurations that differ in the {s} the engine reported"
                f" show {null_words(c, what)} ({shown}; {c.counts()}{held})." + _reported_words(s)
            )
        verdict = "no measurable effect"
        importance = 24.0 if s in ("temperature", "top_p", "top_k", "seed") else 20.0
        headline = f"{s} has no measurable effect on {what} on {effect.subject}"
        if is_reported_outcome(s):
            headline = (
                f"Configs reporting other {s} show no measurable {what} change on {effect.subject}"
            )
    else:
        head = f"On {effect.subject}, {what} is {series} ({c.counts()}{held}): {c.spread_words()}."
        across = _across_words(effect)
        head += across
        if across:
            uneven_figures = [*uneven_figures, *_across_figures(effect)]
        verdict = "not comparable"
        importance = 8.0
        headline = f"{s} on {effect.subject}: too few runs to tell"
    ttft_text, ttft_figures = _ttft_sentence(effect)
    head += _cap_never_binds(effect)
    fit_text, fit_figures = placement.levels_sentence(
        effect.subject, s, effect.metric, what, effect.levels
    )
    return Finding(
        id="",
        kind="setting_effect",
        title=f"{s} on {effect.subject}"
        + (" (prompt processing)" if effect.metric != THROUGHPUT else "")
        + (" (reported by the engine, not set)" if is_reported_outcome(s) else ""),
        text=head + fit_text + uneven_text + ttft_text,
        headline=headline,
        figures=_figures(effect) + fit_figures + uneven_figures + ttft_figures,
        groups=[m.label for _, m in effect.levels],
        sources=sorted({src for _, m in effect.levels for src in m.sources}),
        verdict=verdict,
        caveats=[] if c.verdict in ("real", "within spread") else ["too few runs for a verdict"],
        importance=importance,
    )


def blocked_finding(subject: str, setting: str, levels: int) -> Finding:
    return Finding(
        id="",
        kind="setting_effect",
        title=f"{setting} on {subject}",
        text=(
            f"On {subject}, {setting} takes {levels} values, but the setups that differ in it "
            "differ in other settings too, so its own effect cannot be separated."
        ),
        verdict="not comparable",
        caveats=["levels differ in other settings too"],
        importance=3.0,
    )


def named_only(setups: Iterable[Measured]) -> list[Finding]:
    """Configs of one subject in one file that differ in nothing but their names (headings
    that state no setting: "Test 6", "Test 7"): what differs is not recorded, so they are
    neither a setting's levels nor repetitions of one setup. Said, not compared."""
    grouped: dict[tuple[str, str, str], list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model and THROUGHPUT in m.metrics and "config" in m.context:
            settings = settings_text(dict(sorted(m.params.items())))
            for source in m.sources:
                grouped[(m.subject, source, settings)].append(m)
    out = []
    seen: set[tuple[str, ...]] = set()
    for (subject, source, settings), ms in sorted(grouped.items()):
        names = sorted({m.config for m in ms if m.config}, key=_natural)
        if len(names) < 2 or (subject, *names) in seen:
            continue
        seen.add((subject, *names))
        stated = (
            f"; they state the same settings ({settings})"
            if settings
            else "; they state no setting"
        )
        out.append(
            Finding(
                id="",
                kind="setting_effect",
                title=f"configurations named only on {subject}",
                text=(
                    f"On {subject}, {len(names)} configurations of {source} differ only in their "
                    f"names ({named(names)}){stated}: what differs between them is not recorded, "
                    "so they are not compared as a setting, nor pooled as repetitions of one "
                    "setup."
                ),
                groups=[m.label for m in ms],
                sources=sorted({src for m in ms for src in m.sources}),
                verdict="not comparable",
                caveats=["what differs between these configurations is not stated"],
                importance=12.0,
            )
        )
    return out


def across_models(found: list[Effect]) -> list[Finding]:
    """Per setting and machine, the models side by side on the two levels they all ran."""
    by_setting: dict[tuple[str, str, str], list[Effect]] = defaultdict(list)
    for e in found:
        if not _one_placement(e):
            scope = e.fastest[1].where
            by_setting[(e.setting, e.metric, scope)].append(e)
    out = []
    for (setting, metric, scope), es in sorted(by_setting.items()):
        if len(es) < 2:
            continue
        common = set.intersection(*({lvl for lvl, _ in e.levels} for e in es))
        if len(common) < 2:
            continue
        low, high = min(common, key=_level_key), max(common, key=_level_key)
        # (size of the change, the model's clause, its figures): the largest are named.
        rows: list[tuple[float, str, list[KnownFigure]]] = []
        # A model whose two levels are within SMALL_CHANGE of each other, with no verdict of a
        # difference, counts as neither faster nor slower: jesuwin25's temperature 1 against
        # 0.7 read "faster for 2 of 3 models" over changes of +0.4 % and +3.1 % (and equal
        # rates read "faster for every model").
        slower, flat, real, nulls = 0, 0, 0, 0
        for e in es:
            levels = dict(e.levels)
            c = compare(
                levels[high], levels[low], metric, e.noise, across_workloads=setting in WORKLOAD
            )
            if c is None or c.verdict == "not like for like":
                # the two levels ran no prompt in common (each test its own max_tokens): the
                # model says nothing of the setting, so it joins no pattern across models
                continue
            if c.verdict != "real" and abs(c.change) <= SMALL_CHANGE:
                flat += 1
            else:
                slower += c.a < c.b
            real += c.verdict == "real"
            nulls += c.null
            fixed = settings_text(e.fixed)
            change = f"{c.ratio:.1f}x" if c.ratio >= 2 else f"{c.change:+.1f} %"
            if change in ("+0.0 %", "-0.0 %"):  # a sign on nothing: the change it rounds off
                change = f"{c.change:+.2f} %" if round(c.change, 2) else "the same"
            clause = (
                f"{model_words(e.model)} {rate(c.a, metric)} vs {rate(c.b, metric)} ({change}"
                + (f"; {fixed}" if fixed else "")
                + ")"
            )
            size = abs(math.log(c.a / c.b)) if c.a > 0 and c.b > 0 else math.inf
            sides = (f"{setting}={setting_value(high)}", f"{setting}={setting_value(low)}")
            rows.append(
                (
                    size,
                    clause,
                    [
                        levels[low].figure(metric, value=c.b, statistic="mean"),
                        levels[high].figure(metric, value=c.a, statistic="mean"),
                        *change_figures(c, levels[high], sides),
                    ],
                )
            )
        n = len(rows)
        # A folder of a thousand models names the largest changes and counts the rest.
        named = (
            rows if n <= MAX_MODELS_NAMED else sorted(rows, key=lambda r: -r[0])[:MAX_MODELS_NAMED]
        )
        parts = [clause for _, clause, _ in named]
        if n > MAX_MODELS_NAMED:
            parts.append(f"and {n - MAX_MODELS_NAMED} more models with smaller changes")
        figures = [f for _, _, figs in named for f in figs]
        if n < 2:
            continue
        if flat:
            figures.append(
                KnownFigure(
                    value=SMALL_CHANGE,
                    unit="%",
                    metric=metric,
                    statistic="threshold",
                    source="finding: the change within which two levels are said alike",
                )
            )
        faster = n - slower - flat
        what = RATE_WORDS[metric]
        where = scope  # " on RTX 3080 with llama.cpp", or " with llama.cpp" alone
        high_text, low_text = f"{setting}={setting_value(high)}", f"{setting}={setting_value(low)}"
        if slower == n or faster == n:
            word = "slower" if slower == n else "faster"
            head = (
                f"{high_text} is {word} than {low_text} in {what} for every model "
                f"measured{where} ({n} of {n})"
            )
        elif flat == n:
            head = (
                f"{high_text} and {low_text} are within {SMALL_CHANGE:g} % of each other in "
                f"{what} for every model measured{where} ({n} of {n})"
            )
        else:
            (k, word), *rest = [
                (k, word)
                for k, word in (
                    (slower, "slower"),
                    (faster, "faster"),
                    (flat, f"within {SMALL_CHANGE:g} %"),
                )
                if k
            ]
            head = (
                f"{high_text} against {low_text} is {word} in {what} for {k} of {n} models{where}"
            )
            head += "".join(
                f"{', ' if i < len(rest) - 1 else ' and '}{word} for {k}"
                for i, (k, word) in enumerate(rest)
            )
        if real == n:
            spread = "each difference beyond its spread"
        elif real == 0 and nulls == n:
            spread = "no difference beyond its spread"
        elif real == 0:
            # Not a null: rohilrao's five models "faster for every model (5 of 5) (no
            # difference beyond its spread)", each too few runs to tell (-43 % to +91 %).
            spread = "no difference beyond its spread, but too few runs to rule one out"
        else:
            spread = f"{real} of {n} differences beyond their spread"
        text = f"Across models, {head}: " + "; ".join(parts) + f" ({spread})."
        text += placement.across_sentence(
            setting, low, high, [(e.model, dict(e.levels)[low], dict(e.levels)[high]) for e in es]
        )
        headline = head
        consistent = slower == n or faster == n
        verdict = (
            "real" if consistent and real == n else "no measurable effect" if nulls == n else "info"
        )
        rec = None
        reported = is_reported_outcome(setting)
        if reported:
            text += _reported_words(setting)
        if (
            verdict == "real"
            and setting not in _NOT_RECOMMENDED
            and not reported
            and metric == THROUGHPUT
        ):
            best = low if slower == n else high
            other = high if best == low else low
            rec = Recommendation(
                id="",
                text=(
                    f"Use {setting}: {setting_value(best)} rather than {setting_value(other)} "
                    f"on the {n} models measured at both{where}: {setting}="
                    f"{setting_value(best)} was faster on every one of them"
                    + (
                        " (raise num_ctx only where prompts need the room)"
                        if setting == "num_ctx" and best == low
                        else ""
                    )
                    + quality_words([setting])
                    + "."
                ),
                change={setting: best},
            )
        out.append(
            Finding(
                id="",
                kind="setting_across_models",
                # the scope in the title too: one such finding per machine, else a dozen
                # findings all titled "temperature across models"
                title=f"{setting} across models"
                + (f" ({what})" if metric != THROUGHPUT else "")
                + where,
                text=text,
                headline=headline,
                figures=figures,
                groups=[e.subject for e in es],
                sources=sorted({src for e in es for _, m in e.levels for src in m.sources}),
                verdict=verdict,
                importance=90.0 if verdict == "real" else 30.0,
                recommendation=rec,
            )
        )
    return out


def distinct_settings(ms: list[Measured], metric: str = THROUGHPUT) -> list[Measured]:
    """One setup per distinct set of settings: from the file that measured most of them
    (one session), else the one with the most runs. The same settings measured in another
    session are not another config."""
    by_settings: dict[str, list[Measured]] = defaultdict(list)
    for m in ms:
        by_settings[settings_text(dict(sorted(m.params.items())))].append(m)
    coverage: dict[str, set[str]] = defaultdict(set)
    for key, group in by_settings.items():
        for m in group:
            for src in m.sources:
                coverage[src].add(key)
    best_file = max(coverage, key=lambda f: (len(coverage[f]), f), default=None)
    chosen = []
    for group in by_settings.values():
        pool = [m for m in group if best_file in m.sources] or group
        chosen.append(
            max(
                pool,
                key=lambda m: (
                    m.metrics[metric].n if metric in m.metrics else 0,
                    m.context.get("config") is not None,
                    m.label,
                ),
            )
        )
    return chosen


def config_name(m: Measured) -> str:
    """A setup as a reader names it: 'gpu80_ctx2048 (num_gpu=80, ...)' or just its settings."""
    settings = settings_text(m.params)
    if "config" not in m.context:  # named by Chimera after its settings
        # no settings and no name: its label is the subject's, which would name it twice
        # ("the fastest config for X is X"); its file says where it ran
        return settings or f"the config of {named(m.sources, 'more files')} ({NO_SETTINGS})"
    named_config = m.config or ""
    if HEADING_REST in m.params:  # a heading that states its settings: said once
        return named_config
    if settings and settings not in named_config:
        return f"{named_config} ({settings})"
    return named_config


def _named_at(at_workload: bool) -> Callable[[Measured], str]:
    """`config_name`, or where a finding names the workload already ("at concurrency=2") a
    config Chimera named after its settings without the workload's."""

    def name(m: Measured) -> str:
        rest = {k: v for k, v in m.params.items() if k not in WORKLOAD}
        if at_workload and "config" not in m.context and rest:
            return settings_text(rest)
        return config_name(m)

    return name


def _other_settings(
    subject: str, others: list[str], params: dict[str, Any], nulls: set[tuple[str, str]]
) -> str:
    """What a recommendation says of the best config's other settings: those measured to do
    nothing, and those never judged on their own (kept as the config has them)."""
    idle = [k for k in others if (subject, k) in nulls]
    unjudged = [f"{k}={setting_value(params[k])}" for k in others if (subject, k) not in nulls]
    text = ""
    if idle:
        verb = "does" if len(idle) == 1 else "do"
        text += f"; {', '.join(idle)} measurably {verb} nothing for speed here"
    if unjudged:
        whose = "its" if len(unjudged) == 1 else "their"
        text += (
            f"; keep {', '.join(unjudged)} as in that config ({whose} own effect was not measured)"
        )
    return text


# The workload a best config's levels are merged over, first to last: the load a serving
# benchmark offers, then llama-bench's depth and lengths.
_SWEPT = ("concurrency", "request_rate", "n_depth", "n_gen", "n_prompt")


@dataclass(frozen=True)
class _Level:
    """One workload's best config, before the levels that name the same winner are merged."""

    subject: str
    workload: dict[str, Any]
    best: Measured
    second: Measured
    comparison: Comparison
    finding: Finding
    rec_others: str  # what its recommendation says of the other settings


def span(low: float, high: float, unit: str = "", digits: int = 2) -> str:
    """'1.23-1.61x', or one figure where both ends are one value ('-8.8 %', never
    '-8.8 % to -8.8 %')."""
    a, b = (fmt(v) if digits == 2 else f"{v:.{digits}f}" for v in (low, high))
    if a == b:
        return f"{a}{unit}"
    if low < 0 or high < 0:  # "-9.0 % to -2.0 %": a dash between negatives misreads
        return f"{a}{unit} to {b}{unit}"
    return f"{a}-{b}{unit}"


def _plain_name(m: Measured) -> str:
    """A config as one level of a sweep names it: its settings without the workload."""
    if "config" in m.context:
        return m.config or m.label
    return settings_text({k: v for k, v in m.params.items() if k not in WORKLOAD}) or m.label


def _joined(values: list[Any]) -> str:
    """'1, 2 and 4'."""
    shown = [setting_value(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _levels_words(key: str, values: list[Any], every: list[Any]) -> str:
    """'at every concurrency measured (8 levels, concurrency=1 to 64)', 'at n_gen=1 to 128
    (8 of the 13 levels measured)', or the levels one by one where they are not a run of the
    sweep."""
    shown = [setting_value(v) for v in values]
    if len(values) == len(every):
        return f"at every {key} measured ({len(values)} levels, {key}={shown[0]} to {shown[-1]})"
    start = every.index(values[0])
    of = f"({len(values)} of the {len(every)} levels measured)"
    if every[start : start + len(values)] == values:
        return f"at {key}={shown[0]} to {shown[-1]} {of}"
    return f"at {key}={_joined(values)} {of}"


def _at(key: str, values: list[Any], swept: list[Any]) -> str:
    """'concurrency=1 to 32' for a run of the sweep, else 'concurrency=48 and 64'."""
    start = swept.index(values[0])
    if len(values) > 2 and swept[start : start + len(values)] == values:
        return f"{key}={setting_value(values[0])} to {setting_value(values[-1])}"
    return f"{key}={_joined(values)}"


def _rate_range(key: str, levels: list[_Level]) -> str:
    """'from 103.80 tok/s at concurrency=1 to 5271.00 tok/s at concurrency=64': each end
    beside the level it was measured at, or one rate where both ends print alike."""
    ranked = sorted(levels, key=lambda lv: lv.best.metrics[THROUGHPUT].mean)
    low, high = ranked[0], ranked[-1]
    a, b = fmt(low.best.metrics[THROUGHPUT].mean), fmt(high.best.metrics[THROUGHPUT].mean)
    if a == b:
        return f"{a} tok/s"
    return (
        f"from {a} tok/s at {key}={setting_value(low.workload[key])} to {b} tok/s at "
        f"{key}={setting_value(high.workload[key])}"
    )


def _said_once(levels: list[_Level]) -> list[Finding]:
    """The levels' findings, those of one subject and workload but one swept setting
    (concurrency, depth) whose fastest config is the same merged into one finding with the
    range of its rates and margins: eight "best config at concurrency=N" findings that all
    name NVFP4 are one fact. Levels whose winners differ stay apart."""
    out: list[Finding] = []
    left = list(levels)
    for key in _SWEPT:
        groups: dict[tuple[str, str, str], list[_Level]] = defaultdict(list)
        every: dict[tuple[str, str], set[Any]] = defaultdict(set)
        for lv in left:
            if key not in lv.workload:
                continue
            rest = settings_text({k: v for k, v in lv.workload.items() if k != key})
            winner = _plain_name(lv.best)
            groups[(lv.subject, rest, winner)].append(lv)
            every[(lv.subject, rest)].add(lv.workload[key])
        merged: set[int] = set()
        for (subject, rest, _), group in groups.items():
            if len({lv.workload[key] for lv in group}) < 2:
                continue
            group.sort(key=lambda lv: _level_key(lv.workload[key]))
            swept = sorted(every[(subject, rest)], key=_level_key)
            out.append(_merged(subject, rest, key, group, swept))
            merged |= {id(lv) for lv in group}
        left = [lv for lv in left if id(lv) not in merged]
    return out + [lv.finding for lv in left]


def _merged(subject: str, rest: str, key: str, group: list[_Level], swept: list[Any]) -> Finding:
    """One finding for the levels of `key` whose fastest config is the same."""
    at = f" at {rest}" if rest else ""
    values = [lv.workload[key] for lv in group]
    where = _levels_words(key, values, swept)
    first = group[0]
    winner = _plain_name(first.best)
    rates = _rate_range(key, group)
    margins = [abs(lv.comparison.change) for lv in group]
    by_count: dict[str, list[Any]] = defaultdict(list)
    for lv in group:
        a, b = lv.best.metrics[THROUGHPUT].n, lv.second.metrics[THROUGHPUT].n
        by_count[f"n={a} each" if a == b else f"n={a} and {b}"].append(lv.workload[key])
    # each count with the levels it is of: a figure traces only beside its own setup
    counts = (
        next(iter(by_count))
        if len(by_count) == 1
        else "; ".join(f"{n} at {_at(key, vs, swept)}" for n, vs in by_count.items())
    )
    runners: dict[str, list[Any]] = defaultdict(list)
    for lv in group:
        runners[_plain_name(lv.second)].append(lv.workload[key])
    if len(runners) == 1:
        runner = f"the runner-up {next(iter(runners))}"
    else:
        each = [f"{name} at {key}={_joined(vs)}" for name, vs in runners.items()]
        runner = f"the runner-up at each ({'; '.join(each)})"
    verdicts: dict[str, list[Any]] = defaultdict(list)
    for lv in group:
        c = lv.comparison
        words = (
            "a real margin (beyond the run-to-run spread)"
            if c.real
            else "within the spread, so either will do"
            if c.null
            else "too few runs for a verdict"
        )
        verdicts[words].append(lv.workload[key])
    if len(verdicts) == 1:
        judged = f"{next(iter(verdicts))} at each"
    else:
        judged = "; ".join(f"{words} at {key}={_joined(vs)}" for words, vs in verdicts.items())
    text = (
        f"{where[0].upper()}{where[1:]}, the fastest config for {subject}{at} is {winner}: "
        f"{rates} ({counts}), {span(min(margins), max(margins), ' %', 1)} faster than {runner}"
        f"; {judged}."
    )
    every_real = all(lv.comparison.real for lv in group)
    start = swept.index(values[0])
    run = swept[start : start + len(values)] == values  # a run of the sweep, or some levels
    title_levels = (
        f"{key}={setting_value(values[0])} to {setting_value(values[-1])}"
        if run
        else f"{key}={_joined(values)}"
    )
    recs = [lv for lv in group if lv.finding.recommendation is not None]
    rec = None
    if recs:
        change = recs[0].finding.recommendation.change  # type: ignore[union-attr]
        rec_margins = [abs(lv.comparison.change) for lv in recs]
        rec_where = _levels_words(key, [lv.workload[key] for lv in recs], swept)
        rec_runners = {_plain_name(lv.second) for lv in recs}
        faster = (
            f"; {span(min(rec_margins), max(rec_margins), ' %', 1)} faster than the runner-up"
            + (f" {next(iter(rec_runners))}" if len(rec_runners) == 1 else "")
            if all(lv.comparison.real for lv in recs)
            else "; at some of them tied with the runner-up, where either will do"
        )
        rec = Recommendation(
            id="",
            text=(
                f"For {subject}{at} {rec_where}, use "
                + ", ".join(f"{k}: {setting_value(v)}" for k, v in change.items())
                + f", the fastest: {_rate_range(key, recs)}{faster}"
                + recs[0].rec_others
                + quality_words(change)
                + "."
            ),
            change=change,
            model=first.best.model,
            figures=[f for lv in recs for f in lv.finding.recommendation.figures],  # type: ignore[union-attr]
        )
    return Finding(
        id="",
        kind="best_config",
        title=f"best config for {subject}{at} at {title_levels}",
        text=text,
        headline=f"Fastest config for {subject}{at} {where}: {winner}, {rates}"
        + ("" if every_real else " (its margin not shown real at every level)"),
        figures=[f for lv in group for f in lv.finding.figures],
        groups=list(dict.fromkeys(g for lv in group for g in lv.finding.groups)),
        sources=sorted({s for lv in group for s in lv.finding.sources}),
        verdict="real"
        if every_real
        else "no measurable effect"
        if all(lv.comparison.null for lv in group)
        else "info"
        if any(lv.comparison.real for lv in group)
        else "not comparable",
        importance=max(lv.finding.importance for lv in group),
        recommendation=rec,
    )


def best_configs(
    setups: Iterable[Measured],
    found: Sequence[Effect] = (),
    measured_in: dict[str, frozenset[str]] | None = None,
) -> list[Finding]:
    """Each subject's fastest config and its margin over the runner-up, per workload (a
    tg128 at depth 4096 is not a slower config than a tg128 at depth 0). Its
    recommendation names only the settings whose own effect on the subject is real. A setup
    that states no settings is a config (the defaults) only where `stands_for_defaults`."""
    real_settings = {(e.subject, e.setting) for e in found if e.real and not _one_placement(e)}
    # Settings whose own effect on throughput was measured and is none: only those "do
    # nothing"; a setting held at one level, or varied only with another, was never judged.
    null_settings = {
        (e.subject, e.setting) for e in found if e.metric == THROUGHPUT and e.comparison.null
    }
    grouped: dict[tuple[str, str], list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model and THROUGHPUT in m.metrics:
            workload = settings_text({k: v for k, v in m.params.items() if k in WORKLOAD})
            grouped[(m.subject, workload)].append(m)
    out = []
    noise = {
        ms[0].subject: prompt_noise(ms, THROUGHPUT)
        for ms in by_subject(setups, THROUGHPUT).values()
    }
    levels: list[_Level] = []
    for (subject, workload), ms in sorted(grouped.items()):
        at = f" at {workload}" if workload else ""
        stated = [m for m in ms if m.config != NO_SETTINGS]
        ms = [
            m
            for m in ms
            if m.config != NO_SETTINGS or stands_for_defaults(m, stated, measured_in or {})
        ]
        ms = distinct_settings(ms)
        if len(ms) < 2:
            continue
        ranked = sorted(ms, key=lambda m: (-m.metrics[THROUGHPUT].mean, m.label))
        best, second = ranked[0], ranked[1]
        c = compare(best, second, THROUGHPUT, noise.get(subject))
        if c is None:
            continue
        # the workload is said once, in "at ...": er0080's "the fastest config for opt-125m at
        # request_rate=inf, concurrency=2 is request_rate=inf, concurrency=2, max_num_seqs=8"
        name = _named_at(bool(workload))
        what, runner = name(best), name(second)
        tail_note = (
            "" if set(best.sources) & set(second.sources) else " (measured in different files)"
        )
        if c.verdict == "real":
            tail = f"a real margin, {c.spread_words()}"
        elif c.null:
            tail = f"{c.spread_words()}, so either will do"
        else:
            tail = c.spread_words()
        a, b = best.metrics[THROUGHPUT], second.metrics[THROUGHPUT]
        # "the fastest is": after the runner-up's figures, a bare "60.5 % faster" read as
        # the runner-up's
        like = (
            f"; over the {c.workloads} {c.noun} both ran the fastest is {abs(c.change):.1f} % "
            f"{'faster' if c.change >= 0 else 'slower'}"
            if c.design == "paired"
            else f"; the fastest is {abs(c.change):.1f} % {'faster' if c.change >= 0 else 'slower'}"
        )
        if f"{abs(c.change):.1f}" == "0.0":  # not "0.0 % faster"
            same = fmt(a.mean) == fmt(b.mean)
            like = (
                "; the two rates are the same"
                if same
                else "; the two rates differ by less than a tenth of a percent"
            )
        text = (
            f"The fastest config for {subject}{at} is {what} at {fmt(a.mean)} tok/s (n={a.n}); "
            f"the runner-up {runner} at {fmt(b.mean)} tok/s (n={b.n}){tail_note}{like} "
            f"({c.counts()}); {len(ms)} configs measured; {tail}."
        )
        spill_text, spill_figures = placement.best_config_words(
            best, [m for m in ms if m is not best], THROUGHPUT, name
        )
        second_text, second_figures = placement.runner_up_words(best, second, name)
        text += spill_text + second_text
        # er0080: the best config and its runner-up differ only in a batch cap above the
        # requests in flight; the setting's own finding says it cannot matter, so does this
        apart = {
            k for k in {*best.params, *second.params} if best.params.get(k) != second.params.get(k)
        }
        unbound = ""
        if len(apart) == 1:
            (cap,) = apart
            both = [best.params.get(cap), second.params.get(cap)]
            if all(isinstance(v, int | float) for v in both):
                unbound = _cap_words(cap, best.params.get("concurrency"), sorted(both))
        text += unbound
        change = {
            k: v
            for k, v in best.params.items()
            if k not in _NOT_RECOMMENDED
            and (subject, k) in real_settings
            and not is_reported_outcome(k)  # nobody can set what the engine reported
        }
        rec = None
        if change and (c.verdict == "real" or c.null) and not unbound:
            settings = ", ".join(f"{k}: {setting_value(v)}" for k, v in change.items())
            # a tie prefers neither: "use 49152, tied with 24576" named one the data does not;
            # a runner-up with the same recommended settings leaves no choice between them
            either = c.verdict != "real" and any(
                setting_value(second.params.get(k)) != setting_value(v) for k, v in change.items()
            )
            if c.verdict == "real":
                rec_body = (
                    f"{settings}: {fmt(a.mean)} tok/s, {abs(c.change):.1f} % faster than {runner}"
                )
            elif not either:
                rec_body = f"{settings}: {fmt(a.mean)} tok/s, tied with {runner} {c.spread_words()}"
            else:
                rec_body = (
                    f"either {settings} or the runner-up {runner}: {fmt(a.mean)} and "
                    f"{fmt(b.mean)} tok/s, tied {c.spread_words()}"
                )
            others = [k for k in best.params if k not in _NOT_RECOMMENDED and k not in change]
            rec = Recommendation(
                id="",
                text=(
                    f"For {subject}{at}, use "
                    + rec_body
                    + _other_settings(subject, others, best.params, null_settings)
                    + quality_words(change)
                    + "."
                    + spill_text  # never a config that spilled over one that fit, unsaid
                ),
                change=change,
                model=best.model,
                figures=[
                    best.figure(THROUGHPUT),
                    *([second.figure(THROUGHPUT)] if either else []),
                    *spill_figures,
                ],
            )
        out.append(
            Finding(
                id="",
                kind="best_config",
                title=f"best config for {subject}{at}",
                text=text,
                headline=f"Fastest config for {subject}{at}: {what} at {fmt(a.mean)} tok/s"
                + ("" if c.real else " (its margin not shown real)"),
                figures=[
                    best.figure(THROUGHPUT),
                    second.figure(THROUGHPUT),
                    best.figure(THROUGHPUT, value=c.a, statistic="mean"),
                    second.figure(THROUGHPUT, value=c.b, statistic="mean"),
                    best.figure(THROUGHPUT, "n"),
                    second.figure(THROUGHPUT, "n"),
                    *change_figures(c, best, ("fastest", "runner-up")),
                    *spill_figures,
                    *second_figures,
                ],
                groups=[best.label, second.label],
                sources=sorted(set(best.sources) | set(second.sources)),
                verdict="real"
                if c.real
                else "no measurable effect"
                if c.null
                else "not comparable",
                importance=70.0 if c.verdict == "real" else 25.0,
                recommendation=rec,
            )
        )
        workload_params = {k: v for k, v in best.params.items() if k in WORKLOAD}
        others = [k for k in best.params if k not in _NOT_RECOMMENDED and k not in change]
        rec_others = _other_settings(subject, others, best.params, null_settings)
        levels.append(_Level(subject, workload_params, best, second, c, out.pop(), rec_others))
    return _said_once(levels)
