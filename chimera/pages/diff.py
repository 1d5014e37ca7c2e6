"""What changed between two past runs: configuration, metrics, findings, grounding.

Two runs are two samples: a delta between them may be noise, so every rendering of a diff
says so and points to `chimera compare`, which repeats runs and gives a verdict with a
confidence interval. Built from the two run.json files alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chimera.errors import ConfigError
from chimera.pages.runfile import as_dict, as_list, get, item_text, number, read_json

NOT_A_STATISTIC = (
    "Two runs are not a statistic: a difference between them may be noise. For a verdict,"
    " repeat both with `chimera compare DATA --a A.yaml --b B.yaml --runs 5`."
)
# (label, path in run.json, unit, higher is better, scale)
_METRICS: tuple[tuple[str, tuple[str, ...], str, bool | None, float], ...] = (
    ("Throughput", ("metrics", "throughput_tok_s"), "tok/s", True, 1.0),
    ("TTFT", ("metrics", "ttft_ms"), "ms", False, 1.0),
    ("Run wall time", ("wall_s",), "s", False, 1.0),
    ("Total duration", ("metrics", "total_duration_ms"), "ms", False, 1.0),
    ("Tokens generated", ("metrics", "tokens_generated"), "tokens", None, 1.0),
    ("Prompt tokens", ("metrics", "prompt_tokens"), "tokens", None, 1.0),
    ("Prompt eval", ("metrics", "prompt_eval_ms"), "ms", False, 1.0),
    ("Eval duration", ("metrics", "eval_duration_ms"), "ms", False, 1.0),
    ("Load duration", ("metrics", "load_duration_ms"), "ms", False, 1.0),
    ("LLM calls", ("metrics", "calls"), "calls", None, 1.0),
    ("Grounding rate", ("figures_check", "grounding_rate"), "%", True, 100.0),
    ("Persona compliance", ("compliance", "score"), "%", True, 100.0),
    ("Written by the model", ("quality", "model_share"), "%", None, 100.0),
    ("Echo of the prompt", ("quality", "echo_share"), "%", False, 100.0),
)
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
    a: dict[str, Any]
    b: dict[str, Any]
    config: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    metrics: list[MetricDelta] = field(default_factory=list)
    findings_added: list[str] = field(default_factory=list)
    findings_gone: list[str] = field(default_factory=list)
    highlights_added: list[str] = field(default_factory=list)
    highlights_gone: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_run(path: Path) -> tuple[Path, dict[str, Any]]:
    """A run folder (or its run.json) and its run.json as a dict; exit 2 when it is not one."""
    folder = path.parent if path.name == "run.json" else path
    if not (folder / "run.json").is_file():
        raise ConfigError(
            f"{folder} is not a finished run folder (no run.json)",
            hint="pass a folder `chimera run` created; `chimera runs` lists them",
        )
    return folder, read_json(folder / "run.json")


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


def _findings(run: dict[str, Any]) -> list[str]:
    """Schema 2's computed findings by title when present, else the analyst's key findings."""
    computed = [f for f in as_list(run.get("findings")) if isinstance(f, dict)]
    if computed:
        return [str(f.get("text") or f.get("title") or "") for f in computed]
    return [item_text(i) for i in as_list(get(run, "analysis", "key_findings"))]


def _set_diff(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    na, nb = {_norm(x) for x in a}, {_norm(x) for x in b}
    return [x for x in b if _norm(x) not in na], [x for x in a if _norm(x) not in nb]


def diff_runs(a_path: Path, b_path: Path) -> RunDiff:
    a_folder, a = load_run(a_path)
    b_folder, b = load_run(b_path)
    diff = RunDiff(a_folder, b_folder, a, b)
    fa: dict[str, Any] = {}
    fb: dict[str, Any] = {}
    _flatten("", as_dict(a.get("config")), fa)
    _flatten("", as_dict(b.get("config")), fb)
    for key in [*fa, *[k for k in fb if k not in fa]]:
        if fa.get(key) != fb.get(key):
            diff.config[key] = (fa.get(key), fb.get(key))
    if a.get("data_dir") != b.get("data_dir"):
        diff.config["data_dir"] = (a.get("data_dir"), b.get("data_dir"))
    for label, path, unit, better, scale in _METRICS:
        va, vb = number(get(a, *path)), number(get(b, *path))
        if va is None and vb is None and path[0] == "quality":
            continue  # schema 1 has no quality block: nothing to say
        diff.metrics.append(
            MetricDelta(
                label,
                unit,
                None if va is None else va * scale,
                None if vb is None else vb * scale,
                better,
            )
        )
    nodes = [*as_dict(a.get("node_timings")), *as_dict(b.get("node_timings"))]
    for node in dict.fromkeys(nodes):
        diff.metrics.append(
            MetricDelta(
                f"Node {node}",
                "s",
                number(get(a, "node_timings", node)),
                number(get(b, "node_timings", node)),
                False,
            )
        )
    diff.findings_added, diff.findings_gone = _set_diff(_findings(a), _findings(b))
    ha = [str(h.get("text")) for h in as_list(a.get("highlights")) if isinstance(h, dict)]
    hb = [str(h.get("text")) for h in as_list(b.get("highlights")) if isinstance(h, dict)]
    diff.highlights_added, diff.highlights_gone = _set_diff(ha, hb)
    for side, run in (("A", a), ("B", b)):
        if run.get("status") != "ok":
            diff.notes.append(
                f"Run {side} did not finish ({run.get('status')}): {run.get('error')}"
            )
        if run.get("resumed"):
            diff.notes.append(f"Run {side} was resumed: its timings are partial.")
    if a.get("schema_version") != b.get("schema_version"):
        diff.notes.append(
            f"The runs were written by different versions (run.json schema"
            f" {a.get('schema_version')} and {b.get('schema_version')}): figures only one of"
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
