"""Figures for serving-sglang-dlora-router-request-rate-sweep.

Usage: python serving-sglang-dlora-router-request-rate-sweep.py CORPUS_ROOT
WILLIAM-qmul/SGLang-dLoRA's DynaRank/benchmark_lora/final results, Azure trace v1 ("maf1"):
`static/maf1/<rate>/sglang_sglang_trace_azure_v1_<rate>.0_1_<n>.jsonl` (stock SGLang, static
LoRA placement over two instances) and `rank/maf1/<rate>/sglang_dlora_trace_...` (dLoRA, the
least-loaded router), one JSON line each: the bench client's summary of one run of <n> =
100 x rate requests replayed at `request_rate` (the trace's total rate). The file name's last
number is the requests sent (lora_bench_*.py: `..._{trace_total_rate}_{map_stride}_{num_prompts}
.jsonl`). Two GPU telemetry files (monitoring_*.jsonl) beside the 8 req/s runs: no results.
"""

import glob
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-sglang-dlora-router-request-rate-sweep")):
    root = os.path.join(root, "serving-sglang-dlora-router-request-rate-sweep")
rows = []
for path in sorted(glob.glob(os.path.join(root, "*", "maf1", "*", "sglang_*.jsonl"))):
    rel = os.path.relpath(path, root)
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    assert len(records) == 1, rel
    sent = int(re.search(r"_(\d+)\.jsonl$", rel).group(1))
    rows.append({"file": rel, "sent": sent, **records[0]})
df = pd.DataFrame(rows)
pd.set_option("display.width", 250)
cols = [
    "routing_strategy",
    "request_rate",
    "sent",
    "completed",
    "request_throughput",
    "output_throughput",
    "total_throughput",
    "median_ttft_ms",
    "median_e2e_latency_ms",
    "mean_e2e_latency_ms",
]
print(df.sort_values(["routing_strategy", "request_rate"])[cols].to_string(index=False))
df["failed"] = df["sent"] - df["completed"]
print("\nrequests not completed:")
print(df[df.failed > 0][["file", "sent", "completed", "failed"]].to_string(index=False))
print(
    "\ntotal_throughput = (input + generated tokens) / duration:",
    ((df.total_input_tokens + df.total_generated_tokens) / df.duration - df.total_throughput)
    .abs()
    .max(),
)
print(
    "output_throughput = generated tokens / duration:",
    (df.total_generated_tokens / df.duration - df.output_throughput).abs().max(),
)
piv = df.pivot(index="request_rate", columns="routing_strategy", values="output_throughput")
piv["dlora/static"] = piv["least_loaded"] / piv["static"]
print("\noutput throughput by router:\n", piv.round(3).to_string())
ttft = df.pivot(index="request_rate", columns="routing_strategy", values="median_ttft_ms")
print("\nmedian TTFT (s) by router:\n", (ttft / 1000).round(1).to_string())
req = df.pivot(index="request_rate", columns="routing_strategy", values="request_throughput")
print("\nachieved requests/s against offered:\n", req.round(2).to_string())
for strategy, g in df.groupby("routing_strategy"):
    print(
        strategy, "mean output throughput over the 6 rates:", round(g.output_throughput.mean(), 2)
    )
for path in sorted(glob.glob(os.path.join(root, "*", "maf1", "*", "monitoring_*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        first = json.loads(f.readline())
    print(os.path.relpath(path, root), {k: v["memory_total_mb"] for k, v in first["gpus"].items()})
