"""chimera.statistics: summaries, t intervals, Holm, verdicts and concurrency figures.

Expected values are worked out by hand in the comments, not produced by the code under test.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from chimera.statistics import (
    SIGN_CONVENTION,
    adjust_for_comparisons,
    bootstrap_delta_ci,
    compare_figure,
    concurrency_figures,
    delta_test,
    holm_adjust,
    mean_interval,
    summarize,
    t_cdf,
    t_quantile,
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


# ---------------------------------------------------------------- Student-t


def test_t_quantiles_match_the_printed_tables() -> None:
    """Two-sided 95 % critical values from any t table: 12.706, 4.303, 2.776, 2.228, 2.042."""
    table = {1: 12.706, 2: 4.303, 4: 2.776, 10: 2.228, 30: 2.042}
    for df, value in table.items():
        assert t_quantile(0.975, df) == pytest.approx(value, abs=1e-3)
    assert t_quantile(0.025, 4) == pytest.approx(-2.776, abs=1e-3)  # symmetric
    assert t_quantile(0.5, 7) == 0.0


def test_t_cdf_known_values() -> None:
    """df=1 is the Cauchy: P(T <= 1) = 0.75; P(T <= 2.0 | df=5) = 0.9490 (tables)."""
    assert t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-9)
    assert t_cdf(2.0, 5) == pytest.approx(0.94903, abs=1e-5)
    assert t_cdf(0.0, 3) == pytest.approx(0.5)
    assert t_cdf(-2.0, 5) == pytest.approx(1 - 0.94903, abs=1e-5)


def test_mean_interval_by_hand() -> None:
    """[10, 12, 14, 16]: mean 13, s = 2.582, se = 1.291, t(3) = 3.182 -> 13 +- 4.108."""
    low, high = mean_interval([10, 12, 14, 16]) or (0, 0)
    assert low == pytest.approx(13 - 4.108, abs=1e-3)
    assert high == pytest.approx(13 + 4.108, abs=1e-3)
    assert mean_interval([5.0]) is None
    s = summarize([10, 12, 14, 16])
    assert (s.ci_low, s.ci_high) == pytest.approx((low, high))


def test_two_runs_give_a_wide_interval_not_a_zero_width_one() -> None:
    """The issue's case: two runs 1.7 % and 2.0 % apart. With df = 1 the t interval is
    mean 1.85 +- 12.706 x 0.15 = [-0.06, 3.76]: it includes zero, unlike the bootstrap."""
    test = delta_test([100.0, 100.0], [101.7, 102.0], paired=True)
    low, high = test.interval()
    assert low == pytest.approx(1.85 - 12.706 * 0.15, abs=1e-2)
    assert high == pytest.approx(1.85 + 12.706 * 0.15, abs=1e-2)
    assert low < 0 < high


def test_welch_interval_by_hand() -> None:
    """Welch: var 0.667 each side, n 4 -> se 0.577, df 6, t 2.447 -> 12 +- 1.413."""
    test = delta_test([100, 101, 99, 100], [112, 113, 111, 112], paired=False)
    assert test.df == pytest.approx(6.0)
    low, high = test.interval()
    assert (low, high) == pytest.approx((12 - 1.4126, 12 + 1.4126), abs=1e-3)
    with pytest.raises(ValueError):
        delta_test([1.0], [1.0, 2.0], paired=False)
    with pytest.raises(ValueError):
        delta_test([1.0, 2.0], [1.0], paired=True)


# ---------------------------------------------------------------- Holm


def test_holm_by_hand() -> None:
    """p 0.01, 0.04, 0.03: sorted 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 -> max 0.06."""
    assert holm_adjust([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm_adjust([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm_adjust([]) == []


def test_holm_withdraws_a_claim_that_one_comparison_alone_would_make() -> None:
    """Alone, B's +3.5 % (p = 0.03) is "better"; as the best of five cells against one
    baseline, its adjusted p (x 5 = 0.16) is above 0.05, so no claim."""
    base = [100.0, 103.0, 97.0, 101.0, 99.0]
    best = [104.0, 101.0, 106.0, 102.0, 104.5]
    alone = compare_figure("Throughput", "tok/s", base, best, higher_is_better=True, paired=False)
    assert alone.outcome == "better" and alone.p_value is not None
    assert 0.05 / 5 < alone.p_value < 0.05
    others = [
        compare_figure("Throughput", "tok/s", base, [v + d for v in base], higher_is_better=True,
                       paired=False)
        for d in (0.1, -0.2, 0.3, 0.05)
    ]  # fmt: skip
    adjusted = adjust_for_comparisons([alone, *others], subject=["best", "c2", "c3", "c4", "c5"])
    assert adjusted[0].comparisons == 5
    assert adjusted[0].p_adjusted == pytest.approx(min(1.0, 5 * alone.p_value))
    assert adjusted[0].outcome == "no_measurable_difference"
    assert "Holm-adjusted p=" in adjusted[0].verdict and "over 5 comparisons" in adjusted[0].verdict
    # The interval widens to Holm's first step: 1 - 0.05 / 5 = 99 %.
    assert adjusted[0].ci_low is not None and alone.ci_low is not None
    assert adjusted[0].ci_low < alone.ci_low


def test_holm_keeps_a_strong_claim() -> None:
    """+20 % with little noise survives the correction over three comparisons."""
    base = [100.0, 101.0, 99.0, 100.0]
    deltas = [
        compare_figure("Throughput", "tok/s", base, [v * k for v in base], higher_is_better=True,
                       paired=False)
        for k in (1.2, 1.0, 0.999)
    ]  # fmt: skip
    adjusted = adjust_for_comparisons(deltas)
    assert adjusted[0].outcome == "better"
    assert adjusted[0].verdict.startswith("better (B faster by 20.0 % [")
    single = adjust_for_comparisons(deltas[:1])
    assert single == deltas[:1]  # one comparison: nothing to correct


# ---------------------------------------------------------------- compare_figure


def test_sign_convention_is_stated() -> None:
    """The report can print how to read a delta, and which interval it is."""
    assert "B - A" in SIGN_CONVENTION and "Student-t" in SIGN_CONVENTION


def test_throughput_faster_verdict() -> None:
    """Paired diffs all +12 on mean 100: exactly +12 % with a point interval."""
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
    assert d.outcome == "better" and d.method == "paired t" and d.p_value == 0.0
    assert d.verdict == "better (B faster by 12.0 % [12.0, 12.0])"


def test_throughput_faster_unpaired_verdict_uses_welch_interval() -> None:
    """Unpaired: Welch's 12 +- 1.413 on a mean of 100 (see test_welch_interval_by_hand)."""
    d = compare_figure(
        "throughput",
        "tok/s",
        [100, 101, 99, 100],
        [112, 113, 111, 112],
        higher_is_better=True,
        paired=False,
    )
    assert (d.ci_low_pct, d.ci_high_pct) == pytest.approx((10.587, 13.413), abs=1e-3)
    assert d.method == "Welch t"
    assert d.verdict == "better (B faster by 12.0 % [10.6, 13.4])"


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
    assert d.verdict == "worse (B slower by 10.0 % [10.0, 10.0])"


