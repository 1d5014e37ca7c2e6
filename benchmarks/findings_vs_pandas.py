"""Chimera's computed findings against a hand computation with pandas, side by side.

Two folders: the bundled example data, and a generated one where three models share config
names with different speeds (where averaging over models reverses the conclusion). For each
question a performance engineer would ask, the pandas answer (computed here from the CSV
rows, without Chimera) and the sentence Chimera's finding states, and whether they agree.

    .venv/bin/python benchmarks/findings_vs_pandas.py            # print the tables
    .venv/bin/python benchmarks/findings_vs_pandas.py --write-docs  # docs/findings-vs-pandas.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.findings.finding import Finding
from chimera.findings.highlights import first_sentence
from chimera.ingest.digest import ingest_folder

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
DOC = REPO / "docs" / "findings-vs-pandas.md"


@dataclass(frozen=True)
class Row:
    question: str
    pandas: str
    chimera: str
    agrees: bool


def _finding(findings: list[Finding], kind: str, title: str) -> Finding | None:
    return next((f for f in findings if f.kind == kind and f.title == title), None)


def _sentence(f: Finding | None) -> str:
    return first_sentence(f.text) if f else "(no finding)"  # as the highlights show it


def example_rows() -> list[Row]:
    _, digest = ingest_folder(EXAMPLE, IngestOptions())
    findings = compute_findings(digest)
    rows: list[Row] = []
    for tag in ("270m", "1b-it-qat", "4b"):
        model = f"gemma3:{tag}"
        frame = pd.read_csv(EXAMPLE / "reports" / "gemma3" / f"gemma3_{tag}_param_tuning.csv")
        frame = frame[frame["error"].isna()]
        by_ctx = frame[frame["num_gpu"] == 80].groupby("num_ctx")["tokens_s"].mean()
        effect = _finding(findings, "setting_effect", f"num_ctx on {model}")
        expected = f"{by_ctx[2048]:.2f} tok/s against {by_ctx[8192]:.2f} tok/s"
        rows.append(
            Row(
                f"{model}: num_ctx 2048 vs 8192 (num_gpu=80)",
                f"{by_ctx[2048]:.2f} vs {by_ctx[8192]:.2f} tok/s: 8192 slower",
                _sentence(effect),
                effect is not None and expected in effect.text,
            )
        )
        by_gpu = frame[frame["num_ctx"] == 2048].groupby("num_gpu")["tokens_s"].mean()
        gpu = _finding(findings, "setting_effect", f"num_gpu on {model}")
        listed = [f"{by_gpu[g]:.2f} tok/s at num_gpu={g}" for g in sorted(by_gpu.index)]
        rows.append(
            Row(
                f"{model}: num_gpu 0 / 40 / 80 (num_ctx=2048)",
                ", ".join(f"{by_gpu[g]:.2f}" for g in sorted(by_gpu.index)) + " tok/s",
                _sentence(gpu),
                gpu is not None and all(item in gpu.text for item in listed),
            )
        )
        configs = frame.groupby("config_name")["tokens_s"].mean().sort_values()
        if tag == "1b-it-qat":
            sweep = pd.read_csv(
                EXAMPLE / "reports" / "gemma3" / f"gemma3_{tag}_temperature_sweep.csv"
            )
            configs = (
                pd.concat([frame, sweep]).groupby("config_name")["tokens_s"].mean().sort_values()
            )
        best = _finding(findings, "best_config", f"best config for {model}")
        rows.append(
            Row(
                f"{model}: fastest config",
                f"{configs.index[-1]} at {configs.iloc[-1]:.2f} tok/s",
                _sentence(best),
                best is not None
                and f"is {configs.index[-1]} " in best.text
                and f"{configs.iloc[-1]:.2f} tok/s" in best.text,
            )
        )
    return rows


def shared_names_rows() -> list[Row]:
    """Three models share config names; pooled over models, "a" looks best, per model "b"."""
    rng = np.random.default_rng(3)
    speeds = {"alpha:1b": (300.0, 320.0), "beta:1b": (100.0, 110.0), "gamma:1b": (80.0, 20.0)}
    rows_out = []
    for model, (a, b) in speeds.items():
        for config, mean, ctx in (("a", a, 2048), ("b", b, 4096)):
            for value in rng.normal(mean, mean * 0.01, 3):
                rows_out.append(
                    {"model": model, "config_name": config, "num_ctx": ctx, "tokens_s": value}
                )
    frame = pd.DataFrame(rows_out)
    with tempfile.TemporaryDirectory() as folder:
        frame.to_csv(Path(folder) / "runs.csv", index=False)
        _, digest = ingest_folder(Path(folder), IngestOptions())
        findings = compute_findings(digest)
    pooled = frame.groupby("config_name")["tokens_s"].mean()
    rows = [
        Row(
            "pooled over the three models (what the old highlights said)",
            f"a {pooled['a']:.2f} vs b {pooled['b']:.2f} tok/s",
            "no finding pools models: "
            + (
                "none states a pooled mean"
                if not any(f"{v:.2f}" in f.text for f in findings for v in pooled.values)
                else "A POOLED MEAN IS STATED"
            ),
            not any(f"{v:.2f}" in f.text for f in findings for v in pooled.values),
        )
    ]
    for model in speeds:
        means = frame[frame["model"] == model].groupby("config_name")["tokens_s"].mean()
        best = _finding(findings, "best_config", f"best config for {model}")
        rows.append(
            Row(
                f"{model}: fastest config",
                f"{means.idxmax()} at {means.max():.2f} tok/s",
                _sentence(best),
                best is not None and f"is {means.idxmax()} " in best.text,
            )
        )
    return rows


def _table(rows: list[Row]) -> str:
    lines = ["| Question | pandas | Chimera's finding | Agree |", "|---|---|---|---|"]
    for r in rows:
        cells = [r.question, r.pandas, r.chimera.replace("|", "/"), "yes" if r.agrees else "NO"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help=f"write {DOC.relative_to(REPO)}")
    args = parser.parse_args()
    example, shared = example_rows(), shared_names_rows()
    body = (
        "# Chimera's findings against a hand computation with pandas\n\n"
        "Made by `.venv/bin/python benchmarks/findings_vs_pandas.py --write-docs`: each pandas "
        "figure is computed in that script from the CSV rows alone, each Chimera sentence is "
        "the first sentence of the finding `chimera run` reports.\n\n"
        "## The bundled example data\n\n" + _table(example) + "\n\n"
        "## Three models sharing config names\n\n"
        "Generated: configs `a` (num_ctx=2048) and `b` (num_ctx=4096) on three models, 3 runs "
        "each. Pooled over the models, one config wins; per model the other wins on two of "
        "the three. Chimera compares configs only within a model.\n\n" + _table(shared) + "\n"
    )
    print(body)
    if args.write_docs:
        DOC.write_text(body, encoding="utf-8")
    return 0 if all(r.agrees for r in [*example, *shared]) else 1


if __name__ == "__main__":
    sys.exit(main())
