"""Whether a run has a network at all (:class:`Reachability`), judged from what its own requests
met, with one cheap local probe (:func:`has_route`) where they cannot tell.

Without a network every request fails before a byte is exchanged: the host name does not resolve
(the resolver is out of reach), or there is no route to the address. One such failure is what a
dead link looks like too (an expired domain, a server gone), so a check that took each failure
for its host's called every citation broken (``dns-failure``), and an audit counted every
citation towards "dead", after one night offline. A run is *without network* only on evidence
that it is the network, not the hosts:

- **no request of the run was answered**, by any host: a page, an error page, a redirect, the
  web archive (any answer at all, at any time, means the network works, and from then on a host
  out of reach is that host's failure); and
- requests failed to reach **two different hosts** (host and port), the **web archive among
  them** when the run consults one (it is asked about every dead link, and an archive that
  answers shows the network works), or a single one when **this machine has no route to the
  internet at all** (:func:`has_route`).

The probe is asked at most once per run, and only when it can tell something: when a single host
is out of reach and its failure leaves the route in doubt (its name did not resolve, or there
was no route to it). A refused connection came from the host's own machine, so the route to it
was there. The probe sends nothing: it asks the kernel for a route (a UDP socket connected to a
documentation address), which fails at once without one (a machine offline, a container without
a network). It cannot see a network that has a route but no resolver or no way out; the evidence
of two hosts does.

What is judged unreachable: a live fetch with :attr:`~claimcheck.sources.Fetch.unreachable`, an
archive call that raised :class:`~claimcheck.errors.ArchiveUnreachableError`. A timeout, a broken
TLS handshake or a reset connection is evidence of neither (the failure is unchecked anyway).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

from ..model import Reason
from ._fetch import Fetch
from ._limits import host_key

__all__ = ["Reachability", "has_route"]

# Addresses no packet is sent to (a UDP connect only looks up the route): the documentation
# ranges, RFC 5737 (TEST-NET-1) and RFC 3849, routed like any public address.
_NOWHERE: tuple[tuple[socket.AddressFamily, tuple[Any, ...]], ...] = (
    (socket.AF_INET, ("192.0.2.1", 9)),
    (socket.AF_INET6, ("2001:db8::1", 9, 0, 0)),
)


def has_route() -> bool:
    """Whether this machine has a route to the internet (IPv4 or IPv6), asked of the kernel:
    connecting a UDP socket sends nothing, it only picks the route, and fails at once
    (``ENETUNREACH``) when there is none."""
    for family, address in _NOWHERE:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect(address)
        except OSError:  # no route, or no such address family on this machine
            continue
        return True
    return False


class Reachability:
    """What a run's requests met, and whether the run has a network (see the module
    documentation for the rule). Thread-safe; one per run (a check, an audit run), told of every
    live fetch (:meth:`note`) and of the web archive's calls (:meth:`answered`,
    :meth:`unreachable`).

    ``archive``: the run consults a web archive, which must then be out of reach too before the
    hosts' failures are the network's. ``route`` is the probe asked when the hosts cannot tell
    (by default :func:`has_route`)."""

    def __init__(self, *, archive: bool = False, route: Callable[[], bool] = has_route) -> None:
        self._route = route
        self._lock = threading.Lock()
        self._answered = False
        self._archive_expected = archive
        self._archive_out = False
        # host -> whether its failure leaves the route in doubt (not a refused connection)
        self._unreachable: dict[str, bool] = {}
        self._routed: bool | None = None

    def __repr__(self) -> str:
        state = "up" if self.up else "down" if self.down else "undecided"
        return f"Reachability({state}, {len(self._unreachable)} hosts out of reach)"

    def note(self, fetch: Fetch) -> None:
        """A live fetch's outcome: any answer (a status, a redirect) is one; a fetch that
        reached no server is its host out of reach; anything else tells nothing."""
        if fetch.status is not None or fetch.redirects:
            self.answered()
        elif fetch.unreachable:
            self.unreachable(fetch.final_url or fetch.url, fetch.reason)

    def answered(self) -> None:
        """A server answered: the run has a network."""
        with self._lock:
            self._answered = True

    def unreachable(self, url: str, reason: str | None, *, archive: bool = False) -> None:
        """No server was reached at ``url``, for ``reason`` (the fetch outcome: a
        :class:`~claimcheck.Reason` value); ``archive``: a web archive's endpoint."""
        doubt = reason != Reason.CONNECTION_REFUSED
        key = host_key(url)
        with self._lock:
            self._unreachable[key] = self._unreachable.get(key, False) or doubt
            self._archive_out = self._archive_out or archive

    @property
    def up(self) -> bool:
        """Whether some request of the run was answered."""
        with self._lock:
            return self._answered

    @property
    def down(self) -> bool:
        """Whether the run is without network: nothing answered, and two hosts out of reach
        (the archive among them, if one is consulted), or one when there is no route to the
        internet (the probe asked once, if needed)."""
        with self._lock:
            if self._answered or not self._unreachable:
                return False
            if len(self._unreachable) >= 2 and (self._archive_out or not self._archive_expected):
                return True
            if not any(self._unreachable.values()):
                return False
            if self._routed is None:
                self._routed = self._route()
            return not self._routed

    @property
    def decided(self) -> bool:
        """Whether the run is known to have a network or not (until then a host out of reach
        may be either its own failure or the network's)."""
        return self.up or self.down
