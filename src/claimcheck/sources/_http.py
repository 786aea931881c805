"""The one HTTP transport: every request claimcheck makes, live or to a web archive, goes here.

The live :class:`~claimcheck.sources.Fetcher` and every archive client (Wayback CDX and ``id_``
replay, Memento TimeGates and TimeMaps, Save Page Now) send their requests through a
:class:`Transport`, so the guards below hold for all of them alike:

- **One User-Agent** (:func:`default_user_agent`), naming claimcheck with a contact URL, as the
  Internet Archive asks of its callers.
- **Timeouts and a deadline.** ``connect_timeout`` and ``read_timeout`` bound single socket
  operations; a :class:`Watch` bounds a whole exchange (or, for the fetcher, a whole URL with
  its redirects and retries). Per-socket timeouts cannot stop a server that sends one byte every
  second (each read succeeds), so a :class:`Watchdog` thread shuts down the sockets of a watch
  whose deadline has passed, wherever they are blocked (headers, body, TLS handshake).
- **The decoded-size cap.** Bodies are streamed and the *decoded* bytes counted, so a 50 KB gzip
  that expands to 1 GB stops at ``max_bytes`` with bounded memory (urllib3 >= 2.6 decompresses
  at most what is asked for); the answer then carries a ``too-large`` :class:`Problem`.
- **No private addresses.** Loopback, private, link-local (cloud metadata services at
  169.254.169.254 among them), multicast, reserved and special-purpose addresses, and IPv6
  forms that carry such an IPv4 address, are refused unless ``allow_private_addresses`` (the
  rule: ``_addresses.py``). The check is made after DNS resolution, on every connection (every
  redirect hop is a new request, hence a new check), and the connection goes to the address
  that was checked, so a DNS answer that changes between check and connect (rebinding) cannot
  slip through. Endpoints the user configured (an archive on 127.0.0.1, say) are *trusted*:
  their origin (scheme, host, port) may be private; a redirect from them to any other origin is
  checked like every other URL.
- **Proxies.** A forward proxy (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, with the
  ``NO_PROXY`` exceptions, as requests reads them, or a session's ``proxies``) is the user's
  own set-up: the connection to it is allowed wherever it is (a corporate proxy is usually on a
  private address). Its *target* is checked instead, before the proxy is asked, on every hop:
  an address literal must be public; a name must not resolve here to any non-public address
  (the proxy resolves it again, and may pick any of them); a name that does not resolve here
  (outside names often resolve only beyond a corporate proxy) is left to the proxy unless it
  says by itself that it is local (``localhost``, ``.internal``, one label, a numeric form).
  What the proxy's own resolver makes of a name is beyond claimcheck's reach: the proxy's own
  rules guard its network.
  A transport's own session reads the proxy environment once (``NO_PROXY`` once per origin;
  ``_session.py``), where requests reads it on every request.
- **Redirects are never followed by the transport.** Each caller looks at every hop (its
  scheme, its host, a loop) and makes the next request itself, with only the headers it chooses:
  credentials given for one request never travel to another host.
- **One** ``Retry-After`` **reader** (:func:`retry_after`): seconds or an HTTP date.

Politeness (per-host limits and spacing for the live web, the archives' rate limiters) is in
``_limits.py``; what an answer means for a citation is in ``_pages.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import errno
import heapq
import http.client
import itertools
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs
import requests
import requests.adapters
import urllib3
import urllib3.exceptions
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .._version import __version__
from ..documents import web_codec
from ..model import Reason, in_sentence, well_formed
from ._addresses import is_public, local_name
from ._session import OwnSession

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Answer",
    "HttpSettings",
    "PrivateAddressError",
    "Problem",
    "Transport",
    "Watch",
    "Watchdog",
    "body_repr",
    "deadline_problem",
    "default_user_agent",
    "is_public",
    "origin",
    "retry_after",
    "url_problem",
]

DEFAULT_MAX_BYTES = 25 * 2**20
_CHUNK = 64 * 1024
# Request headers left out of what is recorded with a capture.
_NOT_RECORDED = frozenset({"cookie", "authorization", "proxy-authorization"})


def default_user_agent() -> str:
    """claimcheck's User-Agent: its version and a contact URL (the Internet Archive asks callers
    to identify themselves). No "link" in it: a common mod_security rule refuses any User-Agent
    containing "link"."""
    return (
        f"claimcheck/{__version__} "
        "(+https://github.com/claimcheck/claimcheck; checks the sources of fact-checks)"
    )


@attrs.frozen
class HttpSettings:
    """What a :class:`Transport` needs to know: the User-Agent, the socket timeouts, the deadline
    of one :class:`Watch`, the decoded-size cap and whether private addresses may be reached.
    Made from a :class:`~claimcheck.FetchConfig` or an :class:`~claimcheck.ArchiveConfig`."""

    user_agent: str
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int
    allow_private_addresses: bool = False


def body_repr(body: bytes | None) -> str:
    """How a body shows in a ``repr``: its length, not its bytes."""
    return "None" if body is None else f"<{len(body)} bytes>"


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL with a host name that can be requested, or ``None``:
    the one rule for every URL the sources layer is given."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as error:
        return f"the URL cannot be parsed: {in_sentence(str(error))}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{in_sentence(url)!r} is not an http(s) URL"
    if not parts.hostname:
        return f"{in_sentence(url)!r} has no host name"
    return None


def origin(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of ``url``, the default port filled in; ``None`` when the URL
    has none (not http(s), no host, a bad port)."""
    try:
        parts = urlsplit(url.strip())
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower().rstrip(".")
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return None
    if port is None or not host:
        return None
    return scheme, host, port


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds, a fraction tolerated, or an
    HTTP date; a date in the past is 0); ``None`` when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


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


