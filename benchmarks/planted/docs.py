"""results.json and docs/grounding-planted.md from the outcomes of a benchmark run."""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planted.bench import FAMILIES, GOAL_CAUGHT, GOAL_FLAGGED, ShapeResult, headline, shares
from planted.shapes import SHAPES_BY_NAME
from planted.templates import COUNTS

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "grounding-planted.md"
EXAMPLES = 16  # misses of each kind listed in the docs


def _commit() -> str:
    try:
        done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)  # fmt: skip
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def results_json(results: list[ShapeResult], seed: int, minutes: float) -> dict[str, Any]:
    outcomes = [o for r in results for o in r.outcomes]
    covered = [o for r in results if r.covered for o in r.outcomes]
    return {
        "seed": seed,
        "minutes": minutes,
        "commit": _commit(),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "goals": {"caught_pct_min": GOAL_CAUGHT, "flagged_pct_max": GOAL_FLAGGED},
        "headline": headline(results).to_json(),
        "shapes": [
            {
                "shape": r.shape,
                "covered": r.covered,
                "rows": r.rows,
                "seconds": r.seconds,
                **shares(r.outcomes, lambda o: "all")["all"].to_json(),
            }
            for r in results
        ],  # fmt: skip
        "families": {k: v.to_json() for k, v in shares(covered, lambda o: o.family).items()},
        "templates": {k: v.to_json() for k, v in shares(covered, lambda o: o.template).items()},
        "outcomes": [o.to_json() for o in outcomes],
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _status(share: dict[str, Any]) -> str:
    caught, flagged = share["caught_pct"], share["flagged_pct"]
    marks = []
    if flagged is not None:
        marks.append("met" if flagged <= GOAL_FLAGGED else "**missed**")
    if caught is not None:
        marks.append("met" if caught >= GOAL_CAUGHT else "**missed**")
    turned = share.get("turned_pct")
    marks.append("–" if turned is None else "met" if turned >= GOAL_CAUGHT else "**missed**")
    return " / ".join(marks)


def _row(name: str, share: dict[str, Any]) -> str:
    return (f"| {name} | {share['true']} | {share['flagged']} ({_pct(share['flagged_pct'])}) "
            f"| {share['perturbed']} | {share['caught']} ({_pct(share['caught_pct'])}) "
            f"| {share.get('flipped', 0)} | {share.get('turned', 0)} "
            f"({_pct(share.get('turned_pct'))}) | {_status(share)} |")  # fmt: skip


_HEAD = ("| | true items | flagged (goal ≤ 5 %) | perturbed items | caught (goal ≥ 95 %) "
         "| flipped items | caught (goal ≥ 95 %) | flagged / caught / flips caught |\n"
         "|---|---:|---:|---:|---:|---:|---:|---|")  # fmt: skip


def _one_line(text: str, limit: int = 300) -> str:
    """An item on one line of a Markdown list: its pipes escaped, its line breaks as ⏎."""
    text = " ⏎ ".join(" ".join(line.split()) for line in text.splitlines())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def _spread(outcomes: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Up to n outcomes, round robin over families (most misses first), and within a family
    over its templates, so that no one template fills the list."""
    by_family: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for o in outcomes:
        by_family.setdefault(o["family"], {}).setdefault(o["template"], []).append(o)
    order = sorted(by_family, key=lambda f: (-sum(map(len, by_family[f].values())), f))
    picked: list[dict[str, Any]] = []
    while len(picked) < n and any(any(t.values()) for t in by_family.values()):
        for family in order:
            templates = by_family[family]
            for key in sorted(templates, key=lambda k: -len(templates[k])):
                if templates[key] and len(picked) < n:
                    picked.append(templates[key].pop(0))
                    break
    return picked


def _flagged_examples(outcomes: Iterable[dict[str, Any]]) -> list[str]:
    flagged = [o for o in outcomes if o["kind"] == "true" and o["flagged"]]
    lines = []
    for o in _spread(flagged, EXAMPLES):
        untraced = [c["text"] for c in o["claims"] if c["status"] != "traced"]
        lines.append(f"- `{o['shape']}` {o['template']}: “{_one_line(o['text'])}” — untraced: "
                     + ", ".join(f"**{u}**" for u in untraced))  # fmt: skip
    return lines


def _missed_examples(outcomes: Iterable[dict[str, Any]]) -> list[str]:
    missed = [o for o in outcomes if o["kind"] == "perturbed" and not o["flagged"]]
    lines = []
    for o in _spread(missed, EXAMPLES):
        moved = o["moved"]
        claim = moved["claim"]
        why = ("not read as a figure" if claim is None
               else f"traced to `{_one_line(claim['provenance'] or '', 220)}`")  # fmt: skip
        lines.append(f"- `{o['shape']}` {o['template']}: “{_one_line(o['text'])}” — "
                     f"{moved['original']} moved to **{moved['written']}** ({moved['about']}); "
                     f"{why}")  # fmt: skip
    return lines


def _flip_examples(outcomes: Iterable[dict[str, Any]]) -> list[str]:
    missed = [o for o in outcomes if o["kind"] == "flipped" and not o["flagged"]]
    return [f"- `{o['shape']}` {o['template']}: “{_one_line(o['text'])}”"
            for o in _spread(missed, EXAMPLES)]  # fmt: skip


def render_docs(summary: dict[str, Any]) -> str:
    covered = {s["shape"] for s in summary["shapes"] if s["covered"]}
    outcomes = [o for o in summary["outcomes"] if o["shape"] in covered]
    head = summary["headline"]
    lines = [
        "# Planted figures: how often the figures check flags false and true figures",
        "",
        "This page is generated by `benchmarks/grounding_planted.py`: do not edit it by hand.",
        "It measures issue 11's goal for the figures check (`chimera verify`): of sentences "
        "whose figures are true, at most 5 % flagged; of the same sentences with one figure "
        "moved by 3-40 %, at least 95 % caught; of the same sentences with one comparative "
        'word turned into its opposite (issue 21: "faster" -> "slower"), at least 95 % '
        "caught.",
        "",
        f"- **Command:** `.venv/bin/python benchmarks/grounding_planted.py --seed "
        f"{summary['seed']} --write-docs` (from the repository root; "
        f"{summary['minutes']:.1f} min)",
        f"- **Code:** commit `{summary['commit']}`, {summary['date_utc']}, Python "
        f"{summary['python']}. Every figure below follows from the seed alone: the data, the "
        "sentences and the perturbations are drawn from `numpy.random.default_rng([seed, "
        "shape, purpose])`, and the check itself is deterministic (the fake backend).",
        "",
        "## Results",
        "",
        "Headline over the shapes whose metrics the digest recognises: "
        f"**{_pct(head['flagged_pct'])} of true items flagged** (goal ≤ {GOAL_FLAGGED:g} %, "
        f"{'met' if head['flagged_pct'] <= GOAL_FLAGGED else 'missed'}), "
        f"**{_pct(head['caught_pct'])} of perturbed figures caught** (goal ≥ {GOAL_CAUGHT:g} %, "
        f"{'met' if head['caught_pct'] >= GOAL_CAUGHT else 'missed'}), "
        f"**{_pct(head['turned_pct'])} of direction flips caught** (goal ≥ {GOAL_CAUGHT:g} %, "
        f"{'met' if (head['turned_pct'] or 0) >= GOAL_CAUGHT else 'missed'}).",
        "",
        "### By folder shape",
        "",
        _HEAD,
        _row("**all covered shapes**", head),
    ]
    for s in summary["shapes"]:
        name = s["shape"] + ("" if s["covered"] else " (no metric recognised: not in the headline)")
        lines.append(_row(f"`{name}`", s))
    lines += ["", "### By template family (covered shapes)", "", _HEAD]
    lines += [_row(k, v) for k, v in summary["families"].items()]
    worst = sorted(
        summary["templates"].items(),
        key=lambda kv: -(kv[1]["flagged_pct"] or 0) - (100 - (kv[1]["caught_pct"] or 100)),
    )
    lines += ["", "### The templates with the most misses (covered shapes)", "", _HEAD]
    lines += [_row(k, v) for k, v in worst[:15]]  # fmt: skip
    lines += _setup_section(summary)
    lines += [
        "",
        "## Example misses",
        "",
        f"### True items flagged ({EXAMPLES} at most, spread over families and templates)",
        "",
    ]
    lines += _flagged_examples(outcomes) or ["None."]
    lines += ["", f"### Perturbed figures not caught ({EXAMPLES} at most)", ""]
    lines += _missed_examples(outcomes) or ["None."]
    lines += ["", f"### Direction flips not caught ({EXAMPLES} at most)", ""]
    lines += _flip_examples(outcomes) or ["None."]
    lines += ["", "All outcomes, with every claim and its provenance, are in the run's "
              "`results.json` (under `--out`)."]  # fmt: skip
    return "\n".join(lines) + "\n"


def _setup_section(summary: dict[str, Any]) -> list[str]:
    lines = ["", "## How the sets are made", "",
             "| shape | rows | what the folder holds |", "|---|---:|---|"]  # fmt: skip
    for s in summary["shapes"]:
        lines.append(f"| `{s['shape']}` | {s['rows']} | {SHAPES_BY_NAME[s['shape']].description} |")
    families = ", ".join(f"`{name}`" for name, _ in FAMILIES)
    lines += [
        "",
        "1. **Data.** Each shape's writer (`benchmarks/planted/shapes.py`) draws runs with "
        "plausible effects (more GPU layers faster, a larger context slower, temperature "
        "none, a cold first load) and run-to-run noise, and writes the files as bench "
        "scripts do (rounded as they round).",
        "2. **Chimera.** `chimera run DATA --config fake.yaml --out DIR` (the deterministic "
        "fake backend) makes the run folder whose data the check uses.",
        "3. **Truth.** `benchmarks/planted/truth.py` reads the files back with pandas, "
        "knowing their format but not Chimera's digest, and computes mean, median, p95 "
        "(linear), min, max, std (ddof 1) and n over any selection (a model; a model and "
        "config; a model and one setting's value, whatever the others; a file; all rows), "
        "error rows left out; percent differences and ratios of two means; TTFT in ms or s.",
        f"4. **Sentences.** Families {families} fill templates (`templates.py`, `tables.py`) "
        "with those figures: models as tagged, spaced (`gemma3 1b`), by their tag (`the 1b "
        "model`) or marketed (`Gemma 3 1B`); setups by config name or by their settings "
        "(`num_gpu=80`, `80 GPU layers`, `a 4096-token context`, `CPU-only`, llama.cpp's "
        "`-ngl 99` on llama.cpp data); units as tok/s, tokens/s, tokens per second, t/s, ms, "
        "milliseconds, s, seconds; 0-2 decimals; statistics named or not. Each item is one "
        "paragraph (a sentence, a table under its caption, a list under its lead-in line) "
        "of one file per shape, as in a report.",
        "5. **Perturbation.** A copy of each item with one figure (a measurement, a "
        "percentage, a ratio or a count of runs; never a setting's value or a name) moved "
        "up or down by a uniform 3-40 %, at the digits written.",
        "6. **Check.** `chimera verify RUN --text FILE --json` on the true and on the "
        "perturbed file. A true item is *flagged* when any of its claims is untraced; a "
        "perturbed item is *caught* when the claim of its moved figure is untraced (a moved "
        "figure the check does not read as a figure is not caught).",
        "7. **Direction flips.** A copy of each item that holds a comparative word the "
        "templates use (faster, slower, raises, loses, more, beats, outpaces, falls, sooner, "
        "gain) with one of them turned into its opposite, every figure kept (drawn from its "
        "own stream, so the other sets are unchanged). A flipped item is *caught* when any "
        "of its claims is untraced.",
        "",
        "## What the check does not cover (by the data, not by its rules)",
        "",
        "- **llama-bench output** (`llama-bench -o csv`): the digest recognises its "
        "`n_gpu_layers` and `n_threads` but no metric (`avg_ts`, `stddev_ts`, `avg_ns`) and "
        "no model (`model_type`, `model_filename`); every figure about it is untraced. "
        "The shape is run and shown, but kept out of the headline.",
        "- **Run counts in summary files** (a `runs` column beside `mean_tokens_s`): not a "
        "recognised column, so a summary's `(n=20)` cannot trace.",
        "- **Statistics across models of a shared config name** are left out of the known "
        "figures on purpose (issue 11). A table of config names that several models share, "
        "under no model (template `table_a` on `shared_configs`), is ambiguous and flagged: "
        "which model's runs it means, the text does not say.",
        '- **Counts of all rows of a model including its error rows** ("completed 71 of 89 '
        f'runs", template `counts/{COUNTS.index("{M} completed {ok} of {total} runs.") + 1}`) '
        "are not among the digest's counts (rows per file and error rows per file are).",
        '- **Small counts** ("6 runs each") are not figures by the extraction rule, except '
        'how many runs a figure is over ("over 9 runs", "n=6"), which always are.',
    ]
    return lines
