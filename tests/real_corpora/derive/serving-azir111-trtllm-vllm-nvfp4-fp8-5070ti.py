"""Figures for serving-azir111-trtllm-vllm-nvfp4-fp8-5070ti.

Usage: python serving-azir111-trtllm-vllm-nvfp4-fp8-5070ti.py CORPUS_ROOT
results/results_<tag>.json: scripts/bench.py's sweep of one endpoint (TensorRT-LLM 1.3.0rc15
or vLLM 0.13.0 serving nvidia/Llama-3.1-8B-Instruct-NVFP4 or -FP8 on one RTX 5070 Ti 16 GB,
README's hardware table), one row per concurrency level: `rounds` rounds of `concurrency`
requests of 256 output tokens (n_req = rounds x concurrency), the level's qps, out_tok_s
(output tokens a second of the load), TTFT p50/p95, mean TPOT and ITL p95. Each row is one
measurement of one level. The tag names engine, precision and variant: `_v2` the 10-round
re-run of the 3-round sweep (levels 1-32) extended to 48 and 64; `_mnt16k` max_num_tokens
16384, `_pad` the CUDA-graph padding fix (configs/pad.yaml), `_fill` and `_hi2` default
re-runs at 40/56 and 48/64. vLLM's rows name the served alias `m`, not the checkpoint.
results/summary.csv (scripts/summarize.py) restates the rows of the 8 tags trtllm_fp8,
trtllm_fp8_v2, trtllm_nvfp4, trtllm_nvfp4_v2, vllm_fp8, vllm_fp8_v2, vllm_nvfp4 and
vllm_nvfp4_v2, without ttft_p95_ms and n_req.
"""

import json
import os
import sys
from pathlib import Path

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-azir111-trtllm-vllm-nvfp4-fp8-5070ti")):
    root = os.path.join(root, "serving-azir111-trtllm-vllm-nvfp4-fp8-5070ti")
root = Path(root)

rows = []
for path in sorted((root / "results").glob("results_*.json")):
    doc = json.loads(path.read_text())
    for r in doc["rows"]:
        rows.append({"file": path.name, "tag": doc["tag"], "model": doc["model"],
                     "rounds": doc["rounds"], **r})  # fmt: skip
df = pd.DataFrame(rows)
print("rows per file:", df.groupby("file").size().to_dict())
print("n_req == rounds x concurrency:", (df.n_req == df.rounds * df.concurrency).all())


def at(tag: str, c: int, col: str) -> float:
    return float(df[(df.tag == tag) & (df.concurrency == c)][col].iloc[0])


fig = {
    "f1": at("trtllm_nvfp4_v2", 32, "out_tok_s"),
    "f2": at("trtllm_fp8_v2", 32, "out_tok_s"),
    "f3": at("vllm_nvfp4_v2", 64, "out_tok_s"),
    "f4": at("vllm_fp8_v2", 64, "out_tok_s"),
    "f5": at("vllm_nvfp4_v2", 1, "ttft_p50_ms"),
    "f6": at("trtllm_nvfp4_v2", 1, "ttft_p50_ms"),
    "f7": at("trtllm_nvfp4_pad", 48, "out_tok_s"),
    "f8": at("trtllm_nvfp4_hi2", 48, "out_tok_s"),
    "f9": at("trtllm_nvfp4_v2", 48, "out_tok_s"),
    "f10": at("trtllm_nvfp4_fill", 40, "out_tok_s"),
    "f11": at("trtllm_nvfp4_pad", 40, "out_tok_s"),
    "f12": at("vllm_fp8_v2", 64, "qps"),
    "f13": at("trtllm_nvfp4_hi2", 64, "out_tok_s"),
    "f14": at("trtllm_nvfp4_v2", 64, "out_tok_s"),
}
for k, v in fig.items():
    print(k, v)
print("f1/f2 NVFP4 over FP8 at c32 (TRT-LLM):", round(fig["f1"] / fig["f2"], 3))
print("f3/f4 NVFP4 over FP8 at c64 (vLLM):", round(fig["f3"] / fig["f4"], 3))
print("f7/f8 padding over default at c48:", round(fig["f7"] / fig["f8"], 3))

summary = pd.read_csv(root / "results" / "summary.csv")
merged = summary.merge(df, on=["tag", "concurrency"], suffixes=("_s", ""))
same = all(
    (merged[f"{c}_s"] == merged[c]).all()
    for c in ("qps", "out_tok_s", "ttft_p50_ms", "tpot_mean_ms", "itl_p95_ms")
)
print("summary rows:", len(summary), "matched:", len(merged), "every figure equal:", same)
print("summary tags:", sorted(summary.tag.unique()))
# Two sweeps alike but for their TTFT: v2 against the first at c4, v2 against mnt16k at c64
for a, b, c in (("trtllm_nvfp4", "trtllm_nvfp4_v2", 4), ("trtllm_nvfp4_v2", "trtllm_nvfp4_mnt16k", 64)):
    ra = df[(df.tag == a) & (df.concurrency == c)].iloc[0]
    rb = df[(df.tag == b) & (df.concurrency == c)].iloc[0]
    print(a, b, c, [(k, ra[k], rb[k]) for k in ("qps", "out_tok_s", "ttft_p50_ms", "ttft_p95_ms", "tpot_mean_ms")])
