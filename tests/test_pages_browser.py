"""The HTML pages, opened from file:// in a real headless Chromium over the DevTools protocol.

Each page must load with no network request (other than itself) and no console error; the
timeline must hold one bar per node and per LLM call; every figure of the body must be
marked; the charts must have one bar / point per item. A screenshot of each page is written
to the test's tmp folder (and to $CHIMERA_SCREENSHOTS when set) for a person to look at.
Without a Chromium these tests are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser, PageLoad, find_chromium
from pages_site import hostile_run, make_comparison, make_run, make_sweep, v2_run

from chimera.execution.page_files import write_index, write_run_page
from chimera.pages.diff import diff_runs
from chimera.pages.diff_page import render_diff_page
from chimera.pages.run_page import run_page_for


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        message = (
            "no Chromium found (apt-get install -y chromium, or set CHIMERA_CHROMIUM):"
            " the browser tests of the HTML pages did not run"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    b = Browser(executable)
    yield b
    b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("site")
    runs = root / "runs"
    first = make_run(runs, 0.2)
    second = make_run(runs, 0.9)
    comparison = make_comparison(root / "comparisons")
    v2 = root / "v2"
    v2_run(first, v2)
    (v2 / "report.html").write_text(run_page_for(v2))
    evil = runs / "20000101-000000_evil"
    hostile_run(first, evil)
    write_run_page(evil)
    write_index(runs)  # as the next run would
    diff = root / "diff.html"
    diff.write_text(render_diff_page(diff_runs(first, second)))
    sweep = make_sweep(root / "sweeps")
    return {
        "sweep": sweep,
        "run": first,
        "second": second,
        "comparison": comparison,
        "v2": v2,
        "evil": evil,
        "runs": runs,
        "diff": diff,
    }


def _shot(browser: Browser, tmp_path: Path, name: str) -> Path:
    path = browser.screenshot(tmp_path / f"{name}.png")
    assert path.stat().st_size > 10_000  # a real picture, not an empty canvas
    target = os.environ.get("CHIMERA_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
    return path


def _clean(load: PageLoad) -> None:
    assert load.foreign_requests == [], "the page fetched something"
    assert load.errors == [], "the page logged errors"


def test_run_page_is_offline_and_shows_one_timeline_bar_per_node_and_call(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    page = site["run"] / "report.html"
    assert page.is_file() and page.stat().st_size < 1_000_000
    _clean(browser.load(page))
    run = json.loads((site["run"] / "run.json").read_text())
    assert browser.count("svg.timeline g.tl-node") == len(run["node_timings"]) == 4
    calls = len(run["llm_calls"])
    assert calls >= 2  # the analyst, then the writer's sections
    assert browser.count("svg.timeline g.tl-call") == calls
    # Each call is split into waiting for the first token and generating.
    assert browser.count("svg.timeline g.tl-call rect.seg-wait") == calls
    assert browser.count("svg.timeline g.tl-call rect.seg-gen") == calls
    assert browser.count("table tbody tr") >= 2  # the per-call metrics table
    _shot(browser, tmp_path, "run")


@pytest.mark.parametrize("which", ["run", "v2"])
def test_every_figure_of_the_body_is_marked_with_its_status(
    browser: Browser, site: dict[str, Path], which: str
) -> None:
    """A real run (whose rejected drafts left no untraced figure in the body) and a
    hand-written run.json with an untraced one: each mark shows its claim's status."""
    browser.load(site[which] / "report.html")
    claims = json.loads((site[which] / "run.json").read_text())["figures_check"]["claims"]
    body = [c for c in claims if c["where"] in ("report", "report_body")]
    assert len(body) >= (4 if which == "run" else 1)
    marks = browser.evaluate(
        "Array.from(document.querySelectorAll('#report-body [data-figure]'),"
        " e => [e.firstChild.textContent, e.classList.contains('traced'), e.title])"
    )
    assert len(marks) == len(body)
    for (text, traced, title), claim in zip(marks, body, strict=True):
        assert claim["text"].startswith(text)
        assert traced == (claim["status"] == "traced")
        assert (claim["provenance"] or "not traced") in title
    if which == "v2":
        assert any(not traced for _, traced, _ in marks), "the hand-written untraced claim"


def test_highlights_chart_has_one_bar_per_model_from_zero(
    browser: Browser, site: dict[str, Path]
) -> None:
    browser.load(site["run"] / "report.html")
    run = json.loads((site["run"] / "run.json").read_text())
    models = {
        s["group"]
        for s in run["digest"]["stats"]
        if s["metric"] == "tokens_per_s" and s["group_by"] == "model" and s["aggregate"] is None
    }
    first_chart = browser.evaluate(
        "Array.from(document.querySelector('svg.bars').querySelectorAll('rect.bar'),"
        " r => [r.getAttribute('x'), r.querySelector('title').textContent])"
    )
    assert len(first_chart) == len(models) >= 2
    assert {title.split(":")[0] + ":" + title.split(":")[1] for _, title in first_chart} == models
    assert len({x for x, _ in first_chart}) == 1  # every bar starts at the zero line


