"""What comes from outside a run's own files (the environment, a server's answers) cannot
crash Chimera or hold it up: a malformed OLLAMA_HOST is one line and only for the backend
that reads it, every server check has an overall deadline however slowly a server drips its
answer, and a server that lies about its loaded model is "not measured", never a crash.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from stub_replies import ANALYST_JSON, EXAMPLE, REPORT

from chimera.backends.ollama import CHECK_TIMEOUT_S, OllamaBackend, loaded_model
from chimera.config.agent import AgentConfig
from chimera.errors import BackendTimeout
from chimera.sweep.execution import asweep, plan_sweep
from chimera.sweep.records import read_journal
from chimera.testing.ollama_server import (
    OllamaStubServer,
    StubBehaviour,
    reply_by_format,
    serve_ollama_stub,
)

# A deadline short enough for a test; the stub drips a byte a second, so without a deadline
# each answer (hundreds of bytes) would take minutes.
DEADLINE_S = 1.0


def config(url: str, **extra: object) -> AgentConfig:
    return AgentConfig(name="Stub Agent", backend="ollama", base_url=url, **extra)  # type: ignore[arg-type]


def chimera(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter: `ollama` reads OLLAMA_HOST when it is imported."""
    return subprocess.run(
        [sys.executable, "-m", "chimera", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=cwd,
        timeout=300,
    )


# -- OLLAMA_HOST -------------------------------------------------------------------------------


def test_a_malformed_ollama_host_does_not_touch_a_backend_that_never_reads_it(
    tmp_path: Path,
) -> None:
    """The fake (like the embedded) backend runs as if OLLAMA_HOST were not set."""
    (tmp_path / "fake.yaml").write_text("name: Fake Agent\nbackend: fake\nmodel: fake\n")
    done = chimera(
        "run", str(EXAMPLE), "--config", "fake.yaml",
        env={"OLLAMA_HOST": "127.0.0.1:99999"}, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip().endswith("report.md")


def test_a_malformed_ollama_host_is_one_line_for_the_ollama_backend(tmp_path: Path) -> None:
    """Even with base_url set (the ollama client parses the variable at import anyway)."""
    with serve_ollama_stub() as server:
        (tmp_path / "o.yaml").write_text(
            f"name: O\nbackend: ollama\nmodel: gemma3\nbase_url: {server.url}\n"
        )
        done = chimera(
            "run", str(EXAMPLE), "--config", "o.yaml",
            env={"OLLAMA_HOST": "127.0.0.1:99999"}, cwd=tmp_path,
        )  # fmt: skip
        assert not server.chat_requests  # refused before any model call
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "OLLAMA_HOST='127.0.0.1:99999'" in lines[0], done.stderr


# -- deadlines ---------------------------------------------------------------------------------


@pytest.fixture
def dripping_server() -> OllamaStubServer:
    server = OllamaStubServer(StubBehaviour(drip_s=1.0, fault_paths=("/api/tags", "/api/ps")))
    return server


def test_the_preflight_of_a_dripping_server_ends_at_its_deadline(
    dripping_server: OllamaStubServer,
) -> None:
    """Each byte arrives within httpx's read timeout; the check still stops at its deadline."""
    with dripping_server as server:
        backend = OllamaBackend(config(server.url, timeout_s=DEADLINE_S), server.url)
        with pytest.raises(BackendTimeout) as caught:
            asyncio.run(backend.check())
    assert "list its models" in caught.value.one_line()
    assert f"{DEADLINE_S:g} s allowed" in caught.value.one_line()


def test_the_check_deadline_is_the_documented_five_seconds() -> None:
    assert CHECK_TIMEOUT_S == 5.0


def test_a_dripping_api_ps_leaves_the_residency_not_measured(
    dripping_server: OllamaStubServer,
) -> None:
    with dripping_server as server:
        found = asyncio.run(loaded_model(config(server.url, timeout_s=DEADLINE_S), server.url))
        # The server was still dripping its answer when the client gave up on it.
        assert [r.finished_at for r in server.requests if r.path == "/api/ps"] == [None]
    assert found is None


# -- a lying /api/ps ---------------------------------------------------------------------------


def entry(**numbers: object) -> dict[str, object]:
    return {"name": "gemma3:latest", "model": "gemma3:latest", **numbers}


@pytest.mark.parametrize(
    "lie",
    [
        entry(size=float("inf"), size_vram=1),
        entry(size=10, size_vram=float("nan")),
        entry(size=-5, size_vram=-5),
        entry(size=10, size_vram=20),
        entry(size=2**70, size_vram=2**70),
        entry(size="lots", size_vram=1),
        entry(size=10, size_vram=10, context_length=float("inf")),
        entry(size=10, size_vram=10, context_length=True),
    ],
    ids=["inf", "nan", "negative", "vram>size", "2^70", "text", "inf-context", "bool-context"],
)
def test_a_lying_api_ps_is_not_measured(lie: dict[str, object]) -> None:
    with serve_ollama_stub(ps_models=(lie,)) as server:
        assert asyncio.run(loaded_model(config(server.url), server.url)) is None


def test_an_honest_api_ps_is_still_read() -> None:
    honest = entry(size=100, size_vram=25, context_length=2048)
    with serve_ollama_stub(ps_models=(honest,)) as server:
        found = asyncio.run(loaded_model(config(server.url), server.url))
    assert found is not None
    assert (found.vram_share, found.context_length) == (0.25, 2048)


def test_a_sweep_against_a_lying_api_ps_finishes_every_run(tmp_path: Path) -> None:
    """An infinite size aborted the sweep (OverflowError) after a run had finished."""
    lie = entry(size=float("inf"), size_vram=float("inf"), context_length=1e999)
    behaviour = StubBehaviour(reply=reply_by_format(ANALYST_JSON, REPORT), tokens=5)
    with serve_ollama_stub(behaviour, ps_models=(lie,)) as server:
        plan = plan_sweep(
            EXAMPLE, config(server.url, timeout_s=30), grid=["temperature=0.2,0.8"], runs=1
        )
        result = asyncio.run(asweep(plan, out=tmp_path))
    out = Path(result.out_dir or "")
    records = list(read_journal(out).values())
    assert len(records) == 3 and all(r.status == "ok" for r in records)  # 2 cells + base
    assert all(r.residency is None for r in records)
    assert (out / "summary.md").is_file()
