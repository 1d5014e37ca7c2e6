"""Figures for ollama-dambergn-verbose-six-machines.

Usage: python ollama-dambergn-verbose-six-machines.py CORPUS_ROOT
data/<model> <machine>.md: one `ollama run --verbose` answer (prompt "Tell me about the speed of light."), with the
verbose metrics block; durations are Go duration strings (e.g. 1m33.536117746s, 828ms, 7.492s): minutes appear on the
Raspberry Pi and Xeon runs. Some files also paste `ollama ps` (NAME ... PROCESSOR). results/*.md and README.md restate
the eval rates per machine. Machine = the file-name suffix.
"""
import glob
import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-dambergn-verbose-six-machines")):
    root = os.path.join(root, "ollama-dambergn-verbose-six-machines")
def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")

def go_dur_s(s):
    tot = 0.0
    for num, unit in re.findall(r"([\d.]+)(h|ms|µs|us|ns|m|s)", s.strip()):
        tot += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}[unit]
    return tot
MACH = [("2xP40_48gb", "2x Tesla P40"), ("P40_24gb", "Tesla P40"), ("4060Ti_16g", "RTX 4060 Ti 16GB"), ("4060ti_16gb", "RTX 4060 Ti 16GB"),
        ("2xXeon", "2x Xeon E5-2690 v4 (CPU)"), ("2Xxeon", "2x Xeon E5-2690 v4 (CPU)"), ("Raspberry Pi 4", "Raspberry Pi 4"), ("Raspberry Pi4", "Raspberry Pi 4"),
        ("Raspberry Pi 5", "Raspberry Pi 5")]
rows = []
for f in sorted(glob.glob(os.path.join(root, "data", "*.md"))):
    name = os.path.basename(f)[:-3]; t = open(f, encoding="utf-8").read()
    mach = next((m for k, m in MACH if k in name), None)
    r = dict(file="data/" + os.path.basename(f), machine=mach)
    ps = re.search(r"^(\S+)\s+[0-9a-f]{12}\s+(\S+ [GM]B)\s+(.+?)\s{2,}", t, re.M)
    r["ps_model"], r["ps_processor"] = (ps.group(1), ps.group(3).strip()) if ps else (None, None)
    for k in ["total duration", "load duration", "prompt eval duration", "eval duration"]:
        m = re.search(rf"^{k}:\s+(\S+)", t, re.M); r[k] = go_dur_s(m.group(1)) if m else None
    for k in ["prompt eval count", "eval count"]:
        m = re.search(rf"^{k}:\s+(\d+)", t, re.M); r[k] = int(m.group(1)) if m else None
    for k in ["prompt eval rate", "eval rate"]:
        m = re.search(rf"^{k}:\s+([\d.]+)", t, re.M); r[k] = float(m.group(1)) if m else None
    rows.append(r)
