"""The ``claimcheck`` command line.

Exit codes: 0 when every claim passes, 1 when a claim has a status named by ``--fail-on``
(default: drifted, broken), 2 for a usage or input error (a malformed claims file, a missing
store). Errors are printed as messages, never as tracebacks.

``claimcheck audit`` has actions of its own (``claimcheck audit run PATH...``, and later
``claimcheck audit report``), and ``claimcheck audit PATH...`` is shorthand for ``audit run
PATH...``: :func:`main` inserts ``run`` when the word after ``audit`` is not an action (nor
``-h``), so a new action is one more subparser and one more name in ``_AUDIT_ACTIONS``. A
claims folder named like an action is reached as ``audit run report`` or ``audit ./report``.
``audit run`` exits 1 only when a citation newly broke or drifted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import mimetypes
import os
import sys
import types
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from .._version import __version__
from ..auditing import AuditPolicy, DaskRunner, audit, load_audit
from ..authoring import (
    Extraction,
    cited,
    claims_toml,
    extract,
    robustify_file,
    shorten,
    version_finder,
)
from ..checking import Mode, Progress, check, fetch_progress, source_problem
from ..claimsfile import load
from ..documents import SYNTAXES, syntax_for
from ..errors import ArchiveError, ClaimcheckError, ClaimsFileError, Problem, RateLimitedError
from ..model import ClaimSet, Report, Status
from ..reports import (
    audit_to_json,
    dumps_claimreview,
    history_to_json,
    neutralise,
    render_audit_markdown,
    render_audit_text,
    render_github,
    render_history_html,
    render_history_markdown,
    render_html,
    render_junit,
    render_markdown,
    render_text,
    to_claimreview,
    to_json,
    to_sarif,
)
from ..sources import (
    ArchiveConfig,
    FetchConfig,
    Fetcher,
    MementoClient,
    SavePageNow,
    Wayback,
    store_copy,
)
from ..store import SnapshotStore
from ..store import write_atomically as _write_atomically

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


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def _days(value: str) -> dt.timedelta:
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 <= days < 100_000:
        raise argparse.ArgumentTypeError(f"not a number of days, 0 or more: {value!r}")
    return dt.timedelta(days=days)


# The actions of `claimcheck audit`; any other word after `audit` is a PATH of `audit run`.
_AUDIT_ACTIONS = frozenset({"run", "report"})


def _audit_shorthand(argv: list[str]) -> list[str]:
    """``claimcheck audit PATH...`` as ``claimcheck audit run PATH...``."""
    position = next((i for i, arg in enumerate(argv) if not arg.startswith("-")), None)
    if position is None or argv[position] != "audit":
        return argv
    rest = argv[position + 1 :]
    if rest and (rest[0] in _AUDIT_ACTIONS or rest[0] in ("-h", "--help")):
        return argv
    return [*argv[: position + 1], "run", *rest]


def _audit_parser(commands: Any) -> None:
    audit_parser = commands.add_parser(
        "audit",
        help="check every citation online, keep a history, report what changed (for cron)",
        description="Scheduled link-rot audit. 'claimcheck audit PATH...' is short for "
        "'claimcheck audit run PATH...'.",
    )
    actions = audit_parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run",
        help="audit the citations of claims files now (exit 1 only when one newly failed)",
    )
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders")
    run.add_argument(
        "--db",
        type=Path,
        default=Path("claimcheck-audit.sqlite"),
        metavar="FILE",
        help="the audit history (SQLite; default ./claimcheck-audit.sqlite)",
    )
    run.add_argument(
        "--snapshots", type=Path, default=Path("snapshots"), help="snapshot store (./snapshots)"
    )
    run.add_argument(
        "--failures",
        type=_positive_int,
        default=2,
        metavar="N",
        help="failing runs before a citation is broken (default 2)",
    )
    run.add_argument(
        "--span",
        type=_days,
        default=dt.timedelta(days=3),
        metavar="DAYS",
        help="days the failing runs must span (default 3)",
    )
    run.add_argument(
        "--flaps",
        type=_positive_int,
        default=4,
        metavar="K",
        help="changes between ok and failing that make a citation flapping (default 4)",
    )
    run.add_argument(
        "--flap-window",
        type=_days,
        default=dt.timedelta(days=14),
        metavar="DAYS",
        help="days the flapping changes are counted over (default 14)",
    )
    run.add_argument(
        "--save-before-death",
        action="store_true",
        help="ask Save Page Now to capture verified pages the Internet Archive has no recent "
        "capture of (keys in CLAIMCHECK_IA_ACCESS_KEY, CLAIMCHECK_IA_SECRET_KEY)",
    )
    run.add_argument(
        "--archive-window",
        type=_days,
        default=dt.timedelta(days=30),
        metavar="DAYS",
        help="with --save-before-death: a capture this recent is enough (default 30)",
    )
    run.add_argument("--save-page-now", help="Save Page Now endpoint (default: web.archive.org)")
    run.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="text (default)"
    )
    run.add_argument("-o", "--output", type=Path, help="write the report to this file")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress display on stderr")
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="fetch and judge on a Dask cluster, partitioned by host: 'local' (a cluster of "
        "this machine's cores) or the scheduler's tcp://HOST:PORT; the history is written "
        "here (pip install 'claimcheck[dask]')",
    )
    run.add_argument(
        "--dask-workers",
        type=_positive_int,
        metavar="N",
        help="with --dask local: worker processes (default: one per core); with an address: "
        "wait for N workers",
    )
    _network_options(run)

    report = actions.add_parser(
        "report",
        help="the whole history: counts per run (a chart), every citation's state and timeline",
    )
    report.add_argument(
        "--db",
        type=Path,
        default=Path("claimcheck-audit.sqlite"),
        metavar="FILE",
        help="the audit history (read only; default ./claimcheck-audit.sqlite)",
    )
    report.add_argument(
        "--format", choices=("html", "markdown", "json"), default="html", help="html (default)"
    )
    report.add_argument("-o", "--output", type=Path, help="write the report to this file")


def _parser() -> argparse.ArgumentParser:

    parser = argparse.ArgumentParser(
        prog="claimcheck",
        description="Check the quotes, figures and dates of a statement against their sources.",
    )
    parser.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("check", help="check claims files against their sources")
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders")
    run.add_argument(
        "--offline", action="store_true", help="use stored captures only: fetch nothing"
    )
    run.add_argument(
        "--snapshots",
        type=Path,
        help="snapshot store (default: ./snapshots when checking stored copies; a temporary "
        "store when checking live)",
    )
    _network_options(run)
    run.add_argument(
        "--format",
        choices=("text", "json", "markdown", "junit", "github", "html", "sarif", "claimreview"),
        default="text",
        help="text (default), json, markdown, junit, github (Actions annotations), "
        "html (one self-contained file: use with -o), sarif (2.1.0, for code scanning), "
        "claimreview (schema.org JSON-LD)",
    )
    review = run.add_argument_group("ClaimReview (--format claimreview)")
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
        "--review-date", type=_date, help="the reviews' publication date (default: today)"
    )
    run.add_argument("-o", "--output", type=Path, help="write the report to this file")
    run.add_argument(
        "--no-coverage",
        action="store_true",
        help="do not list the statement's quotations, figures and dates that no claim covers",
    )
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text format: show each source's capture, passage found and word differences",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="no progress display on stderr")
    run.add_argument(
        "--fail-on",
        type=_statuses,
        default=frozenset({Status.DRIFTED, Status.BROKEN}),
        metavar="STATUSES",
        help="comma-separated statuses that make the exit status 1 (default: drifted,broken)",
    )

    extract = commands.add_parser(
        "extract", help="propose a claims file for a statement (its quotes, figures, dates, links)"
    )
    extract.add_argument("statement", type=Path, metavar="STATEMENT")
    extract.add_argument(
        "-o", "--output", type=Path, help="write the claims file here (default: stdout)"
    )
    extract.add_argument(
        "--force", action="store_true", help="replace the --output file if it exists"
    )
    extract.add_argument(
        "--syntax", choices=SYNTAXES, help="markdown, html or text (default: by file suffix)"
    )
    extract.add_argument(
        "--language", help="the statement's language (en, de, fr, …; default: all known)"
    )
    extract.add_argument(
        "--published", type=_date, help="publication date: resolves 'this month' and the like"
    )
    extract.add_argument("--id", dest="statement_id", help="the statement's id (default: stem)")
    extract.add_argument("--title", help="the statement's title")

    robust = commands.add_parser(
        "robustify",
        help="add Robust Links attributes (the archived copy of each link) to a statement",
    )
    robust.add_argument("statement", type=Path, metavar="STATEMENT", help=".html or .md file")
    target = robust.add_mutually_exclusive_group()
    target.add_argument(
        "-o", "--output", type=Path, help="where to write (default: STATEMENT.robust.SUFFIX)"
    )
    target.add_argument("--in-place", action="store_true", help="rewrite STATEMENT itself")
    robust.add_argument(
        "--claims",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="claims files or folders: their 'accessed' dates pick the copy as cited",
    )
    robust.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    robust.add_argument(
        "--online", action="store_true", help="ask the web archives when the store has no copy"
    )
    robust.add_argument(
        "--save", action="store_true", help="with --online: Save Page Now when no copy exists"
    )
    robust.add_argument(
        "--cited-only", action="store_true", help="only the links the claims files cite"
    )
    robust.add_argument(
        "--link-to",
        choices=("original", "version"),
        default="original",
        help="where href points: the original (default) or the archived copy",
    )
    robust.add_argument(
        "--datetime", action="store_true", help="data-versiondate with the time, not the day"
    )
    robust.add_argument(
        "--update", action="store_true", help="replace the versions links already carry"
    )
    robust.add_argument("--syntax", choices=("html", "markdown"), help="default: by suffix")
    robust.add_argument(
        "--strict", action="store_true", help="exit 1 when a link gets no archived copy"
    )
    robust.add_argument("--config", type=Path, help="archive endpoints (TOML, [archives] table)")
    robust.add_argument("--wayback", help="Wayback Machine base URL (default: web.archive.org)")
    robust.add_argument(
        "--timegate", action="append", default=[], help="a Memento TimeGate (repeatable)"
    )
    robust.add_argument("--save-page-now", help="Save Page Now endpoint")

    _audit_parser(commands)

    snapshot = commands.add_parser("snapshot", help="manage the snapshot store")
    actions = snapshot.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser(
        "fetch", help="capture the sources of claims files (live, and archived as cited)"
    )
    fetch.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    fetch.add_argument("--snapshots", type=Path, default=Path("snapshots"))
    fetch.add_argument("-q", "--quiet", action="store_true", help="no progress display on stderr")
    _network_options(fetch)
    save = actions.add_parser(
        "save", help="ask the Internet Archive's Save Page Now to capture the sources"
    )
    save.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    save.add_argument(
        "--if-not-archived-within",
        default="30d",
        help="skip pages archived this recently (default 30d; '' to always save)",
    )
    save.add_argument(
        "--poll-interval", type=float, default=5.0, help="seconds between status polls (5)"
    )
    save.add_argument("--config", type=Path, help="archive endpoints (TOML, [archives] table)")
    save.add_argument("--save-page-now", help="Save Page Now endpoint (default: web.archive.org)")
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


def _network_options(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that reach the network."""
    group = parser.add_argument_group("network")
    group.add_argument("--config", type=Path, help="archive endpoints (TOML, [archives] table)")
    group.add_argument("--wayback", help="Wayback Machine base URL (default: web.archive.org)")
    group.add_argument(
        "--timegate", action="append", default=[], help="a Memento TimeGate base URL (repeatable)"
    )
    group.add_argument("--no-archive", action="store_true", help="do not consult web archives")
    group.add_argument("--per-host", type=int, help="requests in flight per host (default 2)")
    group.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="also fetch loopback, private and link-local addresses (refused by default)",
    )
    group.add_argument("--deadline", type=float, help="seconds allowed per URL (default 60)")


