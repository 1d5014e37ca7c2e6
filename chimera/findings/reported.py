"""What summary files report where no run was measured: their own means, side by side.

A summary row (`mean_tokens_s`, a llama-bench CSV's avg_ts) is already an average, and a
file that states neither its run count nor its spread gives nothing to test a difference
against: the other findings compare per-run values and leave such setups out. Left at that,
a folder of llama-bench CSVs would yield no finding at all. So, per model, the generation
throughput each setup's file reports is listed, fastest first, with the settings that tell
the setups apart, the run count where the file states one, and no verdict. The figures are
the digest's (a summary row's value as reported), and the sentence says the files report
them. Where the setups vary in several settings, those alike but for one setting of two
levels are set side by side (lottolotto's tensor_parallel 2 against 4 at each concurrency):
the fastest against the slowest mixes every setting.

A setting measured on several models with one value per setup (each file's own mean, or a
single run: ConnorsApps' `cpu-only.csv` beside `gpu-run.csv`, one row per model) has no
spread to test either, but a change that goes the same way on every model is evidence of its
own: `setting_across_models` says, per metric, how much faster one level is on each model,
where it is faster on all of them.

The engines summary files report for one model on one machine (sergeykit's llama.cpp,
Ollama and vLLM at each concurrency; premai's thirteen engines at each precision) are set
side by side, config by config (`engines_side_by_side`): summary values are never compared
as runs, so no other finding set them against each other.

A model whose setups report no throughput but a time for the file's workload at three or more
levels of its settings (savoirtech's 128 requests at each OLLAMA_NUM_PARALLEL) is listed the
same way by that time, shortest first.
"""

from __future__ import annotations

from collections import defaultdict

from chimera.duration import durations
from chimera.findings.difference import SMALL_CHANGE
from chimera.findings.finding import Finding
from chimera.findings.measured import (
    LOAD,
    MAX_MODELS_NAMED,
    PROMPT_RATE,
    THROUGHPUT,
    TTFT,
    fmt,
    named,
    pct_change,
    scope_words,
    setting_value,
    settings_text,
)
from chimera.findings.settings_effects import WORKLOAD, sides_context
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest, MetricStats, Setup
from chimera.ingest.digest.stats import PAIR_SEPARATOR
from chimera.ingest.digest.table import names_no_model

_SETUP = "model+config_name"


def _context(setup: Setup) -> dict[str, str]:
    context = {"model": str(setup.model)}
    if not setup.synthetic:
        context["config"] = setup.config
    context.update({k: setting_value(v) for k, v in setup.params.items()})
    return context


def _figure(s: MetricStats, setup: Setup, statistic: str = "mean") -> KnownFigure:
    context = _context(setup)
    where = ", ".join(f"{k}={v}" for k, v in context.items())
    if statistic == "n":
        value, unit, kind = float(s.runs or 0), "rows", "runs"
    else:
        # One reported value is the setup's mean as the file reports it (the digest's kind).
        value, unit, kind = s.mean, s.unit, f"{s.metric} {s.aggregate}"
    return KnownFigure(
        value=value,
        unit=unit,
        kind=kind,
        metric=s.metric,
        statistic=statistic,
        context=context,
        source=f"finding: {s.metric} {statistic} as {named(s.sources, 'more files')} "
        f"report it, {where} (column {s.column})",
    )


def _reported(
    digest: DataDigest, metric: str = THROUGHPUT
) -> dict[str, list[tuple[Setup, MetricStats]]]:
    """Per model (on its machine), its setups only summary files measured, with the mean
    of `metric` they report."""
    # A setup whose throughput has runs is compared by its runs; runs of another metric only
    # (LLMPerf's per-request TTFT beside its summary's throughput) leave its reported mean.
    measured = {
        (s.machine, s.engine, s.group)
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate is None and s.n and s.metric == metric
    }
    means = {
        (s.machine, s.engine, s.group): s
        for s in digest.stats
        if s.group_by == _SETUP and s.metric == metric and s.aggregate == "mean"
    }
    conflicting = set(digest.conflicting_setups)
    by_model: dict[str, list[tuple[Setup, MetricStats]]] = defaultdict(list)
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        key = (setup.machine, setup.engine, label)
        s = means.get(key)
        # One reported value: a mean of several would be a mean of means, and two files'
        # values under one name mix setups.
        if names_no_model(setup.model) or s is None or s.n != 1 or key in measured:
            continue
        if label in conflicting or s.mean <= 0:
            continue
        subject = str(setup.model) + scope_words(digest, setup.machine, setup.engine)
        by_model[subject].append((setup, s))
    return by_model


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _level(setup: Setup, keys: list[str] | None) -> str:
    """A setup as the sentence names it: its config (if the file names one), its settings."""
    settings = settings_text(setup.params, keys)
    if setup.synthetic:
        return settings or setup.config
    return f"{setup.config} ({settings})" if settings else setup.config