def test_ttft_lower_verdict_flips_the_interval() -> None:
    """TTFT 100 -> diffs -10/-20/-10/-20: mean -15, s = 5.774, se = 2.887, t(3) = 3.182,
    so -15 +- 9.187 -> [-24.2, -5.8] %, shown as magnitudes [5.8, 24.2]."""
    d = compare_figure(
        "TTFT", "ms", [100] * 4, [90, 80, 90, 80], higher_is_better=False, paired=True
    )
    assert d.delta_pct == pytest.approx(-15.0)
    assert (d.ci_low_pct, d.ci_high_pct) == pytest.approx((-24.187, -5.813), abs=1e-3)
    assert d.outcome == "better"
    assert d.verdict == "better (B lower TTFT by 15.0 % [5.8, 24.2])"


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
    assert d.verdict == "worse (B higher TTFT by 10.0 % [10.0, 10.0])"


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
    assert up.verdict == "better (B higher by 10.0 % [10.0, 10.0])"
    down = compare_figure(
        "grounding rate",
        "share",
        [0.8, 0.8, 0.8],
        [0.72, 0.72, 0.72],
        higher_is_better=True,
        paired=False,
    )
    assert down.outcome == "worse"
    assert down.verdict == "worse (B lower by 10.0 % [10.0, 10.0])"


def test_percentages_differ_in_points() -> None:
    """Grounding 77.8 % -> 90.5 % is +12.7 points, not +16.3 %."""
    d = compare_figure(
        "Grounding rate", "%", [77.8] * 3, [90.5] * 3, higher_is_better=True, paired=True
    )
    assert d.points and d.delta == pytest.approx(12.7)
    assert d.delta_pct is None and d.ci_low_pct is None
    assert d.verdict == "better (B higher by 12.7 points [12.7, 12.7])"


