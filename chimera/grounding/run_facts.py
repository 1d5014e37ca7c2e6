"""The figures of one run itself that a report may cite: its metrics, files, settings.

With the data's figures and Chimera's computed sentences they make the one set of known
figures every check of a run uses (`known_for_run`): the analyst's and the writer's reviews,
the verify node and `chimera verify`, so a line report.md itself prints ("Files analyzed:
26") never gets a draft rejected that verify would accept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chimera.config.agent import ModelOptions
from chimera.document import SENTENCE_BREAK
from chimera.grounding.catalog import run_figures
from chimera.grounding.index import KnownFigures
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


# A computed sentence this short ("F3.", "n=3.") is no claim worth recognising verbatim.
_MIN_SENTENCE = 24


def computed_sentences(texts: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(source, sentence) of each sentence of Chimera's computed texts (findings,
    recommendations, highlights) that states a number: a copy of one is true as it stands."""
    for source, text in texts:
        for sentence in SENTENCE_BREAK.split(" ".join(text.split())):
            if len(sentence) >= _MIN_SENTENCE and any(ch.isdigit() for ch in sentence):
                yield source, sentence


def known_for_run(
    data: KnownFigures,
    own: Iterable[tuple[str, str]],
    metrics: RunMetrics,
    inventory: Inventory | None,
    options: ModelOptions,
) -> KnownFigures:
    """The data's known figures with the run's facts and Chimera's computed texts (`own`:
    (source, text), e.g. ("finding F3", its text)) added."""
    return data.extended(run_facts(metrics, inventory, options), computed_sentences(own))
