"""A host's captures in one CDX prefix query, read page by page by its resume keys
(:meth:`Wayback.listing`), against the fake Wayback Machine, whose answers follow the CDX server
(see its handler): what it prints, what the client sends back, where a listing cut short holds.

Internals tested directly (private modules): none."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit

import pytest

from claimcheck.errors import ArchiveError
from claimcheck.sources import ArchiveConfig, RateLimiter, Wayback
from fake_archive import FakeArchive

BODY = b"<html><body><p>Archived.</p></body></html>"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        for path in ("a", "b", "c"):
            for year in (2019, 2020):
                fake.add(f"https://example.org/news/{path}", f"{year}0301000000", BODY)
        fake.add("https://example.org/about", "20200301000000", BODY)
        fake.add("https://other.example.org/news/a", "20200301000000", BODY)
        fake.add("https://example.net/news/a", "20200301000000", BODY)
        yield fake


@pytest.fixture
def wayback(archive: FakeArchive) -> Iterator[Wayback]:
    config = ArchiveConfig(wayback=archive.base_url, allow_private_addresses=True)
    with Wayback(config, limiter=RateLimiter(60_000)) as client:
        yield client


def cdx(archive: FakeArchive, **params: str) -> str:
    query = urlencode(params)
    with urllib.request.urlopen(f"{archive.base_url}/cdx/search/cdx?{query}") as answer:
        return str(answer.read().decode())


def test_the_fake_prints_resume_keys_as_the_cdx_server_does(archive: FakeArchive) -> None:
    text = cdx(
        archive,
        url="example.org/news/",
        matchType="prefix",
        output="json",
        fl="urlkey,timestamp",
        limit="2",
        showResumeKey="true",
    )
    rows = json.loads(text)
    assert rows == [
        ["urlkey", "timestamp"],
        ["org,example)/news/a", "20190301000000"],
        ["org,example)/news/a", "20200301000000"],
        [],
        # URLEncoder.encode(urlkey + " " + incLastChar(timestamp))
        [quote_plus("org,example)/news/a 20200301000001")],
    ]
    assert text.endswith('],\n[],\n["org%2Cexample%29%2Fnews%2Fa+20200301000001"]]\n')
    plain = cdx(archive, url="example.org/news/*", limit="2", showResumeKey="true")
    assert plain.endswith("\n\norg%2Cexample%29%2Fnews%2Fa+20200301000001\n")
    # the key goes back as printed, percent-encoded once more as a parameter value
    rest = cdx(
        archive,
        url="example.org/news/*",
        fl="urlkey,timestamp",
        limit="2",
        showResumeKey="true",
        resumeKey="org%2Cexample%29%2Fnews%2Fa+20200301000001",
    )
    assert rest.splitlines()[:2] == [
        "org,example)/news/b 20190301000000",
        "org,example)/news/b 20200301000000",
    ]


def test_the_fake_answers_host_and_domain_queries(archive: FakeArchive) -> None:
    def keys(**params: str) -> set[str]:
        text = cdx(archive, fl="urlkey", **params)
        return set(text.split())

    assert keys(url="example.org", matchType="host") == {
        "org,example)/news/a",
        "org,example)/news/b",
        "org,example)/news/c",
        "org,example)/about",
    }
    assert "org,example,other)/news/a" in keys(url="*.example.org")
    assert "org,example,other)/news/a" not in keys(url="example.org/*")
    assert keys(url="example.org/news/", matchType="prefix", collapse="urlkey") == {
        "org,example)/news/a",
        "org,example)/news/b",
        "org,example)/news/c",
    }


def test_a_listing_reads_every_page_by_its_resume_keys(
    archive: FakeArchive, wayback: Wayback
) -> None:
    listing = wayback.listing("https://example.org/news/", page_size=2, max_pages=10)
    calls = archive.calls_to("/cdx/search/cdx")
    assert len(calls) == 4  # six rows, two a page; the third page full, so a fourth (empty)
    assert listing.below is None
    for path in ("a", "b", "c"):
        url = f"https://example.org/news/{path}"
        assert listing.covers(url)
        assert [c.timestamp.year for c in listing.of_url(url)] == [2019, 2020]
    assert listing.covers("https://example.org/news/never-archived")
    assert listing.of_url("https://example.org/news/never-archived") == []
    assert not listing.covers("https://example.org/about")  # outside the prefix
    sent = [parse_qs(urlsplit(call.path).query) for call in calls]
    assert all(query["matchType"] == ["prefix"] for query in sent)
    assert "resumeKey" not in sent[0]
    assert sent[1]["resumeKey"] == ["org%2Cexample%29%2Fnews%2Fa+20200301000001"]


def test_a_listing_cut_short_says_where_it_stops(archive: FakeArchive, wayback: Wayback) -> None:
    listing = wayback.listing("https://example.org/news/", page_size=3, max_pages=1)
    assert listing.below == "org,example)/news/b"  # the key of the last row read
    assert listing.covers("https://example.org/news/a")
    assert not listing.covers("https://example.org/news/b")  # its second row is on page two
    assert not listing.covers("https://example.org/news/c")
    assert len(listing.of_url("https://example.org/news/a")) == 2


def test_a_failing_listing_is_an_archive_error(archive: FakeArchive, wayback: Wayback) -> None:
    archive.listing_error = (504, "504 Gateway Time-out")
    with pytest.raises(ArchiveError, match="504"):
        wayback.listing("https://example.org/news/")
    assert wayback.nearest("https://example.org/news/a") is not None  # exact queries answer
