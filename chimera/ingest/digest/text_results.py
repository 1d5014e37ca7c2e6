"""Results kept as text: Markdown result tables, Go benchmark output, `ollama run --verbose`.

Each reader turns the text into a table of cells (strings) that the generic rules then read
like a CSV; what is special is only how rows and columns are found:

- **Markdown tables** (`| model | test | t/s |`, a note's averages table): every pipe table
  with a header, a `|---|` line and rows. Cells are numbers as people write them: `1,234.5`,
  `**45.2**`, `45.23 ± 0.12` (the mean), `12 tok/s`. A table in a note reports figures
  someone computed, so its values are already aggregated (`mean`), never pooled with runs.
  A configuration line the script printed beside it (`TestConfig(..., parallel=4, ...)`)
  states the settings its columns do not; a two-column hardware table (`| **GPU** | ... |`)
  names the machine of the results in its section (`section_machines`), and a "System
  Information" section's plain lines the note's (`system_section_machine`). A pivot table
  (`| Engine | float32 | ... | int4 |` under "(unit: Tokens / second)") is read cell by cell
  (`pivot_frame`), its machine and model from the headings it stands under. A column whose
  cells write each figure with its unit (`69.26 output tok/s`, an archive's "primary
  metric") is read as a column headed by that unit (`unit_cells_frame`): the unit names the
  metric the header does not; a column of `TP=4` cells is the setting its cells name
  (`key_value_cells_frame`).
  llama-bench's `-o md` table (a `test` column of pp512/tg128 and a `t/s` column) splits its
  rate by test like llama-bench's other formats; the `± 1.41` after each mean is the standard
  deviation of its repetitions (aggregate "std", as the CSV's stddev_ts). The devices
  llama.cpp lists above a table (`Device 0: NVIDIA A30, ...`, kept where a script captured
  stderr) go with it: its machine. A note's summary table whose every figure another table
  of the note holds for the same model and machine (`| 27B | 62.98 tok/s |` above the
  llama-bench tables) is read, then counted once, listed as restating them
  (`duplicates.restated_rows`).
- **Go benchmark output** (`BenchmarkColdStart/llama3.3:70b/cold/short_prompt-16  1
  13339621250 ns/op  10.19 gen_tok/s ...`, Ollama's own benchmark package): one record a
  line, each `value unit` pair a column; the name's parts give the model, the workload and
  whether the run was cold; `cpu:` in the header names the machine.
- **`ollama run --verbose` statistics** (`total duration: 1.2s`, `eval rate: 85.29
  tokens/s`, ...), wherever on a line they stand (a spinner may precede them): one record
  per block, durations as Go writes them (`42m41.59s`, `512.3ms`, `52µs`), the model from a
  `model_name = ...`, `ollama run MODEL` or `ollama ps` line before it.
- **trtllm-bench reports** (`= PERFORMANCE OVERVIEW`, `Total Output Throughput
  (tokens/sec): 11076.77`, ...): one record per overview, with the model, TP size and
  average input/output lengths of the sections above it.
- **vLLM's offline throughput benchmark** (`Throughput: 2.76 requests/s, 1913.92 total
  tokens/s, 414.11 output tokens/s`): one record a line, its requests and output tokens a
  second; the total (prompt and output tokens) is not read, nor an older version's plain
  "tokens/s", which is that total too.
- **`mlx_lm.generate --verbose`** (`Prompt: 57 tokens, 462.485 tokens-per-sec`,
  `Generation: 200 tokens, 43.154 tokens-per-sec`): one record per `Generation:` line, its
  `Prompt:` line's figures beside it, the model from a `--model X` command line above.
- **`mlx_lm.benchmark`** (`Timing with prompt_tokens=512, generation_tokens=128, batch_size=1.`
  over `Trial 1:  prompt_tps=133.651, generation_tps=25.547, peak_memory=8.976, ...`): one
  record per trial, the token counts its workload; the `Averages:` line restates the trials.
- **llama-server's timings** (`print_timing: ... prompt eval time = 9124.33 ms / 2560
  tokens (... 280.57 tokens per second)`, `eval time = ...`, `total time = ...`, on the
  task's line or, since 2024, on the lines after it), in its own log or in Ollama's server
  log (Ollama runs llama-server): one record per task; the model from the GGUF it loads,
  the machine from the GPU the log names. llama-cli's and llama-perplexity's timings at
  exit (`llama_perf_context_print:`, `llama_print_timings:`): one record per run, the tool
  its workload.
- **llama-bench's `-o sql`** (`INSERT INTO test (build_commit, ...) VALUES ('...', ...);`):
  one record per statement, read as llama-bench's CSV is.
- **A harness's console tables** (` conc  wall_s  TG tok/s tot  TG/s req` over rows of
  numbers): one record a row; the rate of all requests is read by its phase, a per-request
  rate is not; the title above is the workload, the file's first banner the run.
- **GuideLLM's console tables** (`ℹ Request Latency Statistics (Completed Requests)` over a
  table boxed with `|===|`, three header rows: metric, unit, statistic): one record per
  benchmark strategy, GuideLLM's own statistics of its measured window (median, p95, mean).
- **GuideLLM 0.2/0.3's console tables** (`Benchmarks Stats:` over `|`-separated cells without
  outer pipes: a row of sections, a row of statistics, a row per benchmark; in a log or pasted
  into a note): one record per benchmark, its request latency in seconds whatever 0.2's
  "Req Latency (ms)" says; its Benchmarks Info table (each benchmark's wall time) is no result.
  A note's model server command (`ilab model serve ... --backend vllm --gpus 2`, `vllm serve
  ... --tensor-parallel-size 4`) states the engine and tensor parallelism of the runs pasted
  in it, its one hardware table (`| GPUs Available | 2 x L40S |`) their machine.
- **GuideLLM 0.1's console report** (`Performance Summary by Benchmark` over a rich box table,
  each cell a figure with its unit): one record per benchmark, GuideLLM's means over it.
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chimera.escape import plain
from chimera.ingest.digest.columns import (
    MODEL_KEYS,
    normalise_name,
    param_name,
    settings_from_path,
)
from chimera.ingest.digest.identity import (
    ENGINE_KEYS,
    engine_name,
    gguf_model,
    machine_from_heading,
    machine_from_path,
    machine_label,
    model_from_title,
    model_from_words,
)

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{2,3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# llama-bench pads a column no wider than its name: `| fa |` over `| -: |`. A cell of one
# dash is a separator's (GFM) where the line has pipes to tell it from a rule or a list.
_PIPED_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")
# A grid table's rule (Python's tabulate "grid" and "psql", MySQL's client): `+-----+----+`
# between its rows, `+=====+====+` under a grid table's header. The rule under the header is
# the table's separator; the others only draw.
_GRID_RULE = re.compile(r"^\+(?:[-=:]+\+)+$")
COLD = "__cold__"  # a column saying, per record, that the run loaded the model
MARKDOWN_AGGREGATE = "mean"


def clean_lines(text: str) -> list[str]:
    """The text's lines without terminal escapes and carriage-return redraws."""
    lines = []
    for line in _ANSI.sub("", text).splitlines():
        lines.append(line.rsplit("\r", 1)[-1] if "\r" in line else line)
    return lines


# --- Markdown tables ------------------------------------------------------------------------


_CELL_BREAK = re.compile(r"(?<!\\)\|")  # a "|" not escaped


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = _CELL_BREAK.split(text)
    return [plain(c.replace("\\|", "|")).strip() for c in cells]


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_SUP = re.compile(r"<sup>.*?</sup>")


# A cell wholly in emphasis or code: `**bold**`, `*italic*`, `__bold__`, `` `code` ``.
_EMPHASIS = re.compile(r"^(\*\*|\*|__|`)((?:(?!\1).)+)\1$")
# Emphasis or code on part of a cell ("**llama3.1:8b** (best)"), and text struck through
# ("~~120.5~~ 118.2": the author's correction is the figure).
_INNER_EMPHASIS = re.compile(r"(\*\*|`)(?=\S)(.+?)(?<=\S)\1")
_INNER_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_STRUCK = re.compile(r"~~[^~]*~~")


def _cell_text(cell: str) -> str:
    """A cell's text: `[name](url)` is its name, `<sup>1</sup>` a footnote mark dropped,
    emphasis and code marks dropped (around the whole cell or part of it), struck-through
    text dropped."""
    if "<" in cell:  # most cells have no tag: the two searches for one are skipped
        cell = _HTML_TAG.sub("", _LINK.sub(r"\1", _SUP.sub("", cell)))
    elif "[" in cell:
        cell = _LINK.sub(r"\1", cell)
    cell = cell.strip()
    while cell[:1] in ("*", "_", "`") and (bare := _EMPHASIS.match(cell)) is not None:
        cell = bare[2].strip()  # `**gemma3:270m**` names gemma3:270m
    if "~~" in cell:
        cell = " ".join(_STRUCK.sub(" ", cell).split())
    if "*" in cell or "`" in cell:
        cell = _INNER_ITALIC.sub(r"\1", _INNER_EMPHASIS.sub(r"\2", cell))
    return cell


def _header(line: str, separator: str) -> list[str]:
    """A table's header cells. A header line that does not start with "|" and has more cells
    than the separator row below it has a sentence run onto it whose line break was lost
    ("Top combinations by throughput: | num_gpu | ..."; that sentence may hold "|" of its
    own): the table's header is its last cells, as many as the separator has. Kept whole, it
    would shift every column of the table."""
    cells = _cells(line)
    width = len(_cells(separator))
    if not line.lstrip().startswith("|") and len(cells) > width:
        return cells[-width:]
    return cells


# llama.cpp's backends name the devices they found on stderr, which captures of llama-bench
# or llama-server keep above their tables: "  Device 0: NVIDIA A30, compute capability 8.0,
# VMM: yes" (CUDA, ROCm, MUSA), "ggml_vulkan: 0 = AMD Radeon RX 7900 XTX (RADV NAVI31) (radv)
# | uma: 0 | ..." (Vulkan), "ggml_metal_init: GPU name:   Apple M2 Max" (Metal).
_GGML_DEVICE = re.compile(
    r"^\s*Device (\d+): ([^,]+),|^\s*ggml_vulkan: (\d+) = ([^|]+?)\s*(?:\||$)"
    r"|^\s*ggml_metal\w*: GPU name:\s+(.+?)\s*$"
)
# llama-server's and llama-cli's device list at start-up: "  - MTL0    : Apple M5 Max (110100
# MiB, 110100 MiB free)", "  - CUDA0 : NVIDIA GeForce RTX 4090 (24080 MiB, ...)" (the CPU and
# BLAS entries are no accelerator).
_DEVICE_INFO = re.compile(
    r"^(?:.*\bI\s+)?\s*-\s+(?:MTL|CUDA|ROCm|HIP|Vulkan|SYCL|MUSA|CANN|OpenCL)(\d+)\s*:\s*"
    r"([^(]+?)\s*\("
)
# What every line `ggml_devices` reads holds.
_MAY_LIST_DEVICES = re.compile(
    r"Device \d+:|ggml_vulkan:|ggml_metal|-\s+(?:MTL|CUDA|ROCm|HIP|Vulkan|SYCL|MUSA|CANN|OpenCL)\d"
)


def ggml_devices(line: str) -> tuple[int, str] | None:
    """The (index, name) of a device a llama.cpp backend lists on a line, else None."""
    found = _GGML_DEVICE.match(line)
    if found is None:
        listed = _DEVICE_INFO.match(line)
        return (int(listed.group(1)), listed.group(2).strip()) if listed else None
    if found.group(2) is not None:
        return int(found.group(1)), found.group(2).strip()
    if found.group(4) is not None:
        return int(found.group(3)), found.group(4).strip()
    return 0, found.group(5).strip()


@dataclass
class MarkdownTable:
    """A pipe table and what stands above it."""

    headings: list[str]  # the headings it stands under, outermost first
    caption: list[str]  # the lines of text between its heading (or the table before) and it
    model: str | None  # the model the last `Model: ...` line above it names
    devices: list[str]  # the devices llama.cpp listed since the table before, in their order
    rows: list[list[str]]  # its cells, the header first
    line: int = 0  # the index of its header line in the note

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else ""


# A note is read for its claims, then for its tables, in a row: the last notes' tables are
# kept, so each note is parsed once.
@functools.lru_cache(maxsize=2)
def markdown_table_blocks(text: str) -> tuple[MarkdownTable, ...]:
    """Each pipe table with the headings it stands under, the lines just above it and the
    llama.cpp devices named above it."""
    return tuple(_table_blocks(text))


