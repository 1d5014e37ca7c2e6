"""Walk the data folder: which benchmark artifacts are there, and which cannot be used.

The walk is a plain `os.scandir` stack (one `stat` per matching file, none per folder),
so listing 100k files costs little more than a bare scandir walk. Rules, stated once:

- Patterns (`IngestOptions.patterns`, default `*.csv, *.json, *.md`) match the file *name*,
  case-insensitively, in every subfolder. Folders whose name starts with "." are not walked;
  nor are installed packages (`site-packages`, `dist-packages`, `node_modules`), listed in
  `skipped`.
- The kind comes from the suffix: .csv/.tsv -> csv; .json/.jsonl -> json; .md/.markdown ->
  markdown; .txt/.log/.sql -> text.
- Files of other names are passed over, except result formats Chimera has no reader for
  (`.edn`, `.xlsx`, `.parquet`, ...: `_DATA_FORMATS`), listed in `skipped` with the file
  of the same name beside them that is read, if any, and compressed archives (`_ARCHIVES`),
  listed as not opened.
- Symlinks to files inside the folder are followed. Symlinks to folders are never followed
  (their files are reached through the real path, and a link to an ancestor would loop);
  links that leave the folder, loop or dangle are listed in `skipped` with the reason.
- Empty files, unreadable folders and non-regular files (fifos, sockets, devices: opening
  a fifo would block forever) are listed in `skipped`. Reading file contents, and the
  skips that needs (bad encoding, invalid JSON, ...), happens later in the digest
  (`chimera.ingest.digest`).
- A file or folder whose name holds a line break or another control character is listed in
  `skipped` (rename it): such a name, shown in a report or a prompt, would break its lines.
- A file reached twice (a symlink, or a hard link, to a file read already) is read once:
  the real file (else the first path) is kept, the others are listed in `skipped`.
- Chimera's own output is not data. A folder inside the data folder that holds Chimera's
  marker (`runstore.MARKER`: a run, comparison or sweep folder), or older than the marker
  the files only Chimera writes together (`marker.unmarked_kind`), is left out whole, and so
  are the folders given in `exclude` (the `--out` folder a run writes to); both are listed
  in `skipped` (`own_output=True`). The folder named as the data folder is data even when
  it is marked (`chimera run COMPARISON_DIR` analyses the comparison): then marked folders
  inside it are data too, except inside a sweep (`chimera run SWEEP_DIR`), whose
  summary.csv holds every cell run's figures: the cells' run folders would count each of
  their calls again. Marker files themselves are never data.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from chimera.config.agent import IngestOptions
from chimera.errors import DataError
from chimera.escape import not_utf8, plain
from chimera.ingest.collector import collector_paused
from chimera.ingest.marker import MARKER, output_kind, unmarked_kind

FileKind = Literal["csv", "json", "markdown", "text"]
KIND_ORDER: tuple[FileKind, ...] = ("csv", "json", "markdown", "text")
_KIND_BY_SUFFIX: dict[str, FileKind] = {
    ".csv": "csv",
    ".tsv": "csv",  # tab-separated: the CSV reader judges the delimiter
    ".json": "json",
    ".jsonl": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".log": "text",
    ".sql": "text",  # llama-bench -o sql: INSERT INTO test (...) VALUES (...)
}
# Formats results are saved in that Chimera has no reader for (Clojure's EDN beside the
# same runs as JSON, spreadsheets, dataframes): listed as not read, never passed over in
# silence like the folder's code and images.
_DATA_FORMATS = frozenset({
    ".edn", ".xlsx", ".xls", ".ods", ".parquet", ".feather", ".arrow", ".pkl",
    ".pickle", ".sqlite", ".sqlite3", ".db", ".h5", ".hdf5",
})  # fmt: skip
# Compressed archives: a results export may be one (an Akamas study's `results/export.gz`, a
# sweep's `runs.tar.gz`); Chimera opens none, so each is listed as not read, never passed over.
_ARCHIVES = frozenset({".gz", ".tgz", ".zip", ".tar", ".bz2", ".xz", ".zst", ".7z"})
_ARCHIVE_REASON = "a compressed archive, not opened (unpack it to have its files read)"
# Installed software committed beside the results (gparemsky/48gb4090 holds a virtualenv:
# prompt-test/lib/python3.9/site-packages, numpy's test CSVs among 7,000 files): no result
# lives there. Listed once, not walked.
_INSTALLED = frozenset({"site-packages", "dist-packages", "node_modules"})
_INSTALLED_REASON = "installed packages (a virtualenv's or a Node project's), not results; not read"
_SUFFIX_PATTERN = re.compile(r"\*(\.[^*?\[\]]+)")
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (fifo)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class IngestStopped(Exception):
    """The walk or digest was told to stop (everyone waiting for it was cancelled)."""


class FileEntry(BaseModel):
    """One artifact found in the data folder."""

    path: str  # relative to the root, posix separators
    kind: FileKind
    size_bytes: int
    modified: datetime  # tz-aware UTC


class SkippedFile(BaseModel):
    """A file (or folder) that could not be analysed, or was left out, and why."""

    path: str
    reason: str
    own_output: bool = Field(False, description="Chimera's own output, left out on purpose")


class Inventory(BaseModel):
    """What the data folder holds, as the seed report's "Data summary" shows it."""

    root: str
    files: list[FileEntry]
    skipped: list[SkippedFile]

    @property
    def total_files(self) -> int:
        """Files analysed (skipped files are not counted)."""
        return len(self.files)

    def counts(self) -> dict[str, int]:
        """Files per kind, in csv/json/markdown order, only kinds present."""
        counts = {kind: 0 for kind in KIND_ORDER}
        for entry in self.files:
            counts[entry.kind] += 1
        return {kind: n for kind, n in counts.items() if n}

    def of_kind(self, kind: FileKind) -> list[FileEntry]:
        """Files of one kind, sorted by path."""
        return sorted((f for f in self.files if f.kind == kind), key=lambda f: f.path)

    def without(self, skipped: Iterable[SkippedFile]) -> Inventory:
        """A copy where `skipped` files move from `files` to `skipped` (no duplicates)."""
        merged = {s.path: s for s in self.skipped}
        for s in skipped:
            merged.setdefault(s.path, s)
        return Inventory(
            root=self.root,
            files=[f for f in self.files if f.path not in merged],
            skipped=sorted(merged.values(), key=attrgetter("path")),
        )

    def summary_block(self, samples: int = 5) -> str:
        """The seed report's data summary: totals, sample paths per kind, skipped files."""
        parts = [f"Total files analyzed: {self.total_files}"]
        for kind in KIND_ORDER:
            entries = self.of_kind(kind)
            if not entries:
                continue
            lines = [f"{kind.upper()} Files ({len(entries)})"]
            # plain(): a file name may hold line breaks and escape sequences.
            lines += [f"  - {plain(e.path)}" for e in entries[:samples]]
            if len(entries) > samples:
                lines.append(f"  ... and {len(entries) - samples} more")
            latest = max(e.modified for e in entries)
            lines.append(f"  Latest modified: {latest:%Y-%m-%d %H:%M:%S} UTC")
            parts.append("\n".join(lines))
        if self.skipped:
            lines = [f"Skipped ({len(self.skipped)})"]
            lines += [f"  - {plain(s.path)}: {plain(s.reason)}" for s in self.skipped[:samples]]
            if len(self.skipped) > samples:
                lines.append(f"  ... and {len(self.skipped) - samples} more")
            parts.append("\n".join(lines))
        return "\n\n".join(parts)


