"""Agent config loading: shipped configs parse; bad files fail with file, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from chimera.config.agent import AgentConfig, ModelOptions, load_agent_config
from chimera.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str, name: str = "agent.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_agent_b_config_line_matches_the_original_reports() -> None:
    config = load_agent_config(REPO / "configs" / "agent_b.yaml")
    assert config.name == "Chimera Agent B"
    assert config.model == "gemma3:latest"
    assert config.options.config_line() == (
        "num_gpu=80, num_ctx=2048, temp=0.8, top_p=default, top_k=default, repeat_penalty=default"
    )


def test_agent_a_leaves_every_option_to_ollama() -> None:
    config = load_agent_config(REPO / "configs" / "agent_a.yaml")
    assert config.options.set_options() == {}
    assert "num_gpu=default" in config.options.config_line()


def test_embedded_config_is_the_embedded_backend() -> None:
    config = load_agent_config(REPO / "configs" / "embedded.yaml")
    assert config.backend == "embedded"
    assert config.options.num_ctx == 4096


def test_unknown_key_names_file_field_and_allowed_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "name: X\noptions:\n  num_gpus: 80\n")
    with pytest.raises(ConfigError) as err:
        load_agent_config(path)
    message = err.value.one_line()
    assert str(path) in message
    assert "options.num_gpus" in message
    assert "num_gpu" in message.split("allowed:")[1]


def test_wrong_type_is_refused_with_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "name: X\noptions:\n  num_ctx: lots\n")
    with pytest.raises(ConfigError, match=r"options\.num_ctx"):
        load_agent_config(path)


@pytest.mark.parametrize(
    ("option", "value"),
    [("num_ctx", -5), ("temperature", 2.5), ("top_p", 0), ("num_gpu", -3)],
)
def test_out_of_range_options_are_refused(tmp_path: Path, option: str, value: float) -> None:
    path = write(tmp_path, f"name: X\noptions:\n  {option}: {value}\n")
    with pytest.raises(ConfigError, match=rf"options\.{option}"):
        load_agent_config(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: X\noptions: [unclosed\n")
    with pytest.raises(ConfigError, match=r"line \d+.*YAML syntax error"):
        load_agent_config(path)


def test_missing_file_and_non_mapping_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_agent_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="mapping"):
        load_agent_config(write(tmp_path, "- a\n- b\n"))


def test_missing_name_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing required key 'name'"):
        load_agent_config(write(tmp_path, "backend: ollama\n"))


def test_host_precedence_hosts_then_base_url_then_env_then_default() -> None:
    assert AgentConfig(name="x").resolve_hosts(env={}) == ["http://127.0.0.1:11434"]
    assert AgentConfig(name="x").resolve_hosts(env={"OLLAMA_HOST": "gpu:11435"}) == [
        "http://gpu:11435"
    ]
    cfg = AgentConfig(name="x", base_url="http://a:1/")
    assert cfg.resolve_hosts(env={"OLLAMA_HOST": "b:2"}) == ["http://a:1"]
    many = AgentConfig(name="x", hosts=["http://a:1", "http://b:2"])
    assert many.resolve_hosts(env={}) == ["http://a:1", "http://b:2"]


def test_url_without_scheme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="http://"):
        load_agent_config(write(tmp_path, "name: X\nbase_url: localhost:11434\n"))


def test_relative_model_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, "name: X\nbackend: embedded\nmodel_path: models/m.gguf\n")
    assert load_agent_config(path).model_path == tmp_path.resolve() / "models" / "m.gguf"


def test_config_line_shows_extra_options_only_when_set() -> None:
    line = ModelOptions(seed=7).config_line()
    assert line.endswith("seed=7")
    assert "num_predict" not in line
