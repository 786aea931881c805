"""Quote matching: locate, then classify from the word-level edit script."""

from __future__ import annotations

import pytest

from claimcheck import Claim, InvalidClaimError, Reason, Status
from claimcheck.documents import Text, text_from_string
from claimcheck.matching import decode_references, match_claim, match_quote
from claimcheck.model import DiffKind

SOURCE = (
    "Yet, in stark contrast, since 2019, Denmark has been declaring parts of Syria “safe” and "
    "recently embarked on an egregious campaign of revoking or denying extensions of temporary "
    "residence permits granted to Syrians. Last month, it denied applications to around 189 "
    "Syrians who had found refuge there and thought they had settled into a stable and secure "
    "future. Approximately 500 other Syrians in Denmark await a similar fate. Although Denmark "
    "cannot deport individuals who refuse to return, those who have lost their temporary "
    "residency status can be forced to reside in so-called return centers, separated from their "
    "families, and can lose their cash allowance “if they do not co-operate on their "
    "departure.” The minister said that the government will review the decision in October 2021."
)


def check(quote: str, source: str = SOURCE) -> tuple[Status, Reason]:
    evidence = match_quote(quote, source)
    assert evidence.reason.status is evidence.status
    return evidence.status, evidence.reason


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        ("it denied applications to around 189 Syrians who had found refuge there", Reason.EXACT),
        ("“it denied applications to around 189 Syrians”", Reason.EXACT),
        ("IT DENIED APPLICATIONS to around 189 syrians", Reason.NORMALISED),
        ('declaring parts of Syria "safe"', Reason.NORMALISED),
        ("if they do not co‐operate on their departure.", Reason.NORMALISED),
        ("if they do not cooperate on their departure", Reason.NORMALISED),
        ("if they don't co-operate", None),  # contraction: a different word, see below
        ("Last month, it denied applications ... who had found refuge there", Reason.ELLIPSIS),
        ("Last month, it denied applications […] who had found refuge there", Reason.ELLIPSIS),
        ("Last month, it denied applications [...] who had found refuge there", Reason.ELLIPSIS),
        ("…around 189 Syrians who had found refuge there…", Reason.ELLIPSIS),
        (
            "Last month, [Denmark] denied applications to around 189 Syrians",
            Reason.EDITORIAL_BRACKETS,
        ),
        ("[L]ast month, it denied applications to around 189 Syrians", Reason.EDITORIAL_BRACKETS),
        ("it denied applications [sic] to around 189 Syrians", Reason.EDITORIAL_BRACKETS),
        (
            "those who have lost their temporary residency status [emphasis added]",
            Reason.EDITORIAL_BRACKETS,
        ),
        (
            "The minister said that [the Danish government] will review the decision",
            Reason.EDITORIAL_BRACKETS,
        ),
    ],
)
def test_verified(quote: str, reason: Reason | None) -> None:
    status, got = check(quote)
    if reason is None:
        assert status is not Status.VERIFIED  # "don't" is not "do not" verbatim
    else:
        assert (status, got) == (Status.VERIFIED, reason)


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        (
            "it denied applications to around 198 Syrians who had found refuge there",
            Reason.FIGURE_CHANGED,
        ),
        (
            "it denied applications to around 1,890 Syrians who had found refuge",
            Reason.FIGURE_CHANGED,
        ),
        ("Approximately 5000 other Syrians in Denmark await a similar fate", Reason.FIGURE_CHANGED),
        ("it denied applications to around 189 Syrians who had not found refuge", Reason.NEGATION),
        ("Denmark can deport individuals who refuse to return", Reason.NEGATION),
        ("if they do co-operate on their departure", Reason.NEGATION),
        ("it denied applications to 189 Syrians who had found refuge there", Reason.HEDGE_CHANGED),
        (
            "it denied applications to more than 189 Syrians who had found refuge",
            Reason.HEDGE_CHANGED,
        ),
        ("500 other Syrians in Denmark await a similar fate", Reason.HEDGE_CHANGED),
        ("will review the decision in November 2021", Reason.DATE_MISMATCH),
        ("will review the decision in October 2022", Reason.DATE_MISMATCH),
        ("since 2018, Denmark has been declaring parts of Syria “safe”", Reason.DATE_MISMATCH),
        (
            "it denied applications to around 189 Syrians who had found shelter there",
            Reason.QUOTE_EDITED,
        ),
        ("it denied visas to around 189 Syrians who had found refuge there", Reason.QUOTE_EDITED),
        (
            "it denied applications to around 189 Syrians who had found refuge there and safety",
            Reason.QUOTE_EDITED,
        ),
        (
            "it denied applications to around 189 Syrians who had refuge there",
            Reason.SILENT_OMISSION,
        ),
        (
            "those who have lost their status can be forced to reside in so-called return centers",
            Reason.SILENT_OMISSION,
        ),
        (
            "Last month, it denied applications to around 189 Syrians. Although Denmark cannot "
            "deport individuals who refuse to return",
            Reason.STITCHED_QUOTE,
        ),
        (
            "Approximately 500 other Syrians in Denmark await a similar fate ... Last month, it "
            "denied applications to around 189 Syrians",
            Reason.STITCHED_QUOTE,  # elided fragments out of order
        ),
    ],
)
def test_drifted(quote: str, reason: Reason) -> None:
    assert check(quote) == (Status.DRIFTED, reason)


