"""The sweep page (summary.html of a `chimera sweep` folder): a hook until sweeps land.

`chimera sweep` is being built beside this package; its summary.json (heatmap, Pareto
front, ranking) is not settled yet. Until it is, the page shows the sweep's summary.md
through the safe Markdown converter, so a sweep folder still gets a self-contained page;
`render_sweep_page` is where the heatmap, Pareto front and ranking charts go.
"""

from __future__ import annotations

from pathlib import Path

from chimera.pages.markdown import to_html
from chimera.pages.shell import document, esc


def render_sweep_page(folder: Path) -> str:
    summary_md = folder / "summary.md"
    if summary_md.is_file():
        content = to_html(summary_md.read_text(encoding="utf-8"), heading_shift=0)
    else:
        content = '<p class="note">This sweep has no summary.md yet.</p>'
    note = (
        '<p class="note">Sweep pages do not chart the sweep yet (heatmap, Pareto front and'
        " ranking are to come); this is the sweep's summary.md.</p>"
    )
    return document(
        f"Sweep: {folder.name}", f"<h1>Sweep {esc(folder.name)}</h1>{note}{content}", kind="sweep"
    )
