"""A deterministic chat backend for tests and benchmarks: canned or computed replies.

It streams word by word and reports Ollama's timing fields computed from its own (fixed)
token rate, so every metric path is exercised without a model. Replies come from a queue,
or from a function of the messages; either way each call is recorded.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

from chimera.backends.base import BackendSpec, ChatBackend, PromptStyle
from chimera.config.agent import AgentConfig
from chimera.errors import BackendError, BackendProtocolError, BackendTimeout
from chimera.tokens import estimate_tokens

ReplyFn = Callable[[list[BaseMessage]], str]

FAKE_NS_PER_TOKEN = 10_000_000  # reported as 100 tok/s
FAKE_PROMPT_NS_PER_TOKEN = 1_000_000


def _tokens(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


class FakeChatModel(BaseChatModel):
    """Streams `reply(messages)` word by word, with Ollama-style metadata on the last chunk."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    reply: Any  # ReplyFn; Any keeps pydantic from inspecting the callable
    calls: Any  # the backend's list, shared (a typed field would be copied by pydantic)

    @property
    def _llm_type(self) -> str:
        return "chimera-fake"

    def _metadata(self, messages: list[BaseMessage], tokens: int) -> dict[str, Any]:
        prompt_tokens = sum(estimate_tokens(str(m.content)) for m in messages)
        eval_ns = tokens * FAKE_NS_PER_TOKEN
        prompt_ns = prompt_tokens * FAKE_PROMPT_NS_PER_TOKEN
        return {
            "model_name": "fake",
            "done": True,
            "done_reason": "stop",
            "total_duration": eval_ns + prompt_ns,
            "load_duration": 0,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": prompt_ns,
            "eval_count": tokens,
            "eval_duration": eval_ns,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        text = self.reply(messages)
        meta = self._metadata(messages, len(_tokens(text)))
        message = AIMessage(content=text, response_metadata=meta)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.calls.append(list(messages))
        tokens = _tokens(self.reply(messages))
        for token in tokens:
            yield ChatGenerationChunk(message=AIMessageChunk(content=token))
        meta = self._metadata(messages, len(tokens))
        yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata=meta))

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._stream(messages, stop, **kwargs):
            yield chunk


def queue_reply(replies: Sequence[str]) -> ReplyFn:
    """Hand out `replies` in order, then repeat the last one."""
    pending = list(replies)

    def reply(_: list[BaseMessage]) -> str:
        return pending.pop(0) if len(pending) > 1 else pending[0]

    return reply


def role_reply(messages: list[BaseMessage]) -> str:
    """Default fake: the analyst's JSON choosing the first listed ids; for a report section,
    a paragraph that restates the first finding it was given (so its figures trace)."""
    prompt = "\n".join(str(m.content) for m in messages)
    if '"key_findings"' in prompt:
        findings = list(dict.fromkeys(re.findall(r"^(F\d+) \(", prompt, re.M)))[:3]
        recs = list(dict.fromkeys(re.findall(r"^(R\d+) \(", prompt, re.M)))[:3]
        why = "This matters most for tuning the serving setup."
        items = ", ".join(f'{{"id": "{i}", "why": "{why}"}}' for i in findings)
        chosen = ", ".join(f'{{"id": "{i}", "why": "{why}"}}' for i in recs)
        return f'{{"key_findings": [{items}], "recommendations": [{chosen}]}}'
    first = next(
        (line[2:] for line in prompt.splitlines() if line.startswith("- ") and len(line) > 40),
        "the benchmark data shows steady throughput across runs of every model measured.",
    )
    if 'section "Optimisation' in prompt or prompt.rstrip().endswith("1. For"):
        # The recommendations it was given, as a numbered list.
        tail = prompt.split("Recommendations", 1)[-1]
        recs = [line[2:] for line in tail.splitlines() if line.startswith("- ")][:3]
        return "\n".join(f"{i}. {rec}" for i, rec in enumerate(recs, start=1)) or "1. Keep going."
    if 'section "Risk' in prompt or prompt.rstrip().endswith("|"):
        return (
            "| Risk | Evidence | Mitigation |\n|---|---|---|\n"
            "| Cold starts | The first call loads the model. | Warm up before measuring. |\n"
            "| Timeouts | Slow calls drop out of the means. | Raise the request timeout. |"
        )
    return f"The findings show the following. {first}"


@dataclass
class FakeBackend:
    """ChatBackend over FakeChatModel; `calls` records every message list sent."""

    reply: ReplyFn = role_reply
    model_label: str = "fake"
    name: str = "fake"
    host: str | None = None
    served_by: str | None = None
    calls: list[list[BaseMessage]] = field(default_factory=list)
    style: PromptStyle = "chat"
    # The shared_prefix each chat model was asked for, in order (what a caching backend keeps).
    shared_prefixes: list[str] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: AgentConfig) -> FakeBackend:
        return cls(model_label=config.model)

    def chat_model(
        self,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        raw: bool = False,
        seed: int | None = None,
        shared_prefix: str = "",
    ) -> BaseChatModel:
        self.shared_prefixes.append(shared_prefix)
        return FakeChatModel(reply=self.reply, calls=self.calls)

    async def prompt_style(self) -> PromptStyle:
        return self.style

    async def check(self) -> None:
        return None

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def translate_error(self, exc: BaseException) -> BackendError:
        if isinstance(exc, BackendError):
            return exc
        if isinstance(exc, TimeoutError):
            return BackendTimeout(f"the fake model '{self.model_label}' timed out")
        return BackendProtocolError(f"the fake model failed: {type(exc).__name__}: {exc}")


def _build(config: AgentConfig, host: str | None) -> ChatBackend:
    return FakeBackend.from_config(config)


SPEC = BackendSpec(
    name="fake",
    uses_hosts=False,
    default_num_ctx=2048,  # as Ollama's, which the fake stands in for
    build=_build,
    model_label=lambda config: config.model,
    settings_note="embedded_threads and model_path are the embedded backend's",
    reloads_on=frozenset(),  # nothing to load: never a cold start
)
