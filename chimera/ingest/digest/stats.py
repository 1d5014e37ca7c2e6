"""Statistics of every group at once: pandas group-bys over one table of observations.

Every value the digest keeps is one row of `Observations.columns()`: the file it came from,
its record's identity (model, config, machine, engine, workload) as integer codes (`CODE`)
into one list of names, its series (metric and aggregate), the column it was read from, the
value in canonical units, and, for already-aggregated values, the runs it is over. A
grouping is a set of key columns; each is computed with one group-by (count, mean, median,
p95, min, max, std, run counts, sources, columns), never group by group. Every grouping is
taken within one machine and engine (`SCOPE`): values of two machines are never one group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

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
# The dtype of every code column: a folder holds far fewer than 2**31 names, and a value's
# identity is eight codes (half the bytes of int64, millions of values in a big CSV).
CODE = np.int32
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
        codes, uniques = pd.factorize(values.astype(object, copy=False), use_na_sentinel=True)
        table = np.array([self.code(u) for u in uniques] + [0], dtype=CODE)
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

    def columns(self) -> dict[str, np.ndarray]:
        """Every kept value as one array per column, rows in reading order (what each group
        lists first, its columns, and sums first). The parts are joined in place, one column
        at a time, each part's array let go once joined: the values are never held twice."""
        if not self.parts:
            columns = {c: np.zeros(0, dtype=CODE) for c in CODE_COLUMNS}
            return {**columns, "value": np.zeros(0), "runs": np.zeros(0)}
        if len(self.parts) > 1:
            joined = {}
            for column in list(self.parts[0]):
                joined[column] = np.concatenate([part.pop(column) for part in self.parts])
            self.parts = [joined]
        return self.parts[0]


@dataclass
class _Grouping:
    """One grouping to compute: which rows of which table, grouped by which key columns."""

    rank: int  # its place in the digest's list, for ties of the final sort
    group_by: str | None
    keys: tuple[str, ...]  # beyond the scope (series, machine, engine)
    label: Callable[[tuple[int, ...]], str | None]
    size: int  # how many rows it takes
    # Its table (`Observations.columns`, with a setting's level) and which rows of it (a
    # mask), made when its batch is grouped: a big folder's dozen groupings do not each hold
    # an array as long as the observations from the start to the end of the digest.
    select: Callable[[], tuple[dict[str, np.ndarray], np.ndarray]]


def group_ids(by: Sequence[np.ndarray]) -> np.ndarray:
    """Per row, its group's number (0, 1, ...) by the key columns `by`, numbered in order of
    first appearance as `groupby(sort=False)` orders groups. Each step combines the key so far
    with one more column (codes >= 0); the key is renumbered only when the next step could
    overflow int64 and at the end: any one-to-one key numbers the groups the same way."""
    ids = np.zeros(len(by[0]), dtype=np.int64)
    bound = 1  # every key so far is below this
    for column in by:
        width = int(column.max()) + 1
        if bound * width >= 2**62:
            ids = pd.factorize(ids)[0].astype(np.int64, copy=False)
            bound = int(ids.max()) + 1
        ids = ids * width + column
        bound *= width
    return pd.factorize(ids)[0].astype(np.int64, copy=False)


def group_first_rows(ids: np.ndarray) -> np.ndarray:
    """Each group's first row, group by group, for ids numbered in order of first appearance
    (`group_ids`): where the running maximum grows. What `np.unique(ids, return_index=True)`
    gives, without its sort (and the sorted copies of millions of ids it holds)."""
    if not len(ids):
        return np.zeros(0, dtype=np.intp)
    running = np.maximum.accumulate(ids)
    return np.flatnonzero(np.r_[True, running[1:] > running[:-1]])


