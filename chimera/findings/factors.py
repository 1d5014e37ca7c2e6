"""The factors that are not settings: the machine, the engine, the session, the baseline.

- **Machines** (and **engines** on one machine: Ollama against llama.cpp, two llama.cpp
  builds, ROCm against Vulkan) are compared as what they are, on the same model and the
  same workload and settings, never as a setting or a trend. Settings a machine dictates
  (its thread count) and num_gpu values that both mean "every layer on the GPU" do not
  make two setups different. One finding per pair of machines (or engines) and rate sums
  up every model and workload both ran: the range of the ratios, with an example. These are
  comparisons of runs; machines whose files report only means are set side by side in
  `reported.machines_side_by_side`, on the same `comparable_settings`.
- **GPU against CPU mode**: a model's runs on a GPU (device gpu) against its runs in CPU
  mode (device cpu) where no setting effect can set them side by side: the CPU-mode runs
  name no machine (a GPU's name is what names most machines, and a CPU-mode run has none
  to write), or other settings differ too. Each CPU-mode setup meets the GPU setup of the
  closest settings; the finding says what else differs, and that nothing says whether the
  CPU-mode runs ran on the GPU's machine.
- **Sessions**: one setup measured in several files that disagree beyond their spread:
  something the files do not record changed between them (a build, a power profile, the
  machine's load); the dates say which came first. Sessions run over the same prompts are
  judged prompt by prompt (each prompt's own speed taken out), and a ranking of models whose
  mean pools such sessions says so.
- **Baseline against tuned**: a subject's runs at the engine's defaults (a file or config
  named baseline/default, or no settings stated in files that measured what the tuned
  configs' did: an eval's summary beside a speed sweep is no baseline) against its fastest
  tuned config, on the prompts both ran.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from chimera.findings.difference import Comparison, compare, prompt_noise
from chimera.findings.finding import Finding
from chimera.findings.layers import all_on_gpu
from chimera.findings.measured import (
    MIN_EFFECT,
    PROMPT_RATE,
    THROUGHPUT,
    Measured,
    fmt,
    named,
    rate,
    setting_value,
    settings_text,
    stands_for_defaults,
    t_quantile_975,
)
from chimera.findings.settings_effects import (
    RATE_WORDS,
    change_figures,
    config_name,
    sides_context,
    times_or_pct,
)
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.digest.stats import PAIR_SEPARATOR
from chimera.ingest.digest.table import NO_SETTINGS, names_no_model

# Settings a machine dictates rather than a user tunes for speed on it.
_MACHINE_BOUND = frozenset({
    "num_thread", "main_gpu", "devices", "cpu_mask", "tensor_split", "split_mode",
})  # fmt: skip
_BASELINE = re.compile(r"baseline|default|stock|vanilla|untuned", re.I)
_MAX_EXAMPLES = 2


def _signature(m: Measured) -> str:
    """What must be equal for two machines' runs to compare: the model and its settings,
    machine-bound ones left out, "every layer on the GPU" as one value."""
    return f"{m.model}{PAIR_SEPARATOR}{settings_text(comparable_settings(m.model, m.params))}"


def comparable_settings(model: str | None, params: dict[str, object]) -> dict[str, object]:
    """A setup's settings as two machines' setups must share them to compare: machine-bound
    ones left out, "every layer on the GPU" (-ngl 99, 999) as one value, sorted."""
    found: dict[str, object] = {}
    for key, value in params.items():
        if key in _MACHINE_BOUND:
            continue
        if key == "num_gpu" and all_on_gpu(model, value):
            value = "all"
        found[key] = value
    return dict(sorted(found.items()))


def machine_bound(params: dict[str, object]) -> dict[str, object]:
    """The settings of a setup a machine dictates (its thread count)."""
    return {k: v for k, v in params.items() if k in _MACHINE_BOUND}


def _family(engine: str | None) -> str:
    return (engine or "").split(" ")[0]


def _scope_name(m: Measured, by: str, with_engine: bool = False) -> str:
    """A machine (with its engine where the machine ran several: orionzhen's RX 7900 XTX
    against the Radeon 8060S was twelve findings of one wording, one per pair of engines,
    2.0-2.1x to 2.9-3.0x), or an engine on one machine."""
    if by == "machine":
        name = m.machine or "the machine no file names"
        return f"{name} with {m.engine}" if with_engine and m.engine else name
    return m.engine or "the engine no file names"


def _pairs(setups: Sequence[Measured], by: str) -> dict[tuple, list[tuple[Measured, Measured]]]:
    """(scope a, scope b) -> the setups both ran, as (a's, b's): scopes that differ in the
    machine (`by="machine"`) or, on one machine, in the engine (`by="engine"`)."""
    groups: dict[str, dict[tuple, Measured]] = defaultdict(dict)
    for m in setups:
        if names_no_model(m.model):
            continue  # two files that name no model may hold two models
        key = _signature(m)
        current = groups[key].get(m.scope)
        if current is None or _runs(m) > _runs(current):
            groups[key][m.scope] = m
    pairs: dict[tuple, list[tuple[Measured, Measured]]] = defaultdict(list)
    for by_scope in groups.values():
        scopes = sorted(by_scope, key=lambda sc: (sc[0] or "", sc[1] or ""))
        for i, first in enumerate(scopes):
            for second in scopes[i + 1 :]:
                same_machine = first[0] == second[0]
                if (by == "machine") == same_machine:
                    continue
                if by == "machine" and None in (first[0], second[0]):
                    continue  # a file that names no machine may be either one: no comparison
                pairs[(first, second)].append((by_scope[first], by_scope[second]))
    return pairs


def _runs(m: Measured) -> int:
    return max((s.n for s in m.metrics.values()), default=0)


def _ratio_figure(c: Comparison, a: Measured, context: dict[str, str]) -> KnownFigure:
    return KnownFigure(
        value=c.ratio,
        unit="x",
        metric=c.metric,
        statistic="ratio",
        context=context,
        source=f"finding: {c.metric} ratio, {a.label}",
        kind=f"{c.metric} ratio",
    )


def scope_comparisons(setups: Sequence[Measured], by: str) -> list[Finding]:
    """One finding per pair of machines (or engines on one machine) and rate."""
    out = []
    # ordered by the scopes' names (None, "not stated", sorts first and beside text)
    pairs = sorted(
        _pairs(setups, by).items(),
        key=lambda item: [(scope[0] or "", scope[1] or "") for scope in item[0]],
    )
    engines: dict[str | None, set[str | None]] = defaultdict(set)
    for scopes, _ in pairs:
        for machine, engine in scopes:
            engines[machine].add(engine)
    several = {machine for machine, found in engines.items() if len(found) > 1}
    for _, shared in pairs:
        for metric in (THROUGHPUT, PROMPT_RATE):
            found: list[tuple[Comparison, Measured, Measured]] = []
            for a, b in shared:
                c = compare(a, b, metric)
                if c is not None and c.b > 0 and c.a > 0 and c.verdict != "not like for like":
                    found.append((c, a, b))
            if not found:
                continue
            # Oriented so that the faster scope (by the median ratio) comes first.
            if statistics.median(c.ratio for c, _, _ in found) < 1:
                found = [(c2, b, a) for (_, a, b) in found if (c2 := compare(b, a, metric))]
            machines = {found[0][1].machine, found[0][2].machine}
            with_engine = by == "machine" and bool(machines & several)
            finding = _scope_finding(found, metric, by, with_engine)
            if finding is not None and by == "machine":
                finding = _other_engines(finding, found[0][1], found[0][2], engines)
            if finding is not None:
                out.append(finding)
    return out


def _other_engines(
    finding: Finding, a: Measured, b: Measured, engines: dict[str | None, set[str | None]]
) -> Finding:
    """Two machines compared each on another engine (orionzhen's RX 7900 XTX on Vulkan RADV
    against the Radeon 8060S on ROCm 7.12) where both also ran one engine alike: the machines'
    difference is mixed with the engines', and the like-for-like pair says it without. Said,
    and ranked below that pair. Machines that share no engine (Metal on an M4, CUDA on an RTX
    3080) are compared as they could be."""
    if a.engine == b.engine:
        return finding
    shared = sorted(e for e in engines[a.machine] & engines[b.machine] if e is not None)
    if not shared:
        return finding
    words = (
        f" Each machine ran another engine here ({a.engine} against {b.engine}), where both "
        f"also ran {named(shared, 'more engines')}: this sets the engines against each other "
        "as much as the machines; compare them on an engine both ran."
    )
    return finding.model_copy(
        update={
            "text": finding.text + words,
            "caveats": [*finding.caveats, "each machine on another engine"],
            "importance": finding.importance - 40.0,
        }
    )


def _tested_words(found: list[tuple[Comparison, Measured, Measured]], real: int) -> str:
    """'3 of 4 beyond their spread', counting only the pairs a spread could judge: "0 of 9
    beyond their spread" over single runs read as nine differences within the noise, where
    no pair had a spread at all (a 64x gap among them)."""
    tested = sum(c.verdict in ("real", "within spread") for c, _, _ in found)
    if tested == 0:
        return "each pair a single run on one side at least, so none is tested against a spread"
    if tested < len(found):
        return f"{real} of the {tested} with repetitions on both sides beyond their spread"
    return f"{real} of {len(found)} beyond their spread"


def _scope_finding(
    found: list[tuple[Comparison, Measured, Measured]],
    metric: str,
    by: str,
    with_engine: bool = False,
) -> Finding | None:
    if not found:
        return None
    fast, slow = found[0][1], found[0][2]
    fast_name, slow_name = _scope_name(fast, by, with_engine), _scope_name(slow, by, with_engine)
    ratios = sorted(c.ratio for c, _, _ in found)
    real = sum(c.verdict == "real" for c, _, _ in found)
    what = RATE_WORDS[metric]
    examples = sorted(found, key=lambda item: -(item[0].n_a + item[0].n_b))[:_MAX_EXAMPLES]
    telling = _telling(found)
    example_text = "; ".join(
        f"{a.model} {_workload(a, telling)}{rate(c.a, metric)} vs {rate(c.b, metric)} "
        f"({c.counts()})"
        for c, a, _ in examples
    )
    if len(found) == 1:
        c = found[0][0]
        head = (
            f"On {fast.model} {_workload(fast)}{fast_name} {_runs_word(c)} "
            f"{slow_name} in {what}: {rate(c.a, metric)} vs {rate(c.b, metric)} ({c.counts()}; "
            f"{c.spread_words()})"
        )
    else:
        span, digits = ratio_span(ratios[0], ratios[-1])
        head = (
            f"{fast_name} runs {span} the {what} of {slow_name} over the {len(found)} "
            f"model and workload pairs both measured (median "
            f"{statistics.median(ratios):.{digits}f}x; "
            f"{_tested_words(found, real)}); for example {example_text}"
        )
    engines = {(_family(a.engine), _family(b.engine)) for _, a, b in found}
    caveat = []
    if by == "machine" and any(x != y for x, y in engines):
        head += "; the engines differ too"
        caveat.append("engines differ as well as machines")
    differing = _machine_bound_difference(fast, slow)
    if differing and by == "machine":
        head += f" (each machine with its own {differing})"
    figures: list[KnownFigure] = []
    for c, a, b in found:
        # the sides as the headline writes them: "5.1-5.8x the throughput of Apple M4" is
        # the range of these ratios
        context = {"model": a.model or "", by: _scope_name(a, by)}
        context |= sides_context(fast_name, slow_name)
        figures += [
            a.figure(metric, value=c.a, statistic="mean"),
            b.figure(metric, value=c.b, statistic="mean"),
            _ratio_figure(c, a, context),
            *change_figures(c, a),
        ]
    if len(found) > 1:  # "(median 2.3x; ...)", which no pair need be
        figures.append(KnownFigure(
            value=statistics.median(ratios), unit="x", metric=metric, statistic="ratio",
            context=sides_context(fast_name, slow_name), kind=f"{metric} ratio",
            source=f"finding: median {metric} ratio of {fast_name} to {slow_name}",
        ))  # fmt: skip
    kind = "machine_comparison" if by == "machine" else "engine_comparison"
    span, _ = ratio_span(ratios[0], ratios[-1])
    return Finding(
        id="",
        kind=kind,  # type: ignore[arg-type]
        title=f"{fast_name} against {slow_name} ({what})",
        text=head + ".",
        headline=f"{fast_name} runs {span} the {what} of {slow_name}",
        figures=figures,
        groups=[fast_name, slow_name],
        sources=sorted({src for _, a, b in found for src in (*a.sources, *b.sources)}),
        verdict="real" if real == len(found) else "info",
        caveats=caveat,
        # Throughput before prompt processing; then the comparison over more pairs and the
        # larger gap (at most +4: below the rankings of each machine's models).
        importance=(75.0 if real else 40.0)
        + (2.0 if metric == THROUGHPUT else 0.0)
        + min(len(found), 10) * 0.1
        + min(math.log2(max(statistics.median(ratios), 1.0)), 5.0) * 0.2,
    )


def _runs_word(c: Comparison) -> str:
    if c.ratio >= 2:
        return f"runs {c.ratio:.1f}x"
    if round(abs(c.change), 1) == 0:
        return "runs as fast as"  # not "0.0 % faster"
    return f"is {abs(c.change):.1f} % {'faster' if c.change >= 0 else 'slower'} than"


def _workload(m: Measured, also: frozenset[str] = frozenset()) -> str:
    """The workload of a setup, and `also` the settings its model's setups differ in."""
    keys = {"n_prompt", "n_gen", "n_depth", "concurrency", "request_rate"} | also
    shown = settings_text({k: v for k, v in m.params.items() if k in keys})
    return f"({shown}) " if shown else ""


