"""The computed analysis: findings checked against a hand computation with pandas.

On the bundled data and on generated folders: settings compared within a model with the
others held fixed; no figure that only a mix of models supports; verdicts against the
run-to-run spread; what cannot be compared is said, not guessed.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings, recommendations
from chimera.findings.finding import Finding
from chimera.findings.highlights import compute_highlights, render_highlights
from chimera.findings.measured import t_quantile_975
from chimera.ingest.digest import ingest_folder

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"
GEMMA = EXAMPLE / "reports" / "gemma3"
MODELS = {"gemma3:270m": "270m", "gemma3:1b-it-qat": "1b-it-qat", "gemma3:4b": "4b"}


def findings_of(folder: Path) -> list[Finding]:
    _, digest = ingest_folder(folder, IngestOptions())
    return compute_findings(digest)


@pytest.fixture(scope="module")
def example() -> list[Finding]:
    return findings_of(EXAMPLE)


def warm(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that did not load the model: a load of 5x the file's usual (its 25th percentile)
    and 200 ms more is a load (the first call after each config change here)."""
    load_ms = frame["load_s"] * 1000
    usual = load_ms.quantile(0.25)
    return frame[~((load_ms >= 5 * max(usual, 1.0)) & (load_ms - usual >= 200))]


def tuning(model: str) -> pd.DataFrame:
    """The model's warm param-tuning rows, read with pandas alone: the hand computation."""
    frame = pd.read_csv(GEMMA / f"gemma3_{MODELS[model]}_param_tuning.csv")
    return warm(frame[frame["error"].isna()])


def one(findings: list[Finding], kind: str, title: str) -> Finding:
    (found,) = [f for f in findings if f.kind == kind and f.title == title]
    return found


@pytest.mark.parametrize("model", sorted(MODELS))
def test_num_ctx_is_compared_within_each_model_and_8192_is_slower(
    model: str, example: list[Finding]
) -> None:
    rows = tuning(model)
    means = rows[rows["num_gpu"] == 80].groupby("num_ctx")["tokens_s"].mean()
    finding = one(example, "setting_effect", f"num_ctx on {model}")
    assert means[8192] < means[2048]
    if finding.verdict == "real":
        assert f"num_ctx=2048 gives {means[2048]:.2f} tok/s against {means[8192]:.2f} tok/s" in (
            finding.text
        )
    else:  # two warm prompts per level: the figures, and why there is no verdict
        assert f"{means[2048]:.2f} tok/s at num_ctx=2048, {means[8192]:.2f} tok/s" in finding.text
        assert "too few to tell" in finding.text
    assert "num_gpu=80, temperature=0.8 held fixed" in finding.text


def test_the_across_models_finding_says_8192_is_slower_for_every_model(
    example: list[Finding],
) -> None:
    finding = one(example, "setting_across_models", "num_ctx across models")
    assert (
        "num_ctx=8192 is slower than num_ctx=2048 in throughput for every model measured (3 of 3)"
        in finding.text
    )


def test_best_config_of_the_model_tuned_in_two_files_matches_pandas(
    example: list[Finding],
) -> None:
    rows = pd.concat(
        [
            tuning("gemma3:1b-it-qat"),
            warm(pd.read_csv(GEMMA / "gemma3_1b-it-qat_temperature_sweep.csv")),
        ]
    )
    means = rows.groupby("config_name")["tokens_s"].mean()
    finding = one(example, "best_config", "best config for gemma3:1b-it-qat")
    best = means.idxmax()
    assert f"is {best} " in finding.text and f"at {means[best]:.2f} tok/s" in finding.text


@pytest.mark.parametrize("model", ["gemma3:270m", "gemma3:4b"])
def test_best_config_per_model_matches_pandas(model: str, example: list[Finding]) -> None:
    means = tuning(model).groupby("config_name")["tokens_s"].mean().sort_values()
    best, runner_up = means.index[-1], means.index[-2]
    finding = one(example, "best_config", f"best config for {model}")
    assert f"The fastest config for {model} is {best} " in finding.text
    assert f"at {means[best]:.2f} tok/s" in finding.text
    assert f"runner-up {runner_up} " in finding.text
    assert f"runner-up {runner_up} " in finding.text
    assert f"at {means[runner_up]:.2f} tok/s" in finding.text


def test_no_throughput_figure_mixes_models(example: list[Finding]) -> None:
    """Every tok/s a finding or highlight states belongs to one model (or to all rows)."""
    for finding in example:
        for fig in finding.values:
            if fig.unit == "tok/s" and fig.context:
                assert "model" in fig.context, (finding.id, fig.source)
    text = render_highlights(compute_highlights(ingest_folder(EXAMPLE, IngestOptions())[1]))
    assert "122.95" not in text  # the old three-model mean of gpu80_ctx2048


def test_cold_rows_errors_baselines_and_notes_are_found(example: list[Finding]) -> None:
    kinds = {f.kind for f in example}
    assert {"cold_start", "errors", "model_ranking", "baseline", "notes_vs_data"} <= kinds
    errors = one(example, "errors", "timed-out rows")
    assert "2 of 8 rows of reports/gemma3/gemma3_4b_baseline.csv" in errors.text
    assert errors.recommendation is not None and "timeout" in errors.recommendation.text


