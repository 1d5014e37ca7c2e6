"""The insight graph: ingest -> analyst -> writer -> verify.

A folder with nothing to measure (no finding computed) goes ingest -> nothing_to_measure ->
verify: the report says so plainly and no model is asked.

`build_insight_graph()` returns an uncompiled StateGraph so each caller (CLI, compare
runner, tests) compiles it with its own checkpointer. Node wall time is captured here,
by wrapping, so nodes never time themselves.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy

from chimera.agents.analyst import analyst
from chimera.agents.ingest import ingest
from chimera.agents.nothing_to_measure import has_measurements, nothing_to_measure
from chimera.agents.verify import verify
from chimera.agents.writer import writer
from chimera.context import RunContext
from chimera.errors import BackendProtocolError, BackendTimeout
from chimera.state import ChimeraState

NodeFn = Callable[[ChimeraState, Runtime[RunContext]], Awaitable[dict[str, Any]]]

# Only faults that another attempt can cure are retried; a missing model or a refused
# connection fails at once (the preflight check reports those before the graph starts).
RETRYABLE = (BackendProtocolError, BackendTimeout)


def timed(name: str, node: NodeFn) -> NodeFn:
    """Wrap a node so its update carries its own wall time under `node_timings[name]`."""

    async def run_timed(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
        start = time.perf_counter()
        update = await node(state, runtime)
        return {**update, "node_timings": {name: time.perf_counter() - start}}

    run_timed.__name__ = f"timed_{name}"
    return run_timed


def llm_retry_policy(retries: int) -> RetryPolicy:
    """Backoff for LLM nodes: 1 s, 2 s, 4 s ... (jittered), `retries` extra attempts."""
    return RetryPolicy(
        max_attempts=retries + 1,
        initial_interval=1.0,
        backoff_factor=2.0,
        retry_on=RETRYABLE,
    )


def compile_insight_graph(
    retries: int = 2, checkpointer: BaseCheckpointSaver | None = None
) -> CompiledStateGraph:
    """The graph compiled; reusable by any number of runs, concurrent ones too."""
    return build_insight_graph(retries).compile(checkpointer=checkpointer)


def build_insight_graph(retries: int = 2) -> StateGraph:
    """The uncompiled graph; compile with `.compile(checkpointer=...)`."""
    graph = StateGraph(ChimeraState, context_schema=RunContext)
    graph.add_node("ingest", timed("ingest", ingest))
    graph.add_node("analyst", timed("analyst", analyst), retry_policy=llm_retry_policy(retries))
    graph.add_node("writer", timed("writer", writer), retry_policy=llm_retry_policy(retries))
    graph.add_node("verify", timed("verify", verify))
    graph.add_node("nothing_to_measure", timed("nothing_to_measure", nothing_to_measure))
    graph.add_edge(START, "ingest")
    graph.add_conditional_edges(
        "ingest",
        lambda state: "analyst" if has_measurements(state) else "nothing_to_measure",
        ["analyst", "nothing_to_measure"],
    )
    graph.add_edge("nothing_to_measure", "verify")
    graph.add_edge("analyst", "writer")
    graph.add_edge("writer", "verify")
    graph.add_edge("verify", END)
    return graph
