"""Persona compliance: each declared promise passes on a text that keeps it, fails otherwise."""

from __future__ import annotations

import pytest

from chimera.config.personas import LengthTarget, Persona, Requirements
from chimera.grounding.compliance import (
    ComplianceItem,
    ComplianceResult,
    check_compliance,
    count_words,
    table_row_counts,
)

SECTIONS = ["Executive Summary", "Optimisation Recommendations", "Risk/Mitigation Table"]

GOOD = """# InsightAgent Report

### 1. Executive summary
gemma3:270m leads with **118.4 tok/s** mean throughput, more than twice gemma3:1b at
**52.1 tok/s**. TTFT stays near 0.18 s for the small model and 0.43 s for the larger one.

## 2) Optimization recommendations
1. Keep num_gpu=80: it gives the best mean throughput of the tuned configs.
2. Prefer num_ctx=4096 for long prompts; it costs little here.
3. Watch the spread of the 1b model before trusting one run.

**3. Risks and mitigations**

| Risk | Mitigation |
|------|------------|
| Timeouts on long prompts | Cap num_predict |
| Noisy single runs | Repeat each config five times |
"""


def _persona(**changes: object) -> Persona:
    fields: dict[str, object] = {
        "name": "insight_agent",
        "title": "InsightAgent",
        "role": "writer",
        "system_prompt": "You are InsightAgent.",
        "task_template": "Write the report.",
        "sections": SECTIONS,
        "length": LengthTarget(min_words=60, max_words=200),
        "requirements": Requirements(
            numbered_sections=True, min_table_rows=2, bold_metric_callouts=True
        ),
    }
    fields.update(changes)
    return Persona.model_validate(fields)


def _item(result: ComplianceResult, requirement: str) -> ComplianceItem:
    return next(i for i in result.items if i.requirement.startswith(requirement))


def test_compliant_report_passes_every_requirement() -> None:
    result = check_compliance(GOOD, _persona())
    assert [(i.requirement, i.passed) for i in result.items] == [
        ('section "Executive Summary"', True),
        ('section "Optimisation Recommendations"', True),
        ('section "Risk/Mitigation Table"', True),
        ("length 60-200 words", True),
        ("table with at least 2 rows", True),
        ("numbered sections", True),
        ("bolded metric callouts", True),
    ]
    assert result.score == 1.0
    assert _item(result, 'section "Executive').detail == 'found as "### 1. Executive summary"'
    assert _item(result, 'section "Risk').detail == 'found as "**3. Risks and mitigations**"'


def test_missing_section_fails_and_lists_the_headings_seen() -> None:
    text = GOOD.replace("## 2) Optimization recommendations", "## 2) Next steps")
    item = _item(check_compliance(text, _persona()), 'section "Optimisation')
    assert not item.passed
    assert item.detail.startswith('not found; headings: "# InsightAgent Report"')
    assert '"## 2) Next steps"' in item.detail


@pytest.mark.parametrize(
    "heading",
    [
        "## Executive Summary",
        "1. Executive Summary",
        "**Executive summary:**",
        "### 1.2 EXECUTIVE SUMMARY",
        "Executive Summary:",
        "## Executve Summary",
    ],
)
def test_section_headings_match_fuzzily(heading: str) -> None:
    persona = _persona(sections=["Executive Summary"], length=None, requirements=Requirements())
    result = check_compliance(f"{heading}\nText.\n", persona)
    assert result.items[0].passed, heading


def test_section_name_in_body_text_is_not_a_heading() -> None:
    persona = _persona(sections=["Executive Summary"], length=None, requirements=Requirements())
    text = "## Overview\nThis executive summary covers the data in detail for the team.\n"
    assert not check_compliance(text, persona).items[0].passed


