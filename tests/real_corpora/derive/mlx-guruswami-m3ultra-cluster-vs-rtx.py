"""Figures for mlx-guruswami-m3ultra-cluster-vs-rtx.

Usage: python mlx-guruswami-m3ultra-cluster-vs-rtx.py CORPUS_ROOT
guruswami-ai/mlx-benchmarks: results/<model>/benchmark-results.csv are MLX (mlx-lm) runs on
five identical Mac Studio M3 Ultra 512 GB nodes (docs/CHAKRA_CLUSTER.md), one row per model,
topology (SINGLE on one node, TP2/TP4 tensor parallel and PP2/PP4 pipeline parallel over 2 or
4 nodes), quantisation (Q2..Q8) and context length filled (1024 .. 131072 tokens): one
measurement each. `node` names the host(s); `feasibility` says practical / batch_only, or why
the run failed (gpu_timeout, oom_...), a NOTE row is a comment. results/nvidia/*-summary.csv
are LLM Space Heater's llama.cpp runs on an RTX 3080, 4090 and 5090: one row per model,
quantisation (GGUF), context_length (-c) and prompt_tier, avg_tps over num_runs (40). The
'test-model' and 'demo-model' rows are the tool's smoke tests. results/nvidia-comparison.csv
restates the 3080 and 4090 summaries as a mean over prompt tiers per model and quantisation.
"""

import glob
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "mlx-guruswami-m3ultra-cluster-vs-rtx"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)
R = os.path.join(root, "results")
mlx = pd.concat(
    [
        pd.read_csv(f).assign(file=os.path.relpath(f, root))
        for f in sorted(glob.glob(f"{R}/*/benchmark-results.csv"))
    ],
    ignore_index=True,
)
ok = mlx[mlx.feasibility.isin(["practical", "batch_only"])]
print(len(mlx), "MLX rows;", len(ok), "measured;", mlx.feasibility.value_counts().to_dict())
gpus = {
    g: pd.read_csv(f"{R}/nvidia/NVIDIA-GeForce-RTX-{g}-summary.csv")
    for g in ("3080", "4090", "5090")
}
for g, s in gpus.items():
    print(
        g,
        len(s),
        "rows;",
        (s.model_name.isin(["test-model", "demo-model"])).sum(),
        "smoke-test rows",
    )
comp = pd.read_csv(f"{R}/nvidia-comparison.csv")


def m(model, topo, quant, ctx=None):
    sel = (ok.model == model) & (ok.topology == topo) & (ok.quant == quant)
    if ctx is not None:
        sel &= ok.context_tokens == ctx
    return ok[sel]


def out(fid, what, value, n=1):
    print(f"{fid}: {value:.6g}  (n={n}; {what})")


r = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q4", 1024)
out(
    "f1",
    "M3 Ultra MLX Llama-3.1-8B Q4 SINGLE, 1024 tokens: generation_tps",
    r.generation_tps.iloc[0],
)
r = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q4")
out(
    "f2",
    "M3 Ultra MLX Llama-3.1-8B Q4 SINGLE, mean over 7 context lengths",
    r.generation_tps.mean(),
    len(r),
)
r = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q2", 131072)
out("f3", "M3 Ultra Llama-3.1-8B Q2 at 131072 tokens: generation_tps", r.generation_tps.iloc[0])
r = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q4", 1024)
out("f4", "M3 Ultra Llama-3.1-8B Q4 at 1024 tokens: prompt_tps", r.prompt_tps.iloc[0])
r = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q4", 131072)
out("f5", "M3 Ultra Llama-3.1-8B Q4 at 131072 tokens: TTFT ms", r.ttft_seconds.iloc[0] * 1000)
r = m("Qwen2.5-32B", "SINGLE", "Q4", 1024)  # run on two identical nodes: muladhara, vishuddha
print(r[["node", "generation_tps"]].to_string())
out(
    "f6",
    "Qwen2.5-32B Q4 SINGLE at 1024 tokens, mean of its nodes' rows",
    r.generation_tps.mean(),
    len(r),
)
r = m("Qwen2.5-32B", "TP4", "Q4", 1024)
out("f7", "Qwen2.5-32B Q4 TP4 at 1024 tokens: generation_tps", r.generation_tps.iloc[0])
r = m("Llama-3.1-405B-Instruct", "SINGLE", "Q4")
out(
    "f8", "Llama-3.1-405B Q4 SINGLE, mean over its context lengths", r.generation_tps.mean(), len(r)
)
r = m("Llama-3.1-405B-Instruct", "TP4", "Q4")
out("f9", "Llama-3.1-405B Q4 TP4, mean over its context lengths", r.generation_tps.mean(), len(r))
r = m("Kimi-K2.5", "TP4", "Q4", 1024)
out("f10", "Kimi-K2.5 Q4 TP4 at 1024 tokens: generation_tps", r.generation_tps.iloc[0])
r = m("DeepSeek-V3.2", "SINGLE", "Q4")
out("f11", "DeepSeek-V3.2 Q4 SINGLE, mean", r.generation_tps.mean(), len(r))


