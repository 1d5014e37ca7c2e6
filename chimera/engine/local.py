"""The local executor: every run's graph in this process, on this event loop.

Runs take a slot on the least-loaded host of their pool (`HostSlots`); one backend per
(group, host) for the whole plan, so an embedded model is loaded once and every Ollama
client stays on this loop, and an in-process model is freed when its host moves on to
another group (a sweep's next cell). The data folder is digested once before the first
run (`digest_once`), so no run's wall includes it; one graph is compiled per retry count.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from chimera.backends.base import ChatBackend
from chimera.backends.registry import build_backend
from chimera.config.agent import AgentConfig, IngestOptions
from chimera.config.personas import PersonaLibrary
from chimera.engine.dispatch import Batch, BatchDone, Job, Placement, RunDone, RunOrder
from chimera.engine.slots import HostSlots
from chimera.errors import RunInterrupted
from chimera.execution.runner import execute, prepare
from chimera.graphs.insight import compile_insight_graph
from chimera.ingest.cache import IngestCache, file_progress, reading_key

T = TypeVar("T")


def local_placement() -> Placement:
    return Placement(executor="local", hostname=socket.gethostname(), cpus=os.cpu_count())


async def gather_or_stop(work: Sequence[Awaitable[T]]) -> list[T]:
    """All of `work` at once; when one fails (or this is cancelled), the others are stopped
    and waited for, so none is left running, or failing unseen, after the plan ends."""
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def personas_for(config: AgentConfig, personas_dirs: Sequence[str]) -> PersonaLibrary:
    return PersonaLibrary.discover([*config.personas_dirs, *map(Path, personas_dirs)])


async def digest_once(
    cache: IngestCache,
    data_dir: Path,
    readings: Sequence[IngestOptions],
    exclude: Sequence[Path],
    report: Callable[[Literal["start", "progress", "end"], str | None], None] | None,
) -> tuple[float, int]:
    """Digest the data before the first run for every distinct way the configs read it.

    Returns (seconds, digests computed): later digests mean files changed mid-plan.
    """
    distinct = {reading_key(options): options for options in readings}
    start = time.perf_counter()
    if report:
        report("start", None)
    for options in distinct.values():
        on_file = file_progress(None if report is None else partial(report, "progress"))
        await cache.ingest(data_dir, options, on_file, exclude=exclude)
    if report:
        report("end", None)
    return time.perf_counter() - start, len(distinct)


@dataclass
class LocalExecutor:
    """Runs batches in this process (see the module docstring)."""

    job: Job
    checkpointer: BaseCheckpointSaver | None = None
    ingest_cache: IngestCache = field(default_factory=IngestCache)
    name: str = "local"
    backends: dict[tuple[str, str], ChatBackend] = field(default_factory=dict)
    personas: dict[str, PersonaLibrary] = field(default_factory=dict)  # by group
    slots: dict[str, HostSlots] = field(default_factory=dict)
    last_on: dict[tuple[str, str], str] = field(default_factory=dict)  # (pool, host) -> group
    graphs: dict[int, CompiledStateGraph] = field(default_factory=dict)  # by retries
    placement: Placement = field(default_factory=local_placement)

    def __post_init__(self) -> None:
        for name, pool in self.job.pools.items():
            self.slots[name] = HostSlots(pool.hosts, pool.per_host)

    async def check(self, orders: Sequence[RunOrder]) -> None:
        """Check every distinct (group, host) before the first run: a server that is down or
        a persona that is missing stops the plan before any run, with one line."""
        checked: set[tuple[str, str, str, str]] = set()
        for order in orders:
            pool = self.job.pools[order.pool]
            config = order.config
            for host in pool.hosts:
                key = (config.model, config.personas.analyst, config.personas.writer, host)
                if key in checked:
                    continue
                checked.add(key)
                _, library, backend = await prepare(
                    config, self.job.personas_dirs, host=pool.spec.server(host)
                )
                self.personas.setdefault(order.group, library)
                self.backends[(order.group, host)] = backend

    def graph_for(self, config: AgentConfig) -> CompiledStateGraph:
        # Compiled once per plan (compiling costs every run ~3 ms of CPU otherwise).
        if config.retries not in self.graphs:
            self.graphs[config.retries] = compile_insight_graph(config.retries, self.checkpointer)
        return self.graphs[config.retries]

    def backend_for(self, order: RunOrder, host: str) -> ChatBackend:
        pool = self.job.pools[order.pool]
        if not pool.spec.uses_hosts:
            # An in-process model holds memory: free the one this host ran before.
            for key in [k for k in self.backends if k[1] == host and k[0] != order.group]:
                close = getattr(self.backends.pop(key), "close", None)
                if callable(close):
                    close()
        key = (order.group, host)
        if key not in self.backends:
            backend = build_backend(order.config, pool.spec.server(host))
            # Not checked again (check() did this host): what answered it is the same server.
            checked = next((b for (_, h), b in self.backends.items() if h == host), None)
            backend.served_by = getattr(checked, "served_by", None)
            self.backends[key] = backend
        return self.backends[key]

    def close(self) -> None:
        for backend in self.backends.values():
            close = getattr(backend, "close", None)
            if callable(close):
                close()
        self.backends.clear()

    async def start(self, batch: Batch) -> BatchDone:
        start = time.perf_counter()
        if batch.together and len(batch.runs) > 1:
            runs = await gather_or_stop([self._run(order, start) for order in batch.runs])
        else:
            runs = [await self._run(order, start) for order in batch.runs]
        return BatchDone(batch, runs, time.perf_counter() - start)

    async def _run(self, order: RunOrder, batch_start: float) -> RunDone:
        job = self.job
        pool = job.pools[order.pool]
        async with self.slots[order.pool].acquire() as host:
            now = time.perf_counter()
            previous = self.last_on.get((order.pool, host))
            self.last_on[(order.pool, host)] = order.group
            backend = self.backend_for(order, host)
            job.open_folder(order)
            if job.on_start:
                job.on_start(order, host)
            on_node = job.on_node
            progress = None if on_node is None else partial(on_node, order)
            library = self.personas.get(order.group) or personas_for(
                order.config, job.personas_dirs
            )
            try:
                result = await execute(
                    order.config,
                    library,
                    backend,
                    job.data_dir,
                    progress=progress,
                    checkpointer=self.checkpointer,
                    # Unique per attempt: a run done again must start afresh, not resume.
                    thread_id=f"{order.key}/{uuid.uuid4().hex[:8]}",
                    ingest_cache=self.ingest_cache,
                    graph=self.graph_for(order.config),
                    exclude=job.exclude(),
                )
            except RunInterrupted as stop:
                if stop.result is not None:
                    job.save(order, stop.result.model_copy(update={"placement": self.placement}))
                raise
            result = job.save(order, result.model_copy(update={"placement": self.placement}))
            residency = None
            if job.residency and result.ok and pool.spec.residency is not None:
                residency = await pool.spec.residency(order.config, host)
            return RunDone(
                order=order,
                result=result,
                host=backend.host or host,
                placement=self.placement,
                offset_s=now - batch_start,
                since_start_s=now - job.started,
                previous=previous,
                residency=residency,
            )
