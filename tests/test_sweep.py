"""`chimera sweep` over real HTTP against the stub's speed model: the cell the model makes
fastest wins, the partly offloaded cells are flagged, cold starts are kept apart, two hosts
share the runs, a killed sweep resumes without redoing finished runs, and a sweep folder is
data that `chimera run` compares."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from stub_replies import ANALYST_JSON, EXAMPLE, REPORT
from typer.testing import CliRunner

from chimera.backends.base import STUB_SERVED_BY
from chimera.cli import app
from chimera.config.agent import AgentConfig, load_agent_config
from chimera.execution.runner import run
from chimera.execution.runstore import output_kind
from chimera.sweep.execution import asweep, plan_sweep
from chimera.sweep.records import read_journal
from chimera.sweep.results import SweepResult
from chimera.testing.ollama_server import (
    OllamaStubServer,
    SpeedModel,
    StubBehaviour,
    peak_overlap,
    reply_by_format,
    serve_ollama_stub,
)

# 48 layers. Per token: 1/1000 s on the GPU, 1/100 s on the CPU, plus 0.5 us per num_ctx slot:
#   num_gpu=48: 1.51 ms at num_ctx 1024 (662 tok/s), 3.05 ms at 4096 (328 tok/s)
#   num_gpu=16: 6.67 + 0.33 + 0.51 = 7.51 ms at 1024 (133 tok/s), 9.05 ms at 4096 (110 tok/s)
# and unset options (the base config) mean all layers and the stub's 4096 context: 328 tok/s.
SPEED = SpeedModel(layers=48, gpu_tok_s=1000, cpu_tok_s=100, ctx_us_per_token=0.5, load_s=0.05)
GRID = ["num_gpu=16,48", "num_ctx=1024,4096"]
runner = CliRunner()


def behaviour(speed: SpeedModel = SPEED) -> StubBehaviour:
    return StubBehaviour(reply=reply_by_format(ANALYST_JSON, REPORT), tokens=30, speed=speed)


def base_config(*urls: str, **extra: object) -> AgentConfig:
    where: dict[str, object] = {"hosts": list(urls)} if len(urls) > 1 else {"base_url": urls[0]}
    return AgentConfig(name="Stub Agent", backend="ollama", timeout_s=30, **where, **extra)


def write_config(path: Path, url: str, options: str = "") -> Path:
    text = f"name: Stub Agent\nbackend: ollama\nbase_url: {url}\ntimeout_s: 30\n{options}"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def speed_sweep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SweepResult, Path]]:
    """The issue's grid, 3 runs per cell, on one stub: shared by the tests that read it."""
    out = tmp_path_factory.mktemp("sweeps")
    with serve_ollama_stub(behaviour()) as server:
        plan = plan_sweep(EXAMPLE, base_config(server.url), grid=GRID, runs=3)
        result = asyncio.run(asweep(plan, out=out))
    yield result, Path(result.out_dir or "")


def test_the_cell_the_speed_model_makes_fastest_wins_against_the_base(
    speed_sweep: tuple[SweepResult, Path],
) -> None:
    result, _ = speed_sweep
    assert result.best == "gpu48_ctx1024"
    means = {c.label: c.figures["throughput_tok_s"].mean for c in result.cells}
    assert means["gpu48_ctx1024"] == pytest.approx(662, rel=0.25)
    assert means["gpu16_ctx4096"] == pytest.approx(110, rel=0.25)
    assert [c.label for c in result.cells][:1] == ["gpu48_ctx1024"]
    assert result.cells[-1].label == "gpu16_ctx4096"  # the slowest ranks last
    verdict = result.best_verdict
    assert verdict is not None and verdict.comparisons == 4  # Holm over the 4 other cells
    assert verdict.outcome == "better" and verdict.verdict.startswith("better (gpu48_ctx1024 fast")
    assert all(c.figures["throughput_tok_s"].ci_low is not None for c in result.cells)


