"""best.yaml: the best cell's agent config, ready for `chimera run --config best.yaml`.

The comment on top says what the cell beat and by how much: its figure with its interval,
the verdict against the base config (Holm-corrected over the sweep's comparisons) and
against the runner-up, and its flags. The YAML below it is the cell's whole config, so it
loads with `chimera.config.agent.load_agent_config` like any hand-written one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from chimera.escape import plain
from chimera.execution.runstore import write_atomic
from chimera.statistics import Summary
from chimera.sweep.results import CellSummary, SweepResult, settings_text


def _figure(s: Summary, unit: str) -> str:
    if s.mean is None:
        return "not measured"
    interval = "" if s.ci_low is None else f" [{s.ci_low:.2f}, {s.ci_high:.2f}]"
    return f"{s.mean:.2f} {unit}{interval} (n={s.n})"


def _settings(cell: CellSummary) -> str:
    return settings_text(cell.values)


def best_comment(result: SweepResult) -> list[str]:
    """The comment lines (without '# ') above best.yaml's config."""
    assert result.best is not None
    objective = result.objective
    best = result.cell(result.best)
    key, unit = objective.key, objective.unit
    better = "higher" if objective.higher_is_better else "lower"
    lines = [
        f"The best cell of sweep {result.sweep_id} for {objective.label.lower()}"
        f" ({unit}, {better} is better), from {best.measured} measured runs each.",
        f"Cell {best.label} ({_settings(best)}): {_figure(best.figures[key], unit)}.",
    ]
    base = result.cell(result.baseline)
    if best.baseline:
        lines.append("It is the base config itself: no cell of the grid beat it.")
    elif result.best_verdict is not None:
        verdict = result.best_verdict
        beat = "It beat" if verdict.outcome == "better" else "It did not measurably beat"
        lines.append(
            f"{beat} the base config ({base.label}: {_settings(base)}) at"
            f" {_figure(base.figures[key], unit)}: {verdict.verdict}."
        )
    if result.runner_up is not None and result.runner_up_verdict is not None:
        runner = result.cell(result.runner_up)
        lines.append(
            f"Runner-up {runner.label} at {_figure(runner.figures[key], unit)}:"
            f" {result.runner_up_verdict.verdict} (uncorrected)."
        )
    lines.append("Flags: " + ("; ".join(best.flags) if best.flags else "none") + ".")
    lines.append("Use it: chimera run DATA --config best.yaml")
    return [plain(line) for line in lines]


def best_yaml(result: SweepResult) -> str:
    assert result.best is not None
    config = result.plan.cell(result.best).config
    data = config.model_dump(mode="json", exclude={"source"}, exclude_none=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return "".join(f"# {line}\n" for line in best_comment(result)) + body


def write_best(result: SweepResult, path: Path) -> None:
    write_atomic(path, best_yaml(result))
