"""Models against each other on one machine: throughput and TTFT ranking, quantisations.

Models are compared like for like where the data allows it: on a set of settings every one
of them was measured with, over the prompts or tests they all ran. Otherwise over all their
rows, and the finding says that those rows mix different configs. Models of two machines
are never ranked together (`factors` compares machines); a ranking of runs whose files name
no machine, in a folder that names several, says the models may have run on different
machines (nothing tells which ran where). TTFT is ranked by its median where
one slow call pulls a mean away from its median (a mean a single cold call can reorder). A
ratio above 2 is said as "x as fast".
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from chimera.findings import placement
from chimera.findings.difference import _noun, compare
from chimera.findings.duration import duration
from chimera.findings.finding import Finding
from chimera.findings.measured import (
    MAX_MODELS_NAMED,
    PROMPT_RATE,
    THROUGHPUT,
    TTFT,
    Measured,
    fmt,
    named,
    rate,
    settings_text,
)
from chimera.findings.settings_effects import RATE_WORDS, distinct_settings, sides_context
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import MetricStats
from chimera.ingest.digest.table import names_no_model

# A model tag's size and variant: "1b-it-qat" -> ("1b", "it-qat"), "8b-q4_k_m" -> ("8b", ...)
_TAG = re.compile(r"^(?P<size>\d+(?:\.\d+)?[bmk])(?:[-_](?P<variant>.+))?$", re.I)
_QUANT_WORDS = re.compile(r"q\d|qat|fp16|f16|bf16|fp[48]|int8|int4|gguf|awq|gptq|mxfp|nvfp", re.I)
# A quantisation at the end of a model's name: a GGUF file's ("Qwen3-4B-Q5_K_M" ->
# ("Qwen3-4B", "Q5_K_M")) or a checkpoint's ("Llama-3.1-8B-Instruct-FP8", "llama31-8b-nvfp4",
# "Qwen2.5-7B-Instruct-AWQ"): the same model's variants, compared as quantisations.
_GGUF_QUANT = re.compile(
    r"^(?P<base>.+?)[-_.](?P<quant>(?:UD-)?(?:[IT]?Q\d[\w]*|F16|BF16|F32|MXFP4\w*|NVFP4|FP[48]"
    r"|FP8[-_]dynamic|INT[48]|W[48]A(?:8|16)|AWQ|GPTQ(?:[-_]Int[48])?|EXL2))$",
    re.I,
)
_SKEWED = 3.0  # a max this many times the median marks a mean one call can pull
# Ollama's library tag of a size alone ("llama3.1:8b") is an alias of one of its tagged
# builds, for most models the (instruct) Q4_K_M one ("llama3.1:8b-instruct-q4_K_M", the same
# digest): a comparison of the two may be of one build under two tags.
_DEFAULT_BUILD = re.compile(r"(?:^|[-_])q4_k_m$", re.I)


def _scopes(ms: Sequence[Measured]) -> dict[tuple, list[Measured]]:
    grouped: dict[tuple, list[Measured]] = defaultdict(list)
    for m in ms:
        if not names_no_model(m.model):
            grouped[m.scope].append(m)
    return grouped


def _shared_setup(
    setups: Sequence[Measured], models: list[str], apart: frozenset[str] = frozenset()
) -> dict[str, Measured] | None:
    """One setup per model on the settings most of the models (two at least) share; the
    settings in `apart` are what tells the models apart, not a difference of setup."""
    per_model: dict[str, list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model in models and THROUGHPUT in m.metrics:
            per_model[m.model].append(m)
    by_params: dict[str, dict[str, Measured]] = defaultdict(dict)
    for model, ms in per_model.items():
        # Configs of one model that state the same settings under two names (two headings
        # that state none: "Test 2", "Test 4") are not one setup: none stands for the model.
        named = Counter(_shared_key(m, apart) for m in ms if "config" in m.context)
        for m in distinct_settings(ms):
            key = _shared_key(m, apart)
            if named[key] < 2:
                by_params[key][model] = m
    shared = [group for group in by_params.values() if len(group) >= 2]
    if not shared:
        return None
    return max(
        shared,
        key=lambda g: (
            len(g),
            sum(m.metrics[THROUGHPUT].n for m in g.values()),
            sum(m.metrics[THROUGHPUT].mean for m in g.values()),
        ),
    )


def _quantisation_apart(setups: Sequence[Measured], models: list[str]) -> frozenset[str]:
    """The quantisation, where it is what tells quantisations of one model apart (each at
    one, its name's: `llama31-8b-nvfp4` beside `llama31-8b-fp8`): they then share a setup on
    their other settings, as `quantization` compares them. Nothing where a model ran two, or
    the models are not all one model's (an fp8 Qwen beside an unquantised gpt-oss: not like
    for like)."""
    families = {parts[0] if (parts := _variant(model)) else model for model in models}
    if len(families) != 1:
        return frozenset()
    levels: dict[str, set[str]] = defaultdict(set)
    for m in setups:
        if m.model in models and "quantization" in m.params:
            levels[m.model].add(str(m.params["quantization"]))
    if len(levels) < 2 or any(len(found) > 1 for found in levels.values()):
        return frozenset()
    return _QUANT_SETTINGS


# How many GPUs a model is served over: a bigger model's deployment, not a setting to hold
# fixed (Llama-3.3-70B at tp4 and Llama-3.1-405B at tp8 on one H200 server share no setup).
_DEPLOYMENT_SETTINGS = ("tensor_parallel",)


def _deployment_apart(setups: Sequence[Measured], models: list[str]) -> dict[str, str]:
    """Per model its one tensor parallelism, where every model ran one and they differ (each
    model served as its size needs): the models then share a setup on their other settings,
    and the ranking says what GPUs each ran on. Empty where a model ran two, or all one."""
    levels: dict[str, set[str]] = defaultdict(set)
    for m in setups:
        if m.model in models:
            for key in _DEPLOYMENT_SETTINGS:
                levels[m.model].add(str(m.params.get(key)))
    if len(levels) < 2 or any(len(found) != 1 or "None" in found for found in levels.values()):
        return {}
    each = {model: next(iter(found)) for model, found in levels.items()}
    return each if len(set(each.values())) > 1 else {}


def _shared_key(m: Measured, apart: frozenset[str]) -> str:
    return settings_text(dict(sorted((k, v) for k, v in m.params.items() if k not in apart)))


def _statistic(groups: dict[str, Measured], metric: str) -> str:
    """TTFT's median where one call pulls a mean away from it; else the mean."""
    if metric != TTFT:
        return "mean"
    skewed = any(
        (s := m.metrics[metric]).n >= 3 and s.max > _SKEWED * max(s.median, 1e-9)
        for m in groups.values()
    )
    return "median" if skewed else "mean"


