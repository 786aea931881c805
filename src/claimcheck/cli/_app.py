"""The ``claimcheck`` command line: :func:`main` parses the arguments and runs the command.

Each command is a module of this package (``_check``, ``_audit``, ``_extract``, ``_robustify``,
``_snapshot``) whose ``add_parser`` adds its subparser and names the function that runs it; a
new command is one more module and one more line in :data:`~._commands.COMMANDS`. Only the
command a command line names is imported and has its parser built; the others are named, with
their summaries, and nothing more (start-up, issue 17: ``claimcheck check --help`` loads
neither the other commands nor the library under them).

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
import difflib
import importlib
import sys
import warnings
from collections.abc import Collection, Sequence
from typing import Any, NoReturn

from .._version import VERSION_LINE
from ._commands import COMMANDS, audit_shorthand, command_named
from ._config import add_config_options, configure, given_options, leaves
from ._help import HelpFormatter, epilog, filled
from ._options import EXIT_USAGE, UsageError
from ._terminal import neutralised

__all__ = ["main", "parser"]

_EXTRACT = "propose a claims file for a statement, to edit"


class _Parser(argparse.ArgumentParser):
    """argparse, its usage errors said in one line on standard error (exit status 2), a
    mistyped option, command or choice with the one it is closest to (argparse's own
    ``suggest_on_error`` is Python 3.14's); the options suggested are those of the command in
    use. An option must be written whole: argparse would otherwise read a prefix as the one
    option it starts (``check --all`` as ``--allow-private-addresses`` before ``--all`` existed),
    so a typo or an option of a later version could silently turn a guard off."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.arguments: list[str] = []  # what it was last given (parse_known_args)

    def error(self, message: str) -> NoReturn:
        if message.startswith("the following arguments are required"):
            # 'check --ofline': the mistyped option is what to fix first (then the PATH).
            message = self._mistyped() or message
        if "(did you mean " in message:  # a suggestion says what to type: no need for the help
            self.exit(EXIT_USAGE, f"claimcheck: {message}\n")
        self.exit(EXIT_USAGE, f"claimcheck: {message} (see '{self.prog} --help')\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.arguments = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def _mistyped(self) -> str | None:
        """The message for the options this parser was given that it does not know (nor
        their unique prefix), when one of them is close to one it knows; else ``None``."""
        known = _option_strings(self)
        end = self.arguments.index("--") if "--" in self.arguments else len(self.arguments)
        unknown = [
            word
            for word in self.arguments[:end]
            if word.startswith("--")
            and not any(option.startswith(word.partition("=")[0]) for option in known)
        ]
        said = [_with_suggestion(word, known) for word in unknown]
        if said == unknown:
            return None
        return f"unrecognized arguments: {' '.join(said)}"

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            chain = self._in_use(parsed)
            options = [option for parser in chain for option in _option_strings(parser)]
            words = " ".join(_with_suggestion(word, options) for word in extras)
            chain[-1].error(f"unrecognized arguments: {words}")
        return parsed

    def _in_use(self, namespace: argparse.Namespace) -> list[argparse.ArgumentParser]:
        """This parser, and the command (and its action) the arguments chose."""
        chain: list[argparse.ArgumentParser] = [self]
        while True:
            commands = next(
                (a for a in chain[-1]._actions if isinstance(a, argparse._SubParsersAction)), None
            )
            chosen = getattr(namespace, commands.dest, None) if commands is not None else None
            if commands is None or chosen not in commands.choices:
                return chain
            chain.append(commands.choices[chosen])

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            close = difflib.get_close_matches(str(value), [str(c) for c in action.choices], n=1)
            if close:
                raise argparse.ArgumentError(
                    action, f"invalid choice: {value!r} (did you mean {close[0]!r}?)"
                )
        super()._check_value(action, value)

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # argparse (before Python 3.13) drops the value of `--per-host=--` as if it were the
        # end-of-options marker, and hands the command an empty list instead of a number.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected one argument")
        return super()._get_values(action, arg_strings)


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings]


def _with_suggestion(word: str, options: list[str]) -> str:
    """An unrecognised argument, with the option it is closest to when it is a mistyped one."""
    if not word.startswith("-") or word == "-":
        return word
    close = difflib.get_close_matches(word.partition("=")[0], options, n=1)
    return f"{word} (did you mean {close[0]}?)" if close else word


def parser(built: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of the whole command line; with ``built``, of those commands only, the
    others named with their summaries (what the top level's help lists) and nothing more."""
    top = _Parser(
        prog="claimcheck",
        description=filled(
            "Check the quotes, figures and dates of a statement against the sources it cites: "
            "live, and archived as cited, keeping what it read in a snapshot store. "
            "'claimcheck COMMAND --help' describes each command."
        ),
        epilog=epilog(
            [
                ("claimcheck extract statement.md -o claims/statement.toml", _EXTRACT),
                ("claimcheck check claims/", "check every claims file of claims/ online"),
                ("claimcheck check claims/ --offline", "check against the stored captures only"),
            ],
            ok="nothing failed (check: no claim has a status --fail-on names)",
            findings="check: a claim has a status --fail-on names (default: drifted, broken); "
            "audit run: a citation newly broke or drifted; robustify --strict, snapshot fetch, "
            "save, verify, rebuild-index: see their --help",
        ),
        formatter_class=HelpFormatter,
    )
    top.add_argument("--version", action="version", version=VERSION_LINE)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if built is None or name in built:
            importlib.import_module(f"{__package__}._{name}").add_parser(commands)
        else:
            commands.add_parser(name, help=summary)
    for leaf in leaves(top):  # every command reads the configuration file
        add_config_options(leaf)
    return top


def _parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of the command ``argv`` names, the other commands only named; when it names
    none, every command only named; when its command is a word that is no command, the whole
    parser (argparse says which command the word is closest to)."""
    named = command_named(argv)
    unknown = named is None and any(not word.startswith("-") for word in argv)
    return parser(None if unknown else {named} if named is not None else ())


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
    argv = audit_shorthand(arguments)
    top = _parser_for(argv)
    args = top.parse_args(argv)
    # Only now: a help has been printed, and a usage error said, without the library (attrs).
    from ..errors import ClaimcheckError, ClaimsFileError

    try:
        configure(args, top, given_options(_parser_for(argv), argv))
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
