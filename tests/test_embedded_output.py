"""Two embedded models loading at once in one process leave its stdout and stderr alone.

llama-cpp-python, loading a model with verbose=False, points file descriptors 1 and 2 at
/dev/null and back; two loads in parallel threads could leave both muted, so a comparison
of two embedded configs printed no verdicts and no summary path (exit 0, files written).
Here, as a user's script would, a real `chimera compare` of two embedded configs runs in
a subprocess: its stdout must be exactly the summary path, its stderr every progress line.
Kept cheap: a four-row CSV, a short context and 8 generated tokens per call.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """name: Embedded T{t}
backend: embedded
model: gemma3-270m-q4_k_m
options: {{num_ctx: 2048, num_predict: 8, temperature: {t}, seed: 42}}
timeout_s: 600
ingest: {{digest_budget_tokens: 200}}
"""


@pytest.mark.embedded
def test_a_concurrent_comparison_of_two_embedded_configs_prints_everything(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "bench.csv").write_text(
        "model,ttft_ms,tokens_per_s\ngemma3:1b,120,50\ngemma3:1b,130,55\n"
        "gemma3:4b,300,20\ngemma3:4b,320,22\n"
    )
    configs = []
    for t in ("0.7", "0.2"):
        path = tmp_path / f"embedded-{t}.yaml"
        path.write_text(CONFIG.format(t=t))
        configs.append(str(path))
    out = tmp_path / "cmp"
    result = subprocess.run(
        [sys.executable, "-m", "chimera", "compare", str(data), "--a", configs[0]]
        + ["--b", configs[1], "--runs", "2", "--mode", "concurrent", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    [summary] = result.stdout.splitlines()  # nothing else reached stdout
    assert Path(summary).name == "summary.md" and Path(summary).is_file()
    for rep in ("run_1", "run_2"):
        for variant in ("A", "B"):
            assert f"{rep} {variant}: checks done" in result.stderr, result.stderr
    assert "B vs A (delta = B - A):" in result.stderr and "Throughput: " in result.stderr
