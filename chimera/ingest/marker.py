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


# Folders Chimera wrote before the marker existed: the files it writes together, and the keys
# its own JSON file there holds (names alone could be a user's: plan.json, summary.json).
_UNMARKED: tuple[tuple[OutputKind, frozenset[str], str, frozenset[str]], ...] = (
    ("run", frozenset({"request.json", "run.json"}), "request.json",
     frozenset({"config", "data_dir", "thread_id"})),
    ("run", frozenset({"request.json", "checkpoints.sqlite"}), "request.json",
     frozenset({"config", "data_dir", "thread_id"})),
    ("comparison", frozenset({"plan.json", "summary.json"}), "plan.json",
     frozenset({"data_dir", "variants", "runs", "mode"})),
)  # fmt: skip
_MAX_PROBE_BYTES = 1 << 20


def unmarked_kind(folder: Path, names: set[str]) -> OutputKind | None:
    """The kind of an unmarked `folder` (holding `names`) that Chimera wrote before the marker
    existed: its files, and its own JSON file's keys, are Chimera's; else None."""
    for kind, files, probe, keys in _UNMARKED:
        if not names >= files:
            continue
        try:
            path = folder / probe
            if path.stat().st_size > _MAX_PROBE_BYTES:
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and keys <= data.keys():
            return kind
    return None


def output_kind(folder: Path) -> OutputKind | None:
    """The kind of Chimera output `folder` is, or None when it holds no marker."""
    try:
        kind = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None
    return kind if kind in ("run", "comparison", "sweep") else None
