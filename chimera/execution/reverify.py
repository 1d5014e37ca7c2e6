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

from chimera.agents.writer import CHIMERA_LABEL
from chimera.config.personas import PersonaLibrary
from chimera.document import Document
from chimera.errors import ConfigError
from chimera.execution.report import render_report
from chimera.execution.result import RUN_SCHEMA_VERSION, RunResult, load_run
from chimera.findings.duration import same_times, time_shape
from chimera.findings.prepared import PreparedData
from chimera.grounding.compliance import ComplianceResult, check_compliance
from chimera.grounding.figures import FiguresCheck, check_figures


@dataclass(frozen=True)
class Reverified:
    figures: FiguresCheck
    compliance: ComplianceResult | None
    # every section of the report is Chimera's: the persona has no text of the model's to be
    # judged on ("Met 0 of 7 requirements" read as a text that failed them)
    nothing_to_judge: bool = False


# The sections of a report.md that Chimera writes from the data and the run (or that quote
# the prompt): their lines are Chimera's record, and a line of them that an editor changed
# or added is checked like any other claim (`changed_lines`).
CHIMERA_SECTIONS = frozenset({
    "What the Data Holds", "Workflow Summary", "Metrics", "Quality", "Appendix",
    # the layout before the appendix (report.md of older runs)
    "Data Highlights", "Figures Check", "Persona Compliance", "Persona Prompt",
})  # fmt: skip
# A heading today's layout always writes: a report without it is an older layout, whose own
# sections cannot be compared line by line with today's rendering (they are not checked).
_TODAYS_LAYOUT = "Appendix"
# The sections every report.md of this layout has (a text without them is not a report).
_REPORT_MARKS = frozenset({"Key Findings", "Workflow Summary"})
_NAMES = {"Key Findings": "findings", "Recommendations": "recommendations"}
# How a section Chimera wrote in place of a rejected draft starts: no promise of the model's.
_CHIMERA_LABEL = CHIMERA_LABEL


def _sections(text: str) -> list[tuple[str, int, int, int]]:
    """(title, heading start, text start, end) of each level-2 section outside code."""
    headings = [(title, line) for level, title, line in Document(text).headings() if level == 2]
    return [
        (
            title,
            line.start,
            line.end,
            headings[i + 1][1].start if i + 1 < len(headings) else len(text),
        )
        for i, (title, line) in enumerate(headings)
    ]


def changed_lines(written: str, rendered: str) -> str:
    """The lines of `written` (a section of Chimera's, as the file has it) that are not in
    `rendered` (the same section as Chimera renders it from run.json); a table row keeps its
    table's header, so its cells are read under their columns. A line that differs from its
    rendering only in how a time is written is not changed: runs from before Chimera wrote
    times of ten seconds and more in seconds say "13294.03 ms" where it now says "13.29 s"
    (`chimera.findings.duration.same_times`)."""
    own = set(rendered.splitlines())
    by_shape: dict[str, list[str]] = {}
    for text in own:
        if (shape := time_shape(text)) is not None:
            by_shape.setdefault(shape, []).append(text)
    out: list[str] = []
    header: list[str] = []
    for line in Document(written).lines:
        if line.kind == "table_header":
            header = [line.text]
        elif line.kind == "table_separator":
            header.append(line.text)
        if line.text in own or not line.text.strip() or line.kind == "code":
            continue
        shape = time_shape(line.text)
        if shape is not None and any(same_times(line.text, r) for r in by_shape.get(shape, ())):
            continue
        if line.kind == "table_row" and header and header[0] not in out:
            out += header
        out.append(line.text)
    return "\n".join(out)


def report_parts(text: str, rendered: str | None = None) -> dict[str, str]:
    """The texts to check: every part of a report.md (the body as "report"); of Chimera's
    own sections the lines that differ from `rendered` (the report as Chimera renders it
    from run.json; without it, none of them); a text that is not a report is checked whole
    ("text")."""
    sections = _sections(text)
    titles = {title for title, *_ in sections}
    if not titles >= _REPORT_MARKS:
        return {"text": text}
    if _TODAYS_LAYOUT not in titles:
        rendered = None
    theirs = {t: rendered[a:b] for t, _, a, b in _sections(rendered)} if rendered else {}
    parts: dict[str, list[str]] = {}
    for title, start, body_start, end in sections:
        if title in CHIMERA_SECTIONS:
            chunk = ""
            if rendered is not None:
                chunk = changed_lines(text[body_start:end], theirs.get(title, ""))
            if chunk.strip():
                parts.setdefault(title.lower(), []).append(chunk)
            continue
        chunk = text[start:end]
        if title in _NAMES:
            # What the analyst wrote and the report left out is listed there, not claimed.
            chunk = text[body_start:end].split("\nLeft out of the report")[0]
        parts.setdefault(_NAMES.get(title, "report"), []).append(chunk.strip().strip("-").strip())
    return {name: "\n\n".join(chunks) for name, chunks in parts.items()}


def model_body(text: str) -> str:
    """The body sections of a report.md the model wrote (those not labelled as Chimera's),
    under their headings: what persona compliance is judged on; a text that is not a report
    is judged whole."""
    sections = _sections(text)
    if not {title for title, *_ in sections} >= _REPORT_MARKS:
        return text
    kept = [
        text[start:end].strip().strip("-").strip()
        for title, start, body_start, end in sections
        if title not in CHIMERA_SECTIONS
        and title not in _NAMES
        and not text[body_start:end].lstrip().startswith(_CHIMERA_LABEL)
    ]
    return "\n\n".join(kept)


def _rendered(result: RunResult) -> str | None:
    """The report as Chimera renders it from run.json (None when it cannot be rendered, or
    when an older schema's run.json cannot say what its report showed)."""
    if (result.written_schema or result.schema_version) < RUN_SCHEMA_VERSION:
        return None
    try:
        return render_report(result)
    except (AttributeError, KeyError, TypeError, ValueError):
        # an old or partial run.json: only the parts a person or the model writes are checked
        return None


def reverify(run_dir: Path, text_file: Path | None = None) -> Reverified:
    """Trace every figure of the run's report (or of `text_file`) against the run's data.

    `chimera verify RUN` and `chimera verify RUN --text RUN/report.md` read the same file
    the same way: the same figures, and compliance judged on the sections the model wrote."""
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
    known = prepared.known_for_run(result.metrics, result.inventory, result.config.options)
    parts = report_parts(text, _rendered(result))
    body = model_body(text)
    compliance = None
    if body.strip():
        try:
            personas = PersonaLibrary.discover(result.config.personas_dirs)
            writer = personas.get(result.config.personas.writer, role="writer")
            compliance = check_compliance(body, writer)
        except ConfigError:
            pass  # the persona is gone; the figures can still be checked
    return Reverified(
        figures=check_figures(parts, known),
        compliance=compliance,
        nothing_to_judge=not body.strip(),
    )