def test_findings_are_numbered_by_importance_and_recommendations_follow(
    example: list[Finding],
) -> None:
    assert [f.id for f in example] == [f"F{i}" for i in range(1, len(example) + 1)]
    assert [f.importance for f in example] == sorted((f.importance for f in example), reverse=True)
    recs = recommendations(example)
    assert [r.id for r in recs] == [f"R{i}" for i in range(1, len(recs) + 1)]
    assert all(r.finding_ids and r.finding_ids[0].startswith("F") for r in recs)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)


def test_three_models_sharing_config_names_are_never_pooled(tmp_path: Path) -> None:
    """Config "a" is fastest on average over the three models, yet "b" wins on two of them:
    every best-config finding names its own model's winner, as pandas computes it."""
    speeds = {  # model -> config -> tok/s of its three repetitions
        "alpha:1b": {"a": [300, 302, 298], "b": [320, 321, 319]},
        "beta:1b": {"a": [100, 101, 99], "b": [110, 111, 109]},
        "gamma:1b": {"a": [80, 81, 79], "b": [20, 21, 19]},
    }
    rows = []
    for model, configs in speeds.items():
        for config, values in configs.items():
            ctx = 2048 if config == "a" else 4096
            rows += [
                {"model": model, "config_name": config, "num_ctx": ctx, "tokens_s": v}
                for v in values
            ]
    _write(tmp_path / "runs.csv", rows)
    frame = pd.DataFrame(rows)
    pooled = frame.groupby("config_name")["tokens_s"].mean()
    assert pooled["a"] < pooled["b"] or pooled["a"] > pooled["b"]  # a pooled winner exists
    findings = findings_of(tmp_path)
    for model in speeds:
        per_model = frame[frame["model"] == model].groupby("config_name")["tokens_s"].mean()
        best = per_model.idxmax()
        finding = one(findings, "best_config", f"best config for {model}")
        assert f"The fastest config for {model} is {best} " in finding.text
    for finding in findings:
        for value in pooled.values:
            assert f"{value:.2f} tok/s" not in finding.text


def test_a_fastest_config_that_states_no_settings_is_named_by_its_file(tmp_path: Path) -> None:
    """bhodgens/qwopus-mtp: final_results.json gives one model's decode rate with no
    settings beside bench_results.json's speculative configs: "The fastest config for X is
    X on a machine no file names at 27.20 tok/s", the subject named again as its config."""
    _write(
        tmp_path / "sweep.csv",
        [{"model": "qwen3:8b", "num_ctx": c, "tokens_s": v}
         for c, v in ((2048, 30.1), (2048, 30.3), (8192, 25.2), (8192, 25.0))],
    )  # fmt: skip
    _write(tmp_path / "eval.csv", [{"model": "qwen3:8b", "tokens_s": 33.0}])
    finding = one(findings_of(tmp_path), "best_config", "best config for qwen3:8b")
    assert finding.text.startswith(
        "The fastest config for qwen3:8b is the config of eval.csv (settings not stated) at 33.00"
    )


def test_a_ranking_says_when_some_models_runs_name_no_prompt(tmp_path: Path) -> None:
    """One model's runs name their prompts, another's (a file of bare rates) none: the
    ranking, held to the prompts every model ran where every model names them, was "like
    for like" without a word that nothing says the two ran the same prompts."""
    _write(
        tmp_path / "a.csv",
        [{"model": "llama3:8b", "prompt": p, "tokens_s": v}
         for p, v in (("p1", 41), ("p2", 42), ("p1", 40))],
    )  # fmt: skip
    _write(tmp_path / "b.csv", [{"model": "qwen3:8b", "tokens_s": v} for v in (30, 31, 29)])
    finding = one(findings_of(tmp_path), "model_ranking", "throughput by model (like for like)")
    assert "The runs of qwen3:8b name no prompt, where the others' name theirs" in finding.text


def test_a_setting_whose_levels_differ_in_other_settings_too_is_not_compared(
    tmp_path: Path,
) -> None:
    rows = [
        {"model": "m:1b", "config_name": "x", "num_gpu": 40, "num_ctx": 2048, "tokens_s": v}
        for v in (50, 51, 49)
    ] + [
        {"model": "m:1b", "config_name": "y", "num_gpu": 80, "num_ctx": 4096, "tokens_s": v}
        for v in (90, 91, 89)
    ]
    _write(tmp_path / "runs.csv", rows)
    findings = findings_of(tmp_path)
    blocked = one(findings, "setting_effect", "num_gpu on m:1b")
    assert blocked.verdict == "not comparable"
    assert "levels differ in other settings too" in blocked.caveats


def test_one_run_per_level_gives_no_verdict(tmp_path: Path) -> None:
    rows = [
        {"model": "m:1b", "config_name": f"g{g}", "num_gpu": g, "tokens_s": s}
        for g, s in ((0, 20.0), (80, 60.0))
    ]
    _write(tmp_path / "runs.csv", rows)
    effect = one(findings_of(tmp_path), "setting_effect", "num_gpu on m:1b")
    assert effect.verdict == "not comparable"
    assert "one run on one side, so no verdict" in effect.text


