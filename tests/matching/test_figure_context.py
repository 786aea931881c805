"""Weak figure context: when the context words stand near several numbers, the number the
claim is about is the one in its unit and scale (percent, currency, "billion"); when none is,
the finding is unchecked/ambiguous-figure, never drift from an unrelated number (issue 15,
item 6). The paragraphs are written like the news and company reports such claims cite."""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_figure

RETAIL = (
    "Sales at the chain rose 8 percent in the second quarter, helped by 11 new stores and a "
    "late Easter. The company now expects sales to grow 6 percent this year, up from 5 percent."
)
BANK = (
    "The regulator fined the bank $35 million over 41 breaches of anti-money-laundering rules "
    "between 2016 and 2020, the largest fine of its kind. The bank has 38 days to appeal."
)
TECH = (
    "The platform's revenue rose to $3.2 billion in the quarter, from $2.9 billion a year "
    "earlier, as its users grew by 4 percent to 2.1 billion."
)
FEES = "The bank charged a $35 fee on 41 accounts that were overdrawn for more than a week."
JOBS = (
    "Unemployment fell in 4 of the 6 regions last month, the statistics office said, and the "
    "number of unemployed dropped by 12,000 to 310,000."
)
BUDGET = (
    "The city's budget for the new school is 48 million euros, the council said; 3 architects "
    "have bid and building is to start in 2025 with 40 classrooms."
)


@pytest.mark.parametrize(
    ("claim", "source", "context", "found"),
    [
        # a percentage claim reports the percentage, not the nearer count
        ("sales rose 12 percent", RETAIL, "sales rose quarter", "8"),
        ("sales rose 10% in the quarter", RETAIL, "sales rose quarter", "8"),
        # a currency claim reports the sum, not the count of breaches
        ("a $40 million fine", BANK, "regulator fined bank breaches", "35 million"),
        ("fined $42 million", BANK, "regulator fined bank breaches", "35 million"),
        ("a $40 overdraft fee", FEES, "bank charged fee accounts", "35"),
        ("fees of 40 dollars", FEES, "bank charged fee accounts", "35"),
        # a billion claim reports the billions, not the percentage or another scale
        ("revenue of $3.4 billion", TECH, "revenue quarter", "3.2 billion"),
        ("users grew by 5 percent", TECH, "users grew", "4"),
        ("2.3 billion users", TECH, "users grew", "2.1 billion"),
        ("a budget of 50 million euros", BUDGET, "budget school council", "48 million"),
    ],
)
def test_the_number_in_the_claims_unit_is_reported(
    claim: str, source: str, context: str, found: str
) -> None:
    evidence = match_figure(claim, source, context=context)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
    assert evidence.found == found, evidence.explanation


@pytest.mark.parametrize(
    ("claim", "source", "context"),
    [
        # no percentage near the context: 4 and 6 are regions, not the rate
        ("unemployment fell to 5 percent", JOBS, "unemployment fell regions"),
        # no sum of money near the context: 41 breaches, 38 days
        ("$45 million", BANK.replace("$35 million", "heavily"), "fined bank breaches appeal"),
        # no euros near the context words: 3 architects, 40 classrooms
        ("€45", BUDGET.replace("48 million euros", "not yet set"), "architects classrooms"),
    ],
)
def test_several_numbers_none_in_the_claims_unit_is_ambiguous(
    claim: str, source: str, context: str
) -> None:
    evidence = match_figure(claim, source, context=context)
    assert (evidence.status, evidence.reason) == (Status.UNCHECKED, Reason.AMBIGUOUS_FIGURE)
    assert evidence.found is None
    assert evidence.passage is not None
    assert "several figures" in evidence.explanation


def test_a_supporting_figure_still_verifies_among_several() -> None:
    evidence = match_figure("sales rose 8 percent", RETAIL, context="sales rose quarter")
    assert (evidence.status, evidence.found) == (Status.VERIFIED, "8")
    evidence = match_figure("$35 million", BANK, context="regulator fined bank")
    assert (evidence.status, evidence.found) == (Status.VERIFIED, "35 million")


def test_another_currency_is_a_changed_figure() -> None:
    evidence = match_figure("a budget of 48 million dollars", BUDGET, context="budget school")
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
    assert evidence.found == "48 million"


def test_one_figure_in_another_unit_is_still_drift() -> None:
    # With one number near the context there is nothing to choose between: its unit differs.
    source = "The council said 189 refugees were housed in the town last year."
    evidence = match_figure("15 percent of refugees", source, context="refugees housed town")
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
    assert evidence.found == "189"
