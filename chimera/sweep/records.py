"""One finished run of a sweep cell, measured the way the sweep reports it, and its journal.

Cold starts, stated once. Changing a setting the backend reloads the model for (Ollama:
model, num_gpu, num_ctx; the embedded backend: any) makes the next call load the model:
that call is a **cold start**. A run's first call is expected cold when the run before it
on the same host ran other such settings (or none ran there yet in this process), unless
the server reports a load under `WARM_LOAD_MS` (it had the model loaded already, e.g. from
before a resume); any call whose reported load took `COLD_LOAD_MS` or more counts as cold
too (the server evicted the model meanwhile). Cold calls' load time and TTFT are kept
apart (`cold_load_ms`, `cold_ttft_ms`) and left out of the steady-state figures, unless the
sweep was asked to include them (`--include-cold`). A cold call's eval rate (tok/s) is not
touched by the load, but it is left out too, so every steady figure comes from one set of
calls.

The journal (`records.ndjson`) gets one line per finished run, appended after the run's
folder is complete: a run with a line is finished and is never run again on resume. The
format is JSON Lines under an extension the data inventory does not read, so analysing a
sweep folder reads its summary.csv, not these records a second time.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from chimera.backends.base import ModelResidency
from chimera.engine.figures import run_figures
from chimera.execution.result import Placement, RunResult
from chimera.host_load import busy_reason
from chimera.logging import get_logger
from chimera.metrics import CallMetrics
from chimera.sweep.plan import RunKind

log = get_logger("chimera.sweep")

JOURNAL_FILE = "records.ndjson"
COLD_LOAD_MS = 100.0
WARM_LOAD_MS = 20.0


class Residency(BaseModel):
    """Where the server held the cell's model after the run (Ollama's /api/ps)."""

    host: str
    vram_pct: float | None = Field(description="size_vram / size x 100")
    size_bytes: int
    size_vram_bytes: int
    context_length: int | None

    @classmethod
    def of(cls, host: str, found: ModelResidency) -> Residency:
        share = found.vram_share
        return cls(
            host=host,
            vram_pct=None if share is None else share * 100,
            size_bytes=found.size_bytes,
            size_vram_bytes=found.size_vram_bytes,
            context_length=found.context_length,
        )


class CellRun(BaseModel):
    """One run of one cell: where and when it ran, its figures, its cold start."""

    kind: RunKind
    round: int
    cell: str
    status: Literal["ok", "failed"]
    error: str | None = None
    host: str
    started_at: datetime
    started_offset_s: float = Field(description="since the sweep (or its resume) started")
    wall_s: float
    run_dir: str = Field(description="relative to the sweep folder")
    calls: int
    cold_expected: bool = Field(description="the run before on this host had other settings")
    cold_calls: int
    cold_load_ms: float | None = Field(description="load time of the cold calls")
    cold_ttft_ms: float | None = Field(description="TTFT of the cold calls (load included)")
    truncated_calls: int = 0
    figures: dict[str, float | None] = Field(description="steady state: cold calls left out")
    figures_with_cold: dict[str, float | None] = Field(description="every call counted")
    residency: Residency | None = None
    placement: Placement | None = Field(None, description="where the run executed")
    attempts: int = Field(1, description="> 1: its Ray worker died mid-run and it ran again")
    busy: str | None = Field(
        None, description="why its machine counted as busy while it ran (None: quiet or unknown)"
    )
    served_by: str | None = Field(
        None, description="set when Chimera's stub server answered: a test run, not a measurement"
    )

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind, self.round, self.cell)

    def chosen(self, include_cold: bool) -> dict[str, float | None]:
        return self.figures_with_cold if include_cold else self.figures


def cold_calls(calls: list[CallMetrics], cold_expected: bool) -> list[bool]:
    """Per call: is it a cold start (see the module docstring)?"""
    cold = []
    for i, call in enumerate(calls):
        load = call.load_duration_ms
        expected = i == 0 and cold_expected and (load is None or load >= WARM_LOAD_MS)
        cold.append(expected or (load is not None and load >= COLD_LOAD_MS))
    return cold


def cell_run(
    result: RunResult,
    *,
    kind: RunKind,
    round: int,
    cell: str,
    host: str,
    offset_s: float,
    run_dir: str,
    cold_expected: bool,
    residency: Residency | None,
    placement: Placement | None = None,
    attempts: int = 1,
) -> CellRun:
    """The record of one finished run (failed runs keep their error, figures empty)."""
    calls = list(result.llm_calls)
    cold = cold_calls(calls, cold_expected)
    cold_list = [c for c, is_cold in zip(calls, cold, strict=True) if is_cold]
    warm = [c for c, is_cold in zip(calls, cold, strict=True) if not is_cold]
    loads = [c.load_duration_ms for c in cold_list if c.load_duration_ms is not None]
    ttfts = [c.ttft_ms for c in cold_list if c.ttft_ms is not None]
    cold_load = sum(loads) if loads else None
    ok = result.status == "ok"
    return CellRun(
        kind=kind,
        round=round,
        cell=cell,
        status="ok" if ok else "failed",
        error=result.error,
        host=host,
        started_at=result.started_at,
        started_offset_s=offset_s,
        wall_s=result.wall_s,
        run_dir=run_dir,
        calls=len(calls),
        cold_expected=cold_expected,
        cold_calls=len(cold_list),
        cold_load_ms=cold_load,
        cold_ttft_ms=fmean(ttfts) if ttfts else None,
        truncated_calls=result.metrics.truncated_calls,
        # Steady state: the run's wall less the loads left out (the run with the model loaded).
        figures=run_figures(result, warm, cold_load or 0.0) if ok else {},
        figures_with_cold=run_figures(result, calls) if ok else {},
        residency=residency,
        placement=placement,
        attempts=attempts,
        busy=busy_reason(result.host_load),
        served_by=result.served_by,
    )


def append_record(sweep_dir: Path, record: CellRun) -> None:
    """Add one finished run to the journal (one line, flushed to disk before returning)."""
    line = record.model_dump_json() + "\n"
    path = sweep_dir / JOURNAL_FILE
    with open(path, "a+b") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":  # a line cut by a crash: start on a fresh line
                line = "\n" + line
        handle.write(line.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def read_journal(sweep_dir: Path) -> dict[tuple[str, int, str], CellRun]:
    """Finished runs by (kind, round, cell); a line cut by a crash is skipped (its run
    did not finish, so it runs again)."""
    path = sweep_dir / JOURNAL_FILE
    records: dict[tuple[str, int, str], CellRun] = {}
    if not path.is_file():
        return records
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = CellRun.model_validate(json.loads(line))
        except (ValueError, ValidationError):
            log.warning("sweep.journal_line_skipped", path=str(path), line=number)
            continue
        records[record.key] = record
    return records