def test_a_difference_inside_the_run_to_run_spread_is_no_measurable_effect(
    tmp_path: Path,
) -> None:
    rows = [
        {"model": "m:1b", "config_name": f"t{t}", "temperature": t, "tokens_s": v}
        for t, values in ((0.2, (50, 58, 42)), (0.8, (51, 59, 43)))
        for v in values
    ]
    _write(tmp_path / "runs.csv", rows)
    effect = one(findings_of(tmp_path), "setting_effect", "temperature on m:1b")
    assert effect.verdict == "no measurable effect"
    assert "temperature has no measurable effect on throughput" in effect.text


def test_settings_without_a_config_column_still_make_setups(tmp_path: Path) -> None:
    """An Ollama-style JSON with an options block and no config name compares its setups."""
    import json

    for ctx, speed in ((2048, 100.0), (8192, 80.0)):
        doc = {
            "model": "m:1b",
            "options": {"num_ctx": ctx},
            "results": [{"tokens_per_second": speed + d} for d in (-1.0, 0.0, 1.0)],
        }
        (tmp_path / f"bench_{ctx}.json").write_text(json.dumps(doc))
    effect = one(findings_of(tmp_path), "setting_effect", "num_ctx on m:1b")
    assert effect.verdict == "real"
    assert "num_ctx=2048 gives 100.00 tok/s against 80.00 tok/s at num_ctx=8192" in effect.text


def test_t_quantiles_match_the_tables() -> None:
    assert t_quantile_975(2) == pytest.approx(4.303)
    assert t_quantile_975(4) == pytest.approx(2.776)
    assert t_quantile_975(100) == pytest.approx(1.984, abs=0.002)
    assert math.isinf(t_quantile_975(0.5))


