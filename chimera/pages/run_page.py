"""The run page (report.html): what report.md says, shown so a reader sees it at a glance.

In order: header and configuration; the run's figures as cards; Data Highlights and a
chart of the groups they compare; the report body with every figure marked traced or
untraced and every section marked with its author; Key Findings and Recommendations with
their sources; the timeline and per-call metrics; then, folded away, the figures check,
persona compliance, the prompts and the full configuration. Built from run.json alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chimera.grounding.lists import LIST_JOIN, checked_item, item_markdown
from chimera.pages import markdown
from chimera.pages.charts import Bar, bar_chart, colour
from chimera.pages.figmarks import Claim, claims_of, locate, mark_fn, split_items
from chimera.pages.runfile import as_dict, as_list, get, item_text, number, read_json, when
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

_CHART_METRICS = (("tokens_per_s", "Mean tokens/s"), ("ttft_ms", "Mean TTFT"))
# Per model, and per model and config: a config name several models share is never pooled
# over them (a mean of three models is no setup's speed).
_CHART_DIMS = ("model", "model+config_name")
_MAX_BARS = 16


def _model_line(run: dict[str, Any]) -> str:
    calls = as_list(run.get("llm_calls"))
    config = as_dict(run.get("config"))
    model = get(calls, 0, "model") or config.get("model") or "unknown"
    host = get(calls, 0, "host")
    backend = config.get("backend") or "unknown backend"
    where = f"{backend} @ {host}" if host else backend
    return str(model) if backend in str(model) else f"{model} ({where})"


def _header(run: dict[str, Any], folder: Path | None) -> str:
    config = as_dict(run.get("config"))
    name = config.get("name") or "Chimera run"
    status = str(run.get("status") or "unknown")
    started = when(run.get("started_at"))
    items = {
        "Date": esc(started.strftime("%Y-%m-%d %H:%M:%S UTC") if started else "not recorded"),
        "Agent Type": esc(config.get("agent_type") or name),
        "Model": esc(_model_line(run)),
        "Configuration": f"<code>{esc(run.get('config_line') or 'not recorded')}</code>",
        "Data": f"<code>{esc(run.get('data_dir') or 'not recorded')}</code>",
        "Run": esc(f"{run.get('run_id', '?')} · run.json schema {run.get('schema_version', '?')}"),
    }
    if folder is not None:
        items["Folder"] = f"<code>{esc(folder)}</code>"
    if run.get("resumed"):
        items["Resumed"] = "yes: continued from a checkpoint, so node timings are partial"
    if run.get("error"):
        items["Error"] = esc(f"{run.get('error_type') or 'error'}: {run.get('error')}")
    return f"<h1>{esc(name)} {badge(status, status)}</h1>" + meta_list(items)


def _cards(run: dict[str, Any]) -> str:
    m = as_dict(run.get("metrics"))
    check = as_dict(run.get("figures_check"))
    compliance = as_dict(run.get("compliance"))
    quality = as_dict(run.get("quality"))
    traced, total = check.get("traced"), check.get("total")
    grounding = (
        f"{traced} of {total} ({pct(check.get('grounding_rate'))})"
        if isinstance(total, int) and total
        else ("no figures" if check else "not checked")
    )
    cards = [
        card("throughput (mean of calls)", num(number(m.get("throughput_tok_s")), 2, "tok/s")),
        card("TTFT (mean of calls)", num(number(m.get("ttft_ms")), 0, "ms")),
        card("run wall time", num(number(run.get("wall_s")), 2, "s")),
        card("tokens generated", num(m.get("tokens_generated"))),
        card("LLM calls", num(m.get("calls"))),
        card("figures traced", grounding),
        card("persona compliance", pct(compliance.get("score")) if compliance else "not checked"),
    ]
    for key, label in (("model_share", "written by the model"), ("echo_share", "echo of prompt")):
        if key in quality:
            cards.append(card(label, pct(quality.get(key))))
    return f'<div class="cards">{"".join(cards)}</div>'


def _highlights(run: dict[str, Any]) -> str:
    items = [h for h in as_list(run.get("highlights")) if isinstance(h, dict)]
    out = [
        "<h2>Data Highlights</h2>",
        '<p class="note">Computed from the data by Chimera, not written by the model.</p>',
    ]
    if not items:
        out.append('<p class="note">No highlights: the data had no recognised metric columns.</p>')
    else:
        out.append('<ul class="items">')
        for h in items:
            out.append(
                f"<li>{esc(h.get('text', ''))}"
                f' <span class="src">source: {esc(h.get("source") or "not recorded")}</span></li>'
            )
        out.append("</ul>")
    out.append(_data_charts(run))
    return "".join(out)


def _series(stats: list[dict[str, Any]], metric: str, dim: str) -> list[dict[str, Any]]:
    chosen: dict[str, dict[str, Any]] = {}
    for aggregate in (None, "mean"):
        for s in stats:
            if (
                s.get("metric") == metric
                and s.get("group_by") == dim
                and s.get("aggregate") == aggregate
                and (s.get("n") or 0) > 0
                and number(s.get("mean")) is not None
                and (s.get("group") not in chosen or s["n"] > chosen[s["group"]]["n"])
            ):
                chosen[str(s.get("group"))] = s
        if chosen:
            break
    return [chosen[g] for g in sorted(chosen)]


def _data_charts(run: dict[str, Any]) -> str:
    """Bars from zero of the digest's group means, where the highlights compare groups."""
    digest = run.get("digest")
    if not isinstance(digest, dict):
        return '<p class="note">No digest in run.json: no chart of the data.</p>'
    stats = [s for s in as_list(digest.get("stats")) if isinstance(s, dict)]
    charts = []
    for metric, label in _CHART_METRICS:
        for dim in _CHART_DIMS:
            series = _series(stats, metric, dim)
            if len(series) < 2:
                continue
            shown = series[:_MAX_BARS]
            unit = str(shown[0].get("unit") or "")
            bars = [
                Bar(
                    label=str(s.get("group")),
                    value=float(s["mean"]),
                    colour=colour(0 if metric == "tokens_per_s" else 1),
                    title=(
                        f"{s.get('group')}: mean {float(s['mean']):.2f} {unit} (n={s.get('n')},"
                        f" median {num(number(s.get('median')))}, min {num(number(s.get('min')))},"
                        f" max {num(number(s.get('max')))}) from "
                        + ", ".join(str(x) for x in as_list(s.get("sources"))[:3])
                    ),
                )
                for s in shown
            ]
            more = (
                f" ({len(series) - len(shown)} more groups not shown)"
                if len(series) > len(shown)
                else ""
            )
            what = "mean of the files' means" if shown[0].get("aggregate") else "mean"
            charts.append(
                f"<h3>{esc(label)} by {esc(dim)}</h3>"
                + bar_chart(
                    bars,
                    unit,
                    caption=f"{what} of {metric} per {dim}, from the digest of the data;"
                    f" axis from zero{more}.",
                )
            )
        if len(charts) >= 3:
            break
    return "".join(charts) or '<p class="note">The data has no groups to compare in a chart.</p>'


