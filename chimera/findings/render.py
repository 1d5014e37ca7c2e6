"""Chimera's own text for a report section, written from the computed findings (no LLM).

Used where the model's draft of a section was rejected, and labelled so in the report: the
reader always knows which text the model wrote. Every sentence here is a finding's or a
recommendation's own, so every figure in it traces.
"""

from __future__ import annotations

from collections.abc import Sequence

from chimera.escape import md_inline
from chimera.findings.analysis import Analysis
from chimera.findings.finding import Finding
from chimera.findings.highlights import first_sentence

_RISK_KINDS = ("errors", "instability", "cold_start", "trend")
_RISK_NAMES = {
    "errors": "Failed or timed-out runs",
    "instability": "Unstable repetitions",
    "cold_start": "Cold starts in the measurements",
    "trend": "Drift between sessions",
}
_GENERIC_RISKS = (
    (
        "Prompts longer than num_ctx",
        "Ollama cuts them silently; only prompt_eval_count shows it.",
        "Check prompt_eval_count against num_ctx before trusting a smaller num_ctx.",
    ),
    (
        "Too few repetitions",
        "One run per setting gives no spread, so no difference can be called real.",
        "Repeat every setting at least three times and compare against the spread.",
    ),
)


# A finding's sentence is plain text whose names come from the data (a model called
# "a|b`c", a config with a line break): each is escaped where it lands in Markdown.
def _cell(text: str) -> str:
    return md_inline(" ".join(text.split()))


def summary(analysis: Analysis) -> str:
    """The key findings' claims as a paragraph (their details follow in Key Findings)."""
    claims = [md_inline(first_sentence(f.text)) for f in analysis.key_findings[:4]]
    return " ".join(claims) or "No findings were computed."


def recommendations(analysis: Analysis) -> str:
    """The recommendations as a numbered list."""
    if not analysis.recommendations:
        return "The data supports no concrete setting change."
    return "\n".join(
        f"{i}. {md_inline(r.text)}" for i, r in enumerate(analysis.recommendations, start=1)
    )


def findings_list(analysis: Analysis) -> str:
    lines = [f"- {md_inline(f.text)}" for f in analysis.key_findings]
    return "\n".join(lines) or "No findings were computed."


def risks(findings: Sequence[Finding]) -> str:
    """A risk / evidence / mitigation table: the risks the findings show, then standing ones."""
    rows = ["| Risk | Evidence | Mitigation |", "|---|---|---|"]
    for f in findings:
        if f.kind in _RISK_KINDS and f.verdict != "no measurable effect":
            mitigation = f.recommendation.text if f.recommendation else "Re-measure before acting."
            # The finding's own claim: the table is read on its own, and F9 may be in no
            # other section of the report.
            evidence = f"{f.id}: {_cell(first_sentence(f.text))}"
            rows.append(f"| {_RISK_NAMES[f.kind]} | {evidence} | {_cell(mitigation)} |")
    for name, evidence, mitigation in _GENERIC_RISKS:
        if len(rows) >= 6:
            break
        rows.append(f"| {name} | {evidence} | {mitigation} |")
    return "\n".join(rows)


def section_text(kind: str, analysis: Analysis, findings: Sequence[Finding]) -> str:
    """Chimera's text for a section whose `fallback` is `kind`."""
    if kind == "summary":
        return summary(analysis)
    if kind == "recommendations":
        return recommendations(analysis)
    if kind == "risks":
        return risks(findings)
    return findings_list(analysis)
