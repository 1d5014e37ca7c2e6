"""Figures for llamaserver-tkskkurumi-4x3080-parallel.

Usage: python llamaserver-tkskkurumi-4x3080-parallel.py CORPUS_ROOT
<MODEL>/result*.md: the author's bench_server.py report against llama-server (b7522, 4x RTX 3080
20 GB): one Markdown row per request (Task, Elapse s, Tokens/Prompt/Predict Per Second, Prompt and
Predict tokens), repeat=4 per task, `TestConfig(... parallel=N, vision=...)` saying the client
concurrency. The model is named only by the folder and the readme's headings.
<MODEL>/memory*.log: llama.cpp's memory breakdown table at server exit (MiB per GPU).
readme.md: the author's notes, with three tables: DeepSeek np=1 and Qwen3-VL np=1 (the same
rows as their result files) and a Qwen3-VL np=4 table of another run (not result.md's rows).
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamaserver-tkskkurumi-4x3080-parallel")):
    root = os.path.join(root, "llamaserver-tkskkurumi-4x3080-parallel")
pd.set_option("display.width", 250)

def tables(path):
    """Every pipe table of the file, as (rows, parallel) with the TestConfig / heading context."""
    out, rows, parallel = [], [], None
    text = open(os.path.join(root, path), encoding="utf-8").read()
    if m := re.search(r"TestConfig\(.*parallel=(\d+)", text):  # a result file's config, above or below its table
        parallel = int(m.group(1))
    for line in text.splitlines():
        line = line.strip()
        if m := re.match(r"Parallel = (\d+)", line):  # the readme: a line above each table
            parallel = int(m.group(1))
        if line.startswith("|") and not line.startswith("|--") and not line.startswith("|Task"):
            c = [x.strip() for x in line.strip("|").split("|")]
            rows.append({"task": c[0], "elapse_s": float(c[1]), "tokens_s": float(c[2]), "prompt_s": float(c[3]),
                         "predict_s": float(c[4]), "prompt": int(c[5]), "predict": int(c[6])})
        elif rows and not line.startswith("|"):
            out.append((pd.DataFrame(rows), parallel)); rows = []
    if rows:
        out.append((pd.DataFrame(rows), parallel))
    return out

FILES = {
    "DeepSeekV3.1-Terminus-TQ1/result-np=1.md": "DeepSeek-V3.1-Terminus UD-TQ1_0",
    "GLM-4.6/result.md": "GLM-4.6 UD-TQ1_0",
    "GLM-4.6V/result.md": "GLM-4.6V UD-Q4_K_XL",
    "Qwen3-Next-80B/result.md": "Qwen3-Next-80B UD-Q6_K_XL",
    "Qwen3-VL-235B-IQ1_M/result.md": "Qwen3-VL-235B-A22B-Instruct UD-IQ1_M",
    "Qwen3-VL-235B-IQ1_M/result-np1.md": "Qwen3-VL-235B-A22B-Instruct UD-IQ1_M",
}
frames = []
for path, model in FILES.items():
    [(df, parallel)] = tables(path)
    frames.append(df.assign(file=path, model=model, parallel=parallel))
df = pd.concat(frames, ignore_index=True)
# Tokens Per Second is (Prompt + Predict) / Elapse: the whole request, not the generation rate.
dev = ((df.prompt + df.predict) / df.elapse_s - df.tokens_s).abs()
print("tokens_s vs (prompt+predict)/elapse, largest difference:", round(float(dev.max()), 3), "at", df.loc[dev.idxmax(), ["file", "elapse_s", "tokens_s"]].tolist())
s = df.groupby(["file", "parallel", "task"]).agg(n=("predict_s", "size"), predict_mean=("predict_s", "mean"),
    predict_max=("predict_s", "max"), prompt_mean=("prompt_s", "mean"), elapse_mean=("elapse_s", "mean"))
print(s.round(4).to_string())
per_file = df.groupby("file").agg(n=("predict_s", "size"), predict_mean=("predict_s", "mean"), prompt_mean=("prompt_s", "mean"))
print(per_file.round(4).to_string())
readme = tables("readme.md")
for t, p in readme:
    print("readme table parallel", p, "rows", len(t), "predict mean", round(t.predict_s.mean(), 4))
vl4 = df[df.file == "Qwen3-VL-235B-IQ1_M/result.md"].reset_index(drop=True)
print("readme np4 table equals result.md:", readme[1][0][["elapse_s", "predict_s"]].equals(vl4[["elapse_s", "predict_s"]]))
print("readme np1 table equals result-np1.md:", readme[2][0].equals(df[df.file.str.endswith("result-np1.md")].reset_index(drop=True)[readme[2][0].columns]))
print("readme DeepSeek table equals result-np=1.md:", readme[0][0].equals(df[df.file.str.startswith("DeepSeek")].reset_index(drop=True)[readme[0][0].columns]))
def F(path, task, col, stat="mean"):
    return float(getattr(df[(df.file == path) & (df.task == task)][col], stat)())
print("f1 DeepSeek np1 doc predict mean", F("DeepSeekV3.1-Terminus-TQ1/result-np=1.md", "Document Understanding", "predict_s"))
print("f2 DeepSeek np1 doc prompt mean", F("DeepSeekV3.1-Terminus-TQ1/result-np=1.md", "Document Understanding", "prompt_s"))
print("f3 GLM-4.6 np4 doc predict mean", F("GLM-4.6/result.md", "Document Understanding", "predict_s"))
print("f4 Qwen3-Next np4 doc predict mean", F("Qwen3-Next-80B/result.md", "Document Understanding", "predict_s"))
print("f5 Qwen3-Next np4 doc prompt mean", F("Qwen3-Next-80B/result.md", "Document Understanding", "prompt_s"))
print("f6 Qwen3-VL np4 doc predict mean", F("Qwen3-VL-235B-IQ1_M/result.md", "Document Understanding", "predict_s"))
print("f7 Qwen3-VL np1 doc predict mean", F("Qwen3-VL-235B-IQ1_M/result-np1.md", "Document Understanding", "predict_s"))
print("f8 Qwen3-VL np4 vision predict mean", F("Qwen3-VL-235B-IQ1_M/result.md", "Vision Understanding", "predict_s"))
print("f9 Qwen3-VL np1 vision predict mean", F("Qwen3-VL-235B-IQ1_M/result-np1.md", "Vision Understanding", "predict_s"))
print("f10 GLM-4.6V np4 vision predict mean", F("GLM-4.6V/result.md", "Vision Understanding", "predict_s"))
print("f11 GLM-4.6V np4 doc prompt max", F("GLM-4.6V/result.md", "Document Understanding", "prompt_s", "max"))
print("f12 Qwen3-VL np1 doc prompt mean", F("Qwen3-VL-235B-IQ1_M/result-np1.md", "Document Understanding", "prompt_s"))
print("f13 Qwen3-VL np4 (readme run) doc predict mean", float(readme[1][0].query("task == 'Document Understanding'").predict_s.mean()))
print("f14 GLM-4.6 np4 predict min", F("GLM-4.6/result.md", "Document Understanding", "predict_s", "min"))
for log in ["GLM-4.6/memory.log", "Qwen3-VL-235B-IQ1_M/memory.log", "DeepSeekV3.1-Terminus-TQ1/memory-np=1.log"]:
    host = [l for l in open(os.path.join(root, log)) if "Host" in l][0]
    print(log, "host MiB", re.findall(r"\|\s+(\d+) =", host))
