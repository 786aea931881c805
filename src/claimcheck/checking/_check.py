"""Checking: claims × sources → verdicts → a report.

For each source of each claim: a placeholder or non-http(s) link is a broken citation; otherwise
the capture to use is looked up in the snapshot store (the copy "as cited" when the source says
when it was accessed), its text extracted and normalised (cached by payload digest, on disk in
the store's ``.cache/``, so a second run over the same store skips both), and the claim matched
against it. Offline, a source with no capture is ``unchecked``/``no-snapshot``: never a guess.

The pieces are reused by the scheduled audit (``_audit.py``), which judges one citation at a
time as its fetches end: :class:`Copies` (what is known of a cited URL), :func:`judge` (the
verdict from the live and archived copies), :func:`read_copy`, :class:`TextCache` and
:class:`ArchiveLookup`.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import os
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

import attrs
import cattrs

from .._version import __version__
from ..claimsfile import load
from ..documents import Text, extract_text, syntax_for
from ..errors import ArchiveError, CorruptSnapshotError, RateLimitedError, SnapshotStoreError
from ..language import NormalizedText, normalize, prime
from ..matching import analysis_state, decode_references, match_claim, prime_analysis
from ..model import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    Evidence,
    Location,
    Reason,
    Report,
    Snapshot,
    Source,
    Status,
    Verdict,
    combine,
)
from ..sources import (
    ArchiveConfig,
    ArchivedCopy,
    Fetch,
    FetchConfig,
    Fetcher,
    Memento,
    RateLimiter,
    Wayback,
    error_status_reason,
    store_copy,
)
from ..store import SnapshotStore

__all__ = ["Progress", "check", "source_problem"]


@attrs.frozen
class Progress:
    """Where a running check is, for a progress display.

    ``stage`` is ``"fetch"`` (live captures), ``"archive"`` (looking up copies "as cited") or
    ``"check"`` (matching claims); ``done`` of ``total`` steps of that stage are finished, and
    ``url`` is the source being worked on when the step concerns one.
    """

    stage: str
    done: int
    total: int
    url: str | None = None


ProgressCallback = Callable[[Progress], None]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))


def source_problem(url: str) -> tuple[Reason, str] | None:
    """Why a cited URL cannot lead to evidence at all, or None when it may."""
    stripped = url.strip()
    if not stripped or stripped.startswith("#") or stripped.lower().startswith("javascript:"):
        return Reason.PLACEHOLDER_LINK, f"the link is a placeholder ({stripped or 'empty'!r})"
    try:
        parts = urlsplit(stripped)
    except ValueError:  # "http://[x/": an unbalanced IPv6 bracket
        return Reason.INVALID_URL, f"{stripped!r} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return Reason.INVALID_URL, f"{stripped!r} is not an http(s) URL"
    return None


class TextCache:
    """Extracted text of captures, by payload digest: in memory, and on disk in the store."""

    def __init__(self, store: SnapshotStore | None) -> None:

        self.store = store
        self.version = __version__
        self.memory: dict[str, Text] = {}

    def _file(self, digest: str) -> Path | None:
        if self.store is None:
            return None
        hexdigest = digest.removeprefix("sha256:")
        if len(hexdigest) != 64 or not all(c in "0123456789abcdef" for c in hexdigest):
            return None
        return self.store.cache_dir / "text" / f"{hexdigest}-{self.version}.json.gz"

    def text(self, snapshot: Snapshot, read: functools.partial[bytes]) -> Text:
        key = f"{snapshot.digest} {snapshot.media_type}"
        cached = self.memory.get(key)
        if cached is not None:
            return cached
        path = self._file(snapshot.digest)
        text: Text | None = None
        if path is not None and path.exists():
            try:
                entry = json.loads(gzip.decompress(path.read_bytes()))
                text = _converter.structure(entry["text"], Text)
                prime(NormalizedText.from_state(text.text, entry["normalized"]))
                prime_analysis(text.text, entry["analysis"])
            except (
                OSError,
                EOFError,  # a gzip stream cut short
                zlib.error,
                ValueError,
                KeyError,
                TypeError,
                cattrs.BaseValidationError,
            ):
                text = None  # a damaged cache entry is re-derived
        if text is None:
            text = extract_text(read(), snapshot.media_type)
            if path is not None:
                self._save(path, text)
        self.memory[key] = text
        return text

    def _save(self, path: Path, text: Text) -> None:
        entry = {
            "text": _converter.unstructure(text),
            "normalized": normalize(text.text).state(),  # what matching quotes needs first
            "analysis": analysis_state(text.text),  # and what figures and dates need
        }
        data = gzip.compress(json.dumps(entry).encode("utf-8"), compresslevel=1)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass  # the cache is an optimisation: a read-only store still checks


@attrs.frozen
class Copies:
    """What is known of one cited URL: its current copy and its archived copy "as cited".

    ``live_problem`` says why there is no usable current copy (a dead link, a bot wall), when
    that is known; ``archive_note`` why no archived copy was used, when one was looked for.
    """

    live: Snapshot | None = None
    live_problem: tuple[Reason, str] | None = None
    archived: Snapshot | None = None
    archive_note: str | None = None
    archive_consulted: bool = False


@attrs.frozen
class Reading:
    """The matching engine's finding on one copy, as a verdict would state it."""

    status: Status
    reason: Reason
    message: str
    evidence: Evidence | None
    snapshot: Snapshot


