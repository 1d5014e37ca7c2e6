"""How the cyclic garbage collector runs while a folder is read.

Two measured costs, two policies:

- The inventory's walk keeps one `FileEntry` per file and makes no reference cycles; every
  quarter more surviving objects set off a full collection of all the process holds (a
  quarter of a 100,000-file walk). It runs with the collector paused.
- The digest makes and drops many small containers (records, rows, claims, pandas' frames
  and their weak references): with CPython's default threshold the youngest generation was
  collected every 700 allocations, 11 % of a 1,000-file digest's CPU. It runs with that
  threshold raised, so cycles are still collected (a digest of 100,000 files must not hold
  its garbage to the end), a few times less often.

Both are process-wide settings: nested or concurrent uses (a sweep's digests on threads)
count in and out, and the first to enter saves what the last to leave restores.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between collections of the youngest generation while a digest runs (CPython's
# default is 700): 10,000 recovered the whole cost on a 1,000-file folder (50,000 no more).
DIGEST_YOUNG_THRESHOLD = 10_000

_lock = threading.Lock()
_paused = 0  # walks under way that paused the collector
_was_enabled = True
_spaced = 0  # digests under way that raised the threshold
_saved_threshold: tuple[int, ...] = ()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector paused for the inventory's walk (which makes no cycles)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


@contextmanager
def young_collections_spaced() -> Iterator[None]:
    """The youngest generation collected every DIGEST_YOUNG_THRESHOLD allocations, not 700."""
    global _spaced, _saved_threshold
    with _lock:
        if _spaced == 0:
            _saved_threshold = gc.get_threshold()
            if _saved_threshold[0] < DIGEST_YOUNG_THRESHOLD:
                gc.set_threshold(DIGEST_YOUNG_THRESHOLD, *_saved_threshold[1:])
        _spaced += 1
    try:
        yield
    finally:
        with _lock:
            _spaced -= 1
            if _spaced == 0:
                gc.set_threshold(*_saved_threshold)
