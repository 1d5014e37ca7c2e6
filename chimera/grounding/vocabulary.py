"""The words the figures check reads, as data: comparatives and their direction.

Each entry is a word as people write it (its forms listed) and what it says; the patterns
the checks match are generated from these tables (`comparative_pattern`), so adding a word
is adding a line here.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["speed", "amount"]

# Comparative words: (forms, +1 for more/faster, -1 for less/slower, kind). A "speed" word
# is about being fast: for a throughput more is faster, for a time (TTFT, load) less is. An
# "amount" word is about the number itself, whatever the metric.
COMPARATIVES: tuple[tuple[tuple[str, ...], int, Kind], ...] = (
    (("faster", "quicker", "speedier", "sooner"), +1, "speed"),
    (("slower", "later", "slows"), -1, "speed"),
    (("outpaces", "outpaced", "outperforms", "outperformed", "beats", "beat"), +1, "speed"),
    (("trails", "trailed", "lags", "lagged", "lags behind"), -1, "speed"),
    (("higher", "more", "greater", "larger", "above"), +1, "amount"),
    (("lower", "less", "fewer", "smaller", "below"), -1, "amount"),
    (("rises", "rose", "raises", "raised", "increases", "increased", "gains", "gain", "grows",
      "climbs", "jumps", "improves"), +1, "amount"),
    (("falls", "fell", "lowers", "lowered", "drops", "dropped", "decreases", "decreased",
      "loses", "lost", "loss", "shrinks", "cuts", "reduces", "reduced", "declines"), -1,
     "amount"),
)  # fmt: skip
# Words that turn a comparative into a plain description of two values, not a comparison
# of their order ("more than twice", "less than 5 %": a bound; "no faster": a negation).
_NOT_COMPARING = r"(?<!\bno )(?<!\bnot )(?<!\bnot much )"

WORD_DIRECTION: dict[str, tuple[int, Kind]] = {
    form: (sign, kind) for forms, sign, kind in COMPARATIVES for form in forms
}


def comparative_pattern() -> re.Pattern[str]:
    """Any comparative word of `COMPARATIVES`, as a whole word (longest forms first)."""
    forms = sorted(WORD_DIRECTION, key=len, reverse=True)
    words = "|".join(re.escape(f).replace(r"\ ", r"[ \t]+") for f in forms)
    # "more than 10 %", "less than twice": a bound on one value, not an order of two
    bound = r"(?![ \t]+than[ \t]+(?:\d|~|≈|twice|half|a[ \t]|an[ \t]|one[ \t]))"
    return re.compile(rf"{_NOT_COMPARING}\b(?P<word>{words})\b{bound}", re.IGNORECASE)
