"""Figures for serving-coalinfer-sglang-vs-vllm-latency-tables.

Usage: python serving-coalinfer-sglang-vs-vllm-latency-tables.py CORPUS_ROOT
README.md is SGLang's benchmark/benchmark_vllm_060/README.md ("SGLang v0.3.0 compared to vLLM
v0.6.0") as the fork intervitens/coalinfer renamed it: "SGLang" became "Coalinfer" in its
engine column. Four tables, each under "### <model> <n> x <GPU>": online (sglang.bench_serving
at --request-rate 4 / 8 with 1200 / 2400 ShareGPT prompts: median E2E latency, TTFT, TPOT,
ITL, all ms though no header says so; no tok/s) and offline (all 5000 prompts at once, RPS
"inf": request and output token throughput). One value per engine, rate and setup.
"""

import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-coalinfer-sglang-vs-vllm-latency-tables")):
    root = os.path.join(root, "serving-coalinfer-sglang-vs-vllm-latency-tables")
with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
    text = f.read()

frames = []
for m in re.finditer(r"### ([^\n]+)\n\n((?:\|[^\n]*\n)+)", text):
    heading, table = m.group(1), m.group(2)
    before = text[: m.start()]
    section = "Online" if before.rfind("## Online") > before.rfind("## Offline") else "Offline"
    lines = [l.strip().strip("|") for l in table.strip().splitlines()]
    header = [h.strip() for h in lines[0].split("|")]
    rows = [[c.strip().strip("*") for c in l.split("|")] for l in lines[2:]]
    df = pd.DataFrame(rows, columns=header)
    df["section"], df["heading"] = section, heading
    frames.append(df.rename(columns={"Num Prompts": "Num prompts"}))
online = pd.concat([f for f in frames if f["section"].iloc[0] == "Online"], ignore_index=True)
offline = pd.concat([f for f in frames if f["section"].iloc[0] == "Offline"], ignore_index=True)
print(online.to_string())
print(offline.to_string())
for col in ["Median E2E Latency", "Median TTFT", "Median TPOT", "Median ITL"]:
    online[col] = online[col].astype(float)
for col in ["Request throughput", "Output token throughput"]:
    offline[col] = offline[col].astype(float)

print("\nvLLM / Coalinfer at each heading and RPS:")
for (heading, rps), g in online.groupby(["heading", "RPS"]):
    v = g[g.Engine == "vLLM"].iloc[0]
    c = g[g.Engine == "Coalinfer"].iloc[0]
    print(
        f"  {heading} RPS {rps}: TTFT {v['Median TTFT'] / c['Median TTFT']:.2f}x, "
        f"ITL {v['Median ITL'] / c['Median ITL']:.2f}x, TPOT {v['Median TPOT'] / c['Median TPOT']:.2f}x, "
        f"E2E {v['Median E2E Latency'] / c['Median E2E Latency']:.2f}x"
    )
print("\noffline Coalinfer / vLLM output token throughput:")
for heading, g in offline.groupby("heading"):
    v = g[g.Engine == "vLLM"].iloc[0]
    c = g[g.Engine == "Coalinfer"].iloc[0]
    print(
        f"  {heading}: {c['Output token throughput']} / {v['Output token throughput']} = "
        f"{c['Output token throughput'] / v['Output token throughput']:.4f}"
    )
print("\nTPOT x 10 against vLLM's ITL (--num-scheduler-steps 10: tokens come 10 at a time):")
vl = online[online.Engine == "vLLM"]
for _, r in vl.iterrows():
    print(
        f"  {r['heading']} RPS {r['RPS']}: ITL {r['Median ITL']} / TPOT {r['Median TPOT']} = "
        f"{r['Median ITL'] / r['Median TPOT']:.2f}"
    )
