"""RunResult: everything one run produced, as written to run.json (schema-versioned)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from chimera.config.agent import AgentConfig
from chimera.errors import ChimeraError, run_failure
from chimera.findings.analysis import Analysis
from chimera.findings.finding import Finding
from chimera.findings.highlights import Highlight
from chimera.grounding.compliance import ComplianceResult
from chimera.grounding.echo import words
from chimera.grounding.figures import FiguresCheck
from chimera.grounding.review import Section
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory
from chimera.metrics import CallMetrics, RunMetrics

# 2: findings, sections and quality added; analysis items became objects; claims "untraced".
RUN_SCHEMA_VERSION = 2


class Quality(BaseModel):
    """How far a reader can trust the report's text (each 0-1; None: nothing to measure)."""

    model_share: float | None = Field(None, description="share of the body's words the model wrote")
    echo_share: float | None = Field(None, description="share of the body copied from its prompt")
    grounding_rate: float | None = Field(None, description="figures traced / figures, strictly")
    compliance: float | None = Field(None, description="persona requirements met by the model")

    @classmethod
    def of(
        cls,
        sections: list[Section],
        figures: FiguresCheck | None,
        compliance: ComplianceResult | None,
    ) -> Quality:
        sizes = [(s, len(words(s.text))) for s in sections]
        total = sum(n for _, n in sizes)
        # Findings restated word for word are Chimera's words, not the model's writing.
        model_words = sum(
            n * (1 - (s.findings_share or 0.0)) for s, n in sizes if s.author == "model"
        )
        echoed = sum((s.echo_share or 0.0) * n for s, n in sizes if s.author == "model")
        return cls(
            model_share=model_words / total if total else None,
            echo_share=echoed / total if total else None,
            grounding_rate=figures.grounding_rate if figures else None,
            compliance=compliance.score if compliance else None,
        )


class Placement(BaseModel):
    """Where a run's graph executed: the machine is part of the run's setup."""

    executor: str = Field(description="local, or ray")
    hostname: str
    node_id: str | None = Field(None, description="the Ray node; None when local")
    cpus: float | None = Field(None, description="CPUs of the machine (local) or node (Ray)")
    gpus: float | None = None

    @property
    def machine(self) -> str:
        """The machine as a setting: its host name (and Ray node, short)."""
        return self.hostname if not self.node_id else f"{self.hostname}/{self.node_id[:8]}"


class RunResult(BaseModel):
    schema_version: int = RUN_SCHEMA_VERSION
    run_id: str
    status: Literal["ok", "failed", "interrupted"]
    error: str | None = None
    error_type: str | None = None
    started_at: datetime
    finished_at: datetime
    wall_s: float = Field(description="the whole run, graph start to last node")
    resumed: bool = Field(False, description="continued from a checkpoint; timings are partial")
    sessions: int = Field(1, description="processes the run took (1 + each resume)")
    earlier_wall_s: float | None = Field(
        None, description="wall time of the sessions before this one; None: not measured"
    )

    @property
    def total_wall_s(self) -> float | None:
        """All sessions' wall time; None when an earlier session's was not saved."""
        if self.sessions == 1:
            return self.wall_s
        return None if self.earlier_wall_s is None else self.earlier_wall_s + self.wall_s

    config: AgentConfig
    config_line: str
    data_dir: str
    node_timings: dict[str, float] = Field(default_factory=dict, description="seconds per node")
    llm_calls: list[CallMetrics] = Field(default_factory=list)
    metrics: RunMetrics
    inventory: Inventory | None = None
    digest: DataDigest | None = None
    findings: list[Finding] = Field(default_factory=list)
    highlights: list[Highlight] = Field(default_factory=list)
    analysis: Analysis | None = None
    report_body: str = ""
    sections: list[Section] = Field(default_factory=list)
    prompts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    figures_check: FiguresCheck | None = None
    compliance: ComplianceResult | None = None
    quality: Quality = Field(default_factory=Quality)
    versions: dict[str, str] = Field(default_factory=dict)
    placement: Placement | None = Field(None, description="where it ran (comparisons, sweeps)")
    run_dir: Path | None = None
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def failure(self) -> ChimeraError | None:
        """None for a finished run; else the error it ended with (exit 3 backend, 4 the run)."""
        if self.ok:
            return None
        details = f"details: {self.run_dir / 'run.json'}" if self.run_dir else None
        return run_failure(
            self.error_type, f"run failed: {self.error or self.status}", hint=details
        )

    def raise_for_status(self) -> RunResult:
        """Raise `failure()` when the run failed; return the result when it finished."""
        error = self.failure()
        if error is not None:
            raise error
        return self
