"""A sweep's cells: the base agent config with one value per swept setting applied.

Settings, stated once. Every option an agent config accepts under `options` can be swept
by its bare name (`num_gpu`) or dotted (`options.num_gpu`); so can `model`, `persona` (the
writer's persona; `personas.writer` too), `analyst_persona` (`personas.analyst`),
`embedded_threads` and `model_path`. The value `default` (or YAML null) leaves the setting
unset, so the server decides. A setting the config's backend does not act on (num_gpu on
the embedded backend) is refused: its cells would all measure the same thing.

Each cell's config is validated like a config file before anything runs; the first bad
key or value is one line naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from chimera.backends.registry import backend_spec
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.config.yaml_loader import describe_validation_error
from chimera.errors import ConfigError
from chimera.execution.runstore import slug

OPTION_NAMES: tuple[str, ...] = tuple(ModelOptions.model_fields)
TOP_LEVEL = ("model", "embedded_threads", "model_path")
PERSONA_KEYS = {"persona": "writer", "analyst_persona": "analyst"}
SETTINGS: tuple[str, ...] = (*OPTION_NAMES, *TOP_LEVEL, *PERSONA_KEYS)
_ALIASES = {
    **{f"options.{name}": name for name in OPTION_NAMES},
    "personas.writer": "persona",
    "personas.analyst": "analyst_persona",
}
# Short names for cell labels, e.g. gpu48_ctx1024 (as the tuning data Chimera reads names them).
_SHORT = {
    "num_gpu": "gpu",
    "num_ctx": "ctx",
    "temperature": "temp",
    "repeat_penalty": "rp",
    "num_predict": "predict",
    "keep_alive": "keep",
    "embedded_threads": "threads",
    "analyst_persona": "analyst",
}
BASELINE_LABEL = "base"


class Cell(BaseModel):
    """One point of the grid and the agent config that runs it."""

    label: str
    values: dict[str, Any]  # swept setting -> value (None: unset, the server decides)
    config: AgentConfig
    baseline: bool = False  # the base config's own values: what the verdict compares with
    in_grid: bool = True  # False for the base config run beside a grid that lacks its values
    folder_name: str | None = None  # None in plans written before: slug(label)

    @property
    def folder(self) -> str:
        """The cell's folder under cells/: its label, when that is a safe folder name."""
        return self.folder_name or slug(self.label)

    def settings_text(self) -> str:
        """`num_gpu=48, num_ctx=1024` in grid order; `default` for unset."""
        return ", ".join(f"{k}={'default' if v is None else v}" for k, v in self.values.items())


def canonical_key(key: str) -> str:
    """The sweep's name for a setting (`options.num_gpu` -> `num_gpu`); refuses unknown ones."""
    name = _ALIASES.get(key.strip(), key.strip())
    if name not in SETTINGS:
        raise ConfigError(
            f"unknown sweep key '{key}'",
            hint=f"sweepable: {', '.join(SETTINGS)} (options by bare name or options.NAME)",
        )
    return name


def current_value(config: AgentConfig, key: str) -> Any:
    """The value `config` has for a sweep setting (None when unset)."""
    if key in OPTION_NAMES:
        return getattr(config.options, key)
    if key in PERSONA_KEYS:
        return getattr(config.personas, PERSONA_KEYS[key])
    value = getattr(config, key)
    return str(value) if key == "model_path" and value is not None else value


def check_applies(config: AgentConfig, keys: Sequence[str]) -> None:
    """Refuse a setting the config's backend does not act on (one line, with what can be)."""
    spec = backend_spec(config)
    for key in keys:
        if key in PERSONA_KEYS or spec.applies(key):
            continue
        usable = [k for k in SETTINGS if k in PERSONA_KEYS or spec.applies(k)]
        raise ConfigError(
            f"{key} does not apply to the {spec.name} backend: {spec.settings_note}",
            hint=f"sweep what it uses: {', '.join(usable)}",
        )


