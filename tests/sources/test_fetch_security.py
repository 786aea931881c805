"""Private addresses are refused by default: a claims file must not turn a check into a probe of
the network claimcheck runs in. Only servers on 127.0.0.1 are used (and refused).

Internals tested directly (private modules): the address classifier
(``claimcheck.sources._http.is_public``)."""

from __future__ import annotations

import pytest

from claimcheck import FetchConfig, Reason, Status
from claimcheck.sources import Fetcher
from claimcheck.sources._http import is_public
from servers import LocalServer, page

QUICK = FetchConfig(deadline=3.0, retries=0, host_spacing=0.0, soft_404=False)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata services
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
    ],
)
def test_non_public_addresses_are_recognised(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public(address)


def test_loopback_is_refused_by_default_and_nothing_is_sent() -> None:
    with LocalServer({"/": page("<p>internal</p>")}) as server:
        with Fetcher(QUICK) as fetcher:
            result = fetcher.fetch(server.url + "/")
        assert server.stats.requests == []
    assert result.reason is Reason.PRIVATE_ADDRESS
    assert result.reason.status is Status.BROKEN
    assert "127.0.0.1" in result.message


def test_a_redirect_into_the_private_network_is_refused_at_that_hop() -> None:
    with LocalServer({"/": page("<p>internal</p>")}) as inside:
        routes = {"/": page("", status=302, headers=[("Location", inside.url + "/")])}
        with LocalServer(routes) as outside:
            # the first hop is allowed by resolving "localhost" differently is not possible
            # here without a public host, so the whole chain runs with private addresses
            # refused and must stop at the first connection, before any request is made
            with Fetcher(QUICK) as fetcher:
                result = fetcher.fetch(outside.url + "/")
            assert outside.stats.requests == []
        assert inside.stats.requests == []
    assert result.reason is Reason.PRIVATE_ADDRESS


def test_allowing_private_addresses_fetches_them() -> None:
    with LocalServer({"/": page("<p>internal</p>")}) as server:
        config = FetchConfig(
            deadline=3.0, retries=0, host_spacing=0.0, soft_404=False, allow_private_addresses=True
        )
        with Fetcher(config) as fetcher:
            result = fetcher.fetch(server.url + "/")
    assert result.ok
