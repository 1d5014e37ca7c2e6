"""Figures for gpu-ollama-gparemsky-4090-48gb-a100-a6000-reports.

Usage: python gpu-ollama-gparemsky-4090-48gb-a100-a6000-reports.py CORPUS_ROOT
gparemsky/48gb4090 benchmarks an RTX 4090 modded to 48 GB against a stock RTX 4090, A100
and A6000 (each limited to 24, 48 or 80 GB) on Ollama, with chigkim/prompt-test: per GPU
and model a report (`GPU: ...`, `Model: ...`, then a table of 10 requests of growing prompts:
Prompt Tokens, PP/s, TTFT (s), Generated Tokens, TG/s, Duration (s)). A comparison .md
embeds reports of one session; RESULTS/ copies ML_WORKLOADS/; the repository commits a
virtualenv (prompt-test/lib/python3.9/site-packages).
"""
import glob
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "gpu-ollama-gparemsky-4090-48gb-a100-a6000-reports"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)
cols = ["gpu", "model", "prompt_tokens", "pp_s", "ttft_s", "gen_tokens", "tg_s", "duration_s"]
rows = []
for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
    rel = os.path.relpath(path, root)
    if not os.path.isfile(path) or "site-packages" in rel:
        continue
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0] not in ("GPU", "---") and not cells[0].startswith("-"):
            rows.append(dict(zip(cols, cells), file=rel))
df = pd.DataFrame(rows)
for c in cols[2:]:
    df[c] = df[c].astype(float)
print("rows per file:")
print(df.groupby("file").size().to_string())
# RESULTS/ repeats ML_WORKLOADS/ byte for byte; the comparison .md repeats reports of its day
df["key"] = df[cols].astype(str).agg("|".join, axis=1)
first = df[~df.file.str.startswith("RESULTS/")]
dup = df[df.file.str.startswith("RESULTS/")]
print("RESULTS rows found in ML_WORKLOADS:", int(dup.key.isin(first.key).sum()), "of", len(dup))
cmp_rows = first[first.file.str.contains("benchmark_comparison")]
rep_rows = first[~first.file.str.contains("benchmark_comparison")]
print("comparison rows also in a report file:", int(cmp_rows.key.isin(rep_rows.key).sum()), "of", len(cmp_rows))
runs = first.drop_duplicates("key")
degenerate = runs[runs.gen_tokens == 0]
print("degenerate (0 generated tokens):", degenerate[["gpu", "model", "ttft_s", "file"]].to_string())
ok = runs[runs.gen_tokens > 0]
print("runs (distinct, generated > 0):", len(ok))
g = ok.groupby(["gpu", "model"]).agg(n=("tg_s", "size"), tg=("tg_s", "mean"), pp=("pp_s", "mean"), ttft=("ttft_s", "mean"))
print(g.round(3).to_string())


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rep = rep_rows.drop_duplicates("key")
r = rep.groupby(["gpu", "model", "file"]).agg(n=("tg_s", "size"), tg=("tg_s", "mean"), pp=("pp_s", "mean"))
print(r.round(3).to_string())
out("f1 A100-24GB qwen3-coder:latest mean TG/s (10)", float(g.loc[("A100-24GB", "qwen3-coder:latest"), "tg"]))
out("f2 A100-24GB qwen2.5-coder:32b mean TG/s (10)", float(g.loc[("A100-24GB", "qwen2.5-coder:32b"), "tg"]))
out("f3 A6000-48GB llama3.1:70b mean TG/s (10)", float(g.loc[("A6000-48GB", "llama3.1:70b"), "tg"]))
out("f4 A100-48GB llama3.1:70b mean TG/s (10)", float(g.loc[("A100-48GB", "llama3.1:70b"), "tg"]))
out("f5 RTX4090-48GB deepseek-r1:70b mean TG/s (10)", float(g.loc[("RTX4090-48GB", "deepseek-r1:70b"), "tg"]))
out("f6 A6000-48GB deepseek-r1:70b mean TG/s", float(g.loc[("A6000-48GB", "deepseek-r1:70b"), "tg"]))
out("f7 RTX4090-48GB deepseek-r1:70b mean PP/s", float(g.loc[("RTX4090-48GB", "deepseek-r1:70b"), "pp"]))
out("f8 A6000-48GB deepseek-r1:70b mean PP/s", float(g.loc[("A6000-48GB", "deepseek-r1:70b"), "pp"]))
out("f9 RTX4090-48GB / A6000-48GB deepseek-r1:70b TG ratio", float(g.loc[("RTX4090-48GB", "deepseek-r1:70b"), "tg"] / g.loc[("A6000-48GB", "deepseek-r1:70b"), "tg"]))
m24 = rep[(rep.gpu == "RTX4090") & (rep.model == "mistral-small3.2:latest")]
by = m24.groupby("file").tg_s.mean()
print(by.to_string())
out("f10 RTX4090 mistral-small3.2 TG/s, 4090-24-tests session", float(by["ML_WORKLOADS/4090-24-tests/report-RTX4090-mistral_small3_2_latest.txt"]))
out("f11 RTX4090 mistral-small3.2 TG/s, ML_WORKLOADS root session", float(by["ML_WORKLOADS/report-RTX4090-mistral_small3_2_latest.txt"]))
out("f12 A100-24GB qwen2.5-coder:32b mean TTFT (ms)", float(g.loc[("A100-24GB", "qwen2.5-coder:32b"), "ttft"] * 1000))
out("f13 A100-80GB gpt-oss:120b mean TG/s (10)", float(g.loc[("A100-80GB", "gpt-oss:120b"), "tg"]))
