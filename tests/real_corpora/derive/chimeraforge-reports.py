"""Hand derivation of every figure and count in truths/chimeraforge-reports.yaml.

Usage: python derive/chimeraforge-reports.py <corpus-root>/chimeraforge-reports

Plain pandas/json on the raw files (no Chimera code).  Prints `id value` lines.
Cold (reload) rows: load_s > 0.5 s.  Warm loads in every sweep are <= 0.16 s,
reloads are >= 0.95 s, so the threshold is not borderline.
"""
import glob
import hashlib
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/real-corpora/chimeraforge-reports"
P = lambda *a: os.path.join(root, *a)
COLD = 0.5


def out(fid, value):
    if isinstance(value, float):
        value = float(f"{value:.6g}")
    print(fid, value)


def pct(a, b):
    return (a / b - 1.0) * 100.0


# ---------------------------------------------------------------- gemma3 sweeps
SWEEPS = {"g4": "gemma3", "g1b": "gemma3_1b-it-qat", "g270": "gemma3_270m"}
for key, stem in SWEEPS.items():
    d = pd.read_csv(P("gemma3", f"{stem}_param_tuning.csv"))
    ok = d[d["error"].isna()]
    out(f"{key}.sweep.rows", len(d))
    out(f"{key}.sweep.error_rows", int(d["error"].notna().sum()))
    # unit check: tokens_s == eval_count / eval_s (seconds), ttft_s == load_s + prompt_eval_s
    out(f"{key}.check.rate_resid", float((ok.eval_count / ok.eval_s - ok.tokens_s).abs().max()))
    out(f"{key}.check.ttft_resid", float((ok.load_s + ok.prompt_eval_s - ok.ttft_s).abs().max()))
    cold = ok[ok.load_s > COLD]
    warm = ok[ok.load_s <= COLD]
    out(f"{key}.cold_rows", len(cold))
    out(f"{key}.cold_configs", ",".join(cold.config_name))
    out(f"{key}.cold_all_t0.2", bool((cold.temperature == 0.2).all()))
    out(f"{key}.cold.load_ms.mean", cold.load_s.mean() * 1000)
    out(f"{key}.cold.tps.mean", cold.tokens_s.mean())
    out(f"{key}.warm.n", len(warm))
    out(f"{key}.warm.tps.mean", warm.tokens_s.mean())
    out(f"{key}.warm.ttft_ms.mean", warm.ttft_s.mean() * 1000)
    out(f"{key}.warm.load_ms.max", warm.load_s.max() * 1000)
    for col in ["num_ctx", "num_gpu", "temperature"]:
        g = warm.groupby(col).tokens_s.agg(["mean", "count"])
        for k, r in g.iterrows():
            out(f"{key}.warm.tps.{col}={k}", r["mean"])
            out(f"{key}.warm.n.{col}={k}", int(r["count"]))
        out(f"{key}.warm.tps.{col}.spread_pct", pct(g["mean"].max(), g["mean"].min()))
    gt = warm.groupby("temperature").tokens_s.mean()
    out(f"{key}.temp0.8_vs_0.4_pct", pct(gt[0.8], gt[0.4]))
    tt = warm.groupby("temperature").ttft_s.mean() * 1000
    for k, v in tt.items():
        out(f"{key}.warm.ttft_ms.temperature={k}", v)
    best = ok.loc[ok.tokens_s.idxmax()]
    out(f"{key}.best.config", best.config_name)
    out(f"{key}.best.tps", best.tokens_s)
    # baseline (Ollama defaults, 5 prompts; first prompt is the cold load)
    b = pd.read_csv(P("gemma3", f"{stem}_baseline.csv"))
    out(f"{key}.base.rows", len(b))
    out(f"{key}.base.cold_rows", int((b.load_s > COLD).sum()))
    bw = b[b.load_s <= COLD]
    out(f"{key}.base.tps.mean_all", b.tokens_s.mean())
    out(f"{key}.base.warm.tps.mean", bw.tokens_s.mean())
    out(f"{key}.base.warm.n", len(bw))
    out(f"{key}.base.warm.ttft_ms.mean", bw.ttft_s.mean() * 1000)
    out(f"{key}.base.cold.ttft_ms", b.ttft_s.iloc[0] * 1000)
    out(f"{key}.tuned_warm_vs_base_warm_pct", pct(warm.tokens_s.mean(), bw.tokens_s.mean()))
    out(f"{key}.best_vs_base_warm_pct", pct(best.tokens_s, bw.tokens_s.mean()))
    # baseline JSON repeats the CSV
    j = json.load(open(P("gemma3", f"{stem}_baseline.json")))
    jd = pd.DataFrame(j["results"])
    same = all((jd[c].values == b[c].values).all() for c in ["ttft_s", "tokens_s", "load_s", "eval_count"])
    out(f"{key}.base.json_model", j["model"])
    out(f"{key}.base.json_equals_csv", bool(same))
    # summary CSV repeats the sweep rows (one run per config; "mean" of n=1)
    s = pd.read_csv(P("gemma3", f"{stem}_param_tuning_summary.csv"))
    m = s.merge(ok, on="config_name")
    out(f"{key}.summary.rows", len(s))
    out(f"{key}.summary.max_abs_diff_tps", float((m.mean_tokens_s - m.tokens_s).abs().max()))
    out(f"{key}.summary.max_abs_diff_load", float((m.mean_load_s - m.load_s).abs().max()))

