"""Prompt-processing rates measured on prompts too short to measure prefill.

A prompt of a few dozen tokens is evaluated in one batch: its time is the request's fixed
cost (a pass over the weights, a scheduling step), nearly the same for 7 tokens as for 30.
Its "prompt eval rate" is that cost divided by the prompt's length: it grows with the
length and is no measure of prefill throughput. Real folders rank models, machines and
num_ctx values by it (Ollama's `--verbose` on 10-37-token prompts: a P40 "5.6x" a 4060 Ti;
llama4 "156x" deepseek-r1:70b on a 347-token prompt against 8). Every finding on the prompt
rate whose files' prompts are shorter than `SHORT_PROMPT_TOKENS` says so; a model ranking or
a setting effect stated "real" on them becomes information (the gap may be the prompts'
lengths), a machine or engine comparison keeps its verdict (the same prompts on both).
"""

from __future__ import annotations

from collections.abc import Sequence

from chimera.findings.finding import Finding
from chimera.findings.measured import PROMPT_RATE, THROUGHPUT, Measured
from chimera.grounding.known import KnownFigure

# Below this many prompt tokens a prompt rate is mostly fixed cost (llama-bench measures
# prefill on 512).
SHORT_PROMPT_TOKENS = 64
# How the caveat of such rates ends (`render` reads it to qualify a headline citing them).
NOT_PREFILL = "not prefill throughput"
_PROMPT_COUNT = "prompt_eval_count"
# Findings that keep their verdict: the same prompts ran on both sides.
_PAIRED_KINDS = frozenset({"machine_comparison", "engine_comparison"})


def _lengths(setups: Sequence[Measured]) -> dict[str, tuple[float, float]]:
    """file -> (shortest, longest) prompt of the runs that have a prompt rate there."""
    out: dict[str, tuple[float, float]] = {}
    for m in setups:
        count = m.metrics.get(_PROMPT_COUNT)
        if count is None or PROMPT_RATE not in m.metrics:
            continue
        for path in count.sources:
            low, high = out.get(path, (count.min, count.max))
            out[path] = (min(low, count.min), max(high, count.max))
    return out


def caveat_short_prompts(found: list[Finding], setups: Sequence[Measured]) -> list[Finding]:
    """`found`, each finding on the prompt rate over short prompts saying so."""
    lengths = _lengths(setups)
    if not lengths or min(low for low, _ in lengths.values()) >= SHORT_PROMPT_TOKENS:
        return found  # the usual folder: no short prompt, nothing to look at
    out = []
    for f in found:
        metrics = {fig.metric for fig in f.figures}
        known = [lengths[src] for src in f.sources if src in lengths]
        if PROMPT_RATE not in metrics or THROUGHPUT in metrics or not known:
            out.append(f)
            continue
        low = min(lo for lo, _ in known)
        high = max(hi for _, hi in known)
        if low >= SHORT_PROMPT_TOKENS:
            out.append(f)
            continue
        span = f"{low:.0f}" if low == high else f"{low:.0f} to {high:.0f}"
        mixed = high >= SHORT_PROMPT_TOKENS
        text = (
            f" The prompts behind these rates are {span} tokens"
            + (f", some under {SHORT_PROMPT_TOKENS}" if mixed else "")
            + ": over so short a prompt the rate is mostly the request's fixed cost, and it "
            "grows with the prompt's length, so it is no measure of prefill throughput"
            + (" and rates over prompts of different lengths do not compare" if mixed else "")
            + " (measure prefill on prompts of hundreds of tokens)."
        )
        caveat = f"prompt rates over prompts of {span} tokens: {NOT_PREFILL}"
        figures = [
            KnownFigure(value=low, unit="tokens", metric=_PROMPT_COUNT, statistic="min",
                        source="finding: shortest prompt behind the prompt rates"),
            KnownFigure(value=high, unit="tokens", metric=_PROMPT_COUNT, statistic="max",
                        source="finding: longest prompt behind the prompt rates"),
            KnownFigure(value=SHORT_PROMPT_TOKENS, unit="tokens", metric=_PROMPT_COUNT,
                        statistic="threshold", source="finding: a short prompt's length"),
        ]  # fmt: skip
        verdict = f.verdict
        if verdict == "real" and f.kind not in _PAIRED_KINDS:
            verdict = "info"
        out.append(
            f.model_copy(
                update={
                    "text": f.text + text,
                    "caveats": [*f.caveats, caveat],
                    "figures": [*f.figures, *figures],
                    "verdict": verdict,
                    "importance": f.importance - 10.0,
                }
            )
        )
    return out