def apply_values(base: AgentConfig, values: Mapping[str, Any], label: str) -> AgentConfig:
    """The base config with `values` applied, validated as a config file would be."""
    data = base.model_dump(exclude={"source"})
    for key, value in values.items():
        if key in OPTION_NAMES:
            data["options"][key] = value
        elif key in PERSONA_KEYS:
            if value is None:
                raise ConfigError(f"sweep value {key}=default: a persona must be named")
            data["personas"][PERSONA_KEYS[key]] = value
        else:
            data[key] = value
    data["name"] = f"{base.name} ({label})" if label != BASELINE_LABEL else base.name
    try:
        config = AgentConfig.model_validate(data)
    except ValidationError as exc:
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        raise ConfigError(
            describe_validation_error(f"sweep value {shown}", exc, AgentConfig),
            hint="fix the value in --grid or the sweep file",
        ) from exc
    return config.model_copy(update={"source": base.source})


def _short(key: str, value: Any) -> str:
    text = "default" if value is None else str(value)
    if key in ("model", "persona", "model_path"):
        return text.rsplit("/", 1)[-1]
    return f"{_SHORT.get(key, key)}{text}"


def cell_label(values: Mapping[str, Any]) -> str:
    """`gpu48_ctx1024`: each swept setting's short name and value, in grid order."""
    return "_".join(_short(k, v) for k, v in values.items()) or BASELINE_LABEL


def make_cells(base: AgentConfig, points: Sequence[Mapping[str, Any]]) -> list[Cell]:
    """Validate every grid point, then add the base config's own point as the baseline.

    Each value is first validated alone (so an error names that key and value), then each
    point as a whole. When no point equals the base config's values, the base runs as a
    cell of its own, labelled "base": the verdict of the best cell is against it.
    """
    if not points:
        raise ConfigError("the grid has no cells (every cell was excluded?)")
    keys = list(points[0])
    check_applies(base, keys)
    seen: set[tuple[str, Any]] = set()
    for point in points:
        for key, value in point.items():
            if (key, repr(value)) not in seen:
                seen.add((key, repr(value)))
                apply_values(base, {key: value}, _short(key, value))
    base_values = {k: current_value(base, k) for k in keys}
    cells: list[Cell] = []
    labels: set[str] = set()
    for point in points:
        label = _unique(cell_label(point), labels)
        is_base = _same(point, base_values)
        cells.append(
            Cell(
                label=label,
                values=dict(point),
                config=apply_values(base, point, label),
                baseline=is_base,
            )
        )
    if not any(c.baseline for c in cells):
        label = _unique(BASELINE_LABEL, labels)
        cells.append(
            Cell(label=label, values=base_values, config=base, baseline=True, in_grid=False)
        )
    cells = [c.model_copy(update={"folder_name": folder_for(c.label)}) for c in cells]
    folders = [c.folder.lower() for c in cells]  # a case-blind file system is one folder
    if len(set(folders)) != len(folders):
        cells = [
            c.model_copy(update={"label": f"{c.label}-{i + 1}", "folder_name": None})
            for i, c in enumerate(cells)
        ]
        cells = [c.model_copy(update={"folder_name": folder_for(c.label)}) for c in cells]
    return cells


_SAFE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}")


def folder_for(label: str) -> str:
    """The label itself as the folder name (`gpu48_ctx1024`, as the summary names the cell)
    when it is safe on any file system; else its slug."""
    return label if _SAFE_FOLDER.fullmatch(label) and not label.endswith(".") else slug(label)


def _same(point: Mapping[str, Any], base_values: Mapping[str, Any]) -> bool:
    return all(value == base_values.get(key) for key, value in point.items())


def _unique(label: str, taken: set[str]) -> str:
    candidate, n = label, 2
    while candidate in taken:
        candidate, n = f"{label}-{n}", n + 1
    taken.add(candidate)
    return candidate
