"""Every sentence a finding prints traces on its own (benchmarks/strict_trace.py).

A report's summary and risk table quote each finding's short form (its headline): a clause,
not one of Chimera's computed sentences, so it must trace against the data's figures and the
findings' own, without the sentence it was cut from. The figures check reads a machine's or
engine's name as a name, and a finding's own ratio or share where its sentence names both
sides it compares, in order and in the right direction.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.grounding.figures import OWN_COMPARISON, KnownFigures, check_figures
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest import ingest_folder

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.strict_trace import moved_caught, untraced  # noqa: E402

EXAMPLE = REPO / "examples" / "data"
BENCH = REPO / "tests" / "fixtures" / "llama_bench"


def _mean(value: float, machine: str, engine: str, model: str = "qwen3:4b") -> KnownFigure:
    context = {"model": model, "machine": machine, "engine": engine}
    return KnownFigure(
        value=value, unit="tok/s", metric="tokens_per_s", statistic="mean", context=context,
        kind="tokens_per_s mean", source=f"digest: mean on {machine}",
    )  # fmt: skip


def _ratio(value: float, side: str, versus: str) -> KnownFigure:
    return KnownFigure(
        value=value, unit="x", metric="tokens_per_s", statistic="ratio",
        context={"model": "qwen3:4b", "side": side, "versus": versus},
        kind="tokens_per_s ratio", source="finding: tokens_per_s ratio",
    )  # fmt: skip


def _figures() -> list[KnownFigure]:
    return [
        _mean(95.17, "NVIDIA GeForce RTX 4060 Laptop GPU", "llama.cpp b5870 (CUDA)"),
        _mean(38.07, "AMD Radeon 8060S Graphics", "llama.cpp b5870 (Vulkan)"),
        _mean(20.0, "AMD Radeon 8060S Graphics", "llama.cpp b5870 (Vulkan)", model="gemma3:4b"),
        _ratio(2.4998, "NVIDIA GeForce RTX 4060 Laptop GPU", "AMD Radeon 8060S Graphics"),
        _ratio(2.0412, "NVIDIA GeForce RTX 4060 Laptop GPU", "AMD Radeon 8060S Graphics"),
        _ratio(1.58, "num_gpu=99", "num_gpu=0"),
        *(
            KnownFigure(
                value=v,
                unit="%",
                metric="tokens_per_s",
                statistic="pct",
                context={"model": "qwen3:4b", "side": "tuned config", "versus": "the baseline"},
                source="finding: tuned",
            )
            for v in (-1.5553, 2.227)
        ),
        *(
            KnownFigure(
                value=v,
                unit="%",
                metric="tokens_per_s",
                statistic="interval",
                context={"model": "qwen3:4b", "side": "num_ctx=2048", "versus": "num_ctx=8192"},
                source="finding: interval",
            )
            for v in (-10.6, 28.2)
        ),  # fmt: skip
    ]


@pytest.fixture(scope="module")
def known() -> KnownFigures:
    return KnownFigures(_figures())


def _statuses(text: str, known: KnownFigures) -> dict[str, str]:
    return {c.text: c.status for c in check_figures({"t": text}, known).claims}


def test_a_machines_or_engines_name_is_no_figure(known: KnownFigures) -> None:
    """ "Radeon 8060S" is no 8060 s, "RTX 4060" no count, "b5870" no figure: before, each
    was a figure no data backs, and a short form naming a machine never traced."""
    text = (
        "On AMD Radeon 8060S Graphics with llama.cpp b5870 (Vulkan), qwen3:4b runs 38.07 "
        "tok/s; on NVIDIA GeForce RTX 4060 Laptop GPU, 95.17 tok/s."
    )
    assert list(_statuses(text, known)) == ["38.07 tok/s", "95.17 tok/s"]
    # a name the data does not hold is read as before
    assert "8060S" in _statuses("On a Radeon 8060S it runs 38.07 tok/s.", KnownFigures([]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline's range of the comparison's ratios, both sides named in order
        ("NVIDIA GeForce RTX 4060 Laptop GPU runs 2.0-2.5x the throughput of AMD Radeon "
         "8060S Graphics", {"2.0 x": "traced", "2.5x": "traced"}),
        ("num_gpu=99 is 1.58x as fast as num_gpu=0 for throughput on qwen3:4b",
         {"1.58x": "traced"}),
        # an interval's bounds back the range a sentence states, not a change
        ("On qwen3:4b, throughput is 87.89 tok/s at num_ctx=2048, 82.54 tok/s at num_ctx=8192: "
         "the change could be anywhere from -11 % to +28 %.", {"11 %": "traced", "28 %": "traced"}),
        ("num_ctx=2048 is 28 % faster than num_ctx=8192 for throughput on qwen3:4b",
         {"28 %": "untraced"}),
        # a range's ends go both ways: the word beside them is not judged
        ("No tuned config is shown faster than the baseline on qwen3:4b (-1.6 % to +2.2 %)",
         {"1.6 %": "traced", "2.2 %": "traced"}),
        # the sides the other way round, a side not named, another value, the wrong word
        ("num_gpu=0 is 1.58x as fast as num_gpu=99 for throughput on qwen3:4b",
         {"1.58x": "untraced"}),
        ("num_gpu=9 is 1.58x as fast as num_gpu=0 for throughput on qwen3:4b",
         {"1.58x": "untraced"}),
        ("num_gpu=99 is 1.68x as fast as num_gpu=0 for throughput on qwen3:4b",
         {"1.68x": "untraced"}),
        ("num_gpu=99 is 1.58x slower than num_gpu=0 for throughput on qwen3:4b",
         {"1.58x": "untraced"}),
        # another model's comparison, another metric's
        ("num_gpu=99 is 1.58x as fast as num_gpu=0 for throughput on gemma3:4b",
         {"1.58x": "untraced"}),
        ("num_gpu=99 runs 1.58x the prompt processing of num_gpu=0 on qwen3:4b",
         {"1.58x": "untraced"}),
    ],
)  # fmt: skip
def test_a_findings_own_comparison_traces_where_its_sides_are_named(
    text: str, expected: dict[str, str], known: KnownFigures
) -> None:
    got = {k: v for k, v in _statuses(text, known).items() if k in expected}
    assert got == expected
    if "traced" in expected.values():
        claims = check_figures({"t": text}, known).claims
        assert {c.traced_by for c in claims if c.text in expected} == {OWN_COMPARISON}


def _two_machines(folder: Path) -> Path:
    """The llama-bench fixture on its RTX 4060 and, scaled, on a Radeon 8060S: a machine
    comparison whose headline states the range of its per-setup ratios."""
    rows = json.loads((BENCH / "llama-bench.json").read_text())
    folder.mkdir()
    (folder / "rtx4060.json").write_text(json.dumps(rows))
    other = []
    for i, row in enumerate(rows):
        row = copy.deepcopy(row)
        row["gpu_info"], row["backends"] = "AMD Radeon 8060S Graphics", "Vulkan"
        f = 0.35 + 0.05 * i
        row["samples_ts"] = [round(x * f, 2) for x in row["samples_ts"]]
        row["samples_ns"] = [int(x / f) for x in row["samples_ns"]]
        row["avg_ts"], row["avg_ns"] = row["avg_ts"] * f, int(row["avg_ns"] / f)
        row["stddev_ts"] *= f
        other.append(row)
    (folder / "radeon8060s.json").write_text(json.dumps(other))
    return folder


def _reported(folder: Path) -> Path:
    """A summary table of means by setting (a README's): its finding's text lists each
    setup's figure; its short form must not cut a figure from the setting it was measured at,
    and its margin of the first over the last, twelve setups apart, must trace."""
    folder.mkdir()
    rows = "".join(
        f"| qwen2.5-coder-7b-instruct-q4_K_M | {1024 * (i + 1)} | {101.37 - 2.5 * i:.2f} |\n"
        for i in range(12)
    )
    (folder / "results.md").write_text(
        "# Results on RTX 3090\n\n| model | num_ctx | eval rate (tok/s) |\n|---|---|---|\n" + rows
    )
    return folder


def _findings(folder: Path) -> tuple[object, list]:
    _, digest = ingest_folder(folder, IngestOptions())
    return digest, compute_findings(digest)


def test_every_short_form_and_recommendation_traces_on_its_own(tmp_path: Path) -> None:
    """Over examples/data and small folders shaped like real ones, every short form and
    recommendation traces without Chimera's computed sentences (before: the headlines'
    ratios and shares, "num_ctx=2048 is 27.6 % faster than num_ctx=8192 for throughput on
    gemma3:270m", cited neither figure they came from)."""
    folders = [EXAMPLE, BENCH, _two_machines(tmp_path / "two"), _reported(tmp_path / "rep")]
    for folder in folders:
        digest, findings = _findings(folder)
        assert findings
        left = untraced(digest, findings, ("short", "rec"))  # type: ignore[arg-type]
        assert [(u.finding, u.part, u.figures, u.sentence) for u in left] == [], folder


def test_the_texts_of_examples_data_trace_but_for_what_only_they_compute() -> None:
    """A finding's whole text may hold what only it computes: a note's quoted claim and the
    range it is read as, a count it makes ("over the 2 prompts both ran");
    the kinds that do are listed, and no more of them than now (a setting effect's bounds
    trace since they are its figures, and a best config's: 14 texts before, 10 now)."""
    digest, findings = _findings(EXAMPLE)
    left = untraced(digest, findings, ("text",))  # type: ignore[arg-type]
    kinds = {u.kind for u in left}
    assert kinds <= {"notes_vs_data", "best_config", "cold_start", "baseline"}
    # a best config's margin and interval over the runner-up are its figures
    assert not [u.figures for u in left if u.kind == "best_config" and "%" in str(u.figures)]
    assert len(left) <= 10


def test_a_figure_of_a_model_on_a_machine_traces_in_a_sentence_about_the_model() -> None:
    """A machine (or engine) in a figure's context is where it ran, not a setup: before, a
    figure of gemma3:1b on aws-t2-large traced in no sentence (no sentence names a machine as
    a setting), so the instability finding's own recommendation did not trace."""
    on = {"model": "gemma3:1b", "machine": "aws-t2-large"}
    known = KnownFigures(
        [
            KnownFigure(value=29.52, unit="%", metric="tokens_per_s", statistic="cv",
                        context=on, source="finding: cv"),
            KnownFigure(value=8.1, unit="tok/s", metric="tokens_per_s", statistic="mean",
                        context=on | {"num_ctx": "2048"}, source="digest: mean"),
            KnownFigure(value=9.3, unit="tok/s", metric="tokens_per_s", statistic="mean",
                        context=on | {"num_ctx": "8192"}, source="digest: mean"),
        ]
    )  # fmt: skip
    text = "Repeat gemma3:1b on aws-t2-large: its throughput varies by 29.5 % from run to run."
    assert _statuses(text, known) == {"29.5 %": "traced"}
    # a setup's figure still needs its setup named
    assert _statuses("gemma3:1b on aws-t2-large runs 8.10 tok/s.", known) == {
        "8.10 tok/s": "untraced"
    }
    assert _statuses("gemma3:1b at num_ctx=2048 runs 8.10 tok/s.", known)["8.10 tok/s"] == "traced"


def test_a_reported_summary_and_its_margin_trace(tmp_path: Path) -> None:
    """The short form is the fastest setup's figure with its setting; the margin of the
    fastest over the slowest, eleven figures apart, traces (before: neither)."""
    digest, findings = _findings(_reported(tmp_path / "rep"))
    (reported,) = [f for f in findings if f.kind == "reported"]
    assert reported.short().endswith("101.37 tok/s with num_ctx=1024 (its fastest setup)")
    assert "the fastest 37.2 % above the slowest" in reported.text
    assert untraced(digest, findings, ("short", "text")) == []  # type: ignore[arg-type]


def test_a_machine_that_ran_several_engines_is_named_with_its_engine(tmp_path: Path) -> None:
    """orionzhen's RX 7900 XTX against the Radeon 8060S was twelve findings of one wording,
    \"runs 2.0-2.1x\" to \"runs 2.9-3.0x the throughput of Radeon 8060S Graphics\", one per
    pair of engines: each now names its engines, and its range traces."""
    folder = _two_machines(tmp_path / "two")
    rows = json.loads((folder / "rtx4060.json").read_text())
    for row in rows:
        row["backends"] = "Vulkan"
        row["samples_ts"] = [round(x * 0.8, 2) for x in row["samples_ts"]]
        row["samples_ns"] = [int(x / 0.8) for x in row["samples_ns"]]
        row["avg_ts"], row["avg_ns"] = row["avg_ts"] * 0.8, int(row["avg_ns"] / 0.8)
    (folder / "rtx4060-vulkan.json").write_text(json.dumps(rows))
    digest, findings = _findings(folder)
    headlines = [f.headline for f in findings if f.kind == "machine_comparison"]
    assert len(headlines) >= 2 and len(set(headlines)) == len(headlines)
    assert all(" with llama.cpp b5870 (" in h for h in headlines)
    assert untraced(digest, findings, ("short",)) == []  # type: ignore[arg-type]


def test_a_swept_prompt_length_is_called_so(tmp_path: Path) -> None:
    """guruswami's 405B ran each quantization at context lengths of 1024 to 32768 tokens:
    "consistent over the 5 prompts both ran" and "Mean TTFT is 538.25 s at Q2" read as five
    prompts and a typical wait; they are the prompt lengths swept, and the TTFT mean is over
    them."""
    rows = ["model,topology,nodes,quant,context_tokens,generation_tps,ttft_seconds"]
    for quant, f in (("Q2", 1.0), ("Q6", 0.45)):
        for ctx, rate in ((1024, 5.0), (4096, 4.7), (16384, 4.1)):
            rows += [
                f"Llama-3.1-405B-Instruct,SINGLE,1,{quant},{ctx},{rate * f + rep * 0.05:.2f},"
                f"{ctx / 27 * (1.01 if quant == 'Q6' else 1) + rep:.1f}"
                for rep in range(2)
            ]
    (tmp_path / "benchmark-results.csv").write_text("\n".join(rows) + "\n")
    digest, findings = _findings(tmp_path)
    (effect,) = [f for f in findings if f.kind == "setting_effect"]
    assert "consistent over the 3 prompt lengths both ran" in effect.text
    assert "Mean TTFT over the 3 prompt lengths both ran is 265.97 s at quantization=Q2" in (
        effect.text
    )
    assert "prompts" not in effect.text
    assert untraced(digest, findings, ("short",)) == []  # type: ignore[arg-type]


def test_a_machine_comparisons_examples_name_their_setup(tmp_path: Path) -> None:
    """The two machines' pairs differ in flash_attn: the examples said "qwen2.5-1.5b-instruct-
    q4_k_m 95.17 tok/s vs 38.07 tok/s", a setup no reader can find, and the median ratio
    (2.3x) was no pair's: now each example names the setting its pairs differ in, and the
    whole text traces."""
    digest, findings = _findings(_two_machines(tmp_path / "two"))
    text = next(f.text for f in findings if f.kind == "machine_comparison")
    assert "qwen2.5-1.5b-instruct-q4_k_m (flash_attn=0) 95.17 tok/s vs 38.07 tok/s" in text
    assert "(median 2.3x;" in text
    assert untraced(digest, findings, ("text",)) == []  # type: ignore[arg-type]


def test_a_best_config_said_once_over_a_sweep_traces(tmp_path: Path) -> None:
    """The best configs of a concurrency sweep that all name NVFP4 are one finding (azir111's
    5070 Ti): its range of rates names the level of each end ("from 150.50 tok/s at
    concurrency=1 to 9600.50 tok/s at concurrency=64"), its counts theirs, so text, short
    form and recommendation trace on their own."""
    rows = [
        {"model_id": "m/Llama-8B", "backend": "vllm", "quantization": q, "completed": 100,
         "max_concurrency": c, "output_throughput": 100 * c * base + rep}
        for q, base in (("NVFP4", 1.5), ("FP8", 1.0))
        for c in (1, 4, 16, 64)
        for rep in (0, 1)
    ]  # fmt: skip
    (tmp_path / "serve.json").write_text("\n".join(json.dumps(r) for r in rows))
    digest, findings = _findings(tmp_path)
    best = [f for f in findings if f.kind == "best_config"]
    assert len(best) == 1 and best[0].recommendation is not None
    left = untraced(digest, best)  # type: ignore[arg-type]
    assert [(u.part, u.figures, u.sentence) for u in left] == []


def test_a_machine_is_an_entity_a_figure_of_another_machine_does_not_trace(
    known: KnownFigures,
) -> None:
    """ "X tok/s on machine A" traces only if A's data has it: before, a machine's name
    constrained nothing, so the RTX 4060's 95.17 tok/s traced as the Radeon's too."""
    rtx, radeon = "NVIDIA GeForce RTX 4060 Laptop GPU", "AMD Radeon 8060S Graphics"
    assert _statuses(f"On {radeon}, qwen3:4b runs 95.17 tok/s.", known) == {
        "95.17 tok/s": "untraced"
    }
    assert _statuses(f"On {rtx}, qwen3:4b runs 95.17 tok/s.", known) == {"95.17 tok/s": "traced"}
    # each figure bound to the machine its own clause names
    right = f"qwen3:4b runs 95.17 tok/s on {rtx} and 38.07 tok/s on {radeon}."
    assert set(_statuses(right, known).values()) == {"traced"}
    swapped = f"qwen3:4b runs 95.17 tok/s on {radeon} and 38.07 tok/s on {rtx}."
    assert set(_statuses(swapped, known).values()) == {"untraced"}
    # a sentence that names no machine still traces either
    assert _statuses("qwen3:4b runs 38.07 tok/s.", known) == {"38.07 tok/s": "traced"}


def test_a_figure_of_a_machine_no_file_names_is_not_refuted_by_a_machine_named() -> None:
    """A CPU-mode file that names no machine may have run on the GPU's machine (khaney64):
    nothing says it did not, so naming that machine does not refute its figure."""
    known = KnownFigures(
        [
            KnownFigure(value=8.93, unit="tok/s", metric="tokens_per_s", statistic="mean",
                        context={"model": "mistral:7b", "machine": "not stated"}, source="d"),
            KnownFigure(value=77.41, unit="tok/s", metric="tokens_per_s", statistic="mean",
                        context={"model": "mistral:7b", "machine": "NVIDIA GeForce RTX 4070"},
                        source="d"),
        ]
    )  # fmt: skip
    text = "On NVIDIA GeForce RTX 4070, mistral:7b runs 8.93 tok/s."
    assert _statuses(text, known) == {"8.93 tok/s": "traced"}


def _reported_fig(value: float, context: dict[str, str]) -> KnownFigure:
    return KnownFigure(
        value=value, unit="tok/s", metric="tokens_per_s", statistic="mean",
        context=context, kind="tokens_per_s mean", source="digest: mean as reported",
    )  # fmt: skip


def test_a_setting_of_the_datas_own_naming_is_read_as_a_setting() -> None:
    """h2ogpt's `bits`, bhodgens' `thr` and `MTP n`: settings the data names its own way.
    Before, "with bits=16" named no setup (its figure did not trace) and "bits=4" was a
    figure 4; the check now learns the settings from the figures' contexts."""
    model = "h2oai/h2ogpt-4096-llama2-13b-chat"
    known = KnownFigures(
        [
            _reported_fig(24.93, {"model": model, "bits": "16"}),
            _reported_fig(9.77, {"model": model, "bits": "4"}),
            _reported_fig(36.9, {"model": "Qwopus", "MTP n": "3"}),
            _reported_fig(30.1, {"model": "Qwopus", "MTP n": "5"}),
        ]
    )
    text = f"{model} reports a generation throughput of 24.93 tok/s with bits=16."
    assert _statuses(text, known) == {"24.93 tok/s": "traced"}
    text = f"{model} reports a generation throughput of 9.77 tok/s with bits=4."
    assert _statuses(text, known) == {"9.77 tok/s": "traced"}
    # the other setting's figure does not trace
    text = f"{model} reports a generation throughput of 9.77 tok/s with bits=16."
    assert _statuses(text, known) == {"9.77 tok/s": "untraced"}
    text = "Qwopus reports 36.90 tok/s with MTP n=3 and 30.10 tok/s with MTP n=5."
    assert _statuses(text, known) == {"36.90 tok/s": "traced", "30.10 tok/s": "traced"}
    text = "Qwopus reports 36.90 tok/s with MTP n=5."
    assert _statuses(text, known) == {"36.90 tok/s": "untraced"}


def test_a_config_named_by_its_settings_names_them() -> None:
    """sglang-dlora's configs are named "request_rate=40, routing_strategy=static": the
    runner-up's figure, in a sentence that also names the fastest's settings, traces to it."""
    figs = [
        _reported_fig(1542.87, {"model": "m", "request_rate": "40",
                                "routing_strategy": "least_loaded"}),
        _reported_fig(990.6, {"model": "m", "request_rate": "40", "routing_strategy": "static"}),
        KnownFigure(value=55.75, unit="%", metric="tokens_per_s", statistic="pct",
                    context={"model": "m", "config": "request_rate=40, routing_strategy=static"},
                    source="finding"),
    ]  # fmt: skip
    known = KnownFigures(figs)
    text = (
        "The fastest config for m at request_rate=40 is request_rate=40, "
        "routing_strategy=least_loaded at 1542.87 tok/s; the runner-up request_rate=40, "
        "routing_strategy=static at 990.60 tok/s."
    )
    got = {k: v for k, v in _statuses(text, known).items() if "tok/s" in k}
    assert got == {"1542.87 tok/s": "traced", "990.60 tok/s": "traced"}


def test_a_machine_comparisons_ratio_traces_where_it_names_both_machines_in_order() -> None:
    """h2ogpt's machine comparisons: its ratio's context is the machines "A vs B" (no
    side/versus), and the headline states it as a share ("1.4 % above"); before, neither
    traced as the finding's own (the 2.36x traced only by chance, to another machine's pair)."""
    a, b = "2 x NVIDIA RTX A6000", "4 x NVIDIA RTX A6000"
    model = "h2oai/h2ogpt-4096-llama2-70b-chat"
    known = KnownFigures(
        [
            KnownFigure(value=1.0140911, unit="x", metric="tokens_per_s", statistic="ratio",
                        context={"model": model, "machine": f"{a} vs {b}"},
                        source="finding: ratio"),
            KnownFigure(value=2.3627, unit="x", metric="tokens_per_s", statistic="ratio",
                        context={"model": model, "machine": f"{a} vs {b}"},
                        source="finding: ratio"),
        ]
    )  # fmt: skip
    said = f"{a} reports 1.4 % above {b} on {model} with Transformers (generation throughput)"
    assert _statuses(said, known) == {"1.4 %": "traced"}
    claims = check_figures({"t": said}, known).claims
    assert [c.traced_by for c in claims] == [OWN_COMPARISON]
    said = f"{a} reports 2.36x the figure of {b} on {model} (generation throughput)"
    assert _statuses(said, known) == {"2.36x": "traced"}
    for wrong in (
        f"{b} reports 1.4 % above {a} on {model} (generation throughput)",
        f"{a} reports 1.6 % above {b} on {model} (generation throughput)",
        f"{a} reports 1.4 % below {b} on {model} (generation throughput)",
        f"{b} reports 2.36x the figure of {a} on {model} (generation throughput)",
    ):
        assert set(_statuses(wrong, known).values()) == {"untraced"}, wrong


def test_more_than_plus_or_minus_a_share_is_a_bound_not_a_comparison() -> None:
    """kyuz0: "the data rules out more than ±0.2 % (7.80 tok/s at power_profile=default,
    7.80 tok/s at power_profile=performance)": "more" bounds the change, it does not say the
    first figure is the larger."""
    known = KnownFigures(
        [
            _reported_fig(7.8, {"model": "q", "power_profile": "default"}),
            _reported_fig(7.8, {"model": "q", "power_profile": "performance"}),
        ]
    )
    text = (
        "On q, power_profile has no measurable effect on throughput: the data rules out "
        "more than ±0.2 % (7.80 tok/s at power_profile=default, 7.80 tok/s at "
        "power_profile=performance)."
    )
    got = {c.text: c.traced_by for c in check_figures({"t": text}, known).claims}
    assert got.get("7.80 tok/s") != "wrong direction"
    assert [c.status for c in check_figures({"t": text}, known).claims if "tok/s" in c.text] == [
        "traced",
        "traced",
    ]


def _stated(finding: str, *figures: KnownFigure) -> list[KnownFigure]:
    """Figures as the findings' figures are collected: each knows which finding states it."""
    return [fig.model_copy(update={"finding": finding}) for fig in figures]


def _pair_ratio(
    value: float, model: str, machines: str = "NVIDIA L40S vs NVIDIA A30"
) -> KnownFigure:
    return KnownFigure(
        value=value, unit="x", metric="tokens_per_s", statistic="ratio",
        context={"model": model, "machine": machines}, source="finding: ratio",
    )  # fmt: skip


def test_a_ranges_end_is_its_comparisons_extreme_not_another_pairs_ratio() -> None:
    """anantpathak's "NVIDIA L40S reports 1.05-1.38x the generation throughput of NVIDIA A30":
    each end traced to any pair of the comparison, so an end moved onto another pair's ratio
    (1.38 -> 1.20) still traced; a range's low end is now its comparison's lowest ratio and
    its high end the highest."""
    known = KnownFigures(
        _stated(
            "F1",
            _pair_ratio(1.0521, "qwen3 8B"),
            _pair_ratio(1.1149, "qwen3 8B"),
            _pair_ratio(1.2013, "qwen3 8B"),
            _pair_ratio(1.3786, "qwen3 8B"),
        )
    )
    said = "NVIDIA L40S reports {}x the generation throughput of NVIDIA A30"
    assert set(_statuses(said.format("1.05-1.38"), known).values()) == {"traced"}
    assert _statuses(said.format("1.05-1.20"), known) == {"1.05 x": "traced", "1.20x": "untraced"}
    assert _statuses(said.format("1.11-1.38"), known) == {"1.11 x": "untraced", "1.38x": "traced"}
    # a single ratio is any pair's
    assert _statuses(said.format("1.20"), known) == {"1.20x": "traced"}


def test_the_same_comparison_in_two_findings_is_two_ranges() -> None:
    """premai's "quantization=float16 is 1.07-1.10x as fast as quantization=float32" on one
    engine and 1.36-1.42x on another: their ratios have one context, so each range is of the
    pairs of the finding that states it, not of both."""

    def ratio(value: float, model: str) -> KnownFigure:
        return KnownFigure(
            value=value, unit="x", metric="tokens_per_s", statistic="ratio",
            context={"model": model, "side": "quantization=float16",
                     "versus": "quantization=float32"}, source="finding: ratio",
        )  # fmt: skip

    known = KnownFigures(
        _stated("F9", ratio(1.066, "Llama"), ratio(1.098, "Mistral"))
        + _stated("F12", ratio(1.36, "Llama"), ratio(1.422, "Mistral"))
    )
    said = "quantization=float16 is {}x as fast as quantization=float32 in throughput"
    assert set(_statuses(said.format("1.07-1.10"), known).values()) == {"traced"}
    assert set(_statuses(said.format("1.36-1.42"), known).values()) == {"traced"}
    assert _statuses(said.format("1.07-1.36"), known)["1.36x"] == "untraced"


def test_a_ranges_end_does_not_trace_to_any_pair_of_the_groups_named() -> None:
    """A range's end states an extreme, which no pair of the figures of the groups a sentence
    names tells: before, "2.0-2.3x" traced its ends to any two means of the machines."""
    known = KnownFigures(
        [
            _mean(40.0, "NVIDIA GeForce RTX 4060 Laptop GPU", "llama.cpp (CUDA)"),
            _mean(20.0, "AMD Radeon 8060S Graphics", "llama.cpp (CUDA)"),
            _mean(23.0, "NVIDIA GeForce RTX 4060 Laptop GPU", "llama.cpp (Vulkan)"),
            _mean(10.0, "AMD Radeon 8060S Graphics", "llama.cpp (Vulkan)"),
        ]
    )
    said = "NVIDIA GeForce RTX 4060 Laptop GPU runs {} the throughput of AMD Radeon 8060S Graphics"
    assert _statuses(said.format("2.0x"), known) == {"2.0x": "traced"}
    assert set(_statuses(said.format("2.0-2.3x"), known).values()) == {"untraced"}


def test_an_engine_comparison_of_times_names_its_sides_as_it_writes_them(tmp_path: Path) -> None:
    """coalinfer's README: "vLLM's median TTFT is 3.14-3.37x Coalinfer's": the ratio is
    vLLM's time over Coalinfer's, but its figures named Coalinfer the side and vLLM the
    other, so the headline (both sides named, in the other order) did not trace."""
    (tmp_path / "README.md").write_text(
        "## Online benchmark results\n\n### Llama 3.1 8B Instruct 1 x A100 80G\n\n"
        "| RPS  | Num prompts | Engine | Median E2E Latency | Median TTFT | Median TPOT |\n"
        "|------|-------------|--------|--------------------|-------------|-------------|\n"
        "| 4    | 1200        | Coalinfer | 1564.17         | 31.98       | 13.17       |\n"
        "| 4    | 1200        | vLLM   | 1691.97            | 100.48      | 14.14       |\n"
        "| 8    | 2400        | Coalinfer | 2175.02         | 35.68       | 17.85       |\n"
        "| 8    | 2400        | vLLM   | 2137.16            | 120.39      | 17.09       |\n"
    )
    digest, findings = _findings(tmp_path)
    shorts = [f.short() for f in findings if f.kind == "engine_comparison"]
    assert any("vLLM's median TTFT is 3.14-3.37x Coalinfer's" in s for s in shorts), shorts
    assert untraced(digest, findings, ("short",)) == []  # type: ignore[arg-type]


def test_tokens_in_bursts_state_their_time_per_output_token_as_figures(tmp_path: Path) -> None:
    """coalinfer's "vLLM's median inter-token latency is 10.84-11.01x Coalinfer's over 2
    configs, yet its median time per output token is 0.96-1.07x Coalinfer's": the ITL ratio
    names a metric the check did not know ("inter-token latency"), and the TPOT ratios were
    no figures of the finding; both now trace."""
    (tmp_path / "README.md").write_text(
        "## Online benchmark results\n\n### Llama 3.1 8B Instruct 1 x A100 80G\n\n"
        "| RPS | Num prompts | Engine | Median E2E Latency | Median TTFT | Median TPOT "
        "| Median ITL |\n|---|---|---|---|---|---|---|\n"
        "| 4 | 1200 | Coalinfer | 1564.17 | 31.98 | 13.17 | 11.93 |\n"
        "| 4 | 1200 | vLLM | 1691.97 | 100.48 | 14.14 | 129.32 |\n"
        "| 8 | 2400 | Coalinfer | 2175.02 | 35.68 | 17.85 | 14.41 |\n"
        "| 8 | 2400 | vLLM | 2137.16 | 120.39 | 17.09 | 158.63 |\n"
    )
    digest, findings = _findings(tmp_path)
    shorts = [f.short() for f in findings if f.kind == "engine_comparison"]
    assert any("yet its median time per output token is 0.96-1.07x" in s for s in shorts), shorts
    assert untraced(digest, findings, ("short",)) == []  # type: ignore[arg-type]


def test_a_models_digits_before_a_signed_share_make_no_range() -> None:
    """chimeraforge's "llama3.1:8b-instruct-q4_0 -0.2 % (throughput)": the model's last
    digit and the share's sign read as a range "0 - 0.2", whose end then traced to nothing."""
    from chimera.grounding.figures import _range_end, find_figures

    for text, ranged in (
        ("on llama3.1:8b-instruct-q4_0 -0.2 % (throughput)", False),
        ("NVIDIA L40S reports 1.05-1.38x the figure", True),
        ("anywhere from -11 % to +28 %", True),
    ):
        mentions = find_figures(text)
        assert any(_range_end(text, m) for m in mentions) == ranged, text


def test_moved_figures_of_the_short_forms_are_caught() -> None:
    """`strict_trace.py --moved`: each figure of each wholly traced short form of examples/data
    moved by 3-40 % in turn is caught, but at most one in ten (seed 11: 12 of 13; the miss a
    headline ratio that names no figure it is computed from, moved onto another pair of its
    two models: "gemma3:270m is 6.6x as fast as gemma3:4b" for 8.8x)."""
    digest, findings = _findings(EXAMPLE)
    result = moved_caught(digest, findings, ("short",), random.Random(11))  # type: ignore[arg-type]
    assert result.total >= 10
    assert result.caught >= 0.9 * result.total, result.missed


def test_a_ratio_two_findings_state_is_of_both_comparisons() -> None:
    """Known figures are deduplicated; a ratio two findings state (one value, one context)
    was kept for the first only, so the second's range could not end at it."""
    from chimera.grounding.catalog import data_figures

    class Carrier:
        def __init__(self, id: str, values: list[KnownFigure]) -> None:
            self.id, self.values = id, values

    first = [_pair_ratio(1.2013, "qwen3 8B"), _pair_ratio(1.0521, "qwen3 8B")]
    second = [_pair_ratio(1.2013, "qwen3 8B"), _pair_ratio(1.3786, "qwen3 8B")]
    known = KnownFigures(data_figures(None, [Carrier("F1", first), Carrier("F2", second)]))
    said = "NVIDIA L40S reports {}x the generation throughput of NVIDIA A30"
    assert set(_statuses(said.format("1.20-1.38"), known).values()) == {"traced"}
    assert set(_statuses(said.format("1.05-1.20"), known).values()) == {"traced"}
