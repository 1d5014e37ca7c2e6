"""The CLI's shared error handling: one line per error, exit codes by error class, plain help.

Exit codes: 2 your input, 3 the backend, 4 the run failed, 130 interrupted. A failed run
records its error's class name in run.json; the exit code comes from that class in
chimera.errors' tree, never from a part of its name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chimera.cli import app
from chimera.errors import BackendTimeout, RunFailed, error_class, run_failure
from chimera.testing.ollama_server import OllamaStubServer

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
runner = CliRunner()
COMMANDS = (
    ["run"], ["compare"], ["sweep"], ["resume"], ["personas"], ["runs"], ["diff"], ["verify"], []
)  # fmt: skip


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("error_type", "code"),
    [
        ("BackendTimeout", 3),
        ("BackendProtocolError", 3),
        ("ModelMissing", 3),
        ("RunFailed", 4),
        ("ConfigError", 4),  # raised inside a run, it is the run that failed
        ("NotABackendError", 4),  # "Backend" in a name does not make it a backend error
        (None, 4),
    ],
)
def test_a_failed_run_exits_by_its_error_class(error_type: str | None, code: int) -> None:
    assert run_failure(error_type, "it broke").exit_code == code


def test_error_class_finds_every_class_of_the_tree_by_name() -> None:
    assert error_class("BackendTimeout") is BackendTimeout
    assert error_class("RunFailed") is RunFailed
    assert error_class("KeyError") is None


def test_a_run_that_fails_on_the_backend_is_one_line_exit_3_naming_run_json(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    ollama_server.update(fail_next=10)
    name = "Failing agent " + "with a long name " * 6  # wider than 80 columns when printed
    config = tmp_path / "failing.yaml"
    config.write_text(
        f"name: {name}\nbackend: ollama\nbase_url: {ollama_server.url}\nretries: 0\ntimeout_s: 5\n"
    )
    result = runner.invoke(
        app, ["run", str(EXAMPLE), "--config", str(config), "--out", str(tmp_path / "runs")]
    )
    assert result.exit_code == 3
    [line] = error_lines(result.stderr)
    assert "run failed:" in line and "HTTP 500" in line
    assert line.rstrip().endswith("run.json)")  # the details path, on the same line
    assert result.stdout == ""


def test_error_text_with_brackets_is_printed_as_text_not_markup(tmp_path: Path) -> None:
    # rich would read "[/x]" as a closing tag (and fail), "[bold]" as a style.
    missing = tmp_path / "[bold]data[/x]"
    result = runner.invoke(app, ["run", str(missing)])
    assert result.exit_code == 2
    [line] = error_lines(result.stderr)
    assert "[bold]data[/x]" in line


def test_an_empty_data_folder_argument_is_refused_not_read_as_the_current_folder(
    tmp_path: Path,
) -> None:
    config = tmp_path / "fake.yaml"
    config.write_text("name: F\nbackend: fake\n")
    for command in (
        ["run", "", "-c", str(config)],
        ["compare", "", "--a", str(config), "--b", str(config)],
        ["sweep", "", "-c", str(config), "--grid", "temperature=0.2,0.8"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        [line] = error_lines(result.stderr)
        assert "empty" in line


@pytest.mark.parametrize("command", COMMANDS)
def test_help_takes_dash_h_and_shows_no_type_labels(command: list[str]) -> None:
    short = runner.invoke(app, [*command, "-h"])
    assert short.exit_code == 0, short.output
    long = runner.invoke(app, [*command, "--help"])
    assert short.stdout == long.stdout
    assert "<bool>" not in short.stdout  # flags take no value
    assert "list[" not in short.stdout


def test_a_negative_solo_runs_is_refused_before_any_run(tmp_path: Path) -> None:
    config = tmp_path / "fake.yaml"
    config.write_text("name: F\nbackend: fake\n")
    out = tmp_path / "cmp"
    result = runner.invoke(
        app,
        ["compare", str(EXAMPLE), "--a", str(config), "--b", str(config)]
        + ["--solo-runs", "-1", "--out", str(out)],
    )
    assert result.exit_code == 2
    assert "--solo-runs" in result.stderr
    assert not out.exists()


def test_compare_where_every_run_of_one_config_failed_exits_4_and_still_prints_the_summary(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    from chimera.testing.ollama_server import serve_ollama_stub

    with serve_ollama_stub(fail_next=100) as broken:
        good = tmp_path / "good.yaml"
        bad = tmp_path / "bad.yaml"
        for path, url in ((good, ollama_server.url), (bad, broken.url)):
            path.write_text(
                f"name: {path.stem}\nbackend: ollama\nbase_url: {url}\nretries: 0\ntimeout_s: 5\n"
            )
        result = runner.invoke(
            app,
            ["compare", str(EXAMPLE), "--a", str(good), "--b", str(bad), "--runs", "2"]
            + ["--out", str(tmp_path / "cmp")],
        )
    assert result.exit_code == 4, result.output
    [line] = error_lines(result.stderr)
    assert "every measured run of B (bad) failed" in line
    summary = Path(result.stdout.strip().splitlines()[-1])
    assert summary.name == "summary.md" and summary.is_file()
    # Pairs where one side failed measure no concurrency: no efficiency is claimed over them.
    assert "parallel efficiency" not in result.stderr
    text = summary.read_text()
    assert "- Efficiency %" not in text
