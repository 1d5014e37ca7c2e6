"""Figures for mlx-aukejw-m4pro-mlx-lmstudio-ollama-torch.

Usage: python mlx-aukejw-m4pro-mlx-lmstudio-ollama-torch.py CORPUS_ROOT
aukejw/mlx_transformers_benchmark's measurements/llm_benchmarks: 14 sessions on one MacBook Pro
(Apple M4 Pro, 10P+4E cores, 20 GPU cores, 24 GB; settings.json hardware_info), each a folder
<date>__<time>/ with benchmark_results.csv and settings.json. A CSV row is one model
(`name`), engine (`framework`: mlx = mlx-lm, lmstudio, ollama, torch = PyTorch on MPS),
runtime (`backend`: metal, metal+llama.cpp, mlx, mps), weights (`dtype`: int4, int8,
bfloat16) and prompt length (`num_prompt_tokens`, swept 64..4096); its figures are the MEAN
of 3 timed iterations after 1 warm-up (settings.json num_iterations / num_warmup_iterations;
run_llm_benchmark.py: Measurements.get_mean), though no column says so. generation_tps is the
decode rate over num_generated_tokens (max 100; some rows stop at 13-14 tokens on EOS).
"""

import glob
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "mlx-aukejw-m4pro-mlx-lmstudio-ollama-torch"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)
frames = []
for path in sorted(glob.glob(os.path.join(root, "*", "*", "benchmark_results.csv"))):
    frames.append(pd.read_csv(path).assign(file=os.path.relpath(path, root)))
d = pd.concat(frames, ignore_index=True)
print(len(d), "rows;", d.groupby(["framework", "backend"]).size().to_dict())


def rows(model, framework, backend, dtype, prompt=None):
    sel = (
        (d.name == model) & (d.framework == framework) & (d.backend == backend) & (d.dtype == dtype)
    )
    if prompt is not None:
        sel &= d.num_prompt_tokens == prompt
    return d[sel]


def out(fid, what, series, stat="mean"):
    value = getattr(series, stat)()
    print(
        f"{fid}: {value:.6g}  (n={len(series)}; {what}; files {sorted(set(d.loc[series.index, 'file']))})"
    )


