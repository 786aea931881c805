"""Another archive is asked when the Wayback Machine cannot say (issue 14): it may refuse a
site another archive holds (a blocked site, a robots.txt exclusion), or fail on the day. The
configured Memento TimeGates are asked then too, and "no web archive holds a copy" is said only
when every archive answered that it holds none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims


@pytest.fixture
def gone() -> Iterator[str]:
    with LocalServer({"/gone": page("<h1>Not found</h1>", status=404)}) as server:
        yield server.url + "/gone"


def verdict_of(
    url: str, wayback: FakeArchive, timegate: FakeArchive, store: Path
) -> claimcheck.Verdict:
    report = claimcheck.check(
        quote_claims({"gone": url}, QUOTE),
        snapshots=SnapshotStore(store, create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(
            wayback=wayback.base_url,
            timegates=(timegate.base_url + "/timegate/",),
            requests_per_minute=6000.0,
        ),
        copies="live",
    )
    return report.results[0].verdicts[0]


def test_a_site_the_wayback_machine_blocks_is_found_in_another_archive(
    gone: str, tmp_path: Path
) -> None:
    with FakeArchive() as wayback, FakeArchive() as other:
        wayback.add(gone, "20210301000000", ORIGINAL.encode())
        wayback.block(gone)
        other.add(gone, "20210302000000", ORIGINAL.encode())
        verdict = verdict_of(gone, wayback, other, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.DEAD_LINK)
    assert other.base_url in (verdict.replacement or "")


def test_a_failed_wayback_lookup_is_never_no_archive(gone: str, tmp_path: Path) -> None:
    with FakeArchive() as wayback, FakeArchive() as other:
        wayback.cdx_error = (504, "<html><body><h1>504 Gateway Time-out</h1></body></html>")
        verdict = verdict_of(gone, wayback, other, tmp_path / "store")
        assert other.calls_to("/timegate/")  # asked, and it holds nothing
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404)
    assert "the archive lookup failed: HTTP 504" in verdict.message


def test_no_archive_when_every_archive_answered_none(gone: str, tmp_path: Path) -> None:
    with FakeArchive() as wayback, FakeArchive() as other:
        verdict = verdict_of(gone, wayback, other, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.NO_ARCHIVE)
