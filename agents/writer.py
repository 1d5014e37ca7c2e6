"""Writer node: the persona (InsightAgent by default) writes the report body."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from chimera.backends.base import measured_call
from chimera.context import RunContext
from chimera.highlights import render_highlights
from chimera.prompts import build_prompt, context_window
from chimera.state import ChimeraState


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "(none)"


async def writer(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    analysis = state["analysis"]
    prompt = build_prompt(
        persona,
        ctx.agent,
        state["digest"],
        {
            "agent_name": ctx.agent.name,
            "model": ctx.backend.model_label,
            "inventory": state["inventory"].summary_block(),
            "highlights": render_highlights(state.get("highlights", []), sources=False),
            "findings": _lines(analysis.key_findings),
            "recommendations": _lines(analysis.recommendations),
        },
        ctx.backend.count_tokens,
    )
    reply = await measured_call(
        ctx.backend,
        prompt.messages,
        node="writer",
        timeout_s=ctx.agent.timeout_s,
        num_ctx=context_window(ctx.agent),
        max_tokens=prompt.max_tokens,
        prompt_shrunk=prompt.shrunk,
    )
    return {
        "report_body": reply.text.strip(),
        "prompts": {
            "writer": {"system": prompt.system, "user": prompt.user, "shrunk": prompt.shrunk}
        },
        "llm_calls": [reply.metrics],
    }
