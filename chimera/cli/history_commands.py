"""`chimera runs` (the history of an output folder) and `chimera diff` (two runs compared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chimera.cli._app import app, fail, guarded
from chimera.escape import terminal


def _join(values: list[Any], digits: int, scale: float = 1.0, unit: str = "") -> str:
    shown = ["-" if v is None else f"{v * scale:.{digits}f}{unit}" for v in values]
    return "/".join(shown) if shown else "-"


def _history_rows(entries: list[Any]) -> list[list[str]]:
    rows = [
        [
            "when (UTC)",
            "kind",
            "agent(s)",
            "model",
            "status",
            "tok/s",
            "TTFT ms",
            "grounding",
            "path",
        ]
    ]
    for e in entries:
        rows.append(
            [
                e.when.strftime("%Y-%m-%d %H:%M") if e.when else "?",
                e.kind,
                terminal(", ".join(e.agents) or "-"),
                terminal(", ".join(dict.fromkeys(e.models)) or "-"),
                terminal(e.status),
                _join(e.throughput_tok_s, 2),
                _join(e.ttft_ms, 0),
                _join(e.grounding, 1, 100.0, "%"),
                terminal(e.path),
            ]
        )
    return rows


@app.command("runs")
def runs_command(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(help="An output folder (default: runs/, comparisons/ and sweeps/)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array on stdout.")] = False,
    pages: Annotated[
        bool,
        typer.Option("--pages", help="Write the HTML pages that folders written before lack."),
    ] = False,
) -> None:
    """List every run, comparison and sweep, newest first (one line each)."""
    from chimera.execution.history import DEFAULT_FOLDERS, scan
    from chimera.execution.page_files import write_missing_pages

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if folder is not None and not folder.is_dir():
        fail(f"{folder} is not a folder; pass the folder runs are written to (e.g. runs)", 2)
    folders = [folder] if folder is not None else [Path(f) for f in DEFAULT_FOLDERS]
    folders = [f for f in folders if f.is_dir()]
    if pages and folders:
        written = guarded(ctx, lambda: write_missing_pages(folders))
        console.print(f"wrote {len(written)} page(s)")
    entries = guarded(ctx, lambda: scan(folders))
    if as_json:
        typer.echo(json.dumps([e.to_json() for e in entries], indent=2))
        return
    if not entries:
        where = folder if folder is not None else ", ".join(f"{f}/" for f in DEFAULT_FOLDERS)
        console.print(f"no runs found in {where}; start one with `chimera run DATA_DIR`")
        return
    rows = _history_rows(entries)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:  # plain text, full paths last: never cut to the terminal's width
        typer.echo("  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]]))


def _print_diff(diff: Any) -> None:
    from chimera.pages.diff import NOT_A_STATISTIC, fmt, fmt_delta

    def out(text: str = "") -> None:
        typer.echo(text)

    name = {s: terminal(r.config.name or s) for s, r in (("A", diff.a), ("B", diff.b))}
    out(f"A: {name['A']}  {terminal(diff.a_path)}")
    out(f"B: {name['B']}  {terminal(diff.b_path)}")
    for note in diff.notes:
        out(f"note: {terminal(note)}")
    out()
    out("Configuration differences:")
    if not diff.config:
        out("  none")
    for key, (a, b) in diff.config.items():
        out(
            f"  {terminal(key)}: {terminal('default' if a is None else a)} ->"
            f" {terminal('default' if b is None else b)}"
        )
    out()
    out("Metrics (delta = B - A):")
    width = max(len(m.label) for m in diff.metrics) if diff.metrics else 0
    for m in diff.metrics:
        out(
            f"  {m.label.ljust(width)}  {fmt(m.a, m.unit):>18} -> {fmt(m.b, m.unit):<18}"
            f" {fmt_delta(m):<24} {m.direction}"
        )
    for title, items in (
        ("Findings added in B", diff.findings_added),
        ("Findings gone since A", diff.findings_gone),
        ("Data highlights added in B (the data changed)", diff.highlights_added),
        ("Data highlights gone since A (the data changed)", diff.highlights_gone),
    ):
        if items:
            out()
            out(f"{title}:")
            for item in items:
                out(f"  - {terminal(item)}")
    out()
    out(NOT_A_STATISTIC)


_OWN_FILES = ("request.json", "run.json", "checkpoints.sqlite", "plan.json", "summary.json")


def _chimera_folder_around(path: Path) -> tuple[Path, str] | None:
    """The run, comparison or sweep folder `path` would be written in (at any depth), and
    its kind; folders from before the marker are recognised by their files."""
    from chimera.ingest.marker import output_kind, unmarked_kind

    for folder in path.resolve().parents:
        names = {name for name in _OWN_FILES if (folder / name).is_file()}
        kind = output_kind(folder) or (unmarked_kind(folder, names) if names else None)
        if kind is not None:
            return folder, kind
    return None


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    run_a: Annotated[Path, typer.Argument(help="The earlier (baseline) run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The run to compare with it.")],
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the diff as an HTML page here.")
    ] = None,
) -> None:
    """What changed between two past runs: config, metrics with deltas, findings, grounding."""
    from chimera.execution.runstore import write_atomic
    from chimera.pages.diff import diff_runs
    from chimera.pages.diff_page import render_diff_page

    if html is not None:  # refused before any work: the page must not replace run output
        if not html.parent.is_dir():
            fail(f"cannot write {html}: folder {html.parent} does not exist", 2)
        if (inside := _chimera_folder_around(html)) is not None:
            folder, kind = inside
            fail(
                f"cannot write {html}: it is inside the {kind} folder {folder}, whose files "
                "are Chimera's output; pass a path outside it",
                2,
            )
    diff = guarded(ctx, lambda: diff_runs(run_a, run_b))
    _print_diff(diff)
    if html is not None:
        guarded(ctx, lambda: write_atomic(html, render_diff_page(diff)))
        typer.echo(str(html))