# Where a model's setups report no throughput, the time they report for the file's workload
# (savoirtech's 128 requests at each OLLAMA_NUM_PARALLEL): shorter is faster.
_TIMES = {"total_ms": "total time", "latency_ms": "latency"}


# Pairs named one by one in a sentence; the rest are counted.
_MAX_PAIRS = 6


def _order(value: object) -> tuple[int, float | str]:
    """Numbers in order, before words: concurrency 4, 16, 64, not "16", "4", "64"."""
    if isinstance(value, int | float):
        return (0, float(value))
    return (1, str(value))


def _alike_pairs(
    pairs: list[tuple[Setup, MetricStats]], varying: list[str]
) -> tuple[str, list[KnownFigure]]:
    """Where a model's setups vary in several settings (lottolotto's TP A/B at 1-64 concurrent
    requests, two quantisations), the fastest against the slowest mixes them all ("the
    fastest 9169.4 % above the slowest"): for each setting of two levels, its setups alike
    in every other setting (and config), side by side. "" where none are."""
    sentences, figures = [], []
    for key in varying:
        levels = sorted({s.params[key] for s, _ in pairs if key in s.params}, key=_order)
        if len(levels) != 2:
            continue
        low, high = levels
        by_rest: dict[str, dict[object, tuple[Setup, MetricStats]]] = defaultdict(dict)
        for setup, stat in pairs:
            if key not in setup.params:
                continue
            rest = {k: v for k, v in setup.params.items() if k != key}
            name = "" if setup.synthetic else setup.config
            by_rest[f"{name}{PAIR_SEPARATOR}{settings_text(dict(sorted(rest.items())))}"][
                setup.params[key]
            ] = (setup, stat)
        matched = [
            (levels_of[low], levels_of[high])
            for levels_of in by_rest.values()
            if low in levels_of and high in levels_of and levels_of[high][1].mean > 0
        ]
        if not matched:
            continue
        # Named by the settings that tell the pairs apart; those all pairs share, once.
        rest_keys = sorted({k for (a, _), _ in matched for k in a.params if k != key})
        apart = [
            k
            for k in rest_keys
            if len({setting_value(a.params.get(k)) for (a, _), _ in matched}) > 1
        ]
        shared = {
            k: matched[0][0][0].params[k]
            for k in rest_keys
            if k not in apart and k in matched[0][0][0].params
        }
        found = sorted(
            (
                (sa.mean / sb.mean, settings_text(a.params, apart), a)
                for (a, sa), (_, sb) in matched
            ),
            key=lambda f: [_order(f[2].params.get(k)) for k in apart],
        )
        shown = found[:_MAX_PAIRS]
        listing = ", ".join(
            f"{r:.2f}x" + (f" at {where}" if where else "") for r, where, _ in shown
        )
        if len(found) > len(shown):
            listing += f" and {len(found) - len(shown)} more"
        alike = f" ({settings_text(shared)} alike)" if shared else " (alike otherwise)"
        sentences.append(
            f"{key}={setting_value(low)} against {key}={setting_value(high)}{alike} gives {listing}"
        )
        figures += [
            KnownFigure(value=r, unit="x", metric=THROUGHPUT, statistic="ratio",
                        kind=f"{THROUGHPUT} ratio", context=_context(a),
                        source=f"finding: reported throughput ratio of {key} levels")
            for r, _, a in shown
        ]  # fmt: skip
    if not sentences:
        return "", []
    return " Setups alike but for one setting: " + "; ".join(sentences) + ".", figures


