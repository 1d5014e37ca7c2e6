"""What a data folder holds beyond its figures, as the report and the page both say it.

Machines and engines (never pooled), runs counted once, rows set apart, units decided, files
read in part or not at all: Markdown list items, each naming its files.
"""

from __future__ import annotations

from chimera.escape import md_inline
from chimera.ingest.digest.claims import MAX_CLAIMS_PER_NOTE, MAX_NOTE_CLAIMS
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.digest.readers import LEGACY_ENCODINGS


def coverage_lines(d: DataDigest) -> list[str]:
    """What the data holds beyond the figures: machines, runs counted once, rows set apart,
    units decided, files read in part or not at all; Markdown list items naming the files."""
    lines: list[str] = []
    machines = [sc for sc in d.scopes if sc.machine is not None]
    if len({sc.machine for sc in d.scopes}) > 1 or machines:
        shown = "; ".join(
            f"{md_inline(sc.machine or 'machine not stated')}"
            + (f" with {md_inline(sc.engine)}" if sc.engine else "")
            + f" ({_files(len(sc.files))}; {md_inline(sc.evidence)})"
            for sc in d.scopes[:6]
        )
        more = f"; and {len(d.scopes) - 6} more" if len(d.scopes) > 6 else ""
        lines.append(f"- Machines and engines, never pooled: {shown}{more}.")
    if d.duplicates:
        lines.append(
            f"- Counted once: {len(d.duplicates)} files repeat runs of others "
            f"({md_inline(', '.join(x.path for x in d.duplicates[:3]))}"
            + (f" and {len(d.duplicates) - 3} more" if len(d.duplicates) > 3 else "")
            + ")."
        )
    cold = sum(c.rows for c in d.cold_rows if not c.every_row_loaded)
    if cold:
        lines.append(f"- Set apart: {cold} rows that loaded the model (kept for load times only).")
    degenerate = sum(x.rows for x in d.degenerate)
    if degenerate:
        lines.append(f"- Set apart: {degenerate} degenerate answers of a handful of tokens.")
    lines += _dropped(d)
    for note in d.unit_notes[:3]:
        lines.append(
            f"- Unit of {md_inline(note.path)} {md_inline(note.column)}: read as "
            f"{md_inline(note.unit)}, {md_inline(note.reason)}."
        )
    if len(d.unit_notes) > 3:
        lines.append(f"- {len(d.unit_notes) - 3} more units decided (run.json lists them).")
    if d.column_settings:
        shown = "; ".join(
            f"{md_inline(c.path)} {md_inline(c.column)} ({md_inline(', '.join(c.levels[:4]))}"
            + (", ..." if len(c.levels) > 4 else "")
            + ")"
            for c in d.column_settings[:3]
        )
        more = f"; and {len(d.column_settings) - 3} more" if len(d.column_settings) > 3 else ""
        lines.append(
            f"- Read as settings, from their values (Chimera does not know the names): "
            f"{shown}{more}."
        )
    if d.note_claims_left_out:
        lines.append(
            f"- Notes: {d.note_claims_left_out:,} numeric claims were not checked against the"
            f" data (at most {MAX_CLAIMS_PER_NOTE} a note and {MAX_NOTE_CLAIMS:,} a folder are)."
        )
    for encoding, paths in _by_encoding(d).items():
        shown = md_inline(", ".join(paths[:3])) + (
            f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        )
        lines.append(
            f"- Read as {LEGACY_ENCODINGS.get(encoding, encoding)} text, not UTF-8 (judged from "
            f"their bytes): {shown}."
        )
    for p in d.partial:
        lines.append(
            f"- **Read in part:** {md_inline(p.path)} ({p.size_bytes / 1024 / 1024:,.1f} MB): "
            f"only its first {p.rows_read:,} rows (ingest.max_file_mb={p.max_file_mb:g}); "
            "what is past them is in no figure."
        )
    unread = not_analysed(d)
    if unread:
        lines.append(f"- Not analysed: {_files(len(unread))}: {_by_reason(unread)}.")
    return lines


def not_analysed(d: DataDigest) -> list[tuple[str, str]]:
    """(path, why) of each file found and not analysed: unread, skipped, or holding no metric."""
    return [
        *((u.path, u.reason) for u in d.unread),
        *((x.path, x.reason) for x in d.skipped if not x.own_output),
        *((path, "no column Chimera recognises as a metric") for path in d.tables_without_metrics),
    ]


def _dropped(d: DataDigest) -> list[str]:
    """The rows and values the digest left out of every statistic, by why, each once (a
    copy's are its original's): leoriccrown's two calls that wrote every figure 0 were in no
    finding and no line of the report."""
    copies = {x.path for x in d.duplicates}
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for x in d.dropped:
        if x.path not in copies and x.count:
            groups.setdefault((x.what, x.reason), []).append((x.path, x.count))
    lines = []
    for (what, reason), found in sorted(groups.items(), key=lambda g: -sum(n for _, n in g[1])):
        paths = [path for path, _ in found]
        shown = md_inline(", ".join(paths[:2])) + (
            f" and {len(paths) - 2} more" if len(paths) > 2 else ""
        )
        count = sum(n for _, n in found)
        lines.append(
            f"- Left out of every figure: {count} {what if count > 1 else what[:-1]},"
            f" {md_inline(reason)} ({shown})."
        )
    return lines


def _by_encoding(d: DataDigest) -> dict[str, list[str]]:
    """The files read in a legacy encoding, by encoding."""
    found: dict[str, list[str]] = {}
    for path, encoding in d.encodings.items():
        found.setdefault(encoding, []).append(path)
    return found


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


_NO_METRIC = "hold no column Chimera recognises as a metric (tok/s, TTFT, durations, ...)"


def _by_reason(unread: list[tuple[str, str]]) -> str:
    """'12 hold no column Chimera recognises as a metric (a.md, b.md and 10 more); 1 ...':
    files grouped by why they were not analysed, the largest group first."""
    groups: dict[str, list[str]] = {}
    for path, reason in unread:
        key = _NO_METRIC if "no column Chimera recognises" in reason else f"not read: {reason}"
        groups.setdefault(key, []).append(path)
    parts = []
    for reason, paths in sorted(groups.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(md_inline(p) for p in paths[:2])
        more = f" and {len(paths) - 2} more" if len(paths) > 2 else ""
        parts.append(f"{len(paths)} {md_inline(reason)} ({shown}{more})")
    return "; ".join(parts) + ("; run.json lists them all" if len(unread) > 2 else "")
