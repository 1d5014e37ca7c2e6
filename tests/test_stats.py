"""chimera.statistics: summaries, bootstrap CIs, verdicts and concurrency figures.

Expected values are worked out by hand in the comments, not produced by the code under test.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from chimera.statistics import (
    SIGN_CONVENTION,
    bootstrap_delta_ci,
    compare_figure,
    concurrency_figures,
    summarize,
)

# ---------------------------------------------------------------- summarize


def test_summarize_matches_hand_computed_values() -> None:
    """[10, 12, 14, 16]: the textbook figures."""
    s = summarize([10, 12, 14, 16])
    assert s.n == 4
    assert s.mean == pytest.approx(13.0)  # 52 / 4
    assert s.median == pytest.approx(13.0)  # (12 + 14) / 2
    # deviations -3, -1, 1, 3 -> squares 9 + 1 + 1 + 9 = 20; 20 / (4 - 1) = 6.667; sqrt = 2.582
    assert s.stdev == pytest.approx(2.5820, abs=1e-4)
    assert s.min == 10 and s.max == 16
    # linear: position 0.95 * (4 - 1) = 2.85 -> 14 + 0.85 * (16 - 14) = 15.7
    assert s.p95 == pytest.approx(15.7)


def test_summarize_eleven_values() -> None:
    """0, 10, ..., 100: p95 interpolates halfway between 90 and 100."""
    s = summarize(list(range(0, 101, 10)))
    assert s.n == 11
    assert s.mean == pytest.approx(50.0)
    assert s.median == pytest.approx(50.0)
    # squared deviations: 100 * (25+16+9+4+1+0+1+4+9+16+25) = 11000; / 10 = 1100; sqrt = 33.166
    assert s.stdev == pytest.approx(33.1662, abs=1e-4)
    # position 0.95 * 10 = 9.5 -> 90 + 0.5 * 10 = 95
    assert s.p95 == pytest.approx(95.0)


def test_summarize_ignores_none_and_does_not_count_it() -> None:
    """None is "not measured": dropped, not read as 0, not counted in n."""
    assert summarize([10, None, 12, None, 14, 16]) == summarize([10, 12, 14, 16])


def test_summarize_single_value_has_no_stdev() -> None:
    """n = 1: every figure is the value itself except the sample stdev, which is undefined."""
    s = summarize([5.0])
    assert (s.n, s.mean, s.median, s.stdev, s.min, s.max, s.p95) == (1, 5, 5, None, 5, 5, 5)


def test_summarize_empty_or_all_none() -> None:
    """No measured value: n = 0 and every statistic None."""
    for values in ([], [None, None]):
        s = summarize(values)
        assert s.n == 0
        assert s.mean is s.median is s.stdev is s.min is s.max is s.p95 is None


# ---------------------------------------------------------------- bootstrap


A_STEADY = [98.0, 100.0, 102.0, 99.0, 101.0, 100.0, 97.0, 103.0]  # mean 100
B_SHIFTED = [v + 20 for v in A_STEADY]  # mean 120: true delta +20


def test_bootstrap_is_deterministic_with_seed() -> None:
    """The same seed gives the same interval; another seed a (slightly) different one."""
    # Fractional values, so the percentiles do not land on the same lattice point by chance.
    a, b = [10.13, 12.71, 14.24, 16.92, 11.37], [11.48, 15.83, 13.65, 18.21, 12.96]
    assert bootstrap_delta_ci(a, b, seed=7) == bootstrap_delta_ci(a, b, seed=7)
    assert bootstrap_delta_ci(a, b, seed=7) != bootstrap_delta_ci(a, b, seed=8)


def test_bootstrap_constant_samples_give_a_point_interval() -> None:
    """Every resample of [0, 0] vs [1, 1] has delta exactly 1."""
    assert bootstrap_delta_ci([0, 0], [1, 1]) == (1.0, 1.0)
    assert bootstrap_delta_ci([3], [5]) == (2.0, 2.0)


def test_bootstrap_clear_shift_contains_true_delta_and_excludes_zero() -> None:
    """B = A + 20: the CI holds 20 and lies within the extreme possible deltas."""
    low, high = bootstrap_delta_ci(A_STEADY, B_SHIFTED)
    assert low < 20 < high
    assert low > 0
    # resample means stay within [97, 103] + shift, so delta is within [14, 26]
    assert low >= 14 and high <= 26


def test_bootstrap_identical_distributions_include_zero() -> None:
    """Same values on both sides (shuffled): no difference can be claimed."""
    low, high = bootstrap_delta_ci(A_STEADY, list(reversed(A_STEADY)))
    assert low < 0 < high


def test_paired_bootstrap_removes_shared_drift() -> None:
    """Reps drift 10 -> 50 on both sides, B always +1: paired sees it, unpaired cannot."""
    a = [10.0, 20.0, 30.0, 40.0, 50.0]
    b = [11.0, 21.0, 31.0, 41.0, 51.0]
    # every per-repetition difference is 1, so every paired resample mean is 1
    assert bootstrap_delta_ci(a, b, paired=True) == (1.0, 1.0)
    low, high = bootstrap_delta_ci(a, b, paired=False)
    assert low < 0 < high  # sd ~15.8 per side swamps a shift of 1


def test_paired_bootstrap_two_point_differences() -> None:
    """Diffs -10, -20, -10, -20: the 95 % CI is [-20, -10].

    A resample of 4 diffs is all -20 with probability (1/2)^4 = 6.25 % > 2.5 %, so the 2.5th
    percentile is -20; all -10 likewise, so the 97.5th percentile is -10.
    """
    assert bootstrap_delta_ci([100] * 4, [90, 80, 90, 80], paired=True) == (-20.0, -10.0)


def test_bootstrap_confidence_widens_interval() -> None:
    """A 99 % interval contains the 50 % interval."""
    a, b = [10, 12, 14, 16, 11], [11, 15, 13, 18, 14]
    low50, high50 = bootstrap_delta_ci(a, b, confidence=0.5)
    low99, high99 = bootstrap_delta_ci(a, b, confidence=0.99)
    assert low99 < low50 < high50 < high99


def test_bootstrap_rejects_bad_input() -> None:
    """Empty sides, unequal paired lengths and bad parameters are errors, not silent NaN."""
    with pytest.raises(ValueError):
        bootstrap_delta_ci([], [1.0])
    with pytest.raises(ValueError):
        bootstrap_delta_ci([1.0, 2.0], [1.0], paired=True)
    with pytest.raises(ValueError):
        bootstrap_delta_ci([1.0], [1.0], confidence=1.0)
    with pytest.raises(ValueError):
        bootstrap_delta_ci([1.0], [1.0], resamples=0)


def test_bootstrap_is_fast_enough() -> None:
    """10k resamples x 50 values, both modes, well under a second."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(100, 5, 50).tolist(), rng.normal(105, 5, 50).tolist()
    start = time.perf_counter()
    bootstrap_delta_ci(a, b)
    bootstrap_delta_ci(a, b, paired=True)
    assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------- compare_figure


