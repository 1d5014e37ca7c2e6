"""What is in an output folder: every run, comparison and sweep, newest first.

Chimera's own folders carry the `.chimera.json` marker (see chimera.execution.runstore);
folders written before the marker existed are recognised by their run.json (a run) or
plan.json (a comparison). Each entry is read from the folder's JSON files as they are, so
a run that never finished is listed as incomplete instead of being skipped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chimera.errors import ChimeraError
from chimera.execution.runstore import output_kind
from chimera.pages.runfile import as_dict, as_list, get, number, read_json, when
from chimera.run_record import load_run

DEFAULT_FOLDERS = ("runs", "comparisons", "sweeps")
RUN_PAGE = "report.html"
SUMMARY_PAGE = "summary.html"
INDEX_PAGE = "index.html"


@dataclass
class Entry:
    """One line of the history."""

    path: str
    kind: str  # run, comparison, sweep
    when: datetime | None
    agents: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    status: str = "unknown"
    throughput_tok_s: list[float | None] = field(default_factory=list)  # one per agent
    ttft_ms: list[float | None] = field(default_factory=list)
    grounding: list[float | None] = field(default_factory=list)  # 0-1 share
    page: str | None = None  # the folder's HTML page, when it exists
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["when"] = self.when.isoformat() if self.when else None
        return data


def kind_of(folder: Path) -> str | None:
    """run, comparison or sweep for a folder Chimera wrote (marker first), else None."""
    kind = output_kind(folder)
    if kind:
        return kind
    if (folder / "run.json").is_file() or (folder / "request.json").is_file():
        return "run"
    if (folder / "plan.json").is_file():
        return "comparison"
    return None


def _marker_time(folder: Path) -> datetime | None:
    try:
        created = when(read_json(folder / ".chimera.json").get("created"))
    except ChimeraError:
        created = None
    if created:
        return created
    try:
        return datetime.fromtimestamp(folder.stat().st_mtime, UTC)
    except OSError:
        return None


def _page(folder: Path, name: str) -> str | None:
    return str(folder / name) if (folder / name).is_file() else None


def run_entry(folder: Path) -> Entry:
    if not (folder / "run.json").is_file():
        return Entry(
            str(folder),
            "run",
            _marker_time(folder),
            status="incomplete",
            note="no run.json: the run was stopped before it finished",
        )
    try:
        run = load_run(folder)
    except ChimeraError as exc:
        return Entry(str(folder), "run", _marker_time(folder), status="unreadable", note=str(exc))
    model = next((c.model for c in run.llm_calls if c.model), None) or run.config.model
    if model and run.served_by:
        model = f"{model} (stub)"  # a test run, not a measurement of a real server
    return Entry(
        path=str(folder),
        kind="run",
        when=run.started_at,
        agents=[run.config.name],
        models=[model] if model else [],
        status=run.status,
        throughput_tok_s=[number(run.metrics.throughput_tok_s)],
        ttft_ms=[number(run.metrics.ttft_ms)],
        grounding=[number(run.figures_check.grounding_rate if run.figures_check else None)],
        page=_page(folder, RUN_PAGE),
    )


def comparison_entry(folder: Path) -> Entry:
    summary_path = folder / "summary.json"
    try:
        if summary_path.is_file():
            data = read_json(summary_path)
            plan = as_dict(data.get("plan"))
        else:
            data = {}
            plan = read_json(folder / "plan.json")
    except ChimeraError as exc:
        return Entry(
            str(folder), "comparison", _marker_time(folder), status="unreadable", note=str(exc)
        )
    variants = [v for v in as_list(plan.get("variants")) if isinstance(v, dict)]
    labels = [str(v.get("label") or "?") for v in variants]
    entry = Entry(
        path=str(folder),
        kind="comparison",
        when=when(data.get("started_at")) or _marker_time(folder),
        agents=[
            f"{lab}: {get(v, 'config', 'name') or '?'}"
            for lab, v in zip(labels, variants, strict=True)
        ],
        models=[str(get(v, "config", "model") or "?") for v in variants],
        page=_page(folder, SUMMARY_PAGE),
    )
    if not data:
        entry.status = "incomplete"
        entry.note = "no summary.json: finish it with `chimera resume`"
        return entry
    reps = [  # measured repetitions only, as the summary counts them
        as_dict(a)
        for r in as_list(data.get("repetitions"))
        if not get(r, "warmup")
        for a in as_list(get(r, "agents"))
    ]
    stub = {str(a.get("variant")) for a in reps if a.get("served_by")}
    entry.models = [
        f"{m} (stub)" if lab in stub else m for lab, m in zip(labels, entry.models, strict=True)
    ]
    failures = sum(v for v in as_dict(data.get("failures")).values() if isinstance(v, int))
    entry.status = "ok" if not failures else f"{failures} failed"
    aggregates = as_dict(data.get("aggregates"))
    for lab in labels:
        entry.throughput_tok_s.append(number(get(aggregates, lab, "throughput_tok_s", "mean")))
        entry.ttft_ms.append(number(get(aggregates, lab, "ttft_ms", "mean")))
        rate = number(get(aggregates, lab, "grounding_rate_pct", "mean"))
        entry.grounding.append(None if rate is None else rate / 100.0)
    return entry


def sweep_entry(folder: Path) -> Entry:
    entry = Entry(str(folder), "sweep", _marker_time(folder), page=_page(folder, SUMMARY_PAGE))
    if not (folder / "summary.json").is_file():
        entry.status = "incomplete"
        return entry
    try:
        data = read_json(folder / "summary.json")
    except ChimeraError as exc:
        entry.status, entry.note = "unreadable", str(exc)
        return entry
    entry.when = when(data.get("started_at")) or entry.when
    entry.status = str(data.get("status") or "ok")
    name = data.get("name") or get(data, "plan", "name")
    if name:
        entry.agents = [str(name)]
    failed = number(data.get("runs_failed"))
    if failed:
        entry.status = f"{int(failed)} failed"
    # The best cell stands for the sweep: its model and figures, named as the best.
    best = data.get("best")
    cell = next(
        (c for c in as_list(data.get("cells")) if isinstance(c, dict) and c.get("label") == best),
        None,
    )
    if best and cell is not None:
        entry.agents = [f"{entry.agents[0] if entry.agents else '?'}: best {best}"]
        model = get(data, "plan", "base", "model")
        stub = bool(data.get("served_by"))  # a test: the stub answered its runs
        entry.models = [f"{model} (stub)" if stub else str(model)] if model else []
        entry.throughput_tok_s = [number(get(cell, "figures", "throughput_tok_s", "mean"))]
        entry.ttft_ms = [number(get(cell, "figures", "ttft_ms", "mean"))]
        rate = number(get(cell, "figures", "grounding_rate_pct", "mean"))
        entry.grounding = [None if rate is None else rate / 100.0]
    return entry


def entry_for(folder: Path) -> Entry | None:
    kind = kind_of(folder)
    if kind == "run":
        return run_entry(folder)
    if kind == "comparison":
        return comparison_entry(folder)
    if kind == "sweep":
        return sweep_entry(folder)
    return None


def scan(folders: list[Path]) -> list[Entry]:
    """Entries of every Chimera folder in `folders` (or the folders themselves), newest first."""
    entries: list[Entry] = []
    for root in folders:
        own = entry_for(root)
        if own is not None:
            entries.append(own)
            continue
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        entries += [e for child in children if (e := entry_for(child)) is not None]
    oldest = datetime.min.replace(tzinfo=UTC)
    entries.sort(key=lambda e: (e.when or oldest, e.path), reverse=True)
    return entries
