"""The false copies of a planted item: one of its figures moved, or its comparison turned.

A figure moved by 3-40 %, its digits kept (`perturb`):

Only figures that are claims about the data are moved (measurements, percentages, ratios,
counts of runs); the setting values and names that say what a sentence is about are not.
The move is drawn uniformly between 3 % and 40 %, up or down, and is at least 3 % after
rounding to the digits written ("12 runs" moves to 11 or 13 at least, never stays 12).

A direction flip (`flip`): one comparative word of the item turned into its opposite
("faster" -> "slower", "raises" -> "lowers", "a gain of" -> "a loss of"), every figure kept;
items with no such word have no flipped copy.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from planted.phrases import Item, format_number

LOW, HIGH = 0.03, 0.40


def perturb(item: Item, rng: np.random.Generator) -> Item | None:
    """A copy of `item` with one figure moved; None when it has no figure to move."""
    candidates = [i for i, fig in enumerate(item.figs) if fig.perturb and fig.value > 0]
    if not candidates:
        return None
    index = int(rng.choice(candidates))
    fig = item.figs[index]
    for _ in range(200):
        factor = 1.0 + float(rng.choice([-1.0, 1.0])) * float(rng.uniform(LOW, HIGH))
        moved = fig.value * factor
        if fig.kind == "count":
            moved = float(round(moved))
        written = format_number(moved, fig.decimals, fig.commas)
        value = float(written.replace(",", ""))
        change = abs(value - fig.value) / fig.value
        if value > 0 and written != fig.written and LOW <= change <= HIGH:
            return item.moved(index, written)
    return None


# Each comparative word the templates use, and its opposite.
OPPOSITES = {
    "faster": "slower", "slower": "faster", "raises": "lowers", "loses": "gains",
    "more": "less", "beats": "trails", "outpaces": "trails", "falls": "rises",
    "sooner": "later", "gain": "loss",
}  # fmt: skip
_COMPARATIVE = re.compile(r"\b(" + "|".join(OPPOSITES) + r")\b")


def flip(item: Item, rng: np.random.Generator) -> Item | None:
    """A copy of `item` with one comparative word turned; None when it has none."""
    words = list(_COMPARATIVE.finditer(item.text))
    if not words:
        return None
    word = words[int(rng.integers(len(words)))]
    opposite = OPPOSITES[word.group(1)]
    shift = len(opposite) - len(word.group(1))
    text = item.text[: word.start()] + opposite + item.text[word.end() :]
    figs = [
        replace(f, start=f.start + shift, end=f.end + shift) if f.start > word.start() else f
        for f in item.figs
    ]
    return replace(item, text=text, figs=figs, original=word.group(1))