def _telling(found: list[tuple[Comparison, Measured, Measured]]) -> frozenset[str]:
    """The settings a model's compared setups differ in on the first side (flash_attn=0 and
    1): an example that names none of them names no setup a reader (or a check) can find."""
    by_model: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for _, a, _ in found:
        by_model[a.model].append(a.params)
    return frozenset(
        k
        for setups in by_model.values()
        for k in {k for p in setups for k in p}
        if k not in _MACHINE_BOUND and len({setting_value(p.get(k)) for p in setups}) > 1
    )


def _machine_bound_difference(a: Measured, b: Measured) -> str:
    # sorted: a frozenset's order changes with the interpreter's hash seed, run to run
    differ = [k for k in sorted(_MACHINE_BOUND) if a.params.get(k) != b.params.get(k)]
    return ", ".join(differ)


# --- GPU against CPU mode -------------------------------------------------------------------


_GPU_DEVICE = re.compile(r"(?i)^(?:gpu|cuda|mps|metal|rocm|hip|vulkan|xpu)(?::\d+)?$")


def _other_settings(a: Measured, b: Measured) -> list[str]:
    """The settings but the device (and those a machine dictates) in which `a` and `b` differ."""
    keys = sorted((set(a.params) | set(b.params)) - _MACHINE_BOUND - {"device"})
    return [k for k in keys if a.params.get(k) != b.params.get(k)]


