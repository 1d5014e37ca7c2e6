"""Statistics from the benchmark files, with pandas: the numbers the analyst reasons over.

Rules, stated once:

- **Metric columns** are recognised by name (case-insensitive, punctuation as "_"), in CSV
  headers and JSON keys alike: tokens/s (tokens_s, tokens_per_second, tok_s, tps, eval_rate),
  TTFT (ttft, time_to_first_token), latency, load, prompt_eval, eval, total (each with a unit
  suffix or a `_duration`/`_time` ending) and eval_count. A prefix mean_/avg_/median_/p95_/...
  marks a value someone already aggregated (a summary file): those keep their own series
  (`MetricStats.aggregate`) so a mean of means never mixes with per-run values (stddev_ and
  stdev_ are std).
- **Units** come from the suffix: `_s`/`_sec`/`_seconds` seconds, `_ms`, `_us`, `_ns`; all
  times become ms. A time column without a unit (Ollama's raw `total_duration`, bare `latency`)
  is nanoseconds when its median in that file exceeds 1e6, as Ollama's API reports, else ms.
- **Derived rate**: rows with eval_count and an eval duration but no tokens/s column get
  tokens_per_s = eval_count / eval seconds (Ollama's raw API answers carry no rate).
- **Run counts** of summary files: a `runs` column (or n, n_runs, count, samples,
  repetitions, reps, ...) says how many runs a row's already-aggregated values are over.
  Each group of such values keeps the sum (`MetricStats.runs`), only when every value's
  file states it (a whole number >= 1); nothing is assumed where none is stated. A table
  beside a benchmark's settings file stating its timed iterations (`settings.json`'s
  `num_iterations` 3) holds rows that are each a mean of that many runs: compared as rows
  as before, each row's run count kept (`MetricStats.runs` of per-run groups) so that no
  reader takes a row for one run.
- **llama-bench** output (llama.cpp's `-o csv`, `-o json`, `-o jsonl`; recognised by its
  avg_ts, n_prompt and n_gen columns; see `llama_bench`): a tg row (n_gen > 0, n_prompt = 0)
  is generation throughput, `tokens_per_s`; a pp row (n_prompt > 0, n_gen = 0) is prompt
  processing, `prompt_tokens_per_s`, its own metric, never pooled with generation; a
  pp+tg row (`-pg`) is left out and counted (its rate spans both). A CSV's avg_ts is
  already a mean over the repetitions (aggregate "mean", stddev_ts aggregate "std", run
  count unstated); a JSON's `samples_ts` are per-run values, one per repetition. The model
  is model_filename's stem (`gemma-3-1b-it-Q4_K_M`; model_type where no file is named).
  n_gpu_layers, n_threads and n_batch are num_gpu, num_thread and num_batch; the other
  test parameters (n_ubatch, flash_attn, type_k, n_depth, n_prompt, n_gen, ...) are
  settings where the file sweeps them or sets one away from llama-bench's default, so
  tg128 and tg256, or d0 and d4096, are different setups. test_time dates the file;
  build_commit, build_number, avg_ns and stddev_ns (time per repetition) are not metrics.
- **llama-bench-style tests elsewhere**: a JSON's or CSV's rows whose test column names
  llama-bench tests (pp256, tg64) or whose kind column says prompt / generation (prefill /
  decode) split one rate column the same way: a prompt row's rate is `prompt_tokens_per_s`;
  a depth column is part of the test (`tg64 @ d2048`). A `llama_cpp` key ("b11254") names
  the engine and its build.
- **Settings in the path**: a tensor parallelism the file or folder name states (`_tp4_`,
  `tp=2`) is the `tensor_parallel` setting of every row, where no column states it; so are
  a context, GPU layers, threads or batch named with their value (`num_ctx_2048/`, `ngl99`).
- **Spec files**: a folder's `system.txt` / `specs.md` / `hardware_info.txt` whose "GPU:" or
  "CPU:" line names hardware names the machine of the rows below it that name none.
- **Two PCs, one GPU model**: a machine is named by its GPU, but tables whose rows state a
  CPU certainly another (another maker, or one tool's words with other digits: two
  contributors' RTX 2070 SUPER PCs, an Intel and an AMD) are another machine, named by both
  ("RTX 2070 SUPER + AMD64 Family 23 Model 113"); see `_Collector._machine`.
- **Launch scripts**: the one shell script beside a JSON result file (its folder, its parent,
  the folders beside it) naming that file (`--output-file x.jsonl`) states what the file
  does not: its one server launch command's model and tensor parallelism, its comments' one
  kind of hardware the machine, said as the machine's evidence (see `scripts`).
- **Rates**: a plain tokens-per-second beside an output rate (GuideLLM's `tokens_per_second`
  beside `output_tokens_per_second`), llama-server's predict rate or a count of every token
  (vLLM's benchmark_throughput JSON: `total_num_tokens`, over `elapsed_time`) counts the
  prompt's tokens too, and is left out (with that batch time); LLMPerf's
  `results_<metric>_<unit>_<statistic>` are its summary's figures (see `columns`).
- **Model** comes from a `model` column/key (llama-bench: model_filename); where missing,
  from a bare `name` column in the cells that name a model, else from the file name (see
  `model_from_filename`). `config_name` and the options beside it (num_gpu, num_ctx,
  temperature, ...; `dtype`/`precision` is the quantization, `topology` and `nodes` a
  distributed run's layout) come from the data only; a JSON document's `tag`
  (`trtllm_nvfp4_pad`) names the engine, the quantization, the KV cache type (`kv_fp8`)
  and the deployment its words name (`identity.tag_parts`; a re-run's words, `v2`, `fill`,
  `hi2`, name none), unless it opens with a size beside a model name with none
  (`{"model": "llama3", "tag": "8b-q4_0"}`: the model's tag, `llama3:8b-q4_0`), and a
  client's `api_base` on LM Studio's or Ollama's own
  port (1234, 11434) the engine, where no field does. A `backend` beside a `framework` or
  `engine` column is the engine's runtime, kept in the engine's name (`LM Studio (mlx)`).
  Rows of a file that names no model are that file's own "model not stated (a.csv)": two
  such files are never pooled, compared or averaged as one model, unless they sit in one
  folder and state no setup in common (one file per backend, per run): then they are one
  sweep of the folder's model, "model not stated (folder/)", its files the setups compared
  (see `_Collector._unnamed_models`); so are the files below a folder kept one folder per
  level (`static/maf1/8/`, `rank/maf1/16/`), where no setup repeats. Where one name is left
  for all, it is "model not stated". One model written two ways in two files (bhodgens'
  `Qwopus3.6-35B-A3B-Coder-MTP-Q4_K_M`, a bench JSON's GGUF stem, and `... Q4_K_M` in a
  results JSON; newbdez33's `Qwen3-Coder-Next` and `qwen3-coder-next`) is one model: names
  equal but for case and for the separators between words (space, `-`, `_`; a `.` before a
  GGUF quantisation type) take one spelling (see `_Collector._spellings`). Nothing else is
  merged: another size, quantisation or suffix is another name. One name served as two
  builds is split: where sessions (files) of one model count the same prompts' tokens
  differently, every prompt each way (45/48/50/68/72 against 44/47/49/67/71: another
  tokeniser or chat template), each way is its own model, `name (build A: prompt tokens
  45/48/...)`; sessions counting alike are one setup's repetitions (see `_Collector._builds`).
- **Columns Chimera does not know by name** (a CSV's `kv_type`, a JSON's `kv_mode`, a
  note's `CPU/GPU`) are settings where their values are a setting's levels (short tokens,
  at most 12; see `column_settings` for the rules that keep run numbers, answers, dates and
  measurements out): rows of three cache types are three setups, never one setup's
  repetitions. The digest lists each (`DataDigest.column_settings`).
- **Asked lengths**: a table's input and output sequence lengths (TensorRT-LLM's ISL and OSL)
  are together each row's workload, "input 128 / output 1024", as trtllm-bench's report
  states them.
- **Swept prompt lengths**: where no column names the workload, a prompt token count
  (`num_prompt_tokens`, `context_tokens`, ...) that takes power-of-two lengths, two or more
  of them on several rows, is the workload (`1024-token prompt`): a framework benchmark's
  or a context ladder's rows over four lengths are four workloads, not four repetitions.
- **Outcomes**: a `status`/`outcome`/`feasibility` cell that names a failure (`gpu_timeout`,
  `oom_...`, `failed`) makes a failed row, as an error column does.
- **Placement**: where Ollama put the model, as the files state it (see `placement`):
  `ollama ps`'s PROCESSOR words in any column ("100% GPU", "14%/86% CPU/GPU": a script's
  `processor` or `placement`), an `ollama ps` capture in a note (for the runs of the model it
  lists), or /api/ps's `size` and `size_vram` in a run's record (or its saved /api/ps answer)
  give each setup its least and most share in VRAM (`Setup.gpu_share_min` / `_max`): an
  outcome of the settings on one machine, never the machine nor a setting. A GPU
  utilisation column (`gpu_percent`, `gpu_util`) is not read as one.
- **Error rows**: a row with a non-empty `error` (or `error_msg`, or an `error_code` other
  than 0: LLMPerf's 429 beside an empty message) is left out of every statistic and counted.
  A bench row that completed none of its requests (`completed` 0) is a failed row; one that
  completed some but fewer than it sent (`num_prompts`) is kept and listed with the share.
- **Text**: UTF-8 (BOM or not) and UTF-16/32 with a BOM are read; text that is not UTF-8 but
  plainly Western single-byte (Excel's Windows-1252 `µs`, `°C`, `débit`: accented letters
  alone or in pairs, no UTF-8 character among them) is read as Windows-1252 (else Latin-1)
  and the digest says so (`DataDigest.encodings`); any other encoding (GBK, Shift-JIS) is
  skipped with the reason rather than guessed (a mis-decoded header silently loses metrics).
- **Size**: a CSV above `max_file_mb` is read in part (about that many MB of rows, streamed in
  chunks with only the recognised columns) and the digest says so; such a JSON is skipped.
- **CSV shape**: every non-blank row must have as many fields as the header; otherwise the
  file is skipped as ragged (shifted columns would put prompt text into the metrics).
- **Groups**: each metric over all rows, then per model, config, model+config and file. When
  more than `MAX_FILES_FOR_FILE_STATS` files hold metrics, the per-file groups are left out
  and the digest says so (`DataDigest.file_stats_omitted`).

Where the parts live: see the package docstring (`chimera.ingest.digest`).
"""

