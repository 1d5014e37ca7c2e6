"""The sweep page (summary.html of a `chimera sweep` folder), drawn from its summary.json.

What a person tuning options looks for first: which cell won and whether the win is real
(the verdict), the objective over the grid (a heatmap of the first two keys), the trade-off
between throughput and TTFT (the Pareto front: no other cell is both faster and quicker to
answer), and the ranking with intervals. The sweep's summary.md follows for the rest (flags,
cold starts, model placement). A folder without summary.json (cut off before its end) shows
its summary.md, or says that there is none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chimera.errors import ConfigError
from chimera.pages.charts import PALETTE, Bar, bar_chart, heatmap, scatter_chart
from chimera.pages.markdown import to_html
from chimera.pages.runfile import as_dict, as_list, number, read_json, when
from chimera.pages.shell import document, esc, meta_list

_THROUGHPUT = "throughput_tok_s"
_TTFT = "ttft_ms"
_BEST, _BASE, _OTHER = PALETTE[2], PALETTE[5], PALETTE[0]


def _mean(cell: dict[str, Any], key: str) -> float | None:
    return number(as_dict(as_dict(cell.get("figures")).get(key)).get("mean"))


def _interval(cell: dict[str, Any], key: str) -> str:
    fig = as_dict(as_dict(cell.get("figures")).get(key))
    low, high, n = number(fig.get("ci_low")), number(fig.get("ci_high")), fig.get("n")
    shown = f" [{low:.2f}, {high:.2f}]" if low is not None and high is not None else ""
    return f"{shown} (n={n})" if n is not None else shown


def _verdict(summary: dict[str, Any]) -> str:
    objective = as_dict(summary.get("objective"))
    best = str(summary.get("best") or "")
    cells = {str(c.get("label")): c for c in as_list(summary.get("cells")) if isinstance(c, dict)}
    if not best or best not in cells:
        return '<p class="note">No cell finished a measured run: no best cell.</p>'
    cell = cells[best]
    mean = _mean(cell, str(objective.get("key")))
    lines = [
        f"<p><strong>Best cell for {esc(str(objective.get('label', '')).lower())}: "
        f"{esc(best)}</strong> ({esc(_values_text(cell))})"
        + (
            f" at {mean:.2f}{esc(_interval(cell, str(objective.get('key'))))}"
            f" {esc(objective.get('unit', ''))}"
            if mean is not None
            else ""
        )
        + ".</p><ul>"
    ]
    if cell.get("baseline"):
        lines.append("<li>The base config is itself the best cell: no other cell beat it.</li>")
    elif isinstance(summary.get("best_verdict"), dict):
        lines.append(
            f"<li>Against the base config ({esc(summary.get('baseline', ''))}): "
            f"{esc(summary['best_verdict'].get('verdict', ''))}</li>"
        )
    runner = summary.get("runner_up_verdict")
    if summary.get("runner_up") and isinstance(runner, dict):
        lines.append(
            f"<li>Against the runner-up ({esc(summary['runner_up'])}, uncorrected): "
            f"{esc(runner.get('verdict', ''))}</li>"
        )
    return "".join(lines) + "</ul>"


def _values_text(cell: dict[str, Any]) -> str:
    values = as_dict(cell.get("values"))
    return ", ".join(f"{k}={'default' if v is None else v}" for k, v in values.items())


def _colour(cell: dict[str, Any], best: str) -> str:
    if str(cell.get("label")) == best:
        return _BEST
    return _BASE if cell.get("baseline") else _OTHER


def _ranking(summary: dict[str, Any], cells: list[dict[str, Any]]) -> str:
    objective = as_dict(summary.get("objective"))
    key, unit = str(objective.get("key")), str(objective.get("unit", ""))
    best = str(summary.get("best") or "")
    bars = [
        Bar(
            label=str(c.get("label")),
            value=mean,
            colour=_colour(c, best),
            title=f"{c.get('label')}: {mean:.2f}{_interval(c, key)} {unit}",
        )
        for c in cells
        if (mean := _mean(c, key)) is not None
    ]
    direction = "higher" if objective.get("higher_is_better", True) else "lower"
    return "<h2>Ranking</h2>" + bar_chart(
        bars,
        unit,
        caption=f"Mean {str(objective.get('label', '')).lower()} per cell ({direction} is "
        "better), in rank order; the best cell in green, the base config in teal; axis from "
        "zero. Hover a bar for its 95 % interval.",
    )


def _heatmap(summary: dict[str, Any], cells: list[dict[str, Any]]) -> str:
    keys = [str(k) for k in as_list(as_dict(summary.get("plan")).get("grid_keys"))]
    if len(keys) < 2:
        return ""
    objective = as_dict(summary.get("objective"))
    key = str(objective.get("key"))
    grid = [c for c in cells if c.get("in_grid", True) and not c.get("baseline")]
    x_key, y_key = keys[0], keys[1]

    def level(cell: dict[str, Any], k: str) -> str:
        return str(as_dict(cell.get("values")).get(k))

    xs = sorted({level(c, x_key) for c in grid}, key=_sort_key)
    ys = sorted({level(c, y_key) for c in grid}, key=_sort_key)
    higher = bool(objective.get("higher_is_better", True))
    values: dict[tuple[str, str], tuple[float | None, str]] = {}
    for c in grid:
        square = (level(c, x_key), level(c, y_key))
        mean, held = _mean(c, key), values.get(square, (None, ""))[0]
        # with more than two keys, several cells share a square: it shows the best of them
        if held is None or (mean is not None and (mean > held if higher else mean < held)):
            values[square] = (mean, str(c.get("label")))
    more = (
        f"; with {', '.join(keys[2:])} also swept, each square shows its best cell"
        if len(keys) > 2
        else ""
    )
    return "<h2>The grid</h2>" + heatmap(
        xs,
        ys,
        values,
        x_name=x_key,
        y_name=y_key,
        unit=str(objective.get("unit", "")),
        higher_is_better=higher,
        caption=f"Mean {str(objective.get('label', '')).lower()} over {x_key} and {y_key}; "
        f"darker is better; an empty square was not measured{more}.",
    )


def _sort_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _pareto(cells: list[dict[str, Any]], best: str) -> str:
    points = [
        (str(c.get("label")), x, y, _colour(c, best))
        for c in cells
        if (x := _mean(c, _THROUGHPUT)) is not None and (y := _mean(c, _TTFT)) is not None
    ]
    if len(points) < 2:
        return ""
    front = {
        label
        for label, x, y, _ in points
        if not any(x2 >= x and y2 <= y and (x2, y2) != (x, y) for _, x2, y2, _ in points)
    }
    return "<h2>Throughput against TTFT</h2>" + scatter_chart(
        [(label, x, y, colour, label in front) for label, x, y, colour in points],
        x_unit="tok/s",
        y_unit="ms",
        caption="Each cell's mean throughput and mean TTFT (steady calls); the Pareto front "
        "(ringed, joined: no other cell is both faster and quicker to answer) is where to "
        "choose; axes from zero.",
    )


def _details_of(summary_md: str) -> str:
    """summary.md from its ranking table on (its header and verdict are drawn above), without
    the list of PNG charts (the page draws its own)."""
    start = summary_md.find("\n## Ranking")
    text = summary_md[start + 1 :] if start >= 0 else summary_md
    charts = text.find("\n## Charts")
    if charts >= 0:
        after = text.find("\n## ", charts + 1)
        text = text[:charts] + (text[after:] if after >= 0 else "\n")
    return text


def render_sweep_page(folder: Path) -> str:
    try:
        summary: dict[str, Any] | None = read_json(folder / "summary.json")
    except ConfigError:  # missing or damaged: the page still shows what there is
        summary = None
    summary_md = folder / "summary.md"
    rest = (
        to_html(_details_of(summary_md.read_text(encoding="utf-8")), heading_shift=1)
        if summary_md.is_file()
        else '<p class="note">This sweep has no summary.md yet.</p>'
    )
    if summary is None:
        note = (
            '<p class="note">This sweep has no summary.json (it did not finish): its summary.md'
            " follows, without charts.</p>"
        )
        body = f"<h1>Sweep {esc(folder.name)}</h1>{note}{rest}"
        return document(f"Sweep: {folder.name}", body, kind="sweep")
    cells = sorted(
        (c for c in as_list(summary.get("cells")) if isinstance(c, dict)),
        key=lambda c: (c.get("rank") is None, c.get("rank") or 0),
    )
    plan = as_dict(summary.get("plan"))
    objective = as_dict(summary.get("objective"))
    started = when(summary.get("started_at"))
    meta = meta_list(
        {
            "Data": f"<code>{esc(plan.get('data_dir', ''))}</code>",
            "Grid": esc(", ".join(str(k) for k in as_list(plan.get("grid_keys")))),
            "Cells": esc(len(cells)),
            "Runs": esc(
                f"{summary.get('runs_total', 0)} measured, {summary.get('runs_failed', 0)} failed"
            ),
            "Objective": esc(f"{objective.get('label', '')} ({objective.get('unit', '')})"),
            "Started": esc(f"{started:%Y-%m-%d %H:%M:%S} UTC" if started else "not recorded"),
        }
    )
    body = (
        f"<h1>Sweep {esc(folder.name)}</h1>{meta}<h2>Verdict</h2>{_verdict(summary)}"
        + _heatmap(summary, cells)
        + _ranking(summary, cells)
        + _pareto(cells, str(summary.get("best") or ""))
        + f"<h2>The sweep's summary</h2>{rest}"
    )
    return document(f"Sweep: {folder.name}", body, kind="sweep")
