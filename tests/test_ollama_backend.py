"""The Ollama backend over real HTTP against the stub server: metrics, options, errors, timing.

Nothing is patched: ChatOllama, ollama-python and httpx talk to a real socket, so these tests
prove what reaches the wire and what comes back from it.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import ollama
import pytest
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from chimera.backends.base import ModelReply, measured_call
from chimera.backends.ollama import OllamaBackend
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.errors import BackendProtocolError, BackendTimeout, BackendUnreachable, ModelMissing
from chimera.testing.ollama_server import DEFAULT_REPLY, OllamaStubServer, reply_by_format

SCHEMA = {
    "type": "object",
    "properties": {"findings": {"type": "array", "items": {"type": "string"}}},
    "required": ["findings"],
}


def make_backend(
    url: str, *, model: str = "gemma3", timeout_s: float = 5.0, **options: Any
) -> OllamaBackend:
    config = AgentConfig(
        name="test agent", model=model, timeout_s=timeout_s, options=ModelOptions(**options)
    )
    return OllamaBackend(config, url)


def call(
    backend: OllamaBackend,
    prompt: str = "Summarise the benchmark.",
    *,
    messages: list[BaseMessage] | None = None,
    **kwargs: Any,
) -> ModelReply:
    return asyncio.run(
        measured_call(
            backend,
            messages or [HumanMessage(prompt)],
            node="test",
            timeout_s=backend.config.timeout_s,
            num_ctx=backend.config.options.num_ctx,
            **kwargs,
        )
    )


# -- metrics ----------------------------------------------------------------------------------


def test_metrics_are_the_servers_report_in_ms_with_client_side_ttft(
    ollama_server: OllamaStubServer,
) -> None:
    """ns -> ms, throughput = eval_count / eval_duration, TTFT measured by the client."""
    ollama_server.update(tokens=20, token_delay_s=0.01, first_token_delay_s=0.08, load_s=0.03)
    messages: list[BaseMessage] = [SystemMessage("You are an analyst."), HumanMessage("Go.")]

    reply = call(make_backend(ollama_server.url), messages=messages)

    reported = ollama_server.chat_requests[-1].reported
    assert reported is not None
    m = reply.metrics
    assert m.backend == "ollama" and m.model == "gemma3" and m.host == ollama_server.url
    assert m.eval_count == reported["eval_count"] == 20
    assert m.eval_duration_ms == pytest.approx(reported["eval_duration"] / 1e6)
    assert m.total_duration_ms == pytest.approx(reported["total_duration"] / 1e6)
    assert m.load_duration_ms == pytest.approx(reported["load_duration"] / 1e6)
    assert m.prompt_eval_duration_ms == pytest.approx(reported["prompt_eval_duration"] / 1e6)
    assert m.prompt_eval_count == reported["prompt_eval_count"] == m.prompt_tokens_estimate
    assert m.throughput_tok_s == pytest.approx(
        reported["eval_count"] / (reported["eval_duration"] / 1e9)
    )
    # The simulated timings really happened (sleeps only overshoot).
    assert 200 <= m.eval_duration_ms < 350
    assert 30 <= m.load_duration_ms < 90
    assert 80 <= m.prompt_eval_duration_ms < 140
    assert 75 < m.throughput_tok_s <= 100.5
    # First token after load + prompt eval + one token; the last after the server finished.
    assert m.ttft_ms is not None and 120 <= m.ttft_ms < m.wall_ms
    assert m.wall_ms >= m.total_duration_ms - 1
    assert reply.text == DEFAULT_REPLY
    assert not m.likely_truncated


def test_reply_text_is_the_streamed_tokens_joined(ollama_server: OllamaStubServer) -> None:
    ollama_server.update(reply="alpha beta gamma")
    reply = call(make_backend(ollama_server.url))
    assert reply.text == "alpha beta gamma"
    assert reply.metrics.eval_count == 3


# -- options on the wire ----------------------------------------------------------------------


def test_unset_options_are_not_sent(ollama_server: OllamaStubServer) -> None:
    """With nothing set, Ollama's own defaults apply: no options, keep_alive or format sent."""
    call(make_backend(ollama_server.url))

    body = ollama_server.chat_requests[-1].body
    assert body["model"] == "gemma3"
    assert body["stream"] is True
    assert not body.get("options")
    assert "keep_alive" not in body
    assert "format" not in body


