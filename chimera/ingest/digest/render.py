"""The digest as compact plain text for a prompt, shortened to a token budget when needed."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chimera.ingest.digest.columns import KEY_METRICS, UNITS
from chimera.ingest.digest.models import DataDigest, MetricStats
from chimera.ingest.digest.readers import LEGACY_ENCODINGS, MB
from chimera.tokens import estimate_tokens


@dataclass(frozen=True)
class _Line:
    priority: int  # 0 = keep longest; -1 = never dropped
    heading: str  # the section heading printed before the first kept line of the section
    text: str


def _num(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _means(stats: dict[str, MetricStats], metrics: Iterable[str]) -> str:
    return ", ".join(f"{m} {_num(stats[m].mean)}" for m in metrics if m in stats)


def scope_text(digest: DataDigest, machine: str | None, engine: str | None) -> str:
    """' on RTX 3080 (llama.cpp (CUDA))' where the data has several machines or engines."""
    machines = {sc.machine for sc in digest.scopes}
    engines = {sc.engine for sc in digest.scopes}
    parts = []
    if len(machines) > 1:
        parts.append(f"on {machine or 'an unstated machine'}")
    if len(engines) > 1:
        parts.append(f"with {engine or 'an unstated engine'}")
    return (" " + " ".join(parts)) if parts else ""


def _grouped(
    d: DataDigest, group_by: str | None, aggregate: str | None = None
) -> dict[str | None, dict[str, MetricStats]]:
    """Stats of one grouping as group -> metric -> stats, groups in sorted order; a group's
    name says its machine and engine where the data has several."""
    grouped: dict[str | None, dict[str, MetricStats]] = {}
    for s in d.stats:
        if s.group_by == group_by and s.aggregate == aggregate and s.workload is None:
            scope = scope_text(d, s.machine, s.engine)
            name = f"{s.group or 'all rows'}{scope}" if (s.group or scope) else None
            grouped.setdefault(name, {})[s.metric] = s
    return dict(sorted(grouped.items(), key=lambda item: item[0] or ""))


def _identity_lines(d: DataDigest, add: Callable[[int, str, str], None]) -> None:
    """Machines, engines, runs read twice, rows that loaded the model, units decided."""
    machines = d.machines
    if len(machines) > 1 or any(m is not None for m in machines):
        for sc in d.scopes:
            add(
                -1,
                "Machines (values of different machines are never pooled or compared as settings):",
                f"{sc.machine or 'machine not stated'}"
                + (f", {sc.engine}" if sc.engine else "")
                + f": {len(sc.files)} files ({sc.evidence})",
            )
    for dup in d.duplicates:
        what = "identical to" if dup.identical else f"{dup.rows} rows repeat runs of"
        if dup.of == dup.path:  # a note's summary table restating the note's own tables
            what, dup_of = f"{dup.rows} rows of a summary table restate", "its other tables"
        else:
            dup_of = dup.of
        add(2, "Counted once (the same runs in two files):", f"{dup.path}: {what} {dup_of}")
    for c in d.cold_rows:
        if c.every_row_loaded:
            text = f"{c.path} ({c.model}): every call loaded the model; none set apart"
        else:
            load = f"; load up to {_num(c.load_ms_max)} ms" if c.load_ms_max is not None else ""
            text = f"{c.path} ({c.model}): {c.rows} of {c.of_rows} rows, by {c.by}{load}"
        add(
            3, "Rows that loaded the model (set apart from comparisons, kept for load times):", text
        )
    for note in d.unit_notes:
        add(3, "Units decided:", f"{note.path} {note.column}: {note.unit} ({note.reason})")
    for c in d.column_settings:
        add(
            3,
            "Columns read as settings from their values (names Chimera does not know):",
            f"{c.path} {c.column}: {', '.join(c.levels)}",
        )
    for u in d.unread:
        add(3, "Files with numbers not analysed:", f"{u.path}: {u.reason}")


def _digest_lines(d: DataDigest) -> list[_Line]:
    """Every line the digest can show, each with how readily it may be left out."""
    lines: list[_Line] = []

    def add(priority: int, heading: str, text: str) -> None:
        lines.append(_Line(priority, heading, text))

    excluded = sum(e.count for e in d.error_rows)
    add(
        -1,
        "",
        f"Data digest: {d.tables_read} tables, {d.rows_read} rows read; {excluded} "
        f"error rows excluded; {len(d.skipped)} files could not be parsed.",
    )
    prompt_rate = any(s.metric == "prompt_tokens_per_s" for s in d.stats)
    if prompt_rate:  # llama-bench pp tests: a rate of its own, never generation throughput
        add(
            -1,
            "",
            "Units: tok/s (tokens_per_s: generation; prompt_tokens_per_s: prompt processing); "
            "times in ms (s and ns converted); eval_count in tokens.",
        )
    else:
        add(-1, "", "Units: tok/s; times in ms (s and ns converted); eval_count in tokens.")
    if (omitted := d.file_stats_omitted) is not None:
        add(
            -1,
            "",
            f"Per-file statistics omitted: {omitted.files:,} files hold metrics, more than "
            f"{omitted.max_files:,}; the statistics are by model and config only.",
        )
    for path, encoding in d.encodings.items():
        add(-1, "", f"ENCODING: {path} is not UTF-8; read as {LEGACY_ENCODINGS[encoding]}.")
    for p in d.partial:
        add(
            -1,
            "",
            f"PARTIAL: {p.path} is {p.size_bytes / MB:,.1f} MB; only its first "
            f"{p.rows_read:,} rows were read (max_file_mb={p.max_file_mb:g}).",
        )
    for dropped in d.dropped:
        add(
            0,
            "",
            f"LEFT OUT: {dropped.count:,} {dropped.what} of {dropped.path}: {dropped.reason}.",
        )
    others = [m for m in UNITS if m not in KEY_METRICS]
    other_units = "tok/s, ms, tokens" if prompt_rate else "ms, tokens"
    _identity_lines(d, add)
    for scope, overall in _grouped(d, None).items():
        where = f" ({scope.removeprefix('all rows ')})" if scope else ""
        for s in overall.values():
            priority = 0 if s.metric in KEY_METRICS else 2
            add(priority, "Overall means:", f"{s.metric} {_num(s.mean)} {s.unit} ({_n(s)}){where}")
    key_heading = "Means by {} (tokens_per_s tok/s, ttft_ms ms):"
    for group_by, priority in (("model", 0), ("model+config_name", 1), ("config_name", 3)):
        for group, stats in _grouped(d, group_by).items():
            if text := _means(stats, KEY_METRICS):
                n = _n(next(iter(stats.values())))
                add(priority, key_heading.format(group_by), f"{group}: {text} ({n})")
    for e in d.error_rows:
        add(1, "Rows with an error (excluded):", f"{e.path}: {e.count} ({e.sample[:60]})")
    for f in d.some_requests_failed:
        add(
            1,
            "Rows where some requests did not complete (kept; figures over the completed ones):",
            f"{f.path}: {f.rows} of {f.of_rows} rows (the least: {f.completed} of "
            f"{f.requested} requests completed)",
        )
    for group, stats in _grouped(d, "model").items():
        if text := _means(stats, others):
            add(2, f"Other means by model ({other_units}):", f"{group}: {text}")
    for scope, overall in _grouped(d, None).items():
        where = f" ({scope.removeprefix('all rows ')})" if scope else ""
        for s in overall.values():
            add(
                2,
                "Spread over all rows:",
                f"{s.metric}{where}: median {_num(s.median)}, p95 "
                f"{_num(s.p95)}, min {_num(s.min)}, max {_num(s.max)} [{s.column}]",
            )
    for name, params in d.configs.items():
        text = ", ".join(f"{k}={v}" for k, v in params.items())
        add(2, "Configs:", f"{name}: {text}")
    for key in dict.fromkeys((s.metric, s.aggregate) for s in d.stats if s.aggregate):
        by = next(
            g
            for g in ("model+config_name", "model", None)
            if any(s.group_by == g for s in d.stats if (s.metric, s.aggregate) == key)
        )
        for group, stats in _grouped(d, by, key[1]).items():
            s = stats.get(key[0])
            if s is None:  # this group's files report other metrics, not this one
                continue
            runs = f" over {s.runs} run{'' if s.runs == 1 else 's'}" if s.runs is not None else ""
            add(
                3,
                "As reported by summary files (already aggregated):",
                f"{group or 'all'}: {s.aggregate} {s.metric} {_num(s.mean)}{runs} [{s.column}]",
            )
    for group, stats in _grouped(d, "model").items():
        spread = "; ".join(
            f"{m} median {_num(stats[m].median)}, p95 {_num(stats[m].p95)}"
            for m in KEY_METRICS
            if m in stats
        )
        if spread:
            add(3, "Spread by model:", f"{group}: {spread}")
    for s in d.skipped:
        add(3, "Skipped files:", f"{s.path}: {s.reason}")
    for group, stats in _grouped(d, "file").items():
        n = _n(next(iter(stats.values())))
        add(4, "Means per file:", f"{group}: {_means(stats, UNITS)} ({n})")
    for note in d.notes:
        add(4, "Notes (Markdown):", f"{note.path}: {note.title}")
    if d.tables_without_metrics:
        add(4, "", "No recognised metric columns: " + ", ".join(d.tables_without_metrics))
    return lines


def _compose(lines: list[_Line], kept: list[bool], footer: str | None) -> str:
    out: list[str] = []
    heading = None
    for line, keep in zip(lines, kept, strict=True):
        if not keep:
            continue
        if line.heading != heading:
            heading = line.heading
            if heading:
                out.append(heading)
        out.append(line.text)
    if footer:
        out.append(footer)
    return "\n".join(out)


def _fit(
    lines: list[_Line], max_tokens: int | None, count_tokens: Callable[[str], int]
) -> tuple[str, bool]:
    """All lines if they fit; else leave out the fewest least informative lines, and say so."""
    everything = _compose(lines, [True] * len(lines), None)
    if max_tokens is None or count_tokens(everything) <= max_tokens:
        return everything, False
    # Drop order: lowest priority first, later lines (finer detail) before earlier ones.
    order = sorted(
        (i for i, line in enumerate(lines) if line.priority >= 0),
        key=lambda i: (-lines[i].priority, -i),
    )

    def attempt(k: int) -> str:
        kept = [True] * len(lines)
        for i in order[:k]:
            kept[i] = False
        footer = (
            f"[{k} of {len(lines)} digest lines left out to fit {max_tokens} tokens; "
            "the least informative (per-file detail, spreads) went first]"
        )
        return _compose(lines, kept, footer)

    # Fewer lines never cost more tokens, so binary search, then confirm (footer digits vary).
    low, high = 1, len(order)
    while low < high:
        mid = (low + high) // 2
        if count_tokens(attempt(mid)) <= max_tokens:
            high = mid
        else:
            low = mid + 1
    k = low
    while k < len(order) and count_tokens(attempt(k)) > max_tokens:
        k += 1
    return attempt(k), True


def render_digest(
    digest: DataDigest,
    max_tokens: int | None,
    count_tokens: Callable[[str], int] = estimate_tokens,
) -> tuple[str, bool]:
    """Compact plain text for the prompt and whether lines had to be left out to fit."""
    return _fit(_digest_lines(digest), max_tokens, count_tokens)


def _n(s: MetricStats) -> str:
    """'n=18', or for rows that are each a mean of timed runs 'n=18 rows, each a mean of 3
    runs': such a row is not one run."""
    if s.runs is None or s.aggregate is not None or s.runs == s.n:
        return f"n={s.n}"
    each = s.runs / s.n
    if each.is_integer():
        return f"n={s.n} rows, each a mean of {each:g} runs"
    return f"n={s.n} rows, means of {s.runs} runs in all"
