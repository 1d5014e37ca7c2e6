"""When the data holds nothing to measure: the report says so plainly and no model is asked.

A folder of notes, or of files whose columns Chimera recognises as no metric, gives no
finding; an analyst and a writer asked about it could only invent one. This node takes
their place: the body names what was read and why nothing in it is a measurement.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.context import RunContext
from chimera.findings.analysis import Analysis
from chimera.grounding.review import Section
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory
from chimera.state import ChimeraState

TITLE = "Nothing to measure"


def has_measurements(state: ChimeraState) -> bool:
    """True when the ingest computed at least one finding for the model to work on."""
    return bool(state.get("findings"))


def nothing_to_measure_text(inventory: Inventory, digest: DataDigest) -> str:
    """What was read, and why none of it is a measurement Chimera can analyse."""
    kinds = ", ".join(
        f"{len(inventory.of_kind(kind))} {kind}"
        for kind in ("csv", "json", "markdown", "text")
        if inventory.of_kind(kind)
    )
    lines = [
        f"No file of this folder holds a measurement Chimera can analyse ({inventory.total_files}"
        f" files read: {kinds or 'none'}), so no finding was computed and no model was asked:"
        " a model asked about it could only invent figures."
    ]
    if digest.notes:
        titles = "; ".join(n.title for n in digest.notes[:5])
        more = f" and {len(digest.notes) - 5} more" if len(digest.notes) > 5 else ""
        lines.append(f"\nNotes, listed by title: {titles}{more}.")
    if digest.tables_without_metrics:
        shown = ", ".join(digest.tables_without_metrics[:5])
        lines.append(
            f"\nTables with no column Chimera recognises as a metric (tok/s, TTFT, durations,"
            f" ...): {shown}"
            + (" and more" if len(digest.tables_without_metrics) > 5 else "")
            + "."
        )
    lines.append(
        "\nTo analyse a benchmark, point Chimera at the folder with its result files (CSV, JSON,"
        " llama-bench or `ollama run --verbose` output); `chimera findings DIR` shows what it"
        " computes from a folder without any model call."
    )
    return "\n".join(lines)


async def nothing_to_measure(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    text = nothing_to_measure_text(state["inventory"], state["digest"])
    return {
        "analysis": Analysis(),
        "report_body": f"## {TITLE}\n{text}",
        "sections": [
            Section(
                title=TITLE,
                author="chimera",
                text=text,
                not_asked="no finding was computed from the data: nothing to measure",
            )
        ],
    }
