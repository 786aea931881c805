"""An edited or absent quote located in windows of its source gives exactly the evidence of the
whole-text path (issue 17: one quote on one page, at every size).

The first quote asked of a source that is not there verbatim is located in a stand-in made of
windows around the places of its rarer content words (``matching/_windows.py``, whose docstring
has the argument); the whole-text path normalises the whole source. Both must give the same
evidence: status, reason, explanation, score, passage, span, region and differences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from claimcheck import Evidence, Status
from claimcheck.language import normalize
from claimcheck.matching import SourceIndex, _quick, _windows, match_quote

# Words of every frequency: function words, common and rare content words, numbers, names,
# words that hold each other ("men" in "women"), apostrophes and hyphens.
COMMON = "the of and to a in that said was for on is with he it as at by".split()
CONTENT = (
    "government refugees returned council minister court decision families camps review "
    "permits women men report financial final office"
).split()
RARE = (
    "Denmark Syria Broussard Jenkins 189 2021 100,000 3.5 president's don't co-operate U.S.".split()
)
# Words without ASCII letters: the windows' room is counted through them too.
FOREIGN = "привет мир Ёлка 한국어 뉴스 中文 新闻 café".split()
# Characters where normalisation changes the text: a ligature, fullwidth letters and digits, a
# trademark sign, a fraction, a soft hyphen, zero-width space, NBSP, curly quotes, a combining
# acute accent (composes with the letter before it).
ODD = ["\ufb01", "\uff21", "\uff11", "\u2122", "\u00bd", "\u00ad", "\u200b", "\u00a0", "\u0301"]
SEPARATORS = [" ", " ", " ", " ", "  ", "\n", ", ", ". ", " — ", "; ", " “", "” ", "’s ", " [1] "]


# without quotation marks and citation marks (which send some quotes the whole-text way)
PLAIN = [separator for separator in SEPARATORS if not set(separator) & set("“”[")]


@st.composite
def prose(
    draw: st.DrawFn,
    words: int,
    separators: list[str] = SEPARATORS,
    pools: tuple[list[str], ...] = (COMMON, COMMON, CONTENT, CONTENT, RARE),
) -> str:
    """A text of about ``words`` words, with repeats and characters that fold oddly."""
    pieces = []
    for _ in range(words):
        pool = draw(st.sampled_from(pools))
        token = draw(st.sampled_from(pool))
        if draw(st.integers(0, 8)) == 0:
            token = token.upper() if draw(st.booleans()) else token.capitalize()
        if draw(st.integers(0, 14)) == 0:
            cut = draw(st.integers(0, len(token)))
            token = token[:cut] + draw(st.sampled_from(ODD)) + token[cut:]
        pieces.append(token)
        pieces.append(draw(st.sampled_from(separators)))
    return "".join(pieces)


def edited(quote: str, draw: st.DrawFn) -> str:
    """A quote changed the ways statements change quotes."""
    words = quote.split()
    change = draw(st.integers(0, 6))
    at = draw(st.integers(0, max(0, len(words) - 1)))
    if change == 0 and len(words) > 3:
        del words[at : at + draw(st.integers(1, 3))]  # words left out
    elif change == 1:
        words.insert(at, "not")  # a negation put in
    elif change == 2 and words:
        words[at] = words[at][::-1]  # a word misspelt
    elif change == 3 and len(words) > 2:
        words[at], words[-1] = words[-1], words[at]  # words swapped
    elif change == 4:
        words.insert(at, draw(st.sampled_from(RARE + CONTENT)))  # a word put in
    elif change == 5 and words:
        words[at] = "42" if not words[at].isdigit() else "43"  # a changed figure
    return " ".join(words)


@st.composite
def source_and_quote(draw: st.DrawFn, separators: list[str] = SEPARATORS) -> tuple[str, str, str]:
    """A source and a quote: a run of it, edited; or a run of another text (absent, or made
    of words the source has elsewhere); the passage sometimes repeated (ties)."""
    source = draw(prose(draw(st.integers(40, 300)), separators))
    kind = draw(st.sampled_from(["edited", "edited", "absent", "exact", "stitched"]))
    if kind == "absent":
        quote = draw(prose(draw(st.integers(4, 30)), separators))
    elif kind == "stitched":  # two runs of the source, far apart, one of them edited
        cut = draw(st.integers(1, len(source) - 1))
        first, second = (
            source[start : start + draw(st.integers(1, 150))]
            for start in (draw(st.integers(0, cut - 1)), draw(st.integers(cut, len(source) - 1)))
        )
        quote = first + " " + (edited(second, draw) if draw(st.booleans()) else second)
    else:
        start = draw(st.integers(0, len(source) - 1))
        end = draw(st.integers(start + 1, min(len(source), start + 300)))
        quote = source[start:end]
        if draw(st.booleans()):
            source = source + " " + draw(prose(draw(st.integers(0, 200)), separators)) + " " + quote
        if kind == "edited":
            quote = edited(quote, draw)
    if draw(st.integers(0, 3)) == 0:  # text without ASCII letters around it
        around = prose(draw(st.integers(1, 80)), separators, (FOREIGN,))
        source = draw(around) + " " + source + " " + draw(around)
    return source, quote, kind


@pytest.fixture(autouse=True, scope="module")
def windows_at_every_size() -> Iterator[None]:
    """Windows for small sources too, however much of them they hold: below those limits the
    one-quote path takes the whole-text way only because it is cheaper there (the argument for
    the windows does not depend on them), and the small texts here must exercise them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_windows, "_SMALL", 0)
        patch.setattr(_windows, "_SHARE", float("inf"))
        yield