def test_partly_offloaded_cells_carry_their_vram_share(
    speed_sweep: tuple[SweepResult, Path],
) -> None:
    """num_gpu=16 of 48 layers: /api/ps reports a third of the model in VRAM."""
    result, _ = speed_sweep
    for cell in result.cells:
        assert cell.residency is not None
        offloaded = cell.values["num_gpu"] == 16
        assert cell.residency.vram_pct == pytest.approx(100 / 3 if offloaded else 100, abs=0.01)
        flagged = "partly on CPU (33 % in VRAM)" in cell.flags
        assert flagged is offloaded, (cell.label, cell.flags)
        expected_ctx = cell.values["num_ctx"] or 4096  # the stub's default when unset
        assert cell.residency.context_length == expected_ctx


def test_cold_starts_are_kept_apart_from_the_steady_figures(
    speed_sweep: tuple[SweepResult, Path],
) -> None:
    """Rotated order on one host changes num_gpu/num_ctx before every run, so each run's
    first call loads the model (0.05 s): its load and TTFT are kept apart, its TTFT is left
    out of the steady one."""
    result, folder = speed_sweep
    records = list(read_journal(folder).values())
    assert len(records) == 15 and all(r.cold_expected and r.cold_calls == 1 for r in records)
    for cell in result.cells:
        assert cell.cold_load.mean == pytest.approx(50, abs=25)
        assert cell.cold_ttft.mean is not None and cell.figures["ttft_ms"].mean is not None
        # The cold TTFT holds the 50 ms load: well above the steady one (a margin below the
        # load, so a busy machine's jitter in the steady calls does not fail it).
        assert cell.cold_ttft.mean > cell.figures["ttft_ms"].mean + 25
    for r in records:
        w, s = r.figures_with_cold["ttft_ms"], r.figures["ttft_ms"]
        assert w is not None and s is not None and r.cold_ttft_ms is not None and w > s
        # Exactly: every call's TTFT is the cold calls' and the steady (warm) calls' together.
        warm = r.calls - r.cold_calls
        assert w == pytest.approx((r.cold_ttft_ms * r.cold_calls + s * warm) / r.calls)


def test_best_yaml_loads_and_is_the_fastest_cell(speed_sweep: tuple[SweepResult, Path]) -> None:
    result, folder = speed_sweep
    text = (folder / "best.yaml").read_text()
    assert text.startswith("# The best cell of sweep")
    assert "It beat the base config (base: num_gpu=default, num_ctx=default)" in text
    loaded = load_agent_config(folder / "best.yaml")
    fastest = max(result.cells, key=lambda c: c.figures["throughput_tok_s"].mean or 0)
    assert fastest.label == result.best
    expected = result.plan.cell(fastest.label).config
    assert loaded.options == expected.options
    assert loaded.model_dump(exclude={"source"}) == expected.model_dump(exclude={"source"})


def test_the_sweep_folder_holds_every_artifact(speed_sweep: tuple[SweepResult, Path]) -> None:
    result, folder = speed_sweep
    assert output_kind(folder) == "sweep"
    names = ("plan.json", "records.ndjson", "summary.json", "summary.md", "summary.csv",
             "best.yaml", "heatmap.png", "pareto.png", "quality.png", "summary.html")  # fmt: skip
    for name in names:
        assert (folder / name).is_file(), name
    for label in ("gpu16_ctx1024", "gpu48_ctx4096", "base"):  # folders named as the cells
        for r in (1, 2, 3):
            run_dir = folder / "cells" / label / f"run_{r}"
            assert (run_dir / "report.md").is_file() and (run_dir / "run.json").is_file()
            assert output_kind(run_dir) == "run"
    rows = list(csv.DictReader((folder / "summary.csv").open()))
    assert len(rows) == 15  # one per cell per repetition
    assert {"num_gpu", "num_ctx", "temperature", "top_k", "keep_alive", "host"} <= set(rows[0])
    assert {r["config_name"] for r in rows} == {c.label for c in result.cells}
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["plan"]["grid_keys"] == ["num_gpu", "num_ctx"]
    assert len(summary["table"]["rows"]) == 15 and "tokens_per_s" in summary["table"]["columns"]
    assert summary["cells"][0]["figures"]["throughput_tok_s"]["ci_low"] is not None
    assert summary["best_verdict"]["outcome"] == "better"
    md = (folder / "summary.md").read_text()
    assert "## Ranking" in md and "partly on CPU (33 % in VRAM)" in md and "## Cold starts" in md


