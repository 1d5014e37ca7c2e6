"""Recognising columns: the canonical metrics, and which one a column or JSON key holds.

The naming rules themselves are stated once, in `chimera.ingest.digest.build`'s docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chimera.ingest.digest.llama_bench import PARAMETERS as BENCH_PARAMETERS
from chimera.ingest.digest.llama_bench import BenchColumns

# The canonical metrics in display order, with the unit every value is converted to.
UNITS: dict[str, str] = {
    "tokens_per_s": "tok/s",
    # llama-bench's prompt processing (pp512) rate: tokens of the prompt read per second,
    # never pooled with generation throughput (ten times as fast or more).
    "prompt_tokens_per_s": "tok/s",
    "ttft_ms": "ms",
    "latency_ms": "ms",
    "load_ms": "ms",
    "prompt_eval_ms": "ms",
    "eval_ms": "ms",
    "eval_count": "tokens",
    "total_ms": "ms",
}
KEY_METRICS = ("tokens_per_s", "ttft_ms")
# Settings a column of any table is read as (Ollama's options, and their aliases below).
TABLE_PARAMS = (
    "num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty",
    "num_thread", "num_batch", "num_predict", "seed", "quantization",
)  # fmt: skip
# llama-bench's own test parameters that are numbers people write in text ("n_depth=4096"),
# settings in llama-bench output only (see `llama_bench`): an `n_gen` column elsewhere may
# well be a count per run.
BENCH_PARAMS = ("n_ubatch", "flash_attn", "no_kv_offload", "n_cpu_moe", "n_prompt", "n_gen",
                "n_depth")  # fmt: skip
# Every setting a setup can state, in the order configs made of settings list them; the
# figures check reads each of them in text.
PARAM_NAMES = TABLE_PARAMS + BENCH_PARAMS
# Other spellings of the settings, as llama.cpp, llama-bench and people write them.
PARAM_ALIASES = {
    "n_gpu_layers": "num_gpu", "ngl": "num_gpu", "gpu_layers": "num_gpu",
    "n_ctx": "num_ctx", "ctx_size": "num_ctx", "context_size": "num_ctx",
    "context_length": "num_ctx", "ctx": "num_ctx", "temp": "temperature",
    "n_threads": "num_thread", "threads": "num_thread", "num_threads": "num_thread",
    "n_batch": "num_batch", "batch_size": "num_batch",
    "quant": "quantization", "quantisation": "quantization", "quant_type": "quantization",
    "qtype": "quantization",
}  # fmt: skip
FLOAT_PARAMS = frozenset({"temperature", "top_p", "repeat_penalty"})
MODEL_KEYS = frozenset({"model", "model_name"})
CONFIG_KEYS = frozenset({"config_name", "config"})
ERROR_KEYS = frozenset({"error", "error_message", "errors"})
# When a row (or a whole file) was measured: the earliest parsable value dates a file.
TIME_KEYS = frozenset({
    "timestamp", "created_at", "generated_at", "date", "datetime", "started_at", "start_time",
    "run_at", "run_date", "measured_at", "time_utc", "test_time",
})  # fmt: skip
# How many runs a summary file's row is over ("runs" beside mean_tokens_s): kept with the
# row's already-aggregated values, never assumed where no such column is.
RUNS_KEYS = frozenset({
    "runs", "n", "n_runs", "num_runs", "run_count", "count", "samples", "n_samples",
    "num_samples", "repetitions", "reps", "n_reps",
})  # fmt: skip
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")

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
               "max": "max", "std": "std", "stddev": "std", "stdev": "std"}  # fmt: skip
_MODEL_FROM_NAME = re.compile(
    r"(?P<family>[a-z][a-z0-9.\-]*?)_(?P<tag>\d+(?:\.\d+)?[bmk](?:-[a-z0-9.]+)*|latest)(?=_|$)"
)


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


def param_order(name: str) -> tuple[int, int, str]:
    """Where a setting goes in a config made of settings: Chimera's, then llama-bench's."""
    if name in PARAM_NAMES:
        return (0, PARAM_NAMES.index(name), name)
    if name in BENCH_PARAMETERS:
        return (1, list(BENCH_PARAMETERS).index(name), name)
    return (2, 0, name)


def param_name(name: str) -> str | None:
    """The canonical setting a normalised column name holds (`n_gpu_layers` -> `num_gpu`)."""
    if name in TABLE_PARAMS:
        return name
    return PARAM_ALIASES.get(name)


def date_from_filename(name: str) -> str | None:
    """`ollama_bench_20251114.json` -> `2025-11-14`: the last date written in the file's path."""
    found = _DATE_IN_NAME.findall(Path(name).name) or _DATE_IN_NAME.findall(name)
    if not found:
        return None
    year, month, day = found[-1]
    return f"{year}-{month}-{day}"