def read_copy(
    claim: Claim, source: Source, snapshot: Snapshot, store: SnapshotStore, cache: TextCache
) -> Reading:
    """The matching engine's finding on one copy of a source (its text from the cache)."""
    try:
        text = cache.text(snapshot, functools.partial(store.read, snapshot))
    except CorruptSnapshotError as error:
        return Reading(Status.UNCHECKED, Reason.CORRUPT_SNAPSHOT, str(error), None, snapshot)
    if (text.published is None and snapshot.published is not None) or (
        text.language is None and snapshot.language is not None
    ):
        text = attrs.evolve(
            text,
            published=text.published or snapshot.published,
            language=text.language or snapshot.language,
        )
    evidence = match_claim(claim, text, context=source.context)
    if snapshot.origin == "archive":
        where = f"archived copy of {snapshot.captured:%Y-%m-%d}"
    else:
        kind = "excerpt capture" if snapshot.excerpt else "capture"
        where = f"{kind} of {snapshot.captured:%Y-%m-%d}"
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


def judge(
    claim: Claim,
    source: Source,
    copies: Copies,
    store: SnapshotStore | None,
    cache: TextCache,
) -> Verdict:
    """Judge one source from its current and archived copies.

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
    could not be read (blocked)  verifies             verified, from the archived copy
    could not be read (blocked)  none                 unchecked, with the reason
    none (offline)               any                  the archived copy's, else ``no-snapshot``
    ============================ ==================== =========================================
    """
    problem = source_problem(source.url)
    if problem is not None:
        reason, message = problem
        return Verdict(source, reason.status, reason, message)
    live = archived = None
    if store is not None and copies.live is not None and copies.live_problem is None:
        live = read_copy(claim, source, copies.live, store, cache)
    if store is not None and copies.archived is not None:
        archived = read_copy(claim, source, copies.archived, store, cache)

    def verdict(reading: Reading, status: Status, reason: Reason, message: str) -> Verdict:
        on_archive = reading is archived
        return Verdict(
            source,
            status,
            reason,
            message,
            None if on_archive else reading.evidence,
            None if on_archive else reading.snapshot,
            archived.evidence if archived is not None else None,
            archived.snapshot if archived is not None else None,
            _replacement(archived) if reason is Reason.DEAD_LINK else None,
        )

    if live is not None and (live.status is Status.VERIFIED or archived is None):
        return verdict(live, live.status, live.reason, live.message)
    if live is not None and archived is not None:
        if archived.status is Status.VERIFIED:
            return verdict(
                live,
                Status.DRIFTED,
                Reason.CONTENT_CHANGED,
                f"the {archived.message.rsplit('(', 1)[-1].rstrip(')')} has the claim; the live "
                f"page no longer does: {live.message}",
            )
        return verdict(live, live.status, live.reason, live.message)
    if copies.live_problem is not None:
        reason, message = copies.live_problem
        if reason.status is Status.BROKEN:
            if archived is not None and archived.status is Status.VERIFIED:
                return verdict(
                    archived,
                    Status.BROKEN,
                    Reason.DEAD_LINK,
                    f"the link is dead ({message}); the {archived.message.rsplit('(', 1)[-1]}"
                    f" has the claim: cite {_replacement(archived)} instead",
                )
            if archived is not None:
                return verdict(
                    archived,
                    Status.BROKEN,
                    Reason.DEAD_LINK,
                    f"the link is dead ({message}), and the archived copy does not support the"
                    f" claim either: {archived.message}",
                )
            if copies.archive_consulted:
                note = f" ({copies.archive_note})" if copies.archive_note else ""
                return Verdict(
                    source,
                    Status.BROKEN,
                    Reason.NO_ARCHIVE,
                    f"the link is dead ({message}) and no web archive holds a copy{note}",
                )
            return Verdict(source, Status.BROKEN, reason, message, None, copies.live)
        if archived is not None and archived.status is not Status.UNCHECKED:
            return verdict(
                archived,
                archived.status,
                archived.reason,
                f"the live page could not be read ({message}); {archived.message}",
            )
        return Verdict(source, reason.status, reason, message, None, copies.live)
    if archived is not None:
        return verdict(archived, archived.status, archived.reason, archived.message)
    note = f" ({copies.archive_note})" if copies.archive_note else ""
    return Verdict(
        source,
        Status.UNCHECKED,
        Reason.NO_SNAPSHOT,
        f"no capture of this source in the snapshot store (checking offline){note}",
    )


