"""The analyst's structured output, and a parser that gets something usable from a weak model.

The analyst is asked for JSON matching `Analysis.json_schema()`. Small models break JSON
(cut off at max tokens, prose around it, Markdown instead), so `parse_analysis` tries, in
order: the whole JSON object; complete strings inside a cut-off JSON; Markdown sections
("Findings"/"Recommendations") with bullets; bullets or sentences of the whole text.
`parse_mode` records which step succeeded, so a report never hides how its findings were read.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, Field

ParseMode = Literal["json", "partial_json", "sections", "lines", "empty"]

_MAX_ITEMS = 8
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$")
_JSON_STRING = r'"((?:[^"\\]|\\.)*)"'


class Analysis(BaseModel):
    key_findings: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    parse_mode: ParseMode = "json"
    raw: str = Field("", description="the model's text as returned")

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The schema the backend constrains the analyst's output to (where it can)."""
        items = {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 5}
        return {
            "type": "object",
            "properties": {"key_findings": items, "recommendations": items},
            "required": ["key_findings", "recommendations"],
        }


def _clean(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        text = re.sub(r"\s+", " ", str(item)).strip(" -*•\t")
        # Placeholders copied from a prompt ("...", "-") carry no words: not a finding.
        if len(re.findall(r"[A-Za-z0-9]", text)) >= 3 and text not in out:
            out.append(text)
    return out[:_MAX_ITEMS]


def _from_json(text: str) -> Analysis | None:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    findings = data.get("key_findings") or data.get("findings") or []
    recs = data.get("recommendations") or []
    if not isinstance(findings, list) or not isinstance(recs, list):
        return None
    result = Analysis(key_findings=_clean(findings), recommendations=_clean(recs), raw=text)
    return result if result.key_findings or result.recommendations else None


def _array_strings(text: str, key: str) -> list[str]:
    """Complete strings of the array under `key`, even if the JSON is cut off after them."""
    match = re.search(rf'"{key}"\s*:\s*\[', text)
    if not match:
        return []
    rest = text[match.end() :]
    close = rest.find("]")
    body = rest if close < 0 else rest[:close]
    strings = []
    for raw in re.findall(_JSON_STRING, body):
        try:
            strings.append(json.loads(f'"{raw}"'))
        except json.JSONDecodeError:
            strings.append(raw)
    return strings


def _from_partial_json(text: str) -> Analysis | None:
    findings = _clean(_array_strings(text, "key_findings") or _array_strings(text, "findings"))
    recs = _clean(_array_strings(text, "recommendations"))
    if not findings and not recs:
        return None
    return Analysis(
        key_findings=findings, recommendations=recs, parse_mode="partial_json", raw=text
    )


def _bullets(lines: list[str]) -> list[str]:
    return [m.group(1) for line in lines if (m := _BULLET.match(line))]


def _from_sections(text: str) -> Analysis | None:
    findings: list[str] = []
    recs: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        heading = line.strip().strip("#*: ").lower()
        is_heading = (
            line.lstrip().startswith("#")
            or line.strip().endswith(":")
            or (line.strip().startswith("**") and line.strip().endswith("**"))
        )
        if is_heading and "finding" in heading:
            current = findings
        elif is_heading and "recommend" in heading:
            current = recs
        elif current is not None and (m := _BULLET.match(line)):
            current.append(m.group(1))
    if not findings and not recs:
        return None
    return Analysis(
        key_findings=_clean(findings), recommendations=_clean(recs), parse_mode="sections", raw=text
    )


def _from_lines(text: str) -> Analysis:
    items = _bullets(text.splitlines())
    if not items:
        # No structure at all: whole sentences are the best we can honestly offer.
        items = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if len(s.split()) >= 4]
    items = _clean(items)
    if not items:
        return Analysis(parse_mode="empty", raw=text)
    recs = [
        i
        for i in items
        if re.match(
            r"(?i)(use|set|raise|lower|increase|reduce|keep|try|consider|run|avoid|enable|switch)\b",
            i,
        )
    ]
    findings = [i for i in items if i not in recs]
    return Analysis(key_findings=findings, recommendations=recs, parse_mode="lines", raw=text)


def parse_analysis(text: str) -> Analysis:
    """Best structured reading of the analyst's text; see the module docstring for the order."""
    for attempt in (_from_json, _from_partial_json, _from_sections):
        result = attempt(text)
        if result is not None:
            return result
    return _from_lines(text)