# An ATX heading's optional closing sequence: `### DUAL GPU ###` is the heading "DUAL GPU".
_CLOSING_HASHES = re.compile(r"(?:^|\s+)#+\s*$")


def atx_heading_text(line: str) -> str:
    """A Markdown heading's text without its opening `#`s and, as CommonMark reads it, the
    closing `#`s a space sets apart (a script's `echo "### GPU 0 ONLY ###"` writes them)."""
    return _CLOSING_HASHES.sub("", line.strip().lstrip("#")).strip()


def _table_blocks(text: str) -> Iterator[MarkdownTable]:
    lines = text.splitlines()
    headings: list[tuple[int, str]] = []  # (level, text), outermost first
    caption: list[str] = []
    model: str | None = None
    devices: list[str] = []
    # One search of the text spares two of every line in the notes that list no device.
    listed = _MAY_LIST_DEVICES.search(text) is not None
    i = 0
    while i < len(lines) - 1:
        line = lines[i].strip()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            headings = [h for h in headings if h[0] < level] + [(level, atx_heading_text(line))]
            caption = []
        elif line and "|" not in line and not _GRID_RULE.match(line):
            caption.append(line)
            model = stated_model(line) or model
        if listed and (device := ggml_devices(lines[i])) is not None:
            index, name = device
            devices = [*devices, name] if index > 0 else [name]  # device 0 starts a new list
        separator = lines[i + 1].strip()
        grid = line.startswith("|") and _GRID_RULE.match(separator) is not None
        if "|" in lines[i] and (
            grid or _SEPARATOR.match(separator) or _PIPED_SEPARATOR.match(separator)
        ):
            start = i
            header = _header(lines[i], separator)
            rows = [header]
            i += 2
            while i < len(lines) and (
                ("|" in lines[i] and lines[i].strip())
                or (grid and _GRID_RULE.match(lines[i].strip()))
            ):
                if grid and _GRID_RULE.match(lines[i].strip()):
                    i += 1  # a rule between a grid table's rows
                    continue
                row = _cells(lines[i])  # text run on after the last cell is cut below
                rows.append((row + [""] * len(header))[: len(header)])
                i += 1
            if len(rows) > 1:
                yield MarkdownTable(
                    [h[1] for h in headings],
                    caption,
                    model,
                    devices,
                    [[_cell_text(c) for c in row] for row in rows],
                    start,
                )
            caption, devices = [], []
        else:
            i += 1


def markdown_tables(text: str) -> Iterator[tuple[str, list[list[str]]]]:
    """Each pipe table as (the heading above it, its rows of cells, the header first)."""
    for table in markdown_table_blocks(text):
        yield table.heading, table.rows


# A benchmark script's configuration printed as Python writes an object
# (`TestConfig(base_url='...', parallel=4, temperature=0.0)`, argparse's `Namespace(...)`).
_CONFIG_LINE = re.compile(r"^`?[A-Z]\w*\((\w+=.*)\)`?$")
_CONFIG_PAIR = re.compile(r"(\w+)=('[^']*'|\"[^\"]*\"|[^,()\s]+)")


def _typed(value: str) -> str | int | float:
    """A configuration value as the number it states ("4" -> 4, "0.0" -> 0.0), else text."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def config_lines(text: str) -> list[tuple[int, dict[str, str]]]:
    """Each configuration line of a note (`TestConfig(..., parallel=4, ...)`): its index and
    the settings it states, by the key as written; only keys that are settings (`param_name`)."""
    found = []
    for index, line in enumerate(text.splitlines()):
        m = _CONFIG_LINE.match(line.strip())
        if m is None:
            continue
        pairs = {}
        for key, value in _CONFIG_PAIR.findall(m.group(1)):
            if param_name(normalise_name(key)) is None or value in ("None", "''", '""'):
                continue
            pairs.setdefault(key, value.strip("'\""))
        found.append((index, pairs))
    return found


def config_line_settings(text: str) -> dict[str, str | int | float]:
    """The settings a note's configuration line states (`TestConfig(..., parallel=4, ...)`
    beside a result table: the runs' concurrency), by the key as written; only keys that are
    settings (`param_name`), and only values every such line of the text agrees on."""
    found: dict[str, str] = {}
    differ: set[str] = set()
    for _, pairs in config_lines(text):
        for key, value in pairs.items():
            if found.setdefault(key, value) != value:
                differ.add(key)
    return {k: _typed(v) for k, v in found.items() if k not in differ}


# A model server started in a note's command line (`vllm serve ...`, `ilab model serve ...`,
# `python -m sglang.launch_server ...`) and the GPUs it shards the model over: vLLM's and
# SGLang's tensor parallelism, InstructLab's `--gpus` (which it passes to vLLM as the tensor
# parallel size).
_SERVE_COMMAND = re.compile(
    r"\b(?:vllm\s+serve|ilab\s+model\s+serve|sglang\.launch_server"
    r"|vllm\.entrypoints\.openai\.api_server)\b"
)
_SERVE_PARALLEL = re.compile(r"(?:--tensor-parallel-size|--tp-size|--tp|-tp|--gpus)[= ](\d{1,2})\b")


# The engine a model server command starts: vLLM's (`vllm serve`, its OpenAI entry point,
# InstructLab's `--backend vllm`), SGLang's; llama.cpp's backend for ilab is its own word.
_SERVE_ENGINE = re.compile(r"(?:\bvllm\s+serve|\bvllm\.entrypoints|--backend[= ]vllm)\b|(sglang)\.")


def _may_serve(text: str) -> bool:
    """Whether the text holds a word every `_SERVE_COMMAND` match holds: most notes start no
    server, and three substring tests cost less than one search of every line."""
    return "vllm" in text or "ilab" in text or "sglang" in text


def serve_command_engine(text: str) -> str | None:
    """The engine a note's model server command lines start (`ilab model serve ... --backend
    vllm`: vLLM), where every such line names the same one; None otherwise."""
    if not _may_serve(text):
        return None
    engines = {
        "SGLang" if found[1] else "vLLM"
        for line in text.splitlines()
        if _SERVE_COMMAND.search(line) and (found := _SERVE_ENGINE.search(line))
    }
    return engines.pop() if len(engines) == 1 else None


def serve_command_settings(text: str) -> dict[str, int]:
    """The tensor parallelism a note's model server command lines state (`ilab model serve
    ... --gpus 2`, `vllm serve ... --tensor-parallel-size 4`): the runs' setting, where every
    such line of the note agrees; none where they differ or none says."""
    if not _may_serve(text):
        return {}
    sizes = {
        int(found[1])
        for line in text.splitlines()
        if _SERVE_COMMAND.search(line) and (found := _SERVE_PARALLEL.search(line))
    }
    return {"tensor_parallel": sizes.pop()} if len(sizes) == 1 else {}


def table_config_settings(
    lines: list[tuple[int, dict[str, str]]], tables: list[int]
) -> list[dict[str, str | int | float]]:
    """Per table (by its header line), the settings of its own configuration line where a
    note's lines disagree (parallel=1 above one table, parallel=4 above the next): a note that
    writes its first line above its first table writes each above its table, else each below.
    Only the keys the lines disagree on; where tables and lines do not pair off, none."""
    keys = {k for _, pairs in lines for k in pairs}
    differ = {k for k in keys if len({pairs.get(k) for _, pairs in lines}) > 1}
    if not differ or not tables or len(lines) != len(tables):
        return [{} for _ in tables]
    above = lines[0][0] < tables[0]
    own = []
    for start in tables:
        if above:
            mine = [pairs for index, pairs in lines if index < start]
            pairs = mine[-1] if mine else None
        else:
            mine = [pairs for index, pairs in lines if index > start]
            pairs = mine[0] if mine else None
        if pairs is None:
            return [{} for _ in tables]
        own.append(pairs)
    if len({id(p) for p in own}) != len(own):  # two tables to one line: no pairing
        return [{} for _ in tables]
    return [{k: _typed(v) for k, v in pairs.items() if k in differ} for pairs in own]


# A cell that bounds or approximates a figure ("<1", ">100", "≤ 5", "~12", "≈20", "approx. 12",
# "< 0.1 ms"): no exact figure, so none is read (a "<1" read as 1 would be a measured mean).
_NOT_EXACT = re.compile(r"(?i)^(?:[<>≤≥~≈∼]|&[lg]t;|approx(?:\.|imately)?\s|about\s|ca\.\s)")
# A number written with a decimal comma ("45,2", "0,83", "1.234,5", "1 234,5"): European
# notation. The comma is a decimal one where one or two digits follow it (a thousands
# separator has three), or where the cell's column writes others so (`decimal_commas`).
_COMMA_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:[. \u202f]\d{3})+|\d+),\d+(?![\d,.])")
_SURE_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}(?![\d,.])")
# A thousands comma beside a decimal point ("1,234.5", "12,345,678"): the column's commas
# are thousands separators.
_THOUSANDS_COMMA = re.compile(r"\d,\d{3}(?:\.\d|,\d{3})")


def not_exact(cell: str) -> bool:
    """Whether a cell bounds or approximates a figure ("<1", ">100", "~12"): none is read."""
    return _NOT_EXACT.match(cell.replace("*", "").replace("`", "").strip()) is not None


def decimal_commas(cells: list[str]) -> bool:
    """Whether a column's cells write decimal commas: one at least ("45,2", "0,83") does so
    beyond doubt, and none writes a comma as a thousands separator ("1,234.5"). Then "1,234"
    in it is 1.234; in a column of no such cell it is 1234, as English writes it."""
    texts = [c.replace("*", "").replace("`", "").strip() for c in cells if "," in c]
    return any(_SURE_DECIMAL_COMMA.match(t) for t in texts) and not any(
        _THOUSANDS_COMMA.search(t) for t in texts
    )


def cell_number(cell: str, decimal_comma: bool = False) -> float | None:
    """The number a table cell states (`1,234.5`, `**45.2**`, `45.23 ± 0.12`, `12 tok/s`,
    `3.5k` as 3500, `45,2` as 45.2; `1,234` as 1.234 where `decimal_comma` says the column
    writes decimal commas); None for a bound or an approximation (`<1`, `~12`)."""
    text = cell.replace("*", "").replace("`", "").strip()
    if not text or text.lower() in ("n/a", "na", "-", "—", "none", "null"):
        return None
    if _NOT_EXACT.match(text):  # counted where the table is read (`not_exact`)
        return None
    if "," in text and (decimal_comma or _SURE_DECIMAL_COMMA.match(text)):
        found = _COMMA_NUMBER.match(text)
        if found is not None:
            whole, _, fraction = found.group().rpartition(",")
            value = float(re.sub(r"[. \u202f]", "", whole) + "." + fraction)
            return value * 1000 if re.match(r"[kK](?![a-zA-Z])", text[found.end() :]) else value
    found = _NUMBER.search(text)
    if found is None or found.start() > 2:
        return None
    number = found.group().replace(",", "")
    # Indian digit grouping (22,80,000) is still one number once its commas are gone.
    try:
        value = float(number)
    except ValueError:
        return None
    # "3.5k" (tok/s of prompt processing, as READMEs round them) is thousands, not 3.5
    if re.match(r"[kK](?![a-zA-Z])", text[found.end() :]):
        return value * 1000
    return value


def markdown_frames(text: str) -> list[tuple[MarkdownTable, pd.DataFrame]]:
    """Each Markdown table as (the table, a frame of text cells, its header the columns)."""
    frames = []
    for table in markdown_table_blocks(text):
        rows = table.rows
        header = [h or f"column {i + 1}" for i, h in enumerate(rows[0])]
        seen: dict[str, int] = {}
        unique = []
        for name in header:  # two columns of one name would be one column to pandas
            seen[name] = seen.get(name, 0) + 1
            unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        frames.append((table, pd.DataFrame(rows[1:], columns=unique, dtype=object)))
    return frames


# The levels of a precision a pivot table's columns are (`float32 | float16 | int8 | int4`).
_PRECISION_LEVEL = re.compile(
    r"(?i)^(?:(?:float|fp|bfloat|bf|int|uint|nf)\d{1,2}|i?q\d(?:_[a-z0-9]+)*|awq|gptq)$"
)
# A rate's unit stated above a table ("**Performance Metrics:** (unit: Tokens / second)").
_RATE_UNIT = re.compile(
    r"(?i)\btokens?\s*/\s*s(?:ec(?:ond)?)?\b|\btok/s\b|\bt/s\b|\btokens?\s+per\s+second\b"
)
_DEVICE_FLAG = re.compile(r"--device[= ](\w+)")
_GPU_DEVICES = frozenset({"gpu", "cuda", "metal", "mps", "rocm", "vulkan", "xpu"})