from __future__ import annotations

import csv
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from chimera.config.agent import IngestOptions
from chimera.errors import DataError
from chimera.ingest.collector import young_collections_spaced
from chimera.ingest.digest.claims import MAX_CLAIMS_PER_NOTE, MAX_NOTE_CLAIMS, NoteClaim
from chimera.ingest.digest.cold import EVERY_ROW_MS
from chimera.ingest.digest.column_settings import ColumnSetting
from chimera.ingest.digest.columns import date_from_filename
from chimera.ingest.digest.copies import ByteCopies, CopiedRead, copy_of
from chimera.ingest.digest.duplicates import RunIndex, restated_rows
from chimera.ingest.digest.identity import cpu_short, cpus_differ, machine_key
from chimera.ingest.digest.models import (
    MAX_FILES_FOR_FILE_STATS,
    ColdRows,
    DataDigest,
    DegenerateRows,
    Dropped,
    Duplicate,
    ErrorRows,
    NoteSummary,
    OmittedFileStats,
    PartialRead,
    ReasoningCounted,
    Scope,
    Setup,
    SomeRequestsFailed,
    Unread,
)
from chimera.ingest.digest.read_ahead import ParsedFile, ReadAhead, parse_file, start_read_ahead
from chimera.ingest.digest.readers import (
    LEGACY_ENCODINGS,
    SNIFF_BYTES,
    UnusableFile,
    decode_reason,
    iteration_counts,
    legacy_encoding,
    markdown_title,
    spec_machines,
    summary_named,
    text_encoding,
)
from chimera.ingest.digest.stats import (
    CODE,
    FILE_GROUPINGS,
    GROUPINGS,
    PAIR_SEPARATOR,
    Observations,
    SettingsOf,
    compute_stats,
)
from chimera.ingest.digest.table import (
    LOADS,
    MAX_PLAUSIBLE,
    NO_MODEL,
    Records,
    TableValues,
    unnamed_model,
    value_column,
)
from chimera.ingest.digest.units import UnitNote
from chimera.ingest.inventory import (
    FileEntry,
    IngestStopped,
    Inventory,
    SkippedFile,
    scan_folder,
)

# --- collecting ----------------------------------------------------------------------------


def _without_blocking(path: str, flags: int) -> int:
    # A fifo put where a file was after the scan would block this open (and the digest)
    # forever; O_NONBLOCK does not change how a regular file reads.
    return os.open(path, flags | os.O_NONBLOCK)


def _read_head(path: str) -> bytes:
    """The file's first bytes, to judge its encoding; the first time it is opened."""
    # `open` is looked up in this module on purpose: tests replace it here to make one
    # file unreadable as EACCES would for root, who ignores file modes.
    try:
        with open(path, "rb", opener=_without_blocking) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise UnusableFile("not a regular file any more (replaced after the scan)")
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnusableFile(f"cannot read: {exc.strerror or exc}") from exc


SetupKey = tuple[str | None, str | None, str | None, str]  # machine, engine, model, config


