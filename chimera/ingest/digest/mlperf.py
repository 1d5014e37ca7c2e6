"""MLPerf Inference's LoadGen summary (`mlperf_log_summary.txt`): one run of one scenario.

A submission's folder is `<submitter>/results/<system>/<benchmark>/<scenario>/performance/
run_1/mlperf_log_summary.txt`, the system described in `<submitter>/systems/<system>.json`
(its accelerators, their count, the framework that served: "vLLM 0.9.0.2 ..."). The summary
writes `Key : value` lines: the scenario, the rate (`Tokens per second` offline, `Completed
tokens per second` in a server run; the generated tokens), the samples (requests) a second,
the request latency, first-token latency and time per output token in nanoseconds (mean, min,
max and `50.00 percentile ...`), whether the result is VALID, and the test's parameters.
Read as text, none of it was a format Chimera knew: every summary gave no row. The
`mlperf_log_detail.txt` beside a summary restates it (`:::MLLOG` lines) and is listed so.

One summary is one record, by the names vLLM's `bench serve` gives the same figures, times in
ms. Its machine is the accelerators its system description says the run used (RedHat's
`XE8640_4xH100_vLLM` ran on 1 of the node's 4 H100s) with the system folder's id
(`8xMI325X_2xEPYC_9575F_1` and `..._2` are two machines of one model, as the submission's
`hw_notes` say), its framework the engine; its benchmark folder the model (`llama2-70b-99`,
the model at an accuracy target) and its scenario folder the workload: an Interactive run's
summary says `Scenario : Server` (a server run under tighter latency limits), so the folder,
where it names one, is the scenario. A server run's `target_qps` is its requests' arrival
rate (a setting); an offline run's is only the throughput the submitter expected, and is not
read. A result that is not VALID is a failed row; an accuracy run (`Mode : AccuracyOnly`)
measures no performance.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from chimera.ingest.digest.identity import engine_name

MARKER = "MLPerf Results Summary"
_SCENARIOS = ("Offline", "Server", "Interactive", "SingleStream", "MultiStream")
_LINE = re.compile(r"^\s*([A-Za-z0-9][^:]*?)\s*:\s*(\S.*?)\s*$")
_PERCENTILE = re.compile(r"^(\d+(?:\.\d+)?) percentile (.+?) \(ns\)$", re.I)
# the latency a summary line names -> the metric it is kept as
_LATENCIES = {
    "latency": "e2el",
    "first token latency": "ttft",
    "time to output token": "tpot",
}
_PERCENTILES = {"50.00": "median", "90.00": "p90", "95.00": "p95", "99.00": "p99"}
_RATES = {
    "tokens per second": "output_throughput",
    "completed tokens per second": "output_throughput",
    "samples per second": "request_throughput",
    "completed samples per second": "request_throughput",
}
_MB = 1024 * 1024


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _latency(key: str) -> tuple[str, str] | None:
    """(statistic, metric) of a latency line's key ("Mean First Token latency (ns)")."""
    low = key.lower()
    if (found := _PERCENTILE.match(low)) is not None:
        statistic = _PERCENTILES.get(f"{float(found[1]):.2f}")
        metric = _LATENCIES.get(found[2])
        return (statistic, metric) if statistic and metric else None
    for statistic in ("mean", "min", "max"):
        if low.startswith(f"{statistic} ") and low.endswith(" (ns)"):
            metric = _LATENCIES.get(low[len(statistic) + 1 : -5])
            return (statistic, metric) if metric else None
    return None


def _system(path: Path, system: str) -> dict[str, Any]:
    """The submission's description of the system (`systems/<system>.json` beside `results/`)."""
    for folder in path.parents:
        if folder.name == "results":
            candidate = folder.parent / "systems" / f"{system}.json"
            try:
                if candidate.stat().st_size > _MB:
                    return {}
                document = json.loads(candidate.read_text(encoding="utf-8", errors="replace"))
            except (OSError, ValueError):
                return {}
            return document if isinstance(document, dict) else {}
    return {}


def _machine(description: dict[str, Any], system: str) -> str:
    """The machine as the system description states the accelerators the run used ("1x
    NVIDIA H100-SXM-80GB" where the folder says XE8640_4xH100: one of the node's four), with
    the system's id (two systems of one model are two machines); the id alone without one."""
    accelerator = description.get("accelerator_model_name")
    if not isinstance(accelerator, str) or not accelerator.strip():
        return system
    count = str(description.get("accelerators_per_node") or "").strip()
    used = f"{count}x {accelerator.strip()}" if count.isdigit() else accelerator.strip()
    return f"{used} [{system}]"  # brackets: a parenthesis is read as a device's detail


def summary_record(text: str, path: Path, relative: str) -> dict[str, Any] | None:
    """The summary's run as one record (None: no LoadGen summary in the text).
    `relative` is the file's path in the folder read: its parts name system, model, scenario."""
    if MARKER not in text:
        return None
    fields: dict[str, str] = {}
    record: dict[str, Any] = {}
    for line in text.splitlines():
        found = _LINE.match(line)
        if found is None:
            continue
        key, value = found[1], found[2]
        fields.setdefault(key.lower(), value)
        if (rate := _RATES.get(key.lower())) is not None:
            if (number := _number(value)) is not None:
                record.setdefault(rate, number)
        elif (latency := _latency(key)) is not None and (number := _number(value)) is not None:
            statistic, metric = latency
            record.setdefault(f"{statistic}_{metric}_ms", number / 1e6)
    if not record:
        return None
    parts = PurePosixPath(relative).parts
    scenario = next((p for p in reversed(parts[:-1]) if p in _SCENARIOS), None)
    record["scenario"] = scenario or fields.get("scenario")
    server = (record["scenario"] or "") in ("Server", "Interactive")
    if server and (qps := _number(fields.get("target_qps", ""))) is not None:
        record["request_rate"] = qps
    if "results" in parts[:-1]:
        at = parts.index("results")
        if len(parts) > at + 2:
            system, benchmark = parts[at + 1], parts[at + 2]
            record["model"] = benchmark
            description = _system(path, system)
            record["gpu"] = _machine(description, system)
            if (engine := engine_name(description.get("framework"))) is not None:
                record["engine"] = engine
    mode = fields.get("mode", "")
    if "accuracy" in mode.lower():
        record["error"] = f"an accuracy run ({mode}), not a performance measurement"
    elif (result := fields.get("result is")) is not None and result.upper() != "VALID":
        record["error"] = f"LoadGen result {result}"
    return record


def restates_summary(path: Path, text: str) -> str | None:
    """Why a LoadGen detail log is not read (it restates the summary beside it), else None."""
    if path.name != "mlperf_log_detail.txt" or ":::MLLOG" not in text:
        return None
    if '"effective_test_mode", "value": "AccuracyOnly"' in text:
        return "MLPerf LoadGen's detail log of an accuracy run: no performance measurement"
    if not path.with_name("mlperf_log_summary.txt").is_file():
        return None
    return "MLPerf LoadGen's detail log: it restates mlperf_log_summary.txt beside it (read)"


def results_page(text: str) -> str | None:
    """Why MLPerf's results page (the submission checker's HTML table of a system's results,
    kept as README.md) is not read, else None: it restates the summaries under it."""
    if '<td class="perf">' in text and "mlcommons" in text.lower():
        return "MLPerf's results page (HTML): it restates the LoadGen summaries under its folder"
    return None