def whole_text(quote: str, source: str) -> Evidence:
    """The whole-text path: an index whose normalised text is made."""
    index = SourceIndex(source)
    _ = index.normalized
    return match_quote(quote, source, index=index)


def first_quote(quote: str, source: str) -> tuple[Evidence, bool]:
    """The one-quote path, and whether it normalised the whole text."""
    index = SourceIndex(source)
    evidence = match_quote(quote, source, index=index)
    return evidence, index.has_normalized


def check(case: tuple[str, str, str]) -> None:
    source, quote, kind = case
    if not any(char.isalnum() for char in quote):
        return  # a quote with no words is an error either way
    evidence, normalised = first_quote(quote, source)
    event(f"{kind}: {'whole text' if normalised else 'windows'}")
    assert evidence == whole_text(quote, source)


@settings(max_examples=150, deadline=None)
@given(source_and_quote())
def test_a_quote_in_windows_gives_the_evidence_of_the_whole_text_path(
    case: tuple[str, str, str],
) -> None:
    check(case)


@settings(max_examples=150, deadline=None)
@given(source_and_quote(PLAIN))
def test_a_plain_quote_in_windows_gives_the_evidence_of_the_whole_text_path(
    case: tuple[str, str, str],
) -> None:
    check(case)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(source_and_quote())
def test_many_quotes_in_windows_give_the_evidence_of_the_whole_text_path(
    case: tuple[str, str, str],
) -> None:
    check(case)


PADDING = (
    "The council met again on Tuesday and the minister spoke about the budget for schools. "
    "Officials said that the plan would be reviewed by the court in the coming weeks. "
)
PASSAGE = (
    "Broussard told the Jenkins inquiry that 189 families had returned from the Syria camps "
    "after the review of their permits."
)


def test_an_edited_quote_is_located_without_normalising_the_whole_text() -> None:
    source = PADDING * 60 + PASSAGE + " " + PADDING * 60
    quote = (
        "Broussard told the Jenkins inquiry that 198 families returned from the Syria camps "
        "after a review of the permits."
    )
    evidence, normalised = first_quote(quote, source)
    assert evidence.status is Status.DRIFTED
    assert not normalised
    assert evidence == whole_text(quote, source)


def test_the_first_of_two_equal_passages_is_reported() -> None:
    source = PADDING * 20 + PASSAGE + " " + PADDING * 40 + PASSAGE + " " + PADDING * 5
    quote = "Broussard told the Jenkins inquiry that 198 families had returned from the Syria"
    evidence, normalised = first_quote(quote, source)
    assert not normalised
    assert evidence == whole_text(quote, source)
    assert evidence.span is not None
    assert evidence.span[0] < len(source) // 2


def test_a_seed_spelt_with_a_ligature_is_found() -> None:
    # "ﬁnal" is the canonical "final": found only through the ligature's run
    source = (
        PADDING * 30 + "The \ufb01nal Broussard report on Syria camps was published. " + PADDING
    )
    quote = "The final Broussard report on the Syria camps was published"
    evidence, _ = first_quote(quote, source)
    assert evidence.status is not Status.BROKEN
    assert evidence == whole_text(quote, source)


def test_citation_marks_near_the_passage_give_the_same_evidence() -> None:
    source = PADDING * 30 + PASSAGE.replace("returned", "returned[12]") + "[3] " + PADDING * 30
    quote = PASSAGE.replace("189", "198")
    evidence, _ = first_quote(quote, source)
    assert evidence == whole_text(quote, source)


