"""`chimera run`, `chimera resume` and `chimera personas`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chimera.cli._app import (
    ExecutorOption,
    RayAddressOption,
    app,
    check_executor,
    fail,
    guarded,
    progress_printer,
    stderr_console,
)
from chimera.cli.compare_commands import finish_comparison
from chimera.cli.sweep_commands import print_sweep, sweep_progress_printer
from chimera.escape import terminal
from chimera.metrics import format_metric

PERSONAS_DIR_OPTION = typer.Option(
    "--personas-dir", metavar="DIR", help="Extra persona folder (repeatable)."
)


def _finish_run(ctx: typer.Context, console: Console, result: Any) -> None:
    """Summarise a finished run on stderr; the report path goes last on stdout.

    A failed run ends with its error's exit code: 3 for the backend, 4 for anything else.
    """
    if not result.ok:
        guarded(ctx, result.raise_for_status)
    m = result.metrics
    files = result.inventory.total_files if result.inventory else 0
    console.print(
        f"[green]done[/] in {result.wall_s:.2f}s: {files} files,"
        f" {format_metric(m.tokens_generated)} tokens generated,"
        f" throughput {format_metric(m.throughput_weighted_tok_s, 'tok/s')} (tokens / eval time)"
    )
    typer.echo(shown_path(result.report_path))


def shown_path(path: Path) -> str:
    """`path` relative to the working folder when it lies inside it (as the user typed
    --out), else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@app.command("run")
def run_command(
    ctx: typer.Context,
    # A str, not a Path: typer would turn "" into "." (the current folder).
    data_dir: Annotated[
        str, typer.Argument(metavar="DATA_DIR", help="Folder of benchmark artifacts.")
    ],
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            metavar="FILE",
            help="Agent config YAML (default: embedded gemma3 270M).",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Runs are written under here.")
    ] = Path("runs"),
    personas_dir: Annotated[list[Path] | None, PERSONAS_DIR_OPTION] = None,
) -> None:
    """Analyse DATA_DIR with the insight graph; print the report path."""
    from chimera.execution.runner import arun

    console = stderr_console()
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
    _finish_run(ctx, console, result)


@app.command("personas")
def personas_command(
    ctx: typer.Context,
    personas_dir: Annotated[list[Path] | None, PERSONAS_DIR_OPTION] = None,
) -> None:
    """List the personas available and the file each comes from."""
    from chimera.config.personas import PersonaLibrary

    library = guarded(ctx, lambda: PersonaLibrary.discover(personas_dir or []))
    rows = [("name", "role", "title", "from")] + [
        (terminal(name), p.role, terminal(p.title), terminal(p.origin))
        for name, p in sorted(library.personas.items())
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:  # plain text: full paths, never cut to the terminal's width
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*padded, row[3]]))


@app.command("resume")
def resume_command(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="An interrupted run, comparison or sweep folder."),
    ],
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Finish an interrupted run, comparison or sweep; finished work is kept as it is."""
    from chimera.comparison.execution import aresume
    from chimera.comparison.models import PLAN_FILE
    from chimera.execution.runner import REQUEST_FILE, aresume_run
    from chimera.sweep.execution import aresume_sweep, is_sweep_folder

    check_executor(executor)
    console = stderr_console()
    on: dict = {"executor": executor, "ray_address": ray_address}
    if is_sweep_folder(folder):
        swept = guarded(
            ctx,
            lambda: asyncio.run(
                aresume_sweep(folder, progress=sweep_progress_printer(console), **on)
            ),
        )
        print_sweep(console, swept)
        typer.echo(str(Path(swept.out_dir or ".") / "summary.md"))
        return
    if (folder / REQUEST_FILE).is_file():
        run_result = guarded(
            ctx, lambda: asyncio.run(aresume_run(folder, progress=progress_printer(console)))
        )
        _finish_run(ctx, console, run_result)
        return
    if not (folder / PLAN_FILE).is_file():
        fail(
            f"{folder} is neither a run folder ({REQUEST_FILE}) nor a comparison or sweep folder"
            f" ({PLAN_FILE}); pass the folder `chimera run`, `chimera compare` or"
            " `chimera sweep` created",
            2,
        )
    result = guarded(
        ctx, lambda: asyncio.run(aresume(folder, progress=progress_printer(console), **on))
    )
    finish_comparison(ctx, console, result)
