"""Files parsed ahead by forked workers: the same digest as one file after another, nothing lost."""

from __future__ import annotations

import builtins
import errno
import multiprocessing
import os
import random
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

import chimera.ingest.digest.build as build_module
import chimera.ingest.digest.read_ahead as read_ahead
from benchmarks.datagen import csv_text, json_text, md_text
from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.ingest.digest import ingest_folder
from chimera.ingest.inventory import IngestStopped

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    read_ahead.read_ahead_workers(2, read_ahead.READ_AHEAD_MIN_FILES) == 0,
    reason="read-ahead forks workers on Linux only, in a process running one thread",
)


def _folder(root: Path) -> Path:
    """The bundled examples, distinct generated runs and notes, byte copies of some of them,
    a log with a Markdown table among its lines, and files no reader can use."""
    shutil.copytree(REPO / "examples" / "data", root)
    rng = random.Random(11)
    gen = root / "generated"
    gen.mkdir()
    for i in range(24):
        (gen / f"run_{i:02d}.csv").write_text(csv_text(rng, 1500 + 97 * i))
        (gen / f"result_{i:02d}.json").write_text(json_text(rng, 1200 + 89 * i))
        (gen / f"note_{i:02d}.md").write_text(md_text(rng, 600 + 71 * i))
    for i in range(0, 24, 3):  # copies: counted as duplicates, never parsed
        shutil.copy(gen / f"run_{i:02d}.csv", gen / f"run_{i:02d} (1).csv")
        shutil.copy(gen / f"note_{i:02d}.md", gen / f"note_{i:02d}_copy.md")
    (gen / "bench.log").write_text(
        "loading model\n| model | test | t/s |\n| --- | --- | ---: |\n"
        "| gemma3 1B Q4_K_M | tg128 | 61.20 |\n| gemma3 1B Q4_K_M | pp512 | 812.40 |\n"
    )
    (gen / "latin1.csv").write_bytes(
        "model,tokens_per_s,note\ngemma3:1b,40.1,d\xe9j\xe0\n".encode("latin-1")
    )
    (gen / "broken.json").write_text('{"model": "gemma3:1b", "tokens_per_s": ')
    # UTF-8 in its first 64 KB, Windows-1252 past them: read again whole in the digest
    rows = "".join(f"gemma3:1b,{40 + i % 7}.{i % 10},ok\n" for i in range(4000))
    (gen / "late_legacy.csv").write_bytes(
        ("model,tokens_per_s,note\n" + rows + "gemma3:1b,41.0,d\xe9j\xe0\n").encode("cp1252")
    )
    (gen / "locked.csv").write_text("model,tokens_per_s\ngemma3:1b,40.0\n")
    return root


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = _folder(tmp_path / "data")
    locked = root / "generated" / "locked.csv"

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        # As root a mode-000 file stays readable: refuse it as the kernel would (EACCES).
        # Workers fork after this is in place, so they refuse it too.
        if Path(file) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(build_module, "open", guarded_open, raising=False)
    # Small batches, so that a folder of a test's size crosses many of them.
    monkeypatch.setattr(read_ahead, "READ_AHEAD_MIN_FILES", 10)
    monkeypatch.setattr(read_ahead, "BATCH_FILES", 4)
    return root