# Control characters, and the lone surrogates Python decodes a non-UTF-8 byte of a file
# name to (no report, page or JSON file can hold one).
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_REASON = (
    "its name holds a line break or a control character, which would break the lines of "
    "reports and prompts; rename it"
)
_NOT_UTF8_REASON = "its name is not valid UTF-8, which no report or JSON file can hold; rename it"


def _read_twin(stem: str, entries: list[os.DirEntry[str]], match: Callable[[str], bool]) -> str:
    """A file beside it of the same name that Chimera reads (`bench.json` by `bench.edn`)."""
    for entry in entries:
        name = entry.name
        if name.startswith(f"{stem}.") and name.count(".") == stem.count(".") + 1 and match(name):
            return name
    return ""


def _no_reader(suffix: str, prefix: str, twin: str) -> str:
    if twin:
        return (
            f"no reader for '{suffix}' files; {prefix}{twin} beside it, of the same name, is "
            "read (likely the same results)"
        )
    return f"no reader for '{suffix}' files (save the results as CSV or JSON to have them read)"


def _name_reason(name: str) -> str:
    """Why a name `_CONTROL_IN_NAME` matched cannot be read."""
    return _NOT_UTF8_REASON if not_utf8(name) else _CONTROL_REASON


def _shown(rel: str) -> str:
    """A path with control characters written as `?`, to list it (it cannot be opened so)."""
    return _CONTROL_IN_NAME.sub("?", rel)


