"""Whether the model still fit in VRAM: the first cause an Ollama tuner looks for.

Where the files state Ollama's placement of a setup (`ollama ps`'s PROCESSOR, /api/ps's
size_vram / size; see `chimera.ingest.digest.placement`), a setting's levels, a setting across
models, a best config or a comparison of models that differ in it say so in Ollama's own
words: "From num_ctx=65536 on, phi4-mini:3.8b no longer fit in VRAM and spilled onto the CPU
(ollama ps: 22%/78% CPU/GPU): its throughput fell to 30.30 tok/s at num_ctx=65536 from
170.14 tok/s at num_ctx=49152 (100% GPU)." A setup whose placement no file states says
nothing; setups that all fit (or all sat alike) say nothing. ("Spilled onto the CPU", not
"ran partly on the CPU": the figures check reads "on the CPU" as num_gpu=0, CPU only.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chimera.findings.measured import MAX_MODELS_NAMED, Measured, rate, setting_value, settings_text
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.placement import OLLAMA_PS, cpu_gpu_parts, processor_words

GPU_SHARE = "gpu_share"


def fits(m: Measured) -> bool:
    """Every row of the setup that states its placement ran wholly on the GPU."""
    return m.gpu_share is not None and m.gpu_share[0] >= 100


def spilled(m: Measured) -> bool:
    """Some row of the setup that states its placement ran partly (or wholly) on the CPU."""
    return m.gpu_share is not None and m.gpu_share[0] < 100


def words(m: Measured) -> str:
    """The setup's placement as `ollama ps` writes it ("22%/78% CPU/GPU"; a range where its
    rows differ: "100% GPU to 6%/94% CPU/GPU")."""
    assert m.gpu_share is not None
    low, high = m.gpu_share
    if processor_words(low) == processor_words(high):
        return processor_words(low)
    return f"{processor_words(high)} to {processor_words(low)}"


def figures(m: Measured) -> list[KnownFigure]:
    """The percentages `words` writes, as figures of the setup."""
    if m.gpu_share is None:
        return []
    values: list[float] = []
    for share in dict.fromkeys(m.gpu_share):
        parts = cpu_gpu_parts(share)
        values += [100.0] if parts is None else [float(p) for p in parts]
    where = ", ".join(f"{k}={v}" for k, v in m.context.items()) or "all rows"
    return [
        KnownFigure(value=v, unit="%", metric=GPU_SHARE, statistic="quoted",
                    kind=f"{GPU_SHARE} quoted", context=dict(m.context),
                    source=f"finding: the model's placement ({OLLAMA_PS}), {where}")
        for v in dict.fromkeys(values)
    ]  # fmt: skip


def _level(setting: str, level: Any) -> str:
    return f"{setting}={setting_value(level)}"


def levels_sentence(
    subject: str, setting: str, metric: str, what: str, levels: Sequence[tuple[Any, Measured]]
) -> tuple[str, list[KnownFigure]]:
    """Where a setting's levels (sorted) differ in placement, at which the model no longer
    fit in VRAM and what its rate did there; '' where no two levels differ."""
    known = [(lvl, m) for lvl, m in levels if m.gpu_share is not None and metric in m.metrics]
    if len(known) < 2 or len({words(m) for _, m in known}) < 2:
        return "", []
    edge = next(
        (i for i in range(len(known) - 1) if fits(known[i][1]) != fits(known[i + 1][1])), None
    )
    if edge is None:  # partly on the CPU at every level, by different shares
        (first, a), (last, b) = known[0], known[-1]
        # one share a clause: a share written after a setting's value reads as another value
        text = (
            f" {subject} spilled onto the CPU at every level measured: {OLLAMA_PS} says "
            f"{words(a)} at {_level(setting, first)}. At the other end, {OLLAMA_PS} says "
            f"{words(b)} at {_level(setting, last)}."
        )
        return text, [*figures(a), *figures(b)]
    below, above = known[edge], known[edge + 1]
    up = spilled(above[1])  # a larger level spilled (num_ctx); else a smaller one (num_gpu)
    out, fit = (above, below) if up else (below, above)
    side = known[edge + 1 :] if up else known[: edge + 1][::-1]
    steady = all(spilled(m) for _, m in side) and all(
        fits(m) for _, m in (known[: edge + 1] if up else known[edge + 1 :])
    )
    level = _level(setting, out[0])
    where = (f"From {level} on" if up else f"At {level} and below") if steady else f"At {level}"
    a, b = out[1].metrics[metric].mean, fit[1].metrics[metric].mean
    change = "fell to" if a < b else "rose to" if a > b else "stayed at"
    text = (
        f" {where}, {subject} no longer fit in VRAM and spilled onto the CPU ({OLLAMA_PS}: "
        f"{words(out[1])}): its {what} {change} {rate(a, metric)} at {_level(setting, out[0])} "
        f"from {rate(b, metric)} at {_level(setting, fit[0])} ({words(fit[1])})."
    )
    found = [out[1].figure(metric), fit[1].figure(metric), *figures(out[1]), *figures(fit[1])]
    last = side[-1]
    shares = [m.gpu_share[0] for _, m in side if m.gpu_share is not None]
    if steady and words(last[1]) != words(out[1]) and shares == sorted(shares, reverse=True):
        # its own sentence: a share written after a setting's value reads as another value
        text += (
            f" The further {setting} went {'up' if up else 'down'}, the more of it sat on the "
            f"CPU: {OLLAMA_PS} says "
            f"{words(last[1])} at {_level(setting, last[0])}."
        )
        found += figures(last[1])
    return text, found


def models_sentence(ms: Sequence[Measured]) -> tuple[str, list[KnownFigure]]:
    """Where models compared on the same settings differ in placement, which of them ran
    partly on the CPU there (their gap is then the CPU's as much as the model's)."""
    known = [m for m in ms if m.gpu_share is not None]
    out = [m for m in known if spilled(m)]
    if not out or len(out) == len(known):
        return "", []
    settings = settings_text(out[0].params) if all(m.params == out[0].params for m in out) else ""
    where = out[0].where  # " on 2xP40" where the data has several machines
    at = f"At {settings}{where}, only" if settings else f"On{where[3:]}, only" if where else "Only"
    shares = "; ".join(f"{words(m)} for {m.model}" for m in out)
    # the shares after the models' names: a share right after a setting reads as its value
    text = (
        f" {at} {', '.join(str(m.model) for m in out)} of the models whose placement is stated "
        f"spilled onto the CPU, no longer fitting in VRAM ({OLLAMA_PS}: {shares}): the gap is "
        "the CPU's as much as the model's."
    )
    return text, [f for m in out for f in figures(m)]


def best_config_words(
    best: Measured, others: Sequence[Measured], metric: str, name: Callable[[Measured], str]
) -> tuple[str, list[KnownFigure]]:
    """A best config that ran partly on the CPU while another config fit in VRAM: said, with
    the fastest config that fit, so no one takes the spill for the better setting."""
    if not spilled(best):
        return "", []
    fitting = [m for m in others if fits(m) and metric in m.metrics]
    if not fitting:
        return "", []
    top = max(fitting, key=lambda m: (m.metrics[metric].mean, m.label))
    fastest = rate(top.metrics[metric].mean, metric)
    text = (
        f" At {name(best)} the fastest spilled onto the CPU ({OLLAMA_PS}: {words(best)}); the "
        f"fastest config that fit in VRAM is {name(top)} at {fastest} ({words(top)})."
    )
    return text, [*figures(best), *figures(top), top.figure(metric)]


def runner_up_words(
    best: Measured, second: Measured, name: Callable[[Measured], str]
) -> tuple[str, list[KnownFigure]]:
    """Where the best fit in VRAM and the runner-up did not: its margin is the CPU's."""
    if not (fits(best) and spilled(second)):
        return "", []
    text = (
        f" At {name(second)} the runner-up no longer fit in VRAM and spilled onto the CPU "
        f"({OLLAMA_PS}: {words(second)}); at {name(best)} the fastest ran {words(best)}."
    )
    return text, [*figures(second), *figures(best)]


