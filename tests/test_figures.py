"""Figures check: which numbers count as figures, and how they are traced to known values."""

from __future__ import annotations

import pytest

from chimera.findings.highlights import Highlight
from chimera.grounding.figures import (
    FiguresCheck,
    KnownFigure,
    check_figures,
    figure_kind,
    find_figures,
    known_figures,
)
from chimera.ingest.digest import DataDigest, ErrorRows, MetricStats
from chimera.metrics import RunMetrics


def _stats(
    metric: str,
    group_by: str | None,
    group: str | None,
    mean: float,
    *,
    unit: str = "tok/s",
    column: str = "tokens_s",
    source: str = "reports/gemma3/gemma3_270m_baseline.csv",
    n: int = 5,
    lo: float | None = None,
    hi: float | None = None,
) -> MetricStats:
    lo = mean * 0.9 if lo is None else lo
    hi = mean * 1.1 if hi is None else hi
    return MetricStats(
        metric=metric,
        unit=unit,
        column=column,
        group_by=group_by,
        group=group,
        sources=[source],
        n=n,
        mean=mean,
        median=mean,
        p95=hi,
        min=lo,
        max=hi,
    )


def _digest() -> DataDigest:
    return DataDigest(
        stats=[
            _stats("tokens_per_s", None, None, 90.0, n=10, lo=50.0, hi=131.0),
            _stats("tokens_per_s", "model", "gemma3:270m", 120.0, lo=101.0, hi=131.0),
            _stats(
                "tokens_per_s",
                "model",
                "gemma3:1b",
                60.0,
                lo=50.0,
                hi=70.0,
                source="reports/gemma3/gemma3_1b_baseline.csv",
            ),
            _stats("ttft_ms", "model", "gemma3:270m", 180.0, unit="ms", column="ttft_s"),
        ],
        configs={"gpu80_ctx2048": {"num_gpu": 80, "num_ctx": 2048, "temperature": 0.8}},
        error_rows=[ErrorRows(path="reports/bad.csv", count=3, sample="timeout")],
        tables_read=2,
        rows_read=13,
        skipped=[],
    )


def _run() -> RunMetrics:
    return RunMetrics(
        calls=2,
        throughput_tok_s=42.76,
        ttft_ms=723.59,
        total_duration_ms=58575.6,
        tokens_generated=2404,
        prompt_eval_ms=600.0,
        eval_duration_ms=55975.94,
        load_duration_ms=516.63,
        prompt_tokens=900,
        truncated_calls=0,
    )


def _known(extra: list[KnownFigure] | None = None) -> list[KnownFigure]:
    return known_figures(_digest(), [], _run(), extra or [])


def _check(text: str, extra: list[KnownFigure] | None = None) -> FiguresCheck:
    return check_figures({"report": text}, _known(extra))


def _status(check: FiguresCheck) -> dict[str, str]:
    return {c.text: c.status for c in check.claims}


def test_non_figures_are_not_claims() -> None:
    """Numbering, dates, years, times, versions, model names and small counts are ignored."""
    text = "\n".join(
        [
            "# Report",
            "### 1. Executive Summary",
            "## 2) Data",
            "**3. Findings**",
            "1. Reduce the context window.",
            "2) Pin the model.",
            "Data from 2025-11-14 and 2025-11-08 10:00:00, last changed November 14th, 2025.",
            "Activity peaked in Nov 8th - Nov 14th (October - November 2025), and in 2024.",
            "The job ran at 10:30 and again at 3 pm.",
            "Models: gemma3:270m, gemma3:1b-it-qat, llama3.1, qwen2.5:7b, Q4_K_M and 1b weights.",
            "Version 1.2.3 of ollama; see `reports/gemma3/gemma3_270m_param_tuning.csv`.",
            "Here are 3 recommendations in two rows; see Table 1 and Section 4, step 2.",
            "We tested 2 models over 5 runs across the last 3-4 weeks.",
            "Aim for 300-400 words.",
            "```",
            "Throughput: 99.9 tok/s inside a code block",
            "```",
        ]
    )
    assert find_figures(text) == []
    check = _check(text)
    assert check.total == 0
    assert check.grounding_rate is None


