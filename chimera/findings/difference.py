"""One comparison of two measured groups on one metric, with the spread that judges it.

Which spread is the right one depends on how the runs were made:

- **Repetitions** (runs of the same setup on the same workload: one prompt, one llama-bench
  test): Welch's t-test on the two groups' runs, "the run-to-run spread".
- **Paired workloads** (both setups ran the same two or more prompts or tests, whether
  once or several times each): per workload the ratio of the two means, tested across the
  workloads (a paired t-test on their logarithms). Prompts differ in length and answer, so
  their spread is not run-to-run noise: it is neither added to the noise nor hidden. Where
  the model ran several setups over the same prompts, how much a setup's speed varies from
  prompt to prompt is estimated from all of them (`prompt_noise`: the residual of setup +
  prompt on the log means), which two prompts alone could not tell.
- **No workload recorded**: the files do not say which prompt each run used, so the runs
  are taken as repetitions (and the sentence says runs, not prompts).

Workloads that only one side ran are left out ("like for like"); two sides with no workload
in common are not compared. A verdict needs at least two values on each side (or two paired
workloads); below that the comparison states the figures and gives none. Every comparison
also gives the 95 % interval of the change in percent, so "no measurable effect" can say
how small an effect the data rules out ("within ±3.1 %").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from chimera.findings.measured import MIN_EFFECT, Measured, t_quantile_975
from chimera.ingest.digest.models import MetricStats

Design = Literal["repetitions", "paired", "unrecorded", "single"]
Verdict = Literal["real", "within spread", "too few runs", "not like for like"]
# A null is stated only where the data rules out effects larger than this; a wider interval
# is "too few to tell", not "no effect".
NULL_BOUND = 10.0
# Or where the levels themselves differ by at most this much: nothing to act on, though the
# runs are too few to rule out a larger effect (and the sentence says how large).
SMALL_CHANGE = 5.0


@dataclass(frozen=True)
class Comparison:
    """`a` against `b` on one metric."""

    metric: str
    a: float  # the compared means (over the workloads both ran, where they ran several)
    b: float
    n_a: int  # values behind each side
    n_b: int
    verdict: Verdict
    design: Design
    workloads: int = 0  # paired: how many workloads both ran
    noun: str = "prompts"  # what the workloads are: "prompts", "prompt lengths" or "tests"
    low: float | None = None  # 95 % interval of the change, in percent of b
    high: float | None = None

    @property
    def change(self) -> float:
        """(a - b) / b in percent."""
        return 100.0 * (self.a - self.b) / self.b if self.b > 0 else math.nan

    @property
    def real(self) -> bool:
        return self.verdict == "real"

    @property
    def ratio(self) -> float:
        return self.a / self.b if self.b > 0 else math.nan

    @property
    def null(self) -> bool:
        """No effect: the data rules out any larger than NULL_BOUND percent, or the levels
        differ by at most SMALL_CHANGE percent."""
        if self.verdict != "within spread":
            return False
        bound = self.bound
        return (bound is not None and bound <= NULL_BOUND) or abs(self.change) <= SMALL_CHANGE

    @property
    def tight(self) -> bool:
        """A null whose interval itself is narrow (rules out more than NULL_BOUND)."""
        bound = self.bound
        return self.null and bound is not None and bound <= NULL_BOUND

    @property
    def inconclusive(self) -> bool:
        """Within the spread, but the spread is too wide to rule much out."""
        return self.verdict == "within spread" and not self.null

    @property
    def bound(self) -> float | None:
        """The largest change the interval allows, in percent (for "within ±x %")."""
        if self.low is None or self.high is None:
            return None
        return max(abs(self.low), abs(self.high))

    def spread_words(self) -> str:
        """How the verdict was reached, as a reader needs it."""
        if self.verdict == "not like for like":
            return f"the two ran no {self.noun[:-1]} in common, so the runs cannot judge it"
        if self.inconclusive and self.low is not None and self.high is not None:
            over = (
                f"the {self.workloads} {self.noun} both ran"
                if self.design == "paired"
                else "these runs"
            )
            if self.low <= -100.0:  # below nothing: the runs bound no fall at all
                return (
                    f"{over} are too few to tell: the change could be anything up to "
                    f"{self.high:+.0f} %"
                )
            return (
                f"{over} are too few to tell: the change could be anywhere from "
                f"{self.low:+.0f} % to {self.high:+.0f} %"
            )
        if self.design == "paired":
            if self.verdict == "real":
                return f"consistent over the {self.workloads} {self.noun} both ran"
            return (
                f"within the prompt-to-prompt spread over the {self.workloads} {self.noun} both ran"
            )
        if self.verdict == "too few runs":
            if self.design == "single":
                return f"one {self.noun[:-1]} without repetitions on one side, so no verdict"
            return "one run on one side, so no verdict"
        if self.verdict == "real":
            return "beyond the run-to-run spread"
        return "within the run-to-run spread"

    def counts(self) -> str:
        """'n=5 each', 'n=3 and 5', 'over 4 prompts'."""
        if self.n_a == self.n_b:
            return f"n={self.n_a} each"
        return f"n={self.n_a} and {self.n_b}"


def _welch(a: MetricStats, b: MetricStats) -> tuple[Verdict, float | None, float | None]:
    """Welch's test of mean(a) - mean(b), and the 95 % interval of the change (% of b)."""
    if a.n < 2 or b.n < 2 or a.std is None or b.std is None or b.mean <= 0:
        return "too few runs", None, None
    va, vb = a.std**2 / a.n, b.std**2 / b.n
    se = math.sqrt(va + vb)
    diff = a.mean - b.mean
    if se == 0:
        df = math.inf
    else:
        df = (va + vb) ** 2 / (
            (va**2 / (a.n - 1) if va else 0.0) + (vb**2 / (b.n - 1) if vb else 0.0)
        )
    half = t_quantile_975(df) * se if df != math.inf else 1.96 * se
    low, high = 100.0 * (diff - half) / b.mean, 100.0 * (diff + half) / b.mean
    if abs(diff) < MIN_EFFECT * max(abs(a.mean), abs(b.mean)):
        return "within spread", low, high
    if se == 0:
        return "real", low, high
    return ("real" if abs(diff) > half else "within spread"), low, high


