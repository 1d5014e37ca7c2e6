"""JSON output for the embedded backend: llama.cpp's grammar sampler, made affordable."""

from __future__ import annotations

import ctypes
import json
from types import ModuleType
from typing import Any

import numpy as np

from chimera.errors import BackendProtocolError

# llama.cpp's llama_token_data, for handing it candidate tokens from numpy.
_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


def _json_gbnf(schema: dict[str, Any]) -> str:
    from llama_cpp import llama_grammar

    try:
        return llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    except Exception:  # the converter raises bare errors on unsupported keywords
        # As llama-cpp-python's own response_format does: fall back to any JSON object.
        return llama_grammar.JSON_GBNF


class _LazyGrammar:
    """A JSON-schema grammar, checked against the likeliest tokens first.

    Stock llama-cpp-python applies the grammar to every token of the vocabulary at every
    step: with Gemma's 262k tokens that costs ~60 ms a token, three times the decode.
    Like llama.cpp's own common sampler, this checks the top candidates (plus the
    end-of-turn tokens) and falls back to the whole vocabulary only when none of them fits.
    Used as a logits processor, so it runs first in llama-cpp-python's sampler chain. The
    choice is then among the `top` likeliest fitting tokens, no narrower than top_k asks
    for unless top_k is 0 (off).
    """

    def __init__(
        self, llama_cpp: ModuleType, vocab: Any, gbnf: str, always: frozenset[int], *, top: int
    ) -> None:
        self._llama_cpp = llama_cpp
        self._top = top
        self._sampler = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode(), b"root")
        if not self._sampler:
            raise BackendProtocolError("llama.cpp rejected the grammar made from the JSON schema")
        self._always = np.fromiter(always, dtype=np.intc)
        self._accepted_upto: int | None = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        # The chain never tells a custom sampler which token it chose; the next call's
        # input_ids do, so the grammar advances then.
        if self._accepted_upto is not None:
            for token in input_ids[self._accepted_upto :]:
                self._llama_cpp.llama_sampler_accept(self._sampler, int(token))
        self._accepted_upto = len(input_ids)
        top = np.concatenate((np.argpartition(scores, -self._top)[-self._top :], self._always))
        checked = self._apply(top.astype(np.intc), scores[top])
        fits = np.isfinite(checked)
        if not fits.any():
            return self._apply(np.arange(len(scores), dtype=np.intc), scores)
        masked = np.full_like(scores, -np.inf)
        masked[top[fits]] = checked[fits]
        return masked

    def _apply(self, ids: Any, logits: Any) -> Any:
        data = np.empty(len(ids), dtype=_TOKEN_DATA)
        data["id"], data["logit"], data["p"] = ids, logits, 0.0
        candidates = self._llama_cpp.llama_token_data_array(
            data=data.ctypes.data_as(self._llama_cpp.llama_token_data_p),
            size=len(ids),
            selected=-1,
            sorted=False,
        )
        self._llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(candidates))
        return data["logit"]

    def close(self) -> None:
        if self._sampler:
            self._llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None