def _distance(gpu: Measured, cpu: Measured) -> tuple[int, float, int]:
    """How far a GPU setup's settings are from a CPU-mode setup's: settings apart, then how
    far their numbers are (num_ctx 16384 is nearer 32768 than 8192 is), then more runs first."""
    apart = _other_settings(gpu, cpu)
    far = 0.0
    for key in apart:
        x, y = gpu.params.get(key), cpu.params.get(key)
        if isinstance(x, int | float) and isinstance(y, int | float) and x > 0 and y > 0:
            far += abs(math.log(x / y))
        else:
            far += 100.0
    return len(apart), far, -_runs(gpu)


def _apart_text(gpu: Measured, cpu: Measured) -> str:
    return ", ".join(
        f"{k} {setting_value(gpu.params.get(k, 'not stated'))} against "
        f"{setting_value(cpu.params.get(k, 'not stated'))}"
        for k in _other_settings(gpu, cpu)
    )


def devices(setups: Sequence[Measured]) -> list[Finding]:
    """Per pair of machines (the GPU's, the CPU mode's) and rate: each model's GPU runs
    against its CPU-mode runs, where they are not one machine's setups alike but for the
    device (those a setting effect compares)."""
    sides: dict[tuple, tuple[list[Measured], list[Measured]]] = defaultdict(lambda: ([], []))
    for m in setups:
        device = str(m.params.get("device") or "").strip()
        if names_no_model(m.model) or not device:
            continue
        if device.lower() == "cpu":
            sides[(m.model, _family(m.engine))][1].append(m)
        elif _GPU_DEVICE.match(device):
            sides[(m.model, _family(m.engine))][0].append(m)
    paired: dict[tuple, list[tuple[Measured, Measured]]] = defaultdict(list)
    for gpus, cpus in sides.values():
        for cpu in cpus:
            near = [
                g
                for g in gpus
                # two named machines are a machine comparison; one machine's setups alike
                # but for the device, a setting effect
                if (g.machine is None or cpu.machine is None or g.machine == cpu.machine)
                and not (g.machine == cpu.machine and not _other_settings(g, cpu))
            ]
            if near:
                gpu = min(near, key=lambda g: _distance(g, cpu))
                paired[(gpu.machine, cpu.machine)].append((gpu, cpu))
    out = []
    for (gpu_machine, cpu_machine), pairs in sorted(
        paired.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")
    ):
        for metric in (THROUGHPUT, PROMPT_RATE):
            found = []
            for gpu, cpu in pairs:
                c = compare(gpu, cpu, metric)
                if c is not None and c.a > 0 and c.b > 0 and c.verdict != "not like for like":
                    found.append((c, gpu, cpu))
            if found:
                out.append(_device_finding(found, metric, gpu_machine, cpu_machine))
    return out