def reported(digest: DataDigest) -> list[Finding]:
    """Per model, the generation throughput summary files report for its setups; for a
    model whose setups report none, the time they report."""
    rates = _reported(digest)
    out = _reported_findings(rates, "throughput", "tok/s")
    for metric, words in _TIMES.items():
        # a ladder of three or more levels (two levels on every model are compared across
        # models by `setting_across_models`)
        times = {
            m: p for m, p in _reported(digest, metric).items() if m not in rates and len(p) > 2
        }
        out += _reported_findings(times, words, "ms")
        rates = {**rates, **times}
    return out


def _reported_findings(
    by_model: dict[str, list[tuple[Setup, MetricStats]]], words: str, unit: str
) -> list[Finding]:
    out = []
    faster = -1 if unit == "tok/s" else 1  # a rate's fastest is its largest, a time's its least
    for model, pairs in sorted(by_model.items()):
        pairs.sort(key=lambda p: (faster * p[1].mean, p[0].config))
        keys = sorted({k for setup, _ in pairs for k in setup.params})
        varying = [k for k in keys if len({setting_value(s.params.get(k)) for s, _ in pairs}) > 1]
        first = pairs[0][0].params
        fixed = {k: first[k] for k in keys if k not in varying and k in first}
        shown = varying if len(pairs) > 1 else None  # one setup: all of its settings
        parts = []
        # Times as `chimera.duration` writes them ("2377.00 s", not "2,377,000.00 ms":
        # savoirtech's 128 requests a level); their figures stay in ms, as the data has them.
        means = [s.mean for _, s in pairs]
        values = durations(means) if unit == "ms" else [f"{fmt(m)} {unit}" for m in means]
        for (setup, s), value in zip(pairs, values, strict=True):
            runs = f" (n={s.runs})" if s.runs is not None else ""
            parts.append(f"{value}{runs} with {_level(setup, shown)}")
        figures = [_figure(s, setup) for setup, s in pairs]
        figures += [_figure(s, setup, "n") for setup, s in pairs if s.runs is not None]
        sources = sorted({src for _, s in pairs for src in s.sources})
        held = f"; {settings_text(fixed)} the same" if fixed and len(pairs) > 1 else ""
        margin = ""
        (_, fast), (_, slow) = pairs[0], pairs[-1]
        if len(pairs) > 1 and unit == "tok/s":
            ratio = fast.mean / slow.mean
            margin = (
                f": the fastest {ratio:.1f}x the slowest"  # not "41767.3 % above"
                if ratio >= 2
                else f": the fastest {pct_change(fast.mean, slow.mean):.1f} % above the slowest"
            )
        elif len(pairs) > 1:
            margin = f": the shortest {slow.mean / fast.mean:.2f}x as fast as the longest"
        if len(pairs) > 1 and fast.mean > 0 and slow.mean > 0:
            # the first and last of a long list: too far apart for a check to pair them
            sides = (
                ("the fastest", "the slowest")
                if unit == "tok/s"
                else ("the shortest", "the longest")
            )
            first = _figure(fast, pairs[0][0])
            ratio = max(fast.mean, slow.mean) / min(fast.mean, slow.mean)
            figures += [
                first.model_copy(update={
                    "value": value, "unit": unit_of, "statistic": statistic,
                    "kind": f"{first.metric} {statistic}",
                    "context": first.context | sides_context(*sides),
                    "source": f"finding: {words} of {sides[0]} setup over {sides[1]}, {model}",
                })
                for value, unit_of, statistic in ((ratio, "x", "ratio"),
                                                  (100 * (ratio - 1), "%", "pct"))
            ]  # fmt: skip
        what = "a generation throughput" if unit == "tok/s" else f"a {words}"
        reports = f"{named(sources, 'more files')} report{'s' if len(sources) == 1 else ''}"
        text = f"{reports} for {model} {what} of {_joined(parts)}{held}{margin}."
        # What a summary quotes: the best setup's figure with the settings that tell it from
        # the rest (a clause cut short, "129.11 tok/s with ...", names no setup to trace).
        best = "fastest" if unit == "tok/s" else "shortest"
        headline = f"{reports} for {model} {what} of {parts[0]}" + (
            f" (its {best} setup)" if len(pairs) > 1 else ""
        )
        if unit == "tok/s" and len(varying) > 1:
            alike, alike_figures = _alike_pairs(pairs, varying)
            text += alike
            figures += alike_figures
        unstated = any(s.runs is None for _, s in pairs)
        single = all(s.runs == 1 for _, s in pairs)
        if single:
            # A note saying "Single run per model": one run, not a mean it does not explain.
            text += " Each figure is a single run, so no difference is tested against a spread."
        else:
            text += (
                " Each figure is a mean the file had already computed"
                + (" (it does not say over how many runs)" if unstated else "")
                + ", so no difference is tested against the run-to-run spread."
            )
        out.append(
            Finding(
                id="",
                kind="reported",
                title=f"reported {words} of {model}",
                text=text,
                headline=headline,
                figures=figures,
                groups=[f"{model}{PAIR_SEPARATOR}{setup.config}" for setup, _ in pairs],
                sources=sources,
                verdict="info",
                caveats=[
                    "single runs, no run-to-run spread to test against"
                    if single
                    else "already-aggregated values, no run-to-run spread to test against"
                ],
                importance=40.0 if len(pairs) > 1 else 12.0,
            )
        )
    return out


