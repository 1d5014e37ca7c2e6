"""How many layers a model has: where num_gpu stops mattering.

Ollama offloads at most the model's repeating blocks plus its output layer to the GPU, so
every num_gpu at or above blocks + 1 is the same placement: all of the model on the GPU
(Ollama caps the value; llama.cpp's -ngl 99 or 999 means "all"). A sweep over such values
repeats one setup. The counts are the `block_count` of each model's GGUF as Ollama's library
serves it (its /api/show `model_info`); a name Ollama resolves to one of these (a tag with a
quantisation or variant suffix, `gemma3:latest`) takes the family and size it names.
"""

from __future__ import annotations

import re

# family -> size tag -> block_count
BLOCKS: dict[str, dict[str, int]] = {
    "gemma3": {"270m": 18, "1b": 26, "4b": 34, "12b": 48, "27b": 62, "latest": 34},
    "gemma2": {"2b": 26, "9b": 42, "27b": 46, "latest": 42},
    "gemma": {"2b": 18, "7b": 28, "latest": 28},
    "llama3.2": {"1b": 16, "3b": 28, "latest": 28},
    "llama3.1": {"8b": 32, "70b": 80, "405b": 126, "latest": 32},
    "llama3": {"8b": 32, "70b": 80, "latest": 32},
    "llama2": {"7b": 32, "13b": 40, "70b": 80, "latest": 32},
    "qwen2.5": {"0.5b": 24, "1.5b": 28, "3b": 36, "7b": 28, "14b": 48, "32b": 64, "72b": 80,
                "latest": 28},
    "qwen3": {"0.6b": 28, "1.7b": 28, "4b": 36, "8b": 36, "14b": 40, "32b": 64, "30b": 48,
              "latest": 36},
    "mistral": {"7b": 32, "latest": 32},
    "phi3": {"3.8b": 32, "14b": 40, "latest": 32},
    "phi4": {"14b": 40, "latest": 40},
    # deepseek-r1:8b was a Llama-3.1 distill (32 blocks), then a Qwen3 one (36): not listed.
    "deepseek-r1": {"1.5b": 28, "7b": 28, "14b": 48, "32b": 64, "70b": 80},
    "tinyllama": {"1.1b": 22, "latest": 22},
}  # fmt: skip
_TAG = re.compile(r"^(?P<size>\d+(?:\.\d+)?[bm]|latest)(?:[-_].*)?$", re.I)


def blocks(model: str | None) -> int | None:
    """The model's block count, where the name tells it (`gemma3:1b-it-qat` -> 26)."""
    if not model or ":" not in model:
        return None
    family, _, tag = model.lower().partition(":")
    found = _TAG.match(tag)
    if found is None:
        return None
    return BLOCKS.get(family, {}).get(found["size"])


# llama.cpp's and Ollama's users write "all layers" as 99 or 999; a model of more than 98
# layers (a 405B) is the exception, and then its known count decides.
ALL_LAYERS = 99


def all_on_gpu(model: str | None, num_gpu: object) -> bool:
    """Whether num_gpu puts every layer of the model on the GPU (blocks + output layer)."""
    count = blocks(model)
    try:
        value = float(num_gpu)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if value < 0:
        return True  # llama.cpp's -ngl -1: all layers
    if count is None:
        return value >= ALL_LAYERS
    return value >= count + 1
