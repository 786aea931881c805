"""Where a claims file locates a text: :class:`Anchors` (the word index ``load`` and ``extract``
search with) finds exactly what :func:`first_occurrence` (the rule as one regular expression)
finds, for texts with words and without, in statements full of the same few words.

Internals tested directly (private modules): :class:`Anchors` (``claimcheck.documents._anchoring``),
which the documents namespace also offers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.documents import Anchors


def first_occurrence(source: str, text: str) -> int | None:
    """The rule :class:`Anchors` implements, as one search: the offset of the first
    whole-word occurrence of ``text`` in ``source``, ``None`` if none."""
    match = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", source)
    return None if match is None else match.start()


# Few words, so that texts made of words the statement is full of occur late or only as parts
# of longer words; spaces, punctuation and a line break between them.
_PIECES = st.sampled_from(["a", "b", "ab", "ba", "é", "1", " ", "  ", ", ", "!", "(", ")", "\n"])


@st.composite
def _statement_and_text(draw: st.DrawFn) -> tuple[str, str]:
    statement = "".join(draw(st.lists(_PIECES, max_size=60)))
    if statement and draw(st.booleans()):
        start = draw(st.integers(0, len(statement) - 1))
        end = draw(st.integers(start + 1, min(len(statement), start + 12)))
        return statement, statement[start:end]
    return statement, "".join(draw(st.lists(_PIECES, min_size=1, max_size=5)))


@settings(max_examples=400, deadline=None)
@given(_statement_and_text())
def test_anchors_find_the_first_whole_word_occurrence(case: tuple[str, str]) -> None:
    statement, text = case
    assert Anchors(statement).first(text) == first_occurrence(statement, text)


def test_a_text_of_common_words_is_found_after_its_parts_in_longer_words() -> None:
    statement = "xa b " * 50 + "a bc " * 50 + "a b a b"
    anchors = Anchors(statement)
    last = len(statement) - len("a b a b")
    assert anchors.first("a b") == anchors.first("a b a b") == last
    assert anchors.first("b a b") == last + 2
    assert anchors.first("a b c") is None
