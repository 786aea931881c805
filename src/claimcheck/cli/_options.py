"""What the commands share: exit statuses, option types, the network options, the report-format
options, reading claims files and writing a report.

Option values are judged by the library, not here. A flag left unset passes nothing, so that the
library's default applies, and its help says that default: the library's
(``FetchConfig().per_host``), held in :data:`NETWORK_DEFAULTS` so that a help loads no HTTP
transport (a test holds the two equal). A flag that is set is parsed here (a number, a date) and
then given to the library object it configures (:func:`judged`), whose own rules accept or
refuse it, so that a rule lives in one place and a refused value is a one-line usage error, exit
status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ..reports import FORMATS
from ._terminal import write_styled

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import ClaimSet, Flag, Status
    from ..reports import RenderOptions
    from ..sources import ArchiveConfig, FetchConfig

__all__ = [
    "DEFAULT_STORE",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "FAILING_NAMES",
    "HISTORY",
    "NETWORK_DEFAULTS",
    "STATUS_NAMES",
    "STDOUT",
    "UsageError",
    "add_archive_options",
    "add_format_options",
    "add_network_options",
    "add_statement_root_option",
    "add_store_option",
    "archive_config",
    "calendar_date",
    "days",
    "failing_option",
    "fetch_config",
    "judged",
    "load_claims",
    "moment",
    "output_target",
    "report_formats",
    "seconds",
    "statuses",
    "whole_number",
    "write_report",
]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_USAGE: Final = 2

# Where `claimcheck audit` keeps its history unless told otherwise: in the working directory, so
# that one project's nightly runs share it (audit() itself has no default).
HISTORY: Final = Path("claimcheck-audit.sqlite")

# The library's claimcheck.store.DEFAULT_STORE, which a test holds equal: importing it loads
# the store (warcio), and the help of the commands that name it must not (start-up, issue 17).
DEFAULT_STORE: Final = Path("snapshots")

# What --fail-on may name, in the model's order: each claimcheck.model.Status, then the flag
# disputed (claimcheck.model.Flag); and its default, claimcheck.reports.FAILING. A test holds
# them equal to the library's: its help says them, and the model would load attrs.
STATUS_NAMES: Final = ("verified", "drifted", "broken", "unchecked", "unsourced", "disputed")
FAILING_NAMES: Final = ("drifted", "broken")

# The defaults of claimcheck.sources.FetchConfig and ArchiveConfig that the network options' help
# says, which a test holds equal to the library's: importing those settings loads the HTTP
# transport (urllib3), and a --help must not (start-up, issue 17). A value given is still judged
# by the library's classes themselves (judged).
NETWORK_DEFAULTS: Final = {
    "per_host": 2,
    "deadline": 60.0,
    "archive_deadline": 120.0,
    "wayback": "https://web.archive.org",
    "save_page_now": "https://web.archive.org/save",
}


class UsageError(Exception):
    """A command-line input problem: reported in one line, exit status 2."""


T = TypeVar("T")

# --------------------------------------------------------------------------------------------
# Option types: text to a value (argparse reports what they refuse as a usage error)


def whole_number(text: str) -> int:
    """A whole number (``3``, ``-1``); its range is for the library to judge."""
    from ..model import shown

    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {shown(text)}") from None


def seconds(text: str) -> float:
    """A finite number (``2.5``); its range is for the library to judge."""
    from ..model import shown

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {shown(text)}")
    return value


# A span of days longer than this is a typo; it would also run time calculations off the
# calendar (a datetime before year 1).
_MAX_DAYS: Final = 100_000


def days(text: str) -> dt.timedelta:
    """A number of days (``3``, ``0.5``) as a time span; whether it may be negative is for the
    library to judge."""
    from ..model import shown

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not abs(value) < _MAX_DAYS:  # NaN too
        raise argparse.ArgumentTypeError(f"not a number of days under {_MAX_DAYS:,}: {shown(text)}")
    return dt.timedelta(days=value)


def calendar_date(text: str) -> dt.date:
    """A date: ``2021-03-05``."""
    from ..model import shown

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {shown(text)} (use 2021-03-05)") from None


def moment(text: str) -> dt.datetime:
    """A date or a date-time, UTC unless it names its offset."""
    from ..model import shown

    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or date-time: {shown(text)} (use 2021-03-05 or 2021-03-05T12:00:00Z)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def statuses(text: str) -> frozenset[Status | Flag]:
    """Comma-separated statuses (``drifted,broken``), ``disputed`` among them if wanted
    (:func:`~claimcheck.reports.failing_value`); an empty list names none."""
    from ..model import Flag, Status, shown
    from ..reports import failing_value

    found = set()
    for name in (part.strip() for part in text.split(",")):
        if not name:
            continue
        try:
            found.add(failing_value(name))
        except ValueError:
            choices = ", ".join([*(status.value for status in Status), Flag.DISPUTED.value])
            raise argparse.ArgumentTypeError(
                f"unknown status {shown(name)} (use {choices})"
            ) from None
    return frozenset(found)


def judged(
    parse: Callable[[str], T], library: Callable[..., object], field: str
) -> Callable[[str], T]:
    """An option type: ``parse`` the text, then have ``library`` (a settings class such as
    :class:`~claimcheck.sources.FetchConfig`) judge the value as its ``field``, so that what is
    in range is decided by the library alone. A value it refuses (a
    :class:`~claimcheck.errors.ConfigurationError`) is a usage error in its words."""

    def convert(text: str) -> T:
        from ..errors import ConfigurationError

        value = parse(text)
        try:
            library(**{field: value})
        except ConfigurationError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return value

    convert.__name__ = parse.__name__  # argparse names the type in its messages
    return convert


# --------------------------------------------------------------------------------------------
# The network options


def _fetch_config(**given: Any) -> FetchConfig:
    """:class:`~claimcheck.sources.FetchConfig`, imported when a value is judged or a fetch set
    up, not when the options are added."""
    from ..sources import FetchConfig

    return FetchConfig(**given)


def _default(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def add_network_options(parser: argparse.ArgumentParser, *, save_page_now: bool = False) -> None:
    """Options of the commands that reach the network (``NETWORK OPTIONS`` in the README), and
    ``--save-page-now`` for those that may save pages."""
    group = parser.add_argument_group("network")
    add_archive_options(group, save_page_now=save_page_now)
    group.add_argument("--no-archive", action="store_true", help="do not consult web archives")
    group.add_argument(
        "--per-host",
        type=judged(whole_number, _fetch_config, "per_host"),
        metavar="N",
        help=f"requests in flight per host (default {_default(NETWORK_DEFAULTS['per_host'])})",
    )
    group.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="also fetch loopback, private and link-local addresses (refused by default)",
    )
    group.add_argument(
        "--deadline",
        type=judged(seconds, _fetch_config, "deadline"),
        metavar="SECONDS",
        help=(
            f"seconds allowed per URL, and per lookup of its archived copy (default"
            f" {_default(NETWORK_DEFAULTS['deadline'])} live,"
            f" {_default(NETWORK_DEFAULTS['archive_deadline'])} archives)"
        ),
    )


def add_archive_options(
    group: Any, *, wayback: bool = True, timegates: bool = True, save_page_now: bool = False
) -> None:
    """The archive endpoints that override the configuration's ``[archives]`` table: the
    Wayback Machine, further TimeGates, Save Page Now (each default read from
    :class:`~claimcheck.sources.ArchiveConfig`)."""
    if wayback:
        group.add_argument(
            "--wayback",
            metavar="URL",
            help=f"Wayback Machine base URL (default {NETWORK_DEFAULTS['wayback']})",
        )
    if timegates:
        group.add_argument(
            "--timegate",
            action="append",
            default=[],
            metavar="URL",
            help="a Memento TimeGate base URL (repeatable)",
        )
    if save_page_now:
        group.add_argument(
            "--save-page-now",
            metavar="URL",
            help=f"Save Page Now endpoint (default {NETWORK_DEFAULTS['save_page_now']})",
        )


def archive_config(args: argparse.Namespace) -> ArchiveConfig:
    """The archives as the configuration's ``[archives]`` table describes them (read by
    :func:`~._config.configure`), with ``--wayback``, ``--timegate`` and ``--save-page-now``
    over it."""
    import attrs

    from ..sources import ArchiveConfig

    configuration = getattr(args, "configuration", None)
    config = configuration.archives if configuration is not None else ArchiveConfig()
    overrides: dict[str, Any] = {}
    if getattr(args, "wayback", None):
        overrides["wayback"] = args.wayback
    if getattr(args, "timegate", None):
        overrides["timegates"] = (*config.timegates, *args.timegate)
    if getattr(args, "save_page_now", None):
        overrides["save_page_now"] = args.save_page_now
    if getattr(args, "allow_private_addresses", False):
        overrides["allow_private_addresses"] = True
    if getattr(args, "deadline", None) is not None:  # seconds per URL: its archived copy too
        overrides["deadline"] = args.deadline
    return attrs.evolve(config, **overrides)


def fetch_config(args: argparse.Namespace) -> FetchConfig:
    """How to fetch: the library's defaults, with the network options that were given."""
    given: dict[str, Any] = {}
    if args.per_host is not None:
        given["per_host"] = args.per_host
    if args.deadline is not None:
        given["deadline"] = args.deadline
    if args.allow_private_addresses:
        given["allow_private_addresses"] = True
    return _fetch_config(**given)


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--snapshots DIR``: the snapshot store; unless named, the store rule's
    (:func:`~claimcheck.claimsfile.find_store`, applied by :func:`~._config.configure`)."""
    parser.add_argument(
        "--snapshots",
        type=Path,
        metavar="DIR",
        help=f"snapshot store (default: the configuration's 'snapshots', else the nearest "
        f"{DEFAULT_STORE}/ store at or above the claims files, else ./{DEFAULT_STORE})",
    )


# --------------------------------------------------------------------------------------------
# Claims files


def add_statement_root_option(parser: Any) -> None:
    """``--statement-root DIR``: the folder statement texts may be in (by default, each claims
    file's own folder)."""
    parser.add_argument(
        "--statement-root",
        type=Path,
        metavar="DIR",
        help="statement texts may be anywhere in this folder (default: in the claims file's "
        "folder or below it)",
    )


def load_claims(paths: Sequence[Path], statement_root: Path | None = None) -> list[ClaimSet]:
    """The claim sets of ``paths`` (claims files, and folders of ``*.toml`` files), their
    statements in ``statement_root`` (see :func:`~claimcheck.load`); the problems of every file
    together, in one :class:`~claimcheck.ClaimsFileError`."""
    from ..claimsfile import load
    from ..errors import ClaimsFileError

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise UsageError(f"{path}: no claims files (*.toml) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    claim_sets: list[ClaimSet] = []
    problems: list[Problem] = []
    for file in files:
        try:
            claim_sets.append(load(file, statement_root=statement_root))
        except ClaimsFileError as error:
            problems.extend(error.problems)
    if problems:
        raise ClaimsFileError(problems)
    return claim_sets


# --------------------------------------------------------------------------------------------
# Report formats and output


STDOUT: Final = Path("-")
"""The ``-o`` path that names standard output."""

# A word before a colon that reads as a format name (a drive letter, one letter, never does).
_FORMAT_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]+")


def output_target(text: str, formats: Iterable[str]) -> tuple[str | None, Path]:
    """An ``-o/--output`` value, ``[FORMAT:]PATH``, as the format it names (None: ``--format``'s)
    and the path (:data:`STDOUT` for ``-``). Only the names in ``formats`` (the registered
    formats of the report) count as a format, so a Windows drive letter (``C:\\x``) or a folder
    (``out/json:x``) is part of the path; a word before the colon that is no format is a
    :class:`UsageError` naming the formats (``./xml:x`` is a file of that name)."""
    names = tuple(formats)
    name, colon, rest = text.partition(":")
    if colon and name in names:
        if not rest:
            raise UsageError(f"--output {text!r}: no file after {name!r} (use {name}:PATH)")
        return name, Path(rest)
    if colon and _FORMAT_LIKE.fullmatch(name):
        raise UsageError(
            f"--output {text!r}: no report format {name!r} (formats: {', '.join(names)}); "
            f"for a file of that name, write ./{text}"
        )
    if not text:
        raise UsageError("--output: no file named (use [FORMAT:]PATH, or - for standard output)")
    return None, Path(text)


def add_format_options(
    parser: argparse.ArgumentParser, subject: str, *, default: str, output_help: str = ""
) -> None:
    """``--format`` (the formats the registry has for ``subject``, the name of its class, read
    from :data:`~claimcheck.reports.FORMATS`: the renderers are imported only to
    render) and ``-o/--output [FORMAT:]PATH``, repeatable (:func:`output_target`)."""
    choices = FORMATS[subject]
    names = [name for name, _ in choices]
    described = []
    for name, summary in choices:
        words = [word for word in ("default" if name == default else "", summary) if word]
        described.append(f"{name} ({', '.join(words)})" if words else name)
    parser.add_argument(
        "--format",
        choices=names,
        default=default,
        metavar="FORMAT",
        help="the report's format: " + ", ".join(described),
    )

    def target(text: str) -> tuple[str | None, Path]:
        try:
            return output_target(text, names)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error).removeprefix("--output ")) from None

    target.__name__ = "output"  # argparse names the type in its messages
    parser.add_argument(
        "-o",
        "--output",
        type=target,
        action="append",
        metavar="[FORMAT:]PATH",
        help=output_help
        or "write the report to PATH, in FORMAT or else --format's; repeatable, one file per "
        "format; - is standard output. When every report goes to a file, one line on standard "
        "output says what was found and where (not with -q)",
    )


