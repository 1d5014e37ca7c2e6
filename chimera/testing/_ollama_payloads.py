"""The JSON bodies the Ollama stub sends: model lists, `/api/show`, chat chunks and their timings.

Everything here builds plain dicts; the handler decides when to send them and how (one JSON
body, or NDJSON chunks). Key order matters: `json.dumps` keeps it, so it is the order on the wire.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from chimera.testing._stub_models import StubBehaviour, full_model_name
from chimera.tokens import estimate_tokens

STUB_VERSION = "0.12.6"


def prompt_text(request: Mapping[str, Any]) -> str:
    """All message contents of a chat request, joined: handy inside a reply function."""
    return "\n".join(str(m.get("content") or "") for m in request.get("messages") or [])


def now_iso() -> str:
    """The current UTC time as Ollama writes it (`...Z`)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def status_phrase(status: int) -> str:
    """`503 Service Unavailable`, or just the number for a status HTTP does not name."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


# -- models -----------------------------------------------------------------------------------


def model_entry(name: str) -> dict[str, Any]:
    """One model as `/api/tags` lists it."""
    full = full_model_name(name)
    return {
        "name": full,
        "model": full,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 3_338_801_804,
        "digest": "0" * 64,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": full.split(":", 1)[0],
            "families": [full.split(":", 1)[0]],
            "parameter_size": "4.3B",
            "quantization_level": "Q4_K_M",
        },
    }


def show_body(name: str, context_length: int = 131072) -> dict[str, Any]:
    """The `/api/show` answer for a model the stub serves."""
    family = name.split(":", 1)[0]
    return {
        "modelfile": f"FROM {name}\n",
        "parameters": "",
        "template": "{{ .Prompt }}",
        "details": model_entry(name)["details"],
        "model_info": {
            "general.architecture": family,
            f"{family}.context_length": context_length,
        },
        "capabilities": ["completion"],
        "modified_at": now_iso(),
    }


# -- /api/chat --------------------------------------------------------------------------------


@dataclass
class ChatPlan:
    """What one chat request will stream, decided before any byte is sent."""

    pieces: list[str]
    done_reason: str
    prompt_eval_count: int


def split_reply(text: str, tokens: int | None) -> list[str]:
    """Cut the reply into the pieces streamed one per chunk (see `StubBehaviour.tokens`)."""
    if tokens is None:
        return re.findall(r"\s*\S+", text) or ([text] if text else [])
    size, extra = divmod(len(text), tokens)
    pieces, start = [], 0
    for i in range(tokens):
        end = start + size + (1 if i < extra else 0)
        pieces.append(text[start:end])
        start = end
    return pieces


def plan_chat(request: dict[str, Any], settings: StubBehaviour) -> ChatPlan:
    """The reply's pieces, why it stops and the prompt tokens counted; may raise from `reply`."""
    reply = settings.reply
    text = reply(request) if callable(reply) else reply
    pieces = split_reply(str(text), settings.tokens)
    options = request.get("options") or {}
    done_reason = "stop"
    num_predict = options.get("num_predict")
    if isinstance(num_predict, int) and 0 <= num_predict < len(pieces):
        pieces, done_reason = pieces[:num_predict], "length"
    num_ctx = options.get("num_ctx") or settings.default_num_ctx
    # Ollama silently drops what does not fit num_ctx; prompt_eval_count betrays it.
    prompt_eval_count = min(estimate_tokens(prompt_text(request)), int(num_ctx))
    return ChatPlan(pieces=pieces, done_reason=done_reason, prompt_eval_count=prompt_eval_count)


def token_chunk(model: str, piece: str) -> dict[str, Any]:
    """One streamed NDJSON chunk carrying one piece of the reply."""
    return {
        "model": model,
        "created_at": now_iso(),
        "message": {"role": "assistant", "content": piece},
        "done": False,
    }


def final_chunk(
    model: str,
    plan: ChatPlan,
    *,
    received_at: float,
    load_start: int,
    prompt_start: int,
    eval_start: int,
    whole_reply: bool,
) -> dict[str, Any]:
    """The `done: true` chunk with Ollama's nanosecond timings, measured up to this call.

    `received_at` is `perf_counter()` seconds, the phase starts `perf_counter_ns()`.
    `whole_reply`: the message carries the full text (a non-streamed answer) rather than
    the empty content that ends a stream.
    """
    end = time.perf_counter_ns()
    received_ns = int(received_at * 1e9)
    final: dict[str, Any] = {
        "model": model,
        "created_at": now_iso(),
        "done": True,
        "done_reason": plan.done_reason,
        "total_duration": max(end - received_ns, 0),
        "load_duration": prompt_start - load_start,
        "prompt_eval_count": plan.prompt_eval_count,
        "prompt_eval_duration": eval_start - prompt_start,
        "eval_count": len(plan.pieces),
        "eval_duration": end - eval_start,
    }
    content = "".join(plan.pieces) if whole_reply else ""
    final["message"] = {"role": "assistant", "content": content}
    return final
