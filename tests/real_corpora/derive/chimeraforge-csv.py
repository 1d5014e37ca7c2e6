"""Hand derivation of every figure and count in truths/chimeraforge-csv.yaml.

Usage: python derive/chimeraforge-csv.py <corpus-root>/chimeraforge-csv

Plain pandas/json on the raw files (no Chimera code).  Prints `id value` lines.
Cold (reload) rows: load_s > 0.5 s (warm loads <= 0.1 s, reloads >= 2.8 s here).
"""
import glob
import json
import os
import statistics as st
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/real-corpora/chimeraforge-csv"
P = lambda *a: os.path.join(root, *a)
COLD = 0.5


def out(fid, value):
    if isinstance(value, float):
        value = float(f"{value:.6g}")
    print(fid, value)


def pct(a, b):
    return (a / b - 1.0) * 100.0


# ---------------------------------------------------------------- Ollama sweep (llama3.1 8B q4_0)
d = pd.read_csv(P("ollama_param_tuning.csv"))
out("sweep.rows", len(d))
out("sweep.error_rows", int(d["error"].notna().sum()))
out("sweep.models", ",".join(d.model.unique()))
out("sweep.rate_resid", float((d.eval_count / d.eval_s - d.tokens_s).abs().max()))
cold = d[d.load_s > COLD]
warm = d[d.load_s <= COLD]
out("sweep.cold_rows", len(cold))
out("sweep.cold_all_t0.2", bool((cold.temperature == 0.2).all()))
out("sweep.cold_first_after_change", bool(all(
    (d.loc[i - 1, ["num_gpu", "num_ctx"]].values != d.loc[i, ["num_gpu", "num_ctx"]].values).any() if i else True
    for i in cold.index)))
out("sweep.cold.load_ms.mean", cold.load_s.mean() * 1000)
out("sweep.cold.load_ms.median", cold.load_s.median() * 1000)
out("sweep.cold.tps.mean", cold.tokens_s.mean())
out("sweep.warm.n", len(warm))
out("sweep.warm.tps.mean", warm.tokens_s.mean())
out("sweep.warm.ttft_ms.mean", warm.ttft_s.mean() * 1000)
out("sweep.all.tps.mean", d.tokens_s.mean())
out("sweep.all.ttft_ms.mean", d.ttft_s.mean() * 1000)
for col in ["num_ctx", "num_gpu", "temperature"]:
    g = warm.groupby(col).tokens_s.mean()
    for k, v in g.items():
        out(f"sweep.warm.tps.{col}={k}", v)
    out(f"sweep.warm.tps.{col}.spread_pct", pct(g.max(), g.min()))
    t = warm.groupby(col).ttft_s.mean() * 1000
    for k, v in t.items():
        out(f"sweep.warm.ttft_ms.{col}={k}", v)
gt = warm.groupby("temperature").tokens_s.mean()
out("sweep.temp0.8_vs_0.4_pct", pct(gt[0.8], gt[0.4]))
ga = d.groupby("temperature").ttft_s.mean() * 1000
for k, v in ga.items():
    out(f"sweep.all.ttft_ms.temperature={k}", v)
s = pd.read_csv(P("ollama_param_tuning_summary.csv"))
m = s.merge(d, on=["num_gpu", "num_ctx", "temperature"])
out("summary.rows", len(s))
out("summary.max_abs_diff", float(max((m.mean_tokens_s - m.tokens_s).abs().max(),
                                       (m.mean_ttft_s - m.ttft_s).abs().max(),
                                       (m.mean_load_s - m.load_s).abs().max(),
                                       (m.eval_s_mean - m.eval_s).abs().max())))

# ---------------------------------------------------------------- quantization bench
q = pd.read_csv(P("ollama_quant_bench.csv"))
out("quant.rows", len(q))
out("quant.cold_rows", int((q.load_s > COLD).sum()))
for tag, g in q.groupby("tag"):
    out(f"quant.{tag}.tps.mean", g.tokens_s.mean())
    out(f"quant.{tag}.ttft_ms.mean_all", g.ttft_s.mean() * 1000)
    gw = g[g.load_s <= COLD]
    out(f"quant.{tag}.warm.ttft_ms.mean", gw.ttft_s.mean() * 1000)
    out(f"quant.{tag}.warm.n", len(gw))
qm = q.groupby("tag").tokens_s.mean()
out("quant.q4_over_q5", qm["q4_0"] / qm["q5_K_M"])
out("quant.q4_over_q8", qm["q4_0"] / qm["q8_0"])

