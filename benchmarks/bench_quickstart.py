"""The quick start on the embedded model, and `chimera findings`, timed as a user runs them.

1. `chimera run examples/data` (the bundled embedded Gemma 3 270M) as a whole process, A/B
   interleaved against an older checkout's `chimera` (`--baseline PATH`): A B, B A, ... so
   a machine whose load drifts slows both alike. Per run: the wall time, the load average
   before and after, and from its run.json the node times, each writer call's prompt
   evaluation (tokens read and ms), the sections' authors and the computed findings, to
   show both sides computed the same ones.
2. `chimera findings examples/data` against `python -c pass` (interpreter start) and
   `python -c "import chimera.cli, chimera.execution.data_findings"` (start + imports),
   interleaved: the share of the command that is start-up and imports; and one
   `python -X importtime` of the command, summed by top-level package.

    .venv/bin/python benchmarks/bench_quickstart.py [--runs N] [--baseline CHIMERA] [--json PATH]
    .venv/bin/python benchmarks/bench_quickstart.py --smoke   # fake backend, one run, < 1 min

`--smoke` runs the quick start on the fake backend (no model): it checks that the benchmark
runs, not how fast anything is.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import EXAMPLE_DATA, REPO, Table, fmt, load_average, median, report

CHIMERA = Path(sys.executable).with_name("chimera")
FINDINGS_IMPORTS = "import chimera.cli, chimera.execution.data_findings"
FAKE_CONFIG = "name: Smoke Fake\nbackend: fake\nmodel: fake\n"


def timed(cmd: list[str], cwd: Path = REPO) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=3600)
    return time.perf_counter() - start, done


def writer_prompt_evals(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "prompt_tokens_read": c.get("prompt_eval_count"),
            "prompt_eval_ms": c.get("prompt_eval_duration_ms"),
            "tokens": c.get("eval_count"),
            "wall_ms": c.get("wall_ms"),
        }
        for c in calls
        if c.get("node") == "writer"
    ]


def one_run(side: str, chimera: str, out: Path, config: Path | None) -> dict[str, Any]:
    """One whole `chimera run examples/data` process and what its run.json records."""
    cmd = [chimera, "run", str(EXAMPLE_DATA), "--out", str(out)]
    if config is not None:
        cmd += ["--config", str(config)]
    before = load_average()
    wall, done = timed(cmd)
    row: dict[str, Any] = {
        "side": side,
        "wall_s": wall,
        "exit_code": done.returncode,
        "load_avg_before": before,
        "load_avg_after": load_average(),
    }
    if done.returncode != 0:
        row["error"] = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return row
    run_json = Path(done.stdout.strip().splitlines()[-1]).with_name("run.json")
    if not run_json.is_absolute():
        run_json = REPO / run_json
    run = json.loads(run_json.read_text(encoding="utf-8"))
    writer = writer_prompt_evals(run.get("llm_calls", []))
    first = writer[0]["prompt_eval_ms"] if writer else None
    later = [w["prompt_eval_ms"] for w in writer[1:] if w["prompt_eval_ms"] is not None]
    row.update(
        {
            "run_wall_s": run.get("wall_s"),
            "node_timings": run.get("node_timings", {}),
            "calls": len(run.get("llm_calls", [])),
            "writer_calls": writer,
            "later_writer_prompt_pct_of_first": ([100 * v / first for v in later] if first else []),
            "tokens_generated": run.get("metrics", {}).get("tokens_generated"),
            "findings": [[f["id"], f["text"]] for f in run.get("findings", [])],
            "sections": [[s["title"], s["author"]] for s in run.get("sections", [])],
            "model_share": run.get("quality", {}).get("model_share"),
            "host_load": run.get("host_load"),
        }
    )
    return row


def quickstart(runs: int, baseline: str | None, config: Path | None) -> dict[str, Any]:
    sides = [("new", str(CHIMERA))] + ([("old", baseline)] if baseline else [])
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="chimera-quickstart-") as tmp:
        for rep in range(runs):
            order = sides if rep % 2 == 0 else list(reversed(sides))
            for side, chimera in order:
                row = one_run(side, chimera, Path(tmp) / side, config)
                row["repetition"] = rep + 1
                rows.append(row)
                print(
                    f"  run {rep + 1}/{runs} {side}: {row['wall_s']:.1f} s, load"
                    f" {row['load_avg_before'][0]:.2f} -> {row['load_avg_after'][0]:.2f}",
                    file=sys.stderr,
                    flush=True,
                )
    summary: dict[str, Any] = {}
    for side, _ in sides:
        ok = [r for r in rows if r["side"] == side and r["exit_code"] == 0]
        later = [p for r in ok for p in r["later_writer_prompt_pct_of_first"]]
        summary[side] = {
            "runs": len(ok),
            "wall_s_median": median([r["wall_s"] for r in ok]),
            "wall_s_min": min((r["wall_s"] for r in ok), default=None),
            "wall_s_max": max((r["wall_s"] for r in ok), default=None),
            "writer_calls_median": median([len(r["writer_calls"]) for r in ok]),
            "later_writer_prompt_pct_median": median(later) if later else None,
            "later_writer_prompt_pct_max": max(later) if later else None,
            "load_avg_1m": [r["load_avg_before"][0] for r in ok]
            + [r["load_avg_after"][0] for r in ok],
        }
    news = [r for r in rows if r["side"] == "new"]
    olds = [r for r in rows if r["side"] == "old"]
    pairs = [
        (a["wall_s"], b["wall_s"])
        for a, b in zip(news, olds, strict=False)  # no baseline: no pairs
        if a["exit_code"] == 0 and b["exit_code"] == 0
    ]
    findings = {json.dumps(r.get("findings")) for r in rows if r["exit_code"] == 0}
    return {
        "runs": runs,
        "baseline": baseline,
        "config": str(config) if config else "the default (embedded Gemma 3 270M)",
        "rows": rows,
        "summary": summary,
        "ratio_new_over_old_median": median([a / b for a, b in pairs]) if pairs else None,
        "same_findings": len(findings) == 1,
    }


def findings_cli(runs: int) -> dict[str, Any]:
    """`chimera findings` against interpreter start and its imports, interleaved."""
    commands = {
        "start": [sys.executable, "-c", "pass"],
        "imports": [sys.executable, "-c", FINDINGS_IMPORTS],
        "findings": [str(CHIMERA), "findings", str(EXAMPLE_DATA)],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    before = load_average()
    for _ in range(runs):
        for name, cmd in commands.items():
            wall, done = timed(cmd)
            if done.returncode != 0:
                raise RuntimeError(f"{name} failed: {done.stderr.strip()[-500:]}")
            walls[name].append(wall)
    medians = {name: median(values) for name, values in walls.items()}
    whole = medians["findings"]
    profile = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chimera", "findings", str(EXAMPLE_DATA)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    ).stderr
    return {
        "runs": runs,
        "wall_s": walls,
        "median_s": medians,
        "start_share_pct": 100 * medians["start"] / whole,
        "imports_share_pct": 100 * (medians["imports"] - medians["start"]) / whole,
        "work_share_pct": 100 * (whole - medians["imports"]) / whole,
        "import_ms_by_package": import_costs(profile),
        "load_avg_before": before,
        "load_avg_after": load_average(),
    }


def import_costs(importtime: str, top: int = 8) -> dict[str, float]:
    """`-X importtime` self times summed by top-level package, ms, the largest first."""
    costs: Counter[str] = Counter()
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        costs[name.strip().split(".")[0]] += int(self_us)
    return {name: us / 1000 for name, us in costs.most_common(top)}


def table(result: dict[str, Any]) -> Table:
    q, f = result["quickstart"], result["findings_cli"]
    out = Table(
        "Quick start (chimera run examples/data) and chimera findings",
        ["measure", "new", "old"],
    )
    new, old = q["summary"]["new"], q["summary"].get("old", {})

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f} %"

    later_median = "later_writer_prompt_pct_median"
    out.rows += [
        ["runs", str(new["runs"]), str(old.get("runs", "-"))],
        ["wall s (median)", fmt(new["wall_s_median"]), fmt(old.get("wall_s_median"))],
        ["writer calls (median)", fmt(new["writer_calls_median"], 0),
         fmt(old.get("writer_calls_median"), 0)],
        ["later writer prompt eval, % of the first (median)",
         pct(new[later_median]), pct(old.get(later_median))],
        ["later writer prompt eval, % of the first (max)",
         pct(new["later_writer_prompt_pct_max"]), pct(old.get("later_writer_prompt_pct_max"))],
    ]  # fmt: skip
    out.notes += [
        f"new/old wall (median of pairs): {fmt(q['ratio_new_over_old_median'], 3)};"
        f" same findings on every run: {q['same_findings']}",
        f"chimera findings: {fmt(f['median_s']['findings'], 3)} s; interpreter start"
        f" {pct(f['start_share_pct'])}, imports {pct(f['imports_share_pct'])}, the work"
        f" {pct(f['work_share_pct'])}",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="fake backend, one run")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3, help="quick starts per side")
    parser.add_argument("--baseline", default=None, help="an older checkout's chimera command")
    parser.add_argument(
        "--baseline-label", default=None, help="what the baseline is, e.g. its commit"
    )
    parser.add_argument("--findings-runs", type=int, default=10)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    config = None
    with tempfile.TemporaryDirectory(prefix="chimera-bench-") as tmp:
        if args.smoke:
            config = Path(tmp) / "fake.yaml"
            config.write_text(FAKE_CONFIG, encoding="utf-8")
        runs = 1 if args.smoke else args.runs
        result: dict[str, Any] = {
            "command": "benchmarks/bench_quickstart.py"
            + "".join(f" {a}" for a in (sys.argv[1:] if argv is None else argv)),
            "smoke": args.smoke,
            "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "baseline_label": args.baseline_label,
            "quickstart": quickstart(runs, None if args.smoke else args.baseline, config),
            "findings_cli": findings_cli(2 if args.smoke else args.findings_runs),
        }
    result["took_s"] = time.perf_counter() - started
    return report(result, table(result), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