Noise = tuple[float, float]  # (variance of a log mean around setup + prompt, its df)


def prompt_noise(setups: Sequence[Measured], metric: str) -> Noise | None:
    """How much one setup's log mean varies from prompt to prompt beyond what the setup and
    the prompt explain, from every setup of one model over the prompts they share: the
    residual variance of log(mean) = setup + prompt (least squares by alternating means),
    with its degrees of freedom. None below two of them."""
    cells = {
        (i, w): math.log(m.cells[w][metric].mean)
        for i, m in enumerate(setups)
        for w in m.cells
        if metric in m.cells[w] and m.cells[w][metric].mean > 0
    }
    shared = {w for (_, w) in cells if sum(1 for (_, v) in cells if v == w) >= 2}
    cells = {(i, w): y for (i, w), y in cells.items() if w in shared}
    rows = {i for (i, _) in cells if sum(1 for (j, _) in cells if j == i) >= 2}
    cells = {(i, w): y for (i, w), y in cells.items() if i in rows}
    columns = {w for (_, w) in cells}
    df = len(cells) - len(rows) - len(columns) + 1
    if df < 2:
        return None
    row_effect = dict.fromkeys(rows, 0.0)
    column_effect = dict.fromkeys(columns, 0.0)
    for _ in range(50):
        for i in rows:
            mine = [y - column_effect[w] for (j, w), y in cells.items() if j == i]
            row_effect[i] = sum(mine) / len(mine)
        for w in columns:
            mine = [y - row_effect[i] for (i, v), y in cells.items() if v == w]
            column_effect[w] = sum(mine) / len(mine)
    residual = sum((y - row_effect[i] - column_effect[w]) ** 2 for (i, w), y in cells.items())
    return residual / df, float(df)


