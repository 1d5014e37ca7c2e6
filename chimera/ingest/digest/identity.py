"""Who measured what, where: the machine, the engine and the model of a benchmark row.

A comparison holds everything but the compared thing fixed, so the digest needs more than a
model name: the machine the numbers were measured on and the engine that served the model.
The rules, in order of trust:

- **Machine**: a row's own fields (llama-bench's `gpu_info`, else `cpu_info`; `gpu`,
  `gpu_name`, `device_name`, `hardware`, `machine`, `hostname`, ... in any table), else a
  folder or file name that names hardware (`1080TI/`, `A6000/`, `M1MAX/`, `rtx4090_runs.csv`).
  Nothing else: two files that say nothing are "machine not stated", never assumed one box.
  A Markdown report's `Machine label:` header line counts as its rows' field. A file name
  that says the device (`cpu-only.csv`, `gpu-run.csv`) names a setting (`device`), not a
  machine: one box run with and without its GPU.
- **Engine**: a row's own field (`engine`, `backend`, `framework`, `server`, ...), else the
  format: llama-bench output is llama.cpp (its `backends`, CUDA or Metal, said beside it),
  Ollama's API fields (`eval_duration`, `load_duration`, ...) or options (`num_gpu`,
  `num_ctx`) are Ollama. Where one engine is known in the whole folder, rows that state none
  are that engine's (`resolve_engines`).
- **Model**: a `model` field before a file name; Ollama's naming rules where the name is
  Ollama's: a bare family is `:latest` (`gemma3` is `gemma3:latest`), the registry prefix is
  dropped (`registry.ollama.ai/library/gemma3:4b` is `gemma3:4b`). A file name names a model
  by a known family and a size tag (`gemma3_270m_baseline.csv` is `gemma3:270m`) or a known
  family alone (`gemma3_param_tuning.csv` is `gemma3:latest`), else the innermost folder
  that names one model (`Qwen3-Next-80B/result.md`: a family's word, a version and more; a
  bare family, `gemma3/`, or a collection, `qwen3_results/`, names none). A Markdown table
  without a model column is the model its heading names (`## GLM-4.6 - Q2_K_XL`; written in
  words, `### Llama 3.1 8B Instruct 1 x A100 80G` is `Llama-3.1-8B-Instruct`). A bare
  `name` column (mlx_transformers_benchmark's `name,framework,backend,...`) is the model where
  no model column is, in the rows whose cell names one (`gemma-3-1b-it`; not `pp512`).
- **Settings a configuration's name states**: a heading that names a configuration ("Test 4:
  1 GPU pod hosts 7B model (Available KV cache memory: 5.01 GiB)") states the settings written
  `key: number unit` or `key=value` in it (`heading_settings`); the rest of its words, its
  label ("Test 4:") left out, describe what else the configuration was ("1 GPU pod hosts 7B
  model"): two configurations compare as a setting only where those words are the same. A
  figure the engine reports (vLLM's "Available KV cache memory", from gpu_memory_utilization
  and the GPU) tells configurations apart but is no setting (`is_reported_outcome`).
- **Engine columns**: an `engine` (`framework`) column one of whose cells names an engine
  Chimera knows holds engines in every cell: one it does not know (a fork's name,
  "Coalinfer" beside "vLLM") is an engine as written, never the note's engine.
- **Engine runtime**: a `backend` beside a `framework` or `engine` column (and no serving
  client's request counts) is the engine's runtime, kept in its name as llama.cpp's backends
  are: `LM Studio (metal+llama.cpp)` and `LM Studio (mlx)` are two engines.
"""

from __future__ import annotations

import functools
import re
from pathlib import PurePosixPath

from chimera.escape import plain

# Column or key names (normalised) that name the machine; the GPU before the CPU.
GPU_KEYS = frozenset({
    "gpu_info", "gpu", "gpu_name", "gpu_model", "gpu_type", "gpus", "device_name", "device",
    "accelerator", "hardware", "machine", "machine_name", "hostname", "host_name", "node_name",
    "chip", "system_name", "system", "computer", "box", "rig",
    # a README's "| AMD Graphics Card | Model | ... |" beside "| Nvidia Graphics Card | ...":
    # each table's cards, not one machine's
    "graphics_card", "video_card", "gpu_card", "amd_graphics_card", "nvidia_graphics_card",
    "intel_graphics_card", "amd_gpu", "nvidia_gpu", "intel_gpu",
})  # fmt: skip
CPU_KEYS = frozenset({"cpu_info", "cpu", "cpu_model", "cpu_name", "processor"})
ENGINE_KEYS = frozenset({
    "engine", "backend", "framework", "server", "runtime", "inference_engine", "serving_engine",
    "provider", "library",
})  # fmt: skip
# The engine key that yields to any other: a benchmark client's `backend` is the API it spoke
# (vLLM's bench serve writes "backend": "vllm" for an SGLang server too).
WEAK_ENGINE_KEY = "backend"
# A key named after an engine whose value is its version or build ("llama_cpp": "b11254
# (8019dc563)", "vllm_version": "0.6.3"): the file measured that engine.
_ENGINE_VERSION_KEY = re.compile(
    r"^(llama_cpp|llamacpp|vllm|sglang|ollama)(?:_(?:version|build|commit|release))?$"
)
# Ollama's model families as `ollama list` names them: a bare family is `<family>:latest`.
OLLAMA_FAMILIES = frozenset({
    "gemma", "gemma2", "gemma3", "gemma3n", "codegemma", "shieldgemma", "embeddinggemma",
    "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "llama2-uncensored",
    "codellama", "tinyllama", "llava", "llava-llama3", "llama3.2-vision",
    "qwen", "qwen2", "qwen2.5", "qwen3", "qwen2.5-coder", "qwen3-coder", "qwq", "qwen2.5vl",
    "qwen3-vl", "mistral", "mistral-nemo", "mistral-small", "mistral-large", "mixtral",
    "codestral", "ministral", "devstral", "magistral", "phi", "phi3", "phi3.5", "phi4",
    "phi4-mini", "phi4-reasoning", "deepseek-r1", "deepseek-v3", "deepseek-coder",
    "deepseek-coder-v2", "deepseek-llm", "gpt-oss", "granite3-dense", "granite3.1-dense",
    "granite3.2", "granite3.3", "granite4", "granite-code", "olmo2", "smollm", "smollm2",
    "starcoder", "starcoder2", "command-r", "command-r-plus", "aya", "yi", "falcon", "falcon3",
    "nemotron", "nemotron-mini", "hermes3", "dolphin3", "dolphin-mistral", "dolphin-llama3",
    "openchat", "orca-mini", "vicuna", "zephyr", "wizardlm2", "solar", "stablelm2",
    "nomic-embed-text", "mxbai-embed-large", "all-minilm", "moondream", "cogito", "exaone3.5",
    "internlm2", "glm4", "lfm2",
})  # fmt: skip
_ENGINES = (
    (re.compile(r"ollama", re.I), "Ollama"),
    (re.compile(r"llama[._ -]?cpp|llama[-_ ]server|llama[-_ ]bench|llamacpp", re.I), "llama.cpp"),
    (re.compile(r"vllm", re.I), "vLLM"),
    # vLLM's bench serve names an SGLang server "sgl" (`"framework": "sgl"`)
    (re.compile(r"sglang|^sgl$|\bsgl[-_ ]", re.I), "SGLang"),
    (re.compile(r"exllama[-_ ]?v?3|exl3", re.I), "ExLlamaV3"),
    (re.compile(r"exllama[-_ ]?v?2|exl2|tabby", re.I), "ExLlamaV2"),
    (re.compile(r"lm[-_ ]?studio", re.I), "LM Studio"),
    (re.compile(r"\bmlx", re.I), "MLX"),
    (re.compile(r"\btgi\b|text[-_ ]generation[-_ ]inference", re.I), "TGI"),
    # "tensorrt" alone is the general library (a Torch-TensorRT compile backend), not LLM serving
    (re.compile(r"tensorrt[-_ ]?llm|trt[-_ ]?llm", re.I), "TensorRT-LLM"),
    (re.compile(r"\bkoboldcpp", re.I), "KoboldCpp"),
    # not "ctransformers" (a GGML library of its own)
    (re.compile(r"(?<!c)transformers|hugging ?face", re.I), "Transformers"),
    # a field that says only "torch" (mlx_transformers_benchmark's `framework`): PyTorch eager
    (re.compile(r"^(?:py)?torch$", re.I), "PyTorch"),
)
# An engine's name as a file name's first word, nothing else in it (`exl2`, `llamacpp`,
# `ollama`; not `llama`, a model family, nor `hf`, any Hugging Face file).
_ENGINE_WORD = re.compile(
    r"(?i)^(?:ollama|llamacpp|llama\.cpp|vllm|sglang|sgl|exl[23]|exllamav?[23]|tabbyapi|lmstudio"
    r"|mlx|tgi|trtllm|tensorrt[-_]?llm|koboldcpp)$"
)
# Hardware named in a folder or file name (lower case, one path part at a time).
_HARDWARE = re.compile(
    r"""(?x)
    (?:^|[^a-z0-9])((?:\d+x[-_ ]?)?(?:
        (?:rtx|gtx|quadro|titan)[-_ ]?(?:a?\d{3,4}[-_ ]?(?:ti|super|ada)?|x|xp|rtx)
      | rtx[-_ ]?pro[-_ ]?\d{4}(?:[-_ ]?blackwell)?
      | (?:10[5-8]0|16[56]0|20[6-8]0|30[5-9]0|40[6-9]0|50[6-9]0)[-_ ]?(?:ti|super)?
      | (?:a100|a10g?|a30|a40|a4000|a4500|a5000|a6000|h100|h200|h20|l4|l40s?|t4|v100|p100|p40
         |b200|gb200|gh200|gb10|mi\d{2,3}x?|rx[-_ ]?\d{3,4}(?:[-_ ]?xtx?)?|arc[-_ ]?a\d{3})
      # a Mac's memory tells two of one chip apart: m4-pro-48gb is not m4-pro-64gb
      | m[1-5][-_ ]?(?:pro|max|ultra)?(?:[-_ ]?\d{2,3}[-_ ]?gb)?
      | mac[-_ ]?(?:book|mini|studio|pro)?[-_ ]?(?:pro|air)?
      | jetson[-_ a-z0-9]*|orin[-_ a-z0-9]*|raspberry[-_ ]?pi(?:[-_ ]?\d)?|rpi\d?
      | (?:dual[-_ ]?)?(?:xeon|epyc|threadripper)(?:[-_ ][a-z]?\d[\w-]*)*
      | strix[-_ ]?halo|ryzen[-_ ]?ai[-_ a-z0-9]*|dgx[-_ ]?spark|gfx\d{3,4}
      | (?:aws|ec2|gcp)[-_][a-z0-9._-]+
      # an Azure VM size, not Azure's public LLM inference traces (`azure_v1`, `azure_code`)
      | azure[-_](?!v\d|trace|llm|code|conv)[a-z0-9._-]+
      | [cgmprtx]\d[a-z]*[-_.](?:nano|micro|small|med|medium|large|\d*xlarge|metal)
    ))(?=$|[^a-z0-9])
    """
)