def test_sign_convention_is_stated() -> None:
    """The report can print how to read a delta."""
    assert "B - A" in SIGN_CONVENTION


def test_throughput_faster_verdict() -> None:
    """Paired diffs all +12 on mean 100: exactly +12 % with a point CI."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [100, 101, 99, 100],
        [112, 113, 111, 112],
        higher_is_better=True,
        paired=True,
    )
    assert (d.mean_a, d.mean_b, d.delta) == (100, 112, 12)
    assert d.delta_pct == pytest.approx(12.0)
    assert (d.ci_low, d.ci_high) == (12.0, 12.0)
    assert (d.n_a, d.n_b) == (4, 4)
    assert d.outcome == "better"
    assert d.verdict == "B faster by 12.0 % [12.0, 12.0]"


def test_throughput_faster_unpaired_verdict_uses_ci_percent() -> None:
    """Unpaired: resample means lie in [99, 101] and [111, 113], so the CI is within 10-14 %."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [100, 101, 99, 100],
        [112, 113, 111, 112],
        higher_is_better=True,
        paired=False,
    )
    assert d.ci_low_pct is not None and d.ci_high_pct is not None
    assert 10 <= d.ci_low_pct < 12 < d.ci_high_pct <= 14
    assert d.verdict == f"B faster by 12.0 % [{d.ci_low_pct:.1f}, {d.ci_high_pct:.1f}]"


