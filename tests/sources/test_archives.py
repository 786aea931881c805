"""Web archives: CDX, id_ replay, availability, Memento, Save Page Now 2, rate limits, storing.

Every test talks to the fake archive in ``fake_archive.py`` on 127.0.0.1; nothing leaves the
machine. Rate limiters run on a fake clock, so no test waits for real minutes.

Internals tested directly (private modules): the CDX and Link-format parsers
(``claimcheck.sources._wayback``, ``._memento``).
"""

from __future__ import annotations

import io
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

import claimcheck
from claimcheck.errors import ArchiveError, MissingCredentialsError, RateLimitedError
from claimcheck.sources import (
    ArchiveConfig,
    ArchivedCopy,
    Capture,
    MementoClient,
    RateLimiter,
    SavePageNow,
    Wayback,
    store_copy,
)
from claimcheck.sources._memento import parse_link_format
from claimcheck.sources._wayback import parse_cdx_json
from claimcheck.store import SnapshotStore
from fake_archive import FakeArchive
from support import FakeClock

URL = "https://example.org/report"
SPARSE = "https://example.org/sparse"
PAGE_A = b"<html><body><p>The ministry denied applications to around 189 Syrians.</p></body></html>"
PAGE_B = b"<html><body><p>The ministry denied applications to around 198 Syrians.</p></body></html>"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    return RateLimiter(600, clock=clock, sleep=clock.sleep)


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        fake.add(URL, "20200110120000", PAGE_A, headers=(("Last-Modified", "Fri, 10 Jan 2020"),))
        fake.add(URL, "20200110130000", PAGE_A)  # same content: collapsed by digest
        fake.add(URL, "20200301000000", b"<html>gone</html>", status=404)  # filtered out
        fake.add(URL, "20200615080000", PAGE_B)
        fake.add("http://www.example.org:80/report", "20201201000000", PAGE_B + b" ")
        fake.add(SPARSE, "20190101000000", PAGE_A)
        fake.add(SPARSE, "20210601093000", PAGE_B)
        yield fake


@pytest.fixture
def config(archive: FakeArchive) -> ArchiveConfig:
    return ArchiveConfig(
        wayback=archive.base_url, save_page_now=archive.base_url + "/save", timeout=5
    )


@pytest.fixture
def wayback(config: ArchiveConfig, limiter: RateLimiter) -> Iterator[Wayback]:
    with Wayback(config, limiter=limiter) as client:
        yield client


def stamps(captures: list[Capture]) -> list[str]:
    return [capture.timestamp.strftime("%Y%m%d%H%M%S") for capture in captures]


# ---------------------------------------------------------------------------------------------
# Errors


def test_archive_errors_fit_the_hierarchy() -> None:
    assert issubclass(ArchiveError, claimcheck.ClaimcheckError)
    assert issubclass(ArchiveError, OSError)
    assert issubclass(RateLimitedError, ArchiveError)
    assert issubclass(MissingCredentialsError, claimcheck.ClaimcheckError)


def test_an_unreachable_archive_raises_archive_error(limiter: RateLimiter) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = Wayback(ArchiveConfig(wayback=f"http://127.0.0.1:{port}", timeout=2), limiter=limiter)
    with pytest.raises(ArchiveError, match=r"127\.0\.0\.1"):
        closed.captures(URL)


# ---------------------------------------------------------------------------------------------
# CDX


def test_captures_lists_the_200_captures_one_per_content(
    wayback: Wayback, archive: FakeArchive
) -> None:
    captures = wayback.captures(URL)
    assert stamps(captures) == ["20200110120000", "20200615080000", "20201201000000"]
    first = captures[0]
    assert first.url == URL
    assert first.timestamp == datetime(2020, 1, 10, 12, 0, tzinfo=UTC)
    assert first.archive_url == f"{archive.base_url}/web/20200110120000/{URL}"
    assert (first.status, first.media_type, first.source) == (200, "text/html", "wayback")
    assert first.digest == archive.captures_of(URL)[0].digest
    # The default port of an original is dropped (as edgi's client does).
    assert captures[-1].url == "http://www.example.org/report"