def pivot_frame(table: MarkdownTable, frame: pd.DataFrame) -> pd.DataFrame | None:
    """A pivot table's cells as rows, or None where `frame` is none.

    A pivot table names a thing a row (its first column: an engine, a model, ...) and a
    precision a column (`| Engine | float32 | float16 | int8 | int4 |`, premAI-io/benchmarks),
    its metric stated only in the line above it ("(unit: Tokens / second)"): no column is a
    metric, so it read as nothing. Each figure cell is a row: the first column's name, the
    column's precision as `quantization`, the figure as tokens per second (cells as written,
    `101.94 ± 8.34` stays a mean). A table whose columns each name a machine is read so too,
    each column's figures that machine's."""
    levels = [str(c) for c in frame.columns[1:]]
    if len(levels) < 2:
        return None
    if all(_PRECISION_LEVEL.match(c.strip()) for c in levels):
        column, named = "quantization", {c: c.strip().lower() for c in levels}
    else:
        # "| Model | RTX 4090 | M2 Max | Pi 5 |" under "## Eval rate (tok/s)": a machine a
        # column, each machine's figures its own
        column, named = "gpu", {c: machine_from_heading(c.strip()) for c in levels}
        if not all(named.values()) or len(set(named.values())) < len(levels):
            return None
    said = [*table.caption[-3:], table.heading or ""]
    if not any(_RATE_UNIT.search(line) for line in said):
        return None
    first = str(frame.columns[0])
    name = normalise_name(first)
    role = "engine" if name in ENGINE_KEYS else "model" if name in MODEL_KEYS else "config"
    records = [
        {role: row[first], column: named[level], "tokens_per_second": row[level]}
        for _, row in frame.iterrows()
        for level in levels
        if cell_number(str(row[level])) is not None
    ]
    return pd.DataFrame(records, dtype=object) if records else None


# "69.26 output tok/s": a figure, then the unit (and what it counts) in words; a signed
# "+227.5 tok/s" is a difference between two figures, none of them
_UNIT_CELL = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s+([A-Za-z][\w/ .%-]*?)$")
_COUNT_METRICS = frozenset({"eval_count", "prompt_eval_count"})
_EMPTY_CELLS = frozenset({"", "-", "—", "n/a", "na", "nan", "none"})


def unit_cells_frame(frame: pd.DataFrame) -> pd.DataFrame | None:
    """`frame` with each column whose cells write their figure with its unit (an archive's
    `| ... | primary metric |` over "69.26 output tok/s", "294.76 output tok/s") as one column
    per unit, headed by the header and unit where they name a metric together ("decode
    (tok/s)"), else by the unit alone, so the unit names the metric the header does not;
    None where no column's units name a metric. A cell of another unit stays out of that
    unit's column; columns whose units alone would be one header ("Fast decode", "Deep
    decode" over "7.34 tok/s") are left as they are: which is which only their headers say."""
    from chimera.ingest.digest.columns import TableColumns

    wanted: dict[str, dict[str, str]] = {}  # column -> unit -> header
    parsed: dict[str, list[re.Match[str] | None]] = {}
    table = frame.to_numpy(dtype=object)  # once: a column look-up per label cost more
    for index, label in enumerate(frame.columns):
        cells = [str(c).strip() for c in table[:, index]]
        filled = [c for c in cells if c.lower() not in _EMPTY_CELLS]
        # cheap first: a figure with its unit starts with a digit and holds a space
        if not filled or not all(c[:1].isdigit() and " " in c for c in filled):
            continue
        parts = [_UNIT_CELL.match(c) for c in cells]
        said = (m for m, c in zip(parts, cells, strict=True) if c.lower() not in _EMPTY_CELLS)
        if any(m is None for m in said):
            continue
        headers: dict[str, str] = {}
        for unit in {m[2] for m in parts if m is not None}:
            for header in (f"{label} ({unit})", unit):
                roles = TableColumns.of([header]).metrics.values()
                # "64 tokens" under "prompt" is the length a row was run with, not a figure
                if header not in frame.columns and any(
                    r.metric not in _COUNT_METRICS for r in roles
                ):
                    headers[unit] = header
                    break
            else:
                break
        else:
            wanted[str(label)], parsed[str(label)] = headers, parts
    taken = collections.Counter(h for headers in wanted.values() for h in headers.values())
    out: pd.DataFrame | None = None
    for label, headers in wanted.items():
        if any(taken[h] > 1 for h in headers.values()):
            continue
        out = (frame if out is None else out).drop(columns=[label])
        for unit, header in sorted(headers.items()):
            out[header] = [m[1] if m is not None and m[2] == unit else "" for m in parsed[label]]
    return out


# "TP=4": a setting written with its name in each cell of a column named otherwise ("layout")
_KEY_VALUE_CELL = re.compile(r"^([A-Za-z][\w.-]*)\s*=\s*([^\s=]+)$")


def key_value_cells_frame(frame: pd.DataFrame, known: set[str]) -> pd.DataFrame | None:
    """`frame` with each column outside `known` (the columns already read) whose cells all
    write one setting as `NAME=VALUE` (`| layout |` over "TP=4", "TP=2") headed by that name
    and holding the values, where the name is a setting Chimera knows; None where none is."""
    from chimera.ingest.digest.columns import TableColumns

    out: pd.DataFrame | None = None
    for label in frame.columns:
        if label in known:
            continue
        cells = [str(c).strip() for c in frame[label]]
        if not cells or not all("=" in c for c in cells):  # cheap before the pattern
            continue
        parts = [_KEY_VALUE_CELL.match(c) for c in cells]
        names = {m[1] for m in parts if m is not None}
        if any(m is None for m in parts) or len(names) != 1:
            continue
        name = names.pop()
        if name in frame.columns or not TableColumns.of([name]).params:
            continue
        out = (frame if out is None else out).drop(columns=[label])
        out[name] = [m[2] for m in parts if m is not None]
    return out


def headings_machine(headings: list[str]) -> str | None:
    """The hardware the innermost heading that names one names (`A100 80GB Inference Bench`
    -> `A100`, `M2 MAX 32GB Inference Bench` -> `M2 MAX`)."""
    for heading in reversed(headings):
        if (found := machine_from_path(heading.replace("/", " "))) is not None:
            return found
    return None


# A note's hardware table (`| Component | Detail |`, `| Spec | Value |`): the rows naming the
# machine's processors.
_SPEC_GPU = frozenset({"gpu", "gpus", "graphics", "accelerator", "gpus_available"})
_SPEC_CPU = frozenset({"cpu", "processor", "chip", "soc"})


def spec_table_machine(frame: pd.DataFrame) -> str | None:
    """The machine a two-column hardware table names (`| **GPU** | AMD Radeon 780M - gfx1103,
    12 CUs |`, `| **CPU** | AMD Ryzen 7 8845HS |`): its GPU, else its CPU; None for any
    other table."""
    if frame.shape[1] != 2:
        return None
    found: dict[str, str] = {}
    for name, value in zip(frame.iloc[:, 0].tolist(), frame.iloc[:, 1].tolist(), strict=True):
        key = normalise_name(str(name))
        if key in _SPEC_GPU or key in _SPEC_CPU:
            found.setdefault("gpu" if key in _SPEC_GPU else "cpu", str(value))
    return machine_label(found.get("gpu"), found.get("cpu")) if found else None


_SPEC_MODEL = frozenset({"model", "model_name", "model_id"})


def spec_table_model(frame: pd.DataFrame) -> str | None:
    """The model a two-column parameter table names (`| Model Name | ibm-granite/granite-3.3-
    8b-instruct |`); None for any other table."""
    if frame.shape[1] != 2:
        return None
    for name, value in zip(frame.iloc[:, 0].tolist(), frame.iloc[:, 1].tolist(), strict=True):
        if normalise_name(str(name)) in _SPEC_MODEL and (text := plain(str(value)).strip(" .*")):
            return text
    return None


# A note's section that describes the machine in plain lines ("# System Information" /
# "Intel Xeon E-2378" / "NVidia RTX 1000 ADA."): "## Hardware", "# My Setup" (okazaki's note:
# its lines name the two Arc A770s and the Threadripper), "## Our test rig". Matched on the
# heading's text (`atx_heading_text`): a script's "### Hardware ###" is "Hardware".
_SYSTEM_HEADING = re.compile(
    r"^(?:(?:my|our|the)\s+)?(?:system(?: information| info| specs?)?|hardware|"
    r"machine|specs?|setup|rig|test (?:system|machine|setup|rig))\s*:?\s*$",
    re.I,
)
# Hardware that runs the model: a GPU or an Apple chip, before a CPU named beside it.
_ACCELERATOR = re.compile(
    r"(?i)\b(?:rtx|gtx|quadro|titan|radeon|rx|arc|[ahlbtv]\d{2,3}|mi\d|m[1-5])"
)


def system_section_machine(lines: list[str]) -> str | None:
    """The machine a "System Information" section's plain lines name: its GPU (or Apple chip),
    else its CPU, where the lines name one of each at most; None otherwise. A section that
    names no machine says nothing either way, and the next such section is read: a README's
    "## Setup" of install steps above its "## Hardware"."""
    for start, line in enumerate(lines):
        if "#" not in line[:1] or not _SYSTEM_HEADING.match(atx_heading_text(line)):
            continue
        named: list[str] = []
        for text in lines[start + 1 :]:
            if text.startswith("#"):
                break
            if text.strip() and "|" not in text and (found := machine_from_heading(text)):
                named.append(found)
        if not named:
            continue
        gpus = [n for n in named if _ACCELERATOR.search(n)]
        if len(gpus) == 1:
            return gpus[0]
        if not gpus and len(named) == 1:
            return named[0]
        return None  # two machines named: which one ran the tables is not said
    return None


def section_machines(tables: list[tuple[MarkdownTable, pd.DataFrame]]) -> list[str | None]:
    """Per table, the machine of the hardware table of its section: the last one above it
    whose enclosing headings it stands under too (`## System 2: ...` / `### Hardware` above
    `## System 2: ...` / `### Performance Results`), None where there is none."""
    specs: list[tuple[list[str], str]] = []
    machines: list[str | None] = []
    for table, frame in tables:
        machine = None
        for headings, named in reversed(specs):
            if table.headings[: len(headings)] == headings:
                machine = named
                break
        machines.append(machine)
        if (named := spec_table_machine(frame)) is not None:
            specs.append((table.headings[:-1], named))
    return machines


def headings_model(table: MarkdownTable) -> str | None:
    """The model the innermost heading that names one names (`### Llama 2 7B Chat`)."""
    for heading in reversed(table.headings):
        if (found := model_from_title(heading) or model_from_words(heading)) is not None:
            return found
    return None


def command_device(table: MarkdownTable) -> str | None:
    """The device the command above a table ran on, `cpu` or `gpu` as a file name says it
    (`./benchmark.sh ... --device metal` and `--device cuda` are each machine's GPU)."""
    found = (m[1] for line in table.caption if (m := _DEVICE_FLAG.search(line)) is not None)
    device = next(found, "").lower()
    return "cpu" if device == "cpu" else "gpu" if device in _GPU_DEVICES else None


