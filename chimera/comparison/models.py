"""What a comparison is and what it yields: its plan, repetitions and statistics.

The models written to a comparison folder (`plan.json`, `run_N/metrics.json`,
`summary.json`), the per-agent figures compared across variants, and `aggregate`, which
turns finished repetitions into summaries, deltas with Student-t intervals and verdicts
(Holm-corrected when several variants face the baseline; see `chimera.statistics`), and
concurrency figures against the walls of solo repetitions. Running
a comparison is `chimera.comparison.execution`; rendering its summary is
`chimera.comparison.summary`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from chimera.config.agent import AgentConfig
from chimera.engine.aggregate import Values, against_baseline, named, summaries
from chimera.engine.dispatch import check_size
from chimera.errors import ConfigError
from chimera.execution.result import Placement
from chimera.run_figures import FIGURES
from chimera.statistics import (
    CONTENTION_SLOWDOWN_PCT,
    MIN_RUNS_FOR_VERDICT,
    SIGN_CONVENTION,
    ConcurrencyFigures,
    DeltaCI,
    Summary,
    concurrency_figures,
    summarize,
)
from chimera.versions import package_versions

COMPARE_SCHEMA_VERSION = 1
PLAN_FILE = "plan.json"
Mode = Literal["concurrent", "sequential"]
RepKind = Literal["warmup", "solo", "run"]


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
    placement: Placement | None = Field(None, description="where the run executed")
    attempts: int = Field(1, description="> 1: its Ray worker died mid-run and it ran again")
    busy: str | None = Field(
        None, description="why its machine counted as busy while it ran (None: quiet or unknown)"
    )
    served_by: str | None = Field(
        None, description="set when Chimera's stub server answered: a test run, not a measurement"
    )


class Repetition(BaseModel):
    index: int  # 1-based
    warmup: bool
    mode: Mode
    order: list[str] = Field(description="variants in the order they started")
    wall_s: float = Field(description="the repetition's wall time (all its runs)")
    agents: list[AgentRep]
    concurrency: ConcurrencyFigures | None = None
    solo: bool = Field(
        False, description="each variant ran alone, one after another: the uncontended walls"
    )

    @property
    def kind(self) -> RepKind:
        """Its folder's prefix: warmup_N, solo_N or run_N."""
        return "warmup" if self.warmup else "solo" if self.solo else "run"