def _hardware_spans(part: str) -> list[tuple[int, int]]:
    """Where one name names hardware, in order."""
    found = []
    for match in _HARDWARE.finditer(part.lower()):
        start, end = match.span(1)
        if _APPLE_CHIP.match(match.group(1)) and _MODEL_SUFFIX.search(part.lower()[:start]):
            continue  # "bge-m3" (BAAI's embedding model) is no Apple M3
        found.append((start, end))
    return found


def _hardware_in(part: str) -> list[str]:
    """The hardware one name names, in order, as written there."""
    return [plain(part[start:end]) for start, end in _hardware_spans(part)]


def machine_from_heading(heading: str) -> str | None:
    """The one machine a table's heading names ("Results on RTX 4090", "M2 Max"), else None:
    none where it names two or compares ("RTX 4090 vs RTX 3090", "M3 Ultra is 2x faster than
    an RTX 4090")."""
    if not heading or COMPARING.search(heading) or re.search(r"(?i)\bthan\b", heading):
        return None
    text = heading.replace("/", " ")
    # names written side by side are one machine's: "MacBook Pro M3 Max"
    groups: list[list[int]] = []
    for start, end in _hardware_spans(text):
        if groups and re.fullmatch(r"[-_ ]?", text[groups[-1][1] : start]):
            groups[-1][1] = end
        else:
            groups.append([start, end])
    named = {plain(text[a:b]).strip().lower(): plain(text[a:b]).strip() for a, b in groups}
    return next(iter(named.values())) if len(named) == 1 else None


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def machine_from_path(path: str) -> str | None:
    """The hardware a folder or file name names, innermost folder first, as written there.

    `results/A6000/gemma.csv` -> `A6000`; `bench_rtx4090.csv` -> `rtx4090`; a year-like or
    other bare number is not hardware (`2025/`), nor a model size (`gemma3_4b`).
    """
    parts = PurePosixPath(path).parts
    folders = list(reversed(parts[:-1]))
    stem = PurePosixPath(path).stem if parts else ""
    for part in [*folders, stem]:
        if found := _hardware_in(part):
            return found[0]
    return None


# A bare Apple chip name (`m3`) hyphenated onto a word that is no Mac (`bge-m3`) is a model's
# version, not the machine.
_APPLE_CHIP = re.compile(r"^m[1-5]$")
_MODEL_SUFFIX = re.compile(r"(?<![a-z])(?!mac|apple|mbp|macbook)[a-z][a-z0-9]*-$")


# Values of a "device" or "gpu" field that name a kind of device, not a machine.
_NOT_A_MACHINE = frozenset({
    "none", "n/a", "na", "unknown", "null", "-", "cuda", "cpu", "gpu", "mps", "metal", "rocm",
    "vulkan", "auto", "default", "true", "false", "yes", "no", "cuda:0", "local", "localhost",
    "linux", "windows", "darwin", "macos", "osx", "ubuntu", "debian", "wsl", "wsl2", "win32",
    # a CPU architecture (Python's platform.machine(): "AMD64" on every Windows PC)
    "amd64", "x86_64", "x86-64", "x64", "x86", "i386", "i686", "arm64", "aarch64",
})  # fmt: skip
# `ollama ps`'s PROCESSOR ("100% GPU", "100% CPU", "22%/78% CPU/GPU"): where the model sat for
# a call, an outcome of num_ctx and the model's size on one machine, never a machine
# (leoric-crown/n8n_pgvector16 named 22 "machines" of one RTX 4090 by it). The share it
# states is read as the setup's placement (see `placement`).
_OLLAMA_PROCESSOR = re.compile(
    r"(?i)^\d{1,3}%(?:\s*/\s*\d{1,3}%)?\s+(?:cpu|gpu)(?:\s*/\s*(?:cpu|gpu))?$"
)
# The GPU (or chip) model in a device name: the part that tells two machines apart.
_GPU_MODEL = re.compile(
    r"""(?xi)
    (?:rtx|gtx|quadro|titan|tesla|arc)\s?[a-z]?\d{3,4}\s?(?:ti|super|xtx|xt|ada)?
  | rx\s?\d{3,4}\s?(?:xtx|xt|gre)?
  | radeon\s?(?:pro\s?)?[a-z]?\d{3,4}[a-z]?
  # a host's GPU in its parentheses ("Pi 5 (AMD Pro W7700)", "13900K (Nvidia 5090)")
  | \b(?:ai\s?)?pro\s?[rvw]\d{4}\b | \barc\s?pro\s?[a-z]\d{2,3}\b
  | \b(?:nvidia|geforce)\s?\d{4}\b
  | \b(?:a(?:10g?|16|30|40|100|400|500|800|[2-6]000|[45]500)|h(?:20|100|200|800)|l(?:4|20|40s?)
       |t4|v100|p(?:4|40|100)|b(?:100|200)|gb10|gb200|gh200)\b
  | \brtx\s?pro\s?\d{4}\b
  | \bmi\d{2,3}x?\b
  | \bm[1-5](?:\s?(?:pro|max|ultra))?\b
  | \b\d{4}[ms]?(?=\s?(?:graphics|ti\b|super\b))
  """
)
_CPU_MODEL = re.compile(
    r"(?i)ryzen\s(?:ai\s)?(?:max\+?\s)?\d{3,4}[a-z]*|(?:xeon|epyc|core)\s?[\w-]+"
    r"|i[3579]-\d{4,5}[a-z]*"
)