def numeric_cells(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """`frame` with the cells of `labels` as the numbers they state (NaN where none)."""
    out = frame.copy()
    for label in labels:
        cells = [str(c) for c in frame[label]]
        comma = any("," in c for c in cells) and decimal_commas(cells)  # "45,2", "0,83"
        numbers = [cell_number(c, comma) for c in cells]
        if all(number is None for number in numbers):
            out[label] = numbers  # no figure at all: a column of None, as pandas reads it
        else:  # floats, NaN where none (as pandas would infer, without its pass over them)
            out[label] = np.array(numbers, dtype=float)
    return out


# --- Go benchmark output --------------------------------------------------------------------

_GO_LINE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$")
_GO_PAIR = re.compile(r"([-+]?\d[\d.]*(?:[eE][-+]?\d+)?)\s+(\S+)")
_GO_UNITS = {"ns/op": "latency_ns", "gen_tokens": "eval_count"}
_GO_SKIP = frozenset({"MB/s", "B/op", "allocs/op"})


def go_benchmark_frame(lines: list[str]) -> pd.DataFrame | None:
    """Go `testing` benchmark lines as records; None when the text has none."""
    header: dict[str, str] = {}
    records = []
    for line in lines:
        stripped = line.strip()
        if m := re.match(r"^(goos|goarch|pkg|cpu):\s*(.+)$", stripped):
            header[m.group(1)] = m.group(2).strip()
            continue
        m = _GO_LINE.match(stripped)
        if m is None:
            continue
        name = m.group(1)
        row: dict[str, object] = {}
        for value, unit in _GO_PAIR.findall(m.group(3)):
            if unit in _GO_SKIP:
                continue
            row[_GO_UNITS.get(unit, unit)] = float(value)
        parts = name.split("/")
        models = [p for p in parts[1:] if ":" in p]
        rest = [p for p in parts[1:] if ":" not in p and p.lower() not in ("cold", "warm")]
        row["model"] = models[0] if models else None
        row["workload"] = "/".join(rest) or None
        row[COLD] = any(p.lower() in ("cold", "coldstart") or "coldstart" in p.lower()
                        for p in parts)  # fmt: skip
        row["cpu"] = header.get("cpu")
        row["engine"] = "Ollama" if "ollama" in header.get("pkg", "").lower() else None
        records.append(row)
    return pd.DataFrame.from_records(records) if records else None


# --- ollama run --verbose -------------------------------------------------------------------

_GO_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|ms|µs|us|ns|m|s)")
_DURATION_MS = {"h": 3_600_000.0, "m": 60_000.0, "s": 1000.0, "ms": 1.0, "µs": 1e-3,
                "us": 1e-3, "ns": 1e-6}  # fmt: skip
_VERBOSE = re.compile(
    r"(total duration|load duration|prompt eval count|prompt eval duration|prompt eval rate|"
    r"eval count|eval duration|eval rate):\s*(\S+)"
)
_VERBOSE_COLUMNS = {
    "total duration": "total_duration_ms", "load duration": "load_duration_ms",
    "prompt eval count": "prompt_eval_count", "prompt eval duration": "prompt_eval_duration_ms",
    "prompt eval rate": "prompt_eval_rate", "eval count": "eval_count",
    "eval duration": "eval_duration_ms", "eval rate": "eval_rate",
}  # fmt: skip
# `ollama run`'s options come before its model (`ollama run --verbose gemma3:4b`): "--verbose"
# is no model, and a shell variable (`ollama run --verbose "$i"`) names none.
_MODEL_LINE = re.compile(
    r"(?:model(?:_name)?\s*[=:]\s*|ollama\s+run\s+(?:--?[\w-]+(?:=\S+)?\s+)*)([\w.:/][\w.:/-]*)",
    re.I,
)
# `ollama run MODEL < cover_letter_prompt.txt`: the prompt is the file's, whatever the model
# answers (its reply's first line is no prompt).
_PROMPT_FILE = re.compile(r"ollama\s+run\s+[^<|]*<\s*([\w./~-]+)", re.I)
# `ollama ps`: NAME ID SIZE PROCESSOR UNTIL, e.g. "gemma2:2b  8ccf136fdd52  3.6 GB  100% GPU  ..."
# (notes often quote it without its ID column: "qwen2.5:7b   5.2 GB   18%/82% CPU/GPU   4096")
_PS_LINE = re.compile(
    r"^\s*(\S+:\S+)\s+(?:[0-9a-f]{12}\s+)?[\d.]+\s*[KMGT]?B\s+"
    r"(\d+%(?:/\d+%)?\s+(?:CPU|GPU)(?:/GPU)?)",
    re.I,
)
_PROMPT_HEADING = re.compile(r"^#+\s*prompt\b", re.I)
# A benchmark script's "prompt = ..." / "prompt: ..." line: the prompt of the runs below it
# (five prompts of one model are five workloads, not five repetitions).
# ("Prompt: ..." is left alone: in a note it is as often a sentence as a label.)
_PROMPT_LINE = re.compile(r"^prompt\s*=\s*(.+)$", re.I)
# A local file a prompt names ("Describe the image, /home/henry/.../img/sample1.jpg"): where it
# sits differs by machine (/Users/henry.gallert/... on the Mac), the file does not.
_LOCAL_PATH = re.compile(r"(?<![\w:/.])(?:/|[A-Za-z]:\\)(?:[^\s/\\]+[/\\])+([^\s/\\]+)")


def _prompt_text(text: str) -> str:
    """A prompt as a workload: a local path it names by the file's name alone, so one prompt
    run on two machines is one workload (their runs compare)."""
    return _LOCAL_PATH.sub(r"\1", text.strip())


# A line that heads figures repeated over the runs above ("Summary for llama3:8b:"): the
# statistics under it, up to the next blank line, are not a run.
_SUMMARY_HEADING = re.compile(r"^\W*(?:summary|averages?|means?|overall|totals?|aggregate)\b", re.I)
# A figure a tool computed over the runs above it ("Average of eval rate: 66.966 tokens/s"):
# a summary, not a run.
_SUMMARY_LEAD = re.compile(r"\b(?:average|avg|mean|median|overall)(?:\s+of)?\s*$", re.I)
# A line stating the machine a capture ran on ("cpu_info: AMD Ryzen 7 PRO 4750G", "GPU: ...").
_MACHINE_LINE = re.compile(
    r"^\s*(?:[-*]\s+)?(cpu|gpu)(?:[_ ](?:info|name|model))?\s*[:=]\s*(.+)$", re.I
)
# A report's header line naming the machine it ran on, as its author labelled it ("- Machine
# label: `windows11-nvidia-32gb`", "**Machine:** Mac Studio M2 Ultra"). Not "Host:": that is
# as often the server's URL (http://localhost:11434) as a machine.
_MACHINE_LABEL = re.compile(
    r"^\s*(?:[-*]\s+)?\**(?:machine|computer|system)(?:[ _](?:label|name))?\**\s*:\**\s*`?"
    r"([^`|]+?)`?\s*$",
    re.I,
)
# What a "System:" / "Machine:" line names that is no machine: an operating system ("- **System:**
# Ubuntu 22.04.4 LTS", "System: Windows 11 Pro", as a README's environment list writes it) or
# an architecture (platform.uname()'s "Machine: x86_64"), unless it names hardware beside it.
_OS_ONLY = re.compile(
    r"(?i)^(?:ubuntu|debian|fedora|centos|rocky|almalinux|arch(?: linux)?|manjaro|pop!?_os|"
    r"linux(?: mint)?|gnu/linux|macos|mac os(?: x)?|os x|darwin|windows|wsl2?|freebsd|nixos|"
    r"opensuse|rhel|red hat)(?:\s|$)|^(?:x86[-_]64|amd64|arm64|aarch64|i[3-6]86)$"
)
_HARDWARE_WORD = re.compile(
    r"(?i)\b(?:nvidia|geforce|rtx|gtx|radeon|amd|intel|ryzen|threadripper|xeon|epyc|core|apple|"
    r"m[1-9]|mac(?:book|studio| mini| pro)?|a100|h100|l40s?|gpu|cpu)\b"
)
_NO_GPU = re.compile(r"^\s*no (?:gpu|graphics card)s? (?:detected|found)\b", re.I)
# A line that only names the model ("model_name =    mistral:7b", "Model: llama3:8b").
_STATED_MODEL = re.compile(
    # "**Model:** gemma3:latest", the colon inside the bold (ChimeraForge's agent reports)
    r"^\s*(?:[-*]\s+)?\**model(?:[_ ]name)?(?:\**\s*[=:]|\s*[=:]\**)\s*\**`?([\w.:/-]+)`?\**\s*$",
    re.I,
)
# A statistics line as `ollama run --verbose` (or a tool printing its figures) writes it.
_OUTPUT_LINE = re.compile(
    r"^\s*(?:(?:average|avg|mean|median)\s+(?:of\s+)?)?(?:total duration|load duration|"
    r"prompt eval count|prompt eval duration|prompt eval rate|eval count|eval duration|"
    r"eval rate)\s*:",
    re.I,
)


def stated_machine(lines: list[str]) -> str | None:
    """The machine a report's header names ("- Machine label: `apple-m4-24gb`"), else None:
    the first such line, read only if it names something (not "unknown", not a URL, not an
    operating system or architecture alone: "System: Ubuntu 22.04.4 LTS", "Machine: x86_64")."""
    for line in lines:
        if (found := _MACHINE_LABEL.match(line)) is not None:
            label = found.group(1).strip()
            if "://" in label or not re.search(r"[a-z]{2}", label, re.I):
                return None
            if _OS_ONLY.search(label) and not _HARDWARE_WORD.search(label):
                return None  # "System: Ubuntu 22.04.4 LTS" names the OS, not the machine
            return None if label.lower() in {"unknown", "n/a", "none", "-", "local"} else label
    return None


def stated_model(line: str) -> str | None:
    """The model a line names and says nothing else ("model_name = mistral:7b"), else None:
    it sets the model of what follows, as a heading does."""
    if not _may_name_model(line):
        return None
    found = _STATED_MODEL.match(line)
    return found.group(1) if found else None


def output_line(line: str) -> bool:
    """Whether a line is a benchmark's printed figure (`eval rate: 67.11 tokens/s`, a
    serving benchmark's `Mean TTFT (ms): 2111.51`): data, not a sentence of a note."""
    return bool(_may_state_verbose(line) and _OUTPUT_LINE.match(line)) or bool(
        ":" in line and _SERVING_FIGURE.match(line.strip()) and _serving_key(line) is not None
    )


def _may_name_model(line: str) -> bool:
    """False where `_MODEL_LINE` cannot match: it needs "model" or "ollama" in any case (no
    letter of them matches another character case-insensitively), and most lines of a
    note are prose naming neither; a substring test is cheaper than the search."""
    lower = line.lower()
    return "model" in lower or "ollama" in lower


def _may_state_verbose(line: str) -> bool:
    """False where `_VERBOSE` cannot match: each of its keys ends so, before a colon."""
    return "duration:" in line or "count:" in line or "rate:" in line


def go_duration_ms(text: str) -> float | None:
    """`42m41.59s` -> 2561590.0; `512.3ms` -> 512.3; None when it is not a Go duration."""
    parts = _GO_DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(n) * _DURATION_MS[u] for n, u in parts)