def _name(value: Any) -> str | None:
    """A name cell as None or text (pandas may hold a missing name as NaN)."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _distinct_rows(
    records: Records, columns: Sequence[str], rows: np.ndarray | None = None
) -> list[tuple[str | None, ...]]:
    """The distinct tuples of name cells of `columns` (of the `rows` given), missing cells as
    None, in order of first appearance: what `drop_duplicates` gives, without its cost per
    call (most tables have a handful of rows). Equal raw tuples are folded first, so the
    cells are cleaned only once per distinct tuple."""
    arrays = [records[c] for c in columns]
    if rows is not None:
        arrays = [a[rows] for a in arrays]
    raw = dict.fromkeys(zip(*arrays, strict=True))
    # NaN cells of two rows may be two objects (two keys above): the cleaned ones are one
    return list(dict.fromkeys(tuple(_name(v) for v in key) for key in raw))


def setup_key(setup: Setup) -> SetupKey:
    return (setup.machine, setup.engine, setup.model, setup.config)


def with_shares(setup: Setup, low: float, high: float) -> Setup:
    """The setup with the shares in VRAM `low` to `high` added to those it holds."""
    if setup.gpu_share_min is not None:
        low = min(low, setup.gpu_share_min)
        high = max(high, setup.gpu_share_max if setup.gpu_share_max is not None else high)
    return setup.model_copy(update={"gpu_share_min": low, "gpu_share_max": high})


def setup_label(model: str | None, config: str) -> str:
    return f"{model}{PAIR_SEPARATOR}{config}"


# A column Chimera derived says where it read it: "gpu (from the heading)".
_DERIVED_FROM = re.compile(r"\(from (.+)\)$")


@dataclass
class _Collector:
    """Reads every file of an inventory and gathers what the digest needs."""

    root: Path
    options: IngestOptions
    observations: Observations = field(default_factory=Observations)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    setups: dict[SetupKey, Setup] = field(default_factory=dict)
    file_dates: dict[str, str] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)  # "model / config" with two sets of settings
    error_rows: list[ErrorRows] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    partial: list[PartialRead] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)  # path -> its legacy encoding
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[NoteSummary] = field(default_factory=list)
    no_metrics: list[str] = field(default_factory=list)
    _no_metrics: set[str] = field(default_factory=set)  # the same paths, to look up
    unread: list[Unread] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    cold_rows: list[ColdRows] = field(default_factory=list)
    # The values of rows set apart as loads (`_loads_alike`), and whether a call of the
    # folder did not load its model (a load under EVERY_ROW_MS, or rows beside a load).
    cold_values: list[dict[str, np.ndarray]] = field(default_factory=list)
    warm_calls: bool = False
    file_runs: dict[str, int] = field(default_factory=dict)  # path -> its per-run rows
    degenerate: list[DegenerateRows] = field(default_factory=list)
    some_failed: list[SomeRequestsFailed] = field(default_factory=list)
    claims: list[NoteClaim] = field(default_factory=list)
    claims_left_out: int = 0
    unit_notes: list[UnitNote] = field(default_factory=list)
    reasoning: list[ReasoningCounted] = field(default_factory=list)
    column_settings: list[ColumnSetting] = field(default_factory=list)
    evidence: dict[str | None, str] = field(default_factory=dict)  # machine -> what says so
    scope_files: dict[tuple[str | None, str | None], set[str]] = field(default_factory=dict)
    scope_model_files: dict[tuple, set[str]] = field(default_factory=dict)
    model_engines: dict[str | None, set[str | None]] = field(default_factory=dict)
    runs_index: RunIndex = field(default_factory=RunIndex)
    copies: ByteCopies = field(init=False)
    copied_reads: dict[str, CopiedRead] = field(default_factory=dict)  # original -> its read
    machine_names: dict[str, str] = field(default_factory=dict)  # machine key -> first label
    # machine key of a GPU -> the CPUs seen with it and the machine each names (`_machine`)
    cpus_by_gpu: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # folder -> the machine its spec file names and that file (see `readers.spec_machines`)
    spec_machines: dict[str, tuple[str, str]] = field(default_factory=dict)
    # folder -> the runs each row of its tables is the mean of, and the settings file that
    # says so (see `readers.iteration_counts`)
    iteration_counts: dict[str, tuple[int, str]] = field(default_factory=dict)
    means_of_runs: set[str] = field(default_factory=set)  # tables whose rows are such means
    ahead: ReadAhead | None = None  # workers parsing files ahead (see `read_ahead`)
    tables: int = 0
    tables_with_values: int = 0
    rows: int = 0
    summary_rows: int = 0

    def __post_init__(self) -> None:
        self.copies = ByteCopies(str(self.root))

    def _copied_read(self, entry: FileEntry, content: bytes | None) -> CopiedRead | None:
        """What an earlier note or text file with these bytes gave, where it found no table."""
        original = self.copies.original(entry.kind, entry.path, entry.size_bytes, content)
        return self.copied_reads.get(original) if original is not None else None

    def read(self, entry: FileEntry, encoding: str | None = None) -> None:
        """Read one file (in `encoding`, else the one its first bytes tell); UnusableFile (or
        a parser error) means nothing of it was kept."""
        # A str path, not a Path, until a file is parsed: most files of a big folder are
        # copies, and joining Paths cost more than comparing them.
        where = os.path.join(self.copies.root, entry.path)
        head = _read_head(where)
        encoding = encoding or text_encoding(head)
        if encoding in LEGACY_ENCODINGS:
            self.encodings[entry.path] = encoding
        # A head shorter than a sniff is the whole file: copies are found without reopening it.
        content = head if len(head) < SNIFF_BYTES else None
        if entry.kind == "markdown":
            copied = self._copied_read(entry, content)
            title = copied.title if copied is not None else markdown_title(head, encoding)
            self.notes.append(NoteSummary(path=entry.path, title=title))
            # Bounded: a folder of 20,000 generated notes held over a million claims.
            room = max(0, min(MAX_CLAIMS_PER_NOTE, MAX_NOTE_CLAIMS - len(self.claims)))
            if copied is not None:
                tables, other, found = [], copied.other, copied.claims_found
                claims = copied.claims_of(entry.path, room)
            else:
                parsed = self._parse(entry, where, head, encoding)
                tables, other, claims = parsed.tables, parsed.other, parsed.claims
                found, claims = len(claims), claims[:room]
                if not tables:  # tables name their file: a copy's are its own, read again
                    self.copied_reads[entry.path] = CopiedRead(title, claims, found, other)
            self.claims.extend(claims)
            self.claims_left_out += max(0, found - room)
            self._commit_all(tables, note=True)
            if other and not tables and not found:
                self.unread.append(
                    Unread(
                        path=entry.path,
                        reason=f"{other} table(s) with no column Chimera recognises as a "
                        "metric (tok/s, TTFT, durations, ...)",
                    )
                )
            return
        if entry.kind == "text":
            copied = self._copied_read(entry, content)
            if copied is not None:
                verdict: TableValues | str | None = copied.verdict
            else:
                parsed = self._parse(entry, where, head, encoding)
                if parsed.tables:  # Markdown tables among a log's lines (see `parse_file`)
                    self._commit_all(parsed.tables)
                    return
                verdict = parsed.verdict
                if not isinstance(verdict, TableValues):
                    self.copied_reads[entry.path] = CopiedRead(verdict=verdict)
            if isinstance(verdict, TableValues):
                self._commit(verdict)
            elif verdict is not None:
                self.unread.append(Unread(path=entry.path, reason=verdict))
            else:
                self.no_metrics.append(entry.path)
            return
        twin = self.copies.original("data", entry.path, entry.size_bytes, content)
        if twin is not None and twin != entry.path:  # itself: read again in another encoding
            if twin in self._no_metrics:
                # A copy of a file that held no figure repeats no run ("[]" from a monitor
                # that recorded nothing, once per run): listed as its original is.
                self.no_metrics.append(entry.path)
                self._no_metrics.add(entry.path)
                return
            unread = next((s.reason for s in self.skipped if s.path == twin), None)
            if unread is not None:
                # a copy of a file that could not be read repeats no run: not read either
                # (graz-dev's DCGM field list, once per study), said as such
                raise UnusableFile(f"a byte-for-byte copy of {twin}, not read either: {unread}")
            self.duplicates.append(Duplicate(path=entry.path, of=twin, rows=0, identical=True))
            return
        parsed = self._parse(entry, where, head, encoding)
        values = parsed.tables[0]
        if parsed.partial:
            self.partial.append(
                PartialRead(
                    path=entry.path,
                    size_bytes=entry.size_bytes,
                    rows_read=values.rows,
                    max_file_mb=self.options.max_file_mb,
                )
            )
        self._commit(values)

    def _parse(self, entry: FileEntry, where: str, head: bytes, encoding: str) -> ParsedFile:
        """The file parsed (in `encoding`): by a worker, ahead, where one did (in the encoding
        its head tells; see `read_ahead`). A file read again in another encoding is parsed
        here: its worker's parse was taken at the first reading."""
        parsed = self.ahead.take(entry) if self.ahead is not None else None
        if parsed is None:
            parsed = parse_file(where, entry, head, encoding, self.options.max_file_mb)
        return parsed

    def _commit_all(self, tables: list[TableValues], note: bool = False) -> None:
        """Commit the tables of one file, a summary table restating its others' figures
        set apart as their repeat (see `restated_rows`); a note's table quoting one data
        file's runs too (see `RunIndex.quoted`)."""
        for values, restated in zip(tables, restated_rows(tables), strict=True):
            self._commit(values, restated, note)

    def _commit(
        self, values: TableValues, restated: np.ndarray | None = None, note: bool = False
    ) -> None:
        self.tables += 1
        self.rows += values.rows
        self.summary_rows += values.summary_rows
        self.unit_notes.extend(values.unit_notes)
        self.column_settings.extend(values.column_settings)
        if values.reasoning is not None and values.has_values:
            self.reasoning.append(ReasoningCounted(path=values.path, **values.reasoning))
        if not values.has_values:
            self.no_metrics.append(values.path)
            self._no_metrics.add(values.path)

        def drop(count: int, what: str, reason: str) -> None:
            self.dropped.append(Dropped(path=values.path, count=count, what=what, reason=reason))

        if values.cut_rows:
            drop(values.cut_rows, "rows", values.cut_reason)
        for reason, count in values.left_out.items():
            drop(count, "rows", reason)
        if values.stated_mismatch is not None:
            drop(values.stated_mismatch[0], "values", values.stated_mismatch[1])
        if values.inexact:
            drop(
                values.inexact,
                "values",
                "a bound or an approximation ('<1', '>100', '~12'), no exact figure",
            )
        for label in values.repeated_metrics:
            drop(
                values.rows,
                "values",
                f"a second column named {label!r}: which one holds the figure is unknown, only "
                "the first is read",
            )
        if values.implausible:
            drop(
                values.implausible,
                "values",
                f"infinite, negative or implausibly large (over {MAX_PLAUSIBLE:g}) in "
                f"{', '.join(values.implausible_columns)}",
            )
        if values.untimed:
            drop(
                values.untimed,
                "values",
                "0 for a phase that produced tokens (no time was measured) in "
                f"{', '.join(values.untimed_columns)}",
            )
        if values.errors:
            self.error_rows.append(
                ErrorRows(
                    path=values.path,
                    count=values.errors,
                    sample=values.error_sample,
                    # a summary row restates runs (decode_tps_avg beside its two runs): not
                    # one of the rows the errors are counted among
                    rows=values.rows - values.summary_rows,
                    kinds=values.error_kinds,
                    samples=values.error_samples,
                )
            )
        if values.some_failed and values.least_completed is not None:
            completed, requested = values.least_completed
            self.some_failed.append(
                SomeRequestsFailed(
                    path=values.path,
                    rows=values.some_failed,
                    of_rows=values.rows,
                    completed=completed,
                    requested=requested,
                    failures_counted=values.failures_counted,
                )  # fmt: skip
            )
        records = values.records
        if not records:
            return
        if self.spec_machines:
            self._spec_machine(values.path, records)
        if self.iteration_counts:
            self._means_of_runs(values, records)
        records["machine"] = self._machines(records["machine"], values.machine_cpus)
        if note and self.runs_index.notes_from is None:
            self.runs_index.notes_from = len(self.runs_index.tables)
        repeated, of = self.runs_index.check(values)
        if note and of is None and restated is None:
            repeated, of = self.runs_index.quoted(values)
        if of is not None:
            self._duplicate(values.path, of, int(repeated.sum()))
        if restated is not None:
            # a note's summary table restating the note's own tables: of is the note itself
            self._duplicate(values.path, values.path, int((restated & ~repeated).sum()))
            repeated = repeated | restated
        per_run = [label for label, (_, agg) in values.roles.items() if agg is None]
        # a restating table's rows are their source's runs: its names ("27B") are no setup
        self._setups(values, records, bool(per_run), None if restated is None else ~restated)
        if per_run:
            # A run holds a per-run value: a nested entry's own summary (its mean_tps beside
            # the runs it sums up) is a row of the table, not a run.
            measured = np.zeros(len(repeated), dtype=bool)
            for label in per_run:
                measured |= np.isfinite(np.asarray(records[value_column(label)], dtype=float))
            runs = measured & ~repeated & ~records["error"] & ~records["summary"]
            self.file_runs[values.path] = self.file_runs.get(values.path, 0) + int(runs.sum())
        self._cold(values, records, ~repeated)
        for model, rows, most, usual in values.degenerate:
            # a row repeating a run read already was set apart there: gzhang33's one 3-token
            # answer, in a CSV and again in the JSON beside it, read "2 answers"
            rows -= int((records["degenerate"] & repeated & (records["model"] == model)).sum())
            if rows:
                self.degenerate.append(
                    DegenerateRows(
                        path=values.path,
                        model=model,
                        rows=rows,
                        tokens_max=most,
                        usual_tokens=usual,
                    )
                )
        self._evidence(values, records, ~records["error"])
        for name, params in values.configs.items():
            self.configs.setdefault(name, params)
        kept = self._observe(values, records, repeated)
        if kept:
            self.tables_with_values += 1
            dated = values.earliest.date().isoformat() if values.earliest is not None else None
            dated = dated or date_from_filename(values.path)
            if dated:
                self.file_dates[values.path] = dated

    def _failed_not_repeated(self) -> list[SomeRequestsFailed]:
        """The files whose rows completed only some requests, less those whose every row
        repeats another file's (a summary restating the per-run files, a copy): their
        failures are the original's, and counted there once."""
        copies = {dup.path for dup in self.duplicates if dup.identical}
        repeated: dict[str, int] = {}  # path -> its rows that repeat other files'
        for dup in self.duplicates:
            repeated[dup.path] = repeated.get(dup.path, 0) + dup.rows
        return [
            f for f in self.some_failed
            if f.path not in copies and repeated.get(f.path, 0) < f.of_rows
        ]  # fmt: skip

    def _duplicate(self, path: str, of: str, rows: int) -> None:
        """Note rows of `path` that repeat `of` (one entry per pair of files)."""
        for i, earlier in enumerate(self.duplicates):
            if (earlier.path, earlier.of) == (path, of) and not earlier.identical:
                self.duplicates[i] = earlier.model_copy(update={"rows": earlier.rows + rows})
                return
        self.duplicates.append(Duplicate(path=path, of=of, rows=rows))

    def _spec_machine(self, path: str, records: Records) -> None:
        """The machine of the spec file of the table's folder (or the nearest folder above
        it), for its rows that name none."""
        folder = PurePosixPath(path).parent
        for where in (folder, *folder.parents):
            if (named := self.spec_machines.get(where.as_posix())) is not None:
                machine, spec = named
                unnamed = pd.isna(records["machine"])
                if unnamed.any():
                    records["machine"] = np.where(unnamed, machine, records["machine"])
                    self.evidence.setdefault(self._machine(machine), f"the spec file {spec}")
                return

    def _means_of_runs(self, values: TableValues, records: Records) -> None:
        """A table beside a settings file stating N timed iterations, whose rows state no run
        count and no time of their own and each hold another setup or workload: each row is a
        mean of N runs, its run count N. (Rows repeating one setup and workload are its runs.)"""
        found = self.iteration_counts.get(PurePosixPath(values.path).parent.as_posix())
        if found is None or values.cols.runs is not None or values.cols.timestamp is not None:
            return
        keys = ("model", "config", "machine", "engine", "workload")
        identities = list(zip(*(records[k] for k in keys), strict=True))
        if len(set(identities)) < len(identities):
            return
        records["runs"] = np.full(len(records["runs"]), float(found[0]))
        self.means_of_runs.add(values.path)

    def _machine(self, label: Any, cpus: set[str] | None = None) -> str | None:
        """One name per machine: labels that name the same GPU or chip are one machine, unless
        their tables state CPUs that are certainly two (`cpus_differ`: two contributors' PCs
        with one GPU model, an Intel and an AMD). A table of one CPU beside its GPU joins the
        machine of that GPU and CPU; one whose CPU differs from every CPU seen with that GPU
        is another machine, named by both ("RTX 2070 SUPER + AMD64 Family 23 Model 113")."""
        label = _name(label)
        if label is None:
            return None
        key = machine_key(label)
        name = self.machine_names.setdefault(key, label)
        if not cpus or len(cpus) != 1:
            return name  # no CPU stated (or several in one table): the GPU's machine
        [cpu] = cpus
        seen = self.cpus_by_gpu.setdefault(key, [])
        for other, named in seen:
            if not cpus_differ(cpu, other):
                return named
        if seen:
            name = f"{name} + {cpu_short(cpu)}"
            name = self.machine_names.setdefault(machine_key(name), name)
        seen.append((cpu, name))
        return name

    def _machines(self, labels: np.ndarray, cpus: dict[str, set[str]] | None = None) -> np.ndarray:
        """`_machine` of each row's label, looked up once per distinct label (in order of
        first appearance, so the first label naming a machine stays its name)."""
        codes, uniques = pd.factorize(labels, use_na_sentinel=True)
        names = np.array(
            [self._machine(u, (cpus or {}).get(u)) for u in uniques] + [None], dtype=object
        )
        return names[codes]

    def _setups(
        self, values: TableValues, records: Records, per_run: bool, rows: np.ndarray | None = None
    ) -> None:
        for machine, engine, model, config in _distinct_rows(
            records, ("machine", "engine", "model", "config"), rows
        ):
            if config is None:
                continue
            params = values.setups.get((model, config), {})
            key: SetupKey = (machine, engine, model, config)
            earlier = self.setups.get(key)
            # Two files disagree when a setting both state differs; one stating fewer
            # settings (a note's table, a summary) is no conflict.
            shared = set(params) & set(earlier.params) if earlier is not None else set()
            if (
                earlier is not None
                and per_run
                and any(
                    _setting_text(params[k]) != _setting_text(earlier.params[k]) for k in shared
                )
            ):
                self.conflicts.add(setup_label(model, config))
            if earlier is None:
                self.setups[key] = Setup(
                    model=model,
                    config=config,
                    params=params,
                    synthetic=config in values.synthetic_configs,
                    machine=machine,
                    engine=engine,
                )
        shares = records.get("gpu_share")
        if shares is not None and np.isfinite(shares).any():
            self._gpu_shares(records, shares, rows)

    def _gpu_shares(self, records: Records, shares: np.ndarray, rows: np.ndarray | None) -> None:
        """Each setup's least and most share in VRAM that its rows (not failed) state."""
        stated = np.isfinite(shares) & ~records["error"]
        if rows is not None:
            stated &= rows
        columns = [records[k] for k in ("machine", "engine", "model", "config")]
        # in Python over the stated rows: most tables that state a share are a capture's few
        # runs, and a DataFrame's group-by a table cost more than the rest of its commit
        found: dict[tuple[Any, ...], tuple[float, float]] = {}
        for row in np.flatnonzero(stated).tolist():
            key = tuple(_name(column[row]) for column in columns)
            share = float(shares[row])
            low, high = found.get(key, (share, share))
            found[key] = (min(low, share), max(high, share))
        for key, (low, high) in found.items():
            setup = self.setups.get(tuple(None if pd.isna(k) else k for k in key))
            if setup is not None:
                self.setups[setup_key(setup)] = with_shares(setup, low, high)

    def _cold(self, values: TableValues, records: Records, kept: np.ndarray) -> None:
        """The cold rows of each model, of the `kept` rows (those no earlier file holds)."""
        marks = values.cold
        if marks is None or not (marks.rows or marks.every_row_loaded):
            return
        load = (
            LOADS
            if LOADS in records
            else next(
                (
                    value_column(label)
                    for label, key in values.roles.items()
                    if key == ("load_ms", None)
                ),
                None,
            )
        )
        ttft = next(
            (
                value_column(label)
                for label, key in values.roles.items()
                if key == ("ttft_ms", None)
            ),
            None,
        )
        usable = kept & ~records["error"] & ~records["summary"]
        models = records["model"][usable]
        models = np.where(pd.isna(models), "", models)
        for model in sorted(set(models.tolist())):  # pandas' groupby(sort=True) order
            rows = usable.nonzero()[0][models == model]
            cold = records["cold"][rows]
            if not cold.any() and not marks.every_row_loaded:
                continue
            loads = np.asarray(records[load][rows], dtype=float) if load is not None else None
            peak = usual = None
            if loads is not None and np.isfinite(loads).any():
                peak = float(np.nanmax(loads[cold])) if cold.any() else float(np.nanmax(loads))
                warm = loads[~cold & np.isfinite(loads)]
                usual = float(np.median(warm)) if warm.size else None
            first = typical = mean_with = mean_without = None
            if marks.by == "first request" and ttft is not None and cold.any():
                times = np.asarray(records[ttft][rows], dtype=float)
                first = float(np.nanmax(times[cold]))
                warm = times[~cold & np.isfinite(times)]
                if warm.size:
                    typical, mean_without = float(np.median(warm)), float(warm.mean())
                    mean_with = float(times[np.isfinite(times)].mean())
            self.cold_rows.append(
                ColdRows(
                    path=values.path,
                    model=model or None,
                    rows=int(cold.sum()),
                    of_rows=len(rows),
                    by=marks.by,
                    load_ms_max=peak,
                    load_ms_usual=usual,
                    every_row_loaded=marks.every_row_loaded,
                    ttft_ms_first=first,
                    ttft_ms_usual=typical,
                    ttft_ms_mean_with=mean_with,
                    ttft_ms_mean_without=mean_without,
                )
            )

    def _evidence(self, values: TableValues, records: Records, rows: np.ndarray) -> None:
        """Who ran what where (scopes, engines) and what names each machine, from `rows`."""
        cols = values.cols
        for machine, engine, model in _distinct_rows(records, ("machine", "engine", "model"), rows):
            self.scope_files.setdefault((machine, engine), set()).add(values.path)
            self.scope_model_files.setdefault((machine, engine, model), set()).add(values.path)
            self.model_engines.setdefault(model, set()).add(engine)
            if machine is None or machine in self.evidence:
                continue
            if machine == values.path_machine and values.machine_evidence is not None:
                self.evidence[machine] = values.machine_evidence
            elif machine == values.path_machine and cols.gpu is None and cols.cpu is None:
                self.evidence[machine] = f"the folder or file name of {values.path}"
            else:
                field_name = cols.gpu or cols.cpu or "machine"
                if (said := _DERIVED_FROM.search(field_name)) is not None:
                    # a column Chimera added ("gpu (from llama.cpp's device lines)"): where it
                    # read the machine, not a field's name cut at its dot
                    self.evidence[machine] = f"{said.group(1)} of {values.path}"
                else:
                    last = field_name.split(".")[-1]  # a JSON field's path: its last key
                    self.evidence[machine] = f"the {last} field of {values.path}"

    def _observe(self, values: TableValues, records: Records, repeated: np.ndarray) -> bool:
        """Add the table's usable values to the observations; whether any was kept."""
        obs = self.observations
        usable = ~records["error"] & ~repeated & ~records["degenerate"]
        cold = records["cold"]
        summary = records["summary"]
        identity = {
            name: obs.codes(records[name])
            for name in ("model", "config", "machine", "engine", "workload")
        }
        runs = np.asarray(records["runs"], dtype=float)
        file_code = obs.code(values.path)
        kept = False
        marks = values.cold
        if (usable & cold).any() and (
            (usable & ~cold & ~summary).any() or (marks is not None and marks.by != "load time")
        ):
            self.warm_calls = True  # a load beside calls that did not load, or a warm-up's
        for label, (metric, aggregate) in values.roles.items():
            column = np.asarray(records[value_column(label)], dtype=float)
            base = usable & np.isfinite(column)
            # A load's row is set apart from every comparison but load times; its values are
            # kept back in case no call of the folder was warm (`_loads_alike`).
            apart = base & cold if metric != "load_ms" else np.zeros_like(base)
            if metric == "load_ms" and (base & (column > 0) & (column < EVERY_ROW_MS)).any():
                self.warm_calls = True
            for rows, series in (
                (base & ~summary, (metric, aggregate)),
                (base & summary, (metric, aggregate or "mean")),
            ):
                for chosen, held in ((rows & ~apart, False), (rows & apart, True)):
                    count = int(chosen.sum())
                    if not count:
                        continue
                    kept = kept or not held
                    part = {
                        "file": np.full(count, file_code, dtype=CODE),
                        **{name: codes[chosen] for name, codes in identity.items()},
                        "column": np.full(count, obs.code(label), dtype=CODE),
                        "series": np.full(count, obs.series_code(series), dtype=CODE),
                        "value": column[chosen],
                        # a per-run value's run count only where it is a mean of runs
                        "runs": runs[chosen]
                        if series[1] is not None or values.path in self.means_of_runs
                        else np.full(count, np.nan),
                    }
                    if held:
                        self.cold_values.append(part)
                    else:
                        obs.add(part)
        return kept

    def _loads_alike(self) -> None:
        """Where every call that recorded a load loaded its model, each file's one or two
        calls alike (a folder of one-call metrics.json files, each after a reload), no file
        holds a warm call to set those loads apart from: they are compared as they are, and
        said as calls that all loaded the model."""
        if not self.cold_values or self.warm_calls:
            return
        for part in self.cold_values:
            self.observations.add(part)
        self.cold_values = []
        self.cold_rows = [
            c.model_copy(update={"rows": 0, "every_row_loaded": True}) for c in self.cold_rows
        ]

    def _varying_settings(self, setups: list[Setup]) -> SettingsOf:
        """Per setup, its numeric settings that take other values in the same model's other
        setups on the same machine and engine; setups whose files disagree are left out."""
        by_model: dict[tuple[str | None, str | None, str | None], list[Setup]] = {}
        for setup in setups:
            if setup_label(setup.model, setup.config) not in self.conflicts:
                by_model.setdefault((setup.machine, setup.engine, setup.model), []).append(setup)
        varying: dict[SetupKey, dict[str, str]] = {}
        for (machine, engine, model), group in by_model.items():
            keys = {k for s in group for k in s.params}
            # once per setting, not once per setup: a model of many setups was quadratic
            varies = sorted(
                k for k in keys if len({_setting_text(s.params.get(k)) for s in group}) > 1
            )
            for setup in group:
                varying[(machine, engine, model, setup.config)] = {
                    k: _setting_text(setup.params[k]) for k in varies if k in setup.params
                }
        return lambda machine, engine, model, config: varying.get(
            (machine, engine, model, config or ""), {}
        )

    def _resolve_engines(self) -> dict[str | None, str]:
        """Rows that state no engine take the one their model ran on elsewhere in the folder
        (a baseline CSV beside the same model's Ollama sweep), where it ran on one; failing
        that, the folder's only engine. Returns model -> engine given."""
        known = {engine for _, engine in self.scope_files if engine is not None}
        given: dict[str | None, str] = {}
        for model, engines in self.model_engines.items():
            engines = engines - {None}
            if len(engines) == 1:
                given[model] = next(iter(engines))
            elif not engines and len(known) == 1:
                given[model] = next(iter(known))
        if not given:
            return given
        obs = self.observations
        codes = {obs.code(model): obs.code(engine) for model, engine in given.items()}
        engine_of = np.zeros(len(obs.names), dtype=CODE)  # model code -> engine code (0: none)
        engine_of[list(codes)] = list(codes.values())
        for part in obs.parts:
            unknown = part["engine"] == 0
            if unknown.any():
                part["engine"] = np.where(unknown, engine_of[part["model"]], part["engine"])
        return given

    def _unnamed_models(self) -> dict[str, str]:
        """The name each file's unnamed model takes (`unnamed_model`: one per file, so files
        naming no model are never one model's runs). Files of one folder whose setups
        (machine, engine, config) are all different are one sweep over one model, as people
        keep one file per backend or per run (`bench-rocm7.log`, `bench-vulkan.log`): they
        take the folder's name, so their setups are compared. Files repeating a setup (three
        `baseline_results_*.json` of settings not stated, 14.1, 13.9 and 1.01 tok/s) may be
        sessions of other models: each keeps its own. The top folder's sweep, and a single
        name left for every such file, is plain "model not stated"."""
        prefix = f"{NO_MODEL} ("
        setups: dict[str, set[tuple[Any, ...]]] = {}
        for machine, engine, model, config in self.setups:
            if isinstance(model, str) and model.startswith(prefix):
                setups.setdefault(model, set()).add((machine, engine, config))
        folders: dict[str, list[str]] = {}
        for model in setups:
            folder = PurePosixPath(model[len(prefix) : -1]).parent.as_posix()
            folders.setdefault(folder, []).append(model)
        names: dict[str, str] = {}
        for folder, models in folders.items():
            one = sum(len(setups[m]) for m in models) == len(set().union(*map(setups.get, models)))
            # the top folder's sweep is plain "model not stated", another folder's names it
            swept = NO_MODEL if folder == "." else unnamed_model(f"{folder}/")
            for model in models:
                names[model] = swept if one and len(models) > 1 else model
        names = self._swept_folders(names, setups, prefix)
        if len(set(names.values())) == 1:
            names = dict.fromkeys(names, NO_MODEL)
        return {old: new for old, new in names.items() if old != new}

    @staticmethod
    def _swept_folders(
        names: dict[str, str], setups: dict[str, set[tuple[Any, ...]]], prefix: str
    ) -> dict[str, str]:
        """A sweep kept one folder per level (`static/maf1/8/`, `static/maf1/16/`, ...,
        `rank/maf1/8/`: one result file each, the request rate and the router the folders'
        levels): the unnamed models below a folder whose setups are all different are one
        sweep of that folder's model, the deepest folders first. Models below one folder
        repeating a setup (two sessions of "settings not stated") keep their own."""

        def folder(name: str) -> PurePosixPath:
            where = PurePosixPath(name[len(prefix) : -1].rstrip("/"))
            return where if name.endswith("/)") else where.parent

        while True:
            held: dict[str, set[tuple[Any, ...]]] = {}
            for old, new in names.items():
                held.setdefault(new, set()).update(setups[old])
            below: dict[PurePosixPath, list[str]] = {}
            for name in held:
                if name != NO_MODEL:
                    for above in folder(name).parents:
                        below.setdefault(above, []).append(name)
            for above in sorted(below, key=lambda p: -len(p.parts)):
                group = below[above]
                every = [setup for name in group for setup in held[name]]
                if len(group) < 2 or len(every) != len(set(every)):
                    continue
                swept = NO_MODEL if above.as_posix() == "." else unnamed_model(f"{above}/")
                names = {old: swept if new in group else new for old, new in names.items()}
                break  # again from the deepest, over the names now held
            else:
                return names

    def _spellings(self) -> dict[str, str]:
        """Models whose names differ only in case and in the separators between words
        (`X-Q4_K_M` and `X Q4_K_M`, `Qwen3-Coder-Next` and `qwen3-coder-next`) name one
        model: each takes one spelling, the one without spaces (a file's name), else the
        one of more setups. Ollama's `name:tag` keeps its colon: only the separators a file
        name and a table's cell write differently are read as one."""
        found: dict[str, set[str]] = {}
        count: dict[str, int] = {}
        for _, _, model, _ in self.setups:
            if isinstance(model, str) and not model.startswith(NO_MODEL):
                found.setdefault(_spelling_key(model), set()).add(model)
                count[model] = count.get(model, 0) + 1
        names: dict[str, str] = {}
        for spellings in found.values():
            if len(spellings) > 1:
                kept = min(spellings, key=lambda m: (" " in m, -count[m], m))
                names.update({m: kept for m in spellings if m != kept})
        return names

    def _rename_models(self, names: dict[str, str]) -> None:
        """Give the models of `names` their new names wherever the collector holds them."""
        if not names:
            return
        obs = self.observations
        table = np.arange(len(obs.names), dtype=CODE)
        for old, new in names.items():
            if old in obs._codes:
                table[obs.code(old)] = obs.code(new)
        for part in obs.parts:
            part["model"] = table[part["model"]]
        setups: dict[SetupKey, Setup] = {}
        for (machine, engine, model, config), setup in self.setups.items():
            model = names.get(model, model) if isinstance(model, str) else model
            setups.setdefault((machine, engine, model, config), setup.model_copy(
                update={"model": model}))  # fmt: skip
        self.setups = setups
        scope_files: dict[tuple, set[str]] = {}
        for (machine, engine, model), files in self.scope_model_files.items():
            model = names.get(model, model) if isinstance(model, str) else model
            scope_files.setdefault((machine, engine, model), set()).update(files)
        self.scope_model_files = scope_files
        engines: dict[str | None, set[str | None]] = {}
        for model, found in self.model_engines.items():
            engines.setdefault(names.get(model, model) if model else model, set()).update(found)
        self.model_engines = engines
        self.cold_rows = [
            c.model_copy(update={"model": names[c.model]}) if c.model in names else c
            for c in self.cold_rows
        ]
        self.degenerate = [
            d.model_copy(update={"model": names[d.model]}) if d.model in names else d
            for d in self.degenerate
        ]
        self.conflicts = {
            setup_label(names.get(model, model), config)
            for model, _, config in (c.partition(PAIR_SEPARATOR) for c in self.conflicts)
        }

    def _builds(self) -> dict[tuple[int, int], str]:
        """(file code, model code) -> the name of that file's runs of that model, where the
        sessions of one model name count the same prompts' tokens differently: a prompt's
        count is fixed by the tokeniser and the chat template, so two counts are two builds
        served under one name (LM Studio's `minimax-m2.1`, a GGUF and an MLX quantisation:
        45, 48, 50, 68 and 72 prompt tokens against 44, 47, 49, 67 and 71), never one
        setup's repetitions. A prompt is a (config, workload) a file counted one way in
        every run; files counting alike stay one. Nothing splits where any file counts a
        prompt two ways (a prompt cache counts only the uncached tail), where two files
        disagree on some shared prompts and agree on others, share fewer than two prompts,
        or one counts a prompt under half the other's (a cache, not a tokeniser)."""
        obs = self.observations
        series = obs._series_codes.get(("prompt_eval_count", None))
        if series is None:
            return {}
        keys = ("machine", "engine", "model", "file", "config", "workload")
        picked = [part for part in obs.parts if (part["series"] == series).any()]
        if not picked:
            return {}
        frame = pd.DataFrame(
            {
                k: np.concatenate([p[k][p["series"] == series] for p in picked])
                for k in (*keys, "value")
            }
        )
        # only a model named in two files or more can hold two builds (most folders: none)
        files = frame.groupby(["machine", "engine", "model"])["file"].transform("nunique")
        frame = frame[(files >= 2).to_numpy() & (frame["model"] != 0).to_numpy()]
        if frame.empty:
            return {}
        counted = frame.groupby(list(keys), sort=True)["value"].agg(["nunique", "first"])
        names: dict[tuple[int, int], str] = {}
        for (_, _, model), files in counted.groupby(level=[0, 1, 2], sort=True):
            if model == 0 or files.index.get_level_values("file").nunique() < 2:
                continue
            if (files["nunique"] > 1).any():
                continue  # a prompt counted two ways within a session: counts prove nothing
            signs: dict[int, dict[tuple[int, int], float]] = {}
            for (_, _, _, file, config, workload), value in zip(
                files.index, files["first"], strict=True
            ):
                signs.setdefault(int(file), {})[(int(config), int(workload))] = float(value)
            builds = _count_builds(signs)
            if len(builds) < 2:
                continue
            name = obs.names[model]
            for letter, (files_of, counts) in zip("ABCDEFGH", builds, strict=False):
                shown = "/".join(f"{c:.0f}" for c in sorted(counts.values())[:6])
                more = "/..." if len(counts) > 6 else ""
                label = f"{name} (build {letter}: prompt tokens {shown}{more})"
                names.update({(file, model): label for file in files_of})
        return names

    def _split_builds(self, names: dict[tuple[int, int], str]) -> None:
        """Give each file's runs of a model the build's name `_builds` found for them,
        wherever the collector holds them (setups, files in scope, loads)."""
        if not names:
            return
        obs = self.observations
        by_file: dict[int, dict[int, int]] = {}  # file -> model -> the build's name
        for (file, model), label in names.items():
            by_file.setdefault(file, {})[model] = obs.code(label)
        held: set[tuple[int, ...]] = set()  # (machine, engine, model, config) the rows hold
        for part in obs.parts:
            for file in np.unique(part["file"]).tolist():
                for model, new in by_file.get(file, {}).items():
                    rows = (part["file"] == file) & (part["model"] == model)
                    part["model"] = np.where(rows, new, part["model"])
            identity = np.column_stack([part[k] for k in ("machine", "engine", "model", "config")])
            held.update(map(tuple, np.unique(identity, axis=0).tolist()))
        path_names = {(obs.names[f], obs.names[m]): label for (f, m), label in names.items()}
        setups = dict(self.setups)
        for (machine, engine, model, config), setup in self.setups.items():
            codes = tuple(obs._codes.get(n, -1) for n in (machine, engine, model, config))
            for label in {lb for (_, m), lb in path_names.items() if m == model}:
                if (*codes[:2], obs.code(label), codes[3]) in held:
                    key = (machine, engine, label, config)
                    setups.setdefault(key, setup.model_copy(update={"model": label}))
            if model in {m for _, m in path_names} and codes not in held:
                del setups[(machine, engine, model, config)]
        self.setups = setups
        for (machine, engine, model), files in list(self.scope_model_files.items()):
            moved = {f for f in files if (f, model) in path_names}
            for path in moved:
                key = (machine, engine, path_names[(path, model)])
                self.scope_model_files.setdefault(key, set()).add(path)
            if moved:
                files -= moved
                if not files:
                    del self.scope_model_files[(machine, engine, model)]
        for (_, model), label in path_names.items():
            self.model_engines.setdefault(label, set()).update(self.model_engines.get(model, set()))
        self.cold_rows = [
            c.model_copy(update={"model": path_names[(c.path, c.model)]})
            if (c.path, c.model) in path_names
            else c
            for c in self.cold_rows
        ]
        self.degenerate = [
            d.model_copy(update={"model": path_names[(d.path, d.model)]})
            if (d.path, d.model) in path_names
            else d
            for d in self.degenerate
        ]

    def digest(self, max_file_stats: int | None) -> DataDigest:
        self._loads_alike()
        self._rename_models(self._unnamed_models())
        self._rename_models(self._spellings())
        self._split_builds(self._builds())
        given = self._resolve_engines()
        # A setup whose rows stated no engine becomes the one its model ran on; where that
        # setup was also stated with the engine, they are one (the one stating more settings).
        merged: dict[SetupKey, Setup] = {}
        for s in self.setups.values():
            if s.engine is None and s.model in given:
                s = s.model_copy(update={"engine": given[s.model]})
            key = (s.machine, s.engine, s.model, s.config)
            earlier = merged.get(key)
            if earlier is None or len(s.params) > len(earlier.params):
                merged[key] = s
            if earlier is not None and earlier.gpu_share_min is not None:  # one setup: both's
                merged[key] = with_shares(
                    merged[key], earlier.gpu_share_min, earlier.gpu_share_max or 0.0
                )
        setups = list(merged.values())
        scope_files: dict[tuple[str | None, str | None], set[str]] = {}
        for (machine, engine, model), files in self.scope_model_files.items():
            engine = engine if engine is not None else given.get(model)
            scope_files.setdefault((machine, engine), set()).update(files)
        omitted = None
        groupings = GROUPINGS
        if max_file_stats is not None and self.tables_with_values > max_file_stats:
            omitted = OmittedFileStats(files=self.tables_with_values, max_files=max_file_stats)
            groupings = tuple(g for g in GROUPINGS if g not in FILE_GROUPINGS)
        stats = compute_stats(self.observations, groupings, self._varying_settings(setups))
        scopes = [
            Scope(
                machine=machine,
                engine=eng,
                evidence=self.evidence.get(machine, "no file states its machine"),
                files=sorted(files),
            )
            for (machine, eng), files in sorted(
                scope_files.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")
            )
        ]
        return DataDigest(
            stats=stats,
            configs=dict(sorted(self.configs.items())),
            error_rows=self.error_rows,
            tables_read=self.tables,
            rows_read=self.rows,
            skipped=self.skipped,
            partial=self.partial,
            encodings=self.encodings,
            dropped=self.dropped,
            notes=self.notes,
            tables_without_metrics=self.no_metrics,
            file_stats_omitted=omitted,
            setups=sorted(
                setups,
                key=lambda s: (s.model or "", s.config, s.machine or "", s.engine or ""),
            ),
            file_dates=dict(sorted(self.file_dates.items())),
            conflicting_setups=sorted(self.conflicts),
            scopes=scopes,
            duplicates=self.duplicates,
            # A file's runs are known once all its tables are read.
            cold_rows=[
                c.model_copy(update={"file_runs": self.file_runs.get(c.path)})
                for c in self.cold_rows
            ],
            degenerate=self.degenerate,
            some_requests_failed=self._failed_not_repeated(),
            note_claims=self.claims,
            note_claims_left_out=self.claims_left_out,
            unit_notes=self.unit_notes,
            reasoning_counted=self.reasoning,
            column_settings=self.column_settings,
            unread=self.unread,
            summary_rows=self.summary_rows,
        )


