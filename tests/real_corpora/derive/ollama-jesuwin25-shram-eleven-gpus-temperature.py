"""Figures for ollama-jesuwin25-shram-eleven-gpus-temperature.

Usage: python ollama-jesuwin25-shram-eleven-gpus-temperature.py CORPUS_ROOT
Jesuwin25/Shram-Benchmark: benchmark_extended.py run by 11 contributors on their own Windows
PCs (one folder each, Results/<name>/extended_results_<HOST>_GPU.json). Each file: the PC under
`hardware` (platform.machine() "AMD64" for all; gpus[].name the GPU), then `entries`: Ollama
/api/generate answers saved raw (durations in ns) for gemma3:4b, qwen2.5:3b, llama3.2:3b at
temperature 0.0, 0.7, 1.0 (num_predict 256), one call each, plus the script's
tokens_per_second and tokens_per_minute (the same rate x 60) and factuality scores.
Traps: each model's first call (temperature 0.0) loaded it (load_duration 0.96-148 s against
0.02-0.19 s): temperature 0.0 is never measured warm. Two PCs (RTX 2070 SUPER) share a GPU
model. Two files hold 3 failed llama3.2:3b calls (404 from /api/generate: model not pulled).
"""

import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-jesuwin25-shram-eleven-gpus-temperature")):
    root = os.path.join(root, "ollama-jesuwin25-shram-eleven-gpus-temperature")
rows = []
for path in sorted(glob.glob(os.path.join(root, "Results", "*", "*.json"))):
    with open(path) as fh:
        doc = json.load(fh)
    gpu = doc["hardware"]["gpus"][0]["name"]
    for e in doc["entries"]:
        rows.append(
            {
                "file": os.path.relpath(path, root),
                "gpu": gpu,
                **{k: v for k, v in e.items() if k not in ("response", "factuality_scores")},
            }
        )
d = pd.DataFrame(rows)
d["failed"] = d["tokens_per_second"].isna()
d["load_s"] = d["load_duration"] / 1e9
d["cold"] = ~d.failed & (d.load_s >= 0.5)
d["warm"] = ~d.failed & ~d.cold
print(
    "tokens_per_minute / 60 - tokens_per_second, max",
    (d.tokens_per_minute / 60 - d.tokens_per_second).abs().max(),
)
print(
    d.groupby("file")
    .agg(
        gpu=("gpu", "first"), rows=("model", "size"), failed=("failed", "sum"), cold=("cold", "sum")
    )
    .to_string()
)
print("warm load max", d[d.warm].load_s.max(), "cold load min", d[d.cold].load_s.min())


def rate(gpu, model, t):
    x = d[d.warm & (d.gpu == gpu) & (d.model == model) & (d.temperature == t)]
    return x.tokens_per_second


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out(
    "f1 RTX 5070 Ti qwen2.5:3b t=1.0 tok/s",
    float(rate("NVIDIA GeForce RTX 5070 Ti", "qwen2.5:3b", 1.0).iloc[0]),
)
out(
    "f2 GTX 1650 gemma3:4b t=0.7 tok/s",
    float(rate("NVIDIA GeForce GTX 1650", "gemma3:4b", 0.7).iloc[0]),
)
out(
    "f3 RTX 4070 Ti llama3.2:3b t=0.7 tok/s",
    float(rate("NVIDIA GeForce RTX 4070 Ti", "llama3.2:3b", 0.7).iloc[0]),
)
out("f4 longest load, ms (RTX 2060, gemma3:4b first call)", d.load_duration.max() / 1e6)
two = d[d.warm & (d.gpu == "NVIDIA GeForce RTX 2070 SUPER") & (d.model == "gemma3:4b")]
# two PCs (an Intel and an AMD CPU in their hardware blocks): each its own machine
for name, pc in (("f5 (Spynaren, Intel CPU)", "Spynaren"), ("f5b (Yash, AMD CPU)", "Yash")):
    own = two[two.file.str.startswith(f"Results/{pc}/")]
    out(f"{name} RTX 2070 SUPER gemma3:4b warm mean tok/s", own.tokens_per_second.mean())
out(
    "f6 RTX 5070 gemma3:4b t=0.7 tok/s",
    float(rate("NVIDIA GeForce RTX 5070", "gemma3:4b", 0.7).iloc[0]),
)
r = d[
    d.warm
    & (d.gpu == "NVIDIA GeForce RTX 4060")
    & (d.model == "gemma3:4b")
    & (d.temperature == 0.7)
].iloc[0]
out(
    "f7 RTX 4060 gemma3:4b t=0.7 prompt tok/s (prompt_eval_count / prompt_eval_duration)",
    r.prompt_eval_count / (r.prompt_eval_duration / 1e9),
)
out("f8 warm calls on the RTX 5070 (n)", int((d.warm & (d.gpu == "NVIDIA GeForce RTX 5070")).sum()))
out(
    "f9 RTX 3050 Laptop GPU qwen2.5:3b t=1.0 tok/s",
    float(rate("NVIDIA GeForce RTX 3050 Laptop GPU", "qwen2.5:3b", 1.0).iloc[0]),
)
out(
    "f10 RTX 5070 Ti / GTX 1650, qwen2.5:3b t=1.0",
    float(rate("NVIDIA GeForce RTX 5070 Ti", "qwen2.5:3b", 1.0).iloc[0])
    / float(rate("NVIDIA GeForce GTX 1650", "qwen2.5:3b", 1.0).iloc[0]),
)
g = d[d.warm & (d.gpu == "NVIDIA GeForce RTX 4070 Ti")]
out("f11 RTX 4070 Ti warm mean tok/s, all models", g.tokens_per_second.mean())
out(
    "f12 RTX 4070 Ti gemma3:4b first call load ms",
    float(
        d[
            (d.gpu == "NVIDIA GeForce RTX 4070 Ti")
            & (d.model == "gemma3:4b")
            & (d.temperature == 0.0)
        ].load_duration.iloc[0]
    )
    / 1e6,
)
