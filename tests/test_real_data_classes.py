"""Each class of mistake real folders showed (issue 18), rebuilt small: the digest and the
findings must group runs by machine, engine, model and workload, count each run once, set
apart the rows that loaded the model, read units by what a field is, read the result
formats people publish, and never crash on any of it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.findings.run_health import ANSWER_FIRST
from chimera.ingest.digest import ingest_folder, render_digest
from chimera.ingest.digest.columns import settings_from_path
from chimera.ingest.digest.coverage import coverage_lines
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.digest.table import names_no_model


def digest_of(root: Path) -> DataDigest:
    return ingest_folder(root, IngestOptions())[1]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _bench(gpu: str, backends: str, threads: int, rates: list[float], build: int = 4000) -> list:
    """llama-bench -o json records of one tg128 test of one GGUF."""
    return [
        {
            "build_commit": "abc1234", "build_number": build, "cpu_info": "CPU", "gpu_info": gpu,
            "backends": backends, "model_filename": "/m/Qwen3-4B-Q5_K_M.gguf",
            "model_type": "qwen3 4B Q5_K - Medium", "n_batch": 2048, "n_ubatch": 512,
            "n_threads": threads, "n_gpu_layers": 99, "flash_attn": False, "n_prompt": 0,
            "n_gen": 128, "n_depth": 0, "test_time": "2025-10-01T00:00:00Z",
            "avg_ns": 1, "stddev_ns": 0, "avg_ts": sum(rates) / len(rates), "stddev_ts": 1.0,
            "samples_ns": [1] * len(rates), "samples_ts": rates,
        }
    ]  # fmt: skip


def test_summary_files_of_different_shapes_render_and_give_findings(tmp_path: Path) -> None:
    """The original repository's shape: an Ollama summary JSON (mean tok/s and TTFT per
    model and config) beside a param-tuning summary CSV with mean_load_s and no model
    column. The digest renders (it raised KeyError 'load_ms') and findings compute."""
    summary = {
        "model": "gemma3:latest",
        "configs": [
            {"config_name": "gpu80", "mean_tokens_per_second": 100.0, "mean_ttft_ms": 90.0},
            {"config_name": "gpu40", "mean_tokens_per_second": 80.0, "mean_ttft_ms": 120.0},
        ],
    }
    _write(tmp_path / "reports" / "ollama_summary.json", json.dumps(summary))
    _write(
        tmp_path / "reports" / "gemma3" / "gemma3_param_tuning_summary.csv",
        "num_gpu,num_ctx,temperature,mean_load_s\n80,2048,0.2,3.1\n80,2048,0.8,0.02\n",
    )
    digest = digest_of(tmp_path)
    text, _ = render_digest(digest, None)
    assert "As reported by summary files" in text
    assert render_digest(digest, 200)[0]
    compute_findings(digest)  # no rule fails on it
    assert not [f for f in compute_findings(digest) if f.title.endswith("not computed")]


def test_two_machines_are_compared_as_machines_never_as_a_setting(tmp_path: Path) -> None:
    """The same GGUF on an RTX 3080 (8 threads) and an Apple M4 (4 threads): num_thread is
    the machine's, so no thread-count effect and no trend; one machine comparison."""
    rtx = _bench("NVIDIA GeForce RTX 3080", "CUDA", 8, [150.0, 152.0, 151.0, 149.0, 150.5])
    m4 = _bench("Apple M4", "MTL,BLAS", 4, [26.0, 26.5, 25.5, 26.2, 25.8])
    _write(tmp_path / "rtx.json", json.dumps(rtx))
    _write(tmp_path / "m4.json", json.dumps(m4))
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {"NVIDIA GeForce RTX 3080", "Apple M4"}
    findings = compute_findings(digest)
    assert not [f for f in findings if f.kind == "setting_effect" and "num_thread" in f.title]
    assert not [f for f in findings if f.kind in ("trend", "best_config")]
    (machine,) = [f for f in findings if f.kind == "machine_comparison"]
    assert "NVIDIA GeForce RTX 3080 runs 5.8x" in machine.text and "Apple M4" in machine.text
    assert machine.verdict == "real"


def test_folders_named_after_hardware_are_machines(tmp_path: Path) -> None:
    """Ollama bench CSVs in 1080TI/, A6000/ and M1MAX/ are three machines: no model mean
    pools them, and each is compared with the others on the same model."""
    for folder, rate in (("1080TI", 60.0), ("A6000", 110.0), ("M1MAX", 40.0)):
        rows = "".join(f"llama3.1:8b,p{i},{rate + i}\n" for i in range(4))
        _write(tmp_path / folder / "results.csv", "model,prompt,tokens_per_second\n" + rows)
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {"1080TI", "A6000", "M1MAX"}
    by_model = [s for s in digest.stats if s.group_by == "model" and s.metric == "tokens_per_s"]
    assert sorted(s.machine for s in by_model) == ["1080TI", "A6000", "M1MAX"]
    assert all(s.n == 4 for s in by_model)
    findings = compute_findings(digest)
    assert not [f for f in findings if f.kind == "model_ranking"]  # one model per machine
    assert len([f for f in findings if f.kind == "machine_comparison"]) == 3


def test_copies_and_twins_are_counted_once(tmp_path: Path) -> None:
    """A sweep CSV copied into a second folder, and a JSON repeating a CSV's runs: each run
    counted once and every such file listed."""
    rows = "model,config_name,num_ctx,tokens_s,eval_count\n" + "".join(
        f"m:1b,c{c},{c},{50 + c / 1000 + i * 0.37:.3f},{300 + i * 31}\n"
        for c in (2048, 4096)
        for i in range(3)
    )
    _write(tmp_path / "a" / "sweep.csv", rows)
    _write(tmp_path / "b" / "sweep.csv", rows)
    frame = pd.read_csv(tmp_path / "a" / "sweep.csv")
    twin = [
        {"model": r.model, "config_name": r.config_name, "num_ctx": int(r.num_ctx),
         "tokens_per_second": round(r.tokens_s, 4), "eval_count": r.eval_count}
        for r in frame.itertuples()
    ]  # fmt: skip
    _write(tmp_path / "c" / "sweep.json", json.dumps(twin))
    digest = digest_of(tmp_path)
    listed = {(d.path, d.identical) for d in digest.duplicates}
    assert ("b/sweep.csv", True) in listed and ("c/sweep.json", False) in listed
    setup = digest.find("tokens_per_s", "model+config_name", "m:1b / c2048")
    assert setup is not None and setup.n == 3
    assert any(f.kind == "duplicates" for f in compute_findings(digest))


def test_copied_notes_and_text_files_digest_as_if_each_were_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte copy of a note or text file takes what its first file's read gave (claims
    under its own path) instead of being parsed again: the digest is the one reading every
    copy gives, a note with a table included (its copies are read, the table names them)."""
    from chimera.ingest.digest import build

    note = (
        "# Tuning notes: gemma3:4b\n\n"
        "- Raising num_ctx from 2048 to 8192 costs about 10 % throughput.\n"
        "- gemma3:4b runs at about 60 tok/s.\n"
    )
    table_note = "| model | tokens/s |\n|---|---|\n| m:1b | 50 |\n"
    for folder in ("a", "b", "c"):
        _write(tmp_path / folder / "note.md", note)
        _write(tmp_path / folder / "table.md", table_note)
        _write(tmp_path / folder / "figures.txt", "about 42 tok/s on the M2\n")
        _write(tmp_path / folder / "plain.txt", "nothing measured here\n")
    _write(tmp_path / "runs.csv", "model,num_ctx,tokens_per_s\nm:1b,2048,50\nm:1b,8192,45\n")
    options = IngestOptions(patterns=["*.csv", "*.md", "*.txt"])
    copied = ingest_folder(tmp_path, options)[1]
    monkeypatch.setattr(build._Collector, "_copied_read", lambda *_: None)
    each_read = ingest_folder(tmp_path, options)[1]
    assert copied.model_dump() == each_read.model_dump()
    rates = sorted(c.path for c in copied.note_claims if c.kind == "rate")
    assert rates == ["a/note.md", "b/note.md", "c/note.md"]
    assert [u.path for u in copied.unread] == ["a/figures.txt", "b/figures.txt", "c/figures.txt"]


def test_reload_rows_are_set_apart_not_read_as_a_temperature_effect(tmp_path: Path) -> None:
    """Every num_ctx change reloads the model; the first row after it (always the
    temperature=0.2 cell) carries the load in its TTFT. Set apart, temperature shows no
    effect on TTFT or throughput, and the report says how many rows and why."""
    rows = []
    for ctx in (1024, 2048, 4096):
        for i, temp in enumerate((0.2, 0.4, 0.8)):
            loaded = i == 0
            rows.append(
                f"gemma3:latest,{ctx},{temp},{(3.2 if loaded else 0.02) * 1e9:.0f},"
                f"{(3300 if loaded else 90) + i}.0,{100 + i * 0.1}\n"
            )
    _write(
        tmp_path / "sweep.csv",
        "model,num_ctx,temperature,load_duration,ttft_ms,tokens_per_second\n" + "".join(rows),
    )
    digest = digest_of(tmp_path)
    assert sum(c.rows for c in digest.cold_rows) == 3
    ttft = [s for s in digest.stats if s.metric == "ttft_ms" and s.group_by is None]
    assert ttft and ttft[0].max < 200  # no load inside a TTFT statistic
    findings = compute_findings(digest)
    cold = next(f for f in findings if f.kind == "cold_start")
    assert "3 of the 9 runs of sweep.csv loaded the model" in cold.text
    assert "after every change that reloads the model" in cold.recommendation.text
    for f in findings:
        assert not ("temperature=0.8" in f.text and "faster" in f.text and f.verdict == "real")


def test_cold_rows_are_counted_out_of_every_run_of_their_files(tmp_path: Path) -> None:
    """A report of three runs per model where only some models' first run reloaded: the
    cold rows are a share of all the file's runs, not of the runs of the models that had
    one (brbousnguar: '20 rows out of 60' where the four files hold 72 runs)."""
    lines = ["model,run,load_duration_ms,eval_rate\n"]
    for model, first_load in (("a:1b", 3200), ("b:1b", 30), ("c:1b", 2900), ("d:1b", 25)):
        for run, load in enumerate((first_load, 20, 22), start=1):
            lines.append(f"{model},{run},{load},{50 + run}\n")
    _write(tmp_path / "report.csv", "".join(lines))
    digest = digest_of(tmp_path)
    assert sum(c.rows for c in digest.cold_rows) == 2
    cold = next(f for f in compute_findings(digest) if f.kind == "cold_start")
    assert "2 of the 12 runs of report.csv loaded the model" in cold.text
    assert "(2 of 12 runs here did)" in cold.recommendation.text


def test_findings_cite_the_original_not_a_copy_named_as_one(tmp_path: Path) -> None:
    """`x (1).csv` sorts before `x.csv` (a space before a dot): read first, the copy was the
    one every finding cited and the original was listed as repeating it (rohilrao)."""
    text = "model,load_duration_ms,total_duration_ms\n" + "".join(
        f"m:1b,{4000 + i},{9000 + i}\n" for i in range(5)
    )
    _write(tmp_path / "load_results (1).csv", text)
    _write(tmp_path / "load_results.csv", text)
    other = text.replace("m:1b", "m:3b").replace(",900", ",800")
    _write(tmp_path / "sub" / "Copy of other.csv", other)
    _write(tmp_path / "sub" / "other.csv", other)
    digest = digest_of(tmp_path)
    assert sorted((d.path, d.of) for d in digest.duplicates) == [
        ("load_results (1).csv", "load_results.csv"),
        ("sub/Copy of other.csv", "sub/other.csv"),
    ]
    for finding in compute_findings(digest):
        if finding.kind != "duplicates":
            assert "(1)" not in finding.text and "Copy of" not in finding.text, finding.text


def test_copy_names() -> None:
    from chimera.ingest.digest.copies import copy_of

    assert copy_of("a/x (1).csv") == "a/x.csv"
    assert copy_of("x - Copy.json") == "x.json"
    assert copy_of("x - Copy (2).json") == "x.json"
    assert copy_of("x copy 2.csv") == "x.csv"
    assert copy_of("Copy of x.md") == "x.md"
    assert copy_of("x.csv") is None
    assert copy_of("run (a).csv") is None


def test_a_setting_with_one_value_per_setup_is_compared_across_models(tmp_path: Path) -> None:
    """ConnorsApps: `cpu-only.csv` and `gpu-run.csv`, one row per model of a Go client's
    per-model statistics: no setup has two values to test, so no setting-effect finding was
    made, where an expert signs "with the GPU every model answers 6.2-8.1x faster". A change
    that goes the same way on every model is said, with each model's ratio; a change of
    1-2 % is said by no one."""
    header = "model,initial_load_duration,avg_duration,max_duration,min_duration\n"
    rows = {
        "cpu-only.csv": ((1024, 86569), (3760, 41427), (8189, 115669), (1843, 16751)),
        "gpu-run.csv": ((1324, 10750), (4626, 6313), (9791, 17409), (4434, 2694)),
    }
    models = ("codellama:7b", "llama2-uncensored:7b", "llama3:latest", "tinyllama:latest")
    for name, values in rows.items():
        lines = [
            f"{m},{load},{avg},{avg * 2},{avg // 20}\n"
            for m, (load, avg) in zip(models, values, strict=True)
        ]
        _write(tmp_path / "runs" / name, header + "".join(lines))
    findings = compute_findings(digest_of(tmp_path))
    [total] = [f for f in findings if f.title == "device across models (total time per request)"]
    assert "device=gpu is 6.22-8.05x as fast as device=cpu" in total.text
    assert "on every model that ran both (4 of 4)" in total.text
    assert "codellama:7b 10.75 s against 86.57 s (8.05x)" in total.text
    [load] = [f for f in findings if f.title == "device across models (load time)"]
    assert "device=cpu is 1.20-2.41x as fast as device=gpu" in load.text
    flat = tmp_path / "flat"
    for name, factor in (("cpu-only.csv", 1.0), ("gpu-run.csv", 1.01)):
        lines = [f"{m},1000,{int(20000 * factor)},1,1\n" for m in models]
        _write(flat / name, header + "".join(lines))
    assert not [f for f in compute_findings(digest_of(flat)) if "across models" in f.title]


def test_a_runs_first_request_far_above_the_rest_is_a_warm_up(tmp_path: Path) -> None:
    """GuideLLM's first request of each run is a warm-up (TTFT 4-20x the run's median), which
    its per-request records do not mark: it pulled the run's mean TTFT up by 85 %. A first
    request far above every other of its run is set apart and said, with what it did to the
    mean; a first request barely above the next (LLMPerf's first requests, sent together)
    stays."""
    first = {"warm.json": 1243.6, "flat.json": 1087.0}
    for name, ttft in first.items():
        others = [83.0, 72.8, 65.6, 58.1, 57.0, 60.2, 55.5, 59.9]
        if name == "flat.json":
            others = [1007.0, 742.0, 359.0, 316.0, 330.0, 331.0, 320.0, 329.0]
        records = [
            {"model": f"m-{name[:4]}", "request_start_time": 1000.0 + i,
             "time_to_first_token_ms": t, "output_tokens_per_second": 25.0 + i % 3 * 0.5}
            for i, t in enumerate([ttft, *others])
        ]  # fmt: skip
        _write(tmp_path / name, json.dumps(records))
    digest = digest_of(tmp_path)
    assert [(c.path, c.rows, c.by) for c in digest.cold_rows] == [("warm.json", 1, "first request")]
    ttft = {s.group: s for s in digest.stats if s.metric == "ttft_ms" and s.group_by == "model"}
    assert ttft["m-warm"].n == 8 and ttft["m-warm"].max == 83.0
    assert ttft["m-flat"].n == 9
    [warm] = [f for f in compute_findings(digest) if f.title == "warm-up requests set apart"]
    assert "1 of the 9 requests of warm.json were a run's first" in warm.text
    assert "1243.60 ms against a median of 60.05 ms" in warm.text
    assert "(mean TTFT 195.08 ms with it, 64.01 ms without)" in warm.text
    assert not any(f.title == "rows that loaded the model" for f in compute_findings(digest))


def test_ollama_nanoseconds_by_definition_and_units_checked_in_the_row(tmp_path: Path) -> None:
    """load_duration stays nanoseconds when every value is small (a model that stayed
    loaded); a summary's total_duration in seconds is read as seconds; a header saying ms
    over seconds is overruled by the row's own tokens and rate."""
    raw = [
        {"model": "m:1b", "load_duration": 120_000 + i, "eval_count": 200,
         "eval_duration": 2_000_000_000, "total_duration": 2_300_000_000}
        for i in range(4)
    ]  # fmt: skip
    _write(tmp_path / "raw.json", json.dumps(raw))
    _write(tmp_path / "run.json", json.dumps({"model": "m:2b", "total_duration": 24.9}))
    _write(
        tmp_path / "wrong.csv",
        "model,eval_count,tokens_per_second,eval_time [ms]\n"
        + "".join(f"m:3b,{200 + i},{50 + i},{(200 + i) / (50 + i):.4f}\n" for i in range(3)),
    )
    digest = digest_of(tmp_path)
    load = digest.find("load_ms", "model", "m:1b")
    assert load is not None and load.max == pytest.approx(0.120003)  # 120,003 ns in ms
    total = digest.find("total_ms", "model", "m:2b")
    assert total is not None and total.mean == pytest.approx(24_900.0)
    eval_ms = digest.find("eval_ms", "model", "m:3b")
    expected = 1000 * sum((200 + i) / (50 + i) for i in range(3)) / 3
    assert eval_ms is not None and eval_ms.mean == pytest.approx(expected, rel=1e-3)
    notes = {(n.path, n.unit) for n in digest.unit_notes}
    assert ("wrong.csv", "s") in notes and ("run.json", "s") in notes


def test_a_bare_ollama_family_in_a_file_name_is_latest(tmp_path: Path) -> None:
    _write(tmp_path / "gemma3_param_tuning.csv", "num_gpu,tokens_s\n80,100\n80,101\n")
    digest = digest_of(tmp_path)
    assert {s.group for s in digest.stats if s.group_by == "model"} == {"gemma3:latest"}


def test_a_summary_record_of_its_runs_is_not_a_run(tmp_path: Path) -> None:
    """A model's total tokens / total time beside its three runs is not a fourth run."""
    doc = {
        "model": "m:1b", "eval_count": 600, "eval_duration": 6_000_000_000,
        "runs": [{"eval_count": 200, "eval_duration": d} for d in (1.9e9, 2.0e9, 2.1e9)],
    }  # fmt: skip
    _write(tmp_path / "bench.json", json.dumps(doc))
    digest = digest_of(tmp_path)
    rate = digest.find("tokens_per_s", "model", "m:1b")
    assert rate is not None and rate.n == 3
    assert digest.summary_rows == 1


def test_published_result_formats_are_read(tmp_path: Path) -> None:
    """Wrapped llama-bench output, its JSON in a stdout string, a Markdown result table,
    bench-script CSV columns and a serving dataset's percentile fields are all read."""
    records = _bench("NVIDIA GeForce RTX 4090", "CUDA", 8, [200.0, 201.0, 199.0])
    _write(tmp_path / "wrapped.json", json.dumps({"cmd": "llama-bench -o json", "rows": records}))
    _write(tmp_path / "stdout.json", json.dumps({"stdout": json.dumps(records), "rc": 0}))
    _write(
        tmp_path / "notes" / "results.md",
        "# Results\n\n| model | test | t/s |\n|---|---|---|\n"
        "| qwen 4B | pp512 | 4012.5 ± 20.1 |\n| qwen 4B | tg128 | 180.25 ± 0.5 |\n",
    )
    _write(
        tmp_path / "script.csv",
        "model,avg_duration_s,initial_load_duration_s,eval_rate\nm:1b,4.1,2.5,40\nm:1b,4.3,0.02,41\n",
    )
    _write(
        tmp_path / "serving.jsonl",
        "\n".join(
            json.dumps({"engine": "vllm", "model": "Qwen/Qwen3-4B", "output_tok_s": v,
                        "ttft_p50_ms": 40 + v / 100, "ttft_p99_ms": 90.0, "req_s": 3.0})
            for v in (900.0, 905.0)
        ),
    )  # fmt: skip
    digest = digest_of(tmp_path)
    sources = {src for s in digest.stats for src in s.sources}
    assert {"notes/results.md", "script.csv", "serving.jsonl"} <= sources
    # The same llama-bench records in both: read from one, the other listed as their copy.
    assert "stdout.json" in sources
    assert [(d.path, d.of) for d in digest.duplicates] == [("wrapped.json", "stdout.json")]
    pp = [
        s
        for s in digest.stats
        if s.metric == "prompt_tokens_per_s" and "notes/results.md" in s.sources
    ]
    assert pp and pp[0].aggregate == "mean" and pp[0].mean == pytest.approx(4012.5)
    ttft = digest.find("ttft_ms", "model", "Qwen/Qwen3-4B", "median", machine=None)
    assert ttft is not None
    assert {s.engine for s in digest.scopes} >= {"vLLM"}


def test_a_file_read_in_part_is_said_in_the_prompt_text(tmp_path: Path) -> None:
    header = "model,num_gpu,tokens_s\n"
    rows = "".join(f"m:1b,{40 if i < 3000 else 80},{50 + i % 7}\n" for i in range(6000))
    _write(tmp_path / "big.csv", header + rows)
    digest = ingest_folder(tmp_path, IngestOptions(max_file_mb=0.02))[1]
    assert digest.partial
    text, _ = render_digest(digest, 64)
    assert "PARTIAL: big.csv" in text  # kept however short the budget


def test_a_table_whose_line_breaks_were_lost_keeps_its_columns(tmp_path: Path) -> None:
    """Chimeraforge's ollama_benchmark_summary.md lost line breaks: a sentence runs onto
    the header ("Top combinations by throughput: | num_gpu | ..."), a heading onto the last
    row. The header is the separator's width of last cells, so no column shifts; and a
    compile benchmark's "tensorrt" backend is not the TensorRT-LLM server."""
    _write(
        tmp_path / "summary.md",
        "# Summary ## Sweep (llama3.1:8b-instruct-q4_0)\n"
        "- TTFT: 0.088 s Top combinations by throughput: | num_gpu | num_ctx | temperature "
        "| mean_tokens_s | mean_ttft_s |\n| --- | --- | --- | --- | --- |\n"
        "| 40.00 | 1024.00 | 0.4 | 78.42 | 0.088 |\n"
        "| 999.00 | 1024.00 | 0.8 | 77.91 | 0.083 | ## Observations\n",
    )
    _write(
        tmp_path / "compile.md",
        "- Runtime stack: Torch 2.8.0 | TensorRT 10.13 | torch-tensorrt 2.8 | Backend "
        "| Mean latency (ms) | Compile time (s) |\n| --- | --- | --- |\n"
        "| eager | 1.138 | - |\n| tensorrt | 8.198 | 18.039 | Artifacts:\n",
    )
    digest = digest_of(tmp_path)
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "config_name"]
    by_config = {s.group: s.mean for s in rates}
    assert by_config["num_gpu=40, num_ctx=1024, temperature=0.4"] == pytest.approx(78.42)
    assert all(v > 70 for v in by_config.values())  # never the TTFT column's 0.088
    latency = [s.mean for s in digest.stats if s.metric == "latency_ms" and s.group_by is None]
    assert latency == [pytest.approx((1.138 + 8.198) / 2)]  # not the compile seconds
    assert "TensorRT-LLM" not in {s.engine for s in digest.scopes}


def test_a_bench_run_where_no_request_completed_is_a_failed_row_not_zero_speed(
    tmp_path: Path,
) -> None:
    """vLLM's bench serve writes a valid result when every request failed: completed 0 and
    every throughput and latency field 0.0 (er0080's all_requests_failed JSON). Those zeros
    are no measurement: 0 ms TTFT is not the best latency, 0 tok/s not the worst rate."""

    def result(completed: int, rate: float, ttft: float) -> str:
        return json.dumps({
            "backend": "vllm", "model_id": "facebook/opt-125m", "num_prompts": 8,
            "completed": completed, "failed": 8 - completed, "output_throughput": rate,
            "request_throughput": rate / 16, "mean_ttft_ms": ttft, "median_ttft_ms": ttft,
        })  # fmt: skip

    _write(tmp_path / "ok.json", result(8, 150.0, 40.0))
    _write(tmp_path / "ok2.json", result(8, 160.0, 42.0))
    _write(tmp_path / "all_failed.json", result(0, 0.0, 0.0))
    digest = digest_of(tmp_path)
    rate = digest.find("tokens_per_s", "model", "facebook/opt-125m", machine=None)
    assert rate is not None and (rate.n, rate.mean, rate.min) == (2, 155.0, 150.0)
    assert all(s.min > 0 for s in digest.stats if s.metric == "ttft_ms")
    [failed] = [e for e in digest.error_rows if e.path == "all_failed.json"]
    assert failed.count == 1 and "no request completed" in failed.sample
    texts = [f.text for f in compute_findings(digest) if f.kind == "errors"]
    assert texts and texts[0].startswith("1 row failed and is left out of the statistics")


# freeletics/ollama-benchmark's results/*.md: per model a `model_name =` line, one `eval
# rate:` line per prompt, then the tool's own "Average of eval rate" over them.
_OLLAMA_BENCHMARK = """-------Linux----------

No GPU detected.
Total memory size : 46.91 GB
cpu_info: AMD Ryzen 7 PRO 4750G with Radeon Graphics
gpu_info: Renoir [Radeon Vega Series / Radeon Vega Mobile Series]
ollama_version: 0.5.10
----------
Checking and pulling the following LLM models
gemma2:9b
mistral:7b
phi4:14b
----------
model_name =    mistral:7b
prompt = Write a step-by-step guide on how to bake a chocolate cake from scratch.
eval rate:            8.29 tokens/s
prompt = Develop a python function that solves the following problem, sudoku game
eval rate:            8.76 tokens/s
prompt = Create a dialogue between two characters that discusses economic crisis
eval rate:            9.13 tokens/s
--------------------
Average of eval rate:  8.727  tokens/s
----------------------------------------
model_name =    phi4:14b
prompt = Write a step-by-step guide on how to bake a chocolate cake from scratch.
eval rate:            4.15 tokens/s
prompt = Develop a python function that solves the following problem, sudoku game
eval rate:            4.12 tokens/s
prompt = Create a dialogue between two characters that discusses economic crisis
eval rate:            3.83 tokens/s
--------------------
Average of eval rate:  4.033  tokens/s
----------------------------------------
{
    "mistral:7b": "8.73",
    "phi4:14b": "4.03"
}
"""


def test_eval_rate_lines_are_runs_of_the_model_named_above(tmp_path: Path) -> None:
    """Eval rates with no `total duration` line: each is one run of the model its
    `model_name =` line names, not one record of the first model holding the last rate; the
    tool's "Average of eval rate" is a summary, not a run; the `cpu_info` line names the
    machine (the GPU line names none: "No GPU detected"); and the output lines are data, not
    a note's claims with the first model a list names."""
    _write(tmp_path / "results" / "linux_cpu_box.md", _OLLAMA_BENCHMARK)
    digest = digest_of(tmp_path)
    assert digest.rows_read == 6
    machine = "AMD Ryzen 7 PRO 4750G with Radeon Graphics"
    assert digest.machines == [machine]
    mistral = digest.find("tokens_per_s", "model", "mistral:7b", machine=machine)
    phi4 = digest.find("tokens_per_s", "model", "phi4:14b", machine=machine)
    assert mistral is not None and (mistral.n, mistral.min, mistral.max) == (3, 8.29, 9.13)
    assert phi4 is not None and (phi4.n, phi4.min, phi4.max) == (3, 3.83, 4.15)
    assert mistral.mean == pytest.approx(8.7267, abs=1e-3)
    assert not [c for c in digest.note_claims if c.model == "gemma2:9b"]
    assert all(c.model != "mistral:7b" or c.low > 8 for c in digest.note_claims)
    # The "prompt = ..." lines are the runs' workloads: three prompts, not three repetitions
    # (a stability finding said "repeat on a quiet machine" of the prompts' spread).
    per_prompt = [
        s
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
    ]
    assert len(per_prompt) == 6 and all(s.n == 1 for s in per_prompt)
    assert not [f for f in compute_findings(digest) if f.kind == "instability"]


def test_a_prompt_naming_a_local_file_is_one_workload_on_every_machine(tmp_path: Path) -> None:
    """llava's prompts name the image by a local path that differs by machine
    (/home/henry/... on Linux, /Users/henry.gallert/... on the Mac): one workload, so the
    machines compare on llava too (freeletics' RTX 3060 against the M2 was over 5 of its 7
    models, llava's two left out as "no prompt in common")."""
    for name, home, cpu, rates in (
        ("linux.md", "/home/henry", "AMD Ryzen 7 PRO 4750G", (9.69, 9.92)),
        ("mac.md", "/Users/henry.gallert", "Apple M2", (20.20, 20.48)),
    ):
        lines = [f"cpu_info: {cpu}", "model_name =    llava:7b"]
        for i, rate in enumerate(rates, 1):
            image = f"{home}/github/ollama-benchmark/llm_benchmark/data/img/sample{i}.jpg"
            lines += [f"prompt = Describe the image, {image}", f"eval rate:  {rate} tokens/s"]
        _write(tmp_path / name, "\n".join(lines) + "\n")
    digest = digest_of(tmp_path)
    workloads = {
        (s.machine, s.workload)
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert {w for _, w in workloads} == {f"Describe the image, sample{i}.jpg" for i in (1, 2)}
    assert len(workloads) == 4
    [comparison] = [f for f in compute_findings(digest) if "against" in f.title]
    assert "no prompt in common" not in comparison.text and "llava:7b" in comparison.text


# vLLM's benchmark_serving.py console result, pasted into a README under its command line.
_SERVING_RESULT = """```
python benchmarks/benchmark_serving.py --backend vllm \\
--port 8081 --endpoint='/v1/completions' --model Qwen2-7B-Instruct --dataset-name random \\
--num-prompts {prompts} \\
--random-input-len 1024 \\
--random-output-len 1024

============ Serving Benchmark Result ============
Successful requests:                     {prompts}
Benchmark duration (s):                  46.96
Total input tokens:                      10239
Total generated tokens:                  10240
Request throughput (req/s):              {req}
Output token throughput (tok/s):         {rate}
Total Token throughput (tok/s):          436.07
---------------Time to First Token----------------
Mean TTFT (ms):                          {ttft}
Median TTFT (ms):                        2244.91
P99 TTFT (ms):                           3346.14
-----Time per Output Token (excl. 1st token)------
Mean TPOT (ms):                          43.77
Median TPOT (ms):                        43.65
P99 TPOT (ms):                           45.56
---------------Inter-token Latency----------------
Mean ITL (ms):                           43.77
Median ITL (ms):                         42.39
P99 ITL (ms):                            51.04
==================================================
```
"""


def test_serving_benchmark_console_results_are_runs(tmp_path: Path) -> None:
    """`============ Serving Benchmark Result ============` blocks (vLLM's benchmark_serving
    console output) in a note and in a text file: one run each, read as its saved JSON is
    (output token throughput, mean TTFT as stated), the model and workload from the command
    above it, the setup from the heading it stands under; a block cut off before its
    closing rule is read too. Before, every such file gave 0 rows."""
    note = "# vLLM Benchmarking\n\n"
    for test, blocks in (
        ("Test 1: 2 GPU pods", [(10, 218.04, 2111.51)]),
        ("Test 2: 1 GPU pod", [(10, 735.47, 601.91), (50, 2291.62, 2154.87)]),
    ):
        note += f"#### ✍️ {test}\n\n"
        for prompts, rate, ttft in blocks:
            note += _SERVING_RESULT.format(prompts=prompts, req=0.21, rate=rate, ttft=ttft)
    _write(tmp_path / "README.md", note)
    cut = _SERVING_RESULT.format(prompts=20, req=1.5, rate=1349.66, ttft=550.45)
    _write(tmp_path / "log" / "bench_serving_output.txt", cut.split("Mean ITL")[0])
    digest = digest_of(tmp_path)
    assert digest.rows_read == 4
    assert {s.engine for s in digest.scopes} == {"vLLM"}
    runs = {
        (s.group, s.workload): s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    workload = "dataset-name=random num-prompts={} random-input-len=1024 random-output-len=1024"
    assert runs[("Qwen2-7B-Instruct / Test 1: 2 GPU pods", workload.format(10))] == 218.04
    assert runs[("Qwen2-7B-Instruct / Test 2: 1 GPU pod", workload.format(50))] == 2291.62
    assert 1349.66 in runs.values()  # the cut-off block, under no heading
    ttft = [s for s in digest.stats if s.metric == "ttft_ms" and s.aggregate == "mean"]
    assert ttft and min(s.min for s in ttft) == 550.45 and max(s.max for s in ttft) == 2154.87


def test_configs_named_by_headings_compare_on_the_settings_they_state(tmp_path: Path) -> None:
    """dennislee22's README: Test 4 and Test 5 are one GPU pod each and differ only in the
    KV cache memory their headings state; more KV cache does nothing at 10-50 prompts and
    gives 2.16x at 200. Headings whose words differ beyond the setting they state (2 pods
    against 1) are not that setting's levels; headings that state nothing are said to differ
    only in their names, never ranked as one setup ("the files state no settings").
    "Available KV cache memory" is what vLLM reported at start-up (from gpu_memory_utilization,
    max_model_len, the model and the GPU), which nobody set: the two tests are compared, but
    said as configurations that differ in something unstated, never as that setting's effect,
    and never recommended."""
    note = "# vLLM Benchmarking\n\n"
    prompts = (1, 10, 20, 30, 50, 75, 100, 200, 500, 1000)
    test4 = (85.0, 715.0, 1339.0, 1831.0, 2338.0, 2132.0, 2125.0, 2057.51, 2171.0, 2184.0)
    test5 = (85.0, 716.0, 1387.0, 1968.0, 2356.0, 2991.0, 3352.0, 4442.73, 4215.0, 3553.0)
    test3 = (90.0, 900.0, 1500.0, 2100.0, 3000.0, 4000.0, 5000.0, 7000.0, 7100.0, 7200.0)
    sections = (
        ("Test 4: 1 GPU pod hosts 7B model (Available KV cache memory: 5.01 GiB)", test4),
        ("Test 5: 1 GPU pod hosts 7B model (Available KV cache memory: 24.83 GiB)", test5),
        ("Test 3: 2 GPU pods host 7B model (Available KV cache memory: 31.83 GiB)", test3),
    )
    for heading, rates in sections:
        note += f"### {heading}\n\n"
        for count, rate in zip(prompts, rates, strict=True):
            note += _SERVING_RESULT.format(prompts=count, req=1.0, rate=rate, ttft=500.0)
    other = "# Notes\n\n"
    for heading, rate in (("Run A", 100.0), ("Run B", 300.0)):
        other += f"## {heading}\n\n"
        for prompts in (10, 20):
            other += _SERVING_RESULT.format(prompts=prompts, req=1.0, rate=rate + prompts, ttft=9.0)
    _write(tmp_path / "README.md", note)
    _write(tmp_path / "other" / "NOTES.md", other.replace("Qwen2-7B-Instruct", "Qwen2-72B"))
    digest = digest_of(tmp_path)
    params = {s.config[:6]: s.params for s in digest.setups}
    assert params["Test 4"] == {
        "Available KV cache memory (GiB)": 5.01,
        "variant": "1 GPU pod hosts 7B model",
    }
    assert params["Run A"] == {}
    findings = compute_findings(digest)
    [kv] = [
        f
        for f in findings
        if f.title == "Available KV cache memory (GiB) on Qwen2-7B-Instruct"
        " (reported by the engine, not set)"
    ]
    assert kv.verdict == "real"
    assert "=24.83 gives" in kv.text and "=5.01" in kv.text and "31.83" not in kv.text
    assert "the configuration that reported Available KV cache memory (GiB)=24.83" in kv.text
    assert "not a setting anyone set" in kv.text and "not the effect of a setting" in kv.text
    assert "reported figure, not a setting" in kv.headline
    for f in findings:
        assert f.recommendation is None or not any("KV" in k for k in f.recommendation.change)
    assert (
        "none (within 5 %) at num-prompts=1, num-prompts=10, num-prompts=20 and 1 more" in kv.text
    )
    assert "up to 2.16x at num-prompts=200" in kv.text
    assert "consistent over" not in kv.text  # an uneven change is not called consistent
    [named] = [f for f in findings if f.title == "configurations named only on Qwen2-72B"]
    assert "differ only in their names (Run A and Run B); they state no setting" in named.text
    for f in findings:
        assert "the files state no settings" not in f.text
        assert not (f.kind == "best_config" and "Run B" in f.text)


def test_a_serving_console_block_says_which_requests_it_sent_and_its_metadata(
    tmp_path: Path,
) -> None:
    """A console block is read as its saved JSON is: `--num-prompts 2000` is the requests it
    sent, so "Successful requests: 1633" is a run where some did not complete (dennislee22's
    README: 3 of 81 blocks, said nowhere before); `--metadata gpu=4xNVIDIA_L40S
    deployment=base` are the JSON's keys, so the GPU is the machine (nerdalert's README: its
    runs were "a machine no file names", compared with another repository's model); and the
    printed "Traffic request rate: 10.0" is the level `--request-rate 10` names, not a second."""
    block = _SERVING_RESULT.format(prompts=2000, req=8.2, rate=1223.08, ttft=74563.36)
    _write(tmp_path / "a" / "README.md", "# Test 3\n\n" + block.replace(
        "Successful requests:                     2000", "Successful requests:  1633"
    ))  # fmt: skip
    digest = digest_of(tmp_path / "a")
    [some] = digest.some_requests_failed
    assert (some.rows, some.completed, some.requested) == (1, 1633, 2000)
    command = (
        "Running: python /opt/benchmark/vllm/benchmarks/benchmark_serving.py --model m3 "
        "--dataset-name random --random-input-len 1000 --request-rate {rate} --num-prompts 300 "
        "--save-result --metadata deployment=base gpu=4xNVIDIA_L40S decode_replicas=4\n"
        "Traffic request rate: {rate}.0\n"
    )
    body = _SERVING_RESULT.split("\n\n", 1)[1].replace("```", "")
    text = "".join(
        command.format(rate=rate) + body.format(prompts=300, req=8.3, rate=tps, ttft=54.6)
        for rate, tps in ((10, 2249.25), (30, 5914.31))
    )
    _write(tmp_path / "b" / "run.log", text)
    digest = digest_of(tmp_path / "b")
    assert digest.machines == ["4xNVIDIA_L40S"]
    levels = {str(s.params.get("request_rate")) for s in digest.setups}
    assert levels == {"10", "30"}
    assert {s.params.get("deployment") for s in digest.setups} == {"base"}
    assert not digest.some_requests_failed


def test_a_heading_that_names_no_setting_does_not_split_a_deployments_runs(
    tmp_path: Path,
) -> None:
    """nerdalert's README prints its base deployment's runs under "### Example Output": the
    heading became their config, so they were not the same setups as the base runs of the
    log beside it. A title that states no setting, over rows that state theirs, is no config;
    headings that state a setting, or whose rows' settings agree, stay configs."""
    command = (
        "Running: python benchmark_serving.py --model m3 --dataset-name random "
        "--random-input-len 1000 --request-rate {rate} --num-prompts 300 "
        "--metadata deployment=base gpu=4xNVIDIA_L40S\n"
    )
    body = _SERVING_RESULT.split("\n\n", 1)[1].replace("```", "")

    def runs(*rates: tuple[int, float]) -> str:
        return "".join(
            command.format(rate=rate) + body.format(prompts=300, req=8.3, rate=tps, ttft=54.6)
            for rate, tps in rates
        )

    _write(tmp_path / "README.md", "# Bench\n\n### Example Output\n\n" + runs((10, 2249.25)))
    _write(tmp_path / "run.log", runs((10, 2282.27), (30, 5889.41)))
    again = "## Run A\n\n" + runs((10, 100.0)) + "## Run B\n\n" + runs((10, 300.0))
    _write(tmp_path / "other" / "NOTES.md", again.replace("--model m3", "--model m4"))
    digest = digest_of(tmp_path)
    configs = {(s.model, s.config) for s in digest.setups}
    assert not any("Example Output" in config for _, config in configs)
    base = [
        s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    ]
    ten = [s for s in base if s.group == "m3 / request_rate=10, deployment=base"]
    assert ten and ten[0].n == 2  # the README's run and the log's: one setup
    assert {c for m, c in configs if m == "m4"} == {"Run A", "Run B"}


_BENCH_SERVER_TABLE = """\
|Task|Elapse|Tokens Per Second|Prompt Per Second|Predict Per Second|Prompt|Predict|
|----|-----:|----------------:|----------------:|-----------------:|-----:|------:|
|Document Understanding|{e}|331.0|395.5|{p1}|11977|128|
|Document Understanding|{e}|332.5|397.6|{p2}|11980|128|
"""
_TEST_CONFIG = (
    "`TestConfig(base_url='http://localhost:8090', api_key='llama', model='llama', "
    "repeat=4, parallel={n}, output='./result.md', temperature=0.0, vision=True, "
    "max_completion_tokens=128)`"
)


def test_a_result_notes_config_line_states_its_runs_settings(tmp_path: Path) -> None:
    """A bench script's `TestConfig(..., parallel=4, ...)` line beside its Markdown table
    (TkskKurumi's llama-server results, above the table in one file, below it in the other)
    states the runs' concurrency: the parallel=1 and parallel=4 files are two setups (20.4
    against 2.0 tok/s a request), never one "settings not stated" setup whose spread is a
    setting's effect. The server alias model='llama' is no model name, and a line's
    non-settings (repeat, vision, paths) are no settings."""
    one = _TEST_CONFIG.format(n=1) + "\n" + _BENCH_SERVER_TABLE.format(e=36.6, p1=20.33, p2=20.51)
    four = _BENCH_SERVER_TABLE.format(e=96.4, p1=2.00, p2=2.49) + "\n" + _TEST_CONFIG.format(n=4)
    _write(tmp_path / "vl" / "result-np1.md", one)
    _write(tmp_path / "vl" / "result.md", four)
    digest = digest_of(tmp_path)
    assert sorted(s.params.get("concurrency") for s in digest.setups) == [1, 4]
    assert all(set(s.params) == {"concurrency", "temperature"} for s in digest.setups)
    assert {s.model for s in digest.setups} == {"model not stated"}
    rates = {
        s.group: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "config_name"
    }
    assert rates == {
        "temperature=0.0, concurrency=1": pytest.approx(20.42),
        "temperature=0.0, concurrency=4": pytest.approx(2.245),
    }


def _threads_result(rows: list[dict], **top: object) -> str:
    """A llama-bench wrapper's result JSON (HamzahTariq11's runtime_threads.json): rows of
    pp256 and tg64 tests with a `kind` and one `tps` column, the build beside them."""
    return json.dumps({
        "experiment": "runtime_threads", "model": "qwen2.5-1.5b-instruct", "quant": "Q5_K_M",
        "hardware": {"cpu": "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz"}, **top,
        "settings": {"pp_tokens": 256, "tg_tokens": 64, "reps": 3, "threads": 4, "depth": 2048},
        "rows": rows,
    })  # fmt: skip


def _threads_rows(rates: dict[int, tuple[float, float]], depth: int = 0) -> list[dict]:
    rows = []
    for threads, (pp, tg) in rates.items():
        for test, kind, tps in (("pp256", "prompt", pp), ("tg64", "generation", tg)):
            rows.append({
                "test": test, "kind": kind, "threads": threads, "depth": depth, "tps": tps,
                "tps_std": 1.0, "config": f"{threads} threads",
            })  # fmt: skip
    return rows


def test_llama_bench_wrapper_json_keeps_prompt_and_generation_rates_apart(tmp_path: Path) -> None:
    """Rows of pp256 and tg64 tests in one `tps` column are two metrics: the 6-thread config
    generates at 19.48 tok/s and reads the prompt at 182.60, never "101.04 tok/s" (their
    mean). A `kind` column of prompt / generation tells the same without test names, and a
    CSV is read alike; a pp+tg test is neither and is left out."""
    rates = {1: (71.58, 11.57), 6: (182.60, 19.48)}
    _write(tmp_path / "a" / "runtime_threads.json", _threads_result(_threads_rows(rates)))
    kinds_only = [{k: v for k, v in r.items() if k != "test"} for r in _threads_rows(rates)]
    _write(tmp_path / "b" / "by_kind.json", _threads_result(kinds_only, model="other-model"))
    _write(
        tmp_path / "c" / "bench.csv",
        "model,threads,test,t_s\nm3,1,pp512,70.0\nm3,1,tg128,11.0\nm3,1,pp512+tg128,30.0\n"
        "m3,6,pp512,180.0\nm3,6,tg128,19.0\n",
    )
    for folder, model in (("a", "qwen2.5-1.5b-instruct"), ("b", "other-model")):
        digest = digest_of(tmp_path / folder)
        for threads, (pp, tg) in rates.items():
            group = f"{model} / {threads} threads"
            gen = digest.find("tokens_per_s", "model+config_name", group)
            prompt = digest.find("prompt_tokens_per_s", "model+config_name", group)
            assert gen is not None and (gen.n, gen.mean) == (1, pytest.approx(tg)), group
            assert prompt is not None and prompt.mean == pytest.approx(pp), group
    digest = digest_of(tmp_path / "c")
    csv_gen = digest.find("tokens_per_s", "model", "m3")
    csv_prompt = digest.find("prompt_tokens_per_s", "model", "m3")
    assert csv_gen is not None and (csv_gen.min, csv_gen.max) == (11.0, 19.0)
    assert csv_prompt is not None and (csv_prompt.min, csv_prompt.max) == (70.0, 180.0)
    assert any("pp+tg" in d.reason and d.count == 1 for d in digest.dropped)
    assert all(s.max < 100 for s in digest.stats if s.metric == "tokens_per_s")  # no pp in it


def test_a_file_that_names_its_llama_cpp_build_is_llama_cpp_not_ollama(tmp_path: Path) -> None:
    """`"threads": 4` is llama.cpp's word (kept as num_thread): it does not make a file
    Ollama's, and a `"llama_cpp": "b11254 (8019dc563)"` key names the engine and its build."""
    rows = _threads_rows({1: (71.58, 11.57), 6: (182.60, 19.48)})
    _write(tmp_path / "runtime_threads.json", _threads_result(rows, llama_cpp="b11254 (8019dc563)"))
    digest = digest_of(tmp_path)
    assert {s.engine for s in digest.scopes} == {"llama.cpp b11254"}
    plain = digest_of(_write(tmp_path / "plain" / "t.json", _threads_result(rows)).parent)
    assert {s.engine for s in plain.scopes} == {None}
    texts = " ".join(f.text for f in compute_findings(digest))
    assert texts and "Ollama" not in texts


def test_a_depth_column_is_part_of_the_test_not_a_repetition(tmp_path: Path) -> None:
    """runtime_attention.json runs each test at depth 0 and at depth 2048: tg64 with 2048
    tokens of context is another test (llama-bench's `tg64 @ d2048`), not a repeat of tg64."""
    rows = _threads_rows({4: (160.0, 18.8)}) + _threads_rows({4: (120.0, 15.2)}, depth=2048)
    _write(tmp_path / "runtime_attention.json", _threads_result(rows))
    digest = digest_of(tmp_path)
    workloads = {
        s.workload: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s"
        and s.group_by == "model+config_name+workload"
        and s.aggregate is None
    }
    assert workloads == {"tg64": pytest.approx(18.8), "tg64 @ d2048": pytest.approx(15.2)}


def _serve_result(**fields: object) -> dict:
    """One row of vLLM's bench serve JSON Lines (nerdalert's results.json), `completed` of
    `num_prompts` requests."""
    row = {
        "date": "20250414-165148", "backend": "vllm",
        "model_id": "meta-llama/Llama-3.1-8B-Instruct",
        "num_prompts": 120, "request_rate": 1.0, "burstiness": 1.0, "max_concurrency": None,
        "duration": 99.3, "completed": 120, "total_input_tokens": 120000,
        "total_output_tokens": 12000, "request_throughput": 1.21, "output_throughput": 120.0,
        "mean_ttft_ms": 45.0, "median_ttft_ms": 44.6, "mean_tpot_ms": 8.6,
    }  # fmt: skip
    return {**row, **fields}


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_bench_serve_framework_sgl_is_sglang_not_a_repeat_of_vllm(tmp_path: Path) -> None:
    """vLLM's bench writes "backend": "vllm" (the API it spoke) for every server; its
    "framework": "sgl" rows measured SGLang: two engines, not two runs of vLLM pooled into
    "request_rate=35 gives 2814.16" (the mean of vLLM's 2845.20 and SGLang's 2783.12)."""
    rows = [
        _serve_result(framework=fw, request_rate=35.0, output_throughput=rate)
        for fw, rate in (("vllm", 2845.20), ("sgl", 2783.12))
    ]
    _write(tmp_path / "engines.json", _jsonl(rows))
    digest = digest_of(tmp_path)
    assert {s.engine for s in digest.scopes} == {"vLLM", "SGLang"}
    means = {
        s.engine: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model" and s.aggregate is None
    }
    assert means == {"vLLM": pytest.approx(2845.20), "SGLang": pytest.approx(2783.12)}


def test_deployments_are_setups_and_a_requested_output_length_is_no_count(
    tmp_path: Path,
) -> None:
    """nerdalert's deployments (no-features / base / kvcache) are three setups, not three
    repetitions with a "14 % CV"; its "output_len": "500" is the length it asked for, a
    setting, not 500 tokens generated (eval_count)."""
    rows = [
        _serve_result(deployment=name, output_len="500", input_len="1000", output_throughput=rate,
                      request_rate="inf", num_prompts=900, completed=900)
        for name, rate in (("no-features", 8321.23), ("base", 10145.34), ("kvcache", 11011.35))
    ]  # fmt: skip
    _write(tmp_path / "results.json", _jsonl(rows))
    digest = digest_of(tmp_path)
    assert not any(s.metric == "eval_count" for s in digest.stats)
    by_deployment = {s.params.get("deployment"): s.params.get("num_predict") for s in digest.setups}
    assert by_deployment == {"no-features": 500, "base": 500, "kvcache": 500}
    rates = [
        s for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name" and s.aggregate is None
    ]  # fmt: skip
    assert sorted(s.mean for s in rates) == pytest.approx([8321.23, 10145.34, 11011.35])
    assert all(s.n == 1 for s in rates)
    assert not [f for f in compute_findings(digest) if f.kind == "instability"]


def test_a_bench_row_where_some_requests_failed_is_kept_and_said(tmp_path: Path) -> None:
    """nerdalert's request_rate=inf rows sent 2000 requests and completed 1015: their figures
    are over the completed half, kept (not a failed row), but listed in the digest and said
    in a finding, never used as if every request had run."""
    rows = [
        _serve_result(request_rate=1.0, num_prompts=120, completed=120, output_throughput=120.8),
        _serve_result(request_rate="inf", num_prompts=2000, completed=1015,
                      output_throughput=2677.78),
    ]  # fmt: skip
    _write(tmp_path / "results.json", _jsonl(rows))
    digest = digest_of(tmp_path)
    [some] = digest.some_requests_failed
    assert (some.path, some.rows, some.of_rows) == ("results.json", 1, 2)
    assert (some.completed, some.requested) == (1015, 2000)
    assert not digest.error_rows
    rate = digest.find("tokens_per_s", "model", "meta-llama/Llama-3.1-8B-Instruct")
    assert rate is not None and rate.n == 2  # kept
    text = render_digest(digest, 4000)[0]
    assert "results.json: 1 of 2 rows (the least: 1015 of 2000 requests completed)" in text
    [finding] = [f for f in compute_findings(digest) if f.kind == "errors"]
    assert "1015 of 2000 requests completed" in finding.text
    assert {f.value for f in finding.figures} >= {1, 2, 1015, 2000}


# A bench script's Markdown report: llama-bench's -o md tables with llama.cpp's stderr kept
# (the devices ggml found) in fenced blocks, one per test, the test's options in its heading.
_LLAMA_BENCH_HEADER = (
    "| model                  |     size | backend   | threads |{ts}  test |            t/s |\n"
    "| ---------------------- | -------: | --------- | ------: |{sep} ----: | -------------: |\n"
)
_LLAMA_BENCH_ROW = (
    "| qwen3 8B Q5_K - Medium | 5.44 GiB | CUDA,BLAS |      64 |{ts} {test} | {rate} ± 0.50 |\n"
)


def _llama_bench_test(heading: str, devices: list[str], rows: list[tuple], ts: bool) -> str:
    found = (
        f"ggml_cuda_init: found {len(devices)} CUDA devices:\n"
        + "".join(
            f"  Device {i}: {d}, compute capability 8.0, VMM: yes\n" for i, d in enumerate(devices)
        )
        if devices
        else "ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected\n"
    )
    header = _LLAMA_BENCH_HEADER.format(ts=" ts   |" if ts else "", sep=" ---- |" if ts else "")
    body = "".join(
        _LLAMA_BENCH_ROW.format(ts=f" {split} |" if ts else "", test=test, rate=rate)
        for test, rate, split in rows
    )
    return f"## {heading}\n\n```\n{found}{header}{body}\nbuild: 8c32d9d96 (7199)\n```\n\n"


def test_llama_bench_markdown_machine_settings_and_headings(tmp_path: Path) -> None:
    """llama-bench's Markdown tables as a bench script kept them (anant-pathak/perf-analysis-
    modeling-project): the machine is the GPU llama.cpp's device lines name above each table
    (four alike are `4x`), and on a table run with no device (CUDA hidden) the one the note
    names; `ts` (tensor split: `-ts 8,8,0,0` is four tests, not one split) is a setting, so
    8.00 and 0.00 are two setups; and tables of one header whose options only their headings
    say ("CPU-Only", "GPU Full Offloading": no ngl column) are two setups, not one averaged."""
    one = ["NVIDIA L40S"]
    cpu = [("pp512", 7.07, None), ("tg128", 15.67, None)]
    full = [("pp512", 7788.02, None), ("tg128", 104.24, None)]
    note = (
        "# Qwen3-8B Performance Benchmark Results\n\n"
        + _llama_bench_test("Test 1: CPU-Only (64 threads)", [], cpu, False)
        + _llama_bench_test("Test 2: GPU Full Offloading (all layers)", one, full, False)
    )
    four = ["NVIDIA A30"] * 4
    multi = "# 4 GPU Configuration\n\n" + _llama_bench_test(
        "Test 2: Dual GPU (2 GPUs)",
        four,
        [("pp512", 2420.86, "8.00"), ("tg128", 75.11, "8.00"), ("pp512", 1774.03, "0.00"),
         ("tg128", 53.94, "0.00")],
        True,
    )  # fmt: skip
    _write(tmp_path / "benchmark_results_1.md", note)
    _write(tmp_path / "benchmark_results_4gpu_1.md", multi)
    digest = digest_of(tmp_path)
    assert sorted(m for m in digest.machines if m) == ["4x NVIDIA A30", "NVIDIA L40S"]
    setups = [
        s
        for s in digest.stats
        if s.group_by == "model+config_name+workload"
        and s.metric == "tokens_per_s"
        and s.aggregate != "std"  # the "± 0.50" beside each mean
    ]
    by_value = {round(s.mean, 2): s for s in setups}
    assert sorted(by_value) == [15.67, 53.94, 75.11, 104.24]
    assert all(s.n == 1 for s in setups)
    assert by_value[15.67].machine == "NVIDIA L40S" and by_value[53.94].machine == "4x NVIDIA A30"
    assert str(by_value[53.94].group).endswith("tensor_split=0")
    assert "section=Test 1: CPU-Only (64 threads)" in str(by_value[15.67].group)
    prompt = [
        s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload"
        and s.metric == "prompt_tokens_per_s"
        and s.aggregate != "std"
    ]
    assert sorted(prompt) == [7.07, 1774.03, 2420.86, 7788.02]  # never pooled with tg rows


_BATCHED_BENCH = """## batched-bench, pp 2048, batch 1/4/8

llama_batched_bench: n_kv_max = 73728, n_batch = 2048, n_ubatch = 2048, flash_attn = 1

|    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |
|-------|--------|------|--------|----------|----------|----------|----------|----------|----------|
|  2048 |    128 |    1 |   2176 |    0.847 |  2418.41 |    1.735 |    73.77 |    2.582 |   842.77 |
|  2048 |    128 |    4 |   8704 |    3.224 |  2541.33 |    4.124 |   124.16 |    7.347 |  1184.65 |
|  2048 |    128 |    8 |  17408 |    6.430 |  2548.07 |    3.854 |   265.70 |   10.284 |  1692.74 |
"""


def test_llama_batched_bench_table_is_read_by_its_columns(tmp_path: Path) -> None:
    """llama-batched-bench's table in a note: "T s" (total seconds) was read as llama-bench's
    t/s, a rate of 2.6 to 10.3 tok/s. S_TG t/s is the generation rate of all B sequences and
    S_PP t/s the prompt rate, B the parallel sequences (a setting); S t/s, over both phases,
    is neither."""
    _write(tmp_path / "batched.md", _BATCHED_BENCH)
    digest = digest_of(tmp_path)
    per_setup = {
        (s.metric, s.group): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload"
    }
    gen = {g: v for (m, g), v in per_setup.items() if m == "tokens_per_s"}
    assert sorted(gen.values()) == [73.77, 124.16, 265.70]
    assert any("concurrency=8" in str(g) and v == 265.70 for g, v in gen.items())
    prompt = sorted(v for (m, _), v in per_setup.items() if m == "prompt_tokens_per_s")
    assert prompt == [2418.41, 2541.33, 2548.07]


_CONSOLE_TABLE = """######## ROCm 7.2.3 ########

==================================================================================
GEMMA-4-12B CHAT -- DECODE (TG)  (gen=128 forced via ignore_eos)
==================================================================================
 conc  wall_s  TG tok/s tot  TG/s req   lat_s
    1    2.97          43.0     47.10    2.97
    8   13.99          73.2      9.96   13.99
"""


def test_a_harness_console_table_is_read_by_its_header(tmp_path: Path) -> None:
    """A bench harness's console tables (Igneous/mi50-16g_gfx906_benchmarks `bench-*.log`):
    no number stands beside its unit, so the files were taken for text without figures and
    vanished from the report. Now each row is a measurement: `conc` the concurrency, the rate
    of all requests ("TG tok/s tot") the generation rate, the per-request one ("TG/s req") not
    read, the title its workload and the file's first banner the run (ROCm 7 and Vulkan are
    two setups, never repetitions); a `bge-m3` folder is no Apple M3."""
    vulkan = _CONSOLE_TABLE.replace("ROCm 7.2.3", "VULKAN / mesa RADV").replace("73.2", "90.1")
    _write(tmp_path / "gemma4:12b+bge-m3_llama.cpp" / "bench-rocm7.log", _CONSOLE_TABLE)
    _write(tmp_path / "gemma4:12b+bge-m3_llama.cpp" / "bench-vulkan.log", vulkan)
    digest = digest_of(tmp_path)
    assert not digest.unread and digest.machines in ([], [None])
    rates = {
        str(s.group): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
    }
    assert sorted(rates.values()) == [43.0, 43.0, 73.2, 90.1]  # never 47.10 / 9.96 (per request)
    assert all(s.n == 1 for s in digest.stats if s.group_by == "model+config_name+workload")
    assert any("concurrency=8" in g and "run=VULKAN" in g and v == 90.1 for g, v in rates.items())


def test_llama_sweep_bench_table_is_read_with_its_depth(tmp_path: Path) -> None:
    """llama-sweep-bench's table (ik_llama.cpp: PP, TG, N_KV, T_PP s, S_PP t/s, T_TG s, S_TG
    t/s) was listed as holding no metric. Its rates are read as batched-bench's, and N_KV, the
    context already cached when each step ran, is part of the workload as llama-bench's depth
    is: each row its own test, never repetitions of one."""
    _write(
        tmp_path / "sweep.md",
        "main: n_kv_max = 16384, n_batch = 2048, n_ubatch = 512, flash_attn = 1\n\n"
        "|    PP |     TG |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |\n"
        "|-------|--------|--------|----------|----------|----------|----------|\n"
        "|   512 |    128 |      0 |   67.198 |     7.62 |   53.220 |     2.41 |\n"
        "|   512 |    128 |    512 |   65.739 |     7.79 |   51.455 |     2.49 |\n",
    )
    digest = digest_of(tmp_path)
    gen = {
        s.workload: s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
    }
    assert gen == {"PP 512, TG 128 @ d0": 2.41, "PP 512, TG 128 @ d512": 2.49}


_SERVER_TIMINGS = "\n".join([
    "main: server is listening on http://127.0.0.1:8080 - starting the main loop",
    "slot      release: id  0 | task 0 | stop processing: n_past = 111, truncated = 0",
    "slot print_timing: id  0 | task 0 | ",  # the timings follow on lines of their own
    "prompt eval time =  109.44 ms /  13 tokens ( 8.42 ms per token, 118.78 tokens per second)",
    "       eval time = 1612.06 ms /  99 tokens (16.28 ms per token,  61.41 tokens per second)",
    "      total time = 1721.50 ms / 112 tokens",
    "slot print_timing: id  0 | task 101 | ",
    "prompt eval time =   52.10 ms /  13 tokens ( 4.01 ms per token, 249.52 tokens per second)",
    "       eval time = 1580.00 ms /  99 tokens (15.96 ms per token,  62.66 tokens per second)",
    "      total time = 1632.10 ms / 112 tokens",
])  # fmt: skip

_PERF = "llama_perf_context_print:"
_CLI_TIMINGS = "\n".join([
    "+ ./bin/llama-cli --model ../models/pythia/1.4B/ggml-model-q4_0.gguf -ngl 99 -n 64",
    "I llama_model_load_from_file: using device Metal (Apple M4) - 10922 MiB free",
    "I llama_perf_sampler_print: sampling time = 1.23 ms / 71 runs (57770.55 tokens per second)",
    f"I {_PERF}        load time = 655.14 ms",
    f"I {_PERF} prompt eval time = 45.63 ms / 7 tokens (6.52 ms/token, 153.41 tokens per second)",
    f"I {_PERF} eval time = 636.73 ms / 63 runs (10.11 ms/token, 98.94 tokens per second)",
    f"I {_PERF}       total time = 685.76 ms / 70 tokens",
    "+ ./bin/llama-perplexity --model ../models/pythia/1.4B/ggml-model-q4_0.gguf -c 128",
    f"I {_PERF}        load time = 600.00 ms",
    f"I {_PERF} prompt eval time = 120.50 ms / 128 tokens (0.9 ms/tok, 1062.24 tokens per second)",
    f"I {_PERF}        eval time = 0.00 ms / 1 runs (0.00 ms per token, inf tokens per second)",
    f"I {_PERF}       total time = 121.00 ms / 129 tokens",
])  # fmt: skip


def test_llama_server_timings_on_the_lines_after_the_task_are_read(tmp_path: Path) -> None:
    """llama-server since 2024 prints a task's timings on the lines after `slot print_timing:
    id 0 | task 0 |`; only the older one-line form was read, so such logs were listed as
    text in no format Chimera reads. Each task is one run, its rates as stated."""
    _write(tmp_path / "server.log", _SERVER_TIMINGS)
    digest = digest_of(tmp_path)
    assert not digest.unread
    gen = digest.find("tokens_per_s", None, None)
    assert gen is not None and gen.n == 2 and gen.mean == pytest.approx(62.035)
    prompt = digest.find("prompt_tokens_per_s", None, None)
    assert prompt is not None and (prompt.min, prompt.max) == (118.78, 249.52)


def test_llama_cli_and_perplexity_timings_are_runs_of_their_tool(tmp_path: Path) -> None:
    """llama-cli's and llama-perplexity's `llama_perf_context_print:` timings (ggml-org/ci's
    logs): one run per block, the model from `--model`, the machine from `using device Metal
    (Apple M4)`, the tool its workload (perplexity's 128-token prompt rate is never pooled
    with a chat's 7-token one), and perplexity's empty eval (0 ms, inf tokens/s) no figure."""
    _write(tmp_path / "pythia_1_4b-tg-q4_0.log", _CLI_TIMINGS)
    digest = digest_of(tmp_path)
    assert not digest.unread and digest.machines == ["Apple M4"]
    per_tool = {
        (s.metric, s.workload): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.group
    }
    assert per_tool[("prompt_tokens_per_s", "llama-cli")] == 153.41
    assert per_tool[("prompt_tokens_per_s", "llama-perplexity")] == 1062.24
    assert per_tool[("tokens_per_s", "llama-cli")] == 98.94
    assert ("tokens_per_s", "llama-perplexity") not in per_tool
    # the convert script's generic name: the model is the folder it sits in
    assert digest.find("tokens_per_s", "model", "pythia/1.4B/ggml-model-q4_0") is not None


def test_models_converted_alike_are_told_apart_by_their_type(tmp_path: Path) -> None:
    """llama.cpp's convert script names every model `ggml-model-<type>.gguf` (llama-bench's
    default -m is models/7B/ggml-model-q4_0.gguf): two models so named were one model,
    "ggml-model-q4_0", and their runs pooled. llama-bench's model_type tells them apart."""
    rows = []
    for model_type, rate in (("llama 7B Q4_0", 120.0), ("llama 13B Q4_0", 65.0)):
        row = _bench("NVIDIA GeForce RTX 4090", "CUDA", 8, [rate, rate + 1])[0]
        row.update(model_filename="models/ggml-model-q4_0.gguf", model_type=model_type)
        rows.append(row)
    _write(tmp_path / "bench.json", json.dumps(rows))
    digest = digest_of(tmp_path)
    seven = digest.find("tokens_per_s", "model", "llama 7B Q4_0")
    thirteen = digest.find("tokens_per_s", "model", "llama 13B Q4_0")
    assert seven is not None and seven.mean == 120.5
    assert thirteen is not None and thirteen.mean == 65.5


def _model_groups(digest: DataDigest, metric: str) -> dict[str | None, tuple[int, list[str]]]:
    return {
        s.group: (s.n, s.sources)
        for s in digest.stats
        if s.metric == metric and s.group_by == "model"
    }


def test_models_named_only_by_their_folders_are_not_pooled(tmp_path: Path) -> None:
    """llama-server result tables that name no model, one folder per model (TkskKurumi's
    `Qwen3-Next-80B/result.md`, `GLM-4.6/result.md`): each folder is its model. They were
    one "model not stated" group whose mean mixed an 80B and a 355B model."""
    table = "|Task|Elapse|Prompt Per Second|Predict Per Second|\n|--|--:|--:|--:|\n"
    _write(tmp_path / "Qwen3-Next-80B" / "result.md", table + "|Doc|18.3|1070.3|18.11|\n")
    _write(tmp_path / "GLM-4.6" / "result.md", table + "|Doc|220.6|64.5|1.50|\n")
    # a folder that names a collection, or only a family, names no one model
    _write(tmp_path / "qwen3_results" / "a.md", table + "|Doc|20.0|900.0|10.0|\n")
    groups = _model_groups(digest_of(tmp_path), "tokens_per_s")
    assert groups["Qwen3-Next-80B"] == (1, ["Qwen3-Next-80B/result.md"])
    assert groups["GLM-4.6"] == (1, ["GLM-4.6/result.md"])
    assert groups["model not stated"] == (1, ["qwen3_results/a.md"])


def test_a_heading_names_the_model_of_the_table_below_it(tmp_path: Path) -> None:
    """A README of llama-server runs: each table under a heading naming its GGUF and quant;
    a heading naming two models (a comparison) names neither."""
    table = "|Task|Predict Per Second|\n|--|--:|\n|Doc|{}|\n"
    _write(
        tmp_path / "readme.md",
        "## Qwen3-VL-235B-A22B-Instruct - Unsloth Dynamic Quantization IQ1_M\n\n"
        + table.format(2.0)
        + "\n## GLM-4.6 - Q2_K_XL\n\n"
        + table.format(1.5)
        + "\n## Qwen3-8B vs Llama-3.1-8B\n\n"
        + table.format(40.0),
    )
    groups = _model_groups(digest_of(tmp_path), "tokens_per_s")
    assert groups["Qwen3-VL-235B-A22B-Instruct IQ1_M"][0] == 1
    assert groups["GLM-4.6 Q2_K_XL"][0] == 1
    assert groups["model not stated"][0] == 1


def test_emphasis_around_a_cell_is_not_part_of_its_name(tmp_path: Path) -> None:
    """A report's table with bold model names (`| **gemma3:270m** | 303.9 tok/s |`) named a
    model `**gemma3:270m**`, apart from gemma3:270m's other rows."""
    _write(
        tmp_path / "report.md",
        "| Model | Throughput |\n|---|---|\n| **gemma3:270m** | 303.9 tok/s |\n"
        "| `gemma3:1b` | 187.2 tok/s |\n",
    )
    groups = _model_groups(digest_of(tmp_path), "tokens_per_s")
    assert set(groups) == {"gemma3:270m", "gemma3:1b"}


def test_numbers_in_a_settings_column_with_words_are_numbers(tmp_path: Path) -> None:
    """A temperature column with "default" in it is read as text: "1" and "1.0" were two
    setups of one setting."""
    _write(
        tmp_path / "t.csv",
        "model,temperature,tokens_per_s\ngemma3:4b,1,50\ngemma3:4b,1.0,51\n"
        "gemma3:4b,default,52\ngemma3:4b,0.7,49\n",
    )
    digest = digest_of(tmp_path)
    assert set(digest.configs) == {"temperature=0.7", "temperature=1.0", "temperature=default"}
    assert digest.configs["temperature=1.0"] == {"temperature": 1.0}


def _completion(prompt_n: int, prompt_ms: float, predicted_ms: float, predicted_n: int = 64) -> str:
    """llama-server's /completion answer as a client saves it, with its own timings."""
    return json.dumps({
        "content": "...", "model": "qwen3.6-27b-q4_k_m.gguf", "tokens_predicted": predicted_n,
        "tokens_evaluated": prompt_n,
        "timings": {
            "prompt_n": prompt_n, "prompt_ms": prompt_ms,
            "prompt_per_second": prompt_n / prompt_ms * 1000, "predicted_n": predicted_n,
            "predicted_ms": predicted_ms, "predicted_per_second": predicted_n / predicted_ms * 1000,
        },
    })  # fmt: skip


def test_steady_runs_of_a_deterministic_benchmark_are_not_copies(tmp_path: Path) -> None:
    """isotopp/llama-benchmark saves each request's llama-server answer (temperature 0, seed
    42): two long-context runs agree within 1 % on both rates (13.583 and 13.582 tok/s, 140.5
    and 141.4 tok/s prompt), so one was set apart as 'runs read twice'. A copy writes the same
    digits (a CSV rounds: 128.71 for 128.708016...) and keeps token counts whole; llama-server's
    timings (prompt_n, predicted_n, prompt_ms, predicted_ms) are read, and the CSV of the same
    runs is still found a copy."""
    raw = tmp_path / "raw"
    _write(raw / "long-context-measured-4.json", _completion(8230, 58563.919, 4711.718))
    _write(raw / "long-context-measured-5.json", _completion(8227, 58191.604, 4711.993))
    _write(raw / "numeric-analysis-measured-1.json", _completion(216, 2243.351, 32608.285, 384))
    _write(raw / "numeric-analysis-measured-2.json", _completion(216, 2236.422, 32662.758, 384))
    digest = digest_of(tmp_path)
    assert not digest.duplicates
    counts = digest.find("prompt_eval_count", None, None)
    assert counts is not None and counts.n == 4
    csv_rows = ["test,prompt_n,prompt_ms,prompt_tps,predicted_n,predicted_ms,predicted_tps"]
    for test, p_n, p_ms, g_ms, g_n in (
        ("long-context", 8230, 58563.919, 4711.718, 64),
        ("long-context", 8227, 58191.604, 4711.993, 64),
    ):
        csv_rows.append(f"{test},{p_n},{p_ms},{p_n / p_ms * 1000:.2f},{g_n},{g_ms},"
                        f"{g_n / g_ms * 1000:.2f}")  # fmt: skip
    _write(tmp_path / "results.csv", "\n".join(csv_rows) + "\n")
    digest = digest_of(tmp_path)
    assert [(d.path, d.rows) for d in digest.duplicates] == [("results.csv", 2)]


def test_a_benchmarks_warm_up_runs_are_set_apart(tmp_path: Path) -> None:
    """isotopp/llama-benchmark runs one warm-up and five measured requests per workload: its
    results.csv says so in a phase column (warmup / measured) and its raw answers in their
    file names (short-generation-warmup-1.json). The warm-up rows were averaged with the
    measured ones; they are now the benchmark's own cold rows, set apart."""
    rows = ["test,phase,run,prompt_n,prompt_ms,prompt_tps,predicted_n,predicted_ms,predicted_tps"]
    for phase, run, p_ms, g_ms in (
        ("warmup", 1, 652.64, 21388.049), ("measured", 1, 1120.378, 21581.072),
        ("measured", 2, 1145.381, 21348.015), ("measured", 3, 1262.331, 21807.873),
    ):  # fmt: skip
        rows.append(f"short-generation,{phase},{run},84,{p_ms},{84 / p_ms * 1000},256,{g_ms},"
                    f"{256 / g_ms * 1000}")  # fmt: skip
    _write(tmp_path / "a" / "results.csv", "\n".join(rows) + "\n")
    _write(tmp_path / "b" / "raw" / "short-generation-warmup-1.json", _completion(84, 652.6, 21388))
    _write(
        tmp_path / "b" / "raw" / "short-generation-measured-1.json", _completion(85, 1120, 21581)
    )
    digest = digest_of(tmp_path)
    cold = {(c.path, c.rows) for c in digest.cold_rows}
    assert cold == {("a/results.csv", 1), ("b/raw/short-generation-warmup-1.json", 1)}
    # The benchmark set them apart itself: no advice to send a warm-up call (Ollama's reloads)
    finding = next(f for f in compute_findings(digest) if f.kind == "cold_start")
    assert "labelled cold or warm-up by the benchmark itself" in finding.text
    assert finding.recommendation is None


def test_a_gguf_named_by_its_file_and_the_device_llama_server_lists(tmp_path: Path) -> None:
    """llama-server's answer names its model by the GGUF file ("qwen3.6-27b-q4_k_m.gguf")
    and its log by the path it loads: two names for one model, its runs compared with
    themselves. And its start-up device list ("  - MTL0 : Apple M5 Max (110100 MiB, ...)")
    names the machine, which was "not stated"."""
    log = "\n".join([
        "0.00.071.759 I device_info:",
        "0.00.071.763 I   - MTL0    : Apple M5 Max (110100 MiB, 110100 MiB free)",
        "0.00.071.769 I   - CPU     : Apple M5 Max (131072 MiB, 131072 MiB free)",
        "0.00.073.473 I srv    load_model: loading model '/m/qwen3.6-27b/qwen3.6-27b-q4_k_m.gguf'",
        "0.24.870.847 I slot print_timing: id  0 | task 0 | prompt eval time =     652.64 ms /"
        "    84 tokens (    7.77 ms per token,   128.71 tokens per second)",
        "0.24.870.850 I slot print_timing: id  0 | task 0 |        eval time =   21388.05 ms /"
        "   256 tokens (   83.55 ms per token,    11.97 tokens per second)",
    ])  # fmt: skip
    _write(tmp_path / "server.log", log)
    _write(tmp_path / "raw" / "short-measured-1.json", _completion(85, 1120.4, 21581.1, 256))
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {"qwen3.6-27b-q4_k_m"}
    assert "Apple M5 Max" in digest.machines


_BENCH_SQL_FIELDS = (
    "build_commit, build_number, cpu_info, gpu_info, backends, model_filename, model_type, "
    "n_batch, n_threads, n_gpu_layers, n_prompt, n_gen, n_depth, test_time, avg_ns, stddev_ns, "
    "avg_ts, stddev_ts"
)


def _bench_sql_row(n_prompt: int, n_gen: int, depth: int, rate: float) -> str:
    return (
        f"INSERT INTO test ({_BENCH_SQL_FIELDS}) VALUES ('3edfa7d3', '6001', 'AMD Ryzen 9 "
        "7950X', 'NVIDIA GeForce RTX 4090', 'CUDA', 'models/Qwen3-8B-Q4_K_M.gguf', 'qwen3 8B "
        f"Q4_K - Medium', '2048', '16', '99', '{n_prompt}', '{n_gen}', '{depth}', "
        f"'2025-08-01T10:00:00Z', '1000', '10', '{rate}', '0.5');"
    )


def test_llama_bench_sql_output_is_read_as_its_csv(tmp_path: Path) -> None:
    """llama-bench's `-o sql` (a CREATE TABLE, then an INSERT a test, every value quoted) was
    not even listed: *.sql matched no pattern. Its tests are read as the CSV's: a pp row's
    avg_ts prompt processing, a tg row's generation, depth part of the test."""
    sql = "\n".join([
        "CREATE TABLE IF NOT EXISTS test (build_commit TEXT, avg_ts REAL);",
        _bench_sql_row(512, 0, 0, 9846.15),
        _bench_sql_row(0, 128, 0, 128.0),
        _bench_sql_row(0, 128, 4096, 101.5),
    ])  # fmt: skip
    _write(tmp_path / "bench.sql", sql)
    digest = digest_of(tmp_path)
    assert digest.machines == ["NVIDIA GeForce RTX 4090"]
    gen = {
        s.workload: s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
        and s.aggregate == "mean"
    }  # fmt: skip
    assert gen == {"tg128": 128.0, "tg128 @ d4096": 101.5}
    prompt = [
        s.mean
        for s in digest.stats
        if s.group_by == "model" and s.metric == "prompt_tokens_per_s" and s.aggregate == "mean"
    ]
    assert prompt == [9846.15]


def _md_report(label: str, loads: list[float], rates: list[float]) -> str:
    """A Markdown report as Ollama bench scripts write one: a header naming the machine, a
    Summary table of per-model statistics, then a numbered table of runs under each model."""
    runs = "\n".join(
        f"| {i} | Y | {r:.2f} | 900.00 | 256 | {ld:.2f} | 13.00 | 13.01 |  |"
        for i, (r, ld) in enumerate(zip(rates, loads, strict=True), start=1)
    )
    mean = sum(rates) / len(rates)
    return f"""# Ollama Benchmark Report

- Host: `http://localhost:11434`
- Machine label: `{label}`
- Runs per model: `3` (warmup: `1`)

## Summary

| Model | OK/Total | Gen tok/s (mean) | Gen tok/s (p50) | Gen tok/s (stdev) | Total s (mean) |
|---|---:|---:|---:|---:|---:|
| llama3:8b | 3/3 | {mean:.2f} | {sorted(rates)[1]:.2f} | 0.50 | 13.00 |

## Details

### llama3:8b

| Run | OK | Gen tok/s | Prompt tok/s | Gen toks | Load s | Total s | Wall s | Error |
|---:|:--:|---:|---:|---:|---:|---:|---:|---|
{runs}
"""


def test_a_markdown_report_s_numbered_run_tables_are_runs_of_its_labelled_machine(
    tmp_path: Path,
) -> None:
    """A report's "| Run | ... |" table holds runs, not figures someone computed: they were
    read as means and pooled with the Summary row (4 "runs" of 3), so a run that reloaded the
    model (Load s 13.56 against 0.3) was never set apart. The "Machine label:" line names the
    machine: two Windows machines whose folder names name no GPU were pooled as one."""
    _write(
        tmp_path / "reports" / "windows11-nvidia-32gb" / "bench.md",
        _md_report("windows11-nvidia-32gb", [13.56, 0.30, 0.35], [9.07, 9.61, 8.91]),
    )
    _write(
        tmp_path / "reports" / "windows11-cpu-unknown-ram" / "bench.md",
        _md_report("windows11-cpu-unknown-ram", [7.55, 0.38, 0.38], [8.94, 9.10, 9.02]),
    )
    digest = digest_of(tmp_path)
    assert sorted(m for m in digest.machines if m) == [
        "windows11-cpu-unknown-ram",
        "windows11-nvidia-32gb",
    ]
    gpu = digest.find("tokens_per_s", "model", "llama3:8b", machine="windows11-nvidia-32gb")
    # The three runs, per run; the reload (run 1) set apart: the two warm runs remain.
    assert gpu is not None and gpu.aggregate is None and gpu.n == 2
    assert gpu.mean == pytest.approx((9.61 + 8.91) / 2)
    assert sum(c.rows for c in digest.cold_rows) == 2
    cold = [f for f in compute_findings(digest) if f.kind == "cold_start"]
    # Each file named once (a file has a cold mark per table and model).
    assert len(cold) == 1 and sorted(cold[0].groups) == [
        "reports/windows11-cpu-unknown-ram/bench.md",
        "reports/windows11-nvidia-32gb/bench.md",
    ]


def test_statistics_of_request_durations_are_read_their_unit_by_their_values(
    tmp_path: Path,
) -> None:
    """avg_duration / max_duration / min_duration (a Go client's per-model statistics of
    Ollama's total_duration, written in ms) were not read at all: a bare "duration" needs a
    unit in its name (vLLM's benchmark duration is in s), but a statistic of durations is of
    requests, and its values decide the unit (86,569 is ms: as ns it is 87 µs, as s a day)."""
    _write(
        tmp_path / "runs" / "cpu-only.csv",
        "model,initial_load_duration,avg_duration,max_duration,min_duration\n"
        "codellama:7b,1024,86569,194591,3380\n"
        "llama2-uncensored:7b,3760,41427,137581,2769\n"
        "llama3:latest,8189,115669,225864,4139\n"
        "tinyllama:latest,1843,16751,38918,1369\n",
    )
    digest = digest_of(tmp_path)
    avg = digest.find("total_ms", "model", "llama3:latest", "mean")
    assert avg is not None and avg.mean == pytest.approx(115669.0)
    assert {n.column: n.unit for n in digest.unit_notes}["max_duration"] == "ms"


def test_short_token_count_and_wall_time_names_are_read(tmp_path: Path) -> None:
    """A bench script's "Gen toks" / "Prompt toks" / "Wall s" columns: the tokens generated
    and read, and the client's wall time (gemma3:270m stopped at 52 tokens where the others
    made 256: without the count, a wall-time comparison of the two hid it)."""
    _write(
        tmp_path / "runs.csv",
        "model,Gen tok/s,Gen toks,Prompt toks,Wall s\n"
        + "".join(f"gemma3:270m,{217 + i},52,55,0.{39 + i}\n" for i in range(3)),
    )
    digest = digest_of(tmp_path)
    tokens = digest.find("eval_count", "model", "gemma3:270m")
    prompt = digest.find("prompt_eval_count", "model", "gemma3:270m")
    wall = digest.find("latency_ms", "model", "gemma3:270m")
    assert tokens is not None and tokens.mean == 52 and prompt is not None and prompt.mean == 55
    assert wall is not None and wall.mean == pytest.approx(400.0)


def test_a_script_s_own_timing_beside_ollama_s_is_one_measurement_not_two(
    tmp_path: Path,
) -> None:
    """A run record with the script's `duration_ms` (its wall clock) beside Ollama's
    `total_duration_ns`: both read as total time, each run was counted twice (n=6 of 3).
    The script's figure is the client's latency (in a tool benchmark it includes the tool's
    execution: 19.7 s against Ollama's 7.1 s)."""
    runs = [
        {"model": "qwen3:4b", "duration_ms": 6810 + i, "total_duration_ns": 6_796_266_104 + i,
         "eval_count": 485, "eval_duration_ns": 6_226_430_386}
        for i in range(3)
    ]  # fmt: skip
    _write(tmp_path / "bench.json", json.dumps([{"model": "qwen3:4b", "runs": runs}]))
    digest = digest_of(tmp_path)
    total = digest.find("total_ms", "model", "qwen3:4b")
    assert total is not None and total.n == 3
    assert total.mean == pytest.approx(6796.266105, rel=1e-6)  # Ollama's, not the script's
    latency = digest.find("latency_ms", "model", "qwen3:4b")
    assert latency is not None and latency.n == 3 and latency.mean == pytest.approx(6811.0)


def test_a_run_s_tool_errors_are_not_failed_runs_and_ok_false_is(tmp_path: Path) -> None:
    """A tool benchmark's run records: the tool the model called failed in the harness
    (`tool_execution[].error`), yet the call was measured (ok: true): each such entry was
    read as a failed row, while the model that rejected tools (`"ok": false, "status": 400`,
    127 ms) was read as a 121 ms latency."""

    def run(model: str, ok: bool, error: str | None) -> dict:
        if not ok:
            return {"model": model, "ok": False, "status": 400, "duration_ms": 127}
        return {
            "model": model, "ok": True, "duration_ms": 19718, "total_duration_ns": 7_147_522_575,
            "eval_count": 536, "eval_duration_ns": 6_891_219_281, "tps": 77.78,
            "tool_execution": [{"tool_name": "calculate_age", "error": error, "success": False}],
        }  # fmt: skip

    doc = [
        {"model": "qwen3:4b", "runs": [run("qwen3:4b", True, "Don't know how to create ISeq")]
         * 3, "summary": {"runs_ok": 3, "mean_tps": 77.78}},
        {"model": "gemma3:latest", "runs": [run("gemma3:latest", False, None)] * 2},
    ]  # fmt: skip
    _write(tmp_path / "reports-tool-eval" / "bench.json", json.dumps(doc))
    digest = digest_of(tmp_path)
    assert [e.count for e in digest.error_rows] == [2]
    rate = digest.find("tokens_per_s", "model", "qwen3:4b")
    assert rate is not None and rate.n == 3
    assert digest.find("latency_ms", "model", "gemma3:latest") is None


def test_a_device_in_the_file_name_is_a_setting_of_its_runs(tmp_path: Path) -> None:
    """runs/cpu-only.csv beside runs/gpu-run.csv, the same models and columns: the two files
    were one setup ("settings not stated"), their rows 6-8x apart pooled as repetitions."""
    header = "model,avg_duration,max_duration,min_duration\n"
    _write(tmp_path / "runs" / "cpu-only.csv", header + "llama3:latest,115669,225864,4139\n")
    _write(tmp_path / "runs" / "gpu-run.csv", header + "llama3:latest,17409,35497,885\n")
    digest = digest_of(tmp_path)
    assert sorted(s.config for s in digest.setups) == ["device=cpu", "device=gpu"]
    per_setup = {
        s.group: s.mean
        for s in digest.stats
        if s.metric == "total_ms" and s.aggregate == "mean" and s.group_by == "model+config_name"
    }
    assert per_setup == {
        "llama3:latest / device=cpu": 115669.0,
        "llama3:latest / device=gpu": 17409.0,
    }


def test_every_row_loaded_names_only_the_times_the_files_hold(tmp_path: Path) -> None:
    """Per-model summaries whose load column is a separate warm-up call (every row a load):
    the finding said "their TTFT includes the load" of files that hold no TTFT, and whose
    durations are of warm calls."""
    _write(
        tmp_path / "runs" / "gpu-run.csv",
        "model,initial_load_duration,avg_duration,max_duration,min_duration\n"
        "codellama:7b,1324,10750,22904,706\n"
        "llama2-uncensored:7b,4626,6313,20174,645\n"
        "llama3:latest,9791,17409,35497,885\n"
        "tinyllama:latest,4434,2694,6144,392\n",
    )
    cold = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "cold_start"]
    assert len(cold) == 1 and "every call loaded the model" in cold[0].text
    assert "TTFT" not in cold[0].text and "include" not in cold[0].text


def test_a_note_table_repeating_one_setup_row_by_row_holds_runs(tmp_path: Path) -> None:
    """A bench script's Markdown with a row per request (TkskKurumi's `|Task|Elapse|...|`,
    "Document Understanding" four times): the rows are runs, not four reported means. A
    llama-bench table whose rows repeat (`-ts 8,8,0,0` shows as 8.00) reports "mean ± sd"
    figures: still means."""
    _write(
        tmp_path / "Qwen3-Next-80B" / "result.md",
        "|Task|Elapse|Predict Per Second|\n|--|--:|--:|\n"
        + "".join(f"|Document Understanding|{e}|{r}|\n" for e, r in ((44.4, 3.88), (36.7, 5.56)))
        + "|Vision Understanding|20.0|6.1|\n",
    )
    _write(
        tmp_path / "bench.md",
        "| model | backend | threads | ts | test | t/s |\n|---|---|--:|---|--:|--:|\n"
        "| qwen3 8B Q5_K - Medium | CUDA | 64 | 8.00 | tg128 | 75.11 ± 0.04 |\n"
        "| qwen3 8B Q5_K - Medium | CUDA | 64 | 8.00 | tg128 | 75.67 ± 0.10 |\n",
    )
    aggregates = {
        (s.sources[0], s.aggregate)
        for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model" and len(s.sources) == 1
    }
    assert ("Qwen3-Next-80B/result.md", None) in aggregates
    assert not any(src == "bench.md" and agg is None for src, agg in aggregates)


def _llmperf_request(ttft_s: float, e2e_s: float, code: int | None = None, msg: str = "") -> dict:
    """One record of LLMPerf's `*_individual_responses.json` (ray-project/llmperf)."""
    out = 0 if code else 150
    return {
        "error_code": code, "error_msg": msg, "inter_token_latency_s": e2e_s / 151 if out else 0.0,
        "ttft_s": ttft_s if out else 0, "end_to_end_latency_s": e2e_s if out else 0,
        "request_output_throughput_token_per_s": out / e2e_s if out else 0,
        "number_total_tokens": 550 + (out or 1), "number_output_tokens": out or 1,
        "number_input_tokens": 550,
    }  # fmt: skip


def test_a_request_with_an_error_code_is_a_failed_row_even_with_no_message(
    tmp_path: Path,
) -> None:
    """LLMPerf's per-request records of a rate-limited provider (llmperf-leaderboard's
    lepton_*.json: 130 of 150 requests `error_code: 429` with an empty `error_msg`, every
    figure 0): the code alone says the request failed; its 0 ms TTFT is not the fastest."""
    rows = [_llmperf_request(0.2, 2.0), _llmperf_request(0.3, 2.2)]
    rows += [_llmperf_request(0, 0, code=429), _llmperf_request(0, 0, code=-1)]
    rows.append(_llmperf_request(0, 0, code=429, msg='{"error": "Token rate limit exceeded"}'))
    _write(tmp_path / "individual" / "lepton_13b.json", json.dumps(rows))
    digest = digest_of(tmp_path)
    [failed] = digest.error_rows
    assert (failed.path, failed.count) == ("individual/lepton_13b.json", 3)
    assert failed.sample == "429"
    ttft = [s for s in digest.stats if s.metric == "ttft_ms" and s.group_by == "model"]
    assert [(s.n, s.min) for s in ttft] == [(2, pytest.approx(200.0))]


def test_llmperf_summary_figures_are_read_and_its_requested_lengths_are_not(
    tmp_path: Path,
) -> None:
    """LLMPerf's `*_summary.json` writes every measured figure as `results_<metric>_<unit>_
    <statistic>` (llmperf-leaderboard's summary/*.json): none was read, while its requested
    `mean_output_tokens` 150 was read as the tokens generated. The measured figures are read
    (seconds as ms, quantiles_p50 as the median, the run's output throughput), the request
    counts say how many completed, and the requested lengths are no figures."""
    summary = {
        "version": "2023-08-31", "name": "llama2-13b_550_150_summary", "model": "llama2-13b",
        "mean_input_tokens": 550, "stddev_input_tokens": 0, "mean_output_tokens": 150,
        "stddev_output_tokens": 0, "num_concurrent_requests": 5,
        "results_ttft_s_quantiles_p50": 0.95, "results_ttft_s_quantiles_p99": 1.37,
        "results_ttft_s_mean": 1.07, "results_end_to_end_latency_s_mean": 1.3,
        "results_inter_token_latency_s_mean": 0.0031,
        "results_request_output_throughput_token_per_s_mean": 116.0,
        "results_number_output_tokens_mean": 151.0, "results_number_output_tokens_min": "151",
        "results_num_requests_started": 150, "results_error_rate": 0.8667,
        "results_number_errors": 130, "results_mean_output_throughput_token_per_s": 59.3,
        "results_num_completed_requests": 20, "framework": "lepton",
    }  # fmt: skip
    _write(tmp_path / "summary" / "lepton_13b.json", json.dumps(summary, indent=4))
    digest = digest_of(tmp_path)
    found = {
        (s.metric, s.aggregate): s.mean
        for s in digest.stats
        if s.group_by == "model" and s.group == "llama2-13b"
    }
    assert found[("ttft_ms", "mean")] == pytest.approx(1070.0)
    assert found[("ttft_ms", "median")] == pytest.approx(950.0)
    assert found[("latency_ms", "mean")] == pytest.approx(1300.0)
    assert found[("itl_ms", "mean")] == pytest.approx(3.1)
    assert found[("eval_count", "mean")] == pytest.approx(151.0)  # measured, not the 150 asked
    # the run's output tokens over its wall time; the per-request rate (which counts the TTFT
    # in its time) is not the same figure and is not read as one
    assert found[("tokens_per_s", "mean")] == pytest.approx(59.3)
    assert ("prompt_eval_count", "mean") not in found
    [setup] = digest.setups
    assert setup.params.get("concurrency") == 5
    [some] = digest.some_requests_failed
    assert (some.completed, some.requested) == (20, 150)


def test_requests_agreeing_within_rounding_are_not_copies_when_kept_to_full_precision(
    tmp_path: Path,
) -> None:
    """Two providers' LLMPerf request records (llmperf-leaderboard anyscale_13b.json and
    anyscale_70b.json) held requests whose TTFT, ITL and latency agree within 1 %: 0.19826357
    s against 0.19932188 s. Figures kept to full precision that differ are two measurements;
    only a rounded copy may differ from its original (checked by the twin tests above)."""
    a = [_llmperf_request(0.19826356999999462, 1.873232737999956)]
    b = [_llmperf_request(0.19932187599999907, 1.8739143389999526)]
    a += [_llmperf_request(0.3 + i / 100, 2.5 + i / 10) for i in range(5)]
    b += [_llmperf_request(0.6 + i / 100, 3.5 + i / 10) for i in range(5)]
    _write(tmp_path / "anyscale_13b.json", json.dumps(a))
    _write(tmp_path / "anyscale_70b.json", json.dumps(b))
    digest = digest_of(tmp_path)
    assert not digest.duplicates
    # a copy rounded to 3 decimals still repeats its original
    rounded = [{k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()} for r in a]
    _write(tmp_path / "copy" / "anyscale_13b_rounded.json", json.dumps(rounded))
    digest = digest_of(tmp_path)
    assert [(d.path, d.of) for d in digest.duplicates] == [
        ("copy/anyscale_13b_rounded.json", "anyscale_13b.json")
    ]


def _guidellm_report(rates: list[float]) -> str:
    """A GuideLLM `benchmarks.json` (0.5), cut to what the digest reads: the run's args and
    its successful requests, each with both of GuideLLM's per-request rates."""
    requests = [
        {
            "type_": "generative_request_stats", "prompt_tokens": 133, "output_tokens": 1024,
            "request_latency": 1024 / rate, "time_to_first_token_ms": 40.0,
            "inter_token_latency_ms": 1000 / rate, "output_tokens_per_second": rate,
            "tokens_per_second": rate * 1157 / 1024,
        }
        for rate in rates
    ]  # fmt: skip
    return json.dumps({
        "metadata": {"guidellm_version": "0.5.0"},
        "args": {"model": "Qwen/Qwen3-4B-Thinking-2507", "profile": "synchronous"},
        "benchmarks": [{"type_": "generative_benchmark", "requests": {"successful": requests}}],
    })  # fmt: skip


def test_guidellm_request_rates_are_not_pooled_and_tp_in_a_file_name_is_a_setting(
    tmp_path: Path,
) -> None:
    """danielkorat/guidellm-bench's results: one GuideLLM report per deployment, named
    `Qwen_Qwen3-4B-Thinking-2507_tp2_quant-fp8_benchmarks.json` and `..._tp4_...`. Each
    request holds output_tokens_per_second and tokens_per_second (prompt and output tokens
    over the request's time): both were pooled as the generation rate (n=60 for 30 requests),
    and tp2 against tp4 was read as two sessions that 'differ in something the files do not
    record'. The output rate alone is the generation rate; the tensor parallelism the file
    name states is a setting, compared as one."""
    tp2, tp4 = [50.0, 51.0, 52.0], [47.0, 48.5, 51.5]
    name = "Qwen_Qwen3-4B-Thinking-2507_tp{}_quant-fp8_benchmarks.json"
    _write(tmp_path / name.format(2), _guidellm_report(tp2))
    _write(tmp_path / name.format(4), _guidellm_report(tp4))
    digest = digest_of(tmp_path)
    rates = {
        s.group: (s.n, s.mean)
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    }
    model = "Qwen/Qwen3-4B-Thinking-2507"
    assert rates == {
        f"{model} / quantization=FP8, tensor_parallel=2": (3, pytest.approx(51.0)),
        f"{model} / quantization=FP8, tensor_parallel=4": (3, pytest.approx(49.0)),
    }
    assert {s.params.get("tensor_parallel") for s in digest.setups} == {2, 4}
    kinds = {f.kind for f in compute_findings(digest)}
    assert "sessions" not in kinds


def test_guidellm_request_latency_is_seconds_and_its_time_limit_no_measurement(
    tmp_path: Path,
) -> None:
    """GuideLLM's request records write `request_latency` in seconds (42.23) beside
    `time_to_first_token_ms` (1243.6): read by plausibility as 42 ms, a request that ended
    before its first token. And its `scheduler_state` holds each limit's progress
    (`max_seconds.progress.total_duration` 900, the run's time limit), which was read as a
    measured total time of 900 s."""
    report = json.loads(_guidellm_report([24.25, 25.0, 26.0]))
    for request in report["benchmarks"][0]["requests"]["successful"]:
        request["time_to_first_token_ms"] = 1243.6
    report["benchmarks"][0]["scheduler_state"] = {
        "end_processing_constraints": {
            "max_seconds": {"progress": {"total_duration": 900.0, "remaining_duration": 180.0}}
        },
        "progress": {"total_duration": 900.0},
    }  # fmt: skip
    _write(tmp_path / "Qwen3-30B-A3B_benchmarks.json", json.dumps(report))
    digest = digest_of(tmp_path)
    metrics = {s.metric: s.mean for s in digest.stats if s.group_by == "model"}
    assert metrics["latency_ms"] == pytest.approx(1024 / 24.25 * 1000 / 3 + 1024 / 25 * 1000 / 3
                                                  + 1024 / 26 * 1000 / 3)  # fmt: skip
    assert "total_ms" not in metrics
    [note] = [n for n in digest.unit_notes if n.column.endswith("request_latency")]
    assert note.unit == "s" and "before their first token" in note.reason


def test_copies_of_a_file_that_holds_no_figure_are_not_runs_read_twice(tmp_path: Path) -> None:
    """danielkorat/guidellm-bench writes a `<run>_gpu_monitor.json` beside each report; the
    monitor recorded nothing, so all four hold `[]`, and the copies were listed as 'runs read
    twice'. A copy of a file with no figure repeats no run: it is listed as its original is."""
    rows = [{"model": "m", "tokens_per_s": 10.0 + i} for i in range(3)]
    _write(tmp_path / "run_a.json", json.dumps(rows))
    for name in ("a", "b", "c"):
        _write(tmp_path / f"run_{name}_gpu_monitor.json", "[]")
    digest = digest_of(tmp_path)
    assert digest.duplicates == []
    assert sorted(digest.tables_without_metrics) == [
        "run_a_gpu_monitor.json", "run_b_gpu_monitor.json", "run_c_gpu_monitor.json",
    ]  # fmt: skip
    assert not [f for f in compute_findings(digest) if f.kind == "duplicates"]


def test_a_hugging_face_id_in_a_file_name_is_the_model_of_a_file_naming_none(
    tmp_path: Path,
) -> None:
    """philschmid/llmperf-bench's `<org>_<model>_tp_1_summary.json` tables state no model:
    Llama-3-8B's and Mistral-7B's were pooled under "model not stated" (30.0 tok/s, the mean
    of 30.43 and 29.58); and danielkorat's `Qwen_Qwen3-30B-A3B_tp4_...` failed request was
    put under Ollama's `qwen:latest`. An organisation and a hyphenated name with a size is a
    Hugging Face id written with "_" for "/"."""
    for stem, rate in (("meta-llama_Meta-Llama-3-8B-Instruct", 30.43),
                       ("mistralai_Mistral-7B-Instruct-v0.2", 29.58)):  # fmt: skip
        table = {"1": {"concurrency": 1, "throughput_token_per_s": rate}}
        _write(tmp_path / f"{stem}_tp_1_summary.json", json.dumps(table))
    digest = digest_of(tmp_path)
    models = {s.group: s.mean for s in digest.stats if s.group_by == "model"}
    assert models == {
        "meta-llama/Meta-Llama-3-8B-Instruct": pytest.approx(30.43),
        "mistralai/Mistral-7B-Instruct-v0.2": pytest.approx(29.58),
    }


def test_records_keyed_by_concurrency_are_one_table_and_their_restatement_a_copy(
    tmp_path: Path,
) -> None:
    """philschmid/llmperf-bench: `<model>_tp_1_results.json` holds LLMPerf's summary per
    concurrency keyed "1", "2", ... and `<model>_tp_1_summary.json` restates three of its
    figures per key as `first-time-to-token_mean_in_ms`, `throughput_token_per_s` and
    `latency_ms_per_token`. Each key's record had its own columns (so no run could be matched
    to another), and the TTFT and per-token latency names were not read: the restatement
    was counted beside its source. Records keyed by numbers are one table's rows; a unit in
    words (`_in_ms`) and a time per token (the inter-token latency) are read."""
    results, summary = {}, {}
    runs = {1: (0.158138575, 30.4336497, 0.0303177042), 8: (0.547670831, 187.312363, 0.0372419431),
            64: (4.86217003, 365.112344, 0.0716601133)}  # fmt: skip
    for c, (ttft_s, rate, itl_s) in runs.items():
        results[str(c)] = {
            "model": "meta-llama/Meta-Llama-3-8B-Instruct", "num_concurrent_requests": c,
            "results_ttft_s_mean": ttft_s, "results_inter_token_latency_s_mean": itl_s,
            "results_mean_output_throughput_token_per_s": rate,
        }  # fmt: skip
        summary[str(c)] = {
            "concurrency": c, "first-time-to-token_mean_in_ms": ttft_s * 1000,
            "throughput_token_per_s": rate, "latency_ms_per_token": itl_s * 1000,
        }  # fmt: skip
    stem = "meta-llama_Meta-Llama-3-8B-Instruct_tp_1"
    _write(tmp_path / f"{stem}_results.json", json.dumps(results))
    _write(tmp_path / f"{stem}_summary.json", json.dumps(summary))
    digest = digest_of(tmp_path)
    assert [(d.path, d.of, d.rows) for d in digest.duplicates] == [
        (f"{stem}_summary.json", f"{stem}_results.json", 3)
    ]
    itl = [s for s in digest.stats if s.metric == "itl_ms" and s.group_by == "file"]
    assert {s.group for s in itl} == {f"{stem}_results.json"}


def test_tpot_and_itl_are_two_metrics(tmp_path: Path) -> None:
    """vLLM's bench writes TPOT (a request's decode time per token) beside ITL (the gap
    between two tokens); its p99s differ by far (23.3 against 9.1 ms). They were one metric,
    `itl_ms`, holding TPOT's figures."""
    result = {
        "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct", "completed": 100,
        "mean_tpot_ms": 8.1, "p99_tpot_ms": 9.1, "mean_itl_ms": 8.0, "p99_itl_ms": 23.3,
        "output_throughput": 900.0,
    }  # fmt: skip
    _write(tmp_path / "bench.json", json.dumps(result))
    stats = digest_of(tmp_path).stats
    found = {(s.metric, s.aggregate): s.mean for s in stats if s.group_by is None}
    assert found[("tpot_ms", "p99")] == pytest.approx(9.1)
    assert found[("itl_ms", "p99")] == pytest.approx(23.3)


def test_a_null_effect_shows_the_means_its_change_is_of(tmp_path: Path) -> None:
    """Two settings that agree on the prompts both ran, one with an extra prompt of its own:
    "no measurable effect ... the levels differ by 0.3 %" stood beside each level's mean over
    its own prompts (170.20 against 112.80 tok/s: dennislee22's Test 2 against Test 3)."""
    rows = ["model,num_ctx,prompt,tokens_per_s"]
    for ctx, shift in ((2048, 0.0), (4096, 0.3)):
        for prompt, base in (("p1", 100), ("p2", 120), ("p3", 140), ("p4", 90)):
            rows += [f"gemma3:4b,{ctx},{prompt},{base + d + shift}" for d in (0.4, -0.2, -0.2)]
    rows += [f"gemma3:4b,2048,p5,{400 + r}" for r in range(3)]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    found = compute_findings(digest_of(tmp_path))
    (null,) = [f for f in found if f.kind == "setting_effect"]
    assert null.verdict == "no measurable effect"
    assert "112.50 tok/s at num_ctx=2048, 112.80 tok/s at num_ctx=4096 over the 4" in null.text
    assert "170.20" not in null.text


# mlx_transformers_benchmark's benchmark_results.csv: one row per model, framework, runtime,
# dtype and prompt length (each the mean of the tool's iterations).
_MTB_HEADER = (
    "name,framework,backend,batch_size,dtype,num_prompt_tokens,num_generated_tokens,"
    "prompt_tps,prompt_time_sec,generation_tps,generation_time_sec\n"
)


def _mtb_rows(name: str, framework: str, backend: str, dtype: str, rates: dict) -> str:
    return "".join(
        f"{name},{framework},{backend},1,{dtype},{n},100.0,{pp},{n / pp},{tg},{100 / tg}\n"
        for n, (pp, tg) in rates.items()
    )


def test_a_framework_benchmarks_name_dtype_and_prompt_lengths_are_its_identity(
    tmp_path: Path,
) -> None:
    """aukejw/mlx_transformers_benchmark: `name` is the model, `dtype` (int4, bfloat16) the
    weights' quantisation and num_prompt_tokens 64/1024/4096 a sweep of prompt lengths. Read
    as nothing, every model, dtype and length of MLX was one "model not stated" setup whose
    "repetitions" ran 17.7 to 461.7 tok/s (CV 81 %)."""
    lengths = {64: (900.0, 400.0), 1024: (5500.0, 376.0), 4096: (6200.0, 318.0)}
    text = _MTB_HEADER
    text += _mtb_rows("qwen-2.5-0.5b-it", "mlx", "metal", "int4", lengths)
    text += _mtb_rows("qwen-2.5-0.5b-it", "mlx", "metal", "bfloat16",
                      {n: (pp / 2, tg / 2) for n, (pp, tg) in lengths.items()})  # fmt: skip
    text += _mtb_rows("gemma-3-1b-it", "mlx", "metal", "int4",
                      {n: (pp / 3, tg / 3) for n, (pp, tg) in lengths.items()})  # fmt: skip
    _write(tmp_path / "Apple_M4_Pro" / "2025-04-27__13:25:50" / "benchmark_results.csv", text)
    digest = digest_of(tmp_path)
    per_setup = {
        (s.group.split(" / ")[0], s.group.split(" / ")[1], s.workload): s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert per_setup[
        ("qwen-2.5-0.5b-it", "num_batch=1, quantization=int4", "4096-token prompt")
    ] == (pytest.approx(318.0))
    assert per_setup[("gemma-3-1b-it", "num_batch=1, quantization=int4", "64-token prompt")] == (
        pytest.approx(400.0 / 3)
    )
    assert len(per_setup) == 9  # 3 setups x 3 prompt lengths, none pooled
    assert "model not stated" not in {s.group for s in digest.stats if s.group_by == "model"}


def test_a_name_column_that_names_no_model_states_none(tmp_path: Path) -> None:
    """A bare `name` is a model only in the cells that name one: a test's name is not."""
    _write(tmp_path / "r.csv", "name,tokens_per_s\npp512,900\ntg128,40\n")
    models = {s.group for s in digest_of(tmp_path).stats if s.group_by == "model"}
    assert models == {"model not stated"}


def test_a_runtime_beside_the_framework_is_part_of_the_engine(tmp_path: Path) -> None:
    """LM Studio's `backend` metal+llama.cpp and mlx (and PyTorch's mps) are runtimes: LM
    Studio on its MLX runtime ran 1.5x LM Studio on llama.cpp, which pooled as one engine was
    "sessions that disagree for a reason the files do not record"."""
    lengths = {64: (300.0, 40.0), 1024: (400.0, 38.0)}
    text = _MTB_HEADER + _mtb_rows("Deepseek-R1-Distill-7B", "lmstudio", "metal+llama.cpp",
                                   "int4", lengths)  # fmt: skip
    text += _mtb_rows("Deepseek-R1-Distill-7B", "lmstudio", "mlx", "int4",
                      {n: (pp, tg * 1.4) for n, (pp, tg) in lengths.items()})  # fmt: skip
    text += _mtb_rows("Deepseek-R1-Distill-7B", "torch", "mps", "int4",
                      {n: (pp, tg / 4) for n, (pp, tg) in lengths.items()})  # fmt: skip
    _write(tmp_path / "Apple_M4_Pro" / "run" / "benchmark_results.csv", text)
    digest = digest_of(tmp_path)
    assert {s.engine for s in digest.scopes} == {
        "LM Studio (metal+llama.cpp)", "LM Studio (mlx)", "PyTorch (mps)",
    }  # fmt: skip
    texts = " ".join(f.text for f in compute_findings(digest))
    assert "LM Studio (mlx) against LM Studio (metal+llama.cpp)" in texts or (
        "LM Studio (mlx) is 40.0 % faster than LM Studio (metal+llama.cpp)" in texts
    )


_PIVOT_NOTE = """# Benchmarking ML Engines

## A100 80GB Inference Bench:

**Environment:**
- Model: LLAMA-2-7B
- Command: `./benchmark.sh --repetitions 10 --max_tokens 512 --device cuda --prompt 'x'`

**Performance Metrics:** (unit: Tokens / second)

| Engine                       | float32      | float16        | int8          | int4          |
|------------------------------|--------------|----------------|---------------|---------------|
| burn                         | 13.12 ± 0.85 |      -         |      -        |      -        |
| [llama.cpp](/bench_llamacpp/)|      -       |      -         | 79.15 ± 1.20  | 100.90 ± 1.46 |
| ctransformers                |      -       |      -         | 76.75 ± 10.36 | 84.26 ± 5.79  |
| transformers (pytorch)       | 43.79 ± 0.61 | 46.39 ± 0.28   | 6.98 ± 0.05   | 21.72 ± 0.11  |

## M2 MAX 32GB Inference Bench:

### GPU (Metal)

**Command:** `./benchmark.sh --repetitions 10 --max_tokens 512 --device metal --prompt 'x'`

**Performance Metrics:** (unit: Tokens / second)
| Engine                | float32      | float16       | int8         | int4         |
|-----------------------|--------------|---------------|--------------|--------------|
| burn                  |      -       |      -        |      -       |      -       |
| llama.cpp             |      -       |      -        | 30.11 ± 0.45 | 44.27 ± 0.12 |
| tinygrad              |      -       | 29.78 ± 1.18  |      -       |      -       |

### Mistral 7B v0.1 Instruct

**Performance Metrics:** GPU Memory Consumption (unit: MB)

| Engine    | float32  | float16  | int8     | int4     |
| --------- | -------- | -------- | -------- | -------- |
| llama.cpp | -        | -        | 9141.49  | 5880.41  |
"""


def test_an_engine_by_precision_table_under_its_unit_is_read_cell_by_cell(
    tmp_path: Path,
) -> None:
    """premAI-io/benchmarks' `| Engine | float32 | float16 | int8 | int4 |` tables state their
    metric only above them ("(unit: Tokens / second)"): read as nothing. Each cell is a
    reported mean of one engine at one precision, on the machine its heading names, with the
    model its `- Model:` line names and the device its command ran on; engines Chimera does
    not know (burn, tinygrad) stay apart, and ctransformers is not Hugging Face's."""
    _write(tmp_path / "docs" / "llama2.md", _PIVOT_NOTE)
    digest = digest_of(tmp_path)
    cells = {
        (s.machine, s.engine, s.group): s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    }
    assert cells[("A100", "llama.cpp", "LLAMA-2-7B / quantization=int4, device=gpu")] == (
        pytest.approx(100.90)
    )
    assert cells[("M2 MAX 32GB", "llama.cpp", "LLAMA-2-7B / quantization=int4, device=gpu")] == (
        pytest.approx(44.27)
    )
    assert cells[("A100", "burn", "LLAMA-2-7B / quantization=float32, device=gpu")] == (
        pytest.approx(13.12)
    )
    assert cells[("A100", "ctransformers", "LLAMA-2-7B / quantization=int8, device=gpu")] == (
        pytest.approx(76.75)
    )
    assert cells[("M2 MAX 32GB", "tinygrad", "LLAMA-2-7B / quantization=float16, device=gpu")] == (
        pytest.approx(29.78)
    )
    assert len(cells) == 12  # 4 + 2 + 2 + 1 + 2 + 1 figure cells; the MB table is no rate
    assert all(s.aggregate == "mean" for s in digest.stats if s.metric == "tokens_per_s")


def test_a_heading_that_is_a_models_name_in_words_names_the_table_below() -> None:
    from chimera.ingest.digest.identity import model_from_words

    assert model_from_words("Llama 2 7B Chat") == "Llama 2 7B Chat"
    assert model_from_words("Mistral 7B v0.1 Instruct") == "Mistral 7B v0.1 Instruct"
    assert model_from_words("A100 80GB Inference Bench:") is None
    assert model_from_words("Llama 2 on an RTX 4090") is None


_LADDER_HEADER = (
    "model,topology,nodes,quant,context_tokens,prompt_tps,generation_tps,peak_memory_gb,"
    "ttft_seconds,ttft_minutes,feasibility,node\n"
)


def test_a_context_ladder_and_a_cluster_topology_are_workload_and_settings(
    tmp_path: Path,
) -> None:
    """guruswami-ai/mlx-benchmarks: one row per model, topology (SINGLE, TP2 over two Macs),
    quantisation and context length (1024 ... 131072 tokens filled). The context ladder read
    as repetitions ("n=7, too few to tell") and the two-node runs pooled with one-node ones."""
    rows = [
        ("SINGLE", 1, "Q4", 1024, 1557.35, 164.22), ("SINGLE", 1, "Q4", 4096, 1517.70, 148.04),
        ("SINGLE", 1, "Q4", 32768, 1000.19, 78.46), ("TP2", 2, "Q4", 1024, 2100.0, 120.5),
        ("TP2", 2, "Q4", 4096, 2050.0, 112.0), ("TP2", 2, "Q4", 32768, 1500.0, 70.0),
        ("SINGLE", 1, "Q4", 131072, 463.09, 30.75),  # one setup alone ran the longest
    ]  # fmt: skip
    text = _LADDER_HEADER + "".join(
        f"Meta-Llama-3.1-8B-Instruct,{t},{n},{q},{c},{pp},{tg},3.4,{c / pp:.1f},0.01,"
        f"practical,muladhara\n"
        for t, n, q, c, pp, tg in rows
    )
    _write(tmp_path / "results" / "llama-8b" / "benchmark-results.csv", text)
    digest = digest_of(tmp_path)
    per_setup = {
        (s.group.split(" / ")[1], s.workload): s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert per_setup[("quantization=Q4, topology=SINGLE, nodes=1", "32768-token prompt")] == (
        pytest.approx(78.46)
    )
    assert per_setup[("quantization=Q4, topology=TP2, nodes=2", "1024-token prompt")] == (
        pytest.approx(120.5)
    )
    assert per_setup[("quantization=Q4, topology=SINGLE, nodes=1", "131072-token prompt")] == (
        pytest.approx(30.75)
    )
    assert len(per_setup) == 7


def test_a_prompt_tier_is_the_workload(tmp_path: Path) -> None:
    """LLM Space Heater's summaries (gpu_name, model_name, quantization, context_length,
    prompt_tier tiny/medium/..., avg_tps over num_runs): a tier is the prompt a row ran."""
    text = "gpu_name,model_name,quantization,context_length,prompt_tier,avg_tps,num_runs\n"
    text += "NVIDIA GeForce RTX 4090,Llama-3.1-8B-Instruct,Q4_K_M,8192,tiny,150.0,40\n"
    text += "NVIDIA GeForce RTX 4090,Llama-3.1-8B-Instruct,Q4_K_M,8192,xlarge,110.0,40\n"
    _write(tmp_path / "NVIDIA-GeForce-RTX-4090-summary.csv", text)
    workloads = {
        s.workload: s.mean
        for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert workloads == {"tiny": pytest.approx(150.0), "xlarge": pytest.approx(110.0)}


def test_rows_of_two_model_families_are_never_one_run_read_twice(tmp_path: Path) -> None:
    """Mixtral Q2 and DeepSeek-Coder Q6 at 16k context agreed within 1 % on their rounded
    figures (1258.04 vs 1262.182 tok/s prompt, 43.58 vs 43.196 tok/s, TTFT 13.0 s): two
    models' runs, not a copy."""
    head = "model,quant,context_tokens,prompt_tps,generation_tps,ttft_seconds\n"
    _write(
        tmp_path / "mixtral" / "r.csv",
        head + "Mixtral-8x7B-Instruct,Q2,16384,1258.04,43.58,13.0\n"
        "Mixtral-8x7B-Instruct,Q2,1024,787.75,69.09,1.3\n",
    )
    _write(
        tmp_path / "coder" / "r.csv",
        head + "DeepSeek-Coder-6.7B-Instruct,Q6,16384,1262.182,43.196,13.0\n"
        "DeepSeek-Coder-6.7B-Instruct,Q6,1024,1646.761,119.007,0.6\n",
    )
    assert digest_of(tmp_path).duplicates == []


def test_an_outcome_that_names_a_failure_is_a_failed_row(tmp_path: Path) -> None:
    """guruswami-ai/mlx-benchmarks writes why a run failed in `feasibility` (gpu_timeout,
    oom_614gb_exceeds_512gb) beside empty figures: failed rows, listed, their context length
    not counted as a prompt; `practical` and `batch_only` rows are measurements."""
    text = _LADDER_HEADER + (
        "Kimi-K2.5,SINGLE,1,Q4,0,,,614.0,,,oom_614gb_exceeds_512gb,\n"
        "Kimi-K2.5,TP4,4,Q4,1024,600.5,16.11,250.0,1.7,0.03,practical,a+b+c+d\n"
        "Kimi-K2.5,TP4,4,Q4,4096,550.2,15.01,251.0,7.4,0.12,batch_only,a+b+c+d\n"
        "Llama-3.1-405B-Instruct,PP4,4,Q4,1024,,,,,,gpu_timeout,Metal GPU timeout\n"
    )
    _write(tmp_path / "results" / "kimi" / "benchmark-results.csv", text)
    digest = digest_of(tmp_path)
    assert sum(e.count for e in digest.error_rows) == 2
    rates = digest.find("tokens_per_s", None, None)
    assert rates is not None and rates.n == 2


_MLX_VERBOSE = """$ mlx_lm.generate --model mlx-community/Qwen3-8B-4bit --prompt "hi" -m 200
==========
An answer.
==========
Prompt: 57 tokens, 462.485 tokens-per-sec
Generation: 200 tokens, 43.154 tokens-per-sec
Peak memory: 15.047 GB
==========
Another answer.
==========
Prompt: 57 tokens, 470.100 tokens-per-sec
Generation: 200 tokens, 43.902 tokens-per-sec
Peak memory: 15.047 GB
"""


def test_mlx_lm_generate_verbose_lines_are_runs(tmp_path: Path) -> None:
    """`mlx_lm.generate --verbose` prints `Prompt: N tokens, X tokens-per-sec` and
    `Generation: N tokens, X tokens-per-sec` per run: a text file or a note holding them read
    as nothing (0 rows, not even listed as unread figures)."""
    _write(tmp_path / "run.txt", _MLX_VERBOSE)
    _write(
        tmp_path / "notes" / "m4.md",
        "# M4 Max\n\n```\n" + _MLX_VERBOSE.replace("43.", "44.") + "```\n",
    )
    digest = digest_of(tmp_path)
    per_file = {
        (s.metric, s.group): (s.mean, s.n, s.engine)
        for s in digest.stats
        if s.group_by == "model+file"
    }
    model = "mlx-community/Qwen3-8B-4bit"
    assert per_file[("tokens_per_s", f"{model} / run.txt")] == (pytest.approx(43.528), 2, "MLX")
    assert per_file[("prompt_tokens_per_s", f"{model} / run.txt")][0] == pytest.approx(466.2925)
    assert per_file[("tokens_per_s", f"{model} / notes/m4.md")][:2] == (pytest.approx(44.528), 2)


def test_a_koboldcpp_benchmark_csv_is_read(tmp_path: Path) -> None:
    """KoboldCpp's `--benchmark FILE` appends a row per run (Timestamp,Backend,Layers,Model,
    MaxCtx,GenAmount,ProcessingTime,ProcessingSpeed,GenerationTime,GenerationSpeed,TotalTime,
    Output,Flags; times in seconds its names do not say): it read as "no recognised metric".
    Its library names the backend (cuBLAS against Vulkan: two engines), Layers is --gpulayers,
    and ProcessingTime is seconds like the GenerationTime that GenAmount / GenerationSpeed
    prove to be (it was "plausible only as ms": 3.12 ms for 8,092 tokens)."""
    flags = "\"{'model': [], 'contextsize': 8192}\""
    rows = [
        ("koboldcpp_cublas.so", 99, 3.12, 2593.59, 2.45, 40.82, 5.57),
        ("koboldcpp_cublas.so", 20, 9.80, 825.51, 6.01, 16.64, 15.81),
        ("koboldcpp_vulkan.so", 99, 4.01, 2018.0, 2.90, 34.48, 6.91),
    ]
    text = (
        "Timestamp,Backend,Layers,Model,MaxCtx,GenAmount,ProcessingTime,ProcessingSpeed,"
        "GenerationTime,GenerationSpeed,TotalTime,Output,Flags"
    )
    for lib, layers, tpp, spp, tgen, sgen, total in rows:
        text += (
            f"\n2025-03-01 10:00:00+00:00,{lib},{layers},Mistral-Nemo-Q4_K_M,8192,100,"
            f"{tpp},{spp},{tgen},{sgen},{total}, Hello w,{flags}"
        )
    _write(tmp_path / "kcpp_bench.csv", text)
    digest = digest_of(tmp_path)
    cells = {
        (s.metric, s.engine, s.group): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name"
    }
    setup = "Mistral-Nemo-Q4_K_M / num_gpu=99, num_ctx=8192"
    assert cells[("tokens_per_s", "KoboldCpp (cublas)", setup)] == pytest.approx(40.82)
    assert cells[("tokens_per_s", "KoboldCpp (vulkan)", setup)] == pytest.approx(34.48)
    assert cells[("prompt_tokens_per_s", "KoboldCpp (cublas)", setup)] == pytest.approx(2593.59)
    assert cells[("prompt_eval_ms", "KoboldCpp (cublas)", setup)] == pytest.approx(3120.0)
    assert cells[("eval_ms", "KoboldCpp (cublas)", setup)] == pytest.approx(2450.0)


def _trtllm_report(tp: int, output_tps: float, ttft: float) -> str:
    """trtllm-bench throughput's console report, cut to the sections read."""
    return f"""===========================================================
= PYTORCH BACKEND
===========================================================
Model:                  meta-llama/Llama-3.1-8B-Instruct
TensorRT-LLM Version:   1.1.0rc2
Quantization:           None
===========================================================
= REQUEST DETAILS
===========================================================
Number of requests:             100
Average Input Length (tokens):  128.0000
Average Output Length (tokens): 128.0000
===========================================================
= WORLD + RUNTIME INFORMATION
===========================================================
TP Size:                {tp}
PP Size:                1
===========================================================
= PERFORMANCE OVERVIEW
===========================================================
Request Throughput (req/sec):                     86.5373
Total Output Throughput (tokens/sec):             {output_tps}
Total Token Throughput (tokens/sec):              22153.5399
Total Latency (ms):                               1155.5715
Average request latency (ms):                     1093.2284
Per GPU Output Throughput (tps/gpu):              {output_tps / tp}
Average time-to-first-token [TTFT] (ms):   {ttft}
Average time-per-output-token [TPOT] (ms): 7.3272

-- Per-Request Time-per-Output-Token [TPOT] Breakdown (ms)

[TPOT] P50    : 7.6079
[TPOT] P99    : 8.1306
"""


def test_trtllm_bench_reports_are_runs(tmp_path: Path) -> None:
    """trtllm-bench prints `= PERFORMANCE OVERVIEW` with `Total Output Throughput
    (tokens/sec)`, `Average time-to-first-token [TTFT] (ms)`, ...: a log of two runs (TP 1
    and TP 2) read as nothing, not even listed as unread figures."""
    _write(
        tmp_path / "bench.log",
        _trtllm_report(1, 11076.77, 162.67) + _trtllm_report(2, 15000.5, 120.4),
    )
    digest = digest_of(tmp_path)
    cells = {
        (s.metric, s.group, s.workload, s.engine): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.aggregate in (None, "mean")
    }
    model, workload = "meta-llama/Llama-3.1-8B-Instruct", "input 128 / output 128"
    tp2 = (f"{model} / tensor_parallel=2", workload, "TensorRT-LLM")
    assert cells[("tokens_per_s", *tp2)] == pytest.approx(15000.5)
    assert cells[("ttft_ms", *tp2)] == pytest.approx(120.4)
    assert cells[("tokens_per_s", f"{model} / tensor_parallel=1", workload, "TensorRT-LLM")] == (
        pytest.approx(11076.77)
    )
    assert not any(s.metric == "latency_ms" and s.mean > 1100 for s in digest.stats)


def _trtllm_016_report(isl: int, osl: int, requests: int, tps: float, rps: float) -> str:
    """trtllm-bench 0.16's report: the lengths inside PERFORMANCE OVERVIEW, its output rate
    named `Token Throughput (tokens/sec)` (output tokens over the whole benchmark's time)."""
    return f"""===========================================================
= ENGINE DETAILS
===========================================================
Model:\t\t\tmeta-llama/Llama-3.1-70B-Instruct
TensorRT-LLM Version:\t0.16.0
Quantization:\t\tFP8

===========================================================
= WORLD + RUNTIME INFORMATION{" "}
===========================================================
TP Size:\t\t8
PP Size:\t\t1

===========================================================
= PERFORMANCE OVERVIEW{" "}
===========================================================
Number of requests:\t\t{requests}
Average Input Length (tokens):\t{isl}.0000
Average Output Length (tokens):\t{osl}.0000
Token Throughput (tokens/sec):\t{tps}
Request Throughput (req/sec):\t{rps}
Total Latency (ms):\t\t266855.7100

===========================================================
"""


def test_trtllm_bench_016_reports_read_their_token_rate_and_lengths(tmp_path: Path) -> None:
    """shaamil101-etched/trtllm-benchmarks: 63 trtllm-bench 0.16 reports of an ISL x OSL
    sweep. Their `Token Throughput (tokens/sec)` went unread (only requests per second), and
    the lengths, printed inside PERFORMANCE OVERVIEW, were not read as the workload: the 63
    input/output shapes pooled into one group, "n=63" as if repetitions."""
    for isl, osl, requests, tps, rps in ((128, 128, 30000, 14389.7989, 112.4203),
                                         (1024, 1024, 3000, 10893.8728, 10.6385)):  # fmt: skip
        report = _trtllm_016_report(isl, osl, requests, tps, rps)
        _write(tmp_path / f"result_{isl}_{osl}.txt", report)
    digest = digest_of(tmp_path)
    cells = {
        (s.metric, s.workload): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload"
    }
    assert cells[("tokens_per_s", "input 128 / output 128")] == pytest.approx(14389.7989)
    assert cells[("tokens_per_s", "input 1024 / output 1024")] == pytest.approx(10893.8728)
    assert cells[("requests_per_s", "input 1024 / output 1024")] == pytest.approx(10.6385)
    assert not any(s.metric == "latency_ms" for s in digest.stats)


def test_an_overview_of_a_length_sweep_does_not_average_its_workloads(tmp_path: Path) -> None:
    """The same sweep, nothing to compare (one model, one setting): "Mean throughput over all
    63 rows is 7223.47 tok/s", a mean of 63 input/output shapes that is none of them. The
    overview names the range and the workloads at its ends instead."""
    sweep = ((128, 1024, 19787.6318), (16384, 128, 230.4083), (1024, 1024, 10893.8728))
    for isl, osl, tps in sweep:
        _write(tmp_path / f"result_{isl}_{osl}.txt", _trtllm_016_report(isl, osl, 100, tps, 1.0))
    (overview,) = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "overview"]
    assert "from 230.41 tok/s (input 16384 / output 128)" in overview.text
    assert "to 19,787.63 tok/s (input 128 / output 1024)" in overview.text
    assert "pools different workloads" in overview.text
    assert not overview.text.startswith("Mean throughput")


def test_trtllm_bench_quantization_and_kv_cache_dtype_are_settings(tmp_path: Path) -> None:
    """shaamil101-etched/trtllm-benchmarks: ENGINE DETAILS states `Quantization: FP8` and
    `KV Cache Dtype: FP8`, read as nothing: an FP8 engine and an NVFP4 one of the same model
    and lengths pooled as repetitions of one setup."""
    for run, quant, tps in (("a", "FP8", 10269.19), ("b", "NVFP4", 13150.4)):
        report = _trtllm_016_report(256, 128, 20000, tps, 80.2).replace(
            "Quantization:\t\tFP8", f"KV Cache Dtype:\t\tFP8\nQuantization:\t\t{quant}"
        )
        _write(tmp_path / f"{run}/result_256_128.txt", report)
    digest = digest_of(tmp_path)
    cells = {
        s.group: s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
    }
    model = "meta-llama/Llama-3.1-70B-Instruct"
    fp8 = f"{model} / quantization=FP8, tensor_parallel=8, kv_cache_dtype=FP8"
    assert cells[fp8] == pytest.approx(10269.19)
    assert cells[fp8.replace("quantization=FP8", "quantization=NVFP4")] == pytest.approx(13150.4)


def test_a_summary_csv_of_the_reports_is_their_copy_and_keeps_their_lengths(
    tmp_path: Path,
) -> None:
    """shaamil101-etched/trtllm-benchmarks: `analysis/throughput_summary.csv` (ISL, OSL,
    Requests, Token_Throughput, Request_Throughput) restates the 63 reports of `results/`, one
    row per report. It was read as 63 already-averaged request rates of one setup ("model not
    stated / settings not stated: mean 12.4 req/s"): Token_Throughput unread, ISL and OSL not
    the workload, and never said to repeat the reports. Its folder sorts before `results/`, so
    a copy found then would have set the reports apart as repeating the summary."""
    sweep = ((128, 1024, 7500, 19787.6318, 19.3239), (1024, 1024, 3000, 10893.8728, 10.6385),
             (16384, 128, 400, 230.4083, 1.8001))  # fmt: skip
    lines = ["ISL,OSL,Requests,Token_Throughput,Request_Throughput,Avg_Input_Len,Avg_Output_Len"]
    for isl, osl, requests, tps, rps in sweep:
        report = _trtllm_016_report(isl, osl, requests, tps, rps)
        _write(tmp_path / "results" / f"result_{isl}_{osl}_{requests}.txt", report)
        lines.append(f"{isl},{osl},{requests},{tps},{rps},{isl}.0000,{osl}.0000")
    _write(tmp_path / "analysis" / "throughput_summary.csv", "\n".join(lines) + "\n")
    digest = digest_of(tmp_path)
    (copy,) = digest.duplicates
    assert copy.path == "analysis/throughput_summary.csv" and copy.rows == 3
    assert copy.of.startswith("results/result_")
    assert not any(s.aggregate is not None for s in digest.stats)
    tokens = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model"]
    assert [s.n for s in tokens] == [3]

    # Read alone, its rows are three workloads of tokens a second, not one setup's means.
    (tmp_path / "results").rename(tmp_path / "elsewhere")
    for report in (tmp_path / "elsewhere").iterdir():
        report.unlink()
    digest = digest_of(tmp_path)
    cells = {
        s.workload: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert cells == {
        "input 128 / output 1024": pytest.approx(19787.6318),
        "input 1024 / output 1024": pytest.approx(10893.8728),
        "input 16384 / output 128": pytest.approx(230.4083),
    }


def test_a_llama_bench_table_with_a_one_dash_separator_cell_is_read(tmp_path: Path) -> None:
    """PrismML-Eng/Bonsai-demo's community results: llama-bench pads `fa` to its name, so its
    separator cell is `-:`. A separator cell was taken to need two dashes: the table was no
    table, and the file's runs went unread without a word."""
    table = (
        "| model | size | params | backend | ngl | fa | test | t/s |\n"
        "| ------ | ---: | ---: | ---- | --: | -: | ---: | ---: |\n"
        "| qwen3 8B Q1_0 | 1.07 GiB | 8.19 B | CUDA | 99 | 1 | pp512 | 3978.15 ± 103.54 |\n"
        "| qwen3 8B Q1_0 | 1.07 GiB | 8.19 B | CUDA | 99 | 1 | tg128 | 159.44 ± 1.22 |\n"
    )
    _write(tmp_path / "cuda-gb10-linux.md", "# NVIDIA DGX Spark (GB10)\n\n" + table)
    rates = {
        s.metric: s.mean
        for s in digest_of(tmp_path).stats
        if s.group_by is None and s.aggregate != "std"
    }
    assert rates["tokens_per_s"] == pytest.approx(159.44)
    assert rates["prompt_tokens_per_s"] == pytest.approx(3978.15)


def _llama_bench_rows(model: str, pp: str, tg: str) -> str:
    return (
        "| model | size | params | backend | ngl | fa | test | t/s |\n"
        "| ----- | ---- | ------ | ------- | --- | -- | ---- | --- |\n"
        f"| {model} | 6.66 GiB | 26.90 B | CUDA | 99 | 1 | pp512 | {pp} |\n"
        f"| {model} | 6.66 GiB | 26.90 B | CUDA | 99 | 1 | tg128 | {tg} |\n"
    )


def test_a_notes_summary_table_restating_its_runs_is_counted_once(tmp_path: Path) -> None:
    """PrismML-Eng/Bonsai-demo's RTX 3080 Ti note: under `## Summary`, "| Model | Throughput |"
    restates each llama-bench table's tg128 below it (`27B | 62.98 tok/s` is `qwen35 27B Q2_0
    ... tg128 | 62.98 ± 0.70`). It was read as a second set of figures, models "27B" and "8B"
    with no engine. A table of the note whose every figure is another table's figure, each
    of a row that may be the same model, restates them; a table of figures of its own (the
    speculative decoding run, 65.1 tok/s) does not."""
    note = (
        "# RTX 3080 Ti - CUDA\n\n## Summary\n\n| Model | Throughput |\n| --- | --- |\n"
        "| 27B | 62.98 tok/s |\n| 8B | 197.16 tok/s |\n\n## llama-bench Results\n\n"
        "### Ternary-Bonsai-27B\n\n"
        + _llama_bench_rows("qwen35 27B Q2_0", "1383.62 ± 24.68", "62.98 ± 0.70")
        + "\n### Ternary-Bonsai-8B\n\n"
        + _llama_bench_rows("qwen3 8B Q2_0", "5184.86 ± 147.84", "197.16 ± 0.98")
        + "\n## Speculative Decoding\n\n| Configuration | Decode throughput |\n| --- | --- |\n"
        "| 27B target only | 65.1 tok/s |\n| 27B + `draft-dspark` | 95.9 tok/s |\n"
    )
    _write(tmp_path / "cuda-rtx3080ti-wsl.md", note)
    digest = digest_of(tmp_path)
    (restated,) = digest.duplicates
    assert (restated.path, restated.of, restated.rows) == (
        "cuda-rtx3080ti-wsl.md", "cuda-rtx3080ti-wsl.md", 2
    )  # fmt: skip
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert not models & {"27B", "8B"}
    rates = [s.mean for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model"]
    assert pytest.approx(80.5) in rates  # the speculative decoding table stays read
    (finding,) = [f for f in compute_findings(digest) if f.kind == "duplicates"]
    assert "2 rows of a summary table in cuda-rtx3080ti-wsl.md restate its other tables" in (
        finding.text
    )

    # The same figures under another model's size restate nothing: "4B" is no 27B run.
    _write(tmp_path / "cuda-rtx3080ti-wsl.md", note.replace("| 27B | 62.98", "| 4B | 62.98"))
    assert not digest_of(tmp_path).duplicates


def test_a_notes_tables_of_round_figures_or_two_machines_restate_nothing(tmp_path: Path) -> None:
    """One rule for a note's table restating its others (`duplicates.restated_rows`): a
    table's figures must each write three significant digits or more, and each be of the
    machine its source row is of. Two tables of a note with the same round TTFTs (45, 52 ms)
    or the same rates measured on two machines are two sets of runs, not one restated."""
    note = (
        "# Latency\n\n## vLLM\n\n| Model | TTFT (ms) |\n| --- | --- |\n"
        "| llama-3-8b | 45 |\n| qwen2-7b | 52 |\n\n## SGLang\n\n"
        "| Model | TTFT (ms) |\n| --- | --- |\n| llama-3-8b | 45 |\n| qwen2-7b | 52 |\n"
    )
    _write(tmp_path / "latency.md", note)
    assert not digest_of(tmp_path).duplicates
    rates = "| Model | tok/s |\n| --- | --- |\n| llama-3-8b | 62.98 |\n| qwen2-7b | 57.31 |\n"
    _write(
        tmp_path / "latency.md",
        f"# Rates\n\n## Results on RTX 4090\n\n{rates}\n## Results on RTX 3090\n\n{rates}",
    )
    assert not digest_of(tmp_path).duplicates


def test_a_notes_table_quoting_one_files_runs_is_counted_once(tmp_path: Path) -> None:
    """guruswami/chakra's FINDINGS.md: "| Context | TPS |" (1024: 2.99, 4096: 2.94, ... 65536:
    2.09) quotes Llama 405B Q4's generation_tps rows of results/llama-405b/benchmark-results.csv
    (2.99 ... 2.09 at those contexts). One figure a row makes no fingerprint pair: the note's
    rows were read as six more runs of "model not stated". A note's table whose every figure
    is one data file's, to its written digits, each another row, quotes that file, where so
    many matches could not be chance; a note's round figures near a file's are not."""
    rows = ["model,quant,context_tokens,generation_tps"]
    rates = (2.99, 2.94, 2.86, 2.71, 2.5, 2.09)
    for quant, scale in (("Q2", 1.7), ("Q4", 1.0), ("Q6", 0.7)):
        rows += [f"Llama-3.1-405B,{quant},{1024 * 4**i},{round(r * scale, 2)}"
                 for i, r in enumerate(rates)]  # fmt: skip
    _write(tmp_path / "results" / "benchmark-results.csv", "\n".join(rows) + "\n")
    table = "".join(f"| {1024 * 4**i} | {r:.2f} |\n" for i, r in enumerate(rates))
    _write(
        tmp_path / "docs" / "FINDINGS.md", "# Findings\n\n| Context | TPS |\n|---|---|\n" + table
    )
    digest = digest_of(tmp_path)
    (quote,) = digest.duplicates
    assert (quote.path, quote.of, quote.rows) == (
        "docs/FINDINGS.md", "results/benchmark-results.csv", 6
    )  # fmt: skip
    assert not [s for s in digest.stats if s.file == "docs/FINDINGS.md"]

    # Two round figures near two of the file's 18 rates say nothing of where they came from.
    _write(
        tmp_path / "docs" / "FINDINGS.md",
        "# F\n\n| Model | TPS |\n|---|---|\n| a | 3 |\n| b | 5 |\n",
    )
    assert not digest_of(tmp_path).duplicates


def test_two_runs_alike_but_for_their_percentiles_are_two_runs(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm: two sweeps of TensorRT-LLM NVFP4 (results_trtllm_nvfp4.json,
    3 rounds; ..._v2.json, 10 rounds) agree at concurrency 4 on qps (1.932), out_tok_s (494.5)
    and nearly on tpot (7.93 / 7.92 ms), not on TTFT p50 (47.8 / 48.1 ms) or p95 (48.3 /
    50.6): read as one run, the v2 rows "repeat runs of" the first sweep. A record's
    percentiles are its run's: a copy keeps them to the digits it writes. summary.csv, which
    restates both sweeps, is matched row by row with the sweep each row copies."""

    def rows(*found: tuple) -> list[dict]:
        keys = ("concurrency", "qps", "out_tok_s", "ttft_p50_ms", "ttft_p95_ms", "tpot_mean_ms")
        return [dict(zip(keys, f, strict=True)) for f in found]

    first = rows((4, 1.932, 494.5, 47.8, 48.3, 7.93), (8, 3.824, 978.8, 49.1, 49.5, 8.01))
    second = rows((4, 1.932, 494.5, 48.1, 50.6, 7.92), (8, 3.82, 977.8, 50.4, 52.0, 8.01))
    for tag, found in (("trtllm_nvfp4", first), ("trtllm_nvfp4_v2", second)):
        document = {"tag": tag, "model": "llama31-8b-nvfp4", "osl": 256, "rows": found}
        _write(tmp_path / f"results_{tag}.json", json.dumps(document))
    summary = ["tag,concurrency,qps,out_tok_s,ttft_p50_ms,tpot_mean_ms"] + [
        f"{tag},{r['concurrency']},{r['qps']},{r['out_tok_s']},{r['ttft_p50_ms']},"
        f"{r['tpot_mean_ms']}"
        for tag, found in (("trtllm_nvfp4", first), ("trtllm_nvfp4_v2", second))
        for r in found
    ]
    _write(tmp_path / "summary.csv", "\n".join(summary) + "\n")
    (copy,) = digest_of(tmp_path).duplicates
    assert copy.path == "summary.csv" and copy.rows == 4
    assert copy.of == "results_trtllm_nvfp4.json and results_trtllm_nvfp4_v2.json"


def test_out_tok_s_is_the_output_rate(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm's harness writes `out_tok_s` (output tokens a second of the
    whole load) beside `qps`: no known name, so only requests a second were read and no
    throughput of any of its 12 sweeps was known."""
    document = {"tag": "vllm_fp8", "model": "m", "osl": 256, "rows": [
        {"concurrency": 1, "qps": 0.333, "out_tok_s": 83.9, "ttft_p50_ms": 17.2},
        {"concurrency": 2, "qps": 0.669, "out_tok_s": 160.1, "ttft_p50_ms": 18.0},
    ]}  # fmt: skip
    _write(tmp_path / "results_vllm_fp8.json", json.dumps(document))
    rates = sorted(
        s.mean for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    )  # fmt: skip
    assert rates == [83.9, 160.1]


def test_a_rate_per_dollar_is_no_rate(tmp_path: Path) -> None:
    """newbdez33/llm-mac-512's final-comparison note: "| 方案 | TPS | 性价比 (TPS/$) |" (tokens
    a second per dollar of hardware, 2.87 beside 37.37 tok/s) was read as a second tok/s
    column, its 2.87 and 1.07 pooled with the rates."""
    _write(tmp_path / "final-comparison.md", (
        "| 方案 | TPS | 性价比 (TPS/$) |\n|---|---|---|\n| MiniMax Q4_K_S | 37.37 | 2.87 |\n"
        "| MiniMax 8-bit | 25.98 | 1.07 |\n"
    ))  # fmt: skip
    rates = [
        (s.n, s.mean) for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model"
    ]  # fmt: skip
    assert rates == [(2, pytest.approx((37.37 + 25.98) / 2))]


def test_mlx_lm_benchmark_trials_are_runs(tmp_path: Path) -> None:
    """PrismML-Eng/Bonsai-demo's M4 Pro note holds `mlx_lm.benchmark`'s output in a code
    block: five `Trial N:  prompt_tps=..., generation_tps=...` lines and their `Averages:`.
    No reader knew them: the MLX run was read as nothing. Each trial is a run (the averages
    line is not read again), the token counts the workload, the engine MLX."""
    trials = "\n".join(
        f"Trial {i}:  prompt_tps={p}, generation_tps={g}, peak_memory=8.976, total_time=9.0"
        for i, (p, g) in enumerate(((133.651, 25.547), (127.598, 25.133), (114.624, 24.695)), 1)
    )
    note = (
        "# Apple M4 Pro - MLX (2-bit)\n\n```bash\n"
        ".venv/bin/python -m mlx_lm.benchmark --model models/Bonsai-27B-mlx-2bit -p 512 -g 128\n"
        "```\n\n```text\nRunning warmup..\n"
        "Timing with prompt_tokens=512, generation_tokens=128, batch_size=1.\n"
        f"{trials}\nAverages: prompt_tps=125.291, generation_tps=25.125, peak_memory=8.976\n```\n"
    )
    for path in ("mlx-m4-pro-macos.md", "run.log"):  # a note's code block, a captured log
        _write(tmp_path / path / path, note)
        (gen,) = [
            s for s in digest_of(tmp_path / path).stats
            if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
        ]  # fmt: skip
        assert gen.n == 3 and gen.mean == pytest.approx((25.547 + 25.133 + 24.695) / 3)
        assert gen.engine == "MLX" and gen.workload == "prompt 512 / generation 128"
        assert gen.group.startswith("models/Bonsai-27B-mlx-2bit")


def test_file_names_naming_a_mac_s_memory_a_gb10_or_an_rtx_pro_are_machines(tmp_path: Path) -> None:
    """PrismML-Eng/Bonsai-demo names each note by its machine: `metal-m4-pro-48gb-macos.md`
    and `metal-m4-pro-64gb-macos.md` (two Macs) were one machine "m4-pro", and
    `cuda-gb10-linux.md` (DGX Spark) and `cuda-rtx-pro-6000-blackwell-linux.md` named none:
    both "machine not stated", pooled."""
    table = (
        "| model | backend | ngl | test | t/s |\n| --- | --- | --: | --: | --: |\n"
        "| qwen3 8B Q1_0 | CUDA | 99 | tg128 | {} ± 1.22 |\n"
    )
    names = {
        "metal-m4-pro-48gb-macos.md": 116.76, "metal-m4-pro-64gb-macos.md": 19.01,
        "cuda-gb10-linux.md": 159.44, "cuda-rtx-pro-6000-blackwell-linux.md": 129.92,
    }  # fmt: skip
    for name, rate in names.items():
        _write(tmp_path / name, table.format(rate))
    machines = {s.file: s.machine for s in digest_of(tmp_path).stats if s.file}
    assert machines["metal-m4-pro-48gb-macos.md"] != machines["metal-m4-pro-64gb-macos.md"]
    assert machines["cuda-gb10-linux.md"] is not None
    assert machines["cuda-rtx-pro-6000-blackwell-linux.md"] is not None
    assert machines["cuda-gb10-linux.md"] != machines["cuda-rtx-pro-6000-blackwell-linux.md"]


def test_a_table_takes_model_and_engine_from_the_headings_above_its_own(tmp_path: Path) -> None:
    """h2oai/h2ogpt's benchmarks/perf.md: "# Backend: transformers" over "## Model:
    h2oai/h2ogpt-4096-llama2-7b-chat (transformers)" over "### Number of GPUs: 1" over a
    table of bits, GPUs and speed. Only the innermost heading was read for the model: the 7B
    and 13B rows (and both backends) pooled as "model not stated", the engine not stated."""
    table = (
        "| bits | gpus | generation speed [tokens/sec] |\n|---:|:---|---:|\n"
        "| 16 | 1 x NVIDIA GeForce RTX 4090 (24564 MiB) | {} |\n"
    )
    note = ""
    for backend, model, rate in (
        ("transformers", "h2oai/h2ogpt-4096-llama2-7b-chat", 40.9252),
        ("transformers", "h2oai/h2ogpt-4096-llama2-13b-chat", 24.1175),
        ("text-generation-inference", "h2oai/h2ogpt-4096-llama2-7b-chat", 44.5878),
    ):
        note += f"# Backend: {backend}\n\n## Model: {model} ({backend})\n### Number of GPUs: 1\n"
        note += table.format(rate) + "\n"
    _write(tmp_path / "perf.md", note)
    cells = {
        (s.engine, s.group.split(" / ")[0]): s.mean
        for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    }
    assert cells[("Transformers", "h2oai/h2ogpt-4096-llama2-7b-chat")] == pytest.approx(40.9252)
    assert cells[("Transformers", "h2oai/h2ogpt-4096-llama2-13b-chat")] == pytest.approx(24.1175)
    assert cells[("TGI", "h2oai/h2ogpt-4096-llama2-7b-chat")] == pytest.approx(44.5878)


def test_a_setting_each_prompt_has_its_own_level_of_joins_no_pattern_across_models(
    tmp_path: Path,
) -> None:
    """newbdez33/llm-mac-512's LM Studio runs: each test has its own prompt and max_tokens
    (short: 100, long: 2000), so num_predict never varies on one prompt. Each model's effect
    is rightly not comparable, yet "num_predict across models" said "num_predict=2000 is faster
    than num_predict=100 ... for every model (2 of 2): minimax-m2.1 40.48 vs 8.20 tok/s (4.9x)"
    (the 100-token test is also the session's first request, which loaded the model)."""
    for session in range(3):
        results = [
            {"test_name": test, "prompt": prompt, "max_tokens": tokens, "tps": tps + session,
             "completion_tokens": tokens, "success": True}
            for test, prompt, tokens, tps in (
                ("short", "Explain quantum computing in one sentence", 100, 8.2),
                ("long", "Explain backpropagation in detail", 2000, 47.1),
            )
        ]  # fmt: skip
        for model, scale in (("minimax-m2.1", 1.0), ("qwen3-coder-next", 0.8)):
            scaled = [{**r, "tps": r["tps"] * scale} for r in results]
            doc = {"model": model, "api_base": "http://localhost:1234/v1", "results": scaled}
            _write(tmp_path / f"lmstudio-benchmark-{model}-{session}.json", json.dumps(doc))
    found = compute_findings(digest_of(tmp_path))
    assert not [f for f in found if f.title.startswith("num_predict across models")]


def test_a_system_line_naming_the_os_names_no_machine(tmp_path: Path) -> None:
    """A README's environment list ("- **System:** Ubuntu 22.04.4 LTS") names the operating
    system: its table's runs were put on a machine "Ubuntu 22.04.4 LTS". A label naming
    hardware ("Machine label: `windows11-nvidia-32gb`", "System: Mac Studio M2 Ultra") still
    names the machine."""
    table = "| Model | Eval (tok/s) |\n|---|---|\n| llama3.1:8b | 128.3 |\n| mistral:7b | 131.0 |\n"
    _write(tmp_path / "a" / "README.md", "- **System:** Ubuntu 22.04.4 LTS\n\n" + table)
    _write(tmp_path / "b" / "README.md", "Machine: x86_64\n\n" + table)
    _write(tmp_path / "c" / "README.md", "- System: Mac Studio M2 Ultra\n\n" + table)
    _write(tmp_path / "d" / "README.md", "- Machine label: `windows11-nvidia-32gb`\n\n" + table)
    machines = {s.file: s.machine for s in digest_of(tmp_path).stats if s.file}
    assert machines["a/README.md"] is None
    assert machines["b/README.md"] is None
    assert machines["c/README.md"] == "Mac Studio M2 Ultra"
    assert machines["d/README.md"] == "windows11-nvidia-32gb"


def test_a_heading_comparing_two_models_names_neither(tmp_path: Path) -> None:
    """A heading "## Llama 3 8B vs Qwen2 7B" above a table with no model column: Ollama's
    heading rule read its last words, so every figure was Qwen2 7B's (`qwen2:7b`). A
    comparison of one model's options still names it ("Q4_K_M vs Q8_0 for llama3.1:8b")."""
    table = "| Prompt | Eval (tok/s) |\n|---|---|\n| short | 128.3 |\n| long | 120.1 |\n"
    _write(tmp_path / "a.md", "## Llama 3 8B vs Qwen2 7B\n\n" + table)
    _write(tmp_path / "b.md", "## Q4_K_M vs Q8_0 for llama3.1:8b\n\n" + table)
    models = {s.file: s.group.split(" / ")[0] for s in digest_of(tmp_path).stats if s.file}
    assert models == {"a.md": "model not stated", "b.md": "llama3.1:8b"}


def test_an_engine_before_a_model_id_in_a_file_name_is_the_engine(tmp_path: Path) -> None:
    """`vllm_Mistral-7B-Instruct-v0.3.csv` beside `sglang_Mistral-7B-Instruct-v0.3.csv`: the
    Hugging Face id rule read the engine as the model's organisation, so one model on two
    engines was two models ("sglang/Mistral-7B-Instruct-v0.3 is 9 % faster than vllm/...")
    and no engine was known. Organisations stay organisations (mlx-community, Qwen)."""
    rows = "ttft_ms,output_tokens_per_s\n30.1,{r}\n29.5,{r}\n31.0,{r}\n"
    for stem, rate in (("vllm", 95.5), ("sglang", 104.1), ("mlx-community", 40.0)):
        _write(tmp_path / f"{stem}_Mistral-7B-Instruct-v0.3.csv", rows.format(r=rate))
    setups = {(s.model, s.engine) for s in digest_of(tmp_path).setups}
    assert setups == {
        ("Mistral-7B-Instruct-v0.3", "vLLM"),
        ("Mistral-7B-Instruct-v0.3", "SGLang"),
        ("mlx-community/Mistral-7B-Instruct-v0.3", None),
    }


def test_a_table_sweeping_a_context_or_input_length_is_not_repetitions(tmp_path: Path) -> None:
    """A note's table of one model at three contexts ("| llama3.1:8b | 2048 | ... |" under an
    unrecognised "Context" column) or four input lengths ("Input tokens" 128 ... 8192) was
    read as one setup measured again and again: "llama3.1:8b: 81.30-112.40 tok/s over 3
    runs, a coefficient of variation of 16.3 %", and advice to repeat it on a quiet machine.
    A column of round whole numbers that each repeated row holds its own is a setting (a
    swept token count the workload); a bench script's row per request still repeats."""
    _write(tmp_path / "ctx.md", (
        "| Model | Context | Eval (tok/s) |\n|---|---|---|\n| llama3.1:8b | 2048 | 112.4 |\n"
        "| llama3.1:8b | 8192 | 104.9 |\n| llama3.1:8b | 32768 | 81.3 |\n"
    ))  # fmt: skip
    _write(tmp_path / "Mistral-7B-Instruct-v0.3" / "input.md", (
        "| Input tokens | Output tokens | Output throughput (tok/s) |\n|---|---|---|\n"
        "| 128 | 256 | 98.2 |\n| 512 | 256 | 96.5 |\n| 2048 | 256 | 91.0 |\n"
    ))  # fmt: skip
    _write(tmp_path / "GLM-4.6" / "result.md", (
        "|Task|Elapse|Tokens Per Second|Prompt|Predict|\n|---|---|---|---|---|\n"
        "|Document Understanding|38.8|307.9|11827|128|\n"
        "|Document Understanding|38.6|309.7|11827|128|\n"
        "|Document Understanding|45.9|260.3|11826|128|\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    contexts = sorted(s.params.get("context", 0) for s in digest.setups if s.model == "llama3.1:8b")
    assert contexts == [2048, 8192, 32768]
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.file]
    assert {s.file for s in rates if s.aggregate is None} == {"GLM-4.6/result.md"}  # runs
    assert all(s.n == 1 for s in rates if s.file == "ctx.md")
    findings = compute_findings(digest)
    stable = [f.text for f in findings if "least stable" in f.text]
    assert len(stable) == 1 and "GLM-4.6 (Document Understanding)" in stable[0]


def test_a_folder_about_a_model_does_not_name_it(tmp_path: Path) -> None:
    """`phi3-experiments/run_default.csv` (no model column) was the runs of a model
    "phi3-experiments"; `llama3-finetune/`, `qwen2.5-eval/`, `gemma2-tuning/` likewise. A
    folder that is a project about models names none; `Qwen3-Next-80B/` and
    `DeepSeek-R1-Distill-Qwen-7B/` still name theirs."""
    rows = "eval_count,eval_duration_ms,tokens_per_s\n256,1{r}0.5,{r}\n256,1{r}5.1,{r}.5\n"
    for rate, folder in enumerate(
        ("phi3-experiments", "gemma2-tuning", "DeepSeek-R1-Distill-Qwen-7B")
    ):
        _write(tmp_path / folder / "run_default.csv", rows.format(r=150 + 20 * rate))
    models = {
        s.file.split("/")[0]: s.group.split(" / ")[0] for s in digest_of(tmp_path).stats if s.file
    }
    assert models == {  # two files naming no model: each its own (never pooled as one)
        "phi3-experiments": "model not stated (phi3-experiments/run_default.csv)",
        "gemma2-tuning": "model not stated (gemma2-tuning/run_default.csv)",
        "DeepSeek-R1-Distill-Qwen-7B": "DeepSeek-R1-Distill-Qwen-7B",
    }


def test_a_file_named_for_no_gpu_ran_on_the_cpu(tmp_path: Path) -> None:
    """`no_gpu.csv` beside `gpu.csv` (one model, no device column): the device rule saw "gpu"
    in both, so the CPU runs (12 tok/s) and the GPU runs (95) were one setup's repetitions.
    `cpu-offload.csv` (vLLM's --cpu-offload-gb: a GPU run keeping weights in RAM) is no CPU
    run."""
    rows = "model,tokens_per_s\nllama3.1:8b,{a}\nllama3.1:8b,{b}\n"
    _write(tmp_path / "no_gpu.csv", rows.format(a=12.1, b=12.4))
    _write(tmp_path / "gpu.csv", rows.format(a=95.2, b=95.9))
    _write(tmp_path / "cpu-offload.csv", rows.format(a=41.0, b=41.7))
    configs = {s.file: s.group.split(" / ")[1] for s in digest_of(tmp_path).stats if s.file}
    assert configs == {
        "no_gpu.csv": "device=cpu",
        "gpu.csv": "device=gpu",
        "cpu-offload.csv": "settings not stated",
    }


def test_a_file_named_with_or_without_warmup_holds_measured_runs(tmp_path: Path) -> None:
    """`results_no_warmup.csv` beside `results_with_warmup.csv`: the warm-up file-name rule
    (isotopp's `short-generation-warmup-1.json`) set apart all 10 rows as "labelled cold or
    warm-up by the benchmark itself", leaving nothing to compare. A name that says how the
    runs relate to a warm-up names measured runs; a warm-up run's file is still set apart."""
    rows = "model,tokens_per_s\nllama3.1:8b,{a}\nllama3.1:8b,{b}\n"
    _write(tmp_path / "results_with_warmup.csv", rows.format(a=128.1, b=127.6))
    _write(tmp_path / "results_no_warmup.csv", rows.format(a=120.3, b=119.8))
    _write(tmp_path / "short-generation-warmup-1.csv", rows.format(a=60.2, b=61.0))
    digest = digest_of(tmp_path)
    cold = {c.path: c.rows for c in digest.cold_rows}
    assert cold == {"short-generation-warmup-1.csv": 2}
    # with and without a warm-up: a setting of the runs, not sessions differing unexplained
    configs = {s.file: s.group.split(" / ")[1] for s in digest.stats if s.file}
    assert configs["results_with_warmup.csv"] == "warmup=yes"
    assert configs["results_no_warmup.csv"] == "warmup=no"


def test_a_heading_naming_one_machine_is_its_tables_machine(tmp_path: Path) -> None:
    """ "## Results on RTX 4090" and "## Results on M2 Max" above two tables of the same models
    (no machine column): both were one setup per model on no machine, the 4090's 128.3 tok/s
    and the Mac's 61.2 pooled as a mean of 94.75 (nelstevens' README, per-machine tables under
    "## Macmini" / "## aws-t2-med", pooled four machines alike). A heading comparing two
    ("RTX 4090 vs RTX 3090") names neither."""
    table = (
        "| Model | Eval rate (tok/s) |\n|---|---|\n| llama3.1:8b | {a} |\n| mistral:7b | {b} |\n"
    )
    _write(tmp_path / "README.md", (
        "## Results on RTX 4090\n\n" + table.format(a=128.3, b=131.0)
        + "\n## Results on M2 Max\n\n" + table.format(a=61.2, b=64.8)
        + "\n## RTX 4090 vs RTX 3090\n\n" + table.format(a=128.3, b=96.1)
    ))  # fmt: skip
    stats = [s for s in digest_of(tmp_path).stats if s.file and s.group.startswith("llama3.1")]
    assert sorted((str(s.machine), s.mean) for s in stats) == [
        ("M2 Max", 61.2),
        ("None", pytest.approx(128.3)),
        ("RTX 4090", 128.3),
    ]


def test_llmperf_requests_take_the_model_and_concurrency_of_their_summary(tmp_path: Path) -> None:
    """LLMPerf writes `<model>_550_150_individual_responses.json` beside `..._summary.json`,
    the model with "-" for "/" in the name, one folder per run (c1/, c8/). The requests name
    no model nor concurrency: both runs' requests were one "model not stated" setup, TTFT at
    concurrency 1 (45 ms) and 8 (190 ms) pooled as repetitions. Now the summary beside them
    names both; and the summaries' throughput is still reported, though TTFT has runs."""
    stem = "meta-llama-Llama-2-7b-chat-hf_550_150"
    for conc, ttft, rate in ((1, 0.045, 87.3), (8, 0.19, 427.2)):
        requests = [
            {"error_code": None, "error_msg": "", "ttft_s": ttft + i / 1000,
             "end_to_end_latency_s": 1.6 + i / 100, "number_output_tokens": 150,
             "number_input_tokens": 550}
            for i in range(5)
        ]  # fmt: skip
        summary = {
            "model": "meta-llama/Llama-2-7b-chat-hf", "num_concurrent_requests": conc,
            "results_ttft_s_mean": ttft + 0.002, "results_mean_output_throughput_token_per_s": rate,
        }  # fmt: skip
        _write(tmp_path / f"c{conc}" / f"{stem}_individual_responses.json", json.dumps(requests))
        _write(tmp_path / f"c{conc}" / f"{stem}_summary.json", json.dumps(summary))
    digest = digest_of(tmp_path)
    ttft = {
        s.file: s.group
        for s in digest.stats
        if s.metric == "ttft_ms" and s.aggregate is None and s.file
    }
    assert ttft == {
        f"c1/{stem}_individual_responses.json": "meta-llama/Llama-2-7b-chat-hf / concurrency=1",
        f"c8/{stem}_individual_responses.json": "meta-llama/Llama-2-7b-chat-hf / concurrency=8",
    }
    reported = [f for f in compute_findings(digest) if f.kind == "reported"]
    assert len(reported) == 1 and "427.20 tok/s with concurrency=8" in reported[0].text


def test_a_numbered_run_table_with_an_average_row_is_runs(tmp_path: Path) -> None:
    """ "| 1 | ... |", "| 2 |", "| 3 |", "| **Avg** | ... |" under each model: the Avg row made
    the run column no numbering, so the three runs and their average were four reported
    means (n=4 of means, 'no metric Chimera recognises to compare'). The runs are runs, the
    Avg row their summary; mistral:7b's 10 % over llama3.1:8b is found."""
    table = "| Run | Eval rate (tok/s) |\n|---|---|\n" + "| {} | {} |\n" * 4
    _write(tmp_path / "results.md", (
        "### llama3.1:8b\n\n" + table.format(1, 52.31, 2, 52.88, 3, 52.60, "**Avg**", "**52.60**")
        + "\n### mistral:7b\n\n" + table.format(1, 58.02, 2, 57.70, 3, 57.91, "Avg", 57.88)
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    runs = {s.group: s.n for s in digest.stats if s.file and s.aggregate is None}
    assert runs == {"llama3.1:8b / settings not stated": 3, "mistral:7b / settings not stated": 3}
    assert any("mistral:7b is 10.0 % faster" in f.text for f in compute_findings(digest))


def test_a_note_of_two_config_lines_gives_each_table_its_own(tmp_path: Path) -> None:
    """One result.md holding a bench script's parallel=1 run and its parallel=4 run, each
    table with its `TestConfig(...)` line (above it here, below it there): the lines disagree,
    so neither was read and the six requests were one setup's runs ("31.20-72.00 tok/s over
    6 runs, a coefficient of variation of 41.4 %"). Each table now takes its own line."""
    config = "`TestConfig(model='llama', parallel={n}, temperature=0.0)`\n\n"
    head = "|Task|Elapse|Predict Per Second|\n|----|-----:|-----:|\n"
    rows = "".join(f"|Hello|{1.9 + i / 10}|{{r{i}}}|\n" for i in range(3))
    one, four = rows.format(r0=71.3, r1=72.0, r2=71.1), rows.format(r0=33.1, r1=31.2, r2=32.5)
    _write(tmp_path / "Qwen3-VL-30B" / "result.md", (
        config.format(n=1) + head + one + "\n" + config.format(n=4) + head + four
    ))  # fmt: skip
    _write(tmp_path / "GLM-4.6" / "result.md", (
        head + one + "\n" + config.format(n=1) + head + four + "\n" + config.format(n=4)
    ))  # fmt: skip
    groups = {(s.file, s.group, s.n) for s in digest_of(tmp_path).stats if s.file}
    for model in ("Qwen3-VL-30B", "GLM-4.6"):
        for n in (1, 4):
            assert (
                f"{model}/result.md",
                f"{model} / temperature=0.0, concurrency={n}",
                3,
            ) in groups


def test_a_machine_or_quantisation_before_a_model_id_is_no_organisation(tmp_path: Path) -> None:
    """`rtx4090_Llama-3-8B-Instruct.csv` beside `m2max_Llama-3-8B-Instruct.csv`: the Hugging
    Face id rule made two models, rtx4090/Llama-3-8B-Instruct and m2max/..., so the one model
    on two machines was never compared. `int4_Llama-3-8B.csv` beside `fp16_Llama-3-8B.csv`:
    the quantisation is the runs' setting (Q4_K_M_... too), not the model's organisation."""
    rows = "ttft_ms,output_tokens_per_s\n30.1,{r}\n29.5,{r}\n31.0,{r}\n"
    files = {
        "rtx4090_Llama-3-8B-Instruct": 128.0, "m2max_Llama-3-8B-Instruct": 61.0,
        "int4_Llama-3-8B": 140.0, "fp16_Llama-3-8B": 70.0, "Q4_K_M_Llama-3-8B": 120.0,
    }  # fmt: skip
    for stem, rate in files.items():
        _write(tmp_path / f"{stem}.csv", rows.format(r=rate))
    setups = {(s.model, s.machine, s.config) for s in digest_of(tmp_path).setups}
    assert setups == {
        ("Llama-3-8B-Instruct", "rtx4090", "settings not stated"),
        ("Llama-3-8B-Instruct", "m2max", "settings not stated"),
        ("Llama-3-8B", None, "quantization=INT4"),
        ("Llama-3-8B", None, "quantization=FP16"),
        ("Llama-3-8B", None, "quantization=Q4_K_M"),
    }


def test_emphasis_on_part_of_a_cell_and_struck_figures(tmp_path: Path) -> None:
    """ "| **llama3.1:8b** (best) |" named a model "**llama3.1:8b** (best)" (only a cell wholly
    in emphasis lost its marks), and "| ~~120.5~~ 118.2 |" read the struck figure, 120.5,
    where the author's correction is 118.2."""
    _write(tmp_path / "README.md", (
        "| Model | Eval (tok/s) |\n|---|---|\n| **llama3.1:8b** (best) | **128.3** |\n"
        "| `mistral:7b` | 131.0 |\n| *qwen2.5:7b* | ~~120.5~~ 118.2 |\n"
    ))  # fmt: skip
    rates = {s.group.split(" / ")[0]: s.mean for s in digest_of(tmp_path).stats if s.file}
    assert rates == {"llama3.1:8b (best)": 128.3, "mistral:7b": 131.0, "qwen2.5:7b": 118.2}


def test_a_setting_written_with_separators_or_as_8k_is_the_number(tmp_path: Path) -> None:
    """num_ctx 8192 in a CSV, "8,192" and "8k" in a JSON of the same runs' options: three
    setups of one setting (the 8k runs compared with the 8192 runs as a setting's effect)."""
    _write(tmp_path / "a.csv", "model,num_ctx,tokens_per_s\nllama3.1:8b,8192,120.3\n")
    _write(tmp_path / "b.json", json.dumps([
        {"model": "llama3.1:8b", "options": {"num_ctx": "8,192"}, "tokens_per_s": 120.0},
        {"model": "llama3.1:8b", "options": {"num_ctx": "8k"}, "tokens_per_s": 119.8},
        {"model": "llama3.1:8b", "options": {"num_ctx": "2048"}, "tokens_per_s": 128.4},
    ]))  # fmt: skip
    assert sorted(s.params["num_ctx"] for s in digest_of(tmp_path).setups) == [2048, 8192]


def test_an_error_cell_saying_there_was_none_is_no_failed_row(tmp_path: Path) -> None:
    """An `errors` column of "[]" (a JSON list flattened into a CSV), "no error", and a code
    of 0.0 (pandas' float column beside a missing cell): every row was a failed row, left
    out of the statistics."""
    for k, (name, column, value) in enumerate(
        (("a", "errors", "[]"), ("b", "error", "no error"), ("c", "error_code", "0.0"))
    ):
        rows = "".join(f"m{name}-7b,{30 + i + k * 7},{100 + i + k * 9},{value}\n" for i in range(3))
        _write(tmp_path / f"{name}.csv", f"model,ttft_ms,tokens_per_s,{column}\n{rows}")
    digest = digest_of(tmp_path)
    assert digest.error_rows == []
    assert {s.file: s.n for s in digest.stats if s.file and s.metric == "tokens_per_s"} == {
        "a.csv": 3, "b.csv": 3, "c.csv": 3,
    }  # fmt: skip


def test_a_summary_of_one_model_at_three_sizes_is_not_three_runs(tmp_path: Path) -> None:
    """One model listed three times, its quantisations told apart only by "Size (GB)" (4.9,
    8.5, 16.1): the repeated-setup rule read the rows as runs, "llama3.1:8b: 51.20-128.30
    tok/s over 3 runs, a coefficient of variation of 43.2 %" with advice to repeat it. A size
    or memory column whose rows differ by more than 10 % is the setup's."""
    _write(tmp_path / "README.md", (
        "| Model | Size (GB) | Eval (tok/s) |\n|---|---|---|\n| llama3.1:8b | 4.9 | 128.3 |\n"
        "| llama3.1:8b | 8.5 | 88.1 |\n| llama3.1:8b | 16.1 | 51.2 |\n"
        "| mistral:7b | 4.1 | 131.0 |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    sizes = sorted(s.params["size_gb"] for s in digest.setups if s.model == "llama3.1:8b")
    assert sizes == [4.9, 8.5, 16.1]
    assert not any("least stable" in f.text for f in compute_findings(digest))


def test_a_notes_prediction_table_is_no_failure_and_no_measurement(tmp_path: Path) -> None:
    """A findings note's table of a throughput model against the measurement (guruswami's
    FINDINGS.md: "| Total params (47B) | 23 TPS | 69 TPS | 3x wrong |", "| ... | Correct |"):
    both rows were failed rows ("the first error reads '3x wrong'") and the predictions
    23 and 69 read as throughput (as llama-server's predicted_tps). Now the Error column
    beside figures in every cell is no failure, the prediction no figure, the measurement
    one; a row missing its figure ("| llama3:70b | N/A | OOM |") still failed."""
    _write(tmp_path / "FINDINGS.md", (
        "| Prediction basis | Predicted TPS | Measured TPS | Error |\n|---|---|---|---|\n"
        "| Total params (47B) | 23 | 69 | 3x wrong |\n| Active params (13B) | 69 | 69 | Correct |\n"
        "\n| Model | Eval (tok/s) | Error |\n|---|---|---|\n| llama3:70b | N/A | OOM |\n"
        "| llama3:8b | 128.3 | |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert [(e.count, e.sample) for e in digest.error_rows] == [(1, "OOM")]
    rates = sorted(s.mean for s in digest.stats if s.file and s.metric == "tokens_per_s")
    assert rates == [69.0, 128.3]


def test_a_csvs_context_tokens_and_topology_are_workload_and_setting(tmp_path: Path) -> None:
    """guruswami's benchmark-results.csv: `topology` (SINGLE, TP2, PP2) and `context_tokens`
    (1024 ... 131072) beside each rate were not read, so one quantisation's seven contexts
    and three topologies were repetitions ("9.53-119.01 tok/s over 7 runs, a coefficient of
    variation of 72.7 %; 27 of 27 groups vary by more than 10 %")."""
    rows = ["model,topology,quant,context_tokens,generation_tps"]
    for topology, scale in (("SINGLE", 1.0), ("TP2", 0.8)):
        for ctx, rate in ((1024, 119.0), (8192, 92.6), (131072, 9.5)):
            rows.append(f"DeepSeek-Coder-6.7B-Instruct,{topology},Q4,{ctx},{rate * scale}")
    _write(tmp_path / "deepseek" / "benchmark-results.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path)
    # the context filled is the workload (as llama-bench's depth), the topology a setting
    assert {s.params["topology"] for s in digest.setups} == {"SINGLE", "TP2"}
    workloads = {s.workload for s in digest.stats if s.workload and s.metric == "tokens_per_s"}
    assert len(workloads) == 3
    assert not any("least stable" in f.text for f in compute_findings(digest))


def test_a_folder_named_for_the_device_is_the_runs_device(tmp_path: Path) -> None:
    """`runs/cpu/results.csv` beside `runs/gpu/results.csv` (same model and columns): one
    setup, 12 and 143 tok/s pooled ("varies by 92.3 % from run to run", "something the files
    do not record changed"). A folder named for the device alone is the device; one that
    mentions it (`gpu-benchmarks/`) is not."""
    rows = "model,tokens_per_s\nllama3.2:3b,{a}\nllama3.2:3b,{b}\n"
    _write(tmp_path / "runs" / "cpu" / "results.csv", rows.format(a=12.19, b=12.31))
    _write(tmp_path / "runs" / "gpu" / "results.csv", rows.format(a=143.0, b=142.1))
    _write(tmp_path / "gpu-benchmarks" / "results.csv", rows.format(a=141.0, b=140.2))
    configs = {s.file: s.group.split(" / ")[1] for s in digest_of(tmp_path).stats if s.file}
    assert configs == {
        "runs/cpu/results.csv": "device=cpu",
        "runs/gpu/results.csv": "device=gpu",
        "gpu-benchmarks/results.csv": "settings not stated",
    }


def test_a_folder_named_for_a_quantisation_is_the_runs_setting(tmp_path: Path) -> None:
    """`results/q4_k_m/bench.csv` beside `results/q8_0/bench.csv` (one model): one setup,
    128 and 88 tok/s pooled as sessions that differ "in something the files do not record"."""
    rows = "model,tokens_per_s\nllama3.1:8b,{a}\nllama3.1:8b,{b}\n"
    _write(tmp_path / "results" / "q4_k_m" / "bench.csv", rows.format(a=128.1, b=127.5))
    _write(tmp_path / "results" / "q8_0" / "run1" / "bench.csv", rows.format(a=88.2, b=87.9))
    configs = sorted(s.config for s in digest_of(tmp_path).setups)
    assert configs == ["quantization=Q4_K_M", "quantization=Q8_0"]


def test_a_concurrency_in_a_folder_name_is_the_runs_setting(tmp_path: Path) -> None:
    """`concurrency_1/requests.csv` beside `concurrency_16/requests.csv` (a load test's
    per-request records, one folder per level): one setup, TTFT 45 and 410 ms pooled as
    repetitions. A server's OLLAMA_NUM_PARALLEL in a name (`np20`) is no load sent."""
    rows = "model,ttft_ms,output_tokens_per_s\n" + "m-7b,{t},{r}\n" * 3
    _write(tmp_path / "concurrency_1" / "requests.csv", rows.format(t=45, r=95.1))
    _write(tmp_path / "concurrency_16" / "requests.csv", rows.format(t=410, r=38.2))
    _write(tmp_path / "results_np20.csv", rows.format(t=50, r=90.3))
    configs = {s.file: s.group.split(" / ")[1] for s in digest_of(tmp_path).stats if s.file}
    assert configs == {
        "concurrency_1/requests.csv": "concurrency=1",
        "concurrency_16/requests.csv": "concurrency=16",
        "results_np20.csv": "settings not stated",
    }


def test_a_model_folder_naming_its_machine_date_or_engine_names_the_model(tmp_path: Path) -> None:
    """`rtx4090-llama3-8b/` beside `m2max-llama3-8b/` were models "rtx4090-llama3-8b" and
    "m2max-llama3-8b", so one model on two machines was never compared; a date in the name
    (`llama3-8b_2024-05-01/`) made a model per day; `vllm-Qwen2.5-7B/` named no model. The
    hardware, the date and an engine beside the model are taken out (the engine is the
    runs'); `gemma4:12b+bge-m3_llama.cpp/` still names none (two models)."""
    rows = "ttft_ms,output_tokens_per_s\n30.1,{r}\n29.5,{r}\n31.0,{r}\n"
    for k, folder in enumerate(
        ("rtx4090-llama3-8b", "m2max-llama3-8b", "llama3-8b_2024-05-01", "vllm-Qwen2.5-7B",
         "gemma4:12b+bge-m3_llama.cpp")
    ):  # fmt: skip
        _write(tmp_path / folder / "run.csv", rows.format(r=50 + 11 * k))
    digest = digest_of(tmp_path)
    assert {(s.model, s.machine) for s in digest.setups} == {
        ("llama3-8b", "rtx4090"),
        ("llama3-8b", "m2max"),
        ("llama3-8b", None),
        ("Qwen2.5-7B", None),
        ("model not stated", None),
    }
    assert {s.engine for s in digest.stats if s.file == "vllm-Qwen2.5-7B/run.csv"} == {"vLLM"}


def test_a_phase_of_cold_against_warm_sets_the_cold_rows_apart(tmp_path: Path) -> None:
    """A start-up benchmark's `phase` column of cold and warm calls: "warm" was a warm-up
    word, so the three warm calls (12 ms loads) were set apart as "labelled cold or warm-up"
    and the two cold calls (2 s loads) kept as the measurement (TTFT 2176 ms). A warm start
    is the measured call; the cold ones are set apart."""
    _write(tmp_path / "startup.csv", (
        "model,phase,ttft_ms,load_duration_ms,tokens_per_s\n"
        "llama3.1:8b,cold,2150.3,2010.2,118.2\nllama3.1:8b,warm,45.2,12.1,128.3\n"
        "llama3.1:8b,warm,44.8,11.9,128.9\nllama3.1:8b,cold,2201.1,2055.0,117.9\n"
        "llama3.1:8b,warm,46.1,12.3,128.1\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert [c.rows for c in digest.cold_rows] == [2]
    ttft = [s.mean for s in digest.stats if s.file and s.metric == "ttft_ms"]
    assert ttft == [pytest.approx(45.37, abs=0.01)]


def test_verbose_runs_under_a_heading_naming_a_machine_ran_there(tmp_path: Path) -> None:
    """`ollama run --verbose` blocks under "## MacBook Pro M3 Max" and "## RTX 4090 desktop"
    (one model): one setup on no machine, 50 and 127 tok/s pooled ("mean throughput over all
    2 rows is 88.47 tok/s"). Names side by side are one machine's ("MacBook Pro M3 Max")."""
    block = "```\neval count:           312 token(s)\neval duration:        {d}s\n```\n"
    _write(tmp_path / "README.md", (
        "model: llama3.1:8b\n\n## MacBook Pro M3 Max\n\n" + block.format(d=6.21)
        + "\n## RTX 4090 desktop\n\n" + block.format(d=2.46)
    ))  # fmt: skip
    machines = {s.machine for s in digest_of(tmp_path).setups}
    assert machines == {"MacBook Pro M3 Max", "RTX 4090"}


def test_a_rate_written_in_thousands_is_thousands(tmp_path: Path) -> None:
    """ "| llama3.1:8b | 3.5k | 128.3 |" (a README rounding its prompt rate): read as 3.5
    tok/s of prompt processing, a thousand times too slow."""
    _write(tmp_path / "README.md", (
        "| Model | Prompt eval (tok/s) | Eval (tok/s) |\n|---|---|---|\n"
        "| llama3.1:8b | 3.5k | 128.3 |\n| mistral:7b | 3.6K | 131.0 |\n"
    ))  # fmt: skip
    prompt = {s.group: s.mean for s in digest_of(tmp_path).stats
              if s.file and s.metric == "prompt_tokens_per_s"}  # fmt: skip
    assert sorted(prompt.values()) == [3500.0, 3600.0]


def test_a_model_id_as_a_file_name_names_its_model(tmp_path: Path) -> None:
    """`Mistral-7B-Instruct-v0.3_results.csv` beside `Llama-3.1-8B-Instruct.csv` (request
    records naming no model): both "model not stated", two models pooled as one's runs. A
    model id as the file's name, or before its kind, names the model."""
    rows = "ttft_ms,output_tokens_per_s\n30.1,{r}\n29.5,{r}\n31.0,{r}\n"
    _write(tmp_path / "Mistral-7B-Instruct-v0.3_results.csv", rows.format(r=104.0))
    _write(tmp_path / "Llama-3.1-8B-Instruct.csv", rows.format(r=96.0))
    _write(tmp_path / "results_2024.csv", rows.format(r=50.0))
    _write(tmp_path / "sglang-Qwen2.5-7B.csv", rows.format(r=88.0))
    setups = {(s.model, s.engine) for s in digest_of(tmp_path).setups}
    assert setups == {
        ("Mistral-7B-Instruct-v0.3", "SGLang"),
        ("Llama-3.1-8B-Instruct", "SGLang"),
        ("model not stated", "SGLang"),
        ("Qwen2.5-7B", "SGLang"),
    }  # the folder's only engine is every file's


def test_a_model_named_with_its_device_or_parallelism_is_one_model(tmp_path: Path) -> None:
    """`llama3-8b-cpu.csv` beside `llama3-8b-gpu.csv`, `llama3-70b-tp2.json` beside
    `llama3-70b-tp4.json`: a model id read from the whole name would make models
    "llama3-8b-cpu" and "llama3-8b-gpu", so the device's effect is never compared. The words
    of how the runs were made are settings (device, tensor_parallel), not the model."""
    rows = "ttft_ms,output_tokens_per_s\n30.1,{r}\n29.5,{r}\n31.0,{r}\n"
    for stem, rate in (("llama3-8b-cpu", 12.0), ("llama3-8b-gpu", 128.0),
                       ("llama3-70b-tp2", 40.0), ("llama3-70b-tp4", 66.0)):  # fmt: skip
        _write(tmp_path / f"{stem}.csv", rows.format(r=rate))
    setups = {(s.model, s.config) for s in digest_of(tmp_path).setups}
    assert setups == {
        ("llama3-8b", "device=cpu"),
        ("llama3-8b", "device=gpu"),
        ("llama3-70b", "tensor_parallel=2"),
        ("llama3-70b", "tensor_parallel=4"),
    }


def test_a_table_sweeping_contexts_written_as_8k_is_not_repetitions(tmp_path: Path) -> None:
    """ "| llama3.1:8b | 8k |", "| llama3.1:8b | 32k |": the context column, words to the
    sweep rule, was no setting, so each model's two contexts were one setup (a mean of 112.4
    and 81.3 tok/s)."""
    _write(tmp_path / "README.md", (
        "| Model | Context | Eval (tok/s) |\n|---|---|---|\n| llama3.1:8b | 8k | 112.4 |\n"
        "| llama3.1:8b | 32k | 81.3 |\n| qwen2.5:7b | 8k | 118.0 |\n| qwen2.5:7b | 32k | 86.9 |\n"
    ))  # fmt: skip
    contexts = sorted(s.params.get("context", 0) for s in digest_of(tmp_path).setups)
    assert contexts == [8192, 8192, 32768, 32768]


def test_a_decimal_comma_is_the_decimal_point(tmp_path: Path) -> None:
    """A European table ("| llama3.1:8b | 45,2 | 120,5 |", "| mistral:7b | 0,83 | 1,234 |"):
    "45,2" was read as 45, "0,83" as 83 and "51,25" as 5125 (the comma taken for a thousands
    separator). A comma with one or two digits after it is a decimal comma, and in a column
    that writes them "1,234" is 1.234; a CSV's quoted "45,2" was no number at all. A column of
    English thousands ("1,234.5" beside it) keeps "1,234" as 1234."""
    _write(tmp_path / "eu" / "README.md", (
        "| Model | Eval (tok/s) | TTFT (ms) |\n|---|---|---|\n| llama3.1:8b | 45,2 | 120,5 |\n"
        "| mistral:7b | 0,83 | 1,234 |\n| qwen2.5:7b | 51,25 | 98,1 |\n"
    ))  # fmt: skip
    _write(tmp_path / "eu" / "runs.csv", (
        'model,tokens_per_s\nphi3:3.8b,"45,2"\nphi3:3.8b,"0,83"\nphi3:3.8b,"1,234"\n'
    ))  # fmt: skip
    _write(tmp_path / "en" / "README.md", (
        "| Model | Prompt eval (tok/s) |\n|---|---|\n| gemma3:4b | 1,234 |\n"
        "| gemma3:12b | 1,234.5 |\n"
    ))  # fmt: skip
    means = {(s.file, s.group.split(" / ")[0], s.metric): s.mean
             for s in digest_of(tmp_path).stats if s.file}  # fmt: skip
    assert means[("eu/README.md", "llama3.1:8b", "tokens_per_s")] == 45.2
    assert means[("eu/README.md", "mistral:7b", "tokens_per_s")] == 0.83
    assert means[("eu/README.md", "qwen2.5:7b", "tokens_per_s")] == 51.25
    assert means[("eu/README.md", "mistral:7b", "ttft_ms")] == 1.234
    assert means[("eu/runs.csv", "phi3:3.8b", "tokens_per_s")] == pytest.approx(
        (45.2 + 0.83 + 1.234) / 3
    )
    assert means[("en/README.md", "gemma3:4b", "prompt_tokens_per_s")] == 1234.0


def test_a_bound_or_an_approximation_is_no_figure(tmp_path: Path) -> None:
    """ "| llama3.1:8b | ~12 | <1 |", "| mistral:7b | >100 | n/a |": read as a measured 12
    tok/s, 100 tok/s and a TTFT of 1 ms. A bound or an approximation is no exact figure: not
    read, and the cells left out are counted (in a CSV too, where they were dropped silently)."""
    _write(tmp_path / "README.md", (
        "| Model | Eval (tok/s) | TTFT (ms) |\n|---|---|---|\n| llama3.1:8b | ~12 | <1 |\n"
        "| mistral:7b | >100 | n/a |\n| qwen2.5:7b | 14.5 | - |\n| phi3:3.8b | ≈20 | ≤ 5 |\n"
    ))  # fmt: skip
    _write(tmp_path / "r.csv", "model,tokens_per_s\ngemma3:4b,~12\ngemma3:4b,30.5\n")
    digest = digest_of(tmp_path)
    read = {(s.file, s.group.split(" / ")[0], s.metric): (s.n, s.mean)
            for s in digest.stats if s.file}  # fmt: skip
    assert read == {
        ("README.md", "qwen2.5:7b", "tokens_per_s"): (1, 14.5),
        ("r.csv", "gemma3:4b", "tokens_per_s"): (1, 30.5),
    }
    left = {(d.path, d.what): d.count for d in digest.dropped}
    assert left == {("README.md", "values"): 5, ("r.csv", "values"): 1}


def test_a_mean_and_its_spread_in_one_cell_is_the_mean(tmp_path: Path) -> None:
    """ "12.3 ± 0.4", "100 +/- 3", "13.3 (±0.5)", "14.0±1.2" (premAI-io/benchmarks' tables):
    the figure is the mean, never the spread nor the two run together."""
    _write(tmp_path / "README.md", (
        "| Model | Eval (tok/s) | TTFT (ms) |\n|---|---|---|\n"
        "| llama3.1:8b | 12.3 ± 0.4 | 100 +/- 3 |\n| mistral:7b | 13.3 (±0.5) | 90 (+/- 2) |\n"
        "| qwen2.5:7b | 14.0±1.2 | 80 |\n| phi3:3.8b | 45,2 ± 0,3 | 70 |\n"
    ))  # fmt: skip
    read = {(s.group.split(" / ")[0], s.metric): s.mean for s in digest_of(tmp_path).stats
            if s.file}  # fmt: skip
    assert read == {
        ("llama3.1:8b", "tokens_per_s"): 12.3, ("mistral:7b", "tokens_per_s"): 13.3,
        ("qwen2.5:7b", "tokens_per_s"): 14.0, ("phi3:3.8b", "tokens_per_s"): 45.2,
        ("llama3.1:8b", "ttft_ms"): 100.0, ("mistral:7b", "ttft_ms"): 90.0,
        ("qwen2.5:7b", "ttft_ms"): 80.0, ("phi3:3.8b", "ttft_ms"): 70.0,
    }  # fmt: skip


def test_files_naming_no_model_are_never_pooled_as_one_model(tmp_path: Path) -> None:
    """Two files of request records naming no model (`results_a.csv` at 100 tok/s,
    `results_b.csv` at 50), two sweeps of num_ctx naming none: all were one "model not stated"
    setup, so the findings said the two files were "sessions that disagree", averaged 49-101
    tok/s as repetitions (CV 36.5 %) and judged num_ctx on the two sweeps pooled. Each file's
    unnamed model is its own; nothing is compared or averaged across such files as one model.
    Files of one folder that share no setup (`dev/cpu.csv`, `dev/gpu.csv`: one file per
    device) are one sweep of the folder's model: their devices are compared."""
    rows = "ttft_ms,tokens_per_s\n30.1,{r}\n29.5,{r1}\n31.0,{r2}\n"
    _write(tmp_path / "results_a.csv", rows.format(r=100, r1=101, r2=99))
    _write(tmp_path / "results_b.csv", rows.format(r=50, r1=51, r2=49))
    sweep = "num_ctx,ttft_ms,tokens_per_s\n2048,30,{a}\n2048,31,{b}\n8192,40,{c}\n8192,41,{d}\n"
    _write(tmp_path / "sweep1.csv", sweep.format(a=100, b=101, c=80, d=81))
    _write(tmp_path / "sweep2.csv", sweep.format(a=50, b=51, c=40, d=41))
    _write(tmp_path / "dev" / "cpu.csv", rows.format(r=12, r1=12.5, r2=11.5))
    _write(tmp_path / "dev" / "gpu.csv", rows.format(r=90, r1=91, r2=89))
    digest = digest_of(tmp_path)
    pooled = [s for s in digest.stats if "model not stated" in (s.group or "")
              and len(s.sources) > 1]  # fmt: skip
    assert {tuple(s.sources) for s in pooled} == {("dev/cpu.csv", "dev/gpu.csv")}
    findings = compute_findings(digest)
    assert not [f for f in findings if f.title.startswith("sessions of")]
    # "model not stated" is the digest's label, no name: a sentence names the model so
    folder = "the model the files of dev/ do not name"
    devices = [f for f in findings if f.title == f"device on {folder}"]
    assert len(devices) == 1 and devices[0].verdict == "real"
    assert not [f for f in findings if "model not stated" in f.text + f.title]
    for f in findings:
        if f.title != "rows that loaded the model" and "across models" not in f.title:
            assert len(f.sources) == 1 or f.title.endswith(folder), (f.title, f.sources)


def test_llmperfs_per_request_output_rate_is_each_requests_rate(tmp_path: Path) -> None:
    """LLMPerf's request records carry `request_output_throughput_token_per_s` (a request's
    output tokens over its end-to-end time, what one user sees): it was not read, so no
    per-request rate was known (ray-project/llmperf-leaderboard: Anyscale's Llama-2-13B,
    48.18 tok/s over 150 requests). It is the request's tok/s, as GuideLLM's is. In the
    summary, its statistics beside the run's own output throughput are left out: both are
    "mean tok/s" and the run's (5 users, 207.5 tok/s) is the one a summary reports."""
    requests = [
        {"error_code": None, "error_msg": "", "ttft_s": 0.2 + i / 1000,
         "end_to_end_latency_s": 3.1 + i / 100, "request_output_throughput_token_per_s": rate,
         "number_output_tokens": 150, "number_input_tokens": 550}
        for i, rate in enumerate((48.0, 49.5, 47.1, 50.2, 46.6))
    ]  # fmt: skip
    summary = {
        "model": "meta-llama/Llama-2-13b-chat-hf", "num_concurrent_requests": 5,
        "results_request_output_throughput_token_per_s_mean": 48.28,
        "results_request_output_throughput_token_per_s_quantiles_p50": 48.0,
        "results_mean_output_throughput_token_per_s": 207.5,
    }  # fmt: skip
    _write(tmp_path / "individual" / "anyscale_13b.json", json.dumps(requests))
    _write(tmp_path / "summary" / "anyscale_13b.json", json.dumps(summary))
    rates = {(s.file, s.aggregate): (s.n, s.mean) for s in digest_of(tmp_path).stats
             if s.file and s.metric == "tokens_per_s"}  # fmt: skip
    assert rates == {
        ("individual/anyscale_13b.json", None): (5, pytest.approx(48.28)),
        ("summary/anyscale_13b.json", "mean"): (1, 207.5),
    }


_GUIDELLM_TABLES = """✔ OpenAIHTTPBackend backend validated with model {model}
✔ Setup complete, starting benchmarks...

ℹ Request Latency Statistics (Completed Requests)
|=============|=========|========|======|=======|======|======|======|======|
| Benchmark   | Request Latency || TTFT        || ITL        || TPOT       ||
| Strategy    | Sec             || ms          || ms         || ms         ||
|             | Mdn     | p95    | Mdn  | p95   | Mdn  | p95  | Mdn  | p95  |
|-------------|---------|--------|------|-------|------|------|------|------|
| synchronous | {lat}    | 20.3   | {ttft} | 107.6 | 19.6 | 19.7 | 19.6 | 19.8 |
|=============|=========|========|======|=======|======|======|======|======|


ℹ Server Throughput Statistics (All Requests)
|=============|=====|======|=======|======|=======|=======|========|=======|=======|=======|
| Benchmark   | Requests               |||| Input Tokens || Output Tokens || Total Tokens ||
| Strategy    | Per Sec   || Concurrency || Per Sec      || Per Sec       || Per Sec      ||
|             | Mdn | Mean | Mdn   | Mean | Mdn   | Mean  | Mdn    | Mean  | Mdn   | Mean  |
|-------------|-----|------|-------|------|-------|-------|--------|-------|-------|-------|
| synchronous | 0.0 | 0.0  | 1.0   | 0.7  | 4.6   | 5.6   | 50.9   | {rate}  | 50.9  | 56.2  |
|=============|=====|======|=======|======|=======|=======|========|=======|=======|=======|
"""


def test_guidellms_console_tables_are_its_statistics_of_each_benchmark(tmp_path: Path) -> None:
    """GuideLLM (0.4 and later) prints its statistics as tables boxed with `|===|` rules and
    three header rows (metric, unit, statistic; `||` spans): a sweep driver's log of two runs
    (danielkorat/guidellm-bench's bench.log) and each run's own log were "text with figures
    in no format Chimera reads". Each benchmark is a record of GuideLLM's medians, p95s and
    means (latency in s, TTFT in ms), the model the backend was validated with, the run's
    settings from its banner (`[1/2]  Qwen_Qwen3-4B_tp2`); a 0.0 (0.04 requests a second
    printed at one decimal) is no figure, and a run's own log repeating the driver's is a
    copy."""
    runs = [("Qwen/Qwen3-4B", "tp2", "20.1", "37.0", "50.9"),
            ("openai/gpt-oss-20b", "tp4", "30.6", "47.7", "33.4")]  # fmt: skip
    driver = []
    for i, (model, tp, lat, ttft, rate) in enumerate(runs, start=1):
        tables = _GUIDELLM_TABLES.format(model=model, lat=lat, ttft=ttft, rate=rate)
        driver.append(f"====\n[{i}/2]  {model.split('/')[1]}_{tp}\n====\n{tables}")
        _write(tmp_path / "logs" / f"{model.replace('/', '_')}_{tp}_bench.log", tables)
    _write(tmp_path / "bench.log", "\n".join(driver))
    digest = digest_of(tmp_path)
    read = {(s.group, s.metric, s.aggregate): s.mean for s in digest.stats
            if s.file == "bench.log"}  # fmt: skip
    qwen = "Qwen/Qwen3-4B / tensor_parallel=2"
    assert read[(qwen, "ttft_ms", "median")] == 37.0
    assert read[(qwen, "ttft_ms", "p95")] == 107.6
    assert read[(qwen, "latency_ms", "median")] == pytest.approx(20100.0)
    assert read[(qwen, "tokens_per_s", "mean")] == 50.9
    assert read[("openai/gpt-oss-20b / tensor_parallel=4", "tokens_per_s", "mean")] == 33.4
    assert not [key for key in read if key[1] == "requests_per_s"]
    assert {d.path for d in digest.duplicates} == {
        "logs/Qwen_Qwen3-4B_tp2_bench.log", "logs/openai_gpt-oss-20b_tp4_bench.log"
    }  # fmt: skip


def test_a_csv_of_semicolons_is_read_with_its_decimal_commas(tmp_path: Path) -> None:
    """A spreadsheet saved in a locale that writes decimal commas separates fields with ";"
    (`model;tokens_per_s;ttft_ms` over `llama3.1:8b;45,2;1,234`): read as one column named
    "model;tokens_per_s;ttft_ms", no metric and no row, and listed as nothing unread. The
    separator is the first line's; every comma of such a file is a decimal comma."""
    _write(tmp_path / "runs.csv", (
        "model;tokens_per_s;ttft_ms\nllama3.1:8b;45,2;1,234\nllama3.1:8b;46,8;1,5\n"
        "mistral:7b;51.25;98\n"
    ))  # fmt: skip
    read = {(s.group.split(" / ")[0], s.metric): s.mean for s in digest_of(tmp_path).stats
            if s.file}  # fmt: skip
    assert read == {
        ("llama3.1:8b", "tokens_per_s"): pytest.approx(46.0),
        ("llama3.1:8b", "ttft_ms"): pytest.approx(1.367),
        ("mistral:7b", "tokens_per_s"): 51.25,
        ("mistral:7b", "ttft_ms"): 98.0,
    }


def test_a_notes_figure_with_a_decimal_comma_is_one_figure(tmp_path: Path) -> None:
    """ "qwen3:4b generates 45,2 tokens/s on the M4" (a note written where decimals take a
    comma): the comma broke the sentence into clauses, so the claim read 2 tok/s (and "38,1
    tokens/s" 1 tok/s), which the data (45.2 tok/s) contradicts. A comma with one or two
    digits after it before a unit is a decimal comma; the claim still quotes the note as
    written, and a list of levels ("num_gpu 1,2,4") is left alone."""
    _write(tmp_path / "notes.md", (
        "# Results\n\nqwen3:4b generates 45,2 tokens/s on the M4 with num_gpu 1,2,4 tried.\n\n"
        "gemma3:4b reaches 120,5 ms TTFT and 38,1 tokens/s.\n"
    ))  # fmt: skip
    _write(tmp_path / "runs.csv", "model,tokens_per_s\nqwen3:4b,45.1\nqwen3:4b,45.3\n")
    rates = sorted((c.low, c.text) for c in digest_of(tmp_path).note_claims if c.kind == "rate")
    assert [low for low, _ in rates] == [38.1, 45.2]
    assert "45,2 tokens/s" in rates[1][1] and "num_gpu 1,2,4" in rates[1][1]


def test_a_notes_figure_with_thousands_separators_is_one_figure(tmp_path: Path) -> None:
    """shaamil101-etched/trtllm-benchmarks' README: "**Peak Performance**: **19,787
    tokens/sec**" was read as a claim of 787 tok/s (the comma broke the clause), and the 8B
    README's "**19,787.63 tokens/sec** - ISL=128" as 787.63. Digits grouped by commas before a
    unit are one figure; the claim still quotes the note as written."""
    _write(tmp_path / "README.md", (
        "# Llama 3.1 8B\n\n- **Model**: meta-llama/Llama-3.1-8B-Instruct\n"
        "- **Peak Performance**: **19,787 tokens/sec**\n\n"
        "1. **19,787.63 tokens/sec** - ISL=128, OSL=1024 (7,500 requests)\n\n"
        "qwen3:4b runs 1,234,567 tok/s with num_gpu 1,2,4 tried.\n"
    ))  # fmt: skip
    _write(tmp_path / "runs.csv", "model,tokens_per_s\nqwen3:4b,45.1\n")
    rates = sorted((c.low, c.text) for c in digest_of(tmp_path).note_claims if c.kind == "rate")
    assert [low for low, _ in rates] == [19787.0, 19787.63, 1234567.0]
    assert "19,787 tokens/sec" in rates[0][1] and "19,787.63 tokens/sec" in rates[1][1]
    assert "1,234,567 tok/s" in rates[2][1] and "num_gpu 1,2,4" in rates[2][1]


def test_a_notes_rate_for_an_unmeasured_model_that_is_another_models_run_is_said(
    tmp_path: Path,
) -> None:
    """shaamil101-etched/trtllm-benchmarks' README: "Llama 3.1 8B | 1x H100 | 19,787 tok/sec".
    No file measured the 8B (its sweep ran 1 of 62 configurations); 19,787.63 tok/s is the
    70B's TP-8 run at input 128 / output 1024. A claim about a model no file measured was
    left out silently. Where its figure is, to its last written digit, one measured figure of
    another model, the finding says whose it is; a round figure matches nothing."""
    sweep = ((128, 1024, 19787.6318), (128, 512, 19327.0789), (1024, 1024, 10893.8728))
    for isl, osl, tps in sweep:
        _write(tmp_path / f"result_{isl}_{osl}.txt", _trtllm_016_report(isl, osl, 100, tps, 1.0))
    _write(tmp_path / "README.md", (
        "# TensorRT-LLM benchmarks\n\n- **Model**: meta-llama/Llama-3.1-8B-Instruct\n"
        "- **Peak Performance**: **19,787 tokens/sec**\n\n"
        "meta-llama/Llama-3.1-8B-Instruct: over 10,000 tok/s.\n"
    ))  # fmt: skip
    (note,) = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "notes_vs_data"]
    assert (
        '"Peak Performance: 19,787 tokens/sec": no file measured meta-llama/Llama-3.1-8B-Instruct;'
        " the figure is meta-llama/Llama-3.1-70B-Instruct's at input 128 / output 1024 "
        "(19,787.63 tok/s, quantization=FP8, tensor_parallel=8)"
    ) in note.text
    assert "over 10,000" not in note.text
    assert "1 of 1 checked claims disagree" in note.headline
    assert any(f.value == pytest.approx(19787.6318) for f in note.figures)


def test_a_fraction_setting_with_a_decimal_comma_is_the_number(tmp_path: Path) -> None:
    """temperature "0,7" in a CSV of ";" fields beside 0.7 in a JSON of the same model: two
    setups ("temperature=0,7" and "temperature=0.7") of one setting level."""
    _write(tmp_path / "eu.csv", "model;temperature;tokens_per_s\nqwen3:4b;0,7;45,2\n")
    _write(tmp_path / "b.json", json.dumps(
        [{"model": "qwen3:4b", "options": {"temperature": 0.7}, "tokens_per_s": 45.0}]
    ))  # fmt: skip
    assert [s.params for s in digest_of(tmp_path).setups] == [{"temperature": 0.7}]


def test_guidellms_own_statistics_of_its_measured_window_are_read(tmp_path: Path) -> None:
    """GuideLLM's JSON holds, beside each benchmark's requests, its own statistics of the
    measured window (`metrics.time_to_first_token_ms.successful.mean` 44.13 ms over 26 of 30
    requests: warm-up and cool-down out), which were not read: only the requests' mean (all
    of them) was known. They are the benchmark's reported figures; its requests stay runs."""

    def stats(mean: float, median: float, p95: float, count: int) -> dict:
        return {"successful": {"mean": mean, "median": median, "count": count,
                               "percentiles": {"p50": median, "p95": p95}},
                "total": {"mean": mean, "median": median, "count": count,
                          "percentiles": {"p50": median, "p95": p95}}}  # fmt: skip

    requests = [
        {"request_latency": 20.1 + i / 100, "time_to_first_token_ms": ttft,
         "inter_token_latency_ms": 19.6, "output_tokens": 1024, "prompt_tokens": 90,
         "output_tokens_per_second": 50.9, "tokens_per_second": 56.0}
        for i, ttft in enumerate((218.5, 40.1, 37.0, 36.2, 108.0, 35.9))
    ]  # fmt: skip
    document = {
        "args": {"model": "Qwen/Qwen3-4B-Thinking-2507"},
        "benchmarks": [{
            "duration": 720.0,
            "metrics": {
                "time_to_first_token_ms": stats(44.13, 37.05, 107.56, 4),
                "request_latency": stats(20.13, 20.12, 20.25, 4),
                "inter_token_latency_ms": stats(19.63, 19.63, 19.72, 4),
                "requests_per_second": stats(0.036, 0.05, 0.05, 4),
            },
            "requests": {"successful": requests, "errored": [], "incomplete": []},
        }],
    }  # fmt: skip
    _write(tmp_path / "Qwen_Qwen3-4B-Thinking-2507_tp2_benchmarks.json", json.dumps(document))
    read = {(s.metric, s.aggregate): (s.n, s.mean) for s in digest_of(tmp_path).stats if s.file}
    assert read[("ttft_ms", "mean")] == (1, 44.13)
    assert read[("ttft_ms", "p95")] == (1, 107.56)
    assert read[("latency_ms", "median")] == (1, pytest.approx(20120.0))
    assert read[("requests_per_s", "mean")] == (1, 0.036)
    assert read[("ttft_ms", None)][0] == 5  # the requests, the first (the warm-up) set apart


def test_a_top_folder_sweep_of_files_naming_no_model_keeps_the_plain_name(tmp_path: Path) -> None:
    """`cpu.csv` and `gpu.csv` at the top (one file per device, no model named) beside
    `other/run.csv`: the top folder's sweep is "model not stated" (it read "model not stated
    (./)"), the other folder's file its own."""
    rows = "ttft_ms,tokens_per_s\n30.1,{r}\n29.5,{r}\n"
    _write(tmp_path / "cpu.csv", rows.format(r=12))
    _write(tmp_path / "gpu.csv", rows.format(r=90))
    _write(tmp_path / "other" / "run.csv", rows.format(r=50))
    assert {(s.model, s.config) for s in digest_of(tmp_path).setups} == {
        ("model not stated", "device=cpu"),
        ("model not stated", "device=gpu"),
        ("model not stated (other/run.csv)", "settings not stated"),
    }


def test_a_sweep_column_chimera_does_not_know_is_a_setting_not_repetitions(tmp_path: Path) -> None:
    """A CSV sweeping the KV cache type (`kv_type` f16 / q8_0 / q4_0, two runs each): the
    column's name is no setting Chimera knew, so the six rows were one setup's repetitions
    ("41.20-47.10 tok/s over 6 runs, a coefficient of variation of 5.7 %"). Its values are a
    setting's levels: three setups, compared, and the digest says which column it read so."""
    _write(tmp_path / "sweep.csv", (
        "model,kv_type,run,tokens_per_s\nqwen2.5:7b,f16,1,41.2\nqwen2.5:7b,f16,2,41.5\n"
        "qwen2.5:7b,q8_0,1,44.0\nqwen2.5:7b,q8_0,2,44.3\nqwen2.5:7b,q4_0,1,47.1\n"
        "qwen2.5:7b,q4_0,2,46.8\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert sorted(s.params.get("kv_type") for s in digest.setups) == ["f16", "q4_0", "q8_0"]
    assert [(c.column, c.levels) for c in digest.column_settings] == [
        ("kv_type", ["f16", "q8_0", "q4_0"])
    ]
    assert any("sweep.csv kv_type (f16, q8_0, q4_0)" in line for line in coverage_lines(digest))
    assert "sweep.csv kv_type: f16, q8_0, q4_0" in render_digest(digest, 4000)[0]
    texts = [f.text for f in compute_findings(digest)]
    assert not any("over 6 runs" in t for t in texts), texts
    assert any("kv_type=q4_0 gives 46.95 tok/s against 41.35 tok/s at kv_type=f16" in t
               for t in texts), texts  # fmt: skip


def test_columns_that_are_no_settings_stay_unread(tmp_path: Path) -> None:
    """What is no setting is never made one: a run number, a label of each row, a finish
    reason, an answer, a date, and an unknown number column (a measurement as often as not:
    `gpu_util`, `vram_mb`); rows differing only in those stay one setup's repetitions."""
    _write(tmp_path / "runs.csv", (
        "model,run,label,done_reason,response,day,gpu_util,tokens_per_s\n"
        "m:1,1,a,stop,Hi there,2025-11-01,91,40.1\nm:1,2,b,length,Hello,2025-11-01,88,40.4\n"
        "m:1,3,c,stop,Hi there,2025-11-02,91,40.0\nm:1,4,d,length,Hey,2025-11-02,88,40.6\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert digest.column_settings == []
    assert len(digest.setups) == 1


def test_an_unnamed_number_column_that_sweeps_is_a_setting(tmp_path: Path) -> None:
    """A sweep's own variable under no setting's name (`x` 1 / 2 / 4, three runs each, over
    otherwise identical rows): an unknown number column was never a setting, so the nine
    rows were one setup's runs ("40.1-70.2 tok/s, a coefficient of variation of 23 %"). A
    whole-number column of a few repeated levels whose rows differ level to level beyond the
    spread within a level is a setting; a pass counter whose levels agree within their spread,
    or any other unnamed number column that does not sweep the figures, stays unread."""
    rates = {1: (40.1, 40.4, 39.9), 2: (55.0, 54.6, 55.3), 4: (70.2, 69.8, 70.0)}
    rows = ["model,x,tokens_per_s"] + [
        f"llama3.1:8b,{x},{r}" for x, runs in rates.items() for r in runs
    ]
    _write(tmp_path / "sweep.csv", "\n".join(rows) + "\n")
    runs = ((1, 30.1), (2, 30.4), (1, 29.9), (2, 30.2))  # (lane, rate) per pass, twice
    rows = ["model,pass,lane,tokens_per_s"] + [
        f"qwen3:8b,{p},{g},{r}" for p, (g, r) in enumerate(runs, 1) for _ in (0, 1)
    ]
    _write(tmp_path / "passes.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path)
    assert [(c.path, c.column, c.levels) for c in digest.column_settings] == [
        ("sweep.csv", "x", ["1", "2", "4"])
    ]
    texts = [f.text for f in compute_findings(digest, per_kind=None)]
    assert any("x=4 gives 70.00 tok/s against 40.13 tok/s at x=1" in t for t in texts), texts
    assert len([s for s in digest.setups if s.model == "qwen3:8b"]) == 1


def test_a_named_setting_column_counts_with_one_row_a_level(tmp_path: Path) -> None:
    """`flash_attention` on / off and `ubatch` 256 / 512, one row each (a sweep of means): a
    column named like a setting is one whatever its level counts; `gpu_util` beside them,
    a number column named like a measurement, is not."""
    _write(tmp_path / "fa.csv", (
        "model,flash_attention,ubatch,gpu_util,tokens_per_s\nm:1,off,256,80,40.0\n"
        "m:1,on,256,85,44.0\nm:1,off,512,82,41.0\nm:1,on,512,90,45.5\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert sorted(c.column for c in digest.column_settings) == ["flash_attention", "ubatch"]
    assert len(digest.setups) == 4


def test_a_column_restating_the_model_or_naming_a_scenario_is_no_setting(tmp_path: Path) -> None:
    """Chimeraforge's shapes: `tag` q4_0 beside the model `llama3.1:8b-instruct-q4_0` says
    the model again (a setting of it would split one model's runs from its runs in other
    files); `Context` player_died / level_up is the game scenario a prompt was written for,
    the rows' workload (each scenario's rows are its repetitions, not a context size)."""
    _write(tmp_path / "quant.csv", (
        "model,tag,tokens_per_s\nllama3.1:8b-instruct-q4_0,q4_0,76.1\n"
        "llama3.1:8b-instruct-q4_0,q4_0,77.0\nllama3.1:8b-instruct-q8_0,q8_0,46.5\n"
        "llama3.1:8b-instruct-q8_0,q8_0,46.9\n"
    ))  # fmt: skip
    _write(tmp_path / "scenarios.csv", (
        "model,Context,tokens_per_s\ngemma3:1b,player_died,14.2\ngemma3:1b,player_died,14.0\n"
        "gemma3:1b,level_up,13.8\ngemma3:1b,level_up,13.9\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert digest.column_settings == []
    workloads = {s.workload for s in digest.stats if "gemma3:1b" in (s.group or "")}
    assert workloads >= {"player_died", "level_up"}


def test_an_unknown_setting_key_of_json_records_is_a_setting(tmp_path: Path) -> None:
    """Records of an Ollama run script with the server's KV cache type beside each run, under
    a name of the script's own (`kv_mode`): two cache types, not four repetitions."""
    runs = [
        {"model": "llama3.2:3b", "kv_mode": kv, "eval_count": 100,
         "eval_duration": int(100 / rate * 1e9)}
        for kv, rate in (("f16", 50.0), ("f16", 50.4), ("q8_0", 55.1), ("q8_0", 54.7))
    ]  # fmt: skip
    _write(tmp_path / "runs.json", json.dumps(runs))
    digest = digest_of(tmp_path)
    assert [c.column for c in digest.column_settings] == ["kv_mode"]
    assert sorted(s.params.get("kv_mode") for s in digest.setups) == ["f16", "q8_0"]


def test_a_recommendation_says_do_nothing_only_of_settings_measured_to(tmp_path: Path) -> None:
    """The bundled report said of gemma3:270m's best config "the other settings (...,
    temperature=0.8) measurably do nothing for speed here", though temperature was never
    varied on that model. A setting held at one level is kept as the config has it, its own
    effect unmeasured; only a setting whose effect was measured as none "does nothing"."""
    rows = ["model,kv_type,num_ctx,temperature,tokens_per_s"]
    for kv, ctx, temperature, rates in (
        ("f16", 8192, 0.2, (41.2, 41.5)), ("q4_0", 8192, 0.2, (47.1, 46.8)),
        ("q4_0", 8192, 0.8, (47.0, 46.9)),
    ):  # fmt: skip
        rows += [f"qwen2.5:7b,{kv},{ctx},{temperature},{rate}" for rate in rates]
    _write(tmp_path / "sweep.csv", "\n".join(rows) + "\n")
    findings = compute_findings(digest_of(tmp_path))
    recommendations = [f.recommendation.text for f in findings if f.recommendation]
    best = next(r for r in recommendations if r.startswith("For qwen2.5:7b, use kv_type: q4_0"))
    assert "keep num_ctx=8192 as in that config (its own effect was not measured)" in best
    assert "temperature measurably does nothing for speed here" in best
    assert "num_ctx measurably" not in best


def test_an_archive_table_with_its_unit_in_the_cell_and_settings_in_run_names(
    tmp_path: Path,
) -> None:
    """An archive's campaign page (LottoLottoLotto/4x3090-llm-benchmarks): `| run | model |
    quant | layout | ctx | conc | primary metric |` over "69.26 output tok/s" cells, "TP=4"
    layouts, and the swept KV-cache dtype written only in the run's name. Read as holding no
    metric; the metric is the cell's unit, `TP=4` the tensor parallelism, and the run names
    tell apart rows whose recognised setup repeats (never one setup's repetitions)."""
    _write(tmp_path / "kv-sweep.md", (
        "| run | model | quant | layout | ctx | conc | primary metric |\n"
        "|---|---|---|---|---:|---:|---:|\n"
        "| [kv/c1024/auto](a.md) | Qwen3.6-27B | fp8 | TP=4 | 1024 | 1 | 103.46 output tok/s |\n"
        "| [kv/c1024/fp8_e4m3](b.md) | Qwen3.6-27B | fp8 | TP=4 | 1024 | 1 | 71.51 output tok/s |\n"
        "| [tp/tp2_c64](c.md) | Qwen3.6-27B | fp8 | TP=2 | 1024 | 64 | 473.1 output tok/s |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    setups = sorted((s.config, s.params.get("tensor_parallel"), s.params.get("concurrency"))
                    for s in digest.setups)  # fmt: skip
    assert [(t, c) for _, t, c in setups] == [(4, 1), (4, 1), (2, 64)]
    assert {s.config for s in digest.setups} >= {"kv/c1024/auto", "kv/c1024/fp8_e4m3"}
    rates = sorted(s.mean for s in digest.stats
                   if s.group_by == "model+config_name" and s.metric == "tokens_per_s")  # fmt: skip
    assert rates == [71.51, 103.46, 473.1]


def test_a_label_naming_speculative_decoding_is_a_setting(tmp_path: Path) -> None:
    """bhodgens/local-llm-benchmarks' bench_results.json keys each model's runs "[MTP-n3]",
    "[MTP-n5]" or "[no-spec]": the findings said only that the configs "differ only in their
    names", so MTP n=3's 1.29x over no speculative decoding on the V100 (and its 0.66x on the
    35B MoE) was never stated. A label's speculative-decoding config is the setting
    `speculative` (none where it says no-spec); another bracketed word stays a name only."""
    _write(tmp_path / "bench_results.json", json.dumps({
        "Qwopus-27B-Q4_K_M.gguf [no-spec]": {"decode_tps_1": 31.2, "decode_tps_2": 31.3},
        "Qwopus-27B-Q4_K_M.gguf [MTP-n3]": {"decode_tps_1": 40.1, "decode_tps_2": 40.5},
        "Qwopus-27B-Q4_K_M.gguf [MTP-n5]": {"decode_tps_1": 34.2, "decode_tps_2": 34.3},
        "Qwen-9B-Q4_K_M.gguf [run-a]": {"decode_tps_1": 80.1, "decode_tps_2": 80.3},
        "Qwen-9B-Q4_K_M.gguf [run-b]": {"decode_tps_1": 70.1, "decode_tps_2": 70.3},
    }))  # fmt: skip
    digest = digest_of(tmp_path)
    levels = sorted(str(s.params.get("speculative")) for s in digest.setups)
    assert levels == ["MTP-n3", "MTP-n5", "None", "None", "none"]
    texts = [f.text for f in compute_findings(digest, per_kind=None)]
    assert any(
        "speculative=MTP-n3 gives 40.30 tok/s against 31.25 tok/s at speculative=none" in t
        for t in texts
    ), texts
    assert any("differ only in their names (run-a and run-b)" in t for t in texts), texts


def test_json_records_keyed_by_their_labels_are_each_their_own_setup(tmp_path: Path) -> None:
    """bhodgens/local-llm-benchmarks' bench_results.json: `{"Qwopus-27B-Q4_K_M.gguf [MTP-n3]":
    {"decode_tps_1": .., "decode_tps_2": .., "decode_tps_avg": ..}, ...}` and its settings
    sweep keyed "cpu-moe ngl=99 ubatch=256 thr=4". The keys were no field, so 13 models, two
    GPUs and six configs were one "model not stated" setup (CV 88 %), the numbered runs unread.
    A label key states the model and config (or the settings); `_1`, `_2` after a metric, or
    a `_runs` list of it, are its runs."""
    _write(tmp_path / "bench_results.json", json.dumps({
        "Qwopus-27B-Q4_K_M.gguf [no-spec]": {"prompt_eval_tps": 527.2, "decode_tps_1": 31.2,
                                             "decode_tps_2": 31.3, "decode_tps_avg": 31.2},
        "Qwopus-27B-Q4_K_M.gguf [MTP-n3]": {"prompt_eval_tps": 466.9, "decode_tps_1": 36.7,
                                            "decode_tps_2": 43.9, "decode_tps_avg": 40.3},
        "Qwythos-9B-Q4_K_M.gguf [no-spec]": {"decode_tps_runs": [83.4, 79.5],
                                             "decode_tps_avg": 81.5},
        "RavenX-35B-A3B-Q4_K_M.gguf [MTP-n3]": {"error": "server failed"},
    }))  # fmt: skip
    _write(tmp_path / "sweep" / "bench_cfg_results.json", json.dumps({
        "cpu-moe ngl=99 ubatch=256 thr=4": {"decode_tps_1": 25.7, "decode_tps_2": 25.6},
        "cpu-moe ngl=99 ubatch=256 thr=2": {"decode_tps_1": 19.6, "decode_tps_2": 19.5},
    }))  # fmt: skip
    digest = digest_of(tmp_path)
    runs = {s.group: (s.n, round(s.mean, 2)) for s in digest.stats
            if s.group_by == "model+config_name" and s.metric == "tokens_per_s"
            and s.aggregate is None}  # fmt: skip
    assert runs["Qwopus-27B-Q4_K_M / MTP-n3"] == (2, 40.3)
    assert runs["Qwopus-27B-Q4_K_M / no-spec"] == (2, 31.25)
    assert runs["Qwythos-9B-Q4_K_M / no-spec"] == (2, 81.45)
    sweep = sorted((s.params.get("num_gpu"), s.config) for s in digest.setups
                   if s.model == "model not stated")  # fmt: skip
    assert sweep == [
        (99, "cpu-moe ngl=99 ubatch=256 thr=2"),
        (99, "cpu-moe ngl=99 ubatch=256 thr=4"),
    ]
    assert any("server failed" in str(e) for e in digest.error_rows)
    # "1 of 7 rows failed": six runs and the failure, not the three averages beside the runs
    assert [e.rows for e in digest.error_rows] == [7]


def test_a_json_records_name_with_its_gguf_quantisation_names_the_model(tmp_path: Path) -> None:
    """final_results.json's rows (`"name": "RavenX-OpenFable-Holo3 Q4_K_M", "decode_tps": ..`):
    a JSON record's `name` was not read at all, so 17 models were one setup's repetitions
    ("25.00-213.20 tok/s, CV 88 %"). A record's `name` is its model where it names one, and
    a name followed by its GGUF quantisation type does."""
    rows = [{"name": n, "decode_tps": r} for n, r in (
        ("RavenX-OpenFable-Holo3 Q4_K_M", 26.8), ("DeepSeek-Coder-V2-Lite IQ4_XS", 80.0),
        ("LFM2.5-8B-A1B base Q4_K_M", 213.2), ("baseline", 10.0))]  # fmt: skip
    _write(tmp_path / "final_results.json", json.dumps(rows))
    models = {s.model for s in digest_of(tmp_path).setups}
    assert models == {"RavenX-OpenFable-Holo3 Q4_K_M", "DeepSeek-Coder-V2-Lite IQ4_XS",
                      "LFM2.5-8B-A1B base Q4_K_M", "model not stated"}  # fmt: skip


def test_a_sessions_aggregate_beside_its_tasks_is_no_run_and_its_label_names_the_model(
    tmp_path: Path,
) -> None:
    """crypdick/mac-studio-local-llm-benchmarks' `results/runs/20260810T224420Z-mimo-v2.5-
    fast.json`: `tasks[]` (llama-server's timings per task) beside `aggregate{}` (the tasks'
    token-weighted rates and the server's load_s). The aggregate was a fifth run, its load
    making 12 "rows that loaded the model"; `model_label` was unread, so the model was the
    file's name less its timestamp but for the UTC "Z" ("Z-mimo-v2.5-fast", one model per
    profile). The aggregate sums the tasks up; `model_label` names the model."""
    for stamp, key, label, rates in (
        ("20260810T224420Z", "mimo-v2.5", "MiMo-V2.5 UD-Q3_K_M", (37.3, 37.9, 38.0, 39.3)),
        ("20260810T153559Z", "deepseek-v4-flash", "DeepSeek-V4-Flash Q8", (7.2, 7.8, 7.1, 7.5)),
    ):  # fmt: skip
        run = {
            "model_key": key, "model_label": label, "profile": {"name": "fast", "max_tokens": 8192},
            "tasks": [{"task": t, "ok": True, "prompt_tps": 300.0, "decode_tps": r, "wall_s": 100.0}
                      for t, r in zip(("a", "b", "c", "d"), rates, strict=True)],
            "aggregate": {"load_s": 8.04, "prompt_tps": 301.6, "decode_tps": sum(rates) / 4},
        }  # fmt: skip
        _write(tmp_path / "results" / "runs" / f"{stamp}-{key}-fast.json", json.dumps(run))
    digest = digest_of(tmp_path)
    assert digest.cold_rows == []
    runs = {s.group: s.n for s in digest.stats if s.group_by == "model"
            and s.metric == "tokens_per_s" and s.aggregate is None}  # fmt: skip
    assert runs == {"MiMo-V2.5 UD-Q3_K_M": 4, "DeepSeek-V4-Flash Q8": 4}


def test_optimum_benchmark_reports_are_read_with_the_machine_of_their_config(
    tmp_path: Path,
) -> None:
    """DerekLiu35/huggingface-quantization-benchmarking-code: optimum-benchmark's run folders
    (`benchmark_report.md`: `# decode:` / `## latency:` over `| metric | value | unit |`
    tables; the same as `.txt` and `.json`; `benchmark_config.json` with the GPUs). The
    reports were "no recognised metric", the config's `"latency": true` a 1000 ms latency,
    and an A100 box's runs pooled with an H100's. A report is one run's means (decode
    throughput the generation rate, prefill latency the TTFT), its config the model,
    quantization and machine; its other renderings repeat it."""

    def config(model: str, scheme: str | None, gpus: list[str]) -> str:
        return json.dumps({
            "backend": {"name": "pytorch", "library": "transformers", "model": model,
                        "quantization_scheme": scheme, "torch_dtype": "bfloat16"},
            "scenario": {"latency": True, "memory": True, "input_shapes": {"batch_size": 1,
                         "sequence_length": 64}, "generate_kwargs": {"max_new_tokens": 64}},
            "environment": {"gpu": gpus, "gpu_count": len(gpus)},
        })  # fmt: skip

    def report_md(ttft_s: float, rate: float) -> str:
        table = "| metric | value | unit |\n| :-- | --: | --: |\n"
        return (
            f"# prefill:\n\n## latency:\n\n{table}| count | 10 | - |\n| mean | {ttft_s} | s |\n"
            f"# decode:\n\n## latency:\n\n{table}| count | 10 | - |\n| mean | 1.46 | s |\n"
            f"## throughput:\n\n{table}| throughput | {rate} | tokens/s |\n"
        )

    a100 = ["NVIDIA A100-SXM4-80GB"] * 2 + ["NVIDIA DGX Display"]
    _write(tmp_path / "runs/awq/benchmark_config.json", config("org/Llama-AWQ", "awq", a100))
    _write(tmp_path / "runs/awq/benchmark_report.md", report_md(0.032447, 43.09))
    _write(tmp_path / "runs/awq/benchmark_report.txt", (
        "+ prefill:\n\t+ latency:\n\t\t+ count: 10\n\t\t+ mean: 0.032447 (s)\n"
        "+ decode:\n\t+ latency:\n\t\t+ count: 10\n\t\t+ mean: 1.460000 (s)\n"
        "\t+ throughput:\n\t\t+ throughput: 43.09 (tokens/s)\n"
    ))  # fmt: skip
    _write(tmp_path / "runs/fp8/benchmark_config.json",
           config("org/Llama", "fbgemm_fp8", ["NVIDIA H100 80GB HBM3"]))  # fmt: skip
    _write(tmp_path / "runs/fp8/benchmark_report.md", report_md(0.030225, 33.83))
    digest = digest_of(tmp_path)
    rates = {(s.group, s.machine): s.mean for s in digest.stats
             if s.group_by == "model" and s.metric == "tokens_per_s"}  # fmt: skip
    assert rates == {("org/Llama-AWQ", "2x NVIDIA A100-SXM4-80GB"): 43.09,
                     ("org/Llama", "NVIDIA H100 80GB HBM3"): 33.83}  # fmt: skip
    ttft = sorted(round(s.mean, 3) for s in digest.stats
                  if s.group_by == "model" and s.metric == "ttft_ms")  # fmt: skip
    assert ttft == [30.225, 32.447]
    assert not any(s.metric == "latency_ms" for s in digest.stats)
    assert len(digest.duplicates) == 1 and digest.duplicates[0].path.startswith("runs/awq/")


def test_a_wide_table_of_levels_is_said_to_be_one_not_a_file_without_a_header(
    tmp_path: Path,
) -> None:
    """UPCBarcelonaTech/infpop's `table_gpuscale_a100_vLLM.csv`: `model,1,2,4,8` over
    `Bloom-1b7,133.1,71.3,nan,65.6` (throughput per GPU count, both named only in the file's
    name and the README). Listed as "no header row: the first line holds values"; it has
    one, of levels of a setting it does not name, beside no metric."""
    wide = "model,1,2,4,8\nBloom-1b7,133.1,71.3,nan,65.6\nGemma-2b,132.3,72.6,75.1,70.9\n"
    _write(tmp_path / "table_gpuscale_a100_vLLM.csv", wide)
    _write(tmp_path / "raw.csv", "llama3,12.5,45.25\nmistral,13.1,44.0\n")
    _write(tmp_path / "results.csv", "model,tok/s\nllama3,12.5\n")  # a folder with a figure
    reasons = {u.path: u.reason for u in digest_of(tmp_path).skipped}
    assert reasons["table_gpuscale_a100_vLLM.csv"].startswith("a wide table: after 'model'")
    assert reasons["raw.csv"].startswith("no header row")


def test_a_wide_tables_reason_says_what_its_file_name_names_and_what_nothing_does(
    tmp_path: Path,
) -> None:
    """infpop's wide tables name their columns' variable only in the file name (`gpuscale`,
    `batchsizes`) and their figures' metric nowhere in the folder (the README says
    "throughput", in no unit; the paper says tokens a second). Nothing general reads them
    soundly, so they stay unread, but the reason says what the name does tell and what no
    name tells, rather than "a setting it does not name, nor the metric"."""
    wide = "model,1,2,4,8\nBloom-1b7,133.1,238.1,395.5,547.6\nGemma-2b,132.3,72.6,75.1,70.9\n"
    _write(tmp_path / "table_batchsizes_a100_vLLM_gpu_1.csv", wide)
    _write(tmp_path / "throughput_by_users.csv", wide.replace("547.6", "547.7"))
    _write(tmp_path / "results.csv", "model,tok/s\nllama3,12.5\n")  # a folder with a figure
    reasons = {u.path: u.reason for u in digest_of(tmp_path).skipped}
    batches = reasons["table_batchsizes_a100_vLLM_gpu_1.csv"]
    assert "(its file name says batch sizes: 'batchsizes')" in batches
    assert "neither it nor its name states the metric of its figures" in batches
    users = reasons["throughput_by_users.csv"]
    assert "concurrencies: 'users'" in users
    assert "its file name says 'throughput' of its figures, but not in what unit" in users


def test_a_gpu_named_by_its_model_number_alone_is_a_machine(tmp_path: Path) -> None:
    """ "### V100 (CUDA0) - 27B Dense Models" over a README table, `"gpu": "V100"` in a JSON
    row (bhodgens/local-llm-benchmarks): a GPU's name of one letter was no machine ("a
    machine no file names"), while "RTX 3060" beside it was. A bare "3060" stays none."""
    table = "| Model | Config | Decode (tok/s) |\n|---|---|---|\n| {} | no-spec | {} |\n"
    _write(tmp_path / "README.md", (
        "### V100 (CUDA0) - 27B Dense Models\n\n" + table.format("Qwopus-27B Q4_K_M", 31.2)
        + "\n### RTX 3060 (CUDA1) - 35B MoE\n\n" + table.format("Qwen3.6-35B-A3B Q4_K_M", 25.4)
    ))  # fmt: skip
    rows = [{"name": "Qwen3.6-27B-MTP Q4_K_M", "decode_tps": 30.1, "gpu": "V100"},
            {"name": "LFM2.5-8B-A1B Q4_K_M", "decode_tps": 213.2, "gpu": "3060"}]  # fmt: skip
    _write(tmp_path / "final_results.json", json.dumps(rows))
    machines = {(s.model, s.machine) for s in digest_of(tmp_path).setups}
    assert machines == {
        ("Qwopus-27B Q4_K_M", "V100"),
        ("Qwen3.6-35B-A3B Q4_K_M", "RTX 3060"),
        ("Qwen3.6-27B-MTP Q4_K_M", "V100"),
        ("LFM2.5-8B-A1B Q4_K_M", None),
    }


def test_kv_cache_dtype_and_power_limit_columns_are_settings(tmp_path: Path) -> None:
    """An archive's records (LottoLottoLotto/4x3090-llm-benchmarks' benchmarks.jsonl:
    `"kv_cache_dtype": "fp8"`, `"power_limit_w": 220`) and llama-server sweeps (`cache_type_k`
    q8_0 / f16): columns no setting's name, so runs of two KV-cache types or two power caps
    were one setup's repetitions. The KV cache's type and the power cap are settings."""
    _write(tmp_path / "runs.csv", (
        "model,kv_cache_dtype,power_limit_w,output_tok_s\n"
        "Qwen3.6-27B,auto,220,28.9\nQwen3.6-27B,auto,220,29.0\n"
        "Qwen3.6-27B,fp8_e4m3,220,20.1\nQwen3.6-27B,fp8_e4m3,220,20.3\n"
        "Qwen3.6-27B,auto,350,33.5\nQwen3.6-27B,auto,350,33.2\n"
    ))  # fmt: skip
    setups = sorted((s.params.get("kv_cache_dtype"), s.params.get("power_limit"))
                    for s in digest_of(tmp_path).setups)  # fmt: skip
    assert setups == [("auto", 220), ("auto", 350), ("fp8_e4m3", 220)]


def _one_call(model: str, ctx: int, rate: float, load_s: float) -> str:
    """One call's metrics.json as khaney64/ollama-model-tests writes it: the figures in
    sections (timing, tokens) beside the run's settings and a list of warnings."""
    return json.dumps(
        {
            "model": model,
            "timing": {"total_duration_s": 30.0, "load_duration_s": load_s,
                       "prompt_eval_duration_s": 0.4, "eval_duration_s": 25.0},
            "tokens": {"prompt_eval_count": 3212, "eval_count": 1500,
                       "prompt_eval_tokens_per_sec": 4000.0, "eval_tokens_per_sec": rate},
            "gpu": {"peak_vram_mb": 9000.0, "avg_gpu_utilization_pct": 90.0},
            "wall_clock_s": 30.05, "num_ctx": ctx, "num_predict": ctx, "num_threads": 18,
            "hardware": {"cpu_logical_cores": 24, "gpu_name": "NVIDIA GeForce RTX 4070"},
            "warnings": ["Used 94% of context."],
        }
    )  # fmt: skip


def test_cpu_mode_calls_are_compared_with_the_gpu_calls_of_their_models(tmp_path: Path) -> None:
    """khaney64/ollama-model-tests: each model's calls on the RTX 4070 (`gpu/rtx-4070/ctx-N/`,
    `"execution_mode": "gpu"`, `hardware.gpu_name`) and in CPU mode (`cpu/`, `"execution_mode":
    "cpu"`, only `cpu_logical_cores` stated). The CPU-mode calls stood on "a machine no file
    names" and the 7.5-8.7x GPU speed-up was never compared. `execution_mode` is the device
    setting; each CPU-mode setup is set against its model's GPU setup of the nearest settings,
    saying what else differs and that the CPU-mode files name no machine."""
    for model, folder, gpu, cpu in (
        ("qwen3:8b", "qwen3(8b)", 72.1, 8.3),
        ("llama3.2:latest", "llama3.2(latest)", 166.6, 19.6),
    ):
        for ctx in (8192, 16384):
            call = json.loads(_one_call(model, ctx, gpu - ctx / 8192, 2.0))
            call["execution_mode"] = "gpu"
            _write(tmp_path / folder / "gpu" / "rtx-4070" / f"ctx-{ctx}" / "metrics.json",
                   json.dumps(call))  # fmt: skip
        call = json.loads(_one_call(model, 32768, cpu, 2.0))
        call["execution_mode"] = "cpu"
        call["hardware"] = {"cpu_logical_cores": 24}
        _write(tmp_path / folder / "cpu" / "metrics.json", json.dumps(call))
    digest = digest_of(tmp_path)
    assert sorted({str(s.params.get("device")) for s in digest.setups}) == ["cpu", "gpu"]
    texts = [f.text for f in compute_findings(digest, per_kind=None)]
    [text] = [t for t in texts if "CPU-mode runs" in t and "throughput" in t]
    assert text.startswith(
        "GPU runs on NVIDIA GeForce RTX 4070 give 8.4x the throughput of CPU-mode runs over "
        "the 2 models measured both ways"
    ), text
    assert "llama3.2:latest 164.60 tok/s vs 19.60 tok/s" in text
    assert "num_ctx 16384 against 32768" in text
    assert "The CPU-mode files name no machine" in text


def test_one_calls_figures_in_sections_are_one_run(tmp_path: Path) -> None:
    """A JSON document writing one call's figures in sections ("timing": {...}, "tokens":
    {...}) was read as a run per section: 71 calls became 211 rows, the load in a row of its
    own, so 65 of '195 runs' loaded the model. The sections are one record."""
    _write(tmp_path / "a" / "ctx-8192" / "metrics.json", _one_call("qwen3:8b", 8192, 72.1, 1.8))
    digest = digest_of(tmp_path)
    assert digest.rows_read == 1
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert (rate.n, rate.mean) == (1, 72.1)
    [load] = [s for s in digest.stats if s.metric == "load_ms" and s.group_by is None]
    assert (load.n, load.mean) == (1, 1800.0)


def test_a_folder_of_one_call_files_that_each_loaded_the_model_keeps_them(tmp_path: Path) -> None:
    """Each file one call, each after a reload (loads of 1.6-3.4 s): no call of the folder was
    warm, so setting every one apart left nothing to compare. They are alike: kept, and said
    as calls that all loaded the model."""
    for ctx, rate, load in ((8192, 72.1, 1.8), (10240, 71.8, 1.7), (16384, 71.1, 1.6)):
        _write(tmp_path / f"ctx-{ctx}" / "metrics.json", _one_call("qwen3:8b", ctx, rate, load))
    _write(tmp_path / "ctx-32768" / "metrics.json", _one_call("qwen3:8b", 32768, 70.0, 3.4))
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rate.n == 4
    assert digest.cold_rows and all(c.every_row_loaded and c.rows == 0 for c in digest.cold_rows)


def test_a_one_call_file_that_loaded_beside_warm_calls_is_set_apart(tmp_path: Path) -> None:
    """Where another file's call was warm (a load of tens of ms), the one that loaded is a
    load as before: set apart from the comparisons."""
    _write(tmp_path / "first" / "metrics.json", _one_call("qwen3:8b", 8192, 60.0, 2.5))
    _write(tmp_path / "second" / "metrics.json", _one_call("qwen3:8b", 8192, 72.0, 0.02))
    _write(tmp_path / "third" / "metrics.json", _one_call("qwen3:8b", 8192, 72.2, 0.03))
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rate.n == 2
    assert [c.rows for c in digest.cold_rows] == [1]


def test_a_phase_that_produced_tokens_in_no_time_is_not_measured(tmp_path: Path) -> None:
    """A cloud model called through Ollama reports its tokens (5065 generated) but times none
    of it: eval duration 0, "eval_tokens_per_sec": 0. Read as a rate of 0 tok/s it was the
    slowest run of the folder; it is no measurement: left out, and said."""
    cloud = json.loads(_one_call("glm-4.7:cloud", 32768, 0.0, 0.0))
    cloud["timing"].update(prompt_eval_duration_s=0.0, eval_duration_s=0.0)
    cloud["tokens"].update(prompt_eval_tokens_per_sec=0, eval_tokens_per_sec=0, eval_count=5065)
    _write(tmp_path / "cloud" / "metrics.json", json.dumps(cloud))
    _write(tmp_path / "gpu" / "metrics.json", _one_call("qwen3:8b", 8192, 72.1, 1.8))
    digest = digest_of(tmp_path)
    rates = [s for s in digest.stats if s.metric in ("tokens_per_s", "eval_ms")]
    assert rates and all(s.min > 0 for s in rates)
    [left_out] = [d for d in digest.dropped if d.path == "cloud/metrics.json"]
    assert left_out.what == "values" and left_out.count == 4


def test_a_notes_hardware_table_names_the_machine_of_its_section(tmp_path: Path) -> None:
    """jenicek001/ollama-benchmark-suite's results note: one section per machine, each a
    `| Component | Detail |` table (`| **GPU** | AMD Radeon 780M ... |`) above its results.
    Read with no machine, gemma4:31b at 10.33 tok/s on one machine and 3.28 on the other
    became "num_ctx=262144 ... 214.9 % above num_ctx=8192" on one machine."""
    section = (
        "## System {n}: {cpu} - {gpu}\n\n### Hardware\n| Component | Detail |\n| :--- | :--- |\n"
        "| **CPU** | {cpu} |\n| **GPU** | {gpu}, 40 CUs @ 2900 MHz |\n| **RAM** | 96 GB |\n\n"
        "### Performance Results\n\n| Model | Quant | t/s | num_ctx |\n"
        "| :--- | :--- | :--- | :--- |\n| **gemma3:27b** | Q4_K_M | **{a}** | default |\n"
        "| **gemma4:31b** | Q4_K_M | **{b}** | {ctx} |\n\n"
    )
    _write(
        tmp_path / "results" / "BENCHMARK_RESULTS.md",
        "# Benchmarking Results\n\n"
        + section.format(n=1, cpu="AMD Ryzen AI Max 395", gpu="AMD Radeon 8060S", a=11.07,
                         b=10.33, ctx=262144)
        + section.format(n=2, cpu="AMD Ryzen 7 8845HS", gpu="AMD Radeon 780M", a=4.1, b=3.28,
                         ctx=8192),
    )  # fmt: skip
    digest = digest_of(tmp_path)
    assert sorted(m for m in digest.machines if m) == ["AMD Radeon 780M", "AMD Radeon 8060S"]
    text = " ".join(f.text for f in compute_findings(digest))
    assert "214.9 %" not in text and "num_ctx=262144 and" not in text


def _speed_test(
    root: Path,
    stamp: str,
    rates: dict[str, list[float]],
    tokens: int = 400,
    prompts: tuple[str, ...] = ("edit distance", "parentheses", "regions"),
) -> None:
    """gzhang33/ollama_benchmark's speed_test.py output: each request's rate in a details
    CSV (two decimals) and, in full, in a results JSON under each model's summary."""
    lines = ["model,prompt,output_tokens,duration,tokens_per_second"]
    results = []
    for model, values in rates.items():
        details = []
        for prompt, rate in zip(prompts, values, strict=True):
            lines.append(f"{model},{prompt},{tokens},{tokens / rate:.2f},{rate:.2f}")
            details.append(
                {
                    "model": model,
                    "prompt": prompt,
                    "output_tokens": tokens,
                    "duration": tokens / rate,
                    "tokens_per_second": rate,
                }
            )
        total = sum(d["duration"] for d in details)
        results.append(
            {
                "model": model,
                "total_tokens": tokens * 3,
                "total_duration": total,
                "average_speed": tokens * 3 / total,
                "success_rate": 1.0,
                "test_count": 3,
                "details": details,
            }
        )
    _write(root / f"speed_test_details_{stamp}.csv", "\n".join(lines) + "\n")
    _write(
        root / f"speed_test_results_{stamp}.json",
        json.dumps({"timestamp": stamp, "total_models": len(rates), "results": results}),
    )


def test_a_json_twin_of_rates_beside_a_fixed_token_count_is_found(tmp_path: Path) -> None:
    """Every request generated num_predict's 400 tokens, so a run's one figure of its own is
    its rate: no pair of varying figures fingerprinted it, and the JSON twin of the CSV was
    counted again (2 of 3 sessions' runs read twice)."""
    _speed_test(tmp_path, "20251003_032235", {
        "gemma3:4b": [42.853113, 68.761021, 67.750443],
        "phi4-mini:3.8b": [50.519931, 71.108411, 72.014405],
        "llama3.1:8b-instruct-q8_0": [22.280429, 28.933502, 29.347311],
    })  # fmt: skip
    digest = digest_of(tmp_path)
    assert [(d.path, d.of, d.rows) for d in digest.duplicates] == [
        ("speed_test_results_20251003_032235.json", "speed_test_details_20251003_032235.csv", 9)
    ]
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rate.n == 9


def test_a_record_stating_its_run_count_above_its_runs_sums_them(tmp_path: Path) -> None:
    """Each model's record holds `total_duration` (the sum of its three requests, 45.4 s),
    `test_count` 3 and its `details`: read as a run's total time, 45.4 s looked like one
    request's. A record stating how many runs it is over, above them, is their summary; so
    is a CSV row with a `test_count` column."""
    _speed_test(tmp_path / "runs", "20251003_151414", {"gemma3:4b": [44.81, 68.77, 68.35]})
    _write(tmp_path / "analysis" / "performance_metrics.csv",
           "model,avg_speed,total_tokens,total_duration,success_rate,test_count\n"
           "gemma3:4b,60.65,1200.0,20.59418110002298,1.0,3\n")  # fmt: skip
    digest = digest_of(tmp_path)
    totals = [s for s in digest.stats if s.metric == "total_ms" and s.group_by is None]
    assert totals and all(s.aggregate is not None for s in totals)


def test_a_notes_rate_from_one_session_agrees_with_that_session(tmp_path: Path) -> None:
    """analysis_report.md quotes gemma3:4b at 60.6 tok/s: the mean of its 15:14 session. The
    folder holds two more sessions (one slower, one on other prompts), so against the mean of
    every run (49.35) the note was said to disagree. Checked against each file too, it
    agrees with the session it was written from, and the finding names that file."""
    _speed_test(tmp_path, "20251003_151414", {"gemma3:4b": [44.81, 68.77, 68.35]})
    _speed_test(tmp_path, "20251003_164548", {"gemma3:4b": [22.18, 30.86, 29.78]})
    _write(tmp_path / "analysis_report.md",
           "# Speed Test Analysis Report\n\n## Top Models\n"
           "1. gemma3:4b (Overall Score: 0.949, Avg Speed: 60.6 tok/s)\n")  # fmt: skip
    [note] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "notes_vs_data"]
    assert "agrees with one session, speed_test_details_20251003_151414.csv" in note.text
    assert "disagree" not in note.text


def test_a_report_csv_under_comments_with_runs_in_columns(tmp_path: Path) -> None:
    """t3dr0/ollama_benchmark's results CSV: comment lines above the header name the host and
    GPU, and each row holds one metric (`Metric_Type`) of one model and prompt with its five
    runs in columns and their statistics beside them. Read as a CSV whose header is the
    first comment line, it gave nothing: 0 rows. Each run is a row now, on the GPU named."""
    _write(
        tmp_path / "results" / "ollama_benchmark_results_21May2026.csv",
        "# OLLAMA LOCAL INFERENCE BENCHMARK REPORT\r\n"
        "# Timestamp: 2026-05-21 00:03:02,# Host: Dell-T7810,# GPU: NVIDIA GeForce RTX 3060 "
        "(12288 MB VRAM)\r\n"
        "Model,Size,Prompt_ID,Prompt_Name,Metric_Type,Run_1,Run_2,Run_3,Mean,Variance,Std_Dev\r\n"
        "gemma3:12b,8.1 GB,P1,Short,Tokens_Per_Sec,38.07,37.51,37.85,37.81,0.08,0.28\r\n"
        "gemma3:12b,8.1 GB,P1,Short,Elapsed_Sec,1.27,1.28,1.25,1.27,0.0,0.02\r\n"
        "qwen3:14b,9.3 GB,P1,Short,Tokens_Per_Sec,31.99,32.01,31.88,31.96,0.0,0.07\r\n"
        "qwen3:14b,9.3 GB,P1,Short,Elapsed_Sec,21.5,21.37,16.91,19.93,6.9,2.6\r\n",
    )
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group == "gemma3:12b"
              and s.group_by == "model"]  # fmt: skip
    assert (rate.n, round(rate.mean, 2), rate.machine) == (3, 37.81, "NVIDIA GeForce RTX 3060")
    [latency] = [s for s in digest.stats if s.metric == "latency_ms" and s.group == "qwen3:14b"
                 and s.group_by == "model"]  # fmt: skip
    assert (latency.n, latency.max) == (3, 21500.0)
    assert rate.engine == "Ollama"


def test_a_model_heading_with_its_file_size_names_the_model_and_its_size(tmp_path: Path) -> None:
    """savoirtech/ollama-parallel-performance heads each table "## Model: Deepseek-R1 7b
    (4.7 GB)": the file size in brackets hid the size tag, so the 1.5b and 7b tables were one
    model, deepseek-r1:latest, and "Model: LLAMA 3.2 (2.0GB)" and "Model: Mistral (4.1GB)"
    named none (their rows pooled as "model not stated")."""
    table = (
        "| Context Size | Requests | Number of Parallel Model Requests Allowed | "
        "Duration (Seconds) |\n|----|----|----|----|\n| 2048 | 128 | {p} | {d} |\n"
        "| 2048 | 128 | 1 | {e} |\n\n"
    )
    _write(
        tmp_path / "apple-m4.md",
        "Apple M4\n\n"
        + "## Model: LLAMA 3.2 (2.0GB)\n\n" + table.format(p=16, d=413, e=1116)
        + "## Model: Mistral (4.1GB)\n\n" + table.format(p=16, d=250, e=883)
        + "## Model: Deepseek-R1 1.5b (1.1GB)\n\n" + table.format(p=16, d=74, e=220)
        + "## Model: Deepseek-R1 7b (4.7 GB)\n\n" + table.format(p=16, d=2791, e=5903),
    )  # fmt: skip
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {"llama3.2:latest", "mistral:latest", "deepseek-r1:1.5b", "deepseek-r1:7b"}


def test_a_notes_system_information_lines_name_its_machine(tmp_path: Path) -> None:
    """savoirtech/ollama-parallel-performance's README describes its machine in plain lines
    under "# System Information" (the CPU, then "NVidia RTX 1000 ADA."): its tables were on
    "a machine no file names". The GPU such a section names is the note's machine."""
    _write(
        tmp_path / "README.md",
        "# System Information\n\nUbuntu 22.04 LTS\n\nIntel Xeon E-2378\n\nDDR4 ECC 3200 MT.\n\n"
        "NVidia RTX 1000 ADA.\n\n8 GB vram.\n\n## Model: LLAMA 3.2 (2.0GB)\n\n"
        "| Context Size | Number of Parallel Model Requests Allowed | Duration (Seconds) |\n"
        "|----|----|----|\n| 2048 | 16 | 370 |\n| 2048 | 1 | 795 |\n",
    )
    digest = digest_of(tmp_path)
    assert [m for m in digest.machines if m] == ["RTX 1000 ADA"]


def test_ollama_num_parallel_written_out_is_a_setting(tmp_path: Path) -> None:
    """savoirtech/ollama-parallel-performance sweeps OLLAMA_NUM_PARALLEL in a column named
    "Number of Parallel Model Requests Allowed": unread, its levels (16 to 1: 370 to 795 s
    for 128 requests) were pooled as one setup's five values."""
    _write(
        tmp_path / "README.md",
        "## Model: LLAMA 3.2 (2.0GB)\n\n| Queue Size | Context Size | Requests | Number of "
        "Parallel Model Requests Allowed | Duration (Seconds) | Errors | Notes |\n"
        "|----|----|----|----|----|----|----|\n"
        "| 512 | 2048 | 128 | 16 | 370 | 0 | Memory Usage: 7.014Gi/7.996Gi |\n"
        "| 512 | 2048 | 128 | 4 | 427 | 0 | Memory usage: 3.506Gi/7.996Gi |\n"
        "| 512 | 2048 | 128 | 1 | 795 | 0 | Memory usage: 2.682Gi/7.996Gi |\n",
    )
    digest = digest_of(tmp_path)
    setups = [s.config for s in digest.setups]
    assert len(setups) == 3 and all("concurrency=" in c for c in setups)


def test_a_ladder_of_reported_times_is_listed_by_its_levels(tmp_path: Path) -> None:
    """savoirtech's notes report, per OLLAMA_NUM_PARALLEL level, the time 128 requests took:
    read as settings, they still gave no finding (the reported list read throughput only).
    A model whose setups report only a time, at three or more levels, is listed by it, in
    the order of its one setting (review6b; it was shortest first)."""
    _write(
        tmp_path / "README.md",
        "# System Information\n\nNVidia RTX 1000 ADA.\n\n## Model: LLAMA 3.2 (2.0GB)\n\n"
        "| Context Size | Number of Parallel Model Requests Allowed | Duration (Seconds) |\n"
        "|----|----|----|\n| 2048 | 16 | 370 |\n| 2048 | 4 | 427 |\n| 2048 | 1 | 795 |\n",
    )
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"]
    [ladder] = found
    assert ladder.title == "reported total time of llama3.2:latest"
    # times of ten seconds and more in seconds, as the note wrote them (not "370,000.00 ms")
    assert (
        "795 s with concurrency=1, 427 s with concurrency=4 and 370 s with "
        "concurrency=16" in ladder.text
    )
    assert "the shortest 2.15x as fast as the longest" in ladder.text


def test_two_sessions_of_the_same_prompts_that_disagree_are_said(tmp_path: Path) -> None:
    """gzhang33's 03:22 and 15:14 sessions ran the same three prompts: qwen2.5:14b at 12.80
    against 26.24 tok/s (the GPU half full before the first began). A setup run over several
    prompts was never compared across files, so the pooled mean (19.52) stood unremarked.
    Files that ran the same prompts are sessions to compare; a file of other prompts is not."""
    _speed_test(tmp_path, "20251003_032235", {"qwen2.5:14b-instruct-q5_K_M": [11.30, 13.56, 13.54]})
    _speed_test(tmp_path, "20251003_151414", {"qwen2.5:14b-instruct-q5_K_M": [20.55, 29.19, 28.99]})
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "sessions"]
    [sessions] = found
    assert "12.80 tok/s in speed_test_details_20251003_032235.csv" in sessions.text
    assert "26.24 tok/s in speed_test_details_20251003_151414.csv" in sessions.text


def test_llm_benchmark_stats_blocks_are_read(tmp_path: Path) -> None:
    """llm-benchmark (MinhNgyuen's, and forks such as jammsen/ollama-benchmark) prints per
    model a block of "Prompt Processing: 336.73 tokens/sec", "Generation Speed: 17.65
    tokens/sec", "Model Load Time: 6.11s", ...: pasted into a README it was read as nothing,
    not even listed as unread figures. Each block is a record of its `Model:` line, on the
    machine its "(Running on ...)" line names; after "Average stats:" only its rates (means
    over the runs: the block sums the runs' tokens and times); the "Combined Speed" (prompt
    and generated tokens over both times) is left out."""
    block = (
        "Average stats:\n({machine})\n\n----------------------------------------------------\n"
        "        Model: {model}\n        Performance Metrics:\n"
        "            Prompt Processing:  {pp} tokens/sec\n"
        "            Generation Speed:   {tg} tokens/sec\n"
        "            Combined Speed:     18.01 tokens/sec\n\n        Workload Stats:\n"
        "            Input Tokens:       165\n            Generated Tokens:   7673\n"
        "            Model Load Time:    6.11s\n            Processing Time:    0.49s\n"
        "            Generation Time:    434.70s\n            Total Time:         441.31s\n"
        "----------------------------------------------------\n\n"
    )
    _write(
        tmp_path / "README.md",
        "# LLM Benchmark tool for Ollama\n\n## Example output\n\n```bash\n"
        + block.format(machine="Running on dual 3090 Ti GPU, Epyc 7763 CPU in Ubuntu 22.04",
                       model="deepseek-r1:70b", pp=336.73, tg=17.65)
        + block.format(machine="Running on single 3090 GPU, 13900KS CPU in WSL2",
                       model="deepseek-r1:32b", pp=399.05, tg=27.18)
        + "```\n",
    )  # fmt: skip
    digest = digest_of(tmp_path)
    rates = {
        (s.group, s.machine): (s.mean, s.aggregate)
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model"
    }
    assert rates == {
        ("deepseek-r1:70b", "dual 3090 Ti GPU"): (17.65, "mean"),
        ("deepseek-r1:32b", "single 3090 GPU"): (27.18, "mean"),
    }
    # "Average stats" sums the runs' tokens and times (benchmark.py's average_stats): not read
    assert not [s for s in digest.stats if s.metric in ("load_ms", "eval_count", "total_ms")]


def test_llm_benchmark_original_blocks_are_runs(tmp_path: Path) -> None:
    """The original llm-benchmark prints each run's model alone on the line after its rule,
    then "Prompt eval: X t/s", "Response: X t/s", "Total: X t/s" and its Stats."""
    run = (
        "----------------------------------------------------\n        llama3.2:3b\n"
        "        \tPrompt eval: 512.33 t/s\n        \tResponse: {rate} t/s\n"
        "        \tTotal: 95.10 t/s\n\n        Stats:\n        \tPrompt tokens: 30\n"
        "        \tResponse tokens: 400\n        \tModel load time: {load}s\n"
        "        \tPrompt eval time: 0.06s\n        \tResponse time: 4.50s\n"
        "        \tTotal time: 4.80s\n----------------------------------------------------\n"
    )
    runs = run.format(rate=88.81, load=2.10) + run.format(rate=89.02, load=0.01)
    _write(tmp_path / "run.log", runs)
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model"]
    assert (rate.group, rate.aggregate) == ("llama3.2:3b", None)
    assert rate.n + sum(c.rows for c in digest.cold_rows) == 2


def test_a_failure_counted_in_an_errors_column_is_quoted_from_its_notes(tmp_path: Path) -> None:
    """savoirtech's table counts failures in `Errors` and words them in `Notes` ("| n/a | 1 |
    failed to allocate Metal buffer of size 8891928576 |"): the failed row was quoted by its
    count, 'the first error reads "1"'."""
    _write(
        tmp_path / "apple-m4.md",
        "## Model: Mistral (4.1GB)\n\n| Number of Parallel Model Requests Allowed | Duration "
        "(Seconds) | Errors | Notes |\n|----|----|----|----|\n"
        "| 64 | n/a | 1 | failed to allocate Metal buffer of size 8891928576 |\n"
        "| 32 | 656 | 0 | Memory Usage: 9.894Gi/16.000Gi |\n"
        "| 16 | 250 | 0 | Memory Usage: 10.127Gi/16.000Gi |\n",
    )
    [failed] = digest_of(tmp_path).error_rows
    assert failed.count == 1 and failed.sample.startswith("failed to allocate Metal buffer")


def _stats_of(root: Path, metric: str = "tokens_per_s") -> list:
    return [
        s
        for s in digest_of(root).stats
        if s.metric == metric and s.group_by is not None and "model" in s.group_by
    ]


def test_a_run_column_naming_its_mean_and_std_rows_holds_summaries_not_runs(
    tmp_path: Path,
) -> None:
    """A homegrown CSV of runs 1, 2, 3 ends with the script's own "mean" and "std" rows in
    its run column: they are summaries, not runs (the std, 0.25 tok/s, was a fourth "run"
    and made a 55 % run-to-run variation, with advice to re-run on a quiet machine)."""
    _write(tmp_path / "qwen.csv", (
        "model,run,tokens_per_second\nqwen2.5:7b,1,52.1\nqwen2.5:7b,2,51.8\n"
        "qwen2.5:7b,3,52.4\nqwen2.5:7b,mean,52.10\nqwen2.5:7b,std,0.25\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert digest.summary_rows == 2
    runs = [s for s in _stats_of(tmp_path) if s.group_by == "model" and s.aggregate is None]
    assert [(s.n, s.min) for s in runs] == [(3, 51.8)]
    assert min(s.min for s in digest.stats) == 51.8  # the std is no figure of the rate


def test_a_setting_named_in_a_folder_is_the_runs_setting(tmp_path: Path) -> None:
    """`num_ctx_2048/run_0.json`, `num_ctx_65536/run_0.json`: Ollama responses state no
    options, the folder names the context. Read as one setup, three contexts were pooled
    (45 and 30 tok/s "varying by 17 % from run to run")."""
    for ctx, rate in ((2048, 45.0), (16384, 41.0), (65536, 30.0)):
        for i in range(3):
            record = {"model": "llama3.1:8b", "eval_count": 300,
                      "eval_duration": int(300 / (rate + i * 0.1) * 1e9), "done": True}  # fmt: skip
            _write(tmp_path / f"num_ctx_{ctx}" / f"run_{i}.json", json.dumps(record))
    contexts = sorted(s.params.get("num_ctx") for s in digest_of(tmp_path).setups)
    assert contexts == [2048, 16384, 65536]


def test_a_semicolon_csv_with_decimal_commas_is_read(tmp_path: Path) -> None:
    """A CSV saved in a German or French locale: `;` between fields, `,` before decimals, `.`
    between thousands ("1.234,50"). Read with commas, its one column held no figure, and the
    file was counted as read with no row."""
    _write(tmp_path / "messung.csv", (
        "model;num_ctx;tokens_per_second;ttft_ms\n"
        "llama3.1:8b;2048;1.234,50;150,2\nllama3.1:8b;2048;1.235,50;151,2\n"
        "llama3.1:8b;8192;870,00;260,7\nllama3.1:8b;8192;871,00;261,7\n"
    ))  # fmt: skip
    # the first run after each change of num_ctx reloaded the model: the second is measured
    stats = [s for s in _stats_of(tmp_path) if s.group_by == "model+config_name"]
    assert sorted(s.mean for s in stats) == [871.0, 1235.5]
    ttft = [s for s in _stats_of(tmp_path, "ttft_ms") if s.group_by == "model+config_name"]
    assert sorted(s.mean for s in ttft) == [151.2, 261.7]


def test_an_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    """Excel's export may begin with `sep=,` (or `sep=;`), a line naming the delimiter before
    the header: read as the header, the file had no figure."""
    _write(tmp_path / "export.csv", (
        "sep=;\r\nModel;Run;Tokens/s\r\nllama3.2:3b;1;88,1\r\nllama3.2:3b;2;87,9\r\n"
        "llama3.2:3b;3;88,3\r\n"
    ))  # fmt: skip
    (stats,) = [s for s in _stats_of(tmp_path) if s.group_by == "model"]
    assert (stats.n, stats.model if hasattr(stats, "model") else stats.group) == (3, "llama3.2:3b")
    assert stats.mean == pytest.approx(88.1)


def test_quoted_decimal_commas_in_a_comma_csv_are_numbers(tmp_path: Path) -> None:
    """`"58,13"` in a comma-separated file (a spreadsheet in a decimal-comma locale saved as
    CSV quotes its numbers): 58.13, not a cell without a number."""
    _write(tmp_path / "mistral.csv", (
        'model,tokens_per_second,ttft_ms\n"mistral:7b","58,0","210,5"\n'
        '"mistral:7b","58,13","211,5"\n"mistral:7b","58,26","212,5"\n'
    ))  # fmt: skip
    (stats,) = [s for s in _stats_of(tmp_path) if s.group_by == "model"]
    assert (stats.n, stats.mean) == (3, pytest.approx(58.13))


def _ollama_response(model: str, rate: float, load_ns: int) -> str:
    """One /api/generate response as a script saves it, durations in nanoseconds."""
    eval_ns = int(300 / rate * 1e9)
    return json.dumps({
        "model": model, "created_at": "2025-03-01T10:00:00Z", "response": "...", "done": True,
        "total_duration": eval_ns + load_ns + 40_000_000, "load_duration": load_ns,
        "prompt_eval_count": 26, "prompt_eval_duration": 32_000_000, "eval_count": 300,
        "eval_duration": eval_ns,
    })  # fmt: skip


def test_a_load_in_a_file_of_one_run_is_not_set_against_a_usual_load_of_zero(
    tmp_path: Path,
) -> None:
    """One API response per file, the first call of each model loading it (2.9 s against
    14 ms): the cold file holds no other run, so there is no usual load in it; the finding
    said "against a usual 0.00 ms"."""
    for i in range(4):
        load = 2_900_000_000 if i == 0 else 14_000_000
        response = _ollama_response("llama3.2:3b", 95.0 + i * 0.1, load)
        _write(tmp_path / f"llama3.2_3b_run{i + 1}.json", response)
    findings = compute_findings(digest_of(tmp_path))
    (cold,) = [f for f in findings if f.title == "rows that loaded the model"]
    assert "2900 ms" in cold.text and "usual 0 " not in cold.text


def test_a_serving_benchmarks_printed_arguments_name_its_model(tmp_path: Path) -> None:
    """vLLM's benchmark_serving.py prints its arguments before the result block
    ("Namespace(backend='vllm', ..., model='meta-llama/Llama-3.1-8B-Instruct', ...)"); a log
    of it holds no command line, so the model was "not stated"."""
    block = (
        "Namespace(backend='vllm', base_url=None, host='127.0.0.1', port=8000, "
        "endpoint='/v1/completions', dataset_name='random', model='meta-llama/Llama-3.1-8B-"
        "Instruct', tokenizer=None, num_prompts=500, request_rate=inf, max_concurrency=None)\n"
        "============ Serving Benchmark Result ============\n"
        "Successful requests:                     500\n"
        "Benchmark duration (s):                  51.70\n"
        "Output token throughput (tok/s):         {r}\n"
        "Mean TTFT (ms):                          320.50\n"
        "==================================================\n"
    )
    _write(tmp_path / "tp1" / "output.txt", block.format(r=1450.2))
    _write(tmp_path / "tp2" / "output.txt", block.format(r=2380.7))
    setups = {
        (s.model, s.engine, s.params.get("tensor_parallel")) for s in digest_of(tmp_path).setups
    }
    assert setups == {
        ("meta-llama/Llama-3.1-8B-Instruct", "vLLM", 1),
        ("meta-llama/Llama-3.1-8B-Instruct", "vLLM", 2),
    }


def test_quantisations_of_files_stating_no_settings_say_so(tmp_path: Path) -> None:
    """`llama-3.1-8b-Q4_K_M.csv` beside `-Q8_0` and `-F16`, no settings stated: the
    quantisation finding read "on the same settings ():", an empty list of settings."""
    for quant, rate in (("Q4_K_M", 88.0), ("Q8_0", 61.0), ("F16", 35.0)):
        _write(tmp_path / f"llama-3.1-8b-{quant}.csv", f"run,gen_tps\n1,{rate}\n2,{rate}\n")
    findings = compute_findings(digest_of(tmp_path))
    texts = [f.text for f in findings if f.title.startswith("quantisation")]
    assert texts and not [t for t in texts if "()" in t]


def test_a_csv_context_column_is_the_context_setting(tmp_path: Path) -> None:
    """`Model,GPU layers,Context,Gen t/s`: the context column was no setting, so each
    layer count's 2048- and 4096-token runs were one setup's repetitions (and a sweep of
    contexts alone varied "from run to run")."""
    rows = ["Model,GPU layers,Context,Gen t/s"]
    for layers, rate in ((0, 8.0), (33, 55.0)):
        rows += [f"llama3.1:8b,{layers},{ctx},{rate - ctx / 1024 + i * 0.1}"
                 for ctx in (2048, 4096) for i in range(3)]  # fmt: skip
    _write(tmp_path / "grid.csv", "\n".join(rows) + "\n")
    setups = sorted(
        (s.params.get("num_gpu"), s.params.get("context")) for s in digest_of(tmp_path).setups
    )
    assert setups == [(0, 2048), (0, 4096), (33, 2048), (33, 4096)]


def test_a_spec_file_beside_the_runs_names_their_machine(tmp_path: Path) -> None:
    """`desktop/system.txt` ("GPU: NVIDIA GeForce RTX 3080") and `laptop/system.txt` ("CPU:
    Intel Core i7-1260P") beside each folder's results.csv: the two machines were pooled as
    one, 7 and 95 tok/s "varying by 94 % from run to run"."""
    for folder, spec, rate in (
        ("desktop", "CPU: AMD Ryzen 9 5900X\nGPU: NVIDIA GeForce RTX 3080 10GB\n", 95.0),
        ("laptop", "CPU: Intel Core i7-1260P\nGPU: Intel Iris Xe\nRAM: 16GB\n", 7.0),
    ):
        _write(tmp_path / folder / "system.txt", spec + "OS: Ubuntu 22.04\n")
        rows = "".join(f"llama3.1:8b,{rate + i * 0.1}\n" for i in range(3))
        _write(tmp_path / folder / "results.csv", "model,eval_rate\n" + rows)
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {
        "NVIDIA GeForce RTX 3080 10GB",
        "Intel Core i7-1260P",
    }
    assert {s.evidence for s in digest.scopes} == {
        "the spec file desktop/system.txt",
        "the spec file laptop/system.txt",
    }


def test_a_hardware_table_at_the_top_of_the_folder_names_its_machine(tmp_path: Path) -> None:
    """LottoLottoLotto/4x3090-llm-benchmarks: `HARDWARE.md`'s `| GPUs | 4x RTX 3090, 24 GB
    each, Ampere `sm_86` |` table named the rig of every campaign page below it, yet the
    results stood on "a machine no file names" (only "GPU:" lines were read). A table of two
    machines names neither."""
    _write(
        tmp_path / "HARDWARE.md",
        "# Hardware\n\n| Component | Configuration |\n|---|---|\n"
        "| GPUs | 4x RTX 3090, 24 GB each, Ampere `sm_86` |\n| CPU | AMD EPYC 7642, 48 cores |\n",
    )
    rows = "".join(f"llama3.1:8b,{50 + i * 0.1}\n" for i in range(3))
    _write(tmp_path / "catalog" / "campaigns" / "results.csv", "model,eval_rate\n" + rows)
    digest = digest_of(tmp_path)
    assert {(s.machine, s.evidence) for s in digest.scopes} == {
        ("4x RTX 3090", "the spec file HARDWARE.md")
    }
    _write(tmp_path / "HARDWARE.md", "| GPU | RTX 3080 |\n| GPU | RTX 4090 |\n")
    assert {s.machine for s in digest_of(tmp_path).scopes} == {None}


def test_a_llama_bench_table_in_a_captured_log_is_read(tmp_path: Path) -> None:
    """`llama-bench ... 2>&1 | tee bench_log.txt`: ggml's device lines, then the Markdown
    table. As a .md file it was read; as .txt no text format matched and the file was
    counted as read, holding no figure, with no reason."""
    _write(tmp_path / "bench_log.txt", (
        "ggml_cuda_init: found 1 CUDA devices:\n"
        "  Device 0: NVIDIA GeForce RTX 4070 Ti SUPER, compute capability 8.9, VMM: yes\n"
        "| model                    |     size |  params | backend | ngl |  test |          t/s |\n"
        "| ------------------------ | -------: | ------: | ------- | --: | ----: | -----------: |\n"
        "| llama 8B Q8_0      | 7.95 GiB |  8.03 B | CUDA    |  99 | pp512 | 4874.10 ± 31.90 |\n"
        "| llama 8B Q8_0      | 7.95 GiB |  8.03 B | CUDA    |  99 | tg128 |   68.01 ± 0.05 |\n"
        "\nbuild: 5dd942de (4789)\n"
    ))  # fmt: skip
    stats = digest_of(tmp_path).stats
    rates = {(s.metric, s.mean) for s in stats if s.group_by == "model" and s.aggregate != "std"}
    assert rates == {("tokens_per_s", 68.01), ("prompt_tokens_per_s", 4874.1)}


def test_about_a_rate_in_a_note_is_not_ten_percent_wider_again(tmp_path: Path) -> None:
    """A note's "llama3.1:8b runs at about 60 tok/s with num_gpu=99" beside 42.2 tok/s: the
    claim was read as 45-75 tok/s, then given 10 % more on each side (40.5-82.5), and 42.2
    was "the data agrees" though it is 30 % below 60."""
    note = "On my GPU, llama3.1:8b runs at about 60 tok/s with num_gpu=99.\n"
    _write(tmp_path / "README.md", note)
    rows = "".join(f"llama3.1:8b,99,{42.0 + i * 0.2}\n" for i in range(3))
    _write(tmp_path / "data.csv", "model,num_gpu,eval_rate\n" + rows)
    findings = compute_findings(digest_of(tmp_path))
    (checked,) = [f for f in findings if f.title == "notes in README.md"]
    assert "disagrees" in checked.text and "agrees" not in checked.text.replace("disagrees", "")


def test_a_device_column_of_cuda_and_cpu_is_a_setting_not_one_setup(tmp_path: Path) -> None:
    """`model,device,tokens_per_second` with rows on "cuda" and on "cpu": a device column is
    read as the machine's, but "cuda" names no machine, so the two devices were one setup,
    9 and 95 tok/s "varying by 90 % from run to run"."""
    devices = (("cuda", 95.0), ("cpu", 9.0))
    rows = [f"llama3.2:3b,{device},{rate + i * 0.2}" for device, rate in devices for i in range(3)]
    _write(tmp_path / "dev.csv", "model,device,tokens_per_second\n" + "\n".join(rows) + "\n")
    setups = sorted(s.params.get("device") for s in digest_of(tmp_path).setups)
    assert setups == ["cpu", "cuda"]


def test_the_request_saved_beside_an_answer_states_its_settings(tmp_path: Path) -> None:
    """{"request": {"model": ..., "options": {"temperature": 0.7}}, "response": {...}}: a
    script saving what it sent beside Ollama's answer. The request holds no figure and was
    read as a record of its own, so its options were no setting of the answer's runs and
    two temperatures were one setup."""
    lines = []
    for temp in (0.0, 0.7):
        for i in range(3):
            request = {
                "model": "mistral-nemo:12b",
                "options": {"temperature": temp, "num_ctx": 4096},
            }
            answer = {"model": "mistral-nemo:12b", "done": True, "eval_count": 200,
                      "eval_duration": int(200 / (70 + i * 0.3) * 1e9)}  # fmt: skip
            lines.append(json.dumps({"request": request, "response": answer}))
    _write(tmp_path / "chat_runs.jsonl", "\n".join(lines) + "\n")
    setups = sorted(
        (s.params.get("temperature"), s.params.get("num_ctx")) for s in digest_of(tmp_path).setups
    )
    assert setups == [(0.0, 4096), (0.7, 4096)]


def test_the_best_configs_margin_is_said_of_the_fastest(tmp_path: Path) -> None:
    """ "the runner-up quantization=Q8_0 at 37.81 tok/s (n=3), 60.5 % faster": the margin
    stood after the runner-up's figures, so it read as the runner-up's."""
    rows = [f"Mistral-7B,{q},{rate + i * 0.2}" for q, rate in (("Q4_K_M", 60.0), ("Q8_0", 38.0))
            for i in range(3)]  # fmt: skip
    _write(tmp_path / "q.csv", "model,quant,tokens_per_second\n" + "\n".join(rows) + "\n")
    (best,) = [f for f in compute_findings(digest_of(tmp_path)) if f.title.startswith("best")]
    assert "the fastest is 57.6 % faster" in best.text  # 60.20 against 38.20 tok/s


def test_a_tab_separated_file_is_read(tmp_path: Path) -> None:
    """`bench.tsv` (a spreadsheet's or a shell loop's tab-separated results): no reader, so a
    folder of them was "no files matching"; its runs of two thread counts are read."""
    levels = ((4, 7.2), (8, 12.9))
    rows = [
        f"llama3.2:3b\t{threads}\t{rate + i * 0.1:.2f}"
        for threads, rate in levels
        for i in range(3)
    ]
    _write(tmp_path / "bench.tsv", "model\tnum_thread\teval_rate_tps\n" + "\n".join(rows) + "\n")
    setups = sorted(s.params.get("num_thread") for s in digest_of(tmp_path).setups)
    assert setups == [4, 8]


def test_a_rate_written_with_its_unit_in_each_cell_is_read(tmp_path: Path) -> None:
    """`tokens_per_second` cells written "40.0 tok/s" (a script printing its figures with
    their unit into a CSV): no cell was a number, so the file gave no figure, silently."""
    rows = "".join(f"llama3:8b,{40 + i * 0.1:.1f} tok/s\n" for i in range(4))
    _write(tmp_path / "runs.csv", "model,tokens_per_second\n" + rows)
    (stats,) = [s for s in _stats_of(tmp_path) if s.group_by == "model"]
    assert (stats.n, stats.mean) == (4, pytest.approx(40.15))


def test_a_metric_heading_two_columns_is_said_so(tmp_path: Path) -> None:
    """`model,tokens_per_second,tokens_per_second` (a script that wrote its prompt and its
    generation rate under one name): the first column was read and the second dropped with
    no word, so 40 tok/s was reported as if the file held one rate."""
    rows = "".join(f"llama3:8b,{40 + i * 0.2:.1f},{55 + i * 0.3:.1f}\n" for i in range(4))
    _write(tmp_path / "dup.csv", "model,tokens_per_second,tokens_per_second\n" + rows)
    dropped = [(d.count, d.what, d.reason) for d in digest_of(tmp_path).dropped]
    assert dropped == [(4, "values", "a second column named 'tokens_per_second': which one "
                        "holds the figure is unknown, only the first is read")]  # fmt: skip


def test_runs_listed_under_their_models_name_are_that_models(tmp_path: Path) -> None:
    """{"results": {"llama3.3:70b": [runs], "qwen2.5-coder:32b": [runs]}} with eval_tokens
    and eval_seconds: no rate was derived (eval_tokens was no token count), the key naming
    the model was not read (two models pooled, "varying 34 % from run to run"), and each
    model's runs kept columns of their own key path, so only the first model's load was
    judged (one cold run found of two)."""
    runs = {
        model: [{"run": i, "eval_tokens": 500, "eval_seconds": 500 / (rate + i * 0.1),
                 "load_seconds": 14.0 if i == 0 else 0.02} for i in range(4)]
        for model, rate in (("llama3.3:70b", 12.1), ("qwen2.5-coder:32b", 24.3))
    }  # fmt: skip
    _write(
        tmp_path / "m2ultra.json", json.dumps({"machine": "Mac Studio M2 Ultra", "results": runs})
    )
    digest = digest_of(tmp_path)
    rates = {s.group: (s.n, round(s.min, 2)) for s in _stats_of(tmp_path) if s.group_by == "model"}
    assert rates == {"llama3.3:70b": (3, 12.2), "qwen2.5-coder:32b": (3, 24.4)}
    assert sum(c.rows for c in digest.cold_rows) == 2


def test_a_summary_tables_benchmark_column_keeps_its_loads_apart(tmp_path: Path) -> None:
    """A GuideLLM-style summary CSV, one row per benchmark (synchronous, throughput,
    constant@5.0): the rows were one setup, a "mean output rate" of 97 and 2100 tok/s."""
    _write(tmp_path / "guidellm_summary.csv", (
        "Benchmark,Requests,Mean TTFT (ms),Output tok/s\nsynchronous,54,42.1,97.0\n"
        "throughput,1326,850.0,2100.0\nconstant@5.0,294,55.0,520.0\n"
    ))  # fmt: skip
    stats = [s for s in _stats_of(tmp_path) if s.group_by == "model+config_name+workload"]
    assert sorted((s.workload, s.n) for s in stats) == [
        ("constant@5.0", 1), ("synchronous", 1), ("throughput", 1)
    ]  # fmt: skip


def test_verbose_runs_under_a_heading_naming_a_model_are_its(tmp_path: Path) -> None:
    """A note's `ollama run --verbose` blocks under "## llama3.2:3b" and "## qwen2.5:7b": no
    line above them names the model, so both models were one ("model not stated", 9.5 and
    21.2 tok/s "varying 43 % from run to run")."""
    block = (
        "```\ntotal duration:       {t:.3f}s\nload duration:        20.1ms\n"
        "eval count:           200 token(s)\neval duration:        {e:.3f}s\n"
        "eval rate:            {r:.2f} tokens/s\n```\n\n"
    )
    note = "# Ollama runs on my laptop\n\n"
    for model, rate in (("llama3.2:3b", 21.0), ("qwen2.5:7b", 9.5)):
        note += f"## {model}\n\n" + "".join(
            block.format(t=200 / (rate + i) + 0.3, e=200 / (rate + i), r=rate + i) for i in range(2)
        )
    _write(tmp_path / "NOTES.md", note)
    rates = {s.group: s.n for s in _stats_of(tmp_path) if s.group_by == "model"}
    assert rates == {"llama3.2:3b": 2, "qwen2.5:7b": 2}


def test_quantisations_stated_in_a_column_beside_the_names_are_like_for_like(
    tmp_path: Path,
) -> None:
    """`llama3.1:8b-instruct-q4_K_M,Q4_K_M,...` beside `...-q8_0,Q8_0,...`: the quantization
    column differs with the variant, so no two variants shared settings and the finding
    said "measured with different settings ... not like for like: no verdict"."""
    rows = [f"llama3.1:8b-instruct-{q.lower()},{q},{rate + i * 0.2}"
            for q, rate in (("Q4_K_M", 60.0), ("Q8_0", 40.0)) for i in range(3)]  # fmt: skip
    _write(tmp_path / "q.csv", "model,quantization,tokens_per_second\n" + "\n".join(rows) + "\n")
    findings = compute_findings(digest_of(tmp_path))
    (quant,) = [f for f in findings if f.title.startswith("quantisation")]
    assert "not like for like" not in quant.text and "beyond the run-to-run spread" in quant.text


def test_a_semicolon_csv_with_no_row_or_a_ragged_row_says_why(tmp_path: Path) -> None:
    """A semicolon CSV of a header alone, or whose first row holds a field too many: its
    delimiter was judged on two lines that agree, so the header alone was "only a message"
    and the ragged file one column with no figure (no reason given)."""
    _write(tmp_path / "a.csv", "model;tokens_per_second\n")
    _write(tmp_path / "b.csv", "model;tokens_per_second;ttft_ms\nm;1;2;3\nm;4;5\n")
    _write(tmp_path / "good.csv", "model,tokens_per_second\nm,1\nm,2\n")
    skipped = {s.path: s.reason for s in digest_of(tmp_path).skipped}
    assert skipped["a.csv"] == "header only, no data rows"
    assert skipped["b.csv"].startswith("ragged rows: line 2 has 4 fields, the header 3")


def test_a_jsonl_header_record_names_the_runs_machine(tmp_path: Path) -> None:
    """A JSON Lines file whose first line describes the session ({"type": "meta",
    "machine": "Raspberry Pi 5 8GB", ...}) and measures nothing: it was a record of its own,
    so the runs after it were on no machine. A first line that is a failed run stays one."""
    run = {"type": "run", "model": "tinyllama:1.1b", "eval_count": 128}
    runs = [json.dumps({**run, "eval_duration": int(128 / (12 + i / 10) * 1e9)}) for i in range(3)]
    meta = {"type": "meta", "machine": "Raspberry Pi 5 8GB", "started": "2025-02-01T10:00:00Z"}
    _write(tmp_path / "pi5.jsonl", "\n".join([json.dumps(meta), *runs]) + "\n")
    failed = json.dumps({"model": "llama3.1:70b", "error": "model requires more system memory"})
    _write(tmp_path / "other" / "runs.jsonl", "\n".join([failed, *runs]) + "\n")
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {"Raspberry Pi 5 8GB", None}
    assert [(e.path, e.count) for e in digest.error_rows] == [("other/runs.jsonl", 1)]


def test_tokens_per_minute_are_read_as_tokens_per_second(tmp_path: Path) -> None:
    """`model,tokens_per_minute,ttft_s` (5400 a minute): no rate was read, only the TTFT."""
    rows = "".join(f"llama3.2:3b,{5400 + i * 10}\n" for i in range(3))
    _write(tmp_path / "tpm.csv", "model,tokens_per_minute\n" + rows)
    (stats,) = [s for s in _stats_of(tmp_path) if s.group_by == "model"]
    assert (stats.n, stats.mean) == (3, pytest.approx(5410 / 60))


def test_a_system_line_atop_a_verbose_capture_names_its_machine(tmp_path: Path) -> None:
    """`alice-laptop.txt` and `bob-desktop.txt`, each beginning "System: <its machine>" above
    `ollama run --verbose` statistics: a report's "System:" line was read in notes only, so
    the two machines were one, 18 and 97 tok/s "varying 73 % from run to run"."""
    block = "eval count:  300 token(s)\neval duration:  {e:.3f}s\neval rate:  {r} tokens/s\n\n"
    for who, system, rate in (("alice-laptop", "MacBook Air M2 16GB", 18.0),
                              ("bob-desktop", "Ryzen 9 7950X + RTX 4080", 95.0)):  # fmt: skip
        runs = "".join(
            "$ ollama run llama3.1:8b --verbose\n" + block.format(e=300 / (rate + i), r=rate + i)
            for i in range(3)
        )
        _write(tmp_path / f"{who}.txt", f"System: {system}\n\n" + runs)
    machines = {s.machine for s in digest_of(tmp_path).scopes}
    assert machines == {"MacBook Air M2 16GB", "Ryzen 9 7950X + RTX 4080"}


def test_a_rate_of_zero_is_a_failed_run_and_flash_attn_a_setting(tmp_path: Path) -> None:
    """`model,n_gpu_layers,flash_attn,tokens_per_second,notes` with two rows of 0 tok/s and
    "OOM at 32k ctx" in the notes: the zeros were runs (the setup's "0.00-88.30 tok/s,
    77.7 % run to run") and flash_attn, a llama-bench parameter, no setting of a plain CSV.
    (khaney64's cloud models report eval_tokens_per_sec 0: a 0.00 tok/s "model".)"""
    rows = ["model,n_gpu_layers,flash_attn,tokens_per_second,notes"]
    for fa, rate, note in ((1, 88.0, ""), (0, 80.0, ""), (1, 0, "OOM at 32k ctx")):
        rows += [f"mistral-7b-q4,99,{fa},{rate + i * 0.3 if rate else 0},{note}" for i in range(2)]
    _write(tmp_path / "llamacpp.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path)
    setups = sorted(s.params.get("flash_attn") for s in digest.setups)
    assert setups == [0, 1]
    assert min(s.min for s in digest.stats if s.metric == "tokens_per_s") == 80.0
    assert [(d.count, d.reason) for d in digest.dropped] == [
        (2, "a rate of 0 tok/s: the run failed or generated nothing")
    ]


def test_llama_server_timings_cut_out_of_their_block_are_read(tmp_path: Path) -> None:
    """`grep "time =" server.log > timings.txt`: llama-server's three timing lines per task
    without the `slot print_timing: ... | task N |` line above them gave no figure."""
    block = (
        "prompt eval time =     180.50 ms /   512 tokens (    0.35 ms per token,  2836.57 tokens"
        " per second)\n       eval time =    {ms:.2f} ms /   128 tokens (   10.94 ms per token,"
        "    {r:.2f} tokens per second)\n      total time =    1580.50 ms /   640 tokens\n"
    )
    text = "".join(block.format(ms=128 / (91 + i) * 1000, r=91 + i) for i in range(3))
    _write(tmp_path / "timings.txt", text)
    (stats,) = [s for s in _stats_of(tmp_path) if s.group_by == "model"]
    assert (stats.n, stats.mean) == (3, pytest.approx(92.0))


def test_a_note_table_with_a_machine_a_column_is_read(tmp_path: Path) -> None:
    """`| Model | RTX 4090 | M2 Max |` under "# Eval rate (tok/s)": no column named a metric,
    so the table read as nothing ("no column Chimera recognises as a metric")."""
    _write(tmp_path / "README.md", (
        "# Eval rate (tok/s)\n\n| Model | RTX 4090 | M2 Max |\n|---|---|---|\n"
        "| llama3.2:3b | 180.2 | 61.0 |\n| llama3.1:8b | 128.4 | 38.5 |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    rates = {(s.machine, s.group, s.mean) for s in digest.stats if s.group_by == "model"}
    assert rates == {
        ("RTX 4090", "llama3.2:3b", 180.2), ("RTX 4090", "llama3.1:8b", 128.4),
        ("M2 Max", "llama3.2:3b", 61.0), ("M2 Max", "llama3.1:8b", 38.5),
    }  # fmt: skip


def test_a_gpu_in_a_hosts_parentheses_is_part_of_the_machine(tmp_path: Path) -> None:
    """geerlingguy's README names a system and the GPU behind it: "Pi 5 - 16GB (AMD Pro
    W7700)", "Intel 13900K (Nvidia 5090)". GPU names Chimera did not know (AMD's Pro / AI Pro
    cards, a bare "Nvidia 4090", "Arc Pro B50", the RTX A400) were dropped as notes, so the
    Pi 5's CPU-only row (1.20 tok/s) pooled with its W7700 row (19.90) into one machine,
    and the 13900K's RTX 4090 with its RTX 5090."""
    _write(
        tmp_path / "README.md",
        "### DeepSeek R1 14b\n\n| System | CPU/GPU | Eval Rate |\n| :--- | :--- | :--- |\n"
        "| [Intel 13900K (Nvidia 5090)](https://x/1) | GPU | 120.10 Tokens/s |\n"
        "| [Intel 13900K (Nvidia 4090)](https://x/2) | GPU | 92.40 Tokens/s |\n"
        "| [Pi 5 - 16GB (AMD Pro W7700<sup>1</sup>)](https://x/3) | GPU | 19.90 Tokens/s |\n"
        "| [Pi CM5 - 16GB (AMD AI Pro R9700)](https://x/4) | GPU | 7.98 Tokens/s |\n"
        "| [Pi 500+ - 16GB (Intel Arc Pro B50)](https://x/5) | GPU | 6.10 Tokens/s |\n"
        "| [System76 Thelio Astra (Nvidia A400)](https://x/6) | GPU | 5.20 Tokens/s |\n"
        "| [Pi 5 - 16GB](https://x/7) | CPU | 1.20 Tokens/s |\n"
        "| [Pi CM5 - 16GB](https://x/8) | CPU | 1.10 Tokens/s |\n"
        "| [Pi 500+ - 16GB](https://x/9) | CPU | 1.00 Tokens/s |\n"
        "| [System76 Thelio Astra](https://x/10) | CPU | 4.00 Tokens/s |\n\n"
        "### gpt-oss 20b\n\n| System | CPU/GPU | Eval Rate |\n| :--- | :--- | :--- |\n"
        "| [Pi CM5 - 16GB (AMD Radeon AI Pro R9700)](https://x/4) | GPU | 19.59 Tokens/s |\n",
    )
    rates = [
        s for s in digest_of(tmp_path).stats if s.metric == "tokens_per_s" and s.group_by == "model"
    ]
    assert all(s.n == 1 for s in rates)
    # ten machines: "AMD AI Pro R9700" and "AMD Radeon AI Pro R9700" are one card
    assert len({s.machine for s in rates}) == 10


def test_a_ranking_over_pooled_rows_makes_no_verdict(tmp_path: Path) -> None:
    """khunguraharman's prefill sweeps: a model ranking "over all rows" pools each model's
    prompt lengths and batch sizes, says "they rank the models only roughly", and still
    said "Llama-3.2-3B-Instruct-Q8_0 is 51.5 % faster than Qwen3-4B-Q6_K (beyond the
    run-to-run spread)": a test of means whose spread is the sweep, not the runs."""
    rows = ["model,num_ctx,tokens_per_s"]
    rows += [f"llama3.2:3b,2048,{r}" for r in (60.1, 60.3, 59.9)]
    rows += [f"llama3.2:3b,8192,{r}" for r in (50.2, 50.0, 50.1)]
    rows += [f"qwen3:4b,4096,{r}" for r in (40.1, 40.0, 39.8)]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    [ranking] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.kind == "model_ranking"
    ]  # fmt: skip
    assert "over all rows" in ranking.text
    assert "run-to-run spread" not in ranking.text and ranking.verdict == "info"
    assert "no verdict" in ranking.text


def test_quantisations_rank_differently_only_where_the_runs_show_it(tmp_path: Path) -> None:
    """Chimeraforge's quant bench: q4_0 generates fastest, and q5_K_M's prompt processing
    mean tops q4_0's over five noisy prompts. The finding read "on the same settings ()"
    and "They rank differently for prompt processing than for generation" though its own
    prompt-processing comparison was "too few to tell"."""
    rows = ["model,prompt_index,tokens_s,prompt_tokens_s"]
    pp = {"q4_0": (2100, 1500, 2600, 1900, 2200), "q5_K_M": (2300, 1700, 2800, 1800, 2700)}
    tg = {"q4_0": (76.4, 76.9, 76.5, 76.7, 76.6), "q5_K_M": (65.2, 65.4, 65.1, 65.3, 65.2)}
    for quant in ("q4_0", "q5_K_M"):
        for i in range(5):
            rows.append(f"llama3.1:8b-instruct-{quant},{i},{tg[quant][i]},{pp[quant][i]}")
    _write(tmp_path / "ollama_quant_bench.csv", "\n".join(rows) + "\n")
    [quant] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.kind == "quantization"
    ]  # fmt: skip
    assert "()" not in quant.text
    assert "rank differently" not in quant.text
    # a reversal beyond the spread is said
    tight = ["model,prompt_index,tokens_s,prompt_tokens_s"] + [
        f"llama3.1:8b-instruct-{quant},{i},{tg[quant][i]},{base + i}"
        for quant, base in (("q4_0", 2000), ("q5_K_M", 2300))
        for i in range(5)
    ]
    _write(tmp_path / "tight" / "ollama_quant_bench.csv", "\n".join(tight) + "\n")
    [quant] = [
        f for f in compute_findings(digest_of(tmp_path / "tight"), per_kind=None)
        if f.kind == "quantization"
    ]  # fmt: skip
    assert "rank differently" in quant.text


def test_an_interval_reaching_below_nothing_is_not_quoted(tmp_path: Path) -> None:
    """TkskKurumi's four-request means: "Qwen3-Next-80B is 5.5x as fast as GLM-4.6 (these
    runs are too few to tell: the change could be anywhere from -156 % to +1053 %)". A rate
    cannot fall by more than all of it; the interval's lower end only says the runs bound
    nothing below."""
    rows = ["model,tokens_per_s"] + [f"glm-4.6,{r}" for r in (0.67, 3.49, 1.20, 1.24)]
    rows += [f"qwen3-next,{r}" for r in (2.0, 16.0, 6.0, 12.24)]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    [ranking] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.kind == "model_ranking"
    ]  # fmt: skip
    assert "-147 %" not in ranking.text
    assert "too few to tell" in ranking.text and "+1046 %" in ranking.text


def test_one_placement_measured_once_each_is_no_measured_null(tmp_path: Path) -> None:
    """Chimeraforge's sweep: num_gpu 40/60/80/999 all put Llama 3.1 8B wholly on the GPU,
    one run each. The finding said "no verdict ... one run on one side" under the verdict
    "no measurable effect": a null the runs never measured (its prompt processing ran 5814
    to 10,417 tok/s across the four)."""
    rows = ["model,num_gpu,num_ctx,tokens_s"]
    rows += [
        f"llama3.1:8b-instruct-q4_0,{g},1024,{r}"
        for g, r in ((40, 78.4), (60, 77.6), (80, 77.8), (999, 77.9))
    ]
    _write(tmp_path / "ollama_param_tuning.csv", "\n".join(rows) + "\n")
    [same] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.kind == "same_placement"
    ]  # fmt: skip
    assert "one placement" in same.text and "no verdict" in same.text
    assert same.verdict != "no measurable effect"


def test_a_windows_client_that_could_not_reach_its_server_is_a_void_session(tmp_path: Path) -> None:
    """Chimeraforge's harness aimed at http://0.0.0.0:11434 on Windows: every row reads
    "[WinError 10049] The requested address is not valid in its context". Those rows were
    "failed" (a reader hears: the server failed 30 requests) beside the void sessions of
    the same harness ("Failed to connect to Ollama"); no request reached a server."""
    rows = ["model,prompt_index,tokens_s,error"] + [
        f"gemma3:latest,{i},0.0,[WinError 10049] The requested address is not valid in its context"
        for i in range(5)
    ]
    _write(tmp_path / "gemma3_benchmark_runs.csv", "\n".join(rows) + "\n")
    _write(
        tmp_path / "refused.csv",
        "model,prompt_index,tokens_s,error\n"
        "gemma3:latest,0,0.0,[WinError 10061] No connection could be made because the target "
        "machine actively refused it\n",
    )
    kinds = {e.path: e.kinds for e in digest_of(tmp_path).error_rows}
    assert kinds == {"gemma3_benchmark_runs.csv": {"void": 5}, "refused.csv": {"void": 1}}


def test_models_that_ran_no_prompt_in_common_are_not_ranked_like_for_like(tmp_path: Path) -> None:
    """Chimeraforge's baselines and quant bench: each model ran its own prompts. The ranking
    was titled "throughput by model (like for like)" over a text saying "the two ran no
    prompt in common, so the runs cannot judge it"."""
    rows = ["model,prompt_index,tokens_s"]
    rows += [f"gemma3:270m,{i},{r}" for i, r in ((0, 295.0), (1, 294.1), (2, 296.2))]
    rows += [f"llama3.1:8b,{i},{r}" for i, r in ((5, 46.7), (6, 46.5), (7, 46.9))]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    [ranking] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.kind == "model_ranking"
    ]  # fmt: skip
    assert "no prompt in common" in ranking.text
    assert "like for like" not in ranking.title


def test_a_recommended_quantisation_warns_that_speed_is_not_accuracy(tmp_path: Path) -> None:
    """guruswami's cluster sweep: "Use quantization: Q2 rather than Q6 on the 8 models
    measured at both: quantization=Q2 was faster on every one of them", and "use
    quantization: Q2" as a model's best config. Q2 weights lose accuracy these runs never
    measured: a speed-only recommendation of a lossy setting must say so."""
    rows = ["model,quantization,prompt,tokens_per_s"]
    for model, fast in (("Meta-Llama-3.1-8B-Instruct", 101.0), ("Mistral-7B-Instruct", 137.0)):
        for quant, rate in (("Q2", fast), ("Q6", fast * 0.62)):
            rows += [f"{model},{quant},p{i},{rate + 0.3 * i}" for i in range(4)]
    _write(tmp_path / "cluster.csv", "\n".join(rows) + "\n")
    recs = [
        f.recommendation.text
        for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.recommendation is not None and "quantization: Q2" in f.recommendation.text
    ]
    assert recs and all("accuracy" in text for text in recs)


def test_a_power_profile_named_by_the_folder_is_the_runs_setting(tmp_path: Path) -> None:
    """kyuz0's Strix Halo toolboxes: the same llama-bench curves under
    `..._bench_results-default-profile/` and `..._bench_results-profile_performance_iommu-off/`.
    Both sessions pooled into one setup (n=6 where each has 3), and the findings said
    "something the files do not record changed between these sessions"; the folders record
    it: the power profile (and IOMMU off)."""
    for folder, rates in (
        ("results-default-profile", (51.6, 51.7, 51.7)),
        ("results-profile_performance_iommu-off", (53.3, 53.4, 53.4)),
    ):
        rows = ["model,n_gen,tokens_per_s"] + [f"qwen3.6:35b-a3b,128,{r}" for r in rates]
        _write(tmp_path / folder / "curve_summary.csv", "\n".join(rows) + "\n")
    stats = [
        s
        for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    ]
    assert sorted(s.n for s in stats) == [3, 3]
    configs = " | ".join(str(s.group) for s in stats)
    assert "power_profile=default" in configs
    # not "power_profile=performance, iommu off": in a list of settings, a second one unnamed
    assert "power_profile=performance (iommu off)" in configs


def test_a_kv_cache_type_named_by_the_run_folder_is_the_runs_setting(tmp_path: Path) -> None:
    """isotopp/llama-benchmark: the 27B's runs under `...-qwen3.6-27b-q4_k_m-turbo3-symmetric-on/`
    and `...-turbo4-symmetric-on/` (TurboQuant KV cache types, written only in the folder
    names) pooled into one setup, "qwen3.6-27b-q4_k_m 11.26 tok/s (n=40)", where Turbo3 runs
    1.19x Turbo4. A keyed type (`kv-q8_0/`) is read too; an unkeyed `q8_0` stays the weights'."""
    for folder, predicted_ms in (
        ("20260714-223905-qwen3.6-27b-q4_k_m-turbo3-symmetric-on", 5300.0),
        ("20260714-231500-qwen3.6-27b-q4_k_m-turbo4-symmetric-on", 6300.0),
    ):
        for i in range(3):
            _write(
                tmp_path / folder / "raw" / f"short-generation-measured-{i + 1}.json",
                _completion(85, 1120.0 + i * 7, predicted_ms + i * 11),
            )
    stats = [
        s
        for s in digest_of(tmp_path).stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    ]
    assert sorted((str(s.group), s.n) for s in stats) == [
        ("qwen3.6-27b-q4_k_m / kv_cache_dtype=turbo3", 3),
        ("qwen3.6-27b-q4_k_m / kv_cache_dtype=turbo4", 3),
    ]
    assert dict(settings_from_path("runs/kv-q8_0/a.json")) == {"kv_cache_dtype": "q8_0"}
    assert "kv_cache_dtype" not in dict(settings_from_path("models/q8_0/a.json"))
    assert "kv_cache_dtype" not in dict(settings_from_path("gpt-3.5-turbo/a.json"))


def test_a_request_file_named_for_its_test_names_the_runs_workload(tmp_path: Path) -> None:
    """isotopp/llama-benchmark saves each request as `<test>-<phase>-<n>.json`
    (`long-context-measured-4.json`), its prompt led by a unique nonce ("Benchmark nonce:
    benchmark-6e56..."): every request was its own workload, so no two setups "ran a prompt
    in common" and Turbo3 against Turbo4 could not be judged. The test the file is named for
    is the run's workload."""
    for kv, predicted_ms in (("turbo3", 5300.0), ("turbo4", 6300.0)):
        for test, prompt_n in (("short-generation", 85), ("long-context", 8230)):
            for i in range(3):
                answer = json.loads(_completion(prompt_n, 1120.0 + i * 7, predicted_ms + i * 11))
                answer["prompt"] = f"Benchmark nonce: {kv}-{test}-{i}\nIgnore the nonce."
                _write(tmp_path / f"27b-{kv}-symmetric-on" / "raw" / f"{test}-measured-{i}.json",
                       json.dumps(answer))  # fmt: skip
    digest = digest_of(tmp_path)
    assert {s.workload for s in digest.stats if s.workload} == {"short-generation", "long-context"}
    texts = [f.text for f in compute_findings(digest, per_kind=None)]
    assert any(
        "kv_cache_dtype=turbo3 gives" in t and "over the 2 prompts both ran" in t for t in texts
    ), texts


def test_a_known_setting_written_name_value_in_a_path_is_the_runs_setting(tmp_path: Path) -> None:
    """Runs under `sweep/temperature=0.2/` and `sweep/temperature=0.8/` (or `top_k-40/`):
    a setting only its own path rules knew (num_ctx, tp, concurrency, ...) was read; any other
    known setting written with its value in a folder name pooled its levels as one setup's
    repetitions. A word that is no setting (`run-3`, `llama-3.1-8b`) stays none."""
    for temperature, rates in (("0.2", (40.1, 40.3, 40.2)), ("0.8", (35.2, 35.0, 35.1))):
        rows = ["model,tokens_per_s"] + [f"llama3.1:8b,{r}" for r in rates]
        _write(tmp_path / "sweep" / f"temperature={temperature}" / "run-3.csv",
               "\n".join(rows) + "\n")  # fmt: skip
    assert sorted(s.params.get("temperature") for s in digest_of(tmp_path).setups) == [0.2, 0.8]
    assert dict(settings_from_path("top_k-40/max_num_seqs=8_tp=2/a.json")) == {
        "tensor_parallel": 2, "top_k": 40, "max_num_seqs": 8,
    }  # fmt: skip
    assert dict(settings_from_path("llama-3.1-8b/run-3.json")) == {}


def test_a_scope_of_an_engine_alone_reads_with_not_on_with(tmp_path: Path) -> None:
    """kyuz0's one machine with two engines named: "for every model measured on with
    llama.cpp b9927 (ROCm)": the scope names no machine, so there is nothing to be on."""
    rows = ["model,engine,num_ctx,tokens_per_s"]
    for model, base in (("qwen3:4b", 50.0), ("llama3.2:3b", 60.0)):
        for ctx, drop in ((2048, 0.0), (8192, 8.0)):
            rows += [f"{model},{eng},{ctx},{base - drop + 0.1 * i}" for eng in ("ollama", "vllm")
                     for i in range(3)]  # fmt: skip
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    texts = [f.text for f in compute_findings(digest_of(tmp_path), per_kind=None)]
    across = [t for t in texts if t.startswith("Across models")]
    assert across and not any(" on with " in t for t in across)


def test_an_apu_named_by_its_cpu_or_by_its_igpu_is_one_machine(tmp_path: Path) -> None:
    """lhl's Strix Halo llama-bench rows: ROCm reports the GPU as "AMD Radeon Graphics" (no
    model), so the row takes its CPU "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"; Vulkan
    reports "Radeon 8060S Graphics". One APU became two machines, and a backend comparison
    read "Radeon 8060S Graphics against AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"."""
    records = []
    for gpu, backends, rates in (
        ("AMD Radeon Graphics", "ROCm", [49.1, 49.2, 49.3]),
        ("Radeon 8060S Graphics", "Vulkan", [50.1, 50.2, 50.3]),
    ):
        [record] = _bench(gpu, backends, 16, rates)
        record["cpu_info"] = "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"
        records.append(record)
    _write(tmp_path / "raw_runs.json", json.dumps(records))
    machines = {s.machine for s in digest_of(tmp_path).stats if s.metric == "tokens_per_s"}
    assert len(machines) == 1


def test_a_reply_that_is_the_harness_connection_error_is_a_void_session(tmp_path: Path) -> None:
    """Chimeraforge's banter tests: a session whose every result is flagged "success": true
    while its banter_text reads "Error generating banter: All connection attempts failed"
    (7 words in 6.9 s of retries: "1.01 tokens/s"). It was a group of repetitions with a
    coefficient of variation of 77.7 % beside the real runs; no model ran."""

    def session(text: str, rate: float) -> dict:
        return {
            "total_tests": 2,
            "results": [
                {"test_name": name, "generation_time_ms": 2600.0, "tokens": 37,
                 "tokens_per_second": rate, "banter_text": text, "success": True}
                for name in ("Player Died (Encouraging)", "Rare Item Drop (Excited)")
            ],
        }  # fmt: skip

    _write(
        tmp_path / "baseline_test_results_1.json",
        json.dumps(session("Well played, hero! Rise again.", 14.1)),
    )
    _write(
        tmp_path / "baseline_test_results_2.json",
        json.dumps(session("Error generating banter: All connection attempts failed", 1.01)),
    )
    digest = digest_of(tmp_path)
    assert {e.path: e.kinds for e in digest.error_rows} == {
        "baseline_test_results_2.json": {"void": 2}
    }
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rates and all(s.min > 10 for s in rates)


def test_a_notes_two_rates_side_by_side_go_to_their_own_models(tmp_path: Path) -> None:
    """Chimeraforge's Technical_Report_108: "Gemma3:latest delivers 34% higher throughput
    than Llama3.1:q4_0 (102.85 vs 76.59 tok/s)". The claim was read as gemma3:latest at
    76.59 tok/s (the figure beside the unit, Llama's), and "the data disagrees (gemma3:latest:
    101.37-103.16 tok/s)" though the data agrees. Two models and "a vs b": each its own."""
    rows = ["model,prompt_index,tokens_s"]
    rows += [f"gemma3:latest,{i},{r}" for i, r in enumerate((102.2, 102.4, 102.9))]
    rows += [f"llama3.1:q4_0,{i},{r}" for i, r in enumerate((76.4, 76.6, 76.8))]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    _write(
        tmp_path / "report.md",
        "# Report\n\nGemma3:latest delivers 34% higher throughput than Llama3.1:q4_0 "
        "(102.85 vs 76.59 tok/s).\n\n## Gemma3:270m\n\n**3x faster than Gemma3:latest** "
        "(303.9 vs 102.31 tok/s).\n",
    )  # the second names one model of two figures: whose is whose it does not say
    digest = digest_of(tmp_path)
    rates = {(c.model, c.low) for c in digest.note_claims if c.kind == "rate"}
    assert rates == {("gemma3:latest", 102.85), ("llama3.1:q4_0", 76.59)}


def test_a_slower_rate_per_request_at_higher_concurrency_is_not_the_servers_total(
    tmp_path: Path,
) -> None:
    """TkskKurumi's llama-server table, one row per request: "concurrency=1 gives 25.70
    tok/s against 3.48 tok/s at concurrency=4: 7.4x as fast". Each row's rate is one
    request's; four requests at a time share the server, and the eight took the same wall
    time either way. The finding must say it compares rates per request."""
    rows = ["concurrency,prompt,tokens_per_second"]
    rows += [f"1,doc{i},{25.6 + 0.1 * i}" for i in range(4)]
    rows += [f"4,doc{i},{3.4 + 0.05 * i}" for i in range(4)]
    _write(tmp_path / "result.csv", "\n".join(rows) + "\n")
    [effect] = [
        f for f in compute_findings(digest_of(tmp_path), per_kind=None)
        if f.title.startswith("concurrency on")
    ]  # fmt: skip
    assert "per request" in effect.text and "per request" in (effect.headline or "")


def test_a_notes_concurrency_speedup_is_not_checked_against_single_runs(tmp_path: Path) -> None:
    """Chimeraforge's Technical_Report_110 is about agents run two at a time: "Temperature
    variation (0.6/0.8/1.0) had minimal impact on concurrency speedup (Δ<3%)", "monotonic
    efficiency gains ... (1.979-1.985x) across all temperature settings", a table of
    "Avg Speedup" (no row its reference) and "Efficiency" by temperature. They were checked
    against the folder's single-request temperature and num_ctx sweeps ("the data disagrees:
    gemma3:270m 1.03x"): a parallel speedup and an efficiency are no change of a setting's
    throughput."""
    _write(
        tmp_path / "Technical_Report_110.md",
        "# TR110\n\n**Temperature Independence:** Temperature variation (0.6/0.8/1.0) had "
        "minimal impact on concurrency speedup (Δ<3%).\n\n**Context Scaling Validation:** "
        "Increasing context from 512→1024→2048 tokens showed monotonic efficiency gains with "
        "2048-token context achieving the highest speedups (1.979-1.985x) across all "
        "temperature settings.\n\n| Temperature | Avg Speedup (CTX=2048) | Efficiency |\n"
        "|---|---|---|\n| 0.6 | 1.979x | 98.9% |\n| 1.0 | 1.985x | 99.3% |\n\n"
        "Raising num_ctx to 8192 costs 10% throughput; num_gpu=99 gives a 2x speedup.\n",
    )
    claims = digest_of(tmp_path).note_claims
    assert sorted(c.setting or "" for c in claims) == ["num_ctx", "num_gpu"]


def test_machines_compared_over_single_runs_are_not_said_within_their_spread(
    tmp_path: Path,
) -> None:
    """dambergn's six machines ran each model once: "4060Ti runs 25.5-64.9x the throughput of
    Raspberry Pi 4 ... (0 of 9 beyond their spread)" read as nine differences within the noise,
    where no pair had a spread to test (one run a side). Only pairs a spread can judge are
    counted; single runs are said as such."""
    rows = ["machine,model,tokens_per_s"]
    for model, fast, slow in (("m1", 100, 20), ("m2", 50, 10), ("m3", 30, 6)):
        rows += [f"boxA,{model},{fast}", f"boxB,{model},{slow}"]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [finding] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    assert "0 of 3 beyond their spread" not in finding.text
    assert "single run" in finding.text


def test_a_ranking_of_models_that_ran_other_prompts_is_not_titled_like_for_like(
    tmp_path: Path,
) -> None:
    """freeletics' llm_benchmark gives each model its own prompts: the ranking was titled
    "throughput by model (like for like)" above "the two ran no prompt in common, so the runs
    cannot judge it". The same settings do not make other prompts like for like."""
    rows = ["model,prompt,tokens_per_s"]
    rows += [f"m1,p1,{r}" for r in (100, 101, 99)] + [f"m2,p2,{r}" for r in (50, 51, 49)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [ranking] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "model_ranking"]
    assert "like for like" not in ranking.title
    assert "other prompts" in ranking.title


def test_prompt_rates_over_prompts_of_a_few_tokens_are_not_prefill(tmp_path: Path) -> None:
    """Ollama's prompt eval rate over a 7-37-token prompt is the request's fixed cost over a
    handful of tokens (rohilrao: 87.5 tok/s for 7 tokens in 80 ms; dambergn: a P40 '5.6x' a
    4060 Ti): rankings and comparisons of it were stated as prefill speed, "real". They say
    the prompts' length, and a ranking on them is no longer a real difference."""
    rows = ["model,prompt,tokens_per_s,prompt_tokens_per_s,prompt_eval_count"]
    rows += [f"m1,p1,{r},{4 * r},11" for r in (100, 101, 99)]
    rows += [f"m2,p1,{r},{3 * r},12" for r in (50, 51, 49)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    found = compute_findings(digest_of(tmp_path))
    [prompt] = [f for f in found if f.kind == "model_ranking" and "prompt processing" in f.title]
    assert "11 to 12 tokens" in prompt.text and "no measure of prefill" in prompt.text
    assert prompt.verdict == "info"
    [generation] = [f for f in found if f.kind == "model_ranking" and f is not prompt]
    assert "prefill" not in generation.text and generation.verdict == "real"


def test_a_long_prompt_keeps_its_prompt_rate_uncaveated(tmp_path: Path) -> None:
    """Prompts of thousands of tokens (khaney64's agentic task: 2883-3705) measure prefill:
    nothing is added."""
    rows = ["model,prompt,tokens_per_s,prompt_tokens_per_s,prompt_eval_count"]
    rows += [f"m1,p1,{r},{40 * r},3212" for r in (100, 101, 99)]
    rows += [f"m2,p1,{r},{30 * r},3212" for r in (50, 51, 49)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    assert all("prefill" not in f.text for f in compute_findings(digest_of(tmp_path)))


def test_a_load_in_a_file_of_one_call_stands_against_its_machines_calls(tmp_path: Path) -> None:
    """dambergn's files hold one `ollama run --verbose` answer each; four loaded the model.
    The finding said "loads of up to 84,286.76 ms ... against a usual 0.00 ms": a file of one
    call has no usual load of its own. The load stands against the median of its machine's
    calls, and the advice no longer reads "4 of 4 runs here did" as if every run loaded."""
    _write(tmp_path / "first" / "metrics.json", _one_call("qwen3:8b", 8192, 60.0, 84.3))
    _write(tmp_path / "second" / "metrics.json", _one_call("qwen3:8b", 8192, 72.0, 0.02))
    _write(tmp_path / "third" / "metrics.json", _one_call("qwen3:8b", 8192, 72.2, 0.04))
    [cold] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "cold_start"]
    assert "a usual 0 ms" not in cold.text
    assert "against a median of 40 ms over the 3 calls" in cold.text
    # ten seconds and more in seconds (it said "loads of up to 84,300.00 ms")
    assert "with loads of up to 84.30 s in first/metrics.json against" in cold.text
    assert cold.text.startswith("The one run of first/metrics.json loaded the model")


def test_a_setting_across_models_too_few_to_tell_is_not_said_as_no_difference(
    tmp_path: Path,
) -> None:
    """rohilrao's num_ctx across five models: "faster for every model measured (5 of 5) (no
    difference beyond its spread)", each model's runs too few to tell (-43 % to +91 %): a
    null in its words where the data rules nothing out."""
    rows = ["model,num_ctx,tokens_per_s"]
    for model in ("m1", "m2"):
        rows += [f"{model},2048,{r}" for r in (50, 70, 90)]
        rows += [f"{model},8192,{r}" for r in (60, 80, 100)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [across] = [
        f for f in compute_findings(digest_of(tmp_path)) if f.kind == "setting_across_models"
    ]
    assert "too few runs to rule one out" in across.text


def test_a_setting_across_models_within_a_few_percent_is_no_direction_and_names_its_machine(
    tmp_path: Path,
) -> None:
    """jesuwin25's eleven GPUs, temperature 1 against 0.7: "is slower in throughput for 1 of 3
    models on NVIDIA GeForce GTX 1650 and faster for 2" over changes of -1.0, +0.4 and +3.1 %
    (equal rates read "faster for every model"), in 19 findings all titled "temperature across
    models". A change within a few percent and no verdict is no direction, and each finding's
    title names its machine."""
    rows = ["model,gpu,temperature,tokens_per_s"]
    for gpu, base in (("RTX 3060", 50.0), ("RTX 4090", 120.0)):
        for model, share in (("m1", 1.0), ("m2", 0.6)):
            for level, bump in ((0.2, 1.0), (0.8, 1.01)):
                rows += [f"{model},{gpu},{level},{base * share * bump + d}" for d in (-1, 0, 1)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    across = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "setting_across_models"]
    assert sorted(f.title for f in across) == [
        "temperature across models on RTX 3060",
        "temperature across models on RTX 4090",
    ]
    for f in across:
        assert "faster" not in f.text and "slower" not in f.text
        assert "are within 5 % of each other in throughput for every model measured" in f.text


def test_a_higher_offered_load_is_not_said_as_a_faster_setting(tmp_path: Path) -> None:
    """nerdalert's vLLM runs at request_rate 10, 30 and inf: "request_rate=inf gives 10,813 tok/s
    against 2265.76 at request_rate=10: 4.8x as fast", as if unbounded requests served faster.
    The rate is the load offered: the finding says it buys total throughput with latency. A
    per-request rate that falls with more load (llama-server's parallel slots) is not told so."""
    rows = ["model,request_rate,output_throughput"]
    rows += [f"m,10,{r}" for r in (2200, 2260, 2300)] + [
        f"m,inf,{r}" for r in (10700, 10800, 10900)
    ]
    _write(tmp_path / "load" / "r.csv", "\n".join(rows) + "\n")
    rows = ["model,concurrency,tokens_per_s"]
    rows += [f"m2,1,{r}" for r in (25.1, 25.7, 26.2)] + [f"m2,4,{r}" for r in (3.4, 3.5, 3.6)]
    _write(tmp_path / "slots" / "r.csv", "\n".join(rows) + "\n")
    effects = {
        f.title: f for f in compute_findings(digest_of(tmp_path)) if f.kind == "setting_effect"
    }
    assert "the load the benchmark offered" in effects["request_rate on m"].text
    assert "the load the benchmark offered" not in effects["concurrency on m2"].text


def test_a_quantisation_keyed_in_a_file_name_is_the_runs_setting(tmp_path: Path) -> None:
    """danielkorat's GuideLLM sweep names each deployment `<model>_tp<N>_quant-<q>`: the fp8
    Qwen runs and the unquantised gpt-oss were ranked "on the settings all 3 were measured
    with (tensor_parallel=4)". The keyed quantisation is the runs' setting too; a file of a
    quantisation benchmark (`ollama_quant_bench.csv`) names none."""
    from chimera.ingest.digest.columns import settings_from_path

    assert ("quantization", "NONE") in settings_from_path("a_tp4_quant-none_benchmarks.json")
    assert all(k != "quantization" for k, _ in settings_from_path("ollama_quant_bench.csv"))
    for name, model, rates in (
        ("Qwen_Qwen3-4B_tp4_quant-fp8_runs.csv", "Qwen/Qwen3-4B", (48.1, 48.9, 49.3)),
        ("openai_gpt-oss-20b_tp4_quant-none_runs.csv", "openai/gpt-oss-20b", (33.0, 33.4, 33.8)),
    ):
        rows = ["model,tokens_per_s"] + [f"{model},{r}" for r in rates]
        _write(tmp_path / name, "\n".join(rows) + "\n")
    found = compute_findings(digest_of(tmp_path))
    assert not any("measured with (tensor_parallel=4)" in f.text for f in found)


def test_load_times_by_setting_where_every_call_loaded_the_model(tmp_path: Path) -> None:
    """rohilrao's benchmark unloads the model before each call to time its load at num_ctx
    8192, 32768 and 65536: every row a load, kept, and no finding said what num_ctx costs
    in load time, the benchmark's question. Each model's median load per level is said; a
    difference only where the loads stand apart (qwen3:32b: 9.78 s against 18.92 s, its
    8192 level holding a first-ever read of 19.15 s), none where they overlap."""
    rows = ["model,num_ctx,load_duration_s,eval_count,tokens_per_s"]
    loads = {
        ("dense", 8192): (19.15, 9.47, 9.70, 9.78, 9.81),
        ("dense", 32768): (18.87, 18.90, 18.92, 19.30, 19.40),
        ("big", 8192): (61.2, 61.77, 56.51, 63.08, 62.0),
        ("big", 32768): (62.25, 62.55, 63.51, 62.4, 61.9),
    }
    for (model, ctx), values in loads.items():
        rows += [f"{model},{ctx},{v},100,{50 + i}" for i, v in enumerate(values)]
    _write(tmp_path / "load_benchmark.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path)
    every = compute_findings(digest)
    found = {f.title: f for f in every if "(load time)" in f.title}
    dense = found["num_ctx on dense (load time)"]
    assert "every load at num_ctx=32768 took longer than the median load at num_ctx=8192" in (
        dense.text
    )
    assert "overlap, so no difference is clear" in found["num_ctx on big (load time)"].text
    # in seconds, as the file and an engineer write loads of ten seconds and more (the
    # finding said "9780.00 ms at num_ctx=8192, 18,920.00 ms at ..."; the figures stay ms)
    assert "the median load is 9.78 s at num_ctx=8192, 18.92 s at num_ctx=32768" in dense.text
    # its statistic beside it: "whose longest (19.15 s)" read as one more median, untraced
    assert "whose longest is 19.15 s and stands out" in dense.text
    from chimera.grounding.figures import KnownFigures, check_figures, data_figures

    claims = check_figures({"t": dense.text}, KnownFigures(data_figures(digest, every))).claims
    assert [c.status for c in claims if c.text == "19.15 s"] == ["traced"]
    assert "(56.51-63.08 s) overlap" in found["num_ctx on big (load time)"].text


def test_a_notes_stated_run_count_is_its_tables_runs(tmp_path: Path) -> None:
    """jenicek001's results note says "**Runs**: Single run per model", yet each figure was
    "a mean the file had already computed (it does not say over how many runs)". The count a
    note states is its tables' runs: single runs said as such. A rule ("Minimum 3 runs per
    configuration") states no count."""
    table = "| Model | t/s |\n| :--- | :--- |\n| gemma3:27b | 11.07 |\n| qwen2.5:0.5b | 225.0 |\n"
    _write(
        tmp_path / "single" / "RESULTS.md",
        "# Results\n\n*   **Runs**: Single run per model (no warm-up excluded)\n\n" + table,
    )
    _write(
        tmp_path / "rule" / "REPORT.md",
        "# Report\n\n- Minimum 3 runs per configuration\n\n"
        + table.replace("gemma3:27b", "llama3:8b").replace("qwen2.5:0.5b", "phi3:mini"),
    )
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"]
    single = [f for f in found if f.sources == ["single/RESULTS.md"]]
    rule = [f for f in found if f.sources == ["rule/REPORT.md"]]
    assert single and all("Each figure is a single run" in f.text for f in single)
    assert rule and all("it does not say over how many runs" in f.text for f in rule)


def test_a_median_ranking_is_not_called_means(tmp_path: Path) -> None:
    """ray's LLMPerf TTFT ranking: "Median TTFT by model over all rows: ... (medians: one slow
    call pulls the means). These means pool each model's rows ..."."""
    rows = ["model,num_ctx,ttft_ms"]
    rows += [f"m1,2048,{t}" for t in (900, 200, 210, 205, 5000)]
    rows += [f"m2,4096,{t}" for t in (900, 400, 410, 420)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [ranking] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "model_ranking"]
    assert ranking.text.startswith("Median TTFT by model")
    assert "These means" not in ranking.text and "These medians pool" in ranking.text


def test_reported_setups_alike_but_for_one_setting_are_set_side_by_side(tmp_path: Path) -> None:
    """lottolotto's TP A/B page reports one throughput per (tensor_parallel, concurrency):
    the finding listed them all and said "the fastest 41767.3 % above the slowest", mixing
    load and parallelism, where the expert reads TP=2 at 1.61x TP=4 at 64 concurrent
    requests. Setups alike but for one setting are now set side by side, and the fastest
    against the slowest, mixing both settings, is not said (review6b); over one setting
    (concurrency alone) it is, a ratio above 2 said as one."""
    rows = ["model,tensor_parallel,concurrency,mean_tokens_per_s"]
    for c, tp2, tp4 in ((4, 168.06, 144.32), (16, 364.64, 210.78), (64, 473.10, 294.76)):
        rows += [f"q,2,{c},{tp2}", f"q,4,{c},{tp4}"]
        rows += [f"r,4,{c},{tp4}"]
    _write(tmp_path / "summary.csv", "\n".join(rows) + "\n")
    found = {f.title: f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"}
    assert "the slowest" not in found["reported throughput of q"].text
    assert "the fastest 2.0x the slowest" in found["reported throughput of r"].text
    found = found["reported throughput of q"]
    assert (
        "tensor_parallel=2 against tensor_parallel=4 (alike otherwise) gives 1.16x at "
        "concurrency=4, 1.73x at concurrency=16, 1.61x at concurrency=64" in found.text
    )


def test_a_batch_cap_above_the_requests_in_flight_is_said_never_to_bind(tmp_path: Path) -> None:
    """er0080's vLLM sweep: max_num_seqs 4 against 8 at max_concurrency=2, 146.56 against
    188.84 tok/s (the first run of 4 on a cold server). With two requests in flight a cap of
    four or eight never binds; the finding says so. A cap of 1 below them binds: not said."""
    rows = ["model,max_num_seqs,concurrency,output_throughput"]
    rows += [f"m,4,2,{r}" for r in (93.7, 199.4)] + [f"m,8,2,{r}" for r in (191.2, 186.5)]
    rows += [f"n,1,2,{r}" for r in (50.0, 52.0)] + [f"n,4,2,{r}" for r in (99.0, 101.0)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    effects = {
        f.title: f for f in compute_findings(digest_of(tmp_path)) if f.kind == "setting_effect"
    }
    assert "the cap never binds" in effects["max_num_seqs on m"].text
    assert "the cap never binds" not in effects["max_num_seqs on n"].text


def test_engines_a_summary_reports_are_set_side_by_side(tmp_path: Path) -> None:
    """sergeykit's summary.csv: llama.cpp, Ollama and vLLM on one GTX 1650 at each
    concurrency, one row each (medians of three fresh-server runs), the model named only in
    the README. Summary values are never compared as runs and the file names no model, so
    the corpus's point, the runtimes against each other, had no finding. Engines one file
    reports are set side by side, config by config."""
    rows = ["runtime,concurrency,n_runs,throughput_tok_s"]
    for c, llama, ollama, vllm in ((4, 102.69, 80.59, 21.72), (32, 125.45, 90.77, 116.90)):
        rows += [f"llamacpp,{c},3,{llama}", f"ollama,{c},3,{ollama}", f"vllm,{c},3,{vllm}"]
    _write(tmp_path / "results" / "summary.csv", "\n".join(rows) + "\n")
    [found] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "engine_comparison"]
    assert "concurrency=4: llama.cpp 102.69, Ollama 80.59, vLLM 21.72 tok/s" in found.text
    assert "llama.cpp runs 1.07-4.73x the throughput of vLLM over 2 configs" in found.text


def test_an_ollama_tag_of_a_size_alone_is_not_a_quantisation_of_its_q4_k_m_alias(
    tmp_path: Path,
) -> None:
    """khaney64/ollama-model-tests: `llama3.1:8b` against `llama3.1:8b-instruct-q4_K_M` was
    "Quantisations of llama3.1 8b". On Ollama the bare size tag is the library's default
    build, for most models that very Q4_K_M one (the same digest); the files state no digest
    or size, so the comparison is said as two tags that may be one build. A bare tag beside
    another quantisation says its own is not stated."""
    for model, rate in (
        ("llama3.1:8b", 83.8),
        ("llama3.1:8b-instruct-q4_K_M", 84.2),
        ("qwen2.5-coder:7b", 88.6),
        ("qwen2.5-coder:7b-instruct-q5_K_M", 78.7),
    ):
        folder = model.replace(":", "(") + ")"
        _write(tmp_path / folder / "ctx-8192" / "metrics.json", _one_call(model, 8192, rate, 2.2))
    findings = compute_findings(digest_of(tmp_path))
    [llama] = [f for f in findings if "llama3.1 8b" in f.title]
    assert llama.title.startswith("two tags of") and "Quantisations" not in llama.text
    assert "may be one build under two tags" in llama.text
    [qwen] = [f for f in findings if "qwen2.5-coder 7b" in f.title]
    assert qwen.title.startswith("quantisation of")
    assert "qwen2.5-coder:7b is Ollama's default build" in qwen.text
    assert "may be one build" not in qwen.text


def test_sessions_of_the_same_prompts_are_compared_prompt_by_prompt(tmp_path: Path) -> None:
    """gzhang33's llama3.1:8b q8 and gemma3:12b were 24-40 % slower in the 03:22 session on
    each of the same three prompts, but each session's prompts spread 22-29 tok/s, so the
    sessions' runs taken as repetitions were "within the spread" and nothing was said; the
    ranking gave one mean over both sessions. Each prompt's own speed is taken out (the
    sessions compared prompt by prompt); sessions that agree prompt by prompt (phi4-mini,
    1 % apart) are not said; the ranking names the means that pool disagreeing sessions."""
    _speed_test(tmp_path, "20251003_032235", {
        "llama3.1:8b-instruct-q8_0": [22.28, 28.93, 29.35],
        "gemma3:12b": [19.54, 24.30, 24.36],
        "phi4-mini:3.8b": [50.52, 71.11, 72.01],
    })  # fmt: skip
    _speed_test(tmp_path, "20251003_151414", {
        "llama3.1:8b-instruct-q8_0": [26.43, 36.48, 36.70],
        "gemma3:12b": [25.29, 35.08, 35.25],
        "phi4-mini:3.8b": [51.33, 72.06, 72.86],
    })  # fmt: skip
    findings = compute_findings(digest_of(tmp_path))
    sessions = sorted(f.title for f in findings if f.kind == "sessions")
    assert sessions == ["sessions of gemma3:12b", "sessions of llama3.1:8b-instruct-q8_0"]
    [llama] = [f for f in findings if f.title == "sessions of llama3.1:8b-instruct-q8_0"]
    assert "consistent over the 3 prompts both ran" in llama.text
    [ranking] = [f for f in findings if f.kind == "model_ranking" and "throughput" in f.title]
    assert "llama3.1:8b-instruct-q8_0 (26.85 and 33.20 tok/s by session)" in ranking.text
    assert "pool sessions that disagree" in ranking.text and "phi4-mini:3.8b (" not in ranking.text


def test_a_ranking_holds_a_model_to_the_prompts_every_model_ran(tmp_path: Path) -> None:
    """gzhang33's gemma3:4b ran the 3 Chinese prompts every model ran (43-69 tok/s) and, in a
    session of its own, 3 English ones (22-31 tok/s): the like-for-like ranking gave it 49.35
    tok/s, a mean pooling two workloads that no other model's figure shares. A model is
    ranked by its runs of the prompts every model ran; the others are said apart."""
    _speed_test(tmp_path, "20251003_151414", {
        "gemma3:4b": [44.81, 68.77, 68.35],
        "phi4-mini:3.8b": [51.33, 72.06, 72.86],
    })  # fmt: skip
    english = ("edit distance (English)", "parentheses (English)", "regions (English)")
    _speed_test(tmp_path, "20251003_164548", {"gemma3:4b": [22.18, 30.86, 29.78]}, prompts=english)
    findings = compute_findings(digest_of(tmp_path))
    [ranking] = [f for f in findings if f.kind == "model_ranking" and "throughput" in f.title]
    assert "gemma3:4b 60.64 tok/s (n=3)" in ranking.text
    assert (
        "Each figure is over the 3 prompts every model ran; left out, as not every model ran"
        " them: gemma3:4b's 3 other prompts (27.61 tok/s, n=3, in "
        "speed_test_details_20251003_164548.csv)." in ranking.text
    )
    assert any(abs(f.value - 27.6067) < 0.01 for f in ranking.figures)


def test_runs_that_name_no_prompt_are_said_apart_when_a_ranking_holds_to_common_prompts(
    tmp_path: Path,
) -> None:
    """examples/data: gemma3:270m's CSV names 7 prompts, 5 of which every model ran, and an
    Ollama JSON beside it holds 3 raw responses that name none (200 tok/s). Held to the
    common prompts, the ranking dropped those 3 runs from its figure and said nothing of
    them; they are left out with the other prompts, and said, with their mean and file."""
    rows = ["model,prompt,tokens_s"]
    for model, rate in (("gemma3:270m", 100.0), ("gemma3:4b", 15.0)):
        rows += [f"{model},prompt {i},{rate + i}" for i in range(3)]
    rows += ["gemma3:270m,prompt 9,90.0"]
    _write(tmp_path / "baseline.csv", "\n".join(rows) + "\n")
    raw = [
        {"model": "gemma3:270m", "done": True, "load_duration": 20_000_000,
         "eval_count": 200, "eval_duration": int(200 / rate * 1e9)}
        for rate in (190.0, 200.0, 210.0)
    ]  # fmt: skip
    _write(tmp_path / "ollama_raw.json", json.dumps(raw))
    findings = compute_findings(digest_of(tmp_path))
    [ranking] = [f for f in findings if f.kind == "model_ranking" and "throughput" in f.title]
    assert "gemma3:270m 101.00 tok/s (n=3)" in ranking.text
    assert "left out, as not every model ran them or they name none" in ranking.text
    assert (
        "gemma3:270m's one other prompt (90.00 tok/s, n=1, in baseline.csv) and 3 runs that"
        " name no prompt (200.00 tok/s, n=3, in ollama_raw.json)" in ranking.text
    )


def test_rows_beside_a_settings_file_of_timed_iterations_are_means_of_runs(
    tmp_path: Path,
) -> None:
    """aukejw/mlx_transformers_benchmark: each row of benchmark_results.csv is the mean of
    `num_iterations` (3) timed runs after a warm-up, as the settings.json beside it states;
    rows were counted as one run each, and the spread of four sessions' means was "over 4
    runs, a coefficient of variation of 7.7 %", as if run to run. Each row now states 3 runs
    (`MetricStats.runs`), said once in a finding and in the stability finding's words."""
    settings = {"benchmark_settings": {"num_warmup_iterations": 1, "num_iterations": 3}}
    for i, tg in enumerate((400.0, 363.0, 428.0)):
        folder = tmp_path / "Apple_M4_Pro" / f"2025-04-2{i}__13:25:50"
        _write(folder / "settings.json", json.dumps(settings))
        lengths = {64: (900.0 + 90 * i, tg), 1024: (5500.0 + 500 * i, tg - 30 + 9 * i),
                   4096: (6200.0 + 600 * i, tg - 80 + 9 * i)}  # fmt: skip
        text = _MTB_HEADER + _mtb_rows("qwen-2.5-0.5b-it", "mlx", "metal", "int4", lengths)
        text += _mtb_rows("gemma-3-1b-it", "mlx", "metal", "int4",
                          {n: (pp / 3, r / 3) for n, (pp, r) in lengths.items()})  # fmt: skip
        _write(folder / "benchmark_results.csv", text)
    digest = digest_of(tmp_path)
    [overall] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert (overall.n, overall.runs, overall.aggregate) == (18, 54, None)
    findings = compute_findings(digest)
    [means] = [f for f in findings if f.title == "rows that are means of 3 runs"]
    assert "(18 rows of throughput, 54 runs)" in means.text
    [steady] = [f for f in findings if f.kind == "instability"]
    assert "over 3 rows, each a mean of 3 runs" in steady.text
    assert "between those means (not run to run" in steady.text
    assert "each a mean of 3 runs" in render_digest(digest, None)[0]


def test_a_settings_file_of_iterations_leaves_rows_with_their_own_runs_alone(
    tmp_path: Path,
) -> None:
    """A table whose rows state their own run count, or beside no settings file, is read as
    before: the count is the settings file's only for the tables of its folder."""
    _write(tmp_path / "a" / "settings.json", json.dumps({"num_iterations": 5}))
    _write(tmp_path / "b" / "r.csv", "model,tokens_per_s\nm,40\nm,41\nm,42\n")
    [overall] = [
        s for s in digest_of(tmp_path).stats if s.metric == "tokens_per_s" and s.group_by is None
    ]
    assert overall.runs is None


def test_a_stated_mean_that_is_not_the_mean_of_its_runs_is_said(tmp_path: Path) -> None:
    """ConnorsApps/ollama-benchmarks' script adds its second round halved (r1 + r2 / 2) and
    writes the sum as the average: a summary that disagrees with its own runs. Where a file
    states its runs beside its mean (`Run_1` ... `Run_N`, `Mean`), a mean that is not theirs
    (beyond its rounding) is said as a finding, and the runs are read; means written to
    fewer decimals than the runs (1.27 for 1.2667, 0.3 for 0.27) are no mismatch."""
    _write(
        tmp_path / "results.csv",
        "Model,Prompt_ID,Metric_Type,Run_1,Run_2,Mean,Std_Dev\n"
        "gemma3:12b,P1,Tokens_Per_Sec,38.0,40.0,58.0,1.41\n"
        "gemma3:12b,P1,Elapsed_Sec,1.27,1.2633,1.27,0.0\n"
        "qwen3:14b,P1,Tokens_Per_Sec,32.0,32.4,32.2,0.28\n"
        "qwen3:14b,P1,Elapsed_Sec,0.26,0.28,0.3,0.01\n",
    )
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group == "gemma3:12b"
              and s.group_by == "model"]  # fmt: skip
    assert (rate.n, rate.mean) == (2, 39.0)
    [stated] = [f for f in compute_findings(digest) if f.title.startswith("stated means")]
    assert "the file's mean does not match its runs in 1 row" in stated.text
    assert "Tokens_Per_Sec of gemma3:12b, P1: 58 stated, 39 over Run_1 ... Run_2" in stated.text


def test_rows_that_repeat_a_setup_beside_a_settings_file_of_iterations_are_its_runs(
    tmp_path: Path,
) -> None:
    """A harness writing `settings.json` {"warmup": 1, "iterations": 3} beside one row per
    iteration: the rows repeat one setup and workload, so they are its runs, not each a mean
    of 3. A training config's `num_iterations` (no warm-up, no benchmark block) is no
    benchmark's iteration count at all."""
    _write(tmp_path / "a" / "settings.json", json.dumps({"warmup": 1, "iterations": 3}))
    _write(tmp_path / "a" / "results.csv", "model,prompt,tokens_per_s\nm,a,40\nm,a,41\nm,a,42\n")
    _write(tmp_path / "b" / "config.json", json.dumps({"num_iterations": 300, "lr": 0.05}))
    _write(tmp_path / "b" / "results.csv", "model,prompt,tokens_per_s\nm,a,40\nm,b,51\n")
    stats = [s for s in digest_of(tmp_path).stats if s.metric == "tokens_per_s"]
    runs = {s.group: (s.n, s.runs) for s in stats if s.group_by == "file"}
    assert runs == {"a/results.csv": (3, None), "b/results.csv": (2, None)}


# SGLang's README against vLLM (benchmark/benchmark_vllm_060, as a fork renamed it): one
# heading per model and machine, an engine column naming a fork Chimera does not know beside
# vLLM, an offered request rate, latencies only (no tok/s) online, throughput offline.
_ENGINES_README = """## Online benchmark results

### Llama 3.1 8B Instruct 1 x A100 80G

| RPS  | Num prompts | Engine | Median E2E Latency | Median TTFT | Median TPOT | Median ITL |
|------|-------------|--------|--------------------|-------------|-------------|------------|
| 4    | 1200        | Coalinfer | 1564.17         | **31.98**   | 13.17       | **11.93**  |
| 4    | 1200        | vLLM   | 1691.97            | **100.48**  | 14.14       | **129.32** |
| 8    | 2400        | Coalinfer | 2175.02         | **35.68**   | 17.85       | **14.41**  |
| 8    | 2400        | vLLM   | 2137.16            | **120.39**  | 17.09       | **158.63** |

## Offline benchmark results

### Llama 3.1 8B Instruct 1 x A100 80G

| RPS  | Num Prompts | Engine | Request throughput | Output token throughput |
|------|-------------|--------|--------------------|-------------------------|
| inf  | 5000        | Coalinfer | 22.03           | **4281.51**             |
| inf  | 5000        | vLLM   | 21.27              | **4132.37**             |
"""


def test_an_engine_column_keeps_an_engine_chimera_does_not_know_beside_one_it_does(
    tmp_path: Path,
) -> None:
    """An "| Engine |" column over "Coalinfer" (SGLang under a fork's name) and "vLLM": the unknown
    engine named no engine, so its rows took the engine the note's words name, vLLM: two
    engines pooled as one (Coalinfer's 4281.51 tok/s averaged with vLLM's 4132.37). An
    engine column's cells are all engines where one of them is one Chimera knows."""
    _write(tmp_path / "README.md", _ENGINES_README)
    digest = digest_of(tmp_path)
    assert {s.engine for s in digest.scopes} == {"Coalinfer", "vLLM"}
    rates = {
        s.engine: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name"
    }
    assert rates == {"Coalinfer": 4281.51, "vLLM": 4132.37}
    # a weights' format beside a known engine (newbdez33's "| Framework |" of GGUF and MLX)
    # names no engine: which runtime ran the GGUF the cell does not say
    _write(
        tmp_path / "lmstudio" / "README.md",
        "| Model | Framework | TPS |\n|---|---|---|\n| **Qwen3 Q4_K_M** | GGUF | 33.92 |\n"
        "| MiniMax 8-bit | MLX | 25.98 |\n",
    )
    assert "GGUF" not in {s.engine for s in digest_of(tmp_path).scopes}


def test_a_heading_names_a_model_written_in_words_before_its_machine(tmp_path: Path) -> None:
    """A heading "### Llama 3.1 8B Instruct 1 x A100 80G": a model written with spaces (its
    family, its version, its size, its variant) named none, so the tables were "model not
    stated"; the machine after it is no part of its name."""
    _write(tmp_path / "README.md", _ENGINES_README)
    digest = digest_of(tmp_path)
    assert {s.model for s in digest.setups} == {"Llama-3.1-8B-Instruct"}
    assert {s.machine for s in digest.scopes} == {"A100"}


def test_an_rps_column_of_levels_is_the_offered_request_rate(tmp_path: Path) -> None:
    """An "| RPS |" column over 4, 8 and inf is the request rate the benchmark offered
    (`--request-rate`), the rows' setting: it was read as 4.0 and 8.0 requests a second
    measured (and "inf" as no figure). "Output token throughput" without its unit is the
    output token rate, as vLLM's console line with it is. A measured RPS (12.37) stays a
    measurement."""
    _write(tmp_path / "README.md", _ENGINES_README)
    _write(
        tmp_path / "other" / "runs.md",
        "| model | RPS | TTFT (ms) |\n|---|---|---|\n| qwen3:8b | 12.37 | 50 |\n"
        "| qwen3:8b | 11.92 | 52 |\n",
    )
    digest = digest_of(tmp_path)
    levels = {s.params.get("request_rate") for s in digest.setups if s.model != "qwen3:8b"}
    assert levels == {4, 8, "inf"}
    measured = [s for s in digest.stats if s.metric == "requests_per_s" and s.group_by is None]
    assert min(s.min for s in measured) == 11.92 and max(s.max for s in measured) == 22.03
    assert not [s for s in measured if s.min in (4.0, 8.0)]
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rates and rates[0].max == 4281.51


def test_engines_reporting_only_latencies_are_set_side_by_side_on_them(tmp_path: Path) -> None:
    """A serving table of median TTFT / TPOT / ITL and no tok/s (SGLang against vLLM at 4 and
    8 requests a second) gave no finding: only throughput was set side by side. Each latency
    is now, shorter first; vLLM's ITL 10.8-11.0x SGLang's where its TPOT is 0.96-1.07x is
    said to be tokens arriving in bursts (vLLM's multi-step scheduling), not a slower engine."""
    _write(tmp_path / "README.md", _ENGINES_README)
    findings = compute_findings(digest_of(tmp_path))
    by_title = {f.title: f for f in findings}
    ttft = by_title["engines side by side on Llama-3.1-8B-Instruct on A100 (median TTFT)"]
    assert "request_rate=4: Coalinfer 31.98, vLLM 100.48 ms" in ttft.text
    assert "vLLM's median TTFT is 3.14-3.37x Coalinfer's over 2 configs" in ttft.text
    itl = by_title[
        "engines side by side on Llama-3.1-8B-Instruct on A100 (median inter-token latency)"
    ]
    assert "10.84-11.01x Coalinfer's" in itl.text
    assert "yet its median time per output token is 0.96-1.07x Coalinfer's" in itl.text
    assert "arrive in bursts" in itl.text
    tpot = by_title[
        "engines side by side on Llama-3.1-8B-Instruct on A100 (median time per output token)"
    ]
    assert "bursts" not in tpot.text
    offline = by_title["engines side by side on Llama-3.1-8B-Instruct on A100"]
    assert "request_rate=inf: Coalinfer 4281.51, vLLM 4132.37 tok/s" in offline.text


def test_a_reported_figure_an_engines_side_by_side_states_is_not_repeated(
    tmp_path: Path,
) -> None:
    """coalinfer's README: "engines side by side on Llama-3.1-8B-Instruct on A100" gave
    Coalinfer 4281.51 and vLLM 4132.37 tok/s, then "reported throughput of ... with
    Coalinfer" and "... with vLLM" said each figure again, alone. Those are left out."""
    _write(tmp_path / "README.md", _ENGINES_README)
    found = compute_findings(digest_of(tmp_path))
    offline = [
        f for f in found if f.title == "engines side by side on Llama-3.1-8B-Instruct on A100"
    ]
    assert offline and "Coalinfer 4281.51, vLLM 4132.37 tok/s" in offline[0].text
    assert not [f for f in found if f.kind == "reported"], [f.title for f in found]


def test_a_sweep_kept_one_folder_per_level_is_one_model_on_no_named_machine(
    tmp_path: Path,
) -> None:
    """SGLang-dLoRA's results (`static/maf1/8/sglang_sglang_trace_azure_v1_8.0_1_800.jsonl`,
    one bench_serving record per folder of a request rate, `static/` against `rank/`): the
    Azure trace's name (`azure_v1_...`) was read as an Azure machine, a new one per file;
    each file's unnamed model was its own, so no two records compared; `routing_strategy`
    (static / least_loaded) was no setting. Now the trace names no machine, the folders'
    files whose setups all differ are one sweep of one unnamed model, and the router is a
    setting: the two routers compare at each request rate."""
    for router, arch, rates in (
        ("static", "sglang", {8: 893.28, 16: 923.74}),
        ("least_loaded", "dlora", {8: 1086.51, 16: 1075.48}),
    ):
        folder = "static" if router == "static" else "rank"
        for rate, tps in rates.items():
            record = {
                "backend": "sglang", "architecture": arch, "routing_strategy": router,
                "request_rate": float(rate), "completed": rate * 100, "duration": 190.0,
                "request_throughput": 4.1, "output_throughput": tps,
                "median_ttft_ms": 21039.79,
            }  # fmt: skip
            name = f"sglang_{arch}_trace_azure_v1_{rate}.0_1_{rate * 100}.jsonl"
            _write(tmp_path / folder / "maf1" / str(rate) / name, json.dumps(record) + "\n")
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.setups} == {None}
    assert {s.model for s in digest.setups} == {"model not stated"}
    assert {s.params.get("routing_strategy") for s in digest.setups} == {"static", "least_loaded"}
    best = [f for f in compute_findings(digest) if f.kind == "best_config"]
    # the two routers at each rate, least_loaded the faster at both: said once
    (finding,) = best
    assert "At every request_rate measured (2 levels, request_rate=8 to 16)" in finding.text
    assert (
        "routing_strategy=least_loaded: from 1075.48 tok/s at request_rate=16 to 1086.51 tok/s "
        "at request_rate=8"
    ) in finding.text, finding.text


def test_a_serving_run_far_below_its_offered_request_rate_is_said_to_be_overloaded(
    tmp_path: Path,
) -> None:
    """SGLang-dLoRA offered 8-48 requests a second and achieved 4.10-6.76: every run was
    saturated, its TTFT (12 s to 6 min) queueing time, and nothing said so. A run whose
    achieved rate falls below 80 % of the offered one is listed as overloaded, the worst
    first; one that keeps up (3.96 of 4) is not, nor an offered rate of inf."""
    rows = [(4.0, 3.96), (8.0, 4.10), (48.0, 4.38), ("inf", 21.3)]
    lines = [
        json.dumps({"backend": "sglang", "request_rate": rate, "request_throughput": got,
                    "output_throughput": 900.0 + i, "median_ttft_ms": 100.0 * (i + 1)})
        for i, (rate, got) in enumerate(rows)
    ]  # fmt: skip
    _write(tmp_path / "runs.jsonl", "\n".join(lines) + "\n")
    [found] = [
        f for f in compute_findings(digest_of(tmp_path)) if f.title.startswith("serving runs that")
    ]
    assert found.text.startswith("2 serving runs achieved far fewer requests a second")
    assert "request_rate=48: 4.38 req/s achieved of 48 offered (9 %)" in found.text
    assert "of 4 offered" not in found.text and "inf" not in found.text


def test_a_setting_measured_once_at_each_level_of_another_says_its_direction_over_them(
    tmp_path: Path,
) -> None:
    """dLoRA's router against static SGLang, one run at each of six request rates: each rate
    compared alone is "one run on one side, so no verdict", and that was all. The direction
    over the other settings' levels is now said (faster at every one, 1.09-1.56x; or faster
    at some, slower at others), still with no verdict."""
    rates = {8: (893.28, 1086.51), 16: (923.74, 1075.48), 24: (943.78, 1030.62)}
    rows = [
        {"model": "llama-2-7b", "routing_strategy": router, "request_rate": rate,
         "output_throughput": tps}
        for rate, pair in rates.items()
        for router, tps in zip(("static", "least_loaded"), pair, strict=True)
    ]  # fmt: skip
    _write(tmp_path / "runs.json", json.dumps(rows))
    [effect] = [
        f
        for f in compute_findings(digest_of(tmp_path))
        if f.title == "routing_strategy on llama-2-7b"
    ]
    assert effect.verdict == "not comparable"
    assert (
        "Over the 3 combinations of the other settings where both were measured, "
        "routing_strategy=least_loaded is faster than routing_strategy=static at every one "
        "(1.09-1.22x)" in effect.text
    )


def test_a_micro_sign_in_a_header_is_microseconds_not_seconds(tmp_path: Path) -> None:
    """`TTFT (µs)`: the micro sign is no letter of a name, so it was dropped and the header
    read as `ttft_s`, seconds: 120,000 µs became 120,000,000 ms. The micro sign (and the
    Greek mu some keyboards type) is `u`, so the header is `ttft_us`."""
    _write(
        tmp_path / "results.csv",
        "model,eval rate (tok/s),TTFT (\u00b5s),ITL (\u03bcs)\n"
        "m,42.0,120000,20000\nm,43.0,118000,21000\n",
    )
    digest = digest_of(tmp_path)
    metrics = {s.metric: s.mean for s in digest.stats if s.group_by == "model"}
    assert metrics["ttft_ms"] == pytest.approx(119.0)
    assert metrics["itl_ms"] == pytest.approx(20.5)


_STATS_SECTIONS = (
    "Metadata   | Request Stats         || Out Tok/sec| Tot Tok/sec| Req Latency (ms)||| "
    "TTFT (ms)       ||| ITL (ms)        ||| TPOT (ms)       ||"
)
_STATS_COLUMNS = ["  Benchmark", "Per Second", "Concurrency", "mean", "mean"] + [
    "mean",
    "median",
    "p99",
] * 4


def _guidellm_02(gpus: int, sync: str, thr: str) -> str:
    """A lab note's GuideLLM 0.2 output: the serve command, the backend's model line, the
    Benchmarks Info and Stats tables (a cut of IBM-Cloud/techxchange-labs' gpulab-1827)."""
    served = "/root/.cache/instructlab/models/ibm-granite/granite-3.3-8b-instruct"
    rows = [
        ["synchronous", "0.24", "1.00", sync, "312.8", "4.09", "4.08", "4.10", "58.7", "57.8",
         "61.8", "15.8", "15.8", "15.8", "15.7", "15.7", "15.8"],
        [" throughput", "3.89", "29.65", thr, "4979.5", "7.62", "7.62", "7.68", "817.7",
         "784.0", "1387.9", "26.7", "26.8", "29.3", "26.6", "26.7", "29.2"],
        ["constant@5.71", "0.00", "0.00", "0.0", "0.0"] + ["0.00"] * 3 + ["0.0"] * 9,
    ]  # fmt: skip
    info = [
        "Metadata                                    |||| Requests Made  ||| Prompt Tok/Req  ||",
        "  Benchmark| Start Time| End Time| Duration (s)|  Comp|  Inc|  Err|   Comp|  Inc|  Err",
        "-----------|-----------|---------|-------------|------|-----|-----|-------|-----|-----",
        "synchronous|   17:39:49| 17:40:30|         40.9|    10|    0|    0|  512.2|  0.0|  0.0",
        " throughput|   17:40:30| 17:40:40|         10.2|    10|    0|    0|  512.2|  0.0|  0.0",
    ]
    times = "x" if gpus == 1 else "\u00d7"  # the lab's two pages write it both ways
    return "\n".join([
        "## Run performance benchmark", "",
        "| **Parameters**  ||", "|----|----|", f"| GPUs Available   | 2 {times} L40S |",
        f"| GPUs Used        | **{gpus}** |", "", "``` bash",
        f"ilab model serve --model-path {served} --backend vllm --gpus {gpus} -- --enforce-eager",
        "```", "``` bash",
        f"Backend openai_http connected to http://127.0.0.1:8000 for model {served}.", "",
        "Benchmarks Info:", "=" * 80, *info, "=" * 80, "", "",
        "Benchmarks Stats:", "=" * 80, _STATS_SECTIONS, "|".join(_STATS_COLUMNS),
        "|".join("-" * 5 for _ in _STATS_COLUMNS), *("|".join(row) for row in rows), "=" * 80,
        "```", "",
    ])  # fmt: skip


def test_guidellm_02_console_tables_pasted_in_a_note_are_read(tmp_path: Path) -> None:
    """IBM-Cloud/techxchange-labs' lab notes paste GuideLLM 0.2's console: its Benchmarks
    Stats table (a row of sections, a row of statistics, `|` between cells, no outer pipes)
    was no table Chimera read, and its Benchmarks Info table was read as a Markdown table:
    each benchmark's wall time ("Duration (s)" 40.9) as a request's total time. Now the Stats
    rows are GuideLLM's statistics of each benchmark (the strategy its workload); "Req
    Latency (ms)" holds seconds (GuideLLM's request latency is in seconds; 0.3 relabelled it
    "(sec)"); a benchmark where no request completed (its row all zeros) holds no figure; the
    model is the one the backend served; and `ilab model serve ... --backend vllm --gpus 2`
    above the runs is their engine and tensor parallelism, so one GPU's runs and two GPUs' are
    two setups; the page's hardware table ("| GPUs Available | 2 x L40S |") their machine."""
    _write(tmp_path / "80-run.md", _guidellm_02(1, sync="39.5", thr="752.3"))
    _write(tmp_path / "90-run.md", _guidellm_02(2, sync="58.7", thr="996.1"))
    digest = digest_of(tmp_path)
    assert not [s for s in digest.stats if s.metric == "total_ms"]
    model = "ibm-granite/granite-3.3-8b-instruct"

    def figure(metric: str, aggregate: str, tp: int, workload: str) -> float:
        [s] = [
            s
            for s in digest.stats
            if s.group_by == "model+config_name+workload" and s.metric == metric
            and s.aggregate == aggregate and s.workload == workload
            and s.group == f"{model} / tensor_parallel={tp}"
        ]  # fmt: skip
        assert s.n == 1
        return s.mean

    assert figure("tokens_per_s", "mean", 1, "synchronous") == pytest.approx(39.5)
    assert figure("tokens_per_s", "mean", 2, "throughput") == pytest.approx(996.1)
    assert figure("latency_ms", "mean", 1, "synchronous") == pytest.approx(4090.0)
    assert figure("latency_ms", "median", 1, "synchronous") == pytest.approx(4080.0)
    assert figure("ttft_ms", "p99", 2, "throughput") == pytest.approx(1387.9)
    assert figure("requests_per_s", "mean", 2, "synchronous") == pytest.approx(0.24)
    assert not [s for s in digest.stats if s.workload == "constant@5.71"]
    assert digest.unread == [] and digest.tables_without_metrics == []
    # the pages' hardware table names the machine ("2 × L40S" is "2 x L40S"), the serve
    # command (`--backend vllm`) the engine
    assert [(sc.machine, sc.engine) for sc in digest.scopes] == [("2 x L40S", "vLLM")]


def test_a_notes_parameter_table_names_the_model_of_output_pasted_with_none(
    tmp_path: Path,
) -> None:
    """IBM Cloud's 70-performance-tools.md pastes a Benchmarks Stats table alone (no backend
    line above it) and names the model only in its parameter table (`| Model Name |
    ibm-granite/granite-3.3-8b-instruct |`): its run was "model not stated"."""
    page = _guidellm_02(1, sync="39.5", thr="752.3").replace(
        "Backend openai_http connected to", "Connected to"
    )
    page += (
        "\n| **Parameters** ||\n|----|----|\n| Model Name | ibm-granite/granite-3.3-8b-instruct |\n"
    )
    _write(tmp_path / "70-tools.md", page)
    models = {s.group for s in digest_of(tmp_path).stats if s.group_by == "model"}
    assert models == {"ibm-granite/granite-3.3-8b-instruct"}


def test_headers_in_other_languages_are_read_by_their_words_and_units(tmp_path: Path) -> None:
    """A non-ASCII letter is no name character: `模型,输入速度 (tok/s),输出速度 (tok/s)` was
    `,tok_s,tok_s`: no model, and the input (prompt) and output rates one throughput, pooled
    ("38.50-820.50 tok/s over 8 runs, a coefficient of variation of 96.7 %"); `débit (tok/s)`
    was `d_bit_tok_s` and `Tokens pro Sekunde` nothing. A header's metric words in Chinese,
    Japanese, French, German, Spanish, Portuguese, Italian and Russian are read as the English
    ones, and its unit as written."""
    _write(
        tmp_path / "zh" / "结果.csv",
        "模型,输入速度 (tok/s),输出速度 (tok/s),首字延迟(ms),总耗时(秒)\n"
        "qwen2.5:7b,820.5,42.1,180,3.1\nqwen2.5:7b,815.0,43.0,175,3.0\n",
    )
    _write(
        tmp_path / "fr" / "résultats.csv",
        "modèle,débit (tok/s),latence du premier jeton (ms)\n"
        "mistral:7b,30.0,200\nmistral:7b,31.0,220\n",
    )
    _write(
        tmp_path / "de" / "ergebnisse.csv",
        "Modell,Tokens pro Sekunde\nllama3:8b,20.0\nllama3:8b,22.0\n",
    )
    digest = digest_of(tmp_path)
    by = {(s.metric, s.group): s.mean for s in digest.stats if s.group_by == "model"}
    assert by[("prompt_tokens_per_s", "qwen2.5:7b")] == pytest.approx(817.75)
    assert by[("tokens_per_s", "qwen2.5:7b")] == pytest.approx(42.55)
    assert by[("ttft_ms", "qwen2.5:7b")] == pytest.approx(177.5)
    assert by[("total_ms", "qwen2.5:7b")] == pytest.approx(3050.0)
    assert by[("tokens_per_s", "mistral:7b")] == pytest.approx(30.5)
    assert by[("ttft_ms", "mistral:7b")] == pytest.approx(210.0)
    assert by[("tokens_per_s", "llama3:8b")] == pytest.approx(21.0)


def test_reported_figures_of_two_settings_side_by_side_workload_by_workload(
    tmp_path: Path,
) -> None:
    """GuideLLM's tables report one figure a benchmark, several a setup (synchronous,
    throughput, constant rates of each sweep's own): the finding of reported figures takes one
    figure a setup, so the one-GPU and two-GPU sweeps of IBM Cloud's lab gave no finding at
    all. Two setups apart in one setting are now set side by side on each workload both ran
    (the constant rates, each sweep's own, are not)."""
    _write(tmp_path / "80-run.md", _guidellm_02(1, sync="39.5", thr="752.3"))
    _write(tmp_path / "90-run.md", _guidellm_02(2, sync="58.7", thr="996.1"))
    found = [f for f in compute_findings(digest_of(tmp_path)) if "workload by workload" in f.title]
    [finding] = found
    assert "tensor_parallel=2 against tensor_parallel=1 (settings otherwise alike)" in finding.text
    assert "58.70 against 39.50 tok/s on synchronous (1.49x)" in finding.text
    assert "996.10 against 752.30 tok/s on throughput (1.32x)" in finding.text
    ratios = sorted(round(k.value, 3) for k in finding.figures if k.statistic == "ratio")
    assert ratios == [round(996.1 / 752.3, 3), round(58.7 / 39.5, 3)]
    assert finding.verdict == "info"


def test_guidellm_01_console_report_is_read(tmp_path: Path) -> None:
    """GuideLLM 0.1 (2024) printed a rich report of boxes: its "Performance Summary by
    Benchmark" table (`┃` between header cells, `│` between row cells, inside the report's
    own boxes) holds each benchmark's means, each cell with its unit ("10.32 sec",
    "1585.08 ms", "28.39 tokens/sec"); a blog's pasted report read as nothing. Each row is now
    a benchmark (its name the workload), each figure in the unit its cell writes."""
    bar = "━" * 10
    report = "\n".join([
        "```",
        "│ │ Backend(type=openai_server, target=http://localhost:8080/v1, "
        "model=meta-llama/Meta-Llama-3.1-8B-Instruct) │ │",
        "│ │ Performance Summary by Benchmark │ │",
        f"│ │ ┏{bar}┳{bar}┳{bar}┳{bar}┳{bar}┳{bar}┓ │ │",
        "│ │ ┃ Benchmark ┃ Requests per Second ┃ Request Latency ┃ Time to First Token ┃ "
        "Inter Token Latency ┃ Output Token Throughput ┃ │ │",
        f"│ │ ┡{bar}╇{bar}╇{bar}╇{bar}╇{bar}╇{bar}┩ │ │",
        "│ │ │ synchronous │ 0.10 req/sec │ 10.32 sec │ 1585.08 ms │ 29.81 ms │ "
        "28.39 tokens/sec │ │ │",
        "│ │ │ asynchronous@0.85 req/sec │ 0.77 req/sec │ 20.77 sec │ 2401.32 ms │ 63.69 ms │ "
        "221.75 tokens/sec │ │ │",
        "│ │ │ throughput │ 0.85 req/sec │ 43.78 sec │ 24624.46 ms │ 65.18 ms │ "
        "249.64 tokens/sec │ │ │",
        "│ │ └──────┴──────┘ │ │",
        "```",
    ])  # fmt: skip
    _write(tmp_path / "blog.md", "# Benchmarking TGI on Inferentia2\n\n" + report + "\n")
    digest = digest_of(tmp_path)
    by = {
        (s.metric, s.workload): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name+workload"
        and s.group.startswith("meta-llama/Meta-Llama-3.1-8B-Instruct")
    }
    assert by[("tokens_per_s", "synchronous")] == pytest.approx(28.39)
    assert by[("latency_ms", "throughput")] == pytest.approx(43780.0)
    assert by[("ttft_ms", "asynchronous@0.85 req/sec")] == pytest.approx(2401.32)
    assert by[("itl_ms", "synchronous")] == pytest.approx(29.81)
    assert by[("requests_per_s", "throughput")] == pytest.approx(0.85)


def _bench_note(
    path: Path, backend: str, fa: bool, tg: str, pp: str, model: str = "qwen3 8B Q4_K - Medium"
) -> None:
    """A community note's llama-bench Markdown table: one model's pp512 and tg128 means."""
    head = "| model | size | params | backend | ngl |" + (" fa |" if fa else "")
    rule = "| --- | ---: | ---: | --- | --: |" + (" -: |" if fa else "")
    rows = [
        f"| {model} | 4.68 GiB | 8.19 B | {backend} | 99 |"
        + (" 1 |" if fa else "")
        + f" {test} | {value} |"
        for test, value in (("pp512", pp), ("tg128", tg))
    ]
    _write(
        path, "\n".join(["# Results", "", head + " test | t/s |", rule + " ---: | ---: |", *rows])
    )


def test_machines_a_note_each_reports_are_set_side_by_side(tmp_path: Path) -> None:
    """PrismML-Eng/Bonsai-demo's community notes: one llama-bench Markdown table per machine,
    every figure a mean of llama-bench's repetitions. Machines were compared on runs only, so
    Ternary-Bonsai-27B tg128 on ten cards stood side by side nowhere. The machines' reported
    means of one model and test are listed fastest first, said to be means, and a note that
    leaves -fa unstated stands beside them saying so. Each cell's "± 0.40", the standard
    deviation llama-bench states (its CSV's stddev_ts), was dropped: it is read, and quoted."""
    _bench_note(tmp_path / "cuda-rtx4090-linux.md", "CUDA", True, "130.51 ± 0.40", "9000.10 ± 20")
    _bench_note(tmp_path / "cuda-rtx3060-linux.md", "CUDA", True, "55.20 ± 0.10", "2500.00 ± 5")
    _bench_note(tmp_path / "cuda-rtx3090-linux.md", "CUDA", False, "110.00 ± 0.30", "5000.00 ± 8")
    found = {
        f.title: f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"
    }
    name = "qwen3 8B Q4_K - Medium with llama.cpp"
    tg = found[f"machines side by side on {name} (generation throughput, n_gen=128)"]
    # llama-bench's `fa` column is its flash_attn, one setting (not "fa, flash_attn not stated")
    assert "fastest first: rtx4090 130.51 ± 0.40, rtx3090 110.00 ± 0.30 (flash_attn not" in tg.text
    assert "rtx3060 55.20 ± 0.10 tok/s. rtx4090 reports 2.36x the figure of rtx3060." in tg.text
    assert "Each figure is a mean its file reports, not a run (± the standard deviation" in tg.text
    assert "(prompt processing, n_prompt=512)" in " ".join(found)


def test_machines_side_by_side_quote_the_spread_a_bench_csv_states(tmp_path: Path) -> None:
    """llama-bench CSVs of one model from three cards: avg_ts beside stddev_ts. Two cards
    whose means lie within their stated standard deviations are said not to be told apart."""
    head = "gpu_info,backends,model_filename,model_type,n_threads,n_gpu_layers,n_prompt,n_gen,"
    head += "avg_ns,stddev_ns,avg_ts,stddev_ts"
    for gpu, ts, sd in (("RTX 4090", 130.5, 0.4), ("RTX 3060", 55.2, 0.3), ("RTX 3080", 55.6, 0.2)):
        row = f'"NVIDIA GeForce {gpu}",CUDA,/m/Qwen3-8B-Q4_K_M.gguf,"qwen3 8B",8,99,0,128,1,0'
        _write(tmp_path / f"{gpu.replace(' ', '')}.csv", f"{head}\n{row},{ts},{sd}\n")
    [found] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    assert (
        "NVIDIA GeForce RTX 4090 130.50 ± 0.40, NVIDIA GeForce RTX 3080 55.60 ± 0.20" in found.text
    )
    assert "stated spreads of each other: NVIDIA GeForce RTX 3080 and NVIDIA GeForce RTX 3060" in (
        found.text
    )
    assert "(± the standard deviation it states)" in found.text
    assert "its own num_thread" not in found.text  # every card ran 8 threads


def test_two_machines_over_many_tests_are_summed_up_as_a_pair(tmp_path: Path) -> None:
    """maxhbr's llama-benchy tables: an RTX 5090 and a Strix Halo over 27 tests each (three
    models, depths, concurrencies), one side-by-side finding per test, 54 in all. Two
    machines alone over three or more tests are one finding: the range of their ratios,
    the tests at its ends."""
    for i, model in enumerate(("qwen3 8B Q4_K - Medium", "llama 8B Q4_0", "gemma3 4B Q8_0")):
        _bench_note(tmp_path / f"cuda-rtx5090-{i}.md", "CUDA", True, f"{200 + i}.00", "9000", model)
        _bench_note(tmp_path / f"rocm-gfx1151-{i}.md", "ROCm", True, f"{40 + i}.00", "800", model)
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    [tg] = [f for f in found if "generation" in f.title]
    assert (
        tg.title == "rtx5090 against gfx1151 with llama.cpp (generation throughput, reported means)"
    )
    assert "on the 3 tests of 3 models both report: rtx5090 reports 4.81-5.00x" in tg.text
    assert "gemma3 4B Q8_0 (n_gen=128) 202.00 against 42.00 tok/s (4.81x)" in tg.text


def test_a_ranking_of_runs_naming_no_machine_says_the_folder_names_several(
    tmp_path: Path,
) -> None:
    """bhodgens/local-llm-benchmarks: bench_results.json names no GPU (27B dense models ran on
    a V100, 35B MoE models on an RTX 3060, as only the README's headings say) beside a file
    that names both. The models were ranked "on a machine no file names" as one machine's.
    Nothing tells which model ran where, so the ranking says it may set machines against
    each other."""
    _write(
        tmp_path / "bench.csv",
        "model,tokens_per_s\nqwen3-27b-q4_k_m,30.5\nqwen3-27b-q4_k_m,30.9\n"
        "qwen3-35b-a3b-q4_k_m,25.1\nqwen3-35b-a3b-q4_k_m,24.8\n",
    )
    _write(
        tmp_path / "final.csv",
        "gpu,model,mean_tokens_per_s\nV100,gemma3-12b-q4_0,56.3\nRTX 3060,gemma3-4b-q4_0,80.2\n",
    )
    [ranking] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "model_ranking"]
    assert "on a machine no file names" in ranking.title
    assert "the folder names 2 (RTX 3060, V100): the models may have run on different" in (
        ranking.text
    )
    assert "the runs name no machine; the folder names several" in ranking.caveats


def test_a_note_summary_restating_its_llama_bench_tables_is_no_second_set(tmp_path: Path) -> None:
    """PrismML's RTX 3080 Ti note: "| 27B | 62.98 tok/s |" and "| 8B | 197.16 tok/s |" sum up
    the llama-bench tables below (qwen35 27B Q2_0 tg128 62.98 ± 0.70, ...). Read as a second
    set of figures, they were models "27B" and "8B" of no engine beside the llama-bench ones.
    A table whose every figure another table of the note holds, for the same model, is
    counted once, listed as restating them; a summary naming a model its source does not is
    kept."""
    bench = "| model | size | params | backend | ngl | fa | test | t/s |\n"
    bench += "| --- | ---: | ---: | --- | --: | -: | ---: | ---: |\n"
    note = "# Ternary-Bonsai\n\n| Model | Throughput |\n| --- | --- |\n"
    note += "| 27B | 62.98 tok/s |\n| 8B | 197.16 tok/s |\n\n## 27B\n\n" + bench
    note += "| qwen35 27B Q2_0 | 6.66 GiB | 26.90 B | CUDA | 99 | 1 | pp512 | 1383.62 ± 24.68 |\n"
    note += "| qwen35 27B Q2_0 | 6.66 GiB | 26.90 B | CUDA | 99 | 1 | tg128 | 62.98 ± 0.70 |\n"
    note += "\n## 8B\n\n" + bench
    note += "| qwen3 8B Q2_0 | 2.03 GiB | 8.19 B | CUDA | 99 | 1 | pp512 | 5184.86 ± 147.84 |\n"
    note += "| qwen3 8B Q2_0 | 2.03 GiB | 8.19 B | CUDA | 99 | 1 | tg128 | 197.16 ± 0.98 |\n"
    _write(tmp_path / "cuda-rtx3080ti-wsl.md", note)
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {"qwen35 27B Q2_0", "qwen3 8B Q2_0"}
    (restated,) = digest.duplicates
    assert (restated.path, restated.of, restated.rows) == (
        "cuda-rtx3080ti-wsl.md", "cuda-rtx3080ti-wsl.md", 2
    )  # fmt: skip
    assert not {s.model for s in digest.setups} & {"27B", "8B"}  # no setups of their own
    # A summary that names what its source does not (the model) says more: kept.
    _write(tmp_path / "cuda-rtx3080ti-wsl.md", note.replace("| 27B |", "| Bonsai 27B |"))
    models = {s.group for s in digest_of(tmp_path).stats if s.group_by == "model"}
    assert "Bonsai 27B" in models


def test_machines_side_by_side_take_a_test_several_files_report_as_their_mean(
    tmp_path: Path,
) -> None:
    """anantpathak's llama-bench notes: the A30's tg128 in five sessions' reports, the L40S's
    in one. A mean of several reported means was no "one value per setup", so the A30 was
    left out and the machines (1.38x) were set side by side nowhere. The files' means of one
    setup are taken as their mean, with their range."""
    _bench_note(tmp_path / "a30" / "cuda-a30-1.md", "CUDA", True, "75.66 ± 0.1", "2421.6 ± 2")
    _bench_note(tmp_path / "a30" / "cuda-a30-2.md", "CUDA", True, "75.83 ± 0.1", "2421.8 ± 2")
    _bench_note(tmp_path / "l40s" / "cuda-l40s-1.md", "CUDA", True, "104.42 ± 0.3", "7743.3 ± 9")
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    [tg] = [f for f in found if "generation" in f.title]
    assert "fastest first: l40s 104.42 ± 0.30, a30 75.75 (the mean of 2 files' means, " in tg.text
    assert "75.66-75.83)" in tg.text


def test_a_note_stating_less_joins_the_one_listing_it_fits(tmp_path: Path) -> None:
    """PrismML's notes: the Strix Halo's llama-bench tables have no fa column, the M4 Pro's
    (Metal) no ngl column, and the RTX A2000's ran -ngl 99 and -ngl 0. The Metal note fits
    both the -ngl 99 and the -ngl 0 listing, so it stands apart; it had made the Strix Halo
    (fitting the -ngl 99 listing and the Metal note) stand apart too, and the Strix Halo was
    in no listing of its models."""
    head = "| model | size | params | backend | ngl | fa | test | t/s |\n"
    head += "| --- | ---: | ---: | --- | --: | -: | ---: | ---: |\n"
    row = "| qwen3 1.7B Q1_0 | 231.13 MiB | 1.72 B | {b} | {ngl} | 1 | tg128 | {ts} |\n"
    _write(tmp_path / "cuda-gb10-linux.md", head + row.format(b="CUDA", ngl=99, ts="372.06 ± 1.36"))
    a2000 = head + row.format(b="CUDA", ngl=99, ts="129.11 ± 6.49")
    _write(tmp_path / "cuda-rtxa2000-debian.md", a2000 + row.format(b="CUDA", ngl=0, ts="84.97"))
    _write(
        tmp_path / "rocm-strix-halo-linux.md",
        "| model | size | params | backend | ngl | test | t/s |\n"
        "| --- | ---: | ---: | --- | --: | ---: | ---: |\n"
        "| qwen3 1.7B Q1_0 | 231.13 MiB | 1.72 B | ROCm | 99 | tg128 | 230.90 ± 0.82 |\n",
    )
    _write(
        tmp_path / "metal-m4-pro-48gb-macos.md",
        "| model | size | params | backend | threads | fa | test | t/s |\n"
        "| --- | ---: | ---: | --- | ---: | -: | ---: | ---: |\n"
        "| qwen3 1.7B Q1_0 | 231.13 MiB | 1.72 B | MTL,BLAS | 10 | 1 | tg128 | 308.30 ± 8.75 |\n",
    )
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    [listing] = [f for f in found if "side by side" in f.title]
    assert "gb10 372.06 ± 1.36, strix-halo 230.90 ± 0.82 (" in listing.text.replace("\n", " ")
    assert "m4-pro" not in listing.text


def test_one_model_written_two_ways_is_one_model(tmp_path: Path) -> None:
    """bhodgens/local-llm-benchmarks: bench_results.json names a model by its GGUF stem
    (`Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M`), final_results.json by name and quantisation
    (`Qwopus3.6-35B-A3B-Coder-MTP Q4_K_M`); newbdez33's JSON writes `qwen3-coder-next`
    where its report writes `Qwen3-Coder-Next`: each was two models. Names equal but for
    case and separators are one model; another quantisation or size stays another."""
    _write(
        tmp_path / "bench.csv",
        "model,tokens_per_second\n"
        "Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M,52.1\nQwopus3.6-35B-A3B-Coder-MTP-Q4_K_M,52.9\n"
        "Qwopus3.6-35B-A3B-Coder-MTP-Q5_K_M,47.0\nQwopus3.6-35B-A3B-Coder-MTP-Q5_K_M,47.4\n"
        "Qwen2.5-7B-Instruct-Q4_K_M,80.2\nQwen2.5-7B-Instruct-Q4_K_M,80.8\n",
    )
    _write(
        tmp_path / "final.csv",
        "model,tokens_per_second\n"
        "Qwopus3.6-35B-A3B-Coder-MTP Q4_K_M,51.8\nQwopus3.6-35B-A3B-Coder-MTP Q4_K_M,52.4\n"
        "qwen25-7b-instruct Q4_K_M,79.9\nqwen25-7b-instruct Q4_K_M,80.1\n",
    )
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {
        "Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M",
        "Qwopus3.6-35B-A3B-Coder-MTP-Q5_K_M",
        "Qwen2.5-7B-Instruct-Q4_K_M",
        "qwen25-7b-instruct Q4_K_M",  # qwen25 is not qwen2.5: nothing proves it
    }
    [merged] = [
        s for s in digest.stats
        if s.group_by == "model" and s.metric == "tokens_per_s"
        and s.group == "Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M"
    ]  # fmt: skip
    assert merged.n == 4 and merged.sources == ["bench.csv", "final.csv"]


def test_one_model_reported_by_two_notes_sweeping_other_settings(tmp_path: Path) -> None:
    """guruswami's docs/FINDINGS.md sweeps Llama 405B's quantisation, docs/CHAKRA_CLUSTER.md
    `Llama-405B`'s topology: once the two spellings are one model, one ladder of reported
    means set TP4 (6.40 tok/s) against Q6 (2.08, "the fastest 3.1x the slowest"). Notes
    varying settings none of the others states are each their own ladder."""
    _write(
        tmp_path / "docs" / "FINDINGS.md",
        "# Findings\n\n| Model | Quantization | Generation TPS |\n|---|---|---|\n"
        "| Llama 405B | Q2 | 5.10 |\n| Llama 405B | Q4 | 2.99 |\n| Llama 405B | Q6 | 2.08 |\n",
    )
    _write(
        tmp_path / "docs" / "CLUSTER.md",
        "# Cluster\n\n| Model | Topology | TPS |\n|---|---|---|\n"
        "| Llama-405B | TP4 | 6.40 |\n| Llama-405B | TP2 | 4.30 |\n"
        "| Llama-405B | Single | 3.00 |\n",
    )
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"]
    assert sorted(f.sources for f in found) == [["docs/CLUSTER.md"], ["docs/FINDINGS.md"]]
    assert all(f.title == "reported throughput of Llama-405B" for f in found)
    assert not any("3.1x" in f.text for f in found)


def test_a_ladder_of_one_row_per_level_is_a_sweep_not_repetitions(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm's README: `| c | 默认（空洞） | + enable_padding | 提升 |` over
    c 40 / 48 / 56 at 1766 / 1949 / 2485 tok/s, one row a concurrency: an unnamed number
    column with one row per level was read as three runs of one setup (mean 2066.67 tok/s,
    n=3). Whole numbers climbing by a constant step, beside a figure that moves with them,
    are a sweep's levels; run numbers 1, 2, 3 over one setup stay its runs."""
    _write(
        tmp_path / "README.md",
        "# TRT-LLM on RTX 5070 Ti\n\n| c | 默认（空洞） | + enable_padding | 提升 |\n"
        "|---|---|---|---|\n| 40 | 1766 tok/s | **4359** | 2.5× |\n"
        "| 48 | 1949 tok/s | **4681** | 2.4× |\n| 56 | 2485 tok/s | **5851** | 2.4× |\n",
    )
    _write(
        tmp_path / "runs.csv",
        "model,k,tokens_per_second\n"
        "llama3.1:8b,1,41.0\nllama3.1:8b,2,44.5\nllama3.1:8b,3,47.9\n"
        "qwen2.5:7b,1,50.2\nqwen2.5:7b,2,52.0\nqwen2.5:7b,3,55.1\n",
    )
    _write(  # each model's own ladder: 16 / 32 / 64 users, one row each
        tmp_path / "users.csv",
        "model,u,tokens_per_second\n"
        "mistral:7b,16,301.0\nmistral:7b,32,455.2\nmistral:7b,64,610.9\n"
        "phi3:mini,16,402.3\nphi3:mini,32,588.0\nphi3:mini,64,790.4\n",
    )
    _write(  # round levels, not evenly spaced: 1 / 4 / 8 / 16 clients
        tmp_path / "clients.csv",
        "model,cl,tokens_per_second\n"
        "gemma3:4b,1,61.0\ngemma3:4b,4,190.2\ngemma3:4b,8,300.5\ngemma3:4b,16,410.8\n",
    )
    _write(  # counted by one from 42 (seeds): repetitions, however the figures climb
        tmp_path / "seeds.csv",
        "model,s,tokens_per_second\ngemma3:12b,42,20.1\ngemma3:12b,43,22.0\ngemma3:12b,44,23.9\n",
    )
    _write(  # measured, whole but neither evenly spaced nor round: figures of each run
        tmp_path / "walls.csv",
        "model,wall,tokens_per_second\n"
        "gemma3:1b,7985,50.1\ngemma3:1b,8510,47.0\ngemma3:1b,9050,44.2\n",
    )
    _write(  # when each sample was taken, a minute apart, as the GPU warms: a clock's ladder
        tmp_path / "soak.csv",
        "model,minute,tokens_per_second\n"
        "qwen3:8b,0,45.0\nqwen3:8b,60,43.1\nqwen3:8b,120,41.0\nqwen3:8b,180,39.2\n",
    )
    digest = digest_of(tmp_path)
    readme = {
        s.group: s.mean
        for s in digest.stats
        if s.group_by == "model+config_name" and s.metric == "tokens_per_s"
        and "README.md" in s.sources
    }  # fmt: skip
    assert sorted(readme.values()) == [1766.0, 1949.0, 2485.0]
    assert any(g.endswith("c=48") for g in readme)
    # the note's `c` is read by the note reader's swept columns (evenly stepped whole numbers,
    # tags5), so it is a setting above (`c=48`) without being listed among column settings
    settings = sorted((c.path, c.column) for c in digest.column_settings)
    assert settings == [("clients.csv", "cl"), ("users.csv", "u")]
    [llama] = [
        s for s in digest.stats
        if s.group_by == "model" and s.group == "llama3.1:8b" and s.metric == "tokens_per_s"
    ]  # fmt: skip
    assert llama.n == 3 and llama.aggregate is None


def test_a_claim_no_session_matches_is_set_against_each_session(tmp_path: Path) -> None:
    """gzhang33's Chinese report (of a session not in the folder) claims "Medium 最佳:
    gemma3:4b (74.7 tokens/s)"; the check answered "the data disagrees (gemma3:4b: 49.35
    tok/s over its setup)", a mean pooling two sessions of Chinese prompts and one of English
    ones at half their rate. Where the setup's runs come from several sessions, a claim none
    of them matches is set against each session's own mean."""
    english = ("edit distance (English)", "parentheses (English)", "regions (English)")
    _speed_test(tmp_path, "20251003_032235", {"gemma3:4b": [42.85, 68.76, 67.75]})
    _speed_test(tmp_path, "20251003_151414", {"gemma3:4b": [44.81, 68.77, 68.35]})
    _speed_test(tmp_path, "20251003_164548", {"gemma3:4b": [22.18, 30.86, 29.78]}, prompts=english)
    _write(tmp_path / "report.md", "# Report\n\n- Medium 最佳: gemma3:4b (74.7 tokens/s)\n")
    [notes] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "notes_vs_data"]
    assert "the data disagrees with each of its 3 sessions (gemma3:4b: 60.64 tok/s in" in notes.text
    assert "27.61 tok/s in speed_test_details_20251003_164548.csv" in notes.text


def test_a_rankings_pair_test_is_over_the_prompts_its_figures_are(tmp_path: Path) -> None:
    """riatzukiza's ranking gave means over the 4 prompts every model ran, then tested its
    first against its last "over the 13 prompts both ran": a pair test over other prompts
    than the figures it stands beside. The two are over the same prompts now."""
    english = ("edit distance (English)", "parentheses (English)", "regions (English)")
    _speed_test(tmp_path, "20251003_151414", {
        "phi4-mini:3.8b": [51.33, 72.06, 72.86],
        "qwen2.5:7b": [48.10, 69.20, 70.05],
        "gemma3:4b": [44.81, 68.77, 68.35],
    })  # fmt: skip
    _speed_test(tmp_path, "20251003_164548", {
        "phi4-mini:3.8b": [30.2, 40.1, 39.9],
        "gemma3:4b": [22.18, 30.86, 29.78],
    }, prompts=english)  # fmt: skip
    findings = compute_findings(digest_of(tmp_path))
    [ranking] = [f for f in findings if f.kind == "model_ranking" and "throughput" in f.title]
    assert "phi4-mini:3.8b 65.42 tok/s (n=3)" in ranking.text
    assert "(the 3 prompts both ran" in ranking.text
    assert "6 prompts" not in ranking.text


def _profile_export(ttft_avg: float, throughput: float, *, aiperf: bool) -> str:
    """A GenAI-Perf (or AIPerf) profile export: a block of statistics per metric."""

    def block(unit: str, avg: float, **more: float) -> dict:
        return {"unit": unit, "avg": avg, **more}

    document: dict = {
        "request_throughput": block("requests/sec", 0.47),
        "request_latency": block("ms", 2083.0, p50=2196.9, p99=2645.9, min=758.6, max=2655.8),
        "request_count": block("count", 35.0),
        "time_to_first_token": block("ms", ttft_avg, p50=ttft_avg - 5, p99=ttft_avg + 40),
        "inter_token_latency": block("ms", 7.75, p50=7.67, p99=9.24),
        "output_token_throughput": block("tokens/sec", throughput),
        "output_sequence_length": block("tokens", 73.5, p50=66.0),
    }
    if aiperf:
        document["input_config"] = {
            "endpoint": {"model_names": ["openai/gpt-oss-20b"], "type": "chat"},
            "loadgen": {"concurrency": 4, "request_count": 100},
        }
        gpu = {"gpu_name": "NVIDIA A100-SXM4-80GB", "metrics": {}}
        document["telemetry_data"] = {
            "endpoints": {"dcgm:9400": {"gpus": {"gpu_0": gpu, "gpu_1": dict(gpu)}}}
        }
    else:
        document["input_config"] = {
            "model_names": ["openai/gpt-oss-20b"],
            # GenAI-Perf's default, written whatever server it spoke to: no engine
            "endpoint": {"backend": "tensorrtllm", "service_kind": "openai"},
            "perf_analyzer": {"stimulus": {"concurrency": 1}},
        }
    return json.dumps(document)


def test_genai_perf_and_aiperf_profile_exports_are_runs(tmp_path: Path) -> None:
    """wellflat/k8s-dev commits `profile_export_genai_perf.json` (GenAI-Perf) and
    `profile_export_aiperf.json` (AIPerf): one block per metric, `{"unit": "ms", "avg": ...,
    "p50": ..., "p99": ...}`, beside the run's `input_config`. No key of a block named a
    metric (`avg` of what?): both files were "read" with 0 rows and no finding. Each export
    is one run: its TTFT, ITL and request latency statistics, its output token throughput,
    the model and concurrency its command states, and AIPerf's GPUs as DCGM names them;
    GenAI-Perf's default `backend: tensorrtllm` is no engine."""
    _write(tmp_path / "genai_perf" / "profile_export_genai_perf.json",
           _profile_export(1524.6, 12.1, aiperf=False))  # fmt: skip
    _write(tmp_path / "aiperf" / "profile_export_aiperf.json",
           _profile_export(82.8, 54.6, aiperf=True))  # fmt: skip
    digest = digest_of(tmp_path)
    assert digest.rows_read == 2
    found = {
        (s.metric, s.aggregate, s.machine, s.group): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name"
    }
    model = "openai/gpt-oss-20b"
    a100 = "2x NVIDIA A100-SXM4-80GB"
    assert found[("ttft_ms", "mean", None, f"{model} / concurrency=1")] == pytest.approx(1524.6)
    assert found[("ttft_ms", "median", a100, f"{model} / concurrency=4")] == pytest.approx(77.8)
    assert found[("itl_ms", "p99", None, f"{model} / concurrency=1")] == pytest.approx(9.24)
    assert found[("latency_ms", "mean", a100, f"{model} / concurrency=4")] == pytest.approx(2083)
    assert found[("tokens_per_s", None, a100, f"{model} / concurrency=4")] == pytest.approx(54.6)
    assert {s.engine for s in digest.stats} == {None}


def _reasoning_export(tool: str, ttft: float, rate: float) -> str:
    """A GenAI-Perf or AIPerf export of gpt-oss at concurrency 1 on synthetic 200 / 300-token
    prompts; AIPerf's counts the reasoning tokens (255.7 of 283.5 a request)."""

    def block(unit: str, avg: float) -> dict:
        return {"unit": unit, "avg": avg, "p50": avg}

    document: dict = {
        "request_throughput": block("requests/sec", 0.19),
        "request_latency": block("ms", 5172.0),
        "time_to_first_token": block("ms", ttft),
        "output_token_throughput": block("tokens/sec", rate),
    }
    if tool == "aiperf":
        document |= {
            "output_sequence_length": block("tokens", 283.5),
            "reasoning_token_count": block("tokens", 255.7),
            "time_to_first_output_token": block("ms", 3668.3),
            "input_config": {
                "endpoint": {"model_names": ["openai/gpt-oss-20b"], "type": "chat"},
                "input": {"prompt": {"input_tokens": {"mean": 200, "stddev": 30},
                                     "output_tokens": {"mean": 300, "stddev": 30}}},
                "loadgen": {"concurrency": 1, "request_count": 100},
            },
        }  # fmt: skip
    else:
        document |= {
            "output_sequence_length": block("tokens", 73.5),
            "input_config": {
                "model_names": ["openai/gpt-oss-20b"],
                "perf_analyzer": {"stimulus": {"concurrency": 1}},
                "input": {"prompt_source": "synthetic", "synthetic_tokens": {"mean": 200},
                          "output_tokens": {"mean": 300}},
            },
        }  # fmt: skip
    return json.dumps(document)


def test_aiperf_figures_counting_reasoning_tokens_say_so(tmp_path: Path) -> None:
    """wellflat/k8s-dev: AIPerf's output throughput (54.6 tok/s) and TTFT (82.8 ms) of
    gpt-oss-20b count its reasoning tokens, 255.7 of 283.5 a request (the answer's first
    token, `time_to_first_output_token`, came at 3668 ms); GenAI-Perf's of the same server
    count the answer only (12.1 tok/s, 1524.6 ms). The two were one metric: pooled as one
    setup's runs, or compared, without a word. The synthetic prompts' asked lengths are the
    workload; AIPerf's figures carry a unit note, and every finding quoting them says what
    they count, beside GenAI-Perf's as no like-for-like comparison."""
    _write(tmp_path / "system.txt", "GPU: NVIDIA A100-SXM4-80GB\n")
    for i, (ai, genai) in enumerate(((54.6, 12.1), (55.1, 12.3))):
        _write(tmp_path / f"aiperf{i}" / "profile_export_aiperf.json",
               _reasoning_export("aiperf", 82.8 + i, ai))  # fmt: skip
        _write(tmp_path / f"genai{i}" / "profile_export_genai_perf.json",
               _reasoning_export("genai_perf", 1524.6 + i, genai))  # fmt: skip
    digest = digest_of(tmp_path)
    # two workloads: never one setup's repetitions (one mean of 54.6 and 12.1 tok/s)
    assert {s.workload for s in digest.stats if s.group_by == "model+config_name+workload"} == {
        "input 200 / output 300",
        "input 200 / output 300, output tokens counting the reasoning tokens",
    }
    noted = {(n.path, n.column): n for n in digest.unit_notes}
    note = noted[("aiperf0/profile_export_aiperf.json", "mean_ttft_ms")]
    assert "reasoning" in note.unit and "3668.3 ms" in note.reason
    assert "255.7 of the 283.5" in noted[("aiperf0/profile_export_aiperf.json",
                                          "output_throughput")].reason  # fmt: skip
    quoting = [f for f in compute_findings(digest) if any("aiperf" in p for p in f.sources)]
    assert quoting
    for f in quoting:
        assert "count the reasoning tokens" in f.text, f.text
        if any("genai" in p for p in f.sources):
            assert "is not like for like" in f.text and f.verdict != "real"


def _counted_export(counted: float, asked: dict, *, errors_key: bool) -> str:
    """A profile export whose statistics are over `counted` requests, its command asking
    `asked` (GenAI-Perf's `perf_analyzer.measurement`, or AIPerf's `loadgen`)."""
    document: dict = {
        "request_throughput": {"unit": "requests/sec", "avg": 0.47},
        "request_latency": {"unit": "ms", "avg": 2083.0},
        "request_count": {"unit": "count", "avg": counted},
        "time_to_first_token": {"unit": "ms", "avg": 1524.6, "p50": 1416.9},
        "output_token_throughput": {"unit": "tokens/sec", "avg": 12.1},
        "input_config": {"model_names": ["openai/gpt-oss-20b"], **asked},
    }
    if errors_key:  # AIPerf writes it, null where no request failed
        document["error_request_count"] = None
    return json.dumps(document)


def test_a_profile_export_says_how_many_requests_its_figures_stand_on(tmp_path: Path) -> None:
    """wellflat/k8s-dev's GenAI-Perf export asked 100 requests (`perf_analyzer.measurement`
    `{"mode": "request_count", "num": 100}`) and its statistics are over 35 (`request_count`):
    no finding said so, and GenAI-Perf counts no failed request, so the other 65 may have
    failed or been left out. Its figures are said to stand on 35 of the 100 asked, never as
    failures; an AIPerf export, which counts its failures, short of its `request_count` is a
    run where some requests did not complete; a time-window run asked no count."""
    genai = {
        "perf_analyzer": {
            "stimulus": {"concurrency": 1},
            "measurement": {"mode": "request_count", "num": 100},
        }
    }
    _write(
        tmp_path / "genai" / "profile_export_genai_perf.json",
        _counted_export(35, genai, errors_key=False),
    )
    aiperf = {"loadgen": {"concurrency": 2, "request_count": 100}}
    _write(
        tmp_path / "aiperf" / "profile_export_aiperf.json",
        _counted_export(90, aiperf, errors_key=True),
    )
    window = {
        "perf_analyzer": {
            "stimulus": {"concurrency": 4},
            "measurement": {"mode": "time_windows", "num": 10000},
        }
    }
    _write(tmp_path / "window" / "profile_export_genai_perf.json",
           _counted_export(35, window, errors_key=False))  # fmt: skip
    digest = digest_of(tmp_path)
    short = {f.path: (f.completed, f.requested, f.failures_counted)
             for f in digest.some_requests_failed}  # fmt: skip
    assert short == {
        "genai/profile_export_genai_perf.json": (35, 100, False),
        "aiperf/profile_export_aiperf.json": (90, 100, True),
    }
    found = {f.title: f for f in compute_findings(digest) if f.kind == "errors"}
    counted = found["figures over fewer requests than asked"]
    assert "genai/profile_export_genai_perf.json stand on 35 requests" in counted.text
    assert "of the 100 it was set to send" in counted.text
    assert "aiperf" not in counted.text and "window" not in counted.text
    assert "completed" not in counted.text and "failed requests are in" not in counted.text
    assert {f.value for f in counted.figures} == {35, 100}
    failed = found["rows where some requests did not complete"]
    assert failed.sources == ["aiperf/profile_export_aiperf.json"]
    assert "90 of 100 requests completed" in failed.text


def test_aiperf_time_to_the_answers_first_token_is_a_figure(tmp_path: Path) -> None:
    """wellflat/k8s-dev: AIPerf's TTFT of gpt-oss-20b (82.8 ms) is to the reasoning's first
    token; its `time_to_first_output_token` (3668 ms), the answer's first, the wait a reader
    has, was said only inside a unit note, and with no finding at all in the folder. It is a
    finding's figure of its own, in ms whatever unit the block states; an export with no such
    block says it does not time the answer's first token."""
    timed = json.loads(_reasoning_export("aiperf", 82.8, 54.6))
    timed["time_to_first_output_token"] = {"unit": "sec", "avg": 3.6683}
    _write(tmp_path / "timed" / "profile_export_aiperf.json", json.dumps(timed))
    untimed = json.loads(_reasoning_export("aiperf", 90.1, 50.2))
    del untimed["time_to_first_output_token"]
    _write(tmp_path / "untimed" / "profile_export_aiperf.json", json.dumps(untimed))
    digest = digest_of(tmp_path)
    found = {f.sources[0]: f for f in compute_findings(digest)
             if f.title == "figures that count reasoning tokens"}  # fmt: skip
    assert set(found) == {"timed/profile_export_aiperf.json", "untimed/profile_export_aiperf.json"}
    timed_finding = found["timed/profile_export_aiperf.json"]
    [answer] = [k for k in timed_finding.figures if ANSWER_FIRST in k.source]
    assert (answer.metric, answer.value, answer.unit) == ("ttft_ms", pytest.approx(3668.3), "ms")
    assert "3668.30 ms" in timed_finding.text and "82.80 ms" in timed_finding.text
    assert "255.70 reasoning tokens of the 283.50 output tokens" in timed_finding.text
    untimed_finding = found["untimed/profile_export_aiperf.json"]
    assert not [k for k in untimed_finding.figures if ANSWER_FIRST in k.source]
    assert "does not time the answer's first token" in untimed_finding.text


def test_sglang_random_dataset_lengths_are_workloads_not_repetitions(tmp_path: Path) -> None:
    """datacrunch-research/h200-benchmarks appends SGLang's bench_serving results to one JSON
    Lines file: `dataset_name` random with `random_input_len` 1024, 4096 (and
    `random_output_len` 1024), then a sharegpt run (which ignores the lengths it still
    writes). The input length was not read and the output length was a setting, so 1024 /
    1024, 4096 / 1024 and sharegpt were one setup's three repetitions, "varying by 63 % from
    run to run". The random dataset's lengths are its workload, as trtllm-bench's ISL / OSL."""

    def line(dataset: str, isl: int, osl: int, rate: float) -> str:
        return json.dumps({
            "backend": "sglang", "dataset_name": dataset, "request_rate": float("inf"),
            "random_input_len": isl, "random_output_len": osl, "output_throughput": rate,
            "median_ttft_ms": 900.0, "completed": 1000,
        })  # fmt: skip

    lines = [
        line("random", 1024, 1024, 4520.7),
        line("random", 4096, 1024, 1652.9),
        line("random", 1024, 1024, 4500.0),
        line("sharegpt", 1024, 1024, 3939.9),
    ]
    _write(tmp_path / "llama_offline_output.jsonl", "\n".join(lines) + "\n")
    digest = digest_of(tmp_path)
    rates = {
        s.workload: (s.n, s.mean)
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert rates == {
        "random, input 1024 / output 1024": (2, pytest.approx(4510.35)),
        "random, input 4096 / output 1024": (1, pytest.approx(1652.9)),
        "sharegpt": (1, pytest.approx(3939.9)),
    }
    assert all("num_predict" not in s.params for s in digest.setups)
    assert "instability" not in {f.kind for f in compute_findings(digest)}


def test_a_launch_script_naming_a_result_file_states_its_setup(tmp_path: Path) -> None:
    """datacrunch-research/h200-benchmarks: SGLang's bench_serving lines name no model, GPU
    or tensor parallelism; `experiments/llama_3_3_70b_sglang.sh` names the result file in
    its `--output-file`, launches the server (`# python3 -m sglang.launch_server
    --model-path meta-llama/Llama-3.3-70B-Instruct --tp-size 4`) and says "# Llama 3.3 70B
    on 4 x H200"; the 405B's script says tp8. Read as two models "on a machine no file
    names" ranked like for like, never saying they ran on 4 and 8 GPUs."""

    def lines(rates: tuple[float, ...]) -> str:
        return "".join(json.dumps({
            "backend": "sglang", "dataset_name": "random", "request_rate": float(rr),
            "random_input_len": 1024, "random_output_len": 1024, "output_throughput": r,
            "median_ttft_ms": 90.0, "completed": 300,
        }) + "\n" for rr, r in zip((1, 2, 4, 8), rates, strict=True))  # fmt: skip

    for name, model, tp, rates in (
        ("llama_70b", "meta-llama/Llama-3.3-70B-Instruct", 4, (537.4, 987.3, 2047.9, 3515.0)),
        ("llama_405b", "meta-llama/Llama-3.1-405B-Instruct", 8, (505.0, 911.1, 1598.6, 1820.7)),
    ):
        _write(tmp_path / "outputs" / f"{name}_online_output.jsonl", lines(rates))
        _write(tmp_path / "experiments" / f"{name}_sglang.sh",
               f"# Launch sglang\n# {name} on {tp} x H200 (bf16)\n"
               f"# python3 -m sglang.launch_server --model-path {model} --tp-size {tp} "
               "--port 30000\n\npython3 -m sglang.bench_serving --backend sglang "
               f"--request-rate 1 --output-file {name}_online_output.jsonl\n")  # fmt: skip
    # a script launching two models names no setup; one naming no result file, nothing
    _write(tmp_path / "outputs" / "deepseek_output.jsonl", lines((1.0, 2.0, 3.0, 4.0)))
    _write(tmp_path / "experiments" / "deepseek.sh",
           "# python3 -m sglang.launch_server --model-path a/DeepSeek-V2 --tp 8\n"
           "# python3 -m sglang.launch_server --model-path b/DeepSeek-V2.5 --tp 8\n"
           "python3 -m sglang.bench_serving --output-file deepseek_output.jsonl\n")  # fmt: skip
    _write(tmp_path / "experiments" / "other.sh",
           "# Mistral on 2 x A100\npython3 -m vllm.entrypoints.openai.api_server "
           "--model mistral --tensor-parallel-size 2\n")  # fmt: skip
    digest = digest_of(tmp_path)
    setups = {(s.model, s.params.get("tensor_parallel"), s.machine) for s in digest.setups}
    assert ("meta-llama/Llama-3.3-70B-Instruct", 4, "H200") in setups
    assert ("meta-llama/Llama-3.1-405B-Instruct", 8, "H200") in setups
    assert {s.model for s in digest.setups if s.params.get("tensor_parallel") is None} == {
        "model not stated"
    }
    (h200,) = [s for s in digest.scopes if s.machine == "H200"]
    assert h200.evidence.startswith("the launch script experiments/llama_")
    (ranking,) = [f for f in compute_findings(digest) if f.title.startswith("throughput by model")]
    assert "request_rate=" in ranking.text and "(like for like)" in ranking.title
    assert "Each model ran at its own tensor parallelism" in ranking.text


def _mlperf_summary(scenario: str, tokens: float, ttft_ns: int, target_qps: float) -> str:
    """MLPerf Inference LoadGen's mlperf_log_summary.txt, as v5.1 writes it."""
    rate = "Completed tokens per second" if scenario == "Server" else "Tokens per second"
    lines = [
        "=" * 48, "MLPerf Results Summary", "=" * 48, "SUT name : PySUT",
        f"Scenario : {scenario}", "Mode     : PerformanceOnly",
        f"{rate}: {tokens}", "Result is : VALID", "", "=" * 48, "Additional Stats", "=" * 48,
        "Min latency (ns)                : 980187992",
        "Mean latency (ns)               : 43579602295",
        "50.00 percentile latency (ns)   : 38401775522",
    ]  # fmt: skip
    if scenario == "Server":
        lines += [
            f"Mean First Token latency (ns)               : {ttft_ns}",
            f"50.00 percentile first token latency (ns)   : {ttft_ns - 43383260}",
            "Mean Time to Output Token (ns)                : 144594078",
        ]
    lines += ["", "=" * 48, "Test Parameters Used", "=" * 48, f"target_qps : {target_qps}"]
    return "\n".join(lines) + "\n"


def test_mlperf_loadgen_summaries_are_runs_of_their_system_model_and_scenario(
    tmp_path: Path,
) -> None:
    """An MLPerf Inference submission (jkjung-avt/inference_results_v5.1, closed/AMD) keeps
    `results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt`:
    `Key : value` lines, latencies in ns. None of it was read (0 rows, 'text with figures in
    no format Chimera reads'). Each summary is one run: its tokens and samples a second, its
    TTFT and time per output token in ms; the system folder its machine (two systems of one
    model, `_1` and `_2`, are two machines), `systems/<system>.json` its engine, the scenario
    folder its workload (an Interactive summary says `Scenario : Server`); a server run's
    target_qps is its arrival rate, an offline run's only the submitter's expectation."""
    one, two = "8xMI325X_2xEPYC_9575F_1", "8xMI325X_2xEPYC_9575F_2"
    for system, framework in ((one, "vLLM 0.9.0.2.dev108+rocm641"), (two, "vLLM 0.6.5.dev964")):
        described = {"accelerator_model_name": "AMD Instinct MI325X", "framework": framework,
                     "accelerators_per_node": 8}  # fmt: skip
        _write(tmp_path / "systems" / f"{system}.json", json.dumps(described))
    runs = {
        (one, "Offline"): _mlperf_summary("Offline", 34520.4, 0, 116),
        (one, "Server"): _mlperf_summary("Server", 32027.57, 883893996, 109),
        (two, "Offline"): _mlperf_summary("Offline", 34555.0, 0, 116),
        (two, "Interactive"): _mlperf_summary("Server", 18407.2, 117895000, 61.5),
    }
    for (system, scenario), text in runs.items():
        run = tmp_path / "results" / system / "llama2-70b-99" / scenario / "performance" / "run_1"
        _write(run / "mlperf_log_summary.txt", text)
    _write(run / "mlperf_log_detail.txt", ':::MLLOG {"key": "result_token_throughput"}\n')
    digest = digest_of(tmp_path)
    [detail] = [s for s in digest.skipped if s.path.endswith("mlperf_log_detail.txt")]
    assert "restates mlperf_log_summary.txt" in detail.reason
    one, two = (f"8x AMD Instinct MI325X [{system}]" for system in (one, two))
    assert digest.rows_read == 4
    rates = {
        (s.machine, s.workload, s.group): s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert rates == {
        (one, "Offline", "llama2-70b-99 / settings not stated"): pytest.approx(34520.4),
        (one, "Server", "llama2-70b-99 / request_rate=109"): pytest.approx(32027.57),
        (two, "Offline", "llama2-70b-99 / settings not stated"): pytest.approx(34555.0),
        (two, "Interactive", "llama2-70b-99 / request_rate=61.5"): pytest.approx(18407.2),
    }
    ttft = {
        (s.machine, s.aggregate): s.mean
        for s in digest.stats
        if s.metric == "ttft_ms" and s.group_by == "model+config_name+workload"
    }
    assert ttft[(one, "mean")] == pytest.approx(883.893996)
    assert ttft[(two, "median")] == pytest.approx(74.51174)
    assert {s.engine for s in digest.stats if s.machine} == {"vLLM"}


def test_an_offered_load_is_compared_within_each_workload_not_over_their_pool(
    tmp_path: Path,
) -> None:
    """datacrunch-research/h200-benchmarks' SGLang sweep of Llama-3.1-405B: random 1024/1024
    at 1, 2, 4, 8 req/s, sharegpt at 4 and 8 only. The request rate's effect said 'throughput
    is 504.96 tok/s at request_rate=1, ..., 1151.83 at 4, 1522.52 at 8': the means at 4 and 8
    pooled the random run with the sharegpt one (1598.64 and 705.01), the means at 1 and 2 did
    not. An offered load is compared within each workload, the workload held fixed."""

    def line(dataset: str, rate: float, tok_s: float) -> str:
        return json.dumps({
            "backend": "sglang", "dataset_name": dataset, "request_rate": rate,
            "random_input_len": 1024, "random_output_len": 1024, "output_throughput": tok_s,
            "completed": 300,
        })  # fmt: skip

    runs = [("random", 1, 504.96), ("random", 2, 911.14), ("random", 4, 1598.64),
            ("random", 8, 1820.65), ("sharegpt", 4, 705.01), ("sharegpt", 8, 1224.39)]  # fmt: skip
    text = "\n".join(line(*run) for run in runs) + "\n"
    _write(tmp_path / "llama_405b_online_output.jsonl", text)
    digest = digest_of(tmp_path)
    effects = [
        f
        for f in compute_findings(digest)
        if f.kind == "setting_effect" and f.title.startswith("request_rate")
    ]
    texts = sorted(f.text for f in effects)
    assert len(texts) == 2
    assert "1598.64 tok/s at request_rate=4" in texts[0] and "random" in texts[0]
    assert "705.01 tok/s at request_rate=4" in texts[1] and "workload=sharegpt" in texts[1]
    assert not any("1151.83" in t for t in texts)


_GENAI_PERF_CSV = "\n".join([
    "Metric,avg,min,max,p99,p95,p90,p75,p50,p25",
    'Time To First Token (ms),"1,146.31",249.48,"3,485.23","3,457.97","3,349.56","3,215.06",'
    '"1,330.93",640.07,286.52',
    "Time To Second Token (ms),26.05,0.00,133.51,96.12,36.56,34.88,34.35,33.55,1.78",
    'Request Latency (ms),"6,406.20","5,371.47","9,608.72","9,436.13","9,046.58","9,028.16",'
    '"6,549.60","5,690.23","5,493.63"',
    "Inter Token Latency (ms),30.34,29.28,32.13,32.08,31.95,31.05,30.13,29.04,29.01",
    "Output Sequence Length (tokens),174.45,164.00,187.00,186.22,183.10,180.10,177.00,174.00,"
    "171.75",
    "",
    "Metric,Value",
    "Output Token Throughput (per sec),261.25",
    "Request Throughput (per sec),1.50",
    "Request Count (count),40.00",
    "",
])  # fmt: skip


def test_a_genai_perf_csv_export_is_a_run_unless_its_json_is_beside_it(tmp_path: Path) -> None:
    """GenAI-Perf and AIPerf write each run's statistics twice: `profile_export_genai_perf.json`
    and a CSV of metrics as rows (`Time To First Token (ms),"1,146.31",...`, then `Metric,Value`
    rows). Read as a table its metric names were cells: a folder of the CSVs alone gave no
    row, and nothing said why. The CSV alone is one run (its load from the artifact folder's
    name); beside its JSON it restates it, and is listed as doing so, not read twice."""
    alone = tmp_path / "alone" / "llama-3.1-8b-instruct-openai-chat-concurrency4"
    _write(alone / "profile_export_genai_perf.csv", _GENAI_PERF_CSV)
    digest = digest_of(tmp_path / "alone")
    found = {(s.metric, s.aggregate): s.mean for s in digest.stats if s.group_by == "config_name"}
    assert found[("ttft_ms", "mean")] == pytest.approx(1146.31)
    assert found[("ttft_ms", "median")] == pytest.approx(640.07)
    assert found[("itl_ms", "p99")] == pytest.approx(32.08)
    assert found[("latency_ms", "mean")] == pytest.approx(6406.20)
    assert found[("tokens_per_s", None)] == pytest.approx(261.25)
    assert {s.group for s in digest.stats if s.group_by == "config_name"} == {"concurrency=4"}
    both = tmp_path / "both" / "run"
    _write(both / "profile_export_genai_perf.csv", _GENAI_PERF_CSV)
    _write(both / "profile_export_genai_perf.json", _profile_export(1146.31, 261.25, aiperf=False))
    digest = digest_of(tmp_path / "both")
    assert digest.rows_read == 1
    [skipped] = [s for s in digest.skipped if s.path.endswith(".csv")]
    assert "restates profile_export_genai_perf.json" in skipped.reason


def test_evalscope_percentiles_are_statistics_and_its_concurrency_no_run_count(
    tmp_path: Path,
) -> None:
    """EvalScope's `perf` writes per run `benchmark_summary.json` ("Number of concurrency": 5,
    "Average time to first token (s)": 22.1, ...) and `benchmark_percentile.json`, columns of
    lists beside "Percentiles": ["10%", ..., "99%"]. The concurrency was read as the summary's
    run count ('mean over 5 runs', no setting), and the percentile rows as ten runs: a mean TTFT
    of the percentiles (32.2 s) and 'throughput varies by 13 % from run to run'. The
    concurrency is a setting; a percentile table is the run's median, p90, p95 and p99."""
    run = tmp_path / "parallel_5_number_10"
    summary = {
        "Time taken for tests (s)": 305.6066, "Number of concurrency": 5, "Total requests": 10,
        "Succeed requests": 10, "Failed requests": 0, "Output token throughput (tok/s)": 36.605,
        "Request throughput (req/s)": 0.0346, "Average latency (s)": 112.7879,
        "Average time to first token (s)": 22.1013, "Average time per output token (s)": 0.0865,
    }  # fmt: skip
    _write(run / "benchmark_summary.json", json.dumps(summary))
    percentiles = {
        "Percentiles": ["10%", "25%", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%"],
        "TTFT (s)": [0.32, 0.46, 21.89, 33.13, 43.92, 44.10, 44.61, 44.61, 44.61, 44.62],
        "Output (tok/s)": [7.74, 8.91, 9.65, 10.62, 11.29, 11.60, 11.73, 11.73, 11.73, 11.73],
    }  # fmt: skip
    _write(run / "benchmark_percentile.json", json.dumps(percentiles))
    digest = digest_of(tmp_path)
    assert digest.rows_read == 2
    ttft = {s.aggregate: s for s in digest.stats if s.metric == "ttft_ms" and s.group_by is None}
    assert ttft["mean"].mean == pytest.approx(22101.3) and ttft["mean"].runs is None
    assert ttft["median"].mean == pytest.approx(21890.0)
    assert ttft["p99"].mean == pytest.approx(44620.0)
    assert {s.params.get("concurrency") for s in digest.setups} >= {5}
    assert "instability" not in {f.kind for f in compute_findings(digest)}


def test_mlperfs_results_page_is_listed_as_restating_the_summaries(tmp_path: Path) -> None:
    """An MLPerf submission keeps beside each system's results a README.md that is the
    submission checker's HTML page (`<td class="perf">5103.99</td>`): read as a note, it gave
    nothing and said nothing. It restates the LoadGen summaries under it: listed so."""
    page = (
        "See the HTML preview [here](https://htmlpreview.github.io/?https://github.com/"
        "mlcommons/inference_results_v5.1/blob/refs/heads/main/closed/RedHat/results/x/summary"
        '.html)\n<table><tr><td class="model">llama3.1-8b</td><td class="units">Tokens/s</td>'
        '<td class="perf">5103.99</td></tr></table>\n'
    )
    system = tmp_path / "results" / "XE8640_4xH100_vLLM"
    _write(system / "README.md", page)
    run = system / "llama3.1-8b" / "Server" / "performance" / "run_1"
    _write(run / "mlperf_log_summary.txt", _mlperf_summary("Server", 5103.99, 359333144, 39.5))
    digest = digest_of(tmp_path)
    assert digest.rows_read == 1
    [listed] = digest.skipped
    assert "MLPerf's results page" in listed.reason


def test_a_version_written_with_underscores_in_a_file_name_is_the_models(tmp_path: Path) -> None:
    """datacrunch-research/h200-benchmarks names its SGLang results
    `llama_3_3_70b_online_output.jsonl` (Llama 3.3 70B) and its lines name no model: the
    file's model was "not stated"; `qwen2_5_7b_results.csv` gave `qwen2:latest`. A version
    written with "_" for its dot, then a size, is the model's: llama3.3:70b, qwen2.5:7b."""
    line = {"backend": "sglang", "request_rate": 1.0, "output_throughput": 537.41}
    _write(tmp_path / "llama_3_3_70b_online_output.jsonl", json.dumps(line) + "\n")
    _write(tmp_path / "qwen2_5_7b_results.csv", "tokens_per_second\n40.1\n41.2\n")
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {"llama3.3:70b", "qwen2.5:7b"}


def test_a_reported_ladder_is_listed_per_workload(tmp_path: Path) -> None:
    """datacrunch-research/h200-benchmarks' llama_3_3_70b_online_output.jsonl: random
    1024/1024 lines at request rates 1, 2, 4, 8, 16 and sharegpt lines at 4 and 8. Rates 4
    and 8 each pool two reported mean latencies, so the reported ladder left them out (since
    review5 saying so): "7.84 s with request_rate=1, 8.54 s with request_rate=2 and 149.04 s
    with request_rate=16", where the random lines climb 12.9 s -> 52.1 s between. The
    dataset is the workload: the random ladder is listed whole, as that workload's, and a
    level reported twice within one workload (a repeated line) is still said as left out."""
    lines = [
        {"backend": "sglang", "dataset_name": dataset, "request_rate": rate,
         "random_input_len": 1024, "random_output_len": 1024, "completed": 300,
         "mean_e2e_latency_ms": latency, "output_throughput": rate_out}
        for dataset, rate, latency, rate_out in (
            ("random", 1.0, 7840.6, 537.4), ("random", 2.0, 8540.6, 987.3),
            ("random", 4.0, 12896.0, 2047.9), ("random", 8.0, 52065.0, 3515.0),
            ("random", 16.0, 149037.3, 4288.0), ("sharegpt", 4.0, 3201.0, 746.1),
            ("sharegpt", 8.0, 5303.0, 1471.1),
        )
    ]  # fmt: skip
    _write(tmp_path / "llama_3_3_70b_online_output.jsonl", _jsonl(lines))
    (latency,) = [
        f for f in compute_findings(digest_of(tmp_path))
        if f.kind == "reported" and "latency" in f.title
    ]  # fmt: skip
    assert "(workload: random, input 1024 / output 1024) a latency of 7.84 s" in latency.text
    assert "12.90 s with request_rate=4, 52.06 s with request_rate=8 and 149.04 s" in (latency.text)
    assert "Left out" not in latency.text and "3.20 s" not in latency.text
    assert {f.context.get("workload") for f in latency.figures} == {
        "random, input 1024 / output 1024"
    }
    # a level run twice on one workload: no one figure stands for it, and that is said
    repeated = [*lines, {**lines[3], "mean_e2e_latency_ms": 50012.0}]
    _write(tmp_path / "llama_3_3_70b_online_output.jsonl", _jsonl(repeated))
    (latency,) = [
        f for f in compute_findings(digest_of(tmp_path))
        if f.kind == "reported" and "latency" in f.title
    ]  # fmt: skip
    assert "12.90 s with request_rate=4 and 149.04 s with request_rate=16" in latency.text
    assert "Left out: request_rate=8, reported more than once" in latency.text


def test_a_run_restated_in_two_files_is_said(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm: TensorRT-LLM NVFP4 at concurrency 64 wrote 6486.6 tok/s and
    25.338 requests/s in results_trtllm_nvfp4_v2.json and in _mnt16k.json, with other
    median TTFTs (72.1, 69.1 ms): two figures the same to five digits in two files' runs,
    two measurements by their TTFTs or a rate carried over, which no finding said.
    Figures of four digits alike (the concurrency-4 runs of 12 and 40 requests, 494.5 tok/s
    and 1.932 req/s: decode-bound) and one figure alike are no such evidence."""

    def sweep(tag: str, rows: list[tuple[int, float, float, float]]) -> str:
        return json.dumps({
            "tag": tag, "model": "llama31-8b-nvfp4", "osl": 256,
            "rows": [{"concurrency": c, "qps": q, "out_tok_s": r, "ttft_p50_ms": t}
                     for c, q, r, t in rows],
        })  # fmt: skip

    _write(
        tmp_path / "results_trtllm_nvfp4_v2.json",
        sweep("trtllm_nvfp4_v2", [(4, 1.932, 494.5, 48.1), (64, 25.338, 6486.6, 72.1)]),
    )
    _write(
        tmp_path / "results_trtllm_nvfp4_mnt16k.json",
        sweep("trtllm_nvfp4_mnt16k", [(4, 1.932, 494.5, 47.8), (64, 25.338, 6486.6, 69.1)]),
    )
    _write(tmp_path / "results_trtllm_nvfp4_pad.json",
           sweep("trtllm_nvfp4_pad", [(64, 25.339, 6486.6, 70.4)]))  # fmt: skip
    found = [f for f in compute_findings(digest_of(tmp_path)) if "every digit" in f.title]
    assert len(found) == 1
    (restated,) = found
    assert restated.sources == ["results_trtllm_nvfp4_mnt16k.json", "results_trtllm_nvfp4_v2.json"]
    assert "6486.6 tok/s" in restated.text and "25.338 req/s" in restated.text
    assert "median TTFT 72.10 ms" in restated.text and "69.10" in restated.text
    assert "494.5" not in restated.text and "pad" not in restated.text
    assert "not one row read twice" in restated.text and "restated" not in restated.text


def test_rows_of_other_weight_formats_are_other_engines(tmp_path: Path) -> None:
    """liltom-eth/llama2-webui's docs/performance.md: a GPU table of `Llama-2-7b-chat-hf`
    (Transformers, 8 bit) and `Llama-2-7b-Chat-GPTQ` rows, a CPU table of
    `llama-2-7b-chat.ggmlv3.q4_0` rows (llama-cpp-python), no engine stated: all were one
    engine, "no file names". Each row's engine is its weights' format's runtime, never a
    runtime the note does not name; a note of one format keeps the engine it states (none)."""
    mixed = (
        "## Performance on Nvidia GPU\n\n"
        "| Model | Precision | Device | Speed (tokens/sec) |\n|---|---|---|---|\n"
        "| Llama-2-7b-chat-hf | 8bit | NVIDIA RTX 2080 Ti | 3.76 |\n"
        "| Llama-2-7b-Chat-GPTQ | 4bit | NVIDIA RTX 2080 Ti | 18.85 |\n\n"
        "## Performance on CPU\n\n"
        "| Model | Precision | Device | Speed (tokens/sec) |\n|---|---|---|---|\n"
        "| llama-2-7b-chat.ggmlv3.q4_0 | 4 bit | Intel i7-8700 | 6.27 |\n"
        "| llama-2-7b-chat.ggmlv3.q4_0 | 4 bit | Apple M2 CPU | 13.70 |\n"
    )
    _write(tmp_path / "mixed" / "performance.md", mixed)
    one = "| Model | Device | Speed (tokens/sec) |\n|---|---|---|\n"
    one += "| llama-2-7b-chat.ggmlv3.q4_0 | Intel i7-8700 | 6.27 |\n"
    one += "| llama-2-7b-chat.ggmlv3.q8_0 | Intel i7-8700 | 2.63 |\n"
    _write(tmp_path / "one" / "performance.md", one)
    engines = {(s.model, s.engine) for s in digest_of(tmp_path / "mixed").setups}
    assert engines == {
        ("Llama-2-7b-chat-hf", "HF Transformers (runtime not named)"),
        ("Llama-2-7b-Chat-GPTQ", "GPTQ (runtime not named)"),
        ("llama-2-7b-chat.ggmlv3.q4_0", "GGML (runtime not named)"),
    }
    assert {s.engine for s in digest_of(tmp_path / "one").setups} == {None}


def test_a_model_column_of_quantisations_is_the_quantisation(tmp_path: Path) -> None:
    """matt-c1/llama-cpp-speed-measurements' llamacpp_speed_data.csv: its `model` column holds
    `IQ2_XXS`, `IQ4_NL`, `Q4_K_S`, `Q8_0`, quants of one Meta-Llama-3-8B-Instruct the README
    names; read as four models, "throughput by model (like for like)" ranked a quant against
    a quant and every setting's effect was said four times, once a "model". A model column
    whose every cell is a quantisation is the quantisation setting; a column naming models
    beside a bare quant keeps its models."""
    rows = ["model,flash_attn,promptlen,gentps"]
    for quant, rate in (("IQ2_XXS", 67.9), ("Q4_K_S", 64.2), ("Q8_0", 50.4)):
        rows += [f"{quant},True,{n},{rate + i}" for i, n in enumerate((128, 1024))]
    _write(tmp_path / "quants" / "llamacpp_speed_data.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path / "quants")
    assert {s.params.get("quantization") for s in digest.setups} == {"IQ2_XXS", "Q4_K_S", "Q8_0"}
    assert all(names_no_model(s.model) for s in digest.setups)
    named = ["model,promptlen,gentps", "llama3:8b,128,50.1", "llama3:8b,1024,49.0",
             "Q8_0,128,40.2", "Q8_0,1024,39.9"]  # fmt: skip
    _write(tmp_path / "named" / "speed.csv", "\n".join(named) + "\n")
    assert {s.model for s in digest_of(tmp_path / "named").setups} == {"llama3:8b", "Q8_0"}


def _tagged_sweep(tag: str, model: str, rates: dict[int, float]) -> str:
    """A sweep script's JSON (Azir111/trtllm-vs-vllm's bench.py): a tag, a model, rows."""
    rows = [{"concurrency": c, "n_req": 10 * c, "out_tok_s": r} for c, r in rates.items()]
    return json.dumps({"tag": tag, "model": model, "osl": 256, "rounds": 10, "rows": rows})


def test_a_sweeps_tag_names_its_engine_quantisation_and_variant(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm: vLLM served both checkpoints under the alias `m`, and the
    TensorRT-LLM variants (CUDA-graph padding, max_num_tokens 16384) differ only in the
    tag: NVFP4 and FP8 pooled as one model `m`, and the padded runs (4358.6 tok/s at 40)
    pooled with the default ones (1765.9), "a coefficient of variation of 57.4 %"."""
    for tag, model, rates in (
        ("vllm_nvfp4", "m", {1: 102.7, 32: 2979.5}),
        ("vllm_fp8_v2", "m", {1: 84.7, 32: 1858.3}),
        ("trtllm_nvfp4_fill", "llama31-8b-nvfp4", {40: 1765.9, 56: 2485.0}),
        ("trtllm_nvfp4_pad", "llama31-8b-nvfp4", {40: 4358.6, 56: 5851.2}),
        ("trtllm_nvfp4_mnt16k", "llama31-8b-nvfp4", {40: 1739.2, 56: 2258.2}),
    ):
        _write(tmp_path / f"results_{tag}.json", _tagged_sweep(tag, model, rates))
    digest = digest_of(tmp_path)
    cells = {
        (s.engine, s.group): s.mean
        for s in digest.stats
        if s.group_by == "model+config_name" and s.metric == "tokens_per_s"
    }
    assert cells[("vLLM", "m / quantization=NVFP4, concurrency=32")] == pytest.approx(2979.5)
    assert cells[("vLLM", "m / quantization=FP8, concurrency=32")] == pytest.approx(1858.3)
    padded = "llama31-8b-nvfp4 / quantization=NVFP4, concurrency=40, deployment=pad"
    assert cells[("TensorRT-LLM", padded)] == pytest.approx(4358.6)
    # `_fill` re-ran the default config's levels 40 and 56: no deployment of its own
    default = "llama31-8b-nvfp4 / quantization=NVFP4, concurrency=40"
    assert cells[("TensorRT-LLM", default)] == pytest.approx(1765.9)
    assert not [group for _, group in cells if "fill" in group]
    findings = compute_findings(digest)
    assert not [f for f in findings if f.kind == "stability"]
    (quant,) = [f for f in findings if f.title.startswith("quantization on m")]
    assert "2979.55" not in quant.text and "2979.50 tok/s at quantization=NVFP4" in quant.text
    (padding,) = [f for f in findings if f.title.startswith("deployment on llama31-8b-nvfp4")]
    assert "deployment=pad" in padding.text


def test_a_tags_kv_cache_type_is_no_quantisation_of_the_weights(tmp_path: Path) -> None:
    """A sweep tagged `vllm_bf16_kv_fp8` beside `vllm_bf16` (the KV cache's type swept, the
    weights BF16 both): the tag's two quantisations named neither, and `kv` became a
    deployment; `vllm_kv_fp8` alone read as FP8 weights."""
    for tag, rates in (
        ("vllm_bf16", {1: 80.2, 32: 1510.0}),
        ("vllm_bf16_kv_fp8", {1: 79.8, 32: 1702.5}),
    ):
        _write(tmp_path / f"results_{tag}.json", _tagged_sweep(tag, "m", rates))
    digest = digest_of(tmp_path)
    groups = {s.group for s in digest.stats if s.group_by == "model+config_name"}
    assert "m / quantization=BF16, concurrency=32, kv_cache_dtype=FP8" in groups
    assert "m / quantization=BF16, concurrency=32" in groups
    assert not [g for g in groups if "deployment" in g]


def test_a_tag_opening_with_a_size_is_the_models_not_a_deployment(tmp_path: Path) -> None:
    """A document {"model": "llama3", "tag": "8b-instruct-q4_0"} (Ollama's name and tag in
    two fields): the tag was read as a run's, `8b_instruct` and `70b_instruct` two
    deployments of one model `llama3:latest`, "deployment=8b_instruct 5.5x as fast"."""
    for tag, rate in (("8b-instruct-q4_0", 50.1), ("70b-instruct-q4_0", 9.1)):
        doc = {"model": "llama3", "tag": tag, "results": [{"prompt": "hi", "eval_rate": rate}]}
        _write(tmp_path / f"{tag}.json", json.dumps(doc))
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model"}
    assert models == {"llama3:8b-instruct-q4_0", "llama3:70b-instruct-q4_0"}
    assert not [f for f in compute_findings(digest) if "deployment" in f.text]


def test_a_checkpoints_quantisation_in_its_name_is_compared_as_one(tmp_path: Path) -> None:
    """`llama31-8b-nvfp4` beside `llama31-8b-fp8` (each file's tag stating its quantisation
    too): two models ranked "over all rows ... not like for like", no quantisation compared,
    though both ran the same concurrency."""
    for quant, rates in (("nvfp4", {1: 49.6, 32: 3480.9}), ("fp8", {1: 52.1, 32: 2005.6})):
        for run, bump in (("", 0.0), ("_v2", 1.5)):
            rows = {c: r + bump for c, r in rates.items()}
            tag = f"trtllm_{quant}{run}"
            _write(tmp_path / f"{tag}.json", _tagged_sweep(tag, f"llama31-8b-{quant}", rows))
    findings = compute_findings(digest_of(tmp_path))
    (quant,) = [f for f in findings if f.kind == "quantization"]
    assert quant.title.startswith("quantisation of llama31-8b")
    assert "on the same settings (concurrency=" in quant.text
    (ranking,) = [f for f in findings if f.title.startswith("throughput by model")]
    assert "like for like" in ranking.title and "quantization=" not in ranking.text


def test_a_notes_tokens_per_second_that_are_characters_over_four_are_an_estimate(
    tmp_path: Path,
) -> None:
    """h2oai/h2ogpt's benchmarks/perf.md: "generation speed [tokens/sec]" is its test's
    `generate_output_len_bytes / 4 / generate_time` (tests/test_perf_benchmarks.py), the
    records in perf.json beside it: no token was counted. Read as tokens a second and said
    as such. The rate is said to be an estimate (a unit note, and the findings quoting it)."""
    records = [
        {"base_model": "llama2-7b-chat", "bits": 16, "gpus": gpu, "generate_output_len_bytes": n,
         "generate_time": t, "summarize_output_len_bytes": 1417, "summarize_time": 32.3}
        for gpu, n, t in (("1 x NVIDIA GeForce RTX 4090", 2384, 14.563165505727133),
                          ("1 x NVIDIA GeForce RTX 3090", 2384, 33.00641902287801))
    ]  # fmt: skip
    _write(tmp_path / "perf.json", "\n".join(json.dumps(r) for r in records) + "\n")
    table = (
        "## Model: llama2-7b-chat\n\n| bits | gpus | generation speed [tokens/sec] |\n"
        "|---:|:---|---:|\n| 16 | 1 x NVIDIA GeForce RTX 4090 | 40.9252 |\n"
        "| 16 | 1 x NVIDIA GeForce RTX 3090 | 18.0571 |\n"
    )
    _write(tmp_path / "perf.md", "# Backend: transformers\n\n" + table)
    _write(tmp_path / "other" / "notes.md", "# Other tool\n\n" + table.replace("40.9252", "40.1"))
    digest = digest_of(tmp_path)
    (note,) = digest.unit_notes
    assert (note.path, note.column) == ("perf.md", "generation speed [tokens/sec]")
    assert note.unit.startswith("estimated tok/s")
    assert "generate_output_len_bytes / 4 / generate_time" in note.reason
    quoting = [f for f in compute_findings(digest) if "perf.md" in f.sources]
    assert quoting and all("no token was counted" in f.text for f in quoting)


def test_sessions_of_one_served_name_in_two_groups_say_two_things_ran(tmp_path: Path) -> None:
    """newbdez33/llm-mac-512: LM Studio served GGUF Q4_K_S and MLX 8-bit MiniMax-M2.1 under
    one name, `minimax-m2.1`, and the session files record nothing else: the 15 sessions
    (42.9-45.0 tok/s and 26.7-28.6) were said to differ in "a build, a driver, a power
    profile, the machine's load", never that two models may have run under one name, though
    the same prompts counted 45 prompt tokens in one group and 44 in the other."""
    for i, base in enumerate((44.9, 44.1, 43.5, 28.6, 28.3, 26.7)):
        results = [{"test_name": "medium", "name": "code", "prompt": "Write a sort",
                    "max_tokens": 500, "prompt_tokens": 48 if base > 40 else 47,
                    "completion_tokens": 500, "tps": base + d, "success": True}
                   for d in (-0.2, 0.0, 0.2)]  # fmt: skip
        session = {"timestamp": f"2026-02-05T15:{10 + i}:00", "model": "minimax-m2.1",
                   "api_base": "http://localhost:1234/v1", "results": results}  # fmt: skip
        _write(tmp_path / f"lmstudio-benchmark-2026020515{10 + i}00.json", json.dumps(session))
    (sessions,) = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "sessions"]
    assert "The 6 sessions fall into two groups, 3 at 43.50-44.90 tok/s and 3 at" in sessions.text
    assert "served under the one name minimax-m2.1" in sessions.text
    # the same prompt, 48 tokens to one tokeniser and 47 to the other: two builds
    assert "the same prompts count 48 prompt tokens in the first group and 47" in sessions.text


def _lmstudio_session(tmp_path: Path, i: int, rate: float, counts: tuple[int, ...]) -> None:
    """One benchmark_lmstudio.py session of `minimax-m2.1`: two tests, each its own prompt,
    three runs each, counting `counts` prompt tokens (a count per run where several)."""
    tests = (("medium", "Write a sort", 500), ("complex", "List three sorts", 400))
    results = [{"test_name": test, "prompt": prompt, "max_tokens": most,
                "prompt_tokens": counts[(j * 3 + k) % len(counts)] + 20 * j,
                "completion_tokens": most, "tps": rate + k / 10, "success": True}
               for j, (test, prompt, most) in enumerate(tests) for k in range(3)]  # fmt: skip
    session = {"timestamp": f"2026-02-05T15:{10 + i}:00", "model": "minimax-m2.1",
               "api_base": "http://localhost:1234/v1", "results": results}  # fmt: skip
    _write(tmp_path / f"lmstudio-benchmark-2026020515{10 + i}00.json", json.dumps(session))


def test_sessions_counting_the_same_prompts_differently_are_two_builds(tmp_path: Path) -> None:
    """newbdez33/llm-mac-512: GGUF and MLX MiniMax-M2.1 served under one alias, the same
    prompts counting 45/48/50/68/72 prompt tokens in the GGUF sessions and 44/47/49/67/71 in
    the MLX ones: the sessions finding said two builds ran, but the ranking and stability
    findings pooled them, one mean of 44 and 28 tok/s sessions. Sessions counting the same
    prompts alike are one setup's repetitions; a prompt cache's short count is no build."""
    for i, (rate, count) in enumerate(((44.9, 48), (44.1, 48), (28.6, 47), (28.3, 47))):
        _lmstudio_session(tmp_path, i, rate, (count,))
    digest = digest_of(tmp_path)
    models = sorted({s.model for s in digest.setups})
    assert models == [
        "minimax-m2.1 (build A: prompt tokens 48/68)",
        "minimax-m2.1 (build B: prompt tokens 47/67)",
    ]
    means = {s.group: s.mean for s in digest.stats
             if s.group_by == "model" and s.metric == "tokens_per_s"}  # fmt: skip
    assert means == {models[0]: pytest.approx(44.6), models[1]: pytest.approx(28.55)}
    # the same counts, whatever the speed: one setup's sessions
    for folder, sessions in (
        ("alike", ((44.9, (48,)), (28.6, (48,)))),
        # a prompt counted two ways within a session (a prompt cache): counts prove nothing
        ("cached", ((44.9, (48, 3, 3)), (28.6, (47,)))),
        # far fewer tokens on every prompt: a cache's tail, not a tokeniser
        ("tail", ((44.9, (48,)), (28.6, (3,)))),
    ):
        for i, (rate, counts) in enumerate(sessions):
            _lmstudio_session(tmp_path / folder, i, rate, counts)
        assert {s.model for s in digest_of(tmp_path / folder).setups} == {"minimax-m2.1"}


def test_a_notes_column_of_evenly_stepped_levels_is_a_sweep(tmp_path: Path) -> None:
    """Azir111/trtllm-vs-vllm's README: `| c | 默认（空洞） | + enable_padding | 提升 |` over
    40 / 48 / 56 (concurrency), `1766 tok/s`, `1949 tok/s`, `2485 tok/s`: 48 and 56 are no
    power of two nor of ten, so the rows were three runs of one setup, "the least stable
    repetitions ... a coefficient of variation of 18.1 %" and a recommendation to repeat
    them on a quiet machine."""
    levels = ((40, 1766, 4359), (48, 1949, 4681), (56, 2485, 5851))
    rows = "".join(f"| {c} | {r} tok/s | **{p}** | 2.4× |\n" for c, r, p in levels)
    _write(tmp_path / "README.md", "## 验证\n\n| c | 默认（空洞） | + enable_padding | 提升 |\n"
           "|---|---|---|---|\n" + rows)  # fmt: skip
    digest = digest_of(tmp_path)
    groups = {s.group: s.n for s in digest.stats
              if s.group_by == "model+config_name" and s.metric == "tokens_per_s"}  # fmt: skip
    assert sorted(groups.values()) == [1, 1, 1] and any("c=48" in g for g in groups)
    assert not [f for f in compute_findings(digest) if f.kind == "stability"]
    # each of two models swept over the same levels: six setups, none repeated
    both = "".join(f"| {m} | {c} | {r + i} tok/s |\n" for i, m in enumerate(("a-8b", "b-8b"))
                   for c, r, _ in levels)  # fmt: skip
    _write(tmp_path / "README.md", "## 验证\n\n| model | c | 默认 |\n|---|---|---|\n" + both)
    groups = {s.group: s.n for s in digest_of(tmp_path).stats
              if s.group_by == "model+config_name" and s.metric == "tokens_per_s"}  # fmt: skip
    assert len(groups) == 6 and set(groups.values()) == {1}


def test_a_client_scripts_server_url_on_lm_studios_port_names_the_engine(tmp_path: Path) -> None:
    """newbdez33/llm-mac-512's sessions: `"api_base": "http://localhost:1234/v1"`, LM
    Studio's default port, and no other field naming the engine: "with an engine no file
    names". A port no engine owns (8000: vLLM's, SGLang's, TGI's...) names none."""
    results = [{"test_name": "medium", "max_tokens": 500, "tps": 44.0 + i / 10} for i in range(3)]
    for folder, url in (("a", "http://localhost:1234/v1"), ("b", "http://gpu:8000/v1")):
        session = {"model": "minimax-m2.1", "api_base": url, "results": results}
        _write(tmp_path / folder / "session.json", json.dumps(session))
    engines = [{s.engine for s in digest_of(tmp_path / f).setups} for f in ("a", "b")]
    assert engines == [{"LM Studio"}, {None}]


def _ollama_ps_sweep() -> str:
    """A bench script's CSV of Ollama calls (leoric-crown/n8n_pgvector16): `preloaded` says
    whether the model was loaded before the call, `processor` is `ollama ps`'s split of the
    model between CPU and GPU. At num_ctx=65536 the model no longer fits: 22%/78% CPU/GPU and
    a fifth of the rate. Most calls reloaded the model (load_s 2.6 s against 0.1 s)."""
    lines = ["model,timestamp,preloaded,tokens,load_s,eval_s,tokens_per_second,context_length,"
             "processor\n"]  # fmt: skip
    for hour, (ctx, processor, rate) in enumerate(
        ((8192, "100% GPU", 168.0), (65536, "22%/78% CPU/GPU", 30.0))
    ):
        loads = [4.5, 2.6, 0.1, 2.6, 2.6, 0.1, 2.6, 2.6]
        for i, load in enumerate(loads):
            lines.append(
                f"phi4-mini:3.8b,2025-10-06T0{hour}:00:{10 + i}.0,{i > 0},120,{load},1.0,"
                f"{rate + (i % 3) * 0.5},{ctx},{processor}\n"
            )
    return "".join(lines)


def test_ollama_ps_processor_split_is_no_machine_and_preloaded_no_setting(
    tmp_path: Path,
) -> None:
    """`ollama ps`'s PROCESSOR ("100% GPU", "22%/78% CPU/GPU") is where the model sits, an
    outcome of num_ctx on one machine, not two machines (leoric-crown's sweep named 22
    "machines" and never said what num_ctx does); `preloaded` is the benchmark's own mark of
    the call that loaded the model, not a setting to compare; and where most calls of a model
    reloaded it (the usual load is a load), the warm calls still tell the reloads apart."""
    _write(tmp_path / "ctx" / "benchmark.csv", _ollama_ps_sweep())
    digest = digest_of(tmp_path)
    machines = {s.machine for s in digest.scopes}
    assert not any(m and ("GPU" in m or "CPU" in m) for m in machines), machines
    assert sum(c.rows for c in digest.cold_rows) == 12
    findings = compute_findings(digest)
    assert not [f for f in findings if "preloaded" in f.text]
    effect = [f for f in findings if f.kind == "setting_effect" and "num_ctx" in f.text]
    assert effect and "num_ctx=8192" in effect[0].text and "num_ctx=65536" in effect[0].text


def test_a_system_info_json_beside_the_results_names_their_machine(tmp_path: Path) -> None:
    """A bench script's `system_info.json` beside each folder's results (leoric-crown:
    `"gpu_model": "NVIDIA GeForce RTX 4090"`, `"cpu_model": "AMD Ryzen 7 3700X ..."`) names
    the machine the runs of its folder ran on, as `system.txt` does ("machine not stated")."""
    _write(tmp_path / "ctx" / "benchmark.csv", _ollama_ps_sweep())
    info = {
        "cpu_model": "AMD Ryzen 7 3700X 8-Core Processor",
        "ram_total_gb": 62.69,
        "gpu_model": "NVIDIA GeForce RTX 4090",
        "gpu_vram_gb": 23.99,
        "gpu_count": 1,
    }
    _write(tmp_path / "ctx" / "system_info.json", json.dumps(info))
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {"NVIDIA GeForce RTX 4090"}


def test_calls_that_reloaded_are_found_where_they_are_most_calls(tmp_path: Path) -> None:
    """gemma3:4b at num_ctx=8192 in leoric-crown's sweep: 7 of 10 calls reloaded the model
    (2.6-3.9 s), 3 did not (0.21 s). The 25th percentile (0.8 s) falls between the two, so
    only the 3.9 s load was set apart; the fastest calls say what a warm call costs."""
    loads = [3.856, 0.212, 2.593, 0.216, 2.642, 2.763, 2.801, 0.209, 2.684, 2.713]
    lines = ["model,timestamp,load_s,tokens,eval_s,tokens_per_second\n"]
    for i, load in enumerate(loads):
        lines.append(f"gemma3:4b,2025-10-06T02:34:{10 + i}.0,{load},120,2.4,{49 + i % 2}\n")
    _write(tmp_path / "benchmark.csv", "".join(lines))
    digest = digest_of(tmp_path)
    assert sum(c.rows for c in digest.cold_rows) == 7


def test_runs_at_two_settings_that_agree_on_every_figure_are_not_one_run(tmp_path: Path) -> None:
    """gpt-oss:latest ran into its 1024-token cap at 159.2 tok/s at num_ctx 49152 and 65536
    alike (leoric-crown): rounded to three decimals, a call of each agreed within 1 % on
    rate, eval and total time, and the 64k file's call was listed as a copy of the 48k file's.
    A copy restates its run's settings: calls stating two values of one setting are two runs."""
    header = "model,timestamp,tokens,load_s,eval_s,total_s,tokens_per_second,context_length\n"
    calls = [(0.187, 6.431, 6.628, 159.2), (3.4, 6.435, 10.172, 159.1), (0.178, 6.429, 6.6, 159.3)]
    for name, ctx, second in (("ctx-48k", 49152, 10), ("ctx-64k", 65536, 40)):
        lines = [header]
        for i, (load, took, total, rate) in enumerate(calls):
            stamp = f"2025-10-06T02:3{i}:{second}.0"
            lines.append(f"gpt-oss:latest,{stamp},1024,{load},{took},{total},{rate},{ctx}\n")
        _write(tmp_path / name / "benchmark.csv", "".join(lines))
    digest = digest_of(tmp_path)
    assert not digest.duplicates, digest.duplicates


def test_a_webui_speed_csv_reads_its_glued_rates_and_prompt_lengths(tmp_path: Path) -> None:
    """matt-c1/llama-cpp-speed-measurements' CSVs from text-generation-webui's API
    (`promptlen,prompt_tokens,prompt_seconds,prompttps,completion_tokens,gen_seconds,gentps`):
    `gentps` and `prompttps` are the generation and prompt rates, `gen_seconds` the decode
    time, and `promptlen` (128 to 15360 tokens asked for) the workload: one setup's rows at 8
    prompt lengths were pooled as 8 repetitions, and the generation rate was not read at all."""
    lines = [",flash_attn,promptlen,prompt_tokens,prompt_seconds,prompttps,completion_tokens,"
             "gen_seconds,gentps\n"]  # fmt: skip
    row = 0
    for fa, slow in (("False", 1.0), ("True", 1.3)):
        for length in (128, 1024, 2048, 3072, 5120, 8192):
            for _ in range(2):
                gen = 256 / (90 - length / 200) * slow
                lines.append(f"{row},{fa},{length},{length + 5},{length / 5000:.4f},5000.0,257,"
                             f"{gen:.4f},{256 / gen:.4f}\n")  # fmt: skip
                row += 1
    _write(tmp_path / "exl2_speed_data.csv", "".join(lines))
    digest = digest_of(tmp_path)
    rates = [s for s in digest.stats if s.metric == "tokens_per_s"]
    assert rates and rates[0].column == "gentps"
    workloads = {s.workload for s in rates}
    assert len(workloads - {None}) == 6, workloads
    findings = compute_findings(digest)
    fa = [f for f in findings if "flash_attn" in f.text and f.kind == "setting_effect"]
    assert fa and any("tok/s" in f.text and f.verdict == "real" for f in fa)


def test_a_file_named_for_its_engine_alone_states_the_engine(tmp_path: Path) -> None:
    """`exl2_speed_data.csv` beside `llamacpp_speed_data.csv` (matt-c1): the names say which
    engine ran each file's rows, though neither names a model; both were "engine not stated"
    and their flash_attn effects were compared across "models" as one engine's."""
    header = ",flash_attn,promptlen,prompttps,gentps\n"
    _write(
        tmp_path / "exl2_speed_data.csv", header + "0,False,128,800.0,87.6\n1,True,128,364.4,91.2\n"
    )
    _write(
        tmp_path / "llamacpp_speed_data.csv",
        header + "0,False,128,774.5,24.8\n1,True,128,994.9,39.3\n",
    )
    digest = digest_of(tmp_path)
    assert {s.engine for s in digest.scopes} == {"ExLlamaV2", "llama.cpp"}


def test_a_device_word_after_a_machine_in_a_device_cell_is_a_setting(tmp_path: Path) -> None:
    """llama2-webui's community table (liltom-eth/llama2-webui docs/performance.md): "Apple M2
    CPU" and "Apple M2 Metal" in its Device column are one Mac run on its CPU and on Metal,
    read as two machines ("Apple M2 Metal 53.6 % above Intel i7-8700"); the word after the
    machine is the device it ran on."""
    _write(tmp_path / "performance.md", (
        "| Model | Precision | Device | RAM | Speed (tokens/sec) | load time (s) |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| llama-2-7b-chat.ggmlv3.q2_K | 2 bit | Intel i7-8700 | 4.5 GB RAM | 7.88 | 31.90 |\n"
        "| llama-2-7b-chat.ggmlv3.q2_K | 2 bit | Apple M2 CPU | 4.5 GB RAM | 11.10 | 0.10 |\n"
        "| llama-2-7b-chat.ggmlv3.q2_K | 2 bit | Apple M2 Metal | 4.5 GB RAM | 12.10 | 0.12 |\n"
        "| llama-2-7b-chat.ggmlv3.q4_0 | 4 bit | Apple M2 CPU | 5.4 GB RAM | 13.70 | 0.13 |\n"
        "| llama-2-7b-chat.ggmlv3.q4_0 | 4 bit | Apple M2 Metal | 5.4 GB RAM | 12.60 | 0.10 |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert {s.machine for s in digest.scopes} == {"Intel i7-8700", "Apple M2"}
    devices = {s.params.get("device") for s in digest.setups if s.machine == "Apple M2"}
    assert {str(d).lower() for d in devices} == {"cpu", "metal"}, devices


def test_a_hardware_blocks_gpu_list_names_the_machine_not_its_architecture(
    tmp_path: Path,
) -> None:
    """Shram-Benchmark's results (Jesuwin25/Shram-Benchmark: one JSON per contributor's PC,
    raw Ollama answers under `entries`) describe the PC in `hardware`: Python's
    platform.machine() "AMD64" and `gpus: [{"name": "NVIDIA GeForce RTX 4070 Ti", ...}]`.
    "AMD64" was read as the machine of all eleven PCs, pooled as one ("sessions that disagree
    12.8x"); an architecture names no machine, and the GPU list does."""
    for host, gpu, rate in (("PC1", "NVIDIA GeForce RTX 4070 Ti", 104.9),
                            ("PC2", "NVIDIA GeForce RTX 3050 Laptop GPU", 19.6)):  # fmt: skip
        doc = {
            "hardware": {"system": "Windows", "machine": "AMD64",
                         "processor": "AMD64 Family 25 Model 97 Stepping 2, AuthenticAMD",
                         "gpus": [{"name": gpu, "memory_total_gb": 12.0}]},
            "num_predict": 256,
            "entries": [
                {"model": "gemma3:4b", "temperature": t, "total_duration": 3089489500,
                 "load_duration": 50902400, "eval_count": 141, "eval_duration": 1374477400,
                 "tokens_per_second": rate + i}
                for i, t in enumerate((0.0, 0.7, 1.0))
            ],
        }  # fmt: skip
        _write(tmp_path / host / f"extended_results_{host}_GPU.json", json.dumps(doc))
    digest = digest_of(tmp_path)
    machines = {s.machine for s in digest.scopes}
    assert machines == {"NVIDIA GeForce RTX 4070 Ti", "NVIDIA GeForce RTX 3050 Laptop GPU"}


def test_a_rate_restated_per_minute_beside_it_is_not_a_second_run(tmp_path: Path) -> None:
    """Shram-Benchmark's entries hold `tokens_per_second` 102.58 and `tokens_per_minute`
    6155.07: one rate in two units. Both were read as the run's rate, so every run counted
    twice (n=12 for 6 calls) and single calls had a 'spread' ("temperature=1 is faster
    than 0.7 ... beyond its spread", one call each)."""
    rows = "model,temperature,tokens_per_second,tokens_per_minute\n"
    for t, rate in ((0.7, 63.96), (1.0, 67.05)):
        rows += f"gemma3:4b,{t},{rate},{rate * 60:.2f}\n"
    _write(tmp_path / "results.csv", rows)
    digest = digest_of(tmp_path)
    rates = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert rates and rates[0].n == 2 and rates[0].column == "tokens_per_second"


def test_a_prompt_served_from_ollamas_cache_is_no_prefill_rate(tmp_path: Path) -> None:
    """Shram-Benchmark re-sends one 1032-token prompt to llama3.2:3b: the first call processed
    it in 634 ms (1627 tok/s), the next two took 5.7 ms, Ollama reusing it from the KV cache,
    and were read as prompt processing at 180,000 tok/s ("llama3.2:3b is 110x as fast as
    gemma3:4b in prompt processing"). A call of a model whose prompt of the same count took a
    twentieth of another's time was served from the cache: its prompt time and rate are no
    prefill figure, left out and said."""
    entries = [
        {"model": m, "temperature": t, "prompt_eval_count": 1032, "prompt_eval_duration": p,
         "eval_count": 200, "eval_duration": 2_000_000_000, "load_duration": 30_000_000}
        for m, t, p in (
            ("llama3.2:3b", 0.0, 634_278_400), ("llama3.2:3b", 0.7, 5_731_000),
            ("llama3.2:3b", 1.0, 5_653_600), ("gemma3:4b", 0.0, 700_000_000),
            ("gemma3:4b", 0.7, 623_138_800), ("gemma3:4b", 1.0, 715_246_800),
        )
    ]  # fmt: skip
    _write(tmp_path / "results.json", json.dumps({"entries": entries}))
    digest = digest_of(tmp_path)
    prompt = [
        s for s in digest.stats if s.metric == "prompt_tokens_per_s" and s.group == "llama3.2:3b"
    ]
    assert prompt and max(s.max for s in prompt) < 2000, prompt
    assert any("prompt cache" in d.reason and d.count == 2 for d in digest.dropped)


def test_a_cache_hit_ten_times_faster_is_told_from_a_warm_call_by_its_generation_rate(
    tmp_path: Path,
) -> None:
    """Shram-Benchmark on an RTX 4070 Ti: llama3.2:3b's first call processed the 1032-token
    prompt in 214 ms, the next two took 16.5 and 9.25 ms (13x and 23x less): Ollama's prompt
    cache, read as "111,532.60 tok/s prompt processing" because only one call was 20x faster.
    ollama_bench's warm calls after a reload are 5.5x faster too (0.29 s then 0.05 s for 51
    tokens) and are prefill: the cache hit's prompt rate is 400-800x its own generation rate,
    the warm call's 46x."""
    entries = [
        {"model": m, "temperature": t, "prompt_eval_count": n, "prompt_eval_duration": p,
         "eval_count": 256, "eval_duration": int(256 / g * 1e9), "load_duration": 25_000_000}
        for m, t, n, p, g in (
            ("llama3.2:3b", 0.0, 1032, 214_090_000, 137.0),
            ("llama3.2:3b", 0.7, 1032, 16_500_000, 137.0),
            ("llama3.2:3b", 1.0, 1032, 9_250_000, 136.0),
            ("llama3:8b", 0.0, 51, 290_000_000, 20.9),
            ("llama3:8b", 0.7, 51, 53_000_000, 20.7),
            ("llama3:8b", 1.0, 51, 50_000_000, 19.8),
        )
    ]  # fmt: skip
    _write(tmp_path / "results.json", json.dumps({"entries": entries}))
    digest = digest_of(tmp_path)
    prompt = {
        s.group: s
        for s in digest.stats
        if s.metric == "prompt_tokens_per_s" and s.group_by == "model"
    }
    assert prompt["llama3.2:3b"].n == 1 and prompt["llama3.2:3b"].max < 5000, prompt
    assert prompt["llama3:8b"].n == 3 and prompt["llama3:8b"].max > 900, prompt
    assert any("prompt cache" in d.reason and d.count == 2 for d in digest.dropped)


def test_a_bit_width_written_with_or_without_a_space_is_one_setting(tmp_path: Path) -> None:
    """llama2-webui's table writes GPTQ's precision "4bit" on two rows and "4 bit" on a third
    (a Colab T4): two quantizations, so the T4 stood alone instead of beside the RTX 2080 Ti
    and the GTX 1660 Super."""
    _write(tmp_path / "performance.md", (
        "| Model | Precision | Device | Speed (tokens/sec) |\n| --- | --- | --- | --- |\n"
        "| Llama-2-7b-Chat-GPTQ | 4bit | NVIDIA RTX 2080 Ti | 18.85 |\n"
        "| Llama-2-7b-Chat-GPTQ | 4bit | NVIDIA GTX 1660 Super | 8.5 |\n"
        "| Llama-2-7b-Chat-GPTQ | 4 bit | Google Colab T4 | 18.19 |\n"
    ))  # fmt: skip
    digest = digest_of(tmp_path)
    assert len({str(s.params) for s in digest.setups}) == 1, digest.setups


def _pc(gpu: str, cpu: str | None, rate: float) -> str:
    """A benchmark JSON of one PC: its hardware block and two raw Ollama answers."""
    hardware: dict[str, object] = {"machine": "AMD64", "gpus": [{"name": gpu}]}
    if cpu is not None:
        hardware["processor"] = cpu
    entries = [
        {"model": "gemma3:4b", "temperature": t, "load_duration": 90_000_000,
         "eval_count": 256, "eval_duration": int(256 / (rate + t) * 1e9)}
        for t in (0.7, 1.0)
    ]  # fmt: skip
    return json.dumps({"hardware": hardware, "entries": entries})


def test_two_pcs_with_one_gpu_model_are_two_machines_by_their_cpus(tmp_path: Path) -> None:
    """Jesuwin25/Shram-Benchmark: two contributors' PCs have an RTX 2070 SUPER, one with an
    Intel CPU (12.5 tok/s on gemma3:4b), one with an AMD (19.6): machines were named by their
    GPU, so the two PCs were one machine whose sessions disagree. CPUs that are certainly two
    (two makers, or one tool's words with other digits) make two machines; one CPU worded two
    ways by two tools, or no CPU stated, leaves one."""
    gpu = "NVIDIA GeForce RTX 2070 SUPER"
    intel = "Intel64 Family 6 Model 158 Stepping 12, GenuineIntel"
    amd = "AMD64 Family 23 Model 113 Stepping 0, AuthenticAMD"
    _write(tmp_path / "two" / "a" / "results.json", _pc(gpu, intel, 12.0))
    _write(tmp_path / "two" / "b" / "results.json", _pc(gpu, amd, 19.0))
    machines = {s.machine for s in digest_of(tmp_path / "two").stats if s.machine}
    assert machines == {gpu, f"{gpu} + AMD64 Family 23 Model 113"}

    ryzen = "AMD Ryzen 7 3700X 8-Core Processor"  # the AMD PC's CPU in another tool's words
    _write(tmp_path / "one" / "a" / "results.json", _pc(gpu, amd, 19.0))
    _write(tmp_path / "one" / "b" / "results.json", _pc(gpu, ryzen, 19.5))
    _write(tmp_path / "one" / "c" / "results.json", _pc(gpu, None, 19.2))
    machines = {s.machine for s in digest_of(tmp_path / "one").stats if s.machine}
    assert machines == {gpu}

    for name, clock in (("a", 3600), ("b", 4100)):  # one CPU, its clock written per run
        cpu = f"AMD Ryzen 7 3700X 8-Core Processor ({clock} MHz)"
        _write(tmp_path / "clock" / name / "results.json", _pc(gpu, cpu, 19.0))
    machines = {s.machine for s in digest_of(tmp_path / "clock").stats if s.machine}
    assert machines == {gpu}


def test_a_file_of_other_measurements_stating_no_settings_is_no_baseline_at_defaults(
    tmp_path: Path,
) -> None:
    """bhodgens/local-llm-benchmarks: final_results.json (one row a model: coding scores and
    one decode rate from an agentic eval, no settings) was "the baseline at the engine's
    defaults" against bench_results' speculative-decoding configs (two decode runs and a
    prompt rate each), and got a best config of its own. It states no settings because it
    states nothing of them; its file measured less than the configs' did, so it is no
    evidence of defaults. ChimeraForge's quantisation bench (no settings) beside its
    parameter sweep measured the same figures, the same tool's output: that one stays the
    baseline at Ollama's defaults."""
    _write(tmp_path / "bench_results.json", json.dumps({
        "Heretic-35B-Q4_K_M.gguf [no-spec]": {"prompt_eval_tps": 90.1, "decode_tps_1": 25.3,
                                              "decode_tps_2": 25.4, "decode_tps_avg": 25.35},
        "Heretic-35B-Q4_K_M.gguf [MTP-n3]": {"prompt_eval_tps": 88.0, "decode_tps_1": 23.1,
                                             "decode_tps_2": 23.3, "decode_tps_avg": 23.2},
    }))  # fmt: skip
    _write(tmp_path / "final_results.json", json.dumps([
        {"name": "Heretic-35B Q4_K_M", "human_eval": 0.8, "tau2": 0.5, "decode_tps": 27.8,
         "gpu": "3060"},
    ]))  # fmt: skip
    found = compute_findings(digest_of(tmp_path))
    assert not [f for f in found if f.kind == "baseline"], [f.text for f in found]
    assert not [f for f in found if "settings not stated" in f.text and f.kind == "best_config"]

    ollama = tmp_path / "ollama"
    columns = "ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,eval_count"
    _write(ollama / "ollama_quant_bench.csv", f"model,prompt_index,{columns}\n" + "".join(
        f"llama3.1:8b-q4_0,{i},0.1,{76 + i / 10},0.07,0.05,3.6,267\n" for i in range(1, 6)
    ))  # fmt: skip
    _write(ollama / "ollama_param_tuning.csv", f"model,num_gpu,num_ctx,{columns}\n" + "".join(
        f"llama3.1:8b-q4_0,{gpu},{ctx},0.1,{77 + gpu / 1000},0.08,0.02,1.3,99\n"
        for gpu in (40, 999) for ctx in (1024, 2048)
    ))  # fmt: skip
    found = compute_findings(digest_of(ollama))
    (base,) = [f for f in found if f.kind == "baseline"]
    assert "at the engine's defaults (ollama_quant_bench.csv)" in base.text


def test_mlperf_scenarios_name_the_reported_throughputs_they_set_apart(tmp_path: Path) -> None:
    """MLPerf LoadGen summaries of one model on one system, Offline, Server and Interactive:
    the reported-throughput finding labelled the Offline run "settings not stated" beside the
    server runs' request rates, and the Interactive run only by its rate. The scenario is the
    setup's label (an Offline run states no rate because it offers all its load at once)."""
    system = "8xMI300X_2xEPYC_9575F"
    described = {"accelerator_model_name": "AMD Instinct MI300X", "framework": "vLLM 0.9.0",
                 "accelerators_per_node": 8}  # fmt: skip
    _write(tmp_path / "systems" / f"{system}.json", json.dumps(described))
    runs = {
        "Offline": _mlperf_summary("Offline", 27803.9, 0, 90),
        "Server": _mlperf_summary("Server", 24593.77, 883893996, 83.5),
        "Interactive": _mlperf_summary("Server", 8840.42, 117895000, 29.5),
    }
    for scenario, text in runs.items():
        run = tmp_path / "results" / system / "llama2-70b-99" / scenario / "performance" / "run_1"
        _write(run / "mlperf_log_summary.txt", text)
    found = compute_findings(digest_of(tmp_path))
    (reported,) = [f for f in found if f.title.startswith("reported throughput of llama2-70b")]
    assert "settings not stated" not in reported.text
    assert (
        "27,803.90 tok/s in Offline, 24,593.77 tok/s in Server with request_rate=83.5 and "
        "8840.42 tok/s in Interactive with request_rate=29.5"
    ) in reported.text, reported.text


def _load_run(concurrency: int, sent: int, done: int, rate: float) -> dict:
    """One concurrency level of a load script's JSON (sariekr/gpu_conc's shape): the run's
    own figures beside the `test_config` it was given."""
    return {
        "concurrency": concurrency, "total_requests_sent": sent, "successful_requests": done,
        "failed_requests": sent - done, "system_output_throughput": rate,
        "requests_per_second": rate / 899.1357, "median_ttft": 59.335113 + concurrency / 7,
        "median_end_to_end_latency": 6634.356618 + concurrency * 5.9,
        "median_output_speed_per_query": 150.0 / concurrency,
        "gpu_info": {"model": "NVIDIA H100 PCIe", "count": 1}, "model": "openai/gpt-oss-20b",
        "test_config": {"input_tokens": 1000, "output_tokens": 1000, "request_timeout": 30},
    }  # fmt: skip


def test_a_load_scripts_system_throughput_is_read_and_its_config_is_no_count(
    tmp_path: Path,
) -> None:
    """`system_output_throughput` is the run's output tokens a second (all requests); the
    1000 output tokens under `test_config` were asked for, never a count generated."""
    for c, rate in ((1, 149.76), (4, 521.76)):
        _write(tmp_path / "H100" / f"benchmark_concurrency_{c}.json",
               json.dumps(_load_run(c, 34, 34, rate)))  # fmt: skip
    digest = digest_of(tmp_path)
    rates = {
        s.group: s.mean
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "config_name"
    }
    assert rates == {"concurrency=1": 149.76, "concurrency=4": 521.76}
    assert not any(s.metric in ("eval_count", "prompt_eval_count") for s in digest.stats)


def test_failed_requests_of_a_summary_restating_runs_are_counted_once(tmp_path: Path) -> None:
    """A run that completed 485 of 551 requests, and a summary file that restates it: one
    row where some requests failed, not two."""
    runs = [_load_run(1, 34, 34, 149.760618), _load_run(1024, 551, 485, 2371.156234)]
    for run in runs:
        _write(tmp_path / "H100" / f"benchmark_concurrency_{run['concurrency']}.json",
               json.dumps(run))  # fmt: skip
    summary = {"test_info": {"timestamp": "20250811_091131"}, "results": runs}
    _write(tmp_path / "H100" / "benchmark_summary_20250811.json", json.dumps(summary))
    digest = digest_of(tmp_path)
    [some] = digest.some_requests_failed
    assert some.path == "H100/benchmark_concurrency_1024.json"
    assert (some.rows, some.completed, some.requested) == (1, 485, 551)


def test_a_bench_serve_list_of_per_request_errors_fails_a_row_only_if_all_failed(
    tmp_path: Path,
) -> None:
    """vLLM's bench serve --save-result writes `errors` with one entry per request, "" for
    each that succeeded (simon-mo/R1-Benchmark: 500 of them): no failed row. A run where
    every request failed is one; one where some did is told by completed < num_prompts."""
    base = {"backend": "vllm", "model_id": "deepseek-ai/DeepSeek-R1", "request_rate": 10.0}
    runs = {
        "ok.json": {"num_prompts": 500, "completed": 500, "output_throughput": 1380.59,
                    "mean_ttft_ms": 125.43, "errors": [""] * 500},
        "some.json": {"num_prompts": 3, "completed": 2, "output_throughput": 95.5,
                      "mean_ttft_ms": 88.1, "errors": ["", "timeout", ""]},
        "none.json": {"num_prompts": 2, "completed": 0, "output_throughput": 0.0,
                      "mean_ttft_ms": 0.0, "errors": ["refused", "refused"]},
    }  # fmt: skip
    for name, run in runs.items():
        _write(tmp_path / name, json.dumps({**base, **run}))
    digest = digest_of(tmp_path)
    assert [e.path for e in digest.error_rows] == ["none.json"]
    rates = {s.sources[0]: s.mean for s in digest.stats if s.metric == "tokens_per_s"}
    assert rates["ok.json"] == 1380.59 and rates["some.json"] == 95.5


def _bench_serve(input_len: int, output_len: int, rate: float, prompts: int = 50) -> dict:
    """A `benchmark_serving.py --save-result` payload of random prompts, as vLLM 0.8 writes
    it: `backend` is the client's API, whatever server answered."""
    return {
        "backend": "vllm", "model_id": "deepseek-ai/DeepSeek-R1", "request_rate": 10.0,
        "num_prompts": prompts, "completed": prompts, "total_input_tokens": input_len * prompts,
        "total_output_tokens": output_len * prompts, "output_throughput": rate,
        "mean_ttft_ms": 700.0 + input_len / 10,
    }  # fmt: skip


def test_a_bench_clients_backend_yields_to_the_engine_its_file_name_names(
    tmp_path: Path,
) -> None:
    """simon-mo/R1-Benchmark: `sgl-1000-2000.json` and `trt-1000-2000.json` say "backend":
    "vllm" (the API the client spoke); their servers were SGLang and TensorRT-LLM."""
    for name, rate in (("vllm", 1145.36), ("sgl", 960.76), ("trt", 1602.40)):
        _write(tmp_path / f"{name}-1000-2000.json", json.dumps(_bench_serve(1000, 2000, rate)))
    digest = digest_of(tmp_path)
    engines = {
        s.sources[0]: s.engine
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "file"
    }
    assert engines == {
        "vllm-1000-2000.json": "vLLM",
        "sgl-1000-2000.json": "SGLang",
        "trt-1000-2000.json": "TensorRT-LLM",
    }


def test_a_serving_runs_chosen_prompt_length_is_its_workload(tmp_path: Path) -> None:
    """Runs of 1000- and 30000-token prompts (told apart only by their file names and their
    prompt tokens per request) are two workloads, never one setup's repetitions; a dataset's
    mean prompt (ShareGPT's 205.95 tokens) is no length anyone chose, and no workload."""
    _write(tmp_path / "vllm-1000-2000.json", json.dumps(_bench_serve(1000, 2000, 1145.36)))
    _write(tmp_path / "vllm-30000-100.json", json.dumps(_bench_serve(30000, 100, 37.31)))
    sharegpt = {**_bench_serve(0, 0, 1380.59, 500), "total_input_tokens": 102975}
    _write(tmp_path / "vllm-sharegpt.json", json.dumps(sharegpt))
    digest = digest_of(tmp_path)
    workloads = {
        s.workload: s.sources
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.workload is not None
    }
    assert workloads == {
        "input 1000 tokens a request": ["vllm-1000-2000.json"],
        "input 30000 tokens a request": ["vllm-30000-100.json"],
    }
    assert not [f for f in compute_findings(digest) if "stability" in f.title]


def test_expert_parallelism_in_a_file_name_is_a_setting() -> None:
    """`vllm-1000-2000-ep.json` beside `vllm-1000-2000-.json` is vLLM with and without
    --enable-expert-parallel; `ep8` a degree of it; `sleep_step.json` names none."""
    assert dict(settings_from_path("h200/vllm-1000-2000-ep.json")) == {"expert_parallel": "on"}
    assert dict(settings_from_path("h200/vllm-1000-2000-.json")) == {}
    assert dict(settings_from_path("r/ds_tp8_ep8.json")) == {
        "tensor_parallel": 8,
        "expert_parallel": 8,
    }
    assert "expert_parallel" not in dict(settings_from_path("logs/sleep_step.json"))


def test_a_sweeps_gpu_count_and_equal_lengths_are_a_setting_and_a_workload(
    tmp_path: Path,
) -> None:
    """argonne-lcf/LLM-Inference-Bench's All_results.csv: "Num of Hardware" (1, 4 GPUs of one
    model) is a setting, and "Input Output Length" (128, 2048) the workload, both lengths: a
    model's rows at one batch size are never five repetitions "beyond the run-to-run spread"."""
    rows = ["Hardware,Num of Hardware,Framework,Model,Input Output Length,Batch Size,Latency,"
            "Throughput"]  # fmt: skip
    for gpus, rates in ((1, (371.9, 350.1)), (4, (110.9, 98.9))):
        for length, rate in zip((128, 2048), rates, strict=True):
            rows.append(f"Nvidia H100 GPU,{gpus},TensorRT-LLM,m/M-7B,{length},1,0.7,{rate}")
    _write(tmp_path / "All_results.csv", "\n".join(rows) + "\n")
    digest = digest_of(tmp_path)
    groups = {
        (s.group, s.workload): (s.n, s.mean)
        for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "model+config_name+workload"
    }
    assert groups == {
        ("m/M-7B / num_batch=1, gpu_count=1", "input 128 / output 128"): (1, 371.9),
        ("m/M-7B / num_batch=1, gpu_count=1", "input 2048 / output 2048"): (1, 350.1),
        ("m/M-7B / num_batch=1, gpu_count=4", "input 128 / output 128"): (1, 110.9),
        ("m/M-7B / num_batch=1, gpu_count=4", "input 2048 / output 2048"): (1, 98.9),
    }


def test_a_script_capture_headings_closing_hashes_are_not_the_section(tmp_path: Path) -> None:
    """A shell script's `echo "### GPU 0 ONLY ###"` above each llama-bench table (1337hero's
    RX 7900 XTX captures): CommonMark reads the closing `#`s as no part of the heading, and
    the section was `GPU 0 ONLY ###` in every setup and sentence."""
    header = (
        "| model | size | params | backend | ngl | fa | test | t/s |\n"
        "| --- | ---: | ---: | --- | --: | -: | ---: | ---: |\n"
    )
    row = "| llama 7B Q4_0 | 3.56 GiB | 6.74 B | Vulkan | 100 | 1 | tg128 | {} ± 0.10 |\n"
    capture = "".join(
        f"### {section} ###\n{header}{row.format(rate)}\nbuild: 34ce48d97 (7356)\n\n"
        for section, rate in (("GPU 0 ONLY", 129.07), ("DUAL GPU", 105.24))
    )
    _write(tmp_path / "vulkan_benchmark.txt", capture)
    digest = digest_of(tmp_path)
    sections = {str(s.params.get("section")) for s in digest.setups}
    assert sections == {"GPU 0 ONLY", "DUAL GPU"}
    rates = {
        str(s.group): s.mean
        for s in digest.stats
        if s.group_by == "config_name" and s.metric == "tokens_per_s" and s.aggregate != "std"
    }
    assert sorted(rates.values()) == [105.24, 129.07]
    assert not any("#" in group for group in rates)


def _capture(rows: list[tuple[str, str]]) -> str:
    """A script's capture of one llama-bench Markdown table of GPU 0 at fa 0, n_batch 256."""
    return (
        "### GPU 0 ONLY ###\n"
        "| model | size | params | backend | ngl | n_batch | fa | test | t/s |\n"
        "| --- | ---: | ---: | --- | --: | ---: | -: | ---: | ---: |\n"
        + "".join(
            f"| llama 7B Q4_0 | 3.56 GiB | 6.74 B | Vulkan | 100 | 256 | 0 | {test} | {cell} |\n"
            for test, cell in rows
        )
        + "\nbuild: 34ce48d97 (7356)\n"
    )


def test_files_reporting_one_setup_far_apart_are_not_its_repetitions(tmp_path: Path) -> None:
    """1337hero's captures state the same llama-bench settings (GPU 0, fa 0, n_batch 256) and
    pp512 758.22 in one, 2529.75 in the next: a ReBAR / slot change only the README names.
    The setup's mean over the files (1643.99) was read as its figure and no finding named the
    gap; tg128, 85.99 against 86.17, agrees within the files' spread and is said nothing of."""
    _write(
        tmp_path / "bench_1048.txt",
        _capture([("pp512", "758.22 ± 1.75"), ("tg128", "85.99 ± 0.02")]),
    )
    _write(
        tmp_path / "bench_1306.txt",
        _capture([("pp512", "2529.75 ± 34.13"), ("tg128", "86.17 ± 0.08")]),
    )
    findings = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "sessions"]
    assert len(findings) == 1
    (finding,) = findings
    assert (
        "n_prompt=512" in finding.title
        and "2529.75 tok/s prompt processing in bench_1306.txt" in finding.text
    )
    assert (
        "3.3x the lowest" in finding.text
        and "758.22 tok/s prompt processing in bench_1048.txt" in finding.text
        and "± 34.13 at most" in finding.text
    )
    ratio = next(x for x in finding.figures if x.unit == "x")
    assert round(ratio.value, 4) == round(2529.75 / 758.22, 4)
    assert finding.sources == ["bench_1048.txt", "bench_1306.txt"]


def test_files_apart_within_their_stated_deviations_are_not_said_to_disagree(
    tmp_path: Path,
) -> None:
    """Two captures 12 % apart, each mean ± a deviation wide enough to span the gap: the
    repetitions' own scatter may explain it, so no finding says the files disagree."""
    _write(tmp_path / "a.txt", _capture([("pp512", "1000.00 ± 30.00")]))
    _write(tmp_path / "b.txt", _capture([("pp512", "1120.00 ± 20.00")]))
    assert not [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "sessions"]


def _grid(header: list[str], rows: list[list[object]], head_rule: str = "=") -> str:
    """A Python tabulate "grid" table (head_rule "=") or a "psql" one ("-"), indented as a
    console capture prints it."""
    rule = "+" + "+".join("-" * 12 for _ in header) + "+"
    line = lambda cells: "| " + " | ".join(f"{c!s:>10}" for c in cells) + " |"  # noqa: E731
    out = [rule, line(header), rule.replace("-", head_rule)]
    for row in rows:
        out += [line(row)] + ([rule] if head_rule == "=" else [])
    if head_rule != "=":
        out.append(rule)
    return "\n".join("  " + text for text in out) + "\n"


_TEDSLUIS_HEADER = [
    "Model", "Prompt", "Test Run", "Latency (s)", "Prompt Tokens", "Response Tokens",
    "Prompt Tok/s", "Response Tok/s",
]  # fmt: skip
# tedsluis' rows: both rates are the row's tokens over its whole latency (total_duration)
_TEDSLUIS_ROWS = [
    ["mistral:7b", "Write a Python...", 1, 9.8, 17, 348, 1.74, 35.53],
    ["mistral:7b", "Explain the...", 1, 9.79, 17, 391, 1.74, 39.97],
    ["mistral:7b", "Write a Python...", 2, 5.62, 17, 228, 3.03, 40.6],
    ["mistral:7b", "Explain the...", 2, 7.32, 17, 294, 2.32, 40.19],
]


@pytest.mark.parametrize("head_rule", ["=", "-"])
def test_a_console_grid_table_is_read(tmp_path: Path, head_rule: str) -> None:
    """tedsluis' RESULTS.md prints its runs as tabulate's "grid" table (`+----+` between rows,
    `+====+` under the header): read as no table, 0 rows, and the file was said to be read.
    Its "psql" sibling draws the header's rule with dashes."""
    _write(
        tmp_path / "RESULTS.md", "Results:\n" + _grid(_TEDSLUIS_HEADER, _TEDSLUIS_ROWS, head_rule)
    )
    digest = digest_of(tmp_path)
    throughput = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert len(throughput) == 1 and throughput[0].n == 4
    assert round(throughput[0].mean, 4) == round((35.53 + 39.97 + 40.6 + 40.19) / 4, 4)


def test_a_test_run_number_is_no_setting(tmp_path: Path) -> None:
    """tedsluis' "Test Run" 1 and 2 is which repetition a row is: it was read as a setting,
    test_run=2 set against test_run=1 as if two setups ran."""
    _write(tmp_path / "RESULTS.md", _grid(_TEDSLUIS_HEADER, _TEDSLUIS_ROWS))
    digest = digest_of(tmp_path)
    assert not any("test_run" in setup.params for setup in digest.setups)
    assert not any("test_run" in str(s.group) for s in digest.stats)


def test_rates_over_the_whole_request_are_no_phase_rates(tmp_path: Path) -> None:
    """tedsluis' script divides prompt_eval_count and eval_count by total_duration: "Prompt
    Tok/s" 1.74 for 17 tokens in a 9.8 s request was read as prompt processing ("codellama
    5.8x as fast as gemma3:4b"), and "Response Tok/s" as the generation rate. The prompt rate
    is left unread with a unit note; a finding quoting the output rate says what it counts."""
    _write(tmp_path / "RESULTS.md", _grid(_TEDSLUIS_HEADER, _TEDSLUIS_ROWS))
    digest = digest_of(tmp_path)
    assert not [s for s in digest.stats if s.metric == "prompt_tokens_per_s"]
    notes = {n.column: n.unit for n in digest.unit_notes}
    assert notes["Prompt Tok/s"].startswith("prompt tokens / the whole request's time")
    assert notes["Response Tok/s"].startswith("output tokens / the whole request's time")
    quoting = [
        f for f in compute_findings(digest) if any(x.metric == "tokens_per_s" for x in f.figures)
    ]
    assert quoting and all("over its whole request" in f.text for f in quoting)


def test_a_prompt_rate_over_its_own_phase_is_kept(tmp_path: Path) -> None:
    """The same table where the prompt rate is prompt tokens over the prompt's evaluation
    (17 tokens at 340 tok/s: 0.05 s of a 9.8 s request) is a prompt-processing rate."""
    rows = [[*row[:6], 340.0 + i, row[7]] for i, row in enumerate(_TEDSLUIS_ROWS)]
    _write(tmp_path / "RESULTS.md", _grid(_TEDSLUIS_HEADER, rows))
    digest = digest_of(tmp_path)
    assert [s for s in digest.stats if s.metric == "prompt_tokens_per_s" and s.group_by is None]
    assert not digest.unit_notes


_ARC_NOTE = """# ollama-benchmark on Intel Arc A770 dGPU

# My Setup

dPGU: two Intel Arc A770 Limited Edition with 16Gb VRAM. No overclock.

Motherboard + CPU: Asrock X399 + Threadripper 1950x.

# My Results

|Model name|Average Evaluation Rate|Power Usage (1st card + 2nd card)|
|:--|:--|:--|
|phi4:14b|19.08 tokens/second|90W + 92W|
|qwen3:30b|11.76 tokens/second|73W + 68W|
"""


def test_an_average_evaluation_rate_column_is_generation_throughput(tmp_path: Path) -> None:
    """okazaki's README: `ollama run --verbose`'s eval rate spelt out, "Average Evaluation
    Rate" over "19.08 tokens/second": no metric was recognised, the table was listed as
    holding none and the six models' figures went unread."""
    _write(tmp_path / "README.md", _ARC_NOTE)
    digest = digest_of(tmp_path)
    rates = sorted(
        s.mean for s in digest.stats if s.metric == "tokens_per_s" and s.group_by == "model"
    )
    assert rates == [11.76, 19.08]
    assert all(
        s.aggregate == "mean" for s in digest.stats if s.metric == "tokens_per_s"
    )  # the file's own means of its runs


def test_a_notes_my_setup_section_names_its_machine(tmp_path: Path) -> None:
    """The same README names its hardware under "# My Setup" in prose: the section was not
    taken for a system section (only "System Information", "Hardware", ...), and the figures
    had no machine. The scope says where it was read (it said "the cpp's device lines) field
    of README.md" of every machine a note named, a derived column's name cut at its dot)."""
    _write(tmp_path / "README.md", _ARC_NOTE)
    digest = digest_of(tmp_path)
    assert digest.machines == ["Arc A770"]
    assert [s.evidence for s in digest.scopes] == ["the note's system section of README.md"]


def test_a_setup_section_of_install_steps_leaves_the_hardware_section_read(
    tmp_path: Path,
) -> None:
    """A README's "## Setup" (install steps, no machine) above its "## Hardware": once
    "setup" read as a system section's heading, the first such section ended the search,
    and the machine the "## Hardware" section names was lost."""
    note = _ARC_NOTE.replace(
        "# My Setup\n", "## Setup\n\nInstall Ollama, then pull the models.\n\n# Hardware\n"
    )
    _write(tmp_path / "README.md", note)
    digest = digest_of(tmp_path)
    assert digest.machines == ["Arc A770"]
    assert [s.evidence for s in digest.scopes] == ["the note's system section of README.md"]


def test_a_system_heading_with_closing_hashes_is_a_system_section(tmp_path: Path) -> None:
    """A script's `echo "### Hardware ###"` (CommonMark: the heading "Hardware", as
    1337hero's "### GPU 0 ONLY ###" is read): its section names the machine as "# Hardware"
    does; the closing hashes kept it from being taken for a system section."""
    _write(tmp_path / "README.md", _ARC_NOTE.replace("# My Setup\n", "### Hardware ###\n"))
    digest = digest_of(tmp_path)
    assert digest.machines == ["Arc A770"]
    assert [s.evidence for s in digest.scopes] == ["the note's system section of README.md"]


def test_a_files_models_reported_side_by_side(tmp_path: Path) -> None:
    """okazaki's README reports six models' mean eval rates in one table, one machine, one
    prompt: each model was its own finding ("reported throughput of qwen3:4b"), and no
    finding read the table across its rows (qwen3:4b 1.96x qwen3:30b)."""
    _write(tmp_path / "README.md", _ARC_NOTE)
    found = [f for f in compute_findings(digest_of(tmp_path)) if "side by side" in f.text]
    assert len(found) == 1
    (finding,) = found
    assert "phi4:14b 19.08 tok/s, qwen3:30b 11.76 tok/s" in finding.text
    ratio = next(x for x in finding.figures if x.unit == "x")
    assert round(ratio.value, 4) == round(19.08 / 11.76, 4)
    assert finding.verdict == "info"


def test_models_in_files_of_their_own_are_not_set_side_by_side(tmp_path: Path) -> None:
    """Two READMEs, one model each: they may have run other workloads (MLPerf's benchmarks,
    each its own dataset), so only one file's table is read across its rows."""
    for name, row in (
        ("a", "|phi4:14b|19.08 tokens/second|"),
        ("b", "|qwen3:30b|11.76 tokens/second|"),
    ):
        _write(
            tmp_path / name / "README.md",
            "# Results\n\n|Model name|Average Evaluation Rate|\n|:--|:--|\n" + row + "\n",
        )
    assert not [f for f in compute_findings(digest_of(tmp_path)) if "side by side" in f.text]


def _sections_note(heading: str) -> str:
    """A llama-bench log as 1337hero's vulkan benchmark script writes it: each device's
    table under a `### ... ###` banner, fa off and on."""
    bench = "| model | size | params | backend | ngl | fa | test | t/s |\n"
    bench += "| --- | ---: | ---: | --- | --: | -: | ---: | ---: |\n"
    row = "| llama 7B Q4_0 | 3.56 GiB | 6.74 B | Vulkan | 100 | {fa} | tg128 | {ts} |\n"
    note = ""
    for gpu, (off, on) in (("0", ("86.06 ± 0.13", "129.07 ± 0.21")),
                           ("1", ("32.04 ± 0.01", "57.67 ± 0.03"))):  # fmt: skip
        note += "\n" + heading.format(gpu=gpu) + "\n" + bench
        note += row.format(fa=0, ts=off) + row.format(fa=1, ts=on)
    return note


def test_a_headings_closing_hashes_are_no_part_of_its_title(tmp_path: Path) -> None:
    """1337hero's llama-bench logs: `### GPU 0 ONLY ###` above each device's table. The
    closing `###` (Markdown's optional closing sequence) was kept in the section's name, and
    every finding said `section=GPU 0 ONLY ###`. A `#` that ends a word (`C#`) stays."""
    _write(tmp_path / "vulkan_benchmark.txt", _sections_note("### GPU {gpu} ONLY ###"))
    sections = {s.params.get("section") for s in digest_of(tmp_path).setups}
    assert sections == {"GPU 0 ONLY", "GPU 1 ONLY"}
    _write(tmp_path / "vulkan_benchmark.txt", _sections_note("## Runs of GPU {gpu} in C#"))
    sections = {s.params.get("section") for s in digest_of(tmp_path).setups}
    assert sections == {"Runs of GPU 0 in C#", "Runs of GPU 1 in C#"}


def test_llama_bench_fa_column_is_one_setting_flash_attn(tmp_path: Path) -> None:
    """1337hero's llama-bench logs: the `fa` column was a setting twice, `fa` (a column named
    like a setting) and llama-bench's `flash_attn`, so every finding said `fa=1, flash_attn=1`
    and flash attention on against off, alike but for one setting, was compared nowhere."""
    _write(tmp_path / "vulkan_benchmark.txt", _sections_note("### GPU {gpu} ONLY ###"))
    digest = digest_of(tmp_path)
    assert {tuple(sorted(s.params)) for s in digest.setups} == {
        ("flash_attn", "n_gen", "num_gpu", "section")
    }
    [finding] = [f for f in compute_findings(digest) if "reported throughput" in f.title]
    text = finding.text.replace("\n", " ")
    assert "fa=" not in text.replace("flash_attn=", "")
    assert "flash_attn=0 against flash_attn=1" in text


def test_quantisations_are_ranked_on_the_prompts_every_one_ran(tmp_path: Path) -> None:
    """chimeraforge's ollama_quant_bench.csv: the q5_K_M's and q8_0's first prompt loaded the
    model (left out as cold), the q4_0's did not, and its first prompt (22 tokens) ran at 324
    tok/s prompt processing against 2510 on the other four. The model ranking held every
    variant to the 4 prompts all ran (q4_0 first, 2509.96); the quantisation finding pooled
    the q4_0's fifth and ranked the q5_K_M above it (2072.87): two findings, two orders."""
    rows = ["model,prompt_index,tokens_s,prompt_eval_s,prompt_eval_count,load_s"]
    rates = {"q4_0": (77.0, 2500.0), "q5_K_M": (65.0, 2250.0), "q8_0": (46.7, 1700.0)}
    for tag, (tg, pp) in rates.items():
        for prompt in range(1, 6):
            cold = prompt == 1 and tag != "q4_0"
            load, prompt_pp = (6.2 if cold else 0.07), (300.0 if prompt == 1 else pp + prompt)
            rows.append(
                f"llama3.1:8b-instruct-{tag},{prompt},{tg + prompt / 10},"
                f"{20 / prompt_pp:.6f},20,{load}"
            )
    _write(tmp_path / "ollama_quant_bench.csv", "\n".join(rows) + "\n")
    findings = compute_findings(digest_of(tmp_path))
    (quant,) = [f for f in findings if f.kind == "quantization"]
    text = quant.text.replace("\n", " ")
    pp_part = text.split("prompt processing: ", 1)[1]
    order = [pp_part.index(f"llama3.1:8b-instruct-{tag.lower()} ") for tag in rates]
    assert order == sorted(order)  # q4_0, q5_k_m, q8_0: as over the prompts all three ran
    assert "llama3.1:8b-instruct-q4_0's one other prompt" in text
    assert text.count("Each figure is over the 4 prompts every model ran") == 1


def _split_note(rows: list[tuple[int, str, str]]) -> str:
    """anantpathak's 4-GPU report: `llama-bench -ts 8,8,0,0` ran four tests (a comma
    separates test values; a split is written 8/8/0/0), so ts=8 and ts=0 are each in the
    table twice. `rows`: (threads, ts, t/s) each."""
    head = "| model | size | params | backend | threads | ts | test | t/s |\n"
    head += "| --- | ---: | ---: | --- | ---: | --- | ---: | ---: |\n"
    row = "| qwen3 8B Q5_K - Medium | 5.44 GiB | 8.19 B | CUDA | {n} | {ts} | tg128 | {t} |\n"
    return "# Results\n\n" + head + "".join(row.format(n=n, ts=ts, t=t) for n, ts, t in rows)


def test_a_llama_bench_test_reported_again_is_its_mean_not_left_unsaid(tmp_path: Path) -> None:
    """anantpathak's A30 reports: ts=8 (one GPU) and ts=0 (the default split over four)
    each twice a table, in four sessions' reports. A setup reported more than once was left
    out of every finding, so the split's 28 % loss (54.41 against 75.29 tok/s) was said
    nowhere. A llama-bench test's rows alike in every parameter are that test again: their
    mean stands for it, said as such, with their range; two levels of a setting of more
    (ts 0, 4, 8) alike otherwise are set side by side."""
    first = [(64, "8.00", "75.66 ± 0.1"), (64, "8.00", "75.70 ± 0.1"), (64, "0.00", "54.10"),
             (64, "0.00", "54.30 ± 0.1"), (32, "4.00", "75.20 ± 0.1")]  # fmt: skip
    again = [(64, "8.00", "75.10 ± 0.1"), (64, "8.00", "75.30 ± 0.1"), (64, "0.00", "54.60"),
             (64, "0.00", "54.40 ± 0.1"), (32, "4.00", "75.40 ± 0.1")]  # fmt: skip
    _write(tmp_path / "a30" / "results_4gpu_1.md", _split_note(first))
    _write(tmp_path / "a30" / "results_4gpu_2.md", _split_note(again))
    findings = compute_findings(digest_of(tmp_path))
    [reported] = [f for f in findings if f.kind == "reported"]
    text = " ".join(reported.text.split())
    assert "75.44 tok/s (the mean of 4 rows in 2 files, from 75.10 to 75.70 tok/s)" in text
    assert "54.35 tok/s (the mean of 4 rows in 2 files, from 54.10 to 54.60 tok/s)" in text
    alike = "tensor_split=0 against tensor_split=8 (n_gen=128, num_thread=64 alike) gives 0.72x"
    assert alike in text


def test_the_machine_a_side_by_side_compares_with_is_listed(tmp_path: Path) -> None:
    """h2oGPT's perf.md, 12 machines at bits=4: the listing showed the 10 fastest "and 2
    more", then "1 x RTX 6000 Ada reports 2.11x the figure of 2 x RTX 3090", a machine the
    listing had hidden among the 2. The slowest, which the comparison names, ends the list."""
    head = "gpu_info,backends,model_filename,model_type,n_threads,n_gpu_layers,n_prompt,n_gen,"
    head += "avg_ns,stddev_ns,avg_ts,stddev_ts"
    for card in range(12):
        row = f'"GPU {card:02d}",CUDA,/m/Qwen3-8B-Q4_K_M.gguf,"qwen3 8B",8,99,0,128,1,0'
        _write(tmp_path / f"gpu{card:02d}.csv", f"{head}\n{row},{200.0 - 10 * card},0.1\n")
    [found] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    text = " ".join(found.text.split())
    assert "GPU 08 120.00 ± 0.10, 2 more, down to GPU 11 90.00 ± 0.10 tok/s." in text
    assert "GPU 00 reports 2.22x the figure of GPU 11." in text


def test_a_config_names_words_beside_its_settings_are_its_variant(tmp_path: Path) -> None:
    """bhodgens' bench_cfg_results.json names each config "cpu-moe ngl=99 ubatch=256 thr=4":
    the settings it states, and the rest of the name under a setting of ours, `heading`, so a
    finding held "ubatch=256, heading=cpu-moe" fixed and advised "keep heading=cpu-moe". The
    rest of a config's name is its `variant`."""
    runs = {
        f"{moe} ngl={ngl} ubatch=256 thr=4": {"decode_tps_1": tg, "decode_tps_2": tg + 0.1}
        for moe, ngl, tg in (("cpu-moe", 99, 25.6), ("cpu-moe", 10, 22.0),
                             ("no-cpu-moe", 99, 30.1), ("no-cpu-moe", 10, 26.2))
    }  # fmt: skip
    _write(tmp_path / "bench_cfg_results.json", json.dumps(runs))
    digest = digest_of(tmp_path)
    assert {s.params.get("variant") for s in digest.setups} == {"cpu-moe", "no-cpu-moe"}
    texts = " ".join(f.text for f in compute_findings(digest))
    assert "heading=" not in texts and "variant=no-cpu-moe held fixed" in texts


def test_two_machines_each_on_another_engine_say_so_below_the_like_pair(tmp_path: Path) -> None:
    """orionzhen's RX 7900 XTX and Radeon 8060S, each on ROCm and on Vulkan: the first of
    twelve machine comparisons set the 7900 XTX on Vulkan RADV against the 8060S on ROCm
    7.12, "[real] 2.9-3.0x", the machines' difference mixed with the backends', and said as the
    machines'. Where both machines ran an engine alike, a pair on two engines says so and
    ranks below the like-for-like pair; machines sharing no engine (Metal, CUDA) do not."""
    for gpu, rates in (("AMD Radeon RX 7900 XTX", (200.0, 190.0)), ("Radeon 8060S", (70.0, 75.0))):
        for backend, base in zip(("ROCm", "Vulkan"), rates, strict=True):
            runs = _bench(gpu, backend, 16, [base, base + 1.0, base - 1.0, base + 0.5])
            _write(tmp_path / gpu.replace(" ", "") / f"{backend}.json", json.dumps(runs))
    found = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "machine_comparison"]
    like = [f for f in found if "another engine" not in f.text]
    mixed = [f for f in found if "Each machine ran another engine here" in f.text]
    assert len(like) == 2 and len(mixed) == 2  # ROCm with ROCm, Vulkan with Vulkan; the crosses
    assert min(f.importance for f in like) > max(f.importance for f in mixed)
    assert all("each machine on another engine" in f.caveats for f in mixed)


def test_an_outcome_column_is_no_setting(tmp_path: Path) -> None:
    """ChimeraForge's TR117 report: `| Run | Speedup | Efficiency (%) | Throughput (tok/s) |`
    with speedups 1.73x and 1.74x was read as a setting, "speedup has no measurable effect
    on throughput". A speedup, an efficiency, a gain is what a run measured, not a knob."""
    rows = [("1", "1.74x", "86.84", "50.37"), ("2", "1.74x", "86.91", "49.74"),
            ("3", "1.73x", "86.78", "51.02"), ("4", "1.74x", "86.85", "50.12"),
            ("5", "1.73x", "86.72", "49.88")]  # fmt: skip
    table = "| Run | Speedup | Efficiency (%) | Throughput (tok/s) |\n|---|---|---|---|\n"
    table += "".join(f"| {r} | {s} | {e} | {t} |\n" for r, s, e, t in rows)
    _write(tmp_path / "report.md", "# Throttled runs\n\nModel: gemma3:latest\n\n" + table)
    digest = digest_of(tmp_path)
    assert not [c for c in digest.column_settings if "speedup" in c.column.lower()]
    findings = compute_findings(digest)
    assert not [f for f in findings if "speedup=" in f.text]


def test_a_bold_model_line_and_an_ollama_folder_name_name_the_model() -> None:
    """ChimeraForge's TR116 agent reports write "**Model:** gemma3:latest" (the colon inside
    the bold) in folders named `gemma3_latest/`: the model was gemma3_latest, beside runs of
    gemma3:latest elsewhere, two names of one model."""
    from chimera.ingest.digest.identity import model_from_folder
    from chimera.ingest.digest.text_results import stated_model

    assert stated_model("**Model:** gemma3:latest  ") == "gemma3:latest"
    assert stated_model("**Model**: qwen3:8b") == "qwen3:8b"
    assert stated_model("The model: is the point") is None
    assert model_from_folder("rust/gemma3_latest/gpu60/report.md") == "gemma3:latest"
    assert model_from_folder("rust/qwen2p5_7b/gpu60/report.md") == "qwen2p5_7b"  # no family


def test_a_degenerate_answer_restated_by_another_file_is_one_answer(tmp_path: Path) -> None:
    """gzhang33's deepseek-r1:8b answered 3 tokens once; the JSON beside the CSV restates that
    run, and the finding read "2 answers of at most 3.00 tokens ... the usual answer there is
    369.00 tokens". A run read twice is one answer, and token counts read as counts."""
    rows = [("m1", f"p{i}", 300 + 2 * i, 40 + i / 10) for i in range(8)] + [("m1", "p9", 3, 0.77)]
    lines = ["model,prompt,eval_count,tokens_per_s"] + [",".join(map(str, r)) for r in rows]
    _write(tmp_path / "a.csv", "\n".join(lines) + "\n")
    keys = ("model", "prompt", "eval_count", "tokens_per_s")
    _write(tmp_path / "b.json", json.dumps([dict(zip(keys, r, strict=True)) for r in rows]))
    [found] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "degenerate"]
    assert found.text.startswith("1 answer of 3 tokens is set apart"), found.text
    assert "the usual answer there is 306 tokens" in found.text


def test_a_reported_ladder_of_one_setting_reads_in_the_settings_order(tmp_path: Path) -> None:
    """savoirtech's llama3.2 on the M4 at OLLAMA_NUM_PARALLEL 1 to 64 was listed by time, 413 s
    at 16, 864 s at 32, 899 s at 8, ... 3780 s at 64, which hides the ladder (falling to 16,
    thrashing at 64). One numeric setting reads in its order; the headline still names the
    fastest setup."""
    rows = ["model,concurrency,mean_tokens_per_s"]
    rows += [f"m,{c},{r}" for c, r in ((16, 90.0), (1, 30.0), (64, 12.0), (4, 60.0))]
    _write(tmp_path / "summary.csv", "\n".join(rows) + "\n")
    [found] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"]
    assert (
        "30.00 tok/s with concurrency=1, 60.00 tok/s with concurrency=4, 90.00 tok/s with "
        "concurrency=16 and 12.00 tok/s with concurrency=64" in found.text
    ), found.text
    assert found.short().endswith("90.00 tok/s with concurrency=16 (its fastest setup)")


def test_a_warning_sign_on_a_setting_cell_is_no_part_of_its_value(tmp_path: Path) -> None:
    """jenicek's notes mark one num_ctx cell "8192 ⚠️" (a pointer to the note under the
    table): the finding read "num_ctx=8192 ⚠️", a level of its own beside 8192."""
    _write(
        tmp_path / "results.md",
        "| Model | num_ctx | Eval rate (tok/s) |\n|---|---|---|\n"
        "| gemma4:31b | 8192 ⚠️ | 3.28 |\n| gemma4:26b | 8192 | 19.09 |\n",
    )
    digest = digest_of(tmp_path)
    assert {s.params.get("num_ctx") for s in digest.setups} == {8192}


def test_a_best_config_at_a_workload_names_the_workload_once(tmp_path: Path) -> None:
    """er0080's sweep: "The fastest config for facebook/opt-125m at request_rate=inf,
    concurrency=2 is request_rate=inf, concurrency=2, max_num_seqs=8": the workload the title
    and the sentence name already, again in each config's name."""
    rows = ["model,max_num_seqs,concurrency,output_throughput"]
    rows += [f"m,4,2,{r}" for r in (93.7, 199.4)] + [f"m,8,2,{r}" for r in (191.2, 186.5)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [best] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "best_config"]
    assert best.text.startswith("The fastest config for m at concurrency=2 is max_num_seqs=8 at")
    assert "the runner-up max_num_seqs=4 at" in best.text


def test_a_best_config_told_apart_by_a_cap_that_never_binds_says_so(tmp_path: Path) -> None:
    """er0080: "the fastest config ... is max_num_seqs=8 ... 28.9 % faster" than max_num_seqs=4
    with 2 requests in flight, while the setting's own finding said the cap never binds. The
    best config says the same, and recommends no cap even where the margin is real."""
    rows = ["model,max_num_seqs,concurrency,output_throughput"]
    rows += [f"m,4,2,{r}" for r in (100, 101, 99, 100)]
    rows += [f"m,8,2,{r}" for r in (150, 151, 149, 150)]
    _write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    [best] = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "best_config"]
    assert "the cap never binds" in best.text
    assert best.recommendation is None


def test_machines_side_by_side_on_one_scenario_name_it(tmp_path: Path) -> None:
    """AMD's MLPerf submission: "Machines side by side on llama2-70b-99 with vLLM" set the
    two systems' Offline figures side by side without saying they are Offline's (their Server
    and Interactive runs, at other rates, report less). The scenario is named."""
    for system in ("8xMI325X_1", "8xMI300X"):
        described = {"accelerator_model_name": "AMD Instinct", "framework": "vLLM 0.9",
                     "accelerators_per_node": 8}  # fmt: skip
        _write(tmp_path / "systems" / f"{system}.json", json.dumps(described))
    runs = {
        ("8xMI325X_1", "Offline"): _mlperf_summary("Offline", 34520.4, 0, 116),
        ("8xMI325X_1", "Server"): _mlperf_summary("Server", 32027.57, 883893996, 109),
        ("8xMI300X", "Offline"): _mlperf_summary("Offline", 27803.9, 0, 93),
    }
    for (system, scenario), text in runs.items():
        run = tmp_path / "results" / system / "llama2-70b-99" / scenario / "performance" / "run_1"
        _write(run / "mlperf_log_summary.txt", text)
    [side] = [
        f
        for f in compute_findings(digest_of(tmp_path))
        if f.kind == "machine_comparison" and "side by side" in f.title
    ]
    assert side.text.startswith("Machines side by side on llama2-70b-99 (Offline) with vLLM")


def _context_sweep(model: str, rows: list[tuple[int, float, float, float]]) -> str:
    """An SGLang long-context sweep as a results script writes it (mattbucci's 2x-3090
    `long-context-262k.json`): per context, `throughput`, `ttft_ms` and `tpot_ms`."""
    sweep = [
        {"context": ctx, "throughput": rate, "ttft_ms": ttft, "tpot_ms": tpot}
        for ctx, rate, ttft, tpot in rows
    ]
    return json.dumps({"model": model, "engine": "SGLang", "hardware": "2x RTX 3090 TP=2",
                       "output_tokens": 100, "context_sweep": sweep})  # fmt: skip


def test_a_rate_written_as_one_figure_while_the_times_vary_is_no_measurement(
    tmp_path: Path,
) -> None:
    """mattbucci/2x-3090-GA102-300-A1-sglang-inference: 22 context sweeps whose `throughput`
    is 4.81 tok/s at every context (1K to 262K) while TPOT goes from 17 to 33 ms and TTFT
    from 40 to 490 ms (the script's parse kept the wrong line). Read as rates, they made
    "context has no measurable effect on throughput: rules out more than ±0.0 %" and a model
    "38x as fast" as another. A rate follows its time per token: left out, and said."""
    frozen = [(1024, 4.81, 39.6, 17.4), (16384, 4.81, 96.9, 21.3), (65536, 4.81, 325.4, 32.5)]
    _write(tmp_path / "a" / "probe.decode.json", _context_sweep("gemma4-31b", frozen))
    measured = [(1024, 181.17, 48.3, 5.0), (16384, 153.75, 77.2, 5.7), (65536, 109.56, 154.9, 7.6)]
    _write(tmp_path / "b" / "results.json", _context_sweep("coder-30b", measured))
    digest = digest_of(tmp_path)
    rates = [s for s in digest.stats if s.metric == "tokens_per_s"]
    assert rates and all(s.min > 100 for s in rates)
    [left_out] = [d for d in digest.dropped if d.path == "a/probe.decode.json"]
    assert left_out.count == 3 and "one figure" in left_out.reason
    ttft = [s for s in digest.stats if s.metric == "ttft_ms" and s.group_by is None]
    assert ttft and ttft[0].n == 6  # the file's times are still read


def test_a_rounded_rate_that_repeats_is_kept(tmp_path: Path) -> None:
    """A rounded rate may repeat (a README's 200 tok/s for three models at different TTFTs; a
    decode rate of 41.8 tok/s at three prompt lengths, its TTFT growing with the prompt): only
    a figure written to the hundredth is taken for a frozen one."""
    rounded = [(1024, 200.0, 40.0, 5.0), (16384, 200.0, 90.0, 5.1), (65536, 200.0, 300.0, 5.2)]
    _write(tmp_path / "a" / "results.json", _context_sweep("Qwen3-Coder-30B-AWQ", rounded))
    tenths = [(1024, 41.8, 54.0, 23.9), (16384, 41.8, 97.2, 23.9), (65536, 41.8, 279.8, 23.9)]
    _write(tmp_path / "b" / "results.json", _context_sweep("gemma4-12b", tenths))
    rates = {s.group: s for s in digest_of(tmp_path).stats
             if s.metric == "tokens_per_s" and s.group_by == "model"}  # fmt: skip
    assert (rates["Qwen3-Coder-30B-AWQ"].n, rates["Qwen3-Coder-30B-AWQ"].mean) == (3, 200.0)
    assert (rates["gemma4-12b"].n, rates["gemma4-12b"].mean) == (3, 41.8)


def test_a_ttft_of_zero_is_not_measured(tmp_path: Path) -> None:
    """mattbucci/2x-R9700-RDNA4-GFX1201-sglang-inference: decode-only sweeps (streaming TPOT)
    write `"ttft_ms": 0` beside their TPOT; read as figures, 23 models had "a TTFT of 0.00 ms",
    "100.0 % lower" than a measured 274 ms. No token is served in no time: left out, said."""
    placeholder = {"model": "coder-next", "throughput_sweep": [
        {"concurrency": c, "throughput": 48.6 - c, "tpot_ms": 20.5 + c, "ttft_ms": 0}
        for c in (1, 2, 4)
    ]}  # fmt: skip
    _write(tmp_path / "a" / "results.json", json.dumps(placeholder))
    measured = {"model": "qwen36", "throughput_sweep": [
        {"concurrency": c, "throughput": 30.2 - c, "tpot_ms": 30.5 + c, "ttft_ms": 270.0 + c}
        for c in (1, 2, 4)
    ]}  # fmt: skip
    _write(tmp_path / "b" / "results.json", json.dumps(measured))
    digest = digest_of(tmp_path)
    [ttft] = [s for s in digest.stats if s.metric == "ttft_ms" and s.group_by is None]
    assert ttft.n == 3 and ttft.min > 0
    [left_out] = [d for d in digest.dropped if d.path == "a/results.json"]
    assert left_out.count == 3 and "0 ms" in left_out.reason


def test_an_error_count_beside_completed_items_is_not_a_failed_row(tmp_path: Path) -> None:
    """mattbucci's SWE-bench summaries hold `"error": 1` beside `"completed": 265` of 300:
    one instance errored, the run did not fail; read as the row's message, 21 runs "failed"
    and "the first error reads '1'". A count beside completed items is a count; a message is
    still a failure."""
    counted = {"model": "coder-30b", "completed": 98, "error": 2, "output_throughput": 512.3}
    _write(tmp_path / "counted.json", json.dumps(counted))
    failed = {"model": "coder-30b", "completed": 0, "error": "CUDA out of memory",
              "output_throughput": 0.0}  # fmt: skip
    _write(tmp_path / "failed.json", json.dumps(failed))
    digest = digest_of(tmp_path)
    [rate] = [s for s in digest.stats if s.metric == "tokens_per_s" and s.group_by is None]
    assert (rate.n, rate.mean) == (1, 512.3)
    assert [e.path for e in digest.error_rows] == ["failed.json"]


def test_a_copy_of_a_file_that_held_no_runs_repeats_none(tmp_path: Path) -> None:
    """graz-dev/vllm-benchmark keeps one DCGM field list (`dcgm_counters.csv`, not a result)
    in each study's folder: the copy was "1 file repeats runs read already, and each run is
    counted once", of a file that gave no run. Such a copy is not read either, and said so;
    copies of runs are still counted once."""
    _write(tmp_path / "a" / "r.csv", "model,tokens_per_second\n")
    _write(tmp_path / "b" / "r.csv", "model,tokens_per_second\n")
    _write(tmp_path / "a" / "ok.csv", "model,tokens_per_second\nm,12.5\nm,13.1\n")
    _write(tmp_path / "b" / "ok.csv", "model,tokens_per_second\nm,12.5\nm,13.1\n")
    digest = digest_of(tmp_path)
    [copies] = [f for f in compute_findings(digest) if f.kind == "duplicates"]
    assert "ok.csv is a byte-for-byte copy" in copies.text and "r.csv" not in copies.text
    reasons = {s.path: s.reason for s in digest.skipped}
    assert reasons["b/r.csv"].startswith("a byte-for-byte copy of a/r.csv, not read either")


def test_a_csv_whose_rows_outgrow_its_header_is_listed_not_warned(tmp_path: Path) -> None:
    """graz-dev's `dcgm_counters.csv` (a DCGM field list: comment lines, then `# Clocks` above
    rows of three fields) printed pandas' ParserWarning on stderr and was read as one column,
    the other fields dropped. Listed as not read, with the reason, and nothing on stderr."""
    import warnings

    text = "# Format\n# DCGM FIELD, type, help\n\n# Clocks\nDCGM_FI_DEV_SM_CLOCK, gauge, SM clock\n"
    _write(tmp_path / "dcgm_counters.csv", text)
    _write(tmp_path / "ok.csv", "model,tokens_per_second\nm,12.5\nm,13.1\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digest = digest_of(tmp_path)
    assert not [w for w in caught if issubclass(w.category, pd.errors.ParserWarning)]
    [skipped] = [s for s in digest.skipped if s.path == "dcgm_counters.csv"]
    assert "more fields than the header" in skipped.reason


def test_a_rate_held_over_rising_concurrency_is_a_plateau_not_frozen(tmp_path: Path) -> None:
    """A saturated server's output throughput holds (4.81 tok/s at 2, 4 and 8 concurrent
    requests) while its TPOT grows with the load: a real plateau, kept. Only rows of one load
    (a context sweep) are judged for a frozen rate."""
    sweep = [{"concurrency": c, "throughput": 4.81, "tpot_ms": 200.0 * c, "ttft_ms": 90.0 * c}
             for c in (2, 4, 8)]  # fmt: skip
    _write(tmp_path / "results.json", json.dumps({"model": "qwen3-cpu", "sweep": sweep}))
    [rate] = [s for s in digest_of(tmp_path).stats
              if s.metric == "tokens_per_s" and s.group_by is None]  # fmt: skip
    assert (rate.n, rate.mean) == (3, 4.81)


def test_a_llama_bench_test_without_a_depth_beside_a_depth_sweep_ran_at_depth_0(
    tmp_path: Path,
) -> None:
    """llama-bench (and llama-benchy) name a test's depth only when it is above 0: `tg480`
    beside `tg480 @ d1000` ran on an empty context. It was read as a setup with no depth at
    all ("75.96 tok/s with n_gen=480" among "with n_depth=1000", ...); it is depth 0."""
    _write(
        tmp_path / "qwen.md",
        "| model | test | t/s |\n"
        "| :--- | ---: | ---: |\n"
        "| Qwen3-8B | pp2048 | 8586.53 ± 13.35 |\n"
        "| Qwen3-8B | tg480 | 75.96 ± 2.83 |\n"
        "| Qwen3-8B | pp2048 @ d1000 | 7766.18 ± 35.67 |\n"
        "| Qwen3-8B | tg480 @ d1000 | 67.58 ± 4.10 |\n"
        "| Qwen3-8B | tg480 @ d5000 | 70.23 ± 3.33 |\n",
    )
    findings = compute_findings(digest_of(tmp_path))
    depths = {
        figure.value: figure.context.get("n_depth")
        for finding in findings
        if finding.kind == "reported"
        for figure in finding.figures
        if figure.metric == "tokens_per_s" and figure.statistic == "mean"
    }
    assert depths == {75.96: "0", 67.58: "1000", 70.23: "5000"}
    text = " ".join(f.text for f in findings if f.kind == "reported")
    assert "75.96 tok/s with n_depth=0" in text


def _verbose_block(load: str, rate: float) -> str:
    return (
        f"total duration:       1m2.5s\nload duration:        {load}\n"
        "prompt eval count:    409 token(s)\nprompt eval duration: 40.1s\n"
        "prompt eval rate:     2.48 tokens/s\neval count:           411 token(s)\n"
        f"eval duration:        9m43.5s\neval rate:            {rate} tokens/s\n"
    )


# A shell loop pasted into a note (`ollama run --verbose "$i" < cover_letter_prompt.txt`),
# then per model a heading naming the command each prompt ran: the HaxxonHax/ollama-k8s-RPi
# layout. The model's first call loaded it (28 s), its second found it loaded (10 ms).
_OLLAMA_LOOP_NOTE = (
    "# Raspberry Pi runs\n\n"
    '```\nfor i in $(ollama list); do ollama run --verbose "$i" < cover_letter_prompt.txt; '
    'ollama run --verbose "$i" < bard_prompt.txt; done\n```\n\n'
    + "".join(
        f"### {model}\n\n#### PROMPT 1: ollama run {model} < cover_letter_prompt.txt\n\n"
        f"Dear Hiring Manager,\n\nBest regards\n\n{_verbose_block(load, first)}\n\n"
        f"#### PROMPT 2: ollama run {model} < bard_prompt.txt\n\n(Verse 1)\nA song\n\n"
        f"{_verbose_block('10.45ms', second)}\n\n"
        for model, load, first, second in (
            ("dolphin-phi:2.7b-v2.6-q8_0", "28.02s", 0.70, 0.75),
            ("dolphin-phi:2.7b-v2.6-q6_K", "26.29s", 0.84, 0.95),
            ("gemma3:1b-it-q4_K_M", "10.13s", 2.64, 2.64),
        )
    )
)


def test_ollama_run_options_name_no_model_and_a_redirected_file_names_the_prompt(
    tmp_path: Path,
) -> None:
    """`ollama run --verbose "$i"` named the model "--verbose" (the option read as the model,
    its dolphin-phi runs pooled under it); a heading `PROMPT 1: ollama run MODEL < file.txt`
    names the model and the prompt (the file), and the reply below it ("Dear Hiring
    Manager,") is no prompt: the models ran the same two prompts, like for like."""
    _write(tmp_path / "MANUAL_TESTING.md", _OLLAMA_LOOP_NOTE)
    digest = digest_of(tmp_path)
    models = {str(s.group).lower() for s in digest.stats if s.group_by == "model"}
    assert models == {"dolphin-phi:2.7b-v2.6-q8_0", "dolphin-phi:2.7b-v2.6-q6_k",
                      "gemma3:1b-it-q4_k_m"}  # fmt: skip
    prompts = {
        s.workload
        for s in digest.stats
        if s.group_by == "model+config_name+workload" and s.metric == "tokens_per_s"
    }
    # (the cover letter's calls loaded each model: set apart, as the next test says)
    assert prompts == {"bard_prompt.txt"}


def test_a_models_two_calls_one_of_which_loaded_it_set_the_load_apart(tmp_path: Path) -> None:
    """Two calls per model, a 28 s load then 10 ms: the 25th percentile of the two (7 s) read
    as the model's usual load, so no call was a load. The warm call is the usual one; the
    first call of each model loaded it."""
    _write(tmp_path / "MANUAL_TESTING.md", _OLLAMA_LOOP_NOTE)
    digest = digest_of(tmp_path)
    assert sum(c.rows for c in digest.cold_rows) == 3


def test_one_model_beyond_those_named_is_named_not_counted(tmp_path: Path) -> None:
    """coder543/llm-speed-benchmark's 13 models read "..., and 1 more models, down to ...":
    a count of one says no less than the model's name; thirteen models are all named."""
    models = [f"model-{chr(ord('a') + i)}" for i in range(13)]
    rows = ["model,tokens_per_second"] + [
        f"{m},{100 + 10 * i + run}" for i, m in enumerate(models) for run in range(3)
    ]
    _write(tmp_path / "runs.csv", "\n".join(rows) + "\n")
    (finding,) = [
        f
        for f in compute_findings(digest_of(tmp_path))
        if f.title.startswith("throughput by model")
    ]
    assert "more models" not in finding.text
    assert all(f"{m} " in finding.text for m in models)


def test_a_json_schema_of_results_is_no_results_file(tmp_path: Path) -> None:
    """JacobPEvans/mlx-benchmarks' schema.json describes its result envelope: its `errors`
    property ("Non-fatal errors or warnings encountered during the run") was read as a
    failed run ("1 row failed and is left out of the statistics"). A JSON Schema holds no
    results: it is listed as not read, with why."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "MLX Benchmark Result",
        "type": "object",
        "properties": {
            "model": {"type": "string", "description": "Model id"},
            "tokens_per_second": {"type": "number", "minimum": 0},
            "errors": {
                "type": "array",
                "description": "Non-fatal errors or warnings encountered during the run",
                "items": {"type": "string"},
            },
        },
    }
    _write(tmp_path / "schema.json", json.dumps(schema, indent=2))
    _write(tmp_path / "runs.csv", "model,tokens_per_second\nqwen3-4b,51.2\nqwen3-4b,50.8\n")
    digest = digest_of(tmp_path)
    assert digest.error_rows == []
    skipped = {s.path: s.reason for s in digest.skipped}
    assert "JSON Schema" in skipped["schema.json"]


def _gpu_report(gpu: str, model: str, rows: list[tuple[int, float, float, int, float]]) -> str:
    """A report as gparemsky/48gb4090's benchmark script writes it: a header naming the GPU
    and model, then a table of runs (prompt tokens, PP/s, TTFT s, generated tokens, TG/s)."""
    lines = [
        "2025-09-04 10:43:49", f"GPU: {gpu}", f"Model: {model}", "",
        "| GPU | Model | Prompt Tokens | PP/s | TTFT | Generated Tokens | TG/s | Duration |",
        "| --- | ----- | ------------- | ---- | ---- | ---------------- | ---- | -------- |",
    ]  # fmt: skip
    lines += [
        f"| {gpu} | {model} | {p} | {pp:.2f} | {ttft:.2f} | {g} | {tg:.2f} | {ttft + g / tg:.2f} |"
        if tg
        else f"| {gpu} | {model} | {p} | {pp:.2f} | {ttft:.2f} | {g} | {tg:.2f} | {ttft:.2f} |"
        for p, pp, ttft, g, tg in rows
    ]
    return "\n".join(lines) + "\n\nTotal duration: 7m22s\n"


def test_tg_s_and_pp_s_columns_are_the_generation_and_prompt_rates(tmp_path: Path) -> None:
    """A report table's "TG/s" was no metric and its "PP/s" a setting: the runs of each
    model were grouped by their own prompt rate, and no rate of four GPUs was compared
    (gparemsky/48gb4090: one finding, "runs read twice"). TG/s is the generation rate, PP/s
    the prompt processing rate."""
    ladder = [(488, 989.25, 0.49, 839, 36.89), (743, 996.90, 0.75, 1261, 36.31),
              (1176, 1016.73, 1.16, 1156, 33.32)]  # fmt: skip
    _write(
        tmp_path / "a100" / "report-A100-qwen.txt", _gpu_report("A100", "qwen2.5-coder:32b", ladder)
    )
    digest = digest_of(tmp_path)
    generation = digest.find("tokens_per_s", "model", "qwen2.5-coder:32b", machine="A100")
    prompt = digest.find("prompt_tokens_per_s", "model", "qwen2.5-coder:32b", machine="A100")
    assert generation is not None and generation.n == 3
    assert generation.mean == pytest.approx((36.89 + 36.31 + 33.32) / 3)
    assert prompt is not None and prompt.mean == pytest.approx((989.25 + 996.90 + 1016.73) / 3)
    assert not [s for s in digest.stats if "pp_s" in str(s.group_by)]


def test_installed_packages_committed_beside_results_are_not_walked(tmp_path: Path) -> None:
    """gparemsky/48gb4090 commits a virtualenv (prompt-test/lib/python3.9/site-packages):
    numpy's test CSVs were listed one by one as unreadable results. Installed packages are
    listed once, as such, and not walked."""
    venv = tmp_path / "prompt-test" / "lib" / "python3.9" / "site-packages"
    _write(venv / "numpy" / "_core" / "tests" / "data" / "umath-validation-set-cos.csv",
           "dtype,input,output,ulperrortol\n")  # fmt: skip
    _write(tmp_path / "node_modules" / "pkg" / "package.json", '{"name": "pkg"}')
    _write(tmp_path / "runs.csv", "model,tokens_per_second\nqwen3-4b,51.2\nqwen3-4b,50.8\n")
    inventory, _ = ingest_folder(tmp_path, IngestOptions())
    assert [f.path for f in inventory.files] == ["runs.csv"]
    skipped = {s.path: s.reason for s in inventory.skipped}
    assert set(skipped) == {"prompt-test/lib/python3.9/site-packages", "node_modules"}
    assert all("installed packages" in reason for reason in skipped.values())


def test_one_degenerate_answer_is_said_in_whole_tokens(tmp_path: Path) -> None:
    """ "1 answers of at most 0.00 tokens": one answer is one, and a token count is whole."""
    ladder = [(488 + i, 1000.0 + i, 0.5, 800 + i, 36.0 + i / 10) for i in range(6)]
    ladder.append((0, 0.0, 136.72, 0, 0.0))
    _write(tmp_path / "report-A6000-qwen3.txt", _gpu_report("A6000", "qwen3-coder:latest", ladder))
    (finding,) = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "degenerate"]
    assert finding.text.startswith("1 answer of 0 tokens is set apart as a degenerate generation")


def test_a_copied_notes_degenerate_answers_are_counted_once(tmp_path: Path) -> None:
    """gparemsky/48gb4090 keeps ML_WORKLOADS/ and a RESULTS/ copy of it: the copy's runs were
    counted once, its degenerate answer twice ("2 answers ... set apart")."""
    ladder = [(488 + i, 1000.0 + i, 0.5, 800 + i, 36.0 + i / 10) for i in range(6)]
    ladder.append((0, 0.0, 136.72, 0, 0.0))
    report = "# GPU Benchmark Comparison Report\n\n" + _gpu_report(
        "A6000", "qwen3-coder:latest", ladder
    )
    _write(tmp_path / "ML_WORKLOADS" / "benchmark_comparison.md", report)
    _write(tmp_path / "RESULTS" / "benchmark_comparison.md", report)
    digest = digest_of(tmp_path)
    assert [d.path for d in digest.duplicates] == ["RESULTS/benchmark_comparison.md"]
    assert [(d.path, d.rows) for d in digest.degenerate] == [
        ("ML_WORKLOADS/benchmark_comparison.md", 1)
    ]


def test_a_graphics_card_column_names_the_machine_of_its_rows(tmp_path: Path) -> None:
    """Samiii777/AMD_MachineLearning's README: an "AMD Graphics Card" table and an "Nvidia
    Graphics Card" table of the same four models. The card column named nothing, so each
    model's mean pooled the RX 7900 XTX and the RTX 4080 (gemma:2b 192.76 tok/s, n=2)."""
    _write(
        tmp_path / "README.md",
        "| AMD Graphics Card | Model | ROCm Version | Result |\n| --- | --- | --- | --- |\n"
        "| RX 7900 XTX | gemma:2b | 6.0.2 | `188.32 Tokens/S` |\n"
        "| RX 7900 XTX | llama2:7b | 6.0.2 | `107.06 Tokens/S` |\n\n\n"
        "| Nvidia Graphics Card | Model | CUDA Version | Result |\n| --- | --- | --- | --- |\n"
        "| RTX 4080 | gemma:2b | 12.2 | `197.2 Tokens/S` |\n"
        "| RTX 4080 | llama2:7b | 12.2 | `122.55 Tokens/S` |\n",
    )
    digest = digest_of(tmp_path)
    assert sorted(m for m in digest.machines if m) == ["RTX 4080", "RX 7900 XTX"]
    amd = digest.find("tokens_per_s", "model", "gemma:2b", "mean", machine="RX 7900 XTX")
    nvidia = digest.find("tokens_per_s", "model", "gemma:2b", "mean", machine="RTX 4080")
    assert amd is not None and amd.mean == pytest.approx(188.32)
    assert nvidia is not None and nvidia.mean == pytest.approx(197.2)


def test_a_depth_sweeps_reported_rates_are_listed_in_depth_order(tmp_path: Path) -> None:
    """Gabe298's llama-benchy files sweep the context depth (0 to 210000 tokens): the rates
    were listed fastest first ("76.50 tok/s with n_depth=20000, 75.96 with n_depth=0, 72.70
    with n_depth=50000, ..."), which reads as noise; in depth order the fall shows."""
    rows = [("tg480", 75.96), ("tg480 @ d1000", 67.58), ("tg480 @ d20000", 76.50),
            ("tg480 @ d100000", 65.96), ("tg480 @ d210000", 57.59)]  # fmt: skip
    _write(
        tmp_path / "qwen.md",
        "| model | test | t/s |\n| :--- | ---: | ---: |\n"
        + "".join(f"| Qwen3-8B | {test} | {rate} ± 1.00 |\n" for test, rate in rows),
    )
    (finding,) = [f for f in compute_findings(digest_of(tmp_path)) if f.kind == "reported"]
    assert (
        "75.96 tok/s with n_depth=0, 67.58 tok/s with n_depth=1000, 76.50 tok/s with "
        "n_depth=20000, 65.96 tok/s with n_depth=100000 and 57.59 tok/s with n_depth=210000"
    ) in finding.text
    assert "76.50 tok/s with n_depth=20000 (its fastest setup)" in finding.headline


def test_a_size_column_tells_a_families_models_apart(tmp_path: Path) -> None:
    """NexVeridian/llm-inference-benchmarks' LM Studio table names "qwen 2.5" in its Model
    column and 1.5, 7 or 32 in "Size (B)": one model, its 282 and 23 tok/s one setup's runs
    ("a coefficient of variation of 101.5 %", "repeat on a quiet machine"). The size column
    names each model's size; a name that states one keeps it."""
    _write(
        tmp_path / "README.md",
        "# Inference Benchmarks\nApple M4 Max 48GB using LM Studio\n\n"
        "| Size (B) | Speed (T/s) | Model | Type | Quant |\n|---|---|---|---|---|\n"
        "| 1.5 | 282 | qwen 2.5 | MLX | 4 |\n| 7 | 101 | qwen 2.5 | MLX | 4 |\n"
        "| 32 | 23 | qwen 2.5 | MLX | 4 |\n| 30 - A3 | 93 | qwen 3 | MLX | 4 |\n"
        "| 32 | 24 | qwq | MLX | 4 |\n| 8 | 60 | llama3.1:8b | MLX | 4 |\n",
    )
    digest = digest_of(tmp_path)
    models = {s.group for s in digest.stats if s.group_by == "model" and s.metric == "tokens_per_s"}
    assert models == {"qwen 2.5 1.5B", "qwen 2.5 7B", "qwen 2.5 32B", "qwen 3 30-A3B", "qwq 32B",
                      "llama3.1:8b"}  # fmt: skip
    assert not [f for f in compute_findings(digest) if f.kind == "instability"]
