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

from pydantic import ValidationError

from chimera.config.personas import PersonaLibrary
from chimera.errors import ConfigError
from chimera.execution.result import RunResult
from chimera.findings.prepared import PreparedData
from chimera.grounding.compliance import ComplianceResult, check_compliance
from chimera.grounding.figures import FiguresCheck, check_figures
from chimera.grounding.run_facts import run_facts

_HEADING = re.compile(r"^## (?P<title>.+?)\s*$", re.M)


@dataclass(frozen=True)
class Reverified:
    figures: FiguresCheck
    compliance: ComplianceResult | None


def load_run(run_dir: Path) -> RunResult:
    """The run in `run_dir`, from its run.json; a clear error when there is none."""
    path = run_dir / "run.json"
    if not path.is_file():
        raise ConfigError(
            f"{run_dir} is not a run folder (no run.json)",
            hint="pass a folder `chimera run` created",
        )
    try:
        return RunResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0][:200]
        raise ConfigError(f"{path} cannot be read as a run: {first}") from None


def report_parts(text: str) -> dict[str, str]:
    """The texts to check: a report's body, findings and recommendations, else all of it."""
    if "## Data Highlights" not in text or "## Workflow Summary" not in text:
        return {"text": text}
    sections = {m.group("title").strip(): m for m in _HEADING.finditer(text)}
    parts: dict[str, str] = {}
    start = text.index("## Data Highlights")
    after_highlights = text.find("\n---", start)
    end = text.index("## Workflow Summary")
    body = text[after_highlights + 4 : end] if 0 <= after_highlights < end else ""
    parts["report"] = body.strip().removesuffix("---").strip()
    for name, key in (("Key Findings", "findings"), ("Recommendations", "recommendations")):
        match = sections.get(name)
        if match is None:
            continue
        following = [m.start() for m in _HEADING.finditer(text) if m.start() > match.start()]
        part = text[match.end() : following[0] if following else len(text)]
        # What the analyst wrote and the report left out is listed there, not claimed.
        parts[key] = part.split("\nLeft out of the report")[0].strip()
    return parts


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
