"""Figures for community-prismml-bonsai-llamacpp-mlx-machines.

Usage: python community-prismml-bonsai-llamacpp-mlx-machines.py CORPUS_ROOT
PrismML-Eng/Bonsai-demo's community-benchmarks/: one Markdown note per machine and backend
(bonsai/ for the 1-bit models, ternary-bonsai/ for the 2-bit ternary ones), each holding
llama-bench's `-o md` tables (a `test` column, pp512/tg128, and `t/s` as "mean ± std" of
llama-bench's repetitions, 5 by default) pasted from the console, some a summary table
restating them, and in two MLX notes mlx_lm.benchmark's trial lines or a harness's
"pp512 : 465.97 ± 10.21 t/s" lines. Two templates hold placeholders, not results.
"""

import os
import re
import sys
from pathlib import Path

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
corpus = "community-prismml-bonsai-llamacpp-mlx-machines"
if os.path.isdir(os.path.join(root, corpus)):
    root = os.path.join(root, corpus)
root = Path(root)
rows = []
trials = []
for path in sorted(root.rglob("*.md")):
    rel = str(path.relative_to(root))
    header = None
    for line in path.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.strip().startswith("|") and "test" in cells and "t/s" in cells:
            header = cells
            continue
        if header and line.strip().startswith("|") and len(cells) == len(header):
            rec = dict(zip(header, cells))
            m = re.match(r"([\d.]+)\s*±\s*([\d.]+)", rec.get("t/s", ""))
            if m and re.match(r"^(pp|tg)\d+", rec.get("test", "")):
                rows.append({"file": rel, "model": rec["model"], "backend": rec.get("backend"),
                             "test": rec["test"], "mean": float(m.group(1)), "std": float(m.group(2))})  # fmt: skip
            continue
        if not line.strip().startswith("|"):
            header = None if line.strip() else header
        t = re.match(r"Trial (\d+):\s+prompt_tps=([\d.]+), generation_tps=([\d.]+)", line)
        if t:
            trials.append({"file": rel, "trial": int(t.group(1)), "pp": float(t.group(2)),
                           "tg": float(t.group(3))})  # fmt: skip
df = pd.DataFrame(rows).drop_duplicates()
pd.set_option("display.width", 200)
print(df.groupby("file").size().to_string())
print(df[df.test.isin(["pp512", "tg128"])].to_string())
tr = pd.DataFrame(trials)
print(tr.to_string())


def out(fid, v):
    print(f"{fid}: {v:.6g}" if isinstance(v, float) else f"{fid}: {v}")


def cell(file, model, test):
    sel = df[(df.file == file) & (df.model.str.startswith(model)) & (df.test == test)]
    assert len(sel) == 1, (file, model, test, sel)
    return float(sel["mean"].iloc[0])


T27 = "qwen35 27B Q2_0"
out(
    "f1 tg128 Ternary-27B RTX PRO 6000",
    cell("ternary-bonsai/cuda-rtx-pro-6000-blackwell-linux.md", T27, "tg128"),
)
out("f2 tg128 Ternary-27B L40S", cell("ternary-bonsai/cuda-l40s-linux.md", T27, "tg128"))
out(
    "f3 tg128 Ternary-27B GTX 1080 Ti", cell("ternary-bonsai/cuda-gtx1080ti-linux.md", T27, "tg128")
)
out("f4 tg128 Ternary-27B M3 Pro", cell("ternary-bonsai/metal-m3-pro-macos.md", T27, "tg128"))
out(
    "f5 tg128 Ternary-27B M4 Pro 64GB (Metal)",
    cell("ternary-bonsai/metal-m4-pro-64gb-macos.md", T27, "tg128"),
)
out("f6 tg128 Bonsai-8B GB10", cell("bonsai/cuda-gb10-linux.md", "qwen3 8B", "tg128"))
out("f7 tg128 Bonsai-8B RTX 3080", cell("bonsai/cuda-rtx3080-linux.md", "qwen3 8B", "tg128"))
out("f8 pp512 Bonsai-8B RTX 3080", cell("bonsai/cuda-rtx3080-linux.md", "qwen3 8B", "pp512"))
out(
    "f9 tg128 Bonsai-8B Strix Halo ROCm",
    cell("bonsai/rocm-hip-strix-halo-128gb-archlinux.md", "qwen3 8B", "tg128"),
)
out(
    "f10 tg128 Bonsai-8B Strix Halo Vulkan",
    cell("bonsai/vulkan-strix-halo-128gb-archlinux.md", "qwen3 8B", "tg128"),
)
out(
    "f11 tg128 Bonsai-8B M4 Pro 48GB (Metal)",
    cell("bonsai/metal-m4-pro-48gb-macos.md", "qwen3 8B", "tg128"),
)
m4 = tr[tr.file == "ternary-bonsai/mlx-m4-pro-64gb-macos.md"]
out("f12 MLX M4 Pro 64GB mean generation over 5 trials", float(m4.tg.mean()))
out("f13 MLX M4 Pro 64GB mean prompt rate over 5 trials", float(m4.pp.mean()))
out("f14 MLX M4 Pro 64GB min generation trial", float(m4.tg.min()))
out(
    "ROCm / Vulkan Bonsai-8B tg128",
    cell("bonsai/rocm-hip-strix-halo-128gb-archlinux.md", "qwen3 8B", "tg128")
    / cell("bonsai/vulkan-strix-halo-128gb-archlinux.md", "qwen3 8B", "tg128"),
)
out(
    "MLX / Metal on M4 Pro 64GB tg",
    float(m4.tg.mean()) / cell("ternary-bonsai/metal-m4-pro-64gb-macos.md", T27, "tg128"),
)
