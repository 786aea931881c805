"""A claim found in a statement's prose, before it is placed in the source; the problems a
found claim may carry; and a set of spans to ask what a claim overlaps."""

from __future__ import annotations

import bisect
from typing import Final

import attrs

from ..model import ClaimKind
from ._lines import shorten
from ._links import StatementLink

__all__ = [
    "BARE_YEAR",
    "BLOCKING_PROBLEMS",
    "EARLIER",
    "NO_SUCH_DATE",
    "RELATIVE",
    "UNCLOSED",
    "Candidate",
    "FoundClaim",
    "Spans",
    "markup_problem",
]

UNCLOSED: Final = "no closing quotation mark in its paragraph: where does the quotation end?"
RELATIVE: Final = (
    "a relative date, or one without its year: give the statement's publication date to read it"
)
BARE_YEAR: Final = (
    "a four-digit number without a date cue: a year (the value is the year) or a count (make it"
    " a figure)?"
)
NO_SUCH_DATE: Final = "shaped like a date, but there is no such date"
EARLIER: Final = (
    "the same words occur earlier in the statement: a claims file would locate the claim there"
)
BLOCKING_PROBLEMS: Final = frozenset({UNCLOSED, BARE_YEAR, NO_SUCH_DATE})
"""The problems that leave a found claim unfit to be a claim as it stands (it has no value, or
no end): a claims file lists such a claim for its author to complete."""


def markup_problem(written: str) -> str:
    """The problem of a claim whose text in the source, ``written``, holds markup."""
    return (
        f"its text in the statement holds markup or character references ({shorten(written)!r}):"
        " the claim's text is the file's, as written"
    )


@attrs.frozen
class Candidate:
    """A claim found in the prose, before it is placed in the source: its kind, its prose span,
    its value and problem; for a quotation the span with its marks (``marked``), for a figure or
    a date whether it may take in words to anchor it (``widen``)."""

    kind: ClaimKind
    start: int
    end: int
    value: str | None = None
    problem: str | None = None
    marked: tuple[int, int] | None = None
    widen: bool = False


@attrs.frozen
class FoundClaim:
    """A claim a statement makes: a quotation, a figure or a date, placed in the source.

    - ``text`` is exactly ``source[start:end]``: the quoted words, the figure with its hedge and
      the words that make it checkable, or the date expression; a claims file would locate it
      there.
    - ``value``: for a figure the number as a plain decimal string ("189", "100000", "0.5");
      for a date its ISO value ("2017", "2017-10", "2021-03-15"); None for a quote, and when
      the value could not be read.
    - ``problem``: why the value could not be read (then ``value`` is None), why the claim is
      doubtful (an unclosed quotation), or that its text in the file holds markup; else None
      (:data:`BLOCKING_PROBLEMS` are those that leave it unfit to be a claim as it stands).
    - ``sentence``: the source span of its sentence; ``links`` the links of that sentence,
      usable or not (one tuple for all the claims of a sentence).
    """

    kind: ClaimKind
    text: str
    start: int
    end: int
    value: str | None = None
    problem: str | None = None
    sentence: tuple[int, int] = (0, 0)
    links: tuple[StatementLink, ...] = ()


@attrs.define
class Spans:
    """A set of spans, asked whether a span overlaps any of them (shares a character with it),
    in logarithmic time.

    The spans are kept merged: sorted, pairwise disjoint intervals, overlapping ones joined
    (touching ones are not: "a" then "b" do not overlap). Then both ``starts`` and ``ends`` are
    sorted, and of the intervals starting before ``end`` the last one ends last: ``[start,
    end)`` overlaps one of them if and only if it overlaps that one. An empty span overlaps
    nothing and is not kept.
    """

    starts: list[int] = attrs.Factory(list)
    ends: list[int] = attrs.Factory(list)

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        first = bisect.bisect_right(self.ends, start)  # the first interval ending after start
        last = bisect.bisect_left(self.starts, end)  # past the last one starting before end
        if first < last:
            start = min(start, self.starts[first])
            end = max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.ends[index] > start
