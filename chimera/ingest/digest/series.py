"""Every table's metric values, held compactly per series, and the groups statistics need.

20,000 small files give about 150,000 runs of values (one per metric, model, config and
file); as a numpy array and a record each they cost more than the values themselves (60 MB
against 35 MB). So each series keeps one flat buffer of floats plus, per run, its length and
four interned name codes. A group's values are then the runs it selects, concatenated in
reading order: exactly what concatenating the per-file arrays gave, so every statistic is
bit-for-bit the same.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from chimera.ingest.digest.table import ColumnValues, SeriesKey

# Groupings in the order the digest lists them; the per-file ones last, the only ones that
# grow with the folder (see `MAX_FILES_FOR_FILE_STATS`). "model+file" keeps a file's models
# apart: a model's values in one file (one benchmark session, dated by the file).
GROUPINGS = ("model", "config_name", "model+config_name", "file", "model+file")
FILE_GROUPINGS = frozenset({"file", "model+file"})
PAIR_SEPARATOR = " / "  # how a two-part group is written: "gemma3:270m / gpu80_ctx2048"
# A model's runs at one value of a setting, pooled over its other settings: group_by
# "model+num_gpu", group "gemma3:1b / num_gpu=0" ("at num_gpu=0, gemma3:1b averages ...").
SETTING_GROUPING = "model+"
# (model, config) -> the settings its rows state that vary between that model's setups
SettingsOf = Callable[[str | None, str | None], dict[str, str]]


@dataclass(frozen=True)
class Group:
    """One group's values and where they came from."""

    group_by: str | None  # None: all rows of the series
    group: str | None
    values: np.ndarray
    columns: list[str]  # as written in the files, in order of first appearance
    sources: list[str]  # sorted
    run_counts: np.ndarray | None = None  # already-aggregated: runs per value (NaN: unstated)


class _Series:
    """One series' values in reading order, and per run of values what it came from."""

    def __init__(self) -> None:
        self.values = array("d")
        self.lengths = array("q")
        self.models = array("q")
        self.configs = array("q")
        self.columns = array("q")
        self.sources = array("q")
        # Per value, the runs it is over: kept for already-aggregated series only.
        self.run_counts = array("d")


