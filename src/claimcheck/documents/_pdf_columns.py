"""A PDF page's text in reading order when it is laid out in columns.

pdfium hands out a page's characters in the order of the content stream. Producers that write a
multi-column page line by line across the columns (word processors, layout programs, many
instruction booklets) make that order interleave the columns: "first line of column 1, first
line of column 2, ..." and every sentence comes back broken or stitched to its neighbour.

The characters' boxes put it right. The page's characters are cut into *runs* (pieces of one
line without a wide gap), and the runs are ordered by recursive XY-cut: a wide horizontal band
of white space (above the columns, below them) splits a region into a top and a bottom part;
else a vertical channel of white space through the whole region, with lines of prose side by
side across it, splits it into columns read left to right; else the widest horizontal gap
splits it into a top and a bottom part.
Only regions that hold columns are reordered; a page without columns, or whose columns come out
in stream order (written one after the other), keeps pdfium's text unchanged, so only the
interleaved pages change.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:  # imported where called, when a PDF is read (see _pdf_source)
    import pypdfium2 as pdfium

__all__ = ["reading_order_text"]

# A gap wider than this share of the line height ends a run: word spaces stay inside it (a space
# is about a quarter of the font size, a loose line box about 1.15 of it), column gutters and
# tab stops end it.
_RUN_GAP: Final = 0.8
# A vertical channel at least this share of the median line height wide separates columns.
_COLUMN_GAP: Final = 0.8
# A column of prose has lines of several words; a table's columns (figures, names, page numbers
# of a table of contents) have a word or two, and are read row by row, which keeps a figure next
# to what it counts.
_PROSE_WORDS: Final = 3
# A column has at least this many lines: two short blocks side by side (a displayed formula and
# its label, two captions) are read as pdfium has them.
_COLUMN_LINES: Final = 3
# A horizontal band of white space at least this many line heights high is cut before columns
# are looked for: it sets off a title, a footer, a figure's caption.
_BLANK: Final = 1.5
# Bands at least this share of the widest are cut together.
_EVEN: Final = 0.9
# Deeper than this the cutting stops (see _reading_order).
_MAX_DEPTH: Final = 60
# Two boxes are on the same line when they share at least this share of the lower one's height.
_SAME_LINE: Final = 0.5
# pdfium's line-break hyphenation marks (see _pdf_source): the word goes on in the next run.
_SOFT_HYPHENS: Final = frozenset("\x02\ufffe")


@attrs.frozen
class _Run:
    """Characters ``start:end`` of the page (pdfium's indices), all on one line, and their box."""

    start: int
    end: int
    left: float
    bottom: float
    right: float
    top: float
    words: int = 0

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _same_line(a: _Run, b: _Run) -> bool:
    shared = min(a.top, b.top) - max(a.bottom, b.bottom)
    return shared >= _SAME_LINE * min(a.height, b.height)


def _runs(textpage: pdfium.PdfTextPage, chars: str) -> list[_Run] | None:
    """The page's runs in stream order; None when a character is not laid out left to right
    (rotated or vertical text: its boxes say nothing about columns) or a run would start
    without a box. Every visible character is in a run."""
    import pypdfium2.raw as pdfium_raw

    raw = textpage.raw
    box = pdfium_raw.FS_RECTF()
    runs: list[_Run] = []
    current: _Run | None = None
    for index, char in enumerate(chars):
        if char.isspace():
            if char in "\r\n" and current is not None:
                runs.append(current)
                current = None
            continue
        if abs(float(pdfium_raw.FPDFText_GetCharAngle(raw, index))) > 0.01:
            return None
        if not pdfium_raw.FPDFText_GetLooseCharBox(raw, index, box) or box.top <= box.bottom:
            if current is None:
                return None  # a run must start with a box: no character may fall between runs
            current = attrs.evolve(current, end=index + 1)  # a mark without a box of its own
            continue
        glyph = _Run(index, index + 1, box.left, box.bottom, box.right, box.top)
        if current is not None:
            gap = glyph.left - current.right
            if _same_line(current, glyph) and -glyph.height < gap <= _RUN_GAP * glyph.height:
                current = attrs.evolve(
                    current,
                    end=index + 1,
                    right=max(current.right, glyph.right),
                    bottom=min(current.bottom, glyph.bottom),
                    top=max(current.top, glyph.top),
                )
                continue
            runs.append(current)
        current = glyph
    if current is not None:
        runs.append(current)
    return [attrs.evolve(run, words=len(chars[run.start : run.end].split())) for run in runs]


def _vertical_cut(runs: Sequence[_Run], height: float) -> list[list[_Run]] | None:
    """The columns of a region left to right, split at every white channel through its whole
    height; None without one, when no two runs sit side by side across it (a channel between
    lines that never share a height is no column gutter), or when a column is no prose."""
    ordered = sorted(runs, key=lambda run: run.left)
    groups: list[list[_Run]] = [[ordered[0]]]
    reach = ordered[0].right
    for run in ordered[1:]:
        if run.left - reach >= _COLUMN_GAP * height:
            groups.append([])
        groups[-1].append(run)
        reach = max(reach, run.right)
    if len(groups) == 1:
        return None
    for group in groups:
        words = _words_per_line(group)
        if len(words) < _COLUMN_LINES or statistics.median(words) < _PROSE_WORDS:
            return None
    for before, after in itertools.pairwise(groups):
        if not any(_same_line(a, b) for a in before for b in after):
            return None
    return groups


def _words_per_line(runs: Sequence[_Run]) -> list[int]:
    """How many words each line of the runs has, top to bottom (a justified line with wide
    spaces is several runs)."""
    ordered = sorted(runs, key=lambda run: -run.top)
    counts = [ordered[0].words]
    for above, run in itertools.pairwise(ordered):
        if _same_line(above, run):
            counts[-1] += run.words
        else:
            counts.append(run.words)
    return counts


def _horizontal_cut(runs: Sequence[_Run]) -> tuple[list[list[_Run]], float] | None:
    """The region split top to bottom at its widest horizontal white bands (every band nearly
    as high as the widest: a column of evenly spaced lines is cut once, not line by line),
    and the widest band's height; None without a band."""
    ordered = sorted(runs, key=lambda run: -run.top)
    gaps: list[tuple[int, float]] = []
    floor = ordered[0].bottom
    for position, run in enumerate(ordered[1:], start=1):
        if floor - run.top > 0:
            gaps.append((position, floor - run.top))
        floor = min(floor, run.bottom)
    if not gaps:
        return None
    widest = max(gap for _, gap in gaps)
    cuts = [position for position, gap in gaps if gap >= _EVEN * widest]
    bounds = [0, *cuts, len(ordered)]
    return [ordered[a:b] for a, b in itertools.pairwise(bounds)], widest


def _reading_order(runs: Sequence[_Run], height: float, depth: int = 0) -> tuple[list[_Run], bool]:
    """Recursive XY-cut, and whether it found columns (``height``: a line's, the median).

    A wide band of white space (a title above the columns, a footer below) is cut first, so
    that a title or footer no wider than the first column is not read as part of it; then
    columns; then the widest bands. Only a region holding columns is reordered: elsewhere
    (formulas, figure labels, footnotes written bottom up) pdfium's stream order is as good a
    guess as any, and the text stays as it was. Past ``_MAX_DEPTH`` cuts a region keeps stream
    order (a page of scattered labels would otherwise recurse once per label)."""
    stream = sorted(runs, key=lambda run: run.start)
    if len(runs) <= 1 or depth > _MAX_DEPTH:
        return stream, False
    bands = _horizontal_cut(runs)
    wide = bands is not None and bands[1] >= _BLANK * height
    columns = None if wide else _vertical_cut(runs, height)
    if columns is not None:
        parts, found = columns, True
    elif bands is not None:
        parts, found = bands[0], False
    else:
        return stream, False
    ordered: list[_Run] = []
    for part in parts:
        part_order, part_columns = _reading_order(part, height, depth + 1)
        ordered += part_order
        found = found or part_columns
    return (ordered, True) if found else (stream, False)


def _joined(text: str, stream: Sequence[_Run], order: Sequence[_Run]) -> str:
    """The runs' text in reading order. Between runs that follow each other in the stream too,
    pdfium's own separator stays (a space, a line break, nothing after a soft hyphen);
    elsewhere a line break, or nothing after a soft hyphen."""
    successor = {id(run): following for run, following in itertools.pairwise(stream)}
    parts: list[str] = []
    for run, following in zip(order, [*order[1:], None], strict=True):
        parts.append(text[run.start : run.end])
        if following is None:
            break
        if successor.get(id(run)) is following:
            parts.append(text[run.end : following.start])
        elif text[run.end - 1] not in _SOFT_HYPHENS:
            parts.append("\n")
    return "".join(parts)


def reading_order_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text (pdfium's, marks and all) with its columns in reading order."""
    import pypdfium2.raw as pdfium_raw

    text = str(textpage.get_text_range())
    count = textpage.count_chars()
    chars = "".join(chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    if chars != text:
        return text  # pdfium's text view left out or added characters: no map to the boxes
    stream = _runs(textpage, chars)
    if not stream or len(stream) < 2:
        return text
    order, columns = _reading_order(stream, statistics.median(run.height for run in stream))
    if not columns or all(a is b for a, b in zip(order, stream, strict=True)):
        return text
    return _joined(text, stream, order)
