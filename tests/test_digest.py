"""The digest: statistics on the example data checked against pandas, units, groups, render."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.findings.highlights import compute_highlights, highlights_from
from chimera.grounding.figures import KnownFigures, check_figures, data_figures, known_figures
from chimera.ingest.digest import (
    MAX_FILES_FOR_FILE_STATS,
    DataDigest,
    MetricRole,
    MetricStats,
    OmittedFileStats,
    ingest_folder,
    metric_role,
    model_from_filename,
    model_from_path,
    render_digest,
)
from chimera.ingest.digest.stats import FILE_GROUPINGS
from chimera.tokens import estimate_tokens

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
GEMMA = EXAMPLE / "reports" / "gemma3"
MODELS = ("gemma3:1b", "gemma3:1b-it-qat", "gemma3:270m", "gemma3:4b")


@pytest.fixture(scope="module")
def digest() -> DataDigest:
    return ingest_folder(EXAMPLE, IngestOptions())[1]


def warm(frame: pd.DataFrame, load: str = "load_s", factor: float = 1000.0) -> pd.DataFrame:
    """The rows that did not load the model, by the rule chimera/ingest/digest/cold.py states,
    restated here with pandas: a load of 5x the file's usual (25th percentile) and 200 ms
    more is a load (the first call after each config change in the example data)."""
    load_ms = frame[load] * factor
    usual = load_ms.quantile(0.25)
    loaded = (load_ms >= 5 * max(usual, 1.0)) & (load_ms - usual >= 200)
    return frame[~loaded]


def ok_rows(path: Path) -> pd.DataFrame:
    """The file's warm rows without an error, read independently of Chimera."""
    frame = pd.read_csv(path)
    frame = frame[frame["error"].isna()] if "error" in frame else frame
    return warm(frame) if "load_s" in frame else frame


def results(name: str) -> pd.DataFrame:
    return pd.DataFrame(json.loads((EXAMPLE / "reports" / name).read_text())["results"])


def stat(digest: DataDigest, metric: str, group_by: str | None, group: str | None) -> MetricStats:
    found = digest.find(metric, group_by, group)
    assert found is not None, (metric, group_by, group)
    return found


def test_file_means_match_pandas(digest: DataDigest) -> None:
    """tokens/s of one baseline file: n, mean, median, p95, min, max as pandas computes them."""
    rows = ok_rows(GEMMA / "gemma3_270m_baseline.csv")["tokens_s"]
    s = stat(digest, "tokens_per_s", "file", "reports/gemma3/gemma3_270m_baseline.csv")
    assert (s.n, s.unit, s.column) == (len(rows), "tok/s", "tokens_s")
    assert s.mean == pytest.approx(rows.mean())
    assert s.median == pytest.approx(rows.median())
    assert s.p95 == pytest.approx(rows.quantile(0.95))
    assert (s.min, s.max) == (pytest.approx(rows.min()), pytest.approx(rows.max()))
    assert s.sources == ["reports/gemma3/gemma3_270m_baseline.csv"]


def test_seconds_become_milliseconds(digest: DataDigest) -> None:
    ttft_s = ok_rows(GEMMA / "gemma3_1b-it-qat_baseline.csv")["ttft_s"]
    s = stat(digest, "ttft_ms", "file", "reports/gemma3/gemma3_1b-it-qat_baseline.csv")
    assert (s.unit, s.column) == ("ms", "ttft_s")
    assert s.mean == pytest.approx(ttft_s.mean() * 1000)
    assert s.max == pytest.approx(ttft_s.max() * 1000)


def test_ollama_nanosecond_durations_become_milliseconds(digest: DataDigest) -> None:
    """Raw /api/generate answers: Ollama's *_duration fields are nanoseconds by definition;
    the call that loaded the model (619 ms against ~20 ms) is set apart."""
    path = "reports/runs/ollama_raw_gemma3_270m_20251110.json"
    raw = warm(pd.DataFrame(json.loads((EXAMPLE / path).read_text())), "load_duration", 1e-6)
    assert len(raw) == 3
    total = stat(digest, "total_ms", "file", path)
    assert total.mean == pytest.approx(raw["total_duration"].mean() / 1e6)
    assert 100 < total.mean < 10_000  # plausible milliseconds, not ns or s
    rate = stat(digest, "tokens_per_s", "file", path)
    assert rate.column == "eval_count / eval_duration"
    expected = raw["eval_count"] / (raw["eval_duration"] / 1e9)
    assert rate.mean == pytest.approx(expected.mean())