def _ranking(
    groups: dict[str, Measured],
    metric: str,
    where: str,
    caveat: str | None,
    like_for_like: bool = False,
) -> Finding | None:
    present = {k: m for k, m in groups.items() if metric in m.metrics}
    if len(present) < 2:
        return None
    higher = metric != TTFT
    statistic = _statistic(present, metric)
    others, left_out = "", []
    if like_for_like:
        present, others, left_out = _on_common_workloads(present, metric, statistic)

    def value(m: Measured) -> float:
        return float(getattr(m.metrics[metric], statistic))

    ranked = sorted(present.values(), key=lambda m: -value(m) if higher else value(m))
    best, worst = ranked[0], ranked[-1]
    unit = best.metrics[metric].unit
    label = RATE_WORDS.get(metric, "TTFT")

    def said(m: Measured) -> str:
        if unit == "tok/s":
            return rate(value(m), metric)
        return duration(value(m)) if unit == "ms" else f"{fmt(value(m))} {unit}"

    def listed(models: Sequence[Measured]) -> str:
        return ", ".join(f"{m.model} {said(m)} (n={m.metrics[metric].n})" for m in models)

    # A folder of a thousand models gets the fastest and the two slowest named, the middle
    # counted; one model more than that is named too ("and 1 more models" counts no fewer
    # words than its name).
    if len(ranked) > MAX_MODELS_NAMED + 1:
        shown = ranked[: MAX_MODELS_NAMED - 2] + ranked[-2:]
        middle = len(ranked) - len(shown)
        listing = (
            f"{listed(ranked[: MAX_MODELS_NAMED - 2])}, and {middle} more models, down to"
            f" {listed(ranked[-2:])}"
        )
    else:
        shown, listing = ranked, listed(ranked)
    # Pooled rows (a caveat says so) spread over configs and prompts, not over runs: their
    # means cannot be tested against a run-to-run spread.
    c = compare(best, worst, metric) if statistic == "mean" and not caveat else None
    if higher:
        ratio = value(best) / value(worst) if value(worst) > 0 else float("inf")
        gap = (
            f"{best.model} is {ratio:.1f}x as fast as {worst.model}"
            if ratio >= 2
            else f"{best.model} is {100 * (ratio - 1):.1f} % faster than {worst.model}"
        )
        stated = (ratio, "x", "ratio") if ratio >= 2 else (100 * (ratio - 1), "%", "pct")
    else:
        lower = 100 * (1 - value(best) / value(worst)) if value(worst) > 0 else 0.0
        gap = f"{best.model}'s TTFT is {lower:.1f} % lower than {worst.model}'s"
        stated = (-lower, "%", "pct")  # the first's TTFT against the other's: lower
    # The gap between the first and the last of a long list: no check pairs figures that far
    # apart, and the headline cites neither.
    gap_figure = KnownFigure(
        value=stated[0], unit=stated[1], metric=metric, statistic=stated[2],
        context={"model": best.model or ""} | sides_context(best.model or "", worst.model or ""),
        kind=f"{metric} {stated[2]}", source=f"finding: {label} of {best.label} to {worst.label}",
    )  # fmt: skip
    if c is not None:
        spread = c.spread_words()
    elif caveat:
        spread = "not like for like: no verdict"
    else:
        spread = "medians: one slow call pulls the means"
    stat_word = "Median" if statistic == "median" else "Mean"
    text = f"{stat_word} {label} by model{where}: {listing}; {gap} ({spread})."
    headline = f"{gap} ({label}{best.where})"
    if caveat and statistic == "median":  # "Median TTFT by model ... These means pool ..."
        caveat = caveat.replace("These means", "These medians")
    if caveat:
        text += f" {caveat}"
    text += others
    fit_text, fit_figures = placement.models_sentence(shown) if like_for_like else ("", [])
    text += fit_text
    real = c is not None and c.verdict == "real"
    title = f"{label} by model{best.where}"
    if like_for_like:
        # The same settings, but models that each ran their own prompts are not like for
        # like: the title said so above a text saying "the two ran no prompt in common".
        other_prompts = c is not None and c.verdict == "not like for like"
        title += " (same settings, other prompts)" if other_prompts else " (like for like)"
    return Finding(
        id="",
        kind="model_ranking",
        title=title,
        text=text,
        headline=headline,
        figures=[m.figure(metric, statistic) for m in shown]
        + [m.figure(metric, "n") for m in shown]
        + ([gap_figure] if math.isfinite(stated[0]) else [])
        + left_out
        + fit_figures,
        groups=[m.label for m in shown],
        sources=sorted({src for m in ranked for src in m.metrics[metric].sources}),
        verdict="real" if real else "info",
        caveats=[caveat] if caveat else [],
        # The ranking of more models first (a machine's four models before another's two).
        importance=(80.0 if metric == THROUGHPUT else 55.0)
        - (15.0 if caveat else 0.0)
        + min(len(ranked), 10) * 0.1,
    )