def test_nothing_measured_gives_no_findings(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\nNothing measured yet.\n")
    assert findings_of(tmp_path) == []


def test_one_config_name_with_two_sets_of_settings_is_two_setups(tmp_path: Path) -> None:
    """In one file, config "fast" ran with two settings: each is compared on its own."""
    rows = [
        {"model": "m:1b", "config_name": "fast", "num_gpu": 99, "num_ctx": 2048, "tokens_s": v}
        for v in (100, 101, 102)
    ] + [
        {"model": "m:1b", "config_name": "fast", "num_gpu": 40, "num_ctx": 8192, "tokens_s": v}
        for v in (60, 61, 62)
    ]
    _write(tmp_path / "runs.csv", rows)
    best = one(findings_of(tmp_path), "best_config", "best config for m:1b")
    assert "fast (num_gpu=99, num_ctx=2048) at 101.00 tok/s" in best.text
    assert "fast (num_gpu=40, num_ctx=8192) at 61.00 tok/s (n=3)" in best.text


def test_one_config_name_with_other_settings_in_another_file_is_left_out(tmp_path: Path) -> None:
    _write(
        tmp_path / "a.csv",
        [{"model": "m:1b", "config_name": "fast", "num_gpu": 99, "tokens_s": v} for v in (9, 10)],
    )
    _write(
        tmp_path / "b.csv",
        [{"model": "m:1b", "config_name": "fast", "num_gpu": 40, "tokens_s": v} for v in (5, 6)],
    )
    findings = findings_of(tmp_path)
    conflict = one(findings, "overview", "configs with two sets of settings")
    assert "m:1b / fast" in conflict.text and conflict.verdict == "not comparable"
    assert not [f for f in findings if f.kind in ("best_config", "setting_effect")]


def test_a_margin_measured_once_is_not_recommended(tmp_path: Path) -> None:
    rows = [
        {"model": "m:1b", "config_name": f"g{g}", "num_gpu": g, "tokens_s": s}
        for g, s in ((20, 20.0), (99, 72.6))
    ]
    _write(tmp_path / "runs.csv", rows)
    best = one(findings_of(tmp_path), "best_config", "best config for m:1b")
    assert "one run on one side, so no verdict" in best.text
    assert best.recommendation is None


def test_equal_means_compare_two_different_levels(tmp_path: Path) -> None:
    rows = [
        {"model": "m:1b", "config_name": f"g{g}", "num_gpu": g, "tokens_s": 10.0}
        for g in (0, 80)
        for _ in range(3)
    ]
    _write(tmp_path / "runs.csv", rows)
    effect = one(findings_of(tmp_path), "setting_effect", "num_gpu on m:1b")
    assert "num_gpu=0 (CPU only) gives 10.00 tok/s against 10.00 tok/s at num_gpu=0" not in (
        effect.text
    )
    assert effect.verdict == "no measurable effect"


def test_highlights_show_one_finding_per_topic_before_a_second(example: list[Finding]) -> None:
    """Three models' num_gpu effects must not crowd out num_ctx, the best configs and the
    errors: no topic is shown twice while a topic with a finding is left out."""
    from chimera.findings.finding import topic
    from chimera.findings.highlights import MAX_HIGHLIGHTS, highlights_from

    shown = {h.finding_id for h in highlights_from(example)}
    eligible = [f for f in example if f.verdict != "not comparable"]
    assert len(shown) == min(MAX_HIGHLIGHTS, len(eligible))
    topics = [topic(f) for f in eligible if f.id in shown]
    left_out = {topic(f) for f in eligible if f.id not in shown} - set(topics)
    assert len(topics) == len(set(topics)) or not left_out
    assert {"setting num_gpu", "setting num_ctx"} <= set(topics)
    ids = [int(h.finding_id[1:]) for h in highlights_from(example) if h.finding_id]
    assert ids == sorted(ids)  # shown in their order of importance


def test_the_risk_table_cites_each_risk_by_id_and_headline_and_it_traces(
    example: list[Finding],
) -> None:
    """Each risk the data shows is a row citing its finding by id and headline (the finding is
    stated in full once, elsewhere in the report); no row for a risk the data does not show."""
    from chimera.findings.render import risks
    from chimera.grounding.figures import KnownFigures, check_figures, data_figures
    from chimera.grounding.run_facts import computed_sentences

    table = risks(example)
    risky = [f for f in example if f.kind in ("errors", "cold_start")]
    assert risky
    for f in risky:
        assert f"{f.id}: {f.short().replace('|', '/')}" in " ".join(table.split())
    assert "Too few repetitions" not in table
    digest = ingest_folder(EXAMPLE, IngestOptions())[1]
    own = [(f.id, t) for f in example for t in (f.text, f.headline)]
    own += [(f.id, f.recommendation.text) for f in example if f.recommendation]
    known = KnownFigures(data_figures(digest, example)).extended([], computed_sentences(own))
    check = check_figures({"report": table}, known)
    assert check.total >= 1  # (counts below 10 are not figures: "2 timed-out rows")
    assert [c.text for c in check.claims if c.status != "traced"] == []


def test_a_setting_is_compared_where_the_model_runs_fastest_between_equal_strata(
    tmp_path: Path,
) -> None:
    """num_ctx measured at num_gpu=16 and at num_gpu=48, three runs each: its effect is
    stated at num_gpu=48, where the model would be run, not at the first level found."""
    rates = {(16, 1024): 35.0, (16, 4096): 34.0, (48, 1024): 190.0, (48, 4096): 165.0}
    rows: list[dict[str, object]] = [
        {"model": "m:1b", "num_gpu": gpu, "num_ctx": ctx, "tokens_per_s": rate + d}
        for (gpu, ctx), rate in rates.items()
        for d in (-0.3, 0.0, 0.3)
    ]
    _write(tmp_path / "grid.csv", rows)
    ctx_effect = one(findings_of(tmp_path), "setting_effect", "num_ctx on m:1b")
    assert "num_gpu=48 held fixed" in ctx_effect.text
    assert "190.00 tok/s against 165.00 tok/s" in ctx_effect.text


def _verbose_capture(eval_s: float, rate: float) -> str:
    """An `ollama run --verbose` capture of one prompt (prompt eval at 600 tok/s)."""
    return (
        "ollama run llama3.2:3b --verbose\n>>> Why is the sky blue?\n"
        f"total duration:       {eval_s}s\nload duration:        20ms\n"
        "prompt eval count:    30 token(s)\nprompt eval duration: 50ms\n"
        "prompt eval rate:     600.00 tokens/s\neval count:           200 token(s)\n"
        f"eval duration:        {eval_s}s\neval rate:            {rate:.2f} tokens/s\n"
    )


def test_a_file_naming_no_machine_neither_breaks_nor_joins_the_machine_comparison(
    tmp_path: Path,
) -> None:
    """Two captures named after their machines and one named after none (held-out
    freeletics-like folder): the comparison of the two machines stands (it failed with
    "TypeError: '<' not supported between 'str' and 'NoneType'"); the unnamed one may be
    either machine, so it is compared with neither. Equal rates are "as fast", not
    "0.0 % faster"."""
    (tmp_path / "rtx4090_run.txt").write_text(_verbose_capture(2.0, 100.0))
    (tmp_path / "macbook_air_run.txt").write_text(_verbose_capture(4.0, 50.0))
    (tmp_path / "run.txt").write_text(_verbose_capture(8.0, 25.0))
    _, digest = ingest_folder(tmp_path, IngestOptions())
    findings = compute_findings(digest)
    assert not [f for f in findings if "not computed" in f.text]
    machines = [f for f in findings if " against " in f.title]
    assert {f.title for f in machines} == {
        "rtx4090 against macbook_air (throughput)",
        "macbook_air against rtx4090 (prompt processing)",
    }
    assert "runs 2.0x macbook_air" in machines[0].text or "runs 2.0x" in machines[1].text
    [prompt] = [f for f in machines if "prompt" in f.title]
    assert "runs as fast as rtx4090" in prompt.text and "0.0 %" not in prompt.text


def test_a_serving_benchmarks_request_rate_is_its_load_not_a_setting_to_recommend(
    tmp_path: Path,
) -> None:
    """vLLM bench serve results at request rates 1, 10 and inf (held-out nerdalert folder):
    more offered load buys throughput with latency, so the rate is compared as a workload
    and never recommended as the config to serve with ("use request_rate: inf")."""
    rows = [
        {"model_id": "m/Llama-3.2-3B", "backend": "vllm", "request_rate": rate,
         "output_throughput": tok, "mean_ttft_ms": ttft, "completed": 100}
        for rate, tok, ttft in (("1", 120.0, 40.0), ("1", 121.0, 41.0), ("10", 1100.0, 60.0),
                                ("10", 1120.0, 61.0), ("inf", 2600.0, 2100.0),
                                ("inf", 2650.0, 2200.0))
    ]  # fmt: skip
    (tmp_path / "serve.json").write_text("\n".join(json.dumps(r) for r in rows))
    _, digest = ingest_folder(tmp_path, IngestOptions())
    findings = compute_findings(digest)
    assert [f for f in findings if "request_rate" in f.text]  # compared ...
    texts = [r.text for r in recommendations(findings)]
    assert not [t for t in texts if "request_rate" in t], texts  # ... never recommended


def test_sessions_of_a_setup_stating_no_settings_name_the_model_once(tmp_path: Path) -> None:
    """Two files of one model and no settings that disagree: the text read "llama3.1:8b with
    llama3.1:8b was measured in 2 files" (the config's name falls back to the setup's label)."""
    rows = "model,tokens_per_s\n" + "".join(f"llama3.1:8b,{r}\n" for r in (128.1, 127.6, 128.4))
    (tmp_path / "a.csv").write_text(rows)
    slower = "model,tokens_per_s\n" + "".join(f"llama3.1:8b,{r}\n" for r in (120.3, 119.8, 120.9))
    (tmp_path / "b.csv").write_text(slower)
    digest = ingest_folder(tmp_path, IngestOptions())[1]
    sessions = [f.text for f in compute_findings(digest) if f.kind == "sessions"]
    assert len(sessions) == 1
    assert sessions[0].startswith("llama3.1:8b (settings not stated) was measured in 2 files")


def test_the_risk_table_names_undecided_comparisons_and_counts_none() -> None:
    """'10 comparisons have no verdict' was a count of Chimera's own findings, a figure the
    figures check could trace to no file (chimeraforge-reports: 68 of 69 traced). The row
    names the comparisons; only a list's tail ("and 6 more") is a number."""
    from chimera.findings.finding import Finding
    from chimera.findings.render import risks

    undecided = [
        Finding(id=f"F{i}", kind="setting_effect", title="t", text="x",
                caveats=["too few runs for a verdict"])
        for i in range(1, 7)
    ]  # fmt: skip
    row = risks(undecided).splitlines()[-1]
    assert "Comparisons F1, F2, F3, F4 and 2 more have no verdict" in row
    assert "6 comparisons" not in row
    assert "| Comparison F1 has no verdict |" in risks(undecided[:1])


def test_a_ranking_flags_only_the_setups_whose_sessions_disagree() -> None:
    """The sessions of gemma3:4b at num_ctx=2048 disagree: a ranking of setups at num_ctx=2048
    names its mean as pooling them; a ranking at num_ctx=8192 does not; a ranking over all
    of a model's rows (no settings in its figures' context) does."""
    from chimera.findings.factors import flag_pooled_sessions
    from chimera.grounding.known import KnownFigure

    def mean(value: float, **context: str) -> KnownFigure:
        return KnownFigure(value=value, unit="tok/s", metric="tokens_per_s", statistic="mean",
                           context=context, source="test")  # fmt: skip

    each = [mean(v, model="gemma3:4b", num_ctx="2048", file=f"{v}.csv") for v in (40.0, 60.0)]
    sessions = Finding(id="", kind="sessions", title="sessions of gemma3:4b", text="...",
                       figures=each)  # fmt: skip

    def ranking(**context: str) -> Finding:
        return Finding(id="", kind="model_ranking", title="throughput by model", text="R.",
                       figures=[mean(50.0, model="gemma3:4b", **context),
                                mean(30.0, model="phi4", **context)])  # fmt: skip

    at_2048, at_8192, pooled = flag_pooled_sessions(
        [sessions, ranking(num_ctx="2048"), ranking(num_ctx="8192"), ranking()]
    )[1:]
    assert "gemma3:4b (40.00 and 60.00 tok/s by session)" in at_2048.text
    assert at_8192.text == "R."
    assert "pools sessions that disagree" in pooled.text


def _quantisation_sweep(path: Path, fp8_wins_at: int | None = None) -> None:
    """vLLM bench serve at four concurrencies, NVFP4 and FP8, two runs each (azir111's
    5070 Ti folder): FP8 is the faster only at `fp8_wins_at`."""
    rows = [
        {"model_id": "m/Llama-8B", "backend": "vllm", "quantization": q,
         "max_concurrency": c, "completed": 100,
         "output_throughput": 100 * c * (0.5 if q == "NVFP4" and c == fp8_wins_at else base)
         + rep}
        for q, base in (("NVFP4", 1.5), ("FP8", 1.0))
        for c in (1, 4, 16, 64)
        for rep in (0, 1)
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows))