def test_error_rows_are_excluded_and_counted(digest: DataDigest) -> None:
    path = GEMMA / "gemma3_4b_baseline.csv"
    frame = pd.read_csv(path)
    failed = frame["error"].notna()
    assert failed.sum() == 2
    errors = {e.path: e for e in digest.error_rows}
    entry = errors["reports/gemma3/gemma3_4b_baseline.csv"]
    assert (entry.count, entry.sample) == (2, "timeout after 120s")
    s = stat(digest, "tokens_per_s", "file", "reports/gemma3/gemma3_4b_baseline.csv")
    kept = warm(frame[~failed])
    assert s.n == len(frame) - 2 - 1  # and the first call, which loaded the model
    assert s.mean == pytest.approx(kept["tokens_s"].mean())


def test_model_group_pools_every_file_of_the_model(digest: DataDigest) -> None:
    """gemma3:4b: two CSVs named after the model plus the JSON whose `model` key says so."""
    values = pd.concat(
        [
            ok_rows(GEMMA / "gemma3_4b_baseline.csv")["tokens_s"],
            ok_rows(GEMMA / "gemma3_4b_param_tuning.csv")["tokens_s"],
            results("ollama_bench_20251112.json")["tokens_per_second"],
        ]
    )
    s = stat(digest, "tokens_per_s", "model", "gemma3:4b")
    assert s.n == len(values)
    assert s.mean == pytest.approx(values.mean())
    assert s.p95 == pytest.approx(values.quantile(0.95))
    assert s.sources == [
        "reports/gemma3/gemma3_4b_baseline.csv",
        "reports/gemma3/gemma3_4b_param_tuning.csv",
        "reports/ollama_bench_20251112.json",
    ]
    assert {g.group for g in digest.stats if g.group_by == "model"} == set(MODELS)


def test_config_groups_and_settings_come_from_the_tuning_data(digest: DataDigest) -> None:
    tuning = ok_rows(GEMMA / "gemma3_270m_param_tuning.csv")
    mine = tuning[tuning["config_name"] == "gpu80_ctx2048"]
    s = stat(digest, "tokens_per_s", "model+config_name", "gemma3:270m / gpu80_ctx2048")
    assert (s.n, s.mean) == (len(mine), pytest.approx(mine["tokens_s"].mean()))
    pooled = stat(digest, "tokens_per_s", "config_name", "gpu80_ctx2048")
    every = pd.concat(
        ok_rows(GEMMA / f"gemma3_{m}_param_tuning.csv") for m in ("270m", "1b-it-qat", "4b")
    )
    every = every[every["config_name"] == "gpu80_ctx2048"]
    assert (pooled.n, pooled.mean) == (len(every), pytest.approx(every["tokens_s"].mean()))
    summary = pd.read_csv(GEMMA / "gemma3_4b_param_tuning_summary.csv")
    for row in summary.itertuples():
        assert digest.configs[row.config_name] == {
            "num_gpu": row.num_gpu,
            "num_ctx": row.num_ctx,
            "temperature": row.temperature,
        }
    assert isinstance(digest.configs["gpu80_ctx2048"]["num_gpu"], int)


def test_summary_columns_stay_a_separate_series(digest: DataDigest) -> None:
    """mean_tokens_s is a mean of runs: kept apart from per-run values, marked as such."""
    summary = pd.read_csv(GEMMA / "gemma3_270m_param_tuning_summary.csv")
    row = summary[summary["config_name"] == "gpu0_ctx2048"].iloc[0]
    agg = digest.find("tokens_per_s", "model+config_name", "gemma3:270m / gpu0_ctx2048", "mean")
    assert agg is not None and agg.column == "mean_tokens_s"
    assert agg.mean == pytest.approx(row["mean_tokens_s"])
    overall = stat(digest, "tokens_per_s", None, None)
    assert "mean_tokens_s" not in overall.column
    per_run = sum(len(ok_rows(p)) for p in GEMMA.glob("*.csv") if "summary" not in p.name)
    per_run += sum(len(results(p.name)) for p in (EXAMPLE / "reports").glob("ollama_bench_*.json"))
    per_run += 3  # the raw Ollama answers, rate derived (the one that loaded the model apart)
    assert overall.n == per_run
    p95 = digest.find("latency_ms", "model", "gemma3:4b", "p95")
    assert p95 is not None and p95.mean == pytest.approx(15584.0)  # p95_latency_s: 15.584 s


