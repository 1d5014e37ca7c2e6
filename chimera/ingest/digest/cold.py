"""Rows that loaded the model: set apart from setting effects and TTFT comparisons.

Ollama reloads a model when options that shape its runner change (num_ctx, num_gpu, ...),
or when it was unloaded; the call that loads it pays the load in its wall time and often
in its first token, and its first decode steps run cold. A sweep that changes num_ctx every
few rows therefore has a cold row after each change, always the same cell of the grid
(the first one measured after the change): read as part of that cell, the load becomes a
"setting effect". Rules, per file and model, in the order rows ran (their timestamps, else
the file's order):

- **Load time** (where the file records one): a row is cold when its load time is at least
  `COLD_RATIO` times the file's usual load (its 25th percentile, or the median of the fastest
  calls, two or more within `COLD_RATIO` of the least, where that is less: most calls may have
  reloaded the model; the least of a model's calls where it has fewer than `FEW_ROWS`) and
  `COLD_MIN_MS` more;
  in a file of fewer than `FEW_ROWS` rows, when it is `EVERY_ROW_MS` or more.
  When even the usual load is a load (`EVERY_ROW_MS`: every call loaded the model, as with
  keep_alive=0), no row is set apart: they are alike, and the digest says so. So too across
  a folder of files of one call each (`build`): where no call of the folder was warm, the
  loads are kept. Rows the benchmark labels cold (below) are cold too.
- **The benchmark's own label**: Ollama's ColdStart/WarmStart, a phase column of "warmup"
  against "measured", a `preloaded` column false, a file named for its warm-up run
  (`short-generation-warmup-1.json`).
- **Settings** (no load time recorded, the file sweeps settings that reload an Ollama model,
  and records a time a load moves: TTFT, latency or total time): the first row of each run
  of equal reload settings is presumed cold.
- **First request** (per-request data with a TTFT and no load time, where neither rule above
  set a row apart): a benchmark's first request is often its warm-up (GuideLLM's, a server's
  first prompt), and then its TTFT stands far above the run's: the first row of each model
  and settings, in order, is cold when its TTFT is at least `FIRST_RATIO` times the median of
  the others and above every one of them, in a run of at least `FIRST_MIN_ROWS` rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from pydantic import BaseModel

COLD_RATIO = 5.0
COLD_MIN_MS = 200.0
EVERY_ROW_MS = 1000.0
# With fewer rows than this there is no "usual" load to compare with: a load of a second or
# more is a load (Ollama's warm calls report tens of milliseconds).
FEW_ROWS = 3
# A first request is a warm-up when its TTFT is this many times the run's median and this
# many times any other of the run's (GuideLLM's first requests: 3.6x to 21x the median, 1.8x
# and more the next slowest; LLMPerf's first requests, sent together, are not one apart),
# in a run of this many rows.
FIRST_RATIO = 3.0
FIRST_OVER_NEXT = 1.5
FIRST_MIN_ROWS = 5
# Ollama options whose change reloads the model (they shape the runner it starts).
RELOAD_SETTINGS = ("num_ctx", "num_gpu", "num_batch", "num_thread")
SELF_LABELLED = "the benchmark's own cold/warm label"  # how rows the benchmark marks are found


class ColdMarks(BaseModel):
    """How one table's cold rows were found."""

    rows: int = 0
    by: str = ""  # "load time" | "settings" | ""
    every_row_loaded: bool = False  # every call loaded the model: none set apart


def _order(times: np.ndarray) -> np.ndarray:
    # As a Series, as the records' DataFrame held it (its dtype inferred the same way).
    if len(times) < 2 or pd.isna(times).any():  # a row with no time: the file's order
        return np.arange(len(times))
    stamps = pd.to_datetime(pd.Series(times), errors="coerce", utc=True)
    if stamps.notna().all() and len(stamps) > 1:
        return np.argsort(stamps.to_numpy(), kind="stable")
    return np.arange(len(stamps))


def _setting_texts(cells: np.ndarray) -> list[str]:
    """A setting column's cells as text, a blank cell "" (the engine's default: a level of its
    own): what pandas' `astype(object).fillna("").astype(str)` makes of them."""
    missing = pd.isna(cells).tolist()
    return ["" if blank else str(cell) for cell, blank in zip(cells.tolist(), missing, strict=True)]


