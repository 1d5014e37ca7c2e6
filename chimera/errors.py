"""Chimera's one error tree, translated at the boundary.

    ChimeraError                 base: every error the CLI turns into one line + exit code
    ├── ConfigError              a user-fixable config/persona/CLI problem      (exit 2)
    ├── DataError                the data folder is missing, not a folder, or empty (exit 2)
    ├── BackendError             talking to a model failed                        (exit 3)
    │   ├── BackendUnreachable   no server at the URL
    │   ├── ModelMissing         the server (or disk) does not have the model
    │   ├── BackendTimeout       the request took longer than the configured timeout
    │   └── BackendProtocolError HTTP 5xx, a cut stream, an unreadable answer
    ├── FolderInUse              another process works in that run/comparison folder (exit 2)
    ├── RunFailed                a graph run could not finish                     (exit 4)
    │   └── OutputError          its output could not be written (disk full, permissions)
    └── RunInterrupted           Ctrl-C: what finished was kept                   (exit 130)

Exceptions from httpx, ollama and llama.cpp are caught where they enter Chimera and
re-raised as one of these, so callers never need to know which library failed. A failed
run records its error's class name (`RunResult.error_type`); `run_failure` turns that back
into the error the CLI exits with, by the class, never by a part of its name.
"""

from __future__ import annotations


class ChimeraError(Exception):
    """Base of every error Chimera raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        """The message and the fix, on one line, as the CLI prints it."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(ChimeraError):
    """A config, persona or command-line value is wrong; the message names file and field."""

    exit_code = 2


class DataError(ChimeraError):
    """The data folder cannot be analysed at all (missing, a file, no matching files)."""

    exit_code = 2


class BackendError(ChimeraError):
    """A model backend failed."""

    exit_code = 3


class BackendUnreachable(BackendError):
    """Nothing answered at the backend's URL."""


class ModelMissing(BackendError):
    """The backend is up but does not have the requested model."""


class BackendTimeout(BackendError):
    """A request exceeded the configured timeout."""


class BackendProtocolError(BackendError):
    """The backend answered, but not with a usable response (5xx, cut stream, bad JSON)."""


class FolderInUse(ChimeraError):
    """Another process holds the lock of a run, comparison or sweep folder."""

    exit_code = 2


class RunFailed(ChimeraError):
    """A graph run could not complete."""

    exit_code = 4


class OutputError(RunFailed):
    """A file of a run's output could not be written: the disk is full, or not writable."""


class RunInterrupted(ChimeraError):
    """The run was cancelled (Ctrl-C); `result` holds what had finished, if anything."""

    exit_code = 130

    def __init__(self, result: object | None = None, message: str = "interrupted") -> None:
        super().__init__(message)
        self.result = result


def error_class(name: str | None) -> type[ChimeraError] | None:
    """The class of this tree called `name` (as run.json records it), or None."""
    pending: list[type[ChimeraError]] = [ChimeraError]
    while pending:
        cls = pending.pop()
        if cls.__name__ == name:
            return cls
        pending.extend(cls.__subclasses__())
    return None


def run_failure(error_type: str | None, message: str, *, hint: str | None = None) -> ChimeraError:
    """The error a failed run ends with: its backend error (exit 3), else RunFailed (exit 4)."""
    cls = error_class(error_type)
    if cls is not None and issubclass(cls, BackendError):
        return cls(message, hint=hint)
    return RunFailed(message, hint=hint)
