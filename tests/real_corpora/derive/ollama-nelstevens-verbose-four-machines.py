"""Figures for ollama-nelstevens-verbose-four-machines.

Usage: python ollama-nelstevens-verbose-four-machines.py CORPUS_ROOT
Each <machine>/log_*.log is the captured terminal output of `ollama run --verbose`
(driven by llm_benchmark) for one model and 5 prompts: ANSI spinner noise, then a stats
block per prompt with Go duration strings ("1m25.86219397s", "736.109777ms").
The folder name is the machine. The first block of each log is the cold load.
"""
import glob
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-nelstevens-verbose-four-machines")):
    root = os.path.join(root, "ollama-nelstevens-verbose-four-machines")

def godur(s):
    """Go time.Duration string -> seconds ('42m41.59s' is 2561.59 s, not 41.59 s)."""
    return sum(float(n) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}[u]
               for n, u in re.findall(r"([\d.]+)(h|ms|µs|us|ns|m|s)", s))

BLK = re.compile(r"total duration:\s+(\S+)\s+load duration:\s+(\S+)\s+prompt eval count:\s+(\d+) token\(s\)\s+"
                 r"prompt eval duration:\s+(\S+)\s+prompt eval rate:\s+([\d.]+) tokens/s\s+eval count:\s+(\d+) token\(s\)\s+"
                 r"eval duration:\s+(\S+)\s+eval rate:\s+([\d.]+) tokens/s")
rows = []
for path in sorted(glob.glob(os.path.join(root, "*", "*.log"))):
    text = open(path, encoding="utf-8", errors="replace").read()
    model = re.search(r"model_name\s*=\s*(\S+)", text).group(1)
    for i, m in enumerate(BLK.finditer(text)):
        rows.append(dict(file=os.path.relpath(path, root), machine=os.path.basename(os.path.dirname(path)), model=model,
                         run=i, total_s=godur(m[1]), load_s=godur(m[2]), prompt_count=int(m[3]), prompt_s=godur(m[4]),
                         prompt_rate=float(m[5]), eval_count=int(m[6]), eval_s=godur(m[7]), eval_rate=float(m[8])))
df = pd.DataFrame(rows)
df["cold"] = df.run == 0

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

out("n_logs", df.file.nunique()); out("n_rows", len(df)); out("n_cold_rows", int(df.cold.sum()))
print("rows per machine/model:"); print(df.groupby(["machine", "model"]).size().to_string())
# eval rate per machine x model: all runs (what averages.md reports), warm only, median
agg = df.groupby(["machine", "model"]).eval_rate.agg(["count", "mean", "median"])
agg["warm_mean"] = df[~df.cold].groupby(["machine", "model"]).eval_rate.mean()
print("eval rate by machine/model:"); print(agg.round(4).to_string())
# averages.md check
for md in sorted(glob.glob(os.path.join(root, "*", "averages.md"))):
    mach = os.path.basename(os.path.dirname(md))
    for name, n, avg in re.findall(r"\|\s*(\S+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|", open(md).read()):
        mine = agg.loc[(mach, name)]
        print(f"averages.md {mach} {name}: reported n={n} avg={avg}; recomputed n={int(mine['count'])} avg={mine['mean']:.2f}")
A = lambda mach, model, col="mean": float(agg.loc[(mach, model), col])
out("f1 macmini deepseek-r1:7b mean eval rate", A("macmini", "deepseek-r1:7b"))
out("f2 aws-t2-large deepseek-r1:7b mean eval rate", A("aws-t2-large", "deepseek-r1:7b"))
out("f3 aws-t2-xlarge deepseek-r1:7b mean eval rate", A("aws-t2-xlarge", "deepseek-r1:7b"))
out("f4 macmini gemma3:4b mean eval rate", A("macmini", "gemma3:4b"))
out("f5 aws-t2-large gemma3:4b mean eval rate", A("aws-t2-large", "gemma3:4b"))
out("f6 aws-t2-xlarge gemma3:4b mean eval rate", A("aws-t2-xlarge", "gemma3:4b"))
out("f7 macmini gemma3:1b mean eval rate", A("macmini", "gemma3:1b"))
out("f8 aws-t2-med gemma3:1b mean eval rate", A("aws-t2-med", "gemma3:1b"))
out("f9 aws-t2-large gemma3:1b mean eval rate", A("aws-t2-large", "gemma3:1b"))
out("f10 aws-t2-large gemma3:1b median eval rate", A("aws-t2-large", "gemma3:1b", "median"))
out("f11 macmini deepseek-r1:1.5b mean eval rate", A("macmini", "deepseek-r1:1.5b"))
out("f12 aws-t2-med deepseek-r1:1.5b mean eval rate", A("aws-t2-med", "deepseek-r1:1.5b"))
out("f13 aws-t2-large deepseek-r1:1.5b mean eval rate (4 runs)", A("aws-t2-large", "deepseek-r1:1.5b"))
out("ratio f1/f2", A("macmini", "deepseek-r1:7b") / A("aws-t2-large", "deepseek-r1:7b"))
out("ratio f3/f2", A("aws-t2-xlarge", "deepseek-r1:7b") / A("aws-t2-large", "deepseek-r1:7b"))
out("ratio f4/f6", A("macmini", "gemma3:4b") / A("aws-t2-xlarge", "gemma3:4b"))
# load durations
cold = df[df.cold].set_index(["machine", "model"]).load_s
print("cold-row load duration (s):"); print(cold.round(4).to_string())
warm = df[~df.cold]
out("f14 warm load duration min (ms)", warm.load_s.min() * 1000); out("f15 warm load duration max (ms)", warm.load_s.max() * 1000)
out("f16 macmini warm load median (ms)", warm[warm.machine == "macmini"].load_s.median() * 1000)
out("f17 aws-t2-xlarge deepseek-r1:7b cold load (s)", float(cold.loc[("aws-t2-xlarge", "deepseek-r1:7b")]))
out("f18 aws-t2-large deepseek-r1:7b cold load (s)", float(cold.loc[("aws-t2-large", "deepseek-r1:7b")]))
out("f19 macmini gemma3:4b cold load (s)", float(cold.loc[("macmini", "gemma3:4b")]))
# prompt eval rate, warm, macmini vs t2-large on gemma3:4b
pr = warm.groupby(["machine", "model"]).prompt_rate.mean()
out("f20 macmini gemma3:4b warm mean prompt eval rate", float(pr.loc[("macmini", "gemma3:4b")]))
out("f21 aws-t2-large gemma3:4b warm mean prompt eval rate", float(pr.loc[("aws-t2-large", "gemma3:4b")]))
# runaway generations and the longest total duration
big = df[df.eval_count >= 6000]
out("f22 rows with eval_count >= 6000", len(big))
for r in big.itertuples():
    print(f"   {r.machine} {r.model} run {r.run}: eval_count {r.eval_count}, eval rate {r.eval_rate}, total {r.total_s:.1f} s")
out("f23 longest total duration (s)", df.total_s.max())
out("f24 aws-t2-large gemma3:1b run 4 eval rate (outlier)", float(df[(df.machine == "aws-t2-large") & (df.model == "gemma3:1b") & (df.run == 4)].eval_rate.iloc[0]))
# consistency: total ~= load + prompt + eval on warm rows
resid = (df.total_s - df.load_s - df.prompt_s - df.eval_s)
out("f25 max |total - (load+prompt+eval)| (s)", float(resid.abs().max()))
# same 5 prompts on every machine: prompt eval counts per model
print("prompt_count sequences:"); print(df.groupby(["model", "machine"]).prompt_count.apply(list).to_string())
