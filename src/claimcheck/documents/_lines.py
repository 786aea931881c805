"""Lines and columns: the one conversion between offsets into a text and the 1-based
``line:column`` that claims files, reports and messages show; and a text put on one line for a
message (:func:`shorten`)."""

from __future__ import annotations

import bisect
import re
from typing import Final

__all__ = ["LineIndex", "shorten"]

_NEWLINE: Final = re.compile("\n")


class LineIndex:
    """Where the lines of a text start, for turning offsets into 1-based lines and columns and
    back.

    Lines end at ``\\n`` (a ``\\r\\n`` ends its line at the ``\\n``), as editors, the claims
    loader and every report count them; columns count characters (code points), not bytes.
    Built once per text (linear), each conversion then takes logarithmic time.
    """

    __slots__ = ("_length", "_starts")

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        self._length = len(text)

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def offset(self, line: int, column: int) -> int | None:
        """The offset of 1-based ``line`` and ``column``, or ``None`` if the text has no such
        place (a column may name the end of its line)."""
        if not 1 <= line <= len(self._starts) or column < 1:
            return None
        line_end = self._starts[line] - 1 if line < len(self._starts) else self._length
        offset = self._starts[line - 1] + column - 1
        return offset if offset <= line_end else None


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
