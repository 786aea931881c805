"""A changed digit is a changed figure wherever the digit stands: in a plain number, an ordinal
("19th", "22nd", French "19e", German "19."), a decimal, a number glued to its unit ("45km",
"10am") or its scale ("$2.3bn"). Such a quote is never verified (issue 15, item 1)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck import Reason, Status
from claimcheck.matching import match_quote

# Realistic sentences, each with the digits a quote may change; "{}" is where the number goes.
SENTENCES = [
    ("The bridge was built in the {} century, long before the railway reached the town.", "19th"),
    ("She finished {} in the marathon, her best result since the injury.", "22nd"),
    ("He was the {} person to sign the petition on the first morning.", "1st"),
    ("The {} amendment was ratified after a long campaign by the states.", "23rd"),
    ("Le pont a été construit au {} siècle, bien avant l'arrivée du chemin de fer.", "19e"),
    ("Elle est arrivée {} au classement général de la course.", "2e"),
    ("Le {} arrondissement compte désormais plus d'habitants qu'avant.", "11ème"),
    ("Die Brücke wurde im {} Jahrhundert gebaut, lange vor der Eisenbahn.", "19."),
    ("De brug werd in de {} eeuw gebouwd, lang voor de spoorlijn.", "19de"),
    ("Unemployment rose to {} in the third quarter, the agency said.", "4.7%"),
    ("The walk to the summit takes about {} from the car park.", "45min"),
    ("The runners covered {} before the first water station.", "12km"),
    ("The polls open at {} and close at eight in the evening.", "10am"),
    ("The company reported revenue of {} for the year, up from last year.", "$2.3bn"),
    ("Inflation slowed to {} per cent in March, the lowest in two years.", "3.25"),
    ("The council approved a budget of {} euros for the new school.", "1,250,000"),
    ("Il a fallu {} pour terminer les travaux du tunnel.", "3,5 ans"),
    ("The new chip runs at {} under load, the maker claims.", "4.2GHz"),
    ("The vaccine was {} effective in the trial, the researchers wrote.", "94.5%"),
]


@st.composite
def changed_digit(draw: st.DrawFn) -> tuple[str, str]:
    """A source sentence and a quote of it with one digit of its number changed."""
    sentence, number = draw(st.sampled_from(SENTENCES))
    source = sentence.format(number)
    positions = [m.start() for m in re.finditer(r"\d", number)]
    at = draw(st.sampled_from(positions))
    digit = draw(st.sampled_from([d for d in "0123456789" if d != number[at]]))
    quote = sentence.format(number[:at] + digit + number[at + 1 :])
    return source, quote


@given(changed_digit())
def test_a_changed_digit_anywhere_is_never_verified(case: tuple[str, str]) -> None:
    source, quote = case
    evidence = match_quote(quote, source)
    assert evidence.status is not Status.VERIFIED, (quote, evidence)


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("The bridge was built in the 19th century.", "built in the 18th century"),
        ("She finished 21st in the marathon this year.", "She finished 24th in the marathon"),
        ("He finished 22nd in the race.", "He finished 23rd in the race."),
        ("He was the 1st to sign it.", "He was the 7th to sign it."),
        ("Le pont a été construit au 19e siècle.", "construit au 18e siècle"),
        ("C'était le 1er mai, jour de fête.", "C'était le 2e mai"),
        ("Die Brücke wurde im 19. Jahrhundert gebaut.", "im 18. Jahrhundert gebaut"),
        ("De brug werd in de 19de eeuw gebouwd.", "in de 18de eeuw gebouwd"),
    ],
)
def test_a_changed_ordinal_is_a_changed_figure(source: str, quote: str) -> None:
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("The bridge was built in the 19th century.", "built in the 19th century"),
        ("Le pont a été construit au 19e siècle.", "construit au 19e siècle"),
        ("The bridge was built in the 19th century.", "built in the 19TH century"),
        ("He came 2nd in the race.", "He came 2nd in the race"),
    ],
)
def test_the_same_ordinal_still_verifies(source: str, quote: str) -> None:
    assert match_quote(quote, source).status is Status.VERIFIED
