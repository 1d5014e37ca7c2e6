"""Figures for ollama-rohilrao-load-times.

Usage: python ollama-rohilrao-load-times.py CORPUS_ROOT
ollama_load_benchmark_results_np20_mlm3_kvq8.csv: one row per forced cold load (the script
unloads the model and checks /api/ps before every run), 5 runs x 3 num_ctx x 5 models.
Times are in SECONDS (the script converted Ollama's ns fields). generated_tokens is 1 by design.
"(1).csv" is a byte-identical copy; ollama_benchmark_averages.csv is the per (model, ctx) mean.
"""
import hashlib
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-rohilrao-load-times")):
    root = os.path.join(root, "ollama-rohilrao-load-times")
RUNS = os.path.join(root, "ollama_load_benchmark_results_np20_mlm3_kvq8.csv")
COPY = os.path.join(root, "ollama_load_benchmark_results_np20_mlm3_kvq8 (1).csv")
AVG = os.path.join(root, "ollama_benchmark_averages.csv")

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
out("copy identical", sha(RUNS) == sha(COPY))
df = pd.read_csv(RUNS)
out("n_rows", len(df)); out("n_status_ok", int((df.status == "ok").sum()))
out("n_models", df.model.nunique())
out("generated_tokens unique", sorted(df.generated_tokens.unique().tolist()))
out("eval_time_s unique", sorted(df.eval_time_s.unique().tolist()))
# first load of each model = run 1 at the first context (8192): extra prompt_eval warm-up
first = df[(df.run == 1) & (df.context_size == 8192)]
print("first-load rows:"); print(first[["model", "load_time_s", "prompt_eval_time_s", "total_time_s"]].to_string(index=False))
rest = df.drop(first.index)
out("f9 max prompt_eval_time_s outside first-load rows", rest.prompt_eval_time_s.max())
g = df.groupby(["model", "context_size"]).load_time_s
tab = pd.DataFrame({"n": g.size(), "mean": g.mean(), "median": g.median(), "min": g.min(), "max": g.max()})
tab["median_excl_first"] = rest.groupby(["model", "context_size"]).load_time_s.median()
tab["vram_gb"] = df.groupby(["model", "context_size"]).vram_gb.first()
print(tab.round(4).to_string())
T = lambda m, c, col: float(tab.loc[(m, c), col])
out("f1 qwen3:32b-q8 ctx8192 median load_s", T("qwen3:32b-q8", 8192, "median"))
out("f2 qwen3:32b-q8 ctx8192 mean load_s (incl. first load)", T("qwen3:32b-q8", 8192, "mean"))
out("f3 qwen3:32b-q8 ctx32768 median load_s", T("qwen3:32b-q8", 32768, "median"))
out("f4 qwen3:32b-q8 ctx65536 median load_s", T("qwen3:32b-q8", 65536, "median"))
out("f5 mistral-small3.2:24b ctx8192 median load_s", T("mistral-small3.2:24b", 8192, "median"))
out("f6 mistral-small3.2:24b ctx32768 median load_s", T("mistral-small3.2:24b", 32768, "median"))
out("f7 deepseek-r1-0528 ctx8192 median load_s", T("deepseek-r1-0528-q4_k_m:latest", 8192, "median"))
out("f8 deepseek-r1-0528 ctx65536 median load_s", T("deepseek-r1-0528-q4_k_m:latest", 65536, "median"))
out("f10 qwen3:32b-q8 first-load prompt_eval_time_s", float(first[first.model == "qwen3:32b-q8"].prompt_eval_time_s.iloc[0]))
out("f11 qwen3:32b-q8 vram_gb ctx8192", T("qwen3:32b-q8", 8192, "vram_gb"))
out("f12 qwen3:32b-q8 vram_gb ctx65536", T("qwen3:32b-q8", 65536, "vram_gb"))
out("f13 deepseek-r1-0528 vram_gb ctx65536 (largest)", df.vram_gb.max())
out("f14 qwen3-235b-a22b ctx8192 median load_s", T("qwen3-235b-a22b:q4_k_m", 8192, "median"))
out("f15 qwen3-235b-a22b load_s min over all ctx", float(df[df.model == "qwen3-235b-a22b:q4_k_m"].load_time_s.min()))
out("f16 qwen3-235b-a22b load_s max excl first load", float(rest[rest.model == "qwen3-235b-a22b:q4_k_m"].load_time_s.max()))
# averages file == per (model, ctx) mean of the runs file
avg = pd.read_csv(AVG).set_index(["model", "context_size"])
mean = df.groupby(["model", "context_size"])[["run", "load_time_s", "total_time_s", "prompt_eval_time_s", "vram_gb"]].mean()
diff = (avg[mean.columns] - mean.loc[avg.index]).abs().max().max()
out("f17 max |averages.csv - mean(runs)|", float(diff))
out("averages rows", len(avg)); out("averages run column unique", sorted(avg.run.unique().tolist()))
