"""Self-contained HTML pages built from the files a run, comparison or sweep left on disk.

Every page is one file: inline CSS, charts as inline SVG, no script and no URL to fetch
(a Content-Security-Policy in the page itself forbids loading anything), so it opens from
disk in any browser, offline, years later, and prints. Pages read run.json / summary.json
as plain JSON, not through the current models, so folders written by older versions of
Chimera still render; what an older file does not hold is said on the page.

Modules: `shell` (page frame, CSS, escaping helpers), `markdown` (a small safe Markdown
converter), `charts` (inline-SVG bars, points, timeline), one module per page (`run_page`,
`comparison_page`, `sweep_page`, `index_page`, `diff_page`), `figmarks`, `timeline`,
`runfile` (reading the JSON) and `diff` (what changed between two runs). Pages only render
text: writing them beside a run without risking it is `chimera.execution.page_files`, and
what an output folder holds is `chimera.execution.history`.
"""
