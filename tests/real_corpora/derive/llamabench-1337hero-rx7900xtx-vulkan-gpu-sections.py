"""Figures for corpus llamabench-1337hero-rx7900xtx-vulkan-gpu-sections (llama-bench Markdown captured
by a shell script, three sections per file: GPU 0 only, GPU 1 only, both GPUs).
Usage: python llamabench-1337hero-rx7900xtx-vulkan-gpu-sections.py <corpus_root>/llamabench-1337hero-rx7900xtx-vulkan-gpu-sections"""

import glob
import os
import re
import sys

import pandas as pd

root = sys.argv[1]
rows = []
for path in sorted(glob.glob(os.path.join(root, "benchmark-results", "*.txt"))):
    rel = os.path.relpath(path, root)
    section, header = None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("### "):
            section = line.strip("# ").strip()
            header = None
        elif line.startswith("| model"):
            header = [c.strip() for c in line.strip("|").split("|")]
        elif header and line.startswith("| llama"):
            cells = dict(zip(header, [c.strip() for c in line.strip("|").split("|")]))
            mean, std = (float(x) for x in cells["t/s"].split("±"))
            rows.append(
                {
                    "file": rel,
                    "section": section,
                    "fa": int(cells["fa"]),
                    "n_batch": int(cells.get("n_batch", 2048)),
                    "test": cells["test"],
                    "ts": mean,
                    "std": std,
                }
            )
df = pd.DataFrame(rows)
df["gpus"] = df.section.map(
    lambda s: "dual" if s.startswith("DUAL") else ("gpu0" if s.startswith("GPU 0") else "gpu1")
)
print("rows per file", df.groupby("file").size().to_dict())
print(
    df.pivot_table(index=["file", "gpus", "fa", "n_batch"], columns="test", values="ts").to_string()
)


def v(stamp, gpus, fa, test):
    sel = df[df.file.str.contains(stamp) & (df.gpus == gpus) & (df.fa == fa) & (df.test == test)]
    assert len(sel) == 1, (stamp, gpus, fa, test, len(sel))
    return float(sel.ts.iloc[0])


F = {
    "f1 gpu1 top slot tg128 (143639)": v("143639", "gpu1", 1, "tg128"),
    "f2 gpu1 top slot pp512 (143639)": v("143639", "gpu1", 1, "pp512"),
    "f3 dual tg128 (143639)": v("143639", "dual", 1, "tg128"),
    "f4 dual pp512 (143639)": v("143639", "dual", 1, "pp512"),
    "f5 gpu0 bottom slot tg128 (143639)": v("143639", "gpu0", 1, "tg128"),
    "f6 gpu0 fa0 tg128 (072744)": v("072744", "gpu0", 0, "tg128"),
    "f7 gpu0 fa1 tg128 (072744)": v("072744", "gpu0", 1, "tg128"),
    "f8 gpu1 fa0 tg128 (072744)": v("072744", "gpu1", 0, "tg128"),
    "f9 gpu0 fa0 pp512 n_batch 256 (104857)": v("104857", "gpu0", 0, "pp512"),
    "f10 gpu0 fa0 pp512 n_batch 256 (130626)": v("130626", "gpu0", 0, "pp512"),
}
F["f11 ratio f10/f9"] = (
    F["f10 gpu0 fa0 pp512 n_batch 256 (130626)"] / F["f9 gpu0 fa0 pp512 n_batch 256 (104857)"]
)
F["f12 ratio gpu1 / dual tg128 (143639)"] = (
    F["f1 gpu1 top slot tg128 (143639)"] / F["f3 dual tg128 (143639)"]
)
F["f13 ratio fa1 / fa0 gpu0 tg128 (072744)"] = (
    F["f7 gpu0 fa1 tg128 (072744)"] / F["f6 gpu0 fa0 tg128 (072744)"]
)
b256 = df[(df.n_batch == 256) & (df.gpus == "gpu0") & (df.fa == 1) & (df.test == "tg128")]
F["f14 mean tg128 gpu0 fa1 n_batch 256 over the four files"] = b256.ts.mean()
pooled = df[(df.n_batch == 256) & (df.gpus == "gpu0") & (df.fa == 0) & (df.test == "pp512")]
F["(not a figure: pooled pp512 gpu0 fa0 n_batch 256, four files)"] = pooled.ts.mean()
F["f15 dual pp512 fa0 n_batch 256 (074700)"] = v("074700", "dual", 0, "pp512")
F["f16 gpu0 pp512 fa0 n_batch 256 (074700)"] = v("074700", "gpu0", 0, "pp512")
for k, x in F.items():
    print(k, round(x, 4))
print("n b256 files", b256.file.nunique())
