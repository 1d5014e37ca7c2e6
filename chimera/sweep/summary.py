"""Write a sweep's summary.json, summary.md, summary.csv, charts and best.yaml."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from chimera.escape import csv_cell, md_code, md_inline
from chimera.execution.page_files import write_index, write_sweep_page
from chimera.execution.runstore import write_atomic
from chimera.statistics import Summary
from chimera.sweep.best import write_best
from chimera.sweep.charts import write_charts
from chimera.sweep.records import COLD_LOAD_MS, JOURNAL_FILE
from chimera.sweep.results import FIGURES, CellSummary, SweepResult, settings_text


def _num(value: float | None, digits: int = 2) -> str:
    return "not measured" if value is None else f"{value:.{digits}f}"


def _mean_ci(s: Summary, digits: int = 2) -> str:
    """`123.45 [120.10, 126.80]`: the mean and its 95 % interval (n shown apart)."""
    if s.mean is None:
        return "not measured"
    if s.ci_low is None or s.ci_high is None:
        return f"{s.mean:.{digits}f}"
    return f"{s.mean:.{digits}f} [{s.ci_low:.{digits}f}, {s.ci_high:.{digits}f}]"


def _value(value: object) -> str:
    return "default" if value is None else md_inline(value)


def shown_path(path: str) -> str:
    """A path as the comparison shows it: relative to the current folder when inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _executor_lines(result: SweepResult) -> list[str]:
    """Where the runs executed, when that was not this machine alone (Ray)."""
    if result.executor == "local":
        return []
    machines: dict[str, int] = {}
    for cell in result.cells:
        for machine, n in cell.machines.items():
            machines[machine] = machines.get(machine, 0) + n
    where = ", ".join(f"{md_inline(m)} ({n})" for m, n in machines.items()) or "not recorded"
    lines = [f"- Executor: {md_inline(result.executor)}; machines: {where}"]
    if result.retried_runs:
        lines.append(
            f"- Retried: {result.retried_runs} run(s) ran again after their worker or node"
            " died mid-run (the lost attempts are set aside as interrupted-..., never counted)"
        )
    return lines


def _prompts_line(result: SweepResult) -> list[str]:
    """Whether every cell did the same work (issue 19: a smaller num_ctx got less of it)."""
    plan = result.plan
    contexts = {c.config.options.num_ctx for c in plan.cells}
    if plan.prompt_ctx is None or len(contexts) < 2:
        return []
    return [
        f"- Prompts: every cell got the same prompts, fitted once to a {plan.prompt_ctx}-token"
        " context (the grid's smallest), so no cell did less work than another"
    ]


def _verdict_line(result: SweepResult) -> list[str]:
    objective = result.objective
    if result.best is None:
        return [f"No cell has a {objective.label.lower()} figure: every run failed or none ran."]
    best = result.cell(result.best)
    lines = [
        f"**Best cell for {objective.label.lower()}: {md_inline(best.label)}**"
        f" ({md_inline(settings_text(best.values))}) at {_mean_ci(best.figures[objective.key])}"
        f" {objective.unit} (n={best.figures[objective.key].n}).",
        "",
    ]
    if best.baseline:
        lines.append(
            f"- The base config ({md_inline(result.baseline)}) is itself the best cell:"
            " no other cell beat it."
        )
    elif result.best_verdict is not None:
        lines.append(
            f"- Against the base config ({md_inline(result.baseline)}):"
            f" {md_inline(result.best_verdict.verdict)}"
        )
    if result.runner_up is not None and result.runner_up_verdict is not None:
        lines.append(
            f"- Against the runner-up ({md_inline(result.runner_up)}, uncorrected):"
            f" {md_inline(result.runner_up_verdict.verdict)}"
        )
    return lines


# The figures the ranking shows, the objective's first.
_RANKED = ("throughput_tok_s", "ttft_ms", "wall_s", "grounding_rate_pct")


