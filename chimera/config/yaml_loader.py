"""Read YAML files into pydantic models, turning every failure into one ConfigError line.

Configs and personas are small files a user writes, so the loader refuses what no such file
needs and what a hostile one uses:

- a file over `MAX_FILE_BYTES`;
- aliases that expand to more than `MAX_EXPANDED_NODES` values (a 450-byte "billion laughs"
  file of nested aliases expands to 9**9 values) or that refer to themselves;
- the same key twice in one mapping (YAML keeps the last silently);

and any value it quotes in an error is cut to `MAX_QUOTED` characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from chimera.errors import ConfigError
from chimera.escape import shorten

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 1024 * 1024
MAX_EXPANDED_NODES = 10_000
MAX_QUOTED = 80


def clip(value: object, limit: int = MAX_QUOTED) -> str:
    """`repr(value)`, cut to about `limit` characters: errors stay one readable line."""
    return shorten(repr(value), limit)


class _Refused(Exception):
    """The YAML is well-formed but refused; the message names the line."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys in a mapping."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`
                    continue
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    continue  # unhashable: the base class says why
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise _Refused(f"duplicate key {clip(key)} (line {line}); keep one of them")
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_EXPANDED_NODES values."""
    sizes: dict[int, int] = {}  # node id -> values it expands to (shared by its aliases)
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise _Refused(f"an alias refers to itself (line {node.start_mark.line + 1})")
        on_path.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children: list[yaml.Node] = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise _Refused(
                    f"its aliases expand to more than {MAX_EXPANDED_NODES:,} values "
                    f"(line {node.start_mark.line + 1}); write the values out instead"
                )
        on_path.discard(key)
        sizes[key] = total
        return total

    size(root)


def _parse(text: str) -> Any:
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """Parse a YAML file that must hold a mapping; `what` names it in errors ("agent config")."""
    if not path.exists():
        raise ConfigError(f"{what} not found: {path}", hint="check the path")
    if path.is_dir():
        raise ConfigError(f"{what} is a folder, not a YAML file: {path}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(
                f"{path}: {size / 1024 / 1024:.1f} MB is too large for a {what} "
                f"(at most {MAX_FILE_BYTES // 1024 // 1024} MB)",
                hint="point at the YAML file itself",
            )
        data = _parse(path.read_text(encoding="utf-8"))
    except _Refused as exc:
        raise ConfigError(f"{path}: {exc}", hint=f"fix the {what}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read", hint=f"fix the {what}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = shorten(problem, 2 * MAX_QUOTED)
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


MAX_ERRORS_LISTED = 5


def describe_validation_error(
    path: Path | str, exc: ValidationError, model: type[BaseModel]
) -> str:
    """All pydantic errors on one line, each naming the field and what is allowed."""
    parts: list[str] = []
    errors = exc.errors()
    for err in errors:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        loc = shorten(loc, MAX_QUOTED)
        if err["type"] == "extra_forbidden":
            allowed = _allowed_fields(model, err["loc"][:-1])
            parts.append(f"unknown key '{loc}' (allowed: {', '.join(allowed)})")
        elif err["type"] == "missing":
            parts.append(f"missing required key '{loc}'")
        else:
            # A validator's own words, without pydantic's "Value error, " in front.
            cause = (err.get("ctx") or {}).get("error") if err["type"] == "value_error" else None
            message = str(cause) if cause is not None else err["msg"]
            parts.append(f"'{loc}': {message} (got {clip(err.get('input'))})")
        if len(parts) == MAX_ERRORS_LISTED and len(errors) > MAX_ERRORS_LISTED:
            parts.append(f"and {len(errors) - len(parts)} more")
            break
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
