"""Turn a persona and the run's data into the messages sent, fitted to the context window.

Ollama silently cuts prompts longer than num_ctx, so before each call the digest (the only
part that grows with the data) is rendered to the tokens left after the system prompt,
the rest of the prompt and the reply's reserve. Shrinking is recorded, never silent.

Two shapes of prompt: chat turns (system prompt + user turn) for models that have a chat
template, and a document to continue (`document=True`: one text, no system prompt) for a
base model, which echoes chat prompts instead of answering them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig
from chimera.config.personas import Persona, render_template

DEFAULT_REPLY_RESERVE = 512
# Line lists that lose their last lines when a prompt does not fit, in this order.
SHRINKABLE = ("options", "facts", "recommendations", "findings")
# Token counts are estimates for Ollama; keep a margin so an estimate error does not overflow.
SAFETY_MARGIN = 0.9


def context_window(config: AgentConfig) -> int:
    """num_ctx, else the backend's own default (what the server will use when it is unset)."""
    return backend_spec(config).context_window(config)


def fit_window(config: AgentConfig) -> int:
    """The context prompts are fitted to: the window, or the smaller `prompt_window` (a
    sweep gives every cell the prompts of its smallest context, so all do the same work)."""
    window = context_window(config)
    return min(window, config.prompt_window) if config.prompt_window else window


def reply_budget(config: AgentConfig, persona: Persona, cap: int | None = None) -> int:
    """Tokens reserved for the answer: the persona's (or `cap`), limited by num_predict."""
    caps = [c for c in (cap or persona.max_tokens, config.options.num_predict) if c and c > 0]
    return min(caps) if caps else DEFAULT_REPLY_RESERVE


class RenderDigest(Protocol):
    """Renders the digest to a token budget: (text, whether lines were left out to fit)."""

    def __call__(
        self, max_tokens: int | None, count_tokens: Callable[[str], int] | None = None, /
    ) -> tuple[str, bool]: ...


@dataclass(frozen=True)
class BuiltPrompt:
    messages: list[BaseMessage]
    system: str
    user: str
    shrunk: bool
    max_tokens: int
    # The start of the last message that calls differing only in `per_call` values share.
    shared_prefix: str = ""


def build_prompt(
    persona: Persona,
    config: AgentConfig,
    render_digest: RenderDigest,
    values: Mapping[str, str],
    count_tokens: Callable[[str], int],
    *,
    template: str | None = None,
    max_tokens: int | None = None,
    document: str | None = None,
    per_call: Collection[str] = (),
) -> BuiltPrompt:
    """Render a persona template (its task template unless `template` is given) with a
    digest sized to what num_ctx leaves free.

    With `document`, the rendered text plus `document` (a heading and its opening words) is
    sent alone, as a document for the model to continue. `per_call` names the placeholders
    whose values differ between the calls of one node (the writer's `section`): the text
    before the first of them (or all of it, the document after) is the `shared_prefix`.
    """
    text = template or persona.task
    max_tokens = reply_budget(config, persona, max_tokens)
    system = "" if document is not None else persona.system_prompt
    shrunk = False
    digest_text = ""
    if "{digest}" in text:
        without_digest = render_template(text, {**values, "digest": ""})
        fixed = count_tokens(system) + count_tokens(without_digest) + count_tokens(document or "")
        available = int(fit_window(config) * SAFETY_MARGIN) - fixed - max_tokens
        budget = config.ingest.digest_budget_tokens
        limit = max(available, 0) if budget is None else max(min(budget, available), 0)
        digest_text, shrunk = render_digest(limit, count_tokens)
    values = {**values, "digest": digest_text}
    user = render_template(text, values)
    # Still too long (many findings on a small num_ctx): the least important lines go first.
    room = int(fit_window(config) * SAFETY_MARGIN) - max_tokens - count_tokens(document or "")
    for field in SHRINKABLE:
        dropped = 0
        while count_tokens(system) + count_tokens(user) > room and "\n" in values.get(field, ""):
            values[field] = values[field].rsplit("\n", 1)[0]
            user = render_template(text, values)
            dropped += 1
        if dropped:
            values[field] += f"\n({dropped} more left out to fit num_ctx)"
            user = render_template(text, values)
            shrunk = True
    shared = _shared_prefix(text, values, user, per_call)
    if document is not None:
        user = f"{user}\n\n{document}"
        messages: list[BaseMessage] = [HumanMessage(content=user)]
    else:
        messages = [SystemMessage(content=system), HumanMessage(content=user)]
    return BuiltPrompt(
        messages=messages,
        system=system,
        user=user,
        shrunk=shrunk,
        max_tokens=max_tokens,
        shared_prefix=shared,
    )


def _shared_prefix(
    template: str, values: Mapping[str, str], user: str, per_call: Collection[str]
) -> str:
    """The part of `user` (`template` rendered with `values`) before any `per_call` value."""
    if not per_call:
        return ""
    # Two renderings that differ only in the per-call values part where the first one is.
    one = render_template(template, {**values, **{k: "\x00" for k in per_call}})
    two = render_template(template, {**values, **{k: "\x01" for k in per_call}})
    return user[: len(os.path.commonprefix([one, two]))]
