"""Model backends. Each module speaks one wire format; `build_backend` picks one by config."""

from __future__ import annotations

from chimera.backends.base import ChatBackend, ModelReply, measured_call
from chimera.config import AgentConfig

__all__ = ["ChatBackend", "ModelReply", "build_backend", "measured_call"]


def build_backend(config: AgentConfig, host: str | None = None) -> ChatBackend:
    """The backend for `config`; `host` picks one of the config's Ollama hosts.

    Imports are local so that a user of one backend never pays for (or needs) the other.
    """
    if config.backend == "ollama":
        from chimera.backends.ollama import OllamaBackend

        return OllamaBackend(config, host or config.resolve_hosts()[0])
    if config.backend == "embedded":
        from chimera.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(config)
    from chimera.testing.fake_chat import FakeBackend

    return FakeBackend.from_config(config)
