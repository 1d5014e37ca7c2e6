"""Metric arithmetic: Ollama's nanoseconds to ms, throughput, run aggregation, 'not measured'."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chimera.metrics import CallMetrics, RunMetrics, format_metric

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def call(**fields: object) -> CallMetrics:
    base: dict[str, object] = {
        "node": "writer",
        "backend": "ollama",
        "model": "m",
        "started_at": NOW,
        "wall_ms": 1000.0,
    }
    return CallMetrics(**{**base, **fields})


def test_from_response_converts_nanoseconds_and_computes_throughput() -> None:
    metadata = {
        "total_duration": 58_575_600_000,
        "load_duration": 516_630_000,
        "prompt_eval_count": 412,
        "prompt_eval_duration": 600_000_000,
        "eval_count": 2404,
        "eval_duration": 55_975_940_000,
    }
    m = CallMetrics.from_response(
        metadata, node="writer", backend="ollama", model="m", started_at=NOW, wall_ms=1.0
    )
    assert m.total_duration_ms == pytest.approx(58575.6)
    assert m.load_duration_ms == pytest.approx(516.63)
    assert m.prompt_eval_duration_ms == pytest.approx(600.0)
    assert m.eval_duration_ms == pytest.approx(55975.94)
    # 2404 tokens / 55.97594 s = 42.947 tok/s
    assert m.throughput_tok_s == pytest.approx(2404 / 55.97594)


def test_missing_fields_stay_not_measured() -> None:
    m = CallMetrics.from_response(
        {}, node="n", backend="ollama", model="m", started_at=NOW, wall_ms=1.0
    )
    assert m.total_duration_ms is None and m.eval_count is None and m.throughput_tok_s is None
    run = RunMetrics.from_calls([m])
    assert run.throughput_tok_s is None and run.tokens_generated is None
    assert format_metric(run.ttft_ms, "ms") == "not measured"


def test_run_metrics_average_rates_and_sum_durations() -> None:
    a = call(
        ttft_ms=100.0,
        eval_count=100,
        eval_duration_ms=2000.0,
        total_duration_ms=2500.0,
        load_duration_ms=10.0,
        prompt_eval_duration_ms=50.0,
        prompt_eval_count=300,
    )
    b = call(
        ttft_ms=300.0,
        eval_count=300,
        eval_duration_ms=3000.0,
        total_duration_ms=3500.0,
        load_duration_ms=0.0,
        prompt_eval_duration_ms=70.0,
        prompt_eval_count=500,
    )
    run = RunMetrics.from_calls([a, b])
    assert run.throughput_tok_s == pytest.approx((50.0 + 100.0) / 2)  # mean of 50 and 100 tok/s
    assert run.ttft_ms == pytest.approx(200.0)
    assert run.total_duration_ms == pytest.approx(6000.0)
    assert run.tokens_generated == 400
    assert run.prompt_eval_ms == pytest.approx(120.0)
    assert run.load_duration_ms == pytest.approx(10.0)
    assert run.prompt_tokens == 800


def test_one_unmeasured_call_does_not_drag_the_mean_to_zero() -> None:
    run = RunMetrics.from_calls([call(ttft_ms=200.0), call(ttft_ms=None)])
    assert run.ttft_ms == pytest.approx(200.0)


def test_truncation_flag_when_prompt_eval_reaches_num_ctx() -> None:
    assert call(prompt_eval_count=2048, num_ctx=2048).likely_truncated
    assert not call(
        prompt_eval_count=900, num_ctx=2048, prompt_tokens_estimate=950
    ).likely_truncated
    assert call(prompt_eval_count=1000, num_ctx=1024, prompt_tokens_estimate=3000).likely_truncated


def test_format_metric() -> None:
    assert format_metric(42.7612, "tok/s") == "42.76 tok/s"
    assert format_metric(2404) == "2404"
    assert format_metric(None, "ms") == "not measured"


def test_stream_timing_measures_gaps_and_the_decode_rate_from_arrival_times() -> None:
    from chimera.metrics import stream_timing

    mean, p95, rate = stream_timing([0.0, 0.01, 0.03, 0.06], None)
    assert mean == pytest.approx(20.0) and p95 == pytest.approx(30.0)
    assert rate == pytest.approx(3 / 0.06)  # one chunk a token: 3 tokens after the first
    # The server's count wins over the chunks (a chunk may hold several tokens).
    assert stream_timing([0.0, 0.01, 0.03, 0.06], 7)[2] == pytest.approx(6 / 0.06)
    assert stream_timing([0.5], 10) == (None, None, None)  # one token: no gap, no rate


def test_throughput_falls_back_to_the_client_side_decode_rate_and_says_so() -> None:
    served = call(decode_tok_s=42.0)
    assert served.throughput_tok_s == 42.0 and served.throughput_from == "client"
    reported = call(decode_tok_s=42.0, eval_count=100, eval_duration_ms=2000.0)
    assert reported.throughput_tok_s == 50.0 and reported.throughput_from == "server"
    assert call().throughput_from is None


def test_run_throughput_is_given_token_weighted_beside_the_mean_of_call_rates() -> None:
    """A long slow call and a short fast one: the mean of their rates (15 tok/s) is not
    tokens over eval time (110 tokens / 10.5 s = 10.48 tok/s); both are kept, named."""
    slow = call(eval_count=100, eval_duration_ms=10_000.0)  # 10 tok/s
    fast = call(eval_count=10, eval_duration_ms=500.0)  # 20 tok/s
    unmeasured = call(eval_count=None, eval_duration_ms=None)
    run = RunMetrics.from_calls([slow, fast, unmeasured])
    assert run.throughput_tok_s == pytest.approx(15.0)
    assert run.throughput_weighted_tok_s == pytest.approx(110 / 10.5)
    assert RunMetrics.from_calls([unmeasured]).throughput_weighted_tok_s is None
