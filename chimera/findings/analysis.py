"""The analyst's part: which computed findings matter most, in order, and what they mean.

The analyst model is shown the findings and the recommendations they support, by id, and
answers in JSON constrained to `analyst_schema` (ids from an enum, so it cannot cite a
finding that does not exist): its choice of key findings and recommendations, in order,
each with a one-sentence interpretation. Chimera then builds the `Analysis`:

- each chosen item keeps Chimera's own sentence for the finding (its figures and sources);
  the model's interpretation is kept beside it only if it passes the checks the caller
  applies (every figure in it traces, it is a sentence, not an echo of the prompt);
  an interpretation that fails is dropped and listed with the reason;
- when the model chose fewer than `MIN_ITEMS`, Chimera adds the next most important ones,
  marked as its own choice; a reply that cannot be read at all leaves the choice to Chimera.

Small models break JSON (cut off at max tokens, prose around it), so the reply is read as a
whole JSON object, else as the complete items of a cut-off one, else by the ids it names.
`parse_mode` records which worked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from chimera.findings.compute import NOT_LISTED
from chimera.findings.finding import Finding, Recommendation, by_variety, topic

ParseMode = Literal["json", "partial_json", "ids", "empty", "sections", "lines", "none"]
Author = Literal["model", "chimera"]

MIN_ITEMS = 5  # Chimera fills the key findings up to this many, a topic each
MAX_ITEMS = 5
MAX_PER_TOPIC = 2  # of the model's picks: three machines' rankings would fill the list
MAX_INTERPRETATION_CHARS = 300
_ITEM = re.compile(r'\{[^{}]*"id"\s*:\s*"(?P<id>[FR]\d+)"[^{}]*\}')
_WHY = re.compile(r'"why"\s*:\s*"(?P<why>(?:[^"\\]|\\.)*)"')


class SelectedFinding(BaseModel):
    """A key finding as the report shows it."""

    finding_id: str = ""
    text: str = Field(description="Chimera's sentence for the finding, with its figures")
    interpretation: str | None = Field(None, description="the model's sentence, if kept")
    author: Author = Field("chimera", description="who chose it: the model or Chimera")
    sources: list[str] = Field(default_factory=list)


class SelectedRecommendation(BaseModel):
    """A recommendation as the report shows it."""

    recommendation_id: str = ""
    text: str
    finding_ids: list[str] = Field(default_factory=list)
    change: dict[str, Any] = Field(default_factory=dict)
    interpretation: str | None = None
    author: Author = "chimera"


class DroppedClaim(BaseModel):
    """Something the model wrote that the report does not show, and why."""

    text: str
    reason: str


class Analysis(BaseModel):
    key_findings: list[SelectedFinding] = Field(default_factory=list)
    recommendations: list[SelectedRecommendation] = Field(default_factory=list)
    dropped: list[DroppedClaim] = Field(default_factory=list)
    parse_mode: ParseMode = "json"
    raw: str = Field("", description="the model's text as returned")

    @field_validator("key_findings", mode="before")
    @classmethod
    def _old_findings(cls, value: Any) -> Any:
        # run.json and checkpoints before schema v2 held plain sentences.
        if isinstance(value, list):
            return [{"text": v, "author": "model"} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("recommendations", mode="before")
    @classmethod
    def _old_recommendations(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v, "author": "model"} if isinstance(v, str) else v for v in value]
        return value

    @property
    def finding_texts(self) -> list[str]:
        return [f.text for f in self.key_findings]

    @property
    def recommendation_texts(self) -> list[str]:
        return [r.text for r in self.recommendations]


def analyst_schema(findings: Sequence[Finding], recs: Sequence[Recommendation]) -> dict[str, Any]:
    """The JSON schema the backend constrains the analyst's answer to."""

    def items(ids: list[str], most: int) -> dict[str, Any]:
        item = {
            "type": "object",
            "properties": {
                "id": {"enum": ids},
                "why": {"type": "string", "maxLength": MAX_INTERPRETATION_CHARS},
            },
            "required": ["id", "why"],
        }
        return {"type": "array", "items": item, "minItems": min(1, len(ids)), "maxItems": most}

    properties: dict[str, Any] = {}
    if findings:
        properties["key_findings"] = items([f.id for f in findings], MAX_ITEMS)
    if recs:
        properties["recommendations"] = items([r.id for r in recs], MAX_ITEMS)
    return {"type": "object", "properties": properties, "required": sorted(properties)}


