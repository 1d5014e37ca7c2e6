"""The metric values of one table: unit factors, error rows, configs, per (model, config)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chimera.ingest.digest.columns import FLOAT_PARAMS, TableColumns

DERIVED_RATE = "eval_count / eval_duration"
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
    # factorize hashes in C; only the few distinct names are cleaned in Python.
    codes, uniques = pd.factorize(frame[label], use_na_sentinel=True)
    names = [str(u).strip() or default for u in uniques]
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
        self.rows = 0
        self.errors = 0
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
                self.error_sample = self.error_sample or text[:200]
        return bad

    def _collect_configs(self, frame: pd.DataFrame, codes: np.ndarray, names: list) -> None:
        _, first_rows = np.unique(codes, return_index=True)
        for row in first_rows:
            name = names[codes[row]]
            if name is None or name in self.configs:
                continue
            params = frame.iloc[row]
            self.configs[name] = {
                param: _python_value(param, params[label])
                for param, label in self.cols.params.items()
                if pd.notna(params[label])
            }

    def add(self, frame: pd.DataFrame) -> None:
        """Take the metric values of one chunk of rows."""
        self.rows += len(frame)
        if frame.empty:
            return
        config_codes, config_names = _label_codes(frame, self.cols.config, None)
        if self.cols.config is not None:
            self._collect_configs(frame, config_codes, config_names)
        bad = self._error_mask(frame)
        self.errors += int(bad.sum())
        model_codes, model_names = _label_codes(frame, self.cols.model, self.file_model)
        # Row positions per (model, config); code -1 maps to the last name (the default).
        model_codes = np.where(model_codes < 0, len(model_names) - 1, model_codes)
        config_codes = np.where(config_codes < 0, len(config_names) - 1, config_codes)
        pair = np.where(bad, -1, model_codes * len(config_names) + config_codes)
        order = np.argsort(pair, kind="stable")
        pairs, starts = np.unique(pair[order], return_index=True)
        groups = [
            (model_names[p // len(config_names)], config_names[p % len(config_names)], rows)
            for p, rows in zip(pairs, np.split(order, starts[1:]), strict=True)
            if p >= 0
        ]
        per_run: dict[str, np.ndarray] = {}
        for label, role in self.cols.metrics.items():
            values = pd.to_numeric(frame[label], errors="coerce").to_numpy(
                dtype="float64", na_value=np.nan
            )
            finite = values[np.isfinite(values) & ~bad]
            if finite.size == 0:
                continue
            factor = self.factors.get(label, role.factor)
            if factor is None:  # unit not in the name: Ollama's raw durations are ns
                factor = 1e-6 if np.median(finite) > _NS_THRESHOLD else 1.0
            self.factors[label] = factor
            values = values * factor
            if role.aggregate is None:
                per_run.setdefault(role.metric, values)
            self._keep((role.metric, role.aggregate), label, values, groups)
        if "tokens_per_s" not in per_run and {"eval_count", "eval_ms"} <= per_run.keys():
            # Ollama's raw responses carry no rate; its CLI computes eval_count / eval_duration.
            eval_ms = per_run["eval_ms"]
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(eval_ms > 0, per_run["eval_count"] / (eval_ms / 1000), np.nan)
            self._keep(("tokens_per_s", None), DERIVED_RATE, rate, groups)

    def _keep(
        self,
        key: SeriesKey,
        column: str,
        values: np.ndarray,
        groups: list[tuple[str | None, str | None, np.ndarray]],
    ) -> None:
        for model, config, rows in groups:
            kept = values[rows]
            kept = kept[np.isfinite(kept)]
            if kept.size:
                self.parts.append(ColumnValues(key, column, model, config, kept))
