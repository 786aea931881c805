"""A source index: what matching derives from one source text, made once, passed explicitly, and
saved (as JSON) beside the text in the checker's cache."""

from __future__ import annotations

import json

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
    state = json.loads(json.dumps(SourceIndex(SOURCE.text).state()))
    assert set(state) == {"normalized", "analysis"}
    restored = SourceIndex.from_state(SOURCE.text, state)
    for claim in CLAIMS:
        assert match_claim(claim, SOURCE, index=restored) == match_claim(claim, SOURCE)
    assert restored.state() == state


@pytest.mark.parametrize(
    "state",
    [{}, {"normalized": {}}, {"normalized": None, "analysis": {}}],
)
def test_a_malformed_state_is_refused(state: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        SourceIndex.from_state(SOURCE.text, state)


def test_an_index_of_another_text_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="another text"):
        match_claim(CLAIMS[0], SOURCE, index=SourceIndex("Another source altogether."))
