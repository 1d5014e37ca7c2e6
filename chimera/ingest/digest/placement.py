"""Where Ollama put a model: its share in VRAM, as `ollama ps` and `/api/ps` state it.

The first thing an Ollama tuner looks for when a rate collapses is whether the model still
fit in VRAM. Ollama says so in two places: `ollama ps`'s PROCESSOR column ("100% GPU",
"100% CPU", "14%/86% CPU/GPU": the CPU's share first) and `/api/ps`'s `size` and
`size_vram` per loaded model (the share in VRAM is size_vram / size; `ollama ps` prints
the CPU's share rounded, the GPU's as the rest). Either is read per row, where a file states
it (`gpu_shares`): a cell in Ollama's words in any column (a `processor` or `placement`
column, a machine column a script filled from `ollama ps`), or a record's `size` and
`size_vram`. A GPU-utilisation column (`gpu_percent`, `gpu_util` from nvidia-smi) is
another thing and is never read as a share.

The share is an outcome of the settings (num_ctx, num_gpu) and the model's size on one
machine: neither the machine nor a setting. The digest keeps, per setup, the least and the
most share its rows state (`Setup.gpu_share_min` / `gpu_share_max`).
"""

from __future__ import annotations

import math
import re

import numpy as np

# `ollama ps`'s PROCESSOR cell: "100% GPU", "100% CPU", "14%/86% CPU/GPU" (a hand-written
# "86%/14% GPU/CPU" names its order too).
OLLAMA_PROCESSOR = re.compile(
    r"(?i)^\s*(\d{1,3})%(?:\s*/\s*(\d{1,3})%)?\s+(cpu|gpu)(?:\s*/\s*(cpu|gpu))?\s*$"
)
# Where a share is said to come from, for a finding's words.
OLLAMA_PS = "ollama ps"


def processor_share(text: object) -> float | None:
    """The GPU's share (0-100) of a PROCESSOR cell in Ollama's words; None for anything else
    (a CPU's name, "cuda", a bare percentage)."""
    if not isinstance(text, str) or "%" not in text:
        return None
    found = OLLAMA_PROCESSOR.match(text)
    if found is None:
        return None
    first, second, kind, other = found.groups()
    a = float(first)
    if second is None:
        if other is not None or a != 100:
            return None  # "86% GPU" alone or "100% CPU/GPU" is not how Ollama writes it
        return 100.0 if kind.lower() == "gpu" else 0.0
    b = float(second)
    if other is None or kind.lower() == other.lower() or a + b != 100:
        return None
    return a if kind.lower() == "gpu" else b


def vram_share(size: float, size_vram: float) -> float | None:
    """The share of a loaded model in VRAM from /api/ps's `size` and `size_vram` (bytes);
    None where they cannot be one (no size, more in VRAM than the model's size)."""
    if not (math.isfinite(size) and math.isfinite(size_vram)) or size <= 0 or size_vram < 0:
        return None
    if size_vram > size:
        return None  # `ollama ps` says "Unknown"
    return 100.0 * size_vram / size


def processor_words(share: float) -> str:
    """The share as `ollama ps` writes it: "100% GPU", "100% CPU", "14%/86% CPU/GPU"."""
    if share >= 100:
        return "100% GPU"
    if share <= 0:
        return "100% CPU"
    cpu = round(100 - share)
    return f"{cpu}%/{100 - cpu}% CPU/GPU"


def cpu_gpu_parts(share: float) -> tuple[int, int] | None:
    """The CPU's and the GPU's whole percentages `processor_words` writes for a share that is
    partly on the CPU; None for one wholly on either."""
    if share >= 100 or share <= 0:
        return None
    cpu = round(100 - share)
    return cpu, 100 - cpu


def partly_on_cpu(share: float | None) -> bool:
    return share is not None and share < 100


def processor_column(texts: list[object]) -> bool:
    """Whether a column's distinct cells are Ollama's PROCESSOR words (every one that is a
    string and not blank)."""
    written = [t for t in texts if isinstance(t, str) and t.strip()]
    return bool(written) and all(processor_share(t) is not None for t in written)


def shares_of(codes: np.ndarray, texts: list[object]) -> np.ndarray:
    """Per row, the GPU share of its cell (`codes` into `texts`, -1 for a missing cell)."""
    table = np.array([processor_share(t) for t in texts] + [None], dtype=float)
    return table[codes]
