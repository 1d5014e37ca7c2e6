"""What to sweep: grid axes from `--grid` flags or a sweep file, expanded into grid points.

Grammar, stated once (flags and the sweep file accept the same value forms):

    --grid num_gpu=16,48             a list of values
    --grid num_gpu=40-120+20         a range: start-stop+step, both ends included (40, 60, .. 120)
    --grid num_gpu,num_ctx=16:1024,48:4096
                                     linked keys: they vary together (16 with 1024, 48 with 4096)
    --exclude num_gpu=16,num_ctx=4096
                                     drop every point where all these hold

Values are read as YAML scalars (16 -> int, 0.8 -> float, gemma3:4b -> text); `default`
leaves the setting unset. The sweep file (`--spec sweep.yaml`) holds the same, plus the
run settings; command-line flags override it:

    config: configs/agent_b.yaml      # the base config, relative to this file
    data: ../examples/data            # optional: the data folder
    grid: {num_gpu: 40-120+20, num_ctx: [1024, 2048]}
    linked: [{num_gpu: [16, 48], num_ctx: [1024, 4096]}]
    exclude: [{num_gpu: 120, num_ctx: 2048}]
    runs: 3
    warmup: 0
    objective: throughput             # throughput | ttft | wall | quality
    order: rotated                    # rotated | shuffled
    seed: 0
    name: gpu-ctx
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chimera.config.yaml_loader import describe_validation_error, read_yaml_mapping
from chimera.errors import ConfigError
from chimera.sweep.cells import canonical_key

Objective = Literal["throughput", "ttft", "wall", "quality"]
Order = Literal["rotated", "shuffled"]
MAX_POINTS = 10_000
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*\+\s*(\d+(?:\.\d+)?)\s*$")


class Axis(BaseModel):
    """One dimension of the grid: one key, or linked keys that take their values together."""

    keys: list[str]
    values: list[list[Any]]  # one entry per step, a value for each key


def parse_scalar(text: str) -> Any:
    """A value as YAML reads it; `default` (or an empty value) means unset (None)."""
    stripped = text.strip()
    if stripped.lower() in ("default", "none", "null", ""):
        return None
    try:
        value = yaml.safe_load(stripped)
    except yaml.YAMLError:
        return stripped
    return value if isinstance(value, str | int | float | bool) else stripped


def expand_range(text: str) -> list[Any] | None:
    """`40-120+20` -> [40, 60, 80, 100, 120]; None when `text` is not a range."""
    found = _RANGE.match(text)
    if not found:
        return None
    try:
        start, stop, step = (Decimal(g) for g in found.groups())
    except InvalidOperation:
        return None
    if step <= 0:
        raise ConfigError(f"range '{text}': the step must be positive")
    if stop < start:
        raise ConfigError(
            f"range '{text}': the end is below the start", hint="write start-stop+step"
        )
    count = int((stop - start) / step) + 1
    if count > MAX_POINTS:
        raise ConfigError(f"range '{text}' has {count} values; that is more than {MAX_POINTS}")
    is_int = all("." not in g for g in found.groups())
    values = [start + i * step for i in range(count)]
    return [int(v) if is_int else float(v) for v in values]


def parse_values(raw: Any, where: str) -> list[Any]:
    """A YAML list, a range string or comma-separated values, as a list of values."""
    if isinstance(raw, list):
        values = [parse_scalar(v) if isinstance(v, str) else v for v in raw]
    elif isinstance(raw, str):
        values = expand_range(raw)
        if values is None:
            values = [parse_scalar(v) for v in raw.split(",")]
    elif raw is None or isinstance(raw, int | float | bool):
        values = [raw]
    else:
        raise ConfigError(f"{where}: expected values such as 16,48 or 40-120+20, got {raw!r}")
    if not values:
        raise ConfigError(f"{where}: no values")
    if len({repr(v) for v in values}) != len(values):
        raise ConfigError(f"{where}: a value is listed twice ({raw})")
    return values


def parse_grid_flag(text: str) -> Axis:
    """One `--grid` flag: `KEY=V1,V2`, `KEY=a-b+s` or linked `K1,K2=a:b,c:d`."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ConfigError(
            f"--grid '{text}' is not KEY=VALUES",
            hint="e.g. --grid num_gpu=16,48 or num_ctx=1024-4096+1024",
        )
    keys = [canonical_key(k) for k in name.split(",")]
    if len(keys) == 1:
        return Axis(keys=keys, values=[[v] for v in parse_values(raw, f"--grid {text}")])
    steps = []
    for part in raw.split(","):
        items = part.split(":")
        if len(items) != len(keys):
            raise ConfigError(
                f"--grid {text}: '{part}' gives {len(items)} value(s) for {len(keys)} linked keys",
                hint="one value per key, joined by ':' (e.g. num_gpu,num_ctx=16:1024,48:4096)",
            )
        steps.append([parse_scalar(item) for item in items])
    return Axis(keys=keys, values=steps)


def parse_exclude_flag(text: str) -> dict[str, Any]:
    """One `--exclude KEY=V[,KEY=V]` flag."""
    rule: dict[str, Any] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep:
            raise ConfigError(f"--exclude '{text}' is not KEY=VALUE[,KEY=VALUE]")
        rule[canonical_key(key)] = parse_scalar(value)
    return rule


def linked_axis(block: Mapping[str, Any], where: str) -> Axis:
    """A sweep file's linked block: {key: [values], key: [values]} of equal lengths."""
    keys = [canonical_key(str(k)) for k in block]
    columns = [parse_values(v, f"{where}.{k}") for k, v in block.items()]
    if len({len(c) for c in columns}) != 1:
        lengths = ", ".join(f"{k}: {len(c)}" for k, c in zip(keys, columns, strict=True))
        raise ConfigError(f"{where}: linked keys need as many values each ({lengths})")
    return Axis(keys=keys, values=[list(step) for step in zip(*columns, strict=True)])


