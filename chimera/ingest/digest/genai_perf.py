"""NVIDIA GenAI-Perf's and AIPerf's profile export (`profile_export_genai_perf.json`,
`profile_export_aiperf.json`): one run's statistics, as its own record.

The export holds one block per metric, `{"unit": "ms", "avg": ..., "p50": ..., "p99": ...,
"min": ..., "max": ..., "std": ...}` (`request_throughput` and `output_token_throughput` only
an `avg`), beside `input_config`, the run's command (the model under `model_names` or
`endpoint.model_names`; the concurrency or request rate under `perf_analyzer.stimulus` or
`loadgen`), and AIPerf's `telemetry_data` (each GPU's `gpu_name`, as DCGM names it). Read
as JSON, none of the blocks' keys named a metric (`avg` of what?) and the file gave no row.

The run is one record, by the names vLLM's `bench serve` gives the same figures: the time to
the first token (`mean_ttft_ms`, `median_ttft_ms` from p50, `p99_ttft_ms`, ...), the time
between tokens (`..._itl_ms`), the request latency (`..._e2el_ms`), the output tokens a
second over the run (`output_throughput`), requests a second; the requests it counted
(`request_count`) as completed, its failed ones (`error_request_count`) as failures. The
client's `endpoint.backend` (GenAI-Perf's default "tensorrtllm", written even where it spoke
to any OpenAI server) is no engine, and is not read. The synthetic prompts' asked mean
lengths are the run's workload ("input 200 / output 300"). Where AIPerf counted a reasoning
model's reasoning tokens (`reasoning_token_count`), its output throughput and TTFT count
them: its workload says so ("..., output tokens counting the reasoning tokens", never one
setup with GenAI-Perf's runs, whose figures of the same server count the answer only), and
so does a unit note (`reasoning_notes`, quoting `time_to_first_output_token`, the answer's
first token).

The CSV export beside it (`profile_export_genai_perf.csv`, `profile_export_aiperf.csv`)
writes the same blocks as rows, `Metric,avg,min,max,p99,...` then `Time To First Token
(ms),"1,146.31",...` (thousands grouped), and the single figures under `Metric,Value`
(`Output Token Throughput (per sec),261.25`): read as a table its metric names were cells,
and the file gave no row. It is the same one record (`csv_record`); it states no model or
load, which its artifact folder's name may (`<model>-openai-chat-concurrency4`).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

# metric block -> the name its statistics are kept under (`<statistic>_<name>`)
_TIMES = {
    "time_to_first_token": "ttft",
    "inter_token_latency": "itl",
    "request_latency": "e2el",
}
# statistic in the export -> its name in a summary's key
_STATISTICS = {
    "avg": "mean", "p50": "median", "p90": "p90", "p95": "p95", "p99": "p99",
    "min": "min", "max": "max", "std": "std",
}  # fmt: skip
_TO_MS = {"ms": 1.0, "s": 1000.0, "sec": 1000.0, "us": 1e-3, "ns": 1e-6}
# blocks only a GenAI-Perf / AIPerf export holds together
_SIGNATURE = ("request_throughput", "request_latency", "time_to_first_token")


def _block(document: dict[str, Any], name: str) -> dict[str, Any] | None:
    block = document.get(name)
    return block if isinstance(block, dict) and "unit" in block else None


def is_profile_export(document: Any) -> bool:
    """Whether a JSON document is a GenAI-Perf or AIPerf profile export."""
    if not isinstance(document, dict):
        return False
    blocks = [_block(document, name) for name in _SIGNATURE]
    return sum(b is not None for b in blocks) >= 2 and any(
        isinstance(b, dict) and "avg" in b for b in blocks
    )


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _dig(document: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _gpus(document: dict[str, Any]) -> list[str]:
    """AIPerf's telemetry: the name of every GPU it watched (DCGM's "NVIDIA A100-SXM4-80GB")."""
    names: list[str] = []
    endpoints = _dig(document, "telemetry_data", "endpoints")
    for endpoint in endpoints.values() if isinstance(endpoints, dict) else ():
        gpus = endpoint.get("gpus") if isinstance(endpoint, dict) else None
        for gpu in gpus.values() if isinstance(gpus, dict) else ():
            if isinstance(gpu, dict) and isinstance(gpu.get("gpu_name"), str):
                names.append(gpu["gpu_name"])
    return names


def profile_record(document: dict[str, Any]) -> dict[str, Any]:
    """The export's run as one flat record of summary keys, with its model, load and GPUs."""
    record: dict[str, Any] = {}
    for name, short in _TIMES.items():
        block = _block(document, name)
        factor = _TO_MS.get(str(block.get("unit")).lower()) if block else None
        if block is None or factor is None:
            continue
        for statistic, prefix in _STATISTICS.items():
            if (value := _number(block.get(statistic))) is not None:
                record[f"{prefix}_{short}_ms"] = value * factor
    for name, key in (
        ("output_token_throughput", "output_throughput"),
        ("request_throughput", "request_throughput"),
        ("request_count", "completed"),
        ("output_sequence_length", "mean_output_tokens"),
        ("input_sequence_length", "mean_input_tokens"),
    ):
        block = _block(document, name)
        if block is not None and (value := _number(block.get("avg"))) is not None:
            record[key] = value
    config = document.get("input_config")
    if isinstance(config, dict):
        model = _first(config.get("model_names")) or _first(_dig(config, "endpoint", "model_names"))
        if isinstance(model, str):
            record["model"] = model
        stimulus = _dig(config, "perf_analyzer", "stimulus") or config.get("loadgen") or {}
        for key in ("concurrency", "request_rate"):
            if (value := _number(_dig(stimulus, key))) is not None:
                record[key] = value
        if (asked := _asked_requests(config)) is not None:
            # beside `request_count` (the requests its statistics are over): GenAI-Perf
            # asked 100 and counted 35 (wellflat), so its figures stand on 35
            record["num_prompts"] = asked
    # The workload: the synthetic prompts' asked lengths, and whether the figures count the
    # reasoning tokens, so that AIPerf's runs that do are never one setup's repetitions with
    # GenAI-Perf's that do not (54.6 and 12.1 tok/s of one server)
    words = []
    if isinstance(config, dict) and (asked := _asked_lengths(config)) is not None:
        words.append("input {:g} / output {:g}".format(*asked))
    if (_avg(document, "reasoning_token_count") or 0) > 0:
        words.append(f"output tokens {REASONING_COUNTED}")
    if words:
        record["dataset_name"] = ", ".join(words)
    gpus = _gpus(document)
    if gpus:
        # one GPU as DCGM names it; several alike as "4x <name>"
        alike = len(set(gpus)) == 1
        record["gpu"] = (
            gpus[0]
            if len(gpus) == 1
            else (f"{len(gpus)}x {gpus[0]}" if alike else ", ".join(sorted(set(gpus))))
        )
    return record


