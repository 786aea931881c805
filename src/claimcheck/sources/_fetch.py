"""Live capture: fetch a cited source over HTTP(S) and say precisely why it could not be had.

A link checker that only knows "200" and "not 200" calls bot walls broken and soft-404 pages
fine. :class:`Fetcher` sorts every outcome into the fixed :class:`~claimcheck.Reason`
vocabulary (after IABot's dead-link rules, the Bar-Yossef random-sibling soft-404 probe and the
link checkers' hard-won lessons about bot walls; see ``web-archives.md`` section 2):

====================== ===============================================================
reason                 when
====================== ===============================================================
(none: ok)             a 2xx answer with a body that is none of the below
``invalid-url``        the URL is not http(s) (no request is made)
``http-404``           404
``http-410``           410
``http-4xx``           any other 4xx, except the next three rows
``blocked``            401, 407, 403 (a bot wall far more often than a real refusal),
                       999, or a challenge page (``cf-mitigated: challenge``, Cloudflare's
                       "Just a moment...", DataDome, PerimeterX) whatever its status
``rate-limited``       429 (after retries), a 503 with ``Retry-After`` (after retries), or
                       a ``Retry-After`` beyond ``max_retry_after`` or the deadline
``http-5xx``           500-599 that persisted through the retries
``dns-failure``        the host name does not resolve
``connection-refused`` nothing listens at the address
``tls-error``          the TLS handshake or the certificate failed
``timeout``            connect or read timeout, or the per-URL deadline passed
``too-many-redirects`` more than ``max_redirects`` hops, or a loop
``bad-redirect``       a redirect to a non-http(s) address (or a 3xx without a usable one)
``redirect-to-homepage`` a deep link that now redirects to the site's root
``soft-404``           a redirect to a "/404" or "not-found" address, or the page equals
                       what the server answers for a made-up sibling address
``parked-domain``      a redirect to a domain-parking or for-sale service, or such a page
``too-large``          more than ``max_bytes`` of (decoded) body
``connection-error``   reset, a body shorter than announced, broken chunking or gzip,
                       a malformed answer
``unreadable-source``  a 2xx with an empty body
====================== ===============================================================

How it fetches, and why:

- **Redirects are followed by hand** (``allow_redirects=False``), so every hop is recorded in
  :attr:`Fetch.redirects`, checked for its scheme and for parking services before it is
  followed, and counted against the deadline. A URL reached a third time is a loop; a second
  visit is allowed, since sites bounce through a cookie-setting page and back.
- **The deadline is enforced**, not hoped for: per-socket timeouts cannot stop a server that
  sends one byte every second (each read succeeds), so a watchdog thread shuts down the sockets
  of a fetch whose deadline has passed, wherever it is blocked (headers, body, TLS). The clock
  starts at the URL's first request: time spent queued behind other URLs to the same host does
  not count, time spent in retries, redirects and the soft-404 probe does.
- **Bodies are streamed** and the decoded bytes counted, so a 50 KB gzip that expands to 1 GB
  stops at ``max_bytes`` with bounded memory (urllib3 >= 2.6 decompresses at most what is asked
  for).
- **Retries**: 429, 500, 502, 503, 504 and broken connections are retried ``retries`` times,
  after ``Retry-After`` (seconds or an HTTP date) when the server sends one, else after
  ``backoff`` seconds, doubling. A ``Retry-After`` beyond ``max_retry_after`` is not waited
  for: the outcome is ``rate-limited`` at once. Challenge pages are never retried.
- **Politeness**: at most ``per_host`` requests in flight to one host (host and port), request
  starts to one host at least ``host_spacing`` seconds apart, and at most ``concurrency``
  requests in flight in all. Every single request (each redirect hop, each retry, each probe)
  takes a slot, so the limits hold whatever the URLs do. :meth:`Fetcher.fetch_many` hands work
  to its threads host by host, round robin, taking only hosts with a free slot, so no thread
  sits waiting on a busy host while another host is idle.
- **Soft 404s** (Bar-Yossef et al. 2004; benhoyt/soft404): the URL's folder plus 25 random
  letters is fetched once per host and folder (cached for the Fetcher's life), alongside the
  first page of that folder (so it adds no latency; it costs one request per folder even when
  the page turns out to be an error), with its own deadline, under the same politeness limits.
  If a 2xx page below the site root has a made-up sibling that is not a 404 or 410 and ends at
  the same final URL, or whose text is near-identical (a token-sequence similarity of at least
  95, after whitespace collapse), the page is a soft 404. The similarity is computed over the
  word sequence rather than the word set: a short error page whose few words all occur in a
  real page must not match.
- **Storing**: with a :class:`~claimcheck.SnapshotStore`, every completed final answer (2xx and
  error pages alike, but not redirect hops or probes) is written as request and response
  records **under the requested URL**, the one a claims file cites and a check looks up; the
  final URL, when redirected, is in :attr:`Fetch.final_url` and the message. The payload is
  stored decoded, as read, so ``Content-Encoding`` and ``Transfer-Encoding`` are dropped from
  the stored headers and ``Content-Length`` is set to the stored length; ``Cookie`` and
  ``Authorization`` are left out of the stored request headers.
- **Conditional requests** (for re-runs such as ``claimcheck audit``): given the
  :class:`Validators` of a URL's last good fetch, the request carries ``If-None-Match`` and
  ``If-Modified-Since``; a ``304 Not Modified`` is a success that transfers no body, and a body
  whose SHA-256 equals the previous one is also unchanged. Either way :attr:`Fetch.unchanged` is
  set, :attr:`Fetch.snapshot` is the previous capture, nothing new is stored and no soft-404
  probe is made (the same content passed it before; a changed page is probed after its answer).
  :attr:`Fetch.transferred` counts the bytes received for the URL (bodies as they came over the
  wire, headers estimated), so a re-run can show what it saved.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import datetime as dt
import email.utils
import hashlib
import heapq
import http.client
import ipaddress
import itertools
import random
import re
import socket
import ssl
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import attrs
import requests
import requests.adapters
import urllib3
import urllib3.exceptions
from rapidfuzz import fuzz
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .._version import __version__
from ..documents import extract_text
from ..errors import TextExtractionError
from ..model import Reason, Snapshot
from ..store import SnapshotStore

__all__ = ["Fetch", "FetchConfig", "Fetcher", "Validators"]

_CHUNK = 64 * 1024
_PROBE_MAX_BYTES = 2 * 2**20  # enough to compare a "not found" page with
_SNIFF_BYTES = 64 * 1024  # how much of a page the challenge and parking markers look at
_SIMILAR = 95.0
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.9,"
    "text/plain;q=0.8,*/*;q=0.5"
)
_NOT_RECORDED = frozenset({"cookie", "authorization", "proxy-authorization"})
_NOT_STORED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def _default_user_agent() -> str:

    # No "link" in it: a common mod_security rule refuses any User-Agent containing "link".
    return (
        f"claimcheck/{__version__} "
        "(+https://github.com/claimcheck/claimcheck; checks the sources of fact-checks)"
    )


@attrs.frozen
class FetchConfig:
    """How a :class:`Fetcher` fetches: timeouts, limits, retries and politeness.

    Times are in seconds. ``deadline`` bounds each URL as a whole (retries, redirects and the
    soft-404 probe included); ``connect_timeout`` and ``read_timeout`` bound single socket
    operations within it. ``backoff`` is the wait before the first retry when the server does
    not say how long to wait (``Retry-After``); it doubles with every retry.

    Addresses that are not on the public internet (loopback, private, link-local — cloud
    metadata services at 169.254.169.254 among them —, multicast, reserved) are refused unless
    ``allow_private_addresses``: a claims file must not turn a check into a probe of the network
    it runs in. The check is made after DNS resolution, on every connection (every redirect
    hop), and the connection goes to the address that was checked, so a DNS answer that changes
    between check and connect (rebinding) cannot slip through.
    """

    user_agent: str = attrs.field(factory=_default_user_agent)
    connect_timeout: float = attrs.field(default=10.0, validator=attrs.validators.gt(0.0))
    read_timeout: float = attrs.field(default=20.0, validator=attrs.validators.gt(0.0))
    deadline: float = attrs.field(default=60.0, validator=attrs.validators.gt(0.0))
    max_bytes: int = attrs.field(default=25 * 2**20, validator=attrs.validators.gt(0))
    max_redirects: int = attrs.field(default=10, validator=attrs.validators.ge(0))
    per_host: int = attrs.field(default=2, validator=attrs.validators.gt(0))
    host_spacing: float = attrs.field(default=0.5, validator=attrs.validators.ge(0.0))
    concurrency: int = attrs.field(default=16, validator=attrs.validators.gt(0))
    retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    max_retry_after: float = attrs.field(default=30.0, validator=attrs.validators.ge(0.0))
    soft_404: bool = True
    backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0.0))
    allow_private_addresses: bool = False


@attrs.frozen
class Validators:
    """What is known of a URL's last good fetch, for a conditional request.

    ``etag`` and ``last_modified`` are the ``ETag`` and ``Last-Modified`` values that answer
    carried (sent back as ``If-None-Match`` and ``If-Modified-Since``); ``digest`` is
    ``sha256:<hex>`` of its body and ``snapshot`` its capture in the store, which stands for the
    page when it turns out unchanged.
    """

    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    snapshot: Snapshot | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators give (none without validators)."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def _body_repr(body: bytes | None) -> str:
    return "None" if body is None else f"<{len(body)} bytes>"


@attrs.frozen
class Fetch:
    """The outcome of fetching one URL.

    ``reason`` is ``None`` when the page was fetched fine (a 2xx answer with a body), else one
    of the fetch outcomes of :class:`~claimcheck.Reason`; ``message`` says the same in one
    sentence for people. ``status``, ``headers``, ``body`` and ``media_type`` (the
    ``Content-Type`` value) are those of the last answer, error pages included (``body`` is
    ``None`` when it was not read completely). ``redirects`` is the whole chain, one
    ``(status, absolute Location)`` per hop; ``final_url`` the last address requested.
    ``elapsed`` runs from the first request (queueing for a busy host excluded).
    ``snapshot`` is the capture written to the store, when there is one.

    With :class:`Validators` (a conditional request): ``not_modified`` when the server answered
    ``304 Not Modified``, ``unchanged`` when it did or when the body's digest equals the
    previous one; ``snapshot`` is then the previous capture (nothing new is stored) and ``body``
    is ``None`` after a 304. ``transferred`` is the bytes received for this URL over every hop
    and retry (bodies as sent on the wire, headers estimated from their length).
    """

    url: str
    reason: Reason | None
    message: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = attrs.field(default=None, repr=_body_repr)
    media_type: str | None = None
    elapsed: float = 0.0
    snapshot: Snapshot | None = None
    not_modified: bool = False
    unchanged: bool = False
    transferred: int = 0

    @property
    def ok(self) -> bool:
        """Whether the page was fetched fine (:attr:`reason` is ``None``)."""
        return self.reason is None


# ---------------------------------------------------------------------------------------------
# What one request, one chain of redirects and one series of attempts came to


@attrs.frozen
class _Problem:
    reason: Reason
    message: str


@attrs.frozen
class _Answer:
    """An HTTP answer: a status line and headers, and the body unless it is a redirect."""

    url: str
    status: int
    phrase: str
    headers: tuple[tuple[str, str], ...]
    request_headers: tuple[tuple[str, str], ...]
    location: str | None = None  # a redirect's raw target
    body: bytes | None = None  # complete, or None
    problem: _Problem | None = None  # why the body could not be read completely
    sniff: bytes = attrs.field(default=b"", repr=False)  # the body's start, lowercased
    received: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def media_type(self) -> str | None:
        return self.header("content-type")


@attrs.frozen
class _Chain:
    """A URL followed through its redirects: the last answer, or the problem that ended it."""

    final_url: str
    redirects: tuple[tuple[int, str], ...]
    answer: _Answer | None
    problem: _Problem | None = None


@attrs.frozen
class _Probe:
    status: int
    final_url: str
    media_type: str | None
    body: bytes | None


# ---------------------------------------------------------------------------------------------
# The deadline: a watchdog that shuts down the sockets of fetches past their deadline


class _Watch:
    """The sockets one URL's fetch is using, shut down when its deadline passes."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.started: float | None = None
        self.deadline: float | None = None
        self.expired = False
        self.transferred = 0  # bytes received (only the fetching thread adds to it)
        self._done = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def begin(self, watchdog: _Watchdog) -> None:
        """Start the clock (at the first request; idempotent)."""
        if self.started is None:
            self.started = time.monotonic()
            self.deadline = self.started + self.budget
            watchdog.schedule(self)

    def remaining(self) -> float:
        if self.deadline is None:
            return self.budget
        return self.deadline - time.monotonic()

    def elapsed(self) -> float:
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
        with self._lock:
            if self._done:
                return
            self.expired = True
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _shut(sock)

    def close(self) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    # The base class's shutdown, also for an SSLSocket: it acts on the descriptor and wakes a
    # thread blocked in recv() on it, where close() from another thread would not.
    with contextlib.suppress(OSError):  # already closed, or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One thread that expires :class:`_Watch` es at their deadlines."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def schedule(self, watch: _Watch) -> None:
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


