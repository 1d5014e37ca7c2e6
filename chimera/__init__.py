"""Chimera: multi-agent orchestration for LLM-operations analysis.

    import chimera
    result = chimera.run("examples/data", config="configs/agent_b.yaml")
    print(result.report_path, result.metrics.throughput_tok_s)

`analyse(data_dir)` gives the digest and the computed findings without any model call;
`build_insight_graph()` gives the uncompiled LangGraph for streaming or extending.
The graph and runners import lazily, so `import chimera.errors` (or `chimera --version`)
does not pay for LangGraph, pandas and llama.cpp.
"""

from importlib import import_module
from typing import Any

from chimera._version import __version__
from chimera.errors import (
    BackendError,
    BackendProtocolError,
    BackendTimeout,
    BackendUnreachable,
    ChimeraError,
    ConfigError,
    DataError,
    FolderInUse,
    ModelMissing,
    OutputError,
    RunFailed,
    RunInterrupted,
)

_LAZY = {
    "AgentConfig": "chimera.config.agent",
    "ModelOptions": "chimera.config.agent",
    "load_agent_config": "chimera.config.agent",
    "build_insight_graph": "chimera.graphs.insight",
    "compile_insight_graph": "chimera.graphs.insight",
    "IngestCache": "chimera.ingest.cache",
    "CallMetrics": "chimera.metrics",
    "RunMetrics": "chimera.metrics",
    "Persona": "chimera.config.personas",
    "PersonaLibrary": "chimera.config.personas",
    "RunResult": "chimera.execution.result",
    "DataFindings": "chimera.execution.data_findings",
    "analyse": "chimera.execution.data_findings",
    "ProgressEvent": "chimera.execution.runner",
    "print_progress": "chimera.execution.runner",
    "arun": "chimera.execution.runner",
    "run": "chimera.execution.runner",
    "ComparisonResult": "chimera.comparison.models",
    "acompare": "chimera.comparison.execution",
    "compare": "chimera.comparison.execution",
    "SweepResult": "chimera.sweep.results",
    "plan_sweep": "chimera.sweep.execution",
    "asweep": "chimera.sweep.execution",
    "run_sweep": "chimera.sweep.execution",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'chimera' has no attribute {name!r}")


def __dir__() -> list[str]:
    # The lazy names too, so dir(chimera) and tab completion show the whole public API.
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AgentConfig",
    "BackendError",
    "BackendProtocolError",
    "BackendTimeout",
    "BackendUnreachable",
    "CallMetrics",
    "ChimeraError",
    "ComparisonResult",
    "ConfigError",
    "DataError",
    "DataFindings",
    "FolderInUse",
    "IngestCache",
    "ModelMissing",
    "ModelOptions",
    "OutputError",
    "Persona",
    "PersonaLibrary",
    "ProgressEvent",
    "RunFailed",
    "RunInterrupted",
    "RunMetrics",
    "RunResult",
    "SweepResult",
    "__version__",
    "acompare",
    "analyse",
    "arun",
    "asweep",
    "build_insight_graph",
    "compare",
    "compile_insight_graph",
    "load_agent_config",
    "plan_sweep",
    "print_progress",
    "run",
    "run_sweep",
]
