"""`chimera sweep`: a grid of agent-config settings, measured with repetitions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chimera.cli._app import (
    ExecutorOption,
    RayAddressOption,
    app,
    check_executor,
    guarded,
    shown,
    stderr_console,
)
from chimera.escape import terminal
from chimera.metrics import format_metric


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def sweep_progress_printer(console: Console) -> Callable[[Any], None]:
    """One stderr line when a run starts and one when it ends: cell i of n, repetition,
    host, elapsed, and the estimate of the time left."""

    def show(event: Any) -> None:
        if event.phase == "ingest":
            detail = f" {event.detail}" if event.detail else " ..."
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] digesting the data once{detail}")
            return
        run = event.run
        width = len(str(event.total))
        counter = f"[{event.done + (1 if event.phase == 'start' else 0):>{width}}/{event.total}]"
        what = "warm-up" if run.kind == "warmup" else "repetition"
        rounds = f" {run.round}"
        if event.phase == "start":
            left = "" if event.left_s is None else f", ~{_duration(event.left_s)} left"
            console.print(
                f"[dim]{event.elapsed_s:7.2f}s[/] {counter} cell {event.cell_index} of"
                f" {event.cells} {shown(run.cell)}, {what}{rounds}, on"
                f" {shown(event.host)}{left}"
            )
            return
        record = event.record
        if record.status != "ok":
            console.print(
                f"[dim]{event.elapsed_s:7.2f}s[/] {counter} {shown(run.cell)}"
                f" [red]failed[/]: {shown(record.error)}"
            )
            return
        figures = record.figures
        cold = ""
        if record.cold_calls:
            cold = f"; cold start, load {format_metric(record.cold_load_ms, 'ms', 0)} (kept apart)"
        console.print(
            f"[dim]{event.elapsed_s:7.2f}s[/] {counter} {shown(run.cell)} [green]done[/] in"
            f" {record.wall_s:.2f}s: {format_metric(figures.get('throughput_tok_s'), 'tok/s', 1)},"
            f" TTFT {format_metric(figures.get('ttft_ms'), 'ms', 0)}{cold}"
        )

    return show


def print_sweep(console: Console, result: Any) -> None:
    """The verdict, the ranking's top and the flags, on stderr."""
    from chimera.sweep.results import settings_text

    objective = result.objective
    if result.best is None:
        console.print("[yellow]no cell has a figure for the objective; see summary.md[/]")
    else:
        best = result.cell(result.best)
        figure = best.figures[objective.key]
        console.print(
            f"[bold]best for {objective.label.lower()}:[/] {shown(best.label)}"
            f" ({shown(settings_text(best.values))})"
            f" at {format_metric(figure.mean, objective.unit)} (n={figure.n})"
        )
        if best.baseline:
            console.print("  it is the base config itself")
        elif result.best_verdict is not None:
            console.print(
                f"  vs the base config ({shown(result.baseline)}):"
                f" {shown(result.best_verdict.verdict)}"
            )
        if result.runner_up_verdict is not None:
            console.print(
                f"  vs the runner-up ({shown(result.runner_up)}):"
                f" {shown(result.runner_up_verdict.verdict)}"
            )
    for cell in result.cells:
        if cell.flags:
            console.print(f"  [yellow]{shown(cell.label)}[/]: {shown('; '.join(cell.flags))}")
    if result.runs_failed:
        console.print(f"[yellow]{result.runs_failed} run(s) failed; see summary.md[/]")
    out = Path(result.out_dir or ".")
    if result.best is not None:
        console.print(f"best config: {out / 'best.yaml'}")