def test_figures_with_units_and_metric_words_are_counted_exactly() -> None:
    """Every figure is found once, with its unit; the non-figures around it are not."""
    text = (
        "### 1. Performance\n"
        "On 2025-11-14 gemma3:270m reached **120 tok/s** with a TTFT of 0.18 s (n=5 runs).\n"
        "Throughput: 42.76; latency 723.59 ms; num_gpu=80 and temperature 0.8.\n"
        "3 recommendations follow, each 20% cheaper.\n"
    )
    found = find_figures(text)
    assert [(f.text, f.unit) for f in found] == [
        ("120 tok/s", "tok/s"),
        ("0.18 s", "s"),
        ("42.76", None),
        ("723.59 ms", "ms"),
        ("80", None),
        ("0.8", None),
        ("20%", "%"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reducing num_ctx from 4096 to 2048 cut TTFT by 35%.", ["4096", "2048", "35%"]),
        ("The 95th percentile latency is 850 ms.", ["850 ms"]),
        ("temperature 0.7 vs 0.8 made no difference", ["0.7", "0.8"]),
        ("load_duration of 516.63 and avg_tokens_per_second: 14.1", ["516.63", "14.1"]),
        ("Q4_K_M weights use 4.9 GB; 1,024 tokens per prompt.", ["4.9 GB", "1,024 tokens"]),
        ("gemma3 is 3.5x faster (±3.2%) at ~110 tok/s", ["3.5x", "3.2%", "110 tok/s"]),
        ("a 2-3% drop over 24 hours", ["2 %", "3%"]),
        ("Figure 2 shows 42 tok/s; Rank 2 of 5 models; the #1 model; Top-3 configs", ["42 tok/s"]),
        ("It took 1.5 minutes at 3:45 PM on 11/14/2025 with ollama v0.5.1", ["1.5 minutes"]),
        ("GPU offload of 80 layers; batch size 512; the 1990s; In 2025 throughput rose.", []),
        ("Throughput: **42.76** tok/s and - **TTFT**: 723 ms", ["42.76 tok/s", "723 ms"]),
    ],
)
def test_extraction_edge_cases(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_figures(text)] == expected


@pytest.mark.parametrize(
    "written",
    [
        "42.76 tok/s",
        "42.76 tokens/s",
        "42.8 tokens per second",
        "43 tokens/second",
        "42.76 t/s",
        "42.8 TPS",
        "42.76 tok/sec",
        "42.8tok/s",
    ],
)
def test_throughput_spellings_are_one_unit(written: str) -> None:
    check = _check(f"The run measured {written} overall.")
    assert check.total == 1
    claim = check.claims[0]
    assert claim.unit == "tok/s"
    assert claim.status == "traced"
    assert claim.provenance is not None and "throughput_tok_s" in claim.provenance


def test_seconds_and_milliseconds_are_converted() -> None:
    """0.72 s, 723.6 ms and 0.7236 seconds all match a TTFT of 723.59 ms; 0.9 s does not."""
    check = _check("TTFT was 0.72 s, or 723.6 ms, or 0.7236 seconds; a slow call took 0.9 s.")
    assert _status(check) == {
        "0.72 s": "traced",
        "723.6 ms": "traced",
        "0.7236 seconds": "traced",
        "0.9 s": "unverified",
    }
    assert "ttft_ms" in (check.claims[0].provenance or "")


def test_load_in_seconds_matches_ms_figure_of_the_run() -> None:
    check = _check("Model load took 0.52s before 58.58 seconds of total generation.")
    assert _status(check) == {"0.52s": "traced", "58.58 seconds": "traced"}


def test_rounding_to_the_digits_written() -> None:
    """42.8 and 43 round 42.76, 42 truncates it, 42.9 is within 1 %; 43.5 and 44 are not."""
    check = _check(
        "Throughput 42.8 tok/s. Throughput 43 tok/s. Throughput 42 tok/s. "
        "Throughput 42.9 tok/s. Throughput 43.5 tok/s. Throughput 44 tok/s."
    )
    assert [c.status for c in check.claims] == [
        "traced",
        "traced",
        "traced",
        "traced",
        "unverified",
        "unverified",
    ]


def test_relative_tolerance_of_one_percent() -> None:
    """58,100 ms is 0.8 % from the run's 58,575.6 ms total; 57,500 ms is 1.9 % away."""
    check = _check("Total duration was 58,100 ms, or 57,500 ms on a second reading.")
    assert _status(check) == {"58,100 ms": "traced", "57,500 ms": "unverified"}


