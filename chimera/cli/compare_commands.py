"""`chimera compare`."""

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
    shown,
    stderr_console,
)
from chimera.errors import RunFailed
from chimera.metrics import format_metric


def print_comparison(console: Console, result: Any) -> None:
    for pair, deltas in result.deltas.items():
        console.print(f"[bold]{shown(pair)}[/] (delta = B - A):")
        for d in deltas[:2] + [d for d in deltas[2:] if d.outcome in ("better", "worse")]:
            console.print(f"  {shown(d.verdict)}")
    if result.concurrency:
        eff = result.concurrency["efficiency_pct"]
        line = f"  parallel efficiency: {format_metric(eff.mean, '%', 1)} (n={eff.n})"
        strict = result.concurrency.get("strict_efficiency_pct")
        slowdown = result.concurrency.get("slowdown_pct")
        if strict is not None and slowdown is not None:
            line += (
                f"; strict (against solo walls) {format_metric(strict.mean, '%', 1)},"
                f" each agent {format_metric(slowdown.mean, '%', 1)} slower together"
            )
            if result.contention:
                line += " [yellow](contention)[/]"
        else:
            line += "; strict figure not measured (no solo runs)"
        console.print(line)
        note = result.solo_note()
        if note and strict is not None:
            console.print(f"  [yellow]note:[/] {shown(note)}")
    busy = result.busy_note()
    if busy:
        console.print(f"[yellow]busy machine:[/] {shown(busy)}")
    failed = sum(result.failures.values())
    if failed:
        console.print(f"[yellow]{failed} run(s) failed; see summary.md[/]")


def finish_comparison(ctx: typer.Context, console: Console, result: Any) -> None:
    """Verdicts on stderr, the summary path on stdout; exit 4 when a config never ran through.

    The summary is written either way (failures are kept and counted), so its path is printed
    before the error: a script still finds it.
    """
    print_comparison(console, result)
    summary = Path(result.out_dir or ".") / "summary.md"
    typer.echo(str(summary))
    names = {v.label: v.config.name for v in result.plan.variants}
    never = [f"{label} ({names[label]})" for label in result.failed_variants()]
    if never:

        def failed() -> None:
            raise RunFailed(
                f"every measured run of {', '.join(never)} failed, so nothing was compared",
                hint=f"the errors are listed in {summary}",
            )

        guarded(ctx, failed)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    # A str, not a Path: typer would turn "" into "." (the current folder).
    data_dir: Annotated[
        str, typer.Argument(metavar="DATA_DIR", help="Folder of benchmark artifacts.")
    ],
    a: Annotated[
        Path | None, typer.Option("--a", metavar="FILE", help="Config of agent A (the baseline).")
    ] = None,
    b: Annotated[
        Path | None, typer.Option("--b", metavar="FILE", help="Config of agent B.")
    ] = None,
    config: Annotated[
        list[Path] | None,
        typer.Option(
            "--config", "-c", metavar="FILE", help="More configs (C, D, ...), or all of them."
        ),
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", "-n", min=1, metavar="N", help="Measured repetitions.")
    ] = 3,
    warmup: Annotated[
        int, typer.Option(min=0, metavar="N", help="Warm-up repetitions (excluded).")
    ] = 0,
    mode: Annotated[
        str,
        typer.Option(
            metavar="MODE", help="concurrent (all agents at once) or sequential (A B B A ...)."
        ),
    ] = "concurrent",
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Comparisons go under here.")
    ] = Path("comparisons"),
    solo_runs: Annotated[
        int | None,
        typer.Option(
            "--solo-runs",
            min=0,
            metavar="N",
            help="Concurrent mode: repetitions with each agent alone, the reference of the"
            " strict speedup (default 1).",
        ),
    ] = None,
    personas_dir: Annotated[
        list[Path] | None,
        typer.Option("--personas-dir", metavar="DIR", help="Extra persona folder (repeatable)."),
    ] = None,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Compare agent configs over repeated runs; print the summary path."""
    from chimera.comparison.execution import acompare
    from chimera.comparison.models import shared_names
    from chimera.execution.runner import resolve_config

    if mode not in ("concurrent", "sequential"):
        fail(f"--mode must be 'concurrent' or 'sequential', not '{mode}'", 2)
    check_executor(executor)
    configs = [p for p in (a, b) if p is not None] + list(config or [])
    if len(configs) < 2:
        fail("give two configs to compare: --a A.yaml --b B.yaml (or --config twice)", 2)
    console = stderr_console()
    loaded = guarded(ctx, lambda: [resolve_config(p) for p in configs])
    for name in shared_names(loaded):
        same = [c for c in loaded if c.name == name]
        files = ", ".join(str(c.source) for c in same)
        console.print(
            f"[yellow]warning:[/] {len(same)} configs are named '{shown(name)}'"
            f" ({shown(files)}); summaries label them by letter, but give each its own"
            " `name:` in its YAML file to tell them apart"
        )
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
                solo_runs=solo_runs,
                executor=executor,  # type: ignore[arg-type]
                ray_address=ray_address,
            )
        ),
    )
    finish_comparison(ctx, console, result)
