"""The digest and the computed findings of a data folder, with no model call.

`chimera findings DATA_DIR [--json]` and `chimera.analyse(data_dir)`: what a run knows before
its first model call (the ingest node's inventory, digest and findings), in about a second,
for scripts and CI pipelines. Nothing is written to disk.

The JSON (`DataFindings.to_json()`, `--json`) is versioned by `FINDINGS_SCHEMA_VERSION`; its
keys, as the README documents them, only grow within a version:

- `schema` ("chimera-findings"), `schema_version`, `chimera_version`, `generated_at` (UTC),
  `data_dir` (as given), `timings_s` ({"ingest", "findings"}: seconds),
- `files`: {"analysed": n, "by_kind": {"csv": n, ...}}: the files read,
- `findings`: [{id, kind, title, text, verdict, caveats, sources, importance, figures,
  recommendation}] in order of importance (F1 first); `verdict` is "real",
  "no measurable effect", "not comparable" or "info"; `recommendation` is null or {id,
  text, change, model, finding_ids, figures},
- `highlights`: the ids of the findings a report shows as its Data Highlights,
- `not_read`: [{path, reason, own_output}]: files left out, and why,
- `partly_read`: [{path, size_bytes, rows_read, max_file_mb}]: files read up to a limit,
- `left_out`: [{path, count, what ("rows" or "values"), reason}]: rows and values of read
  files left out of the statistics (error rows included),
- `digest`: the digest itself, as run.json holds it. Its shape follows the digest and is
  not covered by `schema_version`.
"""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from chimera._version import __version__
from chimera.config.agent import AgentConfig, IngestOptions, load_agent_config
from chimera.execution.data_folder import check_data_dir
from chimera.findings.compute import MAX_PER_KIND, compute_findings
from chimera.findings.finding import Finding
from chimera.findings.highlights import highlights_from
from chimera.ingest.digest.build import ingest_folder
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory, SkippedFile

FINDINGS_SCHEMA = "chimera-findings"
FINDINGS_SCHEMA_VERSION = 1
_WIDTH = 100  # text output wraps here, findings indented under their id


class LeftOut(BaseModel):
    """Rows or values of a read file that the statistics leave out, and why."""

    path: str
    count: int
    what: str
    reason: str


class DataFindings(BaseModel):
    """A data folder's inventory, digest and computed findings (no model involved)."""

    data_dir: str
    generated_at: datetime
    inventory: Inventory
    digest: DataDigest
    findings: list[Finding]
    highlight_ids: list[str] = Field(description="findings shown as the Data Highlights")
    ingest_s: float = Field(description="walking and reading the folder")
    findings_s: float = Field(description="computing the findings from the digest")

    @property
    def not_read(self) -> list[SkippedFile]:
        """Files left out of the analysis, with the reason (Chimera's own output included)."""
        return list(self.inventory.skipped)

    @property
    def left_out(self) -> list[LeftOut]:
        """Rows and values of read files left out of the statistics (error rows too)."""
        errors = [
            LeftOut(
                path=e.path,
                count=e.count,
                what="rows",
                reason=f'an error recorded in the row (the first reads "{e.sample}")',
            )
            for e in self.digest.error_rows
        ]
        dropped = [
            LeftOut(path=d.path, count=d.count, what=d.what, reason=d.reason)
            for d in self.digest.dropped
        ]
        return errors + dropped

    def to_json(self) -> dict[str, Any]:
        """The documented JSON (see the module docstring); json.dumps-ready."""
        return {
            "schema": FINDINGS_SCHEMA,
            "schema_version": FINDINGS_SCHEMA_VERSION,
            "chimera_version": __version__,
            "generated_at": self.generated_at.isoformat(),
            "data_dir": self.data_dir,
            "timings_s": {"ingest": round(self.ingest_s, 4), "findings": round(self.findings_s, 4)},
            "files": {"analysed": self.inventory.total_files, "by_kind": self.inventory.counts()},
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "highlights": self.highlight_ids,
            "not_read": [s.model_dump(mode="json") for s in self.not_read],
            "partly_read": [p.model_dump(mode="json") for p in self.digest.partial],
            "left_out": [x.model_dump(mode="json") for x in self.left_out],
            "digest": self.digest.model_dump(mode="json"),
        }

    def to_text(self) -> str:
        """What a person reads: the findings with ids, verdicts and sources; what was not read."""
        counts = ", ".join(
            f"{n} {kind.upper() if kind != 'markdown' else 'Markdown'}"
            for kind, n in self.inventory.counts().items()
        )
        head = (
            f"{self.data_dir}: {self.inventory.total_files} files read ({counts or 'none'}),"
            f" {self.digest.rows_read:,} rows; {len(self.findings)} findings in"
            f" {self.ingest_s + self.findings_s:.2f} s, no model"
        )
        lines = [head, ""]
        if not self.findings and self.digest.stats:  # figures read, but one setup each
            lines.append(
                "No findings: no comparison or problem to report from the figures read"
                " (--json lists them)."
            )
        elif not self.findings:
            lines.append("No findings: the files hold no metric Chimera recognises to compare.")
        highlights = set(self.highlight_ids)
        for f in self.findings:
            mark = " *" if f.id in highlights else ""
            lines.append(f"{f.id} [{f.verdict}]{mark} {f.title}")
            lines += _wrapped(f.text)
            if f.caveats:
                lines += _wrapped("caveats: " + "; ".join(f.caveats))
            if f.recommendation is not None:
                lines += _wrapped(f"{f.recommendation.id}: {f.recommendation.text}")
            if f.sources:
                lines += _wrapped("sources: " + f.source_line())
            lines.append("")
        if highlights:
            lines.append("* shown as a Data Highlight in a report")
            lines.append("")
        lines += _not_read_lines(self)
        return "\n".join(lines).rstrip() + "\n"


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
    )


