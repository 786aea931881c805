"""HTML whitespace in normal flow: runs of ASCII whitespace collapse to one space, and a space
at either end of a text is only requested (written before the next visible character, unless a
stronger separator wins). Text with nothing to collapse but one space at either end is written
without being split into words (issue 17: most texts of news pages); this pins that it is
written exactly as the word-splitting rule writes it. Internals tested directly: the builder
is the rule."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimcheck.documents._html_source import _Builder

_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Reference(_Builder):
    """The builder writing every text through the word-splitting rule."""

    def write(self, text: str) -> int:
        words = _SPACE.split(text)
        lead = words[0] == ""
        trail = words[-1] == ""
        if lead:
            self.request(" ")
        content = " ".join(words[lead : len(words) - trail])
        if not content:
            return 0
        written = self._emit(content)
        if trail:
            self.request(" ")
        return written


_TEXTS = st.text(alphabet=" \t\n\r\f\u00a0\u2003\vab.é", max_size=12)


@settings(max_examples=400)
@given(st.lists(st.tuples(_TEXTS, st.sampled_from(["", " ", "\t", "\n", "\n\n"])), max_size=6))
@example([("", ""), (" a ", "\n"), ("b", "")])
@example([(" ", " "), ("a  b", ""), (" c", "\t"), ("d ", " ")])
def test_writing_text_as_it_is_equals_the_word_splitting_rule(
    steps: list[tuple[str, str]],
) -> None:
    fast, reference = _Builder(), _Reference()
    for text, separator in steps:
        assert fast.write(text) == reference.write(text)
        assert (fast.pos, fast.pending) == (reference.pos, reference.pending)
        if separator:
            fast.request(separator)  # type: ignore[arg-type]
            reference.request(separator)  # type: ignore[arg-type]
    assert fast.result() == reference.result()
