""" "or" and "nor" after a negation ("never forgive or forget", "never forgive nor forget") say
the same thing: a changed word, not a changed negation (issue 15). Without a negation before
it, "nor" still negates."""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_quote


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("we will never forgive nor forget", "We will never forgive or forget."),
        ("we will never forgive or forget", "We will never forgive nor forget."),
        ("he has not called or written since", "He has not called nor written since."),
        ("she would neither confirm or deny it", "She would neither confirm nor deny it."),
    ],
)
def test_or_for_nor_after_a_negation_is_a_changed_word(quote: str, source: str) -> None:
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED
    assert evidence.reason is not Reason.NEGATION, evidence.explanation


def test_a_dropped_negation_is_still_a_negation() -> None:
    evidence = match_quote("we will forgive or forget", "We will never forgive nor forget.")
    assert evidence.reason is Reason.NEGATION, evidence.explanation
