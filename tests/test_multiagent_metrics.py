"""ChimeraForge's own multi-agent output (`demo_multiagent`, TR110/TR115): each run folder
holds a metrics.json with two agents run at once, each with its config (the baseline's
`options` absent: Ollama's defaults), its `aggregate_metrics` and `individual_runs`, and one
Markdown report per agent quoting its run's figures. Rebuilt small from the real files'
shape (the real ones are in the suite: tests/real_corpora)."""

from __future__ import annotations

import json
from pathlib import Path

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.ingest.digest import ingest_folder
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.digest.table import NO_SETTINGS

TUNED = {"num_ctx": 512, "num_gpu": 80, "temperature": 0.8}


def _agent(prompt: str, options: dict | None, rate: float, load_ms: float) -> dict:
    run = {
        "throughput_tokens_per_sec": rate, "load_duration_ms": load_ms,
        "ttft_ms": load_ms + 20.0, "eval_duration_ms": 400 / rate * 1000,
        "tokens_generated": 400, "total_duration_ms": load_ms + 400 / rate * 1000 + 100,
    }  # fmt: skip
    config = {"model": "gemma3:latest", "prompt": prompt}
    if options is not None:
        config["options"] = options
    return {
        "config": config,
        "result": {
            "model": "gemma3:latest",
            "prompt": prompt,
            "configuration": options or {},
            "aggregate_metrics": {
                "average_tokens_per_second": rate,
                "load_duration_ms": load_ms,
                "average_ttft_ms": load_ms + 20.0,
                "stddev_throughput": 0.0,
            },  # fmt: skip
            "individual_runs": [run],
            "runs": 1,
        },
    }


def _folder(root: Path, runs: list[tuple[float, float, float, float]]) -> Path:
    """One scenario: per run (baseline rate, baseline load, tuned rate, tuned load)."""
    for i, (base, base_load, tuned, tuned_load) in enumerate(runs, start=1):
        run = root / f"run_{i}"
        run.mkdir(parents=True)
        metrics = {
            "collector": _agent("Collect the data.", None, base, base_load),
            "insight": _agent("Write the insight.", TUNED, tuned, tuned_load),
            "run_number": i,
        }
        (run / "metrics.json").write_text(json.dumps(metrics))
        (run / "collector_report.md").write_text(
            "# Baseline Collector\n\nModel: gemma3:latest\n\n## Metrics\n"
            f"- Throughput: {base:.2f} tok/s\n"
        )
    return root


RUNS = [(73.42, 5446.7, 81.03, 272.9), (41.16, 280.2, 56.58, 295.5), (41.02, 258.1, 56.73, 284.0),
        (93.48, 253.1, 42.20, 279.0), (41.12, 280.0, 56.76, 284.0)]  # fmt: skip


def _digest(root: Path) -> DataDigest:
    return ingest_folder(root, IngestOptions())[1]


def test_the_baseline_agent_without_options_is_a_setup(tmp_path: Path) -> None:
    """The collector's rows state none of the options the insight's rows state: they ran on
    the defaults, a setup of their own (they were in no setup at all)."""
    digest = _digest(_folder(tmp_path, RUNS))
    configs = {(s.model, s.config) for s in digest.setups}
    assert ("gemma3:latest", NO_SETTINGS) in configs
    assert len(configs) == 2


def test_aggregate_metrics_beside_individual_runs_are_no_runs(tmp_path: Path) -> None:
    """`aggregate_metrics` sums up `individual_runs`: each agent's run is counted once."""
    digest = _digest(_folder(tmp_path, RUNS))
    per_run = [
        s for s in digest.stats
        if s.metric == "tokens_per_s" and s.group_by is None and s.aggregate is None
    ]  # fmt: skip
    assert [s.n for s in per_run] == [9]  # 10 runs, the one that loaded the model left out
    cold = {c.path: c for c in digest.cold_rows}
    assert cold["run_1/metrics.json"].of_rows == 2


def test_each_agents_load_is_judged_with_the_others(tmp_path: Path) -> None:
    """The two agents' loads sit under two key paths; the 5.4 s load of the baseline's first
    run is a load against the other calls' 0.25-0.3 s, whichever agent made them."""
    digest = _digest(_folder(tmp_path, RUNS))
    cold = [c for c in digest.cold_rows if c.rows]
    assert [(c.path, c.rows) for c in cold] == [("run_1/metrics.json", 1)]
    assert cold[0].load_ms_max == 5446.7