def _ranking(result: SweepResult) -> list[str]:
    keys = result.plan.grid_keys
    objective = result.objective
    shown = [objective.key, *[k for k in _RANKED if k != objective.key]]
    by_key = {f.key: f for f in FIGURES}
    head = [
        "Rank",
        "Cell",
        *[md_inline(k) for k in keys],
        *[f"{by_key[k].label} ({by_key[k].unit})" for k in shown],
        "n",
        "vs base",
        "Flags",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for cell in result.cells:
        verdict = "baseline" if cell.baseline else cell.verdict.verdict if cell.verdict else ""
        cells = [
            str(cell.rank) if cell.rank is not None else "-",
            md_inline(cell.label),
            *[_value(cell.values.get(k)) for k in keys],
            *[_mean_ci(cell.figures[k]) for k in shown],
            str(cell.measured),
            md_inline(verdict),
            md_inline("; ".join(cell.flags)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _cold(result: SweepResult) -> list[str]:
    lines = [
        "| Cell | Cold calls | Load (ms) | Cold TTFT (ms) | Steady TTFT (ms) |",
        "|---|---|---|---|---|",
    ]
    for cell in result.cells:
        lines.append(
            f"| {md_inline(cell.label)} | {cell.cold_calls} | {_mean_ci(cell.cold_load)}"
            f" | {_mean_ci(cell.cold_ttft)} | {_mean_ci(cell.figures['ttft_ms'])} |"
        )
    return lines


def _placement(result: SweepResult) -> list[str]:
    if not any(c.residency for c in result.cells):
        return ["_Not measured: the backend reports no model placement (Ollama's /api/ps)._"]
    lines = [
        "| Cell | In VRAM | Size (GB) | Context length | Host |",
        "|---|---|---|---|---|",
    ]
    for cell in result.cells:
        r = cell.residency
        if r is None:
            lines.append(f"| {md_inline(cell.label)} | not measured | | | |")
            continue
        lines.append(
            f"| {md_inline(cell.label)} | {_num(r.vram_pct, 0)} %"
            f" | {r.size_bytes / 1e9:.2f} | {r.context_length or 'not reported'}"
            f" | {md_inline(r.host)} |"
        )
    return lines


def _cell_flags(cells: list[CellSummary]) -> list[str]:
    flagged = [c for c in cells if c.flags]
    if not flagged:
        return ["_None._"]
    return [f"- {md_inline(c.label)}: {md_inline('; '.join(c.flags))}" for c in flagged]


def render_summary_md(result: SweepResult, charts: list[str]) -> str:
    plan = result.plan
    cold = "included in" if result.include_cold else "left out of"
    hosts = ", ".join(f"{md_inline(h)} ({n})" for h, n in result.hosts.items()) or "none"
    lines = [
        f"# Sweep: {md_inline(plan.name)}",
        "",
        f"- Data: {md_code(shown_path(plan.data_dir))}"
        + (
            f"; digested once before the runs ({result.data_digest_s:.2f} s)"
            if result.data_digest_s is not None
            else ""
        ),
        f"- Base config: {md_inline(plan.base.name)} ({md_inline(plan.base.model)},"
        f" {md_inline(plan.base.options.config_line())})",
        f"- Grid: {', '.join(md_inline(k) for k in plan.grid_keys)};"
        f" {len(plan.cells)} cells (baseline {md_inline(result.baseline)})",
        f"- Runs: {plan.runs} measured per cell, {plan.warmup} warm-up round(s) (excluded),"
        f" {plan.order} order; {result.runs_total} measured runs, {result.runs_failed} failed",
        *_prompts_line(result),
        f"- Objective: {result.objective.label} ({result.objective.unit},"
        f" {'higher' if result.objective.higher_is_better else 'lower'} is better)",
        f"- Cold starts (first call after the model reloads, or a load of"
        f" {COLD_LOAD_MS:g} ms or more): {cold} the figures",
        f"- Hosts: {hosts}",
        *_executor_lines(result),
        *([f"- Served by: {md_inline(result.served_by)}"] if result.served_by else []),
        f"- Started {result.started_at:%Y-%m-%d %H:%M:%S} UTC;"
        f" finished {result.finished_at:%H:%M:%S} UTC",
        "",
        "## Verdict",
        f"_{result.sign_convention}_",
        "",
        *_verdict_line(result),
        "",
        "## Ranking",
        "_Means with their 95 % Student-t interval; `vs base` is Holm-corrected over"
        f" {max(len(plan.cells) - 1, 1)} comparison(s)._",
        "",
        *_ranking(result),
        "",
        "## Flags",
        "",
        *_cell_flags(result.cells),
        "",
        "## Cold starts",
        "_Load time and TTFT of the calls that loaded the model, kept apart from the steady TTFT._",
        "",
        *_cold(result),
        "",
        "## Model placement",
        "",
        *_placement(result),
    ]
    if charts:
        lines += ["", "## Charts", ""] + [f"![{Path(c).stem}]({c})" for c in charts]
    lines += [
        "",
        "## Files",
        "- `summary.json` (everything above, per run in `table`), `summary.csv` (one row per"
        " cell per measured run), `best.yaml` (the best cell's agent config)",
        f"- `plan.json` (cells and run order), `{JOURNAL_FILE}` (one line per finished run)",
        "- `cells/<cell>/run_<r>/report.md` and `run.json` for every run",
    ]
    return "\n".join(lines) + "\n"


def render_summary_csv(result: SweepResult) -> str:
    """One row per cell per measured run (warm-ups are in summary.json's table only)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = result.table.columns
    writer.writerow(columns)
    kind = columns.index("kind")
    for row in result.table.rows:
        if row[kind] != "run":
            continue
        writer.writerow(
            ["" if v is None else csv_cell(f"{v:.4f}" if isinstance(v, float) else v) for v in row]
        )
    return buffer.getvalue()


def write_outputs(result: SweepResult, out_dir: Path) -> None:
    """Every summary file of a sweep; best.yaml when a cell has the objective's figure;
    then the pages (summary.html, the output folder's index.html), which never fail it."""
    charts = write_charts(result, out_dir)
    write_atomic(out_dir / "summary.json", result.model_dump_json(indent=2))
    write_atomic(out_dir / "summary.md", render_summary_md(result, charts))
    write_atomic(out_dir / "summary.csv", render_summary_csv(result))
    if result.best is not None:
        write_best(result, out_dir / "best.yaml")
    write_sweep_page(out_dir)
    write_index(out_dir.parent)
