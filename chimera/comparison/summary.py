"""Write a comparison's summary.json, summary.md, summary.csv and summary.png."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from chimera.comparison.models import FIGURES, ComparisonResult
from chimera.escape import csv_cell, md_code, md_inline, plain
from chimera.execution.page_files import write_comparison_page, write_index
from chimera.execution.runstore import write_atomic
from chimera.statistics import CONTENTION_SLOWDOWN_PCT, Summary


def _num(value: float | None, digits: int = 2) -> str:
    return "not measured" if value is None else f"{value:.{digits}f}"


def _optional(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _cell(s: Summary) -> str:
    if s.n == 0:
        return "not measured"
    sd = f" ± {s.stdev:.2f}" if s.stdev is not None else ""
    spread = f"median {s.median:.2f}, p95 {s.p95:.2f}, {s.min:.2f}–{s.max:.2f}, n={s.n}"
    return f"{s.mean:.2f}{sd} ({spread})"


def _data_line(result: ComparisonResult) -> str:
    line = f"- Data: {md_code(result.plan.data_dir)}"
    if result.data_digest_s is None:
        return line
    line += (
        f"; digested once before the repetitions ({result.data_digest_s:.2f} s) and reused"
        " by every run while the files stayed unchanged"
    )
    if result.data_redigests:
        line += (
            f"; **the files changed during the comparison, and {result.data_redigests} run(s)"
            " digested them again inside their own wall time**"
        )
    return line


def render_summary_md(result: ComparisonResult) -> str:
    plan = result.plan
    labels = [v.label for v in plan.variants]
    names = {v.label: md_inline(v.config.name) for v in plan.variants}
    measured = result.measured
    lines = [
        f"# Comparison: {' vs '.join(f'{lab} = {names[lab]}' for lab in labels)}",
        "",
        _data_line(result),
        f"- Mode: {plan.mode}; {plan.runs} measured repetition(s),"
        f" {plan.warmup} warm-up (excluded)"
        + (f", {plan.solo_runs} solo (each variant alone)" if plan.solo_runs else ""),
        f"- Started: {result.started_at:%Y-%m-%d %H:%M:%S} UTC;"
        f" finished {result.finished_at:%H:%M:%S} UTC",
        "- Failed runs: " + ", ".join(f"{lab} {result.failures[lab]}" for lab in labels),
        "- Hosts: "
        + "; ".join(
            f"{lab}: " + ", ".join(f"{md_inline(h)} ({n})" for h, n in result.hosts[lab].items())
            for lab in labels
        ),
        *_executor_lines(result.executor, result.retried_runs, result.machines),
        "",
        "## Verdicts",
        f"_{result.sign_convention}_",
        "",
    ]
    for pair, deltas in result.deltas.items():
        lines.append(f"**{pair}**")
        lines += [f"- {d.verdict}" for d in deltas]
        lines.append("")
    lines += [
        "## Side by side",
        "",
        "| Figure | " + " | ".join(f"{lab}: {names[lab]}" for lab in labels) + " |",
    ]
    lines.append("|---|" + "---|" * len(labels))
    for f in FIGURES:
        cells = [_cell(result.aggregates[lab][f.key]) for lab in labels]
        lines.append(f"| {f.label} ({f.unit}) | " + " | ".join(cells) + " |")
    lines += ["", "## Configuration differences", ""]
    if result.config_diff:
        lines.append("| Setting | " + " | ".join(labels) + " |")
        lines.append("|---|" + "---|" * len(labels))
        for key, values in result.config_diff.items():
            lines.append(
                f"| {md_inline(key)} | "
                + " | ".join(md_inline(values.get(lab, "")) for lab in labels)
                + " |"
            )
    else:
        lines.append("_The configurations do not differ._")
    if plan.mode == "concurrent":
        lines += ["", *_concurrency_lines(result, labels)]
    failed = [(rep, a) for rep in measured for a in rep.agents if a.status != "ok"]
    if failed:
        lines += ["", "## Failed runs", ""]
        lines += [
            f"- run {rep.index}, {a.variant} on {md_inline(a.host)}: {md_inline(a.error)}"
            for rep, a in failed
        ]
    lines += [
        "",
        "## Files",
        "- `summary.html` (this summary as a page), `summary.json`, `summary.csv`, `summary.png`",
        "- `run_N/<variant>/report.md` and `run.json` per agent;"
        " `run_N/metrics.json` per repetition"
        + ("; `solo_N/` the solo repetitions" if plan.solo_runs else ""),
    ]
    return "\n".join(lines) + "\n"


def _executor_lines(executor: str, retried: int, machines: dict[str, dict[str, int]]) -> list[str]:
    """Where the runs executed, when that was not this machine alone (Ray)."""
    if executor == "local":
        return []
    where = "; ".join(
        f"{md_inline(label)}: " + ", ".join(f"{md_inline(m)} ({n})" for m, n in seen.items())
        for label, seen in machines.items()
        if seen
    )
    lines = [f"- Executor: {md_inline(executor)}; machines: {where or 'not recorded'}"]
    if retried:
        lines.append(
            f"- Retried: {retried} run(s) ran again after their worker or node died mid-run"
            " (the lost attempts are set aside as interrupted-..., never counted)"
        )
    return lines


def _concurrency_lines(result: ComparisonResult, labels: list[str]) -> list[str]:
    lines = [
        "## Concurrency",
        "Speedup = (sum of each agent's wall time in the repetition) / wall time of the"
        " concurrent repetition, as the seed computed it: it stays near the number of agents"
        " even when they slow each other down. Strict speedup = (sum of each agent's wall"
        " measured alone, in this comparison's solo repetitions) / the same wall; slowdown ="
        " an agent's wall together / alone - 1, averaged over agents; contention when the"
        f" slowdown reaches {CONTENTION_SLOWDOWN_PCT:g} %. Efficiency = speedup / agents x 100 %.",
        "",
    ]
    if result.alone_wall_s:
        alone = "; ".join(
            f"{lab} {_cell(result.alone_wall_s[lab])}"
            for lab in labels
            if lab in result.alone_wall_s
        )
        lines += [f"- Walls alone (s): {alone}", ""]
    else:
        lines += ["- Walls alone: not measured (no solo repetitions; --solo-runs 0)", ""]
    lines += [
        "| Repetition | "
        + " | ".join(f"{lab} wall s" for lab in labels)
        + " | Pair wall s | Speedup | Efficiency % | Strict speedup | Strict efficiency %"
        " | Slowdown % | Contention |",
        "|---|" + "---|" * (len(labels) + 7),
    ]
    for rep in result.measured:
        walls = {a.variant: a.wall_s for a in rep.agents}
        c = rep.concurrency
        contention = (
            "not measured"
            if c is None or c.contention is None
            else ("yes" if c.contention else "no")
        )
        lines.append(
            f"| {rep.index} | "
            + " | ".join(_num(walls.get(lab)) for lab in labels)
            + f" | {rep.wall_s:.2f} | {_num(c.speedup if c else None, 3)}"
            + f" | {_num(c.efficiency_pct if c else None, 1)}"
            + f" | {_num(c.strict_speedup if c else None, 3)}"
            + f" | {_num(c.strict_efficiency_pct if c else None, 1)}"
            + f" | {_num(c.slowdown_pct if c else None, 1)} | {contention} |"
        )
    if result.concurrency:
        lines.append("")
        names = (
            ("speedup", "Speedup"),
            ("efficiency_pct", "Efficiency %"),
            ("strict_speedup", "Strict speedup"),
            ("strict_efficiency_pct", "Strict efficiency %"),
            ("slowdown_pct", "Slowdown %"),
        )
        lines += [
            f"- {title}: {_cell(result.concurrency[key])}"
            for key, title in names
            if key in result.concurrency
        ]
        verdict = (
            "not judged (no solo repetitions)"
            if result.contention is None
            else "yes"
            if result.contention
            else "no"
        )
        lines.append(f"- Contention: {verdict}")
    note = result.solo_note()
    if note:
        lines.append(f"- Note: {note}")
    busy = result.busy_note()
    if busy:
        lines.append(f"- Busy machine: {busy}")
    served = result.served_note()
    if served:
        lines.append(f"- Served by: {served}")
    return lines


def render_summary_csv(result: ComparisonResult) -> str:
    """One row per agent per repetition; text cells are safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    stage_cols = ["ingest_s", "analysis_s", "report_s"]
    # The run's wall time is a compared figure too: one column for it, not two.
    figures = [f for f in FIGURES if f.key != "wall_s"]
    writer.writerow(
        [
            "repetition",
            "warmup",
            "mode",
            "variant",
            "agent",
            "host",
            "status",
            "error",
            "wall_s",
            *stage_cols,
            *[f.key for f in figures],
            "concurrent_wall_s",
            "speedup",
            "efficiency_pct",
            "solo",
            "strict_speedup",
            "strict_efficiency_pct",
            "slowdown_pct",
        ]
    )
    for rep in result.repetitions:
        for a in rep.agents:
            t = a.node_timings
            c = rep.concurrency
            row = [
                rep.index,
                rep.warmup,
                rep.mode,
                a.variant,
                # Text from the user's files (names, hosts, errors) is made formula-safe; the
                # numbers are not text (a negative one must stay a number).
                csv_cell(a.agent),
                csv_cell(a.host or ""),
                a.status,
                csv_cell(a.error or ""),
                f"{a.wall_s:.4f}",
                *[
                    ("" if t.get(n) is None else f"{t[n]:.4f}")
                    for n in ("ingest", "analyst", "writer")
                ],
                *[
                    ("" if a.figures.get(f.key) is None else f"{a.figures[f.key]:.4f}")
                    for f in figures
                ],
                "" if c is None else f"{c.concurrent_wall:.4f}",
                "" if c is None else f"{c.speedup:.4f}",
                "" if c is None else f"{c.efficiency_pct:.2f}",
                rep.solo,
                _optional(c.strict_speedup if c else None, 4),
                _optional(c.strict_efficiency_pct if c else None, 2),
                _optional(c.slowdown_pct if c else None, 2),
            ]
            writer.writerow(row)
    return buffer.getvalue()


