"""Where runs are written: a new folder per run, files written atomically, nothing overwritten.

Every folder Chimera creates for a run, a comparison or a sweep holds a marker file,
`MARKER` (`.chimera.json`: kind, version, creation time), so Chimera recognises its own
output wherever it finds it, e.g. inside a data folder it is asked to analyse.

While a process works in such a folder it holds `folder_lock` on it (an exclusive `flock`
of `LOCK_FILE` in the folder, released when the process ends, however it ends): a second
`chimera resume` of the same folder fails at once instead of redoing the work and
overwriting what the first one writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from chimera._version import __version__
from chimera.errors import ConfigError, FolderInUse, OutputError
from chimera.escape import not_utf8

# Re-exported: Chimera writes its marker here; the inventory, below, reads it.
from chimera.ingest.marker import MARKER, OutputKind
from chimera.ingest.marker import output_kind as output_kind

try:
    import fcntl
except ImportError:  # not POSIX (Windows): folders are not locked
    fcntl = None  # type: ignore[assignment]

M = TypeVar("M", bound=BaseModel)

LOCK_FILE = ".chimera.lock"


# Folder names are built from config names, which may be of any length; most file systems
# refuse a name over 255 bytes. Longer slugs are cut, with a hash of the whole so they differ.
MAX_SLUG = 64


def slug(text: str) -> str:
    """`text` as a short folder-name part: lower-case letters, digits and dashes."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "run"
    if len(value) <= MAX_SLUG:
        return value
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"{value[: MAX_SLUG - 9].rstrip('-')}-{digest}"


def new_run_dir(out_dir: Path, label: str, now: datetime, kind: OutputKind = "run") -> Path:
    """Create and return a fresh, marked folder `<out>/<timestamp>_<label>`; never reuse one."""
    shown = not_utf8(out_dir.absolute()) or not_utf8(out_dir.resolve())
    if shown:  # its path goes into run.json and the pages, which cannot hold it
        raise ConfigError(
            f"the output folder's path is not valid UTF-8: {shown}",
            hint="choose another --out, with a UTF-8 name",
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    stem = f"{now.strftime('%Y%m%d-%H%M%S')}_{slug(label)}"
    for attempt in range(1, 1000):
        candidate = out_dir / (stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            candidate.mkdir()  # atomic: fails if another run took the name first
        except FileExistsError:
            continue
        except OSError as exc:
            raise ConfigError(
                f"cannot create a folder in {out_dir}: {exc.strerror or exc}",
                hint="choose another --out (a writable folder with free space)",
            ) from exc
        try:
            mark_output(candidate, kind, now)
        except OutputError as exc:
            with suppress(OSError):
                candidate.rmdir()  # empty: nothing of the run was written
            raise ConfigError(exc.message, hint="choose another --out, or free space") from exc
        return candidate
    raise ConfigError(f"too many runs named {stem} in {out_dir}")


def mark_output(folder: Path, kind: OutputKind, now: datetime) -> None:
    """Mark `folder` as Chimera's own output (see MARKER)."""
    marker = {"kind": kind, "chimera_version": __version__, "created": now.isoformat()}
    write_atomic(folder / MARKER, json.dumps(marker) + "\n")


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file.

    The file gets the permissions any new file of the user gets (0666 less the umask), not
    the temp file's 0600. Failing to write (disk full, no permission) is an OutputError
    naming the file; the file as it was before is untouched.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc}",
        hint="free disk space or fix the folder's permissions",
    )


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` for this process; FolderInUse at once if another process holds it.

    The lock is the kernel's (flock), so a process that dies, however it dies, frees it;
    the file stays, holding the pid of the last holder for the error message.
    """
    path = Path(folder) / LOCK_FILE
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until the block ends
    except OSError as exc:
        raise ConfigError(f"cannot lock {folder}: {exc.strerror or exc}") from exc
    with handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip()
                by = f" (pid {holder})" if holder.isdigit() else ""
                raise FolderInUse(
                    f"{folder} is in use by another Chimera process{by}",
                    hint="wait for it to finish or stop it; two processes in one folder "
                    "would redo each other's work",
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def discard_unused(folder: Path, bookkeeping: set[str]) -> bool:
    """Remove a folder this process just created, if it holds nothing but `bookkeeping` files.

    For a run or comparison refused before any work (its data unusable, its server down):
    an empty folder left behind would read as a run that happened. Anything else in it
    (a report, a repetition) keeps the folder as it is. Returns whether it was removed.
    """
    allowed = bookkeeping | {MARKER, LOCK_FILE}
    try:
        entries = list(folder.iterdir())
        if any(e.name not in allowed or not e.is_file() for e in entries):
            return False
        for entry in entries:
            entry.unlink()
        folder.rmdir()
    except OSError:
        return False
    return True


def read_saved(path: Path, model: type[M], *, hint: str) -> M:
    """A JSON file Chimera wrote (request.json, plan.json, ...) read back as `model`.

    A file that is missing, unreadable, cut short or edited into something else is one
    ConfigError naming it (the folder is the user's input to `chimera resume`).
    """
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing", hint=hint) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}", hint=hint) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(
            f"{path} is damaged: {where + ': ' if where else ''}{first['msg']}{more}", hint=hint
        ) from None
