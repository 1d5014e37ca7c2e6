"""Synthetic benchmark-artifact folders: the file mix `chimera run` meets in practice.

Three kinds, shaped like `examples/data`: CSV runs (one row per prompt, seconds and tok/s
columns, some with a config sweep and the odd error row), JSON results as Ollama bench
scripts write them, and Markdown tuning notes. Sizes are log-uniform between 1 and 20 KB.

Contents come from a small seeded pool and file names carry the model (`gemma3_4b_...`), so
a 100k-file tree is written in seconds and the digest still sees many models and configs.
"""

from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path

MODELS = (
    ("gemma3", "270m"),
    ("gemma3", "1b-it-qat"),
    ("gemma3", "4b"),
    ("llama3.2", "3b"),
    ("qwen2.5", "7b"),
)
# (num_gpu, num_ctx, temperature): the sweeps of the original study.
CONFIGS = ((0, 2048, 0.8), (40, 2048, 0.8), (80, 2048, 0.8), (80, 8192, 0.8), (80, 4096, 0.7))
PROMPTS = (
    "Summarise the attached GPU utilisation log in three bullet points.",
    "Explain the difference between num_ctx and num_predict in Ollama.",
    "Write a Python function that parses an ISO-8601 timestamp.",
    "List three risks of raising temperature above 1.0 for code generation.",
    "What is time-to-first-token and why does it matter for chat UIs?",
    "Draft a status update for a team tuning inference latency.",
)
CSV_HEADER = "prompt,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,eval_count,response_chars,error"
SWEEP_HEADER = CSV_HEADER + ",num_gpu,num_ctx,temperature,config_name"
# Kind shares of a generated tree: CSV runs dominate, as in the study's folders.
MIX = (("csv", 0.5), ("json", 0.3), ("md", 0.2))
FILES_PER_FOLDER = 200
POOL_SIZE = 64
MIN_BYTES, MAX_BYTES = 1024, 20 * 1024


def _size(rng: random.Random) -> int:
    return int(math.exp(rng.uniform(math.log(MIN_BYTES), math.log(MAX_BYTES))))


def _csv_row(rng: random.Random, sweep: bool) -> str:
    gpu, ctx, temp = rng.choice(CONFIGS)
    rate = rng.uniform(40, 260) * (1 + gpu / 160)
    eval_count = rng.randint(80, 420)
    error = "timeout after 120s" if rng.random() < 0.02 else ""
    row = (
        f"{rng.choice(PROMPTS)},{rng.uniform(0.06, 0.4):.3f},{rate:.3f},"
        f"{rng.uniform(0.03, 0.95):.3f},{rng.uniform(0.04, 0.12):.3f},"
        f"{eval_count / rate:.3f},{eval_count},{eval_count * 4},{error}"
    )
    return row + f",{gpu},{ctx},{temp},gpu{gpu}_ctx{ctx}" if sweep else row


def csv_text(rng: random.Random, target: int) -> str:
    """A CSV run of about `target` bytes; a third of them are config sweeps."""
    sweep = rng.random() < 0.33
    lines = [SWEEP_HEADER if sweep else CSV_HEADER]
    size = len(lines[0])
    while size < target:
        lines.append(_csv_row(rng, sweep))
        size += len(lines[-1]) + 1
    return "\n".join(lines) + "\n"


def json_text(rng: random.Random, target: int) -> str:
    """An Ollama bench result: model and options at the top, one record per prompt."""
    family, tag = rng.choice(MODELS)
    gpu, ctx, temp = rng.choice(CONFIGS)
    doc: dict[str, object] = {
        "model": f"{family}:{tag}",
        "host": "http://127.0.0.1:11434",
        "options": {"num_gpu": gpu, "num_ctx": ctx, "temperature": temp},
        "results": [],
    }
    results: list[dict[str, object]] = doc["results"]  # type: ignore[assignment]
    size = 200
    while size < target:
        rate = rng.uniform(40, 260)
        count = rng.randint(80, 420)
        results.append(
            {
                "prompt": rng.choice(PROMPTS),
                "ttft_ms": round(rng.uniform(60, 400), 1),
                "tokens_per_second": round(rate, 2),
                "total_duration_ms": round(count / rate * 1000 + 150, 1),
                "eval_count": count,
            }
        )
        size += 190
    return json.dumps(doc, indent=2) + "\n"


def md_text(rng: random.Random, target: int) -> str:
    """A tuning note: a heading and dated bullet points."""
    family, tag = rng.choice(MODELS)
    lines = [f"# Tuning notes: {family}:{tag}", ""]
    size = 40
    day = 1
    while size < target:
        gpu, ctx, temp = rng.choice(CONFIGS)
        lines.append(
            f"- **2025-11-{day % 28 + 1:02d}** num_gpu={gpu}, num_ctx={ctx}, temperature={temp}: "
            f"about {rng.uniform(40, 260):.0f} tok/s, TTFT near {rng.uniform(60, 400):.0f} ms."
        )
        size += len(lines[-1]) + 1
        day += 1
    return "\n".join(lines) + "\n"


_WRITERS = {"csv": csv_text, "json": json_text, "md": md_text}


@dataclass(frozen=True)
class TreeStats:
    files: int
    bytes: int


def write_tree(root: Path, files: int, seed: int = 6) -> TreeStats:
    """Write `files` artifacts under `root` (created), at most 200 per folder."""
    rng = random.Random(seed)
    pools = {
        kind: [writer(rng, _size(rng)).encode() for _ in range(POOL_SIZE)]
        for kind, writer in _WRITERS.items()
    }
    kinds = [kind for kind, _ in MIX]
    weights = [share for _, share in MIX]
    total = 0
    for i in range(files):
        folder_no, _ = divmod(i, FILES_PER_FOLDER)
        family, tag = MODELS[folder_no % len(MODELS)]
        folder = root / "reports" / f"{family}_{tag}" / f"batch_{folder_no:04d}"
        if i % FILES_PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        kind = rng.choices(kinds, weights)[0]
        data = rng.choice(pools[kind])
        name = f"{family}_{tag}_run_{i:06d}.{kind}"
        with open(folder / name, "wb") as fh:
            fh.write(data)
        total += len(data)
    return TreeStats(files=files, bytes=total)


def write_big_csv(path: Path, size_bytes: int, seed: int = 6) -> int:
    """One CSV of metric rows of about `size_bytes`: a 1 MB block written over and over."""
    rng = random.Random(seed)
    rows = []
    block_size = 0
    while block_size < 1024 * 1024:
        rows.append(_csv_row(rng, sweep=True).replace(",timeout after 120s,", ",,"))
        block_size += len(rows[-1]) + 1
    block = ("\n".join(rows) + "\n").encode()
    header = (SWEEP_HEADER + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(header)
        written = len(header)
        while written < size_bytes:
            fh.write(block)
            written += len(block)
    return written


def tree_size(root: Path) -> TreeStats:
    """Files and bytes under `root`, by a plain walk (for trees written elsewhere)."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(folder, name))
    return TreeStats(files=files, bytes=size)
