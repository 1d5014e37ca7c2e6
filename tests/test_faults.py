"""Server faults and context overflow, against the real Ollama-protocol test server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from chimera.config.agent import AgentConfig, IngestOptions, ModelOptions
from chimera.errors import BackendUnreachable, ModelMissing
from chimera.execution.report import render_report
from chimera.execution.result import RunResult
from chimera.execution.runner import arun
from chimera.testing.ollama_server import OllamaStubServer, reply_by_format

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
ANALYST_WHY = "Offloading layers to the GPU pays off on every model."
ANALYST_JSON = (
    '{"key_findings": [{"id": "F1", "why": "' + ANALYST_WHY + '"}],'
    ' "recommendations": [{"id": "R1", "why": "The gain holds on every model."}]}'
)
REPORT = "## 1. Executive Summary\nThroughput is steady.\n"


def config(server_url: str, **extra: object) -> AgentConfig:
    base: dict[str, object] = {"timeout_s": 5, "retries": 2}
    return AgentConfig(
        name="Fault Agent", backend="ollama", base_url=server_url, **{**base, **extra}
    )


@pytest.fixture
def server(ollama_server: OllamaStubServer) -> OllamaStubServer:
    ollama_server.update(reply=reply_by_format(ANALYST_JSON, REPORT))
    return ollama_server


def run(cfg: AgentConfig, out: Path, data: Path = EXAMPLE):
    return asyncio.run(arun(data, cfg, out=out))


def test_http_500_is_retried_and_the_run_completes(
    server: OllamaStubServer, tmp_path: Path
) -> None:
    server.update(fail_next=1)
    result = run(config(server.url), tmp_path)
    assert result.ok, result.error
    statuses = [r.status for r in server.chat_requests]
    assert statuses[:2] == [500, 200] and set(statuses[2:]) == {200}
    assert [c.node for c in result.llm_calls].count("analyst") == 1  # one answer kept


def test_persistent_500_is_a_failed_run_with_the_error_recorded(
    server: OllamaStubServer, tmp_path: Path
) -> None:
    server.update(fail_next=100)
    result = run(config(server.url, retries=1), tmp_path)
    assert result.status == "failed"
    assert "HTTP 500" in (result.error or "")
    assert len(server.chat_requests) == 2  # one attempt + one retry
    saved = json.loads((result.run_dir / "run.json").read_text())
    assert saved["status"] == "failed" and saved["error_type"] == "BackendProtocolError"


def test_a_hung_request_is_bounded_by_the_timeout(server: OllamaStubServer, tmp_path: Path) -> None:
    server.update(hang_s=3.0)
    result = run(config(server.url, timeout_s=0.5, retries=0), tmp_path)
    assert result.status == "failed"
    assert result.error_type == "BackendTimeout"
    assert result.wall_s < 3.0


def test_a_cut_stream_is_retried(server: OllamaStubServer, tmp_path: Path) -> None:
    """A stream cut mid-reply is sent again, and the run uses the answer of the retry."""
    server.update(cut_after_tokens=2, cut_mode="clean")

    async def go() -> RunResult:
        task = asyncio.create_task(arun(EXAMPLE, config(server.url), out=tmp_path))
        # Only the first request is cut: switch the fault off once it has been seen.
        while not server.chat_requests:
            await asyncio.sleep(0.01)
        server.update(cut_after_tokens=None)
        return await task

    result = asyncio.run(go())
    assert result.ok, result.error
    # The cut analyst call was sent again (and answered), then the writer's.
    outcomes = [r.outcome for r in server.chat_requests]
    assert outcomes[:2] == ["cut", "ok"] and set(outcomes[2:]) == {"ok"}
    assert result.analysis is not None
    assert result.analysis.key_findings[0].interpretation == ANALYST_WHY


def test_missing_model_fails_before_any_work(server: OllamaStubServer, tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="ollama pull llama3:8b"):
        run(config(server.url, model="llama3:8b"), tmp_path)
    assert not server.chat_requests
    assert not list(tmp_path.iterdir())


def test_unreachable_server_fails_before_any_work(refused_ollama_url: str, tmp_path: Path) -> None:
    with pytest.raises(BackendUnreachable, match="ollama serve"):
        run(config(refused_ollama_url), tmp_path)
    assert not list(tmp_path.iterdir())


def make_artifacts(root: Path, count: int) -> Path:
    """`count` artifacts in the bundled examples' shape: many models, configs and notes."""
    root.mkdir(parents=True)
    for i in range(count):
        model = f"model{i % 12}_{i}"
        kind = i % 3
        if kind == 0:
            rows = "\n".join(
                f"p{j},{0.1 + j / 100:.3f},{20 + i % 30 + j:.2f},0.5,0.1,2.0,{100 + j},400,"
                for j in range(6)
            )
            (root / f"{model}_baseline.csv").write_text(
                "prompt,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,eval_count,response_chars,error\n"
                + rows
                + "\n"
            )
        elif kind == 1:
            results = [
                {"prompt": f"p{j}", "ttft_ms": 200 + j, "tokens_per_second": 30 + j}
                for j in range(5)
            ]
            (root / f"bench_{i}.json").write_text(json.dumps({"model": model, "results": results}))
        else:
            (root / f"note_{i}.md").write_text(f"# Note {i}\nnum_gpu 40 gave 31 tok/s.\n")
    return root


@pytest.mark.parametrize("count", [0, 100])
def test_no_prompt_overflows_num_ctx_2048(
    server: OllamaStubServer, tmp_path: Path, count: int
) -> None:
    data = EXAMPLE if count == 0 else make_artifacts(tmp_path / "data", count)
    cfg = config(server.url, options=ModelOptions(num_ctx=2048))
    result = run(cfg, tmp_path / "out", data)
    assert result.ok, result.error
    for request in server.chat_requests:
        assert request.options["num_ctx"] == 2048
        assert request.reported is not None
        assert request.reported["prompt_eval_count"] < 2048
    assert not any(c.likely_truncated for c in result.llm_calls)


def test_a_small_context_shrinks_the_digest_and_says_so(
    server: OllamaStubServer, tmp_path: Path
) -> None:
    cfg = config(server.url, options=ModelOptions(num_ctx=1024))
    result = run(cfg, tmp_path)
    assert result.ok
    analyst = result.llm_calls[0]
    assert analyst.node == "analyst" and analyst.prompt_shrunk
    assert "left out to fit num_ctx" in result.prompts["analyst"]["user"]
    assert analyst.prompt_eval_count is not None and analyst.prompt_eval_count < 1024
    assert "prompt shortened to fit num_ctx" in render_report(result)


def test_a_prompt_the_server_cut_is_flagged(server: OllamaStubServer, tmp_path: Path) -> None:
    personas = tmp_path / "personas"
    personas.mkdir()
    (personas / "verbose.yaml").write_text(
        "name: verbose\ntitle: Verbose\nrole: writer\n"
        f'system_prompt: "{"Be thorough. " * 900}"\n'
        "task_template: 'Data: {digest}'\n"
    )
    cfg = config(
        server.url,
        options=ModelOptions(num_ctx=2048),
        personas_dirs=[personas],
        personas={"writer": "verbose"},
        ingest=IngestOptions(),
    )
    result = run(cfg, tmp_path / "out")
    assert result.ok
    writer_call = result.llm_calls[1]
    assert writer_call.prompt_eval_count == 2048  # the stub truncates like Ollama
    assert writer_call.likely_truncated
    assert "prompt likely truncated" in render_report(result)
