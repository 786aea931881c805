"""ClaimReview (schema.org JSON-LD) export: structure, the rating scale, options, safe embedding.

Internals tested directly (private modules): the rating scale
(``claimcheck.reports._claimreview``)."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    Reason,
    Report,
    Snapshot,
    Source,
    Statement,
    Status,
    Verdict,
)
from claimcheck.reports import claimreview_script, dumps_claimreview, to_claimreview
from claimcheck.reports._claimreview import (
    BEST_RATING,
    DISPUTED_RATING,
    RATINGS,
    WORST_RATING,
    ClaimRating,
)

# The schema.org properties each type may carry here: every one checked against the vocabulary
# (a property of the type or of a supertype: ClaimReview < Review < CreativeWork < Thing,
# Claim < CreativeWork, Rating < Intangible < Thing, Organization < Thing).
PROPERTIES = {
    "ClaimReview": {
        "@context",
        "@type",
        "url",  # Thing
        "claimReviewed",  # ClaimReview
        "itemReviewed",  # Review
        "reviewRating",  # Review
        "citation",  # CreativeWork
        "author",  # CreativeWork
        "datePublished",  # CreativeWork
    },
    "Claim": {"@type", "datePublished", "appearance"},  # appearance: Claim
    "CreativeWork": {"@type", "url", "headline", "datePublished", "archivedAt"},
    "Rating": {
        "@type",
        "ratingValue",
        "bestRating",
        "worstRating",
        "alternateName",  # Thing
        "ratingExplanation",  # Rating
    },
    "Organization": {"@type", "name", "url"},
}


def assert_schema_org(node: Any) -> None:
    """Every object has a known @type and only the properties listed for it."""
    if isinstance(node, list):
        for item in node:
            assert_schema_org(item)
    elif isinstance(node, dict):
        assert node["@type"] in PROPERTIES, node
        assert set(node) <= PROPERTIES[node["@type"]], set(node) - PROPERTIES[node["@type"]]
        for value in node.values():
            assert_schema_org(value)


def test_the_worked_example(worked_example: Report) -> None:
    reviews = to_claimreview(
        worked_example,
        author="Example Fact Checks",
        author_url="https://checks.example.org/",
        url="https://checks.example.org/denmark-syria-2021",
        statement_url="https://example.org/statement",
    )
    assert_schema_org(reviews)
    decided = [r for r in worked_example.results if r.status in RATINGS]
    assert len(reviews) == len(decided) > 0
    assert all(r.status is not Status.UNCHECKED for r in decided)
    for review, result in zip(reviews, decided, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == result.claim.text
        assert review["url"] == f"https://checks.example.org/denmark-syria-2021#{result.claim.id}"
        assert review["itemReviewed"] == {
            "@type": "Claim",
            "datePublished": "2021-05-07",
            "appearance": {
                "@type": "CreativeWork",
                "url": "https://example.org/statement",
                "headline": "A joint statement rejects the Danish decision to withdraw the "
                "residency permits of Syrian refugees",
                "datePublished": "2021-05-07",
            },
        }
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["ratingValue"] == RATINGS[result.status].value
        if result.disputed:  # verified by one source, another says otherwise
            assert rating["alternateName"] == DISPUTED_RATING.name
            assert rating["ratingExplanation"] == f"{result.message}; disputed: {result.dispute}"
        else:
            assert rating["alternateName"] == RATINGS[result.status].name
            assert rating["ratingExplanation"] == result.message
        assert (rating["bestRating"], rating["worstRating"]) == (3, 1)
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Checks",
            "url": "https://checks.example.org/",
        }
        assert review["datePublished"] == worked_example.created.date().isoformat()
        web = [s.url for s in result.claim.sources if s.url.startswith("http")]
        assert [c["url"] for c in review.get("citation", [])] == list(dict.fromkeys(web))
    by_id = {r["url"].rpartition("#")[2]: r for r in reviews}
    assert by_id["canada-date"]["reviewRating"]["alternateName"] == "Differs from its source"
    assert by_id["departure-quote"]["reviewRating"]["ratingValue"] == 1  # its link is "#"
    assert "citation" not in by_id["departure-quote"]
    assert by_id["dutch-quote"]["reviewRating"]["alternateName"] == "Accurate to its source"
    assert "denied-date" not in by_id  # unchecked: no review
    assert json.loads(json.dumps(reviews)) == reviews


# --------------------------------------------------------------------------------------------
# The rating scale


def test_the_rating_table() -> None:
    assert set(RATINGS) == {Status.VERIFIED, Status.DRIFTED, Status.BROKEN}
    values = [RATINGS[s].value for s in (Status.BROKEN, Status.DRIFTED, Status.VERIFIED)]
    assert values == list(range(WORST_RATING, BEST_RATING + 1))
    assert RATINGS[Status.VERIFIED] == ClaimRating(3, "Accurate to its source")
    assert RATINGS[Status.DRIFTED] == ClaimRating(2, "Differs from its source")
    assert RATINGS[Status.BROKEN] == ClaimRating(
        1, "Unsupported: the citation leads to no evidence"
    )


def make_report(
    statuses: list[Status],
    *,
    statement: Statement | None = None,
    sources: list[Source] | None = None,
    created: dt.datetime | None = None,
    text: str = "the minister said so",
) -> Report:
    statement = statement or Statement(id="s", title="A statement", published=dt.date(2021, 5, 7))
    claims = tuple(
        Claim(
            ClaimKind.QUOTE,
            text,
            f"claim-{index}",
            sources=sources if sources is not None else [Source("https://example.org/page")],
        )
        for index, _ in enumerate(statuses)
    )
    claim_set = ClaimSet(statement, claims)
    results = []
    for claim, status in zip(claims, statuses, strict=True):
        reason = next(r for r in Reason if r.status is status)
        verdicts = tuple(Verdict(s, status, reason, "why") for s in claim.sources)
        results.append(ClaimResult(claim, claim_set, status, reason, f"{status} because", verdicts))
    kwargs = {"created": created} if created is not None else {}
    return Report(tuple(results), **kwargs)


def test_each_status_maps_to_its_rating() -> None:
    statuses = [Status.VERIFIED, Status.DRIFTED, Status.BROKEN, Status.UNCHECKED, Status.UNSOURCED]
    reviews = to_claimreview(make_report(statuses), url="https://checks.example.org/r")
    assert_schema_org(reviews)
    assert [(r["url"], r["reviewRating"]["ratingValue"]) for r in reviews] == [
        ("https://checks.example.org/r#claim-0", 3),
        ("https://checks.example.org/r#claim-1", 2),
        ("https://checks.example.org/r#claim-2", 1),
    ]
    assert [r["reviewRating"]["ratingExplanation"] for r in reviews] == [
        "verified because",
        "drifted because",
        "broken because",
    ]
    assert to_claimreview(make_report([Status.UNCHECKED, Status.UNSOURCED])) == []


# --------------------------------------------------------------------------------------------
# Options


def test_without_options() -> None:
    created = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    (review,) = to_claimreview(make_report([Status.DRIFTED], created=created))
    assert_schema_org(review)
    assert "url" not in review
    assert "author" not in review
    assert review["datePublished"] == "2026-03-05"  # the report's date, in UTC
    assert review["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "headline": "A statement",
        "datePublished": "2021-05-07",
    }


def test_options_are_respected() -> None:
    report = make_report([Status.VERIFIED, Status.BROKEN])
    reviews = to_claimreview(
        report,
        author="Checks",
        date_published=dt.date(2026, 1, 2),
        url="https://checks.example.org/page?x=1#old-fragment",
        statement_url="https://news.example.org/statement",
    )
    assert_schema_org(reviews)
    for index, review in enumerate(reviews):
        assert review["url"] == f"https://checks.example.org/page?x=1#claim-{index}"
        assert review["author"] == {"@type": "Organization", "name": "Checks"}
        assert review["datePublished"] == "2026-01-02"
        appearance = review["itemReviewed"]["appearance"]
        assert appearance["url"] == "https://news.example.org/statement"
    (only_url,) = to_claimreview(make_report([Status.BROKEN]), author_url="https://c.example/")
    assert only_url["author"] == {"@type": "Organization", "url": "https://c.example/"}


def test_statement_urls_by_statement_name() -> None:
    first = make_report([Status.VERIFIED], statement=Statement(id="first", title="First"))
    second = make_report([Status.DRIFTED], statement=Statement(id="second"))
    report = Report(first.results + second.results)
    mapping = {"first": "https://example.org/1", "other": "https://example.org/x"}
    one, two = to_claimreview(report, statement_url=mapping)
    assert one["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://example.org/1",
        "headline": "First",
    }
    assert "appearance" not in two["itemReviewed"]  # nothing is known of where it appeared
    assert "datePublished" not in two["itemReviewed"]


def test_claim_ids_are_encoded_in_the_fragment() -> None:
    report = make_report([Status.VERIFIED])
    claim = report.results[0].claim
    odd = Claim(claim.kind, claim.text, "quote 1/ä#x", sources=claim.sources)
    result = report.results[0]
    report = Report(
        (ClaimResult(odd, result.claim_set, result.status, result.reason, "m", result.verdicts),)
    )
    (review,) = to_claimreview(report, url="https://checks.example.org/r")
    assert review["url"] == "https://checks.example.org/r#quote%201%2F%C3%A4%23x"


def test_citations_are_the_web_sources() -> None:
    sources = [
        Source("#"),
        Source(""),
        Source("javascript:alert(1)"),
        Source("https://example.org/a b"),
        Source("https://example.org/a b"),
        Source("http://example.org/other"),
    ]
    report = make_report([Status.BROKEN], sources=sources)
    (review,) = to_claimreview(report)
    assert review["citation"] == [
        {"@type": "CreativeWork", "url": "https://example.org/a%20b"},
        {"@type": "CreativeWork", "url": "http://example.org/other"},
    ]


def test_an_archived_copy_is_archived_at() -> None:
    report = make_report([Status.BROKEN], sources=[Source("https://example.org/gone")])
    result = report.results[0]
    archived = Snapshot(
        url="https://example.org/gone",
        captured=dt.datetime(2021, 4, 1, tzinfo=dt.UTC),
        media_type="text/html",
        digest="sha256:" + "0" * 64,
        path="warc/x.warc.gz",
        length=0,
        archive_url="https://web.archive.org/web/20210401000000/https://example.org/gone",
    )
    verdict = Verdict(
        result.verdicts[0].source,
        Status.BROKEN,
        Reason.DEAD_LINK,
        "gone",
        archived_snapshot=archived,
        replacement=archived.archive_url,
    )
    report = Report(
        (
            ClaimResult(
                result.claim, result.claim_set, Status.BROKEN, Reason.DEAD_LINK, "gone", (verdict,)
            ),
        )
    )
    (review,) = to_claimreview(report)
    assert review["citation"] == [
        {
            "@type": "CreativeWork",
            "url": "https://example.org/gone",
            "archivedAt": "https://web.archive.org/web/20210401000000/https://example.org/gone",
        }
    ]
    assert_schema_org(review)


# --------------------------------------------------------------------------------------------
# Embedding in a page


class _Scripts(HTMLParser):
    """The contents of the script elements of a page, as a browser's tokenizer splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def embedded(page: str) -> list[str]:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser.scripts


