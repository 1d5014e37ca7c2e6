"""Whether the model still fit in VRAM: Ollama's placement read where the files state it.

`ollama ps`'s PROCESSOR ("100% GPU", "14%/86% CPU/GPU") and /api/ps's size_vram / size are
an outcome of num_ctx (or num_gpu) and the model's size on one machine: never a machine,
never a setting, and the first cause an Ollama tuner looks for when a rate collapses
(leoric-crown's RTX 4090 sweep: phi4-mini 170 tok/s at num_ctx=49152 and 100% GPU, 30 tok/s at
65536 and 22%/78% CPU/GPU; the findings gave the num_ctx effect and never said why).
"""

from __future__ import annotations

import json
from pathlib import Path

from chimera.config.agent import IngestOptions
from chimera.ingest.digest import DataDigest, ingest_folder
from chimera.ingest.digest.placement import processor_share, processor_words, vram_share

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


def test_gpu_utilisation_columns_alone_are_no_placement(tmp_path: Path) -> None:
    """nvidia-smi's utilisation (`gpu_percent`, `gpu_util`) is not where the model sat."""
    rows = ["model,num_ctx,tokens_per_second,gpu_percent,gpu_util\n"]
    for ctx, _, rates in SWEEP:
        rows += [f"m:4b,{ctx},{r},{40 if ctx > 16384 else 98},{40}\n" for r in rates]
    (tmp_path / "runs.csv").write_text("".join(rows))
    digest = _digest(tmp_path)
    assert all(s.gpu_share_min is None for s in digest.setups)


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
