"""Analyst node: the model chooses and interprets the computed findings (JSON, schema-bound).

Chimera computed the findings at ingest; the analyst is asked which matter most, in order,
and what each means. Every interpretation it adds is checked like the report: a figure that
does not trace, or text copied from the prompt, drops it (listed in the analysis).
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.agents._persona_call import call_persona, prepared_data, prompt_record, run_known
from chimera.context import RunContext
from chimera.findings.analysis import analyst_schema, build_analysis
from chimera.findings.compute import recommendations
from chimera.grounding.echo import copied_whole, echo_share, run_set
from chimera.grounding.figures import check_figures
from chimera.state import ChimeraState

# An interpretation this much copied from the prompt's instructions is an echo, not a reading.
MAX_COPIED = 0.5


async def analyst(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.analyst, role="analyst")
    prepared = prepared_data(ctx, state)
    recs = recommendations(prepared.findings)
    prompt, reply = await call_persona(
        ctx,
        persona,
        state,
        {},
        node="analyst",
        json_schema=analyst_schema(prepared.findings, recs) if persona.output == "json" else None,
    )
    # What the model was told, findings aside: copying it back is not interpreting.
    told = [prompt.system, persona.task, state["inventory"].summary_block()]
    known = run_known(ctx, state, prepared, [reply.metrics])
    instructions = run_set(told)

    def check(claim: str) -> str | None:
        figures = check_figures({"interpretation": claim}, known)
        if figures.traced < figures.total:
            untraced = ", ".join(c.text for c in figures.claims if c.status != "traced")
            return f"figures not in the data: {untraced}"
        copied = echo_share(claim, instructions)
        if copied is not None and copied > MAX_COPIED:
            return f"{100 * copied:.0f} % copied from its prompt"
        if copied is None and copied_whole(claim, told):
            return "copied from its prompt"
        return None

    return {
        "analysis": build_analysis(prepared.findings, recs, reply.text, check),
        "prompts": {"analyst": prompt_record(prompt)},
        "llm_calls": [reply.metrics],
    }
