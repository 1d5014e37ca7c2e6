"""Figures for serving-mlperf-amd-mi300x-mi325x-loadgen.

Usage: python serving-mlperf-amd-mi300x-mi325x-loadgen.py CORPUS_ROOT
AMD's closed-division MLPerf Inference v5.1 results as mirrored in jkjung-avt/inference_results_v5.1
(closed/AMD/): results/<system>/<benchmark>/<scenario>/performance/run_1/mlperf_log_summary.txt
(LoadGen's summary: 'Key : value' lines, latencies in ns) for llama2-70b-99, llama2-70b-99.9
and mixtral-8x7b, and systems/<system>.json (accelerators, framework). Three systems: 8 x MI300X
(Supermicro AS-8125GS-TNMR2) and two QuantaGrid D74A-7U with 8 x MI325X ('Machine 1' with vLLM
0.9.0.2, 'Machine 2' with vLLM 0.6.5). The -99 and -99.9 folders of llama2-70b hold
byte-identical summaries (one run submitted for both accuracy targets).
"""
import hashlib
import json
import os
import re
import sys
from collections import defaultdict

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-mlperf-amd-mi300x-mi325x-loadgen")):
    root = os.path.join(root, "serving-mlperf-amd-mi300x-mi325x-loadgen")
pd.set_option("display.width", 250)

rows = []
digests = defaultdict(list)
for dirpath, _, names in os.walk(os.path.join(root, "results")):
    for name in names:
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        parts = rel.split(os.sep)
        text = open(path, encoding="utf-8").read()
        digests[hashlib.sha256(text.encode()).hexdigest()].append(rel)
        kv = {}
        for line in text.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                kv.setdefault(k.strip(), v.strip())
        tok = kv.get("Tokens per second") or kv.get("Completed tokens per second")
        smp = kv.get("Samples per second") or kv.get("Completed samples per second")
        rows.append({
            "system": parts[1], "benchmark": parts[2], "folder_scenario": parts[3],
            "file_scenario": kv["Scenario"], "valid": kv["Result is"], "tok_s": float(tok), "samples_s": float(smp),
            "target_qps": float(kv["target_qps"]),
            "mean_ttft_ms": float(kv["Mean First Token latency (ns)"]) / 1e6 if "Mean First Token latency (ns)" in kv else None,
            "p50_ttft_ms": float(kv["50.00 percentile first token latency (ns)"]) / 1e6 if "50.00 percentile first token latency (ns)" in kv else None,
            "mean_tpot_ms": float(kv["Mean Time to Output Token (ns)"]) / 1e6 if "Mean Time to Output Token (ns)" in kv else None,
            "mean_latency_ms": float(kv["Mean latency (ns)"]) / 1e6,
        })
df = pd.DataFrame(rows).sort_values(["system", "benchmark", "folder_scenario"])
print(df.to_string(index=False))
print("identical groups:", [sorted(v) for v in digests.values() if len(v) > 1])
for name in sorted(os.listdir(os.path.join(root, "systems"))):
    d = json.load(open(os.path.join(root, "systems", name)))
    print(name, d["accelerator_model_name"], d["accelerators_per_node"], "|", d["framework"], "|", d["system_name"], "|", d["hw_notes"])


def one(system, bench, scenario, col):
    sel = df[(df.system == system) & (df.benchmark == bench) & (df.folder_scenario == scenario)]
    assert len(sel) == 1
    return float(sel[col].iloc[0])


X, A, B = "8xMI300X_2xEPYC_9575F", "8xMI325X_2xEPYC_9575F_1", "8xMI325X_2xEPYC_9575F_2"
L = "llama2-70b-99.9"
print("f1 MI300X llama2 Offline tok/s", one(X, L, "Offline", "tok_s"))
print("f2 MI325X_1 llama2 Offline tok/s", one(A, L, "Offline", "tok_s"))
print("f3 MI325X_2 llama2 Offline tok/s", one(B, L, "Offline", "tok_s"))
print("f4 MI300X llama2 Server tok/s", one(X, L, "Server", "tok_s"))
print("f5 MI325X_1 llama2 Server tok/s", one(A, L, "Server", "tok_s"))
print("f6 MI300X llama2 Interactive tok/s", one(X, L, "Interactive", "tok_s"))
print("f7 MI325X_2 llama2 Interactive tok/s", one(B, L, "Interactive", "tok_s"))
print("f8 MI300X llama2 Server mean TTFT ms", one(X, L, "Server", "mean_ttft_ms"))
print("f9 MI325X_2 llama2 Interactive median TTFT ms", one(B, L, "Interactive", "p50_ttft_ms"))
print("f10 MI300X llama2 Interactive mean TPOT ms", one(X, L, "Interactive", "mean_tpot_ms"))
print("f11 MI300X mixtral Offline tok/s", one(X, "mixtral-8x7b", "Offline", "tok_s"))
print("f12 MI325X_1 mixtral Offline tok/s", one(A, "mixtral-8x7b", "Offline", "tok_s"))
print("f13 MI325X_1 mixtral Server samples/s", one(A, "mixtral-8x7b", "Server", "samples_s"))
print("f14 MI325X_1 over MI300X, llama2 Offline", one(A, L, "Offline", "tok_s") / one(X, L, "Offline", "tok_s"))
print("f15 MI325X_2 over MI300X, llama2 Offline", one(B, L, "Offline", "tok_s") / one(X, L, "Offline", "tok_s"))
print("f16 MI325X_1 over MI300X, mixtral Offline", one(A, "mixtral-8x7b", "Offline", "tok_s") / one(X, "mixtral-8x7b", "Offline", "tok_s"))
