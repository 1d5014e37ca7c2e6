"""The comparison page (summary.html), from a comparison's summary.json.

Per figure, each agent's measured repetitions as points, with their mean and the 95 %
t-interval of that mean (from the repetitions themselves), axis from zero; the verdicts
(bootstrap CIs of the deltas, computed by the comparison); the side-by-side table; the
concurrency table; the configuration differences; links to every run's page.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from chimera.pages.charts import PointGroup, colour, points_chart
from chimera.pages.runfile import as_dict, as_list, get, number, when
from chimera.pages.shell import badge, document, esc, meta_list, num, table
from chimera.statistics import OUTCOME_WORDS

# Two-sided 95 % Student t quantiles by degrees of freedom (normal beyond 30).
_T95 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)
# summary.json keys of the figures, in the order the comparison reports them.
_FIGURES = (
    ("throughput_tok_s", "Throughput", "tok/s"),
    ("ttft_ms", "TTFT", "ms"),
    ("wall_s", "Run wall time", "s"),
    ("total_duration_ms", "Total duration", "ms"),
    ("tokens_generated", "Tokens generated", "tokens"),
    ("load_duration_ms", "Load duration", "ms"),
    ("grounding_rate_pct", "Grounding rate", "%"),
    ("compliance_pct", "Persona compliance", "%"),
)


def t_interval(values: list[float]) -> tuple[float, float] | None:
    """The 95 % t-interval of the mean of `values`; None for fewer than two."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    t = _T95[n - 2] if n - 2 < len(_T95) else 1.96
    half = t * sd / math.sqrt(n)
    return max(0.0, mean - half), mean + half


