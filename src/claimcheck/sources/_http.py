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
  The transport's own client reads the proxy environment once (``NO_PROXY`` once per origin),
  where requests reads it on every request.
- **Redirects are never followed by the transport.** Each caller looks at every hop (its
  scheme, its host, a loop) and makes the next request itself, with only the headers it chooses:
  credentials given for one request never travel to another host.
- **One** ``Retry-After`` **reader** (:func:`retry_after`): seconds or an HTTP date.

The connections that enforce the deadline and the address guard are in ``_connections.py``;
the transport's own HTTP client, urllib3 directly (what requests would send, at half the CPU,
issue 17), in ``_direct.py``; the client for a ``requests.Session`` the caller gives, in
``_session.py``. Politeness (per-host limits and spacing for the live web, the archives' rate
limiters) is in ``_limits.py``; what an answer means for a citation is in ``_pages.py``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import http.client
import json
import re
import socket
import ssl
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs
import urllib3.exceptions

from .. import documents  # web_codec, resolved when an answer is first read as text
from .._version import __version__
from ..model import Reason, in_sentence, well_formed
from ._addresses import is_public
from ._connections import PrivateAddressError, Reply, Watch, Watchdog, watching
from ._direct import DirectClient
from ._session import SessionClient

if TYPE_CHECKING:
    import requests

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
        codec = (documents.web_codec(found.group(1)) if found else None) or "utf-8"
        text = (self.body or b"").decode(codec, errors="replace")
        return well_formed(text.removeprefix("\ufeff"))

    def json(self) -> Any:
        """The body parsed as JSON; ``ValueError`` when it is not JSON."""
        return json.loads(self.body or b"")


# (requests' errors, from a session the caller gave, are OSErrors and ValueErrors)
_FAILURES = (
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


def _of_requests(*names: str) -> tuple[type[BaseException], ...]:
    """requests' exception classes of these names when requests is in use (a session the
    caller gave), else none: the transport's own client raises urllib3's and the socket's."""
    module = sys.modules.get("requests.exceptions")
    return tuple(getattr(module, name) for name in names) if module is not None else ()


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
    if has(TimeoutError, urllib3.exceptions.ReadTimeoutError, *_of_requests("Timeout")):
        if has(*_of_requests("ConnectTimeout")) or (
            has(urllib3.exceptions.ConnectTimeoutError)
            and not has(urllib3.exceptions.NewConnectionError)
        ):
            return Problem(
                Reason.TIMEOUT, f"could not connect to {host} within {settings.connect_timeout:g} s"
            )
        return Problem(
            Reason.TIMEOUT, f"{host} sent nothing for {settings.read_timeout:g} s (read timeout)"
        )
    tls = has(ssl.SSLError, urllib3.exceptions.SSLError, *_of_requests("SSLError"))
    if tls is not None:
        return Problem(Reason.TLS_ERROR, f"the TLS handshake with {host} failed: {_tls(tls)}")
    if has(urllib3.exceptions.LocationParseError, *_of_requests("InvalidURL")):
        return Problem(Reason.INVALID_URL, f"{in_sentence(url)!r} is not a valid URL")
    return Problem(Reason.CONNECTION_ERROR, f"{_broken(chain)} ({host})")


def _broken(chain: list[BaseException]) -> str:
    """How a connection broke, in words, from the exceptions it raised."""
    kinds: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
        ((ConnectionResetError,), "the connection was reset"),
        ((http.client.IncompleteRead,), "the body ended before its announced length"),
        (
            (urllib3.exceptions.DecodeError, *_of_requests("ContentDecodingError")),
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

    Its own client is urllib3 directly (``_direct.py``). A ``session`` (``requests.Session``)
    given instead is used for its cookies, headers, proxies, certificates and authentication
    (``_session.py``); plain ``HTTPAdapter`` s mounted on it for ``http://`` and ``https://``
    are replaced by the watched ones (an adapter of another kind is kept, and the deadline and
    the address guard are then its business), and it is left open by :meth:`close`.
    ``trusted`` names endpoints (URLs) whose origins may be private addresses.
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
        self.session = session
        self._client: DirectClient | SessionClient
        if session is None:
            self._client = DirectClient(
                pool_connections=pool_connections, pool_maxsize=pool_maxsize
            )
        else:  # (requests is loaded then)
            self._client = SessionClient(
                session, pool_connections=pool_connections, pool_maxsize=pool_maxsize
            )
        self._trusted = frozenset(found for url in trusted if (found := origin(url)) is not None)
        self._watchdog = Watchdog()

    def close(self) -> None:
        """Stop the watchdog; close the transport's own connections (a given session is left
        open)."""
        self._watchdog.close()
        self._client.close()

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
        with watching(watch, allow_private=allow):
            try:
                reply = self._client.send(
                    method,
                    url,
                    headers={"User-Agent": settings.user_agent, **(headers or {})},
                    params=params,
                    data=data,
                    timeout=timeout,
                )
            except _FAILURES as error:
                return _problem_of(error, url, watch, settings)
            try:
                limit = settings.max_bytes if cap is None else cap
                body = method != "HEAD" and (redirect_body or reply.location is None)
                return self._read(reply, url, watch, limit, body=body)
            finally:
                reply.close()

    def _read(self, reply: Reply, url: str, watch: Watch, cap: int, *, body: bool) -> Answer:
        status = reply.status
        headers = reply.headers
        watch.transferred += _header_bytes(headers)
        location = reply.location
        content: bytes | None = b"" if location is None else None
        problem: Problem | None = None
        if body:
            content, problem = self._read_body(reply, headers, url, watch, cap)
            watch.transferred += reply.tell()
        return Answer(
            url=url,
            status=status,
            phrase=reply.reason or _phrase(status),
            headers=headers,
            request_headers=reply.request_headers,
            location=location,
            body=content,
            problem=problem,
        )

    def _read_body(
        self,
        reply: Reply,
        headers: tuple[tuple[str, str], ...],
        url: str,
        watch: Watch,
        cap: int,
    ) -> tuple[bytes | None, Problem | None]:
        """The whole (decoded) body, streamed and counted against ``cap``; or the problem."""
        fields = {name.lower(): value for name, value in headers}
        declared = fields.get("content-length", "")
        encoding = reply.content_encoding() or "identity"
        if encoding == "identity" and declared.isdigit() and int(declared) > cap:
            return None, _too_large(cap)
        body = bytearray()
        try:
            for chunk in reply.stream(_CHUNK):
                body += chunk
                if len(body) > cap:
                    return None, _too_large(cap)
        except _FAILURES as error:
            return None, _problem_of(error, url, watch, self.settings)
        if watch.expired:
            return None, deadline_problem(self.settings)
        return bytes(body), None


def _header_bytes(headers: Iterable[tuple[str, str]]) -> int:
    """About how many bytes a status line and these header lines took on the wire."""
    return 17 + sum(len(name) + len(value) + 4 for name, value in headers) + 2


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
