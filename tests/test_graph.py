"""The insight graph end to end on a deterministic fake model: state, timing, artifacts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from langchain_core.messages import BaseMessage

from chimera.backends.base import ChatBackend
from chimera.backends.fake import FakeBackend, queue_reply, role_reply
from chimera.config.agent import AgentConfig
from chimera.context import RunContext
from chimera.errors import BackendProtocolError
from chimera.execution.report import render_report
from chimera.execution.runner import arun
from chimera.findings.analysis import MIN_ITEMS
from chimera.findings.finding import topic
from chimera.graphs.insight import build_insight_graph

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


def fake_config(**extra: object) -> AgentConfig:
    return AgentConfig(name="Fake Agent", backend="fake", model="fake-model", retries=1, **extra)


def run(backend: ChatBackend, out: Path | None, config: AgentConfig | None = None):
    return asyncio.run(arun(EXAMPLE, config or fake_config(), out=out, backend=backend))


def test_graph_declares_the_run_context_and_its_nodes() -> None:
    """The four nodes of the brief, and the path a folder with nothing to measure takes."""
    graph = build_insight_graph()
    assert graph.context_schema is RunContext
    assert set(graph.nodes) == {"ingest", "analyst", "writer", "verify", "nothing_to_measure"}


def test_full_run_times_every_node_and_measures_every_llm_call(tmp_path: Path) -> None:
    """One analyst call, then one writer call per section of the persona (all kept)."""
    backend = FakeBackend()
    result = run(backend, tmp_path)
    assert result.ok, result.error
    assert set(result.node_timings) == {"ingest", "analyst", "writer", "verify"}
    assert all(seconds >= 0 for seconds in result.node_timings.values())
    assert sum(result.node_timings.values()) <= result.wall_s
    assert [c.node for c in result.llm_calls] == ["analyst", "writer", "writer", "writer"]
    assert result.metrics.calls == 4
    # The fake reports 10 ms per token: 100 tok/s on every call.
    assert result.metrics.throughput_tok_s == pytest.approx(100.0)
    assert result.analysis is not None and result.analysis.parse_mode == "json"
    first = result.analysis.recommendations[0]
    assert (first.recommendation_id, first.author) == ("R1", "model")
    assert [s.author for s in result.sections] == ["model", "model", "model"]
    assert len(backend.calls) == 4


def test_the_analyst_sees_the_computed_findings_by_id(tmp_path: Path) -> None:
    backend = FakeBackend()
    result = run(backend, tmp_path)
    assert result.findings
    analyst_prompt = " ".join(str(m.content) for m in backend.calls[0])
    first = result.findings[0]
    assert f"{first.id} ({first.verdict}): " in analyst_prompt
    assert first.text.split(":")[0] in analyst_prompt


def test_the_chosen_findings_reach_the_writer_prompt(tmp_path: Path) -> None:
    backend = FakeBackend()
    result = run(backend, tmp_path)
    assert result.analysis is not None
    writer_prompt = " ".join(str(m.content) for m in backend.calls[1])
    for chosen in result.analysis.key_findings:
        assert chosen.text in writer_prompt


def test_run_writes_report_and_run_json_in_a_new_folder_each_time(tmp_path: Path) -> None:
    first = run(FakeBackend(), tmp_path)
    assert first.report_path is not None and first.run_dir is not None
    first_files = {p.name: p.read_bytes() for p in first.run_dir.iterdir()}
    second = run(FakeBackend(), tmp_path)
    assert first.run_dir != second.run_dir
    for result in (first, second):
        assert result.report_path is not None and result.report_path.exists()
        data = json.loads((result.run_dir / "run.json").read_text())
        assert data["schema_version"] == 2
        assert data["status"] == "ok"
        assert len(data["llm_calls"]) == 4
        assert data["findings"] and data["sections"]
        assert data["config"]["name"] == "Fake Agent"
        assert data["inventory"]["files"]
        assert data["digest"]["stats"]
        assert data["analysis"]["key_findings"]
        assert data["report_body"]
    # The second run left the first one's folder exactly as it was.
    assert {p.name: p.read_bytes() for p in first.run_dir.iterdir()} == first_files


def test_report_sections_come_in_the_documented_order(tmp_path: Path) -> None:
    result = run(FakeBackend(), tmp_path)
    text = render_report(result)
    order = [
        "# Fake Agent",
        "**Agent Type:** Fake Agent",
        "**Configuration:** num_gpu=default",
        "## Key Findings",  # first: what a busy reader needs
        "## 1. Executive Summary",  # the model's body
        "## What the Data Holds",
        "## Workflow Summary",
        "- Execution time: ",
        "## Metrics",
        "- Throughput: 100.00 tok/s",
        "## Quality",
        "## Appendix",
        "### Other Findings",
        "### Data Summary",
        "### Figures Check",
        "### Persona Compliance",
        "### Persona Prompts",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "You are InsightAgent" in text.split("### Persona Prompts")[1]


def test_execution_line_names_the_three_stages(tmp_path: Path) -> None:
    text = render_report(run(FakeBackend(), tmp_path))
    line = next(x for x in text.splitlines() if x.startswith("- Execution time:"))
    assert "(ingest " in line and "| analysis " in line and "| report " in line


def test_the_metrics_section_writes_the_calls_times_as_the_findings_do(tmp_path: Path) -> None:
    """Times of ten seconds and more in seconds, as every finding writes them
    (chimera.findings.duration); the per-call table keeps its columns in ms, as its header says."""
    result = run(FakeBackend(), tmp_path)
    metrics = result.metrics.model_copy(
        update={"total_duration_ms": 13_294.03, "prompt_eval_ms": 3413.37}
    )
    text = render_report(result.model_copy(update={"metrics": metrics}))
    assert "- Total Duration: 13.29 s" in text.splitlines()
    assert "- Prompt Eval: 3413.37 ms" in text.splitlines()
    assert "| Wall ms |" in text


def test_an_analyst_reply_with_no_choice_leaves_the_choice_to_chimera(tmp_path: Path) -> None:
    """Prose instead of JSON: the report still has its findings and recommendations, each
    marked as chosen by Chimera, and the report body falls back where drafts fail."""
    prose = "The 4b model is slow on this machine. Consider raising num_gpu for it."
    result = run(FakeBackend(reply=queue_reply([prose, "Report body."])), tmp_path)
    assert result.ok
    analysis = result.analysis
    assert analysis is not None and analysis.parse_mode == "empty"
    assert len(analysis.key_findings) == MIN_ITEMS
    recs = [f.recommendation for f in result.findings if f.recommendation is not None]
    assert len(analysis.recommendations) == min(MIN_ITEMS, len(recs))
    assert {f.author for f in analysis.key_findings} == {"chimera"}
    # One per topic, the most important first: F1 states num_gpu across the models, so the
    # per-model num_gpu findings (F2, F3) make way for other topics.
    by_id = {f.id: f for f in result.findings}
    chosen = [by_id[f.finding_id] for f in analysis.key_findings]
    assert chosen[0].id == "F1" and len({topic(f) for f in chosen}) == len(chosen)
    assert not {"F2", "F3"} & {f.id for f in chosen}
    # "Report body." is too short for any section: each is Chimera's, and says why (the last
    # one: the model was not asked, after three rejected drafts in a row).
    assert {s.author for s in result.sections} == {"chimera"}
    assert all("too short" in (s.rejected or "") for s in result.sections[:2])
    assert "drafts were rejected" in (result.sections[2].not_asked or "")


class FlakyBackend(FakeBackend):
    """Fails the first `failures` chat calls with a retryable protocol error."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.attempts = 0

        def reply(messages: list[BaseMessage]) -> str:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise BackendProtocolError("simulated HTTP 500")
            return role_reply(messages)

        self.reply = reply