class ComparePlan(BaseModel):
    """Everything needed to run, or resume, a comparison."""

    schema_version: int = COMPARE_SCHEMA_VERSION
    data_dir: str
    variants: list[Variant]
    runs: int
    warmup: int
    mode: Mode
    personas_dirs: list[str] = Field(default_factory=list)
    solo_runs: int = Field(
        0, description="repetitions where each variant runs alone (concurrent mode's reference)"
    )


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
    alone_wall_s: dict[str, Summary] = Field(
        default_factory=dict, description="variant -> its wall in the solo repetitions"
    )
    contention: bool | None = Field(
        None, description="mean slowdown against the solo walls reached the threshold"
    )
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
    executor: str = Field("local", description="local, or ray: where the runs executed")
    retried_runs: int = Field(0, description="runs done again after their Ray worker died")
    machines: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="variant -> machine its measured runs ran on -> runs"
    )

    @property
    def measured(self) -> list[Repetition]:
        return [r for r in self.repetitions if r.kind == "run"]

    @property
    def solo(self) -> list[Repetition]:
        return [r for r in self.repetitions if r.kind == "solo"]

    def solo_note(self) -> str | None:
        """A warning when the solo reference (walls alone) is too thin to lean on."""
        if not self.alone_wall_s:
            return None
        fewest = min(s.n for s in self.alone_wall_s.values())
        if fewest >= MIN_RUNS_FOR_VERDICT:
            return None
        return (
            f"the solo reference is {fewest} run{'s' if fewest != 1 else ''} per agent, so the"
            " strict figures and the slowdown rest on it alone (no spread);"
            f" use --solo-runs {MIN_RUNS_FOR_VERDICT} for a reference to lean on"
        )

    def busy_note(self) -> str | None:
        """A warning when measured runs ran while other work loaded the machine: their
        timings say as much about the neighbours as about the config."""
        runs = [a for r in self.measured for a in r.agents]
        busy = [a for a in runs if a.busy]
        if not busy:
            return None
        per_variant = ", ".join(
            f"{label} {sum(a.variant == label for a in busy)}"
            for label in dict.fromkeys(a.variant for a in busy)
        )
        return (
            f"{len(busy)} of {len(runs)} measured runs ran on a busy machine ({per_variant};"
            f" e.g. {busy[0].busy}): repeat on a quiet machine before trusting a small difference"
        )

    def served_note(self) -> str | None:
        """Set when Chimera's stub answered some measured runs: their figures are a test's."""
        runs = [a for r in self.measured for a in r.agents]
        stub = [a for a in runs if a.served_by]
        if not stub:
            return None
        return f"{len(stub)} of {len(runs)} measured runs were answered by {stub[0].served_by}"

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
    solo_runs: int | None = None,
) -> ComparePlan:
    if len(configs) < 2:
        raise ConfigError(
            "a comparison needs at least two configs (--a and --b, or --config twice)"
        )
    if runs < 1:
        raise ConfigError(f"--runs must be at least 1, got {runs}")
    if warmup < 0:
        raise ConfigError(f"--warmup must not be negative, got {warmup}")
    if solo_runs is None:
        solo_runs = 1 if mode == "concurrent" else 0
    if solo_runs < 0:
        raise ConfigError(f"--solo-runs must not be negative, got {solo_runs}")
    if solo_runs and mode == "sequential":
        raise ConfigError("--solo-runs applies to concurrent mode (sequential runs are all solo)")
    check_size(len(configs), runs + warmup + solo_runs, "comparison", "configs")
    labels = variant_labels(len(configs))
    return ComparePlan(
        data_dir=str(data_dir),
        variants=[Variant(label=lab, config=c) for lab, c in zip(labels, configs, strict=True)],
        runs=runs,
        warmup=warmup,
        mode=mode,
        personas_dirs=[str(p) for p in personas_dirs],
        solo_runs=solo_runs,
    )


@dataclass
class _Measured:
    """The measured repetitions per variant: values aligned by repetition, counts."""

    values: Values
    failures: dict[str, int]
    hosts: dict[str, dict[str, int]]
    machines: dict[str, dict[str, int]]


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _measured(plan: ComparePlan, measured: Sequence[Repetition]) -> _Measured:
    """Each variant's figures, index-aligned across variants (None for a failure or a
    non-finite value) so deltas can be paired; failures, hosts and machines counted."""
    labels = [v.label for v in plan.variants]
    out = _Measured(
        values={label: {f.key: [] for f in FIGURES} for label in labels},
        failures=dict.fromkeys(labels, 0),
        hosts={label: {} for label in labels},
        machines={label: {} for label in labels},
    )
    backends = {v.label: v.config.backend for v in plan.variants}
    for rep in measured:
        by_variant = {a.variant: a for a in rep.agents}
        for label in labels:
            agent = by_variant.get(label)
            if agent is None:
                continue
            # in-process backends run "on" their name
            _count(out.hosts[label], agent.host or backends[label])
            if agent.placement is not None:
                _count(out.machines[label], agent.placement.machine)
            ok = agent.status == "ok"
            out.failures[label] += 0 if ok else 1
            for f in FIGURES:
                value = agent.figures.get(f.key) if ok else None
                finite = value is not None and math.isfinite(value)
                out.values[label][f.key].append(value if finite else None)
    return out