def _device_finding(
    found: list[tuple[Comparison, Measured, Measured]],
    metric: str,
    gpu_machine: str | None,
    cpu_machine: str | None,
) -> Finding:
    what = RATE_WORDS[metric]
    ratios = sorted(c.ratio for c, _, _ in found)
    low, high = ratios[0], ratios[-1]
    span, digits = ratio_span(low, high)
    real = sum(c.verdict == "real" for c, _, _ in found)
    gpu_name = f"GPU runs on {gpu_machine}" if gpu_machine else "GPU runs (machine not named)"
    cpu_name = "CPU-mode runs" + (f" on {cpu_machine}" if cpu_machine else "")
    examples = sorted(found, key=lambda item: -item[0].ratio)
    shown = [examples[0], examples[-1]] if len(examples) > 1 else examples
    example_text = "; ".join(
        f"{g.model} {rate(c.a, metric)} vs {rate(c.b, metric)} ({c.counts()})" for c, g, _ in shown
    )
    if len(found) == 1:
        head = f"On {found[0][1].model}, {gpu_name} give {span} the {what} of {cpu_name}: "
        head += example_text
    else:
        head = (
            f"{gpu_name} give {span} the {what} of {cpu_name} over the {len(found)} models "
            f"measured both ways (median {statistics.median(ratios):.{digits}f}x; "
            f"{_tested_words(found, real)}); the largest and smallest gain: {example_text}"
        )
    apart: dict[str, int] = defaultdict(int)
    for _, g, cpu in found:
        if text := _apart_text(g, cpu):
            apart[text] += 1
    if apart:
        listed = "; ".join(
            f"{text} ({n} model{'s' if n > 1 else ''})" if len(apart) > 1 else text
            for text, n in sorted(apart.items(), key=lambda item: -item[1])
        )
        head += (
            ". Other settings differ too (each CPU-mode setup against the GPU setup nearest "
            f"its settings): {listed}"
        )
    caveats = ["settings other than the device differ"] if apart else []
    if cpu_machine is None:
        head += (
            ". The CPU-mode files name no machine: nothing says whether they ran on the GPU's "
            "machine with its GPU unused"
        )
        caveats.append("the CPU-mode runs name no machine")
    title_gpu = gpu_machine or "the GPU"
    figures: list[KnownFigure] = []
    for c, g, cpu in found:
        context = {"model": g.model or "", "device": "gpu against cpu"}
        context |= sides_context(title_gpu, "CPU mode")
        figures += [
            g.figure(metric, value=c.a, statistic="mean"),
            cpu.figure(metric, value=c.b, statistic="mean"),
            _ratio_figure(c, g, context),
            *change_figures(c, g),
        ]
    return Finding(
        id="",
        kind="machine_comparison",
        title=f"{title_gpu} against CPU mode ({what})",
        text=head + ".",
        headline=f"{title_gpu} runs {span} the {what} of CPU mode",
        figures=figures,
        groups=[title_gpu, "CPU mode"],
        sources=sorted({src for _, g, cpu in found for src in (*g.sources, *cpu.sources)}),
        verdict="real" if real == len(found) and not apart else "info",
        caveats=caveats,
        importance=(70.0 if real == len(found) and not apart else 40.0)
        + (2.0 if metric == THROUGHPUT else 0.0)
        + min(len(found), 10) * 0.1
        + min(math.log2(max(statistics.median(ratios), 1.0)), 5.0) * 0.2,
    )


