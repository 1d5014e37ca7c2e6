"""`chimera compare`: artifacts, A B B A order, failures kept, real concurrency, host spreading."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from chimera.comparison.execution import acompare
from chimera.comparison.models import FIGURES
from chimera.comparison.summary import render_summary_md
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.testing.ollama_server import OllamaStubServer, reply_by_format, serve_ollama_stub

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
ANALYST_JSON = '{"key_findings": ["Throughput is steady."], "recommendations": ["Keep warm."]}'
REPORT = "## 1. Executive Summary\nSteady.\n"


def fake(name: str, temperature: float) -> AgentConfig:
    return AgentConfig(
        name=name, backend="fake", model="fake", options=ModelOptions(temperature=temperature)
    )


def ollama(name: str, hosts: list[str], **extra: object) -> AgentConfig:
    return AgentConfig(name=name, backend="ollama", hosts=hosts, timeout_s=10, **extra)


@pytest.fixture
def delayed_servers() -> Iterator[list[OllamaStubServer]]:
    """Four stub servers; each chat call streams 10 tokens at 30 ms (about 0.3 s)."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                serve_ollama_stub(
                    reply=reply_by_format(ANALYST_JSON, REPORT), tokens=10, token_delay_s=0.03
                )
            )
            for _ in range(4)
        ]


def test_compare_writes_every_artifact(tmp_path: Path) -> None:
    result = asyncio.run(
        acompare(EXAMPLE, [fake("Agent A", 0.2), fake("Agent B", 0.8)], runs=3, out=tmp_path)
    )
    out = Path(result.out_dir or "")
    for name in ("plan.json", "summary.json", "summary.md", "summary.csv", "summary.png"):
        assert (out / name).is_file(), name
    assert (out / "summary.png").read_bytes()[:4] == b"\x89PNG"
    for i in (1, 2, 3):
        rep = out / f"run_{i}"
        assert (rep / "metrics.json").is_file()
        reports = sorted(p.parent.name for p in rep.glob("*/report.md"))
        assert reports == ["a-agent-a", "b-agent-b"]
    rows = list(csv.DictReader((out / "summary.csv").open()))
    # Three measured repetitions and the solo one (each agent alone), two agents each.
    assert len(rows) == 8 and {r["variant"] for r in rows} == {"A", "B"}
    assert [r["solo"] for r in rows].count("True") == 2
    assert sorted(p.parent.name for p in (out / "solo_1").glob("*/report.md")) == [
        "a-agent-a",
        "b-agent-b",
    ]
    # Only what differs is in the diff.
    assert result.config_diff == {"options.temperature": {"A": 0.2, "B": 0.8}}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["aggregates"]["A"]["throughput_tok_s"]["n"] == 3
    assert "delta = B - A" in summary["sign_convention"]
    md = (out / "summary.md").read_text()
    assert "## Verdicts" in md and "## Side by side" in md and "options.temperature" in md
    assert "## Concurrency" in md


def test_identical_fakes_get_no_measurable_difference(tmp_path: Path) -> None:
    result = asyncio.run(acompare(EXAMPLE, [fake("A", 0.5), fake("B", 0.5)], runs=3, out=tmp_path))
    verdicts = {d.figure: d.verdict for d in result.deltas["B vs A"]}
    assert verdicts["Throughput"].startswith("Throughput: no measurable difference")


def test_two_runs_give_no_verdict(tmp_path: Path) -> None:
    """The issue's `--runs 2` claimed a difference; now two runs are too few for one."""
    result = asyncio.run(acompare(EXAMPLE, [fake("A", 0.2), fake("B", 0.8)], runs=2, out=tmp_path))
    assert {d.outcome for d in result.deltas["B vs A"]} == {"too_few_runs"}
    verdicts = {d.figure: d.verdict for d in result.deltas["B vs A"]}
    for figure in ("Throughput", "TTFT", "Run wall time"):
        assert (
            verdicts[figure] == f"{figure}: too few runs for a verdict: n=2; use --runs 3 or more"
        )
    md = (Path(result.out_dir or "") / "summary.md").read_text()
    assert "too few runs for a verdict: n=2" in md


