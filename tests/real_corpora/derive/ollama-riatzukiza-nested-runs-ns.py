"""Figures for ollama-riatzukiza-nested-runs-ns.

Usage: python ollama-riatzukiza-nested-runs-ns.py CORPUS_ROOT
reports*/<name>.json: a Babashka bench script's output, a list of {model, prompt, runs: [...],
summary: {...}}; each run holds Ollama's /api/chat or /api/generate fields with an _ns suffix
(total_duration_ns, load_duration_ns, eval_duration_ns, prompt_eval_duration_ns: NANOSECONDS),
eval_count, prompt_eval_count, the script's own wall clock duration_ms and tps =
eval_count / eval_duration. Tool benchmarks add tool_calls / tool_execution (the harness
executing the tool: its errors are the harness's). "ok": false (status 400) is a failed call.
The .md beside a JSON restates its summaries; the .edn beside it is the same data in EDN.
"""

import glob
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-riatzukiza-nested-runs-ns")):
    root = os.path.join(root, "ollama-riatzukiza-nested-runs-ns")

rows = []
for path in sorted(glob.glob(os.path.join(root, "reports*", "*.json"))):
    rel = os.path.relpath(path, root)
    for i, entry in enumerate(json.load(open(path))):
        for j, r in enumerate(entry["runs"]):
            rows.append(
                dict(
                    file=rel,
                    entry=i,
                    run=j,
                    model=entry["model"],
                    prompt=entry["prompt"],
                    ok=r["ok"],
                    status=r.get("status"),
                    duration_ms=r["duration_ms"],
                    total_ms=r.get("total_duration_ns", float("nan")) / 1e6,
                    load_ms=r.get("load_duration_ns", float("nan")) / 1e6,
                    eval_count=r.get("eval_count"),
                    tps=r.get("tps"),
                    prompt_eval_count=r.get("prompt_eval_count"),
                    prompt_eval_ms=r.get("prompt_eval_duration_ns", float("nan")) / 1e6,
                    tool_errors=sum(1 for t in (r.get("tool_execution") or []) if t.get("error")),
                )
            )
df = pd.DataFrame(rows)
print(
    df.groupby("file")
    .agg(runs=("ok", "size"), ok=("ok", "sum"), tool_errors=("tool_errors", "sum"))
    .to_string()
)


def out(fid, v, n=None):
    print(f"{fid}: {v:.6g}" + (f"  (n={n})" if n is not None else ""))


# EDN twins: the same runs (duration_ms sequence) as the JSON beside them
for path in sorted(glob.glob(os.path.join(root, "reports*", "*.edn"))):
    rel = os.path.relpath(path, root)
    edn = [int(v) for v in re.findall(r":duration_ms (\d+)", open(path).read())]
    js = df[df.file == rel[:-4] + ".json"].duration_ms.tolist()
    print(rel, "same runs as the JSON:", edn == js)

ok = df[df.ok]


# Cold: a call whose load_duration is a load: >= 1 s while the same model's other calls in
# that file load in well under a second (warm calls here: 0.06-0.6 s).
def cold(g):
    usual = g.load_ms.quantile(0.25)
    return (g.load_ms >= 1000) & (g.load_ms >= 5 * usual)


ok = ok.assign(cold=ok.groupby(["file", "model"], group_keys=False).apply(cold))
print(ok[ok.cold][["file", "model", "prompt", "run", "load_ms"]].to_string())
print("cold per file:")
print(ok.groupby("file").cold.sum().to_string())
warm = ok[~ok.cold]
M = "reports/ollama-bench.json"


def sel(f, m, d=ok):
    return d[(d.file == f) & (d.model == m)]


out(
    "f1 reports/: llama3.2 mean tps over all ok runs",
    sel(M, "llama3.2:latest").tps.mean(),
    len(sel(M, "llama3.2:latest")),
)
out("f2 reports/: qwen3:4b mean tps", sel(M, "qwen3:4b").tps.mean(), len(sel(M, "qwen3:4b")))
out(
    "f3 reports/: gemma3 mean tps", sel(M, "gemma3:latest").tps.mean(), len(sel(M, "gemma3:latest"))
)
out(
    "f4 reports/: llama3.2 mean tps warm",
    sel(M, "llama3.2:latest", warm).tps.mean(),
    len(sel(M, "llama3.2:latest", warm)),
)
out(
    "f5 reports/: gemma3 mean tps warm",
    sel(M, "gemma3:latest", warm).tps.mean(),
    len(sel(M, "gemma3:latest", warm)),
)
out("f6 reports/: qwen3:4b mean eval_count", sel(M, "qwen3:4b").eval_count.mean(), 8)
out("f7 reports/: llama3.2 mean eval_count", sel(M, "llama3.2:latest").eval_count.mean(), 8)
out("f8 largest load (cold)", ok.load_ms.max())
print(ok.loc[ok.load_ms.idxmax(), ["file", "model", "prompt"]].to_dict())
out("f9 reports/: gemma3 max load", sel(M, "gemma3:latest").load_ms.max())
T = "reports-tool-eval/ollama-tool-eval-bench.json"
out("f10 tool-eval failed calls (ok false, status 400)", float((~df[df.file == T].ok).sum()))
print(
    "statuses of failed:",
    df[(df.file == T) & ~df.ok].status.unique(),
    df[(df.file == T) & ~df.ok].model.unique(),
)
out(
    "f11 tool-eval ok runs with a tool execution error",
    float((ok[ok.file == T].tool_errors > 0).sum()),
)
out(
    "f12 tool-eval qwen3 mean duration_ms (client, incl. tool execution + follow-up)",
    sel(T, "qwen3:4b").duration_ms.mean(),
    20,
)
out("f13 tool-eval qwen3 mean total_duration (Ollama)", sel(T, "qwen3:4b").total_ms.mean(), 20)
out("f14 tool-eval llama3.2 mean tps", sel(T, "llama3.2:latest").tps.mean(), 20)
out("f15 tool-eval qwen3 mean tps", sel(T, "qwen3:4b").tps.mean(), 20)
out("f16 measured (ok) runs over the five JSON files", float(len(ok)))
out(
    "f17 reports-dev qwen3 mean tps", sel("reports-dev/ollama-bench.json", "qwen3:4b").tps.mean(), 4
)
out(
    "f18 reports-dev gemma3 'Hello world' run 1 load ms",
    float(sel("reports-dev/ollama-bench.json", "gemma3:latest").load_ms.iloc[0]),
)
# summaries: mean_tps over ok runs (the cold ones included)
d = json.load(open(os.path.join(root, M)))
s = [
    (e["model"], e["prompt"][:20], e["summary"]["mean_tps"], e["summary"]["mean_duration_ms"])
    for e in d
]
print(pd.DataFrame(s, columns=["model", "prompt", "mean_tps", "mean_duration_ms"]).to_string())
g = ok[ok.file == M].groupby(["entry"]).agg(tps=("tps", "mean"), dur=("duration_ms", "mean"))
out(
    "f19 max |summary mean_tps - mean of its runs| in reports/",
    float(max(abs(a - b) for a, b in zip(g.tps, [x[2] for x in s]))),
)
out("f20 reports/ gemma3 'Hello world' mean_duration_ms (includes a cold load)", float(s[8][3]))
