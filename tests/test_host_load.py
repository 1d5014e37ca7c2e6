"""Host load: recorded around every run, shown in its report, and judged busy by one rule."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from chimera.config.agent import AgentConfig
from chimera.execution.runner import arun
from chimera.host_load import (
    BUSY_OTHERS_SHARE,
    HostLoad,
    HostLoadMeter,
    busy_reason,
    was_busy,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"


def load(**fields: object) -> HostLoad:
    base: dict[str, object] = {
        "cores": 2,
        "load_before": (0.2, 0.3, 0.4),
        "load_after": (0.9, 0.5, 0.4),
        "wall_s": 10.0,
        "process_cpu_s": 18.0,
        "process_cpu_share": 0.9,
        "others_cpu_share": 0.05,
    }
    return HostLoad(**{**base, **fields})  # type: ignore[arg-type]


def test_other_processes_taking_a_quarter_of_the_cores_make_a_busy_machine() -> None:
    assert busy_reason(load()) is None and not load().busy
    busy = load(others_cpu_share=BUSY_OTHERS_SHARE)
    assert busy.busy
    assert "other processes used 25 % of the cores' time" in (busy_reason(busy) or "")


def test_without_proc_stat_the_load_average_before_the_run_decides() -> None:
    """Where the machine's CPU time cannot be read, a load average of 1.0 on 2 cores (half a
    runnable thread per core) before the run is busy; 0.9 is not."""
    assert load(others_cpu_share=None, load_before=(1.0, 1.0, 1.0)).busy
    assert not load(others_cpu_share=None, load_before=(0.9, 1.0, 1.0)).busy
    assert busy_reason(load(others_cpu_share=None, load_before=None)) is None


def test_was_busy_reads_run_json_and_says_none_for_older_runs() -> None:
    recorded = json.loads(load(others_cpu_share=0.6).model_dump_json())
    assert was_busy(recorded) is True
    assert was_busy(load().model_dump()) is False
    assert was_busy(None) is None


def test_the_summary_line_gives_the_loads_the_shares_and_the_verdict() -> None:
    line = load(others_cpu_share=0.4).summary()
    assert line.startswith("load average 0.20 before, 0.90 after on 2 cores;")
    assert "this process used 90 % of their time, other processes 40 %" in line
    assert "**a busy machine**" in line
    assert load().summary().endswith("(a quiet machine)")


def test_the_meter_counts_this_process_cpu_time() -> None:
    meter = HostLoadMeter.start()
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # burn 0.3 s of CPU in this process
        pass
    measured = meter.finish()
    assert measured.process_cpu_s >= 0.25
    assert 0.0 < measured.process_cpu_share <= 1.0
    assert measured.cores >= 1 and measured.wall_s >= measured.process_cpu_s / measured.cores


def test_every_run_records_host_load_in_run_json_and_the_report(tmp_path: Path) -> None:
    config = AgentConfig(name="Loaded", backend="fake", model="fake")
    result = asyncio.run(arun(EXAMPLE, config, out=tmp_path, progress=None))
    assert result.ok and result.run_dir is not None and result.report_path is not None
    saved = json.loads((result.run_dir / "run.json").read_text())
    assert saved["host_load"]["cores"] >= 1
    assert saved["host_load"]["process_cpu_s"] > 0
    report = result.report_path.read_text()
    summary = report.split("## Workflow Summary")[1].split("## Metrics")[0]
    host = [line for line in summary.splitlines() if line.startswith("- Host load:")]
    assert len(host) == 1 and " cores; this process used " in host[0]
