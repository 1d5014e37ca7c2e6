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
the fastest against the slowest mixes every setting. Setups that each ran one workload, told
apart by it, are named by it (MLPerf's Offline, Server and Interactive scenarios, an Offline
run stating no rate), not as "settings not stated"; all alike, they report "the same figure
each time", not "0.0 % above".

A setting measured on several models with one value per setup (each file's own mean, or a
single run: ConnorsApps' `cpu-only.csv` beside `gpu-run.csv`, one row per model) has no
spread to test either, but a change that goes the same way on every model is evidence of its
own: `setting_across_models` says, per metric, how much faster one level is on each model,
where it is faster on all of them.

The engines summary files report for one model on one machine (sergeykit's llama.cpp,
Ollama and vLLM at each concurrency; premai's thirteen engines at each precision) are set
side by side, config by config (`engines_side_by_side`): summary values are never compared
as runs, so no other finding set them against each other. Where the engines report no
throughput, only a serving benchmark's median latencies (SGLang's README against vLLM: TTFT,
TPOT, ITL at each request rate), they are set side by side on each, shorter first; an ITL
many times another's at a like TPOT is said to be tokens arriving in bursts.

Setups whose files report one figure a workload (GuideLLM's benchmarks: synchronous,
throughput, constant rates) hold several, which `reported` leaves out: where two setups of a
model differ in one setting of two levels (IBM Cloud's lab: one GPU against two), their
throughput is set side by side on each workload both ran (`reported_by_workload`).

Machines whose files report means of the same model, test and settings (community
llama-bench notes, one per card) are set side by side per engine family, fastest first, with
the standard deviation a file states beside each mean (`machines_side_by_side`); two machines
alone over several tests are summed up as a pair. The machine comparisons of `factors` are
on runs and leave such means out.

A model whose setups report no throughput but a time for the file's workload at three or more
levels of its settings (savoirtech's 128 requests at each OLLAMA_NUM_PARALLEL) is listed the
same way by that time, shortest first.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from chimera.findings.difference import SMALL_CHANGE
from chimera.findings.duration import durations
from chimera.findings.finding import Finding
from chimera.findings.measured import (
    LOAD,
    MAX_MODELS_NAMED,
    PROMPT_RATE,
    THROUGHPUT,
    TTFT,
    fmt,
    fmt_all,
    named,
    pct_change,
    rate,
    scope_context,
    scope_words,
    setting_value,
    settings_text,
)
from chimera.findings.settings_effects import WORKLOAD, sides_context
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest, MetricStats, Setup
from chimera.ingest.digest.stats import PAIR_SEPARATOR
from chimera.ingest.digest.table import NO_SETTINGS, names_no_model

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
    digest: DataDigest,
    metric: str = THROUGHPUT,
    pooled: dict[str, list[tuple[Setup, MetricStats]]] | None = None,
) -> dict[str, list[tuple[Setup, MetricStats]]]:
    """Per model (on its machine), its setups only summary files measured, with the mean
    of `metric` they report; into `pooled`, per model, those whose files report it more
    than once (two workloads at one request rate: datacrunch's random and sharegpt lines)."""
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
    # each setup's one reported value per workload (a random and a sharegpt line at one rate)
    per_workload: dict[tuple, dict[str, list[MetricStats]]] = defaultdict(dict)
    for s in digest.stats:
        workload = s.group_by == f"{_SETUP}+workload" and s.workload
        if workload and s.metric == metric and s.aggregate == "mean":
            per_workload[(s.machine, s.engine, s.group)].setdefault(s.workload, []).append(s)
    conflicting = set(digest.conflicting_setups)
    # per subject: each setup, its reported value, its one value a workload (None where a
    # workload holds several) and the workloads it ran
    entries: dict[str, list[tuple[Setup, MetricStats, dict | None, set[str]]]] = defaultdict(list)
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        key = (setup.machine, setup.engine, label)
        s = means.get(key)
        # One reported value: a mean of several would be a mean of means, and two files'
        # values under one name mix setups.
        if names_no_model(setup.model) or s is None or key in measured:
            continue
        if label in conflicting or s.mean <= 0:
            continue
        subject = str(setup.model) + scope_words(digest, setup.machine, setup.engine)
        ran = per_workload.get(key, {})
        one_each = {w: st[0] for w, st in ran.items() if len(st) == 1 and st[0].n == 1}
        whole = one_each if one_each.keys() == ran.keys() else None
        entries[subject].append((setup, s, whole, set(ran)))
    by_model: dict[str, list[tuple[Setup, MetricStats]]] = defaultdict(list)
    for subject, held in entries.items():
        # A model whose setups report one value per workload where one of them reports
        # several (datacrunch's rate 4: a random and a sharegpt line) is listed per workload,
        # the workload its ladder's rungs share, never one workload's ladder with holes.
        # Only a ladder of one figure a rung but for those holes, every workload shared by
        # two setups or more: setups that each report several workloads (GuideLLM's
        # constant rates, each one setup's own; a summary's prompt sizes) are
        # `reported_by_workload`'s.
        shared = Counter(w for *_, ran in held for w in ran)
        split = (
            any(s.n != 1 and len(ran) > 1 for _, s, _, ran in held)
            and any(s.n == 1 for _, s, *_ in held)
            and all(n > 1 for n in shared.values())
        )
        for setup, s, ran, _ in held:
            if split and ran:
                for workload, st in ran.items():
                    by_model[f"{subject}{_ON_WORKLOAD}{workload}"].append((setup, st))
            elif s.n == 1 or (metric == THROUGHPUT and _repeats_one_test(setup, s)):
                by_model[subject].append((setup, s))
            elif pooled is not None:
                pooled.setdefault(subject, []).append((setup, s))
    return {k: v for subject, pairs in by_model.items() for k, v in _per_table(subject, pairs)}


# a subject's key, split per workload: "model on H200\x01random, input 1024 / output 1024"
_ON_WORKLOAD = "\x01"

# A setup's reported means agree within this share, and beyond it disagree: within, the
# repeats of one llama-bench test are said as their mean (`_repeats_one_test`); beyond, the
# files that report them are said to differ in something unrecorded (`reported_sessions`).
# One line for both, so that no setup is said to be both.
_FILES_APART_PCT = 10.0
_REPEATS_AGREE = 1.0 + _FILES_APART_PCT / 100.0


def _repeats_one_test(setup: Setup, s: MetricStats) -> bool:
    """Several reported means of one setup that are one llama-bench test run again: its
    settings spell the test (pp512, tg128 @ d16384) and a llama-bench table shows every
    parameter a test sets, so two rows alike in all of them are the same test (anantpathak's
    `-ts 8,8,0,0` ran ts=8 twice and ts=0 twice, in four sessions' reports), and their means
    agree. Other repeats stay apart (datacrunch's random and sharegpt lines at one rate)."""
    return bool(_TEST_SETTINGS & set(setup.params)) and 0 < s.max <= s.min * _REPEATS_AGREE


def _repeats_words(s: MetricStats) -> str:
    """' (the mean of 8 rows in 4 files, from 53.94 to 54.96 tok/s)' for a test reported
    again (a throughput: see `_reported`)."""
    if s.n < 2:
        return ""
    files = len(s.sources)
    where = f" in {files} files" if files > 1 else ""
    return f" (the mean of {s.n} rows{where}, from {fmt(s.min)} to {fmt(s.max)} tok/s)"


def _repeats_figures(s: MetricStats, setup: Setup) -> list[KnownFigure]:
    """The count and range `_repeats_words` states, as figures."""
    mean = _figure(s, setup)
    return [
        mean.model_copy(update={"value": float(s.n), "unit": "rows", "statistic": "n",
                                "kind": "runs"}),
        mean.model_copy(update={"value": s.min, "statistic": "min"}),
        mean.model_copy(update={"value": s.max, "statistic": "max"}),
    ]  # fmt: skip


_IN_FILE = "\x00"  # a subject's key, split per file: "model\x00docs/FINDINGS.md"


def _per_table(
    subject: str, pairs: list[tuple[Setup, MetricStats]]
) -> list[tuple[str, list[tuple[Setup, MetricStats]]]]:
    """A model's reported setups, one list per file where its files vary settings none of
    the others states (guruswami's docs/CHAKRA_CLUSTER.md sweeps Llama-405B's topology,
    docs/FINDINGS.md its quantisation): one ladder of them would set TP4 against Q6."""
    files: dict[str, list[tuple[Setup, MetricStats]]] = defaultdict(list)
    for setup, s in pairs:
        files[",".join(s.sources)].append((setup, s))
    # What each file varies: its settings, else its configs' names (`TP4`, `Single`); a
    # file stating neither beside one that does may restate it, and is kept together.
    keys = [
        {k for setup, _ in held for k in setup.params}
        or ({_IN_FILE} if any(setup.config != NO_SETTINGS for setup, _ in held) else set())
        for held in files.values()
    ]
    apart = (
        len(files) > 1
        and all(keys)
        and all(not a & b for i, a in enumerate(keys) for b in keys[i + 1 :])
    )
    if not apart:
        return [(subject, pairs)]
    return [(f"{subject}{_IN_FILE}{path}", held) for path, held in sorted(files.items())]


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


def _sweep_number(value: object) -> float | None:
    """A setting's level as a number (2048, "20000", 0.8), else None."""
    try:
        return float(setting_value(value))
    except (TypeError, ValueError):
        return None


def _in_sweep_order(
    parts: list[str], pairs: list[tuple[Setup, MetricStats]], varying: list[str]
) -> list[str]:
    """`parts` (one a setup, in `pairs`' order) in the order of the one numeric setting the
    setups vary in; as they are where they vary in more, or a setting that is no number."""
    if len(varying) != 1 or len(pairs) < 3:
        return parts
    levels = [_sweep_number(setup.params.get(varying[0])) for setup, _ in pairs]
    if any(level is None for level in levels):
        return parts
    order = sorted(range(len(parts)), key=lambda i: levels[i])  # type: ignore[arg-type, return-value]
    return [parts[i] for i in order]


def _level_pairs(
    pairs: list[tuple[Setup, MetricStats]], varying: list[str]
) -> list[tuple[str, tuple[object, object], list[tuple[tuple, tuple]]]]:
    """Per setting, its two levels and the setups alike but for it at those two: a setting
    of two levels, where both were measured alike otherwise; a setting of more, where some
    other settings meet just two of its levels (anantpathak's tensor split 0 against 8 in
    its "Dual GPU" section, 4 alone in "Quad GPU - Balanced")."""
    found = []
    for key in varying:
        levels = sorted({s.params[key] for s, _ in pairs if key in s.params}, key=_order)
        if len(levels) < 2:
            continue
        by_rest: dict[str, dict[object, tuple[Setup, MetricStats]]] = defaultdict(dict)
        for setup, stat in pairs:
            if key not in setup.params:
                continue
            rest = {k: v for k, v in setup.params.items() if k != key}
            name = "" if setup.synthetic else setup.config
            by_rest[f"{name}{PAIR_SEPARATOR}{settings_text(dict(sorted(rest.items())))}"][
                setup.params[key]
            ] = (setup, stat)
        by_levels: dict[tuple[object, object], list[tuple[tuple, tuple]]] = defaultdict(list)
        for levels_of in by_rest.values():
            met = sorted(levels_of, key=_order) if len(levels) > 2 else levels
            if len(met) != 2 or not all(level in levels_of for level in met):
                continue
            low, high = met
            if levels_of[high][1].mean > 0:
                by_levels[(low, high)].append((levels_of[low], levels_of[high]))
        ordered = sorted(by_levels.items(), key=lambda item: [_order(v) for v in item[0]])
        found += [(key, levels_met, matched) for levels_met, matched in ordered]
    return found


def _alike_pairs(
    pairs: list[tuple[Setup, MetricStats]], varying: list[str]
) -> tuple[str, list[KnownFigure]]:
    """Where a model's setups vary in several settings (lottolotto's TP A/B at 1-64 concurrent
    requests, two quantisations), the fastest against the slowest mixes them all ("the
    fastest 9169.4 % above the slowest"): for each setting, two of its levels whose setups
    are alike in every other setting (and config), side by side (`_level_pairs`). "" where
    none are."""
    sentences, figures = [], []
    for key, (low, high), matched in _level_pairs(pairs, varying):
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
    pooled: dict[str, list[tuple[Setup, MetricStats]]] = {}
    rates = _reported(digest, pooled=pooled)
    scenarios = _workloads(digest)
    out = _reported_findings(rates, "throughput", "tok/s", scenarios, pooled)
    for metric, words in _TIMES.items():
        # a ladder of three or more levels (two levels on every model are compared across
        # models by `setting_across_models`)
        pooled = {}
        times = {
            m: p
            for m, p in _reported(digest, metric, pooled).items()
            if m not in rates and len(p) > 2
        }
        out += _reported_findings(times, words, "ms", scenarios, pooled)
        rates = {**rates, **times}
    return out


# llama-bench's settings that spell its test (pp512, tg128 @ d16384): a setup naming them is
# named by its workload already.
_TEST_SETTINGS = frozenset({"n_prompt", "n_gen", "n_depth"})


def _workloads(digest: DataDigest) -> dict[tuple[str | None, str | None, str], set[str]]:
    """Each setup's workloads (scenarios, tests), by machine, engine and setup."""
    found: dict[tuple[str | None, str | None, str], set[str]] = defaultdict(set)
    for s in digest.stats:
        if s.group_by == f"{_SETUP}+workload" and s.workload and s.group:
            found[(s.machine, s.engine, s.group)].add(s.workload)
    return found


def _scenario_labels(
    pairs: list[tuple[Setup, MetricStats]],
    workloads: dict[tuple[str | None, str | None, str], set[str]],
) -> list[str] | None:
    """Each setup's one workload, where the workloads tell the setups apart and their
    settings do not name them: MLPerf's Offline run states no settings beside its Server and
    Interactive runs' request rates, and is its scenario, not "settings not stated". None
    where a setup ran several workloads or none, all ran one, or llama-bench's settings
    already spell the test."""
    labels = []
    for setup, _ in pairs:
        if _TEST_SETTINGS & set(setup.params):
            return None
        ran = workloads.get(
            (setup.machine, setup.engine, f"{setup.model}{PAIR_SEPARATOR}{setup.config}")
        )
        if not ran or len(ran) != 1:
            return None
        labels.append(next(iter(ran)))
    return labels if len(set(labels)) > 1 else None


def _reported_findings(
    by_model: dict[str, list[tuple[Setup, MetricStats]]],
    words: str,
    unit: str,
    workloads: dict[tuple[str | None, str | None, str], set[str]] | None = None,
    pooled: dict[str, list[tuple[Setup, MetricStats]]] | None = None,
) -> list[Finding]:
    out = []
    faster = -1 if unit == "tok/s" else 1  # a rate's fastest is its largest, a time's its least
    for key, pairs in sorted(by_model.items()):
        model, _, workload = key.partition(_IN_FILE)[0].partition(_ON_WORKLOAD)
        pairs.sort(key=lambda p: (faster * p[1].mean, p[0].config))
        keys = sorted({k for setup, _ in pairs for k in setup.params})
        varying = [k for k in keys if len({setting_value(s.params.get(k)) for s, _ in pairs}) > 1]
        first = pairs[0][0].params
        fixed = {k: first[k] for k in keys if k not in varying and k in first}
        shown = varying if len(pairs) > 1 else None  # one setup: all of its settings
        parts = []
        # Times as `chimera.findings.duration` writes them ("2377.00 s", not "2,377,000.00 ms":
        # savoirtech's 128 requests a level); their figures stay in ms, as the data has them.
        means = [s.mean for _, s in pairs]
        # counts whole as written ("512 tokens"); rates keep two decimals
        counted = fmt_all(means) if "/" not in unit else [fmt(m) for m in means]
        values = durations(means) if unit == "ms" else [f"{v} {unit}" for v in counted]
        scenarios = (
            _scenario_labels(pairs, workloads or {}) if len(pairs) > 1 and not workload else None
        )
        for i, ((setup, s), value) in enumerate(zip(pairs, values, strict=True)):
            runs = f" (n={s.runs})" if s.runs is not None else ""
            runs += _repeats_words(s)
            if scenarios is None:
                parts.append(f"{value}{runs} with {_level(setup, shown)}")
            else:  # "27,803.90 tok/s in Offline, 24,593.77 tok/s in Server with request_rate=83.5"
                settings = f" with {_level(setup, shown)}" if setup.params else ""
                parts.append(f"{value}{runs} in {scenarios[i]}{settings}")
        # A sweep of one numeric setting is listed in its order (depth 0, 1000, ... 210000;
        # savoirtech's concurrency 16, 32, 8, 4, 2, 1, 64 by time hid the fall to 1, 2, 4, 8
        # and the thrash at 64), its fastest still first in the headline: the trend is what
        # it measured; ranked by value it reads as noise.
        listed = parts if scenarios is not None else _in_sweep_order(parts, pairs, varying)
        figures = [_figure(s, setup) for setup, s in pairs]
        figures += [_figure(s, setup, "n") for setup, s in pairs if s.runs is not None]
        figures += [f for setup, s in pairs if s.n > 1 for f in _repeats_figures(s, setup)]
        sources = sorted({src for _, s in pairs for src in s.sources})
        held = f"; {settings_text(fixed)} the same" if fixed and len(pairs) > 1 else ""
        margin = ""
        (_, fast), (_, slow) = pairs[0], pairs[-1]
        # The fastest against the slowest spans one setting (or one unnamed config); over
        # setups that differ in more than one thing it mixes them all: lottolotto's
        # Qwen3.6-27B read "the fastest 418.7x the slowest", 64 concurrent requests at num_ctx
        # 32768 against one request at 131072, the KV-cache dtype varying beside them.
        levels = {tuple(setting_value(s.params.get(k)) for k in varying) for s, _ in pairs}
        one_axis = not varying or (len(varying) == 1 and len(levels) == len(pairs))
        if len(pairs) > 1 and one_axis and unit == "tok/s":
            ratio = fast.mean / slow.mean
            margin = (
                f": the fastest {ratio:.1f}x the slowest"  # not "41767.3 % above"
                if ratio >= 2
                else f": the fastest {pct_change(fast.mean, slow.mean):.1f} % above the slowest"
            )
        elif len(pairs) > 1 and one_axis:
            margin = f": the shortest {slow.mean / fast.mean:.2f}x as fast as the longest"
        if len(pairs) > 1 and values[0] == values[-1]:  # not "the fastest 0.0 % above"
            margin = ": the same figure each time"
        if margin and fast.mean > 0 and slow.mean > 0:
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
        on = f" (workload: {workload})" if workload else ""
        text = f"{reports} for {model}{on} {what} of {_joined(listed)}{held}{margin}."
        # What a summary quotes: the best setup's figure with the settings that tell it from
        # the rest (a clause cut short, "129.11 tok/s with ...", names no setup to trace).
        best = "fastest" if unit == "tok/s" else "shortest"
        headline = f"{reports} for {model}{on} {what} of {parts[0]}" + (
            f" (its {best} setup)" if len(pairs) > 1 else ""
        )
        if unit == "tok/s" and len(varying) > 1:
            alike, alike_figures = _alike_pairs(pairs, varying)
            text += alike
            figures += alike_figures
        # a ladder missing its rungs in silence reads as a jump (8.54 s at rate 2, 149 s at
        # 16, where rates 4 and 8 of the same file pool a random and a sharegpt line)
        left = sorted({
            setup.config
            for setup, st in (pooled or {}).get(model, [])
            if set(st.sources) <= set(sources)
        })  # fmt: skip
        if left:
            each, them = (" each", "them") if len(left) > 1 else ("", "it")
            text += (
                f" Left out: {_joined(left)}, reported more than once{each} (other workloads "
                f"or runs), so no one figure stands for {them}."
            )
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
        if workload:  # each figure is of that workload alone
            figures = [f.model_copy(update={"context": {**f.context, "workload": workload}})
                       for f in figures]  # fmt: skip
        out.append(
            Finding(
                id="",
                kind="reported",
                title=f"reported {words} of {model}" + (f", {workload}" if workload else ""),
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
    """'41.80 against 38.20 tok/s'; times as `chimera.findings.duration` writes them, each with its
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
                        | scope_context(digest, machine, engine)
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
                # where it ran: the same comparison on another machine or engine is another
                # finding, with another range
                headline=(
                    f"{setting}={fast} is {span} as fast as {setting}={slow} in {words}{where} "
                    f"on every model"
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
    name no machine. Configs where the engines report no throughput but the latencies a
    serving benchmark reports (SGLang's README against vLLM: median TTFT, TPOT and ITL at
    each request rate, no tok/s) are set side by side on each of those, shorter first."""
    found = _side_by_side(digest, THROUGHPUT, _single_values(digest))
    # setups with a throughput, of any kind (runs compared elsewhere): not compared by latency
    rated = {
        (s.machine, s.engine, s.group)
        for s in digest.stats
        if s.group_by == _SETUP and s.metric == THROUGHPUT
    }
    tpot = _single_latencies(digest, "tpot_ms")
    for metric in _LATENCIES:
        values = {k: v for k, v in _single_latencies(digest, metric).items() if k not in rated}
        found += _side_by_side(digest, metric, values, tpot if metric == "itl_ms" else None)
    return found


# The latencies engines are set side by side on where they report no throughput, with the
# words a sentence says them in.
_LATENCIES = {
    TTFT: "median TTFT",
    "tpot_ms": "median time per output token",
    "itl_ms": "median inter-token latency",
    "latency_ms": "median end-to-end latency",
}


def _single_latencies(digest: DataDigest, metric: str) -> dict[tuple, dict[str, MetricStats]]:
    """(machine, engine, "model / config") -> {metric: its one reported median}: a serving
    benchmark's summary reports each latency's median (and mean, percentiles); the median is
    the figure such tables compare."""
    found: dict[tuple, dict[str, MetricStats]] = defaultdict(dict)
    for s in digest.stats:
        one = s.n == 1 and s.mean > 0
        if one and s.group_by == _SETUP and s.metric == metric and s.aggregate == "median":
            found[(s.machine, s.engine, s.group)][metric] = s
    return found


def _side_by_side(
    digest: DataDigest,
    metric: str,
    values: dict[tuple, dict[str, MetricStats]],
    tpot: dict[tuple, dict[str, MetricStats]] | None = None,
) -> list[Finding]:
    """The findings setting engines side by side on `metric`, from one value per setup. An
    inter-token latency many times another engine's where its time per output token is not
    (`tpot`) is said to be tokens arriving in bursts: vLLM with --num-scheduler-steps 10
    against SGLang, "ITL 10 times" at a TPOT 0.94x."""
    rate = metric == THROUGHPUT
    conflicting = set(digest.conflicting_setups)
    # (machine, model) -> config -> engine -> (setup, value)
    table: dict[tuple, dict[str, dict[str, tuple[Setup, MetricStats]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        stat = values.get((setup.machine, setup.engine, label), {}).get(metric)
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
    unit = "tok/s" if rate else "ms"
    words = "generation throughput" if rate else _LATENCIES[metric]
    # the best is the largest rate, the shortest time
    better = (lambda v: -v) if rate else (lambda v: v)
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
                for engine, (_, stat) in sorted(
                    shared[config].items(), key=lambda e: better(e[1][1].mean)
                )
            )
            + f" {unit}"
            for config in configs[:MAX_MODELS_NAMED]
        )
        if len(configs) > MAX_MODELS_NAMED:
            rows += f"; and {len(configs) - MAX_MODELS_NAMED} more configs"
        # Each engine against the fastest at the most configs, over the configs both ran.
        wins: dict[str, int] = defaultdict(int)
        for per in shared.values():
            wins[min(per, key=lambda e: better(per[e][1].mean))] += 1
        best = max(engines, key=lambda e: (wins[e], e))
        spans = []
        figures: list[KnownFigure] = []
        for other in engines:
            if other == best:
                continue
            ratios = [
                (per[best][1].mean / per[other][1].mean)
                if rate
                else (per[other][1].mean / per[best][1].mean)
                for per in shared.values()
                if best in per and other in per and per[other][1].mean > 0
            ]
            if not ratios:
                continue
            low, high = min(ratios), max(ratios)
            span = f"{low:.2f}x" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}x"
            over = "1 config" if len(ratios) == 1 else f"{len(ratios)} configs"
            bursts, tpot_ratios = ("", []) if rate else _bursts(shared, best, other, high, tpot)
            spans.append(
                f"{best} runs {span} the throughput of {other} over {over}"
                if rate
                else f"{other}'s {words} is {span} {best}'s over {over}" + bursts
            )
            # the sides in the order the sentence writes them: a time's ratio is the other
            # engine's time over the best's ("vLLM's median TTFT is 3.32x Coalinfer's")
            side, versus = (best, other) if rate else (other, best)
            figures += [
                KnownFigure(value=r, unit="x", metric=metric, statistic="ratio",
                            kind=f"{metric} ratio",
                            context={"model": name, "engine": f"{side} vs {versus}"}
                            | sides_context(side, versus),
                            source=f"finding: reported {'throughput' if rate else words} "
                                   f"ratio of {side} to {versus}")
                for r in (low, high)
            ]  # fmt: skip
            figures += [
                KnownFigure(value=r, unit="x", metric="tpot_ms", statistic="ratio",
                            kind="tpot_ms ratio",
                            context={"model": name, "engine": f"{other} vs {best}"}
                            | sides_context(other, best),
                            source=f"finding: reported median time per output token ratio of "
                                   f"{other} to {best}")
                for r in (sorted({min(tpot_ratios), max(tpot_ratios)}) if tpot_ratios else [])
            ]  # fmt: skip
        if len(spans) > _MAX_SPANS:  # thirteen engines of premai's tables: the first named
            spans = spans[:_MAX_SPANS] + [f"and {len(spans) - _MAX_SPANS} more engines"]
        pairs = [pair for per in shared.values() for pair in per.values()]
        figures += [
            _figure(stat, setup, "median" if stat.aggregate == "median" else "mean")
            for setup, stat in pairs
        ]
        sources = sorted({src for _, stat in pairs for src in stat.sources})
        what = "each a value its file reports"
        subject = f"the model {in_file} does not name" if names_no_model(name) else name
        where = f" on {machine}" if machine else ""
        text = (
            f"Engines side by side on {subject}{where}, config by config ({words}"
            + (")" if rate else ", shorter first; the files report no throughput there)")
            + f": {rows}. "
            + "; ".join(spans)
            + f". One value per setup ({what}), so "
            "no difference is tested against a run-to-run spread."
        )
        out.append(
            Finding(
                id="",
                kind="engine_comparison",
                title=f"engines side by side on {subject}{where}" + ("" if rate else f" ({words})"),
                text=text,
                headline=spans[0] if spans else f"engines side by side on {subject}",
                figures=figures,
                groups=[f"{setup.model}{PAIR_SEPARATOR}{setup.config}" for setup, _ in pairs],
                sources=sources,
                verdict="info",
                caveats=["one value per setup: no run-to-run spread to test against"],
                importance=50.0 if rate else 45.0,
            )
        )
    return out


# An inter-token latency this many times another engine's, where the time per output token
# is not even a third as far apart, is gaps between bursts of tokens.
_BURSTS = 3.0


def _bursts(
    shared: dict[str, dict[str, tuple[Setup, MetricStats]]],
    best: str,
    other: str,
    itl_ratio: float,
    tpot: dict[tuple, dict[str, MetricStats]] | None,
) -> tuple[str, list[float]]:
    """', yet its median time per output token is 0.94x ...: tokens arrive in bursts' where
    the engines' TPOT of the same setups says so, and those ratios (its figures); "" and
    none otherwise."""
    if tpot is None or itl_ratio < _BURSTS:
        return "", []
    ratios = []
    for per in shared.values():
        if best not in per or other not in per:
            continue
        keys = [
            (s.machine, s.engine, f"{s.model}{PAIR_SEPARATOR}{s.config}")
            for s in (per[best][0], per[other][0])
        ]
        a, b = (tpot.get(k, {}).get("tpot_ms") for k in keys)
        if a is not None and b is not None and a.mean > 0:
            ratios.append(b.mean / a.mean)
    if not ratios or itl_ratio < _BURSTS * max(ratios):
        return "", []
    low, high = min(ratios), max(ratios)
    span = f"{low:.2f}x" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}x"
    return (
        f", yet its median time per output token is {span} {best}'s: {other}'s tokens arrive"
        " in bursts (several per gap, as multi-step scheduling or speculative decoding emit"
        " them), so its inter-token latency overstates the gap; the time per output token is"
        " the per-token speed"
    ), ratios


_BY_WORKLOAD = "model+config_name+workload"


def reported_by_workload(digest: DataDigest) -> list[Finding]:
    """Setups whose files report one figure a workload (GuideLLM's benchmarks: synchronous,
    throughput, constant@1.15) hold several figures, so `reported` (one figure a setup) leaves
    them out, and a mean over their workloads would mix loads. Where two setups of a model
    differ in one setting of two levels only (one GPU against two: IBM Cloud's lab), their
    throughput is set side by side on each workload both report: "tensor_parallel=2 against
    tensor_parallel=1 (settings otherwise alike): 58.70 against 39.50 tok/s on synchronous
    (1.49x), ...". No verdict: each figure is one the file had already computed."""
    setups = {
        (s.machine, s.engine, f"{s.model}{PAIR_SEPARATOR}{s.config}"): s for s in digest.setups
    }
    by_model: dict[tuple, dict[str, tuple[Setup, dict[str, MetricStats]]]] = defaultdict(dict)
    for st in digest.stats:
        if (st.group_by != _BY_WORKLOAD or st.metric != THROUGHPUT or st.aggregate != "mean"
                or st.n != 1 or not st.workload or st.mean <= 0):  # fmt: skip
            continue
        setup = setups.get((st.machine, st.engine, st.group))
        if setup is None or names_no_model(setup.model):
            continue
        key = (st.machine, st.engine, setup.model)
        by_model[key].setdefault(setup.config, (setup, {}))[1][st.workload] = st
    out = []
    for (machine, engine, model), found in sorted(by_model.items(), key=lambda i: str(i[0])):
        items = list(found.values())
        if all(len(figures) < 2 for _, figures in items):
            continue  # one figure a setup: `reported`'s
        keys = sorted({k for setup, _ in items for k in setup.params})
        for key in keys:
            # A setting of two levels (one GPU, two): of more, every pair would be a finding.
            levels = {setting_value(s.params[key]) for s, _ in items if key in s.params}
            if len(levels) != 2:
                continue
            for i, (a, of_a) in enumerate(items):
                for b, of_b in items[i + 1 :]:
                    apart = [
                        k for k in keys
                        if setting_value(a.params.get(k)) != setting_value(b.params.get(k))
                    ]  # fmt: skip
                    common = sorted(w for w in of_a if w in of_b)
                    if apart != [key] or not common or key not in a.params or key not in b.params:
                        continue
                    out.append(_by_workload_pair(digest, model, machine, engine, key, (a, of_a),
                                             (b, of_b), common))  # fmt: skip
    return out


def _by_workload_pair(
    digest: DataDigest,
    model: str | None,
    machine: str | None,
    engine: str | None,
    key: str,
    one: tuple[Setup, dict[str, MetricStats]],
    other: tuple[Setup, dict[str, MetricStats]],
    workloads: list[str],
) -> Finding:
    """The finding of `reported_by_workload` for two setups apart in `key` only."""
    (high, of_high), (low, of_low) = one, other
    if _order(high.params[key]) < _order(low.params[key]):
        (high, of_high), (low, of_low) = other, one
    parts, figures = [], []
    for w in workloads:
        h, lo = of_high[w], of_low[w]
        parts.append(f"{fmt(h.mean)} against {fmt(lo.mean)} tok/s on {w} ({h.mean / lo.mean:.2f}x)")
        figures += [_figure(h, high), _figure(lo, low)]
        figures.append(
            KnownFigure(value=h.mean / lo.mean, unit="x", metric=THROUGHPUT, statistic="ratio",
                        kind=f"{THROUGHPUT} ratio", context={**_context(high), "workload": w},
                        source=f"finding: reported throughput ratio of {key} levels")
        )  # fmt: skip
    sources = sorted({src for w in workloads for s in (of_high[w], of_low[w]) for src in s.sources})
    subject = f"{model}{scope_words(digest, machine, engine)}"
    text = (
        f"{named(sources, 'more files')} report{'s' if len(sources) == 1 else ''} for "
        f"{subject}, on each workload both setups ran, {key}={setting_value(high.params[key])} "
        f"against {key}={setting_value(low.params[key])} (settings otherwise alike): "
        + ", ".join(parts)
        + ". Each figure is one the file had already computed, so no difference is tested "
        "against the run-to-run spread."
    )
    return Finding(
        id="",
        kind="reported",
        title=f"reported throughput of {model} by {key}, workload by workload",
        text=text,
        figures=figures,
        groups=[f"{model}{PAIR_SEPARATOR}{s.config}" for s in (high, low)],
        sources=sources,
        verdict="info",
        caveats=["already-aggregated values, no run-to-run spread to test against"],
        importance=40.0,
    )


# Machines named one by one in a sentence, fastest first; the rest are counted.
_MAX_MACHINES = 10
_RATES = {THROUGHPUT: "generation throughput", PROMPT_RATE: "prompt processing"}


def _stated_spreads(digest: DataDigest) -> dict[tuple, float]:
    """(machine, engine, "model / config", metric) -> the standard deviation a file states
    beside its one mean (llama-bench CSV's stddev_ts)."""
    return {
        (s.machine, s.engine, s.group, s.metric): s.mean
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate == "std" and s.n == 1
    }


def _file_means(digest: DataDigest) -> dict[tuple, dict[str, MetricStats]]:
    """(machine, engine, "model / config") -> rate -> the mean a file reports, or the mean
    of the means several files each report of that one setup (anantpathak's A30 test in
    five sessions' reports). Several means from fewer files are rows the digest could not
    tell apart, and a setup measured per run is compared on its runs: neither is kept."""
    runs = {
        (s.machine, s.engine, s.group, s.metric)
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate is None and s.n
    }
    found: dict[tuple, dict[str, MetricStats]] = defaultdict(dict)
    for s in digest.stats:
        if s.group_by != _SETUP or s.aggregate != "mean" or s.metric not in _RATES:
            continue
        if s.mean <= 0 or s.n != len(s.sources) or (s.machine, s.engine, s.group, s.metric) in runs:
            continue
        found[(s.machine, s.engine, s.group)][s.metric] = s
    return found


def _mean_words(stat: MetricStats) -> str:
    """' (the mean of 5 files' means, 74.91-75.92)' where several files report the setup."""
    if stat.n < 2:
        return ""
    return f" (the mean of {stat.n} files' means, {fmt(stat.min)}-{fmt(stat.max)})"


def machines_side_by_side(digest: DataDigest) -> list[Finding]:
    """Per model, test and settings, the machines whose files each report one mean of it
    (community llama-bench tables: avg_ts of the same -m, -p / -n, -ngl and -fa on ten
    cards), fastest first. `factors.scope_comparisons` compares machines on runs, and leaves
    reported means out; these are set side by side as what they are, means of runs the files
    do not give, with the standard deviation a file states beside its mean (llama-bench's
    stddev_ts): two machines whose means lie within their stated spreads of each other are
    said to be so, and nothing more is tested. Settings a machine dictates (its thread count)
    and -ngl values that all mean "every layer on the GPU" do not set two setups apart
    (`factors.comparable_settings`). Machines are compared on one engine (llama.cpp's
    backends alike); a machine measured with two backends of it names each beside its figure."""
    from chimera.findings.factors import comparable_settings

    values = _file_means(digest)
    spreads = _stated_spreads(digest)
    scenarios = _workloads(digest)
    conflicting = set(digest.conflicting_setups)
    # (model, rate, test, engine family) -> (machine, engine, settings) -> (setup, its mean,
    # its settings but the test's)
    table: dict[tuple, dict[tuple, tuple[Setup, MetricStats, dict]]] = defaultdict(dict)
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        if setup.machine is None or names_no_model(setup.model) or label in conflicting:
            continue  # a file that names no machine (or model) may be any one
        # Reported means only: `factors.scope_comparisons` compares machines on runs.
        for metric, stat in values.get((setup.machine, setup.engine, label), {}).items():
            settings = comparable_settings(setup.model, setup.params)
            test = settings_text({k: v for k, v in settings.items() if k in WORKLOAD})
            ran = scenarios.get((setup.machine, setup.engine, label), set())
            if not test and len(ran) == 1:
                # a setup's one workload where no setting names it: MLPerf's Offline runs
                # (their Server runs state a request rate) were set side by side unnamed
                test = next(iter(ran))
            rest = {k: v for k, v in settings.items() if k not in WORKLOAD}
            # Two setups of one machine and test (-ngl 99 and -ngl 0): each its own row.
            scope = (setup.machine, setup.engine, settings_text(rest))
            # Machines are compared on one engine: TensorRT-LLM on an A100 against llama.cpp
            # on an M2 Max would say as much about the engines.
            family = (setup.engine or "").split(" ")[0]
            key = (str(setup.model), metric, test, family)
            table[key].setdefault(scope, (setup, stat, rest))
    groups = [
        (model, metric, test, family, cluster)
        for (model, metric, test, family), entries in sorted(table.items())
        for cluster in _alike_settings(entries)
        if len({machine for machine, _, _ in cluster}) >= 2
    ]
    # Two machines alone over many tests (llama-benchy's depths and concurrencies on an RTX
    # 5090 and a Strix Halo): one finding for the pair, not one per test.
    by_pair: dict[tuple, list[tuple]] = defaultdict(list)
    for group in groups:
        model, metric, test, family, cluster = group
        if len(cluster) == 2:
            machines = tuple(sorted(machine for machine, _, _ in cluster))
            by_pair[(machines, metric, family)].append(group)
    out, paired = [], set()
    for (machines, metric, family), pair_groups in sorted(by_pair.items()):
        if len(pair_groups) >= _MIN_TESTS_PAIRED:
            out.append(_pair_finding(machines, metric, family, pair_groups, spreads))
            paired.update(id(group) for group in pair_groups)
    for group in groups:
        if id(group) not in paired:
            model, metric, test, family, cluster = group
            finding = _machines_finding(model, metric, test, family, cluster, spreads)
            if finding is not None:
                out.append(finding)
    return out


# Tests two machines alone report from which one finding sums them up.
_MIN_TESTS_PAIRED = 3


def _spread_of(
    spreads: dict[tuple, float], scope: tuple, setup: Setup, metric: str
) -> float | None:
    label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
    return spreads.get((scope[0], scope[1], label, metric))


def _pair_finding(
    machines: tuple[str, str],
    metric: str,
    family: str,
    groups: list[tuple],
    spreads: dict[tuple, float],
) -> Finding:
    """Two machines' reported means over the models and tests both report: the range of
    their ratios, each test named with its ratio where they are few, else the two at the
    ends of the range."""
    # The settings that tell the tests apart besides their workload (anantpathak's CPU-only,
    # partial and full offload sections of one tg128): named with each test.
    stated = [
        {k: v for _, _, rest in cluster.values() for k, v in rest.items()} for *_, cluster in groups
    ]
    apart = sorted(
        {k for settings in stated for k in settings}
        - {k for k in stated[0] if all(s.get(k) == stated[0][k] for s in stated)}
    )
    # per test: (model, test and the settings apart, first machine's (scope, setup, stat),
    # the second's)
    tests = []
    for (model, _, test, _, cluster), settings in zip(groups, stated, strict=True):
        by_machine = {scope[0]: (scope, setup, stat) for scope, (setup, stat, _) in cluster.items()}
        words = "; ".join(
            w for w in (test, settings_text({k: settings[k] for k in apart if k in settings})) if w
        )
        tests.append((model, words, by_machine[machines[0]], by_machine[machines[1]]))
    ratios = [a[2].mean / b[2].mean for _, _, a, b in tests]
    if statistics.median(ratios) < 1:  # the faster machine first
        tests = [(m, t, b, a) for m, t, a, b in tests]
        ratios = [1 / r for r in ratios]
        machines = (machines[1], machines[0])
    fast, slow = machines
    what = _RATES[metric]
    ordered = sorted(zip(ratios, tests, strict=True), key=lambda item: item[0])
    low, high = ordered[0][0], ordered[-1][0]
    span = f"{low:.2f}x" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}x"
    models = sorted({model for model, _, _, _ in tests})

    def example(item: tuple, ratio: bool = False) -> str:
        r, (model, test, a, b) = item
        on = f"{model} ({test})" if test else model
        return (
            f"{on} {fmt(a[2].mean)}{_mean_words(a[2])} against {fmt(b[2].mean)}"
            f"{_mean_words(b[2])} tok/s" + (f" ({r:.2f}x)" if ratio else "")
        )

    with_family = f" with {family}" if family else ""
    text = (
        f"{fast} against {slow}{with_family}, {what} as each file reports it, on the "
        f"{len(tests)} tests of {len(models)} model{'s' if len(models) > 1 else ''} both "
        f"report: {fast} reports {span} the figure of {slow} (median "
        f"{statistics.median(ratios):.2f}x); "
        + (
            # A few tests each named (CPU-only beside full offload), else the two at the ends.
            "; ".join(example(item, ratio=True) for item in ordered)
            if len(ordered) <= _MAX_PAIRS
            else f"from {example(ordered[0])} to {example(ordered[-1])}"
        )
        + "."
    )
    engines = {side[0][1] for *_, a, b in tests for side in (a, b)}
    if len(engines) > 1:
        of = {side[0][0]: side[0][1] for *_, a, b in tests for side in (a, b)}
        text += (
            f" Engines as the files state them: {of.get(fast) or 'not named'} on {fast}, "
            f"{of.get(slow) or 'not named'} on {slow}."
        )
    slower = sum(r < 1 for r in ratios)
    if slower:
        text += f" {slow} reports the higher figure on {slower} of them."
    close = sum(
        (sa := _spread_of(spreads, a[0], a[1], metric)) is not None
        and (sb := _spread_of(spreads, b[0], b[1], metric)) is not None
        and abs(a[2].mean - b[2].mean) <= sa + sb
        for _, _, a, b in tests
    )
    if close:
        text += f" On {close} of them the two lie within their stated spreads of each other."
    text += (
        " Each figure is a mean its file reports, not a run, so no difference is tested "
        "against a run-to-run spread."
    )
    figures = []
    for _, _, a, b in tests:
        for scope, setup, stat in (a, b):
            figures.append(
                _figure(stat, setup).model_copy(
                    update={"context": {**_context(setup), "machine": scope[0]}}
                )
            )
    figures += [
        KnownFigure(value=r, unit="x", metric=metric, statistic="ratio", kind=f"{metric} ratio",
                    context={"model": model, "machine": f"{fast} vs {slow}"},
                    source=f"finding: reported {metric} ratio of {fast} to {slow}, {model} {test}")
        for r, (model, test, _, _) in ordered
    ]  # fmt: skip
    return Finding(
        id="",
        kind="machine_comparison",
        title=f"{fast} against {slow}{with_family} ({what}, reported means)",
        text=text,
        headline=f"{fast} reports {span} the {what} of {slow}",
        figures=figures,
        groups=[fast, slow],
        sources=sorted({src for *_, a, b in tests for side in (a, b) for src in side[2].sources}),
        verdict="info",
        caveats=["reported means of each machine: no run-to-run spread to test against"],
        importance=52.0 + (1.0 if metric == THROUGHPUT else 0.0),
    )


def _figure_key(fig: KnownFigure) -> tuple:
    return (fig.metric, round(fig.value, 6), tuple(sorted(fig.context.items())))


def drop_restated(found: list[Finding]) -> list[Finding]:
    """`found` without the reported findings of one figure a side-by-side finding states
    already (one of several setups adds the others and their ratios, and stays): coalinfer's
    README gave "engines side by side on Llama-3.1-70B on H100" (Coalinfer 3856.01, vLLM
    3700.64 tok/s), then "reported throughput of Llama-3.1-70B on H100 with Coalinfer" and
    "... with vLLM", each one of those two figures again."""
    side_by_side = {
        _figure_key(fig)
        for f in found
        if f.kind in ("engine_comparison", "machine_comparison")
        for fig in f.figures
        if fig.statistic in ("mean", "median")
    }
    out = []
    for f in found:
        values = [fig for fig in f.figures if fig.statistic in ("mean", "median")]
        if f.kind == "reported" and len(values) == 1 and _figure_key(values[0]) in side_by_side:
            continue
        out.append(f)
    return out


def _compatible(a: dict, b: dict) -> bool:
    """Whether two setups' settings agree wherever both state one."""
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def _alike_settings(entries: dict[tuple, tuple]) -> list[dict[tuple, tuple]]:
    """The machines' setups of one model and test, in groups whose settings agree wherever
    both state one: one note writes `-fa 1`, another leaves it to llama-bench's default, and
    a Metal table has no -ngl column; those stand side by side, each saying what it does not
    state. Setups that state two values of a setting (fa 0 and fa 1) never meet, and a setup
    stating less, alike to several such groups, stands apart rather than join one at random."""
    exact: dict[str, dict[tuple, tuple]] = defaultdict(dict)
    for scope, entry in entries.items():
        exact[scope[2]][scope] = entry
    clusters: list[tuple[dict, dict[tuple, tuple]]] = []  # (settings stated, setups)
    apart: list[tuple[dict, dict[tuple, tuple]]] = []  # alike to several clusters
    # The setups stating most first: a setup stating less joins them, not they it.
    order = sorted(exact.items(), key=lambda g: (-len(next(iter(g[1].values()))[2]), g[0]))
    for _, group in order:
        settings = next(iter(group.values()))[2]
        fits = [c for c in clusters if _compatible(c[0], settings)]
        if len(fits) == 1:
            fits[0][0].update(settings)
            fits[0][1].update(group)
        elif fits:
            apart.append((dict(settings), dict(group)))  # -ngl unstated beside 0 and 99
        else:
            clusters.append((dict(settings), dict(group)))
    # Setups alike to several groups stand apart from them, together where they agree
    # (two Metal notes without an -ngl column), so that none decides where a later one goes.
    together: list[tuple[dict, dict[tuple, tuple]]] = []
    for settings, group in apart:
        fits = [c for c in together if _compatible(c[0], settings)]
        if len(fits) == 1:
            fits[0][0].update(settings)
            fits[0][1].update(group)
        else:
            together.append((settings, group))
    return [members for _, members in clusters + together]


def _machines_finding(
    model: str,
    metric: str,
    test: str,
    family: str,
    entries: dict[tuple, tuple[Setup, MetricStats, dict]],
    spreads: dict[tuple, float],
) -> Finding | None:
    """One model and test on several machines, their reported means fastest first."""
    from chimera.findings.factors import machine_bound

    if len({machine for machine, _, _ in entries}) < 2:
        return None
    # The setups agree wherever two state a setting (`_alike_settings`): one value each.
    stated = dict(
        sorted({k: v for _, _, rest in entries.values() for k, v in rest.items()}.items())
    )
    ranked = sorted(entries.items(), key=lambda item: (-item[1][1].mean, str(item[0])))
    by_machine = [machine for machine, _, _ in entries]
    doubled = {m for m in by_machine if by_machine.count(m) > 1}

    def name(scope: tuple) -> str:
        machine, engine, _ = scope
        return f"{machine} ({engine or 'engine not named'})" if machine in doubled else machine

    def spread(scope: tuple, setup: Setup) -> float | None:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        return spreads.get((scope[0], scope[1], label, metric))

    def unstated(rest: dict) -> str:
        missing = [k for k in stated if k not in rest]
        return f" ({', '.join(missing)} not stated)" if missing else ""

    def entry(scope: tuple, setup: Setup, stat: MetricStats, rest: dict) -> str:
        return (
            f"{name(scope)} {fmt(stat.mean)}"
            + (f" ± {fmt(sd)}" if (sd := spread(scope, setup)) is not None else "")
            + _mean_words(stat)
            + unstated(rest)
        )

    # The slowest of another machine: ROCm and Vulkan on one Strix Halo are no machine pair.
    fast_scope, (_, fast, _) = ranked[0]
    slow_at = max(i for i, e in enumerate(ranked) if e[0][0] != fast_scope[0])
    slow_scope, (_, slow, _) = ranked[slow_at]
    if len(ranked) <= _MAX_MACHINES or slow_at < _MAX_MACHINES:
        listing = ", ".join(entry(scope, *held) for scope, held in ranked[:_MAX_MACHINES])
        if len(ranked) > _MAX_MACHINES:
            listing += f" and {len(ranked) - _MAX_MACHINES} more"
    else:  # the machine the comparison below names is listed, not one of "2 more"
        shown = ranked[: _MAX_MACHINES - 1]
        listing = ", ".join(entry(scope, *held) for scope, held in shown)
        more = len(ranked) - len(shown) - 1
        last = entry(slow_scope, *ranked[slow_at][1])
        listing += (f", {more} more" if more else "") + f", down to {last}"
    ratio = fast.mean / slow.mean
    what = _RATES[metric]
    gap = (
        f"{ratio:.2f}x the figure of"
        if ratio >= 2
        else f"{pct_change(fast.mean, slow.mean):.1f} % above"
    )
    versus = f"{name(fast_scope)} reports {gap} {name(slow_scope)}"
    held = settings_text(stated)
    on = (f"{model} ({test})" if test else model) + (f" with {family}" if family else "")
    model_on = model + (f" with {family}" if family else "")
    text = (
        f"Machines side by side on {on}, {what} as each file reports it"
        + (f" ({held} where stated)" if held else "")
        + f", fastest first: {listing} tok/s. {versus}."
    )
    # The backends and builds of one engine family differ with the machine (CUDA, Metal):
    # part of what is compared, so said.
    by_engine: dict[str, list[str]] = defaultdict(list)
    for scope, _ in ranked:
        by_engine[scope[1] or "engine not named"].append(scope[0])
    if len(by_engine) > 1:
        text += (
            " Engines as the files state them: "
            + "; ".join(f"{engine} on {', '.join(names)}" for engine, names in by_engine.items())
            + "."
        )
    # Neighbours whose means lie within their stated spreads of each other: not told apart.
    close = []
    for (a_scope, (a_setup, a, _)), (b_scope, (b_setup, b, _)) in zip(
        ranked, ranked[1:], strict=False
    ):
        sd_a, sd_b = spread(a_scope, a_setup), spread(b_scope, b_setup)
        if sd_a is not None and sd_b is not None and a.mean - b.mean <= sd_a + sd_b:
            close.append(f"{name(a_scope)} and {name(b_scope)}")
    if close:
        text += f" Within their stated spreads of each other: {'; '.join(close)}."
    spreads_stated = sum(spread(scope, setup) is not None for scope, (setup, _, _) in ranked)
    text += (
        " Each figure is a mean its file reports, not a run"
        + (
            " (± the standard deviation it states)"
            if spreads_stated == len(ranked)
            else f" (± the standard deviation where stated: {spreads_stated} of {len(ranked)})"
            if spreads_stated
            else ", and no spread beside it is read"
        )
        + ", so no difference is tested against a run-to-run spread."
    )
    # Named where the machines' values differ (Metal's thread counts), not where all alike.
    levels: dict[str, set[str]] = defaultdict(set)
    for _, (setup, _, _) in ranked:
        for k, v in machine_bound(setup.params).items():
            levels[k].add(setting_value(v))
    bound = {k for k, values in levels.items() if len(values) > 1}
    if bound:
        text += f" Each machine with its own {', '.join(sorted(bound))}."
    caveats = ["reported means of each machine: no run-to-run spread to test against"]
    if any(unstated(rest) for _, (_, _, rest) in ranked):
        caveats.append("settings some files do not state")
    figures = [
        _figure(stat, setup).model_copy(
            update={"context": {**_context(setup), "machine": scope[0]}}
        )
        for scope, (setup, stat, _) in ranked
    ]
    figures.append(
        KnownFigure(
            value=ratio, unit="x", metric=metric, statistic="ratio",
            kind=f"{metric} ratio",
            context={"model": model, "machine": f"{fast_scope[0]} vs {slow_scope[0]}"},
            source=f"finding: reported {metric} ratio of {fast_scope[0]} to {slow_scope[0]}",
        )
    )  # fmt: skip
    return Finding(
        id="",
        kind="machine_comparison",
        title=f"machines side by side on {model_on} ({what}" + (f", {test})" if test else ")"),
        text=text,
        headline=f"{versus} on {model_on} ({what})",
        figures=figures,
        groups=[f"{setup.model}{PAIR_SEPARATOR}{setup.config}" for _, (setup, _, _) in ranked],
        sources=sorted({src for _, (_, st, _) in ranked for src in st.sources}),
        verdict="info",
        caveats=caveats,
        # Throughput before prompt processing, then the comparison of more machines.
        importance=50.0 + (1.0 if metric == THROUGHPUT else 0.0) + min(len(ranked), 10) * 0.1,
    )


# A setup's reported means in two files are said to disagree `_FILES_APART_PCT` apart and,
# where the files state each mean's deviation (llama-bench's "758.22 ± 1.75"), by more than
# this many of the two deviations summed: the repetitions' own scatter cannot span the gap.
_STATED_DEVIATIONS_APART = 3.0


def reported_sessions(digest: DataDigest) -> list[Finding]:
    """A setup that several files each report one mean of, with the same recorded settings,
    where the files' means lie far apart (1337hero's captures of GPU 0 at fa 0, n_batch 256:
    pp512 758.55 and 758.22 tok/s in two, 2529.75 and 2428.89 in the next two, a ReBAR and
    slot change only the README names). Something the files do not record changed between
    them, so the setup's mean over the files describes none of them. The runs' analogue is
    `factors.sessions`; reported means have no runs to test, so the gap is judged on its size
    and on the deviations the files state beside their means."""
    runs = {
        (s.machine, s.engine, s.group, s.metric)
        for s in digest.stats
        if s.group_by == _SETUP and s.aggregate is None and s.n
    }
    # (machine, engine, "model / config", metric) -> file -> aggregate -> its one figure
    per_file: dict[tuple, dict[str, dict[str, MetricStats]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for s in digest.stats:
        if s.group_by != f"{_SETUP}+file" or s.metric not in _RATES or s.n != 1 or not s.file:
            continue
        if s.aggregate in ("mean", "std"):
            per_file[(s.machine, s.engine, s.group, s.metric)][s.file][s.aggregate] = s
    setups = {
        (setup.machine, setup.engine, f"{setup.model}{PAIR_SEPARATOR}{setup.config}"): setup
        for setup in digest.setups
    }
    conflicting = set(digest.conflicting_setups)
    out = []
    for key, files in sorted(per_file.items(), key=lambda item: str(item[0])):
        machine, engine, label, metric = key
        setup = setups.get((machine, engine, label))
        if setup is None or key in runs or label in conflicting or names_no_model(setup.model):
            continue
        means = sorted(
            ((path, f["mean"]) for path, f in files.items() if "mean" in f and f["mean"].mean > 0),
            key=lambda item: (-item[1].mean, item[0]),
        )
        if len(means) < 2:
            continue
        (high_file, high), (low_file, low) = means[0], means[-1]
        apart = 100.0 * (high.mean / low.mean - 1.0)
        if apart < _FILES_APART_PCT:
            continue
        stated = [files[path].get("std") for path in (high_file, low_file)]
        deviations = [d.mean for d in stated if d is not None]
        if len(deviations) == 2 and high.mean - low.mean <= _STATED_DEVIATIONS_APART * sum(
            deviations
        ):
            continue
        dates = {digest.file_dates.get(path) for path, _ in means}
        dated = None not in dates and len(dates) == len(means)  # one day each: worth saying
        # each figure names its rate in its own clause ("758.22 tok/s prompt processing")
        listing = "; ".join(
            f"{rate(s.mean, metric)} in {path}" + (f" ({digest.file_dates[path]})" if dated else "")
            for path, s in means
        )
        ratio = high.mean / low.mean
        apart_words = f"{ratio:.1f}x" if ratio >= 2 else f"{apart:.1f} % above"
        spread = (
            f", far beyond the deviations they state beside them (± {fmt(max(deviations))} at most)"
            if len(deviations) == 2
            else " (no deviation stated)"
        )
        settings = settings_text(setup.params)
        subject = f"{setup.model}{scope_words(digest, machine, engine)}"
        text = (
            f"{len(means)} files report {subject} with the same settings"
            + (f" ({settings})" if settings else "")
            + f", each its own {_RATES[metric]}: {listing}, the highest {apart_words} the lowest"
            + f"{spread}. Something the files do not record changed between them (a driver, "
            "firmware, a slot, the machine's load), so no one figure stands for this setup: a "
            "mean over the files mixes them."
        )
        figures = [
            _figure(s, setup).model_copy(update={"context": {**_context(setup), "file": path}})
            for path, s in means
        ] + [
            KnownFigure(value=ratio if ratio >= 2 else apart, unit="x" if ratio >= 2 else "%",
                        metric=metric, statistic="ratio" if ratio >= 2 else "pct",
                        kind=f"{metric} {'ratio' if ratio >= 2 else 'pct'}",
                        context=_context(setup),
                        source="finding: highest over lowest of the files' reported means")
        ]  # fmt: skip
        out.append(
            Finding(
                id="",
                kind="sessions",
                title=f"files that disagree on {setup.model}{PAIR_SEPARATOR}{setup.config}",
                text=text,
                headline=(
                    f"{setup.model}: {len(means)} files report the same settings and disagree "
                    f"on {_RATES[metric]}"
                ),
                figures=figures,
                groups=[label],
                sources=sorted(path for path, _ in means),
                verdict="real",
                caveats=["files differ in something they do not record"],
                importance=45.0,
            )
        )
    return out


def models_side_by_side(digest: DataDigest) -> list[Finding]:
    """Per file, machine and engine, the models the file reports one mean throughput of at
    the same settings, fastest first (okazaki's README: six Ollama models' eval rates, each
    the mean of five runs of one prompt on two Arc A770s). `reported` lists each model's
    setups apart, and `factors` ranks models on their runs only, so such a table was never
    read across its rows. One file's table only: models in files of their own may have run
    other workloads (MLPerf's benchmarks, each its own dataset). Means the file computed,
    with no spread: no verdict."""
    values = _single_values(digest)
    workloads = _workloads(digest)
    conflicting = set(digest.conflicting_setups)
    # (file, machine, engine) -> settings and workload -> model -> (setup, its mean)
    table: dict[tuple, dict[str, dict[str, tuple[Setup, MetricStats]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for setup in digest.setups:
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        stat = values.get((setup.machine, setup.engine, label), {}).get(THROUGHPUT)
        if stat is None or stat.aggregate != "mean" or label in conflicting:
            continue  # single runs are ranked on their runs (`factors`)
        if names_no_model(setup.model) or len(stat.sources) != 1:
            continue
        settings = settings_text(dict(sorted(setup.params.items())))
        ran = sorted(workloads.get((setup.machine, setup.engine, label), set()))
        if len(ran) > 1:
            continue  # one mean of several workloads
        if ran:  # models of one setting on two workloads are not side by side
            settings = f"{settings}, {ran[0]}" if settings else ran[0]
        key = (stat.sources[0], setup.machine, setup.engine)
        table[key][settings][str(setup.model)] = (setup, stat)
    out = []
    for (path, machine, _), by_settings in sorted(table.items(), key=lambda i: str(i[0])):
        setups_of: dict[str, int] = defaultdict(int)
        for per in by_settings.values():
            for model in per:
                setups_of[model] += 1
        # models at no stated setting, where a model has stated settings besides, are not
        # known to be alike (the unstated may be a default, another workload)
        shared = {
            k: v
            for k, v in by_settings.items()
            if len(v) >= 2 and (k or all(setups_of[model] == 1 for model in v))
        }
        if not shared:
            continue
        rows, figures, pairs = [], [], []
        for settings in sorted(shared)[:MAX_MODELS_NAMED]:
            ranked = sorted(shared[settings].items(), key=lambda item: (-item[1][1].mean, item[0]))
            (fast, (_, fast_stat)), (slow, (_, slow_stat)) = ranked[0], ranked[-1]
            ratio = fast_stat.mean / slow_stat.mean
            listing = ", ".join(f"{model} {fmt(stat.mean)} tok/s" for model, (_, stat) in ranked)
            alike = f"At {settings}" if settings else "At the same settings (none stated)"
            rows.append(f"{alike}: {listing}; {fast} runs {ratio:.2f}x the throughput of {slow}.")
            pairs += [pair for _, pair in ranked]
            figures.append(
                KnownFigure(value=ratio, unit="x", metric=THROUGHPUT, statistic="ratio",
                            kind=f"{THROUGHPUT} ratio",
                            context={"model": f"{fast} vs {slow}"} | sides_context(fast, slow),
                            source="finding: reported throughput ratio of the fastest model "
                                   "to the slowest")
            )  # fmt: skip
        if len(shared) > MAX_MODELS_NAMED:
            rows.append(f"And {len(shared) - MAX_MODELS_NAMED} more settings.")
        figures = [_figure(stat, setup) for setup, stat in pairs] + figures
        models = {str(setup.model) for setup, _ in pairs}
        unstated = any(stat.runs is None for _, stat in pairs)
        single = all(stat.runs == 1 for _, stat in pairs)  # "Single run per model"
        where = f" on {machine}" if machine else ""
        text = (
            f"{path} reports{where} the generation throughput of models side by side. "
            + " ".join(rows)
            + (
                " Each figure is a single run, so no difference is tested against a spread."
                if single
                else " Each figure is a mean the file had already computed"
                + (" (it does not say over how many runs)" if unstated else "")
                + ", so no difference is tested against the run-to-run spread."
            )
        )
        first = sorted(shared)[0]
        best = max(shared[first].items(), key=lambda item: (item[1][1].mean, item[0]))
        out.append(
            Finding(
                id="",
                kind="reported",
                title=f"reported throughput of {len(models)} models in {path}",
                text=text,
                headline=f"{path}: the fastest model is {best[0]}",
                figures=figures,
                groups=[f"{s.model}{PAIR_SEPARATOR}{s.config}" for s, _ in pairs],
                sources=[path],
                verdict="info",
                caveats=[
                    "single runs, no run-to-run spread to test against"
                    if single
                    else "already-aggregated values, no run-to-run spread to test against"
                ],
                importance=45.0,
            )
        )
    return out
