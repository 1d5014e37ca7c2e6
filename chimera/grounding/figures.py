"""Figures check (no LLM): find every figure the model wrote and trace it to a known value.

Small local models invent numbers, so every figure in the report, findings and recommendations
is looked up among the figures Chimera knows: the digest's statistics, the data highlights,
the run's measured metrics and counts the caller adds (files analysed, ...).

What counts as a figure is defined in `chimera.grounding.figure_text` (`find_figures`): in short,
a number with a metric unit, a number beside a metric word, or a count of data of 10 or
more; never numbering, dates, times, versions, model names, labels or small counts.

A figure is traced when it matches a known figure of the same unit (a unitless figure may
match any unit, preferring the one its metric word names; s and min are compared in ms):
within 1 % of it, or equal to it rounded or truncated to the digits written ("42.8" and
"42" both match 42.76). Counts must match exactly. Signs are ignored.

A percentage or an "x" ratio also matches one computed from two known figures, (a - b) / b
or a / b in either direction, when both are of one unit and statistic and scope (model vs
model; a group against all rows or the run is allowed too), and each is cited elsewhere in
the texts or covers all rows or the run. A large digest offers so many pairs that almost any
percentage would match one by chance; cited figures keep the comparison the one the text made.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from chimera.grounding.figure_text import COUNT_UNITS, FigureMention, canonical_unit, find_figures
from chimera.grounding.known import CarriesFigures, KnownFigure, figure_kind
from chimera.ingest.digest.models import DataDigest
from chimera.metrics import RunMetrics

__all__ = [
    "FigureClaim",
    "FigureMention",
    "FiguresCheck",
    "KnownFigure",
    "KnownFigures",
    "check_figures",
    "data_figures",
    "figure_kind",
    "find_figures",
    "known_figures",
    "run_figures",
]

Status = Literal["traced", "unverified"]

_REL_TOLERANCE = 0.01
_NAMED_FILES = 3  # files a figure's provenance names before "and N more"
_SENTENCE_MAX = 240


class FigureClaim(BaseModel):
    """One figure as the model wrote it, and whether it could be traced."""

    text: str = Field(description="as written, e.g. '110 tok/s'")
    value: float = Field(description="the number as written (sign ignored)")
    unit: str | None = Field(description="normalised written unit: tok/s, ms, s, %, files ...")
    sentence: str
    where: str = Field(description="which text: report, findings, recommendations")
    status: Status = "unverified"
    provenance: str | None = None


class FiguresCheck(BaseModel):
    claims: list[FigureClaim] = Field(default_factory=list)
    traced: int = 0
    total: int = 0

    @classmethod
    def from_claims(cls, claims: list[FigureClaim]) -> FiguresCheck:
        traced = sum(1 for c in claims if c.status == "traced")
        return cls(claims=claims, traced=traced, total=len(claims))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounding_rate(self) -> float | None:
        """Share of figures traced; None when the text has no figures at all."""
        return self.traced / self.total if self.total else None

    def to_markdown(self) -> str:
        """Body of the report's Figures Check section (the caller writes the heading)."""
        if not self.total:
            return "_No figures found in the model's text._"
        rate = 100.0 * self.traced / self.total
        lines = [f"Traced {self.traced} of {self.total} figures ({rate:.1f} %)."]
        per_where: dict[str, list[int]] = {}
        for claim in self.claims:
            counts = per_where.setdefault(claim.where, [0, 0])
            counts[0] += claim.status == "traced"
            counts[1] += 1
        if len(per_where) > 1:
            lines[0] += (
                " By text: "
                + ", ".join(f"{where} {t} of {n}" for where, (t, n) in per_where.items())
                + "."
            )
        untraced = [c for c in self.claims if c.status != "traced"]
        if untraced:
            lines += ["", "Not found in the data or the run's metrics:"]
            lines += [f'- **{c.text}** ({c.where}): "{_clip(c.sentence)}"' for c in untraced]
        return "\n".join(lines)


# --- known figures -------------------------------------------------------------------------