def _paired(
    pairs: list[tuple[MetricStats, MetricStats]], noise: Noise | None = None
) -> tuple[Verdict, float | None, float | None]:
    """A paired test over workloads of the log ratio of the means, with its 95 % interval;
    the spread from `noise` where the model's other setups give it, else from the pairs."""
    logs = [math.log(x.mean / y.mean) for x, y in pairs if x.mean > 0 and y.mean > 0]
    k = len(logs)
    if k < 2:
        return "too few runs", None, None
    mean = sum(logs) / k
    if noise is not None:
        variance, df = noise
        sd = math.sqrt(2 * variance)  # the spread of a difference of two log means
    else:
        sd = math.sqrt(sum((v - mean) ** 2 for v in logs) / (k - 1))
        df = k - 1
    half = t_quantile_975(df) * sd / math.sqrt(k)
    low, high = 100.0 * (math.exp(mean - half) - 1), 100.0 * (math.exp(mean + half) - 1)
    if abs(math.exp(mean) - 1) < MIN_EFFECT:
        return "within spread", low, high
    if sd == 0:
        return "real", low, high
    return ("real" if abs(mean) > half else "within spread"), low, high


_PROMPT_LENGTH = re.compile(r"\d+-token prompt")


def _noun(workloads: list[str]) -> str:
    """What the workloads are: llama-bench's tests, prompt lengths (a context swept, each
    length one workload: guruswami's 1024 to 32768 tokens, not five prompts), or prompts."""
    tests = sum(1 for w in workloads if w[:2] in ("pp", "tg") and w[2:3].isdigit())
    if tests and tests == len(workloads):
        return "tests"
    if workloads and all(_PROMPT_LENGTH.fullmatch(w) for w in workloads):
        return "prompt lengths"
    return "prompts"


def compare(
    a: Measured,
    b: Measured,
    metric: str,
    noise: Noise | None = None,
    *,
    across_workloads: bool = False,
) -> Comparison | None:
    """`a` against `b` on `metric`, like for like; None when either lacks the metric.
    `noise`: the prompt-to-prompt spread of the model's setups (`prompt_noise`).
    `across_workloads`: the workload is what is compared (tg128 against tg512), so each
    side's runs are compared as they are."""
    sa, sb = a.metrics.get(metric), b.metrics.get(metric)
    if sa is None or sb is None:
        return None
    if across_workloads:
        verdict, low, high = _welch(sa, sb)
        design: Design = "repetitions" if verdict != "too few runs" else "single"
        return Comparison(metric, sa.mean, sb.mean, sa.n, sb.n, verdict, design, 0, "tests",
                          low, high)  # fmt: skip
    common = sorted(w for w in a.cells if metric in a.cells[w] and metric in b.cells.get(w, {}))
    noun = _noun(common or sorted(set(a.cells) | set(b.cells)))
    if len(common) >= 2:
        pairs = [(a.cells[w][metric], b.cells[w][metric]) for w in common]
        verdict, low, high = _paired(pairs, noise)
        return Comparison(
            metric,
            sum(x.mean for x, _ in pairs) / len(pairs),
            sum(y.mean for _, y in pairs) / len(pairs),
            sum(x.n for x, _ in pairs),
            sum(y.n for _, y in pairs),
            verdict,
            "paired",
            len(common),
            noun,
            low,
            high,
        )
    if len(common) == 1:
        x, y = a.cells[common[0]][metric], b.cells[common[0]][metric]
        verdict, low, high = _welch(x, y)
        design = "repetitions" if verdict != "too few runs" else "single"
        return Comparison(metric, x.mean, y.mean, x.n, y.n, verdict, design, 1, noun, low, high)
    if a.cells and b.cells:
        return Comparison(metric, sa.mean, sb.mean, sa.n, sb.n, "not like for like", "single",
                          0, noun)  # fmt: skip
    verdict, low, high = _welch(sa, sb)
    return Comparison(metric, sa.mean, sb.mean, sa.n, sb.n, verdict, "unrecorded", 0, noun,
                      low, high)  # fmt: skip
