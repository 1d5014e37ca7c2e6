"""What a comparison is and what it yields: its plan, repetitions and statistics.

The models written to a comparison folder (`plan.json`, `run_N/metrics.json`,
`summary.json`), the per-agent figures compared across variants, and `aggregate`, which
turns finished repetitions into summaries, deltas with bootstrap CIs and verdicts. Running
a comparison is `chimera.comparison.execution`; rendering its summary is
`chimera.comparison.summary`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from chimera.config.agent import AgentConfig
from chimera.errors import ConfigError
from chimera.execution.result import RunResult
from chimera.execution.runner import package_versions
from chimera.statistics import (
    SIGN_CONVENTION,
    ConcurrencyFigures,
    DeltaCI,
    Summary,
    compare_figure,
    summarize,
)

COMPARE_SCHEMA_VERSION = 1
PLAN_FILE = "plan.json"
Mode = Literal["concurrent", "sequential"]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    read: Callable[[RunResult], float | None]


def _grounding(r: RunResult) -> float | None:
    rate = r.figures_check.grounding_rate if r.figures_check else None
    return None if rate is None else rate * 100.0


def _compliance(r: RunResult) -> float | None:
    score = r.compliance.score if r.compliance else None
    return None if score is None else score * 100.0


# The per-agent figures compared across variants; the first two get verdicts up front.
FIGURES: tuple[Figure, ...] = (
    Figure("throughput_tok_s", "Throughput", "tok/s", True, lambda r: r.metrics.throughput_tok_s),
    Figure("ttft_ms", "TTFT", "ms", False, lambda r: r.metrics.ttft_ms),
    Figure("wall_s", "Run wall time", "s", False, lambda r: r.wall_s),
    Figure(
        "total_duration_ms", "Total duration", "ms", False, lambda r: r.metrics.total_duration_ms
    ),
    Figure(
        "tokens_generated",
        "Tokens generated",
        "tokens",
        True,
        lambda r: None if r.metrics.tokens_generated is None else float(r.metrics.tokens_generated),
    ),
    Figure("load_duration_ms", "Load duration", "ms", False, lambda r: r.metrics.load_duration_ms),
    Figure("grounding_rate_pct", "Grounding rate", "%", True, _grounding),
    Figure("compliance_pct", "Persona compliance", "%", True, _compliance),
)


class Variant(BaseModel):
    label: str  # "A", "B", ...
    config: AgentConfig


class AgentRep(BaseModel):
    """One variant's run in one repetition."""

    variant: str
    agent: str
    status: Literal["ok", "failed"]
    error: str | None = None
    host: str | None = None
    started_offset_s: float = Field(description="start, relative to the repetition's start")
    wall_s: float
    node_timings: dict[str, float] = Field(default_factory=dict)
    figures: dict[str, float | None] = Field(default_factory=dict)
    run_dir: str | None = None


class Repetition(BaseModel):
    index: int  # 1-based
    warmup: bool
    mode: Mode
    order: list[str] = Field(description="variants in the order they started")
    wall_s: float = Field(description="the repetition's wall time (all its runs)")
    agents: list[AgentRep]
    concurrency: ConcurrencyFigures | None = None


class ComparePlan(BaseModel):
    """Everything needed to run, or resume, a comparison."""

    schema_version: int = COMPARE_SCHEMA_VERSION
    data_dir: str
    variants: list[Variant]
    runs: int
    warmup: int
    mode: Mode
    personas_dirs: list[str] = Field(default_factory=list)
    seed: int = Field(0, ge=0, description="seed of the bootstrap resampling")


class ComparisonResult(BaseModel):
    schema_version: int = COMPARE_SCHEMA_VERSION
    comparison_id: str
    started_at: datetime
    finished_at: datetime
    plan: ComparePlan
    sign_convention: str = SIGN_CONVENTION
    config_diff: dict[str, dict[str, Any]]
    repetitions: list[Repetition]
    aggregates: dict[str, dict[str, Summary]] = Field(description="variant -> figure -> summary")
    deltas: dict[str, list[DeltaCI]] = Field(description="'B vs A' -> one DeltaCI per figure")
    concurrency: dict[str, Summary] = Field(default_factory=dict)
    failures: dict[str, int]
    hosts: dict[str, dict[str, int]] = Field(description="variant -> host -> runs")
    versions: dict[str, str]
    out_dir: str | None = None
    data_digest_s: float | None = Field(
        None, description="seconds spent digesting the data once, before the repetitions"
    )
    data_redigests: int = Field(
        0, description="digests computed during the runs because files changed meanwhile"
    )

    @property
    def measured(self) -> list[Repetition]:
        return [r for r in self.repetitions if not r.warmup]

    def failed_variants(self) -> list[str]:
        """Variants none of whose measured runs finished: nothing of them can be compared."""
        runs = {v.label: 0 for v in self.plan.variants}
        for rep in self.measured:
            for agent in rep.agents:
                runs[agent.variant] = runs.get(agent.variant, 0) + 1
        return [label for label, n in runs.items() if n and self.failures.get(label, 0) >= n]


def shared_names(configs: Sequence[AgentConfig]) -> list[str]:
    """Names that two or more configs of one comparison share (each named once)."""
    names = [c.name for c in configs]
    return sorted({n for n in names if names.count(n) > 1})


