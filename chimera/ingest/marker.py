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


def output_kind(folder: Path) -> OutputKind | None:
    """The kind of Chimera output `folder` is, or None when it holds no marker."""
    try:
        kind = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None
    return kind if kind in ("run", "comparison", "sweep") else None
