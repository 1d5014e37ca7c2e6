"""Figures for serving-er0080-vllm-bench-serve.

Usage: python serving-er0080-vllm-bench-serve.py CORPUS_ROOT
vllm_sweep_v0.25.1/<SERVE--...-BENCH--...>/run=N.json: `vllm bench sweep serve` results
(vLLM 0.25.1, facebook/opt-125m, 8 prompts x 32 in / 16 out tokens, max_concurrency 2);
summary.json in each folder is exactly the list of its run=N.json payloads.
bench_serve/*.json: `vllm bench serve --save-result` payloads; *.log: failed `vllm serve` launches.
All latency fields are milliseconds; throughputs are per second.
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-er0080-vllm-bench-serve")):
    root = os.path.join(root, "serving-er0080-vllm-bench-serve")

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

runs = []
for p in sorted(glob.glob(os.path.join(root, "vllm_sweep_v0.25.1", "*", "run=*.json"))):
    d = json.load(open(p)); d["file"] = os.path.relpath(p, root); runs.append(d)
df = pd.DataFrame(runs)
cols = ["file", "max_num_seqs", "run_number", "completed", "failed", "duration", "request_throughput", "output_throughput",
        "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "mean_itl_ms", "p99_itl_ms", "mean_e2el_ms", "median_e2el_ms"]
print(df[cols].to_string(index=False))
# summary.json == list of run payloads
for p in sorted(glob.glob(os.path.join(root, "vllm_sweep_v0.25.1", "*", "summary.json"))):
    summ = json.load(open(p)); folder = os.path.dirname(p)
    parts = [json.load(open(q)) for q in sorted(glob.glob(os.path.join(folder, "run=*.json")))]
    out(f"summary equals runs [{os.path.basename(folder)}]", summ == parts)
R = lambda seqs, run, col: float(df[(df.max_num_seqs == seqs) & (df.run_number == run)][col].iloc[0])
out("f1 seqs4 run0 mean_ttft_ms", R(4, 0, "mean_ttft_ms"))
out("f2 seqs4 run0 median_ttft_ms", R(4, 0, "median_ttft_ms"))
out("f3 seqs4 run1 mean_ttft_ms", R(4, 1, "mean_ttft_ms"))
out("f4 seqs8 run0 mean_ttft_ms", R(8, 0, "mean_ttft_ms"))
out("f4b seqs8 run0 median_ttft_ms", R(8, 0, "median_ttft_ms"))
out("f5 seqs8 run1 mean_ttft_ms", R(8, 1, "mean_ttft_ms"))
out("f6 seqs4 run1 output_throughput", R(4, 1, "output_throughput"))
out("f7 seqs8 run1 output_throughput", R(8, 1, "output_throughput"))
out("f8 seqs4 run0 output_throughput", R(4, 0, "output_throughput"))
out("f9 seqs4 run1 request_throughput", R(4, 1, "request_throughput"))
out("f10 seqs8 run1 request_throughput", R(8, 1, "request_throughput"))
out("f11 median over 4 sweep runs of mean_tpot_ms", float(df.mean_tpot_ms.median()))
out("f12 seqs4 run1 p99_itl_ms", R(4, 1, "p99_itl_ms"))
out("f13 seqs8 run1 p99_itl_ms", R(8, 1, "p99_itl_ms"))
out("f14 seqs4 run0 mean_e2el_ms", R(4, 0, "mean_e2el_ms"))
out("f15 seqs4 run1 mean_e2el_ms", R(4, 1, "mean_e2el_ms"))
warm = df[df.run_number == 1].set_index("max_num_seqs")
out("f16 warm output_throughput ratio seqs8/seqs4", float(warm.output_throughput[8] / warm.output_throughput[4]))
# bench_serve payloads
ok = json.load(open(os.path.join(root, "bench_serve", "bench_serve_v0.25.1.json")))
bad = json.load(open(os.path.join(root, "bench_serve", "bench_serve_all_requests_failed_v0.25.1.json")))
out("f17 bench_serve mean_ttft_ms", ok["mean_ttft_ms"]); out("f18 bench_serve median_ttft_ms", ok["median_ttft_ms"])
out("f19 bench_serve output_throughput", ok["output_throughput"]); out("f19b bench_serve mean_tpot_ms", ok["mean_tpot_ms"])
out("f20 failed payload completed", bad["completed"]); out("f20b failed payload failed", bad["failed"])
out("f20c failed payload mean_ttft_ms", bad["mean_ttft_ms"]); out("f20d failed payload duration_s", bad["duration"])
# failed server launches
for p in sorted(glob.glob(os.path.join(root, "bench_serve", "*.log"))):
    t = open(p, encoding="utf-8", errors="replace").read()
    last = [l for l in t.splitlines() if "rror" in l][-1:]
    print(f"log {os.path.basename(p)}: {last[0][-160:] if last else ''}")
