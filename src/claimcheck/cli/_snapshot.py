"""``claimcheck snapshot ACTION``: manage the snapshot store: ``fetch`` captures the sources of
claims files (live, and archived as cited; what it could not get is recorded as a failure, so
that ``check --offline`` gives the online verdicts), ``save`` asks Save Page Now to capture
them, ``add`` records a local file as a capture, ``list`` lists the captures and failure
records by their IDs, ``show`` shows one (its metadata, and with ``--text`` the text the matcher
reads of it), ``verify`` and ``rebuild-index``."""

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
    source_text,
)
from ..errors import ArchiveError, TextExtractionError
from ..model import Snapshot
from ..reports import display_safe
from ..sources import ArchiveConfig, Fetcher, Reachability, SavePageNow
from ..store import (
    MIN_PREFIX,
    FailureRecord,
    SnapshotStore,
    capture_id,
    digest_prefix,
    entries_named,
)
from ._check import NO_NETWORK_HINT
from ._commands import COMMANDS
from ._help import add_command
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
    snapshot = add_command(
        commands,
        "snapshot",
        summary=COMMANDS["snapshot"],
        description="Manage the snapshot store, the folder of WARC files that holds what was "
        "read of each source (./snapshots unless --snapshots names another): capture sources "
        "(fetch, save, add), look at what is stored (list, show), and check it (verify, "
        "rebuild-index).",
        examples=[
            ("claimcheck snapshot fetch claims/", "capture every source, live and as cited"),
            ("claimcheck snapshot list", "every capture and failure record, each with its ID"),
            ("claimcheck snapshot show ID --text", "one of them, and the text read of it"),
        ],
        ok="done",
        findings="fetch: a source could not be fetched live; save: a page was not saved; "
        "verify: a problem was found; rebuild-index: a file was left out",
    )
    actions = snapshot.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add_fetch(actions)
    _add_save(actions)
    _add_add(actions)
    _add_list_and_show(actions)
    verify = add_command(
        actions,
        "verify",
        summary="check every capture's digests, and the text cache against the captures",
        description="Check every capture and failure record against its digests, and every "
        "entry of the text cache against the capture it was derived from; each problem is "
        "said on standard error.",
        examples=[
            ("claimcheck snapshot verify", "check ./snapshots"),
            ("claimcheck snapshot verify --snapshots archive/store", "check another store"),
        ],
        ok="every capture and cache entry is sound",
        findings="a problem was found",
    )
    add_store_option(verify)
    verify.set_defaults(run=run_verify)
    rebuild = add_command(
        actions,
        "rebuild-index",
        summary="re-derive the index from the WARC files",
        description="Re-derive the store's index (index.cdxj) from its WARC files, after a "
        "crash or a hand edit; each file that cannot be indexed is left out and said on "
        "standard error.",
        examples=[
            ("claimcheck snapshot rebuild-index", "rebuild the index of ./snapshots"),
            ("claimcheck snapshot rebuild-index --snapshots archive/store", "of another store"),
        ],
        ok="every WARC file was indexed",
        findings="a WARC file was left out",
    )
    add_store_option(rebuild)
    rebuild.set_defaults(run=run_rebuild_index)


def _add_fetch(actions: Any) -> None:
    fetch = add_command(
        actions,
        "fetch",
        summary="capture the sources of claims files (live, and archived as cited)",
        description="Capture the sources of claims files into the store without judging the "
        "claims: each live, and its archived copy as cited. What could not be had is recorded "
        "as a failure, so that 'check --offline' gives the online verdicts.",
        examples=[
            ("claimcheck snapshot fetch claims/", "capture every source into ./snapshots"),
            (
                "claimcheck snapshot fetch claims/statement.toml --no-archive --snapshots store",
                "the live pages only, into ./store",
            ),
        ],
        ok="every source was fetched live",
        findings="a source could not be fetched live (its failure is recorded)",
    )
    fetch.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders"
    )
    add_store_option(fetch)
    add_statement_root_option(fetch)
    add_quiet_option(fetch)
    add_network_options(fetch)
    fetch.set_defaults(run=run_fetch)


def _add_save(actions: Any) -> None:
    save = add_command(
        actions,
        "save",
        summary="ask the Internet Archive's Save Page Now to capture the sources",
        description="Ask the Internet Archive's Save Page Now to capture URLs, or the sources "
        "of claims files (keys in CLAIMCHECK_IA_ACCESS_KEY and CLAIMCHECK_IA_SECRET_KEY).",
        examples=[
            ("claimcheck snapshot save claims/", "save every source of the claims files"),
            (
                "claimcheck snapshot save https://www.example.org/page --if-not-archived-within 7d",
                "save one page unless the archive has a copy of the last week",
            ),
        ],
        ok="every page was saved, or archived recently enough",
        findings="a page was not saved",
    )
    save.add_argument(
        "targets", nargs="+", metavar="PATH_OR_URL", help="claims files or folders, or URLs"
    )
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


