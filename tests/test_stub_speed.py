"""The Ollama stub's speed model and /api/ps, over real HTTP: what sweep tests rely on."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from chimera.testing.ollama_server import OllamaStubServer, SpeedModel, serve_ollama_stub

SPEED = SpeedModel(layers=48, gpu_tok_s=200, cpu_tok_s=25, load_s=0.15)


def chat(server: OllamaStubServer, **options: Any) -> dict[str, Any]:
    """One non-streamed chat with these options; the final body with Ollama's timings."""
    body = {"model": "gemma3", "messages": [{"role": "user", "content": "hi"}], "stream": False}
    response = httpx.post(f"{server.url}/api/chat", json={**body, "options": options}, timeout=30)
    response.raise_for_status()
    return response.json()


def tok_s(reply: dict[str, Any]) -> float:
    return reply["eval_count"] / (reply["eval_duration"] / 1e9)


def test_throughput_rises_with_num_gpu_up_to_the_layer_count() -> None:
    """16 of 48 layers on the GPU: 1 / (1/3/200 + 2/3/25) = 34.3 tok/s; 48 and 80 layers
    are both all of them: ~200 tok/s (less the num_ctx cost of 0.25 us per slot)."""
    with serve_ollama_stub(speed=SPEED, tokens=20) as server:
        partial = tok_s(chat(server, num_gpu=16, num_ctx=1024))
        full = tok_s(chat(server, num_gpu=48, num_ctx=1024))
        beyond = tok_s(chat(server, num_gpu=80, num_ctx=1024))
    expected_partial = 1 / (1 / 3 / 200 + 2 / 3 / 25 + 1024 * 0.25e-6)
    expected_full = 1 / (1 / 200 + 1024 * 0.25e-6)
    assert partial == pytest.approx(expected_partial, rel=0.15)
    assert full == pytest.approx(expected_full, rel=0.15)
    assert beyond == pytest.approx(full, rel=0.15)
    assert full > 4 * partial


def test_prefill_grows_with_num_ctx() -> None:
    """Prefill = (0.01 + num_ctx / 1000 x 0.01) s on the GPU: 0.02 s at 1024, 0.05 s at 4096."""
    with serve_ollama_stub(speed=SPEED, tokens=2) as server:
        small = chat(server, num_gpu=48, num_ctx=1024)["prompt_eval_duration"] / 1e9
        large = chat(server, num_gpu=48, num_ctx=4096)["prompt_eval_duration"] / 1e9
    assert small == pytest.approx(0.01 + 1.024 * 0.01, abs=0.01)
    assert large == pytest.approx(0.01 + 4.096 * 0.01, abs=0.01)


def test_changing_runner_options_reloads_the_model_and_sampling_options_do_not() -> None:
    """The first call loads (0.15 s); the same options again do not; a new num_ctx does;
    a new temperature does not, as with Ollama."""
    with serve_ollama_stub(speed=SPEED, tokens=2) as server:
        loads = [
            chat(server, num_gpu=48, num_ctx=1024)["load_duration"] / 1e9,
            chat(server, num_gpu=48, num_ctx=1024)["load_duration"] / 1e9,
            chat(server, num_gpu=48, num_ctx=2048)["load_duration"] / 1e9,
            chat(server, num_gpu=48, num_ctx=2048, temperature=0.2)["load_duration"] / 1e9,
        ]
        assert server.loads == 2
    assert loads[0] == pytest.approx(0.15, abs=0.05) and loads[2] == pytest.approx(0.15, abs=0.05)
    assert loads[1] < 0.01 and loads[3] < 0.01


def test_api_ps_reports_partial_offload_and_context_length() -> None:
    """num_gpu=16 of 48 layers: size_vram is a third of size; nothing loaded: no models."""
    with serve_ollama_stub(speed=SPEED, tokens=2) as server:
        assert httpx.get(f"{server.url}/api/ps").json() == {"models": []}
        chat(server, num_gpu=16, num_ctx=1024)
        (loaded,) = httpx.get(f"{server.url}/api/ps").json()["models"]
        assert loaded["name"] == "gemma3:latest" and loaded["context_length"] == 1024
        assert loaded["size_vram"] / loaded["size"] == pytest.approx(16 / 48, abs=1e-6)
        chat(server, num_gpu=48, num_ctx=4096)
        (loaded,) = httpx.get(f"{server.url}/api/ps").json()["models"]
        assert loaded["size_vram"] == loaded["size"] and loaded["context_length"] == 4096


def test_without_a_speed_model_the_fixed_delays_apply() -> None:
    """The other tests' behaviour is unchanged: fixed token delays, the model fully in VRAM."""
    with serve_ollama_stub(tokens=5, token_delay_s=0.02) as server:
        reply = chat(server, num_gpu=1)
        assert reply["eval_duration"] / 1e9 == pytest.approx(0.1, abs=0.04)
        (loaded,) = httpx.get(f"{server.url}/api/ps").json()["models"]
        assert loaded["size_vram"] == loaded["size"]


def test_concurrent_chats_slow_each_other_on_a_shared_gpu() -> None:
    """concurrency_slowdown 0.5: two chats at once take about 1.5 x as long per token
    (0.5 s each alone, started together through a barrier so they overlap)."""
    speed = SpeedModel(gpu_tok_s=100, load_s=0.0, ctx_us_per_token=0.0, concurrency_slowdown=0.5)
    with serve_ollama_stub(speed=speed, tokens=50) as server:
        chat(server)  # load first, so both concurrent chats are warm
        alone = tok_s(chat(server))
        results: list[float] = []
        barrier = threading.Barrier(2)

        def together() -> None:
            barrier.wait()
            results.append(tok_s(chat(server)))

        threads = [threading.Thread(target=together) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert alone == pytest.approx(100, rel=0.15)
    # Fully overlapped each runs at 100 / 1.5 = 67 tok/s; a late start overlaps a bit less.
    assert all(r < 0.85 * alone for r in results), (alone, results)
    assert all(r == pytest.approx(100 / 1.5, rel=0.25) for r in results), results
