"""Messy data folders (issue 4): every unusable file is skipped with its reason, the run goes on.

Each test puts one good CSV next to one bad file, so it also proves the good data still
arrives. The folder-level failures (missing, a file, nothing matching) are DataErrors.
"""

from __future__ import annotations

import asyncio
import builtins
import errno
import json
import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from langgraph.runtime import Runtime

from chimera.agents import ingest as ingest_node
from chimera.config.agent import IngestOptions
from chimera.errors import DataError
from chimera.ingest import cache
from chimera.ingest.digest import DataDigest, ingest_folder, render_digest
from chimera.ingest.digest import build as digest_module
from chimera.ingest.digest.coverage import coverage_lines
from chimera.ingest.inventory import Inventory, scan_folder

GOOD = "prompt,ttft_s,tokens_s,error\nhello,0.2,50.0,\nworld,0.4,70.0,\n"
BASELINE = "prompt,ttft_s,tokens_s,load_s,eval_count,error\n"
IS_ROOT = os.geteuid() == 0


def messy(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """A data folder with `good.csv` and one more file, `name`, holding `content`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "good.csv").write_text(GOOD)
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    return tmp_path


def run(root: Path, **options: Any) -> tuple[Inventory, DataDigest, dict[str, str]]:
    inventory, digest = ingest_folder(root, IngestOptions(**options))
    return inventory, digest, {s.path: s.reason for s in inventory.skipped}


def assert_good_data_arrived(inventory: Inventory, digest: DataDigest) -> None:
    assert "good.csv" in {f.path for f in inventory.files}
    s = digest.find("tokens_per_s", "file", "good.csv")
    assert s is not None and s.mean == pytest.approx(60.0)


def test_invalid_json_names_the_line_and_problem(tmp_path: Path) -> None:
    root = messy(tmp_path, "bench.json", '{\n  "model": "gemma3:1b"\n  "results": []\n}\n')
    inventory, digest, skipped = run(root)
    assert skipped == {"bench.json": "invalid JSON at line 3: Expecting ',' delimiter"}
    assert "bench.json" not in {f.path for f in inventory.files}
    assert inventory.total_files == 1
    assert_good_data_arrived(inventory, digest)


def test_json_lines_are_read_not_rejected(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"model": "m:1b", "tokens_per_second": v}) for v in (10, 20))
    inventory, digest, skipped = run(messy(tmp_path, "runs.json", lines + "\n"))
    assert skipped == {}
    s = digest.find("tokens_per_s", "model", "m:1b")
    assert s is not None and (s.n, s.mean) == (2, 15.0)


@pytest.mark.parametrize(
    "rows",
    [
        "a,0.2,50.0,\nb, c,0.3,60.0,\n",  # an unquoted comma in a later row
        "a, b,0.2,50.0,\nc,0.3,60.0,\n",  # in the first row: pandas would take it as an index
        "a,0.2,\nb,0.3,60.0,\n",  # a row cut short, before the last
        # (the last line alone cut short is a file cut off mid-write: see test_limits.py)
    ],
)
def test_ragged_csv_is_skipped(tmp_path: Path, rows: str) -> None:
    inventory, digest, skipped = run(
        messy(tmp_path, "ragged.csv", GOOD.split("\n")[0] + "\n" + rows)
    )
    assert skipped["ragged.csv"].startswith("ragged rows: line ")
    assert "the header 4" in skipped["ragged.csv"]
    assert digest.find("tokens_per_s", "file", "ragged.csv") is None
    assert_good_data_arrived(inventory, digest)


def test_csv_without_header_is_skipped(tmp_path: Path) -> None:
    inventory, digest, skipped = run(
        messy(tmp_path, "nohead.csv", "0.21,55.2,0.03\n0.25,51.0,0.02\n")
    )
    assert skipped["nohead.csv"].startswith("no header row: the first line holds values")
    assert_good_data_arrived(inventory, digest)


@pytest.mark.parametrize(
    "text",
    ["Error: model 'gemma3:4b' not found, try pulling it first\n", "Killed\n"],
)
def test_csv_holding_only_an_error_message_is_skipped(tmp_path: Path, text: str) -> None:
    inventory, digest, skipped = run(messy(tmp_path, "failed_run.csv", text))
    assert skipped["failed_run.csv"].startswith("not a CSV table, only a message: ")
    assert text.strip()[:20] in skipped["failed_run.csv"]
    assert_good_data_arrived(inventory, digest)


def test_csv_with_header_only_is_skipped(tmp_path: Path) -> None:
    _, _, skipped = run(messy(tmp_path, "started.csv", BASELINE))
    assert skipped == {"started.csv": "header only, no data rows"}


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    # (a load of 0.01 s: a warm row; a 1 s load would set the only row apart as cold)
    content = (BASELINE + "p,0.5,20.0,0.01,100,\n").encode("utf-16")
    inventory, digest, skipped = run(messy(tmp_path, "windows.csv", content))
    assert skipped == {}
    s = digest.find("ttft_ms", "file", "windows.csv")
    assert s is not None and s.mean == pytest.approx(500.0)
    assert_good_data_arrived(inventory, digest)


def test_utf16_without_bom_is_skipped(tmp_path: Path) -> None:
    content = (BASELINE + "p,0.5,20.0,1.0,100,\n").encode("utf-16-le")
    _, _, skipped = run(messy(tmp_path, "nobom.csv", content))
    assert skipped == {"nobom.csv": "UTF-16 text without a byte-order mark; re-save it as UTF-8"}


def test_windows_1252_text_is_read_and_said(tmp_path: Path) -> None:
    """Excel on Windows saves a CSV in Windows-1252: `µs`, `°C` and `é` one byte each, which
    UTF-8 cannot decode; the file was skipped ("re-save it as UTF-8"), its runs lost. Its
    bytes are plainly Western single-byte text: it is read so, and the digest says it was."""
    content = (
        "prompt,TTFT (\u00b5s),tokens_s,GPU (\u00b0C)\ncaf\u00e9,200000,30.0,65\n"
        "th\u00e9,220000,32.0,66\n"
    ).encode("cp1252")
    inventory, digest, skipped = run(messy(tmp_path, "latin.csv", content))
    assert skipped == {}
    assert digest.encodings == {"latin.csv": "cp1252"}
    s = digest.find("ttft_ms", "file", "latin.csv")
    assert s is not None and s.mean == pytest.approx(210.0)  # µs, not s: see `columns`
    assert any("Windows-1252" in line and "latin.csv" in line for line in coverage_lines(digest))
    said = "ENCODING: latin.csv is not UTF-8; read as Windows-1252."
    assert said in render_digest(digest, None)[0]
    assert_good_data_arrived(inventory, digest)


def test_text_utf8_past_its_first_bytes_is_read_again_as_windows_1252(tmp_path: Path) -> None:
    rows = "".join(f"p{i},0.2,30.0,0.01,100,\n" for i in range(5000))
    content = (BASELINE + rows + "caf\u00e9,0.2,30.0,0.01,100,\n").encode("cp1252")
    _, digest, skipped = run(messy(tmp_path, "long.csv", content))
    assert skipped == {} and digest.encodings == {"long.csv": "cp1252"}
    s = digest.find("tokens_per_s", "file", "long.csv")
    assert s is not None and s.n == 5001


@pytest.mark.parametrize(
    "content",
    [
        "\u6a21\u578b,\u901f\u5ea6 (tok/s)\nqwen,30.0\n".encode("gbk"),  # East Asian: guessed wrong
        "prompt,tokens_s\nna\u00efve \u00b5,30.0\n".encode()
        + b"\xe9,31.0\n",  # UTF-8, a stray byte
    ],
)
def test_text_in_no_plain_western_encoding_is_skipped_not_guessed(
    tmp_path: Path, content: bytes
) -> None:
    inventory, digest, skipped = run(messy(tmp_path, "other.csv", content))
    assert skipped["other.csv"].startswith("not UTF-8 text (byte 0x")
    assert "re-save it as UTF-8" in skipped["other.csv"] and digest.encodings == {}
    assert_good_data_arrived(inventory, digest)


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    content = "\ufeffprompt,ttft_s,tokens_s\np,0.2,30.0\n".encode()
    _, digest, skipped = run(messy(tmp_path, "excel.csv", content))
    assert skipped == {}
    s = digest.find("tokens_per_s", "file", "excel.csv")
    assert s is not None and s.mean == 30.0


@pytest.mark.parametrize("name", ["chart.csv", "dump.json", "slides.md"])
def test_binary_files_with_a_data_extension_are_skipped(tmp_path: Path, name: str) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    inventory, digest, skipped = run(messy(tmp_path, name, png))
    assert skipped == {name: "binary content (NUL bytes), not text"}
    assert_good_data_arrived(inventory, digest)


def test_empty_files_are_skipped(tmp_path: Path) -> None:
    root = messy(tmp_path, "empty.csv", "")
    (root / "empty.json").write_text("")
    (root / "blank.csv").write_text("\n\n")
    inventory, digest, skipped = run(root)
    assert skipped == {
        "empty.csv": "empty file (0 bytes)",
        "empty.json": "empty file (0 bytes)",
        "blank.csv": "no CSV header: the file holds only blank lines",
    }
    assert_good_data_arrived(inventory, digest)


def test_large_csv_is_read_in_part_and_says_so(tmp_path: Path) -> None:
    rows = "".join(
        f"prompt {i},0.{i % 9 + 1},{40 + i % 20}.5,0.02,{100 + i},\n" for i in range(5000)
    )
    root = messy(tmp_path, "huge.csv", BASELINE + rows)
    size = (root / "huge.csv").stat().st_size
    inventory, digest, skipped = run(root, max_file_mb=0.05)  # about 52 KB of ~150 KB
    assert "huge.csv" not in skipped and inventory.total_files == 2
    [partial] = digest.partial
    assert (partial.path, partial.size_bytes) == ("huge.csv", size)
    assert 1000 < partial.rows_read < 2500  # about a third of the rows, never all 5000
    s = digest.find("eval_count", "file", "huge.csv")
    assert s is not None and s.n == partial.rows_read and s.max == 100 + partial.rows_read - 1
    text, _ = render_digest(digest, None)
    assert (
        f"PARTIAL: huge.csv is {size / 2**20:.1f} MB; only its first {partial.rows_read:,} rows"
        in text
    )


def test_large_json_is_skipped_with_the_limit(tmp_path: Path) -> None:
    doc = {"model": "m:1b", "results": [{"tokens_per_second": 1.0, "pad": "x" * 100}] * 1000}
    inventory, digest, skipped = run(messy(tmp_path, "big.json", json.dumps(doc)), max_file_mb=0.05)
    assert skipped["big.json"].startswith("JSON larger than max_file_mb (0.1 MB > 0.05 MB)")
    assert_good_data_arrived(inventory, digest)


def test_symlink_outside_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.csv").write_text("prompt,tokens_s\nx,999\n")
    root = messy(tmp_path / "data", "good.csv", GOOD)
    (root / "linked.csv").symlink_to(outside / "secret.csv")
    (root / "linked_dir").symlink_to(outside)
    inventory, digest, skipped = run(root)
    assert skipped["linked.csv"].startswith("symlink points outside the data folder (not followed)")
    assert skipped["linked_dir"].startswith("symlink points outside the data folder")
    assert digest.find("tokens_per_s", None, None).max == 70.0  # 999 never read
    assert_good_data_arrived(inventory, digest)


def test_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    root = messy(tmp_path, "runs/a.csv", GOOD)
    (root / "latest.csv").symlink_to(root / "runs" / "a.csv")
    (root / "other.csv").symlink_to(root / "runs")  # not a file: not followed
    inventory, _, skipped = run(root)
    # A link to a file that is read anyway is read once (through the real path).
    assert skipped == {
        "latest.csv": "the same file as runs/a.csv (a link to it), read once",
        "other.csv": "symlink to a folder (not followed; its files are read via the real path)",
    }
    assert {f.path for f in inventory.files} == {"good.csv", "runs/a.csv"}


def test_symlink_to_a_file_not_read_otherwise_is_followed(tmp_path: Path) -> None:
    root = messy(tmp_path, ".hidden/a.csv", GOOD)  # hidden folders are not walked
    (root / "latest.csv").symlink_to(root / ".hidden" / "a.csv")
    inventory, _, skipped = run(root)
    assert skipped == {}
    assert {f.path for f in inventory.files} == {"good.csv", "latest.csv"}


def test_symlink_loops_are_skipped(tmp_path: Path) -> None:
    root = messy(tmp_path, "sub/x.md", "# note\n")
    (root / "loop.csv").symlink_to(root / "loop.csv")
    (root / "sub" / "up").symlink_to(root)
    inventory, digest, skipped = run(root)
    assert skipped == {
        "loop.csv": "symlink loop (not followed)",
        "sub/up": "symlink loop: points to a folder that contains it (not followed)",
    }
    assert_good_data_arrived(inventory, digest)


def test_broken_symlinks_and_links_to_inner_folders_are_listed(tmp_path: Path) -> None:
    root = messy(tmp_path, "runs/a.md", "# a\n")
    (root / "gone.csv").symlink_to(root / "deleted.csv")
    (root / "runs_alias").symlink_to(root / "runs")
    inventory, _, skipped = run(root)
    assert skipped["gone.csv"].startswith("broken symlink: target missing")
    assert skipped["runs_alias"].startswith("symlink to a folder (not followed")
    assert {f.path for f in inventory.files} == {"good.csv", "runs/a.md"}  # runs/ read once


def test_fifo_is_skipped_without_opening_it(tmp_path: Path) -> None:
    """Opening a fifo blocks until a writer appears: the walk must not even try."""
    root = messy(tmp_path, "README.md", "# data\n")
    os.mkfifo(root / "stream.csv")
    inventory, digest, skipped = run(root)
    assert skipped == {"stream.csv": "not a regular file: a named pipe (fifo)"}
    assert_good_data_arrived(inventory, digest)


@pytest.mark.skipif(IS_ROOT, reason="root reads any file; see the open() failure test below")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    root = messy(tmp_path, "locked.csv", GOOD)
    (root / "locked.csv").chmod(0)
    try:
        inventory, digest, skipped = run(root)
    finally:
        (root / "locked.csv").chmod(0o644)
    assert skipped == {"locked.csv": "cannot read: Permission denied"}
    assert_good_data_arrived(inventory, digest)


def test_unreadable_file_when_open_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which chmod cannot stop; so make the reader's open() fail for one
    path exactly as the kernel does for a mode-000 file (EACCES), and check the skip path."""
    root = messy(tmp_path, "locked.csv", GOOD)
    locked = root / "locked.csv"

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(digest_module, "open", guarded_open, raising=False)
    inventory, digest, skipped = run(root)
    assert skipped == {"locked.csv": "cannot read: Permission denied"}
    assert_good_data_arrived(inventory, digest)


def test_unreadable_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root a mode-000 folder stays readable, so scandir is made to fail like the kernel."""
    root = messy(tmp_path, "private/run.csv", GOOD)
    private = root / "private"
    if IS_ROOT:
        real_scandir = os.scandir

        def guarded_scandir(path: Any = ".") -> Any:
            if Path(path) == private:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", guarded_scandir)
    else:
        private.chmod(0)
    try:
        inventory, digest, skipped = run(root)
    finally:
        private.chmod(0o755)
    assert skipped == {"private": "cannot read folder: Permission denied"}
    assert_good_data_arrived(inventory, digest)


def test_junk_values_in_a_metric_column_are_ignored(tmp_path: Path) -> None:
    root = messy(tmp_path, "mixed.csv", "prompt,tokens_s\na,40\nb,n/a\nc,\nd,60\n")
    _, digest, skipped = run(root)
    assert skipped == {}
    s = digest.find("tokens_per_s", "file", "mixed.csv")
    assert s is not None and (s.n, s.mean) == (2, 50.0)


def test_missing_folder_is_a_one_line_data_error(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_dir"
    with pytest.raises(DataError) as caught:
        scan_folder(missing, IngestOptions())
    line = caught.value.one_line()
    assert str(missing) in line and "--data-dir" in line and "\n" not in line
    assert caught.value.exit_code == 2


def test_a_file_instead_of_a_folder_is_a_data_error(tmp_path: Path) -> None:
    file = messy(tmp_path, "x.md", "# x\n") / "good.csv"
    with pytest.raises(DataError) as caught:
        ingest_folder(file, IngestOptions())
    line = caught.value.one_line()
    assert f"is a file, not a folder: {file}" in line and str(tmp_path) in line
    assert "\n" not in line


def test_folder_without_matching_files_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "run.parquet").write_bytes(b"PAR1")
    (tmp_path / "sub").mkdir()
    with pytest.raises(DataError) as caught:
        scan_folder(tmp_path, IngestOptions())
    line = caught.value.one_line()
    patterns = ", ".join(IngestOptions().patterns)
    assert f"no files matching {patterns} in {tmp_path}" in line and "*.csv" in patterns
    assert "ingest.patterns" in line and "\n" not in line


def test_node_merges_digest_skips_into_the_inventory_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The node returns both updates; files the digest rejected are skipped, not counted;
    the blocking work runs in a worker thread so other agents' coroutines keep running."""
    root = messy(tmp_path, "bad.json", "{oops")
    (root / "empty.md").write_text("")
    threads: list[threading.Thread] = []
    real = digest_module.build_digest

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(digest_module, "build_digest", recording)
    context = SimpleNamespace(
        data_dir=root,
        agent=SimpleNamespace(ingest=IngestOptions()),
        ingest_cache=cache.IngestCache(),
        progress=None,
        exclude=(),
    )
    update = asyncio.run(ingest_node.ingest({}, Runtime(context=context)))
    inventory, digest = update["inventory"], update["digest"]
    assert set(update) == {"inventory", "digest", "data_key", "findings", "highlights"}
    assert threads and threads[0] is not threading.main_thread()
    assert [s.path for s in digest.skipped] == ["bad.json"]
    assert {s.path for s in inventory.skipped} == {"bad.json", "empty.md"}
    assert inventory.total_files == 1 and inventory.counts() == {"csv": 1}
    assert "Skipped (2)\n  - bad.json: invalid JSON at line 1:" in inventory.summary_block()


def test_folder_whose_matching_files_are_all_unusable_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError) as caught:
        scan_folder(tmp_path, IngestOptions())
    line = caught.value.one_line()
    assert "none of the 1 matching files" in line and "empty.csv: empty file (0 bytes)" in line