def test_best_configs_naming_one_winner_at_every_concurrency_are_said_once(
    tmp_path: Path,
) -> None:
    """Eight "best config for m at concurrency=N" findings that all name NVFP4 are one fact:
    said once with the range of its rates and margins, not once per level."""
    _quantisation_sweep(tmp_path / "serve.json")
    best = [f for f in findings_of(tmp_path) if f.kind == "best_config"]
    assert [f.title for f in best] == ["best config for m/Llama-8B at concurrency=1 to 64"]
    (finding,) = best
    assert "At every concurrency measured (4 levels, concurrency=1 to 64)" in finding.text
    # each end of the range beside its level, so the figures check traces it
    assert (
        "quantization=NVFP4: from 150.50 tok/s at concurrency=1 to 9600.50 tok/s at "
        "concurrency=64 (n=2 each), 49.8-50.0 % faster than the runner-up quantization=FP8"
    ) in finding.text, finding.text
    assert "faster than the runner-up quantization=FP8" in finding.text
    assert finding.verdict == "real"
    assert finding.recommendation is not None
    assert finding.recommendation.change == {"quantization": "NVFP4"}


def test_best_configs_whose_winners_differ_stay_apart(tmp_path: Path) -> None:
    _quantisation_sweep(tmp_path / "serve.json", fp8_wins_at=64)
    titles = sorted(f.title for f in findings_of(tmp_path) if f.kind == "best_config")
    assert titles == [
        "best config for m/Llama-8B at concurrency=1 to 16",
        "best config for m/Llama-8B at concurrency=64",
    ]
    merged = one(findings_of(tmp_path), "best_config", titles[0])
    assert "At concurrency=1 to 16 (3 of the 4 levels measured)" in merged.text


