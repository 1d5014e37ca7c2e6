"""Writer node: the persona (InsightAgent by default) writes the report body."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.agents._persona_call import call_persona, prompt_record
from chimera.context import RunContext
from chimera.state import ChimeraState


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "(none)"


async def writer(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    analysis = state["analysis"]
    prompt, reply = await call_persona(
        ctx,
        persona,
        state,
        {
            "findings": _lines(analysis.key_findings),
            "recommendations": _lines(analysis.recommendations),
        },
        node="writer",
    )
    return {
        "report_body": reply.text.strip(),
        "prompts": {"writer": prompt_record(prompt)},
        "llm_calls": [reply.metrics],
    }
