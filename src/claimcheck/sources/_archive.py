"""What every web archive client shares: the copies they find (:class:`Capture`,
:class:`ArchivedCopy`), how a copy is recorded in the snapshot store (:func:`store_copy`), and
:class:`ArchiveClient`, the base that sends each call through the one HTTP transport and the
archive's rate limiter.

Guards. Every archive call goes through :class:`~._http.Transport`, as live fetches do: the
User-Agent, the timeouts and a deadline per exchange, the decoded-size cap (``max_bytes``: a
larger answer, a CDX list or a TimeMap or a memento, is an :class:`ArchiveError`, never
unbounded memory) and the address guard. The endpoints the user configured are trusted (they may
be a local archive on 127.0.0.1); a redirect from them to any other host is checked like any URL
on every hop: loopback, private and link-local addresses are refused unless
``allow_private_addresses``, and a redirect to something other than http(s) is not followed.
Redirects are followed by the clients, hop by hop, each a new request with only the headers the
client chooses, so Save Page Now's keys never travel to another host.

Deadline. ``deadline`` bounds each call a client makes, its whole exchange (an answer that
trickles in is cut off then). A lookup that makes several calls (CDX queries, a replay and its
redirects, TimeGates) can be bounded as a whole: within :func:`one_deadline`, every call the
thread makes draws on one budget of seconds spent talking to archives (time waiting for the rate
limiter is not counted), so an archive that keeps each answer just within the deadline cannot
stretch a lookup to ten deadlines.

Politeness. Every call waits its turn at the archive's :class:`~._limits.RateLimiter`; a call
that reaches no server (its host name unresolved, refused, without a route) gives its turn back
and raises :class:`~claimcheck.errors.ArchiveUnreachableError`, so that lookups without a
network are not paced for nothing. A 429 (or a 503 with ``Retry-After``) from the archive itself
(not a memento of a 429 page) stops calls for as long as it asks (a minute when it does not
say), and a second one in a row stops them for ``backoff_after_429`` seconds. While stopped,
calls fail at once with :class:`RateLimitedError` instead of sleeping inside a check: the check
reports the source as ``rate-limited`` (unchecked) and moves on.

Errors. Failures to reach an archive, and answers that are not what the protocol promises, raise
:class:`ArchiveError` (an ``OSError``), naming the URL; its ``said`` says what went wrong in a
few plain words without the URL, for a verdict ("HTTP 503", "no complete answer within the
120 s deadline"). An archive's answer that is not the one asked for is read by one rule,
:func:`archive_refusal`, in every client: a site the archive blocks, or excludes for its
robots.txt, is a :class:`~claimcheck.errors.BlockedArchiveError`. "No capture" is not an error:
it is an empty list or ``None``. A URL to look up that is not http(s) is an
:class:`~claimcheck.errors.InvalidURLError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin, urlsplit, urlunsplit

import attrs

from ..errors import (
    ArchiveError,
    ArchiveUnreachableError,
    BlockedArchiveError,
    InvalidURLError,
    RateLimitedError,
)
from ..model import Snapshot, as_utc
from ._config import ArchiveConfig, transport_settings
from ._http import (
    Answer,
    Problem,
    Transport,
    Watch,
    body_repr,
    deadline_problem,
    retry_after,
    url_problem,
)
from ._limits import RateLimiter, limiter_key

if TYPE_CHECKING:  # a type only: a fetch needs no store loaded (start-up, issue 17)
    import requests

    from ..store import SnapshotStore


__all__ = [
    "ArchiveClient",
    "ArchivedCopy",
    "Capture",
    "ReplayURL",
    "Route",
    "archive_refusal",
    "archived_copy",
    "clean_original",
    "configured_limiter",
    "http_date",
    "media_type",
    "memento_datetime",
    "one_deadline",
    "original_headers",
    "original_url",
    "parse_http_date",
    "parse_replay_url",
    "parse_wayback_timestamp",
    "store_copy",
    "wayback_timestamp",
]

_MAX_REDIRECTS = 10
_ORIGINAL_HEADER_PREFIX = "x-archive-orig-"
# Headers describing the transfer rather than the document: the body we keep is decoded.
_TRANSFER_HEADERS = frozenset(
    {"content-type", "content-length", "content-encoding", "transfer-encoding", "connection"}
)


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
    redirected when it was captured: ``redirected_to`` is then the URL of the capture the
    recorded redirects led to (whose bytes, status and headers these are), else None.
    ``headers`` are the original response headers the archive passes on (``Content-Type``
    first), without the transfer headers of the archive's answer.
    """

    capture: Capture
    body: bytes = attrs.field(repr=body_repr)
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    redirected_to: str | None = None