def _replacement(reading: Reading | None) -> str | None:
    if reading is None:
        return None
    snapshot = reading.snapshot
    if snapshot.archive_url:
        return snapshot.archive_url
    stamp = snapshot.captured.strftime("%Y%m%d%H%M%S")
    return f"https://web.archive.org/web/{stamp}/{snapshot.url}"


def _offline_copies(store: SnapshotStore | None, source: Source) -> Copies:
    """The copies of a source in the store: the latest capture that is not from an archive
    (a live fetch or a recorded file) and the archived capture nearest ``accessed``."""
    if store is None or source_problem(source.url) is not None:
        return Copies()  # a citation that leads nowhere has no captures to look up
    captures = store.snapshots(source.url)
    current = [c for c in captures if c.origin != "archive"]
    archived = [c for c in captures if c.origin == "archive"]
    live = max(current, key=lambda c: (c.captured, not c.excerpt)) if current else None
    chosen = store.find(source.url, at=source.accessed, origin="archive") if archived else None
    problem = _stored_failure(live) if live is not None else None
    return Copies(live, problem, chosen)


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


def _result(claim: Claim, claim_set: ClaimSet, verdicts: tuple[Verdict, ...]) -> ClaimResult:
    status, deciding = combine(verdicts)
    if deciding is None:
        why = f": {claim.unsourced}" if claim.unsourced else ""
        return ClaimResult(
            claim,
            claim_set,
            Status.UNSOURCED,
            Reason.NO_SOURCE,
            f"the claim cites no source{why}",
            (),
        )
    others = len(verdicts) - 1
    suffix = f" (and {others} other source{'s' if others > 1 else ''})" if others else ""
    return ClaimResult(
        claim,
        claim_set,
        status,
        deciding.reason,
        f"{deciding.message}{suffix}",
        verdicts,
    )


def _open_store(snapshots: SnapshotStore | str | os.PathLike[str] | None) -> SnapshotStore | None:
    if isinstance(snapshots, SnapshotStore):
        return snapshots
    if snapshots is None:
        default = Path("snapshots")
        return SnapshotStore(default) if (default / "warc").is_dir() else None
    try:
        return SnapshotStore(snapshots)
    except SnapshotStoreError:
        if not Path(snapshots).exists():
            return None  # no store at all: every source is simply unchecked
        raise