def config_diff(variants: Sequence[Variant]) -> dict[str, dict[str, Any]]:
    """Only the settings that differ between variants: setting -> variant -> value."""
    flat: dict[str, dict[str, Any]] = {}
    for v in variants:
        dumped = v.config.model_dump(mode="json", exclude={"source", "name", "agent_type"})
        options = dumped.pop("options")
        values = {**dumped, **{f"options.{k}": o for k, o in options.items()}}
        for key, value in values.items():
            flat.setdefault(key, {})[v.label] = "default" if value is None else value
    return {k: vals for k, vals in flat.items() if len({repr(x) for x in vals.values()}) > 1}


def variant_labels(count: int) -> list[str]:
    """A, B, ..., Z, then AA, AB, ... (as spreadsheet columns): unique, and letters only,
    so every label makes its own folder name."""
    labels = []
    for index in range(count):
        label = ""
        index += 1
        while index:
            index, rest = divmod(index - 1, 26)
            label = chr(ord("A") + rest) + label
        labels.append(label)
    return labels


def make_plan(
    data_dir: Path,
    configs: Sequence[AgentConfig],
    *,
    runs: int,
    warmup: int,
    mode: Mode,
    personas_dirs: Sequence[str | Path],
    seed: int,
) -> ComparePlan:
    if len(configs) < 2:
        raise ConfigError(
            "a comparison needs at least two configs (--a and --b, or --config twice)"
        )
    if runs < 1:
        raise ConfigError(f"--runs must be at least 1, got {runs}")
    if warmup < 0:
        raise ConfigError(f"--warmup must not be negative, got {warmup}")
    if seed < 0:
        # numpy refuses a negative seed, but only when the summary is computed: after every run.
        raise ConfigError(f"--seed must not be negative, got {seed}")
    labels = variant_labels(len(configs))
    return ComparePlan(
        data_dir=str(data_dir),
        variants=[Variant(label=lab, config=c) for lab, c in zip(labels, configs, strict=True)],
        runs=runs,
        warmup=warmup,
        mode=mode,
        personas_dirs=[str(p) for p in personas_dirs],
        seed=seed,
    )


def _named(
    figure: Figure,
    other: str,
    base: str,
    per_variant: dict[str, dict[str, list[float | None]]],
    seed: int,
) -> DeltaCI:
    """One figure's delta, its verdict starting with the figure it is about."""
    delta = compare_figure(
        figure.label,
        figure.unit,
        per_variant[base][figure.key],
        per_variant[other][figure.key],
        higher_is_better=figure.higher_is_better,
        paired=True,
        seed=seed,
    )
    # "B faster by 12.3 % [8.1, 16.0]" alone does not say of what, once taken out of the list.
    # The statistics call the second variant B; in "C vs A" it is C.
    said = delta.verdict
    if other != "B" and said.startswith("B "):
        said = f"{other} {said[2:]}"
    return delta.model_copy(update={"verdict": f"{figure.label}: {said}"})


def aggregate(
    plan: ComparePlan,
    repetitions: list[Repetition],
    *,
    comparison_id: str,
    started_at: datetime,
    out_dir: Path | None,
    data_digest_s: float | None = None,
    data_redigests: int = 0,
) -> ComparisonResult:
    """Statistics over the measured repetitions; failed runs are counted, not used."""
    measured = sorted((r for r in repetitions if not r.warmup), key=lambda r: r.index)
    labels = [v.label for v in plan.variants]
    per_variant: dict[str, dict[str, list[float | None]]] = {
        label: {f.key: [] for f in FIGURES} for label in labels
    }
    failures = dict.fromkeys(labels, 0)
    hosts: dict[str, dict[str, int]] = {label: {} for label in labels}
    backends = {v.label: v.config.backend for v in plan.variants}
    for rep in measured:
        by_variant = {a.variant: a for a in rep.agents}
        for label in labels:
            agent = by_variant.get(label)
            if agent is None:
                continue
            host = agent.host or backends[label]  # in-process backends run "on" their name
            hosts[label][host] = hosts[label].get(host, 0) + 1
            if agent.status != "ok":
                failures[label] += 1
            for f in FIGURES:
                # Index-aligned across variants (None for failures) so deltas can be paired.
                value = agent.figures.get(f.key) if agent.status == "ok" else None
                if value is not None and not math.isfinite(value):
                    value = None  # not a measurement (older metrics.json): never averaged
                per_variant[label][f.key].append(value)
    aggregates = {
        label: {f.key: summarize(per_variant[label][f.key]) for f in FIGURES} for label in labels
    }
    deltas: dict[str, list[DeltaCI]] = {}
    base = labels[0]
    for other in labels[1:]:
        deltas[f"{other} vs {base}"] = [
            _named(f, other, base, per_variant, plan.seed) for f in FIGURES
        ]
    concurrency: dict[str, Summary] = {}
    # Only whole repetitions: a failed run's short wall would flatter the speedup.
    figs = [
        r.concurrency for r in measured if r.concurrency and all(a.status == "ok" for a in r.agents)
    ]
    if figs:
        concurrency = {
            "speedup": summarize([c.speedup for c in figs]),
            "efficiency_pct": summarize([c.efficiency_pct for c in figs]),
            "concurrent_wall_s": summarize([c.concurrent_wall for c in figs]),
        }
    return ComparisonResult(
        comparison_id=comparison_id,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        plan=plan,
        config_diff=config_diff(plan.variants),
        repetitions=sorted(repetitions, key=lambda r: (not r.warmup, r.index)),
        aggregates=aggregates,
        deltas=deltas,
        concurrency=concurrency,
        failures=failures,
        hosts=hosts,
        versions=package_versions(),
        out_dir=str(out_dir) if out_dir else None,
        data_digest_s=data_digest_s,
        data_redigests=data_redigests,
    )
