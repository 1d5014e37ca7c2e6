"""Figures for serving-datacrunch-sglang-h200-jsonl.

Usage: python serving-datacrunch-sglang-h200-jsonl.py CORPUS_ROOT
outputs/*.jsonl (datacrunch-research/h200-benchmarks, sglang/): SGLang's `bench_serving
--output-file`, one JSON line appended per run (`request_rate` Infinity for the offline runs).
No line names its model: the file name and experiments/*.sh do (Llama-3.3-70B-Instruct on
4 x H200 tp4, Llama-3.1-405B-Instruct on 8 x H200 tp8, a DeepSeek-V2 on 8 x H200 tp8).
`random_input_len` / `random_output_len` are the random dataset's lengths; a sharegpt line
still writes them (1024 / 1024 defaults) and ignores them.
README.md: tables of Llama 3.1 70B / 405B runs that are not in these files.
"""
import json
import math
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-datacrunch-sglang-h200-jsonl")):
    root = os.path.join(root, "serving-datacrunch-sglang-h200-jsonl")
pd.set_option("display.width", 250)


def lines(name):
    path = os.path.join(root, "outputs", name)
    return pd.DataFrame([json.loads(l) for l in open(path, encoding="utf-8") if l.strip()])


cols = ["dataset_name", "request_rate", "random_input_len", "random_output_len", "completed",
        "output_throughput", "median_ttft_ms", "median_itl_ms", "median_e2e_latency_ms"]
frames = {n: lines(n) for n in ["llama_3_3_70b_online_output.jsonl", "llama_405b_online_output.jsonl",
                                 "llama_3_3_70b_offline_output.jsonl", "deepseek_dp_mla_output.jsonl"]}
for name, f in frames.items():
    print(name, len(f)); print(f[cols].to_string())

on70, on405 = frames["llama_3_3_70b_online_output.jsonl"], frames["llama_405b_online_output.jsonl"]
off70, ds = frames["llama_3_3_70b_offline_output.jsonl"], frames["deepseek_dp_mla_output.jsonl"]


def one(f, col, dataset="random", rate=None, isl=None, osl=None):
    sel = f[f.dataset_name == dataset]
    if rate is not None:
        sel = sel[sel.request_rate == rate]
    if isl is not None:
        sel = sel[(sel.random_input_len == isl) & (sel.random_output_len == osl)]
    assert len(sel) == 1, sel
    return float(sel[col].iloc[0])


print("f1 70B online random rate 1 output_throughput", one(on70, "output_throughput", rate=1.0))
print("f2 70B online random rate 16 output_throughput", one(on70, "output_throughput", rate=16.0))
print("f3 70B online random rate 8 output_throughput", one(on70, "output_throughput", rate=8.0))
print("f4 70B online sharegpt rate 8 output_throughput", one(on70, "output_throughput", "sharegpt", 8.0))
print("f5 70B online random rate 1 median_ttft_ms", one(on70, "median_ttft_ms", rate=1.0))
print("f6 405B online random rate 1 output_throughput", one(on405, "output_throughput", rate=1.0))
print("f7 405B online random rate 8 output_throughput", one(on405, "output_throughput", rate=8.0))
print("f8 405B online random rate 8 median_ttft_ms", one(on405, "median_ttft_ms", rate=8.0))
print("f9 405B online random rate 1 median_itl_ms", one(on405, "median_itl_ms", rate=1.0))
inf = math.inf
r11 = off70[(off70.dataset_name == "random") & (off70.random_input_len == 1024) & (off70.random_output_len == 1024)]
print("f10 70B offline random 1024/1024 output_throughput, mean over", len(r11), r11.output_throughput.mean())
r41 = off70[(off70.dataset_name == "random") & (off70.random_input_len == 4096) & (off70.random_output_len == 1024)]
print("f11 70B offline random 4096/1024 output_throughput, mean over", len(r41), r41.output_throughput.mean(),
      "(the one true repetition: CV", r41.output_throughput.std() / r41.output_throughput.mean(), ")")
print("f12 70B offline sharegpt output_throughput", one(off70, "output_throughput", "sharegpt"))
print("f13 DeepSeek offline random 1/512 output_throughput", one(ds, "output_throughput"))
print("f14 405B online random rate 8 / rate 1 output throughput",
      one(on405, "output_throughput", rate=8.0) / one(on405, "output_throughput", rate=1.0))
# the wrong reading the corpus invites: offline 70B 'repetitions' of output length 1024
bad = off70[off70.random_output_len == 1024]
print("pooled output_len 1024 lines", len(bad), "CV", bad.output_throughput.std() / bad.output_throughput.mean())
print("f15 70B online random rate 4 mean E2E latency ms", one(on70, "mean_e2e_latency_ms", rate=4.0),
      "(sharegpt:", one(on70, "mean_e2e_latency_ms", dataset="sharegpt", rate=4.0), ")")
print("f16 405B online random rate 4 mean E2E latency ms", one(on405, "mean_e2e_latency_ms", rate=4.0),
      "(sharegpt:", one(on405, "mean_e2e_latency_ms", dataset="sharegpt", rate=4.0), ")")
print("pooled (wrong) 70B rate 4 mean of both lines", on70[on70.request_rate == 4.0].mean_e2e_latency_ms.mean())
