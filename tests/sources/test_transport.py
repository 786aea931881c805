"""The one HTTP transport: the guards of live fetches hold for every archive client too.

An archive answer longer than the size cap is cut and reported; a redirect from an archive (or
a TimeGate) to a loopback, private or link-local address that is not a configured endpoint is
refused unless private addresses are allowed; Save Page Now's keys never leave their host; an
archive answer that trickles in is cut at the deadline. And the settings these guards read are
checked: a bad value is a ConfigurationError naming the option.

Traffic stays on the loopback: the configured fake archive is on 127.0.0.1 (trusted, as
configured endpoints are), the "other host" on 127.0.0.2; 10.0.0.1 and 169.254.169.254 are only
ever named, and a guard on the socket layer fails the test if any connection outside 127/8 is
even attempted.

Internals tested directly (private modules): the ``Retry-After`` parser
(``claimcheck.sources._http``).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import claimcheck
from claimcheck import Reason, Status
from claimcheck.errors import (
    ArchiveError,
    ClaimcheckError,
    ConfigurationError,
    InvalidURLError,
    RateLimitedError,
)
from claimcheck.sources import (
    ArchiveConfig,
    Capture,
    FetchConfig,
    MementoClient,
    RateLimiter,
    SavePageNow,
    Wayback,
)
from claimcheck.sources._http import retry_after
from fake_archive import FakeArchive
from servers import LocalServer, page, trickle

URL = "https://example.org/report"
STAMP = "20200110120000"
PAGE = b"<html><body><p>The ministry denied applications to around 189 Syrians.</p></body></html>"
CAPTURE = Capture(URL, datetime(2020, 1, 10, 12, 0, tzinfo=UTC), "x")
OUTSIDE = ("10.0.0.1", "169.254.169.254")  # never to be connected to
KEYS = {"access_key": "test-access", "secret_key": "test-secret"}


# Every test: no connection outside the loopback (the guard of conftest.py).
pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        fake.add(URL, STAMP, PAGE)
        yield fake


@pytest.fixture
def other() -> Iterator[FakeArchive]:
    """An archive on another loopback address: not a configured endpoint."""
    with FakeArchive(host="127.0.0.2") as fake:
        fake.add(URL, STAMP, PAGE)
        yield fake


def config_for(archive: FakeArchive, **changes: Any) -> ArchiveConfig:
    settings: dict[str, Any] = {
        "wayback": archive.base_url,
        "save_page_now": archive.base_url + "/save",
        "timeout": 5.0,
        **changes,
    }
    return ArchiveConfig(**settings)


def fast() -> RateLimiter:
    return RateLimiter(60000)


def timegate(archive: FakeArchive, config: ArchiveConfig) -> MementoClient:
    return MementoClient(archive.base_url + "/timegate/", config, limiter=fast())


def spn(config: ArchiveConfig) -> SavePageNow:
    return SavePageNow(config, limiter=fast(), sleep=lambda seconds: None, **KEYS)


# ---------------------------------------------------------------------------------------------
# The size cap


CAP = 2**16  # "64 KiB"


def test_a_cdx_answer_beyond_the_cap_is_cut_and_reported(archive: FakeArchive) -> None:
    archive.pad("/cdx/", 2**20)
    with (
        Wayback(config_for(archive, max_bytes=CAP), limiter=fast()) as wayback,
        pytest.raises(ArchiveError, match="exceeds the 64 KiB size cap"),
    ):
        wayback.captures(URL)


def test_an_id_replay_beyond_the_cap_is_cut_and_reported(archive: FakeArchive) -> None:
    archive.pad("/web/", 2**20)
    with (
        Wayback(config_for(archive, max_bytes=CAP), limiter=fast()) as wayback,
        pytest.raises(ArchiveError, match=r"/web/20200110120000id_/.*size cap"),
    ):
        wayback.fetch(CAPTURE)


def test_a_timemap_beyond_the_cap_is_cut_and_reported(archive: FakeArchive) -> None:
    archive.pad("/timemap/", 2**20)
    with (
        timegate(archive, config_for(archive, max_bytes=CAP)) as memento,
        pytest.raises(ArchiveError, match="size cap"),
    ):
        memento.timemap(URL)


def test_a_memento_beyond_the_cap_is_cut_and_reported(archive: FakeArchive) -> None:
    archive.pad("/web/", 2**20)
    with (
        timegate(archive, config_for(archive, max_bytes=CAP)) as memento,
        pytest.raises(ArchiveError, match="size cap"),
    ):
        memento.timegate(URL, date(2020, 2, 1))


def test_a_save_page_now_status_beyond_the_cap_is_cut_and_reported(archive: FakeArchive) -> None:
    archive.pad("/save/status/", 2**20)
    with pytest.raises(ArchiveError, match=r"/save/status/.*size cap"):
        spn(config_for(archive, max_bytes=CAP)).save("https://example.org/new")


def test_an_endless_archive_answer_costs_bounded_memory(archive: FakeArchive) -> None:
    archive.pad("/web/", 300 * 2**20)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with (
            Wayback(config_for(archive, max_bytes=2**20), limiter=fast()) as wayback,
            pytest.raises(ArchiveError, match="exceeds the 1 MiB size cap"),
        ):
            wayback.fetch(CAPTURE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert time.monotonic() - started < 10


def test_a_check_reports_an_archived_copy_beyond_the_cap(
    archive: FakeArchive, tmp_path: Path
) -> None:
    with LocalServer({"/gone": page("<h1>Not found</h1>", status=404)}) as origin:
        url = origin.url + "/gone"
        archive.add(url, "20210301000000", PAGE)
        archive.pad("/web/", 2**20)
        claim = claimcheck.Claim(
            "quote",
            "denied applications to around 189 Syrians",
            id="gone",
            sources=(claimcheck.Source(url, date(2021, 4, 20)),),
        )
        store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
        report = claimcheck.check(
            claimcheck.ClaimSet(claimcheck.Statement(id="cap"), (claim,)),
            snapshots=store,
            fetch=FetchConfig(retries=0, host_spacing=0.0, allow_private_addresses=True),
            archives=config_for(archive, max_bytes=CAP, requests_per_minute=6000.0),
        )
    # The oversized copy is not used (nor stored): the dead link stays a dead link, with no
    # archived copy to cite instead.
    (verdict,) = report.results[0].verdicts
    assert (verdict.status, verdict.reason, verdict.replacement) == (
        Status.BROKEN,
        Reason.HTTP_404,
        None,
    )
    assert [snapshot.origin for snapshot in store.snapshots(url)] == ["live"]


# ---------------------------------------------------------------------------------------------
# Redirects from archives to addresses that are not theirs


def test_a_replay_redirect_to_another_loopback_port_is_refused(
    archive: FakeArchive, loopback_only: list[str]
) -> None:
    with LocalServer({"*": page("<p>internal</p>")}) as inside:
        # Wayback's own host name, another port: not the configured endpoint.
        archive.redirect("/web/", f"{inside.url}/web/{STAMP}id_/{URL}")
        with (
            Wayback(config_for(archive), limiter=fast()) as wayback,
            pytest.raises(ArchiveError, match="not a public internet address"),
        ):
            wayback.fetch(CAPTURE)
        assert inside.stats.requests == []


@pytest.mark.parametrize("address", ["127.0.0.2", *OUTSIDE])
def test_a_timegate_redirect_to_a_private_address_is_refused(
    archive: FakeArchive, other: FakeArchive, address: str
) -> None:
    target = other.base_url.replace("127.0.0.2", address)
    archive.redirect("/timegate/", f"{target}/web/{STAMP}id_/{URL}")
    with (
        timegate(archive, config_for(archive)) as memento,
        pytest.raises(ArchiveError, match=f"{address}.*not a public internet address"),
    ):
        memento.timegate(URL, date(2020, 2, 1))
    assert other.requests == []


def test_a_timegate_redirect_by_a_name_that_resolves_privately_is_refused(
    archive: FakeArchive,
) -> None:
    # The configured endpoint is 127.0.0.1:<port>; "localhost" is another origin, checked.
    elsewhere = archive.base_url.replace("127.0.0.1", "localhost")
    archive.redirect("/timegate/", f"{elsewhere}/web/{STAMP}id_/{URL}")
    with (
        timegate(archive, config_for(archive)) as memento,
        pytest.raises(ArchiveError, match="not a public internet address"),
    ):
        memento.timegate(URL, date(2020, 2, 1))
    assert archive.calls_to("/web/") == []


def test_allowing_private_addresses_follows_the_timegate_elsewhere(
    archive: FakeArchive, other: FakeArchive
) -> None:
    archive.redirect("/timegate/", f"{other.base_url}/web/{STAMP}id_/{URL}")
    config = config_for(archive, allow_private_addresses=True)
    with timegate(archive, config) as memento:
        copy = memento.timegate(URL, date(2020, 2, 1))
    assert copy is not None
    assert copy.body == PAGE
    assert copy.capture.archive_url == f"{other.base_url}/web/{STAMP}/{URL}"  # for people
    assert [call.endpoint for call in other.requests] == [f"/web/{STAMP}id_/{URL}"]


def test_a_redirect_to_a_non_http_address_is_not_followed(archive: FakeArchive) -> None:
    archive.redirect("/timegate/", "file:///etc/passwd")
    with (
        timegate(archive, config_for(archive)) as memento,
        pytest.raises(ArchiveError, match="not an http"),
    ):
        memento.timegate(URL, date(2020, 2, 1))


def test_a_redirect_loop_between_archives_ends(archive: FakeArchive, other: FakeArchive) -> None:
    archive.redirect("/timegate/", f"{other.base_url}/timegate/{URL}")
    other.redirect("/timegate/", f"{archive.base_url}/timegate/{URL}")
    config = config_for(archive, allow_private_addresses=True)
    with timegate(archive, config) as memento, pytest.raises(ArchiveError, match="loop"):
        memento.timegate(URL, date(2020, 2, 1))


# ---------------------------------------------------------------------------------------------
# Save Page Now's keys


@pytest.mark.parametrize("endpoint", ["/save", "/save/status/"])
def test_save_page_now_keys_never_follow_a_redirect(
    archive: FakeArchive, other: FakeArchive, endpoint: str
) -> None:
    archive.spn_pending_polls = 0
    archive.redirect(endpoint, f"{other.base_url}/save", status=307)
    # Private addresses allowed: only the rule "no redirect carries the keys" stands between.
    saver = spn(config_for(archive, allow_private_addresses=True))
    with pytest.raises(ArchiveError, match="HTTP 307"):
        saver.save("https://example.org/new")
    assert other.requests == []
    assert all(call.headers.get("Authorization") for call in archive.calls_to("/save"))


def test_save_page_now_keys_stay_off_the_wayback_lookup(
    archive: FakeArchive, other: FakeArchive
) -> None:
    # Save Page Now here, the Wayback Machine elsewhere: the recent capture is looked up there.
    archive.spn_submit_reply = {"job_id": None, "message": "The same snapshot had been made."}
    config = config_for(other, save_page_now=archive.base_url + "/save")
    result = spn(config).save(URL)
    assert result.ok
    assert result.archive_url == f"{other.base_url}/web/{STAMP}/{URL}"
    assert [call.endpoint for call in other.requests] == ["/cdx/search/cdx"]
    assert "Authorization" not in other.requests[0].headers
    assert archive.calls_to("/save")[0].headers["Authorization"] == "LOW test-access:test-secret"


# ---------------------------------------------------------------------------------------------
# The deadline, and one Retry-After reader


def test_an_archive_answer_that_trickles_in_is_cut_at_the_deadline() -> None:
    slow = trickle(b"[]" + b" " * 200, interval=0.2)  # each read well within the timeout
    with LocalServer({"/cdx/search/cdx": slow}) as server:
        config = ArchiveConfig(wayback=server.url, timeout=1.0, deadline=1.5)
        started = time.monotonic()
        with (
            Wayback(config, limiter=fast()) as wayback,
            pytest.raises(ArchiveError, match=r"1\.5 s deadline"),
        ):
            wayback.captures(URL)
    # Three times the deadline: a loaded machine is slower, never 40 s (the whole trickle) slow.
    assert time.monotonic() - started < 3 * config.deadline


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after(" 1.5 ") == 1.5
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_an_archive_retry_after_as_a_date_stops_the_limiter(archive: FakeArchive) -> None:
    limiter = RateLimiter(60000)
    archive.answer_429(times=1, retry_after="Fri, 31 Dec 2100 23:59:59 GMT")
    with (
        Wayback(config_for(archive), limiter=limiter) as wayback,
        pytest.raises(RateLimitedError),
    ):
        wayback.captures(URL)
    assert limiter.paused_for > 3600


# ---------------------------------------------------------------------------------------------
# The settings


@pytest.mark.parametrize(
    ("changes", "option"),
    [
        ({"per_host": -1}, "per_host"),
        ({"per_host": 0}, "per_host"),
        ({"deadline": -5}, "deadline"),
        ({"deadline": float("nan")}, "deadline"),
        ({"deadline": 1e300}, "deadline"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"max_bytes": 0}, "max_bytes"),
        ({"retries": -1}, "retries"),
        ({"concurrency": 2.5}, "concurrency"),
        ({"soft_404": "yes"}, "soft_404"),
        ({"user_agent": ""}, "user_agent"),
        ({"user_agent": "bot\r\nX-Evil: 1"}, "user_agent"),
    ],
)
def test_a_bad_fetch_setting_names_the_option(changes: dict[str, Any], option: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^{option}: ") as error:
        FetchConfig(**changes)
    assert isinstance(error.value, ClaimcheckError)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("changes", "option"),
    [
        ({"wayback": "ftp://a.org"}, "wayback"),
        ({"wayback": "https://"}, "wayback"),
        ({"save_page_now": "web.archive.org/save"}, "save_page_now"),
        ({"timegates": ["https://a.org/", "gopher://b.org/"]}, "timegates"),
        ({"timegates": 3}, "timegates"),
        ({"requests_per_minute": 0}, "requests_per_minute"),
        ({"backoff_after_429": -1}, "backoff_after_429"),
        ({"timeout": 0}, "timeout"),
        ({"deadline": -1}, "deadline"),
        ({"max_bytes": -1}, "max_bytes"),
    ],
)
def test_a_bad_archive_setting_names_the_option(changes: dict[str, Any], option: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^{option}: "):
        ArchiveConfig(**changes)


def test_good_settings_are_kept_as_given() -> None:
    config = ArchiveConfig(timegates="https://arquivo.pt/wayback/", timeout=5)
    assert config.timegates == ("https://arquivo.pt/wayback/",)
    assert config.timeout == 5.0
    assert FetchConfig(deadline=3).deadline == 3.0


def test_an_unreadable_config_file_is_a_configuration_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigurationError, match=r"missing\.toml: cannot read"):
        ArchiveConfig.from_file(missing)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe[archives]")
    with pytest.raises(ConfigurationError, match=r"binary\.toml"):
        ArchiveConfig.from_file(binary)
    typo = tmp_path / "typo.toml"
    typo.write_text('[archives]\nwaybak = "https://web.archive.org"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="unknown key 'waybak'"):
        ArchiveConfig.from_file(typo)


def test_the_guards_can_be_set_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "claimcheck.toml"
    path.write_text(
        "[archives]\ndeadline = 60\nmax_bytes = 1048576\nallow_private_addresses = true\n",
        encoding="utf-8",
    )
    config = ArchiveConfig.from_file(path)
    assert (config.deadline, config.max_bytes, config.allow_private_addresses) == (
        60.0,
        2**20,
        True,
    )


def test_a_url_an_archive_cannot_use_is_an_invalid_url_error(archive: FakeArchive) -> None:
    with Wayback(config_for(archive), limiter=fast()) as wayback:
        with pytest.raises(InvalidURLError, match="mailto"):
            wayback.captures("mailto:someone@example.org")
        with pytest.raises(ConfigurationError, match="limit"):
            wayback.captures(URL, limit=0)
    with pytest.raises(ConfigurationError, match="timegate"):
        MementoClient("ftp://archive.example/timegate/")
    with pytest.raises(ConfigurationError, match="requests_per_minute"):
        RateLimiter(0)
    assert archive.requests == []
