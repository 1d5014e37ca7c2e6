"""Nothing lost: Ctrl-C keeps what finished and says how to resume; resume redoes nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import pytest
from langgraph.types import StateSnapshot
from pydantic import BaseModel

from chimera.config.agent import AgentConfig
from chimera.execution.checkpoints import CHECKPOINT_FILE, sqlite_checkpointer
from chimera.execution.result import RunResult
from chimera.execution.runner import (
    REQUEST_FILE,
    RunRequest,
    aresume_run,
    arun,
    execute,
    prepare,
)
from chimera.graphs.insight import build_insight_graph, compile_insight_graph
from chimera.state import ChimeraState
from chimera.testing.ollama_server import OllamaStubServer, reply_by_format

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
ANALYST_JSON = (
    '{"key_findings": [{"id": "F1", "why": "Offloading layers to the GPU pays off on every '
    'model."}],'
    ' "recommendations": [{"id": "R1", "why": "The gain holds on every model measured."}]}'
)
REPORT = "## 1. Executive Summary\nThroughput is steady.\n"


def chimera(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "chimera", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def write_config(tmp_path: Path, name: str, url: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nbackend: ollama\nbase_url: {url}\ntimeout_s: 30\n")
    return path


def analyst_calls(server: OllamaStubServer) -> int:
    return sum(1 for r in server.chat_requests if r.body.get("format"))


def test_ctrl_c_keeps_finished_nodes_and_resume_continues(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    ollama_server.update(reply=reply_by_format(ANALYST_JSON, REPORT), tokens=20, token_delay_s=0.1)
    config = write_config(tmp_path, "Resumable", ollama_server.url)
    out = tmp_path / "runs"
    proc = chimera("run", str(EXAMPLE), "--config", str(config), "--out", str(out))
    # Interrupt while the writer streams: the analyst has finished by then.
    wait_for(lambda: len(ollama_server.chat_requests) >= 2)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "chimera resume" in stderr
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]  # beside runs/index.html
    assert not (run_dir / "report.md").exists()
    saved = json.loads((run_dir / "run.json").read_text())
    assert saved["status"] == "interrupted"
    first = saved["analysis"]["key_findings"][0]
    assert (first["finding_id"], first["author"]) == ("F1", "model")
    assert first["interpretation"] == "Offloading layers to the GPU pays off on every model."

    ollama_server.update(token_delay_s=0.0)
    done = subprocess.run(
        [sys.executable, "-m", "chimera", "resume", str(run_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip().splitlines()[-1]) == run_dir / "report.md"
    assert analyst_calls(ollama_server) == 1  # the finished analyst was not run again
    final = json.loads((run_dir / "run.json").read_text())
    assert final["status"] == "ok" and final["resumed"] is True
    nodes = [c["node"] for c in final["llm_calls"]]
    assert nodes[0] == "analyst" and nodes.count("analyst") == 1  # not run again
    assert set(nodes[1:]) == {"writer"} and len(nodes) >= 4  # a call per section at least


@pytest.mark.slow  # over 10 s: `pytest --all` (and CI) runs it
def test_a_killed_comparison_resumes_without_redoing_finished_repetitions(
    tmp_path: Path,
) -> None:
    from chimera.testing.ollama_server import serve_ollama_stub

    reply = reply_by_format(ANALYST_JSON, REPORT)
    with (
        serve_ollama_stub(reply=reply, tokens=10, token_delay_s=0.03) as a,
        serve_ollama_stub(reply=reply, tokens=10, token_delay_s=0.03) as b,
    ):
        ca, cb = write_config(tmp_path, "A", a.url), write_config(tmp_path, "B", b.url)
        out = tmp_path / "cmp"
        args = ["compare", str(EXAMPLE), "--a", str(ca), "--b", str(cb), "--runs", "4"]
        proc = chimera(*args, "--out", str(out))
        wait_for(lambda: len(list(out.glob("*/run_2/metrics.json"))) == 1, timeout=120)
        proc.kill()  # a crash, not a polite stop
        proc.communicate(timeout=30)
        (folder,) = out.iterdir()
        finished = {p.parent.name: p.read_bytes() for p in folder.glob("run_*/metrics.json")}
        assert {"run_1", "run_2"} <= set(finished) and "run_4" not in finished
        requests_before = len(a.chat_requests)

        done = subprocess.run(
            [sys.executable, "-m", "chimera", "resume", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        summary = json.loads((folder / "summary.json").read_text())
        measured = [r for r in summary["repetitions"] if not r["warmup"] and not r["solo"]]
        reps = {f"run_{r['index']}": r for r in measured}
        assert sorted(reps) == ["run_1", "run_2", "run_3", "run_4"]
        for name, before in finished.items():
            # Finished repetitions kept byte for byte, and summarised as they were.
            assert (folder / name / "metrics.json").read_bytes() == before
            assert reps[name]["agents"] == json.loads(before)["agents"]
        # Only the unfinished repetitions ran again: one analyst call per run of A.
        unfinished = 4 - len(finished)
        analyst_calls_after = sum(
            1 for r in a.chat_requests[requests_before:] if r.body.get("format")
        )
        assert analyst_calls_after == unfinished
        assert summary["aggregates"]["A"]["throughput_tok_s"]["n"] == 4


def test_a_run_folder_written_before_the_layout_move_still_resumes(tmp_path: Path) -> None:
    """A checkpoint names types by their old modules (chimera.digest, ...); resume maps them."""
    import shutil

    fixture = REPO / "tests" / "fixtures" / "run_before_layout"
    run_dir = tmp_path / "old_run"
    shutil.copytree(fixture, run_dir)
    request = json.loads((run_dir / "request.json").read_text())
    request["data_dir"] = str(EXAMPLE)
    (run_dir / "request.json").write_text(json.dumps(request))
    done = subprocess.run(
        [sys.executable, "-m", "chimera", "resume", str(run_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    final = json.loads((run_dir / "run.json").read_text())
    assert final["status"] == "ok" and final["resumed"] is True
    # The analyst ran before the move; only the writer ran now.
    nodes = [c["node"] for c in final["llm_calls"]]
    assert nodes[0] == "analyst" and nodes.count("analyst") == 1  # not run again
    assert set(nodes[1:]) == {"writer"} and len(nodes) >= 4  # a call per section at least
    assert final["digest"]["rows_read"] > 0 and final["highlights"]
    assert (run_dir / "report.md").read_text().startswith("# Legacy Fake")


# ------------------------------------------------- in-process: checkpoints and equivalence


def fake_agent(name: str = "Resume Fake") -> AgentConfig:
    return AgentConfig(name=name, backend="fake", model="fake", retries=0)


async def saved_state(run_dir: Path) -> StateSnapshot:
    """The run's last checkpoint, read back through Chimera's own serializer."""
    request = RunRequest.model_validate_json((run_dir / REQUEST_FILE).read_text())
    async with sqlite_checkpointer(run_dir / CHECKPOINT_FILE) as saver:
        graph = compile_insight_graph(checkpointer=saver)
        return await graph.aget_state({"configurable": {"thread_id": request.thread_id}})


def assert_typed_as_declared(values: dict[str, Any]) -> None:
    """Every model-typed state field holds that model (or a list of it), never a dict."""
    hints = get_type_hints(ChimeraState, include_extras=False)
    for key, hint in hints.items():
        value = values[key]
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            assert type(value) is hint, (key, type(value))
        elif get_origin(hint) is list:
            (item,) = get_args(hint)
            assert value and all(type(v) is item for v in value), (key, value[:1])


def test_a_finished_runs_last_checkpoint_reads_back_as_the_same_typed_state(
    tmp_path: Path,
) -> None:
    """After verify, the checkpoint holds every state field as its model, equal to run.json's."""
    result = asyncio.run(arun(EXAMPLE, fake_agent(), out=tmp_path))
    assert result.ok and result.run_dir is not None, result.error
    snapshot = asyncio.run(saved_state(result.run_dir))
    assert snapshot.next == ()  # nothing left to run: this is the checkpoint after verify
    values = snapshot.values
    assert set(values) == set(get_type_hints(ChimeraState))  # every field was written
    assert_typed_as_declared(values)
    saved = RunResult.model_validate_json((result.run_dir / "run.json").read_text())
    for field in ("inventory", "digest", "highlights", "analysis", "report_body", "prompts"):
        assert values[field] == getattr(saved, field), field
    for field in ("figures_check", "compliance", "llm_calls", "node_timings"):
        assert values[field] == getattr(saved, field), field


