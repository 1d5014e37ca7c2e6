"""The figures of one run itself that a report may cite: its metrics, files, settings."""

from __future__ import annotations

from collections.abc import Iterator

from chimera.config.agent import ModelOptions
from chimera.grounding.catalog import run_figures
from chimera.grounding.known import KnownFigure
from chimera.ingest.inventory import Inventory
from chimera.metrics import RunMetrics


def run_facts(
    metrics: RunMetrics, inventory: Inventory | None, options: ModelOptions
) -> Iterator[KnownFigure]:
    """The run's metrics, the files it analysed (per kind and in all), its agent's settings."""
    yield from run_figures(metrics)
    if inventory is not None:
        for kind, n in inventory.counts().items():
            yield KnownFigure(
                value=float(n), unit="files", metric="files", statistic="count",
                source=f"inventory: {kind} files",
            )  # fmt: skip
        yield KnownFigure(
            value=float(inventory.total_files), unit="files", metric="files",
            statistic="count", source="inventory: total",
        )  # fmt: skip
    # The agent's own settings are facts too: a report may well repeat its num_ctx.
    for option, value in options.set_options().items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield KnownFigure(
                value=float(value), unit=option, metric=option, statistic="value",
                source=f"agent config: {option}",
            )  # fmt: skip
