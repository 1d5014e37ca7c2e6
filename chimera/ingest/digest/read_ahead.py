"""Files parsed ahead in worker processes while the digest takes in the ones before them.

What parsing a file gives (pandas' read of a CSV, a JSON's records, a note's tables and
claims: `parse_file`) depends on that file alone; what the digest does with it (copies,
duplicates, setups, statistics) depends on every file before it, in order. So the files
the digest will parse are parsed ahead by forked workers, and the digest takes each result
in its turn: the same digest, byte for byte, as one file after another, on more cores.

- **Which files**: those no earlier file repeats byte for byte (`ByteCopies.originals_ahead`:
  a copy is not parsed), up to AHEAD_MAX_BYTES (a big CSV is streamed by the digest itself,
  its memory bound).
- **When**: on Linux, where a forked worker starts in milliseconds with everything imported;
  in a process running one thread, since a fork copies only the calling thread and a lock
  another thread held would never be released in the worker; for READ_AHEAD_MIN_FILES files
  and more; with more than one worker (`IngestOptions.workers`, default the cores this
  process may run on).
- **Nothing lost**: workers that cannot start, a batch whose worker died, or whose result
  could not come back: the digest parses those files itself. A file's own error
  (unreadable, not UTF-8) comes back and is raised where the digest takes the file, as if
  it had parsed it.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from chimera.ingest.digest.claims import NoteClaim
from chimera.ingest.digest.copies import ByteCopies
from chimera.ingest.digest.readers import (
    read_csv_table,
    read_json_table,
    read_markdown_tables,
    read_text_table,
    text_encoding,
)
from chimera.ingest.digest.table import TableValues
from chimera.ingest.inventory import FileEntry

# Below this many files to parse, forking workers costs about what it saves.
READ_AHEAD_MIN_FILES = 50
# Bigger files are parsed by the digest itself: a big CSV streams in bounded memory there,
# and its frame would cross between processes whole.
AHEAD_MAX_BYTES = 4 * 1024 * 1024
# Files per task: small enough to keep every worker busy, big enough that the round trip
# (about 0.1 ms) is small beside the parses (about 0.3 ms a file).
BATCH_FILES = 16
# Batches queued per worker: enough that a worker never waits for the digest, few enough
# that parsed frames waiting their turn stay a small share of memory.
BATCHES_PER_WORKER = 4

# A text file's Markdown table rule ("| --- | ---: |") in its first bytes.
MARKDOWN_RULE = re.compile(rb"(?m)^\s*\|\s*:?-{3,}:?\s*\|")


@dataclass
class ParsedFile:
    """What one file gives on its own, before anything of the folder is known.

    A note: its `tables`, `other` (tables with no metric column) and `claims`. A text file:
    its `verdict` (its table, a reason it is not read, or None: no figures) and, where that
    found no table, the Markdown `tables` among its lines. A CSV or JSON file: its one table
    in `tables`; `partial` where a CSV was read only in part (beyond max_file_mb).
    """

    tables: list[TableValues] = field(default_factory=list)
    other: int = 0
    claims: list[NoteClaim] = field(default_factory=list)
    verdict: TableValues | str | None = None
    partial: bool = False


def parse_file(
    where: str, entry: FileEntry, head: bytes, encoding: str, max_file_mb: float
) -> ParsedFile:
    """Parse one inventoried file (`head`: its first bytes) in `encoding`. Raises what its
    reader raises."""
    path = Path(where)
    if entry.kind == "markdown":
        tables, other, claims = read_markdown_tables(path, entry, encoding, max_file_mb)
        return ParsedFile(tables=tables, other=other, claims=claims)
    if entry.kind == "text":
        verdict = read_text_table(path, entry, encoding, max_file_mb)
        if not isinstance(verdict, TableValues) and MARKDOWN_RULE.search(head):
            # `llama-bench ... 2>&1 | tee bench.log`: its Markdown table among the log's
            # lines, or a table pasted into results.txt; a log's prose makes no claims
            tables, _, _ = read_markdown_tables(path, entry, encoding, max_file_mb)
            return ParsedFile(tables=tables, verdict=verdict)
        return ParsedFile(verdict=verdict)
    if entry.kind == "csv":
        values, partial = read_csv_table(path, entry, encoding, head, max_file_mb)
        return ParsedFile(tables=[values], partial=partial)
    return ParsedFile(tables=[read_json_table(path, entry, encoding, max_file_mb)])


@dataclass(frozen=True)
class _Raised:
    """A file's own error, raised again where the digest takes the file."""

    error: Exception


HeadReader = Callable[[str], bytes]


