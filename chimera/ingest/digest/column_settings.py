"""Columns Chimera does not know by name that tell setups apart: read as settings.

A sweep's own column (`kv_type` f16 / q8_0 / q4_0, `flash_attention` on / off, `ubatch`
256 / 512) is a setting whatever it is called. Left unread, its rows would be pooled as
repetitions of one setup: a mean over three cache types, and their differences reported as
run-to-run spread. A column Chimera does not classify is read as a setting (named as the file
names it) where its values look like a setting's levels:

- every cell is a short token (`q8_0`, `on`, `512`), never text, a date or an address;
- at most `MAX_LEVELS` levels;
- a column named like a setting (`SETTING_WORDS`: kv, cache, flash, batch, ...) may have one
  level (the file's setting, told apart from another file's) or one row per level; any other
  text column is a setting only where it takes two levels or more within one model, and its
  levels repeat (each has two rows on average), so a column that labels each row (a run's
  name) or restates the model is not one;
- a column of numbers is a setting where its name says so; an unknown number column is
  more often a measurement (`gpu_util`, `vram_mb`) than a setting, so one not named like a
  setting (a sweep's `x` 1 / 2 / 4) is one only where it sweeps (`_numeric_sweep`): a few
  whole-number levels, each on two rows or more, that split rows the recognised identity
  would pool, and whose rows' figures differ from level to level beyond the spread within
  a level, in every group of rows that holds two levels (a counter of passes or rounds
  does not: its levels agree within their spread); or a ladder (`ladder`): three or more
  whole-number levels, one row each, rising or falling in the file's order by a constant
  step or ratio, or through round numbers (concurrency 40 / 48 / 56, batch 128 / 256 /
  512, users 1 / 4 / 8 / 16 / 32) in every group of rows the recognised identity would
  pool, beside a figure that moves with them (`moves_with`: ordered by level, it only rises
  or only falls, by 5 % of its mean or more). Counts by one (runs 1, 2, 3; seeds 42, 43,
  44) and measurements (neither evenly spaced nor round) are no ladder;
- a column named like what is no setting (`NOT_SETTING_WORDS`: ids, run numbers, answers,
  dates, finish reasons, ...) never is;
- a mode column whose levels are kinds of device (khaney64/ollama-model-tests'
  `execution_mode` cpu / gpu, one a file) is the `device` setting, even at one level.

The digest lists each one it read (`DataDigest.column_settings`), so a reader sees which.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from chimera.ingest.digest.columns import TableColumns, normalise_name

MAX_LEVELS = 12
# Words of a column name that say it holds a setting (as normalised names split at "_").
SETTING_WORDS = frozenset({
    "kv", "cache", "flash", "fa", "attn", "attention", "batch", "ubatch", "thread", "threads",
    "layer", "layers", "ngl", "offload", "ctx", "context", "parallel", "concurrency", "split",
    "draft", "speculative", "spec", "mmap", "mlock", "numa", "quant", "quantization", "bits",
    "dtype", "precision", "beam", "block", "swap", "chunked", "prefill", "eager", "graph",
    "backend", "mode", "tp", "pp", "ep", "dp", "tensor", "pipeline", "rope", "sampler",
    "sampling", "mirostat", "penalty", "typical", "gpus", "routing", "router", "scheduler",
    "scheduling",
})  # fmt: skip
# The words of SETTING_WORDS a column may be named by and hold one level only (the file's
# setting, told apart from another file's: `kv_mode` q8_0 in every row). Weaker words
# (`mode`, `backend`, `layers`) name a model's shape or a tool's target as often.
ONE_LEVEL_WORDS = frozenset({
    "kv", "cache", "flash", "fa", "attn", "attention", "batch", "ubatch", "thread", "threads",
    "offload", "ngl", "mmap", "mlock", "numa", "quant", "quantization", "dtype", "precision",
    "draft", "speculative", "split", "tensor", "parallel", "concurrency", "tp", "eager", "swap",
    "routing", "router", "scheduler", "scheduling",
})  # fmt: skip
# Words of a column name that say it is no setting, whatever its values.
NOT_SETTING_WORDS = frozenset({
    "id", "ids", "uuid", "run", "runs", "iteration", "iter", "trial", "rep", "repeat", "attempt",
    "sample", "index", "idx", "seq", "step", "response", "output", "completion", "answer",
    "text", "content", "message", "note", "notes", "comment", "description", "summary",
    "reason", "done", "finish", "stop", "role", "url", "endpoint", "path", "file", "filename",
    "source", "user", "author", "date", "time", "timestamp", "day", "week", "month", "year",
    "hash", "sha", "commit", "version", "build", "log", "warning", "object", "created",
    "util", "utilization", "usage", "used", "power", "watts", "temp", "celsius", "mb", "gb",
    "mib", "gib", "bytes", "percent", "pct", "tokens", "count", "chars", "length", "len", "n",
    "per", "rate", "avg", "mean", "total", "max", "p50", "p90", "p95", "p99",
    "prompt", "question", "query", "host", "hostname", "ip", "port", "node", "machine",
    "server", "system", "tag",
    # when in the run a row was sampled (a `minute` column 0 / 60 / 120 as a GPU warms up):
    # a ladder of a clock, not of a setting
    "second", "seconds", "sec", "secs", "minute", "minutes", "mins", "hour", "hours",
    "elapsed", "uptime", "clock", "epoch",
    # an outcome of the run, not a knob (ChimeraForge's TR117 table: `Speedup` 1.73x / 1.74x
    # read as a setting, "speedup has no measurable effect on throughput")
    "speedup", "slowdown", "efficiency", "improvement", "gain", "delta", "diff", "difference",
    "overhead", "score", "accuracy", "lag",
})  # fmt: skip
# A level as a setting writes it: a short token of word characters, dots, signs and colons
# (`q4_K_M`, `-1`, `0.95`, `on`, `auto`), at most two words; never an address or a date.
_LEVEL = re.compile(r"^[\w.+\-:]{1,24}(?: [\w.+\-:]{1,24})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}:\d{2}")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
# A number written to more than four decimals is a measurement (10.458897916370304 requests a
# minute), never a level someone chose.
_MEASURED = re.compile(r"^[-+]?\d*\.\d{5,}$")
# Setting words that name a size or a count: their levels are numbers ("8k", "4-bit" too). A
# `Context` of `boss_defeated`, `level_up` is the scenario a prompt was written for, the
# rows' workload, not a context size.
SIZE_WORDS = frozenset({
    "ctx", "context", "batch", "ubatch", "thread", "threads", "layer", "layers", "ngl", "beam",
    "gpus", "bits",
})  # fmt: skip
_SIZE = re.compile(r"^\d+(?:\.\d+)?\s*(?:[kKmM]|-?bits?|[bB])?$")
# A mode column of kinds of device (`execution_mode`: cpu, gpu) is the device the runs used.
_DEVICE_WORDS = frozenset({"mode", "device"})
_DEVICE_LEVEL = re.compile(r"(?i)^(?:cpu|gpu|cuda|mps|metal|rocm|hip|vulkan|xpu|npu)(?::\d+)?$")
# An unnamed number column sweeps at most this many levels (a sweep of a few, each repeated).
SWEEP_LEVELS = 8
# Words of a column name that say it counts repetitions (a pass, a round), never a setting.
_COUNTER_WORDS = frozenset({"pass", "round", "try", "cycle", "loop", "epoch", "no", "nr"})
# How far apart a swept column's levels must be: their means' range over the spread within a
# level (the largest standard deviation of a level's rows), and over the mean.
_SWEEP_SPREADS = 3.0
_SWEEP_RELATIVE = 0.05


class ColumnSetting(BaseModel):
    """A column read as a setting because its values are a setting's levels."""

    path: str
    column: str
    levels: list[str] = Field(description="as the file writes them, in order of first appearance")


