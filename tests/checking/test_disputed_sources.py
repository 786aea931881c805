"""A claim one source verifies while another, checked live, says otherwise is disputed; where that
other source's copy "as cited" has the claim and its live page changed (``content-changed``), it
disputes the claim only when the live page says something else, not when it merely lost the
passage. Against local servers and a fake archive only (127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import CHANGED, LOCAL_FETCH, ORIGINAL, QUOTE, UNRELATED


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    routes = {"/same": page(ORIGINAL), "/changed": page(CHANGED), "/rewritten": page(UNRELATED)}
    with LocalServer(routes) as server:
        yield server


def checked(origin: LocalServer, other: str, tmp_path: Path) -> claimcheck.ClaimResult:
    """The quote, citing the page that has it and ``other``, whose archived copy "as cited" has
    it too; checked live."""
    claim = claimcheck.Claim(
        "quote",
        QUOTE,
        id="quote",
        sources=(claimcheck.Source(origin.url + "/same"), claimcheck.Source(origin.url + other)),
    )
    with FakeArchive() as archive:
        archive.add(origin.url + other, "20210301000000", ORIGINAL.encode())
        report = claimcheck.check(
            claimcheck.ClaimSet(claimcheck.Statement(id="online"), (claim,)),
            snapshots=SnapshotStore(tmp_path / "store", create=True),
            fetch=LOCAL_FETCH,
            archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
            copies="live",
        )
    (result,) = report.results
    assert result.status is Status.VERIFIED
    assert result.verdicts[1].reason is Reason.CONTENT_CHANGED
    return result


def test_a_live_page_that_now_gives_another_figure_disputes(
    origin: LocalServer, tmp_path: Path
) -> None:
    result = checked(origin, "/changed", tmp_path)
    assert result.disputed
    assert result.dispute is not None
    assert result.dispute == (
        f"verified by {origin.url}/same; {origin.url}/changed now says '198' (content-changed)"
    )


def test_a_live_page_that_lost_the_passage_disputes_nothing(
    origin: LocalServer, tmp_path: Path
) -> None:
    result = checked(origin, "/rewritten", tmp_path)
    assert result.verdicts[1].evidence is not None
    assert result.verdicts[1].evidence.reason is Reason.NOT_FOUND
    assert not result.disputed
