"""Read YAML files into pydantic models, turning every failure into one ConfigError line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from chimera.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """Parse a YAML file that must hold a mapping; `what` names it in errors ("agent config")."""
    if not path.exists():
        raise ConfigError(f"{what} not found: {path}", hint="check the path")
    if path.is_dir():
        raise ConfigError(f"{what} is a folder, not a YAML file: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"{path}{where}: YAML syntax error: {problem}",
            hint="fix the YAML at that position",
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: a {what} must be a YAML mapping of keys to values, got {type(data).__name__}"
        )
    return data


def describe_validation_error(
    path: Path | str, exc: ValidationError, model: type[BaseModel]
) -> str:
    """All pydantic errors on one line, each naming the field and what is allowed."""
    parts: list[str] = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            allowed = _allowed_fields(model, err["loc"][:-1])
            parts.append(f"unknown key '{loc}' (allowed: {', '.join(allowed)})")
        elif err["type"] == "missing":
            parts.append(f"missing required key '{loc}'")
        else:
            parts.append(f"'{loc}': {err['msg']} (got {err.get('input')!r})")
    return f"{path}: " + "; ".join(parts)


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Walk nested models along `loc` and list the keys the innermost one accepts."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return ["(see docs)"]
        annotation = current.model_fields[part].annotation
        current = _model_in(annotation)
    if current is None:
        return ["(see docs)"]
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def load_model(path: Path, model: type[M], what: str, **extra: Any) -> M:
    """Read `path` and validate it as `model`; `extra` adds values not in the file (e.g. origin)."""
    data = read_yaml_mapping(path, what)
    try:
        return model.model_validate({**data, **extra})
    except ValidationError as exc:
        raise ConfigError(
            describe_validation_error(path, exc, model), hint=f"fix the {what}"
        ) from exc
