"""llama.cpp's `llama-bench` output as benchmark rows: which test a row is, what its rate
columns mean, which model it measured and which of its parameters are settings.

What llama-bench writes, as its source (tools/llama-bench/llama-bench.cpp) has it:

- `-o csv`, `-o json` and `-o jsonl` write one record per test with the fields of
  `test::get_fields()`: build_commit, build_number, cpu_info, gpu_info, backends,
  model_filename, model_type, model_size, model_n_params, the test parameters (n_batch,
  n_ubatch, n_threads, ..., n_gpu_layers, ..., flash_attn, ..., n_prompt, n_gen, n_depth),
  test_time, avg_ns, stddev_ns, avg_ts, stddev_ts (older builds: fewer parameters, and
  cuda/metal/... flags). JSON and JSONL add `samples_ns` and `samples_ts`: one value per
  repetition (`-r`, 5 by default; the warm-up run is not among them). `-o md` and `-o sql`
  are for people and databases, not read here (a .md file is a note to Chimera).
- A test is prompt processing (`pp512`: n_prompt > 0, n_gen = 0), generation (`tg128`:
  n_gen > 0, n_prompt = 0) or both in one timing (`pp512+tg128`, from `-pg`); n_depth tokens
  of context are filled before the timing starts (`tg128 @ d4096`).
- Every rate is (n_prompt + n_gen) tokens * 1e9 / ns per repetition: `samples_ts` holds
  them, `avg_ts` is their mean and `stddev_ts` their sample standard deviation (n - 1).
  `avg_ns` is the mean time of one repetition (not a time to first token).

How Chimera reads it (the rules are stated in `chimera.ingest.digest.build`):

- A tg row's rate is generation throughput, `tokens_per_s`; a pp row's is
  `prompt_tokens_per_s`, its own metric: prompt processing runs ten times faster or more,
  so one pooled mean would describe neither. A pp+tg row's rate counts the prompt's tokens
  and the generated ones over the time of both: neither metric, so such rows are left
  out and counted with that reason.
- CSV: `avg_ts` is already a mean over the repetitions (aggregate "mean"), `stddev_ts` its
  std (aggregate "std"); the CSV states no repetition count, so none is assumed.
  JSON/JSONL with `samples_ts`: each repetition is a per-run value (n = the repetitions,
  spread from them); avg_ts and stddev_ts are then not read again, being those samples'
  mean and std. A JSON record without samples_ts is read like a CSV row, with its run count
  from `samples_ns` when that is there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chimera.ingest.digest.identity import generic_gguf, gguf_stem, llama_cpp_engine

SIGNATURE = frozenset({"avg_ts", "n_prompt", "n_gen"})
GENERATION = "tokens_per_s"
PROMPT = "prompt_tokens_per_s"
SAMPLES = "samples_ts"
# The rate columns and what each value is: already a mean, a std, or one repetition's.
_RATES: dict[str, str | None] = {"avg_ts": "mean", "stddev_ts": "std", SAMPLES: None}
# llama-bench's test parameters that Chimera has no name of its own for (n_gpu_layers,
# n_threads and n_batch are num_gpu, num_thread and num_batch), in llama-bench's field order,
# with their defaults in cmd_params_defaults (None: no default to compare with). Booleans
# are written 0/1 (CSV) or false/true (JSON), read as 0/1.
PARAMETERS: dict[str, str | None] = {
    "n_ubatch": "512", "cpu_mask": "0x0", "cpu_strict": "0", "poll": "50", "type_k": "f16",
    "type_v": "f16", "n_cpu_moe": "0", "split_mode": "layer", "main_gpu": "0",
    "no_kv_offload": "0", "flash_attn": "-1", "devices": "auto", "tensor_split": "0.00",
    "tensor_buft_overrides": "none", "load_mode": None, "use_mmap": "1", "embeddings": "0",
    "no_op_offload": "0", "no_host": "0", "fit_target": "0", "fit_min_ctx": "0",
    "n_prompt": "512", "n_gen": "128", "n_depth": "0",
}  # fmt: skip
# llama-bench's `-o md` column of each parameter (markdown_printer names them short: `fa`,
# `ts`, `sm`, `dev`, ...). Its table shows a parameter only where some test sets it away from
# the default (n_gpu_layers and n_threads always: `ngl`, `threads`, read as num_gpu and
# num_thread), so every such column is a setting.
MARKDOWN_COLUMNS: dict[str, str] = {
    "n_ubatch": "n_ubatch", "type_k": "type_k", "type_v": "type_v", "n_cpu_moe": "n_cpu_moe",
    "cpu_mask": "cpu_mask", "cpu_strict": "cpu_strict", "poll": "poll", "sm": "split_mode",
    "mg": "main_gpu", "nkvo": "no_kv_offload", "fa": "flash_attn", "dev": "devices",
    "ts": "tensor_split", "ot": "tensor_buft_overrides", "mmap": "use_mmap", "embd": "embeddings",
    "nopo": "no_op_offload",
}  # fmt: skip
# A parameter that applies to one kind of test only: pp rows have no n_gen, tg rows no n_prompt.
_APPLIES_TO = {"n_prompt": "pp", "n_gen": "tg"}
MIXED_REASON = (
    "pp+tg tests (n_prompt and n_gen both above 0): llama-bench's avg_ts for them is the "
    "prompt's and the generated tokens over the time of both, neither prompt processing "
    "nor generation throughput"
)
NO_TEST_REASON = "no llama-bench test: n_prompt and n_gen are missing, not numbers, or both 0"


def _test_names(
    frame: pd.DataFrame, n_prompt: str, n_gen: str, parameters: dict[str, str]
) -> list[str]:
    """llama-bench's own name of each test: `pp512`, `tg128`, `tg128 @ d4096`."""
    prompts = pd.to_numeric(frame[n_prompt], errors="coerce").fillna(0).astype(int)
    gens = pd.to_numeric(frame[n_gen], errors="coerce").fillna(0).astype(int)
    depth_label = parameters.get("n_depth")
    depths = (
        pd.to_numeric(frame[depth_label], errors="coerce").fillna(0).astype(int)
        if depth_label is not None
        else pd.Series(0, index=frame.index)
    )
    names = []
    for p, g, d in zip(prompts, gens, depths, strict=True):
        name = f"pp{p}" if g == 0 else f"tg{g}"
        names.append(f"{name} @ d{d}" if d else name)
    return names