def test_three_configs_are_labelled_a_b_c_and_each_is_compared_with_a(tmp_path: Path) -> None:
    """Deltas are B vs A and C vs A, each computed from that variant's own run folders."""
    configs = [fake("Alpha", 0.2), fake("Beta", 0.5), fake("Gamma", 0.9)]
    result = asyncio.run(acompare(EXAMPLE, configs, runs=2, out=tmp_path))
    out = Path(result.out_dir or "")
    folders = {"A": "a-alpha", "B": "b-beta", "C": "c-gamma"}
    assert {v.label: v.config.name for v in result.plan.variants} == {
        "A": "Alpha",
        "B": "Beta",
        "C": "Gamma",
    }
    for name in ("plan.json", "summary.json", "summary.md", "summary.csv", "summary.png"):
        assert (out / name).is_file(), name
    walls: dict[str, list[float]] = {label: [] for label in folders}
    for i in (1, 2):
        rep = out / f"run_{i}"
        assert (rep / "metrics.json").is_file()
        assert sorted(p.name for p in rep.iterdir() if p.is_dir()) == sorted(folders.values())
        for label, folder in folders.items():
            saved = json.loads((rep / folder / "run.json").read_text())
            assert (rep / folder / "report.md").is_file()
            assert saved["config"]["name"] == result.plan.variants["ABC".index(label)].config.name
            walls[label].append(saved["wall_s"])
    assert list(result.deltas) == ["B vs A", "C vs A"]
    for pair, other in (("B vs A", "B"), ("C vs A", "C")):
        assert [d.figure for d in result.deltas[pair]] == [f.label for f in FIGURES]
        wall = next(d for d in result.deltas[pair] if d.figure == "Run wall time")
        assert wall.mean_a == pytest.approx(sum(walls["A"]) / 2)
        assert wall.mean_b == pytest.approx(sum(walls[other]) / 2)
        assert wall.delta == pytest.approx(wall.mean_b - wall.mean_a)
    assert result.config_diff == {"options.temperature": {"A": 0.2, "B": 0.5, "C": 0.9}}
    rows = [r for r in csv.DictReader((out / "summary.csv").open()) if r["solo"] == "False"]
    assert len(rows) == 6 and {r["variant"] for r in rows} == {"A", "B", "C"}
    md = (out / "summary.md").read_text()
    assert "# Comparison: A = Alpha vs B = Beta vs C = Gamma" in md
    assert "**B vs A**" in md and "**C vs A**" in md
    assert "| Figure | A: Alpha | B: Beta | C: Gamma |" in md


def test_sequential_mode_alternates_and_excludes_warmups(tmp_path: Path) -> None:
    result = asyncio.run(
        acompare(
            EXAMPLE,
            [fake("A", 0.2), fake("B", 0.8)],
            runs=4,
            warmup=1,
            mode="sequential",
            out=tmp_path,
        )
    )
    measured = [r.order for r in result.measured]
    assert measured == [["A", "B"], ["B", "A"], ["A", "B"], ["B", "A"]]
    # Started in that order, one at a time.
    for rep in result.measured:
        first, second = sorted(rep.agents, key=lambda a: a.started_offset_s)
        assert [first.variant, second.variant] == rep.order
        assert second.started_offset_s >= first.wall_s
    assert [r.warmup for r in result.repetitions].count(True) == 1
    assert (Path(result.out_dir or "") / "warmup_1").is_dir()
    assert result.aggregates["A"]["wall_s"].n == 4  # the warm-up is not counted


def test_concurrent_agents_take_about_one_delay_not_two(
    tmp_path: Path, delayed_servers: list[OllamaStubServer]
) -> None:
    a, b = delayed_servers[:2]
    result = asyncio.run(
        acompare(EXAMPLE, [ollama("A", [a.url]), ollama("B", [b.url])], runs=1, out=tmp_path)
    )
    rep = result.measured[0]
    assert all(agent.status == "ok" for agent in rep.agents), [x.error for x in rep.agents]
    walls = [agent.wall_s for agent in rep.agents]
    # Two calls of ~0.3 s each per agent: ~0.6 s alone. Sequential would be ~1.2 s.
    assert rep.wall_s < 1.5 * max(walls)
    assert rep.concurrency is not None and rep.concurrency.speedup > 1.4


def test_runs_the_stub_answered_are_marked_as_test_runs_everywhere(
    tmp_path: Path, delayed_servers: list[OllamaStubServer]
) -> None:
    """Issue 24.6: the history, the summary and each run's report tell a stub run from a
    measurement of a real server; a run the fake backend made is not marked."""
    from chimera.execution.history import scan

    a, b = delayed_servers[:2]
    result = asyncio.run(
        acompare(EXAMPLE, [ollama("A", [a.url]), fake("B", 0.5)], runs=1, out=tmp_path / "c")
    )
    served = {x.variant: x.served_by for r in result.measured for x in r.agents}
    assert served["A"] and "stub" in served["A"] and served["B"] is None
    md = (Path(result.out_dir or "") / "summary.md").read_text()
    assert "- Served by: 1 of 2 measured runs were answered by Chimera's stub" in md
    [entry] = scan([tmp_path / "c"])
    assert entry.models == ["gemma3:latest (stub)", "fake"]
    run_dir = Path(next(x.run_dir for r in result.measured for x in r.agents if x.variant == "A"))
    assert "**Served by:** Chimera's stub server" in (run_dir / "report.md").read_text()
    assert "Served by" in (run_dir / "report.html").read_text()
    [run_entry] = scan([run_dir])
    assert run_entry.models == ["gemma3:latest (stub)"]


