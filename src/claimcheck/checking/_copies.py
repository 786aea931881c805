"""What is known of a cited URL: its copies (:class:`SourceCopies`), what the matcher read in
one of them (:class:`Reading`), and the citations that lead nowhere at all
(:func:`source_problem`); what an online check records of the copies it did not get
(:func:`record_failures`), and what an offline check reads back (:func:`stored_copies`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from ..model import Evidence, Reason, Snapshot, Source, Status, in_sentence, well_formed
from ..sources import Fetch, Reachability, error_status_reason, url_problem
from ..store import FailureRecord, SnapshotStore

__all__ = [
    "Reading",
    "SourceCopies",
    "fetched_copies",
    "record_failures",
    "source_problem",
    "stored_copies",
]

_NO_ARCHIVE = "no web archive holds a copy"


def source_problem(url: str) -> tuple[Reason, str] | None:
    """Why a cited URL cannot lead to evidence at all (a placeholder, or not an http(s) URL
    that can be requested), or None when it may."""
    stripped = url.strip()
    if not stripped or stripped.startswith("#") or stripped.lower().startswith("javascript:"):
        shown = in_sentence(stripped) or "empty"
        return Reason.PLACEHOLDER_LINK, f"the link is a placeholder ({shown!r})"
    problem = url_problem(stripped)
    return (Reason.INVALID_URL, problem) if problem is not None else None


@attrs.frozen
class SourceCopies:
    """What is known of one cited URL: its current copy and its archived copy "as cited".

    ``live_problem`` says why there is no usable current copy (a dead link, a bot wall), when
    that is known; ``archive_note`` why no archived copy was used, when one was looked for;
    ``archive_consulted`` whether the web archives (or the store's archived copies) were asked.
    ``live_unreachable``: the live fetch reached no server (its host name did not resolve,
    refused, no route): its host's failure, or the network's when the run has none.
    """

    live: Snapshot | None = None
    live_problem: tuple[Reason, str] | None = None
    archived: Snapshot | None = None
    archive_note: str | None = None
    archive_consulted: bool = False
    live_unreachable: bool = False


@attrs.frozen
class Reading:
    """The matching engine's finding on one copy, as a verdict would state it."""

    status: Status
    reason: Reason
    message: str
    evidence: Evidence | None
    snapshot: Snapshot


def stored_copies(store: SnapshotStore | None, source: Source) -> SourceCopies:
    """The copies of a source in the store, as the online check that recorded them saw them.

    The current copy is the newest recorded outcome of the URL that is not an archive's: a
    capture (a live fetch or a recorded file; a stored HTTP error answer stands for its
    failure) or a recorded failure of its live fetch (:func:`record_failures`; a failure
    recorded the same second as a capture is the newer: the fetch that stored an error page
    failed). An older capture is not read when a newer failure says the page is gone, as an
    online check would not read it either.

    The archived copy is the archived capture nearest ``accessed`` whenever the store holds one
    (an online check takes the store's too, without asking the archives); without one, the
    newest recorded archive lookup of the URL says what the archives said: none held a copy
    (``no-archive``, as online), or why the lookup failed.

    Failure records are their URL's own (a capture counts for every URL with its SURT key, as
    :meth:`~claimcheck.SnapshotStore.snapshots` finds them): ``http://`` failing says nothing
    of ``https://``."""
    if store is None or source_problem(source.url) is not None:
        return SourceCopies()  # a citation that leads nowhere has no captures to look up
    url = well_formed(source.url.strip())
    captures = store.snapshots(url)
    failures = [failure for failure in store.failures(url) if failure.url == url]
    current = [c for c in captures if c.origin != "archive"]
    archived = [c for c in captures if c.origin == "archive"]
    live = max(current, key=lambda c: (c.captured, not c.excerpt)) if current else None
    chosen = store.find(url, at=source.accessed, origin="archive") if archived else None
    problem = _stored_failure(live) if live is not None else None
    failed = _newest(failures, "live")
    if failed is not None and (live is None or failed.recorded >= live.captured):
        live, problem = None, (failed.reason, f"{failed.message}, when fetched on {_day(failed)}")
    looked = _newest(failures, "archive") if chosen is None else None
    if looked is None:
        return SourceCopies(live, problem, chosen)
    if looked.reason is Reason.NO_ARCHIVE:
        return SourceCopies(live, problem, archive_consulted=True)
    note = f"{looked.message}, when looked up on {_day(looked)}"
    return SourceCopies(live, problem, archive_note=note)


def _newest(failures: list[FailureRecord], origin: str) -> FailureRecord | None:
    of_origin = [failure for failure in failures if failure.origin == origin]
    return max(of_origin, key=lambda failure: failure.recorded) if of_origin else None


def _day(failure: FailureRecord) -> str:
    return f"{failure.recorded:%Y-%m-%d}"


def record_failures(
    store: SnapshotStore,
    outcomes: Iterable[tuple[str, SourceCopies]],
    *,
    stopped: str | None = None,
    network: Reachability | None = None,
    recorded: dt.datetime | None = None,
) -> int:
    """Record in ``store`` what an online check or ``snapshot fetch`` found of each cited URL
    when it found no copy, so that an offline check gives the same verdict
    (:func:`stored_copies`); return how many failures were recorded.

    ``outcomes`` are the URLs with their copies as the online judge had them: a live problem
    is recorded as the live fetch's failure; no archived copy, as the archive lookup's, when
    the archives were consulted (``no-archive``) or the lookup failed (its note). A URL is
    recorded once however many of its citations are given. Not recorded: a lookup that never
    asked (``stopped``: the archives asked every lookup to wait, which says nothing of this
    URL), and anything of a URL whose live fetch reached no server in a run that ``network``
    found without a network at all (:attr:`~claimcheck.sources.Reachability.down`): that says
    nothing of the URL, and the next run with a network decides.

    A stored HTTP error page is recorded as a failure too: the capture alone cannot say that
    its page was a soft 404, a parked domain or a bot wall; the fetch did."""
    live_done: set[str] = set()
    archive_done: set[str] = set()
    count = 0
    down = network is not None and network.down
    for cited, copies in outcomes:
        url = cited.strip()
        problem = copies.live_problem
        if down and copies.live_unreachable:
            continue
        if problem is not None and url not in live_done:
            store.add_failure(url, *problem, origin="live", recorded=recorded)
            live_done.add(url)
            count += 1
        if copies.archived is not None or url in archive_done:
            continue
        if copies.archive_consulted:
            store.add_failure(
                url, Reason.NO_ARCHIVE, _NO_ARCHIVE, origin="archive", recorded=recorded
            )
        elif copies.archive_note is not None and copies.archive_note != stopped:
            store.add_failure(
                url,
                Reason.CONNECTION_ERROR,
                copies.archive_note,
                origin="archive",
                recorded=recorded,
            )
        else:
            continue
        archive_done.add(url)
        count += 1
    return count


def _stored_failure(snapshot: Snapshot) -> tuple[Reason, str] | None:
    """A stored HTTP error answer stands for the failure it recorded."""
    status = snapshot.status
    if status is None:
        return None
    headers = {name.lower() for name, _ in snapshot.headers}
    reason = error_status_reason(status, retry_after="retry-after" in headers)
    if reason is None:
        return None
    when = f"{snapshot.captured:%Y-%m-%d}"
    return reason, f"the server answered {status} when captured on {when}"


def fetched_copies(result: Fetch) -> SourceCopies:
    """The copies a live fetch gives: its capture, or why there is none."""
    if result.ok:
        return SourceCopies(result.snapshot)
    return SourceCopies(
        None,
        (result.reason or Reason.CONNECTION_ERROR, result.message),
        live_unreachable=result.unreachable,
    )