r = rows("qwen-2.5-0.5b-it", "mlx", "metal", "int4", 4096)
out("f1", "MLX qwen-2.5-0.5b-it int4 4096-token prompt generation_tps", r.generation_tps)
r = rows("qwen-2.5-0.5b-it", "lmstudio", "metal+llama.cpp", "int4", 4096)
out("f2", "LM Studio llama.cpp qwen-2.5-0.5b-it int4 4096 generation_tps", r.generation_tps)
r = rows("qwen-2.5-0.5b-it", "ollama", "metal+llama.cpp", "int4", 4096)
out("f3", "Ollama qwen-2.5-0.5b-it int4 4096 generation_tps", r.generation_tps)
r = rows("Deepseek-R1-Distill-7B", "lmstudio", "mlx", "int4")
out("f4", "LM Studio (mlx runtime) Deepseek-R1-Distill-7B int4, 4 prompt lengths", r.generation_tps)
r = rows("Deepseek-R1-Distill-7B", "lmstudio", "metal+llama.cpp", "int4")
out("f5", "LM Studio (llama.cpp) Deepseek-R1-Distill-7B int4, 4 lengths", r.generation_tps)
r = rows("Deepseek-R1-Distill-7B", "mlx", "metal", "int4")
out("f6", "MLX Deepseek-R1-Distill-7B int4, 4 lengths", r.generation_tps)
r = rows("Deepseek-R1-Distill-7B", "ollama", "metal+llama.cpp", "int4")
out("f7", "Ollama Deepseek-R1-Distill-7B int4, 4 lengths", r.generation_tps)
r = rows("gemma-3-1b-it", "torch", "mps", "bfloat16")
out("f8", "PyTorch MPS gemma-3-1b-it bfloat16, all rows", r.generation_tps)
r = rows("gemma-3-1b-it", "mlx", "metal", "bfloat16")
out("f9", "MLX gemma-3-1b-it bfloat16, all rows", r.generation_tps)
r = rows("qwen-2.5-3b-it", "mlx", "metal", "int4")
out("f10", "MLX qwen-2.5-3b-it int4, all rows", r.generation_tps)
r = rows("qwen-2.5-3b-it", "mlx", "metal", "bfloat16")
out("f11", "MLX qwen-2.5-3b-it bfloat16, all rows", r.generation_tps)
r = rows("qwen-2.5-0.5b-it", "mlx", "metal", "int4", 4096)
out("f12", "MLX qwen-2.5-0.5b-it int4 4096 prompt_tps", r.prompt_tps)
r = rows("qwen-2.5-0.5b-it", "lmstudio", "metal+llama.cpp", "int4", 4096)
out("f13", "LM Studio llama.cpp qwen-2.5-0.5b-it int4 4096 prompt_tps", r.prompt_tps)
r = rows("qwen-2.5-0.5b-it", "mlx", "metal", "int4", 64)
out("f14", "MLX qwen-2.5-0.5b-it int4 64: slowest session", r.generation_tps, "min")
out("f15", "MLX qwen-2.5-0.5b-it int4 64: fastest session", r.generation_tps, "max")
r = rows("gemma-3-12b-it-qat", "mlx", "metal", "int4")
out("f16", "MLX gemma-3-12b-it-qat int4, all rows", r.generation_tps)
r = rows("gemma-3-12b-it-qat", "lmstudio", "metal+llama.cpp", "int4")
out("f17", "LM Studio llama.cpp gemma-3-12b-it-qat int4, all rows", r.generation_tps)
r = rows("gemma-3-1b-it", "mlx", "metal", "int4")
out("f18", "MLX gemma-3-1b-it int4, all rows", r.generation_tps)
r = rows("gemma-3-1b-it", "lmstudio", "metal+llama.cpp", "int4")
out("f19", "LM Studio llama.cpp gemma-3-1b-it int4, all rows", r.generation_tps)
r = rows("qwen-3-14B-it", "mlx", "metal", "int4")
out("f20", "MLX qwen-3-14B-it int4, 4 lengths", r.generation_tps)
r = rows("qwen-3-14B-it", "lmstudio", "metal+llama.cpp", "int4")
out("f21", "LM Studio llama.cpp qwen-3-14B-it int4, 4 lengths", r.generation_tps)

# Per model, MLX's decode rate over LM Studio's llama.cpp runtime, int4, like for like
# (model and prompt length both ran), the median of the per-pair ratios.
mlx = d[(d.framework == "mlx") & (d.dtype == "int4")]
lms = d[(d.framework == "lmstudio") & (d.backend == "metal+llama.cpp") & (d.dtype == "int4")]
k = ["name", "num_prompt_tokens"]
pairs = (
    mlx.groupby(k)
    .generation_tps.mean()
    .to_frame("mlx")
    .join(lms.groupby(k).generation_tps.mean().to_frame("lms"), how="inner")
)
pairs["ratio"] = pairs.mlx / pairs.lms
print(pairs.to_string())
print(
    "MLX/LM Studio(llama.cpp) int4 pairs:",
    len(pairs),
    "median ratio",
    pairs.ratio.median(),
    "min",
    pairs.ratio.min(),
    "max",
    pairs.ratio.max(),
)
# Sessions: the widest max/min of one setup (model, engine, runtime, dtype, length) over files.
k5 = ["name", "framework", "backend", "dtype", "num_prompt_tokens"]
spread = d.groupby(k5).generation_tps.agg(lambda s: s.max() / s.min())
print("widest session spread of one setup:", spread.max(), spread.idxmax())
print("rows that generated fewer than 50 tokens:", int((d.num_generated_tokens < 50).sum()))
print(
    "rows whose prompt is not a power of two:",
    d[d.num_prompt_tokens == 4070][k5 + ["file"]].to_string(),
)