def test_a_note_quoting_one_run_is_not_said_to_disagree(tmp_path: Path) -> None:
    """Each agent report quotes its own run's rate (41.16 tok/s), one of the runs, not
    their mean: never "the data disagrees"."""
    findings = compute_findings(_digest(_folder(tmp_path, RUNS)))
    notes = [f for f in findings if f.kind == "notes_vs_data"]
    assert notes
    assert not [f.text for f in notes if "disagrees" in f.text]
    assert any("within the spread of its runs, not near their mean" in f.text for f in notes)


def test_one_tuned_config_against_the_baseline_is_worded_for_one(tmp_path: Path) -> None:
    """The tuned agent's config against the defaults: one config, named, with its runs and
    spread (it read "none of the 1 tuned configs ... run -24.0 % of it (single runs ...)").
    Here the two agents share a prompt so they compare."""
    runs = [(41.16, 280.2, 41.2, 250.0), (41.02, 258.1, 41.3, 260.0), (93.48, 253.1, 41.1, 255.0),
            (41.12, 280.0, 41.4, 251.0)]  # fmt: skip
    for i, (base, base_load, tuned, tuned_load) in enumerate(runs, start=1):
        run = tmp_path / f"run_{i}"
        run.mkdir(parents=True)
        metrics = {
            "collector": _agent("Collect the data.", None, base, base_load),
            "insight": _agent("Collect the data.", TUNED, tuned, tuned_load),
        }
        (run / "metrics.json").write_text(json.dumps(metrics))
    findings = compute_findings(_digest(tmp_path))
    (baseline,) = [f for f in findings if f.kind == "baseline"]
    assert "none of the 1" not in baseline.text and "single runs" not in baseline.text
    assert "the tuned config num_ctx=512, num_gpu=80, temperature=0.8 is not shown" in (
        baseline.text
    )
    assert "(n=4 each;" in baseline.text


def test_a_32_bit_setting_reads_as_it_was_set(tmp_path: Path) -> None:
    """A Rust client writes its f32 options at 64 bits (temperature 0.800000011920929): the
    setting is 0.8, as it was set; a 64-bit 0.7 stays 0.7."""
    tuned = {"num_ctx": 512, "temperature": 0.800000011920929, "top_p": 0.8999999761581421}
    for i in range(1, 4):
        run = tmp_path / f"run_{i}"
        run.mkdir()
        metrics = {
            "collector": _agent(
                "Collect the data.", {"num_ctx": 512, "temperature": 0.7}, 41.0, 250.0
            ),
            "insight": _agent("Write the insight.", tuned, 55.0 + i, 260.0),
        }
        (run / "metrics.json").write_text(json.dumps(metrics))
    params = [s.params for s in _digest(tmp_path).setups]
    assert {"num_ctx": 512, "temperature": 0.8, "top_p": 0.9} in params
    assert {"num_ctx": 512, "temperature": 0.7} in params


def test_a_workload_that_is_a_whole_prompt_is_named_by_its_first_words(tmp_path: Path) -> None:
    """The stability finding printed each agent's 400-character system prompt whole."""
    prompt = " ".join(f"word{i}" for i in range(60))
    runs = [(41.0, 250.0, 40.0, 260.0), (41.2, 251.0, 80.0, 255.0), (41.1, 252.0, 60.0, 258.0)]
    for i, (base, base_load, tuned, tuned_load) in enumerate(runs, start=1):
        run = tmp_path / f"run_{i}"
        run.mkdir()
        metrics = {
            "collector": _agent("Collect the data.", TUNED, base, base_load),
            "insight": _agent(prompt, TUNED, tuned, tuned_load),
        }
        (run / "metrics.json").write_text(json.dumps(metrics))
    (stability,) = [f for f in compute_findings(_digest(tmp_path)) if f.kind == "instability"]
    assert "(word0 word1 word2 word3 word4 word5 word6 word7 ...)" in stability.text
    assert "word8" not in stability.text
