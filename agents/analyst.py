"""Analyst node: one LLM call that turns the digest into key findings and recommendations."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.analysis import Analysis, parse_analysis
from chimera.backends.base import measured_call
from chimera.context import RunContext
from chimera.highlights import compute_highlights, render_highlights
from chimera.prompts import build_prompt, context_window
from chimera.state import ChimeraState


async def analyst(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.analyst, role="analyst")
    highlights = compute_highlights(state["digest"])
    prompt = build_prompt(
        persona,
        ctx.agent,
        state["digest"],
        {
            "agent_name": ctx.agent.name,
            "model": ctx.backend.model_label,
            "inventory": state["inventory"].summary_block(),
            "highlights": render_highlights(highlights, sources=False),
        },
        ctx.backend.count_tokens,
    )
    reply = await measured_call(
        ctx.backend,
        prompt.messages,
        node="analyst",
        timeout_s=ctx.agent.timeout_s,
        num_ctx=context_window(ctx.agent),
        json_schema=Analysis.json_schema() if persona.output == "json" else None,
        max_tokens=prompt.max_tokens,
        prompt_shrunk=prompt.shrunk,
    )
    return {
        "highlights": highlights,
        "analysis": parse_analysis(reply.text),
        "prompts": {
            "analyst": {"system": prompt.system, "user": prompt.user, "shrunk": prompt.shrunk}
        },
        "llm_calls": [reply.metrics],
    }