def test_a_transient_backend_fault_is_retried_by_the_node_policy(tmp_path: Path) -> None:
    backend = FlakyBackend(failures=1)
    result = run(backend, tmp_path)
    assert result.ok
    # The analyst failed once and was retried, then one writer call per section.
    assert backend.attempts == 5


def test_a_persistent_fault_is_recorded_as_a_failed_run(tmp_path: Path) -> None:
    backend = FlakyBackend(failures=100)
    result = run(backend, tmp_path)
    assert not result.ok
    assert result.error is not None and "simulated HTTP 500" in result.error
    assert result.report_path is None
    assert result.run_dir is not None and not (result.run_dir / "report.md").exists()
    recorded = json.loads((result.run_dir / "run.json").read_text())
    assert recorded["status"] == "failed" and "HTTP 500" in recorded["error"]
    assert recorded["inventory"]["files"]  # the ingest that finished is kept
    assert backend.attempts == 2  # retries=1: two attempts


def test_nodes_derive_what_a_checkpoint_lacks_through_the_one_cache_path() -> None:
    """A state read back from an old checkpoint (no highlights) still prompts with them."""
    from langgraph.runtime import Runtime

    from chimera.agents.analyst import analyst
    from chimera.config.personas import PersonaLibrary
    from chimera.findings.highlights import compute_highlights
    from chimera.ingest.cache import ingest_data

    data = ingest_data(EXAMPLE, fake_config().ingest)
    backend = FakeBackend()
    context = RunContext(
        agent=fake_config(), data_dir=EXAMPLE, backend=backend, personas=PersonaLibrary.discover([])
    )
    state = {"inventory": data.inventory, "digest": data.digest}
    update = asyncio.run(analyst(state, Runtime(context=context)))  # type: ignore[arg-type]
    highlights = compute_highlights(data.digest)
    assert highlights and highlights[0].text.split(":")[0] in update["prompts"]["analyst"]["user"]