def _archive_config(args: argparse.Namespace) -> ArchiveConfig:
    config = ArchiveConfig.from_file(args.config) if args.config else ArchiveConfig()
    if getattr(args, "wayback", None):
        config = attrs.evolve(config, wayback=args.wayback.rstrip("/"))
    if getattr(args, "timegate", None):
        config = attrs.evolve(config, timegates=(*config.timegates, *args.timegate))
    if getattr(args, "save_page_now", None):
        config = attrs.evolve(config, save_page_now=args.save_page_now.rstrip("/"))
    if getattr(args, "allow_private_addresses", False):
        config = attrs.evolve(config, allow_private_addresses=True)
    return config


def _fetch_config(args: argparse.Namespace) -> FetchConfig:
    config = FetchConfig()
    if args.per_host:
        config = attrs.evolve(config, per_host=args.per_host)
    if args.deadline:
        config = attrs.evolve(config, deadline=args.deadline)
    if args.allow_private_addresses:
        config = attrs.evolve(config, allow_private_addresses=True)
    return config


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
    mode = Mode.STORED if args.offline else Mode.LIVE_ONLY if args.no_archive else Mode.LIVE
    with ProgressDisplay(enabled=not args.quiet and sys.stderr.isatty()) as progress:
        report = check(
            claim_sets,
            copies=mode,
            snapshots=args.snapshots,
            fetch=None if args.offline else _fetch_config(args),
            archives=None if args.offline else _archive_config(args),
            progress=progress,
            coverage=not args.no_coverage,
        )
    if args.format == "json":
        output = json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "html":
        output = render_html(report)
    elif args.format == "sarif":
        sarif = to_sarif(report, failing=args.fail_on, base=Path.cwd())
        output = json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "claimreview":
        reviews = to_claimreview(
            report,
            author=args.author,
            author_url=args.author_url,
            date_published=args.review_date,
            url=args.review_url,
            statement_url=_statement_urls(args.statement_url, report),
        )
        output = dumps_claimreview(reviews) + "\n"
    elif args.format == "markdown":
        output = render_markdown(report)
    elif args.format == "junit":
        output = render_junit(report, failing=args.fail_on)
    elif args.format == "github":
        output = render_github(report, failing=args.fail_on)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(render_markdown(report))
    else:
        to_terminal = args.output is None and sys.stdout.isatty()
        output = render_text(report, color=None if to_terminal else False, verbose=args.verbose)
    if args.output is not None:
        _write_atomically(args.output, output.encode("utf-8"))
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if report.failing(args.fail_on) else EXIT_OK


