"""Figures for serving-sariekr-vllm-gptoss-four-gpus-concurrency.

Usage: python serving-sariekr-vllm-gptoss-four-gpus-concurrency.py CORPUS_ROOT
<GPU>/benchmark_concurrency_<C>.json: one concurrency level of sariekr/gpu_conc's load script
against a vLLM server (openai/gpt-oss-20b, 1000 in / 1000 out tokens asked, 180 s phase, 30 s
request timeout); latencies and TTFT are ms (no unit in the names), system_output_throughput
is output tokens/s over all requests, *_output_speed_per_query a request's own rate.
benchmark_summary_*.json: `results` restates the per-level files (+ test_timestamp).
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "serving-sariekr-vllm-gptoss-four-gpus-concurrency"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rows = []
for p in sorted(glob.glob(os.path.join(root, "*", "benchmark_concurrency_*.json"))):
    d = json.load(open(p))
    d["file"] = os.path.relpath(p, root)
    d["folder"] = d["file"].split("/")[0]
    d["gpu"] = d["gpu_info"]["model"]
    rows.append(d)
df = pd.DataFrame(rows)
cols = ["file", "gpu", "concurrency", "total_requests_sent", "successful_requests", "failed_requests",
        "system_output_throughput", "requests_per_second", "median_ttft", "average_ttft",
        "median_end_to_end_latency", "median_output_speed_per_query", "peak_memory_gb"]
print(df[cols].to_string(index=False))
# results/json is byte for byte the H100 folder's files
for c in sorted(df.concurrency.unique()):
    a = open(os.path.join(root, "H100", f"benchmark_concurrency_{c}.json"), "rb").read()
    b = open(os.path.join(root, "results", "json", f"benchmark_concurrency_{c}.json"), "rb").read()
    assert a == b
# the summaries: which machine they state, whether `results` restates the folder's files
for p in sorted(glob.glob(os.path.join(root, "**", "benchmark_summary_*.json"), recursive=True)):
    s = json.load(open(p))
    rel = os.path.relpath(p, root)
    folder = rel.split("/")[0]
    same = None
    if folder != "results":
        same = all(
            {k: v for k, v in r.items() if k not in ("test_timestamp", "test_duration_total")}
            == json.load(open(os.path.join(root, folder, f"benchmark_concurrency_{r['concurrency']}.json")))
            for r in s["results"]
        )
    print(rel, s["test_info"]["gpu_info"]["model"], "restates its folder:", same)

own = df[df.folder != "results"]
V = lambda folder, c, col: float(own[(own.folder == folder) & (own.concurrency == c)][col].iloc[0])
out("f1 H100 c1 system_output_throughput", V("H100", 1, "system_output_throughput"))
out("f2 H200 c1 system_output_throughput", V("H200", 1, "system_output_throughput"))
out("f3 B200 c1 system_output_throughput", V("b200", 1, "system_output_throughput"))
out("f4 MI300X c1 system_output_throughput", V("MI300X", 1, "system_output_throughput"))
out("f5 H100 c512 system_output_throughput (H100's highest)", V("H100", 512, "system_output_throughput"))
out("f6 B200 c512 system_output_throughput", V("b200", 512, "system_output_throughput"))
out("f7 H200 c128 system_output_throughput (H200's highest)", V("H200", 128, "system_output_throughput"))
out("f8 MI300X c128 system_output_throughput (MI300X's highest)", V("MI300X", 128, "system_output_throughput"))
out("f9 H100 c1 median_ttft", V("H100", 1, "median_ttft"))
out("f10 H200 c1 median_ttft", V("H200", 1, "median_ttft"))
out("f11 MI300X c1024 requests_per_second", V("MI300X", 1024, "requests_per_second"))
out("f12 H100 c64 median_end_to_end_latency", V("H100", 64, "median_end_to_end_latency"))
out("f13 B200 c64 average_ttft", V("b200", 64, "average_ttft"))
out("f14 H200 / H100 at c1 throughput", V("H200", 1, "system_output_throughput") / V("H100", 1, "system_output_throughput"))
out("f15 H100 c1024 p99_ttft", V("H100", 1024, "p99_ttft"))
failed = own[own.failed_requests > 0]
print(failed[["file", "successful_requests", "total_requests_sent"]].to_string(index=False))
out("runs with failed requests", len(failed))
# the effective concurrency the client reached: requests x median latency / phase time
own = own.assign(in_flight=own.successful_requests * own.median_end_to_end_latency / 1000 / own.test_duration_seconds)
print(own[["file", "concurrency", "in_flight"]].sort_values(["file"]).to_string(index=False))
