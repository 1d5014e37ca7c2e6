"""llama.cpp's llama-bench output (-o csv, json, jsonl) and the run counts of summary files.

The fixtures under tests/fixtures/llama_bench are written as llama-bench.cpp's printers write
them (every CSV field quoted, the JSON's samples_ns / samples_ts per repetition); the
expected values are read from them here with pandas and json, independently of Chimera.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings, recommendations
from chimera.grounding.catalog import digest_figures
from chimera.grounding.figures import KnownFigures, check_figures, data_figures
from chimera.ingest.digest import DataDigest, ingest_folder, render_digest
from chimera.ingest.digest.llama_bench import MIXED_REASON, model_name

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BENCH = FIXTURES / "llama_bench"
SUMMARY = FIXTURES / "summary_runs" / "bench_summary.csv"
GEMMA = "gemma-3-1b-it-Q4_K_M"
QWEN = "qwen2.5-1.5b-instruct-q4_k_m"
SETUP = "model+config_name"


def digest_of(tmp_path: Path, *files: Path) -> DataDigest:
    """The digest of a folder holding only `files`."""
    folder = tmp_path / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return ingest_folder(folder, IngestOptions())[1]


def setup_stats(d: DataDigest, metric: str, aggregate: str | None) -> dict[str, float]:
    """model / config -> the setup's mean, for one series."""
    return {
        str(s.group): s.mean
        for s in d.stats
        if s.group_by == SETUP and s.metric == metric and s.aggregate == aggregate
    }


def csv_tests() -> pd.DataFrame:
    return pd.read_csv(BENCH / "llama-bench.csv")


def json_tests(name: str) -> list[dict]:
    path = BENCH / name
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return json.loads(path.read_text())