def _current_watch() -> _Watch | None:
    watch: _Watch | None = getattr(_local, "watch", None)
    return watch


@contextlib.contextmanager
def _watching(watch: _Watch, *, allow_private: bool = False) -> Iterator[None]:
    previous, previous_policy = _current_watch(), getattr(_local, "allow_private", False)
    _local.watch = watch
    _local.allow_private = allow_private
    try:
        yield
    finally:
        _local.watch = previous
        _local.allow_private = previous_policy


class PrivateAddressError(OSError):
    """A host resolves only to addresses that are not on the public internet."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _public_connection(
    host: str, port: int, timeout: float | None, source_address: Any, options: Any
) -> socket.socket:
    """Connect to the first public address of ``host`` (refusing when it has none): the
    address checked is the address connected to."""
    refused = []
    for family, kind, protocol, _, address in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if not _is_public(str(address[0])):
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


# The transport: urllib3 connections that put their sockets under the current watch (the raw
# socket when it is made, so a stalled TLS handshake is covered too, and the TLS socket), and
# pools that take a connection out of the watch when it goes back to the pool, so that a
# deadline passing later never shuts down a connection another fetch is now using.


class _WatchedHTTPConnection(HTTPConnection):
    """A connection to a checked address whose sockets are under the current watch (the TLS
    subclass below inherits all of it)."""

    def _new_conn(self) -> socket.socket:
        if getattr(_local, "allow_private", False):
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


_POOL_CLASSES: dict[str, type[HTTPConnectionPool]] = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter with the watched connection pools."""

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:  # SOCKS managers have pools of their own
            manager.pool_classes_by_scheme = _POOL_CLASSES
        return manager