def _sections(run: dict[str, Any], body: str) -> list[tuple[int, int, dict[str, Any]]] | None:
    """(start, end, section) per schema-2 section found in the body, or None."""
    # A section left out of the report (on_reject: omit) has no text in the body.
    sections = [
        s for s in as_list(run.get("sections")) if isinstance(s, dict) and not s.get("omitted")
    ]
    if not sections:
        return None
    found = []
    cursor = 0
    for s in sections:
        text = str(s.get("text") or "").strip()
        at = body.find(text, cursor) if text else -1
        if at < 0:
            return None
        found.append((at, at + len(text), s))
        cursor = at + len(text)
    return found


def _byline(section: dict[str, Any]) -> str:
    author = "chimera" if section.get("author") == "chimera" else "model"
    who = "Chimera" if author == "chimera" else "the model"
    parts = [badge(f"written by {who}", author)]
    traced, total = section.get("figures_traced"), section.get("figures_total")
    if isinstance(total, int) and total:
        parts.append(esc(f"{traced} of {total} figures traced"))
    echo = number(section.get("echo_share"))
    if echo is not None:
        parts.append(esc(f"{100 * echo:.0f} % echoes the prompt"))
    if section.get("retries"):
        parts.append(esc(f"{section['retries']} retr{'y' if section['retries'] == 1 else 'ies'}"))
    if section.get("rejected"):
        parts.append(esc(f"the model's draft was rejected: {section['rejected']}"))
    if section.get("not_asked"):
        parts.append(esc(f"the model was not asked (again): {section['not_asked']}"))
    return f'<div class="byline">{" · ".join(parts)}</div>'


