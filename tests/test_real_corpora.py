"""The real-corpora suite: Chimera's digest and findings on public benchmark output, held to
truths written by hand (tests/real_corpora). The files are not committed; without them these
tests skip and say how to get them (`python -m benchmarks.real_corpora materialise`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from benchmarks.real_corpora import SUITE, check_corpus, corpora, corpus_root

ROOT = corpus_root()
BASELINE = yaml.safe_load((SUITE / "baseline.yaml").read_text(encoding="utf-8"))


def _folder(corpus: str) -> Path:
    if ROOT is None or not (ROOT / corpus).is_dir():
        pytest.skip(
            f"corpus {corpus} not here: set CHIMERA_CORPORA or run "
            "`python -m benchmarks.real_corpora materialise`"
        )
    return ROOT / corpus


def test_every_corpus_has_a_baseline_and_sources() -> None:
    names = corpora()
    assert len(names) >= 15
    assert set(BASELINE) == set(names)
    for name in names:
        assert (SUITE / "sources" / f"{name}.yaml").is_file(), name


@pytest.mark.parametrize("corpus", corpora())
def test_files_are_unchanged(corpus: str) -> None:
    folder = _folder(corpus)
    sources = yaml.safe_load((SUITE / "sources" / f"{corpus}.yaml").read_text(encoding="utf-8"))
    for entry in sources["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]


@pytest.mark.parametrize("corpus", corpora())
def test_corpus_against_its_truths(corpus: str) -> None:
    _folder(corpus)
    tally = check_corpus(ROOT, corpus)  # type: ignore[arg-type]
    gaps = BASELINE[corpus].get("gaps") or {}
    assert tally.crash is None, tally.crash
    assert tally.unread_silently == [], "result files neither read nor listed with a reason"
    if "pooled" not in gaps:
        assert tally.pooled == [], "a machine of Chimera's holds two machines' files"
    if "duplicates" not in gaps:
        assert tally.missed_duplicates == []
    if "cold" not in gaps:
        assert tally.cold_mismatch == []
    assert tally.reproduced >= BASELINE[corpus]["figures"], tally.not_reproduced
