"""Figures for ollama-leoriccrown-rtx4090-num-ctx-offload.

Usage: python ollama-leoriccrown-rtx4090-num-ctx-offload.py CORPUS_ROOT
leoric-crown/n8n_pgvector16 ollama/benchmark: run_matrix.py ran benchmark_models.py once per
num_ctx (8k ... 128k, folder ctx-<N>k, column context_length) over 6 Ollama models, 10 calls
each, on one desktop (system_info.json: NVIDIA GeForce RTX 4090 24 GB, AMD Ryzen 7 3700X,
62.7 GB RAM). benchmark.json holds the same 60 calls as benchmark.csv at full precision.
Columns: load_s / eval_s / total_s / prompt_eval_s are Ollama's durations in SECONDS,
tokens_per_second = eval_count / eval_s; `preloaded` False = the model was not loaded before
the call; `processor` / cpu_percent / gpu_percent / memory_gb = `ollama ps` after the call
(where the model sat: "100% GPU", "53%/47% CPU/GPU", "100% CPU"), an outcome of num_ctx, not a
machine nor a setting.
Traps: loads split cleanly into warm calls (load_s 0.07-0.23 s) and reloads (1.67-60.7 s):
311 of the 718 measured calls reloaded the model, many of them with preloaded=True (gemma3:4b:
7 of 10 calls at most contexts); a reload is set apart here by load_s >= 1 s. Two calls
(deepseek-r1:8b at 81920 and 102400) wrote every figure 0: failed, left out.
"""

import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-leoriccrown-rtx4090-num-ctx-offload")):
    root = os.path.join(root, "ollama-leoriccrown-rtx4090-num-ctx-offload")
run = os.path.join(root, "results", "20251006-023347")

frames = []
for path in sorted(glob.glob(os.path.join(run, "ctx-*", "benchmark.csv"))):
    csv = pd.read_csv(path)
    with open(path.replace(".csv", ".json")) as fh:
        js = pd.DataFrame(json.load(fh))
    # the JSON is the CSV's calls: same models, stamps and figures
    assert list(js["timestamp"]) == list(csv["timestamp"])
    assert (abs(js["tokens_per_second"] - csv["tokens_per_second"]) < 1e-9).all()
    csv["file"] = os.path.relpath(path, root)
    frames.append(csv)
d = pd.concat(frames, ignore_index=True)
d["failed"] = d["tokens_per_second"] == 0
d["cold"] = ~d["failed"] & (d["load_s"] >= 1.0)
d["warm"] = ~d["failed"] & ~d["cold"]
print("rows", len(d), "failed", int(d.failed.sum()), "cold", int(d.cold.sum()))
print(
    "warm load_s max",
    d.loc[d.warm, "load_s"].max(),
    "cold load_s min",
    d.loc[d.cold, "load_s"].min(),
)
print(
    "preloaded=False rows",
    int((~d.preloaded).sum()),
    "of them cold",
    int((~d.preloaded & d.cold).sum()),
)
print(
    d.groupby("file")
    .agg(runs=("warm", "size"), failed=("failed", "sum"), cold=("cold", "sum"))
    .to_string()
)


def warm(model, ctx):
    return d[d.warm & (d.model == model) & (d.context_length == ctx)]["tokens_per_second"]


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out("f1 phi4-mini:3.8b tok/s mean, warm, num_ctx 8192", warm("phi4-mini:3.8b", 8192).mean())
out("f2 phi4-mini:3.8b tok/s mean, warm, num_ctx 131072", warm("phi4-mini:3.8b", 131072).mean())
out("f3 deepseek-r1:8b tok/s mean, warm, num_ctx 49152", warm("deepseek-r1:8b", 49152).mean())
out("f4 deepseek-r1:8b tok/s mean, warm, num_ctx 65536", warm("deepseek-r1:8b", 65536).mean())
out("f5 qwen3-coder:30b tok/s mean, warm, num_ctx 8192", warm("qwen3-coder:30b", 8192).mean())
out("f6 qwen3-coder:30b tok/s mean, warm, num_ctx 12288", warm("qwen3-coder:30b", 12288).mean())
out("f7 gpt-oss:latest tok/s mean, warm, num_ctx 92160", warm("gpt-oss:latest", 92160).mean())
out("f8 gpt-oss:latest tok/s mean, warm, num_ctx 98304", warm("gpt-oss:latest", 98304).mean())
out("f9 gemma3:4b tok/s mean, warm, num_ctx 131072", warm("gemma3:4b", 131072).mean())
out("f10 qwen3:8b tok/s mean, warm, num_ctx 131072", warm("qwen3:8b", 131072).mean())
out("f11 qwen3:8b tok/s mean, warm, num_ctx 24576", warm("qwen3:8b", 24576).mean())
out("f12 phi4-mini:3.8b warm runs at num_ctx 8192 (n)", len(warm("phi4-mini:3.8b", 8192)))
out(
    "f13 qwen3-coder:30b load ms, max, num_ctx 131072",
    1000 * d[(d.model == "qwen3-coder:30b") & (d.context_length == 131072)]["load_s"].max(),
)
out("f14 gemma3:4b warm runs at num_ctx 8192 (n)", len(warm("gemma3:4b", 8192)))
out(
    "f15 phi4-mini:3.8b / qwen3-coder:30b tok/s at num_ctx 8192 (ratio of warm means)",
    warm("phi4-mini:3.8b", 8192).mean() / warm("qwen3-coder:30b", 8192).mean(),
)
out("f16 deepseek-r1:8b tok/s mean, warm, num_ctx 131072", warm("deepseek-r1:8b", 131072).mean())


def share(model, ctx):
    """The GPU's share of the model as `ollama ps` wrote it after each call (gpu_percent and
    the processor column say the same: "22%/78% CPU/GPU" is 78)."""
    rows = d[~d.failed & (d.model == model) & (d.context_length == ctx)]
    said = {int(p.split("/")[1].split("%")[0]) if "/" in p else 100 * (p == "100% GPU")
            for p in rows["processor"]}  # fmt: skip
    assert said == set(rows["gpu_percent"]), (said, set(rows["gpu_percent"]))
    assert len(said) == 1
    return said.pop()


out("f17 phi4-mini:3.8b share in VRAM (%), num_ctx 65536", share("phi4-mini:3.8b", 65536))
out("f18 deepseek-r1:8b share in VRAM (%), num_ctx 65536", share("deepseek-r1:8b", 65536))
out("f19 qwen3-coder:30b share in VRAM (%), num_ctx 12288", share("qwen3-coder:30b", 12288))
out("f20 qwen3-coder:30b share in VRAM (%), num_ctx 24576", share("qwen3-coder:30b", 24576))
