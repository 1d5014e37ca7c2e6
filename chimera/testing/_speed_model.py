"""The Ollama stub's speed model: timings that depend on the options a request sends.

Without a `SpeedModel` the stub sleeps the fixed delays of its `StubBehaviour`. With one,
each chat request is timed like a GPU server serving a model of `layers` layers:

    share on GPU   g = min(num_gpu, layers) / layers      (num_gpu unset or -1: all layers)
    per token      g / gpu_tok_s + (1 - g) / cpu_tok_s + num_ctx x ctx_us_per_token
    prefill        prefill_base_s + num_ctx / 1000 x prefill_s_per_1k_ctx, / g-weighted speed
    cold load      load_s, when the model was not loaded with these runner options

so tokens/s rises with num_gpu up to the layer count and then stays flat, TTFT grows with
num_ctx, and the first call after an options change pays a load. Like Ollama, only runner
options (num_gpu, num_ctx, num_batch, num_thread) force a reload; sampling options such as
temperature do not. `/api/ps` reports the loaded model with `size_vram = g x size`, so a
num_gpu below the layer count reads as partly on CPU. `concurrency_slowdown` makes chats
in flight at once slow each other (a shared GPU): each other chat adds that share to every
token's time.

Tests can therefore say in advance which cell of a sweep must win and which must be flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Options that make Ollama start a new runner (reload the model) when they change.
RUNNER_OPTIONS = ("num_gpu", "num_ctx", "num_batch", "num_thread")
MODEL_SIZE_BYTES = 3_338_801_804


@dataclass(frozen=True)
class SpeedModel:
    """How fast the stub's model runs under given options (see the module docstring)."""

    layers: int = 48
    gpu_tok_s: float = 200.0
    cpu_tok_s: float = 25.0
    ctx_us_per_token: float = 0.25  # each num_ctx slot costs this much per generated token
    prefill_base_s: float = 0.01
    prefill_s_per_1k_ctx: float = 0.01
    load_s: float = 0.2
    size_bytes: int = MODEL_SIZE_BYTES
    concurrency_slowdown: float = 0.0

    def gpu_share(self, options: Mapping[str, Any]) -> float:
        """The share of the model's layers on the GPU for these options."""
        num_gpu = options.get("num_gpu")
        if num_gpu is None or int(num_gpu) < 0:
            return 1.0
        return min(int(num_gpu), self.layers) / self.layers

    def token_s(self, options: Mapping[str, Any], num_ctx: int, others_in_flight: int) -> float:
        """Seconds per generated token."""
        g = self.gpu_share(options)
        base = g / self.gpu_tok_s + (1 - g) / self.cpu_tok_s + num_ctx * self.ctx_us_per_token / 1e6
        return base * (1 + self.concurrency_slowdown * others_in_flight)

    def prefill_s(self, options: Mapping[str, Any], num_ctx: int) -> float:
        """Seconds from the model being ready to the first token."""
        g = self.gpu_share(options)
        # Layers on the CPU prefill as much slower as they generate.
        slowdown = g + (1 - g) * self.gpu_tok_s / self.cpu_tok_s
        return (self.prefill_base_s + num_ctx / 1000 * self.prefill_s_per_1k_ctx) * slowdown

    def size_vram(self, options: Mapping[str, Any]) -> int:
        return int(self.size_bytes * self.gpu_share(options))


def runner_key(model: str, options: Mapping[str, Any], default_num_ctx: int) -> tuple[Any, ...]:
    """What identifies a loaded model: its name and the runner options it was loaded with."""
    values = {**{"num_ctx": default_num_ctx}, **{k: v for k, v in options.items() if v is not None}}
    return (model, *(values.get(k) for k in RUNNER_OPTIONS))


@dataclass(frozen=True)
class LoadedModel:
    """The model the stub holds in memory, as `/api/ps` reports it."""

    model: str
    options: dict[str, Any]
    num_ctx: int
    size: int
    size_vram: int


@dataclass(frozen=True)
class ChatTiming:
    """The sleeps of one chat request; with a speed model the token delay is recomputed per
    token from the chats then in flight (see `OllamaStubServer._token_delay`)."""

    load_s: float
    first_token_delay_s: float
    token_delay_s: float
    options: dict[str, Any]
    num_ctx: int