def test_schema_2_run_shows_section_authors_findings_and_offset_marks(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    _clean(browser.load(site["v2"] / "report.html"))
    assert browser.count(".authored.by-model") == 1
    assert browser.count(".authored.by-chimera") == 1
    bylines = browser.texts(".authored .byline")
    assert "1 retry" in bylines[0] and "rejected: the draft repeated the prompt" in bylines[1]
    marks = browser.evaluate(
        "Array.from(document.querySelectorAll('#report-body [data-figure]'),"
        " e => [e.firstChild.textContent, e.className])"
    )
    assert marks == [["164.31", "fig traced"], ["26", "fig untraced"]]
    assert browser.count("#findings [data-figure]") == 1
    assert browser.count("#finding-F1") == 1
    assert browser.count('a[href="#finding-F1"]') == 2  # cited by a finding and a recommendation
    assert "model: gemma3:270m" in " ".join(browser.texts("#recommendations code"))
    assert "no finding supports it" in " ".join(browser.texts("details td"))
    _shot(browser, tmp_path, "run-v2")


def test_hostile_strings_stay_text_and_fetch_nothing(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    _clean(browser.load(site["evil"] / "report.html"))
    assert browser.count("script, img, iframe, link, a[href^='http']") == 0
    assert "<script>alert(1)</script>" in browser.evaluate(
        "document.querySelector('h1').textContent"
    )
    _shot(browser, tmp_path, "run-hostile")


def test_the_check_would_catch_a_page_that_fetches(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    """The negative control: a page with an external image is reported, so clean is earned."""
    page = tmp_path / "bad.html"
    page.write_text(
        run_page_for(site["run"]).replace("</main>", '<img src="http://127.0.0.1:9/x.png"></main>')
    )
    load = browser.load(page)
    assert load.foreign_requests or load.errors


def test_comparison_page_shows_each_repetition_as_a_point(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    page = site["comparison"] / "summary.html"
    _clean(browser.load(page))
    summary = json.loads((site["comparison"] / "summary.json").read_text())
    for key in ("throughput_tok_s", "ttft_ms", "wall_s"):
        values = [
            a
            for rep in summary["repetitions"]
            for a in rep["agents"]
            if not rep["warmup"]
            and not rep["solo"]
            and a["status"] == "ok"
            and a["figures"].get(key) is not None
        ]
        assert browser.count(f'[data-figure="{key}"] circle.pt') == len(values) == 6
        assert browser.count(f'[data-figure="{key}"] line.mean') == 2
    labels = browser.texts('[data-figure="ttft_ms"] svg > text title')
    assert len(set(labels)) == 2, "two agents of one name get distinct labels"
    # Every run is linked: the 6 measured and the 2 of the solo repetition (each agent alone).
    assert browser.count("a[href$='report.html']") == 8
    _shot(browser, tmp_path, "comparison")


def test_index_and_diff_pages_load_offline(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    index = site["runs"] / "index.html"
    _clean(browser.load(index))
    links = browser.evaluate("Array.from(document.querySelectorAll('td a'), a => a.href)")
    assert len(links) == 3  # two runs and the hostile one
    assert all(link.startswith("file://") and link.endswith("report.html") for link in links)
    _shot(browser, tmp_path, "index")
    _clean(browser.load(site["diff"]))
    assert "options.temperature" in " ".join(browser.texts("td code"))
    assert "not a statistic" in browser.evaluate("document.body.textContent")
    _shot(browser, tmp_path, "diff")


def test_sweep_page_draws_the_grid_the_ranking_and_the_pareto_front(
    browser: Browser, site: dict[str, Path], tmp_path: Path
) -> None:
    page = site["sweep"] / "summary.html"
    _clean(browser.load(page))
    summary = json.loads((site["sweep"] / "summary.json").read_text())
    cells = summary["cells"]
    grid = [c for c in cells if not c["baseline"]]
    assert len(grid) == 4  # temperature x top_k
    assert browser.count("svg.heatmap rect.hm-cell") == len(grid)
    assert browser.count("svg.bars rect.bar") == len(cells)  # the ranking, base included
    both = [c for c in cells if c["figures"]["throughput_tok_s"]["mean"] is not None
            and c["figures"]["ttft_ms"]["mean"] is not None]  # fmt: skip
    assert browser.count("svg.scatter circle.pt") == len(both) >= 2
    text = browser.evaluate("document.body.textContent")
    assert f"Best cell for throughput: {summary['best']}" in text
    assert "not chart the sweep yet" not in text
    _shot(browser, tmp_path, "sweep")
