"""`chimera findings`: the digest and the computed findings of a data folder, no model call."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from chimera.cli._app import app, guarded, shown, stderr_console
from chimera.escape import terminal

PROGRESS_EVERY_S = 2.0  # a big folder reports how far it got, as `chimera run` does


@app.command("findings")
def findings_command(
    ctx: typer.Context,
    # A str, not a Path: typer would turn "" into "." (the current folder).
    data_dir: Annotated[
        str, typer.Argument(metavar="DATA_DIR", help="Folder of benchmark artifacts.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (schema in the README).")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", metavar="FILE", help="Agent config whose ingest: options to use."
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Every finding (else each kind shows its strongest 20)."),
    ] = False,
) -> None:
    """Print DATA_DIR's computed findings and what was not read; no model is called.

    Exit 0 with findings or without, 2 when the folder cannot be used.
    """
    from chimera.execution.data_findings import analyse, dumps

    console = stderr_console()
    last = time.monotonic()

    def on_file(done: int, total: int) -> None:
        nonlocal last
        if done and time.monotonic() - last >= PROGRESS_EVERY_S:
            last = time.monotonic()
            console.print(f"[dim]findings:[/] {done:,} of {total:,} files read")

    result = guarded(
        ctx, lambda: analyse(data_dir, config=config, on_file=on_file, every_finding=every)
    )
    if as_json:
        sys.stdout.write(dumps(result))
        return
    text = result.to_text()
    # Paths and findings come from the data: no control character reaches the terminal.
    typer.echo("\n".join(terminal(line) for line in text.splitlines()))
    console.print(f"[dim]{shown(len(result.findings))} findings; --json for the same as JSON[/]")
