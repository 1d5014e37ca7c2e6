"""Bounded by design: a runaway reply is cut (and the report says so); bad numbers stay out.

A server that ignores num_predict once sent 50 MB per call and made a 2.1 GB run folder.
Values that are not finite, or so large that a mean of two overflows, never reach the
statistics; a CSV cut off mid-line keeps its good rows and says how many were dropped.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from chimera.backends.base import MIN_REPLY_CHARS, reply_cap
from chimera.config.agent import AgentConfig
from chimera.execution.runner import arun
from chimera.metrics import CallMetrics
from chimera.testing.ollama_server import OllamaStubServer

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
RUNAWAY = "tokens " * 1_500_000  # 10.5 MB, whatever num_predict asked for


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_runaway_reply_is_cut_and_the_report_says_so(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    ollama_server.update(reply=RUNAWAY, tokens=2000)
    # Every section asked for twice (no draft policy): seven runaway replies to keep out.
    config = AgentConfig(
        name="Runaway",
        base_url=ollama_server.url,
        timeout_s=60,
        retries=0,
        drafts={"stop_after_rejected": None},
    )
    result = asyncio.run(arun(EXAMPLE, config, out=tmp_path))
    assert result.run_dir is not None
    calls = result.llm_calls
    assert calls and all(c.reply_cut_at_chars is not None for c in calls)
    assert all(c.reply_cut_at_chars <= reply_cap(2048) for c in calls if c.reply_cut_at_chars)
    # Each call kept at most its cap; the folder holds each reply a few times (run.json,
    # checkpoints, report), never the 10.5 MB each call was sent. The data's digest is in
    # the state each node checkpoints (six checkpoints and run.json), whatever the replies.
    assert result.digest is not None
    state = 8 * len(result.digest.model_dump_json())
    assert folder_bytes(result.run_dir) < len(calls) * 8 * reply_cap(2048) + state
    if result.ok:
        report = (result.run_dir / "report.md").read_text()
        assert "reply cut at" in report


def test_the_cap_grows_with_what_was_asked_for() -> None:
    assert reply_cap(None) == reply_cap(0) >= MIN_REPLY_CHARS
    assert reply_cap(100_000) > reply_cap(100)


# --- values that are not measurements ------------------------------------------------------


def test_infinite_negative_and_overflowing_values_stay_out_of_the_statistics(
    tmp_path: Path,
) -> None:
    import math

    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder, render_digest

    (tmp_path / "a.csv").write_text(
        "model,ttft_ms,tokens_per_s\nm,100,inf\nm,120,1e308\nm,130,1e308\nm,140,-5\nm,150,50\n"
    )
    (tmp_path / "b.json").write_text(
        '[{"model": "j", "tokens_per_s": Infinity, "ttft_ms": 1e308},'
        ' {"model": "j", "tokens_per_s": 20, "ttft_ms": 1e308}, {"model": "j", "ttft_ms": 90}]'
    )
    _, digest = ingest_folder(tmp_path, IngestOptions())
    for s in digest.stats:
        assert all(math.isfinite(v) for v in (s.mean, s.median, s.p95, s.min, s.max)), s
    m = digest.find("tokens_per_s", "model", "m")
    assert m is not None and (m.n, m.mean) == (1, 50.0)
    j = digest.find("ttft_ms", "model", "j")
    assert j is not None and (j.n, j.mean) == (1, 90.0)
    dropped = {(d.path, d.what): d.count for d in digest.dropped}
    assert dropped == {("a.csv", "values"): 4, ("b.json", "values"): 3}
    text, _ = render_digest(digest, None)
    assert "LEFT OUT: 4 values of a.csv" in text


def test_a_csv_cut_off_mid_line_keeps_its_good_rows_and_says_so(tmp_path: Path) -> None:
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder

    (tmp_path / "cut.csv").write_text("model,ttft_ms,tokens_per_s\nm,100,40\nm,110,42\nm,12")
    inventory, digest = ingest_folder(tmp_path, IngestOptions())
    assert [f.path for f in inventory.files] == ["cut.csv"] and not inventory.skipped
    s = digest.find("tokens_per_s", "model", "m")
    assert s is not None and (s.n, s.mean) == (2, 41.0)
    [dropped] = digest.dropped
    assert (dropped.path, dropped.count, dropped.what) == ("cut.csv", 1, "rows")
    assert "cut short" in dropped.reason


def test_a_short_row_before_the_end_still_makes_the_file_ragged(tmp_path: Path) -> None:
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder

    (tmp_path / "good.csv").write_text("model,tokens_per_s\nm,5\n")
    (tmp_path / "bad.csv").write_text("model,ttft_ms,tokens_per_s\nm,100\nm,110,42\n")
    inventory, _ = ingest_folder(tmp_path, IngestOptions())
    assert {s.path: s.reason[:12] for s in inventory.skipped} == {"bad.csv": "ragged rows:"}


def _ollama_call(response: dict[str, Any]) -> CallMetrics:
    """The metrics of a writer's call whose final chunk reported `response`."""
    from datetime import UTC, datetime

    return CallMetrics.from_response(
        response,
        node="writer",
        backend="ollama",
        model="m",
        started_at=datetime.now(UTC),
        wall_ms=1.0,
    )


