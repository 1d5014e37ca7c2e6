"""Figures for engines-h2ogpt-transformers-tgi-bits-gpus.

Usage: python engines-h2ogpt-transformers-tgi-bits-gpus.py CORPUS_ROOT
h2oai/h2ogpt's benchmarks/: perf.json (one JSON record a line) and llm_gpu_benchmarks.json
(the same records as a JSON array?) of h2oGPT's summarize-and-generate benchmark: backend
(transformers, text-generation-inference), base_model (Llama-2 7B/13B/70B chat), bits
(16/8/4), n_gpus, hostname, the `gpus` string ("1 x NVIDIA GeForce RTX 4090 (24564 MiB)"),
summarize_time and generate_time in seconds, and output lengths in BYTES. perf.md tabulates
them per backend, model and GPU count: 'generation speed [tokens/sec]' is bytes / 4 / time
(an estimate of tokens), 'summarization time [sec]' the summarize_time. The two HTML files
are plots.
"""

import json
import os
import sys
from pathlib import Path

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
corpus = "engines-h2ogpt-transformers-tgi-bits-gpus"
if os.path.isdir(os.path.join(root, corpus)):
    root = os.path.join(root, corpus)
root = Path(root) / "benchmarks"
lines = [json.loads(x) for x in (root / "perf.json").read_text().splitlines() if x.strip()]
perf = pd.DataFrame(lines)
arr = pd.DataFrame(json.loads((root / "llm_gpu_benchmarks.json").read_text()))
print("perf.json records", len(perf), "llm_gpu_benchmarks.json records", len(arr))
key = ["backend", "base_model", "bits", "n_gpus", "gpus", "date"]
both = perf.merge(arr, on=key, suffixes=("", "_a"))
print("records in both (same key)", len(both),
      "generate_time equal", int((both.generate_time == both.generate_time_a).sum()))  # fmt: skip
print("exceptions", int(perf.get("exception", pd.Series(dtype=object)).notna().sum()))
ok = perf.dropna(subset=["generate_time"]).copy()
ok["tok_s"] = ok.generate_output_len_bytes / 4 / ok.generate_time
ok["model"] = ok.base_model.str.replace("h2oai/h2ogpt-4096-llama2-", "", regex=False)
pd.set_option("display.width", 220)
print(ok[["backend", "model", "bits", "gpus", "hostname", "summarize_time", "tok_s"]]
      .sort_values(["backend", "model", "gpus", "bits"]).to_string())  # fmt: skip


def cell(backend, model, gpus, bits, col="tok_s"):
    sel = ok[(ok.backend == backend) & (ok.model == model) & ok.gpus.str.startswith(gpus)]
    if bits is not None:
        sel = sel[sel.bits == bits]
    assert len(sel) == 1, (backend, model, gpus, bits, len(sel))
    return float(sel[col].iloc[0])


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


T = "transformers"
out("f1 7b 16-bit 1 x RTX 4090 tok/s", cell(T, "7b-chat", "1 x NVIDIA GeForce RTX 4090", 16))
out("f2 7b 8-bit 1 x RTX 4090 tok/s", cell(T, "7b-chat", "1 x NVIDIA GeForce RTX 4090", 8))
out("f3 7b 4-bit 1 x RTX 4090 tok/s", cell(T, "7b-chat", "1 x NVIDIA GeForce RTX 4090", 4))
out("f4 7b 16-bit 1 x RTX 3090 tok/s", cell(T, "7b-chat", "1 x NVIDIA GeForce RTX 3090", 16))
out("f5 13b 4-bit 1 x RTX 4090 tok/s", cell(T, "13b-chat", "1 x NVIDIA GeForce RTX 4090", 4))
out("f6 70b 4-bit 2 x RTX A6000 tok/s", cell(T, "70b-chat", "2 x NVIDIA RTX A6000", 4))
out(
    "f7 7b 16-bit 1 x RTX 4090 summarize s",
    cell(T, "7b-chat", "1 x NVIDIA GeForce RTX 4090", 16, "summarize_time"),
)
tgi = ok[ok.backend == "text-generation-inference"]
print(tgi[["model", "bits", "gpus", "tok_s"]].to_string())
out(
    "f8 TGI 7b 1 x RTX 4090 tok/s",
    float(
        tgi[
            (tgi.model == "7b-chat") & tgi.gpus.str.startswith("1 x NVIDIA GeForce RTX 4090")
        ].tok_s.iloc[0]
    ),
)
