"""One duration formatter (chimera.findings.duration) for every finding and report renderer:
ms below ten seconds, seconds from ten; and every time it writes traces to the data's ms."""

from __future__ import annotations

import pytest

from chimera.findings.duration import duration, duration_range, durations, same_times, time_shape
from chimera.grounding.figures import KnownFigures, check_figures
from chimera.grounding.known import KnownFigure


def test_a_time_reads_in_ms_below_ten_seconds_and_in_seconds_from_ten() -> None:
    assert duration(812.4) == "812.40 ms"
    assert duration(9999.99) == "9999.99 ms"
    assert duration(10_000.0) == "10 s"
    assert duration(84_286.76) == "84.29 s"
    assert duration(2_377_000.0) == "2377 s"  # never minutes: files state s or ms
    assert duration(0.0) == "0 ms"


def test_times_compared_side_by_side_share_seconds_where_each_is_a_second_or_more() -> None:
    # rohilrao's loads by num_ctx: 9.78 s beside 18.92 s, not "9780.00 ms" beside "18.92 s"
    assert durations([9780.0, 18_920.0]) == ["9.78 s", "18.92 s"]
    assert durations([370_000.0, 427_000.0]) == ["370 s", "427 s"]
    # a sub-second time in seconds would be "0.31 s": each reads as alone then
    assert durations([325.0, 13_560.0]) == ["325.00 ms", "13.56 s"]
    assert durations([325.0, 13_000.0]) == ["325 ms", "13 s"]
    assert durations([]) == []


def test_times_all_whole_are_printed_whole_and_one_fraction_keeps_decimals_for_all() -> None:
    """connorsapps' ollama --verbose loads (1024 ms, 1324 ms) and savoirtech's README times
    (3877 s, 2547 s) are whole as the files write them: "1024.00 ms" claimed digits they do
    not have. One time with a fraction keeps two decimals for every time of the sentence."""
    assert durations([1024.0, 1324.0]) == ["1024 ms", "1324 ms"]
    assert durations([3_877_000.0, 2_547_000.0]) == ["3877 s", "2547 s"]
    assert durations([1024.0, 1324.5]) == ["1024.00 ms", "1324.50 ms"]
    assert durations([12_000_000.0, 2_547_000.0]) == ["12,000 s", "2547 s"]


def test_a_range_has_one_unit() -> None:
    assert duration_range(56_510.0, 63_080.0) == "56.51-63.08 s"
    assert duration_range(9580.0, 26_220.0) == "9.58-26.22 s"
    assert duration_range(412.0, 980.5) == "412.00-980.50 ms"
    assert duration_range(412.0, 980.0) == "412-980 ms"
    assert duration_range(500.0, 84_286.76) == "500.00-84,286.76 ms"


@pytest.mark.parametrize("ms", [812.4, 9999.99, 10_000.0, 13_560.0, 84_286.76, 2_377_000.0])
def test_a_time_in_seconds_traces_to_the_datas_ms_and_a_moved_one_does_not(ms: float) -> None:
    """The figures check converts a written s to ms (grounding.vocabulary.CONVERSIONS) and
    matches it to the digits written: '84.29 s' is the data's 84,286.76 ms, '86.82 s' not."""
    known = KnownFigures(
        [
            KnownFigure(value=ms, unit="ms", metric="load_ms", statistic="max",
                        context={"file": "a.md"}, source="a.md load_duration"),
        ]
    )  # fmt: skip

    def status(value: float) -> list[str]:
        text = f"The longest load in a.md took {duration(value)}."
        return [c.status for c in check_figures({"findings": text}, known).claims]

    assert status(ms) == ["traced"]
    assert status(ms * 1.03) == ["untraced"]


def test_a_range_in_seconds_traces_to_the_datas_min_and_max() -> None:
    known = KnownFigures(
        [
            KnownFigure(value=v, unit="ms", metric="load_ms", statistic=stat,
                        context={"file": "a.md"}, source=f"a.md load {stat}")
            for v, stat in ((56_510.0, "min"), (63_080.0, "max"))
        ]
    )  # fmt: skip
    text = f"The loads in a.md ({duration_range(56_510.0, 63_080.0)}) overlap."
    claims = check_figures({"findings": text}, known).claims
    assert [(c.text, c.status) for c in claims] == [("56.51 s", "traced"), ("63.08 s", "traced")]


def test_a_line_that_differs_in_how_a_time_is_written_only_is_the_same_line() -> None:
    """What `chimera verify` reads as an unchanged line of Chimera's in a report written
    before times of ten seconds and more read in seconds."""
    assert time_shape("- Total Duration: 13.29 s") == "- Total Duration: #"
    assert time_shape("- Tokens Generated: 658") is None
    assert same_times("- Total Duration: 13294.03 ms", "- Total Duration: 13.29 s")
    assert same_times("loads of up to 84,286.76 ms in a.md", "loads of up to 84.29 s in a.md")
    assert not same_times("- Total Duration: 13251.00 ms", "- Total Duration: 13.29 s")
    assert not same_times("- Total Duration: 13294.03 ms", "- Load Duration: 13.29 s")
    assert not same_times("- TTFT: 13.29 s", "- TTFT: 13294.03 ms")  # coarser: not the same