def test_csv_tg_and_pp_rates_are_two_metrics_never_pooled(tmp_path: Path) -> None:
    """tg rows give tokens_per_s, pp rows prompt_tokens_per_s: every statistic of each holds
    exactly the rows of its test, so a 464 tok/s prompt rate never enters a 43 tok/s mean."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    rows = csv_tests()
    tg = rows[(rows.n_gen > 0) & (rows.n_prompt == 0)]
    pp = rows[(rows.n_prompt > 0) & (rows.n_gen == 0)]
    gen = setup_stats(d, "tokens_per_s", "mean")
    prompt = setup_stats(d, "prompt_tokens_per_s", "mean")
    for ngl, frame, found in ((0, tg, gen), (99, tg, gen), (0, pp, prompt), (99, pp, prompt)):
        label = f"{GEMMA} / num_gpu={ngl}, num_thread=8, num_batch=2048"
        assert found[label] == pytest.approx(frame[frame.n_gpu_layers == ngl].avg_ts.item())
    for s in d.stats:
        assert s.unit == "tok/s"
        wanted = tg if s.metric == "tokens_per_s" else pp
        column = "avg_ts" if s.aggregate == "mean" else "stddev_ts"
        assert set(wanted[column]) >= {s.min, s.max}, (s.metric, s.group)
    overall = d.find("tokens_per_s", aggregate="mean")
    assert overall is not None and overall.n == len(tg)
    assert overall.mean == pytest.approx(tg.avg_ts.mean())


def test_csv_avg_ts_is_a_mean_stddev_ts_its_std_and_no_run_count_is_assumed(
    tmp_path: Path,
) -> None:
    """A CSV row is one test already averaged over its repetitions: aggregate mean (and std),
    no per-run values, and no run count (llama-bench's -r default is not invented)."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    rows = csv_tests()
    tg = rows[(rows.n_gen > 0) & (rows.n_prompt == 0)]
    assert d.find("tokens_per_s") is None  # nothing per-run
    std = d.find(
        "tokens_per_s", SETUP, f"{GEMMA} / num_gpu=99, num_thread=8, num_batch=2048", "std"
    )
    assert std is not None and std.column == "stddev_ts of tg rows"
    assert std.mean == pytest.approx(tg[tg.n_gpu_layers == 99].stddev_ts.item())
    assert all(s.runs is None for s in d.stats)
    assert not [f for f in digest_figures(d) if f.kind == "runs"]


def test_model_is_the_gguf_stem_and_settings_come_from_llama_bench_names(tmp_path: Path) -> None:
    """model_filename's stem names the model; n_gpu_layers/n_threads/n_batch are num_gpu/
    num_thread/num_batch; parameters at llama-bench's defaults separate nothing; test_time
    dates the file; avg_ns is not read as a time."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    assert {s.group for s in d.stats if s.group_by == "model"} == {GEMMA}
    assert [(x.model, x.params) for x in d.setups] == [
        (GEMMA, {"num_batch": 2048, "num_thread": 8, "num_gpu": 0}),
        (GEMMA, {"num_batch": 2048, "num_thread": 8, "num_gpu": 99}),
    ]
    assert d.file_dates == {"llama-bench.csv": "2025-11-12"}
    assert {s.metric for s in d.stats} == {"tokens_per_s", "prompt_tokens_per_s"}
    assert model_name("C:\\models\\Llama-3.2-3B-Instruct-Q8_0.gguf", "llama 3B Q8_0") == (
        "Llama-3.2-3B-Instruct-Q8_0"
    )
    assert model_name(None, "gemma3 1B Q4_K - Medium") == "gemma3 1B Q4_K - Medium"


def test_pp_tg_rows_are_left_out_of_both_metrics_and_counted(tmp_path: Path) -> None:
    """A pp512+tg128 row's rate spans prompt and generation: in no statistic, counted with
    the reason, in the digest the analyst reads."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    rows = csv_tests()
    mixed = rows[(rows.n_prompt > 0) & (rows.n_gen > 0)]
    assert len(mixed) == 1
    assert d.rows_read == len(rows)
    assert [(x.path, x.count, x.what, x.reason) for x in d.dropped] == [
        ("llama-bench.csv", 1, "rows", MIXED_REASON)
    ]
    values = {v for s in d.stats for v in (s.min, s.max)}
    assert mixed.avg_ts.item() not in values and mixed.stddev_ts.item() not in values
    assert "LEFT OUT: 1 rows of llama-bench.csv: pp+tg tests" in render_digest(d, None)[0]


def test_json_samples_are_per_run_values_of_their_test(tmp_path: Path) -> None:
    """-o json states each repetition (samples_ts): per-run values, n = repetitions, the
    spread from them; avg_ts is not read a second time; flash_attn swept is a setting."""
    d = digest_of(tmp_path, BENCH / "llama-bench.json")
    tests = json_tests("llama-bench.json")
    assert not [s for s in d.stats if s.aggregate is not None]
    for fa in (0, 1):
        label = f"{QWEN} / num_gpu=99, num_thread=8, num_batch=2048, flash_attn={fa}"
        for metric, kind in (("tokens_per_s", "tg"), ("prompt_tokens_per_s", "pp")):
            (test,) = [
                t for t in tests if t["flash_attn"] == fa and (t["n_gen"] > 0) == (kind == "tg")
            ]
            samples = np.array(test["samples_ts"])
            s = d.find(metric, SETUP, label)
            assert s is not None and s.column == f"samples_ts of {kind} rows"
            assert s.n == len(samples) == len(test["samples_ns"])
            assert s.mean == pytest.approx(samples.mean())
            assert s.std == pytest.approx(samples.std(ddof=1))
            assert s.mean == pytest.approx(test["avg_ts"], rel=1e-4)  # printed to 6 digits
    assert d.rows_read == len(tests)


def test_jsonl_depth_and_swept_test_sizes_are_separate_setups(tmp_path: Path) -> None:
    """tg128 at depth 0 and at depth 4096 (JSON Lines) are two setups, and so are tg128
    and tg256 of one CSV; a test size at its default alone is not named."""
    d = digest_of(tmp_path, BENCH / "llama-bench-depth.jsonl")
    tests = json_tests("llama-bench-depth.jsonl")
    gen = setup_stats(d, "tokens_per_s", None)
    for depth in (0, 4096):
        (test,) = [t for t in tests if t["n_depth"] == depth]
        label = f"{GEMMA} / num_gpu=0, num_thread=8, num_batch=2048, n_depth={depth}"
        assert gen[label] == pytest.approx(np.mean(test["samples_ts"]))

    rows = csv_tests()
    longer = rows[rows.n_gen > 0].assign(n_gen=256, avg_ts=lambda f: f.avg_ts * 0.9)
    longer.loc[longer.n_prompt > 0, "n_gen"] = 128  # the pp+tg row stays as it was
    path = tmp_path / "llama-bench-tg256.csv"
    pd.concat([rows, longer]).to_csv(path, index=False)
    d = digest_of(tmp_path / "two", path)
    configs = sorted(x.config for x in d.setups)
    assert configs == [
        "num_gpu=0, num_thread=8, num_batch=2048",
        "num_gpu=0, num_thread=8, num_batch=2048, n_gen=128",
        "num_gpu=0, num_thread=8, num_batch=2048, n_gen=256",
        "num_gpu=99, num_thread=8, num_batch=2048",
        "num_gpu=99, num_thread=8, num_batch=2048, n_gen=128",
        "num_gpu=99, num_thread=8, num_batch=2048, n_gen=256",
    ]
    gen = setup_stats(d, "tokens_per_s", "mean")
    tg = rows[(rows.n_gen > 0) & (rows.n_prompt == 0) & (rows.n_gpu_layers == 99)]
    assert gen[f"{GEMMA} / num_gpu=99, num_thread=8, num_batch=2048, n_gen=256"] == (
        pytest.approx(tg.avg_ts.item() * 0.9)
    )


def test_json_without_samples_is_read_as_means_with_the_run_count_samples_ns_gives(
    tmp_path: Path,
) -> None:
    """A record with samples_ns but no samples_ts: avg_ts a mean over len(samples_ns) runs."""
    tests = json_tests("llama-bench.json")
    for t in tests:
        del t["samples_ts"]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(tests))
    d = digest_of(tmp_path / "one", path)
    label = f"{QWEN} / num_gpu=99, num_thread=8, num_batch=2048, flash_attn=1"
    s = d.find("tokens_per_s", SETUP, label, "mean")
    (test,) = [t for t in tests if t["flash_attn"] == 1 and t["n_gen"] > 0]
    assert s is not None and s.mean == pytest.approx(test["avg_ts"])
    assert s.runs == len(test["samples_ns"])