def named_setting(name: str) -> bool:
    """Whether a normalised name reads as a setting's (`kv_mode`, `flash_attention`)."""
    words = set(name.split("_"))
    return bool(words & SETTING_WORDS) and not words & NOT_SETTING_WORDS


def candidates(
    cols: TableColumns, labels: Iterable[str], leaf: Callable[[str], str] = str
) -> list[str]:
    """The labels no role of `cols` takes whose names do not rule out a setting."""
    taken = set(cols.labels()) | cols.derived | set(cols.params.values())
    if cols.bench is not None:
        taken |= set(cols.bench.raw_labels())
    out = []
    for label in labels:
        if label in taken:
            continue
        name = normalise_name(leaf(str(label)))
        if not name or set(name.split("_")) & NOT_SETTING_WORDS or name in cols.params:
            continue
        out.append(label)
    return out


def _levels(frame: pd.DataFrame, label: str, name: str) -> list[str] | None:
    """The column's levels in order of first appearance, where they are a setting's (or a
    workload's, see `adopt`)."""
    cells = [str(c).strip() for c in frame[label].tolist() if c is not None and c == c]
    cells = [c for c in cells if c]
    levels = list(dict.fromkeys(cells))
    words = set(name.split("_"))
    named = bool(words & SETTING_WORDS)
    # A setting may hold one level in a file (`kv_mode` q8_0 in every row: the file's
    # setting, told apart from another file's f16) where its name says so strongly.
    if not (1 if words & ONE_LEVEL_WORDS else 2) <= len(levels) <= MAX_LEVELS:
        return None
    if any(
        not _LEVEL.match(level) or _DATE.match(level) or _MEASURED.match(level) for level in levels
    ):
        return None
    if not named and all(_NUMBER.match(level) for level in levels):
        return levels  # an unknown number column: a setting only where it sweeps (`adopt`)
    if not named and len(levels) * 2 > len(cells):
        return None  # levels that do not repeat: a label of each row, not a setting
    return levels


