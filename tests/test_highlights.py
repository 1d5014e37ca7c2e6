"""Data highlights: computed from a hand-built digest, each naming where it comes from."""

from __future__ import annotations

import random

from chimera.findings.highlights import Highlight, compute_highlights, render_highlights
from chimera.grounding.figures import check_figures, known_figures
from chimera.ingest.digest import DataDigest, ErrorRows, MetricStats

BASE_270M = "reports/gemma3/gemma3_270m_baseline.csv"
BASE_1B = "reports/gemma3/gemma3_1b_baseline.csv"
TUNE_270M = "reports/gemma3/gemma3_270m_param_tuning.csv"
TUNE_1B = "reports/gemma3/gemma3_1b_param_tuning.csv"
SUMMARY = "reports/gemma3/gemma3_270m_param_tuning_summary.csv"


def _s(
    metric: str,
    group_by: str | None,
    group: str | None,
    mean: float,
    lo: float,
    hi: float,
    sources: list[str],
    *,
    n: int = 5,
    unit: str = "tok/s",
    column: str = "tokens_s",
    aggregate: str | None = None,
) -> MetricStats:
    return MetricStats(
        metric=metric,
        unit=unit,
        column=column,
        group_by=group_by,
        group=group,
        sources=sources,
        n=n,
        mean=mean,
        median=mean,
        p95=hi,
        min=lo,
        max=hi,
        aggregate=aggregate,
    )


CONFIGS = {
    "gpu80_ctx2048": {"num_gpu": 80, "num_ctx": 2048, "temperature": 0.8},
    "gpu40_ctx2048": {"num_gpu": 40, "num_ctx": 2048, "temperature": 0.8},
    "gpu80_ctx4096": {"num_gpu": 80, "num_ctx": 4096, "temperature": 0.8},
}


def _digest() -> DataDigest:
    tune = [TUNE_270M, TUNE_1B]
    return DataDigest(
        stats=[
            _s("tokens_per_s", None, None, 85.0, 30.0, 131.0, [BASE_270M, BASE_1B, *tune], n=40),
            _s(
                "tokens_per_s",
                "model",
                "gemma3:270m",
                118.4,
                95.0,
                131.0,
                [BASE_270M, TUNE_270M],
                n=20,
            ),
            _s("tokens_per_s", "model", "gemma3:1b", 52.1, 30.0, 66.0, [BASE_1B, TUNE_1B], n=20),
            _s("tokens_per_s", "config_name", "gpu80_ctx2048", 96.0, 60.0, 131.0, tune, n=10),
            _s("tokens_per_s", "config_name", "gpu40_ctx2048", 71.0, 30.0, 110.0, tune, n=10),
            _s("tokens_per_s", "config_name", "gpu80_ctx4096", 88.0, 55.0, 125.0, tune, n=10),
            _s(
                "tokens_per_s",
                "model+config_name",
                "gemma3:270m / gpu80_ctx2048",
                127.0,
                123.0,
                131.0,
                [TUNE_270M],
            ),
            _s(
                "tokens_per_s",
                "model+config_name",
                "gemma3:270m / gpu40_ctx2048",
                101.0,
                95.0,
                110.0,
                [TUNE_270M],
            ),
            _s(
                "tokens_per_s",
                "model+config_name",
                "gemma3:1b / gpu80_ctx2048",
                65.0,
                60.0,
                66.0,
                [TUNE_1B],
            ),
            _s(
                "tokens_per_s",
                "model+config_name",
                "gemma3:1b / gpu40_ctx2048",
                41.0,
                30.0,
                52.0,
                [TUNE_1B],
            ),
            _s("tokens_per_s", "file", TUNE_1B, 53.0, 30.0, 66.0, [TUNE_1B], n=10),
            _s(
                "tokens_per_s",
                "config_name",
                "gpu80_ctx2048",
                126.5,
                126.5,
                126.5,
                [SUMMARY],
                n=1,
                column="mean_tokens_s",
                aggregate="mean",
            ),
            _s(
                "ttft_ms",
                "model",
                "gemma3:270m",
                182.5,
                150.0,
                240.0,
                [BASE_270M],
                unit="ms",
                column="ttft_s",
            ),
            _s(
                "ttft_ms",
                "model",
                "gemma3:1b",
                431.0,
                380.0,
                520.0,
                [BASE_1B],
                unit="ms",
                column="ttft_s",
            ),
        ],
        configs=CONFIGS,
        error_rows=[
            ErrorRows(
                path="reports/gemma3/gemma3_1b_param_tuning.csv",
                count=2,
                sample="timeout after 60s",
            ),
            ErrorRows(path="reports/ascii_demo.json", count=1, sample="model not found"),
        ],
        tables_read=5,
        rows_read=43,
        skipped=[],
    )


def _find(highlights: list[Highlight], start: str) -> Highlight:
    return next(h for h in highlights if h.text.startswith(start))


def test_fastest_and_slowest_model_by_mean_throughput() -> None:
    line = _find(compute_highlights(_digest()), "Fastest model")
    assert line.text == (
        "Fastest model by mean tokens/s: gemma3:270m at 118.40 tok/s (n=20); slowest: "
        "gemma3:1b at 52.10 tok/s (n=20); the fastest is 127.3 % faster."
    )
    assert line.source.startswith("tokens_per_s mean by model, column tokens_s in ")
    # Files in sorted order, at most three named.
    assert line.source.endswith(f"in {BASE_1B}, {TUNE_1B}, {BASE_270M} and 1 more")
    assert {v.value for v in line.values} >= {118.4, 52.1}