def test_chimera_run_on_a_sweep_folder_compares_its_cells(
    speed_sweep: tuple[SweepResult, Path], tmp_path: Path
) -> None:
    """The digest reads summary.csv as tuning data (config_name = the cell, the options as
    settings), each run once: summary.json, plan.json and the journal add nothing."""
    _, folder = speed_sweep
    fake = AgentConfig(name="Reader", backend="fake", model="fake")
    analysed = run(folder, config=fake, out=tmp_path)
    assert analysed.ok and analysed.digest is not None
    fastest = next(h for h in analysed.highlights if "The fastest config" in h.text)
    assert "is gpu48_ctx1024 (num_gpu=48, num_ctx=1024)" in fastest.text
    by_config = {
        s.group: s
        for s in analysed.digest.stats
        if s.metric == "tokens_per_s" and s.group_by == "config_name" and s.aggregate is None
    }
    cells = {"gpu16_ctx1024", "gpu16_ctx4096", "gpu48_ctx1024", "gpu48_ctx4096", "base"}
    assert cells <= set(by_config)
    assert all(by_config[c].n == 3 and by_config[c].sources == ["summary.csv"] for c in cells)
    sources = {src for s in analysed.digest.stats for src in s.sources}
    assert not sources & {"summary.json", "plan.json", "records.ndjson"}
    assert analysed.digest.configs["gpu48_ctx1024"] == {"num_gpu": 48, "num_ctx": 1024}


def test_the_cells_own_run_folders_are_not_read_as_data(
    speed_sweep: tuple[SweepResult, Path], tmp_path: Path
) -> None:
    """Each cell run's run.json holds its calls' figures: read as data they would be counted
    beside summary.csv, per call and grouped by num_ctx alone. The cell run folders are
    marked as Chimera's output, so the inventory leaves them out."""
    _, folder = speed_sweep
    analysed = run(folder, config=AgentConfig(name="R", backend="fake", model="fake"), out=tmp_path)
    assert analysed.digest is not None
    sources = {src for s in analysed.digest.stats for src in s.sources}
    assert not [src for src in sources if src.startswith("cells/")]
    assert analysed.inventory is not None
    left_out = [s for s in analysed.inventory.skipped if s.path.startswith("cells/")]
    assert len(left_out) == 15 and all(s.own_output for s in left_out)  # one per cell run
    fastest = next(h for h in analysed.highlights if "The fastest config" in h.text)
    # The base and gpu48_ctx4096 run the same settings (all layers, 4096 tokens): either is
    # the runner-up.
    assert "runner-up base" in fastest.text or "runner-up gpu48_ctx4096" in fastest.text
    assert "5 configs measured" in fastest.text and fastest.source == "summary.csv"


def test_cold_start_rule() -> None:
    """Expected cold unless the server says it loaded nothing (< 20 ms); a load of 100 ms
    or more is cold wherever it happens; no reported load trusts the plan."""
    from datetime import UTC, datetime

    from chimera.metrics import CallMetrics
    from chimera.sweep.records import cold_calls

    def call(load: float | None) -> CallMetrics:
        return CallMetrics(node="n", backend="ollama", model="m", started_at=datetime.now(UTC),
                           wall_ms=1.0, load_duration_ms=load)  # fmt: skip

    assert cold_calls([call(200.0), call(1.0)], cold_expected=True) == [True, False]
    assert cold_calls([call(3.0), call(1.0)], cold_expected=True) == [False, False]
    assert cold_calls([call(None), call(None)], cold_expected=True) == [True, False]
    assert cold_calls([call(1.0), call(450.0)], cold_expected=False) == [False, True]


