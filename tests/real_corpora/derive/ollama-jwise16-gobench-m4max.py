"""Figures for ollama-jwise16-gobench-m4max, computed from the raw `go test -bench` output.

Usage: python ollama-jwise16-gobench-m4max.py CORPUS_ROOT
Each *.txt is the output of github.com/ollama/ollama/benchmark on one model
(Apple M4 Max). A benchmark line is
  BenchmarkColdStart/<model>/cold/<prompt>-16  <iters>  <ns> ns/op  <v> MB/s  <v> gen_tok/s  <v> gen_tokens  <v> load_ms  <v> prompt_tok/s  <v> prompt_tokens  <v> ttft_ms
ns/op is NANOSECONDS per benchmark op (one request); load_ms and ttft_ms are milliseconds.
"""
import glob
import os
import re
import sys

import pandas as pd

root = os.path.join(sys.argv[1], "ollama-jwise16-gobench-m4max") if len(sys.argv) > 1 else "."
if not os.path.isdir(os.path.join(root, "qwen")):
    root = sys.argv[1]

LINE = re.compile(r"^Benchmark(Cold|Warm)Start/(\S+)/(cold|warm)/(\w+)_prompt-\d+\s+(\d+)\s+(\d+) ns/op(.*)$")
rows = []
for path in sorted(glob.glob(os.path.join(root, "*", "*.txt"))):
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line.strip())
        if not m:
            continue
        metrics = {u: float(v) for v, u in re.findall(r"([\d.]+)\s+(\S+)", m.group(7))}
        rows.append(dict(file=os.path.relpath(path, root), model=m.group(2), start=m.group(3),
                         prompt=m.group(4), iters=int(m.group(5)), ns_per_op=int(m.group(6)),
                         gen_tok_s=metrics["gen_tok/s"], gen_tokens=metrics["gen_tokens"],
                         load_ms=metrics["load_ms"], prompt_tok_s=metrics["prompt_tok/s"],
                         prompt_tokens=metrics["prompt_tokens"], ttft_ms=metrics["ttft_ms"]))
df = pd.DataFrame(rows)
df["op_s"] = df.ns_per_op / 1e9          # ns -> s
df["requested"] = df.prompt.map({"short": 100, "medium": 500, "long": 1000})

def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

out("n_files", df.file.nunique())
out("f19 n_rows", len(df))
out("n_cold_rows", int((df.start == "cold").sum()))
out("n_warm_rows", int((df.start == "warm").sum()))
g = lambda model, start: df[(df.model == model) & (df.start == start)]

# f1-f4: warm generation rate, mean of the 3 prompts
for fid, model in [("f1", "qwen3:30b"), ("f2", "qwen3:14b"), ("f3", "llama3.3:70b"), ("f4", "qwen3:0.6b")]:
    out(f"{fid} warm gen_tok/s mean {model}", g(model, "warm").gen_tok_s.mean())
# f5/f6: 70B cold vs warm generation (run-order / thermal effect, not a warm-start effect)
out("f5 cold gen_tok/s mean llama3.3:70b", g("llama3.3:70b", "cold").gen_tok_s.mean())
out("f6 cold gen_tok/s mean deepseek-r1:70b", g("deepseek-r1:70b", "cold").gen_tok_s.mean())
out("f6b warm gen_tok/s mean deepseek-r1:70b", g("deepseek-r1:70b", "warm").gen_tok_s.mean())
# f7-f9: cold load_ms for deepseek-r1:7b: first cold op (disk) vs later cold ops (page cache)
c7 = g("deepseek-r1:7b", "cold").set_index("prompt")
out("f7 cold load_ms deepseek-r1:7b short (first load)", c7.load_ms["short"])
out("f8 cold load_ms deepseek-r1:7b median", c7.load_ms.median())
out("f9 cold load_ms deepseek-r1:7b mean", c7.load_ms.mean())
c12 = g("gemma3:12b", "cold").set_index("prompt")
out("f10 cold load_ms gemma3:12b short (first load)", c12.load_ms["short"])
out("f11 cold load_ms gemma3:12b median", c12.load_ms.median())
# f12: warm "load_ms" range across all files (model already resident)
w = df[df.start == "warm"]
out("f12 warm load_ms min", w.load_ms.min()); out("f12b warm load_ms max", w.load_ms.max())
# f13: cold ttft (includes load) vs warm ttft, llama4
out("f13 cold ttft_ms median llama4:16x17b", g("llama4:16x17b", "cold").ttft_ms.median())
out("f14 warm ttft_ms median llama4:16x17b", g("llama4:16x17b", "warm").ttft_ms.median())
# f15: ns/op unit trap: one op of llama3.3:70b cold long prompt, in seconds
out("f15 llama3.3:70b cold long op ms (ns/op / 1e6)",
    1000*float(df[(df.model == "llama3.3:70b") & (df.start == "cold") & (df.prompt == "long")].op_s.iloc[0]))
# x1: prompt_tokens range per prompt label (the labels are output lengths, not prompt lengths)
nonl4 = df[df.model != "llama4:16x17b"]
for p in ["short", "medium", "long"]:
    s = nonl4[nonl4.prompt == p].prompt_tokens
    out(f"x1 prompt_tokens {p} min..max (excl. llama4)", f"{s.min():g}..{s.max():g}")
out("x1b llama4 prompt_tokens min", df[df.model == "llama4:16x17b"].prompt_tokens.min())
# f16: rows that stopped before the requested gen tokens
short = df[df.gen_tokens < df.requested]
out("f16 rows with gen_tokens < requested", len(short))
for r in short.itertuples():
    print(f"   {r.model} {r.start} {r.prompt}: {r.gen_tokens:g} of {r.requested}")
# f17/f18: cold vs warm prompt_tok/s vs cold prompt_tok/s (cold figure is dominated by load, not prefill)
out("f17 cold prompt_tok/s median deepseek-r1:70b", g("deepseek-r1:70b", "cold").prompt_tok_s.median())
out("f18 warm prompt_tok/s median deepseek-r1:70b", g("deepseek-r1:70b", "warm").prompt_tok_s.median())
# x2: ranking of warm gen rate (mean of 3 prompts)
rank = w.groupby("model").gen_tok_s.mean().sort_values(ascending=False)
print("x2 warm gen_tok/s ranking:"); print(rank.round(2).to_string())
# README table check: values claimed for Qwen3 30B etc.
out("x3 qwen3:30b cold load_ms max (README claims 8450)", g("qwen3:30b", "cold").load_ms.max())
out("x4 gemma3:27b cold gen_tok/s max (README claims 33.45)", g("gemma3:27b", "cold").gen_tok_s.max())
out("x5 deepseek-r1:70b cold load_ms max (README claims 9850)", g("deepseek-r1:70b", "cold").load_ms.max())
l4m = df[(df.model == "llama4:16x17b") & (df.prompt == "medium")].set_index("start")
out("x6 llama4 medium cold load_ms (README 'Llama 3.3 70B' cold load 9930)", l4m.load_ms["cold"])
out("x6b llama4 medium cold gen_tok/s (README 'Llama 3.3' 31.33)", l4m.gen_tok_s["cold"])
out("x6c llama3.3:70b cold short gen_tok/s (actual)", g("llama3.3:70b", "cold").set_index("prompt").gen_tok_s["short"])