def _identity_keys(frame: pd.DataFrame, cols: TableColumns) -> list[str]:
    """The columns of the recognised identity (model, config, settings, machine, engine,
    workload) that `frame` holds."""
    keys = [cols.model, cols.config, *cols.params.values(), cols.gpu, cols.cpu, cols.engine]
    return [k for k in dict.fromkeys([*keys, cols.workload]) if k is not None and k in frame]


def _numeric_sweep(frame: pd.DataFrame, cols: TableColumns, label: str, name: str) -> bool:
    """Whether an unnamed number column sweeps a setting (`x` 1 / 2 / 4 over otherwise alike
    rows): whole-number levels, at most `SWEEP_LEVELS`, each on two rows or more, and in
    every group of the recognised identity holding two levels or more (one at least), the
    levels' mean figures at least `_SWEEP_SPREADS` spreads and `_SWEEP_RELATIVE` apart. Rows
    of a counter (passes, rounds) agree within their spread, and stay one setup's runs."""
    if set(name.split("_")) & _COUNTER_WORDS:
        return False
    levels = pd.to_numeric(frame[label], errors="coerce")
    counts = levels.value_counts()
    if levels.isna().any() or (levels % 1 != 0).any():
        return False
    per_run = [m for m, role in cols.metrics.items() if role.aggregate is None and m in frame]
    if 3 <= len(counts) <= MAX_LEVELS and _one_row_a_level(frame, cols, levels):
        # one row a level: a ladder (concurrency 40 / 48 / 56), where a figure moves with it
        figures = per_run or [m for m in cols.metrics if m in frame]
        return bool(figures) and _ladder_sweep(frame, cols, levels, figures)
    if not 2 <= len(counts) <= SWEEP_LEVELS or counts.min() < 2:
        return False
    if not per_run:
        return False
    keys = _identity_keys(frame, cols)
    try:  # one group-by, never a loop over the groups: a file may hold thousands
        group = (
            frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
            if keys
            else np.zeros(len(frame), dtype=np.intp)
        )
    except TypeError:  # an identity cell no group-by can hash (a JSON list): not judged
        return False
    level_codes, level_values = pd.factorize(levels)
    cells = group * len(level_values) + level_codes  # each row's (group, level)
    swept = 0
    for metric in per_run:
        figures = pd.to_numeric(frame[metric], errors="coerce")
        judged = _levels_apart(
            cells, len(level_values), figures.to_numpy("float64", na_value=np.nan)
        )
        if judged is None:
            return False
        swept += judged
    return swept > 0


