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
from typing import Any

from ..checking import Mode, check
from ..model import Reason, Report
from ..reports import RenderOptions, renderer
from ..store import DEFAULT_STORE
from ._options import (
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
    write_report,
)
from ._progress import add_quiet_option, progress_display

__all__ = ["NO_NETWORK_HINT", "add_parser"]

NO_NETWORK_HINT = "no network: check against stored captures with --offline"
"""Said once (on standard error) after an online check that found no network: its citations are
``unchecked`` / ``no-network``, and the exit status is as for any unchecked claim (0 unless
``--fail-on`` names ``unchecked``)."""


def add_parser(commands: Any) -> None:
    """The ``check`` command and its options."""
    parser = commands.add_parser("check", help="check claims files against their sources")
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
    add_format_options(parser, Report, default="text")
    review = parser.add_argument_group("ClaimReview (--format claimreview)")
    review.add_argument("--author", help="the reviewing organisation's name")
    review.add_argument("--author-url", help="the reviewing organisation's web site")
    review.add_argument(
        "--review-url", help="where the reviews are published (each claim gets a #fragment)"
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
        "--review-date", type=calendar_date, help="the reviews' publication date (default: today)"
    )
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="do not list the statement's quotations, figures and dates that no claim covers",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text format: show each source's capture, passage found and word differences",
    )
    add_quiet_option(parser)
    failing_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check, write the report, and say by the exit status whether a claim fails."""
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
        )
    options = RenderOptions(
        failing=args.fail_on,
        verbose=args.verbose,
        base=Path.cwd(),
        author=args.author,
        author_url=args.author_url,
        review_url=args.review_url,
        review_date=args.review_date,
        statement_url=_statement_urls(args.statement_url, report)
        if "statement_url" in renderer(Report, args.format).options
        else None,
    )
    write_report(report, args, options)
    if any(v.reason is Reason.NO_NETWORK for result in report.results for v in result.verdicts):
        # Once for the run, not once per source: each verdict says what its request met.
        print(f"claimcheck: {NO_NETWORK_HINT}", file=sys.stderr)
    return EXIT_FINDINGS if report.failing(args.fail_on) else EXIT_OK


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