def test_a_file_replaced_by_a_fifo_after_the_scan_is_skipped_not_waited_on(
    tmp_path: Path,
) -> None:
    """Issue 25.4: opening a fifo blocks until a writer comes; the digest hung forever."""
    root = messy(tmp_path, "swapped.csv", GOOD)
    (root / "good.csv").write_text(GOOD)
    inventory = scan_folder(root, IngestOptions())
    (root / "swapped.csv").unlink()
    os.mkfifo(root / "swapped.csv")
    done: list[Any] = []
    worker = threading.Thread(
        target=lambda: done.append(ingest_folder(root, IngestOptions(), inventory=inventory)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the hung open so the test process can end
        with open(root / "swapped.csv", "wb"):
            pass
        pytest.fail("the digest blocked on a fifo")
    [(usable, digest)] = done
    assert [f.path for f in usable.files] == ["good.csv"]
    assert {s.path: s.reason for s in digest.skipped} == {
        "swapped.csv": "not a regular file any more (replaced after the scan)"
    }


def test_a_file_read_in_part_is_said_on_stderr_in_the_report_and_on_the_page(
    tmp_path: Path,
) -> None:
    """Issue 18: a file read in part is stated in the report, the page, the prompts and
    stderr (the prompts: the digest's PARTIAL line, tested above)."""
    from typer.testing import CliRunner

    from chimera.cli import app

    rows = "".join(f"prompt {i},0.2,{40 + i % 20}.5,0.02,{100 + i},\n" for i in range(5000))
    root = messy(tmp_path, "huge.csv", BASELINE + rows)
    config = tmp_path / "agent.yaml"
    config.write_text("name: Part\nbackend: fake\ningest:\n  max_file_mb: 0.05\n")
    out = tmp_path / "runs"
    result = CliRunner().invoke(app, ["run", str(root), "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "read in part: huge.csv" in result.stderr and "max_file_mb=0.05" in result.stderr
    [run_dir] = [p for p in out.iterdir() if p.is_dir()]
    assert "**Read in part:** huge.csv" in (run_dir / "report.md").read_text()
    page = (run_dir / "report.html").read_text()
    assert '<section id="coverage">' in page and "Read in part:" in page and "huge.csv" in page
