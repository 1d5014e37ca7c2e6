"""Figures for ollama-t3dr0-wide-runs-rtx3060.

Usage: python ollama-t3dr0-wide-runs-rtx3060.py CORPUS_ROOT
results/ollama_benchmark_results_21May2026.csv: two comment lines (report title; timestamp,
host Dell-T7810, GPU NVIDIA GeForce RTX 3060 12288 MB), then per model, prompt and metric
(Tokens_Per_Sec, Elapsed_Sec) one row with five runs in Run_1..Run_5 and their Mean, Variance
(sample, n-1) and Std_Dev. 8 models x 12 prompts x 5 runs = 480 requests.
"""
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-t3dr0-wide-runs-rtx3060")):
    root = os.path.join(root, "ollama-t3dr0-wide-runs-rtx3060")
path = os.path.join(root, "results", "ollama_benchmark_results_21May2026.csv")
with open(path, encoding="utf-8") as f:
    print("comments:", [next(f).strip() for _ in range(2)])
wide = pd.read_csv(path, skiprows=2)
runs = [f"Run_{i}" for i in range(1, 6)]
long = wide.melt(id_vars=["Model", "Size", "Prompt_ID", "Metric_Type"], value_vars=runs,
                 var_name="run", value_name="value")  # fmt: skip
tps = long[long.Metric_Type == "Tokens_Per_Sec"]
el = long[long.Metric_Type == "Elapsed_Sec"]


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


out("rows per metric", (len(tps), len(el)))
out("models", wide.Model.unique().tolist())
out("prompts", wide.Prompt_ID.unique().tolist())
t = wide[wide.Metric_Type == "Tokens_Per_Sec"]
out("Mean column == mean of runs (max |diff|)", float((t[runs].mean(axis=1) - t.Mean).abs().max()))
out("Variance column is the sample variance (max |diff|)",
    float((t[runs].var(axis=1, ddof=1) - t.Variance).abs().max()))  # fmt: skip
m = tps.groupby("Model").value.agg(["mean", "median", "min", "max", "count"])
print(m.round(3).to_string())
out("f1 deepseek-r1:1.5b mean tok/s (60 runs)", float(m.loc["deepseek-r1:1.5b", "mean"]))
out("f2 gpt-oss:20b mean tok/s", float(m.loc["gpt-oss:20b", "mean"]))
out("f3 gemma4:e4b mean tok/s", float(m.loc["gemma4:e4b", "mean"]))
out("f4 gemma3:12b mean tok/s", float(m.loc["gemma3:12b", "mean"]))
out("f5 qwen3:14b mean tok/s", float(m.loc["qwen3:14b", "mean"]))
cell = tps.groupby(["Model", "Prompt_ID"]).value.mean()
out("f6 gemma3:12b P1 mean tok/s (5 runs)", float(cell[("gemma3:12b", "P1")]))
out("f7 gemma4:e4b P9_T1 mean (turn 1)", float(cell[("gemma4:e4b", "P9_T1")]))
out("f8 gemma4:e4b P9_T5 mean (turn 5)", float(cell[("gemma4:e4b", "P9_T5")]))
out("f9 qwen3:14b P2 mean elapsed (ms)", float(el[(el.Model == "qwen3:14b") & (el.Prompt_ID == "P2")].value.mean() * 1000))
out("f10 granite4.1:8b P1 mean elapsed (ms)", float(el[(el.Model == "granite4.1:8b") & (el.Prompt_ID == "P1")].value.mean() * 1000))
out("f11 all 480 runs: mean tok/s", float(tps.value.mean()))
cv = tps.groupby(["Model", "Prompt_ID"]).value.agg(lambda v: v.std() / v.mean())
out("largest CV of 5 runs (%)", float(cv.max() * 100)); print(cv.idxmax())
out("f12 deepseek-r1:1.5b P4 min tok/s", float(tps[(tps.Model == "deepseek-r1:1.5b") & (tps.Prompt_ID == "P4")].value.min()))
out("sizes", wide.groupby("Model").Size.first().to_dict())
