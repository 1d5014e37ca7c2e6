"""The metric values of one table: unit factors, error rows, configs, per (model, config)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chimera.escape import plain
from chimera.ingest.digest.columns import FLOAT_PARAMS, TableColumns, param_order

DERIVED_RATE = "eval_count / eval_duration"
# Every metric is a duration, a rate or a count: never negative, and beyond this (in ms,
# tok/s or tokens: 31 years, a trillion tokens) a typo or a corrupt cell, not a measurement.
# Two values near 1e308 would overflow a mean to inf; such values are left out and counted.
MAX_PLAUSIBLE = 1e12
_NS_THRESHOLD = 1e6
_NO_ERROR = frozenset({"", "nan", "none", "null", "false", "0"})

SeriesKey = tuple[str, str | None]  # (metric, aggregate): one series of statistics


@dataclass(frozen=True)
class ColumnValues:
    """Finite values of one metric column, for one model and config, from one table."""

    key: SeriesKey
    column: str
    model: str | None
    config: str | None
    values: np.ndarray
    # Already-aggregated values only: the runs each value is over (NaN: not stated).
    run_counts: np.ndarray | None = None


def _python_value(name: str, value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and name not in FLOAT_PARAMS:
        return int(value)
    return value


def _label_codes(
    frame: pd.DataFrame, label: str | None, default: str | None
) -> tuple[np.ndarray, list[str | None]]:
    """Per-row codes into a list of names; code -1 (a missing value) indexes `default`, last."""
    if label is None:
        return np.full(len(frame), -1, dtype=np.intp), [default]
    # factorize hashes in C; only the few distinct names are cleaned in Python. plain():
    # a name from the data is one line of text wherever it is shown (a quoted CSV cell may
    # hold line breaks and escape sequences).
    codes, uniques = pd.factorize(frame[label], use_na_sentinel=True)
    names = [plain(u).strip() or default for u in uniques]
    return codes, [*names, default]


class TableValues:
    """Values taken from one table; merged into the digest only when the whole file read."""

    def __init__(self, path: str, cols: TableColumns, file_model: str | None) -> None:
        self.path = path
        self.cols = cols
        self.file_model = file_model
        self.parts: list[ColumnValues] = []
        self.factors: dict[str, float] = {}
        self.configs: dict[str, dict[str, Any]] = {}
        # The settings of each (model, config) pair, as its first row states them.
        self.setups: dict[tuple[str | None, str], dict[str, Any]] = {}
        self.synthetic_configs: set[str] = set()  # named by Chimera from the settings
        self.earliest: pd.Timestamp | None = None  # the earliest timestamp of a row
        self.rows = 0
        self.errors = 0
        self.implausible = 0  # values present but infinite, negative or beyond MAX_PLAUSIBLE
        self.implausible_columns: dict[str, None] = {}  # in order of first appearance
        self.cut_rows = 0  # a last line cut short, left out
        self.cut_reason = ""
        self.left_out: dict[str, int] = {}  # rows left out for a reason of their format
        self.error_sample = ""

    def _error_mask(self, frame: pd.DataFrame) -> np.ndarray:
        """True for rows whose error column holds a message."""
        bad = np.zeros(len(frame), dtype=bool)
        if self.cols.error is None:
            return bad
        raw = frame[self.cols.error].to_numpy(dtype=object)
        for i in np.flatnonzero(frame[self.cols.error].notna().to_numpy()):
            text = str(raw[i]).strip()
            if text.lower() not in _NO_ERROR:
                bad[i] = True
                self.error_sample = self.error_sample or plain(text)[:200]
        return bad

    def _params(self, frame: pd.DataFrame, row: int) -> dict[str, Any]:
        values = frame.iloc[row]
        return {
            param: _python_value(param, values[label])
            for param, label in self.cols.params.items()
            if pd.notna(values[label])
        }

    def _config_codes(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[str | None]]:
        """Per-row config codes: the config column, else a name made of the row's settings.

        A file without a config column that states its settings (an Ollama JSON's `options`
        block, a llama-bench CSV's n_gpu_layers) still compares setups: its rows get a config
        named after their settings ("num_gpu=80, num_ctx=4096").
        """
        if not self.cols.params:
            return _label_codes(frame, self.cols.config, None)
        ordered = sorted(self.cols.params, key=param_order)
        columns = [self.cols.params[p] for p in ordered]
        if self.cols.config is not None:
            columns = [self.cols.config, *columns]
        codes, uniques = pd.factorize(
            pd.MultiIndex.from_frame(frame[columns].astype(object)), use_na_sentinel=True
        )
        settings: list[str] = []
        given: list[str | None] = []
        for values in uniques:
            row = list(values)
            name = row.pop(0) if self.cols.config is not None else None
            given.append(None if name is None or pd.isna(name) else str(name).strip() or None)
            settings.append(
                ", ".join(
                    f"{param}={_python_value(param, value)}"
                    for param, value in zip(ordered, row, strict=True)
                    if pd.notna(value)
                )
            )
        # A config name that covers several sets of settings in this table is several setups:
        # each keeps the name with its settings beside it ("ctx_sweep (num_ctx=2048)").
        seen: dict[str | None, set[str]] = {}
        for name, text in zip(given, settings, strict=True):
            seen.setdefault(name, set()).add(text)
        names: list[str | None] = []
        for name, text in zip(given, settings, strict=True):
            if name is None:
                names.append(text or None)
                if text:
                    self.synthetic_configs.add(text)
            elif len(seen[name]) > 1 and text:
                names.append(f"{name} ({text})")
            else:
                names.append(name)
        return codes, [*names, None]

    def _collect_setups(
        self,
        frame: pd.DataFrame,
        model_codes: np.ndarray,
        model_names: list[str | None],
        config_codes: np.ndarray,
        config_names: list[str | None],
    ) -> None:
        """The settings of each (model, config) pair and each config, from its first row."""
        if not self.cols.params:
            return
        pair = model_codes * len(config_names) + config_codes
        _, first_rows = np.unique(pair, return_index=True)
        for row in first_rows:
            config = config_names[config_codes[row]]
            if config is None:
                continue
            model = model_names[model_codes[row]]
            if (model, config) in self.setups:
                continue
            params = self._params(frame, int(row))
            self.setups[(model, config)] = params
            self.configs.setdefault(config, params)

    def _note_time(self, frame: pd.DataFrame) -> None:
        if self.cols.timestamp is None:
            return
        raw = frame[self.cols.timestamp]
        if pd.api.types.is_numeric_dtype(raw):
            return  # epoch numbers or durations: too ambiguous to date a file by
        times = pd.to_datetime(raw, errors="coerce", utc=True, format="mixed")
        earliest = times.min()
        if pd.notna(earliest) and (self.earliest is None or earliest < self.earliest):
            self.earliest = earliest

    def _runs(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row, the run count its file states (a whole number of at least 1), else NaN."""
        if self.cols.runs is None:
            return np.full(len(frame), np.nan)
        runs = pd.to_numeric(frame[self.cols.runs], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(runs) & (runs >= 1) & (runs <= MAX_PLAUSIBLE)
            whole &= np.floor(np.where(whole, runs, 0)) == runs
        return np.where(whole, runs, np.nan)

    def add(self, frame: pd.DataFrame) -> None:
        """Take the metric values of one chunk of rows."""
        self.rows += len(frame)
        if frame.empty:
            return
        if self.cols.bench is not None:
            frame, left_out = self.cols.bench.prepare(frame)
            for reason, count in left_out.items():
                self.left_out[reason] = self.left_out.get(reason, 0) + count
            if frame.empty:
                return
        self._note_time(frame)
        config_codes, config_names = self._config_codes(frame)
        bad = self._error_mask(frame)
        self.errors += int(bad.sum())
        model_codes, model_names = _label_codes(frame, self.cols.model, self.file_model)
        # Row positions per (model, config); code -1 maps to the last name (the default).
        model_codes = np.where(model_codes < 0, len(model_names) - 1, model_codes)
        config_codes = np.where(config_codes < 0, len(config_names) - 1, config_codes)
        self._collect_setups(frame, model_codes, model_names, config_codes, config_names)
        pair = np.where(bad, -1, model_codes * len(config_names) + config_codes)
        order = np.argsort(pair, kind="stable")
        pairs, starts = np.unique(pair[order], return_index=True)
        groups = [
            (model_names[p // len(config_names)], config_names[p % len(config_names)], rows)
            for p, rows in zip(pairs, np.split(order, starts[1:]), strict=True)
            if p >= 0
        ]
        per_run: dict[str, np.ndarray] = {}
        runs = self._runs(frame)
        for label, role in self.cols.metrics.items():
            values = pd.to_numeric(frame[label], errors="coerce").to_numpy(
                dtype="float64", na_value=np.nan
            )
            finite = values[np.isfinite(values) & ~bad]
            if finite.size == 0:
                self._drop_implausible(label, values, bad)
                continue
            factor = self.factors.get(label, role.factor)
            if factor is None:  # unit not in the name: Ollama's raw durations are ns
                factor = 1e-6 if np.median(finite) > _NS_THRESHOLD else 1.0
            self.factors[label] = factor
            with np.errstate(over="ignore", invalid="ignore"):
                values = values * factor
            values = self._drop_implausible(label, values, bad)
            if role.aggregate is None:
                per_run.setdefault(role.metric, values)
                self._keep((role.metric, None), label, values, groups)
            else:
                self._keep((role.metric, role.aggregate), label, values, groups, runs)
        if "tokens_per_s" not in per_run and {"eval_count", "eval_ms"} <= per_run.keys():
            # Ollama's raw responses carry no rate; its CLI computes eval_count / eval_duration.
            eval_ms = per_run["eval_ms"]
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                rate = np.where(eval_ms > 0, per_run["eval_count"] / (eval_ms / 1000), np.nan)
            rate = self._drop_implausible(DERIVED_RATE, rate, bad)
            self._keep(("tokens_per_s", None), DERIVED_RATE, rate, groups)

    def _drop_implausible(self, label: str, values: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """`values` with the unusable ones (inf, negative, > MAX_PLAUSIBLE) as NaN, counted.

        Empty cells (NaN already) are not counted: they hold nothing to leave out.
        """
        with np.errstate(invalid="ignore"):
            wrong = ~np.isnan(values) & ~bad & ~((values >= 0) & (values <= MAX_PLAUSIBLE))
        count = int(wrong.sum())
        if not count:
            return values
        self.implausible += count
        self.implausible_columns.setdefault(label)
        return np.where(wrong, np.nan, values)

    def _keep(
        self,
        key: SeriesKey,
        column: str,
        values: np.ndarray,
        groups: list[tuple[str | None, str | None, np.ndarray]],
        runs: np.ndarray | None = None,
    ) -> None:
        for model, config, rows in groups:
            kept = values[rows]
            finite = np.isfinite(kept)
            if finite.any():
                counts = None if runs is None else runs[rows][finite]
                self.parts.append(
                    ColumnValues(key, plain(column), model, config, kept[finite], counts)
                )
