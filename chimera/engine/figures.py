"""Reading a finished run's figures (the table in `chimera.run_figures`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from chimera.execution.result import RunResult
from chimera.metrics import CallMetrics, RunMetrics
from chimera.run_figures import FIGURES


def _finite(value: float | int | None) -> float | None:
    """A figure as compared: inf and NaN are not measurements, so they are "not measured"."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100.0


def run_figures(
    result: RunResult, calls: Sequence[CallMetrics] | None = None, set_aside_ms: float = 0.0
) -> dict[str, float | None]:
    """Every figure of the table for one run.

    `calls`: the calls the call-based figures come from (a sweep leaves cold starts out);
    all of the run's by default. `set_aside_ms`: load time left out of the run's wall (the
    wall then says what the run takes with the model loaded).
    """
    metrics = result.metrics if calls is None else RunMetrics.from_calls(list(calls))
    figures_check = result.figures_check
    compliance = result.compliance
    values: dict[str, float | int | None] = {
        "throughput_tok_s": metrics.throughput_tok_s,
        "ttft_ms": metrics.ttft_ms,
        "wall_s": max(result.wall_s - set_aside_ms / 1000, 0.0),
        "total_duration_ms": metrics.total_duration_ms,
        "tokens_generated": metrics.tokens_generated,
        "load_duration_ms": metrics.load_duration_ms,
        "prompt_eval_ms": metrics.prompt_eval_ms,
        "grounding_rate_pct": _pct(figures_check.grounding_rate if figures_check else None),
        "compliance_pct": _pct(compliance.score if compliance else None),
    }
    return {f.key: _finite(values[f.key]) for f in FIGURES}
