"""Writing pages next to the files they show, without ever costing the run its results.

Callers write run.json / summary.json and the Markdown first; pages come last, and a page
that fails to render is logged as a warning and skipped: the run's own files stay as they
are, and `chimera runs --pages` can write the page again later.
"""

from __future__ import annotations

from pathlib import Path

from chimera.execution.history import INDEX_PAGE, RUN_PAGE, SUMMARY_PAGE, kind_of, scan
from chimera.execution.runstore import write_atomic
from chimera.logging import get_logger

log = get_logger("chimera.pages")


def _safely(path: Path, render: object) -> Path | None:
    try:
        text = render()  # type: ignore[operator]
        write_atomic(path, text)
    except Exception as exc:  # a page must never lose a run: log and carry on
        log.warning("page.not_written", page=str(path), error=f"{type(exc).__name__}: {exc}")
        return None
    return path


def write_run_page(run_dir: Path) -> Path | None:
    """report.html from the run folder's run.json; None (logged) if it could not be written."""
    from chimera.pages.run_page import run_page_for

    return _safely(run_dir / RUN_PAGE, lambda: run_page_for(run_dir))


def write_comparison_page(out_dir: Path) -> Path | None:
    """summary.html from the comparison folder's summary.json."""
    from chimera.pages.comparison_page import render_comparison_page
    from chimera.pages.runfile import read_json

    return _safely(
        out_dir / SUMMARY_PAGE,
        lambda: render_comparison_page(read_json(out_dir / "summary.json"), out_dir),
    )


def write_sweep_page(out_dir: Path) -> Path | None:
    """summary.html of a sweep folder (see chimera.pages.sweep_page)."""
    from chimera.pages.sweep_page import render_sweep_page

    return _safely(out_dir / SUMMARY_PAGE, lambda: render_sweep_page(out_dir))


def write_index(folder: Path) -> Path | None:
    """index.html of an output folder (runs/, comparisons/ ...), listing every folder in it."""
    from chimera.pages.index_page import render_index

    return _safely(folder / INDEX_PAGE, lambda: render_index(scan([folder]), folder))


def write_missing_pages(folders: list[Path]) -> list[Path]:
    """Pages for folders that lack them (written before pages existed), then each index."""
    written: list[Path] = []
    for root in folders:
        children = [root] if kind_of(root) else sorted(p for p in root.iterdir() if p.is_dir())
        for child in children:
            kind = kind_of(child)
            page: Path | None = None
            if kind == "run" and (child / "run.json").is_file() and not (child / RUN_PAGE).exists():
                page = write_run_page(child)
            elif (
                kind == "comparison"
                and (child / "summary.json").is_file()
                and not (child / SUMMARY_PAGE).exists()
            ):
                page = write_comparison_page(child)
            elif kind == "sweep" and not (child / SUMMARY_PAGE).exists():
                page = write_sweep_page(child)
            if page:
                written.append(page)
        if not kind_of(root):
            index = write_index(root)
            if index:
                written.append(index)
    return written