# ---------------------------------------------------------------------------------------------
# Politeness


class _ClosedError(Exception):
    """The Fetcher was closed while a fetch was waiting."""


class _Gate:
    """Per-host and global limits on requests in flight, and spacing of starts per host."""

    def __init__(self, per_host: int, spacing: float, concurrency: int) -> None:
        self._per_host = per_host
        self._spacing = spacing
        self._concurrency = concurrency
        self._cond = threading.Condition()
        self._in_flight: collections.Counter[str] = collections.Counter()
        self._total = 0
        self._next_start: dict[str, float] = {}
        self._closed = False

    def _ready_at(self, host: str) -> float | None:
        """When ``host`` may start a request, or ``None`` while the limits are reached."""
        if self._total >= self._concurrency or self._in_flight[host] >= self._per_host:
            return None
        return self._next_start.get(host, 0.0)

    def _start(self, host: str, now: float) -> None:
        self._in_flight[host] += 1
        self._total += 1
        if self._spacing:
            self._next_start[host] = now + self._spacing

    def acquire(self, host: str, until: float | None) -> bool:
        """Take a slot for ``host``; ``False`` if none is free before ``until``."""
        with self._cond:
            while True:
                if self._closed:
                    raise _ClosedError
                now = time.monotonic()
                ready = self._ready_at(host)
                if ready is not None and ready <= now:
                    self._start(host, now)
                    return True
                waits = [t - now for t in (ready, until) if t is not None]
                if until is not None and until <= now:
                    return False
                self._cond.wait(min(waits) if waits else None)

    def release(self, host: str) -> None:
        with self._cond:
            self._in_flight[host] -= 1
            if not self._in_flight[host]:
                del self._in_flight[host]
            self._total -= 1
            self._cond.notify_all()

    def take(self, pending: dict[str, collections.deque[str]]) -> tuple[str, str] | None:
        """Pop a URL of a host that may start now, with its slot taken; ``None`` when no URL
        is left. Hosts are served round robin."""
        with self._cond:
            while pending:
                if self._closed:
                    raise _ClosedError
                now = time.monotonic()
                earliest: float | None = None
                for host in list(pending):
                    ready = self._ready_at(host)
                    if ready is None:
                        continue
                    if ready <= now:
                        queue = pending.pop(host)
                        url = queue.popleft()
                        if queue:
                            pending[host] = queue  # to the back of the line
                        self._start(host, now)
                        return host, url
                    earliest = ready if earliest is None else min(earliest, ready)
                self._cond.wait(None if earliest is None else earliest - now)
            return None

    def drop(self, pending: dict[str, collections.deque[str]]) -> None:
        with self._cond:
            pending.clear()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class _Held:
    """A slot :meth:`_Gate.take` took for a URL's first request."""

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def take(self, host: str) -> bool:
        if self.host is not None and self.host == host:
            self.host = None
            return True
        return False