def test_throughput_slower_verdict() -> None:
    """Diffs all -10 on mean 100: B is 10 % slower, which is worse for throughput."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [100, 101, 99, 100],
        [90, 91, 89, 90],
        higher_is_better=True,
        paired=True,
    )
    assert d.outcome == "worse"
    assert d.verdict == "B slower by 10.0 % [10.0, 10.0]"


def test_ttft_lower_verdict_flips_the_interval() -> None:
    """TTFT 100 -> diffs -10/-20: delta -15 %, CI [-20, -10] % shown as magnitudes [10, 20]."""
    d = compare_figure(
        "TTFT", "ms", [100] * 4, [90, 80, 90, 80], higher_is_better=False, paired=True
    )
    assert d.delta_pct == pytest.approx(-15.0)
    assert (d.ci_low_pct, d.ci_high_pct) == (-20.0, -10.0)
    assert d.outcome == "better"
    assert d.verdict == "B lower TTFT by 15.0 % [10.0, 20.0]"


def test_ttft_higher_verdict() -> None:
    """TTFT 200 -> 220 on every rep: +10 %, worse because lower is better."""
    d = compare_figure(
        "ttft_ms",
        "ms",
        [200, 202, 198, 200],
        [220, 222, 218, 220],
        higher_is_better=False,
        paired=True,
    )
    assert d.outcome == "worse"
    assert d.verdict == "B higher TTFT by 10.0 % [10.0, 10.0]"


def test_generic_figure_verdicts() -> None:
    """Other figures read "B higher/lower by"; 0.8 -> 0.88 is +10 %."""
    up = compare_figure(
        "grounding rate",
        "share",
        [0.8, 0.8, 0.8],
        [0.88, 0.88, 0.88],
        higher_is_better=True,
        paired=False,
    )
    assert up.outcome == "better"
    assert up.verdict == "B higher by 10.0 % [10.0, 10.0]"
    down = compare_figure(
        "grounding rate",
        "share",
        [0.8, 0.8, 0.8],
        [0.72, 0.72, 0.72],
        higher_is_better=True,
        paired=False,
    )
    assert down.outcome == "worse"
    assert down.verdict == "B lower by 10.0 % [10.0, 10.0]"


def test_words_override() -> None:
    """Callers can name the direction themselves."""
    d = compare_figure(
        "wall",
        "ms",
        [10, 10],
        [8, 8],
        higher_is_better=False,
        paired=True,
        words=("slower", "quicker"),
    )
    assert d.verdict == "B quicker by 20.0 % [20.0, 20.0]"


def test_no_clear_difference_verdict() -> None:
    """Means 13 vs 13.5 (+3.8 %) with spread ~2.6 per side: the CI straddles zero."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [10, 12, 14, 16],
        [10.5, 12.5, 14.5, 16.5],
        higher_is_better=True,
        paired=False,
    )
    assert d.delta_pct == pytest.approx(0.5 / 13 * 100)  # 3.846 %
    assert d.ci_low is not None and d.ci_high is not None
    assert d.ci_low < 0 < d.ci_high
    assert d.outcome == "no_clear_difference"
    assert d.verdict == (
        f"no clear difference (delta +3.8 % [{d.ci_low_pct:.1f}, {d.ci_high_pct:.1f}])"
    )


def test_paired_vs_unpaired_verdict_on_drifting_runs() -> None:
    """Drift 10 -> 50 shared by A and B, B +1 each rep (+1/30 = 3.3 %): only paired sees it."""
    a, b = [10, 20, 30, 40, 50], [11, 21, 31, 41, 51]
    paired = compare_figure("throughput", "tok/s", a, b, higher_is_better=True, paired=True)
    unpaired = compare_figure("throughput", "tok/s", a, b, higher_is_better=True, paired=False)
    assert paired.verdict == "B faster by 3.3 % [3.3, 3.3]"
    assert unpaired.outcome == "no_clear_difference"
    assert unpaired.verdict.startswith("no clear difference (delta +3.3 % [")


