"""Statistics of every group at once: pandas group-bys over one table of observations.

Every value the digest keeps is one row of `Observations.frame`: the file it came from, its
record's identity (model, config, machine, engine, workload) as integer codes into one list
of names, its series (metric and aggregate), the column it was read from, the value in
canonical units, and, for already-aggregated values, the runs it is over. A grouping is a
set of key columns; each is computed with one group-by (count, mean, median, p95, min, max,
std, run counts, sources, columns), never group by group. Every grouping is taken within
one machine and engine (`SCOPE`): values of two machines are never one group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chimera.ingest.digest.columns import UNITS
from chimera.ingest.digest.models import MetricStats

# Groupings in the order the digest lists them; the per-file ones last, the only ones that
# grow with the folder (see `MAX_FILES_FOR_FILE_STATS`). "model+file" keeps a file's models
# apart: a model's values in one file (one benchmark session, dated by the file).
GROUPINGS = (
    "model", "config_name", "model+config_name", "model+config_name+workload", "file",
    "model+file", "model+config_name+file",
)  # fmt: skip
# One setup in one file (a session): the same setup measured in two files can differ in what
# no file records (a build, a power profile); kept per file to compare sessions.
FILE_GROUPINGS = frozenset({"file", "model+file", "model+config_name+file"})
PAIR_SEPARATOR = " / "  # how a two-part group is written: "gemma3:270m / gpu80_ctx2048"
# A model's runs at one value of a setting, pooled over its other settings: group_by
# "model+num_gpu", group "gemma3:1b / num_gpu=0" ("at num_gpu=0, gemma3:1b averages ...").
SETTING_GROUPING = "model+"
SCOPE = ("machine", "engine")
_KEYS = {
    "model": ("model",),
    "config_name": ("config",),
    "model+config_name": ("model", "config"),
    "model+config_name+workload": ("model", "config", "workload"),
    "file": ("file",),
    "model+file": ("model", "file"),
    "model+config_name+file": ("model", "config", "file"),
}
CODE_COLUMNS = ("file", "model", "config", "machine", "engine", "workload", "column", "series")
# (machine, engine, model, config) -> the settings its rows state that vary between that
# model's setups on that machine and engine
SettingsOf = Callable[[str | None, str | None, str | None, str | None], dict[str, str]]


@dataclass
class Observations:
    """Every kept value, one row each, with its identity as codes into `names`."""

    parts: list[dict[str, np.ndarray]] = field(default_factory=list)
    names: list[str | None] = field(default_factory=lambda: [None])
    _codes: dict[str | None, int] = field(default_factory=lambda: {None: 0})
    series: list[tuple[str, str | None]] = field(default_factory=list)
    _series_codes: dict[tuple[str, str | None], int] = field(default_factory=dict)

    def code(self, name: str | None) -> int:
        """The code of a name (0 is None: a value with no model, config, ...)."""
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found

    def codes(self, values: np.ndarray) -> np.ndarray:
        """Codes of an array of names (factorised: only distinct names are looked up)."""
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        table = np.array([self.code(u) for u in uniques] + [0], dtype=np.int64)
        return table[codes]

    def series_code(self, key: tuple[str, str | None]) -> int:
        found = self._series_codes.get(key)
        if found is None:
            found = self._series_codes[key] = len(self.series)
            self.series.append(key)
        return found

    def add(self, part: dict[str, np.ndarray]) -> None:
        if len(part["value"]):
            self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            columns = {c: np.zeros(0, dtype=np.int64) for c in CODE_COLUMNS}
            return pd.DataFrame(
                {**columns, "value": np.zeros(0), "runs": np.zeros(0), "order": np.zeros(0)}
            )
        joined = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        frame = pd.DataFrame(joined)
        frame["order"] = np.arange(len(frame))  # reading order, for columns' first appearance
        return frame


def _group_stats(
    obs: Observations,
    frame: pd.DataFrame,
    keys: Sequence[str],
    group_by: str | None,
    label: Callable[[tuple[int, ...]], str | None],
) -> list[tuple[tuple, MetricStats]]:
    """One grouping's statistics: (sort key, stats) per group, with `keys` beyond the scope."""
    by = ["series", *SCOPE, *keys]
    if frame.empty:
        return []
    grouped = frame.groupby(by, sort=False)["value"]
    table = grouped.agg(["size", "mean", "median", "min", "max", "std"])
    table["p95"] = grouped.quantile(0.95)
    runs = frame.groupby(by, sort=False)["runs"]
    table["runs_sum"] = runs.sum(min_count=1)
    table["runs_count"] = runs.count()
    sources = _lists(frame, by, "file")
    columns = _lists(frame, by, "column")
    names = obs.names
    out = []
    for index, row in zip(table.index, table.itertuples(index=False), strict=True):
        codes = index if isinstance(index, tuple) else (index,)
        series, machine, engine, *rest = codes
        metric, aggregate = obs.series[series]
        n = int(row.size)
        runs_total = None
        if aggregate is not None and row.runs_count == n and n:
            runs_total = int(row.runs_sum)
        workload = names[rest[keys.index("workload")]] if "workload" in keys else None
        source_file = (
            names[rest[keys.index("file")]] if keys[-1:] == ("file",) and len(keys) == 3 else None
        )
        key = tuple(int(c) for c in codes)
        stats = MetricStats.model_construct(
            metric=metric,
            unit=UNITS[metric],
            column=", ".join(str(names[c]) for c in columns[key]),
            group_by=group_by,
            group=label(tuple(rest)),
            sources=sorted(str(names[s]) for s in sources[key]),
            n=n,
            mean=float(row.mean),
            median=float(row.median),
            p95=float(row.p95),
            min=float(row.min),
            max=float(row.max),
            aggregate=aggregate,
            std=float(row.std) if n >= 2 else None,
            runs=runs_total,
            machine=names[machine],
            engine=names[engine],
            workload=workload,
            file=source_file,
        )
        order = (
            list(UNITS).index(metric),
            aggregate or "",
            stats.group or "",
            names[machine] or "",
            names[engine] or "",
            workload or "",
        )
        out.append((order, stats))
    return out