def labels_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(variant label, agent name) per variant, e.g. ("A", "Chimera Embedded")."""
    variants = [v for v in as_list(get(data, "plan", "variants")) if isinstance(v, dict)]
    names = [str(get(v, "config", "name") or "?") for v in variants]
    out = []
    for v, name in zip(variants, names, strict=True):
        source = get(v, "config", "source")
        if names.count(name) > 1 and source:  # the same name twice: say which file is which
            name = f"{name} ({Path(str(source)).name})"
        out.append((str(v.get("label") or "?"), name))
    return out


def _rep_kind(rep: dict[str, Any]) -> str:
    return "warm-up " if rep.get("warmup") else "solo " if rep.get("solo") else ""


def _values(data: dict[str, Any], label: str, key: str) -> list[float]:
    out = []
    for rep in as_list(data.get("repetitions")):
        if not isinstance(rep, dict) or rep.get("warmup") or rep.get("solo"):
            continue  # warm-ups and solo repetitions (each agent alone) are not measured
        for a in as_list(rep.get("agents")):
            if isinstance(a, dict) and a.get("variant") == label and a.get("status") == "ok":
                value = number(get(a, "figures", key))
                if value is not None:
                    out.append(value)
    return out


def _charts(data: dict[str, Any]) -> str:
    labels = labels_of(data)
    out = []
    for key, title, unit in _FIGURES:
        groups = []
        for i, (label, name) in enumerate(labels):
            values = _values(data, label, key)
            interval = t_interval(values)
            groups.append(
                PointGroup(
                    label=f"{label}: {name}",
                    values=values,
                    mean=sum(values) / len(values) if values else None,
                    low=interval[0] if interval else None,
                    high=interval[1] if interval else None,
                    colour=colour(i),
                )
            )
        chart = points_chart(
            groups,
            unit,
            caption=f"{title}: one point per measured repetition; black tick = mean; whisker ="
            " 95 % t-interval of the mean; axis from zero.",
        )
        if chart:
            out.append(
                f'<div class="figure-block" data-figure="{esc(key)}"><h3>{esc(title)}'
                f" ({esc(unit)})</h3>{chart}</div>"
            )
    return "".join(out) or '<p class="note">No measured repetition finished.</p>'


def _verdicts(data: dict[str, Any]) -> str:
    out = [f'<p class="note">{esc(data.get("sign_convention") or "")}</p>']
    for pair, deltas in as_dict(data.get("deltas")).items():
        out.append(f'<h3>{esc(pair)}</h3><ul class="items">')
        for d in as_list(deltas):
            if not isinstance(d, dict):
                continue
            outcome = str(d.get("outcome") or "")
            kind = {"better": "ok", "worse": "bad"}.get(outcome, "info")
            out.append(
                # The verdict names its figure ("Throughput: B faster by ...").
                f"<li>{badge(OUTCOME_WORDS.get(outcome, outcome or 'n/a'), kind)}"
                f" {esc(d.get('verdict'))}</li>"
            )
        out.append("</ul>")
    return "".join(out)


def _cell(s: Any) -> str:
    s = as_dict(s)
    if not s.get("n"):
        return "not measured"
    sd = number(s.get("stdev"))
    return (
        f"{num(number(s.get('mean')))}"
        + (f" ± {sd:.2f}" if sd is not None else "")
        + f" (median {num(number(s.get('median')))}, {num(number(s.get('min')))}–"
        f"{num(number(s.get('max')))}, n={s.get('n')})"
    )


def _side_by_side(data: dict[str, Any]) -> str:
    labels = labels_of(data)
    aggregates = as_dict(data.get("aggregates"))
    rows = [
        [esc(f"{title} ({unit})"), *[esc(_cell(get(aggregates, lab, key))) for lab, _ in labels]]
        for key, title, unit in _FIGURES
    ]
    return table(["Figure", *[f"{lab}: {name}" for lab, name in labels]], rows)


def _concurrency(data: dict[str, Any]) -> str:
    if get(data, "plan", "mode") != "concurrent":
        return '<p class="note">Sequential mode: the agents did not run at the same time.</p>'
    labels = [lab for lab, _ in labels_of(data)]
    rows = []
    for rep in as_list(data.get("repetitions")):
        if not isinstance(rep, dict) or rep.get("warmup") or rep.get("solo"):
            continue  # warm-ups and solo repetitions (each agent alone) are not measured
        walls = {
            a.get("variant"): number(a.get("wall_s"))
            for a in as_list(rep.get("agents"))
            if isinstance(a, dict)
        }
        c = as_dict(rep.get("concurrency"))
        rows.append(
            [
                str(rep.get("index")),
                *[esc(num(walls.get(lab))) for lab in labels],
                esc(num(number(rep.get("wall_s")))),
                esc(num(number(c.get("speedup")), 3)),
                esc(num(number(c.get("efficiency_pct")), 1)),
                "yes" if c.get("contention") else "no",
            ]
        )
    return (
        '<p class="note">Speedup = (sum of each agent\'s wall time) / wall time of the concurrent'
        " repetition; efficiency = speedup / agents × 100 %; contention when speedup < 1.5 for"
        " two agents.</p>"
        + table(
            [
                "Repetition",
                *[f"{lab} wall s" for lab in labels],
                "Pair wall s",
                "Speedup",
                "Efficiency %",
                "Contention",
            ],
            rows,
            numeric=range(0, len(labels) + 4),
        )
    )


def _config_diff(data: dict[str, Any]) -> str:
    diff = as_dict(data.get("config_diff"))
    labels = [lab for lab, _ in labels_of(data)]
    if not diff:
        return "<p>The configurations do not differ.</p>"
    rows = [
        [f"<code>{esc(k)}</code>", *[esc(as_dict(v).get(lab, "")) for lab in labels]]
        for k, v in diff.items()
    ]
    return table(["Setting", *labels], rows)


def _runs(data: dict[str, Any], folder: Path | None) -> str:
    rows = []
    for rep in as_list(data.get("repetitions")):
        if not isinstance(rep, dict):
            continue
        for a in as_list(rep.get("agents")):
            if not isinstance(a, dict):
                continue
            run_dir = a.get("run_dir")
            link = ""
            if run_dir and folder is not None:
                page = Path(run_dir) / "report.html"
                href = Path(os.path.relpath(page, folder)).as_posix()
                link = (
                    f'<a href="{esc(href)}">{esc(Path(run_dir).name)}</a>'
                    if page.exists()
                    else esc(Path(run_dir).name)
                )
            status = str(a.get("status") or "?")
            rows.append(
                [
                    esc(f"{_rep_kind(rep)}{rep.get('index')}"),
                    esc(a.get("variant")),
                    esc(a.get("host") or "embedded"),
                    badge(status, status),
                    esc(num(number(a.get("wall_s")))),
                    link
                    + (
                        f'<br><span class="src">{esc(a.get("error"))}</span>'
                        if a.get("error")
                        else ""
                    ),
                ]
            )
    return table(["Repetition", "Variant", "Host", "Status", "Wall s", "Run"], rows, numeric=[4])


def render_comparison_page(data: dict[str, Any], folder: Path | None = None) -> str:
    labels = labels_of(data)
    plan = as_dict(data.get("plan"))
    started = when(data.get("started_at"))
    title = " vs ".join(f"{lab} = {name}" for lab, name in labels)
    failures = as_dict(data.get("failures"))
    meta = {
        "Data": f"<code>{esc(plan.get('data_dir'))}</code>",
        "Mode": esc(
            f"{plan.get('mode')}; {plan.get('runs')} measured repetition(s),"
            f" {plan.get('warmup')} warm-up (excluded)"
        ),
        "Started": esc(started.strftime("%Y-%m-%d %H:%M:%S UTC") if started else "not recorded"),
        "Failed runs": esc(", ".join(f"{k} {v}" for k, v in failures.items()) or "none"),
    }
    if folder is not None:
        meta["Folder"] = f"<code>{esc(folder)}</code>"
    body = (
        f"<h1>Comparison: {esc(title)}</h1>"
        + meta_list(meta)
        + "<h2>Verdicts</h2>"
        + _verdicts(data)
        + "<h2>Each figure, repetition by repetition</h2>"
        + _charts(data)
        + "<h2>Side by side</h2>"
        + _side_by_side(data)
        + "<h2>Configuration differences</h2>"
        + _config_diff(data)
        + "<h2>Concurrency</h2>"
        + _concurrency(data)
        + "<h2>Runs</h2>"
        + _runs(data, folder)
    )
    return document(f"Comparison: {title}", body, kind="comparison")
