"""Figures for serving-ray-llmperf-leaderboard.

Usage: python serving-ray-llmperf-leaderboard.py CORPUS_ROOT
ray-project/llmperf-leaderboard's raw_data/: the direct output of LLMPerf's token_benchmark_ray.py
against eight hosted Llama-2 chat endpoints (Dec 2023): per provider and model size,
individual/<provider>_<size>.json (one record per request, 150 requests, concurrency 5,
550 input / 150 output tokens asked) and summary/<provider>_<size>.json (LLMPerf's summary of
the same run). Times are seconds; a request with a non-null error_code failed and LLMPerf's
summary leaves it out (as here).
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-ray-llmperf-leaderboard")):
    root = os.path.join(root, "serving-ray-llmperf-leaderboard")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


req = {}
for p in sorted(glob.glob(os.path.join(root, "individual", "*.json"))):
    key = os.path.basename(p)[:-5]
    req[key] = pd.DataFrame(json.load(open(p)))
summ = {os.path.basename(p)[:-5]: json.load(open(p))
        for p in sorted(glob.glob(os.path.join(root, "summary", "*.json")))}

rows = []
for key, df in req.items():
    ok = df[df.error_code.isna()]
    s = summ[key]
    rows.append({
        "file": key, "requests": len(df), "errors": int(df.error_code.notna().sum()),
        "codes": sorted(df.error_code.dropna().unique().tolist()),
        "completed": len(ok), "s_completed": s["results_num_completed_requests"],
        "ttft_mean_ms": ok.ttft_s.mean() * 1000, "s_ttft_mean_ms": s["results_ttft_s_mean"] * 1000,
        "ttft_median_ms": ok.ttft_s.median() * 1000, "itl_mean_ms": ok.inter_token_latency_s.mean() * 1000,
        "e2e_mean_ms": ok.end_to_end_latency_s.mean() * 1000, "out_tok_mean": ok.number_output_tokens.mean(),
        "req_rate_mean": ok.request_output_throughput_token_per_s.mean(),
        "s_req_rate_mean": s["results_request_output_throughput_token_per_s_mean"],
        "s_output_throughput": s["results_mean_output_throughput_token_per_s"],
        "model": s["model"], "framework": s.get("framework"), "concurrency": s["num_concurrent_requests"],
        "asked_out": s["mean_output_tokens"], "few_tokens": int((ok.number_output_tokens < 8).sum()),
    })
t = pd.DataFrame(rows).set_index("file")
pd.set_option("display.width", 250)
print(t.drop(columns=["model"]).round(2).to_string())
print("summary excludes error rows (ttft mean equal):",
      bool(((t.ttft_mean_ms - t.s_ttft_mean_ms).abs() < 1e-6).all()),
      "completed equal:", bool((t.completed == t.s_completed).all()))

R = lambda key, col: float(t.loc[key, col])
out("f1 anyscale_70b mean TTFT ms", R("anyscale_70b", "ttft_mean_ms"))
out("f2 anyscale_70b median TTFT ms", R("anyscale_70b", "ttft_median_ms"))
out("f3 lepton_13b mean TTFT ms over completed", R("lepton_13b", "ttft_mean_ms"))
out("f3n lepton_13b completed", int(t.loc["lepton_13b", "completed"]))
out("f4 groq_70b mean TTFT ms", R("groq_70b", "ttft_mean_ms"))
out("f5 groq_70b output throughput", R("groq_70b", "s_output_throughput"))
out("f6 anyscale_70b output throughput", R("anyscale_70b", "s_output_throughput"))
out("f7 together_7b output throughput", R("together_7b", "s_output_throughput"))
out("f8 replicate_70b mean TTFT ms", R("replicate_70b", "ttft_mean_ms"))
out("f8n replicate_70b requests", int(t.loc["replicate_70b", "requests"]))
out("f9 replicate_70b p99 TTFT ms (summary)", summ["replicate_70b"]["results_ttft_s_quantiles_p99"] * 1000)
out("f10 groq_70b mean ITL ms", R("groq_70b", "itl_mean_ms"))
out("f11 fireworks_13b mean e2e ms", R("fireworks_13b", "e2e_mean_ms"))
out("f12 bedrock_13b mean output tokens (completed)", R("bedrock_13b", "out_tok_mean"))
out("f13 perplexity_70b mean TTFT ms (148 completed)", R("perplexity_70b", "ttft_mean_ms"))
out("f14 replicate_13b median TTFT ms", R("replicate_13b", "ttft_median_ms"))
out("f15 groq/anyscale 70b output throughput", R("groq_70b", "s_output_throughput") / R("anyscale_70b", "s_output_throughput"))
ok = req["fireworks_7b"][req["fireworks_7b"].error_code.isna()]
out("f16 fireworks_7b median ITL ms", float(ok.inter_token_latency_s.median() * 1000))
ok = req["together_13b"][req["together_13b"].error_code.isna()]
out("f17 together_13b max TTFT ms", float(ok.ttft_s.max() * 1000))
out("f18 anyscale_13b mean per-request output rate", R("anyscale_13b", "req_rate_mean"))
out("f19 bedrock_70b mean TTFT ms (101 completed)", R("bedrock_70b", "ttft_mean_ms"))
out("f20 anyscale_70b mean per-request output rate", R("anyscale_70b", "req_rate_mean"))
out("f21 lepton_13b output throughput (20 requests)", R("lepton_13b", "s_output_throughput"))
# the requests the duplicate check once paired: different providers' runs, not copies
a = req["anyscale_13b"].loc[69, ["ttft_s", "inter_token_latency_s", "end_to_end_latency_s"]].tolist()
b = req["anyscale_70b"].loc[86, ["ttft_s", "inter_token_latency_s", "end_to_end_latency_s"]].tolist()
print("anyscale_13b[69] vs anyscale_70b[86]:", a, b)
