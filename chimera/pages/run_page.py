"""The run page (report.html): what report.md says, shown so a reader sees it at a glance.

In order: header and configuration; the run's figures as cards; Data Highlights and a
chart of the groups they compare; the report body with every figure marked traced or
untraced and every section marked with its author; Key Findings and Recommendations with
their sources; the timeline and per-call metrics; then, folded away, the figures check,
persona compliance, the prompts and the full configuration. Built from run.json alone, read
through `chimera.run_record.load_run` (typed, older schemas upgraded once).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from chimera.findings.analysis import SelectedFinding, SelectedRecommendation
from chimera.findings.duration import duration
from chimera.findings.measured import scope_words, several
from chimera.grounding.lists import LIST_JOIN, checked_item, item_markdown
from chimera.grounding.review import Section
from chimera.ingest.digest.coverage import coverage_lines
from chimera.ingest.digest.models import MetricStats
from chimera.pages import markdown
from chimera.pages.charts import Bar, bar_chart, colour
from chimera.pages.figmarks import Claim, claims_of, locate, mark_fn, split_items
from chimera.pages.shell import (
    badge,
    card,
    details,
    document,
    esc,
    esc_block,
    meta_list,
    num,
    pct,
    table,
)
from chimera.pages.timeline import timeline_section
from chimera.run_record import RunResult, load_run

_CHART_METRICS = (("tokens_per_s", "Mean tokens/s"), ("ttft_ms", "Mean TTFT"))
# Per model, and per model and config: a config name several models share is never pooled
# over them (a mean of three models is no setup's speed).
_CHART_DIMS = ("model", "model+config_name")
_MAX_BARS = 16
_RUN_MODEL = "Chimera's model calls: "


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _model_line(run: RunResult) -> str:
    first = run.llm_calls[0] if run.llm_calls else None
    model = (first.model if first else None) or run.config.model or "unknown"
    host = first.host if first else None
    backend = run.config.backend or "unknown backend"
    where = f"{backend} @ {host}" if host else backend
    return str(model) if backend in str(model) else f"{model} ({where})"


def _header(run: RunResult, folder: Path | None) -> str:
    config = run.config
    name = config.name or "Chimera run"
    schema = run.written_schema or run.schema_version
    items = {
        "Date": esc(f"{run.started_at:%Y-%m-%d %H:%M:%S} UTC"),
        "Agent Type": esc(config.agent_type or name),
        "Model": esc(_model_line(run)),
        "Configuration": f"<code>{esc(run.config_line or 'not recorded')}</code>",
        "Data": f"<code>{esc(run.data_dir or 'not recorded')}</code>",
        "Run": esc(f"{run.run_id} · run.json schema {schema}"),
    }
    if run.served_by:
        items["Served by"] = esc(run.served_by)
    if run.placement is not None:
        where = run.placement
        cpus = "CPUs not recorded" if where.cpus is None else f"{where.cpus:g} CPUs"
        gpus = f", {where.gpus:g} GPUs" if where.gpus else ""
        items["Ran on"] = esc(f"{where.machine} ({where.executor}; {cpus}{gpus})")
    if folder is not None:
        items["Folder"] = f"<code>{esc(folder)}</code>"
    if run.resumed:
        items["Resumed"] = "yes: continued from a checkpoint, so node timings are partial"
    if run.error:
        items["Error"] = esc(f"{run.error_type or 'error'}: {run.error}")
    return f"<h1>{esc(name)} {badge(run.status, run.status)}</h1>" + meta_list(items)


def _cards(run: RunResult) -> str:
    m = run.metrics
    check = run.figures_check
    if check is None:
        grounding = "not checked"
    elif check.total:
        grounding = f"{check.traced} of {check.total} ({pct(check.grounding_rate)})"
    else:
        grounding = "no figures"
    # Token-weighted, as the report says it first; runs from before it show the mean of calls.
    weighted = _finite(m.throughput_weighted_tok_s)
    ttft = _finite(m.ttft_ms)
    # The run's own model, named on each rate: read first on the page, a bare "throughput"
    # card was taken for the benchmark data's (the stub's 490 tok/s above a folder of 4090s).
    cards = [
        card(f"{_RUN_MODEL}throughput (tokens / eval time)", num(weighted, 2, "tok/s"))
        if weighted is not None
        else card(
            f"{_RUN_MODEL}throughput (mean of calls)", num(_finite(m.throughput_tok_s), 2, "tok/s")
        ),
        card(
            f"{_RUN_MODEL}TTFT (mean of calls)", "not measured" if ttft is None else duration(ttft)
        ),
        card("run wall time", num(_finite(run.wall_s), 2, "s")),
        card("tokens generated", num(m.tokens_generated)),
        card("LLM calls", num(m.calls)),
        card("figures traced", grounding),
        card("persona compliance", _compliance_value(run)),
    ]
    if (run.written_schema or run.schema_version) >= 2:  # schema 1 recorded no quality
        cards.append(card("written by the model", pct(run.quality.model_share)))
        cards.append(card("echo of prompt", pct(run.quality.echo_share)))
    return (
        "<h2>This run</h2>"
        '<p class="note">Chimera\'s own run: the model it asked to write the report, and how far'
        " that text can be trusted. The benchmark data's figures are under Data Highlights.</p>"
        f'<div class="cards">{"".join(cards)}</div>'
    )


def _compliance_value(run: RunResult) -> str:
    """The persona compliance of the model's kept text; none kept, none to judge."""
    if run.compliance is None:
        return "not checked"
    if run.no_model_text_kept:
        return "no model text kept"
    return pct(run.compliance.score)


