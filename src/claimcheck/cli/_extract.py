"""``claimcheck extract STATEMENT``: propose a claims file for a statement, and list on stderr
what needs the author's eye."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._commands import COMMANDS
from ._help import add_command
from ._options import EXIT_OK, UsageError, calendar_date

if TYPE_CHECKING:
    from ..authoring import Extraction

# claimcheck.documents.SYNTAXES, which a test holds equal: importing it loads the statement
# reader (markdown-it), and the help must not (start-up, issue 17).
SYNTAXES: Final = ("markdown", "html", "text")

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    """The ``extract`` command and its options."""
    parser = add_command(
        commands,
        "extract",
        summary=COMMANDS["extract"],
        description="Propose a claims file for a statement: one claim for each quote, figure "
        "and date, with the links of its sentence as its sources. What needs the author's eye "
        "(a claim with no source, a link with no claim) is listed on standard error, each with "
        "its line and column.",
        examples=[
            (
                "claimcheck extract statement.md -o claims/statement.toml",
                "write the proposed claims file, to edit before checking",
            ),
            (
                "claimcheck extract statement.html --language de --published 2021-03-05",
                "a German statement: 'this month' read as March 2021",
            ),
        ],
        ok="the claims file was proposed",
    )
    parser.add_argument(
        "statement",
        type=Path,
        metavar="STATEMENT",
        help="the statement: Markdown, HTML or plain text",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the claims file here (default: stdout)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the --output file if it exists"
    )
    parser.add_argument(
        "--syntax",
        choices=SYNTAXES,
        metavar="SYNTAX",
        help=f"{', '.join(SYNTAXES)} (default: by file suffix)",
    )
    parser.add_argument(
        "--language",
        metavar="LANGUAGE",
        help="the statement's language (en, de, fr, …; default: all known)",
    )
    parser.add_argument(
        "--published",
        type=calendar_date,
        metavar="DATE",
        help="publication date: resolves 'this month' and the like",
    )
    parser.add_argument(
        "--id", dest="statement_id", metavar="ID", help="the statement's id (default: stem)"
    )
    parser.add_argument("--title", metavar="TEXT", help="the statement's title")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Propose a claims file for a statement; list on stderr what needs the author's eye."""
    statement: Path = args.statement
    try:
        # utf-8-sig: a byte order mark is no text; columns count as the claims loader's do
        text = statement.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{statement}: not UTF-8 text ({error.reason})") from None
    if args.output is not None and args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists: use --force to replace it")
    from ..authoring import claims_toml, extract
    from ..documents import syntax_for
    from ..store import write_atomically

    extraction = extract(
        text,
        syntax=args.syntax or syntax_for(statement),
        language=args.language,
        reference_date=args.published,
        ignore=args.configuration.ignore if args.configuration is not None else (),
    )
    folder = (args.output or Path("claims.toml")).resolve().parent
    relative = os.path.relpath(statement.resolve(), folder)
    document = claims_toml(
        extraction,
        statement_file=Path(relative).as_posix(),
        statement_id=args.statement_id,
        title=args.title,
        published=args.published,
    )
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(args.output, document.encode("utf-8"))
    else:
        sys.stdout.write(document)
    _report_extraction(statement, extraction)
    if Path(relative).parts[:1] == (os.pardir,):
        print(
            f"claimcheck: the statement is outside the claims file's folder "
            f"({folder}): check with --statement-root naming a folder "
            "that holds both",
            file=sys.stderr,
        )
    return EXIT_OK


def _report_extraction(statement: Path, extraction: Extraction) -> None:
    """What the author must look at, one line each with its place in the statement."""
    from ..documents import shorten
    from ..reports import plural

    counts = Counter(proposal.kind.value for proposal in extraction.proposals)
    print(
        f"claimcheck: {plural(len(extraction.proposals), 'claim')} proposed ("
        + ", ".join(plural(counts[kind], kind) for kind in ("quote", "figure", "date"))
        + f"), {plural(len(extraction.links), 'link')}",
        file=sys.stderr,
    )
    notes = []
    unsourced = set(extraction.unsourced)
    for proposal in extraction.proposals:
        where = f"{statement}:{proposal.line}:{proposal.column}"
        label = f"{proposal.kind.value} {shorten(proposal.text)!r}"
        if proposal in unsourced:
            notes.append((proposal.start, f"{where}: {label}: no source in its sentence"))
        for link in proposal.sources:
            if link.problem is not None:
                notes.append((proposal.start, f"{where}: {label}: {link.problem}"))
        if proposal.problem is not None:
            notes.append((proposal.start, f"{where}: {label}: {proposal.problem}"))
    for link in extraction.unlinked_links:
        where = f"{statement}:{link.line}:{link.column}"
        notes.append(
            (link.start, f"{where}: link {shorten(link.text)!r}: no claim in its sentence")
        )
    for _, note in sorted(notes, key=lambda item: item[0]):
        print(f"  {note}", file=sys.stderr)
