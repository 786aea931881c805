"""Redirect captures are captures: a URL the archive captured only as a redirect (http to https,
a moved article), or only as revisits of an earlier capture, has an archived copy "as cited",
and its redirects are followed within the archive to the capture they lead to.

The fake archive lists every capture in its CDX answers, 3xx rows and revisit rows
(``warc/revisit``, status ``-``) included, as the real CDX server does, and leaves out only
what the client's ``filter`` regex excludes (see ``fake_archive.py``).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from claimcheck.sources import Wayback, store_copy
from claimcheck.store import SnapshotStore
from fake_archive import FakeArchive
from support import local_wayback

CITED = "http://example.org/report"  # cited as http; the site moved to https, then the article
HTTPS = "https://example.org/report"
MOVED_TO = "https://example.org/news/2020/report.html"
PAGE = b"<html><body><p>The ministry denied applications to around 189 Syrians.</p></body></html>"
OTHER = b"<html><body><p>Weather news only: rain tomorrow.</p></body></html>"
MOVED = b"<html><body><h1>Moved Permanently</h1></body></html>"

STABLE = "https://example.org/stable"
WITHDRAWN = "https://example.org/withdrawn"
GONE = "https://example.org/gone-for-good"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        # The shape of the recorded epa.gov and energystar.gov answers (edgi cassettes
        # test_get_memento_follows_historical_redirects.yaml and
        # test_search_does_not_repeat_results.yaml): the http URL redirects to https, the https
        # URL to the article's new address, captured seconds to minutes apart.
        fake.add(HTTPS, "20200301000005", MOVED, status=301, headers=(("Location", MOVED_TO),))
        fake.add(CITED, "20200301000010", MOVED, status=301, headers=(("Location", HTTPS),))
        fake.add(MOVED_TO, "20200301000110", PAGE)
        # A page captured, then seen again unchanged (a revisit), then changed.
        fake.add(STABLE, "20180101000000", PAGE)
        fake.add(STABLE, "20200601000000", PAGE, revisit=True)
        fake.add(STABLE, "20200701000000", OTHER)
        # A redirect to a page the archive captured as a 404 (whose text happens to hold the
        # claim: a "not found" page listing popular articles).
        fake.add(WITHDRAWN, "20200401000000", MOVED, status=301, headers=(("Location", GONE),))
        fake.add(GONE, "20200401000100", b"<h1>Not found</h1>" + PAGE, status=404)
        yield fake


@pytest.fixture
def wayback(archive: FakeArchive) -> Iterator[Wayback]:
    with local_wayback(archive.base_url) as client:
        yield client


def cdx_rows(archive: FakeArchive, url: str, status_filter: str) -> list[list[str]]:
    """The fake CDX server's JSON rows for ``url`` under ``filter=statuscode:<status_filter>``."""
    query = urlencode({"url": url, "output": "json", "filter": f"statuscode:{status_filter}"})
    with urllib.request.urlopen(f"{archive.base_url}/cdx/search/cdx?{query}", timeout=5) as answer:
        text = answer.read().decode()
    rows: list[list[str]] = json.loads(text) if text.strip() else []
    return rows[1:]


def test_the_fake_cdx_server_lists_redirects_and_revisits_unless_filtered_out(
    archive: FakeArchive,
) -> None:
    # As the real one: every capture is a row; the filter is a whole-value regex (CDX server
    # README, "filter"), so "200" keeps only 200s and "[23]..|-" the 2xx, 3xx and revisits.
    assert cdx_rows(archive, CITED, "200") == []
    assert [row[4] for row in cdx_rows(archive, CITED, "[23]..|-")] == ["301", "301"]
    stable = cdx_rows(archive, STABLE, "[23]..|-")
    assert [(row[3], row[4]) for row in stable] == [
        ("text/html", "200"),
        ("warc/revisit", "-"),
        ("text/html", "200"),
    ]
    assert [row[4] for row in cdx_rows(archive, GONE, "[23]..|-")] == []  # the 404 is left out
    assert [row[4] for row in cdx_rows(archive, GONE, ".*")] == ["404"]


def test_a_url_captured_only_as_redirects_has_a_copy_as_cited(
    wayback: Wayback, archive: FakeArchive
) -> None:
    # Before: filter=statuscode:200 hid both captures, and the cited URL had "no capture".
    capture = wayback.nearest(CITED, date(2020, 3, 15))
    assert capture is not None
    assert capture.timestamp == datetime(2020, 3, 1, 0, 0, 10, tzinfo=UTC)
    assert (capture.url, capture.status) == (CITED, 301)
    for call in archive.calls_to("/cdx/search/cdx"):
        assert dict(call.query)["filter"] == "statuscode:[23]..|-"