def test_percentages_from_two_known_values_in_both_directions() -> None:
    """120 vs 60 tok/s (both means by model): +100 %, -50 %, 200 % and 2x all trace."""
    check = _check(
        "gemma3:270m (120 tok/s) is 100% faster than gemma3:1b (60 tok/s); gemma3:1b is "
        "50 % slower; gemma3:270m runs at 200 percent of its speed, 2x overall. "
        "A 37% gain is invented."
    )
    assert _status(check) == {
        "120 tok/s": "traced",
        "60 tok/s": "traced",
        "100%": "traced",
        "50 %": "traced",
        "200 percent": "traced",
        "2x": "traced",
        "37%": "unverified",
    }
    provenance = check.claims[1].provenance or ""
    assert provenance.startswith(
        "(a - b) / b = 100 % with a = digest: tokens_per_s mean, model=gemma3:270m"
    )
    assert "b = digest: tokens_per_s mean, model=gemma3:1b" in provenance


def test_percentages_only_between_comparable_cited_figures() -> None:
    """Pairs need one statistic and scope, and figures the text cites (or all rows / the run)."""
    # 131 (p95, gemma3:270m) / 50 (min, gemma3:1b) - 1 = 162 %: not a comparison; not traced.
    assert _check("A 162% spread from 131 tok/s to 50 tok/s.").claims[0].status == "unverified"
    # 120 (mean, gemma3:270m) vs 90 (mean, all rows): a group against everything is allowed.
    check = _check("gemma3:270m at 120 tok/s is 33.3% above the mean.")
    assert _status(check) == {"120 tok/s": "traced", "33.3%": "traced"}
    # True (120 / 60 - 1) but neither figure is cited: too easy to match by chance.
    assert _check("gemma3:270m is 100% faster.").claims[0].status == "unverified"
    # The run's own throughput is always available: 42.76 / 90 - 1 = -52.5 %.
    assert _check("This run was 52.5% slower than the data.").claims[0].status == "traced"


def test_untraced_figure_keeps_its_sentence() -> None:
    text = "Setup was quick. Then gemma3:1b reached 250 tok/s on the GPU. Nothing else."
    check = _check(text)
    assert check.total == 1
    claim = check.claims[0]
    assert claim.status == "unverified"
    assert claim.provenance is None
    assert claim.sentence == "Then gemma3:1b reached 250 tok/s on the GPU."
    assert claim.where == "report"


def test_table_cells_take_their_unit_from_header_or_row_label() -> None:
    text = (
        "| Metric | Value |\n"
        "|---|---|\n"
        "| Avg. Tokens/Second | 120.0 |\n"
        "| P95 Latency | 16.28 |\n"
        "| Runs | 3 |\n"
        "\n"
        "| Run ID | Timestamp | TTFT (s) | Notes |\n"
        "|--------|-----------|----------|-------|\n"
        "| R1 | 2025-11-08 10:00:00 | 0.18 | warm |\n"
    )
    check = _check(text)
    assert [(c.text, c.unit, c.status) for c in check.claims] == [
        ("120.0", "tok/s", "traced"),
        ("16.28", None, "unverified"),
        ("0.18", "s", "traced"),
    ]
    assert check.claims[0].sentence == "| Avg. Tokens/Second | 120.0 |"


def test_ranges_give_both_ends_the_unit() -> None:
    check = _check("Throughput ranged 50-131 tok/s.")
    assert [(c.text, c.unit, c.status) for c in check.claims] == [
        ("50 tok/s", "tok/s", "traced"),
        ("131 tok/s", "tok/s", "traced"),
    ]


def test_counts_of_data_are_figures_and_must_match_exactly() -> None:
    extra = [KnownFigure(value=101, unit="files", source="inventory: total")]
    check = _check(
        "Total files analysed: 101. JSON (44 files) and 100 files more; 3 runs failed.", extra
    )
    assert _status(check) == {"101": "traced", "44 files": "unverified", "100 files": "unverified"}
    assert check.claims[0].unit == "files"
    assert check.claims[0].provenance == "inventory: total = 101 files"


def test_unitless_figure_prefers_the_figure_its_metric_word_names() -> None:
    """80 is both a tok/s mean and a num_gpu setting; beside num_gpu it is the setting."""
    digest = _digest()
    digest.stats.append(_stats("tokens_per_s", "config_name", "gpu80_ctx2048", 80.0))
    check = check_figures({"report": "Use num_gpu=80."}, known_figures(digest, [], None))
    assert check.claims[0].provenance == "digest: config gpu80_ctx2048 num_gpu = 80 num_gpu"


