"""The Ray executor: each run's graph executes on a Ray worker, next to its model.

Workers are Ray actors (`RunWorker`), one per slot: for a backend with hosts (Ollama),
one per host and per run the host takes at once, placed where the config says the host
lives (`ray.hosts` in the agent config: the Ray resources of the node next to that server;
`ray.resources`: what every run of the agent needs); for an in-process backend (embedded),
`ray.per_node` per alive node, spread over the nodes. A worker keeps its backends, its
digest of the data and its compiled graphs across runs, as the local executor does; it
digests the data once when it starts, so no run's wall includes it.

The driver stays the only writer: it creates each run's folder before sending the run,
and writes the files when the result comes back (`Job.save`); the worker only computes.
Each run records where it ran (`Placement`: node id, host name, CPUs, GPUs).

Faults: a worker or node that dies mid-run loses only that run. Its folder is set aside
(`interrupted-...`, never deleted, never counted), a new worker is placed, and the run is
tried again, at most `max_retries` times (each retry is counted and said in the summary).
When no node can take the new worker within `place_timeout_s`, or the retries run out,
the plan stops as a full disk would: what finished is kept and `chimera resume` goes on.
Ctrl-C cancels the runs in flight on the cluster and kills the workers.

The data folder and persona folders must be readable at the same paths on every node
(one machine, or a shared file system).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chimera.backends.base import ChatBackend, ModelResidency
from chimera.backends.registry import backend_spec, build_backend
from chimera.config.agent import AgentConfig, IngestOptions
from chimera.engine.dispatch import Batch, BatchDone, Job, RunDone, RunOrder
from chimera.engine.slots import HostSlots
from chimera.errors import ChimeraError, ConfigError, RunFailed
from chimera.execution.result import Placement, RunResult
from chimera.logging import get_logger

log = get_logger("chimera.ray")
INSTALL_HINT = 'pip install -e ".[ray]"'
DEFAULT_MAX_RETRIES = 2
DEFAULT_PLACE_TIMEOUT_S = 120.0
PLACE_ATTEMPTS = 3


def import_ray() -> Any:
    """The ray module, or one line naming the install command."""
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--executor ray needs Ray, which is not installed",
            hint=f"install the extra: {INSTALL_HINT}",
        ) from None
    return ray


class RunWorker:
    """One Ray actor: runs graphs for the driver, one at a time per slot it stands for."""

    def __init__(self, data_dir: str, personas_dirs: list[str], exclude: list[str]) -> None:
        from chimera.ingest.cache import IngestCache

        self.data_dir = Path(data_dir)
        self.personas_dirs = personas_dirs
        self.exclude = tuple(Path(p) for p in exclude)
        self.cache = IngestCache()
        self.backends: dict[tuple[str, str], ChatBackend] = {}
        self.graphs: dict[int, Any] = {}
        self.placement = _here()

    def where(self) -> dict[str, Any]:
        return self.placement.model_dump()

    async def digest(self, options: list[str]) -> float:
        """Digest the data for each way the plan reads it, before any run."""
        start = time.perf_counter()
        for text in options:
            await self.cache.ingest(
                self.data_dir, IngestOptions.model_validate_json(text), exclude=self.exclude
            )
        return time.perf_counter() - start

    def _backend(self, group: str, config: AgentConfig, host: str) -> ChatBackend:
        spec = backend_spec(config)
        if not spec.uses_hosts:  # an in-process model holds memory: one group at a time
            for key in [k for k in self.backends if k[0] != group]:
                close = getattr(self.backends.pop(key), "close", None)
                if callable(close):
                    close()
        key = (group, host)
        if key not in self.backends:
            self.backends[key] = build_backend(config, spec.server(host))
        return self.backends[key]

    async def run(
        self, key: str, group: str, config_json: str, host: str, residency: bool
    ) -> tuple[str, dict[str, Any] | None]:
        """Run one graph; (the RunResult as JSON, where the model sits or None)."""
        from chimera.config.personas import PersonaLibrary
        from chimera.execution.runner import execute
        from chimera.graphs.insight import compile_insight_graph

        config = AgentConfig.model_validate_json(config_json)
        backend = self._backend(group, config, host)
        if getattr(backend, "_chimera_checked", False) is False:
            await backend.check()  # next to the server, as the run will reach it
            backend._chimera_checked = True  # type: ignore[attr-defined]
        library = PersonaLibrary.discover([*config.personas_dirs, *map(Path, self.personas_dirs)])
        if config.retries not in self.graphs:
            self.graphs[config.retries] = compile_insight_graph(config.retries, None)
        result = await execute(
            config,
            library,
            backend,
            self.data_dir,
            thread_id=f"{key}/{uuid.uuid4().hex[:8]}",
            ingest_cache=self.cache,
            graph=self.graphs[config.retries],
            exclude=self.exclude,
        )
        found = None
        spec = backend_spec(config)
        if residency and result.ok and spec.residency is not None:
            where = await spec.residency(config, host)
            found = None if where is None else _residency_dict(where)
        return result.model_dump_json(), found

    def close(self) -> None:
        for backend in self.backends.values():
            close = getattr(backend, "close", None)
            if callable(close):
                close()


def _residency_dict(found: ModelResidency) -> dict[str, Any]:
    return {
        "model": found.model,
        "size_bytes": found.size_bytes,
        "size_vram_bytes": found.size_vram_bytes,
        "context_length": found.context_length,
    }


def _here() -> Placement:
    """Where this worker runs: its Ray node, the host name, the node's CPUs and GPUs."""
    import ray

    node_id = ray.get_runtime_context().get_node_id()
    resources: dict[str, float] = {}
    for node in ray.nodes():
        if node.get("NodeID") == node_id:
            resources = node.get("Resources", {})
    return Placement(
        executor="ray",
        hostname=socket.gethostname(),
        node_id=node_id,
        cpus=resources.get("CPU", os.cpu_count()),
        gpus=resources.get("GPU", 0.0),
    )


