"""Figures for corpus ollama-okazaki-two-arc-a770-readme-summary (a README's one table of Ollama eval
rates averaged by obench.sh over 5 runs, on two Intel Arc A770).
Usage: python ollama-okazaki-two-arc-a770-readme-summary.py <corpus_root>/ollama-okazaki-two-arc-a770-readme-summary"""

import os
import re
import sys

import pandas as pd

root = sys.argv[1]
rows = []
for line in open(os.path.join(root, "README.md"), encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 4 and re.match(r"^[\w.-]+:[\w.]+$", cells[0]):
        rate = float(cells[1].split()[0])
        watts = [float(w) for w in re.findall(r"(\d+)W", cells[2])]
        mib = [float(m) for m in re.findall(r"(\d+) MiB", cells[3])]
        rows.append(
            {
                "model": cells[0],
                "eval_rate": rate,
                "watts_sum": sum(watts),
                "vram_mib_sum": sum(mib),
            }
        )
df = pd.DataFrame(rows).sort_values("eval_rate", ascending=False)
print(df.to_string(index=False))
print("fastest / slowest", round(df.eval_rate.max() / df.eval_rate.min(), 4))
print(
    "qwen3:14b / qwen3:30b",
    round(
        float(
            df.set_index("model").eval_rate["qwen3:14b"]
            / df.set_index("model").eval_rate["qwen3:30b"]
        ),
        4,
    ),
)
