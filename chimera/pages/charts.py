"""Charts as inline SVG: bars from zero, points with mean and interval, a timeline.

Every chart's value axis starts at zero, so a 2 % difference looks like 2 %. Each drawn
item carries a class the tests count (`bar`, `pt`, `tl-node`, `tl-call`) and a <title>
that a browser shows on hover, so the exact figure is one pointer away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from chimera.pages.shell import esc

PALETTE = ("#2459a8", "#c4572a", "#2f8f5b", "#8a4fb5", "#b8860b", "#1d8a9e", "#b03a6e", "#5a6b7d")
_CHAR_PX = 7.4  # width of a 12 px label character, generous: a clipped label must not overflow
_LABEL_MAX_PX = 260
_ROW = 26


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-12:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _clip_label(label: str, max_px: float) -> str:
    """The label cut in the middle to fit: its start names the model, its end tells setups
    apart ("…gpu80_ctx2048_t0.2" and "…_t0.8"); the whole label is the bar's tooltip."""
    chars = max(4, int(max_px / _CHAR_PX))
    if len(label) <= chars:
        return label
    head = (chars - 1) // 2
    return label[:head] + "…" + label[len(label) - (chars - 1 - head) :]


def _label_width(labels: Sequence[str]) -> float:
    return min(_LABEL_MAX_PX, max((len(s) for s in labels), default=4) * _CHAR_PX + 12)


def _axis(
    x0: float,
    width: float,
    y: float,
    ticks: Sequence[float],
    scale: float,
    unit: str,
    height: float,
) -> str:
    out = [f'<g class="axis"><line x1="{x0}" y1="{y}" x2="{x0 + width}" y2="{y}"/>']
    for tick in ticks:
        x = x0 + tick * scale
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{y - height}" x2="{x:.1f}" y2="{y}"/>')
        out.append(f'<text x="{x:.1f}" y="{y + 15}" text-anchor="middle">{tick:g}</text>')
    out.append(
        f'<text x="{x0 + width}" y="{y + 30}" text-anchor="end" class="unit">{esc(unit)}</text>'
    )
    return "".join(out) + "</g>"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]
    title: str = ""


def bar_chart(bars: Sequence[Bar], unit: str, *, caption: str = "", width: int = 720) -> str:
    """Horizontal bars from zero, one per item, value written at the bar's end."""
    if not bars:
        return ""
    label_w = _label_width([b.label for b in bars])
    plot_w = width - label_w - 70
    top = max(b.value for b in bars)
    ticks = nice_ticks(top)
    scale = plot_w / ticks[-1]
    height = len(bars) * _ROW + 44
    axis_y = len(bars) * _ROW + 6
    out = [
        f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img">',
        _axis(label_w, plot_w, axis_y, ticks, scale, unit, axis_y),
    ]
    for i, b in enumerate(bars):
        y = 6 + i * _ROW
        w = max(0.0, b.value * scale)
        tip = b.title or f"{b.label}: {_fmt(b.value)} {unit}"
        out.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"{esc(_clip_label(b.label, label_w - 8))}<title>{esc(b.label)}</title></text>"
            f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{_ROW - 8}"'
            f' fill="{b.colour}" data-value="{b.value!r}"><title>{esc(tip)}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{esc(_fmt(b.value))}</text>'
        )
    out.append("</svg>")
    return _figure("".join(out), caption)


@dataclass(frozen=True)
class PointGroup:
    """One agent's values for one figure, and the interval drawn around its mean."""

    label: str
    values: Sequence[float]
    mean: float | None
    low: float | None = None
    high: float | None = None
    colour: str = PALETTE[0]


