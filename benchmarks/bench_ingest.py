"""Ingest scaling: inventory and full digest of generated folders, against a bare scandir walk.

Folders of 1k, 10k and 100k files (`datagen`: CSV runs, JSON results, Markdown notes,
1-20 KB each) and one of 1k files plus a 2 GB CSV of metric rows are written to a temp dir
(deleted afterwards). Each (folder, measurement) runs in a fresh subprocess, so its peak
memory (VmHWM) is its own; inside it, the measured call and the baselines alternate on a
warm cache, so a busy machine slows all of them alike:

- walk:       `os.scandir` recursion, no stat: the floor for listing a tree
- walk+stat:  the same plus one `lstat` per file, the floor for any listing with sizes
- inventory:  `scan_folder` (walk, stat, FileEntry per artifact, sorted)
- digest:     `ingest_folder` (inventory + every file read + statistics), as the ingest node,
              with its default read-ahead workers (one per core, `chimera.ingest.digest.read_ahead`)
- digest, 1 process: the same with `workers: 1`, alternating with it: the read-ahead's gain

    .venv/bin/python benchmarks/bench_ingest.py [--smoke] [--json PATH] [--tmp DIR]
    .venv/bin/python benchmarks/bench_ingest.py --measure digest --root DIR --reps 1  (one cell)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    BENCH_DIR,
    Table,
    fmt,
    goal,
    load_average,
    median,
    peak_rss_mb,
    report,
    rss_mb,
)
from calculations import LINEAR_GROWTH_LIMIT, ingest_goals, ingest_row

GOAL_WALK_RATIO = 3.0
ONE_PROCESS = "digest, 1 process"
GOAL_PEAK_MB = 1024.0
MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    big_csv_bytes: int = 2 * 1024 * MB
    big_with_files: int = 1_000
    # Repetitions per measurement (the walks alternate with each); digests of big trees
    # take minutes, so they run once.
    inventory_reps: dict[int, int] | None = None
    digest_reps: dict[int, int] | None = None
    digest_timeout_s: float = 1500.0

    def reps(self, mode: str, files: int) -> int:
        table = (self.inventory_reps if mode == "inventory" else self.digest_reps) or {}
        return table.get(files, 1)


FULL = Settings(
    inventory_reps={1_000: 21, 10_000: 11, 100_000: 5},
    digest_reps={1_000: 3, 10_000: 1, 100_000: 1},
)
SMOKE = Settings(
    sizes=(50,), big_csv_bytes=MB, big_with_files=20, inventory_reps={50: 3}, digest_reps={50: 1}
)


# --- inside the measuring subprocess ------------------------------------------------------


def bare_walk(top: str) -> int:
    """Files under `top`: scandir recursion with an explicit stack, nothing else."""
    files = 0
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    files += 1
    return files


def walk_and_stat(top: str) -> int:
    """The bare walk plus one lstat per file: what any listing that reports sizes must do."""
    total = 0
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_size
    return total


def measure_here(mode: str, root: Path, reps: int) -> dict[str, Any]:
    """Time `mode` and both walks, alternating; report peak memory of this process."""
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest.build import ingest_folder
    from chimera.ingest.inventory import scan_folder

    options = IngestOptions()
    baseline_mb = rss_mb()  # after imports: what the interpreter and pandas cost anyway
    top = str(root)
    info: dict[str, Any] = {}

    def measured() -> None:
        if mode == "inventory":
            inventory = scan_folder(root, options)
            info.update(files=inventory.total_files, skipped=len(inventory.skipped))
        else:
            inventory, digest = ingest_folder(root, options)
            info.update(
                files=inventory.total_files,
                skipped=len(inventory.skipped),
                stats=len(digest.stats),
                tables=digest.tables_read,
                rows=digest.rows_read,
                partial=[p.model_dump() for p in digest.partial],
            )

    steps = {
        "walk": lambda: bare_walk(top),
        "walk+stat": lambda: walk_and_stat(top),
        mode: measured,
    }
    if mode == "digest":
        steps[ONE_PROCESS] = lambda: ingest_folder(root, IngestOptions(workers=1))
        # Once before the timings: a first digest pays for lazy imports and compiled
        # patterns, which would fall on whichever of the two variants came first.
        ingest_folder(root, IngestOptions(workers=1))
    bare_walk(top)
    walk_and_stat(top)  # warm the dentry and inode caches before anything is timed
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for rep in range(reps):
        order = names if rep % 2 == 0 else names[::-1]
        for name in order:
            gc.collect()  # each step starts from the same collector state
            start = time.perf_counter()
            steps[name]()
            times[name].append(time.perf_counter() - start)
    return {
        "mode": mode,
        "times_s": times,
        "peak_rss_mb": peak_rss_mb(),
        # The largest read-ahead worker's (forked: much of it shared with this process)
        "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "baseline_rss_mb": baseline_mb,
        **info,
    }


# --- the parent: trees, subprocesses, figures ---------------------------------------------


def measure_cell(mode: str, root: Path, reps: int, timeout_s: float) -> dict[str, Any]:
    """One fresh subprocess per (tree, mode): its VmHWM is that measurement's peak."""
    cmd = [
        sys.executable,
        str(BENCH_DIR / "bench_ingest.py"),
        "--measure", mode, "--root", str(root), "--reps", str(reps),
    ]  # fmt: skip
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=True)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "timed_out_s": timeout_s}
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"{mode} of {root} failed:\n{exc.stderr}") from exc
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(settings: Settings, tmp_parent: Path | None = None) -> dict[str, Any]:
    from datagen import tree_size, write_big_csv, write_tree

    load_before = load_average()
    rows: list[dict[str, Any]] = []
    generation: dict[str, float] = {}
    tmp = Path(tempfile.mkdtemp(prefix="chimera-bench-ingest-", dir=tmp_parent))
    try:
        trees: list[tuple[str, Path, int]] = []
        for files in settings.sizes:
            root = tmp / f"tree_{files}"
            start = time.perf_counter()
            write_tree(root, files)
            generation[f"{files} files"] = time.perf_counter() - start
            trees.append((f"{files:,} files", root, files))
        big = tmp / "tree_big"
        start = time.perf_counter()
        write_tree(big, settings.big_with_files, seed=7)
        write_big_csv(big / "metrics" / "gemma3_4b_metrics_full.csv", settings.big_csv_bytes)
        generation["big"] = time.perf_counter() - start
        big_label = (
            f"{settings.big_with_files:,} files + {settings.big_csv_bytes / MB / 1024:g} GB CSV"
        )
        if settings.big_csv_bytes < 1024 * MB:
            big_label = (
                f"{settings.big_with_files:,} files + {settings.big_csv_bytes / MB:g} MB CSV"
            )
        trees.append((big_label, big, settings.big_with_files + 1))
        # Flush the gigabytes just written: the kernel's writeback would otherwise run
        # during the first measurements and slow them (seen as a 2x slower 10k inventory).
        start = time.perf_counter()
        os.sync()
        generation["sync"] = time.perf_counter() - start
        for label, root, files in trees:
            size = tree_size(root).bytes
            for mode in ("inventory", "digest"):
                cell = measure_cell(
                    mode, root, settings.reps(mode, files), settings.digest_timeout_s
                )
                row = ingest_row(cell, files, size / MB, label)
                rows.append(row)
                print(
                    f"  {label} {mode}: {fmt(row.get('wall_s', float('nan')), 3)} s",
                    file=sys.stderr,
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "settings": {
            "sizes": list(settings.sizes),
            "big_csv_bytes": settings.big_csv_bytes,
            "big_with_files": settings.big_with_files,
            "mix": "50 % CSV runs, 30 % JSON results, 20 % Markdown notes; 1-20 KB log-uniform",
            "files_per_folder": 200,
            "generation_s": generation,
            "load_avg_before": load_before,
            "load_avg_after": load_average(),
        },
        "rows": rows,
        "goals": ingest_goals(
            rows,
            settings.sizes,
            settings.big_with_files + 1,
            walk_ratio=GOAL_WALK_RATIO,
            peak_mb=GOAL_PEAK_MB,
        ),
    }


