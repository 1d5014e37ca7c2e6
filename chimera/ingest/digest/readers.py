"""Reading benchmark files: encoding, CSV sanity checks, CSV and JSON rows, Markdown titles.

Each reader either returns the table's values or raises `UnusableFile` with the reason the
user sees; nothing of a file is kept unless all of it read.
"""

from __future__ import annotations

import codecs
import collections
import csv
import functools
import itertools
import json
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from chimera.escape import shorten
from chimera.ingest.digest.claims import NoteClaim, note_claims
from chimera.ingest.digest.column_settings import (
    adopt,
    candidates,
    named_setting,
    picked_number,
)
from chimera.ingest.digest.columns import (
    ALL_TOKEN_COUNTS,
    COMPLETED_KEYS,
    CONFIG_KEYS,
    DEPTH_KEYS,
    ERROR_KEYS,
    INPUT_LENGTH_KEYS,
    MAYBE_MODEL_KEYS,
    MODEL_KEYS,
    NAMES_CACHED,
    OUTPUT_LENGTH_KEYS,
    PARAM_NAMES,
    PHASE_KEYS,
    REQUESTED_KEYS,
    RUNS_KEYS,
    SUCCESS_KEYS,
    TIME_KEYS,
    TOTAL_INPUT_KEYS,
    WORKLOAD_KEYS,
    MetricRole,
    TableColumns,
    is_reply_name,
    metric_role,
    names_no_phase,
    normalise_name,
    param_name,
    settings_from_path,
)
from chimera.ingest.digest.genai_perf import CSV_HEADER as PROFILE_CSV_HEADER
from chimera.ingest.digest.genai_perf import (
    counts_failures,
    is_profile_export,
    profile_record,
    reasoning_figures,
    reasoning_notes,
)
from chimera.ingest.digest.genai_perf import csv_record as profile_csv_record
from chimera.ingest.digest.identity import (
    CPU_KEYS,
    ENGINE_KEYS,
    GPU_KEYS,
    WEAK_ENGINE_KEY,
    engine_from_filename,
    engine_from_folder,
    engine_from_version,
    engine_name,
    gguf_model,
    is_engine_version_key,
    llama_cpp_engine,
    machine_from_heading,
    machine_from_path,
    machine_key,
    machine_label,
    model_from_path,
    model_from_title,
    model_name,
    tag_kv_cache,
    tag_parts,
    weights_format,
)
from chimera.ingest.digest.llama_bench import MARKDOWN_COLUMNS, MIXED_REASON
from chimera.ingest.digest.llama_bench import find_records as llama_bench_records
from chimera.ingest.digest.mlperf import MARKER as MLPERF_MARKER
from chimera.ingest.digest.mlperf import restates_summary as mlperf_detail
from chimera.ingest.digest.mlperf import results_page as mlperf_page
from chimera.ingest.digest.mlperf import summary_record as mlperf_record
from chimera.ingest.digest.optimum_bench import is_report, report_from_lines, report_record
from chimera.ingest.digest.scripts import script_setup
from chimera.ingest.digest.table import TableValues, row_error
from chimera.ingest.digest.text_results import (
    MARKDOWN_AGGREGATE,
    MarkdownTable,
    atx_heading_text,
    clean_lines,
    command_device,
    config_line_settings,
    config_lines,
    console_frame,
    go_benchmark_frame,
    guidellm_console_frame,
    guidellm_report_frame,
    guidellm_stats_frame,
    guidellm_stats_header,
    headings_machine,
    headings_model,
    key_value_cells_frame,
    llama_server_frame,
    llm_benchmark_frame,
    markdown_frames,
    mlx_benchmark_frame,
    mlx_generate_frame,
    not_exact,
    numeric_cells,
    pivot_frame,
    section_machines,
    serve_command_engine,
    serve_command_settings,
    serving_frame,
    spec_table_machine,
    spec_table_model,
    sql_insert_frame,
    stated_machine,
    system_section_machine,
    table_config_settings,
    trtllm_bench_frame,
    unit_cells_frame,
    verbose_frame,
    vllm_throughput_frame,
)
from chimera.ingest.digest.units import ESTIMATED_TOKENS, UnitNote
from chimera.ingest.inventory import FileEntry

MB = 1024 * 1024
SNIFF_BYTES = 64 * 1024
_CHUNK_ROWS = 50_000
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
_MESSAGE = re.compile(r"error|exception|traceback|failed|refused|not found|timed? ?out", re.I)


class UnusableFile(Exception):
    """A file cannot be used; the message is the reason the user sees."""


def decode_reason(exc: UnicodeDecodeError) -> str:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return f"not {exc.encoding} text (byte 0x{byte} cannot be decoded); re-save it as UTF-8"


def text_encoding(head: bytes) -> str:
    """The encoding to read a file with, judged by its first bytes; raises for binary or
    text in another encoding."""
    if not head:
        raise UnusableFile("empty file (0 bytes)")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        half = len(head) // 2 or 1
        if max(head[0::2].count(0), head[1::2].count(0)) > 0.4 * half:
            raise UnusableFile("UTF-16 text without a byte-order mark; re-save it as UTF-8")
        raise UnusableFile("binary content (NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        legacy = legacy_encoding(head)
        if legacy is None:
            raise UnusableFile(
                f"not UTF-8 text (byte 0x{head[exc.start]:02x} at offset {exc.start}), nor "
                "plainly Windows-1252 or Latin-1 (UTF-8 characters among other bytes, or runs "
                "of non-ASCII bytes as an East Asian encoding writes); re-save it as UTF-8"
            ) from None
        return legacy
    return "utf-8"


# A Western single-byte text's names: Excel and Windows tools save `µs`, `°C`, `débit` as
# one byte a character (0xB5, 0xB0, 0xE9), which UTF-8 cannot decode.
LEGACY_ENCODINGS = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}
# Four non-ASCII bytes in a row: an East Asian encoding's word (two bytes a character,
# "速度" is four) or binary; a Western text's accented letters stand alone or in pairs ("ßö").
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]{4}")
# A UTF-8 character of two or three bytes: text that holds one is UTF-8 with a bad byte (or
# two encodings mixed), which no single-byte reading would make right.
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf](?![\x80-\xbf])|[\xe0-\xef][\x80-\xbf]{2}")


def legacy_encoding(data: bytes) -> str | None:
    """The Western single-byte encoding text that is not UTF-8 reads as (Windows-1252, else
    Latin-1, which decodes every byte), or None where its bytes look like another encoding's."""
    if _NON_ASCII_RUN.search(data) is not None or _UTF8_CHARACTER.search(data) is not None:
        return None
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no Windows-1252 character
        return "latin-1"
    return "cp1252"


# Option names only Ollama uses: a table that states them measured Ollama.
_OLLAMA_NAMES = frozenset({
    "num_gpu", "num_ctx", "num_thread", "num_batch", "num_predict", "keep_alive",
    "done_reason", "repeat_last_n", "num_keep", "mirostat",
})  # fmt: skip


def format_engine(cols: TableColumns, names: Iterable[str]) -> str | None:
    """The engine a table's format tells (Ollama's API fields or options), else None."""
    if cols.bench is not None:
        return "llama.cpp"  # its rows carry the backends too (llama.cpp (CUDA))
    if any(role.unit == "definition" for role in cols.metrics.values()):
        return "Ollama"
    if {normalise_name(n) for n in names} & _OLLAMA_NAMES:
        return "Ollama"
    return None


# A file that calls itself a summary holds figures someone already aggregated, whatever its
# columns are named ("tokens_s" in averages.csv is a mean of runs, not a run).
_SUMMARY_NAME = re.compile(
    r"(?:^|[^a-z])(averages?|summary|summaries|aggregated?|means)(?:[^a-z]|$)"
)


# ... unless its rows say they are runs: a repetition number or a start time per row (a
# sweep's summary.csv lists each run of each cell). Not "run": in averages it is a count.
_PER_RUN_COLUMNS = frozenset({"repetition", "run_id", "iteration", "trial"})


# Columns that can only be a count of runs (`n`, `count`, `samples` may count other things).
_RUN_COUNTS = frozenset({
    "n_runs", "num_runs", "run_count", "repetitions", "n_reps", "test_count", "num_tests",
    "n_tests",
})  # fmt: skip


def summary_named(path: str) -> bool:
    """Whether a file's name calls it a summary (`throughput_summary.csv`, `averages.csv`)."""
    return _SUMMARY_NAME.search(Path(path).stem.lower()) is not None


def _summary_file(path: str, cols: TableColumns, names: Iterable[str]) -> bool:
    if not summary_named(path):
        return False
    per_run = {normalise_name(n) for n in names} & _PER_RUN_COLUMNS
    return not per_run and cols.timestamp is None


def new_values(
    path: str,
    cols: TableColumns,
    names: Iterable[str],
    settings: dict[str, Any] | None = None,
    model: str | None = None,
) -> TableValues:
    """A table's values with what its path and format tell about its identity (`settings`
    its text states beside it, where no column states them; `model`: what a file beside it
    says of its runs, before the path)."""
    names = list(names)
    if cols.bench is None and (
        _summary_file(path, cols, names)
        # per row, how many runs its figures are over (`test_count` 3 beside `total_duration`,
        # the three runs' sum): not one run's figures
        or (cols.runs is not None and normalise_name(cols.runs) in _RUN_COUNTS)
    ):
        for label, role in list(cols.metrics.items()):
            if role.aggregate is None:
                cols.metrics[label] = MetricRole(role.metric, "mean", role.factor, role.unit)
    return TableValues(
        path,
        cols,
        model or model_from_path(path),
        machine=machine_from_path(path),
        engine=format_engine(cols, names) or engine_from_filename(path) or engine_from_folder(path),
        settings={**dict(settings_from_path(path)), **(settings or {})},
    )


# A file that says which machine its folder's runs ran on (`system.txt`, `specs.md`,
# `HARDWARE.md`, `hardware_info.txt`), by lines such as "GPU: NVIDIA GeForce RTX 3080 10GB"
# or a two-column Markdown table's rows ("| GPUs | 4x RTX 3090, 24 GB each |"); or a bench
# script's `system_info.json` by its GPU and CPU keys (`"gpu_model": "NVIDIA GeForce RTX 4090"`,
# leoric-crown/n8n_pgvector16).
_SPEC_NAME = re.compile(
    r"(?i)^(?:system|sys|specs?|hardware|hw|machine|host|env|environment)"
    r"(?:[-_ ]?(?:info|specs?|details))?\.(?:txt|md|json)$"
)
# The keys of a spec JSON that name its GPU or CPU (not GPU_KEYS' `hostname`, `system`, ...).
_SPEC_JSON_GPU = frozenset({"gpu", "gpus", "gpu_info", "gpu_name", "gpu_model", "gpu_type"})
_SPEC_JSON_CPU = frozenset({"cpu", "cpu_info", "cpu_name", "cpu_model", "processor"})
_SPEC_LINE = re.compile(
    r"(?i)^\s*(?:[-*]\s+)?\**(gpu|graphics|cpu|processor|chip)s?\**\s*[:=]\**\s*`?([^`|]+?)`?\s*$"
)
_SPEC_ROW = re.compile(
    r"(?i)^\s*\|\s*\**(gpu|graphics|cpu|processor|chip)s?\**\s*\|\s*([^|]+?)\s*\|\s*$"
)
_SPEC_MAX_BYTES = 16 * 1024


def spec_machine(text: str) -> str | None:
    """The machine a spec file's "GPU:" / "CPU:" lines (or `| GPU | ... |` table rows)
    name: its GPU, else its CPU; None where two lines name two GPUs (or two CPUs), as a
    list of several machines does: which ran the runs is unknown."""
    gpus: dict[str, str] = {}
    cpus: dict[str, str] = {}
    for line in text.splitlines():
        found = _SPEC_LINE.match(line) or ("|" in line and _SPEC_ROW.match(line)) or None
        if found is not None:
            named = gpus if found[1].lower() in ("gpu", "graphics") else cpus
            value = found[2].strip("` ")
            key = machine_key(machine_label(value, None) or value)
            # "RTX 3080" restating "NVIDIA GeForce RTX 3080 10GB" is the same card
            if not any(key in k or k in key for k in named):
                named[key] = value
    if len(gpus) > 1 or len(cpus) > 1:
        return None
    return machine_label(next(iter(gpus.values()), None), next(iter(cpus.values()), None))


def spec_json_machine(text: str) -> str | None:
    """The machine a spec JSON's top-level GPU and CPU keys name (`gpu_model`, `cpu_model`):
    its GPU, else its CPU; None where it is no object or names neither."""
    try:
        doc = json.loads(text)
    except ValueError:  # cut at _SPEC_MAX_BYTES, or no JSON
        return None
    if not isinstance(doc, dict):
        return None
    named: dict[str, str] = {}
    for key, value in doc.items():
        if isinstance(value, str) and value.strip():
            norm = normalise_name(str(key))
            if norm in _SPEC_JSON_GPU or norm in _SPEC_JSON_CPU:
                named.setdefault("gpu" if norm in _SPEC_JSON_GPU else "cpu", value)
    return machine_label(named.get("gpu"), named.get("cpu"))


def spec_machines(root: Path, paths: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Per folder, the machine its one spec file names and that file: folder -> (machine,
    path). A folder of runs beside `system.txt` ("GPU: RTX 3080") ran on that machine,
    where nothing else names it (desktop/ and laptop/ are two machines, not two sessions)."""
    found: dict[str, tuple[str, str] | None] = {}
    for path in paths:
        name = path.rpartition("/")[2]  # cheap tests first: this sees every file's path
        if name[-3:].lower() not in ("txt", ".md", "son") or not _SPEC_NAME.match(name):
            continue
        where = Path(path)
        try:
            with open(root / path, "rb") as fh:
                text = fh.read(_SPEC_MAX_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        machine = spec_json_machine(text) if name.lower().endswith(".json") else spec_machine(text)
        folder = where.parent.as_posix()
        if machine is not None:
            # two spec files naming two machines in one folder: which ran what is unknown
            found[folder] = (machine, path) if folder not in found else None
    return {folder: named for folder, named in found.items() if named is not None}


# A benchmark's settings file beside its results (mlx_transformers_benchmark's settings.json:
# "benchmark_settings": {"num_warmup_iterations": 1, "num_iterations": 3}): how many timed
# runs each row of the folder's tables is the mean of.
_SETTINGS_NAME = re.compile(
    r"(?i)^(?:settings|config|benchmark_settings|benchmark_config|bench_config|run_config)"
    r"\.json$"
)
_ITERATION_KEYS = frozenset({
    "num_iterations", "n_iterations", "iterations", "num_timed_iterations", "num_repeats",
    "num_repetitions", "runs_per_config", "num_runs_per_config",
})  # fmt: skip
# What makes an iteration count a benchmark's (a training config's num_iterations is none):
# a warm-up beside it, or a block named for the benchmark around it.
_WARMUP_KEYS = frozenset({
    "num_warmup_iterations", "warmup_iterations", "n_warmup", "num_warmup", "warmup_runs",
    "num_warmup_runs", "warmup",
})  # fmt: skip
_SETTINGS_MAX_BYTES = 64 * 1024


def _iterations(doc: object, depth: int = 0, benchmark: bool = False) -> int | None:
    """The one iteration count a benchmark's settings document states (top level or one
    block down), where a warm-up beside it or a block named for the benchmark says it is
    the benchmark's."""
    if not isinstance(doc, dict) or depth > 1:
        return None
    names = {normalise_name(str(k)): v for k, v in doc.items()}
    found: set[int] = set()
    if benchmark or names.keys() & _WARMUP_KEYS:
        found = {
            v
            for k, v in names.items()
            if k in _ITERATION_KEYS
            and isinstance(v, int)
            and not isinstance(v, bool)
            and 2 <= v <= 10_000
        }
    for key, value in names.items():
        if (inner := _iterations(value, depth + 1, benchmark or "bench" in key)) is not None:
            found.add(inner)
    return found.pop() if len(found) == 1 else None