def test_counts_of_tables_and_rows(digest: DataDigest) -> None:
    csvs = list(EXAMPLE.rglob("*.csv"))
    jsons = list(EXAMPLE.rglob("*.json"))
    assert digest.tables_read == len(csvs) + len(jsons)
    assert digest.skipped == [] and digest.partial == []
    assert digest.rows_read >= sum(len(pd.read_csv(p)) for p in csvs)
    assert {n.path for n in digest.notes} == {
        p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.md")
    }


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("tokens_s", MetricRole("tokens_per_s", None, 1.0)),
        ("Tokens/s", MetricRole("tokens_per_s", None, 1.0)),
        ("avg_tokens_per_second", MetricRole("tokens_per_s", "mean", 1.0)),
        ("TPS", MetricRole("tokens_per_s", None, 1.0)),
        ("ttft_s", MetricRole("ttft_ms", None, 1000.0)),
        ("TTFT (ms)", MetricRole("ttft_ms", None, 1.0)),
        ("mean_ttft_s", MetricRole("ttft_ms", "mean", 1000.0)),
        ("time_to_first_token", MetricRole("ttft_ms", None, None, "unstated")),
        ("p95_latency_s", MetricRole("latency_ms", "p95", 1000.0)),
        ("load_duration", MetricRole("load_ms", None, 1e-6, "definition")),  # Ollama's ns
        ("prompt_eval_duration_ns", MetricRole("prompt_eval_ms", None, 1e-6)),
        ("eval_s", MetricRole("eval_ms", None, 1000.0)),
        ("eval_count", MetricRole("eval_count", None, 1.0)),
        ("total_duration_ms", MetricRole("total_ms", None, 1.0)),
        ("eval", None),
        ("max_tokens", None),
        ("response_chars", None),
        ("num_ctx", None),
    ],
)
def test_metric_columns_are_recognised_by_name(name: str, role: MetricRole | None) -> None:
    assert metric_role(name) == role


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("gemma3_270m_baseline.csv", "gemma3:270m"),
        ("reports/gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "gemma3:1b-it-qat"),
        ("qwen2.5_7b_baseline.csv", "qwen2.5:7b"),
        ("gemma3_latest_run.json", "gemma3:latest"),
        ("ollama_bench_20251114.json", None),
    ],
)
def test_model_from_filename(name: str, model: str | None) -> None:
    assert model_from_filename(name) == model


def test_render_without_limit_shows_everything(digest: DataDigest) -> None:
    text, shrunk = render_digest(digest, None, estimate_tokens)
    assert not shrunk
    assert "left out" not in text
    assert "Means per file:" in text and "Notes (Markdown):" in text
    s = stat(digest, "tokens_per_s", "file", "reports/gemma3/gemma3_270m_baseline.csv")
    assert f"reports/gemma3/gemma3_270m_baseline.csv: tokens_per_s {s.mean:.1f}" in text
    assert render_digest(digest, estimate_tokens(text) + 10, estimate_tokens) == (text, False)


def test_render_fits_600_tokens_keeping_per_model_means(digest: DataDigest) -> None:
    full, _ = render_digest(digest, None, estimate_tokens)
    text, shrunk = render_digest(digest, 600, estimate_tokens)
    assert shrunk and estimate_tokens(text) <= 600 < estimate_tokens(full)
    for model in MODELS:
        tps = stat(digest, "tokens_per_s", "model", model).mean
        ttft = stat(digest, "ttft_ms", "model", model).mean
        assert f"{model}: tokens_per_s {tps:.1f}, ttft_ms {ttft:.1f}" in text
    overall = stat(digest, "tokens_per_s", None, None)
    assert f"tokens_per_s {overall.mean:.1f} tok/s (n={overall.n})" in text
    assert "Means per file:" not in text  # detail goes first
    last = text.splitlines()[-1]
    assert last.startswith("[") and "lines left out to fit 600 tokens" in last
    left_out = int(last[1:].split()[0])
    assert left_out == len(full.splitlines()) - len(text.splitlines()) + 1 - _headings_lost(
        full, text
    )


def _headings_lost(full: str, text: str) -> int:
    kept = set(text.splitlines())
    return sum(1 for line in full.splitlines() if line.endswith(":") and line not in kept)


def test_render_tiny_budget_still_says_what_was_left_out(digest: DataDigest) -> None:
    text, shrunk = render_digest(digest, 64, estimate_tokens)
    assert shrunk
    assert text.startswith("Data digest:")
    assert "left out" in text.splitlines()[-1]
    medium, _ = render_digest(digest, 300, estimate_tokens)
    assert estimate_tokens(medium) <= 300
    assert "Means by model (" in medium and "Spread over all rows:" not in medium


