"""The openai backend against the embedded backend and raw llama-cpp-python: tok/s and TTFT
on the same GGUF, and what the HTTP path costs per call.

One model, five ways, greedy (temperature 0, fixed seed), the same prompt and token budget:
- openai: `measured_call` over `OpenAIBackend` (ChatOpenAI, the openai client, httpx, SSE)
  against llama-cpp-python's server (`python -m llama_cpp.server`, a child process, run
  with OMP_WAIT_POLICY=PASSIVE: see chimera/testing/llama_server.py).
- raw-http: one streamed POST to that server with httpx, the SSE parsed by hand: the HTTP
  path with no client library.
- raw-http-stock: the same against a second server started as it comes (OpenMP's
  defaults), to show what that setting is worth.
- embedded: `measured_call` over `EmbeddedBackend` (in-process llama.cpp).
- raw: `Llama.create_chat_completion(stream=True)` in this process: no HTTP, no Chimera.

Servers and in-process models have the same threads, context and chat format (gemma). The
server samples with its own defaults (repeat_penalty 1.1, which the openai backend does not
send), so its text may differ from the in-process one: texts are checked to match within
each group (served, in-process), and tokens are counted per group (raw's count in-process,
raw-http's chunks served; all usually stop at the token budget). Every side is timed by
the caller with the same clock and definitions: TTFT is request to first text; decode
tok/s is (tokens - 1) / (wall - TTFT). Repetitions are interleaved, the order reversed
every other time, each on a new prompt. The HTTP path's cost per call is raw-http less raw
(TTFT and wall, median of the per-repetition differences); Chimera's on top of it is
openai less raw-http.

    .venv/bin/python benchmarks/bench_openai.py --json bench-results/openai.json
    .venv/bin/python benchmarks/bench_openai.py --smoke        # seconds, for CI
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
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from _common import median, side_medians
from bench_embedded import prompt_for  # the same stories as the embedded benchmark
from langchain_core.messages import HumanMessage

from chimera.backends._llama_runtime import plain_cpu_buffers
from chimera.backends.base import measured_call
from chimera.backends.embedded import EmbeddedBackend, import_llama_cpp
from chimera.backends.openai_compat import OpenAIBackend
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.testing.llama_server import LlamaCppServer

SIDES = ("openai", "raw-http", "raw-http-stock", "embedded", "raw")
SERVED = ("openai", "raw-http", "raw-http-stock")
ALIAS = "gemma3-270m"


@dataclass(frozen=True)
class Run:
    side: str
    rep: int
    ttft_ms: float
    wall_ms: float
    tokens: int = 0

    @property
    def decode_tok_s(self) -> float:
        return (self.tokens - 1) / ((self.wall_ms - self.ttft_ms) / 1000.0)


def run_raw(llm: Any, rep: int, args: argparse.Namespace) -> tuple[Run, str, int]:
    llm.reset()
    start = time.perf_counter()
    first: float | None = None
    pieces: list[str] = []
    for chunk in llm.create_chat_completion(
        messages=[{"role": "user", "content": prompt_for(rep)}],
        max_tokens=args.tokens,
        temperature=0.0,
        seed=args.seed,
        stream=True,
    ):
        text = chunk["choices"][0]["delta"].get("content") or ""
        if text and first is None:
            first = time.perf_counter()
        pieces.append(text)
    end = time.perf_counter()
    from llama_cpp.llama_chat_format import format_gemma

    prompt = format_gemma(messages=[{"role": "user", "content": prompt_for(rep)}]).prompt
    # The stream carries no usage: every sampled token but the last has been decoded.
    tokens = llm.n_tokens - len(llm.tokenize(prompt.encode(), add_bos=True, special=True)) + 1
    run = Run("raw", rep, ((first or end) - start) * 1000, (end - start) * 1000)
    return run, "".join(pieces), tokens


async def run_raw_http(
    url: str, side: str, rep: int, args: argparse.Namespace
) -> tuple[Run, str, int]:
    body = {
        "model": ALIAS,
        "messages": [{"role": "user", "content": prompt_for(rep)}],
        "max_tokens": args.tokens,
        "temperature": 0.0,
        "seed": args.seed,
        "stream": True,
    }
    async with httpx.AsyncClient(timeout=600) as client:
        start = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        async with client.stream("POST", f"{url}/chat/completions", json=body) as response:
            async for line in response.aiter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                choices = json.loads(line[6:]).get("choices") or [{}]
                text = (choices[0].get("delta") or {}).get("content") or ""
                if text and first is None:
                    first = time.perf_counter()
                pieces.append(text)
        end = time.perf_counter()
    run = Run(side, rep, ((first or end) - start) * 1000, (end - start) * 1000)
    return run, "".join(pieces), sum(1 for piece in pieces if piece)


async def run_chimera(
    backend: Any, side: str, rep: int, args: argparse.Namespace
) -> tuple[Run, str]:
    runtime = getattr(backend, "runtime", None)
    if runtime is not None and runtime.llm is not None:
        runtime.llm.reset()  # as raw does: no prompt prefix kept from the last repetition
    reply = await measured_call(
        backend,
        [HumanMessage(content=prompt_for(rep))],
        node="bench",
        timeout_s=600,
        num_ctx=None,
        max_tokens=args.tokens,
    )
    m = reply.metrics
    return Run(side, rep, m.ttft_ms or m.wall_ms, m.wall_ms), reply.text


def summarise(runs: list[Run]) -> dict[str, Any]:
    summary: dict[str, Any] = side_medians(runs, SIDES)

    def paired(a: str, b: str, field: str) -> float:
        by_rep = {(r.side, r.rep): getattr(r, field) for r in runs}
        reps = sorted({r.rep for r in runs})
        return median([by_rep[(a, rep)] - by_rep[(b, rep)] for rep in reps])

    s = summary
    summary["ratios"] = {
        "tok_s_openai_vs_embedded": s["openai"]["decode_tok_s"] / s["embedded"]["decode_tok_s"],
        "tok_s_openai_vs_raw": s["openai"]["decode_tok_s"] / s["raw"]["decode_tok_s"],
        "tok_s_embedded_vs_raw": s["embedded"]["decode_tok_s"] / s["raw"]["decode_tok_s"],
        "tok_s_raw_http_vs_raw": s["raw-http"]["decode_tok_s"] / s["raw"]["decode_tok_s"],
        "tok_s_stock_vs_passive_server": s["raw-http-stock"]["decode_tok_s"]
        / s["raw-http"]["decode_tok_s"],
        "ttft_openai_vs_embedded": s["openai"]["ttft_ms"] / s["embedded"]["ttft_ms"],
        "ttft_openai_vs_raw": s["openai"]["ttft_ms"] / s["raw"]["ttft_ms"],
    }
    summary["per_call_ms"] = {
        "http_ttft": paired("raw-http", "raw", "ttft_ms"),
        "http_wall": paired("raw-http", "raw", "wall_ms"),
        "chimera_over_http_ttft": paired("openai", "raw-http", "ttft_ms"),
        "chimera_over_http_wall": paired("openai", "raw-http", "wall_ms"),
    }
    return summary


async def bench(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    llama_cpp = import_llama_cpp()
    threads = args.threads or os.cpu_count() or 1
    options = ModelOptions(temperature=0.0, seed=args.seed, num_ctx=args.ctx)
    embedded = EmbeddedBackend(
        AgentConfig(name="bench", backend="embedded", options=options, embedded_threads=threads)
    )
    await embedded.check()
    path = embedded.runtime.resolve()
    server = LlamaCppServer(path, ALIAS, workdir / "server.log", n_ctx=args.ctx, n_threads=threads)
    stock = LlamaCppServer(
        path, ALIAS, workdir / "stock.log", n_ctx=args.ctx, n_threads=threads, env={}
    )
    server.start()
    try:
        stock.start()
        served = OpenAIBackend(
            AgentConfig(
                name="bench",
                backend="openai",
                model=ALIAS,
                base_url=server.url,
                options=ModelOptions(temperature=0.0, seed=args.seed),
            )
        )
        await served.check()
        with contextlib.redirect_stderr(io.StringIO()), plain_cpu_buffers(llama_cpp):
            raw = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=args.ctx,
                n_threads=threads,
                n_threads_batch=threads,
                chat_format="gemma",
                verbose=False,
            )

        async def one(side: str, rep: int) -> tuple[Run, str, int | None]:
            if side == "raw":
                return run_raw(raw, rep, args)
            if side in ("raw-http", "raw-http-stock"):
                url = server.url if side == "raw-http" else stock.url
                return await run_raw_http(url, side, rep, args)
            backend = served if side == "openai" else embedded
            return (*await run_chimera(backend, side, rep, args), None)

        for side in SIDES:  # load, allocate and fault in pages before anything is timed
            await one(side, -1)
        load_before = os.getloadavg()
        runs: list[Run] = []
        mismatches: list[str] = []
        for rep in range(args.reps):
            order = SIDES if rep % 2 == 0 else tuple(reversed(SIDES))
            texts: dict[str, str] = {}
            timed: list[Run] = []
            counts: dict[str, int] = {}
            for side in order:
                time.sleep(args.gap)  # let the last side's llama.cpp threads stop spinning
                run, texts[side], counted = await one(side, rep)
                if counted is not None:
                    counts[side] = counted
                timed.append(run)
            for r in timed:
                tokens = counts.get(r.side) or counts["raw-http" if r.side in SERVED else "raw"]
                runs.append(Run(r.side, r.rep, r.ttft_ms, r.wall_ms, tokens))
            for group in (SERVED, ("embedded", "raw")):
                if len({texts[side] for side in group}) != 1:
                    mismatches.append(f"rep {rep}: the texts of {', '.join(group)} differ")
            print(
                f"  rep {rep}: "
                + ", ".join(
                    f"{r.side} {r.decode_tok_s:.1f} tok/s ttft {r.ttft_ms:.0f} ms"
                    for r in runs
                    if r.rep == rep
                ),
                file=sys.stderr,
            )
        embedded.close()
        raw.close()
    finally:
        server.stop()
        stock.stop()
    import langchain_openai
    import openai

    return {
        "settings": {
            "model": str(path),
            "tokens": args.tokens,
            "reps": args.reps,
            "threads": threads,
            "n_ctx": args.ctx,
            "seed": args.seed,
            "gap_s": args.gap,
            "llama_cpp_python": llama_cpp.__version__,
            "langchain_openai": getattr(langchain_openai, "__version__", "?"),
            "openai": openai.__version__,
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
    print(f"{'side':<16}{'decode tok/s':>14}{'TTFT ms':>10}{'wall ms':>10}{'tokens':>8}")
    for side in SIDES:
        row = s[side]
        print(
            f"{side:<16}{row['decode_tok_s']:>14.2f}{row['ttft_ms']:>10.1f}"
            f"{row['wall_ms']:>10.0f}{row['tokens']:>8.0f}"
        )
    for name, value in s["ratios"].items():
        print(f"ratio {name}: {value:.3f}")
    for name, value in s["per_call_ms"].items():
        print(f"per call, {name}: {value:+.1f} ms")
    for line in result["mismatches"]:
        print(f"WARNING {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    with tempfile.TemporaryDirectory(prefix="chimera-bench-openai-") as tmp:
        result = asyncio.run(bench(args, Path(tmp)))
    result["command"] = "benchmarks/bench_openai.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print_table(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 1 if result["mismatches"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
