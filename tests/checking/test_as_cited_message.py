"""A verdict read from an archived copy captured after the citation's access date says so: the
copy is the earliest the archive holds, not the page as the author saw it (issue 14, item 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import ACCESSED, LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims


@pytest.fixture
def gone() -> Iterator[str]:
    with LocalServer({"/gone": page("<h1>Not found</h1>", status=404)}) as server:
        yield server.url + "/gone"


def verdict_of(url: str, archive: FakeArchive, store: Path) -> claimcheck.Verdict:
    report = claimcheck.check(
        quote_claims({"gone": url}, QUOTE),
        snapshots=SnapshotStore(store, create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies="live",
    )
    return report.results[0].verdicts[0]


def test_a_copy_captured_after_the_access_date_is_said_to_be(gone: str, tmp_path: Path) -> None:
    with FakeArchive() as archive:
        archive.add(gone, "20220105000000", ORIGINAL.encode())
        verdict = verdict_of(gone, archive, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.DEAD_LINK)
    assert f"archived copy of 2022-01-05, captured after the access date {ACCESSED}" in (
        verdict.message
    )


def test_a_copy_captured_before_the_access_date_says_nothing_more(
    gone: str, tmp_path: Path
) -> None:
    with FakeArchive() as archive:
        archive.add(gone, "20210105000000", ORIGINAL.encode())
        verdict = verdict_of(gone, archive, tmp_path / "store")
    assert "archived copy of 2021-01-05" in verdict.message
    assert "after the access date" not in verdict.message