def test_render_uses_the_given_token_counter(digest: DataDigest) -> None:
    """A counter that charges per line, not per character, changes what fits."""
    text, shrunk = render_digest(digest, 20, lambda t: len(t.splitlines()))
    assert shrunk and len(text.splitlines()) <= 20


def test_json_rows_inherit_model_and_options_and_error_rows_are_excluded(tmp_path: Path) -> None:
    """Nested results get the enclosing model/options; an error entry is counted, not averaged;
    a parent's own total is not repeated for its children."""
    doc = {
        "model": "gemma3:1b",
        "options": {"num_gpu": 40, "num_ctx": 2048},
        "config_name": "gpu40",
        "total_duration_ms": 9000.0,
        "results": [
            {"ttft_ms": 100.0, "tokens_per_second": 40.0},
            {"ttft_ms": 300.0, "tokens_per_second": 60.0},
            {"error": {"code": 500, "message": "model crashed"}},
        ],
    }
    (tmp_path / "bench.json").write_text(json.dumps(doc))
    _, digest = ingest_folder(tmp_path, IngestOptions())
    s = stat(digest, "tokens_per_s", "model+config_name", "gemma3:1b / gpu40")
    assert (s.n, s.mean, s.column) == (2, 50.0, "results[].tokens_per_second")
    assert stat(digest, "total_ms", None, None).n == 1
    assert digest.configs == {"gpu40": {"num_gpu": 40, "num_ctx": 2048}}
    [errors] = digest.error_rows
    assert (errors.path, errors.count) == ("bench.json", 1) and "model crashed" in errors.sample
    assert digest.rows_read == 4


# --- per-file statistics: kept for a few files, left out (and said so) for many --------------


def _runs(root: Path, count: int) -> Path:
    """`count` small CSV runs of two models and two configs, plus a note without metrics."""
    for i in range(count):
        model = ("gemma3_270m", "gemma3_4b")[i % 2]
        rows = "".join(f"p{j},{40 + i + j},{0.1 * (j + 1)},cfg{j % 2}\n" for j in range(4))
        (root / f"{model}_run_{i:03d}.csv").write_text(
            "prompt,tokens_s,ttft_s,config_name\n" + rows
        )
    (root / "notes.md").write_text("# Tuning\n")
    return root


def _without_files(digest: DataDigest) -> list[MetricStats]:
    return [s for s in digest.stats if s.group_by not in FILE_GROUPINGS]


def test_per_file_stats_below_the_cap(digest: DataDigest) -> None:
    """17 example tables are far below the cap: every file has its stats, nothing is omitted."""
    assert digest.file_stats_omitted is None
    files = {s.group for s in digest.stats if s.group_by == "file"}
    assert files == {src for s in digest.stats if s.group_by is None for src in s.sources}
    assert "Per-file statistics omitted" not in render_digest(digest, None)[0]


def test_per_file_stats_up_to_the_cap_are_kept(tmp_path: Path) -> None:
    """The cap counts files holding metrics (the note does not count); at the cap all stay."""
    _, digest = ingest_folder(_runs(tmp_path, 3), IngestOptions(), max_file_stats=3)
    assert digest.file_stats_omitted is None
    assert len({s.group for s in digest.stats if s.group_by == "file"}) == 3


def test_per_file_stats_above_the_cap_are_omitted_and_said(tmp_path: Path) -> None:
    """Above the cap: no per-file stats, the digest records it and its text says so even when
    squeezed; the overall, model, config and model+config stats are exactly as without it."""
    root = _runs(tmp_path, 5)
    _, capped = ingest_folder(root, IngestOptions(), max_file_stats=4)
    _, full = ingest_folder(root, IngestOptions(), max_file_stats=None)
    assert capped.file_stats_omitted == OmittedFileStats(files=5, max_files=4)
    assert not [s for s in capped.stats if s.group_by in FILE_GROUPINGS]
    assert capped.stats == _without_files(full)
    assert {s.group_by for s in capped.stats} == {
        None,
        "model",
        "config_name",
        "model+config_name",
        "model+config_name+workload",
    }
    line = "Per-file statistics omitted: 5 files hold metrics, more than 4;"
    assert line in render_digest(capped, None)[0]
    text, shrunk = render_digest(capped, 64)
    assert shrunk and line in text
    assert "Means per file:" not in render_digest(capped, None)[0]
    assert "Means per file:" in render_digest(full, None)[0]