def _levels_apart(cells: np.ndarray, levels: int, figures: np.ndarray) -> int | None:
    """How many groups hold two levels or more (of two figures or more each), where in every
    one the levels' mean figures lie `_SWEEP_SPREADS` spreads and `_SWEEP_RELATIVE` apart;
    None where one does not. In numpy over (group, level) cells: a pandas group-by with
    named aggregations cost more than a small note's whole table."""
    filled = ~np.isnan(figures)
    cell, value = cells[filled], figures[filled]
    size = (int(cells.max()) // levels + 1) * levels if len(cells) else 0
    count = np.bincount(cell, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(cell, weights=value, minlength=size) / count
        squares = np.bincount(cell, weights=(value - mean[cell]) ** 2, minlength=size)
        std = np.sqrt(squares / (count - 1))
    kept = (count >= 2).reshape(-1, levels)
    judged = kept.sum(axis=1) >= 2
    if not judged.any():
        return 0
    means = np.where(kept, mean.reshape(-1, levels), np.nan)[judged]
    spreads = np.where(kept, std.reshape(-1, levels), np.nan)[judged]
    with warnings.catch_warnings():  # a group whose means are all NaN (inf - inf) is no sweep
        warnings.simplefilter("ignore", RuntimeWarning)
        gap = np.nanmax(means, axis=1) - np.nanmin(means, axis=1)
        scale = np.abs(np.nanmean(means, axis=1))
        spread = np.nan_to_num(np.nanmax(spreads, axis=1), nan=0.0)
    apart = (gap > _SWEEP_SPREADS * spread) & (gap > _SWEEP_RELATIVE * scale)
    return int(judged.sum()) if apart.all() else None


def ladder(values: Sequence[float]) -> bool:
    """Whether whole numbers, in the order a file writes them, climb or descend a sweep's
    ladder: three or more, each once, by a constant step (40, 48, 56) or a constant whole
    ratio (128, 256, 512), or through numbers a person picks (1, 4, 8, 16, 32: powers of
    two, multiples of ten). A run's number (1, 2, 3: a step of one) is no ladder."""
    if len(values) < 3 or any(v % 1 or v < 0 for v in values):
        return False
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    if len(steps) == 1:  # a step of one counts (runs 1, 2, 3; seeds 42, 43, 44)
        return abs(next(iter(steps))) > 1
    if 0 in values:
        return False
    if (all(d > 0 for d in steps) or all(d < 0 for d in steps)) and all(
        picked_number(v) for v in values
    ):
        return True
    ratios = {b / a for a, b in zip(values, values[1:], strict=False)}
    if len(ratios) != 1:
        return False
    ratio = next(iter(ratios))
    ratio = ratio if ratio >= 1 else 1 / ratio
    return ratio >= 2 and ratio % 1 == 0


def picked_number(value: float) -> bool:
    """Whether a whole number is one a person picks for a setting: a power of two (512,
    2048, 32768; 1, 2, 4 users) or a multiple of ten (100, 500, 1000)."""
    whole = int(value)
    return whole > 0 and (whole & (whole - 1) == 0 or whole % 10 == 0)


def moves_with(levels: Sequence[float], figures: Sequence[float]) -> bool:
    """Whether `figures`, ordered by `levels`, only rise or only fall, by `_SWEEP_RELATIVE`
    of their mean or more: a figure a swept setting moves, not one setup's runs."""
    pairs = sorted(zip(levels, figures, strict=True))
    ordered = [f for _, f in pairs]
    if len(ordered) < 3 or any(f != f for f in ordered):
        return False
    steps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    one_way = all(d > 0 for d in steps) or all(d < 0 for d in steps)
    mean = sum(ordered) / len(ordered)
    return one_way and max(ordered) - min(ordered) >= _SWEEP_RELATIVE * abs(mean)


def _one_row_a_level(frame: pd.DataFrame, cols: TableColumns, levels: pd.Series) -> bool:
    """Whether no group of the recognised identity holds a level twice."""
    keys = _identity_keys(frame, cols)
    if not keys:
        return bool(levels.is_unique)
    try:
        group = frame.groupby(keys, dropna=False, sort=False).ngroup()
    except TypeError:  # an identity cell no group-by can hash (a JSON list): not judged
        return False
    return not pd.DataFrame({"group": group, "level": levels}).duplicated().any()


def _ladder_sweep(
    frame: pd.DataFrame, cols: TableColumns, levels: pd.Series, metrics: list[str]
) -> bool:
    """Every group of the recognised identity holding two rows or more climbs a ladder of
    the column's levels, one row a level, beside a figure that moves with them."""
    keys = _identity_keys(frame, cols)
    try:
        groups = frame.groupby(keys, dropna=False, sort=False).indices if keys else None
    except TypeError:  # an identity cell no group-by can hash (a JSON list): not judged
        return False
    rows = list(groups.values()) if groups is not None else [list(range(len(frame)))]
    judged = 0
    for index in rows:
        if len(index) < 2:
            continue
        values = levels.iloc[index].tolist()
        if not ladder(values):
            return False
        figures = [pd.to_numeric(frame[m], errors="coerce").iloc[index].tolist() for m in metrics]
        if not any(moves_with(values, f) for f in figures):
            return False
        judged += 1
    return judged > 0


def _splits_nothing(frame: pd.DataFrame, cols: TableColumns, label: str) -> bool:
    """Whether every group of rows the recognised identity (model, config, settings, machine,
    engine, workload) makes holds one value of `label`: then it names what is known already
    (a sweep's `cell` beside its settings, a `label` of q4 beside `...-instruct-q4_0`)."""
    keys = _identity_keys(frame, cols)
    try:
        if not keys:
            return bool(frame[label].nunique() < 2)
        return bool(frame.groupby(keys, dropna=False)[label].nunique().max() < 2)
    except TypeError:  # an identity cell no group-by can hash (a JSON list): judged as known
        return True


def adopt(
    cols: TableColumns,
    frame: pd.DataFrame,
    labels: list[str],
    path: str,
    leaf: Callable[[str], str] = str,
) -> list[ColumnSetting]:
    """Each of `labels` (see `candidates`) whose values in `frame` are a setting's levels,
    made a setting of `cols` under its own name. A column not named like a setting must tell
    apart rows the recognised identity would pool (see `_splits_nothing`). A column
    named for a context whose levels are words (`Context`: `boss_defeated`, `level_up`) is
    the rows' workload, where no column states one."""
    adopted = []
    for label in labels:
        name = normalise_name(leaf(str(label)))
        if label not in frame.columns or name in cols.params:
            continue
        if "device" not in cols.params and set(name.split("_")) & _DEVICE_WORDS:
            kinds = list(dict.fromkeys(str(c).strip() for c in frame[label].dropna().tolist()))
            if kinds and all(_DEVICE_LEVEL.match(k) for k in kinds):
                cols.params["device"] = label
                adopted.append(ColumnSetting(path=path, column=str(label), levels=kinds))
                continue
        levels = _levels(frame, label, name)
        if levels is None:
            continue
        words = set(name.split("_")) & SETTING_WORDS
        if not words and _splits_nothing(frame, cols, label):
            continue
        numbers = not words and all(_NUMBER.match(v) for v in levels)
        if numbers and not _numeric_sweep(frame, cols, label, name):
            continue
        if words and words <= SIZE_WORDS and not all(_SIZE.match(v) for v in levels):
            if "context" in words and cols.workload is None:
                cols.workload = label
            continue
        cols.params[name] = label
        adopted.append(ColumnSetting(path=path, column=str(label), levels=levels))
    return adopted