def _model_in(text: str) -> re.Match[str] | None:
    return _GPU_MODEL.search(text) or _CPU_MODEL.search(text)


def _first_device(text: str) -> str:
    """The first of a list of devices ("RX 7900 XTX, Ryzen 9 7950X": Vulkan lists the iGPU
    too); a comma inside parentheses does not end it."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char in ",;" and depth == 0:
            return text[:i]
    return text


def _without_notes(text: str) -> str:
    """The first device, without parenthesised notes that name no device (`(RADV GFX1151)`)."""
    first = re.sub(
        r"\s*\(([^)]*)\)",
        lambda m: m.group(0) if _GPU_MODEL.search(m.group(1)) else "",
        _first_device(text),
    )
    return " ".join(first.replace("*", "").split())


def _device(text: str) -> str:
    """The first device of a list, its driver notes dropped: Vulkan and ROCm builds describe
    one GPU in different words."""
    return _without_notes(text)


_VENDOR_WORDS = re.compile(
    r"\b(amd|nvidia|geforce|radeon|apple|graphics|corporation|\(r\)|\(tm\))\b", re.I
)


# An APU named by its CPU with its integrated GPU ("AMD RYZEN AI MAX+ 395 w/ Radeon 8060S"):
# the same chip a GPU field names "Radeon 8060S Graphics" (ROCm reports the CPU's name where
# Vulkan reports the iGPU's, on one machine).
_APU_IGPU = re.compile(r"(?i)\bw(?:/|ith)\s+(?:amd\s+)?(radeon\s+\d{3,4}[ms])\b")


def machine_key(label: str) -> str:
    """What two machine labels must share to be one machine: the words that name it, vendor
    words and driver notes left out (`AMD Radeon RX 7900 XTX` and `Radeon RX 7900 XTX
    (RADV)` are one machine; `Intel PC (RTX 4090)` and `Pi CM5 (RTX 4090)` are two; an APU
    `... w/ Radeon 8060S` is its iGPU `Radeon 8060S Graphics`)."""
    if apu := _APU_IGPU.search(label):
        label = apu.group(1)
    label = label.replace("\u00d7", "x")  # "2 × L40S" is "2 x L40S", two GPUs
    text = _VENDOR_WORDS.sub(" ", _without_notes(label))
    return re.sub(r"[^a-z0-9+]", "", text.lower())


# A CPU's maker as its description words it: a brand string ("Intel(R) Core(TM) i7-9700K"),
# or Windows' PROCESSOR_IDENTIFIER (Python's platform.processor(): "AMD64 Family 25 Model 97
# Stepping 2, AuthenticAMD", "Intel64 Family 6 Model 158 Stepping 10, GenuineIntel").
_CPU_MAKERS = (
    ("intel", re.compile(r"(?i)genuineintel|\bintel|xeon|core\s?\(?tm\)?\s?i\d|\bi[3579]-\d")),
    ("amd", re.compile(r"(?i)authenticamd|\bamd\b|ryzen|epyc|threadripper|^amd64 family")),
    ("apple", re.compile(r"(?i)\bapple\b")),
)
_CPU_NOTES = re.compile(
    r"(?i),?\s*(?:genuineintel|authenticamd)\b|\s+stepping\s+\d+|\((?:r|tm)\)|\s+cpu\b|\s*@.*$"
)


_CLOCK = re.compile(r"(?i)\(?\s*\d+(?:\.\d+)?\s*[mg]hz\s*\)?")


def cpu_maker(text: str) -> str | None:
    """ "intel", "amd" or "apple" where a CPU description names its maker, else None."""
    for maker, pattern in _CPU_MAKERS:
        if pattern.search(text):
            return maker
    return None


def cpus_differ(a: str, b: str) -> bool:
    """Whether two CPU descriptions certainly name two CPUs: of two makers, or written in one
    tool's words (alike but for their digits) and different. Two tools may word one CPU two
    ways ("AMD Ryzen 9 7950X" and "AMD64 Family 25 Model 97"): those are not told apart."""
    maker_a, maker_b = cpu_maker(a), cpu_maker(b)
    if maker_a and maker_b and maker_a != maker_b:
        return True
    # a clock or a stepping may be written per run ("(3700 MHz)"): neither tells two CPUs apart
    a, b = (_CLOCK.sub("", cpu_short(text)).strip() for text in (a, b))
    return a != b and re.sub(r"\d+", "#", a) == re.sub(r"\d+", "#", b)


def cpu_short(text: str) -> str:
    """A CPU description without its maker's id string, stepping, marks and clock:
    "AMD64 Family 23 Model 113", "Intel Core i7-9700K"."""
    return " ".join(_CPU_NOTES.sub("", text).split()) or text


def machine_label(gpu: object, cpu: object) -> str | None:
    """A row's machine from its fields: its (first) GPU, else its CPU; None when neither
    names one. A GPU name with no model in it ("AMD Radeon Graphics") gives way to the CPU."""
    names = []
    for value in (gpu, cpu):
        text = clean_text(value)
        if not text or text.lower() in _NOT_A_MACHINE or _OLLAMA_PROCESSOR.match(text):
            continue
        if not re.search(r"[a-z]{2}", text, re.I) and not _GPU_MODEL.search(text):
            continue  # "V100" names a GPU, as "RTX 3060" does; "3060" alone names nothing
        devices = [d.strip() for d in re.split(r"[,;]", text) if d.strip()]
        count = len(devices) if len(devices) > 1 and len(set(devices)) == 1 else 1
        device = _device(text)
        names.append(f"{count}x {device}" if count > 1 else device)
    for name in names:
        if _model_in(name):
            return name
    return names[0] if names else None


def clean_text(value: object) -> str | None:
    """A name from the data as one line of text (None: empty or missing)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(plain(str(value)).split())
    return text or None


def engine_name(value: object) -> str | None:
    """A known serving engine named in a field's value (`vllm`, `llama-server`, ...)."""
    text = clean_text(value)
    if text is None:
        return None
    for pattern, name in _ENGINES:
        if pattern.search(text):
            return name
    return None


def is_engine_version_key(name: str) -> bool:
    """Whether a (normalised) key is named after an engine, its value a version (`llama_cpp`)."""
    return _ENGINE_VERSION_KEY.match(name) is not None


