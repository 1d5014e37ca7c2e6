"""Statistics from the benchmark files, with pandas: the numbers the analyst reasons over.

Rules, stated once:

- **Metric columns** are recognised by name (case-insensitive, punctuation as "_"), in CSV
  headers and JSON keys alike: tokens/s (tokens_s, tokens_per_second, tok_s, tps, eval_rate),
  TTFT (ttft, time_to_first_token), latency, load, prompt_eval, eval, total (each with a unit
  suffix or a `_duration`/`_time` ending) and eval_count. A prefix mean_/avg_/median_/p95_/...
  marks a value someone already aggregated (a summary file): those keep their own series
  (`MetricStats.aggregate`) so a mean of means never mixes with per-run values.
- **Units** come from the suffix: `_s`/`_sec`/`_seconds` seconds, `_ms`, `_us`, `_ns`; all
  times become ms. A time column without a unit (Ollama's raw `total_duration`, bare `latency`)
  is nanoseconds when its median in that file exceeds 1e6, as Ollama's API reports, else ms.
- **Derived rate**: rows with eval_count and an eval duration but no tokens/s column get
  tokens_per_s = eval_count / eval seconds (Ollama's raw API answers carry no rate).
- **Model** comes from a `model` column/key; where missing, from the file name (see
  `model_from_filename`). `config_name` and the options beside it (num_gpu, num_ctx,
  temperature, ...) come from the data only.
- **Error rows**: a row with a non-empty `error` is left out of every statistic and counted.
- **Text**: UTF-8 (BOM or not) and UTF-16/32 with a BOM are read; any other encoding is
  skipped with the reason rather than guessed (a mis-decoded header silently loses metrics).
- **Size**: a CSV above `max_file_mb` is read in part (about that many MB of rows, streamed in
  chunks with only the recognised columns) and the digest says so; such a JSON is skipped.
- **CSV shape**: every non-blank row must have as many fields as the header; otherwise the
  file is skipped as ragged (shifted columns would put prompt text into the metrics).
"""

from __future__ import annotations

import codecs
import collections
import csv
import dataclasses
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from chimera.config import IngestOptions
from chimera.inventory import FileEntry, Inventory, SkippedFile, scan_folder

MB = 1024 * 1024
UNITS: dict[str, str] = {
    "tokens_per_s": "tok/s",
    "ttft_ms": "ms",
    "latency_ms": "ms",
    "load_ms": "ms",
    "prompt_eval_ms": "ms",
    "eval_ms": "ms",
    "eval_count": "tokens",
    "total_ms": "ms",
}
KEY_METRICS = ("tokens_per_s", "ttft_ms")
GROUPINGS = ("model", "config_name", "model+config_name", "file")
PARAM_NAMES = (
    "num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty",
    "num_thread", "num_batch", "num_predict", "seed",
)  # fmt: skip
_FLOAT_PARAMS = frozenset({"temperature", "top_p", "repeat_penalty"})

_THROUGHPUT = frozenset({
    "tokens_s", "tokens_per_s", "tokens_sec", "tokens_per_sec", "tokens_per_second",
    "tok_s", "tok_per_s", "toks_s", "tps", "eval_rate", "throughput", "throughput_tok_s",
})  # fmt: skip
_COUNTS = frozenset({"eval_count", "tokens_generated", "completion_tokens", "output_tokens"})
_TIME_BASES = {
    "ttft": "ttft_ms", "time_to_first_token": "ttft_ms", "first_token": "ttft_ms",
    "latency": "latency_ms", "wall_time": "latency_ms", "response_time": "latency_ms",
    "load": "load_ms", "load_duration": "load_ms", "load_time": "load_ms",
    "prompt_eval": "prompt_eval_ms", "prompt_eval_duration": "prompt_eval_ms",
    "prompt_eval_time": "prompt_eval_ms",
    "eval": "eval_ms", "eval_duration": "eval_ms", "eval_time": "eval_ms",
    "total": "total_ms", "total_duration": "total_ms", "total_time": "total_ms",
}  # fmt: skip
# Too generic to be a time without an explicit unit ("eval" could be a score).
_NEEDS_UNIT = frozenset({"load", "prompt_eval", "eval", "total", "first_token"})
_TO_MS = {"ms": 1.0, "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "seconds": 1000.0,
          "us": 1e-3, "ns": 1e-6}  # fmt: skip