def test_captures_asks_the_cdx_api_as_documented(wayback: Wayback, archive: FakeArchive) -> None:
    wayback.captures(URL, since=date(2020, 1, 1), until=datetime(2020, 12, 31, 23, 0), limit=50)
    (call,) = archive.calls_to("/cdx/search/cdx")
    query = dict(call.query)
    assert query["url"] == URL
    assert query["output"] == "json"
    assert query["filter"] == "statuscode:[23]..|-"  # 2xx, 3xx and revisits (status "-")
    assert query["collapse"] == "digest"
    assert query["limit"] == "50"
    assert query["from"] == "20200101"
    assert query["to"] == "20201231230000"
    assert set(query["fl"].split(",")) >= {"original", "timestamp", "statuscode", "digest"}
    assert call.headers["User-Agent"].startswith(f"claimcheck/{claimcheck.__version__} (+https://")


def test_captures_between_dates_includes_the_whole_last_day(wayback: Wayback) -> None:
    found = wayback.captures(URL, since=date(2020, 6, 1), until=date(2020, 6, 15))
    assert stamps(found) == ["20200615080000"]


def test_a_negative_limit_keeps_the_last_captures(wayback: Wayback) -> None:
    assert stamps(wayback.captures(URL, limit=-1)) == ["20201201000000"]
    assert stamps(wayback.captures(URL, limit=1)) == ["20200110120000"]


def test_no_captures_is_an_empty_list(wayback: Wayback, archive: FakeArchive) -> None:
    assert wayback.captures("https://example.org/never-archived") == []
    archive.cdx_body = ""  # an empty body, as the text output gives
    assert wayback.captures(URL) == []
    archive.cdx_body = '[["original","timestamp","statuscode"]]'  # the header row alone
    assert wayback.captures(URL) == []


def test_an_answer_that_is_not_cdx_json_raises(wayback: Wayback, archive: FakeArchive) -> None:
    archive.cdx_body = "<html><body>Internal error</body></html>"
    with pytest.raises(ArchiveError, match="unexpected CDX answer"):
        wayback.captures(URL)
    archive.cdx_body = '{"error": "no"}'
    with pytest.raises(ArchiveError, match="not a JSON array"):
        wayback.captures(URL)


def test_parse_cdx_json_reads_the_readmes_example() -> None:
    # Verbatim from internetarchive/wayback, wayback-cdx-server/README.md (reference notes 1.2).
    text = """[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
 ["org,archive)/", "19970126045828", "http://www.archive.org:80/", "text/html", "200", "Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY", "1415"],
 ["org,archive)/", "19971011050034", "http://www.archive.org:80/", "text/html", "200", "XAHDNHZ5P3GSSSNJ3DMEOJF7BMCCPZR3", "1402"]]"""  # noqa: E501
    captures = parse_cdx_json(text)
    assert stamps(captures) == ["19970126045828", "19971011050034"]
    assert captures[0].url == "http://www.archive.org/"
    assert captures[0].archive_url == (
        "https://web.archive.org/web/19970126045828/http://www.archive.org/"
    )
    assert captures[0].digest == "Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY"
    assert parse_cdx_json("[]") == []


def test_parse_cdx_json_finds_fields_by_name_and_skips_odd_rows() -> None:
    text = """[["timestamp","statuscode","original"],
["20200101000000","-","https://a.org/"],
["2020","200","https://a.org/"],
["20200102000000","200","mailto:x@a.org"],
[],
["20200103000000","200","https://a.org/"]]"""
    captures = parse_cdx_json(text, wayback="http://wb.test/")
    assert stamps(captures) == ["20200101000000", "20200103000000"]
    assert captures[0].status is None  # a revisit's "-"
    assert captures[1].archive_url == "http://wb.test/web/20200103000000/https://a.org/"
    with pytest.raises(ValueError, match="lack"):
        parse_cdx_json('[["urlkey","length"]]')


# ---------------------------------------------------------------------------------------------
# Choosing a capture


def test_nearest_takes_the_capture_at_or_before(wayback: Wayback) -> None:
    at_day = wayback.nearest(URL, date(2020, 6, 15))  # captured that day, at 08:00: counts
    assert at_day is not None
    assert stamps([at_day]) == ["20200615080000"]
    # The latest capture, also when an earlier one has the same content (not collapsed).
    before = wayback.nearest(URL, date(2020, 5, 1))
    assert before is not None
    assert stamps([before]) == ["20200110130000"]
    earlier_that_day = wayback.nearest(URL, datetime(2020, 6, 15, 7, 0, tzinfo=UTC))
    assert earlier_that_day is not None
    assert stamps([earlier_that_day]) == ["20200110130000"]


