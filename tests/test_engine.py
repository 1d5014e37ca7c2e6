"""The engine under compare and sweep: dispatch rules, one aggregation, lazy plans.

The dispatch tests drive `dispatch` with batches that only wait, so each rule (stages in
order, capacity, `alone`, finished batches journaled before a failure or a Ctrl-C is
raised) is seen on its own; the commands' own tests run it on real graphs.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from chimera.comparison.models import make_plan
from chimera.config.agent import AgentConfig
from chimera.engine.aggregate import against_baseline, head_to_head
from chimera.engine.dispatch import Batch, BatchDone, dispatch, set_aside
from chimera.errors import ConfigError, RunInterrupted
from chimera.run_figures import BY_KEY


def batch(key: str, stage: int = 0, alone: bool = False) -> Batch:
    return Batch(key=key, folder=key, runs=(), stage=stage, alone=alone)


class Recorder:
    """A fake executor: each batch waits `delay` s; it records what ran at once."""

    def __init__(self, delay: float = 0.01, fail: str | None = None) -> None:
        self.delay, self.fail = delay, fail
        self.running: set[str] = set()
        self.together: list[set[str]] = []
        self.journal: list[str] = []
        self.started: list[str] = []
        self.made_at_start: list[int] = []
        self.made: list[int] = []

    async def start(self, b: Batch) -> BatchDone:
        self.started.append(b.key)
        self.made_at_start.append(len(self.made))
        self.running.add(b.key)
        self.together.append(set(self.running))
        try:
            await asyncio.sleep(self.delay if b.key != self.fail else self.delay / 2)
            if b.key == self.fail:
                raise OSError("disk full")
            return BatchDone(b, [], self.delay)
        finally:
            self.running.discard(b.key)

    def record(self, done: BatchDone) -> None:
        self.journal.append(done.batch.key)


def test_capacity_bounds_batches_in_flight_and_stages_do_not_overlap() -> None:
    rec = Recorder()
    plan = [batch("w1", 0), batch("w2", 0), batch("s1", 1, alone=True), batch("s2", 1, alone=True)]
    plan += [batch(f"r{i}", 2) for i in range(6)]
    asyncio.run(dispatch(plan, rec.start, rec.record, capacity=2))
    assert sorted(rec.journal) == sorted(b.key for b in plan)  # each once
    assert max(len(s) for s in rec.together) == 2
    for seen in rec.together:
        stages = {k[0] for k in seen}
        assert len(stages) == 1, seen  # never a warm-up beside a measured run
        assert not ({"s1", "s2"} & seen) or len(seen) == 1  # solo batches run alone


def test_batches_are_made_lazily_and_started_in_plan_order() -> None:
    rec = Recorder(delay=0.001)

    def endless():  # a plan of a million batches is never laid out
        for i in itertools.count():
            rec.made.append(i)
            yield batch(f"r{i}")

    asyncio.run(dispatch(itertools.islice(endless(), 20), rec.start, rec.record, capacity=3))
    assert rec.started == [f"r{i}" for i in range(20)]
    assert rec.made_at_start[0] <= 3 + 1 and max(rec.made_at_start) == 20  # made as they went
    assert sorted(rec.journal) == sorted(rec.started)


def test_a_failing_batch_stops_the_others_but_keeps_what_finished() -> None:
    rec = Recorder(delay=0.05, fail="r2")
    plan = [batch("r0"), batch("r1"), batch("r2"), batch("r3")]
    with pytest.raises(OSError, match="disk full"):
        asyncio.run(dispatch(plan, rec.start, rec.record, capacity=4))
    assert "r2" not in rec.journal  # the failed one is not journaled
    assert set(rec.journal) <= {"r0", "r1", "r3"}


def test_ctrl_c_becomes_run_interrupted_after_journaling_what_finished() -> None:
    rec = Recorder(delay=0.2)

    async def main() -> None:
        task = asyncio.ensure_future(
            dispatch([batch("r0"), batch("r1")], rec.start, rec.record, capacity=1)
        )
        await asyncio.sleep(0.3)  # r0 finished, r1 in flight
        task.cancel()
        await task

    with pytest.raises(RunInterrupted):
        asyncio.run(main())
    assert rec.journal == ["r0"]


def test_resume_sets_aside_only_unfinished_batch_folders(tmp_path: Path) -> None:
    for name in ("run_1", "run_2"):
        (tmp_path / name).mkdir()
    moved = set_aside(tmp_path, [batch("run_1"), batch("run_2"), batch("run_3")], {"run_1"})
    assert (tmp_path / "run_1").is_dir() and not (tmp_path / "run_2").exists()
    assert [p.name.split("-", 3)[-1] for p in moved] == ["run_2"]
    assert moved[0].name.startswith("interrupted-")


def test_values_below_a_figures_resolution_get_no_percentage_verdict() -> None:
    """Issue 24: "Load duration: no measurable difference (delta +0.4 % [-10.8, 11.6])"
    beside "0.00 ± 0.00". Values all under the timer's resolution are not compared."""
    load = BY_KEY["load_duration_ms"]
    values = {"A": {load.key: [0.001, 0.002, 0.001]}, "B": {load.key: [0.002, 0.001, 0.002]}}
    verdict = against_baseline(load, values, "A", ["B"])["B"]
    assert verdict.verdict.startswith("too small to compare (every value below 0.01 ms)")
    assert verdict.delta_pct is None and verdict.outcome == "no_measurable_difference"
    real = head_to_head(load, [10.0, 11.0, 10.5], [20.0, 21.0, 20.5], "B")
    assert real.delta_pct is not None and real.outcome == "worse"  # a real load is compared


