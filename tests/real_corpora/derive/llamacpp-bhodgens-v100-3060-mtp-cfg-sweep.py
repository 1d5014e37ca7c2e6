"""Figures for llamacpp-bhodgens-v100-3060-mtp-cfg-sweep.

Usage: python llamacpp-bhodgens-v100-3060-mtp-cfg-sweep.py CORPUS_ROOT
One host with two GPUs (Tesla V100 32GB = CUDA0, RTX 3060 12GB = CUDA1; README), llama.cpp
llama-server driven by scripts/bench_orchestrator.py. bench_results.json: a dict keyed
"<file>.gguf [<config>]" (no-spec, MTP-n1..n5), two decode runs each (decode_tps_1/_2, or a
decode_tps_runs list) and their mean (decode_tps_avg), one prompt rate; dense 27B/9B models on
the V100, 35B-A3B MoE on the 3060 (--cpu-moe). bench_cfg_results.json: a dict keyed by the
settings ("cpu-moe ngl=99 ubatch=256 thr=4") of one 35B MoE on the 3060, plus two LFM2.5-8B
rows keyed by model. final_results.json: one summary row per model with its gpu.
"""

import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamacpp-bhodgens-v100-3060-mtp-cfg-sweep")):
    root = os.path.join(root, "llamacpp-bhodgens-v100-3060-mtp-cfg-sweep")
bench = json.load(open(os.path.join(root, "bench_results.json")))
cfg = json.load(open(os.path.join(root, "bench_cfg_results.json")))
final = {r["name"]: r for r in json.load(open(os.path.join(root, "final_results.json")))}


def runs(rec):
    if "decode_tps_runs" in rec:
        return rec["decode_tps_runs"]
    return [rec["decode_tps_1"], rec["decode_tps_2"]]


def mean(xs):
    return sum(xs) / len(xs)


def out(fid, v):
    print(f"{fid}: {v:.6g}")


runs_total = sum(2 for r in bench.values() if "error" not in r)
print(
    "bench_results runs (two per config):",
    runs_total,
    "errors:",
    sum("error" in r for r in bench.values()),
)
print("bench_cfg_results runs:", 2 * len(cfg))
out(
    "f1 Coder-Compat-MTP Q4_K_M MTP-n3 decode mean",
    mean(runs(bench["Qwopus3.6-27B-Coder-Compat-MTP-Q4_K_M.gguf [MTP-n3]"])),
)
out(
    "f2 Coder-Compat-MTP Q4_K_M no-spec decode mean",
    mean(runs(bench["Qwopus3.6-27B-Coder-Compat-MTP-Q4_K_M.gguf [no-spec]"])),
)
out(
    "f3 35B-A3B-Coder-MTP no-spec decode mean",
    mean(runs(bench["Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M.gguf [no-spec]"])),
)
out(
    "f4 35B-A3B-Coder-MTP MTP-n3 decode mean",
    mean(runs(bench["Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M.gguf [MTP-n3]"])),
)
out(
    "f5 Qwythos-27B-MTP MTP-n3 decode mean",
    mean(runs(bench["Qwythos-27B-MTP-Q4_K_M.gguf [MTP-n3]"])),
)
out(
    "f6 Qwythos-9B no-spec decode mean",
    mean(runs(bench["Qwythos-9B-Claude-Mythos-5-1M-MTP-Q4_K_M.gguf [no-spec]"])),
)
out(
    "f7 cfg cpu-moe ngl=99 ubatch=512 thr=4 prompt rate",
    cfg["cpu-moe ngl=99 ubatch=512 thr=4"]["prompt_eval_tps"],
)
out(
    "f8 cfg cpu-moe ngl=99 ubatch=128 thr=4 prompt rate",
    cfg["cpu-moe ngl=99 ubatch=128 thr=4"]["prompt_eval_tps"],
)
out(
    "f9 cfg cpu-moe ngl=99 ubatch=256 thr=2 decode mean",
    mean(runs(cfg["cpu-moe ngl=99 ubatch=256 thr=2"])),
)
out("f10 cfg no-cpu-moe ngl=10 decode mean", mean(runs(cfg["no-cpu-moe ngl=10 ubatch=256 thr=4"])))
out(
    "f11 final LFM2.5-8B-A1B base Q4_K_M decode_tps",
    final["LFM2.5-8B-A1B base Q4_K_M"]["decode_tps"],
)
out(
    "f12 final Qwen3.6-27B-MTP Q4_K_M (V100) decode_tps",
    final["Qwen3.6-27B-MTP Q4_K_M"]["decode_tps"],
)
out(
    "f13 Coder-MTP Q5_K_S no-spec prompt rate",
    bench["Qwopus3.6-27B-Coder-MTP-Q5_K_S.gguf [no-spec]"]["prompt_eval_tps"],
)
out(
    "f14 cfg cpu-moe ngl=99 ubatch=256 thr=4 decode mean",
    mean(runs(cfg["cpu-moe ngl=99 ubatch=256 thr=4"])),
)
out(
    "ratio f1/f2",
    mean(runs(bench["Qwopus3.6-27B-Coder-Compat-MTP-Q4_K_M.gguf [MTP-n3]"]))
    / mean(runs(bench["Qwopus3.6-27B-Coder-Compat-MTP-Q4_K_M.gguf [no-spec]"])),
)
out("ratio f4/f3", 16.85 / 25.55)
