"""The ingest node: inventory, digest and highlights of the run's data folder, no LLM involved."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from langgraph.runtime import Runtime

from chimera.context import RunContext
from chimera.escape import terminal
from chimera.findings.prepared import prepared_for
from chimera.ingest.cache import file_progress


async def ingest(state: Mapping[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Scan `runtime.context.data_dir`: its `inventory`, `digest`, `findings`, `highlights`."""
    context = runtime.context
    report = None if context.progress is None else partial(context.progress, "ingest")
    # The cache walks the folder in a thread and digests it once for all runs of a batch.
    data = await context.ingest_cache.ingest(
        context.data_dir, context.agent.ingest, file_progress(report), exclude=context.exclude
    )
    if report is not None:  # a file read in part changes every figure of it: said at once
        for p in data.digest.partial:
            report(
                f"read in part: {terminal(p.path)} ({p.size_bytes / 1024 / 1024:,.1f} MB), its"
                f" first {p.rows_read:,} rows only (ingest.max_file_mb={p.max_file_mb:g})"
            )
    # Findings are computed here, once, so the analyst and the writer see the same ones.
    prepared = prepared_for(context.ingest_cache, data.digest, key=data.key)
    return {
        "inventory": data.inventory,
        "digest": data.digest,
        "data_key": data.key,
        "findings": prepared.findings,
        "highlights": prepared.highlights,
    }
