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
import dataclasses
import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from chimera.config.agent import IngestOptions
from chimera.ingest.digest.build import ingest_folder
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.inventory import Inventory, scan_folder

# A folder rewritten while a long comparison reads it should not pile up digests.
MAX_ENTRIES = 4
# How often a long digest says how far it got (never per file: a file takes ~3 ms).
PROGRESS_EVERY_S = 2.0
# Digests whose derived data (highlights, findings, prepared figures) are remembered.
MAX_DERIVED = 2 * MAX_ENTRIES

T = TypeVar("T")
FileProgress = Callable[[int, int], None]  # (files read, files in all), from the ingest thread


@dataclass(frozen=True)
class IngestedData:
    """What the ingest of a data folder gives: its inventory and its digest."""

    inventory: Inventory  # files the digest could not read moved to `skipped`
    digest: DataDigest
    key: str = ""  # the folder's fingerprint: what is derived from the digest is kept by it


def ingest_data(
    root: Path,
    options: IngestOptions,
    inventory: Inventory | None = None,
    on_file: FileProgress | None = None,
    stop: threading.Event | None = None,
) -> IngestedData:
    """Inventory (unless given) and digest of a data folder; `stop` ends it early."""
    scanned, digest = ingest_folder(root, options, inventory=inventory, on_file=on_file, stop=stop)
    return IngestedData(inventory=scanned, digest=digest)


def _keyed(key: str, *args: Any) -> IngestedData:
    """`ingest_data` whose result carries the folder's fingerprint as its key."""
    return dataclasses.replace(ingest_data(*args), key=key)


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
        # Chimera's own output left out changes as runs write into it; it is not read, so
        # only its presence counts (a comparison's own folder must not force a re-digest).
        [
            (s.path, s.reason, () if s.own_output else _identity(os.path.join(base, s.path)))
            for s in inventory.skipped
        ],
    ]
    return hashlib.sha256(repr(state).encode()).hexdigest()


def reading_key(options: IngestOptions) -> str:
    """The ingest options that change what is read (all but the prompt budget and the
    workers, which change only how fast)."""
    return options.model_dump_json(exclude={"digest_budget_tokens", "workers"})


def _scan(
    root: Path, options: IngestOptions, exclude: tuple[Path, ...], stop: threading.Event
) -> tuple[Inventory, str]:
    inventory = scan_folder(root, options, exclude, stop)
    return inventory, fingerprint(root, options, inventory)


@dataclass
class _Shared(Generic[T]):
    """Work in a thread that several runs wait for, stopped once none of them waits.

    Ctrl-C cancels the runs, not the thread: left alone, a digest of 100,000 files would
    hold the process for minutes after it was told to stop (the interpreter waits for its
    threads). So when the last waiting run is cancelled, `stop` is set and the thread ends
    at its next file or folder (IngestStopped).
    """

    task: asyncio.Future[T]
    stop: threading.Event
    waiters: int = 0

    @property
    def usable(self) -> bool:
        """Joinable by another run: on this event loop and not being stopped."""
        return self.task.get_loop() is asyncio.get_running_loop() and not self.stop.is_set()

    async def wait(self) -> T:
        self.waiters += 1
        try:
            # Shielded: one waiting run being cancelled must not cancel the others' wait.
            return await asyncio.shield(self.task)
        finally:
            self.waiters -= 1
            if self.waiters == 0 and not self.task.done():
                self.stop.set()


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved here: every waiter may have been cancelled


class IngestCache:
    """Ingested folders by fingerprint, for the runs of one batch (not thread-safe: one loop)."""

    def __init__(self) -> None:
        self._done: OrderedDict[str, IngestedData] = OrderedDict()
        self._pending: dict[str, _Shared[IngestedData]] = {}
        self._scanning: dict[str, _Shared[tuple[Inventory, str]]] = {}
        # Per digest key (`IngestedData.key`, or `digest_key` of a digest read back from a
        # checkpoint): what was derived from it, by name.
        self._derived: OrderedDict[str, dict[str, object]] = OrderedDict()
        self.ingests = 0  # how many times a digest was actually computed
        self.reuses = 0

    async def ingest(
        self,
        root: Path,
        options: IngestOptions,
        on_file: FileProgress | None = None,
        exclude: Sequence[Path] = (),
    ) -> IngestedData:
        """The folder's data, computed at most once per folder state; blocking work in threads.

        `on_file` hears of the digest's progress when this call computes it (not on reuse).
        `exclude`: folders to leave out (where the runs write, see `scan_folder`).
        """
        inventory, key = await self._scan(root, options, tuple(exclude))
        if key in self._done:
            self.reuses += 1
            self._done.move_to_end(key)
            return self._done[key]
        shared = self._pending.get(key)
        if shared is None or not shared.usable:
            stop = threading.Event()
            task = asyncio.ensure_future(
                asyncio.to_thread(_keyed, key, root, options, inventory, on_file, stop)
            )
            shared = self._pending[key] = _Shared(task, stop)
            task.add_done_callback(lambda done: self._finish(key, done))
            self.ingests += 1
        else:
            self.reuses += 1
        return await shared.wait()

    async def _scan(
        self, root: Path, options: IngestOptions, exclude: tuple[Path, ...]
    ) -> tuple[Inventory, str]:
        """A fresh walk and fingerprint of the folder (in a thread); concurrent runs share one."""
        key = json.dumps([str(root), reading_key(options), [str(p) for p in exclude]])
        shared = self._scanning.get(key)
        if shared is None or not shared.usable:
            stop = threading.Event()
            task = asyncio.ensure_future(asyncio.to_thread(_scan, root, options, exclude, stop))
            shared = self._scanning[key] = _Shared(task, stop)
            task.add_done_callback(lambda done: self._scan_done(key, done))
        return await shared.wait()

    def _scan_done(self, key: str, task: asyncio.Future[tuple[Inventory, str]]) -> None:
        if (shared := self._scanning.get(key)) is not None and shared.task is task:
            del self._scanning[key]
        _retrieve(task)

    def _finish(self, key: str, task: asyncio.Future[IngestedData]) -> None:
        if (shared := self._pending.get(key)) is not None and shared.task is task:
            del self._pending[key]
        _retrieve(task)
        if not task.cancelled() and task.exception() is None:
            self._done[key] = task.result()
            while len(self._done) > MAX_ENTRIES:
                self._done.popitem(last=False)

    def derived(self, key: str, what: str, make: Callable[[], T]) -> T:
        """What `make` derives from the digest known by `key`, made on a miss and remembered.

        A fresh run's key is its ingest's (`IngestedData.key`); a run resumed from a
        checkpoint that holds none uses `digest_key(digest)`. The runs of a batch share it.
        """
        entry = self._derived.pop(key, None)
        if entry is None:
            entry = {}
        self._derived[key] = entry  # most recently used last
        while len(self._derived) > MAX_DERIVED:
            self._derived.popitem(last=False)
        if what not in entry:
            entry[what] = make()
        return cast(T, entry[what])


def digest_key(digest: DataDigest) -> str:
    """A key for a digest known only by its content (read back from a checkpoint)."""
    return "content:" + hashlib.sha256(digest.model_dump_json().encode()).hexdigest()