def _concurrency(measured: Sequence[Repetition]) -> tuple[dict[str, Summary], bool | None]:
    """Concurrency figures over whole repetitions (a failed run's short wall would flatter
    the speedup), and contention: the mean slowdown reached the threshold."""
    figs = [
        r.concurrency for r in measured if r.concurrency and all(a.status == "ok" for a in r.agents)
    ]
    if not figs:
        return {}, None
    concurrency = {
        "speedup": summarize([c.speedup for c in figs]),
        "efficiency_pct": summarize([c.efficiency_pct for c in figs]),
        "concurrent_wall_s": summarize([c.concurrent_wall for c in figs]),
    }
    if any(c.strict_speedup is not None for c in figs):
        concurrency |= {
            "strict_speedup": summarize([c.strict_speedup for c in figs]),
            "strict_efficiency_pct": summarize([c.strict_efficiency_pct for c in figs]),
            "slowdown_pct": summarize([c.slowdown_pct for c in figs]),
        }
    slowdown = concurrency.get("slowdown_pct")
    if slowdown is None or slowdown.mean is None:
        return concurrency, None
    return concurrency, slowdown.mean >= CONTENTION_SLOWDOWN_PCT


def aggregate(
    plan: ComparePlan,
    repetitions: list[Repetition],
    *,
    comparison_id: str,
    started_at: datetime,
    out_dir: Path | None,
    data_digest_s: float | None = None,
    data_redigests: int = 0,
    executor: str = "local",
) -> ComparisonResult:
    """Statistics over the measured repetitions; failed runs are counted, not used."""
    measured = sorted((r for r in repetitions if r.kind == "run"), key=lambda r: r.index)
    labels = [v.label for v in plan.variants]
    seen = _measured(plan, measured)
    base, others = labels[0], labels[1:]
    per_figure = [against_baseline(f, seen.values, base, others) for f in FIGURES]
    deltas = {
        f"{other} vs {base}": [
            named(f, by_other[other]) for f, by_other in zip(FIGURES, per_figure, strict=True)
        ]
        for other in others
    }
    alone = _alone_walls(repetitions, labels)
    measured = [_with_strict_concurrency(rep, labels, alone) for rep in measured]
    concurrency, contention = _concurrency(measured)
    others_reps = [r for r in repetitions if r.kind != "run"]
    return ComparisonResult(
        comparison_id=comparison_id,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        plan=plan,
        config_diff=config_diff(plan.variants),
        repetitions=sorted(others_reps + measured, key=lambda r: (_KIND_ORDER[r.kind], r.index)),
        aggregates=summaries(seen.values, FIGURES),
        deltas=deltas,
        concurrency=concurrency,
        alone_wall_s={label: summarize(walls) for label, walls in alone.items() if walls},
        contention=contention,
        failures=seen.failures,
        hosts=seen.hosts,
        versions=package_versions(),
        out_dir=str(out_dir) if out_dir else None,
        data_digest_s=data_digest_s,
        data_redigests=data_redigests,
        executor=executor,
        retried_runs=sum(a.attempts - 1 for r in repetitions for a in r.agents),
        machines=seen.machines,
    )


_KIND_ORDER: dict[str, int] = {"warmup": 0, "solo": 1, "run": 2}


def _alone_walls(repetitions: Sequence[Repetition], labels: Sequence[str]) -> dict[str, list]:
    """Each variant's walls in the solo repetitions (successful runs only)."""
    alone: dict[str, list] = {label: [] for label in labels}
    for rep in repetitions:
        if rep.kind == "solo":
            for agent in rep.agents:
                if agent.status == "ok" and agent.variant in alone:
                    alone[agent.variant].append(agent.wall_s)
    return alone


def _with_strict_concurrency(
    rep: Repetition, labels: Sequence[str], alone: dict[str, list]
) -> Repetition:
    """The repetition's concurrency figures with the strict ones, when every variant it ran
    has a solo wall (their median) to compare with."""
    if rep.concurrency is None or rep.wall_s <= 0:
        return rep
    agents = sorted(rep.agents, key=lambda a: labels.index(a.variant))
    if not all(alone.get(a.variant) for a in agents):
        return rep
    reference = [float(np.median(alone[a.variant])) for a in agents]
    figures = concurrency_figures([a.wall_s for a in agents], rep.wall_s, reference)
    return rep.model_copy(update={"concurrency": figures})
