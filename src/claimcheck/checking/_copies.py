"""What is known of a cited URL: its copies (:class:`SourceCopies`), what the matcher read in
one of them (:class:`Reading`), and the citations that lead nowhere at all
(:func:`source_problem`)."""

from __future__ import annotations

import attrs

from ..model import Evidence, Reason, Snapshot, Source, Status, in_sentence
from ..sources import Fetch, error_status_reason, url_problem
from ..store import SnapshotStore

__all__ = ["Reading", "SourceCopies", "fetched_copies", "source_problem", "stored_copies"]


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
    """The copies of a source in the store: the latest capture that is not from an archive
    (a live fetch or a recorded file; a stored HTTP error answer stands for its failure) and
    the archived capture nearest ``accessed``."""
    if store is None or source_problem(source.url) is not None:
        return SourceCopies()  # a citation that leads nowhere has no captures to look up
    captures = store.snapshots(source.url)
    current = [c for c in captures if c.origin != "archive"]
    archived = [c for c in captures if c.origin == "archive"]
    live = max(current, key=lambda c: (c.captured, not c.excerpt)) if current else None
    chosen = store.find(source.url, at=source.accessed, origin="archive") if archived else None
    problem = _stored_failure(live) if live is not None else None
    return SourceCopies(live, problem, chosen)


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