def test_only_the_options_set_are_sent(ollama_server: OllamaStubServer) -> None:
    call(make_backend(ollama_server.url, num_ctx=2048, temperature=0.2))
    assert ollama_server.chat_requests[-1].options == {"num_ctx": 2048, "temperature": 0.2}


def test_every_option_reaches_the_server(ollama_server: OllamaStubServer) -> None:
    options = {
        "num_gpu": 80,
        "num_ctx": 4096,
        "temperature": 0.7,
        "top_p": 0.9,
        "top_k": 40,
        "repeat_penalty": 1.1,
        "seed": 42,
        "num_predict": 64,
    }
    call(make_backend(ollama_server.url, keep_alive="10m", **options))

    request = ollama_server.chat_requests[-1]
    assert request.options == options
    assert request.body["keep_alive"] == "10m"


@pytest.mark.parametrize(
    ("num_predict", "max_tokens", "sent"),
    [(None, 5, 5), (500, 5, 5), (3, 5, 3), (-1, 5, 5), (7, None, 7)],
)
def test_max_tokens_caps_num_predict(
    ollama_server: OllamaStubServer, num_predict: int | None, max_tokens: int | None, sent: int
) -> None:
    """max_tokens wins when smaller than num_predict (or num_predict is unlimited)."""
    ollama_server.update(tokens=20)
    reply = call(make_backend(ollama_server.url, num_predict=num_predict), max_tokens=max_tokens)

    request = ollama_server.chat_requests[-1]
    assert request.options["num_predict"] == sent
    assert reply.metrics.eval_count == sent
    assert request.reported is not None and request.reported["done_reason"] == "length"


def test_json_schema_is_sent_as_format(ollama_server: OllamaStubServer) -> None:
    ollama_server.update(reply=reply_by_format('{"findings": ["fast"]}', "Prose."))
    backend = make_backend(ollama_server.url)

    structured = call(backend, json_schema=SCHEMA)
    prose = call(backend)

    first, second = ollama_server.chat_requests
    assert first.body["format"] == SCHEMA
    assert json.loads(structured.text) == {"findings": ["fast"]}
    assert "format" not in second.body
    assert prose.text == "Prose."


def test_calls_on_one_event_loop_reuse_a_model_per_setting(
    ollama_server: OllamaStubServer,
) -> None:
    """One ChatOllama per (schema, max_tokens) on a loop; settings never leak between calls."""
    ollama_server.update(reply=reply_by_format('{"findings": ["fast"]}', "Prose."))
    backend = make_backend(ollama_server.url)

    async def calls() -> list[tuple[object, ModelReply]]:
        out = []
        for schema, cap in [(SCHEMA, 5), (None, 7), (SCHEMA, 5), (None, 7)]:
            model = backend.chat_model(json_schema=schema, max_tokens=cap)
            reply = await measured_call(
                backend,
                [HumanMessage("go")],
                node="t",
                timeout_s=5,
                num_ctx=None,
                json_schema=schema,
                max_tokens=cap,
            )
            out.append((model, reply))
        return out

    (a, _), (b, _), (c, _), (d, _) = asyncio.run(calls())
    assert a is c and b is d and a is not b
    bodies = [r.body for r in ollama_server.chat_requests]
    assert [b.get("format") for b in bodies] == [SCHEMA, None, SCHEMA, None]
    assert [b["options"]["num_predict"] for b in bodies] == [5, 7, 5, 7]


def test_a_new_event_loop_gets_fresh_models_that_still_work(
    ollama_server: OllamaStubServer,
) -> None:
    """An async client is bound to its loop: a second asyncio.run must not reuse it."""
    backend = make_backend(ollama_server.url)

    async def model_and_reply() -> tuple[object, ModelReply]:
        reply = await measured_call(
            backend, [HumanMessage("go")], node="t", timeout_s=5, num_ctx=None
        )
        return backend.chat_model(), reply

    first_model, first = asyncio.run(model_and_reply())
    second_model, second = asyncio.run(model_and_reply())
    assert first_model is not second_model
    assert first.text == second.text == DEFAULT_REPLY
    assert len(ollama_server.chat_requests) == 2


