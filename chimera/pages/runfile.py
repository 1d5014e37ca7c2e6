"""Reading comparison and sweep files (summary.json, plan.json, markers) as plain JSON.

A run's run.json is read typed, through `chimera.run_record.load_run`; the summaries of
comparisons and sweeps are read as dicts, so a folder an older version wrote still loads
and each page renders what is there and says what is not.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from chimera.errors import ConfigError


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; a missing, unreadable or malformed file is a ConfigError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} not found") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc})", hint="was it cut short?") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} does not hold a JSON object")
    return data


def get(data: Any, *keys: str | int, default: Any = None) -> Any:
    """`data[k1][k2]...`, or `default` where a level is missing or of another type."""
    for key in keys:
        if isinstance(key, int) and isinstance(data, list) and -len(data) <= key < len(data):
            data = data[key]
            continue
        if isinstance(key, str) and isinstance(data, dict) and key in data:
            data = data[key]
            continue
        return default
    return default if data is None else data


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def number(value: Any) -> float | None:
    """A JSON number as float; None for null, text, booleans and non-finite values."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None


def when(value: Any) -> datetime | None:
    """An ISO timestamp from the JSON, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
