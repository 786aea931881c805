"""Finding the archived copy "as cited" of a cited URL in the web archives, and recording it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from ..errors import ArchiveError, ArchiveUnreachableError, BlockedArchiveError, RateLimitedError
from ..sources import (
    ArchiveConfig,
    ArchivedCopy,
    Capture,
    MementoClient,
    RateLimiter,
    Reachability,
    Wayback,
    nearest_of,
    one_deadline,
    store_copy,
)
from ..store import SnapshotStore
from ._copies import SourceCopies

__all__ = ["ArchiveLookup"]


class ArchiveLookup:
    """Finds and records the archived copy "as cited" of a URL: the Internet Archive first,
    then any configured Memento TimeGates. A rate limit stops the lookups for the rest of the
    run, so that the archive is never hammered; so does a Wayback Machine that cannot be reached
    at all (its name does not resolve, refused, no route: without a network, every lookup would
    fail alike), and a TimeGate that cannot be reached is not asked again; a URL the archive
    refuses (a blocked site) is not asked about again. Why there is no copy is said in plain
    words, without URLs: "the archive refused the lookup: blocked site", "the archive lookup
    failed: HTTP 503", "the web archive could not be reached: the host name … does not
    resolve".

    ``limiter`` gives the :class:`~claimcheck.RateLimiter` for an archive's endpoint (a Dask
    audit's cluster-wide one, say); by default each archive's process-wide limiter is used.
    ``network``, when given, is told whether the archives answered or could not be reached (the
    evidence of a run without network, :class:`~claimcheck.sources.Reachability`). ``listing``,
    when given, says what the Internet Archive's index is already known to hold of a URL (its
    captures, from one query for a whole host: an audit's :class:`~claimcheck.sources.Listing`),
    or None when that is not known: the capture "as cited" is then chosen from those captures
    by the rule of :meth:`~claimcheck.sources.Wayback.nearest`, without a CDX query of its own,
    and only its replay is fetched."""

    def __init__(
        self,
        config: ArchiveConfig,
        store: SnapshotStore,
        *,
        limiter: Callable[[str], RateLimiter] | None = None,
        network: Reachability | None = None,
        listing: Callable[[str], list[Capture] | None] | None = None,
    ) -> None:
        self.config = config
        self.listing = listing
        self.store = store
        self.limiter = limiter
        self.network = network
        self.wayback = Wayback(config, limiter=limiter(config.wayback) if limiter else None)
        self.stopped: str | None = None
        self._refused: dict[str, str] = {}  # URL -> why the archive refuses it
        self._out_of_reach: set[str] = set()  # TimeGates that could not be reached

    def close(self) -> None:
        """Close the Wayback client's session."""
        self.wayback.close()

    def complete(self, copies: SourceCopies, url: str, accessed: dt.date | None) -> SourceCopies:
        """``copies`` with the archived copy of ``url`` "as cited" (nearest ``accessed``), or a
        note of why there is none. The TimeGates are asked when the Wayback Machine has no copy,
        and also when it could not say (it failed, refused the URL, was stopped): another
        archive may hold what one blocks. "No archive holds a copy" (``archive_consulted``
        without a copy) only when every archive answered that it has none."""
        note = self.stopped or self._refused.get(url)
        copy: ArchivedCopy | None = None
        # One deadline for the whole lookup (CDX queries, the replay and its redirects, the
        # TimeGates): "seconds allowed per URL" holds for its archived copy too.
        with one_deadline(self.config.deadline):
            if note is None:
                try:
                    known = self._listed(url)
                    capture = (
                        nearest_of(known, accessed)
                        if known is not None
                        else self.wayback.nearest(url, accessed)
                    )
                    copy = self.wayback.fetch(capture) if capture is not None else None
                    if self.network is not None:
                        self.network.answered()
                except ArchiveError as error:
                    note = self._wayback_failed(error, url)
            if copy is None:
                copy, failed = self._from_timegates(url, accessed)
                note = note or failed
        if copy is not None:
            snapshot = store_copy(self.store, copy)
            return attrs.evolve(copies, archived=snapshot, archive_consulted=True)
        if note is not None:
            return attrs.evolve(copies, archive_note=note)
        return attrs.evolve(copies, archive_consulted=True)

    def _listed(self, url: str) -> list[Capture] | None:
        """The captures the listing knows of ``url``, once the run is known to have a network:
        until something answered, the archive's own answer is the evidence whether it has one
        (:class:`~claimcheck.sources.Reachability`), which a remembered listing is not."""
        if self.listing is None or (self.network is not None and not self.network.up):
            return None
        return self.listing(url)

    def _wayback_failed(self, error: ArchiveError, url: str) -> str:
        """What the Wayback Machine's ``error`` says, in plain words; a rate limit or an archive
        out of reach stops its lookups for the rest of the run, a refused URL is not asked
        about again."""
        if isinstance(error, RateLimitedError):
            wait = error.retry_after
            self.stopped = "the web archive asked us to slow down" + (
                f", for {wait:.0f} s" if wait is not None else ""
            )
            return self.stopped
        if isinstance(error, ArchiveUnreachableError):
            self.stopped = f"the web archive could not be reached: {error.said or error.reason}"
            if self.network is not None:
                self.network.unreachable(error.url, error.reason, archive=True)
            return self.stopped
        if isinstance(error, BlockedArchiveError):
            self._refused[url] = (
                f"the archive refused the lookup: {error.said or 'it refuses this URL'}"
            )
            return self._refused[url]
        return f"the archive lookup failed: {error.said or 'its answer could not be used'}"

    def _from_timegates(
        self, url: str, accessed: dt.date | None
    ) -> tuple[ArchivedCopy | None, str | None]:
        """The first copy a TimeGate gives, or none and what the first TimeGate that failed
        said. A TimeGate out of reach, or asking us to slow down, is not asked again in this
        run; one that fails is passed over for the next."""
        moment = (
            dt.datetime(accessed.year, accessed.month, accessed.day, tzinfo=dt.UTC)
            if accessed is not None
            else dt.datetime.now(dt.UTC)
        )
        failed: str | None = None
        for timegate in self.config.timegates:
            if timegate in self._out_of_reach:
                continue
            limiter = self.limiter(timegate) if self.limiter else None
            with MementoClient(timegate, self.config, limiter=limiter) as memento:
                try:
                    copy = memento.timegate(url, moment)
                except ArchiveError as error:
                    if isinstance(error, ArchiveUnreachableError | RateLimitedError):
                        self._out_of_reach.add(timegate)
                    if isinstance(error, ArchiveUnreachableError) and self.network is not None:
                        self.network.unreachable(error.url, error.reason, archive=True)
                    said = error.said or "its answer could not be used"
                    failed = failed or f"the TimeGate lookup failed: {said}"
                    continue
            if self.network is not None:
                self.network.answered()
            if copy is not None:
                return copy, None
        return None, failed
