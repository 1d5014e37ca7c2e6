"""Recognising columns: the canonical metrics, and which one a column or JSON key holds.

The naming rules themselves are stated once, in `chimera.ingest.digest.build`'s docstring.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chimera.ingest.digest.identity import (
    CPU_KEYS,
    ENGINE_KEYS,
    GPU_KEYS,
    WEAK_ENGINE_KEY,
    device_from_filename,
    quantisation_from_filename,
)
from chimera.ingest.digest.llama_bench import PARAMETERS as BENCH_PARAMETERS
from chimera.ingest.digest.llama_bench import BenchColumns

# The canonical metrics in display order, with the unit every value is converted to.
UNITS: dict[str, str] = {
    "tokens_per_s": "tok/s",
    # Prompt processing (llama-bench's pp512, Ollama's prompt_eval rate, a server's prefill):
    # tokens of the prompt read per second, never pooled with generation throughput (ten
    # times as fast or more).
    "prompt_tokens_per_s": "tok/s",
    "ttft_ms": "ms",
    "itl_ms": "ms",  # inter-token latency: the time between two generated tokens
    # Time per output token (vLLM's TPOT: a request's decode time over its tokens after the
    # first), beside ITL in the same file and never the same figure (vLLM's p99 ITL is a gap
    # between two tokens, its p99 TPOT a request's average): a metric of its own.
    "tpot_ms": "ms",
    "latency_ms": "ms",
    "load_ms": "ms",
    "prompt_eval_ms": "ms",
    "eval_ms": "ms",
    "eval_count": "tokens",
    "prompt_eval_count": "tokens",
    "total_ms": "ms",
    "requests_per_s": "req/s",
}
KEY_METRICS = ("tokens_per_s", "ttft_ms")
# Settings a column of any table is read as (Ollama's options, and their aliases below).
# A deployment ("no-features", "kvcache": llm-d's scenarios in vLLM bench results) is a
# setting: rows of two deployments are two setups, never repetitions of one, and a config name
# alone would not tell them apart where their other settings agree.
TABLE_PARAMS = (
    "num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty",
    "num_thread", "num_batch", "num_predict", "seed", "quantization", "concurrency",
    "max_num_seqs", "request_rate", "deployment", "tensor_parallel", "topology", "nodes",
    "kv_cache_dtype", "power_limit", "gpu_count",
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
    "context_len": "num_ctx", "ctx_len": "num_ctx",
    "n_threads": "num_thread", "threads": "num_thread", "num_threads": "num_thread",
    "n_batch": "num_batch", "batch_size": "num_batch",
    "quant": "quantization", "quantisation": "quantization", "quant_type": "quantization",
    "qtype": "quantization", "max_concurrency": "concurrency", "parallel": "concurrency",
    "num_parallel": "concurrency", "concurrent_requests": "concurrency",
    "num_concurrent_requests": "concurrency", "conc": "concurrency",
    "ollama_num_parallel": "concurrency", "max_seqs": "max_num_seqs",
    # savoirtech/ollama-parallel-performance's OLLAMA_NUM_PARALLEL column
    "number_of_parallel_model_requests_allowed": "concurrency",
    # EvalScope perf's "Number of concurrency" (its --parallel): not a count of runs
    "number_of_concurrency": "concurrency",
    "parallel_requests": "concurrency", "parallel_requests_allowed": "concurrency",
    "max_tokens": "num_predict", "max_new_tokens": "num_predict", "output_len": "num_predict",
    "random_output_len": "num_predict", "deployment_name": "deployment",
    "tensor_parallel_size": "tensor_parallel", "tp": "tensor_parallel",
    "tp_size": "tensor_parallel",
    # a distributed run's layout (`SINGLE`, `TP2`, `PP4`) and machines (MLX's distributed
    # runs over a cluster of Macs): one model on one node and on four are two setups
    "parallelism": "topology", "num_nodes": "nodes", "node_count": "nodes",
    "maxctx": "num_ctx", "max_ctx": "num_ctx",  # KoboldCpp's --benchmark MaxCtx
    # the weights' type a framework benchmark states (int4, int8, bfloat16): the quantisation
    "dtype": "quantization", "precision": "quantization", "weight_dtype": "quantization",
    # the KV cache's type (vLLM's --kv-cache-dtype, llama.cpp's -ctk): an archive sweeps it
    # as it sweeps the weights' (auto, fp8, q8_0), and a GPU's power cap (220 W, 350 W)
    "kv_cache_type": "kv_cache_dtype", "cache_dtype": "kv_cache_dtype",
    "cache_type_k": "kv_cache_dtype", "type_k": "kv_cache_dtype", "ctk": "kv_cache_dtype",
    "power_limit_w": "power_limit", "power_cap": "power_limit", "power_limit_watts": "power_limit",
    # the request rate a serving benchmark offered, with its unit or vLLM's console words
    "request_rate_req_s": "request_rate", "request_rate_rps": "request_rate",
    "traffic_request_rate": "request_rate", "offered_rate": "request_rate",
    # the accelerators a run used (argonne-lcf/LLM-Inference-Bench's "Num of Hardware": 1, 2,
    # 4, 8 GPUs of one model): a 70B on four H100s and on eight are two setups
    "num_of_hardware": "gpu_count", "num_gpus": "gpu_count", "number_of_gpus": "gpu_count",
    "n_gpus": "gpu_count", "gpus_used": "gpu_count", "num_devices": "gpu_count",
    "device_count": "gpu_count",
}  # fmt: skip
# Settings only a table's column is read as, never a word of a note's prose: KoboldCpp's
# --benchmark `Layers` (its --gpulayers); "layers" in a sentence is a model's layers.
TABLE_ALIASES = {"layers": "num_gpu"}
FLOAT_PARAMS = frozenset({"temperature", "top_p", "repeat_penalty"})
MODEL_KEYS = frozenset({
    "model", "model_name", "model_from_the_heading", "model_id", "model_family", "model_label",
})  # fmt: skip
# A column that may name the model: read as the model where no MODEL_KEYS column is, each cell
# only where it names one (a benchmark's `name` may as well be a test's or a config's).
MAYBE_MODEL_KEYS = frozenset({"name"})
CONFIG_KEYS = frozenset({"config_name", "config"})
# The heading a note's runs stand under (`text_results`): their config where the heading
# names one, a section's title where it names nothing ("Example Output"; see `table`).
HEADING_KEYS = frozenset({"heading"})
# A row's failure: a message, or a code (LLMPerf's `error_code` 429 beside an empty
# `error_msg`: the code alone says the request failed, and its 0 ms TTFT is no figure).
ERROR_KEYS = frozenset({"error", "error_message", "errors", "error_msg", "error_code"})
# The requests a row completed (vLLM's and SGLang's bench serve `completed`): where none did,
# the row measured nothing, and its throughput and latency fields of 0 are not figures.
COMPLETED_KEYS = frozenset({
    "completed", "completed_requests", "num_completed", "successful_requests",
    "num_successful", "success_count", "num_completed_requests", "results_num_completed_requests",
    "succeed_requests",  # EvalScope perf's benchmark_summary.json
})  # fmt: skip
# A row's own word on whether its call succeeded (`"ok": false, "status": 400`): a row that
# says it failed holds no measurement (its duration is the error's round trip).
SUCCESS_KEYS = frozenset({"ok", "success", "succeeded", "successful"})
# A row's outcome in words (`feasibility: gpu_timeout`, `status: failed`, `oom_614gb_...`): a
# row whose outcome names a failure is a failed row (see `table.FAILED_OUTCOME`).
STATUS_KEYS = frozenset({"status", "run_status", "outcome", "result_status", "feasibility"})
# The requests a row sent (vLLM's bench serve `num_prompts`): a row that completed fewer (but
# some) is kept, its figures over the completed ones, and listed so a reader sees it.
REQUESTED_KEYS = frozenset({
    "num_prompts", "num_requests", "total_requests", "requests_sent", "n_requests",
    "num_requests_started", "results_num_requests_started", "total_requests_sent",
})  # fmt: skip
# When a row (or a whole file) was measured: the earliest parsable value dates a file.
TIME_KEYS = frozenset({
    "timestamp", "created_at", "generated_at", "date", "datetime", "started_at", "start_time",
    "run_at", "run_date", "measured_at", "time_utc", "test_time",
})  # fmt: skip
# How many runs a summary file's row is over ("runs" beside mean_tokens_s): kept with the
# row's already-aggregated values, never assumed where no such column is.
RUNS_KEYS = frozenset({
    "runs", "n", "n_runs", "num_runs", "run_count", "count", "samples", "n_samples",
    "num_samples", "repetitions", "reps", "n_reps", "test_count", "num_tests", "n_tests",
})  # fmt: skip
# The prompt or test a row ran: rows of one setup and one workload are repetitions; rows of
# one setup over several workloads vary by workload too, which is not run-to-run spread.
WORKLOAD_KEYS = frozenset({
    "prompt", "prompt_id", "prompt_name", "prompt_type", "prompt_label", "prompt_index",
    "prompt_idx", "task", "task_name", "scenario", "test", "test_name", "workload", "use_case",
    "query", "question", "dataset", "dataset_name", "case", "case_name", "prompt_tier",
    "prompt_size",
    # the prompt length a sweep asked for (matt-c1's `promptlen` 128 to 15360), beside the
    # tokens the prompt took
    "promptlen", "prompt_len", "prompt_length",
})  # fmt: skip
# A table's test column by another name (GuideLLM's summary: "Benchmark" synchronous,
# throughput, constant@5.0). Not a JSON key: there "benchmark" names the suite every record
# ran ("agentic-real-world-v1"), no test of its own.
TABLE_WORKLOAD_KEYS = frozenset({"benchmark", "benchmark_name"})
# The kind of test a row ran, in words ("kind": "prompt" / "generation" beside a rate column;
# "phase": "prefill" / "decode"): read only where its values say prompt or generation, and
# then a prompt row's rate is prompt processing, never pooled with generation throughput.
PHASE_KEYS = frozenset({"kind", "phase", "stage", "test_kind", "test_type"})
# Whether the model was loaded before the call (leoric-crown/n8n_pgvector16's `preloaded`,
# True / False): the benchmark's own mark of the call that loaded it (False), not a setting.
PRELOADED_KEYS = frozenset({"preloaded", "model_preloaded", "already_loaded"})
# Where Ollama put the model (see `placement`): a column of `ollama ps`'s PROCESSOR words, and
# /api/ps's `size` and `size_vram` of a loaded model (read together, only both).
PLACEMENT_KEYS = frozenset({"placement", "ollama_processor", "ps_processor"})
SIZE_VRAM_KEYS = frozenset({"size_vram"})
SIZE_KEYS = frozenset({"size"})
# The run a row is (1, 2, 3): not a setting, but a script's own summary rows name themselves
# there ("mean", "std" under runs 1-3), see `table.TableValues._summary_mask`.
RUN_INDEX_KEYS = frozenset({
    "run", "run_no", "run_number", "run_id", "run_index", "run_idx", "rep", "repetition",
    "iteration", "iter", "trial", "test_run", "attempt",
})  # fmt: skip
# The input and output sequence lengths a serving benchmark asked for, by TensorRT-LLM's names
# (a CSV of trtllm-bench reports: ISL, OSL): together the row's workload, "input 128 / output
# 1024", as a report's overview states it; a sweep's 63 shapes are 63 workloads, not one setup.
# SGLang's bench_serving JSON Lines write them as random_input_len / random_output_len beside
# `dataset_name`: the lengths its "random" dataset asked for (a file of 1024 / 1024, 4096 /
# 1024 and 256 / 512 runs is three workloads, not one setup's repetitions).
# One column for both where a sweep holds them equal (argonne-lcf/LLM-Inference-Bench's "Input
# Output Length" 128 ... 2048): "input 128 / output 128", five workloads, never repetitions.
_EQUAL_LENGTH_KEYS = frozenset({"input_output_length", "input_output_len", "io_length"})
INPUT_LENGTH_KEYS = frozenset({
    "isl", "input_seq_len", "input_sequence_length", "random_input_len", *_EQUAL_LENGTH_KEYS,
})  # fmt: skip
OUTPUT_LENGTH_KEYS = frozenset({
    "osl", "output_seq_len", "output_sequence_length", "random_output_len", *_EQUAL_LENGTH_KEYS,
})  # fmt: skip
# The prompt tokens a serving run sent over all its requests (vLLM's bench serve
# `total_input_tokens`, SGLang's `total_input`): over the requests it completed, the prompt
# length of one request, the workload of a run whose file names no other (simon-mo/
# R1-Benchmark's 1000, 5000, 10000 and 30000-token runs, told apart only by file names).
TOTAL_INPUT_KEYS = ("total_input_tokens", "total_input")
# The tokens of context filled before a llama-bench-style test (`-d`, "tg128 @ d4096"): part
# of the workload where the test names say llama-bench tests or a phase column says the kind.
DEPTH_KEYS = frozenset({"depth", "n_depth", "context_depth", "ctx_depth", "kv_depth"})
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")

_THROUGHPUT = frozenset({
    "tokens_s", "tokens_per_s", "tokens_sec", "tokens_per_sec", "tokens_per_second",
    "tok_s", "tok_per_s", "toks_s", "tps", "eval_rate", "throughput", "throughput_tok_s",
    # `ollama run --verbose`'s "eval rate" spelt out ("Average Evaluation Rate")
    "evaluation_rate",
    "output_tok_s", "output_tokens_per_s", "output_tokens_per_second", "output_throughput",
    # vLLM's / SGLang's console line "Output token throughput (tok/s)" with its unit left off
    "output_token_throughput",
    "output_tps", "out_tok_s", "out_tokens_per_s", "gen_tok_s", "gen_tps", "generation_tok_s",
    "generation_tps",
    "generation_tokens_per_s", "decode_tok_s", "decode_tps", "decode_tokens_per_s",
    "tg_tok_s", "tg_ts", "response_tokens_per_s", "completion_tokens_per_s", "t_s",
    "t_s_total", "tok_s_total", "tokens_s_total",
    # a report table's "TG/s" beside its "PP/s" (gparemsky/48gb4090's Ollama reports)
    "tg_s",
    # KoboldCpp's --benchmark CSV (GenerationSpeed, in T/s)
    "generationspeed", "generation_speed",
    # text-generation-webui speed scripts (matt-c1/llama-cpp-speed-measurements: gentps)
    "gentps",
    # trtllm-bench 0.16's "Token Throughput (tokens/sec)": output tokens over the run's time
    # (a CSV of its reports keeps the name: Token_Throughput)
    "token_throughput",
    # a load script's output tokens over the whole run, all requests together (sariekr/
    # gpu_conc: `system_output_throughput` beside each request's `output_speed_per_query`)
    "system_output_throughput",
})  # fmt: skip
# llama-server's name for the generated tokens' rate ("Predict Per Second").
_PREDICT_RATES = frozenset({
    "predict_per_second", "predicted_per_second", "predict_per_s", "predicted_per_s",
    "predicted_tokens_per_second", "predicted_tps", "predict_tps",
})  # fmt: skip
_THROUGHPUT |= _PREDICT_RATES
# Rates that say they count the generated tokens: beside one, a plain "tokens per second" counts
# the prompt's too (GuideLLM's request records: tokens_per_second is prompt + output tokens over
# the request's time, output_tokens_per_second the output's alone).
_OUTPUT_RATES = frozenset({
    "output_tokens_per_second", "output_tokens_per_s", "output_tok_s", "output_tps",
    "output_token_throughput", "out_tok_s", "out_tokens_per_s", "system_output_throughput",
})  # fmt: skip
# A count of every token a batch processed, prompt and output (vLLM's benchmark_throughput
# JSON: `total_num_tokens`, its `tokens_per_second` that count over `elapsed_time`, the whole
# batch's time in s): beside it, a plain rate is prompt and output tokens together.
ALL_TOKEN_COUNTS = frozenset({"total_num_tokens"})
_BATCH_TIMES = frozenset({"elapsed_time"})
# Generated tokens a minute ("tokens_per_minute": 5400): a rate, read as tokens a second.
_PER_MINUTE = frozenset({"tokens_per_minute", "tokens_per_min", "tokens_min", "tok_min", "tpm"})
# Names that say "tokens a second" and not which tokens: beside llama-server's predict rate,
# such a column is the rate of prompt and generated tokens together over the elapsed time.
_GENERIC_RATES = frozenset({
    "tokens_s", "tokens_per_s", "tokens_sec", "tokens_per_sec", "tokens_per_second", "tok_s",
    "tok_per_s", "toks_s", "tps", "throughput", "throughput_tok_s", "t_s", "t_s_total",
    "tok_s_total", "tokens_s_total", "tokens_per_ms", "tok_per_ms", "toks_per_ms",
    "token_throughput",
})  # fmt: skip
_PROMPT_RATE = frozenset({
    "prompt_eval_rate", "prompt_evaluation_rate", "prompt_tokens_per_s",
    "prompt_tokens_per_second", "prompt_tok_s",
    "prompt_tps", "pp_tok_s", "pp_ts", "prefill_tok_s", "prefill_tps", "prefill_tokens_per_s",
    "input_tok_s", "input_tokens_per_s", "prompt_throughput", "prompt_processing_tok_s",
    "prompt_per_second", "prompt_per_s", "processingspeed", "processing_speed", "prompttps",
    "pp_s",  # "PP/s": read as a setting, it grouped runs by their own prompt rate
})  # fmt: skip
# Not "output_len": vLLM's bench writes the length it asked for there (--random-output-len),
# a setting (num_predict), not the tokens a run generated.
# llama-server's own `timings` (its /completion answer, a client's CSV of them): predicted_n
# and prompt_n tokens, predicted_ms and prompt_ms. KoboldCpp's --benchmark `GenAmount`: the
# tokens it generated (it ignores EOS there).
_COUNTS = frozenset({"eval_count", "tokens_generated", "completion_tokens", "output_tokens",
                     "generated_tokens", "num_output_tokens", "gen_tokens", "gen_toks",
                     "generated_toks", "output_toks", "number_output_tokens",
                     "predicted_n", "genamount", "eval_tokens", "response_tokens"})  # fmt: skip
# `context_tokens`: the tokens of context a run filled before generating (a context ladder's
# 1024 ... 131072), its prompt.
_PROMPT_COUNTS = frozenset({"prompt_eval_count", "prompt_tokens", "input_tokens",
                            "num_prompt_tokens", "prompt_toks", "input_toks",
                            "number_input_tokens", "prompt_n", "context_tokens",
                            "prompt_eval_tokens"})  # fmt: skip
_REQUEST_RATE = frozenset({"req_s", "requests_per_s", "requests_per_second", "request_throughput",
                           "request_rate_achieved", "rps", "qps",
                           "requests_s", "reqs_s"})  # fmt: skip
# A request rate's unit written after a name that says it was measured ("Request throughput
# (req/s)", vLLM's console name in a table; "Throughput (req/s)"), not "Request rate (req/s)",
# the rate a benchmark offered.
_REQUEST_UNIT = re.compile(r"_(?:req|reqs|requests?)_(?:per_)?(?:s|sec|second)$")
_MEASURED_REQUESTS = frozenset({"request_throughput", "throughput", "requests", "achieved"})
# Ollama's API reports these in nanoseconds, by definition (its docs: "All durations are
# returned in nanoseconds"): read so whatever their size in a file, unless the row's own
# figures prove another unit (`units.py`).
OLLAMA_DURATIONS = {
    "total_duration": "total_ms", "load_duration": "load_ms",
    "prompt_eval_duration": "prompt_eval_ms", "eval_duration": "eval_ms",
}  # fmt: skip
_TIME_BASES = {
    "ttft": "ttft_ms", "time_to_first_token": "ttft_ms", "first_token": "ttft_ms",
    "first_time_to_token": "ttft_ms",
    "first_token_latency": "ttft_ms", "ftl": "ttft_ms", "ttfr": "ttft_ms",
    "time_to_first_response": "ttft_ms",
    "itl": "itl_ms", "inter_token_latency": "itl_ms", "tpot": "tpot_ms",
    "time_per_output_token": "tpot_ms",
    "latency": "latency_ms", "wall_time": "latency_ms", "response_time": "latency_ms",
    "wall": "latency_ms", "wall_clock": "latency_ms",
    "e2e": "latency_ms", "e2el": "latency_ms", "e2e_latency": "latency_ms",
    "end_to_end_latency": "latency_ms", "request_latency": "latency_ms",
    "load": "load_ms", "load_duration": "load_ms", "load_time": "load_ms",
    "initial_load_duration": "load_ms", "model_load_time": "load_ms", "cold_start": "load_ms",
    "prompt_eval": "prompt_eval_ms", "prompt_eval_duration": "prompt_eval_ms",
    "prompt_eval_time": "prompt_eval_ms", "prompt": "prompt_eval_ms",
    "eval": "eval_ms", "eval_duration": "eval_ms", "eval_time": "eval_ms", "predicted": "eval_ms",
    "total": "total_ms", "total_duration": "total_ms", "total_time": "total_ms",
    "duration": "total_ms", "generation_time": "latency_ms", "gen_time": "latency_ms",
    "request_time": "latency_ms", "inference_time": "latency_ms", "elapsed": "latency_ms",
    "elapsed_time": "latency_ms",
    # KoboldCpp's --benchmark CSV, in seconds its name does not say (count / rate decides)
    "processingtime": "prompt_eval_ms", "generationtime": "eval_ms", "totaltime": "total_ms",
    # the decode time beside a prompt time (`prompt_seconds`, `gen_seconds`), with its unit
    "gen": "eval_ms",
}  # fmt: skip
# A column that compares two figures rather than measuring one ("TTFT Δ", "speedup vs CPU"),
# or divides one by a price ("性价比 (TPS/$)": tokens a second per dollar, no rate).
_NOT_A_MEASUREMENT = re.compile(
    r"Δ|delta|\bdiff|change|improv|speed-?up|\bgain|\bratios?\b|%|\bpct\b|percent|\bvs\.?\b|"
    r"relative|reduction|increase|decrease|overhead|[$€£¥]",
    re.IGNORECASE,
)
# Too generic to be a time without an explicit unit ("eval" could be a score).
_NOT_NAME = re.compile(r"[^a-z0-9]+")
NAMES_CACHED = 4096  # distinct column names and JSON keys remembered (bounded: hostile files)
_NEEDS_UNIT = frozenset({
    "load", "prompt_eval", "eval", "total", "first_token", "e2e", "duration", "wall", "prompt",
    "predicted", "gen",
})  # fmt: skip
_TO_MS = {"ms": 1.0, "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "seconds": 1000.0,
          "us": 1e-3, "ns": 1e-6}  # fmt: skip
# LLMPerf's summary (`*_summary.json`) writes every measured figure as `results_<metric>_<unit>_
# <statistic>`, percentiles as `quantiles_p50`; its un-prefixed `mean_output_tokens` beside them
# is the length it asked for (see `TableColumns._drop_requested`).
MEASURED_PREFIX = "results_"
_AGGREGATES = {"mean": "mean", "avg": "mean", "average": "mean", "overall": "mean",
               "median": "median",
               "p50": "median", "p90": "p90", "p95": "p95", "p99": "p99", "min": "min",
               "max": "max", "std": "std", "stddev": "std", "stdev": "std"}  # fmt: skip


@dataclass(frozen=True)
class MetricRole:
    """What a column measures: canonical metric, pre-aggregation, factor to canonical unit.

    `unit` says where the factor comes from: "name" (a suffix such as `_ms`, or a metric with
    one unit such as tok/s), "definition" (Ollama's API durations, nanoseconds), or "unstated"
    (factor None: no unit in the name; see `units.py`).
    """

    metric: str
    aggregate: str | None
    factor: float | None
    unit: str = "name"


def normalise_name(name: object) -> str:
    """`TTFT (ms)` -> `ttft_ms`: lower case, punctuation and spaces as one underscore."""
    return _normalised(str(name))


# Cached: a folder's files repeat a few dozen column names and JSON keys thousands of times.
@functools.lru_cache(maxsize=NAMES_CACHED)
def _normalised(name: str) -> str:
    # The micro sign (U+00B5) and Greek mu (U+03BC) as `u`: `TTFT (µs)` is `ttft_us`, never
    # `ttft_s` (seconds, a million times the value) as dropping the letter would make it.
    lowered = name.strip().lower().translate(_MICRO)
    if not lowered.isascii() or _FOREIGN_ASCII.search(lowered) is not None:
        lowered = _FOREIGN.sub(lambda m: f" {_FOREIGN_WORDS[m.group()]} ", lowered)
    return _NOT_NAME.sub("_", lowered).strip("_")


_MICRO = str.maketrans({"\u00b5": "u", "\u03bc": "u"})
# A header's words in another language, as the English ones the names above are made of: a
# non-ASCII letter is no name character, so `débit (tok/s)` was `d_bit_tok_s` (unread) and
# `输入速度 (tok/s)` and `输出速度 (tok/s)`, input and output rates, were both `tok_s`, one
# throughput. The metric words of benchmark tables in Chinese, Japanese, French, German,
# Spanish, Portuguese, Italian and Russian; a header of words not listed keeps its unit only.
_FOREIGN_WORDS = {
    # Chinese and Japanese (no spaces between words: longer phrases first)
    "首字延迟": "time to first token", "首字延遲": "time to first token",
    "首token延迟": "time to first token", "首token延遲": "time to first token",
    "首字时间": "time to first token", "首字時間": "time to first token",
    "首词": "time to first token", "首詞": "time to first token",
    "初回トークン": "time to first token", "最初のトークン": "time to first token",
    "吐字延迟": "inter token latency", "token间延迟": "inter token latency",
    "每秒输出token数": "output tokens per s", "每秒token数": "tokens per s",
    "输出速度": "output throughput", "輸出速度": "output throughput",
    "解码速度": "decode throughput", "解碼速度": "decode throughput",
    "吞吐量": "throughput", "吞吐率": "throughput", "吞吐": "throughput",
    "スループット": "throughput", "速度": "speed", "速率": "speed",
    "输出": "output", "輸出": "output", "出力": "output", "生成": "generation",
    "解码": "decode", "解碼": "decode", "デコード": "decode",
    "输入": "prompt", "輸入": "prompt", "入力": "prompt", "预填充": "prefill",
    "預填充": "prefill", "プリフィル": "prefill",
    "延迟": "latency", "延遲": "latency", "时延": "latency", "時延": "latency",
    "レイテンシ": "latency", "遅延": "latency",
    "总耗时": "total time", "總耗時": "total time", "耗时": "elapsed", "耗時": "elapsed",
    "毫秒": "ms", "秒": "s", "模型": "model", "モデル": "model",
    "平均": "mean", "中位数": "median", "中央値": "median",
    "并发数": "concurrency", "并发": "concurrency", "並發": "concurrency",
    "同時実行数": "concurrency",
    # French, German, Spanish, Portuguese, Italian, Russian
    "vitesse de génération": "generation speed", "débit de sortie": "output throughput",
    "velocidad de generación": "generation speed",
    "velocidade de geração": "generation speed",
    "velocità di generazione": "generation speed",
    "скорость генерации": "generation speed",
    "generierungsgeschwindigkeit": "generation speed",
    "ausgabegeschwindigkeit": "output throughput",
    "latence du premier jeton": "first token latency",
    "latence du premier token": "first token latency",
    "zeit bis zum ersten token": "time to first token",
    "tiempo hasta el primer token": "time to first token",
    "temps total": "total time", "gesamtzeit": "total time", "tiempo total": "total time",
    "токенов/с": "tokens/s", "ток/с": "tok/s",
    "débit": "throughput", "durchsatz": "throughput", "vazão": "throughput",
    "пропускная способность": "throughput",
    "vitesse": "speed", "geschwindigkeit": "speed", "velocidad": "speed",
    "velocidade": "speed", "velocità": "speed", "скорость": "speed",
    "génération": "generation", "generierung": "generation", "generación": "generation",
    "geração": "generation", "generazione": "generation", "генерации": "generation",
    "sortie": "output", "ausgabe": "output", "salida": "output", "saída": "output",
    "entrée": "prompt", "eingabe": "prompt", "entrada": "prompt",
    "latence": "latency", "latenz": "latency", "latencia": "latency", "latência": "latency",
    "latenza": "latency", "задержка": "latency",
    "premier jeton": "first token", "premier token": "first token",
    "erstes token": "first token", "ersten tokens": "first token",
    "primer token": "first token", "primeiro token": "first token",
    "primo token": "first token", "первого токена": "first token",
    "jetons": "tokens", "jeton": "tokens", "токенов": "tokens", "токены": "tokens",
    "modèle": "model", "modell": "model", "modelo": "model", "modello": "model",
    "модель": "model",
    "moyenne": "mean", "moyen": "mean", "durchschnitt": "mean", "mittelwert": "mean",
    "promedio": "mean", "médiane": "median", "mediana": "median",
    "pro sekunde": "per s", "por segundo": "per s", "par seconde": "per s",
    "al secondo": "per s", "в секунду": "per s",
    "sekunden": "s", "sekunde": "s", "segundos": "s", "secondes": "s", "секунд": "s",
}  # fmt: skip
# Latin and Cyrillic words whole (`moyen` is not in `moyenne`, `modell` not in `modello`);
# CJK phrases anywhere. Longest first, so a phrase wins over the word inside it.
_FOREIGN = re.compile(
    "|".join(
        re.escape(w) if w[0] >= "\u3000" else rf"(?<!\w){re.escape(w)}(?!\w)"
        for w in sorted(_FOREIGN_WORDS, key=len, reverse=True)
    )
)
# The ASCII ones, so that an English name (nearly every one) skips the substitution.
_FOREIGN_ASCII = re.compile(
    "|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in _FOREIGN_WORDS if w.isascii())
)


def _split_aggregate(norm: str) -> tuple[str | None, str]:
    """`mean_ttft_ms` / `ttft_p99_ms` / `ttft_ms_p99` -> (aggregate, `ttft_ms`); LLMPerf's
    `results_ttft_s_quantiles_p50` -> (median, `ttft_s`)."""
    norm = norm.removeprefix(MEASURED_PREFIX).replace("_quantiles_", "_")
    head, _, rest = norm.partition("_")
    if rest and head in _AGGREGATES:
        return _AGGREGATES[head], rest
    parts = norm.split("_")
    for i in (len(parts) - 1, len(parts) - 2):
        if 0 < i < len(parts) and parts[i] in _AGGREGATES:
            # Only a suffix after the metric, or between the metric and its unit.
            rest_parts = parts[:i] + parts[i + 1 :]
            if i == len(parts) - 1 or parts[-1] in _TO_MS:
                return _AGGREGATES[parts[i]], "_".join(rest_parts)
    return None, norm


# A rate's unit written after its name ("Eval Rate (tokens/s)", "prompt speed [t/s]").
_RATE_UNIT = re.compile(r"_(?:tokens?|toks?|t)_(?:per_)?(?:s|sec|second)$|_tps$")
_GENERATION_WORDS = frozenset({
    "rate", "eval_rate", "evaluation_rate", "throughput", "speed", "generation",
    "generation_rate", "gen",
    "decode", "decoding", "output", "response", "tg", "eval", "generation_speed", "gen_rate",
    "token_rate", "tokens", "inference_speed", "average_speed", "output_throughput",
    "output_token_throughput",
})  # fmt: skip
# LLMPerf's per-request output rate (`request_output_throughput_token_per_s`: a request's
# output tokens over its end-to-end time): what one user sees. In its per-request records it
# is the request's tok/s, as GuideLLM's `output_tokens_per_second` is; in its summary, beside
# the run's `results_mean_output_throughput_token_per_s`, it is left out (`_drop_request_rates`).
_REQUEST_RATE_WORDS = frozenset({"request_output_throughput"})
_PROMPT_WORDS = frozenset({
    "prompt", "prompt_rate", "prompt_eval", "prompt_eval_rate", "prompt_evaluation_rate",
    "prefill", "prefill_rate", "pp",
    "prompt_processing", "input", "prompt_speed", "prefill_speed", "processing",
})  # fmt: skip


# Tokens a millisecond ("throughput_tok_per_ms": 0.045, a script's rate where tok/s would read
# 45): a rate, read as tokens a second. Not "tokens_ms" (a time and a count?): only "per ms".
_PER_MS_RATE = re.compile(r"^(?:(?P<base>[a-z_]+?)_)?(?:tokens?|toks?)_per_ms$")


def _rate_per_ms(norm: str, aggregate: str | None) -> MetricRole | None:
    """`throughput_tok_per_ms` -> generation throughput at 1000x; `prefill_tokens_per_ms` ->
    prompt processing; None for any other name."""
    found = _PER_MS_RATE.match(norm)
    if found is None:
        return None
    base = found["base"]
    if base is None or base in _GENERATION_WORDS:
        return MetricRole("tokens_per_s", aggregate, 1000.0)
    if base in _PROMPT_WORDS:
        return MetricRole("prompt_tokens_per_s", aggregate, 1000.0)
    return None


def _rate_with_unit(norm: str, aggregate: str | None) -> MetricRole | None:
    """`eval_rate_tokens_s` (Eval Rate (tokens/s)) -> generation throughput, and the like."""
    found = _RATE_UNIT.search(norm)
    if found is None:
        return None
    base = norm[: found.start()]
    if base in _GENERATION_WORDS or base in _REQUEST_RATE_WORDS:
        return MetricRole("tokens_per_s", aggregate, 1.0)
    if base in _PROMPT_WORDS:
        return MetricRole("prompt_tokens_per_s", aggregate, 1.0)
    return None


def metric_role(name: str) -> MetricRole | None:
    """The metric a column or JSON key holds, or None when it is not a recognised metric."""
    return _metric_role(normalise_name(name))


# A unit written as words after the name (`ttft_mean_in_ms`), and a time per generated token
# (`latency_ms_per_token`: the inter-token latency, not a request's).
_UNIT_IN_WORDS = re.compile(r"_in_(ms|s|sec|secs|seconds|us|ns)$")
_PER_TOKEN = re.compile(r"^(?:latency|time)?_?(ms|s|sec|us|ns)_per_(?:output_)?token$")


@functools.lru_cache(maxsize=NAMES_CACHED)
def _metric_role(whole: str) -> MetricRole | None:
    if whole in OLLAMA_DURATIONS:
        return MetricRole(OLLAMA_DURATIONS[whole], None, 1e-6, "definition")
    whole = _UNIT_IN_WORDS.sub(r"_\1", whole)
    aggregate, norm = _split_aggregate(whole)
    if (per_token := _PER_TOKEN.match(norm)) is not None:
        return MetricRole("itl_ms", aggregate, _TO_MS[per_token[1]])
    if norm in _THROUGHPUT:
        return MetricRole("tokens_per_s", aggregate, 1.0)
    if norm in _PER_MINUTE:
        return MetricRole("tokens_per_s", aggregate, 1 / 60, "name")
    if norm in _PROMPT_RATE:
        return MetricRole("prompt_tokens_per_s", aggregate, 1.0)
    if norm in _COUNTS:
        return MetricRole("eval_count", aggregate, 1.0)
    if norm in _PROMPT_COUNTS:
        return MetricRole("prompt_eval_count", aggregate, 1.0)
    if norm in _REQUEST_RATE:
        return MetricRole("requests_per_s", aggregate, 1.0)
    if (rate := _rate_with_unit(norm, aggregate)) is not None:
        return rate
    if norm.endswith("_per_ms") and (rate := _rate_per_ms(norm, aggregate)) is not None:
        return rate
    unit = _REQUEST_UNIT.search(norm)
    if unit is not None and norm[: unit.start()] in _MEASURED_REQUESTS:
        return MetricRole("requests_per_s", aggregate, 1.0)
    base, _, suffix = norm.rpartition("_")
    factor = _TO_MS.get(suffix) if base else None
    if factor is None:
        base = norm
    metric = _TIME_BASES.get(base)
    # A bare "duration" may be a whole benchmark's (vLLM's, in s); a statistic of durations
    # (avg_duration, max_duration) is of requests, and its values decide its unit.
    unit_needed = base in _NEEDS_UNIT and not (base == "duration" and aggregate is not None)
    if metric is None or (factor is None and unit_needed):
        return None
    return MetricRole(metric, aggregate, factor, "name" if factor is not None else "unstated")


# A JSON object that holds what a run was asked to do (sariekr/gpu_conc's `test_config`:
# input_tokens 1000, output_tokens 1000 beside the measured figures): a figure-like key
# under it is a setting the run was given, never a measurement (1000 is no count generated).
_CONFIG_OBJECTS = frozenset({
    "config", "test_config", "configuration", "settings", "parameters", "params", "args",
    "arguments", "request_config", "benchmark_config", "run_config",
})  # fmt: skip


def asked_for(label: str) -> bool:
    """Whether a nested JSON key path stands under a configuration object (`test_config.
    output_tokens`), so it states what was asked for, not what was measured."""
    return any(normalise_name(part) in _CONFIG_OBJECTS for part in str(label).split(".")[:-1])


def names_no_phase(label: str) -> bool:
    """Whether a rate column's name says only "tokens a second", not whether prompt or
    generated tokens (`tps`, `t/s`, `tokens_per_second`; a JSON key path by its last key)."""
    return _split_aggregate(normalise_name(label.rsplit(".", 1)[-1]))[1] in _GENERIC_RATES


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


# A serving run's tensor parallelism written in its file or folder name (`..._tp4_quant-fp8_
# benchmarks.json`, `tp=2/`): a setting, where the table itself does not state it.
_TP_IN_PATH = re.compile(r"(?<![a-z0-9])tp[-_=]?(\d{1,2})(?![0-9])", re.IGNORECASE)


# A serving run's expert parallelism as a word of its file's name (`vllm-1000-2000-ep.json`
# beside `vllm-1000-2000-.json`: vLLM's --enable-expert-parallel; `..._ep8_...`): a setting.
_EP_IN_NAME = re.compile(r"(?<![a-z0-9])ep(\d{1,2})?(?![a-z0-9])", re.IGNORECASE)


# A serving run's quantisation written as a key in its file or folder name (GuideLLM bench's
# `..._tp4_quant-fp8_benchmarks.json` beside `..._quant-none_...`: fp8 against unquantised).
# A quantisation's name only: `ollama_quant_bench.csv` is a quantisation benchmark's file.
_QUANT_KEY_IN_PATH = re.compile(
    r"(?<![a-z0-9])quant(?:i[sz]ation)?[-_=](none|fp(?:4|8|16|32)|bf16|f16|f32|int[48]"
    r"|w[48]a(?:8|16)|awq|gptq|mxfp4|nvfp4|i?q[2-8](?:_k)?(?:_(?:xxs|xs|s|m|l|0|1))?)"
    r"(?=$|[-_./])",
    re.IGNORECASE,
)


# A load test's concurrency written in its file or folder name (`concurrency_8/`, `users-16.csv`,
# `max_concurrency=2`; not `np20`, a server's OLLAMA_NUM_PARALLEL, whatever load it was sent).
_CONCURRENCY_IN_PATH = re.compile(
    r"(?<![a-z0-9])(?:max_)?(?:concurrency|conc|users|clients)[-_=]?(\d{1,4})(?![0-9])",
    re.IGNORECASE,
)


# A runner's setting written in a file or folder name with its value (`num_ctx_2048/`,
# `ctx-8k.json`, `ngl99/`, `threads_8.csv`): the runs' setting where no column states it.
_SETTING_IN_PATH = re.compile(
    r"(?<![a-z0-9])(?P<name>num_ctx|n_ctx|ctx_size|context_size|context_length|context|ctx"
    r"|num_gpu|n_gpu_layers|gpu_layers|ngl|num_threads|num_thread|n_threads|threads"
    r"|num_batch|n_batch|batch_size)[-_=]?(?P<value>\d{1,6})(?P<k>k)?(?![0-9a-z])",
    re.IGNORECASE,
)
_PATH_SETTING_HINTS = ("ctx", "context", "gpu", "ngl", "thread", "batch")  # in every name above
# The least value of a setting a path may name: `context_1/` numbers a case, not a context.
_SETTING_IN_PATH_MIN = {
    "num_ctx": 256, "context": 256, "num_gpu": 0, "num_thread": 1, "num_batch": 1,
}  # fmt: skip


def _settings_named_in_path(path: str) -> dict[str, int]:
    """`num_ctx_2048/run_0.json` -> num_ctx 2048 (`8k` as 8192); none where a path names two
    values of one setting."""
    found: dict[str, set[int]] = {}
    for match in _SETTING_IN_PATH.finditer(path):
        word = match["name"].lower()
        name = "context" if word == "context" else param_name(word)
        if name is None or (match["k"] and name != "num_ctx"):
            continue
        value = int(match["value"]) * (1024 if match["k"] else 1)
        if value >= _SETTING_IN_PATH_MIN[name]:
            found.setdefault(name, set()).add(value)
    return {name: values.pop() for name, values in found.items() if len(values) == 1}


# Any known setting written `name=value` (`temperature=0.7/`, `run_max_num_seqs=8_tp=2/`) or
# `name-value` with a number (`top_k-40/`, `seed-42.json`) in a path: the runs' setting, where
# no rule above reads it. The name may follow other words (`run_max_num_seqs`: max_num_seqs).
_PAIR_IN_PATH = re.compile(
    r"(?<![A-Za-z0-9])(?P<name>[A-Za-z][A-Za-z0-9_]*)(?:=(?P<text>[A-Za-z0-9][\w.:+]*?)"
    r"(?=$|[/,;+ ]|_[A-Za-z][A-Za-z0-9_]*=|\.(?:json|jsonl|csv|tsv|md|txt|log)$)"
    r"|-(?P<number>\d+(?:\.\d+)?)(?=$|[-_/,;+ ]|\.(?:json|jsonl|csv|tsv|md|txt|log)$))"
)


def _pairs_named_in_path(path: str) -> dict[str, int | float | str]:
    """`temperature=0.7/run.json` -> temperature 0.7; none where a path names two values of
    one setting, or the name is no setting Chimera knows."""
    found: dict[str, set[int | float | str]] = {}
    for match in _PAIR_IN_PATH.finditer(path):
        words = normalise_name(match["name"]).split("_")
        name = next(
            (p for i in range(len(words)) if (p := param_name("_".join(words[i:]))) is not None),
            None,
        )
        if name is None:
            continue
        raw = match["text"] if match["text"] is not None else match["number"]
        value: int | float | str = raw
        if re.fullmatch(r"\d+", raw):
            value = int(raw)
        elif re.fullmatch(r"\d+\.\d+", raw):
            value = float(raw)
        found.setdefault(name, set()).add(value)
    return {name: values.pop() for name, values in found.items() if len(values) == 1}


# A file named for runs with or without a warm-up before them (`results_no_warmup.csv` beside
# `results_with_warmup.csv`): the warm-up is the runs' setting.
_WARMUP_IN_NAME = re.compile(
    r"(?i)(?:^|[^a-z])(?:(?P<no>no|non|without|wo|skip|skipped)|(?P<yes>with|w|after|post))"
    r"[-_ ]?warm[-_ ]?up"
)


# A machine's power profile and IOMMU mode written in a session's folder name
# (`bench_results-default-profile/` beside `bench_results-profile_performance_iommu-off/`):
# the same runs repeated under another profile are another setup, not the same one twice.
_PROFILES = r"performance|balanced|default|power[-_ ]?saver|powersave|quiet|eco"
_POWER_PROFILE = re.compile(
    rf"(?i)(?<![a-z])(?:(?:power[-_ ]?)?profile[-_ ]?(?P<a>{_PROFILES})"
    rf"|(?P<b>{_PROFILES})[-_ ]?(?:power[-_ ]?)?profile)(?![a-z])"
)
_IOMMU = re.compile(r"(?i)(?<![a-z])iommu[-_ =]?(on|off|pt|passthrough)(?![a-z])")


# The KV cache's type written in a run's folder or file name: keyed (`kv-q8_0/`, `ctk_q4_0`,
# `cache-type-k=f16`, `kv_cache_fp8`), or a TurboQuant type (`...-q4_k_m-turbo3-symmetric-on/`,
# isotopp/llama-benchmark), a name only a KV cache takes. An unkeyed `q8_0` is the weights'.
_KV_TYPES = r"f16|bf16|f32|fp8(?:_e4m3|_e5m2)?|q8_0|q4_0|q4_1|q5_0|q5_1|iq4_nl|int8|int4|turbo[2-4]"
_KV_IN_PATH = re.compile(
    rf"(?i)(?<![a-z0-9])(?:(?:kv[-_]?(?:cache)?(?:[-_]?(?:type|dtype))?|ctk|cache[-_]?type[-_]?k?)"
    rf"[-_=]?(?P<keyed>{_KV_TYPES})|(?P<turbo>turbo[2-4]))(?![a-z0-9])"
)


@functools.lru_cache(maxsize=4096)  # a path recurs once per table of its file
def settings_from_path(path: str) -> tuple[tuple[str, int | float | str], ...]:
    """The settings a path names, as (name, value) pairs (kept, so never a dict a caller
    could change): `Qwen3-4B_tp4_quant-fp8_benchmarks.json` -> tensor_parallel 4 (none where
    it names two: which one the file ran is unknown) and quantization FP8; `cpu-only.csv` ->
    device cpu (see `identity.device_from_filename`); `results-profile_performance_iommu-off/`
    -> power_profile "performance (iommu off)"; `...-q4_k_m-turbo3-symmetric-on/`, `kv-q8_0/`
    -> kv_cache_dtype turbo3, q8_0; any other known setting `name=value` (`temperature=0.7/`)."""
    settings: dict[str, int | float | str] = {}
    found = {int(m) for m in _TP_IN_PATH.findall(path)}
    if len(found) == 1:
        settings["tensor_parallel"] = found.pop()
    expert = {m or "on" for m in _EP_IN_NAME.findall(Path(path).stem)}
    if len(expert) == 1:
        level = expert.pop()
        settings["expert_parallel"] = int(level) if level.isdigit() else level
    if (warm := _WARMUP_IN_NAME.search(Path(path).name)) is not None:
        settings["warmup"] = "no" if warm["no"] else "yes"
    levels = {int(m) for m in _CONCURRENCY_IN_PATH.findall(path)}
    if len(levels) == 1:
        settings["concurrency"] = levels.pop()
    device = device_from_filename(path)
    if device is not None:
        settings["device"] = device
    quantisation = quantisation_from_filename(path)
    keyed = {q.upper() for q in _QUANT_KEY_IN_PATH.findall(path)}
    if quantisation is None and len(keyed) == 1:
        quantisation = keyed.pop()
    if quantisation is not None:
        settings["quantization"] = quantisation.upper()
    low = path.lower()  # substring tests before the pattern: most paths name none
    if any(word in low for word in _PATH_SETTING_HINTS):
        settings.update(_settings_named_in_path(path))
    if "kv" in low or "turbo" in low or "ctk" in low or "cache" in low:
        types = {(m["keyed"] or m["turbo"]).lower() for m in _KV_IN_PATH.finditer(path)}
        if len(types) == 1:  # two named: which one the file ran is unknown
            settings["kv_cache_dtype"] = types.pop()
    if "=" in path or "-" in path:
        for name, value in _pairs_named_in_path(path).items():
            settings.setdefault(name, value)
    modes = {m.lower() for m in _IOMMU.findall(path)}
    iommu = modes.pop() if len(modes) == 1 else None
    if "profile" in low and len(profiles := set(_POWER_PROFILE.findall(path))) == 1:
        a, b = profiles.pop()
        profile = re.sub(r"[-_ ]", "", (a or b).lower())
        # named together, one session's setup: a profile apart from its IOMMU mode would
        # leave the sessions differing in two settings, neither comparable
        settings["power_profile"] = f"{profile} (iommu {iommu})" if iommu else profile
    elif iommu is not None:
        settings["iommu"] = iommu
    return tuple(settings.items())


def date_from_filename(name: str) -> str | None:
    """`ollama_bench_20251114.json` -> `2025-11-14`: the last date written in the file's path."""
    found = _DATE_IN_NAME.findall(Path(name).name) or _DATE_IN_NAME.findall(name)
    if not found:
        return None
    year, month, day = found[-1]
    return f"{year}-{month}-{day}"


# A column of the model's reply text (normalised names: `banter_text`, `response`, `output`).
_REPLY_NAME = re.compile(
    r"^(?!prompt|input|question|system)(?:\w+_)?(?:text|response|output|answer|completion|reply)$"
)


def is_reply_name(name: str) -> bool:
    """A normalised name of the model's reply text (`banter_text`; not `prompt_text`)."""
    return _REPLY_NAME.match(name) is not None


@dataclass
class TableColumns:
    """The roles of a table's columns (labels as pandas names them)."""

    metrics: dict[str, MetricRole] = field(default_factory=dict)
    model: str | None = None
    model_checked: bool = False  # the model column is a bare `name`: a cell names one or none
    config: str | None = None
    config_from_heading: bool = False  # the config column is a note's headings
    params: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # the first error column; `errors` holds every one
    errors: list[str] = field(default_factory=list)
    completed: str | None = None  # requests completed per row: a row of 0 is a failed row
    success: str | None = None  # the row's success flag: false is a failed row
    status: str | None = None  # the row's outcome in words: a failure's word is a failed row
    requested: str | None = None  # requests sent per row: more than completed, some failed
    timestamp: str | None = None
    runs: str | None = None  # the run count of each row's already-aggregated values
    gpu: str | None = None  # the machine: its GPU(s), else its CPU (see `identity`)
    cpu: str | None = None
    engine: str | None = None  # the serving engine, where a column names it
    runtime: str | None = None  # the engine's runtime (`backend` beside `framework`)
    engine_as_written: bool = False  # every engine cell is an engine, known to Chimera or not
    workload: str | None = None  # the prompt or test a row ran (repetitions share it)
    phase: str | None = None  # the test's kind in words (prompt / generation), see PHASE_KEYS
    depth: str | None = None  # the context depth of a llama-bench-style test, see DEPTH_KEYS
    run_index: str | None = None  # which run a row is (1, 2, 3), see RUN_INDEX_KEYS
    preloaded: str | None = None  # whether the model was loaded before the call (PRELOADED_KEYS)
    # Ollama's placement of the model (see `placement`): a PROCESSOR column, and /api/ps's
    # size and size_vram (both or neither)
    placement: str | None = None
    vram: tuple[str, str] | None = None
    # the input and output lengths asked for, read together as the workload (see
    # INPUT_LENGTH_KEYS); both or neither
    lengths: tuple[str, str] | None = None
    # a serving run's prompt tokens over all its requests (vLLM's `total_input_tokens`), read
    # with `completed` as the prompt length a request had, its workload where none is named
    total_input: str | None = None

    # The model's reply (`banter_text`, `response`), read only beside a success flag: a reply
    # that is the harness's own connection error is a void row, whatever the flag says.
    reply: str | None = None
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
        maybe_model: str | None = None
        weak_engine: str | None = None
        lengths = [
            next((names[n] for n in keys if n in names), None)
            for keys in (INPUT_LENGTH_KEYS, OUTPUT_LENGTH_KEYS)
        ]
        if bench is None and lengths[0] is not None and lengths[1] is not None:
            cols.lengths = (lengths[0], lengths[1])
        cols.total_input = next((names[n] for n in TOTAL_INPUT_KEYS if n in names), None)
        sizes = [next((names[n] for n in keys if n in names), None)
                 for keys in (SIZE_KEYS, SIZE_VRAM_KEYS)]  # fmt: skip
        if sizes[0] is not None and sizes[1] is not None:
            cols.vram = (sizes[0], sizes[1])
        for label in labels:
            name = normalise_name(leaf(label))
            if bench is not None and bench.owns(label):
                continue
            if cols.lengths is not None and label in cols.lengths:
                continue
            if cols.vram is not None and label in cols.vram:
                continue
            if name in MODEL_KEYS:
                cols.model = cols.model or label
            elif name in CONFIG_KEYS:
                cols.config = cols.config or label
            elif name in HEADING_KEYS and cols.config is None:
                cols.config, cols.config_from_heading = label, True
            elif (param := param_name(name) or TABLE_ALIASES.get(name)) is not None:
                cols.params.setdefault(param, label)
            elif name in ERROR_KEYS:
                cols.error = cols.error or label
                cols.errors.append(label)
            elif name in SUCCESS_KEYS:
                cols.success = cols.success or label
            elif name in STATUS_KEYS:
                cols.status = cols.status or label
            elif name in COMPLETED_KEYS:
                cols.completed = cols.completed or label
            elif name in REQUESTED_KEYS:
                cols.requested = cols.requested or label
            elif name in TIME_KEYS:
                cols.timestamp = cols.timestamp or label
            elif is_reply_name(name):
                cols.reply = cols.reply or label
            elif name in RUNS_KEYS or name.startswith(("of_", "number_of_", "num_of_")):
                cols.runs = cols.runs or label
            elif name in GPU_KEYS:
                cols.gpu = cols.gpu or label
            elif name in CPU_KEYS:
                cols.cpu = cols.cpu or label
            elif name in ENGINE_KEYS:
                # A benchmark client's `backend` (vLLM's bench --backend vllm) names the API it
                # spoke; a `framework` or `engine` beside it names the engine that served.
                if name == WEAK_ENGINE_KEY:
                    weak_engine = weak_engine or label
                if cols.engine is None or normalise_name(leaf(cols.engine)) == WEAK_ENGINE_KEY:
                    cols.engine = label
            elif name in MAYBE_MODEL_KEYS:
                maybe_model = maybe_model or label
            elif name in WORKLOAD_KEYS or name in TABLE_WORKLOAD_KEYS:
                cols.workload = cols.workload or label
            elif name in PHASE_KEYS:
                cols.phase = cols.phase or label
            elif name in DEPTH_KEYS:
                cols.depth = cols.depth or label
            elif name in RUN_INDEX_KEYS:
                cols.run_index = cols.run_index or label
            elif name in PRELOADED_KEYS:
                cols.preloaded = cols.preloaded or label
            elif name in PLACEMENT_KEYS:
                cols.placement = cols.placement or label
            elif (
                (role := metric_role(leaf(label))) is not None
                and not _NOT_A_MEASUREMENT.search(str(leaf(label)))
                and not asked_for(label)
            ):
                cols.metrics[label] = role
        if cols.model is None and maybe_model is not None:
            cols.model, cols.model_checked = maybe_model, True
        serving_client = cols.completed is not None or cols.requested is not None
        if weak_engine is not None and cols.engine != weak_engine and not serving_client:
            # beside the engine, a `backend` is its runtime (LM Studio's `metal+llama.cpp` or
            # `mlx`, MLX's `metal`, PyTorch's `mps`), part of the engine as llama.cpp's build
            # is; a serving client's (requests sent, completed) is the API it spoke
            cols.runtime = weak_engine
        cols._drop_generic_rates(leaf, names)
        cols._drop_per_minute_twins()
        cols._drop_request_rates(leaf)
        cols._drop_requested(leaf)
        if bench is not None:
            cols.bench = bench
            for label, (metric, aggregate) in bench.metric_roles().items():
                cols.metrics[label] = MetricRole(metric, aggregate, 1.0)
                cols.derived.add(label)
            if cols.model is None and (bench.model_filename or bench.model_type):
                cols.model = BenchColumns.MODEL
                cols.derived.add(cols.model)
            cols.engine, cols.workload = BenchColumns.ENGINE, BenchColumns.WORKLOAD
            cols.derived.update((cols.engine, cols.workload))
        return cols

    def _drop_per_minute_twins(self) -> None:
        """A rate a minute beside the same rate a second (Shram-Benchmark's
        `tokens_per_minute` 6155.07 beside `tokens_per_second` 102.58) restates it: left
        out, so no run is counted twice."""
        per_second = {
            role.aggregate
            for role in self.metrics.values()
            if role.metric == "tokens_per_s" and role.factor == 1.0
        }
        for label, role in list(self.metrics.items()):
            minute = role.factor is not None and math.isclose(role.factor, 1 / 60)
            if role.metric == "tokens_per_s" and minute and role.aggregate in per_second:
                del self.metrics[label]

    def _drop_generic_rates(self, leaf: Callable[[str], str], names: Iterable[str]) -> None:
        """A plain "Tokens Per Second" beside llama-server's "Predict Per Second" or an output
        rate (`output_tokens_per_second`) is not the generation rate (see `_GENERIC_RATES`):
        left out, so the two are never pooled. Only there: beside another named rate
        (`eval_rate`) a plain one may hold other rows' rates. Beside a count of every token
        (vLLM's benchmark_throughput JSON: `total_num_tokens`, prompt and output tokens) the
        plain rate is that count over `elapsed_time`, the whole batch's time: both left out
        (neither is a generation rate nor a request's latency)."""
        rates = {
            label: _split_aggregate(normalise_name(leaf(label)))
            for label, role in self.metrics.items()
            if role.metric == "tokens_per_s"
        }
        if not ALL_TOKEN_COUNTS.isdisjoint(names):
            batch = [label for label in self.metrics if normalise_name(leaf(label)) in _BATCH_TIMES]
            batch += [label for label, (_, name) in rates.items() if name in _GENERIC_RATES]
            for label in batch:
                del self.metrics[label]
            return
        naming = _PREDICT_RATES | _OUTPUT_RATES
        named = {aggregate for aggregate, name in rates.values() if name in naming}
        for label, (aggregate, name) in rates.items():
            if name in _GENERIC_RATES and aggregate in named:
                del self.metrics[label]

    def _drop_request_rates(self, leaf: Callable[[str], str]) -> None:
        """Statistics of a per-request output rate (LLMPerf's summary: `results_request_
        output_throughput_token_per_s_mean` 6.97 tok/s at 128 users) beside the run's own
        output throughput (`results_mean_output_throughput_token_per_s` 396.16): two figures
        of one metric and statistic that are not one figure. The run's is kept, the
        request's left out."""
        rates = {
            label: _RATE_UNIT.sub("", _split_aggregate(normalise_name(leaf(label)))[1])
            for label, role in self.metrics.items()
            if role.metric == "tokens_per_s"
        }
        per_request = [label for label, base in rates.items() if base in _REQUEST_RATE_WORDS]
        if per_request and len(per_request) < len(rates):
            for label in per_request:
                del self.metrics[label]

    def _drop_requested(self, leaf: Callable[[str], str]) -> None:
        """Beside LLMPerf's measured `results_*` figures, its other figure-like keys are what
        it was asked for (`mean_output_tokens` 150 is --mean-output-tokens, not the tokens a
        run generated): left out."""
        measured = {
            label: normalise_name(leaf(label)).startswith(MEASURED_PREFIX) for label in self.metrics
        }
        if any(measured.values()):
            for label, is_measured in measured.items():
                if not is_measured:
                    del self.metrics[label]

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
        labels = (
            self.model, self.config, *self.errors, self.timestamp, self.gpu, self.cpu,
            self.engine, self.runtime, self.workload, self.phase, self.run_index,
        )  # fmt: skip
        return [c for c in labels if c is not None and c not in self.derived]

    def labels(self) -> list[str]:
        """Every column to read from the file (derived ones are made from these)."""
        labels = [*self.metrics, *self.text_labels(), *self.params.values()]
        extra = (
            self.runs, self.completed, self.requested, self.depth, self.success, self.status,
            self.preloaded, self.placement,
        )  # fmt: skip
        labels += [c for c in extra if c is not None]
        labels += list(self.lengths or ())
        if self.total_input is not None:
            labels.append(self.total_input)
        labels += list(self.vram or ())
        if self.reply is not None and self.success is not None:
            labels.append(self.reply)
        if self.bench is not None:
            labels += self.bench.raw_labels()
        return [c for c in dict.fromkeys(labels) if c not in self.derived]