def points_chart(
    groups: Sequence[PointGroup], unit: str, *, caption: str = "", width: int = 720
) -> str:
    """Each group's points on one row, its mean as a tick and its interval as a whisker."""
    groups = [g for g in groups if g.values]
    if not groups:
        return ""
    label_w = _label_width([g.label for g in groups])
    plot_w = width - label_w - 30
    row = 34
    top = max(max(g.values) for g in groups)
    top = max([top, *(g.high for g in groups if g.high is not None)])
    ticks = nice_ticks(top)
    scale = plot_w / ticks[-1]
    axis_y = len(groups) * row + 6
    height = axis_y + 38
    out = [
        f'<svg class="chart points" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img">',
        _axis(label_w, plot_w, axis_y, ticks, scale, unit, axis_y),
    ]
    for i, g in enumerate(groups):
        cy = 6 + i * row + row / 2
        out.append(
            f'<text x="{label_w - 6}" y="{cy + 4}" text-anchor="end">'
            f"{esc(_clip_label(g.label, label_w - 8))}<title>{esc(g.label)}</title></text>"
        )
        if g.low is not None and g.high is not None:
            x1, x2 = label_w + g.low * scale, label_w + g.high * scale
            out.append(
                f'<line class="ci" x1="{x1:.1f}" y1="{cy}" x2="{x2:.1f}" y2="{cy}"'
                f' stroke="{g.colour}" stroke-width="2"><title>{esc(g.label)}: interval'
                f" {_fmt(g.low)} to {_fmt(g.high)} {esc(unit)}</title></line>"
                + "".join(
                    f'<line x1="{x:.1f}" y1="{cy - 5}" x2="{x:.1f}" y2="{cy + 5}"'
                    f' stroke="{g.colour}"/>'
                    for x in (x1, x2)
                )
            )
        for j, v in enumerate(g.values):
            jitter = ((j % 3) - 1) * 4
            out.append(
                f'<circle class="pt" cx="{label_w + v * scale:.1f}" cy="{cy + jitter}" r="4"'
                f' fill="{g.colour}" fill-opacity="0.55" data-value="{v!r}">'
                f"<title>{esc(g.label)} repetition {j + 1}: {_fmt(v)} {esc(unit)}</title></circle>"
            )
        if g.mean is not None:
            x = label_w + g.mean * scale
            out.append(
                f'<line class="mean" x1="{x:.1f}" y1="{cy - 10}" x2="{x:.1f}" y2="{cy + 10}"'
                f' stroke="#1d2127" stroke-width="2.5"><title>{esc(g.label)}: mean'
                f" {_fmt(g.mean)} {esc(unit)}</title></line>"
            )
    out.append("</svg>")
    return _figure("".join(out), caption)


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    kind: str  # "node", "wait" (to first token), "gen" (generating), "call" (no TTFT)
    title: str


@dataclass
class TimelineRow:
    label: str
    kind: str  # "node" or "call"
    segments: list[Segment] = field(default_factory=list)


_SEGMENT_FILL = {"node": "#8fb0e3", "wait": "#f0b65a", "gen": "#2f8f5b", "call": "#9aa3ae"}


def timeline(
    rows: Sequence[TimelineRow], total_s: float, *, caption: str = "", width: int = 1000
) -> str:
    """Every row on one time axis (seconds from the run's start)."""
    if not rows:
        return ""
    label_w = _label_width([r.label for r in rows])
    plot_w = width - label_w - 20
    ticks = nice_ticks(max(total_s, 1e-3), 8)
    scale = plot_w / ticks[-1]
    row = 22
    axis_y = len(rows) * row + 6
    height = axis_y + 38
    out = [
        f'<svg class="chart timeline" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img">',
        _axis(label_w, plot_w, axis_y, ticks, scale, "seconds since the run started", axis_y),
    ]
    for i, r in enumerate(rows):
        y = 6 + i * row
        out.append(
            f'<g class="tl-{esc(r.kind)}"><text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
            f"{esc(_clip_label(r.label, label_w - 8))}</text>"
        )
        for s in r.segments:
            x = label_w + max(0.0, s.start_s) * scale
            w = max(1.5, (s.end_s - s.start_s) * scale)
            out.append(
                f'<rect class="seg seg-{esc(s.kind)}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}"'
                f' height="{row - 7}" fill="{_SEGMENT_FILL.get(s.kind, "#9aa3ae")}">'
                f"<title>{esc(s.title)}</title></rect>"
            )
        out.append("</g>")
    out.append("</svg>")
    keys = (
        ("node", "node"),
        ("wait", "waiting for the first token"),
        ("gen", "generating"),
        ("call", "call (no TTFT measured)"),
    )
    legend = (
        '<div class="legend note">'
        + "".join(
            f'<span><svg width="12" height="10"><rect width="12" height="10"'
            f' fill="{_SEGMENT_FILL[key]}"/></svg> {text}</span>'
            for key, text in keys
        )
        + "</div>"
    )
    return _figure("".join(out) + legend, caption)


def _figure(svg: str, caption: str) -> str:
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