# 270m: the num_gpu=60 block holds both timeouts and the two slowest rows
d = pd.read_csv(P("gemma3", "gemma3_270m_param_tuning.csv"))
ok = d[d["error"].isna()]
w = ok[ok.load_s <= COLD]
out("g270.timeout_configs", ",".join(d[d["error"].notna()].config_name))
out("g270.slowest2", ",".join(ok.nsmallest(2, "tokens_s").config_name))
w_no60 = w[w.num_gpu != 60]
out("g270.warm_no_g60.n", len(w_no60))
out("g270.warm_no_g60.tps.mean", w_no60.tokens_s.mean())
gt = w_no60.groupby("temperature").tokens_s.mean()
out("g270.warm_no_g60.temp0.8_vs_0.4_pct", pct(gt[0.8], gt[0.4]))
for k, v in gt.items():
    out(f"g270.warm_no_g60.tps.temperature={k}", v)
out("g270.warm_no_g60.n.temperature", w_no60.groupby("temperature").size().to_dict())
gc = w_no60.groupby("num_ctx").tokens_s.mean()
out("g270.warm_no_g60.ctx.spread_pct", pct(gc.max(), gc.min()))
out("g270.warm.tps.g60", w[w.num_gpu == 60].tokens_s.mean())
# cold rows on 270m are a few % slower than warm rows (first request after load)
out("g270.cold_vs_warm_no_g60_pct", pct(ok[ok.load_s > COLD].tokens_s.mean(), w_no60.tokens_s.mean()))

# rank of the config the notes call best for gemma3:latest
s = pd.read_csv(P("gemma3", "gemma3_param_tuning_summary.csv"))
s = s.sort_values("mean_tokens_s", ascending=False).reset_index(drop=True)
i = s.index[s.config_name == "g999_c4096_t0.4"][0]
out("g4.notes_best.g999_c4096_t0.4.rank", int(i) + 1)
out("g4.notes_best.g999_c4096_t0.4.tps", s.loc[i, "mean_tokens_s"])
out("g4.notes_best.g999_c4096_t0.4.ttft_ms", s.loc[i, "mean_ttft_s"] * 1000)

# ---------------------------------------------------------------- llama3 folder
d = pd.read_csv(P("llama3", "ollama_param_tuning.csv"))
out("l8.sweep.rows", len(d))
out("l8.sweep.models", ",".join(d.model.unique()))
out("l8.check.rate_resid", float((d.eval_count / d.eval_s - d.tokens_s).abs().max()))
cold = d[d.load_s > COLD]
warm = d[d.load_s <= COLD]
out("l8.cold_rows", len(cold))
out("l8.cold_all_t0.2", bool((cold.temperature == 0.2).all()))
out("l8.cold.load_ms.mean", cold.load_s.mean() * 1000)
out("l8.cold.load_ms.median", cold.load_s.median() * 1000)
out("l8.cold.load_ms.max", cold.load_s.max() * 1000)
out("l8.warm.n", len(warm))
out("l8.warm.tps.mean", warm.tokens_s.mean())
out("l8.warm.ttft_ms.mean", warm.ttft_s.mean() * 1000)
out("l8.cold.tps.mean", cold.tokens_s.mean())
for col in ["num_ctx", "num_gpu", "temperature"]:
    g = warm.groupby(col).tokens_s.mean()
    for k, v in g.items():
        out(f"l8.warm.tps.{col}={k}", v)
    out(f"l8.warm.tps.{col}.spread_pct", pct(g.max(), g.min()))
    t = warm.groupby(col).ttft_s.mean() * 1000
    for k, v in t.items():
        out(f"l8.warm.ttft_ms.{col}={k}", v)
