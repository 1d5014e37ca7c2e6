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


# Names as a data folder may hold them: each would be Markdown syntax if printed as it is.
HOSTILE_MODELS = (
    "evil|model", "tick`model`", "# heading", "<script>alert(1)</script>",
    "[click](http://evil.example)", "**bold**:1b",
)  # fmt: skip
HOSTILE_CONFIGS = ("cfg|<i>a</i>", "gpu`80`\n## x")


def hostile_names_run(tmp_path: Path, replies: list[str] | None = None) -> Path:
    """A run on a CSV whose models and configs are all hostile names; its run folder."""
    from chimera.backends.fake import FakeBackend, queue_reply
    from chimera.execution.runner import arun

    data = tmp_path / "names"
    data.mkdir()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["model", "config_name", "num_gpu", "tokens_per_s", "ttft_ms"])
    for i, model in enumerate(HOSTILE_MODELS):
        for gpu, config in zip((0, 80), HOSTILE_CONFIGS, strict=True):
            for run in range(3):
                writer.writerow([model, config, gpu, 20 + 7 * i + gpu / 4 + run, 100 + 9 * i + run])
    (data / "bench [x](y) | `a` #1.csv").write_text(buffer.getvalue(), encoding="utf-8")
    backend = FakeBackend(reply=queue_reply(replies)) if replies else None
    result = asyncio.run(
        arun(data, AgentConfig(name="Fake", backend="fake"), out=tmp_path / "runs", backend=backend)
    )
    assert result.ok and result.run_dir is not None, result.error
    return result.run_dir


def test_names_from_the_data_stay_text_in_every_part_of_report_md(tmp_path: Path) -> None:
    """Model, config and file names with `|`, backticks, `#`, `<`, line breaks and link
    syntax are escaped wherever report.md prints them: Chimera's sections, the findings,
    the recommendations and a model's draft that copies them from its prompt."""
    from chimera.findings.prepared import PreparedData
    from chimera.grounding.review import review_draft

    copied = "\n".join(f"- {name} runs at 20.00 tok/s." for name in HOSTILE_MODELS)
    run_dir = hostile_names_run(tmp_path)
    text = (run_dir / "report.md").read_text(encoding="utf-8")
    prose = outside_code_blocks(text)
    headings = [line for line in prose.splitlines() if line.startswith("#")]
    assert not [h for h in headings if "heading" in h or h.startswith("## x")], headings
    assert live_html(text) == []
    assert "](http://evil.example)" not in prose.replace(r"\](", "")  # no live link
    assert r"\[click\](http://evil.example)" in prose
    assert "evil|model" not in prose and r"evil\|model" in prose
    # every table row of Chimera's sections has as many cells as its header
    tables = [line for line in prose.splitlines() if line.startswith("|")]
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in tables}
    assert len(widths) <= 2, tables  # one width per table (Metrics and Risk tables)
    # a model's draft that copies the names gets them escaped before review and report
    from chimera.escape import md_names
    from chimera.execution.reverify import load_run

    result = load_run(run_dir)
    assert result.digest is not None
    known = PreparedData.of(result.digest).figures
    escaped = md_names(copied, known.entities.names)
    assert "[click](http" not in escaped and r"\# heading" in escaped
    assert review_draft(escaped, set(), known, 1).figures.total == len(HOSTILE_MODELS)


def test_verify_of_a_report_with_hostile_names_traces_what_the_run_traced(
    tmp_path: Path,
) -> None:
    """Escaped names are still the data's names: the figures of a report that prints them
    escaped trace as they did in the run."""
    from chimera.execution.reverify import load_run, reverify

    run_dir = hostile_names_run(tmp_path)
    run = load_run(run_dir).figures_check
    again = reverify(run_dir).figures
    assert run is not None and run.total > 20
    assert (again.traced, again.total) == (run.traced, run.total) == (run.total, run.total)


