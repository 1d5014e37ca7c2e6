"""Runs read twice: the same run kept in two files (a CSV and its JSON twin, a copy).

Byte-identical files are found before reading (`copies`). This module finds records that
repeat an earlier file's: the same measured values. A record is matched in two steps:

1. **Candidates** by fingerprints: pairs of its measured figures (a rate or a time in each
   pair, zeros and figures every row of the file shares left out), each rounded to
   `SIGNIFICANT` digits, looked up among the records read before; a record with one figure
   of its own pairs it with the ones every row shares (a rate beside num_predict's tokens).
2. **Verification** against each candidate: every figure the two records both hold must
   agree within `TOLERANCE` (a CSV rounds what its JSON twin keeps whole), rates to the
   digits the less precise of the two writes (128.71 against 128.708016), and at least two must
   (and their percentiles, TTFT p50 or p95, where both hold one, to the digits written);
   two figures both kept to full precision (`PRECISE_DIGITS`) must be the same figure, and
   token counts the same count (no copy rounds them); two records that name models of two
   families, or two values of one setting, are never one run. Two different runs agreeing on
   every shared figure is not a coincidence.

Where most of a file's records (`TWIN_SHARE`) repeat one earlier file, the file is that
file's twin and all its records are set apart (the rest differ only by rounding); otherwise
only the repeated records are. A summary file's means are matched too: a "summary" that
lists one run per mean repeats those runs (a file named as a summary is read after the other
data files, so that it, not the run reports, is the copy). Summary rows of a table (a total
under its runs) and error records are not runs. llama-bench records carry their own identity
(model, test and the nanoseconds of every repetition). Records of one file never repeat each
other, but for a table of a file (a note's summary) whose every figure is a figure of the
file's other tables, of three significant digits or more, on the same machine, for a model
its row may be ("| 27B | 62.98 tok/s |" above llama-bench's tg128 row of 62.98):
`restated_rows`. Its rows are counted once and listed as restating their own file; they
name no setup of their own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from chimera.ingest.digest.identity import model_family
from chimera.ingest.digest.table import TableValues, names_no_model, value_column

SIGNIFICANT = 3
TOLERANCE = 0.01
# Figures of more significant digits than this were kept as measured: a copy of one repeats
# it (to a unit conversion's last digit), and `TOLERANCE` is for rounded copies only.
PRECISE_DIGITS = 10
EXACT = 1e-9
TWIN_SHARE = 0.8
# Records of one table matched and remembered: a twin shows in its first rows, and a
# 400,000-row file would otherwise cost millions of fingerprints.
MAX_CHECKED = 20_000
# The figures fingerprints are made of, in order of preference (the first four present).
_METRICS = (
    "tokens_per_s", "ttft_ms", "eval_count", "total_ms", "eval_ms", "latency_ms",
    "prompt_eval_ms", "prompt_tokens_per_s", "itl_ms", "tpot_ms", "requests_per_s",
    "prompt_eval_count", "load_ms",
)  # fmt: skip
_MOST_METRICS = 4
# Counts repeat from run to run (a fixed num_predict, one prompt): a pair of counts alone
# is no fingerprint of a run.
_COUNTS = frozenset({"eval_count", "prompt_eval_count"})
# Figures one copy restates digit for digit (a time may be another clock's: a script's wall
# time beside Ollama's total duration of one run, 15958 against 15950.3 ms).
_RATES_AND_COUNTS = frozenset({"tokens_per_s", "prompt_tokens_per_s"}) | _COUNTS


def _setting_text(value: object) -> str:
    """A setting's value as text two files writing one value agree on (8192 and 8192.0,
    True and true); "" where none is stated."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return repr(number) if math.isfinite(number) else text


def _model_key(model: object) -> str | None:
    """The family of a record's model, as two files spelling one model differently still
    agree on it (`Qwen3-VL-235B-A22B-Instruct IQ1_M` in a README, `Qwen3-VL-235B-IQ1_M` in
    the folder's name); None where the record names none or no known family."""
    if not isinstance(model, str) or names_no_model(model):
        return None
    return model_family(model)


