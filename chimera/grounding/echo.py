"""How much of a text the model copied from its prompt, and how much it repeats itself.

A base model given a chat prompt tends to echo it back; a small model loops. Both are
measured on runs of `RUN_WORDS` words (lower-cased words, punctuation dropped): the share of
the text's runs that also occur in the given sources (the prompt's instructions, inventory
and digest; the findings it was asked to use are left out of the sources, so restating them
is fine), and the share of its runs that occur in it more than once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

RUN_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+(?:[.:/'_-][a-z0-9]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def runs(text: str, size: int = RUN_WORDS) -> list[tuple[str, ...]]:
    """Every run of `size` consecutive words, in order."""
    w = words(text)
    return [tuple(w[i : i + size]) for i in range(len(w) - size + 1)]


def run_set(texts: Iterable[str], size: int = RUN_WORDS) -> set[tuple[str, ...]]:
    return {run for text in texts for run in runs(text, size)}


def echo_share(text: str, sources: set[tuple[str, ...]]) -> float | None:
    """Share of the text's word runs found in `sources`; None when it is too short to say."""
    found = runs(text)
    if not found:
        return None
    return sum(1 for run in found if run in sources) / len(found)


def copied_whole(text: str, sources: Iterable[str]) -> bool:
    """Whether the text's words, all of them in order, occur in one of `sources`: a text too
    short for word runs ("one sentence on why") can still be a copy of the prompt."""
    wanted = " ".join(words(text))
    return bool(wanted) and any(f" {wanted} " in f" {' '.join(words(s))} " for s in sources)


def repetition_share(text: str) -> float | None:
    """Share of the text's word runs that are repeats of an earlier run in it."""
    found = runs(text)
    if not found:
        return None
    counts = Counter(found)
    return sum(n - 1 for n in counts.values()) / len(found)