def _parse_batch(
    root: str, entries: list[FileEntry], max_file_mb: float, read_head: HeadReader
) -> list[ParsedFile | _Raised]:
    """In a worker: each file parsed, or the error that stopped it."""
    out: list[ParsedFile | _Raised] = []
    for entry in entries:
        where = os.path.join(root, entry.path)
        try:
            head = read_head(where)
            out.append(parse_file(where, entry, head, text_encoding(head), max_file_mb))
        except Exception as exc:  # raised again in the digest, in the file's turn
            out.append(_Raised(exc))
    return out


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the digest stops its workers itself, and a
    # worker's KeyboardInterrupt would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_ahead_workers(requested: int | None, files: int) -> int:
    """Workers to parse `files` files ahead with (0: none, the digest parses them)."""
    if sys.platform != "linux" or threading.active_count() > 1 or files < READ_AHEAD_MIN_FILES:
        return 0
    workers = len(os.sched_getaffinity(0)) if requested is None else requested
    return workers if workers > 1 else 0


class ReadAhead:
    """Batches of files parsed by worker processes, taken in the digest's order."""

    def __init__(
        self,
        root: str,
        entries: list[FileEntry],
        max_file_mb: float,
        workers: int,
        read_head: HeadReader,
    ) -> None:
        self._root = root
        self._max_file_mb = max_file_mb
        self._read_head = read_head
        self._batches = [entries[i : i + BATCH_FILES] for i in range(0, len(entries), BATCH_FILES)]
        self._batch_of = {e.path: i for i, batch in enumerate(self._batches) for e in batch}
        self._window = workers * BATCHES_PER_WORKER
        self._pool = ProcessPoolExecutor(
            workers, mp_context=get_context("fork"), initializer=_ignore_interrupt
        )
        self._futures: dict[int, Future[list[ParsedFile | _Raised]]] = {}
        self._submitted = 0  # batches handed to the workers so far
        self._taken = -1  # the batch whose results are in `_parsed`
        self._parsed: dict[str, ParsedFile | _Raised] = {}
        # The workers fork at the first batches. Objects frozen out of the collector's reach
        # are never walked by a worker's collections, so their pages stay shared instead of
        # being copied into every worker.
        gc.freeze()
        try:
            self._fill()
        finally:
            gc.unfreeze()

    def _fill(self) -> None:
        while self._submitted < len(self._batches) and len(self._futures) < self._window:
            batch = self._batches[self._submitted]
            try:
                future = self._pool.submit(
                    _parse_batch, self._root, batch, self._max_file_mb, self._read_head
                )
            except Exception:  # a worker died: the pool takes no more (BrokenProcessPool)
                self._submitted = len(self._batches)  # the digest parses the rest itself
                return
            self._futures[self._submitted] = future
            self._submitted += 1

    def _take_batch(self, index: int) -> None:
        for earlier in [i for i in self._futures if i < index]:
            self._futures.pop(earlier).cancel()  # none of its files was asked for
        if self._submitted <= index:
            self._submitted = index  # the batches before it were not asked for
            self._fill()
        future = self._futures.pop(index, None)
        self._parsed.clear()
        self._taken = index
        results: list[ParsedFile | _Raised] = []
        if future is not None:
            try:
                results = future.result()
            except Exception:  # the worker died or its result could not come back
                results = []  # the digest parses this batch's files itself
        for entry, result in zip(self._batches[index], results, strict=False):
            self._parsed[entry.path] = result
        self._fill()
        if not self._futures:
            # All parsed: the workers go now, not at the digest's end. While they live, each
            # page the digest writes to is copied out of the memory they share (a fork's
            # copy on write): 4 % of a 100,000-file digest, most of it after the last batch.
            self._pool.shutdown(wait=True)

    def take(self, entry: FileEntry) -> ParsedFile | None:
        """The file's parse, if a worker made it (None: parse it here). Raises the file's
        own error as its reader did."""
        index = self._batch_of.pop(entry.path, None)
        if index is None:
            return None
        if index != self._taken:
            self._take_batch(index)
        result = self._parsed.pop(entry.path, None)
        if isinstance(result, _Raised):
            raise result.error
        return result

    def close(self) -> None:
        """Stop the workers; batches not started are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def start_read_ahead(
    copies: ByteCopies,
    entries: Sequence[FileEntry],
    max_file_mb: float,
    requested_workers: int | None,
    read_head: HeadReader,
) -> ReadAhead | None:
    """Workers parsing the files of `entries` the digest will parse, where it pays."""
    if read_ahead_workers(requested_workers, len(entries)) == 0:
        return None  # before hashing anything: most folders end here
    ahead = copies.originals_ahead(entries, AHEAD_MAX_BYTES)
    workers = read_ahead_workers(requested_workers, len(ahead))
    if workers == 0:
        return None
    try:
        return ReadAhead(copies.root, ahead, max_file_mb, workers, read_head)
    except OSError:  # no worker could start (no /dev/shm for its queues, no memory to fork)
        return None  # the digest parses every file itself
