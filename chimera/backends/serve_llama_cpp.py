"""`python -m chimera.backends.serve_llama_cpp ARGS`: llama-cpp-python's own OpenAI-compatible
server (`python -m llama_cpp.server ARGS`, unchanged), its model loaded into plain CPU buffers.

On a Xeon with AMX in a sandbox that does not grant AMX tile state, llama.cpp's extra (AMX,
repacked) weight buffers crash the first decode (SIGSEGV: the server died on its first
request, every test of the openai backend against it failing with "connection refused").
The embedded backend never asks for them (`plain_cpu_buffers`); the server has no flag for
it, so this entry point makes the same adjustment for the server's life and then runs it.
"""

from __future__ import annotations

import runpy

from chimera.backends._llama_runtime import import_llama_cpp, plain_cpu_buffers


def main() -> None:
    with plain_cpu_buffers(import_llama_cpp()):
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
