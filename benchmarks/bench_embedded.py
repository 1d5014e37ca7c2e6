"""Chimera's embedded backend against raw llama-cpp-python: tokens/s and TTFT, same everything.

Both sides run the same GGUF with the same threads and context, greedy (temperature 0, fixed
seed) on the same prompt, for the same number of tokens, so they generate identical text;
the script checks that texts and counts match. Repetitions are interleaved, alternating
which side goes first, so a busy machine slows all alike. Each repetition uses a new prompt
and every side starts from an empty KV cache, so each evaluates the whole prompt.

Sides, all timed by the caller with the same clock and definitions:
- chimera: `measured_call` over `EmbeddedBackend` (worker thread, queue, LangChain chunks).
- raw: `Llama.create_chat_completion(stream=True)` with chat_format="gemma", the library's
  own chat API.
- raw-generate: a bare `Llama.generate` loop, the floor under any wrapper.

TTFT is request to first text; decode tok/s is (tokens - 1) / (wall - TTFT). The ratio is
chimera over raw (>= 0.95 is the goal); TTFT is compared the same way, raw over chimera.

    .venv/bin/python benchmarks/bench_embedded.py --json bench-results/embedded.json
    .venv/bin/python benchmarks/bench_embedded.py --smoke        # a few seconds, for CI
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _common import median, side_medians
from langchain_core.messages import HumanMessage

from chimera.backends._llama_runtime import plain_cpu_buffers
from chimera.backends.base import measured_call
from chimera.backends.embedded import EmbeddedBackend, import_llama_cpp
from chimera.config.agent import AgentConfig, ModelOptions

TOPICS = (
    "a lighthouse keeper",
    "a clockmaker's apprentice",
    "a river that ran backwards",
    "the last train of the night",
    "a garden on the moon",
    "a lost violin",
    "an old map",
    "a city of bridges",
)
SIDES = ("chimera", "raw", "raw-generate")


@dataclass(frozen=True)
class Run:
    side: str
    rep: int
    tokens: int
    ttft_ms: float
    wall_ms: float
    reported_tok_s: float | None = None  # what the side itself reports, if anything

    @property
    def decode_tok_s(self) -> float:
        return (self.tokens - 1) / ((self.wall_ms - self.ttft_ms) / 1000.0)


def prompt_for(rep: int) -> str:
    return f"Write a long story about {TOPICS[rep % len(TOPICS)]}. Story {rep}:"


def run_raw_chat(llm: Any, rep: int, max_tokens: int, seed: int) -> tuple[Run, str]:
    llm.reset()
    start = time.perf_counter()
    first: float | None = None
    pieces: list[str] = []
    stream = llm.create_chat_completion(
        messages=[{"role": "user", "content": prompt_for(rep)}],
        max_tokens=max_tokens,
        temperature=0.0,
        seed=seed,
        stream=True,
    )
    for chunk in stream:
        text = chunk["choices"][0]["delta"].get("content") or ""
        if text and first is None:
            first = time.perf_counter()
        pieces.append(text)
    end = time.perf_counter()
    # The stream carries no usage: every sampled token but the last has been decoded.
    prompt = llm.tokenize(llm_prompt(rep).encode(), add_bos=True, special=True)
    tokens = llm.n_tokens - len(prompt) + 1
    run = Run("raw", rep, tokens, ((first or end) - start) * 1000, (end - start) * 1000)
    return run, "".join(pieces)


def run_raw_generate(llm: Any, rep: int, max_tokens: int, seed: int) -> tuple[Run, str]:
    llama_cpp = import_llama_cpp()
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    llm.reset()
    start = time.perf_counter()
    prompt = llm.tokenize(llm_prompt(rep).encode(), add_bos=True, special=True)
    llm.set_seed(seed)
    first: float | None = None
    out: list[int] = []
    for token in llm.generate(prompt, temp=0.0):
        if first is None:
            first = time.perf_counter()
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            out.append(token)
            break
        out.append(token)
        if len(out) >= max_tokens:
            break
    end = time.perf_counter()
    text = llm.detokenize([t for t in out if not llama_cpp.llama_vocab_is_eog(vocab, t)])
    run = Run("raw-generate", rep, len(out), ((first or end) - start) * 1000, (end - start) * 1000)
    return run, text.decode("utf-8", errors="replace")


def llm_prompt(rep: int) -> str:
    from llama_cpp.llama_chat_format import format_gemma

    return format_gemma(messages=[{"role": "user", "content": prompt_for(rep)}]).prompt


async def run_chimera(backend: EmbeddedBackend, rep: int, max_tokens: int) -> tuple[Run, str]:
    if backend.runtime.llm is not None:
        backend.runtime.llm.reset()  # as the raw sides do: no prompt prefix from the last rep
    reply = await measured_call(
        backend,
        [HumanMessage(content=prompt_for(rep))],
        node="bench",
        timeout_s=600,
        num_ctx=None,
        max_tokens=max_tokens,
    )
    m = reply.metrics
    run = Run(
        "chimera", rep, m.eval_count or 0, m.ttft_ms or m.wall_ms, m.wall_ms, m.throughput_tok_s
    )
    return run, reply.text


def summarise(runs: list[Run]) -> dict[str, Any]:
    summary: dict[str, Any] = side_medians(runs, SIDES)
    chimera, raw, bare = summary["chimera"], summary["raw"], summary["raw-generate"]
    summary["ratio_tok_s"] = chimera["decode_tok_s"] / raw["decode_tok_s"]
    summary["ratio_ttft"] = raw["ttft_ms"] / chimera["ttft_ms"]
    summary["ratio_tok_s_vs_generate"] = chimera["decode_tok_s"] / bare["decode_tok_s"]
    summary["chimera_reported_tok_s"] = median(
        [r.reported_tok_s for r in runs if r.side == "chimera" and r.reported_tok_s]
    )
    return summary


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    llama_cpp = import_llama_cpp()
    options = ModelOptions(temperature=0.0, seed=args.seed, num_ctx=args.ctx)
    config = AgentConfig(
        name="bench",
        backend="embedded",
        model_path=args.model,
        options=options,
        embedded_threads=args.threads,
    )
    backend = EmbeddedBackend(config)
    await backend.check()
    path = backend.runtime.resolve()
    # llama.cpp's load chatter; the same plain CPU buffers as Chimera's (like for like, and
    # the extra buffer types crash some machines: see chimera.backends._llama_runtime).
    with contextlib.redirect_stderr(io.StringIO()), plain_cpu_buffers(llama_cpp):
        raw = llama_cpp.Llama(
            model_path=str(path),
            n_ctx=args.ctx,
            n_threads=backend.runtime.n_threads,
            n_threads_batch=backend.runtime.n_threads,
            chat_format="gemma",
            verbose=False,
        )
    sides: dict[str, Callable[[int], Any]] = {
        "chimera": lambda rep: run_chimera(backend, rep, args.tokens),
        "raw": lambda rep: run_raw_chat(raw, rep, args.tokens, args.seed),
        "raw-generate": lambda rep: run_raw_generate(raw, rep, args.tokens, args.seed),
    }

    async def one(side: str, rep: int) -> tuple[Run, str]:
        result = sides[side](rep)
        return await result if asyncio.iscoroutine(result) else result

    for side in SIDES:  # load, allocate and fault in pages before anything is timed
        await one(side, -1)
    load_before = os.getloadavg()
    runs: list[Run] = []
    mismatches: list[str] = []
    for rep in range(args.reps):
        order = SIDES if rep % 2 == 0 else tuple(reversed(SIDES))
        texts: dict[str, str] = {}
        for side in order:
            # Let the previous side's llama.cpp threads stop spinning before this one starts.
            time.sleep(args.gap)
            run, texts[side] = await one(side, rep)
            runs.append(run)
        counts = {r.side: r.tokens for r in runs if r.rep == rep}
        if len(set(counts.values())) != 1 or len(set(texts.values())) != 1:
            mismatches.append(f"rep {rep}: tokens {counts}")
        print(
            f"  rep {rep}: "
            + ", ".join(
                f"{r.side} {r.decode_tok_s:.1f} tok/s ttft {r.ttft_ms:.0f} ms"
                for r in runs
                if r.rep == rep
            ),
            file=sys.stderr,
        )
    backend.close()
    raw.close()
    return {
        "settings": {
            "model": str(path),
            "tokens": args.tokens,
            "reps": args.reps,
            "threads": backend.runtime.n_threads,
            "n_ctx": args.ctx,
            "seed": args.seed,
            "gap_s": args.gap,
            "llama_cpp_python": llama_cpp.__version__,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg_before": load_before,
            "load_avg_after": os.getloadavg(),
        },
        "runs": [asdict(r) | {"decode_tok_s": r.decode_tok_s} for r in runs],
        "summary": summarise(runs),
        "mismatches": mismatches,
    }


def print_table(result: dict[str, Any]) -> None:
    s, settings = result["summary"], result["settings"]
    print(
        f"{Path(settings['model']).name}: {settings['tokens']} tokens x {settings['reps']} reps, "
        f"{settings['threads']} threads, medians (load avg {settings['load_avg_before'][0]:.1f})"
    )
    print(f"{'side':<14}{'decode tok/s':>14}{'TTFT ms':>10}{'wall ms':>10}{'tokens':>8}")
    for side in SIDES:
        row = s[side]
        print(
            f"{side:<14}{row['decode_tok_s']:>14.2f}{row['ttft_ms']:>10.1f}"
            f"{row['wall_ms']:>10.0f}{row['tokens']:>8.0f}"
        )
    print(f"ratio chimera/raw tok/s: {s['ratio_tok_s']:.3f}   (goal >= 0.95)")
    print(f"ratio raw/chimera TTFT:  {s['ratio_ttft']:.3f}")
    print(f"ratio chimera/raw-generate tok/s: {s['ratio_tok_s_vs_generate']:.3f}")
    reported = s["chimera_reported_tok_s"]
    print(f"chimera's own reported throughput (llama.cpp decode time): {reported:.2f} tok/s")
    for line in result["mismatches"]:
        print(f"WARNING sides differ, {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="a GGUF; default gemma3 270M")
    parser.add_argument("--tokens", type=int, default=128, help="tokens generated per call")
    parser.add_argument("--reps", type=int, default=6, help="timed repetitions per side")
    parser.add_argument("--threads", type=int, default=None, help="default: os.cpu_count()")
    parser.add_argument("--ctx", type=int, default=2048, help="context window, tokens")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--gap", type=float, default=0.5, help="idle seconds between runs")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--smoke", action="store_true", help="tiny run for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.tokens, args.reps, args.gap = 16, 2, 0.1
    result = asyncio.run(bench(args))
    print_table(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 1 if result["mismatches"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
