"""How Chimera recognises its own output: the marker file each of its folders holds.

Written by `chimera.execution.runstore` (which re-exports these names); read here, below
execution, because the inventory must know a run, comparison or sweep folder it finds
inside a data folder, and must not read it as data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

MARKER = ".chimera.json"
OutputKind = Literal["run", "comparison", "sweep"]


# Files only Chimera writes together, to know its folders written before the marker existed.
_UNMARKED_RUN = frozenset({"request.json", "run.json"})
_UNMARKED_RUN_STARTED = frozenset({"request.json", "checkpoints.sqlite"})
_UNMARKED_COMPARISON = frozenset({"plan.json", "summary.json"})


def unmarked_kind(names: set[str]) -> OutputKind | None:
    """The kind of an unmarked folder holding `names` when they are files only Chimera writes
    together (a run or comparison folder older than the marker), else None."""
    if names >= _UNMARKED_RUN or names >= _UNMARKED_RUN_STARTED:
        return "run"
    if names >= _UNMARKED_COMPARISON:
        return "comparison"
    return None


def output_kind(folder: Path) -> OutputKind | None:
    """The kind of Chimera output `folder` is, or None when it holds no marker."""
    try:
        kind = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None
    return kind if kind in ("run", "comparison", "sweep") else None
