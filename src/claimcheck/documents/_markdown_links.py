"""The links of a Markdown statement as a renderer and a browser read them: Markdown links and
autolinks in the inline content, ``<a href>`` tags inline and in HTML blocks, in document
order, region by region (what ``robustify`` rewrites).

Raw HTML is followed as a browser would read the rendered page (:class:`HtmlContext`, kept
from region to region): in a ``<textarea>``, ``<title>``, ``<script>``… what Markdown renders
is text, so its links are no links. Links inside an ``<a>`` element and inside images are none
either.
"""

from __future__ import annotations

import bisect

import attrs

from ._html_tokens import HtmlContext, anchor_link, attribute_map, html_anchors
from ._links import StatementLink
from ._markdown_blocks import MarkdownBlocks, block_parser, markdown_blocks
from ._markdown_inline import (
    AUTOLINK,
    CLOSE_TAG,
    LINK_LABEL,
    OPEN_TAG,
    InlineScan,
    html_or_autolink_end,
)

__all__ = ["LinkRegion", "MarkdownLinks", "markdown_links"]


@attrs.frozen
class LinkRegion:
    """A stretch of a Markdown statement and its links, in order: inline content (a paragraph,
    a heading, a table cell), whose links are Markdown links, autolinks and inline ``<a>``
    start tags, or an HTML block (``html``), whose links are ``<a>`` start tags."""

    start: int
    end: int
    html: bool
    links: tuple[StatementLink, ...]


@attrs.frozen
class MarkdownLinks:
    """The links of a Markdown statement by region, and its blocks (for rendering them)."""

    blocks: MarkdownBlocks
    regions: tuple[LinkRegion, ...]


def markdown_links(source: str) -> MarkdownLinks:
    """The links of the Markdown statement ``source``, region by region in document order
    (see the module documentation)."""
    blocks = markdown_blocks(source)
    context = HtmlContext()
    spans = [(start, end, False) for start, end in blocks.regions]
    spans += [(start, end, True) for start, end in blocks.html_blocks]
    regions = []
    # In document order: a <textarea> left open in one makes text of the next.
    for start, end, html in sorted(spans):
        if html:
            anchors = html_anchors(source[start:end], context)
            links = tuple(anchor_link(start + offset, tag) for offset, tag in anchors)
        else:
            scan = InlineScan.of(source, start, end, blocks.definitions)
            links = _Walk(source, scan, context).run()
        regions.append(LinkRegion(start, end, html, links))
    return MarkdownLinks(blocks, tuple(regions))


@attrs.define
class _Walk:
    """One region read left to right: its links, the raw HTML followed in the context."""

    source: str
    scan: InlineScan
    context: HtmlContext
    found: list[StatementLink] = attrs.Factory(list)
    labels: set[int] = attrs.Factory(set)

    def run(self) -> tuple[StatementLink, ...]:
        text, scan, context = self.source, self.scan, self.context
        end = scan.end
        context.block()
        position = scan.start
        in_anchor = False
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                position = scan.code.get(position, position + 1)
            elif char == "<":
                position, in_anchor = self._angle(position, in_anchor)
            elif context.text is not None:
                position += 1  # in a <textarea>, <title>, <script>…: text, no links
            elif char == "[" and position in scan.links:
                position = self._link(position, in_anchor)
            else:
                position += 1
        context.block()
        return tuple(self.found)

    def _link(self, position: int, in_anchor: bool) -> int:
        """Take the link or image whose ``[`` is at ``position``; return its end."""
        scan = self.scan
        link = scan.links[position]
        if link.text_end is not None and link.end > link.text_end + 1:
            self.labels.add(link.text_end + 1)  # "[text][label]": "[label]" is no link
        image = position in scan.images
        if not image and not in_anchor:
            ambiguous = False
            if scan.reference_before(position, self.labels) is not None:
                label_end = (link.text_end or position) + 1
                # "[ref][[x]](url)": renderers disagree on whether "[ref]" is a link
                ambiguous = not LINK_LABEL.fullmatch(self.source, position, label_end)
            self.found.append(
                attrs.evolve(link, escapes=self._escapes(position), ambiguous=ambiguous)
            )
        if not image and link.text_end is not None:
            # (an image's text renders as its alt, without tags)
            self._follow_tags(link.text_start or position, link.text_end)
        return link.end

    def _escapes(self, position: int) -> tuple[int, ...]:
        """The ``[`` that the syntax of the link at ``position`` keeps from being a link:
        brackets around it (links may not contain links), and brackets just before it naming
        a reference (``[ref][text](url)`` holds no shortcut reference, ``[ref]<a …>`` does)."""
        scan = self.scan
        enclosing = scan.blocked[: bisect.bisect_left(scan.blocked, position)]
        openers = [opener for opener in enclosing if scan.closers[opener] > position]
        before = scan.reference_before(position, self.labels)
        if before is not None:
            openers.append(before)
        return tuple(openers)

    def _follow_tags(self, start: int, end: int) -> None:
        """Follow the raw HTML of a link's text, which :meth:`run` steps over, in the
        :class:`HtmlContext` (``[<textarea>](url)`` opens a textarea all the same)."""
        text = self.source
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                position = self.scan.code.get(position, position + 1)
            elif char == "<":
                position = self._tag(position)
            else:
                position += 1

    def _angle(self, position: int, in_anchor: bool) -> tuple[int, bool]:
        """Past the autolink, raw HTML or ``<`` at ``position``, taking an autolink or an
        ``<a …>`` tag and following the :class:`HtmlContext`; and whether an ``<a>`` element
        is open."""
        text, end = self.source, self.scan.end
        if self.context.text is None:
            autolink = AUTOLINK.match(text, position, end)
            if autolink is not None:
                if not in_anchor:
                    url = autolink.group(1)
                    shown = block_parser().normalizeLinkText(url)
                    link = StatementLink("autolink", position, autolink.end(), url, shown=shown)
                    self.found.append(attrs.evolve(link, escapes=self._escapes(position)))
                return autolink.end(), in_anchor
            opening = OPEN_TAG.match(text, position, end)
            if opening is not None and opening.group(1).lower() == "a":
                self.found.append(anchor_link(position, opening.group(0)))
                in_anchor = True
            closing = CLOSE_TAG.match(text, position, end)
            if closing is not None and closing.group(1).lower() == "a":
                in_anchor = False
        return self._tag(position), in_anchor

    def _tag(self, position: int) -> int:
        """Past the raw HTML or autolink at ``position`` (a ``<``), or the ``<``, following
        its start or end tag in the :class:`HtmlContext`: in an element whose content is
        text, only its end tag counts."""
        text, end, context = self.source, self.scan.end, self.context
        closing = CLOSE_TAG.match(text, position, end)
        if closing is not None and context.text is not None:
            if closing.group(1).lower() == context.text:
                context.end(context.text)
            return closing.end()
        if closing is not None:
            context.end(closing.group(1).lower())
            return closing.end()
        opening = OPEN_TAG.match(text, position, end)
        if opening is not None and context.text is None:
            tag, name = opening.group(0), opening.group(1).lower()
            attributes = attribute_map(tag) if name in ("font", "annotation-xml") else {}
            context.start(name, attributes, tag.endswith("/>"))
            return opening.end()
        skip = html_or_autolink_end(text, position, end)
        return skip if skip is not None else position + 1