def _count_builds(
    signs: dict[int, dict[tuple[int, int], float]],
) -> list[tuple[list[int], dict[tuple[int, int], float]]]:
    """The files of one model grouped by how they count its prompts (file -> prompt ->
    tokens), each group's files and counts; one group (no split) wherever the counts do
    not cleanly tell builds apart (see `_Collector._builds`)."""
    builds: list[tuple[list[int], dict[tuple[int, int], float]]] = []
    for file, counts in signs.items():
        alike = [b for b in builds if all(b[1].get(k, v) == v for k, v in counts.items())]
        shared = [b for b in builds if set(b[1]) & set(counts)]
        if len(alike) == 1 and alike[0] in shared:
            alike[0][0].append(file)
            alike[0][1].update(counts)
            continue
        for _, other in builds:
            common = set(other) & set(counts)
            if len(common) < 2 or any(
                other[k] == counts[k] or min(other[k], counts[k]) < max(other[k], counts[k]) / 2
                for k in common
            ):
                return builds[:1]  # neither the same counts nor cleanly other ones
        builds.append(([file], dict(counts)))
    return builds


# A GGUF quantisation type at a name's end, after a `.` (TheBloke's `llama-2-7b.Q4_K_M`).
_DOT_QUANT = re.compile(r"\.(?=(?:ud-)?(?:[it]?q\d\w*|f16|bf16|f32|mxfp4\w*)$)")
_SEPARATORS = re.compile(r"[\s_-]+")


