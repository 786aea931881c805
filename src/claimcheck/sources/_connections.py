"""The connections under the one transport (``_http.py``): the deadline and the address guard.

- A :class:`Watch` holds the sockets one fetch (or one archive exchange) is using, and a
  :class:`Watchdog` thread shuts them down when its deadline passes (per-socket timeouts cannot
  stop a server that sends one byte every second).
- urllib3's connections, subclassed, connect only to a checked public address (unless the
  thread's policy allows private ones, :func:`watching`), and put their sockets under the
  thread's current watch; their pools take a connection out of the watch when it goes back.
- :func:`check_proxied_target` judges the target of a request a proxy is to carry.

Both HTTP clients of the transport use these pools: its own, on urllib3 directly
(``_direct.py``), and a session the caller gives (``_session.py``).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ._addresses import is_public, local_name

__all__ = [
    "NOT_RECORDED",
    "POOL_CLASSES",
    "PrivateAddressError",
    "Reply",
    "Watch",
    "Watchdog",
    "check_proxied_target",
    "private_allowed",
    "tidy_encoding",
    "watching",
]

# ---------------------------------------------------------------------------------------------
# The deadline: a watchdog that shuts down the sockets of watches past their deadline


class Watch:
    """The sockets one fetch (or one archive exchange) is using, shut down when its deadline
    passes. The clock starts at the first request (:meth:`begin`), so time spent queued for a
    busy host does not count."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.started: float | None = None
        self.deadline: float | None = None
        self.expired = False
        self.transferred = 0  # bytes received (only the fetching thread adds to it)
        self._done = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def begin(self, watchdog: Watchdog) -> None:
        """Start the clock (at the first request; idempotent)."""
        if self.started is None:
            self.started = time.monotonic()
            self.deadline = self.started + self.budget
            watchdog.schedule(self)

    def remaining(self) -> float:
        """Seconds left before the deadline (the whole budget before the clock starts)."""
        if self.deadline is None:
            return self.budget
        return self.deadline - time.monotonic()

    def elapsed(self) -> float:
        """Seconds since the clock started."""
        return 0.0 if self.started is None else time.monotonic() - self.started

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            elif not self._done:
                self._sockets.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def expire(self) -> None:
        """The deadline passed: shut down every socket in use, and any added later."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _shut(sock)

    def close(self) -> None:
        """The work is over: the watchdog leaves the sockets alone from now on."""
        with self._lock:
            self._done = True
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    # The base class's shutdown, also for an SSLSocket: it acts on the descriptor and wakes a
    # thread blocked in recv() on it, where close() from another thread would not.
    with contextlib.suppress(OSError):  # already closed, or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watchdog:
    """One thread that expires :class:`Watch` es at their deadlines (started at first use)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def schedule(self, watch: Watch) -> None:
        assert watch.deadline is not None
        with self._cond:
            if self._closed:
                return
            heapq.heappush(self._heap, (watch.deadline, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="claimcheck-fetch-watchdog", daemon=True
                )
                self._thread.start()
            if self._heap[0][2] is watch:  # else the thread's next wake-up stays right
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    now = time.monotonic()
                    if self._heap and self._heap[0][0] <= now:
                        watch = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(self._heap[0][0] - now if self._heap else None)
            watch.expire()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()


_local = threading.local()


def _current_watch() -> Watch | None:
    watch: Watch | None = getattr(_local, "watch", None)
    return watch


def private_allowed() -> bool:
    """Whether this thread's current request may reach non-public addresses."""
    allowed: bool = getattr(_local, "allow_private", False)
    return allowed


@contextlib.contextmanager
def watching(watch: Watch, *, allow_private: bool) -> Iterator[None]:
    """Within the block, connections this thread makes are put under ``watch`` and refused
    for non-public addresses unless ``allow_private``."""
    previous, previous_policy = _current_watch(), getattr(_local, "allow_private", False)
    _local.watch = watch
    _local.allow_private = allow_private
    try:
        yield
    finally:
        _local.watch = previous
        _local.allow_private = previous_policy


# ---------------------------------------------------------------------------------------------
# The address guard, in urllib3's connections


class PrivateAddressError(OSError):
    """A host resolves only to addresses that are not on the public internet."""


def check_proxied_target(url: str) -> None:
    """Refuse (:class:`PrivateAddressError`) the target of a request a proxy is to carry,
    unless it is public as far as can be told here: an address literal must be public; a name
    must not resolve locally to any non-public address (the proxy resolves it again and may
    pick any of them), and a name that does not resolve here is left to the proxy unless it
    says by itself that it is local (:func:`~._addresses.local_name`)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    try:
        found = socket.getaddrinfo(host, None, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror: resolved only beyond the proxy
        if local_name(host):
            raise PrivateAddressError(
                f"{host} is a local name, not a public internet address"
            ) from None
        return
    refused = sorted({str(item[4][0]) for item in found if not is_public(str(item[4][0]))})
    if refused:
        raise PrivateAddressError(
            f"{host} resolves to {', '.join(refused)}, not a public internet address"
        )


def _public_connection(
    host: str, port: int, timeout: float | None, source_address: Any, options: Any
) -> socket.socket:
    """Connect to the first public address of ``host`` (refusing when it has none): the
    address checked is the address connected to."""
    refused = []
    for family, kind, protocol, _, address in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if not is_public(str(address[0])):
            refused.append(str(address[0]))
            continue
        sock = socket.socket(family, kind, protocol)
        try:
            for option in options or ():
                sock.setsockopt(*option)
            if isinstance(timeout, (int, float)):  # urllib3 may pass its "default" sentinel
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        return sock
    raise PrivateAddressError(
        f"{host} resolves to {', '.join(sorted(set(refused))) or 'no address'}, not a public"
        " internet address"
    )


def _watch_socket(sock: socket.socket | None) -> None:
    watch = _current_watch()
    if watch is not None and sock is not None:
        watch.add(sock)


# urllib3 connections that put their sockets under the current watch (the raw socket when it is
# made, so a stalled TLS handshake is covered too, and the TLS socket), and pools that take a
# connection out of the watch when it goes back to the pool, so that a deadline passing later
# never shuts down a connection another fetch is now using.


class _WatchedHTTPConnection(HTTPConnection):
    """A connection to a checked address whose sockets are under the current watch (the TLS
    subclass below inherits all of it)."""

    def _new_conn(self) -> socket.socket:
        # A connection to a proxy (self.proxy is set): the user's own set-up, allowed wherever
        # it is; its target was checked by the adapter (_Adapter.send).
        if private_allowed() or self.proxy is not None:
            sock = super()._new_conn()
        else:
            sock = _public_connection(
                self._dns_host, self.port, self.timeout, self.source_address, self.socket_options
            )
        _watch_socket(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        _watch_socket(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch_socket(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


def _unwatch(conn: object) -> None:
    watch = _current_watch()
    sock = getattr(conn, "sock", None)
    if watch is not None and isinstance(sock, socket.socket):
        watch.discard(sock)


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection

    def _put_conn(self, conn: Any) -> None:
        _unwatch(conn)
        super()._put_conn(conn)


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _put_conn(self, conn: Any) -> None:
        _unwatch(conn)
        super()._put_conn(conn)


POOL_CLASSES: dict[str, type[HTTPConnectionPool]] = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}


class Reply(Protocol):
    """An answer's status line and headers as either HTTP client of the transport gives them,
    its body still to be read (:meth:`stream`)."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # as received, repeated ones apart
    request_headers: tuple[tuple[str, str], ...]  # as sent (Host first), credentials left out
    location: str | None  # a redirect's target (301, 302, 303, 307, 308 with a Location)

    def content_encoding(self) -> str:
        """The body's content codings, lower case, empty ones dropped (and so decoded)."""

    def stream(self, size: int) -> Iterator[bytes]:
        """The decoded body, in pieces of about ``size`` bytes."""

    def tell(self) -> int:
        """Bytes received so far on the wire (before decoding)."""

    def close(self) -> None:
        """Done: the connection goes back to its pool (closed first unless read to its end)."""


# Request headers left out of what is recorded with a capture.
NOT_RECORDED = frozenset({"cookie", "authorization", "proxy-authorization"})


def tidy_encoding(headers: Any) -> str:
    """The body's content codings in urllib3's ``headers`` (of a response not yet read), empty
    ones left out, as urllib3 is then told to decode them: the Wayback Machine sometimes sends an
    empty ``content-encoding:`` beside ``Content-Encoding: gzip``, and urllib3 decodes the empty
    coding of "gzip, " as deflate, which fails (urllib3/urllib3 PR #5189, open)."""
    value = headers.get("content-encoding") if headers is not None else None
    if value is None:
        return ""
    tidy = ", ".join(part.strip() for part in value.split(",") if part.strip())
    if tidy != value:
        if tidy:
            headers["Content-Encoding"] = tidy
        else:
            del headers["Content-Encoding"]
    return str(tidy).lower()
