"""Brackets the source prints itself, and a quote's leading omission mark (issue 15, items 2 and 3).

Sources print brackets ("a 45 min[ute] walk", citation marks "[1]", "[citation needed]", a Korean
byline "[엔터미디어=…]"): a verbatim quote of such text is the source's own words, not an editorial
insertion. A bracket the source does not print at that place is still an editorial insertion,
and what it says is still compared.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from claimcheck import Reason, Status
from claimcheck.matching import match_quote

WALK = "The hotel is a 45 min[ute] walk from the station, the brochure says."
COSTS = "Costs rose [by 0.6% to 0.7%] in Q3, the quarterly report said."
RIVER = "The Vltava is 430 km long.[1] It floods almost every spring.[2]"
BORN = "He was born in Lyon.[citation needed] He moved to Paris in 1990 to study law."
PANEL = "The panel found that [the agency] had ignored its own rules [emphasis added]."
SIC = "The sign read 'Pubic [sic] library closed on Sundays' for two weeks."
# The opening of a Korean page in the news corpus (entermedia, 2018-09-28): the byline is printed
# in brackets before the first sentence.
BYLINE = "[엔터미디어=소설가 박생강의 옆구리tv]"
KOREAN = (
    "‘그녀말’ 남상미 연기가 ‘숨바꼭질’ 이유리보다 돋보인 이유\n" + BYLINE + " "
    "주말 밤 9시 MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다. 현재 MBC는 이유리 주연의 "
    "<숨바꼭질>로 승부를 보고 있으며 SBS는 <그녀로 말할 것 같으면>이 종영을 앞두고 있다."
)
KOREAN_QUOTE = BYLINE + " 주말 밤 9시 MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다."


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("a 45 min[ute] walk from the station", WALK),
        ("Costs rose [by 0.6% to 0.7%] in Q3", COSTS),
        ("The Vltava is 430 km long.[1] It floods almost every spring.[2]", RIVER),
        ("430 km long.[1]", RIVER),
        ("He was born in Lyon.[citation needed] He moved to Paris in 1990", BORN),
        ("found that [the agency] had ignored its own rules [emphasis added]", PANEL),
        ("'Pubic [sic] library closed on Sundays'", SIC),
        (KOREAN_QUOTE, KOREAN),
    ],
)
def test_a_verbatim_quote_of_the_sources_own_brackets_is_exact(quote: str, source: str) -> None:
    """Before the fix: drifted (silent-omission, figure-changed) with explanations such as "the
    source says 'min[ute]' where the statement says 'min[ute]'", or verified as
    editorial-brackets with a passage that left the source's bracket out."""
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (Status.VERIFIED, Reason.EXACT), evidence
    assert evidence.passage is not None
    assert "[" in evidence.passage


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("The Vltava is 430 km long. It floods almost every spring.", RIVER),
        ("The Vltava is 430 km long\u00b9. It floods", RIVER),
        ("He was born in Lyon. He moved to Paris in 1990", BORN),
    ],
)
def test_a_quote_may_leave_out_the_sources_citation_marks(quote: str, source: str) -> None:
    """Like a superscript footnote mark, a bracketed citation mark is not part of what was said.
    Before the fix: drifted, figure-changed ("the statement leaves out '[1]'") or
    silent-omission ("the statement leaves out '[citation needed]'")."""
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (Status.VERIFIED, Reason.NORMALISED), evidence


def test_a_changed_figure_beside_a_citation_mark_is_still_drift() -> None:
    evidence = match_quote("The Vltava is 480 km long. It floods", RIVER)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
    (diff,) = evidence.material_differences
    assert (diff.source_words, diff.claim_words) == ("430", "480")


@pytest.mark.parametrize(
    ("quote", "source", "reason", "source_says", "statement_says"),
    [
        ("a 40 min[ute] walk from the station", WALK, Reason.FIGURE_CHANGED, "45", "40"),
        ("Costs rose [by 0.6% to 0.8%] in Q3", COSTS, Reason.FIGURE_CHANGED, "0.7", "0.8"),
        ("born in Lyon.[citation needed] He moved to Paris in 1991", BORN, None, "1990", "1991"),
        (
            "found that [the agency] had not ignored its own rules",
            PANEL,
            Reason.NEGATION,
            "",
            "not",
        ),
    ],
)
def test_a_change_beside_or_inside_the_sources_brackets_is_named_plainly(
    quote: str, source: str, reason: Reason | None, source_says: str, statement_says: str
) -> None:
    """Before the fix the bracket was a wildcard, and the explanation named the bracket's whole
    text ("the source says '[by' where the statement says '[by 0.6% to 0.8%] in Q3'")."""
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED, evidence
    if reason is not None:
        assert evidence.reason is reason, evidence
    (diff,) = evidence.material_differences
    assert (diff.source_words, diff.claim_words) == (source_says, statement_says), evidence


@pytest.mark.parametrize(
    ("quote", "source", "reason"),
    [
        # Editorial brackets the source does not print still stand for source words.
        ("[The minister] said the plan would fail", "He said the plan would fail.", None),
        ("[H]e said the plan would fail", "he said the plan would fail.", None),
        ("Officials denied [198] applications", "Officials denied 189 applications.", "drift"),
        # A source bracket kept, an editorial one added: each read for what it is.
        ("[It] is a 45 min[ute] walk from the station", WALK, None),
    ],
)
def test_editorial_brackets_are_still_insertions(
    quote: str, source: str, reason: str | None
) -> None:
    evidence = match_quote(quote, source)
    if reason is None:
        assert (evidence.status, evidence.reason) == (
            Status.VERIFIED,
            Reason.EDITORIAL_BRACKETS,
        ), evidence
    else:
        assert evidence.status is Status.DRIFTED, evidence


