"""Run every Chimera benchmark: print its table, write all figures as JSON, optionally the docs.

    .venv/bin/python benchmarks/run_all.py [--smoke] [--json PATH] [--write-docs]

Each benchmark runs in its own process (a fresh interpreter, so no benchmark inherits
another's threads, caches or memory) and writes its own JSON, merged here into one file.
`--smoke` runs tiny sizes in well under a minute and asserts nothing about speed; CI runs it
through tests/test_benchmarks_smoke.py. `--write-docs` regenerates docs/benchmarks.md.

The embedded-throughput benchmark (`bench_embedded.py`) is a colleague's; it is run if it
is present and accepts `--smoke` and `--json`, and its slot says so otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import BENCH_DIR, REPO, load_average, machine

BENCHMARKS = (
    ("concurrency", "bench_concurrency.py"),
    ("overhead", "bench_overhead.py"),
    ("ingest", "bench_ingest.py"),
    ("embedded", "bench_embedded.py"),
    ("sweep", "bench_sweep.py"),
    ("openai", "bench_openai.py"),
    ("quickstart", "bench_quickstart.py"),
    ("ray", "bench_ray.py"),
    ("digest", "bench_digest.py"),
)
DEFAULT_JSON = REPO / "bench-results" / "benchmarks.json"
DOCS = REPO / "docs" / "benchmarks.md"


def accepts_smoke_and_json(script: Path) -> bool:
    """True if `script --help` lists both options (a missing or older script may not)."""
    try:
        shown = subprocess.run(
            [sys.executable, str(script), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "--smoke" in shown and "--json" in shown


def run_benchmark(name: str, script: Path, smoke: bool, out_dir: Path) -> dict[str, Any]:
    """Run one benchmark script; its stdout (the table) is echoed and kept for the docs."""
    if not script.exists():
        return {"status": "missing", "reason": f"{script.relative_to(REPO)} does not exist yet"}
    if not accepts_smoke_and_json(script):
        return {"status": "missing", "reason": f"{script.name} lacks --smoke/--json options"}
    json_path = out_dir / f"{name}.json"
    cmd = [sys.executable, str(script), "--json", str(json_path), *(["--smoke"] if smoke else [])]
    print(f"== {name}: {' '.join(Path(c).name if c == sys.executable else c for c in cmd)}")
    load_before = load_average()
    start = time.perf_counter()
    # stderr (progress lines) goes straight through; stdout is the benchmark's table.
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    print(done.stdout, end="" if done.stdout.endswith("\n") else "\n", flush=True)
    run_info = {
        "exit_code": done.returncode,
        "elapsed_s": elapsed,
        "stdout": done.stdout,
        "load_avg_before": load_before,
        "load_avg_after": load_average(),
    }
    if not json_path.exists():
        return {"status": "failed", "reason": f"exit code {done.returncode}, no JSON", **run_info}
    figures = json.loads(json_path.read_text())
    # bench_embedded exits 1 when the sides' texts differ; its figures still stand.
    status = "ok" if done.returncode == 0 else "ok-with-warnings"
    return {"status": status, **run_info, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, under a minute")
    parser.add_argument("--json", type=Path, default=None, help=f"default: {DEFAULT_JSON}")
    parser.add_argument("--write-docs", action="store_true", help=f"regenerate {DOCS}")
    parser.add_argument(
        "--only", nargs="+", choices=[n for n, _ in BENCHMARKS], help="run only these"
    )
    parser.add_argument(
        "--from-json", type=Path, default=None, help="re-render the docs from saved figures"
    )
    args = parser.parse_args(argv)
    if args.from_json:  # prose changes without re-running twenty minutes of benchmarks
        from report import write_docs

        write_docs(json.loads(args.from_json.read_text()), DOCS)
        print(f"docs: {DOCS}")
        return 0
    command = ".venv/bin/python benchmarks/run_all.py" + "".join(
        f" {a}" for a in (sys.argv[1:] if argv is None else argv)
    )
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {"command": command, "smoke": args.smoke, "machine": machine()}
    }
    with tempfile.TemporaryDirectory(prefix="chimera-bench-") as tmp:
        for name, script in BENCHMARKS:
            if args.only and name not in args.only:
                continue
            results[name] = run_benchmark(name, BENCH_DIR / script, args.smoke, Path(tmp))
    results["meta"]["total_s"] = time.perf_counter() - started
    out = args.json or DEFAULT_JSON
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"figures: {out}  ({results['meta']['total_s']:.0f} s in all)")
    if args.write_docs:
        from report import write_docs

        write_docs(results, DOCS)
        print(f"docs: {DOCS}")
    failed = [n for n, r in results.items() if n != "meta" and r.get("status") == "failed"]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