def test_the_redirects_are_followed_to_the_final_capture(
    wayback: Wayback, archive: FakeArchive
) -> None:
    capture = wayback.nearest(CITED, date(2020, 3, 15))
    assert capture is not None
    copy = wayback.fetch(capture)
    assert copy.body == PAGE
    assert copy.capture.status == 200
    assert copy.capture.url == CITED  # still a copy of the cited URL
    assert copy.redirected_to == MOVED_TO  # and says where the redirects led
    assert copy.capture.timestamp == datetime(2020, 3, 1, 0, 1, 10, tzinfo=UTC)
    assert copy.capture.archive_url == f"{archive.base_url}/web/20200301000110/{MOVED_TO}"
    assert [call.endpoint for call in archive.calls_to("/web/")] == [
        f"/web/20200301000010id_/{CITED}",  # a self-redirect (http -> https): skipped by replay
        f"/web/20200301000005id_/{HTTPS}",  # the captured 301, its Location rewritten
        f"/web/20200301000005id_/{MOVED_TO}",  # no capture at that second: the closest one
        f"/web/20200301000110id_/{MOVED_TO}",
    ]


def test_a_copy_that_did_not_redirect_names_no_final_url(wayback: Wayback) -> None:
    capture = wayback.nearest(STABLE, date(2018, 1, 2))
    assert capture is not None
    assert wayback.fetch(capture).redirected_to is None


def test_a_revisit_row_is_a_capture(wayback: Wayback) -> None:
    # Accessed mid-June 2020: the latest capture before is the June revisit of the 2018 page;
    # before, only 200 rows were asked for, and the copy as cited was the 2018 one.
    capture = wayback.nearest(STABLE, date(2020, 6, 15))
    assert capture is not None
    assert capture.timestamp == datetime(2020, 6, 1, tzinfo=UTC)
    assert (capture.status, capture.media_type) == (None, "warc/revisit")
    copy = wayback.fetch(capture)
    assert copy.body == PAGE
    assert copy.capture.timestamp == datetime(2020, 6, 1, tzinfo=UTC)
    assert copy.capture.status == 200


def test_a_revisit_of_a_redirect_is_followed(wayback: Wayback, archive: FakeArchive) -> None:
    # Most of dw.com's rows in test_search_with_date.yaml: revisits of a redirect's payload.
    home, start = "http://news.example.org/", "https://news.example.org/en/top-stories"
    location = (("Location", start),)
    archive.add(home, "20191001032129", MOVED, status=301, headers=location)
    archive.add(home, "20191218160541", MOVED, status=301, headers=location, revisit=True)
    archive.add(start, "20191218160600", PAGE)
    capture = wayback.nearest(home, date(2019, 12, 20))
    assert capture is not None
    assert capture.timestamp == datetime(2019, 12, 18, 16, 5, 41, tzinfo=UTC)
    assert capture.status is None
    copy = wayback.fetch(capture)
    assert (copy.body, copy.redirected_to) == (PAGE, start)


def test_a_redirect_to_a_captured_404_is_an_archived_404(wayback: Wayback) -> None:
    capture = wayback.nearest(WITHDRAWN, date(2020, 5, 1))
    assert capture is not None
    copy = wayback.fetch(capture)
    assert copy.capture.status == 404  # the copy is of the 404 the chain ended in
    assert copy.redirected_to == GONE


def test_the_final_url_is_kept_in_the_store(wayback: Wayback, tmp_path: Path) -> None:
    capture = wayback.nearest(CITED, date(2020, 3, 15))
    assert capture is not None
    store = SnapshotStore(tmp_path / "store", create=True)
    snapshot = store_copy(store, wayback.fetch(capture))
    assert (snapshot.url, snapshot.redirected_to) == (CITED, MOVED_TO)
    reopened = SnapshotStore(tmp_path / "store")
    assert [s.redirected_to for s in reopened.snapshots(CITED)] == [MOVED_TO]
    reopened.rebuild_index()  # re-derived from the WARC file
    assert [s.redirected_to for s in SnapshotStore(tmp_path / "store").snapshots(CITED)] == [
        MOVED_TO
    ]
