"""Placing claims in the statement gives the same lines and columns as the slow algorithm it
replaced: for random statements and claims cut from them (word for word, or retyped: straight
apostrophes and quotation marks for curly ones, another case, doubled spaces), the loader's
``locate``, sharing its indexes across every claim of a file, gives the same
:class:`~claimcheck.model.Location` as a reference that searches the whole statement afresh for
each claim (the first whole-word occurrence, else the quote matcher with no index) and counts
the line breaks before it.

Internals tested directly (private modules): the loader's validator
(``claimcheck.claimsfile._load._Validator``), whose ``locate`` places one claim, and how
many places a word may have before :class:`~claimcheck.documents.Anchors` looks for a text by
a word and the word after it (``claimcheck.documents._anchoring._COMMON``) and the window it
scans ahead of each place (``_SCAN_WINDOW``), made small so that short statements have common
words and cross windows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.claimsfile._load import _Positions, _StatementFiles, _Validator
from claimcheck.errors import InvalidClaimError
from claimcheck.matching import match_quote
from claimcheck.model import Location, Statement


def reference_location(statement: str, text: str) -> Location | None:
    """The old algorithm: the first whole-word occurrence of ``text``, searched from the
    statement's start, else the span the quote matcher verifies in the whole statement; its
    line and column counted from the statement's start."""
    match = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", statement)
    if match is not None:
        start, end = match.span()
    else:
        try:
            evidence = match_quote(text, statement)
        except InvalidClaimError:
            return None
        if evidence.span is None or evidence.status.value != "verified":
            return None
        start, end = evidence.span

    def line_column(offset: int) -> tuple[int, int]:
        return statement.count("\n", 0, offset) + 1, offset - statement.rfind("\n", 0, offset)

    return Location(*line_column(start), *line_column(end))


def placed(statement: str, texts: list[str]) -> list[Location | None]:
    """Where the loader places each of ``texts``, one validator for all (None: a problem)."""
    validator = _Validator("claims.toml", None, _Positions(""), _StatementFiles(Path(), None, 1))
    where = Statement(text=statement)
    found = []
    for number, text in enumerate(texts):
        before = len(validator.problems)
        location = validator.locate(text, where, ("claim", number), f"claim[{number + 1}]")
        assert (location is None) == (len(validator.problems) > before)
        found.append(location)
    return found


_WORDS = ["Syria", "syria", "it", "is", "here", "don’t", "don't", "“safe”", '"safe"', "189", "10"]
_GAPS = [" ", " ", " ", "  ", ", ", ". ", "\n", "\n\n", " – ", ": "]


def _retyped(text: str, how: int) -> str:
    if how == 1:
        return text.replace("’", "'").replace("“", '"').replace("”", '"')
    if how == 2:
        return text[:1].swapcase() + text[1:]
    if how == 3:
        return text.replace(" ", "  ", 1)
    return text


@st.composite
def _statement_and_claims(draw: st.DrawFn) -> tuple[str, list[str]]:
    count = draw(st.integers(1, 40))
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=count, max_size=count))
    gaps = draw(st.lists(st.sampled_from(_GAPS), min_size=count, max_size=count))
    statement = "".join(word + gap for word, gap in zip(words, gaps, strict=True)).strip()
    claims = []
    for _ in range(draw(st.integers(1, 8))):
        first = draw(st.integers(0, count - 1))
        last = draw(st.integers(first, min(count - 1, first + 6)))
        pieces = range(first, last + 1)
        text = "".join(words[n] + gaps[n] for n in pieces)  # as written, cut anywhere below
        text = " ".join(words[n] for n in pieces) if draw(st.booleans()) else text
        text = text[: draw(st.integers(1, max(1, len(text))))].strip() or words[first]
        claims.append(_retyped(text, draw(st.integers(0, 3))))
    return statement, claims


@settings(max_examples=300, deadline=None)
@given(_statement_and_claims(), st.sampled_from([0, 2, 32]), st.sampled_from([3, 16, 1024]))
def test_claims_are_placed_where_the_old_algorithm_placed_them(
    case: tuple[str, list[str]], common: int, window: int
) -> None:
    statement, claims = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("claimcheck.documents._anchoring._COMMON", common, raising=False)
        patch.setattr("claimcheck.documents._anchoring._SCAN_WINDOW", window, raising=False)
        found = placed(statement, claims)
    assert found == [reference_location(statement, text) for text in claims]


def test_a_long_statement_places_claims_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hundreds of claims, word for word and retyped, in a statement of common words.
    monkeypatch.setattr("claimcheck.documents._anchoring._COMMON", 2, raising=False)
    monkeypatch.setattr("claimcheck.documents._anchoring._SCAN_WINDOW", 64, raising=False)
    statement = "".join(
        f"Line {n}: the office said “it’s over” about word{n % 37} and {n * 7} people.\n"
        for n in range(300)
    )
    claims = [f"word{n % 37} and {n * 7} people" for n in range(0, 300, 3)]
    claims += ["it's over", "It’s over", "about  word5", "the Office said", "absent words"]
    assert placed(statement, claims) == [reference_location(statement, text) for text in claims]