gt = warm.groupby("temperature").tokens_s.mean()
out("l8.temp0.8_vs_0.4_pct", pct(gt[0.8], gt[0.4]))
gc = warm.groupby("num_ctx").ttft_s.mean()
out("l8.warm.ttft.ctx4096_vs_1024_pct", pct(gc[4096], gc[1024]))
gc = warm.groupby("num_ctx").tokens_s.mean()
out("l8.warm.tps.ctx4096_vs_1024_pct", pct(gc[4096], gc[1024]))
best = d.loc[d.tokens_s.idxmax()]
out("l8.best", f"{best.num_gpu}/{best.num_ctx}/{best.temperature}={best.tokens_s}")
s = pd.read_csv(P("llama3", "ollama_param_tuning_summary.csv"))
m = s.merge(d, on=["num_gpu", "num_ctx", "temperature"])
out("l8.summary.rows", len(s))
out("l8.summary.max_abs_diff", float(max((m.mean_tokens_s - m.tokens_s).abs().max(),
                                          (m.mean_ttft_s - m.ttft_s).abs().max(),
                                          (m.mean_load_s - m.load_s).abs().max(),
                                          (m.eval_s_mean - m.eval_s).abs().max())))

q = pd.read_csv(P("llama3", "ollama_quant_bench.csv"))
out("q.rows", len(q))
out("q.check.rate_resid", float((q.eval_count / q.eval_s - q.tokens_s).abs().max()))
out("q.cold_rows", int((q.load_s > COLD).sum()))
out("q.cold_tags", ",".join(q[q.load_s > COLD].tag))
for tag, g in q.groupby("tag"):
    out(f"q.{tag}.tps.mean", g.tokens_s.mean())
    out(f"q.{tag}.tps.median", g.tokens_s.median())
    out(f"q.{tag}.ttft_ms.mean_all", g.ttft_s.mean() * 1000)
    gw = g[g.load_s <= COLD]
    out(f"q.{tag}.warm.n", len(gw))
    out(f"q.{tag}.warm.ttft_ms.mean", gw.ttft_s.mean() * 1000)
    out(f"q.{tag}.warm.tps.mean", gw.tokens_s.mean())
qm = q.groupby("tag").tokens_s.mean()
out("q.q4_vs_q5", qm["q4_0"] / qm["q5_K_M"])
out("q.q4_vs_q8", qm["q4_0"] / qm["q8_0"])

# baseline_ml_metrics.json: zero inferences (the "7.90 tok/s" of the summary note has no data here)
j = json.load(open(P("llama3", "baseline_ml_metrics.json")))
out("l8.baseline_ml.total_inferences", j["total_inferences"])
j = json.load(open(P("llama3", "baseline_system_metrics.json")))
gpu = [m["gpu"][0] for m in j["metrics"] if m["gpu"]]
out("sys.gpu_name", gpu[0]["name"])
out("sys.gpu_mem_total_mb", gpu[0]["memory_total_mb"])
out("sys.samples", j["metrics_count"])
out("sys.gpu_util.mean", sum(g["utilization_gpu"] for g in gpu) / len(gpu))
out("sys.gpu_util.max", max(g["utilization_gpu"] for g in gpu))

# cross-model: gemma3:latest vs llama3.1 q4_0, warm sweep means, same laptop
g4 = pd.read_csv(P("gemma3", "gemma3_param_tuning.csv"))
g4w = g4[g4.load_s <= COLD].tokens_s.mean()
out("x.g4_over_l8_warm_sweep", g4w / warm.tokens_s.mean())