def test_a_server_reporting_impossible_counters_gives_not_measured() -> None:
    metrics = _ollama_call(
        {
            "total_duration": float("inf"),
            "load_duration": -1,
            "eval_count": float("nan"),
            "eval_duration": "1e400",
            "prompt_eval_count": True,
            "prompt_eval_duration": 2**64,
        }
    )
    assert metrics.total_duration_ms is None and metrics.load_duration_ms is None
    assert metrics.eval_count is None and metrics.eval_duration_ms is None
    assert metrics.prompt_eval_count is None and metrics.throughput_tok_s is None


def test_a_count_of_two_to_the_64_is_not_measured_and_the_call_stays_serialisable() -> None:
    import ormsgpack

    metrics = _ollama_call(
        {"eval_count": 2**64, "prompt_eval_count": 18446744073709551617, "eval_duration": 10**9}
    )
    assert metrics.eval_count is None and metrics.prompt_eval_count is None
    ormsgpack.packb(metrics.model_dump())  # what the checkpointer does with it


def test_non_finite_figures_of_a_comparison_are_not_averaged(tmp_path: Path) -> None:
    import math

    from chimera.comparison.models import AgentRep, Repetition, aggregate, make_plan
    from chimera.config.agent import ModelOptions

    configs = [
        AgentConfig(name=n, backend="fake", options=ModelOptions(temperature=t))
        for n, t in (("A", 0.1), ("B", 0.9))
    ]
    plan = make_plan(tmp_path, configs, runs=2, warmup=0, mode="sequential", personas_dirs=[])

    def rep(index: int, a: float, b: float) -> Repetition:
        agents = [
            AgentRep(
                variant=v,
                agent=v,
                status="ok",
                started_offset_s=0,
                wall_s=1,
                figures={"throughput_tok_s": x},
            )
            for v, x in (("A", a), ("B", b))
        ]
        return Repetition(
            index=index, warmup=False, mode="sequential", order=["A", "B"], wall_s=2, agents=agents
        )

    result = aggregate(
        plan,
        [rep(1, math.inf, 10.0), rep(2, 20.0, math.nan), rep(3, 30.0, 12.0)],
        comparison_id="x",
        started_at=__import__("datetime").datetime.now(),
        out_dir=None,
    )
    summary = result.aggregates["A"]["throughput_tok_s"]
    assert (summary.n, summary.mean) == (2, 25.0)


def test_the_python_api_has_a_ready_progress_printer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import chimera
    from chimera.config.agent import ModelOptions

    configs = [
        AgentConfig(name=n, backend="fake", options=ModelOptions(temperature=t))
        for n, t in (("A", 0.1), ("B", 0.9))
    ]
    result = chimera.compare(
        EXAMPLE, configs, runs=1, out=tmp_path, progress=chimera.print_progress
    )
    lines = capsys.readouterr().err.splitlines()
    assert any(line.endswith("run_1 A: analysis ...") for line in lines)
    assert any(line.endswith("run_1 B: checks done") for line in lines)
    assert result.deltas["B vs A"][0].verdict.startswith("Throughput: ")


