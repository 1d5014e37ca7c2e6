"""Figures for serving-mattbucci-sglang-3090-r9700-frozen-rate-sweeps.

Usage: python serving-mattbucci-sglang-3090-r9700-frozen-rate-sweeps.py CORPUS_ROOT
mattbucci's SGLang rigs (2x RTX 3090 TP=2, 2x Radeon R9700 TP=2): each results JSON is one
model's `context_sweep` (single-stream sglang.bench_serving, 100 output tokens) with
`throughput` (the "Output token throughput" line the script parsed), `ttft_ms`, `tpot_ms` and
`tok_per_sec` (1000 / TPOT, rounded). In many sweeps `throughput` is 4.81 at every context
while TPOT changes 1.9x: the script's regex kept another line, so that column is no
measurement there; `tok_per_sec` is the decode rate. The R9700 file is decode-only (streaming
TPOT): its `ttft_ms` of 0 is no measurement either. The SWE-bench summary's `error` is a count
of errored instances (1 of 300, 265 completed), not a failed run.
"""
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "serving-mattbucci-sglang-3090-r9700-frozen-rate-sweeps"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)


def sweep(path: str, key: str = "context_sweep") -> pd.DataFrame:
    return pd.DataFrame(json.load(open(os.path.join(root, path)))[key])


coder = sweep("3090/coder-30b-awq/results.json")
ream = sweep("3090/qwen3-30b-ream/long-context-262k.json")
gemma = sweep("3090/sprint-2026-06-kv-decode/A3-gemma4-31b/probe-ratio-0.1.decode.json")
fi = sweep("3090/sprint-2026-06-kv-decode/B3-qwen3-ream/fi.json")
nxt = sweep("r9700/coder-next-ream-awq/results.json")
nxt_load = sweep("r9700/coder-next-ream-awq/results.json", "throughput_sweep")
swe = json.load(open(os.path.join(root, "3090/quality/bakeoff-coder-30b-eval-claw-code.json")))

for label, frame in (("coder", coder), ("ream", ream), ("gemma", gemma), ("fi", fi)):
    print(label, "throughput values", sorted(frame["throughput"].unique()),
          "TPOT max/min", round(frame["tpot_ms"].max() / frame["tpot_ms"].min(), 2))
print("f1 coder-30b-eval mean throughput tok/s", round(coder["throughput"].mean(), 3), len(coder))
print("f2 coder-30b-eval max throughput tok/s (context 2048)", coder["throughput"].max())
print("f3 coder-30b-eval mean TTFT ms", round(coder["ttft_ms"].mean(), 3))
print("f4 coder-30b-eval mean TPOT ms", round(coder["tpot_ms"].mean(), 3))
print("f5 Qwen3-30B REAM 262K mean TTFT ms", round(ream["ttft_ms"].mean(), 3), len(ream))
print("f6 Qwen3-30B REAM 262K mean TPOT ms", round(ream["tpot_ms"].mean(), 3))
print("f7 gemma4-31b-swa0.1 mean TTFT ms", round(gemma["ttft_ms"].mean(), 3), len(gemma))
print("f8 gemma4-31b-swa0.1 mean TPOT ms", round(gemma["tpot_ms"].mean(), 3))
measured = fi[fi["throughput"] > 50]  # the two contexts whose parse caught the real line
print("f9 qwen3-ream-fi mean throughput where measured tok/s", round(measured["throughput"].mean(), 3),
      len(measured))
print("f10 qwen3-ream-fi mean TTFT ms", round(fi["ttft_ms"].mean(), 3), len(fi))
print("f11 Coder-Next-REAM-60B (R9700) mean TPOT ms over the context sweep", round(nxt["tpot_ms"].mean(), 3),
      len(nxt))
print("f12 Coder-Next-REAM-60B (R9700) throughput at concurrency 1 tok/s", nxt_load["throughput"].iloc[0],
      "ttft", nxt_load["ttft_ms"].iloc[0])
print("SWE-bench", {k: swe[k] for k in ("total_predictions", "submitted", "completed", "error", "resolved")})