def _full_precision(value: float) -> bool:
    """Whether a figure carries more than `PRECISE_DIGITS` significant digits (a measurement
    kept as measured, not a number someone rounded; a unit's conversion adds no such digits)."""
    shorter = float(f"{value:.{PRECISE_DIGITS}g}")
    return abs(shorter - value) > 1e-13 * abs(value)


def _rounded(value: float) -> float:
    """A value to SIGNIFICANT significant digits."""
    return float(f"{value:.{SIGNIFICANT}g}")


# Powers of ten up to this are exact doubles: a whole number below 2**53 times or divided by
# one is rounded once, to the double nearest the decimal, as float() parses it.
_EXACT_POWERS = 22
# How far from a rounding boundary (a half, or a power of ten) a scaled figure must be for
# its rounding to be certain: the scaling is off by at most 1e-13.
_MARGIN = 1e-6


def _last_digit(value: float) -> int:
    """The exponent of a figure's last digit (128.71: -2; 651.0: 0; 1200.0: 2), the float's
    error of a unit conversion aside (0.137 s is 137.00000000000003 ms: 0): what a copy that
    rounds the figure still keeps."""
    size = abs(value)
    if not math.isfinite(size):
        return -_EXACT_POWERS
    if size == 0:
        return _EXACT_POWERS
    # Rounding to a digit above the one past the leading digit gives 0, never the figure:
    # the search starts there (9.9999999999 rounds to 10 at the tens).
    lead = math.floor(math.log10(size))
    for places in range(max(-_EXACT_POWERS, -lead - 1), _EXACT_POWERS):
        if abs(round(value, places) - value) <= 1e-9 * size:
            return -places
    return -_EXACT_POWERS


def _rounding(a: float, b: float) -> float:
    """How far two figures of one run may lie apart: half a unit of the last digit the less
    precise of them writes (a log's 128.71 is its JSON's 128.708016...). Two runs of a
    deterministic benchmark agree within 1 % but not to the digits both files write."""
    return 0.5 * 10.0 ** max(_last_digit(a), _last_digit(b)) * (1 + 1e-9)


def rounded_figures(values: np.ndarray) -> np.ndarray:
    """`_rounded` of every value, NaN where it is not finite: the same doubles, bit for bit.

    Each value is scaled to SIGNIFICANT digits before the point and rounded to a whole
    number; that is the digits `_rounded`'s formatting rounds to unless the scaled value lies
    within `_MARGIN` of a half or of the decade's ends, and the digits times a power of ten
    (exact while the exponent is at most `_EXACT_POWERS`) are the decimal float() parses.
    Values where either could be uncertain (and zeros) are rounded by `_rounded` itself."""
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    figures = values[finite]
    size = np.abs(figures)
    nonzero = size > 0
    with np.errstate(over="ignore", invalid="ignore"):
        decade = np.floor(np.log10(np.where(nonzero, size, 1.0)))
        shift = (SIGNIFICANT - 1) - decade  # the scaled value is size * 10**shift
        power = 10.0 ** np.minimum(np.abs(shift), _EXACT_POWERS)
        up = shift >= 0
        scaled = np.where(up, size * power, size / power)
        half = np.abs(scaled - np.floor(scaled) - 0.5)
        digits = np.rint(scaled)
        rounded = np.copysign(np.where(up, digits / power, digits * power), figures)
    low, high = 10.0 ** (SIGNIFICANT - 1), 10.0**SIGNIFICANT
    certain = nonzero & (np.abs(shift) <= _EXACT_POWERS) & (half > _MARGIN)
    certain &= (scaled > low + _MARGIN) & (scaled < high - _MARGIN)
    for i in np.flatnonzero(~certain).tolist():
        rounded[i] = _rounded(float(figures[i]))
    out[finite] = rounded
    return out


