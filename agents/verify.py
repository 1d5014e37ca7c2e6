"""Verify node (no LLM): trace every figure the model wrote and check the persona's promises."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.compliance import check_compliance
from chimera.context import RunContext
from chimera.figures import KnownFigure, check_figures, known_figures
from chimera.metrics import RunMetrics
from chimera.state import ChimeraState


async def verify(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    inventory = state["inventory"]
    analysis = state["analysis"]
    counts = [
        KnownFigure(value=float(n), unit="files", source=f"inventory: {kind} files")
        for kind, n in inventory.counts().items()
    ]
    counts.append(
        KnownFigure(value=float(inventory.total_files), unit="files", source="inventory: total")
    )
    # The agent's own settings are facts too: a report may well repeat its num_ctx.
    counts += [
        KnownFigure(
            value=float(value),
            unit="tokens" if option in ("num_ctx", "num_predict") else "",
            source=f"agent config: {option}",
        )
        for option, value in ctx.agent.options.set_options().items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    known = known_figures(
        state["digest"],
        state.get("highlights", []),
        RunMetrics.from_calls(state.get("llm_calls", [])),
        counts,
    )
    texts = {
        "report": state.get("report_body", ""),
        "findings": "\n".join(analysis.key_findings),
        "recommendations": "\n".join(analysis.recommendations),
    }
    writer_persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    return {
        "figures_check": check_figures(texts, known),
        "compliance": check_compliance(state.get("report_body", ""), writer_persona),
    }
