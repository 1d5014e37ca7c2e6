"""The embedded backend's shared llama.cpp model: loading it, prompting it, generating.

One `LlamaRuntime` per backend holds the model, the lock and the worker thread its
generations take turns on; `EmbeddedBackend` and `ChatLlamaCpp` (in `embedded.py`) sit on
top of it. The prompt format and the metrics are described there.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import importlib
import io
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage
from langchain_core.messages.ai import UsageMetadata

from chimera.backends._lazy_grammar import _json_gbnf, _LazyGrammar
from chimera.backends._model_source import check_gguf, default_model_path, import_llama_cpp
from chimera.backends._prompt_cache import PrefixStates, common_length
from chimera.errors import BackendError, BackendProtocolError
from chimera.tokens import estimate_tokens

if TYPE_CHECKING:
    from llama_cpp import Llama

# llama-cpp-python's detokenizer uses a 32-byte buffer and corrupts longer pieces (Gemma's
# vocabulary has hundreds), so pieces are read with a buffer of our own.
_PIECE_BUFFER = 256
_LLAMA_ERRORS = (RuntimeError, ValueError, AssertionError, OSError)
# What llama-cpp-python itself prints while it loads a model (verbose=True, see _load).
_LLAMA_LOG_LINE = re.compile(
    r"^(?:(?:llama|ggml|gguf|print_info|load_tensors)\w*: |CPU : |Model metadata: "
    r"|Using fallback chat format|Available chat formats|Guessed chat format"
    r"|Using gguf chat template|Using chat (?:eos|bos)_token)"
)
_SILENT_LOG: Any = None  # llama.cpp's log callback, kept alive while it is installed


def _silence_llama_log(llama_cpp: ModuleType) -> None:
    """Route llama.cpp's own log (load chatter, perf printouts) to nowhere, once."""
    global _SILENT_LOG
    if _SILENT_LOG is None:
        _SILENT_LOG = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
        llama_cpp.llama_log_set(_SILENT_LOG, ctypes.c_void_p(0))


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
    raw: bool = False  # the messages' text is the whole prompt: a document to continue
    # The start of the last message that the calls of one node share (see _prompt_cache).
    shared_prefix: str = ""

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


# Loads swap sys.stderr (see _quiet_llama_cpp) and patch llama.cpp's defaults: one at a time,
# or two threads loading at once could restore each other's stream and mute the process.
_LOAD_LOCK = threading.Lock()


