"""The graph's typed state: what nodes read and the partial updates they return.

Reducers: LLM call metrics accumulate across nodes; node timings merge by node name.
Everything else is written by exactly one node.
"""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from chimera.findings.analysis import Analysis
from chimera.findings.finding import Finding
from chimera.findings.highlights import Highlight
from chimera.grounding.compliance import ComplianceResult
from chimera.grounding.figures import FiguresCheck
from chimera.grounding.review import Section
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory
from chimera.metrics import CallMetrics

# What each node is called where people read about it (progress lines, the Execution time
# line, pages), in graph order.
NODE_LABELS = {
    "ingest": "ingest", "analyst": "analysis", "writer": "report", "verify": "checks",
    "nothing_to_measure": "report",
}  # fmt: skip
# The stages of the seed report's Execution time line: the nodes that take real time.
TIMED_STAGES = ("ingest", "analyst", "writer")


def merge_timings(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    return {**left, **right}


class PromptRecord(TypedDict):
    """A prompt exactly as sent, and whether its digest was cut to fit num_ctx."""

    system: str
    user: str
    shrunk: bool


class ChimeraState(TypedDict, total=False):
    inventory: Inventory  # ingest
    digest: DataDigest  # ingest
    data_key: str  # ingest: the folder's fingerprint, the key of what is derived from it
    findings: list[Finding]  # ingest (computed from the digest, no LLM)
    highlights: list[Highlight]  # ingest (the most important findings)
    analysis: Analysis  # analyst (the findings it chose, with its interpretations)
    report_body: str  # writer (the sections, assembled)
    sections: list[Section]  # writer (each section, who wrote it, how it was reviewed)
    prompts: Annotated[dict[str, PromptRecord], merge_timings]  # analyst, writer
    figures_check: FiguresCheck  # verify
    compliance: ComplianceResult  # verify
    llm_calls: Annotated[list[CallMetrics], operator.add]
    node_timings: Annotated[dict[str, float], merge_timings]  # added by the graph, not nodes
