"""RunResult: everything one run produced, as written to run.json (schema-versioned)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from chimera.config.agent import AgentConfig
from chimera.findings.analysis import Analysis
from chimera.findings.highlights import Highlight
from chimera.grounding.compliance import ComplianceResult
from chimera.grounding.figures import FiguresCheck
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory
from chimera.metrics import CallMetrics, RunMetrics

RUN_SCHEMA_VERSION = 1


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
    config: AgentConfig
    config_line: str
    data_dir: str
    node_timings: dict[str, float] = Field(default_factory=dict, description="seconds per node")
    llm_calls: list[CallMetrics] = Field(default_factory=list)
    metrics: RunMetrics
    inventory: Inventory | None = None
    digest: DataDigest | None = None
    highlights: list[Highlight] = Field(default_factory=list)
    analysis: Analysis | None = None
    report_body: str = ""
    prompts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    figures_check: FiguresCheck | None = None
    compliance: ComplianceResult | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    run_dir: Path | None = None
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"