def test_a_range_of_one_value_is_said_once() -> None:
    from chimera.findings.settings_effects import span

    assert span(-8.8, -8.8, " %", 1) == "-8.8 %"
    assert span(-9.0, -2.0, " %", 1) == "-9.0 % to -2.0 %"
    assert span(1.23, 1.61, "x") == "1.23-1.61x"


def test_one_tuned_config_against_the_baseline_is_one_change_not_a_range(tmp_path: Path) -> None:
    """bhodgens' one speculative config against its baseline read "the tuned configs run
    -8.8 % to -8.8 % of it": a range of one value is said once, and one config as one."""
    _write(tmp_path / "m_baseline.csv",
           [{"model": "m:1b", "tokens_s": v} for v in (27.7, 27.8, 27.9)])  # fmt: skip
    _write(tmp_path / "m_tuned.csv", [{"model": "m:1b", "num_ctx": 2048, "tokens_s": 25.35}])
    (base,) = [f for f in findings_of(tmp_path) if f.kind == "baseline"]
    assert "the tuned config differs from it by -8.8 % (n=1 and 3;" in base.text, base.text
    assert "% to" not in base.text and "% to" not in base.headline


def test_levels_of_one_winner_apart_in_the_sweep_are_named_one_by_one(tmp_path: Path) -> None:
    """igneous' MI50 folder: MTP fastest at concurrency 1, 4, 6, 8 and 32, other builds at
    2, 16 and 48: not "concurrency=1 to 32", which spans levels another config won."""
    _quantisation_sweep(tmp_path / "serve.json", fp8_wins_at=4)
    titles = sorted(f.title for f in findings_of(tmp_path) if f.kind == "best_config")
    assert titles == [
        "best config for m/Llama-8B at concurrency=1, 16 and 64",
        "best config for m/Llama-8B at concurrency=4",
    ]


def test_a_best_config_tied_with_its_runner_up_is_no_zero_percent_faster(tmp_path: Path) -> None:
    """azir111's TensorRT-LLM NVFP4 at concurrency 64: 6486.60 tok/s in two files, one
    with another setting: 'the fastest is 0.0 % faster' named a winner there is none of."""
    _write(tmp_path / "a.csv", [{"model": "m:1b", "num_ctx": 2048, "tokens_s": 6486.6}])
    _write(tmp_path / "b.csv", [{"model": "m:1b", "num_ctx": 4096, "tokens_s": 6486.6}])
    best = one(findings_of(tmp_path), "best_config", "best config for m:1b")
    assert "0.0 %" not in best.text
    assert "the two rates are the same" in best.text, best.text


def test_a_recommendation_of_a_tie_names_both_configs(tmp_path: Path) -> None:
    """leoriccrown's num_ctx sweep: "For deepseek-r1:8b, use num_ctx: 49152: 133.08 tok/s,
    tied with num_ctx=24576 within the run-to-run spread" told the reader to pick one of two
    configs the data does not tell apart. A tie recommends either, naming both."""
    rows = [
        {"model": "m:8b", "num_ctx": ctx, "tokens_s": rate}
        for ctx, rates in ((24576, (132.1, 133.6, 132.0)), (49152, (133.9, 132.2, 133.1)),
                           (131072, (14.2, 14.5, 14.1)))
        for rate in rates
    ]  # fmt: skip
    _write(tmp_path / "sweep.csv", rows)
    best = one(findings_of(tmp_path), "best_config", "best config for m:8b")
    assert best.verdict == "no measurable effect", best.text
    assert best.recommendation is not None
    text = best.recommendation.text
    assert text.startswith(
        "For m:8b, use either num_ctx: 49152 or the runner-up num_ctx=24576: 133.07 and "
        "132.57 tok/s, tied within the run-to-run spread"
    ), text