# Metrics a setting is judged on across models, and whether more is faster.
def _against(fast: float, slow: float, unit: str) -> str:
    """'41.80 against 38.20 tok/s'; times as `chimera.duration` writes them, each with its
    own unit ('812.40 ms against 12.30 s': a bare number would read as the metric's ms)."""
    if unit != "ms":
        return f"{fmt(fast)} against {fmt(slow)} {unit}"
    a, b = durations([fast, slow])
    return f"{a} against {b}"


_ACROSS = {
    THROUGHPUT: ("throughput", True, "tok/s"),
    PROMPT_RATE: ("prompt processing", True, "tok/s"),
    TTFT: ("TTFT", False, "ms"),
    "latency_ms": ("latency", False, "ms"),
    "total_ms": ("total time per request", False, "ms"),
    LOAD: ("load time", False, "ms"),
}
MIN_MODELS = 2
# Below this on some model the change is said by no one: a 1.00x "faster" is noise.
MIN_RATIO = 1 + SMALL_CHANGE / 100


def _single_values(digest: DataDigest) -> dict[tuple, dict[str, MetricStats]]:
    """(machine, engine, "model / config") -> metric -> its one value: a file's own mean of
    the setup, or its only run. A setup with several runs of a metric is left to the
    comparisons that test against their spread."""
    runs = {
        (s.machine, s.engine, s.group, s.metric)
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate is None and s.n > 1
    }
    found: dict[tuple, dict[str, MetricStats]] = defaultdict(dict)
    for s in digest.stats:
        if s.group_by != _SETUP or s.metric not in _ACROSS or s.n != 1 or s.mean <= 0:
            continue
        if s.aggregate not in (None, "mean") or (s.machine, s.engine, s.group, s.metric) in runs:
            continue
        key = (s.machine, s.engine, s.group)
        if s.aggregate is None or s.metric not in found[key]:  # a run before a file's mean
            found[key][s.metric] = s
    return found