def test_summary_runs_column_is_kept_and_gives_a_count_figure(tmp_path: Path) -> None:
    """A summary CSV's `runs` column: each row's already-aggregated values keep their run
    count, summed over a group, so '(n=17)' about that row traces and '(n=18)' does not."""
    d = digest_of(tmp_path, SUMMARY)
    rows = pd.read_csv(SUMMARY)
    cpu = d.find("tokens_per_s", SETUP, "gemma3:4b / 4b_cpu", "mean")
    assert cpu is not None and (cpu.n, cpu.runs) == (1, 17)
    model = d.find("ttft_ms", "model", "gemma3:4b", "median")
    assert model is not None and model.runs == rows.runs.sum()
    runs = [f for f in digest_figures(d) if f.kind == "runs" and f.metric == "tokens_per_s"]
    assert {(f.value, f.context.get("config")) for f in runs} >= {(17, "4b_cpu"), (20, "4b_gpu")}
    assert all(f.unit == "rows" and f.statistic == "n" for f in runs)
    known = KnownFigures(data_figures(d, compute_findings(d)))
    claims = {
        c.text: c.status
        for c in check_figures(
            {"report": "The summary reports 14.28 tok/s for gemma3:4b with 4b_cpu (n=17). "
             "It reports 41.07 tok/s for gemma3:4b with 4b_gpu (n=18)."},
            known,
        ).claims
    }  # fmt: skip
    assert claims == {"14.28 tok/s": "traced", "17": "traced", "41.07 tok/s": "traced",
                      "18": "untraced"}  # fmt: skip
    assert "gemma3:4b / 4b_cpu: mean tokens_per_s 14.3 over 17 runs" in render_digest(d, None)[0]


def test_a_run_count_only_where_every_value_states_one(tmp_path: Path) -> None:
    """A group pooling a row without a run count (or with one that is not a whole number)
    has no run count: none is made up for the missing row."""
    rows = pd.read_csv(SUMMARY).astype({"runs": float})
    rows.loc[1, "runs"] = 2.5
    path = tmp_path / "summary_partial.csv"
    rows.to_csv(path, index=False)
    d = digest_of(tmp_path / "one", path)
    assert d.find("tokens_per_s", SETUP, "gemma3:4b / 4b_cpu", "mean").runs == 17  # type: ignore[union-attr]
    assert d.find("tokens_per_s", SETUP, "gemma3:4b / 4b_gpu", "mean").runs is None  # type: ignore[union-attr]
    assert d.find("tokens_per_s", "model", "gemma3:4b", "mean").runs is None  # type: ignore[union-attr]


