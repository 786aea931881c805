"""The commands of the command line by name, each with its line in ``claimcheck --help``, and the
words that choose one before anything is parsed: what :mod:`._app` needs to build the parser of
the command a command line runs and only name the others (start-up, issue 17: ``claimcheck check
--help`` imports neither the other commands nor the library under them).

``claimcheck audit PATH...`` is shorthand for ``audit run PATH...``: :func:`audit_shorthand`
inserts ``run`` when the word after ``audit`` is not an action (nor ``-h``), so a new action is
one more subparser and one more name in :data:`AUDIT_ACTIONS`. A claims folder named like an
action is reached as ``audit run report`` or ``audit ./report``."""

from typing import Final

__all__ = ["AUDIT_ACTIONS", "COMMANDS", "audit_shorthand", "command_named"]

COMMANDS: Final = {
    "check": "check claims files against their sources",
    "extract": "propose a claims file for a statement (its quotes, figures, dates, links)",
    "robustify": "add Robust Links attributes (the archived copy of each link) to a statement",
    "audit": "check every citation online, keep a history, report what changed (for cron)",
    "snapshot": "manage the snapshot store",
}
"""Each command (its module is ``._<name>``) and its summary, in the order ``--help`` lists
them."""

# The actions of `claimcheck audit`; any other word after `audit` is a PATH of `audit run`.
AUDIT_ACTIONS: Final = frozenset({"run", "report"})


def _first_word(argv: list[str]) -> int | None:
    """Where the first word that is no option is (the command: the top level takes no option
    with a value), or None."""
    return next((i for i, arg in enumerate(argv) if not arg.startswith("-")), None)


def command_named(argv: list[str]) -> str | None:
    """The command ``argv`` names (one of :data:`COMMANDS`), or None: none named, or a word
    that is none of them (argparse says which it is closest to)."""
    position = _first_word(argv)
    word = argv[position] if position is not None else None
    return word if word in COMMANDS else None


def audit_shorthand(argv: list[str]) -> list[str]:
    """``claimcheck audit PATH...`` as ``claimcheck audit run PATH...``."""
    position = _first_word(argv)
    if position is None or argv[position] != "audit":
        return argv
    rest = argv[position + 1 :]
    if rest and (rest[0] in AUDIT_ACTIONS or rest[0] in ("-h", "--help")):
        return argv
    return [*argv[: position + 1], "run", *rest]
