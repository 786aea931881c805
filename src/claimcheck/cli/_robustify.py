"""``claimcheck robustify STATEMENT``: write a copy of a statement whose links carry their
archived copies (Robust Links), and list each link's outcome on stderr."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._commands import COMMANDS
from ._help import add_command
from ._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_archive_options,
    add_statement_root_option,
    add_store_option,
    archive_config,
    load_claims,
)

if TYPE_CHECKING:
    from ..authoring import RobustLink

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    """The ``robustify`` command and its options."""
    parser = add_command(
        commands,
        "robustify",
        summary=COMMANDS["robustify"],
        description="Write a copy of a statement whose links carry their archived copies as "
        "Robust Links attributes (data-versionurl, data-versiondate): the stored captures "
        "first, the web archives with --online. Each link's outcome is listed on standard "
        "error.",
        examples=[
            (
                "claimcheck robustify statement.html --claims claims/",
                "write statement.robust.html, the copies as cited by the claims files",
            ),
            (
                "claimcheck robustify statement.md --online --save --in-place",
                "ask the archives, save what they lack, rewrite the statement itself",
            ),
        ],
        ok="the copy was written",
        findings="with --strict: a link got no archived copy",
    )
    parser.add_argument("statement", type=Path, metavar="STATEMENT", help=".html or .md file")
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write (default: STATEMENT.robust.SUFFIX)",
    )
    target.add_argument("--in-place", action="store_true", help="rewrite STATEMENT itself")
    parser.add_argument(
        "--claims",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="claims files or folders: their 'accessed' dates pick the copy as cited",
    )
    add_statement_root_option(parser)
    add_store_option(parser)
    parser.add_argument(
        "--online", action="store_true", help="ask the web archives when the store has no copy"
    )
    parser.add_argument(
        "--save", action="store_true", help="with --online: Save Page Now when no copy exists"
    )
    parser.add_argument(
        "--cited-only", action="store_true", help="only the links the claims files cite"
    )
    parser.add_argument(
        "--link-to",
        choices=("original", "version"),
        default="original",
        metavar="TARGET",
        help="where href points: original (the default) or version (the archived copy)",
    )
    parser.add_argument(
        "--datetime", action="store_true", help="data-versiondate with the time, not the day"
    )
    parser.add_argument(
        "--update", action="store_true", help="replace the versions links already carry"
    )
    parser.add_argument(
        "--syntax",
        choices=("html", "markdown"),
        metavar="SYNTAX",
        help="html or markdown (default: by suffix)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a link gets no archived copy"
    )
    add_archive_options(parser.add_argument_group("archives"), save_page_now=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write a copy of the statement whose links carry their archived copies (Robust Links)."""
    from ..authoring import cited, robustify_file, version_finder
    from ..documents import syntax_for
    from ..sources import MementoClient, SavePageNow, Wayback
    from ..store import SnapshotStore

    statement: Path = args.statement
    syntax = args.syntax or syntax_for(statement)
    if syntax == "text":
        raise UsageError(f"{statement}: robustify reads .html, .htm, .xhtml, .md and .markdown")
    if args.save and not args.online:
        raise UsageError("--save needs --online")
    if args.in_place:
        output = statement
    else:
        output = args.output or statement.with_name(f"{statement.stem}.robust{statement.suffix}")
    claim_sets = load_claims(args.claims, args.statement_root) if args.claims else []
    if args.cited_only and not claim_sets:
        raise UsageError("--cited-only needs --claims")
    store = SnapshotStore(args.snapshots) if (args.snapshots / "warc").is_dir() else None
    config = archive_config(args)
    with contextlib.ExitStack() as stack:
        wayback = mementos = save_page_now = None
        if args.online:
            wayback = stack.enter_context(Wayback(config))
            mementos = [
                stack.enter_context(MementoClient(timegate, config))
                for timegate in config.timegates
            ]
        if args.save:
            save_page_now = stack.enter_context(SavePageNow(config))
        links = robustify_file(
            statement,
            output,
            versions=version_finder(
                store,
                claim_sets=claim_sets,
                wayback=wayback,
                mementos=mementos or (),
                save_page_now=save_page_now,
            ),
            syntax=syntax,
            link_to=args.link_to,
            date_format="datetime" if args.datetime else "date",
            update=args.update,
            select=cited(claim_sets) if args.cited_only else None,
        )
    missing = _report_links(statement, output, links)
    return EXIT_FINDINGS if args.strict and missing else EXIT_OK


def _report_links(statement: Path, output: Path, links: list[RobustLink]) -> int:
    """Each link's outcome on stderr, then how many carry an archived copy; returns how many
    do not."""
    missing = 0
    for link in links:
        where = f"{statement}:{link.line}:{link.column}"
        if link.version_url is not None:
            date = f" ({link.version_date:%Y-%m-%d})" if link.version_date else ""
            line = f"{where}: {link.status.value}: {link.url} -> {link.version_url}{date}"
        else:
            missing += 1
            line = f"{where}: {link.status.value}: {link.url}"
        if link.message:
            line += f": {link.message}"
        print(line, file=sys.stderr)
    kept = len(links) - missing
    print(
        f"claimcheck: {output}: {kept} of {len(links)} links carry an archived copy",
        file=sys.stderr,
    )
    return missing
