"""One quote checked in windows of its source gives exactly the evidence of the whole-text path.

``match_quote`` checks the first quote asked of a source by normalising only windows around the
places the quote's longest word could be; from the second quote on (or with an index whose
normalised text is made), it normalises the whole text once. Both must give the same evidence:
status, reason, explanation, passage, span, region and differences.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import Evidence, Status
from claimcheck.documents import Text, extract_text
from claimcheck.matching import SourceIndex, match_quote

WORDS = (
    "the government said refugees were returned to safe areas after review of their permits "
    "Denmark Syria council minister court decision families camps not never 189 2021 100,000 "
    "3.5 twenty-six Flüchtlinge være IPHONE iPhone cooperation"
).split()
# Characters where normalisation changes the text: curly quotes, dashes, NBSP, a soft hyphen,
# zero-width characters, a ligature, fullwidth letters and digits, a trademark sign, a fraction.
ODD = ["\u00ad", "\u200b", "\ufb01", "\uff21", "\uff11", "\u2122", "\u00bd", "\u00a0", "\u2011"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\u00a0", ", ", ". ", " — ", "; ", "“", "” ", "’"]


@st.composite
def long_prose(draw: st.DrawFn) -> str:
    """Text long enough for several windows, with repeats and characters that fold oddly."""
    pieces = []
    for _ in range(draw(st.integers(5, 300))):
        token = draw(st.sampled_from(WORDS))
        if draw(st.integers(0, 8)) == 0:
            token = token.upper() if draw(st.booleans()) else token.capitalize()
        if draw(st.integers(0, 10)) == 0:
            cut = draw(st.integers(0, len(token)))
            token = token[:cut] + draw(st.sampled_from(ODD)) + token[cut:]
        pieces.append(token)
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(pieces)


@st.composite
def source_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    """A source and a quote: a run of it (often verbatim, sometimes recased or edited)."""
    source = draw(long_prose())
    start = draw(st.integers(0, len(source) - 1))
    end = draw(st.integers(start + 1, min(len(source), start + 400)))
    quote = source[start:end]
    change = draw(st.integers(0, 5))
    if change == 1:
        quote = quote.upper()
    elif change == 2:
        quote = quote.replace("’", "'").replace("\u00a0", " ").replace("\u00ad", "")
    elif change == 3:
        quote = quote.replace(" ", " not ", 1)
    return source, quote


def whole_text(quote: str, source: Text | str) -> Evidence:
    """The whole-text path: an index whose normalised text is made."""
    index = SourceIndex(source.text if isinstance(source, Text) else source)
    _ = index.normalized
    return match_quote(quote, source, index=index)


@settings(max_examples=150, deadline=None)
@given(source_and_quote())
def test_one_quote_gives_the_evidence_of_the_whole_text_path(case: tuple[str, str]) -> None:
    source, quote = case
    if not any(char.isalnum() for char in quote):
        return  # a quote with no words is an error either way
    assert match_quote(quote, source) == whole_text(quote, source)


def test_the_first_quote_needs_no_normalised_text_and_the_second_makes_it() -> None:
    source = " ".join(["The council met on Tuesday."] * 50 + ["Refugees were returned to Syria."])
    index = SourceIndex(source)
    first = match_quote("Refugees were returned to Syria", source, index=index)
    assert first.status is Status.VERIFIED
    assert not index.has_normalized
    assert first == whole_text("Refugees were returned to Syria", source)
    second = match_quote("The council met on Tuesday", source, index=index)
    assert index.has_normalized
    assert second == whole_text("The council met on Tuesday", source)


EDGES = [
    # (source, quote): the quote spans a normalisation change in the source
    ("He said “we will win” and left.", 'said "we will win" and'),
    ("They co\u00adoperate with the council.", "cooperate with the"),
    ("They co-\noperate with the council.", "co- operate with the"),
    ("A new\u00a0report on refugees.", "new report on refugees"),
    ("THE COUNCIL DECIDED to return refugees.", "the council decided"),
    ("the \ufb01nal report of the council", "final report of the"),
    ("page \uff11\uff12 of the report", "page 12 of the"),
    ("the report\u200bon refugees", "reporton refugees"),
    ("The iPhone™ was sold out in Denmark", "iPhone tm was sold"),
    ("He did not say that refugees were returned.", "say that refugees were returned"),
    ("Water covers ½ of the land here", "covers 1/2 of the land"),
]


def test_quotes_across_normalisation_changes_give_the_same_evidence() -> None:
    padding = "Unrelated words fill the page around the passage here. " * 40
    for source, quote in EDGES:
        for text in (source, padding + source + padding, source + padding + source):
            index = SourceIndex(text)
            evidence = match_quote(quote, text, index=index)
            assert evidence == whole_text(quote, text), (source, quote)
            # a verified quote whose words the source spells plainly is found in windows,
            # without the whole text normalised (others may be too: tests/matching/
            # test_one_quote_windows.py)
            plain = all(word in text.lower() for word in re.findall(r"[a-z0-9]+", quote.lower()))
            if evidence.status is Status.VERIFIED and plain:
                assert not index.has_normalized, (source, quote)


def test_extracted_text_keeps_its_region() -> None:
    page = (
        b"<html><head><title>Council news</title></head><body><nav>Home News Sport</nav>"
        b"<article><p>" + b"The council met again. " * 30 + b"Refugees were returned "
        b"to safe areas after review.</p></article></body></html>"
    )
    text = extract_text(page, "text/html")
    quote = "Refugees were returned to safe areas"
    assert match_quote(quote, text) == whole_text(quote, text)
    assert match_quote(quote, text).region == whole_text(quote, text).region is not None