def kind_for(name: str) -> FileKind | None:
    """The file kind for a file name, from its suffix; None when Chimera has no reader."""
    dot = name.rfind(".")
    return _KIND_BY_SUFFIX.get(name[dot:].lower()) if dot > 0 else None


def _name_matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A case-insensitive test of a file name against the patterns, built once per scan."""
    patterns = list(patterns)
    suffixes = tuple(m[1].lower() for p in patterns if (m := _SUFFIX_PATTERN.fullmatch(p)))
    if len(suffixes) == len(patterns):
        # The usual `*.csv`-style patterns: one str.endswith beats a regex on the hot path.
        return lambda name: name.lower().endswith(suffixes)
    regex = re.compile("|".join(fnmatch.translate(p) for p in patterns), re.IGNORECASE)
    return lambda name: regex.match(name) is not None


def _not_regular(mode: int) -> str | None:
    for test, label in _NOT_REGULAR:
        if test(mode):
            return label
    return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def _check_root(root: Path) -> str:
    if not root.exists():
        hint = "check the path, or point --data-dir at the folder of benchmark results"
        raise DataError(f"data folder not found: {root}", hint=hint)
    if not root.is_dir():
        raise DataError(
            f"data path is a file, not a folder: {root}",
            hint=f"pass the folder that holds the benchmark files, e.g. {root.parent}",
        )
    return os.path.realpath(root)


def _unmarked_root(root: Path) -> str | None:
    """The kind of the data folder itself when it is Chimera's output older than the marker."""
    try:
        names = set(os.listdir(root))
    except OSError:
        return None
    return unmarked_kind(root, names)


