"""Figures for ollama-brbousnguar-md-reports-three-machines.

Usage: python ollama-brbousnguar-md-reports-three-machines.py CORPUS_ROOT
reports/<machine label>/ollama-bench-*.md: one report of scripts/ollama_bench.py per session:
a header ("Machine label: ..."), a "## Summary" table of per-model aggregates (mean, p50,
p90, stdev of the 3 runs) and a "## Details" table per model (### heading) with one row per
measured run. Times in SECONDS (the script divides Ollama's ns by 1e9). The script warms up
every model first, then measures model by model, so the warm-up of one model is evicted by
the next ones: run 1 often reloads (Load s of seconds). reports/comparisons/*.md restate the
Summary tables of the newest report per machine.
"""

import glob
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-brbousnguar-md-reports-three-machines")):
    root = os.path.join(root, "ollama-brbousnguar-md-reports-three-machines")

COLS = [
    "run",
    "ok",
    "gen_tps",
    "prompt_tps",
    "gen_toks",
    "prompt_toks",
    "eval_s",
    "prompt_eval_s",
    "load_s",
    "total_s",
    "wall_s",
    "error",
]
rows, summ = [], []
for path in sorted(glob.glob(os.path.join(root, "reports", "*", "ollama-bench-*.md"))):
    rel = os.path.relpath(path, root)
    text = open(path, encoding="utf-8").read()
    label = re.search(r"Machine label: `([^`]+)`", text).group(1)
    summary = text.split("## Summary", 1)[1].split("## Details", 1)[0]
    for line in summary.splitlines():
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if len(c) == 9 and re.match(r"\d", c[2]):
            summ.append(
                dict(
                    file=rel,
                    machine=label,
                    model=c[0],
                    gen_mean=float(c[2]),
                    gen_p50=float(c[3]),
                    gen_p90=float(c[4]),
                    gen_std=float(c[5]),
                    prompt_mean=float(c[6]),
                    total_mean=float(c[7]),
                    wall_mean=float(c[8]),
                )
            )
    details = text.split("## Details", 1)[1]
    for block in details.split("### ")[1:]:
        model = block.splitlines()[0].strip()
        for line in block.splitlines():
            c = [x.strip() for x in line.strip().strip("|").split("|")]
            if len(c) == 12 and c[0].isdigit():
                r = dict(zip(COLS, c))
                rows.append(
                    dict(
                        file=rel,
                        machine=label,
                        model=model,
                        run=int(r["run"]),
                        ok=r["ok"],
                        **{k: float(r[k]) for k in COLS[2:11]},
                    )
                )
df = pd.DataFrame(rows)
sm = pd.DataFrame(summ)
print(df.groupby("file").size().to_string())
print("runs", len(df), "ok", (df.ok == "Y").sum())


def out(fid, v, n=None):
    print(f"{fid}: {v:.6g}" + (f"  (n={n})" if n is not None else ""))


# Cold rows: a run whose load is a model load. Warm calls here report 0.01-0.7 s (the Windows
# GPU laptop's gemma3:1b warm calls ~0.6 s); a reload is >= 5x the model's other runs in that
# file and >= 0.2 s more (4 x 7-8B models take 2.6-13.6 s; gemma3:270m 0.6-3.6 s).
def cold(g):
    others = g.load_s.rank(method="first")
    med = g.load_s.median()
    return (g.load_s >= 5 * g.load_s.min()) & (g.load_s - g.load_s.min() >= 0.2) & (g.load_s > med)


df["cold"] = df.groupby(["file", "model"], group_keys=False).apply(cold)
print(df[df.cold][["file", "model", "run", "load_s", "prompt_tps"]].to_string())
print("cold per file:")
print(df.groupby("file").cold.sum().to_string())
print("every cold row is run 1:", bool((df[df.cold].run == 1).all()))
warm = df[~df.cold]

M4 = "reports/apple-m4-24gb/ollama-bench-20260426-081818.md"
CPU = "reports/windows11-cpu-unknown-ram/ollama-bench-20260426-175818.md"
NV1 = "reports/windows11-nvidia-32gb/ollama-bench-20260424-134531.md"
NV2 = "reports/windows11-nvidia-32gb/ollama-bench-20260425-100703.md"


def sel(f, m, d=df):
    return d[(d.file == f) & (d.model == m)]