def test_a_draft_with_its_own_headings_is_fitted_into_the_reports_sections(
    tmp_path: Path,
) -> None:
    """A model that heads its draft ("## 1. TL;DR") and runs on into the next section ("## 2.
    Optimisation Recommendations") gets neither heading into the report: the leading one is
    dropped, the draft ends where another section starts, a sub-heading is nested (###)."""

    def with_headings(messages: list[BaseMessage]) -> str:
        reply = role_reply(messages)
        if '"key_findings"' in "\n".join(str(m.content) for m in messages):
            return reply
        return (
            f"## 1. TL;DR\n\n{reply}\n\n## Details\n\nRepeat each measurement on a quiet "
            "machine before acting on it.\n\n"
            "## 2. Optimisation Recommendations\n1. Set num_gpu=80 everywhere."
        )

    result = run(FakeBackend(reply=with_headings), tmp_path)
    assert result.ok
    body = result.report_body
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings == [f"## {i}. {s.title}" for i, s in enumerate(result.sections, start=1)]
    assert "TL;DR" not in body and body.count("Optimisation Recommendations") == 1
    assert "Set num_gpu=80 everywhere" not in result.sections[0].text  # the next section's
    kept = [s for s in result.sections if s.author == "model"]
    assert kept, [s.rejected for s in result.sections]
    assert all(s.text.count("### Details") == 1 for s in kept)


@pytest.mark.parametrize("style", ["chat", "continuation"])
def test_the_writers_section_prompts_share_a_marked_prefix(tmp_path: Path, style: str) -> None:
    """The sections' prompts differ only at their end (the section's title, instruction or
    heading), and the writer marks the part they share, so a caching backend reads it once."""
    backend = FakeBackend(style=style)  # type: ignore[arg-type]
    result = run(backend, tmp_path)
    assert result.ok, result.error
    writer_calls = backend.calls[1:]
    prefixes = backend.shared_prefixes[1:]
    assert len(writer_calls) == len(prefixes) == 3
    assert backend.shared_prefixes[0] == ""  # the analyst's one call shares nothing
    assert len(set(prefixes)) == 1 and len(prefixes[0]) > 200
    for messages, title in zip(writer_calls, [s.title for s in result.sections], strict=True):
        last = str(messages[-1].content)
        assert last.startswith(prefixes[0])
        assert title not in prefixes[0] and title in last[len(prefixes[0]) :]


def test_the_metrics_section_says_which_throughput_it_shows(tmp_path: Path) -> None:
    text = render_report(run(FakeBackend(), tmp_path))
    line = next(x for x in text.splitlines() if x.startswith("- Throughput:"))
    assert "(tokens generated / eval time over all calls;" in line
    assert "the mean of the per-call rates is " in line


def test_a_rejected_section_without_a_fitting_fallback_is_left_out(tmp_path: Path) -> None:
    """A custom section ("What the data cannot tell us") is never filled with the top
    findings: its rejected draft leaves it out of the body, and the Quality section says why."""
    personas = tmp_path / "personas"
    personas.mkdir()
    (personas / "careful.yaml").write_text(
        "name: careful\ntitle: Careful\nrole: writer\nsystem_prompt: Be careful.\n"
        "sections:\n"
        "  - title: What the data shows\n    fallback: summary\n"
        "  - title: What the data cannot tell us\n",
        encoding="utf-8",
    )
    config = fake_config(personas={"writer": "careful"}, personas_dirs=[personas])
    # The analyst's prose leaves the choice to Chimera; every draft is too short.
    backend = FakeBackend(reply=queue_reply(["No JSON here.", "Too short."]))
    result = run(backend, tmp_path / "runs", config)
    assert result.ok, result.error
    shows, cannot = result.sections
    assert (shows.author, shows.omitted) == ("chimera", False) and shows.text
    assert cannot.omitted and cannot.text == "" and "too short" in (cannot.rejected or "")
    assert "What the data cannot tell us" not in result.report_body
    assert result.report_body.startswith("## 1. What the data shows\n")
    report = (result.report_path or Path()).read_text()
    assert "- What the data cannot tell us: left out of the report" in report