def model_name(filename: Any, model_type: Any) -> str | None:
    """The model a row measured: model_filename's stem, else model_type.

    `models/gemma-3-1b-it-Q4_K_M.gguf` -> `gemma-3-1b-it-Q4_K_M`: the file names the exact
    GGUF (fine-tune and quantisation included; what the user passed to `-m` and recognises).
    model_type (`gemma3 1B Q4_K - Medium`, llama.cpp's llama_model_desc: architecture, size,
    file type) is the same for every fine-tune of one architecture and size at one
    quantisation (gemma-3-1b-it and gemma-3-1b-pt), so it would pool different models; it is
    the name only where no file name is given, or where the file has the convert script's
    generic name (`models/7B/ggml-model-q4_0.gguf`), which names no model.
    """
    if isinstance(filename, str) and filename.strip():
        stem = gguf_stem(re.split(r"[\\/]", filename.strip())[-1])
        if stem and generic_gguf(stem) and isinstance(model_type, str):
            # llama.cpp's convert script names every model ggml-model-<type>.gguf (llama-bench's
            # own default is models/7B/ggml-model-q4_0.gguf): model_type tells them apart
            return model_type.strip() or stem
        if stem:
            return stem
    if isinstance(model_type, str) and model_type.strip():
        return model_type.strip()
    return None