Choice = tuple[str, str]  # (id, why)


def read_reply(text: str) -> tuple[list[Choice], list[Choice], ParseMode]:
    """The (id, interpretation) choices in the analyst's reply, findings then recommendations."""
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            data = json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            found = [_choices(data.get(key)) for key in ("key_findings", "recommendations")]
            if found[0] or found[1]:
                return found[0], found[1], "json"
    partial = [(m["id"], _why(m.group(0))) for m in _ITEM.finditer(text)]
    if partial:
        return (
            [c for c in partial if c[0].startswith("F")],
            [c for c in partial if c[0].startswith("R")],
            "partial_json",
        )
    ids = list(dict.fromkeys(re.findall(r"\b([FR]\d+)\b", text)))
    if ids:
        return [(i, "") for i in ids if i[0] == "F"], [(i, "") for i in ids if i[0] == "R"], "ids"
    return [], [], "empty"


def _why(item: str) -> str:
    found = _WHY.search(item)
    if not found:
        return ""
    try:
        return str(json.loads(f'"{found["why"]}"'))
    except json.JSONDecodeError:
        return found["why"]


def _choices(value: Any) -> list[Choice]:
    out: list[Choice] = []
    if not isinstance(value, list):
        return out
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.append((item["id"], str(item.get("why") or "")))
        elif isinstance(item, str):
            out.append((item, ""))
    return out


# The caller's check of an interpretation: None when it may be kept, else the reason.
CheckClaim = Callable[[str], str | None]
# The prompt's instruction said back ("two sentences about how the model is different"):
# what a small model writes when it has nothing to say.
_INSTRUCTION = re.compile(
    r"\b(?:one|two|three|four|five|six|a|a few|several|\d+)\s+(?:short\s+)?sentences?\b|"
    r"\bwhy it matters\b|\binterpret(?:ation|s)?\b|\bthe analyst\b|\bthis finding\b",
    re.I,
)  # "five sentences on how it affects other models": a count of sentences is an instruction
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
# Share of an interpretation's words the finding already has: above it, it says nothing new.
SAYS_NOTHING_NEW = 0.7


def _interpretation(
    why: str, subject: str, check: CheckClaim, dropped: list[DroppedClaim]
) -> str | None:
    why = " ".join(why.split())
    if not why:
        return None
    reason = None
    words = {w.lower() for w in _WORD.findall(why)}
    known = {w.lower() for w in _WORD.findall(subject)}
    if len(re.findall(r"[A-Za-z]{2,}", why)) < 4:
        reason = "not a sentence"
    elif why.rstrip(".").lower() in subject.lower():
        reason = "repeats the finding"
    elif _INSTRUCTION.search(why):
        reason = "says the prompt's instruction back, not an interpretation"
    elif words and len(words & known) >= SAYS_NOTHING_NEW * len(words):
        reason = "says nothing the finding does not already say"
    else:
        reason = check(why)
    if reason is not None:
        dropped.append(DroppedClaim(text=why, reason=reason))
        return None
    return why if why.endswith((".", "!", "?")) else why + "."