def _highlights(run: RunResult) -> str:
    out = [
        "<h2>Data Highlights</h2>",
        '<p class="note">Computed from the data by Chimera, not written by the model.</p>',
    ]
    if not run.highlights:
        out.append('<p class="note">No highlights: the data had no recognised metric columns.</p>')
    else:
        out.append('<ul class="items">')
        for h in run.highlights:
            out.append(
                f"<li>{esc(h.text)}"
                f' <span class="src">source: {esc(h.source or "not recorded")}</span></li>'
            )
        out.append("</ul>")
    out.append(_data_charts(run))
    return "".join(out)


def _series(stats: list[MetricStats], metric: str, dim: str) -> list[MetricStats]:
    """One bar's statistics per group on each machine and engine: a model measured on two
    machines is two bars (dambergn-six-machines showed one model's rate from whichever
    machine had the most rows, unnamed, beside another model's from another machine)."""
    chosen: dict[tuple[str, str, str], MetricStats] = {}
    for aggregate in (None, "mean"):
        for s in stats:
            key = (str(s.group), s.machine or "", s.engine or "")
            if (
                s.metric == metric
                and s.group_by == dim
                and s.aggregate == aggregate
                and (s.n or 0) > 0
                and _finite(s.mean) is not None
                and (key not in chosen or s.n > chosen[key].n)
            ):
                chosen[key] = s
        if chosen:
            break
    return [chosen[k] for k in sorted(chosen)]


def _bar_label(run: RunResult, s: MetricStats) -> str:
    """The group, and its machine and engine where the data has several."""
    assert run.digest is not None
    return str(s.group) + scope_words(run.digest, s.machine, s.engine)


def _data_charts(run: RunResult) -> str:
    """Bars from zero of the digest's group means, where the highlights compare groups."""
    if run.digest is None:
        return '<p class="note">No digest in run.json: no chart of the data.</p>'
    stats = list(run.digest.stats)
    charts = []
    for metric, label in _CHART_METRICS:
        for dim in _CHART_DIMS:
            series = _series(stats, metric, dim)
            if len(series) < 2:
                continue
            shown = series[:_MAX_BARS]
            unit = str(shown[0].unit or "")
            bars = [
                Bar(
                    label=_bar_label(run, s),
                    value=float(s.mean or 0.0),
                    colour=colour(0 if metric == "tokens_per_s" else 1),
                    title=(
                        f"{_bar_label(run, s)}: mean {float(s.mean or 0.0):.2f} {unit} (n={s.n},"
                        f" median {num(_finite(s.median))}, min {num(_finite(s.min))},"
                        f" max {num(_finite(s.max))}) from "
                        + ", ".join(str(x) for x in s.sources[:3])
                    ),
                )
                for s in shown
            ]
            more = (
                f" ({len(series) - len(shown)} more groups not shown)"
                if len(series) > len(shown)
                else ""
            )
            what = "mean of the files' means" if shown[0].aggregate else "mean"
            pooled = (
                "; each model's bar pools every setting it was measured with, so the bars are"
                " not like for like (the highlights above compare models like for like)"
                if dim == "model" and _pools_settings(run, shown)
                else ""
            )
            charts.append(
                f"<h3>{esc(label)} by {esc(dim)}</h3>"
                + bar_chart(
                    bars,
                    unit,
                    caption=f"{what} of {metric} per {dim}{_each_machine(run)}, from the digest"
                    " of the data;"
                    f" axis from zero{more}{pooled}.",
                )
            )
        if len(charts) >= 3:
            break
    return "".join(charts) or '<p class="note">The data has no groups to compare in a chart.</p>'


