"""Chimera never reads its own output as data, reads each file once, and refuses to analyse nothing.

Run, comparison and sweep folders carry a marker (`.chimera.json`); found inside a data
folder they are left out whole and listed as skipped, as is the `--out` folder. A folder
named as the data folder itself is data, marked or not.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chimera.cli import app
from chimera.comparison.execution import acompare
from chimera.config.agent import AgentConfig, IngestOptions, ModelOptions
from chimera.errors import DataError
from chimera.execution.result import RunResult
from chimera.execution.runner import arun
from chimera.ingest.digest import ingest_folder
from chimera.ingest.inventory import scan_folder

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
GOOD = "model,ttft_ms,tokens_per_s\nm:1b,100,50\nm:1b,120,70\n"


def fake(name: str = "Self", temperature: float = 0.5) -> AgentConfig:
    return AgentConfig(name=name, backend="fake", options=ModelOptions(temperature=temperature))


def data_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    return data


def run(data: Path, out: Path) -> RunResult:
    result = asyncio.run(arun(data, fake(), out=out))
    assert result.ok, result.error
    return result


def paths(result: RunResult) -> list[str]:
    assert result.inventory is not None
    return [f.path for f in result.inventory.files]


def test_a_second_run_in_the_data_folder_does_not_read_the_first(tmp_path: Path) -> None:
    data = data_folder(tmp_path)
    first = run(data, data / "runs")  # as `cd data && chimera run .` writes them
    second = run(data, data / "runs")
    assert paths(second) == paths(first)
    assert not [p for p in paths(second) if p.startswith("runs/")]  # no run.json, request.json
    assert second.inventory is not None
    left_out = {s.path: s for s in second.inventory.skipped if s.own_output}
    assert set(left_out) == {"runs"} and "output" in left_out["runs"].reason
    assert all("runs/" not in h.source for h in second.highlights)
    report = (second.run_dir or tmp_path).joinpath("report.md").read_text()
    assert "runs: the folder Chimera writes" in report  # listed in the Workflow Summary


def test_earlier_output_found_inside_the_data_folder_is_left_out_and_listed(
    tmp_path: Path,
) -> None:
    data = data_folder(tmp_path)
    elsewhere = run(data, tmp_path / "elsewhere")
    assert elsewhere.run_dir is not None
    shutil.move(elsewhere.run_dir, data / "old-run")  # moved in later, with its marker
    later = run(data, tmp_path / "runs")
    assert paths(later) == paths(elsewhere)
    assert later.inventory is not None
    [left_out] = [s for s in later.inventory.skipped if s.own_output]
    assert left_out.path == "old-run" and "a run folder" in left_out.reason


def test_output_written_before_the_marker_existed_is_left_out_too(tmp_path: Path) -> None:
    """A run folder (request.json with run.json) and a comparison folder (plan.json with
    summary.json) without a marker are Chimera's: older versions wrote no marker."""
    data = data_folder(tmp_path)
    old = run(data, tmp_path / "elsewhere")
    assert old.run_dir is not None
    (old.run_dir / ".chimera.json").unlink()
    shutil.move(old.run_dir, data / "old-run")
    comparison = data / "old-comparison"
    comparison.mkdir()
    plan = {"data_dir": str(data), "variants": [], "runs": 3, "mode": "concurrent"}
    (comparison / "plan.json").write_text(json.dumps(plan))
    (comparison / "summary.json").write_text('{"tokens_per_s": 1}')
    # a user's own folder with the same file names (and a CSV inside) is data
    own = data / "bench"
    (own / "raw").mkdir(parents=True)
    (own / "plan.json").write_text('{"grid": [1, 2]}')
    (own / "summary.json").write_text('{"tokens_per_s": 1}')
    (own / "raw" / "r1.csv").write_text(GOOD)
    later = run(data, tmp_path / "runs")
    assert sorted(paths(later)) == sorted(
        [*paths(old), "bench/plan.json", "bench/raw/r1.csv", "bench/summary.json"]
    )
    assert later.inventory is not None
    left_out = {s.path: s.reason for s in later.inventory.skipped if s.own_output}
    assert set(left_out) == {"old-run", "old-comparison"}
    assert "a run folder" in left_out["old-run"]
    assert "a comparison folder" in left_out["old-comparison"]


def test_a_comparison_writing_into_its_data_folder_gives_every_run_the_same_input(
    tmp_path: Path,
) -> None:
    data = data_folder(tmp_path)
    result = asyncio.run(
        acompare(data, [fake("A"), fake("B", 0.9)], runs=2, out=data / "comparisons")
    )
    assert result.data_redigests == 0  # no run saw the files change
    import json

    inventories = {
        json.dumps(json.loads(path.read_text())["inventory"]["files"])
        for path in Path(result.out_dir or "").glob("run_*/*/run.json")
    }
    assert len(inventories) == 1
    assert "comparisons/" not in next(iter(inventories))


