"""Verify node (no LLM): trace every figure the model wrote and check the persona's promises."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.context import RunContext
from chimera.findings.prepared import prepared_for
from chimera.grounding.compliance import check_compliance
from chimera.grounding.figures import check_figures, run_figures
from chimera.grounding.known import KnownFigure
from chimera.metrics import RunMetrics
from chimera.state import ChimeraState


def _run_facts(state: ChimeraState, ctx: RunContext) -> list[KnownFigure]:
    """Figures of this run alone: its metrics, file counts and the agent's own settings."""
    inventory = state["inventory"]
    facts = list(run_figures(RunMetrics.from_calls(state.get("llm_calls", []))))
    facts += [
        KnownFigure(value=float(n), unit="files", source=f"inventory: {kind} files")
        for kind, n in inventory.counts().items()
    ]
    facts.append(
        KnownFigure(value=float(inventory.total_files), unit="files", source="inventory: total")
    )
    # The agent's own settings are facts too: a report may well repeat its num_ctx.
    facts += [
        KnownFigure(
            value=float(value),
            unit="tokens" if option in ("num_ctx", "num_predict") else "",
            source=f"agent config: {option}",
        )
        for option, value in ctx.agent.options.set_options().items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    return facts


async def verify(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    analysis = state["analysis"]
    # The data's figures are prepared once per digest for all the runs of a batch.
    data = prepared_for(ctx.ingest_cache, state["digest"], state.get("highlights")).figures
    texts = {
        "report": state.get("report_body", ""),
        "findings": "\n".join(analysis.key_findings),
        "recommendations": "\n".join(analysis.recommendations),
    }
    writer_persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    return {
        "figures_check": check_figures(texts, data.extended(_run_facts(state, ctx))),
        "compliance": check_compliance(state.get("report_body", ""), writer_persona),
    }
