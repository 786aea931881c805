"""``claimcheck audit``: ``audit run PATH...`` audits every citation online and reports what
changed (exit 1 only when a citation newly broke or drifted); ``audit report`` reports on the
whole history, read only.

``claimcheck audit PATH...`` is shorthand for ``audit run PATH...``
(:func:`~._commands.audit_shorthand`, applied before parsing).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import sys
from pathlib import Path
from typing import Any, Final

from ..auditing import (
    AuditPolicy,
    DaskRunner,
    audit,
    check_workers,
    load_audit,
)
from ._commands import AUDIT_ACTIONS, COMMANDS, audit_shorthand
from ._help import add_command
from ._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    HISTORY,
    UsageError,
    add_format_options,
    add_network_options,
    add_statement_root_option,
    add_store_option,
    archive_config,
    days,
    fetch_config,
    judged,
    load_claims,
    whole_number,
    write_report,
)
from ._progress import add_quiet_option, progress_display

__all__ = ["ACTIONS", "add_parser", "audit_shorthand"]

ACTIONS: Final = AUDIT_ACTIONS
"""The actions of ``claimcheck audit`` (:data:`~._commands.AUDIT_ACTIONS`)."""


def add_parser(commands: Any) -> None:
    """The ``audit`` command, its actions and their options."""
    parser = add_command(
        commands,
        "audit",
        summary=COMMANDS["audit"],
        description="Scheduled link-rot audit: 'audit run' checks every citation online and "
        "records it in a history, 'audit report' reports on the whole history. "
        "'claimcheck audit PATH...' is short for 'claimcheck audit run PATH...'.",
        examples=[
            ("claimcheck audit claims/", "audit now (short for 'audit run claims/')"),
            (
                "claimcheck audit report -o audit.html",
                "every run and every citation's timeline, in one HTML file",
            ),
        ],
        ok="audit run: no citation newly broke or drifted; audit report: it was written",
        findings="audit run: a citation newly broke or drifted",
    )
    actions = parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    _add_run(actions)
    report = add_command(
        actions,
        "report",
        summary="the whole history: counts per run (a chart), every citation's state and timeline",
        description="Report on the whole audit history, read only: the counts of each run (a "
        "chart), every citation's state and its timeline.",
        examples=[
            ("claimcheck audit report -o audit.html", "the HTML report, one self-contained file"),
            (
                "claimcheck audit report --db nightly.sqlite --format json",
                "the history of another database, as JSON",
            ),
        ],
        ok="the report was written",
    )
    report.add_argument(
        "--db",
        type=Path,
        default=HISTORY,
        metavar="FILE",
        help=f"the audit history (read only; default ./{HISTORY})",
    )
    add_format_options(report, "AuditHistory", default="html")
    report.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no summary line when every report goes to a file",
    )
    report.set_defaults(run=run_report)


def _policy_option(
    parser: argparse.ArgumentParser, flag: str, parse: Any, metavar: str, help: str
) -> None:
    """A flag that sets the :class:`~claimcheck.auditing.AuditPolicy` field of its name; its
    default, said in ``help`` as ``{}``, is the policy's."""
    field = flag.removeprefix("--").replace("-", "_")
    default = getattr(AuditPolicy(), field)
    if isinstance(default, dt.timedelta):
        default = f"{default / dt.timedelta(days=1):g}"
    parser.add_argument(
        flag,
        type=judged(parse, AuditPolicy, field),
        metavar=metavar,
        help=help.format(default),
    )


# The AuditPolicy fields that flags of `audit run` set.
_POLICY_FLAGS: Final = (
    "failures",
    "span",
    "flaps",
    "flap_window",
    "archive_window",
    "archive_recheck",
)


def _run_parser(actions: Any) -> argparse.ArgumentParser:
    """The parser of ``audit run``, with its description, examples and exit statuses."""
    return add_command(
        actions,
        "run",
        summary="audit the citations of claims files now (exit 1 only when one newly failed)",
        description="Audit the citations of claims files now: each is checked online, recorded "
        "in the history, and called broken only after failing --failures runs over --span "
        "days; the report says what changed since the last run.",
        examples=[
            ("claimcheck audit run claims/", f"audit now, the history in ./{HISTORY}"),
            (
                "claimcheck audit run claims/ --save-before-death --format markdown -o audit.md",
                "also have the Internet Archive save verified pages it has no recent copy of",
            ),
            (
                "claimcheck audit run claims/ --dask local --dask-workers 4",
                "fetch and judge on four local worker processes",
            ),
        ],
        ok="no citation newly broke or drifted",
        findings="a citation newly broke or drifted (one already failing does not fail the run "
        "again)",
    )