df = pd.DataFrame(rows)
out("data files", len(df)); out("f17 files with metrics (measured answers)", int(df["eval rate"].notna().sum()))
print("void (no metrics):", df[df["eval rate"].isna()].file.tolist())
print(df[df["eval rate"].notna()].groupby("machine").size())
ok = df[df["eval rate"].notna()].copy()
ok["rate_check"] = ok["eval count"] / ok["eval duration"]
out("max |eval_count/eval_duration - eval rate|", float((ok.rate_check - ok["eval rate"]).abs().max()))
out("files with minutes in total duration", int(sum("m" in re.search(r"total duration:\s+(\S+)", open(os.path.join(root, p), encoding="utf-8").read()).group(1).replace("ms", "") for p in ok.file)))
cold = ok[ok["load duration"] > 1]
print("cold rows (load > 1 s):"); print(cold[["file", "load duration", "total duration"]].to_string())
print(ok[["file", "machine", "ps_model", "ps_processor", "load duration", "eval rate"]].to_string())
E = lambda fn: float(ok[ok.file == "data/" + fn].iloc[0]["eval rate"])
out("f1 llama3.2:1b eval rate RTX 4060 Ti", E("Llama3.2_1b 4060Ti_16gb.md"))
out("f2 llama3.2:1b eval rate P40", E("llama3.2_1b P40_24gb.md"))
out("f3 llama3.2:1b eval rate 2xXeon", E("llama3.2_1b 2xXeon.md"))
out("f4 llama3.2:1b eval rate Pi 5", E("Llama3.2_1b Raspberry Pi 5.md"))
out("f5 llama3.2:1b eval rate Pi 4", E("ollama3.2_1b Raspberry Pi4.md"))
out("f6 deepseek-r1:1.5b eval rate Pi 5", E("Deepseek-r1_1.5b Raspberry Pi 5.md"))
out("f7 deepseek-r1:70b eval rate 2xP40", E("deepseek-r1_70b 2xP40_48gb.md"))
out("f8 deepseek-r1:70b eval rate 2xXeon", E("deepseek-r1_70b 2xXeon.md"))
out("f9 qwen2.5:72b eval rate 2xP40 (file says 70b)", E("qwen2.5_70b 2xP40_48gb.md"))
out("f10 qwen2.5:14b eval rate 4060 Ti", E("qwen2.5_14b 4060Ti_16gb.md"))
out("f11 qwen2.5:14b eval rate P40", E("qwen2.5_14b P40_24gb.md"))
out("f12 qwen2.5:1.5b prompt eval rate P40", float(ok[ok.file == "data/qwen2.5_1.5b P40_24gb.md"]["prompt eval rate"].iloc[0]))
out("f13 qwen2.5:1.5b prompt eval rate 4060 Ti", float(ok[ok.file == "data/qwen2.5_1.5b 4060ti_16gb.md"]["prompt eval rate"].iloc[0]))
out("cold rows", len(cold))
out("f14 load duration qwen2.5_70b 2xXeon (ms)", 1000 * float(ok[ok.file == "data/qwen2.5_70b 2xXeon.md"]["load duration"].iloc[0]))
out("load duration deepseek-r1_32b P40 (ms)", 1000 * float(ok[ok.file == "data/deepseek-r1_32b P40_24gb.md"]["load duration"].iloc[0]))
out("f15 median load duration of the other (warm) rows (ms)", 1000 * float(ok[ok["load duration"] <= 1]["load duration"].median()))
out("f16 deepseek-r1:7b total duration Pi 4 (ms)", 1000 * float(ok[ok.file == "data/Deepseek-r1_7b Raspberry Pi 4.md"]["total duration"].iloc[0]))
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
m = re.search(r"\| Deepseek-R1:1.5b \|[^\n]*", readme); out("README Deepseek-R1:1.5b row", m.group(0))
m = re.search(r"\| Qwen2.5:72b[^\n]*", readme); out("README Qwen2.5:72b row", m.group(0))
# README vs data: all eval rates of the machines columns

# README.md table vs data files (columns: Pi 4, Pi 5, 4060Ti, P40, 2xP40, 2xXeonHT)
cols = ["Raspberry Pi 4", "Raspberry Pi 5", "RTX 4060 Ti 16GB", "Tesla P40", "2x Tesla P40", "2x Xeon E5-2690 v4 (CPU)"]
def key(fn):
    b = os.path.basename(fn).lower()
    m = re.match(r"(o?llama3\.[23]|dee[kp]seek-r1|qwen2\.5|phi3|gemma2)_([\d.]+b?)", b)
    fam = {"ollama3.2": "llama3.2", "deekseek-r1": "deepseek-r1"}.get(m.group(1), m.group(1))
    size = m.group(2) if m.group(2).endswith("b") else m.group(2) + "b"
    return f"{fam}:{size}"
ok["key"] = ok.file.map(key)
mism = []
for line in readme.splitlines():
    c = [x.strip() for x in line.strip().strip("|").split("|")]
    if len(c) < 3 or ":" not in c[0]: continue
    k = c[0].lower().replace("qwen2.5:72b", "qwen2.5:70b").replace("phi3:3.8b", "phi3:3.8b")
    for col, v in zip(cols, c[2:]):
        d = ok[(ok.key == k) & (ok.machine == col)]
        try: fv = float(v)
        except ValueError: fv = None
        dv = float(d["eval rate"].iloc[0]) if len(d) else None
        if fv != dv: mism.append((k, col, v, dv))
out("README cells disagreeing with data files", len(mism))
for m in mism: print("  ", m)

# f18: where the 2xP40's qwen2.5:72b sat, as the `ollama ps` captured after its run says
# ("qwen2.5:72b  424bad2cc13f  52 GB  4%/96% CPU/GPU  4 minutes from now")
with open(os.path.join(root, "data", "qwen2.5_70b 2xP40_48gb.md"), encoding="utf-8") as fh:
    ps = [ln for ln in fh if re.match(r"\s*qwen2\.5:72b\s+[0-9a-f]{12}\s", ln)]
assert len(ps) == 1, ps
cpu, gpu = map(int, re.search(r"(\d+)%/(\d+)% CPU/GPU", ps[0]).groups())
out("f18 qwen2.5:72b share in VRAM on 2xP40 (%)", gpu)