def engine_from_version(name: str, value: object) -> str | None:
    """The engine a version key names (`llama_cpp`: "b11254 (8019dc563)" -> `llama.cpp
    b11254`, `vllm_version`: "0.6.3" -> `vLLM`); None where its value is no version (empty,
    a flag, no digit in it)."""
    found = _ENGINE_VERSION_KEY.match(name)
    if found is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = clean_text(value)
    if text is None or not re.search(r"\d", text):
        return None
    engine = engine_name(found[1])
    if engine == "llama.cpp":
        build = re.match(r"^b(\d+)\b|^(\d{3,})$", text)  # llama.cpp's build number: b11254
        return llama_cpp_engine(None, (build[1] or build[2]) if build else None)
    return engine


def llama_cpp_engine(backends: object, build: object = None) -> str:
    """llama-bench's engine with its build and backends: `llama.cpp b7951 (ROCm 7.12)`,
    `llama.cpp (Metal, BLAS)`: two builds of one machine are two engines, not a trend."""
    text = clean_text(backends)
    number = clean_text(build)
    name = f"llama.cpp b{number}" if number and number.isdigit() else "llama.cpp"
    if not text:
        return name
    names = [b.strip() for b in text.split(",") if b.strip()]
    names = ["Metal" if b.upper() in ("MTL", "METAL") else b for b in names]
    return f"{name} ({', '.join(names)})"


# The name llama.cpp's convert script gives every model (`ggml-model-q4_0.gguf`, in the model's
# own folder: `models/7B/`, `pythia/1.4B/`): it names a quantisation, not a model.
_GENERIC_GGUF = re.compile(r"^ggml-model(?:[-_.][\w.]+)?$", re.I)


def generic_gguf(stem: str) -> bool:
    """Whether a GGUF's stem is the convert script's `ggml-model-<type>`, naming no model."""
    return _GENERIC_GGUF.match(stem) is not None


# The weights' format a model's name writes (`llama-2-7b-chat.ggmlv3.q4_0`,
# `Llama-2-7b-Chat-GPTQ`, Meta's `Llama-2-7b-chat-hf`): each is read by its own runtimes
# (GGML by llama.cpp and its bindings, GPTQ by AutoGPTQ or ExLlama, `-hf` by Transformers).
_WEIGHTS_FORMATS = (
    (re.compile(r"(?i)(?:^|[^a-z])ggml(?:v\d+)?(?:[^a-z]|$)"), "GGML"),
    (re.compile(r"(?i)(?:^|[^a-z])gguf(?:[^a-z]|$)"), "GGUF"),
    (re.compile(r"(?i)(?:^|[^a-z])gptq(?:[^a-z]|$)"), "GPTQ"),
    (re.compile(r"(?i)(?:^|[^a-z])awq(?:[^a-z]|$)"), "AWQ"),
    (re.compile(r"(?i)(?:^|[^a-z])exl2(?:[^a-z]|$)"), "EXL2"),
    (re.compile(r"(?i)[-_]hf$"), "HF Transformers"),
)


def weights_format(model: object) -> str | None:
    """The weights' format a model's name writes (GGML, GGUF, GPTQ, AWQ, EXL2, `-hf`), else
    None."""
    text = clean_text(model)
    if text is None:
        return None
    return next((name for pattern, name in _WEIGHTS_FORMATS if pattern.search(text)), None)


def format_runtime(weights: str) -> str:
    """The engine of rows that state none, named by their weights' format: "GPTQ (runtime
    not named)", never a runtime the data does not name (its first word, the format, is the
    engine's family)."""
    return f"{weights} (runtime not named)"


# A split GGUF's shard number (`-00001-of-00003`, gguf-split's naming): one model in three
# files, named by its first.
_GGUF_SHARD = re.compile(r"-\d{5}-of-\d{5}$")


def gguf_stem(name: str) -> str:
    """A GGUF file name as the model it holds: `Qwen3.5-122B-A10B-UD-Q4_K_XL-00001-of-00003.gguf`
    -> `Qwen3.5-122B-A10B-UD-Q4_K_XL`."""
    return _GGUF_SHARD.sub("", re.sub(r"\.gguf$", "", name.strip(), flags=re.I).strip())


def gguf_model(path: str) -> str | None:
    """The model a GGUF path names: its file's stem (`Qwen3-4B-Q5_K_M`), or, for the convert
    script's generic `ggml-model-<type>`, with the folders it sits in (`pythia/1.4B/ggml-model-
    q4_0`), so two models converted alike are never one; None for an empty path."""
    parts = [p for p in re.split(r"[\\/]", path.strip()) if p]
    if not parts:
        return None
    stem = gguf_stem(parts[-1])
    if not stem:
        return None
    if generic_gguf(stem):
        folders = [p for p in parts[:-1] if p not in (".", "..")][-2:]
        return "/".join([*folders, stem])
    return stem


_REGISTRY = re.compile(r"^(?:[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?/)?(?:library/)?", re.I)


def model_name(value: object) -> str | None:
    """A model name from the data, with Ollama's naming rules where it is an Ollama name."""
    text = clean_text(value)
    if text is None:
        return None
    if text.lower().endswith(".gguf"):  # llama-server answers "model": "qwen3.6-27b-q4_k_m.gguf"
        return gguf_model(text)
    if re.match(r"^[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?/library/", text, re.I):
        text = _REGISTRY.sub("", text)
    head, sep, rest = text.partition(":")
    if sep and rest and machine_from_path(head) == head:
        text = rest  # a router's machine prefix ("rtx5090:gemma-3-4b"): the machine is apart
    elif sep and head.lower() in OLLAMA_FAMILIES:
        text = text.lower()  # Ollama's names are lower case ("Gemma3:270m" is gemma3:270m)
    if ":" not in text and text.lower() in OLLAMA_FAMILIES:
        return f"{text.lower()}:latest"
    return text


_MODEL_FROM_NAME = re.compile(
    r"(?P<family>[a-z][a-z0-9.\-]*?)_(?P<tag>\d+(?:\.\d+)?[bmk](?:-[a-z0-9.]+)*|latest)(?=[_ ]|$)"
)
# A version written with "_" for its dot, then the size (`llama_3_3_70b_online_output.jsonl`,
# `qwen2_5_7b_results.csv`): Llama 3.3 70B and Qwen2.5 7B, where the family's first part
# was read alone (`qwen2:latest`) or nothing at all.
_VERSION_IN_NAME = re.compile(
    r"^(?P<family>[a-z]+)(?P<major>\d*)_(?P<v1>\d{1,2})(?:_(?P<v2>\d{1,2}))?"
    r"_(?P<size>\d+(?:\.\d+)?[bm])(?=_|$)"
)


# A file name that says the runs used the CPU only, or a GPU ("cpu-only.csv" beside
# "gpu-run.csv"): the device is a setting of those runs, never two repetitions of one setup.
_CPU_ONLY = re.compile(r"(?:^|[^a-z0-9])cpu(?:[-_ ]?only)?(?:$|[^a-z0-9])")
_ON_GPU = re.compile(r"(?:^|[^a-z0-9])(?:gpu|cuda)(?:[-_ ]?(?:run|only|offload))?(?:$|[^a-z0-9])")


# A GPU the name says was not used (`no_gpu.csv`, `without-gpu`): the runs used the CPU. A CPU
# offload (`cpu-offload.csv`, vLLM's --cpu-offload-gb, weights kept in RAM) is a GPU run's
# option, naming no device.
_NO_GPU = re.compile(r"(?:^|[^a-z0-9])(?:no|non|without|w/?o)[-_ ]?gpu(?:$|[^a-z0-9])")
_CPU_OFFLOAD = re.compile(r"(?:^|[^a-z0-9])cpu[-_ ]?offload")


