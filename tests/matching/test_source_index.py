"""A source index: what matching derives from one source text, made once, passed explicitly, and
saved (as JSON) beside the text in the checker's cache."""

from __future__ import annotations

from array import array

import pytest

from claimcheck import Claim
from claimcheck.documents import Text
from claimcheck.errors import ConfigurationError
from claimcheck.matching import SourceIndex, match_claim, match_quote

SOURCE = Text(
    "Denmark has stripped 189 Syrian refugees of their residence permits, the immigration "
    "service said.\nMore than 100,000 Syrians have been detained since 2011, according to "
    "monitors. In October 2017, general Issam Zahreddine told refugees not to return.",
    "text/plain",
)
CLAIMS = [
    Claim("quote", "stripped 189 Syrian refugees of their residence permits"),
    Claim("quote", "stripped 198 Syrian refugees of their residence permits"),
    Claim("quote", "Issam Zahreddine told refugees to return"),
    Claim("figure", "more than 100,000 Syrians", context="detained"),
    Claim("figure", "189 Syrians", context="residence permits"),
    Claim("date", "the October 2017 statement", value="2017-10", context="Zahreddine"),
    Claim("date", "since 2012", context="detained monitors"),
]


def test_an_index_gives_the_same_evidence_as_none() -> None:
    index = SourceIndex(SOURCE.text)
    for claim in CLAIMS:
        assert match_claim(claim, SOURCE, index=index) == match_claim(claim, SOURCE)


def test_an_index_normalises_its_text_once() -> None:
    # What ``normalize`` once cached in a module global, the index now keeps.
    index = SourceIndex(SOURCE.text)
    assert index.normalized is index.normalized
    match_quote("stripped 189 Syrian refugees", SOURCE, index=index)
    assert index.normalized.text.startswith("denmark has stripped 189")


def test_an_index_restored_from_its_state_matches_alike() -> None:
    made = SourceIndex(SOURCE.text)
    assert made.state() == {}  # nothing is made for the asking
    _ = made.normalized, made.sentence_count
    state = made.state()
    assert set(state) == {"normalized", "analysis"}
    restored = SourceIndex.from_state(SOURCE.text, state)
    for claim in CLAIMS:
        assert match_claim(claim, SOURCE, index=restored) == match_claim(claim, SOURCE)
    assert restored.state() == state


def test_an_index_saves_each_part_when_it_is_made() -> None:
    made: list[set[str]] = []
    index = SourceIndex(SOURCE.text, lambda index: made.append(set(index.state())))
    match_claim(CLAIMS[0], SOURCE, index=index)
    _ = index.normalized, index.sentence_count, index.normalized
    # once for each part, when it is made, never again
    assert len(made) == 2
    assert made[0] in ({"normalized"}, {"analysis"})
    assert made[1] == {"normalized", "analysis"}


@pytest.mark.parametrize(
    "state",
    [
        {"normalized": {}},
        {"normalized": None},
        {"analysis": {}},
        {"analysis": {"starts": [0], "ends": [3], "words": "", "offsets": [0], "postings": []}},
    ],
)
def test_a_malformed_state_is_refused(state: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        SourceIndex.from_state(SOURCE.text, state)


def _analysis(**changed: object) -> dict[str, object]:
    analysis: dict[str, object] = {
        "starts": array("i", [0, 10]),
        "ends": array("i", [9, 20]),
        "words": "a\nb",
        "offsets": array("i", [0, 2, 3]),
        "postings": array("i", [0, 1, 1]),
    }
    return {"analysis": {**analysis, **changed}}


def test_a_sound_analysis_is_restored() -> None:
    index = SourceIndex.from_state(SOURCE.text, _analysis())
    assert index.sentence_count == 2
    assert set(index.sentences_with("b")) == {1}
    assert 1 in index.sentences_with("b")
    assert -1 not in index.sentences_with("b")
    assert 0 not in index.sentences_with("b")


@pytest.mark.parametrize(
    "changed",
    [
        {"ends": array("i", [9])},  # a bound missing
        {"starts": array("i", [10, 0]), "ends": array("i", [20, 9])},  # out of order
        {"ends": array("i", [9, 10**6])},  # beyond the text
        {"postings": array("i", [0, 1, 2])},  # a sentence that is not there
        {"offsets": array("i", [0, 3, 2])},  # runs out of order
        {"offsets": array("i", [0, 2])},  # a word without its run
        {"words": "a\na", "offsets": array("i", [0, 2, 3])},  # a word twice
        {"postings": array("d", [0, 1, 1])},  # not integers
    ],
)
def test_an_inconsistent_analysis_is_refused(changed: dict[str, object]) -> None:
    with pytest.raises((TypeError, ValueError)):
        SourceIndex.from_state(SOURCE.text, _analysis(**changed))


def test_an_index_of_another_text_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="another text"):
        match_claim(CLAIMS[0], SOURCE, index=SourceIndex("Another source altogether."))
