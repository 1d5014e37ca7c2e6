"""Figures for serving-argonne-llm-inference-bench-nine-accelerators.

Usage: python serving-argonne-llm-inference-bench-nine-accelerators.py CORPUS_ROOT
argonne-lcf/LLM-Inference-Bench's Plots/ CSVs (the paper's data): one row per hardware,
number of accelerators, framework, model, input = output length and batch size; Latency in s
(no unit written), Throughput in tokens/s. The Fig_* files are subsets of All_results.csv
(some rows re-measured), Fig_29 = Fig_10 and Fig_5_b = Fig_5_a byte for byte; avg_power is
mW in Fig_16_* (222122 = 222 W) and W in Fig_10; Fig_21's Latency is the TTFT (output length
1); Fig_22 has three ragged rows.
"""
import hashlib
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "serving-argonne-llm-inference-bench-nine-accelerators"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


def sha(p):
    return hashlib.sha256(open(os.path.join(root, p), "rb").read()).hexdigest()


out("Fig_29 == Fig_10", sha("Fig_29/All_results.csv") == sha("Fig_10/All_results.csv"))
out("Fig_5_b == Fig_5_a", sha("Fig_5_b/TP_EP_PP_results.csv") == sha("Fig_5_a/TP_PP_Results.csv"))
A = pd.read_csv(os.path.join(root, "All_results.csv"))
key = ["Hardware", "Num of Hardware", "Framework", "Model", "Input Output Length", "Batch Size"]
print(A.groupby(["Hardware"]).size().to_string())
print(A.groupby(["Framework"]).size().to_string())
out("rows", len(A))
out("key groups with two rows", int((A.groupby(key).size() == 2).sum()))
for f in ["Fig_10/All_results.csv", "Fig_16_a/power_results.csv", "Fig_16_a_b/power_results.csv",
          "Fig_18/SN40L_latency_throughput.csv", "Fig_5_a/TP_PP_Results.csv"]:
    d = pd.read_csv(os.path.join(root, f))
    m = d.merge(A, on=key, how="left", suffixes=("", "_A"))
    close = ((m.Throughput / m.Throughput_A - 1).abs() < 1e-6).groupby([m[k] for k in key]).any()
    out(f"{f}: rows {len(d)}, key groups {len(close)}, whose throughput All_results holds (to 1e-6)",
        int(close.sum()))


def V(hw, n, fw, model, length, batch, col="Throughput"):
    s = A[(A.Hardware == hw) & (A["Num of Hardware"] == n) & (A.Framework == fw) & (A.Model == model)
          & (A["Input Output Length"] == length) & (A["Batch Size"] == batch)][col]
    return float(s.mean()), len(s)


L3 = "meta-llama/Meta-Llama-3-8B"
out("f1 H100 x1 vLLM Llama-3-8B 1024 b64", V("Nvidia H100 GPU", 1, "vLLM", L3, 1024, 64)[0])
out("f2 MI300X x1 vLLM", V("AMD MI300X GPU", 1, "vLLM", L3, 1024, 64)[0])
out("f3 A100 x1 vLLM", V("Nvidia A100 GPU", 1, "vLLM", L3, 1024, 64)[0])
out("f4 H100 x1 TensorRT-LLM", V("Nvidia H100 GPU", 1, "TensorRT-LLM", L3, 1024, 64)[0])
out("f5 H100 x1 llama.cpp", V("Nvidia H100 GPU", 1, "llama.cpp", L3, 1024, 64)[0])
out("f6 Intel PVC x4 llama.cpp", V("Intel PVC GPU", 4, "llama.cpp", L3, 1024, 64)[0])
out("f7 MI300X x8 vLLM", V("AMD MI300X GPU", 8, "vLLM", L3, 1024, 64)[0])
out("f8 H100 x4 TensorRT-LLM Llama-2-70b 128 b1", V("Nvidia H100 GPU", 4, "TensorRT-LLM", "meta-llama/Llama-2-70b-hf", 128, 1)[0])
out("f9 SN40L x8 sambaflow Mistral-7B 128 b1", V("SambaNova SN40L", 8, "sambaflow", "mistralai/Mistral-7B-v0.1", 128, 1)[0])
out("f10 MI250 x1 vLLM Qwen2-7B 128 b1 (two rows)", V("AMD MI250 GPU", 1, "vLLM", "Qwen/Qwen2-7B", 128, 1))
out("f11 latency ms of f1", V("Nvidia H100 GPU", 1, "vLLM", L3, 1024, 64, "Latency")[0] * 1000)
T = pd.read_csv(os.path.join(root, "Fig_21/all_results_TTFT.csv"))
t = T[(T.Hardware == "AMD MI300X GPU") & (T.Model == "meta-llama/Llama-2-7b-hf")]
out("f12 Fig_21 TTFT ms MI300X Llama-2-7b b16 in 1024", float(t.Latency.iloc[0]) * 1000)
out("f13 H100 / A100 vLLM Llama-3-8B 1024 b64", V("Nvidia H100 GPU", 1, "vLLM", L3, 1024, 64)[0] / V("Nvidia A100 GPU", 1, "vLLM", L3, 1024, 64)[0])
P = pd.read_csv(os.path.join(root, "Fig_16_a_b/power_results.csv"))
out("avg_power Fig_16_a_b first row (mW)", float(P.avg_power.iloc[0]))
with open(os.path.join(root, "Fig_22/all_results_TTFT_ITL.csv")) as fh:
    lines = fh.read().splitlines()
out("Fig_22 ragged rows", sum(1 for x in lines[1:] if x and x.count(",") != lines[0].count(",")))