def _listed(models: Sequence[str]) -> str:
    shown = list(models[:MAX_MODELS_NAMED])
    text = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return text + (" among others" if len(models) > len(shown) else "")


def across_sentence(
    setting: str, low: Any, high: Any, pairs: Sequence[tuple[str, Measured, Measured]]
) -> str:
    """Across models compared at two levels of a setting, which of them fit in VRAM at one
    level and not at the other, where the files say: the models that slowed are often
    exactly those (no figures: the models' own findings give the shares)."""
    known = [(m, a, b) for m, a, b in pairs if a.gpu_share is not None and b.gpu_share is not None]
    if len(known) < 2:
        return ""
    at_low, at_high = _level(setting, low), _level(setting, high)
    groups = (
        ([m for m, a, b in known if fits(a) and spilled(b)], f"fit in VRAM at {at_low}, not at"),
        ([m for m, a, b in known if spilled(a) and fits(b)], f"fit in VRAM at {at_high}, not at"),
        ([m for m, a, b in known if fits(a) and fits(b)], "fit at both"),
        ([m for m, a, b in known if spilled(a) and spilled(b)], "spilled onto the CPU at both"),
    )
    if not groups[0][0] and not groups[1][0]:
        return ""
    other = {0: f" {at_high}", 1: f" {at_low}"}
    parts = [
        f"{_listed(ms)} {words}{other.get(i, '')}" for i, (ms, words) in enumerate(groups) if ms
    ]
    return f" Where they sat ({OLLAMA_PS}): " + "; ".join(parts) + "."
