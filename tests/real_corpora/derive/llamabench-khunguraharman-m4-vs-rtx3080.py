"""Figures for llamabench-khunguraharman-m4-vs-rtx3080.

Usage: python llamabench-khunguraharman-m4-vs-rtx3080.py CORPUS_ROOT
Raw llama-bench -o json files (a JSON array of test rows). avg_ts / samples_ts are tokens/s,
avg_ns / samples_ns nanoseconds per test. n_prompt>0,n_gen=0 is a pp test; n_prompt=0,n_gen>0 a tg test.
m4-mac-mini/: Apple M4 (backends MTL,BLAS); nvidia-rtx-3080/: RTX 3080 (backends CUDA).
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamabench-khunguraharman-m4-vs-rtx3080")):
    root = os.path.join(root, "llamabench-khunguraharman-m4-vs-rtx3080")

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

rows = []
for f in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
    rel = os.path.relpath(f, root)
    for r in json.load(open(f)):
        r = dict(r); r["file"] = rel
        r["machine"] = "Apple M4" if r["backends"] == "MTL,BLAS" else r["gpu_info"]
        r["gguf"] = r["model_filename"].replace("\\", "/").split("/")[-1]
        r["test"] = f"pp{r['n_prompt']}" if r["n_gen"] == 0 else f"tg{r['n_gen']}"
        r["n_samples"] = len(r["samples_ts"])
        r["mean_samples"] = float(np.mean(r["samples_ts"]))
        rows.append(r)
df = pd.DataFrame(rows)
print("files:", df.file.nunique(), "rows:", len(df))
print(df.groupby(["machine", "backends"]).size())
# avg_ts is the mean of samples_ts
out("max |avg_ts - mean(samples_ts)|", float((df.avg_ts - df.mean_samples).abs().max()))

thr = df[df.file.str.contains("/throughput/")]
pre = df[df.file.str.contains("prefill-bench-results")]
out("throughput rows", len(thr))
print(thr.groupby("file").size())
T = lambda m, g, t, **kw: thr[(thr.machine == m) & (thr.gguf == g) & (thr.test == t)
                              & np.logical_and.reduce([thr[k] == v for k, v in kw.items()] or [True])]
R, M = "NVIDIA GeForce RTX 3080", "Apple M4"
def one(m, g, t, **kw):
    x = T(m, g, t, **kw); assert len(x) == 1, (m, g, t, len(x)); return float(x.avg_ts.iloc[0])
out("f1 RTX3080 Qwen3-4B-Q8_0 pp512 avg_ts", one(R, "Qwen3-4B-Q8_0.gguf", "pp512"))
out("f2 M4 Qwen3-4B-Q8_0 pp512 avg_ts", one(M, "Qwen3-4B-Q8_0.gguf", "pp512"))
out("f3 RTX3080 Qwen3-4B-Q8_0 tg3277 avg_ts", one(R, "Qwen3-4B-Q8_0.gguf", "tg3277"))
out("f4 M4 Qwen3-4B-Q8_0 tg3277 avg_ts", one(M, "Qwen3-4B-Q8_0.gguf", "tg3277"))
out("f5 RTX3080 Llama-3.2-3B-Q8_0 tg3277 avg_ts", one(R, "Llama-3.2-3B-Instruct-Q8_0.gguf", "tg3277"))
out("f6 M4 Llama-3.2-3B-Q8_0 tg3277 avg_ts", one(M, "Llama-3.2-3B-Instruct-Q8_0.gguf", "tg3277"))
out("f7 RTX3080 Qwen3-4B-Q5_K_M tg3277 avg_ts", one(R, "Qwen3-4B-Q5_K_M.gguf", "tg3277"))
out("f8 RTX3080 Qwen3-4B-Q5_K_M pp512 avg_ts", one(R, "Qwen3-4B-Q5_K_M.gguf", "pp512"))
out("f9 RTX3080 Qwen3-4B-Q8_0 tg13107 avg_ts", one(R, "Qwen3-4B-Q8_0.gguf", "tg13107"))
out("f10 M4 Qwen3-4B-Q8_0 tg13107 avg_ts", one(M, "Qwen3-4B-Q8_0.gguf", "tg13107"))
out("f11 M4 Qwen3-4B-Q5_K_M tg3277 avg_ts", one(M, "Qwen3-4B-Q5_K_M.gguf", "tg3277"))
out("f12 RTX3080 Phi-3.5-mini-Q6_K tg3277 avg_ts", one(R, "Phi-3.5-mini-instruct-Q6_K.gguf", "tg3277"))
out("f13 RTX3080 Phi-3.5-mini-Q6_K tg13107 avg_ts", one(R, "Phi-3.5-mini-instruct-Q6_K.gguf", "tg13107"))
phi8 = T(R, "Phi-3.5-mini-instruct-Q8_0.gguf", "pp512")
print(phi8[["n_gpu_layers", "avg_ts", "stddev_ts"]])
out("f14 RTX3080 Phi-3.5-Q8_0 pp512 ngl 999", one(R, "Phi-3.5-mini-instruct-Q8_0.gguf", "pp512", n_gpu_layers=999))
out("f15 RTX3080 Phi-3.5-Q8_0 pp512 ngl -1", one(R, "Phi-3.5-mini-instruct-Q8_0.gguf", "pp512", n_gpu_layers=-1))
out("f15b its stddev_ts", float(T(R, "Phi-3.5-mini-instruct-Q8_0.gguf", "pp512", n_gpu_layers=-1).stddev_ts.iloc[0]))
out("Phi-3.5-Q8_0 RTX tg tests present", sorted(T(R, "Phi-3.5-mini-instruct-Q8_0.gguf", "tg13107").n_gpu_layers.tolist()))
q = T(M, "Qwen3-4B-Q8_0.gguf", "pp512").iloc[0]
out("f16 M4 Qwen3-4B-Q8_0 pp512 first sample", float(q.samples_ts[0]))
out("f16b M4 Qwen3-4B-Q8_0 pp512 median sample", float(np.median(q.samples_ts)))
# ratios RTX / M4 for every shared (gguf, test)
piv = thr.pivot_table(index=["gguf", "test"], columns="machine", values="avg_ts", aggfunc="first")
piv["ratio"] = piv[R] / piv[M]
print(piv.round(2).to_string())
out("ratio range pp512", (float(piv.xs("pp512", level=1).ratio.min()), float(piv.xs("pp512", level=1).ratio.max())))
tgr = piv[piv.index.get_level_values(1).str.startswith("tg")].ratio.dropna()
out("ratio range tg", (float(tgr.min()), float(tgr.max())))

# prefill n_ubatch sweep, Qwen3-4B-Q8_0 on the RTX 3080
paths = pre.file.tolist()
copy = [p for p in paths if " - Copy" in p][0]
orig = copy.replace(" - Copy", "")
sha = lambda p: hashlib.sha256(open(os.path.join(root, p), "rb").read()).hexdigest()
out("copy byte-identical", sha(copy) == sha(orig))
pre = pre[~pre.file.str.contains(" - Copy")]
out("distinct prefill measurements", len(pre))
P = lambda p, ub: float(pre[(pre.n_prompt == p) & (pre.n_ubatch == ub)].avg_ts.iloc[0])
print(pre[["n_prompt", "n_batch", "n_ubatch", "avg_ts", "stddev_ts", "test_time"]].sort_values(["n_prompt", "n_ubatch"]).to_string())
for i, ub in zip(range(17, 22), [512, 1024, 1536, 2048, 4096]):
    out(f"f{i} pp2048 ub{ub} avg_ts", P(2048, ub))
for i, ub in zip(range(22, 25), [512, 2048, 4096]):
    out(f"f{i} pp3840 ub{ub} avg_ts", P(3840, ub))
out("pp3840 ub1536 min sample", float(min(pre[(pre.n_prompt == 3840) & (pre.n_ubatch == 1536)].samples_ts.iloc[0])))
out("gain ub512->ub2048 pp2048 %", (P(2048, 2048) / P(2048, 512) - 1) * 100)
out("gain ub512->ub2048 pp3840 %", (P(3840, 2048) / P(3840, 512) - 1) * 100)
out("ub4096 vs ub2048 pp2048 %", (P(2048, 4096) / P(2048, 2048) - 1) * 100)
out("ub4096 vs ub2048 pp3840 %", (P(3840, 4096) / P(3840, 2048) - 1) * 100)
out("f25 distinct measured rows in corpus", len(thr) + len(pre))