# --- sessions -------------------------------------------------------------------------------


# Two sessions of a setup run over several prompts are said to disagree only this far apart.
SESSIONS_APART_PCT = 10.0
# Sessions fall into groups where the gap between two neighbours (means, fastest first) is
# at least this ratio, and wider than either group's own range.
_SESSION_GAP = 1.25
# A quantisation written in a model's name: a served name with none may stand for several.
_QUANT_IN_NAME = re.compile(
    r"(?i)(?<![a-z0-9])(?:i?q\d(?:_[a-z0-9]+)*|[0-9]-?bit|fp(?:4|8|16)|bf16|f16|int[48]|nvfp4"
    r"|mxfp4|awq|gptq|gguf|mlx)(?![a-z0-9])"
)


def _prompt_counts(sessions: Sequence[Measured]) -> set[tuple[float, float]]:
    """The (least, most) prompt tokens each session's runs counted, as a set: one pair where
    every session counted its prompts alike (a prompt's count is fixed by the tokeniser and
    the chat template, whatever the speed); empty where a session counted none."""
    found: set[tuple[float, float]] = set()
    for m in sessions:
        stats = m.metrics.get("prompt_eval_count")
        if stats is None:
            return set()
        found.add((float(stats.min), float(stats.max)))
    return found


def _counts_text(counts: tuple[float, float]) -> str:
    low, high = (f"{v:.0f}" for v in counts)
    return low if low == high else f"{low}-{high}"


def _session_groups(ranked: Sequence[Measured], model: str) -> str:
    """' The 15 sessions fall into two groups: 9 at 42.89-44.95 tok/s and 6 at 26.70-28.62
    tok/s, ...' where one gap splits the sessions' means (fastest first) into two groups each
    tighter than the gap: two things ran, not one thing that drifted; where the same prompts
    count alike within each group and differently between them (45 against 44 tokens), two
    tokenisers or chat templates did: two model builds. Where the model's name
    states no quantisation, another model file served under that name is the first thing
    to check (LM Studio serves whichever file is loaded under the name it was given: GGUF
    and MLX quantisations of MiniMax-M2.1 all as `minimax-m2.1`). '' where the means spread
    evenly."""
    means = [m.metrics[THROUGHPUT].mean for m in ranked]
    if len(means) < 4 or min(means) <= 0:
        return ""
    gaps = [(means[i] / means[i + 1], i) for i in range(len(means) - 1)]
    ratio, at = max(gaps)
    fast, slow = means[: at + 1], means[at + 1 :]
    if ratio < _SESSION_GAP or len(fast) < 2 or len(slow) < 2:
        return ""
    if fast[0] / fast[-1] >= ratio or slow[0] / slow[-1] >= ratio:
        return ""
    groups = " and ".join(f"{len(g)} at {fmt(g[-1])}-{fmt(g[0])} tok/s" for g in (fast, slow))
    text = f" The {len(means)} sessions fall into two groups, {groups}: two things ran"
    counted = _prompt_counts(ranked[: at + 1]), _prompt_counts(ranked[at + 1 :])
    if all(len(c) == 1 for c in counted) and counted[0] != counted[1]:
        # the same prompts, counted alike within each group and differently between them
        (a,), (b,) = counted
        text += (
            f"; the same prompts count {_counts_text(a)} prompt tokens in the first group "
            f"and {_counts_text(b)} in the second: two tokenisers or chat templates, so two "
            "model builds"
        )
    if _QUANT_IN_NAME.search(model) is None:
        text += (
            f", as two models or quantisations served under the one name {model} would "
            "give; label each session with the model file it loaded"
        )
    return text + "."


