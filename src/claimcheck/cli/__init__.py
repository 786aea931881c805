"""The ``claimcheck`` command line: :func:`main` (the ``claimcheck`` script and
``python -m claimcheck``), one module per command.

``claimcheck --version`` alone is answered here, before the command line's modules (and the
whole library under them) are imported: it must cost no more than starting Python (issue 17)."""

import sys

from .._version import VERSION_LINE

TYPE_CHECKING = False  # not typing's: importing typing costs more than answering --version
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: "Sequence[str] | None" = None) -> int:
    """Run the command line (``argv``, else the process's arguments); return the exit status.
    The parser and every command are in ``._app`` (:func:`claimcheck.cli._app.main`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:
        print(VERSION_LINE)
        return 0
    from ._app import main as run  # deferred: see the module's docstring

    return run(arguments)