# ---------------------------------------------------------------- ollama folder
void_rows = 0
void_files = 0
for f in sorted(glob.glob(P("ollama", "*", "*_runs.csv"))):
    rel = os.path.relpath(f, root)
    r = pd.read_csv(f)
    err = r["error"].notna()
    out(f"ol.{rel}.rows", len(r))
    out(f"ol.{rel}.void_rows", int(err.sum()))
    if err.all():
        void_files += 1
    void_rows += int(err.sum())
    okr = r[~err]
    if len(okr):
        out(f"ol.{rel}.rate_resid", float((okr.eval_count / okr.eval_s - okr.tokens_s).abs().max()))
        out(f"ol.{rel}.cold_rows", int((okr.load_s > COLD).sum()))
        for mdl, g in okr.groupby("model", sort=False):
            gw = g[g.load_s <= COLD]
            out(f"ol.{rel}.{mdl}.tps.mean_all", g.tokens_s.mean())
            out(f"ol.{rel}.{mdl}.ttft_ms.mean_all", g.ttft_s.mean() * 1000)
            out(f"ol.{rel}.{mdl}.cold.tps", g[g.load_s > COLD].tokens_s.mean())
            out(f"ol.{rel}.{mdl}.cold.ttft_ms", g[g.load_s > COLD].ttft_s.mean() * 1000)
            out(f"ol.{rel}.{mdl}.warm.tps.mean", gw.tokens_s.mean())
            out(f"ol.{rel}.{mdl}.warm.ttft_ms.mean", gw.ttft_s.mean() * 1000)
            out(f"ol.{rel}.{mdl}.warm.n", len(gw))
out("ol.void_files", void_files)
out("ol.void_rows", void_rows)
for f in sorted(glob.glob(P("ollama", "*", "*summary.json"))):
    rel = os.path.relpath(f, root)
    j = json.load(open(f))
    for m in j["models"]:
        out(f"ol.{rel}.{m['model']}.reported", f"completed={m['completed']} tps={m.get('mean_tokens_s')} ttft={m.get('mean_ttft_s')}")

# ---------------------------------------------------------------- duplicates (bytes)
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()

out("dup.ollama_summary_md_identical", sha(P("llama3", "ollama_benchmark_summary.md")) == sha(P("ollama", "ollama_benchmark_summary.md")))
a = open(P("integration", "performance_digest.md")).read().splitlines()
for other in ["test_datadog_digest.md", "test_mcp_digest.md"]:
    b = open(P("integration", other)).read().splitlines()
    out(f"dup.digest.{other}.lines_differing", sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b)))

# ---------------------------------------------------------------- compilation
for f in sorted(glob.glob(P("compilation", "*.json"))):
    rel = os.path.relpath(f, root)
    j = json.load(open(f))
    fails = 0
    for name, v in j["backends"].items():
        c = v.get("compilation") or {}
        bm = v.get("benchmark") or {}
        if c and c.get("success") is False:
            fails += 1
            out(f"cmp.{rel}.{name}.failed_mean_ms_written_as", bm.get("mean_time_ms"))
        else:
            out(f"cmp.{rel}.{name}.mean_ms", bm.get("mean_time_ms"))
            out(f"cmp.{rel}.{name}.compile_s", (c or {}).get("compile_time_s"))
    out(f"cmp.{rel}.failed_backends", fails)
    out(f"cmp.{rel}.device", j["model"]["device"])
    out(f"cmp.{rel}.runs", j["settings"]["runs"])
    if "onnx" in j["backends"]:
        md = j["backends"]["onnx"]["compilation"]["metadata"]
        out(f"cmp.{rel}.onnx_providers", md.get("providers"))

# ---------------------------------------------------------------- profiling
raw = open(P("profiling", "ncu_summary.csv"), "rb").read()
# the UTF-16LE BOM FF FE was re-encoded as UTF-8 (C3 BF C3 BE); the rest is UTF-16LE text
out("ncu_summary.mangled_bom", raw[:4] == b"\xc3\xbf\xc3\xbe")
out("ncu_summary.text", raw[4:].decode("utf-16-le", errors="replace").strip().splitlines()[0])
n = pd.read_csv(P("profiling", "ncu_ollama_raw.csv"), dtype=str)
kern = n[n["ID"].fillna("").str.fullmatch(r"\d+")]
out("ncu_raw.kernel_rows", len(kern))
out("ncu_raw.units_rows", len(n) - len(kern))
out("ncu_raw.process", kern["Process Name"].iloc[0])
out("ncu_raw.kernel", kern["Kernel Name"].iloc[0][:40])
out("ncu_raw.gpu", kern["device__attribute_display_name"].iloc[0])
out("ncu_raw.clock_rate_raw", kern["device__attribute_clock_rate"].iloc[0])
out("ncu_raw.clock_rate_khz", int(kern["device__attribute_clock_rate"].iloc[0].replace(",", "")))

# ---------------------------------------------------------------- diagnostics
j = json.load(open(P("diagnostics", "self_healing_results_20251004_133717.json")))
out("diag.self_healing.after_latency_values", sorted({a["metrics_after"]["latency_ms"] for a in j["actions_taken"]}))
