"""Web archives: find, fetch and request archived copies of sources.

A cited page may be gone, or say something else now; the copy "as cited" is often in a web
archive. This module speaks the protocols that reach those copies:

- the Wayback Machine's **CDX API** (``{wayback}/cdx/search/cdx``) lists the captures of a URL
  (:meth:`Wayback.captures`, :meth:`Wayback.nearest`). The **availability API**
  (``{wayback}/wayback/available``) is offered only as :meth:`Wayback.available`: it is known to
  answer ``{"archived_snapshots": {}}`` for pages that are archived, so nothing here relies on it;
- **replay with the** ``id_`` **modifier** (``{wayback}/web/{timestamp}id_/{url}``) returns a
  capture's bytes as originally served, without the Wayback banner or rewritten links
  (:meth:`Wayback.fetch`). Wayback silently redirects to the closest *other* capture when the one
  asked for is absent, sometimes months away, so the capture time of an :class:`ArchivedCopy` is
  always the ``Memento-Datetime`` of the answer, never the timestamp asked for;
- **Memento** (RFC 7089) TimeGates and TimeMaps reach other archives (:class:`Memento`);
  TimeMaps are ``application/link-format`` documents, read by :func:`parse_link_format`;
- **Save Page Now 2** asks the Internet Archive to capture a page now (:class:`SavePageNow`).

Politeness. The Internet Archive publishes no rate-limit policy; its staff have said CDX queries
are limited to an average of 60 a minute, and that an IP that ignores its 429 answers for more
than a minute is blocked at the firewall for an hour, doubling on repeat. So every call to the
Internet Archive goes through one process-wide :class:`RateLimiter` (15 calls a minute by
default), a 429 (or a 503 with ``Retry-After``) stops all calls for as long as it asks (a minute
when it does not say), and a second one in a row stops them for ``backoff_after_429`` seconds
(five minutes by default). While stopped, calls fail at once with :class:`RateLimitedError`
instead of sleeping inside a check: the check reports the source as ``rate-limited``
(unchecked) and moves on. Requests carry an identifying User-Agent with a contact URL.

Errors. Failures to reach an archive, and answers that are not what the protocol promises, raise
:class:`ArchiveError` (an ``OSError``), naming the URL. "No capture" is not an error: it is an
empty list or ``None``. A URL that is not http(s) is a ``ValueError``. Save Page Now's own
verdicts on a page (blocked, too many requests to the site, still pending) come back as a
:class:`SaveResult`, not as exceptions.

Configuration is an :class:`ArchiveConfig`, in code or from the ``[archives]`` table of a TOML
file. Save Page Now needs an archive.org account's S3-style keys
(https://archive.org/account/s3.php), passed in or read from the environment variables
``CLAIMCHECK_IA_ACCESS_KEY`` and ``CLAIMCHECK_IA_SECRET_KEY``; it is never called anonymously.

Sources of the formats (see ``../shared/reference/web-archives.md`` section 1): the CDX server's
README in ``internetarchive/wayback`` (parameters; JSON output whose first row names the fields);
recorded Wayback answers in ``edgi-govdata-archiving/wayback``'s test cassettes (a redirect to
another capture is a bare 302 with ``x-archive-redirect-reason: found capture at <timestamp>``;
the memento carries ``memento-datetime``, a ``link`` header with ``original``, ``timemap``,
``timegate``, ``first memento``, ``prev memento``, ``memento``, ``next memento`` and ``last
memento`` links, and the original headers as ``x-archive-orig-*``); RFC 7089 and its TimeGate
example (``Accept-Datetime`` in RFC 1123 form, ``302`` with ``Vary: accept-datetime``); the Save
Page Now 2 API draft (Vangelis Banos, 2022) and clients quoting its answers (``{"url": …,
"job_id": …}``, a ``job_id`` of ``null`` with a "same snapshot" ``message`` for a recent
duplicate, status ``pending``/``success``/``error`` with ``status_ext`` in an HTTP 200 answer,
``pending`` forever for an unknown job id).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import json
import os
import re
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import attrs
import requests

from .._version import __version__
from ..errors import ArchiveError, MissingCredentialsError, RateLimitedError
from ..model import Snapshot, as_utc
from ..store import SnapshotStore

__all__ = [
    "ArchiveConfig",
    "ArchiveError",
    "ArchivedCopy",
    "Capture",
    "Link",
    "Memento",
    "MissingCredentialsError",
    "RateLimitedError",
    "RateLimiter",
    "SavePageNow",
    "SaveResult",
    "Wayback",
    "parse_cdx_json",
    "parse_link_format",
    "store_copy",
]

ACCESS_KEY_ENV = "CLAIMCHECK_IA_ACCESS_KEY"
SECRET_KEY_ENV = "CLAIMCHECK_IA_SECRET_KEY"

IA_LIMITER_KEY = "internet-archive"
_MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# The fields asked of the CDX server, in the order they come back (the header row names them).
_CDX_FIELDS = ("original", "timestamp", "statuscode", "digest", "mimetype")
_ORIGINAL_HEADER_PREFIX = "x-archive-orig-"
# Headers describing the transfer rather than the document: the body we keep is decoded.
_TRANSFER_HEADERS = frozenset(
    {"content-type", "content-length", "content-encoding", "transfer-encoding", "connection"}
)
# A Wayback replay URL; group 1 is the original URL (modifiers such as id_ are optional).
_REPLAY_URL = re.compile(r"https?://[^/]+/web/\d{1,14}(?:[a-z]{2}_)?/(.+)$")
# A Retry-After that Save Page Now polling may simply wait out; longer ones end the save.
_MAX_INLINE_RETRY_AFTER = 60.0


# -------------------------------------------------------------------------------------------
# Errors


# -------------------------------------------------------------------------------------------
# Configuration


def _default_user_agent() -> str:

    return f"claimcheck/{__version__} (+https://github.com/claimcheck/claimcheck)"


def _without_trailing_slash(url: str) -> str:
    return url.rstrip("/")


def _as_str_tuple(values: Any) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(values)


@attrs.frozen
class ArchiveConfig:
    """Where the archives are and how politely to call them.

    - ``wayback``: the Wayback Machine's base URL: CDX at ``{wayback}/cdx/search/cdx``, replay at
      ``{wayback}/web/{timestamp}id_/{url}``.
    - ``timegates``: further Memento TimeGates, each a base the URL is appended to
      (``"https://arquivo.pt/wayback/"``).
    - ``save_page_now``: the Save Page Now 2 endpoint.
    - ``requests_per_minute``: one process-wide budget for every Internet Archive call (well
      under the ~60 a minute the Internet Archive has said it allows CDX queries).
    - ``backoff_after_429``: seconds without any Internet Archive call after repeated 429s.
    - ``user_agent``: identifies claimcheck, with a contact URL, as the Internet Archive asks.
    - ``timeout``: seconds to wait for an answer.
    """

    wayback: str = attrs.field(default="https://web.archive.org", converter=_without_trailing_slash)
    timegates: tuple[str, ...] = attrs.field(default=(), converter=_as_str_tuple)
    save_page_now: str = attrs.field(
        default="https://web.archive.org/save", converter=_without_trailing_slash
    )
    requests_per_minute: float = attrs.field(default=15.0, validator=attrs.validators.gt(0))
    backoff_after_429: float = attrs.field(default=300.0, validator=attrs.validators.ge(0))
    user_agent: str = attrs.field(factory=_default_user_agent)
    timeout: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ArchiveConfig:
        """Read the ``[archives]`` table of a TOML file; missing keys keep their defaults::

            [archives]
            wayback = "https://web.archive.org"
            timegates = ["https://arquivo.pt/wayback/"]
            save_page_now = "https://web.archive.org/save"
            requests_per_minute = 10

        An unknown key or a value of the wrong type raises ``ValueError`` naming the file and
        the key, so a typo never silently falls back to a default.
        """
        try:
            document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: not valid TOML: {error}") from None
        table = document.get("archives", {})
        if not isinstance(table, dict):
            raise ValueError(f"{path}: 'archives' must be a table ([archives])")
        values: dict[str, Any] = {}
        for key, value in table.items():
            check = _CONFIG_CHECKS.get(key)
            if check is None:
                known = ", ".join(sorted(_CONFIG_CHECKS))
                raise ValueError(f"{path}: [archives] has an unknown key {key!r} (known: {known})")
            problem = check(value)
            if problem:
                raise ValueError(f"{path}: [archives] {key}: {problem}, not {value!r}")
            values[key] = float(value) if isinstance(value, int) else value
        return cls(**values)


def _http_url_problem(value: object) -> str | None:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        return "must be an http(s) URL"
    return None


def _url_list_problem(value: object) -> str | None:
    if not isinstance(value, list) or any(_http_url_problem(item) for item in value):
        return "must be a list of http(s) URLs"
    return None


def _positive_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return "must be a positive number"
    return None


def _non_negative_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return "must be a number of seconds, 0 or more"
    return None


def _text_problem(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


_CONFIG_CHECKS: dict[str, Callable[[object], str | None]] = {
    "wayback": _http_url_problem,
    "timegates": _url_list_problem,
    "save_page_now": _http_url_problem,
    "requests_per_minute": _positive_problem,
    "backoff_after_429": _non_negative_problem,
    "user_agent": _text_problem,
    "timeout": _positive_problem,
}


# -------------------------------------------------------------------------------------------
# Data


def _bytes_repr(body: bytes) -> str:
    return f"<{len(body)} bytes>"


@attrs.frozen
class Capture:
    """One archived copy of a URL, as an archive's index lists it.

    - ``url``: the original URL, as the archive records it (it may differ from the URL asked
      for in scheme, ``www.`` or a default port).
    - ``timestamp``: when the archive captured it (UTC).
    - ``archive_url``: the replay URL, for people (``{wayback}/web/{timestamp}/{url}``, or the
      memento URL of a Memento archive).
    - ``status``, ``digest``, ``media_type``: the captured HTTP status, payload digest (the CDX
      index's base32 SHA-1) and ``Content-Type``, when the index says.
    - ``source``: ``"wayback"``, or the TimeGate base the capture was found through.
    """

    url: str
    timestamp: dt.datetime
    archive_url: str
    status: int | None = None
    digest: str | None = None
    media_type: str | None = None
    source: str = "wayback"


@attrs.frozen
class ArchivedCopy:
    """The bytes of a capture, as the original server sent them.

    ``capture`` describes the capture actually served, with its real capture time (from
    ``Memento-Datetime``: an archive may serve a capture other than the one asked for) and the
    HTTP status it recorded; its ``url`` stays the URL asked for, also when the page itself
    redirected when it was captured. ``headers`` are the original response headers the archive
    passes on (``Content-Type`` first), without the transfer headers of the archive's answer.
    """

    capture: Capture
    body: bytes = attrs.field(repr=_bytes_repr)
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class SaveResult:
    """What Save Page Now made of a request to capture ``url``.

    - ``ok``: the Internet Archive holds a capture of the page now (a new one, or a recent one
      it declined to duplicate).
    - ``archive_url``/``timestamp``: that capture, when known.
    - ``job_id``: the Save Page Now job, when one was started.
    - ``error``: why not: Save Page Now's ``status_ext`` (``"error:blocked"``,
      ``"error:too-many-requests"``, …), ``"rate-limited"`` (the Internet Archive asked us to
      slow down) or ``"still-pending"`` (the job did not finish while we polled).
    - ``message``: what happened, in words (Save Page Now's own message when it gave one).
    """

    url: str
    ok: bool
    archive_url: str | None
    timestamp: dt.datetime | None
    job_id: str | None
    error: str | None
    message: str


@attrs.frozen
class Link:
    """One link of an HTTP ``Link`` header or an ``application/link-format`` document.

    ``rel`` holds the relation types, lower-cased and split (``rel="first memento"`` gives
    ``("first", "memento")``); ``params`` every parameter, names lower-cased, values unquoted.
    """

    uri: str
    rel: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        """The first value of parameter ``name`` (case-insensitive), if present."""
        wanted = name.lower()
        return next((value for key, value in self.params if key == wanted), None)


# -------------------------------------------------------------------------------------------
# Rate limiting


def _configured_limiter(config: ArchiveConfig, endpoint: str) -> RateLimiter:
    """The shared limiter for ``endpoint``, at the configuration's rate."""
    return RateLimiter.shared(
        config.requests_per_minute,
        backoff_after_429=config.backoff_after_429,
        key=limiter_key(endpoint),
    )


def limiter_key(endpoint: str) -> str:
    """Which shared limiter an endpoint's calls go through: the Internet Archive's one for any
    archive.org host, else one per host (a national library, a local test archive)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if host == "archive.org" or host.endswith(".archive.org"):
        return IA_LIMITER_KEY
    return f"{host}:{parts.port}" if parts.port else host


class RateLimiter:
    """A thread-safe limit on calls to one archive, with a stop after the archive says 429.

    Calls are spaced evenly: at most ``burst`` at once, then one every ``60 /
    requests_per_minute`` seconds (:meth:`acquire` sleeps for the few seconds that takes).
    :meth:`record_429` stops all calls for the ``Retry-After`` the archive gave
    (``default_retry_after`` when it gave none); ``trip_after`` 429s in a row, with no successful
    call between, stop them for ``backoff_after_429`` seconds. While stopped, :meth:`acquire`
    raises :class:`RateLimitedError` at once rather than sleeping for minutes inside a check,
    so the caller can report the source as rate-limited and go on.

    ``RateLimiter.shared()`` is the one process-wide limiter for the Internet Archive.
    """

    _shared: ClassVar[dict[str, RateLimiter]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        requests_per_minute: float = 15.0,
        *,
        backoff_after_429: float = 300.0,
        burst: int = 1,
        trip_after: int = 2,
        default_retry_after: float = 60.0,
        name: str = "the archive",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive")
        if burst < 1 or trip_after < 1:
            raise ValueError("burst and trip_after must be at least 1")
        self._interval = 60.0 / requests_per_minute
        self._burst = burst
        self._backoff = backoff_after_429
        self._trip_after = trip_after
        self._default_retry_after = default_retry_after
        self._name = name
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # Generic cell rate algorithm: the time the next call would be due with no burst.
        self._due = float("-inf")
        self._paused_until = float("-inf")
        self._consecutive_429 = 0

    def __repr__(self) -> str:
        return f"RateLimiter({self.requests_per_minute:g}/min, {self._name})"

    @property
    def requests_per_minute(self) -> float:
        """The sustained rate allowed."""
        return 60.0 / self._interval

    @property
    def paused_for(self) -> float:
        """Seconds until calls are allowed again after a 429 (0 when they are)."""
        with self._lock:
            return max(0.0, self._paused_until - self._clock())

    @classmethod
    def shared(
        cls,
        requests_per_minute: float = 15.0,
        *,
        backoff_after_429: float = 300.0,
        key: str = IA_LIMITER_KEY,
    ) -> RateLimiter:
        """The process-wide limiter for ``key`` (by default the Internet Archive), created on
        first use. Asked again with a lower rate or a longer backoff, it adopts them: the
        strictest configuration in the process wins."""
        with cls._shared_lock:
            limiter = cls._shared.get(key)
            if limiter is None:
                name = "the Internet Archive" if key == IA_LIMITER_KEY else key
                limiter = cls(requests_per_minute, backoff_after_429=backoff_after_429, name=name)
                cls._shared[key] = limiter
            else:
                limiter._tighten(requests_per_minute, backoff_after_429)
            return limiter

    def _tighten(self, requests_per_minute: float, backoff_after_429: float) -> None:
        with self._lock:
            self._interval = max(self._interval, 60.0 / requests_per_minute)
            self._backoff = max(self._backoff, backoff_after_429)

    def acquire(self) -> None:
        """Wait for the next slot for a call; raise :class:`RateLimitedError` while stopped."""
        with self._lock:
            now = self._clock()
            self._raise_if_paused(now)
            due = max(self._due, now)
            wait = max(0.0, due - (self._burst - 1) * self._interval - now)
            self._due = due + self._interval
        if wait > 0:
            self._sleep(wait)
            with self._lock:
                self._raise_if_paused(self._clock())

    def _raise_if_paused(self, now: float) -> None:
        if now < self._paused_until:
            remaining = self._paused_until - now
            raise RateLimitedError(
                f"{self._name} asked us to slow down: no calls for another {remaining:.0f} s",
                retry_after=remaining,
            )

    def record_429(self, retry_after: float | None = None) -> None:
        """Note that the archive answered 429 (or 503 with ``Retry-After``): stop calls."""
        with self._lock:
            self._consecutive_429 += 1
            if self._consecutive_429 >= self._trip_after:
                pause = max(self._backoff, retry_after or 0.0)
            else:
                pause = self._default_retry_after if retry_after is None else retry_after
            self._paused_until = max(self._paused_until, self._clock() + pause)

    def record_success(self) -> None:
        """Note an answer that was not a 429: the run of 429s is over."""
        with self._lock:
            self._consecutive_429 = 0


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - dt.datetime.now(dt.UTC)).total_seconds())


# -------------------------------------------------------------------------------------------
# HTTP


class _Client:
    """What every archive client shares: a session, a rate limiter, a timeout, a User-Agent."""

    def __init__(
        self,
        *,
        session: requests.Session | None,
        limiter: RateLimiter | None,
        timeout: float,
        user_agent: str,
    ) -> None:
        self._own_session = session is None
        self._session = session if session is not None else requests.Session()
        self._limiter = limiter
        self._timeout = timeout
        self._user_agent = user_agent

    def close(self) -> None:
        """Close the HTTP session, if this client made it."""
        if self._own_session:
            self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """One call, within the rate limit, redirects not followed (they are looked at)."""
        if self._limiter is not None:
            self._limiter.acquire()
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                data=data,
                headers={"User-Agent": self._user_agent, **(headers or {})},
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise ArchiveError(f"{url}: no answer within {self._timeout:g} s") from None
        except requests.RequestException as error:
            raise ArchiveError(f"{url}: {error}") from None
        # A memento may be a capture of a 429 page: only the archive's own 429 means "slow down".
        if "Memento-Datetime" not in response.headers and (
            response.status_code == 429
            or (response.status_code == 503 and "Retry-After" in response.headers)
        ):
            wait = _retry_after(response.headers.get("Retry-After"))
            if self._limiter is not None:
                self._limiter.record_429(wait)
            when = f"; retry after {wait:.0f} s" if wait is not None else ""
            raise RateLimitedError(
                f"{url}: the archive answered HTTP {response.status_code}{when}", retry_after=wait
            )
        if self._limiter is not None:
            self._limiter.record_success()
        return response


def _location(response: requests.Response) -> str | None:
    if response.status_code in _REDIRECTS:
        return response.headers.get("Location") or None
    return None


def _memento_datetime(response: requests.Response) -> dt.datetime | None:
    value = response.headers.get("Memento-Datetime")
    if value is None:
        return None
    moment = _parse_http_date(value)
    if moment is None:
        raise ArchiveError(f"{response.url}: unreadable Memento-Datetime {value!r}")
    return moment


def _parse_http_date(value: str) -> dt.datetime | None:
    """An RFC 1123 date (``Tue, 11 Sep 2001 20:35:00 GMT``) as an aware UTC datetime."""
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _http_date(moment: dt.datetime | dt.date) -> str:
    return email.utils.format_datetime(as_utc(moment), usegmt=True)


def _wayback_timestamp(moment: dt.datetime | dt.date) -> str:
    return as_utc(moment).strftime("%Y%m%d%H%M%S")


def _cdx_bound(moment: dt.datetime | dt.date) -> str:
    """A CDX ``from``/``to`` value: a day (``YYYYMMDD``, the whole day) or a second."""
    if isinstance(moment, dt.datetime):
        return _wayback_timestamp(moment)
    return moment.strftime("%Y%m%d")


def _parse_wayback_timestamp(value: str) -> dt.datetime:
    if not re.fullmatch(r"\d{14}", value):
        raise ValueError(f"not a 14-digit Wayback timestamp: {value!r}")
    return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def _clean_original(url: str) -> str:
    """The URL without a fragment and without a default port (``http://a.org:80/``)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    default = {"http": ":80", "https": ":443"}.get(parts.scheme.lower())
    if default and netloc.endswith(default):
        netloc = netloc.removesuffix(default)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def _check_http_url(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"only http(s) URLs are archived, not {url!r}")
    return _clean_original(url)


def _original_headers(response: requests.Response, media_type: str) -> tuple[tuple[str, str], ...]:
    """The original server's headers as the archive passes them on (``X-Archive-Orig-*``)."""
    headers = [("Content-Type", media_type)]
    for name, value in response.headers.items():
        if not name.lower().startswith(_ORIGINAL_HEADER_PREFIX):
            continue
        original = name[len(_ORIGINAL_HEADER_PREFIX) :]
        if original.lower() in _TRANSFER_HEADERS:
            continue
        headers.append(("-".join(part.capitalize() for part in original.split("-")), value))
    return tuple(headers)


def _media_type(response: requests.Response) -> str:
    return (
        response.headers.get("Content-Type")
        or response.headers.get("X-Archive-Orig-Content-Type")
        or "application/octet-stream"
    )


# -------------------------------------------------------------------------------------------
# The Wayback Machine


class Wayback(_Client):
    """The Internet Archive's Wayback Machine: list captures (CDX), fetch their original bytes
    (``id_`` replay), and, as a last resort, ask the availability API.

    All calls share the process-wide Internet Archive :class:`RateLimiter` unless ``limiter``
    says otherwise.
    """

    def __init__(
        self,
        config: ArchiveConfig | None = None,
        *,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.config = config if config is not None else ArchiveConfig()
        if limiter is None:
            limiter = _configured_limiter(self.config, self.config.wayback)
        super().__init__(
            session=session,
            limiter=limiter,
            timeout=self.config.timeout,
            user_agent=self.config.user_agent,
        )

    def __repr__(self) -> str:
        return f"Wayback({self.config.wayback!r})"

    def captures(
        self,
        url: str,
        *,
        since: dt.date | dt.datetime | None = None,
        until: dt.date | dt.datetime | None = None,
        limit: int = 1000,
    ) -> list[Capture]:
        """The captures of ``url`` that answered 200, one per distinct content, oldest first.

        ``since``/``until`` bound them (inclusive; a date means the whole day). ``limit`` keeps
        the first ``limit`` captures, or with a negative value the last ``-limit`` (how
        :meth:`nearest` finds the latest capture without listing them all).
        """
        if limit == 0:
            raise ValueError("limit must not be 0")
        original = _check_http_url(url)
        params = [
            ("url", original),
            ("output", "json"),
            ("fl", ",".join(_CDX_FIELDS)),
            ("filter", "statuscode:200"),
            ("collapse", "digest"),
            ("limit", str(limit)),
        ]
        if since is not None:
            params.append(("from", _cdx_bound(since)))
        if until is not None:
            params.append(("to", _cdx_bound(until)))
        endpoint = f"{self.config.wayback}/cdx/search/cdx"
        response = self._request("GET", endpoint, params=params)
        if response.status_code != 200:
            detail = response.text.strip().splitlines()[:1]
            if "RobotAccessControlException" in response.text:
                detail = ["the site's robots.txt excludes it from the archive"]
            raise ArchiveError(
                f"{endpoint}?url={original}: HTTP {response.status_code}"
                + (f": {detail[0][:200]}" if detail else "")
            )
        try:
            return parse_cdx_json(response.text, wayback=self.config.wayback)
        except ValueError as error:
            raise ArchiveError(
                f"{endpoint}?url={original}: unexpected CDX answer: {error}"
            ) from None

    def nearest(self, url: str, at: dt.date | dt.datetime | None = None) -> Capture | None:
        """The capture to use for ``url`` "as of" ``at``: the latest at or before it (a date
        counts as its whole day) when there is one, else the earliest after it; without ``at``
        the latest of all. ``None`` when the archive holds no capture that answered 200.

        Asks the CDX API (one or two queries); never the availability API, which is known to
        answer "nothing" for archived pages.
        """
        if at is None:
            latest = self.captures(url, limit=-1)
            return latest[-1] if latest else None
        before = self.captures(url, until=at, limit=-1)
        if before:
            return before[-1]
        after = self.captures(url, since=at, limit=1)
        return after[0] if after else None

    def fetch(self, capture: Capture) -> ArchivedCopy:
        """The bytes of ``capture`` as originally served, via ``{wayback}/web/{ts}id_/{url}``.

        Wayback's redirects to another capture are followed, and the copy's capture time is
        the ``Memento-Datetime`` of the capture actually served, which may be months from the
        one asked for. A capture of a page that itself redirected is followed to the capture
        of its target (never to the live web). Raises :class:`ArchiveError` when the archive
        has no capture to serve.
        """
        target = self._raw_url(_wayback_timestamp(capture.timestamp), capture.url)
        seen: set[str] = set()
        for _ in range(_MAX_REDIRECTS):
            if target in seen:
                raise ArchiveError(f"{target}: the archive's redirects go round in a loop")
            seen.add(target)
            response = self._request("GET", target)
            moment = _memento_datetime(response)
            location = _location(response)
            if moment is None:
                if location is not None:
                    target = urljoin(target, location)
                    if not _same_host(target, self.config.wayback):
                        raise ArchiveError(f"{capture.archive_url}: redirected out of the archive")
                    continue
                reason = response.headers.get("X-Archive-Wayback-Runtime-Error", "")
                raise ArchiveError(
                    f"{capture.archive_url}: the archive serves no capture "
                    f"(HTTP {response.status_code}{': ' + reason if reason else ''})"
                )
            if location is not None:
                target = self._historical_redirect(target, location, moment)
                continue
            return self._copy(capture, response, moment, target)
        raise ArchiveError(f"{capture.archive_url}: more than {_MAX_REDIRECTS} redirects")

    def _raw_url(self, timestamp: str, original: str) -> str:
        return f"{self.config.wayback}/web/{timestamp}id_/{_clean_original(original)}"

    def _original_of(self, replay_url: str) -> str | None:
        match = _REPLAY_URL.match(replay_url)
        return match.group(1) if match else None

    def _historical_redirect(self, current: str, location: str, moment: dt.datetime) -> str:
        """Where a capture of a redirect leads: the target as captured at about that time.

        Wayback rewrites the captured ``Location`` into the archive
        (``/web/<ts>id_/<target>``); an unrewritten one names the live target, which is
        replayed from the archive instead of being fetched.
        """
        absolute = urljoin(current, location)
        if _same_host(absolute, self.config.wayback) and _REPLAY_URL.match(absolute):
            return absolute
        base = self._original_of(current) or current
        return self._raw_url(_wayback_timestamp(moment), urljoin(base, location))

    def _copy(
        self, asked: Capture, response: requests.Response, moment: dt.datetime, served: str
    ) -> ArchivedCopy:
        timestamp = _wayback_timestamp(moment)
        original = self._original_of(served) or asked.url
        media_type = _media_type(response)
        same = timestamp == _wayback_timestamp(asked.timestamp)
        capture = Capture(
            url=asked.url,
            timestamp=moment,
            archive_url=f"{self.config.wayback}/web/{timestamp}/{original}",
            status=response.status_code,
            digest=asked.digest if same else None,
            media_type=media_type,
            source=asked.source,
        )
        return ArchivedCopy(
            capture=capture,
            body=response.content,
            media_type=media_type,
            headers=_original_headers(response, media_type),
        )

    def available(self, url: str, at: dt.date | dt.datetime | None = None) -> Capture | None:
        """The availability API's closest capture of ``url`` to ``at``, if it names one.

        A fallback only: this API is rate-limited hard and often answers
        ``{"archived_snapshots": {}}`` for pages that are archived, so ``None`` from it does
        not mean "not archived". Prefer :meth:`nearest`.
        """
        original = _check_http_url(url)
        params = [("url", original)]
        if at is not None:
            params.append(("timestamp", _cdx_bound(at)))
        endpoint = f"{self.config.wayback}/wayback/available"
        response = self._request("GET", endpoint, params=params)
        if response.status_code != 200:
            raise ArchiveError(f"{endpoint}?url={original}: HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise ArchiveError(f"{endpoint}?url={original}: the answer is not JSON") from None
        snapshots = answer.get("archived_snapshots") if isinstance(answer, dict) else None
        closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
        if not isinstance(closest, dict) or closest.get("available") is False:
            return None
        try:
            moment = _parse_wayback_timestamp(str(closest.get("timestamp")))
        except ValueError:
            raise ArchiveError(f"{endpoint}?url={original}: unexpected answer {answer}") from None
        replay = str(closest.get("url") or "")
        found = re.search(r"/web/\d{14}[a-z_]*/(.+)$", replay)
        captured_url = _clean_original(found.group(1)) if found else original
        status = str(closest.get("status", ""))
        return Capture(
            url=captured_url,
            timestamp=moment,
            archive_url=f"{self.config.wayback}/web/{_wayback_timestamp(moment)}/{captured_url}",
            status=int(status) if status.isdigit() else None,
        )


def parse_cdx_json(
    text: str, *, wayback: str = "https://web.archive.org", source: str = "wayback"
) -> list[Capture]:
    """The captures in a CDX server's JSON answer (``output=json``).

    The answer is an array of arrays whose first row names the fields
    (``[["original","timestamp",…],[…],…]``); an empty answer is ``[]`` (or an empty body).
    Fields are found by name, so any ``fl`` order works; ``original`` and ``timestamp`` are
    required. Rows that are not captures (a resume key, a malformed timestamp, a URL that is not
    http(s)) are skipped. Raises ``ValueError`` when the text is not such an array.
    """
    text = text.strip()
    if not text:
        return []
    rows = json.loads(text)
    if not isinstance(rows, list):
        raise ValueError("not a JSON array")
    if not rows:
        return []
    header = rows[0]
    if not isinstance(header, list) or not all(isinstance(name, str) for name in header):
        raise ValueError("the first row does not name the fields")
    column = {name: index for index, name in enumerate(header)}
    if "original" not in column or "timestamp" not in column:
        raise ValueError(f"the fields {header} lack 'original' or 'timestamp'")

    def field(row: list[Any], name: str) -> str | None:
        index = column.get(name)
        value = row[index] if index is not None else None
        return None if value in (None, "", "-") else str(value)

    wayback = wayback.rstrip("/")
    captures = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != len(header):
            continue
        original = _clean_original(str(row[column["original"]]))
        try:
            moment = _parse_wayback_timestamp(str(row[column["timestamp"]]))
        except ValueError:
            continue
        if urlsplit(original).scheme.lower() not in ("http", "https"):
            continue
        status = field(row, "statuscode")
        captures.append(
            Capture(
                url=original,
                timestamp=moment,
                archive_url=f"{wayback}/web/{_wayback_timestamp(moment)}/{original}",
                status=int(status) if status and status.isdigit() else None,
                digest=field(row, "digest"),
                media_type=field(row, "mimetype"),
                source=source,
            )
        )
    return captures


# -------------------------------------------------------------------------------------------
# Memento


class Memento(_Client):
    """A Memento (RFC 7089) archive, reached through its TimeGate base URL.

    ``timegate`` is the base the original URL is appended to (``{timegate}{url}``); ``timemap``
    optionally the base of its TimeMaps (found from the TimeGate's ``Link`` header otherwise).
    By default calls share a process-wide limiter per archive host (the Internet Archive's one
    for archive.org hosts).
    """

    def __init__(
        self,
        timegate: str,
        *,
        timemap: str | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        timeout: float = 30.0,
        user_agent: str | None = None,
    ) -> None:
        _check_http_url(timegate)
        self.timegate_base = timegate
        self.timemap_base = timemap
        if limiter is None:
            limiter = RateLimiter.shared(key=limiter_key(timegate))
        super().__init__(
            session=session,
            limiter=limiter,
            timeout=timeout,
            user_agent=user_agent or _default_user_agent(),
        )

    def __repr__(self) -> str:
        return f"Memento({self.timegate_base!r})"

    def timegate(self, url: str, at: dt.date | dt.datetime) -> ArchivedCopy | None:
        """The memento of ``url`` the TimeGate picks for ``at`` (sent as ``Accept-Datetime``),
        with its bytes and its real ``Memento-Datetime``; ``None`` when the archive has none
        (404).

        Redirects are followed to the memento (TimeGates may hand over to other TimeGates); a
        memento that is itself a captured redirect is followed only within the same archive.
        """
        original = _check_http_url(url)
        headers = {"Accept-Datetime": _http_date(at)}
        target = self.timegate_base + original
        seen: set[str] = set()
        for _ in range(_MAX_REDIRECTS):
            if target in seen:
                raise ArchiveError(f"{target}: the archive's redirects go round in a loop")
            seen.add(target)
            response = self._request("GET", target, headers=headers)
            moment = _memento_datetime(response)
            location = _location(response)
            if moment is None:
                if location is not None:
                    target = urljoin(target, location)
                    continue
                if response.status_code == 404:
                    return None
                raise ArchiveError(
                    f"{target}: HTTP {response.status_code} without a Memento-Datetime "
                    "(neither a TimeGate redirect nor a memento)"
                )
            if location is not None and _same_origin(urljoin(target, location), target):
                target = urljoin(target, location)
                continue
            media_type = _media_type(response)
            capture = Capture(
                url=original,
                timestamp=moment,
                archive_url=target,
                status=response.status_code,
                media_type=media_type,
                source=self.timegate_base,
            )
            return ArchivedCopy(
                capture=capture,
                body=response.content,
                media_type=media_type,
                headers=_original_headers(response, media_type),
            )
        raise ArchiveError(f"{self.timegate_base}{original}: more than {_MAX_REDIRECTS} redirects")

    def timemap(self, url: str) -> list[Capture]:
        """Every memento of ``url`` the archive's TimeMap lists, oldest first (empty when the
        archive has none)."""
        original = _check_http_url(url)
        if self.timemap_base is not None:
            timemap_url = self.timemap_base + original
        else:
            found = self._discover_timemap(original)
            if found is None:
                return []
            timemap_url = found
        response = self._request("GET", timemap_url)
        if response.status_code == 404:
            return []
        if response.status_code != 200:
            raise ArchiveError(f"{timemap_url}: HTTP {response.status_code}")
        links = parse_link_format(response.text)
        uri_r = next((link.uri for link in links if "original" in link.rel), original)
        captures: dict[str, Capture] = {}
        for link in links:
            if "memento" not in link.rel:
                continue
            moment = _parse_http_date(link.param("datetime") or "")
            uri_m = urljoin(timemap_url, link.uri)
            if moment is None or uri_m in captures:
                continue
            captures[uri_m] = Capture(
                url=uri_r,
                timestamp=moment,
                archive_url=uri_m,
                media_type=link.param("type"),
                source=self.timegate_base,
            )
        return sorted(captures.values(), key=lambda capture: capture.timestamp)

    def _discover_timemap(self, original: str) -> str | None:
        """The TimeMap URL from the TimeGate's ``Link`` header (``rel="timemap"``)."""
        target = self.timegate_base + original
        response = self._request("HEAD", target)
        if response.status_code in (405, 501):  # HEAD not supported: ask with GET
            response = self._request("GET", target)
        for link in parse_link_format(response.headers.get("Link", "")):
            if "timemap" in link.rel:
                return urljoin(target, link.uri)
        if response.status_code == 404:
            return None
        raise ArchiveError(f'{target}: the TimeGate names no TimeMap (no rel="timemap" link)')


def _same_host(one: str, other: str) -> bool:
    return (urlsplit(one).hostname or "").lower() == (urlsplit(other).hostname or "").lower()


def _same_origin(one: str, other: str) -> bool:
    first, second = urlsplit(one), urlsplit(other)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)


_PARAM_NAME = re.compile(r"[^\s=;,<\"]+")
_BARE_VALUE = re.compile(r"[^\s;,]*")


def parse_link_format(text: str) -> list[Link]:
    """The links of an HTTP ``Link`` header or ``application/link-format`` document.

    ``<uri>; rel="memento"; datetime="…"`` entries separated by commas; entries and their
    parameters may span lines; parameter values may be quoted (commas and semicolons inside
    quotes, as in ``datetime="Tue, 11 Sep 2001 20:35:00 GMT"``, and inside ``<…>`` belong to
    the value) or bare (``rel=memento``); ``rel`` may list several relation types
    (``rel="first memento"``). Stray text between entries is skipped, so one malformed entry
    does not lose the rest. URIs are returned as written (relative ones unresolved).
    """
    links: list[Link] = []
    length = len(text)
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            break
        end = text.find(">", start + 1)
        if end < 0:
            break
        uri = text[start + 1 : end].strip()
        position = end + 1
        params: list[tuple[str, str]] = []
        while position < length:
            char = text[position]
            if char.isspace():
                position += 1
            elif char == ",":
                position += 1
                break
            elif char == "<":  # a new entry without the comma before it
                break
            elif char == ";":
                param, position = _parse_param(text, position + 1)
                if param is not None:
                    params.append(param)
            else:  # stray text: skip it
                position += 1
        rel = next((value for name, value in params if name == "rel"), "")
        links.append(Link(uri=uri, rel=tuple(rel.lower().split()), params=tuple(params)))
    return links


def _parse_param(text: str, position: int) -> tuple[tuple[str, str] | None, int]:
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    name_match = _PARAM_NAME.match(text, position)
    if name_match is None:
        return None, position
    name = name_match.group().lower()
    position = name_match.end()
    while position < length and text[position].isspace():
        position += 1
    if position >= length or text[position] != "=":
        return (name, ""), position
    position += 1
    while position < length and text[position].isspace():
        position += 1
    if position < length and text[position] == '"':
        value, position = _parse_quoted(text, position + 1)
        return (name, value), position
    bare = _BARE_VALUE.match(text, position)
    assert bare is not None  # the pattern matches the empty string
    return (name, bare.group()), bare.end()


def _parse_quoted(text: str, position: int) -> tuple[str, int]:
    """A quoted string's value from just after its opening quote, and the position after it."""
    value: list[str] = []
    length = len(text)
    while position < length:
        char = text[position]
        if char == "\\" and position + 1 < length:
            value.append(text[position + 1])
            position += 2
        elif char == '"':
            return "".join(value), position + 1
        else:
            value.append(char)
            position += 1
    return "".join(value), position


# -------------------------------------------------------------------------------------------
# Save Page Now 2


class SavePageNow(_Client):
    """The Internet Archive's Save Page Now 2 API: ask for a capture of a page now.

    Needs an archive.org account's S3-style keys (https://archive.org/account/s3.php):
    ``access_key``/``secret_key``, by default from the environment variables
    ``CLAIMCHECK_IA_ACCESS_KEY`` and ``CLAIMCHECK_IA_SECRET_KEY``. Without them :meth:`save`
    raises :class:`MissingCredentialsError`; it never calls anonymously.
    """

    def __init__(
        self,
        config: ArchiveConfig | None = None,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config if config is not None else ArchiveConfig()
        if limiter is None:
            limiter = _configured_limiter(self.config, self.config.save_page_now)
        super().__init__(
            session=session,
            limiter=limiter,
            timeout=self.config.timeout,
            user_agent=self.config.user_agent,
        )
        self._access_key = access_key or os.environ.get(ACCESS_KEY_ENV) or None
        self._secret_key = secret_key or os.environ.get(SECRET_KEY_ENV) or None
        self._sleep = sleep

    def __repr__(self) -> str:
        keys = "keys set" if self.has_keys else "no keys"
        return f"SavePageNow({self.config.save_page_now!r}, {keys})"

    @property
    def has_keys(self) -> bool:
        """Whether both keys are set (else :meth:`save` raises
        :class:`MissingCredentialsError`): lets a caller refuse before doing any work."""
        return bool(self._access_key and self._secret_key)

    def save(
        self,
        url: str,
        *,
        if_not_archived_within: str | None = "30d",
        poll_interval: float = 5.0,
        max_polls: int = 24,
    ) -> SaveResult:
        """Ask Save Page Now to capture ``url`` and wait (polling) for the outcome.

        ``if_not_archived_within`` (``"30d"``, ``"24h"``, seconds) lets the archive answer with
        a recent capture instead of making another. The job's status is polled every
        ``poll_interval`` seconds at most ``max_polls`` times: Save Page Now answers
        ``pending`` forever for a job id it does not know, so polling must end. A
        ``Retry-After`` of up to a minute while polling is waited out; a longer stop, or a 429
        to the request itself, ends the save as ``rate-limited``.

        Raises :class:`MissingCredentialsError` without keys, and :class:`ArchiveError` when
        the archive cannot be reached, refuses the keys, or answers unexpectedly.
        """
        if not (self._access_key and self._secret_key):
            raise MissingCredentialsError(
                "Save Page Now needs archive.org keys (https://archive.org/account/s3.php): "
                f"pass access_key and secret_key, or set {ACCESS_KEY_ENV} and {SECRET_KEY_ENV}"
            )
        original = _check_http_url(url)
        headers = {
            "Accept": "application/json",
            "Authorization": f"LOW {self._access_key}:{self._secret_key}",
        }
        form = {"url": original}
        if if_not_archived_within:
            form["if_not_archived_within"] = if_not_archived_within
        try:
            response = self._request("POST", self.config.save_page_now, data=form, headers=headers)
        except RateLimitedError as error:
            return _rate_limited(url, None, error)
        reply = self._answer(response, self.config.save_page_now)
        message = str(reply.get("message") or "")
        if reply.get("status") == "error":
            return _failed(url, None, reply)
        job_id = reply.get("job_id")
        if not job_id:
            if message:
                return self._recent_capture(url, message)
            raise ArchiveError(f"{self.config.save_page_now}: no job id in the answer {reply}")
        job_id = str(job_id)
        status_url = f"{self.config.save_page_now}/status/{quote(job_id, safe='')}"
        for _ in range(max_polls):
            self._sleep(poll_interval)
            try:
                response = self._request("GET", status_url, headers=headers)
            except RateLimitedError as error:
                wait = error.retry_after
                if wait is not None and wait <= _MAX_INLINE_RETRY_AFTER:
                    self._sleep(wait)
                    continue
                return _rate_limited(url, job_id, error)
            status = self._answer(response, status_url)
            state = status.get("status")
            if state == "pending":
                continue
            if state == "error":
                return _failed(url, job_id, status)
            if state == "success":
                return self._saved(url, job_id, status, message)
            raise ArchiveError(f"{status_url}: unexpected job status {state!r}")
        return SaveResult(
            url=url,
            ok=False,
            archive_url=None,
            timestamp=None,
            job_id=job_id,
            error="still-pending",
            message=(
                f"Save Page Now job {job_id} was still pending after {max_polls} polls; "
                "look for the capture later"
            ),
        )

    def _answer(self, response: requests.Response, url: str) -> dict[str, Any]:
        reply: Any = None
        with contextlib.suppress(ValueError):
            reply = response.json()
        said = reply.get("message") if isinstance(reply, dict) else None
        if response.status_code in (401, 403):
            raise ArchiveError(
                f"{url}: Save Page Now refused the access keys (HTTP {response.status_code}"
                + (f": {said})" if said else ")")
            )
        if response.status_code != 200:
            raise ArchiveError(
                f"{url}: HTTP {response.status_code}" + (f": {said}" if said else "")
            )
        if not isinstance(reply, dict):
            raise ArchiveError(f"{url}: the answer is not a JSON object")
        return reply

    def _saved(self, url: str, job_id: str, status: dict[str, Any], message: str) -> SaveResult:
        try:
            moment = _parse_wayback_timestamp(str(status.get("timestamp")))
        except ValueError:
            raise ArchiveError(f"job {job_id}: success without a timestamp: {status}") from None
        original = str(status.get("original_url") or url)
        archive_url = f"{self.config.wayback}/web/{_wayback_timestamp(moment)}/{original}"
        return SaveResult(
            url=url,
            ok=True,
            archive_url=archive_url,
            timestamp=moment,
            job_id=job_id,
            error=None,
            message=message or str(status.get("message") or f"saved as {archive_url}"),
        )

    def _recent_capture(self, url: str, message: str) -> SaveResult:
        """Save Page Now started no job because a recent capture exists ("The same snapshot
        had been made 3 minutes ago"); name that capture when the CDX index already lists it."""
        capture = None
        with contextlib.suppress(ArchiveError):
            capture = Wayback(self.config, session=self._session, limiter=self._limiter).nearest(
                url
            )
        return SaveResult(
            url=url,
            ok=True,
            archive_url=capture.archive_url if capture else None,
            timestamp=capture.timestamp if capture else None,
            job_id=None,
            error=None,
            message=message,
        )


def _failed(url: str, job_id: str | None, reply: dict[str, Any]) -> SaveResult:
    status_ext = str(reply.get("status_ext") or "error")
    return SaveResult(
        url=url,
        ok=False,
        archive_url=None,
        timestamp=None,
        job_id=job_id or (str(reply["job_id"]) if reply.get("job_id") else None),
        error=status_ext,
        message=str(reply.get("message") or status_ext),
    )


def _rate_limited(url: str, job_id: str | None, error: RateLimitedError) -> SaveResult:
    return SaveResult(
        url=url,
        ok=False,
        archive_url=None,
        timestamp=None,
        job_id=job_id,
        error="rate-limited",
        message=str(error),
    )


# -------------------------------------------------------------------------------------------
# The snapshot store


def store_copy(store: SnapshotStore, copy: ArchivedCopy) -> Snapshot:
    """Record an archived copy in the snapshot store, under the URL it is a copy of.

    The capture time is the archive's real one, the origin ``"archive"`` and the archive URL
    is kept, so a report can say where and when the copy was made. The copy is written as an
    HTTP response record with the status and original headers the archive recorded.
    """
    headers = copy.headers
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers = (("Content-Type", copy.media_type), *headers)
    return store.add(
        copy.capture.url,
        copy.body,
        media_type=copy.media_type,
        captured=copy.capture.timestamp,
        status=copy.capture.status,
        headers=headers,
        origin="archive",
        archive_url=copy.capture.archive_url,
    )
