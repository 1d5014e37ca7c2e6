"""A sweep's charts: a heatmap over two swept keys, the Pareto front of tok/s against TTFT,
and quality beside speed. Explicit matplotlib figures on the Agg canvas, never matplotlib's
global state, so a notebook's backend is untouched; every axis of a rate or a share starts
at zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chimera.sweep.results import BY_KEY, CellSummary, SweepResult

_DPI = 110


def _canvas(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=_DPI)
    tmp.replace(path)


def _mean(cell: CellSummary, key: str) -> float | None:
    return cell.figures[key].mean


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, str(value))


def heatmap(result: SweepResult, path: Path) -> bool:
    """The objective's mean over the first two swept keys; False when fewer are swept."""
    keys = result.plan.grid_keys
    if len(keys) < 2:
        return False
    x_key, y_key = keys[0], keys[1]
    objective = result.objective
    grid = [c for c in result.cells if c.in_grid]
    xs = sorted({c.values[x_key] for c in grid}, key=_sort_key)
    ys = sorted({c.values[y_key] for c in grid}, key=_sort_key)
    import numpy as np

    values = np.full((len(ys), len(xs)), np.nan)
    counts = np.zeros((len(ys), len(xs)))
    planned = np.zeros((len(ys), len(xs)), dtype=bool)
    for c in grid:
        i, j = ys.index(c.values[y_key]), xs.index(c.values[x_key])
        planned[i, j] = True
        mean = _mean(c, objective.key)
        if mean is None:
            continue
        values[i, j] = mean if np.isnan(values[i, j]) else values[i, j] + mean
        counts[i, j] += 1
    with np.errstate(invalid="ignore"):
        values = values / np.where(counts > 0, counts, np.nan)
    fig = _canvas(1.6 + 1.3 * len(xs), 1.4 + 0.8 * len(ys))
    ax = fig.subplots()
    cmap = "viridis" if objective.higher_is_better else "viridis_r"
    image = ax.imshow(values, cmap=cmap, aspect="auto", origin="lower")
    fig.colorbar(image, ax=ax, label=f"{objective.label} ({objective.unit})")
    ax.set_xticks(range(len(xs)), ["default" if x is None else str(x) for x in xs])
    ax.set_yticks(range(len(ys)), ["default" if y is None else str(y) for y in ys])
    ax.set_xlabel(x_key)
    ax.set_ylabel(y_key)
    finite = values[~np.isnan(values)]
    middle = float(finite.mean()) if finite.size else 0.0
    for i in range(len(ys)):
        for j in range(len(xs)):
            if np.isnan(values[i, j]):
                text = "not measured" if planned[i, j] else "excluded"
            else:
                text = f"{values[i, j]:.1f}"
            dark = (
                not np.isnan(values[i, j]) and (values[i, j] < middle) == objective.higher_is_better
            )
            ax.text(j, i, text, ha="center", va="center", color="white" if dark else "black")
    more = f", mean over {', '.join(keys[2:])}" if len(keys) > 2 else ""
    ax.set_title(f"{objective.label} by {x_key} and {y_key} (mean of runs{more})")
    _save(fig, path)
    return True


def pareto_front(points: list[tuple[str, float, float]]) -> list[str]:
    """Labels of the (label, ttft, tok/s) points no other point beats on both (lower TTFT
    and higher tok/s), by rising TTFT."""
    front = []
    for label, ttft, rate in points:
        dominated = any((t <= ttft and r >= rate) and (t < ttft or r > rate) for _, t, r in points)
        if not dominated:
            front.append((ttft, label))
    return [label for _, label in sorted(front)]


