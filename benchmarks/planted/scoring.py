"""Run Chimera as a user does, check the planted texts with `chimera verify`, score them.

`chimera run DATA --config fake.yaml --out DIR` makes the run folder (the deterministic fake
backend: the run's digest and findings are what matter, not its prose), then
`chimera verify RUN --text FILE --json` checks a file of items, one paragraph each. The
claims it prints are given back to their items in reading order: a claim belongs to the
first item (from the current one on) whose text holds its sentence.

- A true item is **flagged** when any of its claims is untraced.
- A perturbed item is **caught** when the claim of its moved figure is untraced; a moved
  figure the check did not read as a figure at all is not caught.
- A flipped item (a comparative word turned: "faster" -> "slower") is **caught** when any
  of its claims is untraced (the check flags the sentence).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planted.phrases import Item

CHIMERA = [sys.executable, "-m", "chimera"]
FAKE_CONFIG = "name: Planted figures\nbackend: fake\nmodel: fake\n"


class ChimeraFailed(RuntimeError):
    """`chimera run` or `chimera verify` did not do its job; the message says which."""


def _chimera(args: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [*CHIMERA, *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def chimera_run(data: Path, out: Path) -> Path:
    """The run folder `chimera run` made for `data` with the fake backend."""
    out.mkdir(parents=True, exist_ok=True)
    config = out / "fake.yaml"
    config.write_text(FAKE_CONFIG, encoding="utf-8")
    done = _chimera(["run", str(data), "--config", str(config), "--out", str(out / "runs")])
    if done.returncode != 0:
        raise ChimeraFailed(f"chimera run {data} exited {done.returncode}: {done.stderr[-800:]}")
    report = Path(done.stdout.strip().splitlines()[-1])
    return report.parent


def chimera_verify(run_dir: Path, text: Path) -> dict[str, Any]:
    """`chimera verify RUN --text FILE --json` (exit 0 or 1: all traced or not)."""
    done = _chimera(["verify", str(run_dir), "--text", str(text), "--json"])
    if done.returncode not in (0, 1):
        raise ChimeraFailed(f"chimera verify {text} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def _norm(text: str) -> str:
    return " ".join(text.split())


def write_items(items: list[Item], path: Path) -> None:
    """The items as one Markdown file, a blank line between them (one paragraph each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(item.text for item in items) + "\n", encoding="utf-8")


def assign(items: list[Item], claims: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The claims of each item, in reading order."""
    texts = [_norm(item.text) for item in items]
    out: list[list[dict[str, Any]]] = [[] for _ in items]
    current = 0
    for claim in claims:
        sentence = _norm(claim["sentence"])
        for i in range(current, len(items)):
            if sentence in texts[i]:
                out[i].append(claim)
                current = i
                break
        else:
            raise ChimeraFailed(f"claim {claim['text']!r} of no item: {sentence[:120]!r}")
    return out


@dataclass
class Outcome:
    """One checked item: what was planted, what the check said."""

    shape: str
    family: str
    template: str
    kind: str  # "true", "perturbed" or "flipped"
    text: str
    flagged: bool  # true: any claim untraced; perturbed: the moved figure untraced
    planted: int  # figures planted
    claims: list[dict[str, Any]] = field(default_factory=list)
    moved: dict[str, Any] | None = None  # perturbed: the moved figure and its claim
    unread: list[str] = field(default_factory=list)  # planted figures that are no claim

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _squash(text: str) -> str:
    return "".join(text.split())


def _claims_of(item: Item, claims: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """For each planted figure, its claim, or None when the check read no such figure.

    Both are in reading order, with claims the item did not plant (setting values such as
    `num_gpu=80`) in between: each figure takes the next claim after the previous figure's
    that has its value and, where the figure has a unit, its text ("80 ms", not the "80" of
    `num_gpu=80`); failing that, the next claim of its value with a unit written."""
    out: list[dict[str, Any] | None] = []
    after = 0
    for fig in item.figs:
        same = [j for j in range(after, len(claims)) if abs(claims[j]["value"] - fig.value) < 1e-9]
        exact = [j for j in same if _squash(claims[j]["text"]) == _squash(fig.written + fig.unit)]
        if fig.unit:  # a bare "80" is another figure's reading (a setting's value)
            same = [j for j in same if _squash(claims[j]["text"]) != fig.written]
        chosen = exact[0] if exact else (same[0] if same else None)
        out.append(None if chosen is None else claims[chosen])
        if chosen is not None:
            after = chosen + 1
    return out


def score(item: Item, claims: list[dict[str, Any]], kind: str) -> Outcome:
    matched = _claims_of(item, claims)
    unread = [f.written for f, c in zip(item.figs, matched, strict=True) if c is None]
    slim = [{k: c[k] for k in ("text", "status", "provenance")} for c in claims]
    if kind in ("true", "flipped"):
        flagged = any(c["status"] != "traced" for c in claims)
        slim = [{k: c.get(k) for k in ("text", "status", "provenance", "traced_by")}
                for c in claims]  # fmt: skip
        return Outcome(item.shape, item.family, item.template, kind, item.text, flagged,
                       len(item.figs), slim, unread=unread)  # fmt: skip
    assert item.perturbed is not None
    fig = item.figs[item.perturbed]
    claim = matched[item.perturbed]
    moved = {"written": fig.written, "original": item.original, "about": fig.about,
             "claim": None if claim is None else {k: claim[k] for k in ("text", "status",
                                                                        "provenance")}}  # fmt: skip
    caught = claim is not None and claim["status"] != "traced"
    return Outcome(item.shape, item.family, item.template, kind, item.text, caught,
                   len(item.figs), slim, moved, unread)  # fmt: skip


def check(run_dir: Path, items: list[Item], path: Path, kind: str) -> list[Outcome]:
    """Write `items` to `path`, verify it against `run_dir`, score every item."""
    write_items(items, path)
    result = chimera_verify(run_dir, path)
    per_item = assign(items, result["claims"])
    return [score(item, claims, kind) for item, claims in zip(items, per_item, strict=True)]
