"""`chimera verify`: the figures check and persona compliance of a run's report, again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chimera.cli._app import app, guarded
from chimera.escape import terminal


@app.command("verify")
def verify_command(
    ctx: typer.Context,
    run_dir: Annotated[Path, typer.Argument(help="A run folder (with run.json).")],
    text: Annotated[
        Path | None,
        typer.Option("--text", help="Check this file (an edited report.md, any text) instead."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Trace every figure of RUN_DIR's report (or --text FILE) to that run's data.

    Exit 0 when every figure traces, 1 when any does not, 2 on bad input.
    """
    from chimera.execution.reverify import reverify

    checked = guarded(ctx, lambda: reverify(run_dir, text))
    figures = checked.figures
    if as_json:
        claims = [
            {
                "text": c.text,
                "value": c.value,
                "unit": c.unit,
                "sentence": c.sentence,
                "where": c.where,
                "status": "traced" if c.status == "traced" else "untraced",
                "provenance": c.provenance,
                "found_by": c.found_by,
                "traced_by": c.traced_by,
            }
            for c in figures.claims
        ]
        out = {"claims": claims, "traced": figures.traced, "total": figures.total}
        if checked.compliance is not None or checked.nothing_to_judge:
            out["compliance"] = None if checked.compliance is None else checked.compliance.score
        typer.echo(json.dumps(out, indent=2))
    else:
        typer.echo(terminal(figures.to_markdown().splitlines()[0]))
        for claim in figures.claims:
            if claim.status != "traced":
                why = f" [{claim.traced_by}]" if claim.traced_by else ""
                typer.echo(
                    f"  untraced: {terminal(claim.text)} ({claim.where}){why}: "
                    f"{terminal(claim.sentence)[:160]}"
                )
        if checked.compliance is not None and checked.compliance.items:
            typer.echo(terminal(checked.compliance.to_markdown().splitlines()[0]))
        elif checked.nothing_to_judge:
            typer.echo("Persona requirements: none of the model's text was kept, none to judge.")
    raise typer.Exit(0 if figures.traced == figures.total else 1)
