"""The prose of a Markdown statement: blocks read line by line, then each paragraph's inline
content, keeping every offset.

The block structure follows CommonMark where it decides what is prose: the code blocks
(indented or fenced, in any container) and the link reference definitions (which cannot
interrupt a paragraph) come from the one block parse (:func:`markdown_blocks`), and their lines
are no prose; the line reader reads the rest (headings, lists, block quotes, GFM tables,
footnotes), leaving out their markers. The inline content is read with the one link scanner
(:class:`InlineScan`): code spans, links (their text is prose, their destination is not),
images (no prose), inline HTML, footnote references, escapes, emphasis markers and bare URLs.
"""

from __future__ import annotations

import re
from typing import Final

import attrs

from ._markdown_blocks import MarkdownBlocks
from ._markdown_inline import InlineScan
from ._markup import MarkupReader

__all__ = ["read_markdown"]

_FOOTNOTE_DEFINITION: Final = re.compile(r"[ ]{0,3}\[\^[^\]\s]{1,100}\]:[ \t]*")
_FOOTNOTE_REFERENCE: Final = re.compile(r"\[\^[^\]\s]{1,100}\]")
_HEADING: Final = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")
_HEADING_CLOSE: Final = re.compile(r"[ \t]+#+[ \t]*$")
_THEMATIC_BREAK: Final = re.compile(
    r"[ ]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$"
)
_BLOCK_QUOTE: Final = re.compile(r"[ ]{0,3}>[ \t]?(?:[ ]{0,3}>[ \t]?)*")
_LIST_MARKER: Final = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_TABLE_DELIMITER: Final = re.compile(
    r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
)
_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def read_markdown(reader: MarkupReader, blocks: MarkdownBlocks) -> None:
    """Read the Markdown statement of ``reader`` into its prose operations and links."""
    _Markdown(reader, blocks).read()


@attrs.define
class _Markdown:
    """Reads a Markdown statement: blocks line by line, then each paragraph's inline
    content (see the module documentation)."""

    reader: MarkupReader
    blocks: MarkdownBlocks
    paragraph: tuple[int, int] | None = None

    def read(self) -> None:
        source, blocks, lines = self.reader.source, self.blocks, self.blocks.lines
        if blocks.front_end > blocks.begin:
            self.reader.drop(blocks.begin, blocks.front_end, "\n")
        in_table = False
        for number, (start, end) in enumerate(lines):
            if start < blocks.front_end:
                continue
            first_of_block = blocks.skipped.get(number)
            if first_of_block is not None:  # code, or a link reference definition: no prose
                self.close()
                in_table = False
                self.reader.drop(start, end, "\n" if first_of_block else "")
                continue
            quote = _BLOCK_QUOTE.match(source, start, end)
            position = quote.end() if quote is not None else start
            if position > start:
                self.reader.drop(start, position)
            if not source[position:end].strip():
                self.close()
                in_table = False
                continue
            following = lines[number + 1] if number + 1 < len(lines) else None
            in_table = self.line(position, end, following, in_table)
        self.close()

    def close(self) -> None:
        """Read the paragraph read so far, if any."""
        if self.paragraph is not None:
            self.inline(*self.paragraph)
            self.paragraph = None

    def line(
        self, position: int, end: int, following: tuple[int, int] | None, in_table: bool
    ) -> bool:
        """Read the line from ``position`` (after any block-quote prefix) to ``end``: a
        thematic break, a heading, a table row, a list item or footnote, or paragraph text.
        Return whether a table goes on."""
        source, reader = self.reader.source, self.reader
        if _THEMATIC_BREAK.match(source, position, end):
            self.close()
            reader.drop(position, end, "\n")
            return in_table
        heading = _HEADING.match(source, position, end)
        if heading is not None:
            self.close()
            stop = end
            trailing = _HEADING_CLOSE.search(source, heading.end(), end)
            if trailing is not None:
                stop = trailing.start()
                reader.drop(trailing.start(), end)
            reader.drop(position, heading.end(), "\n")
            self.inline(heading.end(), stop)
            reader.drop(end, end, "\n")
            return in_table
        if "|" in source[position:end] and (
            in_table or (following is not None and _TABLE_DELIMITER.match(source, *following))
        ):
            self.close()
            if _TABLE_DELIMITER.match(source, position, end):
                reader.drop(position, end, "\n")
                return in_table
            self.table_row(position, end)
            return True
        marker = _FOOTNOTE_DEFINITION.match(source, position, end) or _LIST_MARKER.match(
            source, position, end
        )
        if marker is not None and marker.end() > position:
            self.close()
            reader.drop(position, marker.end(), "\n")
            self.paragraph = (marker.end(), end)
            return in_table
        start = self.paragraph[0] if self.paragraph is not None else position
        self.paragraph = (start, end)
        return in_table

    def table_row(self, start: int, end: int) -> None:
        """A table row: each cell is a block of its own."""
        source = self.reader.source
        cell = start
        for position in range(start, end + 1):
            if position == end or (source[position] == "|" and source[position - 1] != "\\"):
                if position > cell:
                    self.inline(cell, position)
                if position < end:
                    self.reader.drop(position, position + 1, "\n\n")
                cell = position + 1

    def inline(self, start: int, end: int) -> None:
        """Read the inline content between ``start`` and ``end`` (a paragraph, a heading, a
        table cell)."""
        scan = InlineScan.of(self.reader.source, start, end, self.blocks.definitions)
        _Inline(self.reader, scan).read(start, end, in_link=False)


