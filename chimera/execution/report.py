"""Render report.md from a RunResult, in the section order of the original reports."""

from __future__ import annotations

import re

from chimera.backends.registry import backend_spec
from chimera.execution.result import RunResult
from chimera.findings.highlights import render_highlights
from chimera.metrics import format_metric
from chimera.state import NODE_LABELS, TIMED_STAGES


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}\n{text.rstrip()}\n{ticks}"


def execution_line(result: RunResult) -> str:
    """`58.60s (ingest 0.03s | analysis 26.38s | report 32.20s)`."""
    stages = " | ".join(
        f"{NODE_LABELS[node]} {result.node_timings[node]:.2f}s"
        for node in TIMED_STAGES
        if node in result.node_timings
    )
    return f"{result.wall_s:.2f}s ({stages})" if stages else f"{result.wall_s:.2f}s"


def _metrics_section(result: RunResult) -> list[str]:
    m = result.metrics
    lines = [
        "## Metrics",
        f"- Throughput: {format_metric(m.throughput_tok_s, 'tok/s')}",
        f"- TTFT: {format_metric(m.ttft_ms, 'ms')}",
        f"- Total Duration: {format_metric(m.total_duration_ms, 'ms')}",
        f"- Tokens Generated: {format_metric(m.tokens_generated)}",
        f"- Prompt Eval: {format_metric(m.prompt_eval_ms, 'ms')}",
        f"- Eval Duration: {format_metric(m.eval_duration_ms, 'ms')}",
        f"- Load Duration: {format_metric(m.load_duration_ms, 'ms')}",
    ]
    if result.llm_calls:
        lines += [
            "",
            "Per call (throughput = eval_count / eval_duration; TTFT measured client-side):",
            "",
            "| Node | Host | TTFT ms | tok/s | Prompt tokens | Tokens | Wall ms | Notes |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in result.llm_calls:
            notes = []
            if c.prompt_shrunk:
                notes.append("digest shrunk to fit num_ctx")
            if c.likely_truncated:
                notes.append(f"**prompt likely truncated** ({c.prompt_eval_count}/{c.num_ctx})")
            lines.append(
                f"| {c.node} | {c.host or c.backend} | {format_metric(c.ttft_ms)} "
                f"| {format_metric(c.throughput_tok_s)} | {format_metric(c.prompt_eval_count)} "
                f"| {format_metric(c.eval_count)} | {c.wall_ms:.2f} | {'; '.join(notes)} |"
            )
    return lines


def _model_line(result: RunResult) -> str:
    config = result.config
    label = (
        result.llm_calls[0].model if result.llm_calls else backend_spec(config).model_label(config)
    )
    backend = result.config.backend
    host = result.llm_calls[0].host if result.llm_calls else None
    where = f"{backend} @ {host}" if host else backend
    return label if backend in label else f"{label} ({where})"


def _bullets(items: list[str], empty: str) -> list[str]:
    return [f"- {item}" for item in items] if items else [f"_{empty}_"]


def render_report(result: RunResult) -> str:
    cfg = result.config
    inventory = result.inventory
    analysis = result.analysis
    lines = [
        f"# {cfg.name}",
        "",
        f"**Date:** {result.started_at.strftime('%Y-%m-%d %H:%M:%S UTC')}",
        f"**Agent Type:** {cfg.display_type}",
        f"**Model:** {_model_line(result)}",
        f"**Configuration:** {result.config_line}",
        "",
        "---",
        "",
        "## Data Highlights",
        "_Computed from the data by Chimera, not written by the model._",
        "",
        render_highlights(result.highlights)
        if result.highlights
        else "_No highlights: the data had no recognised metric columns._",
        "",
        "---",
        "",
        result.report_body or "_The writer returned no text._",
        "",
        "---",
        "",
        "## Workflow Summary",
        f"- Files analyzed: {inventory.total_files if inventory else 0}",
        f"- Execution time: {execution_line(result)}",
        "- Data summary:",
        _fence(inventory.summary_block() if inventory else "(no inventory)"),
        "",
        *_metrics_section(result),
        "",
        "## Key Findings",
        *_bullets(analysis.key_findings if analysis else [], "The analyst gave no findings."),
    ]
    if analysis and analysis.parse_mode != "json":
        lines.append(f"\n_Read from the analyst's text by the '{analysis.parse_mode}' fallback._")
    lines += [
        "",
        "## Recommendations",
        *_bullets(analysis.recommendations if analysis else [], "The analyst gave none."),
        "",
    ]
    if result.figures_check is not None:
        lines += ["## Figures Check", result.figures_check.to_markdown(), ""]
    if result.compliance is not None:
        lines += ["## Persona Compliance", result.compliance.to_markdown(), ""]
    writer_prompt = result.prompts.get("writer")
    lines += ["## Persona Prompt"]
    if writer_prompt:
        lines.append(_fence(f"{writer_prompt['system'].rstrip()}\n\n{writer_prompt['user']}"))
    else:
        lines.append("_No prompt was sent._")
    return "\n".join(lines).rstrip() + "\n"