def test_degenerate_figures_are_said_as_what_they_are(tmp_path: Path) -> None:
    """Ratios that print '1.0x' at both ends (SGLang against vLLM, 0.97-1.01x), a TTFT the
    same at both levels (guruswami's 6900.00 ms at Q2 and Q8, '0.0 % lower ... rules out
    more than ±0.0 %'), a change across models that rounds to '-0.0 %' (crypdick's MiniMax,
    407.42 against 407.55 tok/s, shown -0.03 %): each says what it is."""
    from chimera.findings.factors import ratio_span

    assert ratio_span(0.97, 1.01) == ("0.97-1.01x", 2)
    assert ratio_span(1.001, 1.004) == ("1.00x", 2)
    assert ratio_span(5.12, 5.14) == ("5.1x", 1)
    assert ratio_span(5.1, 5.8) == ("5.1-5.8x", 1)
    rows = [
        {"model": model, "quantization": q, "prompt": p, "tokens_s": rate + i / 100,
         "ttft_ms": 6900.0}
        for model, rates in (("m:1b", {"Q2": 137.4, "Q8": 68.4}), ("n:1b", {"Q2": 50.0,
                                                                          "Q8": 50.01}))
        for q, rate in rates.items()
        for p in ("short", "long")
        for i in range(3)
    ]  # fmt: skip
    _write(tmp_path / "bench.csv", rows)
    texts = " ".join(f.text for f in findings_of(tmp_path))
    for degenerate in ("(0.0 % lower", "±0.0 %)", "(+0.0 %)", "(-0.0 %)"):
        assert degenerate not in texts, texts
    assert "6900 ms at both quantization=Q2 and quantization=Q8" in texts, texts
    assert "n:1b 50.02 tok/s vs 50.01 tok/s (+0.02 %)" in texts, texts


def test_reported_figures_all_alike_are_the_same_figure_not_zero_percent_above() -> None:
    """newbdez33's README and its final comparison report 37.37 tok/s for GGUF Q4_K_S, one
    with its quantisation and one without: 'the fastest 0.0 % above the slowest'."""
    from chimera.findings.reported import _reported_findings
    from chimera.ingest.digest.models import MetricStats, Setup

    def pair(config: str, params: dict[str, object], path: str) -> tuple[Setup, MetricStats]:
        stat = MetricStats(metric="tokens_per_s", unit="tok/s", column="tok/s",
                           group_by="model+config_name", group=f"q4ks / {config}",
                           sources=[path], n=1, mean=37.37, median=37.37, p95=37.37,
                           min=37.37, max=37.37, aggregate="mean")  # fmt: skip
        return Setup(model="q4ks", config=config, params=params, synthetic=True), stat

    pairs = [pair("quantization=4-bit", {"quantization": "4-bit"}, "README.md"),
             pair("settings not stated", {}, "final.md")]  # fmt: skip
    (finding,) = _reported_findings({"q4ks": pairs}, "throughput", "tok/s")
    assert "the same figure each time" in finding.text, finding.text
    assert "0.0 %" not in finding.text


def test_one_model_named_by_a_path_and_a_hub_id_is_said_to_be_one(tmp_path: Path) -> None:
    """simon-mo's two H200 hosts named DeepSeek-R1 by a local path on one and by its hub id
    on the other: "deepseek-ai/DeepSeek-R1 is 18.8 % faster than /data/nm/models/DeepSeek-R1"
    set one model against itself. The ranking says the gap is between the runs, not models."""
    rows = [{"model": "/data/models/Llama-3-8B", "tokens_s": v} for v in (70.1, 70.3, 69.9)]
    rows += [{"model": "meta-llama/Llama-3-8B", "tokens_s": v} for v in (80.2, 80.4, 80.1)]
    rows += [{"model": "meta-llama/Llama-3-70B", "tokens_s": v} for v in (20.2, 20.4, 20.1)]
    _write(tmp_path / "runs.csv", rows)
    (ranking,) = [
        f for f in findings_of(tmp_path) if f.kind == "model_ranking" and "throughput" in f.title
    ]
    assert "one model named two ways" in ranking.caveats
    assert "/data/models/Llama-3-8B and meta-llama/Llama-3-8B name one model" in ranking.text
    assert "Llama-3-70B name one model" not in ranking.text


