"""Render report.md from a RunResult, in the section order of the original reports.

Names and paths come from the user's files and every such string is escaped for where it
lands (chimera.escape): `md_inline` in a line or table cell, `fenced` inside a code block.
What a model wrote stays Markdown, made inert by `md_block` (no raw HTML, no escapes).
"""

from __future__ import annotations

import re

from chimera.agents.writer import why_not_the_model
from chimera.backends.registry import backend_spec
from chimera.escape import fenced, md_block, md_inline, plain
from chimera.execution.result import RunResult
from chimera.findings.duration import duration
from chimera.findings.render import NOTHING_TO_ADVISE
from chimera.ingest.digest.coverage import coverage_lines, not_analysed
from chimera.metrics import RunMetrics, format_metric
from chimera.state import NODE_LABELS, TIMED_STAGES


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}\n{fenced(text).rstrip()}\n{ticks}"


def execution_line(result: RunResult) -> str:
    """`58.60s (ingest 0.03s | analysis 26.38s | report 32.20s)`.

    A resumed run took several sessions: the total is theirs (the stage times cover every
    finished node, whichever session ran it), and the line says so.
    """
    stages = " | ".join(
        f"{NODE_LABELS[node]} {result.node_timings[node]:.2f}s"
        for node in TIMED_STAGES
        if node in result.node_timings
    )
    if result.sessions > 1:
        total = result.total_wall_s
        took = "earlier sessions not measured" if total is None else f"{total:.2f}s in all"
        wall = (
            f"{result.wall_s:.2f}s in the last of {result.sessions} sessions "
            f"(resumed from a checkpoint; {took})"
        )
    else:
        wall = f"{result.wall_s:.2f}s"
    return f"{wall} ({stages})" if stages else wall


def _time(ms: float | None) -> str:
    """A call's time as `chimera.findings.duration` writes it (the table's columns stay in ms, their
    header's unit); 'not measured' when the backend did not report it."""
    return "not measured" if ms is None else duration(ms)


