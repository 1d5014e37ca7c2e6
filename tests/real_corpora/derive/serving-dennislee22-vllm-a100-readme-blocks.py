"""Figures for serving-dennislee22-vllm-a100-readme-blocks.

Usage: python serving-dennislee22-vllm-a100-readme-blocks.py CORPUS_ROOT
README.md: nine "Test N" sections (deployment: GPU pods, same or different nodes, the KV cache
memory vLLM reported), each with `python .../benchmark_serving.py ... --model M --num-prompts N
--random-input-len I --random-output-len O` commands followed by the console's
`============ Serving Benchmark Result ============` block (one benchmark run each).
log/*.log: vLLM server start-up logs (no benchmark result), named after model, GPUs and
gpu-memory-utilization.
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-dennislee22-vllm-a100-readme-blocks")):
    root = os.path.join(root, "serving-dennislee22-vllm-a100-readme-blocks")
pd.set_option("display.width", 250)

text = open(os.path.join(root, "README.md"), encoding="utf-8").read().splitlines()
LABELS = {
    "Successful requests": "completed", "Failed requests": "failed",
    "Benchmark duration (s)": "duration_s", "Total input tokens": "input_tokens",
    "Total generated tokens": "output_tokens", "Request throughput (req/s)": "req_s",
    "Output token throughput (tok/s)": "out_tok_s", "Total Token throughput (tok/s)": "total_tok_s",
    "Mean TTFT (ms)": "mean_ttft", "Median TTFT (ms)": "median_ttft", "P99 TTFT (ms)": "p99_ttft",
    "Mean TPOT (ms)": "mean_tpot", "Median TPOT (ms)": "median_tpot", "P99 TPOT (ms)": "p99_tpot",
    "Mean ITL (ms)": "mean_itl", "Median ITL (ms)": "median_itl", "P99 ITL (ms)": "p99_itl",
}
rows, test, command, block = [], None, "", None
for line in text:
    s = line.strip()
    if m := re.match(r"#+ .*Test (\d+):", s):
        test = int(m.group(1))
    elif s.startswith("python ") and "benchmark_serving" in s:
        command = s
    elif command.endswith("\\") and s.startswith("--") and block is None:
        command = command.rstrip("\\") + " " + s
    elif s.startswith("============ Serving Benchmark Result"):
        block = {"test": test, "command": command}
    elif block is not None and s.startswith("=" * 10):
        flags = dict(re.findall(r"--([\w-]+)[= ]'?([^\s'\\]+)", block.pop("command")))
        block.update(model=flags.get("model"), num_prompts=int(flags["num-prompts"]),
                     input_len=int(flags["random-input-len"]),
                     # one gpt-oss-120b command ends "--random-output-len " with no value
                     output_len=int(flags["random-output-len"]) if "random-output-len" in flags else -1)
        rows.append(block)
        block, command = None, ""
    elif block is not None and ":" in s:
        label, value = s.rsplit(":", 1)
        if label.strip() in LABELS:
            block[LABELS[label.strip()]] = float(value)
df = pd.DataFrame(rows)
print("blocks:", len(df))
print(df.groupby(["test", "model"]).size().to_string())
print(df[["test", "model", "num_prompts", "input_len", "output_len", "completed", "out_tok_s", "mean_ttft", "mean_tpot"]].to_string())
print("all requests completed:", bool((df.completed == df.num_prompts).all()), "failed column:", "failed" in df)

def one(t, n, i, o, col):
    sel = df[(df.test == t) & (df.num_prompts == n) & (df.input_len == i) & (df.output_len == o)]
    assert len(sel) == 1, (t, n, i, o, len(sel))
    return float(sel[col].iloc[0])

stats = df.groupby(["test", "model"]).out_tok_s.agg(["count", "mean", "median", "max"])
print(stats.to_string())
print("f1 Test 1 first block output tok/s", float(df[df.test == 1].out_tok_s.iloc[0]))
print("f2 Test 1 first block mean TTFT", float(df[df.test == 1].mean_ttft.iloc[0]))
print("f3 Test 4 mean output tok/s over its blocks", float(df[df.test == 4].out_tok_s.mean()))
print("f4 Test 5 mean output tok/s over its blocks", float(df[df.test == 5].out_tok_s.mean()))
print("f5 Test 9 gpt-oss-120b mean output tok/s", float(df[df.test == 9].out_tok_s.mean()))
print("f6 Test 8 Qwen2-72B max output tok/s", float(df[df.test == 8].out_tok_s.max()))
print("f7 Test 2 median output tok/s", float(df[df.test == 2].out_tok_s.median()))
print("f8 Test 1 mean output tok/s", float(df[df.test == 1].out_tok_s.mean()))
print("f9 Test 6 mean output tok/s", float(df[df.test == 6].out_tok_s.mean()))
print("f10 Test 7 mean output tok/s", float(df[df.test == 7].out_tok_s.mean()))
print("f11 Test 3 n blocks", int((df.test == 3).sum()))
print("f12 blocks in all", len(df))
# Tests 4 and 5 (1 GPU, KV cache 5.01 vs 24.83 GiB) ran the same 10 workloads.
key = ["num_prompts", "input_len", "output_len"]
t4 = df[df.test == 4].set_index(key).out_tok_s
t5 = df[df.test == 5].set_index(key).out_tok_s
both = pd.concat([t4.rename("t4"), t5.rename("t5")], axis=1).dropna()
print(both.assign(ratio=both.t5 / both.t4).to_string())
print("f13 common workloads of Test 4 and 5", len(both))
# Test 1 (2 GPUs, different nodes) vs Test 2 (2 GPUs, same node)
t1 = df[df.test == 1].set_index(key).out_tok_s
t2 = df[df.test == 2].set_index(key).out_tok_s
both12 = pd.concat([t1.rename("t1"), t2.rename("t2")], axis=1).dropna()
print(both12.assign(ratio=both12.t2 / both12.t1).to_string())
print("f14 median same-node / different-node ratio (Test 2 / Test 1, common workloads)", float((both12.t2 / both12.t1).median()))
w = (df.num_prompts == 100) & (df.input_len == 1024) & (df.output_len == 1024)
print(df[w][["test", "model", "out_tok_s", "mean_ttft"]].to_string())