def _setting(value: Any) -> Any:
    """A parameter's value as a setting: booleans as 0/1, whole floats as ints."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        lowered = text.lower()
        if lowered in ("true", "false"):
            return int(lowered == "true")
        return text
    return value


def _text(value: Any) -> str:
    """A value as compared with others and with the default: numbers by value (0.00 is 0)."""
    value = _setting(value)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int of 400 digits
        return str(value)
    return str(int(number)) if number.is_integer() else repr(number)


def json_records(document: Any) -> list[dict[str, Any]] | None:
    """llama-bench's JSON (a list of tests) or JSON Lines (one test a line) as flat rows;
    None when the document is not llama-bench output.

    A test's scalars are kept as they are; `samples_ts` stays a list (one value per
    repetition, spread into rows later); without it, `samples_ns`' length is the run count.
    """
    items = [document] if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        return None
    if not all(isinstance(item, dict) and item.keys() >= SIGNATURE for item in items):
        return None
    records = []
    for item in items:
        row = {k: v for k, v in item.items() if v is None or isinstance(v, str | int | float)}
        # The whole record: the same test read twice is the same text, a new run is not.
        row[FINGERPRINT] = json.dumps(item, sort_keys=True, default=str)
        samples = item.get(SAMPLES)
        if isinstance(samples, list):
            row[SAMPLES] = samples
        elif isinstance(item.get("samples_ns"), list):
            row["runs"] = len(item["samples_ns"])
        records.append(row)
    return records


_MAX_DEPTH = 8
_WALKED = (str, list, dict)  # what may hold records: numbers and None do not
FINGERPRINT = "__fingerprint__"  # a record's identity: the same test read twice is one run


def find_records(document: Any, text: str | None = None) -> list[dict[str, Any]] | None:
    """llama-bench's records wherever a document holds them: the document itself, a list in
    a wrapper (`{"cmd": ..., "rows": [...]}`, one record per line under `bench_raw`), or the
    tool's output kept as a string (`"stdout": "[{...}]"`). None when there are none.

    `text`, the JSON the document was parsed from, spares the walk through a document that
    cannot hold any: every record has an avg_ts key, and every key or string of a document
    is written in its text as it is, unless spelled with a \\u escape.
    """
    if text is not None and "avg_ts" not in text and "\\u" not in text:
        return None
    found = json_records(document)
    if found is not None:
        return found
    collected: list[dict[str, Any]] = []

    def walk(obj: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(obj, str):
            if "avg_ts" not in obj:  # most strings: no need to strip them
                return
            text = obj.strip()
            if len(text) > 2 and text[0] in "[{":
                try:
                    inner: Any = json.loads(text)
                except ValueError:
                    inner = []
                    for line in text.splitlines():
                        try:
                            inner.append(json.loads(line))
                        except ValueError:
                            continue
                walk(inner, depth + 1)
            return
        records = json_records(obj) if isinstance(obj, list | dict) else None
        if records is not None:
            collected.extend(records)
        elif isinstance(obj, dict):
            for value in obj.values():
                if isinstance(value, _WALKED):
                    walk(value, depth + 1)
        elif isinstance(obj, list):
            for value in obj:
                if isinstance(value, _WALKED):
                    walk(value, depth + 1)

    walk(document, 0)
    return collected or None


def _distinct(values: np.ndarray) -> Iterable[Any]:
    """The distinct values (equal values have one `_text`: 1, 1.0 and True are "1")."""
    try:
        return set(values)
    except TypeError:  # an unhashable cell: all of them, as they are
        return values


def _explode(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """`frame.explode(label, ignore_index=True)`: one row per value of a list cell (an
    empty list: one row, NaN). Where every cell is a list (a JSON's samples_ts), the rows
    are repeated by position, several times cheaper than pandas' join of the frame back to
    the values; the values and their dtype are pandas' own."""
    cells = frame[label].to_numpy()
    if not frame.columns.is_unique or not all(type(cell) is list for cell in cells):
        return frame.explode(label, ignore_index=True)
    counts = np.fromiter((max(len(cell), 1) for cell in cells), dtype=np.intp, count=len(cells))
    exploded = frame.take(np.repeat(np.arange(len(cells)), counts))
    exploded.index = pd.RangeIndex(len(exploded))
    exploded[label] = frame[label].explode(ignore_index=True)
    return exploded


def _numbered(fingerprints: pd.Series) -> pd.Series:
    """Each text with its position among the equal ones before it (`text#0`, `text#1`):
    the group-by cumcount, in plain Python for the few hundred rows a file holds."""
    texts = fingerprints.tolist()
    if not all(isinstance(text, str) for text in texts):
        position = fingerprints.groupby(fingerprints, sort=False).cumcount().astype(str)
        return fingerprints + "#" + position
    seen: dict[str, int] = {}
    numbered = []
    for text in texts:
        seen[text] = position = seen.get(text, -1) + 1
        numbered.append(f"{text}#{position}")
    return pd.Series(numbered, index=fingerprints.index, dtype=fingerprints.dtype)


@dataclass
class BenchColumns:
    """The llama-bench columns of one table (labels as the table names them)."""

    n_prompt: str
    n_gen: str
    rates: dict[str, str]  # label -> llama-bench name (avg_ts, stddev_ts, samples_ts)
    parameters: dict[str, str]  # llama-bench name -> label
    model_filename: str | None = None
    model_type: str | None = None
    backends: str | None = None  # CUDA, Metal, ...: the engine's build (llama.cpp with CUDA)
    build: str | None = None  # build_number: two builds are two engines
    # Chosen from the whole table (`choose`): setting name -> label of its derived column.
    settings: dict[str, str] = field(default_factory=dict)

    MODEL = "model (llama-bench model_filename)"
    KIND = "test (llama-bench)"
    ENGINE = "engine (llama-bench backends)"
    WORKLOAD = "workload (llama-bench test)"

    @classmethod
    def detect(cls, names: Mapping[str, str]) -> BenchColumns | None:
        """The llama-bench columns, when the table has avg_ts, n_prompt and n_gen.

        `names` maps each normalised column name to its label (the first one).
        """
        if not names.keys() >= SIGNATURE:
            return None
        # Per-repetition samples say all avg_ts and stddev_ts say, and n: read only them.
        rate_names = [SAMPLES] if SAMPLES in names else ["avg_ts", "stddev_ts"]
        return cls(
            n_prompt=names["n_prompt"],
            n_gen=names["n_gen"],
            rates={names[r]: r for r in rate_names if r in names},
            parameters={p: names[p] for p in PARAMETERS if p in names},
            model_filename=names.get("model_filename"),
            model_type=names.get("model_type"),
            backends=names.get("backends"),
            build=names.get("build_number"),
        )

    def owns(self, label: str) -> bool:
        """Whether a column is read by this class (rather than by the generic rules)."""
        return label in self.raw_labels()

    def raw_labels(self) -> list[str]:
        """The table's columns this class reads."""
        labels = [self.n_prompt, self.n_gen, *self.rates, *self.parameters.values()]
        labels += [
            c
            for c in (self.model_filename, self.model_type, self.backends, self.build)
            if c is not None
        ]
        return list(dict.fromkeys(labels))

    def metric_roles(self) -> dict[str, tuple[str, str | None]]:
        """Derived column label -> (metric, aggregate): each rate column split by test."""
        roles: dict[str, tuple[str, str | None]] = {}
        for label, name in self.rates.items():
            aggregate = _RATES[name]
            roles[f"{label} of tg rows"] = (GENERATION, aggregate)
            roles[f"{label} of pp rows"] = (PROMPT, aggregate)
        return roles

    def kinds(self, frame: pd.DataFrame) -> np.ndarray:
        """Per row: "tg", "pp", "pp+tg" or "" (no test)."""
        n_prompt = pd.to_numeric(frame[self.n_prompt], errors="coerce").to_numpy(dtype=float)
        n_gen = pd.to_numeric(frame[self.n_gen], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            tg = (n_gen > 0) & (n_prompt == 0)
            pp = (n_prompt > 0) & (n_gen == 0)
            mixed = (n_prompt > 0) & (n_gen > 0)
        return np.select([tg, pp, mixed], ["tg", "pp", "pp+tg"], default="")

    def choose(self, frame: pd.DataFrame) -> None:
        """Which parameters are settings, judged over the whole table (`frame`).

        A parameter is a setting where it takes more than one value among the tests it
        applies to, or a value other than llama-bench's default: what llama-bench's own
        Markdown table shows. One held at its default in every test separates no setups.
        """
        kinds = self.kinds(frame)
        tests = np.isin(kinds, ("tg", "pp"))
        self.settings = {}
        for name, label in self.parameters.items():
            applies = kinds == _APPLIES_TO[name] if name in _APPLIES_TO else tests
            present = frame[label].to_numpy(dtype=object)[applies]  # the cells as objects
            texts = {_text(v) for v in _distinct(present) if pd.notna(v)}
            default = None if PARAMETERS[name] is None else _text(PARAMETERS[name])
            if len(texts) > 1 or (default is not None and texts and texts != {default}):
                self.settings[name] = f"{name} (llama-bench)"

    def prepare(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
        """The rows of one test kind with their derived columns (model, settings, rates
        per test), and the rows left out by reason."""
        kinds = self.kinds(frame)
        dropped = {
            reason: int(count)
            for reason, count in (
                (MIXED_REASON, (kinds == "pp+tg").sum()),
                (NO_TEST_REASON, (kinds == "").sum()),
            )
            if count
        }
        keep = np.isin(kinds, ("tg", "pp"))
        frame = frame[keep].copy()
        frame[self.KIND] = kinds[keep]
        if self.model_filename is not None or self.model_type is not None:
            files = frame[self.model_filename] if self.model_filename else [None] * len(frame)
            types = frame[self.model_type] if self.model_type else [None] * len(frame)
            frame[self.MODEL] = [model_name(f, t) for f, t in zip(files, types, strict=True)]
        backends = frame[self.backends] if self.backends else [None] * len(frame)
        builds = frame[self.build] if self.build else [None] * len(frame)
        frame[self.ENGINE] = [llama_cpp_engine(b, n) for b, n in zip(backends, builds, strict=True)]
        frame[self.WORKLOAD] = _test_names(frame, self.n_prompt, self.n_gen, self.parameters)
        for name, derived in self.settings.items():
            applies = frame[self.KIND] == _APPLIES_TO[name] if name in _APPLIES_TO else True
            values = frame[self.parameters[name]].map(_setting).astype(object)
            frame[derived] = values.where(applies & values.notna(), None)
        samples = [label for label, name in self.rates.items() if name == SAMPLES]
        if samples:
            frame = _explode(frame, samples[0])
            if FINGERPRINT in frame:  # one repetition of a test: the test and its position
                frame[FINGERPRINT] = _numbered(frame[FINGERPRINT])
        tg, pp = frame[self.KIND] == "tg", frame[self.KIND] == "pp"
        for label in self.rates:
            rate = pd.to_numeric(frame[label], errors="coerce")
            frame[f"{label} of tg rows"] = rate.where(tg)
            frame[f"{label} of pp rows"] = rate.where(pp)
        return frame, dropped