def test_absurd_repetition_counts_are_refused_with_one_line() -> None:
    config = AgentConfig(name="Fake", backend="fake", model="fake")
    with pytest.raises(ConfigError, match=r"2,000,000 runs .* at most 100,000"):
        make_plan(Path("."), [config, config], runs=1_000_000, warmup=0, mode="sequential",
                  personas_dirs=[])  # fmt: skip


def test_executor_ray_without_ray_installed_is_one_line_naming_the_install(
    tmp_path: Path,
) -> None:
    """The default install has no Ray: `--executor ray` then says how to get it, exit 2."""
    import subprocess
    import sys

    config = tmp_path / "fake.yaml"
    config.write_text("name: Fake Agent\nbackend: fake\nmodel: fake\n")
    # `sys.modules["ray"] = None` makes `import ray` fail as on a machine without it.
    code = (
        "import sys; sys.modules['ray'] = None; from chimera.cli import main; "
        "sys.argv = ['chimera'] + sys.argv[1:]; main()"
    )
    examples = Path(__file__).resolve().parents[1] / "examples" / "data"
    done = subprocess.run(
        [sys.executable, "-c", code, "sweep", str(examples), "-c", str(config), "-g",
         "temperature=0.2,0.8", "--executor", "ray", "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--executor ray needs Ray" in done.stderr and 'pip install -e ".[ray]"' in done.stderr
    assert "Traceback" not in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "chimera", "compare", str(examples), "--a", str(config), "--b",
         str(config), "--executor", "dask"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 2 and "--executor must be 'local' or 'ray'" in bad.stderr


def test_the_stub_servers_help_names_the_models_it_serves() -> None:
    """Issue 24: `python -m chimera.testing.serve --help` did not say which models it serves."""
    import subprocess
    import sys

    from chimera.testing.ollama_server import StubBehaviour

    shown = subprocess.run(
        [sys.executable, "-m", "chimera.testing.serve", "--help"],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert all(model in shown for model in StubBehaviour().models)
    assert "must name one" in shown


def test_runs_measured_on_a_busy_machine_are_flagged_in_compare_and_sweep() -> None:
    """A run records why its machine counted as busy (host load); a comparison says how many
    measured runs were, per variant, and a sweep cell carries a flag (issue 20)."""
    from chimera.comparison.models import AgentRep, ComparisonResult, Repetition
    from chimera.host_load import HostLoad, busy_reason
    from chimera.sweep.records import CellRun
    from chimera.sweep.results import _flags

    loaded = HostLoad.model_construct(
        cores=2, load_before=(3.0, 3.0, 3.0), load_after=(3.0, 3.0, 3.0),
        others_cpu_share=0.6, process_cpu_share=0.4,
    )  # fmt: skip
    reason = busy_reason(loaded)
    assert reason is not None and "60 %" in reason

    def rep(index: int, busy: dict[str, str | None]) -> Repetition:
        agents = [AgentRep.model_construct(variant=v, status="ok", busy=b) for v, b in busy.items()]
        return Repetition.model_construct(index=index, warmup=False, solo=False, agents=agents)

    quiet = ComparisonResult.model_construct(repetitions=[rep(1, {"A": None, "B": None})])
    assert quiet.busy_note() is None
    mixed = ComparisonResult.model_construct(
        repetitions=[rep(1, {"A": reason, "B": None}), rep(2, {"A": reason, "B": reason})]
    )
    note = mixed.busy_note()
    assert note is not None and note.startswith("3 of 4 measured runs ran on a busy machine")
    assert "A 2, B 1" in note

    def cell_run(busy: str | None) -> CellRun:
        return CellRun.model_construct(
            status="ok", busy=busy, placement=None, truncated_calls=0, cold_calls=0,
            cold_expected=False,
        )  # fmt: skip

    cell = type("Cell", (), {"config": AgentConfig(name="x", backend="fake", model="m")})()
    flags = _flags(cell, [cell_run(reason), cell_run(None), cell_run(None)], None)  # type: ignore[arg-type]
    assert "1 of 3 runs measured on a busy machine" in flags
    assert not any("busy" in f for f in _flags(cell, [cell_run(None)] * 3, None))  # type: ignore[arg-type]
