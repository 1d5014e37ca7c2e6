"""Which backends exist: each module states its own facts in a `SPEC`; this maps names to them.

backend    hosts                       default num_ctx   model label
ollama     config's hosts / base_url   2048 (Ollama's)   the model tag
embedded   in-process ("embedded")     4096              the GGUF file name
fake       in-process ("fake")         2048              the config's model

backend    settings it acts on                 reloads (cold start) on   residency
ollama     every option, model                 model, num_gpu, num_ctx   GET /api/ps
embedded   num_ctx, sampling, threads, GGUF    any change                -
fake       every option, model                 never                     -
"""

from __future__ import annotations

from chimera.backends import embedded, fake, ollama
from chimera.backends.base import BackendSpec, ChatBackend
from chimera.config.agent import AgentConfig

SPECS: dict[str, BackendSpec] = {s.name: s for s in (ollama.SPEC, embedded.SPEC, fake.SPEC)}


def backend_spec(config: AgentConfig) -> BackendSpec:
    """The spec of the backend `config` names."""
    return SPECS[config.backend]


def build_backend(config: AgentConfig, host: str | None = None) -> ChatBackend:
    """The backend for `config`; `host` picks one of the config's Ollama hosts."""
    return backend_spec(config).build(config, host)
