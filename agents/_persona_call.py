"""What the LLM nodes share: fill a persona's template from the state, send it, measure it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chimera.backends.base import ModelReply, measured_call
from chimera.config.personas import Persona
from chimera.context import RunContext
from chimera.findings.highlights import render_highlights
from chimera.findings.prepared import prepared_for
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
    # Highlights and renderings of the digest are made once for all the runs of a batch.
    prepared = prepared_for(ctx.ingest_cache, state["digest"], state.get("highlights"))
    values = {
        "agent_name": ctx.agent.name,
        "model": ctx.backend.model_label,
        "inventory": state["inventory"].summary_block(),
        # Sources help a reader check a line; in a prompt they only cost context.
        "highlights": render_highlights(prepared.highlights, sources=False),
        **extra,
    }
    prompt = build_prompt(persona, ctx.agent, prepared.render, values, ctx.backend.count_tokens)
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