def host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


# ---------------------------------------------------------------------------------------------
# The fetcher


class Fetcher:
    """Fetches URLs politely and sorts every outcome into a :class:`~claimcheck.Reason`.

    ``fetch`` is thread-safe; ``fetch_many`` fetches concurrently on a pool of ``concurrency``
    threads. With a ``store``, every completed answer is captured into it (see the module
    documentation). A ``session`` is used for its cookies, headers, proxies, certificates and
    authentication; plain ``HTTPAdapter`` s mounted on it for ``http://`` and ``https://`` are
    replaced by the Fetcher's own, whose connections enforce the deadline (an adapter of
    another kind is kept, and the deadline is then only checked between reads). A session the
    Fetcher made is closed by :meth:`close`; a given one is left open.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        store: SnapshotStore | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self.store = store
        self._own_session = session is None
        self._session = session or requests.Session()
        for prefix in ("http://", "https://"):
            if type(self._session.adapters.get(prefix)) is requests.adapters.HTTPAdapter:
                self._session.mount(
                    prefix,
                    _Adapter(
                        pool_connections=max(64, 2 * self.config.concurrency),
                        pool_maxsize=self.config.per_host + 1,
                    ),
                )
        self._headers = {"User-Agent": self.config.user_agent, "Accept": _ACCEPT}
        self._gate = _Gate(self.config.per_host, self.config.host_spacing, self.config.concurrency)
        self._watchdog = _Watchdog()
        self._probes: dict[tuple[str, str, str], concurrent.futures.Future[_Probe | None]] = {}
        self._probes_lock = threading.Lock()
        self._probe_pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.config.concurrency, thread_name_prefix="claimcheck-probe"
        )
        self._store_lock = threading.Lock()
        self._closed = threading.Event()

    # -- public API ---------------------------------------------------------------------------

    def fetch(self, url: str, *, validators: Validators | None = None) -> Fetch:
        """Fetch ``url`` (following redirects, retrying, probing for a soft 404) and return
        what came of it. Thread-safe; obeys the per-host and global limits. With
        ``validators``, the request is conditional (see the module documentation)."""
        return self._fetch(url, _Held(), validators)

    def fetch_many(
        self,
        urls: Iterable[str],
        *,
        on_start: Callable[[str], None] | None = None,
        on_done: Callable[[Fetch], None] | None = None,
        validators: Mapping[str, Validators] | None = None,
    ) -> dict[str, Fetch]:
        """Fetch every distinct URL once, concurrently; the results in the order first given.

        Work is handed out host by host (see the module documentation), so the order of
        ``urls`` does not matter for speed. ``on_start`` and ``on_done`` are told when each
        URL's fetch starts and ends (for a progress display); they are called from the worker
        threads. ``validators`` makes the requests for the URLs it names conditional."""
        known = validators or {}
        self._check_open()
        order = list(dict.fromkeys(urls))
        results: dict[str, Fetch] = {}
        pending: dict[str, collections.deque[str]] = {}
        for url in order:
            problem = _invalid(url)
            if problem is not None:
                results[url] = Fetch(url, Reason.INVALID_URL, problem)
                if on_done is not None:
                    on_done(results[url])
            else:
                pending.setdefault(host_key(url), collections.deque()).append(url)
        count = sum(len(queue) for queue in pending.values())
        errors: list[BaseException] = []

        def work() -> None:
            try:
                while (taken := self._gate.take(pending)) is not None:
                    host, url = taken
                    if on_start is not None:
                        on_start(url)
                    results[url] = self._fetch(url, _Held(host), known.get(url))
                    if on_done is not None:
                        on_done(results[url])
            except BaseException as error:
                errors.append(error)
                self._gate.drop(pending)

        workers = [
            threading.Thread(target=work, name=f"claimcheck-fetch-{number}", daemon=True)
            for number in range(min(self.config.concurrency, count))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if errors:
            if isinstance(errors[0], _ClosedError):
                raise RuntimeError("the Fetcher was closed during fetch_many") from None
            raise errors[0]
        return {url: results[url] for url in order}

    def close(self) -> None:
        """Stop: wake waiting fetches, stop the watchdog, close the session if it is ours."""
        self._closed.set()
        self._gate.close()
        self._watchdog.close()
        self._probe_pool.shutdown(wait=False, cancel_futures=True)
        if self._own_session:
            self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- one URL --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed.is_set():
            raise RuntimeError("this Fetcher is closed")

    def _fetch(self, url: str, held: _Held, validators: Validators | None = None) -> Fetch:
        try:
            self._check_open()
            problem = _invalid(url)
            if problem is not None:
                return Fetch(url, Reason.INVALID_URL, problem)
            watch = _Watch(self.config.deadline)
            try:
                return self._fetch_watched(url.strip(), url, watch, held, validators)
            finally:
                watch.close()
        except _ClosedError:
            raise RuntimeError("the Fetcher was closed during the fetch") from None
        finally:
            if held.host is not None:
                self._gate.release(held.host)

    def _fetch_watched(
        self, target: str, url: str, watch: _Watch, held: _Held, validators: Validators | None
    ) -> Fetch:
        conditional = validators.headers() if validators is not None else {}
        # A page with validators passed the soft-404 probe before: it is probed again only if
        # it changed, after its answer, so that an unchanged page costs one request.
        probe = None if validators is not None else self._start_probe(target)
        chain, note, attempts = self._attempts(target, watch, held, conditional)
        reason, message = self._classify(target, chain, note, attempts, bool(conditional))
        answer = chain.answer
        not_modified = reason is None and answer is not None and answer.status == 304
        unchanged = not_modified or (
            reason is None
            and validators is not None
            and validators.digest is not None
            and answer is not None
            and answer.body is not None
            and "sha256:" + hashlib.sha256(answer.body).hexdigest() == validators.digest
        )
        if reason is None and not unchanged and answer is not None:
            if probe is None and validators is not None:
                probe = self._start_probe(target)
            if probe is not None:
                soft = self._soft_404(chain, answer, probe, watch)
                if soft is not None:
                    reason, message = Reason.SOFT_404, soft
        if unchanged and not not_modified:
            message = f"{message}, unchanged since the last fetch"
        snapshot = None
        if unchanged and validators is not None and validators.snapshot is not None:
            snapshot = validators.snapshot
        elif (
            self.store is not None
            and not not_modified
            and answer is not None
            and answer.location is None
            and answer.body is not None
            and answer.problem is None
        ):
            snapshot = self._store(target, answer)
        return Fetch(
            url=url,
            reason=reason,
            message=message,
            status=answer.status if answer is not None else None,
            final_url=chain.final_url,
            redirects=chain.redirects,
            headers=answer.headers if answer is not None else (),
            body=answer.body if answer is not None and not not_modified else None,
            media_type=answer.media_type if answer is not None else None,
            elapsed=watch.elapsed(),
            snapshot=snapshot,
            not_modified=not_modified,
            unchanged=unchanged,
            transferred=watch.transferred,
        )

    def _attempts(
        self, url: str, watch: _Watch, held: _Held, conditional: Mapping[str, str]
    ) -> tuple[_Chain, str | None, int]:
        """Follow ``url`` until it gives an answer not worth retrying; return the last chain,
        a note on why retrying stopped early (or ``None``) and the number of attempts."""
        attempt = 0
        while True:
            chain = self._follow(url, watch, held, self.config.max_bytes, conditional)
            answer = chain.answer
            problem = chain.problem
            if problem is None and answer is not None and 200 <= answer.status < 300:
                problem = answer.problem  # a page whose body broke off
            retryable = (problem is not None and problem.reason is Reason.CONNECTION_ERROR) or (
                problem is None
                and answer is not None
                and answer.status in _RETRY_STATUSES
                and not _is_challenge(answer)
            )
            if not retryable:
                return chain, None, attempt + 1
            asked = _retry_after(answer.header("retry-after")) if answer is not None else None
            if asked is not None and asked > self.config.max_retry_after:
                return (
                    chain,
                    f"it asks to retry after {asked:g} s, beyond the "
                    f"{self.config.max_retry_after:g} s we wait",
                    attempt + 1,
                )
            if attempt >= self.config.retries:
                return chain, None, attempt + 1
            wait = asked if asked is not None else self.config.backoff * 2**attempt
            if wait >= watch.remaining():
                return (
                    chain,
                    f"a retry after {wait:g} s would pass the {self.config.deadline:g} s deadline",
                    attempt + 1,
                )
            if self._closed.wait(wait):
                raise _ClosedError
            attempt += 1

    def _follow(
        self,
        url: str,
        watch: _Watch,
        held: _Held,
        cap: int,
        conditional: Mapping[str, str] | None = None,
    ) -> _Chain:
        """Request ``url`` and follow its redirects by hand (every hop carries the conditional
        headers, if any: the validators are those of the chain's final answer)."""
        redirects: list[tuple[int, str]] = []
        visits: collections.Counter[str] = collections.Counter()
        current = url
        while True:
            visits[current] += 1
            outcome = self._exchange(current, watch, held, cap, conditional)
            if isinstance(outcome, _Problem):
                return _Chain(current, tuple(redirects), None, outcome)
            if outcome.location is None:
                return _Chain(current, tuple(redirects), outcome)
            try:
                target = urljoin(current, outcome.location.strip())
                parts = urlsplit(target)
                target = urlunsplit(parts._replace(fragment=""))
                scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
            except ValueError:
                target, scheme, host = outcome.location, "", ""
            redirects.append((outcome.status, target))
            problem = self._redirect_problem(outcome.status, target, scheme, host, redirects)
            if problem is None and visits[target] >= 2:
                problem = _Problem(
                    Reason.TOO_MANY_REDIRECTS, f"the redirects loop ({target} again and again)"
                )
            if problem is not None:
                return _Chain(current, tuple(redirects), outcome, problem)
            current = target

    def _redirect_problem(
        self, status: int, target: str, scheme: str, host: str, redirects: list[tuple[int, str]]
    ) -> _Problem | None:
        """Why a redirect to ``target`` is not to be followed, or ``None``."""
        if scheme not in ("http", "https") or not host:
            return _Problem(
                Reason.BAD_REDIRECT,
                f"a redirect ({status}) leads to {target!r}, not an http(s) address",
            )
        parking = _parking_service(target)
        if parking is not None:
            return _Problem(
                Reason.PARKED_DOMAIN,
                f"the link redirects to {parking}, a domain parking or for-sale service",
            )
        if len(redirects) > self.config.max_redirects:
            return _Problem(
                Reason.TOO_MANY_REDIRECTS, f"more than {self.config.max_redirects} redirects"
            )
        return None

    def _exchange(
        self,
        url: str,
        watch: _Watch,
        held: _Held,
        cap: int,
        conditional: Mapping[str, str] | None = None,
    ) -> _Answer | _Problem:
        """One request, with a slot for its host held until its body is read."""
        host = host_key(url)
        if not held.take(host) and not self._gate.acquire(host, watch.deadline):
            return _deadline_problem(self.config)
        try:
            watch.begin(self._watchdog)
            remaining = watch.remaining()
            if remaining <= 0:
                return _deadline_problem(self.config)
            timeout = (
                min(self.config.connect_timeout, remaining),
                min(self.config.read_timeout, remaining),
            )
            with _watching(watch, allow_private=self.config.allow_private_addresses):
                try:
                    response = self._session.get(
                        url,
                        headers={**self._headers, **conditional} if conditional else self._headers,
                        stream=True,
                        allow_redirects=False,
                        timeout=timeout,
                        # Explicitly, or REQUESTS_CA_BUNDLE would override the session's own.
                        verify=self._session.verify,
                    )
                except _FAILURES as error:
                    return _problem_of(error, url, watch, self.config)
                try:
                    return self._read(response, url, watch, cap)
                finally:
                    response.close()
        finally:
            self._gate.release(host)

    def _read(self, response: requests.Response, url: str, watch: _Watch, cap: int) -> _Answer:
        status = response.status_code
        headers = _response_headers(response)
        watch.transferred += _header_bytes(headers)
        location = self._session.get_redirect_target(response)
        body: bytes | None = None
        problem: _Problem | None = None
        if location is None:
            body, problem = self._read_body(response, headers, url, watch, cap)
            with contextlib.suppress(AttributeError, TypeError):  # another adapter's raw
                watch.transferred += int(response.raw.tell())
        return _Answer(
            url=url,
            status=status,
            phrase=response.reason or _phrase(status),
            headers=headers,
            request_headers=_request_headers(response, url),
            location=location,
            body=body,
            problem=problem,
            sniff=body[:_SNIFF_BYTES].lower() if body else b"",
        )

    def _read_body(
        self,
        response: requests.Response,
        headers: tuple[tuple[str, str], ...],
        url: str,
        watch: _Watch,
        cap: int,
    ) -> tuple[bytes | None, _Problem | None]:
        """The whole (decoded) body, streamed and counted against ``cap``; or the problem."""
        fields = {name.lower(): value for name, value in headers}
        declared = fields.get("content-length", "")
        encoding = fields.get("content-encoding", "identity").strip().lower()
        if encoding == "identity" and declared.isdigit() and int(declared) > cap:
            return None, _too_large(cap)
        body = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=_CHUNK):
                body += chunk
                if len(body) > cap:
                    return None, _too_large(cap)
        except _FAILURES as error:
            return None, _problem_of(error, url, watch, self.config)
        if watch.expired:
            return None, _deadline_problem(self.config)
        return bytes(body), None

    # -- what it means ----------------------------------------------------------------------

    def _classify(
        self, url: str, chain: _Chain, note: str | None, attempts: int, conditional: bool = False
    ) -> tuple[Reason | None, str]:
        answer = chain.answer
        if chain.problem is not None:
            return chain.problem.reason, chain.problem.message
        assert answer is not None
        status = answer.status
        said = f"the server answered {status} {answer.phrase}".rstrip()
        where = _where(url, chain)
        if status == 304 and conditional:
            return None, f"not modified since the last fetch ({said}){where}"
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        if _is_challenge(answer):
            return Reason.BLOCKED, f"a bot wall: {said} with a challenge page{where}"
        retry_after = answer.header("retry-after") is not None
        reason = error_status_reason(status, retry_after=retry_after)
        if reason is not None:
            if status in (401, 407):
                detail = f": it wants credentials{where}"
            elif status == 403:
                detail = f": access refused, as bot walls do{where}"
            elif status == 429:
                detail = f": {note or 'it asks us to slow down'}{tries}{where}"
            elif status == 410:
                detail = f": the page was removed for good{where}"
            elif reason is Reason.RATE_LIMITED:  # 503 with Retry-After
                detail = f": {note or 'asked to come back later'}{tries}"
            elif reason is Reason.HTTP_5XX:
                detail = (f": {note}" if note else "") + f"{tries}{where}"
            elif status == 999:
                detail = f", a refusal to robots{where}"
            else:
                detail = where
            return reason, f"{said}{detail}"
        if 300 <= status < 400:
            return Reason.BAD_REDIRECT, f"{said} without a usable Location{where}"
        if not 200 <= status < 300:
            return Reason.CONNECTION_ERROR, f"{said}, not a valid HTTP status{where}"
        if answer.problem is not None:
            return answer.problem.reason, answer.problem.message
        body = answer.body or b""
        if not body:
            return Reason.UNREADABLE_SOURCE, f"{said} with an empty body{where}"
        if len(body) <= 512 * 1024 and _PARKED_PAGE.search(answer.sniff):
            return Reason.PARKED_DOMAIN, f"the page says the domain is parked or for sale{where}"
        if chain.redirects and not _is_root(url) and _is_root(chain.final_url):
            return (
                Reason.REDIRECT_TO_HOMEPAGE,
                f"the link now redirects to the site's home page, {chain.final_url}",
            )
        if (
            chain.redirects
            and _ERROR_ADDRESS.search(urlsplit(chain.final_url).path)
            and not _ERROR_ADDRESS.search(urlsplit(url).path)
        ):
            return Reason.SOFT_404, f"the link redirects to an error page, {chain.final_url}"
        kind = (answer.media_type or "no media type").split(";")[0].strip()
        return None, f"fetched {len(body):,} bytes of {kind}{where}"

    def _start_probe(self, url: str) -> concurrent.futures.Future[_Probe | None] | None:
        """The soft-404 probe of ``url``'s folder, started now unless it already was; ``None``
        when there is none to make (detection off, or a site's root, which cannot be a soft
        404). It runs alongside the page's own request, so it adds no latency."""
        if not self.config.soft_404 or _is_root(url):
            return None
        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        key = (parts.scheme.lower(), parts.netloc.lower(), path[: path.rfind("/") + 1] or "/")
        with self._probes_lock:
            future = self._probes.get(key)
            if future is None:
                future = self._probes[key] = self._probe_pool.submit(self._probe, key)
        return future

    def _probe(self, key: tuple[str, str, str]) -> _Probe | None:
        """Fetch a made-up address in a folder (25 random letters), with its own deadline."""
        scheme, netloc, folder = key
        made_up = folder + "".join(random.choices(string.ascii_lowercase, k=25))
        watch = _Watch(self.config.deadline)
        try:
            chain = self._follow(
                urlunsplit((scheme, netloc, made_up, "", "")), watch, _Held(), _PROBE_MAX_BYTES
            )
        except _ClosedError:
            return None
        finally:
            watch.close()
        answer = chain.answer
        if chain.problem is not None or answer is None:
            return None  # no telling
        return _Probe(answer.status, chain.final_url, answer.media_type, answer.body)

    def _soft_404(
        self,
        chain: _Chain,
        answer: _Answer,
        future: concurrent.futures.Future[_Probe | None],
        watch: _Watch,
    ) -> str | None:
        """A message if the page is what the server answers for any address, else ``None``."""
        try:
            probe = future.result(timeout=max(watch.remaining(), 0.0))
        except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
            return None  # no telling within this URL's deadline
        if probe is None or probe.status in (404, 410):
            return None
        if probe.final_url == chain.final_url:
            return (
                "the server answers a made-up address in the same folder with the same "
                f"page ({chain.final_url}): a soft 404"
            )
        if probe.body is not None and _near_identical(
            answer.body or b"", answer.media_type, probe.body, probe.media_type
        ):
            return (
                "the page is the same as the server's answer for a made-up address in the "
                "same folder: a soft 404"
            )
        return None

    def _store(self, url: str, answer: _Answer) -> Snapshot:
        assert self.store is not None
        assert answer.body is not None
        headers = [(k, v) for k, v in answer.headers if k.lower() not in _NOT_STORED]
        headers.append(("Content-Length", str(len(answer.body))))
        with self._store_lock:
            return self.store.add(
                url,
                answer.body,
                media_type=answer.media_type or "application/octet-stream",
                captured=answer.received,
                status=answer.status,
                headers=headers,
                request_headers=answer.request_headers,
                origin="live",
            )


