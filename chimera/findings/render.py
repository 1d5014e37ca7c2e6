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
from chimera.findings.placement import GPU_SHARE
from chimera.findings.prompt_length import NOT_PREFILL

_RISK_KINDS = (
    "errors", "void_sessions", "instability", "cold_start", "sessions", "degenerate",
    "duplicates",
)  # fmt: skip
_RISK_NAMES = {
    "errors": "Failed or timed-out runs",
    "void_sessions": "Sessions that never reached a server",
    "instability": "Unstable repetitions",
    "cold_start": "Rows that loaded the model",
    "sessions": "Sessions of one setup that disagree",
    "degenerate": "Degenerate answers",
    "duplicates": "Runs kept in two files",
}


# What to do where a risk's finding carries no recommendation of its own: a duplicate file
# is already counted once, so "re-measure" would send the reader to redo good runs.
_MITIGATIONS = {
    "duplicates": "None needed: each run is counted once in every figure.",
    "errors": "Read the failed runs' errors and re-run those setups before comparing them.",
    "void_sessions": "Fix the harness (server address, URL scheme) and run those sessions again.",
    "cold_start": (
        "Set apart already; to time warm calls, send one discarded call first or keep the"
        " model loaded (keep_alive)."
    ),
}


def _shows_risk(finding: Finding) -> bool:
    """Whether a finding shows a risk: a run-health kind, and for the stability finding only
    where some group varies beyond the threshold (its verdict "real"); an "info" stability
    finding says every group is steady ("all 72 groups vary by less than 10 %"), no risk."""
    if finding.kind not in _RISK_KINDS or finding.verdict == "no measurable effect":
        return False
    return finding.kind != "instability" or finding.verdict == "real"


# A finding's sentence is plain text whose names come from the data (a model called
# "a|b`c", a config with a line break): each is escaped where it lands in Markdown.
def _cell(text: str) -> str:
    return md_inline(" ".join(text.split()))


def _headline(finding_id: str | None, findings: Sequence[Finding], text: str) -> str:
    by_id = {f.id: f for f in findings}
    found = by_id.get(finding_id or "")
    if found is None:
        return md_inline(first_sentence(text))
    claim = found.short()
    if claim.endswith(".") and not claim.endswith("..."):
        claim = claim[:-1]  # a whole sentence as its headline: the citation ends it
    return md_inline(claim + _qualifier(found))


# A ranking's or a machine comparison's headline states its gap bare ("qwen2.5:0.5b is 7.8x
# as fast as qwen2.5:14b"); its text says when the runs cannot back it (single runs, pooled
# settings, figures the files report). A summary citing the headline keeps that much.
_UNTESTED = {
    "model_ranking": "not shown beyond the run-to-run spread",
    "machine_comparison": "not every pair shown beyond the run-to-run spread",
    "engine_comparison": "not every pair shown beyond the run-to-run spread",
}


def _spilled(finding: Finding) -> bool:
    """Whether a setup the finding states ran partly on the CPU: its placement figures
    (ollama ps) hold a share below 100 %."""
    return any(x.metric == GPU_SHARE and 0 < x.value < 100 for x in finding.figures)


def _qualifier(finding: Finding) -> str:
    """What a headline must not lose: that its gap is not shown real, that its prompt rates
    come from prompts too short to measure prefill, that a setup in it spilled onto the CPU."""
    said = []
    if finding.verdict != "real" and finding.kind in _UNTESTED:
        said.append(_UNTESTED[finding.kind])
    if any(c.endswith(NOT_PREFILL) for c in finding.caveats):
        said.append("prompts too short to measure prefill")
    if _spilled(finding):  # the gap is the CPU's as much as the setting's or the model's
        said.append("a setup here spilled out of VRAM onto the CPU")
    return f" ({'; '.join(said)})" if said else ""


def summary(analysis: Analysis, findings: Sequence[Finding] = ()) -> str:
    """The key findings' claims in a few words each, cited by id (they are stated in full
    once, under Key Findings)."""
    claims = [
        f"{_headline(f.finding_id, findings, f.text)} ({f.finding_id})."
        for f in analysis.key_findings[:5]
    ]
    # Claims keep their case: most start with a name from the data (gemma3:1b, num_gpu).
    return " ".join(claims) or "No findings were computed."


# Why a recommendations section is not asked of the model: no computed change to restate
# (the embedded model, primed "1. For" under "(none)", advised what no finding supports).
NOTHING_TO_ADVISE = "the data supports no setting change for it to restate"