def print_dry_run(plan: Any, estimate: Any) -> None:
    """The cells, the hosts and the time it should take, on stdout."""
    from chimera.backends.registry import backend_spec

    runs = plan.total_runs
    typer.echo(
        f"Sweep {terminal(plan.name)}: {len(plan.cells)} cells x {plan.runs} runs"
        f" + {plan.warmup} warm-up round(s) = {runs} runs, {plan.order} order,"
        f" objective {plan.objective}"
    )
    width = max(len(c.label) for c in plan.cells)
    for i, cell in enumerate(plan.cells, start=1):
        note = "  (baseline: the base config)" if cell.baseline else ""
        typer.echo(
            f"  {i:>3}  {terminal(cell.label):<{width}}  {terminal(cell.settings_text())}{note}"
        )
    spec = backend_spec(plan.base)
    hosts = ", ".join(terminal(h) for h in spec.hosts(plan.base))
    typer.echo(f"Hosts: {hosts} ({spec.max_in_flight_per_host(plan.base)} run at a time each)")
    typer.echo(
        f"Estimate: about {_duration(estimate.total_s)} ({runs} runs x"
        f" {estimate.per_run_s:.1f} s, {estimate.slots} at a time; {terminal(estimate.basis)})"
    )
    typer.echo("Nothing was sent to any server (--dry-run).")


@app.command("sweep")
def sweep_command(
    ctx: typer.Context,
    # A str, not a Path: typer would turn "" into "." (the current folder).
    data_dir: Annotated[
        str | None,
        typer.Argument(
            metavar="DATA_DIR", help="Folder of benchmark artifacts (or `data:` in --spec)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", metavar="FILE", help="The base agent config (or `config:` in --spec)."
        ),
    ] = None,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            "-g",
            metavar="KEY=VALUES",
            help="KEY=V1,V2 | KEY=start-stop+step | K1,K2=a:b,c:d (linked); repeatable.",
        ),
    ] = None,
    spec: Annotated[
        Path | None, typer.Option("--spec", metavar="FILE", help="A sweep file (YAML).")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="KEY=V,...",
            help="Drop the cells where KEY=V[,KEY=V] all hold; repeatable.",
        ),
    ] = None,
    runs: Annotated[
        int | None,
        typer.Option("--runs", "-n", min=1, metavar="N", help="Measured runs per cell (3)."),
    ] = None,
    warmup: Annotated[
        int | None,
        typer.Option("--warmup", min=0, metavar="N", help="Warm-up rounds over all cells (0)."),
    ] = None,
    objective: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="throughput (default), ttft, wall or quality."),
    ] = None,
    order: Annotated[
        str | None,
        typer.Option(metavar="ORDER", help="rotated (default) or shuffled: each round's order."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(metavar="N", help="Seed of the shuffled order.")
    ] = None,
    name: Annotated[
        str | None, typer.Option(metavar="NAME", help="Name of the sweep folder.")
    ] = None,
    include_cold: Annotated[
        bool,
        typer.Option("--include-cold", help="Count cold-start calls in the figures."),
    ] = False,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Sweeps go under here.")
    ] = Path("sweeps"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the cells and the time; send nothing.")
    ] = False,
    personas_dir: Annotated[
        list[Path] | None,
        typer.Option("--personas-dir", metavar="DIR", help="Extra persona folder (repeatable)."),
    ] = None,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Sweep agent-config settings over a grid; print the summary path."""
    from chimera.sweep.execution import asweep, dry_run_estimate, plan_sweep

    check_executor(executor)
    plan = guarded(
        ctx,
        lambda: plan_sweep(
            data_dir,
            config,
            spec=spec,
            grid=grid or [],
            exclude=exclude or [],
            runs=runs,
            warmup=warmup,
            objective=objective,
            order=order,
            seed=seed,
            name=name,
            personas_dirs=personas_dir or [],
            include_cold=include_cold,
        ),
    )
    if dry_run:
        print_dry_run(plan, guarded(ctx, lambda: dry_run_estimate(plan, out)))
        return
    console = stderr_console()
    result = guarded(
        ctx,
        lambda: asyncio.run(
            asweep(
                plan,
                out=out,
                progress=sweep_progress_printer(console),
                executor=executor,  # type: ignore[arg-type]
                ray_address=ray_address,
            )
        ),
    )
    print_sweep(console, result)
    typer.echo(str(Path(result.out_dir or ".") / "summary.md"))