def test_word_count_outside_range_fails() -> None:
    short = _item(
        check_compliance(GOOD, _persona(length=LengthTarget(min_words=300, max_words=400))),
        "length",
    )
    assert not short.passed and short.detail.endswith("words (too short)")
    long = _item(
        check_compliance(GOOD, _persona(length=LengthTarget(min_words=1, max_words=20))), "length"
    )
    assert not long.passed and long.detail.endswith("(too long)")


def test_word_count_rules() -> None:
    assert count_words("Throughput 42.76 tok/s for gemma3:270m, num_gpu=80.") == 7
    assert count_words("| a | b |\n|---|---|\n| c | d |\n```\nnot counted\n```") == 4


def test_table_too_small_or_missing_fails() -> None:
    one_row = GOOD.replace("| Noisy single runs | Repeat each config five times |\n", "")
    item = _item(check_compliance(one_row, _persona()), "table")
    assert not item.passed
    assert item.detail == "largest table has 1 data rows (need 2)"
    no_table = GOOD.split("| Risk |")[0]
    item = _item(check_compliance(no_table, _persona()), "table")
    assert not item.passed and item.detail == "no Markdown table found (need 2)"


def test_table_row_counts() -> None:
    text = "| a |\n|---|\n| 1 |\n| 2 |\n\ntext | not a table\n\n|x|y|\n|:-:|--|\n|1|2|\n"
    assert table_row_counts(text) == [2, 1]


def test_unnumbered_sections_fail_the_numbering_requirement() -> None:
    text = GOOD.replace("### 1. Executive summary", "### Executive summary")
    item = _item(check_compliance(text, _persona()), "numbered sections")
    assert not item.passed
    assert item.detail == '2 of 3 found sections numbered; not numbered: "Executive Summary"'


def test_numbering_without_declared_sections_needs_two_numbered_headings() -> None:
    persona = _persona(sections=[], length=None, requirements=Requirements(numbered_sections=True))
    assert check_compliance("## 1. Intro\n## 2. Data\n", persona).items[0].passed
    # A numbered list is not a set of numbered headings.
    result = check_compliance("## Intro\n1. First item\n2. Second item\n", persona)
    assert not result.items[0].passed
    assert result.items[0].detail == "0 of 1 headings numbered (need 2 or more)"


def test_bold_callout_must_contain_a_figure() -> None:
    persona = _persona(
        sections=[], length=None, requirements=Requirements(bold_metric_callouts=True)
    )
    passing = check_compliance("TTFT was **0.18 s** on average.", persona).items[0]
    assert passing.passed and passing.detail == "1 bold spans with a figure, e.g. **0.18 s**"
    assert check_compliance("Throughput reached **42.8**.", persona).items[0].passed
    for text in (
        "- **Throughput:** 42.76 tok/s",  # the figure is outside the bold label
        "**1. Executive Summary**",  # numbering, not a figure
        "Released **2025-11-14** with **3 recommendations**.",
        "No bold at all: 42.76 tok/s.",
    ):
        assert not check_compliance(text, persona).items[0].passed, text


def test_no_declared_requirements_has_no_score() -> None:
    persona = _persona(sections=[], length=None, requirements=Requirements())
    result = check_compliance(GOOD, persona)
    assert result.items == []
    assert result.score is None
    assert result.to_markdown() == "_The persona declares no checkable requirements._"


def test_markdown_and_score() -> None:
    text = GOOD.replace("**118.4 tok/s**", "118.4 tok/s").replace("**52.1 tok/s**", "52.1 tok/s")
    result = check_compliance(text, _persona())
    assert result.score == pytest.approx(6 / 7)
    lines = result.to_markdown().splitlines()
    assert lines[0] == "Met 6 of 7 requirements (85.7 %)."
    assert '- [x] section "Executive Summary": found as "### 1. Executive summary"' in lines
    assert (
        "- [ ] bolded metric callouts: no bold span contains a figure (1 bold spans in all)"
        in lines
    )
    assert result.model_dump()["score"] == pytest.approx(6 / 7)


def test_empty_text_fails_everything_declared() -> None:
    result = check_compliance("", _persona())
    assert result.score == 0.0
