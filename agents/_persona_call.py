"""What the LLM nodes share: fill a persona's template from the state, send it, measure it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import partial
from typing import Any

from chimera.backends.base import ModelReply, measured_call
from chimera.config.personas import Persona
from chimera.context import RunContext
from chimera.findings.highlights import render_highlights
from chimera.findings.prepared import PreparedData, facts_block, options_block, prepared_for
from chimera.grounding.figures import KnownFigures
from chimera.metrics import CallMetrics, RunMetrics
from chimera.prompts import BuiltPrompt, build_prompt, context_window
from chimera.state import ChimeraState, PromptRecord


def prepared_data(ctx: RunContext, state: ChimeraState) -> PreparedData:
    """Findings, highlights, known figures and renderings: made once for a batch's runs."""
    return prepared_for(
        ctx.ingest_cache,
        state["digest"],
        state.get("highlights"),
        state.get("findings"),
        key=state.get("data_key"),
    )


def run_known(
    ctx: RunContext, state: ChimeraState, prepared: PreparedData, calls: Sequence[CallMetrics] = ()
) -> KnownFigures:
    """What every check of this run traces figures to (the analyst's and writer's reviews and
    verify alike): the data's figures, the run's facts so far (its calls' metrics, the files
    it read, its settings) and Chimera's computed sentences."""
    metrics = RunMetrics.from_calls([*state.get("llm_calls", []), *calls])
    return prepared.known_for_run(metrics, state["inventory"], ctx.agent.options)


def base_values(ctx: RunContext, state: ChimeraState, prepared: PreparedData) -> dict[str, str]:
    """The template values every persona may use."""
    return {
        "agent_name": ctx.agent.name,
        "model": ctx.backend.model_label,
        "inventory": state["inventory"].summary_block(),
        # Sources help a reader check a line; in a prompt they only cost context.
        "highlights": render_highlights(prepared.highlights, sources=False),
        "facts": facts_block(prepared.findings),
        "options": options_block(prepared.findings),
    }


async def call_persona(
    ctx: RunContext,
    persona: Persona,
    state: ChimeraState,
    extra: Mapping[str, str],
    *,
    node: str,
    json_schema: dict[str, Any] | None = None,
    template: str | None = None,
    document: str | None = None,
    max_tokens: int | None = None,
    stop: list[str] | None = None,
    seed: int | None = None,
    per_call: Collection[str] = (),
    label: str = "model call",
) -> tuple[BuiltPrompt, ModelReply]:
    """Render a persona template with the run's data plus `extra`, fitted to num_ctx, and
    call the model (`document`: as a document to continue; see chimera.prompts).

    `per_call`: the placeholders that differ between this node's calls; the prompt before
    them is marked as the prefix the calls share. `label` names the call in progress lines."""
    prepared = prepared_data(ctx, state)
    values = {**base_values(ctx, state, prepared), **extra}
    prompt = build_prompt(
        persona,
        ctx.agent,
        prepared.render,
        values,
        ctx.backend.count_tokens,
        template=template,
        max_tokens=max_tokens,
        document=document,
        per_call=per_call,
    )
    reply = await measured_call(
        ctx.backend,
        prompt.messages,
        node=node,
        timeout_s=ctx.agent.timeout_s,
        num_ctx=context_window(ctx.agent),
        json_schema=json_schema,
        max_tokens=prompt.max_tokens,
        prompt_shrunk=prompt.shrunk,
        raw=document is not None,
        stop=stop,
        seed=seed,
        shared_prefix=prompt.shared_prefix,
        progress=None if ctx.progress is None else partial(ctx.progress, node),
        label=label,
    )
    return prompt, reply


def prompt_record(prompt: BuiltPrompt) -> PromptRecord:
    return {"system": prompt.system, "user": prompt.user, "shrunk": prompt.shrunk}
