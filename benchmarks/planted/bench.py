"""One shape end to end (folder, truth, items, perturbed copies, run, verify), and the shares.

Randomness is split per shape and purpose from the one seed (`numpy.random.default_rng(
[seed, shape, purpose])`), so a shape's folder and sentences do not depend on which other
shapes ran, and every figure of the benchmark follows from `--seed`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from planted import tables, templates
from planted.perturb import flip, perturb
from planted.phrases import Item
from planted.scoring import Outcome, check, chimera_run
from planted.shapes import SHAPES, Shape
from planted.templates import Ctx
from planted.truth import Truth

GOAL_CAUGHT = 95.0  # % of perturbed figures flagged, at least
GOAL_FLAGGED = 5.0  # % of true sentences flagged, at most

Family = Callable[[Ctx], Iterator[Item | None]]
FAMILIES: tuple[tuple[str, Family], ...] = (
    ("model_stat", templates.model_stat),
    ("model_latency", templates.model_latency),
    ("setup_stat", templates.setup_stat),
    ("setup_compare", templates.setup_compare),
    ("model_compare", templates.model_compare),
    ("setting_level", templates.setting_level),
    ("counts", templates.counts),
    ("overall", templates.overall),
    ("file", templates.per_file),
    ("durations", templates.durations),
    ("spread", templates.spread),
    ("table", tables.tables),
    ("bullets", tables.bullets),
)
ONLY = {"llama_bench": ("llama_bench", templates.llama_bench)}


def items_for(
    shape: str, truth: Truth, rng: np.random.Generator, families: Iterable[str] | None = None
) -> list[Item]:
    """Every item the families (default: all that fit the shape) write, each text once."""
    ctx = Ctx(truth, rng, shape)
    chosen = (ONLY[shape],) if shape in ONLY else FAMILIES
    if families is not None:
        wanted = set(families)
        chosen = tuple(f for f in chosen if f[0] in wanted)
    seen: set[str] = set()
    items = []
    for _, family in chosen:
        for item in family(ctx):
            if item is not None and item.figs and item.text not in seen:
                seen.add(item.text)
                items.append(item)
    return items


@dataclass
class ShapeResult:
    shape: str
    covered: bool
    rows: int
    run_dir: str
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)


def run_shape(
    shape: Shape,
    index: int,
    out: Path,
    seed: int,
    limit: int | None = None,
    families: Iterable[str] | None = None,
) -> ShapeResult:
    """Write the folder, its true and perturbed items, run and verify; `limit` items at most."""
    started = time.perf_counter()
    data = out / "data" / shape.name
    if data.exists():
        raise FileExistsError(f"{data} exists: pass an empty --out folder")
    shape.write(data, np.random.default_rng([seed, index, 0]))
    truth = Truth.load(shape.name, data)
    items = items_for(shape.name, truth, np.random.default_rng([seed, index, 1]), families)
    rng = np.random.default_rng([seed, index, 2])
    if limit is not None and len(items) > limit:
        items = [items[int(i)] for i in sorted(rng.choice(len(items), limit, replace=False))]
    pairs = [(item, perturb(item, rng)) for item in items]
    true_items = [item for item, _ in pairs]
    false_items = [moved for _, moved in pairs if moved is not None]
    # flips draw from their own stream: the true and perturbed items stay as they were
    flip_rng = np.random.default_rng([seed, index, 3])
    flipped = [f for item in items if (f := flip(item, flip_rng)) is not None]
    run_dir = chimera_run(data, out / "runs" / shape.name)
    digest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["digest"]
    texts = out / "texts"
    outcomes = check(run_dir, true_items, texts / f"{shape.name}-true.md", "true")
    outcomes += check(run_dir, false_items, texts / f"{shape.name}-perturbed.md", "perturbed")
    if flipped:
        outcomes += check(run_dir, flipped, texts / f"{shape.name}-flipped.md", "flipped")
    covered = bool(digest["stats"])  # the digest recognised some metric of the folder
    return ShapeResult(shape.name, covered, len(truth.frame), str(run_dir),
                       time.perf_counter() - started, outcomes)  # fmt: skip


def run_all(
    out: Path, seed: int, names: Iterable[str] | None = None, limit: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[ShapeResult]:  # fmt: skip
    wanted = set(names) if names else None
    results = []
    for index, shape in enumerate(SHAPES):
        if wanted is not None and shape.name not in wanted:
            continue
        progress(f"{shape.name}: generating, running chimera, verifying ...")
        result = run_shape(shape, index, out, seed, limit)
        progress(f"{shape.name}: {len(result.outcomes)} items in {result.seconds:.1f} s")
        results.append(result)
    return results


@dataclass
class Share:
    true: int = 0
    flagged: int = 0
    perturbed: int = 0
    caught: int = 0
    flipped: int = 0
    turned: int = 0  # flipped items caught

    def add(self, outcome: Outcome) -> None:
        if outcome.kind == "true":
            self.true += 1
            self.flagged += outcome.flagged
        elif outcome.kind == "flipped":
            self.flipped += 1
            self.turned += outcome.flagged
        else:
            self.perturbed += 1
            self.caught += outcome.flagged

    @property
    def flagged_pct(self) -> float | None:
        return 100.0 * self.flagged / self.true if self.true else None

    @property
    def caught_pct(self) -> float | None:
        return 100.0 * self.caught / self.perturbed if self.perturbed else None

    @property
    def turned_pct(self) -> float | None:
        return 100.0 * self.turned / self.flipped if self.flipped else None

    def goals(self) -> dict[str, bool | None]:
        caught, flagged = self.caught_pct, self.flagged_pct
        return {
            "caught": None if caught is None else caught >= GOAL_CAUGHT,
            "flagged": None if flagged is None else flagged <= GOAL_FLAGGED,
        }

    def to_json(self) -> dict[str, Any]:
        return {"true": self.true, "flagged": self.flagged, "flagged_pct": self.flagged_pct,
                "perturbed": self.perturbed, "caught": self.caught,
                "caught_pct": self.caught_pct, "flipped": self.flipped,
                "turned": self.turned, "turned_pct": self.turned_pct}  # fmt: skip


def shares(outcomes: Iterable[Outcome], key: Callable[[Outcome], str]) -> dict[str, Share]:
    out: dict[str, Share] = {}
    for outcome in outcomes:
        out.setdefault(key(outcome), Share()).add(outcome)
    return dict(sorted(out.items()))


def headline(results: list[ShapeResult]) -> Share:
    """The shares over the shapes whose metrics the digest recognises."""
    share = Share()
    for result in results:
        if result.covered:
            for outcome in result.outcomes:
                share.add(outcome)
    return share