@dataclass
class _Worker:
    """One actor and what it needs to be placed again."""

    options: dict[str, Any]
    actor: Any = None
    placement: Placement | None = None
    busy: int = 0  # runs in flight on it
    generation: int = 0  # how many times it was placed again (runs tell theirs apart)
    last: dict[str, str] = field(default_factory=dict)  # host -> group that ran last there


@dataclass
class _Group:
    """The workers that can serve some hosts: those placed with the same resources."""

    workers: list[_Worker]
    in_process: bool  # an in-process model: one run at a time per worker

    def pick(self) -> _Worker:
        """The least busy worker (in-process: a free one; the driver's slots ensure it)."""
        return min(self.workers, key=lambda w: w.busy)


@dataclass
class RayExecutor:
    """Runs batches on a Ray cluster (see the module docstring)."""

    job: Job
    address: str | None = None
    max_retries: int = DEFAULT_MAX_RETRIES
    place_timeout_s: float = DEFAULT_PLACE_TIMEOUT_S
    name: str = "ray"
    ray: Any = None
    started_ray: bool = False
    slots: dict[str, HostSlots] = field(default_factory=dict)  # pool -> its hosts or workers
    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)  # (pool, slot) -> group
    last_on_host: dict[str, str] = field(default_factory=dict)  # server -> group run last
    retried: int = 0
    digest_s: float = 0.0
    in_flight: set[Any] = field(default_factory=set)

    def connect(self) -> None:
        """Join the cluster named by `address` or RAY_ADDRESS; else start a local one."""
        address = self.address or os.environ.get("RAY_ADDRESS") or None
        if address is None or address.split(":")[0] in ("127.0.0.1", "localhost"):
            # Ray otherwise swaps a loopback address for the machine's own IP: a cluster on
            # this machine stays on loopback.
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        self.ray = import_ray()
        if self.ray.is_initialized():
            return
        # A local instance started here listens on loopback only: nothing leaves the machine.
        local = {} if address else {"_node_ip_address": "127.0.0.1"}
        try:
            self.ray.init(address=address, log_to_driver=False, include_dashboard=False, **local)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(
                f"cannot reach the Ray cluster at {address}: {str(exc).splitlines()[0]}",
                hint="check --ray-address / RAY_ADDRESS, or leave both unset to start a local"
                " Ray instance",
            ) from None
        self.started_ray = address is None

    @staticmethod
    def _wanted(config: AgentConfig, host: str | None) -> dict[str, float]:
        wanted = dict(config.ray.resources)
        if host is not None:
            by_host = {h.rstrip("/"): r for h, r in config.ray.hosts.items()}
            wanted |= by_host.get(host, {})
        return wanted

    def _options(
        self, config: AgentConfig, wanted: dict[str, float], in_process: bool
    ) -> dict[str, Any]:
        cpus = config.ray.cpus if config.ray.cpus is not None else (1.0 if in_process else 0.0)
        options: dict[str, Any] = {"num_cpus": cpus, "max_concurrency": 1000}
        if wanted:
            # Presence pins the worker: a node has the resource or it does not.
            options["resources"] = {k: min(v, 0.001) for k, v in wanted.items()}
        else:
            options["scheduling_strategy"] = "SPREAD"
        return options

    def _nodes_with(self, wanted: dict[str, float]) -> int:
        alive = [n for n in self.ray.nodes() if n.get("Alive")]
        return sum(1 for n in alive if all(k in n.get("Resources", {}) for k in wanted))

    async def start_workers(self, configs: dict[str, AgentConfig]) -> None:
        """Place every pool's workers and digest the data on each (before any run).

        Hosts that ask for the same resources share workers: `ray.per_node` on each node
        that has them (for a server's own node: one), each running many runs at once for
        a server backend (the driver keeps each host's limit), one at a time in-process.
        """
        self.connect()
        readings = sorted({c.ingest.model_dump_json() for c in configs.values()})
        made: dict[tuple[str, tuple[tuple[str, float], ...]], _Group] = {}
        # (the pool for in-process models, "" for servers; the resources asked)
        for pool_name, pool in self.job.pools.items():
            config = configs[pool_name]
            in_process = not pool.spec.uses_hosts
            hosts = [None] if in_process else list(pool.hosts)
            names: list[str] = []
            for host in hosts:
                wanted = self._wanted(config, host)
                # Server backends of every pool share the workers placed alike.
                key = (pool_name if in_process else "", tuple(sorted(wanted.items())))
                if key not in made:
                    count = max(1, self._nodes_with(wanted)) * config.ray.per_node
                    options = self._options(config, wanted, in_process)
                    made[key] = _Group([_Worker(options) for _ in range(count)], in_process)
                group = made[key]
                if in_process:  # each worker is a slot of its own
                    for n, worker in enumerate(group.workers, start=1):
                        name = f"worker-{n}"
                        self.groups[(pool_name, name)] = _Group([worker], True)
                        names.append(name)
                else:
                    self.groups[(pool_name, str(host))] = group
            if in_process:
                self.slots[pool_name] = HostSlots(names, 1)
            else:
                self.slots[pool_name] = HostSlots(pool.hosts, pool.per_host)
        every = [w for g in made.values() for w in g.workers]
        await asyncio.gather(*(self._place(w) for w in every))
        walls = await asyncio.gather(*(w.actor.digest.remote(readings) for w in every))
        self.digest_s = max(walls, default=0.0)
        log.info("ray.workers", workers=len(every), digest_s=round(self.digest_s, 3))

    async def _place(self, worker: _Worker) -> None:
        """Start the worker's actor and wait until a node runs it. A node that is dying
        but not yet known dead may take it and lose it: placed again, a few times."""
        remote = self.ray.remote(RunWorker).options(**worker.options)
        job = self.job
        lost = self._lost_errors()
        for attempt in range(1, PLACE_ATTEMPTS + 1):
            worker.actor = remote.remote(
                str(job.data_dir), list(job.personas_dirs), [str(p) for p in job.exclude()]
            )
            ready = worker.actor.where.remote()
            done, _ = await asyncio.to_thread(self.ray.wait, [ready], timeout=self.place_timeout_s)
            if not done:
                self.ray.kill(worker.actor)
                raise RunFailed(
                    f"no Ray node could take a worker within {self.place_timeout_s:g} s"
                    f" (resources asked: {worker.options.get('resources') or 'none'})",
                    hint="add a node with those resources (see `ray status`), then chimera"
                    f" resume {job.out_dir} --executor ray",
                )
            try:
                worker.placement = Placement.model_validate(await ready)
            except lost:
                log.warning("ray.place_lost", attempt=attempt)
                await asyncio.sleep(1.0)  # let the cluster notice the node is gone
                continue
            worker.last.clear()
            return
        raise RunFailed(
            f"a Ray worker was lost {PLACE_ATTEMPTS} times while being placed",
            hint=f"check the cluster (`ray status`), then chimera resume {job.out_dir}"
            " --executor ray",
        )

    def _lost_errors(self) -> tuple[type[BaseException], ...]:
        """What Ray raises for a worker that died or cannot be reached."""
        errors = self.ray.exceptions
        return (errors.RayActorError, errors.ActorUnavailableError)

    def capacity(self, pool: str) -> int:
        """Runs of `pool` in flight at once: its hosts x per-host limit, or its workers."""
        return self.slots[pool].limit * len(self.slots[pool].hosts)

    async def start(self, batch: Batch) -> BatchDone:
        start = time.perf_counter()
        if batch.together and len(batch.runs) > 1:
            from chimera.engine.local import gather_or_stop

            runs = await gather_or_stop([self._run(order, start) for order in batch.runs])
        else:
            runs = [await self._run(order, start) for order in batch.runs]
        return BatchDone(batch, runs, time.perf_counter() - start)

    async def _run(self, order: RunOrder, batch_start: float) -> RunDone:
        async with self.slots[order.pool].acquire() as slot:
            return await self._attempts(order, slot, batch_start)

    async def _attempts(self, order: RunOrder, slot: str, batch_start: float) -> RunDone:
        job = self.job
        pool = job.pools[order.pool]
        group = self.groups[(order.pool, slot)]
        host = slot if pool.spec.uses_hosts else pool.hosts[0]
        lost = self._lost_errors()
        attempt = 1
        while True:
            worker = group.pick()
            worker.busy += 1
            now = time.perf_counter()
            # What ran there last decides a cold start: the server's (hosts), or the
            # worker's own model (in-process).
            last = worker.last if group.in_process else self.last_on_host
            previous, last[host] = last.get(host), order.group
            job.open_folder(order)
            if job.on_start:
                job.on_start(order, host)
            placement = worker.placement
            generation = worker.generation
            ref = worker.actor.run.remote(
                order.key, order.group, order.config.model_dump_json(), host, job.residency
            )
            self.in_flight.add(ref)
            try:
                result_json, found = await ref
                if placement is None:  # sent while its worker was being placed again
                    placement = Placement.model_validate(await worker.actor.where.remote())
            except lost as exc:
                log.warning("ray.worker_lost", run=order.key, attempt=attempt, error=str(exc))
                self._set_aside(order)
                if attempt > self.max_retries:
                    raise RunFailed(
                        f"run {order.key} lost its Ray worker {attempt} times (node gone?)",
                        hint="what finished is kept; continue with: chimera resume"
                        f" {job.out_dir} --executor ray",
                    ) from None
                attempt += 1
                self.retried += 1
                if worker.generation == generation:  # the first of its runs to see it lost
                    worker.generation += 1
                    worker.placement = None
                    await self._place(worker)
                continue
            except self.ray.exceptions.RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, ChimeraError):  # the user's to fix: one line, as locally
                    raise cause from None
                raise
            except asyncio.CancelledError:
                self.ray.cancel(ref)
                raise
            finally:
                self.in_flight.discard(ref)
                worker.busy -= 1
            result = RunResult.model_validate_json(result_json)
            result = job.save(order, result.model_copy(update={"placement": placement}))
            residency = None if found is None else ModelResidency(**found)
            return RunDone(
                order=order,
                result=result,
                host=host,
                placement=placement,
                offset_s=now - batch_start,
                since_start_s=now - job.started,
                previous=previous,
                residency=residency,
                attempts=attempt,
            )

    def _set_aside(self, order: RunOrder) -> None:
        folder = self.job.out_dir / order.folder
        if folder.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            folder.rename(folder.with_name(f"interrupted-{stamp}-{folder.name}"))

    def close(self) -> None:
        if self.ray is None:
            return
        # The worker may be gone already: nothing left to cancel or kill there.
        for ref in list(self.in_flight):
            with contextlib.suppress(Exception):
                self.ray.cancel(ref)
        workers = {id(w): w for g in self.groups.values() for w in g.workers}
        for worker in workers.values():
            if worker.actor is not None:
                with contextlib.suppress(Exception):
                    self.ray.kill(worker.actor)
        if self.started_ray:
            self.ray.shutdown()


def pool_configs(orders: Sequence[RunOrder]) -> dict[str, AgentConfig]:
    """The config each pool's workers are placed for (its first run's)."""
    configs: dict[str, AgentConfig] = {}
    for order in orders:
        configs.setdefault(order.pool, order.config)
    return configs
