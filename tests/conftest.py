"""Shared fixtures: a real Ollama-protocol HTTP server, and a URL where nothing listens.

Also the quick default: tests marked with one of SLOW_MARKERS (the real embedded model,
the benchmarks, a Ray cluster, anything else that takes minutes) are left out of a plain
`pytest`, and said to be; `pytest --all` (what `.ci/run` runs) includes them, and so does
`-m` naming a marker (`pytest -m ray`).
"""

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


SLOW_MARKERS = ("embedded", "benchmark", "ray", "slow")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all",
        action="store_true",
        default=False,
        help=f"also run the slow tests (marked {', '.join(SLOW_MARKERS)}); CI runs them all",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--all") or config.getoption("-m"):
        return
    slow = [i for i in items if any(i.get_closest_marker(m) for m in SLOW_MARKERS)]
    if not slow:
        return
    left = set(map(id, slow))
    items[:] = [i for i in items if id(i) not in left]
    config.hook.pytest_deselected(items=slow)
    config.stash[_LEFT_OUT] = len(slow)


_LEFT_OUT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    left_out = terminalreporter.config.stash.get(_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} slow test(s) left out (real model, benchmarks, Ray cluster):"
            " run them with `pytest --all`, as CI does"
        )
