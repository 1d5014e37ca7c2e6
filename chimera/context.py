"""Per-run context: what every node may read but no node may change.

Given to the graph as `context_schema` and read in nodes through `runtime.context`,
so configuration flows explicitly and never through the state or module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chimera.backends.base import ChatBackend
from chimera.config.agent import AgentConfig
from chimera.config.personas import PersonaLibrary
from chimera.ingest.cache import IngestCache


@dataclass(frozen=True)
class RunContext:
    agent: AgentConfig
    data_dir: Path
    backend: ChatBackend
    personas: PersonaLibrary
    # Shared by the runs of one batch (a comparison) so a folder is digested once.
    ingest_cache: IngestCache = field(default_factory=IngestCache)
    # (node, detail): progress inside a long node for the user; call it on the event loop.
    progress: Callable[[str, str], None] | None = None
    # Folders the run writes to: never read as data, even when inside `data_dir`.
    exclude: tuple[Path, ...] = ()
