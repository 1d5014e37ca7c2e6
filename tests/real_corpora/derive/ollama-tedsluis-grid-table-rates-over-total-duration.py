"""Figures for corpus ollama-tedsluis-grid-table-rates-over-total-duration (a console capture of
ollama_performance_test.py: one tabulate "grid" table, four Ollama models x five prompts x two runs).
Usage: python ollama-tedsluis-grid-table-rates-over-total-duration.py <corpus_root>/ollama-tedsluis-grid-table-rates-over-total-duration"""

import os
import sys

import pandas as pd

root = sys.argv[1]
rows = []
for line in open(os.path.join(root, "RESULTS.md"), encoding="utf-8"):
    line = line.strip()
    if line.startswith("|") and not line.startswith("| Model"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append(cells)
df = pd.DataFrame(
    rows,
    columns=[
        "model",
        "prompt",
        "run",
        "latency_s",
        "prompt_tokens",
        "response_tokens",
        "prompt_tps",
        "response_tps",
    ],
)
for c in df.columns[2:]:
    df[c] = pd.to_numeric(df[c])
df["model"] = df.model.str.lower()  # "Gemma3:4b" is Ollama's gemma3:4b
print("rows", len(df), df.groupby("model").size().to_dict())
# What the two rates are (the script: prompt_eval_count / total_duration, eval_count / total_duration):
df["prompt_over_latency"] = (df.prompt_tokens / df.prompt_tps - df.latency_s).abs() / df.latency_s
df["response_over_latency"] = (
    df.response_tokens / df.response_tps - df.latency_s
).abs() / df.latency_s
print(
    "max |tokens/rate - latency| / latency",
    df.prompt_over_latency.max().round(4),
    df.response_over_latency.max().round(4),
)
by = df.groupby("model")
print("mean response tok/s", by.response_tps.mean().round(4).to_dict())
print("mean latency s", by.latency_s.mean().round(4).to_dict())
print('mean prompt "tok/s" (no prompt rate)', by.prompt_tps.mean().round(4).to_dict())
m = by.response_tps.mean()
print("ratio deepseek / mistral", round(m["deepseek-coder-v2:16b"] / m["mistral:7b"], 4))
first = df[df.prompt.str.startswith("Write a Python")]
print(
    "first prompt, run 1 vs run 2",
    first.pivot_table(index="model", columns="run", values="response_tps").to_dict("index"),
)
long = df[~df.prompt.str.startswith("What is the capital")]
print(
    "mean response tok/s, run 2, long answers",
    long[long.run == 2].groupby("model").response_tps.mean().round(4).to_dict(),
)
short = df[df.prompt.str.startswith("What is the capital")]
print(
    "capital prompt response tok/s", short.groupby("model").response_tps.mean().round(4).to_dict()
)