@pytest.mark.parametrize(
    "quote",
    [
        "The quick brown fox jumps over the lazy dog by the river bank",
        "Refugees in Sweden were granted permanent residence after five years",
        "women",  # "men" is no part of "women": whole tokens only
    ],
)
def test_absent(quote: str) -> None:
    assert check(quote) == (Status.BROKEN, Reason.NOT_FOUND)


def test_whole_tokens_only() -> None:
    assert check("men", "Women and children first.") == (Status.BROKEN, Reason.NOT_FOUND)
    assert check("children", "Women and children first.")[0] is Status.VERIFIED


def test_evidence_reports_the_passage_in_the_original_text() -> None:
    evidence = match_quote("it denied applications to around 198 Syrians", SOURCE)
    assert evidence.span is not None
    assert SOURCE[evidence.span[0] : evidence.span[1]] == evidence.passage
    assert evidence.passage == "it denied applications to around 189 Syrians"
    (diff,) = evidence.material_differences
    assert diff.kind is DiffKind.NUMBER
    assert (diff.claim_words, diff.source_words) == ("198", "189")
    assert SOURCE[diff.source_span[0] : diff.source_span[1]] == "189"
    assert evidence.found == "189"
    assert "189" in evidence.explanation
    assert "198" in evidence.explanation


def test_typographic_differences_are_listed_as_cosmetic() -> None:
    evidence = match_quote("if they do not cooperate on their departure", SOURCE)
    assert evidence.status is Status.VERIFIED
    assert [diff.kind for diff in evidence.differences] == [DiffKind.COSMETIC]


def test_score_is_informative_only() -> None:
    # One changed digit still scores in the high 90s; the status comes from the edit script.
    evidence = match_quote(
        "Last month, it denied applications to around 188 Syrians who had found refuge there",
        SOURCE,
    )
    assert evidence.score > 95
    assert evidence.status is Status.DRIFTED


def test_quote_with_no_words_is_an_input_error() -> None:
    with pytest.raises(InvalidClaimError):
        match_quote(" … [sic] ", SOURCE)
    with pytest.raises(ValueError, match="no words"):
        match_quote("", SOURCE)


def test_unreadable_source_is_not_absent() -> None:
    empty = Text("", "application/pdf", unreadable="no-text-layer")
    evidence = match_quote("anything at all", empty)
    assert (evidence.status, evidence.reason) == (Status.BROKEN, Reason.UNREADABLE_SOURCE)
    assert "no-text-layer" in evidence.explanation


def test_other_languages() -> None:
    danish = "Udlændingestyrelsen har ikke forlænget opholdstilladelsen for 189 syrere i marts."
    assert check("har ikke forlænget opholdstilladelsen for 189 syrere", danish) == (
        Status.VERIFIED,
        Reason.EXACT,
    )
    assert check("har forlænget opholdstilladelsen for 189 syrere", danish) == (
        Status.DRIFTED,
        Reason.NEGATION,
    )
    arabic = "قال الوزير إن ١٨٩ لاجئا لم يحصلوا على تصاريح الإقامة"
    assert check("إن 189 لاجئا لم يحصلوا على تصاريح", arabic)[0] is Status.VERIFIED
    assert check("إن 198 لاجئا لم يحصلوا على تصاريح", arabic) == (
        Status.DRIFTED,
        Reason.FIGURE_CHANGED,
    )


def test_character_references_in_a_claim_stand_for_their_characters() -> None:
    """A claim copied from an HTML statement keeps ``&rsquo;``, ``&nbsp;``: it claims the
    characters, so a true quote, figure and date still verify; an incomplete reference is text."""

    source = text_from_string(
        "The minister said Denmark’s decision is final, on 5 May 2021: about 1 200 refugees."
    )
    quote = Claim("quote", "Denmark&rsquo;s decision is final")
    assert match_claim(quote, source).status is Status.VERIFIED
    date = Claim("date", "on 5&nbsp;May&#160;2021", value="2021-05-05")
    assert match_claim(date, source).status is Status.VERIFIED
    figure = Claim("figure", "about 1&nbsp;200 refugees")
    assert match_claim(figure, source).status is Status.VERIFIED
    changed = Claim("quote", "Denmark&rsquo;s decision is not final")
    assert match_claim(changed, source).status is Status.DRIFTED
    assert decode_references("AT&T &copy 2021 &amp; &#x2019;") == "AT&T &copy 2021 & \u2019"
