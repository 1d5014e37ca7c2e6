"""Shares and ratios a text derives from two figures, and how a written figure matches a value.

A percentage, an "x" ratio or a percentage-point difference traces when recomputed from two
known figures of one metric and statistic that fit the sentence's context: the figures the
same sentence cites, and those of the groups it names. `(a - b) / b`, `a / b` and `a - b` are
tried; nothing else is, so a number does not trace by coincidence with some unrelated pair of
a large digest. Two figures of the groups a sentence names are its two sides
(`_opposite_sides`): where it names two values of a setting or config, one each (a model
it names two of is a side only when no setting or config has two values).
"""

from __future__ import annotations

from chimera.grounding.context import Named, context_matches
from chimera.grounding.figure_text import FigureMention, canonical_unit
from chimera.grounding.index import Known, KnownFigures
from chimera.grounding.known import KnownFigure

__all__ = ["close", "derived", "derived_pair", "describe"]

APPROX = 0.025  # how far off a figure written as an approximation ("about 250") may be
_POOL_MAX = 80  # figures a derived percentage is recomputed from, at most


def close(mention: FigureMention, candidate: float, truncated: bool = True) -> bool:
    """`candidate` rounds (or, with `truncated`, truncates) to the figure at the digits
    written (2.5 % off if approx). Shares and ratios only round: people write "8 %" for
    7.6 %, and a truncated share would match twice as many unrelated figures."""
    written = mention.value
    candidate = abs(candidate)
    step = 10.0**-mention.decimals
    eps = step * 1e-6
    if abs(candidate - written) <= step / 2 + eps:
        return True
    if truncated and written <= candidate < written + step - eps:
        return True
    return mention.approx and abs(candidate - written) <= APPROX * max(written, candidate)


def describe(fig: KnownFigure) -> str:
    value = f"{fig.value:g}" if abs(fig.value) >= 1e-3 or fig.value == 0 else f"{fig.value:.3g}"
    return f"{fig.source} = {value} {fig.unit}".rstrip()


def _pool(named: Named, index: KnownFigures) -> list[Known]:
    """Means and medians of the groups a sentence names, most specific first."""
    if not named.entities:
        return []
    key = (
        tuple(sorted((k, tuple(sorted(v))) for k, v in named.entities.items())),
        tuple(sorted(named.metrics)),
    )
    cached = index.pools.get(key)
    if cached is not None:
        return cached
    models = named.entities.get("model")
    candidates = (
        [k for model in models for k in index.poolable(model)] + index.poolable(None)
        if models
        else index.poolable(None, every=True)
    )
    found: list[tuple[int, Known]] = []
    for k in candidates:
        fig = k.figure
        if named.metrics and fig.metric not in named.metrics:
            continue
        if context_matches(fig, named) and index.entities.identifies(fig, named):
            shared = sum(1 for key in fig.context if key in named.entities)
            found.append((shared, k))
    found.sort(key=lambda item: -item[0])
    pool = [k for _, k in found[:_POOL_MAX]]
    index.remember_pool(key, pool)
    return pool


def _opposite_sides(a: Known, b: Known, named: Named) -> bool:
    """Whether two figures of the groups a sentence names can be the two sides it compares.

    The sides are the settings and configs it names several values of: the two figures
    differ in each ("14 % sooner with ngl 33, n_ctx 4096 than with ngl 99, n_ctx 16384" is
    not ngl 99 at n_ctx 4096 against ngl 99 at n_ctx 16384). Models it names several of are
    then the subjects each comparison is made on ("num_gpu=80 over num_gpu=40: 33.3 % on
    gemma3:4b, 42.7 % on gemma3:270m"); they are the sides only when no setting or config
    has several values ("gemma3:270m is 557.6 % faster than gemma3:4b")."""
    ctx_a, ctx_b = a.figure.context, b.figure.context
    several = [
        key
        for key, values in named.entities.items()
        if len(values) > 1 and key in ctx_a and key in ctx_b
    ]
    sides = [key for key in several if key != "model"] or several
    return all(ctx_a[key] != ctx_b[key] for key in sides)


def _ratio(mention: FigureMention, a: Known, b: Known, cited: bool = False) -> str | None:
    """The mention recomputed from `a` and `b`. Equal values (a 0 % change) only for two
    figures the sentence cites itself: any two equal figures of a digest would do otherwise."""
    fa, fb = a.figure, b.figure
    if a is b or a.unit != b.unit or not b.value or (a.value == b.value and not cited):
        return None
    if (fa.metric, fa.statistic) != (fb.metric, fb.statistic):
        return None
    unit = canonical_unit(mention.unit)[0]
    if unit == "pp":
        if a.unit != "%":
            return None
        options = ((a.value - b.value, "a - b"),)
    elif unit == "%":
        if a.unit == "%":
            return None
        options = ((100.0 * (a.value - b.value) / b.value, "(a - b) / b"),)
    else:
        options = ((a.value / b.value, "a / b"),)
    for result, formula in options:
        if close(mention, result, truncated=False):
            shown = f"{result:.4g}{' ' + mention.unit if mention.unit else ''}"
            return f"{formula} = {shown} with a = {describe(fa)}; b = {describe(fb)}"
    return None


def derived(
    mention: FigureMention, cited: list[Known], named: Named, index: KnownFigures
) -> str | None:
    """Trace a %, x or percentage-point figure to two known figures of one kind (see
    `derived_pair`); its provenance, or None."""
    found = derived_pair(mention, cited, named, index)
    return found[0] if found else None


def derived_pair(
    mention: FigureMention, cited: list[Known], named: Named, index: KnownFigures
) -> tuple[str, Known, Known] | None:
    """Trace a %, x or percentage-point figure to two known figures of one kind: its
    provenance and the pair (a, b) of its formula.

    The pairs of figures its sentence cites (what it compares); when it cites fewer than
    two, pairs with figures of the groups it names, of one kind of group (a config against
    a config, not against a whole model), on opposite sides (`_opposite_sides`)."""
    for a in cited:
        for b in cited:
            if found := _ratio(mention, a, b, cited=True):
                return found, a, b
    if len(cited) >= 2:
        return None  # the sentence made its comparison; it is not another one
    pool = _pool(named, index)
    for a in cited + pool:
        for b in pool:
            if a.figure.context.keys() != b.figure.context.keys():
                continue
            if not _opposite_sides(a, b, named):
                continue
            if found := _ratio(mention, a, b):
                return found, a, b
            if found := _ratio(mention, b, a):
                return found, b, a
    return None
