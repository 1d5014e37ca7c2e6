"""Figures for ollama-gzhang33-speed-test-csv-json.

Usage: python ollama-gzhang33-speed-test-csv-json.py CORPUS_ROOT
speed_test_results/: three sessions of speed_test.py on one machine (a 16 GB GPU no file
names): per request a row of speed_test_details_<stamp>.csv (rate = output_tokens / client
wall time, two decimals), the same requests in full precision in speed_test_results_<stamp>.json
under each model's summary (total_duration = the sum of its requests, average_speed = total
tokens / total_duration, test_count), and that summary again in speed_test_summary_<stamp>.csv.
Sessions 03:22 and 15:14 ran 9 models x 3 Chinese prompts; 16:45 ran gemma3:4b on 3 English
prompts. analysis_results/performance_metrics.csv and analysis_report.md summarise 15:14;
speed_test_analysis_report.md a 2025-10-01 session whose files are not in the folder.
"""
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-gzhang33-speed-test-csv-json")):
    root = os.path.join(root, "ollama-gzhang33-speed-test-csv-json")
R = os.path.join(root, "speed_test_results")
STAMPS = ("20251003_032235", "20251003_151414", "20251003_164548")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


csv = {s: pd.read_csv(os.path.join(R, f"speed_test_details_{s}.csv")) for s in STAMPS}
for s in STAMPS:
    with open(os.path.join(R, f"speed_test_results_{s}.json"), encoding="utf-8") as f:
        doc = json.load(f)
    details = pd.DataFrame([d for r in doc["results"] for d in r["details"]])
    same = (details.tokens_per_second.round(2).values == csv[s].tokens_per_second.values).all()
    out(f"{s}: JSON details == CSV rows (rounded)", bool(same and len(details) == len(csv[s])))
    first = [r["details"][0]["gpu_util_before"]["gpus"][0]["memory_used"] for r in doc["results"]]
    out(f"{s}: GPU memory used before the session's first request (MB)", first[0])
    out(f"{s}: memory_total (MB)", doc["results"][0]["details"][0]["gpu_util_before"]["gpus"][0]
        ["memory_total"])  # fmt: skip
every = pd.concat([d.assign(session=s) for s, d in csv.items()])
ok = every[every.output_tokens > 10]  # deepseek-r1:8b's 3-token answer is no decoding rate
out("requests (rows of the three CSVs)", len(every))
out("degenerate rows (output_tokens <= 10)", int((every.output_tokens <= 10).sum()))
m = ok.groupby(["session", "model"]).tokens_per_second.mean()
print(m.unstack(0).round(2).to_string())
out("f1 phi4-mini:3.8b mean tok/s, sessions 03:22 + 15:14", float(
    ok[ok.model == "phi4-mini:3.8b"].tokens_per_second.mean()))
out("f2 gemma3:4b mean tok/s in session 15:14", float(m[("20251003_151414", "gemma3:4b")]))
out("f3 qwen2.5:14b mean in session 03:22", float(m[("20251003_032235", "qwen2.5:14b-instruct-q5_K_M")]))
out("f4 qwen2.5:14b mean in session 15:14", float(m[("20251003_151414", "qwen2.5:14b-instruct-q5_K_M")]))
out("f5 llama3.1 q8 mean in session 03:22", float(m[("20251003_032235", "llama3.1:8b-instruct-q8_0")]))
out("f6 llama3.1 q8 mean in session 15:14", float(m[("20251003_151414", "llama3.1:8b-instruct-q8_0")]))
out("f7 phi4-mini mean in session 03:22", float(m[("20251003_032235", "phi4-mini:3.8b")]))
out("f8 phi4-mini mean in session 15:14", float(m[("20251003_151414", "phi4-mini:3.8b")]))
out("f9 gemma3:4b mean in session 16:45 (English prompts)", float(m[("20251003_164548", "gemma3:4b")]))
summ = pd.read_csv(os.path.join(R, "speed_test_summary_20251003_151414.csv"))
q = summ[summ.model == "qwen2.5:14b-instruct-q5_K_M"].iloc[0]
out("f10 summary CSV 15:14 qwen2.5:14b tokens_per_second (total tokens / total time)", float(q.tokens_per_second))
out("  check: 1200 / sum of durations", 1200 / csv["20251003_151414"][csv["20251003_151414"].model == "qwen2.5:14b-instruct-q5_K_M"].duration.sum())
pm = pd.read_csv(os.path.join(root, "analysis_results", "performance_metrics.csv")).set_index("model")
s15 = csv["20251003_151414"].groupby("model").tokens_per_second.mean()
out("performance_metrics avg_speed - mean of 15:14 rates, max |diff|", float((pm.avg_speed - s15).abs().max()))
out("f11 deepseek-r1:8b degenerate rate (3 tokens)", float(every[every.output_tokens <= 10].tokens_per_second.iloc[0]))
firsts = ok.groupby(["session", "model"]).head(1)
rest = ok.drop(firsts.index)
ratio = (rest.groupby(["session", "model"]).tokens_per_second.mean()
         / firsts.set_index(["session", "model"]).tokens_per_second)
out("first request slower than the other two, by (min, max) x", (round(ratio.min(), 2), round(ratio.max(), 2)))
