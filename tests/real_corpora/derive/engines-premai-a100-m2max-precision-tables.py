"""Figures for engines-premai-a100-m2max-precision-tables.

Usage: python engines-premai-a100-m2max-precision-tables.py CORPUS_ROOT
premAI-io/benchmarks' Markdown: README.md (Mistral 7B v0.1 Instruct and Llama 2 7B Chat, 13
engines x float32/float16/int8/int4 on an A100 80GB, stated only in the prose below the
tables, "Data updated: 30th April 2024") and docs/archive.md (LLAMA-2-7B on "A100 80GB" and
"M2 MAX 32GB" CPU and Metal, 05 April 2024). Each cell is "mean ± sd" of tokens/second over
--repetitions 10 of one prompt with --max_tokens 512 (the command above each table); "-" or
an empty cell: not run. The "(unit: MB)" tables are GPU memory, no rate.
"""

import os
import re
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
name = "engines-premai-a100-m2max-precision-tables"
if os.path.isdir(os.path.join(root, name)):
    root = os.path.join(root, name)


def tables(path):
    """Each pipe table under a rate unit line: (headings, DataFrame of mean cells)."""
    lines = open(os.path.join(root, path), encoding="utf-8").read().splitlines()
    headings, unit, out, i = [], "", [], 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            headings = [h for h in headings if h[0] < level] + [(level, line.lstrip("# "))]
        elif "unit:" in line:
            unit = line
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1].strip()) <= set("|-: "):
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            frame = pd.DataFrame(rows, columns=header)
            frame["Engine"] = frame["Engine"].str.replace(
                r"\[([^\]]*)\]\([^)]*\)", r"\1", regex=True
            )
            if "Tokens" in unit:
                means = frame.set_index("Engine").apply(
                    lambda col: col.map(
                        lambda c: float(m[1]) if (m := re.match(r"([\d.]+)\s*±", c)) else None
                    )
                )
                out.append(([h[1] for h in headings], means))
            unit = ""
            continue
        i += 1
    return out


readme = tables("README.md")
archive = tables("docs/archive.md")
for heads, t in readme + archive:
    print(" / ".join(heads))
    print(t.to_string())
    print("figure cells:", int(t.notna().sum().sum()))
mistral, llama = readme[0][1], readme[1][1]
a100, m2cpu, m2metal = archive[0][1], archive[1][1], archive[2][1]
figs = [
    ("f1", "README Mistral TensorRT-LLM int4", mistral.loc["Nvidia TensorRT-LLM", "int4"]),
    ("f2", "README Mistral exllamav2 int4", mistral.loc["exllamav2", "int4"]),
    ("f3", "README Mistral vllm float16", mistral.loc["vllm", "float16"]),
    ("f4", "README Mistral llama.cpp int4", mistral.loc["llama.cpp", "int4"]),
    ("f5", "README Llama 2 TensorRT-LLM float16", llama.loc["Nvidia TensorRT-LLM", "float16"]),
    ("f6", "README Llama 2 exllamav2 int4", llama.loc["exllamav2", "int4"]),
    ("f7", "README Llama 2 vllm int4", llama.loc["vllm", "int4"]),
    (
        "f8",
        "README Llama 2 transformers (pytorch) float32",
        llama.loc["transformers (pytorch)", "float32"],
    ),
    ("f9", "archive A100 TensorRT-LLM int4", a100.loc["Nvidia TensorRT-LLM", "int4"]),
    ("f10", "archive A100 exllamav2 int4", a100.loc["exllamav2", "int4"]),
    ("f11", "archive A100 llama.cpp int4", a100.loc["llama.cpp", "int4"]),
    ("f12", "archive A100 candle float16", a100.loc["candle", "float16"]),
    ("f13", "archive M2 Max CPU llama.cpp int4", m2cpu.loc["llama.cpp", "int4"]),
    ("f14", "archive M2 Max CPU candle float16", m2cpu.loc["candle", "float16"]),
    ("f15", "archive M2 Max Metal llama.cpp int4", m2metal.loc["llama.cpp", "int4"]),
    ("f16", "archive M2 Max Metal ctransformers int4", m2metal.loc["ctransformers", "int4"]),
    ("f17", "archive A100 ctransformers int4", a100.loc["ctransformers", "int4"]),
    ("f18", "archive M2 Max CPU ctransformers int4", m2cpu.loc["ctransformers", "int4"]),
]
for fid, what, value in figs:
    print(f"{fid}: {value}  ({what})")
print(
    "A100 / M2 Metal, llama.cpp int4:",
    a100.loc["llama.cpp", "int4"] / m2metal.loc["llama.cpp", "int4"],
)
print(
    "A100 / M2 Metal, llama.cpp int8:",
    a100.loc["llama.cpp", "int8"] / m2metal.loc["llama.cpp", "int8"],
)
print(
    "M2 Metal / M2 CPU, llama.cpp int4:",
    m2metal.loc["llama.cpp", "int4"] / m2cpu.loc["llama.cpp", "int4"],
)
print(
    "README vs archive, Llama 2 TensorRT-LLM int4:",
    llama.loc["Nvidia TensorRT-LLM", "int4"],
    a100.loc["Nvidia TensorRT-LLM", "int4"],
)
print("fastest engine per precision, README Mistral:", mistral.idxmax().to_dict())
