"""run.json through the one loader: typed, older schemas upgraded once, one line otherwise.

`chimera runs`, `chimera diff` and `chimera verify` read runs through `load_run`; these
tests write a run, turn its run.json into what schema 1 wrote, and read it back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pages_site import make_run
from typer.testing import CliRunner

from chimera.cli import app
from chimera.errors import ConfigError
from chimera.pages.diff import diff_runs
from chimera.run_record import RUN_SCHEMA_VERSION, load_run

cli = CliRunner()


def as_schema_1(folder: Path) -> None:
    """What schema 1 wrote: sentences for the analyst's items, "unverified" claims, no
    findings, sections or quality."""
    run = json.loads((folder / "run.json").read_text())
    run["schema_version"] = 1
    analysis = run["analysis"]
    analysis["key_findings"] = [i["text"] for i in analysis["key_findings"]]
    analysis["recommendations"] = [i["text"] for i in analysis["recommendations"]]
    for claim in run["figures_check"]["claims"]:
        if claim["status"] == "untraced":
            claim["status"] = "unverified"
    for key in ("findings", "sections", "quality"):
        run.pop(key, None)
    (folder / "run.json").write_text(json.dumps(run))


def test_a_schema_1_run_loads_typed_and_upgraded(tmp_path: Path) -> None:
    folder = make_run(tmp_path)
    current = load_run(folder)
    as_schema_1(folder)
    old = load_run(folder / "run.json")  # the folder or its run.json
    assert old.written_schema == 1 and old.schema_version == RUN_SCHEMA_VERSION
    assert old.run_dir == folder
    assert old.analysis is not None and current.analysis is not None
    assert old.analysis.finding_texts == current.analysis.finding_texts
    assert all(f.author == "model" for f in old.analysis.key_findings)
    assert old.figures_check is not None and current.figures_check is not None
    assert [c.status for c in old.figures_check.claims] == [
        c.status for c in current.figures_check.claims
    ]
    assert old.findings == [] and old.sections == []


def test_runs_diff_and_verify_read_a_schema_1_run(tmp_path: Path) -> None:
    new = make_run(tmp_path / "runs", 0.2)
    old = make_run(tmp_path / "runs", 0.9)
    as_schema_1(old)
    listed = json.loads(cli.invoke(app, ["runs", str(tmp_path / "runs"), "--json"]).stdout)
    assert {e["status"] for e in listed} == {"ok"} and len(listed) == 2
    diff = diff_runs(old, new)
    assert any("run.json schema 1 and 2" in n for n in diff.notes)
    assert "Written by the model" not in [m.label for m in diff.metrics]  # not in schema 1
    verified = cli.invoke(app, ["verify", str(old)])
    assert verified.exit_code == 0, verified.output


def test_a_newer_or_broken_run_json_is_one_line(tmp_path: Path) -> None:
    folder = make_run(tmp_path)
    run = json.loads((folder / "run.json").read_text())
    run["schema_version"] = RUN_SCHEMA_VERSION + 1
    (folder / "run.json").write_text(json.dumps(run))
    with pytest.raises(ConfigError, match="reads up to"):
        load_run(folder)
    (folder / "run.json").write_text('{"schema_version": 2, "run_id": 5}')
    with pytest.raises(ConfigError, match="cannot be read as a run"):
        load_run(folder)
    with pytest.raises(ConfigError, match="no run.json"):
        load_run(tmp_path / "nowhere")