HOSTILE = '</script><script>alert("x")</script> <!-- & &amp; <\u2028\u2029> \\u003c </SCRIPT'


def test_a_claim_cannot_break_out_of_the_script_block() -> None:
    reviews = to_claimreview(make_report([Status.DRIFTED], text=HOSTILE))
    text = dumps_claimreview(reviews)
    assert not any(char in text for char in "<>&\u2028\u2029")
    assert json.loads(text) == reviews
    script = claimreview_script(reviews)
    assert script.startswith('<script type="application/ld+json">\n')
    assert script.lower().count("</script") == 1
    page = f"<html><head>{script}</head><body><p>after</p></body></html>"
    (content,) = embedded(page)
    assert json.loads(content) == reviews
    assert json.loads(content)[0]["claimReviewed"] == HOSTILE


def test_one_review_embeds_as_an_object() -> None:
    (review,) = to_claimreview(make_report([Status.VERIFIED]))
    (content,) = embedded(claimreview_script(review))
    assert json.loads(content) == review
    assert json.loads(dumps_claimreview(review, indent=None)) == review


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1), title=st.text())
def test_any_text_embeds_safely(text: str, title: str) -> None:
    report = make_report(
        [Status.BROKEN], text=text, statement=Statement(id="s", title=title or None)
    )
    reviews = to_claimreview(report, author=text, url="https://checks.example.org/")
    assert json.loads(json.dumps(reviews)) == reviews
    script = claimreview_script(reviews)
    assert script.lower().count("</script") == 1
    assert "<!--" not in script
    (content,) = embedded(f"<body>{script}</body>")
    assert json.loads(content) == reviews
