"""Write, or compare, what the digest and the computed findings say about every test folder.

A change meant to leave the figures alone (a faster digest, less memory) must leave this
snapshot byte-identical: the bundled examples/data and each real corpus, digest and findings
as JSON, with timings and generation times removed.

    .venv/bin/python benchmarks/snapshot_findings.py write DIR [--also FOLDER ...]
    .venv/bin/python benchmarks/snapshot_findings.py compare DIR_BEFORE DIR_AFTER
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _common import EXAMPLE_DATA, REPO

sys.path.insert(0, str(REPO))

_VOLATILE = {"generated_at", "timings_s", "data_dir"}  # data_dir: worktrees differ


def _folders() -> list[tuple[str, Path]]:
    from benchmarks.real_corpora import corpus_root

    folders = [("examples-data", EXAMPLE_DATA)]
    root = corpus_root()
    if root is None:
        print("real corpora not found: only examples/data is snapshotted", file=sys.stderr)
    else:
        folders += [(p.name, p) for p in sorted(root.iterdir()) if p.is_dir()]
    return folders


def _strip(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def write(out: Path, also: list[Path]) -> int:
    from chimera import analyse
    from chimera.ingest.digest import render_digest

    out.mkdir(parents=True, exist_ok=True)
    # --also: more folders (a generated tree), named by their last part
    for name, folder in _folders() + [(p.name, p) for p in also]:
        result = analyse(folder, every_finding=True)
        doc = _strip(result.to_json())
        (out / f"{name}.json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
        (out / f"{name}.md").write_text(render_digest(result.digest, None)[0])
        print(f"{name}: {len(result.findings)} findings")
    return 0


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = [n for n in names if not (before / n).is_file() or not (after / n).is_file()
              or (before / n).read_bytes() != (after / n).read_bytes()]  # fmt: skip
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    wrt = sub.add_parser("write")
    wrt.add_argument("out", type=Path)
    wrt.add_argument("--also", type=Path, nargs="*", default=[], help="more folders to snapshot")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "write":
        return write(args.out, args.also)
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