_STATISTICS = ("mean", "median", "p95", "min", "max")
# RunMetrics field -> (unit, kind); kinds match the digest's metric names so a run's
# throughput can be compared with the data's.
_RUN_FIELDS = {
    "throughput_tok_s": ("tok/s", "tokens_per_s mean by run"),
    "ttft_ms": ("ms", "ttft_ms mean by run"),
    "total_duration_ms": ("ms", "total_ms sum by run"),
    "tokens_generated": ("tokens", "eval_count sum by run"),
    "prompt_eval_ms": ("ms", "prompt_eval_ms sum by run"),
    "eval_duration_ms": ("ms", "eval_ms sum by run"),
    "load_duration_ms": ("ms", "load_ms sum by run"),
    "prompt_tokens": ("tokens", "prompt_eval_count sum by run"),
    "calls": ("calls", "llm_calls"),
}
# Scopes that may be compared with any other scope of the same statistic (see _pairable).
_WILDCARD_SCOPES = frozenset({"all", "run"})


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"


def _named_files(sources: Sequence[str]) -> str:
    # A statistic over all rows of a large folder has thousands of sources; naming them all
    # in each of its six figures made provenance unreadable and cost megabytes.
    more = len(sources) - _NAMED_FILES
    return ", ".join(sources[:_NAMED_FILES]) + (f" and {more:,} more files" if more > 0 else "")


def _digest_figures(digest: DataDigest) -> Iterator[KnownFigure]:
    for s in digest.stats:
        where = f"{s.group_by}={s.group}" if s.group_by else "all rows"
        origin = f"{_named_files(s.sources)}, column {s.column}"
        of = f" of the files' {s.aggregate} values" if getattr(s, "aggregate", None) else ""
        for stat in _STATISTICS:
            yield KnownFigure(
                value=getattr(s, stat),
                unit=s.unit,
                kind=figure_kind(s.metric, stat, s.group_by),
                source=f"digest: {s.metric} {stat}{of}, {where} ({origin})",
            )
        yield KnownFigure(
            value=s.n, unit="rows", kind="n", source=f"digest: {s.metric} n, {where} ({origin})"
        )
    for name, params in digest.configs.items():
        for key, value in params.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield KnownFigure(
                    value=value, unit=key, kind=key, source=f"digest: config {name} {key}"
                )
    yield KnownFigure(
        value=digest.rows_read, unit="rows", kind="rows_read", source="digest: rows read"
    )
    yield KnownFigure(
        value=digest.tables_read, unit="tables", kind="tables_read", source="digest: tables read"
    )
    if digest.configs:
        yield KnownFigure(
            value=len(digest.configs),
            unit="configs",
            kind="configs",
            source="digest: configurations",
        )
    models = {s.group for s in digest.stats if s.group_by == "model"}
    if models:
        yield KnownFigure(value=len(models), unit="models", kind="models", source="digest: models")
    for err in digest.error_rows:
        yield KnownFigure(
            value=err.count,
            unit="rows",
            kind="error_rows",
            source=f"digest: error rows in {err.path}",
        )


def run_figures(run: RunMetrics) -> Iterator[KnownFigure]:
    """The run's own measured metrics as figures a report may cite."""
    for field, (unit, kind) in _RUN_FIELDS.items():
        value = getattr(run, field)
        if value is not None:
            yield KnownFigure(value=value, unit=unit, kind=kind, source=f"run metrics: {field}")


def known_figures(
    digest: DataDigest | None,
    highlights: Sequence[CarriesFigures] = (),
    run_metrics: RunMetrics | None = None,
    extra: Sequence[KnownFigure] = (),
) -> list[KnownFigure]:
    """Every figure a report may cite, deduplicated by (value, unit, kind), first source kept."""
    return list(
        KnownFigures(data_figures(digest, highlights)).extended(
            chain(run_figures(run_metrics) if run_metrics else (), extra)
        )
    )


def data_figures(
    digest: DataDigest | None, highlights: Sequence[CarriesFigures] = ()
) -> Iterator[KnownFigure]:
    """The figures of the data alone: the digest's, then the highlights'."""
    if digest is not None:
        yield from _digest_figures(digest)
    for highlight in highlights:
        yield from highlight.values