# The unit note of a figure that counts a reasoning model's reasoning tokens (AIPerf's output
# throughput and TTFT): other tools' (GenAI-Perf's) count the answer's tokens only.
REASONING_COUNTED = "counting the reasoning tokens"


def _avg(document: dict[str, Any], name: str) -> float | None:
    block = _block(document, name)
    return _number(block.get("avg")) if block is not None else None


def reasoning_notes(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(column, unit, reason) of each figure of an AIPerf export that counts a reasoning
    model's reasoning tokens: AIPerf counts them in its output sequence length, its output
    token throughput and its time to the first token (gpt-oss-20b: 255.7 reasoning tokens
    of 283.5 a request, the first of them at 82.8 ms; the answer's first,
    `time_to_first_output_token`, at 3668 ms). GenAI-Perf, taking the answer's content
    only, gives the same server a lower rate and a later first token: not like for like."""
    reasoning = _avg(document, "reasoning_token_count")
    if reasoning is None or reasoning <= 0:
        return []
    length = _avg(document, "output_sequence_length")
    of = f" of the {length:.1f}" if length is not None and length >= reasoning else ""
    counted = (
        f"{reasoning:.1f}{of} output tokens a request are reasoning tokens, which AIPerf counts"
    )
    notes = [("output_throughput", f"tok/s {REASONING_COUNTED}", counted)]
    first = _avg(document, "time_to_first_token")
    if first is not None:
        answer = _block(document, "time_to_first_output_token")
        factor = _TO_MS.get(str(answer.get("unit")).lower()) if answer else None
        value = _number(answer.get("avg")) if answer else None
        after = (
            f"; the answer's first token came at {value * factor:.1f} ms on average "
            "(time_to_first_output_token)"
            if value is not None and factor is not None
            else ""
        )
        notes.append(
            (
                "mean_ttft_ms",
                f"ms to the first token, {REASONING_COUNTED}",
                f"AIPerf's first token is the reasoning's first{after}",
            )
        )
    return notes


def reasoning_figures(document: dict[str, Any]) -> dict[str, float | None] | None:
    """An AIPerf export's figures of a reasoning model, where it counted reasoning tokens:
    the reasoning and output tokens a request (means), the mean time to the first token
    (the reasoning's), to the answer's first (`time_to_first_output_token`, in ms) and the
    output throughput. None where no reasoning token was counted."""
    reasoning = _avg(document, "reasoning_token_count")
    if reasoning is None or reasoning <= 0:
        return None
    answer = _block(document, "time_to_first_output_token")
    factor = _TO_MS.get(str(answer.get("unit")).lower()) if answer else None
    value = _number(answer.get("avg")) if answer else None
    first = _block(document, "time_to_first_token")
    first_factor = _TO_MS.get(str(first.get("unit")).lower()) if first else None
    first_value = _number(first.get("avg")) if first else None
    return {
        "reasoning_tokens": reasoning,
        "output_tokens": _avg(document, "output_sequence_length"),
        "first_token_ms": (
            first_value * first_factor
            if first_value is not None and first_factor is not None
            else None
        ),
        "answer_first_token_ms": value * factor if value is not None and factor else None,
        "output_throughput": _avg(document, "output_token_throughput"),
        "requests": _avg(document, "request_count"),
    }


def _asked_requests(config: dict[str, Any]) -> float | None:
    """The requests the run was set to measure: GenAI-Perf's `perf_analyzer.measurement`
    `{"mode": "request_count", "num": 100}`, AIPerf's `loadgen.request_count`; None where it
    measured a time window (`time_windows`) or asked no count."""
    measurement = _dig(config, "perf_analyzer", "measurement")
    if isinstance(measurement, dict):
        if measurement.get("mode") != "request_count":
            return None
        asked = _number(measurement.get("num"))
    else:
        asked = _number(_dig(config, "loadgen", "request_count"))
    return asked if asked is not None and asked > 0 else None


def counts_failures(document: dict[str, Any]) -> bool:
    """Whether the export counts its failed requests (AIPerf's `error_request_count`, null
    where none failed): where it does not (GenAI-Perf's), requests asked but not in
    `request_count` may have failed or been left out of the statistics, and the file does not
    say which."""
    return "error_request_count" in document


def _asked_lengths(config: dict[str, Any]) -> tuple[float, float] | None:
    """The synthetic prompts' mean input and output lengths the run asked for (GenAI-Perf's
    `input.synthetic_tokens` and `input.output_tokens`, AIPerf's `input.prompt.input_tokens`
    and `output_tokens`); None where its prompts came from a file or dataset."""
    given = config.get("input")
    if not isinstance(given, dict):
        return None
    if any(given.get(k) for k in ("file", "public_dataset", "custom_dataset_type")):
        return None
    if given.get("prompt_source", "synthetic") != "synthetic":
        return None
    prompt = given.get("prompt") if isinstance(given.get("prompt"), dict) else given
    inputs = _number(_dig(prompt, "input_tokens", "mean"))
    if inputs is None:
        inputs = _number(_dig(prompt, "synthetic_tokens", "mean"))
    outputs = _number(_dig(prompt, "output_tokens", "mean"))
    if inputs is None or outputs is None or outputs <= 0:
        return None
    return inputs, outputs


CSV_HEADER = "Metric,avg,"
# a row's metric name without its unit ("Time To First Token (ms)") -> the record's key
_CSV_TIMES = {
    "time to first token": "ttft",
    "inter token latency": "itl",
    "request latency": "e2el",
}
_CSV_VALUES = {
    "output token throughput": "output_throughput",
    "request throughput": "request_throughput",
    "request count": "completed",
}
_CSV_NAME = re.compile(r"^(?P<name>[^(]+?)\s*(?:\((?P<unit>[^)]*)\))?$")


def _csv_number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def csv_record(text: str) -> dict[str, Any] | None:
    """A GenAI-Perf / AIPerf CSV export's run as one record (None: no such export)."""
    if not text.lstrip("\ufeff").startswith(CSV_HEADER):
        return None
    record: dict[str, Any] = {}
    statistics: list[str] = []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if row[0] == "Metric":  # a block's header: its statistics, or "Value"
            statistics = [c.strip().lower() for c in row[1:]]
            continue
        found = _CSV_NAME.match(row[0].strip())
        if found is None:
            continue
        name, unit = found["name"].strip().lower(), (found["unit"] or "").strip().lower()
        if statistics == ["value"] and (key := _CSV_VALUES.get(name)) is not None:
            if len(row) > 1 and (value := _csv_number(row[1])) is not None:
                record[key] = value
            continue
        short = _CSV_TIMES.get(name)
        factor = _TO_MS.get(unit)
        if short is None or factor is None:
            continue
        for statistic, cell in zip(statistics, row[1:], strict=False):
            prefix = _STATISTICS.get(statistic)
            if prefix is not None and (value := _csv_number(cell)) is not None:
                record[f"{prefix}_{short}_ms"] = value * factor
    return record or None
