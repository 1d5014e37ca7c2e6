"""Figures for ollama-jenicek001-two-apus-notes.

Usage: python ollama-jenicek001-two-apus-notes.py CORPUS_ROOT
results/BENCHMARK_RESULTS.md: two "## System N" sections (Ryzen AI Max 395 / Radeon 8060S;
Ryzen 7 8845HS / Radeon 780M), each a hardware table and a "### Performance Results" table of
one Ollama run per model (eval_count / eval_duration, single run, stream false). The only model
both ran, gemma4:31b, ran at num_ctx 262144 on the 8060S and 8192 on the 780M.
"""
import io
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-jenicek001-two-apus-notes")):
    root = os.path.join(root, "ollama-jenicek001-two-apus-notes")
with open(os.path.join(root, "results", "BENCHMARK_RESULTS.md"), encoding="utf-8") as f:
    text = f.read()
tables = {}
for system, body in re.findall(r"^## (System \d[^\n]*)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
    block = body.split("### Performance Results", 1)[1]
    lines = [ln for ln in block.splitlines() if ln.startswith("|") and not ln.startswith("| :")]
    frame = pd.read_csv(io.StringIO("\n".join(lines)), sep="|", skipinitialspace=True)
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("Unnamed")]]
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.astype(str).str.strip().str.strip("*").str.strip())
    frame["t/s"] = frame["t/s"].astype(float)
    tables[system.split(":")[0]] = frame
    print(system); print(frame[["Model", "Quant", "t/s", "num_ctx"]].to_string(index=False))

s1, s2 = tables["System 1"], tables["System 2"]
def rate(frame, model):
    return float(frame.loc[frame.Model == model, "t/s"].iloc[0])
def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")
out("f1 qwen2.5:0.5b on the 8060S", rate(s1, "qwen2.5:0.5b"))
out("f2 gpt-oss:120b on the 8060S", rate(s1, "gpt-oss:120b"))
out("f3 gpt-oss:20b on the 8060S", rate(s1, "gpt-oss:20b"))
out("f4 llama3.1:70b on the 8060S", rate(s1, "llama3.1:70b"))
out("f5 gemma4:31b on the 8060S (num_ctx 262144)", rate(s1, "gemma4:31b"))
out("f6 gemma4:31b on the 780M (num_ctx 8192)", rate(s2, "gemma4:31b"))
out("f7 gemma4:26b on the 780M (num_ctx 8192)", rate(s2, "gemma4:26b"))
out("f8 mixtral:8x22b on the 8060S", rate(s1, "mixtral:8x22b"))
out("models on both systems", sorted(set(s1.Model) & set(s2.Model)))
out("gemma4:26b / gemma4:31b on the 780M", rate(s2, "gemma4:26b") / rate(s2, "gemma4:31b"))
out("rows", (len(s1), len(s2)))