def test_nearest_falls_back_to_the_earliest_after(wayback: Wayback) -> None:
    after = wayback.nearest(URL, date(2019, 1, 1))
    assert after is not None
    assert stamps([after]) == ["20200110120000"]


def test_nearest_without_a_date_is_the_latest(wayback: Wayback) -> None:
    latest = wayback.nearest(URL)
    assert latest is not None
    assert stamps([latest]) == ["20201201000000"]


def test_nearest_without_captures_is_none(wayback: Wayback) -> None:
    assert wayback.nearest("https://example.org/never-archived", date(2020, 1, 1)) is None
    assert wayback.nearest("https://example.org/never-archived") is None


# ---------------------------------------------------------------------------------------------
# Fetching the original bytes


def test_fetch_returns_the_original_bytes_and_headers(
    wayback: Wayback, archive: FakeArchive
) -> None:
    capture = wayback.nearest(URL, datetime(2020, 1, 10, 12, 30, tzinfo=UTC))
    assert capture is not None
    copy = wayback.fetch(capture)
    assert copy.body == PAGE_A  # no Wayback toolbar: the id_ modifier
    assert copy.media_type == "text/html; charset=utf-8"
    assert copy.capture.timestamp == capture.timestamp
    assert copy.capture.digest == capture.digest
    assert copy.capture.status == 200
    assert copy.headers[0] == ("Content-Type", "text/html; charset=utf-8")
    assert ("Last-Modified", "Fri, 10 Jan 2020") in copy.headers
    assert ("Date", "Fri, 10 Jan 2020 12:00:00 GMT") in copy.headers
    assert [call.endpoint for call in archive.calls_to("/web/")] == [
        f"/web/20200110120000id_/{URL}"
    ]


def test_fetch_takes_the_real_capture_time_when_wayback_redirects(
    wayback: Wayback, archive: FakeArchive
) -> None:
    asked = Capture(
        url=SPARSE,
        timestamp=datetime(2020, 10, 1, tzinfo=UTC),
        archive_url=f"{archive.base_url}/web/20201001000000/{SPARSE}",
        digest="DIGESTOFANOTHERCAPTURE",
    )
    copy = wayback.fetch(asked)
    # Wayback served the closest capture, eight months later: the copy says so.
    assert copy.capture.timestamp == datetime(2021, 6, 1, 9, 30, tzinfo=UTC)
    assert copy.capture.archive_url == f"{archive.base_url}/web/20210601093000/{SPARSE}"
    assert copy.capture.url == SPARSE
    assert copy.capture.digest is None  # the digest was the other capture's
    assert copy.body == PAGE_B
    assert len(archive.calls_to("/web/")) == 2


def test_fetch_follows_a_captured_redirect_within_the_archive(
    wayback: Wayback, archive: FakeArchive
) -> None:
    old, new = "https://example.org/old-report", "https://example.org/new-report"
    archive.add(old, "20200201023757", b"Moved", status=301, headers=(("Location", new),))
    archive.add(new, "20200201024405", PAGE_A)
    asked = wayback.nearest(old)  # a capture of a redirect is a capture
    assert asked is not None
    assert (asked.timestamp, asked.status) == (datetime(2020, 2, 1, 2, 37, 57, tzinfo=UTC), 301)
    copy = wayback.fetch(asked)
    assert copy.body == PAGE_A
    assert copy.capture.url == old  # still a copy of the cited URL
    assert copy.redirected_to == new
    assert copy.capture.archive_url == f"{archive.base_url}/web/20200201024405/{new}"
    assert copy.capture.timestamp == datetime(2020, 2, 1, 2, 44, 5, tzinfo=UTC)
    assert [call.endpoint for call in archive.calls_to("/web/")] == [
        f"/web/20200201023757id_/{old}",
        f"/web/20200201023757id_/{new}",  # Wayback's rewritten Location, then its redirect
        f"/web/20200201024405id_/{new}",
    ]


