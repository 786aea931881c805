"""Checking: claims × sources → verdicts → a report (:func:`check`).

For each source of each claim: a placeholder or non-http(s) link is a broken citation; otherwise
the copies of the source are gathered (from the snapshot store, or fetched live and, where the
live page does not verify the claim, from the web archives: :class:`Mode`), and the one
:class:`~claimcheck.checking.Judge` decides. Texts are extracted and normalised once per payload
(cached on disk in the store's ``.cache/``, so a second run over the same store skips both).
Offline, a source with no capture is ``unchecked``/``no-snapshot``: never a guess. Online
without a network (no host answered at all, :class:`~claimcheck.sources.Reachability`), a
source that could not be reached is ``unchecked``/``no-network``: never a dead link.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from typing import Literal, TypedDict

import attrs

from ..claimsfile import find_store, load, warn_no_store
from ..errors import ConfigurationError
from ..model import (
    Claim,
    ClaimResult,
    ClaimSet,
    Ignore,
    Reason,
    Report,
    Source,
    Status,
    Verdict,
    combine,
    dispute,
)
from ..sources import ArchiveConfig, Fetch, FetchConfig, Fetcher, Reachability
from ..store import SnapshotStore, open_store
from ._copies import (
    SourceCopies,
    fetched_copies,
    record_failures,
    source_problem,
    stored_copies,
)
from ._coverage import uncovered
from ._deferred import DeferredTextCache
from ._ignore import dismissed
from ._judge import Judge
from ._lookup import ArchiveLookup

__all__ = ["Mode", "Progress", "check", "claim_sets_of", "fetch_progress"]


@attrs.frozen
class Progress:
    """Where a running check is, for a progress display.

    ``stage`` is ``"fetch"`` (live captures), ``"archive"`` (looking up copies "as cited") or
    ``"check"`` (matching claims against their sources, a step per citation); ``done`` of
    ``total`` steps of that stage are finished, and ``url`` is the source being worked on when
    the step concerns one.
    """

    stage: str
    done: int
    total: int
    url: str | None = None


ProgressCallback = Callable[[Progress], None]


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
        dispute=dispute(verdicts),
    )


class Mode(enum.StrEnum):
    """Where a check takes the copies of its sources from."""

    STORED = "stored"
    """The captures in the snapshot store only: nothing is fetched (offline)."""
    LIVE = "live"
    """Every source fetched live and recorded in the store; where the live page does not verify
    a claim, the web archives' copy "as cited" too."""
    LIVE_ONLY = "live-only"
    """Every source fetched live; the web archives are never asked."""


def check(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
    *,
    copies: Mode | str = Mode.LIVE,
    snapshots: SnapshotStore | str | os.PathLike[str] | Literal[False] | None = None,
    fetch: FetchConfig | None = None,
    archives: ArchiveConfig | None = None,
    progress: ProgressCallback | None = None,
    coverage: bool = True,
    ignore: Iterable[Ignore] = (),
    memory: int | None = None,
) -> Report:
    """Check claims against their sources and return the :class:`~claimcheck.Report`.

    ``claims`` is a claim set (from :func:`~claimcheck.load`), several, or the path of a claims
    file.

    ``copies`` says where the copies of the sources come from (a :class:`Mode` or its value;
    the command line's default too):

    - ``"live"`` (the default): every source is fetched live (``fetch`` configures how) and
      recorded in the store; where the live page does not verify a claim, the web archives
      (``archives``; the Internet Archive by default) are asked for the copy "as cited", which
      is recorded too. The archive is asked only then, to spare its rate limits. A fetch that
      failed and a lookup that found no copy or failed are recorded as failures, so that a
      later offline check gives the same verdicts (a run that reached no network records
      none).
    - ``"live-only"``: fetched live, the web archives never asked.
    - ``"stored"``: only what the snapshot store holds (offline): the newest recorded outcome
      of each source's live fetch (a capture, or the failure recorded), and, when the store
      holds archived copies, the one nearest the source's ``accessed`` date, else what its
      archive lookup said (:func:`~claimcheck.checking.stored_copies`). A source with nothing
      recorded is ``unchecked``/``no-snapshot``.

    ``snapshots``: the snapshot store (a path or a :class:`~claimcheck.SnapshotStore`), which
    must exist when checking stored copies and is created when checking live. Unnamed, stored
    copies come from the store the claims files' store rule finds (:func:`_store`), live ones
    are recorded in a temporary store; ``False``: none at all (the command line's rule found
    none). The report names it (:attr:`~claimcheck.Report.store`).

    ``progress``, when given, is called with a :class:`Progress` as each step starts and ends
    (from worker threads while fetching).

    ``coverage``: for a claims file that names its statement's text, every quotation, figure and
    date of the statement that no claim of the same kind covers is reported after the file's
    claims, as ``unsourced``/``not-in-claims-file``.

    ``ignore``: ignore entries besides each claim set's own (:attr:`ClaimSet.ignores
    <claimcheck.ClaimSet.ignores>`), e.g. a config file's; they apply to every claim set. A
    finding an entry matches (:func:`~claimcheck.checking.ignore_matches`) stays in the report,
    marked ignored with its entry, and never fails; the entries that match nothing are the
    report's ``unused_ignores``.

    ``memory``: the bytes of the texts read and their matching indexes kept in memory
    (estimated) beyond the two used last; by default 256 MiB
    (:class:`~claimcheck.checking.TextCache`). Less makes a run re-read texts from the store's
    disk cache more often, never changes a verdict.
    """
    report = _checked(claims, copies, snapshots, fetch, archives, progress, coverage, memory)
    results, unused = dismissed(report.results, ignore)
    return attrs.evolve(report, results=tuple(results), unused_ignores=unused)


