"""The folder inventory: counts, samples, latest modified and the seed report's summary block."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chimera.config.agent import IngestOptions
from chimera.ingest.inventory import FileEntry, Inventory, SkippedFile, kind_for, scan_folder

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"
SUFFIX_KIND = {".csv": "csv", ".json": "json", ".md": "markdown"}


def write(path: Path, text: str = "x\n", mtime: datetime | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 11, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def seed_like(tmp_path: Path) -> Path:
    """Seven CSVs, two JSON, one note, with known mtimes; plus files no pattern matches."""
    for i, name in enumerate(
        [
            "gemma3_1b-it-qat_baseline",
            "gemma3_1b-it-qat_param_tuning",
            "gemma3_1b-it-qat_param_tuning_summary",
            "gemma3_270m_baseline",
            "gemma3_270m_param_tuning",
            "gemma3_4b_baseline",
            "gemma3_4b_param_tuning",
        ]
    ):
        write(tmp_path / "reports" / "gemma3" / f"{name}.csv", mtime=at(10 + i, 18, 53, 30))
    write(tmp_path / "reports" / "ascii_demo_20251004_143244.json", mtime=at(4))
    write(tmp_path / "reports" / "compilation" / "conv_bench.json", mtime=at(8, 17, 20, 51))
    write(tmp_path / "notes" / "lessons.md", mtime=at(14, 18, 54, 7))
    write(tmp_path / "notes" / "run.out")  # no default pattern matches these two
    write(tmp_path / "README.rst")
    return tmp_path


def test_example_counts_match_an_independent_walk() -> None:
    """Per-kind counts and the total agree with a plain rglob over the example folder."""
    inventory = scan_folder(EXAMPLE, IngestOptions())
    expected = Counter(
        SUFFIX_KIND[p.suffix] for p in EXAMPLE.rglob("*") if p.is_file() and p.suffix in SUFFIX_KIND
    )
    assert inventory.counts() == {k: expected[k] for k in ("csv", "json", "markdown")}
    assert inventory.total_files == sum(expected.values()) >= 25
    assert inventory.skipped == []
    assert all(not Path(f.path).is_absolute() and "\\" not in f.path for f in inventory.files)


def test_entries_carry_relative_posix_path_size_and_utc_mtime(seed_like: Path) -> None:
    inventory = scan_folder(seed_like, IngestOptions())
    entry = next(f for f in inventory.files if f.path == "notes/lessons.md")
    assert entry.kind == "markdown"
    assert entry.size_bytes == 2
    assert entry.modified == at(14, 18, 54, 7)
    assert entry.modified.tzinfo is not None and entry.modified.utcoffset().total_seconds() == 0


def test_summary_block_reproduces_the_seed_format(seed_like: Path) -> None:
    """Sorted samples, '... and N more', latest modified per kind, blank lines between kinds."""
    block = scan_folder(seed_like, IngestOptions()).summary_block()
    assert block == (
        "Total files analyzed: 10\n"
        "\n"
        "CSV Files (7)\n"
        "  - reports/gemma3/gemma3_1b-it-qat_baseline.csv\n"
        "  - reports/gemma3/gemma3_1b-it-qat_param_tuning.csv\n"
        "  - reports/gemma3/gemma3_1b-it-qat_param_tuning_summary.csv\n"
        "  - reports/gemma3/gemma3_270m_baseline.csv\n"
        "  - reports/gemma3/gemma3_270m_param_tuning.csv\n"
        "  ... and 2 more\n"
        "  Latest modified: 2025-11-16 18:53:30 UTC\n"
        "\n"
        "JSON Files (2)\n"
        "  - reports/ascii_demo_20251004_143244.json\n"
        "  - reports/compilation/conv_bench.json\n"
        "  Latest modified: 2025-11-08 17:20:51 UTC\n"
        "\n"
        "MARKDOWN Files (1)\n"
        "  - notes/lessons.md\n"
        "  Latest modified: 2025-11-14 18:54:07 UTC"
    )


def test_summary_block_sample_count_and_skipped_part(seed_like: Path) -> None:
    write(seed_like / "reports" / "empty.csv", "")
    inventory = scan_folder(seed_like, IngestOptions())
    block = inventory.summary_block(samples=2)
    assert "  ... and 5 more\n" in block
    json_part = "JSON Files (2)\n  - reports/ascii_demo_20251004_143244.json\n  - reports/comp"
    assert json_part in block
    assert "and 0 more" not in block
    assert block.endswith("\n\nSkipped (1)\n  - reports/empty.csv: empty file (0 bytes)")


def test_patterns_match_names_case_insensitively_in_subfolders(tmp_path: Path) -> None:
    write(tmp_path / "a" / "b" / "c" / "RUN.CSV")
    write(tmp_path / "a" / "x.json")
    write(tmp_path / "a" / "notes.markdown")
    inventory = scan_folder(tmp_path, IngestOptions(patterns=["*.csv", "*.markdown"]))
    assert [(f.path, f.kind) for f in inventory.files] == [
        ("a/b/c/RUN.CSV", "csv"),
        ("a/notes.markdown", "markdown"),
    ]


def test_a_pattern_without_a_reader_is_reported_not_guessed(tmp_path: Path) -> None:
    write(tmp_path / "ok.csv")
    write(tmp_path / "log.xml")
    inventory = scan_folder(tmp_path, IngestOptions(patterns=["*.csv", "*.xml"]))
    assert [f.path for f in inventory.files] == ["ok.csv"]
    assert inventory.skipped == [SkippedFile(path="log.xml", reason="no reader for '.xml' files")]


def test_hidden_folders_are_not_walked(tmp_path: Path) -> None:
    write(tmp_path / "run.csv")
    write(tmp_path / ".git" / "objects.json")
    write(tmp_path / ".ipynb_checkpoints" / "run-checkpoint.csv")
    assert [f.path for f in scan_folder(tmp_path, IngestOptions()).files] == ["run.csv"]


def test_without_moves_files_to_skipped_once(seed_like: Path) -> None:
    inventory = scan_folder(seed_like, IngestOptions())
    bad = SkippedFile(path="notes/lessons.md", reason="binary content (NUL bytes), not text")
    moved = inventory.without([bad, bad])
    assert moved.total_files == inventory.total_files - 1
    assert moved.counts().get("markdown") is None
    assert moved.skipped == [bad]


def test_inventory_round_trips_through_json(seed_like: Path) -> None:
    inventory = scan_folder(seed_like, IngestOptions())
    again = Inventory.model_validate_json(inventory.model_dump_json())
    assert again == inventory
    assert again.summary_block() == inventory.summary_block()


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.csv", "csv"), ("A.JSON", "json"), ("x.jsonl", "json"), ("n.md", "markdown"),
     ("n.txt", "text"), ("run.log", "text"), ("n.xml", None), ("csv", None)],
)  # fmt: skip
def test_kind_comes_from_the_suffix(name: str, kind: str | None) -> None:
    assert kind_for(name) == kind


def test_file_entry_requires_the_declared_fields() -> None:
    with pytest.raises(ValueError):
        FileEntry(path="a.csv", kind="xlsx", size_bytes=1, modified=at(1))  # type: ignore[arg-type]


def test_results_in_a_format_with_no_reader_are_listed_not_passed_over(tmp_path: Path) -> None:
    """A bench script that saves each report as EDN beside the JSON: the .edn files were
    passed over in silence like the folder's code; a result format Chimera cannot read is
    listed as not read, naming the file of the same name that is read."""
    write(tmp_path / "reports" / "bench.json", "[]\n")
    write(tmp_path / "reports" / "bench.edn", '[{:model "qwen3:4b"}]\n')
    write(tmp_path / "sweep.parquet", "PAR1")
    write(tmp_path / "bench.py", "print()\n")
    inv = scan_folder(tmp_path, IngestOptions())
    reasons = {s.path: s.reason for s in inv.skipped}
    assert set(reasons) == {"reports/bench.edn", "sweep.parquet"}
    assert "reports/bench.json beside it" in reasons["reports/bench.edn"]
    assert "no reader for '.parquet' files" in reasons["sweep.parquet"]


def test_a_compressed_archive_is_listed_as_not_opened(tmp_path: Path) -> None:
    """graz-dev/vllm-benchmark's study results are `results/export.gz` (an Akamas export of
    every trial) beside a README: the archive was passed over in silence and the folder said
    "Not read: none". An archive may hold the results: listed as not opened."""
    write(tmp_path / "results" / "README.md", "# results\n")
    write(tmp_path / "results" / "export.gz", "\x1f\x8b")
    write(tmp_path / "runs.tar.gz", "\x1f\x8b")
    inv = scan_folder(tmp_path, IngestOptions())
    reasons = {s.path: s.reason for s in inv.skipped}
    assert set(reasons) == {"results/export.gz", "runs.tar.gz"}
    assert all("compressed archive" in reason for reason in reasons.values())