def _spelling_key(model: str) -> str:
    """A model's name without case and with one separator between words: the names a file
    and a table write for one model share it."""
    return _SEPARATORS.sub("-", _DOT_QUANT.sub("-", model.strip().lower()))


def _setting_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@contextmanager
def _read_ahead(collector: _Collector, entries: list[FileEntry]) -> Iterator[None]:
    """Workers parse the collector's files ahead while it reads, where that pays."""
    options = collector.options
    collector.ahead = start_read_ahead(
        collector.copies, entries, options.max_file_mb, options.workers, _read_head
    )
    try:
        yield
    finally:
        if collector.ahead is not None:
            collector.ahead.close()
            collector.ahead = None


def _read_entry(collector: _Collector, entry: FileEntry) -> str | None:
    """Read one file into the collector; the reason it could not be used, or None."""
    encoding: str | None = None
    while True:
        try:
            collector.read(entry, encoding)
            return None
        except UnusableFile as exc:
            return str(exc)
        except UnicodeDecodeError as exc:
            # UTF-8 in its first bytes, Windows-1252 past them (a `°C` in row 5,000): read
            # again whole in the legacy encoding. A note is never read twice (its summary
            # is kept before its text is read).
            if encoding is None and exc.encoding.startswith("utf-8") and entry.kind != "markdown":
                encoding = legacy_encoding(exc.object[max(0, exc.start - 64) : exc.end + 64])
                if encoding is not None:
                    continue
            return decode_reason(exc)
        except (OSError, ValueError, csv.Error, RecursionError, OverflowError) as exc:
            # pandas' ParserError is a ValueError; one bad file must not stop the run.
            reason = f"could not read: {exc.strerror if isinstance(exc, OSError) else exc}"
            return reason.strip()