class SeriesStore:
    """The values of every table read, by series (metric, aggregate)."""

    def __init__(self) -> None:
        self.series: dict[SeriesKey, _Series] = {}
        self.tables = 0  # tables that contributed values
        self._names: list[str | None] = []
        self._codes: dict[str | None, int] = {}

    def _code(self, name: str | None) -> int:
        code = self._codes.get(name)
        if code is None:
            code = self._codes[name] = len(self._names)
            self._names.append(name)
        return code

    def add(self, path: str, parts: Sequence[ColumnValues]) -> None:
        """Keep the values one table gave (in its order) as coming from `path`."""
        if not parts:
            return
        self.tables += 1
        source = self._code(path)
        for part in parts:
            series = self.series.get(part.key)
            if series is None:
                series = self.series[part.key] = _Series()
            values = np.ascontiguousarray(part.values, dtype=np.float64)
            series.values.frombytes(values.data.cast("B"))  # the raw doubles, not copied first
            series.lengths.append(values.size)
            series.models.append(self._code(part.model))
            series.configs.append(self._code(part.config))
            series.columns.append(self._code(part.column))
            series.sources.append(source)
            if part.key[1] is not None:
                counts = part.run_counts
                if counts is None:
                    counts = np.full(values.size, np.nan)
                counts = np.ascontiguousarray(counts, dtype=np.float64)
                series.run_counts.frombytes(counts.data.cast("B"))

    def groups(
        self, key: SeriesKey, groupings: Sequence[str], settings_of: SettingsOf | None = None
    ) -> Iterator[Group]:
        """All rows of the series, then each grouping's groups in sorted order, then (with
        `settings_of`) each model's runs per value of each setting that varies for it."""
        series = self.series[key]
        values = np.frombuffer(series.values, dtype=np.float64)
        lengths = np.frombuffer(series.lengths, dtype=np.int64)
        starts = np.cumsum(lengths) - lengths
        counts = np.frombuffer(series.run_counts, dtype=np.float64) if key[1] is not None else None
        runs = _Runs(values, lengths, starts, series, self._names, counts)
        yield runs.group(None, None, np.arange(lengths.size))
        for grouping in groupings:
            codes, label = self._labels(series, grouping)
            uniques, inverse = np.unique(codes, return_inverse=True)
            ids: dict[str, int] = {}
            # Different codes can make the same label ("a / b" + "c", "a" + "b / c"): one group.
            labels = [label(int(u)) for u in uniques]
            lookup = np.array(
                [-1 if name is None else ids.setdefault(name, len(ids)) for name in labels],
                dtype=np.int64,
            )
            per_run = lookup[inverse.reshape(-1)]
            order = np.argsort(per_run, kind="stable")  # stable: reading order within a group
            ranked = per_run[order]
            for name in sorted(ids):
                low, high = np.searchsorted(ranked, [ids[name], ids[name] + 1])
                yield runs.group(grouping, name, order[low:high])
        if settings_of is not None:
            yield from self._setting_groups(series, runs, settings_of)

    def _setting_groups(
        self, series: _Series, runs: _Runs, settings_of: SettingsOf
    ) -> Iterator[Group]:
        names = self._names
        models = np.frombuffer(series.models, dtype=np.int64)
        configs = np.frombuffer(series.configs, dtype=np.int64)
        per_setup: dict[tuple[int, int], dict[str, str]] = {}
        members: dict[tuple[str, str], list[int]] = {}  # (setting, "model / setting=value")
        for i, pair in enumerate(zip(models.tolist(), configs.tolist(), strict=True)):
            settings = per_setup.get(pair)
            if settings is None:
                settings = per_setup[pair] = settings_of(names[pair[0]], names[pair[1]])
            model = names[pair[0]]
            for setting, value in settings.items():
                label = f"{model}{PAIR_SEPARATOR}{setting}={value}"
                members.setdefault((setting, label), []).append(i)
        for (setting, label), chosen in sorted(members.items()):
            yield runs.group(SETTING_GROUPING + setting, label, np.array(chosen, dtype=np.int64))

    def _labels(
        self, series: _Series, grouping: str
    ) -> tuple[np.ndarray, Callable[[int], str | None]]:
        """Per run a code, and the group label of a code (None: in no group)."""
        names = self._names
        if grouping == "model":
            return np.frombuffer(series.models, dtype=np.int64), names.__getitem__
        if grouping == "config_name":
            return np.frombuffer(series.configs, dtype=np.int64), names.__getitem__
        if grouping == "file":
            return np.frombuffer(series.sources, dtype=np.int64), names.__getitem__
        if grouping == "model+config_name":
            second = np.frombuffer(series.configs, dtype=np.int64)
        elif grouping == "model+file":
            second = np.frombuffer(series.sources, dtype=np.int64)
        else:
            raise ValueError(f"unknown grouping {grouping!r}")
        width = len(names)
        models = np.frombuffer(series.models, dtype=np.int64)

        def pair(code: int) -> str | None:
            model, other = names[code // width], names[code % width]
            return f"{model}{PAIR_SEPARATOR}{other}" if model and other else None

        return models * width + second, pair


@dataclass(frozen=True)
class _Runs:
    """A series' runs of values, to gather any selection of them."""

    values: np.ndarray
    lengths: np.ndarray
    starts: np.ndarray
    series: _Series
    names: list[str | None]
    counts: np.ndarray | None  # per value, the runs it is over (already-aggregated series)

    def group(self, group_by: str | None, group: str | None, chosen: np.ndarray) -> Group:
        """The runs `chosen` (indices in reading order) as one group."""
        if chosen.size == self.lengths.size:
            values, counts = self.values, self.counts
        else:
            take = self.lengths[chosen]
            ends = np.cumsum(take)
            # Value positions of the chosen runs, run after run, without a Python loop.
            index = np.arange(ends[-1]) - np.repeat(ends - take, take)
            index += np.repeat(self.starts[chosen], take)
            values = self.values[index]
            counts = None if self.counts is None else self.counts[index]
        columns = np.frombuffer(self.series.columns, dtype=np.int64)[chosen]
        distinct, first = np.unique(columns, return_index=True)
        sources = np.unique(np.frombuffer(self.series.sources, dtype=np.int64)[chosen])
        return Group(
            group_by=group_by,
            group=group,
            values=values,
            columns=[str(self.names[c]) for c in distinct[np.argsort(first)]],
            sources=sorted(str(self.names[s]) for s in sources),
            run_counts=counts,
        )
