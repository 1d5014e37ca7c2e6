"""The analyst parser: JSON first, then ever looser readings, each labelled."""

from __future__ import annotations

from chimera.findings.analysis import Analysis, parse_analysis


def test_clean_json_is_read_as_json() -> None:
    text = '{"key_findings": ["A is fast"], "recommendations": ["Use B"]}'
    result = parse_analysis(text)
    assert result.parse_mode == "json"
    assert result.key_findings == ["A is fast"]
    assert result.recommendations == ["Use B"]


def test_json_inside_prose_and_code_fences_is_found() -> None:
    text = 'Sure! ```json\n{"key_findings": ["x is 42.8 tok/s"], "recommendations": []}\n```'
    assert parse_analysis(text).key_findings == ["x is 42.8 tok/s"]


def test_json_cut_off_at_max_tokens_keeps_the_complete_strings() -> None:
    text = (
        '{"key_findings": ["TTFT is 700 ms", "Load dominates"], '
        '"recommendations": ["Raise num_gpu", "Keep the mod'
    )
    result = parse_analysis(text)
    assert result.parse_mode == "partial_json"
    assert result.key_findings == ["TTFT is 700 ms", "Load dominates"]
    assert result.recommendations == ["Raise num_gpu"]


def test_markdown_sections_are_read_when_there_is_no_json() -> None:
    text = (
        "## Key Findings\n- gemma3:1b reaches 42 tok/s\n- TTFT is high\n\n"
        "## Recommendations\n1. Set num_ctx to 2048\n2. Keep models warm\n"
    )
    result = parse_analysis(text)
    assert result.parse_mode == "sections"
    assert result.key_findings == ["gemma3:1b reaches 42 tok/s", "TTFT is high"]
    assert result.recommendations == ["Set num_ctx to 2048", "Keep models warm"]


def test_plain_prose_falls_back_to_sentences_split_by_imperative() -> None:
    text = "The 4b model is much slower than the others. Consider raising num_gpu for it now."
    result = parse_analysis(text)
    assert result.parse_mode == "lines"
    assert result.key_findings == ["The 4b model is much slower than the others."]
    assert result.recommendations == ["Consider raising num_gpu for it now."]


def test_nothing_usable_is_reported_as_empty_not_invented() -> None:
    result = parse_analysis("ok")
    assert result.parse_mode == "empty"
    assert result.key_findings == [] and result.recommendations == []


def test_schema_requires_both_lists() -> None:
    schema = Analysis.json_schema()
    assert schema["required"] == ["key_findings", "recommendations"]