def agent_labels(result: ComparisonResult) -> dict[str, str]:
    """A distinct label per variant: "A: name", plus the config file when names repeat."""
    names = [v.config.name for v in result.plan.variants]
    labels = {}
    for v in result.plan.variants:
        label = f"{v.label}: {v.config.name}"
        if names.count(v.config.name) > 1 and v.config.source is not None:
            label += f" ({v.config.source.name})"
        labels[v.label] = label
    return labels


def _chart_text(text: str) -> str:
    """A name as matplotlib draws it literally: `$` would start mathtext (and may not parse)."""
    return plain(text).replace("$", r"\$")


def render_chart(result: ComparisonResult, path: Path) -> None:
    """Write `chart_figure(result)` to `path` as a PNG (atomically)."""
    fig = chart_figure(result)
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)


def chart_figure(result: ComparisonResult) -> Any:
    """Throughput and TTFT per agent: bars of the mean from zero, one dot per repetition.

    Each agent keeps one colour in both panels, and the 95 % t-interval of its mean is drawn
    as a whisker; the axes start at zero so a 2 % difference looks like 2 %.
    """
    # An explicit figure on the Agg canvas: no pyplot, so a notebook's backend is untouched.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from chimera.pages.charts import colour
    from chimera.pages.comparison_page import t_interval

    fig = Figure(figsize=(11, 4.4))
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2)
    # Names as matplotlib draws them literally.
    labels = {k: _chart_text(v) for k, v in agent_labels(result).items()}
    for ax, key, title in (
        (axes[0], "throughput_tok_s", "Throughput (tok/s, higher is better)"),
        (axes[1], "ttft_ms", "TTFT (ms, lower is better)"),
    ):
        for i, (variant, label) in enumerate(labels.items()):
            values = [
                a.figures[key]
                for rep in result.measured
                for a in rep.agents
                if a.variant == variant and a.status == "ok" and a.figures.get(key) is not None
            ]
            if not values:
                continue
            mean = sum(values) / len(values)
            ax.bar(i, mean, width=0.6, color=colour(i), alpha=0.35, label=label)
            ax.scatter([i] * len(values), values, color=colour(i), zorder=3, s=22)
            interval = t_interval(values)
            if interval:
                ax.errorbar(
                    i,
                    mean,
                    yerr=[[mean - interval[0]], [interval[1] - mean]],
                    color="#1d2127",
                    capsize=5,
                    linewidth=1.2,
                    zorder=4,
                )
            ax.annotate(
                f"mean {mean:.2f}",
                (i, mean),
                textcoords="offset points",
                xytext=(26, 2),
                ha="left",
                fontsize=8,
            )
        ax.set_xticks(range(len(labels)), [lab.split(":")[0] for lab in labels.values()])
        ax.set_ylim(bottom=0)  # from zero: differences are shown at their true size
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(
        f"{' vs '.join(labels.values())} ({result.plan.mode}; bar = mean, dots = repetitions,"
        " whisker = 95 % t-interval)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def write_summary(result: ComparisonResult, out_dir: Path) -> None:
    write_atomic(out_dir / "summary.json", result.model_dump_json(indent=2))
    write_atomic(out_dir / "summary.md", render_summary_md(result))
    write_atomic(out_dir / "summary.csv", render_summary_csv(result))
    render_chart(result, out_dir / "summary.png")
    # Pages last, from the files just written; a page that fails is only logged.
    write_comparison_page(out_dir)
    write_index(out_dir.parent)
