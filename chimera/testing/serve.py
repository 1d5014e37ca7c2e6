"""Serve the Ollama stub from the command line, to try Chimera without Ollama or a GPU.

    python -m chimera.testing.serve [--port 11434] [--fixed]

By default the stub times each request with its speed model (`SpeedModel`: a 48-layer model,
tok/s from num_gpu, prefill from num_ctx, a load when those change) and `/api/ps` reports
the offload, so `chimera sweep` has something to find; `--fixed` answers at a fixed 2 ms a
token instead. It answers Chimera's analyst with valid JSON and its writer with a short
report, prints its URL on the first line and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading

from chimera.testing.ollama_server import (
    SpeedModel,
    StubBehaviour,
    reply_by_format,
    serve_ollama_stub,
)

ANALYST_REPLY = json.dumps(
    {
        "key_findings": ["Throughput rises with num_gpu until every layer is on the GPU."],
        "recommendations": ["Keep all layers on the GPU and the context no larger than needed."],
    }
)
WRITER_REPLY = (
    "## 1. Executive Summary\nFull GPU offload gives the highest throughput; in the data the"
    " fastest model, gemma3:270m, averages 164.31 tok/s.\n\n"
    "## 2. Optimisation Recommendations\n1. Offload every layer.\n2. Size num_ctx to the prompt.\n"
)


def main(argv: list[str] | None = None) -> None:
    models = ", ".join(StubBehaviour().models)
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=f"It serves the model(s) {models} (a config's `model:` must name one), answers"
        " /api/chat, /api/tags, /api/show, /api/ps and /api/version, and prints its URL first.",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--fixed", action="store_true", help="fixed timings, no speed model")
    args = parser.parse_args(argv)
    behaviour = StubBehaviour(
        reply=reply_by_format(ANALYST_REPLY, WRITER_REPLY),
        speed=None if args.fixed else SpeedModel(),
        token_delay_s=0.002,
    )
    with serve_ollama_stub(behaviour, bind_port=args.port) as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