def test_dry_run_lists_the_cells_and_sends_nothing(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "agent.yaml", ollama_server.url)
    out = tmp_path / "sweeps"
    args = ["sweep", str(EXAMPLE), "--config", str(config), "--runs", "3", "--out", str(out)]
    result = runner.invoke(app, [*args, "--grid", GRID[0], "--grid", GRID[1], "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Sweep num_gpu-num_ctx: 5 cells x 3 runs")
    assert any("gpu16_ctx4096" in line and "num_gpu=16, num_ctx=4096" in line for line in lines)
    assert any("(baseline: the base config)" in line for line in lines)
    assert any(line.startswith("Estimate: about") for line in lines)
    assert ollama_server.requests == []  # not even the model check
    assert not out.exists()  # and nothing written


def test_a_bad_grid_key_is_one_line_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "fake.yaml"
    config.write_text("name: F\nbackend: fake\nmodel: fake\n")
    result = runner.invoke(
        app, ["sweep", str(EXAMPLE), "--config", str(config), "--grid", "num_gpux=16,48"]
    )
    assert result.exit_code == 2
    assert "unknown sweep key 'num_gpux'" in result.stderr and "sweepable:" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    bad_value = runner.invoke(
        app, ["sweep", str(EXAMPLE), "--config", str(config), "--grid", "temperature=0.5,9"]
    )
    assert bad_value.exit_code == 2 and "temperature=9" in bad_value.stderr


@pytest.mark.slow  # over 10 s: `pytest --all` (and CI) runs it
def test_a_sweep_over_two_hosts_runs_one_cell_per_host_at_a_time(tmp_path: Path) -> None:
    """Two stub servers: the runs are spread over both, at most one in flight on each, both
    busy at once, and every record is labelled with the host it ran on."""
    with ExitStack() as stack:
        a, b = (stack.enter_context(serve_ollama_stub(behaviour())) for _ in range(2))
        # The base offloads 24 layers, so the all-GPU cell is the one to beat it.
        base = base_config(a.url, b.url, options={"num_gpu": 24})
        plan = plan_sweep(EXAMPLE, base, grid=["num_gpu=16,48"], runs=3)
        result = asyncio.run(asweep(plan, out=tmp_path))
        served = {s.url: s for s in (a, b)}
        for server in served.values():
            assert server.peak_concurrency() == 1
        both = [(r.received_at, r.finished_at) for s in served.values() for r in s.chat_requests]
        assert peak_overlap(both) == 2  # the hosts worked at the same time
    records = read_journal(Path(result.out_dir or "")).values()
    assert {r.host for r in records} == set(served)
    assert sum(result.hosts.values()) == 9 and set(result.hosts) == set(served)
    assert result.best == "gpu48"
    rows = list(csv.DictReader((Path(result.out_dir or "") / "summary.csv").open()))
    assert {r["host"] for r in rows} == set(served)


def test_sampling_options_do_not_make_cold_starts(tmp_path: Path) -> None:
    """Ollama applies temperature per request: after the first load no run is cold. Two
    runs per cell are too few for a verdict, and the summary says so."""
    with serve_ollama_stub(behaviour()) as server:
        plan = plan_sweep(EXAMPLE, base_config(server.url), grid=["temperature=0.2,0.8"], runs=2)
        result = asyncio.run(asweep(plan, out=tmp_path))
        assert server.loads == 1
    records = sorted(read_journal(Path(result.out_dir or "")).values(), key=lambda r: r.started_at)
    assert [r.cold_calls for r in records] == [1] + [0] * (len(records) - 1)
    # The cells run at one speed, so the base config may be the best one (then it has no
    # verdict against itself): every verdict there is says too few runs.
    verdicts = [v for v in (result.best_verdict, result.runner_up_verdict) if v is not None]
    assert verdicts and all(v.outcome == "too_few_runs" for v in verdicts)
    assert all(v.verdict.startswith("too few runs for a verdict: n=2") for v in verdicts)
    assert all("too few runs for a verdict (n=2)" in c.flags for c in result.cells)


def test_an_in_process_backend_sweeps_on_its_own_host(tmp_path: Path) -> None:
    """The fake backend runs in-process: its runs are labelled with the backend's name,
    nothing is loaded (no cold start), no placement is measured, and identical cells get
    no measurable difference."""
    import chimera

    base = AgentConfig(name="Fake", backend="fake", model="fake")
    plan = chimera.plan_sweep(EXAMPLE, base, grid=["temperature=0.2,0.8"], runs=3)
    result = chimera.run_sweep(plan, out=tmp_path)
    folder = Path(result.out_dir or "")
    records = read_journal(folder).values()
    assert {r.host for r in records} == {"fake"} and all(r.cold_calls == 0 for r in records)
    assert all(c.residency is None for c in result.cells)
    assert result.best_verdict is not None
    assert result.best_verdict.outcome == "no_measurable_difference"
    md = (folder / "summary.md").read_text()
    assert "_Not measured: the backend reports no model placement" in md
    assert "heatmap.png" not in md and (folder / "pareto.png").is_file()  # one key: no heatmap


@pytest.mark.slow  # half a minute: `pytest --all` (and CI) runs it
def test_failed_runs_are_kept_counted_and_flagged(tmp_path: Path) -> None:
    """The server answers the first chat with HTTP 500 and the config allows no retry:
    the first run fails, is recorded with its error and counted, and the sweep goes on."""
    with serve_ollama_stub(behaviour(), fail_next=1) as server:
        base = base_config(server.url, retries=0, options={"num_gpu": 24})
        plan = plan_sweep(EXAMPLE, base, grid=["num_gpu=16,48"], runs=3)
        result = asyncio.run(asweep(plan, out=tmp_path))
    folder = Path(result.out_dir or "")
    failed = [r for r in read_journal(folder).values() if r.status == "failed"]
    assert len(failed) == 1 and "HTTP 500" in (failed[0].error or "")
    assert result.runs_failed == 1 and result.runs_total == 9
    cell = result.cell(failed[0].cell)
    assert cell.failures == 1 and cell.measured == 2
    assert "1 of 3 runs failed" in cell.flags
    assert json.loads((folder / failed[0].run_dir / "run.json").read_text())["status"] == "failed"
    rows = list(csv.DictReader((folder / "summary.csv").open()))
    assert [r["status"] for r in rows].count("failed") == 1
    assert next(r for r in rows if r["status"] == "failed")["tokens_per_s"] == ""


def _chimera(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "chimera", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow  # about a minute: `pytest --all` (and CI) runs it
def test_a_killed_sweep_resumes_running_only_what_did_not_finish(tmp_path: Path) -> None:
    slow = SpeedModel(layers=48, gpu_tok_s=60, cpu_tok_s=30, load_s=0.05)  # ~0.5 s a call
    with serve_ollama_stub(behaviour(slow)) as server:
        config = write_config(tmp_path / "agent.yaml", server.url, "options: {num_gpu: 24}\n")
        out = tmp_path / "sweeps"
        proc = _chimera("sweep", str(EXAMPLE), "--config", str(config), "--grid",
                        "num_gpu=16,48", "--runs", "2", "--out", str(out))  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            journals = list(out.glob("*/records.ndjson"))
            lines = journals[0].read_text().count("\n") if journals else 0
            if lines >= 2:
                break
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
            time.sleep(0.05)
        # Kill mid-run: wait until the next run has started sending to the server.
        started = len(server.chat_requests)
        while len(server.chat_requests) == started:
            time.sleep(0.02)
        proc.kill()  # a crash, not a polite stop
        proc.communicate(timeout=30)
        (folder,) = out.iterdir()
        finished = read_journal(folder)
        assert 2 <= len(finished) < 6
        kept = {
            p: p.read_bytes()
            for record in finished.values()
            for p in (folder / record.run_dir).iterdir()
        }
        journal_before = (folder / "records.ndjson").read_bytes()
        requests_before = len(server.chat_requests)

        done = subprocess.run(
            [sys.executable, "-m", "chimera", "resume", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert Path(done.stdout.strip().splitlines()[-1]) == folder / "summary.md"
        # Only the unfinished runs ran again: one analyst call (the JSON one) each.
        again = [r for r in server.chat_requests[requests_before:] if r.body.get("format")]
        assert len(again) == 6 - len(finished)
    assert all(path.read_bytes() == data for path, data in kept.items())  # byte for byte
    assert (folder / "records.ndjson").read_bytes().startswith(journal_before)
    assert len(read_journal(folder)) == 6
    set_aside = list(folder.glob("cells/*/interrupted-*"))
    assert len(set_aside) == 1  # the run cut off by the kill, kept under another name
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["runs_total"] == 6 and summary["best"] == "gpu48"


def test_every_cell_gets_the_prompts_of_the_smallest_context(
    speed_sweep: tuple[SweepResult, Path],
) -> None:
    """Issue 19: a cell with a smaller num_ctx got a shorter digest, did less work and won.
    Now every cell's prompts are fitted once, to the grid's smallest context (1024), so
    the num_ctx=4096 cells are sent exactly what the num_ctx=1024 cells are (but for the
    agent's name, which names the cell)."""
    result, folder = speed_sweep
    assert result.plan.prompt_ctx == 1024
    prompts: dict[str, set[str]] = {}
    for record in read_journal(folder).values():
        run = json.loads((folder / record.run_dir / "run.json").read_text())
        for node, prompt in run["prompts"].items():
            text = prompt["user"].replace(run["config"]["name"], "<agent>")
            prompts.setdefault(node, set()).add(text)
    assert prompts and all(len(texts) == 1 for texts in prompts.values()), prompts.keys()
    assert "same prompts" in (folder / "summary.md").read_text()


def test_absurd_run_counts_are_refused_before_anything_is_laid_out(tmp_path: Path) -> None:
    """Issue 25: `--runs 100000000` allocated gigabytes before the first run. Now one line,
    exit 2, at once (the plan is never laid out), for a sweep's dry run and a comparison."""
    config = write_config(tmp_path / "a.yaml", "http://127.0.0.1:9")
    swept = runner.invoke(
        app, ["sweep", str(EXAMPLE), "-c", str(config), "-g", "num_ctx=1024,2048", "--dry-run",
              "--runs", "100000000"],
    )  # fmt: skip
    compared = runner.invoke(
        app, ["compare", str(EXAMPLE), "--a", str(config), "--b", str(config), "--runs",
              "100000000", "-o", str(tmp_path / "out")],
    )  # fmt: skip
    for done in (swept, compared):
        assert done.exit_code == 2, done.output
        assert "at most 100,000 runs" in done.output and "Traceback" not in done.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_runs_shows_a_sweep_by_its_best_cell(speed_sweep: tuple[SweepResult, Path]) -> None:
    """Issue 24: `chimera runs` showed "-" for a sweep's model, tok/s and TTFT."""
    result, folder = speed_sweep
    listed = json.loads(runner.invoke(app, ["runs", str(folder.parent), "--json"]).stdout)
    (entry,) = [e for e in listed if e["kind"] == "sweep"]
    best = result.cell(result.best or "")
    assert entry["agents"] == [f"{result.plan.name}: best {best.label}"]
    # the stub answered every run: the history says so (issue 24.6)
    assert entry["models"] == [f"{result.plan.base.model} (stub)"]
    assert result.served_by == "15 of 15 measured runs were answered by " + STUB_SERVED_BY
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "- Served by: 15 of 15 measured runs were answered by Chimera's stub" in summary
    assert not [c for c in result.cells if "stub" in "; ".join(c.flags)]  # said once, above
    assert entry["throughput_tok_s"] == [pytest.approx(best.figures["throughput_tok_s"].mean)]
    assert entry["ttft_ms"] == [pytest.approx(best.figures["ttft_ms"].mean)]
