"""The run's timeline: every node and every LLM call on one time axis, from run.json.

run.json records each node's duration (`node_timings`, seconds) but not its start, and
each call's start (`llm_calls[*].started_at`), wall time and TTFT. Nodes run one after
another in graph order, so they are laid end to end from the run's start; a node that
made calls is moved later when its last call ends after the node would have (retries and
backoff happen between nodes), so every call sits inside its node's bar. Each call is
split into waiting for the first token (TTFT) and generating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from chimera.findings.duration import duration as time_text
from chimera.metrics import CallMetrics
from chimera.pages.charts import Segment, TimelineRow, timeline
from chimera.pages.shell import esc, num, table
from chimera.run_record import RunResult
from chimera.state import NODE_LABELS


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


@dataclass
class _Call:
    """A call placed on the run's time axis."""

    call: CallMetrics
    offset: float | None  # seconds from the run's start; None: not recorded
    wall_s: float
    label: str = ""


def _calls(run: RunResult, origin: datetime) -> list[_Call]:
    return [
        _Call(c, (c.started_at - origin).total_seconds(), (_finite(c.wall_ms) or 0.0) / 1000.0)
        for c in run.llm_calls
    ]


def _origin(run: RunResult) -> datetime:
    return min([run.started_at, *(c.started_at for c in run.llm_calls)])


def timeline_rows(run: RunResult) -> tuple[list[TimelineRow], float, list[_Call]]:
    """The rows (nodes first, then calls), the axis length in seconds, and the calls."""
    calls = _calls(run, _origin(run))
    timings = {k: _finite(v) for k, v in run.node_timings.items()}
    order = [n for n in NODE_LABELS if n in timings] + [n for n in timings if n not in NODE_LABELS]
    rows: list[TimelineRow] = []
    end_prev = 0.0
    for node in order:
        duration = timings[node] or 0.0
        own = [c for c in calls if c.call.node == node and c.offset is not None]
        start = end_prev
        if own:
            last_end = max((c.offset or 0.0) + c.wall_s for c in own)
            first = min(c.offset or 0.0 for c in own)
            if last_end > start + duration:
                start = max(start, last_end - duration)
            start = min(start, first)
        label = NODE_LABELS.get(node, node)
        rows.append(
            TimelineRow(
                label=f"{label} ({node})" if label != node else node,
                kind="node",
                segments=[
                    Segment(
                        start,
                        start + duration,
                        "node",
                        f"node {node}: {duration:.2f} s, from {start:.2f} s",
                    )
                ],
            )
        )
        end_prev = start + duration
    per_node: dict[str, int] = {}
    for c in calls:
        node = c.call.node or "?"
        per_node[node] = per_node.get(node, 0) + 1
        c.label = f"{node} call {per_node[node]}"
        offset = c.offset
        if offset is None:
            rows.append(TimelineRow(c.label + " (start not recorded)", "call", []))
            continue
        ttft = _finite(c.call.ttft_ms)
        wall = c.wall_s
        metrics = (
            f"{c.label}: starts {offset:.2f} s, wall {time_text(wall * 1000)}, TTFT "
            f"{'not measured' if ttft is None else time_text(ttft)}, "
            f"{num(_finite(c.call.throughput_tok_s), 2, 'tok/s')},"
            f" {num(c.call.eval_count)} tokens"
        )
        if ttft is not None and 0 <= ttft / 1000.0 <= wall:
            segments = [
                Segment(
                    offset,
                    offset + ttft / 1000.0,
                    "wait",
                    f"{metrics}; waiting for the first token {time_text(ttft)}",
                ),
                Segment(
                    offset + ttft / 1000.0,
                    offset + wall,
                    "gen",
                    f"{metrics}; generating {time_text(wall * 1000 - ttft)}",
                ),
            ]
        else:
            segments = [Segment(offset, offset + wall, "call", metrics)]
        rows.append(TimelineRow(c.label, "call", segments))
    ends = [seg.end_s for r in rows for seg in r.segments]
    run_wall = _finite(run.wall_s) or 0.0
    return rows, max([run_wall, *ends]) if ends else run_wall, calls


def timeline_section(run: RunResult) -> str:
    rows, total, calls = timeline_rows(run)
    if not rows:
        return '<p class="note">No node timings or LLM calls were recorded for this run.</p>'
    notes = [
        "Nodes are laid end to end in graph order (run.json records how long each node took,"
        " not when it started); calls sit at their recorded start times."
    ]
    if run.resumed:
        notes.append("This run was resumed from a checkpoint: times before the resume are partial.")
    timed = sum(_finite(v) or 0.0 for v in run.node_timings.values())
    wall = _finite(run.wall_s)
    if wall:
        notes.append(f"Nodes account for {timed:.2f} s of the run's {wall:.2f} s.")
    chart = timeline(rows, total, caption=" ".join(notes))
    return chart + _calls_table(calls)


def _calls_table(calls: list[_Call]) -> str:
    if not calls:
        return '<p class="note">No LLM calls were recorded.</p>'
    rows = []
    for placed in calls:
        c = placed.call
        notes = []
        if c.prompt_shrunk:
            notes.append("digest shrunk to fit num_ctx")
        if c.likely_truncated:
            notes.append(f"prompt likely truncated ({c.prompt_eval_count}/{c.num_ctx})")
        ttft = _finite(c.ttft_ms)
        wall = _finite(c.wall_ms)
        gen = None if ttft is None or wall is None else wall - ttft
        rows.append(
            [
                esc(placed.label or c.node),
                esc(c.host or c.backend or ""),
                "not recorded" if placed.offset is None else f"{placed.offset:.2f}",
                esc(num(ttft)),
                esc(num(gen)),
                esc(num(wall)),
                esc(num(_finite(c.throughput_tok_s))),
                esc(num(c.prompt_eval_count)),
                esc(num(c.eval_count)),
                esc(num(_finite(c.prompt_eval_duration_ms))),
                esc(num(_finite(c.eval_duration_ms))),
                esc(num(_finite(c.load_duration_ms))),
                esc("; ".join(notes)),
            ]
        )
    return table(
        [
            "Call",
            "Host",
            "Start s",
            "TTFT ms",
            "Generating ms",
            "Wall ms",
            "tok/s",
            "Prompt tokens",
            "Tokens",
            "Prompt eval ms",
            "Eval ms",
            "Load ms",
            "Notes",
        ],
        rows,
        numeric=range(2, 12),
    ) + (
        '<p class="note">Throughput = eval_count / eval_duration (the server\'s counters);'
        " TTFT is measured by Chimera as the time to the first non-empty token.</p>"
    )
