"""Figures for llamabenchy-maxhbr-rtx5090-vs-gfx1151.

Usage: python llamabenchy-maxhbr-rtx5090-vs-gfx1151.py CORPUS_ROOT
result.md: llama-benchy Markdown table, one row per (test, depth, concurrency); cells are "mean ± std" over runs=3
(llama-benchy against an OpenAI endpoint). 't/s (total)' = aggregate tokens/s over the c concurrent requests,
't/s (req)' = per request; ttfr / est_ppt / e2e_ttft in ms. Machine = the model-name prefix (rtx5090: / gfx1151:),
not meta.json 'host' (p14 is the client that ran llama-benchy).
"""
import glob
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamabenchy-maxhbr-rtx5090-vs-gfx1151")):
    root = os.path.join(root, "llamabenchy-maxhbr-rtx5090-vs-gfx1151")
def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

def cell(s):
    s = s.strip()
    if not s: return (None, None)
    m, sd = s.split("±"); return (float(m), float(sd))
rows = []
for f in sorted(glob.glob(os.path.join(root, "benchmarks/*/llama-benchy/*/result.md"))):
    lines = [l for l in open(f, encoding="utf-8").read().splitlines() if l.startswith("|")]
    hdr = [h.strip() for h in lines[0].strip("|").split("|")]
    for l in lines[2:]:
        c = [x for x in l.strip().strip("|").split("|")]
        d = dict(zip(hdr, c))
        t = re.match(r"(pp|tg)(\d+)(?: @ d(\d+))? \(c(\d+)\)", d["test"].strip())
        mach, model = d["model"].strip().split(":", 1)
        r = dict(file=os.path.relpath(f, root), machine=mach, model=model, kind=t[1], n=int(t[2]), depth=int(t[3] or 0), conc=int(t[4]))
        for k in ["t/s (total)", "t/s (req)", "peak t/s", "ttfr (ms)", "e2e_ttft (ms)"]:
            r[k], r[k + " sd"] = cell(d[k])
        rows.append(r)
df = pd.DataFrame(rows)
out("result files", df.file.nunique()); out("table rows", len(df))
print(df.groupby(["machine", "model"]).size())
V = lambda m, mod, kind, depth, conc, col="t/s (total)": float(df[(df.machine == m) & (df.model == mod) & (df.kind == kind) & (df.depth == depth) & (df.conc == conc)][col].iloc[0])
models = ["Qwen3.6-27B-UD-Q4_K_XL", "Qwen3.6-35B-A3B-UD-Q5_K_XL", "gemma-4-26B-A4B-it-UD-Q8_K_XL"]
i = 1
for mod in models:
    for m in ["rtx5090", "gfx1151"]:
        out(f"f{i} {m} {mod} tg128 c1 t/s", V(m, mod, "tg", 0, 1)); i += 1
        out(f"f{i} {m} {mod} pp2048 c1 t/s", V(m, mod, "pp", 0, 1)); i += 1
for mod in models:
    out(f"ratio tg128 c1 {mod}", V("rtx5090", mod, "tg", 0, 1) / V("gfx1151", mod, "tg", 0, 1))
    out(f"ratio pp2048 c1 {mod}", V("rtx5090", mod, "pp", 0, 1) / V("gfx1151", mod, "pp", 0, 1))
q = "Qwen3.6-27B-UD-Q4_K_XL"
out("f13 rtx5090 27B tg128 c4 total (HTTP 500 run)", V("rtx5090", q, "tg", 0, 4))
out("rtx5090 27B pp2048 c4 total (HTTP 500 run)", V("rtx5090", q, "pp", 0, 4))
out("rtx5090 27B pp2048 @d8192 c1 total (1 surviving run)", V("rtx5090", q, "pp", 8192, 1))
out("rtx5090 27B pp2048 @d16384 c1 total", V("rtx5090", q, "pp", 16384, 1))
out("f14 rtx5090 27B tg128 c2 total", V("rtx5090", q, "tg", 0, 2))
out("f15 gfx1151 27B tg128 c4 total", V("gfx1151", q, "tg", 0, 4))
out("f16 gfx1151 27B tg128 @d16384 c1", V("gfx1151", q, "tg", 16384, 1))
out("f17 gfx1151 27B pp2048 @d16384 c1", V("gfx1151", q, "pp", 16384, 1))
out("f18 gfx1151 27B pp2048 c1 ttfr ms", V("gfx1151", q, "pp", 0, 1, "ttfr (ms)"))
zero_sd = df[(df["t/s (total) sd"] == 0.0)]
print("rows with std 0.00 (single surviving sample):"); print(zero_sd[["machine", "model", "kind", "depth", "conc", "t/s (total)"]].to_string())
for f in sorted(glob.glob(os.path.join(root, "benchmarks/*/llama-benchy/*/run.log"))):
    t = open(f, encoding="utf-8").read()
    out(f"HTTP errors in {os.path.relpath(f, root)}", t.count("HTTP 500"))
for f in sorted(glob.glob(os.path.join(root, "benchmarks/*/smoke.*"))):
    j = json.load(open(f)); out(f"{os.path.relpath(f, root)} timestamp", j["timestamp"])
for f in sorted(glob.glob(os.path.join(root, "benchmarks/*/llama-benchy/*/meta.json"))):
    j = json.load(open(f)); out(f"{os.path.relpath(f, root)}", (j["host"], j["timestamp"], j["runs"], j["concurrency"], j["depth"]))
