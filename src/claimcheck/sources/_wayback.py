"""The Internet Archive's Wayback Machine: list captures (CDX), fetch their original bytes
(``id_`` replay), and, as a last resort, ask the availability API.

- The **CDX API** (``{wayback}/cdx/search/cdx``) lists the captures of a URL
  (:meth:`Wayback.captures`, :meth:`Wayback.nearest`). The **availability API**
  (``{wayback}/wayback/available``) is offered only as :meth:`Wayback.available`: it is known to
  answer ``{"archived_snapshots": {}}`` for pages that are archived, so nothing here relies on it.
- **Replay with the** ``id_`` **modifier** (``{wayback}/web/{timestamp}id_/{url}``) returns a
  capture's bytes as originally served, without the Wayback banner or rewritten links
  (:meth:`Wayback.fetch`). Wayback silently redirects to the closest *other* capture when the one
  asked for is absent, sometimes months away, so the capture time of an
  :class:`~._archive.ArchivedCopy` is always the ``Memento-Datetime`` of the answer, never the
  timestamp asked for.

Sources of the formats (see ``../shared/reference/web-archives.md`` section 1): the CDX server's
README in ``internetarchive/wayback`` (parameters; JSON output whose first row names the fields);
recorded Wayback answers in ``edgi-govdata-archiving/wayback``'s test cassettes (a redirect to
another capture is a bare 302 with ``x-archive-redirect-reason: found capture at <timestamp>``;
the memento carries ``memento-datetime``, a ``link`` header with ``original``, ``timemap``,
``timegate``, ``first memento``, ``prev memento``, ``memento``, ``next memento`` and ``last
memento`` links, and the original headers as ``x-archive-orig-*``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urljoin, urlsplit

import attrs

from ..errors import ArchiveError, BlockedArchiveError, ConfigurationError
from ..model import surt
from ._archive import (
    ArchiveClient,
    ArchivedCopy,
    Capture,
    Route,
    archive_refusal,
    archived_copy,
    clean_original,
    configured_limiter,
    memento_datetime,
    original_url,
    parse_replay_url,
    parse_wayback_timestamp,
    replay_url,
    wayback_timestamp,
)
from ._config import ArchiveConfig
from ._http import Answer, url_problem
from ._limits import RateLimiter

if TYPE_CHECKING:  # a type only: requests is loaded for a session the caller gives
    import requests

__all__ = ["LISTING_PAGE", "Listing", "Wayback", "cdx_resume_key", "nearest_of", "parse_cdx_json"]

LISTING_PAGE = 10_000
"""Rows asked per page of a prefix listing (:meth:`Wayback.listing`): about a megabyte of JSON,
well under the archive's answer cap, and far under the CDX server's own cap of 150,000."""

# The fields asked of the CDX server, in the order they come back (the header row names them).
_CDX_FIELDS = ("original", "timestamp", "statuscode", "digest", "mimetype")
# The captures worth a copy: 2xx, 3xx (a page that redirected when captured: http to https, a
# moved article; replay follows the redirect to the capture it leads to) and revisits, whose
# status is "-" (the crawler saw an earlier capture's payload again). A filter is a Java regex
# matched against the whole field (CDX server README, "Regex filtering"; FieldRegexFilter.java
# uses Matcher.matches()), so this one pattern keeps all three and leaves out 4xx/5xx captures.
_CDX_STATUS_FILTER = "statuscode:[23]..|-"


def _cdx_bound(moment: dt.datetime | dt.date) -> str:
    """A CDX ``from``/``to`` value: a day (``YYYYMMDD``, the whole day) or a second."""
    if isinstance(moment, dt.datetime):
        return wayback_timestamp(moment)
    return moment.strftime("%Y%m%d")


def _end_of(at: dt.date | dt.datetime) -> dt.datetime:
    """The last second ``at`` covers, in UTC: a date is its whole day; a naive time is UTC."""
    if isinstance(at, dt.datetime):
        return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    return dt.datetime(at.year, at.month, at.day, 23, 59, 59, tzinfo=dt.UTC)


def _split(captures: list[Capture], end: dt.datetime) -> tuple[list[Capture], list[Capture]]:
    """``captures`` at or before ``end``, and those after it."""
    return (
        [c for c in captures if c.timestamp <= end],
        [c for c in captures if c.timestamp > end],
    )


def _by_distance(captures: list[Capture], end: dt.datetime) -> bool:
    """Whether ``captures`` come nearest ``end`` first, as ``sort=closest`` orders them."""
    gaps = [abs(c.timestamp - end) for c in captures]
    return all(one <= other for one, other in itertools.pairwise(gaps))


def nearest_of(captures: list[Capture], at: dt.date | dt.datetime | None) -> Capture | None:
    """The capture "as of" ``at`` among ``captures`` (:meth:`Wayback.nearest`'s rule): the
    latest at or before it (a date counts as its whole day), else the earliest after it;
    without ``at`` the latest of all; None when there are none."""
    if not captures:
        return None
    if at is None:
        return max(captures, key=lambda c: c.timestamp)
    before, after = _split(captures, _end_of(at))
    if before:
        return max(before, key=lambda c: c.timestamp)
    return min(after, key=lambda c: c.timestamp)


@attrs.frozen
class Listing:
    """The captures the CDX index lists under a URL ``prefix`` (:meth:`Wayback.listing`), by
    index key (SURT). ``below`` is None when the listing is complete, else the key of the last
    row read when paging stopped: only URLs whose key sorts before it are known (:meth:`covers`);
    the rows of that key may go on."""

    prefix: str
    captures: Mapping[str, tuple[Capture, ...]]
    below: str | None = None

    @classmethod
    def of(cls, prefix: str, captures: list[Capture], below: str | None = None) -> Listing:
        by_key: dict[str, list[Capture]] = {}
        for capture in captures:
            by_key.setdefault(surt(capture.url), []).append(capture)
        return cls(prefix, {key: tuple(found) for key, found in by_key.items()}, below)

    def covers(self, url: str) -> bool:
        """Whether the listing says all the index holds of ``url`` (its captures, or none)."""
        key = surt(url)
        return key.startswith(surt(self.prefix)) and (self.below is None or key < self.below)

    def of_url(self, url: str) -> list[Capture]:
        """The captures listed of ``url`` (by its index key), oldest first."""
        return sorted(self.captures.get(surt(url), ()), key=lambda c: c.timestamp)


def _same_host(one: str, other: str) -> bool:
    return (urlsplit(one).hostname or "").lower() == (urlsplit(other).hostname or "").lower()


class Wayback(ArchiveClient):
    """The Internet Archive's Wayback Machine: list captures (CDX), fetch their original bytes
    (``id_`` replay), and, as a last resort, ask the availability API.

    All calls share the process-wide Internet Archive :class:`~._limits.RateLimiter` unless
    ``limiter`` says otherwise. The configured ``wayback`` endpoint is trusted (it may be a local
    archive); the replay's redirects are followed within its host only.
    """

    def __init__(
        self,
        config: ArchiveConfig | None = None,
        *,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        config = config if config is not None else ArchiveConfig()
        if limiter is None:
            limiter = configured_limiter(config, config.wayback)
        super().__init__(config, endpoints=[config.wayback], session=session, limiter=limiter)

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
        """The captures of ``url`` that answered 2xx or 3xx, and revisits (``status`` None),
        one per distinct content, oldest first.

        ``since``/``until`` bound them (inclusive; a date means the whole day). ``limit`` keeps
        the first ``limit`` captures, or with a negative value the last ``-limit`` (how
        :meth:`nearest` finds the latest capture without listing them all).
        """
        if limit == 0:
            raise ConfigurationError("limit: must not be 0")
        params = [("collapse", "digest"), ("limit", str(limit))]
        if since is not None:
            params.append(("from", _cdx_bound(since)))
        if until is not None:
            params.append(("to", _cdx_bound(until)))
        return self._cdx(url, params)

    def _cdx(self, url: str, extra: list[tuple[str, str]]) -> list[Capture]:
        """The captures of ``url`` that answered 2xx or 3xx, and revisits, the CDX API lists
        for the ``extra`` parameters, in the order it gives them."""
        return self._cdx_page(original_url(url), extra)[0]

    def _cdx_page(
        self, original: str, extra: list[tuple[str, str]]
    ) -> tuple[list[Capture], str | None]:
        """One CDX answer for ``original`` and the ``extra`` parameters: its captures (2xx,
        3xx, revisits) and its resume key, if it has one."""
        params = [
            ("url", original),
            ("output", "json"),
            ("fl", ",".join(_CDX_FIELDS)),
            ("filter", _CDX_STATUS_FILTER),
            *extra,
        ]
        endpoint = f"{self.config.wayback}/cdx/search/cdx"
        answer = self._request("GET", endpoint, params=params)
        if answer.status != 200:
            raise archive_refusal(answer, f"{endpoint}?url={original}")
        try:
            return parse_cdx_json(answer.text, wayback=self.config.wayback), cdx_resume_key(
                answer.text
            )
        except ValueError as error:
            # A robots.txt exclusion may come as a line of text in a 200 answer (edgi's
            # client, _client.py l.793).
            refusal = archive_refusal(answer, f"{endpoint}?url={original}")
            if isinstance(refusal, BlockedArchiveError):
                raise refusal from None
            raise ArchiveError(
                f"{endpoint}?url={original}: unexpected CDX answer: {error}",
                said="an unexpected CDX answer",
            ) from None

    def listing(self, prefix: str, *, page_size: int = LISTING_PAGE, max_pages: int = 1) -> Listing:
        """The captures (2xx, 3xx, revisits) of every URL under ``prefix`` (an http(s) URL:
        a host's root, or a path ending in "/"), in one prefix query (``matchType=prefix``)
        read a page of ``page_size`` rows at a time, following the resume keys, for at most
        ``max_pages`` pages: a listing cut short says up to where it holds
        (:attr:`Listing.below`). One call per page, however many URLs the prefix holds.

        The resume key is sent back as the server printed it (URL-encoded), as a parameter
        value, as edgi's client does against the production server (its cassette
        test_search_multipage.yaml); it names the last row's key and timestamp
        (CDXServer.java), which is where the listing stops being complete."""
        if page_size < 1 or max_pages < 1:
            raise ConfigurationError("page_size and max_pages: must be at least 1")
        original = original_url(prefix)
        query = [("matchType", "prefix"), ("showResumeKey", "true"), ("limit", str(page_size))]
        captures: list[Capture] = []
        resume = ""
        for _ in range(max_pages):
            page, key = self._cdx_page(
                original, query + ([("resumeKey", resume)] if resume else [])
            )
            captures.extend(page)
            if key is None:
                return Listing.of(original, captures)
            resume = key
        return Listing.of(original, captures, below=unquote_plus(resume).split(" ")[0])

    def nearest(self, url: str, at: dt.date | dt.datetime | None = None) -> Capture | None:
        """The capture to use for ``url`` "as of" ``at``: the latest at or before it (a date
        counts as its whole day) when there is one, else the earliest after it; without ``at``
        the latest of all, whatever the capture's status (a redirect or a revisit is a capture
        like any other). ``None`` when the archive holds no capture :meth:`captures` lists.

        "The latest before a date" is not something the CDX server answers: ``to=&limit=-1``
        is a reverse scan that stops at the first capture after ``to`` (it answers nothing, or
        on the live service a capture years too old). So the rows are asked in order of
        distance to ``at`` (``sort=closest``) and the choice is made here, whatever order or
        subset comes back; when that answer cannot settle it (full, and not ordered by
        distance, or holding only later captures), windows ending at ``at`` are listed in
        ascending order, which the server scans correctly. Never the availability API, which
        is known to answer "nothing" for archived pages.
        """
        if at is None:
            return nearest_of(self.captures(url, limit=-1), None)
        end = _end_of(at)
        closest = self._cdx(
            url, [("sort", "closest"), ("closest", wayback_timestamp(end)), ("limit", "50")]
        )
        before, after = _split(closest, end)
        settled = len(closest) < 50 or (_by_distance(closest, end) and bool(before))
        if not settled:
            before = self._latest_in_windows(url, end)
            if not before:
                after = _split(
                    self._cdx(url, [("from", wayback_timestamp(end)), ("limit", "5")]), end
                )[1]
        return nearest_of(before or after, end)

    def _latest_in_windows(self, url: str, end: dt.datetime) -> list[Capture]:
        """The captures of ``url`` at or before ``end`` in the narrowest of the windows ending
        there (31 days, a year, five years, all time) that holds any, listed oldest first."""
        for days in (31, 366, 5 * 366, None):
            params = [("to", wayback_timestamp(end)), ("limit", "1000")]
            if days is not None:
                params.append(("from", wayback_timestamp(end - dt.timedelta(days=days))))
            before = _split(self._cdx(url, params), end)[0]
            if before:
                return before
        return []

    def fetch(self, capture: Capture) -> ArchivedCopy:
        """The bytes of ``capture`` as originally served, via ``{wayback}/web/{ts}id_/{url}``.

        Wayback's redirects to another capture are followed, and the copy's capture time is
        the ``Memento-Datetime`` of the capture actually served, which may be months from the
        one asked for. A capture of a page that itself redirected is followed to the capture
        of its target (never to the live web), and the copy's ``redirected_to`` names that
        target; its status is the final capture's (a chain that ends in a captured 404 is a copy
        of that 404). Raises :class:`ArchiveError` when the archive has no capture to serve, or
        its answer exceeds ``max_bytes``.
        """
        target = self._raw_url(wayback_timestamp(capture.timestamp), capture.url)
        route = Route(capture.archive_url)
        redirected = False
        while True:
            route.visit(target)
            answer = self._request("GET", target)
            moment = memento_datetime(answer)
            location = answer.location or None
            if moment is None:
                if location is not None:
                    target = self._next_hop(target, location)
                    if not _same_host(target, self.config.wayback):
                        raise ArchiveError(f"{capture.archive_url}: redirected out of the archive")
                    continue
                raise archive_refusal(answer, capture.archive_url)
            if location is not None:
                target = self._historical_redirect(target, location, moment)
                redirected = True
                continue
            return self._copy(capture, answer, moment, target, redirected)

    def _raw_url(self, timestamp: str, original: str) -> str:
        return replay_url(self.config.wayback, timestamp, clean_original(original), raw=True)

    def _original_of(self, replay_url: str) -> str | None:
        replay = parse_replay_url(replay_url)
        return replay.original if replay else None

    def _historical_redirect(self, current: str, location: str, moment: dt.datetime) -> str:
        """Where a capture of a redirect leads: the target as captured at about that time.

        Wayback rewrites the captured ``Location`` into the archive
        (``/web/<ts>id_/<target>``); an unrewritten one names the live target, which is
        replayed from the archive instead of being fetched.
        """
        absolute = urljoin(current, location)
        if _same_host(absolute, self.config.wayback) and parse_replay_url(absolute):
            return absolute
        base = self._original_of(current) or current
        return self._raw_url(wayback_timestamp(moment), urljoin(base, location))

    def _copy(
        self, asked: Capture, answer: Answer, moment: dt.datetime, served: str, redirected: bool
    ) -> ArchivedCopy:
        """The copy ``answer`` (the memento at ``served``) holds of ``asked``; ``redirected``:
        it was reached by following captured redirects."""
        timestamp = wayback_timestamp(moment)
        original = self._original_of(served) or asked.url
        return archived_copy(
            answer,
            url=asked.url,
            moment=moment,
            archive_url=replay_url(self.config.wayback, timestamp, original),
            source=asked.source,
            digest=asked.digest if timestamp == wayback_timestamp(asked.timestamp) else None,
            redirected_to=original if redirected and original != asked.url else None,
        )

    def available(self, url: str, at: dt.date | dt.datetime | None = None) -> Capture | None:
        """The availability API's closest capture of ``url`` to ``at``, if it names one.

        A fallback only: this API is rate-limited hard and often answers
        ``{"archived_snapshots": {}}`` for pages that are archived, so ``None`` from it does
        not mean "not archived". Prefer :meth:`nearest`.
        """
        original = original_url(url)
        params = [("url", original)]
        if at is not None:
            params.append(("timestamp", _cdx_bound(at)))
        endpoint = f"{self.config.wayback}/wayback/available"
        answer = self._request("GET", endpoint, params=params)
        if answer.status != 200:
            raise archive_refusal(answer, f"{endpoint}?url={original}")
        try:
            reply = answer.json()
        except ValueError:
            raise ArchiveError(f"{endpoint}?url={original}: the answer is not JSON") from None
        snapshots = reply.get("archived_snapshots") if isinstance(reply, dict) else None
        closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
        if not isinstance(closest, dict) or closest.get("available") is False:
            return None
        try:
            moment = parse_wayback_timestamp(str(closest.get("timestamp")))
        except ValueError:
            raise ArchiveError(f"{endpoint}?url={original}: unexpected answer {reply}") from None
        found = parse_replay_url(str(closest.get("url") or ""))
        captured_url = clean_original(found.original) if found else original
        status = str(closest.get("status", ""))
        return Capture(
            url=captured_url,
            timestamp=moment,
            archive_url=replay_url(self.config.wayback, moment, captured_url),
            status=int(status) if status.isdigit() else None,
        )


def cdx_resume_key(text: str) -> str | None:
    """The resume key at the end of a CDX server's JSON answer (``showResumeKey=true``), as it
    printed it (URL-encoded), or None: after the rows, an empty row and a row holding only the
    key (``…,\n[],\n["<key>"]]``: the CDX server README, "Resumption Key", and
    JsonWriter.writeResumeKey). Raises ``ValueError`` when the text is not JSON."""
    text = text.strip()
    if not text:
        return None
    rows = json.loads(text)
    if (
        isinstance(rows, list)
        and len(rows) >= 2
        and rows[-2] == []
        and isinstance(rows[-1], list)
        and len(rows[-1]) == 1
        and isinstance(rows[-1][0], str)
    ):
        return rows[-1][0]
    return None


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
        original = clean_original(str(row[column["original"]]))
        try:
            moment = parse_wayback_timestamp(str(row[column["timestamp"]]))
        except ValueError:
            continue
        if url_problem(original) is not None:
            continue
        status = field(row, "statuscode")
        captures.append(
            Capture(
                url=original,
                timestamp=moment,
                archive_url=replay_url(wayback, moment, original),
                status=int(status) if status and status.isdigit() else None,
                digest=field(row, "digest"),
                media_type=field(row, "mimetype"),
                source=source,
            )
        )
    return captures