def test_a_folder_named_as_the_data_folder_is_data_even_when_marked(tmp_path: Path) -> None:
    result = asyncio.run(acompare(EXAMPLE, [fake("A"), fake("B", 0.9)], runs=1, out=tmp_path))
    comparison = Path(result.out_dir or "")
    inventory = scan_folder(comparison, IngestOptions())
    read = [f.path for f in inventory.files]
    # The comparison's own files and the (marked) run folders inside it are all data.
    assert "summary.json" in read and "plan.json" in read
    assert any(p.startswith("run_1/") and p.endswith("run.json") for p in read)
    assert not [s for s in inventory.skipped if s.own_output]
    assert not [p for p in read if p.endswith(".chimera.json")]  # markers are never data


def test_a_data_folder_of_nothing_but_chimera_output_is_one_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    run(EXAMPLE, data)  # a run folder, and nothing else
    with pytest.raises(DataError, match="only Chimera's own output"):
        scan_folder(data, IngestOptions())


def test_a_link_to_a_file_already_read_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_text(GOOD)
    (tmp_path / "again.csv").symlink_to(tmp_path / "runs.csv")
    os.link(tmp_path / "runs.csv", tmp_path / "hard.csv")
    inventory, digest = ingest_folder(tmp_path, IngestOptions())
    # Two hard links are equals: the first path is kept. A symlink is never the one kept.
    assert [f.path for f in inventory.files] == ["hard.csv"]
    reasons = {s.path: s.reason for s in inventory.skipped}
    assert reasons["again.csv"] == "the same file as hard.csv (a link to it), read once"
    assert reasons["runs.csv"] == "the same file as hard.csv (a link to it), read once"
    stats = digest.find("tokens_per_s")
    assert stats is not None and stats.n == 2  # not 6


@pytest.mark.parametrize(
    ("name", "content", "options", "reason"),
    [
        ("bad.json", '{"model": ', {}, "invalid JSON"),
        ("big.json", '{"tokens_per_s": [' + "1," * 400_000 + "1]}", {"max_file_mb": 0.5}, "larger"),
    ],
)
def test_a_folder_where_no_file_is_usable_is_exit_2_naming_each_file_and_leaves_no_run(
    tmp_path: Path, name: str, content: str, options: dict[str, float], reason: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / name).write_text(content)
    (data / "also.json").write_text("[1, 2")
    config = tmp_path / "fake.yaml"
    ingest = f"ingest: {{max_file_mb: {options['max_file_mb']}}}\n" if options else ""
    config.write_text(f"name: F\nbackend: fake\n{ingest}")
    out = tmp_path / "runs"
    result = CliRunner().invoke(app, ["run", str(data), "--config", str(config), "-o", str(out)])
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"{name}: " in line and reason in line and "also.json: invalid JSON" in line
    assert not [p for p in out.iterdir()] if out.exists() else True  # no empty run folder


def test_a_comparison_refused_before_its_first_run_leaves_no_folder(
    tmp_path: Path, refused_ollama_url: str
) -> None:
    down = AgentConfig(name="Down", backend="ollama", base_url=refused_ollama_url, timeout_s=2)
    from chimera.errors import BackendUnreachable

    with pytest.raises(BackendUnreachable):
        asyncio.run(acompare(EXAMPLE, [fake("A"), down], runs=1, out=tmp_path / "cmp"))
    assert list((tmp_path / "cmp").iterdir()) == []


def test_an_unmarked_old_comparison_named_as_the_data_folder_is_data_with_its_runs(
    tmp_path: Path,
) -> None:
    """As with a marked one: the folder named is data, and so are the run folders in it."""
    data = data_folder(tmp_path)
    old = run(data, tmp_path / "elsewhere")
    assert old.run_dir is not None
    (old.run_dir / ".chimera.json").unlink()
    comparison = tmp_path / "oldcmp"
    comparison.mkdir()
    plan = {"data_dir": str(data), "variants": [], "runs": 3, "mode": "sequential"}
    (comparison / "plan.json").write_text(json.dumps(plan))
    (comparison / "summary.json").write_text("{}")
    shutil.move(old.run_dir, comparison / "agentA")
    inventory = scan_folder(comparison, IngestOptions())
    names = {f.path for f in inventory.files}
    assert {"plan.json", "summary.json", "agentA/run.json", "agentA/request.json"} <= names