def store_copy(store: SnapshotStore, copy: ArchivedCopy) -> Snapshot:
    """Record an archived copy in the snapshot store, under the URL it is a copy of.

    The capture time is the archive's real one, the origin ``"archive"`` and the archive URL
    is kept, so a report can say where and when the copy was made (and, for a page that
    redirected when captured, the URL the redirects led to). The copy is written as an HTTP
    response record with the status and original headers the archive recorded.
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
        redirected_to=copy.redirected_to,
    )


def archived_copy(
    answer: Answer,
    *,
    url: str,
    moment: dt.datetime,
    archive_url: str,
    source: str,
    digest: str | None = None,
    redirected_to: str | None = None,
) -> ArchivedCopy:
    """The copy a memento ``answer`` holds: a copy of ``url`` captured at ``moment`` (its
    ``Memento-Datetime``), with the status, media type and original headers it recorded;
    ``redirected_to`` when ``url``'s capture redirected to the one ``answer`` is of."""
    kind = media_type(answer)
    capture = Capture(
        url=url,
        timestamp=moment,
        archive_url=archive_url,
        status=answer.status,
        digest=digest,
        media_type=kind,
        source=source,
    )
    return ArchivedCopy(
        capture=capture,
        body=answer.body or b"",
        media_type=kind,
        headers=original_headers(answer, kind),
        redirected_to=redirected_to,
    )


class _Budget:
    """Seconds of archive traffic left to a lookup (see :func:`one_deadline`)."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds


_budgets = threading.local()


@contextlib.contextmanager
def one_deadline(seconds: float) -> Iterator[None]:
    """Within the block, the archive calls this thread makes share one deadline: together they
    may spend at most ``seconds`` talking to archives (each call also within its client's own
    ``deadline``; waits for the rate limiter do not count). A call made once the budget is
    spent fails at once with :class:`ArchiveError`, as one cut off at its deadline does."""
    previous = getattr(_budgets, "current", None)
    _budgets.current = _Budget(seconds)
    try:
        yield
    finally:
        _budgets.current = previous


def configured_limiter(config: ArchiveConfig, endpoint: str) -> RateLimiter:
    """The shared limiter for ``endpoint``, at the configuration's rate."""
    return RateLimiter.shared(
        config.requests_per_minute,
        backoff_after_429=config.backoff_after_429,
        key=limiter_key(endpoint),
    )


# -------------------------------------------------------------------------------------------
# The client base


class ArchiveClient:
    """What every archive client shares: the one transport (its ``endpoints`` trusted, see the
    module documentation), a rate limiter, and :meth:`close` (also as a context manager)."""

    def __init__(
        self,
        config: ArchiveConfig,
        *,
        endpoints: Iterable[str],
        session: requests.Session | None,
        limiter: RateLimiter | None,
    ) -> None:
        self.config = config
        self._transport = Transport(transport_settings(config), session=session, trusted=endpoints)
        self._limiter = limiter

    def close(self) -> None:
        """Close the HTTP session, if this client made it."""
        self._transport.close()

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
    ) -> Answer:
        """One call, within the rate limit and the transport's guards, redirects not followed
        (they are looked at): the answer with its whole body, or :class:`ArchiveError`."""
        if self._limiter is not None:
            self._limiter.acquire()
        budget: _Budget | None = getattr(_budgets, "current", None)
        seconds = self.config.deadline if budget is None else min(self.config.deadline, budget.left)
        if seconds <= 0:
            said = deadline_problem(self._transport.settings).message
            raise ArchiveError(f"{url}: {said}", said=said)
        watch = Watch(seconds)
        try:
            outcome = self._transport.exchange(
                method, url, watch, headers=headers, params=params, data=data, redirect_body=True
            )
        finally:
            watch.close()
            if budget is not None:
                budget.left -= watch.elapsed()
        if isinstance(outcome, Problem):
            if outcome.unreachable:
                if self._limiter is not None:
                    self._limiter.refund()  # the archive saw nothing: the slot is free again
                raise ArchiveUnreachableError(
                    f"{url}: {outcome.message}",
                    url=url,
                    reason=outcome.reason,
                    said=outcome.message,
                )
            raise ArchiveError(f"{url}: {outcome.message}", said=outcome.message)
        # A memento may be a capture of a 429 page: only the archive's own 429 means "slow down".
        if outcome.header("Memento-Datetime") is None and (
            outcome.status == 429
            or (outcome.status == 503 and outcome.header("Retry-After") is not None)
        ):
            wait = retry_after(outcome.header("Retry-After"))
            if self._limiter is not None:
                self._limiter.record_429(wait)
            when = f"; retry after {wait:.0f} s" if wait is not None else ""
            raise RateLimitedError(
                f"{url}: the archive answered HTTP {outcome.status}{when}", retry_after=wait
            )
        if self._limiter is not None:
            self._limiter.record_success()
        if outcome.problem is not None:
            said = outcome.problem.message
            raise ArchiveError(f"{url}: {said}", said=said)
        return outcome

    def _next_hop(self, current: str, location: str) -> str:
        """Where a redirect from ``current`` leads; :class:`ArchiveError` unless it is an
        http(s) URL (its address is checked when it is requested)."""
        target = urljoin(current, location.strip())
        if url_problem(target) is not None:
            raise ArchiveError(f"{current}: a redirect leads to {target!r}, not an http(s) URL")
        return target


