"""What Chimera writes is safe for the format it lands in, whatever the names in the user's files.

Config, model and file names are data: a leading `=` is a formula in a spreadsheet, `|` a
table cell in Markdown, a newline and backticks a heading or live HTML, an escape sequence
terminal control. Each is escaped where it is written (see chimera.escape).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from pathlib import Path

import pytest

from chimera.comparison.execution import acompare
from chimera.comparison.models import ComparisonResult, variant_labels
from chimera.config.agent import AgentConfig, ModelOptions

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


def fake(name: str, temperature: float = 0.5) -> AgentConfig:
    return AgentConfig(
        name=name, backend="fake", model="fake", options=ModelOptions(temperature=temperature)
    )


def compare(configs: list[AgentConfig], out: Path, **options: object) -> ComparisonResult:
    return asyncio.run(acompare(EXAMPLE, configs, out=out, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_summary_csv_never_starts_a_text_cell_with_a_formula_character(
    tmp_path: Path, start: str
) -> None:
    name = f"{start}cmd|' /C calc'!A0"
    result = compare([fake("Plain"), fake(name, 0.9)], tmp_path, runs=1)
    rows = list(
        csv.DictReader(io.StringIO((Path(result.out_dir or "") / "summary.csv").read_text()))
    )
    agents = {row["agent"] for row in rows}
    assert agents == {"Plain", f"'{name}"}


def test_summary_csv_has_one_wall_s_column(tmp_path: Path) -> None:
    result = compare([fake("A"), fake("B", 0.9)], tmp_path, runs=1)
    header = (Path(result.out_dir or "") / "summary.csv").read_text().splitlines()[0].split(",")
    assert header.count("wall_s") == 1
    assert len(header) == len(set(header))


def test_a_pipe_in_a_config_name_does_not_add_cells_to_summary_md_tables(tmp_path: Path) -> None:
    result = compare([fake("left|right"), fake("B", 0.9)], tmp_path, runs=1)
    text = (Path(result.out_dir or "") / "summary.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| Figure |"))
    # "| Figure | A: ... | B: ... |": an unescaped | would split A's cell in two.
    cells = [c for c in header.replace("\\|", "").split("|") if c.strip()]
    assert len(cells) == 3
    assert "left\\|right" in header


def test_a_dollar_sign_in_a_name_is_drawn_literally_in_the_chart(tmp_path: Path) -> None:
    # matplotlib reads $...$ as mathtext; an unbalanced one made savefig raise.
    result = compare([fake("costs $5 and $x^"), fake("B", 0.9)], tmp_path, runs=1)
    png = Path(result.out_dir or "") / "summary.png"
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_variant_labels_go_on_after_z_and_stay_unique() -> None:
    labels = variant_labels(80)
    assert labels[:3] == ["A", "B", "C"] and labels[25:28] == ["Z", "AA", "AB"]
    assert labels[-1] == "CB"
    assert len(set(labels)) == 80 and all(label.isalpha() for label in labels)


def test_a_comparison_of_28_configs_gives_each_its_own_label_and_folder(tmp_path: Path) -> None:
    configs = [fake(f"Config {i}", 0.1 + i / 100) for i in range(28)]
    result = compare(configs, tmp_path, runs=1, mode="sequential")
    labels = [v.label for v in result.plan.variants]
    assert labels[-2:] == ["AA", "AB"]
    folders = [p.name for p in (Path(result.out_dir or "") / "run_1").iterdir() if p.is_dir()]
    assert len(folders) == 28
    assert set(result.deltas) == {f"{label} vs A" for label in labels[1:]}


def test_each_verdict_says_which_figure_and_which_variant_it_is_about(tmp_path: Path) -> None:
    result = compare([fake("A", 0.1), fake("B", 0.5), fake("C", 0.9)], tmp_path, runs=2)
    for pair, deltas in result.deltas.items():
        for delta in deltas:
            assert delta.verdict.startswith(f"{delta.figure}: "), delta.verdict
            assert " B " not in f" {delta.verdict} " or pair == "B vs A", delta.verdict


# --- report.md and the terminal ------------------------------------------------------------

EVIL_FILE = "x\n```\n# Heading\n<img src=x onerror=alert(1)>.csv"
EVIL_NAME = "Evil \x1b[31mred\x1b[0m | <b>x</b>"


def evil_data(tmp_path: Path) -> Path:
    data = tmp_path / "evil"
    data.mkdir()
    (data / EVIL_FILE).write_text(
        "model,ttft_ms,tokens_per_s,error\nm:1b,100,50,\nm:1b,120,70,boom <script>\n"
    )
    (data / "ok.csv").write_text("model,ttft_ms,tokens_per_s\nm:2b,100,20\nm:2b,90,30\n")
    return data


def outside_code_blocks(text: str) -> str:
    """The text without its fenced blocks, which show their content as text."""
    return re.sub(r"^(`{3,})\n[\s\S]*?\n\1$", "", text, flags=re.MULTILINE)


def live_html(text: str) -> list[str]:
    """Raw HTML tags outside code: a `<` before a tag name, not escaped."""
    return re.findall(r"(?<![\\`])<[A-Za-z/]", outside_code_blocks(text))


def test_names_from_the_data_cannot_add_headings_html_or_escapes_to_report_md(
    tmp_path: Path,
) -> None:
    from chimera.backends.fake import FakeBackend, queue_reply
    from chimera.execution.runner import arun

    body = "## Summary\nSee <img src=x onerror=alert(2)> and `<kept in code>`.\n"
    analyst = '{"key_findings": ["a\\n# Finding heading <script>"], "recommendations": []}'
    config = AgentConfig(
        name=EVIL_NAME, backend="fake", options=ModelOptions(keep_alive="5m\n# injected")
    )
    result = asyncio.run(
        arun(
            evil_data(tmp_path),
            config,
            out=tmp_path / "runs",
            backend=FakeBackend(reply=queue_reply([analyst, body])),
        )
    )
    assert result.ok, result.error
    text = (result.run_dir or tmp_path).joinpath("report.md").read_text()
    headings = [line for line in outside_code_blocks(text).splitlines() if line.startswith("#")]
    assert "# Heading" not in headings and "# injected" not in headings
    assert "# Finding heading" not in " ".join(headings)
    assert "\x1b" not in text
    assert live_html(text) == []
    assert text.splitlines()[0] == r"# Evil red \| \<b\>x\</b\>"
    # What the model wrote is rendered as Markdown, inert (here the writer may have
    # replaced the fake's draft, so the body is set directly).
    from chimera.execution.report import render_report

    text = render_report(result.model_copy(update={"report_body": body}))
    assert live_html(text) == [] and "\x1b" not in text
    assert "See &lt;img src=x onerror=alert(2)>" in text
    assert "`<kept in code>`" in text  # code spans are text already: left as written


def test_the_terminal_gets_no_escape_sequences_from_names(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chimera.cli import app

    config = tmp_path / "evil.yaml"
    config.write_text('name: "Evil \\e[31mred\\e[0m [bold]x[/bold]"\nbackend: fake\n')
    result = CliRunner().invoke(
        app, ["run", str(evil_data(tmp_path)), "-c", str(config), "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr
    assert "Evil red [bold]x[/bold]: ingest" in result.stderr  # brackets shown as text


def test_a_file_name_with_a_line_break_is_listed_not_read(tmp_path: Path) -> None:
    from chimera.config.agent import IngestOptions
    from chimera.ingest.inventory import scan_folder

    inventory = scan_folder(evil_data(tmp_path), IngestOptions())
    assert [f.path for f in inventory.files] == ["ok.csv"]
    [skipped] = inventory.skipped
    assert "\n" not in skipped.path and skipped.path.startswith("x?```?# Heading")
    assert "rename it" in skipped.reason


def test_names_inside_the_data_are_one_line_wherever_they_are_shown(tmp_path: Path) -> None:
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder

    name = '"m\n# Heading\x1b[31m"'
    (tmp_path / "runs.csv").write_text(
        f'model,tokens_per_s,error\n{name},50,\n{name},60,"boom\nx"\n'
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    groups = {s.group for s in digest.stats if s.group_by == "model"}
    assert groups == {"m # Heading"}
    assert digest.error_rows[0].sample == "boom x"
