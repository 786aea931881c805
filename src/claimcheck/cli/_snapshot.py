"""``claimcheck snapshot ACTION``: manage the snapshot store: ``fetch`` captures the sources of
claims files (live, and archived as cited; what it could not get is recorded as a failure, so
that ``check --offline`` gives the online verdicts), ``save`` asks Save Page Now to capture
them, ``add`` records a local file as a capture, ``list``, ``verify`` and ``rebuild-index``."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import mimetypes
import sys
from pathlib import Path
from typing import Any

from ..auditing import AuditPolicy
from ..checking import (
    ArchiveLookup,
    SourceCopies,
    TextCache,
    fetch_progress,
    fetched_copies,
    record_failures,
    source_problem,
)
from ..errors import ArchiveError
from ..model import Snapshot
from ..reports import display_safe
from ..sources import ArchiveConfig, Fetcher, Reachability, SavePageNow
from ..store import FailureRecord, SnapshotStore
from ._check import NO_NETWORK_HINT
from ._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_archive_options,
    add_network_options,
    add_statement_root_option,
    add_store_option,
    archive_config,
    calendar_date,
    fetch_config,
    judged,
    load_claims,
    moment,
    seconds,
)
from ._progress import add_quiet_option, progress_display

__all__ = ["add_parser"]


def _save_default(parameter: str) -> Any:
    """The default of a parameter of :meth:`~claimcheck.sources.SavePageNow.save`."""
    return inspect.signature(SavePageNow.save).parameters[parameter].default


def add_parser(commands: Any) -> None:
    """The ``snapshot`` command, its actions and their options."""
    snapshot = commands.add_parser("snapshot", help="manage the snapshot store")
    actions = snapshot.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser(
        "fetch", help="capture the sources of claims files (live, and archived as cited)"
    )
    fetch.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_store_option(fetch)
    add_statement_root_option(fetch)
    add_quiet_option(fetch)
    add_network_options(fetch)
    fetch.set_defaults(run=run_fetch)
    save = actions.add_parser(
        "save", help="ask the Internet Archive's Save Page Now to capture the sources"
    )
    save.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    add_statement_root_option(save)
    save.add_argument(
        "--if-not-archived-within",
        metavar="AGE",
        help="skip pages archived this recently (30d, 24h, seconds; default "
        f"{_save_default('if_not_archived_within')}; '' to always save)",
    )
    save.add_argument(
        "--poll-interval",
        # The audit's Save Page Now polls (AuditPolicy.save_poll_interval) set the rule.
        type=judged(seconds, AuditPolicy, "save_poll_interval"),
        metavar="SECONDS",
        help=f"seconds between status polls (default {_save_default('poll_interval'):g})",
    )
    add_archive_options(save, wayback=False, timegates=False, save_page_now=True)
    save.set_defaults(run=run_save)
    add = actions.add_parser("add", help="record a local file as a capture of a URL")
    add.add_argument("url")
    add.add_argument("file", type=Path)
    add.add_argument("--captured", type=moment, help="capture date-time (default: now)")
    add.add_argument("--excerpt", action="store_true", help="the file holds excerpts only")
    add.add_argument("--media-type", help="media type (default: from the file name or bytes)")
    add.add_argument("--published", type=calendar_date, help="the document's publication date")
    add.add_argument("--language", help="the document's language (BCP 47: en, da, de-AT)")
    add_store_option(add)
    add.set_defaults(run=run_add)
    listing = actions.add_parser("list", help="list the captures in the store")
    listing.add_argument("url", nargs="?")
    add_store_option(listing)
    listing.set_defaults(run=run_list)
    verify = actions.add_parser(
        "verify", help="check every capture's digests, and the text cache against the captures"
    )
    add_store_option(verify)
    verify.set_defaults(run=run_verify)
    rebuild = actions.add_parser("rebuild-index", help="re-derive the index from the WARC files")
    add_store_option(rebuild)
    rebuild.set_defaults(run=run_rebuild_index)


def run_fetch(args: argparse.Namespace) -> int:
    """Capture every source (live, and archived as cited) without judging the claims."""
    claim_sets = load_claims(args.paths, args.statement_root)
    archives = archive_config(args)  # a malformed --config is an error, even unused
    store = SnapshotStore(args.snapshots, create=True)
    sources = {
        (source.url.strip(), source.accessed)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
        if source_problem(source.url) is None
    }
    urls = sorted({url for url, _ in sources})
    with progress_display(args) as progress, Fetcher(fetch_config(args), store=store) as fetcher:
        results = fetcher.fetch_many(urls, **fetch_progress(progress, len(urls)))
    network = Reachability(archive=not args.no_archive)
    failures = 0
    for url, result in sorted(results.items()):
        network.note(result)
        if result.ok:
            print(f"live     {url}: {result.status}")
        else:
            failures += 1
            reason = result.reason.value if result.reason else "failed"
            print(f"live     {url}: {reason}: {result.message}")
    fetched = {url: fetched_copies(result) for url, result in results.items()}
    looked: list[tuple[str, SourceCopies]] = []
    stopped = None
    if not args.no_archive:
        looked, stopped = _look_up_archives(
            sorted(sources, key=_by_date), fetched, archives, store, network
        )
    # What was not captured is recorded as the online check would have seen it, so that
    # 'check --offline' gives the online check's verdicts; without a network, nothing is.
    record_failures(store, [*looked, *fetched.items()], stopped=stopped, network=network)
    if network.down:
        print(f"claimcheck: {NO_NETWORK_HINT}; nothing was recorded", file=sys.stderr)
    return EXIT_FINDINGS if failures else EXIT_OK


def _by_date(source: tuple[str, dt.date | None]) -> tuple[str, dt.date]:
    return source[0], source[1] or dt.date.min


def _look_up_archives(
    sources: list[tuple[str, dt.date | None]],
    fetched: dict[str, SourceCopies],
    archives: ArchiveConfig,
    store: SnapshotStore,
    network: Reachability,
) -> tuple[list[tuple[str, SourceCopies]], str | None]:
    """The archived copy "as cited" of every source, recorded in the store, looked up as an
    online check looks it up (:class:`~claimcheck.checking.ArchiveLookup`: the Wayback
    Machine, then the TimeGates, one deadline for both), each outcome printed; the lookups
    stop at an archive's rate limit. Returns each source's copies, and the rate limit's note
    when one stopped the lookups."""
    lookup = ArchiveLookup(archives, store, network=network)
    looked = []
    try:
        for url, accessed in sources:
            copies = lookup.complete(fetched.get(url, SourceCopies()), url, accessed)
            looked.append((url, copies))
            archived = copies.archived
            if archived is not None:
                print(f"archived {url}: {archived.captured:%Y-%m-%d} {archived.archive_url}")
            elif copies.archive_note is not None:
                print(f"archived {url}: {copies.archive_note}")
                if lookup.stopped is not None:
                    break
            else:
                print(f"archived {url}: no capture")
    finally:
        lookup.close()
    return looked, lookup.stopped


def run_save(args: argparse.Namespace) -> int:
    """Ask Save Page Now to capture URLs, or the sources of claims files."""
    urls: set[str] = set()
    files = [Path(target) for target in args.targets if not target.startswith(("http:", "https:"))]
    urls.update(target for target in args.targets if target.startswith(("http:", "https:")))
    for claim_set in load_claims(files, args.statement_root) if files else ():
        for claim in claim_set.claims:
            urls.update(s.url.strip() for s in claim.sources if source_problem(s.url) is None)
    saver = SavePageNow(archive_config(args))
    given: dict[str, Any] = {}
    if args.if_not_archived_within is not None:
        given["if_not_archived_within"] = args.if_not_archived_within or None
    if args.poll_interval is not None:
        given["poll_interval"] = args.poll_interval
    failures = 0
    for url in sorted(urls):  # every URL attempted, each outcome said, the exit status at the end
        try:
            result = saver.save(url, **given)
        except ArchiveError as error:
            failures += 1
            print(f"not saved {url}: {error}")
            continue
        if result.ok:
            print(f"saved {url}: {result.archive_url}")
        else:
            failures += 1
            print(f"not saved {url}: {result.error}: {result.message}")
    return EXIT_FINDINGS if failures else EXIT_OK


def _guess_media_type(file: Path, data: bytes) -> str:
    guessed, _ = mimetypes.guess_type(file.name)
    if guessed:
        return guessed
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    return "text/plain"


def run_add(args: argparse.Namespace) -> int:
    """Record a local file as a capture of a URL."""
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise UsageError(f"{args.file}: {error.strerror or error}") from None
    store = SnapshotStore(args.snapshots, create=True)
    snapshot = store.add(
        args.url,
        data,
        media_type=args.media_type or _guess_media_type(args.file, data),
        captured=args.captured,
        excerpt=args.excerpt,
        published=args.published,
        language=args.language,
    )
    kind = "excerpt capture" if snapshot.excerpt else "capture"
    print(f"recorded {kind} of {snapshot.url} ({snapshot.captured:%Y-%m-%d}) in {snapshot.path}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """List the captures of the store (of one URL, when given), and its failure records: a
    failure's line names its reason where a capture's names its media type, and whether the
    live fetch or the archive lookup failed where a capture says it is an excerpt."""
    store = SnapshotStore(args.snapshots)
    entries: list[Snapshot | FailureRecord] = [*store.snapshots(args.url)]
    entries += store.failures(args.url)
    for entry in sorted(entries, key=lambda e: (e.key, _moment(e), e.path)):
        if isinstance(entry, FailureRecord):
            print(
                f"{entry.recorded:%Y-%m-%dT%H:%M:%SZ} {'failed ' + entry.reason.value:<24}"
                f" {'-':>9}{' ' + entry.origin:<8} {entry.url}"
            )
            continue
        flags = " excerpt" if entry.excerpt else ""
        print(
            f"{entry.captured:%Y-%m-%dT%H:%M:%SZ} {entry.media_type:<24}"
            f" {entry.length:>9}{flags:<8} {entry.url}"
        )
    return EXIT_OK


def _moment(entry: Snapshot | FailureRecord) -> dt.datetime:
    return entry.captured if isinstance(entry, Snapshot) else entry.recorded


def _failure_count(store: SnapshotStore) -> str:
    count = len(store.failures())
    return f", {count} failure records" if count else ""


def run_verify(args: argparse.Namespace) -> int:
    """Check every capture's digests, and every text-cache entry against its capture; exit 1
    when one fails."""
    store = SnapshotStore(args.snapshots)
    problems = store.verify() + TextCache(store).verify()
    for problem in problems:
        print(display_safe(problem), file=sys.stderr)
    print(f"{len(store.snapshots())} captures{_failure_count(store)}, {len(problems)} problems")
    return EXIT_FINDINGS if problems else EXIT_OK


def run_rebuild_index(args: argparse.Namespace) -> int:
    """Re-derive the store's index from its WARC files; say which files were left out (exit 1
    when one was)."""
    skipped: list[str] = []
    store = SnapshotStore(args.snapshots)
    store.rebuild_index(skipped=skipped)
    for problem in skipped:
        print(display_safe(problem), file=sys.stderr)
    left_out = f" ({len(skipped)} files left out)" if skipped else ""
    print(f"index rebuilt: {len(store.snapshots())} captures{_failure_count(store)}{left_out}")
    return EXIT_FINDINGS if skipped else EXIT_OK
