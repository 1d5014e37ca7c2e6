"""The OpenAI-compatible backend over real HTTP against the stub's /v1 API: what reaches the
wire, the metrics read from the stream (usage, llama.cpp's timings, client-side rates), the
options it refuses, the API key, and the one-line errors of the preflight and of a cut stream.

Nothing is patched: ChatOpenAI, the openai client and httpx talk to a real socket. The real
server (llama-cpp-python's, with the bundled model) is in test_openai_real_server.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from stub_replies import ANALYST_JSON, EXAMPLE, REPORT

from chimera.backends.base import ModelReply, measured_call
from chimera.backends.openai_compat import OpenAIBackend
from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.errors import (
    BackendProtocolError,
    BackendTimeout,
    BackendUnreachable,
    ConfigError,
    ModelMissing,
)
from chimera.testing.ollama_server import OllamaStubServer, reply_by_format, serve_ollama_stub

MODEL = "gemma3:latest"
REPLY = "one two three four five six seven eight nine ten"


def make_backend(url: str, *, timeout_s: float = 10.0, **fields: Any) -> OpenAIBackend:
    options = ModelOptions(**fields.pop("options", {}))
    config = AgentConfig(
        name="openai agent",
        backend="openai",
        model=MODEL,
        base_url=url,
        timeout_s=timeout_s,
        options=options,
        **fields,
    )
    return OpenAIBackend(config)


def call(backend: OpenAIBackend, **kwargs: Any) -> ModelReply:
    return asyncio.run(
        measured_call(
            backend,
            [HumanMessage("Summarise the benchmark.")],
            node="writer",
            timeout_s=backend.config.timeout_s,
            num_ctx=backend.config.options.num_ctx,
            **kwargs,
        )
    )


@pytest.fixture
def stub() -> OllamaStubServer:
    with serve_ollama_stub(reply=REPLY, token_delay_s=0.01) as server:
        yield server


# -- metrics ----------------------------------------------------------------------------------


def test_usage_gives_the_token_counts_and_the_client_measures_the_rates(
    stub: OllamaStubServer,
) -> None:
    reply = call(make_backend(stub.openai_url))
    m = reply.metrics
    assert reply.text == REPLY
    body = stub.chat_requests[-1].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    # The stub counts each word a token: 10 completion tokens, and the prompt's tokens.
    assert m.eval_count == 10 and m.prompt_eval_count is not None and m.prompt_eval_count > 0
    assert m.backend == "openai" and m.host == stub.openai_url
    # Measured client-side: the tokens came about 10 ms apart, so ~100 tok/s.
    assert m.throughput_from == "client" and m.throughput_tok_s == m.decode_tok_s
    assert m.itl_mean_ms is not None and 5 < m.itl_mean_ms < 200
    assert m.itl_p95_ms is not None and m.itl_p95_ms >= m.itl_mean_ms * 0.5
    assert m.decode_tok_s is not None and 5 < m.decode_tok_s < 200
    assert m.ttft_ms is not None
    # What no OpenAI-compatible server reports stays not measured, never 0.
    assert m.load_duration_ms is None and m.eval_duration_ms is None


def test_without_usage_the_counts_are_not_measured_but_the_rates_are(
    stub: OllamaStubServer,
) -> None:
    stub.update(openai_usage=False)
    m = call(make_backend(stub.openai_url)).metrics
    assert m.eval_count is None and m.prompt_eval_count is None
    # One chunk a token: 9 gaps between 10 tokens.
    assert m.decode_tok_s is not None and m.itl_mean_ms is not None


def test_llama_cpp_timings_are_the_servers_own_figures(stub: OllamaStubServer) -> None:
    stub.update(openai_timings=True)
    m = call(make_backend(stub.openai_url)).metrics
    timings = stub.chat_requests[-1].reported["timings"]  # type: ignore[index]
    assert m.throughput_from == "server"
    assert m.eval_count == timings["predicted_n"] == 10
    assert m.eval_duration_ms == pytest.approx(timings["predicted_ms"])
    assert m.prompt_eval_count == timings["prompt_n"]
    assert m.prompt_eval_duration_ms == pytest.approx(timings["prompt_ms"])
    assert m.throughput_tok_s == pytest.approx(10 / (timings["predicted_ms"] / 1000))
    assert m.load_duration_ms is None


# -- options ----------------------------------------------------------------------------------


def test_chimeras_options_map_onto_the_request(stub: OllamaStubServer) -> None:
    backend = make_backend(
        stub.openai_url,
        options={"temperature": 0.3, "top_p": 0.9, "seed": 7, "num_predict": 50, "num_ctx": 2048},
    )
    call(backend, max_tokens=20)
    body = stub.chat_requests[-1].body
    assert body["temperature"] == 0.3 and body["top_p"] == 0.9 and body["seed"] == 7
    assert body["max_tokens"] == 20  # the smaller of num_predict and the call's cap
    assert "max_completion_tokens" not in body  # llama-cpp-python's server ignores it
    assert "num_ctx" not in json.dumps(body) and "options" not in body


def test_unset_options_are_not_sent(stub: OllamaStubServer) -> None:
    call(make_backend(stub.openai_url))
    body = stub.chat_requests[-1].body
    assert not {"temperature", "top_p", "seed", "max_tokens"} & set(body)


def test_json_schema_is_sent_as_response_format(stub: OllamaStubServer) -> None:
    stub.update(reply=reply_by_format('{"a": 1}', "prose"))
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    reply = call(make_backend(stub.openai_url), json_schema=schema)
    assert reply.text == '{"a": 1}'
    sent = stub.chat_requests[-1].body["response_format"]
    assert sent == {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}


@pytest.mark.parametrize("option", ["top_k", "repeat_penalty", "num_gpu", "keep_alive"])
def test_an_option_the_server_would_ignore_is_refused_naming_it(option: str) -> None:
    value = {"top_k": 40, "repeat_penalty": 1.1, "num_gpu": 80, "keep_alive": "5m"}[option]
    with pytest.raises(ConfigError) as caught:
        make_backend("http://127.0.0.1:1/v1", options={option: value})
    line = caught.value.one_line()
    assert f"options.{option} is not sent by the openai backend" in line
    assert "\n" not in line


def test_a_sweep_refuses_a_key_the_server_ignores() -> None:
    config = AgentConfig(name="x", backend="openai", base_url="http://127.0.0.1:1/v1")
    spec = backend_spec(config)
    assert spec.applies("temperature") and spec.applies("seed") and spec.applies("model")
    assert not spec.applies("num_gpu") and not spec.applies("num_ctx")
    assert not spec.applies("top_k")


def test_the_openai_backend_needs_a_base_url() -> None:
    with pytest.raises(ConfigError, match="needs base_url"):
        OpenAIBackend(AgentConfig(name="x", backend="openai"))


# -- the API key ----------------------------------------------------------------------------


def test_the_key_comes_from_the_variable_the_config_names(
    stub: OllamaStubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_SERVER_KEY", "sk-local-123")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-real-openai-key")
    call(make_backend(stub.openai_url, api_key_env="MY_SERVER_KEY"))
    assert stub.chat_requests[-1].authorization == "Bearer sk-local-123"
    # Without api_key_env, OPENAI_API_KEY is not sent to whatever base_url is.
    call(make_backend(stub.openai_url))
    assert stub.chat_requests[-1].authorization == "Bearer no-key"


def test_a_key_variable_that_is_not_set_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MY_SERVER_KEY", raising=False)
    with pytest.raises(ConfigError, match="api_key_env names MY_SERVER_KEY, which is not set"):
        make_backend("http://127.0.0.1:1/v1", api_key_env="MY_SERVER_KEY")


def test_the_key_is_in_no_file_of_a_run_nor_on_stderr(
    stub: OllamaStubServer, tmp_path: Path
) -> None:
    stub.update(reply=reply_by_format(ANALYST_JSON, REPORT))
    (tmp_path / "agent.yaml").write_text(
        f"name: Served Agent\nbackend: openai\nmodel: {MODEL}\nbase_url: {stub.openai_url}\n"
        "api_key_env: MY_SERVER_KEY\ntimeout_s: 30\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "chimera", "--log-level", "debug", "run", str(EXAMPLE),
         "--config", "agent.yaml"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={**os.environ, "MY_SERVER_KEY": "sk-local-5ecret"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "sk-local-5ecret" not in done.stdout + done.stderr
    files = [p for p in (tmp_path / "runs").rglob("*") if p.is_file()]
    assert files and not [p for p in files if b"sk-local-5ecret" in p.read_bytes()]
    assert all(r.authorization == "Bearer sk-local-5ecret" for r in stub.chat_requests)
    report = next((tmp_path / "runs").rglob("report.md")).read_text()
    assert "- Load Duration: not measured" in report
    assert "Inter-token latency: mean " in report


# -- errors -----------------------------------------------------------------------------------


def test_the_preflight_of_a_server_that_is_down_names_the_url_and_the_fix(
    refused_ollama_url: str,
) -> None:
    backend = make_backend(f"{refused_ollama_url}/v1")
    with pytest.raises(BackendUnreachable) as caught:
        asyncio.run(backend.check())
    line = caught.value.one_line()
    assert f"cannot reach the OpenAI-compatible server at {refused_ollama_url}/v1" in line
    assert "llama-server" in line


def test_the_preflight_without_the_model_lists_what_the_server_serves(
    stub: OllamaStubServer,
) -> None:
    stub.update(models=("qwen3:8b", "llama3.2:latest"))
    with pytest.raises(ModelMissing) as caught:
        asyncio.run(make_backend(stub.openai_url).check())
    line = caught.value.one_line()
    assert f"model '{MODEL}' is not served at {stub.openai_url}" in line
    assert "it serves: llama3.2:latest, qwen3:8b" in line


def test_the_preflight_passes_when_the_model_is_served(stub: OllamaStubServer) -> None:
    asyncio.run(make_backend(stub.openai_url).check())
    assert stub.requests[-1].path == "/v1/models"


def test_a_url_without_v1_is_not_called_model_missing(stub: OllamaStubServer) -> None:
    with pytest.raises(BackendProtocolError, match="/v1 included"):
        asyncio.run(make_backend(stub.url).check())


def test_a_dripping_models_list_ends_at_the_preflight_deadline(stub: OllamaStubServer) -> None:
    stub.update(drip_s=1.0, fault_paths=("/v1/models",))
    with pytest.raises(BackendTimeout, match="1 s allowed"):
        asyncio.run(make_backend(stub.openai_url, timeout_s=1.0).check())


def test_a_chat_with_a_model_the_server_lacks_is_model_missing(stub: OllamaStubServer) -> None:
    stub.update(models=("other:latest",))
    with pytest.raises(ModelMissing, match=f"model '{MODEL}' is not served"):
        call(make_backend(stub.openai_url))


@pytest.mark.parametrize("mode", ["abort", "clean"])
def test_a_stream_cut_before_its_finish_reason_is_a_protocol_error(
    stub: OllamaStubServer, mode: str
) -> None:
    stub.update(cut_after_tokens=3, cut_mode=mode, fault_paths=("/v1/chat/completions",))
    with pytest.raises(BackendProtocolError) as caught:
        call(make_backend(stub.openai_url))
    assert stub.openai_url in caught.value.one_line()
    assert "server's log" in caught.value.one_line()


def test_http_500_is_a_protocol_error_naming_the_status(stub: OllamaStubServer) -> None:
    stub.update(fail_next=1, fail_status=500, fault_paths=("/v1/chat/completions",))
    with pytest.raises(BackendProtocolError, match="answered HTTP 500"):
        call(make_backend(stub.openai_url))
    assert call(make_backend(stub.openai_url)).text == REPLY  # only that request failed


def test_a_hang_past_the_timeout_is_backend_timeout(stub: OllamaStubServer) -> None:
    stub.update(hang_s=3.0, fault_paths=("/v1/chat/completions",))
    with pytest.raises(BackendTimeout):
        call(make_backend(stub.openai_url, timeout_s=0.5))


def test_compare_puts_an_ollama_agent_against_an_openai_compatible_one(
    stub: OllamaStubServer, tmp_path: Path
) -> None:
    """One stub speaks both APIs: Ollama's at /api, the OpenAI one at /v1."""
    stub.update(reply=reply_by_format(ANALYST_JSON, REPORT))
    common = f"model: {MODEL}\ntimeout_s: 30\noptions: {{temperature: 0.5}}\n"
    (tmp_path / "a.yaml").write_text(f"name: On Ollama\nbase_url: {stub.url}\n{common}")
    (tmp_path / "b.yaml").write_text(
        f"name: On vLLM\nbackend: openai\nbase_url: {stub.openai_url}\n{common}"
    )
    done = subprocess.run(
        [sys.executable, "-m", "chimera", "compare", str(EXAMPLE), "--a", "a.yaml",
         "--b", "b.yaml", "--runs", "1", "--solo-runs", "0"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in (tmp_path / "comparisons").iterdir() if p.is_dir()]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["hosts"] == {"A": {stub.url: 1}, "B": {stub.openai_url: 1}}
    assert summary["config_diff"]["backend"] == {"A": "ollama", "B": "openai"}
    paths = {r.path for r in stub.chat_requests}
    assert paths == {"/api/chat", "/v1/chat/completions"}