def build_analysis(
    findings: Sequence[Finding],
    recs: Sequence[Recommendation],
    reply: str,
    check: CheckClaim,
) -> Analysis:
    """The report's key findings and recommendations from the model's choice (see above)."""
    chosen_f, chosen_r, mode = read_reply(reply)
    by_id = {f.id: f for f in findings}
    rec_by_id = {r.id: r for r in recs}
    dropped: list[DroppedClaim] = []
    selected: list[SelectedFinding] = []
    for fid, why in chosen_f:
        finding = by_id.get(fid)
        if finding is None or any(s.finding_id == fid for s in selected):
            continue
        if _a_note_on_the_list(finding):
            dropped.append(
                DroppedClaim(text=fid, reason="a count of findings left out, no key finding")
            )
            continue
        if len(selected) >= MAX_ITEMS:
            break
        if sum(topic(by_id[s.finding_id]) == topic(finding) for s in selected) >= MAX_PER_TOPIC:
            dropped.append(
                DroppedClaim(
                    text=fid, reason=f"a third key finding on {topic(finding)}: other topics first"
                )
            )
            continue
        selected.append(
            SelectedFinding(
                finding_id=fid,
                text=finding.text,
                interpretation=_interpretation(why, finding.text, check, dropped),
                author="model",
                sources=finding.sources,
            )
        )
    # Chimera's own choice fills up: the most important findings that establish something,
    # on topics not yet shown.
    taken = {s.finding_id for s in selected}
    candidates = sorted(findings, key=lambda f: f.verdict == "not comparable")
    varied_order = by_variety(candidates, shown=[f for f in candidates if f.id in taken])
    # a new topic first, but never one that establishes nothing before one that does
    for finding in sorted(varied_order, key=lambda f: f.verdict == "not comparable"):
        if len(selected) >= MIN_ITEMS:
            break
        if finding.id not in taken and not _a_note_on_the_list(finding):
            selected.append(
                SelectedFinding(finding_id=finding.id, text=finding.text, sources=finding.sources)
            )
    chosen_recs: list[SelectedRecommendation] = []
    for rid, why in chosen_r:
        rec = rec_by_id.get(rid)
        if rec is None or any(r.recommendation_id == rid for r in chosen_recs):
            continue
        if len(chosen_recs) >= MAX_ITEMS:
            break
        chosen_recs.append(
            _selected_rec(rec, _interpretation(why, rec.text, check, dropped), "model")
        )
    for rec in recs:
        if len(chosen_recs) >= MIN_ITEMS:
            break
        if not any(r.recommendation_id == rec.id for r in chosen_recs):
            chosen_recs.append(_selected_rec(rec, None, "chimera"))
    _drop_repeated(selected, chosen_recs, dropped)
    return Analysis(
        key_findings=selected,
        recommendations=chosen_recs,
        dropped=dropped,
        parse_mode=mode,
        raw=reply,
    )


def _a_note_on_the_list(finding: Finding) -> bool:
    """The count of findings past the per-kind limit ("2 more findings are not listed"): a
    note on Chimera's list, which the report's appendix keeps, not a key finding of the data
    (dambergn-six-machines: it was the fifth key finding and closed the executive summary)."""
    return finding.kind == "overview" and finding.title == NOT_LISTED


def _drop_repeated(
    findings: list[SelectedFinding],
    recs: list[SelectedRecommendation],
    dropped: list[DroppedClaim],
) -> None:
    """One sentence given as the interpretation of two items says nothing about either."""
    seen: dict[str, int] = {}
    for item in [*findings, *recs]:
        if item.interpretation:
            key = item.interpretation.lower().strip(" .")
            seen[key] = seen.get(key, 0) + 1
    repeated = {key for key, n in seen.items() if n > 1}
    for item in [*findings, *recs]:
        if item.interpretation and item.interpretation.lower().strip(" .") in repeated:
            if not any(d.text == item.interpretation for d in dropped):
                dropped.append(
                    DroppedClaim(
                        text=item.interpretation,
                        reason="the same sentence for several items: says nothing about any",
                    )
                )
            item.interpretation = None


def _selected_rec(
    rec: Recommendation, interpretation: str | None, author: Author
) -> SelectedRecommendation:
    return SelectedRecommendation(
        recommendation_id=rec.id,
        text=rec.text,
        finding_ids=rec.finding_ids,
        change=rec.change,
        interpretation=interpretation,
        author=author,
    )