# ---------------------------------------------------------------- banter baseline tests
for f in sorted(glob.glob(P("baseline_test_results_*.json"))):
    k = os.path.basename(f)
    j = json.load(open(f))
    res = j["results"]
    okr = [r for r in res if r["success"]]
    err = [r for r in res if not r["success"]]
    void = [r for r in okr if r.get("banter_text", "").startswith("Error generating banter")]
    real = [r for r in okr if r not in void]
    out(f"{k}.results", len(res))
    out(f"{k}.success_flagged", len(okr))
    out(f"{k}.error_rows", len(err))
    out(f"{k}.void_rows", len(void))
    out(f"{k}.runs", len(real))
    # "tokens" is the whitespace word count of banter_text
    out(f"{k}.tokens_equal_word_count", all(r["tokens"] == len(r["banter_text"].split()) for r in okr))
    out(f"{k}.rate_equals_tokens_over_time", all(abs(r["tokens"] / (r["generation_time_ms"] / 1000) - r["tokens_per_second"]) < 1e-9 for r in okr))
    if okr:
        gen = [r["generation_time_ms"] for r in okr]
        out(f"{k}.gen_ms.mean", st.mean(gen))
        out(f"{k}.rate.mean", st.mean(r["tokens_per_second"] for r in okr))
    out(f"{k}.summary.avg_generation_time_ms", j["summary"]["avg_generation_time_ms"])
    out(f"{k}.summary.avg_tokens_per_second", j["summary"]["avg_tokens_per_second"])
    out(f"{k}.overall_tokens_per_second", j["overall_tokens_per_second"])
    out(f"{k}.overall_check", j["total_tokens"] / (j["total_generation_time_ms"] / 1000))
    out(f"{k}.total_tokens_vs_sum_success", f"{j['total_tokens']} vs {sum(r['tokens'] for r in okr)}")
    out(f"{k}.total_ms_vs_sum_success", f"{j['total_generation_time_ms']} vs {sum(r.get('generation_time_ms', 0) for r in okr)}")
    lvl = [r for r in okr if r["test_name"].startswith("Level Up")]
    if lvl:
        out(f"{k}.summary_avg_equals_level_up_row", j["summary"]["avg_generation_time_ms"] == lvl[0]["generation_time_ms"])

c = pd.read_csv(P("baseline_performance_summary.csv"))
j = json.load(open(P("baseline_test_results_1759099000.json")))
jr = pd.DataFrame(j["results"])
out("bps.rows", len(c))
out("bps.max_abs_diff_ms_vs_1759099000", float((c["Generation Time (ms)"] - jr.generation_time_ms.round(2)).abs().max()))
out("bps.max_abs_diff_rate_vs_1759099000", float((c["Tokens per Second"] - jr.tokens_per_second.round(2)).abs().max()))
out("bps.tokens_equal", bool((c["Tokens"].values == jr.tokens.values).all()))

# ---------------------------------------------------------------- timing baselines (not LLM generations)
for f in sorted(glob.glob(P("baselines", "*.json"))):
    k = "baselines/" + os.path.basename(f)
    j = json.load(open(f))
    t = j["timing_stats"]
    rr = t["run_results"]
    means = [r["mean_ms"] for r in rr]
    out(f"{k}.runs", len(rr))
    out(f"{k}.samples", sum(r["samples"] for r in rr))
    out(f"{k}.overall_mean_ms", t["overall_mean_ms"])
    out(f"{k}.check_mean_of_run_means", st.mean(means))
    out(f"{k}.p95_reported", t["latency_percentiles"]["p95"])
    out(f"{k}.p95_equals_max_run_mean", t["latency_percentiles"]["p95"] == max(means))
    out(f"{k}.p50_equals_median_run_mean", t["latency_percentiles"]["p50"] == st.median(means))
    out(f"{k}.max_sample_p95", max(r["p95_ms"] for r in rr))
    out(f"{k}.cv_percent", t["cv_percent"])
    out(f"{k}.env", f"{j['environment']['gpu_name']} | py{j['environment']['python_version']} | torch {j['environment']['torch_version']}")

for f in sorted(glob.glob(P("demo_inference_*.json"))):
    k = os.path.basename(f)
    j = json.load(open(f))
    out(f"{k}.samples", j["timing"]["samples"])
    out(f"{k}.mean_ms", j["timing"]["mean_ms"])

j = json.load(open(P("chimera_metrics_20250930_133204.json")))
out("chimera_metrics.gpu_entries", len(j["metrics"][0]["gpu"]))
out("chimera_metrics.ollama_process_count", j["metrics"][0]["ollama"]["process_count"])

# ---------------------------------------------------------------- byte-identical twins in chimeraforge-reports
other = os.path.join(os.path.dirname(os.path.abspath(root)), "chimeraforge-reports", "llama3")
if os.path.isdir(other):
    for n in ["ollama_param_tuning.csv", "ollama_param_tuning_summary.csv", "ollama_quant_bench.csv"]:
        out(f"twin.{n}.identical", open(P(n), "rb").read() == open(os.path.join(other, n), "rb").read())