class Route:
    """The addresses one archive lookup has requested, so that its redirects end: a loop, or
    more than ten of them, is an :class:`ArchiveError` naming ``described``."""

    def __init__(self, described: str) -> None:
        self.described = described
        self._seen: set[str] = set()

    def visit(self, url: str) -> None:
        """Note that ``url`` is requested next (raising if that loops or is one too many)."""
        if url in self._seen:
            raise ArchiveError(f"{url}: the archive's redirects go round in a loop")
        if len(self._seen) >= _MAX_REDIRECTS:
            raise ArchiveError(f"{self.described}: more than {_MAX_REDIRECTS} redirects")
        self._seen.add(url)


# -------------------------------------------------------------------------------------------
# What an archive said


# The Wayback Machine's refusals, as its header and pages word them, and what a verdict says.
_REFUSALS = (
    ("AdministrativeAccessControlException", "Blocked Site Error", "blocked site"),
    ("URL has been excluded", "excluded from the Wayback Machine", "blocked site"),
    (
        "RobotAccessControlException",
        "RobotAccessControlException",
        "the site's robots.txt excludes it",
    ),
)
# The simple name of a Java exception (``org.archive.wayback.exception.X`` gives X).
_JAVA_EXCEPTION = re.compile(r"\b([A-Z][A-Za-z]*Exception)\b")


def archive_refusal(answer: Answer, asked: str, *, detail: str | None = None) -> ArchiveError:
    """The error an archive's ``answer`` to ``asked`` amounts to when it is not the answer
    asked for (an error status; a page where a memento was due), with what the archive said in
    plain words as its ``said``: the one rule of every client (CDX, replay, TimeGate, TimeMap,
    Save Page Now).

    The Wayback Machine names a refusal in its ``X-Archive-Wayback-Runtime-Error`` header and
    its text, as recorded in edgi-govdata-archiving/wayback's cassettes and read alike by its
    client (``_client.py`` l.762 and l.1063): the CDX API answers a blocked site with HTTP 403
    and ``…AdministrativeAccessControlException: Blocked Site Error``, the replay with HTTP 200
    and a page saying "This URL has been excluded from the Wayback Machine";
    ``RobotAccessControlException`` is a robots.txt exclusion. Each is a
    :class:`~claimcheck.errors.BlockedArchiveError`. Anything else is an
    :class:`~claimcheck.errors.ArchiveError` saying the status and the exception the archive
    named ("HTTP 404, ResourceNotInArchiveException"); its message adds the archive's first
    line of text (or ``detail``), cut at 200 characters, for a log.
    """
    runtime = answer.header("X-Archive-Wayback-Runtime-Error") or ""
    text = answer.text
    for marker, words, said in _REFUSALS:
        if marker in runtime or marker in text:
            return BlockedArchiveError(
                f"{asked}: the archive refuses it: {said} ({words})", said=said
            )
    first = runtime or next((line.strip() for line in text.splitlines() if line.strip()), "")
    names = _JAVA_EXCEPTION.findall(first) if runtime or "<" not in first else []
    said = f"HTTP {answer.status}" + (f", {names[-1]}" if names else "")
    if 200 <= answer.status < 300:
        said += " without a Memento-Datetime"
    line = (detail or first)[:200]
    return ArchiveError(f"{asked}: HTTP {answer.status}" + (f": {line}" if line else ""), said=said)


# -------------------------------------------------------------------------------------------
# Helpers: answers, dates, URLs


def memento_datetime(answer: Answer) -> dt.datetime | None:
    """An answer's ``Memento-Datetime`` (``None`` when it is not a memento)."""
    value = answer.header("Memento-Datetime")
    if value is None:
        return None
    moment = parse_http_date(value)
    if moment is None:
        raise ArchiveError(f"{answer.url}: unreadable Memento-Datetime {value!r}")
    return moment


def parse_http_date(value: str) -> dt.datetime | None:
    """An RFC 1123 date (``Tue, 11 Sep 2001 20:35:00 GMT``) as an aware UTC datetime."""
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def http_date(moment: dt.datetime | dt.date) -> str:
    """``moment`` in RFC 1123 form, as ``Accept-Datetime`` carries it."""
    return email.utils.format_datetime(as_utc(moment), usegmt=True)


