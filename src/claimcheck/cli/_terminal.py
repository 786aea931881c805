"""The one place the command line writes to the terminal.

While a command runs (:func:`neutralised`), standard output and standard error are streams that
show every control, bidi and unencodable character as an escape (``\\x1b``, ``\\u202e``:
:func:`~claimcheck.reports.display_safe`) instead of handing it to the terminal. Whatever a
command prints passes through them: its own lines, a report, argparse's messages, an error, a
warning. So no escape sequence from a server (a ``Content-Type``, a redirect's ``Location``),
an archive (Save Page Now's words) or a claims file (a URL with a bidi override) can retitle the
window, clear the screen, hide text or reorder what is shown.

The data formats pass through unchanged: JSON and the TOML ``extract`` proposes write every such
character with their own escapes (``\\u001b``, ``\\u202e``), so the neutraliser finds nothing to
change and the data is kept exactly.

Two writers reach the terminal itself, each with its own guard:

- a report in colour (:func:`write_styled`): rich's colour codes (SGR sequences) are kept, and
  everything else is neutralised as above; the report has already escaped the text it quotes
  (:func:`~claimcheck.reports._display.terminal_safe`), so the only escape sequences in it are
  rich's own;
- the progress display (:func:`terminal_stderr`): rich moves the cursor to redraw it; the one
  thing from outside it shows, a host name, is neutralised where it is shown.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

__all__ = ["neutralised", "styled_safe", "terminal_stderr", "write_styled"]


def display_safe(text: str) -> str:
    """:func:`~claimcheck.reports.display_safe`, imported only for text that needs it. Text
    whose characters are all printable but tabs and line feeds has nothing to neutralise (every
    character display_safe escapes is a control, format, surrogate or unassigned one, which
    Python calls unprintable) and is returned as it is: the command line's own words, its help,
    are written without importing the reports (start-up, issue 17: a --help loads no renderer)."""
    if text.isprintable() or text.replace("\t", "").replace("\n", "").isprintable():
        return text
    from ..reports import display_safe as neutralised_text

    return neutralised_text(text)


class _Neutralising(io.TextIOBase):
    """A text stream that writes to ``terminal`` what it is given, neutralised."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self.terminal = terminal

    def write(self, text: str) -> int:
        self.terminal.write(display_safe(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:  # type: ignore[override]
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.terminal.flush()

    def isatty(self) -> bool:
        return self.terminal.isatty()

    def fileno(self) -> int:
        return self.terminal.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.terminal, "encoding", None) or "utf-8"


@contextlib.contextmanager
def neutralised() -> Iterator[None]:
    """Standard output and standard error neutralised for the ``with`` block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Neutralising(out), _Neutralising(err)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            sys.stdout.flush()
            sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


def _terminal(stream: TextIO) -> TextIO:
    return stream.terminal if isinstance(stream, _Neutralising) else stream


def terminal_stderr() -> TextIO:
    """Standard error itself, for the progress display's cursor movements."""
    return _terminal(sys.stderr)


_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


def styled_safe(text: str) -> str:
    """``text`` with its colour codes (SGR sequences: ``ESC [ 1;31 m``) kept and everything else
    neutralised: no other escape sequence, control or bidi character reaches the terminal."""
    # Split by a capturing pattern, the colour codes are the odd parts.
    parts = _SGR.split(text)
    return "".join(part if index % 2 else display_safe(part) for index, part in enumerate(parts))


def write_styled(text: str) -> None:
    """Write a coloured rendering to standard output: its colours kept (:func:`styled_safe`)."""
    _terminal(sys.stdout).write(styled_safe(text))
