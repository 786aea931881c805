"""``claimcheck check PATH...``: check claims files against their sources, report in any
registered format, exit 1 when a claim has a status named by ``--fail-on`` (or is disputed, when
``--fail-on`` names ``disputed``: verified by one source while another cited source, read, says
otherwise; see :func:`~claimcheck.model.disputing`). Online without a
network, every citation that could not be reached is ``unchecked`` / ``no-network``, with one
hint to check the stored captures (:data:`NO_NETWORK_HINT`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._commands import COMMANDS
from ._help import add_command
from ._options import (
    DEFAULT_STORE,
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_format_options,
    add_network_options,
    add_statement_root_option,
    archive_config,
    calendar_date,
    failing_option,
    fetch_config,
    load_claims,
    report_formats,
    write_report,
)
from ._progress import add_quiet_option, progress_display

if TYPE_CHECKING:
    from ..model import Report
    from ..reports import RenderOptions

__all__ = ["NO_NETWORK_HINT", "add_parser"]

NO_NETWORK_HINT = "no network: check against stored captures with --offline"
"""Said once (on standard error) after an online check that found no network: its citations are
``unchecked`` / ``no-network``, and the exit status is as for any unchecked claim (0 unless
``--fail-on`` names ``unchecked``)."""


def add_parser(commands: Any) -> None:
    """The ``check`` command and its options."""
    parser = add_command(
        commands,
        "check",
        summary=COMMANDS["check"],
        description="Check the claims of claims files against the sources they cite: each "
        "quote, figure and date is looked for in the live page, then in its archived copy as "
        "cited, and judged verified, drifted, broken, unchecked or unsourced (and disputed "
        "when another cited source says otherwise). Online by default; --offline reads only "
        "the stored captures.",
        examples=[
            ("claimcheck check claims/ --offline", "check against the stored captures only"),
            (
                "claimcheck check claims/statement.toml --format html -o report.html",
                "check online and write the HTML report",
            ),
            (
                "claimcheck check claims/ --fail-on drifted,broken,disputed --format github",
                "in CI: annotations, and exit 1 for a disputed claim too",
            ),
        ],
        ok="no claim has a status --fail-on names",
        findings="a claim has a status --fail-on names (default: drifted, broken)",
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders"
    )
    parser.add_argument(
        "--offline", action="store_true", help="use stored captures only: fetch nothing"
    )
    parser.add_argument(
        "--snapshots",
        type=Path,
        metavar="DIR",
        help=f"snapshot store (default: with --offline, the configuration's 'snapshots', else "
        f"the nearest {DEFAULT_STORE}/ store at or above the claims files, else "
        f"./{DEFAULT_STORE}; live, a temporary store)",
    )
    add_statement_root_option(parser)
    add_network_options(parser)
    add_format_options(parser, "Report", default="text")
    parser.add_argument(
        "--compact",
        action="store_const",
        dest="format",
        const="compact",
        help="one line per finding, file:line:col: status reason: message (--format compact)",
    )
    _add_review_options(parser)
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="do not list the statement's quotations, figures and dates that no claim covers",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        dest="show_all",
        help="text format: list the verified claims too, a row each (by default: in one line)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text format: list every claim, and show each source's capture, passage found "
        "and word differences",
    )
    add_quiet_option(parser)
    failing_option(parser)
    parser.set_defaults(run=run)


def _add_review_options(parser: argparse.ArgumentParser) -> None:
    """What ``--format claimreview`` needs that only the command line can say."""
    review = parser.add_argument_group("ClaimReview (--format claimreview)")
    review.add_argument(
        "--author", metavar="NAME", help="the reviewing organisation's name (Google recommends it)"
    )
    review.add_argument("--author-url", metavar="URL", help="the reviewing organisation's web site")
    review.add_argument(
        "--review-url",
        metavar="URL",
        help="where the reviews are published (each claim gets a #fragment; Google requires it)",
    )
    review.add_argument(
        "--statement-url",
        action="append",
        default=[],
        metavar="[STATEMENT=]URL",
        help="where the statement is published; with several statements, one "
        "STATEMENT=URL per statement (its id or claims file stem)",
    )
    review.add_argument(
        "--review-date",
        type=calendar_date,
        metavar="DATE",
        help="the reviews' publication date (default: today)",
    )


def run(args: argparse.Namespace) -> int:
    """Check, write the report, and say by the exit status whether a claim fails."""
    from ..checking import Mode, check
    from ..model import Reason, Report
    from ..reports import RenderOptions, renderer

    claim_sets = load_claims(args.paths, args.statement_root)
    mode = Mode.STORED if args.offline else Mode.LIVE_ONLY if args.no_archive else Mode.LIVE
    with progress_display(args) as progress:
        report = check(
            claim_sets,
            copies=mode,
            snapshots=args.snapshots,
            fetch=None if args.offline else fetch_config(args),
            archives=None if args.offline else archive_config(args),
            progress=progress,
            coverage=not args.no_coverage,
            ignore=args.configuration.ignore if args.configuration is not None else (),
        )
    options = RenderOptions(
        failing=args.fail_on,
        verbose=args.verbose,
        show_all=args.show_all,
        base=Path.cwd(),
        author=args.author,
        author_url=args.author_url,
        review_url=args.review_url,
        review_date=args.review_date,
        statement_url=_statement_urls(args.statement_url, report)
        if any("statement_url" in renderer(Report, name).options for name in report_formats(args))
        else None,
    )
    write_report(report, args, options)
    for name in sorted(report_formats(args)):
        _warn_review_fields(name, options)
    if any(v.reason is Reason.NO_NETWORK for result in report.results for v in result.verdicts):
        # Once for the run, not once per source: each verdict says what its request met.
        print(f"claimcheck: {NO_NETWORK_HINT}", file=sys.stderr)
    return EXIT_FINDINGS if report.failing(args.fail_on) else EXIT_OK


# What Google's fact-check markup needs that only the command line can say (Google Search
# Central, "Fact check (ClaimReview) structured data": each review's url is required, its
# author recommended): the option, its RenderOptions field, Google's word, the property.
_REVIEW_FIELDS = (
    ("--review-url", "review_url", "requires", "url"),
    ("--author", "author", "recommends", "author"),
)


def _warn_review_fields(name: str, options: RenderOptions) -> None:
    """Warn once, on standard error, when ``--format name`` writes ClaimReview markup without
    what Google requires or recommends of it, naming what is missing; the report is written
    all the same (it is valid schema.org)."""
    from ..model import Report
    from ..reports import renderer

    reads = renderer(Report, name).options
    flags: list[str] = []
    needs: list[str] = []
    for flag, field, verb, prop in _REVIEW_FIELDS:
        if field in reads and not getattr(options, field):
            flags.append(flag)
            whose = "its" if needs else "each review's"
            needs.append(f"{verb} {whose} {prop} ({flag})")
    if flags:
        print(
            f"claimcheck: warning: --format {name} without {' and '.join(flags)}: "
            f"Google {' and '.join(needs)}",
            file=sys.stderr,
        )


def _statement_urls(values: Sequence[str], report: Report) -> str | dict[str, str] | None:
    """``--statement-url`` values: one URL for a report on one statement, else STATEMENT=URL."""
    names = {result.claim_set.name for result in report.results}
    urls: dict[str, str] = {}
    for value in values:
        name, equals, url = value.partition("=")
        if not equals or name.startswith(("http:", "https:")):
            if len(values) > 1 or len(names) > 1:
                raise UsageError(
                    f"--statement-url {value!r}: the report has {len(names)} statements; "
                    "give one STATEMENT=URL for each"
                )
            return value
        if name not in names:
            raise UsageError(f"--statement-url: no statement {name!r} in the report")
        urls[name] = url
    return urls or None
