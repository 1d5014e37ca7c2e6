"""The true figures of a generated folder, computed with pandas from its files alone.

Each loader reads the files of one shape the way a user's own script would (it knows the
format, not Chimera's digest) into one tidy frame: a row per run with `file`, `model`,
`config` (None when the file names none), the settings, `error` and the metrics in ms /
tok/s / tokens. `Truth` answers the statistics a report cites: mean, median, p95 (linear
interpolation, as pandas' quantile), min, max, std (ddof=1) and n, over any selection; a
run that loaded the model counts for load times only (the other figures are of warm runs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

METRICS = ("tok_s", "ttft_ms", "load_ms", "total_ms", "prompt_eval_ms", "eval_ms", "eval_count")
SETTINGS = ("num_gpu", "num_ctx", "temperature")
COLD_LOAD_MS = 200.0  # a call that loaded the model (the generator's warm calls: 12-40 ms)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _model_from_name(stem: str) -> str:
    family, tag = stem.split("_")[:2]
    return f"{family}:{tag}"


def _error(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def load_csv_runs(root: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(root.rglob("*.csv")):
        frame = pd.read_csv(path)
        out = pd.DataFrame({
            "file": _rel(root, path),
            "model": frame["model"] if "model" in frame else _model_from_name(path.stem),
            "config": frame.get("config_name"),
            "error": frame["error"].map(_error),
            "tok_s": frame["tokens_s"],
            "ttft_ms": frame["ttft_s"] * 1000,
            "load_ms": frame["load_s"] * 1000,
            "eval_count": frame["eval_count"],
        })  # fmt: skip
        for key in SETTINGS:
            out[key] = frame.get(key, np.nan)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def load_ollama_json(root: Path) -> pd.DataFrame:
    rows = []
    for path in sorted(root.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for r in doc["results"]:
            rows.append({
                "file": _rel(root, path), "model": doc["model"], "config": None,
                **{k: doc["options"].get(k, np.nan) for k in SETTINGS},
                "error": _error(r.get("error")), "tok_s": r.get("tokens_per_second"),
                "ttft_ms": r.get("ttft_ms"), "total_ms": r.get("total_duration_ms"),
                "eval_count": r.get("eval_count"),
            })  # fmt: skip
    return pd.DataFrame(rows)


def load_shared_configs(root: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(root.glob("*.csv")):
        frame = pd.read_csv(path)
        frame = frame.rename(columns={"config_name": "config", "tokens_s": "tok_s"})
        frame["file"] = _rel(root, path)
        frame["error"] = frame["error"].map(_error)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def load_raw_api(root: Path) -> pd.DataFrame:
    rows = []
    for path in sorted(root.rglob("*.json")):
        for a in json.loads(path.read_text(encoding="utf-8")):
            rows.append({
                "file": _rel(root, path), "model": a["model"], "config": None, "error": False,
                "total_ms": a["total_duration"] / 1e6, "load_ms": a["load_duration"] / 1e6,
                "prompt_eval_ms": a["prompt_eval_duration"] / 1e6,
                "eval_ms": a["eval_duration"] / 1e6, "eval_count": a["eval_count"],
                "tok_s": a["eval_count"] / (a["eval_duration"] / 1e9),
            })  # fmt: skip
    return pd.DataFrame(rows)


def load_summary_csv(root: Path) -> pd.DataFrame:
    """One row per summary line: its values are the figures (n is 1 per line)."""
    frames = []
    for path in sorted(root.rglob("*.csv")):
        frame = pd.read_csv(path)
        frames.append(pd.DataFrame({
            "file": _rel(root, path), "model": frame["model"], "config": frame["config_name"],
            "num_gpu": frame["num_gpu"], "num_ctx": frame["num_ctx"], "error": False,
            "tok_s": frame["mean_tokens_s"], "ttft_ms": frame["median_ttft_ms"],
            "ttft_p95_ms": frame["p95_ttft_ms"], "load_ms": frame["mean_load_s"] * 1000,
            "runs": frame["runs"],
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def load_alias_columns(root: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(root.glob("*.csv")):
        frame = pd.read_csv(path)
        frames.append(pd.DataFrame({
            "file": _rel(root, path), "model": frame["model"], "config": None,
            "num_gpu": frame["n_gpu_layers"], "num_ctx": frame["n_ctx"],
            "temperature": frame["temp"], "error": False,
            "tok_s": frame["tokens_per_second"], "ttft_ms": frame["time_to_first_token_ms"],
            "total_ms": frame["total_time_s"] * 1000,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _gguf_stem(path: str) -> str:
    """`models/gemma-3-1b-it-Q4_K_M.gguf` -> `gemma-3-1b-it-Q4_K_M`: the model as a
    llama.cpp user names it (the file they benchmarked), and as Chimera's digest does."""
    return PurePosixPath(path.replace("\\", "/")).name.removesuffix(".gguf")