def _pooled(cells: Sequence[MetricStats], sources: list[str]) -> MetricStats:
    """One metric's statistics over several workloads' runs: the mean, spread, extremes and
    count of their runs together (median and p95 are the first cell's, never read: a
    ranking restricted to these cells is by mean)."""
    n = sum(c.n for c in cells)
    mean = sum(c.n * c.mean for c in cells) / n
    within = sum((c.n - 1) * (c.std or 0.0) ** 2 for c in cells)
    between = sum(c.n * (c.mean - mean) ** 2 for c in cells)
    std = math.sqrt((within + between) / (n - 1)) if n > 1 else None
    return cells[0].model_copy(
        update={
            "n": n,
            "mean": mean,
            "std": std,
            "min": min(c.min for c in cells),
            "max": max(c.max for c in cells),
            "sources": sources,
        }
    )


def _on_common_workloads(
    present: dict[str, Measured], metric: str, statistic: str
) -> tuple[dict[str, Measured], str, list[KnownFigure]]:
    """Models ranked on one setup, one of which also ran prompts the others did not
    (gzhang33's gemma3:4b: the 3 Chinese prompts every model ran, and 3 English ones in a
    session of its own at half the rate): a mean over all its rows pools another workload
    into its figure, so it is ranked (and its pair test run) by its runs of the workloads
    every model ran, and the others are said apart. A TTFT ranked by median (cells give
    no pooled median) keeps its figure and says what it pools."""
    runs = {k: {w for w, c in m.cells.items() if metric in c} for k, m in present.items()}
    if not all(runs.values()):
        if not any(runs.values()):
            return present, "", []
        # some models' runs name their prompts, others' none: the ranking cannot hold them to
        # common prompts, and "like for like" would say more than the files do
        unnamed = sorted(present[k].model or k for k, ws in runs.items() if not ws)
        noun = _noun(sorted(set().union(*runs.values())))
        text = (
            f" The runs of {named(unnamed, 'more models')} name no {noun.rstrip('s')}, where "
            f"the others' name theirs: nothing says they ran the same {noun}."
        )
        return present, text, []
    common = set.intersection(*runs.values())
    extra = {k: sorted(runs[k] - common) for k in present if runs[k] - common}
    if not common or not extra:
        return present, "", []
    noun = _noun(sorted(common))
    every = f"the {_counted(len(common), noun)} every model ran"
    restricted = dict(present)
    said, figures = [], []
    unnamed_said = False
    for k, m in present.items():
        ws = extra.get(k, [])
        kept = [m.cells[w][metric] for w in sorted(common)]
        left = [m.cells[w][metric] for w in ws]
        # runs no workload names (an Ollama JSON's raw responses beside a CSV of prompts)
        # are in the model's figure but in no cell: left out with the rest, and said
        unnamed = _unnamed_runs(m, metric)
        if not left and unnamed is None:
            continue
        unnamed_said = unnamed_said or unnamed is not None
        left_sources = sorted({src for c in left for src in c.sources})
        if statistic == "mean":
            kept_sources = sorted({src for c in kept for src in c.sources})
            metrics = {**m.metrics, metric: _pooled(kept, kept_sources)}
            # its pair test too is over the workloads every model ran, as its figure is
            cells = {w: c for w, c in m.cells.items() if w in common}
            restricted[k] = replace(m, metrics=metrics, cells=cells)
            # the clause names the model alone (the settings are the ranking's, said once)
            own = {k: v for k, v in m.context.items() if k in ("model", "machine", "engine")}
            parts = [(left, left_sources, _counted(len(ws), noun, "other"))] if left else []
            if unnamed is not None:
                parts.append(([unnamed], list(unnamed.sources), _runs_naming_none(unnamed.n)))
            clauses = []
            for cells_apart, sources, what in parts:
                apart = _pooled(cells_apart, sources)
                figures += [
                    m.figure(metric, statistic, apart.mean).model_copy(
                        update={"source": f"finding: {metric} mean of {m.label}'s {what} "
                                f"(in {named(sources, 'more files')})", "context": own}
                    ),
                    m.figure(metric, "n", float(apart.n)).model_copy(update={"context": own}),
                ]  # fmt: skip
                clauses.append(
                    f"{what} ({_rate_or_time(apart.mean, metric, m.metrics[metric].unit)}, "
                    f"n={apart.n}, in {named(sources, 'more files')})"
                )
            said.append(f"{m.model}'s {' and '.join(clauses)}")
        else:
            parts = [_counted(len(ws), noun, "other")] if ws else []
            if unnamed is not None:
                parts.append(_runs_naming_none(unnamed.n))
            sources = sorted({*left_sources, *(unnamed.sources if unnamed else [])})
            said.append(f"{m.model}'s {' and '.join(parts)} (in {named(sources, 'more files')})")
    if statistic == "mean":
        why = "not every model ran them" + (" or they name none" if unnamed_said else "")
        text = f" Each figure is over {every}; left out, as {why}: "
    else:
        text = f" These {statistic}s pool, beside {every}, what not every model ran: "
    return restricted, text + "; ".join(said) + ".", figures


