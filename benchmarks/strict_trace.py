"""Strict trace: does every sentence a finding prints trace on its own?

The figures check of a run knows Chimera's computed sentences, so a report that copies a
finding's text traces as written. A finding's short form (its headline, else its first
clause), quoted in the report's summary and risk table, is not a whole computed sentence:
it must trace on its own. This reads each finding's text, short form and recommendation
against the data's known figures and the findings' own figures only (no computed
sentences), over examples/data and every real corpus, and lists each figure that does not
trace.

With --moved, it measures the other side: in each part whose figures all trace, each
measurement, share, ratio and count of runs in turn moved by 3-40 % (up or down, its digits
kept, seeded) must no longer trace; it prints how many moved figures were caught.

    .venv/bin/python benchmarks/strict_trace.py [FOLDER_OR_CORPUS ...] [--parts short,text,rec]
        [--moved] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chimera.config.agent import IngestOptions  # noqa: E402
from chimera.findings.compute import compute_findings  # noqa: E402
from chimera.findings.finding import Finding  # noqa: E402
from chimera.grounding.figures import KnownFigures, check_figures, data_figures  # noqa: E402
from chimera.ingest.digest import DataDigest, ingest_folder  # noqa: E402

PARTS = ("short", "text", "rec")


@dataclass
class Untraced:
    """One part of a finding with figures that do not trace on their own."""

    finding: str
    kind: str
    part: str  # short | text | rec
    figures: list[str]
    sentence: str


def parts_of(f: Finding) -> dict[str, str]:
    """What a finding prints: its text, its short form, its recommendation."""
    parts = {"short": f.short(), "text": f.text}
    if f.recommendation is not None:
        parts["rec"] = f.recommendation.text
    return parts


def untraced(
    digest: DataDigest, findings: list[Finding], parts: tuple[str, ...] = PARTS
) -> list[Untraced]:
    """Each part of each finding whose figures do not all trace without Chimera's sentences."""
    known = KnownFigures(data_figures(digest, findings))
    out = []
    for f in findings:
        for part, text in parts_of(f).items():
            if part not in parts:
                continue
            claims = check_figures({part: text}, known).claims
            missing = [c.text for c in claims if c.status != "traced"]
            if missing:
                out.append(Untraced(f.id, f.kind, part, missing, text))
    return out


# What a moved figure may be: a claim about the data, not a setting's value or a name.
_MOVED_UNITS = frozenset({"tok/s", "ms", "s", "min", "%", "x", "pp", "tokens", "runs", "rows"})
_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")
LOW, HIGH = 0.03, 0.40


def _moved(written: str, rng: random.Random) -> str | None:
    """`written` ("1,234.5") moved by 3-40 % up or down at its digits; None if it cannot be."""
    found = _NUMBER.fullmatch(written)
    if found is None:
        return None
    decimals = len(found.group(1) or "")
    value = float(written.replace(",", ""))
    for _ in range(100):
        factor = 1.0 + rng.choice((-1.0, 1.0)) * rng.uniform(LOW, HIGH)
        text = f"{value * factor:{',' if ',' in written else ''}.{decimals}f}"
        moved = float(text.replace(",", ""))
        if moved > 0 and value > 0 and LOW <= abs(moved - value) / value <= HIGH:
            return text
    return None


@dataclass
class Moved:
    """Moved figures that still traced, and the counts."""

    caught: int = 0
    total: int = 0
    missed: list[tuple[str, str, str, str]] = field(default_factory=list)  # finding, was, is, text


def moved_caught(
    digest: DataDigest, findings: list[Finding], parts: tuple[str, ...], rng: random.Random
) -> Moved:
    """Each figure of each wholly traced part moved in turn: is it untraced then?"""
    known = KnownFigures(data_figures(digest, findings))
    out = Moved()
    for f in findings:
        for part, text in parts_of(f).items():
            if part not in parts:
                continue
            claims = check_figures({part: text}, known).claims
            if not claims or any(c.status != "traced" for c in claims):
                continue
            for c in claims:
                if c.unit not in _MOVED_UNITS or c.start is None or c.end is None:
                    continue
                written = text[c.start : c.end]
                moved = _moved(written, rng)
                if moved is None:
                    continue
                changed = text[: c.start] + moved + text[c.end :]
                after = check_figures({part: changed}, known).claims
                still = [a for a in after if a.start == c.start and a.status == "traced"]
                out.total += 1
                if still:
                    out.missed.append((f.id, written, moved, changed))
                else:
                    out.caught += 1
    return out


def _folders(names: list[str]) -> list[Path]:
    from benchmarks.real_corpora import corpus_root

    root = corpus_root()
    if names:
        return [Path(n) if Path(n).is_dir() else (root or Path(".")) / n for n in names]
    folders = [Path(__file__).resolve().parents[1] / "examples" / "data"]
    if root is None:
        print("real corpora not found: only examples/data is read", file=sys.stderr)
    else:
        folders += sorted(p for p in root.iterdir() if p.is_dir())
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", help="folders or corpus names (default: all)")
    parser.add_argument("--parts", default=",".join(PARTS), help="short,text,rec")
    parser.add_argument("-q", "--quiet", action="store_true", help="counts only")
    parser.add_argument("--moved", action="store_true", help="measure moved figures caught")
    parser.add_argument("--seed", type=int, default=11, help="the moves' seed (default 11)")
    args = parser.parse_args(argv)
    if args.moved:
        return _main_moved(args)
    parts = tuple(p for p in args.parts.split(",") if p)
    total = {p: 0 for p in parts}
    flagged = {p: 0 for p in parts}
    for folder in _folders(args.folders):
        _, digest = ingest_folder(folder, IngestOptions())
        findings = compute_findings(digest)
        for f in findings:
            for part in parts_of(f):
                if part in total:
                    total[part] += 1
        for u in untraced(digest, findings, parts):
            flagged[u.part] += 1
            if not args.quiet:
                print(f"{folder.name} {u.finding} {u.part} ({u.kind}): {u.figures}")
                print(f"    {u.sentence[:400]}")
    print(" ".join(f"{p}: {flagged[p]} of {total[p]} untraced" for p in parts))
    return 0


def _main_moved(args: argparse.Namespace) -> int:
    parts = tuple(p for p in args.parts.split(",") if p)
    rng = random.Random(args.seed)
    caught = total = 0
    for folder in _folders(args.folders):
        _, digest = ingest_folder(folder, IngestOptions())
        result = moved_caught(digest, compute_findings(digest), parts, rng)
        caught, total = caught + result.caught, total + result.total
        if not args.quiet:
            for finding, was, now, text in result.missed:
                print(f"{folder.name} {finding}: {was} -> {now} still traces")
                print(f"    {text[:400]}")
    share = 100.0 * caught / total if total else 0.0
    print(f"moved figures caught: {caught} of {total} ({share:.1f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
