"""Figures for ollama-haxxonhax-rpi-verbose-loop-prompt-files.

Usage: python ollama-haxxonhax-rpi-verbose-loop-prompt-files.py CORPUS_ROOT
MANUAL_TESTING.md: a note of `ollama run --verbose MODEL < PROMPT_FILE` calls inside an
ollama-server pod on a Raspberry Pi k3s cluster. Per model a `### MODEL` heading, then
`#### PROMPT 1: ollama run MODEL < cover_letter_prompt.txt` and `PROMPT 2: ... <
bard_prompt.txt` headings, each above the model's reply and its `--verbose` statistics.
"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-haxxonhax-rpi-verbose-loop-prompt-files")):
    root = os.path.join(root, "ollama-haxxonhax-rpi-verbose-loop-prompt-files")
text = open(os.path.join(root, "MANUAL_TESTING.md"), encoding="utf-8").read().splitlines()


def go_ms(s: str) -> float:
    unit_ms = {"h": 3.6e6, "m": 6e4, "s": 1e3, "ms": 1.0, "µs": 1e-3}
    return sum(float(n) * unit_ms[u] for n, u in re.findall(r"([\d.]+)(ms|µs|h|m|s)", s))


rows, model, prompt, cur = [], None, None, {}
for line in text:
    heading = re.match(r"^#+\s*PROMPT \d+: ollama run (\S+) < (\S+)", line)
    if heading:
        model, prompt = heading.groups()
        continue
    m = re.match(r"^(total duration|load duration|prompt eval rate|eval rate|eval count):\s+(\S+)", line)
    if m and model:
        key, raw = m.groups()
        if key == "total duration" and cur:
            rows.append(cur)
            cur = {}
        cur.setdefault("model", model)
        cur.setdefault("prompt", prompt)
        cur[key] = go_ms(raw) if "duration" in key else float(raw)
if cur:
    rows.append(cur)
df = pd.DataFrame(rows)
print("runs:", len(df), "models:", df.model.nunique())
print(df.groupby("prompt").size().to_string())
print(df.to_string())
cold = df["load duration"] >= 1000
print("cold rows (load >= 1 s):", int(cold.sum()), "warm:", int((~cold).sum()))
print("cold by prompt:", df[cold].groupby("prompt").size().to_dict())


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


bard = df[df.prompt == "bard_prompt.txt"].set_index("model")
out("f1 gemma3:1b-it-q4_K_M eval rate, bard (warm)", float(bard.loc["gemma3:1b-it-q4_K_M", "eval rate"]))
out("f2 openhermes:7b-mistral-v2.5-q6_K eval rate, bard", float(bard.loc["openhermes:7b-mistral-v2.5-q6_K", "eval rate"]))
out("f3 dolphin-phi:2.7b-v2.6-q8_0 eval rate, bard", float(bard.loc["dolphin-phi:2.7b-v2.6-q8_0", "eval rate"]))
out("f4 dolphin-phi:2.7b-v2.6-q8_0 prompt eval rate, bard", float(bard.loc["dolphin-phi:2.7b-v2.6-q8_0", "prompt eval rate"]))
out("f5 gemma3:1b-it-q4_K_M prompt eval rate, bard", float(bard.loc["gemma3:1b-it-q4_K_M", "prompt eval rate"]))
out("f6 dolphin-phi:2.7b eval rate, bard", float(bard.loc["dolphin-phi:2.7b", "eval rate"]))
out("f7 mistral:7b eval rate, bard", float(bard.loc["mistral:7b", "eval rate"]))
out("f8 longest load (ms)", float(df["load duration"].max()))
out("f8 model", df.loc[df["load duration"].idxmax(), ["model", "prompt"]].tolist())
out("f9 median load of the warm calls (ms)", float(df.loc[~cold, "load duration"].median()))
cover = df[df.prompt == "cover_letter_prompt.txt"].set_index("model")
out("f10 dolphin-phi:2.7b-v2.6-q8_0 eval rate, cover letter (cold call)", float(cover.loc["dolphin-phi:2.7b-v2.6-q8_0", "eval rate"]))
out("f11 dolphin-phi:2.7b-v2.6-q8_0 load, cover letter (ms)", float(cover.loc["dolphin-phi:2.7b-v2.6-q8_0", "load duration"]))
