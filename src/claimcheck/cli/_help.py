"""What every command's ``--help`` says besides its options: a description, examples and the
exit statuses, the one for a usage error said here once for all (:data:`USAGE_ERROR`).

Each command module adds its parser with :func:`add_command`; the text it gives is wrapped
here, and the examples keep their lines (:class:`HelpFormatter`)."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from typing import Any, Final

from ._options import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

__all__ = ["USAGE_ERROR", "HelpFormatter", "add_command", "epilog", "filled"]

USAGE_ERROR: Final = (
    "a usage or input error: an unknown option, a value out of range, a malformed claims or "
    "configuration file, a missing file or store (said in one line on standard error)"
)
"""What exit status 2 means, for every command."""

_WIDTH: Final = 79


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, the description and the epilog kept as written: :func:`add_command`
    has wrapped them, and an example is one line to copy."""


def filled(text: str) -> str:
    """``text`` wrapped paragraph by paragraph (paragraphs apart by a blank line)."""
    paragraphs = (" ".join(paragraph.split()) for paragraph in text.split("\n\n"))
    return "\n\n".join(textwrap.fill(paragraph, _WIDTH) for paragraph in paragraphs)


def _item(head: str, text: str) -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=head, subsequent_indent=" " * len(head), break_on_hyphens=False
    )


def epilog(examples: Sequence[tuple[str, str]], *, ok: str, findings: str | None = None) -> str:
    """The end of a ``--help``: the ``examples`` (a command line, and what it does), then what
    each exit status means: ``ok`` for 0, ``findings`` for 1 (none when the command never
    exits 1), :data:`USAGE_ERROR` for 2."""
    lines = ["examples:"]
    for command, what in examples:
        lines += [f"  {command}", *_item("      ", what)]
    lines += ["", "exit status:"]
    for status, meaning in ((EXIT_OK, ok), (EXIT_FINDINGS, findings), (EXIT_USAGE, USAGE_ERROR)):
        if meaning is not None:
            lines += _item(f"  {status}  ", meaning)
    return "\n".join(lines)


def add_command(
    commands: Any,
    name: str,
    *,
    summary: str,
    description: str,
    examples: Sequence[tuple[str, str]],
    ok: str,
    findings: str | None = None,
) -> argparse.ArgumentParser:
    """Add the command ``name`` to ``commands`` (a subparsers action): ``summary`` is its line
    in its parent's list of commands, ``description`` heads its ``--help``, ``examples``, ``ok``
    and ``findings`` end it (:func:`epilog`)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=filled(description),
        epilog=epilog(examples, ok=ok, findings=findings),
        formatter_class=HelpFormatter,
    )
    return parser
