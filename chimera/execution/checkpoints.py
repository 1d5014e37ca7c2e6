"""LangGraph SQLite checkpoints for runs, so an interrupted run continues where it stopped.

The state holds Chimera's pydantic models; LangGraph's serializer is told exactly which
types it may rebuild from a checkpoint (its allow-list), rather than trusting any module.
A checkpoint names each model by module and class, so `MOVED` maps where a type lived in
earlier versions to where it lives now: run folders written before a move still resume.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import ormsgpack
from langgraph.checkpoint.serde.jsonplus import EXT_PYDANTIC_V2, JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from chimera.errors import ChimeraError, ConfigError, OutputError

CHECKPOINT_FILE = "checkpoints.sqlite"
# The database and the files SQLite keeps beside it while it is open.
CHECKPOINT_FILES = frozenset(
    {CHECKPOINT_FILE, *(f"{CHECKPOINT_FILE}-{part}" for part in ("wal", "shm", "journal"))}
)

# Every type the graph state can hold (see chimera.state), where it lives now.
STATE_TYPES = [
    ("chimera.ingest.inventory", "Inventory"),
    ("chimera.ingest.inventory", "FileEntry"),
    ("chimera.ingest.inventory", "SkippedFile"),
    ("chimera.ingest.digest.models", "DataDigest"),
    ("chimera.ingest.digest.models", "MetricStats"),
    ("chimera.ingest.digest.models", "ErrorRows"),
    ("chimera.ingest.digest.models", "PartialRead"),
    ("chimera.ingest.digest.models", "Dropped"),
    ("chimera.ingest.digest.models", "NoteSummary"),
    ("chimera.ingest.digest.models", "OmittedFileStats"),
    ("chimera.findings.highlights", "Highlight"),
    ("chimera.grounding.known", "KnownFigure"),
    ("chimera.grounding.figures", "FigureClaim"),
    ("chimera.grounding.figures", "FiguresCheck"),
    ("chimera.grounding.compliance", "ComplianceItem"),
    ("chimera.grounding.compliance", "ComplianceResult"),
    ("chimera.findings.analysis", "Analysis"),
    ("chimera.findings.analysis", "SelectedFinding"),
    ("chimera.findings.analysis", "SelectedRecommendation"),
    ("chimera.findings.analysis", "DroppedClaim"),
    ("chimera.findings.finding", "Finding"),
    ("chimera.findings.finding", "Recommendation"),
    ("chimera.ingest.digest.models", "Setup"),
    ("chimera.ingest.digest.models", "Scope"),
    ("chimera.ingest.digest.models", "Duplicate"),
    ("chimera.ingest.digest.models", "ColdRows"),
    ("chimera.ingest.digest.models", "Unread"),
    ("chimera.ingest.digest.models", "DegenerateRows"),
    ("chimera.ingest.digest.claims", "NoteClaim"),
    ("chimera.ingest.digest.units", "UnitNote"),
    ("chimera.grounding.review", "Section"),
    ("chimera.metrics", "CallMetrics"),
]
# Module a state type was written under before the layout of version 0.2 -> its module now.
MOVED = {
    "chimera.inventory": "chimera.ingest.inventory",
    "chimera.digest": "chimera.ingest.digest.models",
    "chimera.highlights": "chimera.findings.highlights",
    "chimera.figures": "chimera.grounding.figures",
    "chimera.compliance": "chimera.grounding.compliance",
    "chimera.analysis": "chimera.findings.analysis",
}
_NOW = {name: module for module, name in STATE_TYPES}


def _ext_hook(default: Callable[[int, bytes], Any]) -> Callable[[int, bytes], Any]:
    """The serializer's own hook, except that Chimera's models are found where they live now."""

    def hook(code: int, data: bytes) -> Any:
        if code != EXT_PYDANTIC_V2:
            return default(code, data)
        module, name, fields, *_ = ormsgpack.unpackb(
            data, ext_hook=hook, option=ormsgpack.OPT_NON_STR_KEYS
        )
        if MOVED.get(module, module) != _NOW.get(name):
            return default(code, data)  # not one of ours: the allow-list decides
        cls = getattr(importlib.import_module(_NOW[name]), name)
        return cls.model_validate(fields)

    return hook


def checkpoint_serializer() -> JsonPlusSerializer:
    """A serializer that rebuilds Chimera's state types, and nothing it was not told of."""
    plain = JsonPlusSerializer(allowed_msgpack_modules=STATE_TYPES)
    # `_unpack_ext_hook` is the allow-listed hook LangGraph built for `plain`.
    return JsonPlusSerializer(
        allowed_msgpack_modules=STATE_TYPES,
        __unpack_ext_hook__=_ext_hook(plain._unpack_ext_hook),
    )


@asynccontextmanager
async def sqlite_checkpointer(path: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """An AsyncSqliteSaver on `path` that can rebuild Chimera's state types.

    SQLite's failures, opening the file or saving a checkpoint later in the block, leave as
    Chimera's: a damaged file is a ConfigError (the folder is the user's input to resume), a
    file that cannot be written (disk full, read-only) an OutputError.
    """
    try:
        async with aiosqlite.connect(str(path)) as conn:
            saver = AsyncSqliteSaver(conn, serde=checkpoint_serializer())
            await saver.setup()  # switches the file to WAL
            # In WAL mode, NORMAL syncs at checkpoints instead of on every commit: a killed
            # or interrupted process loses nothing; only a power cut may lose the latest
            # node's checkpoint, which a resume re-runs. Saves ~6 ms of fsyncs per run.
            await conn.execute("PRAGMA synchronous=NORMAL")
            yield saver
    except sqlite3.DatabaseError as exc:
        raise checkpoint_error(path, exc) from exc


def checkpoint_error(path: Path, exc: sqlite3.DatabaseError) -> ChimeraError:
    """An SQLite failure on the checkpoint file `path` in Chimera's terms."""
    text = str(exc)
    if not isinstance(exc, sqlite3.OperationalError) or "malformed" in text:
        return ConfigError(
            f"the checkpoints {path} are damaged ({text})",
            hint=f"move that file away to start the run over: mv {path} {path}.damaged",
        )
    return OutputError(
        f"cannot write the checkpoints {path}: {text}",
        hint="free disk space or fix the folder's permissions",
    )
