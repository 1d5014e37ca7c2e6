"""Whether the model still fit in VRAM: Ollama's placement read where the files state it.

`ollama ps`'s PROCESSOR ("100% GPU", "14%/86% CPU/GPU") and /api/ps's size_vram / size are
an outcome of num_ctx (or num_gpu) and the model's size on one machine: never a machine,
never a setting, and the first cause an Ollama tuner looks for when a rate collapses
(leoric-crown's RTX 4090 sweep: phi4-mini 170 tok/s at num_ctx=49152 and 100% GPU, 30 tok/s at
65536 and 22%/78% CPU/GPU; the findings gave the num_ctx effect and never said why).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings, recommendations
from chimera.findings.finding import Finding
from chimera.ingest.digest import DataDigest, ingest_folder
from chimera.ingest.digest.placement import processor_share, processor_words, vram_share

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.strict_trace import untraced  # noqa: E402

HEADER = "model,context_length,tokens_per_second,cpu_percent,gpu_percent,processor\n"
# (num_ctx, processor, rates): fits up to 16384, spills from 32768 on
SWEEP = (
    (8192, "100% GPU", (170.1, 169.8, 170.4)),
    (16384, "100% GPU", (169.9, 170.2, 170.0)),
    (32768, "22%/78% CPU/GPU", (30.2, 30.4, 30.3)),
    (65536, "60%/40% CPU/GPU", (16.6, 16.8, 16.7)),
)


def _sweep_csv(path: Path) -> None:
    lines = [HEADER]
    for ctx, processor, rates in SWEEP:
        cpu = 100 - int(processor_share(processor) or 0)
        lines += [f"phi4-mini:3.8b,{ctx},{r},{cpu},{100 - cpu},{processor}\n" for r in rates]
    path.write_text("".join(lines))


def _digest(folder: Path) -> DataDigest:
    return ingest_folder(folder, IngestOptions())[1]


def _one(findings: list[Finding], kind: str, title: str) -> Finding:
    [found] = [f for f in findings if f.kind == kind and f.title == title]
    return found


def test_ollama_processor_words_are_read_as_a_gpu_share() -> None:
    assert processor_share("100% GPU") == 100
    assert processor_share("100% CPU") == 0
    assert processor_share("14%/86% CPU/GPU") == 86
    assert processor_share("86%/14% GPU/CPU") == 86
    for other in ("AMD Ryzen 7 3700X", "cuda", "86%", "86% GPU", "14%/80% CPU/GPU", None, 86):
        assert processor_share(other) is None, other
    # as `ollama ps` prints /api/ps's sizes: the CPU's share rounded, the GPU's the rest
    assert processor_words(vram_share(5_000_000_000, 3_750_000_000) or 0) == "25%/75% CPU/GPU"
    assert processor_words(100.0) == "100% GPU" and processor_words(0.0) == "100% CPU"
    assert vram_share(5.0, 6.0) is None and vram_share(0.0, 0.0) is None


def test_a_processor_column_gives_each_setup_its_share_not_a_machine_or_a_setting(
    tmp_path: Path,
) -> None:
    _sweep_csv(tmp_path / "benchmark.csv")
    digest = _digest(tmp_path)
    shares = {s.params["num_ctx"]: (s.gpu_share_min, s.gpu_share_max) for s in digest.setups}
    assert shares == {8192: (100, 100), 16384: (100, 100), 32768: (78, 78), 65536: (40, 40)}
    assert digest.machines == [None]  # "100% GPU" names no machine
    assert all(set(s.params) == {"num_ctx"} for s in digest.setups)
    assert not digest.column_settings


def test_the_num_ctx_effect_says_where_the_model_no_longer_fit_in_vram(tmp_path: Path) -> None:
    _sweep_csv(tmp_path / "benchmark.csv")
    digest = _digest(tmp_path)
    findings = compute_findings(digest)
    effect = _one(findings, "setting_effect", "num_ctx on phi4-mini:3.8b")
    assert (
        "From num_ctx=32768 on, phi4-mini:3.8b no longer fit in VRAM and spilled onto the CPU "
        "(ollama ps: 22%/78% CPU/GPU): its throughput fell to 30.30 tok/s at num_ctx=32768 from "
        "170.03 tok/s at num_ctx=16384 (100% GPU)."
    ) in effect.text
    assert "ollama ps says 60%/40% CPU/GPU at num_ctx=65536" in effect.text
    # every figure of it traces on its own (the figures check)
    assert not [u for u in untraced(digest, findings) if u.finding == effect.id]


def test_gpu_utilisation_columns_alone_are_no_placement(tmp_path: Path) -> None:
    """nvidia-smi's utilisation (`gpu_percent`, `gpu_util`) is not where the model sat."""
    rows = ["model,num_ctx,tokens_per_second,gpu_percent,gpu_util\n"]
    for ctx, _, rates in SWEEP:
        rows += [f"m:4b,{ctx},{r},{40 if ctx > 16384 else 98},{40}\n" for r in rates]
    (tmp_path / "runs.csv").write_text("".join(rows))
    digest = _digest(tmp_path)
    assert all(s.gpu_share_min is None for s in digest.setups)
    assert not [f for f in compute_findings(digest) if "ollama ps" in f.text]


