"""Figures for ollama-connorsapps-cpu-vs-gpu.

Usage: python ollama-connorsapps-cpu-vs-gpu.py CORPUS_ROOT
runs/cpu-only.csv and runs/gpu-run.csv: one row per model, written by the repository's Go
program (runs.go) against one Ollama server, without and with a GPU. Per model it sends "hi"
(initial_load_duration = that call's load_duration), then 12 questions (avg/max/min of their
total_duration), total_test_time = wall time of the whole model test; twice (round 1, round 2).
Units: MILLISECONDS (time.Duration.Milliseconds()), though Ollama's *_duration are ns.
Trap: Run.JoinAndAverage adds round 2 HALVED to round 1 (r + new/2), so every figure is
round1 + round2/2, about 1.5x a round's value, not an average.
"""

import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "ollama-connorsapps-cpu-vs-gpu")):
    root = os.path.join(root, "ollama-connorsapps-cpu-vs-gpu")
cpu = pd.read_csv(os.path.join(root, "runs", "cpu-only.csv")).set_index("model")
gpu = pd.read_csv(os.path.join(root, "runs", "gpu-run.csv")).set_index("model")
print(cpu.to_string())
print(gpu.to_string())


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out(
    "f1 cpu llama3:latest avg_duration ms (as written)",
    float(cpu.loc["llama3:latest", "avg_duration"]),
)
out(
    "f2 gpu llama3:latest avg_duration ms (as written)",
    float(gpu.loc["llama3:latest", "avg_duration"]),
)
out("f3 cpu codellama:7b avg_duration ms", float(cpu.loc["codellama:7b", "avg_duration"]))
out("f4 gpu codellama:7b avg_duration ms", float(gpu.loc["codellama:7b", "avg_duration"]))
out("f5 cpu tinyllama avg_duration ms", float(cpu.loc["tinyllama:latest", "avg_duration"]))
out("f6 gpu tinyllama avg_duration ms", float(gpu.loc["tinyllama:latest", "avg_duration"]))
out(
    "f7 cpu llama3:latest initial_load_duration ms",
    float(cpu.loc["llama3:latest", "initial_load_duration"]),
)
out(
    "f8 gpu llama3:latest initial_load_duration ms",
    float(gpu.loc["llama3:latest", "initial_load_duration"]),
)
out(
    "f9 gpu tinyllama initial_load_duration ms",
    float(gpu.loc["tinyllama:latest", "initial_load_duration"]),
)
out(
    "f10 cpu codellama initial_load_duration ms",
    float(cpu.loc["codellama:7b", "initial_load_duration"]),
)
out("f11 mean initial_load_duration, cpu file (4 models)", float(cpu.initial_load_duration.mean()))
out("f12 mean initial_load_duration, gpu file (4 models)", float(gpu.initial_load_duration.mean()))
ratio = cpu.avg_duration / gpu.avg_duration
print("cpu/gpu avg_duration ratio")
print(ratio.round(3).to_string())
out("f13 cpu/gpu avg_duration ratio llama3", float(ratio["llama3:latest"]))
out("f14 cpu/gpu avg_duration ratio tinyllama", float(ratio["tinyllama:latest"]))
lr = cpu.initial_load_duration / gpu.initial_load_duration
print("cpu/gpu load ratio")
print(lr.round(3).to_string())
out(
    "f15 cpu total_test_time llama3 min", float(cpu.loc["llama3:latest", "total_test_time"]) / 60000
)
out("f16 gpu max_duration llama3 ms", float(gpu.loc["llama3:latest", "max_duration"]))
# JoinAndAverage: x = r1 + r2/2. If both rounds were alike the true per-round mean is x/1.5.
out(
    "f17 gpu llama3 avg_duration / 1.5 (a round's mean if the rounds were alike)",
    float(gpu.loc["llama3:latest", "avg_duration"]) / 1.5,
)