# --- matching ------------------------------------------------------------------------------


def _close(written: float, decimals: int, candidate: float) -> bool:
    """Within 1 %, or `candidate` rounds or truncates to `written` at the digits written."""
    candidate = abs(candidate)
    step = 10.0**-decimals
    eps = step * 1e-6
    if abs(candidate - written) <= step / 2 + eps:
        return True
    if written <= candidate < written + step - eps:
        return True
    return written != 0 and abs(candidate - written) <= _REL_TOLERANCE * written


@dataclass(frozen=True)
class _Known:
    value: float  # in the canonical unit
    unit: str | None
    base: str | None  # kind without its scope: "tokens_per_s mean"
    scope: str | None  # "model", "all", "run"; None when the kind has no scope
    figure: KnownFigure

    @classmethod
    def of(cls, fig: KnownFigure) -> _Known:
        unit, factor = canonical_unit(fig.unit)
        base, _, scope = (fig.kind or "").rpartition(" by ")
        if not base:
            base, scope = fig.kind or "", ""
        return cls(fig.value * factor, unit, base or None, scope or None, fig)

    @property
    def is_mean(self) -> bool:
        return bool(self.base and self.base.endswith(" mean"))


def _pairable(a: _Known, b: _Known) -> bool:
    """Same unit and statistic, and the same scope unless one covers all rows or the run.

    Model-vs-model or group-vs-all comparisons are what reports make; allowing every pair
    (a p95 against another group's minimum) would trace almost any percentage by chance.
    """
    if a.unit != b.unit or a.value == b.value or not a.value or not b.value:
        return False
    if a.base is None or b.base is None:
        return True
    if a.base != b.base:
        return False
    scopes = {a.scope, b.scope}
    return len(scopes) == 1 or None in scopes or bool(scopes & _WILDCARD_SCOPES)


def _describe(fig: KnownFigure) -> str:
    return f"{fig.source} = {_fmt(fig.value)} {fig.unit}"


def _ratio_trace(mention: FigureMention, known: Sequence[_Known]) -> str | None:
    """Trace a % or x figure to (a - b) / b or a / b of two pairable known figures."""
    buckets: dict[tuple[str | None, str | None], list[_Known]] = {}
    for k in known:
        if k.unit not in ("%", "x") and k.value:
            buckets.setdefault((k.unit, k.base), []).append(k)
    for group in buckets.values():
        for a in group:
            for b in group:
                if not _pairable(a, b):
                    continue
                ratio = a.value / b.value
                if mention.unit == "%":
                    options = ((100.0 * (ratio - 1.0), "(a - b) / b"), (100.0 * ratio, "a / b"))
                else:
                    options = ((ratio, "a / b"),)
                for result, formula in options:
                    if _close(mention.value, mention.decimals, result):
                        return (
                            f"{formula} = {_fmt(round(result, 4))}"
                            f"{' %' if mention.unit == '%' else 'x'} with "
                            f"a = {_describe(a.figure)}; b = {_describe(b.figure)}"
                        )
    return None


class _Layer:
    """Prepared figures sorted by magnitude, so a mention only looks at its neighbours."""

    def __init__(self, known: Sequence[_Known]) -> None:
        self.known = list(known)
        ordered = sorted(range(len(known)), key=lambda i: abs(known[i].value))
        self._sorted = [known[i] for i in ordered]
        self._keys = [abs(k.value) for k in self._sorted]
        self._position = {id(k): i for i, k in enumerate(known)}

    def near(self, low: float, high: float) -> list[_Known]:
        """Figures whose magnitude is within [low, high], in their original order."""
        found = self._sorted[bisect_left(self._keys, low) : bisect_right(self._keys, high)]
        return sorted(found, key=lambda k: self._position[id(k)])