def load_llama_bench(root: Path) -> pd.DataFrame:
    frame = pd.read_csv(root / "llama-bench.csv")
    return pd.DataFrame({
        "file": "llama-bench.csv", "model": frame["model_filename"].map(_gguf_stem),
        "config": None, "num_gpu": frame["n_gpu_layers"], "error": False,
        "test": np.where(frame["n_prompt"] > 0, "pp" + frame["n_prompt"].astype(str),
                         "tg" + frame["n_gen"].astype(str)),
        "tok_s": frame["avg_ts"], "tok_s_std": frame["stddev_ts"],
    })  # fmt: skip


LOADERS = {
    "csv_runs": load_csv_runs,
    "ollama_json": load_ollama_json,
    "shared_configs": load_shared_configs,
    "raw_api": load_raw_api,
    "summary_csv": load_summary_csv,
    "alias_columns": load_alias_columns,
    "llama_bench": load_llama_bench,
}


@dataclass(frozen=True)
class Setup:
    """One measured setup of a model: its config name (None: known by settings only)."""

    model: str
    config: str | None
    settings: dict[str, float] = field(default_factory=dict)

    @property
    def filters(self) -> dict[str, Any]:
        return {"config": self.config} if self.config else dict(self.settings)


class Truth:
    """Statistics over the rows of one folder (error rows excluded, as any analysis would)."""

    def __init__(self, shape: str, frame: pd.DataFrame) -> None:
        self.shape = shape
        self.frame = frame
        for column in (*METRICS, *SETTINGS, "config"):
            if column not in frame:
                frame[column] = np.nan if column != "config" else None
        self.ok = frame[~frame["error"].astype(bool)]

    @classmethod
    def load(cls, shape: str, root: Path) -> Truth:
        return cls(shape, LOADERS[shape](root))

    def select(self, *, errors: bool = False, **filters: Any) -> pd.DataFrame:
        frame = self.frame if errors else self.ok
        mask = np.ones(len(frame), dtype=bool)
        for key, value in filters.items():
            if value is None:
                continue
            column = frame[key]
            if isinstance(value, float | int) and not isinstance(value, bool):
                mask &= np.isclose(pd.to_numeric(column, errors="coerce"), value)
            else:
                mask &= (column == value).to_numpy()
        return frame[mask]

    def values(self, metric: str, **filters: Any) -> np.ndarray:
        """The metric's values over the selected rows; a row that loaded the model (a load
        of more than COLD_LOAD_MS, where the usual call loads nothing and takes 12-40 ms)
        counts for load times only, as an expert reads a benchmark."""
        rows = self.select(**filters)
        if metric != "load_ms":
            load = pd.to_numeric(rows["load_ms"], errors="coerce")
            rows = rows[~(load > COLD_LOAD_MS)]
        column = pd.to_numeric(rows[metric], errors="coerce")
        return column.dropna().to_numpy(dtype=float)

    def stat(self, metric: str, statistic: str, **filters: Any) -> float | None:
        """A statistic of `metric` over the selected rows; None when no value is there.

        A summary file's line already is the statistic: only the figures it states are
        known (its mean tok/s, median and p95 TTFT, mean load, and its run count as n),
        each of one line; a statistic over several lines (a mean of means) is None."""
        if self.shape == "summary_csv":
            return self._summary_stat(metric, statistic, **filters)
        v = self.values(metric, **filters)
        if v.size == 0 or (statistic == "std" and v.size < 2):
            return None
        series = pd.Series(v)
        result = {
            "mean": series.mean, "median": series.median, "min": series.min,
            "max": series.max, "std": series.std, "n": series.count,
            "p95": lambda: series.quantile(0.95),
        }[statistic]()  # fmt: skip
        return float(result)

    def _summary_stat(self, metric: str, statistic: str, **filters: Any) -> float | None:
        column = {("tok_s", "mean"): "tok_s", ("ttft_ms", "median"): "ttft_ms",
                  ("ttft_ms", "p95"): "ttft_p95_ms", ("load_ms", "mean"): "load_ms",
                  ("tok_s", "n"): "runs"}.get((metric, statistic))  # fmt: skip
        rows = self.select(**filters)
        if column is None or len(rows) != 1:
            return None
        return float(rows[column].iloc[0])

    def models(self) -> list[str]:
        return sorted(self.ok["model"].dropna().unique())

    def setups(self, model: str) -> list[Setup]:
        rows = self.ok[self.ok["model"] == model]
        present = [k for k in SETTINGS if rows[k].notna().any()]
        found: dict[tuple[Any, ...], Setup] = {}
        for _, row in rows.iterrows():
            settings = {k: row[k] for k in present if pd.notna(row[k])}
            config = row["config"] if isinstance(row["config"], str) else None
            if not settings and config is None:
                continue  # a baseline file: rows of the model, of no setup
            key = (config, *sorted(settings.items()))
            found.setdefault(key, Setup(model, config, settings))
        return list(found.values())

    def varying(self, model: str) -> list[str]:
        """Settings whose value differs between the model's setups."""
        setups = self.setups(model)
        return [k for k in SETTINGS if len({s.settings.get(k) for s in setups}) > 1]

    def files(self) -> list[str]:
        return sorted(self.frame["file"].unique())

    def error_rows(self, **filters: Any) -> int:
        return int(self.select(errors=True, **filters)["error"].sum())

    def rows(self, **filters: Any) -> int:
        return len(self.select(errors=True, **filters))
