"""Figures for ollama-jammsen-llm-benchmark-readme-two-rigs.

Usage: python ollama-jammsen-llm-benchmark-readme-two-rigs.py CORPUS_ROOT
README.md's "Example output": two "Average stats:" blocks of jammsen/ollama-benchmark's
benchmark.py, each under a "(Running on ...)" line: deepseek-r1:70b on dual 3090 Ti + Epyc
7763, deepseek-r1:32b on a single 3090 + 13900KS (WSL2). The tool's average_stats sums the
runs' tokens and times (one response built of their sums), so its rates are total tokens over
total time and its counts and times are totals over an unstated number of prompts.
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-jammsen-llm-benchmark-readme-two-rigs")):
    root = os.path.join(root, "ollama-jammsen-llm-benchmark-readme-two-rigs")
with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
    text = f.read()
blocks = re.findall(r"\(Running on ([^,]+),.*?Model: (\S+)(.*?)-{20,}", text, re.S)
for machine, model, body in blocks:
    fig = dict(re.findall(r"^\s*([A-Za-z ]+?):\s+([\d.]+)", body, re.M))
    print(machine, model, fig)
    tg, pp = float(fig["Generation Speed"]), float(fig["Prompt Processing"])
    print("  generation rate:", tg, " prompt rate:", pp)
    print("  Generated Tokens / Generation Time =", round(float(fig["Generated Tokens"]) / float(fig["Generation Time"]), 2))
    print("  Input Tokens / Processing Time =", round(float(fig["Input Tokens"]) / float(fig["Processing Time"]), 2))
    combined = (float(fig["Input Tokens"]) + float(fig["Generated Tokens"])) / (
        float(fig["Processing Time"]) + float(fig["Generation Time"]))
    print("  Combined Speed = (input + generated) / (processing + generation) =", round(combined, 2))
print("caption above the blocks:", re.search(r"Output on [^\n]+", text).group(0))
