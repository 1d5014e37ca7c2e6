"""Analyst node: one LLM call that turns the digest into key findings and recommendations."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.agents._persona_call import call_persona, prompt_record
from chimera.context import RunContext
from chimera.findings.analysis import Analysis, parse_analysis
from chimera.state import ChimeraState


async def analyst(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.analyst, role="analyst")
    prompt, reply = await call_persona(
        ctx,
        persona,
        state,
        {},
        node="analyst",
        json_schema=Analysis.json_schema() if persona.output == "json" else None,
    )
    return {
        "analysis": parse_analysis(reply.text),
        "prompts": {"analyst": prompt_record(prompt)},
        "llm_calls": [reply.metrics],
    }
