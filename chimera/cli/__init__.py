"""The `chimera` command. Progress goes to stderr; stdout carries only what scripts read.

Errors Chimera raises on purpose become one line and an exit code (see chimera.errors);
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys

# Importing the command modules registers their commands on the app.
from chimera.cli import (  # noqa: F401
    compare_commands,
    findings_commands,
    history_commands,
    run_commands,
    sweep_commands,
    verify_commands,
)
from chimera.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
