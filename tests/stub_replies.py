"""What the stub server answers in tests that need a run to finish, not particular text:
the analyst's JSON and a one-section report (`reply_by_format(ANALYST_JSON, REPORT)`)."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"
ANALYST_JSON = '{"key_findings": ["Throughput is steady."], "recommendations": ["Keep warm."]}'
REPORT = "## 1. Executive Summary\nThroughput is steady across the runs.\n"