def _chunk(text: str, lo: int, spans: list[tuple[int, int, int]], mark: Any) -> str:
    local = [(s - lo, e - lo, i) for s, e, i in spans if lo <= s and e <= lo + len(text)]
    return markdown.to_html(text, local, mark, heading_shift=1)


def _body(run: dict[str, Any], claims: list[Claim]) -> str:
    body = str(run.get("report_body") or "")
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
        if run.get("sections"):
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
            author = "chimera" if section.get("author") == "chimera" else "model"
            out.append(
                f'<div class="authored by-{author}">{_byline(section)}'
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


def _analysis_list(
    title: str, where: str, items: list[Any], claims: list[Claim], empty: str
) -> str:
    out = [f'<section id="{where}"><h2>{esc(title)}</h2>']
    if not items:
        return out[0] + f'<p class="note">{esc(empty)}</p></section>'
    plain_texts = [item_text(i) for i in items]
    # each sentence as report.md prints it: the data's names in it escaped, not Markdown
    texts = [item_markdown(t) for t in plain_texts]
    checked = [
        checked_item(t, str(i.get("interpretation") or "") if isinstance(i, dict) else None)
        for t, i in zip(plain_texts, items, strict=True)
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
        extra: list[str] = []
        if isinstance(item, dict):
            author = "chimera" if item.get("author") == "chimera" else "model"
            extra.append(badge("Chimera" if author == "chimera" else "model", author))
            if item.get("finding_id"):  # a key finding is one computed finding
                extra.append("finding " + _finding_anchor(str(item["finding_id"])))
            else:
                ids = [str(i) for i in as_list(item.get("finding_ids"))]
                extra.append(
                    "from " + ", ".join(_finding_anchor(i) for i in ids)
                    if ids
                    else "no finding cited"
                )
            if item.get("interpretation"):
                extra.append("interpretation: " + esc(item["interpretation"]))
            change = as_dict(item.get("change"))
            if change:
                extra.append(
                    "change: "
                    + ", ".join(f"<code>{esc(k)}: {esc(v)}</code>" for k, v in change.items())
                )
        else:
            extra.append("sources not recorded (run.json schema 1)")
        out.append(f'<li>{html} <span class="src">{" · ".join(extra)}</span></li>')
    out.append("</ul></section>")
    return "".join(out)


def _some(items: list[str], most: int) -> str:
    """The first `most` items, and how many more there are."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _findings(run: dict[str, Any]) -> str:
    findings = [f for f in as_list(run.get("findings")) if isinstance(f, dict)]
    if not findings:
        return ""
    rows = []
    for f in findings:
        fid = str(f.get("id") or "")
        verdict = str(f.get("verdict") or "info")
        kind = {"real": "real", "no measurable effect": "none", "not comparable": "warn"}.get(
            verdict, "info"
        )
        # The figures are in the finding's own text; the groups and sources, the first few
        # (the whole provenance is in run.json: a row of every figure's source is a page long).
        groups = _some([str(g) for g in as_list(f.get("groups"))], 4)
        caveats = "; ".join(str(c) for c in as_list(f.get("caveats")))
        rows.append(
            [
                f'<span id="finding-{esc(fid)}">{esc(fid)}</span>',
                f"<strong>{esc(f.get('title') or '')}</strong><br>{esc(f.get('text') or '')}"
                + (f'<br><span class="src">groups compared: {esc(groups)}</span>' if groups else "")
                + (f'<br><span class="src">caveats: {esc(caveats)}</span>' if caveats else ""),
                badge(verdict, kind),
                # a path may break after a slash, so the column stays narrow
                esc(_some([str(s) for s in as_list(f.get("sources"))], 3)).replace("/", "/<wbr>"),
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


def _dropped(run: dict[str, Any]) -> str:
    dropped = [d for d in as_list(get(run, "analysis", "dropped")) if isinstance(d, dict)]
    if not dropped:
        return ""
    rows = [[esc(d.get("text") or ""), esc(d.get("reason") or "")] for d in dropped]
    return details(f"Dropped from the analysis ({len(dropped)})", table(["Text", "Why"], rows))


def _figures_check(run: dict[str, Any], claims: list[Claim]) -> str:
    check = run.get("figures_check")
    if not isinstance(check, dict):
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
    total = check.get("total") or 0
    head = (
        f"<p>Traced {esc(check.get('traced', 0))} of {esc(total)} figures"
        f" ({esc(pct(check.get('grounding_rate')))}).</p>"
    )
    content = head + (
        table(["#", "Text", "Figure", "Status", "Provenance", "Sentence"], rows, numeric=[0])
        if rows
        else '<p class="note">No figures in the model\'s text.</p>'
    )
    return details(
        f"Figures check: {check.get('traced', 0)} of {total} traced", content, ident="figures-check"
    )


def _compliance(run: dict[str, Any]) -> str:
    comp = run.get("compliance")
    if not isinstance(comp, dict):
        return details("Persona compliance", '<p class="note">Not checked.</p>')
    items = [i for i in as_list(comp.get("items")) if isinstance(i, dict)]
    rows = [
        [
            esc(i.get("requirement") or ""),
            badge("pass" if i.get("passed") else "fail", "ok" if i.get("passed") else "bad"),
            esc(i.get("detail") or ""),
        ]
        for i in items
    ]
    return details(
        f"Persona compliance: {pct(comp.get('score'))}",
        table(["Requirement", "Result", "Detail"], rows) if rows else "<p>No requirements.</p>",
    )


def _prompts(run: dict[str, Any]) -> str:
    prompts = as_dict(run.get("prompts"))
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


def _configuration(run: dict[str, Any]) -> str:
    flat: dict[str, Any] = {}
    _flatten("", as_dict(run.get("config")), flat)
    rows = [[f"<code>{esc(k)}</code>", esc("default" if v is None else v)] for k, v in flat.items()]
    versions = as_dict(run.get("versions"))
    vrows = [[esc(k), esc(v)] for k, v in versions.items()]
    return details(
        "Full configuration and versions",
        table(["Setting", "Value"], rows) + (table(["Package", "Version"], vrows) if vrows else ""),
    )


def _workflow(run: dict[str, Any]) -> str:
    inventory = as_dict(run.get("inventory"))
    timings = as_dict(run.get("node_timings"))
    stages = " | ".join(f"{k} {number(v) or 0:.2f}s" for k, v in timings.items())
    wall = number(run.get("wall_s"))
    files = len(as_list(inventory.get("files"))) if inventory else None
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
    )


def render_run_page(run: dict[str, Any], folder: Path | None = None) -> str:
    """The whole run page for one run.json (as a dict)."""
    claims = claims_of(run)
    analysis = as_dict(run.get("analysis"))
    parse_mode = analysis.get("parse_mode")
    parts = [
        _header(run, folder),
        _cards(run),
        _highlights(run),
        _body(run, claims),
        _findings(run),
        _analysis_list(
            "Key Findings",
            "findings",
            as_list(analysis.get("key_findings")),
            claims,
            "The analyst gave no findings.",
        ),
        _analysis_list(
            "Recommendations",
            "recommendations",
            as_list(analysis.get("recommendations")),
            claims,
            "The analyst gave none.",
        ),
    ]
    if parse_mode and parse_mode != "json":
        parts.append(
            f"<p class=\"note\">Read from the analyst's text by the '{esc(parse_mode)}'"
            " fallback.</p>"
        )
    parts += [
        _dropped(run),
        _workflow(run),
        "<h2>Checks and inputs</h2>",
        _figures_check(run, claims),
        _compliance(run),
        _prompts(run),
        _configuration(run),
    ]
    name = get(run, "config", "name") or "Chimera run"
    return document(f"{name}: Chimera run", "".join(parts), kind="run")


def run_page_for(folder: Path) -> str:
    """The run page of the run folder `folder` (reads its run.json)."""
    return render_run_page(read_json(folder / "run.json"), folder)