def grid_points(axes: Sequence[Axis], exclude: Sequence[Mapping[str, Any]] = ()) -> list[dict]:
    """Every combination of the axes (the first axis varies slowest), minus exclusions."""
    keys = [k for axis in axes for k in axis.keys]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        raise ConfigError(f"sweep key '{duplicate}' is given twice", hint="give each key once")
    for rule in exclude:
        unknown = [k for k in rule if k not in keys]
        if unknown:
            raise ConfigError(
                f"exclusion {dict(rule)} names '{unknown[0]}', which is not swept",
                hint=f"swept keys: {', '.join(keys)}",
            )
    total = 1
    for axis in axes:
        total *= len(axis.values)
    if total > MAX_POINTS:
        raise ConfigError(f"the grid has {total} cells; that is more than {MAX_POINTS}")
    points = []
    for combo in itertools.product(*(axis.values for axis in axes)):
        point = {
            k: v
            for axis, step in zip(axes, combo, strict=True)
            for k, v in zip(axis.keys, step, strict=True)
        }
        if not any(all(point.get(k) == v for k, v in rule.items()) for rule in exclude):
            points.append(point)
    return points


class SweepFile(BaseModel):
    """A sweep file (`--spec`), validated strictly like an agent config."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    config: Path | None = Field(None, description="the base agent config, relative to this file")
    data: Path | None = Field(None, description="the data folder, relative to this file")
    grid: dict[str, Any] = Field(default_factory=dict)
    linked: list[dict[str, Any]] = Field(default_factory=list)
    exclude: list[dict[str, Any]] = Field(default_factory=list)
    runs: int | None = Field(None, ge=1)
    warmup: int | None = Field(None, ge=0)
    objective: Objective | None = None
    order: Order | None = None
    seed: int | None = None


class SweepRequest(BaseModel):
    """A sweep file and the command line merged: the flags win."""

    name: str | None
    config: Path | None
    data: Path | None
    axes: list[Axis]
    exclude: list[dict[str, Any]]
    runs: int
    warmup: int
    objective: Objective
    order: Order
    seed: int


def load_sweep_file(path: Path) -> tuple[SweepFile, list[Axis], list[dict[str, Any]]]:
    """Read a sweep file: the model, its axes and its exclusions; errors name the file."""
    data = read_yaml_mapping(path, "sweep file")
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            describe_validation_error(path, exc, SweepFile), hint="fix the sweep file"
        ) from exc
    base = path.resolve().parent
    updates = {
        key: getattr(spec, key) if getattr(spec, key).is_absolute() else base / getattr(spec, key)
        for key in ("config", "data")
        if getattr(spec, key) is not None
    }
    spec = spec.model_copy(update=updates)
    axes: list[Axis] = []
    try:
        for key, raw in spec.grid.items():
            name = canonical_key(str(key))
            axes.append(Axis(keys=[name], values=[[v] for v in parse_values(raw, f"grid.{key}")]))
        axes += [linked_axis(block, f"linked[{i}]") for i, block in enumerate(spec.linked)]
        exclude = [{canonical_key(str(k)): v for k, v in rule.items()} for rule in spec.exclude]
    except ConfigError as exc:
        exc.message = f"{path}: {exc.message}"
        raise
    return spec, axes, exclude


def merge_request(
    spec_path: Path | None,
    *,
    grid: Sequence[str],
    exclude: Sequence[str],
    config: Path | None,
    data: Path | None,
    runs: int | None,
    warmup: int | None,
    objective: str | None,
    order: str | None,
    seed: int | None,
    name: str | None,
) -> SweepRequest:
    """The sweep asked for: the sweep file's settings, overridden by the flags given.

    `--grid` flags add axes to the file's; one naming a key the file also sweeps replaces
    that axis, so a file can be narrowed from the command line.
    """
    file = SweepFile()
    axes: list[Axis] = []
    rules: list[dict[str, Any]] = []
    if spec_path is not None:
        file, axes, rules = load_sweep_file(spec_path)
    flag_axes = [parse_grid_flag(g) for g in grid]
    flag_keys = {k for axis in flag_axes for k in axis.keys}
    axes = [a for a in axes if not flag_keys & set(a.keys)] + flag_axes
    if not axes:
        raise ConfigError(
            "nothing to sweep: give --grid KEY=V1,V2 (repeatable) or --spec sweep.yaml",
            hint="e.g. --grid num_gpu=16,48 --grid num_ctx=1024,4096",
        )
    rules += [parse_exclude_flag(e) for e in exclude]
    chosen_objective = objective or file.objective or "throughput"
    if chosen_objective not in ("throughput", "ttft", "wall", "quality"):
        raise ConfigError(
            f"--objective must be throughput, ttft, wall or quality, not '{objective}'"
        )
    chosen_order = order or file.order or "rotated"
    if chosen_order not in ("rotated", "shuffled"):
        raise ConfigError(f"--order must be rotated or shuffled, not '{order}'")
    return SweepRequest(
        name=name or file.name,
        config=config or file.config,
        data=data or file.data,
        axes=axes,
        exclude=rules,
        runs=runs if runs is not None else file.runs or 3,
        warmup=warmup if warmup is not None else file.warmup or 0,
        objective=chosen_objective,  # type: ignore[arg-type]
        order=chosen_order,  # type: ignore[arg-type]
        seed=seed if seed is not None else file.seed or 0,
    )