def verbose_frame(lines: list[str]) -> pd.DataFrame | None:
    """`ollama run --verbose` statistics blocks as records; None when the text has none.

    A record is one run: it ends where the next starts (a `total duration`, a statistic it
    already holds: a second `eval rate` is a second run) and where the model or prompt named
    above changes. A figure computed over runs ("Average of eval rate") is not a run. A
    heading naming one machine ("## MacBook Pro M3 Max") names the machine of the runs below,
    one naming a model ("## llama3.2:3b") their model. An `ollama ps` line places the runs of
    the model it lists (its PROCESSOR, a `placement` column), before or after them."""
    records: list[dict[str, object]] = []
    current: dict[str, object] = {}
    model = prompt = placement = placed = gpu = cpu = None
    ps_lines: dict[str, set[str]] = {}  # model -> the PROCESSOR cells `ollama ps` gave it
    no_gpu = any(_NO_GPU.match(line) for line in lines if "no " in line.lower())
    after_heading = in_summary = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            in_summary = False
        elif (
            (stripped.endswith(":") or stripped.startswith("#"))  # a heading, not a sentence
            and _SUMMARY_HEADING.match(stripped)
            and not _VERBOSE.search(stripped)
        ):
            in_summary = True
            continue
        if stripped.startswith("#") and _PROMPT_HEADING.match(stripped):
            # "#### PROMPT 1: ollama run gemma3:4b < cover_letter_prompt.txt" names the model
            # and the prompt itself; a bare "## Prompt" heads the prompt's text below it.
            if (m := _MODEL_LINE.search(stripped)) is not None:
                model = m.group(1)
            if (named_file := _PROMPT_FILE.search(stripped)) is not None:
                prompt = _prompt_text(named_file.group(1))
            after_heading = named_file is None
            continue
        if stripped.startswith("#") and (named := machine_from_heading(atx_heading_text(stripped))):
            gpu = named  # "## RTX 4090 desktop": the runs below it ran there
        if stripped.startswith("#") and (titled := model_from_title(atx_heading_text(stripped))):
            model = titled  # "## llama3.2:3b": the runs below it are that model's
        if after_heading and stripped and not stripped.startswith("```"):
            prompt, after_heading = _prompt_text(stripped), False
        elif stripped.startswith(">>> ") and not stripped.startswith(">>> /"):
            prompt = _prompt_text(stripped[4:]) or prompt
        elif stripped[:6].lower() == "prompt" and (m := _PROMPT_LINE.match(stripped)):
            prompt = _prompt_text(m.group(1)) or prompt  # "prompt = Write a step-by-step ..."
        # Each search only where a substring test says it may match (`_PS_LINE` needs a ":").
        if ":" in line and (m := _PS_LINE.match(line)):
            model, placement = m.group(1), " ".join(m.group(2).split())
            placed = model
            ps_lines.setdefault(model, set()).add(placement)
        elif _may_name_model(line) and (m := _MODEL_LINE.search(line)) and "duration" not in line:
            model = m.group(1)
            if (named_file := _PROMPT_FILE.search(line)) is not None:
                prompt = _prompt_text(named_file.group(1))
        if ("pu" in line or "PU" in line) and (m := _MACHINE_LINE.match(line)):
            if m.group(1).lower() == "cpu":
                cpu = m.group(2).strip()
            elif not no_gpu:  # "No GPU detected": the GPU named is not what ran the model
                gpu = m.group(2).strip()
        if in_summary or not _may_state_verbose(line):
            continue
        for found in _VERBOSE.finditer(line):
            key, raw = found.groups()
            if _SUMMARY_LEAD.search(line, 0, found.start()):
                continue  # "Average of eval rate: ...": computed over the runs above
            column = _VERBOSE_COLUMNS[key]
            if current and (
                key == "total duration"
                or column in current
                or (current["model"], current["prompt"]) != (model, prompt)
            ):
                records.append(current)
                current = {}
            value = go_duration_ms(raw) if key.endswith("duration") else cell_number(raw)
            current.setdefault("model", model)
            current.setdefault("prompt", prompt)
            current.setdefault("engine", "Ollama")  # the statistics `ollama run --verbose` prints
            if placement and model == placed:  # `ollama ps` placed this model, not another
                current.setdefault("placement", placement)
            if gpu:
                current.setdefault("gpu", gpu)
            if cpu:
                current.setdefault("cpu", cpu)
            current[column] = value
    if current:
        records.append(current)
    records = [r for r in records if any(c in r for c in _VERBOSE_COLUMNS.values())]
    for record in records:
        # `ollama ps` run after the model's runs (the usual order: run, then look): where it
        # gave the model one placement, that is where its runs sat
        shown = ps_lines.get(str(record.get("model")), set())
        if "placement" not in record and len(shown) == 1:
            record["placement"] = next(iter(shown))
    return pd.DataFrame.from_records(records) if records else None


# --- llama-server timings -------------------------------------------------------------------

_TIMING = re.compile(
    r"print_timing:.*?\|\s*task\s+(\d+)\s*\|\s*(prompt eval|eval|total) time\s*=\s*"
    r"([\d.]+)\s*ms\s*/\s*(\d+)\s*tokens(?:.*?([\d.]+)\s*tokens per second)?"
)
# The task a timing block is of, where the timings follow on lines of their own (llama-server
# since 2024: "slot print_timing: id  0 | task 0 | " then "prompt eval time = ...").
_TASK = re.compile(r"print_timing:.*?\|\s*task\s+(\d+)\s*\|\s*$")
# One timing, wherever it stands: "prompt eval time =  109.44 ms /  13 tokens (... 118.78 tokens
# per second)", llama-cli's "eval time = 636.73 ms / 63 runs (...)".
_TIMING_PART = re.compile(
    r"\b(prompt eval|eval|total) time\s*=\s*([\d.]+)\s*ms(?:\s*/\s*(\d+)\s*(?:tokens|runs))?"
    r"(?:[^,\n]*,\s*([\d.]+)\s*tokens per second)?"
)
# llama-cli's and llama-perplexity's timings at exit (`llama_print_timings:` in older builds).
_PERF = re.compile(r"\b(?:llama_perf_context_print|llama_print_timings)\s*:")
_GGUF_LOADED = re.compile(r"(?:loading model '|-m\s+|--model\s+)([^'\s]+\.gguf)", re.I)
_GPU_NAMED = re.compile(r'description="([^"]+)"|Device \d+: ([^,]+),|using device \w+ \(([^)]+)\)')
_PREFIX = {"prompt eval": "prompt_eval", "eval": "eval", "total": "total"}
_TOOL = re.compile(r"(?:^|[\s/])(llama-(?:cli|perplexity|simple|run|gen\w*|speculative\w*))\b")


def _put_timing(row: dict[str, object], part: re.Match[str]) -> None:
    """One timing line's figures into its task's record; an empty phase (0 ms: perplexity
    evaluates no generated token) is no figure."""
    kind, ms, tokens, rate = part.groups()
    if kind != "total" and float(ms) == 0:
        return
    prefix = _PREFIX[kind]
    row[f"{prefix}_duration_ms"] = float(ms)
    if kind != "total" and tokens is not None:
        row[f"{prefix}_count"] = float(tokens)
        if rate is not None:
            row[f"{prefix}_rate"] = float(rate)


def llama_server_frame(lines: list[str]) -> pd.DataFrame | None:
    """llama-server's per-task timings (on the task's line, or on the lines after it) and
    llama-cli's or llama-perplexity's timings at exit (one record per run: a run's block
    starts at its `load time` line) as records; None when the log has none."""
    tasks: dict[str, dict[str, object]] = {}
    model = machine = None
    ollama = False
    pending: str | None = None  # the task whose timings follow on the next lines
    runs = 0
    tool = latest = None  # the llama.cpp tool and the GGUF the last command line ran
    for line in lines:
        ollama = ollama or "ollama serve" in line or "source=routes.go" in line
        if (m := _GGUF_LOADED.search(line)) is not None:
            latest = gguf_model(m.group(1))
            model = model or latest
        if (m := _TOOL.search(line)) is not None:
            tool = m.group(1)
        if machine is None and (m := _GPU_NAMED.search(line)):
            machine = (m.group(1) or m.group(2) or m.group(3)).strip()
        elif machine is None and (listed := _DEVICE_INFO.match(line)):
            machine = listed.group(2).strip()
        if (m := _TIMING.search(line)) is not None:
            task, kind, ms, tokens, rate = m.groups()
            row = tasks.setdefault(task, {})
            prefix = _PREFIX[kind]
            row[f"{prefix}_duration_ms"] = float(ms)
            if kind != "total":
                row[f"{prefix}_count"] = float(tokens)
                if rate is not None:
                    row[f"{prefix}_rate"] = float(rate)
            continue
        if (m := _TASK.search(line)) is not None:
            pending = m.group(1)
            continue
        if _PERF.search(line):
            if "load time" in line:
                runs += 1
            elif (part := _TIMING_PART.search(line)) is not None:
                # a run of llama-cli and one of llama-perplexity are two workloads
                run = {"model": latest, "workload": tool}
                _put_timing(tasks.setdefault(f"run {max(runs, 1)}", run), part)
            continue
        # a block cut out of its `print_timing` line (a log grepped for its timings, or
        # pasted): "prompt eval time = ..." starts one more task's timings
        if (
            pending is None
            and line.lstrip().startswith("prompt eval time")
            and _TIMING_PART.match(line.strip()) is not None
        ):
            pending = f"block {len(tasks) + 1}"
        if pending is not None:
            part = _TIMING_PART.match(line.strip())
            if part is not None:
                _put_timing(tasks.setdefault(pending, {}), part)
                if part.group(1) == "total":
                    pending = None
            elif line.strip():
                pending = None
    if not tasks:
        return None
    frame = pd.DataFrame.from_records(list(tasks.values()))
    if ollama:
        frame["model"] = None  # Ollama's log names a blob, not the model
    elif "model" in frame:
        frame["model"] = frame["model"].where(frame["model"].notna(), model)
    else:
        frame["model"] = model
    frame["gpu"] = machine
    frame["engine"] = "Ollama" if ollama else "llama.cpp"
    return frame


# --- llama-bench -o sql ----------------------------------------------------------------------

# llama-bench's `-o sql`: a CREATE TABLE, then one `INSERT INTO test (<fields>) VALUES
# (<values>);` a test, every value a quoted string.
_SQL_INSERT = re.compile(r"^\s*INSERT INTO\s+\w+\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)\s*;?\s*$", re.I)
_SQL_VALUE = re.compile(r"\s*('(?:[^']|'')*'|[^,]+?)\s*(?:,|$)")


def _sql_values(text: str) -> list[object]:
    values: list[object] = []
    for found in _SQL_VALUE.finditer(text):
        if not found.group(0).strip() and found.end() == len(text):
            break
        cell = found.group(1)
        if cell.startswith("'"):
            values.append(cell[1:-1].replace("''", "'"))
        else:
            values.append(None if cell.upper() == "NULL" else cell)
    return values


def sql_insert_frame(lines: list[str]) -> pd.DataFrame | None:
    """The rows of a SQL dump's INSERT statements (llama-bench's `-o sql`) as text cells;
    None when the text has none, or its statements disagree on the fields."""
    records: list[dict[str, object]] = []
    fields: list[str] | None = None
    for line in lines:
        found = _SQL_INSERT.match(line)
        if found is None:
            continue
        names = [n.strip() for n in found.group(1).split(",")]
        values = _sql_values(found.group(2))
        if len(values) != len(names) or (fields is not None and names != fields):
            return None
        fields = names
        records.append(dict(zip(names, values, strict=True)))
    return pd.DataFrame.from_records(records, columns=fields) if records else None


# --- a harness's console tables -------------------------------------------------------------

# A header of names set apart by two or more spaces (" conc  wall_s  TG tok/s tot  TG/s req"),
# then rows of as many numbers, one per column.
_GAP = re.compile(r"\s{2,}")
_ROW_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_BANNER = re.compile(r"^\s*(#{3,}|={3,})\s*([^#=\s].*?)\s*\1\s*$")  # "######## ROCm 7.2.3 ########"
_RULE_LINE = re.compile(r"^\s*(?:={3,}|-{3,}|#{3,})\s*$")
_RATE_NAME = re.compile(r"tok(?:en)?s?/s|\bt/s\b|/s\b", re.I)
_PROMPT_WORDS = re.compile(r"\b(?:pp|prefill|prompt|embed\w*|input)\b", re.I)
_GEN_WORDS = re.compile(r"\b(?:tg|decode|decoding|generation|gen|output)\b", re.I)
_PER_REQUEST = re.compile(r"\b(?:req|request|per[ _-]?req\w*|user)\b", re.I)
_REQUEST_RATE = re.compile(r"^(?:req|requests?)/s$", re.I)
_CONCURRENCY = frozenset({"conc", "concurrency", "clients", "users", "parallel", "c"})


def _console_header(line: str) -> list[str] | None:
    """A console table's column names, else None (a sentence, a row of numbers)."""
    names = _GAP.split(line.strip())
    if len(names) < 3 or any(_ROW_NUMBER.match(n) for n in names):
        return None
    if not any(_RATE_NAME.search(n) for n in names):
        return None  # a table of no rate is no benchmark result this reader knows
    return names


def _console_row(line: str, width: int) -> list[float] | None:
    cells = line.split()
    if len(cells) != width or not all(_ROW_NUMBER.match(c) for c in cells):
        return None
    return [float(c.replace(",", "")) for c in cells]


def _rate_column(name: str, title: str) -> str | None:
    """The metric of a console table's rate column: the rate of all concurrent requests
    together ("PP tok/s tot"); a per-request rate ("TG/s req") is not read, being another
    quantity under the same unit. Its phase comes from its own words, else the title's."""
    if _REQUEST_RATE.match(name.strip()):
        return "requests_per_s"
    if not _RATE_NAME.search(name) or _PER_REQUEST.search(name.replace("/", " ")):
        return None
    for words in (name, title):
        prompt, gen = _PROMPT_WORDS.search(words), _GEN_WORDS.search(words)
        if prompt and not gen:
            return "prompt_tokens_per_s"
        if gen and not prompt:
            return "tokens_per_s"
    return None


