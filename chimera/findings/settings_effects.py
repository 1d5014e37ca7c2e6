"""What each setting does, within one model, holding the other settings fixed.

For a model and a setting (num_gpu, num_ctx, temperature, ...), its setups are grouped by
their other settings; the group with the most levels of the setting is compared, so only
the setting differs. Where no such group exists the finding says so ("levels differ in
other settings too"), and with one run per level it gives no verdict. Then, per setting,
the models are put side by side, and each model's fastest config is named with its margin
over the runner-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chimera.findings.finding import Finding, Recommendation
from chimera.findings.measured import (
    THROUGHPUT,
    TTFT,
    Measured,
    Verdict,
    finding_verdict,
    fmt,
    pct_change,
    setting_value,
    settings_text,
    welch,
)
from chimera.grounding.known import KnownFigure

# A benchmark's workload, not a setting to serve with: llama-bench's prompt and generation
# lengths and the context depth they start at. A best config is one of a workload.
_WORKLOAD = frozenset({"n_prompt", "n_gen", "n_depth"})
# Settings whose levels are not a dial to turn for speed: they are compared, not recommended.
_NOT_RECOMMENDED = frozenset({"seed", "num_predict"}) | _WORKLOAD
_CTX_NOTE = " (raise num_ctx only where prompts need the room)"


@dataclass(frozen=True)
class Effect:
    """One setting compared within one model: the levels, in order, and the verdict."""

    model: str
    setting: str
    levels: list[tuple[Any, Measured]]  # sorted by level
    fixed: dict[str, Any]
    verdict: Verdict  # fastest level against slowest, on throughput
    fastest: tuple[Any, Measured]
    slowest: tuple[Any, Measured]


def _level_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def _pick_levels(group: list[Measured], setting: str) -> list[tuple[Any, Measured]]:
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
        same_file = [m for m in ms if best_file in m.sources]
        pool = same_file or ms
        chosen.append((level, max(pool, key=lambda m: (m.metrics[THROUGHPUT].n, m.label))))
    return sorted(chosen, key=lambda item: _level_key(item[0]))


def effects(setups: Iterable[Measured]) -> tuple[list[Effect], list[tuple[str, str, int]]]:
    """Every comparable (model, setting), and the (model, setting, levels) that were not."""
    by_model: dict[str, list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model and THROUGHPUT in m.metrics:
            by_model[m.model].append(m)
    found: list[Effect] = []
    blocked: list[tuple[str, str, int]] = []
    for model, ms in sorted(by_model.items()):
        keys = sorted({k for m in ms for k in m.params})
        for setting in keys:
            having = [m for m in ms if setting in m.params]
            levels = {m.params[setting] for m in having}
            if len(levels) < 2:
                continue
            strata: dict[tuple[tuple[str, str], ...], list[Measured]] = defaultdict(list)
            for m in having:
                others = tuple(
                    sorted((k, setting_value(v)) for k, v in m.params.items() if k != setting)
                )
                strata[others].append(m)
            # The other settings held where most levels were measured, most often; between
            # equals, where the model runs fastest: the effect that matters to its tuning.
            best = max(
                strata.values(),
                key=lambda g: (
                    len({m.params[setting] for m in g}),
                    sum(m.metrics[THROUGHPUT].n for m in g),
                    max(m.metrics[THROUGHPUT].mean for m in g),
                ),
            )
            if len({m.params[setting] for m in best}) < 2:
                blocked.append((model, setting, len(levels)))
                continue
            chosen = _pick_levels(best, setting)
            fastest = max(chosen, key=lambda lm: lm[1].metrics[THROUGHPUT].mean)
            # The slowest of the other levels: with equal means it is still another level.
            slowest = min(
                (lm for lm in chosen if lm[0] != fastest[0]),
                key=lambda lm: lm[1].metrics[THROUGHPUT].mean,
            )
            verdict = welch(fastest[1].metrics[THROUGHPUT], slowest[1].metrics[THROUGHPUT])
            fixed = {k: v for k, v in chosen[0][1].params.items() if k != setting}
            found.append(Effect(model, setting, chosen, fixed, verdict, fastest, slowest))
    return found, blocked


def _level_text(setting: str, level: Any) -> str:
    text = f"{setting}={setting_value(level)}"
    return text + " (CPU only)" if setting == "num_gpu" and level == 0 else text


def _runs_text(levels: list[tuple[Any, Measured]]) -> str:
    counts = {m.metrics[THROUGHPUT].n for _, m in levels}
    if len(counts) == 1:
        return f"n={counts.pop()} each"
    return ", ".join(f"n={m.metrics[THROUGHPUT].n} at {setting_value(lvl)}" for lvl, m in levels)


def _verdict_words(verdict: Verdict) -> str:
    return {
        "real": "a real difference, beyond the run-to-run spread",
        "within spread": "within the run-to-run spread: no measurable effect",
        "too few runs": "only one run per level, so no verdict",
    }[verdict]


def _ttft_sentence(effect: Effect) -> tuple[str, list[KnownFigure]]:
    pairs = [(lvl, m) for lvl, m in effect.levels if TTFT in m.metrics]
    if len(pairs) < 2:
        return "", []
    first, last = pairs[0], pairs[-1]
    a, b = first[1].metrics[TTFT], last[1].metrics[TTFT]
    change = pct_change(b.mean, a.mean)
    verdict = welch(a, b)
    fixed = settings_text(effect.fixed)
    held = f"; {fixed} held fixed" if fixed else ""  # the same setups: said again, for a reader
    text = (
        f" Mean TTFT is {fmt(a.mean)} ms at {_level_text(effect.setting, first[0])} and "
        f"{fmt(b.mean)} ms at {_level_text(effect.setting, last[0])} "
        f"({abs(change):.1f} % {'higher' if change > 0 else 'lower'}{held}; "
        f"{_verdict_words(verdict).split(':')[0]})."
    )
    return text, [first[1].figure(TTFT), last[1].figure(TTFT)]


def effect_finding(effect: Effect) -> Finding:
    """A finding (and, when the difference is real, a recommendation) for one effect."""
    s = effect.setting
    fast_level, fast = effect.fastest
    slow_level, slow = effect.slowest
    fast_s, slow_s = fast.metrics[THROUGHPUT], slow.metrics[THROUGHPUT]
    gain = pct_change(fast_s.mean, slow_s.mean)
    fixed = settings_text(effect.fixed)
    held = f"; {fixed} held fixed" if fixed else ""
    figures = [m.figure(THROUGHPUT) for _, m in effect.levels]
    figures += [fast.figure(THROUGHPUT, "n"), slow.figure(THROUGHPUT, "n")]
    if len(effect.levels) == 2:
        body = (
            f"On {effect.model}, {_level_text(s, fast_level)} gives {fmt(fast_s.mean)} tok/s "
            f"against {fmt(slow_s.mean)} tok/s at {_level_text(s, slow_level)} "
            f"({gain:.1f} % faster; {_runs_text(effect.levels)}{held}): "
        )
    else:
        series = ", ".join(
            f"{fmt(m.metrics[THROUGHPUT].mean)} tok/s at {_level_text(s, lvl)}"
            for lvl, m in effect.levels
        )
        means = [m.metrics[THROUGHPUT].mean for _, m in effect.levels]
        numeric = all(isinstance(lvl, int | float) for lvl, _ in effect.levels)
        if numeric and all(b > a for a, b in zip(means, means[1:], strict=False)):
            trend = f"throughput rises with {s}"
        elif numeric and all(b < a for a, b in zip(means, means[1:], strict=False)):
            trend = f"throughput falls as {s} grows"
        else:
            trend = f"throughput varies with {s}"
        body = (
            f"On {effect.model}, {trend}: {series} ({_runs_text(effect.levels)}{held}); "
            f"{_level_text(s, fast_level)} is {gain:.1f} % faster than "
            f"{_level_text(s, slow_level)}, "
        )
    ttft_text, ttft_figures = _ttft_sentence(effect)
    text = body + _verdict_words(effect.verdict) + "." + ttft_text
    verdict = finding_verdict(effect.verdict)
    caveats = ["only one run per level"] if effect.verdict == "too few runs" else []
    importance = {"real": 60.0 + min(abs(gain), 200.0) / 5, "within spread": 20.0}.get(
        effect.verdict, 8.0
    )
    return Finding(
        id="",
        kind="setting_effect",
        title=f"{s} on {effect.model}",
        text=text,
        figures=figures + ttft_figures,
        groups=[m.label for _, m in effect.levels],
        sources=sorted({src for _, m in effect.levels for src in m.sources}),
        verdict=verdict,
        caveats=caveats,
        importance=importance,
    )


def blocked_finding(model: str, setting: str, levels: int) -> Finding:
    return Finding(
        id="",
        kind="setting_effect",
        title=f"{setting} on {model}",
        text=(
            f"On {model}, {setting} takes {levels} values, but the setups that differ in it "
            "differ in other settings too, so its own effect cannot be separated."
        ),
        verdict="not comparable",
        caveats=["levels differ in other settings too"],
        importance=3.0,
    )


def across_models(found: list[Effect]) -> list[Finding]:
    """Per setting, the models side by side on the two levels they all measured."""
    by_setting: dict[str, list[Effect]] = defaultdict(list)
    for e in found:
        by_setting[e.setting].append(e)
    out = []
    for setting, es in sorted(by_setting.items()):
        if len(es) < 2:
            continue
        common = set.intersection(*({lvl for lvl, _ in e.levels} for e in es))
        if len(common) < 2:
            continue
        low, high = min(common, key=_level_key), max(common, key=_level_key)
        parts, figures, slower, real = [], [], 0, 0
        for e in es:
            levels = dict(e.levels)
            a, b = levels[low].metrics[THROUGHPUT], levels[high].metrics[THROUGHPUT]
            change = pct_change(b.mean, a.mean)
            slower += b.mean < a.mean
            real += welch(a, b) == "real"
            fixed = settings_text(e.fixed)  # each model's comparison holds its other settings
            parts.append(
                f"{e.model} {fmt(b.mean)} vs {fmt(a.mean)} tok/s ({change:+.1f} %"
                + (f"; {fixed}" if fixed else "")
                + ")"
            )
            figures += [levels[low].figure(THROUGHPUT), levels[high].figure(THROUGHPUT)]
        n = len(es)
        faster = n - slower
        if slower == n or faster == n:
            word = "slower" if slower == n else "faster"
            head = (
                f"{setting}={setting_value(high)} is {word} than {setting}="
                f"{setting_value(low)} for every model measured ({n} of {n})"
            )
        else:
            head = (
                f"{setting}={setting_value(high)} against {setting}={setting_value(low)} is "
                f"slower for {slower} of {n} models and faster for {faster}"
            )
        if real == n:
            spread = "each difference beyond its run-to-run spread"
        elif real == 0:
            spread = "no difference beyond the run-to-run spread"
        else:
            spread = f"{real} of {n} differences beyond the run-to-run spread"
        text = f"Across models, {head}: " + "; ".join(parts) + f" ({spread})."
        consistent = slower == n or faster == n
        verdict = (
            "real" if consistent and real == n else "no measurable effect" if real == 0 else "info"
        )
        rec = None
        if verdict == "real" and setting not in _NOT_RECOMMENDED:
            best = low if slower == n else high
            other = high if best == low else low
            rec = Recommendation(
                id="",
                text=(
                    f"Use {setting}: {setting_value(best)} rather than {setting_value(other)} "
                    f"on the {n} models measured at both: {setting}={setting_value(best)} "
                    "was faster on every one of them"
                    + (
                        " (raise num_ctx only where prompts need the room)"
                        if setting == "num_ctx" and best == low
                        else ""
                    )
                    + "."
                ),
                change={setting: best},
            )
        out.append(
            Finding(
                id="",
                kind="setting_across_models",
                title=f"{setting} across models",
                text=text,
                figures=figures,
                groups=[e.model for e in es],
                sources=sorted({src for e in es for _, m in e.levels for src in m.sources}),
                verdict=verdict,
                importance=90.0 if verdict == "real" else 30.0,
                recommendation=rec,
            )
        )
    return out


def distinct_settings(ms: list[Measured]) -> list[Measured]:
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
                    m.metrics[THROUGHPUT].n,
                    m.context.get("config") is not None,
                    m.label,
                ),
            )
        )
    return chosen


def _config_name(m: Measured) -> str:
    """A setup as a reader names it: 'gpu80_ctx2048 (num_gpu=80, ...)' or just its settings."""
    settings = settings_text(m.params)
    if "config" not in m.context:  # named by Chimera after its settings
        return settings or m.label
    named_config = m.config or ""
    if settings and settings not in named_config:
        return f"{named_config} ({settings})"
    return named_config


def best_configs(setups: Iterable[Measured]) -> list[Finding]:
    """Each model's fastest config and its margin over the runner-up (per workload: a
    tg128 at depth 4096 is not a slower config than a tg128 at depth 0)."""
    by_model: dict[tuple[str, str], list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model and THROUGHPUT in m.metrics:
            workload = settings_text({k: v for k, v in m.params.items() if k in _WORKLOAD})
            by_model[(m.model, workload)].append(m)
    out = []
    for (model, workload), ms in sorted(by_model.items()):
        at = f" at {workload}" if workload else ""
        ms = distinct_settings(ms)
        if len(ms) < 2:
            continue
        ranked = sorted(ms, key=lambda m: (-m.metrics[THROUGHPUT].mean, m.label))
        best, second = ranked[0], ranked[1]
        a, b = best.metrics[THROUGHPUT], second.metrics[THROUGHPUT]
        margin = pct_change(a.mean, b.mean)
        verdict = welch(a, b)
        settings = settings_text(best.params)
        name = best.config if best.config and best.config != settings else None
        what = _config_name(best)
        runner = _config_name(second)
        if not set(best.sources) & set(second.sources):
            tail_note = " (measured in different files)"
        else:
            tail_note = ""
        if verdict == "real":
            tail = "a real margin, beyond the run-to-run spread"
        elif verdict == "within spread":
            tail = "within the run-to-run spread, so either will do"
        else:
            single = "one run each" if a.n < 2 and b.n < 2 else "a single run on one side"
            tail = f"with {single}, too few for a verdict"
        text = (
            f"The fastest config for {model}{at} is {what} at {fmt(a.mean)} tok/s (n={a.n}), "
            f"{margin:.1f} % above the runner-up {runner} at {fmt(b.mean)} tok/s "
            f"(n={b.n}){tail_note}; {len(ms)} configs measured; {tail}."
        )
        change = {k: v for k, v in best.params.items() if k not in _NOT_RECOMMENDED}
        rec = None
        # A margin no repetition has tested is no ground to change a setting.
        if change and verdict != "too few runs":
            rec_tail = (
                f"{margin:.1f} % faster than {runner}"
                if verdict == "real"
                else f"tied with {runner} within the run-to-run spread"
            )
            shown_name = name if "config" in best.context and name else None
            rec = Recommendation(
                id="",
                text=(
                    f"For {model}{at}, use "
                    + ", ".join(f"{k}: {setting_value(v)}" for k, v in change.items())
                    + (f" (config {shown_name})" if shown_name else "")
                    + f": {fmt(a.mean)} tok/s, {rec_tail}."
                ),
                change=change,
                model=model,
                figures=[best.figure(THROUGHPUT)],
            )
        out.append(
            Finding(
                id="",
                kind="best_config",
                title=f"best config for {model}{at}",
                text=text,
                figures=[
                    best.figure(THROUGHPUT),
                    second.figure(THROUGHPUT),
                    best.figure(THROUGHPUT, "n"),
                    second.figure(THROUGHPUT, "n"),
                ],
                groups=[best.label, second.label],
                sources=sorted(set(best.sources) | set(second.sources)),
                verdict="real"
                if verdict == "real"
                else "no measurable effect"
                if verdict == "within spread"
                else "not comparable",
                importance=70.0 if verdict == "real" else 25.0,
                recommendation=rec,
            )
        )
    return out
