"""`chimera compare`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chimera.cli._app import app, fail, guarded, progress_printer
from chimera.metrics import format_metric


def print_comparison(console: Console, result: Any) -> None:
    for pair, deltas in result.deltas.items():
        console.print(f"[bold]{pair}[/] (delta = B - A):")
        for d in deltas[:2] + [d for d in deltas[2:] if d.outcome in ("better", "worse")]:
            console.print(f"  {d.figure}: {d.verdict}")
    if result.concurrency:
        eff = result.concurrency["efficiency_pct"]
        console.print(f"  parallel efficiency: {format_metric(eff.mean, '%', 1)} (n={eff.n})")
    failed = sum(result.failures.values())
    if failed:
        console.print(f"[yellow]{failed} run(s) failed; see summary.md[/]")


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    data_dir: Annotated[Path, typer.Argument(help="Folder of benchmark artifacts.")],
    a: Annotated[Path | None, typer.Option("--a", help="Config of agent A (the baseline).")] = None,
    b: Annotated[Path | None, typer.Option("--b", help="Config of agent B.")] = None,
    config: Annotated[
        list[Path] | None,
        typer.Option("--config", "-c", help="More configs (C, D, ...), or all of them."),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Measured repetitions.")] = 3,
    warmup: Annotated[int, typer.Option(min=0, help="Warm-up repetitions (excluded).")] = 0,
    mode: Annotated[
        str, typer.Option(help="concurrent (all agents at once) or sequential (A B B A ...).")
    ] = "concurrent",
    out: Annotated[Path, typer.Option("--out", "-o", help="Comparisons go under here.")] = Path(
        "comparisons"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap resampling.")] = 0,
    personas_dir: Annotated[
        list[Path] | None, typer.Option("--personas-dir", help="Extra persona folder (repeatable).")
    ] = None,
) -> None:
    """Compare agent configs over repeated runs; print the summary path."""
    from chimera.comparison.execution import acompare
    from chimera.comparison.models import shared_names
    from chimera.escape import terminal
    from chimera.execution.runner import resolve_config

    if mode not in ("concurrent", "sequential"):
        fail(f"--mode must be 'concurrent' or 'sequential', not '{mode}'", 2)
    configs = [p for p in (a, b) if p is not None] + list(config or [])
    if len(configs) < 2:
        fail("give two configs to compare: --a A.yaml --b B.yaml (or --config twice)", 2)
    console = Console(stderr=True, highlight=False)
    loaded = guarded(ctx, lambda: [resolve_config(p) for p in configs])
    for name in shared_names(loaded):
        same = [c for c in loaded if c.name == name]
        files = ", ".join(str(c.source) for c in same)
        warning = (
            f"[yellow]warning:[/] {len(same)} configs are named '{terminal(name)}'"
            f" ({terminal(files)}); summaries label them by letter, but give each its own"
            " `name:` in its YAML file to tell them apart"
        )
        console.print(warning, soft_wrap=True)
    result = guarded(
        ctx,
        lambda: asyncio.run(
            acompare(
                data_dir,
                loaded,
                runs=runs,
                warmup=warmup,
                mode=mode,  # type: ignore[arg-type]
                out=out,
                personas_dirs=personas_dir or [],
                progress=progress_printer(console),
                seed=seed,
            )
        ),
    )
    print_comparison(console, result)
    typer.echo(str(Path(result.out_dir or ".") / "summary.md"))