def _run_audit_report(args: argparse.Namespace) -> int:
    """Report on the whole audit history (read only)."""
    history = load_audit(args.db)
    if args.format == "json":
        output = json.dumps(history_to_json(history), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        output = render_history_markdown(history)
    else:
        output = render_history_html(history)
    if args.output is not None:
        _write_atomically(args.output, output.encode("utf-8"))
    else:
        sys.stdout.write(output)
    return EXIT_OK


def _run_audit(args: argparse.Namespace) -> int:
    """Audit the citations online, record them in the history, report what changed."""
    if args.audit_action == "report":
        return _run_audit_report(args)
    claim_sets = _load_all(_claims_files(args.paths))
    if args.flaps < 2:
        raise _UsageError("--flaps must be at least 2")
    policy = AuditPolicy(
        failures=args.failures,
        span=args.span,
        flaps=args.flaps,
        flap_window=args.flap_window,
        save_before_death=args.save_before_death,
        archive_window=args.archive_window,
        use_archives=not args.no_archive,
    )
    if args.dask_workers and not args.dask:
        raise _UsageError("--dask-workers needs --dask")
    with contextlib.ExitStack() as stack:
        runner = None
        if args.dask:
            runner = stack.enter_context(DaskRunner.connect(args.dask, workers=args.dask_workers))
        progress = stack.enter_context(
            ProgressDisplay(enabled=not args.quiet and sys.stderr.isatty())
        )
        result = audit(
            claim_sets,
            history=args.db,
            snapshots=args.snapshots,
            fetch=_fetch_config(args),
            archives=_archive_config(args),
            policy=policy,
            progress=progress,
            runner=runner,
        )
    if args.format == "json":
        output = json.dumps(audit_to_json(result), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        output = render_audit_markdown(result)
    else:
        to_terminal = args.output is None and sys.stdout.isatty()
        output = render_audit_text(result, color=None if to_terminal else False)
    if args.output is not None:
        _write_atomically(args.output, output.encode("utf-8"))
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if result.failed else EXIT_OK


_STAGE_LABELS = {"fetch": "fetching", "archive": "archives", "check": "checking"}


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # "https://[oops/": the check reports it as an invalid URL
        return ""


class ProgressDisplay:
    """Progress on stderr while a check runs: for each stage (fetching, asking the archives,
    checking) the count done, the host being worked on, elapsed and remaining time.

    Shown only when ``enabled`` (the command line enables it when stderr is a terminal and
    ``--quiet`` is not given); transient, so that it leaves nothing behind in the terminal.
    Called from fetch worker threads: rich's progress display is thread-safe.
    """

    def __init__(self, *, enabled: bool, console: Any = None) -> None:
        self.enabled = enabled
        self._console = console
        self._display: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressDisplay:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._display = RichProgress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[host]}"),
                console=self._console or Console(stderr=True),
                transient=True,
            )
            self._display.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def __call__(self, step: Progress) -> None:
        if self._display is None:
            return
        host = neutralise(_host(step.url)) if step.url else ""
        task = self._tasks.get(step.stage)
        if task is None:
            label = _STAGE_LABELS.get(step.stage, step.stage)
            task = self._tasks[step.stage] = self._display.add_task(
                label, total=step.total, host=host
            )
        self._display.update(task, completed=step.done, total=step.total, host=host)


