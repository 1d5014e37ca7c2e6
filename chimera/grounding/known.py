"""A figure Chimera knows to be true: the unit of grounding, shared by highlights and checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field


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


def figure_kind(metric: str, statistic: str, group_by: str | None) -> str:
    """Kind of a statistic, e.g. 'tokens_per_s mean by model' ('by all' for all rows)."""
    return f"{metric} {statistic} by {group_by or 'all'}"


class CarriesFigures(Protocol):
    """Anything that states known figures: a data highlight, a computed finding."""

    @property
    def values(self) -> Sequence[KnownFigure]: ...
