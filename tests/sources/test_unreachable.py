"""Without a network: requests that reach no server are told apart (``Fetch.unreachable``,
:class:`~claimcheck.errors.ArchiveUnreachableError`), are not retried, give back the archive's
rate-limit slot they booked, and add up to a run without network (:class:`Reachability`) only
when no host answers at all.

Nothing leaves the machine: names fail to resolve (``cut_network``), connections go to ports of
127.0.0.1 where nothing listens, or ``connect`` is made to fail as it does without a route.

Internals tested directly (private modules): none."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from claimcheck import ArchiveConfig, Reason
from claimcheck.errors import ArchiveError, ArchiveUnreachableError
from claimcheck.sources import Fetch, Fetcher, RateLimiter, Reachability, Wayback, has_route
from support import LOCAL_FETCH, FakeClock


def unbound_port() -> int:
    """A port of 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def no_route(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every connection to an internet address fails as it does on a machine without a route
    (``ENETUNREACH``); the addresses tried are listed."""
    tried: list[Any] = []

    def connect(self: socket.socket, address: Any) -> None:
        tried.append(address)
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried


# --- Requests that reach no server --------------------------------------------------------


def test_a_name_that_does_not_resolve_reaches_no_server(
    cut_network: Callable[[], list[str]],
) -> None:
    cut_network()
    with Fetcher(LOCAL_FETCH) as fetcher:
        result = fetcher.fetch("https://news.example/page")
    assert (result.reason, result.unreachable) == (Reason.DNS_FAILURE, True)


def test_a_refused_connection_reaches_no_server() -> None:
    with Fetcher(LOCAL_FETCH) as fetcher:
        result = fetcher.fetch(f"http://127.0.0.1:{unbound_port()}/page")
    assert (result.reason, result.unreachable) == (Reason.CONNECTION_REFUSED, True)


def test_no_route_reaches_no_server_says_so_and_is_not_retried(no_route: list[Any]) -> None:
    """Today: "the connection broke (OSError)", tried again and again like a reset."""
    with Fetcher(attrs.evolve(LOCAL_FETCH, retries=2, backoff=0.01)) as fetcher:
        result = fetcher.fetch("http://127.0.0.1:8/page")
    assert result.reason is Reason.CONNECTION_ERROR  # unchecked: says nothing of the page
    assert result.message == "there is no route to 127.0.0.1 (the network is unreachable)"
    assert result.unreachable
    assert len(no_route) == 1


def test_an_answer_of_any_kind_reached_a_server() -> None:
    for result in (
        Fetch("https://a.example/", Reason.HTTP_404, "404", status=404),
        Fetch("https://a.example/", Reason.TIMEOUT, "no complete answer"),
        Fetch("https://a.example/", Reason.TLS_ERROR, "the TLS handshake failed"),
    ):
        assert not result.unreachable


# --- The archive's rate limiter -----------------------------------------------------------


def test_a_refunded_slot_is_free_again() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.acquire()
        limiter.refund()
    assert clock.sleeps == []
    limiter.acquire()
    limiter.acquire()  # a call was made: the next one waits its turn
    assert clock.sleeps == [60.0]


def test_lookups_that_reach_no_archive_never_wait_for_the_rate_limit() -> None:
    """Today: each failed call kept its slot, so the next one waited a minute for nothing."""
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    with Wayback(
        ArchiveConfig(wayback=f"http://127.0.0.1:{unbound_port()}"), limiter=limiter
    ) as wb:
        for n in range(3):
            with pytest.raises(ArchiveError):
                wb.captures(f"https://news.example/{n}")
    assert clock.sleeps == []


def test_an_archive_that_cannot_be_reached_is_an_archive_unreachable_error() -> None:
    endpoint = f"http://127.0.0.1:{unbound_port()}"
    config = ArchiveConfig(wayback=endpoint)
    with (
        Wayback(config, limiter=RateLimiter(60000)) as wayback,
        pytest.raises(ArchiveUnreachableError) as raised,
    ):
        wayback.captures("https://news.example/page")
    assert raised.value.url.startswith(endpoint)
    assert raised.value.reason == Reason.CONNECTION_REFUSED
    assert "nothing listens" in str(raised.value)


# --- A run without network ----------------------------------------------------------------


def refused(url: str) -> Fetch:
    return Fetch(url, Reason.CONNECTION_REFUSED, "nothing listens", unreachable=True)


def unresolved(url: str) -> Fetch:
    return Fetch(url, Reason.DNS_FAILURE, "does not resolve", unreachable=True)


def test_two_hosts_out_of_reach_and_no_answer_mean_no_network() -> None:
    network = Reachability(route=lambda: True)
    network.note(refused("http://127.0.0.1:1/a"))
    network.note(refused("http://127.0.0.1:1/b"))  # the same host again
    assert not network.decided
    network.unreachable("http://127.0.0.1:2/cdx", Reason.CONNECTION_REFUSED)  # the archive
    assert network.down
    assert network.decided


def test_any_answer_means_the_network_is_up_for_the_whole_run() -> None:
    network = Reachability(route=lambda: False)
    network.note(Fetch("https://a.example/", Reason.HTTP_404, "404", status=404))
    for host in ("b", "c", "d"):
        network.note(unresolved(f"https://{host}.example/"))
    assert network.up
    assert not network.down


def test_an_answer_after_the_redirect_counts() -> None:
    network = Reachability(route=lambda: False)
    network.note(
        Fetch(
            "https://a.example/",
            Reason.DNS_FAILURE,
            "does not resolve",
            redirects=((301, "https://gone.example/"),),
            unreachable=False,
        )
    )
    assert network.up


def test_a_lone_name_that_does_not_resolve_asks_whether_there_is_a_route() -> None:
    asked: list[bool] = []

    def route(answer: bool) -> Callable[[], bool]:
        def probe() -> bool:
            asked.append(answer)
            return answer

        return probe

    with_route = Reachability(route=route(True))
    with_route.note(unresolved("https://a.example/"))
    assert not with_route.down  # a dead domain, or the network: no telling from one host
    without = Reachability(route=route(False))
    without.note(unresolved("https://a.example/"))
    assert without.down
    assert without.down  # asked once
    assert asked == [True, False]


def test_a_lone_refused_connection_never_asks_for_a_route() -> None:
    """A refused connection came from the host's machine: the route to it was there."""
    network = Reachability(route=lambda: pytest.fail("the route was asked"))
    network.note(refused("http://127.0.0.1:1/a"))
    assert not network.down
    assert not network.decided


def test_without_a_route_the_probe_says_so(no_route: list[Any]) -> None:
    assert has_route() is False
    assert no_route  # it did look (a UDP connect: the kernel's route lookup, nothing is sent)


def test_the_probe_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[Any] = []
    for name in ("send", "sendto", "sendall"):
        monkeypatch.setattr(socket.socket, name, lambda self, *a, **k: sent.append(a))
    has_route()
    assert sent == []


def test_when_an_archive_is_consulted_it_must_be_out_of_reach_too() -> None:
    """Two dead hosts are two dead links until the web archive, asked about them, cannot be
    reached either: an archive that answers shows the network works."""
    network = Reachability(archive=True, route=lambda: True)
    network.note(refused("http://127.0.0.1:1/a"))
    network.note(refused("http://127.0.0.1:2/b"))
    assert not network.down
    network.unreachable("http://127.0.0.1:3/cdx", Reason.CONNECTION_REFUSED, archive=True)
    assert network.down
