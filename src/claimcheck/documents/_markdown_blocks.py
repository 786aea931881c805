"""Markdown's block structure, as CommonMark reads it (markdown-it-py, with GFM tables): one
parse of a statement gives what the prose reader skips (code, link reference definitions),
where the inline content is (paragraphs, headings, table cells), the HTML blocks, and the
definitions, read again from their source lines so that destinations keep the author's
spelling."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from markdown_it import MarkdownIt

from ._markdown_inline import (
    LINK_LABEL,
    Definition,
    decode,
    destination,
    normalise_label,
    skip_space,
    title,
)

__all__ = ["BYTE_ORDER_MARK", "MarkdownBlocks", "markdown_blocks"]

BYTE_ORDER_MARK: Final = "\ufeff"
_FRONT_MATTER: Final = re.compile(
    r"(---|\+\+\+)[ \t]*\r?\n(?:.*?\r?\n)??(?:\1|\.\.\.)[ \t]*(?:\r?\n|$)", re.S
)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_QUOTE_PREFIX: Final = re.compile(r"[ \t>]*")


class _BlockParser(MarkdownIt):
    """markdown-it-py's CommonMark parser, for the block structure: link destinations as
    written (unescaped, not percent-encoded), and a ``javascript:`` one is still one (a
    definition of a placeholder link is a finding)."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it-py's name)
        return True

    def normalizeLink(self, url: str) -> str:  # noqa: N802
        return url


@functools.cache
def block_parser() -> MarkdownIt:
    """The parser of the block structure (inline content is read by :class:`InlineScan`,
    which keeps offsets)."""
    return _BlockParser("commonmark").enable("table").disable("inline")


@attrs.frozen
class MarkdownBlocks:
    """What CommonMark makes of a Markdown statement's blocks.

    - ``begin``: where the text starts, after a byte order mark; ``front_end``: where YAML or
      TOML front matter ends (``begin`` when there is none).
    - ``lines``: the lines from ``begin``, as ``(start, end)`` without their line break (a
      ``\\r\\n``, ``\\r`` or ``\\n``, as the parser counts lines).
    - ``skipped``: the lines that are no prose, indented and fenced code and link reference
      definitions, each with whether it is the first of its block. Footnote definitions
      (``[^1]: …``, GFM) are prose.
    - ``definitions``: the link reference definitions by normalised label (the first of each).
    - ``regions``: the inline content (paragraphs, headings, table cells) and ``html_blocks``
      the HTML blocks, as spans in document order.
    - ``env``: the parser's environment (its references), for rendering inline content.
    """

    begin: int
    front_end: int
    lines: Sequence[tuple[int, int]]
    skipped: Mapping[int, bool]
    definitions: Mapping[str, Definition]
    regions: Sequence[tuple[int, int]]
    html_blocks: Sequence[tuple[int, int]]
    env: dict[str, Any]


def markdown_blocks(source: str) -> MarkdownBlocks:
    """The blocks of the Markdown text ``source`` (front matter is blanked out before parsing,
    its lines kept, so that line numbers match)."""
    begin = 1 if source.startswith(BYTE_ORDER_MARK) else 0
    lines = _lines(source, begin)
    front = _FRONT_MATTER.match(source, begin)
    front_end = front.end() if front is not None else begin
    body = source[begin:]
    if front_end > begin:
        body = "\n" * len(_LINE_BREAK.findall(source, begin, front_end)) + source[front_end:]

    def offset(line: int) -> int:
        return lines[line][0] if line < len(lines) else len(source)

    env: dict[str, Any] = {}
    skipped: dict[int, bool] = {}
    inline: list[tuple[int, int]] = []
    html_blocks: list[tuple[int, int]] = []
    cells: dict[tuple[int, int], int] = {}
    in_cell = False
    for token in block_parser().parse(body, env):
        in_cell = token.type in ("th_open", "td_open") or (in_cell and token.type == "inline")
        if token.map is None:
            continue
        first, last = token.map
        span = (offset(first), offset(last))
        if token.type in ("code_block", "fence"):
            skipped.update((number, number == first) for number in range(first, last))
        elif token.type == "inline" and in_cell:
            if span not in cells:
                inline.append(span)
            cells[span] = cells.get(span, 0) + 1
        elif token.type == "inline":
            inline.append(span)
        elif token.type == "html_block":
            html_blocks.append(span)
    # A label defined again is still a definition (the first one counts): no prose either.
    duplicates = [(found["label"], found) for found in env.get("duplicate_refs", ())]
    for label, reference in [*env.get("references", {}).items(), *duplicates]:
        if label.startswith("^"):
            continue  # a footnote ("[^1]: …"), read as such
        first, last = reference["map"]
        skipped.update((number, number == first) for number in range(first, last))
    regions: list[tuple[int, int]] = []
    for span in inline:
        if span in cells:
            regions.extend(_table_cells(source, *span)[: cells[span]])
        else:
            regions.append(span)
    return MarkdownBlocks(
        begin,
        front_end,
        lines,
        skipped,
        _definitions(source, offset, env),
        regions,
        html_blocks,
        env,
    )


def _lines(source: str, begin: int) -> list[tuple[int, int]]:
    """The lines of ``source`` from ``begin`` as (start, end) without their line break."""
    lines = []
    start = begin
    for match in _LINE_BREAK.finditer(source, begin):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(source)))
    return lines


def _definitions(source: str, offset: Any, env: Mapping[str, object]) -> dict[str, Definition]:
    """The link reference definitions the parser found, read again from their source lines
    (``offset`` gives where a line starts) so that destinations keep the author's spelling."""
    references = env.get("references")
    if not isinstance(references, dict):
        return {}
    found: dict[str, Definition] = {}
    for key, reference in references.items():
        if not isinstance(reference, dict):
            continue
        written_title = reference.get("title")
        found[key] = Definition(
            str(reference.get("href", "")), str(written_title) if written_title else None
        )
        span = reference.get("map")
        if isinstance(span, list) and len(span) == 2:
            again = _definition(source[offset(span[0]) : offset(span[1])], key)
            if again is not None:
                found[key] = again
    return found


def _definition(block: str, key: str) -> Definition | None:
    """The definition of ``key`` written in ``block`` (its lines), or None if it cannot be read
    there."""
    prefix = _QUOTE_PREFIX.match(block)
    label = LINK_LABEL.match(block, prefix.end() if prefix else 0)
    if label is None or normalise_label(label.group(1)) != key:
        return None
    if not block.startswith(":", label.end()):
        return None
    position, _ = skip_space(block, label.end() + 1, len(block))
    found = destination(block, position, len(block))
    if found is None:
        return None
    url, position = found
    parsed_title: str | None = None
    after, spaced = skip_space(block, position, len(block))
    written = title(block, after, len(block)) if spaced else None
    if written is not None:
        parsed_title = decode(written[0])
    return Definition(decode(url), parsed_title)


def _table_cells(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a table row, split on its unescaped pipes as GFM tables are (before any
    inline parsing: a pipe in a link or a code span splits it too)."""
    prefix = _QUOTE_PREFIX.match(source, start, end)
    position = prefix.end() if prefix else start
    stop = end
    while stop > position and source[stop - 1] in " \t\r\n":
        stop -= 1
    bounds = [position]
    scan = position
    while scan < stop:
        if source[scan] == "\\":
            scan += 2
            continue
        if source[scan] == "|":
            bounds.append(scan)
            bounds.append(scan + 1)
        scan += 1
    bounds.append(stop)
    spans = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if spans and spans[0][0] == spans[0][1]:
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    return spans
