"""The digest's data model: statistics per metric and group, and what could not be read."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from chimera.ingest.digest.claims import NoteClaim
from chimera.ingest.digest.column_settings import ColumnSetting
from chimera.ingest.digest.units import UnitNote
from chimera.ingest.inventory import SkippedFile

# Beyond this many files with metrics, per-file statistics are not computed. Each per-file
# line of the rendered digest costs about 40 tokens and is the first to go when the prompt
# budget is short, so 200 files (~8,000 tokens) is already more than a prompt ever shows; yet
# every file adds a MetricStats per metric (about 1.6 KB each: 133 MB for 20,000 files).
MAX_FILES_FOR_FILE_STATS = 200


class MetricStats(BaseModel):
    """One metric's statistics over all rows, or over one group of rows."""

    metric: str
    unit: str
    column: str  # the column(s) as written in the files, comma-separated when pooled
    group_by: str | None  # a grouping of GROUPINGS ("model", "model+config_name", ...) or None
    group: str | None
    sources: list[str]
    n: int
    mean: float
    median: float
    p95: float
    min: float
    max: float
    aggregate: str | None = Field(
        None, description="'mean', 'p95', ... when the files hold already-aggregated values"
    )
    std: float | None = Field(None, description="sample standard deviation (n - 1); None, n < 2")
    runs: int | None = Field(
        None,
        description="already-aggregated values: the runs they are over, as the files state "
        "(a `runs` column), summed over the group; None where any value's count is unstated. "
        "Per-run values state one only where each is a mean of timed runs (a settings file "
        "beside their table: num_iterations 3)",
    )
    machine: str | None = Field(None, description="the machine of every value (None: not stated)")
    engine: str | None = Field(None, description="the serving engine (None: not stated)")
    workload: str | None = Field(
        None, description="the prompt or test, for the model+config_name+workload grouping"
    )
    file: str | None = Field(None, description="the file, for the model+config_name+file grouping")


class Setup(BaseModel):
    """One model run with one config on one machine and engine: the settings its rows state."""

    model: str | None
    config: str
    params: dict[str, Any]
    synthetic: bool = Field(False, description="the config name was made from the settings")
    machine: str | None = None
    engine: str | None = None
    gpu_share_min: float | None = Field(
        None,
        description="the least share of the model in VRAM (percent) its rows state: Ollama's "
        "`ollama ps` PROCESSOR ('14%/86% CPU/GPU' is 86) or /api/ps's size_vram / size; "
        "None where no row states one (below 100: partly on the CPU)",
    )
    gpu_share_max: float | None = Field(None, description="the most share its rows state")


class Scope(BaseModel):
    """A machine and engine the data was measured on, and what says so."""

    machine: str | None
    engine: str | None
    evidence: str = Field(description="where the machine comes from: a field, a folder name")
    files: list[str] = Field(default_factory=list)


class Duplicate(BaseModel):
    """A file, or rows of a file, that repeat runs already read: counted once."""

    path: str
    of: str = Field(
        description="the file whose runs it repeats (itself: a note's summary table restating "
        "its other tables)"
    )
    rows: int = Field(description="rows that repeat the other file's (all of them: identical)")
    identical: bool = Field(False, description="the whole file is byte for byte the other")


class ColdRows(BaseModel):
    """Rows of one file that loaded the model: set apart from comparisons."""

    path: str
    model: str | None
    rows: int
    of_rows: int
    by: str = Field(
        description="'load time', 'settings' (first row after a reload change), 'first "
        "request' (a warm-up: its TTFT far above the run's) or the benchmark's own label"
    )
    load_ms_max: float | None = None
    load_ms_usual: float | None = Field(None, description="the other rows' median load time")
    every_row_loaded: bool = False
    ttft_ms_first: float | None = Field(
        None, description="by 'first request': the TTFT of the warm-up request set apart"
    )
    ttft_ms_usual: float | None = Field(None, description="by 'first request': the others' median")
    ttft_ms_mean_with: float | None = Field(
        None, description="by 'first request': the mean TTFT of the run, the warm-up included"
    )
    ttft_ms_mean_without: float | None = Field(
        None, description="by 'first request': the mean TTFT of the others"
    )
    file_runs: int | None = Field(
        None,
        description="the file's per-run rows of every model (errors, summaries and rows "
        "repeating another file's left out): what 'N rows out of M' counts M of",
    )


class Unread(BaseModel):
    """A file that holds numbers Chimera did not analyse, and why."""

    path: str
    reason: str


class ErrorRows(BaseModel):
    """Rows of one file left out of the statistics because they carry an error."""

    path: str
    count: int
    sample: str
    rows: int | None = Field(None, description="all rows of the file, errors included")
    kinds: dict[str, int] = Field(
        default_factory=dict,
        description="'void' (never reached a server), 'timeout', 'failed' -> rows",
    )
    samples: dict[str, str] = Field(default_factory=dict, description="kind -> first message")


class DegenerateRows(BaseModel):
    """Generations of a handful of tokens: their rate measures overhead, not decoding."""

    path: str
    model: str | None
    rows: int
    tokens_max: float
    usual_tokens: float = Field(description="the median tokens of the file's other rows")