@contextlib.contextmanager
def _watching(watch: Watch, *, allow_private: bool) -> Iterator[None]:
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


def _check_proxied_target(url: str) -> None:
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
        if getattr(_local, "allow_private", False) or self.proxy is not None:
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
    """requests' adapter with the watched connection pools (also behind an HTTP proxy), which
    checks the target of a request a proxy carries (the connection only sees the proxy)."""

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        if not getattr(_local, "allow_private", False) and select_proxy(url, dict(proxies or {})):
            _check_proxied_target(url)
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )

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
# What an exchange came to


@attrs.frozen
class Problem:
    """Why an exchange gave no (complete) answer: a fetch outcome and a sentence for people.

    ``unreachable``: no server was reached at all, nothing was exchanged: the host name did not
    resolve, the connection was refused, or there was no route to the address. A run in which
    every request is unreachable has no network (:class:`~._network.Reachability`)."""

    reason: Reason
    message: str
    unreachable: bool = False


@attrs.frozen
class Answer:
    """An HTTP answer: a status line and headers, and the (decoded) body unless it is a
    redirect. ``location`` is a redirect's raw target; ``problem`` says why the body could not
    be read completely (``body`` is then ``None``)."""

    url: str
    status: int
    phrase: str
    headers: tuple[tuple[str, str], ...]
    request_headers: tuple[tuple[str, str], ...]
    location: str | None = None
    body: bytes | None = attrs.field(default=None, repr=body_repr)
    problem: Problem | None = None
    received: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), if present."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    def joined(self, name: str) -> str:
        """Every value of header ``name``, joined with commas (how repeated ``Link`` headers
        combine, RFC 9110 section 5.3); empty when absent."""
        name = name.lower()
        return ", ".join(value for key, value in self.headers if key.lower() == name)

    @property
    def media_type(self) -> str | None:
        """The ``Content-Type`` value."""
        return self.header("content-type")

    @property
    def text(self) -> str:
        """The body as text, in the ``charset`` the ``Content-Type`` names as browsers read it
        (:func:`~claimcheck.documents.web_codec`: UTF-8 when none, or one browsers do not
        decode, UTF-7 say), undecodable bytes replaced, a byte order mark dropped; well-formed
        (:func:`~claimcheck.model.well_formed`)."""
        found = re.search(r"charset=[\"']?([\w.:-]+)", self.media_type or "", re.IGNORECASE)
        codec = (web_codec(found.group(1)) if found else None) or "utf-8"
        text = (self.body or b"").decode(codec, errors="replace")
        return well_formed(text.removeprefix("\ufeff"))

    def json(self) -> Any:
        """The body parsed as JSON; ``ValueError`` when it is not JSON."""
        return json.loads(self.body or b"")


