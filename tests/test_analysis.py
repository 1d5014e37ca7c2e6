"""The analyst's part: its choice of computed findings, read from JSON (or what is left of
it), with each interpretation kept only if it passes the checks."""

from __future__ import annotations

from chimera.findings.analysis import Analysis, analyst_schema, build_analysis, read_reply
from chimera.findings.finding import Finding, Recommendation


def _findings(n: int = 5) -> list[Finding]:
    out = []
    for i in range(1, n + 1):
        rec = Recommendation(id=f"R{i}", text=f"Do thing {i}.", change={"num_gpu": 80})
        out.append(
            Finding(
                id=f"F{i}",
                kind="setting_effect",
                title=f"finding {i}",
                text=f"Finding number {i} holds.",
                verdict="real",
                recommendation=rec.model_copy(update={"finding_ids": [f"F{i}"]}),
            )
        )
    return out


def _recs(findings: list[Finding]) -> list[Recommendation]:
    return [f.recommendation for f in findings if f.recommendation]


def never(_: str) -> str | None:
    return None


def test_schema_offers_only_the_ids_that_exist() -> None:
    findings = _findings(3)
    schema = analyst_schema(findings, _recs(findings))
    ids = schema["properties"]["key_findings"]["items"]["properties"]["id"]["enum"]
    assert ids == ["F1", "F2", "F3"]
    assert schema["required"] == ["key_findings", "recommendations"]


def test_clean_json_is_read_in_the_models_order() -> None:
    reply = (
        '{"key_findings": [{"id": "F3", "why": "a"}, {"id": "F1", "why": "b"}],'
        ' "recommendations": []}'
    )
    found, recs, mode = read_reply(reply)
    assert (found, recs, mode) == ([("F3", "a"), ("F1", "b")], [], "json")


def test_cut_off_json_keeps_its_complete_items() -> None:
    reply = '{"key_findings": [{"id": "F2", "why": "fine"}, {"id": "F4", "wh'
    found, _, mode = read_reply(reply)
    assert (found, mode) == ([("F2", "fine")], "partial_json")


def test_prose_naming_ids_is_read_by_its_ids_and_nothing_is_empty() -> None:
    assert read_reply("I would pick F2 and then R1.")[:2] == ([("F2", "")], [("R1", "")])
    assert read_reply("The 4b model is slow.") == ([], [], "empty")


def test_the_models_choice_comes_first_and_chimera_fills_up_to_five() -> None:
    findings = _findings()
    reply = '{"key_findings": [{"id": "F4", "why": "This one changes what to set first."}]}'
    analysis = build_analysis(findings, _recs(findings), reply, never)
    assert [f.finding_id for f in analysis.key_findings] == ["F4", "F1", "F2", "F3", "F5"]
    assert [f.author for f in analysis.key_findings] == ["model"] + ["chimera"] * 4
    assert analysis.key_findings[0].interpretation == "This one changes what to set first."
    assert analysis.key_findings[0].text == "Finding number 4 holds."  # Chimera's sentence
    assert [r.recommendation_id for r in analysis.recommendations] == ["R1", "R2", "R3", "R4", "R5"]


def test_an_id_that_does_not_exist_is_not_shown() -> None:
    findings = _findings(3)
    reply = '{"key_findings": [{"id": "F9", "why": "x"}, {"id": "F2", "why": "Real one here."}]}'
    analysis = build_analysis(findings, _recs(findings), reply, never)
    assert [f.finding_id for f in analysis.key_findings] == ["F2", "F1", "F3"]


def test_an_interpretation_that_fails_the_check_is_dropped_and_listed() -> None:
    findings = _findings(3)
    reply = (
        '{"key_findings": [{"id": "F1", "why": "It reaches 999.9 tok/s on every model."},'
        ' {"id": "F2", "why": "config ="}]}'
    )

    def check(claim: str) -> str | None:
        return "figures not in the data: 999.9 tok/s" if "999.9" in claim else None

    analysis = build_analysis(findings, _recs(findings), reply, check)
    assert [f.interpretation for f in analysis.key_findings[:2]] == [None, None]
    assert [(d.text, d.reason) for d in analysis.dropped] == [
        ("It reaches 999.9 tok/s on every model.", "figures not in the data: 999.9 tok/s"),
        ("config =", "not a sentence"),
    ]


def test_run_json_from_before_v2_still_reads() -> None:
    old = {"key_findings": ["Throughput is steady."], "recommendations": ["Keep warm."]}
    analysis = Analysis.model_validate(old)
    assert analysis.key_findings[0].text == "Throughput is steady."
    assert analysis.recommendations[0].text == "Keep warm."


def test_chimeras_fill_takes_a_new_topic_but_never_one_that_establishes_nothing_first() -> None:
    from chimera.findings.analysis import build_analysis
    from chimera.findings.finding import Finding

    def finding(fid: str, title: str, verdict: str, kind: str = "setting_effect") -> Finding:
        return Finding(id=fid, kind=kind, title=title, text=f"{title}.", verdict=verdict)

    findings = [
        finding("F1", "num_gpu on a:1b", "real"),
        finding("F2", "num_gpu on b:4b", "real"),
        finding("F3", "num_ctx on a:1b", "real"),
        finding("F4", "num_batch on a:1b", "not comparable"),
        finding("F5", "configs with two sets of settings", "not comparable", "overview"),
        finding("F6", "num_gpu on c:270m", "real"),
    ]
    analysis = build_analysis(findings, [], "", lambda claim: None)
    # New topics first, then the rest; a finding that establishes nothing comes last.
    assert [f.finding_id for f in analysis.key_findings] == ["F1", "F3", "F2", "F6", "F4"]


def test_a_count_of_sentences_is_the_instruction_said_back() -> None:
    """The quick start's analyst wrote "five sentences on how it affects other models" beside
    a finding: any count of sentences is the prompt's instruction, never an interpretation."""
    findings = _findings(3)
    reply = (
        '{"key_findings": [{"id": "F1", "why": "five sentences on how it affects other models"},'
        ' {"id": "F2", "why": "Offloading every layer doubles the rate on all three models."}]}'
    )
    analysis = build_analysis(findings, _recs(findings), reply, never)
    assert analysis.key_findings[0].interpretation is None
    assert analysis.key_findings[1].interpretation is not None
    assert [d.reason for d in analysis.dropped] == [
        "says the prompt's instruction back, not an interpretation"
    ]
