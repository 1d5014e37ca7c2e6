"""Personas are prompts as data: one YAML file each, found in the built-in folder and user folders.

Adding a persona is adding a file. Later folders override earlier ones by name, so a user's
`insight_agent.yaml` replaces the built-in one, and `chimera personas` shows which file won.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chimera.config.yaml_loader import load_model
from chimera.errors import ConfigError
from chimera.escape import shorten

# Everything a template may refer to; filled by the node that renders it.
TEMPLATE_FIELDS = {
    "agent_name": "the agent's name",
    "model": "the model label",
    "inventory": "the folder inventory (counts, samples, latest modified)",
    "digest": "the statistics computed from the data",
    "highlights": "computed data highlights (no LLM)",
    "facts": "the computed findings, one per line with its id (F1, F2, ...)",
    "options": "the recommendations the findings support, one per line with its id (R1, ...)",
    "findings": "the key findings selected for the report, one per line",
    "recommendations": "the recommendations selected for the report, one per line",
    "section": "the title of the section being written",
    "instruction": "what the section should say (its `instruction`)",
}
# The writer's prompts when the persona does not give its own (prompts are data: override
# them in the persona's YAML). A chat model writes one section per call from this:
DEFAULT_SECTION_TEMPLATE = """\
Findings computed from the benchmark data (their figures are exact; cite them as written):
{findings}

Recommendations the findings support:
{recommendations}

Write the section "{section}" of a technical report for {agent_name}: {instruction}
Write Markdown prose without a heading. Use only figures from the findings above."""
# A model without a chat template continues a document instead: this, then the section's
# heading and its primer (see SectionSpec).
DEFAULT_DOCUMENT_TEMPLATE = """\
# Technical Report: {agent_name}

## Findings computed from the benchmark data
{findings}

## Recommendations supported by the data
{recommendations}
"""


FallbackKind = Literal["summary", "recommendations", "risks", "findings"]


class SectionSpec(BaseModel):
    """One section of a writer's report: what it should say, and what happens when the model's
    drafts of it are rejected (`on_reject`): Chimera writes it from the computed findings, as
    `fallback` says, or the section is left out of the report (the Quality section says so).
    A section that names no `fallback` is left out: Chimera never fills a section with text
    of another kind (the top findings under "What the data cannot tell us")."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    instruction: str = Field("", description="what the section should say (chat prompt)")
    primer: str = Field(
        "The measurements show that",
        description="opening words the model continues when it has no chat template",
    )
    fallback: FallbackKind | None = Field(
        None, description="what Chimera writes in its place from the computed findings"
    )
    on_reject: Literal["fallback", "omit"] | None = Field(
        None,
        description="when every draft is rejected: `fallback` (Chimera's text) or `omit` (left"
        " out); default: fallback when one is named, else omit",
    )
    min_words: int = Field(20, ge=0, description="a shorter draft is rejected")
    min_figures: int = Field(0, ge=0, description="figures of the data a draft must state")
    table: bool = Field(False, description="the section is a Markdown table")

    @model_validator(mode="after")
    def _fallback_named(self) -> SectionSpec:
        if self.on_reject == "fallback" and self.fallback is None:
            raise ValueError(
                f"section '{shorten(self.title, 40)}' has on_reject: fallback but no fallback;"
                " name one (summary, recommendations, risks, findings) or use on_reject: omit"
            )
        return self

    @property
    def replacement(self) -> FallbackKind | None:
        """What Chimera writes when the drafts are rejected; None: the section is left out."""
        return None if self.on_reject == "omit" else self.fallback


_ALLOWED = ", ".join("{" + k + "}" for k in TEMPLATE_FIELDS)