def test_known_figures_cover_digest_highlights_run_and_extra() -> None:
    highlight = Highlight(
        text="x",
        source="y",
        values=[KnownFigure(value=12.5, unit="%", source="highlight: gap", kind="gap")],
    )
    extra = [KnownFigure(value=101, unit="files", source="inventory: total")]
    known = known_figures(_digest(), [highlight], _run(), extra)
    sources = [k.source for k in known]
    assert any(s.startswith("digest: tokens_per_s mean, model=gemma3:270m") for s in sources)
    assert any(s.startswith("digest: tokens_per_s p95, all rows") for s in sources)
    assert "digest: config gpu80_ctx2048 num_ctx" in sources
    assert "digest: error rows in reports/bad.csv" in sources
    assert "highlight: gap" in sources
    assert "run metrics: ttft_ms" in sources
    assert "inventory: total" in sources
    assert any(k.kind == figure_kind("tokens_per_s", "mean", "model") for k in known)
    # min and max of the first stat are 101/131 tok/s, mean 120: no duplicates of one figure.
    keys = [(k.value, k.unit, k.kind) for k in known]
    assert len(keys) == len(set(keys))
    assert known_figures(None) == []


def test_every_text_is_checked_and_labelled() -> None:
    check = check_figures(
        {
            "report": "Throughput 42.76 tok/s.",
            "findings": "TTFT 0.9 s.",
            "recommendations": "Keep num_ctx at 2048.",
        },
        _known(),
    )
    assert [(c.where, c.status) for c in check.claims] == [
        ("report", "traced"),
        ("findings", "unverified"),
        ("recommendations", "traced"),
    ]
    assert (check.traced, check.total) == (2, 3)
    assert check.grounding_rate == pytest.approx(2 / 3)


def test_markdown_summary_lists_untraced_figures_with_their_sentence() -> None:
    check = check_figures(
        {"report": "Throughput 42.76 tok/s. Then 250 tok/s appeared.", "findings": "TTFT 9 s."},
        _known(),
    )
    markdown = check.to_markdown()
    assert markdown.splitlines()[0] == (
        "Traced 1 of 3 figures (33.3 %). By text: report 1 of 2, findings 0 of 1."
    )
    assert '- **250 tok/s** (report): "Then 250 tok/s appeared."' in markdown
    assert '- **9 s** (findings): "TTFT 9 s."' in markdown
    assert "42.76" not in markdown


def test_markdown_without_figures() -> None:
    assert FiguresCheck().to_markdown() == "_No figures found in the model's text._"
    assert FiguresCheck().grounding_rate is None


def test_grounding_rate_is_serialised() -> None:
    check = _check("Throughput 42.76 tok/s.")
    dumped = check.model_dump()
    assert dumped["grounding_rate"] == 1.0
    assert FiguresCheck.model_validate(dumped).traced == 1


def test_seed_report_figures() -> None:
    """The typical model-written report: its figures, none of its dates or numbering."""
    text = (
        "**Date:** 2025-11-14\n"
        "### 2. Data Ingestion Summary\n"
        "*   **Total Files Analyzed:** 101\n"
        "*   **File Types:** Primarily JSON (44 files) and Markdown (57 files)\n"
        "*   **Last Modification Date:** November 14th, 2025\n"
        "*   **Average Tokens Per Second:** 14.1063399029013 tokens/second\n"
        "    *   P95 Latency: 15.58403500039276\n"
        "A critical window of intense activity exists within the last 3-4 weeks.\n"
        "**Table 1: Key Performance Metrics (November 8th - November 14th)**\n"
    )
    extra = [
        KnownFigure(value=101, unit="files", source="inventory: total"),
        KnownFigure(value=44, unit="files", source="inventory: json files"),
    ]
    check = _check(text, extra)
    assert _status(check) == {
        "101": "traced",
        "44 files": "traced",
        "57 files": "unverified",
        "14.1063399029013 tokens/second": "unverified",
        "15.58403500039276": "unverified",
    }


def test_provenance_names_a_few_files_of_a_large_statistic() -> None:
    """A statistic pooled from thousands of files names three and counts the rest."""
    stats = _stats("tokens_per_s", None, None, 90.0).model_copy(
        update={"sources": [f"runs/run_{i:05d}.csv" for i in range(5000)]}
    )
    digest = DataDigest(
        stats=[stats], configs={}, error_rows=[], tables_read=5000, rows_read=9000, skipped=[]
    )
    source = next(k.source for k in known_figures(digest) if k.kind == "tokens_per_s mean by all")
    assert "runs/run_00000.csv, runs/run_00001.csv, runs/run_00002.csv and 4,997 more" in source
    assert "run_00003" not in source and len(source) < 200