# A folder named for the device alone (`runs/cpu/results.csv` beside `runs/gpu/results.csv`).
_DEVICE_FOLDER = re.compile(
    r"(?i)^(?:(?P<cpu>cpu(?:[-_ ]?(?:only|run))?|no[-_ ]?gpu)"
    r"|(?P<gpu>gpu|cuda)(?:[-_ ]?(?:only|run))?)$"
)


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def device_from_filename(name: str) -> str | None:
    """The device ("cpu" or "gpu") a file's name says its runs used, else the folder it sits
    in where that folder is named for the device alone (`runs/gpu/results.csv`); a folder
    that only mentions one (`gpu-benchmarks/`) names none."""
    path = PurePosixPath(name)
    if len(path.parts) > 1 and (folder := _DEVICE_FOLDER.match(path.parts[-2])) is not None:
        own = _device_in_stem(path.stem.lower())
        return own or ("cpu" if folder["cpu"] else "gpu")
    return _device_in_stem(path.stem.lower())


def _device_in_stem(stem: str) -> str | None:
    if _NO_GPU.search(stem):
        return "cpu"
    if _CPU_OFFLOAD.search(stem):
        return None
    cpu, gpu = _CPU_ONLY.search(stem), _ON_GPU.search(stem)
    if cpu and not gpu:
        return "cpu"
    if gpu and not cpu:
        return "gpu"
    return None


# A Hugging Face id written into a file name with "_" for "/" (`meta-llama_Meta-Llama-3-8B-
# Instruct_tp_1_summary.json`, `Qwen_Qwen3-4B-Thinking-2507_tp2_...`): an organisation, then a
# hyphenated name with a size in it.
_HF_ID_IN_NAME = re.compile(
    r"(?P<org>[A-Za-z][A-Za-z0-9.\-]*)_(?P<name>[A-Za-z][\w.]*(?:-[\w.]+)*?-\d+(?:\.\d+)?[bBmM]"
    r"(?:-[A-Za-z0-9.]+)*)(?=_|$)"
)


# First words of file names that say what the file is, not whose model it ran.
_NOT_AN_ORG = frozenset({
    "results", "result", "bench", "benchmark", "benchmarks", "run", "runs", "output", "outputs",
    "data", "test", "tests", "summary", "report", "reports", "log", "logs", "eval", "sweep",
})  # fmt: skip


# A serving engine written before a Hugging Face model id in a file name (`vllm_Mistral-7B-
# Instruct-v0.3.csv` beside `sglang_Mistral-7B-Instruct-v0.3.csv`): the engine that served the
# model, not the model's organisation. The whole word only: `mlx-community_...` and
# `HuggingFaceH4_zephyr-7b-beta` are organisations.
_ENGINE_AS_ORG = re.compile(
    r"(?i)^(?:ollama|vllm|sglang|sgl|tgi|llama[-.]?cpp|llama[-]?server|trt[-]?llm|"
    r"tensorrt[-]?llm|mlx|mlx[-]lm|lm[-]?studio|exllamav?[23]|koboldcpp|transformers|hf)$"
)


# A quantisation or precision written before a model id in a file name (`int4_Llama-3-8B.csv`
# beside `fp16_Llama-3-8B.csv`, `Q4_K_M_Llama-3-8B.csv`): a setting of the model's runs, not
# its organisation.
_QUANT_PREFIX = re.compile(
    r"(?i)^(?P<q>i?q[2-8](?:_k)?(?:_(?:xxs|xs|s|m|l|0|1))?|fp(?:8|16|32)|bf16|f16|f32|int[48]"
    r"|w[48]a(?:8|16)|awq|gptq|exl2|mxfp4|nvfp4|[48]-?bit)_(?P<rest>.+)$"
)
# A model id holding a size, up to the next "_" (`Llama-3-8B-Instruct` of `..._run1`).
_MODEL_ID = re.compile(
    r"[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)*?-\d+(?:\.\d+)?[bBmM](?:-[A-Za-z0-9.]+)*(?=_|$)"
)


def _quantised(name: str) -> tuple[str, str] | None:
    """(quantisation, model) of a file name writing a quantisation before its model id."""
    found = _QUANT_PREFIX.match(PurePosixPath(name).stem)
    if found is None:
        return None
    rest = found["rest"]
    model = model_from_filename(f"{rest}.x")  # ".x": a dot in the id is no suffix
    if model is None and (plain_id := _MODEL_ID.match(rest)) is not None:
        model = plain_id.group()
    return (found["q"].upper(), model) if model else None


_QUANT_FOLDER = re.compile(
    r"(?i)^(?:i?q[2-8](?:_k)?(?:_(?:xxs|xs|s|m|l|0|1))?|fp(?:8|16|32)|bf16|f16|f32|int[48]"
    r"|w[48]a(?:8|16)|awq|gptq|exl2|mxfp4|nvfp4|[48]-?bit)$"
)


# A quantisation written as a word of a run's tag (`trtllm_nvfp4_pad`, `vllm_fp8_v2`).
_TAG_QUANT = re.compile(
    r"(?i)(?<![a-z0-9])(nvfp4|mxfp4|fp(?:4|8|16|32)|bf16|f16|f32|int[48]|w[48]a(?:8|16)|awq"
    r"|gptq|exl2|i?q[2-8](?:_k)?(?:_(?:xxs|xs|s|m|l|0|1))?)(?![a-z0-9])"
)
# A tag's words that tell no variant apart: a re-run's number (`_v2`, `_run3`), filler, or
# a re-run's part of the sweep (Azir111's `trtllm_nvfp4_fill` at c40/56 and `_hi2` at c48/64
# are the default config's levels run again: the rows say which levels, not a deployment).
_TAG_FILLER = re.compile(
    r"(?i)^(?:v\d+|run\d*|r\d+|\d+|results?|bench(?:mark)?s?|tests?|sweep|rerun"
    r"|(?:re)?fill|extra|more|retry|redo|again|resumed?|cont(?:inued)?|(?:hi|lo)\d*)$"
)


# A KV cache's type in a tag (`vllm_kv_fp8`, `fp8kv`): the cache's, not the weights'. `kv_`
# before a type is read first: `bf16_kv_fp8` is BF16 weights and an FP8 cache.
_KV_TYPES = r"(fp8|fp16|bf16|int8|int4|q8_0|q4_0|f16)"
_TAG_KV = (
    re.compile(rf"(?i)(?<![a-z0-9])kv(?:_?cache)?[-_]?{_KV_TYPES}(?![a-z0-9])"),
    re.compile(rf"(?i)(?<![a-z0-9]){_KV_TYPES}[-_]?kv(?:_?cache)?(?![a-z0-9])"),
)


def tag_kv_cache(tag: str) -> tuple[str | None, str]:
    """The KV cache type a tag names (`vllm_kv_fp8` -> FP8), and the tag without it."""
    for pattern in _TAG_KV:
        if (found := pattern.search(tag)) is not None:
            return found.group(1).upper(), tag[: found.start()] + " " + tag[found.end() :]
    return None, tag