def iteration_counts(root: Path, paths: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Per folder, the runs each row of its tables is the mean of, as the benchmark's settings
    file there states them, and that file: folder -> (runs, path). A row of such a table is
    one setup's mean of that many timed runs, not one run."""
    found: dict[str, tuple[int, str]] = {}
    for path in paths:
        name = path.rpartition("/")[2]  # cheap tests first: this sees every file's path
        if name[-5:].lower() != ".json" or not _SETTINGS_NAME.match(name):
            continue
        try:
            with open(root / path, "rb") as fh:
                raw = fh.read(_SETTINGS_MAX_BYTES + 1)
            if len(raw) > _SETTINGS_MAX_BYTES:
                continue
            runs = _iterations(json.loads(raw.decode("utf-8", errors="replace")))
        except (OSError, ValueError):
            continue
        if runs is not None:
            found[Path(path).parent.as_posix()] = (runs, path)
    return found


def _head_text(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def markdown_title(head: bytes, encoding: str) -> str:
    """A note's first heading, else its first line."""
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("#"):
            return atx_heading_text(line)[:100]
    return lines[0][:100] if lines else ""


# --- CSV -----------------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# What a wide table's file name may say its level columns are (`table_batchsizes_a100.csv`,
# `table_gpuscale_tesla.csv`), and its figures: said in the reason, never read as the setting
# or the metric (a word with no unit: a rate or a time, of which tokens, only a paper says).
_WIDE_LEVELS_IN_NAME = (
    (re.compile(r"batch(?:es|_?sizes?)?(?![a-z])", re.I), "batch sizes"),
    (re.compile(r"gpu(?:s|_?scale|_?count)(?![a-z])|(?<![a-z])tp(?![a-z])", re.I), "GPU counts"),
    (re.compile(r"concurren(?:cy|t)|users|clients", re.I), "concurrencies"),
    (re.compile(r"(?<![a-z])(?:ctx|context)(?![a-z])", re.I), "context lengths"),
)  # fmt: skip
_WIDE_METRIC_IN_NAME = re.compile(r"throughput|latency|ttft|tps|speed", re.I)


def _wide_table_reason(header: list[str], name: str) -> str:
    """Why a wide table (`model,1,2,4,8`) is not read, with what its file name says."""
    levels = f"{', '.join(header[1:5])}{', ...' if len(header) > 5 else ''}"
    said = ""
    for pattern, what in _WIDE_LEVELS_IN_NAME:
        if (found := pattern.search(name)) is not None:
            said = f" (its file name says {what}: {found.group()!r})"
            break
    if (metric := _WIDE_METRIC_IN_NAME.search(name)) is not None:
        figures = f"its file name says {metric.group()!r} of its figures, but not in what unit"
    else:
        figures = "neither it nor its name states the metric of its figures (a rate or a time)"
    return (
        f"a wide table: after {header[0]!r}, one column per level of a setting ({levels}) "
        f"its header does not name{said}; {figures}; save it long, a column per setting "
        "and metric"
    )


def _reject_non_table(header: list[str], head: bytes, encoding: str, name: str = "") -> None:
    """Raise when a CSV without recognised columns is not a table at all."""
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    numeric = sum(_is_number(str(h)) for h in header)
    levels = [float(h) for h in header[1:] if _is_number(str(h))]
    if (
        len(levels) >= 2
        and len(levels) == len(header) - 1
        and not _is_number(str(header[0]))
        and levels == sorted(set(levels))
        and all(v == int(v) for v in levels)
    ):
        # `model,1,2,4,8` over `Bloom-1b7,133.1,71.3,...`: a header, of levels (GPU counts,
        # batch sizes) whose variable and figures' metric only the file's name or a note says
        raise UnusableFile(_wide_table_reason(header, name))
    if numeric and numeric * 2 >= len(header):
        raise UnusableFile(
            f"no header row: the first line holds values ({first[:60]!r}); "
            "add a header naming the columns"
        )
    if len(lines) <= 1 or _MESSAGE.search(first):
        raise UnusableFile(f"not a CSV table, only a message: {first[:80]!r}")


# Excel's first line naming the delimiter of the lines after it ("sep=;").
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)$")
# A number written in a decimal-comma locale ("95,45", "1.234,50"), and one with a thousands
# dot among them ("1.234,50", "1.500").
_COMMA_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_DOT_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV's fields and numbers are written: `,` and `.` unless its lines say
    otherwise (a spreadsheet saved in a German or French locale writes `;` between fields
    and `1.234,5` for 1234.5; Excel may begin with a `sep=;` line)."""

    sep: str = ","
    skiprows: int = 0
    decimal: str = "."
    thousands: str | None = None

    @property
    def plain(self) -> bool:
        return self == _PLAIN_CSV

    def pandas(self) -> dict[str, Any]:
        """The keyword arguments of `pd.read_csv` for it."""
        if self.plain:
            return {}
        return {
            "sep": self.sep,
            "skiprows": self.skiprows,
            "decimal": self.decimal,
            "thousands": self.thousands,
        }


_PLAIN_CSV = CsvDialect()


def csv_dialect(head: bytes, encoding: str) -> CsvDialect:
    """The dialect of a CSV judged by its first lines: `;` or a tab between fields where the
    header holds more of them than commas, and the first row fits; then `,` is the decimal mark
    where a field is written so ("95,45"), and `.` the thousands' one where one is
    ("1.234,50")."""
    excel = head.removeprefix(codecs.BOM_UTF8).startswith(b"sep=")
    if b";" not in head and b"\t" not in head and not excel:
        return _PLAIN_CSV  # cheap: most CSVs
    lines = [ln for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    skiprows, sep = 0, ","
    if lines and (named := _SEP_LINE.match(lines[0].strip())) is not None:
        skiprows, sep = 1, named[1]
        lines = lines[1:]
    elif lines:
        for other in (";", "\t"):
            # the header holds more of it than commas, and the first row as many as the header
            # (its commas may be decimals) or more than commas (a ragged row, which the
            # ragged-row check then says)
            head_count = lines[0].count(other)
            row = lines[1] if len(lines) > 1 else lines[0]
            fits = row.count(other) == head_count or row.count(other) > row.count(",")
            if head_count > lines[0].count(",") and fits:
                sep = other
                break
    if sep == ",":
        return CsvDialect(skiprows=skiprows)
    fields = [f.strip().strip('"') for line in lines[1:50] for f in line.split(sep)]
    if not any(_COMMA_DECIMAL.fullmatch(f) for f in fields):
        return CsvDialect(sep, skiprows)
    thousands = "." if any(_DOT_THOUSANDS.fullmatch(f) for f in fields) else None
    return CsvDialect(sep, skiprows, ",", thousands)


def _check_ragged(
    path: Path, encoding: str, n_fields: int, nrows: int | None, dialect: CsvDialect = _PLAIN_CSV
) -> int | None:
    """Raise when a row has another field count than the header (pandas' usecols hides it).

    One exception: a file whose last line alone is short was cut off mid-write (a benchmark
    killed, a copy interrupted). Its good rows are kept; the return value is how many data
    rows to read (None: all of them).
    """
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.sep)
        for _ in range(dialect.skiprows + 1):
            next(reader, None)
        rows: Iterator[list[str]] = itertools.islice(reader, nrows) if nrows else reader
        # map(len) + Counter keep the whole pass in C: about 1 s per 50 MB.
        lengths = collections.Counter(map(len, rows))
    bad = sum(n for length, n in lengths.items() if length not in (0, n_fields))
    if not bad:
        return None
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.sep)
        for _ in range(dialect.skiprows + 1):
            next(reader, None)
        good = 0
        for row in reader:
            if len(row) == n_fields:
                good += 1
            elif len(row) not in (0, n_fields):
                if bad == 1 and len(row) < n_fields and not any(r for r in reader if r):
                    return good  # the last non-blank line, cut short
                raise UnusableFile(
                    f"ragged rows: line {reader.line_num} has {len(row)} fields, the header "
                    f"{n_fields} ({bad} such rows); quote fields that contain commas"
                )


def _row_budget(head: bytes, max_bytes: int) -> int:
    """How many rows make about `max_bytes`, judging by the average line in `head`."""
    line_bytes = len(head) / max(1, head.count(b"\n"))
    return max(1, int(max_bytes / line_bytes) - 1)


def _plain_header(head: bytes, encoding: str, sep: str = ",") -> list[str] | None:
    """The column names of a CSV whose first line is plain, as pandas names them; None
    where pandas must judge (quotes, blank or repeated names, another encoding).

    A pandas read of the header alone costs as much as reading a small file's rows. It
    also tokenizes the first data row (after blank lines): a quote there may fail it, so
    such files are left to it too.
    """
    if encoding != "utf-8":  # pandas decodes the others (utf-8-sig too) as it reads
        return None
    end = head.find(b"\n")
    if end < 0:
        return None
    try:
        line = head[:end].decode(encoding).removesuffix("\r")
    except UnicodeDecodeError:
        return None
    if '"' in line or "\r" in line or "\ufeff" in line:
        return None
    names = line.split(sep)
    # pandas renames blank names (Unnamed: 0) and repeated ones (a.1)
    if len(set(names)) < len(names) or not all(name.strip() for name in names):
        return None
    while end >= 0:  # the lines up to the first data row
        start = end + 1
        end = head.find(b"\n", start)
        row = head[start:] if end < 0 else head[start:end]
        if b'"' in row:
            return None
        if row.strip():
            return names
    return names if len(head) < SNIFF_BYTES else None  # the whole file: no data row


def _csv_header(
    path: Path, encoding: str, head: bytes, dialect: CsvDialect = _PLAIN_CSV
) -> list[str]:
    """The CSV's column names, as pandas names them."""
    header = _plain_header(head, encoding) if dialect.plain else None
    if header is not None:
        return header
    try:
        frame = pd.read_csv(path, nrows=0, encoding=encoding, **dialect.pandas())
        return [str(c) for c in frame.columns]
    except pd.errors.EmptyDataError:
        raise UnusableFile("no CSV header: the file holds only blank lines") from None


# A report's comment lines above its CSV header ("# Timestamp: ..., # Host: Dell-T7810, # GPU:
# NVIDIA GeForce RTX 3060 (12288 MB VRAM)"): each "Key: value" a fact of the whole file.
_COMMENT_FACT = re.compile(r"#\s*([A-Za-z][\w ]{0,30}?)\s*:\s*([^#]*?)\s*,?\s*(?=#|$)")
# One row per metric and its runs in columns (`Metric_Type, Run_1, ..., Run_5, Mean, Std_Dev`).
_METRIC_NAME_COLUMNS = frozenset({"metric_type", "metric", "metric_name", "measure"})
_RUN_IN_COLUMN = re.compile(r"^(?:run|rep|repetition|trial|iteration)_?(\d{1,3})$")
_ROW_STATISTICS = frozenset({
    "mean", "avg", "average", "median", "variance", "var", "std", "std_dev", "stddev", "stdev",
    "min", "max", "cv", "ci", "p95", "p99",
})  # fmt: skip


def _comment_lines(head: bytes, encoding: str) -> list[str]:
    """The `#` lines a CSV opens with, before its header."""
    lines = []
    for line in _head_text(head, encoding).splitlines():
        # not a header whose first column is "#" (`#,model,tok/s`)
        if not line.startswith("#") or line[1:2] in (",", ";", "\t", "|"):
            break
        lines.append(line)
    return lines


# The reason a stated mean is listed under "left out" where it is not the mean of its runs
# (`run_health.stated_means` makes it a finding).
STATED_MEAN_MISMATCH = "the file's mean does not match its runs"
_STATED_MEANS = ("mean", "avg", "average")
# A stated mean this far from its runs' mean (relative) is no rounding of it.
_MEAN_TOLERANCE = 0.005


def _stated_means(
    frame: pd.DataFrame, metric: str, runs: list[str], ids: list[str]
) -> tuple[int, str] | None:
    """Rows whose stated mean (a Mean / Avg column beside `Run_1` ... `Run_N`) is not the
    mean of those runs, as (count, reason), the first few named; None where all match."""
    names = {normalise_name(c): c for c in frame.columns}
    stated = next((names[n] for n in _STATED_MEANS if n in names), None)
    if stated is None:
        return None
    values = frame[runs].apply(pd.to_numeric, errors="coerce")
    computed = values.mean(axis=1, skipna=True)
    given = pd.to_numeric(frame[stated], errors="coerce")
    # a mean written to d decimals is off by up to half a unit of its last place
    decimals = frame[stated].astype(str).str.strip().str.partition(".")[2].str.len()
    rounding = 0.5 * 10.0 ** (-decimals.astype(float))
    off = (given - computed).abs() > rounding.clip(lower=_MEAN_TOLERANCE * computed.abs())
    off &= given.notna() & computed.notna()
    if not off.any():
        return None
    examples = []
    for i in list(off[off].index)[:3]:
        who = ", ".join(str(frame.at[i, c]) for c in ids[:3] if pd.notna(frame.at[i, c]))
        examples.append(
            f"{frame.at[i, metric]} of {who}: {given[i]:.4g} stated, {computed[i]:.4g} over "
            f"{runs[0]} ... {runs[-1]}"
        )
    more = f" and {int(off.sum()) - 3} more" if off.sum() > 3 else ""
    return int(off.sum()), (
        f"{STATED_MEAN_MISMATCH}: its {stated} column is not the mean of the row's runs "
        f"({'; '.join(examples)}{more}); the runs are read, the stated means are not"
    )


def _runs_in_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, str] | None]:
    """One row per run: a table of one row per metric (its name in a `Metric_Type` column)
    with its runs in columns `Run_1` ... `Run_N` and their statistics beside them becomes a
    row per run and identity, each metric a column (`Tokens_Per_Sec`, `Elapsed_Sec`), the
    run numbered in `repetition`; the statistics (Mean, Std_Dev), computed from those runs,
    are left out, and a stated mean that is not the mean of its runs is said (`_stated_means`).
    Any other table is returned as it is."""
    names = {normalise_name(c): c for c in frame.columns}
    metric = next((names[n] for n in names if n in _METRIC_NAME_COLUMNS), None)
    runs = [c for c in frame.columns if _RUN_IN_COLUMN.match(normalise_name(c))]
    if metric is None or len(runs) < 2:
        return frame, None
    ids = [
        c
        for c in frame.columns
        if c != metric and c not in runs and normalise_name(c) not in _ROW_STATISTICS
    ]
    mismatch = _stated_means(frame, metric, runs, ids)
    long = frame.melt(id_vars=[*ids, metric], value_vars=runs, var_name="repetition")
    long["repetition"] = [int(_RUN_IN_COLUMN.match(normalise_name(r))[1]) for r in long.repetition]
    keys = [*ids, "repetition"]
    long[ids] = long[ids].astype(object).where(long[ids].notna(), "")
    wide = long.pivot_table(
        index=keys, columns=metric, values="value", aggfunc="first", sort=False
    ).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    return wide, mismatch