def _taken_ahead(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths whose parse (or its error) the digest took from a worker."""
    taken: list[str] = []
    real_take = read_ahead.ReadAhead.take

    def take(self: read_ahead.ReadAhead, entry: Any) -> Any:
        try:
            parsed = real_take(self, entry)
        except Exception:  # the worker's parse raised the file's own error
            taken.append(entry.path)
            raise
        if parsed is not None:
            taken.append(entry.path)
        return parsed

    monkeypatch.setattr(read_ahead.ReadAhead, "take", take)
    return taken


def test_read_ahead_gives_the_digest_and_findings_of_one_file_after_another(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, serial = ingest_folder(folder, IngestOptions(workers=1))
    taken = _taken_ahead(monkeypatch)
    _, ahead = ingest_folder(folder, IngestOptions(workers=2))
    # The workers parsed the originals; copies were left to the digest, which parses none.
    assert len(taken) >= 70
    assert not any("(1)" in path or "_copy" in path for path in taken)
    assert ahead.model_dump_json() == serial.model_dump_json()
    assert compute_findings(ahead) == compute_findings(serial)
    # The files' own errors, raised in the workers, are the digest's skips as before.
    skipped = {s.path: s.reason for s in ahead.skipped}
    assert skipped["generated/locked.csv"] == "cannot read: Permission denied"
    assert "generated/broken.json" in skipped
    # The worker's parse of a file UTF-8 only in its head failed; the digest read it again.
    assert "generated/late_legacy.csv" in taken and "generated/late_legacy.csv" not in skipped
    assert ahead.encodings.get("generated/late_legacy.csv") == "cp1252"
    assert any(d.path == "generated/run_00 (1).csv" for d in ahead.duplicates)
    assert not multiprocessing.active_children()  # the workers are gone


def test_a_worker_that_dies_loses_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, serial = ingest_folder(folder, IngestOptions(workers=1))
    parent = os.getpid()
    real_parse = read_ahead.parse_file

    def dying_parse(where: str, *args: Any) -> Any:
        if os.getpid() != parent and where.endswith("run_05.csv"):
            os._exit(1)  # a worker killed mid-batch (the OOM killer, a segfault)
        return real_parse(where, *args)

    monkeypatch.setattr(read_ahead, "parse_file", dying_parse)
    taken = _taken_ahead(monkeypatch)
    _, ahead = ingest_folder(folder, IngestOptions(workers=2))
    assert taken  # batches before the death came from the workers ...
    assert "generated/run_05.csv" not in taken  # ... the rest the digest parsed itself
    assert ahead.model_dump_json() == serial.model_dump_json()


def test_workers_that_cannot_start_leave_the_digest_to_itself(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, serial = ingest_folder(folder, IngestOptions(workers=1))

    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise OSError(38, "Function not implemented")  # a container without /dev/shm

    monkeypatch.setattr(read_ahead, "ProcessPoolExecutor", no_pool)
    _, digest = ingest_folder(folder, IngestOptions(workers=2))
    assert digest.model_dump_json() == serial.model_dump_json()


def test_a_stopped_digest_stops_its_workers(folder: Path) -> None:
    stop = threading.Event()

    def on_file(done: int, total: int) -> None:
        if done == 20:
            stop.set()

    with pytest.raises(IngestStopped):
        ingest_folder(folder, IngestOptions(workers=2), on_file=on_file, stop=stop)
    assert not multiprocessing.active_children()


def test_no_workers_where_they_cannot_fork_safely_or_would_not_pay() -> None:
    enough = read_ahead.READ_AHEAD_MIN_FILES
    assert read_ahead.read_ahead_workers(2, enough) == 2
    assert read_ahead.read_ahead_workers(1, enough) == 0  # workers: 1 turns it off
    assert read_ahead.read_ahead_workers(2, enough - 1) == 0  # too few files to pay
    # Beside another thread a fork could copy a lock that thread holds, never released.
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert read_ahead.read_ahead_workers(2, enough) == 0
    finally:
        release.set()
        other.join()


def test_originals_ahead_leaves_out_copies_and_hashes_only_sizes_few_files_share(
    tmp_path: Path,
) -> None:
    from chimera.ingest.digest.copies import HASHED_AHEAD, ByteCopies
    from chimera.ingest.inventory import scan_folder

    (tmp_path / "a.csv").write_text("model,tokens_per_s\nx:1b,40.1\n")
    (tmp_path / "b.csv").write_text("model,tokens_per_s\nx:1b,40.2\n")  # its size, other bytes
    shutil.copy(tmp_path / "a.csv", tmp_path / "c.json")  # a copy (CSV and JSON: one group)
    for i in range(HASHED_AHEAD + 1):  # a size many files share: only the first, unhashed
        (tmp_path / f"many_{i}.csv").write_text(f"model,tokens_per_s\nx:1b,50.{i}00\n")
    entries = scan_folder(tmp_path, IngestOptions()).files
    copies = ByteCopies(str(tmp_path))
    planned = [e.path for e in copies.originals_ahead(entries, 1 << 20)]
    assert planned == ["a.csv", "b.csv", "many_0.csv"]
    assert set(copies.known) == {"a.csv", "b.csv", "c.json"}
    # The judge, reading file after file with the hashes taken ahead, agrees.
    judged = {e.path: copies.original("data", e.path, e.size_bytes) for e in entries}
    assert judged["c.json"] == "a.csv" and judged["b.csv"] is None