def comparable(report: str) -> str:
    """report.md without what differs between any two runs: the date, times, metrics, the
    machine's load, and the line saying a run was resumed."""
    head, rest = report.split("## Metrics", 1)
    _, tail = rest.split("\n## ", 1)  # the Metrics section ends at the next heading
    kept = [
        line
        for line in head.splitlines()
        if not line.startswith(("**Date:**", "- Execution time:", "**Resumed:**", "- Host load"))
    ]
    return "\n".join(kept) + "\n## " + tail


def test_a_run_resumed_after_the_analyst_writes_the_report_a_fresh_run_writes(
    tmp_path: Path,
) -> None:
    """Stopped before the writer and resumed in a new context, the report matches a fresh one."""
    agent = fake_agent()
    fresh = asyncio.run(arun(EXAMPLE, agent, out=tmp_path / "fresh"))
    assert fresh.ok and fresh.report_path is not None, fresh.error

    run_dir = tmp_path / "resumed"
    run_dir.mkdir()
    request = RunRequest(
        data_dir=str(EXAMPLE), config=agent, personas_dirs=[], thread_id="stopped-early"
    )
    (run_dir / REQUEST_FILE).write_text(request.model_dump_json())

    async def stop_before_writer() -> None:
        _, personas, backend = await prepare(agent)
        async with sqlite_checkpointer(run_dir / CHECKPOINT_FILE) as saver:
            graph = build_insight_graph(agent.retries).compile(
                checkpointer=saver, interrupt_before=["writer"]
            )
            await execute(
                agent, personas, backend, EXAMPLE, checkpointer=saver,
                thread_id=request.thread_id, graph=graph,
            )  # fmt: skip

    asyncio.run(stop_before_writer())
    stopped = asyncio.run(saved_state(run_dir))
    assert stopped.next == ("writer",) and "analysis" in stopped.values
    assert "report_body" not in stopped.values

    resumed = asyncio.run(aresume_run(run_dir))
    assert resumed.ok and resumed.resumed and resumed.report_path is not None, resumed.error
    assert [c.node for c in resumed.llm_calls][0] == "analyst"
    assert {c.node for c in resumed.llm_calls[1:]} == {"writer"}
    fresh_md = fresh.report_path.read_text()
    resumed_md = resumed.report_path.read_text()
    assert comparable(resumed_md) == comparable(fresh_md)
    assert "**Resumed:** yes, 2 sessions" in resumed_md and "**Resumed:**" not in fresh_md
    # The parts the issue names, each present (so the comparison above compared something).
    for part in ("## Key Findings", "## 1. Executive Summary", "## What the Data Holds"):
        assert part in resumed_md
    for part in ("## Figures Check", "## Persona Compliance", "## Persona Prompt"):
        assert part in resumed_md
    assert resumed.prompts == fresh.prompts  # both prompts, exactly as sent
    fresh_sizes = [(c.node, c.prompt_eval_count, c.eval_count) for c in fresh.llm_calls]
    assert [(c.node, c.prompt_eval_count, c.eval_count) for c in resumed.llm_calls] == fresh_sizes
    assert resumed.highlights == fresh.highlights
    assert resumed.figures_check == fresh.figures_check
    assert resumed.compliance == fresh.compliance
