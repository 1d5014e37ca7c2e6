"""Planted figures: how often the figures check flags false figures, and true ones.

    .venv/bin/python benchmarks/grounding_planted.py [--seed N] [--out DIR] [--write-docs]

For each folder shape (benchmarks/planted/shapes.py) it writes a seeded data folder with
numpy/pandas, runs `chimera run` on it with the fake backend, computes the true figures
independently with pandas from the files, writes sentences, tables and lists about them
(benchmarks/planted/templates.py, tables.py) and a copy of each with one figure moved by
3-40 %, and checks both with `chimera verify RUN --text FILE --json`:

- a true item is flagged when any of its figures is untraced (goal: <= 5 % flagged);
- a perturbed item is caught when its moved figure is untraced (goal: >= 95 % caught);
- a flipped item (a comparative word turned into its opposite, "faster" -> "slower") is
  caught when any of its figures is untraced (goal: >= 95 % caught).

Everything it made stays under --out (data, runs, the checked texts, results.json);
--write-docs rewrites docs/grounding-planted.md from the results.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planted.bench import headline, run_all, shares  # noqa: E402
from planted.docs import DOCS, render_docs, results_json  # noqa: E402
from planted.shapes import SHAPES  # noqa: E402


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=11, help="the one seed (default 11)")
    parser.add_argument("--out", type=Path, help="an empty folder (default: a new temp folder)")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite {DOCS.name}")
    parser.add_argument("--shapes", nargs="*", choices=[s.name for s in SHAPES],
                        help="only these folder shapes (default: all)")  # fmt: skip
    parser.add_argument("--limit", type=int, help="at most this many items per shape")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="chimera-planted-"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = run_all(out, args.seed, args.shapes, args.limit, lambda m: print(m, flush=True))
    minutes = (time.perf_counter() - started) / 60
    outcomes = [o for r in results for o in r.outcomes]
    summary = results_json(results, args.seed, minutes)
    (out / "results.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"\n{'':24} {'true':>6} {'flagged':>9} {'perturbed':>10} {'caught':>9} "
          f"{'flipped':>8} {'caught':>9}")  # fmt: skip
    rows = {"headline (covered shapes)": headline(results)}
    rows |= {f"shape {k}": v for k, v in shares(outcomes, lambda o: o.shape).items()}
    rows |= {f"  {k}": v for k, v in shares(outcomes, lambda o: o.family).items()}
    for name, s in rows.items():
        print(f"{name:24} {s.true:>6} {_pct(s.flagged_pct):>9} {s.perturbed:>10} "
              f"{_pct(s.caught_pct):>9} {s.flipped:>8} {_pct(s.turned_pct):>9}")  # fmt: skip
    print(f"\nresults: {out / 'results.json'} ({minutes:.1f} min)")
    if args.write_docs:
        DOCS.write_text(render_docs(summary), encoding="utf-8")
        print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
