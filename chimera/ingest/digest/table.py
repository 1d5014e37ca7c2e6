"""One table's records: who ran what (identity), what it measured (metrics), what to set apart.

A table (a CSV, a JSON document's records, a Markdown result table) is read in chunks of
rows; each chunk adds its records with their identity (model, config, machine, engine,
workload; a config named by a note's heading takes the settings the heading states, and a
heading that states none over rows that state theirs is no config), error and summary flags
and raw metric values. `finish` then decides each
metric column's unit over the whole table (`units`), converts every value, leaves out the
prompt times of calls served from a prompt cache, derives the rates Ollama does not store,
and marks the rows that loaded the model or were a run's warm-up request (`cold`). The result
is `TableValues.records`: one row per record, metric values in canonical units, held as one
numpy array per column (`Records`): a table is read column by column a few times, and a
DataFrame of it cost more to build and index than the work done on it.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from chimera.escape import plain
from chimera.ingest.digest.cold import ColdMarks, mark_cold
from chimera.ingest.digest.column_settings import ColumnSetting, picked_number
from chimera.ingest.digest.columns import (
    FLOAT_PARAMS,
    OLLAMA_DURATIONS,
    TableColumns,
    normalise_name,
    param_name,
    param_order,
)
from chimera.ingest.digest.identity import (
    HEADING_REST,
    WEAK_ENGINE_KEY,
    clean_text,
    engine_name,
    format_runtime,
    heading_settings,
    is_quantisation,
    machine_label,
    model_name,
    names_a_model,
    weights_format,
)
from chimera.ingest.digest.llama_bench import FINGERPRINT
from chimera.ingest.digest.placement import processor_column, shares_of, vram_share
from chimera.ingest.digest.stats import group_first_rows, group_ids
from chimera.ingest.digest.text_results import COLD, cell_number, decimal_commas, not_exact
from chimera.ingest.digest.units import (
    PROMPT_OVER_REQUEST,
    UnitNote,
    decide_units,
    whole_request_rates,
)

# Prompt lengths a benchmark chooses (powers of two, 16 to 1M tokens): see _swept_prompt_lengths.
_PROMPT_LENGTHS = 2.0 ** np.arange(4, 21)
DERIVED_RATE = "eval_count / eval_duration"
DERIVED_PROMPT_RATE = "prompt_eval_count / prompt_eval_duration"
LOADS = "loads"  # the records column of every row's load time, where columns differ
# Every metric is a duration, a rate or a count: never negative, and beyond this (in ms,
# tok/s or tokens: 31 years, a trillion tokens) a typo or a corrupt cell, not a measurement.
# Two values near 1e308 would overflow a mean to inf; such values are left out and counted.
MAX_PLAUSIBLE = 1e12
# Each phase's rate, duration and token count: a rate or a duration of 0 where the count is
# positive timed nothing (`TableValues._drop_untimed`).
_PHASES = (
    ("tokens_per_s", "eval_ms", "eval_count"),
    ("prompt_tokens_per_s", "prompt_eval_ms", "prompt_eval_count"),
)
# An error cell that says there was none: empty, a null, a zero code (0.0 where pandas read the
# column as floats), an empty list or object ("errors": [] flattened into a CSV), in words.
_NO_ERROR = frozenset({
    "", "nan", "none", "null", "nil", "false", "0", "0.0", "[]", "{}", "''", '""', "-", "n/a",
    "na", "<na>", "no error", "no errors", "ok", "success",
})  # fmt: skip

# A serving client's `backend` as a table holds it: by its name, or under `engine` where the
# JSON reader keeps the one engine field of an object (`readers._take`).
_CLIENT_ENGINE_LABELS = frozenset({WEAK_ENGINE_KEY, "engine"})
# Columns whose every cell is an engine (`_engines_compared`), unlike a client's `backend`.
_ENGINE_COLUMNS = frozenset({"engine", "framework", "inference_engine", "serving_engine"})
# A weights' format or quantisation in an engine column ("GGUF" beside "MLX"): no engine's
# name as written (which runtime ran it the cell does not say).
_FORMAT_CELL = re.compile(r"(?i)^\s*(?:gguf|ggml|safetensors|awq|gptq|exl2)\s*$")


# An error cell that is a whole count ("error": 1, "errors": 4.0), not a message or a code's
# name: beside a positive count of completed items it counts the items that failed.
_ERROR_COUNT = re.compile(r"^\d+(?:\.0+)?$")
_COUNTED_ERRORS = frozenset({"error", "errors"})  # not `error_code`: 500 is a code


def row_error(cell: object) -> str | None:
    """The error a row's cell states, or None where it states none. A list of one entry per
    request (vLLM's bench serve `errors`: "" for each request that succeeded) fails the row
    only where every request failed; some failed requests are told by completed < sent."""
    entries = cell
    if isinstance(cell, str) and cell.lstrip().startswith("["):
        with contextlib.suppress(ValueError):
            entries = json.loads(cell)
    if not isinstance(entries, list | tuple):
        text = str(cell).strip()
        return None if text.lower() in _NO_ERROR else text
    failed = [str(e).strip() for e in entries if str(e).strip().lower() not in _NO_ERROR]
    if not failed or len(failed) < len(entries):
        return None
    return str(cell).strip()


def _as_written(cell: str) -> bool:
    """Whether an engine cell Chimera does not know is kept as the engine's name."""
    return _FORMAT_CELL.match(cell) is None


# An outcome that names a failure (`gpu_timeout`, `oom_614gb_exceeds_512gb`, `failed`,
# `error`): a word of its own, not part of another (`practical`, `completed`, `batch_only`).
FAILED_OUTCOME = re.compile(
    r"(?i)(?:^|[^a-z])(?:fail(?:ed|ure)?|errors?|timeout|timed[ _-]?out|oom|out[ _-]of[ _-]memory"
    r"|crash(?:ed)?|killed|abort(?:ed)?)(?:[^a-z]|$)"
)


def _says_failed(flag: object) -> bool:
    """Whether a success flag says the call failed: false, "false", "no", 0."""
    if isinstance(flag, bool | np.bool_):
        return not flag
    return str(flag).strip().lower() in {"false", "no", "0", "0.0"}


# A session that never reached a server: no model ran, so it says nothing about speed and a
# longer timeout would not help it.
_VOID = re.compile(
    r"connection refused|connecterror|connect error|could not connect|cannot connect|failed to "
    r"establish|failed to connect|is ollama running|all connection attempts failed|"
    r"name or service not known|nodename nor servname|"
    r"no route to host|getaddrinfo|name resolution|invalid url|missing (?:an? )?(?:http|scheme)|"
    # Windows sockets: 0.0.0.0 as a client's address (10049), nothing listening (10061)
    r"requested address is not valid|actively refused|winerror 100(?:49|61)|"
    r"unsupported protocol|request url is missing|no module named|modulenotfounderror|"
    r"importerror|command not found|not installed|no such file or directory|401|403|"
    r"unauthori[sz]ed|api key",
    re.I,
)
_TIMEOUT = re.compile(r"time[ -]?out|timed out|deadline", re.I)

# A warm-up run, as a benchmark names its phase or the file it saved it in.
# "cold" (a cold start: the call that loaded the model) is one too; "warm" is not: a warm
# start is the measured call once the model is loaded (a phase column of cold against warm).
_WARMUP_WORDS = frozenset({"warmup", "warm_up", "warming_up", "cold", "cold_start", "coldstart"})
_WARMUP = re.compile(r"(?:^|[^a-z])warm[-_ ]?up(?:[^a-z]|$)", re.I)
# ... but a name that says how the runs relate to a warm-up names measured runs
# (`results_no_warmup.csv` beside `results_with_warmup.csv`, `after-warmup.json`).
_NOT_THE_WARMUP = re.compile(
    r"(?:^|[^a-z])(?:no|non|with|without|wo|w|after|post|skip|skipped)[-_ ]?warm[-_ ]?up", re.I
)
# A file a benchmark saved one request in, named for its test, phase and run
# (`long-context-measured-4.json`, `short-generation-warmup-1.json`; isotopp/llama-benchmark):
# the test is the run's workload, before its prompt (isotopp's prompts carry a nonce each,
# so no two requests would share one).
_TEST_PHASE_RUN = re.compile(
    r"(?i)^(?P<test>[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*?)[-_](?:measured|warm[-_]?up)[-_]?\d+$"
)
# A generation of fewer tokens than this, where the file's usual one is ten times longer,
# is a degenerate answer: its rate measures request overhead, not decoding.
DEGENERATE_TOKENS = 8
# A row whose name cells say this is a summary of the rows around it, not a run.
_SUMMARY_WORDS = frozenset({
    "mean", "avg", "average", "averages", "total", "totals", "summary", "overall", "all",
    "aggregate", "median", "sum",
})  # fmt: skip
# Per-run rates: 0 is no measurement of one (see `TableValues._drop_zero_rates`).
_RATES = frozenset({"tokens_per_s", "prompt_tokens_per_s"})
_ZERO_RATE = "a rate of 0 tok/s: the run failed or generated nothing"
# A token rate written to the hundredth in 3 rows or more of a file while the same rows' TTFT
# or time per output token varies by this factor or more: the script wrote one figure (a parse
# that matched the wrong line), not each row's measurement, since a request's rate follows its
# times (see `TableValues._drop_frozen_rates`).
_FROZEN_ROWS = 3
_FROZEN_SPREAD = 1.1
_PER_TOKEN_TIMES = frozenset({"tpot_ms", "itl_ms"})
_REQUEST_TIMES = frozenset({"ttft_ms", *_PER_TOKEN_TIMES})  # none grows with the tokens asked
_LOADS = ("concurrency", "request_rate", "num_batch")  # a server's throughput plateaus over these
# Times a served token cannot take 0 ms for: a 0 there is a script's placeholder where it
# measured nothing ("ttft_ms": 0 beside a decode-only TPOT), not the fastest run.
_NEVER_ZERO_TIMES = frozenset({"ttft_ms", *_PER_TOKEN_TIMES})
_ZERO_TIME = "a TTFT or time per token of 0 ms: the script measured none"
_FROZEN_RATE = (
    "a token rate that is one figure in 3 rows or more while the same rows' TTFT or time per "
    "output token varies: the file's script wrote no measurement there"
)
# Settings of the sampling and the answer's length: the prompt's processing is the same.
_SAMPLING = frozenset({
    "temperature", "top_p", "top_k", "min_p", "typical_p", "tfs_z", "seed", "repeat_penalty",
    "repeat_last_n", "presence_penalty", "frequency_penalty", "mirostat", "mirostat_eta",
    "mirostat_tau", "num_predict", "max_tokens", "stop",
})  # fmt: skip
# A call whose prompt of the same token count took this many times less than another call's
# of the model was served from Ollama's prompt cache (Shram-Benchmark: 5.7 ms against 634 ms
# for 1032 tokens): its prompt time is no prefill.
CACHED_PROMPT_RATIO = 20.0
# A cache hit that took only this many times less than the call that processed the prompt
# (Shram-Benchmark on a GTX 1650: 539 ms against 5606 ms) is told from a warm call after a
# cold one (ollama_bench: 0.05 s against 0.29 s, the first call's reload) by its prompt rate:
# `CACHED_PROMPT_PER_TOKEN` times its own generation rate or more (Shram's cache hits:
# 97-2700x; ollama_bench's warm calls: 46x at most). Real prefill can run faster still (a
# llama.cpp RTX 4090 table: up to 436x), so the rate alone proves nothing: only beside a call
# of the same prompt and setup that took 5x longer.
CACHED_PROMPT_MIN_RATIO = 5.0
CACHED_PROMPT_PER_TOKEN = 80.0
# A load this long loaded the model (`cold.EVERY_ROW_MS`): its call found no prompt cache.
LOADED_MS = 1000.0
_CACHED_PROMPT = (
    "a prompt served from the prompt cache (the same prompt took 20x longer on another call, "
    "or 5x with this call's prompt rate 80x its generation rate): its prompt time and rate are "
    "no prefill"
)
# In a run column, a statistic's name is a summary row too ("std" under runs 1, 2, 3); one
# that is no mean of the runs (a spread, an extreme) gives no figure of the metric at all.
_RUN_SPREAD_WORDS = frozenset({
    "std", "stdev", "stddev", "sd", "min", "max", "cv", "var", "variance", "p50", "p90", "p95",
    "p99", "range",
})  # fmt: skip
# llama.cpp as Chimera names it with its build or backends ("llama.cpp b11254 (CUDA)"): kept.
_LLAMA_CPP_LABEL = re.compile(r"^llama\.cpp(?: b\d+)?(?: \(.*\))?$")
# KoboldCpp's library names its GPU backend (`koboldcpp_cublas.so`, `koboldcpp_vulkan.dll`,
# `koboldcpp_default.so` for the CPU): runs of two backends are two engines' runs.
_KOBOLD_LIB = re.compile(r"(?i)^koboldcpp_(\w+?)(?:\.(?:so|dll|dylib))?$")


def kobold_label(value: str) -> str | None:
    """`koboldcpp_cublas.so` -> `KoboldCpp (cublas)`; None for any other value."""
    found = _KOBOLD_LIB.match(value.strip())
    return f"KoboldCpp ({found.group(1).lower()})" if found else None


IDENTITY = ("model", "config", "machine", "engine", "workload")

SeriesKey = tuple[str, str | None]  # (metric, aggregate): one series of statistics
# A table's records: one array per column, every array one entry per record. Name cells are
# object arrays (None or NaN where missing: readers of them treat both as missing).
Records = dict[str, np.ndarray]
NO_SETTINGS = "settings not stated"  # the config of rows whose file states none
NO_MODEL = "model not stated"  # rows whose file names no model: named so, never dropped


def unnamed_model(path: str) -> str:
    """The model of the rows of a file that names none: "model not stated (a.csv)". Each
    file's is its own: two files naming no model may hold two models, or one on two machines,
    so their rows are never pooled, compared or averaged as one model's."""
    return f"{NO_MODEL} ({path})"


def names_no_model(model: object) -> bool:
    """Whether a model name is none, or `NO_MODEL` (a file's, see `unnamed_model`)."""
    return not isinstance(model, str) or not model or model.startswith(NO_MODEL)


def model_words(model: str | None) -> str:
    """A model as a sentence names it. "model not stated" is the digest's label, no name:
    "the fastest config for model not stated (a.csv)" reads as a model called so. A file's
    unnamed model is "the model a.csv does not name", a folder's "the model the files of
    folder/ do not name", the one left for all "the model no file names"."""
    if model and not names_no_model(model):
        return model
    where = (model or "")[len(NO_MODEL) :].strip()
    if where.startswith("(") and where.endswith(")") and len(where) > 2:
        where = where[1:-1]
        if where.endswith("/"):
            return f"the model the files of {where} do not name"
        return f"the model {where} does not name"
    return "the model no file names"


def value_column(label: str) -> str:
    """The records column that holds a metric column's values (apart from identity columns)."""
    return f"v:{label}"


# A number written as text: a settings column with a word in it ("default") is read as text.
_NUMBER_TEXT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
# The signs a table hangs on a cell: symbols (⚠, ✅, emoji, category So) and the variation
# selectors and joiner that make them emoji.
_EMOJI_JOINERS = frozenset("\ufe0e\ufe0f\u200d")
# A whole number written with thousands separators ("8,192", "32 768"): the number.
_GROUPED_NUMBER = re.compile(r"^\s*\d{1,3}(?:[, ]\d{3})+\s*$")
# A fraction written with a decimal comma ("0,7"): the number, where the setting is a fraction
# (a list such as llama-bench's tensor split "8,8" is not).
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d{1,2}\s*$")
# A context size in kibi-tokens ("8k", "32K", "128k" context): 8192, as llama.cpp's -c takes it.
# A kind of device, as PyTorch and the engines name them: "cuda", "cpu", "mps", "cuda:0".
_DEVICE_KIND = re.compile(r"^(?:cpu|gpu|cuda|mps|metal|rocm|hip|vulkan|xpu|npu|opencl)(?::\d+)?$")
# A machine written with the device it ran on after it ("Apple M2 Metal", "Apple M2 CPU":
# llama2-webui's community table), where one machine is written with two.
_MACHINE_DEVICE = re.compile(
    r"(?i)^(?P<machine>.*[a-z0-9].*?)\s+(?P<device>cpu|gpu|metal|cuda|mps|vulkan|rocm|opencl)$"
)
_DEVICE_AFTER_MACHINE = "device (after the machine)"
_CONTEXT_K = re.compile(r"^\s*(\d+)\s*[kK]\s*$")
_CONTEXT_PARAMS = frozenset({"num_ctx", "n_ctx", "context"})
# A bit width written "4bit", "4 bit", "4-bit" or "4 bits": one setting, "4-bit".
_BITS = re.compile(r"(?i)^\s*(\d{1,2})\s*-?\s*bits?\s*$")


def _without_marks(value: str) -> str:
    """A cell's value without the symbols a note hangs on it: jenicek's num_ctx "8192 ⚠️"
    (a warning sign pointing at the note below the table) is 8192."""
    end = len(value)
    while end and (
        value[end - 1].isspace()
        or value[end - 1] in _EMOJI_JOINERS
        or unicodedata.category(value[end - 1]) == "So"
    ):
        end -= 1
    return value[:end] if end else value


def _python_value(name: str, value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        value = _without_marks(value)
    if isinstance(value, str) and _GROUPED_NUMBER.match(value):
        value = re.sub(r"[, ]", "", value)  # "8,192" beside 8192 is one setting
    elif isinstance(value, str) and name in FLOAT_PARAMS and _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")  # temperature "0,7" (a European CSV) beside 0.7
    elif isinstance(value, str) and name in _CONTEXT_PARAMS and (k := _CONTEXT_K.match(value)):
        value = str(int(k[1]) * 1024)  # num_ctx "8k" beside 8192
    elif isinstance(value, str) and "bit" in value.lower() and (b := _BITS.match(value)):
        value = f"{b[1]}-bit"  # precision "4 bit" and "4bit" beside "4-bit" (llama2-webui)
    if isinstance(value, str) and _NUMBER_TEXT.match(value):
        # "1" and "1.0" in a column beside "default" are one setting, as in a numeric column
        value = float(value) if "." in value else int(value)
    whole = isinstance(value, float) and value.is_integer() and name not in FLOAT_PARAMS
    if whole and abs(value) < 2**63:
        return int(value)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)  # beyond int64: kept as text (msgpack and JSON writers need it so)
    if name in FLOAT_PARAMS and isinstance(value, int) and not isinstance(value, bool):
        # A column of 0s and 1s is read as int, a chunk or a file with 0.7 in it as float:
        # "temperature=1" and "temperature=1.0" would be two setups of one setting.
        return float(value)
    if isinstance(value, float) and math.isfinite(value):
        return _as_set(value)
    return value


def _as_set(value: float) -> float:
    """A 32-bit float written out at 64 bits (a Rust client's f32 options:
    temperature 0.800000011920929) as the number it was set to, 0.8: the shortest decimal
    of at most 7 significant digits that is the same 32-bit float."""
    single = float(np.float32(value))
    if single != value:
        return value
    for digits in range(1, 8):
        shorter = float(f"{value:.{digits}g}")
        if float(np.float32(shorter)) == single:
            return shorter
    return value


# A column of each model's parameter count in billions ("Size (B)", "Params (B)").
_PARAM_SIZE_COLUMNS = frozenset({
    "size_b", "params_b", "parameters_b", "param_b", "size_billions", "params_billions",
    "model_size_b", "n_params_b",
})  # fmt: skip
# A size cell: 14, 1.5, "30 - A3" (a mixture of experts: 30B total, 3B active).
_SIZE_CELL = re.compile(r"^\d+(?:\.\d+)?(?:\s*-\s*A\d+(?:\.\d+)?)?$", re.I)
# A model name that states its size already ("qwen2.5:14b", "Llama-3-8B", "gemma3:270m").
_STATES_SIZE = re.compile(r"\d(?:\.\d+)?\s*[bm](?![a-z])", re.I)
_SPACES = re.compile(r"\s+")


class _Cells:
    """One chunk's columns, each taken out of the frame once as Python objects and factorised
    at most once: the checks of a chunk read the same few columns, and a frame's column look-up
    and a Series' factorize cost more than the work on a small table's cells."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.rows = len(frame)
        self._objects: dict[str, np.ndarray] = {}
        self._factorized: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def objects(self, label: str) -> np.ndarray:
        """The column's cells as Python objects (an empty cell: None or NaN)."""
        found = self._objects.get(label)
        if found is None:
            found = self._objects[label] = self.frame[label].to_numpy(dtype=object)
        return found

    def factorized(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """Per row the number of its cell (-1: empty), and the distinct cells in order of
        first appearance."""
        found = self._factorized.get(label)
        if found is None:
            found = pd.factorize(self.objects(label), use_na_sentinel=True)
            self._factorized[label] = found
        return found


def _distinct_texts(cells: _Cells, label: str | None) -> tuple[np.ndarray, list[str | None]]:
    """Per row the number of its cell (-1: empty) and each distinct cell as clean one-line
    text: only the few distinct values are cleaned in Python."""
    if label is None:
        return np.full(cells.rows, -1, dtype=np.intp), []
    codes, uniques = cells.factorized(label)
    return codes, [clean_text(u) for u in uniques]


def _texts(cells: _Cells, label: str | None) -> np.ndarray:
    """A column's cells as clean one-line text (None where empty)."""
    codes, texts = _distinct_texts(cells, label)
    return np.array([*texts, None], dtype=object)[codes]


def _combinations(columns: list[np.ndarray]) -> tuple[np.ndarray, list[list[Any]]]:
    """Per row the number of its combination of cells (in order of first appearance), and
    each combination; an empty cell (None, NaN) is NaN. Column by column in C (the digest's
    `group_ids`): a MultiIndex did the same at several times the cost for the small tables
    most files hold."""
    per_column = [pd.factorize(column, use_na_sentinel=False) for column in columns]
    ids = group_ids([codes for codes, _ in per_column])
    return ids, [
        [uniques[codes[row]] for codes, uniques in per_column] for row in group_first_rows(ids)
    ]


def _numbers(column: pd.Series) -> np.ndarray:
    """A column's cells as float64, NaN where a cell holds no number. A column pandas read as
    numbers is converted as it is (`to_numeric` returns it unchanged, at several times the
    cost); a copy, so the chunk's frame is not held by its values."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiu":
        return column.to_numpy(dtype="float64", copy=True)
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    missed = np.isnan(values) & column.notna().to_numpy()
    if missed.any():
        values = values.copy()  # to_numeric's array may be read-only
        cells = column[missed].astype(str).str.strip()
        _unit_numbers(cells, values, missed)  # decimal commas: see `_text_numbers`
    return values


# A rate written with its unit in the cell ("40.2 tok/s", "88 tokens/s", "12.5 t/s"). Not a
# time ("350 ms"): a cell's unit may contradict the column's name ("ttft_ms": "0.35 s").
_RATE_AND_UNIT = r"(-?\d+(?:\.\d+)?)\s*(tok(?:en)?s?/s(?:ec)?|t/s|tps)"


def _unit_numbers(cells: pd.Series, values: np.ndarray, missed: np.ndarray) -> None:
    """Into `values`, the numbers of cells that write a rate's unit after them ("40.2
    tok/s"): a rate column is tokens per second however it is spelt."""
    if not cells.str.contains("/s|tps", case=False, regex=True).any():
        return  # cheap: most columns of text are no rates
    found = cells.str.lower().str.extract(f"^{_RATE_AND_UNIT}$")
    written = found[0].notna()
    if not written.any():
        return
    where = np.flatnonzero(missed)[written.to_numpy()]
    values[where] = found.loc[written, 0].astype("float64").to_numpy()


# A cell `_text_numbers` looks at: a comma ("45,2") or a bound's mark at its start ("<1").
_COMMA_OR_BOUND = re.compile(r"(?i),|^[\s*`]*(?:[<>≤≥~≈∼]|&[lg]t;|approx|about\s|ca\.\s)")


def _text_numbers(column: pd.Series, decimal_comma: bool = False) -> tuple[np.ndarray, int]:
    """A metric column's cells as numbers (`_numbers`), and how many cells bound or
    approximate a figure ("<1", "~12"): none of those is read. Where pandas read the column
    as text, its decimal commas ("45,2", "0,83": a European CSV, quoted) are numbers too, not
    cells of no number (every comma is one where `decimal_comma` says the file writes them);
    other columns are taken as they are (no Python pass)."""
    values = _numbers(column)
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiub":
        return values, 0
    missing = np.flatnonzero(np.isnan(values))
    if not missing.size:
        return values, 0
    cells = column.to_numpy(dtype=object)[missing]
    # Only cells with a comma or a bound's mark go through Python (a column of "12.3 tok/s"
    # text is no number either way, and may hold a million cells).
    marked = pd.Series(cells, dtype=object).str.contains(_COMMA_OR_BOUND, na=False).to_numpy()
    texts = {int(i): cell.strip() for i, cell in zip(missing[marked], cells[marked], strict=True)}
    if not texts:
        return values, 0
    values = values.copy()  # pandas may hand back its own read-only array
    comma = decimal_comma or decimal_commas([t for t in texts.values() if "," in t])
    inexact = 0
    for i, text in texts.items():
        if not_exact(text):
            inexact += 1
        elif comma and "," in text and (number := cell_number(text, True)) is not None:
            values[i] = number
    return values, inexact


def _varies(times: np.ndarray) -> bool:
    """Whether 3 or more positive times differ by `_FROZEN_SPREAD` or more (see
    `TableValues._drop_frozen_rates`)."""
    timed = times[np.isfinite(times) & (times > 0)]
    return timed.size >= _FROZEN_ROWS and bool(timed.max() >= _FROZEN_SPREAD * timed.min())


def _joined(chunks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The chunks' columns end to end. One chunk (most files) is taken as it is; several
    are joined as frames, so each column gets the dtype pandas gives the whole column."""
    if len(chunks) == 1:
        return chunks[0]
    frame = pd.concat([pd.DataFrame(chunk) for chunk in chunks], ignore_index=True)
    return {name: frame[name].to_numpy() for name in frame.columns}


class TableValues:
    """Records taken from one table; merged into the digest only when the whole file read."""

    def __init__(
        self,
        path: str,
        cols: TableColumns,
        file_model: str | None,
        *,
        machine: str | None = None,
        engine: str | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.cols = cols
        # Settings the path names that no column states (`_tp4_` in the file name): each
        # becomes a column of every chunk, read as the table's own.
        self.path_settings: dict[str, Any] = {}
        for name, value in (settings or {}).items():
            if name not in cols.params:
                label = f"{name} (path)"
                cols.params[name] = label
                cols.derived.add(label)
                self.path_settings[label] = value
        if (named := _TEST_PHASE_RUN.match(PurePosixPath(path).stem)) is not None:
            cols.workload = "workload (path)"
            cols.derived.add(cols.workload)
            self.path_settings[cols.workload] = named["test"]
        self.file_model = file_model
        self.path_machine = machine  # the hardware the file's path names (None: none)
        # per machine its GPU names, the CPUs its rows state (two PCs, one GPU model)
        self.machine_cpus: dict[str, set[str]] = {}
        # the machine column writes a device after the machine ("Apple M2 Metal"), see
        # `_device_kinds`
        self._machine_devices = False
        # what names path_machine where no path does (a launch script beside the file)
        self.machine_evidence: str | None = None
        self.format_engine = engine  # the engine the file's format tells (None: unknown)
        self.configs: dict[str, dict[str, Any]] = {}
        # The settings of each (model, config) pair, as its first row states them.
        self.setups: dict[tuple[str | None, str], dict[str, Any]] = {}
        self.synthetic_configs: set[str] = set()  # named by Chimera from the settings
        self.earliest: pd.Timestamp | None = None  # the earliest timestamp of a row
        self.rows = 0
        self.errors = 0
        self.implausible = 0  # values present but infinite, negative or beyond MAX_PLAUSIBLE
        self.implausible_columns: dict[str, None] = {}  # in order of first appearance
        self.untimed = 0  # a phase's rate or duration of 0 where it produced tokens
        self.untimed_columns: dict[str, None] = {}
        self.cut_rows = 0  # a last line cut short, left out
        self.cut_reason = ""
        self.left_out: dict[str, int] = {}  # rows left out for a reason of their format
        self.inexact = 0  # figure cells that bound or approximate one ("<1", "~12"): not read
        # a row's stated mean that is not the mean of the runs beside it: (count, reason)
        self.stated_mismatch: tuple[int, str] | None = None
        self.decimal_comma = False  # the file writes decimal commas (a CSV of ";" fields)
        self.repeated_metrics: list[str] = []  # a metric's name heading two columns: one read
        self.error_sample = ""
        self.error_kinds: dict[str, int] = {}
        self.error_samples: dict[str, str] = {}
        self.summary_rows = 0
        self.degenerate: list[tuple[str | None, int, float, float]] = []
        # Rows where some but not all requests completed (kept), and the row that completed
        # the smallest share of its requests: (completed, requested).
        self.some_failed = 0
        self.least_completed: tuple[int, int] | None = None
        self.failures_counted = True  # False: a GenAI-Perf export (it counts no failure)
        # the file's other tables hold models of another weight format (`_engines_by_weights`)
        self.mixed_formats = False
        # an AIPerf export counting reasoning tokens: its figures (`genai_perf.reasoning_figures`)
        self.reasoning: dict[str, float | None] | None = None
        self._chunks: list[dict[str, np.ndarray]] = []  # a frame each only at finish()
        self._chunk_rows = 0
        self.records: Records = {}  # empty until finish() (and when no chunk held rows)
        self.roles: dict[str, tuple[str, str | None]] = {}  # value column -> series key
        self.unit_notes: list[UnitNote] = []
        # rates over the whole request's time, found on the first chunk (`whole_request_rates`)
        self._whole_request: list[UnitNote] = []
        self.column_settings: list[ColumnSetting] = []  # see `column_settings`
        self.cold: ColdMarks | None = None

    # --- per chunk --------------------------------------------------------------------------

    def _void_replies(self, cells: _Cells, bad: np.ndarray) -> None:
        """Rows whose reply is the harness's own connection error ("Error generating banter:
        All connection attempts failed", flagged success): void, whatever the flags say. Only
        the reply column's distinct cells are read."""
        label = self.cols.reply
        if label is None or self.cols.success is None or label not in cells.frame.columns:
            return
        codes, texts = cells.factorized(label)
        void = [
            k
            for k, text in enumerate(texts)
            if isinstance(text, str) and text.lstrip()[:5].lower() == "error" and _VOID.search(text)
        ]
        for i in np.flatnonzero(~bad & np.isin(codes, void)).tolist() if void else []:
            bad[i] = True
            self._count_error("void", plain(str(texts[codes[i]]))[:200])

    def _error_mask(self, cells: _Cells) -> np.ndarray:
        """True for rows whose error columns hold a message or a code; each classified as a
        void session (no server reached), a timeout or another failure."""
        bad = np.zeros(cells.rows, dtype=bool)
        done = self._completed(cells)
        messages: dict[int, str] = {}  # a row's error cells, joined ("429: rate limit")
        for label in self.cols.errors:
            raw = cells.objects(label)
            counts = normalise_name(str(label).rsplit(".", 1)[-1]) in _COUNTED_ERRORS
            for i in np.flatnonzero(pd.notna(raw)).tolist():
                text = row_error(raw[i])
                if counts and text is not None and _ERROR_COUNT.match(text) and done[i] > 0:
                    # `"error": 1` beside `"completed": 265`: one of its items failed, not
                    # the row (a SWE-bench run's errored instances); the count is no message
                    continue
                if text is not None:
                    messages[i] = f"{messages[i]}: {text}" if i in messages else text
        for i, text in messages.items():
            bad[i] = True
            kind = (
                "void" if _VOID.search(text) else "timeout" if _TIMEOUT.search(text) else "failed"
            )
            self._count_error(kind, plain(text)[:200])
        self._void_replies(cells, bad)
        if self.cols.success is not None:
            flags = cells.objects(self.cols.success)
            for i in np.flatnonzero(~bad & pd.notna(flags)):
                if _says_failed(flags[i]):
                    bad[i] = True
                    self._count_error("failed", f"{plain(self.cols.success)} = false")
        if self.cols.status is not None:
            outcomes = cells.objects(self.cols.status)
            for i in np.flatnonzero(~bad & pd.notna(outcomes)):
                text = str(outcomes[i]).strip()
                if FAILED_OUTCOME.search(text):
                    bad[i] = True
                    kind = "timeout" if _TIMEOUT.search(text) else "failed"
                    self._count_error(kind, f"{plain(self.cols.status)} = {plain(text)[:200]}")
        if self.cols.completed is not None:
            # "completed": 0 (every request failed): its figures (0 tok/s, 0 ms TTFT) are no
            # measurement, however valid the file. A row that states no figure at all holds
            # nothing to exclude (its failed runs are counted where they are listed).
            figures = np.zeros(cells.rows, dtype=bool)
            for label in self.cols.metrics:
                figures |= np.isfinite(_numbers(cells.frame[label]))
            for i in np.flatnonzero((done == 0) & figures & ~bad):
                bad[i] = True
                self._count_error(
                    "failed", f"{plain(self.cols.completed)} = 0: no request completed"
                )
            if self.cols.requested is not None:
                self._note_some_failed(cells, done, figures & ~bad)
        return bad

    def _completed(self, cells: _Cells) -> np.ndarray:
        """Each row's count of completed requests or items (NaN where none is stated). A
        count: `completed: false` (a flag) is not "0 requests completed"."""
        if self.cols.completed is None:
            return np.full(cells.rows, np.nan)
        return pd.to_numeric(
            pd.Series([None if isinstance(v, bool | np.bool_) else v
                       for v in cells.objects(self.cols.completed)], dtype=object),
            errors="coerce",
        ).to_numpy(dtype=float)  # fmt: skip

    def _note_some_failed(self, cells: _Cells, done: np.ndarray, usable: np.ndarray) -> None:
        """Count the rows that completed some of the requests they sent, not all (vLLM's
        bench serve: completed 1015 of num_prompts 2000): kept, their figures being over the
        completed requests, but listed, so no reader takes them for clean runs."""
        sent = _numbers(pd.Series(cells.objects(self.cols.requested)))
        with np.errstate(invalid="ignore"):
            some = usable & (done > 0) & (done < sent) & np.isfinite(sent)
        for i in np.flatnonzero(some):
            self.some_failed += 1
            pair = (int(done[i]), int(sent[i]))
            worst = self.least_completed
            if worst is None or pair[0] * worst[1] < worst[0] * pair[1]:
                self.least_completed = pair

    def _count_error(self, kind: str, message: str) -> None:
        self.error_sample = self.error_sample or message
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
        self.error_samples.setdefault(kind, message)

    def _summary_mask(self, cells: _Cells) -> np.ndarray:
        """True for rows a name cell marks as a summary ("average", "total", ...)."""
        frame = cells.frame
        mask = np.zeros(cells.rows, dtype=bool)
        for label in (self.cols.model, self.cols.config, self.cols.workload):
            if label is None or label in self.cols.derived:
                continue
            # factorised: only the few distinct cells are compared as text (missing: -1)
            codes, uniques = cells.factorized(label)
            words = [str(u).strip().lower() in _SUMMARY_WORDS for u in uniques]
            mask |= np.array([*words, False], dtype=bool)[codes]
        mask |= self._run_words_mask(cells, _SUMMARY_WORDS | _RUN_SPREAD_WORDS)
        if "__summary__" in frame:
            mask |= frame["__summary__"].fillna(False).astype(bool).to_numpy()
        return mask

    def _run_words_mask(self, cells: _Cells, words: frozenset[str]) -> np.ndarray:
        """True for rows whose run cell ("mean", "**Std**") is one of `words`."""
        label = self.cols.run_index
        if label is None or label in self.cols.derived or label not in cells.frame:
            return np.zeros(cells.rows, dtype=bool)
        codes, uniques = cells.factorized(label)
        named = [str(u).strip().strip("*:").lower() in words for u in uniques]
        return np.array([*named, False], dtype=bool)[codes]

    def _params(self, cells: _Cells, row: int) -> dict[str, Any]:
        """The settings one row states (its cells as objects: a frame's row as a Series cost
        more than the rest of a small table's setups)."""
        values = {label: cells.objects(label)[row] for label in self.cols.params.values()}
        return {
            param: _python_value(param, values[label])
            for param, label in self.cols.params.items()
            if pd.notna(values[label])
        }

    def _config_names(self, cells: _Cells) -> np.ndarray:
        """Per row its config: the config column, else a name made of the row's settings.

        A file without a config column that states its settings (an Ollama JSON's `options`
        block, a llama-bench CSV's n_gpu_layers) still compares setups: its rows get a config
        named after their settings ("num_gpu=80, num_ctx=4096").
        """
        if not self.cols.params:
            names = _texts(cells, self.cols.config)
            # A run whose file states no settings and no config is still a setup: the model
            # as the file ran it; it compares with the same model on another machine.
            return np.array([n if n is not None else NO_SETTINGS for n in names], dtype=object)
        ordered = sorted(self.cols.params, key=param_order)
        columns = [self.cols.params[p] for p in ordered]
        if self.cols.config is not None:
            columns = [self.cols.config, *columns]
        codes, uniques = _combinations([cells.objects(label) for label in columns])
        settings: list[str] = []
        given: list[str | None] = []
        for row in uniques:
            name = row.pop(0) if self.cols.config is not None else None
            given.append(clean_text(name))
            settings.append(
                ", ".join(
                    f"{param}={_python_value(param, value)}"
                    for param, value in zip(ordered, row, strict=True)
                    if pd.notna(value)
                )
            )
        # A config name that covers several sets of settings in this table is several setups:
        # each keeps the name with its settings beside it ("ctx_sweep (num_ctx=2048)").
        seen: dict[str | None, set[str]] = {}
        for name, text in zip(given, settings, strict=True):
            seen.setdefault(name, set()).add(text)
        if self.cols.config_from_heading:
            given = self._titles_dropped(given, settings, seen)
            seen = {}
            for name, text in zip(given, settings, strict=True):
                seen.setdefault(name, set()).add(text)
        names: list[str | None] = []
        for name, text in zip(given, settings, strict=True):
            if name is None:
                # a row that states none of the settings its table's other rows state ran
                # on the engine's defaults as far as the file tells (ChimeraForge's
                # multi-agent metrics: the baseline agent's `options` absent beside the
                # tuned agent's): a setup, as a file that states no settings is
                names.append(plain(text) or NO_SETTINGS)
                self.synthetic_configs.add(plain(text) or NO_SETTINGS)
            elif len(seen[name]) > 1 and text:
                names.append(f"{name} ({plain(text)})")
            else:
                names.append(name)
        return np.array(names, dtype=object)[codes]

    @staticmethod
    def _titles_dropped(
        given: list[str | None], settings: list[str], seen: dict[str | None, set[str]]
    ) -> list[str | None]:
        """A note's headings as configs of rows that state their settings: a heading that
        states no setting ("### Example Output") and tells none of its rows' settings from
        another heading's is a section's title, not a config, so its runs join the setups
        their settings name (nerdalert's README: the base deployment's runs, split from the
        same deployment's runs in results.json). A heading that states a setting stays, and
        so do headings whose rows' settings agree ("Run A", "Run B": something unstated
        differs)."""
        kept: set[str] = set()
        for name, texts in seen.items():
            if name is None:
                continue
            others = set().union(*(t for other, t in seen.items() if other not in (name, None)))
            if heading_settings(name)[0] or (texts & others) or texts == {""}:
                kept.add(name)
        return [
            name if name in kept or not text else None
            for name, text in zip(given, settings, strict=True)
        ]

    def _collect_setups(self, cells: _Cells, models: np.ndarray, configs: np.ndarray) -> None:
        """The settings of each (model, config) pair and each config, from its first row."""
        if not self.cols.params:
            for model, config in set(zip(models, configs, strict=True)):
                if config == NO_SETTINGS:
                    self.synthetic_configs.add(config)
                if config is not None:
                    self.setups.setdefault((model, config), self._stated_in_name(config, {}))
            return
        first_rows: dict[tuple[str, str | None], int] = {}  # each pair's first row
        for row, pair in enumerate(zip(models.tolist(), configs.tolist(), strict=True)):
            if pair not in first_rows:
                first_rows[pair] = row
        for (model, config), row in first_rows.items():
            if config is None or (model, config) in self.setups:
                continue
            params = self._stated_in_name(config, self._params(cells, row))
            self.setups[(model, config)] = params
            self.configs.setdefault(config, params)

    def _stated_in_name(self, config: str, params: dict[str, Any]) -> dict[str, Any]:
        """`params` with the settings a given config name states that no column does (a
        heading's "Available KV cache memory: 5.01 GiB"), and the rest of that name as
        `heading`: configs named only by headings compare as a setting where their headings
        state it and say the same otherwise (Test 4 against Test 5: only the KV cache)."""
        if config in self.synthetic_configs or config == NO_SETTINGS:
            return params
        stated, rest = heading_settings(config)
        named = {param_name(normalise_name(key)) or key: value for key, value in stated.items()}
        added = {key: value for key, value in named.items() if key not in params}
        if not added:
            return params
        return {**params, **added, **({HEADING_REST: rest} if rest else {})}

    def _note_time(self, frame: pd.DataFrame) -> pd.Series | None:
        if self.cols.timestamp is None:
            return None
        raw = frame[self.cols.timestamp]
        if pd.api.types.is_numeric_dtype(raw):
            return None  # epoch numbers or durations: too ambiguous to date a file by
        times = pd.to_datetime(raw, errors="coerce", utc=True, format="mixed")
        earliest = times.min()
        if pd.notna(earliest) and (self.earliest is None or earliest < self.earliest):
            self.earliest = earliest
        return times

    def _runs(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row, the run count its file states (a whole number of at least 1), else NaN."""
        if self.cols.runs is None:
            return np.full(len(frame), np.nan)
        runs = pd.to_numeric(frame[self.cols.runs], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(runs) & (runs >= 1) & (runs <= MAX_PLAUSIBLE)
            whole &= np.floor(np.where(whole, runs, 0)) == runs
        return np.where(whole, runs, np.nan)

    def _models(self, cells: _Cells) -> np.ndarray:
        codes, texts = _distinct_texts(cells, self.cols.model)
        default = self.file_model or unnamed_model(self.path)
        if self.cols.model_checked:
            # a `name` cell that names no model (`pp512`, `baseline`) states none
            texts = [t if t is not None and names_a_model(t) else None for t in texts]
        if self.cols.model is not None and (sized := self._sized(cells, codes, texts)) is not None:
            codes, texts = sized
        names = {t: model_name(t) for t in texts if t is not None}
        models = [names[t] if t is not None else default for t in texts]
        return np.array([*models, default], dtype=object)[codes]

    def _sized(
        self, cells: _Cells, codes: np.ndarray, texts: list[str | None]
    ) -> tuple[np.ndarray, list[str | None]] | None:
        """Models a size column tells apart: NexVeridian's LM Studio table names "qwen 2.5"
        in its Model column and 1.5, 7, 14 or 32 in "Size (B)"; read as one model, a 1.5B's
        282 tok/s and a 32B's 23 were one setup's "runs" (a coefficient of variation of
        101 %). A model whose name states no size takes the row's ("qwen 2.5 14B"): each
        row's code and the distinct texts, as `_distinct_texts` gives them; None where the
        table has no such column."""
        label = next(
            (c for c in cells.frame.columns if normalise_name(str(c)) in _PARAM_SIZE_COLUMNS),
            None,
        )
        if label is None:
            return None
        sizes = _texts(cells, label)
        rows = [
            f"{texts[c]} {_SPACES.sub('', z)}B"
            if c >= 0
            and texts[c] is not None
            and z is not None
            and _SIZE_CELL.match(z)
            and not _STATES_SIZE.search(str(texts[c]))
            else (texts[c] if c >= 0 else None)
            for c, z in zip(codes.tolist(), sizes, strict=True)
        ]
        distinct = list(dict.fromkeys(rows))
        index = {t: i for i, t in enumerate(distinct)}
        return np.array([index[t] for t in rows], dtype=np.intp), distinct

    def _machines(self, cells: _Cells) -> np.ndarray:
        gpu, cpu = _texts(cells, self.cols.gpu), _texts(cells, self.cols.cpu)
        if self._machine_devices:  # "Apple M2 Metal": the machine is "Apple M2"
            gpu = np.array(
                [
                    found["machine"]
                    if isinstance(g, str) and (found := _MACHINE_DEVICE.match(g)) is not None
                    else g
                    for g in gpu
                ],
                dtype=object,
            )
        pairs = {(g, c): machine_label(g, c) for g, c in set(zip(gpu, cpu, strict=True))}
        for (g, c), label in pairs.items():
            # a machine its GPU names, beside the CPU the row states: two PCs with one GPU
            # model are told apart by their CPUs (see `_Collector._machine`)
            gpu_named = label is not None and label == machine_label(g, None)
            if gpu_named and c is not None and machine_label(None, c) is not None:
                self.machine_cpus.setdefault(label, set()).add(c)
        found = [pairs[(g, c)] for g, c in zip(gpu, cpu, strict=True)]
        return np.array([m or self.path_machine for m in found], dtype=object)

    def _engines(self, cells: _Cells) -> np.ndarray:
        if self.cols.bench is not None:
            return _texts(cells, self.cols.bench.ENGINE)
        codes, named = _distinct_texts(cells, self.cols.engine)
        # A known engine by its canonical name; llama.cpp keeps its build and backends when a
        # table states them ("llama.cpp b11254 (CUDA)"); a value naming no engine is no engine
        # (a client's `backend: openai`), unless the table's rows are engines by its layout
        # (`engine_as_written`: premAI's "ctranslate", "tinygrad", "burn" were pooled as "no
        # engine", 0.30 tok/s of burn beside 34.04 of ctransformers).
        pivot = self.cols.engine_as_written
        compared = not pivot and self._engines_compared(named)
        engines = [
            (
                e
                if _LLAMA_CPP_LABEL.match(e)
                else kobold_label(e)
                or engine_name(e)
                or (e if pivot or (compared and _as_written(e)) else None)
            )
            if e is not None
            else self.format_engine
            for e in named
        ]
        if self._client_backend() and self.format_engine is not None:
            # a bench client's `backend` is the API it spoke ("vllm" against an SGLang or
            # TensorRT-LLM server, simon-mo/R1-Benchmark's sgl-*.json, trt-*.json): the
            # engine the file's name or folder names is the server's
            engines = [self.format_engine for _ in engines]
        found = np.array([*engines, self.format_engine], dtype=object)[codes]
        if self.cols.runtime is not None:
            # the engine with its runtime: "LM Studio (mlx)" and "LM Studio (metal+llama.cpp)"
            # are two engines to compare, never repetitions of one
            runtimes = _texts(cells, self.cols.runtime)
            found = np.array(
                [
                    e if e is None or r is None else f"{e} ({r})"
                    for e, r in zip(found, runtimes, strict=True)
                ],
                dtype=object,
            )
        return found

    def _client_backend(self) -> bool:
        """Whether the engine column is a serving benchmark client's `backend` (beside the
        requests it sent or completed), which names the API the client spoke: its own name,
        or the `engine` the JSON reader keeps it under."""
        label = self.cols.engine
        serving = self.cols.completed is not None or self.cols.requested is not None
        return (
            serving
            and label is not None
            and normalise_name(str(label).rsplit(".", 1)[-1]) in _CLIENT_ENGINE_LABELS
        )

    def _quantisations_as_models(self, frame: pd.DataFrame) -> None:
        """A model column whose every cell is a quantisation's name (matt-c1's llama.cpp CSV:
        `IQ2_XXS`, `Q4_K_S`, `Q8_0` of one Meta-Llama-3-8B-Instruct) names no model: it is the
        quantisation setting, and the rows' model is the file's (none stated), so quants of
        one model are never ranked as models."""
        label = self.cols.model
        if label is None or label not in frame or "quantization" in self.cols.params:
            return
        cells = {clean_text(v) for v in frame[label]} - {None}
        if cells and all(is_quantisation(c) for c in cells):
            self.cols.params["quantization"] = label
            self.cols.model = None

    def _engines_by_weights(self, models: np.ndarray, engines: np.ndarray) -> np.ndarray:
        """Rows that state no engine, in a table whose models are of two weight formats or
        more (liltom-eth/llama2-webui's community table: `.ggmlv3.q4_0` on llama-cpp-python,
        `-GPTQ` on AutoGPTQ, `-hf` 8 bit on Transformers): each row's engine is its format's
        runtime ("GGML (runtime not named)"), so rows of other runtimes are never one
        engine's. A table (or note) of one format, or none, is left as it states: a GGUF row
        beside llama.cpp's in another file is llama.cpp's."""
        formats = [weights_format(m) for m in models]
        if not self.mixed_formats and len({f for f in formats if f is not None}) < 2:
            return engines  # one format: the engine its rows (or files) state, or none
        return np.array(
            [
                format_runtime(f) if e is None and f is not None else e
                for e, f in zip(engines, formats, strict=True)
            ],
            dtype=object,
        )

    def _engines_compared(self, named: list[str | None]) -> bool:
        """Whether an `engine` (`framework`) column's cells are all engines, known to Chimera
        or not: one of them names a known engine. A fork's rename beside vLLM ("Coalinfer" |
        "vLLM", SGLang's table under another name) was no engine, so its rows took the engine
        the note's words name, vLLM: two engines pooled as one. Not a `backend` (a client's
        API) nor a `provider` (a hosted service)."""
        label = self.cols.engine
        if label is None or normalise_name(str(label).rsplit(".", 1)[-1]) not in _ENGINE_COLUMNS:
            return False
        return any(e is not None and engine_name(e) is not None for e in named)

    def _swept_prompt_lengths(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row its prompt length as the workload, where the table sweeps it and names no
        other workload: most rows' prompt token count is a power of two (64, 256, 1024, 4096:
        lengths someone chose, as llama-bench's -p), two or more of them held by several rows.
        Rows of one setup over four prompt lengths are four workloads, not four repetitions
        (the prompt rate and the generation rate both move with the length). Counts a run
        measured (an Ollama `prompt_eval_count` of 26, 31, ...) are not a sweep: no workload
        (None)."""
        none = np.full(len(frame), None, dtype=object)
        labels = [
            label
            for label, role in self.cols.metrics.items()
            if role.metric == "prompt_eval_count" and role.aggregate is None
        ]
        if len(labels) != 1:
            return none
        counts = _numbers(frame[labels[0]])
        known = np.isfinite(counts)
        chosen = known & np.isin(counts, _PROMPT_LENGTHS)
        _, rows = np.unique(counts[chosen], return_counts=True)
        # a sweep: two or more lengths each on several rows (one setup may run a longer one)
        if (rows >= 2).sum() < 2 or chosen.sum() < 0.75 * known.sum():
            return none
        return np.array(
            [f"{int(c)}-token prompt" if k else None for c, k in zip(counts, known, strict=True)],
            dtype=object,
        )

    def _asked_lengths(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row the input and output lengths it asked for, its workload ("input 128 /
        output 1024", as trtllm-bench's report words it); None where either is no number."""
        assert self.cols.lengths is not None
        inputs, outputs = (_numbers(frame[label]) for label in self.cols.lengths)

        def whole(length: float) -> str:
            return str(int(length)) if length.is_integer() else repr(length)

        return np.array(
            [
                f"input {whole(i)} / output {whole(o)}"
                if math.isfinite(i) and math.isfinite(o)
                else None
                for i, o in zip(inputs.tolist(), outputs.tolist(), strict=True)
            ],
            dtype=object,
        )

    def _prompt_per_request(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row of a serving run the prompt length it chose for every request, where its
        prompt tokens over the requests completed are exactly a length a person picks ("input
        1000 tokens a request", 50 prompts of 1000): runs of 1000- and 30000-token prompts
        are two workloads, never one setup's repetitions (their output rates differ 30-fold).
        A mean of a dataset's prompts (ShareGPT's 205.95, a trace's) or of tokenised text
        (999.3) is no chosen length, and no workload: it moves with the requests sampled. The
        output length is not read so: where requests stop at EOS it moves from run to run."""
        assert self.cols.total_input is not None and self.cols.completed is not None
        tokens = _numbers(frame[self.cols.total_input])
        done = _numbers(frame[self.cols.completed])
        with np.errstate(divide="ignore", invalid="ignore"):
            each = tokens / done
        return np.array(
            [f"input {int(n)} tokens a request"
             if math.isfinite(n) and n.is_integer() and picked_number(n) else None
             for n in each.tolist()],
            dtype=object,
        )  # fmt: skip

    def _dataset_lengths(self, workloads: np.ndarray, frame: pd.DataFrame) -> np.ndarray:
        """Per row its workload, with the lengths it asked for where its dataset is the
        synthetic "random" one that takes them (SGLang's bench_serving: `dataset_name`
        random, `random_input_len` 4096): other datasets (sharegpt) ignore the lengths the
        file still writes."""
        if self.cols.lengths is None:
            return workloads
        random = np.array([str(w).lower() == "random" for w in workloads.tolist()])
        if not random.any():
            return workloads
        asked = self._asked_lengths(frame)
        return np.array(
            [
                f"{w}, {a}" if r and a is not None else w
                for w, a, r in zip(workloads.tolist(), asked.tolist(), random.tolist(), strict=True)
            ],
            dtype=object,
        )

    def add(self, frame: pd.DataFrame) -> None:
        """Take the records of one chunk of rows."""
        self.rows += len(frame)
        if frame.empty:
            return
        if self.path_settings:
            frame = frame.assign(**self.path_settings)
        first = self._chunk_rows == 0  # settings judged on the first chunk hold for the file
        if first and self.cols.gpu is not None and self.cols.gpu not in self.cols.derived:
            self._device_kinds(frame)
        if first:
            self._quantisations_as_models(frame)
        if self._machine_devices and self.cols.gpu is not None and self.cols.gpu in frame:
            frame = self._split_machine_devices(frame)
        if self.cols.bench is not None:
            frame, left_out = self.cols.bench.prepare(frame)
            for reason, count in left_out.items():
                self.left_out[reason] = self.left_out.get(reason, 0) + count
            if frame.empty:
                return
        if first:
            self._whole_request = whole_request_rates(frame, self.cols.metrics, self.path)
            for note in self._whole_request:
                if note.unit == PROMPT_OVER_REQUEST:  # no prompt-processing rate: not read as one
                    del self.cols.metrics[note.column]
        times = self._note_time(frame)
        cells = _Cells(frame)
        bad = self._error_mask(cells)
        self.errors += int(bad.sum())
        summary = self._summary_mask(cells) & ~bad
        self.summary_rows += int(summary.sum())
        models = self._models(cells)
        configs = self._config_names(cells)
        self._collect_setups(cells, models, configs)
        start = self._chunk_rows
        self._chunk_rows += len(frame)
        chunk: dict[str, Any] = {
            "record": np.arange(start, start + len(frame)),
            "model": models,
            "config": configs,
            "machine": self._machines(cells),
            "engine": self._engines_by_weights(models, self._engines(cells)),
            "workload": (
                self._dataset_lengths(_texts(cells, self.cols.workload), frame)
                if self.cols.workload is not None
                else self._asked_lengths(frame)
                if self.cols.lengths is not None
                else self._prompt_per_request(frame)
                if self.cols.total_input is not None and self.cols.completed is not None
                else self._swept_prompt_lengths(frame)
            ),
            "error": bad,
            "summary": summary,
            "runs": self._runs(frame),
            "time": times.to_numpy() if times is not None else np.full(len(frame), pd.NaT),
            "fingerprint": (
                cells.objects(FINGERPRINT)
                if FINGERPRINT in frame
                else np.full(len(frame), None, dtype=object)
            ),
            "cold_given": self._cold_given(frame),
            "gpu_share": self._gpu_shares(cells, frame),
        }
        spread = self._run_words_mask(cells, _RUN_SPREAD_WORDS)
        for label in self.cols.metrics:
            chunk[value_column(label)], inexact = _text_numbers(frame[label], self.decimal_comma)
            self.inexact += inexact
            if spread.any():
                chunk[value_column(label)][spread] = np.nan
        for name, label in self.cols.params.items():
            chunk[f"param:{name}"] = cells.objects(label)
        self._chunks.append(chunk)

    def _gpu_shares(self, cells: _Cells, frame: pd.DataFrame) -> np.ndarray:
        """Per row, the share of the model in VRAM its cells state (NaN where none does): a
        cell in `ollama ps`'s PROCESSOR words in the placement column or a machine column
        (a script's `processor` filled from `ollama ps`), else /api/ps's size_vram / size."""
        shares = np.full(len(frame), np.nan)
        for label in (self.cols.placement, self.cols.cpu, self.cols.gpu):
            if label is None or label not in frame:
                continue
            codes, uniques = cells.factorized(label)
            texts = list(uniques)
            if processor_column(texts):
                found = shares_of(codes, texts)
                shares = np.where(np.isnan(shares), found, shares)
        if self.cols.vram is not None and all(label in frame for label in self.cols.vram):
            size, vram = (_numbers(frame[label]) for label in self.cols.vram)
            pairs = zip(size, vram, strict=True)
            found = np.array([vram_share(a, b) for a, b in pairs], dtype=float)
            shares = np.where(np.isnan(shares), found, shares)
        return shares

    def _device_kinds(self, frame: pd.DataFrame) -> None:
        """A `device` column of two or more kinds of device ("cuda" and "cpu", "mps"), not
        machines, is the device setting the runs swept on one machine (judged on the first
        chunk; from then on the column is no machine's). A column where one machine is
        written with two kinds of device after it ("Apple M2 CPU", "Apple M2 Metal") holds
        both: the machine, and the device as a setting (`_machine_devices`)."""
        kinds = {str(c).strip().lower() for c in frame[self.cols.gpu].unique() if pd.notna(c)}
        if len(kinds) >= 2 and all(_DEVICE_KIND.match(k) for k in kinds):
            self.cols.params.setdefault("device", self.cols.gpu)
            self.cols.gpu = None
            return
        words: dict[str, set[str]] = {}
        for kind in kinds:
            if (found := _MACHINE_DEVICE.match(kind)) is not None:
                words.setdefault(found["machine"], set()).add(found["device"])
        if "device" not in self.cols.params and any(
            len(devices) > 1 and machine_label(machine, None) for machine, devices in words.items()
        ):
            self.cols.params["device"] = _DEVICE_AFTER_MACHINE
            self.cols.derived.add(_DEVICE_AFTER_MACHINE)
            self._machine_devices = True

    def _split_machine_devices(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The device written after each row's machine as a column of its own (None where
        none is written): the setting `_device_kinds` found."""
        devices = []
        for cell in frame[self.cols.gpu].tolist():
            found = _MACHINE_DEVICE.match(str(cell).strip()) if isinstance(cell, str) else None
            devices.append(found["device"].lower() if found is not None else None)
        return frame.assign(**{_DEVICE_AFTER_MACHINE: devices})

    def _cold_given(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row, whether the benchmark itself says it warmed up: its cold label (Ollama's
        ColdStart), a phase column of "warmup" against "measured", a `preloaded` column false
        (the call loaded the model), or a file named for its warm-up run
        (`short-generation-warmup-1.json`): not a measurement of the setup."""
        if COLD in frame:
            return frame[COLD].fillna(False).astype(bool).to_numpy()
        if self.cols.preloaded is not None and self.cols.preloaded in frame:
            flags = frame[self.cols.preloaded].to_numpy(dtype=object)
            return np.array([pd.notna(f) and _says_failed(f) for f in flags], dtype=bool)
        name = PurePosixPath(self.path).name
        if _WARMUP.search(name) and not _NOT_THE_WARMUP.search(name):
            return np.ones(len(frame), dtype=bool)
        if self.cols.phase is not None and self.cols.phase in frame:
            words = [
                normalise_name(v) if isinstance(v, str) else "" for v in frame[self.cols.phase]
            ]
            if any(w in _WARMUP_WORDS for w in words):
                return np.array([w in _WARMUP_WORDS for w in words], dtype=bool)
        return np.zeros(len(frame), dtype=bool)

    # --- the whole table --------------------------------------------------------------------

    def finish(self) -> None:
        """Units, conversion, derived rates and cold rows, once every chunk is in."""
        if not self._chunks:
            return
        records = _joined(self._chunks)
        self._chunks = []
        rows = len(records["record"])
        valid = ~records["error"]
        factors, self.unit_notes = decide_units(self.path, self.cols.metrics, records, valid)
        self.unit_notes = [*self.unit_notes, *self._whole_request]
        kept: dict[str, np.ndarray] = {}
        for label, role in self.cols.metrics.items():
            with np.errstate(over="ignore", invalid="ignore"):
                values = records[value_column(label)] * factors[label]
            values = self._drop_implausible(label, values, valid)
            kept[value_column(label)] = values
            self.roles[label] = (role.metric, role.aggregate)
        self._script_timings(kept)
        self._drop_untimed(kept, rows)
        for label, (metric, aggregate) in self.roles.items():
            if metric in _RATES and aggregate is None:  # after: an untimed 0 is said as such
                kept[value_column(label)] = self._drop_zero_rates(kept[value_column(label)], valid)
        self._drop_frozen_rates(kept, records, valid)
        self._drop_zero_times(kept, valid)
        self._drop_cached_prompts(kept, records, valid)
        per_run = {
            self.roles[label][0]: label
            for label in reversed(list(self.cols.metrics))
            if self.roles[label][1] is None
        }

        def coalesced(metric: str) -> np.ndarray:
            """Per row, the first value of any column holding this per-run metric (a
            JSON's runs keep their own key path beside a summary's)."""
            out = np.full(rows, np.nan)
            for label, (name, aggregate) in self.roles.items():
                if name == metric and aggregate is None:
                    column = kept[value_column(label)]
                    out = np.where(np.isnan(out), column, out)
            return out

        for rate, count, duration, column in (
            ("tokens_per_s", "eval_count", "eval_ms", DERIVED_RATE),
            ("prompt_tokens_per_s", "prompt_eval_count", "prompt_eval_ms", DERIVED_PROMPT_RATE),
        ):
            if rate not in per_run and count in per_run and duration in per_run:
                # Ollama's API stores no rate; its CLI shows count / duration.
                durations, counts = coalesced(duration), coalesced(count)
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    derived = np.where(durations > 0, counts / (durations / 1000), np.nan)
                kept[value_column(column)] = self._drop_implausible(column, derived, valid)
                self.roles[column] = (rate, None)
        measured = {value_column(label) for label in self.cols.metrics}
        identity = {name: column for name, column in records.items() if name not in measured}
        self.records = {**identity, **kept}
        loads = [label for label, role in self.roles.items() if role == ("load_ms", None)]
        load_column = value_column(loads[0]) if loads else None
        if len(loads) > 1:
            # each row's load under its own key path (ChimeraForge's two agents' runs,
            # `collector...load_duration_ms` and `insight...load_duration_ms`): one column
            # for the cold rule, or each row is judged among its own agent's alone
            self.records[LOADS] = coalesced("load_ms")
            load_column = LOADS
        per_run_values = any(aggregate is None for _, aggregate in self.roles.values())
        timed = any(metric in ("ttft_ms", "latency_ms", "total_ms") for metric in per_run)
        ttft = per_run.get("ttft_ms")
        self.cold = mark_cold(
            self.records, load_column, self.cols.params, self.format_engine,
            per_run=per_run_values, timed=timed,
            ttft_column=None if ttft is None else value_column(ttft),
        )  # fmt: skip
        count = per_run.get("eval_count")
        self._mark_degenerate(None if count is None else value_column(count))

    def _script_timings(self, kept: dict[str, np.ndarray]) -> None:
        """A script's own timing beside Ollama's field of the same metric (its `duration_ms`
        beside `total_duration_ns`) is its wall clock around the call, not a second total:
        read as latency, so a run is not counted twice and a client's time that includes
        more than the call (a tool executed, a second request) is not Ollama's total. (Other
        columns of one series are left alone: vLLM's TPOT and ITL are not this rule's.)"""

        def ollama(label: str) -> bool:
            leaf = normalise_name(str(label).rsplit(".", 1)[-1])
            return any(leaf.startswith(name) for name in OLLAMA_DURATIONS)

        fields = {label: ollama(label) for label in self.cols.metrics}  # Ollama's own fields
        for label in [label for label, own in fields.items() if own]:
            metric, aggregate = self.roles[label]
            present = ~np.isnan(kept[value_column(label)])
            for other, own in fields.items():
                if own or self.roles[other] != (metric, aggregate):
                    continue
                if (present & ~np.isnan(kept[value_column(other)])).any():
                    self.roles[other] = ("latency_ms", aggregate)

    def _mark_degenerate(self, count_column: str | None) -> None:
        """Set apart generations of a handful of tokens where the file's usual one is long:
        a 3-token answer in 3.9 s is no decoding rate of the model (`degenerate`)."""
        records = self.records
        degenerate = records["degenerate"] = np.zeros(len(records["record"]), dtype=bool)
        if count_column is None:
            return
        tokens = np.asarray(records[count_column], dtype=float)
        usable = ~records["error"] & ~records["summary"] & np.isfinite(tokens)
        models = records["model"]
        for model in pd.unique(models[usable]):
            rows = usable & (models == model)
            if rows.sum() < 3:
                continue
            usual = float(np.median(tokens[rows]))
            few = rows & (tokens < DEGENERATE_TOKENS) & (tokens * 10 <= usual)
            if few.any():
                degenerate[few] = True
                self.degenerate.append((model, int(few.sum()), float(tokens[few].max()), usual))

    def _drop_untimed(self, kept: dict[str, np.ndarray], rows: int) -> None:
        """Leave out a phase's rate or duration of 0 where the phase produced tokens: 5065
        tokens generated at "0 tok/s" in "0 s" (a cloud model called through Ollama, which
        times none of it) is no measurement, not the slowest run. Counted."""
        for rate, duration, count in _PHASES:
            produced = np.zeros(rows, dtype=bool)
            for label, (metric, aggregate) in self.roles.items():
                if metric == count and aggregate is None:
                    with np.errstate(invalid="ignore"):
                        produced |= kept[value_column(label)] > 0
            if not produced.any():
                continue
            for label, (metric, aggregate) in self.roles.items():
                if metric in (rate, duration) and aggregate is None:
                    values = kept[value_column(label)]
                    zero = produced & (values == 0)
                    if zero.any():
                        kept[value_column(label)] = np.where(zero, np.nan, values)
                        self.untimed += int(zero.sum())
                        self.untimed_columns.setdefault(label)

    def _drop_cached_prompts(
        self, kept: dict[str, np.ndarray], records: Records, valid: np.ndarray
    ) -> None:
        """Per-run prompt times (and prompt rates) of calls whose prompt was served from the
        prompt cache: a call taking `CACHED_PROMPT_RATIO` times less for a prompt of the same
        token count than another call of the same model, settings and machine did, or
        `CACHED_PROMPT_MIN_RATIO` times less with a prompt rate `CACHED_PROMPT_PER_TOKEN` times
        its own generation rate. Left out, counted."""
        per_run = {
            metric: label
            for label, (metric, aggregate) in self.roles.items()
            if aggregate is None and metric in ("prompt_eval_count", "prompt_eval_ms")
        }
        if len(per_run) < 2:
            return
        times = kept[value_column(per_run["prompt_eval_ms"])]
        timed = valid & np.isfinite(times) & (times > 0)
        # cheap test first: no two prompt times CACHED_PROMPT_RATIO apart, no cached call
        if timed.sum() < 2 or times[timed].max() < CACHED_PROMPT_MIN_RATIO * times[timed].min():
            return
        counts = kept[value_column(per_run["prompt_eval_count"])]
        # a config named by Chimera from the settings is the settings (sampling ones too)
        configs = [c if c not in self.synthetic_configs else "" for c in records["config"]]
        # the same prompt: another prompt of as many tokens was processed on its own
        setups = [records["model"], records["machine"], records["workload"], configs]
        # sampling settings (temperature, seed, ...) leave the prompt's processing alone
        setups += [
            records[f"param:{name}"] for name in sorted(self.cols.params) if name not in _SAMPLING
        ]
        names = ["\x00".join(map(str, cells)) for cells in zip(*setups, strict=True)]
        longest: dict[tuple[str, float], float] = {}
        keys = [
            (n, float(c)) if t and math.isfinite(c) else None
            for n, c, t in zip(names, counts.tolist(), timed.tolist(), strict=True)
        ]
        for key, time in zip(keys, times.tolist(), strict=True):
            if key is not None:
                longest[key] = max(longest.get(key, 0.0), time)
        per_token = self._prompt_per_generated_rate(kept, counts, times)
        cached = np.array(
            [
                key is not None
                and (
                    CACHED_PROMPT_RATIO * time <= longest[key]
                    or (
                        CACHED_PROMPT_MIN_RATIO * time <= longest[key]
                        and per_token_rate >= CACHED_PROMPT_PER_TOKEN
                    )
                )
                for key, time, per_token_rate in zip(
                    keys, times.tolist(), per_token.tolist(), strict=True
                )
            ],
            dtype=bool,
        )
        loads = [label for label, (m, a) in self.roles.items() if m == "load_ms" and a is None]
        if loads:  # a call that loaded the model found no cache (rohilrao: every call did)
            load = kept[value_column(loads[0])]
            cached &= ~(np.isfinite(load) & (load >= LOADED_MS))
        # two calls or more of one prompt, each 20x faster than another: one fast call after
        # a slow first one is as often that first call's stall (riatzukiza's gemma3: 5.5 s
        # for 11 tokens, then 14 ms as for its other prompts)
        hits: dict[tuple[str, float], int] = {}
        for key, hit in zip(keys, cached.tolist(), strict=True):
            if hit and key is not None:
                hits[key] = hits.get(key, 0) + 1
        cached &= np.array([key is not None and hits.get(key, 0) >= 2 for key in keys], dtype=bool)
        if not cached.any():
            return
        for label, (metric, aggregate) in self.roles.items():
            if aggregate is None and metric in ("prompt_eval_ms", "prompt_tokens_per_s"):
                kept[value_column(label)] = np.where(cached, np.nan, kept[value_column(label)])
        self.left_out[_CACHED_PROMPT] = int(cached.sum())

    def _drop_frozen_rates(
        self, kept: dict[str, np.ndarray], records: Records, valid: np.ndarray
    ) -> None:
        """Leave out a token rate written to the hundredth that 3 rows or more of a file share
        while the TTFT or time per output token of those rows varies by 10 % or more: a context
        sweep whose `throughput` is 4.81 tok/s at 1K and at 262K tokens while TTFT goes from 40
        to 490 ms and TPOT from 17 to 33 ms (a parse that kept the wrong line of the tool's
        output). A request's rate follows its times, so the figure measures none of those rows;
        read as one, it makes "no measurable effect" out of a constant. A figure of one decimal
        or none (41.8, 200 tok/s) may be rounded and repeat, and a total time grows with the
        tokens: both left alone. So is a rate held over rows of different load (concurrency,
        request rate, batch): a saturated server's throughput plateaus while its TPOT grows."""
        loads = [records[f"param:{name}"] for name in _LOADS if f"param:{name}" in records]
        times = [
            kept[value_column(label)]
            for label, (metric, aggregate) in self.roles.items()
            if aggregate is None and metric in _REQUEST_TIMES
        ]
        if not times:
            return
        for label, (metric, aggregate) in self.roles.items():
            if metric not in _RATES or aggregate is not None:
                continue
            values = kept[value_column(label)]
            usable = valid & np.isfinite(values) & (values != np.round(values, 1))
            shared, counts = np.unique(values[usable], return_counts=True)
            for value in shared[counts >= _FROZEN_ROWS].tolist():
                rows = usable & (values == value)
                if any(pd.unique(load[rows]).size > 1 for load in loads):
                    continue
                if any(_varies(time[rows]) for time in times):
                    kept[value_column(label)] = values = np.where(rows, np.nan, values)
                    count = self.left_out.get(_FROZEN_RATE, 0) + int(rows.sum())
                    self.left_out[_FROZEN_RATE] = count

    def _drop_zero_times(self, kept: dict[str, np.ndarray], valid: np.ndarray) -> None:
        """Leave out a TTFT, TPOT or ITL of 0 ms, counted: no token is served in no time, so
        the 0 is where the script measured none (mattbucci's decode-only sweeps write
        `"ttft_ms": 0`, read as models "100 % faster to the first token"). A spread (std) of 0
        is a spread, left alone."""
        for label, (metric, aggregate) in self.roles.items():
            if metric not in _NEVER_ZERO_TIMES or aggregate == "std":
                continue
            values = kept[value_column(label)]
            zero = valid & (values == 0)
            if zero.any():
                kept[value_column(label)] = np.where(zero, np.nan, values)
                self.left_out[_ZERO_TIME] = max(self.left_out.get(_ZERO_TIME, 0), int(zero.sum()))

    def _prompt_per_generated_rate(
        self, kept: dict[str, np.ndarray], counts: np.ndarray, times: np.ndarray
    ) -> np.ndarray:
        """Each call's prompt rate over its own generation rate (NaN where either is not
        measured): the generation rate as stated, else from its token count and time."""
        per_run = {m: label for label, (m, a) in self.roles.items() if a is None}
        rows = len(times)
        generated = np.full(rows, np.nan)
        if "tokens_per_s" in per_run:
            generated = kept[value_column(per_run["tokens_per_s"])].astype(float)
        if "eval_count" in per_run and "eval_ms" in per_run:
            eval_ms = kept[value_column(per_run["eval_ms"])]
            with np.errstate(invalid="ignore", divide="ignore"):
                derived = kept[value_column(per_run["eval_count"])] / eval_ms * 1000.0
            generated = np.where(np.isfinite(generated), generated, derived)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = (counts / times * 1000.0) / generated
        return np.where(np.isfinite(ratio), ratio, np.nan)

    def _drop_zero_rates(self, values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """`values` without a run's rate of 0 tok/s (a script writes 0 where the run failed
        or generated nothing: "OOM at 32k ctx" in a notes column), counted as rows left out;
        a 0 among runs is no speed to average."""
        zero = valid & (values == 0)
        count = int(zero.sum())
        if not count:
            return values
        self.left_out[_ZERO_RATE] = max(self.left_out.get(_ZERO_RATE, 0), count)
        return np.where(zero, np.nan, values)

    def _drop_implausible(self, label: str, values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """`values` with the unusable ones (inf, negative, > MAX_PLAUSIBLE) as NaN, counted.

        Empty cells (NaN already) are not counted: they hold nothing to leave out.
        """
        with np.errstate(invalid="ignore"):
            wrong = ~np.isnan(values) & valid & ~((values >= 0) & (values <= MAX_PLAUSIBLE))
        count = int(wrong.sum())
        if not count:
            return values
        self.implausible += count
        self.implausible_columns.setdefault(label)
        return np.where(wrong, np.nan, values)

    @property
    def has_values(self) -> bool:
        """Whether any record holds a usable metric value (or an error)."""
        if not self.records:
            return False
        if self.errors:
            return True
        return any(np.isfinite(self.records[value_column(label)]).any() for label in self.roles)