def _each_machine(run: RunResult) -> str:
    """' on each machine and engine apart' where the data has several: no bar pools them."""
    assert run.digest is not None
    machines, engines = several(run.digest)
    which = " and ".join(w for w, many in (("machine", machines), ("engine", engines)) if many)
    return f" on each {which} apart" if which else ""


def _pools_settings(run: RunResult, bars: list[MetricStats]) -> bool:
    """Whether any bar's model was measured with two configs or more on its machine and
    engine: its per-model mean pools settings (num_gpu=0 beside num_gpu=80), a figure no
    setup ran at."""
    assert run.digest is not None
    shown = {(str(s.group), s.machine, s.engine) for s in bars}
    configs: dict[tuple[str, str | None, str | None], set[str]] = {}
    for setup in run.digest.setups:
        key = (str(setup.model), setup.machine, setup.engine)
        if key in shown:
            configs.setdefault(key, set()).add(setup.config)
    return any(len(found) > 1 for found in configs.values())


def _sections(run: RunResult, body: str) -> list[tuple[int, int, Section]] | None:
    """(start, end, section) per recorded section found in the body, or None."""
    # A section left out of the report (on_reject: omit) has no text in the body.
    sections = [s for s in run.sections if not s.omitted]
    if not sections:
        return None
    found = []
    cursor = 0
    for s in sections:
        text = s.text.strip()
        at = body.find(text, cursor) if text else -1
        if at < 0:
            return None
        found.append((at, at + len(text), s))
        cursor = at + len(text)
    return found


def _byline(section: Section) -> str:
    who = "Chimera" if section.author == "chimera" else "the model"
    parts = [badge(f"written by {who}", section.author)]
    if section.figures_total:
        parts.append(esc(f"{section.figures_traced} of {section.figures_total} figures traced"))
    echo = _finite(section.echo_share)
    if echo is not None:
        parts.append(esc(f"{100 * echo:.0f} % echoes the prompt"))
    if section.retries:
        parts.append(esc(f"{section.retries} retr{'y' if section.retries == 1 else 'ies'}"))
    if section.rejected:
        parts.append(esc(f"the model's draft was rejected: {section.rejected}"))
    if section.not_asked:
        parts.append(esc(f"the model was not asked (again): {section.not_asked}"))
    return f'<div class="byline">{" · ".join(parts)}</div>'


def _chunk(text: str, lo: int, spans: list[tuple[int, int, int]], mark: Any) -> str:
    local = [(s - lo, e - lo, i) for s, e, i in spans if lo <= s and e <= lo + len(text)]
    return markdown.to_html(text, local, mark, heading_shift=1)


