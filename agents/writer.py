"""Writer node: the persona (InsightAgent by default) writes the report, section by section.

Each section is drafted by the model — in chat turns, or, for a model without a chat
template, as the continuation of a document (`chimera.prompts`) — and reviewed
(`chimera.grounding.review`): echoed prompt, self-repetition or a figure not in the data
rejects it. A rejected draft is retried once with another seed, then replaced by Chimera's
own text for the section (its `fallback`), written from the computed findings and labelled in
the report, or left out (`on_reject: omit`). After `drafts.stop_after_rejected` rejected
drafts in a row the model is not asked again in the run. The sections' prompts share all but
their ends (heading, instruction), so a caching backend reads the shared part once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langgraph.runtime import Runtime

from chimera.agents._persona_call import (
    base_values,
    call_persona,
    prepared_data,
    prompt_record,
    run_known,
)
from chimera.config.personas import Persona, SectionSpec, render_template
from chimera.context import RunContext
from chimera.document import HEADING, Document
from chimera.escape import md_names
from chimera.findings.analysis import Analysis
from chimera.findings.finding import Finding
from chimera.findings.render import NOTHING_TO_ADVISE, section_text
from chimera.grounding.echo import run_set
from chimera.grounding.review import Section, review_draft
from chimera.state import ChimeraState

ATTEMPTS = 2  # a draft, and one retry (unless the run's draft policy stops asking)
# A document-continuing model is stopped where it would start the next section.
_STOPS = ["\n#", "\n---", "\n\n\n"]
_SENTENCE_END = re.compile(r"[.!?)](?:\*\*)?(?=\s|$)")
_NUMBERING = re.compile(
    r"^[\s#*_]*(?:(?i:section|part)\s+)?(?:\d+(?:\.\d+)*[.):]?|[IVX]{1,4}[.):])?\s*"
)
# A line that is only a bold title works as a heading: "**Executive Summary**", "1. **Risks**"
_BOLD_LINE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:\*\*|__)([^*_]+?)(?:\*\*|__)\s*:?\s*$")

# How a section Chimera wrote in place of the model's draft starts (verify knows it by this).
CHIMERA_LABEL = "_Written by Chimera from the computed findings; "


def _findings_lines(analysis: Analysis) -> str:
    lines = []
    for f in analysis.key_findings:
        line = f"- {f.text}"
        if f.interpretation:
            line += f" {f.interpretation}"
        lines.append(line)
    return "\n".join(lines) or "(none)"


def _recommendation_lines(analysis: Analysis) -> str:
    return "\n".join(f"- {r.text}" for r in analysis.recommendations) or "(none)"


def _title_words(title: str) -> str:
    """A heading's title without numbering and emphasis: "**2. Optimisation Recs:**"."""
    return _NUMBERING.sub("", title).strip(" \t*_:").lower()


def fit_headings(draft: str, title: str, others: Sequence[str]) -> str:
    """A draft fitted into its section: the report gives the section its heading, so the
    draft's own headings before its text, and its own title anywhere, are dropped ("## 1.
    TL;DR", "**Executive Summary**"); a heading that starts
    another section of the report ("## 2. Optimisation Recommendations") ends the draft
    there (that section is drafted on its own); any other heading of level 1 or 2 becomes a
    level-3 heading under the section. Headings in code blocks are text."""
    document = Document(draft)
    own = _title_words(title)
    other_titles = {_title_words(t) for t in others} - {own}
    lines: list[str] = []
    for line in document.lines:
        heading = HEADING.match(line.text) if line.kind == "heading" else None
        bold = _BOLD_LINE.match(line.text) if line.kind == "prose" else None
        if bold and _title_words(bold.group(1)) not in {*other_titles, own}:
            bold = None  # a bold sentence, not a section's title
        named = heading.group(2) if heading else bold.group(1) if bold else None
        if named is not None and _title_words(named) in other_titles:
            break
        if named is not None and (_title_words(named) == own or not any(x.strip() for x in lines)):
            continue  # its own title, or a heading before the text: the report heads it
        if heading and len(heading.group(1)) <= 2:
            lines.append("### " + heading.group(2))
            continue
        lines.append(line.text)
    return "\n".join(lines)