def test_api_ps_sizes_saved_with_each_run_give_its_share(tmp_path: Path) -> None:
    """A script that saved /api/ps's answer beside each run ({"ps": {"models": [...]}}), and
    one that copied size and size_vram into the run: size_vram / size is the share."""
    nested, flat = [], []
    for ctx, vram, rates in ((8192, 5_000_000_000, (100, 101, 99)),
                             (32768, 3_750_000_000, (30, 31, 29))):  # fmt: skip
        for r in rates:
            ps = {"name": "m:4b", "model": "m:4b", "size": 5_000_000_000, "size_vram": vram}
            took = int(100 / r * 1e9)
            nested.append({"model": "m:4b", "options": {"num_ctx": ctx}, "eval_count": 100,
                           "eval_duration": took, "ps": {"models": [ps]}})  # fmt: skip
            flat.append({"model": "m:4b", "num_ctx": ctx, "tokens_per_second": r,
                         "size": 5_000_000_000, "size_vram": vram})  # fmt: skip
    for name, runs in (("nested", nested), ("flat", flat)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "runs.json").write_text(json.dumps(runs))
        digest = _digest(folder)
        shares = {s.params["num_ctx"]: s.gpu_share_min for s in digest.setups}
        assert shares == {8192: 100, 32768: 75}, name
        effect = _one(compute_findings(digest), "setting_effect", "num_ctx on m:4b")
        assert "(ollama ps: 25%/75% CPU/GPU)" in effect.text, name


_VERBOSE = """total duration:       1.2s
load duration:        10ms
prompt eval count:    10 token(s)
prompt eval duration: 20ms
prompt eval rate:     500.00 tokens/s
eval count:           100 token(s)
eval duration:        1s
eval rate:            {rate:.2f} tokens/s
"""


def test_an_ollama_ps_capture_in_a_note_places_that_models_runs(tmp_path: Path) -> None:
    """`ollama run --verbose`, then `ollama ps` to look where the model sat: the runs of the
    model it lists sat there; another model's runs are not placed by it."""
    note = (
        "# m:4b on my box\n\n```\n$ ollama run m:4b --verbose\n"
        + _VERBOSE.format(rate=100.0)
        + _VERBOSE.format(rate=98.0)
        + "$ ollama ps\nNAME    ID              SIZE      PROCESSOR          UNTIL\n"
        "m:4b    a2af6cc3eb7f    5.3 GB    25%/75% CPU/GPU    4 minutes from now\n"
        "$ ollama run other:1b --verbose\n" + _VERBOSE.format(rate=200.0) + "```\n"
    )
    (tmp_path / "notes.md").write_text(note)
    digest = _digest(tmp_path)
    shares = {s.model: s.gpu_share_min for s in digest.setups}
    assert shares == {"m:4b": 75, "other:1b": None}
    # quoted without its ID column, as notes often do
    (tmp_path / "notes.md").write_text(
        note.replace("a2af6cc3eb7f    ", "").replace("25%/75%", "18%/82%")
    )
    shares = {s.model: s.gpu_share_min for s in _digest(tmp_path).setups}
    assert shares == {"m:4b": 82, "other:1b": None}