def _read_report_csv(
    path: Path, entry: FileEntry, encoding: str, comments: list[str]
) -> TableValues:
    """A CSV under comment lines, or with its runs in columns: read whole (such reports are
    small), its runs made rows (`_runs_in_columns`), the GPU or host its comments name its
    machine."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        frame = pd.read_csv(path, encoding=encoding, skiprows=len(comments), index_col=False)
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        # pandas would drop each row's fields beyond the header's (and warn on stderr): a
        # table read so is not the file's (a DCGM field list under `# Clocks` headings)
        raise UnusableFile("rows with more fields than the header under its comment lines")
    frame, mismatch = _runs_in_columns(frame)
    facts = {
        normalise_name(key): value
        for line in comments
        for key, value in _COMMENT_FACT.findall(line)
        if value
    }
    cols = TableColumns.of(frame.columns)
    if cols.gpu is None and cols.cpu is None:
        machine = facts.get("gpu") or facts.get("host") or facts.get("machine")
        if machine:
            cols.gpu = "gpu (from the file's comments)"
            frame[cols.gpu] = machine
    values = new_values(entry.path, cols, frame.columns)
    values.stated_mismatch = mismatch
    if values.format_engine is None:  # "# OLLAMA LOCAL INFERENCE BENCHMARK REPORT"
        values.format_engine = engine_name(" ".join(comments))
    if len(frame.index) == 0:
        raise UnusableFile("header only, no data rows")
    values.add(frame)
    values.finish()
    return values


_REPEATED_LABEL = re.compile(r"\.\d+$")  # pandas' name of a repeated column: "ttft.1"


def read_csv_table(
    path: Path, entry: FileEntry, encoding: str, head: bytes, max_file_mb: float
) -> tuple[TableValues, bool]:
    """The CSV's metric values, and whether only its first rows were read (it is too big)."""
    small = entry.size_bytes <= max_file_mb * MB
    if small and head.lstrip(b"\xef\xbb\xbf").startswith(PROFILE_CSV_HEADER.encode()):
        # GenAI-Perf / AIPerf's CSV export: metrics as rows, one run; the tool writes the
        # same run as JSON beside it (same name), which is read instead
        if path.with_suffix(".json").is_file():
            raise UnusableFile(
                f"restates {path.with_suffix('.json').name} beside it (GenAI-Perf and AIPerf "
                "write each run as both), which is read"
            )
        run = profile_csv_record(path.read_bytes().decode(encoding, errors="replace"))
        if run is not None:
            frame = pd.DataFrame.from_records([run])
            values = new_values(entry.path, TableColumns.of(frame.columns), frame.columns)
            values.add(frame)
            values.finish()
            return values, False
    if head.startswith(b"#") and small and (comments := _comment_lines(head, encoding)):
        return _read_report_csv(path, entry, encoding, comments), False
    dialect = csv_dialect(head, encoding)
    header = _csv_header(path, encoding, head, dialect)
    normalised = {normalise_name(c) for c in header}
    runs = sum(1 for n in normalised if _RUN_IN_COLUMN.match(n))
    if small and dialect.plain and normalised & _METRIC_NAME_COLUMNS and runs >= 2:
        return _read_report_csv(path, entry, encoding, []), False
    cols = TableColumns.of(header)
    values = new_values(entry.path, cols, header)
    values.decimal_comma = dialect.decimal == "," or dialect.sep == ";"  # "1,234" is 1.234
    if len(header) != len(set(_REPEATED_LABEL.sub("", h) for h in header)):
        # "tokens_per_second,tokens_per_second" (pandas names the second "...1"): which of
        # the two is the rate is unknown; the first is read, and said so
        names = set(header)
        values.repeated_metrics = [
            h for h in cols.metrics if f"{h}.1" in names and _REPEATED_LABEL.sub("", h) == h
        ]
    if not cols.metrics and cols.error is None:
        _reject_non_table(header, head, encoding, PurePosixPath(entry.path).name)
        return values, False
    nrows = None
    max_bytes = int(max_file_mb * MB)
    if entry.size_bytes > max_bytes:
        nrows = _row_budget(head, max_bytes)
    partial = nrows is not None
    complete = _check_ragged(path, encoding, len(header), nrows, dialect)
    if complete is not None and (nrows is None or complete <= nrows):
        if complete == 0:
            raise UnusableFile("header and one line cut short, no complete data row")
        nrows, partial = complete, False  # every complete row is read
        values.cut_rows = 1
        values.cut_reason = "its last line is cut short (fewer fields than the header)"
    if cols.bench is not None:
        # Which llama-bench parameters are settings depends on all rows: one pass over them.
        cols.choose_bench_settings(
            pd.read_csv(
                path,
                encoding=encoding,
                usecols=cols.bench.raw_labels(),
                dtype=object,
                index_col=False,
                nrows=nrows,
                **dialect.pandas(),
            )
        )
    # Columns Chimera does not know by name, judged as settings on the first chunk's values.
    unknown = candidates(cols, header)
    chunks = pd.read_csv(
        path,
        encoding=encoding,
        usecols=[*cols.labels(), *unknown],
        dtype={label: object for label in [*cols.text_labels(), *unknown]},
        index_col=False,
        chunksize=_CHUNK_ROWS,
        nrows=nrows,
        **dialect.pandas(),
    )
    tests = cols.bench is None and (cols.workload is not None or cols.phase is not None)
    with chunks:
        for chunk in chunks:
            if unknown:
                values.column_settings = adopt(cols, chunk, unknown, entry.path)
                unknown = []
            if tests:
                chunk, mixed = split_test_rates(chunk, cols)
                if mixed:
                    values.left_out[_MIXED_TESTS] = values.left_out.get(_MIXED_TESTS, 0) + mixed
            values.add(chunk)
    if values.rows == 0:
        raise UnusableFile("header only, no data rows")
    values.finish()
    return values, partial


# --- JSON ----------------------------------------------------------------------------------


def _load_json(
    path: Path, entry: FileEntry, encoding: str, max_file_mb: float
) -> tuple[Any, tuple[int, str] | None, str]:
    """The document, (count, reason) of lines left out of a JSON Lines file, and the text."""
    if entry.size_bytes > max_file_mb * MB:
        raise UnusableFile(
            f"JSON larger than max_file_mb ({entry.size_bytes / MB:.1f} MB > "
            f"{max_file_mb:g} MB), not loaded; raise ingest.max_file_mb to read it"
        )
    try:
        text = path.read_bytes().decode(encoding)
    except OSError as exc:
        raise UnusableFile(f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnusableFile(decode_reason(exc)) from None
    try:
        return json.loads(text), None, text
    except json.JSONDecodeError as exc:
        lines = _json_lines(text)
        if lines is not None:
            return *lines, text
        raise UnusableFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _json_lines(text: str) -> tuple[list[Any], tuple[int, str] | None] | None:
    """JSON Lines (one document a line), allowing lines of log output between them (a
    harness that wrote the tool's stderr into its file): those are counted, not read.
    None when most lines are not JSON (a broken JSON document, not JSON Lines)."""
    documents: list[Any] = []
    other: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] in "[{":
            try:
                documents.append(json.loads(stripped))
                continue
            except json.JSONDecodeError:
                pass
        other.append(stripped)
    if len(documents) < 1 or len(documents) < len(other):
        return None
    if not other:
        return documents, None
    reason = f"lines that are not JSON (log output such as {shorten(other[0], 60)!r})"
    return documents, (len(other), reason)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float))  # bool is an int


def _json_leaf(label: str) -> str:
    return label.rsplit(".", 1)[-1]


# Blocks of settings: their scalars are context for the rows below (a benchmark's `knobs`
# may hold a figure such as stddev_tok_s; it describes the run's setup, not one run).
_SETTINGS_BLOCKS = frozenset({
    "options", "knobs", "params", "parameters", "settings", "config", "configuration", "args",
    "engine_args", "server_args", "sampling", "sampling_params", "hyperparameters", "setup",
    "system", "system_info", "hardware", "env", "environment", "machine", "host_info",
})  # fmt: skip
# The request a script sent, saved beside the server's answer ({"request": {"model": ...,
# "options": {"temperature": 0.7}}, "response": {... "eval_count": ...}}): its settings are
# the answer's, where it holds no figure itself.
_REQUEST_BLOCKS = frozenset({"request", "payload", "request_body", "request_params"})
SUMMARY = "__summary__"  # a record whose own metrics sum up the records below it
# A block beside a list of records that sums them up (`"aggregate": {"decode_tps": ...}` beside
# `"tasks": [...]`): its figures are the list's totals, not one more run.
_TOTALS_BLOCKS = frozenset({
    "aggregate", "aggregates", "aggregated", "summary", "totals", "total", "overall",
})  # fmt: skip
# "aggregate_metrics", "summary_stats": a totals block named with what it holds (ChimeraForge's
# multi-agent metrics.json: `aggregate_metrics` beside `individual_runs`)
_TOTALS_HOLD = frozenset({"metrics", "stats", "statistics", "results", "values"})


def _totals_block(name: str) -> bool:
    head, _, tail = name.partition("_")
    return name in _TOTALS_BLOCKS or (head in _TOTALS_BLOCKS and tail in _TOTALS_HOLD)


_NUMBER_KEY = re.compile(r"^-?\d+(?:\.\d+)?$")
# A load tester's bookkeeping: its limits and their progress (GuideLLM's `scheduler_state`
# holds `max_seconds.progress.total_duration` 900, the run's time limit), not measurements.
_BOOKKEEPING_BLOCKS = frozenset({
    "scheduler_state", "scheduler_metrics", "constraints", "progress",
})  # fmt: skip


_AT_PATH = "\0path"  # `_slot`: a metric, kept under its key path
# A document's tag ({"tag": "trtllm_nvfp4_pad", "model": ..., "rows": [...]}): the engine,
# quantisation and variant a sweep script names its runs by (`tag_parts`), often the only
# thing telling apart two files of one served alias (vLLM's `"model": "m"`).
_RUN_TAG_KEYS = frozenset({"tag", "run_tag"})
_RUN_TAG = "\0run tag"  # `_slot`: a document's tag, read once its model is known
# The server a client script called (`"api_base": "http://localhost:1234/v1"`): its port names
# the engine where it is one engine's own default (LM Studio's 1234, Ollama's 11434).
_SERVER_URL_KEYS = frozenset({
    "api_base", "base_url", "api_url", "server_url", "endpoint_url", "url", "endpoint",
})  # fmt: skip
_SERVER_URL = "\0server url"  # `_slot`: a URL whose port may name the engine
_DEFAULT_PORT = re.compile(r"^https?://[^/:\s]+:(?P<port>1234|11434)(?:/|$)")
_PORT_ENGINES = {"1234": "LM Studio", "11434": "Ollama"}
_ENGINE_VERSION = "\0engine version"  # `_slot`: an engine's version ("llama_cpp": "b11254")


@functools.lru_cache(maxsize=NAMES_CACHED)
def _slot(key: str, settings: bool) -> str | None:
    """The field a scalar of this JSON key is kept under (`_AT_PATH`: the key's path; None:
    not kept). Cached: a file's records repeat a few keys hundreds of times."""
    name = normalise_name(key)
    if name in MODEL_KEYS:
        return "model"
    if name in MAYBE_MODEL_KEYS and not settings:
        return "name"  # a record's `name`: its model where it names one (see TableColumns)
    if name in _RUN_TAG_KEYS and not settings:
        return _RUN_TAG
    if name in CONFIG_KEYS and not settings:
        return "config_name"
    if name in INPUT_LENGTH_KEYS or name in OUTPUT_LENGTH_KEYS:
        return name  # the lengths asked for: with their pair, the workload (TableColumns)
    if name in TOTAL_INPUT_KEYS and not settings:
        return name  # a serving run's prompt tokens: per request completed, its workload
    if (param := param_name(name)) is not None:
        return param
    if name in GPU_KEYS:
        return "gpu"
    if name in CPU_KEYS:
        return "cpu"
    if name in ENGINE_KEYS:
        return "engine"
    if name in _SERVER_URL_KEYS:
        return _SERVER_URL
    if settings:
        return None  # a settings block's other scalars describe the setup, not a run
    if is_engine_version_key(name):
        return _ENGINE_VERSION
    if name in ERROR_KEYS:
        return "error"
    if name in SUCCESS_KEYS:
        return "ok"
    if name in COMPLETED_KEYS:
        return "completed"
    if name in REQUESTED_KEYS:
        return "num_requests"
    if name in TIME_KEYS:
        return "timestamp"
    if name in RUNS_KEYS:
        return "runs"
    if name in WORKLOAD_KEYS:
        return "workload"
    if name in PHASE_KEYS:
        return "phase"
    if name in DEPTH_KEYS:
        return "depth"
    if metric_role(key) is not None or name in ALL_TOKEN_COUNTS:
        return _AT_PATH  # a count of every token: what a plain rate beside it counts
    if is_reply_name(name):
        return "reply"  # read only beside a success flag (TableColumns.reply)
    return None


@functools.lru_cache(maxsize=NAMES_CACHED)
def _unknown_setting(key: str) -> str | None:
    """The name a scalar no role takes is kept under where it is named like a setting
    (`kv_type`, in a record or its settings block): `column_settings` judges it."""
    name = normalise_name(key)
    return name if named_setting(name) else None


def _gpu_names(key: str, items: list[Any]) -> str | None:
    """A hardware block's list of GPUs (`"gpus": [{"name": "NVIDIA GeForce RTX 4070 Ti",
    "memory_total_gb": 11.99}]`) as one machine field ("A, A" for two alike); None where the
    key names no GPU or the items name none."""
    if normalise_name(key) not in GPU_KEYS or not items:
        return None
    names = [
        item.get("name") or item.get("gpu_name") or item.get("model")
        for item in items
        if isinstance(item, dict)
    ]
    if len(names) != len(items) or not all(isinstance(n, str) and n.strip() for n in names):
        return None
    return ", ".join(str(n).strip() for n in names)


def _take(
    own: dict[str, Any], key: str, parent: str, value: Any, written: set[str], *, settings: bool
) -> None:
    """Keep one scalar of a JSON object (at the key path `parent`) under the name its role
    gives it; a setting's key as the file writes it goes into `written`."""
    slot = _slot(key, settings)
    if slot is None:
        if (unknown := _unknown_setting(key)) is not None:
            own[unknown] = value
        return
    if slot == _AT_PATH and isinstance(value, bool):
        return  # `"latency": true` (a config's switch to measure it) is no figure
    if slot in PARAM_NAMES:
        written.add(normalise_name(key))  # "threads", kept as num_thread: not Ollama's name
    if slot == _AT_PATH:
        own[f"{parent}.{key}" if parent else key] = value
    elif slot == _ENGINE_VERSION:
        engine = engine_from_version(normalise_name(key), value)
        if engine is not None and engine_name(own.get("engine")) is None:
            own["engine"] = engine
    elif slot == "engine":
        # An engine named stays named: not replaced by a value that names none ("backend":
        # "CUDA") nor by a benchmark client's `backend` (the API it spoke, see identity).
        if engine_name(own.get("engine")) is None or (
            engine_name(value) is not None and normalise_name(key) != WEAK_ENGINE_KEY
        ):
            own["engine"] = value
    elif slot == _SERVER_URL:
        # LM Studio's API at localhost:1234: the engine, where no field names one
        port = _DEFAULT_PORT.match(value.strip()) if isinstance(value, str) else None
        if port is not None and engine_name(own.get("engine")) is None:
            own["engine"] = _PORT_ENGINES[port["port"]]
    elif slot == _RUN_TAG:
        if not parent and isinstance(value, str):  # the document's own, not a record's
            own[_RUN_TAG] = value
    elif slot in ("gpu", "cpu") and own.get(slot) and machine_label(value, None) is None:
        # a host block's `machine: "arm64"` (platform.machine()) after its `hostname`: a
        # field that names no machine leaves the one another names
        return
    elif slot == "timestamp":
        own.setdefault(slot, value)  # the first one a record states
    elif slot == "error":
        # `error_code: 429` then `error_msg: ""` (LLMPerf): an empty field never hides the
        # other's failure; both said are kept together.
        said = [v for v in (own.get("error"), value) if v is not None and str(v).strip()]
        own[slot] = ": ".join(str(v) for v in said) if len(said) == 2 else (said or [value])[0]
    else:
        own[slot] = value


