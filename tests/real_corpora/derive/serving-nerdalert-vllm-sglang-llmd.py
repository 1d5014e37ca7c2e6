"""Figures for serving-nerdalert-vllm-sglang-llmd.

Usage: python serving-nerdalert-vllm-sglang-llmd.py CORPUS_ROOT
graphs/results.json (nerdalert/vllm-benchmark-graphs): JSON lines of vLLM's benchmark_serving
--save-result --append-result, Llama-3.1-8B-Instruct, 6 request rates (1..35, inf), each once with
framework=vllm and once with framework=sgl (the SGLang server; `backend` is the client's API
flavour, "vllm", in both). No GPU named.
automation/results.json (nerdalert/vllm-bench-automation): JSON lines of the same tool with
--metadata: llm-d deployments no-features / base / kvcache of Llama-3.2-3B-Instruct on
4xNVIDIA_L40S, rates 10, 30, inf. automation/README.md: the run script's example console output,
three more base runs (rates 10, 30, inf) as console blocks and as the JSON lines they appended.
"""
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-nerdalert-vllm-sglang-llmd")):
    root = os.path.join(root, "serving-nerdalert-vllm-sglang-llmd")
pd.set_option("display.width", 250)

def lines(path):
    return [json.loads(l) for l in open(os.path.join(root, path), encoding="utf-8") if l.strip()]

g = pd.DataFrame(lines("graphs/results.json"))
a = pd.DataFrame(lines("automation/results.json"))
readme = open(os.path.join(root, "automation/README.md"), encoding="utf-8").read()
r = pd.DataFrame([json.loads(m) for m in re.findall(r"^(\{\"date\".*\})$", readme, re.M)])
cols = ["framework", "request_rate", "num_prompts", "completed", "output_throughput", "mean_ttft_ms", "median_ttft_ms", "mean_tpot_ms", "p99_itl_ms"]
print(g[cols].to_string())
print(a[["deployment", "gpu", "request_rate", "num_prompts", "completed", "output_throughput", "mean_ttft_ms", "mean_tpot_ms"]].to_string())
print(r[["deployment", "gpu", "request_rate", "num_prompts", "completed", "output_throughput", "mean_ttft_ms", "mean_tpot_ms"]].to_string())
print("README JSON lines:", len(r), "dates", r.date.tolist(), "not in results.json:", not set(r.date) & set(a.date))
# the README's console blocks state the same figures as its JSON lines (rounded)
blocks = [float(x) for x in re.findall(r"Output token throughput \(tok/s\):\s+([\d.]+)", readme)]
print("README console output tok/s", blocks)

def G(fw, rate, col):
    sel = g[(g.framework == fw) & (g.request_rate.astype(str) == str(rate))]
    assert len(sel) == 1
    return float(sel[col].iloc[0])

def A(dep, rate, col):
    sel = a[(a.deployment == dep) & (a.request_rate.astype(str) == str(rate))]
    assert len(sel) == 1
    return float(sel[col].iloc[0])

print("f1 vllm rate 35 output_throughput", G("vllm", 35.0, "output_throughput"))
print("f2 sgl rate 35 output_throughput", G("sgl", 35.0, "output_throughput"))
print("f3 vllm rate 30 mean_ttft_ms", G("vllm", 30.0, "mean_ttft_ms"))
print("f4 sgl rate 30 mean_ttft_ms", G("sgl", 30.0, "mean_ttft_ms"))
print("f5 vllm rate inf completed / num_prompts", G("vllm", "inf", "completed"), G("vllm", "inf", "num_prompts"))
print("f6 vllm rate inf mean_ttft_ms", G("vllm", "inf", "mean_ttft_ms"))
print("f7 vllm rate 1 mean_ttft_ms", G("vllm", 1.0, "mean_ttft_ms"))
print("f8 sgl rate 1 median_itl_ms", G("sgl", 1.0, "median_itl_ms"))
print("f9 kvcache inf output_throughput", A("kvcache", "inf", "output_throughput"))
print("f10 base inf output_throughput", A("base", "inf", "output_throughput"))
print("f11 no-features inf output_throughput", A("no-features", "inf", "output_throughput"))
print("f12 no-features inf mean_ttft_ms", A("no-features", "inf", "mean_ttft_ms"))
print("f13 kvcache inf mean_ttft_ms", A("kvcache", "inf", "mean_ttft_ms"))
print("f14 base rate 10 output_throughput", A("base", 10.0, "output_throughput"))
print("f15 README base rate inf output_throughput", float(r[r.request_rate.astype(str) == "inf"].output_throughput.iloc[0]))
print("f16 README base rate inf mean_ttft_ms", float(r[r.request_rate.astype(str) == "inf"].mean_ttft_ms.iloc[0]))
print("f17 README base rate 10 output_throughput", float(r[r.request_rate.astype(str) == "10.0"].output_throughput.iloc[0]))
# requested output_len 500, yet generated tokens per request:
print("generated per request (automation):", (a.total_output_tokens / a.completed).round(1).tolist())
print("generated per request (graphs):", (g.total_output_tokens / g.completed).round(1).tolist(), "input per request", (g.total_input_tokens / g.completed).round(1).unique().tolist())
ratio = g[g.framework == "sgl"].set_index("request_rate").output_throughput / g[g.framework == "vllm"].set_index("request_rate").output_throughput
print("sgl/vllm output throughput ratio per rate", ratio.round(4).to_dict())