def recommendations(analysis: Analysis) -> str:
    """The recommendations as a numbered list."""
    if not analysis.recommendations:
        return "The data supports no concrete setting change."
    return "\n".join(
        f"{i}. {md_inline(r.text)}" for i, r in enumerate(analysis.recommendations, start=1)
    )


def findings_list(analysis: Analysis, findings: Sequence[Finding] = ()) -> str:
    return (
        "\n".join(
            f"- {_headline(f.finding_id, findings, f.text)} ({f.finding_id})"
            for f in analysis.key_findings
        )
        or "No findings were computed."
    )


def risks(findings: Sequence[Finding]) -> str:
    """A risk / evidence / mitigation table: the risks the findings show, then standing ones."""
    rows = ["| Risk | Evidence | Mitigation |", "|---|---|---|"]
    for f in findings:
        if _shows_risk(f):
            mitigation = (
                f.recommendation.text
                if f.recommendation
                else _MITIGATIONS.get(f.kind, "Re-measure before acting.")
            )
            # The finding's own claim: the table is read on its own, and F9 may be in no
            # other section of the report.
            evidence = f"{f.id}: {_cell(f.short())}"
            rows.append(f"| {_RISK_NAMES[f.kind]} | {evidence} | {_cell(mitigation)} |")
    # A setup that spilled out of VRAM: its placement figures (ollama ps) hold a share below
    # 100 % (leoriccrown: four models fell 4-11x past a num_ctx, in no risk row).
    spilled = [f for f in findings if _spilled(f)]
    if spilled:
        rows.append(_found_risk(
            "The model no longer fits in VRAM", spilled, ("Finding {} shows", "Findings {} show"),
            "a setup that spilled onto the CPU (ollama ps)",
            "Keep num_ctx and num_gpu where ollama ps shows the model wholly on the GPU; past"
            " that the rate is the CPU's.",
        ))  # fmt: skip
    # A risk row only where the data shows the risk: comparisons the runs could not decide.
    undecided = [f for f in findings if f.caveats and "too few runs for a verdict" in f.caveats]
    if undecided:
        rows.append(_found_risk(
            "Too few runs to decide", undecided, ("Comparison {} has", "Comparisons {} have"),
            "no verdict",
            "Repeat those setups on the same prompts, 3 times or more, before acting on them.",
        ))  # fmt: skip
    # Rankings and machine comparisons whose gaps the runs do not back (single runs, pooled
    # settings, figures the files report): dambergn-six-machines' every comparison was one
    # run a side, and the table said "None the data shows".
    untested = [f for f in findings if f.kind in _UNTESTED and f.verdict != "real"]
    if untested:
        rows.append(_found_risk(
            "Gaps the runs do not back", untested, ("Comparison {} is", "Comparisons {} are"),
            "not shown beyond the run-to-run spread",
            "Measure those setups like for like, 3 runs or more each, before acting on the gap.",
        ))  # fmt: skip
    if len(rows) == 2:
        rows.append(
            "| None the data shows | No failed, cold, duplicated, undecided or untested runs. | - |"
        )
    return "\n".join(rows)


def _found_risk(
    risk: str, found: Sequence[Finding], said: tuple[str, str], shows: str, mitigation: str
) -> str:
    """A risk row whose evidence is the findings that show it: "Finding F3 shows ..." or
    "Findings F3, F5 show ..." (`said`: the one and the many, "{}" for the ids)."""
    one, many = said
    evidence = (one if len(found) == 1 else many).format(_named(found))
    return f"| {risk} | {evidence} {shows} | {mitigation} |"


def _named(findings: Sequence[Finding]) -> str:
    """The findings' ids, the first four named. Named, not counted: a count of Chimera's own
    findings is no figure of the data, and the figures check would rightly find it in no
    file ("and 6 more" is a list's tail)."""
    ids = ", ".join(f.id for f in findings[:4])
    return ids + (f" and {len(findings) - 4} more" if len(findings) > 4 else "")


def section_text(kind: str, analysis: Analysis, findings: Sequence[Finding]) -> str:
    """Chimera's text for a section whose `fallback` is `kind`."""
    if kind == "summary":
        return summary(analysis, findings)
    if kind == "recommendations":
        return recommendations(analysis)
    if kind == "risks":
        return risks(findings)
    return findings_list(analysis, findings)