def test_per_run_csv_digest_is_unchanged_by_a_runs_like_column(tmp_path: Path) -> None:
    """An ordinary per-run CSV: a column named `n` (a run index) changes no statistic and
    gives no run count, and its digest equals that of the file without it."""
    rows = pd.DataFrame({
        "model": "gemma3:1b", "config_name": ["a", "a", "a", "b", "b", "b"],
        "num_gpu": [0, 0, 0, 99, 99, 99], "n": [1, 2, 3, 1, 2, 3],
        "tokens_s": [40.1, 41.7, 39.9, 101.0, 99.5, 102.2],
        "ttft_ms": [310, 295, 330, 120, 118, 125],
    })  # fmt: skip
    with_n, without_n = tmp_path / "a", tmp_path / "b"
    with_n.mkdir()
    without_n.mkdir()
    rows.to_csv(with_n / "runs.csv", index=False)
    rows.drop(columns="n").to_csv(without_n / "runs.csv", index=False)
    a = ingest_folder(with_n, IngestOptions())[1]
    b = ingest_folder(without_n, IngestOptions())[1]
    assert a == b
    assert all(s.runs is None and s.aggregate is None for s in a.stats)


def test_findings_compare_within_one_test_and_never_recommend_a_workload(tmp_path: Path) -> None:
    """On llama-bench JSON the findings compare flash_attn on generation throughput with the
    per-run samples (a real difference), state no prompt rate as throughput, and recommend
    no context depth."""
    d = digest_of(tmp_path, BENCH / "llama-bench.json", BENCH / "llama-bench-depth.jsonl")
    findings = compute_findings(d)
    effect = next(f for f in findings if f.title == f"flash_attn on {QWEN}")
    assert effect.verdict == "real"
    tests = json_tests("llama-bench.json")
    fast = np.mean(next(t for t in tests if t["flash_attn"] == 1 and t["n_gen"])["samples_ts"])
    assert f"{fast:.2f} tok/s" in effect.text
    depth = next(f for f in findings if f.title == f"n_depth on {GEMMA}")
    assert depth.verdict == "real"
    # Prompt processing is a finding of its own, never stated as generation throughput.
    for f in findings:
        pp = [
            fig for fig in f.values if fig.metric == "prompt_tokens_per_s" and fig.unit == "tok/s"
        ]
        assert not pp or "prompt processing" in f.text
    generation = [fig for f in findings for fig in f.values if fig.metric == "tokens_per_s"]
    assert max(fig.value for fig in generation if fig.unit == "tok/s") < 200
    assert all("n_depth" not in (f.recommendation.change if f.recommendation else {})
               for f in findings)  # fmt: skip
    assert not [f for f in findings if f.kind == "best_config" and "n_depth=4096" in f.text
                and "n_depth=0" in f.text]  # fmt: skip


def test_a_llama_bench_csv_gets_a_finding_of_what_it_reports(tmp_path: Path) -> None:
    """A CSV has only llama-bench's means: one finding per model lists them with the setting
    that differs, says no difference was tested, and every figure in it traces."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    findings = compute_findings(d)
    (reported,) = [f for f in findings if f.kind == "reported"]
    rows = csv_tests()
    tg = rows[(rows.n_gen > 0) & (rows.n_prompt == 0)].set_index("n_gpu_layers").avg_ts
    assert reported.text.startswith(
        f"llama-bench.csv reports for {GEMMA} a generation throughput of "
        f"{tg[99]:.2f} tok/s with num_gpu=99 and {tg[0]:.2f} tok/s with num_gpu=0; "
        "num_batch=2048, num_thread=8 the same"
    )
    assert "does not say over how many runs" in reported.text
    assert reported.verdict == "info" and reported.recommendation is None
    known = KnownFigures(data_figures(d, findings))
    check = check_figures({"findings": reported.text}, known)
    assert check.claims and all(c.status == "traced" for c in check.claims)


def test_every_figure_of_the_findings_on_llama_bench_json_traces(tmp_path: Path) -> None:
    """llama-bench's own parameters (flash_attn=1, n_depth=0) are settings in text too: the
    figures check reads their values as settings, so Chimera's own sentences trace in full."""
    d = digest_of(tmp_path, BENCH / "llama-bench.json", BENCH / "llama-bench-depth.jsonl")
    findings = compute_findings(d)
    texts = {f.id: f.text for f in findings}
    texts.update({r.id: r.text for r in recommendations(findings)})
    check = check_figures(texts, KnownFigures(data_figures(d, findings)))
    assert any("flash_attn=0" in t for t in texts.values())
    assert check.total > 20
    assert [c.text for c in check.claims if c.status != "traced"] == []