def console_frame(lines: list[str]) -> pd.DataFrame | None:
    """A bench harness's console tables (a header of names two spaces apart, rows of
    numbers) as records; None when the text has none. Each row is one measurement: its
    concurrency column a setting, the rate of all requests read as a rate of its phase
    (prompt or generation, by the column's words or the title's), a per-request rate
    not read. The title above the table (between rule lines) is the workload; the file's
    first banner ("######## ROCm 7.2.3 (...) ########") names the run, and a banner above
    the table ("==== KV = q8_0 ====") its section: both settings, and the engine where the
    run names one."""
    records: list[dict[str, object]] = []
    run = section = title = None
    engine = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if (banner := _BANNER.match(line)) is not None:
            text = banner.group(2)
            if run is None and not records and banner.group(1).startswith("#"):
                run, engine = text, engine_name(text)
            elif banner.group(1).startswith("="):
                section = text
            i += 1
            continue
        if line.strip() and not _RULE_LINE.match(line):
            header = _console_header(line)
            if header is None:
                title = line.strip()
                i += 1
                continue
            i += 1
            while i < len(lines) and (row := _console_row(lines[i], len(header))) is not None:
                record: dict[str, object] = {
                    "workload": _GAP.sub(" ", title) if title else None,
                    "run": run, "section": section, "engine": engine,
                }  # fmt: skip
                for name, value in zip(header, row, strict=True):
                    if name.lower() in _CONCURRENCY:
                        record["concurrency"] = int(value) if value.is_integer() else value
                    elif (metric := _rate_column(name, title or "")) is not None:
                        record.setdefault(metric, value)
                records.append(record)
                i += 1
            continue
        i += 1
    rated = [r for r in records if any(k.endswith("_per_s") for k in r)]
    if not rated:
        return None
    frame = pd.DataFrame.from_records(rated)
    return frame.dropna(axis=1, how="all")


# --- trtllm-bench reports ---------------------------------------------------------------------

# "= PERFORMANCE OVERVIEW" between two rules of "=": a section of trtllm-bench's report.
_TRT_SECTION = re.compile(r"^=\s+([A-Z][A-Z0-9 +/_-]*?)\s*$")
_TRT_FIGURE = re.compile(r"^(\[[A-Za-z]+\]\s*)?([A-Za-z][^:]*?)\s*:\s*(\S+)\s*$")
# Its figures by the key vLLM's saved bench JSON gives the same figure (read as that is).
_TRT_KEYS = {
    "request throughput (req/sec)": "request_throughput",
    "total output throughput (tokens/sec)": "output_throughput",
    # 0.16's name of the same rate: output tokens over the whole benchmark's time
    "token throughput (tokens/sec)": "output_throughput",
    "average request latency (ms)": "mean_e2el_ms",
    "average time-to-first-token [ttft] (ms)": "mean_ttft_ms",
    "average time-per-output-token [tpot] (ms)": "mean_tpot_ms",
    "number of requests": "num_prompts",
    "tp size": "tensor_parallel_size",
    "model": "model",
    # ENGINE DETAILS' weights and KV cache types (FP8, NVFP4): settings of the run, so an FP8
    # engine and an unquantised one are two setups, not repetitions of one
    "quantization": "quantization",
    "kv cache dtype": "kv_cache_dtype",
}  # fmt: skip
# `[TPOT] P50    : 7.6079`: a per-request statistic of the breakdown under the overview.
_TRT_STAT = {"p50": "median", "p99": "p99", "p95": "p95", "p90": "p90"}
_TRT_METRIC = {"tpot": "tpot_ms", "ttft": "ttft_ms", "latency": "e2el_ms"}


def trtllm_bench_frame(lines: list[str]) -> pd.DataFrame | None:
    """trtllm-bench's reports (`= PERFORMANCE OVERVIEW` under `= REQUEST DETAILS`, `= WORLD
    + RUNTIME INFORMATION`, ...) as records, one run each: its request throughput, output
    throughput and mean (and the breakdown's P50/P99) request latency, TTFT and TPOT; the
    model, TP size, quantization and KV cache dtype (`None` left unstated) and the average
    input and output lengths (the workload) of the sections
    above it, or of the overview itself (0.16, whose output rate is `Token Throughput`).
    Total Latency is the whole benchmark's time, not a request's: left out. None when the
    text has none."""
    if not any("PERFORMANCE OVERVIEW" in line for line in lines):
        return None
    records: list[dict[str, object]] = []
    context: dict[str, object] = {}
    lengths: dict[str, str] = {}
    current: dict[str, object] | None = None
    for line in lines:
        stripped = line.strip()
        if (m := _TRT_SECTION.match(stripped)) is not None:
            section = m.group(1)
            if section == "PERFORMANCE OVERVIEW":
                current = {**context, "engine": "TensorRT-LLM"}
                if len(lengths) == 2:
                    current["workload"] = f"input {lengths['input']} / output {lengths['output']}"
                records.append(current)
            elif current is not None:  # the next run's details: a new context
                current, context, lengths = None, {}, {}
            continue
        if (m := _TRT_FIGURE.match(stripped)) is None:
            continue
        tag, name, value = (m.group(1) or "").strip(" []").lower(), m.group(2).lower(), m.group(3)
        if current is not None and tag in _TRT_METRIC and name in _TRT_STAT:
            current[f"{_TRT_STAT[name]}_{_TRT_METRIC[tag]}"] = value
            continue
        key = _TRT_KEYS.get(name)
        if name.startswith("average ") and name.endswith("length (tokens)"):
            lengths[name.split()[1]] = _whole(value)
            if current is not None and len(lengths) == 2:  # 0.16 prints them in the overview
                current["workload"] = f"input {lengths['input']} / output {lengths['output']}"
        elif key is not None and value.lower() != "none":
            (current if current is not None and key not in ("model",) else context)[key] = value
    return pd.DataFrame.from_records(records) if records else None


# --- mlx_lm.generate --verbose ------------------------------------------------------------

# `Prompt: 57 tokens, 462.485 tokens-per-sec` and `Generation: 200 tokens, 43.154
# tokens-per-sec` (mlx-lm; older versions and mlx-vlm print the rate alone, `tok/s` too).
_MLX_LINE = re.compile(
    r"^\s*(prompt|generation):\s*(?:(\d+)\s*tokens?,\s*)?([\d.]+)\s*"
    r"(?:tokens-per-sec|tokens?/s(?:ec)?|tok/s)\s*$",
    re.I,
)
_MLX_MODEL = re.compile(
    r"(?:mlx_lm[. ](?:generate|benchmark)|mlx_lm\.server|-m\s+mlx_lm\b).*?--model[= ](\S+)"
)


def mlx_generate_frame(lines: list[str]) -> pd.DataFrame | None:
    """`mlx_lm.generate --verbose` statistics as records (one a `Generation:` line, with the
    `Prompt:` line before it); the model from the command line above (`--model X`); None
    when the text has none. The format is mlx-lm's, so the engine is MLX."""
    records: list[dict[str, object]] = []
    model: str | None = None
    prompt: dict[str, object] = {}
    for line in lines:
        if (m := _MLX_MODEL.search(line)) is not None:
            model = m.group(1).strip("'\"`")
            continue
        if (m := _MLX_LINE.match(line)) is None:
            continue
        kind, tokens, rate = m.group(1).lower(), m.group(2), float(m.group(3))
        if kind == "prompt":
            prompt = {"prompt_tps": rate, "prompt_tokens": float(tokens) if tokens else None}
            continue
        record: dict[str, object] = {**prompt, "generation_tps": rate, "model": model}
        record["generated_tokens"] = float(tokens) if tokens else None
        records.append(record)
        prompt = {}
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    frame["engine"] = "MLX"
    return frame


# --- mlx_lm.benchmark ---------------------------------------------------------------------

# `Timing with prompt_tokens=512, generation_tokens=128, batch_size=1.` then one line a trial,
# `Trial 1:  prompt_tps=133.651, generation_tps=25.547, peak_memory=8.976, total_time=8.984`
# (older versions end at peak_memory), then `Averages: ...`, the trials' mean.
_MLX_BENCH_TIMING = re.compile(
    r"Timing with prompt_tokens=(\d+),\s*generation_tokens=(\d+)(?:,\s*batch_size=(\d+))?"
)
_MLX_BENCH_TRIAL = re.compile(
    r"^\s*Trial\s+\d+:\s*prompt_tps=([\d.]+),\s*generation_tps=([\d.]+)"
    r"(?:,\s*peak_memory=([\d.]+))?"
)


def mlx_benchmark_frame(lines: list[str]) -> pd.DataFrame | None:
    """`mlx_lm.benchmark`'s trials as records (prompt and generation rates, peak memory in
    GB), the prompt and generation token counts of the `Timing with ...` line above as the
    workload, a batch of more than one sequence as the concurrency and the model from a
    `--model X` command line;
    the `Averages:` line, the trials' mean, is not read again. None when the text has none.
    The tool is mlx-lm's, so the engine is MLX."""
    records: list[dict[str, object]] = []
    model: str | None = None
    timing: dict[str, object] = {}
    for line in lines:
        if "mlx_lm" in line and (m := _MLX_MODEL.search(line)) is not None:
            model = m.group(1).strip("'\"`")
            continue
        if "Timing with" in line and (m := _MLX_BENCH_TIMING.search(line)) is not None:
            timing = {"workload": f"prompt {m.group(1)} / generation {m.group(2)}"}
            if m.group(3) is not None and int(m.group(3)) > 1:
                # sequences decoded at once (batch_generate), not llama.cpp's prompt batch
                timing["parallel"] = int(m.group(3))
            continue
        if "Trial" not in line or (m := _MLX_BENCH_TRIAL.match(line)) is None:
            continue
        record: dict[str, object] = {"model": model, **timing}
        record["prompt_tps"], record["generation_tps"] = float(m.group(1)), float(m.group(2))
        if m.group(3) is not None:
            record["peak_memory_gb"] = float(m.group(3))
        records.append(record)
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    frame["engine"] = "MLX"
    return frame


# --- vLLM's offline throughput benchmark ---------------------------------------------------

# benchmark_throughput.py / `vllm bench throughput`: "Throughput: 2.76 requests/s, 1913.92 total
# tokens/s, 414.11 output tokens/s" (vLLM 0.6.2 and later); before, "Throughput: 46.82
# requests/s, 11985.79 tokens/s", whose tokens are prompt and output tokens together.
_VLLM_THROUGHPUT = re.compile(
    r"\bThroughput:\s*([\d.]+)\s*requests/s,\s*([\d.]+)\s*(?:total\s+)?tokens/s"
    r"(?:,\s*([\d.]+)\s*output\s+tokens/s)?",
    re.I,
)
# The model its command line or its printed arguments name (`Namespace(..., model='X', ...)`).
_VLLM_TP_COMMAND = re.compile(r"benchmark_throughput\.py|\bbench\s+throughput\b|Namespace\(")
_VLLM_TP_ARGS = re.compile(
    r"(?:--|\b)(model|tensor[-_]parallel[-_]size|input[-_]len|output[-_]len|num[-_]prompts)"
    r"(?:=|\s+)'?([^\s',)]+)"
)


def vllm_throughput_frame(lines: list[str]) -> pd.DataFrame | None:
    """vLLM's offline throughput benchmark as records, one a `Throughput:` line: its requests
    a second and its output tokens a second (the generation rate of the whole batch); its
    "total tokens/s" (and an older version's plain "tokens/s") count every prompt's tokens
    too, so they are not read. The model, tensor parallel size and lengths from the command
    line or printed arguments above it. None when the text has none."""
    records: list[dict[str, object]] = []
    args: dict[str, str] = {}
    for line in lines:
        if "hroughput" not in line and "Namespace(" not in line:
            continue  # cheap before the patterns: a log's many other lines
        if _VLLM_TP_COMMAND.search(line):
            args = {normalise_name(k): v for k, v in _VLLM_TP_ARGS.findall(line)}
            continue
        if (m := _VLLM_THROUGHPUT.search(line)) is None:
            continue
        record: dict[str, object] = {"requests_per_second": float(m.group(1))}
        if m.group(3) is not None:
            record["output_tokens_per_second"] = float(m.group(3))
        if "model" in args:
            record["model"] = args["model"]
        if "tensor_parallel_size" in args:
            record["tensor_parallel"] = args["tensor_parallel_size"]
        lengths = [
            f"{k}={args[k]}" for k in ("input_len", "output_len", "num_prompts") if k in args
        ]
        if lengths:
            record["workload"] = " ".join(lengths)
        records.append(record)
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    frame["engine"] = "vLLM"
    return frame


# --- llm-benchmark's stats blocks (MinhNgyuen/llm-benchmark and its forks) -------------------