def test_fetch_of_a_url_the_archive_lacks_raises(wayback: Wayback, archive: FakeArchive) -> None:
    missing = Capture(
        url="https://example.org/never-archived",
        timestamp=datetime(2020, 1, 1, tzinfo=UTC),
        archive_url=f"{archive.base_url}/web/20200101000000/https://example.org/never-archived",
    )
    with pytest.raises(ArchiveError, match="ResourceNotInArchiveException"):
        wayback.fetch(missing)


def test_a_captured_error_page_is_a_copy_not_an_error(
    wayback: Wayback, archive: FakeArchive, limiter: RateLimiter
) -> None:
    archive.add("https://example.org/busy", "20200101000000", b"slow down", status=429)
    asked = Capture("https://example.org/busy", datetime(2020, 1, 1, tzinfo=UTC), "x")
    copy = wayback.fetch(asked)
    assert copy.capture.status == 429
    assert copy.body == b"slow down"
    assert limiter.paused_for == 0  # a memento of a 429 is not the archive saying 429


# ---------------------------------------------------------------------------------------------
# The availability API: a fallback only


def test_available_reads_the_closest_snapshot(wayback: Wayback) -> None:
    found = wayback.available(URL, date(2020, 6, 14))
    assert found is not None
    assert stamps([found]) == ["20200615080000"]
    assert found.url == URL
    assert found.status == 200


def test_nearest_does_not_rely_on_the_availability_api(
    wayback: Wayback, archive: FakeArchive
) -> None:
    archive.empty_availability = True  # as the real API sometimes answers for archived pages
    assert wayback.available(URL, date(2020, 6, 14)) is None
    found = wayback.nearest(URL, date(2020, 6, 14))
    assert found is not None
    assert stamps([found]) == ["20200110130000"]
    assert len(archive.calls_to("/wayback/available")) == 1  # only the explicit call above


# ---------------------------------------------------------------------------------------------
# Memento


def test_timegate_negotiates_by_datetime(archive: FakeArchive, limiter: RateLimiter) -> None:
    base = archive.base_url + "/timegate/"
    with MementoClient(base, limiter=limiter) as memento:
        copy = memento.timegate(URL, datetime(2020, 6, 1, tzinfo=UTC))
    assert copy is not None
    assert copy.capture.timestamp == datetime(2020, 6, 15, 8, 0, tzinfo=UTC)
    assert copy.capture.source == base
    # The replay for people; the bytes are the id_ replay's (tests/sources/test_raw_mementos.py).
    assert copy.capture.archive_url == f"{archive.base_url}/web/20200615080000/{URL}"
    assert copy.body == PAGE_B
    (gate,) = archive.calls_to("/timegate/")
    assert gate.headers["Accept-Datetime"] == "Mon, 01 Jun 2020 00:00:00 GMT"


def test_timegate_without_mementos_is_none(archive: FakeArchive, limiter: RateLimiter) -> None:
    memento = MementoClient(archive.base_url + "/timegate/", limiter=limiter)
    assert memento.timegate("https://example.org/never-archived", date(2020, 1, 1)) is None


def test_timemap_is_found_through_the_timegate(archive: FakeArchive, limiter: RateLimiter) -> None:
    memento = MementoClient(archive.base_url + "/timegate/", limiter=limiter)
    captures = memento.timemap(SPARSE)
    assert stamps(captures) == ["20190101000000", "20210601093000"]
    assert captures[0].archive_url == f"{archive.base_url}/web/20190101000000/{SPARSE}"
    assert captures[0].url == SPARSE
    assert [call.method for call in archive.requests] == ["HEAD", "GET"]
    assert memento.timemap("https://example.org/never-archived") == []


def test_timemap_from_a_configured_base(archive: FakeArchive, limiter: RateLimiter) -> None:
    memento = MementoClient(
        archive.base_url + "/timegate/",
        timemap=archive.base_url + "/timemap/link/",
        limiter=limiter,
    )
    assert len(memento.timemap(URL)) == 5  # a TimeMap lists every capture, errors included
    assert archive.calls_to("/timegate/") == []


# Link-format samples, quoted from the sources the reference notes (section 1.4) name.