def test_lowest_and_highest_ttft() -> None:
    line = _find(compute_highlights(_digest()), "Lowest mean TTFT")
    assert "gemma3:270m at 182.50 ms" in line.text
    assert "highest: gemma3:1b at 431.00 ms" in line.text
    assert "the lowest is 57.7 % lower" in line.text
    assert "column ttft_s" in line.source and BASE_1B in line.source


def test_best_config_names_its_settings_and_files() -> None:
    line = _find(compute_highlights(_digest()), "Best tuning config")
    assert line.text.startswith(
        "Best tuning config by mean tokens/s: gpu80_ctx2048 (num_gpu=80, num_ctx=2048, "
        "temperature=0.8) at 96.00 tok/s; worst: gpu40_ctx2048"
    )
    assert "3 configs compared" in line.text
    assert "by config_name" in line.source and TUNE_270M in line.source
    # Per-run values win over the summary file's already-averaged 126.5.
    assert "126.5" not in line.text


def test_best_config_per_model() -> None:
    line = _find(compute_highlights(_digest()), "Best config per model")
    assert line.text == (
        "Best config per model by mean tokens/s: gemma3:1b: gpu80_ctx2048 at 65.00 tok/s "
        "(2 configs); gemma3:270m: gpu80_ctx2048 at 127.00 tok/s (2 configs)."
    )
    assert "model+config_name" in line.source


def test_best_value_of_each_varied_setting() -> None:
    line = _find(compute_highlights(_digest()), "Best value of each setting")
    # num_gpu=80: configs at 96 and 88 -> 92; num_gpu=40: 71. num_ctx=4096: 88 vs 2048: 83.5.
    assert "num_gpu=80 at 92.00 tok/s (worst num_gpu=40 at 71.00)" in line.text
    assert "num_ctx=4096 at 88.00 tok/s (worst num_ctx=2048 at 83.50)" in line.text
    assert "temperature" not in line.text  # the same in every config


def test_spread_comes_from_repetitions_of_one_model_and_config() -> None:
    line = _find(compute_highlights(_digest()), "Widest spread")
    assert line.text == (
        "Widest spread of tokens/s within one model+config_name: gemma3:1b / gpu40_ctx2048, "
        "30.00-52.00 tok/s over 5 rows (range 53.7 % of its mean 41.00 tok/s)."
    )
    assert TUNE_1B in line.source


def test_error_rows_name_their_files() -> None:
    line = _find(compute_highlights(_digest()), "Rows with an error")
    assert line.text == (
        "Rows with an error, left out of the statistics: 3 (2 in "
        "reports/gemma3/gemma3_1b_param_tuning.csv, 1 in reports/ascii_demo.json); "
        'first error: "timeout after 60s".'
    )
    assert "reports/ascii_demo.json" in line.source


def test_highlights_are_short_and_deterministic() -> None:
    digest = _digest()
    first = compute_highlights(digest)
    assert 1 <= len(first) <= 8
    shuffled = digest.model_copy(deep=True)
    random.Random(7).shuffle(shuffled.stats)
    assert compute_highlights(shuffled) == first


def test_every_figure_in_the_highlights_is_traced() -> None:
    """Highlights carry their figures, so a report that repeats them is fully grounded."""
    digest = _digest()
    highlights = compute_highlights(digest)
    check = check_figures(
        {"highlights": render_highlights(highlights)}, known_figures(digest, highlights)
    )
    assert check.total > 20
    assert [c.text for c in check.claims if c.status != "traced"] == []


def test_empty_digest_gives_no_highlights() -> None:
    empty = DataDigest(stats=[], configs={}, error_rows=[], tables_read=0, rows_read=0, skipped=[])
    assert compute_highlights(empty) == []
    assert render_highlights([]) == "(none)"


def test_only_overall_stats_give_the_overall_mean() -> None:
    digest = DataDigest(
        stats=[_s("tokens_per_s", None, None, 42.757, 40.0, 45.5, [BASE_270M], n=12)],
        configs={},
        error_rows=[],
        tables_read=1,
        rows_read=12,
        skipped=[],
    )
    (line,) = compute_highlights(digest)
    assert line.text == "Mean tokens/s over all 12 rows: 42.76 tok/s (min 40.00, max 45.50)."
    assert BASE_270M in line.source and "column tokens_s" in line.source


def test_summary_values_are_used_when_nothing_else_exists() -> None:
    digest = DataDigest(
        stats=[
            _s(
                "tokens_per_s",
                "model",
                "gemma3:270m",
                110.0,
                110.0,
                110.0,
                [SUMMARY],
                n=1,
                column="mean_tokens_s",
                aggregate="mean",
            ),
            _s(
                "tokens_per_s",
                "model",
                "gemma3:1b",
                55.0,
                55.0,
                55.0,
                [SUMMARY],
                n=1,
                column="mean_tokens_s",
                aggregate="mean",
            ),
        ],
        configs={},
        error_rows=[],
        tables_read=1,
        rows_read=2,
        skipped=[],
    )
    (line,) = compute_highlights(digest)
    assert line.text.startswith("Fastest model by mean tokens/s: gemma3:270m at 110.00 tok/s")
    assert line.source.startswith("mean of tokens_per_s means by model, column mean_tokens_s")


def test_render_highlights_ends_each_line_with_its_source() -> None:
    rendered = render_highlights(
        [Highlight(text="Fastest model: a.", source="tokens_per_s mean by model in x.csv")]
    )
    assert rendered == "- Fastest model: a. _(source: tokens_per_s mean by model in x.csv)_"