@functools.lru_cache(maxsize=1024)
def tag_parts(tag: str, model: str = "") -> tuple[str | None, str | None, str | None]:
    """(engine, quantization, variant) a run's tag names: `trtllm_nvfp4_pad` -> TensorRT-LLM,
    NVFP4 and the variant `pad` (what tells it apart from the plain `trtllm_nvfp4`);
    `vllm_fp8_v2` -> vLLM, FP8 and no variant (`v2` is a re-run). A word of the model's name
    (`llama31`, `8b`) is no variant; a tag of two engines or quantisations names neither; a
    KV cache's type (`kv_fp8`, see `tag_kv_cache`) is no quantisation of the weights."""
    tag = tag_kv_cache(tag)[1]
    quants = {q.upper() for q in _TAG_QUANT.findall(tag)}
    rest = _TAG_QUANT.sub(" ", tag)
    engines: set[str] = set()
    model_words = {w for w in re.split(r"[^a-z0-9.]+", model.lower()) if w}
    variant: list[str] = []
    for word in re.split(r"[^A-Za-z0-9.]+", rest):
        if not word or _TAG_FILLER.match(word) or word.lower() in model_words:
            continue
        if (engine := engine_name(word)) is not None:
            engines.add(engine)
        else:
            variant.append(word)
    return (
        engines.pop() if len(engines) == 1 else None,
        quants.pop() if len(quants) == 1 else None,
        "_".join(variant) or None,
    )


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def quantisation_from_filename(name: str) -> str | None:
    """The quantisation a file's name writes before its model id (`int4_Llama-3-8B.csv`),
    else the one a folder of its path is named for alone (`results/q4_k_m/bench.csv`)."""
    found = _quantised(name)
    if found:
        return found[0]
    folders = {p.upper() for p in PurePosixPath(name).parts[:-1] if _QUANT_FOLDER.match(p)}
    return folders.pop() if len(folders) == 1 else None


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def engine_from_filename(name: str) -> str | None:
    """The engine a file's name writes beside its model (`vllm_Mistral-7B-Instruct-v0.3.csv`,
    `vllm-Qwen2.5-7B.json` -> vLLM), or as its first word (`exl2_speed_data.csv` ->
    ExLlamaV2, `llamacpp_speed_data.csv` -> llama.cpp), else None."""
    stem = PurePosixPath(name).stem
    hf = _HF_ID_IN_NAME.match(stem)
    if hf is not None and _ENGINE_AS_ORG.match(hf["org"]) is not None:
        return engine_name(hf["org"])
    found = _folder_model(stem.split("_", 1)[0])
    if found:
        return found[1]
    # a Hugging Face id's organisation is no engine (`mlx-community_Mistral-7B-...`)
    first = re.split(r"_" if hf is not None else r"[-_ .]", stem, maxsplit=1)[0]
    if first.lower() == "trt" and len(stem) > len(first):
        return "TensorRT-LLM"  # `trt-1000-2000.json` beside `vllm-...`, `sgl-...`: TRT-LLM's
    return engine_name(first) if _ENGINE_WORD.match(first) else None


def model_from_filename(name: str) -> str | None:
    """`gemma3_270m_baseline.csv` -> `gemma3:270m`; `gemma3_param_tuning.csv` -> `gemma3:latest`;
    `mistralai_Mistral-7B-Instruct-v0.2_tp_1.json` -> `mistralai/Mistral-7B-Instruct-v0.2`.

    The stem's first "_"-separated part is the family; a size tag after it (digits + b/m/k,
    optionally with "-suffixes" such as `1b-it-qat`) or "latest" makes the tag. Else an
    organisation and a hyphenated name holding a size is a Hugging Face id with "_" for "/"
    (`Qwen_Qwen3-30B-A3B_tp4_...`: not Ollama's `qwen:latest`), unless its "organisation" is
    an engine (`vllm_Mistral-7B-Instruct-v0.3.csv`: the model is `Mistral-7B-Instruct-v0.3`,
    its engine `engine_from_filename`'s) or a machine or quantisation (`rtx4090_...`,
    `int4_...`: the path's machine, `quantisation_from_filename`). A known Ollama family with no
    tag after it is Ollama's bare name, `:latest`. Anything else (`ollama_bench_20251114.json`)
    names no model.
    """
    if (quantised := _quantised(name)) is not None:
        return quantised[1]  # int4_Llama-3-8B.csv: Llama-3-8B, quantization=INT4
    stem = PurePosixPath(name).stem.lower()
    if (versioned := _VERSION_IN_NAME.match(stem)) is not None:
        parts = [versioned["major"], versioned["v1"], versioned["v2"]]
        family = versioned["family"] + ".".join(p for p in parts if p)
        if _FAMILY_WORD.search(family):
            return f"{family}:{versioned['size']}"
    found = _MODEL_FROM_NAME.match(stem)
    if found:
        return f"{found['family']}:{found['tag']}"
    hf = _HF_ID_IN_NAME.match(PurePosixPath(name).stem)
    if hf and engine_from_filename(name) is not None:
        return hf["name"]  # vllm_Mistral-7B-Instruct-v0.3.csv: vLLM served Mistral-7B-...
    if hf and machine_from_path(hf["org"]) is not None:
        return hf["name"]  # rtx4090_Llama-3-8B.csv: the path's machine, not an organisation
    if hf and hf["org"].lower() not in _NOT_AN_ORG:
        return f"{hf['org']}/{hf['name']}"
    family = stem.split("_", 1)[0]
    if family in OLLAMA_FAMILIES:
        return f"{family}:latest"
    # Any engine's model id as the file's name or before its kind (`Mistral-7B-Instruct-v0.3.csv`,
    # `Qwen2.5-7B-Instruct_results.json`).
    first = PurePosixPath(name).stem.split("_", 1)[0]
    found = _folder_model(first)  # `rtx4090-llama3-8b.csv`: llama3-8b, as its folder would
    return found[0] if found else None


# Model families by the words their names start with, any engine's spelling (`Qwen3-VL-235B`,
# `GLM-4.6`, `DeepSeekV3.1-Terminus`, `Meta-Llama-3.1-8B-Instruct`, `llama-2-7b.Q4_0`).
_FAMILY_WORD = re.compile(
    r"""(?xi)(?:^|[^a-z0-9])(?:
        llama|qwen|qwq|gemma|glm|chatglm|deepseek|mistral|mixtral|ministral|magistral|devstral
      | codestral|phi|gpt[-_]?oss|gpt|granite|olmo|smollm|falcon|yi|command[-_]?r|nemotron
      | kimi|minimax|hunyuan|ernie|internlm|baichuan|codellama|starcoder|tinyllama|vicuna|llava
      | lfm|exaone|dbrx|jamba|hermes|dolphin|openchat|zephyr|solar|stablelm|bloom|mpt|rwkv
      | olmoe|granite|seed[-_]?oss|cogito|aya
    )(?=[-_ .]?v?\d|[-_ .][a-z]*[-_ .]?\d)"""
)
# Words of a folder name that make it a collection, not one model (`qwen3_results/`), or a
# project about models (`phi3-experiments/`).
_COLLECTION_WORD = re.compile(
    r"(?i)(?:^|[^a-z])(?:results?|bench(?:mark)?s?|runs?|logs?|outputs?|data|tests?|reports?"
    r"|sweeps?|raw|plots?|charts?|csv|json|models|compare|comparison|vs"
    # a project about a model, not the model (`phi3-experiments/`, `llama3-finetune/`)
    r"|experiments?|exp|evals?|evaluation|notes|tuning|finetune|fine-tuning|finetuning|analysis"
    r"|study|scripts?|profiling|playground|demo)(?:[^a-z]|$)"
)


# More than a family and its version: a size, a variant or a tag (`Qwen3-Next-80B`, `GLM-4.6`,
# `gemma3:4b`); `gemma3/` or "Gemma3 Benchmark Report" is a family, its models several.
_BEYOND_FAMILY = re.compile(r"(?i)[-_:]|\d(?:\.\d+)?[bmk]\b")


@functools.lru_cache(maxsize=4096)  # a folder's name is asked once per file in it
def _names_one_model(text: str) -> bool:
    """Whether a name is one model's: a family's word with a version or size after it, more
    than the family, no word of a collection, no engine (`llama.cpp-b4000` is the engine)."""
    return (
        _FAMILY_WORD.search(text) is not None
        and _BEYOND_FAMILY.search(text) is not None
        and _COLLECTION_WORD.search(text) is None
        and engine_name(text) is None
    )


_NOT_LETTERS = re.compile(r"[^a-z]")