# ---------------------------------------------------------------------------------------------
# Helpers: URLs, headers, failures, page markers

_FAILURES = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


def _invalid(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or ``None``."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as error:
        return f"the URL cannot be parsed ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} is not an http(s) URL"
    if not parts.hostname:
        return f"{url!r} has no host name"
    return None


def error_status_reason(status: int, *, retry_after: bool = False) -> Reason | None:
    """What an HTTP error status means for a citation, or None for a status that is not an
    error. The one mapping for live answers and for error answers stored in a snapshot."""
    if status in (401, 403, 407, 999):  # 999: LinkedIn and others saying "go away"
        return Reason.BLOCKED
    if status == 429 or (status == 503 and retry_after):
        return Reason.RATE_LIMITED
    if status == 404:
        return Reason.HTTP_404
    if status == 410:
        return Reason.HTTP_410
    if 400 <= status < 500:
        return Reason.HTTP_4XX
    if 500 <= status < 600:
        return Reason.HTTP_5XX
    return None


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.query and _ROOT_PATH.fullmatch(parts.path) is not None


# "/", "", "/index.html", "/en/", "/de-at/home": a site's (or a language's) front page.
_ROOT_PATH = re.compile(
    r"/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:(?:index|default|home)(?:\.\w+)?)?", re.IGNORECASE
)
# IABot's "redirect to 404" addresses.
_ERROR_ADDRESS = re.compile(r"/404(?:\.\w+)?(?:/|$)|not[-_]?found", re.IGNORECASE)

_PARKING = (
    "sedo.com",
    "sedoparking.com",
    "dan.com",
    "afternic.com",
    "hugedomains.com",
    "parkingcrew.net",
    "bodis.com",
    "above.com",
    "buydomains.com",
    "forsale.godaddy.com",
)


def _parking_service(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for domain in _PARKING:
        if host == domain or host.endswith("." + domain):
            return domain
    if (host == "godaddy.com" or host.endswith(".godaddy.com")) and "forsale" in parts.path:
        return "GoDaddy's for-sale pages"
    return None


# Only ever searched in the first 64 KB of a page of at most 512 KB: parked pages are small,
# and an article about domain parking is not.
_PARKED_PAGE = re.compile(
    rb"this domain(?: name)? (?:is|may be) for sale|buy this domain|"
    rb"(?:domain|website) (?:is|has been) parked|parked free,? courtesy of godaddy|"
    rb"//(?:www\.)?(?:sedoparking\.com|parkingcrew\.net|bodis\.com)|"
    rb"(?:dan\.com|afternic\.com|hugedomains\.com)/(?:buy|domain)"
)
# Challenge pages: the interstitials of Cloudflare, DataDome, PerimeterX, Imperva, Sucuri.
_CHALLENGE_PAGE = re.compile(
    rb"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare|"
    rb"please wait\.\.\. \| cloudflare|checking your browser|ddos-guard)|"
    rb"captcha-delivery\.com|px-captcha|sucuri website firewall"
)
_CLOUDFLARE_BLOCK = re.compile(rb"cf-chl|challenge-platform|cf-error|ray id")


def _is_challenge(answer: _Answer) -> bool:
    """Whether the answer is a bot wall's challenge or block page."""
    if (answer.header("cf-mitigated") or "").strip().lower() == "challenge":
        return True
    body = answer.body
    if not body or len(body) > 512 * 1024:
        return False
    head = answer.sniff
    if _CHALLENGE_PAGE.search(head):
        return True
    server = (answer.header("server") or "").lower()
    return (
        answer.status in (403, 429, 503)
        and "cloudflare" in server
        and _CLOUDFLARE_BLOCK.search(head) is not None
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):  # delay-seconds (a fraction tolerated)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


def _header_bytes(headers: Iterable[tuple[str, str]]) -> int:
    """About how many bytes a status line and these header lines took on the wire."""
    return 17 + sum(len(name) + len(value) + 4 for name, value in headers) + 2


def _response_headers(response: requests.Response) -> tuple[tuple[str, str], ...]:
    raw = response.raw.headers if response.raw is not None else None
    if raw is not None and hasattr(raw, "iteritems"):  # keeps repeated headers apart
        return tuple((str(k), str(v)) for k, v in raw.iteritems())
    return tuple(response.headers.items())


def _request_headers(response: requests.Response, url: str) -> tuple[tuple[str, str], ...]:
    sent = response.request.headers if response.request is not None else {}
    recorded = [("Host", urlsplit(url).netloc)]
    recorded += [(k, str(v)) for k, v in sent.items() if k.lower() not in _NOT_RECORDED]
    return tuple(recorded)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _where(url: str, chain: _Chain) -> str:
    if not chain.redirects:
        return ""
    hops = len(chain.redirects)
    return f" (at {chain.final_url}, after {hops} redirect{'s' if hops > 1 else ''})"


def _too_large(cap: int) -> _Problem:
    return _Problem(Reason.TOO_LARGE, f"the document exceeds the {_size(cap)} size cap")


def _size(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


def _deadline_problem(config: FetchConfig) -> _Problem:
    return _Problem(Reason.TIMEOUT, f"no complete answer within the {config.deadline:g} s deadline")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and everything it wraps: causes, contexts, urllib3's reasons and args."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        related = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        related += list(current.args)
        stack.extend(item for item in related if isinstance(item, BaseException))


def _problem_of(error: BaseException, url: str, watch: _Watch, config: FetchConfig) -> _Problem:
    """The fetch outcome a failed request or read amounts to."""
    if watch.expired:
        return _deadline_problem(config)
    chain = list(_causes(error))
    parts = urlsplit(url)
    host = parts.hostname or parts.netloc

    def has(*kinds: type[BaseException]) -> BaseException | None:
        return next((item for item in chain if isinstance(item, kinds)), None)

    # Before the timeouts: urllib3's NewConnectionError (and its NameResolutionError) is a
    # ConnectTimeoutError, for backward compatibility.
    refused = has(PrivateAddressError)
    if refused is not None:
        return _Problem(Reason.PRIVATE_ADDRESS, str(refused))
    if has(socket.gaierror, urllib3.exceptions.NameResolutionError):
        return _Problem(Reason.DNS_FAILURE, f"the host name {host} does not resolve")
    if has(ConnectionRefusedError):
        return _Problem(
            Reason.CONNECTION_REFUSED, f"nothing listens at {parts.netloc} (connection refused)"
        )
    if has(TimeoutError, requests.Timeout, urllib3.exceptions.ReadTimeoutError):
        if has(requests.ConnectTimeout) or (
            has(urllib3.exceptions.ConnectTimeoutError)
            and not has(urllib3.exceptions.NewConnectionError)
        ):
            return _Problem(
                Reason.TIMEOUT, f"could not connect to {host} within {config.connect_timeout:g} s"
            )
        return _Problem(
            Reason.TIMEOUT, f"{host} sent nothing for {config.read_timeout:g} s (read timeout)"
        )
    tls = has(ssl.SSLError, requests.exceptions.SSLError, urllib3.exceptions.SSLError)
    if tls is not None:
        return _Problem(Reason.TLS_ERROR, f"the TLS handshake with {host} failed: {_tls(tls)}")
    if has(requests.exceptions.InvalidURL, urllib3.exceptions.LocationParseError):
        return _Problem(Reason.INVALID_URL, f"{url!r} is not a valid URL")
    if has(ConnectionResetError):
        detail = "the connection was reset"
    elif has(http.client.IncompleteRead):
        detail = "the body ended before its announced length"
    elif has(requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError):
        detail = "the compressed body is corrupt"
    elif has(http.client.RemoteDisconnected):
        detail = "the server closed the connection without answering"
    elif has(http.client.HTTPException, urllib3.exceptions.ProtocolError):
        detail = "the answer is malformed"
    else:
        detail = f"the connection broke ({type(chain[-1]).__name__})"
    return _Problem(Reason.CONNECTION_ERROR, f"{detail} ({host})")


def _tls(error: BaseException) -> str:
    for item in _causes(error):
        if isinstance(item, ssl.SSLCertVerificationError) and item.verify_message:
            return f"certificate verify failed: {item.verify_message}"
        if isinstance(item, ssl.SSLError) and item.reason:
            return str(item.reason).lower().replace("_", " ")
    return str(error)


def _comparable_text(body: bytes, media_type: str | None) -> list[str] | None:
    try:
        text = extract_text(body, media_type)
    except TextExtractionError:
        return None
    if not text.readable:
        return None
    return text.text.lower().split()


def _near_identical(a: bytes, a_type: str | None, b: bytes, b_type: str | None) -> bool:
    """Whether two pages say the same, up to a few tokens (a date, a request id)."""
    if a == b:
        return True
    words_a, words_b = _comparable_text(a, a_type), _comparable_text(b, b_type)
    if not words_a or not words_b:
        return False
    return fuzz.ratio(words_a, words_b, score_cutoff=_SIMILAR) >= _SIMILAR