def wayback_timestamp(moment: dt.datetime | dt.date) -> str:
    """``moment`` as a 14-digit Wayback timestamp (UTC)."""
    return as_utc(moment).strftime("%Y%m%d%H%M%S")


def replay_url(
    wayback: str, moment: dt.datetime | dt.date | str, url: str, *, raw: bool = False
) -> str:
    """The Wayback-style replay URL of ``url`` as captured at ``moment`` (a time, or a 14-digit
    timestamp): ``{wayback}/web/{timestamp}/{url}`` for people, with ``raw`` the ``id_`` replay
    of the bytes as originally served."""
    stamp = moment if isinstance(moment, str) else wayback_timestamp(moment)
    return f"{wayback}/web/{stamp}{'id_' if raw else ''}/{url}"


# A replay URL of a Wayback-style archive (the Internet Archive, OpenWayback, pywb: Arquivo.pt,
# the UK Web Archive, Perma.cc, the Library of Congress; archive.today's long form too): a path,
# the capture's 8-14 digit timestamp with an optional replay modifier (id_, mp_, im_, if_…),
# then the original URL.
_REPLAY_URL = re.compile(
    r"(?P<prefix>https?://[^/?#\s]+(?:/[^/?#\s]*)*?)/(?P<timestamp>\d{8,14})"
    r"(?P<modifier>[a-z]{2}_)?/(?P<original>https?://\S+)",
    re.IGNORECASE,
)


@attrs.frozen
class ReplayURL:
    """A Wayback-style replay URL, ``{prefix}/{timestamp}{modifier}/{original}``.

    The modifier says how the archive serves the capture: none is the replay for people (the
    Wayback Machine's toolbar, pywb's banner, links rewritten into the archive); ``id_`` the
    bytes as originally served ("identity", no rewriting: pywb's rewriter documentation, and
    the Wayback Machine's, whose TimeGate names the replay, not ``id_``:
    mementoweb/py-memento-client#2). The shape does not promise a raw mode: an archive without
    one does not answer the ``id_`` URL with the memento, which the clients report as a failure.
    """

    prefix: str
    timestamp: str
    modifier: str
    original: str

    @property
    def is_raw(self) -> bool:
        """Whether this URL asks for the bytes as originally served (``id_``)."""
        return self.modifier.lower() == "id_"

    @property
    def raw(self) -> str:
        """The ``id_`` replay of the same capture: the bytes as originally served."""
        return f"{self.prefix}/{self.timestamp}id_/{self.original}"

    @property
    def for_people(self) -> str:
        """The replay of the same capture without a modifier: the archive's page for people."""
        return f"{self.prefix}/{self.timestamp}/{self.original}"


def parse_replay_url(url: str) -> ReplayURL | None:
    """``url`` as a Wayback-style replay URL (``…/20210420120000/https://…``, with or without
    a modifier such as ``id_``), or ``None`` when it is not one."""
    match = _REPLAY_URL.fullmatch(url)
    if match is None:
        return None
    return ReplayURL(
        prefix=match["prefix"],
        timestamp=match["timestamp"],
        modifier=match["modifier"] or "",
        original=match["original"],
    )


def parse_wayback_timestamp(value: str) -> dt.datetime:
    """A 14-digit Wayback timestamp as an aware UTC datetime; ``ValueError`` for anything
    else."""
    if not re.fullmatch(r"\d{14}", value):
        raise ValueError(f"not a 14-digit Wayback timestamp: {value!r}")
    return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def clean_original(url: str) -> str:
    """The URL without a fragment and without a default port (``http://a.org:80/``)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    default = {"http": ":80", "https": ":443"}.get(parts.scheme.lower())
    if default and netloc.endswith(default):
        netloc = netloc.removesuffix(default)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def original_url(url: str) -> str:
    """``url`` as archives index it (:func:`clean_original`);
    :class:`~claimcheck.errors.InvalidURLError` unless it is an http(s) URL."""
    if url_problem(url) is not None:
        raise InvalidURLError(f"only http(s) URLs are archived, not {url!r}")
    return clean_original(url)


def original_headers(answer: Answer, media_type: str) -> tuple[tuple[str, str], ...]:
    """The original server's headers as the archive passes them on (``X-Archive-Orig-*``)."""
    headers = [("Content-Type", media_type)]
    for name, value in answer.headers:
        if not name.lower().startswith(_ORIGINAL_HEADER_PREFIX):
            continue
        original = name[len(_ORIGINAL_HEADER_PREFIX) :]
        if original.lower() in _TRANSFER_HEADERS:
            continue
        headers.append(("-".join(part.capitalize() for part in original.split("-")), value))
    return tuple(headers)


def media_type(answer: Answer) -> str:
    """The captured document's media type."""
    return (
        answer.header("Content-Type")
        or answer.header("X-Archive-Orig-Content-Type")
        or "application/octet-stream"
    )
