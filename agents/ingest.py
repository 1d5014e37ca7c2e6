"""The ingest node: inventory and digest of the run's data folder, no LLM involved."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langgraph.runtime import Runtime

from chimera.context import RunContext
from chimera.digest import ingest_folder

__all__ = ["ingest", "ingest_folder"]


async def ingest(state: Mapping[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Scan `runtime.context.data_dir`; returns the `inventory` and `digest` state updates."""
    context = runtime.context
    # The walk and pandas block; a thread keeps other agents' coroutines running meanwhile.
    inventory, digest = await asyncio.to_thread(
        ingest_folder, context.data_dir, context.agent.ingest
    )
    return {"inventory": inventory, "digest": digest}
