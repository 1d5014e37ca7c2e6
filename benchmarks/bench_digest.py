"""The digest against reading the same files by hand with pandas, interleaved in one process.

For each folder (the bundled examples/data, and the real corpora of tests/real_corpora when
they are here), three measurements alternate rep by rep, so load that drifts slows all alike:

- pandas:   what a user's own script does first: `pd.read_csv` / `json.loads` / read the text
            of every file the inventory lists (no statistics at all): the floor
- digest:   `ingest_folder` (inventory, every file read, identities, duplicates, cold rows,
            units, statistics), as the ingest node
- findings: the digest and `compute_findings`, as `chimera findings`

Then every real corpus held (tests/real_corpora, materialised) is measured the same way with
fewer reps (`--survey-reps`, 3), for the spread of the ratio over real folders and what it
follows: what the folder's files are.

    .venv/bin/python benchmarks/bench_digest.py [--smoke] [--reps 7] [--survey-reps 3] [--json PATH]
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


def _kinds(root: Path, paths: list[str]) -> dict[str, int]:
    """How many of the folder's files are tables (CSV, JSON, JSONL) and how many text
    (Markdown notes, logs, captures)."""
    tables = sum(Path(p).suffix.lower() in (".csv", ".json", ".jsonl") for p in paths)
    return {"tables": tables, "text": len(paths) - tables}


def survey(reps: int) -> list[dict[str, Any]]:
    """Every real corpus held, measured as `measure` does (fewer reps): the ratio's spread."""
    from benchmarks.real_corpora import corpus_root
    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder
    from chimera.ingest.inventory import scan_folder

    root = corpus_root()
    if root is None:
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        measured = measure(folder.name, folder, reps)
        paths = [f.path for f in scan_folder(folder, IngestOptions()).files]
        rows = ingest_folder(folder, IngestOptions())[1].rows_read
        out.append({**measured, **_kinds(folder, paths), "rows_read": rows})
    return out


def summarise(corpora: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The spread of digest / pandas over the real corpora, and its median by what a folder
    holds most: tables (CSV, JSON) or text (notes, logs)."""
    # a folder whose figures are all refused (a wide table that names no metric) reads
    # nothing to analyse: its ratio says nothing of the digest
    rated = sorted(
        (c for c in corpora if c.get("digest_over_pandas") and c.get("rows_read")), key=_ratio
    )
    if not rated:
        return None
    ratios = [_ratio(c) for c in rated]

    def at(share: float) -> float:
        return ratios[min(len(ratios) - 1, int(share * (len(ratios) - 1) + 0.5))]

    tables = [_ratio(c) for c in rated if c["tables"] > c["text"]]
    text = [_ratio(c) for c in rated if c["tables"] <= c["text"]]
    return {
        "corpora": len(rated),
        "unread": [c["folder"] for c in corpora if not c.get("rows_read")],
        "median": median(ratios),
        "quartiles": [at(0.25), at(0.75)],
        "lowest": {"folder": rated[0]["folder"], "ratio": ratios[0]},
        "highest": {"folder": rated[-1]["folder"], "ratio": ratios[-1]},
        "tables_median": median(tables) if tables else None,
        "tables_corpora": len(tables),
        "text_median": median(text) if text else None,
        "text_corpora": len(text),
        "within_goal": sum(r <= 2.0 for r in ratios),
        "files_per_s": sum(c["files"] for c in rated) / sum(c["median_s"]["digest"] for c in rated),
    }


def _ratio(corpus: dict[str, Any]) -> float:
    return float(corpus["digest_over_pandas"])


def run(reps: int, smoke: bool = False, survey_reps: int = 3) -> dict[str, Any]:
    before = load_average()
    folders = [measure(name, root, reps) for name, root in _folders(smoke)]
    corpora = [] if smoke or survey_reps < 1 else survey(survey_reps)
    return {
        "status": "ok",
        "smoke": smoke,
        "reps": reps,
        "survey_reps": survey_reps,
        "load_avg_before": before,
        "load_avg_after": load_average(),
        "folders": folders,
        "corpora": corpora,
        "survey": summarise(corpora),
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
    if (survey := result.get("survey")) is not None:
        low, high = survey["lowest"], survey["highest"]
        out.notes.append(
            f"every real corpus ({survey['corpora']}, {result['survey_reps']} reps each): digest"
            f" / pandas median {survey['median']:.1f}x (quartiles {survey['quartiles'][0]:.1f}x"
            f"-{survey['quartiles'][1]:.1f}x), {low['ratio']:.1f}x on {low['folder']} to"
            f" {high['ratio']:.1f}x on {high['folder']}; {survey['within_goal']} within 2x"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--survey-reps", type=int, default=3, help="reps a real corpus (0: none)")
    parser.add_argument("--smoke", action="store_true", help="examples/data only, 1 rep")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(1 if args.smoke else args.reps, smoke=args.smoke, survey_reps=args.survey_reps)
    result["command"] = " ".join(["benchmarks/bench_digest.py", *(argv or sys.argv[1:])])
    return report(result, table(result), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
