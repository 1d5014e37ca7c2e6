"""Launch scripts beside results: the setup a result file does not state, where the shell
script that wrote it does.

SGLang's `bench_serving --output-file x.jsonl` writes no model, GPU or tensor parallelism
(datacrunch-research/h200-benchmarks: `outputs/llama_3_3_70b_online_output.jsonl`); the
script that ran it (`experiments/llama_3_3_70b_sglang.sh`) names the file in its benchmark
command, launches the server (`--model-path meta-llama/Llama-3.3-70B-Instruct --tp-size 4`,
often commented out: run by hand before the benchmarks) and says where in a comment
("# Llama 3.3 70B on 4 x H200 (bf16)"). A script in the result's folder, its parent or a
folder beside it that names the result file by its name states the file's setup:

- its one server launch command (every launch line the script holds, commented or not,
  launching one model with one tensor parallelism) gives the model and `tensor_parallel`;
  two launches (DeepSeek-Coder-V2 and DeepSeek-V2.5 in one script) give neither;
- its comments naming one kind of hardware ("on 4 x H200") give the machine ("H200": the
  GPUs a run used are its tensor parallelism, the machine is the kind).

A result the script does not name by its file name takes nothing from it. Scripts are read
once per folder (small `.sh` / `.bash` files only).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from chimera.ingest.digest.identity import machine_from_heading

_SUFFIXES = (".sh", ".bash")
_MAX_BYTES = 64 * 1024
_MAX_SCRIPTS = 40  # per folder searched: a folder of many scripts is no launcher's
# A server launch: SGLang, vLLM (its CLI and its OpenAI server module), TensorRT-LLM, TGI.
_LAUNCH = re.compile(
    r"sglang\.launch_server|vllm\.entrypoints\.openai\.api_server|\bvllm\s+serve\b"
    r"|\btrtllm-serve\b|\btext-generation-launcher\b"
)
_MODEL = re.compile(r"(?:--model-path|--model|--model-id)[ =]([^\s\\]+)")
_SERVED = re.compile(r"\bvllm\s+serve\s+([^\s\\-][^\s\\]*)")
_TP = re.compile(
    r"(?:--tp-size|--tp|--tensor-parallel-size|--tensor_parallel_size|-tp|--num-shard)[ =](\d+)\b"
)


@dataclass(frozen=True)
class ScriptSetup:
    """What the script naming a result file states of its runs."""

    script: Path  # the script, absolute
    model: str | None
    tensor_parallel: int | None
    machine: str | None
    said: str  # the script's words saying so, quoted


def _launches(text: str) -> set[tuple[str | None, int | None]]:
    found = set()
    for line in text.splitlines():
        line = line.lstrip("# \t")
        if _LAUNCH.search(line) is None:
            continue
        model = _MODEL.search(line) or _SERVED.search(line)
        tp = _TP.search(line)
        found.add((model[1] if model else None, int(tp[1]) if tp else None))
    return found


def _machine(text: str) -> tuple[str | None, str]:
    """The one kind of hardware the script's comments name, and the comment."""
    named: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#") or "--" in line or "python" in line:
            continue  # a commented-out command is no statement of the machine
        comment = line.lstrip("# \t")
        if (machine := machine_from_heading(comment)) is not None:
            named.setdefault(machine.lower(), (machine, comment))
    if len(named) != 1:
        return None, ""
    return next(iter(named.values()))


def _setup(script: Path, text: str) -> ScriptSetup | None:
    launches = _launches(text)
    model, tp = next(iter(launches)) if len(launches) == 1 else (None, None)
    machine, comment = _machine(text)
    if model is None and tp is None and machine is None:
        return None
    said = [f"'# {comment}'"] if machine else []
    said += [f"--model-path {model}"] if model else []
    said += [f"tensor parallelism {tp}"] if tp else []
    return ScriptSetup(script, model, tp, machine, ", ".join(said))


@functools.lru_cache(maxsize=256)
def _folder_scripts(folder: str) -> tuple[tuple[Path, str], ...]:
    """The small scripts of one folder and their text."""
    found: list[tuple[Path, str]] = []
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return ()
    for entry in entries:
        if entry.suffix.lower() not in _SUFFIXES:
            continue
        try:
            if not entry.is_file() or entry.stat().st_size > _MAX_BYTES:
                continue
            found.append((entry, entry.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
        if len(found) > _MAX_SCRIPTS:
            return ()
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _scripts_near(folder: str, up: bool) -> tuple[tuple[Path, str], ...]:
    """The scripts of a result's folder and, `up`, of its parent and the folders beside it."""
    here = Path(folder)
    folders = [here]
    if up:
        try:
            beside = sorted(p for p in here.parent.iterdir() if p.is_dir() and p != here)
        except OSError:
            beside = []
        folders += [here.parent, *beside[:_MAX_SCRIPTS]]
    return tuple(found for f in folders for found in _folder_scripts(str(f)))


def script_setup(path: Path, depth: int) -> ScriptSetup | None:
    """The setup the one script naming `path`'s file name states (see the module), searched
    in its folder, its parent and the folders beside it, never above the folder read
    (`depth`: how many folders `path` lies below it). None where no script, or two, name it."""
    scripts = _scripts_near(str(path.parent), depth >= 1)
    if not scripts:
        return None
    name = re.compile(rf"(?<![\w.-]){re.escape(path.name)}(?![\w.-])")
    naming = [(s, text) for s, text in scripts if path.name in text and name.search(text)]
    if len(naming) != 1:
        return None
    return _setup(*naming[0])