def test_not_enough_runs_verdict() -> None:
    """Fewer than 2 values on a side: no CI and no claim."""
    one = compare_figure("throughput", "tok/s", [100], [110], higher_is_better=True, paired=False)
    assert one.verdict == "not enough runs for a verdict (n=1)"
    assert one.outcome == "not_enough_runs"
    assert one.delta == 10 and one.ci_low is None and one.ci_high_pct is None
    uneven = compare_figure(
        "throughput", "tok/s", [100, None], [110, 111], higher_is_better=True, paired=False
    )
    assert uneven.verdict == "not enough runs for a verdict (n_a=1, n_b=2)"
    empty = compare_figure("throughput", "tok/s", [], [], higher_is_better=True, paired=False)
    assert empty.verdict == "not enough runs for a verdict (n=0)"
    assert empty.mean_a is None and empty.delta is None


def test_paired_drops_incomplete_repetitions() -> None:
    """Rep 1 lacks A, rep 2 lacks B: only rep 0 is a pair, so n = 1."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [100, None, 102],
        [110, 111, None],
        higher_is_better=True,
        paired=True,
    )
    assert (d.n_a, d.n_b, d.mean_a, d.mean_b) == (1, 1, 100, 110)
    with pytest.raises(ValueError):
        compare_figure("t", "tok/s", [1, 2], [1], higher_is_better=True, paired=True)


def test_zero_baseline_falls_back_to_absolute_units() -> None:
    """A's mean is 0, so no percentage: the verdict speaks in the figure's unit."""
    d = compare_figure(
        "errors", "count", [0, 0, 0], [2, 2, 2], higher_is_better=False, paired=False
    )
    assert d.delta_pct is None and d.ci_low_pct is None
    assert d.outcome == "worse"
    assert d.verdict == "B higher by 2.0 count [2.0, 2.0]"


def test_compare_figure_is_deterministic() -> None:
    """Same inputs and seed, same result; the report can be regenerated exactly."""
    args = ("throughput", "tok/s", [10, 12, 14, 16], [11, 15, 13, 18])
    first = compare_figure(*args, higher_is_better=True, paired=False, seed=3)
    assert first == compare_figure(*args, higher_is_better=True, paired=False, seed=3)


# ---------------------------------------------------------------- concurrency


def test_concurrency_near_ideal() -> None:
    """Solo 2.0 + 2.0 = 4.0 s, together 2.02 s: speedup 1.98, efficiency 99.0 %."""
    c = concurrency_figures([2.0, 2.0], 2.02)
    assert c.n_agents == 2 and c.solo_wall_sum == 4.0
    assert c.speedup == pytest.approx(1.980, abs=1e-3)  # 4.0 / 2.02 = 1.9802
    assert c.efficiency_pct == pytest.approx(99.0, abs=0.05)  # 1.9802 / 2 * 100 = 99.01
    assert c.contention is False


def test_concurrency_contention() -> None:
    """Together 3.5 s: speedup 4.0 / 3.5 = 1.143 < 1.5 -> contention."""
    c = concurrency_figures([2.0, 2.0], 3.5)
    assert c.speedup == pytest.approx(1.1429, abs=1e-4)
    assert c.efficiency_pct == pytest.approx(57.14, abs=0.01)
    assert c.contention is True


def test_contention_threshold_generalises() -> None:
    """Threshold is 0.75 * n: exactly 1.5 for two agents is not contention; 2.25 for three."""
    assert concurrency_figures([1.5, 1.5], 2.0).contention is False  # speedup 1.5
    assert concurrency_figures([1, 1, 1], 1.3).contention is False  # 3 / 1.3 = 2.31 >= 2.25
    assert concurrency_figures([1, 1, 1], 1.4).contention is True  # 3 / 1.4 = 2.14 < 2.25


def test_concurrency_rejects_bad_input() -> None:
    """No solo runs or a non-positive concurrent wall cannot give a speedup."""
    with pytest.raises(ValueError):
        concurrency_figures([], 1.0)
    with pytest.raises(ValueError):
        concurrency_figures([1.0, 1.0], 0.0)
