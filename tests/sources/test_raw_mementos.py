"""Memento archives: a TimeGate's copy is the memento as originally served (``id_``), never the
archive's replay page with its toolbar; TimeMaps are found with ``Accept-Datetime``.

The fake archive's TimeGate answers as the Internet Archive's does (see ``fake_archive.py``,
``_timegate``): it redirects to the *replay* URL ``/web/<ts>/<url>`` (toolbar, rewritten links),
and names its TimeMap in a ``Link`` header only to a request with ``Accept-Datetime``. A pywb
TimeGate, which answers the memento itself, and an archive without a raw mode are played by
small route tables (``servers.py``).

Internals tested directly (private modules): the replay URL rule (``claimcheck.sources._archive``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from claimcheck.errors import ArchiveError
from claimcheck.sources import MementoClient, RateLimiter, store_copy
from claimcheck.sources._archive import parse_replay_url
from claimcheck.store import SnapshotStore
from fake_archive import FakeArchive
from servers import LocalServer, page

URL = "https://example.org/report"
PAGE = b"<html><body><p>The ministry reviewed the permits this spring.</p></body></html>"
TOOLBAR = b"WAYBACK TOOLBAR INSERT"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        fake.add(URL, "20200110120000", PAGE)
        fake.add(URL, "20200615080000", PAGE.replace(b"spring", b"summer"))
        yield fake


def client(timegate: str, **options: str) -> MementoClient:
    return MementoClient(timegate, limiter=RateLimiter(60000), **options)


# ---------------------------------------------------------------------------------------------
# Item 3: the raw memento


def test_the_fake_timegate_redirects_to_the_replay_with_its_toolbar(archive: FakeArchive) -> None:
    # The fake behaves as the Internet Archive does: what its TimeGate names is the replay page.
    gate = requests.get(
        f"{archive.base_url}/timegate/{URL}",
        headers={"Accept-Datetime": "Mon, 01 Jun 2020 00:00:00 GMT"},
        timeout=5,
    )
    assert gate.history[0].headers["Location"].endswith(f"/web/20200615080000/{URL}")
    assert TOOLBAR in gate.content


def test_a_timegate_copy_is_the_raw_memento(archive: FakeArchive, tmp_path: Path) -> None:
    with client(archive.base_url + "/timegate/") as memento:
        copy = memento.timegate(URL, datetime(2020, 6, 1, tzinfo=UTC))
    assert copy is not None
    assert copy.body == PAGE.replace(b"spring", b"summer")
    assert TOOLBAR not in copy.body
    assert copy.capture.timestamp == datetime(2020, 6, 15, 8, 0, tzinfo=UTC)
    # For people, the replay URL; the bytes came from the id_ replay, and only from it.
    assert copy.capture.archive_url == f"{archive.base_url}/web/20200615080000/{URL}"
    replays = [call.path for call in archive.calls_to("/web/")]
    assert replays == [f"/web/20200615080000id_/{URL}"]
    store = SnapshotStore(tmp_path / "store", create=True)
    snapshot = store_copy(store, copy)
    assert TOOLBAR not in store.read(snapshot)
    assert snapshot.archive_url == f"{archive.base_url}/web/20200615080000/{URL}"


def test_a_timegate_that_answers_with_the_replay_itself_is_asked_for_the_raw_memento() -> None:
    # pywb's default TimeGate (Memento pattern 2.2, pywb docs "Memento API", "Non-Redirecting
    # TimeGate"): a 200 with the memento's replay (its banner) and Content-Location naming the
    # canonical URI-M, /<coll>/<ts>/<url>; pywb serves the original bytes at <ts>id_.
    memento_headers = [("Memento-Datetime", "Fri, 10 Jan 2020 12:00:00 GMT")]
    banner = b'<html><body><div id="_wayback_banner">This is an archived page</div>'
    routes = {
        f"/coll/{URL}": page(
            banner + PAGE[len(b"<html><body>") :],
            headers=[
                *memento_headers,
                ("Content-Location", f"/coll/20200110120000/{URL}"),
                ("Vary", "accept-datetime"),
            ],
        ),
        f"/coll/20200110120000id_/{URL}": page(PAGE, headers=memento_headers),
    }
    with LocalServer(routes) as server, client(server.url + "/coll/") as memento:
        copy = memento.timegate(URL, date(2020, 1, 1))
        asked = [request.path for request in server.stats.requests]
    assert copy is not None
    assert copy.body == PAGE
    assert copy.capture.archive_url == f"{server.url}/coll/20200110120000/{URL}"
    assert asked == [f"/coll/{URL}", f"/coll/20200110120000id_/{URL}"]


def test_a_memento_without_a_raw_mode_is_refused_not_matched() -> None:
    # A memento at a URI-M of no Wayback shape (archive.today's short URIs, say): no way to ask
    # for the bytes as originally served, so its replay is not used as the page.
    routes = {
        f"/timegate/{URL}": page(
            "", status=302, headers=[("Location", "/x7Gq2"), ("Vary", "accept-datetime")]
        ),
        "/x7Gq2": page(
            b"<html><body>archive.example webpage capture 10 Jan 2020" + PAGE[12:],
            headers=[("Memento-Datetime", "Fri, 10 Jan 2020 12:00:00 GMT")],
        ),
    }
    with (
        LocalServer(routes) as server,
        client(server.url + "/timegate/") as memento,
        pytest.raises(ArchiveError, match="as originally served"),
    ):
        memento.timegate(URL, date(2020, 1, 1))


def test_a_raw_memento_url_that_the_archive_does_not_serve_is_not_no_copy() -> None:
    # The archive named a memento but has no id_ replay of it: that is a failure to say, never
    # "the archive holds no copy".
    routes = {
        f"/wb/{URL}": page("", status=302, headers=[("Location", f"/wb/20200110120000/{URL}")]),
    }
    with (
        LocalServer(routes) as server,
        client(server.url + "/wb/") as memento,
        pytest.raises(ArchiveError, match="as originally served"),
    ):
        memento.timegate(URL, date(2020, 1, 1))


@pytest.mark.parametrize(
    ("uri_m", "raw", "for_people"),
    [
        (
            "https://web.archive.org/web/20030320195439/http://www.lanl.gov",
            "https://web.archive.org/web/20030320195439id_/http://www.lanl.gov",
            "https://web.archive.org/web/20030320195439/http://www.lanl.gov",
        ),
        (
            "https://arquivo.pt/wayback/20090101000000mp_/http://www.sapo.pt/",
            "https://arquivo.pt/wayback/20090101000000id_/http://www.sapo.pt/",
            "https://arquivo.pt/wayback/20090101000000/http://www.sapo.pt/",
        ),
        (
            "https://webarchive.loc.gov/all/20100101000000id_/https://example.org/a?b=1",
            "https://webarchive.loc.gov/all/20100101000000id_/https://example.org/a?b=1",
            "https://webarchive.loc.gov/all/20100101000000/https://example.org/a?b=1",
        ),
    ],
)
def test_the_replay_url_rule(uri_m: str, raw: str, for_people: str) -> None:
    replay = parse_replay_url(uri_m)
    assert replay is not None
    assert (replay.raw, replay.for_people) == (raw, for_people)


@pytest.mark.parametrize(
    "url", ["https://archive.ph/x7Gq2", "https://example.org/2020/report", "not a url"]
)
def test_what_is_not_a_replay_url(url: str) -> None:
    assert parse_replay_url(url) is None


# ---------------------------------------------------------------------------------------------
# Item 4: TimeMap discovery


def test_timemap_discovery_sends_accept_datetime(archive: FakeArchive) -> None:
    with client(archive.base_url + "/timegate/") as memento:
        captures = memento.timemap(URL)
    assert [c.timestamp.year for c in captures] == [2020, 2020]
    (discovery,) = archive.calls_to("/timegate/")
    assert "Accept-Datetime" in discovery.headers


def test_timemap_discovery_follows_a_timegate_that_names_none_to_the_memento(
    archive: FakeArchive,
) -> None:
    # A TimeGate that never sends a Link header (ukwa/ukwa-pywb#37): the memento it leads to
    # names its TimeMap (as the Internet Archive's mementos do: edgi-govdata-archiving/wayback
    # cassette test_get_memento, "rel=\"timemap\"").
    archive.redirect("/timegate/", f"{archive.base_url}/web/20200110120000/{URL}")
    with client(archive.base_url + "/timegate/") as memento:
        captures = memento.timemap(URL)
    assert len(captures) == 2
    assert [call.method for call in archive.requests] == ["HEAD", "HEAD", "GET"]


def test_the_internet_archive_timegate_has_its_documented_timemap() -> None:
    # The TimeMap the Internet Archive's TimeGate and mementos name (py-memento-client#2:
    # <http://web.archive.org/web/timemap/link/http://www.lanl.gov>; rel="timemap"), so no
    # discovery request is spent on it. No request is made here.
    for base in ("https://web.archive.org/web/", "http://web.archive.org/web/"):
        with client(base) as memento:
            assert memento.timemap_base == "https://web.archive.org/web/timemap/link/"
    with client("https://arquivo.pt/wayback/") as other:
        assert other.timemap_base is None
    with client(
        "https://web.archive.org/web/", timemap="https://example.org/timemap/"
    ) as configured:
        assert configured.timemap_base == "https://example.org/timemap/"


def test_a_timegate_memento_of_a_redirect_names_where_it_led(archive: FakeArchive) -> None:
    # The memento is a captured 301 (http -> https): followed in the archive, and said.
    moved = "http://example.org/old-report"
    archive.add(moved, "20200301000000", b"", status=301, headers=(("Location", URL),))
    with client(f"{archive.base_url}/timegate/") as memento:
        copy = memento.timegate(moved, datetime(2020, 3, 1, tzinfo=UTC))
        direct = memento.timegate(URL, datetime(2020, 3, 1, tzinfo=UTC))
    assert copy is not None
    assert copy.redirected_to == URL
    assert copy.body == PAGE
    assert direct is not None
    assert direct.redirected_to is None
