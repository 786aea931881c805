"""The prose view of a statement: its text as a reader reads it, with, for each character, the
span of the source it came from.

Markup is read into operations on the source, ``(start, end, replacement)``: tags, code, link
destinations, list and heading markers, emphasis markers and block-quote prefixes are left out
(replaced by nothing), character references and escapes are decoded (replaced by what they
stand for), block boundaries become line breaks. :func:`build_prose` applies them; quotations,
figures, dates and sentences are then found in the prose and reported in the source.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import attrs

__all__ = ["Prose", "build_prose"]

Operation = tuple[int, int, str]


@attrs.frozen
class Prose:
    """The prose of a statement (``text``), with the source span of each of its characters.

    ``starts[i]``/``ends[i]`` are the span of ``source`` that character ``i`` of ``text`` comes
    from: one character for text kept as written, the whole markup for a decoded reference or
    a block boundary. ``starts`` never decreases.
    """

    source: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of ``text[start:end]`` (non-empty)."""
        return self.starts[start], self.ends[end - 1]

    def at(self, offset: int) -> int:
        """The prose position of source ``offset``: its first character at or after it."""
        return bisect.bisect_left(self.starts, offset)

    def verbatim(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is written as such in the source, without markup (up to
        whitespace: an HTML line break reads as a space)."""
        first, last = self.span(start, end)
        return " ".join(self.source[first:last].split()) == " ".join(self.text[start:end].split())


def build_prose(source: str, operations: Iterable[Operation]) -> Prose:
    """The prose of ``source`` with each ``(start, end, replacement)`` applied; an operation
    overlapping an earlier one is dropped (markup inside a code span or a masked link)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0

    def keep(end: int) -> None:
        chars.append(source[cursor:end])
        starts.extend(range(cursor, end))
        ends.extend(range(cursor + 1, end + 1))

    for start, end, replacement in sorted(operations, key=lambda op: (op[0], op[1])):
        if start < cursor:
            continue
        keep(start)
        chars.append(replacement)
        starts.extend([start] * len(replacement))
        ends.extend([end] * len(replacement))
        cursor = end
    keep(len(source))
    return Prose(source, "".join(chars), starts, ends)
