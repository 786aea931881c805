"""A fresh source answers a quote's lookups without the whole-source structures, with the same
answers (issue 17: one edited or absent quote on a fresh 1 MB source built the token index,
~0.16 s, and walked every token for citation marks, ~0.26 s, to locate one quote).

- ``NormalizedText.occurrences`` / ``positions`` equal what the token index gives, before and
  after the index is built (once searches have cost as much as building it);
- the source text without citation marks (for quotes that leave out "[1]") is made from the
  places the text has a "[", and equals the earlier token-by-token walk (kept here as the
  reference).

Internals tested directly: the text without citation marks is a private step of locating.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.language import NormalizedText, normalize
from claimcheck.matching import _locate
from claimcheck.matching._tokens import citation_mark_at

_WORDS = ["the", "a", "cat", "cats", "[", "]", "1", "23", "citation", "needed", "sic", ",", "."]
_TEXTS = st.lists(st.sampled_from([*_WORDS, "[1]", "[citation needed]", "[ [2]", "x[3]"])).map(
    " ".join
)


def _indexed(text: str) -> NormalizedText:
    made = normalize(text)
    assert made.index is not None
    return made


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.lists(st.sampled_from([*_WORDS, "dog", "ca", "at"]), min_size=1))
def test_lookups_without_the_index_equal_the_index(text: str, tokens: list[str]) -> None:
    fresh, indexed, uncounted = normalize(text), _indexed(text), normalize(text)
    assert fresh.occurrences(tokens) == {t: len(indexed.index.get(t, ())) for t in tokens}
    assert not fresh.has_index
    for token in tokens:
        for limit in (0, 1, 2, 100):
            expected = list(indexed.index.get(token, ())[:limit])
            assert list(fresh.positions(token, limit)) == expected  # searched up to its count
            assert list(uncounted.positions(token, limit)) == expected  # or to the text's end
            assert list(indexed.positions(token, limit)) == expected


def test_the_index_is_built_once_searches_have_cost_as_much() -> None:
    # A search of the text costs about a hundredth of indexing it: counting never builds the
    # index, and the hundred and first search does.
    source = normalize("the cat sat on the mat")
    for _ in range(300):
        assert source.occurrences(["the", "dog"]) == {"the": 2, "dog": 0}
    assert not source.has_index
    for _ in range(100):
        assert list(source.positions("the", 5)) == [0, 4]
        assert not source.has_index
    assert list(source.positions("mat", 5)) == [5]
    assert source.has_index
    assert source.occurrences(["the", "dog"]) == {"the": 2, "dog": 0}


def _reference_uncited(source: NormalizedText) -> tuple[str, list[int], list[int]]:
    """The earlier implementation: every token looked at for a citation mark."""
    positions: list[int] = []
    index, tokens = 0, source.tokens
    while index < len(tokens):
        skip = citation_mark_at(tokens, index)
        if not skip:
            positions.append(index)
        index += skip or 1
    starts, offset = [], 0
    for position in positions:
        starts.append(offset)
        offset += len(tokens[position]) + 1
    return " ".join(tokens[position] for position in positions), starts, positions


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_the_text_without_citation_marks_is_as_before(text: str) -> None:
    source = normalize(text)
    expected_text, expected_starts, expected_positions = _reference_uncited(source)
    made = _locate._uncited(source)
    if made is None:
        assert expected_positions == list(range(len(source.tokens)))
        return
    uncited, offsets, runs = made
    assert uncited == expected_text
    assert [p for first, stop in runs for p in range(first, stop)] == expected_positions
    # every token of the text without marks maps to the source position it came from
    for number, start in enumerate(expected_starts):
        mapped = _locate._uncited_positions(source, offsets, runs, start, 2)
        assert mapped == expected_positions[number : number + 2]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40),
    st.lists(st.sampled_from([*_WORDS, "dog", "ca", "at", "cat cat", ""]), min_size=1),
)
def test_a_long_texts_tokens_answer_in_as_their_list_does(
    words: list[str], probes: list[str]
) -> None:
    # A text over one chunk keeps its tokens lazily; `in` searches the text for them.
    line = " ".join(words)
    text = " ".join([line] * (17_000 // (len(line) + 1) + 1))
    tokens = normalize(text).tokens
    assert not isinstance(tokens, list)
    listed = list(tokens)
    for probe in probes:
        assert (probe in tokens) == (probe in listed), probe