@attrs.define
class _Inline:
    """Reads inline content into the prose: what :class:`InlineScan` found, and the rest."""

    reader: MarkupReader
    scan: InlineScan

    def read(self, start: int, end: int, *, in_link: bool) -> None:
        """Read the inline content between ``start`` and ``end``: code spans, links and
        images, inline HTML, footnote references, escapes, emphasis markers and bare URLs."""
        source, reader = self.reader.source, self.reader
        position = text_start = start
        stop: int | None
        while position < end:
            char = source[position]
            if char == "\\" and position + 1 < end and source[position + 1] in _ASCII_PUNCTUATION:
                reader.drop(position, position + 2, source[position + 1])
                position += 2
            elif char == "`":
                run = position
                while run < end and source[run] == "`":
                    run += 1
                closed = self.scan.code.get(position, run)
                if closed == run:  # closes no code span
                    position = run
                else:
                    self.flush_text(text_start, position, in_link)
                    reader.drop(position, closed)
                    position = text_start = closed
            elif char == "!" and (stop := self.image(position + 1)) is not None:
                self.flush_text(text_start, position, in_link)
                reader.drop(position, stop)  # an image: its alt text is no prose
                position = text_start = stop
            elif char == "[":
                stop = self.bracket(position, end, text_start, in_link)
                if stop is None:
                    position += 1
                else:
                    position = text_start = stop
            elif char == "<":
                if reader.is_markup(position):
                    self.flush_text(text_start, position, in_link)
                    stop = reader.markup(position)
                    assert stop is not None
                    position = text_start = stop
                else:
                    stop = reader.markup(position)
                    position = stop if stop is not None else position + 1
            elif char == "&":
                stop = reader.entity(position)
                position = stop if stop is not None else position + 1
            elif char in "*_~":
                position = self.emphasis(position, end)
            else:
                position += 1
        self.flush_text(text_start, end, in_link)

    def image(self, position: int) -> int | None:
        """The end of the image whose ``[`` is at ``position``, or None if there is none."""
        if position not in self.scan.images or position not in self.scan.links:
            return None
        return self.scan.links[position].end

    def bracket(self, position: int, end: int, text_start: int, in_link: bool) -> int | None:
        """Read the footnote reference or the link whose ``[`` is at ``position``; return
        where reading resumes, or None if it is neither (a bracket of the text)."""
        source, reader = self.reader.source, self.reader
        footnote = _FOOTNOTE_REFERENCE.match(source, position, end)
        if footnote is not None:
            self.flush_text(text_start, position, in_link)
            reader.drop(position, footnote.end())
            return footnote.end()
        link = None if in_link or position in self.scan.images else self.scan.links.get(position)
        if link is None:
            return None
        assert link.text_start is not None
        assert link.text_end is not None
        self.flush_text(text_start, position, in_link)
        reader.drop(position, link.text_start)
        self.read(link.text_start, link.text_end, in_link=True)
        reader.drop(link.text_end, link.end)
        reader.links.append(link)
        return link.end

    def flush_text(self, start: int, end: int, in_link: bool) -> None:
        if not in_link and not self.reader.open_anchors:
            self.reader.bare_urls(start, end)

    def emphasis(self, start: int, end: int) -> int:
        """Drop a run of emphasis markers that opens or closes emphasis (flanks a word);
        keep "5 * 3", "snake_case" and the like."""
        source = self.reader.source
        char = source[start]
        stop = start
        while stop < end and source[stop] == char:
            stop += 1
        before = source[start - 1] if start > 0 else " "
        after = source[stop] if stop < len(source) else " "
        opens = not after.isspace() and (before.isspace() or not before.isalnum() or char == "*")
        closes = not before.isspace() and (after.isspace() or not after.isalnum() or char == "*")
        # "_" never emphasises inside a word (snake_case); "~" only doubled (strikethrough).
        inside_word = char == "_" and before.isalnum() and after.isalnum()
        marker = stop - start <= 3 and (char != "~" or stop - start == 2)
        if (opens or closes) and marker and not inside_word:
            self.reader.drop(start, stop)
        return stop
