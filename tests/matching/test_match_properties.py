"""Property tests for the matcher: what must hold for every source and quote."""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from claimcheck import InvalidClaimError, Reason, Status
from claimcheck.language import is_negation, normalize
from claimcheck.matching import match_quote

WORDS = (
    "the government said refugees were returned to safe areas after review of their permits "
    "Denmark Syria council minister court decision families camps report people applications "
    "Damaskus Flüchtlinge regering være ikke 189 2021 100,000 3.5 twenty-six"
).split()
PUNCTUATION = [",", ".", ";", ":", "!", "?", "—", "–", "“", "”", "‘", "’", '"', "(", ")"]

word = st.sampled_from(WORDS)
separator = st.sampled_from([" ", " ", " ", "  ", "\n", "\u00a0", ", ", ". ", " — ", "; "])


@st.composite
def prose(draw: st.DrawFn, min_words: int = 12, max_words: int = 80) -> str:
    """Realistic-looking text: words of several languages, numbers, typographic punctuation."""
    count = draw(st.integers(min_words, max_words))
    pieces = []
    for _ in range(count):
        token = draw(word)
        if draw(st.integers(0, 9)) == 0:
            token = token.upper() if draw(st.booleans()) else token.capitalize()
        if draw(st.integers(0, 12)) == 0:
            token = f"“{token}”"
        pieces.append(token)
        pieces.append(draw(separator))
    return "".join(pieces).strip()


WORD_BOUNDARY = re.compile(r"(?<=\s)(?=\S)|(?<=\S)(?=\s)")


@st.composite
def source_and_substring(draw: st.DrawFn) -> tuple[str, str]:
    """A source text and a verbatim run of it that starts and ends at word boundaries."""
    source = draw(prose())
    bounds = sorted({0, len(source), *(m.start() for m in WORD_BOUNDARY.finditer(source))})
    start = draw(st.sampled_from(bounds[:-1]))
    end = draw(st.sampled_from([b for b in bounds if b > start]))
    quote = source[start:end]
    assume(re.search(r"\w", quote))
    return source, quote


@given(source_and_substring())
def test_any_verbatim_run_of_words_is_verified(case: tuple[str, str]) -> None:
    """Verified, unless the cut drops a qualifier: a run that begins right after a negation
    ("did not | say he would resign") is a negation removed, which is drift."""
    source, quote = case
    evidence = match_quote(quote, source)
    assert evidence.span is not None
    assert source[evidence.span[0] : evidence.span[1]] == evidence.passage
    if evidence.status is Status.DRIFTED:
        (diff,) = evidence.material_differences
        assert evidence.reason is Reason.NEGATION, (quote, evidence)
        assert diff.claim_words == ""
        assert is_negation(normalize(diff.source_words).text)
        assert source[diff.source_span[1] : evidence.span[0]].strip(' \n\u00a0“”"') == ""
    else:
        assert evidence.status is Status.VERIFIED, (quote, evidence)


@st.composite
def quote_with_negation(draw: st.DrawFn) -> tuple[str, str]:
    source = draw(prose(min_words=15))
    words = source.split(" ")
    assume(len(words) >= 10)
    start = draw(st.integers(0, len(words) - 8))
    stop = draw(st.integers(start + 6, min(len(words), start + 30)))
    quote_words = words[start:stop]
    at = draw(st.integers(1, len(quote_words) - 1))
    negation = draw(st.sampled_from(["not", "never", "no", "ikke", "nicht"]))
    assume(negation not in source.lower())  # else the quote may just move a source's negation
    quote_words.insert(at, negation)
    return source, " ".join(quote_words)


@given(quote_with_negation())
def test_an_inserted_negation_is_never_verified(case: tuple[str, str]) -> None:
    source, quote = case
    assume(quote not in source)  # the negation may already be there by chance
    evidence = match_quote(quote, source)
    assert evidence.status is not Status.VERIFIED, (quote, evidence)


@st.composite
def quote_with_changed_digit(draw: st.DrawFn) -> tuple[str, str]:
    source = draw(prose(min_words=15))
    digits = [m.start() for m in re.finditer(r"\d", source)]
    assume(digits)
    at = draw(st.sampled_from(digits))
    start = max(0, source.rfind(" ", 0, max(0, at - 40)) + 1)
    end = source.find(" ", at + 40)
    end = len(source) if end < 0 else end
    quote = source[start:end]
    offset = at - start
    new_digit = draw(st.sampled_from([d for d in "0123456789" if d != source[at]]))
    return source, quote[:offset] + new_digit + quote[offset + 1 :]


@given(quote_with_changed_digit())
def test_a_changed_digit_is_never_verified(case: tuple[str, str]) -> None:
    source, quote = case
    evidence = match_quote(quote, source)
    assert evidence.status is not Status.VERIFIED, (quote, evidence)


@given(st.text(max_size=300), st.text(max_size=2000))
def test_arbitrary_unicode_never_crashes_and_spans_stay_inside(quote: str, source: str) -> None:
    try:
        evidence = match_quote(quote, source)
    except InvalidClaimError:
        return
    assert evidence.reason.status is evidence.status
    if evidence.span is not None:
        start, end = evidence.span
        assert 0 <= start <= end <= len(source)
        assert source[start:end] == evidence.passage
    for diff in evidence.differences:
        assert 0 <= diff.claim_span[0] <= diff.claim_span[1] <= len(quote)
        assert 0 <= diff.source_span[0] <= diff.source_span[1] <= len(source)


@given(prose(), st.data())
def test_arbitrary_quotes_against_prose(source: str, data: st.DataObject) -> None:
    quote = data.draw(prose(min_words=3, max_words=25))
    evidence = match_quote(quote, source)
    assert evidence.reason.status is evidence.status
    if evidence.span is not None:
        assert source[evidence.span[0] : evidence.span[1]] == evidence.passage