def test_a_best_config_that_spilled_to_the_cpu_says_so_beside_the_one_that_fit(
    tmp_path: Path,
) -> None:
    """num_gpu=40 measured faster than num_gpu=99 though it spilled (a thermal dip, another
    load): the best config and its recommendation say it ran partly on the CPU and name the
    fastest config that fit, never recommend the spill unsaid."""
    rows = ["model,num_gpu,tokens_per_second,processor\n"]
    for gpu, processor, rates in ((40, "10%/90% CPU/GPU", (120.0, 121.0, 119.0)),
                                  (99, "100% GPU", (100.0, 101.0, 99.0))):  # fmt: skip
        rows += [f"m:4b,{gpu},{r},{processor}\n" for r in rates]
    (tmp_path / "runs.csv").write_text("".join(rows))
    findings = compute_findings(_digest(tmp_path))
    best = _one(findings, "best_config", "best config for m:4b")
    said = (
        "At num_gpu=40 the fastest spilled onto the CPU (ollama ps: 10%/90% CPU/GPU); the "
        "fastest config that fit in VRAM is num_gpu=99 at 100.00 tok/s (100% GPU)."
    )
    assert said in best.text
    [rec] = [r for r in recommendations(findings) if r.model == "m:4b"]
    assert said in rec.text


def test_setups_whose_placement_is_not_stated_say_nothing(tmp_path: Path) -> None:
    rows = ["model,num_ctx,tokens_per_second\n"]
    for ctx, _, rates in SWEEP:
        rows += [f"m:4b,{ctx},{r}\n" for r in rates]
    (tmp_path / "runs.csv").write_text("".join(rows))
    assert not [f for f in compute_findings(_digest(tmp_path)) if "VRAM" in f.text]


def test_fewer_layers_on_the_gpu_spill_below_the_level_that_fit(tmp_path: Path) -> None:
    """num_gpu the other way round: the smaller levels spilled, the largest fit."""
    rows = ["model,num_gpu,tokens_per_second,processor\n"]
    for gpu, processor, rates in ((10, "70%/30% CPU/GPU", (12.0, 12.2, 11.8)),
                                  (20, "35%/65% CPU/GPU", (25.0, 25.3, 24.7)),
                                  (99, "100% GPU", (100.0, 101.0, 99.0))):  # fmt: skip
        rows += [f"m:4b,{gpu},{r},{processor}\n" for r in rates]
    (tmp_path / "runs.csv").write_text("".join(rows))
    digest = _digest(tmp_path)
    findings = compute_findings(digest)
    effect = _one(findings, "setting_effect", "num_gpu on m:4b")
    assert (
        "At num_gpu=20 and below, m:4b no longer fit in VRAM and spilled onto the CPU (ollama ps: "
        "35%/65% CPU/GPU): its throughput fell to 25.00 tok/s at num_gpu=20 from 100.00 tok/s at "
        "num_gpu=99 (100% GPU). The further num_gpu went down, the more of it sat on the CPU: "
        "ollama ps says 70%/30% CPU/GPU at num_gpu=10."
    ) in effect.text
    assert not [u for u in untraced(digest, findings) if u.finding == effect.id]


def test_across_models_says_which_models_no_longer_fit_at_the_larger_level(
    tmp_path: Path,
) -> None:
    """Two models over num_ctx: the one that slows at 65536 is the one that spilled there."""
    _sweep_csv(tmp_path / "benchmark.csv")
    rows = [f"small:1b,{ctx},{r},0,100,100% GPU\n" for ctx, _, _ in SWEEP for r in (90, 91, 89)]
    (tmp_path / "small.csv").write_text(HEADER + "".join(rows))
    digest = _digest(tmp_path)
    findings = compute_findings(digest)
    across = _one(findings, "setting_across_models", "num_ctx across models")
    said = (
        " Where they sat (ollama ps): phi4-mini:3.8b fit in VRAM at num_ctx=8192, not at "
        "num_ctx=65536; small:1b fit at both."
    )
    assert across.text.endswith(said)
    # its settings trace (the across-models percentages before it are another matter)
    missed = [f for u in untraced(digest, findings) if u.finding == across.id for f in u.figures]
    assert not [f for f in missed if f in said]
