"""LangGraph SQLite checkpoints for runs, so an interrupted run continues where it stopped.

The state holds Chimera's pydantic models; LangGraph's serializer is told exactly which
types it may rebuild from a checkpoint (its allow-list), rather than trusting any module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

CHECKPOINT_FILE = "checkpoints.sqlite"

# Every type the graph state can hold (see chimera.state).
STATE_TYPES = [
    ("chimera.inventory", "Inventory"),
    ("chimera.inventory", "FileEntry"),
    ("chimera.inventory", "SkippedFile"),
    ("chimera.digest", "DataDigest"),
    ("chimera.digest", "MetricStats"),
    ("chimera.digest", "ErrorRows"),
    ("chimera.highlights", "Highlight"),
    ("chimera.figures", "KnownFigure"),
    ("chimera.figures", "FigureClaim"),
    ("chimera.figures", "FiguresCheck"),
    ("chimera.compliance", "ComplianceItem"),
    ("chimera.compliance", "ComplianceResult"),
    ("chimera.analysis", "Analysis"),
    ("chimera.metrics", "CallMetrics"),
]


@asynccontextmanager
async def sqlite_checkpointer(path: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """An AsyncSqliteSaver on `path` that can rebuild Chimera's state types."""
    serde = JsonPlusSerializer(allowed_msgpack_modules=STATE_TYPES)
    async with aiosqlite.connect(str(path)) as conn:
        saver = AsyncSqliteSaver(conn, serde=serde)
        await saver.setup()  # switches the file to WAL
        # In WAL mode, NORMAL syncs at checkpoints instead of on every commit: a killed or
        # interrupted process loses nothing; only a power cut may lose the latest node's
        # checkpoint, which a resume re-runs. Saves ~6 ms of fsyncs per run.
        await conn.execute("PRAGMA synchronous=NORMAL")
        yield saver
