"""Saved prompt prefixes for models whose KV cache cannot be rolled back (a sliding window).

llama-cpp-python reuses the KV cache of the last call for the prefix a new prompt shares
with it. A model with a sliding attention window (Gemma 3: 512 positions in most layers,
with `swa_full=False`) keeps only the window's last positions in those layers, so a cache
rolled back to a shorter prefix lacks positions the new tokens attend to; such models
started every call from an empty cache and read the whole prompt again (the quick start's
six writer calls each read the same ~734-token document: 2.5-3.1 s apiece on 2 cores).

Here the cache is saved instead (`llama_state_seq_get_data`: the sequence's KV cells, the
windowed layers' and the full ones') at the prefix boundaries worth keeping: where the
calls of a node start to differ (the `shared_prefix` the caller marks: the writer's
document before the section heading) and the end of each prompt (a rejected draft is
retried with the same prompt). A later prompt that starts with a saved prefix restores it
and reads only the rest. Restoring is exact: the same greedy continuation as reading the
whole prompt (tests/test_embedded.py). Measured on Gemma 3 270M, 1,000 tokens: saving
~11 MB took 19 ms, restoring 2 ms, reading them again 3-6 s.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_cpp import Llama

# A prefix this much longer than the one restored is worth a save (~20 ms per 1k tokens);
# a shorter one costs about as much to read again as to restore.
MIN_NEW_TOKENS = 32
# Saved states are kept up to this size in all (LRU): ~11 MB per 1k tokens of Gemma 3 270M,
# far more for bigger models, whose oldest states go first.
MAX_BYTES = 256 * 1024 * 1024
_SEQ = 0  # llama-cpp-python decodes every prompt as sequence 0


@dataclass
class _Saved:
    tokens: tuple[int, ...]
    data: Any  # a ctypes byte array
    size: int


def common_length(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading items `a` and `b` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class PrefixStates:
    """The saved states of one model's context; used under the runtime's lock only."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._saved: list[_Saved] = []  # least recently used first

    def __len__(self) -> int:
        return len(self._saved)

    def clear(self) -> None:
        self._saved.clear()

    def restore(self, llama_cpp: ModuleType, llm: Llama, tokens: Sequence[int]) -> int:
        """Load the longest saved prefix of `tokens` (shorter than them) into `llm`'s cache;
        its length, or 0 after emptying the cache when none fits."""
        best: _Saved | None = None
        for saved in self._saved:
            n = len(saved.tokens)
            longer = best is None or n > len(best.tokens)
            if n < len(tokens) and longer and tuple(tokens[:n]) == saved.tokens:
                best = saved
        memory = llama_cpp.llama_get_memory(llm.ctx)
        llama_cpp.llama_memory_clear(memory, True)
        llm.n_tokens = 0
        if best is None:
            return 0
        if llama_cpp.llama_state_seq_set_data(llm.ctx, best.data, best.size, _SEQ) != best.size:
            llama_cpp.llama_memory_clear(memory, True)  # a partial load: start empty
            self._saved.remove(best)
            return 0
        n = len(best.tokens)
        llm.input_ids[:n] = best.tokens
        llm.n_tokens = n
        self._saved.remove(best)
        self._saved.append(best)  # most recently used
        return n

    def read_to(
        self, llama_cpp: ModuleType, llm: Llama, tokens: Sequence[int], start: int, end: int
    ) -> int:
        """Read `tokens[start:end]` into the cache (which holds `tokens[:start]`) and save the
        state there; returns the new position. Does nothing for a gain under MIN_NEW_TOKENS."""
        if end - start < MIN_NEW_TOKENS:
            return start
        llm.eval(tokens[start:end])
        llama_cpp.llama_synchronize(llm.ctx)
        size = llama_cpp.llama_state_seq_get_size(llm.ctx, _SEQ)
        data = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_seq_get_data(llm.ctx, data, size, _SEQ)
        if 0 < written <= size:
            self._keep(_Saved(tuple(tokens[:end]), data, int(written)))
        return end

    def _keep(self, saved: _Saved) -> None:
        self._saved = [s for s in self._saved if s.tokens != saved.tokens]
        self._saved.append(saved)
        while self._saved and sum(s.size for s in self._saved) > self.max_bytes:
            self._saved.pop(0)
