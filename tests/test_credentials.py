"""A password in a server URL (`http://alice:S3cretPass@host`) is used to connect and
written nowhere: not in any file of a run, comparison or sweep folder (reports, pages,
run.json, request.json, checkpoints, summaries, best.yaml), not on stderr, not in logs.
A resumed run reads it back from the config file it started with.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from stub_replies import ANALYST_JSON, EXAMPLE, REPORT

from chimera.backends.base import connection_url
from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig, load_agent_config
from chimera.errors import ConfigError
from chimera.escape import redact_url
from chimera.testing.ollama_server import (
    OllamaStubServer,
    StubBehaviour,
    reply_by_format,
    serve_ollama_stub,
)

PASSWORD = "S3cretPass"
BASIC = "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()


def with_password(url: str) -> str:
    return url.replace("http://", f"http://alice:{PASSWORD}@")


def chimera(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chimera", "--log-level", "info", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},
        timeout=300,
    )


def files_holding(folder: Path, secret: str) -> list[Path]:
    """Every file under `folder` whose bytes contain `secret` (sqlite files included)."""
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


@pytest.fixture
def server() -> OllamaStubServer:
    behaviour = StubBehaviour(reply=reply_by_format(ANALYST_JSON, REPORT), tokens=5)
    with serve_ollama_stub(behaviour) as stub:
        yield stub


def write_config(folder: Path, url: str, name: str = "agent.yaml") -> Path:
    path = folder / name
    path.write_text(
        f"name: Cred Agent\nbackend: ollama\nmodel: gemma3\nbase_url: {with_password(url)}\n"
        "timeout_s: 30\nretries: 0\n"
    )
    return path


def test_redact_url_hides_user_info_wherever_a_url_appears() -> None:
    assert redact_url("http://alice:S3cretPass@127.0.0.1:11500") == "http://***@127.0.0.1:11500"
    assert redact_url("at https://tok@h:1/v1 (x)") == "at https://***@h:1/v1 (x)"
    # An unencoded @ in the password: all of it is hidden, as urlsplit reads it.
    assert redact_url("http://a:p@ss@h:1") == "http://***@h:1"
    assert redact_url("http://h:1/q?a=b@c mail bob@x.org") == "http://h:1/q?a=b@c mail bob@x.org"


def test_a_run_a_comparison_and_a_sweep_write_and_print_no_password(
    server: OllamaStubServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, server.url)
    outputs = [
        chimera("run", str(EXAMPLE), "--config", str(config), cwd=tmp_path),
        chimera("compare", str(EXAMPLE), "--a", str(config), "--b", str(config),
                "--runs", "1", "--solo-runs", "0", cwd=tmp_path),
        chimera("sweep", str(EXAMPLE), "--config", str(config),
                "--grid", "temperature=0.2,0.8", "--runs", "1", cwd=tmp_path),
    ]  # fmt: skip
    for done in outputs:
        assert done.returncode == 0, done.stderr
        assert PASSWORD not in done.stderr + done.stdout
    assert "http://***@127.0.0.1" in outputs[2].stderr  # the sweep names its host, redacted
    folders = [tmp_path / "runs", tmp_path / "comparisons", tmp_path / "sweeps"]
    assert all(any(f.rglob("run.json")) for f in folders)
    assert [files_holding(f, PASSWORD) for f in folders] == [[], [], []]
    # The password reached the server: the credentials were used, not dropped.
    chats = server.chat_requests
    assert chats and all(r.authorization == BASIC for r in chats)


def test_an_error_naming_the_server_does_not_print_its_password(tmp_path: Path) -> None:
    with serve_ollama_stub(models=("other:latest",)) as stub:
        config = write_config(tmp_path, stub.url)
        done = chimera("run", str(EXAMPLE), "--config", str(config), cwd=tmp_path)
    assert done.returncode == 3
    assert "model 'gemma3' is not available at http://***@127.0.0.1" in done.stderr
    assert PASSWORD not in done.stderr


def test_a_resumed_run_reads_the_password_from_its_config_file(
    server: OllamaStubServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, server.url)
    server.update(fail_next=1, fail_status=500)  # the analyst's call fails: the run stops
    first = chimera("run", str(EXAMPLE), "--config", str(config), cwd=tmp_path)
    assert first.returncode == 3, first.stderr
    (run_dir,) = (tmp_path / "runs").glob("*_cred-agent")
    assert "http://***@127.0.0.1" in (run_dir / "request.json").read_text()
    before = len(server.chat_requests)
    done = chimera("resume", str(run_dir), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    resumed = server.chat_requests[before:]
    assert resumed and all(r.authorization == BASIC for r in resumed)
    assert files_holding(tmp_path / "runs", PASSWORD) == []
    assert PASSWORD not in first.stderr + done.stderr


def test_without_its_config_file_a_resume_says_where_the_password_went(tmp_path: Path) -> None:
    source = tmp_path / "agent.yaml"
    source.write_text(f"name: X\nbackend: ollama\nbase_url: {with_password('http://h:1')}\n")
    written = load_agent_config(source).model_dump_json()
    assert PASSWORD not in written
    read_back = AgentConfig.model_validate_json(written)
    host = backend_spec(read_back).hosts(read_back)[0]
    assert host == "http://***@h:1"
    assert connection_url(read_back, host) == with_password("http://h:1")
    source.unlink()
    with pytest.raises(ConfigError, match=r"credentials of http://\*\*\*@h:1 are not stored"):
        connection_url(read_back, host)
