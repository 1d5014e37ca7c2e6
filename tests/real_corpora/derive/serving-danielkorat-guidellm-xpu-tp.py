"""Figures for serving-danielkorat-guidellm-xpu-tp.

Usage: python serving-danielkorat-guidellm-xpu-tp.py CORPUS_ROOT
danielkorat/guidellm-bench's guidellm_results/20260302_1917/: GuideLLM 0.5 (synchronous profile,
30 AIME 2024 prompts, max_tokens 1024 with ignore_eos, 900 s limit, 10 % warm-up and cool-down)
against vLLM on Intel XPUs (IPEX), one <model>_tp<N>_quant-<q>_benchmarks.json per deployment.
Per request: time_to_first_token_ms, inter_token_latency_ms, request_latency (seconds),
output_tokens_per_second (output tokens over the request's latency), tokens_per_second (prompt +
output tokens over it). metrics.*.successful are GuideLLM's statistics over the requests of the
measured window (warm-up and cool-down left out).
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-danielkorat-guidellm-xpu-tp")):
    root = os.path.join(root, "serving-danielkorat-guidellm-xpu-tp")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rows, req = [], {}
for p in sorted(glob.glob(os.path.join(root, "*_benchmarks.json"))):
    key = os.path.basename(p).removesuffix("_benchmarks.json")
    d = json.load(open(p))
    b = d["benchmarks"][0]
    ok = pd.DataFrame(b["requests"]["successful"])
    req[key] = ok
    m = b["metrics"]
    rows.append({
        "file": key, "model": d["args"]["model"], "profile": d["args"]["profile"],
        "ok": len(ok), "incomplete": len(b["requests"]["incomplete"]), "errored": len(b["requests"]["errored"]),
        "out_tok": ok.output_tokens.mean(), "rate_mean": ok.output_tokens_per_second.mean(),
        "rate_median": ok.output_tokens_per_second.median(), "total_rate_mean": ok.tokens_per_second.mean(),
        "ttft_mean": ok.time_to_first_token_ms.mean(), "ttft_median": ok.time_to_first_token_ms.median(),
        "itl_mean": ok.inter_token_latency_ms.mean(), "lat_mean_s": ok.request_latency.mean(),
        "g_ttft_mean": m["time_to_first_token_ms"]["successful"]["mean"],
        "g_ttft_count": m["time_to_first_token_ms"]["successful"]["count"],
        "g_out_tps_mean": m["output_tokens_per_second"]["successful"]["mean"],
        "g_rps_mean": m["requests_per_second"]["successful"]["mean"],
        "duration": b["duration"], "max_seconds": d["args"]["max_seconds"],
    })
t = pd.DataFrame(rows).set_index("file")
pd.set_option("display.width", 250)
print(t.drop(columns=["model"]).round(3).to_string())
R = lambda key, col: float(t.loc[key, col])
q4 = "Qwen_Qwen3-4B-Thinking-2507_tp{}_quant-fp8"
out("f1 Qwen3-4B tp2 mean output rate", R(q4.format(2), "rate_mean"))
out("f2 Qwen3-4B tp4 mean output rate", R(q4.format(4), "rate_mean"))
out("f3 tp2/tp4 output rate", R(q4.format(2), "rate_mean") / R(q4.format(4), "rate_mean"))
out("f4 Qwen3-4B tp2 mean TTFT ms", R(q4.format(2), "ttft_mean"))
out("f5 Qwen3-4B tp4 mean TTFT ms", R(q4.format(4), "ttft_mean"))
out("f6 Qwen3-4B tp2 median TTFT ms", R(q4.format(2), "ttft_median"))
out("f7 Qwen3-4B tp2 mean ITL ms", R(q4.format(2), "itl_mean"))
out("f8 Qwen3-4B tp4 mean ITL ms", R(q4.format(4), "itl_mean"))
out("f9 Qwen3-4B tp2 mean request latency ms", R(q4.format(2), "lat_mean_s") * 1000)
q30, oss = "Qwen_Qwen3-30B-A3B_tp4_quant-fp8", "openai_gpt-oss-20b_tp4_quant-none"
out("f10 Qwen3-30B-A3B tp4 mean output rate (23 completed)", R(q30, "rate_mean"))
out("f11 Qwen3-30B-A3B tp4 mean TTFT ms", R(q30, "ttft_mean"))
out("f12 Qwen3-30B-A3B tp4 mean request latency ms", R(q30, "lat_mean_s") * 1000)
out("f13 gpt-oss-20b tp4 mean output rate", R(oss, "rate_mean"))
out("f14 gpt-oss-20b tp4 mean ITL ms", R(oss, "itl_mean"))
out("f15 gpt-oss-20b tp4 median TTFT ms", float(req[oss].time_to_first_token_ms.median()))
out("f16 Qwen3-4B tp2 mean total-token rate (prompt+output; not the generation rate)", R(q4.format(2), "total_rate_mean"))
out("f17 Qwen3-4B tp2 GuideLLM TTFT mean over its measured window", R(q4.format(2), "g_ttft_mean"))
out("f17n window count", int(t.loc[q4.format(2), "g_ttft_count"]))
out("f18 output tokens per request", R(q4.format(2), "out_tok"))
out("f19 Qwen3-4B tp4 max TTFT ms", float(req[q4.format(4)].time_to_first_token_ms.max()))
# the first request of each run (before warm-up ends) is the slowest TTFT?
for key, ok in req.items():
    first = ok.sort_values("request_start_time").time_to_first_token_ms.iloc[0]
    print(key, "first request TTFT", round(first, 1), "max", round(ok.time_to_first_token_ms.max(), 1),
          "median", round(ok.time_to_first_token_ms.median(), 1))