out("f1 M4 llama3:8b gen tok/s mean (3 runs)", sel(M4, "llama3:8b").gen_tps.mean(), 3)
out("f2 CPU llama3:8b gen tok/s mean", sel(CPU, "llama3:8b").gen_tps.mean(), 3)
out("f3 NV 04-24 llama3:8b gen tok/s mean", sel(NV1, "llama3:8b").gen_tps.mean(), 3)
out("f4 NV 04-25 llama3:8b gen tok/s mean", sel(NV2, "llama3:8b").gen_tps.mean(), 3)
out("f5 M4 gemma3:270m gen tok/s mean", sel(M4, "gemma3:270m").gen_tps.mean(), 3)
out("f6 CPU gemma3:270m gen tok/s mean", sel(CPU, "gemma3:270m").gen_tps.mean(), 3)
out("f7 M4 qwen2.5:7b gen tok/s mean", sel(M4, "qwen2.5:7b").gen_tps.mean(), 3)
out("f8 NV 04-25 qwen2.5:7b gen tok/s mean", sel(NV2, "qwen2.5:7b").gen_tps.mean(), 3)
out("f9 M4 llama3:8b gen tok/s median", sel(M4, "llama3:8b").gen_tps.median(), 3)
out("f10 NV 04-24 phi3:mini gen tok/s std (sample)", sel(NV1, "phi3:mini").gen_tps.std(), 3)
out("f11 NV 04-24 llama3:8b cold load (run 1) s", sel(NV1, "llama3:8b").load_s.max(), 1)
out("f12 NV 04-24 llama3:8b warm load mean s", sel(NV1, "llama3:8b", warm).load_s.mean(), 2)
out("f13 CPU phi3:mini cold load s", sel(CPU, "phi3:mini").load_s.max(), 1)
out("f14 M4 llama3:8b prompt tok/s mean all 3 runs", sel(M4, "llama3:8b").prompt_tps.mean(), 3)
out("f15 M4 llama3:8b prompt tok/s mean warm runs", sel(M4, "llama3:8b", warm).prompt_tps.mean(), 2)
out("f16 M4 llama3:8b total s mean all runs", sel(M4, "llama3:8b").total_s.mean(), 3)
out("f17 M4 llama3:8b total s mean warm", sel(M4, "llama3:8b", warm).total_s.mean(), 2)
out(
    "f18 CPU wall - total s mean (client overhead)",
    (df[df.file == CPU].wall_s - df[df.file == CPU].total_s).mean(),
    18,
)
out("f19 M4 gemma3:270m eval_count", sel(M4, "gemma3:270m").gen_toks.mean(), 3)
out("f20 NV 04-25 gemma3:270m eval_count", sel(NV2, "gemma3:270m").gen_toks.mean(), 3)
out("f21 runs measured (all reports)", float(len(df)), len(df))
out("f22 cold rows", float(df.cold.sum()))
out("f23 M4 mistral:7b gen tok/s mean", sel(M4, "mistral:7b").gen_tps.mean(), 3)
out("f24 CPU mistral:7b gen tok/s mean", sel(CPU, "mistral:7b").gen_tps.mean(), 3)
out("f25 NV 04-24 gemma3:1b load s mean warm", sel(NV1, "gemma3:1b", warm).load_s.mean(), 2)
# Summary tables restate the Details runs: mean, p50 (median), p90 (linear), stdev (sample)
chk = []
for r in sm.itertuples():
    g = sel(r.file, r.model).gen_tps
    chk.append(
        max(
            abs(round(g.mean(), 2) - r.gen_mean),
            abs(round(g.median(), 2) - r.gen_p50),
            abs(round(g.std(), 2) - r.gen_std),
            abs(round(g.quantile(0.9), 2) - r.gen_p90),
        )
    )
out("f26 max |Summary - recomputed from Details| (gen tok/s)", max(chk), len(sm))
# The comparison files restate the Summary means of the newest report per machine
for cf in sorted(glob.glob(os.path.join(root, "reports", "comparisons", "*.md"))):
    t = open(cf).read().split("## Generation Throughput", 1)[1].split("## Wall", 1)[0]
    vals = [float(x) for x in re.findall(r"\|\s*([\d.]+)(?: \(|\s*\|)", t)]
    print(os.path.basename(cf), "gen values", len(vals))
ratio = sel(M4, "gemma3:270m").gen_tps.mean() / sel(CPU, "gemma3:270m").gen_tps.mean()
out("f27 M4 / CPU gemma3:270m gen ratio", ratio)
out(
    "f28 NV 04-25 / NV 04-24 llama3:8b gen",
    sel(NV2, "llama3:8b").gen_tps.mean() / sel(NV1, "llama3:8b").gen_tps.mean(),
)