def check(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
    *,
    snapshots: SnapshotStore | str | os.PathLike[str] | None = None,
    offline: bool = True,
    fetch: FetchConfig | None = None,
    archives: ArchiveConfig | None = None,
    use_archives: bool = True,
    progress: ProgressCallback | None = None,
    coverage: bool = True,
) -> Report:
    """Check claims against their sources and return the :class:`~claimcheck.Report`.

    ``claims`` is a claim set (from :func:`~claimcheck.load`), several, or the path of a claims
    file. ``snapshots`` is the snapshot store (a path or a :class:`~claimcheck.SnapshotStore`;
    offline, by default ``./snapshots`` when it exists; online, by default a temporary store, so
    that nothing is recorded into a store that was not named).

    Offline, only stored captures are used: the latest current copy of each source and, when
    the store holds archived copies, the one nearest the source's ``accessed`` date. Online
    (``offline=False``), every source is fetched live (``fetch`` configures how) and recorded in
    the store (a temporary one when none is given); where the live page does not verify a claim,
    the web archives (``archives``; the Internet Archive by default) are asked for the copy
    "as cited", which is recorded too. The archive is asked only then, to spare its rate limits.

    ``progress``, when given, is called with a :class:`Progress` as each step starts and ends
    (from worker threads while fetching).

    ``coverage``: for a claims file that names its statement's text, every quotation, figure and
    date of the statement that no claim of the same kind covers is reported after the file's
    claims, as ``unsourced``/``not-in-claims-file`` (found by :func:`~claimcheck.extract`).
    """
    if isinstance(claims, (str, os.PathLike)):
        claim_sets: list[ClaimSet] = [load(claims)]
    elif isinstance(claims, ClaimSet):
        claim_sets = [claims]
    else:
        claim_sets = list(claims)
    if not offline and isinstance(snapshots, (str, os.PathLike)):
        store: SnapshotStore | None = SnapshotStore(snapshots, create=True)  # records the fetches
    elif not offline and snapshots is None:
        store = None  # never records into ./snapshots unasked: a temporary store below
    else:
        store = _open_store(snapshots)
    if not offline and store is None:
        store = SnapshotStore(tempfile.mkdtemp(prefix="claimcheck-"), create=True)
    cache = TextCache(store)
    pairs = [
        (claim_set, claim, source)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
    ]
    if offline:
        copies = {_key(source): _offline_copies(store, source) for _, _, source in pairs}
    else:
        assert store is not None
        copies = _online_copies(pairs, store, cache, fetch, archives, use_archives, progress)
    results: list[ClaimResult] = []
    total = sum(len(claim_set.claims) for claim_set in claim_sets)
    done = 0
    for claim_set in claim_sets:
        for claim in claim_set.claims:
            if progress is not None:
                progress(Progress("check", done, total, _first_url(claim)))
            done += 1
            verdicts = tuple(
                judge(claim, source, copies.get(_key(source), Copies()), store, cache)
                for source in claim.sources
            )
            results.append(_result(claim, claim_set, verdicts))
        if coverage:
            results.extend(uncovered(claim_set))
    if progress is not None:
        progress(Progress("check", total, total))
    return Report(tuple(results), offline=offline)


def uncovered(claim_set: ClaimSet) -> list[ClaimResult]:
    """The quotations, figures and dates of the claim set's statement that no claim of the same
    kind covers (overlaps), as ``unsourced`` results; none when the statement's text is unknown.
    """
    from ..authoring import extract  # extraction is only needed for coverage

    statement = claim_set.statement
    if statement.text is None:
        return []
    extraction = extract(
        statement.text,
        syntax=syntax_for(statement.path) if statement.path is not None else "text",
        reference_date=statement.published,
    )
    line_starts = [0] + [i + 1 for i, char in enumerate(statement.text) if char == "\n"]
    claimed: dict[ClaimKind, list[tuple[int, int]]] = {}
    for claim in claim_set.claims:
        location = claim.location
        if location is None or location.end_line is None or location.end_column is None:
            continue
        start = line_starts[location.line - 1] + location.column - 1
        end = line_starts[location.end_line - 1] + location.end_column - 1
        claimed.setdefault(claim.kind, []).append((start, end))
    results = []
    # A claims file places a claim at the first occurrence of its text, so a repeated figure
    # or quote ("5 people" in three list items) is covered by a claim of the same text.
    texts = {(claim.kind, _folded(decode_references(claim.text))) for claim in claim_set.claims}
    for proposal in extraction.proposals:
        spans = claimed.get(proposal.kind, [])
        if any(start < proposal.end and proposal.start < end for start, end in spans):
            continue
        if (proposal.kind, _folded(decode_references(proposal.text))) in texts:
            continue
        end_line = statement.text.count("\n", 0, proposal.end) + 1
        end_column = proposal.end - line_starts[end_line - 1] + 1
        location = Location(proposal.line, proposal.column, end_line, end_column)
        links = [link.url for link in proposal.sources if link.problem is None]
        hint = f"; its sentence links to {', '.join(links)}" if links else ""
        claim = Claim(
            proposal.kind,
            proposal.text,
            id=f"{proposal.kind.value}@{location}",
            location=location,
            reference_date=statement.published,
        )
        results.append(
            ClaimResult(
                claim,
                claim_set,
                Status.UNSOURCED,
                Reason.NOT_IN_CLAIMS_FILE,
                f"no claim of the claims file covers this {proposal.kind.value}{hint}",
                (),
            )
        )
    return results


def _folded(text: str) -> str:
    """A claim's words for comparing texts: case, spacing and enclosing quotation marks aside."""
    return " ".join(text.casefold().split()).strip("\"'“”‘’«»„‚‹› ")


