"""Adversarial cases found in review: edits hidden in brackets, ellipses, symbols and units must
never verify, and faithful quotes with awkward typography must not drift."""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_date, match_figure, match_quote

DENIED = "Officials denied 189 applications."
RANSOM = "The company did not confirm that it had paid the ransom."


@pytest.mark.parametrize(
    ("quote", "source", "reason"),
    [
        # Brackets stand for source words, but what they say is still compared.
        ("Officials denied [198] applications", DENIED, Reason.FIGURE_CHANGED),
        ("Officials denied [more than] 189 applications", DENIED, Reason.HEDGE_CHANGED),
        ("Officials [did not deny] 189 applications", DENIED, Reason.NEGATION),
        ("Officials denied 18[8] applications", DENIED, Reason.FIGURE_CHANGED),
        ("the government would [not] raise taxes", "the government would raise taxes", None),
        # An ellipsis may not leave out a negation at the cut, or just a number.
        ("The company did ... confirm that it had paid the ransom", RANSOM, Reason.NEGATION),
        ("The company [...] confirm that it had paid the ransom", RANSOM, Reason.NEGATION),
        ("it had rejected ... applications", "it had rejected 45 applications", None),
        # Symbols and units are part of a number.
        ("500 people attended the rally", "Police said ~500 people attended the rally.", None),
        ("unemployment fell to 5% in May", "unemployment fell to <5% in May", None),
        ("50% of voters agreed", ">50% of voters agreed", None),
        ("500 people came", "500+ people came", None),
        ("the meeting began at 10am", "the meeting began at 10pm", None),
        ("10 km² of land", "10 km³ of land", None),
        ("Costs were €5m", "Costs were $5m", None),
        ("Costs were $6m", "Costs were $5m", Reason.FIGURE_CHANGED),
        ("the G7 summit", "at the G20 summit", None),
        # Short quotes with one change are drift, not absence.
        ("that they should not support it.", "that they should support it.", Reason.NEGATION),
    ],
)
def test_material_edits_are_never_verified(quote: str, source: str, reason: Reason | None) -> None:
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED, evidence
    if reason is not None:
        assert evidence.reason is reason


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("Officials denied [189] applications", DENIED),
        ("[Officials] denied 189 applications", DENIED),
        (
            "“We want peace and we will build it together",
            "he said we want peace and we will build it together",
        ),
        ("(we will build it together)", "he said we want peace and we will build it together"),
        ("\"'We don't want to co-operate'\"", "We don't want to co-operate, he said."),
        ("dont give up", "Don’t give up."),
        ("5 percent of voters", "5% of voters"),
        ("100 000 people", "100,000 people"),
        ("We recieve [sic] many complaints", "We recieve [sic] many complaints"),
        ("no one should be returned", "no one should be re- turned"),
        ("ترفع الضرائب", "قال إنه سوف ترفعَ الضرائبَ"),  # harakat are optional in Arabic
    ],
)
def test_faithful_quotes_are_verified(quote: str, source: str) -> None:
    evidence = match_quote(quote, source)
    assert evidence.status is Status.VERIFIED, evidence


def test_a_quote_cut_right_after_a_negation_is_drift() -> None:
    evidence = match_quote("ترفع الضرائب في عام 2024", "قال إنه لَنْ ترفعَ الضرائبَ في عام 2024")
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.NEGATION)


def test_the_closer_copy_of_a_repeated_passage_is_chosen() -> None:
    source = (
        "The report found no evidence of fraud. The committee met twice. "
        "The report found evidence of fraud in 2019."
    )
    evidence = match_quote("The report found evidence of fraud.", source)
    assert evidence.status is Status.VERIFIED
    assert evidence.passage == "The report found evidence of fraud"


def test_elided_fragments_are_found_after_each_other() -> None:
    source = "the prime minister will resign. " + "filler words here. " * 1500
    source += "He said that after the vote the prime minister will resign."
    evidence = match_quote("He said ... the prime minister will resign", source)
    assert (evidence.status, evidence.reason) == (Status.VERIFIED, Reason.ELLIPSIS)


def test_out_of_order_fragments_report_the_whole_passage() -> None:
    source = "It had paid the ransom. Later it said nothing more about it."
    evidence = match_quote("it said nothing ... it had paid the ransom", source)
    assert evidence.reason is Reason.STITCHED_QUOTE
    assert evidence.passage


class TestFiguresAndDates:
    def test_percent_is_not_points(self) -> None:
        evidence = match_figure(
            "5%", "Unemployment fell to 5 points in May.", context="unemployment"
        )
        assert evidence.status is not Status.VERIFIED

    def test_nearly_is_from_below(self) -> None:
        assert match_figure("nearly 180 Syrians", "Denmark denied 189 Syrians.").status is (
            Status.DRIFTED
        )
        assert match_figure("nearly 190 Syrians", "Denmark denied 189 Syrians.").status is (
            Status.VERIFIED
        )

    def test_early_is_not_late(self) -> None:
        evidence = match_date("early 2017", "He was killed in late 2017.", context="killed")
        assert evidence.status is Status.DRIFTED

    def test_ordinal_days_and_abbreviations_do_not_end_sentences(self) -> None:
        evidence = match_date(
            "18. Oktober 2017",
            "Zahreddine wurde am 18. Oktober 2017 getötet.",
            context="Zahreddine getötet",
        )
        assert evidence.status is Status.VERIFIED
        evidence = match_figure(
            "2,5 mia. kr.", "Regeringen fik 2,5 mia. kr. fra EU.", context="Regeringen EU"
        )
        assert evidence.status is Status.VERIFIED