@functools.lru_cache(maxsize=4096)  # asked for every pair of records a copy check compares
def model_family(text: str) -> str | None:
    """The family word a model's name starts its name with, lower case (`Meta-Llama-3.1-8B`
    and `llama3.1:8b` -> `llama`; `Mixtral-8x7B-Instruct` -> `mixtral`); None where no known
    family is named."""
    found = _FAMILY_WORD.search(text)
    if found is None:
        return None
    word = _NOT_LETTERS.sub("", found.group().lower())
    return {"codellama": "llama", "tinyllama": "llama"}.get(word, word)


# A GGUF file's quantisation written after its model's name (`RavenX-OpenFable-Holo3 Q4_K_M`,
# `DeepSeek-Coder-V2-Lite IQ4_XS`): the K-quant and i-quant types, always with an underscore.
_GGUF_TYPE_WORD = re.compile(r"(?i)^(?:i?q\d(?:_[a-z0-9]+)+|tq\d_\d)$")


def _gguf_named(text: str) -> bool:
    """Whether a name is a model's as GGUF releases write one: a name of more than a word
    (`-` or a digit in it), then its quantisation type as a word of its own."""
    words = text.split()
    return (
        len(words) >= 2
        and any(c == "-" or c.isdigit() for c in words[0])
        and any(_GGUF_TYPE_WORD.match(w) for w in words[1:])
    )


def names_a_model(text: str) -> bool:
    """Whether a cell names one model in any engine's spelling (`gemma-3-1b-it`,
    `Deepseek-R1-Distill-7B`, `llama3.2:3b`, `RavenX-OpenFable-Holo3 Q4_K_M`), not a test
    or a config (`pp512`, `baseline`)."""
    return (
        _names_one_model(text)
        or model_from_heading(text) is not None
        or ("_" in text and _gguf_named(text))
    )


# A date in a folder's name (`llama3-8b_2024-05-01/`, `20260810T235823Z-minimax-m2.7`, UTC):
# when the runs were made, not the model.
_FOLDER_DATE = re.compile(
    r"(?<!\d)20\d{2}[-_]?(?:0[1-9]|1[0-2])[-_]?(?:0[1-9]|[12]\d|3[01])(?:[-_T]?\d{4,6}Z?)?(?!\d)"
)


# Words of a name that say how the runs were made: the device, tensor or pipeline parallelism, a
# concurrency, a batch size, a run's number.
_RUN_WORDS = re.compile(
    r"(?i)(?:^|(?<=[-_ .]))(?:cpu(?:[-_]?only)?|gpu|cuda|no[-_]?gpu|tp\d{1,2}|pp\d{1,2}"
    r"|c\d{1,4}|bs\d{1,4}|conc(?:urrency)?[-_]?\d+|users[-_]?\d+|(?:run|rep|trial)[-_]?\d+)"
    r"(?=$|[-_ .])"
)


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def _folder_model(part: str) -> tuple[str, str | None] | None:
    """(model, engine) a folder's name gives once the hardware, the date and an engine written
    beside the model are taken out (`rtx4090-llama3-8b` -> llama3-8b on the path's machine,
    `ollama-llama3.1-8b` -> llama3.1-8b with Ollama); None when what is left names no model."""
    text, engine = part, None
    for hardware in _hardware_in(part):
        text = text.replace(hardware, " ")
    text = _FOLDER_DATE.sub(" ", text)
    text = _RUN_WORDS.sub(" ", text)  # `llama3-8b-gpu`, `llama3-70b-tp2`: settings, not the model
    for pattern, name in _ENGINES:
        if (found := pattern.search(text)) is not None:
            text, engine = text[: found.start()] + " " + text[found.end() :], name
            break
    text = re.sub(r"^[-_ .]+|[-_ .]+$", "", re.sub(r"[-_ .]*\s+[-_ .]*", "_", text.strip()))
    if text != part and text and _names_one_model(text) and not re.search(r"[+&,]", text):
        return model_name(text), engine  # not "gemma4:12b+bge-m3": two models
    if _names_one_model(part):
        # An Ollama name written with "_" for its ":" (ChimeraForge's `gemma3_latest/`
        # beside runs of gemma3:latest): the Ollama name, not a model of its own
        ollama = model_from_filename(part) if "_" in part else None
        if ollama and ollama.partition(":")[0] in OLLAMA_FAMILIES:
            return ollama, None
        return model_name(part), None
    return None


def model_from_folder(path: str) -> str | None:
    """The model the innermost folder of a path names, as written there
    (`Qwen3-Next-80B/result.md` -> `Qwen3-Next-80B`), without the hardware, date or engine
    its name writes beside it (`rtx4090-llama3-8b/`); None when no folder names one.

    Only the folders: a file name is read by `model_from_filename` (Ollama's style)."""
    for part in reversed(PurePosixPath(path).parts[:-1]):
        if (found := _folder_model(part)) is not None:
            return found[0]
    return None


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def engine_from_folder(path: str) -> str | None:
    """The engine a model's folder writes beside the model (`vllm-Qwen2.5-7B/` -> vLLM)."""
    for part in reversed(PurePosixPath(path).parts[:-1]):
        if (found := _folder_model(part)) is not None:
            return found[1]
    return None


@functools.lru_cache(maxsize=4096)  # a path or a folder name recurs per table
def model_from_path(path: str) -> str | None:
    """The model a file's name, else a folder of its path, names (None: neither)."""
    return model_from_filename(path) or model_from_folder(path)


_SIZE_TAG = re.compile(r"^\d+(?:\.\d+)?[bmk](?:-[\w.]+)?$", re.I)
# A quantisation named beside a model (`Q4_K_M`, `IQ1_M`, `TQ1_0`, `Q6_K_XL`, `BF16`, `MXFP4`).
_QUANT_WORD = re.compile(r"(?i)^(?:i?q\d(?:_[a-z0-9]+)*|tq\d_\d|f16|bf16|f32|fp8|mxfp4|awq|gptq)$")


def is_quantisation(value: object) -> bool:
    """Whether a cell is a quantisation's name alone (`Q8_0`, `IQ2_XXS`, `BF16`), no model's."""
    text = clean_text(value)
    return text is not None and _QUANT_WORD.match(text) is not None


_FILE_SIZE_AFTER = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*[KMGT]i?B\s*\)\s*$", re.I)


def model_from_heading(text: str) -> str | None:
    """The model a Markdown heading names, Ollama style: `Llama 3.2:3b` -> `llama3.2:3b`,
    `DeepSeek R1 14b` -> `deepseek-r1:14b`, `gpt-oss 20b` -> `gpt-oss:20b`, a bare family
    `LLAMA 3.2 (2.0GB)` -> `llama3.2:latest` (the file size in brackets is no part of the name);
    None when it names none (a family Ollama knows and a size, or a name:tag)."""
    text = re.sub(r"^(?:model|results?(?: for)?)\s*:?\s*", "", text.strip(), flags=re.I)
    # its file size in brackets after it ("Deepseek-R1 7b (4.7 GB)") is no part of the name
    words = _FILE_SIZE_AFTER.sub("", text).split()
    if not words:
        return None
    last = words[-1].lower()
    whole = "".join(w.lower() for w in words)
    if ":" not in last and whole in OLLAMA_FAMILIES and len(words) <= 2:
        return f"{whole}:latest"  # "LLAMA 3.2 (2.0GB)", "Mistral (4.1GB)": a bare family
    if ":" in last and len(words) == 1:
        family, _, tag = last.partition(":")
    elif ":" in last:
        head, _, tag = last.partition(":")
        family, words = head, [*words[:-1], head]
    elif _SIZE_TAG.match(last) and len(words) >= 2:
        tag, words = last, words[:-1]
        family = words[-1].lower()
    else:
        return None
    parts = [w.lower() for w in words if w]
    candidates = ["".join(parts), "-".join(parts), family]
    for candidate in candidates:
        if candidate in OLLAMA_FAMILIES:
            return f"{candidate}:{tag}"
    return None


