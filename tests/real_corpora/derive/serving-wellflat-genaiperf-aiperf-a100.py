"""Figures for serving-wellflat-genaiperf-aiperf-a100.

Usage: python serving-wellflat-genaiperf-aiperf-a100.py CORPUS_ROOT
wellflat/k8s-dev's benchmark jobs on a Kubernetes GPU node: vLLM (the `vllm-service`) serving
openai/gpt-oss-20b, measured once with NVIDIA GenAI-Perf (genai_perf/profile_export_genai_perf.json,
from commit e17e8f5, since deleted) and once with AIPerf (aiperf/profile_export_aiperf.json),
both at concurrency 1, streaming chat. Each export: one block per metric
({"unit": "ms", "avg", "p50", "p99", ...}) and the run's `input_config`. AIPerf's
`telemetry_data` names the node's GPUs (DCGM: 8 x NVIDIA A100-SXM4-80GB); GenAI-Perf's
`telemetry_stats` numbers them only. The profile-job.yaml files are the repository's current
job templates: the GenAI-Perf one is not the command of the committed export (it asks 200
input tokens and 200 requests; the export's input_config says 150 and 100).
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
if os.path.isdir(os.path.join(root, "serving-wellflat-genaiperf-aiperf-a100")):
    root = os.path.join(root, "serving-wellflat-genaiperf-aiperf-a100")

g = json.load(open(os.path.join(root, "genai_perf/profile_export_genai_perf.json")))
a = json.load(open(os.path.join(root, "aiperf/profile_export_aiperf.json")))
for name, d in (("genai-perf", g), ("aiperf", a)):
    print(name)
    for k, v in d.items():
        if isinstance(v, dict) and "unit" in v and "avg" in v:
            print(f"  {k:34s} {v['unit']:16s} avg={v['avg']!r:24} p50={v.get('p50')!r:24} p99={v.get('p99')!r}")
gi = g["input_config"]
print("genai-perf model", gi["model_names"], "stimulus", gi["perf_analyzer"]["stimulus"],
      "measurement", gi["perf_analyzer"]["measurement"], "synthetic", gi["input"]["synthetic_tokens"],
      "output", gi["input"]["output_tokens"], "backend (client default)", gi["endpoint"]["backend"],
      "url", gi["endpoint"]["url"])
ai = a["input_config"]
print("aiperf model", ai["endpoint"]["model_names"], "loadgen", ai["loadgen"], "prompt", ai["input"]["prompt"])
gpus = [gpu["gpu_name"] for ep in a["telemetry_data"]["endpoints"].values() for gpu in ep["gpus"].values()]
print("aiperf GPUs", len(gpus), set(gpus))
print("genai-perf telemetry GPU indices", sorted(g["telemetry_stats"]["gpu_power_usage"].keys() - {"unit"}))

print("f1 aiperf mean TTFT ms", a["time_to_first_token"]["avg"])
print("f2 aiperf median TTFT ms", a["time_to_first_token"]["p50"])
print("f3 aiperf mean ITL ms", a["inter_token_latency"]["avg"])
print("f4 aiperf output token throughput tok/s", a["output_token_throughput"]["avg"])
print("f5 aiperf request throughput req/s", a["request_throughput"]["avg"])
print("f6 aiperf mean request latency ms", a["request_latency"]["avg"])
print("f7 aiperf max TTFT ms", a["time_to_first_token"]["max"])
print("f8 genai-perf mean TTFT ms", g["time_to_first_token"]["avg"])
print("f9 genai-perf median TTFT ms", g["time_to_first_token"]["p50"])
print("f10 genai-perf mean ITL ms", g["inter_token_latency"]["avg"])
print("f11 genai-perf output token throughput tok/s", g["output_token_throughput"]["avg"])
print("f12 genai-perf request throughput req/s", g["request_throughput"]["avg"])
print("f13 genai-perf mean request latency ms", g["request_latency"]["avg"])
print("f14 genai-perf min request latency ms", g["request_latency"]["min"])
print("requests counted", g["request_count"]["avg"], a["request_count"]["avg"])
print("mean output lengths", g["output_sequence_length"]["avg"], a["output_sequence_length"]["avg"],
      "mean input lengths", g["input_sequence_length"]["avg"], a["input_sequence_length"]["avg"])
print("f15 genai-perf requests counted", g["request_count"]["avg"], "of",
      gi["perf_analyzer"]["measurement"]["num"], "asked; error count written:", "error_request_count" in g)
print("f16 aiperf mean time to first output token ms", a["time_to_first_output_token"]["avg"],
      a["time_to_first_output_token"]["unit"])
print("aiperf requests with an answer token", a["total_output_tokens"]["avg"] / a["output_token_count"]["avg"])