def test_the_default_cap_applies_without_an_argument(tmp_path: Path) -> None:
    _, digest = ingest_folder(_runs(tmp_path, MAX_FILES_FOR_FILE_STATS + 1), IngestOptions())
    assert digest.file_stats_omitted == OmittedFileStats(
        files=MAX_FILES_FOR_FILE_STATS + 1, max_files=MAX_FILES_FOR_FILE_STATS
    )


def test_highlights_and_figures_need_no_per_file_stats_but_sessions_do() -> None:
    """Rankings, settings and best configs need no per-file stats, so leaving them out
    changes none of those highlights; sessions of one setup (each file's own runs) are then
    not compared, and a finding says so; the known figures are those of the full digest
    minus the per-file ones."""
    capped = ingest_folder(EXAMPLE, IngestOptions(), max_file_stats=2)[1]
    full = ingest_folder(EXAMPLE, IngestOptions(), max_file_stats=None)[1]
    files = {s.group for s in full.stats if s.group_by == "file"}
    assert capped.file_stats_omitted == OmittedFileStats(files=len(files), max_files=2)
    highlights = compute_highlights(capped)
    capped_findings, full_findings = compute_findings(capped), compute_findings(full)
    per_session = {"sessions"}
    assert not per_session & {f.kind for f in capped_findings}
    (unchecked,) = [f for f in capped_findings if f.title == "sessions not compared"]
    assert f"{len(files)} files hold metrics" in unchecked.text
    check = check_figures({"f": unchecked.text}, KnownFigures(data_figures(capped, [unchecked])))
    assert check.total >= 1 and check.traced == check.total  # ("2 files" is too small to be one)
    assert not [f for f in full_findings if f.title == unchecked.title]
    expected = highlights_from([f for f in full_findings if f.kind not in per_session])
    assert highlights and [h.text for h in highlights] == [h.text for h in expected]
    figures = known_figures(capped, highlights)
    assert figures and not [f for f in figures if "file=" in f.source]
    assert {(f.value, f.unit, f.kind) for f in figures} <= {
        (f.value, f.unit, f.kind) for f in known_figures(full, highlights)
    }


def test_groups_pool_runs_in_reading_order_across_interleaved_files(tmp_path: Path) -> None:
    """Rows of one model+config spread over files and mixed with others: each group holds
    exactly its rows, and its columns and sources are those it came from."""
    (tmp_path / "a.csv").write_text(
        "model,config_name,tokens_s\nm1,c1,1\nm2,c1,2\nm1,c2,3\nm1,c1,4\n"
    )
    (tmp_path / "b.json").write_text(
        json.dumps([{"model": "m2", "config_name": "c1", "tps": v} for v in (5, 6)])
    )
    (tmp_path / "c.csv").write_text("model,config_name,tokens_s\nm1,c1,7\nm3,,8\n")
    _, digest = ingest_folder(tmp_path, IngestOptions())
    m1c1 = stat(digest, "tokens_per_s", "model+config_name", "m1 / c1")
    assert (m1c1.n, m1c1.mean, m1c1.min, m1c1.max) == (3, 4.0, 1.0, 7.0)
    assert (m1c1.column, m1c1.sources) == ("tokens_s", ["a.csv", "c.csv"])
    c1 = stat(digest, "tokens_per_s", "config_name", "c1")
    assert (c1.n, c1.mean, c1.column) == (6, 25 / 6, "tokens_s, [].tps")
    assert c1.sources == ["a.csv", "b.json", "c.csv"]
    assert stat(digest, "tokens_per_s", "model", "m3").n == 1
    assert digest.find("tokens_per_s", "model+config_name", "m3 / None") is None
    overall = stat(digest, "tokens_per_s", None, None)
    assert (overall.n, overall.mean) == (8, 4.5)


def test_setting_combinations_are_numbered_in_order_of_first_appearance() -> None:
    """The config of a row is named after its combination of settings: empty cells (None and
    NaN alike) are one value, and the same combination is the same number wherever it is."""
    from chimera.ingest.digest.table import _combinations

    name = pd.Series(["a", None, "a", float("nan"), None, "b"], dtype=object)
    ctx = pd.Series([2048.0, float("nan"), 2048.0, 4096.0, float("nan"), 2048.0])
    codes, combinations = _combinations([name, ctx])
    assert codes.tolist() == [0, 1, 0, 2, 1, 3]
    assert combinations[0] == ["a", 2048.0] and combinations[3] == ["b", 2048.0]
    assert all(pd.isna(value) for value in combinations[1])
    assert pd.isna(combinations[2][0]) and combinations[2][1] == 4096.0