# A figure line of a block, by the name the tool prints: the field its JSON would hold.
_LLM_BENCH_FIELDS = {
    "prompt processing": "prompt_tokens_per_s", "prompt eval": "prompt_tokens_per_s",
    "generation speed": "tokens_per_s", "response": "tokens_per_s",
    "input tokens": "prompt_eval_count", "prompt tokens": "prompt_eval_count",
    "generated tokens": "eval_count", "response tokens": "eval_count",
    "model load time": "load_s", "processing time": "prompt_eval_s",
    "prompt eval time": "prompt_eval_s", "generation time": "eval_s", "response time": "eval_s",
    "total time": "total_s",
}  # fmt: skip
_LLM_BENCH_LINE = re.compile(
    r"^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*([\d.]+)\s*(t/s|tokens/s(?:ec)?|s)?\s*$", re.I
)
_LLM_BENCH_MODEL = re.compile(r"^\s*Model\s*:\s*(\S+)\s*$", re.I)
_LLM_BENCH_RULE = re.compile(r"^\s*-{20,}\s*$")
# the original's block opens with the model alone on the line after the rule
_LLM_BENCH_BARE_MODEL = re.compile(r"^\s*([A-Za-z][\w./-]*(?::[\w.-]+)?)\s*$")
_LLM_BENCH_AVERAGE = re.compile(r"^\s*Average stats\s*:?\s*$", re.I)
_LLM_BENCH_MACHINE = re.compile(r"^\s*\(\s*Running on\s+([^,()]+)", re.I)


def llm_benchmark_frame(lines: list[str]) -> pd.DataFrame | None:
    """llm-benchmark's statistics blocks ("Performance Metrics: / Prompt Processing: 336.73
    tokens/sec / Generation Speed: 17.65 tokens/sec / ... / Model Load Time: 6.11s", or the
    original's "Prompt eval: 336.73 t/s / Response: 17.65 t/s / Stats: ...") as records, one
    per block under its `Model:` line; None when the text has none. Blocks after "Average
    stats:" sum their runs' tokens and times, so only their two rates are read, as means over
    the runs (under `avg_` names), and a "(Running on
    dual 3090 Ti GPU, ...)" line names their machine. Its "Combined Speed" / "Total" rate
    (prompt and generated tokens over both times) is left out. The tool drives Ollama."""
    records: list[dict[str, object]] = []
    current: dict[str, object] = {}
    model = machine = None
    average = after_rule = False
    for line in lines:
        if _LLM_BENCH_AVERAGE.match(line):
            average = True
            continue
        if (m := _LLM_BENCH_MACHINE.match(line)) is not None:
            machine = m.group(1).strip()
            continue
        if _LLM_BENCH_RULE.match(line):
            after_rule = True
            continue
        bare = _LLM_BENCH_BARE_MODEL.match(line) if after_rule else None
        if line.strip():
            after_rule = False
        if (m := _LLM_BENCH_MODEL.match(line) or bare) is not None:
            if current:
                records.append(current)
            current, model = {}, m.group(1)
            continue
        if model is None or (m := _LLM_BENCH_LINE.match(line)) is None:
            continue
        field = _LLM_BENCH_FIELDS.get(m.group(1).strip().lower())
        if field is None or (average and not field.endswith("tokens_per_s")):
            # "Average stats" sums its runs' tokens and times (an unstated number of prompts):
            # only its rates, total tokens over total time, are figures of a run's kind
            continue
        # an average over runs: its figures under `avg_` names, read as means
        current.update(model=model, gpu=machine, **{f"avg_{field}" if average else field:
                                                      float(m.group(2))})  # fmt: skip
    if current:
        records.append(current)
    records = [r for r in records if any(k.endswith(("tokens_per_s", "eval_count")) for k in r)]
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    frame["engine"] = "Ollama"
    return frame


# --- serving benchmark console results ------------------------------------------------------

_SERVING_START = re.compile(r"^=+\s*serving benchmark result\s*=+$", re.I)
_SERVING_RULE = re.compile(r"^=+$")
_SECTION_RULE = re.compile(r"^-{3,}.*-{3,}$")
_SERVING_FIGURE = re.compile(r"^([A-Za-z][\w ./()-]*?)\s*:\s*(\S+)$")
# The lines of the result block (vLLM's benchmark_serving / `vllm bench serve`, SGLang's
# bench_serving) by the key their saved JSON gives the same figure: read as that JSON is.
_SERVING_KEYS = {
    "successful requests": "completed", "failed requests": "failed",
    "benchmark duration (s)": "duration", "total input tokens": "total_input_tokens",
    "total generated tokens": "total_output_tokens",
    "request throughput (req/s)": "request_throughput",
    "request goodput (req/s)": "request_goodput",
    "output token throughput (tok/s)": "output_throughput",
    "peak output token throughput (tok/s)": "max_output_tokens_per_s",
    "total token throughput (tok/s)": "total_token_throughput",
    "input token throughput (tok/s)": "input_throughput",
    "peak concurrent requests": "max_concurrent_requests",
    "maximum request concurrency": "max_concurrency",
    "max request concurrency": "max_concurrency",
    "traffic request rate": "request_rate", "backend": "backend",
}  # fmt: skip
# "Mean TTFT (ms)", "P99 E2E Latency (ms)" -> mean_ttft_ms, p99_e2e_latency_ms
_SERVING_STAT = re.compile(r"^(mean|median|std|max|min|p\d+)\s+(.+?)\s*\((ms|s)\)$", re.I)
_SERVING_COMMAND = re.compile(r"benchmark_serving\.py|\bbench\s+serve\b|bench_serving", re.I)
_FLAG = re.compile(r"--([\w-]+)(?:=|\s+)(?!--)(\S+)")
# The command's flags that say what the benchmark sent: together, the run's workload.
_WORKLOAD_FLAG = re.compile(r"dataset|num-prompts|input-len|output-len|prefix-len|range-ratio")
_SETTING_FLAGS = {"max-concurrency": "max_concurrency", "request-rate": "request_rate"}
# `--metadata KEY=VALUE ...`: vLLM's benchmark writes each pair into its saved JSON as a key of
# its own (deployment=base gpu=4xNVIDIA_L40S): read as that JSON is, so the GPU is the machine.
_METADATA = re.compile(r"--metadata(?:=|\s+)((?:['\"]?[\w.-]+=[^\s'\"]*['\"]?\s*)+)")
_PAIR = re.compile(r"([\w.-]+)=([^\s'\"]*)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$")
# The arguments vLLM's and SGLang's serving benchmarks print before running
# ("Namespace(backend='vllm', ..., model='meta-llama/Llama-3.1-8B-Instruct', ...)"): the
# command line's flags, where the log does not hold the command itself.
_NAMESPACE_ARG = re.compile(r"(\w+)=('[^']*'|\"[^\"]*\"|[^,()\s]+)")


def _namespace_command(line: str) -> str:
    """The flags an argparse `Namespace(...)` line states, as a command line writes them (a
    value of None stated nothing)."""
    args = line[line.index("Namespace(") :]
    return " ".join(
        f"--{name} {value}"
        for name, value in _NAMESPACE_ARG.findall(args)
        if value not in ("None", "''", '""')
    )


def _serving_key(line: str) -> str | None:
    """The saved-JSON key of one line of a serving benchmark's result block, else None."""
    found = _SERVING_FIGURE.match(line.strip())
    if found is None:
        return None
    label = " ".join(found.group(1).split()).lower()
    if label in _SERVING_KEYS:
        return _SERVING_KEYS[label]
    if stat := _SERVING_STAT.match(label):
        name = normalise_name(stat.group(2))
        return f"{stat.group(1)}_{name}_{stat.group(3)}"
    return None


def _command_settings(command: str) -> dict[str, object]:
    """The model, settings and workload a serving benchmark's command line states."""
    flags = {
        name.replace("_", "-").lower(): value.strip("'\"")
        for name, value in _FLAG.findall(command)
        if not value.startswith("$")  # a shell variable: the value is not stated
    }
    out: dict[str, object] = {}
    if "model" in flags:
        out["model_id"] = flags["model"]
    if "backend" in flags:
        out["backend"] = flags["backend"]
    if "num-prompts" in flags:
        # The requests it sent, as the saved JSON's num_prompts: a block whose "Successful
        # requests" are fewer is a run where some did not complete (1633 of 2000), said so.
        out["num_prompts"] = flags["num-prompts"]
    if found := _METADATA.search(command):
        for key, value in _PAIR.findall(found.group(1)):
            out.setdefault(key, value)
    for flag, key in _SETTING_FLAGS.items():
        if flag in flags:
            out[key] = _whole(flags[flag])
    workload = [f"{n}={v}" for n, v in flags.items() if _WORKLOAD_FLAG.search(n)]
    if workload:
        out["workload"] = " ".join(workload)
    return out


def _whole(value: str) -> str:
    """A whole number as an integer's text ("10.0" -> "10"); anything else ("inf") as is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _heading_text(text: str) -> str:
    return re.sub(r"^[^\w(]+", "", _cell_text(_CLOSING_HASHES.sub("", text))).strip()


def serving_frame(lines: list[str]) -> pd.DataFrame | None:
    """Serving benchmark result blocks (`============ Serving Benchmark Result ============`
    ... `==================================================`) as records, one run each: its
    figures as the block states them (mean, median and P99 TTFT, output token throughput,
    ...), with the model, settings and workload of the command line above it and, in a note,
    the heading it stands under (`heading`: its configuration where it names one, see
    `table`). None when the text has none."""
    if not any("=" in line and _SERVING_START.match(line.strip()) for line in lines):
        return None  # most notes: one pass of a substring test instead of the loop below
    records: list[dict[str, object]] = []
    context: dict[str, object] = {}
    heading: str | None = None
    command: list[str] = []
    current: dict[str, object] | None = None
    figures: set[int] = set()  # the records a figure was read into
    in_fence = False
    for line in lines:
        stripped = line.strip()
        if current is not None:
            if (key := _serving_key(stripped)) is not None:
                current[key] = stripped.rsplit(":", 1)[1].strip()
                figures.add(id(current))
                continue
            if _SECTION_RULE.match(stripped):
                continue  # "---------------Time to First Token----------------"
            if _SERVING_FIGURE.match(stripped):
                continue  # a figure not read (SGLang's "Total generated tokens (retokenized)")
            records.append(current)  # its closing rule, or a cut-off block's next line
            current = None
            if _SERVING_RULE.match(stripped):
                continue
        if stripped.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and (m := _HEADING.match(stripped)):
            heading, context, command = _heading_text(m.group(1)) or None, {}, []
        elif _SERVING_START.match(stripped):
            current = {**context, "heading": heading} if heading else dict(context)
        elif command and command[-1].endswith("\\"):
            command.append(stripped)
            context = _command_settings(" ".join(c.rstrip("\\") for c in command))
        elif _SERVING_COMMAND.search(stripped) and "--" in stripped:
            command = [stripped]
            context = _command_settings(stripped.rstrip("\\"))
        elif "Namespace(" in stripped and not command:
            context = _command_settings(_namespace_command(stripped))
        elif (key := _serving_key(stripped)) in ("max_concurrency", "request_rate"):
            # printed before the block ("Traffic request rate: 10.0" for --request-rate 10):
            # one level, as the saved JSON's 10.0 is read, not a second one beside "10"
            context[key] = _whole(stripped.rsplit(":", 1)[1].strip())
    if current is not None:
        records.append(current)
    records = [r for r in records if id(r) in figures]
    for record in records:
        record["engine"] = record.pop("backend", None)
        if str(record.get("max_concurrency", "")).lower() == "none":
            del record["max_concurrency"]  # no limit: not a level of the setting
    return pd.DataFrame.from_records(records) if records else None


# --- GuideLLM's console tables ------------------------------------------------------------

# "ℹ Request Latency Statistics (Completed Requests)" and "ℹ Server Throughput Statistics (All
# Requests)" above a table boxed with `|===|` rules (GuideLLM 0.4 and later).
_GUIDELLM_TITLE = re.compile(
    r"\b(Request Latency Statistics|Server Throughput Statistics)\s*\((?:Completed|All) Requests\)"
)
_GUIDELLM_MODEL = re.compile(r"(?:backend validated with model|Using model)\s+'?([^\s']+)'?")
# A sweep driver's banner naming the run it starts: "[2/5]  Qwen_Qwen3-30B-A3B_tp4_quant-fp8".
_GUIDELLM_RUN = re.compile(r"^\s*\[\d+/\d+\]\s+(\S+)\s*$")
# (metric, its unit or kind) as the first two header rows write them -> the key read as a
# metric: a request's latency in s, its TTFT, ITL and TPOT in ms, the requests and output
# tokens a second of the whole run. Input and total tokens a second, and the concurrency the
# server saw, are not read.
_GUIDELLM_COLUMNS = {
    ("request latency", "sec"): "latency_s", ("ttft", "ms"): "ttft_ms",
    ("itl", "ms"): "itl_ms", ("tpot", "ms"): "tpot_ms",
    ("requests", "per sec"): "requests_per_second",
    ("output tokens", "per sec"): "output_tokens_per_second",
}  # fmt: skip
_GUIDELLM_STATISTICS = {"mdn": "median", "mean": "mean", "p95": "p95", "p99": "p99",
                        "p90": "p90", "min": "min", "max": "max"}  # fmt: skip


def _spanned_cells(line: str) -> list[str]:
    """A boxed header row's cells, one per column: a cell followed by N empty ones ("| TTFT
    ||") spans N + 1 columns, each of which takes its name."""
    cells = [c.strip() for c in line.strip()[1:].split("|")[:-1]]
    for i in range(1, len(cells)):
        if not cells[i]:
            cells[i] = cells[i - 1]
    return cells