def test_words_and_subject_override() -> None:
    """Callers can name the direction and the variant themselves."""
    d = compare_figure(
        "wall",
        "ms",
        [10, 10, 10],
        [8, 8, 8],
        higher_is_better=False,
        paired=True,
        words=("slower", "quicker"),
        subject="cell 3",
    )
    assert d.verdict == "better (cell 3 quicker by 20.0 % [20.0, 20.0])"


def test_no_measurable_difference_verdict() -> None:
    """Means 13 vs 13.5 (+3.8 %) with spread ~2.6 per side: the interval straddles zero."""
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
    assert d.outcome == "no_measurable_difference"
    assert d.verdict == (
        f"no measurable difference (delta +3.8 % [{d.ci_low_pct:.1f}, {d.ci_high_pct:.1f}])"
    )


def test_paired_vs_unpaired_verdict_on_drifting_runs() -> None:
    """Drift 10 -> 50 shared by A and B, B +1 each rep (+1/30 = 3.3 %): only paired sees it."""
    a, b = [10, 20, 30, 40, 50], [11, 21, 31, 41, 51]
    paired = compare_figure("throughput", "tok/s", a, b, higher_is_better=True, paired=True)
    unpaired = compare_figure("throughput", "tok/s", a, b, higher_is_better=True, paired=False)
    assert paired.verdict == "better (B faster by 3.3 % [3.3, 3.3])"
    assert unpaired.outcome == "no_measurable_difference"
    assert unpaired.verdict.startswith("no measurable difference (delta +3.3 % [")


def test_too_few_runs_verdict() -> None:
    """Fewer than 3 values on a side: no claim, and the verdict says how to get one."""
    one = compare_figure("throughput", "tok/s", [100], [110], higher_is_better=True, paired=False)
    assert one.verdict == "too few runs for a verdict: n=1; use --runs 3 or more"
    assert one.outcome == "too_few_runs"
    assert one.delta == 10 and one.ci_low is None and one.ci_high_pct is None
    two = compare_figure(
        "throughput", "tok/s", [100, 101], [110, 111], higher_is_better=True, paired=True
    )
    assert two.outcome == "too_few_runs" and two.ci_low is not None  # interval, no verdict
    assert two.verdict == "too few runs for a verdict: n=2; use --runs 3 or more"
    uneven = compare_figure(
        "throughput", "tok/s", [100, None, 99], [110, 111, 112], higher_is_better=True,
        paired=False,
    )  # fmt: skip
    assert uneven.verdict == (
        "too few runs for a verdict: n=2 (n_a=2, n_b=3); use --runs 3 or more"
    )
    empty = compare_figure("throughput", "tok/s", [], [], higher_is_better=True, paired=False)
    assert empty.verdict == "too few runs for a verdict: n=0; use --runs 3 or more"
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
    assert d.verdict == "worse (B higher by 2.0 count [2.0, 2.0])"


def test_compare_figure_is_deterministic() -> None:
    """Same inputs, same result; the report can be regenerated exactly."""
    args = ("throughput", "tok/s", [10, 12, 14, 16], [11, 15, 13, 18])
    first = compare_figure(*args, higher_is_better=True, paired=False)
    assert first == compare_figure(*args, higher_is_better=True, paired=False)


# ---------------------------------------------------------------- concurrency


def test_concurrency_near_ideal_without_solo_runs() -> None:
    """2.0 + 2.0 = 4.0 s of agent walls, together 2.02 s: speedup 1.98, efficiency 99.0 %;
    without walls measured alone, contention is not judged."""
    c = concurrency_figures([2.0, 2.0], 2.02)
    assert c.n_agents == 2 and c.solo_wall_sum == 4.0
    assert c.speedup == pytest.approx(1.980, abs=1e-3)  # 4.0 / 2.02 = 1.9802
    assert c.efficiency_pct == pytest.approx(99.0, abs=0.05)  # 1.9802 / 2 * 100 = 99.01
    assert c.contention is None and c.strict_speedup is None


