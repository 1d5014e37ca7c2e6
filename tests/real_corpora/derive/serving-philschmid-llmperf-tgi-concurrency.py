"""Figures for serving-philschmid-llmperf-tgi-concurrency.

Usage: python serving-philschmid-llmperf-tgi-concurrency.py CORPUS_ROOT
philschmid/llmperf-bench: LLMPerf (philschmid's fork) against Hugging Face TGI 2.0.1 on one
24 GB GPU (configs/*_tp_1.yaml: num_gpus 1, memory_per_gpu 24), 750 input / 150 output tokens
asked, 100 requests (at least one round per concurrent slot), concurrency 1 to 128.
results/2.0.1/<org>_<model>_tp_1_results.json: LLMPerf's summary per concurrency, keyed "1",
"2", ... (times in seconds); <...>_summary.json: three figures of it per concurrency, restated
(TTFT mean in ms, output throughput, inter-token latency in ms).
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-philschmid-llmperf-tgi-concurrency")):
    root = os.path.join(root, "serving-philschmid-llmperf-tgi-concurrency")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rows = []
for p in sorted(glob.glob(os.path.join(root, "results", "2.0.1", "*_results.json"))):
    d = json.load(open(p))
    s = json.load(open(p.replace("_results.json", "_summary.json")))
    for key, r in d.items():
        t = s[key]
        rows.append({
            "model": r["model"], "c": r["num_concurrent_requests"], "done": r["results_num_completed_requests"],
            "errors": r["results_number_errors"], "tps": r["results_mean_output_throughput_token_per_s"],
            "ttft_ms": r["results_ttft_s_mean"] * 1000, "ttft_p50_ms": r["results_ttft_s_quantiles_p50"] * 1000,
            "ttft_p99_ms": r["results_ttft_s_quantiles_p99"] * 1000, "itl_ms": r["results_inter_token_latency_s_mean"] * 1000,
            "e2e_ms": r["results_end_to_end_latency_s_mean"] * 1000, "out_tok": r["results_number_output_tokens_mean"],
            "req_rate": r["results_request_output_throughput_token_per_s_mean"],
            "same_ttft": abs(t["first-time-to-token_mean_in_ms"] - r["results_ttft_s_mean"] * 1000) < 1e-6,
            "same_tps": t["throughput_token_per_s"] == r["results_mean_output_throughput_token_per_s"],
            "same_itl": abs(t["latency_ms_per_token"] - r["results_inter_token_latency_s_mean"] * 1000) < 1e-6,
        })
t = pd.DataFrame(rows)
pd.set_option("display.width", 250)
print(t.round(2).to_string(index=False))
print("summary restates results:", bool(t[["same_ttft", "same_tps", "same_itl"]].all().all()))
L, M = "meta-llama/Meta-Llama-3-8B-Instruct", "mistralai/Mistral-7B-Instruct-v0.2"
R = lambda m, c, col: float(t[(t.model == m) & (t.c == c)][col].iloc[0])
out("f1 Llama c1 output throughput", R(L, 1, "tps"))
out("f2 Llama c128 output throughput", R(L, 128, "tps"))
out("f3 Llama c32 output throughput", R(L, 32, "tps"))
out("f4 Mistral c128 output throughput", R(M, 128, "tps"))
out("f5 Llama c1 mean TTFT ms", R(L, 1, "ttft_ms"))
out("f6 Llama c128 mean TTFT ms", R(L, 128, "ttft_ms"))
out("f7 Llama c1 mean ITL ms", R(L, 1, "itl_ms"))
out("f8 Mistral c1 mean TTFT ms", R(M, 1, "ttft_ms"))
out("f9 Llama c64 p99 TTFT ms", R(L, 64, "ttft_p99_ms"))
out("f10 Llama c128 mean per-request output rate", R(L, 128, "req_rate"))
out("f11 Llama throughput c128 / c1", R(L, 128, "tps") / R(L, 1, "tps"))
out("f12 Llama c1 mean output tokens", R(L, 1, "out_tok"))
out("f13 Mistral c8 mean e2e latency ms", R(M, 8, "e2e_ms"))
out("f14 Llama c16 median TTFT ms", R(L, 16, "ttft_p50_ms"))
out("f15 Llama throughput c128 / c32", R(L, 128, "tps") / R(L, 32, "tps"))
out("f16 Llama TTFT c128 / c32", R(L, 128, "ttft_ms") / R(L, 32, "ttft_ms"))