def _clean(draft: str, spec: SectionSpec, others: Sequence[str] = ()) -> str:
    """The draft fitted into its section (`fit_headings`), without a sentence cut off at
    max tokens."""
    text = fit_headings(draft.strip(), spec.title, others).strip()
    if spec.table:
        return text
    ends = list(_SENTENCE_END.finditer(text))
    last = ends[-1] if ends else None
    if last is not None and last.end() < len(text):
        tail = text[last.end() :]
        if not re.search(r"[.!?)]\s*$", tail):
            text = text[: last.end()]
    return text.strip()


def _sections(persona: Persona) -> list[SectionSpec]:
    if persona.sections:
        return persona.sections
    words = persona.length.min_words if persona.length else 20
    return [SectionSpec(title="Report", fallback="findings", min_words=min(words, 40))]


class _Asking:
    """The run's draft policy: stop asking a model whose drafts keep being rejected."""

    def __init__(self, stop_after: int | None) -> None:
        self.stop_after = stop_after
        self.rejected_in_a_row = 0

    def record(self, kept: bool) -> None:
        self.rejected_in_a_row = 0 if kept else self.rejected_in_a_row + 1

    def stopped(self) -> str | None:
        """Why the model is not asked again, or None while it is."""
        if self.stop_after is None or self.rejected_in_a_row < self.stop_after:
            return None
        return (
            f"its last {self.rejected_in_a_row} drafts were rejected"
            f" (drafts.stop_after_rejected: {self.stop_after} in the agent config)"
        )