_AGGREGATES = {"mean": "mean", "avg": "mean", "average": "mean", "median": "median",
               "p50": "median", "p90": "p90", "p95": "p95", "p99": "p99", "min": "min",
               "max": "max", "std": "std"}  # fmt: skip
_MODEL_KEYS = frozenset({"model", "model_name"})
_CONFIG_KEYS = frozenset({"config_name", "config"})
_ERROR_KEYS = frozenset({"error", "error_message", "errors"})
_NO_ERROR = frozenset({"", "nan", "none", "null", "false", "0"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
_SNIFF_BYTES = 64 * 1024
_CHUNK_ROWS = 50_000
_NS_THRESHOLD = 1e6
_DERIVED_RATE = "eval_count / eval_duration"
_MODEL_FROM_NAME = re.compile(
    r"(?P<family>[a-z][a-z0-9.\-]*?)_(?P<tag>\d+(?:\.\d+)?[bmk](?:-[a-z0-9.]+)*|latest)(?=_|$)"
)


class MetricStats(BaseModel):
    """One metric's statistics over all rows, or over one group of rows."""

    metric: str
    unit: str
    column: str  # the column(s) as written in the files, comma-separated when pooled
    group_by: str | None  # "model", "config_name", "model+config_name", "file" or None
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


class ErrorRows(BaseModel):
    """Rows of one file left out of the statistics because they carry an error."""

    path: str
    count: int
    sample: str


class PartialRead(BaseModel):
    """A file larger than max_file_mb, of which only the first rows were read."""

    path: str
    size_bytes: int
    rows_read: int
    max_file_mb: float


class NoteSummary(BaseModel):
    """A Markdown note: where it is and what it is about (its first heading)."""

    path: str
    title: str


class DataDigest(BaseModel):
    """Everything the analyst is told about the data, as numbers."""

    stats: list[MetricStats]
    configs: dict[str, dict[str, Any]]
    error_rows: list[ErrorRows]
    tables_read: int
    rows_read: int
    skipped: list[SkippedFile]
    partial: list[PartialRead] = Field(default_factory=list)
    notes: list[NoteSummary] = Field(default_factory=list)
    tables_without_metrics: list[str] = Field(default_factory=list)

    def find(
        self,
        metric: str,
        group_by: str | None = None,
        group: str | None = None,
        aggregate: str | None = None,
    ) -> MetricStats | None:
        """The stats for one metric and group (per-run values unless `aggregate` is given)."""
        for s in self.stats:
            if (s.metric, s.group_by, s.group, s.aggregate) == (metric, group_by, group, aggregate):
                return s
        return None

    def render(
        self, max_tokens: int | None, count_tokens: Callable[[str], int] | None = None
    ) -> tuple[str, bool]:
        """Compact plain text for the prompt and whether lines had to be left out to fit."""
        lines = _digest_lines(self)
        return _fit(lines, max_tokens, count_tokens or estimate_tokens)


def estimate_tokens(text: str) -> int:
    """Rough token count (4 characters a token) where no tokenizer is at hand."""
    return len(text) // 4


# --- recognising columns -------------------------------------------------------------------


@dataclass(frozen=True)
class MetricRole:
    """What a column measures: canonical metric, pre-aggregation, factor to canonical unit."""

    metric: str
    aggregate: str | None
    factor: float | None  # None: unit not in the name, decided from the values' magnitude


def normalise_name(name: object) -> str:
    """`TTFT (ms)` -> `ttft_ms`: lower case, punctuation and spaces as one underscore."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def metric_role(name: str) -> MetricRole | None:
    """The metric a column or JSON key holds, or None when it is not a recognised metric."""
    norm = normalise_name(name)
    aggregate = None
    head, _, rest = norm.partition("_")
    if rest and head in _AGGREGATES:
        aggregate, norm = _AGGREGATES[head], rest
    if norm in _THROUGHPUT:
        return MetricRole("tokens_per_s", aggregate, 1.0)
    if norm in _COUNTS:
        return MetricRole("eval_count", aggregate, 1.0)
    base, _, suffix = norm.rpartition("_")
    factor = _TO_MS.get(suffix) if base else None
    if factor is None:
        base = norm
    metric = _TIME_BASES.get(base)
    if metric is None or (factor is None and base in _NEEDS_UNIT):
        return None
    return MetricRole(metric, aggregate, factor)


def model_from_filename(name: str) -> str | None:
    """`gemma3_270m_baseline.csv` -> `gemma3:270m`: family, then a size tag or "latest".

    The stem's first "_"-separated part is the family; the next part must look like a
    size tag (digits + b/m/k, optionally with "-suffixes" such as `1b-it-qat`) or "latest".
    Anything else (`ollama_bench_20251114.json`) names no model.
    """
    found = _MODEL_FROM_NAME.match(Path(name).stem.lower())
    return f"{found['family']}:{found['tag']}" if found else None


@dataclass
class _Columns:
    """The roles of a table's columns (labels as pandas names them)."""

    metrics: dict[str, MetricRole] = field(default_factory=dict)
    model: str | None = None
    config: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @classmethod
    def of(cls, labels: Iterable[str], leaf: Callable[[str], str] = str) -> _Columns:
        """Classify labels; `leaf` maps a label to the name to recognise (JSON key paths)."""
        cols = cls()
        for label in labels:
            name = normalise_name(leaf(label))
            if name in _MODEL_KEYS:
                cols.model = cols.model or label
            elif name in _CONFIG_KEYS:
                cols.config = cols.config or label
            elif name in PARAM_NAMES:
                cols.params.setdefault(name, label)
            elif name in _ERROR_KEYS:
                cols.error = cols.error or label
            elif (role := metric_role(leaf(label))) is not None:
                cols.metrics[label] = role
        return cols

    def text_labels(self) -> list[str]:
        return [c for c in (self.model, self.config, self.error) if c is not None]

    def labels(self) -> list[str]:
        return [*self.metrics, *self.text_labels(), *self.params.values()]


# --- reading files -------------------------------------------------------------------------


class _Skip(Exception):
    """A file cannot be used; the message is the reason the user sees."""


def _decode_reason(exc: UnicodeDecodeError) -> str:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return f"not {exc.encoding} text (byte 0x{byte} cannot be decoded); re-save it as UTF-8"


def _sniff(path: Path) -> tuple[str, bytes]:
    """The encoding to read `path` with, and its first bytes; _Skip for binary or other text."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        raise _Skip(f"cannot read: {exc.strerror or exc}") from exc
    if not head:
        raise _Skip("empty file (0 bytes)")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, head
    if b"\x00" in head:
        half = len(head) // 2 or 1
        if max(head[0::2].count(0), head[1::2].count(0)) > 0.4 * half:
            raise _Skip("UTF-16 text without a byte-order mark; re-save it as UTF-8")
        raise _Skip("binary content (NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise _Skip(
            f"not UTF-8 text (byte 0x{head[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8"
        ) from None
    return "utf-8", head


def _head_text(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_MESSAGE = re.compile(r"error|exception|traceback|failed|refused|not found|timed? ?out", re.I)


def _reject_non_table(header: list[str], head: bytes, encoding: str) -> None:
    """_Skip when a CSV without recognised columns is not a table at all."""
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    numeric = sum(_is_number(str(h)) for h in header)
    if numeric and numeric * 2 >= len(header):
        raise _Skip(
            f"no header row: the first line holds values ({first[:60]!r}); "
            "add a header naming the columns"
        )
    if len(lines) <= 1 or _MESSAGE.search(first):
        raise _Skip(f"not a CSV table, only a message: {first[:80]!r}")


def _check_ragged(path: Path, encoding: str, n_fields: int, nrows: int | None) -> None:
    """_Skip when a row has another field count than the header (pandas' usecols hides it)."""
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        rows: Iterator[list[str]] = itertools.islice(reader, nrows) if nrows else reader
        # map(len) + Counter keep the whole pass in C: about 1 s per 50 MB.
        lengths = collections.Counter(map(len, rows))
    bad = sum(n for length, n in lengths.items() if length not in (0, n_fields))
    if not bad:
        return
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for row in reader:
            if len(row) not in (0, n_fields):
                raise _Skip(
                    f"ragged rows: line {reader.line_num} has {len(row)} fields, the header "
                    f"{n_fields} ({bad} such rows); quote fields that contain commas"
                )


def _row_budget(head: bytes, max_bytes: int) -> int:
    """How many rows make about `max_bytes`, judging by the average line in `head`."""
    line_bytes = len(head) / max(1, head.count(b"\n"))
    return max(1, int(max_bytes / line_bytes) - 1)


def _load_json(path: Path, entry: FileEntry, encoding: str, options: IngestOptions) -> Any:
    if entry.size_bytes > options.max_file_mb * MB:
        raise _Skip(
            f"JSON larger than max_file_mb ({entry.size_bytes / MB:.1f} MB > "
            f"{options.max_file_mb:g} MB), not loaded; raise ingest.max_file_mb to read it"
        )
    try:
        text = path.read_bytes().decode(encoding)
    except OSError as exc:
        raise _Skip(f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise _Skip(_decode_reason(exc)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON Lines: one document per line
            try:
                return [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError:
                pass
        raise _Skip(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _json_records(obj: Any, context: dict[str, Any], prefix: str, out: list[dict]) -> None:
    """Flatten JSON into rows: each dict holding metrics (or an error) is one row.

    Scalars of enclosing dicts (model, options, ...) are inherited by the rows below them;
    metric keys are not, so a parent's totals are never counted again for its children.
    Metrics keep their key path as column (`results[].ttft_ms`); model, config and options
    are stored under their plain name, the innermost value winning.
    """
    if isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict | list):
                _json_records(item, context, f"{prefix}[]", out)
        return
    if not isinstance(obj, dict):
        return
    own: dict[str, Any] = {}
    children: list[tuple[str, Any]] = []
    value_lists: list[tuple[str, list]] = []

    def take(key: str, path: str, value: Any) -> None:
        name = normalise_name(key)
        if name in _MODEL_KEYS:
            own["model"] = value
        elif name in _CONFIG_KEYS:
            own["config_name"] = value
        elif name in PARAM_NAMES:
            own[name] = value
        elif name in _ERROR_KEYS:
            own["error"] = value
        elif metric_role(key) is not None:
            own[path] = value

    for key, value in obj.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if _is_scalar(value):
            take(str(key), path, value)
        elif normalise_name(key) in _ERROR_KEYS:
            own["error"] = json.dumps(value)[:200] if value else None  # {"code": .., "message": ..}
        elif (
            isinstance(value, dict)
            and all(_is_scalar(v) for v in value.values())
            and not any(metric_role(str(k)) for k in value)
        ):
            for k, v in value.items():  # an options block: context for the rows below
                take(str(k), f"{path}.{k}", v)
        elif (
            isinstance(value, list)
            and metric_role(str(key))
            and all(isinstance(v, int | float) for v in value)
        ):
            value_lists.append((path, value))  # "ttft_ms": [120.5, 98.1, ...]
        else:
            children.append((path, value))
    row = {**context, **own}
    metric_keys = [k for k in own if metric_role(_json_leaf(k))]
    if metric_keys or own.get("error"):
        out.append(row)
    inherited = {k: v for k, v in row.items() if k not in metric_keys and k != "error"}
    for path, values in value_lists:
        out.extend({**inherited, path: v} for v in values)
    for path, value in children:
        _json_records(value, inherited, path, out)


def _json_leaf(label: str) -> str:
    return label.rsplit(".", 1)[-1]


def _markdown_title(head: bytes, encoding: str) -> str:
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("#"):
            return line.lstrip("#").strip()[:100]
    return lines[0][:100] if lines else ""


# --- collecting values ---------------------------------------------------------------------


def _python_value(name: str, value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and name not in _FLOAT_PARAMS:
        return int(value)
    return value


def _label_codes(
    frame: pd.DataFrame, label: str | None, default: str | None
) -> tuple[np.ndarray, list[str | None]]:
    """Per-row codes into a list of names; code -1 (a missing value) indexes `default`, last."""
    if label is None:
        return np.full(len(frame), -1, dtype=np.intp), [default]
    # factorize hashes in C; only the few distinct names are cleaned in Python.
    codes, uniques = pd.factorize(frame[label], use_na_sentinel=True)
    names = [str(u).strip() or default for u in uniques]
    return codes, [*names, default]


@dataclass(frozen=True)
class _Part:
    """Finite values of one metric column, for one model and config, from one file."""

    key: tuple[str, str | None]  # (metric, aggregate)
    column: str
    model: str | None
    config: str | None
    values: np.ndarray
    source: str = ""


class _FileValues:
    """Values taken from one table; merged into the digest only when the whole file read."""

    def __init__(self, path: str, cols: _Columns, file_model: str | None) -> None:
        self.path = path
        self.cols = cols
        self.file_model = file_model
        self.parts: list[_Part] = []
        self.factors: dict[str, float] = {}
        self.configs: dict[str, dict[str, Any]] = {}
        self.rows = 0
        self.errors = 0
        self.error_sample = ""

    def _error_mask(self, frame: pd.DataFrame) -> np.ndarray:
        """True for rows whose error column holds a message."""
        bad = np.zeros(len(frame), dtype=bool)
        if self.cols.error is None:
            return bad
        raw = frame[self.cols.error].to_numpy(dtype=object)
        for i in np.flatnonzero(frame[self.cols.error].notna().to_numpy()):
            text = str(raw[i]).strip()
            if text.lower() not in _NO_ERROR:
                bad[i] = True
                self.error_sample = self.error_sample or text[:200]
        return bad

    def _collect_configs(self, frame: pd.DataFrame, codes: np.ndarray, names: list) -> None:
        _, first_rows = np.unique(codes, return_index=True)
        for row in first_rows:
            name = names[codes[row]]
            if name is None or name in self.configs:
                continue
            params = frame.iloc[row]
            self.configs[name] = {
                param: _python_value(param, params[label])
                for param, label in self.cols.params.items()
                if pd.notna(params[label])
            }

    def add(self, frame: pd.DataFrame) -> None:
        """Take the metric values of one chunk of rows."""
        self.rows += len(frame)
        if frame.empty:
            return
        config_codes, config_names = _label_codes(frame, self.cols.config, None)
        if self.cols.config is not None:
            self._collect_configs(frame, config_codes, config_names)
        bad = self._error_mask(frame)
        self.errors += int(bad.sum())
        model_codes, model_names = _label_codes(frame, self.cols.model, self.file_model)
        # Row positions per (model, config); code -1 maps to the last name (the default).
        model_codes = np.where(model_codes < 0, len(model_names) - 1, model_codes)
        config_codes = np.where(config_codes < 0, len(config_names) - 1, config_codes)
        pair = np.where(bad, -1, model_codes * len(config_names) + config_codes)
        order = np.argsort(pair, kind="stable")
        pairs, starts = np.unique(pair[order], return_index=True)
        groups = [
            (model_names[p // len(config_names)], config_names[p % len(config_names)], rows)
            for p, rows in zip(pairs, np.split(order, starts[1:]), strict=True)
            if p >= 0
        ]
        per_run: dict[str, np.ndarray] = {}
        for label, role in self.cols.metrics.items():
            values = pd.to_numeric(frame[label], errors="coerce").to_numpy(
                dtype="float64", na_value=np.nan
            )
            finite = values[np.isfinite(values) & ~bad]
            if finite.size == 0:
                continue
            factor = self.factors.get(label, role.factor)
            if factor is None:  # unit not in the name: Ollama's raw durations are ns
                factor = 1e-6 if np.median(finite) > _NS_THRESHOLD else 1.0
            self.factors[label] = factor
            values = values * factor
            if role.aggregate is None:
                per_run.setdefault(role.metric, values)
            self._keep((role.metric, role.aggregate), label, values, groups)
        if "tokens_per_s" not in per_run and {"eval_count", "eval_ms"} <= per_run.keys():
            # Ollama's raw responses carry no rate; its CLI computes eval_count / eval_duration.
            eval_ms = per_run["eval_ms"]
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(eval_ms > 0, per_run["eval_count"] / (eval_ms / 1000), np.nan)
            self._keep(("tokens_per_s", None), _DERIVED_RATE, rate, groups)

    def _keep(
        self,
        key: tuple[str, str | None],
        column: str,
        values: np.ndarray,
        groups: list[tuple[str | None, str | None, np.ndarray]],
    ) -> None:
        for model, config, rows in groups:
            kept = values[rows]
            kept = kept[np.isfinite(kept)]
            if kept.size:
                self.parts.append(_Part(key, column, model, config, kept))


@dataclass
class _Collector:
    """Reads every file of an inventory and gathers what the digest needs."""

    root: Path
    options: IngestOptions
    parts: dict[tuple[str, str | None], list[_Part]] = field(
        default_factory=lambda: collections.defaultdict(list)
    )
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    error_rows: list[ErrorRows] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    partial: list[PartialRead] = field(default_factory=list)
    notes: list[NoteSummary] = field(default_factory=list)
    no_metrics: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0

    def read(self, entry: FileEntry) -> None:
        """Read one file; _Skip (or a parser error) means nothing of it was kept."""
        path = self.root / entry.path
        encoding, head = _sniff(path)
        if entry.kind == "markdown":
            self.notes.append(NoteSummary(path=entry.path, title=_markdown_title(head, encoding)))
            return
        values = (
            self._read_csv(path, entry, encoding, head)
            if entry.kind == "csv"
            else self._read_json(path, entry, encoding)
        )
        self._commit(values)

    def _read_csv(self, path: Path, entry: FileEntry, encoding: str, head: bytes) -> _FileValues:
        try:
            header = [str(c) for c in pd.read_csv(path, nrows=0, encoding=encoding).columns]
        except pd.errors.EmptyDataError:
            raise _Skip("no CSV header: the file holds only blank lines") from None
        cols = _Columns.of(header)
        values = _FileValues(entry.path, cols, model_from_filename(entry.path))
        if not cols.metrics and cols.error is None:
            _reject_non_table(header, head, encoding)
            return values
        nrows = None
        max_bytes = int(self.options.max_file_mb * MB)
        if entry.size_bytes > max_bytes:
            nrows = _row_budget(head, max_bytes)
        _check_ragged(path, encoding, len(header), nrows)
        chunks = pd.read_csv(
            path,
            encoding=encoding,
            usecols=cols.labels(),
            dtype={label: object for label in cols.text_labels()},
            index_col=False,
            chunksize=_CHUNK_ROWS,
            nrows=nrows,
        )
        with chunks:
            for chunk in chunks:
                values.add(chunk)
        if values.rows == 0:
            raise _Skip("header only, no data rows")
        if nrows is not None:
            self.partial.append(
                PartialRead(
                    path=entry.path,
                    size_bytes=entry.size_bytes,
                    rows_read=values.rows,
                    max_file_mb=self.options.max_file_mb,
                )
            )
        return values

    def _read_json(self, path: Path, entry: FileEntry, encoding: str) -> _FileValues:
        records: list[dict[str, Any]] = []
        _json_records(_load_json(path, entry, encoding, self.options), {}, "", records)
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        cols = _Columns.of(frame.columns, _json_leaf)
        values = _FileValues(entry.path, cols, model_from_filename(entry.path))
        if records:
            values.add(frame)
        return values

    def _commit(self, values: _FileValues) -> None:
        self.tables += 1
        self.rows += values.rows
        if not values.parts and not values.errors:
            self.no_metrics.append(values.path)
        if values.errors:
            self.error_rows.append(
                ErrorRows(path=values.path, count=values.errors, sample=values.error_sample)
            )
        for name, params in values.configs.items():
            self.configs.setdefault(name, params)
        for part in values.parts:
            self.parts[part.key].append(dataclasses.replace(part, source=values.path))

    def digest(self) -> DataDigest:
        return DataDigest(
            stats=_all_stats(self.parts),
            configs=dict(sorted(self.configs.items())),
            error_rows=self.error_rows,
            tables_read=self.tables,
            rows_read=self.rows,
            skipped=self.skipped,
            partial=self.partial,
            notes=self.notes,
            tables_without_metrics=self.no_metrics,
        )


# --- statistics ----------------------------------------------------------------------------


def _one_stats(
    parts: list[_Part], key: tuple[str, str | None], group_by: str | None, group: str | None
) -> MetricStats:
    metric, aggregate = key
    values = np.concatenate([p.values for p in parts])
    return MetricStats(
        metric=metric,
        unit=UNITS[metric],
        column=", ".join(dict.fromkeys(p.column for p in parts)),
        group_by=group_by,
        group=group,
        sources=sorted({p.source for p in parts}),
        n=int(values.size),
        mean=float(values.mean()),
        median=float(np.median(values)),
        p95=float(np.percentile(values, 95)),  # linear, as pandas' quantile
        min=float(values.min()),
        max=float(values.max()),
        aggregate=aggregate,
    )


def _group_of(part: _Part, grouping: str) -> str | None:
    if grouping == "model":
        return part.model
    if grouping == "config_name":
        return part.config
    if grouping == "model+config_name":
        return f"{part.model} / {part.config}" if part.model and part.config else None
    return part.source


def _all_stats(parts: dict[tuple[str, str | None], list[_Part]]) -> list[MetricStats]:
    """Stats per metric series: over all rows, then per model, config, model+config, file."""
    order = list(UNITS)
    out: list[MetricStats] = []
    for key in sorted(parts, key=lambda k: (order.index(k[0]), k[1] or "")):
        out.append(_one_stats(parts[key], key, None, None))
        for grouping in GROUPINGS:
            groups: dict[str, list[_Part]] = collections.defaultdict(list)
            for part in parts[key]:
                if (group := _group_of(part, grouping)) is not None:
                    groups[group].append(part)
            for group in sorted(groups):
                out.append(_one_stats(groups[group], key, grouping, group))
    return out


def build_digest(root: Path, inventory: Inventory, options: IngestOptions) -> DataDigest:
    """Read every inventoried file and compute the digest; unusable files end in `skipped`."""
    collector = _Collector(Path(root), options)
    for entry in inventory.files:
        try:
            collector.read(entry)
        except _Skip as exc:
            collector.skipped.append(SkippedFile(path=entry.path, reason=str(exc)))
        except UnicodeDecodeError as exc:
            collector.skipped.append(SkippedFile(path=entry.path, reason=_decode_reason(exc)))
        except (OSError, ValueError, csv.Error, RecursionError) as exc:
            # pandas' ParserError is a ValueError; one bad file must not stop the run.
            reason = f"could not read: {exc.strerror if isinstance(exc, OSError) else exc}"
            collector.skipped.append(SkippedFile(path=entry.path, reason=reason.strip()))
    return collector.digest()


def ingest_folder(root: Path, options: IngestOptions) -> tuple[Inventory, DataDigest]:
    """Inventory and digest of a data folder; files the digest could not read move to skipped."""
    inventory = scan_folder(Path(root), options)
    digest = build_digest(Path(root), inventory, options)
    return inventory.without(digest.skipped), digest


# --- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    priority: int  # 0 = keep longest; -1 = never dropped
    heading: str  # the section heading printed before the first kept line of the section
    text: str


def _num(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _means(stats: dict[str, MetricStats], metrics: Iterable[str]) -> str:
    return ", ".join(f"{m} {_num(stats[m].mean)}" for m in metrics if m in stats)


def _grouped(
    stats: Iterable[MetricStats], group_by: str | None, aggregate: str | None = None
) -> dict[str | None, dict[str, MetricStats]]:
    """Stats of one grouping as group -> metric -> stats, groups in sorted order."""
    grouped: dict[str | None, dict[str, MetricStats]] = {}
    for s in stats:
        if s.group_by == group_by and s.aggregate == aggregate:
            grouped.setdefault(s.group, {})[s.metric] = s
    return dict(sorted(grouped.items(), key=lambda item: item[0] or ""))


def _digest_lines(d: DataDigest) -> list[_Line]:
    """Every line the digest can show, each with how readily it may be left out."""
    lines: list[_Line] = []

    def add(priority: int, heading: str, text: str) -> None:
        lines.append(_Line(priority, heading, text))

    excluded = sum(e.count for e in d.error_rows)
    add(
        -1,
        "",
        f"Data digest: {d.tables_read} tables, {d.rows_read} rows read; {excluded} "
        f"error rows excluded; {len(d.skipped)} files could not be parsed.",
    )
    add(-1, "", "Units: tok/s; times in ms (s and ns converted); eval_count in tokens.")
    for p in d.partial:
        add(
            0,
            "",
            f"PARTIAL: {p.path} is {p.size_bytes / MB:,.1f} MB; only its first "
            f"{p.rows_read:,} rows were read (max_file_mb={p.max_file_mb:g}).",
        )
    others = [m for m in UNITS if m not in KEY_METRICS]
    overall = _grouped(d.stats, None).get(None, {})
    for s in overall.values():
        add(0, "Overall means:", f"{s.metric} {_num(s.mean)} {s.unit} (n={s.n})")
    key_heading = "Means by {} (tokens_per_s tok/s, ttft_ms ms):"
    for group_by, priority in (("model", 0), ("model+config_name", 1), ("config_name", 3)):
        for group, stats in _grouped(d.stats, group_by).items():
            if text := _means(stats, KEY_METRICS):
                n = next(s.n for s in stats.values())
                add(priority, key_heading.format(group_by), f"{group}: {text} (n={n})")
    for e in d.error_rows:
        add(1, "Rows with an error (excluded):", f"{e.path}: {e.count} ({e.sample[:60]})")
    for group, stats in _grouped(d.stats, "model").items():
        if text := _means(stats, others):
            add(2, "Other means by model (ms, tokens):", f"{group}: {text}")
    for s in overall.values():
        add(
            2,
            "Spread over all rows:",
            f"{s.metric}: median {_num(s.median)}, p95 "
            f"{_num(s.p95)}, min {_num(s.min)}, max {_num(s.max)} [{s.column}]",
        )
    for name, params in d.configs.items():
        text = ", ".join(f"{k}={v}" for k, v in params.items())
        add(2, "Configs:", f"{name}: {text}")
    for key in dict.fromkeys((s.metric, s.aggregate) for s in d.stats if s.aggregate):
        by = next(
            g
            for g in ("model+config_name", "model", None)
            if any(s.group_by == g for s in d.stats if (s.metric, s.aggregate) == key)
        )
        for group, stats in _grouped(d.stats, by, key[1]).items():
            s = stats[key[0]]
            add(
                3,
                "As reported by summary files (already aggregated):",
                f"{group or 'all'}: {s.aggregate} {s.metric} {_num(s.mean)} [{s.column}]",
            )
    for group, stats in _grouped(d.stats, "model").items():
        spread = "; ".join(
            f"{m} median {_num(stats[m].median)}, p95 {_num(stats[m].p95)}"
            for m in KEY_METRICS
            if m in stats
        )
        if spread:
            add(3, "Spread by model:", f"{group}: {spread}")
    for s in d.skipped:
        add(3, "Skipped files:", f"{s.path}: {s.reason}")
    for group, stats in _grouped(d.stats, "file").items():
        n = next(s.n for s in stats.values())
        add(4, "Means per file:", f"{group}: {_means(stats, UNITS)} (n={n})")
    for note in d.notes:
        add(4, "Notes (Markdown):", f"{note.path}: {note.title}")
    if d.tables_without_metrics:
        add(4, "", "No recognised metric columns: " + ", ".join(d.tables_without_metrics))
    return lines


def _compose(lines: list[_Line], kept: list[bool], footer: str | None) -> str:
    out: list[str] = []
    heading = None
    for line, keep in zip(lines, kept, strict=True):
        if not keep:
            continue
        if line.heading != heading:
            heading = line.heading
            if heading:
                out.append(heading)
        out.append(line.text)
    if footer:
        out.append(footer)
    return "\n".join(out)


def _fit(
    lines: list[_Line], max_tokens: int | None, count_tokens: Callable[[str], int]
) -> tuple[str, bool]:
    """All lines if they fit; else leave out the fewest least informative lines, and say so."""
    everything = _compose(lines, [True] * len(lines), None)
    if max_tokens is None or count_tokens(everything) <= max_tokens:
        return everything, False
    # Drop order: lowest priority first, later lines (finer detail) before earlier ones.
    order = sorted(
        (i for i, line in enumerate(lines) if line.priority >= 0),
        key=lambda i: (-lines[i].priority, -i),
    )

    def attempt(k: int) -> str:
        kept = [True] * len(lines)
        for i in order[:k]:
            kept[i] = False
        footer = (
            f"[{k} of {len(lines)} digest lines left out to fit {max_tokens} tokens; "
            "the least informative (per-file detail, spreads) went first]"
        )
        return _compose(lines, kept, footer)

    # Fewer lines never cost more tokens, so binary search, then confirm (footer digits vary).
    low, high = 1, len(order)
    while low < high:
        mid = (low + high) // 2
        if count_tokens(attempt(mid)) <= max_tokens:
            high = mid
        else:
            low = mid + 1
    k = low
    while k < len(order) and count_tokens(attempt(k)) > max_tokens:
        k += 1
    return attempt(k), True
