"""Figures for serving-ibmcloud-guidellm02-l40s-one-vs-two-gpus.

Usage: python serving-ibmcloud-guidellm02-l40s-one-vs-two-gpus.py CORPUS_ROOT
IBM-Cloud/techxchange-labs' docs/gpulab-1827/: a lab guide whose pages paste GuideLLM 0.2's
console output against vLLM (InstructLab's `ilab model serve --backend vllm`) serving
ibm-granite/granite-3.3-8b-instruct on an IBM Cloud gx3-48x240x2l40s (2 x L40S).
70-performance-tools.md: a 5-request synchronous run (the note's parameter table: 1 GPU used);
80-run-performance.md: a 30-request sweep served with `--gpus 1`; 90-run-performance-2.md: the
same sweep served with `--gpus 2`. Each Benchmarks Stats row is GuideLLM's statistics of one
benchmark (strategy); "Req Latency (ms)" holds seconds (GuideLLM 0.2's request_latency).
"""
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "serving-ibmcloud-guidellm02-l40s-one-vs-two-gpus"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)

COLUMNS = ["benchmark", "rps", "concurrency", "out_tps", "tot_tps", "lat_mean", "lat_median",
           "lat_p99", "ttft_mean", "ttft_median", "ttft_p99", "itl_mean", "itl_median",
           "itl_p99", "tpot_mean", "tpot_median", "tpot_p99"]


def stats(path):
    lines = open(os.path.join(root, path)).read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Benchmarks Stats"))
    # title, '=' rule, sections, statistics, '-' rule, then rows until the closing '=' rule
    rows = []
    for line in lines[start + 5:]:
        if line.startswith("="):
            break
        cells = [c.strip() for c in line.split("|")]
        rows.append([cells[0]] + [float(c) for c in cells[1:]])
    return pd.DataFrame(rows, columns=COLUMNS).set_index("benchmark")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


quick, one, two = (stats(p) for p in ("70-performance-tools.md", "80-run-performance.md",
                                      "90-run-performance-2.md"))
pd.set_option("display.width", 250)
for label, t in (("70 quick (1 GPU)", quick), ("80 sweep, --gpus 1", one), ("90 sweep, --gpus 2", two)):
    print(label)
    print(t.to_string())
out("f1 1 GPU synchronous output tok/s", one.loc["synchronous", "out_tps"])
out("f2 2 GPUs synchronous output tok/s", two.loc["synchronous", "out_tps"])
out("f3 2 GPUs / 1 GPU synchronous output rate", two.loc["synchronous", "out_tps"] / one.loc["synchronous", "out_tps"])
out("f4 1 GPU throughput output tok/s", one.loc["throughput", "out_tps"])
out("f5 2 GPUs throughput output tok/s", two.loc["throughput", "out_tps"])
out("f6 1 GPU synchronous mean request latency ms", one.loc["synchronous", "lat_mean"] * 1000)
out("f7 2 GPUs synchronous mean request latency ms", two.loc["synchronous", "lat_mean"] * 1000)
out("f8 1 GPU synchronous mean TTFT ms", one.loc["synchronous", "ttft_mean"])
out("f9 2 GPUs synchronous mean TTFT ms", two.loc["synchronous", "ttft_mean"])
out("f10 1 GPU throughput mean TTFT ms", one.loc["throughput", "ttft_mean"])
out("f11 2 GPUs throughput mean TTFT ms", two.loc["throughput", "ttft_mean"])
out("f12 1 GPU synchronous mean ITL ms", one.loc["synchronous", "itl_mean"])
out("f13 2 GPUs synchronous mean ITL ms", two.loc["synchronous", "itl_mean"])
out("f14 2 GPUs throughput requests/s", two.loc["throughput", "rps"])
out("f15 1 GPU throughput p99 TTFT ms", one.loc["throughput", "ttft_p99"])
out("f16 2 GPUs throughput median request latency ms", two.loc["throughput", "lat_median"] * 1000)
out("f17 quick run (70) synchronous output tok/s", quick.loc["synchronous", "out_tps"])
out("f18 quick run (70) synchronous mean TTFT ms", quick.loc["synchronous", "ttft_mean"])
out("f19 2 GPUs / 1 GPU throughput output rate", two.loc["throughput", "out_tps"] / one.loc["throughput", "out_tps"])
out("f20 1 GPU highest constant rate output tok/s (constant@2.94)", one.loc["constant@2.94", "out_tps"])
out("f21 2 GPUs highest constant rate output tok/s (constant@3.89)", two.loc["constant@3.89", "out_tps"])