def _body(run: RunResult, claims: list[Claim]) -> str:
    body = run.report_body or ""
    out = ['<section id="report-body"><h2>Report</h2>']
    if not body.strip():
        out.append('<p class="note">The writer returned no text.</p></section>')
        return "".join(out)
    own = [c for c in claims if c.where == "body"]
    spans, missing = locate(body, own)
    mark = mark_fn(own)
    traced = sum(c.traced for c in own)
    out.append(
        '<p class="legend note">'
        f'<span><span class="fig traced">12.3</span> traced to the data or the run</span>'
        f'<span><span class="fig untraced">45.6</span> not traced</span>'
        f"<span>{traced} of {len(own)} figures of the body traced; hover a figure for its"
        " provenance, its number refers to the Figures check below.</span></p>"
    )
    sections = _sections(run, body)
    if sections is None:
        if run.sections:
            out.append(
                '<p class="note">The sections recorded in run.json could not be found in'
                " the body; it is shown whole.</p>"
            )
        out.append(
            '<div class="authored by-model">'
            + '<div class="byline">'
            + badge("written by the model", "model")
            + " (the writer node; schema 1 records no per-section authors)</div>"
            + _chunk(body, 0, spans, mark)
            + "</div>"
        )
    else:
        pos = 0
        for start, end, section in sections:
            if body[pos:start].strip():
                out.append(_chunk(body[pos:start], pos, spans, mark))
            out.append(
                f'<div class="authored by-{section.author}">{_byline(section)}'
                + _chunk(body[start:end], start, spans, mark)
                + "</div>"
            )
            pos = end
        if body[pos:].strip():
            out.append(_chunk(body[pos:], pos, spans, mark))
    if missing:
        out.append(
            f'<p class="note">{len(missing)} figure(s) the check found in the body could not be'
            " located in its text again; they are listed in the Figures check.</p>"
        )
    out.append("</section>")
    return "".join(out)


def _finding_anchor(fid: str) -> str:
    return f'<a href="#finding-{esc(fid)}">{esc(fid)}</a>'


def _item_notes(item: SelectedFinding | SelectedRecommendation) -> list[str]:
    """Who chose it, what it rests on, its interpretation and change, for the page."""
    author = "chimera" if item.author == "chimera" else "model"
    extra = [badge("Chimera" if author == "chimera" else "model", author)]
    if isinstance(item, SelectedFinding) and item.finding_id:  # one computed finding
        extra.append("finding " + _finding_anchor(item.finding_id))
    else:
        ids = item.finding_ids if isinstance(item, SelectedRecommendation) else []
        extra.append(
            "from " + ", ".join(_finding_anchor(i) for i in ids) if ids else "no finding cited"
        )
    if item.interpretation:
        extra.append("interpretation: " + esc(item.interpretation))
    change = item.change if isinstance(item, SelectedRecommendation) else {}
    if change:
        extra.append(
            "change: " + ", ".join(f"<code>{esc(k)}: {esc(v)}</code>" for k, v in change.items())
        )
    return extra


def _analysis_list(
    title: str,
    where: str,
    items: list[SelectedFinding] | list[SelectedRecommendation],
    claims: list[Claim],
    empty: str,
    schema: int,
) -> str:
    out = [f'<section id="{where}"><h2>{esc(title)}</h2>']
    if not items:
        return out[0] + f'<p class="note">{esc(empty)}</p></section>'
    plain_texts = [i.text for i in items]
    # each sentence as report.md prints it: the data's names in it escaped, not Markdown
    texts = [item_markdown(t) for t in plain_texts]
    checked = [
        checked_item(t, i.interpretation or "") for t, i in zip(plain_texts, items, strict=True)
    ]
    own = [c for c in claims if c.where == where]
    spans, _ = locate(LIST_JOIN.join(checked), own)
    # marks in the item's own text (its interpretation is shown apart, unmarked)
    per_item = [
        [s for s in item_spans if s[1] <= len(text)]
        for text, item_spans in zip(texts, split_items(checked, spans), strict=True)
    ]
    mark = mark_fn(own)
    out.append('<ul class="items">')
    for item, text, item_spans in zip(items, texts, per_item, strict=True):
        html = markdown.to_html(text, item_spans, mark, heading_shift=3)
        html = html.removeprefix("<p>").removesuffix("</p>")
        extra = _item_notes(item) if schema >= 2 else ["sources not recorded (run.json schema 1)"]
        out.append(f'<li>{html} <span class="src">{" · ".join(extra)}</span></li>')
    out.append("</ul></section>")
    return "".join(out)


