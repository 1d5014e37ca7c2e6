"""Direction: a comparative word must agree with the order of the figures it compares.

"num_gpu=80 is 149.3 % faster than num_gpu=0" traces its 149.3 % to two known figures (a, b)
whatever word stands beside it; the word says which of the two is larger. The check reads
the sentence's comparison — two figures it cites, or the pair a derived share was
recomputed from — and the two sides in the order the sentence writes them:

- "A ... <word> ... B" (faster than, beats, compared with): the word is about A against B;
- "from B to A", "going from B to A": about A (where it goes) against B (where it starts).

A word of `chimera.grounding.vocabulary.COMPARATIVES` says "more" or "less": of the number
itself (higher, rises, gain), or of speed (faster, beats), which for a time (TTFT, load, ms)
is less. The word nearest the comparison's own figure is the one judged; a sentence whose
sides cannot be placed is not judged. A comparison inside one of Chimera's own computed
sentences is not judged again (it is right by construction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chimera.grounding.context import EntityIndex
from chimera.grounding.index import Known
from chimera.grounding.vocabulary import WORD_DIRECTION, comparative_pattern

WRONG_DIRECTION = "wrong direction"  # the match rule a contradicted comparison records

_COMPARATIVE = comparative_pattern()
_FROM_TO = re.compile(r"\bfrom\b(?P<start>.*?)\b(?:to|into)\b", re.I | re.S)
_TIME_UNITS = frozenset({"ms"})
_AGAINST = re.compile(r"\b(?:against|vs\.?|versus|compared[ \t]+(?:with|to)|than)\b", re.I)


@dataclass(frozen=True)
class Comparison:
    """Two known figures a sentence compares, and where its comparison is stated."""

    at: int  # offset of the figure that states it (a derived share, or the second value)
    first: Known  # the side the sentence writes first
    second: Known
    first_at: int  # where each side is written (a value, or the name of its group)
    second_at: int


def sides(
    text: str, lo: int, hi: int, a: Known, b: Known, entities: EntityIndex
) -> tuple[int, int] | None:
    """Where text[lo:hi] (a sentence) names the groups of `a` and `b`: the first position
    of what tells them apart (their model, config or setting value); None if either is not
    named, or nothing tells them apart."""
    sentence = text[lo:hi]
    ca, cb = a.figure.context, b.figure.context
    keys = [k for k in ca.keys() | cb.keys() if ca.get(k) != cb.get(k)]
    if not keys:
        return None
    where = []
    for context in (ca, cb):
        found = [
            p
            for k in keys
            if k in context and (p := entities.position(sentence, k, context[k])) is not None
        ]
        if not found:
            return None
        where.append(lo + min(found))
    return (where[0], where[1]) if where[0] != where[1] else None


def _about_second(text: str, lo: int, hi: int, word: int, comparison: Comparison) -> bool:
    """Whether the comparative word at `word` is about the side written second: where a
    change goes ("from B to A"), or the side it follows in parentheses ("90 ms at 2048 and
    120 ms at 8192 (33 % higher)"); otherwise it is about the side written first ("A is
    faster than B", "A averages 90 against 70 for B, a gain of 29 %", "A gives 90 against
    70 at B (29 % faster)": set against the other, the first side is the subject)."""
    first_at, second_at = comparison.first_at, comparison.second_at
    for change in _FROM_TO.finditer(text, lo, hi):
        if change.start("start") <= first_at < change.end() <= second_at:
            return True
    if word > second_at and not _AGAINST.search(text, first_at, second_at):
        opened = text.rfind("(", second_at, word)
        return opened >= 0 and text.find(")", opened, word) < 0
    return False


def wrong_direction(text: str, lo: int, hi: int, comparison: Comparison) -> bool:
    """Whether the comparative word nearest the comparison says the opposite of its figures."""
    words = list(_COMPARATIVE.finditer(text, lo, hi))
    if not words:
        return False
    word = min(words, key=lambda m: abs(m.start() - comparison.at))
    sign, kind = WORD_DIRECTION[" ".join(word.group("word").lower().split())]
    first, second = comparison.first, comparison.second
    if first.value == second.value:
        return False
    about, other = first, second
    if _about_second(text, lo, hi, word.start(), comparison):
        about, other = second, first
    larger = 1 if about.value > other.value else -1
    if kind == "speed" and first.unit in _TIME_UNITS:
        larger = -larger  # less time is faster
    return larger != sign
