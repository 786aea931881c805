"""Markup into prose: HTML tags, comments, character references and bare URLs read into
operations on the prose view, with the links they make. The HTML statement reader
(:func:`read_html`) and the Markdown one (for inline HTML) share it.

Tags leave the prose; block tags (``<p>``, ``<li>``, ``<td>``…) become paragraph breaks,
``<br>`` a line break, ``<q>`` typographic quotation marks; the content of elements that is no
prose (``<script>``, ``<style>``, ``<code>``, ``<pre>``, ``<svg>``…) leaves with them.
Footnote markers (``<sup>``) leave too, but a link in one stays a link: a citation of the
sentence it ends. An ``<a href>`` is a link from its start tag to its ``</a>`` (or to the next
``<a``: links do not nest); bare ``http(s)://`` URLs in the text are links too (their digits
are no figures).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Container
from typing import Final

import attrs

from ._html_tokens import attribute_map
from ._links import StatementLink
from ._markdown_inline import AUTOLINK
from ._prose import Operation

__all__ = ["TAG", "MarkupReader", "read_html", "without_markup"]

_BLOCK_TAGS: Final = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p "
    "section summary table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is not prose: dropped with their tags.
_SKIPPED_TAGS: Final = frozenset(
    "script style template noscript head title textarea code pre kbd samp svg math".split()
)
_TO_END_OF_FILE: Final = frozenset({"script", "style"})  # as browsers read an unclosed one
TAG: Final = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,63})((?:[^>\"']|\"[^\"]{0,4000}\"|'[^']{0,4000}'){0,400})>"
)
"""A start or end tag as the prose reader reads it (leniently: a reader sees no tag there)."""
_COMMENT: Final = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]{0,4000}>", re.S
)
_ENTITY: Final = re.compile(
    r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
)
_BARE_URL: Final = re.compile(r"(?<![\w/@.:-])https?://[^\s<>\"'`\]\[{}|\\^]+", re.IGNORECASE)
_URL_TRAILING: Final = ".,;:!?'\"*_~"
_LINE_SPACE: Final = re.compile(r"[ \t\f\v]*[\r\n]\s*")


def without_markup(markup: str, separator: str = "") -> str:
    """``markup`` as text: comments left out, tags replaced by ``separator``, character
    references decoded."""
    return html.unescape(TAG.sub(separator, _COMMENT.sub("", markup)))


def _bare_url_end(source: str, start: int, end: int) -> int:
    """Where a bare URL starting at ``start`` and running to at most ``end`` ends: trailing
    punctuation and an unbalanced closing parenthesis belong to the sentence (as in GFM)."""
    opened, closed = source.count("(", start, end), source.count(")", start, end)
    while end > start and (
        source[end - 1] in _URL_TRAILING or (source[end - 1] == ")" and opened < closed)
    ):
        closed -= source[end - 1] == ")"
        end -= 1
    return end


@functools.cache
def _end_tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


@attrs.define
class MarkupReader:
    """Reads markup into operations on the prose view and links (see the module
    documentation). ``anchors`` are the offsets of the ``<a>`` start tags that are links (those
    an HTML tokenizer finds: :func:`~claimcheck.documents.html_links`); None when every one
    the reader meets is (inline HTML in Markdown)."""

    source: str
    anchors: Container[int] | None = None
    operations: list[Operation] = attrs.Factory(list)
    links: list[StatementLink] = attrs.Factory(list)
    open_anchors: list[tuple[int, int, str]] = attrs.Factory(list)  # start, text start, url
    # For each element name, the last search for its end tag: (from, found span or None).
    end_tags: dict[str, tuple[int, tuple[int, int] | None]] = attrs.Factory(dict)

    def end_tag(self, name: str, start: int) -> tuple[int, int] | None:
        """The span of the first ``</name>`` at or after ``start``. The last answer for each
        name is kept: it answers any later search starting before what it found (or, when it
        found nothing, any later search), so that a thousand unclosed ``<sup>`` do not each
        search the rest of the statement."""
        known = self.end_tags.get(name)
        if known is not None and known[0] <= start:
            found = known[1]
            if found is None or start <= found[0]:
                return found
        match = _end_tag_pattern(name).search(self.source, start)
        span = None if match is None else match.span()
        self.end_tags[name] = (start, span)
        return span

    def drop(self, start: int, end: int, replacement: str = "") -> None:
        """Leave ``source[start:end]`` out of the prose, or replace it."""
        self.operations.append((start, end, replacement))

    def entity(self, start: int) -> int | None:
        """Decode the character reference at ``start``; return its end, or None if it is
        none."""
        match = _ENTITY.match(self.source, start)
        if match is None:
            return None
        decoded = html.unescape(match.group())
        if decoded == match.group():
            return None
        self.drop(start, match.end(), decoded)
        return match.end()

    def bare_urls(self, start: int, end: int) -> None:
        """Bare http(s) URLs written in prose between ``start`` and ``end``: links, left out of
        the prose (their digits are not figures)."""
        for match in _BARE_URL.finditer(self.source, start, end):
            stop = _bare_url_end(self.source, match.start(), match.end())
            if stop - match.start() > len("https://"):
                url = self.source[match.start() : stop]
                self.links.append(StatementLink("bare", match.start(), stop, url))
                self.drop(match.start(), stop)

    def is_markup(self, start: int) -> bool:
        """Whether a tag or an autolink starts at ``start`` (a ``<``)."""
        return bool(AUTOLINK.match(self.source, start) or TAG.match(self.source, start))

    def markup(self, start: int) -> int | None:
        """Read the tag, comment or autolink at ``start`` (a ``<``); return its end, or None if
        there is none."""
        source = self.source
        autolink = AUTOLINK.match(source, start)
        if autolink is not None:
            link = StatementLink("autolink", start, autolink.end(), autolink.group(1))
            self.links.append(link)
            self.drop(start, autolink.end())
            return autolink.end()
        comment = _COMMENT.match(source, start)
        if comment is not None:
            self.drop(start, comment.end())
            return comment.end()
        tag = TAG.match(source, start)
        if tag is None:
            return None
        return self._tag(start, tag)

    def _tag(self, start: int, tag: re.Match[str]) -> int:
        closing, name, attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        end = tag.end()
        if not closing and name in _SKIPPED_TAGS and not attributes.rstrip().endswith("/"):
            close = self.end_tag(name, end)
            if close is not None:
                end = close[1]
            elif name in _TO_END_OF_FILE:
                end = len(self.source)
            self.drop(start, end, "\n\n" if name in ("pre", "head") else "")
            return end
        if name == "a":
            # An <a> ends at its </a>, or where the next one starts (links do not nest).
            self.close_anchor(end if closing else start, start)
            if not closing and (self.anchors is None or start in self.anchors):
                href = attribute_map(tag.group()).get("href")
                if href is not None:
                    self.open_anchors.append((start, end, href))
        elif name == "sup" and not closing:
            # Footnote markers, and the citation links often put in them: the marker is not
            # prose, a link in it is a source of the sentence it ends.
            close = self.end_tag("sup", end)
            if close is not None:
                self.drop(start, end)
                self.superscript(end, close[0])
                self.drop(*close)
                return close[1]
        if name == "q":
            self.drop(start, end, "”" if closing else "“")
        elif name == "br":
            self.drop(start, end, "\n")
        else:
            self.drop(start, end, "\n\n" if name in _BLOCK_TAGS else "")
        return end

    def superscript(self, start: int, end: int) -> None:
        """Drop the content of a superscript, keeping the links in it."""
        position = start
        while position < end:
            if self.source[position] == "<":
                stop = self.markup(position)
                if stop is not None:
                    position = stop
                    continue
            following = self.source.find("<", position + 1, end)
            stop = end if following < 0 else following
            self.drop(position, stop)
            position = stop

    def close_anchor(self, end: int, text_end: int) -> None:
        if self.open_anchors:
            start, text_start, url = self.open_anchors.pop()
            self.links.append(StatementLink("anchor", start, end, url, None, text_start, text_end))

    def finish(self) -> None:
        """Close the ``<a>`` elements left open (at their start tag's end: their extent is
        unknown)."""
        while self.open_anchors:
            start, text_start, url = self.open_anchors.pop()
            self.links.append(
                StatementLink("anchor", start, text_start, url, None, text_start, text_start)
            )


def read_html(reader: MarkupReader, begin: int) -> None:
    """Read an HTML statement from ``begin``: text content only, whitespace runs with line
    breaks read as one space (HTML breaks paragraphs by its tags, not its lines)."""
    source = reader.source
    position = text_start = begin
    while True:
        following = source.find("<", position)
        if following < 0:
            break
        stop = _html_markup(reader, following, text_start)
        if stop is None:
            position = following + 1
        else:
            position = text_start = stop
    _html_text(reader, text_start, len(source))


def _html_text(reader: MarkupReader, start: int, end: int) -> None:
    """Text between two tags: its line breaks, character references and bare URLs."""
    for match in _LINE_SPACE.finditer(reader.source, start, end):
        reader.drop(match.start(), match.end(), " ")
    position = reader.source.find("&", start, end)
    while position >= 0:
        stop = reader.entity(position)
        position = reader.source.find("&", stop or position + 1, end)
    if not reader.open_anchors:
        reader.bare_urls(start, end)


def _html_markup(reader: MarkupReader, position: int, text_start: int) -> int | None:
    """Read the markup at ``position`` (a ``<``), after the text since ``text_start``."""
    source = reader.source
    if not (TAG.match(source, position) or _COMMENT.match(source, position)):
        return None
    _html_text(reader, text_start, position)
    return reader.markup(position)