# The TimeGate answer of the Memento spec example (LOCKSS TimeGateService javadoc): one link
# spread over lines, parameters on continuation lines.
TIMEGATE_LINK = """<http://a.example.org/>; rel="original",
  <http://arxiv.example.net/timemap/http://a.example.org/>
    ; rel="timemap"; type="application/link-format"
    ; from="Tue, 15 Sep 2000 11:28:26 GMT"
    ; until="Wed, 20 Jan 2010 09:34:33 GMT\""""

# Arquivo.pt's real TimeMap (first lines).
ARQUIVO_TIMEMAP = """<http://arquivo.pt/wayback/timemap/link/http://www.google.pt>; rel="self"; type="application/link-format"; from="Tue, 29 Feb 2000 03:17:20 GMT",
<http://www.google.pt>; rel="original",
<http://arquivo.pt/wayback/http://www.google.pt>; rel="timegate",
<http://arquivo.pt/wayback/20000229031720/http://www.google.pt/>; rel="memento"; datetime="Tue, 29 Feb 2000 03:17:20 GMT",
"""  # noqa: E501

# A real Internet Archive Link header (edgi-govdata-archiving/wayback cassette
# test_get_memento_target_window), with multi-valued rels.
IA_LINK = (
    '<https://www.fws.gov/birds/>; rel="original", '
    "<https://web.archive.org/web/timemap/link/https://www.fws.gov/birds/>; "
    'rel="timemap"; type="application/link-format", '
    '<https://web.archive.org/web/https://www.fws.gov/birds/>; rel="timegate", '
    "<https://web.archive.org/web/20050323155300/http://www.fws.gov:80/birds>; "
    'rel="first memento"; datetime="Wed, 23 Mar 2005 15:53:00 GMT", '
    "<https://web.archive.org/web/20170929002712/https://www.fws.gov/birds/>; "
    'rel="prev memento"; datetime="Fri, 29 Sep 2017 00:27:12 GMT", '
    "<https://web.archive.org/web/20171124151315/https://www.fws.gov/birds/>; "
    'rel="memento"; datetime="Fri, 24 Nov 2017 15:13:15 GMT", '
    "<https://web.archive.org/web/20171228222143/https://www.fws.gov/birds/>; "
    'rel="next memento"; datetime="Thu, 28 Dec 2017 22:21:43 GMT", '
    "<https://web.archive.org/web/20230319070236/http://fws.gov/birds/>; "
    'rel="last memento"; datetime="Sun, 19 Mar 2023 07:02:36 GMT"'
)


def test_link_format_across_lines() -> None:
    original, timemap = parse_link_format(TIMEGATE_LINK)
    assert (original.uri, original.rel) == ("http://a.example.org/", ("original",))
    assert timemap.uri == "http://arxiv.example.net/timemap/http://a.example.org/"
    assert timemap.rel == ("timemap",)
    assert timemap.param("type") == "application/link-format"
    assert timemap.param("FROM") == "Tue, 15 Sep 2000 11:28:26 GMT"
    assert timemap.param("until") == "Wed, 20 Jan 2010 09:34:33 GMT"


def test_link_format_of_a_real_timemap() -> None:
    links = parse_link_format(ARQUIVO_TIMEMAP)
    assert [link.rel for link in links] == [("self",), ("original",), ("timegate",), ("memento",)]
    assert links[3].uri == "http://arquivo.pt/wayback/20000229031720/http://www.google.pt/"
    assert links[3].param("datetime") == "Tue, 29 Feb 2000 03:17:20 GMT"


def test_link_format_with_multi_valued_rels() -> None:
    links = parse_link_format(IA_LINK)
    assert len(links) == 8
    assert links[3].rel == ("first", "memento")
    assert links[3].param("datetime") == "Wed, 23 Mar 2005 15:53:00 GMT"  # its comma is quoted
    mementos = [link for link in links if "memento" in link.rel]
    assert [link.rel[0] for link in mementos] == ["first", "prev", "memento", "next", "last"]
    combined = parse_link_format(
        '<http://localhost:5000/memento/01992L0043>; rel="original timegate"'
    )
    assert combined[0].rel == ("original", "timegate")


