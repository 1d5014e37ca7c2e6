"""Data-derived strings are made safe for the format they land in (chimera.escape)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from chimera.escape import csv_cell, html_text, md_code, md_inline, terminal


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(name: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(name), csv_cell(3.5)])
    cell = next(csv.reader(io.StringIO(buffer.getvalue())))[0]
    assert cell == "'" + name
    assert csv_cell(3.5) == 3.5  # numbers stay numbers


def test_markdown_inline_text_cannot_open_a_cell_a_heading_or_html() -> None:
    text = md_inline("a|b\n# Heading\n```\n<img src=x onerror=alert(1)>")
    assert "\n" not in text
    assert "|" not in text.replace("\\|", "")
    assert re.search(r"(?<!\\)[<>`#]", text) is None  # every one backslash-escaped


def test_code_spans_survive_backticks() -> None:
    assert md_code("a`b") == "``a`b``"


def test_terminal_text_carries_no_escape_sequences() -> None:
    assert terminal("\x1b[31mred\x1b[0m\x07 bell") == "red bell"


def test_html_text_is_escaped_attributes_included() -> None:
    assert html_text('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