@contextlib.contextmanager
def plain_cpu_buffers(llama_cpp: ModuleType) -> Iterator[None]:
    """Load weights into plain CPU buffers, not llama.cpp's "extra" (AMX, repacked) ones.

    On a Xeon with AMX in a sandbox that does not grant AMX tile state, decode crashed the
    process (SIGSEGV) with the extra buffers and ran with plain ones; a crash cannot be
    caught, so Chimera never asks for them. llama-cpp-python has no argument for it, so the
    default model parameters it starts from are adjusted while the model loads.
    """
    module = llama_cpp.llama_cpp
    original = module.llama_model_default_params

    def params() -> Any:
        chosen = original()
        chosen.use_extra_bufts = False
        return chosen

    module.llama_model_default_params = params
    try:
        yield
    finally:
        module.llama_model_default_params = original


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
        self._windowed = False
        self.prefix_states = PrefixStates()
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
            self.prefix_states.clear()
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
            _silence_llama_log(llama_cpp)
            with _LOAD_LOCK, _quiet_llama_cpp(), plain_cpu_buffers(llama_cpp):
                llm = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    # Gemma 3 attends over a 512-token window in most layers; a full-size
                    # cache for those layers decoded ~15% slower at 2k tokens of context
                    # (measured), more beyond. No effect on models without a window.
                    swa_full=False,
                    # verbose=False would make llama-cpp-python point file descriptors 1
                    # and 2 at /dev/null while it loads: process-wide, and not undone right
                    # when two threads load at once (a comparison's stdout was lost). Its
                    # chatter goes to sys.stderr instead, which _quiet_llama_cpp sorts.
                    verbose=True,
                )
                llm.verbose = False  # no perf printout after each generation
                # And llama.cpp's own log back to errors only, as verbose=False sets it.
                importlib.import_module("llama_cpp._logger").set_verbose(False)
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
        # llama-cpp-python would not notice: such models start each call from an empty cache
        # or from a saved prefix state (see _prompt_cache).
        self._windowed = llama_cpp.llama_model_n_swa(llm.model) > 0
        self._vocab = vocab
        self._llama_cpp = llama_cpp
        self._has_perf = all(
            hasattr(llama_cpp, name)
            for name in ("llama_perf_context", "llama_perf_context_reset", "llama_synchronize")
        )
        self._llm = llm
        return time.perf_counter_ns() - start

    def has_chat_template(self) -> bool:
        """Whether the GGUF carries a chat template (loads the model if it is not loaded)."""
        with self.lock:
            self._load()
            return self._template is not None

    def render(self, messages: Sequence[BaseMessage], raw: bool = False) -> tuple[str, bool]:
        """The prompt text for `messages` and whether tokenizing it must add BOS."""
        if raw:
            return "".join(str(m.content) for m in messages), True
        if self._template is None:
            return gemma_prompt(messages), True
        result = self._template(messages=chat_messages(messages, fold_system=False))
        return result.prompt, not result.added_special

    def _shared_length(
        self, messages: Sequence[BaseMessage], sampling: Sampling, tokens: list[int], bos: bool
    ) -> int:
        """How many of `tokens` are the rendered `sampling.shared_prefix` (0: none marked)."""
        llm = self._llm
        prefix = sampling.shared_prefix
        if llm is None or not prefix or not messages:
            return 0
        last = messages[-1]
        if not isinstance(last.content, str) or not last.content.startswith(prefix):
            return 0
        full, _ = self.render(messages, sampling.raw)
        cut_off = [*messages[:-1], last.model_copy(update={"content": prefix})]
        cut, _ = self.render(cut_off, sampling.raw)
        # The rendered texts part where the last message goes on past the prefix.
        head = full[: len(os.path.commonprefix([full, cut]))]
        head_tokens = llm.tokenize(head.encode("utf-8"), add_bos=bos, special=True)
        # The head's last token may merge differently with what follows: only equal ones count.
        return min(common_length(head_tokens, tokens), len(head_tokens))

    def _from_saved_prefix(
        self, messages: Sequence[BaseMessage], sampling: Sampling, tokens: list[int], bos: bool
    ) -> None:
        """Restore the longest saved prefix of `tokens`, then read and save up to the shared
        prefix's end and up to the prompt's last token (which `generate` reads itself)."""
        llm, llama_cpp = self._llm, self._llama_cpp
        assert llm is not None and llama_cpp is not None
        position = self.prefix_states.restore(llama_cpp, llm, tokens)
        # `generate` reads the last token itself: its logits are the first sample's.
        shared = min(self._shared_length(messages, sampling, tokens, bos), len(tokens) - 1)
        for boundary in sorted({shared, len(tokens) - 1}):
            if boundary > position:
                position = self.prefix_states.read_to(llama_cpp, llm, tokens, position, boundary)

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
            prompt, add_bos = self.render(messages, sampling.raw)
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
        if self._has_perf:
            # llama.cpp books a decode at the next synchronize; flush any pending one (the
            # load's warm-up) so that it is not counted into this prompt.
            llama_cpp.llama_synchronize(llm.ctx)
            llama_cpp.llama_perf_context_reset(llm.ctx)
        if self._windowed:
            # Reading up to a boundary is prompt evaluation: it is counted in this call's.
            try:
                self._from_saved_prefix(messages, sampling, tokens, add_bos)
            except _LLAMA_ERRORS as exc:
                raise BackendProtocolError(f"llama.cpp failed reading the prompt: {exc}") from exc
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
