"""Personas are files: discovery, overriding, validation, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from chimera.config.personas import PersonaLibrary
from chimera.errors import ConfigError

PERSONA = """\
name: {name}
title: Terse
role: writer
system_prompt: Be terse.
task_template: "Data: {{digest}}"
"""


def test_builtin_personas_are_found_with_their_origin() -> None:
    library = PersonaLibrary.discover()
    insight = library.get("insight_agent", role="writer")
    assert insight.title == "InsightAgent"
    assert insight.origin is not None and insight.origin.name == "insight_agent.yaml"
    assert insight.length is not None and (insight.length.min_words, insight.length.max_words) == (
        150,
        500,
    )
    assert insight.section_titles == [
        "Executive Summary",
        "Optimisation Recommendations",
        "Risk/Mitigation Table",
    ]
    assert insight.requirements.min_table_rows == 2
    assert library.get("analyst", role="analyst").output == "json"


def test_adding_a_persona_is_adding_a_file(tmp_path: Path) -> None:
    (tmp_path / "terse.yaml").write_text(PERSONA.format(name="terse"), encoding="utf-8")
    library = PersonaLibrary.discover([tmp_path])
    persona = library.get("terse")
    assert persona.origin == tmp_path / "terse.yaml"
    assert (
        persona.render_task({"digest": "tokens_per_s mean 42.8"}) == "Data: tokens_per_s mean 42.8"
    )


def test_user_folder_overrides_a_builtin_by_name(tmp_path: Path) -> None:
    (tmp_path / "insight_agent.yaml").write_text(
        PERSONA.format(name="insight_agent"), encoding="utf-8"
    )
    assert PersonaLibrary.discover([tmp_path]).get("insight_agent").title == "Terse"


def test_unknown_persona_lists_what_is_available() -> None:
    with pytest.raises(ConfigError, match="unknown persona 'nobody'.*insight_agent"):
        PersonaLibrary.discover().get("nobody")


def test_role_mismatch_is_refused() -> None:
    with pytest.raises(ConfigError, match="role 'analyst'"):
        PersonaLibrary.discover().get("analyst", role="writer")


def test_missing_required_field_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("name: broken\ntitle: B\nrole: writer\n", "utf-8")
    with pytest.raises(ConfigError) as err:
        PersonaLibrary.discover([tmp_path])
    assert "broken.yaml" in err.value.message
    assert "system_prompt" in err.value.message


def test_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    text = PERSONA.format(name="bad").replace("{digest}", "{digets}")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\{digets\}"):
        PersonaLibrary.discover([tmp_path])


def test_name_must_match_file_name(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(PERSONA.format(name="two"), encoding="utf-8")
    with pytest.raises(ConfigError, match="make them match"):
        PersonaLibrary.discover([tmp_path])


def test_missing_personas_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="personas folder not found"):
        PersonaLibrary.discover([tmp_path / "nope"])


SECTIONED = """\
name: {name}
title: Sectioned
role: writer
system_prompt: Be careful.
sections:
  - title: What the data shows
    fallback: summary
  - title: What the data cannot tell us
{extra}"""


def test_a_writer_with_sections_needs_no_task_template(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(SECTIONED.format(name="mine", extra=""), "utf-8")
    persona = PersonaLibrary.discover([tmp_path]).get("mine", role="writer")
    assert persona.task_template is None
    assert [s.replacement for s in persona.sections] == ["summary", None]


def test_an_analyst_or_an_unsectioned_writer_still_needs_task_template(tmp_path: Path) -> None:
    for role, sections in (("analyst", "[A]"), ("writer", "[]")):
        (tmp_path / "bare.yaml").write_text(
            f"name: bare\ntitle: B\nrole: {role}\nsystem_prompt: s\nsections: {sections}\n",
            "utf-8",
        )
        with pytest.raises(ConfigError, match="bare.yaml.*task_template is required for"):
            PersonaLibrary.discover([tmp_path])


def test_on_reject_fallback_must_name_its_fallback(tmp_path: Path) -> None:
    text = SECTIONED.format(name="odd", extra="    on_reject: fallback\n")
    (tmp_path / "odd.yaml").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="has on_reject: fallback but no fallback"):
        PersonaLibrary.discover([tmp_path])


def test_on_reject_omit_wins_over_a_named_fallback(tmp_path: Path) -> None:
    text = SECTIONED.format(name="strict", extra="").replace(
        "    fallback: summary\n", "    fallback: summary\n    on_reject: omit\n"
    )
    (tmp_path / "strict.yaml").write_text(text, "utf-8")
    persona = PersonaLibrary.discover([tmp_path]).get("strict")
    assert [s.replacement for s in persona.sections] == [None, None]
