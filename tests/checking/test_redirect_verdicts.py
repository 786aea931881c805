"""Verdicts on archived copies that redirected when captured: the copy is the capture the
redirects lead to, and the verdict names its URL; a chain that ends in a captured 404 (or any
captured error) is an archived 404, never read as the page. Online and offline agree.

Everything runs against local servers: the cited pages on one, the fake archive on another.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from claimcheck.reports import render
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims

FORBIDDEN = "<html><title>Just a moment...</title><body>Checking your browser</body></html>"
MOVED = b"<html><body><h1>Moved Permanently</h1></body></html>"
# A captured "not found" page that happens to hold the quote (a list of popular articles).
NOT_FOUND = b"<html><body><h1>Not found</h1>" + ORIGINAL.encode() + b"</body></html>"


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    routes = {
        "/moved": page("<h1>Not found</h1>", status=404),
        "/withdrawn": page("<h1>Not found</h1>", status=404),
        "/walled": page(
            FORBIDDEN, status=403, headers=[("cf-mitigated", "challenge"), ("server", "cloudflare")]
        ),
    }
    with LocalServer(routes) as server:
        yield server


@pytest.fixture
def archive(origin: LocalServer) -> Iterator[FakeArchive]:
    secure = origin.url.replace("http://", "https://", 1)
    with FakeArchive() as fake:
        # /moved: captured only as redirects, http -> https -> the article's new address.
        moved_to = (("Location", f"{secure}/news/moved.html"),)
        fake.add(f"{secure}/moved", "20210301000005", MOVED, status=301, headers=moved_to)
        fake.add(
            f"{origin.url}/moved",
            "20210301000010",
            MOVED,
            status=301,
            headers=(("Location", f"{secure}/moved"),),
        )
        fake.add(f"{secure}/news/moved.html", "20210301000110", ORIGINAL.encode())
        # /withdrawn and /walled: captured as redirects to pages captured as 404s.
        for path in ("/withdrawn", "/walled"):
            target = f"{origin.url}{path}-gone"
            fake.add(
                origin.url + path,
                "20210301000000",
                MOVED,
                status=301,
                headers=(("Location", target),),
            )
            fake.add(target, "20210301000100", NOT_FOUND, status=404)
        yield fake


def check(
    origin: LocalServer, archive: FakeArchive, store: Path, copies: str
) -> dict[str, claimcheck.Verdict]:
    report = check_report(origin, archive, store, copies)
    return {result.claim.id or "": result.verdicts[0] for result in report.results}


def check_report(
    origin: LocalServer, archive: FakeArchive, store: Path, copies: str
) -> claimcheck.Report:
    urls = {path.strip("/"): origin.url + path for path in ("/moved", "/withdrawn", "/walled")}
    return claimcheck.check(
        quote_claims(urls, QUOTE, statement="redirects"),
        snapshots=SnapshotStore(store, create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies=copies,
    )


def test_a_page_archived_only_as_redirects_has_its_copy_named(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    secure = origin.url.replace("http://", "https://", 1)
    moved = check(origin, archive, tmp_path / "store", "live")["moved"]
    # Before: "the link is dead … and no web archive holds a copy" (no-archive).
    assert (moved.status, moved.reason) == (Status.BROKEN, Reason.DEAD_LINK)
    assert moved.replacement == f"{archive.base_url}/web/20210301000110/{secure}/news/moved.html"
    assert f"archived copy of 2021-03-01, redirected to {secure}/news/moved.html" in moved.message
    assert moved.archived_evidence is not None


def test_a_redirect_to_an_archived_404_is_broken_never_verified(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    verdicts = check(origin, archive, tmp_path / "store", "live")
    for name in ("withdrawn", "walled"):
        verdict = verdicts[name]
        # Before: the 404 page's text was read as the page: "walled" was verified by it, and
        # "withdrawn" offered the archived 404 as the copy to cite instead.
        assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404), name
        assert "archived 404" in verdict.message, verdict.message
        assert f"redirected to {origin.url}/{name}-gone" in verdict.message
        assert verdict.replacement is None
        assert verdict.archived_evidence is None  # never matched against the 404 page


def test_offline_gives_the_verdicts_online_gave(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    online = check(origin, archive, tmp_path / "store", "live")
    offline = check(origin, archive, tmp_path / "store", "stored")
    for name, verdict in online.items():
        assert (offline[name].status, offline[name].reason) == (verdict.status, verdict.reason)
    assert "redirected to" in offline["moved"].message
    assert "archived 404" in offline["withdrawn"].message
    assert "archived 404" in offline["walled"].message


def test_an_archived_bot_wall_is_not_the_page_either(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    # The archive captured the page's redirect to a 403 challenge page (which quotes the claim).
    wall = f"{origin.url}/moved-wall"
    archive.add(
        origin.url + "/walled-away",
        "20210301000000",
        MOVED,
        status=302,
        headers=(("Location", wall),),
    )
    archive.add(wall, "20210301000001", NOT_FOUND, status=403)
    report = claimcheck.check(
        quote_claims({"away": origin.url + "/walled-away"}, QUOTE, statement="wall"),
        snapshots=SnapshotStore(tmp_path / "store", create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies="live",
    )
    verdict = report.results[0].verdicts[0]
    # The live page is a 404 (the origin serves no /walled-away); the archive has a bot wall.
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404)
    assert "archived 403" in verdict.message
    assert verdict.replacement is None


def test_the_json_report_names_where_the_redirects_led(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    report = check_report(origin, archive, tmp_path / "store", "live")
    data = json.loads(render(report, "json"))
    (moved,) = [claim for claim in data["claims"] if claim["id"] == "moved"]
    secure = origin.url.replace("http://", "https://", 1)
    archived = moved["sources"][0]["archived"]["snapshot"]
    assert archived["redirected_to"] == f"{secure}/news/moved.html"
