"""The openai backend against a REAL OpenAI-compatible server: llama-cpp-python's own server
(`python -m llama_cpp.server`) serving the bundled Gemma 3 270M GGUF on a free loopback port,
started and stopped here. A run end to end, the embedded model against the served one in a
comparison, a sweep of temperature, and a server killed mid-stream (one line, nothing lost,
resumable). Nothing is stubbed between Chimera and llama.cpp.

The data is a small CSV so the prompts, and so each run, stay short on 2 shared cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chimera.backends._model_source import default_model_path
from chimera.testing.llama_server import LlamaCppServer, serve_llama_cpp

MODEL = "gemma3-270m"
DATA = (
    "model,num_gpu,tokens_per_s,ttft_ms\n"
    "gemma3:1b,0,41.8,310\ngemma3:1b,0,42.4,305\ngemma3:1b,0,41.1,312\n"
    "gemma3:1b,80,88.0,120\ngemma3:1b,80,87.5,118\ngemma3:1b,80,88.9,121\n"
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    (folder / "data").mkdir()
    (folder / "data" / "bench.csv").write_text(DATA)
    return folder


@pytest.fixture(scope="module")
def served(workdir: Path) -> Iterator[LlamaCppServer]:
    with serve_llama_cpp(
        default_model_path(), alias=MODEL, log_path=workdir / "server.log"
    ) as server:
        yield server


def served_config(folder: Path, url: str, *, num_predict: int = 48, retries: int = 1) -> Path:
    path = folder / "served.yaml"
    path.write_text(
        f"name: Served Agent\nbackend: openai\nmodel: {MODEL}\nbase_url: {url}\n"
        f"options: {{temperature: 0.2, seed: 7, num_predict: {num_predict}, num_ctx: 4096}}\n"
        f"timeout_s: 120\nretries: {retries}\n"
    )
    return path


def chimera(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chimera", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},
        timeout=900,
    )


def test_a_run_end_to_end_on_the_served_model(served: LlamaCppServer, workdir: Path) -> None:
    config = served_config(workdir, served.url)
    done = chimera("run", "data", "--config", str(config), "--out", "runs-e2e", cwd=workdir)
    assert done.returncode == 0, done.stderr
    run_dir = Path(done.stdout.strip().splitlines()[-1]).parent
    run = json.loads((workdir / run_dir / "run.json").read_text())
    assert run["status"] == "ok" and run["config"]["backend"] == "openai"
    calls = run["llm_calls"]
    assert calls and all(c["backend"] == "openai" and c["host"] == served.url for c in calls)
    # llama-cpp-python's server sends neither usage nor timings in a stream: the counts are
    # not measured, the rates are, client-side.
    assert all(c["eval_count"] is None and c["load_duration_ms"] is None for c in calls)
    measured = [c for c in calls if c["decode_tok_s"] is not None]
    assert measured and all(c["throughput_from"] == "client" for c in measured)
    assert all(c["ttft_ms"] is not None and c["ttft_ms"] > 0 for c in calls)
    report = (workdir / run_dir / "report.md").read_text()
    assert "- Load Duration: not measured" in report
    assert f"openai @ {served.url}" in report
    assert served.chat_requests() >= len(calls)


def test_the_embedded_model_against_the_served_one_in_a_comparison(
    served: LlamaCppServer, workdir: Path
) -> None:
    served_yaml = served_config(workdir, served.url)
    embedded = workdir / "embedded.yaml"
    embedded.write_text(
        "name: Embedded Agent\nbackend: embedded\n"
        "options: {temperature: 0.2, seed: 7, num_predict: 48, num_ctx: 4096}\n"
        "timeout_s: 120\nretries: 1\n"
    )
    done = chimera(
        "compare", "data", "--a", str(embedded), "--b", str(served_yaml),
        "--runs", "1", "--mode", "sequential", "--out", "comparisons", cwd=workdir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in (workdir / "comparisons").iterdir() if p.is_dir()]
    summary = json.loads((folder / "summary.json").read_text())
    hosts = summary["hosts"]
    assert list(hosts["A"]) == ["embedded"] and list(hosts["B"]) == [served.url]
    throughput = summary["aggregates"]
    assert all(throughput[side]["throughput_tok_s"]["n"] == 1 for side in ("A", "B"))
    assert "Served Agent" in (folder / "summary.md").read_text()


def test_a_sweep_of_temperature_on_the_served_model(served: LlamaCppServer, workdir: Path) -> None:
    config = served_config(workdir, served.url)
    done = chimera(
        "sweep", "data", "--config", str(config), "--grid", "temperature=0.2,0.9",
        "--runs", "1", "--out", "sweeps", cwd=workdir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in (workdir / "sweeps").iterdir() if p.is_dir()]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["runs_total"] == 2  # the base (0.2) is a cell of the grid
    temperatures = sorted(
        json.loads(path.read_text())["config"]["options"]["temperature"]
        for path in folder.glob("cells/*/run_*/run.json")
    )
    assert temperatures == [0.2, 0.9]
    # A key the server ignores is refused before anything runs.
    refused = chimera("sweep", "data", "--config", str(config), "--grid", "num_gpu=0,80",
                      "--dry-run", cwd=workdir)  # fmt: skip
    assert refused.returncode == 2
    assert "num_gpu does not apply to the openai backend" in refused.stderr


def test_a_server_killed_mid_stream_is_one_line_and_the_run_resumes(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bench.csv").write_text(DATA)
    server = LlamaCppServer(default_model_path(), MODEL, tmp_path / "server.log").start()
    try:
        # Long replies: the kill lands inside a stream, not between two calls.
        config = served_config(tmp_path, server.url, num_predict=400, retries=0)
        env = {**os.environ, "COLUMNS": "300"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "chimera", "run", "data", "--config", str(config)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 600
        while server.chat_requests() < 2:  # the analyst's call done, the writer's streaming
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, server.log_tail()
            time.sleep(0.1)
        time.sleep(0.5)
        server.kill()
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        server.stop()
    assert proc.returncode == 3, stderr
    assert "Traceback" not in stderr
    error = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and server.url in error[0], stderr
    (run_dir,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    failed = json.loads((run_dir / "run.json").read_text())
    assert failed["status"] == "failed" and failed["llm_calls"]  # the finished call is kept
    kept = failed["llm_calls"][0]

    server.start()  # again, on the same port
    try:
        done = chimera("resume", str(run_dir), cwd=tmp_path)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    resumed = json.loads((run_dir / "run.json").read_text())
    assert resumed["status"] == "ok" and resumed["sessions"] == 2
    assert resumed["llm_calls"][0] == kept  # the call before the kill, not made again
    assert (run_dir / "report.md").is_file()
