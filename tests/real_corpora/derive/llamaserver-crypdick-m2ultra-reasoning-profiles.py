"""Figures for llamaserver-crypdick-m2ultra-reasoning-profiles.

Usage: python llamaserver-crypdick-m2ultra-reasoning-profiles.py CORPUS_ROOT
results/runs/<run-id>.json: one llama-server session of one model and reasoning profile
(fast/balanced/deep: max_tokens 8192/16384/32768, reasoning_budget 4096/10000/24000) on an
Apple M2 Ultra Mac Studio (host.hardware_model Mac14,14, 192 GiB). tasks[]: the four agentic
tasks, each a run with llama-server's own prompt/decode timings; aggregate{}: the session's
totals (token-weighted rates, load_s = server start before the tasks), not a fifth run.
"""

import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamaserver-crypdick-m2ultra-reasoning-profiles")):
    root = os.path.join(root, "llamaserver-crypdick-m2ultra-reasoning-profiles")
rows, agg = [], []
for f in sorted(glob.glob(os.path.join(root, "results", "runs", "*.json"))):
    d = json.load(open(f))
    for t in d["tasks"]:
        rows.append({"model": d["model_key"], "profile": d["profile"]["name"], **t})
    agg.append({"model": d["model_key"], "profile": d["profile"]["name"], **d["aggregate"]})
t = pd.DataFrame(rows)
a = pd.DataFrame(agg).set_index(["model", "profile"])
g = t.groupby(["model", "profile"])


def out(fid, v):
    print(f"{fid}: {v:.6g}")


print("tasks (runs):", len(t), "failed:", int((~t.ok).sum()))
out("f1 mimo fast mean task decode_tps", g.decode_tps.mean()[("mimo-v2.5", "fast")])
out("f2 mimo fast aggregate decode_tps", a.loc[("mimo-v2.5", "fast"), "decode_tps"])
out("f3 deepseek fast mean task decode_tps", g.decode_tps.mean()[("deepseek-v4-flash", "fast")])
out("f4 deepseek fast aggregate decode_tps", a.loc[("deepseek-v4-flash", "fast"), "decode_tps"])
out("f5 qwen fast mean task decode_tps", g.decode_tps.mean()[("qwen3-235b-a22b", "fast")])
out("f6 mimo fast mean task prompt_tps", g.prompt_tps.mean()[("mimo-v2.5", "fast")])
out("f7 minimax fast mean task prompt_tps", g.prompt_tps.mean()[("minimax-m2.7", "fast")])
out(
    "f8 minimax deep concurrency decode_tps",
    t[
        (t.model == "minimax-m2.7") & (t.profile == "deep") & (t.task == "concurrency")
    ].decode_tps.iloc[0],
)
out("f9 minimax deep mean task decode_tps", g.decode_tps.mean()[("minimax-m2.7", "deep")])
out("f10 qwen deep aggregate decode_tps", a.loc[("qwen3-235b-a22b", "deep"), "decode_tps"])
out("f11 deepseek deep mean task decode_tps", g.decode_tps.mean()[("deepseek-v4-flash", "deep")])
out("f12 mean load_s over 12 sessions (s)", a.load_s.mean())
out(
    "ratio mimo fast/deepseek fast (task means)",
    g.decode_tps.mean()[("mimo-v2.5", "fast")] / g.decode_tps.mean()[("deepseek-v4-flash", "fast")],
)
out(
    "ratio deepseek fast/deep (task means)",
    g.decode_tps.mean()[("deepseek-v4-flash", "fast")]
    / g.decode_tps.mean()[("deepseek-v4-flash", "deep")],
)
same = t[t.model == "qwen3-235b-a22b"].pivot(
    index="task", columns="profile", values="completion_tokens"
)
print(same)
