"""The figures compared across runs, in comparisons and sweeps alike: one table.

Each figure is one number per run (see `chimera.engine.figures` for how it is read from a
run). `resolution` is the smallest difference the figure can show: values all below it
(a load time of 0.001 ms on a server that had the model loaded) are not compared in
percent, since a percentage of nothing measurable reads as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunFigure:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    resolution: float = 0.0


# In report order; the first two get verdicts up front.
FIGURES: tuple[RunFigure, ...] = (
    RunFigure("throughput_tok_s", "Throughput", "tok/s", True),
    RunFigure("ttft_ms", "TTFT", "ms", False, 0.01),
    RunFigure("wall_s", "Run wall time", "s", False, 0.001),
    RunFigure("total_duration_ms", "Total duration", "ms", False, 0.01),
    RunFigure("tokens_generated", "Tokens generated", "tokens", True),
    RunFigure("load_duration_ms", "Load duration", "ms", False, 0.01),
    RunFigure("prompt_eval_ms", "Prompt eval", "ms", False, 0.01),
    RunFigure("grounding_rate_pct", "Grounding rate", "%", True),
    RunFigure("compliance_pct", "Persona compliance", "%", True),
)
BY_KEY: dict[str, RunFigure] = {f.key: f for f in FIGURES}
