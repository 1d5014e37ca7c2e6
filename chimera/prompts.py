"""Turn a persona and the run's data into the messages sent, fitted to the context window.

Ollama silently cuts prompts longer than num_ctx, so before each call the digest (the only
part that grows with the data) is rendered to the tokens left after the system prompt,
the rest of the task and the reply's reserve. Shrinking is recorded, never silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig
from chimera.config.personas import Persona

DEFAULT_REPLY_RESERVE = 512
# Token counts are estimates for Ollama; keep a margin so an estimate error does not overflow.
SAFETY_MARGIN = 0.9


def context_window(config: AgentConfig) -> int:
    """num_ctx, else the backend's own default (what the server will use when it is unset)."""
    return backend_spec(config).context_window(config)


def reply_budget(config: AgentConfig, persona: Persona) -> int:
    """Tokens reserved for the answer: the persona's cap, limited by num_predict if set."""
    caps = [c for c in (persona.max_tokens, config.options.num_predict) if c and c > 0]
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


def build_prompt(
    persona: Persona,
    config: AgentConfig,
    render_digest: RenderDigest,
    values: Mapping[str, str],
    count_tokens: Callable[[str], int],
) -> BuiltPrompt:
    """Render the persona's task with a digest sized to what num_ctx leaves free."""
    max_tokens = reply_budget(config, persona)
    without_digest = persona.render_task({**values, "digest": ""})
    fixed = count_tokens(persona.system_prompt) + count_tokens(without_digest)
    available = int(context_window(config) * SAFETY_MARGIN) - fixed - max_tokens
    budget = config.ingest.digest_budget_tokens
    limit = max(available, 0) if budget is None else max(min(budget, available), 0)
    digest_text, shrunk = render_digest(limit, count_tokens)
    user = persona.render_task({**values, "digest": digest_text})
    return BuiltPrompt(
        messages=[SystemMessage(content=persona.system_prompt), HumanMessage(content=user)],
        system=persona.system_prompt,
        user=user,
        shrunk=shrunk,
        max_tokens=max_tokens,
    )