def _statement_urls(values: Sequence[str], report: Report) -> str | dict[str, str] | None:
    """``--statement-url`` values: one URL for a report on one statement, else STATEMENT=URL."""
    names = {result.claim_set.name for result in report.results}
    urls: dict[str, str] = {}
    for value in values:
        name, equals, url = value.partition("=")
        if not equals or name.startswith(("http:", "https:")):
            if len(values) > 1 or len(names) > 1:
                raise _UsageError(
                    f"--statement-url {value!r}: the report has {len(names)} statements; "
                    "give one STATEMENT=URL for each"
                )
            return value
        if name not in names:
            raise _UsageError(f"--statement-url: no statement {name!r} in the report")
        urls[name] = url
    return urls or None


def _run_extract(args: argparse.Namespace) -> int:
    """Propose a claims file for a statement; list on stderr what needs the author's eye."""
    statement: Path = args.statement
    try:
        text = statement.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise _UsageError(f"{statement}: not UTF-8 text ({error.reason})") from None
    if args.output is not None and args.output.exists() and not args.force:
        raise _UsageError(f"{args.output} exists: use --force to replace it")
    extraction = extract(
        text,
        syntax=args.syntax or syntax_for(statement),
        language=args.language,
        reference_date=args.published,
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
        _write_atomically(args.output, document.encode("utf-8"))
    else:
        sys.stdout.write(document)
    _report_extraction(statement, extraction)
    return EXIT_OK


def _report_extraction(statement: Path, extraction: Extraction) -> None:
    """What the author must look at, one line each with its place in the statement."""
    counts = Counter(proposal.kind.value for proposal in extraction.proposals)
    print(
        f"claimcheck: {len(extraction.proposals)} claims proposed "
        f"({counts['quote']} quotes, {counts['figure']} figures, {counts['date']} dates), "
        f"{len(extraction.links)} links",
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
        print(f"  {neutralise(note)}", file=sys.stderr)


def _run_robustify(args: argparse.Namespace) -> int:
    """Write a copy of the statement whose links carry their archived copies (Robust Links)."""
    statement: Path = args.statement
    syntax = args.syntax or syntax_for(statement)
    if syntax == "text":
        raise _UsageError(f"{statement}: robustify reads .html, .htm, .xhtml, .md and .markdown")
    if args.save and not args.online:
        raise _UsageError("--save needs --online")
    if args.in_place:
        output = statement
    else:
        output = args.output or statement.with_name(f"{statement.stem}.robust{statement.suffix}")
    claim_sets = _load_all(_claims_files(args.claims)) if args.claims else []
    if args.cited_only and not claim_sets:
        raise _UsageError("--cited-only needs --claims")
    store = SnapshotStore(args.snapshots) if (args.snapshots / "warc").is_dir() else None
    config = _archive_config(args)
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
        print(neutralise(line), file=sys.stderr)
    kept = len(links) - missing
    print(
        f"claimcheck: {output}: {kept} of {len(links)} links carry an archived copy",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if args.strict and missing else EXIT_OK


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


def _run_fetch(args: argparse.Namespace) -> int:
    """Capture every source (live, and archived as cited) without judging the claims."""
    claim_sets = _load_all(_claims_files(args.paths))
    store = SnapshotStore(args.snapshots, create=True)
    sources = {
        (source.url.strip(), source.accessed)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
        if source_problem(source.url) is None
    }
    urls = sorted({url for url, _ in sources})
    with (
        ProgressDisplay(enabled=not args.quiet and sys.stderr.isatty()) as progress,
        Fetcher(_fetch_config(args), store=store) as fetcher,
    ):
        results = fetcher.fetch_many(urls, **fetch_progress(progress, len(urls)))
    failures = 0
    for url, result in sorted(results.items()):
        if result.ok:
            print(f"live     {url}: {result.status}")
        else:
            failures += 1
            reason = result.reason.value if result.reason else "failed"
            print(f"live     {url}: {reason}: {result.message}")
    if not args.no_archive:
        config = _archive_config(args)
        with Wayback(config) as wayback:
            for url, accessed in sorted(sources, key=lambda s: (s[0], s[1] or dt.date.min)):
                try:
                    capture = wayback.nearest(url, accessed)
                    if capture is None:
                        print(f"archived {url}: no capture")
                        continue
                    snapshot = store_copy(store, wayback.fetch(capture))
                except ArchiveError as error:
                    print(f"archived {url}: {error}")
                    if isinstance(error, RateLimitedError):
                        break
                    continue
                print(f"archived {url}: {snapshot.captured:%Y-%m-%d} {snapshot.archive_url}")
    return EXIT_FINDINGS if failures else EXIT_OK


def _run_save(args: argparse.Namespace) -> int:
    """Ask Save Page Now to capture URLs, or the sources of claims files."""
    urls: set[str] = set()
    files = [Path(target) for target in args.targets if not target.startswith(("http:", "https:"))]
    urls.update(target for target in args.targets if target.startswith(("http:", "https:")))
    for claim_set in _load_all(_claims_files(files)) if files else ():
        for claim in claim_set.claims:
            urls.update(s.url.strip() for s in claim.sources if source_problem(s.url) is None)
    saver = SavePageNow(_archive_config(args))
    failures = 0
    for url in sorted(urls):
        result = saver.save(
            url,
            if_not_archived_within=args.if_not_archived_within or None,
            poll_interval=args.poll_interval,
        )
        if result.ok:
            print(f"saved {url}: {result.archive_url}")
        else:
            failures += 1
            print(f"not saved {url}: {result.error}: {result.message}")
    return EXIT_FINDINGS if failures else EXIT_OK


def _run_snapshot(args: argparse.Namespace) -> int:
    if args.action == "fetch":
        return _run_fetch(args)
    if args.action == "save":
        return _run_save(args)
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
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(_audit_shorthand(arguments))
    try:
        if args.command == "check":
            return _run_check(args)
        if args.command == "audit":
            return _run_audit(args)
        if args.command == "extract":
            return _run_extract(args)
        if args.command == "robustify":
            return _run_robustify(args)
        return _run_snapshot(args)
    except ClaimsFileError as error:
        count = len(error.problems)
        print(
            f"claimcheck: {count} problem{'s' if count != 1 else ''} in the claims:",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {neutralise(str(problem))}", file=sys.stderr)
        return EXIT_USAGE
    except (_UsageError, ClaimcheckError) as error:
        print(f"claimcheck: {neutralise(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # an unwritable --output, a full disk
        print(f"claimcheck: {error}", file=sys.stderr)
        return EXIT_USAGE
