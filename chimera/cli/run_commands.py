"""`chimera run`, `chimera resume` and `chimera personas`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chimera.cli._app import app, fail, guarded, progress_printer
from chimera.cli.compare_commands import print_comparison
from chimera.metrics import format_metric


def _finish_run(console: Console, result: Any) -> None:
    """Summarise a finished run on stderr; the report path goes last on stdout."""
    if not result.ok:
        console.print(f"[bold red]run failed:[/] {result.error}")
        console.print(f"details: {result.run_dir / 'run.json'}")
        raise typer.Exit(3 if result.error_type and "Backend" in result.error_type else 4)
    m = result.metrics
    files = result.inventory.total_files if result.inventory else 0
    console.print(
        f"[green]done[/] in {result.wall_s:.2f}s: {files} files,"
        f" {format_metric(m.tokens_generated)} tokens generated,"
        f" throughput {format_metric(m.throughput_tok_s, 'tok/s')}"
    )
    typer.echo(str(result.report_path))


@app.command("run")
def run_command(
    ctx: typer.Context,
    data_dir: Annotated[Path, typer.Argument(help="Folder of benchmark artifacts.")],
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Agent config YAML (default: embedded gemma3 270M)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Runs are written under here.")] = Path(
        "runs"
    ),
    personas_dir: Annotated[
        list[Path] | None, typer.Option("--personas-dir", help="Extra persona folder (repeatable).")
    ] = None,
) -> None:
    """Analyse DATA_DIR with the insight graph; print the report path."""
    from chimera.execution.runner import arun

    console = Console(stderr=True, highlight=False)
    result = guarded(
        ctx,
        lambda: asyncio.run(
            arun(
                data_dir,
                config,
                out=out,
                personas_dirs=personas_dir or [],
                progress=progress_printer(console),
            )
        ),
    )
    _finish_run(console, result)


@app.command("personas")
def personas_command(
    ctx: typer.Context,
    personas_dir: Annotated[
        list[Path] | None, typer.Option("--personas-dir", help="Extra persona folder (repeatable).")
    ] = None,
) -> None:
    """List the personas available and the file each comes from."""
    from chimera.config.personas import PersonaLibrary

    library = guarded(ctx, lambda: PersonaLibrary.discover(personas_dir or []))
    rows = [("name", "role", "title", "from")] + [
        (name, p.role, p.title, str(p.origin)) for name, p in sorted(library.personas.items())
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:  # plain text: full paths, never cut to the terminal's width
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*padded, row[3]]))


@app.command("resume")
def resume_command(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="An interrupted run or comparison folder.")],
) -> None:
    """Finish an interrupted run or comparison; finished work is kept as it is."""
    from chimera.comparison.execution import aresume
    from chimera.comparison.models import PLAN_FILE
    from chimera.execution.runner import REQUEST_FILE, aresume_run

    console = Console(stderr=True, highlight=False)
    if (folder / REQUEST_FILE).is_file():
        run_result = guarded(
            ctx, lambda: asyncio.run(aresume_run(folder, progress=progress_printer(console)))
        )
        _finish_run(console, run_result)
        return
    if not (folder / PLAN_FILE).is_file():
        fail(
            f"{folder} is neither a run folder ({REQUEST_FILE}) nor a comparison folder"
            f" ({PLAN_FILE}); pass the folder `chimera run` or `chimera compare` created",
            2,
        )
    result = guarded(ctx, lambda: asyncio.run(aresume(folder, progress=progress_printer(console))))
    print_comparison(console, result)
    typer.echo(str(Path(result.out_dir or ".") / "summary.md"))
