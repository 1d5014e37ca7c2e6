"""The stub's OpenAI-compatible side: `GET /v1/models` and `POST /v1/chat/completions`.

It streams Server-Sent Events as llama.cpp's llama-server does: a role chunk, one chunk per
piece of the reply, a chunk with the finish_reason (carrying llama.cpp's `timings` block when
`StubBehaviour.openai_timings`), a `usage` chunk when the request asks for it
(`stream_options.include_usage`) and `StubBehaviour.openai_usage`, then `data: [DONE]`.
Its timings really happen (the same sleeps as `/api/chat`), so what a client measures is known.

A request is read as its Ollama twin (`as_ollama_request`), so one reply function and one
plan serve both APIs: max_tokens is num_predict, response_format is format.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from chimera.testing._ollama_payloads import plan_chat
from chimera.testing._stub_models import RecordedRequest, TakenBehaviour

# The `OllamaHandler` serving the request (not imported: it imports this module).
OllamaHandler = Any

CHAT_PATH = "/v1/chat/completions"


def as_ollama_request(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request as the `/api/chat` request it stands for."""
    options = {
        "num_predict": body.get("max_tokens", body.get("max_completion_tokens")),
        "temperature": body.get("temperature"),
        "top_p": body.get("top_p"),
        "seed": body.get("seed"),
    }
    return {
        "model": body.get("model"),
        "messages": body.get("messages") or [],
        "options": {k: v for k, v in options.items() if v is not None},
        "format": body.get("response_format"),
        "stream": body.get("stream", False),
    }


def models_body(models: tuple[str, ...]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": m, "object": "model", "owned_by": "stub"} for m in models],
    }


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def serve_chat(handler: OllamaHandler, record: RecordedRequest, taken: TakenBehaviour) -> None:
    """Answer one chat-completions request: an SSE stream, or one JSON body."""
    settings = taken.settings
    body = record.body if isinstance(record.body, dict) else {}
    request = as_ollama_request(body)
    model = str(request["model"] or "")
    if not settings.has_model(model) and model not in settings.models:
        error = {"message": f"model '{model}' not found", "type": "invalid_request_error"}
        handler._send_json(record, 404, {"error": error})
        record.outcome = "not_found"
        return
    try:
        plan = plan_chat(request, settings)
    except Exception as exc:  # a broken reply function should fail loudly, not hang
        handler._send_json(record, 500, {"error": {"message": f"stub reply failed: {exc!r}"}})
        record.outcome = "failed"
        return
    timing = handler.stub._start_chat(model, dict(request["options"]), settings)
    try:
        handler._sleep(timing.load_s)
        prompt_start = time.perf_counter()
        handler._sleep(timing.first_token_delay_s)
        eval_start = deadline = time.perf_counter()
        cid = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        finish = "length" if plan.done_reason == "length" else "stop"
        usage = {
            "prompt_tokens": plan.prompt_eval_count,
            "completion_tokens": len(plan.pieces),
            "total_tokens": plan.prompt_eval_count + len(plan.pieces),
        }
        if not request["stream"]:
            for _ in plan.pieces:
                deadline += handler.stub._token_delay(timing, settings)
                handler._sleep_until(deadline)
            message = {"role": "assistant", "content": "".join(plan.pieces)}
            answer = {
                "id": cid,
                "object": "chat.completion",
                "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": usage,
            }
            handler._send_json(record, 200, answer)
            record.outcome = "ok"
            return
        handler._start_stream(record, "text/event-stream")
        cut_after = settings.cut_after_tokens if taken.fault else None
        _event(handler, _chunk(cid, model, {"role": "assistant", "content": ""}, None))
        for i, piece in enumerate(plan.pieces):
            if cut_after is not None and i >= cut_after:
                handler._cut(record, settings)
                return
            deadline += handler.stub._token_delay(timing, settings)
            handler._sleep_until(deadline)
            _event(handler, _chunk(cid, model, {"content": piece}, None))
        if cut_after is not None:
            handler._cut(record, settings)
            return
        last = _chunk(cid, model, {}, finish)
        if settings.openai_timings:
            end = time.perf_counter()
            last["timings"] = {
                "prompt_n": plan.prompt_eval_count,
                "prompt_ms": (eval_start - prompt_start) * 1000.0,
                "predicted_n": len(plan.pieces),
                "predicted_ms": (end - eval_start) * 1000.0,
            }
        record.reported = last
        _event(handler, last)
        asked = (body.get("stream_options") or {}).get("include_usage")
        if asked and settings.openai_usage:
            final = {**_chunk(cid, model, {}, None), "choices": [], "usage": usage}
            _event(handler, final)
        handler._write_sse(b"data: [DONE]\n\n")
        handler._end_body()
        record.outcome = "ok"
    finally:
        handler.stub._end_chat()


def _event(handler: OllamaHandler, payload: dict[str, Any]) -> None:
    handler._write_sse(b"data: " + json.dumps(payload).encode() + b"\n\n")