_FAILURES = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


# connect() without a route to the address: none to its network, or none to the host itself.
_NO_ROUTE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH})


def deadline_problem(settings: HttpSettings) -> Problem:
    return Problem(
        Reason.TIMEOUT, f"no complete answer within the {settings.deadline:g} s deadline"
    )


def _too_large(cap: int) -> Problem:
    return Problem(Reason.TOO_LARGE, f"the document exceeds the {_size(cap)} size cap")


def _size(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


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


def _problem_of(error: BaseException, url: str, watch: Watch, settings: HttpSettings) -> Problem:
    """The fetch outcome a failed request or read amounts to."""
    if watch.expired:
        return deadline_problem(settings)
    chain = list(_causes(error))
    parts = urlsplit(url)
    host = in_sentence(parts.hostname or parts.netloc)
    netloc = in_sentence(parts.netloc)

    def has(*kinds: type[BaseException]) -> BaseException | None:
        return next((item for item in chain if isinstance(item, kinds)), None)

    # Before the timeouts: urllib3's NewConnectionError (and its NameResolutionError) is a
    # ConnectTimeoutError, for backward compatibility.
    refused = has(PrivateAddressError)
    if refused is not None:
        return Problem(Reason.PRIVATE_ADDRESS, str(refused))
    if has(socket.gaierror, urllib3.exceptions.NameResolutionError):
        return Problem(Reason.DNS_FAILURE, f"the host name {host} does not resolve", True)
    if has(ConnectionRefusedError):
        return Problem(
            Reason.CONNECTION_REFUSED,
            f"nothing listens at {netloc} (connection refused)",
            True,
        )
    if any(isinstance(item, OSError) and item.errno in _NO_ROUTE for item in chain):
        # Says nothing of the page (unchecked), and a retry would meet the same routing table.
        return Problem(
            Reason.CONNECTION_ERROR,
            f"there is no route to {host} (the network is unreachable)",
            True,
        )
    if has(TimeoutError, requests.Timeout, urllib3.exceptions.ReadTimeoutError):
        if has(requests.ConnectTimeout) or (
            has(urllib3.exceptions.ConnectTimeoutError)
            and not has(urllib3.exceptions.NewConnectionError)
        ):
            return Problem(
                Reason.TIMEOUT, f"could not connect to {host} within {settings.connect_timeout:g} s"
            )
        return Problem(
            Reason.TIMEOUT, f"{host} sent nothing for {settings.read_timeout:g} s (read timeout)"
        )
    tls = has(ssl.SSLError, requests.exceptions.SSLError, urllib3.exceptions.SSLError)
    if tls is not None:
        return Problem(Reason.TLS_ERROR, f"the TLS handshake with {host} failed: {_tls(tls)}")
    if has(requests.exceptions.InvalidURL, urllib3.exceptions.LocationParseError):
        return Problem(Reason.INVALID_URL, f"{in_sentence(url)!r} is not a valid URL")
    return Problem(Reason.CONNECTION_ERROR, f"{_broken(chain)} ({host})")


def _broken(chain: list[BaseException]) -> str:
    """How a connection broke, in words, from the exceptions it raised."""
    kinds: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
        ((ConnectionResetError,), "the connection was reset"),
        ((http.client.IncompleteRead,), "the body ended before its announced length"),
        (
            (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError),
            "the compressed body is corrupt",
        ),
        ((http.client.RemoteDisconnected,), "the server closed the connection without answering"),
        ((http.client.HTTPException, urllib3.exceptions.ProtocolError), "the answer is malformed"),
    )
    for classes, detail in kinds:
        if any(isinstance(item, classes) for item in chain):
            return detail
    return f"the connection broke ({type(chain[-1]).__name__})"


