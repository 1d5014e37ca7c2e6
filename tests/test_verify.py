"""`chimera verify`: a run's report, or an edited copy of it, checked again against the run's
data; every part but Chimera's own sections is read, headings inside quoted prompts are not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chimera.cli import app
from chimera.config.agent import AgentConfig
from chimera.execution.reverify import load_run
from chimera.execution.runner import run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"
cli = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    result = run(EXAMPLE, AgentConfig(name="Verified", backend="fake", model="m"), out=out)
    assert result.run_dir is not None
    return result.run_dir


def verify(*args: str) -> tuple[int, str]:
    outcome = cli.invoke(app, ["verify", *args])
    return outcome.exit_code, outcome.stdout


def test_the_runs_own_report_traces_and_exits_0(run_dir: Path) -> None:
    code, out = verify(str(run_dir))
    assert code == 0, out
    assert out.startswith("Traced ") and "(100.0 %)" in out.splitlines()[0]


def _first_rate(text: str) -> str:
    """The first 'NNN.NN tok/s' figure of `text`, as written."""
    found = re.search(r"\b\d+\.\d\d(?= tok/s)", text)
    assert found is not None, text[:300]
    return found.group(0)


def test_an_edited_figure_is_found_and_exits_1(run_dir: Path, tmp_path: Path) -> None:
    report = (run_dir / "report.md").read_text()
    body = report.index("## 1. Executive Summary")
    old = _first_rate(report[body:])
    new = f"{float(old) + 5.06:.2f}"
    edited = report[:body] + report[body:].replace(old, new, 1)
    (tmp_path / "edited.md").write_text(edited)
    code, out = verify(str(run_dir), "--text", str(tmp_path / "edited.md"), "--json")
    assert code == 1
    data = json.loads(out)
    untraced = [c for c in data["claims"] if c["status"] == "untraced"]
    assert [c["text"] for c in untraced][:1] == [f"{new} tok/s"]
    assert data["traced"] == data["total"] - len(untraced)


def test_a_report_written_before_times_read_in_seconds_still_verifies(tmp_path: Path) -> None:
    """A run's report from before chimera.findings.duration says "- Total Duration: 13294.03
    ms" where today's rendering of its run.json says "13.29 s": the same line, not an edit (it was
    checked as one, and untraced, so every such run failed `chimera verify`); an edited time
    is still checked."""
    result = run(EXAMPLE, AgentConfig(name="Old", backend="fake", model="m"), out=tmp_path)
    assert result.run_dir is not None
    folder = result.run_dir
    record = json.loads((folder / "run.json").read_text())
    record["metrics"]["total_duration_ms"] = 13294.03
    (folder / "run.json").write_text(json.dumps(record))
    report = (folder / "report.md").read_text()
    old = re.sub(r"- Total Duration: .*", "- Total Duration: 13294.03 ms", report)
    (folder / "report.md").write_text(old)
    code, out = verify(str(folder))
    assert code == 0, out
    (tmp_path / "edited.md").write_text(old.replace("13294.03 ms", "14294.03 ms"))
    code, out = verify(str(folder), "--text", str(tmp_path / "edited.md"))
    assert code == 1 and "14294.03 ms" in out


def test_a_section_a_reader_added_is_checked_too(run_dir: Path, tmp_path: Path) -> None:
    report = (run_dir / "report.md").read_text()
    added = report + "\n## Conclusion\nOn gemma3:270m, gpu80_ctx2048 reaches 999.99 tok/s.\n"
    (tmp_path / "added.md").write_text(added)
    code, out = verify(str(run_dir), "--text", str(tmp_path / "added.md"))
    assert code == 1 and "untraced: 999.99 tok/s (report)" in out


def test_a_plain_text_is_checked_whole(run_dir: Path, tmp_path: Path) -> None:
    digest = load_run(run_dir).digest
    assert digest is not None
    stats = digest.find("tokens_per_s", "model", "gemma3:270m")
    assert stats is not None and stats.n >= 10
    line = f"gemma3:270m averages {stats.mean:.2f} tok/s (n={stats.n}).\n"
    (tmp_path / "t.txt").write_text(line)
    code, out = verify(str(run_dir), "--text", str(tmp_path / "t.txt"), "--json")
    assert code == 0 and json.loads(out)["total"] == 2


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, run_dir: Path) -> None:
    code, _ = verify(str(tmp_path))
    assert code == 2
    code, _ = verify(str(run_dir), "--text", str(tmp_path / "missing.md"))
    assert code == 2


def test_both_verify_paths_give_the_same_figures_and_compliance(run_dir: Path) -> None:
    """`verify RUN` and `verify RUN --text RUN/report.md` read the same file the same way:
    compliance is judged on the sections the model wrote, whichever path."""
    _, own = verify(str(run_dir), "--json")
    _, text = verify(str(run_dir), "--text", str(run_dir / "report.md"), "--json")
    assert json.loads(own) == json.loads(text)
    assert "compliance" in json.loads(own)


@pytest.mark.parametrize(
    ("section", "old", "new"),
    [
        ("## What the Data Holds", " rows that loaded", "1 rows that loaded"),
        ("## Key Findings", "gemma3:4b 33.73", "gemma3:1b-it-qat 33.73"),  # a swapped model
        ("## Key Findings", "250.17", "255.17"),
        ("## 2. Optimisation Recommendations", " tok/s", "0 tok/s"),
        ("## Workflow Summary", "- Files analyzed: ", "- Files analyzed: 10"),
        ("## Metrics", " tok/s", "1 tok/s"),
        ("### Other Findings", " tok/s", "1 tok/s"),
    ],
)
def test_an_edit_in_any_section_of_the_report_is_caught(
    run_dir: Path, tmp_path: Path, section: str, old: str, new: str
) -> None:
    """Every section of an edited report.md is checked: a changed figure in Chimera's own
    sections (read against the report Chimera renders from run.json) too."""
    report = (run_dir / "report.md").read_text()
    at = report.index(section)
    end = report.find("\n## ", at + 1)
    assert old in report[at:end], (section, old)
    edited = report[:at] + report[at:end].replace(old, new, 1) + report[end:]
    (tmp_path / "edited.md").write_text(edited)
    code, out = verify(str(run_dir), "--text", str(tmp_path / "edited.md"), "--json")
    assert code == 1, out
    untraced = [c for c in json.loads(out)["claims"] if c["status"] == "untraced"]
    assert untraced and all(c["traced_by"] for c in untraced)


def test_a_report_all_chimera_wrote_has_no_persona_score(run_dir: Path, tmp_path: Path) -> None:
    """Where every body section is Chimera's (the model's drafts all rejected), the persona
    has no text of the model's to judge: verify said "Met 0 of 7 requirements (0.0 %)",
    as if a text had failed them, while the report said none was kept."""
    report = (run_dir / "report.md").read_text(encoding="utf-8")
    mine = "_Written by Chimera from the computed findings; the model's draft was rejected._\n\n"
    edited = re.sub(r"(## [123]\. [^\n]*\n)(?!_Written by Chimera)", lambda m: m[1] + mine, report)
    (tmp_path / "report.md").write_text(edited, encoding="utf-8")
    code, out = verify(str(run_dir), "--text", str(tmp_path / "report.md"))
    assert "none of the model's text was kept, none to judge" in out, out
    assert "Met 0 of" not in out
    _, as_json = verify(str(run_dir), "--text", str(tmp_path / "report.md"), "--json")
    assert json.loads(as_json)["compliance"] is None
