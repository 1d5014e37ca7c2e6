"""Models against each other: throughput and TTFT ranking, and quantised variants.

Models are compared like for like where the data allows it: on a set of settings every one
of them was measured with. Otherwise over all their rows, and the finding says that those
rows mix different configs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from chimera.findings.finding import Finding
from chimera.findings.measured import (
    THROUGHPUT,
    TTFT,
    Measured,
    fmt,
    pct_change,
    settings_text,
    welch,
)
from chimera.findings.settings_effects import distinct_settings

# A model tag's size and variant: "1b-it-qat" -> ("1b", "it-qat"), "8b-q4_k_m" -> ("8b", ...)
_TAG = re.compile(r"^(?P<size>\d+(?:\.\d+)?[bmk])(?:[-_](?P<variant>.+))?$", re.I)
_QUANT_WORDS = re.compile(r"q\d|qat|fp16|f16|bf16|fp8|int8|int4|gguf|awq|gptq", re.I)


def _shared_setup(setups: Sequence[Measured], models: list[str]) -> dict[str, Measured] | None:
    """One setup per model on the settings most of the models (two at least) share."""
    per_model: dict[str, list[Measured]] = defaultdict(list)
    for m in setups:
        if m.model in models and m.params and THROUGHPUT in m.metrics:
            per_model[m.model].append(m)
    by_params: dict[str, dict[str, Measured]] = defaultdict(dict)
    for model, ms in per_model.items():
        # The same settings measured twice: the model's main session (as for its best config).
        for m in distinct_settings(ms):
            by_params[settings_text(dict(sorted(m.params.items())))][model] = m
    shared = [group for group in by_params.values() if len(group) >= 2]
    if not shared:
        return None
    # Most models, then most runs; on a tie the settings the models run fastest with (the
    # ones people use), not, say, CPU only.
    return max(
        shared,
        key=lambda g: (
            len(g),
            sum(m.metrics[THROUGHPUT].n for m in g.values()),
            sum(m.metrics[THROUGHPUT].mean for m in g.values()),
        ),
    )


def _ranking(
    groups: dict[str, Measured], metric: str, higher_is_better: bool, where: str, caveat: str | None
) -> Finding | None:
    present = {k: m for k, m in groups.items() if metric in m.metrics}
    if len(present) < 2:
        return None
    ranked = sorted(
        present.values(),
        key=lambda m: -m.metrics[metric].mean if higher_is_better else m.metrics[metric].mean,
    )
    best, worst = ranked[0], ranked[-1]
    a, b = best.metrics[metric], worst.metrics[metric]
    unit = a.unit
    label = "throughput" if metric == THROUGHPUT else "TTFT"
    listing = ", ".join(
        f"{m.model} {fmt(m.metrics[metric].mean)} {unit} (n={m.metrics[metric].n})" for m in ranked
    )
    if higher_is_better:
        gap = f"{best.model} is {pct_change(a.mean, b.mean):.1f} % faster than {worst.model}"
    else:
        gap = (
            f"{best.model}'s TTFT is {-pct_change(a.mean, b.mean):.1f} % lower than {worst.model}'s"
        )
    verdict = welch(a, b)
    spread = {
        "real": "beyond the run-to-run spread",
        "within spread": "within the run-to-run spread",
        "too few runs": "too few runs for a verdict",
    }[verdict]
    text = f"Mean {label} by model{where}: {listing}; {gap} ({spread})."
    if caveat:
        text += f" {caveat}"
    return Finding(
        id="",
        kind="model_ranking",
        title=f"{label} by model",
        text=text,
        figures=[m.figure(metric) for m in ranked] + [m.figure(metric, "n") for m in ranked],
        groups=[m.label for m in ranked],
        sources=sorted({src for m in ranked for src in m.metrics[metric].sources}),
        verdict="real" if verdict == "real" else "info",
        caveats=[caveat] if caveat else [],
        importance=(80.0 if metric == THROUGHPUT else 55.0) - (15.0 if caveat else 0.0),
    )


def rankings(models: Sequence[Measured], setups: Sequence[Measured]) -> list[Finding]:
    """Throughput and TTFT by model, like for like when every model shares a setup."""
    names = [m.model for m in models if m.model]
    if len(names) < 2:
        return []
    out: list[Finding] = []
    shared = _shared_setup(setups, names)
    if shared is not None:
        settings = settings_text(next(iter(shared.values())).params)
        if len(shared) == len(names):
            where = f" on the settings all {len(names)} were measured with ({settings})"
        else:
            where = f" on the settings {len(shared)} of the {len(names)} models share ({settings})"
        for metric, higher in ((THROUGHPUT, True), (TTFT, False)):
            found = _ranking(shared, metric, higher, where, None)
            if found:
                out.append(found.model_copy(update={"title": found.title + " (like for like)"}))
        if len(shared) == len(names) and len(out) == 2:
            return out
    caveat = (
        "These means pool each model's rows over whatever configs and prompts it ran, "
        "so they rank the models only roughly."
    )
    overall = {m.model: m for m in models if m.model}
    complete = shared is not None and len(shared) == len(names)
    like_for_like = {f.figures[0].metric for f in out if f.figures}
    for metric, higher in ((THROUGHPUT, True), (TTFT, False)):
        if complete and metric in like_for_like:
            continue  # every model already ranked on the same settings
        found = _ranking(overall, metric, higher, " over all rows", caveat)
        if found:
            out.append(found)
    return out


def _family(model: str) -> tuple[str, str, str] | None:
    """'gemma3:1b-it-qat' -> ('gemma3', '1b', 'it-qat'); None when the tag has no size."""
    name, _, tag = model.partition(":")
    found = _TAG.match(tag)
    if not found:
        return None
    return name, found["size"].lower(), (found["variant"] or "").lower()


def quantization(models: Sequence[Measured], setups: Sequence[Measured]) -> list[Finding]:
    """Variants of one model and size that differ in their quantisation, side by side."""
    families: dict[tuple[str, str], list[tuple[str, Measured]]] = defaultdict(list)
    for m in models:
        if m.model and THROUGHPUT in m.metrics and (parts := _family(m.model)):
            families[(parts[0], parts[1])].append((parts[2], m))
    out = []
    for (family, size), variants in sorted(families.items()):
        if len(variants) < 2 or not any(_QUANT_WORDS.search(v) for v, _ in variants):
            continue
        names = [m.model for _, m in variants if m.model]
        shared = _shared_setup(setups, names)
        groups = shared if shared is not None else {m.model: m for _, m in variants if m.model}
        ranked = sorted(groups.values(), key=lambda m: -m.metrics[THROUGHPUT].mean)
        a, b = ranked[0].metrics[THROUGHPUT], ranked[-1].metrics[THROUGHPUT]
        listing = ", ".join(
            f"{m.model} {fmt(m.metrics[THROUGHPUT].mean)} tok/s (n={m.metrics[THROUGHPUT].n})"
            for m in ranked
        )
        if shared is not None:
            where = f"on the same settings ({settings_text(ranked[0].params)})"
            caveats: list[str] = []
        else:
            where = "over all their rows, which were measured with different settings"
            caveats = ["not like for like"]
        verdict = welch(a, b)
        text = (
            f"Quantised variants of {family} {size} {where}: {listing}; the fastest is "
            f"{pct_change(a.mean, b.mean):.1f} % faster"
            + ("" if verdict == "real" else " (not beyond the run-to-run spread)")
            + "."
        )
        out.append(
            Finding(
                id="",
                kind="quantization",
                title=f"quantisation of {family} {size}",
                text=text,
                figures=[m.figure(THROUGHPUT) for m in ranked],
                groups=[m.label for m in ranked],
                sources=sorted({s for m in ranked for s in m.sources}),
                verdict="real" if verdict == "real" and not caveats else "info",
                caveats=caveats,
                importance=35.0 if not caveats else 15.0,
            )
        )
    return out