def test_a_blank_setting_cell_is_the_engines_default_not_a_crash(tmp_path: Path) -> None:
    """An Ollama-style CSV that leaves num_ctx blank on one row (the server's default): each
    change of num_ctx reloads the model, the blank one included, so every row is a first
    call after a change. pandas 3 kept the blank as NaN through astype(str) and the join of
    the settings failed with a TypeError."""
    (tmp_path / "r.csv").write_text(
        "model,num_ctx,tokens_per_s,ttft_ms\n"
        "x:1b,2048,50,200\nx:1b,,51,210\nx:1b,,52,205\nx:1b,4096,45,300\n"
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    [cold] = digest.cold_rows
    assert (cold.rows, cold.of_rows, cold.by) == (3, 4, "settings")  # the second blank is warm


def test_a_float_setting_is_one_setup_whether_a_file_wrote_1_or_1_0(tmp_path: Path) -> None:
    """pandas reads a temperature column of 0s and 1s as int and one with 0.7 in it as float
    (per file, and per chunk of a big file): "temperature=1" and "temperature=1.0" were two
    setups of one setting."""
    (tmp_path / "a.csv").write_text("model,temperature,tokens_per_s\nx:1b,1,50\nx:1b,0,52\n")
    (tmp_path / "b.csv").write_text("model,temperature,tokens_per_s\nx:1b,1.0,54\nx:1b,0.7,53\n")
    _, digest = ingest_folder(tmp_path, IngestOptions())
    configs = {s.config: s.params for s in digest.setups if s.model == "x:1b"}
    assert configs == {
        "temperature=0.0": {"temperature": 0.0},
        "temperature=0.7": {"temperature": 0.7},
        "temperature=1.0": {"temperature": 1.0},
    }
    one = digest.find("tokens_per_s", "model+config_name", "x:1b / temperature=1.0")
    assert one is not None and (one.n, one.mean) == (2, 52.0)


def test_llama_server_bench_tables_read_the_predict_rate_not_the_total_rate(
    tmp_path: Path,
) -> None:
    """llama-server bench tables (held-out TkskKurumi folder): "Tokens Per Second" is
    prompt and generated tokens over the elapsed time (272.9), "Predict Per Second" the
    generation rate (3.88). The generation rate is tokens_per_s; the total is never pooled
    with it; "Prompt Per Second" is the prompt rate."""
    (tmp_path / "result.md").write_text(
        "## Qwen3-Next-80B - Q6_K_XL\n\nParallel = 4\n\n"
        "|Task|Elapse|Tokens Per Second|Prompt Per Second|Predict Per Second|Prompt|Predict|\n"
        "|----|-----:|----------------:|----------------:|-----------------:|-----:|------:|\n"
        "|Document Understanding|44.4|272.9|1051.9|3.88|11981|128|\n"
        "|Document Understanding|36.7|329.7|873.8|5.56|11979|128|\n"
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    rates = [s for s in digest.stats if s.group_by is None]
    by_metric = {s.metric: (s.mean, s.column) for s in rates}
    assert by_metric["tokens_per_s"] == (pytest.approx((3.88 + 5.56) / 2), "Predict Per Second")
    assert by_metric["prompt_tokens_per_s"][0] == pytest.approx((1051.9 + 873.8) / 2)


def test_vllm_throughput_json_tokens_per_second_is_never_the_generation_rate(
    tmp_path: Path,
) -> None:
    """vLLM's benchmark_throughput.py (`vllm bench throughput --output-json`) writes
    `tokens_per_second` = `total_num_tokens` / `elapsed_time`, where total_num_tokens counts
    every request's prompt AND output tokens, and elapsed_time is the whole batch's time: it
    was read as a generation rate of 45,834 tok/s. Beside a count of every token the plain rate
    and the batch time are left out; the requests a second stay. A plain rate with no such
    count beside it is still the generation rate."""
    (tmp_path / "throughput_qwen3-0.6b.json").write_text(
        '{"elapsed_time": 5.0268, "num_requests": 200, "total_num_tokens": 230400,'
        ' "requests_per_second": 39.787, "tokens_per_second": 45834.42}'
    )
    (tmp_path / "plain.json").write_text('{"model": "llama3:8b", "tokens_per_second": 42.0}')
    _, digest = ingest_folder(tmp_path, IngestOptions())
    rates = {(s.metric, s.file) for s in digest.stats if s.file is not None}
    assert ("tokens_per_s", "throughput_qwen3-0.6b.json") not in rates
    assert ("latency_ms", "throughput_qwen3-0.6b.json") not in rates
    assert ("requests_per_s", "throughput_qwen3-0.6b.json") in rates
    assert ("tokens_per_s", "plain.json") in rates


def _write_files(root: Path, files: dict[str, str]) -> DataDigest:
    for name, text in files.items():
        (root / name).write_text(text)
    return ingest_folder(root, IngestOptions())[1]


def test_the_readers_rules_for_held_out_formats_fire_only_where_they_should(
    tmp_path: Path,
) -> None:
    """Review of the held-out fixes: each rule kept to the data it is for.
    - a plain tokens_per_s beside eval_rate holds other rows' rates: kept (only llama-server's
      "Predict Per Second" makes the plain one a total rate);
    - a `kind` of prompt/chat is the API called, not a phase; a table with its own prompt
      rate column is never split by row kind;
    - `completed: false` is a flag, not "0 requests completed"."""
    digest = _write_files(tmp_path, {
        "bench.csv": "model,run,eval_rate,tokens_per_s\nllama3:8b,1,45.1,\nllama3:8b,2,45.3,\n"
                     "mistral:7b,1,,50.2\nmistral:7b,2,,50.6\n",
        "api.csv": "model,kind,eval_rate,prompt_eval_rate\nqwen3:4b,prompt,45.1,300\n"
                   "qwen3:4b,prompt,45.3,305\nqwen3:4b,chat,44.0,290\nqwen3:4b,chat,44.2,295\n",
        "runs.json": '[{"model": "gemma3:1b", "completed": true, "eval_rate": 45.1},'
                     ' {"model": "gemma3:1b", "completed": false, "eval_rate": 44.9}]',
    })  # fmt: skip
    mistral = digest.find("tokens_per_s", "model", "mistral:7b", machine=None)
    assert mistral is not None and mistral.n == 2
    prompt = digest.find("prompt_tokens_per_s", "model", "qwen3:4b", machine=None)
    assert prompt is not None and (prompt.n, prompt.min) == (4, 290.0)
    gen = digest.find("tokens_per_s", "model", "qwen3:4b", machine=None)
    assert gen is not None and gen.n == 4
    gemma = digest.find("tokens_per_s", "model", "gemma3:1b", machine=None)
    assert gemma is not None and gemma.n == 2 and not digest.error_rows


def test_text_results_keep_sglang_blocks_and_skip_summaries(tmp_path: Path) -> None:
    """SGLang's bench_serving block has lines Chimera does not read ("Total generated tokens
    (retokenized)", "Concurrency"): they no longer end the block before its TTFT lines. A
    "Summary for llama3:8b:" heading repeats the rates of the run above: no second run."""
    capture = (
        "total duration:       5.1s\nload duration:        20ms\n"
        "prompt eval count:    15 token(s)\nprompt eval rate:     300.00 tokens/s\n"
        "eval count:           200 token(s)\neval rate:            45.10 tokens/s\n\n"
        "Summary for llama3:8b:\neval rate:            45.10 tokens/s\n"
        "prompt eval rate:     300.00 tokens/s\n"
    )
    sglang = (Path(__file__).parent / "fixtures" / "sglang_bench_serving.md").read_text()
    digest = _write_files(tmp_path, {"run.txt": capture, "results.md": sglang})
    rates = {
        s.engine: s.n for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None
    }
    assert rates == {"Ollama": 1, "SGLang": 2}  # one capture run and the two SGLang blocks
    ttft = [s for s in digest.stats if s.metric == "ttft_ms" and s.group_by is None]
    assert {s.aggregate for s in ttft} >= {"mean", "median", "p99"}
    assert [s.n for s in ttft if s.aggregate == "mean"] == [2]


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("Qwen3-Next-80B/result.md", "Qwen3-Next-80B"),
        ("DeepSeekV3.1-Terminus-TQ1/result-np=1.md", "DeepSeekV3.1-Terminus-TQ1"),
        ("llama-2-7b.Q4_0/run_info.json", "llama-2-7b.Q4_0"),
        ("runs/Meta-Llama-3.1-8B-Instruct/a.json", "Meta-Llama-3.1-8B-Instruct"),
        ("Gemma3:4b/x.md", "gemma3:4b"),
        ("gemma3_270m_baseline.csv", "gemma3:270m"),  # the file name first
        ("gemma3/x.md", None),  # a family: its models are several
        ("qwen3_results/a.csv", None),  # a collection
        ("llama.cpp-b4000/a.json", None),  # the engine
        ("results/rtx4090/a.csv", None),
    ],
)
def test_model_from_path(path: str, model: str | None) -> None:
    assert model_from_path(path) == model


