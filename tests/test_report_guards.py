"""The writer's guard paths over real HTTP (the Ollama stub): a good section is kept as the
model's; an echoed prompt and invented numbers are rejected, retried once, and replaced by
Chimera's text from the findings, and the report says so."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from chimera.config.agent import AgentConfig
from chimera.execution.result import RunResult
from chimera.execution.runner import arun
from chimera.testing.ollama_server import OllamaStubServer, prompt_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"
ANALYST_JSON = (
    '{"key_findings": [{"id": "F1", "why": "GPU offload decides the speed of every model."}],'
    ' "recommendations": [{"id": "R1", "why": "It is the largest gain measured."}]}'
)
GOOD = {
    "Executive Summary": (
        "The tuning files show that offloading every layer pays off: on gemma3:270m, "
        "gpu80_ctx2048 reaches 246.94 tok/s, and on gemma3:4b the same config reaches "
        "33.88 tok/s, each the fastest config measured for that model."
    ),
    "Optimisation Recommendations": (
        "1. For gemma3:270m, use num_gpu: 80 and num_ctx: 2048, the fastest setup measured.\n"
        "2. For gemma3:4b, use num_gpu: 80 and num_ctx: 2048 as well, for the same reason.\n"
        "3. Warm each model up with one discarded call before measuring anything."
    ),
    "Risk/Mitigation Table": (
        "| Risk | Evidence | Mitigation |\n|---|---|---|\n"
        "| Cold starts | The first call loads the model | Warm up before measuring |\n"
        "| Timeouts | Slow calls drop out of the means | Raise the request timeout |"
    ),
}


def section_of(request: dict[str, Any]) -> str:
    prompt = prompt_text(request)
    return next((title for title in GOOD if f'section "{title}"' in prompt), "")


def run(
    server: OllamaStubServer,
    reply: Any,
    tmp_path: Path,
    analyst: str = ANALYST_JSON,
    **config: Any,
) -> RunResult:
    def answer(request: dict[str, Any]) -> str:
        return analyst if request.get("format") else reply(request)

    server.update(reply=answer, tokens=20, token_delay_s=0.0)
    agent = AgentConfig(
        name="Guarded", backend="ollama", base_url=server.url, timeout_s=30, **config
    )
    return asyncio.run(arun(EXAMPLE, agent, out=tmp_path))


def writer_requests(server: OllamaStubServer) -> int:
    return sum(1 for r in server.chat_requests if not r.body.get("format"))


def test_a_good_reply_is_kept_as_the_models_text(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    result = run(ollama_server, lambda request: GOOD[section_of(request)], tmp_path)
    assert result.ok, result.error
    assert [(s.title, s.author, s.retries) for s in result.sections] == [
        (title, "model", 0) for title in GOOD
    ]
    assert writer_requests(ollama_server) == 3
    assert GOOD["Executive Summary"] in result.report_body
    assert "Written by Chimera" not in result.report_body
    assert result.quality.model_share == 1.0
    assert result.sections[0].figures_total == result.sections[0].figures_traced == 2
    report = (result.report_path or Path()).read_text()
    assert "- Written by the model: 100.0 % of the body" in report


def test_an_echoed_prompt_is_rejected_retried_and_replaced(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    # A base model's answer to a chat prompt: the prompt back. Asked for every section.
    result = run(
        ollama_server,
        lambda request: prompt_text(request)[:1500],
        tmp_path,
        drafts={"stop_after_rejected": None},
    )
    assert result.ok, result.error
    assert writer_requests(ollama_server) == 6  # each section: a draft and one retry
    for section in result.sections:
        assert section.author == "chimera" and section.retries == 1
        assert section.rejected is not None and "copied from its prompt" in section.rejected
    assert "the model's draft was rejected:" in result.report_body
    assert "% copied from its prompt" in result.report_body
    assert result.quality.model_share == 0.0
    assert result.figures_check is not None
    assert result.figures_check.traced == result.figures_check.total  # Chimera's text traces


def test_invented_numbers_are_rejected_retried_and_replaced(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    invented = (
        "The measurements show that gemma3:270m reaches 412.77 tok/s with gpu80_ctx2048, "
        "far above every other model, and its TTFT of 12.34 ms is the lowest measured."
    )

    def reply(request: dict[str, Any]) -> str:
        title = section_of(request)
        return invented if title == "Executive Summary" else GOOD[title]

    result = run(ollama_server, reply, tmp_path)
    assert result.ok, result.error
    summary, recommendations, risks = result.sections
    assert summary.author == "chimera" and summary.retries == 1
    assert summary.rejected is not None and "figures not in the data" in summary.rejected
    assert "412.77 tok/s" in summary.rejected
    assert (recommendations.author, risks.author) == ("model", "model")
    assert "412.77" not in summary.text  # the label names it; the text never states it
    assert result.figures_check is not None
    assert result.figures_check.traced == result.figures_check.total
    assert writer_requests(ollama_server) == 4  # the summary twice, the others once


def test_a_recommendation_the_findings_do_not_support_is_rejected(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    """ "num_gpu: 80 (CPU only)" names num_gpu=0 too: no computed recommendation says so."""
    bad = (
        "1. For gemma3:270m, use num_gpu: 80 (CPU only) instead of num_gpu=0 on all of the "
        "models measured here, since the tuning files show it is the faster choice."
    )

    def reply(request: dict[str, Any]) -> str:
        title = section_of(request)
        return bad if title == "Optimisation Recommendations" else GOOD[title]

    result = run(ollama_server, reply, tmp_path)
    recommendations = result.sections[1]
    assert recommendations.author == "chimera"
    assert "which no finding supports" in (recommendations.rejected or "")


def test_an_interpretation_copied_from_the_prompt_is_dropped_however_short(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    """The analyst prompt's own placeholder ("one sentence on why") is too short for word runs,
    yet a copy: it is dropped and listed, never shown as the model's interpretation."""
    placeholder = (
        '{"key_findings": [{"id": "F1", "why": "GPU offload decides the speed of every model."}],'
        ' "recommendations": [{"id": "R1", "why": "one sentence on why"}]}'
    )
    result = run(ollama_server, lambda request: GOOD[section_of(request)], tmp_path, placeholder)
    assert result.ok, result.error
    assert result.analysis is not None
    (rec, *_) = result.analysis.recommendations
    assert rec.interpretation is None
    reason = "says the prompt's instruction back, not an interpretation"
    assert ("one sentence on why", reason) in [(d.text, d.reason) for d in result.analysis.dropped]
    kept = result.analysis.key_findings[0].interpretation
    assert kept == "GPU offload decides the speed of every model."
    report = (result.report_path or Path()).read_text()
    assert f'"one sentence on why": {reason}' in report


