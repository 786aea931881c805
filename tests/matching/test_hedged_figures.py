"""Hedged figures: the claim's hedge against the source's hedge (issue 15, item 4).

Every row of the table in :func:`claimcheck.language.compare_figures` (and the README) through
:func:`~claimcheck.matching.match_figure`, with realistic sentences: the same hedge with another
number is drift, a lower bound may understate an unhedged figure, an upper bound is read as the
size of the thing, and dropping or changing a hedge is drift."""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_figure

VERIFIED = (Status.VERIFIED, Reason.FIGURE_MATCH)
FIGURE = (Status.DRIFTED, Reason.FIGURE_CHANGED)
HEDGE = (Status.DRIFTED, Reason.HEDGE_CHANGED)

PRICE = "The new model is {} cheaper than last year's, the company said on Tuesday."
MARCH = "Police said {} people marched through the capital on Saturday."
WAIT = "Patients now wait {} weeks for a first appointment, the health board reported."


@pytest.mark.parametrize(
    ("claim", "source", "expected"),
    [
        # no hedge in the claim
        ("100,000 people marched", MARCH.format("100,000"), VERIFIED),
        ("120,000 people marched", MARCH.format("100,000"), FIGURE),
        ("100,000 people marched", MARCH.format("about 100,000"), HEDGE),
        ("100,000 people marched", MARCH.format("more than 100,000"), HEDGE),
        ("150,000 people marched", MARCH.format("more than 100,000"), FIGURE),
        ("100,000 people marched", MARCH.format("up to 100,000"), HEDGE),
        # approximate claim
        ("about 190,000 people marched", MARCH.format("189,000"), VERIFIED),
        ("around 200,000 people marched", MARCH.format("185,000"), VERIFIED),
        ("around 200,000 people marched", MARCH.format("150,000"), FIGURE),
        ("nearly 200,000 people marched", MARCH.format("205,000"), FIGURE),
        ("nearly 200,000 people marched", MARCH.format("195,000"), VERIFIED),
        ("about 190,000 people marched", MARCH.format("about 189,000"), VERIFIED),
        ("about 200,000 people marched", MARCH.format("around 200,000"), VERIFIED),
        ("about 190,000 people marched", MARCH.format("about 200,000"), FIGURE),
        ("about 100,000 people marched", MARCH.format("more than 100,000"), HEDGE),
        # lower bounds in the claim
        ("more than 100,000 people marched", MARCH.format("150,000"), VERIFIED),
        ("more than 100,000 people marched", MARCH.format("100,000"), HEDGE),
        ("more than 100,000 people marched", MARCH.format("90,000"), FIGURE),
        ("more than 100,000 people marched", MARCH.format("about 150,000"), VERIFIED),
        ("more than 100,000 people marched", MARCH.format("more than 100,000"), VERIFIED),
        ("more than 100,000 people marched", MARCH.format("more than 150,000"), FIGURE),
        ("more than 100,000 people marched", MARCH.format("at least 100,000"), HEDGE),
        ("at least 100,000 people marched", MARCH.format("100,000"), VERIFIED),
        ("at least 100,000 people marched", MARCH.format("at least 100,000"), VERIFIED),
        ("at least 100,000 people marched", MARCH.format("at least 120,000"), FIGURE),
        # upper bounds in the claim
        ("up to $120 cheaper", PRICE.format("up to $50"), FIGURE),
        ("up to $120 cheaper", PRICE.format("$50"), FIGURE),
        ("up to $120 cheaper", PRICE.format("up to $120"), VERIFIED),
        ("up to $120 cheaper", PRICE.format("$110"), VERIFIED),
        ("up to $120 cheaper", PRICE.format("$130"), FIGURE),
        ("up to $120 cheaper", PRICE.format("about $115"), VERIFIED),
        ("up to $120 cheaper", PRICE.format("at most $120"), VERIFIED),
        ("up to $120 cheaper", PRICE.format("more than $120"), HEDGE),
        ("at most 12 weeks", WAIT.format("at most 12"), VERIFIED),
        ("at most 12 weeks", WAIT.format("at most 8"), FIGURE),
        ("fewer than 12 weeks", WAIT.format("fewer than 12"), VERIFIED),
        ("fewer than 12 weeks", WAIT.format("fewer than 10"), FIGURE),
        ("fewer than 12 weeks", WAIT.format("10"), VERIFIED),
        ("fewer than 12 weeks", WAIT.format("4"), FIGURE),
        ("fewer than 12 weeks", WAIT.format("12"), HEDGE),
        ("fewer than 12 weeks", WAIT.format("up to 12"), HEDGE),
    ],
)
def test_hedge_table(claim: str, source: str, expected: tuple[Status, Reason]) -> None:
    evidence = match_figure(claim, source)
    assert (evidence.status, evidence.reason) == expected, evidence.explanation


@pytest.mark.parametrize(
    ("claim", "source", "language", "expected"),
    [
        ("op til 120 kroner billigere", "Billetten er op til 50 kroner billigere.", "da", FIGURE),
        ("bis zu 120 Euro billiger", "Das Ticket ist bis zu 120 Euro billiger.", "de", VERIFIED),
        ("plus de 100 000 manifestants", "Il y avait 150 000 manifestants.", "fr", VERIFIED),
        ("plus de 150 000 manifestants", "Plus de 100 000 manifestants.", "fr", FIGURE),
    ],
)
def test_hedges_in_other_languages(
    claim: str, source: str, language: str, expected: tuple[Status, Reason]
) -> None:
    evidence = match_figure(claim, source, language=language)
    assert (evidence.status, evidence.reason) == expected, evidence.explanation


def test_the_report_names_both_figures_as_written() -> None:
    evidence = match_figure("up to $120 cheaper", PRICE.format("up to $50"))
    assert evidence.found == "up to $50"
    assert evidence.explanation == "the source says 'up to $50', the statement says 'up to $120'"


def test_a_currency_name_in_the_claim_is_not_a_context_word() -> None:
    # "dollars" is the figure's unit, which the source writes "$": not a word to look for.
    evidence = match_figure("up to 120 dollars cheaper", PRICE.format("up to $50"))
    assert (evidence.status, evidence.reason) == FIGURE
    assert evidence.found == "up to $50"
    evidence = match_figure("50 euros cheaper", PRICE.replace("$", "€").format("€50"))
    assert (evidence.status, evidence.reason) == VERIFIED
