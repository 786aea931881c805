"""The one judge: a citation's verdict from the copies of its source.

A citation is a claim and one of its sources. :func:`~claimcheck.check`, the scheduled audit and
the audit's Dask workers all judge citations with a :class:`Judge`, so that the rule "the live
copy, then the archived copy as cited" lives here only.

What is known of a cited URL is its :class:`SourceCopies`: the current copy (or why there is
none: a dead link, a bot wall), and the archived copy "as cited", when one was found. The judge
reads each copy once (the claim matched against its text; :class:`Reading`), consults the web
archives only where the live copy does not verify the claim (to spare their rate limits), and
decides with the table in :meth:`Judge.judge`.

A verdict's message is a plain sentence whose brackets pair up: its parts are joined with ";"
and ":", never wrapped in parentheses around text from elsewhere, and a URL or an error's text
in it is shown by :func:`~claimcheck.model.in_sentence`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import attrs

from ..errors import CorruptSnapshotError
from ..matching import match_claim
from ..model import Claim, ClaimKind, Reason, Snapshot, Source, Status, Verdict, in_sentence
from ..sources import ArchiveConfig, Reachability, replay_url
from ..store import SnapshotStore
from ._cache import TextCache, source_text
from ._copies import Reading, SourceCopies, _stored_failure, source_problem
from ._lookup import ArchiveLookup

__all__ = ["Judge"]


class Judge:
    """Judges citations from the copies of their sources, reading each copy once.

    ``store`` holds the copies (None: there are none, every source is unchecked); ``cache`` the
    extracted texts; ``lookup``, when given, finds archived copies "as cited" in the web archives
    for citations whose live copy does not verify the claim (without it only the copies already
    known are used: an offline check). ``archives`` names the Wayback Machine whose replay URL
    is suggested for a dead link when an archived copy has none of its own. ``network`` (by
    default the lookup's) says whether the run has a network at all: without one, a source whose
    live fetch reached no server is ``unchecked`` / ``no-network``, never a dead link, and the
    archives are not asked about it.
    """

    def __init__(
        self,
        store: SnapshotStore | None,
        cache: TextCache,
        *,
        lookup: ArchiveLookup | None = None,
        archives: ArchiveConfig | None = None,
        network: Reachability | None = None,
    ) -> None:
        self.store = store
        self.cache = cache
        self.lookup = lookup
        self.network = network if network is not None or lookup is None else lookup.network
        self.archives = archives or (lookup.config if lookup is not None else ArchiveConfig())
        self._readings: dict[tuple[Claim, Source, Snapshot], Reading] = {}
        self._archived: dict[tuple[str, dt.date | None], SourceCopies] = {}
        self._quotes: Counter[tuple[str, dt.date | None]] = Counter()

    def expect(self, citations: Iterable[tuple[Claim, Source]]) -> None:
        """Note the citations about to be judged. The texts of a source that several quotes
        cite are normalised whole before its first quote is matched: the matcher checks the
        first quote of a text in windows of it (:class:`~claimcheck.matching.SourceIndex`,
        the one-quote path: the same evidence), which saves normalising a text read for one
        quote, and is work done twice when a second quote normalises it anyway."""
        self._quotes.update(
            (source.url.strip(), source.accessed)
            for claim, source in citations
            if claim.kind is ClaimKind.QUOTE
        )

    def reading(self, claim: Claim, source: Source, snapshot: Snapshot) -> Reading:
        """The matching engine's finding on one copy of a source; each copy is read once per
        claim and source."""
        key = (claim, source, snapshot)
        known = self._readings.get(key)
        if known is None:
            assert self.store is not None, "a copy is read from the store that holds it"
            quotes = self._quotes[source.url.strip(), source.accessed]
            known = _read(claim, source, snapshot, self.store, self.cache, whole=quotes > 1)
            self._readings[key] = known
        return known

    def wants_archive(self, claim: Claim, source: Source, copies: SourceCopies) -> bool:
        """Whether the archived copy "as cited" is worth looking up: archives are in use, none
        was looked up yet, and the live copy is missing, unreadable or does not verify the
        claim."""
        if self.lookup is None or self.store is None or copies.archive_consulted:
            return False
        if self._no_network(copies):
            return False
        if copies.archived is not None or source_problem(source.url) is not None:
            return False
        if copies.live is None or copies.live_problem is not None:
            return True
        return self.reading(claim, source, copies.live).status is not Status.VERIFIED

    def with_archive(self, copies: SourceCopies, source: Source) -> SourceCopies:
        """``copies`` with the archived copy "as cited": the store's, when it holds one, else
        the web archives' (recorded in the store). A URL and date are looked up once per
        judge, however many claims cite them."""
        if self.lookup is None or self.store is None or self._no_network(copies):
            return copies
        key = (source.url.strip(), source.accessed)
        found = self._archived.get(key)
        if found is None:
            stored = self.store.find(key[0], at=source.accessed, origin="archive")
            if stored is not None:
                found = SourceCopies(archived=stored, archive_consulted=True)
            else:
                found = self.lookup.complete(SourceCopies(), *key)
            self._archived[key] = found
        return attrs.evolve(
            copies,
            archived=found.archived,
            archive_note=found.archive_note,
            archive_consulted=found.archive_consulted,
        )

    def judge(self, claim: Claim, source: Source, copies: SourceCopies) -> Verdict:
        """Judge one source from its current and archived copies (the archived one looked up
        first when :meth:`wants_archive`).

        ============================ ==================== =========================================
        current copy                 archived "as cited"  verdict
        ============================ ==================== =========================================
        verifies                     (not needed)         the current copy's (verified)
        reachable, does not verify   verifies             drifted / ``content-changed``
        reachable, does not verify   absent or no better  the current copy's (drifted, not-found)
        dead link                    verifies             broken / ``dead-link``, archived URL as
                                                          the replacement
        dead link                    none                 broken / ``no-archive`` (``dead-link``
                                                          when an archive held a copy without it)
        dead link                    an archived 404      broken / ``http-404`` (the archived
                                                          error's reason), no replacement
        reached no server, and the   (not asked)          unchecked / ``no-network``
        run reached none at all
        could not be read (blocked)  verifies             verified, from the archived copy
        could not be read (blocked)  none                 unchecked, with the reason
        none (offline)               any                  the archived copy's, else ``no-snapshot``
        ============================ ==================== =========================================

        An archived copy of an error answer (a captured 404, or a recorded redirect chain that
        ends in one) is that error, never read as the page: its reading is the error's reason
        (``http-404``, ``http-410``, ``http-4xx``, ``http-5xx``: broken; a captured bot wall or
        429: unchecked), and it is never offered as the copy to cite instead.

        Claimcheck failing on one source (a bug, or a page no test foresaw) is that source's
        verdict, ``unchecked`` / ``internal-error`` naming the error: a check reports the other
        sources, and an audit records it and completes instead of dying on it every night.
        """
        try:
            return self._verdict(claim, source, copies)
        except Exception as error:  # any bug: see the docstring
            said = in_sentence(str(error))
            message = f"claimcheck failed on this source: {type(error).__name__}: {said}"
            return Verdict(source, Status.UNCHECKED, Reason.INTERNAL_ERROR, message)

    def _verdict(self, claim: Claim, source: Source, copies: SourceCopies) -> Verdict:
        problem = source_problem(source.url)
        if problem is not None:
            reason, message = problem
            return Verdict(source, reason.status, reason, message)
        if self.wants_archive(claim, source, copies):
            copies = self.with_archive(copies, source)
        if self._no_network(copies):  # known now, if the archive was the evidence
            why = copies.live_problem[1] if copies.live_problem else "no server answered"
            message = f"not checked, for want of a network: {why}, and no other host answered"
            return Verdict(source, Status.UNCHECKED, Reason.NO_NETWORK, message)
        live = archived = None
        if self.store is not None and copies.live is not None and copies.live_problem is None:
            live = self.reading(claim, source, copies.live)
        if self.store is not None and copies.archived is not None:
            archived = self.reading(claim, source, copies.archived)
        return _Decision(source, copies, live, archived, self.archives).verdict()

    def _no_network(self, copies: SourceCopies) -> bool:
        """Whether the live fetch failed for want of a network: it reached no server, and the
        run reached none at all (:attr:`~claimcheck.sources.Reachability.down`)."""
        return (
            self.network is not None
            and copies.live is None
            and copies.live_unreachable
            and self.network.down
        )


def _read(
    claim: Claim,
    source: Source,
    snapshot: Snapshot,
    store: SnapshotStore,
    cache: TextCache,
    *,
    whole: bool = False,
) -> Reading:
    """The matching engine's finding on one copy of a source (its text from the cache); an
    archived copy of an error answer is that error, its text never read (see
    :func:`_archived_failure`). ``whole``: the text is normalised whole before a quote is
    matched (several quotes cite it: :meth:`Judge.expect`)."""
    where = _copy_name(snapshot, source.accessed)
    failure = _archived_failure(snapshot)
    if failure is not None:
        reason, status = failure
        message = f"an archived {status}: the server answered {status} when the page was captured"
        return Reading(reason.status, reason, f"{message} ({where})", None, snapshot)
    try:
        text = source_text(snapshot, store, cache)
    except CorruptSnapshotError as error:
        return Reading(Status.UNCHECKED, Reason.CORRUPT_SNAPSHOT, str(error), None, snapshot)
    index = cache.index(text)
    if whole and claim.kind is ClaimKind.QUOTE and text.readable:
        index.expect_quotes(2)
    evidence = match_claim(claim, text, context=source.context, index=index)
    if snapshot.excerpt and evidence.reason is Reason.NOT_FOUND:
        return Reading(
            Status.UNCHECKED,
            Reason.EXCERPT_ONLY,
            f"not in the excerpts recorded of this page ({where}); the full page may hold it",
            evidence,
            snapshot,
        )
    return Reading(
        evidence.status, evidence.reason, f"{evidence.explanation} ({where})", evidence, snapshot
    )


def _archived_failure(snapshot: Snapshot) -> tuple[Reason, int] | None:
    """The failure an archived copy recorded, with its status, when it is a copy of an error
    answer: a capture of a 404 page, or of a redirect whose recorded chain ended in one (the
    archive serves the final capture's status). Such a copy is not the page, whatever its text
    says; the rule is the one a stored live answer follows (``_stored_failure``)."""
    if snapshot.origin != "archive" or snapshot.status is None:
        return None
    failure = _stored_failure(snapshot)
    return (failure[0], snapshot.status) if failure is not None else None


def _copy_name(snapshot: Snapshot, accessed: dt.date | None, *, mid_sentence: bool = False) -> str:
    """Which copy a reading is of, as its message ends: "archived copy of 2021-03-02",
    "capture of 2021-03-02", "excerpt capture of 2021-03-02". An archived copy says too when
    it was captured after the source's access date (none precedes it: it is the earliest the
    archive holds, not the page the author read), and where its recorded redirects led
    (", redirected to <URL>"). ``mid_sentence`` closes such a clause with a comma, for "the
    archived copy of …, redirected to …, has the claim". Read from the copy, never from a
    message, where a URL may hold brackets."""
    day = f"{snapshot.captured:%Y-%m-%d}"
    if snapshot.origin != "archive":
        return f"{'excerpt capture' if snapshot.excerpt else 'capture'} of {day}"
    parts = [f"archived copy of {day}"]
    if accessed is not None and snapshot.captured.date() > accessed:
        parts.append(f"captured after the access date {accessed}")
    if snapshot.redirected_to:
        parts.append(f"redirected to {in_sentence(snapshot.redirected_to)}")
    return ", ".join(parts) + ("," if mid_sentence and len(parts) > 1 else "")


@attrs.frozen
class _Decision:
    """The table of :meth:`Judge.judge`, applied to the readings of one source's copies."""

    source: Source
    copies: SourceCopies
    live: Reading | None
    archived: Reading | None
    archives: ArchiveConfig

    def verdict(self) -> Verdict:
        live, archived, copies = self.live, self.archived, self.copies
        if live is not None and (live.status is Status.VERIFIED or archived is None):
            return self._on(live, live.status, live.reason, live.message)
        if live is not None and archived is not None:
            if archived.status is Status.VERIFIED:
                return self._on(
                    live,
                    Status.DRIFTED,
                    Reason.CONTENT_CHANGED,
                    f"the {self._archived_name(archived)} has the claim;"
                    f" the live page no longer does: {live.message}",
                )
            return self._on(live, live.status, live.reason, live.message)
        if copies.live_problem is not None:
            return self._without_live(*copies.live_problem)
        if archived is not None:
            return self._on(archived, archived.status, archived.reason, archived.message)
        return Verdict(
            self.source,
            Status.UNCHECKED,
            Reason.NO_SNAPSHOT,
            f"no capture of this source in the snapshot store (checking offline){self._note()}",
        )

    def _without_live(self, reason: Reason, message: str) -> Verdict:
        """The verdict when the live page is dead or could not be read."""
        archived, copies = self.archived, self.copies
        if reason.status is Status.BROKEN:
            if archived is not None and _archived_failure(archived.snapshot) is not None:
                # The archive holds an error page, not the page: no copy to cite instead.
                because = archived.reason if archived.status is Status.BROKEN else reason
                return self._on(
                    archived,
                    Status.BROKEN,
                    because,
                    f"the link is dead: {message}; the web archive's copy is {archived.message}",
                )
            if archived is not None and archived.status is Status.VERIFIED:
                return self._on(
                    archived,
                    Status.BROKEN,
                    Reason.DEAD_LINK,
                    f"the link is dead: {message}; the {self._archived_name(archived)} has the"
                    f" claim: cite {in_sentence(self._replacement(archived) or '')} instead",
                )
            if archived is not None:
                return self._on(
                    archived,
                    Status.BROKEN,
                    Reason.DEAD_LINK,
                    f"the link is dead: {message}; the archived copy does not support the"
                    f" claim either: {archived.message}",
                )
            if copies.archive_consulted:
                return Verdict(
                    self.source,
                    Status.BROKEN,
                    Reason.NO_ARCHIVE,
                    f"the link is dead: {message}; no web archive holds a copy{self._note()}",
                )
            return Verdict(
                self.source, Status.BROKEN, reason, f"{message}{self._note()}", None, copies.live
            )
        if archived is not None and archived.status is not Status.UNCHECKED:
            return self._on(
                archived,
                archived.status,
                archived.reason,
                f"the live page could not be read: {message}; {archived.message}",
            )
        return Verdict(self.source, reason.status, reason, message, None, copies.live)

    def _on(self, reading: Reading, status: Status, reason: Reason, message: str) -> Verdict:
        """A verdict resting on ``reading``, with the archived copy's evidence beside it."""
        on_archive = reading is self.archived
        archived = self.archived
        return Verdict(
            self.source,
            status,
            reason,
            message,
            None if on_archive else reading.evidence,
            None if on_archive else reading.snapshot,
            archived.evidence if archived is not None else None,
            archived.snapshot if archived is not None else None,
            self._replacement(archived) if reason is Reason.DEAD_LINK else None,
        )

    def _archived_name(self, archived: Reading) -> str:
        return _copy_name(archived.snapshot, self.source.accessed, mid_sentence=True)

    def _note(self) -> str:
        """Why no archived copy was used, as the last part of a message."""
        return f"; {self.copies.archive_note}" if self.copies.archive_note else ""

    def _replacement(self, reading: Reading | None) -> str | None:
        """The archived copy to cite instead of a dead link: its own replay URL, else the
        configured Wayback Machine's."""
        if reading is None:
            return None
        snapshot = reading.snapshot
        return snapshot.archive_url or replay_url(
            self.archives.wayback, snapshot.captured, snapshot.url
        )