def sessions(digest: DataDigest, setups: Sequence[Measured]) -> list[Finding]:
    """Setups measured in several files whose runs disagree beyond their spread; a named
    model's runs over several prompts only between files that ran the same prompts, and
    `SESSIONS_APART_PCT` or more apart."""
    per_file: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for s in digest.stats:
        if s.group_by == "model+config_name+file" and s.aggregate is None and s.n > 0:
            per_file[(s.machine, s.engine, s.group)][s.file or ""][s.metric] = s
    by_key = {(m.machine, m.engine, f"{m.model}{PAIR_SEPARATOR}{m.config}"): m for m in setups}
    out = []
    for key, files in sorted(per_file.items(), key=lambda item: str(item[0])):
        setup = by_key.get(key)
        if setup is None or len(files) < 2:
            continue  # one file: no sessions to compare
        several_prompts = len(setup.cells) > 1
        if several_prompts:
            # runs over several prompts: like for like only between files of a named model
            # that ran the same prompts (gzhang33's 03:22 and 15:14 sessions, not its 16:45 one
            # on others)
            if names_no_model(setup.model):
                continue
            files = _same_prompts(setup, files)
            if len(files) < 2:
                continue
        sessions_ = [
            Measured(
                f"{setup.label} in {path}",
                setup.model,
                setup.config,
                setup.params,
                metrics,
                path,
                digest.file_dates.get(path),
                {**setup.context, "file": path},
                setup.machine,
                setup.engine,
                setup.where,
            )  # fmt: skip
            for path, metrics in sorted(files.items())
            if THROUGHPUT in metrics
        ]
        if len(sessions_) < 2:
            continue
        ranked = sorted(sessions_, key=lambda m: -m.metrics[THROUGHPUT].mean)
        c = None
        if several_prompts:
            c = _by_prompt(setup, sessions_, ranked[0], ranked[-1])
        if c is None:
            c = compare(ranked[0], ranked[-1], THROUGHPUT)
        if c is None or c.verdict != "real":
            continue
        if several_prompts and abs(c.change) < SESSIONS_APART_PCT:
            continue  # the spread is partly the prompts': only a large gap is the sessions'
        dated = all(m.date for m in sessions_)
        listing = "; ".join(
            f"{fmt(m.metrics[THROUGHPUT].mean)} tok/s in {m.file}"
            + (f" ({m.date})" if m.date else "")
            + f" (n={m.metrics[THROUGHPUT].n})"
            for m in ranked
        )
        unnamed = "config" not in setup.context and not settings_text(setup.params)
        how = f" ({NO_SETTINGS})" if unnamed else f" with {config_name(setup)}"
        text = (
            f"{setup.subject}{how} was measured in {len(sessions_)} files "
            f"that disagree: {listing}; the fastest is {times_or_pct(c, 'the slowest')} "
            f"({c.spread_words()}). Something the files do not record changed between these "
            "sessions (a build, a driver, a power profile, the machine's load), so the setup's "
            "pooled figures mix them" + (": the dates say which came first." if dated else ".")
        ) + _session_groups(ranked, setup.model or "")
        out.append(
            Finding(
                id="",
                kind="sessions",  # type: ignore[arg-type]
                title=f"sessions of {setup.label}",
                text=text,
                headline=(
                    f"{setup.label}: {len(sessions_)} sessions disagree by {abs(c.change):.1f} %"
                ),
                figures=[m.figure(THROUGHPUT) for m in ranked]
                + [m.figure(THROUGHPUT, "n") for m in ranked],
                groups=[m.label for m in ranked],
                sources=sorted(m.file or "" for m in ranked),
                verdict="real",
                caveats=["sessions differ in something the files do not record"],
                importance=45.0,
            )
        )
    return out


def _by_prompt(
    setup: Measured, sessions_: Sequence[Measured], a: Measured, b: Measured
) -> Comparison | None:
    """Session `a` against `b` with each prompt's own speed taken out: an additive two-way
    layout (session + prompt) from the sessions' and the prompts' statistics alone. The runs'
    spread about their session mean less the prompts' spread is the residual (interaction
    and repetitions). Every compared prompt's runs must come from these sessions, as many
    from each (else None: the per-file figures cannot be parted). Two sessions over the same
    prompts once each give the paired t-test of their differences prompt by prompt."""
    files = {m.file for m in sessions_}
    per_file = [m.metrics[THROUGHPUT] for m in sessions_]
    cells = [
        cell[THROUGHPUT]
        for cell in setup.cells.values()
        if THROUGHPUT in cell and files & set(cell[THROUGHPUT].sources)
    ]
    k, prompts = len(per_file), len(cells)
    if prompts < 2 or any(s.std is None for s in per_file):
        return None
    each = per_file[0].n // prompts  # runs of one prompt in one session
    if (
        each < 1
        or any(s.n != each * prompts for s in per_file)
        or any(c.n != each * k or not set(c.sources) <= files for c in cells)
    ):
        return None
    grand = sum(c.mean for c in cells) / prompts
    between_prompts = k * each * sum((c.mean - grand) ** 2 for c in cells)
    within_sessions = sum((s.n - 1) * (s.std or 0.0) ** 2 for s in per_file)
    df = k * prompts * each - k - prompts + 1
    if df < 1 or b.metrics[THROUGHPUT].mean <= 0:
        return None
    residual = max(within_sessions - between_prompts, 0.0) / df
    sa, sb = a.metrics[THROUGHPUT], b.metrics[THROUGHPUT]
    diff = sa.mean - sb.mean
    half = t_quantile_975(df) * math.sqrt(residual * 2 / (prompts * each))
    real = abs(diff) > half and abs(diff) >= MIN_EFFECT * max(sa.mean, sb.mean)
    return Comparison(
        THROUGHPUT,
        sa.mean,
        sb.mean,
        sa.n,
        sb.n,
        "real" if real else "within spread",
        "paired",
        prompts,
        "prompts",
        100.0 * (diff - half) / sb.mean,
        100.0 * (diff + half) / sb.mean,
    )


