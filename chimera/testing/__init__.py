"""An Ollama-protocol HTTP server for tests and benchmarks (`chimera.testing.ollama_server`).

Only test and benchmark code imports this package; production code never does. The
deterministic fake chat backend is a real backend and lives in `chimera.backends.fake`.
"""
