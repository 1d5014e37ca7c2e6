"""Verify node (no LLM): trace every figure of the report and check the persona's promises.

The figures check covers the report body (Chimera's sections too: they must trace by
construction), the key findings with the model's interpretations, and the recommendations.
Persona compliance is judged on the text the model wrote only: a section Chimera wrote in
place of a rejected draft keeps no promise for the model.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.agents._persona_call import prepared_data, run_known
from chimera.context import RunContext
from chimera.grounding.compliance import check_compliance
from chimera.grounding.figures import check_figures
from chimera.grounding.lists import checked_list
from chimera.state import ChimeraState


def checked_texts(state: ChimeraState) -> dict[str, str]:
    """The texts the figures check reads, by name."""
    analysis = state["analysis"]
    return {
        "report": state.get("report_body", ""),
        "findings": checked_list((f.text, f.interpretation) for f in analysis.key_findings),
        "recommendations": checked_list(
            (r.text, r.interpretation) for r in analysis.recommendations
        ),
    }


def model_text(state: ChimeraState) -> str:
    """The body as far as the model wrote it: its kept sections, under their headings."""
    sections = state.get("sections")
    if sections is None:  # a checkpoint from before sections: all of the body is the model's
        return state.get("report_body", "")
    return "\n\n".join(
        f"## {i}. {s.title}\n{s.text}"
        for i, s in enumerate(sections, start=1)
        if s.author == "model"
    )


async def verify(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    # The data's figures are prepared once per digest for all the runs of a batch.
    known = run_known(ctx, state, prepared_data(ctx, state))
    writer_persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    # A run that asked no model (nothing to measure) has no text whose promises to judge.
    asked = bool(state.get("llm_calls"))
    return {
        "figures_check": check_figures(checked_texts(state), known),
        "compliance": check_compliance(model_text(state), writer_persona) if asked else None,
    }
