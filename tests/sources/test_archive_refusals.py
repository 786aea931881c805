"""What an archive says when it will not give a copy: a blocked site (the CDX API's 403 "Blocked
Site Error", a replay page saying the URL "has been excluded"), a rate limit, another error
status, no answer in time. Each is an :class:`ArchiveError` whose ``said`` words it plainly,
without the URL; a refusal is a :class:`BlockedArchiveError`. Against the fake archive, which
answers as the real one does (its comments name the recorded answers).

Internals tested directly: the one classifier of archive answers
(``claimcheck.sources._archive.archive_refusal``), on answers as the Wayback Machine recorded
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from claimcheck.errors import ArchiveError, BlockedArchiveError, RateLimitedError
from claimcheck.sources import (
    ArchiveConfig,
    Capture,
    MementoClient,
    RateLimiter,
    SavePageNow,
    Wayback,
)
from claimcheck.sources._archive import archive_refusal
from claimcheck.sources._http import Answer
from fake_archive import FakeArchive
from support import FakeClock

URL = "https://nationalpost.com/health/"
ACCESSED = dt.date(2017, 9, 29)
BLOCKED_SITE = (
    "org.archive.util.io.RuntimeIOException: "
    "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error"
)


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


def wayback(archive: FakeArchive, deadline: float = 120.0) -> Wayback:
    clock = FakeClock()
    config = ArchiveConfig(wayback=archive.base_url, deadline=deadline)
    return Wayback(config, limiter=RateLimiter(600, clock=clock, sleep=clock.sleep))


def test_a_blocked_site_is_refused_by_the_cdx_api(archive: FakeArchive) -> None:
    archive.add(URL, "20170929002712", b"<html><body>health news</body></html>")
    archive.block(URL)
    with wayback(archive) as client, pytest.raises(BlockedArchiveError) as raised:
        client.nearest(URL, ACCESSED)
    assert raised.value.said == "blocked site"
    assert "Blocked Site Error" in str(raised.value)  # the archive's own words, for the CLI
    assert "org.archive" not in str(raised.value)  # not the Java exception line


def test_a_blocked_sites_replay_is_refused_not_an_unexplained_200(archive: FakeArchive) -> None:
    archive.add(URL, "20170929002712", b"<html><body>health news</body></html>")
    archive.block(URL)
    capture = Capture(
        url=URL,
        timestamp=dt.datetime(2017, 9, 29, 0, 27, 12, tzinfo=dt.UTC),
        archive_url=f"{archive.base_url}/web/20170929002712/{URL}",
    )
    with wayback(archive) as client, pytest.raises(BlockedArchiveError) as raised:
        client.fetch(capture)
    assert raised.value.said == "blocked site"


def test_a_cdx_429_is_a_rate_limit(archive: FakeArchive) -> None:
    archive.answer_429(times=1, retry_after="120")
    with wayback(archive) as client, pytest.raises(RateLimitedError) as raised:
        client.nearest(URL, ACCESSED)
    assert raised.value.retry_after == 120


def test_a_cdx_error_status_says_the_status_not_the_servers_text(archive: FakeArchive) -> None:
    archive.cdx_error = (504, "504 Gateway Time-out (upstream [cdx) took too long")
    with wayback(archive) as client, pytest.raises(ArchiveError) as raised:
        client.nearest(URL, ACCESSED)
    assert not isinstance(raised.value, BlockedArchiveError)
    assert raised.value.said == "HTTP 504"


def test_an_archive_that_does_not_answer_in_time(archive: FakeArchive) -> None:
    archive.stall("/cdx")
    with wayback(archive, deadline=0.5) as client, pytest.raises(ArchiveError) as raised:
        client.nearest(URL, ACCESSED)
    assert raised.value.said == "no complete answer within the 0.5 s deadline"


def test_a_timegate_that_replays_the_excluded_page_is_a_refusal(archive: FakeArchive) -> None:
    """The Wayback Machine is a Memento archive too: reached as a TimeGate, a blocked site's
    answer is its replay's (HTTP 200, no Memento-Datetime, "excluded"), read by the same rule."""
    archive.add(URL, "20170929002712", b"<html><body>health news</body></html>")
    archive.block(URL)
    clock = FakeClock()
    client = MementoClient(
        f"{archive.base_url}/web/20170929002712id_/",
        ArchiveConfig(wayback=archive.base_url),
        limiter=RateLimiter(600, clock=clock, sleep=clock.sleep),
    )
    with client, pytest.raises(BlockedArchiveError) as raised:
        client.timegate(URL, ACCESSED)
    assert raised.value.said == "blocked site"


def test_save_page_now_answers_are_worded_by_the_same_rule(archive: FakeArchive) -> None:
    """A job status answer that is not JSON (here a redirect, which the keys never follow) is an
    ArchiveError that says the status."""
    archive.redirect("/save/status/", "https://elsewhere.example/", status=302)
    clock = FakeClock()
    spn = SavePageNow(
        ArchiveConfig(wayback=archive.base_url, save_page_now=archive.base_url + "/save"),
        access_key=archive.keys[0],
        secret_key=archive.keys[1],
        limiter=RateLimiter(600, clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
    )
    with spn, pytest.raises(ArchiveError) as raised:
        spn.save("https://example.org/new", poll_interval=0.01)
    assert raised.value.said == "HTTP 302"


def answer(status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(
        url="https://web.archive.org/cdx/search/cdx?url=https://nationalpost.com/health",
        status=status,
        phrase="",
        headers=headers,
        request_headers=(),
        body=body,
    )


@pytest.mark.parametrize(
    ("recorded", "said"),
    [
        # edgi-govdata-archiving/wayback, cassettes test_search_raises_for_blocked_urls.yaml
        # (CDX) and test_get_memento_raises_blocked_error.yaml (replay).
        (
            answer(
                403,
                (BLOCKED_SITE + "\n").encode(),
                (
                    ("Content-Type", "text/plain;charset=UTF-8"),
                    ("X-Archive-Wayback-Runtime-Error", BLOCKED_SITE),
                ),
            ),
            "blocked site",
        ),
        (
            answer(
                200,
                b"<h2>Sorry.</h2>\n<p>This URL has been excluded from the Wayback Machine.</p>",
                (("Content-Type", "text/html; charset=utf-8"),),
            ),
            "blocked site",
        ),
        # The robots.txt exclusion edgi's client reads (_client.py l.764, l.1071).
        (
            answer(
                403,
                b"org.archive.wayback.exception.RobotAccessControlException: Blocked By Robots",
            ),
            "the site's robots.txt excludes it",
        ),
    ],
)
def test_the_one_classifier_reads_recorded_refusals(recorded: Answer, said: str) -> None:
    error = archive_refusal(recorded, recorded.url)
    assert isinstance(error, BlockedArchiveError)
    assert error.said == said


def test_the_one_classifier_names_the_status_and_the_archives_exception() -> None:
    # mk-pmb/apt-wayback-php doc/example-responses.md: a URL without captures.
    missing = answer(
        404,
        b"<html>Hrm.</html>",
        (("X-Archive-Wayback-Runtime-Error", "ResourceNotInArchiveException: x was not found"),),
    )
    error = archive_refusal(missing, missing.url)
    assert not isinstance(error, BlockedArchiveError)
    assert error.said == "HTTP 404, ResourceNotInArchiveException"
