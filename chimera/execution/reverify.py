"""Check a finished run's report again, or an edited copy of it, against that run's data.

People edit reports before they send them. `reverify` reads the run's run.json (the digest,
findings and metrics the run saw: the data as it was, not as it is now), finds the parts of
the text a person or the model writes — the body, Key Findings and Recommendations of a
report.md; all of a text that is not a report — and traces every figure in them like the
verify node does. Persona compliance is checked on the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from chimera.config.personas import PersonaLibrary
from chimera.errors import ConfigError
from chimera.execution.result import load_run
from chimera.findings.prepared import PreparedData
from chimera.grounding.compliance import ComplianceResult, check_compliance
from chimera.grounding.figures import FiguresCheck, check_figures
from chimera.grounding.run_facts import run_facts

_HEADING = re.compile(r"^## (?P<title>.+?)\s*$", re.M)
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Reverified:
    figures: FiguresCheck
    compliance: ComplianceResult | None


# The sections of a report.md that Chimera writes from the data (or that quote the prompt):
# not claims to check. Everything else, sections a reader added included, is checked.
CHIMERA_SECTIONS = frozenset({
    "Data Highlights", "Workflow Summary", "Metrics", "Quality", "Figures Check",
    "Persona Compliance", "Persona Prompt",
})  # fmt: skip
_NAMES = {"Key Findings": "findings", "Recommendations": "recommendations"}


def report_parts(text: str) -> dict[str, str]:
    """The texts to check: every part of a report.md but Chimera's own sections (the body
    as "report"); a text that is not a report is checked whole ("text")."""
    # Headings inside code fences (the prompts quoted in Persona Prompt) are not sections.
    unfenced = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    headings = list(_HEADING.finditer(unfenced))
    titles = {m.group("title").strip() for m in headings}
    if not {"Data Highlights", "Workflow Summary"} <= titles:
        return {"text": text}
    parts: dict[str, list[str]] = {}
    for i, match in enumerate(headings):
        title = match.group("title").strip()
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        if title in CHIMERA_SECTIONS:
            continue
        chunk = text[match.start() : end]
        if title in _NAMES:
            # What the analyst wrote and the report left out is listed there, not claimed.
            chunk = chunk[match.end() - match.start() :].split("\nLeft out of the report")[0]
        parts.setdefault(_NAMES.get(title, "report"), []).append(chunk.strip().strip("-").strip())
    return {name: "\n\n".join(chunks) for name, chunks in parts.items()}


def reverify(run_dir: Path, text_file: Path | None = None) -> Reverified:
    """Trace every figure of the run's report (or of `text_file`) against the run's data."""
    result = load_run(run_dir)
    if result.digest is None:
        raise ConfigError(f"{run_dir}/run.json holds no digest: the run stopped before ingest")
    source = text_file or run_dir / "report.md"
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source} is not UTF-8 text", hint="re-save it as UTF-8") from None
    prepared = PreparedData.of(result.digest, result.highlights or None, result.findings or None)
    known = prepared.figures.extended(
        run_facts(result.metrics, result.inventory, result.config.options)
    )
    parts = report_parts(text)
    compliance = None
    body = parts.get("report") if "report" in parts else parts.get("text")
    if text_file is None and result.sections:
        # The run's own report: the model's promises are judged on what the model wrote.
        body = "\n\n".join(
            f"## {i}. {s.title}\n{s.text}"
            for i, s in enumerate(result.sections, start=1)
            if s.author == "model"
        )
    try:
        personas = PersonaLibrary.discover(result.config.personas_dirs)
        writer = personas.get(result.config.personas.writer, role="writer")
        compliance = check_compliance(body or "", writer)
    except ConfigError:
        compliance = None  # the persona is gone; the figures can still be checked
    return Reverified(figures=check_figures(parts, known), compliance=compliance)
