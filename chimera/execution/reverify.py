"""Check a finished run's report again, or an edited copy of it, against that run's data.

People edit reports before they send them. `reverify` reads the run's run.json (the digest,
findings and metrics the run saw: the data as it was, not as it is now), finds the parts of
the text a person or the model writes — the body, Key Findings and Recommendations of a
report.md; all of a text that is not a report — and traces every figure in them like the
verify node does. Persona compliance is checked on the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from chimera.config.personas import PersonaLibrary
from chimera.document import Document
from chimera.errors import ConfigError
from chimera.execution.result import RunResult
from chimera.findings.prepared import PreparedData
from chimera.grounding.compliance import ComplianceResult, check_compliance
from chimera.grounding.figures import FiguresCheck, check_figures
from chimera.grounding.run_facts import run_facts


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
    headings = [(title, line) for level, title, line in Document(text).headings() if level == 2]
    titles = {title for title, _ in headings}
    if not {"Data Highlights", "Workflow Summary"} <= titles:
        return {"text": text}
    parts: dict[str, list[str]] = {}
    for i, (title, line) in enumerate(headings):
        end = headings[i + 1][1].start if i + 1 < len(headings) else len(text)
        if title in CHIMERA_SECTIONS:
            continue
        chunk = text[line.start : end]
        if title in _NAMES:
            # What the analyst wrote and the report left out is listed there, not claimed.
            chunk = chunk[len(line.text) :].split("\nLeft out of the report")[0]
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
