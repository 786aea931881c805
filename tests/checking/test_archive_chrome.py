"""A claim is never verified by text the archive adds around a page (issue 14, item 3).

The cited page hides behind a bot wall, so the archived copy "as cited" decides; the Wayback
Machine's CDX index has nothing, so that copy comes from a Memento TimeGate, which (as the
Internet Archive's does, see ``fake_archive.py``) redirects to the replay page with the Wayback
toolbar: "2 captures", the capture dates. The claimed figure is in that toolbar and not in the
page: the claim must not be verified, and the stored copy must be the page as originally
served.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import ACCESSED, LOCAL_FETCH

PAGE = (
    b"<html><body><article><p>The office kept copies of every permit.</p></article></body></html>"
)
WALL = "<html><title>Just a moment...</title><body>Checking your browser</body></html>"


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    wall = page(WALL, status=403, headers=[("cf-mitigated", "challenge"), ("server", "cloudflare")])
    with LocalServer({"/permits": wall}) as server:
        yield server


def test_a_figure_in_the_archive_toolbar_does_not_verify_a_claim(
    origin: LocalServer, tmp_path: Path
) -> None:
    url = origin.url + "/permits"
    with FakeArchive() as empty, FakeArchive() as memento:
        memento.add(url, "20210301000000", PAGE)
        memento.add(url, "20210401000000", PAGE)
        claim = claimcheck.Claim(
            "figure",
            "2 captures",
            id="toolbar",
            context="captures",
            sources=(claimcheck.Source(url, ACCESSED),),
        )
        store = SnapshotStore(tmp_path / "store", create=True)
        report = claimcheck.check(
            claimcheck.ClaimSet(claimcheck.Statement(id="chrome"), (claim,)),
            snapshots=store,
            fetch=LOCAL_FETCH,
            archives=ArchiveConfig(
                wayback=empty.base_url,  # the CDX index knows nothing: the TimeGate is asked
                timegates=(memento.base_url + "/timegate/",),
                requests_per_minute=6000.0,
            ),
        )
        replays = [call.path for call in memento.calls_to("/web/")]
    (verdict,) = report.results[0].verdicts
    assert verdict.status is not Status.VERIFIED, verdict.message
    assert "has the claim" not in verdict.message
    (archived,) = [s for s in store.snapshots(url) if s.origin == "archive"]
    assert b"WAYBACK TOOLBAR INSERT" not in store.read(archived)
    assert store.read(archived) == PAGE
    assert archived.archive_url == f"{memento.base_url}/web/20210401000000/{url}"
    assert replays == [f"/web/20210401000000id_/{url}"]
