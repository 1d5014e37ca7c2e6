"""The typer app, its global options, and what every command shares: errors and progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from chimera._version import __version__
from chimera.errors import ChimeraError
from chimera.escape import redact_url, terminal
from chimera.logging import configure_logging

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help: the rich layout labels flags `<bool>` and lists `<list[Path]>`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
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
    log_level: Annotated[
        str, typer.Option(metavar="LEVEL", help="debug, info, warning or error.")
    ] = "warning",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        fail(f"--log-level must be debug, info, warning or error, not '{log_level}'", 2)
    configure_logging(json_lines=log_json, level=log_level, scrub=redact_url)
    ctx.obj = CliState(debug=debug)


def stderr_console() -> Console:
    """Where progress and errors go. soft_wrap: a line stays one line however narrow the
    terminal (or when stderr is a pipe), so scripts and tests can grep it."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def shown(text: object) -> str:
    """Data-derived text (names, paths, errors) as a console prints it: no terminal escape
    sequence or line break reaches the terminal, and `[...]` is text, not rich markup; a
    URL's credentials are redacted."""
    return escape(terminal(redact_url(str(text))))


def fail(message: str, code: int) -> None:
    stderr_console().print(f"[bold red]error:[/] {shown(message)}")
    raise typer.Exit(code)


def guarded(ctx: typer.Context, work: Callable[[], T]) -> T:
    """Run `work`, mapping Chimera's errors to one line + exit code (traceback with --debug)."""
    debug = isinstance(ctx.obj, CliState) and ctx.obj.debug
    try:
        return work()
    except ChimeraError as exc:
        if debug:
            raise
        fail(exc.one_line(), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; finished work was kept", 130)
    except Exception as exc:
        if debug:
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", 1)
    raise AssertionError("unreachable")


def progress_printer(console: Console) -> Callable[[Any], None]:
    """Print one stderr line per node start and end (and progress in long ones), with time."""
    from chimera.state import NODE_LABELS  # not at the top: `chimera --version` stays fast

    def show(event: Any) -> None:
        label = NODE_LABELS.get(event.node, event.node)
        agent = shown(event.agent)
        if event.phase == "start":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {agent}: {label} ...")
        elif event.phase == "progress":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {agent}: {label} {shown(event.detail)}")
        elif event.phase == "end":
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {agent}: {label} [green]done[/]")
        else:
            console.print(f"[dim]{event.elapsed_s:7.2f}s[/] {agent}: {label} [red]failed[/]")

    return show


# `--executor` and `--ray-address`, as compare, sweep and resume take them.
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        metavar="NAME",
        help="local (this process, the default) or ray (a Ray cluster; needs the ray extra).",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDRESS",
        help="The Ray cluster to join (else RAY_ADDRESS; else a local one is started).",
    ),
]


def check_executor(executor: str) -> None:
    """One line, exit 2, for an executor that does not exist."""
    if executor not in ("local", "ray"):
        fail(f"--executor must be 'local' or 'ray', not '{shown(executor)}'", 2)
