"""`_numeric_sweep` judges a sweep in numpy over (group, level) cells. The pandas group-by it
replaced is kept here as the reference: on random tables (NaN figures, infinities, levels on
one row, several groups) both must say the same."""

from __future__ import annotations

import random

import pandas as pd

from chimera.ingest.digest.column_settings import (
    _SWEEP_RELATIVE,
    _SWEEP_SPREADS,
    _numeric_sweep,
)
from chimera.ingest.digest.columns import TableColumns


def _by_pandas(frame: pd.DataFrame, keys: list[str], levels: str, metrics: list[str]) -> bool:
    """The group-by that judged a sweep before (one named aggregation a metric)."""
    group = frame.groupby(keys, dropna=False, sort=False).ngroup() if keys else 0
    swept = 0
    for metric in metrics:
        figures = pd.to_numeric(frame[metric], errors="coerce")
        rows = pd.DataFrame({"group": group, "level": frame[levels], "figure": figures})
        by_level = rows.groupby(["group", "level"])["figure"].agg(["mean", "std", "count"])
        by_level = by_level[by_level["count"] >= 2]
        by_group = by_level.groupby(level="group").agg(
            levels=("mean", "size"), high=("mean", "max"), low=("mean", "min"),
            scale=("mean", "mean"), spread=("std", "max"),
        )  # fmt: skip
        by_group = by_group[by_group["levels"] >= 2]
        gap = by_group["high"] - by_group["low"]
        apart = (gap > _SWEEP_SPREADS * by_group["spread"].fillna(0)) & (
            gap > _SWEEP_RELATIVE * by_group["scale"].abs()
        )
        if not apart.all():
            return False
        swept += len(by_group)
    return swept > 0


def _table(seed: int) -> tuple[pd.DataFrame, TableColumns]:
    rng = random.Random(seed)
    rows = rng.randint(4, 40)
    models = [f"m{rng.randint(0, 2)}" for _ in range(rows)]
    x = [rng.choice([1, 2, 4, 8][: rng.randint(2, 4)]) for _ in range(rows)]
    effect = rng.choice([0.0, 0.01, 0.5, 3.0])
    noise = rng.choice([0.0, 0.01, 0.2])
    figures: list[object] = []
    for level in x:
        value = 10.0 * (1 + effect * level) * (1 + rng.gauss(0, noise))
        roll = rng.random()
        figures.append("n/a" if roll < 0.05 else float("inf") if roll < 0.07 else f"{value:.2f}")
    frame = pd.DataFrame({"model": models, "x": x, "tok/s": figures}, dtype=object)
    return frame, TableColumns.of(frame.columns)


def test_the_numpy_judgement_agrees_with_the_group_by_on_random_tables() -> None:
    said = {True: 0, False: 0}
    for seed in range(400):
        frame, cols = _table(seed)
        keys = [cols.model] if cols.model else []
        metrics = [m for m, role in cols.metrics.items() if role.aggregate is None]
        levels = pd.to_numeric(frame["x"])
        counts = levels.value_counts()
        if counts.min() < 2 or len(counts) < 2:
            continue  # refused before either judgement
        expected = _by_pandas(frame.assign(x=levels), keys, "x", metrics)
        assert _numeric_sweep(frame, cols, "x", "x") is expected, seed
        said[expected] += 1
    assert said[True] > 20 and said[False] > 20, said  # both answers were exercised


def test_a_sweep_and_a_counter_of_passes() -> None:
    sweep = pd.DataFrame(
        {"model": ["a"] * 6, "x": [1, 1, 2, 2, 4, 4],
         "tok/s": ["10.0", "10.2", "19.9", "20.1", "39.8", "40.3"]},
        dtype=object,
    )  # fmt: skip
    cols = TableColumns.of(sweep.columns)
    assert _numeric_sweep(sweep, cols, "x", "x")
    passes = sweep.assign(**{"tok/s": ["10.0", "10.2", "10.1", "9.9", "10.3", "10.0"]})
    assert not _numeric_sweep(passes, TableColumns.of(passes.columns), "x", "x")
