"""Figures for ollama-freeletics-eval-rate-three-machines.

Usage: python ollama-freeletics-eval-rate-three-machines.py CORPUS_ROOT
results/<machine>.md: console captures of freeletics' `llm_benchmark` (Ollama): a system block
(cpu_info / gpu_info / ollama_version), then per model `model_name = X`, five
`prompt = ...` / `eval rate: N tokens/s` pairs and the tool's own `Average of eval rate` line,
then a JSON blob of those averages sent to the tool's server. Only the eval rate is captured
(no total/load/prompt-eval duration), so every row is one generation; the Average lines and the
JSON are the tool's restatement of the five runs, not runs.
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-freeletics-eval-rate-three-machines")):
    root = os.path.join(root, "ollama-freeletics-eval-rate-three-machines")

FILES = {
    "results/Linux_RTX_3060.md": "NVIDIA GeForce RTX 3060",
    "results/linux_Ryzen_4750G.md": "AMD Ryzen 7 PRO 4750G",
    "results/macbook_air_m2_24GB.md": "Apple M2",
}
rows, averages = [], []
for path, machine in FILES.items():
    model = prompt = None
    for line in open(os.path.join(root, path), encoding="utf-8"):
        if m := re.match(r"model_name =\s+(\S+)", line):
            model = m.group(1)
        elif m := re.match(r"prompt = (.*)", line):
            prompt = m.group(1).strip()
        elif m := re.match(r"eval rate:\s+([\d.]+) tokens/s", line):
            rows.append({"file": path, "machine": machine, "model": model, "prompt": prompt,
                         "rate": float(m.group(1))})
        elif m := re.match(r"Average of eval rate:\s+([\d.]+)", line):
            averages.append({"file": path, "model": model, "average": float(m.group(1))})
df = pd.DataFrame(rows)
print("rows per file:", df.groupby("file").size().to_dict())
g = df.groupby(["machine", "model"]).rate
table = g.agg(["count", "mean", "median", "min", "max", "std"]).round(4)
print(table.to_string())
# The tool's own averages equal the means of the five rates (checked, to its 3 decimals).
avg = pd.DataFrame(averages).merge(df.groupby(["file", "model"]).rate.mean().reset_index(), on=["file", "model"])
print("tool averages agree:", bool(((avg.average - avg.rate).abs() < 0.01).all()))
def mean(machine, model):
    return float(df[(df.machine == machine) & (df.model == model)].rate.mean())
R, A, M = "NVIDIA GeForce RTX 3060", "AMD Ryzen 7 PRO 4750G", "Apple M2"
print("f1 mistral:7b RTX 3060 mean", mean(R, "mistral:7b"))
print("f2 mistral:7b Ryzen 4750G mean", mean(A, "mistral:7b"))
print("f3 mistral:7b M2 mean", mean(M, "mistral:7b"))
print("f4 deepseek-r1:14b RTX 3060 mean", mean(R, "deepseek-r1:14b"))
print("f5 deepseek-r1:14b Ryzen mean", mean(A, "deepseek-r1:14b"))
print("f6 deepseek-r1:14b M2 mean", mean(M, "deepseek-r1:14b"))
print("f7 llava:7b RTX mean", mean(R, "llava:7b"))
print("f8 llava:7b M2 mean", mean(M, "llava:7b"))
print("f9 llava:13b Ryzen mean", mean(A, "llava:13b"))
print("f10 llava:13b Ryzen min", float(df[(df.machine == A) & (df.model == "llava:13b")].rate.min()))
print("f11 deepseek-r1:8b M2 median", float(df[(df.machine == M) & (df.model == "deepseek-r1:8b")].rate.median()))
print("f12 phi4:14b M2 mean", mean(M, "phi4:14b"))
print("f13 gemma2:9b RTX mean", mean(R, "gemma2:9b"))
print("f14 runs RTX 3060", int((df.machine == R).sum()))
ratios = [mean(R, m) / mean(A, m) for m in sorted(df.model.unique())]
print("f15 RTX/Ryzen ratio per model: min %.3f median %.3f max %.3f" % (min(ratios), pd.Series(ratios).median(), max(ratios)))
ratios = [mean(R, m) / mean(M, m) for m in sorted(df.model.unique())]
print("f16 RTX/M2 ratio per model: min %.3f median %.3f max %.3f" % (min(ratios), pd.Series(ratios).median(), max(ratios)))
# llava prompts name a local image path that differs per machine (/home/henry vs /Users/henry.gallert)
print(df[df.model == "llava:7b"].groupby("machine").prompt.first().to_string())