def test_an_absent_quote_is_found_absent_without_normalising_the_whole_text() -> None:
    source = PADDING * 80 + PASSAGE + " " + PADDING * 80
    quote = "The harbour authority said the ferries to Bornholm would resume their winter timetable"
    evidence, normalised = first_quote(quote, source)
    assert evidence.status is Status.BROKEN
    assert not normalised
    assert evidence == whole_text(quote, source)


def test_a_quote_made_of_two_passages_is_located_in_windows() -> None:
    # two verbatim passages far apart: the stitched-quote searches look for the quote's tail and
    # the rest in the whole text, and both hold a rare word: in windows around its places
    first = "Broussard told the Jenkins inquiry that the camps were full"
    second = "the minister promised a new review of every permit in Syria"
    source = PADDING * 20 + first + ". " + PADDING * 20 + second + ". " + PADDING * 5
    quote = first + " and " + second
    evidence, normalised = first_quote(quote, source)
    assert evidence == whole_text(quote, source)
    assert not normalised


def test_small_sources_take_the_whole_text_path() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_windows, "_SMALL", 48_000)
        source = PADDING * 60 + PASSAGE + " " + PADDING * 60
        quote = PASSAGE.replace("189", "198")
        evidence, normalised = first_quote(quote, source)
        assert normalised
        assert evidence == whole_text(quote, source)


def characters(ranges: str) -> list[str]:
    """The characters of a regular expression class's ranges ("a-z0")."""
    return [
        chr(code)
        for low, high, alone in re.findall(r"(.)-(.)|(.)", ranges)
        for code in (range(ord(low), ord(high) + 1) if low else [ord(alone)])
    ]


def test_the_characters_skipped_when_looking_for_unsafe_ones_are_safe() -> None:
    chars = characters(_quick.NEVER_UNSAFE)
    assert len(chars) > 30_000
    assert not [char for char in chars if _quick._folds_unsafely(char)]


def test_the_letters_counted_for_room_never_vanish() -> None:
    # the windows' room is counted by runs holding one of these: each must make a token
    chars = characters(_windows.LASTING)
    assert len(chars) > 30_000
    tokens = normalize("x " + " ".join(chars) + " y").tokens
    assert len(tokens) == len(chars) + 2
    assert all(any(char.isalnum() for char in token) for token in tokens)


DECOMPOSED = ["Le café a fermé hier.", "Un café a fermé.", "café fermé", "a café near Odense"]


@pytest.mark.parametrize("quote", DECOMPOSED)
def test_letters_decomposed_in_the_source_are_found(quote: str) -> None:
    # "cafe\u0301" is the canonical "café": its ASCII letters "caf" stand before an "e" there
    # (the windows missed it: the quote was found absent where the whole text has it drifted)
    passage = unicodedata.normalize("NFD", "Le café a fermé.")
    source = PADDING * 300 + passage + " " + PADDING * 300
    evidence, normalised = first_quote(quote, source)
    assert not normalised
    assert evidence == whole_text(quote, source)


def old_token_places(word: bytes, lowered: bytes) -> list[int]:
    """The places ``_windows._token_places`` finds, by the definition: every occurrence of
    ``word`` in ``lowered`` with no ASCII letter or digit before it, and none after it but a
    letter a combining mark follows (the one-by-one scan it replaced)."""
    places = []
    at = lowered.find(word)
    while at >= 0:
        end = at + len(word)
        before = lowered[at - 1] if at else 32
        after = lowered[end] if end < len(lowered) else 32
        if before not in _windows._ALNUM and (
            after not in _windows._ALNUM or _windows._composes(lowered, end + 1)
        ):
            places.append(at)
        at = lowered.find(word, at + 1)
    return places


WORDS = ["s", "us", "u", "the", "men", "caf", "189", "e", "women", "broussard"]
LETTERS = ["U.S.", "u.s", "US", "it’s", "women", "cafe\u0301", "café", "189", "1,189", "e\u0301"]
LETTERS += ["Broussard", "broussards", "xbroussard", "Broussard\u0301s", "WOMEN", "womens"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(LETTERS + COMMON + ODD + ["men", "S", "s", "(s)"]), min_size=1, max_size=60
    ),
    st.lists(st.sampled_from([*SEPARATORS, "", "-", "\u0301"]), min_size=60, max_size=60),
    st.sampled_from(WORDS),
)
def test_a_words_places_are_every_place_it_stands_alone(
    pieces: list[str], separators: list[str], word: str
) -> None:
    text = "".join(piece + separator for piece, separator in zip(pieces, separators, strict=False))
    raw = _quick.RawSource(text)
    expected = old_token_places(word.encode(), raw.lowered)
    for found in (
        _windows._token_places(word.encode(), raw, float("inf")),
        _windows._isolated_places(word.encode(), raw, float("inf")),
    ):
        assert found is not None
        assert found[0] == expected


