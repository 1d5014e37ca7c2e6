"""Figures for serving-simonmo-r1-vllm-sglang-trtllm-h200.

Usage: python serving-simonmo-r1-vllm-sglang-trtllm-h200.py CORPUS_ROOT
Every JSON is vLLM's benchmarks/benchmark_serving.py --save-result (vLLM 0.8.4 era) at
request rate 10, DeepSeek-R1 on 8x H200. `backend` is "vllm" in every file (the client's API):
the engine is the file name's prefix (vllm / sgl / trt), the workload its middle
(<input>-<output> tokens, or sharegpt), "-ep" vLLM's --enable-expert-parallel. h200/ is the
README's "DGX H200 (CPU Xeon 8480C)", nebius-h200/ its "Nebius H200 (CPU Xeon 8468)".
Latencies in ms; output_throughput is output tokens/s, total_token_throughput prompt + output.
"""
import glob
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "serving-simonmo-r1-vllm-sglang-trtllm-h200"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rows = []
for p in sorted(glob.glob(os.path.join(root, "*", "*", "*", "*.json"))):
    d = json.load(open(p))
    rel = os.path.relpath(p, root)
    m = re.match(r"(vllm|sgl|trt)-(\d+-\d+|sharegpt)-?(ep)?\.json$", os.path.basename(p))
    r = {k: v for k, v in d.items() if not isinstance(v, list)}
    r.update(file=rel, machine=rel.split("/")[0], engine=m[1], workload=m[2], ep=m[3] == "ep")
    if "errors" in d:
        r["request_errors"] = sum(1 for e in d["errors"] if e)
    rows.append(r)
df = pd.DataFrame(rows)
print(df[["file", "backend", "engine", "workload", "ep", "completed", "num_prompts", "output_throughput",
          "total_token_throughput", "mean_ttft_ms", "median_tpot_ms", "request_errors"]].to_string(index=False))


def V(machine, engine, workload, col, ep=False):
    sel = df[(df.machine == machine) & (df.engine == engine) & (df.workload == workload) & (df.ep == ep)]
    assert len(sel) == 1, (machine, engine, workload, ep)
    return float(sel[col].iloc[0])


out("f1 DGX vllm 1000-2000 output_throughput", V("h200", "vllm", "1000-2000", "output_throughput"))
out("f2 DGX sgl 1000-2000 output_throughput", V("h200", "sgl", "1000-2000", "output_throughput"))
out("f3 DGX trt 1000-2000 output_throughput", V("h200", "trt", "1000-2000", "output_throughput"))
out("f4 DGX vllm-ep 1000-2000 output_throughput", V("h200", "vllm", "1000-2000", "output_throughput", True))
out("f5 DGX vllm sharegpt output_throughput", V("h200", "vllm", "sharegpt", "output_throughput"))
out("f6 DGX trt sharegpt output_throughput", V("h200", "trt", "sharegpt", "output_throughput"))
out("f7 Nebius vllm 1000-2000 output_throughput", V("nebius-h200", "vllm", "1000-2000", "output_throughput"))
out("f8 Nebius sgl sharegpt output_throughput", V("nebius-h200", "sgl", "sharegpt", "output_throughput"))
out("f9 DGX vllm 30000-100 output_throughput", V("h200", "vllm", "30000-100", "output_throughput"))
out("f10 DGX vllm 30000-100 total_token_throughput", V("h200", "vllm", "30000-100", "total_token_throughput"))
out("f11 DGX vllm sharegpt mean_ttft_ms", V("h200", "vllm", "sharegpt", "mean_ttft_ms"))
out("f12 DGX sgl sharegpt mean_ttft_ms", V("h200", "sgl", "sharegpt", "mean_ttft_ms"))
out("f13 DGX trt 1000-2000 median_tpot_ms", V("h200", "trt", "1000-2000", "median_tpot_ms"))
out("f14 Nebius vllm 30000-100 p99_ttft_ms", V("nebius-h200", "vllm", "30000-100", "p99_ttft_ms"))
out("f15 DGX trt / vllm 1000-2000 output_throughput",
    V("h200", "trt", "1000-2000", "output_throughput") / V("h200", "vllm", "1000-2000", "output_throughput"))
out("request errors in all files", int(df.request_errors.fillna(0).sum()))