def flag_pooled_sessions(found: list[Finding]) -> list[Finding]:
    """A ranking of models that gives one mean to a model whose sessions disagree (a
    sessions finding of that setup, or of any of the model's setups where the ranking pools
    its rows) says which means pool them, and each session's figure: the pooled mean
    describes none of them (gzhang33's qwen2.5:14b, 12.80 and 26.24 tok/s by session,
    ranked at 19.52)."""
    # per sessions finding: the setup's context (its file left out) and each session's mean,
    # as the ranking names them: by model and settings, not by file
    split: list[tuple[dict[str, str], list[KnownFigure]]] = []
    for f in found:
        means = [x for x in f.figures if x.statistic == "mean"] if f.kind == "sessions" else []
        if means:
            context = {k: v for k, v in means[0].context.items() if k != "file"}
            ordered = sorted(means, key=lambda x: x.value)
            split.append((context, [x.model_copy(update={"context": context}) for x in ordered]))
    if not split:
        return found
    out = []
    for f in found:
        if f.kind != "model_ranking" or not f.figures or f.figures[0].metric != THROUGHPUT:
            out.append(f)
            continue
        pooled: list[str] = []
        figures: list[KnownFigure] = []  # each session's mean, as the sessions finding has it
        for x in f.figures:
            if x.statistic != "mean":
                continue
            for context, sessions_ in split:
                # the ranked group holds that setup's rows: all it states, the setup states
                if all(context.get(k) == v for k, v in x.context.items()) and sessions_:
                    values = " and ".join(fmt(v.value) for v in sessions_)
                    pooled.append(f"{x.context.get('model')} ({values} tok/s by session)")
                    figures += sessions_
                    break
        if not pooled:
            out.append(f)
            continue
        whose = named(pooled, "more models")
        text = (
            f"{f.text} The means of {whose} pool sessions that disagree beyond their spread: "
            "each describes none of its sessions (see the sessions findings)."
            if len(pooled) > 1
            else f"{f.text} The mean of {whose} pools sessions that disagree beyond their "
            "spread: it describes none of them (see the sessions finding)."
        )
        caveats = [*f.caveats, "some means pool sessions that disagree"]
        update = {"text": text, "caveats": caveats, "figures": [*f.figures, *figures]}
        out.append(f.model_copy(update=update))
    return out


def _same_prompts(setup: Measured, files: dict[str, dict]) -> dict[str, dict]:
    """The files of the largest group that ran the same prompts of the setup, each as many
    times; {} where no two files did."""
    ran: dict[str, list[str]] = defaultdict(list)
    for workload, cell in sorted(setup.cells.items()):
        if (stat := cell.get(THROUGHPUT)) is not None:
            for path in stat.sources:
                ran[path].append(workload)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for path, metrics in files.items():
        if THROUGHPUT in metrics and ran.get(path):
            groups[(tuple(ran[path]), metrics[THROUGHPUT].n)].append(path)
    best = max(groups.values(), key=len, default=[])
    return {path: files[path] for path in best} if len(best) > 1 else {}


def ratio_span(low: float, high: float) -> tuple[str, int]:
    """'5.1-5.8x' and the decimals it took; two where one prints '1.0x' for ratios that
    differ ('0.97-1.04x': an engine 3 % slower on some pairs and 4 % faster on others is
    no '1.0x'), and one figure where its ends print alike."""
    digits = 2 if f"{low:.1f}" == f"{high:.1f}" == "1.0" else 1
    a, b = f"{low:.{digits}f}", f"{high:.{digits}f}"
    return (f"{a}x" if a == b else f"{a}-{b}x"), digits


# --- baseline against tuned -----------------------------------------------------------------


def _named_baseline(m: Measured) -> bool:
    return bool(_BASELINE.search(m.config or "")) or any(
        _BASELINE.search(src.rsplit("/", 1)[-1]) for src in m.sources
    )


def _is_baseline(m: Measured) -> bool:
    return m.config == NO_SETTINGS or _named_baseline(m)


