"""Figures for serving-infpop-a100-v100-vllm-hf-wide-tables.

Usage: python serving-infpop-a100-v100-vllm-hf-wide-tables.py CORPUS_ROOT
Appendix tables of a paper (UPCBarcelonaTech/infpop) on vLLM and Hugging Face pipelines'
throughput on two machines, NVIDIA A100 ("a100") and V100 ("tesla": the README says V100 and
Tesla are used interchangeably). Wide tables: one row per model, one column per level of the
variable the FILE NAME names: RQ1 table_gpuscale_* columns are GPU counts (1, 2, 4, 8; batch
size 1), RQ2 table_batchsizes_*_gpu_1 columns batch sizes (1 ... 1028) on one GPU. 'nan' is a
configuration that did not run (out of memory). Each .md is the .csv beside it, rounded.
"""

import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-infpop-a100-v100-vllm-hf-wide-tables")):
    root = os.path.join(root, "serving-infpop-a100-v100-vllm-hf-wide-tables")


def csv(rel):
    return pd.read_csv(os.path.join(root, rel), index_col="model")


a1 = csv("RQ1/table_gpuscale_a100_vLLM.csv")
t1 = csv("RQ1/table_gpuscale_tesla_vLLM.csv")
a2 = csv("RQ2/tables/table_batchsizes_a100_vLLM_gpu_1.csv")
t2 = csv("RQ2/tables/table_batchsizes_tesla_vLLM_gpu_1.csv")
cmp_ = pd.read_csv(os.path.join(root, "RQ1/table_comparison_a100.csv"), index_col=0).set_index(
    "model"
)
print(
    "measured cells: RQ1 a100",
    int(a1.notna().sum().sum()),
    "tesla",
    int(t1.notna().sum().sum()),
    "RQ2 a100",
    int(a2.notna().sum().sum()),
    "tesla",
    int(t2.notna().sum().sum()),
)


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out("f1 a100 vLLM Bloom-1b7 1 GPU", a1.loc["Bloom-1b7", "1"])
out("f2 tesla vLLM Bloom-1b7 1 GPU", t1.loc["Bloom-1b7", "1"])
out("f3 a100 vLLM Codellama-70b-hf 8 GPUs", a1.loc["Codellama-70b-hf", "8"])
out("f4 tesla vLLM Mixtral-8x7b 8 GPUs", t1.loc["Mixtral-8x7b", "8"])
out("f5 a100 vLLM 1 GPU Bloom-1b7 batch 1028", a2.loc["Bloom-1b7", "1028"])
out("f6 a100 vLLM 1 GPU Codellama-13b-hf batch 64", a2.loc["Codellama-13b-hf", "64"])
out("f7 tesla vLLM 1 GPU Bloom-1b7 batch 512", t2.loc["Bloom-1b7", "512"])
out(
    "f8 comparison a100 Wizardcoder-33b best HF throughput",
    cmp_.loc["Wizardcoder-33b", "throughputhf"],
)
out(
    "f9 comparison a100 Wizardcoder-33b best vLLM throughput",
    cmp_.loc["Wizardcoder-33b", "throughputvllm"],
)
out("f10 mean over the 15 models of a100 vLLM 1 GPU batch 1", a2["1"].mean())
out("ratio a100/tesla Bloom-1b7 1 GPU", a1.loc["Bloom-1b7", "1"] / t1.loc["Bloom-1b7", "1"])
out(
    "ratio a100 Bloom-1b7 batch 1028 / batch 1",
    a2.loc["Bloom-1b7", "1028"] / a2.loc["Bloom-1b7", "1"],
)
# the RQ2 one-GPU batch-1 column restates RQ1's one-GPU column, rounded
common = a2.index.intersection(a1.index)
print(
    "RQ2 bs1 == RQ1 1 GPU (rounded):",
    bool(((a1.loc[common, "1"].round(1) - a2.loc[common, "1"]).abs() < 0.06).all()),
)