def _not_read_lines(result: DataFindings) -> list[str]:
    lines: list[str] = []
    not_read = result.not_read
    if not_read:
        lines.append(f"Not read ({len(not_read)}):")
        lines += [f"  {s.path}: {s.reason}" for s in not_read]
    else:
        lines.append("Not read: none (every matching file was read).")
    if result.digest.unread:  # read, yet its figures are in no statistic (said why)
        lines.append(f"Read, no figure used ({len(result.digest.unread)}):")
        lines += [f"  {u.path}: {u.reason}" for u in result.digest.unread]
    if result.digest.partial:
        lines.append(f"Partly read ({len(result.digest.partial)}):")
        lines += [
            f"  {p.path}: the first {p.rows_read:,} rows of {p.size_bytes / 1e6:.1f} MB"
            f" (max_file_mb {p.max_file_mb:g})"
            for p in result.digest.partial
        ]
    left = result.left_out
    if left:
        lines.append(f"Left out of the statistics ({len(left)}):")
        lines += [f"  {x.path}: {x.count} {x.what}: {x.reason}" for x in left]
    return lines


def ingest_options(config: str | Path | AgentConfig | None) -> IngestOptions:
    """The `ingest:` options of an agent config (a path or AgentConfig), else the defaults."""
    if config is None:
        return IngestOptions()
    agent = config if isinstance(config, AgentConfig) else load_agent_config(config)
    return agent.ingest


def analyse(
    data_dir: str | Path,
    *,
    config: str | Path | AgentConfig | None = None,
    on_file: Callable[[int, int], None] | None = None,
    every_finding: bool = False,
) -> DataFindings:
    """The digest and the computed findings of `data_dir`, with no model call.

    `config` (an agent config's path or an AgentConfig) gives the `ingest:` options (patterns,
    max_file_mb); by default, Chimera's. `on_file(done, total)` is called before each file.
    A missing folder, or one where no file can be used, raises DataError.
    `every_finding`: no per-kind limit (a run's report keeps the strongest of each kind).
    """
    folder = check_data_dir(data_dir)
    options = ingest_options(config)
    started_at = datetime.now(UTC)
    start = time.perf_counter()
    inventory, digest = ingest_folder(folder, options, on_file=on_file)
    ingested = time.perf_counter()
    findings = compute_findings(digest, per_kind=None if every_finding else MAX_PER_KIND)
    highlights = highlights_from(findings)
    done = time.perf_counter()
    return DataFindings(
        data_dir=str(data_dir),
        generated_at=started_at,
        inventory=inventory,
        digest=digest,
        findings=findings,
        highlight_ids=[h.finding_id for h in highlights if h.finding_id],
        ingest_s=ingested - start,
        findings_s=done - ingested,
    )


def dumps(result: DataFindings) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
