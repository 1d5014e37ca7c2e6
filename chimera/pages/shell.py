"""The frame every page shares: one HTML document with inline CSS, no script, no URL.

The Content-Security-Policy in the page forbids every fetch (scripts, styles, fonts,
images other than data: URIs, frames, connections), so a page that accidentally referred
to the network would show it as an error instead of silently depending on it. `esc` is the
only way data-derived text enters a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chimera._version import __version__
from chimera.escape import html_text

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
    " form-action 'none'"
)

_CSS = """
:root { --fg:#1d2127; --muted:#5b6472; --line:#d9dde3; --bg:#ffffff; --soft:#f4f6f8;
  --ok:#1f7a3a; --okbg:#e3f4e8; --bad:#b42318; --badbg:#fde8e6; --warn:#8a5a00;
  --warnbg:#fff4d6; --accent:#2459a8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1em; margin: 20px 0 6px; }
h4, h5, h6 { font-size: 1em; margin: 16px 0 4px; }
p { margin: 6px 0 10px; }
.muted, .note { color: var(--muted); }
.note { font-size: .9em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .88em; }
code { background: var(--soft); padding: 0 3px; border-radius: 3px; }
pre { background: var(--soft); padding: 10px 12px; overflow-x: auto; white-space: pre-wrap;
  word-break: break-word; border-radius: 4px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: .92em; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.badge { display: inline-block; font-size: .78em; font-weight: 600; padding: 1px 7px;
  border-radius: 10px; border: 1px solid currentColor; vertical-align: middle;
  white-space: nowrap; }
.b-ok, .b-model-traced, .b-real { color: var(--ok); background: var(--okbg); }
.b-failed, .b-interrupted, .b-bad { color: var(--bad); background: var(--badbg); }
.b-warn, .b-none { color: var(--warn); background: var(--warnbg); }
.b-chimera { color: var(--accent); background: #e7eefa; }
.b-model { color: #6b3fa0; background: #f1eafa; }
.b-info { color: var(--muted); background: var(--soft); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.card .v { font-size: 1.25em; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .k { color: var(--muted); font-size: .85em; }
.authored { border-left: 4px solid var(--line); padding: 2px 0 2px 14px; margin: 14px 0; }
.authored.by-model { border-left-color: #b59ad8; }
.authored.by-chimera { border-left-color: #8fb0e3; }
.byline { font-size: .85em; color: var(--muted); margin: 4px 0 6px; }
.fig { padding: 0 2px; border-radius: 3px; }
.fig.traced { background: var(--okbg); border-bottom: 2px solid var(--ok); }
.fig.untraced { background: var(--badbg); border-bottom: 2px dashed var(--bad); }
.fig sup { font-size: .7em; color: var(--muted); margin-left: 1px; }
.legend span { margin-right: 14px; }
details { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
details > summary { cursor: pointer; font-weight: 600; }
details[open] > summary { margin-bottom: 6px; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  fill: var(--fg); }
svg .axis line, svg .axis path { stroke: #9aa3ae; }
svg .grid { stroke: #e6e9ed; }
figure { margin: 10px 0 18px; }
figcaption { color: var(--muted); font-size: .88em; }
ul.items li { margin: 4px 0; }
.src { color: var(--muted); font-size: .85em; }
footer { margin-top: 40px; color: var(--muted); font-size: .82em;
  border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  details { border: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, table, .card, svg { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: object) -> str:
    """Data-derived text for HTML (element content and attribute values alike)."""
    return html_text(value)


def esc_block(value: object) -> str:
    """Multi-line data-derived text (a prompt, a raw reply): line breaks kept."""
    return "\n".join(esc(line) for line in str(value).split("\n"))


def badge(text: str, kind: str) -> str:
    return f'<span class="badge b-{esc(kind)}">{esc(text)}</span>'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    cls: str = "",
) -> str:
    """A table whose cells are already HTML (escape them on the way in)."""
    nums = set(numeric)

    def cell(tag: str, i: int, content: str) -> str:
        return f'<{tag} class="num">{content}</{tag}>' if i in nums else f"<{tag}>{content}</{tag}>"

    head = "".join(cell("th", i, esc(h)) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    extra = f" {cls}" if cls else ""
    return (
        f'<div class="scroll"><table class="t{extra}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def meta_list(items: Mapping[str, str]) -> str:
    """A definition list of label -> HTML value."""
    return (
        '<dl class="meta">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items.items())
        + "</dl>"
    )


def details(summary: str, content: str, *, open_: bool = False, ident: str | None = None) -> str:
    attrs = (" open" if open_ else "") + (f' id="{esc(ident)}"' if ident else "")
    return f"<details{attrs}><summary>{esc(summary)}</summary>{content}</details>"


def card(label: str, value: str, title: str | None = None) -> str:
    tip = f' title="{esc(title)}"' if title else ""
    return (
        f'<div class="card"{tip}><div class="v">{esc(value)}</div>'
        f'<div class="k">{esc(label)}</div></div>'
    )


def num(value: Any, digits: int = 2, unit: str = "") -> str:
    """A measured number as text, or 'not measured' (never 0 for a missing value)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "not measured"
    text = str(value) if isinstance(value, int) else f"{value:.{digits}f}"
    return f"{text} {unit}".strip()


def pct(share: Any, digits: int = 1) -> str:
    """A 0-1 share as a percentage, or 'not measured'."""
    if share is None or isinstance(share, bool) or not isinstance(share, int | float):
        return "not measured"
    return f"{100.0 * share:.{digits}f} %"


def document(title: str, body: str, *, kind: str) -> str:
    """The whole page: `body` is HTML already escaped where it holds data."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="Chimera {esc(__version__)}">'
        f'<meta name="chimera-page" content="{esc(kind)}">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}"
        f"<footer>Written by Chimera {esc(__version__)} from the files in this folder."
        " Self-contained: no script, nothing loaded from the network.</footer>"
        "</main></body></html>\n"
    )