class KnownFigures:
    """Known figures, deduplicated, in canonical units and indexed: ready for `check_figures`.

    Preparing a digest's ~1,500 figures is most of the verify node's cost, so it is done once
    per digest and shared (see `chimera.ingest.cache`); `extended()` adds a run's own figures
    (its metrics, file counts, settings) as a small layer on top without copying the base.
    Deduplication is by (value, unit, kind), first source kept.
    """

    def __init__(self, figures: Iterable[KnownFigure] = ()) -> None:
        self._layers: tuple[_Layer, ...] = ()
        self._seen: frozenset[tuple[float, str, str | None]] = frozenset()
        self._add(figures)

    def _add(self, figures: Iterable[KnownFigure]) -> None:
        seen = set(self._seen)
        fresh: list[_Known] = []
        for fig in figures:
            if not math.isfinite(fig.value):
                continue
            key = (round(fig.value, 9), fig.unit, fig.kind)
            if key not in seen:
                seen.add(key)
                fresh.append(_Known.of(fig))
        self._seen = frozenset(seen)
        if fresh:
            self._layers = (*self._layers, _Layer(fresh))

    def extended(self, figures: Iterable[KnownFigure]) -> KnownFigures:
        """A new KnownFigures with `figures` added; this one is unchanged."""
        more = KnownFigures()
        more._layers, more._seen = self._layers, self._seen
        more._add(figures)
        return more

    def _prepared(self) -> Iterator[_Known]:
        for layer in self._layers:
            yield from layer.known

    def __iter__(self) -> Iterator[KnownFigure]:
        return (k.figure for k in self._prepared())

    def __len__(self) -> int:
        return sum(len(layer.known) for layer in self._layers)

    def near(self, low: float, high: float) -> list[_Known]:
        """Figures whose canonical magnitude is within [low, high], in the order added."""
        return [k for layer in self._layers for k in layer.near(low, high)]


def _direct_match(mention: FigureMention, index: KnownFigures) -> _Known | None:
    """The closest known figure the mention matches, of its unit (any unit when it has none)."""
    unit, factor = canonical_unit(mention.unit)
    step = 10.0**-mention.decimals
    slack = max(step, _REL_TOLERANCE * mention.value) * 1.001
    best: tuple[tuple[bool, float, bool], _Known] | None = None
    for k in index.near((mention.value - slack) * factor, (mention.value + slack) * factor):
        if unit is not None and k.unit != unit:
            continue
        written = k.value / factor
        if unit in COUNT_UNITS:
            if abs(written - mention.value) >= 0.5:
                continue
        elif not _close(mention.value, mention.decimals, written):
            continue
        # Closest first; among equals the figure the nearby word names, then means.
        rank = (k.unit != mention.hint, abs(abs(written) - mention.value), not k.is_mean)
        if best is None or rank < best[0]:
            best = (rank, k)
    return best[1] if best is not None else None


def check_figures(
    texts: Mapping[str, str], known: KnownFigures | Iterable[KnownFigure]
) -> FiguresCheck:
    """Extract the figures of each text ({"report": ..., "findings": ...}) and trace them."""
    index = known if isinstance(known, KnownFigures) else KnownFigures(known)
    found = [(where, m) for where, text in texts.items() for m in find_figures(text or "")]
    matches = [_direct_match(m, index) for _, m in found]
    # Ratios are computed only from figures the texts cite, plus overall and run figures:
    # a large digest has so many pairs that almost any percentage would match one by chance.
    cited = {id(k) for k in matches if k is not None}
    pool = [k for k in index._prepared() if id(k) in cited or k.scope in _WILDCARD_SCOPES]
    claims: list[FigureClaim] = []
    for (where, mention), match in zip(found, matches, strict=True):
        provenance = _describe(match.figure) if match is not None else None
        if provenance is None and mention.unit in ("%", "x"):
            provenance = _ratio_trace(mention, pool)
        claims.append(
            FigureClaim(
                text=mention.text,
                value=mention.value,
                unit=mention.unit,
                sentence=mention.sentence,
                where=where,
                status="traced" if provenance else "unverified",
                provenance=provenance,
            )
        )
    return FiguresCheck.from_claims(claims)


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split()).replace('"', "'")
    return sentence if len(sentence) <= _SENTENCE_MAX else sentence[: _SENTENCE_MAX - 1] + "…"
