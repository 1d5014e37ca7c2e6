"""Builds the folders the page tests look at: real runs, a comparison, hand-made run.json files.

The runs are real (the fake backend, over the whole graph), with a writer reply that holds
figures the check traces and one it cannot; schema-2 fields the lead's change adds are
written by hand onto a copy of a real run.json until that change lands.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

from chimera.backends.fake import FakeBackend, queue_reply
from chimera.comparison.execution import acompare
from chimera.config.agent import AgentConfig, ModelOptions
from chimera.execution.runner import arun

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"

ANALYST = json.dumps(
    {
        "key_findings": ["gemma3:270m is the fastest model at 164.31 tok/s."],
        "recommendations": ["Keep gemma3:270m loaded; it reached 164.31 tok/s against 24.38."],
    }
)
WRITER = """## 1. Executive Summary
gemma3:270m is the fastest model at **164.31 tok/s**, while gemma3:4b reaches 24.38 tok/s.
The lowest TTFT, 114.2 ms, belongs to gemma3:270m. A made-up TTFT of 123456.78 ms appears here.

## 2. Table
| Model | tok/s |
|---|---|
| gemma3:270m | 164.31 |
| gemma3:4b | 24.38 |

- Keep `keep_alive` high.
- Watch *cold starts*.
"""


def fake_agent(name: str, temperature: float) -> AgentConfig:
    return AgentConfig(
        name=name, backend="fake", model="fake", options=ModelOptions(temperature=temperature)
    )


def make_run(
    out: Path, temperature: float = 0.2, writer: str = WRITER, name: str = "Fake Agent"
) -> Path:
    backend = FakeBackend(reply=queue_reply([ANALYST, writer]))
    result = asyncio.run(arun(EXAMPLE, fake_agent(name, temperature), out=out, backend=backend))
    assert result.ok and result.run_dir is not None, result.error
    return result.run_dir


def make_sweep(out: Path) -> Path:
    """A 2 x 2 sweep (temperature x top_k) on the fake backend, one run per cell."""
    import chimera

    base = AgentConfig(name="Fake Sweep", backend="fake", model="fake")
    plan = chimera.plan_sweep(EXAMPLE, base, grid=["temperature=0.2,0.8", "top_k=20,40"], runs=1)
    result = chimera.run_sweep(plan, out=out)
    assert result.out_dir is not None
    return Path(result.out_dir)


def make_comparison(out: Path, runs: int = 3) -> Path:
    result = asyncio.run(
        acompare(
            EXAMPLE,
            [fake_agent("Same Name", 0.2), fake_agent("Same Name", 0.9)],
            runs=runs,
            out=out,
        )
    )
    assert result.out_dir
    return Path(result.out_dir)


V2_BODY = (
    "## Summary\nThroughput peaked at 164.31 tok/s on gemma3:270m.\n\n"
    "## Method\nChimera read 26 files.\n"
)


def v2_run(source: Path, dest: Path) -> dict[str, Any]:
    """A schema-2 run.json (findings, sections, offsets, quality) built on a real run's."""
    run = json.loads((source / "run.json").read_text())
    run["schema_version"] = 2
    run["report_body"] = V2_BODY
    summary = "## Summary\nThroughput peaked at 164.31 tok/s on gemma3:270m."
    method = "## Method\nChimera read 26 files."
    run["sections"] = [
        {
            "title": "Summary",
            "author": "model",
            "text": summary,
            "echo_share": 0.1,
            "figures_traced": 1,
            "figures_total": 1,
            "retries": 1,
            "rejected": None,
        },
        {
            "title": "Method",
            "author": "chimera",
            "text": method,
            "echo_share": None,
            "figures_traced": 1,
            "figures_total": 1,
            "retries": 0,
            "rejected": "the draft repeated the prompt",
        },
    ]
    key = "gemma3:270m leads at 164.31 tok/s."
    run["findings"] = [
        {
            "id": "F1",
            "kind": "model_ranking",
            "title": "gemma3:270m is fastest",
            "text": "gemma3:270m is the fastest model at 164.31 tok/s (n=29).",
            "figures": [
                {
                    "value": 164.31,
                    "unit": "tok/s",
                    "source": "digest: tokens_per_s mean",
                    "kind": "tokens_per_s mean by model",
                }
            ],
            "groups": ["gemma3:270m", "gemma3:4b"],
            "sources": ["reports/bench.csv"],
            "verdict": "real",
            "caveats": ["one machine"],
            "importance": 0.9,
        },
    ]
    run["analysis"] = {
        "key_findings": [
            {"text": key, "finding_id": "F1", "author": "model", "interpretation": None}
        ],
        "recommendations": [
            {
                "text": "Use gemma3:270m for speed.",
                "finding_ids": ["F1"],
                "author": "chimera",
                "interpretation": "speed first",
                "change": {"model": "gemma3:270m"},
            }
        ],
        "dropped": [{"text": "It is 12 % better", "reason": "no finding supports it"}],
        "parse_mode": "json",
        "raw": "",
    }

    def claim(text: str, where: str, haystack: str, number: str, status: str) -> dict[str, Any]:
        start = haystack.index(number)
        return {
            "text": text,
            "value": float(number),
            "unit": None,
            "sentence": "",
            "where": where,
            "status": status,
            "provenance": "digest: test" if status == "traced" else None,
            "start": start,
            "end": start + len(number),
        }

    run["figures_check"] = {
        "claims": [
            claim("164.31 tok/s", "report_body", V2_BODY, "164.31", "traced"),
            claim("26", "report_body", V2_BODY, "26", "untraced"),
            claim("164.31 tok/s", "key_findings", key, "164.31", "traced"),
        ],
        "traced": 2,
        "total": 3,
        "grounding_rate": 2 / 3,
    }
    run["quality"] = {
        "model_share": 0.5,
        "echo_share": 0.1,
        "grounding_rate": 0.67,
        "compliance": 0.8,
    }
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "run.json").write_text(json.dumps(run))
    return run


def hostile_run(source: Path, dest: Path) -> None:
    """A run.json whose data-derived strings try to inject markup and fetches."""
    run = json.loads((source / "run.json").read_text())
    evil = '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'
    run["config"]["name"] = f"Evil {evil}"
    run["report_body"] = (
        f"# Title {evil}\n\n[click](http://127.0.0.1:9/) ![i](http://127.0.0.1:9/i.png)\n\n"
        f"| a | {evil} |\n|---|---|\n| `{evil}` | **{evil}** |\n"
    )
    run["highlights"] = [{"text": evil, "source": evil, "values": []}]
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / ".chimera.json", dest / ".chimera.json")
    (dest / "run.json").write_text(json.dumps(run))