def g(gpu, model, quant, tier, ctx=None):
    s = gpus[gpu]
    sel = (s.model_name == model) & (s.quantization == quant) & (s.prompt_tier == tier)
    if ctx is not None:
        sel &= s.context_length == ctx
    return s[sel]


for fid, gpu in (("f12", "3080"), ("f13", "4090"), ("f14", "5090")):
    r = g(gpu, "Llama-3.1-8B-Instruct", "Q4_K_M", "tiny")
    print(r[["context_length", "avg_tps", "num_runs"]].to_string())
    out(
        fid,
        f"RTX {gpu} llama.cpp Llama-3.1-8B Q4_K_M, tiny prompt: avg_tps (mean of {r.num_runs.iloc[0]})",
        r.avg_tps.iloc[0],
    )
r = g("4090", "DeepSeek-Coder-7B", "Q4_K_M", "xlarge")
out("f15", "RTX 4090 DeepSeek-Coder-7B Q4_K_M, xlarge prompt: avg_tps", r.avg_tps.iloc[0])
r = g("4090", "DeepSeek-Coder-7B", "Q4_K_M", "tiny")
out("f16", "RTX 4090 DeepSeek-Coder-7B Q4_K_M, tiny prompt: avg_ttft_ms", r.avg_ttft_ms.iloc[0])
s = gpus["4090"]
x = s[(s.model_name == "DeepSeek-Coder-7B") & (s.quantization == "Q4_K_M")]
out(
    "f17",
    "nvidia-comparison.csv 4090 DeepSeek-Coder-7B Q4_K_M avg_tps = mean of the 5 tiers",
    x.avg_tps.mean(),
    len(x),
)
print(
    "  as written in nvidia-comparison.csv:",
    comp[
        (comp.gpu_name.str.contains("4090"))
        & (comp.model_name == "DeepSeek-Coder-7B")
        & (comp.quantization == "Q4_K_M")
    ].avg_tps.tolist(),
)
a = m("Meta-Llama-3.1-8B-Instruct", "SINGLE", "Q4", 1024).generation_tps.iloc[0]
b = g("5090", "Llama-3.1-8B-Instruct", "Q4_K_M", "tiny").avg_tps.iloc[0]
print("RTX 5090 tiny / M3 Ultra 1024, Llama 8B Q4:", b / a)
q1, q4 = (
    m("Qwen2.5-32B", "SINGLE", "Q4", 1024).generation_tps.iloc[0],
    m("Qwen2.5-32B", "TP4", "Q4", 1024).generation_tps.iloc[0],
)
print("Qwen 32B TP4 vs SINGLE at 1024:", q4 / q1 - 1)
print(
    "failed MLX rows:",
    mlx[~mlx.feasibility.isin(["practical", "batch_only", "note"])][
        ["model", "topology", "context_tokens", "feasibility"]
    ].to_string(),
)