def pareto(result: SweepResult, path: Path) -> bool:
    """tok/s against TTFT per cell, with intervals; the cells on the front are joined."""
    cells = [
        c for c in result.cells if _mean(c, "throughput_tok_s") is not None and _mean(c, "ttft_ms")
    ]
    if not cells:
        return False
    points = [
        (c.label, _mean(c, "ttft_ms") or 0.0, _mean(c, "throughput_tok_s") or 0.0) for c in cells
    ]
    front = pareto_front(points)
    ranked_by_ttft = [p[0] for p in sorted(points, key=lambda p: (p[1], p[2]))]
    fig = _canvas(7.5, 5.0)
    ax = fig.subplots()
    for c in cells:
        ttft, rate = c.figures["ttft_ms"], c.figures["throughput_tok_s"]
        assert ttft.mean is not None and rate.mean is not None
        xerr = (
            None if ttft.ci_low is None else [[ttft.mean - ttft.ci_low], [ttft.ci_high - ttft.mean]]
        )
        yerr = (
            None if rate.ci_low is None else [[rate.mean - rate.ci_low], [rate.ci_high - rate.mean]]
        )
        on_front = c.label in front
        ax.errorbar(
            ttft.mean,
            rate.mean,
            xerr=xerr,
            yerr=yerr,
            fmt="o" if on_front else "s",
            color="tab:blue" if on_front else "tab:gray",
            capsize=3,
        )
        # Labels alternate above and below by TTFT order: cells that measure alike stay legible.
        above = ranked_by_ttft.index(c.label) % 2 == 0
        ax.annotate(
            c.label,
            (ttft.mean, rate.mean),
            textcoords="offset points",
            xytext=(6, 7 if above else -13),
            fontsize=8,
        )
    by_label = {label: (t, r) for label, t, r in points}
    ax.plot(
        [by_label[f][0] for f in front],
        [by_label[f][1] for f in front],
        "--",
        color="tab:blue",
        label="Pareto front",
    )
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("TTFT, steady state (ms, lower is better)")
    ax.set_ylabel("Throughput (tok/s, higher is better)")
    ax.set_title("Throughput against TTFT per cell (bars: 95 % intervals)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, path)
    return True


def quality(result: SweepResult, path: Path) -> bool:
    """Per cell, in ranking order: throughput beside grounding rate and compliance."""
    cells = result.cells
    if not cells:
        return False
    fig = _canvas(max(7.0, 1.0 + 0.9 * len(cells)) * 1.6, 4.2)
    axes = fig.subplots(1, 2)
    labels = [c.label for c in cells]
    import numpy as np

    x = np.arange(len(cells))
    for ax, keys, title, limit in (
        (axes[0], ("throughput_tok_s",), "Throughput (tok/s)", None),
        (axes[1], ("grounding_rate_pct", "compliance_pct"), "Quality (%)", 100.0),
    ):
        width = 0.8 / len(keys)
        for k, key in enumerate(keys):
            means = [np.nan if c.figures[key].mean is None else c.figures[key].mean for c in cells]
            lows = [
                (c.figures[key].mean - c.figures[key].ci_low)
                if c.figures[key].mean is not None and c.figures[key].ci_low is not None
                else 0.0
                for c in cells
            ]
            highs = [
                (c.figures[key].ci_high - c.figures[key].mean)
                if c.figures[key].mean is not None and c.figures[key].ci_high is not None
                else 0.0
                for c in cells
            ]
            bars = ax.bar(x + (k - (len(keys) - 1) / 2) * width, means, width, yerr=[lows, highs],
                          capsize=3, label=BY_KEY[key].label)  # fmt: skip
            shown = ["not measured" if np.isnan(m) else f"{m:.1f}" for m in means]
            ax.bar_label(bars, shown, fontsize=7, padding=2)
            for position, mean in zip(bars, means, strict=True):
                if np.isnan(mean):  # no bar to label: say so where it would stand
                    ax.text(position.get_x() + position.get_width() / 2, 0, "not measured",
                            rotation=90, ha="center", va="bottom", fontsize=7)  # fmt: skip
        ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylim(bottom=0, top=limit)
        ax.set_title(title)
        ax.grid(alpha=0.3, axis="y")
        ax.legend(fontsize=8)
    fig.suptitle(f"Speed beside quality, cells by rank for {result.objective.label.lower()}")
    _save(fig, path)
    return True


def write_charts(result: SweepResult, out_dir: Path) -> list[str]:
    """Draw the charts that apply; their file names, for summary.md."""
    made = []
    for name, draw in (("heatmap.png", heatmap), ("pareto.png", pareto), ("quality.png", quality)):
        if draw(result, out_dir / name):
            made.append(name)
    return made