def _unnamed_runs(m: Measured, metric: str) -> MetricStats | None:
    """The runs of `m` in no workload's cell (none of its rows names a prompt or test), as
    one cell: their count, mean and files; None where every run is in a cell."""
    total = m.metrics[metric]
    cells = [c[metric] for c in m.cells.values() if metric in c]
    n = total.n - sum(c.n for c in cells)
    if n <= 0:
        return None
    mean = (total.n * total.mean - sum(c.n * c.mean for c in cells)) / n
    named_files = {src for c in cells for src in c.sources}
    sources = [src for src in total.sources if src not in named_files] or list(total.sources)
    return total.model_copy(update={"n": n, "mean": mean, "std": None, "sources": sources})


def _runs_naming_none(count: int) -> str:
    return "one run that names no prompt" if count == 1 else f"{count} runs that name no prompt"


def _counted(count: int, noun: str, word: str = "") -> str:
    """'one prompt', '3 other prompts' ('prompts', 'prompt lengths', 'tests' as `_noun`
    says)."""
    word = f"{word} " if word else ""
    return f"one {word}{noun[:-1]}" if count == 1 else f"{count} {word}{noun}"


def _rate_or_time(value: float, metric: str, unit: str) -> str:
    if unit == "tok/s":
        return rate(value, metric)
    return duration(value) if unit == "ms" else f"{fmt(value)} {unit}"


