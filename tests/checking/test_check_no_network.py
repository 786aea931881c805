"""An online check without a network: every citation is unchecked (``no-network``), not broken;
the web archive is asked at most once, and its rate limiter never waits for lookups that could
not be made. A host that fails while others answer is still that host's failure.

The network is cut by making every name fail to resolve (the ``cut_network`` fixture), or by
pointing hosts at ports of 127.0.0.1 where nothing listens: nothing leaves the machine.

Internals tested directly (private modules): none."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, FetchConfig, Reason, SnapshotStore, Status
from claimcheck.checking import ArchiveLookup, SourceCopies
from claimcheck.sources import RateLimiter
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import ACCESSED, LOCAL_FETCH, ORIGINAL, QUOTE, FakeClock, quote_claims

# Cited hosts that are never contacted: the network is cut before the check.
CITED = {
    "a": "https://news.example/a",
    "b": "https://news.example/b",
    "c": "https://other.example/c",
}
# An archive endpoint of its own, so that its rate limiter is this test's alone (every archive.org
# host shares the process-wide one).
ARCHIVE = "https://archive.example"


def unbound_port() -> int:
    """A port of 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    with LocalServer({"/page": page(ORIGINAL)}) as server:
        yield server


def verdicts(report: claimcheck.Report) -> dict[str, claimcheck.Verdict]:
    return {result.claim.id or "": result.verdicts[0] for result in report.results}


def test_without_network_every_citation_is_unchecked_and_the_archive_asked_once(
    cut_network: Callable[[], list[str]], tmp_path: Path
) -> None:
    asked = cut_network()
    report = claimcheck.check(
        quote_claims(CITED, QUOTE),
        snapshots=tmp_path / "store",
        fetch=FetchConfig(retries=0, host_spacing=0.0),
        archives=ArchiveConfig(wayback=ARCHIVE, requests_per_minute=6000.0),
    )
    found = {name: (v.status.value, v.reason.value) for name, v in verdicts(report).items()}
    assert found == dict.fromkeys(CITED, ("unchecked", "no-network"))
    for verdict in verdicts(report).values():
        assert verdict.message.startswith("not checked, for want of a network: "), verdict.message
        assert "does not resolve" in verdict.message  # what the request met
        assert "--offline" not in verdict.message  # the hint is the command line's, once
    assert report.summary["broken"] == 0
    assert asked.count("archive.example") <= 1


def test_one_dead_host_and_an_unreachable_archive_mean_no_network(tmp_path: Path) -> None:
    """Two hosts (the cited one and the archive) that cannot be reached, and none that answers:
    the evidence of a run without network even for a single citation."""
    cited = {"gone": f"http://127.0.0.1:{unbound_port()}/page"}
    report = claimcheck.check(
        quote_claims(cited, QUOTE),
        snapshots=tmp_path / "store",
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(
            wayback=f"http://127.0.0.1:{unbound_port()}", requests_per_minute=6000.0
        ),
    )
    verdict = verdicts(report)["gone"]
    assert (verdict.status.value, verdict.reason.value) == ("unchecked", "no-network")
    assert "nothing listens" in verdict.message


def test_a_host_that_fails_while_others_answer_is_that_hosts_failure(
    origin: LocalServer, tmp_path: Path
) -> None:
    cited = {"fine": f"{origin.url}/page", "gone": f"http://127.0.0.1:{unbound_port()}/page"}
    with FakeArchive() as archive:
        for copies, reason in (
            ("live", Reason.NO_ARCHIVE),
            ("live-only", Reason.CONNECTION_REFUSED),
        ):
            report = claimcheck.check(
                quote_claims(cited, QUOTE),
                copies=copies,
                snapshots=tmp_path / copies,
                fetch=LOCAL_FETCH,
                archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
            )
            found = verdicts(report)
            assert found["fine"].status is Status.VERIFIED
            assert (found["gone"].status, found["gone"].reason) == (Status.BROKEN, reason)


def test_hosts_that_all_fail_while_the_archive_answers_are_their_own_failures(
    tmp_path: Path,
) -> None:
    cited = {name: f"http://127.0.0.1:{unbound_port()}/{name}" for name in ("one", "two")}
    with FakeArchive() as archive:
        report = claimcheck.check(
            quote_claims(cited, QUOTE),
            snapshots=tmp_path / "store",
            fetch=LOCAL_FETCH,
            archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        )
    for verdict in verdicts(report).values():
        assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.NO_ARCHIVE)
        assert "connection refused" in verdict.message


class CountingLimiter(RateLimiter):
    """A rate limiter on a fake clock that counts the slots asked for."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(1.0, clock=clock, sleep=clock.sleep)  # one call a minute
        self.acquired = 0

    def acquire(self) -> None:
        self.acquired += 1
        super().acquire()


def test_an_unreachable_archive_is_asked_once_and_its_limiter_never_waits(
    tmp_path: Path,
) -> None:
    """Today's cost without network: each lookup books a slot of the archive's rate (one a
    minute here) and waits for it, though no call can be made."""
    clock = FakeClock()
    limiter = CountingLimiter(clock)
    lookup = ArchiveLookup(
        ArchiveConfig(wayback=f"http://127.0.0.1:{unbound_port()}"),
        SnapshotStore(tmp_path / "store", create=True),
        limiter=lambda endpoint: limiter,
    )
    try:
        notes = [
            lookup.complete(SourceCopies(), f"https://news.example/{n}", ACCESSED).archive_note
            for n in range(5)
        ]
    finally:
        lookup.close()
    assert clock.sleeps == []
    assert limiter.acquired <= 1
    for note in notes:
        assert note is not None
        assert "could not be reached" in note
