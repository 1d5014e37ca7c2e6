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
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chimera.config import IngestOptions
from chimera.digest import DataDigest, build_digest
from chimera.figures import KnownFigures, data_figures
from chimera.highlights import Highlight, compute_highlights
from chimera.inventory import Inventory, scan_folder

# A folder rewritten while a long comparison reads it should not pile up digests.
MAX_ENTRIES = 4


@dataclass(frozen=True)
class IngestedData:
    """Everything the graph derives from the data folder without an LLM."""

    inventory: Inventory  # files the digest could not read moved to `skipped`
    digest: DataDigest
    highlights: list[Highlight]
    figures: KnownFigures  # the digest's and highlights' figures, prepared for verify
    _rendered: dict[tuple[int | None, Callable[[str], int] | None], tuple[str, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def render(
        self, max_tokens: int | None, count_tokens: Callable[[str], int] | None = None
    ) -> tuple[str, bool]:
        """`DataDigest.render`, remembered: every run of a batch asks for the same few sizes."""
        key = (max_tokens, count_tokens)
        try:
            return self._rendered[key]
        except TypeError:  # a backend that cannot be hashed: render every time
            return self.digest.render(max_tokens, count_tokens)
        except KeyError:
            rendered = self._rendered[key] = self.digest.render(max_tokens, count_tokens)
            return rendered


def ingest_data(
    root: Path, options: IngestOptions, inventory: Inventory | None = None
) -> IngestedData:
    """Inventory (unless given), digest, highlights and known figures of a data folder."""
    scanned = inventory if inventory is not None else scan_folder(root, options)
    digest = build_digest(root, scanned, options)
    highlights = compute_highlights(digest)
    return IngestedData(
        inventory=scanned.without(digest.skipped),
        digest=digest,
        highlights=highlights,
        figures=KnownFigures(data_figures(digest, highlights)),
    )


def fingerprint(root: Path, options: IngestOptions, inventory: Inventory) -> str:
    """Identifies the folder's state: a changed, added or removed file changes it."""
    # The prompt budget does not change the digest, so agents differing only in it share.
    reading = options.model_dump(mode="json", exclude={"digest_budget_tokens"})
    files = [(f.path, f.size_bytes, f.modified.isoformat()) for f in inventory.files]
    skipped = [(s.path, s.reason) for s in inventory.skipped]
    text = json.dumps([str(Path(root).resolve()), reading, files, skipped])
    return hashlib.sha256(text.encode()).hexdigest()


class IngestCache:
    """Ingested folders by fingerprint, for the runs of one batch (not thread-safe: one loop)."""

    def __init__(self) -> None:
        self._done: OrderedDict[str, IngestedData] = OrderedDict()
        self._pending: dict[str, asyncio.Task[IngestedData]] = {}
        self._scanning: dict[str, asyncio.Task[Inventory]] = {}
        self.ingests = 0  # how many times a digest was actually computed
        self.reuses = 0

    async def ingest(self, root: Path, options: IngestOptions) -> IngestedData:
        """The folder's data, computed at most once per folder state; blocking work in threads."""
        inventory = await self._scan(root, options)
        key = fingerprint(root, options, inventory)
        if key in self._done:
            self.reuses += 1
            self._done.move_to_end(key)
            return self._done[key]
        task = self._pending.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(asyncio.to_thread(ingest_data, root, options, inventory))
            self._pending[key] = task
            task.add_done_callback(lambda done: self._finish(key, done))
            self.ingests += 1
        else:
            self.reuses += 1
        # Shielded: one waiting run being cancelled must not cancel the others' ingest.
        return await asyncio.shield(task)

    async def _scan(self, root: Path, options: IngestOptions) -> Inventory:
        """A fresh walk of the folder; runs that start while one is under way share it."""
        key = json.dumps([str(root), options.model_dump(mode="json")])
        task = self._scanning.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(asyncio.to_thread(scan_folder, root, options))
            self._scanning[key] = task
            task.add_done_callback(
                lambda done: self._scanning.pop(key) if self._scanning.get(key) is done else None
            )
        return await asyncio.shield(task)

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