def _distinct(ids: np.ndarray, codes: np.ndarray, groups: int) -> list[list[int]]:
    """Per group, the distinct `codes` in reading order: one hash of (group, code) pairs for
    every group (no sort of millions of pairs)."""
    pairs = pd.Series(ids * (int(codes.max()) + 1) + codes)
    first = np.flatnonzero(~pairs.duplicated().to_numpy())  # each pair's first row, in order
    del pairs
    first = first[np.argsort(ids[first], kind="stable")]
    ends = np.cumsum(np.bincount(ids[first], minlength=groups)).tolist()
    # One list of every group's codes, cut in Python: an array per group cost more than
    # the groups' work (thousands of groups of a few codes each).
    found = codes[first].tolist()
    return [found[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def _sums_by_reduceat() -> bool:
    """Whether this pandas sums a group whose rows are consecutive with `np.add.reduceat`
    (pandas 3.1 does; earlier ones always use their compensated sum). These four values tell:
    reduceat sums them to 1, pandas' compensated sum to 0."""
    probe = pd.Series([1.0, 1e100, 1.0, -1e100]).groupby(np.zeros(4, dtype=np.int64)).sum()
    return bool(probe.iloc[0] == 1.0)


SUMS_BY_REDUCEAT = _sums_by_reduceat()


def _reduceat(
    found: np.ndarray,
    values: np.ndarray,
    ids: np.ndarray,
    job: np.ndarray,
    consecutive: np.ndarray,
    *,
    mean: bool = False,
) -> list[float]:
    """`found` (per group, a stacked group-by's sum or mean) with the groups of each grouping
    whose rows are consecutive and hold no NaN summed as pandas then does: `np.add.reduceat`
    over each group's run of rows (divided by its size for a mean)."""
    if not SUMS_BY_REDUCEAT:
        return found.tolist()
    nan = np.isnan(values)
    exact = consecutive.copy()
    exact[job[nan]] = False  # pandas checks the whole grouping's values for NaN
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    take = exact[job[starts]]
    if not take.any():
        return found.tolist()
    sums = np.add.reduceat(values, starts)[take]
    if mean:
        sizes = np.diff(starts, append=len(ids))[take]
        sums = sums / sizes.astype(np.float64)
    out = found.copy()
    out[ids[starts[take]]] = sums
    return out.tolist()


def _run_totals(
    run_counts: np.ndarray, ids: np.ndarray, job: np.ndarray, consecutive: np.ndarray, groups: int
) -> tuple[list[float], list[int]]:
    """Per group, the sum of its stated run counts (NaN where none is stated) and how many
    are stated. Run counts are whole numbers: while every sum of them is below 2**53 each is
    exact in any order, so a bincount gives what pandas' group-by sum does without a second
    grouping of the rows; beyond that, pandas' own sum."""
    stated = ~np.isnan(run_counts)
    count = np.bincount(ids[stated], minlength=groups)
    if not stated.any() or float(np.max(run_counts[stated])) * int(stated.sum()) < 2**53:
        total = np.bincount(ids[stated], weights=run_counts[stated], minlength=groups)
        return np.where(count > 0, total, np.nan).tolist(), count.tolist()
    runs = pd.Series(run_counts).groupby(ids, sort=True)
    found = _reduceat(runs.sum(min_count=1).to_numpy(), run_counts, ids, job, consecutive)
    return found, runs.count().to_numpy().tolist()


def _all_stats(
    obs: Observations, groupings: list[_Grouping]
) -> list[tuple[int, tuple, MetricStats]]:
    """Every grouping's statistics at once: (rank, sort key, stats) per group.

    The rows of all groupings are stacked into one table and grouped once by (grouping,
    series, machine, engine, keys). Each group's values stay in their reading order, so
    pandas' group kernels (compensated sums for the mean, Welford for the std) do exactly the
    arithmetic a group-by of that grouping alone does, and the figures are the same to the bit.
    """
    width = max(len(g.keys) for g in groupings)
    selected = [g.select() for g in groupings]

    def stacked(column: str) -> np.ndarray:
        return np.concatenate([table[column][rows] for table, rows in selected])

    job = np.concatenate([np.full(g.size, i, dtype=CODE) for i, g in enumerate(groupings)])
    series, machine, engine = stacked("series"), stacked("machine"), stacked("engine")
    keys = [
        np.concatenate([
            table[g.keys[k]][rows] if k < len(g.keys) else np.zeros(g.size, CODE)
            for g, (table, rows) in zip(groupings, selected, strict=True)
        ])
        for k in range(width)
    ]  # fmt: skip
    ids = group_ids([job, series, machine, engine, *keys])
    first = group_first_rows(ids)
    groups = len(first)
    heads = [a[first].tolist() for a in (job, series, machine, engine, *keys)]
    # Of the keys, only each group's first row is needed: let the stacked copies go before
    # the group-bys make theirs (one batch can be millions of rows).
    del series, machine, engine, keys
    value = stacked("value")
    grouped = pd.Series(value).groupby(ids, sort=True)
    size = grouped.size().to_numpy().tolist()
    # pandas sums a group's values one of two ways: a compensated sum when the group ids go
    # back and forth, numpy's reduceat (pairwise) when each group's rows are consecutive and
    # none is NaN. The two differ in the last bit, so each grouping gets the way a group-by
    # of it alone takes: the stacked group-by gives the first, `_reduceat` redoes the second.
    steps = np.diff(ids) < 0
    consecutive = np.ones(len(groupings), dtype=bool)
    consecutive[job[1:][steps]] = False
    mean = _reduceat(grouped.mean().to_numpy(), value, ids, job, consecutive, mean=True)
    median = grouped.median().to_numpy().tolist()
    low = grouped.min().to_numpy().tolist()
    high = grouped.max().to_numpy().tolist()
    std = grouped.std().to_numpy().tolist()
    p95 = grouped.quantile(0.95).to_numpy().tolist()
    del grouped, value
    runs_sum, runs_count = _run_totals(stacked("runs"), ids, job, consecutive, groups)
    sources = _distinct(ids, stacked("file"), groups)
    columns = _distinct(ids, stacked("column"), groups)
    names = obs.names
    metric_rank = {metric: i for i, metric in enumerate(UNITS)}
    # What each series and each grouping give every one of their groups, found once.
    series_of = [
        (metric, aggregate, UNITS[metric], metric_rank[metric]) for metric, aggregate in obs.series
    ]
    # Per grouping: its key count, and which key is the workload or (a setup in one file) the
    # file the statistics name.
    layouts = [
        (
            len(g.keys),
            g.keys.index("workload") if "workload" in g.keys else None,
            len(g.keys) - 1 if g.keys[-1:] == ("file",) and len(g.keys) == 3 else None,
        )
        for g in groupings
    ]
    # Many groups list the same columns, or the same files: each list's text once.
    column_texts: dict[tuple[int, ...], str] = {}
    source_texts: dict[tuple[int, ...], tuple[str, ...]] = {}
    out = []
    for g, (j, s, m, e, *rest) in enumerate(zip(*heads, strict=True)):
        grouping = groupings[j]
        width, workload_key, file_key = layouts[j]
        codes = tuple(rest[:width])
        metric, aggregate, unit, rank = series_of[s]
        n = size[g]
        runs_total = None
        if runs_count[g] == n and n:  # per-run values state one only as means of runs
            runs_total = int(runs_sum[g])
        workload = names[codes[workload_key]] if workload_key is not None else None
        source_file = names[codes[file_key]] if file_key is not None else None
        columns_of = tuple(columns[g])
        column = column_texts.get(columns_of)
        if column is None:
            column = column_texts[columns_of] = ", ".join(str(names[c]) for c in columns_of)
        sources_of = tuple(sources[g])
        files = source_texts.get(sources_of)
        if files is None:
            files = source_texts[sources_of] = tuple(sorted(str(names[f]) for f in sources_of))
        group = grouping.label(codes)
        machine, engine = names[m], names[e]
        stats = _trusted_stats({
            "metric": metric,
            "unit": unit,
            "column": column,
            "group_by": grouping.group_by,
            "group": group,
            "sources": list(files),
            "n": n,
            "mean": mean[g],
            "median": median[g],
            "p95": p95[g],
            "min": low[g],
            "max": high[g],
            "aggregate": aggregate,
            "std": std[g] if n >= 2 else None,
            "runs": runs_total,
            "machine": machine,
            "engine": engine,
            "workload": workload,
            "file": source_file,
        })  # fmt: skip
        order = (rank, aggregate or "", group or "", machine or "", engine or "", workload or "")
        out.append((grouping.rank, order, stats))
    return out


_STATS_FIELDS = tuple(MetricStats.model_fields)


def _trusted_stats(values: dict[str, Any]) -> MetricStats:
    """`MetricStats.model_construct(**values)` for `values` that name every field in the
    model's order: thousands of groups a digest, and model_construct's look-ups of aliases and
    defaults per field cost more than the rest of a group's work. What it sets, set the same."""
    stats = MetricStats.__new__(MetricStats)
    object.__setattr__(stats, "__dict__", values)
    object.__setattr__(stats, "__pydantic_fields_set__", set(_STATS_FIELDS))
    object.__setattr__(stats, "__pydantic_extra__", None)
    object.__setattr__(stats, "__pydantic_private__", None)
    return stats


def _pair(names: list[str | None], codes: tuple[int, ...]) -> str | None:
    first, second = names[codes[0]], names[codes[1]]
    if first is None or second is None:
        return None
    return f"{first!s}{PAIR_SEPARATOR}{second!s}"


def compute_stats(
    obs: Observations, groupings: Sequence[str], settings_of: SettingsOf | None = None
) -> list[MetricStats]:
    """Stats per series: over all values of a scope, then per group of each grouping, then
    (with `settings_of`) each model's values per value of each setting that varies for it."""
    table = obs.columns()
    if not len(table["value"]):
        return []
    names = obs.names
    jobs: list[_Grouping] = []

    def select(keys: tuple[str, ...]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        rows = np.ones(len(table["value"]), dtype=bool)
        for key in keys:
            rows &= table[key] != 0  # a value with no model (config, ...) is in no group
        return table, rows

    for rank, stats in enumerate([None, *groupings]):
        keys = () if stats is None else _KEYS[stats]
        if stats is None:
            label: Callable[[tuple[int, ...]], str | None] = lambda codes: None  # noqa: E731
        elif len(keys) == 1:
            label = lambda codes: names[codes[0]]  # noqa: E731
        else:
            label = lambda codes: _pair(names, codes)  # noqa: E731
        size = int(np.count_nonzero(select(keys)[1]))
        jobs.append(_Grouping(rank, stats, keys, label, size, lambda keys=keys: select(keys)))
    if settings_of is not None:
        jobs += _setting_groupings(obs, table, settings_of, rank=len(groupings) + 1)
    found = [item for batch in _batches(jobs) for item in _all_stats(obs, batch)]
    found.sort(key=lambda item: (item[1][0], item[1][1], item[0], *item[1][2:]))
    return [s for _, _, s in found]


# Rows stacked into one group-by at most (a grouping larger than this goes alone): small
# folders are grouped in one pass, and a folder of millions of rows does not stack every
# grouping's copy of them at once (memory would grow with rows x groupings).
MAX_STACKED_ROWS = 1_000_000


def _batches(jobs: list[_Grouping]) -> list[list[_Grouping]]:
    """`jobs` in consecutive batches of at most MAX_STACKED_ROWS rows (or one grouping)."""
    batches: list[list[_Grouping]] = []
    rows = 0
    for job in jobs:
        if not job.size:
            continue  # no row, no group (and an empty stack has no key to group by)
        if not batches or (rows + job.size > MAX_STACKED_ROWS and batches[-1]):
            batches.append([])
            rows = 0
        batches[-1].append(job)
        rows += job.size
    return [b for b in batches if b]


def _setting_groupings(
    obs: Observations, table: dict[str, np.ndarray], settings_of: SettingsOf, rank: int
) -> list[_Grouping]:
    """Each model's values at one value of a setting, per setting that varies for it.

    A setting's level is looked up once per setup and spread to the setup's rows as one
    array, when its batch is grouped: the observations are never copied once per setting
    (millions of rows times a few settings was most of a big folder's peak memory), and
    each setting holds only its levels per setup until then."""
    names = obs.names
    setup_of_row = group_ids([table[k] for k in ("machine", "engine", "model", "config")])
    setup_of_row = setup_of_row.astype(CODE)  # held until the last setting is grouped
    first_rows = group_first_rows(setup_of_row)  # setups by first appearance
    rows_of_setup = np.bincount(setup_of_row, minlength=len(first_rows))
    levels: dict[int, np.ndarray] = {}  # setting code -> its level's code per setup (0: none)
    for setup, row in enumerate(first_rows.tolist()):
        machine, engine, model, config = (
            int(table[k][row]) for k in ("machine", "engine", "model", "config")
        )
        if model == 0 or config == 0:
            continue
        settings = settings_of(names[machine], names[engine], names[model], names[config])
        for setting, value in settings.items():
            per_setup = levels.setdefault(obs.code(setting), np.zeros(len(first_rows), CODE))
            per_setup[setup] = obs.code(value)
    out = []
    for setting_code, per_setup in levels.items():
        setting = names[setting_code]

        def label(codes: tuple[int, ...], setting: str | None = setting) -> str:
            return f"{names[codes[0]]}{PAIR_SEPARATOR}{setting}={names[codes[1]]}"

        def select(per_setup: np.ndarray = per_setup) -> tuple[dict[str, np.ndarray], np.ndarray]:
            level = per_setup[setup_of_row]
            return {**table, "level": level}, level != 0

        size = int(rows_of_setup[per_setup != 0].sum())
        grouping = SETTING_GROUPING + str(setting)
        out.append(_Grouping(rank, grouping, ("model", "level"), label, size, select))
    return out
