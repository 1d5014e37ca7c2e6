"""The garbage collector's policy while a folder is read (chimera.ingest.collector)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from chimera.config.agent import IngestOptions
from chimera.ingest.collector import (
    DIGEST_YOUNG_THRESHOLD,
    collector_paused,
    young_collections_spaced,
)
from chimera.ingest.digest.build import ingest_folder


def test_digest_runs_with_young_collections_spaced_and_restores_them(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_text("model,tokens_per_s\nm:1,10\nm:1,12\n")
    before = gc.get_threshold()
    seen: list[int] = []
    ingest_folder(tmp_path, IngestOptions(), on_file=lambda done, total: seen.append(
        gc.get_threshold()[0]))  # fmt: skip
    assert seen == [max(DIGEST_YOUNG_THRESHOLD, before[0])]
    assert gc.get_threshold() == before


def test_nested_and_overlapping_uses_restore_what_the_first_saved() -> None:
    before = gc.get_threshold()
    entered, release = threading.Event(), threading.Event()

    def other_digest() -> None:
        with young_collections_spaced():
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=other_digest)
    with young_collections_spaced():
        worker.start()
        entered.wait(5)
        with young_collections_spaced():
            assert gc.get_threshold()[0] == DIGEST_YOUNG_THRESHOLD
    # This digest ended first; the other is still reading: still spaced.
    assert gc.get_threshold()[0] == DIGEST_YOUNG_THRESHOLD
    release.set()
    worker.join(5)
    assert gc.get_threshold() == before


def test_pause_restores_the_collector_only_if_it_was_running() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()