def test_a_model_whose_drafts_keep_failing_is_not_asked_again(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    """The default draft policy (3 rejected in a row): the first section's draft and retry,
    the second's draft, then no more calls; the sections left are Chimera's, labelled, and
    the Workflow Summary says so in one line."""
    result = run(ollama_server, lambda request: prompt_text(request)[:1500], tmp_path)
    assert result.ok, result.error
    assert writer_requests(ollama_server) == 3
    summary, recommendations, risks = result.sections
    assert (summary.retries, summary.not_asked) == (1, None)
    assert recommendations.rejected is not None and recommendations.not_asked is not None
    assert recommendations.retries == 0
    assert risks.rejected is None and risks.not_asked is not None
    assert "its last 3 drafts were rejected" in risks.not_asked
    assert {s.author for s in result.sections} == {"chimera"}
    report = (result.report_path or Path()).read_text()
    assert "the model was not asked for this section: its last 3 drafts" in report
    stopped = [line for line in report.splitlines() if line.startswith("- Writer: stopped")]
    assert stopped == [
        "- Writer: stopped asking the model: its last 3 drafts were rejected"
        " (drafts.stop_after_rejected: 3 in the agent config); no (further) draft for"
        " Optimisation Recommendations, Risk/Mitigation Table"
    ]


def test_a_kept_draft_resets_the_count_of_rejected_drafts(
    ollama_server: OllamaStubServer, tmp_path: Path
) -> None:
    """Rejections must come in a row: with the default limit of 3, a good section between
    two failing ones (two rejected drafts each) keeps the model asked for every section."""

    def reply(request: dict[str, Any]) -> str:
        title = section_of(request)
        return GOOD[title] if title == "Optimisation Recommendations" else "Too short."

    result = run(ollama_server, reply, tmp_path)
    assert result.ok, result.error
    assert writer_requests(ollama_server) == 5  # 2 + 1 + 2: nobody stopped asking
    assert [s.author for s in result.sections] == ["chimera", "model", "chimera"]
    assert all(s.not_asked is None for s in result.sections)