def _add_run(actions: Any) -> None:
    """``audit run`` and its options: the history, the store, the policy, the report, Dask, the
    network."""
    run = _run_parser(actions)
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="claims files or folders")
    run.add_argument(
        "--db",
        type=Path,
        default=HISTORY,
        metavar="FILE",
        help=f"the audit history (SQLite; default ./{HISTORY})",
    )
    add_store_option(run)
    add_statement_root_option(run)
    _policy_option(
        run,
        "--failures",
        whole_number,
        "N",
        "failing runs before a citation is broken (default {})",
    )
    _policy_option(run, "--span", days, "DAYS", "days the failing runs must span (default {})")
    _policy_option(
        run,
        "--flaps",
        whole_number,
        "N",
        "changes between ok and failing that make a citation flapping (default {})",
    )
    _policy_option(
        run,
        "--flap-window",
        days,
        "DAYS",
        "days the flapping changes are counted over (default {})",
    )
    run.add_argument(
        "--save-before-death",
        action="store_true",
        help="ask Save Page Now to capture verified pages the Internet Archive has no recent "
        "capture of (keys in CLAIMCHECK_IA_ACCESS_KEY, CLAIMCHECK_IA_SECRET_KEY)",
    )
    _policy_option(
        run,
        "--archive-window",
        days,
        "DAYS",
        "with --save-before-death: a capture this recent is enough (default {})",
    )
    _policy_option(
        run,
        "--archive-recheck",
        days,
        "DAYS",
        "ask the Internet Archive's index about a host's cited URLs (one query a host) at most "
        "once in DAYS: its answer is kept in the history meanwhile (default {})",
    )
    add_format_options(run, "AuditResult", default="text")
    add_quiet_option(run)
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="fetch and judge on a Dask cluster, partitioned by host: 'local' (a cluster of "
        "this machine's cores) or the scheduler's tcp://HOST:PORT; the history is written "
        "here (pip install 'claimcheck-citations[dask]')",
    )
    run.add_argument(
        "--dask-workers",
        type=judged(whole_number, check_workers, "workers"),
        metavar="N",
        help="with --dask local: worker processes (default: one per core); with an address: "
        "wait for N workers",
    )
    add_network_options(run, save_page_now=True)
    run.set_defaults(run=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    """Audit the citations online, record them in the history, report what changed."""
    _mistyped_action(args.paths)
    claim_sets = load_claims(args.paths, args.statement_root)
    given = {name: getattr(args, name) for name in _POLICY_FLAGS if getattr(args, name) is not None}
    policy = AuditPolicy(
        **given, save_before_death=args.save_before_death, use_archives=not args.no_archive
    )
    if args.dask_workers and not args.dask:
        raise UsageError("--dask-workers needs --dask")
    with contextlib.ExitStack() as stack:
        runner = None
        if args.dask:
            runner = stack.enter_context(DaskRunner.connect(args.dask, workers=args.dask_workers))
        progress = stack.enter_context(progress_display(args))
        result = audit(
            claim_sets,
            history=args.db,
            snapshots=args.snapshots,
            fetch=fetch_config(args),
            archives=archive_config(args),
            policy=policy,
            progress=progress,
            runner=runner,
        )
    write_report(result, args)
    if result.no_network:
        print(
            f"claimcheck: no network: {result.no_network} citation"
            f"{'s' if result.no_network != 1 else ''} not checked, their state left as it was;"
            " check against stored captures with 'claimcheck check --offline'",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if result.failed else EXIT_OK


def _mistyped_action(paths: list[Path]) -> None:
    """A :class:`UsageError` suggesting the action when the one path given is no file but
    close to an action's name: ``audit reprot`` is taken for ``audit run reprot``
    (:func:`audit_shorthand`)."""
    if len(paths) != 1 or paths[0].exists() or len(paths[0].parts) != 1:
        return
    close = difflib.get_close_matches(str(paths[0]), sorted(ACTIONS), n=1)
    if close:
        raise UsageError(
            f"{paths[0]}: no such file or folder (did you mean 'claimcheck audit {close[0]}'?)"
        )


def run_report(args: argparse.Namespace) -> int:
    """Report on the whole audit history (read only)."""
    write_report(load_audit(args.db), args)
    return EXIT_OK
