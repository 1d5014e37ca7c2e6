"""What changed between two past runs: configuration, metrics, findings, grounding.

Two runs are two samples: a delta between them may be noise, so every rendering of a diff
says so and points to `chimera compare`, which repeats runs and gives a verdict with a
confidence interval. Built from the two run.json files alone, read through
`chimera.run_record.load_run` (typed, older schemas upgraded).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chimera.run_record import RunResult, load_run

NOT_A_STATISTIC = (
    "Two runs are not a statistic: a difference between them may be noise. For a verdict,"
    " repeat both with `chimera compare DATA --a A.yaml --b B.yaml --runs 5`."
)
Read = Callable[[RunResult], float | int | None]
# (label, how it is read from a run, unit, higher is better, scale)
_METRICS: tuple[tuple[str, Read, str, bool | None, float], ...] = (
    ("Throughput", lambda r: r.metrics.throughput_tok_s, "tok/s", True, 1.0),
    ("TTFT", lambda r: r.metrics.ttft_ms, "ms", False, 1.0),
    ("Run wall time", lambda r: r.wall_s, "s", False, 1.0),
    ("Total duration", lambda r: r.metrics.total_duration_ms, "ms", False, 1.0),
    ("Tokens generated", lambda r: r.metrics.tokens_generated, "tokens", None, 1.0),
    ("Prompt tokens", lambda r: r.metrics.prompt_tokens, "tokens", None, 1.0),
    ("Prompt eval", lambda r: r.metrics.prompt_eval_ms, "ms", False, 1.0),
    ("Eval duration", lambda r: r.metrics.eval_duration_ms, "ms", False, 1.0),
    ("Load duration", lambda r: r.metrics.load_duration_ms, "ms", False, 1.0),
    ("LLM calls", lambda r: r.metrics.calls, "calls", None, 1.0),
    (
        "Grounding rate",
        lambda r: r.figures_check.grounding_rate if r.figures_check else None,
        "%",
        True,
        100.0,
    ),
    (
        "Persona compliance",
        lambda r: r.compliance.score if r.compliance else None,
        "%",
        True,
        100.0,
    ),
    ("Written by the model", lambda r: r.quality.model_share, "%", None, 100.0),
    ("Echo of the prompt", lambda r: r.quality.echo_share, "%", False, 100.0),
)
# Recorded from schema 2 on: a run written before has nothing to say about them.
_SINCE_SCHEMA_2 = {"Written by the model", "Echo of the prompt"}
_IGNORED_CONFIG = {"source"}


@dataclass
class MetricDelta:
    label: str
    unit: str
    a: float | None
    b: float | None
    higher_is_better: bool | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def delta_pct(self) -> float | None:
        if self.delta is None or not self.a:
            return None
        return 100.0 * self.delta / abs(self.a)

    @property
    def direction(self) -> str:
        """'better', 'worse', 'changed' or 'same' (B against A, in the figure's own sense)."""
        d = self.delta
        if d is None:
            return "not measured" if self.a is None or self.b is None else "same"
        if d == 0:
            return "same"
        if self.higher_is_better is None:
            return "changed"
        return "better" if (d > 0) == self.higher_is_better else "worse"


@dataclass
class RunDiff:
    a_path: Path
    b_path: Path
    a: RunResult
    b: RunResult
    config: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    metrics: list[MetricDelta] = field(default_factory=list)
    findings_added: list[str] = field(default_factory=list)
    findings_gone: list[str] = field(default_factory=list)
    highlights_added: list[str] = field(default_factory=list)
    highlights_gone: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if not prefix and k in _IGNORED_CONFIG:
                continue
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _findings(run: RunResult) -> list[str]:
    """The computed findings when recorded (schema 2), else the analyst's key findings."""
    if run.findings:
        return [f.text for f in run.findings]
    return run.analysis.finding_texts if run.analysis else []


def _number(value: float | int | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _set_diff(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    na, nb = {_norm(x) for x in a}, {_norm(x) for x in b}
    return [x for x in b if _norm(x) not in na], [x for x in a if _norm(x) not in nb]


def diff_runs(a_path: Path, b_path: Path) -> RunDiff:
    a, b = load_run(a_path), load_run(b_path)
    assert a.run_dir is not None and b.run_dir is not None
    diff = RunDiff(a.run_dir, b.run_dir, a, b)
    fa: dict[str, Any] = {}
    fb: dict[str, Any] = {}
    _flatten("", a.config.model_dump(mode="json"), fa)
    _flatten("", b.config.model_dump(mode="json"), fb)
    for key in [*fa, *[k for k in fb if k not in fa]]:
        if fa.get(key) != fb.get(key):
            diff.config[key] = (fa.get(key), fb.get(key))
    if a.data_dir != b.data_dir:
        diff.config["data_dir"] = (a.data_dir, b.data_dir)
    old = min(a.written_schema or 2, b.written_schema or 2) < 2
    for label, read, unit, better, scale in _METRICS:
        va, vb = _number(read(a)), _number(read(b))
        if old and label in _SINCE_SCHEMA_2:
            continue  # a schema 1 run has no quality block: nothing to say
        diff.metrics.append(
            MetricDelta(
                label,
                unit,
                None if va is None else va * scale,
                None if vb is None else vb * scale,
                better,
            )
        )
    for node in dict.fromkeys([*a.node_timings, *b.node_timings]):
        diff.metrics.append(
            MetricDelta(
                f"Node {node}",
                "s",
                _number(a.node_timings.get(node)),
                _number(b.node_timings.get(node)),
                False,
            )
        )
    diff.findings_added, diff.findings_gone = _set_diff(_findings(a), _findings(b))
    ha, hb = [h.text for h in a.highlights], [h.text for h in b.highlights]
    diff.highlights_added, diff.highlights_gone = _set_diff(ha, hb)
    for side, run in (("A", a), ("B", b)):
        if run.status != "ok":
            diff.notes.append(f"Run {side} did not finish ({run.status}): {run.error}")
        if run.resumed:
            diff.notes.append(f"Run {side} was resumed: its timings are partial.")
    if a.written_schema != b.written_schema:
        diff.notes.append(
            f"The runs were written by different versions (run.json schema"
            f" {a.written_schema} and {b.written_schema}): figures only one of"
            " them records are shown as not measured."
        )
    return diff


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    digits = 0 if unit in ("tokens", "calls") else 2
    return f"{value:,.{digits}f} {unit}".strip()


def fmt_delta(m: MetricDelta) -> str:
    if m.delta is None:
        return "n/a"
    digits = 0 if m.unit in ("tokens", "calls") else 2
    pct = "" if m.delta_pct is None else f" ({m.delta_pct:+.1f} %)"
    unit = " pp" if m.unit == "%" else f" {m.unit}"
    return f"{m.delta:+,.{digits}f}{unit}{pct}" if m.unit != "%" else f"{m.delta:+.2f}{unit}"
