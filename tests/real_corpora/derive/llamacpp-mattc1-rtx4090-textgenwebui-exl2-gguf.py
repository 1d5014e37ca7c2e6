"""Figures for llamacpp-mattc1-rtx4090-textgenwebui-exl2-gguf.

Usage: python llamacpp-mattc1-rtx4090-textgenwebui-exl2-gguf.py CORPUS_ROOT
matt-c1/llama-cpp-speed-measurements: two CSVs written by the repository's scripts through
text-generation-webui's API on one PC (README: Linux, RTX 4090, i7-10700K, DDR4-3200).
llamacpp_speed_data.csv: Meta-Llama-3-8B-Instruct GGUF (the `model` column holds the quant:
IQ2_XXS, IQ4_NL, Q4_K_S, Q8_0) on llama.cpp (llama-cpp-python, loader llamacpp_HF, n_ctx 16k),
settings no_offload_kqv, flash_attn, n_gpu_layers (33 = every layer); exl2_speed_data.csv:
Meta-Llama-3-8B-Instruct exl2 8 bpw on ExLlamaV2, settings cache_4bit, flash_attn.
Every row: one prompt length asked for (promptlen 128 ... 15360: the workload, not a
repetition), prompt_seconds / gen_seconds in s, prompttps / gentps the prompt and generation
rates, 256-257 tokens generated. One row per setup and prompt length (no repetitions kept).
"""

import os
import sys

import pandas as pd

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "llamacpp-mattc1-rtx4090-textgenwebui-exl2-gguf")):
    root = os.path.join(root, "llamacpp-mattc1-rtx4090-textgenwebui-exl2-gguf")
gguf = pd.read_csv(os.path.join(root, "llamacpp_speed_data.csv"), index_col=0)
exl2 = pd.read_csv(os.path.join(root, "exl2_speed_data.csv"), index_col=0)
assert (
    gguf.groupby(["model", "no_offload_kqv", "flash_attn", "n_gpu_layers", "promptlen"])
    .size()
    .max()
    == 1
)
assert exl2.groupby(["cache_4bit", "flash_attn", "promptlen"]).size().max() == 1
print("rows", len(gguf), len(exl2))


def g(model, kqv_cpu, fa, ngl):
    return gguf[
        (gguf.model == model)
        & (gguf.no_offload_kqv == kqv_cpu)
        & (gguf.flash_attn == fa)
        & (gguf.n_gpu_layers == ngl)
    ]


def e(q4, fa):
    return exl2[(exl2.cache_4bit == q4) & (exl2.flash_attn == fa)]


def out(fid, v):
    print(f"{fid}: {v:.6g}")


out("f1 exl2 gentps mean, FA on, 16-bit cache (8 prompt lengths)", e(False, True).gentps.mean())
out("f2 exl2 gentps mean, FA off, 16-bit cache", e(False, False).gentps.mean())
out("f3 exl2 gentps mean, FA on, 4-bit cache", e(True, True).gentps.mean())
out("f4 Q8_0 gentps mean, FA on, ngl 33, KQV on GPU", g("Q8_0", False, True, 33).gentps.mean())
out("f5 Q8_0 gentps mean, FA off, ngl 33, KQV on GPU", g("Q8_0", False, False, 33).gentps.mean())
out(
    "f6 Q8_0 gentps mean, FA on, ngl 0 (CPU only, 2 prompt lengths)",
    g("Q8_0", False, True, 0).gentps.mean(),
)
out(
    "f7 exl2 gentps at promptlen 15360, FA on, 16-bit cache",
    float(e(False, True).set_index("promptlen").gentps[15360]),
)
out(
    "f8 Q8_0 prompttps mean, FA on, ngl 33, KQV on GPU", g("Q8_0", False, True, 33).prompttps.mean()
)
out(
    "f9 IQ2_XXS gentps mean, FA on, ngl 33, KQV on GPU", g("IQ2_XXS", False, True, 33).gentps.mean()
)
out("f10 Q8_0 gentps mean, FA on, ngl 33, KQV in RAM", g("Q8_0", True, True, 33).gentps.mean())
out("f11 exl2 prompttps mean, FA on, 16-bit cache", e(False, True).prompttps.mean())
out("f12 Q8_0 gentps mean, FA on, ngl 28, KQV on GPU", g("Q8_0", False, True, 28).gentps.mean())
out(
    "f13 exl2 8bpw / Q8_0 gentps, FA on, full offload (ratio of means)",
    e(False, True).gentps.mean() / g("Q8_0", False, True, 33).gentps.mean(),
)
out(
    "f14 Q8_0 prompttps at promptlen 5120 (its longest), FA off, ngl 33, KQV in RAM",
    float(g("Q8_0", True, False, 33).set_index("promptlen").prompttps[5120]),
)
out(
    "f15 Q8_0 gen_seconds mean, FA on, ngl 33, KQV on GPU (ms)",
    1000 * g("Q8_0", False, True, 33).gen_seconds.mean(),
)
out(
    "f16 exl2 gentps at promptlen 15360, FA off, 16-bit cache",
    float(e(False, False).set_index("promptlen").gentps[15360]),
)