def report_formats(args: argparse.Namespace) -> set[str]:
    """The formats the command writes: ``--format``'s, unless every ``-o`` names its own."""
    targets = args.output or [(None, STDOUT)]
    return {name or args.format for name, _ in targets}


def write_report(
    subject: object, args: argparse.Namespace, options: RenderOptions | None = None
) -> None:
    """Render ``subject`` for each ``-o`` (in its format, else in ``--format``) and write it to
    its file (whole, atomically) or to standard output, which gets ``--format``'s report when
    no ``-o`` is given. A terminal format gets colours only when writing to a terminal (and
    keeps only its colour codes: :func:`~._terminal.write_styled`), and is as wide as the
    terminal there (:func:`~claimcheck.reports.terminal_width`). When every report goes to a
    file, one line on standard output says what was found and where they went
    (:func:`~claimcheck.reports.summary_line`), unless ``-q``. Also writes a format's job
    summary where GitHub Actions asks for one."""
    import attrs

    from ..reports import RenderOptions, renderer, summary_line, terminal_width
    from ..store import write_atomically

    targets = [(name or args.format, path) for name, path in (args.output or [(None, STDOUT)])]
    options = options or RenderOptions()
    written: list[Path] = []
    summaries: set[str] = set()
    for name, path in targets:
        chosen = renderer(type(subject), name)
        to_stdout = path == STDOUT
        to_terminal = chosen.terminal and to_stdout and sys.stdout.isatty()
        given = options
        if chosen.terminal:
            given = attrs.evolve(
                options,
                color=None if to_terminal else False,
                width=options.width or terminal_width(terminal=to_terminal),
            )
        output = chosen.render(subject, given)
        if not to_stdout:
            write_atomically(path, output.encode("utf-8"))
            written.append(path)
        elif to_terminal:
            write_styled(output)
        else:
            sys.stdout.write(output)
        if chosen.job_summary is not None and chosen.job_summary not in summaries:
            summaries.add(chosen.job_summary)
            _job_summary(subject, chosen.job_summary, options)
    if len(written) == len(targets) and not getattr(args, "quiet", False):
        where = ", ".join(str(path) for path in written)
        print(
            f"{summary_line(subject)}; report{'s' if len(written) > 1 else ''} written to {where}"
        )


def _job_summary(subject: object, name: str, options: RenderOptions) -> None:
    """Append ``subject`` in format ``name`` to GitHub Actions' job summary, when asked for."""
    from ..reports import renderer

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        summary = renderer(type(subject), name).render(subject, options)
        with open(summary_file, "a", encoding="utf-8") as file:
            file.write(summary)


def failing_option(parser: argparse.ArgumentParser) -> None:
    """``--fail-on``: the statuses that fail the check (exit status 1, and failures in the
    formats that mark them). Its default is a text, which argparse reads as it reads one given
    (:func:`statuses`: :data:`~claimcheck.reports.FAILING`) when the option is not given: the
    help names the statuses without loading the model."""
    *named, disputed = STATUS_NAMES
    parser.add_argument(
        "--fail-on",
        type=statuses,
        default=",".join(FAILING_NAMES),
        metavar="STATUSES",
        help="comma-separated statuses that make the exit status 1, any of "
        + ", ".join(named)
        + f" and {disputed} (verified claims another cited source contradicts;"
        " default: " + ",".join(FAILING_NAMES) + ")",
    )
