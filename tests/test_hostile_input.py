"""Careless or hostile input is refused at load time with one short line, never later in a run.

YAML (configs and personas): alias expansion is bounded, duplicate keys are refused, and a
value quoted in an error is cut short. Persona templates are checked whole. Numbers must be
finite, URLs must parse, OLLAMA_HOST is read as Ollama reads it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from chimera.config.agent import AgentConfig, load_agent_config
from chimera.config.personas import load_persona
from chimera.errors import ConfigError
from chimera.testing.ollama_server import OllamaStubServer

PERSONA = "name: {name}\ntitle: T\nrole: writer\nsystem_prompt: s\ntask_template: {template}\n"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """About 450 bytes that expand to width**levels strings when aliases are followed."""
    lines = ["  - &l0 [" + ", ".join(["x"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_agent_config(path)
    return caught.value.one_line()


def test_an_alias_bomb_in_a_config_is_refused_at_once_with_a_short_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.yaml", "name: X\nbackend: fake\nhosts:\n" + alias_bomb())
    assert path.stat().st_size < 600
    start = time.monotonic()
    message = load_error(path)
    assert time.monotonic() - start < 5  # it took 56 s and 3.2 GB before
    assert "alias" in message and "bomb.yaml" in message
    assert len(message) < 300


def test_an_alias_bomb_in_a_persona_is_refused(tmp_path: Path) -> None:
    text = PERSONA.format(name="bomb", template="t") + "sections:\n" + alias_bomb()
    path = write(tmp_path, "bomb.yaml", text)
    with pytest.raises(ConfigError, match="alias"):
        load_persona(path)


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.yaml",
        "name: X\nbackend: fake\noptions: &opts {temperature: 0.5}\n"
        "hosts: []\npersonas: &p {analyst: analyst}\n",
    )
    assert load_agent_config(path).options.temperature == 0.5


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.yaml", "name: X\nbackend: fake\nhosts: &h [*h]\n")
    assert "alias" in load_error(path)


@pytest.mark.parametrize(
    "text",
    [
        "name: A\nbackend: fake\nname: B\n",
        "name: A\nbackend: fake\noptions:\n  temperature: 0.1\n  temperature: 0.9\n",
    ],
)
def test_duplicate_keys_are_refused_naming_the_key_and_line(tmp_path: Path, text: str) -> None:
    message = load_error(write(tmp_path, "dup.yaml", text))
    assert "duplicate key" in message and "line" in message
    assert ("'name'" in message) or ("'temperature'" in message)


def test_a_duplicate_persona_key_is_refused(tmp_path: Path) -> None:
    text = PERSONA.format(name="dup", template="t") + "title: Other\n"
    with pytest.raises(ConfigError, match="duplicate key 'title'"):
        load_persona(write(tmp_path, "dup.yaml", text))


def test_a_huge_value_quoted_in_an_error_is_cut_short(tmp_path: Path) -> None:
    path = write(tmp_path, "long.yaml", f"name: X\nbackend: fake\ntimeout_s: '{'9x' * 50_000}'\n")
    message = load_error(path)
    assert "timeout_s" in message
    assert len(message) < 500


def test_a_config_file_far_larger_than_any_config_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", "name: X\nbackend: fake\n" + "# padding\n" * 300_000)
    assert "too large" in load_error(path)


# --- persona templates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("Data {} {digest}", "positional"),
        ("Data {0}", "positional"),
        ("{digest:d}", "format spec"),
        ("{digest:>999999999999999}", "format spec"),  # MemoryError when rendered
        ("{digest!z}", "conversion"),
        ("{digest!r}", "conversion"),
        ("{digest:{model}}", "format spec"),
        ("{digest.real}", "attribute or index"),
        ("{digest[0]}", "attribute or index"),
        ("Data {digest", "braces"),
        ("Data } here", "braces"),
    ],
)
def test_a_persona_template_that_would_fail_when_rendered_is_refused_at_load(
    tmp_path: Path, template: str, why: str
) -> None:
    path = write(tmp_path, "bad.yaml", PERSONA.format(name="bad", template=repr(template)))
    with pytest.raises(ConfigError) as caught:
        load_persona(path)
    message = caught.value.one_line()
    assert why in message and "task_template" in message and "bad.yaml" in message
    assert "\n" not in message


def test_literal_braces_and_known_placeholders_still_load(tmp_path: Path) -> None:
    template = "Use {{json}} braces. Data: {digest} by {agent_name}"
    path = write(tmp_path, "good.yaml", PERSONA.format(name="good", template=repr(template)))
    persona = load_persona(path)
    assert persona.render_task({"digest": "D", "agent_name": "N"}) == (
        "Use {json} braces. Data: D by N"
    )


def test_chimera_personas_refuses_a_bad_template_with_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chimera.cli import app

    write(tmp_path, "bad.yaml", PERSONA.format(name="bad", template=repr("{digest!z}")))
    result = CliRunner().invoke(app, ["personas", "--personas-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        line for line in result.stderr.splitlines() if line.startswith("error:")
    ]
    assert "Traceback" not in result.output


def test_an_unknown_persona_names_the_config_and_both_ways_to_add_one(tmp_path: Path) -> None:
    import asyncio

    from chimera.execution.runner import prepare

    config = write(tmp_path, "agent.yaml", "name: X\nbackend: fake\npersonas: {writer: nosuch}\n")
    with pytest.raises(ConfigError) as caught:
        asyncio.run(prepare(config))
    message = caught.value.one_line()
    assert "'nosuch'" in message and str(config) in message and "personas.writer" in message
    assert "--personas-dir" in message and "personas_dirs" in message


# --- numbers and URLs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "yaml_value"),
    [
        ("timeout_s", ".inf"),
        ("ingest.max_file_mb", ".inf"),
        ("options.temperature", ".nan"),
        ("ingest.max_file_mb", ".nan"),
    ],
)
def test_non_finite_numbers_are_refused(tmp_path: Path, field: str, yaml_value: str) -> None:
    section, _, key = field.rpartition(".")
    body = f"{section}:\n  {key}: {yaml_value}\n" if section else f"{key}: {yaml_value}\n"
    message = load_error(write(tmp_path, "inf.yaml", f"name: X\nbackend: fake\n{body}"))
    assert f"'{field}'" in message and "finite" in message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999",
        "http://[::1",
        "http://",
        "http://host:port",
    ],
)
def test_an_unusable_base_url_is_refused_at_load(tmp_path: Path, url: str) -> None:
    message = load_error(write(tmp_path, "url.yaml", f"name: X\nbase_url: '{url}'\n"))
    assert "base_url" in message and url in message


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:11434"),
        (":11434", "http://127.0.0.1:11434"),
        (":12000", "http://127.0.0.1:12000"),
        ("0.0.0.0", "http://127.0.0.1:11434"),  # the server's "all interfaces": here, this host
        ("0.0.0.0:11500", "http://127.0.0.1:11500"),
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:8080", "http://gpu-box:8080"),
        ("http://gpu-box", "http://gpu-box:80"),
        ("https://gpu-box", "https://gpu-box:443"),
        ("https://gpu-box:8443/ollama/", "https://gpu-box:8443/ollama"),
        ("::1", "http://[::1]:11434"),
        ("[::1]:11500", "http://[::1]:11500"),
        ("::", "http://[::1]:11434"),
        ("  gpu-box  ", "http://gpu-box:11434"),
    ],
)
def test_ollama_host_is_read_as_ollama_reads_it(value: str, url: str) -> None:
    config = AgentConfig(name="X")
    assert config.resolve_hosts({"OLLAMA_HOST": value}) == [url]


@pytest.mark.parametrize("value", ["::::", "gpu-box:99999", "http://[::1", "gpu box"])
def test_an_unusable_ollama_host_is_one_config_error_naming_it(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        AgentConfig(name="X").resolve_hosts({"OLLAMA_HOST": value})
    assert "OLLAMA_HOST" in caught.value.one_line() and value.strip() in caught.value.one_line()


def test_a_5000_character_agent_name_runs_into_a_short_folder_name(tmp_path: Path) -> None:
    import asyncio

    from chimera.execution.runner import arun

    name = "N" * 5000
    result = asyncio.run(
        arun(REPO / "examples" / "data", AgentConfig(name=name, backend="fake"), out=tmp_path)
    )
    assert result.ok and result.run_dir is not None
    assert len(result.run_dir.name) < 100
    assert (result.run_dir / "report.md").read_text().startswith(f"# {name}")


REPO = Path(__file__).resolve().parents[1]


def test_num_ctx_beyond_the_trained_context_is_warned_before_the_run(
    tmp_path: Path, ollama_server: OllamaStubServer
) -> None:
    from typer.testing import CliRunner

    from chimera.cli import app

    ollama_server.update(context_length=8192)
    config = write(
        tmp_path,
        "wide.yaml",
        f"name: Wide\nbase_url: {ollama_server.url}\noptions: {{num_ctx: 32768}}\n",
    )
    result = CliRunner().invoke(
        app, ["run", str(REPO / "examples" / "data"), "-c", str(config), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "num_ctx 32768" in line]
    assert len(warning) == 1 and "trained with" in warning[0] and "at most 8192" in warning[0]
    first_progress = next(
        i for i, line in enumerate(result.stderr.splitlines()) if "ingest" in line
    )
    assert result.stderr.splitlines().index(warning[0]) < first_progress  # before any work


def test_num_ctx_within_the_trained_context_is_not_warned(
    tmp_path: Path, ollama_server: OllamaStubServer
) -> None:
    from typer.testing import CliRunner

    from chimera.cli import app

    config = write(
        tmp_path,
        "ok.yaml",
        f"name: Ok\nbase_url: {ollama_server.url}\noptions: {{num_ctx: 4096}}\n",
    )
    result = CliRunner().invoke(
        app, ["run", str(REPO / "examples" / "data"), "-c", str(config), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0 and "trained with" not in result.stderr


def test_the_embedded_models_trained_context_is_read_from_its_gguf() -> None:
    from chimera.backends._model_source import default_model_path, gguf_context_length

    assert gguf_context_length(default_model_path()) == 32768  # Gemma 3 270M
