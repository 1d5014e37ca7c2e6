"""optimum-benchmark's inference report, in any of the three forms it writes.

`benchmark_report.json` holds, per phase (`load_model`, `prefill`, `decode`, `per_token`),
blocks of `memory`, `latency` (`unit`, `values`, `count`, `mean`, `p50`, ..., `stdev`) and
`throughput` (`unit`, `value`); `benchmark_report.md` writes the same as `# decode:` /
`## latency:` headings over `| metric | value | unit |` tables, `benchmark_report.txt` as an
indented `+ decode:` / `+ mean: 1.462082 (s)` list. Read as they are, the JSON's statistics
were no metric's, and each Markdown table's rows (`| mean | 1.46 | s |`) no column a metric.

One report is one run of the benchmark (its statistics are over the scenario's iterations):
one record of its means, each phase's latency as the metric it measures of a generation
(prefill: the time to the first token; decode: the rest; per_token: between tokens; the
load a load), the decode throughput as the generation rate (the prefill's, in samples/s,
is requests, not tokens). The run's model, quantization, batch, lengths and GPUs are in the
`benchmark_config.json` beside it (its `environment.gpu` lists the machine's GPUs).
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path
from typing import Any

_PHASES = frozenset({"load_model", "prefill", "decode", "per_token"})
# phase -> the column its mean latency is read as
_LATENCY = {
    "load_model": "mean_load_ms",
    "prefill": "mean_ttft_ms",
    "decode": "mean_eval_ms",
    "per_token": "mean_itl_ms",
}
_SECONDS = {"s": 1000.0, "ms": 1.0}
_UNITS = frozenset({*_SECONDS, "tokens/s", "samples/s", "MB"})
_MB = 1024 * 1024
_HEADING = re.compile(r"^(#{1,2})\s+(\w+):\s*$")
_ROW = re.compile(r"^\|\s*(\w+)\s*\|\s*([-+\d.eE]+)\s*\|\s*([\w/%-]+)\s*\|")
_ITEM = re.compile(r"^(\t*)\+ (\w+):(?:\s+([-+\d.eE]+)(?:\s+\(([\w/%-]+)\))?)?\s*$")


def is_report(document: Any) -> bool:
    """Whether a JSON document is an optimum-benchmark report."""
    return (
        isinstance(document, dict)
        and bool(document)
        and set(document) <= _PHASES
        and any(isinstance(v, dict) and "latency" in v for v in document.values())
    )


def report_from_lines(lines: list[str]) -> dict[str, Any] | None:
    """The report a Markdown or text rendering writes, as its JSON's phases and blocks
    (statistics with their unit); None where the lines are no such report."""
    report: dict[str, dict[str, dict[str, Any]]] = {}
    phase = section = None
    for line in lines:
        if (found := _HEADING.match(line)) or (found := _ITEM.match(line)):
            depth = len(found[1]) - (1 if found.re is _HEADING else 0)
            name = found[2]
            if found.re is _ITEM and found[3] is not None:
                if phase and section:
                    block = report[phase].setdefault(section, {})
                    block[name] = float(found[3])
                    if found[4] in _UNITS:  # a statistic's unit, not the count's or stdev_'s
                        block.setdefault("unit", found[4])
                continue
            if depth == 0 and name in _PHASES:
                phase, section = name, None
                report.setdefault(phase, {})
            elif depth == 1 and phase is not None:
                section = name
            continue
        if phase and section and (row := _ROW.match(line)):
            block = report[phase].setdefault(section, {})
            block[row[1]] = float(row[2])
            if row[3] in _UNITS:
                block.setdefault("unit", row[3])
    return report if is_report(report) else None


def _config(report_path: Path) -> dict[str, Any]:
    """The `benchmark_config.json` beside a report, {} where none is (or it is unreadable)."""
    config = report_path.with_name("benchmark_config.json")
    try:
        if config.stat().st_size > _MB:
            return {}
        document = json.loads(config.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _machine(environment: dict[str, Any]) -> str | None:
    """The machine its GPUs name: `4x NVIDIA A100-SXM4-80GB` (a display adapter left out)."""
    gpus = [
        g for g in environment.get("gpu") or [] if isinstance(g, str) and "display" not in g.lower()
    ]
    if not gpus:
        return None
    (name, count), *others = collections.Counter(gpus).most_common()
    if others:
        return " + ".join(sorted(set(gpus)))
    return f"{count}x {name}" if count > 1 else name


def report_record(report: dict[str, Any], report_path: Path) -> dict[str, Any]:
    """One record of a report's means, with what its config beside it says of the run."""
    record: dict[str, Any] = {}
    for phase, column in _LATENCY.items():
        latency = (report.get(phase) or {}).get("latency") or {}
        factor = _SECONDS.get(str(latency.get("unit")))
        if factor is not None and isinstance(latency.get("mean"), int | float):
            record[column] = latency["mean"] * factor
    throughput = (report.get("decode") or {}).get("throughput") or {}
    rate = throughput.get("value", throughput.get("throughput"))
    if str(throughput.get("unit")) == "tokens/s" and isinstance(rate, int | float):
        record["mean_tokens_per_s"] = rate
    count = ((report.get("decode") or {}).get("latency") or {}).get("count")
    if isinstance(count, int | float) and count >= 1:
        record["runs"] = int(count)
    config = _config(report_path)
    backend = config.get("backend") if isinstance(config.get("backend"), dict) else {}
    scenario = config.get("scenario") if isinstance(config.get("scenario"), dict) else {}
    environment = config.get("environment") if isinstance(config.get("environment"), dict) else {}
    if isinstance(backend.get("model"), str):
        record["model"] = backend["model"]
    if backend:
        scheme = backend.get("quantization_scheme")
        record["quantization"] = scheme or backend.get("torch_dtype") or "none"
        record["engine"] = str(backend.get("library") or backend.get("name") or "")
    shapes = scenario.get("input_shapes") if isinstance(scenario.get("input_shapes"), dict) else {}
    generate = (
        scenario.get("generate_kwargs") if isinstance(scenario.get("generate_kwargs"), dict) else {}
    )
    if isinstance(shapes.get("batch_size"), int):
        record["num_batch"] = shapes["batch_size"]
    if isinstance(shapes.get("sequence_length"), int):
        record["workload"] = f"{shapes['sequence_length']}-token prompt"
    if isinstance(generate.get("max_new_tokens"), int):
        record["num_predict"] = generate["max_new_tokens"]
    if (machine := _machine(environment)) is not None:
        record["gpu"] = machine
    return record
