"""The configuration file on the command line: every command reads one (``--config FILE``, or
the one :func:`~claimcheck.claimsfile.find_config` finds for the first path the command is
given, or for the working folder), unless told ``--no-config``.

Each key of the file is the default of the option of its name (``fail_on`` of ``--fail-on``,
``coverage = false`` of ``--no-coverage``): the command line over the file over the built-in
default. A command reads the top level and its own table (:data:`TABLES`). A key's value is
judged by its option's own type and choices, the functions that judge the command line, so a
value is refused alike wherever it is written; the file's problem names the file, line and key.
Paths in the file are relative to its folder (:class:`~claimcheck.claimsfile.Config`); paths on
the command line, to the working folder.

The snapshot store follows the claims files (:func:`~claimcheck.claimsfile.find_store`): unless
``--snapshots`` names one, a command uses the store the configuration names, else the nearest
``snapshots/`` store at or above the claims files, else ``./snapshots``. A live ``check``
records into a store only when ``--snapshots`` names it (a temporary one otherwise).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from ._options import STDOUT

if TYPE_CHECKING:
    from ..claimsfile import Config

__all__ = ["TABLES", "add_config_options", "configure", "given_options", "leaves"]

# The tables each command reads: (table, the keys of it read, None for all). ``audit report``
# shares the history (``db``) with ``audit run`` and has its own report table.
TABLES: Final[Mapping[tuple[str, ...], tuple[tuple[str, frozenset[str] | None], ...]]] = {
    ("check",): (("", None), ("check", None)),
    ("audit", "run"): (("", None), ("audit", None)),
    ("audit", "report"): (("audit", frozenset({"db"})), ("audit.report", None)),
    ("extract",): (("", None), ("extract", None)),
    ("robustify",): (("", None), ("robustify", None)),
}
# Any other command (the snapshot commands) reads the top level only.
_TOP_LEVEL: Final = (("", None),)

# The commands that read a store and never create one.
_READERS: Final = frozenset(
    {
        ("check",),
        ("snapshot", "list"),
        ("snapshot", "show"),
        ("snapshot", "verify"),
        ("snapshot", "rebuild-index"),
    }
)

# Keys that are not the dest of the option of their name: a flag that turns a default off.
_INVERTED: Final = {"coverage": "no_coverage"}
# Keys whose list is the option's comma-separated text.
_COMMA_LISTS: Final = frozenset({"fail_on"})


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """``--config FILE`` and ``--no-config``."""
    group = parser.add_argument_group("configuration")
    choice = group.add_mutually_exclusive_group()
    choice.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read this configuration file (default: claimcheck.toml, or [tool.claimcheck] in "
        "pyproject.toml, in the folder of the first PATH or above it)",
    )
    choice.add_argument(
        "--no-config", action="store_true", help="read no configuration file: built-in defaults"
    )


def given_options(parser: argparse.ArgumentParser, argv: Sequence[str]) -> set[str]:
    """The dests of the options ``argv`` gives (whatever their value): ``argv`` parsed again
    by ``parser`` (a fresh one) with every option's default suppressed."""
    for leaf in _parsers(parser):
        for action in leaf._actions:
            if action.option_strings:
                action.default = argparse.SUPPRESS
    return set(vars(parser.parse_args(list(argv))))


def configure(args: argparse.Namespace, parser: argparse.ArgumentParser, given: set[str]) -> None:
    """Read the configuration for the command ``args`` holds (``args.configuration``: the
    :class:`~claimcheck.claimsfile.Config`, or None), set each option the command line did not
    give (``given``) from it, and the snapshot store by the store rule. Raises
    :class:`~claimcheck.errors.ConfigurationError` for a malformed file or value."""
    from ..claimsfile import find_config, load_config

    leaf, command = _leaf(parser, args)
    starts = _starts(args)
    config: Config | None = None
    if not getattr(args, "no_config", False):
        named = getattr(args, "config", None)
        config = load_config(named) if named is not None else find_config(starts[0])
    args.configuration = config
    # The first option of a dest is its own (--format), a later one a shorthand (--compact).
    actions: dict[str, argparse.Action] = {}
    for action in leaf._actions:
        actions.setdefault(action.dest, action)
    if config is not None:
        for table, keys in TABLES.get(command, _TOP_LEVEL):
            for key, value in config.values.items():
                name = key.removeprefix(f"{table}.") if table else key
                if (table and not key.startswith(f"{table}.")) or "." in name:
                    continue
                if (keys is not None and name not in keys) or name == "snapshots":
                    continue
                option = actions.get(_INVERTED.get(name, name))
                if option is None or option.dest in given:
                    continue  # a key for other commands, or an option the command line gave
                setattr(args, option.dest, _value(option, config, key, name, value))
    if "snapshots" in actions and "snapshots" not in given:
        args.snapshots = _store(args, command, config, starts)


