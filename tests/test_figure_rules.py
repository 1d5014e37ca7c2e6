"""The figures check's rules as a table: each rule's own examples are its tests.

Extraction (`chimera.grounding.figure_text.EXTRACTION_RULES`): the first number of each
example is decided by that rule, a figure or not as the example says. Matching
(`chimera.grounding.figures`): each figure of a check records the extraction rule that made
it one (`found_by`) and the match rule that traced it or why it is not traced (`traced_by`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chimera.config.agent import IngestOptions
from chimera.findings.prepared import PreparedData
from chimera.grounding.figure_text import EXTRACTION_RULES, explain
from chimera.grounding.figures import (
    COMPUTED_SENTENCE,
    DERIVED,
    NO_VALUE,
    OTHER_CONTEXT,
    SAME_FIGURE,
    SETTING_VALUE,
    WRONG_DIRECTION,
    check_figures,
)
from chimera.ingest.digest import ingest_folder

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data"
SETUP_80 = "gemma3:4b with num_gpu=80, num_ctx=2048 and temperature=0.8"

CASES = [
    pytest.param(rule.name, example, figure, id=f"{rule.name}: {example[:30]}")
    for rule in EXTRACTION_RULES
    for figure, examples in ((True, rule.figures), (False, rule.not_figures))
    for example in examples
]


@pytest.mark.parametrize(("rule", "example", "figure"), CASES)
def test_each_extraction_rule_decides_its_own_examples(
    rule: str, example: str, figure: bool
) -> None:
    first = explain(example)[0]
    assert first[1:] == (rule, figure), first


def test_every_rule_has_an_example_and_the_last_rule_decides_everything_else() -> None:
    assert all(rule.figures or rule.not_figures for rule in EXTRACTION_RULES)
    assert EXTRACTION_RULES[-1].name == "plain number"
    assert len({rule.name for rule in EXTRACTION_RULES}) == len(EXTRACTION_RULES)


@pytest.fixture(scope="module")
def prepared() -> PreparedData:
    _, digest = ingest_folder(EXAMPLE, IngestOptions())
    return PreparedData.of(digest)


@pytest.mark.parametrize(
    ("sentence", "figure", "found_by", "traced_by"),
    [
        (f"{SETUP_80} averages 33.88 tok/s.", "33.88 tok/s", "unit after", SAME_FIGURE),
        (f"{SETUP_80} averages 35.88 tok/s.", "35.88 tok/s", "unit after", NO_VALUE),
        (f"{SETUP_80} averages 13.59 tok/s.", "13.59 tok/s", "unit after", OTHER_CONTEXT),
        ("On gemma3:4b num_gpu=80 was measured.", "80", "setting value", SETTING_VALUE),
        (f"{SETUP_80} averages 33.88 tok/s, 149.3 % more than with num_gpu=0.", "149.3 %",
         "unit after", DERIVED),
        # a count of runs is the n of the metric its clause names (gemma3:4b: tok/s n=18,
        # load n=4 and 18), of any metric when it names none
        ("gemma3:4b averages 24.86 tok/s (n=18).", "18", "run count", SAME_FIGURE),
        ("gemma3:4b averages 14.48 tok/s (n=4).", "4", "run count", OTHER_CONTEXT),
        ("gemma3:4b loads in 1.38 s on average (n=4).", "4", "run count", SAME_FIGURE),
        ("Of the runs of gemma3:4b (n=4), none failed.", "4", "run count", SAME_FIGURE),
        ("gemma3:4b loads in 1096.3 ms over 18 runs.", "18 runs", "count noun", SAME_FIGURE),
        # a count after a list counts for every item of it ("over 23 runs")
        ("gemma3:270m averages 163.57 tok/s and 116.1 ms TTFT over 23 runs.", "23 runs",
         "count noun", SAME_FIGURE),
        # a phase's total is that phase's time (gemma3:4b eval_ms mean 15.38 s)
        ("Generation on gemma3:4b takes 15.38 s in total per request.", "15.38 s", "unit after",
         SAME_FIGURE),
        # a share's two sides take one each of the two setups named: 35.6 % is num_gpu=80
        # against num_gpu=40, both at num_ctx=2048
        ("For gemma3:4b, num_gpu=80 and num_ctx=8192 is 22.8 % faster than num_gpu=40 and "
         "num_ctx=2048 (temperature=0.8).", "22.8 %", "unit after", DERIVED),
        ("For gemma3:4b, num_gpu=80 and num_ctx=8192 is 35.6 % faster than num_gpu=40 and "
         "num_ctx=2048 (temperature=0.8).", "35.6 %", "unit after", NO_VALUE),
        # two models named with two levels of a setting: each share is one model's gain
        ("Raising num_gpu from 40 to 80 speeds gemma3:4b up by 33.3 %, and gemma3:270m by "
         "42.7 %.", "33.3 %", "unit after", DERIVED),
        ("Raising num_gpu from 40 to 80 speeds gemma3:4b up by 33.3 %, and gemma3:270m by "
         "42.7 %.", "42.7 %", "unit after", DERIVED),
    ],
)  # fmt: skip
def test_each_figure_records_the_rules_that_found_and_traced_it(
    prepared: PreparedData, sentence: str, figure: str, found_by: str, traced_by: str
) -> None:
    claims = {c.text: c for c in check_figures({"report": sentence}, prepared.figures).claims}
    assert (claims[figure].found_by, claims[figure].traced_by) == (found_by, traced_by)


def test_a_computed_sentence_traces_as_written_wherever_it_appears(
    prepared: PreparedData,
) -> None:
    """Chimera's own sentences are true as they stand (in any section, escaped or not); the
    same sentence with one figure changed is checked like any other."""
    source, sentence = next(
        (s, t) for s, t in prepared.own_texts() if s.startswith("recommendation")
    )
    known = prepared.figures.extended([], [(source, sentence)])
    check = check_figures({"recommendations": f"1. {sentence}"}, known)
    assert check.total > 0 and check.traced == check.total
    assert all(
        c.traced_by in (SAME_FIGURE, DERIVED, SETTING_VALUE, COMPUTED_SENTENCE)
        for c in check.claims
    )
    edited = sentence.replace(check.claims[0].text, "9" + check.claims[0].text, 1)
    again = check_figures({"recommendations": edited}, known)
    assert again.claims[0].status == "untraced"


def test_the_reviews_and_verify_share_one_known_set_with_the_runs_facts(
    prepared: PreparedData,
) -> None:
    """A draft that cites the run's own facts (its files, its settings: lines report.md
    itself prints) traces in review as it does in verify: both use `known_for_run`."""
    from chimera.config.agent import ModelOptions
    from chimera.grounding.review import review_draft
    from chimera.metrics import RunMetrics

    inventory, _ = ingest_folder(EXAMPLE, IngestOptions())
    options = ModelOptions(num_ctx=3333)  # a value the data was never measured with
    assert inventory.total_files >= 10  # a count of files this large is a figure
    draft = f"Files analyzed: {inventory.total_files}. The agents ran with num_ctx=3333."
    known = prepared.known_for_run(RunMetrics.from_calls([]), inventory, options)
    alone = check_figures({"draft": draft}, prepared.figures)
    assert alone.total == 2 and alone.traced == 0  # the data alone knows neither
    review = review_draft(draft, set(), known, 1)
    assert review.kept and review.figures.traced == review.figures.total == 2


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        (f"{SETUP_80} averages 33.88 tok/s, 149.3 % more than with num_gpu=0.",
         f"{SETUP_80} averages 33.88 tok/s, 149.3 % less than with num_gpu=0."),
        ("For gemma3:4b, num_gpu=80 is 149.3 % faster than num_gpu=0 (33.88 vs 13.59 tok/s; "
         "num_ctx=2048, temperature=0.8).",
         "For gemma3:4b, num_gpu=80 is 149.3 % slower than num_gpu=0 (33.88 vs 13.59 tok/s; "
         "num_ctx=2048, temperature=0.8)."),
        ("Switching gemma3:4b from num_gpu=0 to num_gpu=80 raises throughput by 149.3 % at "
         "num_ctx=2048 and temperature=0.8.",
         "Switching gemma3:4b from num_gpu=0 to num_gpu=80 lowers throughput by 149.3 % at "
         "num_ctx=2048 and temperature=0.8."),
    ],
)  # fmt: skip
def test_a_comparative_word_must_agree_with_the_order_of_its_figures(
    prepared: PreparedData, right: str, wrong: str
) -> None:
    """Flipping "faster" to "slower" (issue 21) leaves every figure true but the sentence
    false: the figure that states the comparison is untraced, by the direction rule."""
    assert check_figures({"report": right}, prepared.figures).traced_by_rule() == {}
    flagged = check_figures({"report": wrong}, prepared.figures).traced_by_rule()
    assert flagged == {"149.3 %": WRONG_DIRECTION}


def test_chimera_own_comparisons_pass_the_direction_rule(prepared: PreparedData) -> None:
    """Every computed finding and recommendation, checked as a text of its own (not as
    Chimera's sentence), states its comparisons in the direction of its figures."""
    texts = {source: text for source, text in prepared.own_texts()}
    check = check_figures(texts, prepared.figures)
    assert not [c for c in check.claims if c.traced_by == WRONG_DIRECTION]


def test_a_summary_that_advises_or_invents_a_duration_is_rejected(
    prepared: PreparedData,
) -> None:
    """The quick start kept an Executive Summary that recommended "gemma3:4b or 270m rather
    than num_gpu=80" (no finding says so; recommendations are held to the findings only in
    their own section) and spoke of "the 15-minute difference" (no figure rule reads that
    duration, so the figures check never saw it)."""
    from chimera.grounding.review import review_draft

    known = prepared.figures
    fine = "The measurements show that num_gpu=80 raises throughput on every model measured."
    assert review_draft(fine, set(), known, 1).kept
    advice = fine + " We recommend to use gemma3:4b rather than num_gpu=80 for every one of them."
    review = review_draft(advice, set(), known, 1)
    assert (review.rejected or "").startswith("advises in a section that reports")
    duration = fine + " The benchmarks are closer to reality (the 15-minute difference)."
    review = review_draft(duration, set(), known, 1)
    assert "15-minute" in (review.rejected or "")


def test_a_summary_may_say_what_the_data_suggest(prepared: PreparedData) -> None:
    """Reporting words are not advice: "the measurements suggest" stays a summary's."""
    from chimera.grounding.review import review_draft

    text = "The measurements suggest that num_gpu=80 raises throughput on every model measured."
    assert review_draft(text, set(), prepared.figures, 1).kept
