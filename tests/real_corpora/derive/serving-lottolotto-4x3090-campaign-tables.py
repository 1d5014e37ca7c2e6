"""Figures for serving-lottolotto-4x3090-campaign-tables.

Usage: python serving-lottolotto-4x3090-campaign-tables.py CORPUS_ROOT
Two campaign pages generated from the archive's data/benchmarks.jsonl: one row per measurement
(date | run | model | quant | engine | layout | ctx | conc | primary metric), the metric a cell
holding number and unit ("69.26 output tok/s"). The run path names what the table's columns do
not: in tp-ab-p2p the harness (single_stream: one request's output rate; aggregate_cN: the
output throughput of all N concurrent requests), in kv-sweep the KV-cache dtype (last segment)
and the context filled (cNNNN, also the ctx column). The rig (4x RTX 3090) is HARDWARE.md's.
"""

import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-lottolotto-4x3090-campaign-tables")):
    root = os.path.join(root, "serving-lottolotto-4x3090-campaign-tables")


def table(rel):
    lines = [ln for ln in open(os.path.join(root, rel)) if ln.startswith("|")]
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    df = pd.DataFrame(rows[2:], columns=rows[0])
    df["value"] = df["primary metric"].str.extract(r"^([\d.]+)")[0].astype(float)
    df["run_name"] = df["run"].str.extract(r"\[([^\]]+)\]")[0]
    df["last"] = df["run_name"].str.split("/").str[-1]
    return df


tp = table("catalog/campaigns/tp-ab-p2p.md")
kv = table("catalog/campaigns/kv-sweep.md")
print("tp rows", len(tp), "kv rows", len(kv))


def one(df, quant, last, **cols):
    sel = df[(df.quant == quant) & (df["last"] == last)]
    for k, v in cols.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return float(sel.value.iloc[0])


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out("f1 autoround TP4 single_stream", one(tp, "autoround-int4", "autoround-int4_tp4_single_stream"))
out("f2 autoround TP2 single_stream", one(tp, "autoround-int4", "autoround-int4_tp2_single_stream"))
out("f3 autoround TP2 aggregate c64", one(tp, "autoround-int4", "autoround-int4_tp2_aggregate_c64"))
out("f4 autoround TP4 aggregate c64", one(tp, "autoround-int4", "autoround-int4_tp4_aggregate_c64"))
out("f5 fp8-static TP4 aggregate c16", one(tp, "fp8-static", "FP8-static_tp4_aggregate_c16"))
out("f6 kv Qwen3.6 fp8-static ctx1024 auto", one(kv, "fp8-static", "auto", ctx="1024"))
out("f7 kv Qwen3.6 fp8-static ctx1024 fp8_e4m3", one(kv, "fp8-static", "fp8_e4m3", ctx="1024"))
out("f8 kv Qwen3.5 awq ctx131072 fp8", one(kv, "awq-int4", "fp8", ctx="131072"))
c = kv[(kv.quant == "fp8-static") & (kv.ctx == "32768")]
out(f"f9 kv Qwen3.6 ctx32768 mean over {len(c)} KV dtypes", c.value.mean())
out("f10 kv Qwen3.5 awq ctx1024 auto", one(kv, "awq-int4", "auto", ctx="1024"))
out("f11 kv Qwen3.5 awq ctx1024 bfloat16", one(kv, "awq-int4", "bfloat16", ctx="1024"))
out(
    "ratio f3/f4 (TP2 over TP4 at c64)",
    one(tp, "autoround-int4", "autoround-int4_tp2_aggregate_c64")
    / one(tp, "autoround-int4", "autoround-int4_tp4_aggregate_c64"),
)
out("ratio f1/f2 (TP4 over TP2 single stream)", 69.26 / 53.8)
print(kv.groupby(["quant", "ctx"]).value.agg(["count", "mean", "min", "max"]))
