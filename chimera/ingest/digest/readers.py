"""Reading benchmark files: encoding, CSV sanity checks, CSV and JSON rows, Markdown titles.

Each reader either returns the table's values or raises `UnusableFile` with the reason the
user sees; nothing of a file is kept unless all of it read.
"""

from __future__ import annotations

import codecs
import collections
import csv
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from chimera.ingest.digest.columns import (
    CONFIG_KEYS,
    ERROR_KEYS,
    MODEL_KEYS,
    RUNS_KEYS,
    TIME_KEYS,
    TableColumns,
    metric_role,
    model_from_filename,
    normalise_name,
    param_name,
)
from chimera.ingest.digest.llama_bench import json_records as llama_bench_records
from chimera.ingest.digest.table import TableValues
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
        raise UnusableFile(
            f"not UTF-8 text (byte 0x{head[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8"
        ) from None
    return "utf-8"


def _head_text(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def markdown_title(head: bytes, encoding: str) -> str:
    """A note's first heading, else its first line."""
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("#"):
            return line.lstrip("#").strip()[:100]
    return lines[0][:100] if lines else ""


# --- CSV -----------------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _reject_non_table(header: list[str], head: bytes, encoding: str) -> None:
    """Raise when a CSV without recognised columns is not a table at all."""
    lines = [ln.strip() for ln in _head_text(head, encoding).splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    numeric = sum(_is_number(str(h)) for h in header)
    if numeric and numeric * 2 >= len(header):
        raise UnusableFile(
            f"no header row: the first line holds values ({first[:60]!r}); "
            "add a header naming the columns"
        )
    if len(lines) <= 1 or _MESSAGE.search(first):
        raise UnusableFile(f"not a CSV table, only a message: {first[:80]!r}")


def _check_ragged(path: Path, encoding: str, n_fields: int, nrows: int | None) -> int | None:
    """Raise when a row has another field count than the header (pandas' usecols hides it).

    One exception: a file whose last line alone is short was cut off mid-write (a benchmark
    killed, a copy interrupted). Its good rows are kept; the return value is how many data
    rows to read (None: all of them).
    """
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        rows: Iterator[list[str]] = itertools.islice(reader, nrows) if nrows else reader
        # map(len) + Counter keep the whole pass in C: about 1 s per 50 MB.
        lengths = collections.Counter(map(len, rows))
    bad = sum(n for length, n in lengths.items() if length not in (0, n_fields))
    if not bad:
        return None
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
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


def read_csv_table(
    path: Path, entry: FileEntry, encoding: str, head: bytes, max_file_mb: float
) -> tuple[TableValues, bool]:
    """The CSV's metric values, and whether only its first rows were read (it is too big)."""
    try:
        header = [str(c) for c in pd.read_csv(path, nrows=0, encoding=encoding).columns]
    except pd.errors.EmptyDataError:
        raise UnusableFile("no CSV header: the file holds only blank lines") from None
    cols = TableColumns.of(header)
    values = TableValues(entry.path, cols, model_from_filename(entry.path))
    if not cols.metrics and cols.error is None:
        _reject_non_table(header, head, encoding)
        return values, False
    nrows = None
    max_bytes = int(max_file_mb * MB)
    if entry.size_bytes > max_bytes:
        nrows = _row_budget(head, max_bytes)
    partial = nrows is not None
    complete = _check_ragged(path, encoding, len(header), nrows)
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
            )
        )
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
        raise UnusableFile("header only, no data rows")
    return values, partial


# --- JSON ----------------------------------------------------------------------------------


def _load_json(path: Path, entry: FileEntry, encoding: str, max_file_mb: float) -> Any:
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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON Lines: one document per line
            try:
                return [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError:
                pass
        raise UnusableFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _json_leaf(label: str) -> str:
    return label.rsplit(".", 1)[-1]


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
        if name in MODEL_KEYS:
            own["model"] = value
        elif name in CONFIG_KEYS:
            own["config_name"] = value
        elif (param := param_name(name)) is not None:
            own[param] = value
        elif name in ERROR_KEYS:
            own["error"] = value
        elif name in TIME_KEYS:
            own.setdefault("timestamp", value)
        elif name in RUNS_KEYS:
            own["runs"] = value
        elif metric_role(key) is not None:
            own[path] = value

    for key, value in obj.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if _is_scalar(value):
            take(str(key), path, value)
        elif normalise_name(key) in ERROR_KEYS:
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


def read_json_table(path: Path, entry: FileEntry, encoding: str, max_file_mb: float) -> TableValues:
    """The metric values of a JSON (or JSON Lines) file, one row per record holding metrics."""
    document = _load_json(path, entry, encoding, max_file_mb)
    bench = llama_bench_records(document)
    if bench is not None:  # llama-bench -o json / jsonl: flat tests, read as they are
        frame = pd.DataFrame.from_records(bench)
        cols = TableColumns.of(frame.columns)
        cols.choose_bench_settings(frame)
    else:
        records: list[dict[str, Any]] = []
        _json_records(document, {}, "", records)
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        cols = TableColumns.of(frame.columns, _json_leaf)
    values = TableValues(entry.path, cols, model_from_filename(entry.path))
    if len(frame.index):
        values.add(frame)
    return values