def _store(
    args: argparse.Namespace, command: tuple[str, ...], config: Config | None, starts: list[Path]
) -> Path | Literal[False] | None:
    """The store a command uses when ``--snapshots`` names none, by the store rule.

    ``check``: offline, the store found, else ``False`` (none: ``check()`` must not look again,
    for it would read a configuration ``--no-config`` or ``--config`` set aside); live, None (a
    temporary store). The other commands: the store found, else ``./snapshots`` (created by
    the commands that capture). A store the configuration names but that is not there is an
    error at its line for the commands that only read one."""
    from ..claimsfile import find_store
    from ..store import DEFAULT_STORE

    if command == ("check",) and not args.offline:
        return None
    found = find_store(starts, config=config, discover=False)
    missing = found is not None and command in _READERS and not (found / "warc").is_dir()
    if config is not None and missing and found == config.snapshots:
        raise config.problem("snapshots", f"{found} is not a snapshot store (no warc/)")
    if command == ("check",):
        return found or False
    return found or DEFAULT_STORE


def _value(action: argparse.Action, config: Config, key: str, name: str, value: object) -> Any:
    """The option's value for the file's ``value`` of ``key``, judged by the option's type and
    choices."""
    if action.nargs == 0:  # a flag: true sets it, false leaves its default
        on = not value if name in _INVERTED else bool(value)
        return action.const if on else action.default
    if isinstance(value, Path):  # a path, made relative to the file's folder already
        return value
    if isinstance(value, list) and name in _COMMA_LISTS:
        value = ",".join(value)
    if isinstance(action, argparse._AppendAction):
        items = value if isinstance(value, list) else [value]
        return [_converted(action, config, key, item) for item in items]
    if isinstance(value, list):
        raise config.problem(key, f"takes one value here, not a list of {len(value)}")
    return _converted(action, config, key, value)


def _converted(action: argparse.Action, config: Config, key: str, value: object) -> Any:
    """``value`` as the command line's text, through the option's type and choices."""
    from ..model import shown

    text = value if isinstance(value, str) else repr(value)
    try:
        result = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, ValueError, TypeError) as error:
        message = str(error)
        # The library's rule names its field as the option's dest; the key names it here.
        raise config.problem(key, message.removeprefix(f"{action.dest}: ")) from None
    if action.choices is not None and result not in action.choices:
        choices = ", ".join(str(choice) for choice in action.choices)
        raise config.problem(key, f"must be one of {choices}, not {shown(value)}")
    if isinstance(result, Path) and not result.is_absolute():  # a path in the file
        return config.folder / result
    if isinstance(result, tuple):  # -o [FORMAT:]PATH (output_target); "-" is standard output
        name, path = result
        if isinstance(path, Path) and path != STDOUT and not path.is_absolute():
            return name, config.folder / path
    return result


def _starts(args: argparse.Namespace) -> list[Path]:
    """Where the configuration and the store are looked for from: the claims files, the
    statement, the existing paths among ``snapshot save``'s targets; else the working folder."""
    paths: list[Path] = [
        *(getattr(args, "paths", None) or ()),
        *(getattr(args, "claims", None) or ()),
    ]
    statement = getattr(args, "statement", None)
    if statement is not None:
        paths.insert(0, statement)
    paths += [Path(target) for target in getattr(args, "targets", None) or ()]
    return [path for path in paths if path.exists()] or [Path.cwd()]


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any] | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every parser under it."""
    sub = _subcommands(parser)
    if sub is None:
        return [parser]
    return [parser, *(leaf for child in sub.choices.values() for leaf in _parsers(child))]


def leaves(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers of the commands themselves (``check``, ``audit run``, ``snapshot list``)."""
    return [leaf for leaf in _parsers(parser) if _subcommands(leaf) is None]


def _leaf(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[argparse.ArgumentParser, tuple[str, ...]]:
    """The parser of the command ``args`` holds, and its words (``("audit", "run")``)."""
    words: list[str] = []
    while (sub := _subcommands(parser)) is not None:
        word = getattr(args, sub.dest)
        words.append(word)
        parser = sub.choices[word]
    return parser, tuple(words)