def _add_add(actions: Any) -> None:
    add = add_command(
        actions,
        "add",
        summary="record a local file as a capture of a URL",
        description="Record a local file as a capture of a URL: a page saved from a browser, "
        "a PDF, or excerpts copied from a page that cannot be fetched.",
        examples=[
            (
                "claimcheck snapshot add https://www.example.org/report report.pdf",
                "record the PDF as a capture of the URL, captured now",
            ),
            (
                "claimcheck snapshot add https://www.example.org/page quotes.txt --excerpt "
                "--captured 2021-03-05",
                "record excerpts of the page, as of 5 March 2021",
            ),
        ],
        ok="the capture was recorded",
    )
    add.add_argument("url", metavar="URL", help="the URL the file is a capture of")
    add.add_argument("file", type=Path, metavar="FILE", help="the file to record")
    add.add_argument(
        "--captured",
        type=moment,
        metavar="DATE",
        help="capture date or date-time (2021-03-05, 2021-03-05T12:00:00Z; default: now)",
    )
    add.add_argument("--excerpt", action="store_true", help="the file holds excerpts only")
    add.add_argument(
        "--media-type",
        metavar="MEDIA_TYPE",
        help="media type (default: from the file name or bytes)",
    )
    add.add_argument(
        "--published",
        type=calendar_date,
        metavar="DATE",
        help="the document's publication date",
    )
    add.add_argument(
        "--language", metavar="LANGUAGE", help="the document's language (BCP 47: en, da, de-AT)"
    )
    add_store_option(add)
    add.set_defaults(run=run_add)


def _add_list_and_show(actions: Any) -> None:
    listing = add_command(
        actions,
        "list",
        summary="list the captures in the store",
        description="List the captures and failure records of the store (of one URL, when "
        "given), one a line: its ID (for 'snapshot show'), when it was captured or recorded, "
        "its media type or why it failed, its size, whether it holds excerpts only (or which "
        "fetch failed), and its URL.",
        examples=[
            ("claimcheck snapshot list", "everything in ./snapshots"),
            ("claimcheck snapshot list https://www.example.org/page", "what is stored of one URL"),
        ],
        ok="the list was printed (also when it is empty)",
    )
    listing.add_argument("url", nargs="?", metavar="URL", help="list what is stored of this URL")
    add_store_option(listing)
    listing.set_defaults(run=run_list)
    show = add_command(
        actions,
        "show",
        summary="show a capture's metadata, and the text read of it",
        description="Show what the store keeps of a capture or failure record: its metadata "
        "and, with --text, the text claimcheck reads of it (what a check matches claims "
        "against), so nobody has to unzip a WARC file. Given a URL, its newest capture is "
        "shown, and the other entries of the URL are listed; given an ID (as 'snapshot list' "
        f"shows it) or any prefix of at least {MIN_PREFIX} hex digits of it, or of a payload "
        "digest, that entry. A name that names no entry, or several, is an input error.",
        examples=[
            ("claimcheck snapshot show https://www.example.org/page", "its newest capture"),
            ("claimcheck snapshot show 3f2a9c1b7e4d --text", "one entry, and its text"),
        ],
        ok="the entry was shown",
    )
    show.add_argument(
        "name", metavar="URL_OR_DIGEST", help="a URL, or an entry's ID (a digest prefix)"
    )
    show.add_argument("--text", action="store_true", help="also show the text read of the capture")
    add_store_option(show)
    show.set_defaults(run=run_show)


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
    """List the captures of the store (of one URL, when given), and its failure records, each
    by its ID (:func:`~claimcheck.store.capture_id`): a failure's line names its reason where a
    capture's names its media type, and whether the live fetch or the archive lookup failed
    where a capture says it is an excerpt."""
    store = SnapshotStore(args.snapshots)
    entries: list[Snapshot | FailureRecord] = [*store.snapshots(args.url)]
    entries += store.failures(args.url)
    for entry in _in_order(entries):
        print(_line(entry))
    return EXIT_OK


def _in_order(entries: list[Snapshot | FailureRecord]) -> list[Snapshot | FailureRecord]:
    return sorted(entries, key=lambda e: (e.key, _moment(e), e.path))


def _line(entry: Snapshot | FailureRecord) -> str:
    """An entry's line in ``snapshot list``."""
    if isinstance(entry, FailureRecord):
        return (
            f"{capture_id(entry)} {entry.recorded:%Y-%m-%dT%H:%M:%SZ}"
            f" {'failed ' + entry.reason.value:<24} {'-':>9}{' ' + entry.origin:<8} {entry.url}"
        )
    flags = " excerpt" if entry.excerpt else ""
    return (
        f"{capture_id(entry)} {entry.captured:%Y-%m-%dT%H:%M:%SZ} {entry.media_type:<24}"
        f" {entry.length:>9}{flags:<8} {entry.url}"
    )


def _moment(entry: Snapshot | FailureRecord) -> dt.datetime:
    return entry.captured if isinstance(entry, Snapshot) else entry.recorded


