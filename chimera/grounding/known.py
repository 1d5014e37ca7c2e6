"""A figure Chimera knows to be true: the unit of grounding, shared by findings and checks.

Besides its value and unit, a known figure says what it is about, so the figures check can
insist that a number written in a report is traced to a figure of the same context: the
`metric` and `statistic` it is ("tokens_per_s", "mean") and the `context` it belongs to
(`{"model": "gemma3:270m", "config": "gpu80_ctx2048", "num_ctx": "2048"}`). An empty
context means all rows (or the run itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

# Statistics that are counts: compared exactly, and only with counts.
COUNT_STATISTICS = frozenset({"n", "count"})


class KnownFigure(BaseModel):
    """A value Chimera knows to be true, and where it comes from."""

    value: float
    unit: str = Field(description="tok/s, ms, s, tokens, %, files, rows, or a setting name")
    source: str = Field(description="e.g. 'digest: tokens_per_s mean, model=gemma3:270m (...)'")
    kind: str | None = Field(
        None,
        description="'<metric> <statistic> by <grouping>' (see figure_kind), or a plain name "
        "such as 'num_ctx'; percentages are derived only between comparable kinds",
    )
    metric: str | None = Field(None, description="tokens_per_s, ttft_ms, ... or a setting name")
    statistic: str | None = Field(
        None, description="mean, median, p95, min, max, std, n, count, value, pct, ..."
    )
    context: dict[str, str] = Field(
        default_factory=dict, description="what it is about: model, config, file, settings"
    )
    # Set on a copy when the findings' figures are collected (`catalog.data_figures`): a
    # range a finding states spans its own comparison's ratios, not another finding's of the
    # same context (one comparison on two machines). Never serialised.
    finding: str | None = Field(
        None, exclude=True, description="the id of the finding that states it, when known"
    )


def figure_kind(metric: str, statistic: str, group_by: str | None) -> str:
    """Kind of a statistic, e.g. 'tokens_per_s mean by model' ('by all' for all rows)."""
    return f"{metric} {statistic} by {group_by or 'all'}"


class CarriesFigures(Protocol):
    """Anything that states known figures: a data highlight, a computed finding."""

    @property
    def values(self) -> Sequence[KnownFigure]: ...