@settings(max_examples=300, deadline=None)
@given(prose(80, SEPARATORS, (COMMON, RARE, LETTERS)), st.sampled_from([*WORDS, "it's", "1,189"]))
def test_a_lower_bound_of_a_count_is_never_above_it(text: str, seed: str) -> None:
    # an uncovered seed is counted at this bound: above its true count, it could leave a voter
    # out of the stand-in that votes in the whole text
    piece = max(_windows._PIECE.findall(seed), key=len)
    bound = _windows._lower_bound(seed, piece, _quick.RawSource(text), 10**9)
    assert bound <= normalize(text).tokens.count(seed)


def us_page(copies: int) -> str:
    """Prose where "s" (the canonical token of the last letter of "U.S.") is a token some
    dozens of times and a letter within words thousands of times."""
    news = (
        "The U.S. officials said the sanctions were set to stay. Sources close to the "
        "U.S. delegation said its members were sceptical. "
    )
    return (PADDING + news) * copies


def test_an_edited_quote_with_a_common_one_letter_word_is_located_in_windows() -> None:
    # "U.S." makes the seed "s", whose letter is everywhere within words: it is shown to be
    # commoner than the voters by normalising the runs where it stands alone
    source = us_page(80) + PASSAGE.replace("Syria", "U.S.") + " " + us_page(80)
    quote = (
        "Broussard told the Jenkins inquiry that 198 families returned from the U.S. camps "
        "after a review of the permits."
    )
    evidence, normalised = first_quote(quote, source)
    assert not normalised
    assert evidence == whole_text(quote, source)


QUOTED = (
    'Broussard told the Jenkins inquiry that "189 families had returned" from the Syria camps '
    'after "the review of their permits."'
)


def test_a_quote_with_quoted_parts_whose_framing_is_the_sources_is_located_in_windows() -> None:
    source = PADDING * 60 + QUOTED + " " + PADDING * 60
    quote = QUOTED.replace("189", "198")
    evidence, normalised = first_quote(quote, source)
    assert evidence.status is Status.DRIFTED
    assert not normalised
    assert evidence == whole_text(quote, source)


def test_a_quote_with_quoted_parts_and_framing_of_its_own_takes_the_whole_text_path() -> None:
    # the writer's words between the parts are not in the source: the parts are looked for on
    # their own, in the whole text
    source = PADDING * 60 + QUOTED + " " + PADDING * 60
    quote = 'He said "189 families had returned" and that "the review of their permits" ended.'
    evidence, normalised = first_quote(quote, source)
    assert normalised
    assert evidence == whole_text(quote, source)


def test_the_characters_skipped_when_looking_for_combining_marks_are_none() -> None:
    # RawSource.composing looks for combining marks among the characters left when these are
    # skipped: a mark among them would hide a letter it composes with
    assert not [c for c in characters(_quick.NEVER_UNSAFE) if unicodedata.category(c)[0] == "M"]


def test_a_quote_stitched_from_two_edited_passages_is_located_in_windows() -> None:
    # the best passage leaves the quote's tail unmatched, and the tail is a passage further on:
    # both the tail and the rest hold a rare word, so every place they could be is in a window
    first = "Broussard told the Jenkins inquiry that 189 families had returned from the camps"
    second = "the minister promised a new review of every permit issued in Denmark last year"
    source = PADDING * 20 + first + ". " + PADDING * 20 + second + ". " + PADDING * 5
    quote = first.replace("189", "198") + " and " + second.replace("every", "each")
    evidence, normalised = first_quote(quote, source)
    assert evidence == whole_text(quote, source)
    assert evidence.reason.value == "stitched-quote"
    assert not normalised


# combining marks, and characters whose UTF-8 starts with the same byte as some mark's (Greek
# after U+0300-U+036F, Devanagari letters and signs, fullwidth forms and a variation selector)
MARKED = ["\u0301", "\u0323", "\u036f", "\u0370", "\u03b1", "\u0915", "\u093e", "\uff21", "\ufe0f"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*MARKED, "a", "Z", "9", " ", "é", "’", "-"]), max_size=40))
def test_the_letters_a_combining_mark_follows_are_all_found(chars: list[str]) -> None:
    text = "".join(chars)
    data = text.encode("utf-8")
    expected = [
        len(text[:at].encode("utf-8")) - 1
        for at, char in enumerate(text)
        if at and unicodedata.category(char)[0] == "M" and text[at - 1] in "aZ9"
    ]
    assert _quick._composing(data, _quick._unusual(data)) == expected