def _some(items: list[str], most: int) -> str:
    """The first `most` items, and how many more there are."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _findings(run: RunResult) -> str:
    if not run.findings:
        return ""
    rows = []
    for f in run.findings:
        verdict = str(f.verdict or "info")
        kind = {"real": "real", "no measurable effect": "none", "not comparable": "warn"}.get(
            verdict, "info"
        )
        # The figures are in the finding's own text; the groups and sources, the first few
        # (the whole provenance is in run.json: a row of every figure's source is a page long).
        groups = _some([str(g) for g in f.groups], 4)
        caveats = "; ".join(str(c) for c in f.caveats)
        rows.append(
            [
                f'<span id="finding-{esc(f.id)}">{esc(f.id)}</span>',
                f"<strong>{esc(f.title)}</strong><br>{esc(f.text)}"
                + (f'<br><span class="src">groups compared: {esc(groups)}</span>' if groups else "")
                + (f'<br><span class="src">caveats: {esc(caveats)}</span>' if caveats else ""),
                badge(verdict, kind),
                # a path may break after a slash, so the column stays narrow
                esc(_some([str(s) for s in f.sources], 3)).replace("/", "/<wbr>"),
            ]
        )
    return (
        "<h2>Findings computed from the data</h2>"
        '<p class="note">Each finding was computed by Chimera from the digest; the model\'s key'
        " findings and recommendations cite them by id.</p>"
        + table(
            ["Id", "Finding", "Verdict", "Sources"],
            rows,
        )
    )


def _coverage(run: RunResult) -> str:
    """The report's *What the Data Holds*: machines, runs counted once, rows set apart,
    units decided, files read in part or not at all."""
    lines = coverage_lines(run.digest) if run.digest is not None else []
    if not lines:
        return ""
    return (
        '<section id="coverage"><h2>What the Data Holds</h2>'
        + markdown.blocks("\n".join(lines))
        + "</section>"
    )


def _dropped(run: RunResult) -> str:
    dropped = run.analysis.dropped if run.analysis else []
    if not dropped:
        return ""
    rows = [[esc(d.text), esc(d.reason)] for d in dropped]
    return details(f"Dropped from the analysis ({len(dropped)})", table(["Text", "Why"], rows))


def _figures_check(run: RunResult, claims: list[Claim]) -> str:
    check = run.figures_check
    if check is None:
        return details(
            "Figures check", '<p class="note">Not checked (no figures_check in run.json).</p>'
        )
    rows = [
        [
            str(c.index + 1),
            esc(c.where),
            esc(c.text),
            badge(c.status, "ok" if c.traced else "bad"),
            esc(c.provenance or "not found in the data or the run's metrics"),
            esc(c.sentence),
        ]
        for c in claims
    ]
    head = (
        f"<p>Traced {esc(check.traced)} of {esc(check.total)} figures"
        f" ({esc(pct(check.grounding_rate))}).</p>"
    )
    content = head + (
        table(["#", "Text", "Figure", "Status", "Provenance", "Sentence"], rows, numeric=[0])
        if rows
        else '<p class="note">No figures in the model\'s text.</p>'
    )
    return details(
        f"Figures check: {check.traced} of {check.total} traced", content, ident="figures-check"
    )


def _compliance(run: RunResult) -> str:
    comp = run.compliance
    if comp is None:
        return details("Persona compliance", '<p class="note">Not checked.</p>')
    rows = [
        [
            esc(i.requirement),
            badge("pass" if i.passed else "fail", "ok" if i.passed else "bad"),
            esc(i.detail),
        ]
        for i in comp.items
    ]
    return details(
        f"Persona compliance: {pct(comp.score)}",
        table(["Requirement", "Result", "Detail"], rows) if rows else "<p>No requirements.</p>",
    )


def _prompts(run: RunResult) -> str:
    prompts = run.prompts
    if not prompts:
        return details("Persona prompt", '<p class="note">No prompt was sent.</p>')
    parts = []
    for node in ("writer", "analyst", *[k for k in prompts if k not in ("writer", "analyst")]):
        p = prompts.get(node)
        if not isinstance(p, dict):
            continue
        shrunk = " (digest shrunk to fit num_ctx)" if p.get("shrunk") else ""
        parts.append(
            f"<h3>{esc(node)}{esc(shrunk)}</h3>"
            f"<h4>System</h4><pre>{esc_block(p.get('system', ''))}</pre>"
            f"<h4>User</h4><pre>{esc_block(p.get('user', ''))}</pre>"
        )
    return details("Persona prompts, exactly as sent", "".join(parts))


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def _configuration(run: RunResult) -> str:
    flat: dict[str, Any] = {}
    _flatten("", run.config.model_dump(mode="json"), flat)
    rows = [[f"<code>{esc(k)}</code>", esc("default" if v is None else v)] for k, v in flat.items()]
    vrows = [[esc(k), esc(v)] for k, v in run.versions.items()]
    return details(
        "Full configuration and versions",
        table(["Setting", "Value"], rows) + (table(["Package", "Version"], vrows) if vrows else ""),
    )


def _workflow(run: RunResult) -> str:
    stages = " | ".join(f"{k} {_finite(v) or 0:.2f}s" for k, v in run.node_timings.items())
    wall = _finite(run.wall_s)
    files = len(run.inventory.files) if run.inventory is not None else None
    return (
        "<h2>Timeline</h2>"
        + meta_list(
            {
                "Files analysed": esc(files if files is not None else "not recorded"),
                "Execution time": esc(
                    f"{wall:.2f}s ({stages})" if wall is not None else "not recorded"
                ),
            }
        )
        + timeline_section(run)
        + _calls(run)
    )


def _calls(run: RunResult) -> str:
    """One row per model call: what the report's Metrics table holds, ITL included."""
    if not run.llm_calls:
        return '<p class="note">No model was called in this run.</p>'

    def ms(value: float | None, digits: int = 0) -> str:
        return esc(num(_finite(value), digits))

    rows = [
        [
            esc(c.node),
            esc(c.host or c.backend),
            ms(c.ttft_ms),
            f"{ms(c.itl_mean_ms, 1)} / {ms(c.itl_p95_ms, 1)}",
            esc(num(_finite(c.throughput_tok_s), 2))
            + ("*" if c.throughput_from == "client" else ""),
            esc(num(c.prompt_eval_count)),
            esc(num(c.eval_count)),
            ms(c.load_duration_ms),
            ms(c.wall_ms),
        ]
        for c in run.llm_calls
    ]
    return (
        "<h3>Model calls</h3>"
        '<p class="note">tok/s: the server\'s eval_count / eval_duration; * where the server'
        " reports no decode timing and the rate was measured client-side. TTFT and inter-token"
        " latency (ITL) are measured client-side.</p>"
        + table(
            ["Node", "Host", "TTFT ms", "ITL ms (mean / p95)", "tok/s", "Prompt tokens",
             "Tokens", "Load ms", "Wall ms"],
            rows,
            numeric=(2, 3, 4, 5, 6, 7, 8),
        )
    )  # fmt: skip