def rankings(
    models: Sequence[Measured], setups: Sequence[Measured], machines: Sequence[str] = ()
) -> list[Finding]:
    """Throughput, prompt processing and TTFT by model per machine, like for like when
    every model shares a setup. `machines`: those the folder names (the digest's scopes,
    summary files' too); a ranking of runs that name none says it may span them."""
    out: list[Finding] = []
    setups_by_scope = _scopes(setups)
    named = sorted({*machines, *(m.machine for m in setups if m.machine)})
    for scope, in_scope in sorted(_scopes(models).items(), key=lambda item: str(item[0])):
        names = [m.model for m in in_scope if m.model]
        if len(names) < 2:
            continue
        found: list[Finding] = []
        apart = _quantisation_apart(setups_by_scope.get(scope, []), names)
        deployed = _deployment_apart(setups_by_scope.get(scope, []), names)
        if deployed:
            apart = apart | frozenset(_DEPLOYMENT_SETTINGS)
        shared = _shared_setup(setups_by_scope.get(scope, []), names, apart)
        where_scope = in_scope[0].where
        if shared is not None:
            first = next(iter(shared.values())).params
            settings = settings_text({k: v for k, v in first.items() if k not in apart})
            if not settings:  # nothing to hold fixed that a reader could name
                count = (
                    ""
                    if len(shared) == len(names)
                    else f"{len(shared)} of the {len(names)} models; "
                )
                where = f"{where_scope} ({count}the files state no settings)"
            elif len(shared) == len(names):
                every = "both" if len(names) == 2 else f"all {len(names)}"  # not "all 2"
                where = f"{where_scope} on the settings {every} were measured with ({settings})"
            else:
                where = (
                    f"{where_scope} on the settings {len(shared)} of the {len(names)} models "
                    f"share ({settings})"
                )
            for metric in (THROUGHPUT, PROMPT_RATE, TTFT):
                if (f := _ranking(shared, metric, where, None, like_for_like=True)) is not None:
                    found.append(f)
            if deployed:
                found = [_each_deployed(f, deployed) for f in found]
        complete = shared is not None and len(shared) == len(names)
        if not complete:
            caveat = (
                "These means pool each model's rows over whatever configs and prompts it ran, "
                "so they rank the models only roughly."
            )
            overall = {m.model: m for m in in_scope if m.model}
            done = {f.figures[0].metric for f in found if f.figures}
            for metric in (THROUGHPUT, PROMPT_RATE, TTFT):
                if metric not in done and (
                    f := _ranking(overall, metric, f"{where_scope} over all rows", caveat)
                ):
                    found.append(f)
        if scope[0] is None:
            found = [_machines_unnamed(f, named) for f in found]
        if aliases := _one_model_named_twice(names):
            found = [_named_twice(f, aliases) for f in found]
        out += found
    return out


def _last_part(name: str) -> str:
    return re.split(r"[\\/]", name.rstrip("/\\"))[-1].lower()