def _leaf_role(label: str) -> MetricRole | None:
    """The metric a record's field holds, judged by its key path's last key."""
    return _key_role(label[label.rfind(".") + 1 :])  # `_json_leaf`


# Cached by key, not by key path: paths under one long key would each hold a copy of it.
_key_role = functools.lru_cache(maxsize=NAMES_CACHED)(metric_role)


# A record's label naming its model and config ("Qwen3-4B-Q5_K_M.gguf [MTP-n3]") or settings
# ("cpu-moe ngl=99 ubatch=256 thr=4"); a repetition's number after its metric ("decode_tps_2")
_LABEL_CONFIG = re.compile(r"^(?P<name>.*?)\s*\[(?P<config>[^\]]+)\]\s*$")
_LABEL_SETTING = re.compile(r"(?<![\w=])([A-Za-z][\w-]*)=([^\s,;=]+)")
_NUMBERED_KEY = re.compile(r"^(?P<base>.+?)_(?P<n>\d{1,2})$")
_VALUES_KEY = re.compile(r"^(?P<base>.+?)_(?:runs|values|samples|all)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A label's config naming speculative decoding (bhodgens/local-llm-benchmarks' "[MTP-n3]"
# beside "[no-spec]": multi-token prediction drafting 3 tokens, against none): a setting, so
# the configs are compared, not only said to differ in their names.
_SPECULATIVE = re.compile(
    r"(?i)^(?:(?P<none>no[-_ ]?(?:spec|speculative|draft|mtp))"
    r"|(?P<kind>mtp|draft|spec|speculative|eagle\d?|medusa|ngram|lookahead)"
    r"[-_ ]?(?:n|k|draft)?[-_ =]?(?P<n>\d{1,2}))$"
)


def _metric_key(key: str) -> str | None:
    """The metric key a record's key holds values of: itself, or the metric before a
    repetition's number (`decode_tps_2`) or a list's suffix (`decode_tps_runs`)."""
    if metric_role(key) is not None:
        return key
    found = _NUMBERED_KEY.match(key) or _VALUES_KEY.match(key)
    return found["base"] if found and metric_role(found["base"]) is not None else None


def _is_label_key(key: str, value: Any) -> bool:
    """Whether `key` is a record's label rather than a field: a dict holding metrics (or a
    failure) under a key written as a name, not an identifier (`timing`, `metrics_after`,
    `prefill` are a record's parts), nor a field, settings block or number Chimera knows."""
    if not isinstance(value, dict) or _IDENTIFIER.match(key) or _NUMBER_KEY.match(key):
        return False
    if _slot(key, False) is not None:
        return False
    name = normalise_name(key)
    if name in _SETTINGS_BLOCKS or name in _BOOKKEEPING_BLOCKS or name in ERROR_KEYS:
        return False
    return any(_metric_key(str(k)) or normalise_name(str(k)) in ERROR_KEYS for k in value)


def _labelled_records(obj: dict[str, Any]) -> bool:
    """Whether `obj` holds records keyed by their labels: two or more, each holding a metric
    one of the others holds too (or only a failure), so they are one table's rows."""
    dicts = 0  # cheap first, in a plain loop: most objects hold fields, not records
    for value in obj.values():
        if isinstance(value, dict):
            dicts += 1
            if dicts == 2:
                break
    else:
        return False
    keys = [
        {m for k in v if (m := _metric_key(str(k)))}
        for k, v in obj.items()
        if _is_label_key(str(k), v)
    ]
    measured = [k for k in keys if k]
    if len(keys) < 2 or not measured:
        return False
    return all(k & set().union(*(o for o in measured if o is not k)) for k in measured)


def _label_context(label: str, written: set[str]) -> dict[str, Any]:
    """What a record's label states: settings written `name=value` (each its setting, the
    label the config), else a model (a GGUF file or a model id, the part in brackets the
    config), else only the config: rows of two labels are never one setup's runs."""
    found: dict[str, Any] = {}
    pairs = _LABEL_SETTING.findall(label)
    for key, value in pairs:
        _take(found, key, "", value, written, settings=True)
    if pairs:
        return {**found, "config_name": label}
    parts = _LABEL_CONFIG.match(label)
    name, config = (parts["name"], parts["config"]) if parts else (label, None)
    model = gguf_model(name) if name.lower().endswith(".gguf") else model_from_title(name)
    if model is None:
        return {"config_name": label}
    if not config:
        return {"model": model}
    if (spec := _SPECULATIVE.match(config.strip())) is not None:
        level = "none" if spec["none"] else config.strip()  # "MTP-n3", as the label writes it
        _take(found, "speculative", "", level, written, settings=True)
    return {**found, "model": model, "config_name": config}


def _values_of_metric(key: str) -> str | None:
    """The metric a list of a run's values is of ("decode_tps_runs" -> "decode_tps"), None
    where the key names none."""
    found = _VALUES_KEY.match(key)
    return found["base"] if found and metric_role(found["base"]) is not None else None


def _blocks_of_one_record(own: dict[str, Any], children: list[tuple[str, Any]]) -> bool:
    """Whether an object's nested objects are sections of its own record: each a block of
    scalars naming no model, and no metric measured twice among them and the object's own
    figures (sibling objects that each hold a `tok_s` are records of their own, as are the
    items of a list)."""
    seen = {role.metric for k in own if (role := _leaf_role(k)) is not None}
    blocks = 0
    for path, block in children:
        if isinstance(block, list) and all(_is_scalar(v) for v in block):
            continue  # "warnings": ["..."] holds no record
        if path.endswith("[]") or not isinstance(block, dict) or not block:
            return False
        if not all(_is_scalar(v) for v in block.values()):
            return False
        if any(normalise_name(str(k)) in MODEL_KEYS for k in block):
            return False
        metrics = [role.metric for k in block if (role := _key_role(str(k))) is not None]
        if len(set(metrics)) < len(metrics) or seen & set(metrics):
            return False
        seen.update(metrics)
        blocks += 1
    return blocks > 0


# The model a JSON key names, where it names one ("llama3.3:70b", "Qwen/Qwen2.5-7B-Instruct");
# cached: a file's records repeat a few keys many times.
_key_model = functools.lru_cache(maxsize=NAMES_CACHED)(model_from_title)


def _holds_metric(obj: Any, depth: int = 0) -> bool:
    """Whether a JSON value holds a metric key anywhere below it (four levels at most)."""
    if depth > 4:
        return True  # too deep to tell: not taken as settings
    if isinstance(obj, dict):
        return any(
            _key_role(str(k)) is not None or _holds_metric(v, depth + 1) for k, v in obj.items()
        )
    if isinstance(obj, list):
        return any(_holds_metric(v, depth + 1) for v in obj[:20])
    return False


def _json_records(
    obj: Any, context: dict[str, Any], prefix: str, out: list[dict], written: set[str]
) -> set[str]:
    """Flatten JSON into rows: each dict holding metrics (or an error) is one row, except
    error-only dicts below a run (its tool calls' errors); returns the metric names (leaves)
    found at or below `obj`.

    Scalars of enclosing dicts (model, options, ...) are inherited by the rows below them;
    metric keys are not, so a parent's totals are never counted again for its children, and
    a parent whose metrics its children also hold is a summary of them (`SUMMARY`), kept
    apart from runs. An object's nested objects of scalars that measure different things
    ("timing": {...}, "tokens": {...}) are sections of its one record, not records of their
    own. Metrics keep their key path as column (`results[].ttft_ms`); model,
    config and options are stored under their plain name, the innermost value winning.
    A block named as totals (`aggregate`, `summary`) beside a list of records holding its
    metrics sums them up (`SUMMARY`) too.
    Records keyed by their labels (`"Qwen3-4B.gguf [MTP-n3]": {...}`) are a list's items,
    each label stating its model and config; a metric's numbered repetitions (`decode_tps_1`,
    `decode_tps_2`) or its list (`decode_tps_runs`) are runs, as `"ttft_ms": [...]` is.
    """
    if isinstance(obj, list):
        found: set[str] = set()
        for item in obj:
            if isinstance(item, dict | list):
                found |= _json_records(item, context, f"{prefix}[]", out, written)
        return found
    if not isinstance(obj, dict):
        return set()
    own: dict[str, Any] = {}
    children: list[tuple[str, Any, dict[str, Any]]] = []
    keyed: list[str | None] = []  # per child of the plain kind, the model its key names
    value_lists: list[tuple[str, list]] = []
    numbered: dict[str, list[tuple[str, Any]]] = {}
    # Records keyed by their label ({"Qwen3-4B.gguf [MTP-n3]": {...}, "... [no-spec]": {...}})
    # are a list's items, each label stating its model and config.
    labelled = _labelled_records(obj)
    ps_models: list[dict[str, Any]] | None = None
    for key, value in obj.items():
        if _is_scalar(value):
            if (
                isinstance(value, int | float)
                and str(key)[-1:].isdigit()  # cheap before the pattern: a record's many fields
                and (rep := _NUMBERED_KEY.match(str(key)))
            ):
                numbered.setdefault(rep["base"], []).append((str(key), value))
                continue  # "decode_tps_1", "decode_tps_2": repetitions, if a metric's
            _take(own, str(key), prefix, value, written, settings=False)
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and _NUMBER_KEY.match(str(key)):
            # Records keyed by a number ({"1": {...}, "2": {...}}: one per concurrency) are a
            # list's items: one set of columns, not one per key.
            path = f"{prefix}[]"
        elif labelled and _is_label_key(str(key), value):
            label = _label_context(str(key), written)
            children.append((f"{prefix}[]", value, label))
            continue
        name = normalise_name(key)
        if name in ERROR_KEYS:
            # {"code": .., "message": ..}; a list of one entry per request ("" where none
            # failed) is a row error only where every request failed
            failed = bool(value) and row_error(value) is not None
            own["error"] = json.dumps(value)[:200] if failed else None
        elif name in _BOOKKEEPING_BLOCKS:
            continue
        elif isinstance(value, dict) and (
            name in _SETTINGS_BLOCKS
            or (
                all(_is_scalar(v) for v in value.values())
                and not any(metric_role(str(k)) for k in value)
            )
        ):
            for k, v in value.items():  # an options block: context for the rows below
                if _is_scalar(v):
                    _take(own, str(k), path, v, written, settings=True)
                elif isinstance(v, list) and (gpus := _gpu_names(str(k), v)) is not None:
                    _take(own, str(k), path, gpus, written, settings=True)
        elif name in _REQUEST_BLOCKS and isinstance(value, dict) and not _holds_metric(value):
            for k, v in value.items():  # the request's model, and its options block's
                if _is_scalar(v):
                    _take(own, str(k), path, v, written, settings=True)
                elif isinstance(v, dict) and normalise_name(k) in _SETTINGS_BLOCKS:
                    for kk, vv in v.items():
                        if _is_scalar(vv):
                            _take(own, str(kk), f"{path}.{k}", vv, written, settings=True)
        elif (
            isinstance(value, list)
            and value
            and (metric_role(str(key)) or _values_of_metric(str(key)))
            and all(isinstance(v, int | float) for v in value)
        ):
            if not metric_role(str(key)):  # "decode_tps_runs": [30.1, 29.3], decode_tps's
                base = str(_values_of_metric(str(key)))
                path = f"{prefix}.{base}" if prefix else base
            value_lists.append((path, value))  # "ttft_ms": [120.5, 98.1, ...]
        elif isinstance(value, dict) and (loaded := _ps_models(value)) is not None:
            ps_models = loaded  # an /api/ps answer saved with the run: where its model sat
        else:
            children.append((path, value, {}))
            keyed.append(_key_model(str(key)))
    if "size_vram" in obj:  # a loaded model's /api/ps entry, or a run that copied its fields
        _take_vram(own, obj)
    elif ps_models:
        model = own.get("model", context.get("model"))
        entries = [m for m in ps_models if model in (m.get("name"), m.get("model"))]
        if len(entries) == 1 or len(ps_models) == 1:
            _take_vram(own, (entries or ps_models)[0])
    if len(children) > 1 and len(keyed) == len(children) and all(keyed):
        # {"llama3.3:70b": [runs], "qwen2.5-coder:32b": [runs]}: a dict keyed by models, each
        # key its runs' model (where only some keys name one, the keys name something else),
        # and their runs one set of columns, as a list's
        children = [
            (f"{prefix}[]", value, {"model": model})
            for (_, value, _), model in zip(children, keyed, strict=True)
        ]
    for base, reps in numbered.items():
        if len(reps) >= 2 and metric_role(base) is not None:
            value_lists.append((f"{prefix}.{base}" if prefix else base, [v for _, v in reps]))
        else:
            for key, value in reps:
                _take(own, key, prefix, value, written, settings=False)
    if (tag := own.pop(_RUN_TAG, None)) is not None:
        _tag_context(own, tag)
    if children and _blocks_of_one_record(own, [(path, block) for path, block, _ in children]):
        # {"timing": {"load_duration_s": ..}, "tokens": {"eval_tokens_per_sec": ..}}: one
        # run's figures written in sections, not a run per section (khaney64's metrics.json)
        for path, block, _ in children:
            if isinstance(block, dict):
                for k, v in block.items():
                    _take(own, str(k), path, v, written, settings=False)
        children = []
    row = {**context, **own}
    if engine_name(own.get("engine")) is None and engine_name(context.get("engine")) is not None:
        row["engine"] = context["engine"]  # "backend": "CPU" below a file's "llama_cpp": "b1"
    roles = {k: role for k in own if (role := _leaf_role(k)) is not None}  # the metrics
    inherited = {k: v for k, v in row.items() if k not in roles and k != "error"}
    below: list[dict] = []
    leaves: set[str] = set()
    for path, values in value_lists:
        below.extend({**inherited, path: v} for v in values)
        if (role := _leaf_role(path)) is not None:
            leaves.add(role.metric)
    blocks: list[tuple[int, int, set[str]]] = []  # rows of a block named as totals
    listed: set[str] = set()  # metrics of the records of a list beside them
    for path, value, label in children:
        start = len(below)
        # a label's model and config (or a key naming the model) over the inherited ones; a
        # run's own "model" still wins
        found = _json_records(value, {**inherited, **label}, path, below, written)
        if roles and not found:
            # Below a run, records holding no metric but an error are parts of the run (a
            # tool call it made, the tool's error), not failed runs of their own.
            del below[start:]
        leaves |= found
        if isinstance(value, list):
            listed |= found
        elif _totals_block(normalise_name(path.rsplit(".", 1)[-1])):
            blocks.append((start, len(below), found))
    for start, end, found in blocks:
        if found & listed:  # `aggregate{}` beside `tasks[]`: the tasks' totals, not a run
            for record in below[start:end]:
                record[SUMMARY] = True
    mine = {role.metric for role in roles.values()}
    if roles or own.get("error"):
        # its own figures over the runs below it: those they also hold, or any where it
        # states how many runs it is over ("test_count": 3 above its "details": [...])
        if leaves and (mine & leaves or own.get("runs") is not None):
            row[SUMMARY] = True
        out.append(row)
    out.extend(below)
    return mine | leaves


def _ps_models(block: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The loaded models of an Ollama /api/ps answer ({"models": [{"name": ..., "size": ...,
    "size_vram": ...}]}); None for any other block."""
    models = block.get("models")
    if not isinstance(models, list) or not models:
        return None
    if not all(isinstance(m, dict) and "size_vram" in m for m in models):
        return None
    return models


def _take_vram(own: dict[str, Any], entry: dict[str, Any]) -> None:
    """A loaded model's `size` and `size_vram` (bytes), both or neither: its share in VRAM
    (see `placement`)."""
    size, vram = entry.get("size"), entry.get("size_vram")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (size, vram))
    if numbers:
        own["size"], own["size_vram"] = size, vram


# A tag that opens with a parameter count (`8b-instruct-q4_0`, `1.5b`): a model's size tag.
_SIZE_TAG = re.compile(r"(?i)^\d+(?:\.\d+)?[bm](?:$|[-_])")
_HAS_SIZE = re.compile(r"(?i)(?<![a-z0-9])\d+(?:\.\d+)?[bm](?![a-z0-9])")


def _tag_context(own: dict[str, Any], tag: str) -> None:
    """The engine, quantisation and variant a document's tag names, where its fields name
    none: `vllm_nvfp4` and `vllm_fp8` over one alias `m` are two quantisations, and
    `trtllm_nvfp4_pad` (CUDA-graph padding) another deployment than `trtllm_nvfp4`: its runs
    are never repetitions of the plain one's. A tag opening with a size beside a model
    name without one (`{"model": "llama3", "tag": "8b-instruct-q4_0"}`) is the model's
    Ollama tag: 8b and 70b are two models, not two deployments of `llama3`."""
    model = own.get("model")
    if (
        isinstance(model, str)
        and ":" not in model
        and _SIZE_TAG.match(tag)
        and not _HAS_SIZE.search(model)
    ):
        own["model"] = f"{model}:{tag}"
        return
    engine, quantization, variant = tag_parts(tag, str(model or ""))
    if engine is not None and engine_name(own.get("engine")) is None:
        own["engine"] = engine
    if quantization is not None:
        own.setdefault("quantization", quantization)
    if (kv_cache := tag_kv_cache(tag)[0]) is not None:
        own.setdefault("kv_cache_dtype", kv_cache)
    if variant is not None:
        own.setdefault("deployment", variant)


_LLMPERF_REQUESTS = re.compile(r"^(?P<run>.+)_individual_responses$")


def _llmperf_run(path: Path) -> tuple[str | None, dict[str, Any]]:
    """The model and concurrency of LLMPerf's per-request file, as the summary it wrote beside
    it states them (`<model>_550_150_individual_responses.json` beside `..._summary.json`:
    its records name neither, and its file name writes the model with "-" for "/");
    (None, {}) for any other file, or where no such summary is beside it."""
    found = _LLMPERF_REQUESTS.match(path.stem)
    if found is None:
        return None, {}
    summary = path.with_name(f"{found['run']}_summary.json")
    try:
        if summary.stat().st_size > MB:
            return None, {}
        document = json.loads(summary.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return None, {}
    if not isinstance(document, dict):
        return None, {}
    model = document.get("model")
    concurrency = document.get("num_concurrent_requests")
    settings: dict[str, Any] = {}
    if isinstance(concurrency, int) and not isinstance(concurrency, bool) and concurrency > 0:
        settings["concurrency"] = concurrency
    return (model_name(model) if isinstance(model, str) else None), settings


# GuideLLM's own statistics of each benchmark's measured window (`benchmarks[].metrics`: warm-up
# and cool-down left out), by the key a summary gives the same figure: request latency (s),
# TTFT, ITL, TPOT (ms) over its completed requests; output tokens and requests a second over
# all of them.
_GUIDELLM_METRICS = {
    "request_latency": ("latency_s", "successful"),
    "time_to_first_token_ms": ("ttft_ms", "successful"),
    "inter_token_latency_ms": ("itl_ms", "successful"),
    "time_per_output_token_ms": ("tpot_ms", "successful"),
    "output_tokens_per_second": ("output_tokens_per_second", "total"),
    "requests_per_second": ("requests_per_second", "total"),
}  # fmt: skip
_GUIDELLM_STATISTICS = {"mean": "mean", "median": "median", "p95": "p95", "p99": "p99"}


def _guidellm_window(document: Any) -> Any:
    """GuideLLM's JSON (`benchmarks[]`, each with `metrics` and its `requests`) with each
    benchmark's own statistics of its measured window as that benchmark's figures
    (`mean_ttft_ms`, `p95_latency_s`, ...): the run's summary above its requests, as GuideLLM
    reports it (Qwen3-4B at tp2: mean TTFT 44.13 ms over the 26 requests of the window,
    where all 30 give 60.65). Any other document is returned as it is."""
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        return document
    benchmarks = []
    for benchmark in document["benchmarks"]:
        metrics = benchmark.get("metrics") if isinstance(benchmark, dict) else None
        if not isinstance(metrics, dict) or "time_to_first_token_ms" not in metrics:
            benchmarks.append(benchmark)
            continue
        window: dict[str, float] = {}
        for name, (key, kind) in _GUIDELLM_METRICS.items():
            stats = (metrics.get(name) or {}).get(kind)
            if not isinstance(stats, dict) or not stats.get("count"):
                continue
            found = {**stats, **(stats.get("percentiles") or {})}
            for source, statistic in _GUIDELLM_STATISTICS.items():
                value = found.get(source)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    window[f"{statistic}_{key}"] = value
        rest = {k: v for k, v in benchmark.items() if k != "metrics"}
        benchmarks.append({**window, **rest})
    return {**document, "benchmarks": benchmarks}


# A table of a distribution's percentiles (EvalScope perf's benchmark_percentile.json:
# "Percentiles": ["10%", "25%", ..., "99%"] beside "TTFT (s)": [...], "Latency (s)": [...]):
# each row is a statistic of the run's requests, not a run.
_PERCENTILE_LABELS = frozenset({"percentile", "percentiles", "pct", "quantile", "quantiles"})
_PERCENTILE_STATISTIC = {50.0: "median", 90.0: "p90", 95.0: "p95", 99.0: "p99"}
_PERCENT = re.compile(r"^\s*[pP]?(\d{1,2}(?:\.\d+)?)\s*%?\s*$")


def _percentile_table(document: Any) -> Any:
    """A percentile table (columns of lists beside a column of percentile labels, or records
    each naming its percentile) as one record of its run's statistics: the median, p90, p95
    and p99 of each metric ("median TTFT (s)"); any other document as it is."""
    if isinstance(document, dict):
        label = next((k for k in document if normalise_name(k) in _PERCENTILE_LABELS), None)
        if label is None or not isinstance(document[label], list):
            return document
        rows = [
            {k: v[i] for k, v in document.items() if isinstance(v, list) and len(v) > i}
            for i in range(len(document[label]))
        ]
    elif isinstance(document, list) and document and all(isinstance(d, dict) for d in document):
        label = next((k for k in document[0] if normalise_name(k) in _PERCENTILE_LABELS), None)
        if label is None:
            return document
        rows = document
    else:
        return document
    record: dict[str, Any] = {}
    for row in rows:
        found = _PERCENT.match(str(row.get(label, "")))
        statistic = _PERCENTILE_STATISTIC.get(float(found[1])) if found else None
        if statistic is None:
            continue
        for key, value in row.items():
            if key != label and isinstance(value, int | float) and not isinstance(value, bool):
                record[f"{statistic} {key}"] = value
    return record or document


def _optimum_values(report: dict[str, Any], path: Path, entry: FileEntry) -> TableValues:
    """An optimum-benchmark report's values (JSON, Markdown or text): one record of means."""
    frame = pd.DataFrame.from_records([report_record(report, path)])
    cols = TableColumns.of(frame.columns)
    values = new_values(entry.path, cols, frame.columns)
    values.add(frame)
    values.finish()
    return values


def _header_record(document: Any, written: set[str]) -> tuple[Any, dict[str, Any]]:
    """A JSON Lines file's first record when it describes the runs after it and measures
    nothing ({"type": "meta", "machine": "Raspberry Pi 5 8GB", "ollama": "0.5.7"}): its
    machine, model, engine and settings are the runs'. The document without it, and those."""
    if not isinstance(document, list) or len(document) < 2:
        return document, {}
    first = document[0]
    if not isinstance(first, dict) or not all(_is_scalar(v) for v in first.values()):
        return document, {}
    if _holds_metric(first) or not any(_holds_metric(d) for d in document[1:20]):
        return document, {}
    keys = {normalise_name(k) for k in first}
    after = document[1] if isinstance(document[1], dict) else {}
    if keys & ERROR_KEYS or len(keys & {normalise_name(k) for k in after}) * 2 > len(keys):
        return document, {}  # a failed run ({"model": ..., "error": ...}), a run's own shape
    context: dict[str, Any] = {}
    for key, value in first.items():
        _take(context, str(key), "", value, written, settings=True)
    return document[1:], context


def _is_json_schema(document: object) -> bool:
    """A JSON Schema (`"$schema": "http://json-schema.org/draft-07/schema#"`) of a benchmark's
    results: its `properties` are the fields a result would have, with no figure in them (an
    `errors` property's description read as a failed run's error)."""
    if not isinstance(document, dict):
        return False
    declared = document.get("$schema")
    return isinstance(declared, str) and "json-schema.org" in declared


def read_json_table(path: Path, entry: FileEntry, encoding: str, max_file_mb: float) -> TableValues:
    """The metric values of a JSON (or JSON Lines) file, one row per record holding metrics."""
    document, not_json, text = _load_json(path, entry, encoding, max_file_mb)
    if _is_json_schema(document):
        raise UnusableFile("a JSON Schema: it describes a results file, it holds no results")
    if is_report(document):  # optimum-benchmark's report: one run's means
        return _optimum_values(document, path, entry)
    counting: list[tuple[str, str, str]] = []
    profile: tuple[bool, dict[str, float | None] | None] | None = None
    if is_profile_export(document):  # GenAI-Perf / AIPerf: one run's statistics blocks
        counting = reasoning_notes(document)
        profile = (counts_failures(document), reasoning_figures(document))
        document = profile_record(document)
    bench = llama_bench_records(document, text)
    mixed = 0
    if bench is not None:  # llama-bench -o json / jsonl (bare or wrapped): its tests
        frame = pd.DataFrame.from_records(bench)
        cols = TableColumns.of(frame.columns)
        cols.choose_bench_settings(frame)
        names = [_json_leaf(str(c)) for c in frame.columns]
    else:
        records: list[dict[str, Any]] = []
        written: set[str] = set()
        document, context = _header_record(document, written)
        document = _percentile_table(_guidellm_window(document))
        _json_records(document, context, "", records, written)
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        cols = TableColumns.of([c for c in frame.columns if c != SUMMARY], _json_leaf)
        # The names the file wrote: a setting kept as num_thread was "threads" there.
        names = [n for c in frame.columns if (n := _json_leaf(str(c))) not in PARAM_NAMES]
        names += sorted(written)
        if len(frame.index):
            frame, mixed = split_test_rates(frame, cols)
    unknown = [c for c in candidates(cols, frame.columns, _json_leaf) if c != SUMMARY]
    adopted = adopt(cols, frame, unknown, entry.path, _json_leaf)
    model, settings = _llmperf_run(path) if cols.model is None else (None, {})
    # the one script naming this file (its server launch, its comments) states its setup
    depth = entry.path.count("/")
    launched = script_setup(path, depth) if cols.gpu is None and cols.cpu is None else None
    if launched is not None:
        if launched.model is not None and cols.model is None and model is None:
            model = launched.model
        if launched.tensor_parallel is not None and "tensor_parallel" not in cols.params:
            settings = {**settings, "tensor_parallel": launched.tensor_parallel}
    values = new_values(entry.path, cols, names, settings, model)
    if launched is not None and launched.machine is not None and values.path_machine is None:
        values.path_machine = launched.machine
        script = launched.script.relative_to(path.parents[depth]).as_posix()
        values.machine_evidence = f"the launch script {script} naming it ({launched.said})"
    values.column_settings = adopted
    if profile is not None:
        values.failures_counted, values.reasoning = profile
    if not_json:
        values.left_out[not_json[1]] = not_json[0]
    if mixed:
        values.left_out[_MIXED_TESTS] = mixed
    if len(frame.index):
        values.add(frame)
    values.finish()
    for column, unit, reason in counting:  # AIPerf's figures counting reasoning tokens
        if column in cols.metrics:
            values.unit_notes.append(UnitNote(path=entry.path, column=column, unit=unit,
                                              reason=reason))  # fmt: skip
    return values


# --- text: Markdown tables, Go benchmark output, ollama --verbose -------------------------

_LLAMA_BENCH_TEST = re.compile(r"^(pp|tg)\d+(\s*@\s*d\d+)?(\s*\(c\d+\))?$", re.I)
_RESULT_WORDS = re.compile(
    r"\d\s*(?:tok(?:en)?s?/s|t/s|tps\b|ms\b|tokens per second|tokens-per-sec)", re.I
)
# A console table whose header names a rate or time (" conc  wall_s  TG tok/s tot  TG/s req")
# above a row of numbers: figures too, though no number stands beside its unit.
_RATE_HEADER = re.compile(
    r"^[ \t]*[A-Za-z][^\n]*(?:tok(?:en)?s?/s|\bt/s|\btps\b|_ms\b|_s\b)[^\n]*\n"
    r"[ \t]*[-+]?\d[\d.]*(?:[ \t]+[-+]?\d[\d.]*)+[ \t]*$",
    re.I | re.M,
)


def _read_text(path: Path, entry: FileEntry, encoding: str, max_file_mb: float) -> str:
    if entry.size_bytes > max_file_mb * MB:
        raise UnusableFile(
            f"text larger than max_file_mb ({entry.size_bytes / MB:.1f} MB > "
            f"{max_file_mb:g} MB), not read; raise ingest.max_file_mb to read it"
        )
    try:
        return path.read_bytes().decode(encoding)
    except OSError as exc:
        raise UnusableFile(f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnusableFile(decode_reason(exc)) from None


_TEST_PARTS = re.compile(r"^(pp|tg)(\d+)(?:\s*@\s*d(\d+))?(?:\s*\(c(\d+)\))?$", re.I)


def _split_llama_bench_rates(frame: pd.DataFrame, cols: TableColumns) -> pd.DataFrame:
    """llama-bench's (or llama-benchy's) Markdown table: a pp test's t/s is prompt
    processing, a tg test's generation, a pp+tg test's neither (left out); the test's sizes,
    depth and concurrency are settings of the setup, as in llama-bench's other formats, and
    so are its parameter columns (`fa`, `n_ubatch`, `type_k`, `ts`, `sm`, `dev`, ...).
    In Python on the cells: a note's tables are small, and each of pandas' string methods
    cost more than the column's loop (this was two fifths of a note-heavy folder's digest)."""
    tests = [_TEST_PARTS.match(str(test).strip()) for test in frame[cols.workload].tolist()]
    kinds = [m.group(1).lower() if m else None for m in tests]
    sizes = [int(m.group(2)) if m else None for m in tests]
    pairs = list(zip(sizes, kinds, strict=True))
    depths = [int(m.group(3)) if m and m.group(3) else None for m in tests]
    if any(depth is not None for depth in depths):
        # llama-bench names a test's depth only when it is above 0 (`tg128`, `tg128 @ d4096`):
        # beside a depth sweep, a test without one ran on an empty context, depth 0.
        depths = [
            0 if m and depth is None else depth for m, depth in zip(tests, depths, strict=True)
        ]
    for name, values in (
        ("n_prompt", [size if kind == "pp" else None for size, kind in pairs]),
        ("n_gen", [size if kind == "tg" else None for size, kind in pairs]),
        ("n_depth", depths),
        ("concurrency", [int(m.group(4)) if m and m.group(4) else None for m in tests]),
    ):
        if name not in cols.params and any(value is not None for value in values):
            label = f"{name} (from the test name)"
            frame[label] = _test_numbers(values)
            cols.params[name] = label
            cols.derived.add(label)
    for label in frame.columns:
        name = MARKDOWN_COLUMNS.get(normalise_name(str(label)))
        if name is not None and name not in cols.params and label not in cols.derived:
            # `fa` taken up as a setting of its own name (see `adopt`) is llama-bench's
            # flash_attn: one setting, under one name, not `fa=1, flash_attn=1`
            for short in [key for key, column in cols.params.items() if column == label]:
                del cols.params[short]
            cols.params[name] = label  # `ts` 8.00 against 0.00: two setups, not one
    pp_rows = np.array([kind == "pp" for kind in kinds], dtype=bool)
    tg_rows = np.array([kind == "tg" for kind in kinds], dtype=bool)
    for label, role in list(cols.metrics.items()):
        if role.metric != "tokens_per_s":
            continue
        pp = f"{label} (pp rows)"
        frame[pp] = _on_rows(frame[label], pp_rows)
        frame[label] = _on_rows(frame[label], tg_rows)
        cols.metrics[pp] = MetricRole("prompt_tokens_per_s", role.aggregate, 1.0)
    if cols.engine is not None:
        frame[cols.engine] = [llama_cpp_engine(v) for v in frame[cols.engine]]
    return frame


def _on_rows(column: pd.Series, rows: np.ndarray) -> pd.Series | np.ndarray:
    """A column's figures on `rows`, NaN elsewhere (`Series.where`, in numpy where the
    figures are floats, as a note's are once read)."""
    if column.dtype == np.float64:
        return np.where(rows, column.to_numpy(), np.nan)
    return column.where(rows)


def _test_numbers(values: list[int | None]) -> np.ndarray:
    """A test name's numbers as a column of objects, as pandas would read them: whole
    numbers where every row states one, else floats beside None."""
    if any(value is None for value in values):
        return np.array([None if v is None else float(v) for v in values], dtype=object)
    return np.array(values, dtype=object)


# A test's kind as a phase column words it.
_PHASE_WORDS = {
    "pp": "pp", "prompt": "pp", "prefill": "pp", "prompt_processing": "pp", "prompt_eval": "pp",
    "tg": "tg", "generation": "tg", "gen": "tg", "decode": "tg", "decoding": "tg",
    "text_generation": "tg", "token_generation": "tg",
}  # fmt: skip
_MIXED_TEST = re.compile(r"^pp\d+\s*\+\s*tg\d+\b", re.I)  # llama-bench -pg: pp512+tg128
_MIXED_TESTS = MIXED_REASON.replace("(n_prompt and n_gen both above 0)", "(pp512+tg128)")


def _test_kind(test: str) -> str | None:
    """ "pp", "tg" or "pp+tg" of a llama-bench test name (`pp512`, `tg128 @ d2048`), else None."""
    if _MIXED_TEST.match(test):
        return "pp+tg"
    named = _TEST_PARTS.search(test)
    return named.group(1).lower() if named else None


def _test_kinds(frame: pd.DataFrame, cols: TableColumns) -> pd.Series | None:
    """Per row "pp", "tg", "pp+tg" or None: its llama-bench test name, else its phase word;
    None when no row names a test and no column states a phase in every row (most tables)."""
    if (cols.workload is None or cols.workload in cols.derived) and cols.phase is None:
        return None
    kinds: pd.Series | None = None  # made only where a row names a test or a phase
    if cols.workload is not None and cols.workload not in cols.derived:
        # Each distinct test name judged once: a table of many rows names a few tests, and
        # pandas' string methods row by row were a fifth of a small folder's digest.
        column = frame[cols.workload]
        try:
            codes, tests = pd.factorize(column, use_na_sentinel=False)
        except TypeError:  # unhashable cells (a JSON list): compared as their text
            codes, tests = pd.factorize(column.astype(str), use_na_sentinel=False)
        found = [_test_kind(str(test).strip()) for test in tests]
        if any(kind is not None for kind in found):
            kinds = pd.Series([found[c] for c in codes], index=frame.index, dtype=object)
        elif cols.phase is None:
            return None
    if cols.phase is not None:
        cells = [v for v in frame[cols.phase] if isinstance(v, str) and v.strip()]
        found = {v: _PHASE_WORDS.get(normalise_name(v)) for v in set(cells)}
        # A phase column says a phase in every row ("prompt" / "generation"); a `kind` of
        # "prompt" and "chat" (the API called) is no phase.
        if found and None not in found.values():
            words = pd.Series(
                [found.get(v) if isinstance(v, str) else None for v in frame[cols.phase]],
                index=frame.index, dtype=object,
            )  # fmt: skip
            kinds = words if kinds is None else kinds.where(kinds.notna(), words)
    return kinds


def split_test_rates(frame: pd.DataFrame, cols: TableColumns) -> tuple[pd.DataFrame, int]:
    """A JSON's or CSV's rows of llama-bench-style tests (a test column of pp256 / tg64, or a
    kind column of prompt / generation): a prompt test's rate is prompt processing, its own
    metric, never averaged with generation; a pp+tg test's is neither (left out, counted:
    returned). A context depth column is part of the test: `tg64 @ d2048`, as llama-bench
    names it. A table whose rows name no such test is returned as it is."""
    # Only a rate column that does not say which tokens it counts (`tps`) takes its row's
    # test kind; a table with a prompt rate column of its own states the two apart already.
    if any(role.metric == "prompt_tokens_per_s" for role in cols.metrics.values()):
        return frame, 0
    rates = [
        label
        for label, role in cols.metrics.items()
        if role.metric == "tokens_per_s" and names_no_phase(label)
    ]
    kinds = _test_kinds(frame, cols) if rates else None
    if kinds is None or not kinds.isin(("pp", "tg")).any():
        return frame, 0
    frame = frame.copy()
    prompt, mixed = (kinds == "pp").to_numpy(), (kinds == "pp+tg").to_numpy()
    for label in rates:
        role = cols.metrics[label]
        pp = f"{label} (pp rows)"
        values = pd.to_numeric(frame[label], errors="coerce")
        frame[pp] = values.where(prompt)
        frame[label] = values.where(~prompt & ~mixed)
        cols.metrics[pp] = MetricRole("prompt_tokens_per_s", role.aggregate, role.factor, role.unit)
        cols.derived.add(pp)
    if cols.depth is not None:
        depth = pd.to_numeric(frame[cols.depth], errors="coerce")
        if cols.workload is None or cols.workload in cols.derived:
            cols.workload = "test (from the kind and depth)"
            cols.derived.add(cols.workload)
            frame[cols.workload] = kinds.where(kinds.notna(), None)
        tests = frame[cols.workload]
        deep = (depth > 0).to_numpy() & tests.notna().to_numpy()
        deep &= ~tests.astype(str).str.contains("@", regex=False).to_numpy()
        frame[cols.workload] = [
            f"{test} @ d{int(d)}" if at else test
            for test, d, at in zip(tests, depth.fillna(0), deep, strict=True)
        ]
    return frame, int(mixed.sum())


def _devices_machine(devices: list[str]) -> str | None:
    """The machine llama.cpp's device lines name (`4x NVIDIA A30` for four alike)."""
    return machine_label(", ".join(devices), None) if devices else None


# A Markdown table's column numbering its rows as runs ("| Run | OK | Gen tok/s | ...").
_RUN_NUMBER_COLUMNS = _PER_RUN_COLUMNS | {"run", "run_no", "run_number", "rep"}


# A run table's own summary rows, by the word in its run column ("| **Avg** | ... |").
_RUN_SUMMARY_WORDS = frozenset({
    "avg", "average", "mean", "median", "total", "summary", "overall", "std", "stdev",
    "stddev", "sd", "min", "max", "p50", "p90", "p95", "p99", "all",
})  # fmt: skip


def _run_summary_rows(frame: pd.DataFrame) -> pd.Series | None:
    """The rows of a numbered run table ("| 1 |", "| 2 |", "| 3 |") whose run cell names a
    statistic of them ("| **Avg** |", "| Mean |"): summaries, not runs; None where none."""
    for label in frame.columns:
        if normalise_name(label) not in _RUN_NUMBER_COLUMNS:
            continue
        words = frame[label].astype(str).str.strip().str.strip(":").str.lower()
        summary = words.isin(_RUN_SUMMARY_WORDS)
        if summary.any() and not summary.all():
            return summary
    return None


def _numbers_runs(frame: pd.DataFrame) -> bool:
    """Whether a table's rows are numbered runs: a run-number column of distinct whole
    numbers counting from 0 or 1 (1, 2, 3), in each model's rows where a model column is;
    its summary rows ("| Avg | ... |") apart."""
    summary = _run_summary_rows(frame)
    if summary is not None:
        frame = frame[~summary.to_numpy()]
    for label in frame.columns:
        if normalise_name(label) not in _RUN_NUMBER_COLUMNS:
            continue
        numbers = pd.to_numeric(frame[label].astype(str).str.strip(), errors="coerce")
        if len(numbers) < 2 or numbers.isna().any() or (numbers % 1 != 0).any():
            continue
        first = int(numbers.min())
        if first in (0, 1) and numbers.nunique() > 1 and int(numbers.max()) < first + len(numbers):
            return True
    return False


_THOUSANDS = re.compile(r"^(\d+)\s*[kK]$")  # "8k", "32K"


def _cell_number(cell: object) -> float | None:
    """The number a note's table cell states as pandas reads one ("44.4", "11,981", "8k" as
    8000; not NaN, no "_"), None where it states none ("" included). In Python on the cells:
    a note's tables are small, and a string method of pandas costs more than a column's loop."""
    text = str(cell).strip().replace(",", "")
    if not text or "_" in text:
        return None
    try:
        value = float(text)
    except ValueError:
        if (thousands := _THOUSANDS.match(text)) is None:
            return None
        value = float(thousands.group(1) + "000")
    return value if value == value else None


def _numbers_column(cells: pd.Series) -> bool:
    """Whether every filled cell of a column of text is a number."""
    filled = [cell for cell in cells.tolist() if str(cell).strip().replace(",", "")]
    return bool(filled) and all(_cell_number(cell) is not None for cell in filled)


def _rows_repeat(frame: pd.DataFrame, names: list[str]) -> bool:
    """Whether two rows agree on every column of `names` (an empty cell equal to an empty
    cell), as `DataFrame.duplicated` says, in Python: a note's tables are small."""
    columns = [[None if v != v else v for v in frame[name].tolist()] for name in names]
    keys = list(zip(*columns, strict=True))
    return len(set(keys)) < len(keys)


def _setup_names(frame: pd.DataFrame, cols: TableColumns) -> list[str]:
    """The columns that name a table's setup: those read as its identity, and any other
    column of words; an unrecognised column of numbers ("Elapse") is a figure of its row."""
    named = (cols.model, cols.config, cols.gpu, cols.cpu, cols.engine, cols.workload, cols.depth)
    identity = {label for label in named if label is not None} | set(cols.params.values())
    return [
        label
        for label in frame.columns
        if label not in cols.metrics and (label in identity or not _numbers_column(frame[label]))
    ]


# Headers of a column naming each row's run ("| run |" over "kvsweep/.../c8192/fp8", ...)
_RUN_NAME_HEADERS = frozenset({"run", "run_name", "run_id", "name", "experiment", "label", "id"})


def _identity_columns(cols: TableColumns) -> list[str]:
    """The columns read as a table's setup: model, machine, engine, workload, settings."""
    named = (cols.model, cols.gpu, cols.cpu, cols.engine, cols.workload, cols.depth)
    return [label for label in named if label is not None] + list(cols.params.values())


def _run_names(frame: pd.DataFrame, cols: TableColumns) -> str | None:
    """The column of run names that tells apart rows of a note's table whose recognised
    setup repeats: an archive's `| run | model | quant | ... |` over one KV-cache dtype a
    row, written only in the run's name ("kvsweep/Qwen3.6-27B-FP8/c8192/fp8"). Each row is
    then its own configuration, never a repetition of the others. None where the recognised
    columns tell the rows apart, or no run-name column names each row once."""
    if cols.config is not None or len(frame) < 2:
        return None
    identity = _identity_columns(cols)
    if not identity or not _rows_repeat(frame, identity):
        return None
    for label in frame.columns:
        if label in identity or label in cols.metrics:
            continue
        if normalise_name(str(label)) not in _RUN_NAME_HEADERS:
            continue
        names = [str(cell).strip() for cell in frame[label].tolist()]
        if any(_cell_number(name) is not None for name in names):
            continue  # "| Run | 1 | 2 | 3 | Avg |": numbered runs of one setup, not names
        if all(names) and len(set(names)) == len(names):
            return label
    return None


# Token counts a sweep's table may set per row ("Input tokens" 128, 512, 2048): its workload.
_TOKEN_COUNTS = frozenset({"prompt_eval_count", "eval_count"})


# A column of a model's size or the memory it took (`Size (GB)`, `VRAM (GB)`, `Params (B)`,
# `bpw`): a property of the setup, each quantisation its own.
_SIZE_WORDS = re.compile(
    r"(?i)\b(?:size|vram|memory|mem|ram|params|parameters|bits|bpw)\b|\((?:gb|gib|mb|mib)\)"
)


def _swept_columns(frame: pd.DataFrame, cols: TableColumns) -> list[str]:
    """The unrecognised columns of numbers a table's rows sweep where the rest of their setup
    repeats ("| llama3.1:8b | 2048 | ... |", "| llama3.1:8b | 8192 | ... |" under "Context"):
    round whole numbers, each row of a repeated setup its own. Such a column is a setting
    (a context, an input length, a user count), not a figure; a figure (Elapse 38.8, 45.9)
    is neither whole nor round. A token count swept so ("Input tokens" 128, 512, 2048) is the
    rows' workload; counts a request happened to read (11827, 11826) are not round. A size
    or memory column ("Size (GB)" 4.9, 8.5, 16.1) whose repeated rows differ by more than
    10 % is a setup's property too: three quantisations of one model, not three runs. Whole
    numbers stepping evenly (40, 48, 56) are round enough: a sweep's levels."""
    names = _setup_names(frame, cols)
    if not names or len(frame) < 2 or not _rows_repeat(frame, names):
        return []
    cells = [[str(v) for v in frame[name].tolist()] for name in names]
    keys = ["\x1f".join(row) for row in zip(*cells, strict=True)]
    swept = []
    for label in frame.columns:
        count = label in cols.metrics and cols.metrics[label].metric in _TOKEN_COUNTS
        if (label in cols.metrics and not count) or label in names or label == cols.run_index:
            continue  # a run's number (1, 2) steps evenly too: which run, not which setup
        # "8k", "32K": thousands, round (a context's value is read as 8192 by its setting)
        found = [_cell_number(cell) for cell in frame[label].tolist()]
        if any(number is None for number in found):
            continue
        numbers = [float(number) for number in found if number is not None]
        groups: dict[str, list[float]] = {}
        for key, number in zip(keys, numbers, strict=True):
            groups.setdefault(key, []).append(number)
        if not count and _SIZE_WORDS.search(str(label)) and all(n > 0 for n in numbers):
            # a model's size or memory ("Size (GB)" 4.9, 8.5, 16.1: three quantisations)
            # differs by setup, barely by request
            if all(len(v) < 2 or max(v) > 1.1 * min(v) for v in groups.values()):
                swept.append(label)
            continue
        if any(n % 1 != 0 for n in numbers):
            continue
        if not all(picked_number(v) for v in numbers) and not _even_steps(numbers):
            continue
        if all(len(set(v)) == len(v) for v in groups.values()):
            swept.append(label)
    return swept


def _even_steps(numbers: list[float]) -> bool:
    """Whether whole numbers, three at least, step evenly on a grid of a round step ("| c |"
    40, 48, 56: a sweep's concurrency in eights, none a power of two or of ten): levels
    someone chose. Not a step of one (runs numbered 1, 2, 3; token counts 11978, 11979)."""
    levels = sorted(set(numbers))
    if len(levels) < 3 or levels[0] <= 0:
        return False
    steps = {b - a for a, b in zip(levels, levels[1:], strict=False)}
    step = steps.pop()
    return not steps and step >= 2 and picked_number(step) and levels[0] % step == 0


# A request rate's short names: measured where a run reports them, offered where set.
_RATE_SHORT_NAMES = frozenset({"rps", "qps", "request_rate"})


def _offered_rates(frame: pd.DataFrame, cols: TableColumns) -> None:
    """An `RPS` (`QPS`) column of whole numbers or "inf" is the request rate a serving
    benchmark offered (`--request-rate 4`, inf: all at once), the rows' setting
    `request_rate`, not the rate they achieved: SGLang's tables against vLLM ("| RPS | Num
    prompts | Engine | Median TTFT |", 4 / 8 / inf) were read as 4.0 requests a second
    measured, the offline rows' "inf" as no figure. A measured rate is seldom whole."""
    for label, role in list(cols.metrics.items()):
        if role.metric != "requests_per_s" or normalise_name(label) not in _RATE_SHORT_NAMES:
            continue
        cells = [str(cell).strip().lower() for cell in frame[label].tolist()]
        found = [None if c == "inf" else _cell_number(c) for c in cells]
        if all(
            c == "inf" or (n is not None and n > 0 and n % 1 == 0)
            for c, n in zip(cells, found, strict=True)
        ):
            del cols.metrics[label]
            cols.params.setdefault("request_rate", label)


_MEASURED_WORD = re.compile(r"(?i)^\s*(?:measured|actual|observed|real)\s+")
_PREDICTED_WORD = re.compile(
    r"(?i)^\s*(?:predicted|expected|theoretical|estimated|calculated|modell?ed)\b"
)


def _predictions_apart(frame: pd.DataFrame) -> pd.DataFrame:
    """A note's table of predictions beside measurements ("| Predicted TPS | Measured TPS |"):
    the measured column is the figure (as "TPS"), the predicted one no measurement (as
    llama-server's "predicted_tps" it would be read as the generation rate). Any other table
    is returned as it is."""
    labels = [str(c) for c in frame.columns]
    if not any(_MEASURED_WORD.match(c) for c in labels) or not any(
        _PREDICTED_WORD.match(c) for c in labels
    ):
        return frame
    renamed = {}
    for label in labels:
        if _PREDICTED_WORD.match(label):
            renamed[label] = f"{label} (a prediction)"
        elif (bare := _MEASURED_WORD.sub("", label)) not in labels:
            renamed[label] = bare
    return frame.rename(columns=renamed)


def _errors_of_failed_rows(frame: pd.DataFrame, cols: TableColumns) -> pd.DataFrame:
    """A note's table with its error cells kept only on rows that measured nothing: an
    "Error" column beside figures in every cell is a prediction's or a measurement's error
    ("| 23 TPS | 69 TPS | 3x wrong |", "| 69 TPS | 69 TPS | Correct |"), not a failed run; a
    failed row has a figure missing or zero ("| llama3:70b | N/A | OOM |")."""
    figures = [
        pd.to_numeric(frame[label], errors="coerce").to_numpy("float64", na_value=np.nan)
        for label in cols.metrics
    ]
    measured = (np.column_stack(figures) > 0).all(axis=1)
    frame = frame.copy()
    if measured.any():
        for label in cols.errors:
            frame[label] = frame[label].astype(object).where(~measured, None)
    notes = next((c for c in frame.columns if normalise_name(c) in _NOTE_COLUMNS), None)
    if notes is not None:
        # an `Errors` column that counts the failures ("| n/a | 1 | failed to allocate Metal
        # buffer ... |"): the failure is in words in the notes beside it
        for label in cols.errors:
            counts = pd.to_numeric(frame[label], errors="coerce")
            said = frame[notes].astype(str).str.strip()
            worded = (counts > 0) & (said != "") & (said.str.lower() != "nan")
            frame[label] = frame[label].astype(object).where(~worded, said)
    return frame


# The column a table words its rows' remarks in.
_NOTE_COLUMNS = frozenset({"notes", "note", "comment", "comments", "remarks", "details"})


def _repeats_setups(frame: pd.DataFrame, cols: TableColumns) -> bool:
    """Whether two rows of a table agree on every cell but its figures: one setup measured
    twice (a bench script's row per request, "| Document Understanding | 44.4 | 3.88 |" four
    times), so its rows are runs; a table of figures someone computed has a row per setup."""
    names = _setup_names(frame, cols)
    if not names or len(frame) < 2 or not _rows_repeat(frame, names):
        return False
    # "2425.56 ± 0.50" is a mean of repetitions (llama-bench's Markdown, whose `ts` column
    # shows one value of a split it ran four times): rows of figures, whatever repeats
    return not any(
        "±" in (text := str(cell)) or "+/-" in text
        for label in cols.metrics
        for cell in frame[label].tolist()
    )


def _note_readers(lines: list[str]) -> list[Callable[[list[str]], pd.DataFrame | None]]:
    """The text readers a note's lines can hold results of: mlx-lm's and trtllm-bench's only
    where their words are (one look at the note spares their search of every line)."""
    said = "\n".join(lines).lower()
    readers: list[Callable[[list[str]], pd.DataFrame | None]] = [verbose_frame, serving_frame]
    if "generation:" in said:
        readers.append(mlx_generate_frame)
    if "generation_tps=" in said:
        readers.append(mlx_benchmark_frame)
    if "performance overview" in said:
        readers.append(trtllm_bench_frame)
    if "generation speed:" in said or ("response:" in said and "prompt eval:" in said):
        readers.append(llm_benchmark_frame)
    if "requests/s," in said:
        readers.append(vllm_throughput_frame)
    if "benchmarks stats" in said:
        readers.append(guidellm_stats_frame)
    if "performance summary by benchmark" in said:
        readers.append(guidellm_report_frame)
    return readers


# A note stating how many runs each figure is over ("**Runs**: Single run per model",
# "3 runs per model", "averaged over 5 runs"): the count its tables' rows are over, where
# they have no column saying so.
_NOTE_RUNS = re.compile(
    r"(?i)\b(?:(single|one|\d{1,3})\s+runs?\s+(?:per|for each|of each)\s+"
    r"(?:model|prompt|test|config(?:uration)?|setting)\b"
    r"|averaged?\s+(?:over|of)\s+(\d{1,3})\s+runs\b)"
)


# What every _NOTE_RUNS match holds, searched in the lowered text (a pattern that starts with a
# letter, case-sensitive, is quick).
_NOTE_RUNS_WORDS = re.compile(r"runs?\s+(?:per|for each|of each)\s|averaged?\s+(?:over|of)\s")
_AT_LEAST = re.compile(r"(?i)(?:min(?:imum)?|at least|≥|>=|up to|max(?:imum)?)[\s*:]*$")


def _note_runs(text: str) -> int | None:
    """The one run count a note states for its figures (None: none, or several)."""
    lowered = text.lower()
    if "run" not in lowered or not _NOTE_RUNS_WORDS.search(lowered):
        return None  # the usual note, spared the search
    counts = {
        1 if (said := (m[1] or m[2]).lower()) in ("single", "one") else int(said)
        for m in _NOTE_RUNS.finditer(text)
        # "Minimum 3 runs per configuration", "≥3 runs per configuration": a rule, not a count
        if not _AT_LEAST.search(text[max(0, m.start() - 16) : m.start()])
    }
    return counts.pop() if len(counts) == 1 and min(counts) > 0 else None


# A heading that labels what the tables under it share: "## Model: h2oai/h2ogpt-4096-llama2-7b-chat
# (transformers)", "# Backend: text-generation-inference" (not a title that mentions one).
_MODEL_LABEL = re.compile(r"(?i)^\s*(?:base[\s_]+)?model\s*[:=]\s*(\S.*)$")
_ENGINE_LABEL = re.compile(
    r"(?i)^\s*(?:backend|engine|framework|runtime|inference[\s_]+engine)\s*[:=]\s*(\S.*)$"
)


def labelled_heading(
    headings: list[str], label: re.Pattern[str], read: Callable[[str], str | None]
) -> str | None:
    """What the innermost heading labelled so (`Model: X`) names, read by `read`; else None."""
    for heading in reversed(headings):
        if (m := label.match(heading)) is not None and (found := read(m.group(1))) is not None:
            return found
    return None


def _weights_formats(tables: list[tuple[MarkdownTable, pd.DataFrame]]) -> set[str]:
    """The weight formats the models of a note's tables write (GGML, GPTQ, ...)."""
    formats: set[str] = set()
    for _, frame in tables:
        label = TableColumns.of(frame.columns).model
        if label is not None:
            formats |= {f for cell in frame[label] if (f := weights_format(cell)) is not None}
    return formats


def read_markdown_tables(
    path: Path, entry: FileEntry, encoding: str, max_file_mb: float
) -> tuple[list[TableValues], int, list[NoteClaim]]:
    """The result tables of a Markdown note (values as reported: already aggregated), how
    many tables with no recognised metric column it holds, and the claims its text makes.

    A table that names no machine is on the one llama.cpp's device lines above it name
    ("Device 0: NVIDIA A30, ..." as llama-bench prints on stderr), else on the one the note's
    device lines name, where they name a single one, else on the one the hardware table of
    its section names (`| **GPU** | AMD Radeon 780M |` under "## System 2: ..."). llama-bench
    tables of one header and model under different headings are different runs of the tool
    ("Test 1: CPU-Only", "Test 3: GPU Full Offloading" with no ngl column): the heading is
    their setting. The one run count a note states ("**Runs**: Single run per model") is the
    runs of its tables' rows, where no column says.
    """
    text = _read_text(path, entry, encoding, max_file_mb)
    if '<td class="perf">' in text and (reason := mlperf_page(text)) is not None:
        raise UnusableFile(reason)
    claims = note_claims(text, entry.path)
    if "## latency:" in text and (report := report_from_lines(text.splitlines())) is not None:
        return [_optimum_values(report, path, entry)], 0, claims  # optimum-benchmark's
    found: list[TableValues] = []
    other = 0
    settings = config_line_settings(text)
    configured = config_lines(text)
    lines = clean_lines(text)
    machine = stated_machine(lines)  # the report's "Machine label:" before its folder's name
    tables = markdown_frames(text)
    named = {m for table, _ in tables if (m := _devices_machine(table.devices)) is not None}
    note_machine = next(iter(named)) if len(named) == 1 else system_section_machine(lines)
    note_from = "llama.cpp's device lines" if len(named) == 1 else "the note's system section"
    specified = section_machines(tables)  # "## System 2: ..." / "### Hardware" | **GPU** | ...
    sections = _llama_bench_sections(tables)
    # Config lines that disagree (parallel=1, parallel=4) each state their own table's runs.
    own_settings = table_config_settings(configured, [table.line for table, _ in tables])
    runs = _note_runs(text)
    # a note whose tables' models are of two weight formats or more (GGML beside GPTQ)
    formats = _weights_formats(tables)
    character_rates: list[tuple[float, str]] | None = None  # None: not yet read
    estimated: set[str] = set()  # rate columns found to be estimates
    for index, (table, frame) in enumerate(tables):
        if guidellm_stats_header(list(frame.columns)):
            continue  # GuideLLM's console table, pasted: read whole by `guidellm_stats_frame`
        frame = _predictions_apart(_batched_bench(frame))
        cols = TableColumns.of(frame.columns)
        table_machine: str | None = None
        said: dict[str, Any] = {}
        pivot = None if cols.metrics else pivot_frame(table, frame)
        if pivot is not None:
            # `| Engine | float32 | ... | int4 |` under "(unit: Tokens / second)": its rows
            # stand under headings that name the machine ("## M2 MAX 32GB Inference Bench")
            # and the model ("### Llama 2 7B Chat"), else a `- Model:` line above it
            frame, cols = pivot, TableColumns.of(pivot.columns)
            table_machine = headings_machine(table.headings)
            if cols.model is None and (model := headings_model(table) or table.model):
                frame["model (from the heading)"] = model
                cols = TableColumns.of(frame.columns)
            if (device := command_device(table)) is not None:
                said["device"] = device
        if not cols.metrics and (unit_cells := unit_cells_frame(frame)) is not None:
            frame, cols = unit_cells, TableColumns.of(unit_cells.columns)  # "69.26 output tok/s"
        if not cols.metrics:
            other += 1
            continue
        if (named := key_value_cells_frame(frame, set(cols.labels()))) is not None:
            frame, cols = named, TableColumns.of(named.columns)  # `| layout |` over "TP=4"
        if cols.model is None and (
            (model := model_from_title(table.heading)) is not None
            or (model := labelled_heading(table.headings, _MODEL_LABEL, model_from_title))
        ):
            # "### Llama 3.2:3b" above the table, or "## Model: X" above "### Number of GPUs: 1"
            frame["model (from the heading)"] = model
            cols = TableColumns.of(frame.columns)
        if cols.engine is None and (
            engine := labelled_heading(table.headings, _ENGINE_LABEL, engine_name)
        ):
            frame["engine"] = engine  # "# Backend: text-generation-inference" above the table
            cols = TableColumns.of(frame.columns)
        stated = {
            key: value
            for key, value in {**settings, **own_settings[index]}.items()
            if param_name(normalise_name(key)) not in cols.params
        }
        if stated:  # parallel=1 and parallel=4 runs of one model are two setups, not repeats
            frame = frame.assign(**stated)
            cols = TableColumns.of(frame.columns)
        if cols.gpu is None and cols.cpu is None:
            device = _devices_machine(table.devices)
            if device is not None or (device := machine_from_heading(table.heading)) is None:
                label = "gpu (from llama.cpp's device lines)"
                if device is None and note_machine is not None:
                    device, label = note_machine, f"gpu (from {note_from})"
                if device is None and (device := specified[index]) is not None:
                    label = "gpu (from the note's hardware table)"
            else:
                label = "gpu (from the heading)"  # "## Results on RTX 4090"
            if device is not None:
                cols.gpu = label
                frame[cols.gpu] = device
        if runs is not None and cols.runs is None:
            cols.runs = "runs (the note's)"
            frame[cols.runs] = runs
        _offered_rates(frame, cols)  # "| RPS | ... |" over 4, 8, inf: --request-rate
        swept = _swept_columns(frame, cols)  # "| llama3.1:8b | 2048 |", "... | 8192 |"
        counts = [label for label in swept if label in cols.metrics]
        for label in swept:
            if label not in cols.metrics:
                cols.params[normalise_name(label)] = label
        adopted = adopt(cols, frame, candidates(cols, frame.columns), entry.path)
        if counts and cols.workload is None:  # "| 128 | 256 | ... |", "| 2048 | 256 | ... |"
            cols.workload = "workload (from the token counts)"
            cols.derived.add(cols.workload)
            frame[cols.workload] = [
                ", ".join(f"{label} {str(row[label]).strip()}" for label in counts)
                for _, row in frame.iterrows()
            ]
        if (run_names := _run_names(frame, cols)) is not None:
            # "kvsweep/.../c8192/fp8": a KV dtype only its name says; rows the recognised
            # columns tell apart keep their settings' names, so TP=2 and TP=4 compare
            identity = _identity_columns(cols)
            shared = frame.duplicated(subset=identity, keep=False).to_numpy()
            label = "config (from the run names)"
            frame[label] = [n if d else "" for n, d in zip(frame[run_names], shared, strict=True)]
            cols.config = label
            cols.derived.add(label)
        repeats = _repeats_setups(frame, cols)  # on the cells as written: "75.79 ± 0.06"
        inexact = sum(not_exact(str(c)) for label in cols.metrics for c in frame[label])
        if _is_llama_bench(frame, cols):
            _stated_deviations(frame, cols)
        frame = numeric_cells(frame, list(cols.metrics))
        runs = repeats or _numbers_runs(frame)
        if runs and (summary := _run_summary_rows(frame)) is not None:
            frame[SUMMARY] = summary.to_numpy()  # "| **Avg** | ... |" restates the runs above
        for label, role in list(cols.metrics.items()):
            # A note's table reports figures someone computed, unless its rows are numbered
            # runs (a report's "| Run | ... |" table under each model) or repeat one setup.
            if role.aggregate is None and not runs:
                cols.metrics[label] = MetricRole(
                    role.metric, MARKDOWN_AGGREGATE, role.factor, role.unit
                )
        if _is_llama_bench(frame, cols):
            frame = _split_llama_bench_rates(frame, cols)
            if index in sections and cols.gpu != "gpu (from the heading)":
                label = "section (from the heading)"
                frame[label] = table.heading
                cols.params["section"] = label
                cols.derived.add(label)
        if cols.errors and cols.metrics:
            frame = _errors_of_failed_rows(frame, cols)
        cols.engine_as_written = pivot is not None  # a pivot's rows are the engines compared
        values = new_values(entry.path, cols, frame.columns, said)
        values.column_settings = adopted
        values.path_machine = table_machine or machine or values.path_machine
        values.inexact = inexact  # "<1", "~12": read as no figure, counted
        values.mixed_formats = len(formats) > 1
        rated = [label for label, role in cols.metrics.items() if role.metric == "tokens_per_s"]
        if rated and character_rates is None:  # read once a note has a rate to check
            character_rates = _character_rates(path.parent)
        values.add(frame)
        values.finish()
        for label in rated:  # h2oGPT's "tokens/sec": its records' characters / 4 a second
            if str(label) in estimated or not character_rates:
                continue
            if (fields := _estimated_rate(frame, label, character_rates)) is not None:
                estimated.add(str(label))  # said once for the note's tables
                reason = f"each figure is {fields} of a record, to the digit"
                note = UnitNote(path=entry.path, column=str(label), unit=ESTIMATED_TOKENS,
                                reason=reason)  # fmt: skip
                values.unit_notes.append(note)
        found.append(values)
    # `ollama run --verbose` statistics or serving benchmark results pasted into a note: runs
    served: dict[str, object] = dict(serve_command_settings(text))
    if (engine := serve_command_engine(text)) is not None:
        served["engine (from the note's server command)"] = engine
    # A note's own hardware table ("| GPUs Available | 2 x L40S |") names the machine of the
    # output pasted in it, where the note's hardware tables name one
    spec = {m for _, frame in tables if (m := spec_table_machine(frame)) is not None}
    spec_models = {m for _, frame in tables if (m := spec_table_model(frame)) is not None}
    for runs in (read(lines) for read in _note_readers(lines)):
        if runs is not None:
            # `ilab model serve ... --gpus 2` above GuideLLM's output: the runs' tensor parallelism
            runs = runs.assign(**{k: v for k, v in served.items() if k not in runs.columns})
            if len(spec_models) == 1 and "model" in runs.columns and runs["model"].isna().all():
                runs = runs.assign(model=next(iter(spec_models)))  # "| Model Name | ... |"
            spec_label = "gpu (from the note's hardware table)"
            if machine is None and len(spec) == 1:
                runs = runs.assign(**{spec_label: next(iter(spec))})
            cols = TableColumns.of(runs.columns)
            if spec_label in runs.columns and cols.gpu is None and cols.cpu is None:
                cols.gpu = spec_label
            started = "engine (from the note's server command)"
            if started in runs.columns and cols.engine in (None, started):
                cols.engine = started
            values = new_values(entry.path, cols, runs.columns)
            values.path_machine = machine or values.path_machine
            values.add(runs)
            values.finish()
            found.append(values)
    return found, other, claims


# A record's output length in characters and its time (h2oGPT's `generate_output_len_bytes`
# beside `generate_time`): what a rate estimating tokens as characters / 4 is computed from.
_CHARACTER_LENGTH = re.compile(r"^(?P<step>\w*?)_?output_len(?:gth)?_(?:bytes|chars|characters)$")
_CHARACTERS_PER_TOKEN = 4.0  # the rule of thumb: a token is about four characters of English
_SIBLINGS_READ = 20  # JSON files of the note's folder looked at, at most
_SIBLING_BYTES = 2 * MB


def _character_rates(folder: Path) -> list[tuple[float, str]]:
    """Every output characters / 4 / time of the JSON records in `folder`, each with the
    file and fields it comes from, where a record holds an output length in characters and
    its time. Files that never name such a length are not parsed."""
    rates: list[tuple[float, str]] = []
    for sibling in sorted(folder.glob("*.json*"))[:_SIBLINGS_READ]:
        try:
            if sibling.stat().st_size > _SIBLING_BYTES:
                continue
            text = sibling.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "output_len" not in text:  # cheap: most folders' JSON has none
            continue
        try:
            docs: list[Any] = [json.loads(text)]
        except json.JSONDecodeError:
            try:
                docs = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
            except json.JSONDecodeError:
                continue
        records = [r for d in docs for r in (d if isinstance(d, list) else [d])]
        for record in records:
            if not isinstance(record, dict):
                continue
            for key, length in record.items():
                found = _CHARACTER_LENGTH.match(str(key))
                if found is None or not isinstance(length, int | float):
                    continue
                step = found["step"]
                name = f"{step}_time" if step else "time"
                time = record.get(name)
                if isinstance(time, int | float) and time > 0 and length > 0:
                    said = f"{sibling.name}'s {key} / 4 / {name}"
                    rates.append((length / _CHARACTERS_PER_TOKEN / time, said))
    return rates


def _estimated_rate(frame: pd.DataFrame, label: str, rates: list[tuple[float, str]]) -> str | None:
    """Where every figure of a note's rate column (two at least) is, to the digits it
    writes, one of `rates` (characters / 4 a second): the fields it is computed from, most
    often. None where one figure is none of them."""
    cells = [str(c).strip() for c in frame[label].tolist() if str(c).strip() not in ("", "nan")]
    if len(cells) < 2:
        return None
    sources: collections.Counter[str] = collections.Counter()
    for cell in cells:
        number = _cell_number(cell)
        if number is None or number <= 0:
            return None
        decimals = len(cell.split(".", 1)[1]) if "." in cell else 0
        tolerance = 0.5 * 10.0**-decimals + 1e-9
        matched = [said for rate, said in rates if abs(rate - number) <= tolerance]
        if not matched:
            return None
        sources[matched[0]] += 1
    return sources.most_common(1)[0][0]


# llama-batched-bench's table: PP, TG, B, N_KV, T_PP s, S_PP t/s, T_TG s, S_TG t/s, T s, S t/s;
# llama-sweep-bench's (ik_llama.cpp): PP, TG, N_KV, T_PP s, S_PP t/s, T_TG s, S_TG t/s.
_BATCHED_BENCH = frozenset({"pp", "tg", "n_kv", "s_pp_t_s", "s_tg_t_s"})


def _batched_bench(frame: pd.DataFrame) -> pd.DataFrame:
    """llama-batched-bench's or llama-sweep-bench's table as the rows it measured: S_TG t/s is
    the generation rate (of all B sequences together), S_PP t/s the prompt rate, B the
    parallel sequences (a setting), PP and TG the workload. Without a B column (sweep-bench)
    N_KV is the context already in the cache when the step ran: part of the workload
    (`@ d512`), as llama-bench's depth is. T s (total seconds) is no rate, though its name
    normalises as llama-bench's t/s does, and S t/s counts prompt and generated tokens over
    both phases: neither is read. Any other table is returned as it is."""
    names = {normalise_name(str(c)): c for c in frame.columns}
    if not names.keys() >= _BATCHED_BENCH:
        return frame
    cells = lambda name: [str(v).strip() for v in frame[names[name]]]  # noqa: E731
    tests = [f"PP {p}, TG {t}" for p, t in zip(cells("pp"), cells("tg"), strict=True)]
    read: dict[str, list[str]] = {}
    if "b" in names:
        read["concurrency"] = cells("b")
    else:
        tests = [f"{test} @ d{depth}" for test, depth in zip(tests, cells("n_kv"), strict=True)]
    read["tokens_per_s"] = cells("s_tg_t_s")
    read["prompt_tokens_per_s"] = cells("s_pp_t_s")
    return pd.DataFrame({"workload": tests, **read}, dtype=object)


# "70.11 ± 1.41", "70.11 +/- 1.41": the deviation after the sign
_PLUS_MINUS = re.compile(r"(?:±|\+/-)\s*(\d[\d,]*(?:\.\d+)?)")


def _stated_deviations(frame: pd.DataFrame, cols: TableColumns) -> None:
    """llama-bench's Markdown writes each t/s as "mean ± standard deviation" of its
    repetitions (its CSV's avg_ts and stddev_ts): the deviation becomes a column of its own,
    aggregate "std", as the CSV's stddev_ts is, where the cells state one."""
    for label, role in list(cols.metrics.items()):
        if role.aggregate is not None:
            continue
        cells = [str(cell) for cell in frame[label].tolist()]
        if not any("±" in cell or "+/-" in cell for cell in cells):
            continue
        found = [m.group(1) if (m := _PLUS_MINUS.search(cell)) else "" for cell in cells]
        std = f"{label} (± stated)"
        frame[std] = np.array(found, dtype=object)
        cols.metrics[std] = MetricRole(role.metric, "std", role.factor, role.unit)


def _is_llama_bench(frame: pd.DataFrame, cols: TableColumns) -> bool:
    """Whether a table is llama-bench's Markdown: its test column names pp/tg tests."""
    return cols.workload is not None and any(
        _LLAMA_BENCH_TEST.match(str(test).strip()) for test in frame[cols.workload].tolist()
    )


def _llama_bench_sections(tables: list[tuple[MarkdownTable, pd.DataFrame]]) -> set[int]:
    """The llama-bench tables whose heading tells them from another table of the same header
    and models in the note: each is a run of the tool with options its columns do not show."""
    groups: dict[tuple[str, ...], list[tuple[int, str, frozenset[str]]]] = {}
    for index, (table, frame) in enumerate(tables):
        cols = TableColumns.of(frame.columns)
        if not cols.metrics or not _is_llama_bench(frame, cols):
            continue
        models = frozenset(frame[cols.model].astype(str)) if cols.model else frozenset({""})
        groups.setdefault(tuple(frame.columns), []).append((index, table.heading, models))
    sections: set[int] = set()
    for members in groups.values():
        for index, heading, models in members:
            if any(h != heading and m & models for _, h, m in members):
                sections.add(index)
    return sections


_HEADER_LINES = 40  # a capture's header, where it states its machine


def read_text_table(
    path: Path, entry: FileEntry, encoding: str, max_file_mb: float
) -> TableValues | str | None:
    """A text file's results (Go benchmark lines, `ollama run --verbose` statistics); else
    the reason its figures are not read (it has some), else None (no figures at all)."""
    text = _read_text(path, entry, encoding, max_file_mb)
    if "+ latency:" in text and (report := report_from_lines(text.splitlines())) is not None:
        return _optimum_values(report, path, entry)  # optimum-benchmark's report as text
    if ":::MLLOG" in text and (reason := mlperf_detail(path, text)) is not None:
        raise UnusableFile(reason)
    if MLPERF_MARKER in text and (run := mlperf_record(text, path, entry.path)) is not None:
        frame = pd.DataFrame.from_records([run])  # MLPerf LoadGen's summary: one run
        values = new_values(entry.path, TableColumns.of(frame.columns), frame.columns)
        values.add(frame)
        values.finish()
        return values
    lines = clean_lines(text)
    sql = sql_insert_frame(lines) if "INSERT INTO" in text.upper() else None
    if sql is not None and (cols := TableColumns.of(sql.columns)).bench is not None:
        cols.choose_bench_settings(sql)  # llama-bench -o sql: its CSV's fields, quoted
        values = new_values(entry.path, cols, sql.columns)
        values.add(sql)
        values.finish()
        return values
    # The first format whose results the text holds, in this order.
    readers = (
        go_benchmark_frame, verbose_frame, llama_server_frame, serving_frame, console_frame,
        mlx_generate_frame, mlx_benchmark_frame, trtllm_bench_frame, llm_benchmark_frame,
        guidellm_console_frame, guidellm_stats_frame, guidellm_report_frame,
        vllm_throughput_frame,
    )  # fmt: skip
    frame = next((found for read in readers if (found := read(lines)) is not None), None)
    if frame is None:
        if _RESULT_WORDS.search(text) or _RATE_HEADER.search(text):
            return (
                "text with figures in no format Chimera reads (it reads Go benchmark lines, "
                "`ollama run --verbose` statistics, llama.cpp timings, llama-bench SQL, "
                "serving benchmark result blocks, console tables of rates, `mlx_lm.generate "
                "--verbose` lines, `mlx_lm.benchmark` trials, trtllm-bench reports, "
                "llm-benchmark's stats blocks, GuideLLM's console tables and vLLM's "
                "throughput lines); save them as CSV or JSON"
            )
        return None
    cols = TableColumns.of(frame.columns)
    for name in ("run", "section"):  # a console table's banners (see `console_frame`)
        if name in frame.columns:
            cols.params.setdefault(name, name)
    values = new_values(entry.path, cols, frame.columns)
    # "System: MacBook Air M2 16GB" atop a capture names its machine, as a report's header
    # does (its first lines only: a log's are many)
    values.path_machine = stated_machine(lines[:_HEADER_LINES]) or values.path_machine
    values.add(frame)
    values.finish()
    return values
