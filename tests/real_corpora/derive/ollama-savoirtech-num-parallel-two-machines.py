"""Figures for ollama-savoirtech-num-parallel-two-machines.

Usage: python ollama-savoirtech-num-parallel-two-machines.py CORPUS_ROOT
README.md (Xeon E-2378 + RTX 1000 Ada 8 GB) and apple-m4.md (Apple M4, 16 GB): per model,
tables of jgoodyear/ollama-benchmark runs: 128 requests sent through a queue of 512 with
OLLAMA_NUM_PARALLEL ("Number of Parallel Model Requests Allowed") 1-128, at a context size;
Duration (Seconds) is the time to finish all 128 requests. Empty durations: not run or failed.
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-savoirtech-num-parallel-two-machines")):
    root = os.path.join(root, "ollama-savoirtech-num-parallel-two-machines")
rows = []
for name in ("README.md", "apple-m4.md"):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        model = None
        for line in f:
            if line.startswith("## "):
                model = line[3:].strip()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 7 and cells[0].isdigit():
                rows.append({"file": name, "model": model, "queue": int(cells[0]),
                             "ctx": int(cells[1]), "requests": int(cells[2]),
                             "parallel": int(cells[3]),
                             "duration_s": float(cells[4]) if re.fullmatch(r"\d+", cells[4]) else None,
                             "errors": cells[5], "notes": cells[6]})  # fmt: skip
df = pd.DataFrame(rows)
pd.set_option("display.width", 200)
print(df.drop(columns=["queue", "requests"]).to_string())


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


def d(name, model, parallel, ctx=2048):
    sel = df[(df.file == name) & (df.model.str.startswith(model)) & (df.parallel == parallel) & (df.ctx == ctx)]
    assert len(sel) == 1, (name, model, parallel, ctx, len(sel))
    return float(sel.duration_s.iloc[0]) * 1000


for name in ("README.md", "apple-m4.md"):
    sub = df[df.file == name]
    out(f"{name}: table rows", len(sub))
    out(f"{name}: rows with a duration", int(sub.duration_s.notna().sum()))
    out(f"{name}: rows with errors > 0", int((sub.errors.str.strip() == "1").sum()))
out("f1 README llama3.2 ctx2048 parallel 1 (ms)", d("README.md", "Model: LLAMA 3.2", 1))
out("f2 README llama3.2 ctx2048 parallel 16 (ms)", d("README.md", "Model: LLAMA 3.2", 16))
out("f3 apple-m4 llama3.2 ctx2048 parallel 1 (ms)", d("apple-m4.md", "Model: LLAMA 3.2", 1))
out("f4 apple-m4 llama3.2 ctx2048 parallel 16 (ms)", d("apple-m4.md", "Model: LLAMA 3.2", 16))
out("f5 apple-m4 llama3.2 ctx2048 parallel 64 (ms)", d("apple-m4.md", "Model: LLAMA 3.2", 64))
out("f6 README deepseek-r1:1.5b parallel 16 (ms)", d("README.md", "DeepSeek-R1:1.5b", 16))
out("f7 README deepseek-r1:1.5b parallel 1 (ms)", d("README.md", "DeepSeek-R1:1.5b", 1))
out("f8 README deepseek-r1:7b parallel 4 (ms)", d("README.md", "DeepSeek-R1:7b", 4))
out("f9 README deepseek-r1:7b parallel 16 (ms)", d("README.md", "DeepSeek-R1:7b", 16))
out("f10 apple-m4 mistral parallel 16 (ms)", d("apple-m4.md", "Model: Mistral", 16))
out("f11 README llama3.2 ctx131072 parallel 1 (ms)", d("README.md", "Model: LLAMA 3.2", 1, 131072))