def table(result: dict[str, Any]) -> Table:
    out = Table(
        title="Ingest scaling (generated folders, warm cache, medians; each cell a fresh process)",
        headers=[
            "tree",
            "measure",
            "wall s",
            "files/s",
            "MB/s",
            "us/file",
            "x walk",
            "x walk+stat",
            "peak RSS MB",
            "1 process s",
            "workers' peak MB",
        ],  # fmt: skip
    )
    for r in result["rows"]:
        if "timed_out_s" in r:
            out.rows.append([r["tree"], r["mode"], f"> {r['timed_out_s']:g}", *["-"] * 8])
            continue
        out.rows.append(
            [
                r["tree"],
                r["mode"],
                fmt(r["wall_s"], 3),
                fmt(r["files_per_s"], 0),
                fmt(r["mb_per_s"], 1),
                fmt(r["us_per_file"], 1),
                fmt(r["ratio_to_walk"], 1),
                fmt(r["ratio_to_walk_stat"], 2),
                fmt(r["peak_rss_mb"], 0),
                fmt(r["one_process_s"], 3) if "one_process_s" in r else "-",
                fmt(r["workers_peak_rss_mb"], 0) if r.get("workers_peak_rss_mb") else "-",
            ]
        )
    walks = [r for r in result["rows"] if r.get("mode") == "inventory" and "walk_s" in r]
    if walks:
        out.notes.append(
            "bare walk us/file: "
            + ", ".join(f"{r['tree']} {r['walk_s'] / r['files'] * 1e6:.2f}" for r in walks)
            + "; walk+stat: "
            + ", ".join(f"{r['walk_stat_s'] / r['files'] * 1e6:.2f}" for r in walks)
        )
    ahead = [r for r in result["rows"] if "one_process_s" in r]
    if ahead:
        out.notes.append(
            "read-ahead: the digest with its default workers against `workers: 1`, "
            "alternating: "
            + ", ".join(f"{r['tree']} {r['one_process_s'] / r['wall_s']:.2f}x" for r in ahead)
        )
    baseline = [r["baseline_rss_mb"] for r in result["rows"] if "baseline_rss_mb" in r]
    if baseline:
        out.notes.append(f"RSS after imports (before any work): {median(baseline):.0f} MB")
    for key, g in result["goals"].items():
        if "measured_ratio" in g:
            text = (
                f"{g['measured_ratio']:.1f}x walk ({g['measured_ratio_to_walk_stat']:.2f}x "
                f"walk+stat), target <= {g['target_ratio']:g}x walk"
            )
        elif "measured_mb" in g:
            text = f"peak {g['measured_mb']:.0f} MB, target < {g['target_mb']:g} MB"
        elif "files_per_s" in g:
            text = (
                "files/s "
                + ", ".join(f"{int(k):,}: {v:,.0f}" for k, v in g["files_per_s"].items())
                + f", target >= {g['target_files_per_s']:,.0f} at every size"
            )
        else:
            text = (
                "fastest us/file "
                + ", ".join(f"{int(k):,}: {v:.1f}" for k, v in g["us_per_file_min"].items())
                + f" (x{g['growth_smallest_to_largest']:.2f} smallest to largest,"
                + f" <= {LINEAR_GROWTH_LIMIT:g}); "
                + "median "
                + ", ".join(f"{v:.1f}" for v in g["us_per_file"].values())
            )
        out.notes.append(f"goal {key}: {text} ({goal(g['met'])})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="50 files and a 1 MB CSV")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--tmp", type=Path, default=None, help="where to generate the trees")
    parser.add_argument("--measure", choices=("inventory", "digest"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the child side of `measure_cell`
        print(json.dumps(measure_here(args.measure, args.root, args.reps)))
        return 0
    result = run(SMOKE if args.smoke else FULL, args.tmp)
    return report(result, table(result), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
