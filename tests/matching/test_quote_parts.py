"""Quotes that put two or more parts in quotation marks of their own (issue 15, item 8).

A statement often quotes a speaker in pieces and frames them with its own words: ``Trump told
the audience, "that's really good," and promised "we are going to bring back the factories."``
The quoted parts are what must be in the source; when they come from separate places there, the
quote is stitched (drifted, ``stitched-quote``), and the explanation names each part as the
source writes it. Before the fix several such quotes came back "nothing resembling the quote is
in the source" (broken), because neither part alone resembles the whole quote.
"""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_quote

RALLY = (
    "President Trump spoke for nearly an hour at the rally in Tulsa on Saturday. He praised the "
    "crowd and the state's governor. \"That's really good,\" he said of the latest jobs figures. "
    "The campaign had expected a larger turnout, aides said. Near the end of the speech he "
    'returned to trade. "We are going to bring back the factories, and nobody can stop us," '
    "Trump said."
)
PLANT = (
    "Speaking in Des Moines on Tuesday, the senator told the audience that the new plant was "
    '"really good news for the county." She said the company had promised 400 jobs over five '
    "years, most of them in manufacturing. Later, asked about the tax break, she added: "
    '"We looked at every number, and I am confident this is a fair deal for taxpayers."'
)
COACH = (
    "The coach did not hide his frustration after the game. \u201cWe were beaten by a better team "
    "tonight,\u201d he told reporters in the tunnel. Asked about the referee, who sent off two "
    "of his players in the first half, he shrugged. \u201cI am not going to talk about the "
    "referee. We lost because we did not defend.\u201d"
)

SONDLAND = (
    "Volker testified for hours. He denied that he, U.S. Ambassador to the European Union Gordon "
    'Sondland and Energy Secretary Rick Perry formed an "irregular" channel, for which they were '
    'known as the "Three Amigos."'
)
SEIYA = (
    "Gli appassionati di \u201cSaint Seiya\u201d sono gi\u00e0 sul piede di guerra, dopo il primo "
    "esperimento, pietoso sotto tutti i punti di vista, de \u201cLa leggenda del Grande "
    "Tempio\u201d, datato 2014."
)


@pytest.mark.parametrize(
    ("quote", "source", "parts"),
    [
        (
            'Trump told the audience, "that\'s really good," and "we are going to bring back the '
            'factories"',
            RALLY,
            ("That's really good,", "We are going to bring back the factories"),
        ),
        (
            '"That\'s really good," Trump said, "nobody can stop us."',
            RALLY,
            ("That's really good,", "nobody can stop us"),
        ),
        (
            '"That\'s really good," he told the audience, "we are going to bring back the '
            'factories."',
            RALLY,
            ("That's really good,", "We are going to bring back the factories"),
        ),
        (
            "the new plant was \u201creally good news for the county\u201d and \u201ca fair deal "
            "for taxpayers\u201d",
            PLANT,
            ("really good news for the county", "a fair deal for taxpayers"),
        ),
        (
            'The senator called the plant "really good news for the county," adding, "I am '
            'confident this is a fair deal."',
            PLANT,
            ("really good news for the county", "I am confident this is a fair deal"),
        ),
        (
            "\u201cWe were beaten by a better team,\u201d the coach said, blaming the referee: "
            "\u201cI am not going to talk about the referee.\u201d",
            COACH,
            ("We were beaten by a better team", "I am not going to talk about the referee."),
        ),
        (
            # the parts in the opposite order from the source's
            '"We are going to bring back the factories," Trump said. "That\'s really good."',
            RALLY,
            ("That's really good.", "We are going to bring back the factories,"),
        ),
    ],
)
def test_quoted_parts_from_separate_places_are_a_stitch(
    quote: str, source: str, parts: tuple[str, str]
) -> None:
    """Before the fix: broken (not-found) for the first two quotes; the others came back
    stitched with explanations in the matcher's lower-cased tokens ("that's really good ,"), or
    quote-edited / silent-omission naming the framing words as the difference."""
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.STITCHED_QUOTE), evidence
    for part in parts:
        assert part.rstrip(".,") in evidence.explanation, evidence.explanation


def test_a_quoted_part_not_in_the_source_is_named() -> None:
    """One part is the speaker's, the other is not in the source at all: drifted, naming it.
    Before the fix: broken (not-found)."""
    quote = '"That\'s really good," Trump said, "we will win Oklahoma by a landslide."'
    evidence = match_quote(quote, RALLY)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.QUOTE_EDITED), evidence
    assert "we will win oklahoma by a landslide" in evidence.explanation


def test_a_changed_figure_in_a_quoted_part_is_reported_before_the_stitch() -> None:
    quote = (
        'The senator called the plant "really good news for the county," adding, "I am '
        'confident this is a fair deal." The company promised "400 jobs over ten years."'
    )
    evidence = match_quote(quote, PLANT)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED), evidence


@pytest.mark.parametrize(
    ("quote", "source", "status", "reason"),
    [
        # the source's own passage, its quotation marks included: verbatim
        (
            'the new plant was "really good news for the county." She said the company',
            PLANT,
            Status.VERIFIED,
            Reason.EXACT,
        ),
        # quoted parts next to each other in the source, framed by other words: the framing
        # is what differs (as before)
        (
            "\u201cI am not going to talk about the referee,\u201d he said. \u201cWe lost because "
            "we did not defend.\u201d",
            COACH,
            Status.DRIFTED,
            Reason.QUOTE_EDITED,
        ),
        # a part whose negation was dropped, close to the other: the negation is the drift
        (
            "\u201cI am going to talk about the referee.\u201d he said. \u201cWe lost because "
            "we did not defend.\u201d",
            COACH,
            Status.DRIFTED,
            Reason.NEGATION,
        ),
        # Sentences of the accuracy benchmark's pages with terms in quotation marks of their own,
        # quoted whole with one edit: the edit is the drift, not a stitch of the quoted terms.
        (
            "He denied that he, U.S. Ambassador to the European Union Gordon Sondland and Energy "
            'Secretary Rick Perry formed an "irregular" channel, for which they were not known '
            'as the "Three Amigos."',
            SONDLAND,
            Status.DRIFTED,
            Reason.NEGATION,
        ),
        (
            "Gli appassionati di \u201cSaint Seiya\u201d sono gi\u00e0 sul piede di guerra, dopo "
            "il primo esperimento, pietoso sotto tutti i punti di vista, de \u201cLa leggenda del "
            "Grande Tempio\u201d, datato 2015.",
            SEIYA,
            Status.DRIFTED,
            Reason.DATE_MISMATCH,
        ),
    ],
)
def test_quotes_with_inner_marks_that_are_not_stitched(
    quote: str, source: str, status: Status, reason: Reason
) -> None:
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (status, reason), evidence