def test_a_rate_in_tokens_a_millisecond_is_read_as_tokens_a_second(tmp_path: Path) -> None:
    """`throughput_tok_per_ms` (0.045: a script's rate where tok/s would read 45) was no
    metric, the file "no recognised metric"; it is the generation rate at 1000x. A plain
    `tokens_per_ms` is one too, and a name that is not a rate (`tokens_per_msg`) is none."""
    (tmp_path / "tokms.csv").write_text(
        "model,batch,throughput_tok_per_ms,tokens_per_msg\n"
        "qwen-7b,1,0.045,500\nqwen-7b,1,0.046,510\nqwen-7b,4,0.150,480\nqwen-7b,4,0.152,490\n"
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    rate = digest.find("tokens_per_s", "model+config_name", "qwen-7b / batch=4")
    assert rate is not None and rate.mean == pytest.approx(151.0)
    assert {s.metric for s in digest.stats} == {"tokens_per_s"}


def test_vllm_throughput_lines_read_the_output_rate_never_the_total(tmp_path: Path) -> None:
    """vLLM's offline benchmark prints "Throughput: 2.76 requests/s, 1913.92 total tokens/s,
    414.11 output tokens/s" (an older one "Throughput: 46.82 requests/s, 11985.79 tokens/s",
    prompt and output tokens together): read as nothing, "figures in no format Chimera
    reads". Each line is a run of vLLM: its requests a second, and its output tokens a second
    as the generation rate; the totals are never read as one. The model from the command line
    or the printed arguments above."""
    (tmp_path / "new.log").write_text(
        "$ vllm bench throughput --model LiquidAI/LFM2.5-350M --random-input-len 512 "
        "--random-output-len 256 --num-prompts 512\n"
        "Processed prompts: 100%|####| 512/512 [00:07<00:00, est. speed input: 37000 toks/s]\n"
        "Throughput: 70.77 requests/s, 54350.30 total tokens/s, 18116.77 output tokens/s\n"
        "Total num prompt tokens:  262144\nTotal num output tokens:  131072\n"
    )
    (tmp_path / "old.log").write_text(
        "Namespace(backend='vllm', dataset=None, input_len=128, output_len=128, "
        "model='facebook/opt-125m', tensor_parallel_size=1, n=1, num_prompts=1000)\n"
        "Throughput: 46.82 requests/s, 11985.79 tokens/s\n"
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    rates = {(s.metric, s.group): s.mean for s in digest.stats if s.group_by == "model"}
    assert rates[("tokens_per_s", "LiquidAI/LFM2.5-350M")] == 18116.77
    assert rates[("requests_per_s", "LiquidAI/LFM2.5-350M")] == 70.77
    assert rates[("requests_per_s", "facebook/opt-125m")] == 46.82
    assert ("tokens_per_s", "facebook/opt-125m") not in rates  # 11985.79: prompt + output
    assert {s.engine for s in digest.scopes} == {"vLLM"}


def test_a_request_rate_with_its_unit_is_measured_where_its_name_says_so(tmp_path: Path) -> None:
    """A table copying vLLM's console names with their units ("Request throughput (req/s)",
    "Requests/s") read no request rate: the runs' achieved requests a second were lost.
    "Request rate (req/s)" is the rate a benchmark offered, no measurement: the setting
    request_rate (its rows were one setup's repetitions)."""
    (tmp_path / "serve.md").write_text(
        "| model | Request rate (req/s) | Request throughput (req/s) "
        "| Output token throughput (tok/s) |\n"
        "|---|---|---|---|\n| llama3-8b | 4 | 3.91 | 812.5 |\n| llama3-8b | 8 | 7.42 | 1503.2 |\n"
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    measured = {s.metric: (s.min, s.max) for s in digest.stats if s.group_by is None}
    assert measured["requests_per_s"] == (3.91, 7.42)
    assert measured["tokens_per_s"] == (812.5, 1503.2)
    assert {s.params.get("request_rate") for s in digest.setups} == {4, 8}  # two loads
