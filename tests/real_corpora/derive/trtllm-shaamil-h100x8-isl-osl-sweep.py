"""Figures for trtllm-shaamil-h100x8-isl-osl-sweep.

Usage: python trtllm-shaamil-h100x8-isl-osl-sweep.py CORPUS_ROOT
results/result_<ISL>_<OSL>_<requests>.txt: the console output of `trtllm-bench throughput`
(TensorRT-LLM 0.16.0) for Llama-3.1-70B-Instruct, FP8 weights and KV cache, TP 8, one run
per input/output length pair (64 pairs; 16384/16384 printed nothing: it failed). The report's
PERFORMANCE OVERVIEW holds the request count, the average lengths, `Token Throughput
(tokens/sec)` (output tokens over the whole run), `Request Throughput (req/sec)` and
`Total Latency (ms)` (the whole run's time, not a request's). throughput_summary.csv (twice,
byte for byte) and results/summary_results.log restate them.
"""

import os
import re
import sys
from pathlib import Path

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "trtllm-shaamil-h100x8-isl-osl-sweep")):
    root = os.path.join(root, "trtllm-shaamil-h100x8-isl-osl-sweep")
root = Path(root)
FIELDS = {
    "Model": "model", "TP Size": "tp", "Quantization": "quant", "KV Cache Dtype": "kv",
    "Number of requests": "requests", "Average Input Length (tokens)": "isl",
    "Average Output Length (tokens)": "osl", "Token Throughput (tokens/sec)": "tok_s",
    "Request Throughput (req/sec)": "req_s", "Total Latency (ms)": "total_ms",
}  # fmt: skip
rows = []
for path in sorted((root / "results").glob("result_*.txt")):
    rec = {"file": path.name}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z][^:]*?):\s+(\S+)\s*$", line.strip())
        if m and m.group(1) in FIELDS:
            rec[FIELDS[m.group(1)]] = m.group(2)
    rows.append(rec)
df = pd.DataFrame(rows)
for c in ("requests", "isl", "osl", "tok_s", "req_s", "total_ms", "tp"):
    df[c] = pd.to_numeric(df.get(c), errors="coerce")
ok = df.dropna(subset=["tok_s"])
print(
    "result files", len(df), "with a report", len(ok), "without:", df[df.tok_s.isna()].file.tolist()
)
print("models", ok.model.unique().tolist(), "tp", ok.tp.unique().tolist(), "quant", ok.quant.unique().tolist(),
      "kv", ok.kv.unique().tolist())  # fmt: skip
# the token rate is output tokens over the whole run: requests * osl / total time
check = (ok.requests * ok.osl / (ok.total_ms / 1000) - ok.tok_s).abs().max()
print("max |requests*osl/total_s - tok_s|", round(float(check), 3))
cell = ok.set_index(["isl", "osl"])


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


out("f1 tok/s ISL 128 OSL 1024", float(cell.loc[(128, 1024), "tok_s"]))
out("f2 tok/s ISL 128 OSL 128", float(cell.loc[(128, 128), "tok_s"]))
out("f3 tok/s ISL 16384 OSL 128", float(cell.loc[(16384, 128), "tok_s"]))
out("f4 tok/s ISL 8192 OSL 8192", float(cell.loc[(8192, 8192), "tok_s"]))
out("f5 req/s ISL 128 OSL 128", float(cell.loc[(128, 128), "req_s"]))
out("f6 req/s ISL 1024 OSL 16384", float(cell.loc[(1024, 16384), "req_s"]))
out("f7 tok/s ISL 4096 OSL 2048", float(cell.loc[(4096, 2048), "tok_s"]))
out("best", ok.loc[ok.tok_s.idxmax(), ["isl", "osl", "tok_s"]].tolist())
out(
    "lowest 'Total Latency' (the README's 'lowest latency')",
    ok.loc[ok.total_ms.idxmin(), ["isl", "osl", "total_ms"]].tolist(),
)
out(
    "OSL 1024: ISL 128 / ISL 16384 tok/s",
    float(cell.loc[(128, 1024), "tok_s"] / cell.loc[(16384, 1024), "tok_s"]),
)
summary = pd.read_csv(root / "throughput_summary.csv")
same = summary.merge(ok, left_on=["ISL", "OSL"], right_on=["isl", "osl"])
print(
    "summary rows",
    len(summary),
    "matching the reports",
    int((same.Token_Throughput == same.tok_s).sum()),
)
eight = (root / "llama-8b-results/analysis/throughput_summary.csv").read_bytes()
print(
    "8B folder's CSV identical to the 70B's:",
    eight == (root / "throughput_summary.csv").read_bytes(),
)
log = pd.read_csv(root / "results/summary_results.log", skiprows=3)
print("summary_results.log rows", len(log), "failed", int((log.Status != "SUCCESS").sum()))