def test_strict_speedup_sees_the_slowdown_the_seed_formula_hides() -> None:
    """The issue's 8 agents: 4.46 s alone, 4.65 s each together, pair wall 4.70 s.
    Seed: 8 x 4.65 / 4.70 = 7.915 (98.9 %); strict: 8 x 4.46 / 4.70 = 7.591 (94.9 %);
    slowdown 4.65 / 4.46 - 1 = 4.26 %, under the 10 % contention threshold."""
    c = concurrency_figures([4.65] * 8, 4.70, alone_walls=[4.46] * 8)
    assert c.efficiency_pct == pytest.approx(98.94, abs=0.01)
    assert c.strict_efficiency_pct == pytest.approx(94.89, abs=0.01)
    assert c.slowdown_pct == pytest.approx(4.26, abs=0.01)
    assert c.contention is False


def test_contention_comes_from_measured_slowdown() -> None:
    """Each agent 2.0 s alone, 2.4 s together (+20 %) in a 2.45 s pair: the seed speedup
    4.8 / 2.45 = 1.96 looks ideal, yet the agents were contended."""
    c = concurrency_figures([2.4, 2.4], 2.45, alone_walls=[2.0, 2.0])
    assert c.speedup == pytest.approx(1.959, abs=1e-3)
    assert c.strict_speedup == pytest.approx(4.0 / 2.45)
    assert c.slowdown_pct == pytest.approx(20.0)
    assert c.contention is True


def test_concurrency_rejects_bad_input() -> None:
    """No walls, a non-positive concurrent wall or mismatched solo walls give no figure."""
    with pytest.raises(ValueError):
        concurrency_figures([], 1.0)
    with pytest.raises(ValueError):
        concurrency_figures([1.0, 1.0], 0.0)
    with pytest.raises(ValueError):
        concurrency_figures([1.0, 1.0], 1.0, alone_walls=[1.0])


def test_groupings_stacked_in_small_batches_give_the_same_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big folder's groupings are grouped in batches (memory), a small one's in one pass:
    the figures are the same to the bit either way."""
    from pathlib import Path

    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import ingest_folder
    from chimera.ingest.digest import stats as stats_module

    example = Path(__file__).resolve().parents[1] / "examples" / "data"
    passes: list[int] = []
    real = stats_module._all_stats

    def counted(obs: object, batch: list) -> list:
        passes.append(len(batch))
        return real(obs, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(stats_module, "_all_stats", counted)
    _, whole = ingest_folder(example, IngestOptions())
    assert len(passes) == 1 and passes[0] > 10  # one pass for a small folder
    monkeypatch.setattr(stats_module, "MAX_STACKED_ROWS", 7)
    _, batched = ingest_folder(example, IngestOptions())
    assert len(passes) > 10  # many passes now
    assert [s.model_dump() for s in batched.stats] == [s.model_dump() for s in whole.stats]
    assert len(whole.stats) > 100


def test_digest_keeps_its_values_compact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory of a big CSV (millions of kept values): each value's identity is kept as int32
    codes, joining the parts for the group-bys lets each part go (the values are never held
    twice), and the duplicate index keeps no more rows of a table than it ever matches."""
    from pathlib import Path

    from chimera.config.agent import IngestOptions
    from chimera.ingest.digest import build, duplicates, ingest_folder
    from chimera.ingest.digest import stats as stats_module

    example = Path(__file__).resolve().parents[1] / "examples" / "data"
    monkeypatch.setattr(duplicates, "MAX_CHECKED", 3)
    seen: dict[str, object] = {}
    real_stats, real_digest = build.compute_stats, build._Collector.digest

    def capture_stats(obs, groupings, settings_of=None):  # type: ignore[no-untyped-def]
        assert len(obs.parts) > 1
        for part in obs.parts:
            for column in stats_module.CODE_COLUMNS:
                assert part[column].dtype == np.int32, column
        seen["rows"] = sum(len(part["value"]) for part in obs.parts)
        seen["obs"] = obs
        return real_stats(obs, groupings, settings_of)

    def capture_digest(self, max_file_stats):  # type: ignore[no-untyped-def]
        seen["index"] = self.runs_index
        return real_digest(self, max_file_stats)

    monkeypatch.setattr(build, "compute_stats", capture_stats)
    monkeypatch.setattr(build._Collector, "digest", capture_digest)
    ingest_folder(example, IngestOptions())
    obs = seen["obs"]
    assert isinstance(obs, stats_module.Observations) and len(obs.parts) == 1
    assert {len(column) for column in obs.parts[0].values()} == {seen["rows"]}
    assert obs.columns() is obs.parts[0]  # joined once, not copied again
    index = seen["index"]
    assert isinstance(index, duplicates.RunIndex)
    assert max(len(table.values) for table in index.tables) == 3