class SomeRequestsFailed(BaseModel):
    """Rows of one file that completed some of the requests they sent, not all: kept (their
    figures are over the completed requests), listed so a reader sees it."""

    path: str
    rows: int = Field(description="rows where some requests did not complete")
    of_rows: int = Field(description="all rows of the file")
    completed: int = Field(description="the requests completed by the row that completed least")
    requested: int = Field(description="the requests that row sent")
    failures_counted: bool = Field(
        True,
        description="the file counts its failed requests (vLLM's bench serve, AIPerf); where "
        "not (GenAI-Perf), the others may have failed or been left out of its statistics",
    )


class ReasoningCounted(BaseModel):
    """A run whose figures count a reasoning model's reasoning tokens (AIPerf's export): its
    TTFT is to the reasoning's first token; the answer's first, where the file times it
    (`time_to_first_output_token`), is the first token a reader of the answer waits for."""

    path: str
    reasoning_tokens: float = Field(description="reasoning tokens a request (mean)")
    output_tokens: float | None = Field(None, description="output tokens a request (mean)")
    first_token_ms: float | None = Field(None, description="mean TTFT, the reasoning's first")
    answer_first_token_ms: float | None = Field(
        None, description="mean time to the answer's first token (time_to_first_output_token)"
    )
    output_throughput: float | None = Field(None, description="tok/s, reasoning counted")
    requests: float | None = Field(None, description="the requests its statistics are over")


class PartialRead(BaseModel):
    """A file larger than max_file_mb, of which only the first rows were read."""

    path: str
    size_bytes: int
    rows_read: int
    max_file_mb: float


class Dropped(BaseModel):
    """Rows or values of one file left out of the statistics, and why (nothing silently)."""

    path: str
    count: int
    what: Literal["rows", "values"]
    reason: str


class NoteSummary(BaseModel):
    """A Markdown note: where it is and what it is about (its first heading)."""

    path: str
    title: str


class OmittedFileStats(BaseModel):
    """Per-file statistics left out: more files hold metrics than get their own."""

    files: int = Field(description="files that hold metrics")
    max_files: int = Field(description="the most files given per-file statistics")


class DataDigest(BaseModel):
    """Everything the analyst is told about the data, as numbers."""

    stats: list[MetricStats]
    configs: dict[str, dict[str, Any]]
    error_rows: list[ErrorRows]
    tables_read: int
    rows_read: int
    skipped: list[SkippedFile]
    partial: list[PartialRead] = Field(default_factory=list)
    encodings: dict[str, str] = Field(
        default_factory=dict,
        description="file -> the legacy encoding it was read in (cp1252, latin-1): not UTF-8",
    )
    dropped: list[Dropped] = Field(default_factory=list)
    notes: list[NoteSummary] = Field(default_factory=list)
    tables_without_metrics: list[str] = Field(default_factory=list)
    file_stats_omitted: OmittedFileStats | None = None
    setups: list[Setup] = Field(default_factory=list)
    file_dates: dict[str, str] = Field(
        default_factory=dict, description="file -> ISO date: its earliest timestamp, or its name's"
    )
    conflicting_setups: list[str] = Field(
        default_factory=list,
        description="'model / config' that files give different settings: not compared",
    )
    scopes: list[Scope] = Field(
        default_factory=list, description="the machines and engines the values come from"
    )
    duplicates: list[Duplicate] = Field(default_factory=list)
    cold_rows: list[ColdRows] = Field(default_factory=list)
    degenerate: list[DegenerateRows] = Field(default_factory=list)
    some_requests_failed: list[SomeRequestsFailed] = Field(
        default_factory=list, description="rows where some requests did not complete (kept)"
    )
    note_claims: list[NoteClaim] = Field(
        default_factory=list, description="what the folder's notes claim about speed"
    )
    note_claims_left_out: int = Field(
        0, description="claims past the per-note and per-folder limits, counted, not checked"
    )
    unit_notes: list[UnitNote] = Field(default_factory=list)
    reasoning_counted: list[ReasoningCounted] = Field(
        default_factory=list, description="runs whose figures count reasoning tokens"
    )
    column_settings: list[ColumnSetting] = Field(
        default_factory=list,
        description="columns Chimera does not know by name, read as settings from their values",
    )
    unread: list[Unread] = Field(
        default_factory=list, description="files with numbers that were not analysed, and why"
    )
    summary_rows: int = Field(0, description="rows that summarise other rows (kept apart)")

    def find(
        self,
        metric: str,
        group_by: str | None = None,
        group: str | None = None,
        aggregate: str | None = None,
        *,
        machine: str | None = None,
        workload: str | None = None,
    ) -> MetricStats | None:
        """The stats for one metric and group (per-run values unless `aggregate` is given);
        with several machines, the one named (None: the values whose machine is unstated)."""
        wanted = (metric, group_by, group, aggregate, workload)
        several = len({sc.machine for sc in self.scopes}) > 1
        for s in self.stats:
            found = (s.metric, s.group_by, s.group, s.aggregate, s.workload) == wanted
            if found and (not several or s.machine == machine):
                return s
        return None

    @property
    def machines(self) -> list[str | None]:
        """The machines of the data, in order (None: values whose machine no file states)."""
        return list(dict.fromkeys(sc.machine for sc in self.scopes))
