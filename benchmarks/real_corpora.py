"""The real-corpora suite: Chimera's digest and findings against truths written by hand.

    python -m benchmarks.real_corpora materialise [--mirror /work/.mirror] [--into DIR]
    python -m benchmarks.real_corpora check [--root DIR] [--write docs/real-corpora.md] [CORPUS ...]

`materialise` copies every file `tests/real_corpora/sources/*.yaml` names out of the fetched
snapshots (`git show COMMIT:PATH` in the mirror's git directories), checking its size and
SHA-256. `check` runs the ingest and the computed findings (no model) on each corpus and
holds them against `tests/real_corpora/truths/<corpus>.yaml`:

- every file that holds results is analysed, or listed with the reason (skipped, unread,
  counted once as a duplicate, failed rows only, no recognised metric column);
- no machine of Chimera's holds files of two machines the truths tell apart (pooled), and
  how many of the truths' machines Chimera recognised;
- the truths' duplicates are found; cold rows per file against the truths' count;
- each figure of the truths is reproduced by a statistic of the digest (same metric, a
  group drawn only from the figure's files, value within 0.5 %) or a finding's figure.

The corpus root is `--root`, else `$CHIMERA_CORPORA`, else `../shared/real-corpora` beside
the repository (the steering repository's shared folder: fetched data files are kept there
and committed nowhere).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "tests" / "real_corpora"
SHARED = REPO.parent / "shared" / "real-corpora"
TOLERANCE = 0.005
_RESULT_HOLDS = ("runs", "summary", "runs+summary")


def corpus_root(given: str | None = None) -> Path | None:
    """Where the corpora are: the argument, $CHIMERA_CORPORA, else ../shared/real-corpora."""
    for candidate in (
        given,
        os.environ.get("CHIMERA_CORPORA"),
        str(SHARED),
    ):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def corpora() -> list[str]:
    """The corpora with truths, by name."""
    return sorted(p.stem for p in (SUITE / "truths").glob("*.yaml"))


def truths(corpus: str) -> dict[str, Any]:
    data = yaml.safe_load((SUITE / "truths" / f"{corpus}.yaml").read_text())
    claims = data.get("claims") or {}
    # YAML reads an unquoted `true:` key as the boolean True.
    data["claims"] = {
        "true": claims.get("true", claims.get(True, [])) or [],
        "false": claims.get("false", claims.get(False, [])) or [],
    }
    return data


# --- materialise ----------------------------------------------------------------------------


def _git_dir(mirror: Path, repository: str) -> Path | None:
    base = mirror / repository.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo"):
        if (candidate / "HEAD").exists():
            return candidate
    return None


def materialise(mirror: Path, into: Path) -> int:
    problems = 0
    for sources in sorted((SUITE / "sources").glob("*.yaml")):
        spec = yaml.safe_load(sources.read_text())
        for item in spec["files"]:
            dest = into / spec["corpus"] / item["path"]
            if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == item["sha256"]:
                continue
            git = _git_dir(mirror, item["repository"])
            if git is None:
                print(f"missing snapshot: {item['repository']} (fetch it first)", file=sys.stderr)
                problems += 1
                continue
            data = subprocess.run(
                ["git", f"--git-dir={git}", "show", f"{item['commit']}:{item['source']}"],
                capture_output=True,
                check=False,
            ).stdout
            if hashlib.sha256(data).hexdigest() != item["sha256"]:
                print(f"checksum differs: {item['repository']}:{item['source']}", file=sys.stderr)
                problems += 1
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    return problems


# --- check ----------------------------------------------------------------------------------


@dataclass
class Tally:
    corpus: str
    files: int = 0
    result_files: int = 0
    analysed: int = 0
    listed: dict[str, int] = field(default_factory=dict)  # reason kind -> files
    unread_silently: list[str] = field(default_factory=list)
    machines_truth: int = 0
    machines_found: int = 0
    pooled: list[str] = field(default_factory=list)  # Chimera machines holding 2 true ones
    duplicates_expected: int = 0
    duplicates_found: int = 0
    cold_expected: int = 0
    cold_found: int = 0
    figures: int = 0
    reproduced: int = 0
    not_reproduced: list[str] = field(default_factory=list)
    missed_duplicates: list[str] = field(default_factory=list)
    cold_mismatch: list[str] = field(default_factory=list)
    findings: int = 0
    crash: str | None = None
    seconds: float = 0.0


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(TOLERANCE * max(abs(a), abs(b)), 0.006)


def _reproduced(fig: dict[str, Any], digest: Any, findings: list[Any]) -> bool:
    files = set(fig.get("files") or [])
    for d in digest.duplicates:  # a byte-identical copy stands for its original
        if d.identical and (d.path in files or d.of in files):
            files |= {d.path, d.of}
    statistic = fig.get("statistic")
    value = float(fig["value"])
    for s in digest.stats:
        if s.metric != fig.get("metric") or (files and not set(s.sources) <= files):
            continue
        if statistic == "n":
            candidates = [s.n, s.runs]
        elif statistic == "as_reported":
            candidates = [s.mean] if s.n == 1 else []
        elif statistic in ("mean", "median", "min", "max", "std"):
            candidates = [getattr(s, statistic)]
            if s.aggregate == statistic and s.n == 1:
                candidates.append(s.mean)
        elif statistic in ("p95", "p99"):
            candidates = [s.p95] if statistic == "p95" else []
            if s.aggregate == statistic and s.n == 1:
                candidates.append(s.mean)
        else:
            candidates = []
        if any(c is not None and _close(float(c), value) for c in candidates):
            return True
    ratio = fig.get("unit") in _RATIO_UNITS
    for finding in findings:
        for known in finding.values:
            if known.unit in ("%", "x") and not ratio:
                continue  # a share or ratio (+1018 %, an interval's bound) is no rate
            if known.metric == fig.get("metric") and _close(known.value, value):
                return True
    return False


_RATIO_UNITS = frozenset({"ratio", "x", "%", "pct"})


def check_corpus(root: Path, corpus: str) -> Tally:
    from chimera.config.agent import IngestOptions
    from chimera.findings.compute import compute_findings
    from chimera.ingest.digest import ingest_folder, render_digest

    truth = truths(corpus)
    tally = Tally(corpus)
    folder = root / corpus
    started = time.perf_counter()
    try:
        inventory, digest = ingest_folder(folder, IngestOptions())
        render_digest(digest, None)
        found = compute_findings(digest)
    except Exception as exc:  # the suite's point is to see crashes, not to stop on one
        tally.crash = f"{type(exc).__name__}: {exc}"
        return tally
    tally.seconds = time.perf_counter() - started
    tally.findings = len(found)
    analysed = {src for s in digest.stats for src in s.sources}
    per_run_sources = {src for s in digest.stats if s.aggregate is None for src in s.sources}
    aggregated_only = analysed - per_run_sources
    reasons: dict[str, str] = {}
    for s in [*inventory.skipped, *digest.skipped]:  # (the walk's: formats with no reader)
        reasons.setdefault(s.path, "skipped")
    for u in digest.unread:
        reasons.setdefault(u.path, "unread")
    for d in digest.duplicates:
        reasons.setdefault(d.path, "duplicate")
    for e in digest.error_rows:
        reasons.setdefault(e.path, "failed rows only")
    for path in digest.tables_without_metrics:
        reasons.setdefault(path, "no recognised metric")
    for c in digest.cold_rows:  # a warm-up run's own file: read, its rows set apart and listed
        if c.rows and c.rows == c.of_rows and not c.every_row_loaded:
            reasons.setdefault(c.path, "cold rows only")
    scope_of: dict[str, set[str | None]] = defaultdict(set)
    for s in digest.stats:
        for src in s.sources:
            scope_of[src].add(s.machine)
    true_machines: dict[str | None, set[str]] = defaultdict(set)
    expected_cold: dict[str, int] = {}
    for path, info in truth["files"].items():
        tally.files += 1
        if info.get("holds") in _RESULT_HOLDS:
            tally.result_files += 1
            if path in analysed:
                tally.analysed += 1
            elif path in reasons:
                tally.listed[reasons[path]] = tally.listed.get(reasons[path], 0) + 1
            else:
                tally.unread_silently.append(path)
        machine = info.get("machine")
        if machine and path in scope_of:
            for found_machine in scope_of[path]:
                true_machines[found_machine].add(machine)
        # A copy of nothing Chimera reads is moot, and so is a copy Chimera lists as not read
        # (bench.edn beside bench.json): neither can have its runs counted twice.
        moot = (path not in analysed and info.get("duplicate_of") not in analysed) or (
            reasons.get(path) == "skipped" and path not in analysed
        )
        if info.get("duplicate_of") and not moot:
            tally.duplicates_expected += 1
            pairs = {(d.path, d.of) for d in digest.duplicates}
            # Counted once: listed as repeating the other file, or its figures kept apart as
            # already aggregated (a summary of the same runs is never pooled with them).
            kept_apart = path in aggregated_only
            if (
                (path, info["duplicate_of"]) in pairs
                or (info["duplicate_of"], path) in pairs
                or kept_apart
                or path in {d.path for d in digest.duplicates}
            ):
                tally.duplicates_found += 1
            else:
                tally.missed_duplicates.append(f"{path} repeats {info['duplicate_of']}")
        expected_cold[path] = int(info.get("cold_rows") or 0)
    # Rows that loaded the model, per file read: a byte-identical copy is read as one file
    # (whichever came first), and a partial copy's repeated rows are not read again.
    identical = {d.path: d.of for d in digest.duplicates if d.identical}
    for copy, original in identical.items():
        if copy in expected_cold and original in expected_cold:
            expected_cold[original] = max(expected_cold[original], expected_cold.pop(copy))
    repeated_files = {d.path for d in digest.duplicates if not d.identical and d.rows}
    # A copy listed as not read (bench.edn beside bench.json) is read as nothing: its rows
    # that loaded the model are its original's.
    repeated_files |= {
        path
        for path, info in truth["files"].items()
        if info.get("duplicate_of") and reasons.get(path) == "skipped" and path not in analysed
    }
    found_cold: dict[str, int] = defaultdict(int)
    for c in digest.cold_rows:
        found_cold[c.path] += c.of_rows if c.every_row_loaded else c.rows
    for path in sorted(set(expected_cold) | set(found_cold)):
        expected = 0 if path in repeated_files else expected_cold.get(path, 0)
        tally.cold_expected += expected
        tally.cold_found += found_cold.get(path, 0)
        if found_cold.get(path, 0) != expected:
            tally.cold_mismatch.append(
                f"{path}: cold rows {found_cold.get(path, 0)}, truth {expected}"
            )
    tally.machines_truth = len(
        {i.get("machine") for i in truth["files"].values() if i.get("machine")}
    )
    tally.machines_found = len({m for m in digest.machines if m is not None})
    tally.pooled = sorted(
        f"{m or 'machine not stated'} holds {', '.join(sorted(ts))}"
        for m, ts in true_machines.items()
        if len(ts) > 1
    )
    for fig in truth.get("figures") or []:
        tally.figures += 1
        if _reproduced(fig, digest, found):
            tally.reproduced += 1
        else:
            tally.not_reproduced.append(f"{fig['id']}: {fig.get('what')} = {fig['value']}")
    return tally


def _row(t: Tally) -> str:
    if t.crash:
        return f"| {t.corpus} | CRASH: {t.crash} |" + " |" * 7
    listed = ", ".join(f"{n} {k}" for k, n in sorted(t.listed.items())) or "0"
    return (
        f"| {t.corpus} | {t.result_files} | {t.analysed} | {listed} | "
        f"{len(t.unread_silently)} | {t.machines_found} / {t.machines_truth} | {len(t.pooled)} | "
        f"{t.duplicates_found} / {t.duplicates_expected} | {t.cold_found} / {t.cold_expected} | "
        f"{t.reproduced} / {t.figures} | {t.findings} |"
    )


HEADER = (
    "| corpus | result files | analysed | listed with a reason | unread, no reason | "
    "machines (found / true) | machines pooled | duplicates (found / true) | "
    "cold rows (found / true) | figures reproduced | findings |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real_corpora")
    sub = parser.add_subparsers(dest="command", required=True)
    mat = sub.add_parser("materialise")
    mat.add_argument("--mirror", default="/work/.mirror")
    mat.add_argument("--into", default=None)
    chk = sub.add_parser("check")
    chk.add_argument("--root", default=None)
    chk.add_argument("--write", default=None, help="write the tally table to this Markdown file")
    chk.add_argument("-v", "--verbose", action="store_true")
    chk.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.command == "materialise":
        into = Path(args.into) if args.into else (corpus_root() or SHARED)
        return 1 if materialise(Path(args.mirror), into) else 0
    root = corpus_root(args.root)
    if root is None:
        print(
            "no corpus root: run `python -m benchmarks.real_corpora materialise`", file=sys.stderr
        )
        return 2
    tallies = [check_corpus(root, name) for name in (args.names or corpora())]
    print(HEADER)
    for t in tallies:
        print(_row(t))
    if args.verbose:
        for t in tallies:
            for line in (
                *t.unread_silently,
                *t.pooled,
                *t.missed_duplicates,
                *t.cold_mismatch,
                *t.not_reproduced,
            ):
                print(f"  {t.corpus}: {line}")
    if args.write:
        Path(args.write).write_text(HEADER + "\n" + "\n".join(_row(t) for t in tallies) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
