"""What the LLM nodes share: fill a persona's template from the state, send it, measure it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chimera.backends.base import ModelReply, measured_call
from chimera.context import RunContext
from chimera.highlights import render_highlights
from chimera.personas import Persona
from chimera.prompts import BuiltPrompt, build_prompt, context_window
from chimera.state import ChimeraState, PromptRecord


async def call_persona(
    ctx: RunContext,
    persona: Persona,
    state: ChimeraState,
    extra: Mapping[str, str],
    *,
    node: str,
    json_schema: dict[str, Any] | None = None,
) -> tuple[BuiltPrompt, ModelReply]:
    """Render `persona` with the run's data plus `extra` values, fitted to num_ctx, and call it."""
    values = {
        "agent_name": ctx.agent.name,
        "model": ctx.backend.model_label,
        "inventory": state["inventory"].summary_block(),
        # Sources help a reader check a line; in a prompt they only cost context.
        "highlights": render_highlights(state.get("highlights", []), sources=False),
        **extra,
    }
    # The batch's cache renders a shared digest once per size; a resumed run renders its own.
    digest = ctx.ingest_cache.data_for(state["digest"]) or state["digest"]
    prompt = build_prompt(persona, ctx.agent, digest, values, ctx.backend.count_tokens)
    reply = await measured_call(
        ctx.backend,
        prompt.messages,
        node=node,
        timeout_s=ctx.agent.timeout_s,
        num_ctx=context_window(ctx.agent),
        json_schema=json_schema,
        max_tokens=prompt.max_tokens,
        prompt_shrunk=prompt.shrunk,
    )
    return prompt, reply


def prompt_record(prompt: BuiltPrompt) -> PromptRecord:
    return {"system": prompt.system, "user": prompt.user, "shrunk": prompt.shrunk}
