"""The copy "as cited": the latest capture at or before the accessed date, else the earliest
after it, chosen by claimcheck whatever order or subset the CDX server answers with.

The fake CDX server answers ``to=&limit=-1`` as the reference server does (a reverse scan that
stops at the first capture after ``to``: nothing), so a client relying on it fails here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from claimcheck.sources import Wayback
from fake_archive import FakeArchive
from support import local_wayback

URL = "https://example.org/cited"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        for stamp in ("20150301000000", "20190615000000", "20210310120000", "20230101000000"):
            fake.add(URL, stamp, f"<p>{stamp}</p>".encode())
        yield fake


@pytest.fixture
def wayback(archive: FakeArchive) -> Iterator[Wayback]:
    with local_wayback(archive.base_url) as client:
        yield client


def stamp_of(wayback: Wayback, at: date | datetime) -> str | None:
    capture = wayback.nearest(URL, at)
    return capture.timestamp.strftime("%Y%m%d%H%M%S") if capture is not None else None


def test_the_latest_capture_before_the_access_date_is_chosen(
    wayback: Wayback, archive: FakeArchive
) -> None:
    # Captured in 2015, 2019-06, 2021-03 and again in 2023: accessed 2021-04-20 is the 2021-03 copy.
    assert stamp_of(wayback, date(2021, 4, 20)) == "20210310120000"
    assert stamp_of(wayback, date(2019, 12, 31)) == "20190615000000"
    assert stamp_of(wayback, date(2021, 3, 10)) == "20210310120000"  # that day counts
    assert stamp_of(wayback, datetime(2021, 3, 10, 11, 0, tzinfo=UTC)) == "20190615000000"
    for call in archive.calls_to("/cdx/search/cdx"):
        query = dict(call.query)
        assert not (query.get("limit") == "-1" and "to" in query), call.path


def test_any_order_of_the_answer_gives_the_same_copy(
    wayback: Wayback, archive: FakeArchive
) -> None:
    shuffle = random.Random(14)
    archive.cdx_order = lambda rows: shuffle.sample(rows, len(rows))
    for _ in range(5):
        assert stamp_of(wayback, date(2021, 4, 20)) == "20210310120000"
    archive.cdx_order = lambda rows: rows[::-1]
    assert stamp_of(wayback, date(2021, 4, 20)) == "20210310120000"
    assert stamp_of(wayback, date(2014, 1, 1)) == "20150301000000"


def test_no_capture_before_gives_the_earliest_after(wayback: Wayback) -> None:
    assert stamp_of(wayback, date(2014, 1, 1)) == "20150301000000"
    assert stamp_of(wayback, date(2024, 1, 1)) == "20230101000000"  # none after: the latest


def test_a_capture_after_never_beats_one_before_in_a_full_closest_answer(
    wayback: Wayback, archive: FakeArchive
) -> None:
    # Captured daily after the citation: the 50 nearest rows are all later ones.
    for day in range(1, 61):
        archive.add(
            URL,
            f"202105{day:02d}000000" if day <= 31 else f"202106{day - 31:02d}000000",
            b"<p>later</p>",
        )
    assert stamp_of(wayback, date(2021, 4, 30)) == "20210310120000"


def test_a_server_that_ignores_sort_closest_is_not_trusted(
    wayback: Wayback, archive: FakeArchive
) -> None:
    # Sixty old captures first in index order: the first 50 are not the latest before.
    for minute in range(60):
        archive.add(URL, f"2010010100{minute:02d}00", b"<p>ancient</p>")
    archive.cdx_ignores_sort = True
    assert stamp_of(wayback, date(2021, 4, 20)) == "20210310120000"
    assert stamp_of(wayback, date(2012, 1, 1)) == "20100101005900"
    assert stamp_of(wayback, date(2009, 1, 1)) == "20100101000000"
