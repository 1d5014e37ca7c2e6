"""The data folder a run, a comparison, a sweep or `chimera findings` is pointed at."""

from __future__ import annotations

from pathlib import Path

from chimera.errors import DataError
from chimera.escape import not_utf8


def check_data_dir(data_dir: str | Path) -> Path:
    """Refuse an empty path, a missing folder or a file before any model is touched."""
    if isinstance(data_dir, str) and not data_dir.strip():
        # Path("") is ".", which would analyse whatever folder the command runs in.
        raise DataError(
            "the data folder is an empty string",
            hint="name the folder of benchmark artifacts; use . for the current folder",
        )
    data_dir = Path(data_dir)
    # Both: a UTF-8 link to a folder whose real path is not UTF-8 is resolved before use.
    shown = not_utf8(data_dir.absolute()) or not_utf8(data_dir.resolve())
    if shown:  # no report, page or JSON file can hold its name: refused before any work
        raise DataError(
            f"the data folder's path is not valid UTF-8: {shown}",
            hint="rename the folder (or its parent) to a UTF-8 name",
        )
    if not data_dir.exists():
        raise DataError(f"data folder not found: {data_dir}", hint="check the path")
    if not data_dir.is_dir():
        raise DataError(
            f"{data_dir} is a file, not a folder", hint="pass the folder that holds the artifacts"
        )
    return data_dir