def build_digest(
    root: Path,
    inventory: Inventory,
    options: IngestOptions,
    *,
    max_file_stats: int | None = MAX_FILES_FOR_FILE_STATS,
    on_file: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> DataDigest:
    """Read every inventoried file and compute the digest; unusable files end in `skipped`.

    Per-file statistics are left out when more than `max_file_stats` files hold metrics
    (None: never). `on_file(done, total)` is called before each file (progress on big folders).
    When `stop` is set, the digest ends before the next file with IngestStopped (Ctrl-C).
    """
    collector = _Collector(Path(root), options)
    collector.spec_machines = spec_machines(Path(root), (e.path for e in inventory.files))
    collector.iteration_counts = iteration_counts(Path(root), (e.path for e in inventory.files))
    total = len(inventory.files)
    # Notes last: a note's table quoting a run is the copy, the data file the original. A
    # file named as a copy of another ("x (1).csv", "x - Copy.json") after it, so that the
    # copy, not the original, is the one listed as repeating the other. So is a data file
    # named as a summary (`analysis/throughput_summary.csv` beside `results/*.txt`): where it
    # restates runs, it is the copy, never the run reports that sort after it.
    paths = {e.path for e in inventory.files}
    entries = sorted(
        inventory.files,
        key=lambda e: (
            e.kind == "markdown",
            e.kind != "markdown" and summary_named(e.path),
            copy_of(e.path) in paths,
        ),
    )
    with young_collections_spaced(), _read_ahead(collector, entries):
        for done, entry in enumerate(entries):
            if stop is not None and stop.is_set():
                raise IngestStopped
            if on_file is not None:
                on_file(done, total)
            reason = _read_entry(collector, entry)
            if reason is not None:
                collector.encodings.pop(entry.path, None)
                collector.skipped.append(SkippedFile(path=entry.path, reason=reason))
        return collector.digest(max_file_stats)


def ingest_folder(
    root: Path,
    options: IngestOptions,
    *,
    max_file_stats: int | None = MAX_FILES_FOR_FILE_STATS,
    inventory: Inventory | None = None,
    on_file: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[Inventory, DataDigest]:
    """Inventory (unless given) and digest of a data folder; unreadable files move to skipped."""
    if inventory is None:
        inventory = scan_folder(Path(root), options, stop=stop)
    digest = build_digest(
        Path(root), inventory, options, max_file_stats=max_file_stats, on_file=on_file, stop=stop
    )
    usable = inventory.without(digest.skipped)
    if not usable.files:
        raise _nothing_usable(root, digest.skipped)
    return usable, digest


MAX_NAMED_UNUSABLE = 10


def _nothing_usable(root: Path, skipped: list[SkippedFile]) -> DataError:
    """No file could be read: an analysis of nothing would only be the model's invention."""
    named = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:MAX_NAMED_UNUSABLE])
    more = len(skipped) - MAX_NAMED_UNUSABLE
    if more > 0:
        named += f"; and {more} more"
    return DataError(
        f"no file in {root} can be used ({named})",
        hint="fix those files (or raise ingest.max_file_mb), or point at another folder",
    )
