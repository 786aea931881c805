"""The ``claimcheck`` command line: :func:`main` parses the arguments and runs the command.

Each command is a module of this package (``_check``, ``_audit``, ``_extract``, ``_robustify``,
``_snapshot``) whose ``add_parser`` adds its subparser and names the function that runs it; a
new command is one more module and one more line in ``_COMMANDS``.

Exit statuses: 0 when every claim passes, 1 when a claim has a status named by ``--fail-on``
(default: drifted, broken; ``disputed`` names the verified claims another cited source
contradicts; ``audit run``: when a citation newly broke or drifted), 2 for a usage
or input error (a malformed claims file or configuration file, an option out of range, a missing
store). Errors are printed as messages, one line each on standard error, never as tracebacks:
every error the library raises is a :class:`~claimcheck.ClaimcheckError`.

Everything a command prints passes through one neutraliser (:mod:`._terminal`): what a server,
an archive or a claims file wrote is shown, never obeyed by the terminal.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from .._version import __version__
from ..errors import ClaimcheckError, ClaimsFileError
from . import _audit, _check, _extract, _robustify, _snapshot
from ._config import add_config_options, configure, given_options, leaves
from ._options import EXIT_USAGE, UsageError
from ._terminal import neutralised

__all__ = ["main", "parser"]

_COMMANDS = (_check, _extract, _robustify, _audit, _snapshot)


class _Parser(argparse.ArgumentParser):
    """argparse, its usage errors said in one line on standard error (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"claimcheck: {message} (see '{self.prog} --help')\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # argparse (before Python 3.13) drops the value of `--per-host=--` as if it were the
        # end-of-options marker, and hands the command an empty list instead of a number.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected one argument")
        return super()._get_values(action, arg_strings)


def parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    top = _Parser(
        prog="claimcheck",
        description="Check the quotes, figures and dates of a statement against their sources.",
    )
    top.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(commands)
    for leaf in leaves(top):  # every command reads the configuration file
        add_config_options(leaf)
    return top


def _say(message: str) -> None:
    print(f"claimcheck: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status. Standard output and standard error are
    neutralised meanwhile (:func:`~._terminal.neutralised`), and warnings (a
    :class:`~claimcheck.errors.SnapshotStoreWarning`: an index line skipped) are said in one
    line each, like errors, never with Python's file-and-line form."""
    with neutralised(), warnings.catch_warnings():
        warnings.showwarning = _warn
        return _run(list(sys.argv[1:] if argv is None else argv))


def _warn(message: Warning | str, *_: object, **__: object) -> None:
    _say(f"warning: {' '.join(str(message).splitlines())}")


def _run(arguments: list[str]) -> int:
    argv = _audit.audit_shorthand(arguments)
    top = parser()
    args = top.parse_args(argv)
    try:
        configure(args, top, given_options(parser(), argv))
        status: int = args.run(args)
    except ClaimsFileError as error:
        count = len(error.problems)
        _say(f"{count} problem{'s' if count != 1 else ''} in the claims:")
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, ClaimcheckError) as error:
        _say(" ".join(str(error).splitlines()))
        return EXIT_USAGE
    except OSError as error:  # an unwritable --output, a full disk
        _say(str(error))
        return EXIT_USAGE
    return status
