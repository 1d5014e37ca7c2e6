"""Ingest a data folder once for all the runs that read it: a comparison's agents and repetitions.

The digest is a pure function of the files and the ingest options, and computing it is CPU
work that concurrent agents in one interpreter queue for (one GIL). So every run still walks
the folder (one `stat` per file, cheap), and reuses the digest, the highlights and the
prepared known figures while the folder is unchanged: same paths, sizes and modification
times, same options. A changed file means a fresh ingest, never stale data. Runs that
start together wait for one ingest instead of each doing their own.

One cache per batch of runs (`execute(..., ingest_cache=...)`); a run given none gets its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chimera.config import IngestOptions
from chimera.digest import DataDigest, ingest_folder
from chimera.figures import KnownFigures, data_figures
from chimera.highlights import Highlight, compute_highlights
from chimera.inventory import Inventory, scan_folder

# A folder rewritten while a long comparison reads it should not pile up digests.
MAX_ENTRIES = 4
# How often a long digest says how far it got (never per file: a file takes ~3 ms).
PROGRESS_EVERY_S = 2.0
# Renderings kept per digest: the writer's prompt budget shifts with each run's findings.
MAX_RENDERINGS = 8

RenderKey = tuple[int | None, Callable[[str], int] | None]
FileProgress = Callable[[int, int], None]  # (files read, files in all), from the ingest thread


@dataclass(frozen=True)
class IngestedData:
    """Everything the graph derives from the data folder without an LLM."""

    inventory: Inventory  # files the digest could not read moved to `skipped`
    digest: DataDigest
    highlights: list[Highlight]
    figures: KnownFigures  # the digest's and highlights' figures, prepared for verify
    _rendered: OrderedDict[RenderKey, tuple[str, bool]] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )

    def render(
        self, max_tokens: int | None, count_tokens: Callable[[str], int] | None = None
    ) -> tuple[str, bool]:
        """`DataDigest.render`, remembered for the last few sizes asked (runs repeat them)."""
        key = (max_tokens, count_tokens)
        try:
            rendered = self._rendered.pop(key, None)
        except TypeError:  # a backend that cannot be hashed: render every time
            return self.digest.render(max_tokens, count_tokens)
        if rendered is None:
            rendered = self.digest.render(max_tokens, count_tokens)
        self._rendered[key] = rendered  # most recently used last
        while len(self._rendered) > MAX_RENDERINGS:
            self._rendered.popitem(last=False)
        return rendered


def ingest_data(
    root: Path,
    options: IngestOptions,
    inventory: Inventory | None = None,
    on_file: FileProgress | None = None,
) -> IngestedData:
    """Inventory (unless given), digest, highlights and known figures of a data folder."""
    scanned, digest = ingest_folder(root, options, inventory=inventory, on_file=on_file)
    highlights = compute_highlights(digest)
    return IngestedData(
        inventory=scanned,
        digest=digest,
        highlights=highlights,
        figures=KnownFigures(data_figures(digest, highlights)),
    )


def file_progress(report: Callable[[str], None] | None) -> FileProgress | None:
    """A per-file callback for the digest thread that calls `report(detail)` on this event
    loop, at most every PROGRESS_EVERY_S seconds: a big folder takes minutes to digest."""
    if report is None:
        return None
    loop = asyncio.get_running_loop()
    last = time.monotonic()

    def on_file(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done and now - last >= PROGRESS_EVERY_S:
            last = now
            # A closed loop (the run was cancelled) has nobody left to tell.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(report, f"{done:,} of {total:,} files read")

    return on_file


def _identity(path: str) -> tuple[int, ...]:
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def fingerprint(root: Path, options: IngestOptions, inventory: Inventory) -> str:
    """Identifies the folder's state: a changed, added, removed or re-permitted file changes it.

    Each file counts by inode, size, mtime and ctime: a file rewritten with its old size and
    its old mtime put back (`cp -p`, `rsync -t`, `tar x`) still gets a new ctime, which no
    user call can set back. Skipped files count too (a `chmod` can make one readable).
    """
    base = str(root)
    # The prompt budget does not change the digest, so agents differing only in it share.
    state = [
        base,  # as given, not resolved: the inventory handed out carries this spelling
        reading_key(options),
        [(f.path, _identity(os.path.join(base, f.path))) for f in inventory.files],
        [(s.path, s.reason, _identity(os.path.join(base, s.path))) for s in inventory.skipped],
    ]
    return hashlib.sha256(repr(state).encode()).hexdigest()


def reading_key(options: IngestOptions) -> str:
    """The ingest options that change what is read (all but the prompt budget)."""
    return options.model_dump_json(exclude={"digest_budget_tokens"})


def _scan(root: Path, options: IngestOptions) -> tuple[Inventory, str]:
    inventory = scan_folder(root, options)
    return inventory, fingerprint(root, options, inventory)


class IngestCache:
    """Ingested folders by fingerprint, for the runs of one batch (not thread-safe: one loop)."""

    def __init__(self) -> None:
        self._done: OrderedDict[str, IngestedData] = OrderedDict()
        self._pending: dict[str, asyncio.Task[IngestedData]] = {}
        self._scanning: dict[str, asyncio.Task[tuple[Inventory, str]]] = {}
        self.ingests = 0  # how many times a digest was actually computed
        self.reuses = 0

    async def ingest(
        self, root: Path, options: IngestOptions, on_file: FileProgress | None = None
    ) -> IngestedData:
        """The folder's data, computed at most once per folder state; blocking work in threads.

        `on_file` hears of the digest's progress when this call computes it (not on reuse).
        """
        inventory, key = await self._scan(root, options)
        if key in self._done:
            self.reuses += 1
            self._done.move_to_end(key)
            return self._done[key]
        task = self._pending.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(
                asyncio.to_thread(ingest_data, root, options, inventory, on_file)
            )
            self._pending[key] = task
            task.add_done_callback(lambda done: self._finish(key, done))
            self.ingests += 1
        else:
            self.reuses += 1
        # Shielded: one waiting run being cancelled must not cancel the others' ingest.
        return await asyncio.shield(task)

    async def _scan(self, root: Path, options: IngestOptions) -> tuple[Inventory, str]:
        """A fresh walk and fingerprint of the folder (in a thread); concurrent runs share one."""
        key = json.dumps([str(root), reading_key(options)])
        task = self._scanning.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(asyncio.to_thread(_scan, root, options))
            self._scanning[key] = task
            task.add_done_callback(lambda done: self._scan_done(key, done))
        return await asyncio.shield(task)

    def _scan_done(self, key: str, task: asyncio.Task[tuple[Inventory, str]]) -> None:
        if self._scanning.get(key) is task:
            del self._scanning[key]
        if not task.cancelled():
            task.exception()  # retrieved here: every waiter may have been cancelled

    def _finish(self, key: str, task: asyncio.Task[IngestedData]) -> None:
        if self._pending.get(key) is task:
            del self._pending[key]
        if not task.cancelled() and task.exception() is None:
            self._done[key] = task.result()
            while len(self._done) > MAX_ENTRIES:
                self._done.popitem(last=False)

    def data_for(self, digest: DataDigest) -> IngestedData | None:
        """What this cache derived along with `digest` (the same object), else None."""
        for data in self._done.values():
            if data.digest is digest:
                return data
        return None
