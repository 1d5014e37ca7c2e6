"""Logging: library code logs through `get_logger`; only an application (the CLI) configures.

Library loggers are structlog loggers over stdlib loggers named `chimera.*`. Until an
application sets logging up, the stdlib's defaults apply: nothing below WARNING is shown,
warnings go to stderr, and nothing global is changed by importing or calling Chimera.
The CLI calls `configure_logging`: human-readable lines on stderr, or JSON lines
(`--log-json`), at the level asked; stdout stays for what scripts read.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import structlog

ROOT_LOGGER = "chimera"


def get_logger(name: str) -> Any:
    """A structlog logger writing through the stdlib logger `name` (under `chimera.`)."""
    return structlog.wrap_logger(
        logging.getLogger(name), wrapper_class=structlog.stdlib.BoundLogger
    )


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time: tests and tools swap the stream."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:  # StreamHandler.__init__ sets it; ignore
        pass


def configure_logging(
    *,
    json_lines: bool = False,
    level: str = "warning",
    scrub: Callable[[str], str] | None = None,
) -> None:
    """For applications (the CLI): render Chimera's logs on stderr at `level`.

    `scrub` rewrites every text value of an event before it is rendered (the CLI passes
    `chimera.escape.redact_url`, so no credential in a URL reaches a log line)."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )

    def scrubbed(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        if scrub is None:
            return event
        return {k: scrub(v) if isinstance(v, str) else v for k, v in event.items()}

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            scrubbed,
            renderer,
        ],
        cache_logger_on_first_use=False,
    )
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(ROOT_LOGGER)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.getLevelNamesMapping()[level.upper()])
    logger.propagate = False