@pytest.mark.parametrize("mark", ["[…] ", "[...] ", "… ", "... ", ""])
@pytest.mark.parametrize(
    ("quote", "left_out", "reason"),
    [
        # The benchmark's Korean quote: the byline bracket kept, "주말 밤" silently left out.
        (
            BYLINE + " 9시 MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다.",
            "주말 밤",
            Reason.SILENT_OMISSION,
        ),
        (
            BYLINE + " MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다.",
            "주말 밤 9시",
            Reason.FIGURE_CHANGED,  # "9시" (9 o'clock) is among the words left out
        ),
        (
            "He was born in Lyon.[citation needed] He moved in 1990 to study law.",
            "to Paris",
            Reason.SILENT_OMISSION,
        ),
    ],
)
def test_a_leading_omission_mark_does_not_license_a_later_silent_omission(
    mark: str, quote: str, left_out: str, reason: Reason
) -> None:
    """The mark says words before the first quoted word are left out; the words missing after
    the source's own leading bracket are a silent omission. Before the fix the Korean quotes were
    verified (ellipsis, or editorial-brackets): the bracket was a wildcard at the quote's edge,
    standing for nothing, and the passage began after the words left out."""
    source = KOREAN if "엔터미디어" in quote else BORN
    evidence = match_quote(mark + quote, source)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, reason), evidence
    (diff,) = evidence.material_differences
    assert (diff.source_words, diff.claim_words) == (left_out, "")
    assert evidence.passage is not None
    assert "]" in evidence.passage


@pytest.mark.parametrize("mark", ["[…] ", "[...] ", "… "])
def test_a_leading_omission_mark_licenses_words_before_the_first_quoted_word(mark: str) -> None:
    quote = mark + "9시 MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다."
    evidence = match_quote(quote, KOREAN)
    assert (evidence.status, evidence.reason) == (Status.VERIFIED, Reason.ELLIPSIS), evidence


# -- property: any verbatim run of source words, brackets and parentheses included -------------

WORDS = (
    "the council said residents were moved to temporary homes after the flood of 2021 report "
    "minister court decision families 189 3.5 100,000 twenty-six Lyon Paris"
).split()
BRACKETED = [
    "[1]",
    "[12]",
    "[citation needed]",
    "[sic]",
    "min[ute]",
    "[T]he",
    "help[s]",
    "[the minister]",
    "[by 0.6%]",
    "(see above)",
    "(2019)",
    "[a]",
    "long.[3]",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", " — "]


@st.composite
def bracketed_prose(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(10, 60))):
        token = draw(
            st.sampled_from(BRACKETED) if draw(st.integers(0, 4)) == 0 else st.sampled_from(WORDS)
        )
        pieces.append(token)
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(pieces).strip()


BOUNDARY = re.compile(r"(?<=\s)(?=\S)|(?<=\S)(?=\s)")


@st.composite
def source_and_run(draw: st.DrawFn) -> tuple[str, str]:
    source = draw(bracketed_prose())
    bounds = sorted({0, len(source), *(m.start() for m in BOUNDARY.finditer(source))})
    start = draw(st.sampled_from(bounds[:-1]))
    end = draw(st.sampled_from([b for b in bounds if b > start]))
    quote = source[start:end]
    assume(re.search(r"\w", re.sub(r"\[(?:sic|citation needed)\]", "", quote)))  # see below
    return source, quote


@given(source_and_run())
def test_any_verbatim_run_of_source_words_with_brackets_is_verified(case: tuple[str, str]) -> None:
    """As ``test_any_verbatim_run_of_words_is_verified``, over text that prints brackets and
    parentheses itself (its words hold no negation, so no cut drops one). Runs that are only
    annotations ("[sic]") are left out: they have no words to look for (an input error)."""
    source, quote = case
    evidence = match_quote(quote, source)
    assert evidence.status is Status.VERIFIED, (quote, evidence.material_differences)
    assert evidence.reason in (Reason.EXACT, Reason.NORMALISED), (quote, evidence)
    assert evidence.span is not None
    assert source[evidence.span[0] : evidence.span[1]] == evidence.passage


CITATION_MARK = re.compile(r"\[(?:\d{1,3}|citation needed)\]")


@st.composite
def cited_prose(draw: st.DrawFn) -> str:
    """Text as an encyclopaedia prints it: citation marks glued after some words."""
    pieces = []
    for _ in range(draw(st.integers(10, 60))):
        token = draw(st.sampled_from(WORDS))
        if draw(st.integers(0, 5)) == 0:
            token += draw(st.sampled_from(["[1]", "[23]", "[citation needed]", "[4][5]"]))
        pieces.append(token)
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(pieces).strip()


@given(cited_prose(), st.data())
def test_a_verbatim_run_without_the_sources_citation_marks_is_verified(
    source: str, data: st.DataObject
) -> None:
    """A quote (of four words or more) leaves citation marks out, as it leaves out superscript
    footnote marks."""
    bounds = sorted({0, len(source), *(m.start() for m in BOUNDARY.finditer(source))})
    start = data.draw(st.sampled_from(bounds[:-1]))
    end = data.draw(st.sampled_from([b for b in bounds if b > start]))
    quote = CITATION_MARK.sub("", source[start:end])
    assume(len(re.findall(r"\w+", quote)) >= 4)
    assume(quote.count("[") == quote.count("]"))  # not cut inside a mark: "needed] the"
    evidence = match_quote(quote, source)
    assert evidence.status is Status.VERIFIED, (quote, evidence.material_differences)