def _shade(share: float) -> str:
    """A blue from pale (0) to deep (1), for a heatmap square."""
    share = min(1.0, max(0.0, share))
    low, high = (232, 240, 250), (24, 70, 150)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(
    xs: Sequence[str],
    ys: Sequence[str],
    values: dict[tuple[str, str], tuple[float | None, str]],
    *,
    x_name: str,
    y_name: str,
    unit: str,
    higher_is_better: bool = True,
    caption: str = "",
) -> str:
    """A grid of squares, one per (x, y) level pair, shaded by value (darker is better) and
    labelled with it; a pair not measured is left empty. `values`: (x, y) -> (value, label)."""
    if not xs or not ys:
        return ""
    measured = [v for v, _ in values.values() if v is not None]
    lo, hi = (min(measured), max(measured)) if measured else (0.0, 0.0)
    cell_w, cell_h, left, top = 110, 44, 90, 34
    width, height = left + cell_w * len(xs) + 10, top + cell_h * len(ys) + 40
    out = [
        f'<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f'<text x="{left + cell_w * len(xs) / 2:.0f}" y="14" text-anchor="middle"'
        f' class="unit">{esc(x_name)}</text>',
        f'<text x="10" y="{top + cell_h * len(ys) / 2:.0f}" class="unit">{esc(y_name)}</text>',
    ]
    for i, x in enumerate(xs):
        out.append(
            f'<text x="{left + i * cell_w + cell_w / 2:.0f}" y="{top - 6}" text-anchor="middle">'
            f"{esc(x)}</text>"
        )
    for j, y in enumerate(ys):
        out.append(
            f'<text x="{left - 8}" y="{top + j * cell_h + cell_h / 2 + 4:.0f}"'
            f' text-anchor="end">{esc(y)}</text>'
        )
        for i, x in enumerate(xs):
            value, label = values.get((x, y), (None, ""))
            x0, y0 = left + i * cell_w, top + j * cell_h
            if value is None:
                out.append(
                    f'<rect class="hm-empty" x="{x0}" y="{y0}" width="{cell_w - 2}"'
                    f' height="{cell_h - 2}" fill="none" stroke="#c8ccd4"/>'
                )
                continue
            share = (value - lo) / (hi - lo) if hi > lo else 1.0
            share = share if higher_is_better else 1.0 - share
            ink = "#ffffff" if share > 0.55 else "#1a1d24"
            out.append(
                f'<rect class="hm-cell" x="{x0}" y="{y0}" width="{cell_w - 2}"'
                f' height="{cell_h - 2}" fill="{_shade(share)}" data-value="{value!r}">'
                f"<title>{esc(f'{label}: {_fmt(value)} {unit}')}</title></rect>"
                f'<text x="{x0 + cell_w / 2 - 1:.0f}" y="{y0 + cell_h / 2 + 4:.0f}"'
                f' text-anchor="middle" style="fill:{ink}">{esc(_fmt(value))}</text>'
            )
    out.append(
        f'<text x="{left + cell_w * len(xs)}" y="{height - 12}" text-anchor="end"'
        f' class="unit">{esc(unit)}</text></svg>'
    )
    return _figure("".join(out), caption)


def scatter_chart(
    points: Sequence[tuple[str, float, float, str, bool]],
    *,
    x_unit: str,
    y_unit: str,
    caption: str = "",
    width: int = 720,
    height: int = 380,
) -> str:
    """Points (label, x, y, colour, on the front) on axes from zero; the points on the front
    are ringed and joined in order of x."""
    if not points:
        return ""
    left, bottom, right, top = 60, 44, 130, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    x_ticks = nice_ticks(max(p[1] for p in points))
    y_ticks = nice_ticks(max(p[2] for p in points))
    sx, sy = plot_w / x_ticks[-1], plot_h / y_ticks[-1]

    def at(x: float, y: float) -> tuple[float, float]:
        return left + x * sx, top + plot_h - y * sy

    out = [
        f'<svg class="chart scatter" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img">',
        _axis(left, plot_w, top + plot_h, x_ticks, sx, x_unit, plot_h),
        '<g class="axis">',
    ]
    for tick in y_ticks:
        _, y = at(0, tick)
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    out.append(f'<text x="{left - 6}" y="{top - 16}" text-anchor="end" class="unit">'
               f"{esc(y_unit)}</text></g>")  # fmt: skip
    front = sorted((p for p in points if p[4]), key=lambda p: p[1])
    if len(front) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(p[1], p[2]) for p in front))
        out.append(f'<polyline class="front" points="{path}" fill="none" stroke="#8a93a3"'
                   ' stroke-dasharray="4 3"/>')  # fmt: skip
    placed: list[tuple[float, float]] = []  # label positions so far: none drawn over another
    for label, x, y, colour, on_front in points:
        cx, cy = at(x, y)
        lx, ly = cx + 9, cy - 7
        while any(abs(lx - px) < 120 and abs(ly - py) < 13 for px, py in placed):
            ly += 14
        placed.append((lx, ly))
        tip = f"{label}: {_fmt(x)} {x_unit}, {_fmt(y)} {y_unit}" + (
            " (on the Pareto front)" if on_front else ""
        )
        ring = (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="8" fill="none" stroke="{colour}"/>'
            if on_front
            else ""
        )
        out.append(
            f'{ring}<circle class="pt" cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{colour}">'
            f"<title>{esc(tip)}</title></circle>"
            f'<text x="{lx:.1f}" y="{ly:.1f}">{esc(_clip_label(label, 120))}</text>'
        )
    out.append("</svg>")
    return _figure("".join(out), caption)