def _checked(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
    copies: Mode | str,
    snapshots: SnapshotStore | str | os.PathLike[str] | Literal[False] | None,
    fetch: FetchConfig | None,
    archives: ArchiveConfig | None,
    progress: ProgressCallback | None,
    coverage: bool,
    memory: int | None,
) -> Report:
    """:func:`check` before ignore entries are applied."""
    mode = _mode(copies)
    claim_sets = claim_sets_of(claims)
    pairs = [
        (claim, source)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
    ]
    readable = any(source_problem(source.url) is None for _, source in pairs)
    store = _store(mode, snapshots, claim_sets, warn=readable)
    cache = DeferredTextCache(store, memory)  # each text's entry written once
    judged = functools.partial(_judged, claim_sets, progress=progress, coverage=coverage)
    if mode is Mode.STORED:
        judge = Judge(store, cache, archives=archives)
        judge.expect(pairs)
        known: dict[tuple[str, dt.date | None], SourceCopies] = {}
        for _, source in pairs:  # once per URL and date, however many claims cite it
            if _key(source) not in known:
                known[_key(source)] = stored_copies(store, source)
        report = judged(judge, known, store=store, offline=True)
        cache.flush()
        return report
    assert store is not None
    network = Reachability(archive=mode is Mode.LIVE)
    known = _fetched(pairs, store, fetch, progress, network)
    lookup = (
        ArchiveLookup(archives or ArchiveConfig(), store, network=network)
        if mode is Mode.LIVE
        else None
    )
    try:
        judge = Judge(store, cache, lookup=lookup, archives=archives, network=network)
        judge.expect(pairs)
        _look_up_archives(pairs, judge, known, progress)
        # Failures are recorded too: checked offline later, the store gives these verdicts.
        outcomes = ((url, copies) for (url, _), copies in known.items())
        stopped = lookup.stopped if lookup is not None else None
        record_failures(store, outcomes, stopped=stopped, network=network)
        report = judged(judge, known, store=store, offline=False)
        cache.flush()
        return report
    finally:
        if lookup is not None:
            lookup.close()


def _store(
    mode: Mode,
    snapshots: SnapshotStore | str | os.PathLike[str] | Literal[False] | None,
    claim_sets: list[ClaimSet],
    *,
    warn: bool,
) -> SnapshotStore | None:
    """The store a check reads or records into: the one named; else, live, a temporary one, so
    that nothing is written into a store nobody named; else the one the store rule finds from
    the claims files (:func:`~claimcheck.claimsfile.find_store`; of a configuration file,
    ``check()`` reads only its ``snapshots`` key), with a
    :class:`~claimcheck.errors.SnapshotStoreWarning` when there is none and a source would be
    read (each will be unchecked; a placeholder link is broken, store or not)."""
    if mode is not Mode.STORED:
        return open_store(None if snapshots is False else snapshots, create=True) or SnapshotStore(
            tempfile.mkdtemp(prefix="claimcheck-"), create=True
        )
    if snapshots is not None and snapshots is not False:
        return open_store(snapshots)
    paths = [claim_set.path for claim_set in claim_sets if claim_set.path is not None]
    found = find_store(paths) if snapshots is None else None
    if found is None:
        if warn:
            warn_no_store(paths)
        return None
    return open_store(found)