def guidellm_console_frame(lines: list[str]) -> pd.DataFrame | None:
    """GuideLLM's console tables as records; None when the text has none. Each data row of
    its Request Latency and Server Throughput tables is a benchmark (its strategy, e.g.
    `synchronous` or `constant@5.00`, the workload), read as the statistics GuideLLM printed
    over the benchmark's measured window (`median_ttft_ms`, `p95_latency_s`, ...: already
    aggregated, never pooled with requests). The model is the one the backend was validated
    with above the tables; a sweep driver's log of several runs names each run in a banner
    (`[2/5]  Qwen_Qwen3-30B-A3B_tp4_quant-fp8`), whose settings are the run's (`_tp4_`). A
    figure printed as 0.0 (0.04 requests a second at one decimal) is no figure."""
    if not any("Statistics (" in line for line in lines):  # cheap: most logs have none
        return None
    records: dict[tuple[int, str], dict[str, object]] = {}
    model: str | None = None
    settings: dict[str, object] = {}
    run = 0
    i = 0
    while i < len(lines):
        if (named := _GUIDELLM_MODEL.search(lines[i])) is not None:
            if named[1] != model:
                model, run = named[1], run + 1
        elif (banner := _GUIDELLM_RUN.match(lines[i])) is not None:
            settings, run = dict(settings_from_path(banner[1])), run + 1
        if _GUIDELLM_TITLE.search(lines[i]) is None:
            i += 1
            continue
        header: list[str] = []
        i += 1
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            line = lines[i].strip()
            i += 1
            if line.startswith("|="):
                header = []  # a rule: a table (or a stacked one) starts or ends
            elif line.startswith("|-"):
                continue
            elif len(header) < 3:
                header.append(line)
            else:
                cells = [c.strip() for c in line[1:].split("|")[:-1]]
                names, kinds, stats = (_spanned_cells(h) for h in header)
                if not cells or not (len(names) == len(kinds) == len(stats) == len(cells)):
                    continue
                record = records.setdefault(
                    (run, cells[0]), {"workload": cells[0], "model": model, **settings}
                )
                for name, kind, stat, cell in zip(names, kinds, stats, cells, strict=True):
                    key = _GUIDELLM_COLUMNS.get((name.lower(), kind.lower()))
                    statistic = _GUIDELLM_STATISTICS.get(stat.lower())
                    number = cell_number(cell)
                    if key is not None and statistic is not None and number:
                        record[f"{statistic}_{key}"] = number
    if not records:
        return None
    return pd.DataFrame(list(records.values()))


# --- GuideLLM 0.2 and 0.3's console tables ------------------------------------------------

# "Benchmarks Stats:" over a table of `|`-separated cells, no outer pipes, between `=` rules: a
# row of sections ("Metadata | Request Stats || Out Tok/sec| ... | TTFT (ms) |||": a section
# followed by N empty cells spans N + 1 columns), a row of statistics ("Benchmark| Per Second|
# Concurrency| mean| ...| median| p99"), a `-` rule, then a row per benchmark.
_GUIDELLM_STATS_TITLE = re.compile(r"^\s*Benchmarks Stats:?\s*$")
# (section without its unit, column) -> the key read; "" for every statistic of the section.
# GuideLLM's request latency is in seconds: 0.2 heads it "Req Latency (ms)" all the same
# (0.3 corrected the label to "(sec)"; TTFT beside it is ~58 ms where the latency is 4.09).
# Total tokens a second (prompt + output) and the concurrency the server saw are not read.
_GUIDELLM_STATS_COLUMNS = {
    ("request stats", "per second"): "requests_per_second",
    ("out tok/sec", ""): "output_tokens_per_second", ("req latency", ""): "latency_s",
    ("ttft", ""): "ttft_ms", ("itl", ""): "itl_ms", ("tpot", ""): "tpot_ms",
}  # fmt: skip
# The model GuideLLM's backend serves: "Backend openai_http connected to http://... for model
# X." as it starts, "backend_model='X'" in its Benchmarks Metadata.
_GUIDELLM_BACKEND_MODEL = re.compile(
    r"connected to \S+ for model (\S+?)\.?\s*$|backend_model='([^']+)'"
)
GUIDELLM_STATS_HEADERS = (frozenset({"Benchmark", "Per Second", "Concurrency"}),
                          frozenset({"Benchmark", "Start Time", "End Time"}))  # fmt: skip


def guidellm_stats_header(columns: list[str]) -> bool:
    """Whether a table's header is GuideLLM 0.2/0.3's Benchmarks Stats or Info row (a Markdown
    table to the eye: `|`-separated cells over a `-|-` rule), which `guidellm_stats_frame`
    reads; Info's "Duration (s)" is a benchmark's wall time, no request's."""
    names = {str(c).strip() for c in columns}
    return (
        bool(columns)
        and str(columns[0]).strip() == "Benchmark"
        and any(names >= header for header in GUIDELLM_STATS_HEADERS)
    )


def _section_spans(line: str) -> list[str]:
    """A section row's name for each column it spans."""
    cells = [c.strip() for c in line.split("|")]
    for i in range(1, len(cells)):
        if not cells[i]:
            cells[i] = cells[i - 1]
    return cells


def _backend_model(name: str) -> str:
    """A served model's name: a local path's part after its `models/` folder (`/root/.cache/
    instructlab/models/ibm-granite/granite-3.3-8b-instruct` is ibm-granite/granite-3.3-8b-
    instruct), else its last part; a hub name as it is."""
    if not name.startswith("/"):
        return name
    _, found, after = name.rpartition("/models/")
    return after if found else name.rstrip("/").rsplit("/", 1)[-1]


def guidellm_stats_frame(lines: list[str]) -> pd.DataFrame | None:
    """GuideLLM 0.2/0.3's Benchmarks Stats tables as records; None when the text has none.
    Each row is a benchmark (its strategy, `synchronous` or `constant@1.15`, the workload),
    read as the statistics GuideLLM printed over it (`mean_ttft_ms`, `p99_latency_s`, ...:
    already aggregated). The model is the one its backend served, named above the table. A
    text of several runs' tables keeps each run apart (`run`). A row of zeros (no request
    completed) holds no figure."""
    if not any("Benchmarks Stats" in line for line in lines):  # cheap: most texts have none
        return None
    records: list[dict[str, object]] = []
    model: str | None = None
    runs = 0
    i = 0
    while i < len(lines):
        if (named := _GUIDELLM_BACKEND_MODEL.search(lines[i])) is not None:
            model = _backend_model(named[1] or named[2])
        if _GUIDELLM_STATS_TITLE.match(lines[i]) is None:
            i += 1
            continue
        i += 1
        table = []
        while i < len(lines) and (lines[i].strip() == "" or lines[i].lstrip().startswith("=")):
            i += 1  # the title's blank lines and the top rule
        while i < len(lines) and "|" in lines[i]:
            table.append(lines[i])
            i += 1
        if len(table) < 4 or not set(table[2].strip()) <= set("-|"):
            continue
        sections, stats = _section_spans(table[0]), [c.strip() for c in table[1].split("|")]
        if len(sections) != len(stats):
            continue
        keys: list[str | None] = []
        for section, stat in zip(sections, stats, strict=True):
            base = re.sub(r"\s*\(.*\)\s*$", "", section).strip().lower()
            key = _GUIDELLM_STATS_COLUMNS.get((base, stat.lower())) or _GUIDELLM_STATS_COLUMNS.get(
                (base, "")
            )
            # "Per Second" (requests) is the benchmark's mean rate, as "mean" beside it is
            statistic = (
                "median"
                if stat.lower() == "median"
                else _GUIDELLM_STATISTICS.get(
                    stat.lower(), "mean" if stat.lower() == "per second" else None
                )
            )
            keys.append(f"{statistic}_{key}" if key and statistic else None)
        runs += 1
        for row in table[3:]:
            cells = [c.strip() for c in row.split("|")]
            if len(cells) != len(keys) or not cells[0]:
                continue
            record: dict[str, object] = {"workload": cells[0], "model": model, "run": runs}
            for key, cell in zip(keys, cells, strict=True):
                if key is not None and (number := cell_number(cell)):
                    record[key] = number
            if len(record) > 3:
                records.append(record)
    if not records:
        return None
    frame = pd.DataFrame(records)
    if runs == 1:
        frame = frame.drop(columns="run")
    return frame


# --- GuideLLM 0.1's console report --------------------------------------------------------

# "Performance Summary by Benchmark" above a rich box table (`┃` between header cells, `│`
# between row cells, inside the report's own boxes): a row per benchmark, each cell a figure
# with its unit ("0.10 req/sec", "10.32 sec", "1585.08 ms", "28.39 tokens/sec").
_GUIDELLM_01_TITLE = "Performance Summary by Benchmark"
_GUIDELLM_01_COLUMNS = {
    "requests per second": "requests_per_second", "request latency": "latency",
    "time to first token": "ttft", "inter token latency": "itl",
    "output token throughput": "output_tokens_per_second",
}  # fmt: skip
# The time units its cells write (rates are per second by their column).
_GUIDELLM_01_TIMES = {"sec": "s", "ms": "ms"}
_GUIDELLM_01_MODEL = re.compile(r"\bBackend\(type=[^)]*\bmodel=([^,)\s]+)")


def _box_cells(line: str, bar: str) -> list[str]:
    """A box table row's cells, the empty ones of the boxes around it left out."""
    return [c.strip(" │┃") for c in line.split(bar) if c.strip(" │┃")]


def guidellm_report_frame(lines: list[str]) -> pd.DataFrame | None:
    """GuideLLM 0.1's console report as records; None when the text has none. Each row of its
    Performance Summary by Benchmark is a benchmark (`synchronous`, `asynchronous@0.85
    req/sec`, `throughput`: the workload) with GuideLLM's means over it, each in the unit its
    cell writes. The model is the one its `Backend(...)` line names."""
    if not any(_GUIDELLM_01_TITLE in line for line in lines):  # cheap: most texts have none
        return None
    records: list[dict[str, object]] = []
    model: str | None = None
    i = 0
    while i < len(lines):
        if (named := _GUIDELLM_01_MODEL.search(lines[i])) is not None:
            model = named[1]
        if _GUIDELLM_01_TITLE not in lines[i]:
            i += 1
            continue
        i += 1
        names: list[str] = []
        while i < len(lines) and "└" not in lines[i] and "╰" not in lines[i]:
            line = lines[i]
            i += 1
            if "┃" in line and not names:
                names = [n.lower() for n in _box_cells(line, "┃")]
            elif names and "│" in line and "━" not in line:
                cells = _box_cells(line, "│")
                if len(cells) != len(names) or names[0] != "benchmark":
                    continue
                record: dict[str, object] = {"workload": cells[0], "model": model}
                for name, cell in zip(names[1:], cells[1:], strict=True):
                    key = _GUIDELLM_01_COLUMNS.get(name)
                    number = cell_number(cell.split()[0]) if cell.split() else None
                    unit = cell.split()[-1] if len(cell.split()) > 1 else ""
                    if key is None or not number:
                        continue
                    if key in ("latency", "ttft", "itl"):
                        if unit not in _GUIDELLM_01_TIMES:
                            continue
                        key = f"{key}_{_GUIDELLM_01_TIMES[unit]}"
                    record[f"mean_{key}"] = number
                if len(record) > 2:
                    records.append(record)
    return pd.DataFrame(records) if records else None
