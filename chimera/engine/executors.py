"""Choosing an executor for a plan: `local` (this process) or `ray` (a Ray cluster).

`running(...)` readies one for a plan's runs and closes it afterwards, whatever happens:
the local executor checks every server and persona first and digests the data once; the
Ray executor places its workers, each of which checks and digests next to its model.
Either way the plan then dispatches its batches the same way (`chimera.engine.dispatch`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from chimera.engine.dispatch import Executor, Job, RunOrder
from chimera.engine.local import LocalExecutor, digest_once
from chimera.engine.ray_executor import RayExecutor, pool_configs
from chimera.execution.checkpoints import sqlite_checkpointer

ExecutorKind = Literal["local", "ray"]
EXECUTORS: tuple[str, ...] = ("local", "ray")


@dataclass
class Running:
    """An executor ready for a plan's runs."""

    executor: Executor
    digest_s: float  # digesting the data before the first run
    capacity: Callable[[str], int]  # runs a pool can have in flight at once
    redigests: Callable[[], int]  # digests made during the runs (files changed meanwhile)


@asynccontextmanager
async def running(
    kind: ExecutorKind,
    job: Job,
    orders: Sequence[RunOrder],
    *,
    checkpoint: Path | None = None,
    address: str | None = None,
    report: Callable[..., None] | None = None,
) -> AsyncIterator[Running]:
    """The executor `kind` ready for `orders` (one of each config is enough), closed after."""
    if kind == "ray":
        ray_executor = RayExecutor(job, address=address)
        try:
            await ray_executor.start_workers(pool_configs(orders))
            yield Running(ray_executor, ray_executor.digest_s, ray_executor.capacity, lambda: 0)
        finally:
            ray_executor.close()
        return
    saving: AbstractAsyncContextManager[Any] = (
        sqlite_checkpointer(checkpoint) if checkpoint is not None else nullcontext(None)
    )
    async with saving as saver:
        local = LocalExecutor(job, checkpointer=saver)
        try:
            await local.check(orders)
            digest_s, readings = await digest_once(
                local.ingest_cache, job.data_dir, [o.config.ingest for o in orders],
                job.exclude(), report,
            )  # fmt: skip
            yield Running(
                local,
                digest_s,
                lambda pool: job.pools[pool].slots,
                lambda: local.ingest_cache.ingests - readings,
            )
        finally:
            local.close()