def test_a_settings_levels_are_said_over_the_prompts_its_headline_compares(
    tmp_path: Path,
) -> None:
    """mlx-aukejw's MLX runs: "int4 gives 111.72 tok/s against 37.75 tok/s at bfloat16 (over
    the 7 prompt lengths both ran). All levels ...: 37.68 tok/s at bfloat16, 111.20 tok/s at
    int4": one level, two figures in one finding, the second over all its runs (more of them
    at some prompt lengths than others). Where every level ran the prompts the headline
    compares, each level is said over those prompts, as the headline says it."""
    rows = ["model,quantization,prompt,tokens_per_s"]
    rates = {"int4": (100.0, 120.0), "int8": (70.0, 80.0), "bf16": (35.0, 40.0)}
    for quant, (short, long) in rates.items():
        deltas = (-0.5, 0.0, 0.5)
        twice = deltas * 2 if quant == "int4" else deltas  # int4 ran the short prompt 6 times
        rows += [f"m,{quant},short,{short + d}" for d in twice]
        rows += [f"m,{quant},long,{long + d}" for d in deltas]
    (tmp_path / "runs.csv").write_text("\n".join(rows) + "\n")
    [effect] = [
        f for f in findings_of(tmp_path)
        if f.title.startswith("quantization on m") and "prompt processing" not in f.title
    ]  # fmt: skip
    text = " ".join(effect.text.split())
    assert "gives 110.00 tok/s against 37.50 tok/s at quantization=bf16" in text
    series = text.split("All levels", 1)[1]
    assert "110.00 tok/s at quantization=int4" in series  # not 106.67, its runs' mean
    assert "37.50 tok/s at quantization=bf16" in series
    assert "75.00 tok/s at quantization=int8" in series


def test_two_models_ranked_on_their_shared_settings_are_both_not_all_2(tmp_path: Path) -> None:
    """isotopp's two Qwen models on kv_cache_dtype=turbo3: "on the settings all 2 were
    measured with". Two are both; three or more are all of them."""
    rows = ["model,kv_cache_dtype,prompt,tokens_per_s"]
    for model, tg in (("a", 60.0), ("b", 12.0)):
        rows += [f"{model},turbo3,{p},{tg + d}" for p in ("x", "y") for d in (-0.2, 0.0, 0.2)]
    (tmp_path / "runs.csv").write_text("\n".join(rows) + "\n")
    [ranking] = [f for f in findings_of(tmp_path) if f.title.startswith("throughput by model")]
    text = " ".join(ranking.text.split())
    assert "on the settings both were measured with (kv_cache_dtype=turbo3)" in text
    rows += [f"c,turbo3,{p},{30.0 + d}" for p in ("x", "y") for d in (-0.2, 0.0, 0.2)]
    (tmp_path / "runs.csv").write_text("\n".join(rows) + "\n")
    [ranking] = [f for f in findings_of(tmp_path) if f.title.startswith("throughput by model")]
    assert "on the settings all 3 were measured with" in " ".join(ranking.text.split())


_LEVEL_MEANS = """\
import sys
from pathlib import Path
from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.ingest.digest import ingest_folder
_, digest = ingest_folder(Path(sys.argv[1]), IngestOptions())
print([repr(x.value) for f in compute_findings(digest) if f.kind == "setting_effect"
       for x in f.figures if x.statistic == "mean"])
"""


def test_a_settings_level_means_are_the_same_in_every_process(tmp_path: Path) -> None:
    """A level's mean over the prompts both levels ran summed its per-prompt means in a set's
    order, which moves with the process's string hashes: aukejw's figures differed in their
    last digit from one run of Chimera to the next (and the snapshot of identical code with
    them). Three hash seeds, one set of figures."""
    rows = ["model,quantization,prompt,tokens_per_s"]
    for quant, base in (("int4", 40.0), ("bf16", 12.0)):
        for p in range(7):
            runs = 4 if quant == "int4" and p < 3 else 3  # int4 ran some prompts more
            rows += [f"m,{quant},prompt {p},{base + ((p * 37 + r * 11) % 97) / 13.7:.4f}"
                     for r in range(runs)]  # fmt: skip
    (tmp_path / "runs.csv").write_text("\n".join(rows) + "\n")
    root = str(Path(__file__).resolve().parents[1])
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        out = subprocess.run([sys.executable, "-c", _LEVEL_MEANS, str(tmp_path)], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        seen.add(out.stdout)
    assert len(seen) == 1, seen
    assert seen.pop().strip() != "[]"  # the level means were computed at all


def test_the_overview_never_pools_serving_engines(tmp_path: Path) -> None:
    """simonmo's R1 runs (report6): the overview finding averaged vLLM, SGLang and
    TensorRT-LLM into one mean throughput (837.17 tok/s, min 26.83, max 1512.76) that the
    summary cited: a mean over engines describes none. With several engines there is no
    pooled overview; with one, the same rows give it."""
    engines = (("vllm", "a/A-8B", 900.0), ("sglang", "b/B-7B", 700.0), ("trtllm", "c/C-1B", 30.0))
    for engine, model, speed in engines:
        rows = [{"model": model, "engine": engine, "output_throughput": speed + i} for i in (0, 1)]
        _write(tmp_path / "three" / f"{engine}.csv", rows)
    one = [{"model": "a/A-8B", "engine": "vllm", "output_throughput": s} for s in (900, 901)]
    _write(tmp_path / "one" / "vllm.csv", one)
    pooled = [f for f in findings_of(tmp_path / "three") if f.title == "throughput over all rows"]
    assert pooled == []
    assert [f.title for f in findings_of(tmp_path / "one") if f.kind == "overview"] == [
        "throughput over all rows"
    ]
