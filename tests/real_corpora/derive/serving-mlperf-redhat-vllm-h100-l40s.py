"""Figures for serving-mlperf-redhat-vllm-h100-l40s.

Usage: python serving-mlperf-redhat-vllm-h100-l40s.py CORPUS_ROOT
RedHat's closed-division MLPerf Inference v5.1 submission (closed/RedHat of
jkjung-avt/inference_results_v5.1, a mirror of mlcommons/inference_results_v5.1): llama3.1-8b
served by vLLM 0.10.0 on two systems, Offline and Server, each with its performance run
(performance/run_1: mlperf_log_summary.txt, mlperf_log_detail.txt restating it) and its
accuracy run (accuracy/: accuracy.txt with ROUGE, an empty summary, the detail log, the
accuracy log). The system folders say XE8640_4xH100 and gx3-48x240x2l40s (2 x L40S); the
systems JSONs say each run used one accelerator (accelerators_per_node 1). README.md restates
the results table (HTML; the summary.html beside it is left out of the corpus).
"""
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-mlperf-redhat-vllm-h100-l40s")):
    root = os.path.join(root, "serving-mlperf-redhat-vllm-h100-l40s")
pd.set_option("display.width", 250)
rows = []
for system in sorted(os.listdir(os.path.join(root, "results"))):
    for scenario in ("Offline", "Server"):
        path = os.path.join(root, "results", system, "llama3.1-8b", scenario, "performance", "run_1", "mlperf_log_summary.txt")
        kv = {}
        for line in open(path, encoding="utf-8"):
            if ":" in line:
                k, v = line.split(":", 1)
                kv.setdefault(k.strip(), v.strip())
        rows.append({
            "system": system, "scenario": scenario, "valid": kv["Result is"],
            "tok_s": float(kv.get("Tokens per second") or kv["Completed tokens per second"]),
            "samples_s": float(kv.get("Samples per second") or kv["Completed samples per second"]),
            "target_qps": float(kv["target_qps"]),
            "mean_ttft_ms": float(kv["Mean First Token latency (ns)"]) / 1e6 if "Mean First Token latency (ns)" in kv else None,
            "p50_ttft_ms": float(kv["50.00 percentile first token latency (ns)"]) / 1e6 if "50.00 percentile first token latency (ns)" in kv else None,
            "mean_tpot_ms": float(kv["Mean Time to Output Token (ns)"]) / 1e6 if "Mean Time to Output Token (ns)" in kv else None,
        })
df = pd.DataFrame(rows)
print(df.to_string(index=False))
for name in sorted(os.listdir(os.path.join(root, "systems"))):
    d = json.load(open(os.path.join(root, "systems", name)))
    print(name, "|", d["system_name"], "|", d["accelerators_per_node"], d["accelerator_model_name"], "|", d["framework"])
for system in sorted(os.listdir(os.path.join(root, "results"))):
    readme = open(os.path.join(root, "results", system, "README.md"), encoding="utf-8").read()
    print(system, "README perf cells:", re.findall(r'<td class="perf">([\d.]+)</td>', readme))


def one(system, scenario, col):
    sel = df[(df.system == system) & (df.scenario == scenario)]
    assert len(sel) == 1
    return float(sel[col].iloc[0])


H, L = "XE8640_4xH100_vLLM", "IBM_Cloud_gx3-48x240x2l40s_vLLM"
print("f1 H100 Offline tok/s", one(H, "Offline", "tok_s"))
print("f2 H100 Server tok/s", one(H, "Server", "tok_s"))
print("f3 L40S Offline tok/s", one(L, "Offline", "tok_s"))
print("f4 L40S Server tok/s", one(L, "Server", "tok_s"))
print("f5 H100 Server mean TTFT ms", one(H, "Server", "mean_ttft_ms"))
print("f6 L40S Server median TTFT ms", one(L, "Server", "p50_ttft_ms"))
print("f7 H100 Server mean TPOT ms", one(H, "Server", "mean_tpot_ms"))
print("f8 L40S Server mean TPOT ms", one(L, "Server", "mean_tpot_ms"))
print("f9 H100 Offline samples/s", one(H, "Offline", "samples_s"))
print("f10 H100 over L40S Offline", one(H, "Offline", "tok_s") / one(L, "Offline", "tok_s"))