def test_numbers_past_two_to_the_64_in_the_data_finish_the_run(tmp_path: Path) -> None:
    """A setting of 2**64 and a metric of 10**400 are data, not crashes: the run ends with
    its run.json, and its checkpoints were written (msgpack refused 2**64 before)."""
    import json

    from chimera.execution.reverify import load_run

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text(
        "model,num_gpu,tokens_per_second\nm1,18446744073709551616,10\nm1,80,12\nm2,1e400,5\n"
    )
    (data / "b.json").write_text(
        '{"model": "x", "tokens_per_second": 1e400, "eval_count": 18446744073709551617}'
    )
    result = asyncio.run(
        arun(data, AgentConfig(name="Fake", backend="fake"), out=tmp_path / "runs")
    )
    assert result.ok and result.run_dir is not None, result.error
    record = json.loads((result.run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["digest"] is not None
    again = load_run(result.run_dir)
    assert again.digest is not None and again.digest.stats == result.digest.stats


def _many_models(folder: Path, models: int) -> Path:
    import random

    draw = random.Random(models)
    folder.mkdir()
    rows = ["model,num_gpu,tokens_per_second"]
    rows += [
        f"model-{i},{gpu},{draw.uniform(5, 50):.2f}"
        for i in range(models)
        for gpu in (0, 80)
        for _ in range(2)
    ]
    (folder / "big.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_report_and_page_do_not_grow_with_the_number_of_models(tmp_path: Path) -> None:
    """Issue 25.2: 1,000 models made a 366 MB page; each kind now shows its strongest
    findings, rankings name the top and bottom, and the rest are counted."""
    from chimera.findings.compute import MAX_PER_KIND

    sizes = {}
    for models in (60, 240):
        data = _many_models(tmp_path / f"d{models}", models)
        result = asyncio.run(
            arun(data, AgentConfig(name="Fake", backend="fake"), out=tmp_path / f"r{models}")
        )
        assert result.ok and result.run_dir is not None, result.error
        kinds = Counter(f.kind for f in result.findings)
        assert max(kinds.values()) <= MAX_PER_KIND, kinds
        [left] = [f for f in result.findings if f.title == "findings not listed"]
        assert "more findings are not listed" in left.text and "--all" in left.text
        report = (result.run_dir / "report.md").read_text(encoding="utf-8")
        assert f"and {models - 12} more models" in report  # the ranking counts the middle
        sizes[models] = (len(report), (result.run_dir / "report.html").stat().st_size)
    assert sizes[240][0] < 1.2 * sizes[60][0] and sizes[240][1] < 1.2 * sizes[60][1], sizes


def test_chimera_findings_all_lists_every_finding(tmp_path: Path) -> None:
    from chimera.execution.data_findings import analyse

    data = _many_models(tmp_path / "d", 30)
    capped = analyse(data)
    every = analyse(data, every_finding=True)
    per_kind = Counter(f.kind for f in every.findings)
    assert per_kind["best_config"] == 30 and per_kind["setting_effect"] == 30
    assert len(capped.findings) < len(every.findings)


def test_note_claims_are_bounded_and_the_rest_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20,000 generated notes once held over a million claims (2.4 GB at 100,000 files):
    claims are kept up to a limit per note and per folder, and the rest are counted."""
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import build, ingest_folder
    from chimera.ingest.digest.coverage import coverage_lines

    (tmp_path / "runs.csv").write_text("model,num_ctx,tokens_per_s\nm,2048,50\nm,8192,45\n")
    for n in range(6):
        (tmp_path / f"note_{n}.md").write_text(
            "# Notes\n\n"
            + "\n".join(
                f"- Raising num_ctx from 2048 to 8192 costs about {k + 5}% throughput."
                for k in range(4)
            )
            + "\n"
        )
    _, whole = ingest_folder(tmp_path, IngestOptions())
    assert len(whole.note_claims) == 24 and whole.note_claims_left_out == 0
    monkeypatch.setattr(build, "MAX_CLAIMS_PER_NOTE", 3)
    monkeypatch.setattr(build, "MAX_NOTE_CLAIMS", 10)
    _, bounded = ingest_folder(tmp_path, IngestOptions())
    assert len(bounded.note_claims) == 10 and bounded.note_claims_left_out == 14
    assert max(Counter(c.path for c in bounded.note_claims).values()) == 3
    assert any("14 numeric claims were not checked" in line for line in coverage_lines(bounded))