def baselines(
    setups: Sequence[Measured], measured_in: dict[str, frozenset[str]] | None = None
) -> list[Finding]:
    """Each subject's baseline against its tuned configs, like for like. Where one tuned
    config is shown faster (beyond the spread), that one; otherwise the range of every tuned
    config against the baseline: picking the fastest of many single runs would pick luck.
    A setup that states no settings is the baseline only where its files measured what the
    tuned configs' did (`stands_for_defaults`; `measured_in`: each file's metrics)."""
    grouped: dict[tuple, list[Measured]] = defaultdict(list)
    for m in setups:
        if not names_no_model(m.model) and THROUGHPUT in m.metrics:
            grouped[(m.model, m.scope)].append(m)
    out = []
    for (_, _), ms in sorted(grouped.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        tuned = [m for m in ms if m.params and not _is_baseline(m)]
        base = [
            m
            for m in ms
            if _is_baseline(m)
            and not m.params
            and (_named_baseline(m) or stands_for_defaults(m, tuned, measured_in or {}))
        ]
        if not base or not tuned:
            continue
        baseline = max(base, key=_runs)
        noise = prompt_noise(ms, THROUGHPUT)
        compared = [
            (m, c)
            for m in tuned
            if (c := compare(m, baseline, THROUGHPUT, noise)) is not None
            and c.verdict != "not like for like"
        ]
        if not compared:
            continue
        shown = [(m, c) for m, c in compared if c.real]
        where = f"at the engine's defaults ({named(baseline.sources, 'more files')})"
        figures = [baseline.figure(THROUGHPUT)]
        if shown:
            best, c = max(shown, key=lambda mc: mc[1].change)
            # The baseline's figure in a clause of its own, naming where it was measured: a
            # reader (and the figures check) takes each figure in the context beside it.
            text = (
                f"On {best.subject}, the tuned config {config_name(best)} is "
                f"{times_or_pct(c, 'the baseline')}: {fmt(c.a)} tok/s; the baseline, "
                f"{where}, gives {fmt(c.b)} tok/s ({c.counts()}; {c.spread_words()})."
            )
            verdict = "real"
            headline = (
                f"Tuned {config_name(best)} is {times_or_pct(c, 'the baseline')} on {best.subject}"
            )
            figures += [
                best.figure(THROUGHPUT, value=c.a, statistic="mean"),
                baseline.figure(THROUGHPUT, value=c.b, statistic="mean"),
                *change_figures(c, best, (config_name(best), "the baseline")),
            ]
        else:
            changes = sorted(c.change for _, c in compared)
            nulls = sum(c.null for _, c in compared)
            b = baseline.metrics[THROUGHPUT]
            low, high = f"{changes[0]:+.1f} %", f"{changes[-1]:+.1f} %"
            runs = low if low == high else f"{low} to {high}"  # never "-8.8 % to -8.8 %"
            single = all(min(c.n_a, c.n_b) < 2 for _, c in compared)
            if len(compared) == 1:
                ((one, c),) = compared
                # "none of the 1 tuned configs ... run -24.0 % of it (single runs ...)" read
                # of a config of 10 runs against a baseline of 4, one of them an outlier
                text = (
                    f"On {baseline.subject}, the tuned config {config_name(one)} is not shown "
                    f"faster than the baseline {where}: {fmt(b.mean)} tok/s (n={b.n}); the "
                    f"tuned config differs from it by {runs} ({c.counts()}; "
                    f"{c.spread_words()})."
                )
            else:
                text = (
                    f"On {baseline.subject}, none of the {len(compared)} tuned configs is shown "
                    f"faster than the baseline {where}: {fmt(b.mean)} tok/s (n={b.n}); the tuned "
                    f"configs differ from it by {runs}"
                    + (
                        f" ({nulls} of them measurably no different)"
                        if nulls
                        else " (single runs, too few for a verdict on any one)"
                        if single
                        else " (none beyond the run-to-run spread)"
                    )
                    + "."
                )
            verdict = "no measurable effect" if nulls else "not comparable"
            headline = (
                f"No tuned config is shown faster than the baseline on {baseline.subject} ({runs})"
            )
            figures += [
                KnownFigure(value=v, unit="%", metric=THROUGHPUT, statistic="pct",
                            context={"model": baseline.model or ""}
                            | sides_context("tuned config", "the baseline"),
                            source=f"finding: tuned against baseline, {baseline.label}")
                for v in (changes[0], changes[-1])
            ]  # fmt: skip
        out.append(
            Finding(
                id="",
                kind="baseline",  # type: ignore[arg-type]
                title=f"baseline against tuned on {baseline.subject}",
                text=text,
                headline=headline,
                figures=figures,
                groups=[m.label for m, _ in compared] + [baseline.label],
                sources=sorted({s for m, _ in compared for s in m.sources} | set(baseline.sources)),
                verdict=verdict,  # type: ignore[arg-type]
                importance=85.0 if verdict == "real" else 26.0,
            )
        )
    return out
