"""Where runs are written: a new folder per run, files written atomically, nothing overwritten."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from chimera.errors import ConfigError


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "run"


def new_run_dir(out_dir: Path, label: str, now: datetime) -> Path:
    """Create and return a fresh folder `<out>/<timestamp>_<label>`; never reuse one."""
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
        return candidate
    raise ConfigError(f"too many runs named {stem} in {out_dir}")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
