"""Deterministic fakes for tests and benchmarks: a fake chat backend, an Ollama-protocol server."""
