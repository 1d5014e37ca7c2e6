"""Which backends exist: each module states its own facts in a `SPEC`; this maps names to them.

backend    hosts                       default num_ctx   model label
ollama     config's hosts / base_url   2048 (Ollama's)   the model tag
openai     config's hosts / base_url   4096 (llama-server's)  the model id
embedded   in-process ("embedded")     4096              the GGUF file name
fake       in-process ("fake")         2048              the config's model

backend    settings it acts on                 reloads (cold start) on   residency
ollama     every option, model                 model, num_gpu, num_ctx   GET /api/ps
openai     temperature, top_p, seed, num_predict, model   never           -
embedded   num_ctx, sampling, threads, GGUF    any change                -
fake       every option, model                 never                     -

Host names are shown and written with credentials redacted (`BackendSpec.hosts`).
"""

from __future__ import annotations

from chimera.backends import embedded, fake, ollama, openai_compat
from chimera.backends.base import BackendSpec, ChatBackend
from chimera.config.agent import AgentConfig

SPECS: dict[str, BackendSpec] = {
    s.name: s for s in (ollama.SPEC, openai_compat.SPEC, embedded.SPEC, fake.SPEC)
}


def backend_spec(config: AgentConfig) -> BackendSpec:
    """The spec of the backend `config` names."""
    return SPECS[config.backend]


def build_backend(config: AgentConfig, host: str | None = None) -> ChatBackend:
    """The backend for `config`; `host` picks one of the config's Ollama hosts."""
    return backend_spec(config).build(config, host)