def _tls(error: BaseException) -> str:
    for item in _causes(error):
        if isinstance(item, ssl.SSLCertVerificationError) and item.verify_message:
            return f"certificate verify failed: {item.verify_message}"
        if isinstance(item, ssl.SSLError) and item.reason:
            return str(item.reason).lower().replace("_", " ")
    return str(error)


# ---------------------------------------------------------------------------------------------
# The transport


class Transport:
    """One HTTP client with every guard of this module: the User-Agent, timeouts, the deadline
    of a :class:`Watch`, the decoded-size cap, the address guard on every connection.

    ``session`` is used for its cookies, headers, proxies, certificates and authentication;
    plain ``HTTPAdapter`` s mounted on it for ``http://`` and ``https://`` are replaced by the
    watched ones (an adapter of another kind is kept, and the deadline and the address guard
    are then its business). A session the transport made is closed by :meth:`close`; a given one
    is left open. ``trusted`` names endpoints (URLs) whose origins may be private addresses.
    """

    def __init__(
        self,
        settings: HttpSettings,
        *,
        session: requests.Session | None = None,
        trusted: Iterable[str] = (),
        pool_connections: int = 10,
        pool_maxsize: int = 10,
    ) -> None:
        self.settings = settings
        self._own_session = session is None
        self.session = session if session is not None else OwnSession()
        for prefix in ("http://", "https://"):
            if type(self.session.adapters.get(prefix)) is requests.adapters.HTTPAdapter:
                adapter = _Adapter(pool_connections=pool_connections, pool_maxsize=pool_maxsize)
                self.session.mount(prefix, adapter)
        self._trusted = frozenset(found for url in trusted if (found := origin(url)) is not None)
        self._watchdog = Watchdog()

    def close(self) -> None:
        """Stop the watchdog; close the session if this transport made it."""
        self._watchdog.close()
        if self._own_session:
            self.session.close()

    def exchange(
        self,
        method: str,
        url: str,
        watch: Watch,
        *,
        headers: Mapping[str, str] | None = None,
        params: list[tuple[str, str]] | None = None,
        data: Mapping[str, str] | None = None,
        cap: int | None = None,
        redirect_body: bool = False,
    ) -> Answer | Problem:
        """One request under ``watch`` (its clock starts now if it has not), redirects not
        followed: the :class:`Answer` with its body read (at most ``cap`` decoded bytes, by
        default ``max_bytes``; none for a ``HEAD``, nor for a redirect unless
        ``redirect_body``), or the :class:`Problem` that prevented any answer."""
        settings = self.settings
        watch.begin(self._watchdog)
        remaining = watch.remaining()
        if remaining <= 0:
            return deadline_problem(settings)
        timeout = (min(settings.connect_timeout, remaining), min(settings.read_timeout, remaining))
        allow = settings.allow_private_addresses or origin(url) in self._trusted
        with _watching(watch, allow_private=allow):
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers={"User-Agent": settings.user_agent, **(headers or {})},
                    stream=True,
                    allow_redirects=False,
                    timeout=timeout,
                    # Explicitly, or REQUESTS_CA_BUNDLE would override the session's own.
                    verify=self.session.verify,
                )
            except _FAILURES as error:
                return _problem_of(error, url, watch, settings)
            try:
                limit = settings.max_bytes if cap is None else cap
                body = method != "HEAD" and (redirect_body or not response.is_redirect)
                return self._read(response, url, watch, limit, body=body)
            finally:
                response.close()

    def _read(
        self, response: requests.Response, url: str, watch: Watch, cap: int, *, body: bool
    ) -> Answer:
        status = response.status_code
        headers = _response_headers(response)
        watch.transferred += _header_bytes(headers)
        location = self.session.get_redirect_target(response)
        content: bytes | None = b"" if location is None else None
        problem: Problem | None = None
        if body:
            content, problem = self._read_body(response, headers, url, watch, cap)
            with contextlib.suppress(AttributeError, TypeError):  # another adapter's raw
                watch.transferred += int(response.raw.tell())
        return Answer(
            url=url,
            status=status,
            phrase=response.reason or _phrase(status),
            headers=headers,
            request_headers=_request_headers(response, url),
            location=location,
            body=content,
            problem=problem,
        )

    def _read_body(
        self,
        response: requests.Response,
        headers: tuple[tuple[str, str], ...],
        url: str,
        watch: Watch,
        cap: int,
    ) -> tuple[bytes | None, Problem | None]:
        """The whole (decoded) body, streamed and counted against ``cap``; or the problem."""
        fields = {name.lower(): value for name, value in headers}
        declared = fields.get("content-length", "")
        encoding = _tidy_content_encoding(response) or "identity"
        if encoding == "identity" and declared.isdigit() and int(declared) > cap:
            return None, _too_large(cap)
        body = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=_CHUNK):
                body += chunk
                if len(body) > cap:
                    return None, _too_large(cap)
        except _FAILURES as error:
            return None, _problem_of(error, url, watch, self.settings)
        if watch.expired:
            return None, deadline_problem(self.settings)
        return bytes(body), None