def render_run_page(run: RunResult, folder: Path | None = None) -> str:
    """The whole run page for one run (as `load_run` gives it)."""
    claims = claims_of(run)
    analysis = run.analysis
    schema = run.written_schema or run.schema_version
    parts = [
        _header(run, folder),
        _cards(run),
        _highlights(run),
        _body(run, claims),
        _findings(run),
        _analysis_list(
            "Key Findings",
            "findings",
            analysis.key_findings if analysis else [],
            claims,
            "The analyst gave no findings.",
            schema,
        ),
        _analysis_list(
            "Recommendations",
            "recommendations",
            analysis.recommendations if analysis else [],
            claims,
            "The analyst gave none.",
            schema,
        ),
    ]
    if analysis is not None and analysis.parse_mode != "json":
        parts.append(
            f"<p class=\"note\">Read from the analyst's text by the '{esc(analysis.parse_mode)}'"
            " fallback.</p>"
        )
    parts += [
        _coverage(run),
        _dropped(run),
        _workflow(run),
        "<h2>Checks and inputs</h2>",
        _figures_check(run, claims),
        _compliance(run),
        _prompts(run),
        _configuration(run),
    ]
    name = run.config.name or "Chimera run"
    return document(f"{name}: Chimera run", "".join(parts), kind="run")


def run_page_for(folder: Path) -> str:
    """The run page of the run folder `folder`: its run.json through the one loader."""
    return render_run_page(load_run(folder), folder)
