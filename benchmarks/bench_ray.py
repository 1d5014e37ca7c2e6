"""`--executor ray` against the local executor, on one machine: what Ray costs and gives.

Every Ray cluster here is Ray's own `ray.cluster_utils.Cluster` on loopback (a head and
more nodes, each a raylet of its own, on this machine's cores). Three measurements:

1. Per-run overhead on the stub. The same sweep (a stub Ollama server in its own
   process, 3-token replies, one run at a time) with each executor: the dispatch wall per
   run (first run's start to the last run journaled, over the runs) on Ray less the same
   on the local executor is what Ray adds to a run (the call to the worker, the result
   sent back, the driver writing the folder). Starting Ray and placing the workers is
   once per plan, shown apart.
2. An embedded sweep of 8 cells (temperature 0.1 ... 0.8 on the bundled Gemma 3 270M,
   one llama.cpp thread a run, short replies), local against a two-node cluster (one
   worker a node, one CPU each). Speedup, and the share of the Ray wall lost to Ray:
   1 - (sum of the runs' walls / workers) / dispatch wall (scheduling, results sent back,
   idle workers at the end); placing the workers and digesting the data on each is
   shown apart. Model loads: one per cell on each executor (a cell's settings load it).
3. One driver and a simulated fleet: N stub servers (in a few processes) placed on four
   Ray nodes by resource, every server taking one run at a time, as many runs in flight as
   servers. The driver's CPU per run (getrusage of this process over the dispatch) says
   where one driver stops: a core a second runs 1 / (CPU per run) runs a second.

    .venv/bin/python benchmarks/bench_ray.py [--smoke] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Every node and the driver on loopback (Ray otherwise uses the machine's own address).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

from _common import (  # noqa: E402
    ANALYST_REPLY,
    EXAMPLE_DATA,
    WRITER_REPLY,
    Table,
    fmt,
    load_average,
    quiet_logging,
    report,
    start_stub,
)

from chimera.config.agent import AgentConfig, load_agent_config  # noqa: E402
from chimera.sweep.execution import asweep, plan_sweep  # noqa: E402
from chimera.sweep.records import CellRun, read_journal  # noqa: E402

LOOPBACK = {"node_ip_address": "127.0.0.1"}
REPLIES = {"analyst_reply": ANALYST_REPLY, "writer_reply": WRITER_REPLY}


@dataclass(frozen=True)
class Settings:
    overhead_cells: int = 4
    overhead_runs: int = 6  # per cell
    embedded_cells: int = 8
    embedded_predict: int = 48
    fleet_servers: int = 120
    fleet_processes: int = 4
    fleet_nodes: int = 4
    fleet_runs: int = 2  # per server


SMOKE = Settings(
    overhead_cells=2, overhead_runs=2, embedded_cells=2, embedded_predict=8,
    fleet_servers=8, fleet_processes=2, fleet_nodes=2, fleet_runs=1,
)  # fmt: skip


@contextmanager
def cluster(nodes: list[dict[str, Any]]) -> Iterator[Any]:
    import ray
    from ray.cluster_utils import Cluster

    made = Cluster(initialize_head=True, head_node_args={**nodes[0], **LOOPBACK})
    for node in nodes[1:]:
        made.add_node(**node, **LOOPBACK)
    made.wait_for_nodes()
    try:
        yield made
    finally:
        if ray.is_initialized():
            ray.shutdown()
        made.shutdown()


def temperatures(count: int) -> str:
    return "temperature=" + ",".join(f"{(i + 1) / 10:g}" for i in range(count))


def dispatch_wall(records: list[CellRun]) -> float:
    """First run's start to the last run's end, from the journal."""
    start = min(r.started_offset_s for r in records)
    return max(r.started_offset_s + r.wall_s for r in records) - start


def peak_in_flight(records: list[CellRun]) -> int:
    events = sorted(
        [(r.started_offset_s, 1) for r in records]
        + [(r.started_offset_s + r.wall_s, -1) for r in records]
    )
    peak = now = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def sweep_once(plan: Any, out: Path, **executor: Any) -> tuple[list[CellRun], float, float]:
    """(journal, whole wall, driver CPU seconds) of one sweep."""
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = asyncio.run(asweep(plan, out=out, **executor))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    records = list(read_journal(Path(result.out_dir or "")).values())
    return records, wall, used


def overhead(s: Settings, tmp: Path) -> dict[str, Any]:
    stub = start_stub({"tokens": 3, **REPLIES})
    try:
        config = AgentConfig(name="Stub", backend="ollama", base_url=stub.url, timeout_s=60)
        plan = plan_sweep(EXAMPLE_DATA, config, grid=[temperatures(s.overhead_cells)],
                          runs=s.overhead_runs)  # fmt: skip
        local, local_wall, _ = sweep_once(plan, tmp / "local")
        with cluster([{"num_cpus": 1}]) as made:
            on_ray, ray_wall, _ = sweep_once(
                plan, tmp / "ray", executor="ray", ray_address=made.address
            )
    finally:
        stub.stop()
    runs = len(local)
    per_local = dispatch_wall(local) / runs
    per_ray = dispatch_wall(on_ray) / runs
    return {
        "runs": runs,
        "local_per_run_ms": per_local * 1000,
        "ray_per_run_ms": per_ray * 1000,
        "ray_overhead_ms": (per_ray - per_local) * 1000,
        "local_run_wall_ms": sum(r.wall_s for r in local) / runs * 1000,
        "ray_run_wall_ms": sum(r.wall_s for r in on_ray) / runs * 1000,
        "local_total_s": local_wall,
        "ray_total_s": ray_wall,
        "ray_setup_s": ray_wall - dispatch_wall(on_ray),
        "goal_ms": 50.0,
    }


def embedded(s: Settings, tmp: Path) -> dict[str, Any]:
    from importlib import resources

    bundled = Path(str(resources.files("chimera.config_files"))) / "embedded.yaml"
    base = load_agent_config(bundled)
    config = base.model_copy(
        update={
            "embedded_threads": 1,
            "options": base.options.model_copy(update={"num_predict": s.embedded_predict}),
            "retries": 0,
        }
    )
    plan = plan_sweep(EXAMPLE_DATA, config, grid=[temperatures(s.embedded_cells)], runs=1)
    local, local_wall, _ = sweep_once(plan, tmp / "local")
    nodes = [{"num_cpus": 1}, {"num_cpus": 1}]
    with cluster(nodes) as made:
        on_ray, ray_wall, _ = sweep_once(
            plan, tmp / "ray", executor="ray", ray_address=made.address
        )
    workers = len({r.placement.node_id for r in on_ray if r.placement is not None})
    ray_dispatch = dispatch_wall(on_ray)
    busy = sum(r.wall_s for r in on_ray) / max(workers, 1)
    return {
        "cells": len(plan.cells),
        "runs": len(on_ray),
        "nodes": len(nodes),
        "workers_used": workers,
        "local_wall_s": dispatch_wall(local),
        "ray_wall_s": ray_dispatch,
        "speedup": dispatch_wall(local) / ray_dispatch if ray_dispatch else None,
        "lost_share_pct": (1 - busy / ray_dispatch) * 100 if ray_dispatch else None,
        "local_run_s": sum(r.wall_s for r in local) / len(local),
        "ray_run_s": sum(r.wall_s for r in on_ray) / len(on_ray),
        "ray_setup_s": ray_wall - ray_dispatch,
        "local_total_s": local_wall,
        "ray_total_s": ray_wall,
    }


def fleet(s: Settings, tmp: Path) -> dict[str, Any]:
    per_process = -(-s.fleet_servers // s.fleet_processes)
    behaviour = {"tokens": 8, "token_delay_s": 0.05, "count": per_process, **REPLIES}
    with ExitStack() as stack:
        urls: list[str] = []
        for _ in range(s.fleet_processes):
            stub = start_stub(behaviour)
            stack.callback(stub.stop)
            urls += stub.url.split()
        urls = urls[: s.fleet_servers]
        racks = {url: {f"rack_{i % s.fleet_nodes}": 1.0} for i, url in enumerate(urls)}
        config = AgentConfig(
            name="Fleet", backend="ollama", hosts=urls, timeout_s=300, retries=0,
            ray={"hosts": racks},
        )  # fmt: skip
        plan = plan_sweep(EXAMPLE_DATA, config, grid=["temperature=0.2,0.8"],
                          runs=max(1, s.fleet_runs * len(urls) // 3))  # fmt: skip
        nodes = [{"num_cpus": 1, "resources": {f"rack_{i}": 1}} for i in range(s.fleet_nodes)]
        with cluster(nodes) as made:
            records, wall, cpu = sweep_once(
                plan, tmp / "fleet", executor="ray", ray_address=made.address
            )
    runs = len(records)
    dispatch = dispatch_wall(records)
    per_run_cpu = cpu / runs
    mean_wall = sum(r.wall_s for r in records) / runs
    return {
        "servers": len(urls),
        "nodes": s.fleet_nodes,
        "runs": runs,
        "failed": sum(1 for r in records if r.status != "ok"),
        "peak_in_flight": peak_in_flight(records),
        "dispatch_s": dispatch,
        "runs_per_s": runs / dispatch if dispatch else None,
        "run_wall_s": mean_wall,
        "driver_cpu_s": cpu,
        "driver_cpu_per_run_ms": per_run_cpu * 1000,
        "driver_limit_runs_per_s": 1 / per_run_cpu if per_run_cpu else None,
        "driver_limit_in_flight": mean_wall / per_run_cpu if per_run_cpu else None,
        "servers_on_nodes": len({r.placement.node_id for r in records if r.placement}),
    }


def run(s: Settings) -> dict[str, Any]:
    quiet_logging()
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        root = Path(tmp)
        load = load_average()
        return {
            "load_avg_before": load,
            "overhead": overhead(s, root / "overhead"),
            "embedded": embedded(s, root / "embedded"),
            "fleet": fleet(s, root / "fleet"),
            "load_avg_after": load_average(),
        }


def table(result: dict[str, Any]) -> Table:
    o, e, f = result["overhead"], result["embedded"], result["fleet"]
    t = Table("Ray executor against the local one", ["measure", "local", "ray", "note"])
    t.rows += [
        ["per run on the stub (ms)", fmt(o["local_per_run_ms"]), fmt(o["ray_per_run_ms"]),
         f"Ray adds {fmt(o['ray_overhead_ms'])} ms a run (goal <= {o['goal_ms']:g});"
         f" {o['runs']} runs, one at a time"],
        ["Ray start + workers placed (s)", "-", fmt(o["ray_setup_s"]), "once per plan"],
        [f"embedded sweep, {e['cells']} cells (s)", fmt(e["local_wall_s"]),
         fmt(e["ray_wall_s"]),
         f"speedup {fmt(e['speedup'], 2)} on {e['nodes']} nodes ({e['workers_used']} used);"
         f" {fmt(e['lost_share_pct'])} % of the Ray wall lost to Ray"],
        ["embedded run (s)", fmt(e["local_run_s"]), fmt(e["ray_run_s"]), "mean per run"],
        [f"fleet: {f['servers']} servers, {f['nodes']} nodes", "-",
         f"{f['runs']} runs in {fmt(f['dispatch_s'])} s",
         f"peak {f['peak_in_flight']} in flight; driver {fmt(f['driver_cpu_per_run_ms'])}"
         f" ms CPU a run: one driver core stops near"
         f" {fmt(f['driver_limit_runs_per_s'])} runs/s"],
    ]  # fmt: skip
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    try:
        import ray  # noqa: F401
    except ImportError:
        print('bench_ray needs the ray extra: pip install -e ".[ray]"', file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = run(SMOKE if args.smoke else Settings())
    given = sys.argv[1:] if argv is None else argv
    result["command"] = " ".join([".venv/bin/python benchmarks/bench_ray.py", *given])
    result["took_s"] = time.perf_counter() - started
    result["date_utc"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return report(result, table(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
