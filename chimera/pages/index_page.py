"""index.html of an output folder: the history as a page, linking every page in it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chimera.pages.shell import document, esc, table


def _join(values: list[float | None], digits: int, scale: float = 1.0, unit: str = "") -> str:
    shown = ["not measured" if v is None else f"{v * scale:.{digits}f}{unit}" for v in values]
    return " / ".join(shown) if shown else ""


def _link(entry: Any, base: Path) -> str:
    folder = Path(entry.path)
    target = Path(entry.page) if entry.page else None
    if target is None:
        for name in ("report.md", "summary.md"):
            if (folder / name).is_file():
                target = folder / name
                break
    label = esc(folder.name)
    if target is None:
        return label
    href = Path(os.path.relpath(target, base)).as_posix()
    return f'<a href="{esc(href)}">{label}</a>' + (
        ""
        if entry.page
        else ' <span class="src">(no page: `chimera runs --pages` writes it)</span>'
    )


def render_index(entries: Sequence[Any], base: Path) -> str:
    """The page of `entries` (chimera.execution.history.Entry) of the folder `base`."""
    rows = [
        [
            esc(e.when.strftime("%Y-%m-%d %H:%M:%S") if e.when else "?"),
            esc(e.kind),
            esc(", ".join(e.agents)),
            esc(", ".join(dict.fromkeys(e.models))),
            esc(e.status) + (f'<br><span class="src">{esc(e.note)}</span>' if e.note else ""),
            esc(_join(e.throughput_tok_s, 2)),
            esc(_join(e.ttft_ms, 0)),
            esc(_join(e.grounding, 1, 100.0, " %")),
            _link(e, base),
        ]
        for e in entries
    ]
    body = (
        f"<h1>Chimera history: {esc(base.name or base)}</h1>"
        f'<p class="note">{len(entries)} folder(s) in <code>{esc(base)}</code>, newest first.'
        " tok/s and TTFT are the run's means over its LLM calls (a comparison: each agent's mean"
        " over its repetitions, A / B / ...); grounding is the share of the model's figures"
        " traced to the data.</p>"
        + (
            table(
                [
                    "When (UTC)",
                    "Kind",
                    "Agent(s)",
                    "Model",
                    "Status",
                    "tok/s",
                    "TTFT ms",
                    "Grounding",
                    "Folder",
                ],
                rows,
                numeric=[5, 6, 7],
            )
            if rows
            else "<p>No runs yet.</p>"
        )
    )
    return document(f"Chimera history: {base.name}", body, kind="index")
