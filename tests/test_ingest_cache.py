"""The ingest cache: one digest per folder state for a batch of runs, never a stale one."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

import chimera
from chimera.backends.fake import FakeBackend
from chimera.config.agent import AgentConfig, IngestOptions
from chimera.config.personas import PersonaLibrary
from chimera.errors import DataError
from chimera.execution.runner import execute
from chimera.findings.prepared import MAX_RENDERINGS, prepared_for
from chimera.grounding.figures import check_figures, known_figures
from chimera.ingest import cache
from chimera.ingest.cache import IngestCache, ingest_data
from chimera.ingest.digest import render_digest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_runs_that_start_together_share_one_digest(data: Path) -> None:
    cache = IngestCache()

    async def three() -> list:
        return await asyncio.gather(*(cache.ingest(data, IngestOptions()) for _ in range(3)))

    first, second, third = asyncio.run(three())
    assert first.digest is second.digest is third.digest
    assert (cache.ingests, cache.reuses) == (1, 2)


def test_a_changed_file_is_digested_afresh(data: Path) -> None:
    cache = IngestCache()
    before = asyncio.run(cache.ingest(data, IngestOptions()))
    csv = next(data.rglob("*.csv"))
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")  # header and one row left
    after = asyncio.run(cache.ingest(data, IngestOptions()))
    assert cache.ingests == 2
    assert after.digest.rows_read < before.digest.rows_read


def test_a_touched_file_alone_is_enough_to_digest_again(data: Path) -> None:
    cache = IngestCache()
    asyncio.run(cache.ingest(data, IngestOptions()))
    md = next(data.rglob("*.md"))
    stat = md.stat()
    os.utime(md, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    asyncio.run(cache.ingest(data, IngestOptions()))
    assert cache.ingests == 2


def test_options_that_change_reading_are_not_shared_but_the_prompt_budget_is(data: Path) -> None:
    cache = IngestCache()
    base = asyncio.run(cache.ingest(data, IngestOptions()))
    budget = asyncio.run(cache.ingest(data, IngestOptions(digest_budget_tokens=500)))
    csv_only = asyncio.run(cache.ingest(data, IngestOptions(patterns=["*.csv"])))
    assert budget.digest is base.digest
    assert csv_only.digest is not base.digest
    assert set(csv_only.inventory.counts()) == {"csv"}
    assert cache.ingests == 2


def test_a_failed_ingest_reaches_every_waiter_and_is_not_cached(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    cache = IngestCache()
    with pytest.raises(DataError, match="no files matching"):
        asyncio.run(cache.ingest(empty, IngestOptions()))
    shutil.copytree(EXAMPLE, empty, dirs_exist_ok=True)
    data = asyncio.run(cache.ingest(empty, IngestOptions()))
    assert data.inventory.total_files > 0


def test_prepared_figures_trace_exactly_like_the_plain_list(data: Path) -> None:
    shared = prepared_for(IngestCache(), ingest_data(data, IngestOptions()).digest)
    stat = next(s for s in shared.digest.stats if s.metric == "tokens_per_s")
    text = {"report": f"Mean throughput was {stat.mean:.1f} tok/s; 98,765.4 tok/s is invented."}
    plain = check_figures(text, known_figures(shared.digest, shared.highlights))
    prepared = check_figures(text, shared.figures)
    assert prepared == plain
    assert [c.status for c in prepared.claims] == ["traced", "untraced"]


def test_derived_data_is_made_once_per_digest_key(data: Path) -> None:
    """Runs sharing an ingest share what is derived from it, by the ingest's key (the
    folder's fingerprint), not by object identity; a digest read back from a checkpoint
    (no key) is known by its content, so an equal copy shares too, and a changed one not."""
    cache = IngestCache()
    shared = asyncio.run(cache.ingest(data, IngestOptions()))
    assert shared.key
    first = prepared_for(cache, shared.digest, key=shared.key)
    assert prepared_for(cache, shared.digest, key=shared.key) is first
    copy = shared.digest.model_copy(deep=True)
    by_content = prepared_for(cache, copy)
    assert by_content is not first and by_content.highlights == first.highlights
    assert prepared_for(cache, shared.digest.model_copy(deep=True)) is by_content
    changed = copy.model_copy(update={"rows_read": copy.rows_read + 1})
    assert prepared_for(cache, changed) is not by_content


def test_runs_of_one_batch_digest_once_and_report_alike(data: Path) -> None:
    """Two agents on one cache: one digest, and the same verify result as separate runs."""
    config = AgentConfig(name="Fake", backend="fake", model="fake-model")
    personas = PersonaLibrary.discover([])
    cache = IngestCache()

    async def batch(shared: IngestCache | None) -> list:
        return await asyncio.gather(
            *(execute(config, personas, FakeBackend(), data, ingest_cache=shared) for _ in range(2))
        )

    together = asyncio.run(batch(cache))
    alone = asyncio.run(batch(None))
    assert cache.ingests == 1
    assert all(r.ok for r in together + alone)
    assert together[0].digest is together[1].digest
    assert together[0].figures_check == alone[0].figures_check
    assert together[0].highlights == alone[0].highlights


def test_runs_given_one_cache_digest_once_and_write_their_own_folders(
    data: Path, tmp_path: Path
) -> None:
    """The public API: a loop of blocking runs (one event loop each) shares the digest."""
    config = AgentConfig(name="Fake", backend="fake", model="fake-model")
    cache = chimera.IngestCache()
    first, second = (
        chimera.run(data, config, out=tmp_path / "runs", ingest_cache=cache) for _ in range(2)
    )
    assert first.ok and second.ok and first.run_dir != second.run_dir
    assert (cache.ingests, cache.reuses) == (1, 1)
    assert first.digest == second.digest


def test_a_file_rewritten_with_its_old_size_and_mtime_is_digested_afresh(data: Path) -> None:
    """As `cp -p` or `rsync -t` leave it: same size, same mtime, new content (new ctime)."""
    cache = IngestCache()
    before = asyncio.run(cache.ingest(data, IngestOptions()))
    csv = next(data.rglob("*.csv"))
    stat = csv.stat()
    text = csv.read_text(encoding="utf-8")
    digits = "".join("7" if ch.isdigit() else ch for ch in text)  # same length, new values
    csv.write_text(digits, encoding="utf-8")
    os.utime(csv, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert csv.stat().st_size == stat.st_size and csv.stat().st_mtime_ns == stat.st_mtime_ns
    after = asyncio.run(cache.ingest(data, IngestOptions()))
    assert cache.ingests == 2
    assert after.digest != before.digest


def test_renderings_are_remembered_but_bounded(data: Path) -> None:
    shared = prepared_for(IngestCache(), ingest_data(data, IngestOptions()).digest)
    texts = [shared.render(budget) for budget in range(200, 2200, 100)]
    assert shared.render(2100) is texts[-1]  # remembered
    assert texts[0] == render_digest(shared.digest, 200)
    assert len(shared._rendered) <= MAX_RENDERINGS


def test_the_digest_reports_each_file_before_reading_it(data: Path) -> None:
    calls: list[tuple[int, int]] = []
    shared = ingest_data(data, IngestOptions(), on_file=lambda *call: calls.append(call))
    # Every file the walk listed, including those the digest then could not read.
    listed = shared.inventory.total_files + len(shared.digest.skipped)
    assert calls == [(i, listed) for i in range(listed)]


def test_a_long_ingest_reports_progress_between_its_start_and_end(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Throttled per-file progress reaches the run's progress callback, from the loop."""
    monkeypatch.setattr(cache, "PROGRESS_EVERY_S", 0.0)  # report every file
    events: list[chimera.ProgressEvent] = []
    config = AgentConfig(name="Fake", backend="fake", model="fake-model")
    result = chimera.run(data, config, out=tmp_path / "runs", progress=events.append)
    assert result.ok
    ingest = [(e.phase, e.detail) for e in events if e.node == "ingest"]
    assert ingest[0] == ("start", None) and ingest[-1] == ("end", None)
    details = [d for phase, d in ingest if phase == "progress"]
    files = result.inventory.total_files + len(result.digest.skipped)
    assert details and details[-1] == f"{files - 1:,} of {files:,} files read"
