"""The one-quote path's cheaper steps give exactly the evidence of the whole-text path.

Issue 17 (one quote's fixed cost): the runs of text around characters that fold unsafely are
normalised together, a line break apart, not one call each; windows are narrow first and wide
only when a narrow one does not hold enough tokens around a candidate; a text of one chunk (a
quote, a window, a small page) has where its tokens start read at once. Each must leave the
evidence unchanged. Internals tested directly: the batched run check against one normalisation
per run, and the narrow pass saying it cannot tell.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import Evidence
from claimcheck.documents import Text
from claimcheck.language import normalize
from claimcheck.matching import SourceIndex, match_quote
from claimcheck.matching._quick import (
    _TOO_NARROW,
    _cut_after,
    _cut_before,
    _in_windows,
    _runs_with,
    _unsafe_positions,
    _unusual,
)
from claimcheck.matching._quote import quote_evidence
from claimcheck.matching._quote_parse import parse_quote

# Characters that fold into ASCII letters or digits, or vanish between letters; and a combining
# mark after a space (it composes with the space, not with a line break).
UNSAFE = ["\ufb01", "\uff21", "\uff11", "\u2122", "\u00bd", "\u00ad", "\u200b", "\u2460"]
PIECES = [*UNSAFE, "fi", "na", "nce", "tm", "1", "a", "\u0301", "é", "x"]


def whole_text(quote: str, source: str) -> Evidence:
    """The whole-text path: an index whose normalised text is made."""
    index = SourceIndex(source)
    _ = index.normalized
    return match_quote(quote, source, index=index)


@st.composite
def runs_text(draw: st.DrawFn) -> str:
    words = draw(
        st.lists(
            st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map("".join),
            min_size=1,
            max_size=40,
        )
    )
    separators = draw(
        st.lists(st.sampled_from([" ", "\n", "\t", "\r\n", "  "]), min_size=len(words))
    )
    return "".join(w + s for w, s in zip(words, separators, strict=False))


@settings(max_examples=200, deadline=None)
@given(runs_text(), st.sampled_from(["fi", "finance", "a", "1", "tm", "aa", "x"]))
def test_runs_normalised_together_hold_the_anchor_where_each_alone_does(
    text: str, anchor: str
) -> None:
    unsafe = _unsafe_positions(text, _unusual(text.encode("utf-8", "surrogatepass")))
    assert unsafe is not None
    one_by_one = [
        at
        if anchor in normalize(text[_cut_before(text, at) : _cut_after(text, at)]).tokens
        else None
        for at in unsafe
    ]
    assert _runs_with(text, unsafe, anchor) == one_by_one


def test_a_window_too_narrow_falls_back_to_a_wide_one_with_the_same_evidence() -> None:
    # long words around the quote: a narrow window holds too few tokens to tell
    filler = " ".join(["supercalifragilisticexpialidocious-antidisestablishment"] * 30)
    source = f"{filler} the minister said the camps were safe for families {filler}"
    quote = "the minister said the camps were safe for families"
    assert match_quote(quote, source) == whole_text(quote, source)


def test_the_narrow_pass_reports_when_it_cannot_tell() -> None:
    filler = " ".join(["x" * 60] * 30)
    source = f"{filler} the minister said {filler}"

    parsed = parse_quote("the minister said")
    at = source.index("minister")
    found = _in_windows(parsed, Text(source, "text/plain"), [at], 40, quote_evidence)
    assert found is _TOO_NARROW


@settings(max_examples=150, deadline=None)
@given(runs_text(), st.integers(0, 30), st.integers(1, 12))
def test_one_quote_among_unsafe_runs_gives_the_whole_text_evidence(
    text: str, start: int, length: int
) -> None:
    source = f"the council said {text} that the camps were fine {text} again"
    words = source.split()
    quote = " ".join(words[start % len(words) :][:length])
    if not any(char.isalnum() for char in quote):
        return
    assert match_quote(quote, source) == whole_text(quote, source)


def test_a_small_text_reads_its_token_starts_at_once_with_the_same_spans() -> None:
    text = "The “safe” zones—10,000 km² of them… ﬁnance ½ e\u0301 ok"
    small = normalize(text)
    assert small._chunk_starts  # read at once
    spans = small.token_spans()
    big = normalize(text + " " + "word " * 4000)  # several chunks: read when first asked
    assert big.token_spans()[: len(spans)] == spans
