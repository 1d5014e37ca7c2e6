"""A run as run.json holds it (`RunResult`), and the one loader every reader of run.json uses.

`load_run(folder)` reads a run.json of any schema Chimera wrote, upgrades it once to the
current one (`upgrade`, each step stated below), and gives the typed `RunResult`: pages,
`chimera runs`, `chimera diff` and `chimera verify` read runs through it, so the schema is
written down here alone. Upgrades, stated once:

- 1 -> 2: the analyst's key findings and recommendations were sentences (now objects with
  their text, the model as author); a figure not traced was "unverified" (now
  "untraced"); findings, sections and quality did not exist (now empty: not recorded).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from chimera.config.agent import AgentConfig
from chimera.errors import ChimeraError, ConfigError, run_failure
from chimera.findings.analysis import Analysis
from chimera.findings.finding import Finding
from chimera.findings.highlights import Highlight
from chimera.grounding.compliance import ComplianceResult
from chimera.grounding.echo import words
from chimera.grounding.figures import FiguresCheck
from chimera.grounding.review import Section
from chimera.host_load import HostLoad
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
    host_load: HostLoad | None = Field(
        None, description="the machine's load around this session; None: not recorded (older)"
    )
    versions: dict[str, str] = Field(default_factory=dict)
    served_by: str | None = Field(
        None, description="set when the server named itself as Chimera's stub: a test run"
    )
    placement: Placement | None = Field(None, description="where it ran (comparisons, sweeps)")
    run_dir: Path | None = None
    report_path: Path | None = None
    written_schema: int | None = Field(
        None, exclude=True, description="the schema its run.json was written in (load_run)"
    )

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def no_model_text_kept(self) -> bool:
        """Whether every section of the report is Chimera's: no text of the model's was kept,
        so the persona's compliance has nothing to judge (0 % read as a text that failed)."""
        return bool(self.sections) and all(s.author != "model" for s in self.sections)

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


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    analysis = data.get("analysis")
    if isinstance(analysis, dict):
        for key in ("key_findings", "recommendations"):
            items = analysis.get(key)
            if isinstance(items, list):
                analysis[key] = [
                    {"text": i, "author": "model"} if isinstance(i, str) else i for i in items
                ]
    check = data.get("figures_check")
    claims = check.get("claims") if isinstance(check, dict) else None
    for claim in claims if isinstance(claims, list) else []:
        if isinstance(claim, dict) and claim.get("status") == "unverified":
            claim["status"] = "untraced"
    return data


# schema version -> the step that upgrades a run.json of it to the next one
UPGRADES = {1: _v1_to_v2}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A run.json's content at the current schema (each step of `UPGRADES` in turn)."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        version = 1
    while version < RUN_SCHEMA_VERSION:
        data = UPGRADES[version](data)
        version += 1
    data["schema_version"] = RUN_SCHEMA_VERSION
    return data


def load_run(path: Path) -> RunResult:
    """The run in a run folder (or its run.json), typed and upgraded; one line when it is
    not one (no run.json, unreadable, not JSON, written by a newer Chimera, malformed)."""
    folder = path.parent if path.name == "run.json" else path
    file = folder / "run.json"
    if not file.is_file():
        raise ConfigError(
            f"{folder} is not a finished run folder (no run.json)",
            hint="pass a folder `chimera run` created; `chimera runs` lists them",
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
    except ValueError as exc:
        raise ConfigError(f"{file} is not valid JSON ({exc})", hint="was it cut short?") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{file} does not hold a JSON object")
    version = data.get("schema_version")
    if isinstance(version, int) and version > RUN_SCHEMA_VERSION:
        raise ConfigError(
            f"{file} is run.json schema {version}; this Chimera reads up to {RUN_SCHEMA_VERSION}",
            hint="upgrade Chimera to read it",
        )
    recorded = version if isinstance(version, int) else 1
    try:
        run = RunResult.model_validate(upgrade(data))
    except ValidationError as exc:
        first = str(exc).splitlines()
        where = first[1] if len(first) > 1 else first[0]
        raise ConfigError(f"{file} cannot be read as a run: {where[:200]}") from None
    return run.model_copy(update={"run_dir": folder, "written_schema": recorded})
