"""The CLI: run prints the report path last, errors are one line with an exit code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from chimera._version import __version__
from chimera.cli import app
from chimera.errors import DataError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
runner = CliRunner()


def fake_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "fake.yaml"
    path.write_text(f"name: CLI Fake\nbackend: fake\nmodel: fake\n{extra}", encoding="utf-8")
    return path


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"chimera {__version__}"


def test_run_prints_the_report_path_last(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(EXAMPLE), "--config", str(fake_config(tmp_path)), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.name == "report.md" and report.exists()
    assert report.read_text().startswith("# CLI Fake")
    assert "ingest" in result.stderr and "done" in result.stderr


def test_bad_config_is_one_line_exit_2_without_traceback(tmp_path: Path) -> None:
    config = fake_config(tmp_path, "options:\n  temprature: 0.5\n")
    result = runner.invoke(app, ["run", str(EXAMPLE), "--config", str(config)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "options.temprature" in lines[0] and "fake.yaml" in lines[0]


def test_missing_data_folder_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(tmp_path / "nowhere"), "--config", str(fake_config(tmp_path))]
    )
    assert result.exit_code == 2
    assert "data folder not found" in result.stderr


def test_unreachable_ollama_names_the_url_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "ollama.yaml"
    config.write_text("name: X\nbackend: ollama\nbase_url: http://127.0.0.1:9\ntimeout_s: 2\n")
    result = runner.invoke(
        app, ["run", str(EXAMPLE), "--config", str(config), "--out", str(tmp_path)]
    )
    assert result.exit_code == 3
    assert "http://127.0.0.1:9" in result.stderr and "ollama serve" in result.stderr
    assert not list(tmp_path.glob("*/run.json"))  # checked before any run folder was made


def test_personas_lists_builtins_and_user_folders(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "name: mine\ntitle: Mine\nrole: writer\nsystem_prompt: s\ntask_template: t\n"
    )
    result = runner.invoke(app, ["personas", "--personas-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "insight_agent" in result.stdout and "analyst" in result.stdout
    assert "mine" in result.stdout and "mine.yaml" in result.stdout


def test_debug_lets_the_error_itself_through_for_its_traceback(tmp_path: Path) -> None:
    """Without --debug an error ends as a clean exit; with it, the exception propagates."""
    args = ["run", str(tmp_path / "nowhere"), "--config", str(fake_config(tmp_path))]
    plain = runner.invoke(app, args)
    assert isinstance(plain.exception, SystemExit) and plain.exit_code == 2
    debug = runner.invoke(app, ["--debug", *args])
    assert isinstance(debug.exception, DataError)
    assert "data folder not found" in str(debug.exception)
    assert debug.exc_info is not None and debug.exc_info[2] is not None  # the traceback


def test_compare_prints_verdicts_and_the_summary_path(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text("name: A\nbackend: fake\noptions:\n  temperature: 0.2\n")
    b.write_text("name: B\nbackend: fake\noptions:\n  temperature: 0.9\n")
    result = runner.invoke(
        app,
        [
            "compare",
            str(EXAMPLE),
            "--a",
            str(a),
            "--b",
            str(b),
            "--runs",
            "2",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = Path(result.stdout.strip().splitlines()[-1])
    assert summary.name == "summary.md" and summary.exists()
    assert "B vs A" in result.stderr and "Throughput:" in result.stderr


def test_compare_needs_two_configs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(EXAMPLE), "--a", str(fake_config(tmp_path))])
    assert result.exit_code == 2
    assert "two configs" in result.stderr


def test_compare_refuses_an_unknown_mode(tmp_path: Path) -> None:
    config = str(fake_config(tmp_path))
    result = runner.invoke(
        app, ["compare", str(EXAMPLE), "--a", config, "--b", config, "--mode", "parallel"]
    )
    assert result.exit_code == 2
    assert "--mode" in result.stderr


def test_resume_of_a_folder_that_is_neither_run_nor_comparison(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resume", str(tmp_path)])
    assert result.exit_code == 2
    assert "neither a run folder" in result.stderr
