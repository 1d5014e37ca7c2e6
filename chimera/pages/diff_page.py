"""The diff page (`chimera diff --html`): two runs side by side, what changed between them."""

from __future__ import annotations

from chimera.pages.diff import NOT_A_STATISTIC, RunDiff, fmt, fmt_delta
from chimera.pages.shell import badge, document, esc, table

_KIND = {"better": "ok", "worse": "bad", "changed": "info", "same": "info"}


def _items(title: str, items: list[str]) -> str:
    if not items:
        return f'<h3>{esc(title)}</h3><p class="note">None.</p>'
    return (
        f'<h3>{esc(title)}</h3><ul class="items">'
        + "".join(f"<li>{esc(i)}</li>" for i in items)
        + "</ul>"
    )


def render_diff_page(diff: RunDiff) -> str:
    name_a = diff.a.config.name or "A"
    name_b = diff.b.config.name or "B"
    head = table(
        ["", "Run", "Started", "Status", "Folder"],
        [
            [
                side,
                esc(run.config.name or "?"),
                esc(f"{run.started_at:%Y-%m-%d %H:%M:%S} UTC"),
                esc(run.status),
                f"<code>{esc(path)}</code>",
            ]
            for side, run, path in (("A", diff.a, diff.a_path), ("B", diff.b, diff.b_path))
        ],
    )
    config_rows = [
        [
            f"<code>{esc(k)}</code>",
            esc("default" if a is None else a),
            esc("default" if b is None else b),
        ]
        for k, (a, b) in diff.config.items()
    ]
    metric_rows = [
        [
            esc(m.label),
            esc(fmt(m.a, m.unit)),
            esc(fmt(m.b, m.unit)),
            esc(fmt_delta(m)),
            badge(m.direction, _KIND.get(m.direction, "warn")),
        ]
        for m in diff.metrics
    ]
    body = (
        f"<h1>Diff: {esc(name_a)} → {esc(name_b)}</h1>"
        f"<p><strong>{esc(NOT_A_STATISTIC)}</strong></p>"
        + head
        + "".join(f'<p class="note">{esc(n)}</p>' for n in diff.notes)
        + "<h2>Configuration differences</h2>"
        + (
            table(["Setting", "A", "B"], config_rows)
            if config_rows
            else "<p>The configurations are the same.</p>"
        )
        + "<h2>Metrics</h2>"
        + '<p class="note">Delta = B − A; percentages relative to A; pp = percentage points.</p>'
        + table(["Figure", "A", "B", "Delta", "B vs A"], metric_rows, numeric=[1, 2, 3])
        + "<h2>Findings</h2>"
        + _items("Added in B", diff.findings_added)
        + _items("Gone since A", diff.findings_gone)
        + "<h2>Data Highlights</h2>"
        + '<p class="note">Highlights are computed from the data: a change here means the data'
        " changed between the runs.</p>"
        + _items("Added in B", diff.highlights_added)
        + _items("Gone since A", diff.highlights_gone)
    )
    return document(f"Diff: {name_a} → {name_b}", body, kind="diff")
