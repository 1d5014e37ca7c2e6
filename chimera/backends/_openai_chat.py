"""The openai backend's chat model: langchain-openai's ChatOpenAI, adapted to what Chimera
needs from a stream and to what local OpenAI-compatible servers accept.

- max_tokens is sent under that name (every local server reads it; llama-cpp-python's
  ignores max_completion_tokens, which ChatOpenAI sends, and generates to the context's end);
- llama.cpp's `timings` block and the `usage` chunk are kept, and the last chunk yielded
  carries them in Ollama's fields (`ollama_fields`), which `measured_call` reads;
- a stream without a finish_reason is a `BackendProtocolError`, never a short reply;
- JSON is asked for through `response_format` in OpenAI's form (json_schema), and once in
  llama.cpp's (json_object with a schema) by a server that refuses the first; the form that
  worked is kept in a dict the backend shares with all its chat models.

langchain-openai is imported on first use (`chat_openai_class`).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk

from chimera.errors import BackendProtocolError, ConfigError

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI


def _schema_format(style: str, schema: dict[str, Any]) -> dict[str, Any]:
    if style == "json_object":  # llama.cpp's and llama-cpp-python's own form
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}


def _ns(ms: Any) -> float | None:
    """A server's milliseconds as Ollama's nanoseconds; None unless a number."""
    return float(ms) * 1e6 if isinstance(ms, int | float) and not isinstance(ms, bool) else None


def ollama_fields(
    timings: dict[str, Any] | None, usage: dict[str, Any] | None, finish_reason: str
) -> dict[str, Any]:
    """What the server reported, in the fields `CallMetrics.from_response` reads.

    llama.cpp's `timings` are the server's own clocks and counts (as Ollama's are); without
    them, `usage` gives the token counts and no duration. Missing stays missing.
    """
    fields: dict[str, Any] = {"done": True, "done_reason": finish_reason}
    if isinstance(timings, dict):
        prompt_ns, eval_ns = _ns(timings.get("prompt_ms")), _ns(timings.get("predicted_ms"))
        fields |= {
            "prompt_eval_count": timings.get("prompt_n"),
            "prompt_eval_duration": prompt_ns,
            "eval_count": timings.get("predicted_n"),
            "eval_duration": eval_ns,
            "total_duration": None if prompt_ns is None or eval_ns is None else prompt_ns + eval_ns,
        }
    elif isinstance(usage, dict):
        fields |= {
            "prompt_eval_count": usage.get("prompt_tokens"),
            "eval_count": usage.get("completion_tokens"),
        }
    return {k: v for k, v in fields.items() if v is not None}


def _cut_stream(url: str, model: str) -> BackendProtocolError:
    return BackendProtocolError(
        f"the stream from {url} for model '{model}' ended without a finish_reason; "
        "the server closed the response early",
        hint="check the server's log; it may have stopped, crashed or run out of memory",
    )


@functools.cache
def chat_openai_class() -> type[ChatOpenAI]:
    """ChatOpenAI that reports the server's timings and usage and refuses a cut stream."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigError(
            "the openai backend needs langchain-openai, which is not installed",
            hint="run: pip install langchain-openai",
        ) from exc

    class ReportingChatOpenAI(ChatOpenAI):
        # Shared with the backend: which JSON form the server takes ({"style": ...}).
        schema_style: Any = None
        json_schema: Any = None
        shown_url: str = ""

        def _get_request_payload(self, input_: Any, *, stop: Any = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            # Every local server reads max_tokens; not all read max_completion_tokens
            # (llama-cpp-python's ignores it and generates to the end of the context).
            if "max_completion_tokens" in payload:
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

        def _convert_chunk_to_generation_chunk(
            self, chunk: dict, default_chunk_class: type, base_generation_info: dict | None
        ) -> ChatGenerationChunk | None:
            converted = super()._convert_chunk_to_generation_chunk(
                chunk, default_chunk_class, base_generation_info
            )
            extra = {k: chunk[k] for k in ("timings", "usage") if chunk.get(k)}
            if extra:
                converted = converted or ChatGenerationChunk(message=AIMessageChunk(content=""))
                converted.message.response_metadata["server_reported"] = extra
            return converted

        async def _astream(
            self,
            messages: list[BaseMessage],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> AsyncIterator[ChatGenerationChunk]:
            style = self.schema_style["style"] if self.json_schema is not None else None
            for attempt in range(2):
                if style is not None:
                    response_format = _schema_format(style, self.json_schema)
                    kwargs["extra_body"] = {"response_format": response_format}
                sent = 0
                try:
                    async for chunk in self._reporting(messages, stop, run_manager, **kwargs):
                        sent += 1
                        yield chunk
                    return
                except Exception as exc:
                    if attempt or sent or style != "json_schema" or not _refuses_schema(exc):
                        raise
                    style = self.schema_style["style"] = "json_object"

        async def _reporting(
            self,
            messages: list[BaseMessage],
            stop: list[str] | None,
            run_manager: Any,
            **kwargs: Any,
        ) -> AsyncIterator[ChatGenerationChunk]:
            finish: str | None = None
            reported: dict[str, Any] = {}
            async for chunk in super()._astream(messages, stop, run_manager, **kwargs):
                finish = (chunk.generation_info or {}).get("finish_reason") or finish
                reported |= chunk.message.response_metadata.pop("server_reported", {})
                yield chunk
            if finish is None:
                raise _cut_stream(self.shown_url, self.model_name)
            fields = ollama_fields(reported.get("timings"), reported.get("usage"), finish)
            yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata=fields))

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
            raise NotImplementedError("Chimera streams the openai backend asynchronously")

    return ReportingChatOpenAI


def _refuses_schema(exc: BaseException) -> bool:
    """Did the server refuse OpenAI's json_schema response_format (400, 422, or 500)?"""
    status = getattr(exc, "status_code", None)
    return status in (400, 422, 500) and "response_format" in str(exc)