def test_link_format_tolerates_odd_but_legal_and_broken_input() -> None:
    text = (
        '<http://ex.org/a,b;c>;REL=memento;datetime="Mon, 01 Jun 2020 00:00:00 GMT";title="a\\"b"\n'
        'garbage here, <http://ex.org/x> ; rel = "last  memento" <http://ex.org/y>;rel=self,,'
    )
    first, second, third = parse_link_format(text)
    assert first.uri == "http://ex.org/a,b;c"
    assert first.rel == ("memento",)
    assert first.param("title") == 'a"b'
    assert second.rel == ("last", "memento")
    assert (third.uri, third.rel) == ("http://ex.org/y", ("self",))
    assert parse_link_format("") == []
    assert parse_link_format("<http://unterminated") == []


# ---------------------------------------------------------------------------------------------
# Save Page Now 2


@pytest.fixture
def spn(config: ArchiveConfig, limiter: RateLimiter, clock: FakeClock) -> SavePageNow:
    return SavePageNow(
        config,
        access_key="test-access",
        secret_key="test-secret",
        limiter=limiter,
        sleep=clock.sleep,
    )


def test_save_polls_until_success(spn: SavePageNow, archive: FakeArchive) -> None:
    archive.spn_pending_polls = 2
    result = spn.save("https://example.org/new", poll_interval=0.5)
    assert result.ok
    assert result.error is None
    assert result.archive_url == f"{archive.base_url}/web/20260101120000/https://example.org/new"
    assert result.timestamp == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert result.job_id is not None
    assert result.job_id.startswith("spn2-")
    (submit,) = [call for call in archive.requests if call.method == "POST"]
    assert submit.headers["Authorization"] == "LOW test-access:test-secret"
    assert submit.headers["Accept"] == "application/json"
    assert b"url=https%3A%2F%2Fexample.org%2Fnew" in submit.body
    assert b"if_not_archived_within=30d" in submit.body
    assert len(archive.calls_to("/save/status/")) == 3


def test_save_of_a_recent_duplicate_names_the_existing_capture(
    spn: SavePageNow, archive: FakeArchive
) -> None:
    message = (
        "The same snapshot had been made 3 minutes ago. "
        "You can make new capture of this URL after 2 hours."
    )
    archive.spn_submit_reply = {"job_id": None, "message": message}
    result = spn.save(URL)
    assert result.ok
    assert result.job_id is None
    assert result.message == message
    assert (
        result.archive_url == f"{archive.base_url}/web/20201201000000/http://www.example.org/report"
    )
    assert archive.calls_to("/save/status/") == []


def test_save_maps_an_error_in_a_200_answer(spn: SavePageNow, archive: FakeArchive) -> None:
    archive.spn_error = {
        "status": "error",
        "status_ext": "error:too-many-requests",
        "message": "The target server is throttling us.",
    }
    result = spn.save("https://example.org/throttled", poll_interval=0.01)
    assert not result.ok
    assert result.error == "error:too-many-requests"
    assert result.message == "The target server is throttling us."
    assert result.job_id is not None


def test_save_maps_an_error_to_the_request_itself(spn: SavePageNow, archive: FakeArchive) -> None:
    archive.spn_submit_reply = {
        "message": "Cannot resolve host nxdomain.fake.tld.",
        "status": "error",
        "status_ext": "error:invalid-host-resolution",
    }
    result = spn.save("https://nxdomain.fake.tld/")
    assert (result.ok, result.error, result.job_id) == (
        False,
        "error:invalid-host-resolution",
        None,
    )


def test_save_stops_polling_a_job_stuck_in_pending(spn: SavePageNow, archive: FakeArchive) -> None:
    archive.spn_submit_reply = {"job_id": "spn2-unknown-job"}  # unknown ids stay "pending"
    result = spn.save("https://example.org/stuck", poll_interval=0.01, max_polls=4)
    assert not result.ok
    assert result.error == "still-pending"
    assert result.job_id == "spn2-unknown-job"
    assert len(archive.calls_to("/save/status/")) == 4


