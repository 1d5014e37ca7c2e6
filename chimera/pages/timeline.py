"""The run's timeline: every node and every LLM call on one time axis, from run.json.

run.json records each node's duration (`node_timings`, seconds) but not its start, and
each call's start (`llm_calls[*].started_at`), wall time and TTFT. Nodes run one after
another in graph order, so they are laid end to end from the run's start; a node that
made calls is moved later when its last call ends after the node would have (retries and
backoff happen between nodes), so every call sits inside its node's bar. Each call is
split into waiting for the first token (TTFT) and generating.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chimera.pages.charts import Segment, TimelineRow, timeline
from chimera.pages.runfile import as_dict, as_list, number, when
from chimera.pages.shell import esc, num, table
from chimera.state import NODE_LABELS


def _calls(run: dict[str, Any], origin: datetime) -> list[dict[str, Any]]:
    calls = []
    for c in as_list(run.get("llm_calls")):
        if not isinstance(c, dict):
            continue
        started = when(c.get("started_at"))
        wall = number(c.get("wall_ms"))
        offset = (started - origin).total_seconds() if started else None
        calls.append({**c, "_offset": offset, "_wall_s": (wall or 0.0) / 1000.0})
    return calls


def _origin(run: dict[str, Any]) -> datetime | None:
    starts = [
        when(c.get("started_at")) for c in as_list(run.get("llm_calls")) if isinstance(c, dict)
    ]
    candidates = [t for t in [when(run.get("started_at")), *starts] if t is not None]
    return min(candidates) if candidates else None


def timeline_rows(run: dict[str, Any]) -> tuple[list[TimelineRow], float, list[dict[str, Any]]]:
    """The rows (nodes first, then calls), the axis length in seconds, and the calls."""
    origin = _origin(run)
    calls = _calls(run, origin) if origin else []
    timings = {k: number(v) for k, v in as_dict(run.get("node_timings")).items()}
    order = [n for n in NODE_LABELS if n in timings] + [n for n in timings if n not in NODE_LABELS]
    rows: list[TimelineRow] = []
    end_prev = 0.0
    for node in order:
        duration = timings[node] or 0.0
        own = [c for c in calls if c.get("node") == node and c["_offset"] is not None]
        start = end_prev
        if own:
            last_end = max(c["_offset"] + c["_wall_s"] for c in own)
            first = min(c["_offset"] for c in own)
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
        node = str(c.get("node") or "?")
        per_node[node] = per_node.get(node, 0) + 1
        c["_label"] = f"{node} call {per_node[node]}"
        offset = c["_offset"]
        if offset is None:
            rows.append(TimelineRow(c["_label"] + " (start not recorded)", "call", []))
            continue
        ttft = number(c.get("ttft_ms"))
        wall = c["_wall_s"]
        metrics = (
            f"{c['_label']}: starts {offset:.2f} s, wall {wall * 1000:.0f} ms, TTFT "
            f"{num(ttft, 0, 'ms')}, {num(number(c.get('throughput_tok_s')), 2, 'tok/s')},"
            f" {num(c.get('eval_count'))} tokens"
        )
        if ttft is not None and 0 <= ttft / 1000.0 <= wall:
            segments = [
                Segment(
                    offset,
                    offset + ttft / 1000.0,
                    "wait",
                    f"{metrics}; waiting for the first token {ttft:.0f} ms",
                ),
                Segment(
                    offset + ttft / 1000.0,
                    offset + wall,
                    "gen",
                    f"{metrics}; generating {(wall - ttft / 1000.0) * 1000:.0f} ms",
                ),
            ]
        else:
            segments = [Segment(offset, offset + wall, "call", metrics)]
        rows.append(TimelineRow(c["_label"], "call", segments))
    ends = [s.end_s for r in rows for s in r.segments]
    total = (
        max([number(run.get("wall_s")) or 0.0, *ends]) if ends else number(run.get("wall_s")) or 0.0
    )
    return rows, total, calls


def timeline_section(run: dict[str, Any]) -> str:
    rows, total, calls = timeline_rows(run)
    if not rows:
        return '<p class="note">No node timings or LLM calls were recorded for this run.</p>'
    notes = [
        "Nodes are laid end to end in graph order (run.json records how long each node took,"
        " not when it started); calls sit at their recorded start times."
    ]
    if run.get("resumed"):
        notes.append("This run was resumed from a checkpoint: times before the resume are partial.")
    timed = sum(number(v) or 0.0 for v in as_dict(run.get("node_timings")).values())
    wall = number(run.get("wall_s"))
    if wall:
        notes.append(f"Nodes account for {timed:.2f} s of the run's {wall:.2f} s.")
    chart = timeline(rows, total, caption=" ".join(notes))
    return chart + _calls_table(calls)


def _calls_table(calls: list[dict[str, Any]]) -> str:
    if not calls:
        return '<p class="note">No LLM calls were recorded.</p>'
    rows = []
    for c in calls:
        notes = []
        if c.get("prompt_shrunk"):
            notes.append("digest shrunk to fit num_ctx")
        if c.get("likely_truncated"):
            notes.append(
                f"prompt likely truncated ({c.get('prompt_eval_count')}/{c.get('num_ctx')})"
            )
        ttft = number(c.get("ttft_ms"))
        wall = number(c.get("wall_ms"))
        gen = None if ttft is None or wall is None else wall - ttft
        rows.append(
            [
                esc(c.get("_label", c.get("node"))),
                esc(c.get("host") or c.get("backend") or ""),
                "not recorded" if c["_offset"] is None else f"{c['_offset']:.2f}",
                esc(num(ttft)),
                esc(num(gen)),
                esc(num(wall)),
                esc(num(number(c.get("throughput_tok_s")))),
                esc(num(c.get("prompt_eval_count"))),
                esc(num(c.get("eval_count"))),
                esc(num(number(c.get("prompt_eval_duration_ms")))),
                esc(num(number(c.get("eval_duration_ms")))),
                esc(num(number(c.get("load_duration_ms")))),
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
