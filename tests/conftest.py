"""Shared fixtures: a real Ollama-protocol HTTP server, and a URL where nothing listens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chimera.testing.ollama_server import OllamaStubServer, refused_url, serve_ollama_stub


@pytest.fixture
def ollama_server() -> Iterator[OllamaStubServer]:
    """A started stub with the default behaviour; tune it with `ollama_server.update(...)`."""
    with serve_ollama_stub() as server:
        yield server


@pytest.fixture
def refused_ollama_url() -> Iterator[str]:
    """An http:// URL on which every connection is refused."""
    with refused_url() as url:
        yield url