def _lists(frame: pd.DataFrame, by: list[str], column: str) -> dict[tuple, np.ndarray]:
    """Per group (key tuple), the distinct codes of `column` in reading order: one sort and
    one split for every group (a per-group aggregation in Python was most of the cost)."""
    distinct = frame.drop_duplicates([*by, column])  # keeps the first, in reading order
    ids = distinct.groupby(by, sort=False).ngroup().to_numpy()
    order = np.argsort(ids, kind="stable")
    values = distinct[column].to_numpy()[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ids[order])) + 1]
    keys = distinct[by].to_numpy()[order[starts]]
    chunks = np.split(values, starts[1:])
    return {tuple(int(k) for k in key): chunk for key, chunk in zip(keys, chunks, strict=True)}


def _pair(names: list[str | None], codes: tuple[int, ...]) -> str | None:
    parts = [names[c] for c in codes[:2]]
    if any(p is None for p in parts):
        return None
    return PAIR_SEPARATOR.join(str(p) for p in parts)


def compute_stats(
    obs: Observations, groupings: Sequence[str], settings_of: SettingsOf | None = None
) -> list[MetricStats]:
    """Stats per series: over all values of a scope, then per group of each grouping, then
    (with `settings_of`) each model's values per value of each setting that varies for it."""
    frame = obs.frame()
    names = obs.names
    found: list[tuple[int, tuple, MetricStats]] = []
    for rank, stats in enumerate([None, *groupings]):
        keys = () if stats is None else _KEYS[stats]
        part = frame
        for key in keys:
            part = part[part[key] != 0]
        if stats is None:
            label: Callable[[tuple[int, ...]], str | None] = lambda codes: None  # noqa: E731
        elif len(keys) == 1:
            label = lambda codes: names[codes[0]]  # noqa: E731
        else:
            label = lambda codes: _pair(names, codes)  # noqa: E731
        found += [(rank, order, s) for order, s in _group_stats(obs, part, keys, stats, label)]
    if settings_of is not None:
        rank = len(groupings) + 1
        found += [(rank, order, s) for order, s in _setting_stats(obs, frame, settings_of)]
    found.sort(key=lambda item: (item[1][0], item[1][1], item[0], *item[1][2:]))
    return [s for _, _, s in found]


def _setting_stats(
    obs: Observations, frame: pd.DataFrame, settings_of: SettingsOf
) -> list[tuple[tuple, MetricStats]]:
    """Each model's values at one value of a setting, per setting that varies for it."""
    names = obs.names
    setups = frame[["machine", "engine", "model", "config"]].drop_duplicates()
    setups = setups[(setups["model"] != 0) & (setups["config"] != 0)]
    rows = []
    for machine, engine, model, config in setups.itertuples(index=False):
        settings = settings_of(names[machine], names[engine], names[model], names[config])
        for setting, value in settings.items():
            rows.append((machine, engine, model, config, obs.code(setting), obs.code(value)))
    if not rows:
        return []
    mapping = pd.DataFrame(
        rows, columns=["machine", "engine", "model", "config", "setting", "level"]
    )
    joined = frame.merge(mapping, on=["machine", "engine", "model", "config"], sort=False)
    out = []
    for setting_code in pd.unique(joined["setting"]):
        part = joined[joined["setting"] == setting_code]
        setting = names[setting_code]

        def label(codes: tuple[int, ...], setting: str | None = setting) -> str:
            return f"{names[codes[0]]}{PAIR_SEPARATOR}{setting}={names[codes[1]]}"

        out += _group_stats(obs, part, ("model", "level"), SETTING_GROUPING + str(setting), label)
    return out