def check_template(template: str) -> None:
    """Refuse anything in `template` that filling it could trip on, so the run cannot.

    Only `{name}` of a known field is a placeholder (`{{` and `}}` are literal braces):
    positional fields (`{}`, `{0}`), format specs (`{digest:d}`, `{digest:>99999}`,
    `{digest:{model}}`), conversions (`{digest!r}`) and attribute or index access
    (`{digest.x}`, `{digest[0]}`) would raise, or eat memory, only once the model's data
    is rendered into it, after the first model call.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone "{" or "}"
        raise ValueError(
            f"unbalanced braces ({exc}); write {{{{ and }}}} for literal braces"
        ) from None
    unknown: list[str] = []
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        shown = "{" + shorten(field, 40) + "}"
        if field == "" or field.isdigit():
            raise ValueError(f"positional placeholder {shown}; name a field: {_ALLOWED}")
        if conversion is not None:
            raise ValueError(
                f"conversion !{conversion} on {shown}; placeholders take no conversion"
            )
        if spec:
            raise ValueError(
                f"format spec ':{shorten(spec, 40)}' on {shown}; placeholders take no format spec"
            )
        if "." in field or "[" in field:
            raise ValueError(f"attribute or index access in {shown}; use the plain field name")
        if field not in TEMPLATE_FIELDS:
            unknown.append(field)
    if unknown:
        names = ", ".join("{" + shorten(u, 40) + "}" for u in sorted(set(unknown)))
        raise ValueError(f"unknown placeholder(s) {names}; allowed: {_ALLOWED}")


class LengthTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_words: int = Field(ge=0)
    max_words: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> LengthTarget:
        if self.max_words < self.min_words:
            raise ValueError("max_words must be >= min_words")
        return self


class Requirements(BaseModel):
    """Checkable promises the persona makes about its output (see chimera.grounding.compliance)."""

    model_config = ConfigDict(extra="forbid")

    numbered_sections: bool = False
    min_table_rows: int = Field(0, ge=0)
    bold_metric_callouts: bool = False


class Persona(BaseModel):
    """A role's system prompt, task template and the shape its answer must have."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = Field(min_length=1, description="display name, e.g. InsightAgent")
    description: str = ""
    role: Literal["analyst", "writer"]
    system_prompt: str = Field(min_length=1)
    task_template: str | None = Field(
        None,
        min_length=1,
        description="the prompt of an analyst, or of a writer without sections (a writer with"
        " sections is prompted per section: section_template / document_template)",
    )
    sections: list[SectionSpec] = Field(
        default_factory=list, description="sections the output must have (titles or specs)"
    )
    prompting: Literal["auto", "chat", "continuation"] = Field(
        "auto",
        description="chat: one chat call per section; continuation: the model continues a "
        "document (for models without a chat template); auto: as the model suits",
    )
    section_template: str = Field(DEFAULT_SECTION_TEMPLATE, min_length=1)
    document_template: str = Field(DEFAULT_DOCUMENT_TEMPLATE, min_length=1)
    length: LengthTarget | None = None
    requirements: Requirements = Field(default_factory=Requirements)
    output: Literal["text", "json"] = "text"
    max_tokens: int | None = Field(None, ge=16, description="cap on generated tokens")
    origin: Path | None = Field(None, description="file the persona came from (set by loader)")

    @field_validator("sections", mode="before")
    @classmethod
    def _titles_are_sections(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"title": item} if isinstance(item, str) else item for item in value]
        return value

    @property
    def section_titles(self) -> list[str]:
        return [s.title for s in self.sections]

    @field_validator("task_template", "section_template", "document_template")
    @classmethod
    def _known_placeholders(cls, template: str | None) -> str | None:
        if template is not None:
            check_template(template)
        return template

    @model_validator(mode="after")
    def _task_template_when_used(self) -> Persona:
        if self.task_template is None and (self.role == "analyst" or not self.sections):
            who = "an analyst" if self.role == "analyst" else "a writer without sections"
            raise ValueError(
                f"task_template is required for {who} (its one prompt); a writer with"
                " sections is prompted per section and needs none"
            )
        return self

    @property
    def task(self) -> str:
        """The task template (validated present wherever it is used)."""
        if self.task_template is None:
            raise ValueError(f"persona '{self.name}' has no task_template")
        return self.task_template

    def render_task(self, values: Mapping[str, str]) -> str:
        """Fill the task template; fields the caller does not have become '(none)'."""
        return render_template(self.task, values)


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill a persona template; fields the caller does not have become '(none)'."""
    filled = {key: values.get(key, "(none)") for key in TEMPLATE_FIELDS}
    return template.format_map(filled).strip()


def builtin_personas_dir() -> Path:
    return Path(str(resources.files("chimera.persona_files")))


def load_persona(path: Path) -> Persona:
    persona = load_model(path, Persona, "persona")
    if persona.name != path.stem:
        raise ConfigError(
            f"{path}: 'name' is '{persona.name}' but the file is named '{path.stem}.yaml'",
            hint="make them match; configs refer to personas by name",
        )
    return persona.model_copy(update={"origin": path.resolve()})


class PersonaLibrary(BaseModel):
    """All personas visible to a run, by name, and the folders they were looked for in."""

    personas: dict[str, Persona]
    folders: list[Path] = Field(default_factory=list, description="searched, in order")

    @classmethod
    def discover(cls, extra_dirs: Iterable[Path] = ()) -> PersonaLibrary:
        """Built-in personas, then each extra folder in order (later wins on a name clash)."""
        found: dict[str, Persona] = {}
        folders = [builtin_personas_dir(), *map(Path, extra_dirs)]
        for folder in folders:
            if not folder.is_dir():
                raise ConfigError(
                    f"personas folder not found: {folder}", hint="create it or fix the path"
                )
            for path in sorted(folder.glob("*.y*ml")):
                found[path.stem] = load_persona(path)
        return cls(personas=found, folders=folders)

    def get(self, name: str, role: str | None = None, *, where: str | None = None) -> Persona:
        """The persona `name`; `where` says who asked for it ("agent.yaml: personas.writer")."""
        if name not in self.personas:
            searched = ", ".join(str(f) for f in self.folders) or "the built-in personas"
            asked = f"{where}: " if where else ""
            raise ConfigError(
                f"{asked}unknown persona {shorten(repr(name))} (available: "
                f"{', '.join(sorted(self.personas))}; looked in: {searched})",
                hint=f"fix the name, or add {shorten(name, 40)}.yaml to a folder given with "
                "--personas-dir or listed under personas_dirs: in the config",
            )
        persona = self.personas[name]
        if role is not None and persona.role != role:
            asked = f"{where}: " if where else ""
            raise ConfigError(
                f"{asked}persona '{name}' ({persona.origin}) has role '{persona.role}', "
                f"but it is used as the {role}",
                hint=f"pick a persona whose role is '{role}'",
            )
        return persona