def _mode(copies: Mode | str) -> Mode:
    try:
        return Mode(copies)
    except ValueError:
        known = ", ".join(repr(mode.value) for mode in Mode)
        raise ConfigurationError(f"copies must be one of {known}, not {copies!r}") from None


def claim_sets_of(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
) -> list[ClaimSet]:
    """The claim sets a check or an audit is given: one, several, or a claims file's path."""
    if isinstance(claims, (str, os.PathLike)):
        return [load(claims)]
    if isinstance(claims, ClaimSet):
        return [claims]
    return list(claims)


def _judged(
    claim_sets: list[ClaimSet],
    judge: Judge,
    known: dict[tuple[str, dt.date | None], SourceCopies],
    progress: ProgressCallback | None,
    *,
    coverage: bool,
    store: SnapshotStore | None,
    offline: bool,
) -> Report:
    """Every claim judged, with the statement's coverage after each claim set's claims.

    The citations are judged source by source (:func:`_by_source`), so that the text of each
    copy is read for every claim citing it in turn and can then be let go (the judge's texts
    are bounded in size); the results keep the claims' order."""
    citations = [
        (claim, source)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
    ]
    verdicts: dict[int, Verdict] = {}
    order = sorted(range(len(citations)), key=lambda number: _by_source(citations[number][1]))
    for done, number in enumerate(order):
        claim, source = citations[number]
        if progress is not None:
            progress(Progress("check", done, len(citations), source.url))
        verdicts[number] = judge.judge(claim, source, known.get(_key(source), SourceCopies()))
    results: list[ClaimResult] = []
    first = 0
    for claim_set in claim_sets:
        for claim in claim_set.claims:
            stop = first + len(claim.sources)
            results.append(
                _result(claim, claim_set, tuple(verdicts[n] for n in range(first, stop)))
            )
            first = stop
        if coverage:
            results.extend(uncovered(claim_set))
    if progress is not None:
        progress(Progress("check", len(citations), len(citations)))
    return Report(
        tuple(results),
        offline=offline,
        store=str(store.root.absolute()) if store is not None else None,
    )


def _key(source: Source) -> tuple[str, dt.date | None]:
    return source.url, source.accessed


def _by_source(source: Source) -> tuple[str, dt.date]:
    """The order citations are read in: by URL, then by the date accessed."""
    return source.url.strip(), source.accessed or dt.date.min


def _fetched(
    pairs: list[tuple[Claim, Source]],
    store: SnapshotStore,
    fetch: FetchConfig | None,
    progress: ProgressCallback | None,
    network: Reachability,
) -> dict[tuple[str, dt.date | None], SourceCopies]:
    """Every cited URL fetched live (once, however often it is cited) into the store, and
    ``network`` told what each fetch met."""
    urls = sorted({s.url.strip() for _, s in pairs if source_problem(s.url) is None})
    with Fetcher(fetch, store=store) as fetcher:
        fetched = fetcher.fetch_many(urls, keep_bodies=False, **fetch_progress(progress, len(urls)))
    for outcome in fetched.values():
        network.note(outcome)
    known: dict[tuple[str, dt.date | None], SourceCopies] = {}
    for _, source in pairs:
        result = fetched.get(source.url.strip())
        if result is not None:
            known[_key(source)] = fetched_copies(result)
    return known


def _look_up_archives(
    pairs: list[tuple[Claim, Source]],
    judge: Judge,
    known: dict[tuple[str, dt.date | None], SourceCopies],
    progress: ProgressCallback | None,
) -> None:
    """The archived copies "as cited" of the sources whose live copy does not verify a claim
    citing them, looked up before judging (a stage of its own for the progress display)."""
    wanted: dict[tuple[str, dt.date | None], Source] = {}
    for claim, source in sorted(pairs, key=lambda pair: _by_source(pair[1])):
        key = _key(source)
        if key in known and key not in wanted and judge.wants_archive(claim, source, known[key]):
            wanted[key] = source
    order = sorted(wanted, key=lambda k: (k[0], k[1] or dt.date.min))
    for done, key in enumerate(order):
        if progress is not None:
            progress(Progress("archive", done, len(order), key[0]))
        known[key] = judge.with_archive(known[key], wanted[key])
    if progress is not None and order:
        progress(Progress("archive", len(order), len(order)))


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
