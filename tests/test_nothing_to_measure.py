"""A folder with nothing to measure (the bundled notes alone): the report says so plainly,
no model is asked, and nothing in it contradicts the folder (issue 24 item 4)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from chimera.backends.fake import FakeBackend
from chimera.config.agent import AgentConfig
from chimera.execution.runner import arun

NOTES = Path(__file__).resolve().parents[1] / "examples" / "data" / "notes"


def test_a_notes_only_folder_asks_no_model_and_says_there_is_nothing_to_measure(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(NOTES, data / "notes")
    backend = FakeBackend()
    config = AgentConfig(name="Notes", backend="fake", model="fake")
    result = asyncio.run(arun(data, config, out=tmp_path / "runs", backend=backend))
    assert result.ok, result.error
    assert backend.calls == [] and result.llm_calls == []
    assert [s.title for s in result.sections] == ["Nothing to measure"]
    report = (result.report_path or Path()).read_text()
    assert "no model was asked" in report
    assert "- No model was called in this run" in report
    # every note is named, and no risk row or recommendation pretends otherwise
    for note in NOTES.glob("*.md"):
        title = note.read_text().splitlines()[0].lstrip("# ").strip()
        assert title.split(":")[0] in report
    assert "Risk" not in report and "## Recommendations" not in report
    assert result.compliance is None
