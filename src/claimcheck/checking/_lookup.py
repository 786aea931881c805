"""Finding the archived copy "as cited" of a cited URL in the web archives, and recording it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from ..errors import ArchiveError, ArchiveUnreachableError, BlockedArchiveError, RateLimitedError
from ..sources import (
    ArchiveConfig,
    ArchivedCopy,
    MementoClient,
    RateLimiter,
    Reachability,
    Wayback,
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
    evidence of a run without network, :class:`~claimcheck.sources.Reachability`)."""

    def __init__(
        self,
        config: ArchiveConfig,
        store: SnapshotStore,
        *,
        limiter: Callable[[str], RateLimiter] | None = None,
        network: Reachability | None = None,
    ) -> None:
        self.config = config
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
        note of why there is none."""
        if self.stopped is not None or url in self._refused:
            return attrs.evolve(copies, archive_note=self.stopped or self._refused[url])
        try:
            # One deadline for the whole lookup (CDX queries, the replay and its redirects,
            # the TimeGates): "seconds allowed per URL" holds for its archived copy too.
            with one_deadline(self.config.deadline):
                capture = self.wayback.nearest(url, accessed)
                copy = self.wayback.fetch(capture) if capture is not None else None
                if copy is None:
                    copy = self._from_timegates(url, accessed)
        except RateLimitedError as error:
            wait = error.retry_after
            self.stopped = "the web archive asked us to slow down" + (
                f", for {wait:.0f} s" if wait is not None else ""
            )
            return attrs.evolve(copies, archive_note=self.stopped)
        except BlockedArchiveError as error:
            note = f"the archive refused the lookup: {error.said or 'it refuses this URL'}"
            self._refused[url] = note
            return attrs.evolve(copies, archive_note=note)
        except ArchiveUnreachableError as error:
            self.stopped = f"the web archive could not be reached: {error.said or error.reason}"
            if self.network is not None:
                self.network.unreachable(error.url, error.reason, archive=True)
            return attrs.evolve(copies, archive_note=self.stopped)
        except ArchiveError as error:
            said = error.said or "its answer could not be used"
            return attrs.evolve(copies, archive_note=f"the archive lookup failed: {said}")
        if self.network is not None:
            self.network.answered()
        if copy is None:
            return attrs.evolve(copies, archive_consulted=True)
        snapshot = store_copy(self.store, copy)
        return attrs.evolve(copies, archived=snapshot, archive_consulted=True)

    def _from_timegates(self, url: str, accessed: dt.date | None) -> ArchivedCopy | None:
        moment = (
            dt.datetime(accessed.year, accessed.month, accessed.day, tzinfo=dt.UTC)
            if accessed is not None
            else dt.datetime.now(dt.UTC)
        )
        for timegate in self.config.timegates:
            if timegate in self._out_of_reach:
                continue
            limiter = self.limiter(timegate) if self.limiter else None
            with MementoClient(timegate, self.config, limiter=limiter) as memento:
                try:
                    copy = memento.timegate(url, moment)
                except ArchiveUnreachableError as error:
                    self._out_of_reach.add(timegate)
                    if self.network is not None:
                        self.network.unreachable(error.url, error.reason, archive=True)
                    continue
            if copy is not None:
                return copy
        return None
