"""The `chimera` command. Progress goes to stderr; stdout carries only what scripts read.

Errors Chimera raises on purpose become one line and an exit code (see chimera.errors);
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from chimera._version import __version__
from chimera.errors import ChimeraError
from chimera.logging import configure_logging
from chimera.metrics import format_metric

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Chimera: point a graph of LLM agents at a folder of benchmark artifacts.",
)

T = TypeVar("T")


class CliState:
    """Global flags, handed from the callback to commands through typer's context object."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chimera {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="Log as JSON lines on stderr.")
    ] = False,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "warning",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        _fail(f"--log-level must be debug, info, warning or error, not '{log_level}'", 2)
    configure_logging(json_lines=log_json, level=log_level)
    ctx.obj = CliState(debug=debug)


def _fail(message: str, code: int) -> None:
    # soft_wrap: one line however narrow the terminal, so scripts and tests can grep it.
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def guarded(ctx: typer.Context, work: Callable[[], T]) -> T:
    """Run `work`, mapping Chimera's errors to one line + exit code (traceback with --debug)."""
    debug = isinstance(ctx.obj, CliState) and ctx.obj.debug
    try:
        return work()
    except ChimeraError as exc:
        if debug:
            raise
        _fail(exc.one_line(), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted; finished work was kept", 130)
    except Exception as exc:
        if debug:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", 1)
    raise AssertionError("unreachable")


def progress_printer(console: Console) -> Callable[[Any], None]:
    """Print one stderr line per node start and end (and progress in long ones), with time."""
    labels = {"ingest": "ingest", "analyst": "analysis", "writer": "report", "verify": "checks"}

    def show(event: Any) -> None:
        label = labels.get(event.node, event.node)
        if event.phase == "start":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {event.agent}: {label} ...")
        elif event.phase == "progress":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {event.agent}: {label} {event.detail}")
        elif event.phase == "end":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {event.agent}: {label} [green]done[/]")
        else:
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {event.agent}: {label} [red]failed[/]")

    return show


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
    from chimera.runner import arun

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
    from chimera.personas import PersonaLibrary

    library = guarded(ctx, lambda: PersonaLibrary.discover(personas_dir or []))
    rows = [("name", "role", "title", "from")] + [
        (name, p.role, p.title, str(p.origin)) for name, p in sorted(library.personas.items())
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:  # plain text: full paths, never cut to the terminal's width
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*padded, row[3]]))


def _print_comparison(console: Console, result: Any) -> None:
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
    from chimera.compare import acompare

    if mode not in ("concurrent", "sequential"):
        _fail(f"--mode must be 'concurrent' or 'sequential', not '{mode}'", 2)
    configs = [p for p in (a, b) if p is not None] + list(config or [])
    if len(configs) < 2:
        _fail("give two configs to compare: --a A.yaml --b B.yaml (or --config twice)", 2)
    console = Console(stderr=True, highlight=False)
    result = guarded(
        ctx,
        lambda: asyncio.run(
            acompare(
                data_dir,
                configs,
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
    _print_comparison(console, result)
    typer.echo(str(Path(result.out_dir or ".") / "summary.md"))


@app.command("resume")
def resume_command(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="An interrupted run or comparison folder.")],
) -> None:
    """Finish an interrupted run or comparison; finished work is kept as it is."""
    from chimera.compare import aresume
    from chimera.comparison import PLAN_FILE
    from chimera.runner import REQUEST_FILE, aresume_run

    console = Console(stderr=True, highlight=False)
    if (folder / REQUEST_FILE).is_file():
        run_result = guarded(
            ctx, lambda: asyncio.run(aresume_run(folder, progress=progress_printer(console)))
        )
        _finish_run(console, run_result)
        return
    if not (folder / PLAN_FILE).is_file():
        _fail(
            f"{folder} is neither a run folder ({REQUEST_FILE}) nor a comparison folder"
            f" ({PLAN_FILE}); pass the folder `chimera run` or `chimera compare` created",
            2,
        )
    result = guarded(ctx, lambda: asyncio.run(aresume(folder, progress=progress_printer(console))))
    _print_comparison(console, result)
    typer.echo(str(Path(result.out_dir or ".") / "summary.md"))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