def _tidy_content_encoding(response: requests.Response) -> str:
    """The body's content codings, empty ones left out, as urllib3 is then told to decode them
    (before it reads the body): the Wayback Machine sometimes sends an empty
    ``content-encoding:`` beside ``Content-Encoding: gzip``, and urllib3 decodes the empty
    coding of "gzip, " as deflate, which fails (urllib3/urllib3 PR #5189, open)."""
    raw = response.raw
    value = raw.headers.get("content-encoding") if raw is not None else None
    if value is None:
        return ""
    tidy = ", ".join(part.strip() for part in value.split(",") if part.strip())
    if tidy != value:
        if tidy:
            raw.headers["Content-Encoding"] = tidy
        else:
            del raw.headers["Content-Encoding"]
    return tidy.lower()


def _header_bytes(headers: Iterable[tuple[str, str]]) -> int:
    """About how many bytes a status line and these header lines took on the wire."""
    return 17 + sum(len(name) + len(value) + 4 for name, value in headers) + 2


def _response_headers(response: requests.Response) -> tuple[tuple[str, str], ...]:
    raw = response.raw.headers if response.raw is not None else None
    if raw is not None and hasattr(raw, "iteritems"):  # keeps repeated headers apart
        return tuple((str(k), str(v)) for k, v in raw.iteritems())
    return tuple(response.headers.items())


def _request_headers(response: requests.Response, url: str) -> tuple[tuple[str, str], ...]:
    """The request as it went on the wire, for the capture's request record. ``Host`` is the
    one urllib3 sent, taken from the prepared URL: requests encodes an internationalised host
    with IDNA (``xn--bcher-kva.test``), as browsers do, where ``url`` keeps it as written."""
    request = response.request
    sent = request.headers if request is not None else {}
    wire_url = request.url if request is not None and request.url else url
    recorded = [("Host", urlsplit(wire_url).netloc.rpartition("@")[2])]
    recorded += [(k, str(v)) for k, v in sent.items() if k.lower() not in _NOT_RECORDED]
    return tuple(recorded)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