def setting_across_models(digest: DataDigest) -> list[Finding]:
    """Per machine and engine, a setting of two levels that every model measured with one
    value per setup, the other settings the same: where one level is faster on every model,
    by how much on each (no spread to test: the agreement of the models is the evidence)."""
    values = _single_values(digest)
    conflicting = set(digest.conflicting_setups)
    # (machine, engine, setting, metric) -> model -> level -> (setup, value)
    table: dict[tuple, dict[str, dict[str, tuple[Setup, MetricStats]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        if names_no_model(setup.model) or label in conflicting:
            continue
        for metric, stat in values.get((setup.machine, setup.engine, label), {}).items():
            for setting, level in setup.params.items():
                if setting in WORKLOAD:
                    continue  # a longer context or more requests is another test, not a setting
                others = settings_text(
                    {k: v for k, v in sorted(setup.params.items()) if k != setting}
                )
                key = (setup.machine, setup.engine, setting, others, metric)
                table[key][str(setup.model)].setdefault(setting_value(level), (setup, stat))
    out = []
    for (machine, engine, setting, others, metric), by_model in sorted(
        table.items(), key=lambda item: tuple(str(part) for part in item[0])
    ):
        levels = sorted({lvl for per in by_model.values() for lvl in per})
        models = sorted(m for m, per in by_model.items() if set(per) == set(levels))
        if len(levels) != 2 or len(models) < MIN_MODELS or len(models) < len(by_model):
            continue
        words, higher, unit = _ACROSS[metric]
        ratios = {}
        for model in models:
            a, b = (by_model[model][lvl][1].mean for lvl in levels)
            ratios[model] = (a / b) if higher else (b / a)  # > 1: levels[0] is faster
        if all(r > 1 for r in ratios.values()):
            fast, slow = levels
            times = ratios
        elif all(r < 1 for r in ratios.values()):
            slow, fast = levels
            times = {m: 1 / r for m, r in ratios.items()}
        else:
            continue  # faster on some models, slower on others: no one direction to state
        low, high = min(times.values()), max(times.values())
        if low < MIN_RATIO:
            continue
        span = f"{low:.2f}x" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}x"
        shown = models[:MAX_MODELS_NAMED]
        each = "; ".join(
            f"{m} {_against(by_model[m][fast][1].mean, by_model[m][slow][1].mean, unit)} "
            f"({times[m]:.2f}x)"
            for m in shown
        )
        if len(models) > len(shown):
            each += f"; and {len(models) - len(shown)} more models"
        where = scope_words(digest, machine, engine)
        held = f", {others} the same" if others else ""
        pairs = [by_model[m][lvl] for m in models for lvl in (fast, slow)]
        sources = sorted({src for _, st in pairs for src in st.sources})
        kinds = {st.aggregate for _, st in pairs}
        what = (
            "each a mean its file reports"
            if kinds == {"mean"}
            else "each a single run"
            if kinds == {None}
            else "each a file's mean or a single run"
        )
        text = (
            f"{setting}={fast} is {span} as fast as {setting}={slow} in {words}{where} on every "
            f"model that ran both ({len(models)} of {len(models)}{held}): {each}. One value "
            f"per setup ({what}), so no difference is tested against a run-to-run spread; "
            "the models agree on the direction."
        )
        figures = [_figure(st, setup) for setup, st in pairs]
        figures += [
            KnownFigure(value=times[m], unit="x", metric=metric, statistic="ratio",
                        context={"model": m, setting: f"{fast} vs {slow}"}
                        | sides_context(f"{setting}={fast}", f"{setting}={slow}"),
                        kind=f"{metric} ratio",
                        source=f"finding: {metric} ratio of {setting}={fast} to {slow}, {m}")
            for m in models
        ]  # fmt: skip
        out.append(
            Finding(
                id="",
                kind="setting_across_models",
                title=f"{setting} across models ({words}){where}",
                text=text,
                headline=(
                    f"{setting}={fast} is {span} as fast as {setting}={slow} in {words} on "
                    f"every model"
                ),
                figures=figures,
                groups=[f"{setup.model}{PAIR_SEPARATOR}{setup.config}" for setup, _ in pairs],
                sources=sources,
                verdict="info",
                caveats=["one value per setup: the agreement of the models is the evidence"],
                importance=45.0 if metric != LOAD else 30.0,
            )
        )
    return out


# Engines set against the fastest one by one in a sentence; the rest are counted.
_MAX_SPANS = 4


def engines_side_by_side(digest: DataDigest) -> list[Finding]:
    """Per model on one machine, the engines one value per setup measured, config by config
    (sergeykit's summary.csv: llama.cpp, Ollama and vLLM at each concurrency, medians of
    fresh-server runs, the model named only in its README). A file that names no model holds
    one benchmark's runs: its rows are compared within that file alone, as are rows that
    name no machine."""
    values = _single_values(digest)
    conflicting = set(digest.conflicting_setups)
    # (machine, model) -> config -> engine -> (setup, value)
    table: dict[tuple, dict[str, dict[str, tuple[Setup, MetricStats]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        stat = values.get((setup.machine, setup.engine, label), {}).get(THROUGHPUT)
        if stat is None or setup.engine is None or label in conflicting:
            continue
        if stat.aggregate is None:
            continue  # single runs: `factors.scope_comparisons` compares engines on them
        model = str(setup.model)
        if names_no_model(setup.model) or setup.machine is None:
            if len(stat.sources) != 1:
                continue  # two files that name no model (or machine) may hold two
            model = f"{model}{PAIR_SEPARATOR}{stat.sources[0]}"
        config = settings_text(dict(sorted(setup.params.items()))) or setup.config
        table[(setup.machine, model)][config][setup.engine] = (setup, stat)
    out = []
    for (machine, model), by_config in sorted(table.items(), key=lambda i: str(i[0])):
        shared = {c: per for c, per in by_config.items() if len(per) >= 2}
        engines = sorted({e for per in shared.values() for e in per})
        if not shared or len(engines) < 2:
            continue
        name = model.split(PAIR_SEPARATOR)[0]
        in_file = model.split(PAIR_SEPARATOR)[1] if PAIR_SEPARATOR in model else None
        configs = sorted(
            shared,
            key=lambda c: [_order(v) for v in next(iter(shared[c].values()))[0].params.values()],
        )
        rows = "; ".join(
            f"{config}: "
            + ", ".join(
                f"{engine} {fmt(stat.mean)}"
                for engine, (_, stat) in sorted(shared[config].items(), key=lambda e: -e[1][1].mean)
            )
            + " tok/s"
            for config in configs[:MAX_MODELS_NAMED]
        )
        if len(configs) > MAX_MODELS_NAMED:
            rows += f"; and {len(configs) - MAX_MODELS_NAMED} more configs"
        # Each engine against the fastest at the most configs, over the configs both ran.
        wins: dict[str, int] = defaultdict(int)
        for per in shared.values():
            wins[max(per, key=lambda e: per[e][1].mean)] += 1
        best = max(engines, key=lambda e: (wins[e], e))
        spans = []
        figures: list[KnownFigure] = []
        for other in engines:
            if other == best:
                continue
            ratios = [
                per[best][1].mean / per[other][1].mean
                for per in shared.values()
                if best in per and other in per and per[other][1].mean > 0
            ]
            if not ratios:
                continue
            low, high = min(ratios), max(ratios)
            span = f"{low:.2f}x" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}x"
            over = "1 config" if len(ratios) == 1 else f"{len(ratios)} configs"
            spans.append(f"{best} runs {span} the throughput of {other} over {over}")
            figures += [
                KnownFigure(value=r, unit="x", metric=THROUGHPUT, statistic="ratio",
                            kind=f"{THROUGHPUT} ratio",
                            context={"model": name, "engine": f"{best} vs {other}"}
                            | sides_context(best, other),
                            source=f"finding: reported throughput ratio of {best} to {other}")
                for r in (low, high)
            ]  # fmt: skip
        if len(spans) > _MAX_SPANS:  # thirteen engines of premai's tables: the first named
            spans = spans[:_MAX_SPANS] + [f"and {len(spans) - _MAX_SPANS} more engines"]
        pairs = [pair for per in shared.values() for pair in per.values()]
        figures += [_figure(stat, setup) for setup, stat in pairs]
        sources = sorted({src for _, stat in pairs for src in stat.sources})
        what = "each a value its file reports"
        subject = f"the model {in_file} does not name" if names_no_model(name) else name
        where = f" on {machine}" if machine else ""
        text = (
            f"Engines side by side on {subject}{where}, config by config (generation "
            f"throughput): {rows}. " + "; ".join(spans) + f". One value per setup ({what}), so "
            "no difference is tested against a run-to-run spread."
        )
        out.append(
            Finding(
                id="",
                kind="engine_comparison",
                title=f"engines side by side on {subject}{where}",
                text=text,
                headline=spans[0] if spans else f"engines side by side on {subject}",
                figures=figures,
                groups=[f"{setup.model}{PAIR_SEPARATOR}{setup.config}" for setup, _ in pairs],
                sources=sources,
                verdict="info",
                caveats=["one value per setup: no run-to-run spread to test against"],
                importance=50.0,
            )
        )
    return out
