"""Figures for lmstudio-newbdez33-m3ultra-minimax-mlx-gguf.

Usage: python lmstudio-newbdez33-m3ultra-minimax-mlx-gguf.py CORPUS_ROOT
newbdez33/llm-mac-512: benchmark_lmstudio.py's JSON reports against LM Studio's API
(api_base http://localhost:1234/v1) on a Mac Studio M3 Ultra 512 GB: per file one session
of five tests (short/medium/long/reasoning/instruction, each its own prompt and max_tokens),
tps = completion_tokens / total_time (the request's wall time, prompt included), and a
summary (avg/max/min tps). The `model` field is LM Studio's alias ("minimax-m2.1") for
every MiniMax quant and backend tried (GGUF Q4_K_S, MLX 8-bit, MLX 4-bit, ...): only the
reports say which session ran which.
"""

import json
import os
import sys
from pathlib import Path

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
corpus = "lmstudio-newbdez33-m3ultra-minimax-mlx-gguf"
if os.path.isdir(os.path.join(root, corpus)):
    root = os.path.join(root, corpus)
root = Path(root)
rows = []
for path in sorted(root.rglob("lmstudio-benchmark-*.json")):
    doc = json.loads(path.read_text())
    for r in doc["results"]:
        rows.append({"file": str(path.relative_to(root)), "model": doc["model"], **{
            k: r.get(k) for k in ("test_name", "max_tokens", "completion_tokens", "total_time", "tps", "success", "error")
        }, "summary_avg": doc["summary"]["avg_tps"]})  # fmt: skip
df = pd.DataFrame(rows)
ok = df[df.success == True]  # noqa: E712
print(
    "files",
    df.file.nunique(),
    "rows",
    len(df),
    "ok",
    len(ok),
    "failed",
    int((df.success != True).sum()),
)  # noqa: E712
print("tps == completion_tokens / total_time:",
      float((ok.completion_tokens / ok.total_time - ok.tps).abs().max()))  # fmt: skip
per = ok.groupby("file").agg(
    n=("tps", "size"), mean=("tps", "mean"), summary=("summary_avg", "first")
)
print(per.round(3).to_string())


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


J = "docs/test-results/json/"
out(
    "f1 152620 (GGUF Q4_K_S per the report's detail) mean tps, 5 tests",
    float(per.loc[J + "lmstudio-benchmark-20260205-152620.json", "mean"]),
)
out(
    "f2 153547 mean tps (the report's 37.37)",
    float(per.loc[J + "lmstudio-benchmark-20260205-153547.json", "mean"]),
)
out(
    "f3 152959 (MLX 8-bit per the report) mean tps, 4 successful tests",
    float(per.loc[J + "lmstudio-benchmark-20260205-152959.json", "mean"]),
)
out(
    "f4 000854 qwen3-coder-next (Q4_K_M) mean tps",
    float(per.loc["lmstudio-benchmark-20260206-000854.json", "mean"]),
)
short = ok[(ok.test_name == "short") & (ok.model == "minimax-m2.1")]
out(
    "short test: slowest and fastest tps over the minimax sessions",
    (float(short.tps.min()), float(short.tps.max())),
)
print(df[df.success != True][["file", "test_name", "error"]].to_string())  # noqa: E712

# The same five prompts count 45/48/50/68/72 prompt tokens in some minimax sessions and
# 44/47/49/67/71 in the others (another tokeniser or chat template: two builds under one
# alias; the reports' detail blocks put GGUF Q4_K_S in a 45-count session, 152620, and MLX
# 8-bit in a 44-count one, 152959). Per build, the medium test (max_tokens 500) over its
# sessions.
counts = []
for path in sorted(root.rglob("lmstudio-benchmark-*.json")):
    doc = json.loads(path.read_text())
    short_count = [r.get("prompt_tokens") for r in doc["results"] if r["test_name"] == "short"]
    counts.append({"file": str(path.relative_to(root)), "short_prompt_tokens": short_count[0]})
builds = pd.DataFrame(counts).set_index("file")["short_prompt_tokens"]
mm = ok[ok.model == "minimax-m2.1"].assign(build=lambda d: d.file.map(builds))
print(mm.groupby("build").agg(files=("file", "nunique"), n=("tps", "size")).to_string())
medium = mm[mm.test_name == "medium"].groupby("build").tps.agg(["size", "mean"])
print(medium.to_string())
out("f5 medium test mean tps, sessions counting the short prompt 45 tokens (GGUF build)",
    float(medium.loc[45, "mean"]))  # fmt: skip
out("f6 medium test mean tps, sessions counting the short prompt 44 tokens (MLX build)",
    float(medium.loc[44, "mean"]))  # fmt: skip
