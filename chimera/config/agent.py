"""Agent configuration: which backend, which model, which personas, which options.

Precedence, stated once: command-line flag > config file > environment (OLLAMA_HOST) > default.
The loader applies config file over defaults; `resolve_hosts` applies the environment;
callers apply command-line overrides with `AgentConfig.model_copy(update=...)`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from chimera.config.yaml_loader import load_model
from chimera.errors import ConfigError
from chimera.escape import redact_url, shorten

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
OLLAMA_DEFAULT_PORT = 11434
_HOST_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$")
# A server listening on "every interface" is reached, from this machine, on its loopback.
_UNSPECIFIED = {"0.0.0.0": "127.0.0.1", "::": "::1"}
DEFAULT_PATTERNS = (
    "*.csv", "*.tsv", "*.json", "*.jsonl", "*.md", "*.txt", "*.log", "*.sql",
)  # fmt: skip

# Shown in every report's configuration line, "default" when unset (Ollama decides).
CONFIG_LINE_OPTIONS = ("num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty")
_SHORT_NAMES = {"temperature": "temp"}


class ModelOptions(BaseModel):
    """Ollama's generation options. Unset stays unset: the server (or llama.cpp) decides."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    num_gpu: int | None = Field(None, ge=-1, description="layers offloaded to the GPU")
    num_ctx: int | None = Field(None, ge=128, le=1_048_576, description="context window, tokens")
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    top_k: int | None = Field(None, ge=0)
    repeat_penalty: float | None = Field(None, ge=0.0, le=5.0)
    seed: int | None = None
    num_predict: int | None = Field(
        None, ge=-2, description="max tokens to generate; -1 = no limit"
    )
    keep_alive: str | int | None = Field(None, description="how long Ollama keeps the model loaded")

    def set_options(self) -> dict[str, Any]:
        """Only the options the user set, for the request and for config diffs."""
        return self.model_dump(exclude_none=True)

    def config_line(self) -> str:
        """`num_gpu=80, num_ctx=2048, temp=0.8, top_p=default, ...` as in the original reports."""
        values = self.model_dump()
        shown = list(CONFIG_LINE_OPTIONS) + [
            k for k in ("seed", "num_predict", "keep_alive") if values[k] is not None
        ]
        parts = []
        for key in shown:
            value = values[key]
            parts.append(f"{_SHORT_NAMES.get(key, key)}={'default' if value is None else value}")
        return ", ".join(parts)


class IngestOptions(BaseModel):
    """How the ingest node walks the data folder."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_PATTERNS), min_length=1)
    max_file_mb: float = Field(64.0, gt=0, description="larger files are read partially")
    digest_budget_tokens: int | None = Field(
        None, ge=64, description="cap on the digest's size; default: fit the agent's num_ctx"
    )
    workers: int | None = Field(
        None,
        ge=1,
        description="processes parsing files ahead of the digest (1: none); default: the"
        " cores this process may use. Used on Linux, for 50 distinct files and more, where the"
        " process runs one thread",
    )


class DraftPolicy(BaseModel):
    """When the writer stops asking the model for drafts within a run.

    A model whose drafts keep failing review costs a run most of its time for text that is
    thrown away (the quick start's six writer calls: 38 of 49 s, 0 words kept). After
    `stop_after_rejected` rejected drafts in a row (retries included), the sections left
    are Chimera's without a model call, and the report says so.
    """

    model_config = ConfigDict(extra="forbid")

    stop_after_rejected: int | None = Field(
        3,
        ge=1,
        description="rejected drafts in a row after which the model is not asked again in the"
        " run; null: ask for every section",
    )


class PersonaRefs(BaseModel):
    """Which persona plays which role; names refer to persona files (without .yaml)."""

    model_config = ConfigDict(extra="forbid")

    analyst: str = "analyst"
    writer: str = "insight_agent"


class RayPlacement(BaseModel):
    """Where `--executor ray` places this agent's runs (ignored by the local executor)."""

    model_config = ConfigDict(extra="forbid")

    resources: dict[str, float] = Field(
        default_factory=dict,
        description="Ray resources every run needs: a node without them never runs it",
    )
    hosts: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="per host URL: the Ray resources of the node next to that server, so its"
        " runs execute there (TTFT measured next to the model, not across the network)",
    )
    per_node: int = Field(1, ge=1, le=64, description="in-process backends: runs per node")
    cpus: float | None = Field(
        None,
        ge=0,
        description="CPUs a worker holds (Ray's num_cpus); default: 1 for an in-process model,"
        " 0 for a server backend (the server does the work)",
    )


