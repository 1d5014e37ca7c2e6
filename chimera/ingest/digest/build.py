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
  file states it (a whole number >= 1); nothing is assumed where none is stated.
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
- **Model** comes from a `model` column/key (llama-bench: model_filename); where missing,
  from the file name (see `model_from_filename`). `config_name` and the options beside it
  (num_gpu, num_ctx, temperature, ...) come from the data only.
- **Error rows**: a row with a non-empty `error` is left out of every statistic and counted.
- **Text**: UTF-8 (BOM or not) and UTF-16/32 with a BOM are read; any other encoding is
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
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from chimera.config.agent import IngestOptions
from chimera.errors import DataError
from chimera.ingest.digest.columns import UNITS, date_from_filename
from chimera.ingest.digest.models import (
    MAX_FILES_FOR_FILE_STATS,
    DataDigest,
    Dropped,
    ErrorRows,
    MetricStats,
    NoteSummary,
    OmittedFileStats,
    PartialRead,
    Setup,
)
from chimera.ingest.digest.readers import (
    SNIFF_BYTES,
    UnusableFile,
    decode_reason,
    markdown_title,
    read_csv_table,
    read_json_table,
    text_encoding,
)
from chimera.ingest.digest.series import (
    FILE_GROUPINGS,
    GROUPINGS,
    Group,
    SeriesStore,
    SettingsOf,
)
from chimera.ingest.digest.table import MAX_PLAUSIBLE, SeriesKey, TableValues
from chimera.ingest.inventory import (
    FileEntry,
    IngestStopped,
    Inventory,
    SkippedFile,
    scan_folder,
)

# --- collecting ----------------------------------------------------------------------------


def _read_head(path: Path) -> bytes:
    """The file's first bytes, to judge its encoding; the first time it is opened."""
    # `open` is looked up in this module on purpose: tests replace it here to make one
    # file unreadable as EACCES would for root, who ignores file modes.
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnusableFile(f"cannot read: {exc.strerror or exc}") from exc


@dataclass
class _Collector:
    """Reads every file of an inventory and gathers what the digest needs."""

    root: Path
    options: IngestOptions
    values: SeriesStore = field(default_factory=SeriesStore)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    setups: dict[tuple[str | None, str], Setup] = field(default_factory=dict)
    file_dates: dict[str, str] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)  # "model / config" with two sets of settings
    error_rows: list[ErrorRows] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    partial: list[PartialRead] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[NoteSummary] = field(default_factory=list)
    no_metrics: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0

    def read(self, entry: FileEntry) -> None:
        """Read one file; UnusableFile (or a parser error) means nothing of it was kept."""
        path = self.root / entry.path
        head = _read_head(path)
        encoding = text_encoding(head)
        if entry.kind == "markdown":
            self.notes.append(NoteSummary(path=entry.path, title=markdown_title(head, encoding)))
            return
        max_file_mb = self.options.max_file_mb
        if entry.kind == "csv":
            values, partial = read_csv_table(path, entry, encoding, head, max_file_mb)
            if partial:
                self.partial.append(
                    PartialRead(
                        path=entry.path,
                        size_bytes=entry.size_bytes,
                        rows_read=values.rows,
                        max_file_mb=max_file_mb,
                    )
                )
        else:
            values = read_json_table(path, entry, encoding, max_file_mb)
        self._commit(values)

    def _commit(self, values: TableValues) -> None:
        self.tables += 1
        self.rows += values.rows
        if not values.parts and not values.errors:
            self.no_metrics.append(values.path)
        if values.cut_rows:
            self.dropped.append(
                Dropped(
                    path=values.path, count=values.cut_rows, what="rows", reason=values.cut_reason
                )
            )
        for reason, count in values.left_out.items():
            self.dropped.append(Dropped(path=values.path, count=count, what="rows", reason=reason))
        if values.implausible:
            columns = ", ".join(values.implausible_columns)
            self.dropped.append(
                Dropped(
                    path=values.path,
                    count=values.implausible,
                    what="values",
                    reason=f"infinite, negative or implausibly large (over {MAX_PLAUSIBLE:g}) "
                    f"in {columns}",
                )
            )
        if values.errors:
            self.error_rows.append(
                ErrorRows(
                    path=values.path,
                    count=values.errors,
                    sample=values.error_sample,
                    rows=values.rows,
                )
            )
        for name, params in values.configs.items():
            self.configs.setdefault(name, params)
        for (model, config), params in values.setups.items():
            earlier = self.setups.get((model, config))
            if earlier is not None and earlier.params != params:
                self.conflicts.add(f"{model} / {config}")
            self.setups.setdefault(
                (model, config),
                Setup(
                    model=model,
                    config=config,
                    params=params,
                    synthetic=config in values.synthetic_configs,
                ),
            )
        if values.parts:
            dated = values.earliest.date().isoformat() if values.earliest is not None else None
            dated = dated or date_from_filename(values.path)
            if dated:
                self.file_dates[values.path] = dated
        self.values.add(values.path, values.parts)

    def _varying_settings(self) -> SettingsOf:
        """Per (model, config), its numeric settings that take other values in the model's
        other setups; setups whose files disagree on their settings are left out."""
        by_model: dict[str | None, list[Setup]] = {}
        for (model, config), setup in self.setups.items():
            if f"{model} / {config}" not in self.conflicts:
                by_model.setdefault(model, []).append(setup)
        varying: dict[tuple[str | None, str | None], dict[str, str]] = {}
        for model, setups in by_model.items():
            keys = {k for s in setups for k in s.params}
            for setup in setups:
                varying[(model, setup.config)] = {
                    k: _setting_text(setup.params[k])
                    for k in sorted(keys)
                    if k in setup.params
                    and len({_setting_text(s.params.get(k)) for s in setups}) > 1
                }
        return lambda model, config: varying.get((model, config), {})

    def digest(self, max_file_stats: int | None) -> DataDigest:
        omitted = None
        groupings = GROUPINGS
        if max_file_stats is not None and self.values.tables > max_file_stats:
            omitted = OmittedFileStats(files=self.values.tables, max_files=max_file_stats)
            groupings = tuple(g for g in GROUPINGS if g not in FILE_GROUPINGS)
        return DataDigest(
            stats=_all_stats(self.values, groupings, self._varying_settings()),
            configs=dict(sorted(self.configs.items())),
            error_rows=self.error_rows,
            tables_read=self.tables,
            rows_read=self.rows,
            skipped=self.skipped,
            partial=self.partial,
            dropped=self.dropped,
            notes=self.notes,
            tables_without_metrics=self.no_metrics,
            file_stats_omitted=omitted,
            setups=sorted(self.setups.values(), key=lambda s: (s.model or "", s.config)),
            file_dates=dict(sorted(self.file_dates.items())),
            conflicting_setups=sorted(self.conflicts),
        )


