"""`chimera findings` and `chimera.analyse`: the digest and the findings with no model call."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

import chimera
from chimera.cli import app
from chimera.config.agent import AgentConfig
from chimera.execution.data_findings import FINDINGS_SCHEMA_VERSION
from chimera.execution.runner import arun

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
runner = CliRunner()


def test_analyse_gives_the_findings_a_run_computes(tmp_path: Path) -> None:
    """The same findings, in the same order, as the ingest node of a run computes."""
    analysed = chimera.analyse(EXAMPLE)
    assert isinstance(analysed, chimera.DataFindings)
    config = AgentConfig(name="Same", backend="fake", model="fake")
    run = asyncio.run(arun(EXAMPLE, config, out=None, progress=None))
    assert [(f.id, f.text) for f in analysed.findings] == [(f.id, f.text) for f in run.findings]
    assert analysed.highlight_ids == [h.finding_id for h in run.highlights]
    assert analysed.inventory.total_files == 26


def test_text_lists_findings_with_id_verdict_sources_and_what_was_not_read() -> None:
    result = runner.invoke(app, ["findings", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0].startswith(f"{EXAMPLE}: 26 files read (10 CSV, 7 JSON, 9 Markdown)")
    assert "no model" in out.splitlines()[0]
    assert "\nF1 [real] * num_gpu across models\n" in out
    assert "    sources: reports/gemma3/" in out
    assert "\nNot read: none (every matching file was read).\n" in out
    assert "reports/gemma3/gemma3_4b_baseline.csv: 2 rows: an error recorded" in out


def test_json_is_schema_versioned_with_the_documented_keys() -> None:
    result = runner.invoke(app, ["findings", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "chimera-findings"
    assert data["schema_version"] == FINDINGS_SCHEMA_VERSION == 1
    assert list(data) == [
        "schema", "schema_version", "chimera_version", "generated_at", "data_dir", "timings_s",
        "files", "findings", "highlights", "not_read", "partly_read", "left_out", "digest",
    ]  # fmt: skip
    first = data["findings"][0]
    assert {"id", "kind", "title", "text", "verdict", "caveats", "sources"} <= set(first)
    assert first["recommendation"]["id"] == "R1"
    assert data["files"] == {"analysed": 26, "by_kind": {"csv": 10, "json": 7, "markdown": 9}}
    assert data["left_out"][0]["what"] == "rows" and data["left_out"][0]["count"] == 2


def test_a_file_that_cannot_be_read_is_listed_with_its_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "runs.csv").write_text(
        "model,num_gpu,tokens_per_s\nm,0,10\nm,0,11\nm,0,12\nm,80,40\nm,80,41\nm,80,42\n"
    )
    (data / "broken.json").write_text("{not json")
    result = runner.invoke(app, ["findings", str(data), "--json"])
    assert result.exit_code == 0, result.output
    not_read = json.loads(result.stdout)["not_read"]
    assert [entry["path"] for entry in not_read] == ["broken.json"]
    text = runner.invoke(app, ["findings", str(data)]).stdout
    assert "Not read (1):\n  broken.json: " in text


def test_a_folder_that_cannot_be_used_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["findings", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "data folder not found" in lines[0]
    assert result.stdout == ""


def test_files_read_whose_figures_are_used_nowhere_are_listed(tmp_path: Path) -> None:
    """A comparison note whose tables hold no metric Chimera recognises ("Fastest gen tok/s")
    was read and used nowhere, while the text said "Not read: none"."""
    (tmp_path / "runs.csv").write_text("model,tokens_per_s\nm,10\nm,11\nm,12\n")
    (tmp_path / "comparison.md").write_text(
        "# Comparison\n\n| Model | Fastest gen tok/s | Best machine |\n|---|---:|---|\n"
        "| m | 91.40 | apple-m4-24gb |\n"
    )
    out = runner.invoke(app, ["findings", str(tmp_path)]).stdout
    assert "Read, no figure used (1):\n  comparison.md: " in out


def test_no_findings_over_figures_read_does_not_say_no_metric(tmp_path: Path) -> None:
    """One model's TTFT and latency, nothing to compare: the text said "the files hold no
    metric Chimera recognises to compare", though it read both (its digest lists them)."""
    rows = "model,ttft_ms,latency_ms\n" + "".join(f"m-7b,{40 + i},{2500 + i}\n" for i in range(5))
    (tmp_path / "requests.csv").write_text(rows)
    out = runner.invoke(app, ["findings", str(tmp_path)]).stdout
    assert "no metric Chimera recognises" not in out
    assert "No findings: no comparison or problem to report from the figures read" in out