def _metrics_section(result: RunResult) -> list[str]:
    m = result.metrics
    if not result.llm_calls:
        return ["## Metrics", "- No model was called in this run: there is no call to measure."]
    lines = [
        "## Metrics",
        # The seed report's heading, read beside the data's rates: whose figures these are.
        "_This run's own model calls (the model that wrote the report), not the benchmark data:_",
        "",
        _throughput_line(m),
        f"- TTFT: {_time(m.ttft_ms)}",
        f"- Inter-token latency: mean {_time(m.itl_mean_ms)}, p95 {_time(m.itl_p95_ms)}",
        f"- Total Duration: {_time(m.total_duration_ms)}",
        f"- Tokens Generated: {format_metric(m.tokens_generated)}",
        f"- Prompt Eval: {_time(m.prompt_eval_ms)}",
        f"- Eval Duration: {_time(m.eval_duration_ms)}",
        f"- Load Duration: {_time(m.load_duration_ms)}",
    ]
    if result.llm_calls:
        lines += [
            "",
            "Per call (tok/s = the server's eval_count / eval_duration; where the server"
            " reports no decode timing, the decode rate measured client-side, marked *;"
            " TTFT and inter-token latency (ITL) measured client-side):",
            "",
            "| Node | Host | TTFT ms | ITL ms (mean / p95) | tok/s | Prompt tokens | Tokens"
            " | Wall ms | Notes |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for c in result.llm_calls:
            notes = []
            if c.prompt_shrunk:
                notes.append("prompt shortened to fit num_ctx")
            if c.reply_cut_at_chars is not None:
                notes.append(
                    f"**reply cut at {c.reply_cut_at_chars:,} characters** (the server sent"
                    " more than was asked for)"
                )
            if c.likely_truncated:
                notes.append(f"**prompt likely truncated** ({c.prompt_eval_count}/{c.num_ctx})")
            itl = f"{format_metric(c.itl_mean_ms)} / {format_metric(c.itl_p95_ms)}"
            rate = format_metric(c.throughput_tok_s)
            rate += "\\*" if c.throughput_from == "client" else ""
            lines.append(
                f"| {c.node} | {md_inline(c.host or c.backend)} | {format_metric(c.ttft_ms)} "
                f"| {itl} | {rate} | {format_metric(c.prompt_eval_count)} "
                f"| {format_metric(c.eval_count)} | {c.wall_ms:.2f} | {'; '.join(notes)} |"
            )
    return lines


def _throughput_line(m: RunMetrics) -> str:
    """Token-weighted throughput first (what "tok/s" means to an operator), the mean of the
    per-call rates beside it; a run.json from before the weighted figure shows the mean."""
    mean = format_metric(m.throughput_tok_s, "tok/s")
    if m.throughput_weighted_tok_s is None:
        return f"- Throughput: {mean} (mean of the per-call rates)"
    return (
        f"- Throughput: {format_metric(m.throughput_weighted_tok_s, 'tok/s')} (tokens generated"
        f" / eval time over all calls; the mean of the per-call rates is {mean})"
    )


def _host_line(result: RunResult) -> str:
    load = result.host_load
    if load is None:
        return "- Host load: not measured"
    resumed = " (this session)" if result.sessions > 1 else ""
    return f"- Host load{resumed}: {load.summary()}"


def _writer_stopped(result: RunResult) -> list[str]:
    """One line when the draft policy stopped asking the model within the run."""
    skipped = [s for s in result.sections if s.not_asked and s.not_asked != NOTHING_TO_ADVISE]
    if not skipped or not result.llm_calls:
        return []  # (no model call at all: the Metrics section says so)
    titles = ", ".join(md_inline(s.title) for s in skipped)
    return [
        f"- Writer: stopped asking the model: {md_inline(skipped[0].not_asked or '')};"
        f" no (further) draft for {titles}"
    ]


def _model_line(result: RunResult) -> str:
    config = result.config
    label = (
        result.llm_calls[0].model if result.llm_calls else backend_spec(config).model_label(config)
    )
    backend = result.config.backend
    host = result.llm_calls[0].host if result.llm_calls else None
    where = f"{backend} @ {host}" if host else backend
    return label if backend in label else f"{label} ({where})"


def _model_text(text: str) -> str:
    """One line a model wrote: Markdown kept, HTML made text."""
    return md_block(plain(text))


def _no_findings(result: RunResult) -> str:
    """Why there are no findings: no metric at all, or only already-aggregated values."""
    stats = result.digest.stats if result.digest is not None else []
    if stats and all(s.aggregate is not None for s in stats):
        return (
            "_No findings to compare: the data holds only values its files had already "
            "aggregated (summary rows, a llama-bench CSV's avg_ts), and comparisons need "
            "per-run values (llama-bench's `-o json` or `-o jsonl` keeps each repetition)._"
        )
    return "_No findings: the data had no recognised metric columns._"


def _pct(value: float | None) -> str:
    return "not measured" if value is None else f"{100 * value:.1f} %"


def _key_findings(result: RunResult) -> list[str]:
    analysis = result.analysis
    if analysis is None or not analysis.key_findings:
        return [_no_findings(result)]
    lines = []
    for f in analysis.key_findings:
        ref = f"**{md_inline(f.finding_id)}** " if f.finding_id else ""
        chosen = "" if f.author == "model" else " _(chosen by Chimera)_"
        line = f"- {ref}{md_inline(f.text)}{chosen}"
        if f.interpretation:
            line += f"\n  _The analyst model: {_model_text(f.interpretation)}_"
        if f.sources:
            shown = ", ".join(md_inline(s) for s in f.sources[:3]) + (
                f" and {len(f.sources) - 3} more files" if len(f.sources) > 3 else ""
            )
            line += f"\n  _(source: {shown})_"
        lines.append(line)
    if analysis.parse_mode not in ("json",):
        lines.append(
            f"\n_The analyst's reply was read by its '{analysis.parse_mode}' fallback; "
            "Chimera chose what it could not._"
        )
    return lines


def _recommendations(result: RunResult) -> list[str]:
    analysis = result.analysis
    if not result.findings:
        return []  # nothing was measured: the body says so
    if any(
        s.author != "model" and not s.omitted and "recommend" in s.title.lower()
        for s in result.sections
    ):
        # the body's recommendations section is this list already (Chimera wrote it), or
        # says already that the data supports no change: it is not said twice
        return []
    if analysis is None or not analysis.recommendations:
        return ["## Recommendations", "_The data supports no concrete setting change._", ""]
    lines = ["## Recommendations"]
    for i, r in enumerate(analysis.recommendations, start=1):
        basis = f" (from {md_inline(', '.join(r.finding_ids))})" if r.finding_ids else ""
        chosen = "" if r.author == "model" else " _(chosen by Chimera)_"
        # Chimera's computed sentence (plain text with the data's names), whoever chose it
        line = f"{i}. {md_inline(r.text)}{basis}{chosen}"
        if r.interpretation:
            line += f"\n   _The analyst model: {_model_text(r.interpretation)}_"
        lines.append(line)
    return [*lines, ""]


NO_MODEL_TEXT = "none of its text was kept, so none to judge"


def _compliance(result: RunResult) -> str:
    """The share of the persona's requirements the model's kept text meets; a run whose
    sections are all Chimera's has no such text ("0.0 %" read as a text that failed them)."""
    if result.no_model_text_kept:
        return NO_MODEL_TEXT
    return _pct(result.quality.compliance)


def _quality(result: RunResult) -> list[str]:
    q = result.quality
    lines = [
        "## Quality",
        f"- Written by the model: {_pct(q.model_share)} of the body "
        f"(the rest by Chimera from the computed findings)",
        f"- Copied from the prompt: {_pct(q.echo_share)} of the body (8-word runs)",
        f"- Figures traced to the data: {_pct(q.grounding_rate)}",
        f"- Persona requirements met by the model's text: {_compliance(result)}",
    ]
    for s in result.sections:
        if s.author == "model":
            echo = "" if s.echo_share is None else f", {100 * s.echo_share:.0f} % copied"
            lines.append(
                f"  - {md_inline(s.title)}: the model's draft, {s.figures_traced} of "
                f"{s.figures_total} figures traced{echo}, {s.retries} "
                f"{'retry' if s.retries == 1 else 'retries'}"
            )
        elif s.omitted:
            lines.append(
                f"  - {md_inline(s.title)}: left out of the report (the persona gives it no"
                f" fallback, or on_reject: omit); {_model_text(why_not_the_model(s))}"
            )
        else:
            lines.append(
                f"  - {md_inline(s.title)}: written by Chimera; {_model_text(why_not_the_model(s))}"
            )
    dropped = result.analysis.dropped if result.analysis else []
    if dropped:
        # Here, not under Recommendations: that list is not printed where the body's
        # recommendations section is Chimera's, and these went with it unseen.
        lines.append("- Left out of the report (the analyst model wrote them; they did not pass):")
        lines += [f'  - "{_model_text(d.text)}": {_model_text(d.reason)}' for d in dropped]
    return lines


def _prompts(result: RunResult) -> list[str]:
    # A retry sends the same prompt with another seed: each prompt is shown once.
    writer = {
        k: v
        for k, v in result.prompts.items()
        if k.startswith("writer/") and not k.endswith("/retry") and v
    }
    if not writer and result.prompts.get("writer"):
        writer = {"writer": result.prompts["writer"]}
    if not writer:
        return ["_No prompt was sent._"]
    lines = []
    for key, prompt in writer.items():
        if len(writer) > 1:
            lines.append(f"**{md_inline(key)}**")
        system = (prompt.get("system") or "").rstrip()
        lines.append(_fence(f"{system}\n\n{prompt['user']}" if system else prompt["user"]))
    return lines


def _coverage(result: RunResult) -> list[str]:
    """What the data holds beyond the figures (see `coverage_lines`), under its heading."""
    lines = coverage_lines(result.digest) if result.digest is not None else []
    return ["## What the Data Holds", *lines, ""] if lines else []


def _other_findings(result: RunResult) -> list[str]:
    """Every finding not among the key findings, each in full once."""
    shown = {f.finding_id for f in result.analysis.key_findings} if result.analysis else set()
    rest = [f for f in result.findings if f.id not in shown]
    if not rest:
        return []
    lines = ["### Other Findings"]
    for f in rest:
        lines.append(f"- **{md_inline(f.id)}** ({md_inline(f.verdict)}) {md_inline(f.text)}")
    return [*lines, ""]


def _files_line(result: RunResult) -> str:
    """The old tool's "Files analyzed" line, true: of the files found, those not analysed
    are taken off (leoriccrown: "Files analyzed: 36" above "Not analysed: 12 files")."""
    found = result.inventory.total_files if result.inventory else 0
    unread = len(not_analysed(result.digest)) if result.digest is not None else 0
    if not unread:
        return f"- Files analyzed: {found} ({_data_line(result)})"
    return (
        f"- Files analyzed: {found - unread} of {found} ({_data_line(result)}; {unread} not"
        " analysed: What the Data Holds says why)"
    )


def _data_line(result: RunResult) -> str:
    """'26 files: 10 CSV, 7 JSON, 9 Markdown' for the workflow summary."""
    inventory = result.inventory
    if inventory is None:
        return "0 files"
    kinds = ", ".join(
        f"{len(inventory.of_kind(kind))} {kind.upper() if kind in ('csv', 'json') else kind}"
        for kind in ("csv", "json", "markdown", "text")
        if inventory.of_kind(kind)
    )
    return f"{inventory.total_files} files" + (f": {kinds}" if kinds else "")


def render_report(result: RunResult) -> str:
    cfg = result.config
    inventory = result.inventory
    lines = [
        f"# {md_inline(cfg.name)}",
        "",
        f"**Date:** {result.started_at.strftime('%Y-%m-%d %H:%M:%S UTC')}",
        f"**Agent Type:** {md_inline(cfg.display_type)}",
        f"**Model:** {md_inline(_model_line(result))}",
        f"**Configuration:** {md_inline(result.config_line)}",
        *([f"**Served by:** {md_inline(result.served_by)}"] if result.served_by else []),
        *(
            [f"**Resumed:** yes, {result.sessions} sessions (see Execution time)"]
            if result.sessions > 1
            else []
        ),
        "",
        "---",
        "",
        "## Key Findings",
        "_Computed from the data by Chimera (each in full once; cited by its id below); "
        "chosen and interpreted by the analyst model where marked._",
        "",
        *_key_findings(result),
        "",
        "---",
        "",
        md_block(result.report_body) if result.report_body else "_The writer returned no text._",
        "",
        "---",
        "",
        *_recommendations(result),
        *_coverage(result),
        "## Workflow Summary",
        _files_line(result),
        f"- Execution time: {execution_line(result)}",
        _host_line(result),
        *_writer_stopped(result),
        "",
        *_metrics_section(result),
        "",
        *_quality(result),
        "",
        "---",
        "",
        APPENDIX,
        "",
        *_other_findings(result),
        "### Data Summary",
        _fence(inventory.summary_block() if inventory else "(no inventory)"),
        "",
    ]
    if result.figures_check is not None:
        lines += ["### Figures Check", md_block(result.figures_check.to_markdown()), ""]
    if result.compliance is not None:
        lines += [
            "### Persona Compliance",
            # The score is the model's: a section Chimera wrote in its place earns nothing.
            "_Judged on the text the model wrote; sections Chimera wrote in its place are not"
            " counted._",
            "",
            md_block(result.compliance.to_markdown()),
            "",
        ]
    lines += ["### Persona Prompts", *_prompts(result)]
    return "\n".join(lines).rstrip() + "\n"


APPENDIX = "## Appendix"


def readers_part(report: str) -> str:
    """The part of report.md a reader reads: everything before the appendix."""
    return report.split(f"\n{APPENDIX}\n", 1)[0]
