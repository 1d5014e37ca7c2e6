"""Figures for llamacpppython-liltom-llama2webui-community-devices.

Usage: python llamacpppython-liltom-llama2webui-community-devices.py CORPUS_ROOT
liltom-eth/llama2-webui docs/performance.md: two community tables of llama2-webui's benchmark
(one figure per row, a reported mean): GPU rows (Llama-2-7b-chat-hf in 8 bit via transformers,
Llama-2-7b-Chat-GPTQ in 4 bit) and CPU / Metal rows (llama-2-7b-chat.ggmlv3 q2_K / q4_0 / q8_0
via llama-cpp-python). Device is the machine, but "Apple M2 CPU" / "Apple M2 Metal" (and "Apple
M1 Pro CPU") write the device the Mac ran on after it: one M2, two devices. Rows with empty
figure cells (16-bit rows, a blank row) measured nothing. load time (s) is the model load.
"""

import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamacpppython-liltom-llama2webui-community-devices")):
    root = os.path.join(root, "llamacpppython-liltom-llama2webui-community-devices")
rows = []
for line in open(os.path.join(root, "docs", "performance.md"), encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 6 and cells[0] not in ("Model", "") and not cells[0].startswith("---"):
        rows.append(cells)
t = pd.DataFrame(rows, columns=["model", "precision", "device", "memory", "tps", "load_s"])
t["tps"] = pd.to_numeric(t.tps, errors="coerce")
t["load_s"] = pd.to_numeric(t.load_s, errors="coerce")
print(t.to_string())
measured = t[t.tps.notna()]
print("rows with a figure", len(measured), "without", int(t.tps.isna().sum()))


def tps(model, device):
    return float(measured[(measured.model == model) & (measured.device == device)].tps.iloc[0])


def load(model, device):
    return float(measured[(measured.model == model) & (measured.device == device)].load_s.iloc[0])


def out(fid, v):
    print(f"{fid}: {v:.6g}")


Q2, Q4, Q8 = (f"llama-2-7b-chat.ggmlv3.{q}" for q in ("q2_K", "q4_0", "q8_0"))
out("f1 q2_K on Apple M2, Metal, tok/s", tps(Q2, "Apple M2 Metal"))
out("f2 q2_K on Apple M2, CPU, tok/s", tps(Q2, "Apple M2 CPU"))
out("f3 q4_0 on Apple M2, Metal, tok/s", tps(Q4, "Apple M2 Metal"))
out("f4 q4_0 on Apple M2, CPU, tok/s", tps(Q4, "Apple M2 CPU"))
out("f5 q4_0 on Apple M1 Pro CPU, tok/s", tps(Q4, "Apple M1 Pro CPU"))
out("f6 GPTQ on RTX 2080 Ti, tok/s", tps("Llama-2-7b-Chat-GPTQ", "NVIDIA RTX 2080 Ti"))
out("f7 GPTQ on GTX 1660 Super, tok/s", tps("Llama-2-7b-Chat-GPTQ", "NVIDIA GTX 1660 Super"))
out("f8 GPTQ on Colab T4, tok/s", tps("Llama-2-7b-Chat-GPTQ", "Google Colab T4"))
out("f9 hf 8bit on RTX 2080 Ti, tok/s", tps("Llama-2-7b-chat-hf", "NVIDIA RTX 2080 Ti"))
out("f10 hf 8bit on RTX 2080 Ti, load ms", 1000 * load("Llama-2-7b-chat-hf", "NVIDIA RTX 2080 Ti"))
out("f11 q8_0 on i7-8700, load ms", 1000 * load(Q8, "Intel i7-8700"))
out("f12 q4_0 on i7-8700, tok/s", tps(Q4, "Intel i7-8700"))
out("f13 q4_0 on Intel vServer, tok/s", tps(Q4, "Intel vServer 4 threads, eth services"))
out("f14 M2 Metal / M2 CPU on q2_K (ratio)", tps(Q2, "Apple M2 Metal") / tps(Q2, "Apple M2 CPU"))