async def writer(state: ChimeraState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    persona = ctx.personas.get(ctx.agent.personas.writer, role="writer")
    analysis = state["analysis"]
    prepared = prepared_data(ctx, state)
    style = persona.prompting
    if style == "auto":
        style = await ctx.backend.prompt_style()
    extra = {
        "findings": _findings_lines(analysis),
        "recommendations": _recommendation_lines(analysis),
    }
    values = {**base_values(ctx, state, prepared), **extra}
    # What a draft must not copy: the prompt's instructions, the inventory and the digest.
    # The findings and recommendations are left out: restating those is the job.
    blank = {**values, "findings": "", "recommendations": "", "facts": "", "options": ""}
    template = persona.section_template if persona.sections else persona.task
    base_seed = ctx.agent.options.seed or 0
    # What a recommendation may tell the reader to set: the computed recommendations' changes.
    changes = [r.change for f in prepared.findings if (r := f.recommendation) and r.change]
    advice = [r.text for f in prepared.findings if (r := f.recommendation)]
    findings_runs = run_set([extra["findings"], extra["recommendations"]])
    specs = _sections(persona)
    # What a draft's figures trace to, as verify will see them (the run's calls so far)
    known = run_known(ctx, state, prepared)
    titles = [s.title for s in specs]
    asking = _Asking(ctx.agent.drafts.stop_after_rejected)
    sections: list[Section] = []
    prompts: dict[str, Any] = {}
    calls = []
    for number, spec in enumerate(specs, start=1):
        heading = f"## {number}. {spec.title}" if persona.sections else ""
        section_values = {"section": spec.title, "instruction": spec.instruction or spec.title}
        document = None
        if style == "continuation":
            document = f"{heading}\n{spec.primer}".strip() if spec.primer else heading
        sources = run_set(
            [
                persona.system_prompt,
                render_template(
                    persona.document_template if document else template, {**blank, **section_values}
                ),
                values["inventory"],
                prepared.render(None)[0],
            ]
        )
        where = f'section {number} of {len(specs)} "{spec.title}"' if persona.sections else "draft"
        reason: str | None = None
        kept: Section | None = None
        attempts = 0
        if spec.fallback == "recommendations" and not analysis.recommendations:
            # Asked for changes the data does not support, a model can only invent them.
            sections.append(
                _without_the_model(spec, analysis, prepared.findings, None, 0, NOTHING_TO_ADVISE)
            )
            continue
        for attempt in range(ATTEMPTS):
            if asking.stopped():
                break
            attempts += 1
            prompt, reply = await call_persona(
                ctx,
                persona,
                state,
                {**extra, **section_values},
                node="writer",
                template=persona.document_template if document is not None else template,
                document=document,
                stop=_STOPS if document is not None else None,
                seed=base_seed + attempt if attempt else None,
                # The sections' prompts differ only from here on: the rest is read once.
                per_call=("section", "instruction"),
                label=f"{where}, retry" if attempt else where,
            )
            calls.append(reply.metrics)
            prompts[f"writer/{number}" if attempt == 0 else f"writer/{number}/retry"] = (
                prompt_record(prompt)
            )
            draft = reply.text
            if document is not None and spec.primer:
                draft = spec.primer + draft  # the model continued Chimera's opening words
            # the data's names as report.md prints them (escaped), in review and report alike
            draft = _clean(draft, spec, titles)
            draft = md_names(draft, prepared.figures.entities.names)
            review = review_draft(
                draft,
                sources,
                known,
                spec.min_words,
                table=spec.table,
                min_figures=spec.min_figures,
                changes=changes if spec.fallback == "recommendations" else None,
                advice=advice,
                earlier=[s.text for s in sections if s.author == "model"],
                findings=findings_runs,
            )
            asking.record(review.kept)
            if review.kept:
                kept = Section(
                    title=spec.title,
                    author="model",
                    text=draft,
                    echo_share=review.echo_share,
                    findings_share=review.findings_share,
                    figures_traced=review.figures.traced,
                    figures_total=review.figures.total,
                    retries=attempt,
                )
                break
            reason = review.rejected or reason
        if kept is None:
            stopped = asking.stopped() if attempts < ATTEMPTS else None
            kept = _without_the_model(spec, analysis, prepared.findings, reason, attempts, stopped)
        sections.append(kept)
    return {
        "report_body": assemble(sections, numbered=bool(persona.sections)),
        "sections": sections,
        "prompts": {"writer": prompts.get("writer/1"), **prompts},
        "llm_calls": calls,
    }


def _without_the_model(
    spec: SectionSpec,
    analysis: Analysis,
    findings: list[Finding],
    rejected: str | None,
    attempts: int,
    not_asked: str | None,
) -> Section:
    """A section whose drafts were all rejected (or never asked for): Chimera's text of the
    section's fallback kind, or the section left out (`on_reject: omit`, or no fallback)."""
    kind = spec.replacement
    return Section(
        title=spec.title,
        author="chimera",
        text="" if kind is None else section_text(kind, analysis, findings),
        retries=max(attempts - 1, 0),
        rejected=rejected,
        not_asked=not_asked,
        omitted=kind is None,
    )


def chimera_label(section: Section) -> str:
    """The line under the heading of a section Chimera wrote: why the model's text is not there."""
    return f"{CHIMERA_LABEL}{why_not_the_model(section)}._"


def why_not_the_model(section: Section) -> str:
    """Why a section holds no text of the model's, for its label and the Quality list."""
    if section.rejected and section.not_asked:
        return (
            f"the model's draft was rejected: {section.rejected}, and it was not asked again:"
            f" {section.not_asked}"
        )
    if section.not_asked:
        return f"the model was not asked for this section: {section.not_asked}"
    return f"the model's draft was rejected: {section.rejected or 'no draft'}"


def assemble(sections: list[Section], *, numbered: bool = True) -> str:
    """The report body: each section under its heading, Chimera's text labelled; sections left
    out (on_reject: omit) are not in it, and the others are numbered as they appear."""
    parts = []
    shown = [s for s in sections if not s.omitted]
    for number, section in enumerate(shown, start=1):
        lines = [f"## {number}. {section.title}"] if numbered else []
        if section.author == "chimera":
            lines.append(chimera_label(section))
            lines.append("")
        lines.append(section.text)
        parts.append("\n".join(lines))
    if sections and not shown:
        return (
            "_Every section's drafts were rejected, and the persona leaves such sections out"
            " (no fallback, or on_reject: omit): see Quality._"
        )
    return "\n\n".join(parts)
