"""One process per run or comparison folder: a second `chimera resume` fails at once.

The lock is an flock held by the process working in the folder (chimera.execution.runstore
`folder_lock`). Here the test process holds it, as a first `chimera resume` would, and a
real second `chimera` process tries the same folder.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chimera.comparison.execution import acompare
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.errors import FolderInUse
from chimera.execution.runner import arun
from chimera.execution.runstore import folder_lock

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


def fake(name: str, temperature: float = 0.5) -> AgentConfig:
    return AgentConfig(name=name, backend="fake", options=ModelOptions(temperature=temperature))


def unfinished_run(tmp_path: Path) -> Path:
    """A run folder that looks interrupted before its report was written."""
    result = asyncio.run(arun(EXAMPLE, fake("Locked"), out=tmp_path / "runs"))
    assert result.run_dir is not None
    (result.run_dir / "report.md").unlink()
    return result.run_dir


def unfinished_comparison(tmp_path: Path) -> Path:
    result = asyncio.run(acompare(EXAMPLE, [fake("A"), fake("B", 0.9)], runs=2, out=tmp_path))
    folder = Path(result.out_dir or "")
    (folder / "run_2" / "metrics.json").unlink()
    return folder


def resume(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chimera", "resume", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("make", [unfinished_run, unfinished_comparison])
def test_a_second_resume_of_a_busy_folder_fails_at_once_with_one_line(
    make: Callable[[Path], Path], tmp_path: Path
) -> None:
    folder = make(tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    with folder_lock(folder):
        second = resume(folder)
    assert second.returncode == 2
    assert second.stdout == ""
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), second.stderr
    assert "in use by another Chimera process" in lines[0]
    assert "Traceback" not in second.stderr
    assert sorted(p.name for p in folder.iterdir()) == before  # it touched nothing


@pytest.mark.parametrize("make", [unfinished_run, unfinished_comparison])
def test_once_the_first_process_is_done_the_folder_can_be_resumed(
    make: Callable[[Path], Path], tmp_path: Path
) -> None:
    folder = make(tmp_path)
    with folder_lock(folder):
        pass
    finished = resume(folder)
    assert finished.returncode == 0, finished.stderr
    assert Path(finished.stdout.strip().splitlines()[-1]).is_file()


def test_the_lock_names_the_process_holding_it(tmp_path: Path) -> None:
    import os

    held = pytest.raises(FolderInUse, match=f"pid {os.getpid()}")
    with folder_lock(tmp_path), held, folder_lock(tmp_path):
        pass