def test_a_prompt_processing_rate_in_text_is_checked_against_pp_rows(tmp_path: Path) -> None:
    """ "processes prompts at 466.9 tok/s" is llama-bench's pp rate, "generates 43.3 tok/s" its
    tg rate, each by its own clause: written the right way round both trace, swapped neither."""
    d = digest_of(tmp_path, BENCH / "llama-bench.csv")
    known = KnownFigures(data_figures(d, compute_findings(d)))
    rows = csv_tests()
    cpu = rows[rows.n_gpu_layers == 0]
    tg = cpu[(cpu.n_gen > 0) & (cpu.n_prompt == 0)].avg_ts.iloc[0]
    pp = cpu[(cpu.n_prompt > 0) & (cpu.n_gen == 0)].avg_ts.iloc[0]

    def statuses(first: float, second: float) -> list[str]:
        text = (
            f"With num_gpu=0, {GEMMA} generates {first:.1f} tokens per second (tg128) "
            f"and processes prompts at {second:.1f} tokens per second (pp512)."
        )
        check = check_figures({"t": text}, known)
        return [c.status for c in check.claims if "per second" in c.text]

    assert statuses(tg, pp) == ["traced", "traced"]
    assert statuses(pp, tg) == ["untraced", "untraced"]
    # a word for prefill in another clause makes no generation figure a prompt rate
    aside = f"With num_gpu=0, {GEMMA} generates {pp:.1f} tok/s while prefill is slower."
    assert [c.status for c in check_figures({"t": aside}, known).claims] == ["traced", "untraced"]
    # in a table, the column says which rate a cell is
    head = "| model | num_gpu | tg128 (tok/s) | pp512 (tok/s) |\n|---|---|---|---|\n"
    for first, second, status in ((tg, pp, "traced"), (pp, tg, "untraced")):
        row = f"| {GEMMA} | 0 | {first:.1f} | {second:.1f} |"
        cells = check_figures({"t": head + row}, known).claims[1:]
        assert [c.status for c in cells] == [status, status]
    prefill = check_figures(
        {"t": f"Prompt processing (pp512) on {GEMMA} runs at {pp:.1f} t/s with num_gpu=0."}, known
    )
    assert [c.status for c in prefill.claims] == ["traced", "traced"]


def test_a_setting_of_hundreds_of_digits_is_read_as_text_not_a_crash(tmp_path: Path) -> None:
    """`n_ubatch` of 400 digits does not fit a float: the digest crashed (OverflowError)."""
    huge = int("1" + "0" * 400)
    (tmp_path / "bench.json").write_text(
        json.dumps(
            [
                {
                    "avg_ts": 10.5,
                    "n_prompt": 0,
                    "n_gen": 128,
                    "n_ubatch": huge,
                    "model_filename": "a.gguf",
                }
            ]
        )  # fmt: skip
    )
    digest = ingest_folder(tmp_path, IngestOptions())[1]
    assert not digest.skipped
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model"]
    assert [s.mean for s in rates] == [10.5]


def test_a_split_ggufs_shard_number_is_no_part_of_the_models_name() -> None:
    """kyuz0's Strix Halo runs: `-m .../Qwen3.5-122B-A10B-UD-Q4_K_XL-00001-of-00003.gguf`, the
    first of gguf-split's three files of one model, was the model
    "Qwen3.5-122B-A10B-UD-Q4_K_XL-00001-of-00003" in every finding. A shard's number is no part
    of the model's name; a number that is (`-0001` without "of") stays."""
    from chimera.ingest.digest.identity import model_name as named_model
    from chimera.ingest.digest.llama_bench import model_name

    path = "/models/UD-Q4_K_XL/Qwen3.5-122B-A10B-UD-Q4_K_XL-00001-of-00003.gguf"
    assert model_name(path, "qwen35moe 122B.A10B Q4_K - Medium") == "Qwen3.5-122B-A10B-UD-Q4_K_XL"
    shard = "qwen3.5-122b-a10b-q4_k_xl-00002-of-00003.gguf"  # llama-server's "model"
    assert named_model(shard) == "qwen3.5-122b-a10b-q4_k_xl"
    assert model_name("/m/run-00001.gguf", None) == "run-00001"