class _Walk:
    """One scan: the matcher, the results so far, and how to classify one entry."""

    def __init__(
        self, real_root: str, options: IngestOptions, exclude: Iterable[str | Path] = ()
    ) -> None:
        self.real_root = real_root
        self.match = _name_matcher(options.patterns)
        self.files: list[FileEntry] = []
        self.skipped: list[SkippedFile] = []
        # The named folder is data even when it is Chimera's output; then so is all inside it,
        # but for a sweep's cell runs (its summary.csv has their figures, one row per run).
        root_kind = output_kind(Path(real_root)) or _unmarked_root(Path(real_root))
        self.skip_marked = root_kind in (None, "sweep")
        # Excluded folders by (device, inode): compared with DirEntry.inode(), no syscall.
        self.excluded: set[tuple[int, int]] = set()
        for folder in exclude:
            try:
                st = os.stat(folder)
            except OSError:
                continue  # not there (yet): nothing of it to leave out
            self.excluded.add((st.st_dev, st.st_ino))
        self.excluded_inodes = {ino for _, ino in self.excluded}
        # Files of no pattern listed for their format (`_DATA_FORMATS`), not as unreadable.
        self.unmatched: set[str] = set()
        # (device, inode) of each file taken, and whether it was reached through a link.
        self.identity: dict[str, tuple[tuple[int, int], bool]] = {}

    def skip(self, rel: str, reason: str, *, own_output: bool = False) -> None:
        # A listed name (or a link's target in its reason) is shown, never opened: made safe.
        self.skipped.append(
            SkippedFile(path=_shown(rel), reason=_shown(reason), own_output=own_output)
        )

    def add_file(self, rel: str, name: str, st: os.stat_result, *, link: bool = False) -> None:
        dot = name.rfind(".")  # kind_for, inlined: this runs once per file
        kind = _KIND_BY_SUFFIX.get(name[dot:].lower()) if dot > 0 else None
        if _CONTROL_IN_NAME.search(name):
            self.skip(rel, _name_reason(name))
        elif kind is None:
            self.skip(rel, f"no reader for '{os.path.splitext(name)[1] or name}' files")
        elif not stat.S_ISREG(st.st_mode):
            self.skip(rel, f"not a regular file: {_not_regular(st.st_mode) or 'unknown type'}")
        elif st.st_size == 0:
            self.skip(rel, "empty file (0 bytes)")
        else:
            # A float mtime validates straight to an aware UTC datetime, in pydantic-core.
            self.files.append(
                FileEntry(path=rel, kind=kind, size_bytes=st.st_size, modified=st.st_mtime)
            )
            self.identity[rel] = ((st.st_dev, st.st_ino), link)

    def symlink(self, entry: os.DirEntry[str], rel: str) -> None:
        """Follow a link to a file inside the folder; list every other link as skipped."""
        matches = self.match(entry.name)
        try:
            st = os.stat(entry.path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.skip(rel, "symlink loop (not followed)")
            elif matches:
                self.skip(rel, f"broken symlink: target missing ({os.readlink(entry.path)})")
            return
        target = os.path.realpath(entry.path)
        if stat.S_ISDIR(st.st_mode):
            if _inside(os.path.dirname(entry.path), target):
                self.skip(rel, "symlink loop: points to a folder that contains it (not followed)")
            elif not _inside(target, self.real_root):
                self.skip(rel, f"symlink points outside the data folder (not followed): {target}")
            else:
                self.skip(
                    rel, "symlink to a folder (not followed; its files are read via the real path)"
                )
        elif matches:
            if _inside(target, self.real_root):
                self.add_file(rel, entry.name, st, link=True)
            else:
                self.skip(rel, f"symlink points outside the data folder (not followed): {target}")

    def _left_out(self, entry: os.DirEntry[str], rel: str) -> bool:
        """Whether a subfolder is one of `exclude` (listed as skipped when it is)."""
        if not self.excluded or entry.inode() not in self.excluded_inodes:
            return False
        st = entry.stat(follow_symlinks=False)
        if (st.st_dev, st.st_ino) not in self.excluded:
            return False
        self.skip(rel, "the folder Chimera writes this run's output to, not data", own_output=True)
        return True

    def run(self, top: str, stop: threading.Event | None = None) -> None:
        """Depth-first walk from `top` (the real root) with an explicit stack."""
        stack = [(top, "")]
        match, add_file = self.match, self.add_file  # locals: the inner loop runs per file
        while stack:
            if stop is not None and stop.is_set():
                raise IngestStopped
            folder, prefix = stack.pop()
            try:
                with os.scandir(folder) as scanner:
                    entries = list(scanner)
            except OSError as exc:
                if not prefix:
                    raise DataError(
                        f"cannot read data folder {folder}: {exc.strerror}",
                        hint="check its permissions",
                    ) from exc
                self.skip(prefix.rstrip("/"), f"cannot read folder: {exc.strerror}")
                continue
            names = {e.name for e in entries} if prefix and self.skip_marked else set()
            old = unmarked_kind(Path(folder), names) if names and MARKER not in names else None
            if MARKER in names or old:
                kind = output_kind(Path(folder)) or old or "output"
                self.skip(
                    prefix.rstrip("/"),
                    f"Chimera's own output (a {kind} folder), not data; to analyse it, "
                    "name that folder as the data folder",
                    own_output=True,
                )
                continue
            for entry in entries:
                name = entry.name
                try:
                    # Cheapest tests first: d_type answers these without a syscall.
                    if entry.is_dir(follow_symlinks=False):
                        if name.startswith(".") or self._left_out(entry, prefix + name):
                            continue
                        if name in _INSTALLED:
                            self.skip(prefix + name, _INSTALLED_REASON)
                            continue
                        if _CONTROL_IN_NAME.search(name):
                            self.skip(prefix + name, _name_reason(name))
                        else:
                            stack.append((entry.path, f"{prefix}{name}/"))
                    elif name == MARKER:
                        continue  # Chimera's note on the folder, not an artifact
                    elif entry.is_file(follow_symlinks=False):
                        if match(name):
                            add_file(prefix + name, name, entry.stat(follow_symlinks=False))
                        elif (dot := name.rfind(".")) > 0 and name[dot:].lower() in _DATA_FORMATS:
                            twin = _read_twin(name[:dot], entries, match)
                            self.skip(prefix + name, _no_reader(name[dot:], prefix, twin))
                            self.unmatched.add(prefix + name)
                        elif (dot := name.rfind(".")) > 0 and name[dot:].lower() in _ARCHIVES:
                            self.skip(prefix + name, _ARCHIVE_REASON)
                            self.unmatched.add(prefix + name)
                    elif entry.is_symlink():
                        self.symlink(entry, prefix + name)
                    elif match(name):  # fifo, socket, device: add_file says why not
                        add_file(prefix + name, name, entry.stat(follow_symlinks=False))
                except OSError as exc:
                    self.skip(prefix + name, f"cannot read: {exc.strerror or exc}")

    def read_once(self) -> None:
        """Keep one path per file: links to a file already taken are skipped, not read again."""
        if len({ident for ident, _ in self.identity.values()}) == len(self.identity):
            return  # every path a file of its own (the usual folder): nothing to sort
        chosen: dict[tuple[int, int], str] = {}
        for entry in sorted(self.files, key=lambda f: (self.identity[f.path][1], f.path)):
            chosen.setdefault(self.identity[entry.path][0], entry.path)
        kept = set(chosen.values())
        if len(kept) == len(self.files):
            return
        for entry in self.files:
            if entry.path not in kept:
                first = chosen[self.identity[entry.path][0]]
                self.skip(entry.path, f"the same file as {first} (a link to it), read once")
        self.files = [f for f in self.files if f.path in kept]


def scan_folder(
    root: Path,
    options: IngestOptions,
    exclude: Iterable[str | Path] = (),
    stop: threading.Event | None = None,
) -> Inventory:
    """Inventory of the files under `root` that match `options.patterns`; DataError if none.

    `exclude`: folders to leave out (the output folder of the run that reads this one).
    `stop`: when set, the walk ends at the next folder with IngestStopped (Ctrl-C).
    """
    root = Path(root)
    real_root = _check_root(root)
    walk = _Walk(real_root, options, exclude)
    with collector_paused():
        walk.run(real_root, stop)
        walk.read_once()
        files = sorted(walk.files, key=attrgetter("path"))
        skipped = sorted(walk.skipped, key=attrgetter("path"))
    if not files:
        patterns = ", ".join(options.patterns)
        if skipped and all(s.own_output for s in skipped):
            raise DataError(
                f"{root} holds only Chimera's own output ({len(skipped)} folder(s), e.g. "
                f"{skipped[0].path}), no data files",
                hint="point at the folder of benchmark results, or name one of those "
                "folders itself to analyse it",
            )
        matching = [s for s in skipped if s.path not in walk.unmatched]
        if matching:
            raise DataError(
                f"none of the {len(matching)} matching files in {root} can be read "
                f"(first: {matching[0].path}: {matching[0].reason})",
                hint="fix or remove those files, or point at another folder",
            )
        other = f" (results with no reader: {skipped[0].path}, ...)" if skipped else ""
        raise DataError(
            f"no files matching {patterns} in {root}{other}",
            hint="point at the folder of benchmark results, or set ingest.patterns "
            "in the agent config",
        )
    return Inventory(root=str(root), files=files, skipped=skipped)