def test_save_without_keys_refuses_to_call(
    config: ArchiveConfig, archive: FakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CLAIMCHECK_IA_SECRET_KEY", raising=False)
    with pytest.raises(MissingCredentialsError, match="CLAIMCHECK_IA_ACCESS_KEY"):
        SavePageNow(config).save(URL)
    assert archive.requests == []


def test_save_takes_keys_from_the_environment(
    config: ArchiveConfig,
    archive: FakeArchive,
    limiter: RateLimiter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", "test-access")
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", "test-secret")
    spn = SavePageNow(config, limiter=limiter, sleep=clock.sleep)
    assert "test-secret" not in repr(spn)
    assert spn.save("https://example.org/env", poll_interval=0.01).ok


def test_save_with_wrong_keys_raises(
    config: ArchiveConfig, limiter: RateLimiter, clock: FakeClock
) -> None:
    spn = SavePageNow(
        config, access_key="a", secret_key="wrong", limiter=limiter, sleep=clock.sleep
    )
    with pytest.raises(MissingCredentialsError, match=r"refused the access keys.*401"):
        spn.save(URL)


def test_save_honours_retry_after(
    spn: SavePageNow, archive: FakeArchive, limiter: RateLimiter, clock: FakeClock
) -> None:
    archive.answer_429(times=1, retry_after="120")
    refused = spn.save("https://example.org/new")
    assert (refused.ok, refused.error) == (False, "rate-limited")
    assert limiter.paused_for == pytest.approx(120)
    assert len(archive.requests) == 1
    clock.advance(121)
    archive.spn_pending_polls = 0
    archive.answer_429(times=1, retry_after="7", only="/save/status/")
    result = spn.save("https://example.org/new", poll_interval=0.01)
    assert result.ok
    assert 7.0 in clock.sleeps  # the status endpoint's Retry-After was waited out


# ---------------------------------------------------------------------------------------------
# Rate limiting


def test_a_burst_of_calls_is_spaced_to_the_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(60, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == [1.0, 1.0, 1.0, 1.0]
    clock.advance(10)  # after a pause, the next call goes at once
    limiter.acquire()
    assert len(clock.sleeps) == 4


def test_a_burst_allowance_lets_the_first_calls_through(clock: FakeClock) -> None:
    limiter = RateLimiter(30, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter.acquire()
    assert clock.sleeps == [2.0]


def test_the_limit_holds_across_threads() -> None:
    limiter = RateLimiter(1200)  # one call every 50 ms, on the real clock
    times: list[float] = []
    lock = threading.Lock()

    def call() -> None:
        limiter.acquire()
        with lock:
            times.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # A thread may be scheduled late between its grant and its note of the time (tens of ms on
    # a loaded 2-core machine); without the limit the gaps would be microseconds.
    assert min(gaps) >= 0.025
    assert times[-1] - times[0] >= 0.2


def test_a_429_stops_calls_for_its_retry_after(clock: FakeClock) -> None:
    limiter = RateLimiter(60, clock=clock, sleep=clock.sleep)
    limiter.record_429(30)
    with pytest.raises(RateLimitedError) as refused:
        limiter.acquire()
    assert refused.value.retry_after == pytest.approx(30)
    clock.advance(31)
    limiter.acquire()
    limiter.record_success()
    limiter.record_429(None)  # no Retry-After: a minute
    assert limiter.paused_for == pytest.approx(60)


def test_repeated_429s_back_off(clock: FakeClock) -> None:
    limiter = RateLimiter(60, backoff_after_429=300, clock=clock, sleep=clock.sleep)
    limiter.record_429(10)
    clock.advance(11)
    limiter.record_429(10)  # again, with no success between: stop for the backoff
    assert limiter.paused_for == pytest.approx(300)
    clock.advance(301)
    limiter.acquire()


def test_wayback_stops_calling_after_429s(
    wayback: Wayback, archive: FakeArchive, limiter: RateLimiter, clock: FakeClock
) -> None:
    archive.answer_429(times=1, retry_after="30")
    with pytest.raises(RateLimitedError) as first:
        wayback.captures(URL)
    assert first.value.retry_after == pytest.approx(30)
    with pytest.raises(RateLimitedError):  # refused here, without calling the archive
        wayback.captures(URL)
    assert len(archive.requests) == 1
    clock.advance(31)
    archive.answer_429(times=1, retry_after="30")
    with pytest.raises(RateLimitedError):
        wayback.captures(URL)
    assert limiter.paused_for == pytest.approx(300)  # the default backoff_after_429
    clock.advance(301)
    assert len(wayback.captures(URL)) == 3
    assert len(archive.requests) == 3


def test_the_shared_limiter_is_one_per_process_and_the_strictest_wins() -> None:
    first = RateLimiter.shared(30, key="test-shared-limiter")
    second = RateLimiter.shared(10, key="test-shared-limiter")
    assert first is second
    assert second.requests_per_minute == pytest.approx(10)
    assert RateLimiter.shared(60, key="test-shared-limiter").requests_per_minute == 10
    assert RateLimiter.shared() is RateLimiter.shared(key="internet-archive")


# ---------------------------------------------------------------------------------------------
# The snapshot store


def test_store_copy_round_trip(wayback: Wayback, archive: FakeArchive, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    asked = Capture(SPARSE, datetime(2020, 10, 1, tzinfo=UTC), f"{archive.base_url}/web/x")
    copy = wayback.fetch(asked)
    snapshot = store_copy(store, copy)
    assert snapshot.captured == datetime(2021, 6, 1, 9, 30, tzinfo=UTC)
    assert (snapshot.origin, snapshot.status) == ("archive", 200)
    assert snapshot.archive_url == copy.capture.archive_url
    assert store.read(snapshot) == PAGE_B
    assert store.find(SPARSE, at=date(2021, 7, 1)) == snapshot

    data = (store.root / snapshot.path).read_bytes()
    responses = []
    for record in ArchiveIterator(io.BytesIO(data)):  # a stream: read each record in turn
        if record.rec_type == "response":
            responses.append(
                (
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.rec_headers.get_header("WARC-Date"),
                    record.rec_headers.get_header("Claimcheck-Origin"),
                    record.rec_headers.get_header("Claimcheck-Archive-URL"),
                    record.http_headers.get_statuscode(),
                    record.http_headers.get_header("Content-Type"),
                    record.content_stream().read(),
                )
            )
    assert responses == [
        (
            SPARSE,
            "2021-06-01T09:30:00Z",
            "archive",
            copy.capture.archive_url,
            "200",
            "text/html; charset=utf-8",
            PAGE_B,
        )
    ]


def test_store_copy_adds_a_missing_content_type(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    capture = Capture(URL, datetime(2020, 1, 1, tzinfo=UTC), "https://archive.test/x", status=200)
    copy = ArchivedCopy(capture, b"plain words", "text/plain", headers=(("Date", "x"),))
    snapshot = store_copy(store, copy)
    assert snapshot.headers[0] == ("Content-Type", "text/plain")
    assert store.rebuild_index() == 1
    assert store.snapshots(URL)[0].media_type == "text/plain"


# ---------------------------------------------------------------------------------------------
# Configuration


def test_config_from_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "claimcheck.toml"
    path.write_text(
        "[archives]\n"
        'wayback = "http://127.0.0.1:8080/"\n'
        'timegates = ["http://127.0.0.1:8080/timegate/", "https://arquivo.pt/wayback/"]\n'
        'save_page_now = "http://127.0.0.1:8080/save"\n'
        "requests_per_minute = 10\n"
        "\n[other]\nignored = true\n",
        encoding="utf-8",
    )
    config = ArchiveConfig.from_file(path)
    assert config.wayback == "http://127.0.0.1:8080"
    assert config.timegates == ("http://127.0.0.1:8080/timegate/", "https://arquivo.pt/wayback/")
    assert config.save_page_now == "http://127.0.0.1:8080/save"
    assert config.requests_per_minute == 10.0
    assert config.backoff_after_429 == 300.0


def test_config_file_without_an_archives_table_keeps_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    assert ArchiveConfig.from_file(path) == ArchiveConfig()
    # One User-Agent for the live web and the archives: claimcheck's, with a contact URL.
    assert ArchiveConfig().user_agent == claimcheck.FetchConfig().user_agent
    assert ArchiveConfig().user_agent.startswith(
        f"claimcheck/{claimcheck.__version__} (+https://github.com/claimcheck/claimcheck"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[archives]\nrequests_per_mintue = 10\n", "unknown key 'requests_per_mintue'"),
        ("[archives]\nrequests_per_minute = 0\n", "requests_per_minute: must be a positive"),
        ('[archives]\ntimegates = "https://a.org/"\n', "timegates: must be a list"),
        ('[archives]\nwayback = "ftp://a.org"\n', "wayback: must be an http"),
        ("[archives\n", "not valid TOML"),
        ("archives = 3\n", "must be a table"),
    ],
)
def test_config_file_errors_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        ArchiveConfig.from_file(path)
    assert str(path) in str(error.value)