# -- preflight --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served", "asked"),
    [("gemma3:latest", "gemma3"), ("gemma3", "gemma3:latest"), ("qwen3:8b", "qwen3:8b")],
)
def test_check_accepts_the_latest_alias(
    ollama_server: OllamaStubServer, served: str, asked: str
) -> None:
    ollama_server.update(models=(served,))
    asyncio.run(make_backend(ollama_server.url, model=asked).check())
    assert ollama_server.requests[-1].path == "/api/tags"


def test_check_on_a_refused_port_names_the_url_and_the_fix(refused_ollama_url: str) -> None:
    with pytest.raises(BackendUnreachable) as caught:
        asyncio.run(make_backend(refused_ollama_url).check())
    assert refused_ollama_url in caught.value.message
    assert "ollama serve" in (caught.value.hint or "")
    assert "OLLAMA_HOST" in (caught.value.hint or "")


def test_check_without_the_model_suggests_ollama_pull(ollama_server: OllamaStubServer) -> None:
    with pytest.raises(ModelMissing) as caught:
        asyncio.run(make_backend(ollama_server.url, model="qwen3:8b").check())
    assert caught.value.hint == "run: ollama pull qwen3:8b"
    assert "gemma3:latest" in caught.value.message  # says what the server does have


def test_check_on_a_hanging_server_times_out(ollama_server: OllamaStubServer) -> None:
    ollama_server.update(hang_s=2.0, fault_paths=("/api/tags",))
    started = time.perf_counter()
    with pytest.raises(BackendTimeout):
        asyncio.run(make_backend(ollama_server.url, timeout_s=0.2).check())
    assert time.perf_counter() - started < 1.0


# -- failures during a call -------------------------------------------------------------------


def test_chat_with_a_missing_model_is_model_missing(ollama_server: OllamaStubServer) -> None:
    with pytest.raises(ModelMissing) as caught:
        call(make_backend(ollama_server.url, model="llama3.2"))
    assert caught.value.hint == "run: ollama pull llama3.2"


def test_a_url_that_is_not_an_ollama_api_is_not_called_model_missing(
    ollama_server: OllamaStubServer,
) -> None:
    """A bare 404 (wrong path) is a protocol error, not 'ollama pull'."""
    with pytest.raises(BackendProtocolError) as caught:
        call(make_backend(ollama_server.url + "/v1"))
    assert "HTTP 404" in caught.value.message
    assert "OLLAMA_HOST" in (caught.value.hint or "")


def test_chat_on_a_refused_port_is_unreachable(refused_ollama_url: str) -> None:
    with pytest.raises(BackendUnreachable):
        call(make_backend(refused_ollama_url))


def test_http_500_is_a_protocol_error_and_only_hits_the_next_request(
    ollama_server: OllamaStubServer,
) -> None:
    ollama_server.update(fail_next=1, fail_status=500)
    backend = make_backend(ollama_server.url)

    with pytest.raises(BackendProtocolError) as caught:
        call(backend)
    assert "HTTP 500" in caught.value.message

    assert call(backend).metrics.eval_count  # the fault was used up
    assert [r.status for r in ollama_server.chat_requests] == [500, 200]


def test_a_hang_past_the_timeout_is_backend_timeout(ollama_server: OllamaStubServer) -> None:
    ollama_server.update(hang_s=3.0)
    started = time.perf_counter()
    with pytest.raises(BackendTimeout) as caught:
        call(make_backend(ollama_server.url, timeout_s=0.2))
    assert time.perf_counter() - started < 1.5
    assert "timeout_s" in (caught.value.hint or "")


@pytest.mark.parametrize("cut_mode", ["abort", "clean"])
def test_a_stream_cut_before_the_final_chunk_is_a_protocol_error(
    ollama_server: OllamaStubServer, cut_mode: str
) -> None:
    """'abort' drops the connection; 'clean' ends the body without `done: true`.

    langchain-ollama silently accepts the clean case, so the backend checks for the final chunk.
    """
    ollama_server.update(tokens=10, cut_after_tokens=4, cut_mode=cut_mode)
    with pytest.raises(BackendProtocolError):
        call(make_backend(ollama_server.url))
    assert ollama_server.chat_requests[-1].outcome == "cut"


