"""Per-call and per-run LLM metrics, in the units the reports use (ms, tok/s).

Every backend puts Ollama's timing fields (nanoseconds) in the final message's
`response_metadata`, as far as its server reports them; `CallMetrics.from_response` is the
single place they become metrics. What the client measures from the stream itself (TTFT,
the gaps between tokens, the decode rate) is measured the same way for every backend by
`measured_call`. None means "not measured" and is shown that way: never as 0 or a guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from statistics import fmean
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

NS_PER_MS = 1_000_000
# A prompt whose evaluated token count comes this close to num_ctx was probably cut by the server.
TRUNCATION_MARGIN = 0.98


def _ns_to_ms(value: Any) -> float | None:
    """A server's nanoseconds in ms; None unless a finite, non-negative number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        ns = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return ns / NS_PER_MS if math.isfinite(ns) and ns >= 0 else None


# No server counts 2**63 tokens; a bigger count is a lie, and it would not fit a checkpoint.
MAX_COUNT = 2**63


def int_or_none(value: Any) -> int | None:
    """A server's count; None unless a non-negative number below 2**63 (inf and NaN are not)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if math.isfinite(number) and 0 <= number < MAX_COUNT else None


class CallMetrics(BaseModel):
    """One LLM call, measured."""

    node: str
    backend: str
    model: str
    host: str | None = None
    started_at: datetime
    wall_ms: float = Field(description="client-side time from request to last token")
    ttft_ms: float | None = Field(None, description="client-side time to first non-empty token")
    total_duration_ms: float | None = None
    load_duration_ms: float | None = None
    prompt_eval_count: int | None = None
    prompt_eval_duration_ms: float | None = None
    eval_count: int | None = None
    eval_duration_ms: float | None = None
    prompt_tokens_estimate: int | None = None
    num_ctx: int | None = None
    prompt_shrunk: bool = Field(False, description="the digest was cut to fit num_ctx")
    reply_cut_at_chars: int | None = Field(
        None, description="the reply ran past what was asked for and was cut here"
    )
    itl_mean_ms: float | None = Field(
        None, description="client-side: mean gap between streamed tokens after the first"
    )
    itl_p95_ms: float | None = Field(None, description="client-side: 95th percentile of those")
    decode_tok_s: float | None = Field(
        None,
        description="client-side: tokens after the first / time from the first to the last"
        " (tokens: the server's count when it sends one, else one per streamed chunk)",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def throughput_tok_s(self) -> float | None:
        """eval_count / eval_duration as Ollama's own tools compute it, when the server
        reports them; else the decode rate measured client-side (`throughput_from`)."""
        if not self.eval_count or not self.eval_duration_ms:
            return self.decode_tok_s
        return self.eval_count / (self.eval_duration_ms / 1000.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def throughput_from(self) -> Literal["server", "client"] | None:
        """Where `throughput_tok_s` comes from: the server's counters or the client's clock."""
        if self.eval_count and self.eval_duration_ms:
            return "server"
        return "client" if self.decode_tok_s is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def likely_truncated(self) -> bool:
        """The server probably cut the prompt (Ollama does so silently past num_ctx)."""
        if self.prompt_eval_count is None:
            return False
        if self.num_ctx and self.prompt_eval_count >= TRUNCATION_MARGIN * self.num_ctx:
            return True
        # Far fewer tokens evaluated than we sent also betrays a cut (ignoring cache reuse,
        # which Ollama reports as a small prompt_eval_count with a tiny duration).
        return bool(
            self.prompt_tokens_estimate
            and self.prompt_tokens_estimate > 256
            and self.prompt_eval_count < 0.5 * self.prompt_tokens_estimate
            and self.num_ctx
            and self.prompt_tokens_estimate > self.num_ctx
        )

    @classmethod
    def from_response(cls, metadata: Mapping[str, Any], **measured: Any) -> CallMetrics:
        """Build from a final message's response_metadata plus client-side measurements."""
        return cls(
            total_duration_ms=_ns_to_ms(metadata.get("total_duration")),
            load_duration_ms=_ns_to_ms(metadata.get("load_duration")),
            prompt_eval_count=int_or_none(metadata.get("prompt_eval_count")),
            prompt_eval_duration_ms=_ns_to_ms(metadata.get("prompt_eval_duration")),
            eval_count=int_or_none(metadata.get("eval_count")),
            eval_duration_ms=_ns_to_ms(metadata.get("eval_duration")),
            **measured,
        )


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def _total(values: Sequence[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def stream_timing(
    token_times: Sequence[float], tokens: int | None
) -> tuple[float | None, float | None, float | None]:
    """(mean gap ms, p95 gap ms, decode tok/s) from the arrival times (s) of a stream's
    non-empty chunks; `tokens` is the server's count of generated tokens, when it sent one.

    The decode rate is tokens after the first over the time from the first to the last:
    the first token's wait is TTFT's. Without a count, each chunk is a token (llama.cpp's,
    vLLM's and Ollama's servers stream one token a chunk). Fewer than two: not measured.
    """
    gaps = [(b - a) * 1000.0 for a, b in zip(token_times, token_times[1:], strict=False)]
    if not gaps:
        return None, None, None
    ordered = sorted(gaps)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    window_s = token_times[-1] - token_times[0]
    counted = tokens if tokens and tokens >= 2 else len(token_times)
    rate = (counted - 1) / window_s if window_s > 0 else None
    return fmean(gaps), p95, rate


def _weighted_rate(calls: Sequence[CallMetrics]) -> float | None:
    """Tokens generated / eval time, over the calls that report both: each token counts once."""
    measured = [c for c in calls if c.eval_count and c.eval_duration_ms]
    seconds = sum(c.eval_duration_ms or 0.0 for c in measured) / 1000.0
    return sum(c.eval_count or 0 for c in measured) / seconds if seconds > 0 else None


class RunMetrics(BaseModel):
    """A run's figures as in the original reports: rates averaged over calls, the rest summed.

    Two throughputs, since they differ whenever calls differ in length: `throughput_tok_s`
    is the mean of the per-call rates (as the original reports computed it, and as compare
    and sweep compare runs); `throughput_weighted_tok_s` is all tokens generated / all eval
    time (what an operator reading "tokens per second" expects: 667 tokens in 502.6 s of
    eval is 1.33 tok/s, where the mean of seven per-call rates was 1.59).
    """

    calls: int
    throughput_tok_s: float | None = Field(description="mean of the per-call rates")
    throughput_weighted_tok_s: float | None = Field(
        None, description="tokens generated / eval time, over the calls reporting both"
    )
    ttft_ms: float | None
    itl_mean_ms: float | None = None
    itl_p95_ms: float | None = None
    total_duration_ms: float | None
    tokens_generated: int | None
    prompt_eval_ms: float | None
    eval_duration_ms: float | None
    load_duration_ms: float | None
    prompt_tokens: int | None
    truncated_calls: int

    @classmethod
    def from_calls(cls, calls: Sequence[CallMetrics]) -> RunMetrics:
        tokens = _total([c.eval_count for c in calls])
        prompt_tokens = _total([c.prompt_eval_count for c in calls])
        return cls(
            calls=len(calls),
            throughput_tok_s=_mean([c.throughput_tok_s for c in calls]),
            throughput_weighted_tok_s=_weighted_rate(calls),
            ttft_ms=_mean([c.ttft_ms for c in calls]),
            itl_mean_ms=_mean([c.itl_mean_ms for c in calls]),
            itl_p95_ms=_mean([c.itl_p95_ms for c in calls]),
            total_duration_ms=_total([c.total_duration_ms for c in calls]),
            tokens_generated=None if tokens is None else int(tokens),
            prompt_eval_ms=_total([c.prompt_eval_duration_ms for c in calls]),
            eval_duration_ms=_total([c.eval_duration_ms for c in calls]),
            load_duration_ms=_total([c.load_duration_ms for c in calls]),
            prompt_tokens=None if prompt_tokens is None else int(prompt_tokens),
            truncated_calls=sum(1 for c in calls if c.likely_truncated),
        )


def format_metric(value: float | int | None, unit: str = "", digits: int = 2) -> str:
    """'42.76 tok/s', or 'not measured' when the backend did not report it."""
    if value is None:
        return "not measured"
    text = str(value) if isinstance(value, int) else f"{value:.{digits}f}"
    return f"{text} {unit}".strip()