class AgentConfig(BaseModel):
    """One agent: a named model configuration, e.g. 'Chimera Agent B'.

    Every number must be finite: `timeout_s: .inf` would let a hung server block forever.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1)
    agent_type: str | None = Field(None, description="shown as 'Agent Type'; defaults to name")
    backend: Literal["ollama", "openai", "embedded", "fake"] = "ollama"
    model: str = Field("gemma3:latest", min_length=1)
    model_path: Path | None = Field(
        None, description="embedded: a local GGUF instead of gemma3 270M"
    )
    base_url: str | None = Field(
        None,
        description="the server's URL: Ollama's (default OLLAMA_HOST, then 11434), or an"
        " OpenAI-compatible API's, /v1 included (e.g. http://127.0.0.1:8080/v1)",
    )
    hosts: list[str] = Field(default_factory=list, description="several server URLs (compare)")
    api_key_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="openai backend: the environment variable holding the server's API key"
        " (the key itself is never in a config, nor written anywhere)",
    )
    max_in_flight_per_host: int = Field(1, ge=1, le=64)
    personas: PersonaRefs = Field(default_factory=PersonaRefs)
    personas_dirs: list[Path] = Field(default_factory=list, description="extra persona folders")
    options: ModelOptions = Field(default_factory=ModelOptions)
    timeout_s: float = Field(300.0, gt=0, description="per LLM request")
    retries: int = Field(2, ge=0, le=10, description="extra attempts per node after a failure")
    embedded_threads: int | None = Field(None, ge=1, le=256)
    ingest: IngestOptions = Field(default_factory=IngestOptions)
    drafts: DraftPolicy = Field(default_factory=DraftPolicy)
    prompt_window: int | None = Field(
        None,
        ge=1,
        description="fit prompts to this many tokens of context instead of num_ctx; a sweep"
        " sets its grid's smallest, so every cell gets the same prompts",
    )
    ray: RayPlacement = Field(default_factory=RayPlacement)
    source: Path | None = Field(None, description="the file this config came from (set by loader)")

    @field_validator("base_url", "hosts", mode="after")
    @classmethod
    def _urls_parse(cls, value: Any) -> Any:
        for url in [value] if isinstance(value, str) else (value or []):
            check_url(str(url))
        return value

    # Written out (run.json, request.json, plans, summaries, best.yaml: every JSON dump),
    # a URL's user-info is redacted; in memory it is kept, for the connection. A run resumed
    # from a written config reads it back from the file the config came from (`source`).
    @field_serializer("base_url", when_used="json")
    def _redact_base_url(self, value: str | None) -> str | None:
        return None if value is None else redact_url(value)

    @field_serializer("hosts", when_used="json")
    def _redact_hosts(self, value: list[str]) -> list[str]:
        return [redact_url(url) for url in value]

    @model_validator(mode="after")
    def _one_way_to_name_hosts(self) -> AgentConfig:
        if self.base_url and self.hosts:
            raise ValueError("set either base_url or hosts, not both")
        return self

    @property
    def display_type(self) -> str:
        return self.agent_type or self.name

    def resolve_hosts(self, env: Mapping[str, str] | None = None) -> list[str]:
        """The Ollama URLs to use: hosts > base_url > OLLAMA_HOST > the default."""
        if self.hosts:
            return [h.rstrip("/") for h in self.hosts]
        if self.base_url:
            return [self.base_url.rstrip("/")]
        env = os.environ if env is None else env
        from_env = env.get("OLLAMA_HOST", "").strip()
        return [ollama_host_url(from_env)] if from_env else [DEFAULT_OLLAMA_URL]


def check_url(url: str) -> None:
    """Raise ValueError unless `url` is an http(s) URL with a host and a valid port."""
    shown = shorten(url)
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"'{shown}' must start with http:// or https://")
    try:
        parts = urlsplit(url)
        port = parts.port  # parses it: out of range or not a number raises
    except ValueError as exc:
        raise ValueError(f"'{shown}' is not a valid URL: {exc}") from None
    if not parts.hostname:
        raise ValueError(f"'{shown}' names no host (e.g. http://127.0.0.1:11434)")
    if port == 0:
        raise ValueError(f"'{shown}' has port 0; give the server's port (1-65535)")


def ollama_host_url(value: str) -> str:
    """OLLAMA_HOST as Ollama's own client reads it, as a URL.

    `host`, `host:port`, `:port`, `[v6]:port`, `scheme://host[:port][/path]`: a missing host
    is 127.0.0.1; a missing port is 11434 without a scheme, 80 for http://, 443 for https://.
    An unspecified address (0.0.0.0, ::), which a server binds to listen everywhere, is
    reached on this machine's loopback. Anything else is a ConfigError naming the variable.
    """
    text = value.strip()

    def bad(why: str) -> ConfigError:
        return ConfigError(
            f"OLLAMA_HOST={shorten(text)!r} is not a usable address: {why}",
            hint="set it to host, host:port or http://host:port, e.g. 127.0.0.1:11434",
        )

    scheme, sep, hostport = text.partition("://")
    if not sep:
        scheme, hostport, port = "http", text, OLLAMA_DEFAULT_PORT
    elif scheme in ("http", "https"):
        port = 80 if scheme == "http" else 443
    else:
        raise bad(f"the scheme must be http or https, not '{shorten(scheme, 20)}'")
    hostport, _, path = hostport.partition("/")
    port_text = ""
    if hostport.startswith("["):
        host, closed, rest = hostport[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            raise bad("an IPv6 address in [brackets] must be followed by nothing or :port")
        port_text = rest[1:]
    elif hostport.count(":") == 1:
        host, port_text = hostport.split(":")
    elif ":" in hostport:  # a bare IPv6 address, without a port
        host = hostport
    else:
        host = hostport
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise bad(f"the port must be a number from 1 to 65535, not '{shorten(port_text, 20)}'")
        port = int(port_text)
    host = host or "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host):
            raise bad(f"'{shorten(host, 40)}' is neither a host name nor an IP address") from None
    else:
        host = _UNSPECIFIED.get(str(address), str(address))
        if ":" in host:
            host = f"[{host}]"
    path = path.strip("/")
    return f"{scheme}://{host}:{port}" + (f"/{path}" if path else "")


def load_agent_config(path: str | Path) -> AgentConfig:
    """Read and validate an agent config YAML; errors name the file and field."""
    path = Path(path)
    config = load_model(path, AgentConfig, "agent config")
    # Relative paths in a config are relative to the config file, not the working dir.
    base = path.resolve().parent
    updates: dict[str, Any] = {"source": path}
    if config.model_path and not config.model_path.is_absolute():
        updates["model_path"] = base / config.model_path
    if config.personas_dirs:
        updates["personas_dirs"] = [
            d if d.is_absolute() else base / d for d in config.personas_dirs
        ]
    return config.model_copy(update=updates)
