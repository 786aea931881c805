"""Many quotes checked against one source give the evidence each gets alone (issue 17: 26 quotes
on a 1 MB page).

A source that several quotes cite is normalised once, keeping the gaps between its tokens (spans
are mapped back without folding the text again), and its token index is built only once its
searches have cost as much as building it. Whatever the order and sharing, each quote's evidence
equals what it gets against a source normalised for it alone, and against one whose token index
was built at once (exact search through the index, positions read from it).

Internals tested directly: ``quote_evidence`` is given each form of the normalised source.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import Evidence
from claimcheck.documents import Text
from claimcheck.language import _normalize, normalize
from claimcheck.matching import SourceIndex, match_quote
from claimcheck.matching._quote import quote_evidence
from claimcheck.matching._quote_parse import parse_quote

_WORDS = [
    "the", "minister", "said", "Denmark", "would", "not", "return", "refugees", "to", "Syria",
    "in", "2021", "10,000", "3.5", "percent", "“safe”", "zones—", "about", "don’t", "café",
    "naïve", ",", ".", "[1]", "…", "½", "km²", "\n\n", "  ", "\u00a0", "Straße",
]  # fmt: skip


@st.composite
def _text_and_quotes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A text long enough to be normalised in several chunks, and quotes of it: verbatim,
    with words left out, swapped or changed, and absent."""
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=30, max_size=400))
    text = " ".join(words)
    quotes = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        start = draw(st.integers(min_value=0, max_value=len(words) - 8))
        quote = words[start : start + draw(st.integers(min_value=6, max_value=20))]
        edit = draw(st.sampled_from(["none", "drop", "swap", "change", "absent"]))
        at = draw(st.integers(min_value=0, max_value=len(quote) - 2))
        if edit == "drop":
            del quote[at]
        elif edit == "swap":
            quote[at], quote[at + 1] = quote[at + 1], quote[at]
        elif edit == "change":
            quote[at] = draw(st.sampled_from(["never", "2022", "20,000", "Sweden", "the"]))
        elif edit == "absent":
            quote = ["entirely", "other", "words", "than", "the", "page", "holds"]
        if any(char.isalnum() for char in "".join(quote)):  # a quote has words
            quotes.append(" ".join(quote))
    return text, quotes


def _evidence_each(
    text: str, quotes: list[str], *, keep_gaps: bool, indexed: bool
) -> list[Evidence]:
    shared = normalize(text, keep_gaps=keep_gaps)
    if indexed:
        _ = shared.index
    source = Text(text, "text/plain")
    return [quote_evidence(parse_quote(quote), source, shared) for quote in quotes]


@settings(max_examples=60, deadline=None)
@given(_text_and_quotes())
def test_quotes_sharing_one_source_get_the_evidence_each_gets_alone(
    case: tuple[str, list[str]],
) -> None:
    text, quotes = case
    saved = _normalize._CHUNK
    _normalize._CHUNK = 64  # several chunks, whatever the text's length
    try:
        source = Text(text, "text/plain")
        alone = [quote_evidence(parse_quote(q), source, normalize(text)) for q in quotes]
        assert _evidence_each(text, quotes, keep_gaps=True, indexed=False) == alone
        assert _evidence_each(text, quotes, keep_gaps=True, indexed=True) == alone
        assert _evidence_each(text, quotes, keep_gaps=False, indexed=True) == alone
    finally:
        _normalize._CHUNK = saved


@settings(max_examples=20, deadline=None)
@given(_text_and_quotes())
def test_a_source_told_of_several_quotes_gives_the_same_evidence(
    case: tuple[str, list[str]],
) -> None:
    text, quotes = case
    told = SourceIndex(text)
    told.expect_quotes(len(quotes) + 1)
    assert told.has_normalized
    untold = SourceIndex(text)
    for quote in quotes:
        assert match_quote(quote, text, index=told) == match_quote(quote, text, index=untold)


def test_many_searches_build_the_index_and_change_nothing() -> None:
    text = " ".join(_WORDS * 40)
    # quotes with a word left out: located by fuzzy alignment, whose searches build the index
    quotes = [" ".join(_WORDS[k : k + 4] + _WORDS[k + 5 : k + 10]) for k in range(20)] * 8
    shared = normalize(text, keep_gaps=True)
    source = Text(text, "text/plain")
    found = [quote_evidence(parse_quote(quote), source, shared) for quote in quotes]
    assert shared.has_index  # built part-way
    for quote, evidence in zip(quotes, found, strict=True):
        assert quote_evidence(parse_quote(quote), source, normalize(text)) == evidence
