"""Byte copies: files with exactly the same bytes as one read before, so each is read once.

A data file (CSV or JSON) that copies an earlier one is counted as its duplicate and not
read (`build`). A note or text file is still listed under its own path, but what its read
gave holds no path when it found no table (a note's claims differ only in their path, a
text file's verdict not at all): a copy takes that from the first file (`CopiedRead`),
which is what made a folder of copied notes cost a full parse per file.

Sizes are compared first; a file is hashed (sha256) only when an earlier file of its group
has its size, and each file at most once. A file named as a copy of another (`copy_of`:
what a download or a file manager names a second copy) is read after it, so the copy is the
one listed as repeating the original.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from chimera.ingest.digest.claims import NoteClaim
from chimera.ingest.inventory import FileEntry

_BLOCK = 1 << 20
# Files of one size beyond which `originals_ahead` hashes none of them.
HASHED_AHEAD = 4
# "x (1)", "x (2)" (a browser's second download), "x - Copy", "x - Copy (2)" (Windows),
# "x copy", "x copy 2" (macOS), "Copy of x".
_COPY_SUFFIX = re.compile(r"^(?P<base>.+?)(?: \(\d+\)| - copy(?: \(\d+\))?| copy(?: \d+)?)$", re.I)
_COPY_PREFIX = re.compile(r"^copy of (?P<base>.+)$", re.I)


def copy_of(path: str) -> str | None:
    """The path `path`'s name says it copies (same folder and extension), else None: what
    `name (1).csv` or `name - Copy.json` was copied from."""
    folder, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    match = _COPY_SUFFIX.match(stem) or _COPY_PREFIX.match(stem)
    if match is None:
        return None
    return posixpath.join(folder, match["base"] + ext)


def file_hash(path: str) -> str:
    """The sha256 of a file's bytes, read in blocks (a data file may be gigabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def copy_group(kind: str) -> str:
    """The group a file of this inventory kind is compared with: notes with notes, text files
    with text files, CSV and JSON files with data files of either kind."""
    return kind if kind in ("markdown", "text") else "data"


def _regular_file_hash(path: str) -> str | None:
    """`file_hash` of a regular file; None for anything else or a file that cannot be read
    (a fifo put where a file was after the scan must not block)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while block := os.read(fd, _BLOCK):
            digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass
class ByteCopies:
    """The files read so far, by group (files of two groups are never copies) and size."""

    root: str
    by_size: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # file -> sha256, when sizes collide
    known: dict[str, str] = field(default_factory=dict)  # file -> sha256 taken ahead

    def originals_ahead(self, entries: Sequence[FileEntry], max_bytes: int) -> list[FileEntry]:
        """The files of `entries` (in the digest's order, none above `max_bytes`) that no
        earlier one of their group repeats byte for byte: those the digest will parse. The
        hashes this takes (of files whose size a few others share) are kept for `original`,
        which stays the judge: a file this leaves out is the digest's to parse.

        Of a size more than HASHED_AHEAD files share, only the first is taken, unhashed: such
        files are mostly copies (a generated or copied folder of 100,000 files has a few
        hundred contents), and hashing each here would read it twice."""
        sizes = Counter((copy_group(e.kind), e.size_bytes) for e in entries)
        seen: dict[tuple[str, int], set[str]] = {}
        out = []
        for entry in entries:
            key = (copy_group(entry.kind), entry.size_bytes)
            if entry.size_bytes > max_bytes:
                continue
            if sizes[key] == 1 or (sizes[key] > HASHED_AHEAD and key not in seen):
                seen[key] = set()
                out.append(entry)
                continue
            if sizes[key] > HASHED_AHEAD:
                continue
            digest = _regular_file_hash(os.path.join(self.root, entry.path))
            if digest is None:
                continue
            self.known[entry.path] = digest
            if digest not in (hashes := seen.setdefault(key, set())):
                hashes.add(digest)
                out.append(entry)
        return out

    def original(
        self, group: str, path: str, size: int, content: bytes | None = None
    ) -> str | None:
        """The earlier file of `group` with exactly the bytes of `path` (`content`, where
        they were read already), if any; else None, and `path` is remembered as an original."""
        same_size = self.by_size.setdefault((group, size), [])
        if not same_size:
            same_size.append(path)
            return None
        if content is not None:
            mine = hashlib.sha256(content).hexdigest()
        else:
            mine = self.known.get(path) or file_hash(os.path.join(self.root, path))
        for other in same_size:
            if other not in self.hashes:
                known = self.known.get(other)
                self.hashes[other] = known or file_hash(os.path.join(self.root, other))
            if self.hashes[other] == mine:
                return other
        # Only originals keep their hash: a copy is never compared with again.
        self.hashes[path] = mine
        same_size.append(path)
        return None


def claim_at(claim: NoteClaim, path: str) -> NoteClaim:
    """`claim.model_copy(update={"path": path})`, without its per-field work: a folder's
    copies of notes take thousands of claims, each the same but for its path."""
    copy = NoteClaim.__new__(NoteClaim)
    object.__setattr__(copy, "__dict__", {**claim.__dict__, "path": path})
    object.__setattr__(copy, "__pydantic_fields_set__", set(claim.__pydantic_fields_set__))
    object.__setattr__(copy, "__pydantic_extra__", None)
    object.__setattr__(copy, "__pydantic_private__", None)
    return copy


@dataclass(frozen=True)
class CopiedRead:
    """What a note or text file without tables gave, for its byte copies to take.

    `title` is a note's title; `claims` the note's claims the digest kept (it keeps at most
    so many per note and per folder, and a later copy has no more room than its original
    had), `claims_found` all it made; `other` its tables with no metric column; `verdict` a
    text file's reason its figures are not read (None: it has no figures).
    """

    title: str = ""
    claims: list[NoteClaim] = field(default_factory=list)
    claims_found: int = 0
    other: int = 0
    verdict: str | None = None

    def claims_of(self, path: str, room: int) -> list[NoteClaim]:
        """The first `room` kept claims, as the copy at `path` makes them."""
        return [claim_at(claim, path) for claim in self.claims[:room]]