def test_repetitions_spread_over_hosts_within_the_per_host_limit(
    tmp_path: Path, delayed_servers: list[OllamaStubServer]
) -> None:
    s1, s2, s3, s4 = delayed_servers
    configs = [ollama("A", [s1.url, s2.url]), ollama("B", [s3.url, s4.url])]
    # No solo repetition: it runs alone by design, and this measures the spreading.
    result = asyncio.run(acompare(EXAMPLE, configs, runs=4, out=tmp_path, solo_runs=0))
    assert result.hosts == {"A": {s1.url: 2, s2.url: 2}, "B": {s3.url: 2, s4.url: 2}}
    for server in delayed_servers:
        assert server.peak_concurrency() == 1  # limit 1 in flight per host
    for rep in result.measured:
        assert {a.host for a in rep.agents} <= {s.url for s in delayed_servers}
    # Two hosts each: two repetitions ran at a time, so the whole took well under their sum.
    elapsed = (result.finished_at - result.started_at).total_seconds()
    assert elapsed < 0.8 * sum(r.wall_s for r in result.measured)


def test_failed_repetitions_are_kept_and_counted(
    tmp_path: Path, delayed_servers: list[OllamaStubServer]
) -> None:
    a, b = delayed_servers[:2]
    b.update(fail_next=1000)
    configs = [ollama("A", [a.url]), ollama("B", [b.url], retries=0)]
    result = asyncio.run(acompare(EXAMPLE, configs, runs=2, out=tmp_path))
    assert result.failures == {"A": 0, "B": 2}
    assert len(result.measured) == 2
    failed = [x for r in result.measured for x in r.agents if x.variant == "B"]
    assert all(x.status == "failed" and "HTTP 500" in (x.error or "") for x in failed)
    assert result.aggregates["A"]["throughput_tok_s"].n == 2
    assert result.aggregates["B"]["throughput_tok_s"].n == 0
    md = (Path(result.out_dir or "") / "summary.md").read_text()
    assert "## Failed runs" in md and "B 2" in md


def test_the_data_is_digested_once_for_every_run_of_a_comparison(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six runs, one digest: computed before the first repetition and reused by every run."""
    from chimera.ingest.digest import build as digest_module

    digests: list[object] = []
    real = digest_module.build_digest

    def counting(*args: Any, **kwargs: Any) -> Any:
        digests.append(real(*args, **kwargs))
        return digests[-1]

    monkeypatch.setattr(digest_module, "build_digest", counting)
    events: list[Any] = []
    result = asyncio.run(
        acompare(
            EXAMPLE, [fake("A", 0.2), fake("B", 0.8)], runs=3, out=tmp_path, progress=events.append
        )
    )
    assert len(digests) == 1
    # The one digest is announced before any run starts.
    first = [(e.agent, e.node, e.phase) for e in events[:2]]
    assert first == [("comparison", "ingest", "start"), ("comparison", "ingest", "end")]
    assert result.data_digest_s is not None and result.data_digest_s > 0
    runs = [r for rep in result.measured for r in rep.agents]
    assert len(runs) == 6 and all(r.status == "ok" for r in runs)
    md = (Path(result.out_dir or "") / "summary.md").read_text()
    assert "digested once before the repetitions" in md and "files changed" not in md
    assert result.data_redigests == 0
    changed = render_summary_md(result.model_copy(update={"data_redigests": 2}))
    assert "the files changed during the comparison, and 2 run(s) digested them again" in changed


@pytest.mark.slow  # over 10 s: `pytest --all` (and CI) runs it
def test_contention_is_flagged_from_the_slowdown_against_solo_runs(tmp_path: Path) -> None:
    """Two agents on one stub whose chats slow each other (a shared GPU, +100 % per token
    for each other chat in flight). The seed formula still reports a speedup near 2, since
    each agent's own wall grew too; the strict one, against the walls measured alone in the
    solo repetition, shows the loss, and contention is flagged from the slowdown."""
    from chimera.testing.ollama_server import SpeedModel

    speed = SpeedModel(gpu_tok_s=50, load_s=0.0, ctx_us_per_token=0.0, concurrency_slowdown=1.0)
    with serve_ollama_stub(
        reply=reply_by_format(ANALYST_JSON, REPORT), tokens=10, speed=speed
    ) as s:
        configs = [ollama("A", [s.url]), ollama("B", [s.url])]
        result = asyncio.run(acompare(EXAMPLE, configs, runs=3, out=tmp_path))
    assert len(result.solo) == 1 and result.alone_wall_s["A"].n == 1
    c = result.concurrency
    assert c["speedup"].mean is not None and c["speedup"].mean > 1.7  # looks nearly ideal
    assert c["slowdown_pct"].mean is not None and c["slowdown_pct"].mean > 30
    assert c["strict_speedup"].mean is not None
    assert c["strict_speedup"].mean < c["speedup"].mean - 0.3
    assert result.contention is True
    assert all(r.concurrency and r.concurrency.contention for r in result.measured)
    md = (Path(result.out_dir or "") / "summary.md").read_text()
    assert "Strict speedup" in md and "- Contention: yes" in md