# The words after a family in a model's name written out (`Llama 2 7B Chat`): a version, a
# size or a variant.
_VARIANT_WORD = re.compile(r"(?i)^(?:v?\d[\w.]*|instruct|chat|base|it|coder|vision|preview|hf)$")


def model_from_words(text: str) -> str | None:
    """A heading that is one model's name in words, as written (`Llama 2 7B Chat`, `Mistral
    7B v0.1 Instruct`): a family, then only versions, sizes and variants. None otherwise
    (`A100 80GB Inference Bench`, `Llama 2 on an RTX 4090`)."""
    words = text.strip().rstrip(":").split()
    if not 2 <= len(words) <= 6 or not all(_VARIANT_WORD.match(w) for w in words[1:]):
        return None
    return " ".join(words) if _names_one_model("-".join(words)) else None


COMPARING = re.compile(r"(?i)\b(?:vs\.?|versus|compared?|comparison|against)\b")


def _title_words(text: str) -> list[str]:
    """A heading's words without the emphasis, brackets and punctuation around them."""
    return [w.strip("*`_()[],:;") for w in text.split()]


# What follows a model's size in its name written with spaces ("Llama 3.1 8B Instruct").
_NAME_SUFFIX = re.compile(r"(?i)^(?:instruct|chat|base|it|coder|vision|preview|hf|v\d+(?:\.\d+)*)$")
_VERSION_WORD = re.compile(r"^\d+(?:\.\d+)?$")


def _spaced_model(words: list[str]) -> str | None:
    """A model named in words ("Llama 3.1 8B Instruct", "Qwen 2.5 7B"): a family's word, a
    version, a size, and the words of its variant after it, joined as its id is
    (`Llama-3.1-8B-Instruct`); what follows ("1 x A100 80G") is not its name. None where the
    words name no family with a size."""
    for i, word in enumerate(words):
        if not word or _FAMILY_WORD.match(" ".join(words[i : i + 3])) is None:
            continue  # a family's word with its version or size after it
        j = i + 1
        while j < len(words) and _VERSION_WORD.match(words[j]) and j - i < 3:
            j += 1  # "3.1": the family's version
        if j >= len(words) or not _SIZE_TAG.match(words[j]):
            continue
        j += 1
        while j < len(words) and _NAME_SUFFIX.match(words[j]):
            j += 1
        return "-".join(w for w in words[i:j] if w)
    return None


def _names_a_model(text: str) -> bool:
    """Whether a part of a heading names a model, in Ollama's style or any engine's."""
    words = _title_words(text)
    return model_from_heading(text) is not None or any(w and _names_one_model(w) for w in words)


@functools.lru_cache(maxsize=4096)  # a folder's notes repeat their headings
def model_from_title(text: str) -> str | None:
    """The model a heading names in any engine's spelling: its one word that names a model,
    with a quantisation the heading names beside it (`Qwen3-VL-235B-A22B-Instruct - Unsloth
    Dynamic Quantization IQ1_M` -> `Qwen3-VL-235B-A22B-Instruct IQ1_M`); Ollama's style first
    (`Llama 3.2:3b`). None when it names no model, or two (`qwen3-8b vs llama3.1-8b`, `Llama 3
    8B vs Qwen2 7B`: not the last one); a comparison of one model's options names it in
    Ollama's style (`Q4_K_M vs Q8_0 for llama3.1:8b`)."""
    sides = COMPARING.split(text)
    if len(sides) > 1 and sum(_names_a_model(side) for side in sides) > 1:
        return None  # "Llama 3 8B vs Qwen2 7B": neither is the table's model
    ollama = model_from_heading(text)
    if ollama is not None:
        return ollama
    words = _title_words(text)
    named = [w for w in words if w and _names_one_model(w)]
    if not named and len(sides) == 1 and (spaced := _spaced_model(words)) is not None:
        named = [spaced]  # "Llama 3.1 8B Instruct 1 x A100 80G": Llama-3.1-8B-Instruct
    if len(named) != 1 or len(sides) > 1:
        return None
    model = named[0]
    quants = [w for w in words if _QUANT_WORD.match(w) and w.lower() not in model.lower()]
    return model_name(f"{model} {quants[0]}" if len(quants) == 1 else model)


# A configuration's label before what it describes ("Test 4:", "Run 2 -", "3."): its name,
# not a setting.
_CONFIG_LABEL = re.compile(
    r"^(?:(?:test|run|case|experiment|scenario|setup|config(?:uration)?|benchmark)\s*#?\s*"
    r"\d+[a-z]?|\d+)\s*[:.)\-\u2013]\s*",
    re.I,
)
# A setting stated in a name: "key: 5.01 GiB" or "key = 0.9" (a number, a unit word), ended by
# a bracket, a comma, a semicolon or the end; or "key=value" (one word, no spaces).
_STATED_NUMBER = re.compile(
    r"(?P<key>[A-Za-z][\w .%/-]*?)\s*[:=]\s*(?P<number>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>[A-Za-z%]+)?\s*(?=[),;]|$)"
)
_STATED_WORD = re.compile(r"(?P<key>[A-Za-z_][\w.-]*)=(?P<value>[^\s,;()=]+)")
# The rest of a heading is named by this setting: what else the configuration was (bhodgens'
# "cpu-moe ngl=99 ubatch=256 thr=6": variant=cpu-moe; "heading=cpu-moe" read as our jargon).
HEADING_REST = "variant"
# What an engine reports of a configuration rather than what anyone set ("Available KV cache
# memory: 5.01 GiB" is vLLM's start-up figure, from gpu_memory_utilization, max_model_len, the
# model and the GPU; "KV cache usage: 41 %", "memory used: 61 GB"): kept to tell
# configurations apart, never said to be a setting's effect nor recommended. Not a bare "KV
# cache memory" nor "max concurrency": those can be set (--kv-cache-memory, --max-concurrency).
_REPORTED_OUTCOME = re.compile(
    r"\bavailable\b|\bkv[ _-]?cache[ _-]usage\b|\bmemory[ _-](?:used|usage)\b|\bpeak\b",
    re.I,
)


def is_reported_outcome(setting: str) -> bool:
    """Whether a heading's stated figure is one the engine reported, not a setting someone set
    (`Available KV cache memory (GiB)`)."""
    return _REPORTED_OUTCOME.search(setting) is not None


def heading_settings(name: str) -> tuple[dict[str, float | int | str], str]:
    """The settings a configuration's name states (`Available KV cache memory: 5.01 GiB` ->
    {"Available KV cache memory (GiB)": 5.01}; `deployment=base` -> {"deployment": "base"}),
    and the rest of the name, its label left out ("1 GPU pod hosts 7B model"). ({}, name)
    when it states none."""
    text = _CONFIG_LABEL.sub("", name.strip(), count=1)
    settings: dict[str, float | int | str] = {}
    spans: list[tuple[int, int]] = []
    for match in _STATED_NUMBER.finditer(text):
        key = " ".join(match["key"].split())
        number = float(match["number"])
        value: float | int = int(number) if number.is_integer() else number
        settings.setdefault(f"{key} ({match['unit']})" if match["unit"] else key, value)
        spans.append(match.span())
    for match in _STATED_WORD.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        settings.setdefault(match["key"], match["value"])
        spans.append(match.span())
    if not settings:
        return {}, name
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + rest[end:]
    rest = re.sub(r"\(\s*[,;]?\s*\)", "", rest)
    return settings, " ".join(rest.split()).strip(" -:,;")
