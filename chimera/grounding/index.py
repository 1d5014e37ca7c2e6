"""The known figures, indexed for the figures check: by unit and magnitude, and by model.

A digest of a large folder has tens of thousands of known figures (every statistic of every
group, setting values, counts); a mention only looks at those of its unit within its digits
(`KnownFigures.near`), and a derived percentage only at the means and medians of the models
its sentence names (`KnownFigures.poolable`).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from chimera.grounding.catalog import data_figures, run_figures, unique
from chimera.grounding.context import EntityIndex
from chimera.grounding.figure_text import canonical_unit
from chimera.grounding.known import CarriesFigures, KnownFigure
from chimera.ingest.digest.models import DataDigest
from chimera.metrics import RunMetrics

__all__ = ["Known", "KnownFigures", "known_figures"]

_POOLS_CACHED = 4096  # pools kept per KnownFigures: sentences of a report name few groups


@dataclass(frozen=True)
class Known:
    """A known figure in the unit it is compared in."""

    value: float  # in the canonical unit
    unit: str | None
    figure: KnownFigure

    @classmethod
    def of(cls, fig: KnownFigure) -> Known:
        unit, factor = canonical_unit(fig.unit)
        return cls(fig.value * factor, unit, fig)


class _Layer:
    """Prepared figures by unit, sorted by magnitude: a mention only looks at its neighbours."""

    def __init__(self, known: list[Known]) -> None:
        self.known = known
        self._by_unit: dict[str | None, tuple[list[float], list[Known]]] = {}
        groups: dict[str | None, list[Known]] = {}
        for k in known:
            groups.setdefault(k.unit, []).append(k)
        for unit, ks in groups.items():
            ks.sort(key=lambda k: abs(k.value))
            self._by_unit[unit] = ([abs(k.value) for k in ks], ks)

    def near(self, unit: str | None, low: float, high: float) -> list[Known]:
        keys, ks = self._by_unit.get(unit, ([], []))
        return ks[bisect_left(keys, low) : bisect_right(keys, high)]


class KnownFigures:
    """Known figures, deduplicated, in canonical units and indexed: ready for `check_figures`.

    Preparing a digest's figures is most of the verify node's cost, so it is done once per
    digest and shared (see `chimera.findings.prepared`); `extended()` adds a run's own
    figures (its metrics, file counts, settings) as a small layer on top of the base.
    """

    def __init__(
        self, figures: Iterable[KnownFigure] = (), sentences: Iterable[tuple[str, str]] = ()
    ) -> None:
        self._layers: tuple[_Layer, ...] = ()
        # Chimera's own computed sentences, (source, sentence): true wherever they appear
        self.sentences: tuple[tuple[str, str], ...] = tuple(sentences)
        self._entities: EntityIndex | None = None
        self._poolable: dict[str | None, list[Known]] | None = None
        self.pools: dict[object, list[Known]] = {}  # _pool's answers, by what was named
        self._add(figures)

    def _add(self, figures: Iterable[KnownFigure]) -> None:
        fresh = [Known.of(f) for f in unique(figures) if math.isfinite(f.value)]
        if fresh:
            self._layers = (*self._layers, _Layer(fresh))

    def extended(
        self, figures: Iterable[KnownFigure], sentences: Iterable[tuple[str, str]] = ()
    ) -> KnownFigures:
        """A new KnownFigures with `figures` (and Chimera's computed `sentences`) added; this
        one is unchanged."""
        more = KnownFigures(sentences=(*self.sentences, *sentences))
        more._layers = self._layers
        more._add(figures)
        return more

    def remember_pool(self, key: object, pool: list[Known]) -> None:
        """Keep a derived share's pool of figures for the next sentence naming the same."""
        if len(self.pools) < _POOLS_CACHED:
            self.pools[key] = pool

    def poolable(self, model: str | None, *, every: bool = False) -> list[Known]:
        """Per-run means and medians of groups (what `_pool` recomputes shares from), of one
        model (None: of no model), or of every model."""
        if self._poolable is None:
            self._poolable = {}
            for k in self._prepared():
                fig = k.figure
                if (
                    fig.context
                    and fig.statistic in ("mean", "median")
                    and " of " not in (fig.kind or "")
                ):
                    self._poolable.setdefault(fig.context.get("model"), []).append(k)
        if every:
            return [k for ks in self._poolable.values() for k in ks]
        return self._poolable.get(model, [])

    @property
    def entities(self) -> EntityIndex:
        if self._entities is None:
            self._entities = EntityIndex(self)
        return self._entities

    def _prepared(self) -> Iterator[Known]:
        for layer in self._layers:
            yield from layer.known

    def __iter__(self) -> Iterator[KnownFigure]:
        return (k.figure for k in self._prepared())

    def __len__(self) -> int:
        return sum(len(layer.known) for layer in self._layers)

    def near(self, unit: str | None, low: float, high: float) -> list[Known]:
        return [k for layer in self._layers for k in layer.near(unit, low, high)]


def known_figures(
    digest: DataDigest | None,
    carriers: Iterable[CarriesFigures] = (),
    run_metrics: RunMetrics | None = None,
    extra: Iterable[KnownFigure] = (),
) -> list[KnownFigure]:
    """Every figure a report may cite, deduplicated."""
    runs = run_figures(run_metrics) if run_metrics else ()
    return unique(chain(data_figures(digest, list(carriers)), runs, extra))