def mark_cold(
    records: dict[str, np.ndarray],
    load_column: str | None,
    params: Mapping[str, str],
    engine: str | None,
    *,
    per_run: bool = True,
    timed: bool = True,
    ttft_column: str | None = None,
) -> ColdMarks:
    """Add the boolean column `cold` to `records` (a table's columns, `table.Records`) and say
    how it was decided.

    Only a table of per-run values has rows that loaded a model (`per_run`): a summary's or
    a note's rows are means someone computed. The settings rule needs figures a load moves
    (`timed`: TTFT, latency or total time): a file of decode rates alone keeps its rows. The
    first-request rule reads the per-run TTFT in `ttft_column`."""
    size = len(records["record"])
    cold = np.zeros(size, dtype=bool)
    usable = ~records["error"] & ~records["summary"]
    marks = ColdMarks()
    given = records["cold_given"] & usable
    timed_loads = load_column is not None and bool(
        np.isfinite(np.asarray(records[load_column], dtype=float)[usable]).any()
    )
    # the benchmark says which runs were cold; where it records loads too, a call it says
    # found the model loaded may still have reloaded it (see the load-time rule)
    if given.any() and not timed_loads:
        records["cold"] = given
        return ColdMarks(rows=int(given.sum()), by=SELF_LABELLED)
    if load_column is not None:
        load = np.asarray(records[load_column], dtype=float)
        measured = usable & np.isfinite(load)
        if 0 < measured.sum() < FEW_ROWS:
            cold = given | (measured & (load >= EVERY_ROW_MS))
            records["cold"] = cold
            return ColdMarks(rows=int(cold.sum()), by="load time")
        if measured.sum() >= FEW_ROWS:
            models = records["model"]
            models = np.where(pd.isna(models), "", models)
            every = True
            for model in pd.unique(models[measured]):
                rows = measured & (models == model)
                usual = float(np.percentile(load[rows], 25))
                # where most calls reloaded the model (leoric-crown: 7 of 10 at 2.6 s), the
                # 25th percentile falls among or between the loads; the fastest calls (two
                # or more, within COLD_RATIO of the least: 0.21 s) say what a call that
                # loaded nothing costs
                fast = rows & (load <= COLD_RATIO * max(float(load[rows].min()), 1.0))
                if fast.sum() >= 2:
                    usual = min(usual, float(np.median(load[fast])))
                if rows.sum() < FEW_ROWS:
                    # two calls of a model (a 28 s load, then 10 ms): a percentile falls
                    # between them; the warm one is what a call that loads nothing costs
                    usual = float(load[rows].min())
                if usual >= EVERY_ROW_MS:
                    continue
                every = False
                cold |= (
                    rows & (load >= COLD_RATIO * max(usual, 1.0)) & (load - usual >= COLD_MIN_MS)
                )
            # the benchmark's own label (a call it says loaded the model) with the loads; it
            # found them where the loads add none
            by = SELF_LABELLED if given.any() and not (cold & ~given).any() else "load time"
            cold |= given
            marks = ColdMarks(rows=int(cold.sum()), by=by, every_row_loaded=every)
            records["cold"] = cold
            return marks
    # Ollama reloads the model when a request changes these; a file that names them the
    # llama.cpp way (n_gpu_layers, n_ctx) ran servers started with them: no reload per row.
    reload = [
        name
        for name in RELOAD_SETTINGS
        if name in params and str(params[name]).strip().lower().replace(" ", "_") == name
    ]
    ollama = engine is None or engine == "Ollama"
    if reload and ollama and per_run and timed and load_column is None and size > 1:
        settings = [_setting_texts(records[f"param:{name}"]) for name in reload]
        if any(len(set(texts)) > 1 for texts in settings):
            order = _order(records["time"])
            # A row's model and settings as one text; a row is the first of its block when
            # the previous row of its model holds another.
            models = [str(m) for m in records["model"].tolist()]
            keys = ["\x00".join(texts) for texts in zip(models, *settings, strict=True)]
            first = np.ones(size, dtype=bool)
            last: dict[str, str] = {}
            for i, row in enumerate(order.tolist()):
                model, value = models[row], keys[row]
                first[i] = last.get(model) != value
                last[model] = value
            cold[order] = first
            cold &= usable
            marks = ColdMarks(rows=int(cold.sum()), by="settings")
    if not cold.any() and per_run and load_column is None and ttft_column is not None:
        cold = _first_requests(records, np.asarray(records[ttft_column], dtype=float), usable)
        if cold.any():
            marks = ColdMarks(rows=int(cold.sum()), by="first request")
    records["cold"] = cold
    return marks


def _first_requests(
    records: dict[str, np.ndarray], ttft: np.ndarray, usable: np.ndarray
) -> np.ndarray:
    """The first row of each model and settings, in the order rows ran, where its TTFT stands
    far above the others' (a warm-up request)."""
    cold = np.zeros(len(ttft), dtype=bool)
    measured = usable & np.isfinite(ttft) & (ttft > 0)
    if measured.sum() < FIRST_MIN_ROWS:
        return cold
    # A first request FIRST_RATIO times its run's median is FIRST_RATIO times the smallest
    # TTFT at least: where no TTFT is, no run has one (the usual file, spared the search).
    if ttft[measured].max() < FIRST_RATIO * ttft[measured].min():
        return cold
    columns = [str(m) for m in records["model"].tolist()]
    for name in sorted(k for k in records if k.startswith("param:")):
        texts = _setting_texts(records[name])
        columns = [f"{a}\x00{b}" for a, b in zip(columns, texts, strict=True)]
    runs: dict[str, list[int]] = {}
    for row in np.flatnonzero(measured).tolist():
        runs.setdefault(columns[row], []).append(row)
    # only runs with a TTFT FIRST_RATIO times their least can hold a warm-up: the others
    # are spared putting their rows in the order they ran
    runs = {
        key: rows
        for key, rows in runs.items()
        if len(rows) >= FIRST_MIN_ROWS and ttft[rows].max() >= FIRST_RATIO * ttft[rows].min()
    }
    if not runs:
        return cold
    position = np.empty(len(ttft), dtype=np.intp)
    position[_order(records["time"])] = np.arange(len(ttft))
    for rows in runs.values():
        rows = sorted(rows, key=lambda row: position[row])
        first, rest = ttft[rows[0]], ttft[rows[1:]]
        if first >= FIRST_RATIO * float(np.median(rest)) and first >= FIRST_OVER_NEXT * float(
            rest.max()
        ):
            cold[rows[0]] = True
    return cold