_LISTED = "'claimcheck snapshot list' lists what it holds"
_KINDS = {
    "live": "live (fetched from the URL)",
    "archive": "archived (fetched from a web archive)",
    "local": "recorded from a file (snapshot add)",
}
_FAILED = {"live": "the live fetch", "archive": "the archive lookup"}


def run_show(args: argparse.Namespace) -> int:
    """Show a capture's or a failure record's metadata, named by a URL (its newest capture,
    the URL's other entries listed) or by a digest prefix; with ``--text``, the text the
    matcher reads of it (:func:`~claimcheck.checking.source_text`)."""
    store = SnapshotStore(args.snapshots)
    shown, others, heading = _named(store, args.name)
    print(
        f"{'failure record' if isinstance(shown, FailureRecord) else 'capture'} {capture_id(shown)}"
    )
    fields = _fields(store, shown)
    text = None
    if args.text and isinstance(shown, Snapshot):
        text, described = _text(store, shown)
        fields += described
    for name, value in fields:
        print(f"{name + ':':<15}{value}")
    if others:
        print(f"\n{heading}")
        for entry in _in_order(others):
            print(_line(entry))
    if args.text and isinstance(shown, FailureRecord):
        print("\nno text: a failure record holds no copy of the page")
    elif text:
        print(f"\n{'-' * 8} text {'-' * 8}\n{text}")
    return EXIT_OK


def _named(
    store: SnapshotStore, name: str
) -> tuple[Snapshot | FailureRecord, list[Snapshot | FailureRecord], str]:
    """The entry ``name`` names, the others to list with it, and their heading; a
    :class:`UsageError` when it names none, or is ambiguous."""
    name = name.strip()
    if "://" in name:
        entries: list[Snapshot | FailureRecord] = [*store.snapshots(name), *store.failures(name)]
        if not entries:
            raise UsageError(f"no capture or failure record of {name} in {store.root}; {_LISTED}")
        shown = store.find(name) or max(entries, key=_moment)
        others = [entry for entry in entries if entry.path != shown.path]
        return shown, others, "also stored for this URL ('claimcheck snapshot show ID' shows one):"
    prefix = digest_prefix(name)
    if prefix is None:
        raise UsageError(f"{name}: not a URL, nor a digest of at least {MIN_PREFIX} hex digits")
    found = entries_named([*store.snapshots(), *store.failures()], prefix)
    if not found:
        raise UsageError(
            f"no capture or failure record whose digest starts with {name} in {store.root}; "
            + _LISTED
        )
    if len(found) > 1:
        candidates = sorted(
            f"{capture_id(entry)} ({_moment(entry):%Y-%m-%d} {entry.url})"
            for entry in (matches[0] for matches in found.values())
        )
        raise UsageError(
            f"{name} names {len(candidates)} entries of the store: {', '.join(candidates)}"
        )
    (matches,) = found.values()
    return matches[0], matches[1:], "the same content is also stored as:"


def _fields(store: SnapshotStore, entry: Snapshot | FailureRecord) -> list[tuple[str, str]]:
    """What the store keeps of an entry, as (name, value) lines; absent values left out."""
    if isinstance(entry, FailureRecord):
        fields = [
            ("url", entry.url),
            ("recorded", f"{entry.recorded:%Y-%m-%dT%H:%M:%SZ}"),
            ("failed", _FAILED.get(entry.origin, entry.origin)),
            ("reason", entry.reason.value),
            ("message", entry.message),
        ]
    else:
        optional = {
            "HTTP status": entry.status,
            "redirected to": entry.redirected_to,
            "archive URL": entry.archive_url,
            "published": entry.published,
            "language": entry.language,
        }
        fields = [
            ("url", entry.url),
            ("captured", f"{entry.captured:%Y-%m-%dT%H:%M:%SZ}"),
            ("kind", _KINDS.get(entry.origin, entry.origin)),
            ("copy", "excerpts only (not the whole page)" if entry.excerpt else "full page"),
            ("media type", entry.media_type),
            *((name, str(value)) for name, value in optional.items() if value is not None),
        ]
    return [
        *fields,
        ("digest", entry.digest),
        ("size", f"{entry.length} bytes"),
        ("WARC file", str(store.root / entry.path)),
    ]


def _text(store: SnapshotStore, snapshot: Snapshot) -> tuple[str, list[tuple[str, str]]]:
    """The text the matcher reads of a capture, and what is said of it (its title, length,
    how it was read, or why there is none)."""
    try:
        text = source_text(snapshot, store, TextCache(store))
    except TextExtractionError as error:
        return "", [("text", f"none: {error}")]
    described = [("title", text.title)] if text.title else []
    if text.unreadable is not None:
        return text.text, [*described, ("text", f"no readable text ({text.unreadable})")]
    charset = f" ({text.charset})" if text.charset else ""
    return text.text, [
        *described,
        ("text", f"{len(text.text)} characters, read as {text.media_type}{charset}"),
    ]


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