def _setting_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- statistics ----------------------------------------------------------------------------


def _runs(group: Group) -> int | None:
    """The runs a group's already-aggregated values are over, when every file states them."""
    counts = group.run_counts
    if counts is None or counts.size == 0 or not np.isfinite(counts).all():
        return None
    return int(counts.sum())


def _stats(key: SeriesKey, group: Group) -> MetricStats:
    metric, aggregate = key
    values = group.values
    return MetricStats(
        metric=metric,
        unit=UNITS[metric],
        column=", ".join(group.columns),
        group_by=group.group_by,
        group=group.group,
        sources=group.sources,
        n=int(values.size),
        mean=float(values.mean()),
        median=float(np.median(values)),
        p95=float(np.percentile(values, 95)),  # linear, as pandas' quantile
        min=float(values.min()),
        max=float(values.max()),
        aggregate=aggregate,
        std=float(values.std(ddof=1)) if values.size >= 2 else None,
        runs=_runs(group),
    )


def _all_stats(
    store: SeriesStore, groupings: tuple[str, ...], settings_of: SettingsOf | None = None
) -> list[MetricStats]:
    """Stats per metric series: over all rows, then per group of each grouping."""
    order = list(UNITS)
    out: list[MetricStats] = []
    for key in sorted(store.series, key=lambda k: (order.index(k[0]), k[1] or "")):
        out.extend(_stats(key, group) for group in store.groups(key, groupings, settings_of))
    return out


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
    total = len(inventory.files)
    for done, entry in enumerate(inventory.files):
        if stop is not None and stop.is_set():
            raise IngestStopped
        if on_file is not None:
            on_file(done, total)
        try:
            collector.read(entry)
        except UnusableFile as exc:
            collector.skipped.append(SkippedFile(path=entry.path, reason=str(exc)))
        except UnicodeDecodeError as exc:
            collector.skipped.append(SkippedFile(path=entry.path, reason=decode_reason(exc)))
        except (OSError, ValueError, csv.Error, RecursionError) as exc:
            # pandas' ParserError is a ValueError; one bad file must not stop the run.
            reason = f"could not read: {exc.strerror if isinstance(exc, OSError) else exc}"
            collector.skipped.append(SkippedFile(path=entry.path, reason=reason.strip()))
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
