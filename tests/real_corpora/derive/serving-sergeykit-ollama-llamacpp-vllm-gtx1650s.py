"""Figures for serving-sergeykit-ollama-llamacpp-vllm-gtx1650s.

Usage: python serving-sergeykit-ollama-llamacpp-vllm-gtx1650s.py CORPUS_ROOT
results/summary.csv: one row per (runtime, scenario, profile, prompt_set, concurrency) point; each row is the
MEDIAN over n_runs=3 runs (fresh server per run). throughput_tok_s = output tokens/s summed over all in-flight
requests; ttft_ms_* and tpot_ms_p50 in ms; peak_vram_mib / peak_rss_mib in MiB; cold_start_s in s.
results/*_longctx.log: server log of ONE server process (the last run); llama.cpp/Ollama print_timing lines in ms.
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-sergeykit-ollama-llamacpp-vllm-gtx1650s")):
    root = os.path.join(root, "serving-sergeykit-ollama-llamacpp-vllm-gtx1650s")
def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

s = pd.read_csv(os.path.join(root, "results/summary.csv"))
out("f24 points", len(s)); out("runs per point", sorted(s.n_runs.unique().tolist()))
out("failed requests total", int(s.n_failed_total.sum()))
out("requests measured (points x runs x requests_per_run)", int((s.n_runs * s.requests_per_run).sum()))
sw = s[s.scenario == "concurrency_sweep"].set_index(["runtime", "concurrency"])
V = lambda rt, c, col: float(sw.loc[(rt, c), col])
print(sw.throughput_tok_s.unstack(0).round(2))
for i, rt in enumerate(["llamacpp", "ollama", "vllm"]):
    out(f"f{1+i} {rt} throughput c1", V(rt, 1, "throughput_tok_s"))
    out(f"f{4+i} {rt} throughput c32", V(rt, 32, "throughput_tok_s"))
    out(f"  {rt} scaling c32/c1", V(rt, 32, "throughput_tok_s") / V(rt, 1, "throughput_tok_s"))
    out(f"f{7+i} {rt} ttft_ms_p50 c1", V(rt, 1, "ttft_ms_p50"))
    out(f"f{10+i} {rt} tpot_ms_p50 c1", V(rt, 1, "tpot_ms_p50"))
    out(f"f{13+i} {rt} cold_start_s c1", V(rt, 1, "cold_start_s"))
    out(f"f{16+i} {rt} peak_vram_mib c32", V(rt, 32, "peak_vram_mib"))
out("llamacpp/vllm c1", V("llamacpp", 1, "throughput_tok_s") / V("vllm", 1, "throughput_tok_s"))
out("llamacpp/vllm c32", V("llamacpp", 32, "throughput_tok_s") / V("vllm", 32, "throughput_tok_s"))
out("ollama/llamacpp c1", V("ollama", 1, "throughput_tok_s") / V("llamacpp", 1, "throughput_tok_s"))
out("llamacpp c16 < c8", V("llamacpp", 16, "throughput_tok_s") < V("llamacpp", 8, "throughput_tok_s"))
vc = s[s.runtime == "vllm"].cold_start_s
out("vllm cold_start_s other rows min/max", (float(vc.iloc[1:].min()), float(vc.iloc[1:].max())))
out("vllm tpot c32", V("vllm", 32, "tpot_ms_p50")); out("llamacpp tpot c32", V("llamacpp", 32, "tpot_ms_p50"))
lc = s[(s.scenario == "prompt_length") & (s.prompt_set == "long")].set_index("runtime")
for i, rt in enumerate(["llamacpp", "ollama", "vllm"]):
    out(f"f{19+i} {rt} long-prompt (2560) ttft_ms_p50", float(lc.loc[rt, "ttft_ms_p50"]))
sc = s[(s.scenario == "prompt_length") & (s.prompt_set == "short")].set_index("runtime")
out("short longctx vs sweep c1 throughput (llamacpp)", (float(sc.loc["llamacpp", "throughput_tok_s"]), V("llamacpp", 1, "throughput_tok_s")))
out("output_tokens_p50 range", (float(s.output_tokens_p50.min()), float(s.output_tokens_p50.max())))

pat = re.compile(r"task +(\d+) \| +prompt eval time = +([\d.]+) ms / +(\d+) tokens .* ([\d.]+) tokens per second")
for name in ["llamacpp_longctx", "ollama_longctx"]:
    rows = [m.groups() for m in map(pat.search, open(os.path.join(root, f"results/{name}.log"), encoding="utf-8")) if m]
    df = pd.DataFrame(rows, columns=["task", "ms", "tokens", "tps"]).astype({"ms": float, "tokens": int, "tps": float})
    long_ = df[df.tokens > 2000]
    out(f"{name} print_timing prompt evals", len(df)); out(f"{name} long prompt evals", len(long_))
    tag = ("f22 ", "f23 ") if name == "llamacpp_longctx" else ("", "")
    out(f"{tag[0]}{name} first long prefill t/s", float(long_.tps.iloc[0]))
    out(f"{tag[1]}{name} median of other long prefills t/s", float(long_.tps.iloc[1:].median()))
