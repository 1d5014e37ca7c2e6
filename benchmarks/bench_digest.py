"""The digest against reading the same files by hand with pandas, interleaved in one process.

For each folder (the bundled examples/data, and the real corpora of tests/real_corpora when
they are here), three measurements alternate rep by rep, so load that drifts slows all alike:

- pandas:   what a user's own script does first: `pd.read_csv` / `json.loads` / read the text
            of every file the inventory lists (no statistics at all): the floor
- digest:   `ingest_folder` (inventory, every file read, identities, duplicates, cold rows,
            units, statistics), as the ingest node
- findings: the digest and `compute_findings`, as `chimera findings`

    .venv/bin/python benchmarks/bench_digest.py [--smoke] [--reps 7] [--json PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from _common import EXAMPLE_DATA, REPO, Table, fmt, load_average, median, report

sys.path.insert(0, str(REPO))


def _folders(smoke: bool) -> list[tuple[str, Path]]:
    from benchmarks.real_corpora import corpus_root

    folders = [("examples/data", EXAMPLE_DATA)]
    root = None if smoke else corpus_root()
    for name in ("chimeraforge-reports", "ollama-dambergn-verbose-six-machines"):
        if root is not None and (root / name).is_dir():
            folders.append((name, root / name))
    return folders


def _by_hand(root: Path, paths: list[str]) -> int:
    import pandas as pd

    rows = 0
    for rel in paths:
        path = root / rel
        try:
            if path.suffix == ".csv":
                rows += len(pd.read_csv(path))
            elif path.suffix in (".json", ".jsonl"):
                text = path.read_text(encoding="utf-8", errors="replace")
                if path.suffix == ".json":
                    rows += len(json.loads(text) or [])
                else:
                    rows += sum(1 for line in text.splitlines() if line.strip())
            else:
                rows += len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        except Exception:  # a user's loop skips what it cannot read
            continue
    return rows


def measure(name: str, root: Path, reps: int) -> dict[str, Any]:
    from chimera.config.agent import IngestOptions
    from chimera.findings.compute import compute_findings
    from chimera.ingest.digest import ingest_folder
    from chimera.ingest.inventory import scan_folder

    paths = [f.path for f in scan_folder(root, IngestOptions()).files]
    times: dict[str, list[float]] = {"pandas": [], "digest": [], "findings": []}

    def pandas_side() -> None:
        _by_hand(root, paths)

    def digest_side() -> None:
        ingest_folder(root, IngestOptions())

    def findings_side() -> None:
        compute_findings(ingest_folder(root, IngestOptions())[1])

    sides = {"pandas": pandas_side, "digest": digest_side, "findings": findings_side}
    for side in sides.values():  # warm the caches and the imports once
        side()
    for rep in range(reps):
        order = list(sides) if rep % 2 == 0 else list(reversed(sides))
        for label in order:
            gc.collect()
            started = time.perf_counter()
            sides[label]()
            times[label].append(time.perf_counter() - started)
    pandas_s = median(times["pandas"])
    return {
        "folder": name,
        "files": len(paths),
        "median_s": {label: median(values) for label, values in times.items()},
        "digest_over_pandas": median(times["digest"]) / pandas_s if pandas_s else None,
        "findings_over_pandas": median(times["findings"]) / pandas_s if pandas_s else None,
        "digest_files_per_s": len(paths) / median(times["digest"]),
    }


def run(reps: int, smoke: bool = False) -> dict[str, Any]:
    before = load_average()
    folders = [measure(name, root, reps) for name, root in _folders(smoke)]
    return {
        "status": "ok",
        "smoke": smoke,
        "reps": reps,
        "load_avg_before": before,
        "load_avg_after": load_average(),
        "folders": folders,
    }


def table(result: dict[str, Any]) -> Table:
    out = Table(
        "Digest against a hand-written pandas read of the same files (medians, interleaved)",
        ["folder", "files", "pandas s", "digest s", "digest + findings s", "digest / pandas",
         "files/s (digest)"],
    )  # fmt: skip
    for f in result["folders"]:
        m = f["median_s"]
        out.rows.append(
            [f["folder"], str(f["files"]), fmt(m["pandas"], 3), fmt(m["digest"], 3),
             fmt(m["findings"], 3), f"{fmt(f['digest_over_pandas'], 1)}x",
             fmt(f["digest_files_per_s"], 0)]
        )  # fmt: skip
    before, after = result["load_avg_before"][0], result["load_avg_after"][0]
    out.notes.append(f"{result['reps']} reps each; load average {before:.2f} -> {after:.2f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="examples/data only, 1 rep")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(1 if args.smoke else args.reps, smoke=args.smoke)
    result["command"] = " ".join(["benchmarks/bench_digest.py", *(argv or sys.argv[1:])])
    return report(result, table(result), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
