"""Figures for ollama-khaney64-cpu-gpu-num-ctx.

Usage: python ollama-khaney64-cpu-gpu-num-ctx.py CORPUS_ROOT
models/<model>(<tag>)/results/agentic/<mode>[/rtx-4070/ctx-N]/metrics.json: ONE Ollama call
each (the agentic coding task), its figures in sections: timing (seconds), tokens (counts and
Ollama's rates), gpu (VRAM samples), hardware. num_predict is set equal to num_ctx, so the two
change together. Local calls each load the model (load 1.5-5.2 s, one 108.9 s); cloud calls
(mode cloud) report counts but 0 for every duration and rate; one call timed out (error).
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-khaney64-cpu-gpu-num-ctx")):
    root = os.path.join(root, "ollama-khaney64-cpu-gpu-num-ctx")
rows = []
for path in sorted(glob.glob(os.path.join(root, "models/*/results/agentic/**/metrics.json"), recursive=True)):
    j = json.load(open(path))
    t, k = j.get("timing", {}), j.get("tokens", {})
    rows.append({
        "file": os.path.relpath(path, root), "model": j.get("model"), "mode": j.get("execution_mode"),
        "ctx": j.get("num_ctx"), "predict": j.get("num_predict"), "threads": j.get("num_threads"),
        "gpu": j.get("hardware", {}).get("gpu_name"), "error": j.get("error"),
        "load_s": t.get("load_duration_s"), "total_s": t.get("total_duration_s"),
        "wall_s": j.get("wall_clock_s"), "tps": k.get("eval_tokens_per_sec"),
        "pps": k.get("prompt_eval_tokens_per_sec"), "n": k.get("eval_count"),
    })
df = pd.DataFrame(rows)
print(len(df), "files;", df["mode"].value_counts().to_dict(), "errors:", int(df.error.notna().sum()))
print("num_predict == num_ctx everywhere but Nanbeige:", df[df.predict != df.ctx].model.unique().tolist())
ok = df[df.error.isna()]
local = ok[ok["mode"] != "cloud"]
print("local loads (s): min", local.load_s.min(), "max", local.load_s.max(), "n >= 1 s:", int((local.load_s >= 1).sum()), "of", len(local))
print("cloud rows: load/tps/pps all 0:", bool((ok[ok["mode"] == "cloud"][["load_s", "tps", "pps"]] == 0).all().all()))

def one(model, mode, ctx, col):
    sel = ok[(ok.model == model) & (ok["mode"] == mode) & (ok.ctx == ctx)]
    assert len(sel) == 1, (model, mode, ctx, len(sel))
    return float(sel[col].iloc[0])

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

out("f1 gemma3:12b-it-q4_K_M gpu ctx8192 tok/s", one("gemma3:12b-it-q4_K_M", "gpu", 8192, "tps"))
out("f2 gemma3:12b-it-q4_K_M cpu ctx32768 tok/s", one("gemma3:12b-it-q4_K_M", "cpu", 32768, "tps"))
out("f3 llama3.2:latest gpu ctx16384 tok/s", one("llama3.2:latest", "gpu", 16384, "tps"))
out("f4 llama3.2:latest cpu tok/s", one("llama3.2:latest", "cpu", 32768, "tps"))
out("f5 phi4:14b-q4_K_M gpu ctx8192 tok/s", one("phi4:14b-q4_K_M", "gpu", 8192, "tps"))
out("f6 phi4:14b-q4_K_M gpu ctx16384 tok/s", one("phi4:14b-q4_K_M", "gpu", 16384, "tps"))
out("f7 qwen2.5-coder:14b gpu ctx8192 tok/s", one("qwen2.5-coder:14b-instruct-q4_K_M", "gpu", 8192, "tps"))
out("f8 qwen2.5-coder:14b gpu ctx16384 tok/s", one("qwen2.5-coder:14b-instruct-q4_K_M", "gpu", 16384, "tps"))
out("f9 largest load (ms)", float(local.load_s.max() * 1000))
out("f10 llama3.2 gpu ctx16384 prompt tok/s", one("llama3.2:latest", "gpu", 16384, "pps"))
out("f11 gemma3:12b gpu ctx8192 wall clock (ms)", one("gemma3:12b-it-q4_K_M", "gpu", 8192, "wall_s") * 1000)
out("f12 gemma3:12b gpu ctx8192 total_duration (ms)", one("gemma3:12b-it-q4_K_M", "gpu", 8192, "total_s") * 1000)
out("f13 gemma3:12b gpu ctx8192 load (ms)", one("gemma3:12b-it-q4_K_M", "gpu", 8192, "load_s") * 1000)
out("f14 qwen3:8b gpu ctx8192 tok/s", one("qwen3:8b", "gpu", 8192, "tps"))
out("f15 qwen3:8b gpu ctx16384 tok/s", one("qwen3:8b", "gpu", 16384, "tps"))
out("f16 deepseek-coder-v2:16b gpu ctx8192 tok/s", one("deepseek-coder-v2:16b", "gpu", 8192, "tps"))
out("f17 deepseek-coder-v2:16b gpu ctx16384 tok/s", one("deepseek-coder-v2:16b", "gpu", 16384, "tps"))
# GPU (ctx 8192) against CPU (ctx 32768) per model that ran both
g = ok[(ok["mode"] == "gpu") & (ok.ctx == 8192)].set_index("model").tps
c = ok[ok["mode"] == "cpu"].set_index("model").tps
ratio = (g / c).dropna().sort_values()
print("gpu@8192 / cpu ratios:"); print(ratio.round(2).to_string())
out("f18 smallest gpu/cpu ratio", float(ratio.min())); out("f19 largest gpu/cpu ratio", float(ratio.max()))
out("f20 n local calls that loaded (>= 1 s)", int((local.load_s >= 1).sum()))