def test_first_rows_and_distinct_codes_without_sorting() -> None:
    """Each group's first row and each group's distinct codes in reading order, found without
    sorting millions of rows, are what the sort-based `np.unique` gives."""
    from chimera.ingest.digest.stats import _distinct, group_first_rows, group_ids

    rng = np.random.default_rng(3)
    for rows in (1, 2, 50, 5_000):
        a, b = rng.integers(0, 4, rows), rng.integers(0, 7, rows)
        ids = group_ids([a, b])
        codes = rng.integers(1, 9, rows).astype(np.int32)
        _, first = np.unique(ids, return_index=True)
        assert group_first_rows(ids).tolist() == first.tolist()
        groups = len(first)
        expected: list[list[int]] = [[] for _ in range(groups)]
        for group, code in zip(ids.tolist(), codes.tolist(), strict=True):
            if code not in expected[group]:
                expected[group].append(code)
        assert _distinct(ids, codes, groups) == expected
    assert group_first_rows(np.zeros(0, dtype=np.int64)).tolist() == []


def test_group_ids_number_groups_by_first_appearance_without_overflow() -> None:
    """Groups are numbered in order of their key's first appearance, also where the columns'
    combined range is beyond int64 (the key is renumbered before it could overflow)."""
    from chimera.ingest.digest.stats import group_ids

    rng = np.random.default_rng(5)
    for rows, high in ((1, 2), (40, 3), (3_000, 2**30)):
        by = [rng.integers(0, high, rows).astype(np.int32) for _ in range(6)]
        numbers: dict[tuple[int, ...], int] = {}
        expected = [numbers.setdefault(key, len(numbers)) for key in zip(*by, strict=True)]
        found = group_ids(by)
        assert found.dtype == np.int64 and found.tolist() == expected


def test_trusted_stats_are_what_model_construct_makes() -> None:
    """The statistics objects built without pydantic's per-field look-ups hold the same
    fields, field set and private state as `model_construct` gives them."""
    from chimera.ingest.digest.models import MetricStats
    from chimera.ingest.digest.stats import _trusted_stats

    values = {
        "metric": "tokens_per_s", "unit": "tok/s", "column": "eval_rate", "group_by": "model",
        "group": "gemma3:1b", "sources": ["a.csv"], "n": 3, "mean": 1.5, "median": 1.0,
        "p95": 2.0, "min": 0.5, "max": 3.0, "aggregate": None, "std": 0.5, "runs": None,
        "machine": "RTX 4090", "engine": "Ollama", "workload": None, "file": None,
    }  # fmt: skip
    assert list(values) == list(MetricStats.model_fields)
    built, expected = _trusted_stats(dict(values)), MetricStats.model_construct(**values)
    for attr in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__"):
        assert getattr(built, attr) == getattr(expected, attr)
    assert list(built.__dict__) == list(expected.__dict__)
    assert built.__pydantic_private__ == expected.__pydantic_private__
    assert built.model_dump_json() == expected.model_dump_json()


def test_figures_rounded_at_once_are_the_doubles_formatting_gives() -> None:
    """The duplicate check's figures rounded as arrays are, bit for bit, what formatting each
    to SIGNIFICANT digits and parsing it back gives: at every magnitude, at halves (where
    formatting rounds the exact binary value) and beside them, at decade ends, and beyond the
    exact powers of ten."""
    from chimera.ingest.digest.duplicates import _rounded, rounded_figures

    rng = np.random.default_rng(11)
    halves = np.arange(100, 1000) + 0.5
    samples = [
        rng.uniform(0, 1, 50_000) * 10.0 ** rng.integers(-30, 30, 50_000),
        rng.lognormal(3, 2, 50_000),
        rng.integers(1, 100_000, 50_000).astype(float),
        np.array([1.125, 0.125, 2.675, 99.95, 999.5, 0.995, 9.995, 1e22, 1.5e22, 1e23,
                  1e-300, 5e-324, 1.7e308, 0.0, -0.0, -1.125, np.nan, np.inf, -np.inf]),
    ]  # fmt: skip
    for shift in range(-8, 9):
        exact = halves * 10.0**shift
        samples += [exact, np.nextafter(exact, 0), np.nextafter(exact, np.inf)]
    for values in samples:
        expected = [_rounded(v) if np.isfinite(v) else np.nan for v in values.tolist()]
        found = rounded_figures(values)
        assert found.tobytes() == np.array(expected).tobytes()
