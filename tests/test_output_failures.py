"""When output cannot be written, or what a resume needs is damaged: one line, a documented exit.

Disk full is simulated for real in a child process: RLIMIT_FSIZE caps the size of any file
it writes (with SIGXFSZ ignored, a write past the cap fails with EFBIG, as a full disk
fails with ENOSPC), so SQLite and Chimera's own writes both hit it.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from chimera.comparison.execution import acompare
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.execution.runner import arun

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


def fake(name: str = "Disk", temperature: float = 0.5) -> AgentConfig:
    return AgentConfig(name=name, backend="fake", options=ModelOptions(temperature=temperature))


def chimera(*args: str, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "chimera", *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in lines[0]
    return lines[0]


def fake_config(tmp_path: Path) -> Path:
    path = tmp_path / "fake.yaml"
    path.write_text("name: Disk\nbackend: fake\n")
    return path


@pytest.mark.parametrize(("limit", "file"), [(100, "request.json"), (20_000, "checkpoints")])
def test_a_full_disk_during_a_run_is_exit_4_naming_the_file(
    tmp_path: Path, limit: int, file: str
) -> None:
    config = fake_config(tmp_path)
    result = chimera(
        "run", str(EXAMPLE), "-c", str(config), "-o", str(tmp_path / "runs"), file_limit=limit
    )
    assert result.returncode == 4
    line = one_error_line(result)
    assert "cannot write" in line and file in line and "free disk space" in line


def test_a_full_disk_during_a_comparison_is_exit_4_and_says_how_to_go_on(tmp_path: Path) -> None:
    config = fake_config(tmp_path)
    result = chimera(
        "compare",
        str(EXAMPLE),
        "--a",
        str(config),
        "--b",
        str(config),
        "-o",
        str(tmp_path / "cmp"),
        file_limit=40_000,
    )
    assert result.returncode == 4
    line = one_error_line(result)
    assert "cannot write" in line and "chimera resume" in line


def test_an_out_folder_that_cannot_be_written_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker / "runs", Path("/sys")):  # under a file; a read-only file system
        if out == Path("/sys") and (not out.is_dir() or os.access(out, os.W_OK)):
            continue
        result = chimera("run", str(EXAMPLE), "-c", str(fake_config(tmp_path)), "-o", str(out))
        assert result.returncode == 2, result.stderr
        assert str(out.parent if out.parent != blocker else blocker) in one_error_line(result)


def interrupted_run(tmp_path: Path) -> Path:
    result = asyncio.run(arun(EXAMPLE, fake(), out=tmp_path / "runs"))
    assert result.run_dir is not None
    (result.run_dir / "report.md").unlink()
    return result.run_dir


def test_resume_with_a_damaged_request_is_exit_2(tmp_path: Path) -> None:
    folder = interrupted_run(tmp_path)
    (folder / "request.json").write_text('{"data_dir": ')
    result = chimera("resume", str(folder))
    assert result.returncode == 2
    assert "request.json is damaged" in one_error_line(result)


def test_resume_with_damaged_checkpoints_is_exit_2_saying_how_to_start_over(
    tmp_path: Path,
) -> None:
    folder = interrupted_run(tmp_path)
    for extra in folder.glob("checkpoints.sqlite-*"):
        extra.unlink()
    (folder / "checkpoints.sqlite").write_bytes(b"this is not sqlite" * 100)
    result = chimera("resume", str(folder))
    assert result.returncode == 2
    line = one_error_line(result)
    assert "damaged" in line and "mv " in line


def test_resume_without_checkpoints_runs_from_the_start(tmp_path: Path) -> None:
    folder = interrupted_run(tmp_path)
    for db in folder.glob("checkpoints.sqlite*"):
        db.unlink()
    result = chimera("resume", str(folder))
    assert result.returncode == 0, result.stderr
    assert (folder / "report.md").is_file()


def test_resume_of_a_comparison_with_a_damaged_plan_is_exit_2(tmp_path: Path) -> None:
    result = asyncio.run(acompare(EXAMPLE, [fake("A"), fake("B", 0.9)], runs=1, out=tmp_path))
    folder = Path(result.out_dir or "")
    (folder / "plan.json").write_text("[]")
    resumed = chimera("resume", str(folder))
    assert resumed.returncode == 2
    assert "plan.json is damaged" in one_error_line(resumed)


def test_a_repetition_with_damaged_metrics_is_set_aside_and_run_again(tmp_path: Path) -> None:
    result = asyncio.run(acompare(EXAMPLE, [fake("A"), fake("B", 0.9)], runs=2, out=tmp_path))
    folder = Path(result.out_dir or "")
    (folder / "run_2" / "metrics.json").write_text('{"index": 2, "warm')  # cut short
    resumed = chimera("resume", str(folder))
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((folder / "run_2" / "metrics.json").read_text())["index"] == 2
    assert [p.name.split("-", 2)[0] for p in folder.glob("damaged-*")] == ["damaged"]


def test_output_files_get_the_users_usual_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        result = asyncio.run(arun(EXAMPLE, fake(), out=tmp_path))
    finally:
        os.umask(previous)
    assert result.run_dir is not None
    for name in ("report.md", "run.json", "request.json", ".chimera.json"):
        mode = stat.S_IMODE((result.run_dir / name).stat().st_mode)
        assert mode == 0o644, (name, oct(mode))


def test_a_plan_written_with_a_bootstrap_seed_still_resumes(tmp_path: Path) -> None:
    # Plans written while verdicts came from a seeded bootstrap hold a `seed` (even -1,
    # before it was checked); intervals are Student-t now and need none, so it is ignored.
    result = asyncio.run(acompare(EXAMPLE, [fake("A"), fake("B", 0.9)], runs=1, out=tmp_path))
    folder = Path(result.out_dir or "")
    plan = json.loads((folder / "plan.json").read_text())
    (folder / "plan.json").write_text(json.dumps({**plan, "seed": -1}))
    (folder / "run_1" / "metrics.json").unlink()
    resumed = chimera("resume", str(folder))
    assert resumed.returncode == 0, resumed.stderr
    assert (folder / "run_1" / "metrics.json").is_file()  # the repetition ran again
    assert list(folder.glob("interrupted-*-run_1"))  # and its first attempt was set aside
