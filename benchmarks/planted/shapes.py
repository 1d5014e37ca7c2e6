"""Seeded data folders of the shapes benchmark folders come in, written with numpy/pandas.

Each writer puts one folder's files under `root` from a `numpy.random.Generator`; nothing
else is returned, so the true figures (`planted.truth`) are read back from the files as a
user's own pandas script would. Speeds follow plausible effects (more GPU layers faster, a
larger context slower, temperature no effect, a cold first load) with run-to-run noise.

Shapes:
- `csv_runs`: per-run CSVs with seconds columns; one model swept over a full grid
  (num_gpu x num_ctx), one over a one-factor sweep, plus a baseline without settings and
  a file with over ten error rows.
- `ollama_json`: Ollama bench-script JSON, an `options` block and a `results` list, no
  config names (setups are known by their settings), TTFT in ms, error entries.
- `shared_configs`: three models with the same config names at different speeds.
- `raw_api`: raw Ollama /api/generate answers, durations in nanoseconds, no rate column.
- `summary_csv`: summary CSVs only: mean_/median_/p95_ columns and a run count.
- `alias_columns`: llama.cpp-style column names (n_gpu_layers, n_ctx, temp,
  tokens_per_second, time_to_first_token_ms, total_time_s), one CSV per model.
- `llama_bench`: llama-bench `-o csv` output (avg_ts, stddev_ts, n_gpu_layers, n_gen).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# tok/s at full offload and a 2048 context, TTFT ms, cold load ms
PROFILES = {
    "gemma3:270m": (246.0, 78.0, 610.0),
    "gemma3:1b": (104.0, 121.0, 880.0),
    "gemma3:4b": (34.5, 262.0, 2150.0),
    "llama3.2:3b": (47.0, 188.0, 1720.0),
    "llama3.2:1b": (131.0, 97.0, 790.0),
    "qwen2.5:1.5b": (88.0, 139.0, 1080.0),
    "qwen2.5:7b": (21.5, 391.0, 3900.0),
    "gemma3:1b-it-qat": (118.0, 109.0, 840.0),
}
PROMPTS = (
    "Summarise the attached GPU utilisation log in three bullet points.",
    "Explain the difference between num_ctx and num_predict in Ollama.",
    "Write a Python function that parses an ISO-8601 timestamp.",
    "What is time-to-first-token and why does it matter for chat UIs?",
    "Draft a status update for a team tuning inference latency.",
)
ERRORS = ("timeout after 120s", "CUDA error: out of memory", "connection refused")


def _gpu_factor(num_gpu: int) -> float:
    return {0: 0.41, 20: 0.55, 33: 0.62, 40: 0.67}.get(num_gpu, 1.0)


def _ctx_factor(num_ctx: int) -> float:
    return {1024: 1.03, 2048: 1.0, 4096: 0.94, 8192: 0.81, 16384: 0.66}.get(num_ctx, 1.0)


def session(
    rng: np.random.Generator, model: str, settings: dict[str, Any], n: int, errors: float = 0.0
) -> list[dict[str, Any]]:
    """`n` runs of one model and setup: tok/s, TTFT/load/prompt-eval/eval/total ms, tokens.

    The first run loads the model (a cold start); an error run has no metrics."""
    tps0, ttft0, load0 = PROFILES[model]
    gpu = int(settings.get("num_gpu", 99))
    ctx = int(settings.get("num_ctx", 2048))
    rate = tps0 * _gpu_factor(gpu) * _ctx_factor(ctx)
    first = ttft0 * (1.9 if gpu == 0 else 1.0) * (1.15 if ctx >= 8192 else 1.0)
    rows = []
    for i in range(n):
        if rng.random() < errors:
            rows.append({"error": str(rng.choice(ERRORS)), "prompt": str(rng.choice(PROMPTS))})
            continue
        tps = rate * float(rng.lognormal(0.0, 0.07))
        ttft = first * float(rng.lognormal(0.0, 0.12))
        load = load0 * float(rng.lognormal(0.0, 0.1)) if i == 0 else float(rng.uniform(12, 40))
        tokens = int(rng.integers(80, 420))
        eval_ms = tokens / tps * 1000.0
        prompt_eval = ttft * float(rng.uniform(0.55, 0.8))
        rows.append({
            "prompt": str(rng.choice(PROMPTS)), "tps": tps, "ttft_ms": ttft, "load_ms": load,
            "prompt_eval_ms": prompt_eval, "eval_ms": eval_ms, "eval_count": tokens,
            "total_ms": load + prompt_eval + eval_ms + float(rng.uniform(2, 9)), "error": "",
        })  # fmt: skip
    return rows


def _csv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def _json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2), encoding="utf-8")


def _seconds_frame(rows: list[dict[str, Any]], **columns: Any) -> pd.DataFrame:
    """Per-run CSV columns as bench scripts write them: seconds, 3 decimals, tok/s."""
    out = []
    for r in rows:
        ok = "tps" in r
        out.append({
            "prompt": r["prompt"],
            "ttft_s": round(r["ttft_ms"] / 1000, 3) if ok else None,
            "tokens_s": round(r["tps"], 3) if ok else None,
            "load_s": round(r["load_ms"] / 1000, 3) if ok else None,
            "eval_count": r["eval_count"] if ok else None,
            "error": r["error"],
            **columns,
        })  # fmt: skip
    return pd.DataFrame(out)


def write_csv_runs(root: Path, rng: np.random.Generator, reps: tuple[int, int] = (5, 14)) -> None:
    frames = []
    for gpu in (0, 40, 80):
        for ctx in (2048, 8192):
            settings = {"num_gpu": gpu, "num_ctx": ctx, "temperature": 0.8}
            rows = session(rng, "gemma3:1b", settings, int(rng.integers(*reps)), errors=0.04)
            frames.append(_seconds_frame(rows, **settings, config_name=f"gpu{gpu}_ctx{ctx}"))
    _csv(root / "gemma3" / "gemma3_1b_grid.csv", pd.concat(frames))
    frames = []
    sweep = {
        "l3_base": {"num_gpu": 99, "num_ctx": 2048, "temperature": 0.8},
        "l3_ctx8k": {"num_gpu": 99, "num_ctx": 8192, "temperature": 0.8},
        "l3_cpu": {"num_gpu": 0, "num_ctx": 2048, "temperature": 0.8},
        "l3_cool": {"num_gpu": 99, "num_ctx": 2048, "temperature": 0.2},
    }
    for name, settings in sweep.items():
        rows = session(rng, "llama3.2:3b", settings, int(rng.integers(*reps)))
        frames.append(_seconds_frame(rows, model="llama3.2:3b", **settings, config_name=name))
    _csv(root / "llama" / "llama3.2_3b_sweep.csv", pd.concat(frames))
    rows = session(rng, "llama3.2:3b", {}, 12)
    _csv(root / "llama" / "llama3.2_3b_baseline.csv", _seconds_frame(rows))
    rows = session(rng, "gemma3:1b", {}, 30, errors=0.45)  # a flaky night: many timeouts
    _csv(root / "gemma3" / "gemma3_1b_overnight.csv", _seconds_frame(rows))
    (root / "notes.md").write_text("# Tuning notes\n\nGrid on the 1b, sweep on the 3b.\n")


def write_ollama_json(
    root: Path, rng: np.random.Generator, reps: tuple[int, int] = (5, 12)
) -> None:
    sessions = (
        ("gemma3:1b-it-qat", {"num_gpu": 80, "num_ctx": 4096, "temperature": 0.7}, "20251020"),
        ("gemma3:1b-it-qat", {"num_gpu": 80, "num_ctx": 8192, "temperature": 0.7}, "20251104"),
        ("gemma3:1b-it-qat", {"num_gpu": 40, "num_ctx": 4096, "temperature": 0.7}, "20251112"),
        ("qwen2.5:1.5b", {"num_gpu": 80, "num_ctx": 4096, "temperature": 0.7}, "20251020"),
        ("qwen2.5:1.5b", {"num_gpu": 0, "num_ctx": 4096, "temperature": 0.7}, "20251104"),
        ("qwen2.5:1.5b", {"num_gpu": 80, "num_ctx": 4096, "temperature": 1.0}, "20251114"),
    )
    for model, options, day in sessions:
        results = []
        for r in session(rng, model, options, int(rng.integers(*reps)), errors=0.06):
            if "tps" not in r:
                results.append({"prompt": r["prompt"], "error": r["error"]})
                continue
            results.append({
                "prompt": r["prompt"], "ttft_ms": round(r["ttft_ms"], 1),
                "tokens_per_second": round(r["tps"], 2),
                "total_duration_ms": round(r["total_ms"], 1), "eval_count": r["eval_count"],
            })  # fmt: skip
        family = model.split(":")[0].replace(".", "")
        doc = {"model": model, "host": "http://127.0.0.1:11434", "options": options}
        _json(root / f"{family}_bench_{day}_{options['num_gpu']}.json", {**doc, "results": results})


def write_shared_configs(
    root: Path, rng: np.random.Generator, reps: tuple[int, int] = (6, 14)
) -> None:
    configs = {
        "gpu0_ctx2048": {"num_gpu": 0, "num_ctx": 2048, "temperature": 0.8},
        "gpu80_ctx2048": {"num_gpu": 80, "num_ctx": 2048, "temperature": 0.8},
        "gpu80_ctx8192": {"num_gpu": 80, "num_ctx": 8192, "temperature": 0.8},
        "gpu80_ctx4096_t07": {"num_gpu": 80, "num_ctx": 4096, "temperature": 0.7},
    }
    for model in ("gemma3:270m", "gemma3:1b", "gemma3:4b"):
        out = []
        for name, settings in configs.items():
            for r in session(rng, model, settings, int(rng.integers(*reps)), errors=0.03):
                ok = "tps" in r
                out.append({
                    "model": model, "config_name": name, **settings,
                    "tokens_s": round(r["tps"], 3) if ok else None,
                    "ttft_ms": round(r["ttft_ms"], 1) if ok else None,
                    "load_ms": round(r["load_ms"], 1) if ok else None, "error": r["error"],
                })  # fmt: skip
        tag = model.replace(":", "_")
        _csv(root / f"{tag}_param_tuning.csv", pd.DataFrame(out))


def write_raw_api(root: Path, rng: np.random.Generator, reps: tuple[int, int] = (14, 22)) -> None:
    for model, day in (("gemma3:270m", "20251110"), ("llama3.2:1b", "20251111")):
        for part, settings in enumerate(({"num_ctx": 2048}, {"num_ctx": 2048})):
            answers = []
            for i, r in enumerate(session(rng, model, settings, int(rng.integers(*reps)))):
                answers.append({
                    "model": model, "created_at": f"2025-11-{day[-2:]}T09:{10 + i:02d}:03.512Z",
                    "done": True, "done_reason": "stop",
                    "total_duration": int(r["total_ms"] * 1e6),
                    "load_duration": int(r["load_ms"] * 1e6),
                    "prompt_eval_count": int(rng.integers(20, 40)),
                    "prompt_eval_duration": int(r["prompt_eval_ms"] * 1e6),
                    "eval_count": r["eval_count"], "eval_duration": int(r["eval_ms"] * 1e6),
                })  # fmt: skip
            tag = model.replace(":", "_")
            _json(root / "runs" / f"ollama_raw_{tag}_{day}_{part + 1}.json", answers)


def write_summary_csv(
    root: Path, rng: np.random.Generator, reps: tuple[int, int] = (8, 25)
) -> None:
    configs = {
        "4b_cpu": {"num_gpu": 0, "num_ctx": 2048},
        "4b_gpu40": {"num_gpu": 40, "num_ctx": 2048},
        "4b_full": {"num_gpu": 80, "num_ctx": 2048},
        "4b_full_ctx8k": {"num_gpu": 80, "num_ctx": 8192},
    }
    for model, prefix in (("gemma3:4b", "4b"), ("qwen2.5:7b", "q7")):
        out = []
        for name, settings in configs.items():
            rows = session(rng, model, settings, int(rng.integers(*reps)))
            frame = pd.DataFrame(rows)
            out.append({
                "model": model, "config_name": name.replace("4b", prefix), **settings,
                "runs": len(frame),
                "mean_tokens_s": round(frame["tps"].mean(), 3),
                "median_ttft_ms": round(frame["ttft_ms"].median(), 1),
                "p95_ttft_ms": round(frame["ttft_ms"].quantile(0.95), 1),
                "mean_load_s": round(frame["load_ms"].mean() / 1000, 3),
            })  # fmt: skip
        _csv(root / "summaries" / f"{prefix}_summary.csv", pd.DataFrame(out))


def write_alias_columns(
    root: Path, rng: np.random.Generator, reps: tuple[int, int] = (6, 13)
) -> None:
    grid = ((99, 4096, 0.7), (99, 16384, 0.7), (33, 4096, 0.7), (99, 4096, 0.2))
    for model in ("qwen2.5:7b", "llama3.2:1b"):
        out = []
        for ngl, ctx, temp in grid:
            settings = {"num_gpu": ngl, "num_ctx": ctx}
            for r in session(rng, model, settings, int(rng.integers(*reps))):
                out.append({
                    "model": model, "n_gpu_layers": ngl, "n_ctx": ctx, "temp": temp,
                    "tokens_per_second": round(r["tps"], 2),
                    "time_to_first_token_ms": round(r["ttft_ms"], 1),
                    "total_time_s": round(r["total_ms"] / 1000, 3),
                })  # fmt: skip
        _csv(root / f"server_{model.replace(':', '-')}.csv", pd.DataFrame(out))


LLAMA_BENCH_MODELS = {
    "gemma3:1b": ("gemma3 1B Q4_K - Medium", "models/gemma-3-1b-it-Q4_K_M.gguf"),
    "qwen2.5:7b": ("qwen2 7B Q4_K - Medium", "models/qwen2.5-7b-instruct-q4_k_m.gguf"),
}


def write_llama_bench(root: Path, rng: np.random.Generator) -> None:
    out = []
    for model, (mtype, filename) in LLAMA_BENCH_MODELS.items():
        tps0 = PROFILES[model][0]
        for ngl in (0, 99):
            for n_prompt, n_gen in ((512, 0), (0, 128)):
                speed = tps0 * _gpu_factor(ngl) * (11.0 if n_prompt else 1.0)
                samples = speed * rng.lognormal(0.0, 0.03, 5)
                out.append({
                    "build_commit": "b5d2a4e", "build_number": 5870, "model_filename": filename,
                    "model_type": mtype, "n_batch": 2048, "n_threads": 8, "n_gpu_layers": ngl,
                    "n_prompt": n_prompt, "n_gen": n_gen,
                    "test_time": "2025-11-12T10:00:00Z",
                    "avg_ns": int(np.mean((n_prompt or n_gen) / samples) * 1e9),
                    "stddev_ns": int(np.std((n_prompt or n_gen) / samples, ddof=1) * 1e9),
                    "avg_ts": round(float(samples.mean()), 6),
                    "stddev_ts": round(float(samples.std(ddof=1)), 6),
                })  # fmt: skip
    _csv(root / "llama-bench.csv", pd.DataFrame(out))


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    write: Callable[[Path, np.random.Generator], None]


SHAPES = (
    Shape("csv_runs", "per-run CSVs (s, tok/s): a num_gpu x num_ctx grid, a one-factor "
          "sweep, baselines, a file with many error rows", write_csv_runs),
    Shape("ollama_json", "Ollama bench JSON: `options` + `results`, no config names, "
          "error entries", write_ollama_json),
    Shape("shared_configs", "three models sharing config names at different speeds",
          write_shared_configs),
    Shape("raw_api", "raw Ollama API answers, durations in ns, no rate column", write_raw_api),
    Shape("summary_csv", "summary CSVs only: mean_/median_/p95_ columns and a run count",
          write_summary_csv),
    Shape("alias_columns", "llama.cpp-style columns: n_gpu_layers, n_ctx, temp, "
          "tokens_per_second, time_to_first_token_ms, total_time_s", write_alias_columns),
    Shape("llama_bench", "llama-bench -o csv output (avg_ts, n_gpu_layers, n_prompt/n_gen)",
          write_llama_bench),
)  # fmt: skip
SHAPES_BY_NAME = {s.name: s for s in SHAPES}
