"""An audit's questions to the Internet Archive's index, asked once per host rather than once per
citation, and remembered in the history: :class:`HostListings`.

An audit consults the Wayback Machine's CDX index for two things: the capture "as cited" of a
citation whose live page does not verify its claim, and, with Save Page Now before death,
whether a verified page has a capture within the archive window. Asked one URL at a time, at
the 15 calls a minute the Internet Archive allows, 10,000 citations took hours. The index
answers a whole URL prefix in one query (``matchType=prefix``, paged by resume keys:
:meth:`~claimcheck.sources.Wayback.listing`), so the cited URLs are grouped by host (its index
key, with its port: ``org,example)``), and each group with at least :data:`MIN_GROUP` URLs is
listed in one query under the longest path they share (``https://example.org/news/``), on
first need: a host none of whose citations needs the archive is never asked about.

The listing is remembered in the history (``archive_listings``) and used instead of asking
again while it is younger than ``AuditPolicy.archive_recheck``. A URL the listing covers is
answered from it (its captures, or none at all); one it does not cover (paging stopped before
it: a listing reads at most one page per two URLs of its group, so it never costs more calls
than it saves), or in a group whose query failed, is asked about on its own, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ..errors import ArchiveError
from ..model import surt
from ..sources import (
    LISTING_PAGE,
    Capture,
    Wayback,
    one_deadline,
    replay_url,
)
from ..store import ArchiveListing, History

__all__ = [
    "MIN_GROUP",
    "HostListings",
]

MIN_GROUP = 2
"""The fewest cited URLs of a host worth one listing: a lone URL is asked about on its own."""

_TIMESTAMP = "%Y%m%d%H%M%S"


class _Group:
    """The cited URLs of one host, and the prefix that lists them all."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        keys = [surt(url) for url in urls]
        first, last = min(keys), max(keys)
        size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
        shared = first[:size].split("?", 1)[0]
        self.key = shared[: shared.rindex("/") + 1]  # the SURT of the prefix, ending in "/"
        parts = urlsplit(urls[0])
        host = parts.netloc.rsplit("@", 1)[-1]  # never a URL's credentials to the archive
        self.url = f"{parts.scheme}://{host}{self.key.split(')', 1)[1]}"


class HostListings:
    """The Internet Archive's captures of an audit's cited URLs, listed a host at a time (see the
    module documentation). :meth:`plan` is given the run's URLs; :meth:`captures` answers for
    one URL: its captures, or None when it must be asked about on its own.

    ``history`` remembers the listings; ``wayback`` asks for them (its rate limit applies);
    ``now`` is the run's date (its start: listings are dated as the state machine dates
    observations, so runs a day apart ask again); ``fresh`` how long a remembered listing
    holds. ``page_size`` is the rows asked per page (:data:`~claimcheck.sources.LISTING_PAGE`
    by default)."""

    def __init__(
        self,
        history: History,
        wayback: Wayback,
        *,
        now: Callable[[], dt.datetime],
        fresh: dt.timedelta,
        page_size: int | None = None,
    ) -> None:
        self.history = history
        self.wayback = wayback
        self.now = now
        self.fresh = fresh
        self.page_size = page_size or LISTING_PAGE
        self._groups: dict[str, _Group] = {}  # URL -> its group
        # group key -> the captures of each URL key the group's listing answers for (None: the
        # listing failed)
        self._answers: dict[str, dict[str, list[Capture]] | None] = {}

    def plan(self, urls: Iterable[str]) -> None:
        """Group the run's (http(s)) URLs by host, for :meth:`captures`."""
        by_host: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            by_host.setdefault(surt(url).split(")", 1)[0], []).append(url)
        for group_urls in by_host.values():
            if len(group_urls) >= MIN_GROUP:
                group = _Group(group_urls)
                self._groups.update(dict.fromkeys(group_urls, group))

    def captures(self, url: str) -> list[Capture] | None:
        """The captures the index holds of ``url`` (oldest first; an empty list when it holds
        none), from its host's listing; None when the listing does not say (``url`` was not
        planned, or its host's listing failed or stopped before it)."""
        group = self._groups.get(url)
        if group is None:
            return None
        if group.key not in self._answers:
            self._answers[group.key] = self._answer(group)
        answers = self._answers[group.key]
        found = answers.get(surt(url)) if answers is not None else None
        return list(found) if found is not None else None

    def _answer(self, group: _Group) -> dict[str, list[Capture]] | None:
        """The group's answers: the history's while fresh, else the index's (remembered)."""
        known = self.history.archive_listing(group.key)
        now = self.now()
        if known is not None and now - known.listed_at < self.fresh:
            return self._from_history(known)
        pages = max(1, len(group.urls) // 2)
        try:
            # Its own deadline: paging must not spend the budget of the lookup that needed it.
            with one_deadline(self.wayback.config.deadline * pages):
                listing = self.wayback.listing(group.url, page_size=self.page_size, max_pages=pages)
        except ArchiveError:
            return None  # each URL is asked about on its own, and meets the failure there
        answers = {surt(url): listing.of_url(url) for url in group.urls if listing.covers(url)}
        self.history.save_archive_listing(
            ArchiveListing(
                prefix=group.key,
                listed_at=now,
                keys=tuple(answers),
                captures=tuple(
                    (
                        capture.url,
                        capture.timestamp.strftime(_TIMESTAMP),
                        str(capture.status) if capture.status is not None else None,
                        capture.digest,
                        capture.media_type,
                    )
                    for found in answers.values()
                    for capture in found
                ),
            )
        )
        return answers

    def _from_history(self, known: ArchiveListing) -> dict[str, list[Capture]]:
        wayback = self.wayback.config.wayback
        answers: dict[str, list[Capture]] = {key: [] for key in known.keys}
        for url, stamp, status, digest, media_type in known.captures:
            moment = dt.datetime.strptime(stamp, _TIMESTAMP).replace(tzinfo=dt.UTC)
            answers.setdefault(surt(url), []).append(
                Capture(
                    url=url,
                    timestamp=moment,
                    archive_url=replay_url(wayback, moment, url),
                    status=int(status) if status is not None and status.isdigit() else None,
                    digest=digest,
                    media_type=media_type,
                )
            )
        return answers