def model_from_filename(name: str) -> str | None:
    """`gemma3_270m_baseline.csv` -> `gemma3:270m`: family, then a size tag or "latest".

    The stem's first "_"-separated part is the family; the next part must look like a
    size tag (digits + b/m/k, optionally with "-suffixes" such as `1b-it-qat`) or "latest".
    Anything else (`ollama_bench_20251114.json`) names no model.
    """
    found = _MODEL_FROM_NAME.match(Path(name).stem.lower())
    return f"{found['family']}:{found['tag']}" if found else None


@dataclass
class TableColumns:
    """The roles of a table's columns (labels as pandas names them)."""

    metrics: dict[str, MetricRole] = field(default_factory=dict)
    model: str | None = None
    config: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    timestamp: str | None = None
    runs: str | None = None  # the run count of each row's already-aggregated values
    bench: BenchColumns | None = None  # llama-bench output (see `llama_bench`)
    derived: set[str] = field(default_factory=set)  # labels made while reading, not in files

    @classmethod
    def of(cls, labels: Iterable[str], leaf: Callable[[str], str] = str) -> TableColumns:
        """Classify labels; `leaf` maps a label to the name to recognise (JSON key paths)."""
        cols = cls()
        labels = list(labels)
        names: dict[str, str] = {}
        for label in labels:
            names.setdefault(normalise_name(leaf(label)), label)
        bench = BenchColumns.detect(names)
        for label in labels:
            name = normalise_name(leaf(label))
            if bench is not None and bench.owns(label):
                continue
            if name in MODEL_KEYS:
                cols.model = cols.model or label
            elif name in CONFIG_KEYS:
                cols.config = cols.config or label
            elif (param := param_name(name)) is not None:
                cols.params.setdefault(param, label)
            elif name in ERROR_KEYS:
                cols.error = cols.error or label
            elif name in TIME_KEYS:
                cols.timestamp = cols.timestamp or label
            elif name in RUNS_KEYS:
                cols.runs = cols.runs or label
            elif (role := metric_role(leaf(label))) is not None:
                cols.metrics[label] = role
        if bench is not None:
            cols.bench = bench
            for label, (metric, aggregate) in bench.metric_roles().items():
                cols.metrics[label] = MetricRole(metric, aggregate, 1.0)
                cols.derived.add(label)
            if cols.model is None and (bench.model_filename or bench.model_type):
                cols.model = BenchColumns.MODEL
                cols.derived.add(cols.model)
        return cols

    def choose_bench_settings(self, frame: pd.DataFrame) -> None:
        """llama-bench's parameters that are settings in this table, judged over all of it."""
        if self.bench is None:
            return
        self.bench.choose(frame)
        for name, label in self.bench.settings.items():
            self.params.setdefault(name, label)
            self.derived.add(label)

    def text_labels(self) -> list[str]:
        """Columns read as text (names), as the files hold them."""
        labels = (self.model, self.config, self.error, self.timestamp)
        return [c for c in labels if c is not None and c not in self.derived]

    def labels(self) -> list[str]:
        """Every column to read from the file (derived ones are made from these)."""
        labels = [*self.metrics, *self.text_labels(), *self.params.values()]
        if self.runs is not None:
            labels.append(self.runs)
        if self.bench is not None:
            labels += self.bench.raw_labels()
        return [c for c in dict.fromkeys(labels) if c not in self.derived]
