"""Pages without a browser: the Markdown converter, figure offsets, writing that never loses a
run, older folders, the history and diff commands, and the comparison PNG."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pages_site import EXAMPLE, make_comparison, make_run
from typer.testing import CliRunner

from chimera.cli import app
from chimera.comparison.summary import chart_figure
from chimera.execution.history import scan
from chimera.pages import markdown
from chimera.pages.figmarks import Claim, locate
from chimera.pages.run_page import run_page_for

cli = CliRunner()


def test_markdown_converts_the_blocks_models_write() -> None:
    html = markdown.to_html(
        "# Title\n\nSome **bold** and *italic* and `code`.\n\n- one\n- two\n  - nested\n"
        "1. first\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx < y\n```\n---\n> quoted"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>code</code>" in html
    assert "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>" in html
    assert "<ol><li>first</li></ol>" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html
    assert "<pre><code>x &lt; y</code></pre>" in html
    assert "<hr>" in html and "<blockquote><p>quoted</p></blockquote>" in html


def test_markdown_leaves_raw_html_links_and_images_as_text() -> None:
    html = markdown.to_html(
        '<script>x</script> <img src="http://h/i"> [site](http://h/) ![pic](http://h/p.png)'
    )
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "site (http://h/)" in html


def test_spans_wrap_exactly_the_characters_they_name() -> None:
    text = "Speed **42.5 tok/s** and | 7 |"
    html = markdown.to_html(text, [(8, 12, 0), (27, 28, 1)], lambda i: (f"[{i}:", "]"))
    assert "<strong>[0:42.5] tok/s</strong>" in html
    assert "[1:7]" in html


def test_figures_are_found_again_without_offsets_in_reading_order() -> None:
    text = "A is 42 tok/s. B is 42 tok/s too, and 42.5 ms."

    def claim(i: int, written: str, sentence: str) -> Claim:
        return Claim(i, written, "body", True, None, sentence, None, None, None)

    spans, missing = locate(
        text,
        [
            claim(0, "42 tok/s", "A is 42 tok/s."),
            claim(1, "42 tok/s", "B is 42 tok/s too,"),
            claim(2, "42.5 ms", "and 42.5 ms."),
            claim(3, "99 ms", "nowhere"),
        ],
    )
    assert [text[s:e] for s, e, _ in spans] == ["42", "42", "42.5"]
    assert [s for s, _, _ in spans] == [5, 20, 38]
    assert [c.index for c in missing] == [3]


def test_a_page_that_fails_to_render_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chimera.pages.run_page as run_page

    def broken(folder: Path) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(run_page, "run_page_for", broken)
    folder = make_run(tmp_path)
    assert (folder / "run.json").is_file() and (folder / "report.md").is_file()
    assert not (folder / "report.html").exists()
    assert (tmp_path / "index.html").is_file()  # the index still lists the run


def test_a_run_writes_its_page_and_the_folder_index(tmp_path: Path) -> None:
    first = make_run(tmp_path)
    second = make_run(tmp_path, 0.9)
    index = (tmp_path / "index.html").read_text()
    assert f"{first.name}/report.html" in index and f"{second.name}/report.html" in index
    page = (first / "report.html").read_text()
    assert len(page) < 1_000_000 and "http://" not in page.replace('xmlns="http://www.w3.org', "")


def test_an_older_run_json_renders_and_says_what_it_lacks(tmp_path: Path) -> None:
    folder = make_run(tmp_path)
    run = json.loads((folder / "run.json").read_text())
    for key in ("figures_check", "digest", "prompts", "compliance", "highlights"):
        run.pop(key)
    (folder / "run.json").write_text(json.dumps(run))
    html = run_page_for(folder)
    assert "Not checked (no figures_check in run.json)" in html
    assert "No digest in run.json: no chart of the data." in html
    assert "No prompt was sent." in html


def test_runs_lists_runs_and_comparisons_newest_first_with_old_folders(tmp_path: Path) -> None:
    old = make_run(tmp_path / "runs")
    new = make_run(tmp_path / "runs", 0.9)
    (old / ".chimera.json").unlink()  # written before the marker existed
    (old / "report.html").unlink()
    comparison = make_comparison(tmp_path / "comparisons", runs=1)
    result = cli.invoke(app, ["runs", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["when", "(UTC)", "kind"]
    assert [line.split()[-1] for line in lines[1:]] == [str(new), str(old)]
    assert "100.00" in lines[1] and "Fake Agent" in lines[1]
    listed = json.loads(cli.invoke(app, ["runs", str(tmp_path / "comparisons"), "--json"]).stdout)
    assert [e["kind"] for e in listed] == ["comparison"]
    assert listed[0]["agents"] == ["A: Same Name", "B: Same Name"]
    assert listed[0]["path"] == str(comparison)
    result = cli.invoke(app, ["runs", str(tmp_path / "runs"), "--pages"])
    assert (old / "report.html").is_file(), result.output


def test_runs_on_a_missing_folder_is_exit_2(tmp_path: Path) -> None:
    result = cli.invoke(app, ["runs", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_diff_names_the_temperature_change_and_the_deltas(tmp_path: Path) -> None:
    a = make_run(tmp_path, 0.2)
    b = make_run(tmp_path, 0.9)
    page = tmp_path / "diff.html"
    result = cli.invoke(app, ["diff", str(a), str(b), "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert "options.temperature: 0.2 -> 0.9" in result.stdout
    assert any(
        line.strip().startswith("Throughput") and "+0.00 tok/s" in line
        for line in result.stdout.splitlines()
    )
    assert "not a statistic" in result.stdout and "chimera compare" in result.stdout
    assert result.stdout.splitlines()[-1] == str(page) and page.is_file()


def test_diff_of_a_folder_that_is_not_a_run_is_exit_2(tmp_path: Path) -> None:
    a = make_run(tmp_path)
    result = cli.invoke(app, ["diff", str(a), str(EXAMPLE)])
    assert result.exit_code == 2 and "no run.json" in result.stderr


def test_diff_reports_findings_added_and_gone(tmp_path: Path) -> None:
    a = make_run(tmp_path)
    b_src = make_run(tmp_path, 0.9)
    b = tmp_path / "edited"
    shutil.copytree(b_src, b)
    run = json.loads((b / "run.json").read_text())
    gone = run["findings"][0]["text"]
    run["findings"] = [{**run["findings"][1], "text": "A brand new finding about num_ctx."}]
    (b / "run.json").write_text(json.dumps(run))
    out = cli.invoke(app, ["diff", str(a), str(b)]).stdout
    assert "Findings added in B:\n  - A brand new finding about num_ctx." in out
    assert f"Findings gone since A:\n  - {gone}" in out


def test_comparison_chart_starts_at_zero_with_a_colour_and_label_per_agent(
    tmp_path: Path,
) -> None:
    from chimera.comparison.models import ComparisonResult

    folder = make_comparison(tmp_path, runs=2)
    result = ComparisonResult.model_validate_json((folder / "summary.json").read_text())
    fig = chart_figure(result)
    for ax in fig.axes:
        assert ax.get_ylim()[0] == 0
        handles, labels = ax.get_legend_handles_labels()
        assert len(set(labels)) == 2, labels
        assert len({tuple(h.patches[0].get_facecolor()) for h in handles}) == 2
    assert (folder / "summary.png").is_file() and (folder / "summary.html").is_file()


def test_compare_warns_once_when_two_configs_share_a_name(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text("name: Twin\nbackend: fake\nmodel: fake\n")
    result = cli.invoke(
        app,
        [
            "compare",
            str(EXAMPLE),
            "--a",
            str(tmp_path / "a.yaml"),
            "--b",
            str(tmp_path / "b.yaml"),
            "--runs",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "'Twin'" in warnings[0] and "`name:`" in warnings[0]


def test_history_scan_marks_unfinished_runs(tmp_path: Path) -> None:
    folder = make_run(tmp_path)
    (folder / "run.json").unlink()
    [entry] = scan([tmp_path])
    assert entry.status == "incomplete" and "no run.json" in entry.note


def test_a_long_bar_label_is_cut_in_the_middle_so_setups_stay_apart() -> None:
    from chimera.pages.charts import _clip_label

    labels = [f"gemma3:1b-it-qat / gpu80_ctx2048_t{t}" for t in ("0.2", "0.8", "1.2")]
    clipped = [_clip_label(label, 200) for label in labels]
    assert len(set(clipped)) == 3
    assert all(c.startswith("gemma3:1b") and "…" in c and len(c) < len(lbl)
               for c, lbl in zip(clipped, labels, strict=True))  # fmt: skip
    assert _clip_label("gemma3:4b", 200) == "gemma3:4b"


def test_every_figure_of_the_key_findings_and_recommendations_is_marked_where_it_stands(
    tmp_path: Path,
) -> None:
    """The marks of the lists sit on the figures the check read (items apart by a blank line,
    interpretations included), not a few characters off from the second item on."""
    import re

    folder = make_run(tmp_path)
    page = (folder / "report.html").read_text()
    run = json.loads((folder / "run.json").read_text())
    claims = run["figures_check"]["claims"]
    for where in ("findings", "recommendations"):
        section = page.split(f'<section id="{where}">')[1].split("</section>")[0]
        marked = re.findall(r'<span class="fig [a-z]+" id="fig-(\d+)"[^>]*>([^<]*)<sup>', section)
        own = [i for i, c in enumerate(claims) if c["where"] == where]
        assert len(marked) == len(own) > 3
        for index, text in marked:
            assert claims[int(index) - 1]["text"].startswith(text), (where, index, text)


def test_a_sweep_heatmap_over_more_than_two_keys_shows_each_squares_best_cell(
    tmp_path: Path,
) -> None:
    import re

    from chimera.pages.sweep_page import render_sweep_page

    cells = [
        {
            "label": f"t{t}_k{k}_p{p}",
            "values": {"temperature": t, "top_k": k, "top_p": p},
            "baseline": False,
            "in_grid": True,
            "rank": None,
            "figures": {"throughput_tok_s": {"mean": 100 * t + k + 1000 * p, "n": 3}},
        }
        for t in (0.2, 0.8)
        for k in (20, 40)
        for p in (0.5, 0.9)
    ]
    summary = {
        "plan": {"grid_keys": ["temperature", "top_k", "top_p"], "data_dir": "d"},
        "objective": {"key": "throughput_tok_s", "label": "Throughput", "unit": "tok/s",
                      "higher_is_better": True},
        "cells": cells,
        "best": "t0.8_k40_p0.9",
    }  # fmt: skip
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    page = render_sweep_page(tmp_path)
    squares = re.findall(r'class="hm-cell"[^>]*data-value="([0-9.]+)"', page)
    assert sorted(float(v) for v in squares) == [940.0, 960.0, 1000.0, 1020.0]  # top_p=0.9 each
    assert "each square shows its best cell" in page


def test_each_marked_figure_says_in_its_hover_text_which_rules_decided_it(
    tmp_path: Path,
) -> None:
    """The page answers "why was this number traced (or not)?": each mark's title names the
    extraction rule and the match rule run.json records for its claim."""
    import html
    import re

    folder = make_run(tmp_path)
    page = (folder / "report.html").read_text()
    claims = json.loads((folder / "run.json").read_text())["figures_check"]["claims"]
    titles = dict(re.findall(r'id="fig-(\d+)"[^>]*title="([^"]*)"', page))
    assert len(titles) > 10
    for index, title in titles.items():
        claim = claims[int(index) - 1]
        title = html.unescape(title)
        assert f'a figure by the rule "{claim["found_by"]}"' in title, title
        assert claim["traced_by"] in title, title
    wrong = Claim(0, "99 %", "body", False, None, "", None, None, "%", "unit after",
                  "wrong direction")  # fmt: skip
    assert "says the opposite of their order" in wrong.tooltip()


def test_the_run_page_lists_every_model_call_with_its_inter_token_latency(
    tmp_path: Path,
) -> None:
    """Issue 23: the report's per-call table (ITL mean / p95 included) is on the page too,
    and the page's throughput card is the token-weighted figure the report gives first."""
    import re

    folder = make_run(tmp_path)
    run = json.loads((folder / "run.json").read_text())
    page = (folder / "report.html").read_text()
    calls = page.split("<h3>Model calls</h3>")[1].split("</table>")[0]
    assert "ITL ms (mean / p95)" in calls
    rows = re.findall(r"<tr><td>([a-z_]+)</td>", calls)
    assert rows == [c["node"] for c in run["llm_calls"]] and len(rows) >= 2
    weighted = run["metrics"]["throughput_weighted_tok_s"]
    assert f"{weighted:,.2f} tok/s" in page and "throughput (tokens / eval time)" in page


def test_a_per_model_chart_says_when_its_bars_pool_settings(tmp_path: Path) -> None:
    """The bundled data measured gemma3:270m at num_gpu 0 to 80: its per-model bar (164
    tok/s) pools every setting, a figure no setup ran at, beside a like-for-like ranking of
    98.45 in the highlights. The chart's caption says so; with one config a model, not."""
    folder = make_run(tmp_path)
    pooled = "bar pools every setting it was measured with"
    assert pooled in run_page_for(folder)
    run = json.loads((folder / "run.json").read_text())
    first: dict[str, dict] = {}
    for setup in run["digest"]["setups"]:
        first.setdefault(setup["model"], setup)
    run["digest"]["setups"] = list(first.values())
    (folder / "run.json").write_text(json.dumps(run))
    assert pooled not in run_page_for(folder)