def _one_model_named_twice(names: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of names of one model written two ways, a path and a hub id or two paths
    (simon-mo's `/data/nm/models/DeepSeek-R1` on one host, `deepseek-ai/DeepSeek-R1` on
    the other): the same last part, and a path in one of them at least."""
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if ("/" in a or "\\" in a or "/" in b or "\\" in b) and _last_part(a) == _last_part(b):
                pairs.append((a, b))
    return pairs


def _named_twice(finding: Finding, pairs: list[tuple[str, str]]) -> Finding:
    """A ranking that sets one model against itself under another name says so: the gap
    is between the runs that named it each way (another host, build or server), not models."""
    listed = "; ".join(f"{a} and {b}" for a, b in pairs[:MAX_MODELS_NAMED])
    words = (
        f" {listed} name one model, written two ways (a path and a hub id): the gap between "
        "them is between the runs that named it each way (another host, build or server "
        "setup), not between two models."
    )
    return _noted(finding, words, "one model named two ways")


def _each_deployed(finding: Finding, deployed: dict[str, str]) -> Finding:
    """A ranking of models each served over its own number of GPUs says so."""
    each = ", ".join(f"{model} tensor_parallel={tp}" for model, tp in sorted(deployed.items()))
    words = (
        f" Each model ran at its own tensor parallelism ({each}): the ranking sets "
        "deployments over different numbers of GPUs against each other, not the models alone."
    )
    return _noted(finding, words, "each model at its own tensor parallelism")


def _noted(finding: Finding, words: str, caveat: str) -> Finding:
    """`finding` with a sentence added to its text and the caveat it states."""
    return finding.model_copy(
        update={"text": finding.text + words, "caveats": [*finding.caveats, caveat]}
    )


def _machines_unnamed(finding: Finding, named: list[str]) -> Finding:
    """A ranking of models whose files name no machine, in a folder that names several
    (bhodgens' bench_results.json: 27B dense models on a V100, 35B MoE models on an RTX
    3060, the GPUs written only in the README's headings): the models may have run on
    different machines, and the ranking may set them against each other. Said, not
    guessed: nothing in the files tells which model ran where."""
    if len(named) < 2:
        return finding
    names = ", ".join(named[:MAX_MODELS_NAMED]) + (
        " and more" if len(named) > MAX_MODELS_NAMED else ""
    )
    note = (
        f" The files of these runs name no machine, and the folder names {len(named)} "
        f"({names}): the models may have run on different machines, so the ranking may "
        "set machines against each other as much as models."
    )
    return _noted(finding, note, "the runs name no machine; the folder names several")


_QUANT_SETTINGS = frozenset({"quantization"})


def _variant(model: str) -> tuple[str, str] | None:
    """('gemma3 1b', 'it-qat') from 'gemma3:1b-it-qat'; ('Qwen3-4B', 'Q5_K_M') from a GGUF."""
    name, sep, tag = model.partition(":")
    if sep:
        found = _TAG.match(tag)
        if found and _QUANT_WORDS.search(found["variant"] or ""):
            return f"{name} {found['size'].lower()}", (found["variant"] or "").lower()
        if found:
            return f"{name} {found['size'].lower()}", (found["variant"] or "").lower()
        return None
    gguf = _GGUF_QUANT.match(model)
    return (gguf["base"], gguf["quant"]) if gguf else None


def _reversed(groups: dict[str, Measured], orders: dict[str, list[str]]) -> bool:
    """Two variants that generation ranks one way and prompt processing the other, each
    beyond its spread: an order of means within the noise ranks nothing."""
    by_model = {m.model: m for m in groups.values() if m.model}
    tg, pp = orders[THROUGHPUT], orders[PROMPT_RATE]
    for i, a in enumerate(tg):
        for b in tg[i + 1 :]:
            if a not in pp or b not in pp or pp.index(b) > pp.index(a):
                continue
            if (
                compare(by_model[a], by_model[b], THROUGHPUT).real
                and compare(by_model[b], by_model[a], PROMPT_RATE).real
            ):
                return True
    return False


def quantization(models: Sequence[Measured], setups: Sequence[Measured]) -> list[Finding]:
    """Variants of one model that differ in their quantisation, per machine and rate; says
    where the order for prompt processing differs from the order for generation."""
    out = []
    setups_by_scope = _scopes(setups)
    for scope, in_scope in sorted(_scopes(models).items(), key=lambda item: str(item[0])):
        families: dict[str, list[tuple[str, Measured]]] = defaultdict(list)
        for m in in_scope:
            if m.model and (parts := _variant(m.model)):
                families[parts[0]].append((parts[1], m))
        for family, variants in sorted(families.items()):
            if len(variants) < 2 or not any(_QUANT_WORDS.search(v) for v, _ in variants):
                continue
            names = [m.model for _, m in variants if m.model]
            # a quantization column beside the variants' names states what tells them apart
            shared = _shared_setup(setups_by_scope.get(scope, []), names, _QUANT_SETTINGS)
            groups = shared if shared is not None else {m.model: m for _, m in variants if m.model}
            orders: dict[str, list[str]] = {}
            parts = []
            figures = []
            apart = []  # what one variant ran and the others did not, said once per rate
            for metric in (THROUGHPUT, PROMPT_RATE):
                present = {k: m for k, m in groups.items() if metric in m.metrics}
                if len(present) < 2:
                    continue
                if shared is not None:
                    # as the like-for-like ranking: a prompt only one variant ran (its others'
                    # first runs loaded the model) is no part of a quantisation's difference
                    present, others, left_out = _on_common_workloads(present, metric, "mean")
                    apart += [others] if others else []
                    figures += left_out
                ranked = sorted(present.values(), key=lambda m: -m.metrics[metric].mean)
                orders[metric] = [m.model or "" for m in ranked]
                c = compare(ranked[0], ranked[-1], metric) if shared is not None else None
                verdict = c.spread_words() if c is not None else "not like for like: no verdict"
                parts.append(
                    f"{RATE_WORDS[metric]}: "
                    + ", ".join(f"{m.model} {rate(m.metrics[metric].mean, metric)}" for m in ranked)
                    + (f" ({verdict})" if verdict else "")
                )
                figures += [m.figure(metric) for m in ranked]
            if not parts:
                continue
            bare, alias = _default_build(variants, groups)
            # a bare tag beside its likely alias alone: no quantisation is compared at all
            one_build = bool(alias) and len(groups) == 2
            noun = "Two tags" if one_build else "Quantisations"
            title = "two tags" if one_build else "quantisation"
            first = next(iter(groups.values())).params
            settings = settings_text({k: v for k, v in first.items() if k not in _QUANT_SETTINGS})
            if shared is None:
                where = "over all their rows, which were measured with different settings"
            elif settings:
                where = f"on the same settings ({settings})"
            else:
                where = "(the files state no settings)"
            text = f"{noun} of {family}{in_scope[0].where} {where}: " + "; ".join(parts) + "."
            text += _said_once(apart)
            if shared is not None and len(orders) == 2 and _reversed(shared, orders):
                text += " They rank differently for prompt processing than for generation."
            if bare:
                text += " " + _default_build_words(bare, alias)
            out.append(
                Finding(
                    id="",
                    kind="quantization",
                    title=f"{title} of {family}{in_scope[0].where}",
                    text=text,
                    figures=figures,
                    groups=[m.label for m in groups.values()],
                    sources=sorted({s for m in groups.values() for s in m.sources}),
                    verdict="info",
                    caveats=([] if shared is not None else ["not like for like"])
                    + (["may be one build under two tags"] if alias else []),
                    importance=(35.0 if shared is not None else 15.0) - (20.0 if one_build else 0),
                )
            )
    return out


def _said_once(sentences: list[str]) -> str:
    """`_on_common_workloads`' words for each rate as one sentence where they open alike
    ("Each figure is over the 4 prompts every model ran; left out, ...: A; B.")."""
    heads = {sentence.split(": ", 1)[0] for sentence in sentences}
    if len(sentences) < 2 or len(heads) != 1 or not all(": " in s for s in sentences):
        return "".join(dict.fromkeys(sentences))
    bodies = [sentence.split(": ", 1)[1].rstrip(".") for sentence in sentences]
    return f"{heads.pop()}: " + "; ".join(dict.fromkeys(bodies)) + "."


def _default_build(
    variants: list[tuple[str, Measured]], groups: dict[str, Measured]
) -> tuple[str, list[str]]:
    """An Ollama tag of a size alone among the compared variants ("llama3.1:8b"), and the
    compared variants that may be the build it names (the Q4_K_M ones); ("", []) where no
    variant is a bare tag. The files state no digest or size that could tell them apart."""
    compared = {m.model for m in groups.values()}
    bare = [m.model for v, m in variants if not v and m.model in compared and ":" in m.model]
    if not bare:
        return "", []
    alias = sorted(
        m.model for v, m in variants if v and m.model in compared and _DEFAULT_BUILD.search(v)
    )
    return bare[0], alias  # type: ignore[return-value]


def _default_build_words(bare: str, alias: list[str]) -> str:
    if alias:
        return (
            f"{bare} is Ollama's default build of its tag, which for most models is the "
            f"Q4_K_M one the other tag names: {bare} and {' and '.join(alias)} may be one "
            "build under two tags (the files state no digest or size to tell), so their "
            "difference need not be a quantisation's."
        )
    return (
        f"{bare} is Ollama's default build of its tag, whose quantisation the files do not "
        "state (for most models Q4_K_M)."
    )