# -- truncation and concurrency ---------------------------------------------------------------


def test_a_prompt_longer_than_num_ctx_is_flagged_truncated(ollama_server: OllamaStubServer) -> None:
    """The server evaluates at most num_ctx tokens, as Ollama does silently."""
    backend = make_backend(ollama_server.url, num_ctx=256)

    long_reply = call(backend, "benchmark row, " * 400)  # ~1500 tokens by the estimate
    short_reply = call(backend, "a short prompt")

    assert long_reply.metrics.prompt_eval_count == 256
    assert long_reply.metrics.prompt_tokens_estimate > 256
    assert long_reply.metrics.likely_truncated
    assert not short_reply.metrics.likely_truncated


async def _timed_calls(backend: OllamaBackend, count: int) -> tuple[float, list[ModelReply]]:
    started = time.perf_counter()
    replies = await asyncio.gather(
        *(
            measured_call(backend, [HumanMessage(f"call {i}")], node="t", timeout_s=5, num_ctx=None)
            for i in range(count)
        )
    )
    return time.perf_counter() - started, list(replies)


@pytest.mark.parametrize("parallel", [2, 8])
def test_concurrent_calls_overlap_on_the_server(
    ollama_server: OllamaStubServer, parallel: int
) -> None:
    """N concurrent calls against fixed delays overlap on the server (all N in flight at once)
    and take far less than N calls in a row. The bound is loose on purpose: this is a check
    that calls are not serialised, not a speed measurement (benchmarks/ measure speed), and
    it must hold on 2 busy cores."""
    ollama_server.update(tokens=20, first_token_delay_s=0.1, token_delay_s=0.01)
    backend = make_backend(ollama_server.url)
    asyncio.run(_timed_calls(backend, 1))  # warm-up: one-off setup is not what we measure
    single, _ = asyncio.run(_timed_calls(backend, 1))
    ollama_server.clear_requests()

    together, replies = asyncio.run(_timed_calls(backend, parallel))

    assert single >= 0.3
    assert ollama_server.peak_concurrency() == parallel
    assert together < single * (1 + (parallel - 1) / 2)  # serialised: parallel * single
    assert all(r.metrics.eval_count == 20 for r in replies)


# -- the stub speaks the protocol the official client expects ---------------------------------


def test_the_official_ollama_client_reads_every_stub_endpoint(
    ollama_server: OllamaStubServer,
) -> None:
    ollama_server.update(reply="one two three")
    with ollama.Client(host=ollama_server.url, timeout=5) as client:
        assert [m.model for m in client.list().models] == ["gemma3:latest"]
        assert client.show("gemma3").details is not None
        response = client.chat(model="gemma3", messages=[{"role": "user", "content": "hi"}])
        assert response.message.content == "one two three"
        assert response.done and response.eval_count == 3
        with pytest.raises(ollama.ResponseError) as caught:
            client.show("missing")
        assert caught.value.status_code == 404
    paths = [r.path for r in ollama_server.requests]
    assert paths == ["/api/tags", "/api/show", "/api/chat", "/api/show"]


def test_a_long_call_reports_its_progress_while_it_runs(
    ollama_server: OllamaStubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line as the call starts, lines while it waits for its first token and while tokens
    arrive (tokens so far, elapsed), and one with the call's figures as it ends."""
    monkeypatch.setattr("chimera.backends.base.PROGRESS_EVERY_S", 0.1)
    ollama_server.update(tokens=8, token_delay_s=0.05, first_token_delay_s=0.35)
    lines: list[str] = []
    call(make_backend(ollama_server.url), progress=lines.append, label="section 2 of 3")
    assert all(line.startswith("section 2 of 3: ") for line in lines)
    assert "prompt of ~" in lines[0] and "tokens sent" in lines[0]
    assert any("reading the prompt" in line for line in lines[1:-1])
    assert any("tokens so far" in line for line in lines[1:-1])
    assert lines[-1].startswith("section 2 of 3: 8 tokens in ")
    assert "tok/s" in lines[-1]
