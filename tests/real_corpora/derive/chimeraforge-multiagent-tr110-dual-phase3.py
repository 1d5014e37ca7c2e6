"""Figures for chimeraforge-multiagent-tr110-dual-phase3.

Usage: python chimeraforge-multiagent-tr110-dual-phase3.py CORPUS_ROOT
ChimeraForge's Rust multi-agent demo (TR110, phase 3): three scenarios x 5 runs; each run
ran two agents at once on gemma3:latest, each on its own Ollama server (ports 11434 and
11435) of one Windows host (SahilKadadekar): the collector (DataCollector-9000 prompt) and
the insight (InsightAgent prompt). baseline-vs-chimera: the collector at Ollama's defaults
(no options), the insight at num_gpu=80, num_ctx=512; chimera-homo: both at that config;
chimera-hetero: the insight at num_ctx=1024, repeat_penalty 1.05. One run per agent per run
folder (`individual_runs` holds one; `aggregate_metrics` restates it). Durations in ms.
"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "chimeraforge-multiagent-tr110-dual-phase3")):
    root = os.path.join(root, "chimeraforge-multiagent-tr110-dual-phase3")


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


rows = []
for path in sorted(glob.glob(os.path.join(root, "*/*/run_*/metrics.json"))):
    doc = json.load(open(path))
    for agent in ("collector", "insight"):
        result = doc[agent]["result"]
        (run,) = result["individual_runs"]
        agg = result["aggregate_metrics"]
        assert abs(agg["average_tokens_per_second"] - run["throughput_tokens_per_sec"]) < 1e-9
        options = doc[agent]["config"].get("options") or {}
        rows.append({
            "file": os.path.relpath(path, root), "scenario": path.split(os.sep)[-4],
            "agent": agent, "num_ctx": options.get("num_ctx"),
            "tps": run["throughput_tokens_per_sec"], "load_ms": run["load_duration_ms"],
            "ttft_ms": run["ttft_ms"], "host": result["system_info"]["hostname"],
        })
df = pd.DataFrame(rows)
print(df.round(2).to_string())
out("runs", len(df))
out("hosts", sorted(df.host.unique()))
cold = df.load_ms > 1000
out("cold runs (load > 1 s)", df[cold][["file", "agent", "load_ms"]].to_dict("records"))
warm = df[~cold]
out("f1 warm median load_ms over the 29 warm calls", float(warm.load_ms.median()))
out("f2 cold load_ms (baseline-vs-chimera run_1 collector)", float(df[cold].load_ms.max()))
base = warm[(warm.agent == "collector") & warm.num_ctx.isna()]
out("f3 collector at defaults, warm, n", len(base))
out("f3 collector at defaults, warm mean tok/s", float(base.tps.mean()))
out("f4 collector at defaults, warm median tok/s", float(base.tps.median()))
tuned = warm[(warm.agent == "collector") & (warm.num_ctx == 512)]
out("f5 collector at num_ctx=512, n", len(tuned))
out("f5 collector at num_ctx=512 mean tok/s", float(tuned.tps.mean()))
out("f6 collector at num_ctx=512 median tok/s", float(tuned.tps.median()))
ins512 = warm[(warm.agent == "insight") & (warm.num_ctx == 512)]
out("f7 insight at num_ctx=512, n", len(ins512))
out("f7 insight at num_ctx=512 mean tok/s", float(ins512.tps.mean()))
ins1024 = warm[(warm.agent == "insight") & (warm.num_ctx == 1024)]
out("f8 insight at num_ctx=1024 (hetero), n", len(ins1024))
out("f8 insight at num_ctx=1024 mean tok/s", float(ins1024.tps.mean()))
homo = warm[warm.scenario == "chimera-homo"]
out("f9 homo collector mean tok/s (same config as the insight)",
    float(homo[homo.agent == "collector"].tps.mean()))
out("f10 homo insight mean tok/s", float(homo[homo.agent == "insight"].tps.mean()))
