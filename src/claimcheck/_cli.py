"""The ``claimcheck`` command line.

Exit codes: 0 when every claim passes, 1 when a claim has a status named by ``--fail-on``
(default: drifted, broken), 2 for a usage or input error (a malformed claims file, a missing
store). Errors are printed as messages, never as tracebacks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import mimetypes
import sys
from collections.abc import Sequence
from pathlib import Path

from ._check import check
from ._claims import ClaimSet, load
from ._errors import ClaimcheckError, ClaimsFileError, Problem
from ._report import render_text, to_json
from ._store import SnapshotStore
from ._verdicts import Status

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    """A command-line input problem: reported in one line, exit status 2."""


def _statuses(value: str) -> frozenset[Status]:
    statuses = set()
    for name in value.split(","):
        name = name.strip()
        if not name:
            continue
        try:
            statuses.add(Status(name))
        except ValueError:
            choices = ", ".join(status.value for status in Status)
            raise argparse.ArgumentTypeError(f"unknown status {name!r} (use {choices})") from None
    return frozenset(statuses)


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or date-time: {value!r} (use 2021-03-05 or 2021-03-05T12:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use 2021-03-05)") from None


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="claimcheck",
        description="Check the quotes, figures and dates of a statement against their sources.",
    )
    parser.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("check", help="check claims files against their sources")
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders")
    run.add_argument(
        "--offline", action="store_true", help="use stored captures only (the default for now)"
    )
    run.add_argument(
        "--snapshots", type=Path, default=Path("snapshots"), help="snapshot store (./snapshots)"
    )
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("-o", "--output", type=Path, help="write the report to this file")
    run.add_argument(
        "--fail-on",
        type=_statuses,
        default=frozenset({Status.DRIFTED, Status.BROKEN}),
        metavar="STATUSES",
        help="comma-separated statuses that make the exit status 1 (default: drifted,broken)",
    )

    snapshot = commands.add_parser("snapshot", help="manage the snapshot store")
    actions = snapshot.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="record a local file as a capture of a URL")
    add.add_argument("url")
    add.add_argument("file", type=Path)
    add.add_argument("--captured", type=_moment, help="capture date-time (default: now)")
    add.add_argument("--excerpt", action="store_true", help="the file holds excerpts only")
    add.add_argument("--media-type", help="media type (default: from the file name or bytes)")
    add.add_argument("--published", type=_date, help="the document's publication date")
    add.add_argument("--language", help="the document's language (BCP 47: en, da, de-AT)")
    add.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    listing = actions.add_parser("list", help="list the captures in the store")
    listing.add_argument("url", nargs="?")
    listing.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    verify = actions.add_parser("verify", help="check every capture's digests")
    verify.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    rebuild = actions.add_parser("rebuild-index", help="re-derive the index from the WARC files")
    rebuild.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    return parser


def _claims_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise _UsageError(f"{path}: no claims files (*.toml) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise _UsageError(f"{path}: no such file or folder")
    return files


def _load_all(files: Sequence[Path]) -> list[ClaimSet]:
    claim_sets: list[ClaimSet] = []
    problems: list[Problem] = []
    for file in files:
        try:
            claim_sets.append(load(file))
        except ClaimsFileError as error:
            problems.extend(error.problems)
    if problems:
        raise ClaimsFileError(problems)
    return claim_sets


def _run_check(args: argparse.Namespace) -> int:
    claim_sets = _load_all(_claims_files(args.paths))
    store = SnapshotStore(args.snapshots) if (args.snapshots / "warc").is_dir() else None
    if store is None and args.snapshots != Path("snapshots"):
        raise _UsageError(f"{args.snapshots}: not a snapshot store")
    report = check(claim_sets, snapshots=store, offline=True)
    if args.format == "json":
        output = json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
    else:
        to_terminal = args.output is None and sys.stdout.isatty()
        output = render_text(report, color=None if to_terminal else False)
    if args.output is not None:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if report.failing(args.fail_on) else EXIT_OK


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


def _run_snapshot(args: argparse.Namespace) -> int:
    if args.action == "add":
        try:
            data = args.file.read_bytes()
        except OSError as error:
            raise _UsageError(f"{args.file}: {error.strerror or error}") from None
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
        print(
            f"recorded {kind} of {snapshot.url} ({snapshot.captured:%Y-%m-%d}) in {snapshot.path}"
        )
        return EXIT_OK
    store = SnapshotStore(args.snapshots)
    if args.action == "list":
        for snapshot in store.snapshots(args.url):
            flags = " excerpt" if snapshot.excerpt else ""
            print(
                f"{snapshot.captured:%Y-%m-%dT%H:%M:%SZ} {snapshot.media_type:<24}"
                f" {snapshot.length:>9}{flags:<8} {snapshot.url}"
            )
        return EXIT_OK
    if args.action == "verify":
        problems = store.verify()
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(store.snapshots())} captures, {len(problems)} problems")
        return EXIT_FINDINGS if problems else EXIT_OK
    count = store.rebuild_index()
    print(f"index rebuilt: {count} captures")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _run_check(args)
        return _run_snapshot(args)
    except ClaimsFileError as error:
        count = len(error.problems)
        print(
            f"claimcheck: {count} problem{'s' if count != 1 else ''} in the claims:",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except (_UsageError, ClaimcheckError) as error:
        print(f"claimcheck: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # an unwritable --output, a full disk
        print(f"claimcheck: {error}", file=sys.stderr)
        return EXIT_USAGE
