"""`--executor ray` on a real Ray cluster on this machine: a head and a second node
(`ray.cluster_utils.Cluster`, on loopback), against stub Ollama servers over real HTTP.

Proves: runs are placed next to their server by Ray resources and record where they ran;
a node killed mid-sweep loses only its runs in flight, which run again (each cell counted
once, the lost attempt set aside); a comparison on Ray gives the statistics the local
executor gives on the same stub; without Ray installed, one line names the install.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Ray swaps a loopback address for the machine's own IP unless told not to: every node of
# this test cluster, and the driver, stay on 127.0.0.1.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray", reason="the ray extra is not installed")
from ray.cluster_utils import Cluster  # noqa: E402
from stub_replies import ANALYST_JSON, EXAMPLE, REPORT  # noqa: E402

from chimera.comparison.execution import acompare  # noqa: E402
from chimera.config.agent import AgentConfig  # noqa: E402
from chimera.sweep.execution import asweep, plan_sweep  # noqa: E402
from chimera.sweep.records import read_journal  # noqa: E402
from chimera.testing.ollama_server import (  # noqa: E402
    StubBehaviour,
    reply_by_format,
    serve_ollama_stub,
)

pytestmark = pytest.mark.ray

LOOPBACK = {"node_ip_address": "127.0.0.1"}


def behaviour(token_delay_s: float = 0.002) -> StubBehaviour:
    return StubBehaviour(
        reply=reply_by_format(ANALYST_JSON, REPORT), tokens=20, token_delay_s=token_delay_s
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A head (resource node_a) and a second node (node_b), one CPU each."""
    made = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "resources": {"node_a": 1}, **LOOPBACK},
    )
    made.add_node(num_cpus=1, resources={"node_b": 1}, **LOOPBACK)
    made.wait_for_nodes()
    yield made
    if ray.is_initialized():
        ray.shutdown()
    made.shutdown()


def node_with(resource: str) -> str:
    """The id of the alive node that has `resource` (the driver is connected by now)."""
    (node,) = [n for n in ray.nodes() if n["Alive"] and resource in n["Resources"]]
    return str(node["NodeID"])


def test_a_sweep_runs_each_cell_next_to_its_server_on_two_nodes(
    cluster: Any, tmp_path: Path
) -> None:
    """Two stub servers, one 'on' each node (by Ray resource): every run executes on the
    node that holds its server, records that node, and the sweep's statistics come out."""
    with serve_ollama_stub(behaviour()) as a, serve_ollama_stub(behaviour()) as b:
        url_a, url_b = a.url, b.url
        config = AgentConfig(
            name="Stub Agent",
            backend="ollama",
            timeout_s=30,
            hosts=[url_a, url_b],
            ray={"hosts": {url_a: {"node_a": 1}, url_b: {"node_b": 1}}},
        )
        plan = plan_sweep(EXAMPLE, config, grid=["temperature=0.2,0.8"], runs=3)
        result = asyncio.run(
            asweep(plan, out=tmp_path, executor="ray", ray_address=cluster.address)
        )
    nodes = {url_a: node_with("node_a"), url_b: node_with("node_b")}
    records = list(read_journal(Path(result.out_dir or "")).values())
    assert len(records) == len(plan.cells) * 3 and all(r.status == "ok" for r in records)
    for record in records:
        assert record.placement is not None and record.placement.executor == "ray"
        assert record.placement.node_id == nodes[record.host], record
        run = json.loads((Path(result.out_dir or "") / record.run_dir / "run.json").read_text())
        assert run["placement"]["node_id"] == nodes[record.host]
    assert {r.host for r in records} == {url_a, url_b}  # both servers took runs
    assert result.executor == "ray" and result.best is not None
    folder = Path(result.out_dir or "")
    assert "- Executor: ray; machines:" in (folder / "summary.md").read_text()
    with open(folder / "summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["machine"] for r in rows} == {
        r.placement.machine for r in records if r.placement is not None
    }  # the machine is a column of the data a later `chimera run` reads


