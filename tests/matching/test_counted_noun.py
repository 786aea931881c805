"""A figure claim is about the number of what it counts: "up to 100 years" is about a number of
years, so near "face prison" it is compared with "up to 10 years", never verified by the
defendant's age beside it (issue 15: the accuracy benchmark's "hedged x10" cases were verified by
an unrelated number that happened to fall within the claim's bound)."""

from __future__ import annotations

import attrs
import pytest

from claimcheck import Reason, Status
from claimcheck.documents import extract_text
from claimcheck.matching import match_figure

JURY = (
    "Following a two-day trial in September, a federal jury in Fort Worth deliberated for less"
    " than 10 minutes before convicting Webb, 51, of kidnapping the girl."
)
PRISON = (
    "Patrick Carlineo Jr., 55, could face up to 10 years in prison and have to pay $250,000"
    " after pleading guilty to threatening to assault a U.S. official."
)
GAMES = (
    '"I think if Google gets to over 100 games by the time the free tier launches next year, in'
    ' 4K, that will be a big improvement," says Ward.'
)


@pytest.mark.parametrize(
    ("claim", "context", "source", "found"),
    [
        ("less than 100 minutes", "deliberated convicting", JURY, "less than 10"),
        ("up to 100 years", "face prison", PRISON, "up to 10"),
        ("over 1000 games", "gets time", GAMES, "over 100"),
    ],
)
def test_a_number_of_something_else_never_verifies_the_claim(
    claim: str, context: str, source: str, found: str
) -> None:
    evidence = match_figure(claim, source, context=context)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED), (
        evidence.explanation
    )
    assert evidence.found == found


@pytest.mark.parametrize(
    ("claim", "context", "source"),
    [
        ("less than 10 minutes", "deliberated convicting", JURY),
        ("up to 10 years", "face prison", PRISON),
        ("over 100 games", "gets time", GAMES),
    ],
)
def test_the_number_of_what_the_claim_counts_verifies_it(
    claim: str, context: str, source: str
) -> None:
    assert match_figure(claim, source, context=context).status is Status.VERIFIED


def test_the_claim_is_read_as_its_source_is() -> None:
    # An English page that writes a thousand as "1.000": the claim's "1.000" is the same number.
    source = "Moreover: the installation consists of 1.000 led lights and 800 meters of rope."
    text = extract_text(source.encode(), "text/plain")
    text = attrs.evolve(text, language="en")
    evidence = match_figure("around 1.000 led", text, context="consists lights")
    assert evidence.status is Status.VERIFIED, evidence.explanation