@dataclass
class _Table:
    path: str
    metrics: list[str]
    values: np.ndarray  # records x metrics, NaN where a record has none
    means: bool = False  # a summary's means: repeats runs only as a whole (one run per mean)
    models: list[str | None] = field(default_factory=list)  # per record, the model it names
    names: list[object] = field(default_factory=list)  # per record, the model as written
    # per (metric, statistic) other than a mean (ttft p50, p95): checked, never fingerprinted
    spreads: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # per setting the table states, each record's value as text ("" where it states none)
    settings: dict[str, list[str]] = field(default_factory=dict)


# A fingerprint's runs: the one run (table position, row) that has it, or a list once several
# have. Most fingerprints belong to one run, and a tuple of numbers is no object the garbage
# collector walks on each full collection (tens of thousands of lists were).
Runs = tuple[int, int] | list[tuple[int, int]]


@dataclass
class RunIndex:
    """Every run read so far: candidates by fingerprint, verified on all shared figures."""

    tables: list[_Table] = field(default_factory=list)
    prints: dict[tuple, Runs] = field(default_factory=dict)
    identities: dict[str, str] = field(default_factory=dict)  # format's own record id -> file
    # where the notes' tables begin in `tables` (notes are read last): set at the first
    notes_from: int | None = None
    # per metric, every figure of the tables read before the first note's, sorted, and the
    # (table, row) of each (see `quoted`)
    _figures: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    _made: tuple[TableValues, _Table] | None = None  # the last table `check` took in

    def quoted(self, values: TableValues) -> tuple[np.ndarray, str | None]:
        """A note's table whose rows each hold one figure (a README's "| Qwen3-8B | 62.98 |"),
        every one of them (2-50 rows) a figure of the same metric in one earlier file, to the
        digits it writes, each of another row that may be the same run: those rows quote that
        file's runs (one figure makes no fingerprint pair, so `check` cannot see it). Notes
        are read after the data files: the data files' figures are indexed once (those before
        `notes_from`), at the first table that needs them; a note quoting a note is not seen."""
        # `check`, which runs first, made this table's fingerprint table already
        made = self._made
        table = made[1] if made is not None and made[0] is values else self._table(values)
        none = np.zeros(len(table.values), dtype=bool)
        held = np.isfinite(table.values)
        rows = held.any(axis=1)
        count = int(rows.sum())
        if not _RESTATING_ROWS[0] <= count <= _RESTATING_ROWS[1] or (held.sum(axis=1) > 1).any():
            return none, None
        if self._figures is None:
            self._figures = self._index()
        owners: list[set[str]] = []
        taken: set[tuple[int, int]] = set()
        quoted: list[tuple[str, float]] = []
        for row in np.flatnonzero(rows).tolist():
            column = int(np.flatnonzero(held[row])[0])
            metric, value = table.metrics[column], float(table.values[row, column])
            found = self._quoting(metric, value, table.names[row], table.path, taken)
            if not found:
                return none, None
            owners.append(found)
            quoted.append((metric, value))
        common = [
            path for path in sorted(set.intersection(*owners)) if self._beyond_chance(path, quoted)
        ]
        if not common:
            return none, None
        return rows, common[0]

    def _beyond_chance(self, path: str, quoted: list[tuple[str, float]]) -> bool:
        """Whether figures written to so few digits could not all be in `path` by chance:
        the figures of each metric there, spread over their range, would put about N x
        (the width a figure's rounding spans) / range of them near any one figure; the
        product over the quoted figures must be below `_CHANCE` (a README's "45" and "60"
        are near some row of a 500-row file whatever it measured)."""
        columns: dict[str, list[np.ndarray]] = {}
        for table in self.tables[: self.notes_from]:
            if table.path == path:
                for i, metric in enumerate(table.metrics):
                    column = table.values[:, i]
                    columns.setdefault(metric, []).append(column[np.isfinite(column)])
        chance = 1.0
        for metric, value in quoted:
            figures = np.concatenate(columns.get(metric, [np.empty(0)]))
            spread = float(figures.max() - figures.min()) if figures.size > 1 else 0.0
            if spread <= 0:
                return False
            chance *= min(1.0, figures.size * 2 * _rounding(value, value) / spread)
        return chance < _CHANCE

    def _index(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for position, table in enumerate(self.tables[: self.notes_from]):
            for i, metric in enumerate(table.metrics):
                column = table.values[:, i]
                rows = np.flatnonzero(np.isfinite(column))
                where = np.column_stack([np.full(len(rows), position), rows])
                parts.setdefault(metric, []).append((column[rows], where))
        index = {}
        for metric, found in parts.items():
            figures = np.concatenate([f for f, _ in found])
            where = np.concatenate([w for _, w in found])
            order = np.argsort(figures, kind="stable")
            index[metric] = (figures[order], where[order])
        return index

    def _quoting(
        self, metric: str, value: float, model: object, path: str,
        taken: set[tuple[int, int]],
    ) -> set[str]:  # fmt: skip
        """The files holding `value` of `metric` (to the digits the less precise of the two
        writes) in a row that may be the same run, and not yet matched."""
        assert self._figures is not None
        if metric not in self._figures:
            return set()
        figures, where = self._figures[metric]
        reach = TOLERANCE * abs(value)
        low, high = np.searchsorted(figures, [value - reach, value + reach], side="left")
        files = set()
        for k in range(int(low), int(min(high + 1, len(figures)))):
            theirs = float(figures[k])
            position, row = int(where[k, 0]), int(where[k, 1])
            other = self.tables[position]
            if other.path == path or other.path in files or (position, row) in taken:
                continue
            if abs(theirs - value) > _rounding(theirs, value):
                continue
            if not _may_restate(model, other.names[row]):
                continue
            taken.add((position, row))  # one row of each file per figure
            files.add(other.path)
        return files

    @staticmethod
    def _table(values: TableValues) -> _Table:
        records = values.records
        per_run: dict[str, np.ndarray] = {}
        for label, (metric, aggregate) in values.roles.items():
            # A mean is a run's own value where a summary lists one run per mean.
            if aggregate in (None, "mean") and metric in _METRICS and metric not in per_run:
                column = np.asarray(records[value_column(label)], dtype=float)
                per_run[metric] = np.where(column > 0, column, np.nan)
        means = all(aggregate is not None for _, aggregate in values.roles.values())
        for label, (metric, aggregate) in values.roles.items():
            # A summary of medians (GuideLLM's console tables print TTFT, ITL and latency as
            # Mdn and p95 only) is fingerprinted by them where it states no mean: another
            # file printing the same medians is its copy.
            if means and aggregate == "median" and metric in _METRICS and metric not in per_run:
                column = np.asarray(records[value_column(label)], dtype=float)
                per_run[metric] = np.where(column > 0, column, np.nan)
        runs = ~records["error"] & ~records["summary"]
        metrics = [m for m in _METRICS if m in per_run]
        matrix = (
            np.column_stack([per_run[m] for m in metrics]) if metrics else np.empty((len(runs), 0))
        )
        matrix[~runs] = np.nan
        names = records["model"].tolist()
        models = [_model_key(m) for m in names]
        # A record's percentiles are its run's too: two runs of a deterministic benchmark may
        # agree on their rates and mean times (640 requests of 256 tokens at 6486.6 tok/s),
        # not on their TTFT p50 and p95 (72.1 against 69.1 ms): a copy keeps them to the
        # digits it writes.
        spreads: dict[tuple[str, str], np.ndarray] = {}
        for label, (metric, aggregate) in values.roles.items():
            key = (metric, aggregate or "")
            fingerprinted = means and aggregate == "median" and metric in per_run
            if (
                aggregate not in (None, "mean")
                and metric in _METRICS
                and key not in spreads
                and not fingerprinted
            ):
                column = np.asarray(records[value_column(label)], dtype=float)
                spreads[key] = np.where(column > 0, column, np.nan)
        settings = {
            name[len("param:") :]: [_setting_text(v) for v in records[name].tolist()]
            for name in records
            if name.startswith("param:")
        }
        return _Table(values.path, metrics, matrix, means, models, names, spreads, settings)

    @staticmethod
    def _pairs(table: _Table, informative: list[int]) -> list[tuple[int, int]]:
        """The pairs of informative columns (positions in `informative`) that fingerprint a
        run, in the order of `combinations`: a row's keys are those its figures fill."""
        return [
            (a, b)
            for a, b in combinations(range(len(informative)), 2)
            if not {table.metrics[informative[a]], table.metrics[informative[b]]} <= _COUNTS
        ]

    @staticmethod
    def _rounded_rows(figures: np.ndarray) -> list[tuple[float | None, ...]]:
        """Per row, its figures rounded (`_rounded`), None where it has none."""
        columns = [[None if v != v else v for v in c] for c in rounded_figures(figures).T.tolist()]
        return list(zip(*columns, strict=True)) if columns else [()] * len(figures)

    def _informative(self, table: _Table) -> list[int]:
        """The metrics that tell this table's runs apart (not the same in every row)."""
        columns = []
        for i in range(len(table.metrics)):
            column = table.values[:, i]
            finite = column[np.isfinite(column)]
            if finite.size and (table.values.shape[0] < 3 or np.unique(finite).size > 1):
                columns.append(i)
        return columns[:_MOST_METRICS]

    @staticmethod
    def _shared_keys(table: _Table, informative: list[int], row: int) -> list[tuple]:
        """A row's fingerprints of one figure that tells runs apart paired with one every
        row shares, where its own figures make no pair: a CSV of rates beside a fixed token
        count and its JSON twin are matched all the same."""
        values = table.values[row]
        own = [i for i in informative if np.isfinite(values[i])]
        shared = [
            i for i in range(len(table.metrics)) if i not in informative and np.isfinite(values[i])
        ]
        return [
            (table.metrics[a], _rounded(float(values[a])), table.metrics[b],
             _rounded(float(values[b])))
            for a in own
            for b in shared
            if not {table.metrics[a], table.metrics[b]} <= _COUNTS
        ]  # fmt: skip

    def _same(self, mine: _Table, row: int, other: _Table, other_row: int) -> bool:
        # Two records that name two model families are two runs, however close their rounded
        # figures (Mixtral Q2 and DeepSeek-Coder Q6 at 16k context: 1258 vs 1262 tok/s prompt,
        # 43.58 vs 43.20 tok/s, TTFT 13.0 s each).
        a_model, b_model = mine.models[row], other.models[other_row]
        if a_model is not None and b_model is not None and a_model != b_model:
            return False
        # A copy restates its run's settings: gpt-oss at its 1024-token cap ran 159.2 tok/s
        # at num_ctx 49152 and 65536 alike, every rounded figure within TOLERANCE.
        for name, texts in mine.settings.items():
            theirs = other.settings.get(name)
            if theirs is not None and texts[row] and theirs[other_row] not in ("", texts[row]):
                return False
        shared = 0
        for i, metric in enumerate(mine.metrics):
            if metric not in other.metrics:
                continue
            a = mine.values[row, i]
            b = other.values[other_row, other.metrics.index(metric)]
            if not (np.isfinite(a) and np.isfinite(b)):
                continue
            # Rounding explains a difference only where one side is rounded: two figures
            # kept to full precision that differ are two measurements (LLMPerf's requests of
            # one load test often agree within TOLERANCE on TTFT, ITL and latency alike), and
            # a rounded copy keeps the digits it writes.
            tolerance = EXACT if _full_precision(a) and _full_precision(b) else TOLERANCE
            if abs(a - b) > tolerance * max(abs(a), abs(b)):
                return False
            if metric in _RATES_AND_COUNTS and a != b and abs(a - b) > _rounding(a, b):
                return False
            if metric in _COUNTS and a != b and float(a).is_integer() and float(b).is_integer():
                # a copy keeps a token count whole: 8230 against 8227 prompt tokens are two
                # runs of one deterministic benchmark, however close their timings
                return False
            shared += 1
        if shared >= 2:
            for key, column in mine.spreads.items():
                theirs = other.spreads.get(key)
                if theirs is None:
                    continue
                # one run's percentile, as the benchmark computed it: a copy rounds it, never
                # measures it again (47.8 against 48.1 ms p50 are two runs)
                a, b = float(column[row]), float(theirs[other_row])
                if math.isfinite(a) and math.isfinite(b) and abs(a - b) > _rounding(a, b):
                    return False
        return shared >= 2

    def check(self, values: TableValues) -> tuple[np.ndarray, str | None]:
        """Which records of `values` repeat runs of one earlier file, and that file (None:
        no earlier file's); then remember this table's runs."""
        table = self._table(values)
        self._made = (values, table)
        records = values.records
        given = records["fingerprint"].tolist()
        size = len(given)
        checked = min(size, MAX_CHECKED)
        informative = self._informative(table)
        names = [table.metrics[i] for i in informative]
        # Each pair with its metrics' names, looked up once for every row's keys.
        pairs = [(a, names[a], b, names[b]) for a, b in self._pairs(table, informative)]
        figures = self._rounded_rows(table.values[:checked, informative])
        prints = self.prints
        owners: list[str | None] = [None] * size
        fingerprinted = 0  # rows with a fingerprint of their figures
        # The table is indexed as its rows are read, each run under its fingerprints once
        # they are looked up: a run of this file is never a candidate (its path is its own).
        position = len(self.tables)
        self.tables.append(table)
        for row in range(checked):
            if given[row] is not None:
                owner = self.identities.get(given[row])
                owners[row] = owner if owner != values.path else None
                continue
            rounded = figures[row]
            keys = [
                (name_a, rounded[a], name_b, rounded[b])
                for a, name_a, b, name_b in pairs
                if rounded[a] is not None and rounded[b] is not None
            ]
            if not keys:
                # One figure of its own beside one every row shares (each run's rate beside
                # num_predict's 400 tokens): the pair still fingerprints the run.
                keys = self._shared_keys(table, informative, row)
            if not keys:
                continue
            fingerprinted += 1
            run = (position, row)
            # Each earlier run once, in the order its fingerprints and their runs come.
            candidates: dict[tuple[int, int], None] = {}
            for key in keys:
                found = prints.get(key)
                if found is None:
                    prints[key] = run
                elif isinstance(found, tuple):
                    candidates[found] = None
                    prints[key] = [found, run]
                else:
                    candidates.update(dict.fromkeys(found))
                    found.append(run)
            for position_of, other_row in candidates:
                other = self.tables[position_of]
                if other.path != values.path and self._same(table, row, other, other_row):
                    owners[row] = other.path
                    break
        repeated = np.array([o is not None for o in owners], dtype=bool)
        of = None
        if repeated.any():
            by_path = {t.path: t for t in self.tables}
            counts = Counter(o for o in owners if o is not None)
            named = [path for path, _ in counts.most_common(3)]
            of = named[0] if len(counts) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
            if len(counts) > 3:
                of = ", ".join(named) + f" and {len(counts) - 3} more files"
            matched = sum(counts.values())
            runs = fingerprinted + sum(1 for g in given[:checked] if g is not None)
            if matched >= TWIN_SHARE * runs:
                repeated = ~records["error"] & ~records["summary"]
            elif table.means or any(by_path[p].means for p in counts):
                # A mean of steady runs can equal one of them; only a whole summary that
                # lists one run per mean repeats runs.
                repeated[:] = False
                of = None
        # Only rows below MAX_CHECKED are ever candidates: the rest of a big table's matrix
        # (a 500,000-row CSV: 24 MB) need not be held until the digest ends.
        table.values = table.values[:MAX_CHECKED].copy()
        table.names = table.names[:MAX_CHECKED]
        table.spreads = {k: v[:MAX_CHECKED].copy() for k, v in table.spreads.items()}
        for identity in given:
            if identity is not None:
                self.identities.setdefault(identity, values.path)
        return repeated, of


# A note's summary table is read as restating its other tables only where this many of its
# rows hold figures (one row equal to a figure elsewhere may be a coincidence) and at most
# this many (a table of hundreds of rows is no summary).
_RESTATING_ROWS = (2, 50)
# ... and only where each of its figures writes its last digit within this share of itself
# (62.98, 303.9, 278: three significant digits or more), so that no two round figures of
# one note ("| a | 3 |" beside another table's 3) meet by chance.
_RESTATING_ROUNDING = 0.005
# How likely a note's figures may all be near figures of one file by chance, at most, for the
# note to be read as quoting that file (see `RunIndex._beyond_chance`).
_CHANCE = 1e-3
# A model's size as a summary names it ("27B", "1.7B"): a row naming one restates only a row
# of a model of that size ("qwen35 27B Q2_0").
_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*b(?![a-z])", re.IGNORECASE)


def _sizes(model: object) -> set[str]:
    return {m.lower() for m in _SIZE.findall(model)} if isinstance(model, str) else set()


def _may_restate(summary_model: object, model: object) -> bool:
    """Whether a summary row's model may be the model of a row it restates: no two families,
    and the size it names (`27B`) among the other's."""
    a, b = _model_key(summary_model), _model_key(model)
    if a is not None and b is not None and a != b:
        return False
    sizes = _sizes(summary_model)
    return not sizes or bool(sizes & _sizes(model))


_MODEL_WORD = re.compile(r"[a-z0-9][a-z0-9._]*")


def _same_model(summary_model: object, model: object) -> bool:
    """Whether a row of a note's summary table may restate a row of another table of the
    note: `_may_restate`, and where the other row names a model's family and the summary
    row none, no word but a size the other's model lacks ("27B" restates "qwen35 27B Q2_0";
    "Bonsai 27B" names a model its source does not: it says more, and is kept). A summary
    naming the family its source leaves to a heading ("Qwen3 Q4_K_M" above "GGUF Q4_K_M",
    "Gemma3:270m" above a report's row naming no model) restates it."""
    if not _may_restate(summary_model, model):
        return False
    if _model_key(model) is None or _model_key(summary_model) is not None:
        return True
    if not isinstance(summary_model, str) or names_no_model(summary_model):
        return True  # a summary naming no model ("| Full (latest) | 102.31 tok/s |")
    words = set(_MODEL_WORD.findall(str(summary_model).lower())) - {
        f"{size}b" for size in _sizes(summary_model)
    }
    return words <= set(_MODEL_WORD.findall(str(model).lower()))


def _same_machine(summary_machine: object, machine: object) -> bool:
    """Whether a summary row's machine may be the machine of a row it restates: the same
    one, where both name one (figures of two machines are two runs)."""
    named = [m for m in (summary_machine, machine) if isinstance(m, str) and m]
    return len(named) < 2 or named[0] == named[1]


def restated_rows(tables: Sequence[TableValues]) -> list[np.ndarray | None]:
    """Per table of one file (a note's tables), the rows that restate figures of its other
    tables, or None: a summary table ("| Model | Throughput |" with `27B | 62.98 tok/s`
    under a note's Summary heading) whose every figure is, to the digits it writes, a figure
    of the same metric in another table of the note (llama-bench's `qwen35 27B Q2_0 ... tg128
    | 62.98 ± 0.70`), each row of another, with no model, size or machine against it
    (`_same_model`, `_same_machine`). Its figures must each write three significant digits
    or more (`_RESTATING_ROUNDING`): two tables of round TTFTs (45, 52 ms) meet by chance.
    Its rows are the same runs again, not a second set of figures. Tables are judged in
    order and a table found restating is no source for the ones after it (two copies of one
    table keep one)."""
    found: list[np.ndarray | None] = [None] * len(tables)
    if len(tables) < 2:
        return found
    index = _FigureIndex.of(tables)
    for i, table in enumerate(tables):
        records = table.records
        if not records or len(records["model"]) > _RESTATING_ROWS[1]:
            continue
        usable = ~records["error"] & ~records["summary"]
        figures = {
            label: np.asarray(records[value_column(label)], dtype=float) for label in table.roles
        }
        held = usable & np.any([np.isfinite(v) for v in figures.values()], axis=0)
        if int(held.sum()) < _RESTATING_ROWS[0]:
            continue
        if any(
            0.5 * 10.0 ** _last_digit(v) > _RESTATING_ROUNDING * abs(v)
            for values in figures.values()
            for v in values[held].tolist()
            if math.isfinite(v)
        ):
            continue  # "0.06", "12": too round to be told from another figure
        taken: set[int] = set()
        every = True
        for row in np.flatnonzero(held).tolist():
            for label, values in figures.items():
                value = float(values[row])
                if not math.isfinite(value):
                    continue
                metric = table.roles[label][0]
                names = (records["model"][row], records["machine"][row])
                match = index.restated(metric, value, names, i, found, taken)
                if match is None:
                    every = False
                    break
                taken.add(match)
            if not every:
                break
        if every:
            found[i] = held
    return found


@dataclass
class _FigureIndex:
    """Every figure of a file's tables, per metric: value, table, model and machine, as flat
    arrays."""

    values: dict[str, np.ndarray]
    owners: dict[str, np.ndarray]  # the table each figure is of
    names: dict[str, list[tuple[object, object]]]  # the model and machine of each figure

    @classmethod
    def of(cls, tables: Sequence[TableValues]) -> _FigureIndex:
        parts: dict[str, list[tuple[np.ndarray, int, list[tuple[object, object]]]]] = {}
        for j, table in enumerate(tables):
            records = table.records
            if not records:
                continue
            usable = ~records["error"] & ~records["summary"]
            models, machines = records["model"], records["machine"]
            for label, (metric, _) in table.roles.items():
                column = np.asarray(records[value_column(label)], dtype=float)
                keep = usable & np.isfinite(column)
                kept = [(models[r], machines[r]) for r in np.flatnonzero(keep).tolist()]
                parts.setdefault(metric, []).append((column[keep], j, kept))
        return cls(
            values={m: np.concatenate([v for v, _, _ in p]) for m, p in parts.items()},
            owners={
                m: np.concatenate([np.full(len(v), j) for v, j, _ in p]) for m, p in parts.items()
            },
            names={m: [x for _, _, ns in p for x in ns] for m, p in parts.items()},
        )

    def restated(
        self,
        metric: str,
        value: float,
        names: tuple[object, object],
        mine: int,
        found: list[np.ndarray | None],
        taken: set[int],
    ) -> int | None:
        """The figure of another table (its position in the metric's arrays) that holds
        `value`, to the digits of the less precise of the two, and may be of the same run
        (the model and machine of `names` may be its); None where none does. A table found
        restating is no source."""
        values = self.values.get(metric)
        if values is None:
            return None
        owners = self.owners[metric]
        close = (np.abs(values - value) <= TOLERANCE * abs(value)) & (owners != mine)
        for k in np.flatnonzero(close).tolist():
            theirs = float(values[k])
            if k in taken or found[int(owners[k])] is not None:
                continue
            if abs(theirs - value) > _rounding(theirs, value):
                continue
            model, machine = self.names[metric][k]
            if _same_model(names[0], model) and _same_machine(names[1], machine):
                return k

        return None