def test_a_node_killed_mid_sweep_loses_only_its_run_which_runs_again(
    cluster: Any, tmp_path: Path
) -> None:
    """A third node joins, takes runs, and is killed while one is in flight: that run's
    attempt is set aside, it runs again on a surviving node, and every cell of the sweep
    is counted exactly once per round."""
    node_c = cluster.add_node(num_cpus=1, resources={"node_c": 1}, **LOOPBACK)
    cluster.wait_for_nodes()
    killed = threading.Event()
    with serve_ollama_stub(behaviour(token_delay_s=0.02)) as server:
        config = AgentConfig(
            name="Stub Agent", backend="ollama", timeout_s=30, base_url=server.url,
            max_in_flight_per_host=3, ray={"cpus": 0.5},  # a survivor node has room for one more
        )  # fmt: skip
        plan = plan_sweep(EXAMPLE, config, grid=["temperature=0.2,0.5,0.8"], runs=3)

        def kill_when_busy() -> None:
            # Wait until node_c's worker has a run in flight, then take the node away.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed.is_set():
                if any(p.name.startswith("run_") for p in tmp_path.rglob("run_*")):
                    time.sleep(1.0)  # some runs are under way on every worker
                    cluster.remove_node(node_c, allow_graceful=False)
                    killed.set()
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_when_busy, daemon=True)
        killer.start()
        result = asyncio.run(
            asweep(plan, out=tmp_path, executor="ray", ray_address=cluster.address)
        )
        killer.join(timeout=5)
    assert killed.is_set()
    folder = Path(result.out_dir or "")
    records = list(read_journal(folder).values())
    keys = [(r.cell, r.round) for r in records if r.kind == "run"]
    assert len(keys) == len(set(keys)) == len(plan.cells) * 3  # each once, none lost
    assert all(r.status == "ok" for r in records)
    lost = list(folder.rglob("interrupted-*"))
    assert result.retried_runs == len(lost) >= 1  # the lost attempts: kept, not counted
    assert sum(r.attempts - 1 for r in records) == result.retried_runs
    assert "ran again after their worker or node died" in (folder / "summary.md").read_text()


def test_a_comparison_on_ray_equals_the_local_one_in_its_statistics(
    cluster: Any, tmp_path: Path
) -> None:
    """The same two configs on the same stub, locally and on the cluster: the same runs
    counted, the same deterministic figures, the same verdicts."""
    with serve_ollama_stub(behaviour()) as server:

        def config(name: str, temperature: float) -> AgentConfig:
            return AgentConfig(
                name=name, backend="ollama", timeout_s=30, base_url=server.url,
                options={"temperature": temperature},
            )  # fmt: skip

        configs = [config("A", 0.2), config("B", 0.8)]
        local = asyncio.run(acompare(EXAMPLE, configs, runs=3, out=tmp_path / "local"))
        on_ray = asyncio.run(
            acompare(
                EXAMPLE, configs, runs=3, out=tmp_path / "ray", executor="ray",
                ray_address=cluster.address,
            )
        )  # fmt: skip
    assert on_ray.executor == "ray" and local.executor == "local"
    assert on_ray.failures == local.failures == {"A": 0, "B": 0}
    for label in ("A", "B"):
        for key in ("tokens_generated", "grounding_rate_pct", "compliance_pct"):
            assert on_ray.aggregates[label][key] == local.aggregates[label][key], key
        for key in ("throughput_tok_s", "ttft_ms"):
            ours, theirs = on_ray.aggregates[label][key], local.aggregates[label][key]
            assert ours.n == theirs.n == 3
    deterministic = {"Tokens generated", "Grounding rate", "Persona compliance"}
    for ours, theirs in zip(on_ray.deltas["B vs A"], local.deltas["B vs A"], strict=True):
        if ours.figure in deterministic:
            assert (ours.outcome, ours.verdict) == (theirs.outcome, theirs.verdict)
    runs = [a for rep in on_ray.measured for a in rep.agents]
    assert all(a.placement is not None and a.placement.executor == "ray" for a in runs)


def test_ctrl_c_cancels_the_clusters_runs_and_resume_finishes_the_sweep(
    cluster: Any, tmp_path: Path
) -> None:
    """Ctrl-C in the driver: one line saying how to resume (with --executor ray), no worker
    left on the cluster; `chimera resume --executor ray` then runs only what did not
    finish, and every cell is counted once."""
    import signal
    import subprocess
    import sys

    with serve_ollama_stub(behaviour(token_delay_s=0.05)) as server:
        config = tmp_path / "stub.yaml"
        config.write_text(
            f"name: Stub\nbackend: ollama\nbase_url: {server.url}\ntimeout_s: 60\nray:\n  cpus: 1\n"
        )
        out = tmp_path / "sweeps"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "chimera", "sweep", str(EXAMPLE), "-c", str(config), "-g",
             "temperature=0.2,0.8", "--runs", "3", "-o", str(out), "--executor", "ray",
             "--ray-address", cluster.address],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(out.glob("*/records.ndjson")):
            time.sleep(0.1)  # one run finished: the next is in flight on the cluster
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr
        (folder,) = [p for p in out.iterdir() if p.is_dir()]
        [line] = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert f"chimera resume {folder} --executor ray" in line
        # Each worker held a CPU (ray.cpus: 1): all of them free again = no worker left.
        if not ray.is_initialized():
            ray.init(address=cluster.address)
        deadline = time.monotonic() + 30
        while ray.available_resources().get("CPU") != ray.cluster_resources().get("CPU"):
            assert time.monotonic() < deadline, ray.available_resources()
            time.sleep(0.5)
        done_before = len(read_journal(folder))
        resumed = subprocess.run(
            [sys.executable, "-m", "chimera", "resume", str(folder), "--executor", "ray",
             "--ray-address", cluster.address],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    records = list(read_journal(folder).values())
    keys = [(r.cell, r.round) for r in records if r.kind == "run"]
    assert len(keys) == len(set(keys)) == 3 * 3 and done_before < len(keys)