def _first_url(claim: Claim) -> str | None:
    return claim.sources[0].url if claim.sources else None


def _key(source: Source) -> tuple[str, dt.date | None]:
    return source.url, source.accessed


def _online_copies(
    pairs: list[tuple[ClaimSet, Claim, Source]],
    store: SnapshotStore,
    cache: TextCache,
    fetch: FetchConfig | None,
    archives: ArchiveConfig | None,
    use_archives: bool,
    progress: ProgressCallback | None,
) -> dict[tuple[str, dt.date | None], Copies]:
    urls = sorted({s.url.strip() for _, _, s in pairs if source_problem(s.url) is None})
    with Fetcher(fetch, store=store) as fetcher:
        fetched = fetcher.fetch_many(urls, **fetch_progress(progress, len(urls)))
    copies: dict[tuple[str, dt.date | None], Copies] = {}
    for _, _, source in pairs:
        result = fetched.get(source.url.strip())
        if result is None:
            continue
        problem = None if result.ok else (result.reason or Reason.CONNECTION_ERROR, result.message)
        copies[_key(source)] = Copies(result.snapshot if result.ok else None, problem)
    if not use_archives:
        return copies
    wanted = set()
    for _, claim, source in pairs:
        known = copies.get(_key(source))
        if known is None:
            continue
        if known.live_problem is not None or known.live is None:
            wanted.add(_key(source))
            continue
        if read_copy(claim, source, known.live, store, cache).status is not Status.VERIFIED:
            wanted.add(_key(source))
    archive = ArchiveLookup(archives or ArchiveConfig(), store)
    try:
        for done, key in enumerate(sorted(wanted, key=lambda k: (k[0], k[1] or dt.date.min))):
            if progress is not None:
                progress(Progress("archive", done, len(wanted), key[0]))
            copies[key] = archive.complete(copies[key], *key)
        if progress is not None and wanted:
            progress(Progress("archive", len(wanted), len(wanted)))
    finally:
        archive.close()
    return copies


class FetchCallbacks(TypedDict, total=False):
    """``Fetcher.fetch_many``'s progress callbacks, as keyword arguments."""

    on_start: Callable[[str], None]
    on_done: Callable[[Fetch], None]


def fetch_progress(progress: ProgressCallback | None, total: int) -> FetchCallbacks:
    """``fetch_many``'s callbacks reporting to ``progress``: counted under a lock, as the
    fetches end on several threads."""
    if progress is None:
        return {}
    lock = threading.Lock()
    done = 0

    def started(url: str) -> None:
        with lock:
            progress(Progress("fetch", done, total, url))

    def finished(result: Fetch) -> None:
        nonlocal done
        with lock:
            done += 1
            progress(Progress("fetch", done, total, result.url))

    return {"on_start": started, "on_done": finished}


class ArchiveLookup:
    """Finds and records the archived copy "as cited" of a URL: the Internet Archive first,
    then any configured Memento TimeGates. A rate limit stops the lookups for the rest of the
    run, so that the archive is never hammered.

    ``limiter`` gives the :class:`~claimcheck.RateLimiter` for an archive's endpoint (a Dask
    audit's cluster-wide one, say); by default each archive's process-wide limiter is used."""

    def __init__(
        self,
        config: ArchiveConfig,
        store: SnapshotStore,
        *,
        limiter: Callable[[str], RateLimiter] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.limiter = limiter
        self.wayback = Wayback(config, limiter=limiter(config.wayback) if limiter else None)
        self.stopped: str | None = None

    def close(self) -> None:
        """Close the Wayback client's session."""
        self.wayback.close()

    def complete(self, copies: Copies, url: str, accessed: dt.date | None) -> Copies:
        if self.stopped is not None:
            return attrs.evolve(copies, archive_note=self.stopped)
        try:
            capture = self.wayback.nearest(url, accessed)
            copy = self.wayback.fetch(capture) if capture is not None else None
            if copy is None:
                copy = self._from_timegates(url, accessed)
        except RateLimitedError as error:
            self.stopped = f"the web archive asked us to slow down: {error}"
            return attrs.evolve(copies, archive_note=self.stopped)
        except ArchiveError as error:
            return attrs.evolve(copies, archive_note=f"the web archive failed: {error}")
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
            limiter = self.limiter(timegate) if self.limiter else None
            with Memento(timegate, timeout=self.config.timeout, limiter=limiter) as memento:
                copy = memento.timegate(url, moment)
            if copy is not None:
                return copy
        return None
