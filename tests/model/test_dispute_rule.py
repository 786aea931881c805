"""The disputed rule (:func:`claimcheck.model.disputing`): a verified claim is disputed when another
of its sources, read, says otherwise (a drifted verdict); a source that could not be read, or
that lacks the claim altogether, disputes nothing. The claim's status stays verified."""

from __future__ import annotations

import pytest

from claimcheck.model import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    Evidence,
    Flag,
    Reason,
    Report,
    Source,
    Statement,
    Status,
    Verdict,
    combine,
    dispute,
    disputing,
)

A, B, C = "https://a.example/report", "https://b.example/article", "https://c.example/page"

DRIFTED_REASONS = [
    reason
    for reason in Reason
    if reason.status is Status.DRIFTED and reason is not Reason.CONTENT_CHANGED
]
NOT_EVIDENCE = [reason for reason in Reason if reason.status in (Status.BROKEN, Status.UNCHECKED)]


def verdict(url: str, reason: Reason, found: str | None = None) -> Verdict:
    """A source's verdict with the evidence a read page gives (none for a page not read)."""
    read = reason.status in (Status.VERIFIED, Status.DRIFTED) or reason is Reason.NOT_FOUND
    evidence = (
        Evidence(reason.status, reason, f"{reason.value} explained", found=found) if read else None
    )
    return Verdict(Source(url), reason.status, reason, f"{reason.value} at {url}", evidence)


@pytest.mark.parametrize("reason", DRIFTED_REASONS, ids=str)
def test_a_drifted_source_disputes_a_verified_claim(reason: Reason) -> None:
    verdicts = (verdict(A, Reason.FIGURE_MATCH, "26"), verdict(B, reason, "17"))
    assert disputing(verdicts) == (verdicts[1],)
    assert combine(verdicts)[0] is Status.VERIFIED  # the status stays verified
    assert dispute(verdicts) == f"verified by {A}; {B} says '17' ({reason.value})"


def content_changed(live: Evidence) -> Verdict:
    """A source whose copy "as cited" has the claim and whose live page is ``live``."""
    archived = Evidence(Status.VERIFIED, Reason.EXACT, "word for word")
    return Verdict(
        Source(B),
        Status.DRIFTED,
        Reason.CONTENT_CHANGED,
        "the archived copy has the claim; the live page no longer does",
        live,
        archived_evidence=archived,
    )


def test_a_live_page_that_now_says_otherwise_disputes() -> None:
    live = Evidence(Status.DRIFTED, Reason.FIGURE_CHANGED, "17, not 26", found="17")
    verdicts = (verdict(A, Reason.FIGURE_MATCH, "26"), content_changed(live))
    assert disputing(verdicts) == (verdicts[1],)
    assert dispute(verdicts) == f"verified by {A}; {B} now says '17' (content-changed)"


def test_a_live_page_that_merely_lost_the_passage_disputes_nothing() -> None:
    """Its copy "as cited" supports the claim; the live page has nothing resembling it: no
    other figure, date or wording, as for any ``not-found``."""
    live = Evidence(Status.BROKEN, Reason.NOT_FOUND, "nothing resembling the claim")
    verdicts = (verdict(A, Reason.EXACT), content_changed(live))
    assert disputing(verdicts) == ()
    assert dispute(verdicts) is None


@pytest.mark.parametrize("reason", NOT_EVIDENCE, ids=str)
def test_a_source_not_read_or_without_the_claim_disputes_nothing(reason: Reason) -> None:
    verdicts = (verdict(A, Reason.EXACT), verdict(B, reason))
    assert disputing(verdicts) == ()
    assert dispute(verdicts) is None


def test_drifted_sources_without_a_verifying_one_are_no_dispute() -> None:
    """The claim is drifted then, and its status says so already."""
    verdicts = (
        verdict(A, Reason.FIGURE_CHANGED, "17"),
        verdict(B, Reason.DATE_MISMATCH, "1952"),
        verdict(C, Reason.DEAD_LINK),
    )
    assert disputing(verdicts) == ()
    assert dispute(verdicts) is None


def test_sources_that_all_verify_are_no_dispute() -> None:
    verdicts = (
        verdict(A, Reason.EXACT),
        verdict(B, Reason.NORMALISED),
        verdict(C, Reason.NO_SNAPSHOT),
    )
    assert disputing(verdicts) == ()


def test_every_disputing_source_is_named_with_what_it_says() -> None:
    """Several sources on each side; a source with no value found is named with its verdict's
    own words."""
    verdicts = (
        verdict(A, Reason.DATE_MATCH, "1951"),
        verdict(B, Reason.DATE_MISMATCH, "2 July 1952"),
        verdict(C, Reason.QUOTE_EDITED),
        verdict("https://d.example/", Reason.DATE_MATCH, "1951"),
        verdict("https://e.example/", Reason.DEAD_LINK),
    )
    assert disputing(verdicts) == verdicts[1:3]
    assert dispute(verdicts) == (
        f"verified by {A} and https://d.example/; {B} says '2 July 1952' (date-mismatch); "
        f"{C} differs: quote-edited explained (quote-edited)"
    )


def result(*verdicts: Verdict) -> ClaimResult:
    status, deciding = combine(verdicts)
    assert deciding is not None
    claim = Claim(ClaimKind.FIGURE, "26 States", id="states")
    claim_set = ClaimSet(Statement(id="s"), (claim,))
    return ClaimResult(
        claim, claim_set, status, deciding.reason, deciding.message, verdicts, dispute(verdicts)
    )


def test_a_claim_result_made_without_a_dispute_is_not_disputed() -> None:
    """Code that builds a result the old way (no ``dispute``) keeps working."""
    verdicts = (verdict(A, Reason.EXACT),)
    claim = Claim(ClaimKind.QUOTE, "words")
    made = ClaimResult(
        claim, ClaimSet(Statement(), (claim,)), Status.VERIFIED, Reason.EXACT, "ok", verdicts
    )
    assert made.dispute is None
    assert not made.disputed


def test_fail_on_disputed_fails_only_the_disputed_claims() -> None:
    disputed = result(
        verdict(A, Reason.FIGURE_MATCH, "26"), verdict(B, Reason.FIGURE_CHANGED, "17")
    )
    undisputed = result(verdict(A, Reason.FIGURE_MATCH, "26"), verdict(B, Reason.HTTP_404))
    assert disputed.disputed
    assert disputed.status is Status.VERIFIED
    assert not undisputed.disputed
    report = Report((disputed, undisputed))
    assert report.disputed == (disputed,)
    assert report.failing({Flag.DISPUTED}) == [disputed]
    assert report.failing({Status.DRIFTED, Status.BROKEN}) == []
    assert report.failing({Status.VERIFIED}) == [disputed, undisputed]
    assert report.summary["verified"] == 2  # a disputed claim counts as verified


def test_the_notebook_display_and_the_table_show_the_dispute() -> None:
    disputed = result(
        verdict(A, Reason.FIGURE_MATCH, "26"), verdict(B, Reason.FIGURE_CHANGED, "17")
    )
    report = Report((disputed,))
    html = report._repr_html_()
    assert "disputed" in html
    assert f"{B} says &#x27;17&#x27;" in html
    assert "1 disputed" in html
    rows = report.rows()
    assert {row["disputed"] for row in rows} == {True}
    assert {row["dispute"] for row in rows} == {disputed.dispute}
