"""How the figures check reads a list (the key findings, the recommendations) as one text.

The verify node builds the text this way and the run page finds the check's figure offsets
in it again, so both take it from here: each item's text as report.md prints it (Chimera's
sentence, whose names from the data are escaped: `item_markdown`) with its interpretation,
items apart by a blank line.
"""

from __future__ import annotations

from collections.abc import Iterable

from chimera.escape import md_inline

LIST_JOIN = "\n\n"


def item_markdown(text: str) -> str:
    """A finding's or recommendation's sentence (plain text) as Markdown."""
    return md_inline(text)


def checked_item(text: str, interpretation: str | None) -> str:
    """One item as the figures check reads it."""
    return item_markdown(text) + (f" {interpretation}" if interpretation else "")


def checked_list(items: Iterable[tuple[str, str | None]]) -> str:
    """(text, interpretation) items as one text for the figures check."""
    return LIST_JOIN.join(checked_item(text, why) for text, why in items)
