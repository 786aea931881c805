"""Web-archive answers in odd encodings: a JSON answer that starts with a byte order mark (RFC
8259, section 8.1: a parser "MAY ignore the presence of a byte order mark rather than treating
it as an error"; some servers add one) is read, and text answers are well-formed Unicode (a
charset such as UTF-7 cannot put a lone surrogate into an archived URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimcheck.sources import ArchiveConfig, Wayback
from fake_archive import FakeArchive
from servers import LocalServer, page

URL = "https://example.org/report"
JSON = "application/json"
CDX = (
    '[["original","timestamp","statuscode"],["https://example.org/report","20200101000000","200"]]'
)


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


@pytest.fixture
def wayback(archive: FakeArchive) -> Iterator[Wayback]:
    with Wayback(ArchiveConfig(wayback=archive.base_url, timeout=5)) as client:
        yield client


def test_a_cdx_answer_with_a_byte_order_mark_is_read(
    wayback: Wayback, archive: FakeArchive
) -> None:
    archive.cdx_body = "\ufeff" + CDX
    [capture] = wayback.captures(URL)
    assert capture.url == URL


def test_an_availability_answer_with_a_byte_order_mark_is_read() -> None:
    # The availability API's answer, as https://archive.org/help/wayback_api.php documents it.
    answer = (
        '{"url": "example.org/report", "archived_snapshots": {"closest": {"available": true, '
        '"url": "http://web.archive.org/web/20200101000000/https://example.org/report", '
        '"timestamp": "20200101000000", "status": "200"}}}'
    )
    routes = {"/wayback/available": page(b"\xef\xbb\xbf" + answer.encode(), content_type=JSON)}
    with LocalServer(routes) as server, Wayback(ArchiveConfig(wayback=server.url)) as wayback:
        found = wayback.available(URL)
    assert found is not None
    assert found.timestamp.year == 2020


def test_a_cdx_answer_in_utf7_is_read_as_browsers_read_it() -> None:
    # A charset browsers do not decode is ignored in archive answers as in pages (one rule,
    # documents.web_codec): "+2AA-", U+D800 in UTF-7, stays the five characters it is in UTF-8.
    body = CDX.replace("/report", "/report+2AA-").encode("ascii")
    routes = {"/cdx/search/cdx": page(body, content_type="application/json; charset=utf-7")}
    with LocalServer(routes) as server, Wayback(ArchiveConfig(wayback=server.url)) as wayback:
        [capture] = wayback.captures(URL)
    assert capture.url == "https://example.org/report+2AA-"
    capture.archive_url.encode("utf-8")