def test_diff_html_refuses_to_write_inside_a_run_folder(tmp_path: Path) -> None:
    """`chimera diff --html` must not replace a run's report.html (or any file in it)."""
    from typer.testing import CliRunner

    from chimera.cli import app

    run_dir = hostile_names_run(tmp_path)
    page = run_dir / "report.html"
    before = page.read_bytes()
    for target in (page, run_dir / "new.html"):
        result = CliRunner().invoke(
            app, ["diff", str(run_dir), str(run_dir), "--html", str(target)]
        )
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines() == [
            f"error: cannot write {target}: it is inside the run folder {run_dir.resolve()}, "
            "whose files are Chimera's output; pass a path outside it"
        ]
        assert result.stdout == ""
    assert page.read_bytes() == before and not (run_dir / "new.html").exists()


def test_a_file_name_that_is_not_utf8_is_listed_not_read_and_the_run_finishes(
    tmp_path: Path,
) -> None:
    """Issue 25.3: `bench_\\xff.json` made every model call run, then exit 1 with no run.json."""
    import os

    from chimera.errors import ConfigError, DataError
    from chimera.execution.data_folder import check_data_dir
    from chimera.execution.runner import arun
    from chimera.execution.runstore import new_run_dir

    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_text("model,tokens_per_s\nm,5\nm,6\n")
    with open(os.fsencode(data) + b"/bench_\xff.json", "wb") as handle:
        handle.write(b'{"model": "m", "tokens_per_s": 10}')
    result = asyncio.run(arun(data, AgentConfig(name="Fake", backend="fake"), out=tmp_path / "r"))
    assert result.ok and result.run_dir is not None, result.error
    assert result.inventory is not None
    [skipped] = result.inventory.skipped
    assert skipped.path == "bench_?.json" and "not valid UTF-8" in skipped.reason
    assert "bench_?.json" in (result.run_dir / "report.md").read_text(encoding="utf-8")
    assert (result.run_dir / "run.json").is_file()
    # a folder whose own name is not UTF-8, as data or as output: refused before any work
    bad = Path(os.fsdecode(os.fsencode(tmp_path) + b"/x\xff"))
    bad.mkdir()
    with pytest.raises(DataError, match=r"not valid UTF-8: .*x\\xff"):
        check_data_dir(bad)
    with pytest.raises(ConfigError, match="output folder's path is not valid UTF-8"):
        new_run_dir(bad, "run", result.started_at)


def test_a_utf8_link_to_a_folder_whose_real_path_is_not_utf8_is_refused(tmp_path: Path) -> None:
    """The run stores the resolved path: a link with a UTF-8 name must not let a non-UTF-8
    real path through to run.json (review of issue 25.3)."""
    import os

    from chimera.errors import DataError
    from chimera.execution.data_folder import check_data_dir

    real = Path(os.fsdecode(os.fsencode(tmp_path) + b"/real\xff"))
    real.mkdir()
    (real / "ok.csv").write_text("model,tokens_per_s\nm,5\n")
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(DataError, match="not valid UTF-8"):
        check_data_dir(link)


def test_a_users_own_backend_without_served_by_still_finishes_its_run(tmp_path: Path) -> None:
    """`served_by` is optional for a backend passed to arun(backend=...)."""
    from chimera.backends.fake import FakeBackend
    from chimera.execution.runner import arun

    class OwnBackend:
        """A user's backend: FakeBackend's methods, without a served_by attribute."""

        def __init__(self) -> None:
            self._inner = FakeBackend()
            self.name, self.model_label, self.host = "fake", "fake", None

        def __getattr__(self, name: str) -> object:
            if name == "served_by":
                raise AttributeError(name)
            return getattr(self._inner, name)

    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_text("model,tokens_per_s\nm,5\nm,6\n")
    backend = OwnBackend()
    assert not hasattr(backend, "served_by")
    result = asyncio.run(
        arun(data, AgentConfig(name="Own", backend="fake"), out=tmp_path / "r", backend=backend)  # type: ignore[arg-type]
    )
    assert result.ok, result.error
    assert result.served_by is None
