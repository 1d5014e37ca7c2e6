"""One stub Ollama server in its own process, for the benchmarks (see `_common.start_stub`).

    python benchmarks/stub_server.py '{"tokens": 40, "token_delay_s": 0.025}'

Prints its URL on the first line, serves until stdin closes, then prints one JSON line:
chat requests served, their outcomes and the peak number of chats in progress at once.
A JSON body holding "analyst_reply" and "writer_reply" answers Chimera's analyst (its
request carries a JSON schema) and writer (prose) with those texts; "speed" holds the
fields of a `SpeedModel` (timings from the request's options). "count": N serves N stubs
from this one process, their URLs on the first line separated by spaces (a simulated
fleet without a process per server).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import ExitStack

from chimera.testing.ollama_server import (
    SpeedModel,
    StubBehaviour,
    reply_by_format,
    serve_ollama_stub,
)


def main() -> None:
    fields = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    analyst, writer = fields.pop("analyst_reply", None), fields.pop("writer_reply", None)
    if analyst is not None and writer is not None:
        fields["reply"] = reply_by_format(analyst, writer)
    if "speed" in fields:
        fields["speed"] = SpeedModel(**fields["speed"])
    if "models" in fields:
        fields["models"] = tuple(fields["models"])
    count = int(fields.pop("count", 1))
    with ExitStack() as stack:
        servers = [
            stack.enter_context(serve_ollama_stub(StubBehaviour(**fields))) for _ in range(count)
        ]
        print(" ".join(s.url for s in servers), flush=True)
        sys.stdin.read()  # blocks until the parent closes our stdin
        chats = [r for s in servers for r in s.chat_requests]
        stats = {
            "chat_requests": len(chats),
            "outcomes": dict(Counter(r.outcome for r in chats)),
            "peak_concurrency": max(s.peak_concurrency() for s in servers),
        }
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
