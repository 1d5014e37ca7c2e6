"""Figures for engines-derekliu-optimum-benchmark-quant-reports.

Usage: python engines-derekliu-optimum-benchmark-quant-reports.py CORPUS_ROOT
optimum-benchmark (PyTorch / transformers backend) runs of Llama-3.1-8B-Instruct and its
quantized checkpoints, batch 1, 64 prompt tokens, 64 new tokens, 10 iterations after 10 warm-ups.
Each run folder: benchmark_config.json (backend: model, quantization, dtype, device_ids;
environment: the GPUs), benchmark_report.md / .txt (the same report as tables / an indented
list: load_model, prefill, decode, per_token; each with latency statistics in seconds and a
throughput), and for llama_awq benchmark_report.json (the same with every iteration's value).
"""

import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "engines-derekliu-optimum-benchmark-quant-reports")):
    root = os.path.join(root, "engines-derekliu-optimum-benchmark-quant-reports")


def report(run):
    """The Markdown report as {(phase, section, metric): value}."""
    out, phase, section = {}, None, None
    for line in open(os.path.join(root, "runs", run, "benchmark_report.md")):
        if line.startswith("# "):
            phase = line[2:].strip().rstrip(":")
        elif line.startswith("## "):
            section = line[3:].strip().rstrip(":")
        elif (
            line.startswith("|")
            and not line.startswith("| metric")
            and not line.startswith("| -")
            and not line.startswith("| :")
        ):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out[(phase, section, cells[0])] = float(cells[1])
    return out


runs = ["llama_awq", "llama_gptq", "llama8b_fpgemm", "cuda_pytorch_llama"]
rep = {r: report(r) for r in runs}
for r in runs:
    cfg = json.load(open(os.path.join(root, "runs", r, "benchmark_config.json")))
    print(
        r,
        cfg["backend"]["model"],
        cfg["backend"]["quantization_scheme"],
        cfg["environment"]["gpu"][0],
        "x",
        cfg["environment"]["gpu_count"],
    )
print(
    pd.DataFrame(
        {
            r: {
                f"{k[0]}/{k[1]}/{k[2]}": v
                for k, v in rep[r].items()
                if k[2] in ("mean", "throughput")
            }
            for r in runs
        }
    )
)


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out(
    "f1 llama_awq decode throughput tok/s", rep["llama_awq"][("decode", "throughput", "throughput")]
)
out(
    "f2 llama_gptq decode throughput tok/s",
    rep["llama_gptq"][("decode", "throughput", "throughput")],
)
out(
    "f3 llama8b_fpgemm (H100) decode throughput tok/s",
    rep["llama8b_fpgemm"][("decode", "throughput", "throughput")],
)
out(
    "f4 cuda_pytorch_llama (bf16) decode throughput tok/s",
    rep["cuda_pytorch_llama"][("decode", "throughput", "throughput")],
)
out(
    "f5 llama_awq per-token latency mean ms",
    1000 * rep["llama_awq"][("per_token", "latency", "mean")],
)
out(
    "f6 cuda_pytorch_llama prefill latency mean ms",
    1000 * rep["cuda_pytorch_llama"][("prefill", "latency", "mean")],
)
out(
    "f7 llama8b_fpgemm load_model latency ms",
    1000 * rep["llama8b_fpgemm"][("load_model", "latency", "mean")],
)
js = json.load(open(os.path.join(root, "runs", "llama_awq", "benchmark_report.json")))
vals = js["decode"]["latency"]["values"]
out(
    f"f8 llama_awq decode latency mean over {len(vals)} iterations ms", 1000 * sum(vals) / len(vals)
)
out("f9 llama_awq prefill latency mean ms", 1000 * rep["llama_awq"][("prefill", "latency", "mean")])
out(
    "check: 63 tokens / decode mean = throughput (awq)",
    63 / rep["llama_awq"][("decode", "latency", "mean")],
)
out(
    "ratio awq / bf16 decode throughput",
    rep["llama_awq"][("decode", "throughput", "throughput")]
    / rep["cuda_pytorch_llama"][("decode", "throughput", "throughput")],
)
