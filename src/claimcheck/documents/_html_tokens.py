"""HTML as the HTML tokenizer reads it, for finding a statement's links: the ``<a>`` start tags
with their source offsets (:func:`html_anchors`), their attributes with their spans in the tag
(:func:`tag_attributes`), and what the tokenizer makes of what follows a tag
(:class:`HtmlContext`: markup, or the text content of a ``<textarea>``, ``<title>``,
``<script>``…, whose ``<a …>`` is no link).

The standard library's tokenizer (``html.parser``) gives each tag's source position; where its
rules differ between Python releases (text content, script data, bogus comments), the rules of
the HTML standard are applied here instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import cast

import attrs

from ._lines import LineIndex
from ._links import HTML_SPACE, StatementLink

__all__ = [
    "HtmlContext",
    "TagAttribute",
    "anchor_link",
    "attribute_map",
    "first_attribute",
    "html_anchors",
    "html_links",
    "tag_attributes",
]


@attrs.frozen
class TagAttribute:
    """One attribute of a start tag: its lower-cased name, its span in the tag's text (from
    the name to the end of the value) and its value with character references decoded."""

    name: str
    start: int
    end: int
    value: str | None


_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")


def tag_attributes(tag: str) -> tuple[list[TagAttribute], int]:
    """The attributes of a start tag's source text, and where a new attribute may go (after the
    last one), following the HTML tokenizer's attribute states."""
    name_match = _TAG_NAME.match(tag)
    position = name_match.end() if name_match else 1
    insert_at = position
    found: list[TagAttribute] = []
    length = len(tag)
    while position < length:
        char = tag[position]
        if char in HTML_SPACE or char == "/":
            position += 1
            continue
        if char == ">":
            break
        start = position
        position += 1  # the first character may be "=" (it is then part of the name)
        while position < length and tag[position] not in HTML_SPACE and tag[position] not in "/>=":
            position += 1
        name = tag[start:position].lower()
        end = position
        look = position
        while look < length and tag[look] in HTML_SPACE:
            look += 1
        value: str | None = None
        if look < length and tag[look] == "=":
            look += 1
            while look < length and tag[look] in HTML_SPACE:
                look += 1
            if look < length and tag[look] in "\"'":
                close = tag.find(tag[look], look + 1)
                close = length - 1 if close < 0 else close
                value, end = tag[look + 1 : close], close + 1
            else:
                stop = look
                while stop < length and tag[stop] not in HTML_SPACE and tag[stop] != ">":
                    stop += 1
                value, end = tag[look:stop], stop
            position = end
        found.append(
            TagAttribute(name, start, end, html.unescape(value) if value is not None else None)
        )
        insert_at = end
    return found, insert_at


def first_attribute(attributes: Sequence[TagAttribute], name: str) -> TagAttribute | None:
    return next((attribute for attribute in attributes if attribute.name == name), None)


# The elements whose content the HTML tokenizer reads as text, not markup, up to their end tag
# (the tree builder switches it to the RAWTEXT state for the first six, to RCDATA for <title>
# and <textarea>, to script data for <script>) or, for <plaintext>, to the end of the document.
# <noscript> is left out: its content is markup when scripting is off (as lxml and html.parser
# read it), and is not displayed when scripting is on, so a link in it may be decorated.
_TEXT_ELEMENTS = frozenset(
    {"style", "xmp", "iframe", "noembed", "noframes", "script", "title", "textarea", "plaintext"}
)
# Start tags (and the end tags </p> and </br>) that end SVG or MathML content.
_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img"
    " li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul"
    " var".split()
)
_MATHML_TEXT_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext"})
_SVG_HTML_POINTS = frozenset({"foreignobject", "desc", "title"})
_HTML_ENCODINGS = ("text/html", "application/xhtml+xml")


@attrs.define
class HtmlContext:
    """What the HTML tokenizer makes of what follows a tag: markup, or the text content of an
    element (``text``: ``<textarea>``, ``<title>``, ``<script>``… up to their end tag,
    ``<plaintext>`` to the end), whose ``<a …>`` is no link and must be left as it is.

    Only in HTML content: in SVG and MathML (``foreign``: the open foreign elements, as
    (namespace, name, whether it is an HTML integration point)) ``<title>``, ``<style>`` and
    ``<script>`` are ordinary elements, and ``<x/>`` is an empty one. A self-closing ``<title/>``
    does not open text in HTML content either (browsers would read a start tag; XHTML an empty
    element), as ``html.parser`` reads it. An approximation of the tree builder, as the
    standard library's own (Python 3.14) is: HTML elements are not tracked."""

    text: str | None = None
    foreign: list[tuple[str, str, bool]] = attrs.Factory(list)

    def _html_rules(self, tag: str | None = None) -> bool:
        """Whether the start tag ``tag`` (without one: any start tag) is read by the rules for
        HTML content."""
        if not self.foreign:
            return True
        namespace, name, point = self.foreign[-1]
        if namespace == "math" and name in _MATHML_TEXT_POINTS:
            return tag not in ("mglyph", "malignmark")
        return point or (namespace == "math" and name == "annotation-xml" and tag == "svg")

    def _leave_foreign(self) -> None:
        while not self._html_rules():
            self.foreign.pop()

    def block(self) -> None:
        """Follow the tags a Markdown renderer writes around a paragraph, heading, list item or
        table (``<p>``, ``</p>``, ``<h1>``…): outside text, they end SVG and MathML content."""
        if self.text is None:
            self._leave_foreign()

    def start(self, tag: str, attributes: Mapping[str, str | None], closed: bool) -> None:
        """Follow the start tag ``tag`` (lower case; ``closed``: written ``<tag … />``)."""
        if not self._html_rules(tag):
            font = tag == "font" and not {"color", "face", "size"}.isdisjoint(attributes)
            if tag not in _BREAKOUT and not font:
                if not closed:
                    namespace = self.foreign[-1][0]
                    encoding = (attributes.get("encoding") or "").lower()
                    point = (
                        tag in _SVG_HTML_POINTS
                        if namespace == "svg"
                        else tag == "annotation-xml" and encoding in _HTML_ENCODINGS
                    )
                    self.foreign.append((namespace, tag, point))
                return
            self._leave_foreign()
        if tag in ("svg", "math"):
            if not closed:
                self.foreign.append((tag, tag, False))
        elif tag in _TEXT_ELEMENTS and not closed:
            self.text = tag

    def end(self, tag: str) -> None:
        """Follow the end tag ``tag`` (lower case)."""
        if self.text is not None:
            if tag == self.text and tag != "plaintext":
                self.text = None
            return
        if not self.foreign:
            return
        if tag in ("p", "br") and not self._html_rules():
            self._leave_foreign()
            return
        for index in range(len(self.foreign) - 1, -1, -1):
            if self.foreign[index][1] == tag:
                del self.foreign[index:]
                return


def attribute_map(tag: str) -> dict[str, str | None]:
    """The attributes of a start tag's source text by name (the first of each name counts)."""
    return {a.name: a.value for a in reversed(tag_attributes(tag)[0])}


# --- HTML documents ------------------------------------------------------------------------


_SCRIPT_END = re.compile(r"</script(?=[\t\n\r\f />])", re.IGNORECASE)
# What changes the state of the HTML tokenizer in script data, in its escaped state ("<!--"),
# and in its double escaped state ("<!--" then "<script"), where "</script>" does not end it.
_SCRIPT_STATES = {
    "data": re.compile(r"(<!--)|</script(?=[\t\n\r\f />])", re.IGNORECASE),
    "escaped": re.compile(r"(-->)|</script(?=[\t\n\r\f />])|(<script[\t\n\r\f />])", re.I),
    "double": re.compile(r"(-->)|(</script[\t\n\r\f />])", re.IGNORECASE),
}


def _script_end(text: str, position: int) -> int | None:
    """Where the script whose content starts at ``position`` ends (the ``<`` of its end tag),
    following the tokenizer's script data states: ``document.write('<script …></script>')``
    between ``<!--`` and ``-->`` does not end it."""
    state = "data"
    while (found := _SCRIPT_STATES[state].search(text, position)) is not None:
        if state == "data" and found.group(1):
            state, position = "escaped", found.end() - 2  # "<!-->" opens and closes
        elif state == "escaped" and found.group(2):
            state, position = "double", found.end() - 1
        elif found.group(1):  # "-->"
            state, position = "data", found.end()
        elif state == "double":  # "</script" ends the double escape only
            state, position = "escaped", found.end() - 1
        else:
            return found.start()
    return None


class _ScriptEnd:
    """The ``interesting`` pattern of :class:`_AnchorFinder` in a script: finds the end tag
    that ends it (:func:`_script_end`)."""

    def search(self, text: str, position: int = 0) -> re.Match[str] | None:
        end = _script_end(text, position)
        return None if end is None else _SCRIPT_END.match(text, end)

    def match(self, text: str, position: int = 0) -> re.Match[str] | None:
        return _SCRIPT_END.match(text, position)


# The rest of an end tag after its name, up to its ">" (which a quoted value may hold).
_END_TAG_REST = re.compile(
    r"""(?:=[\t\n\r\f ]*(?:"[^"]*"|'[^']*')|=(?![\t\n\r\f ]*["'])|[^>=])*>"""
)


class _PlaintextError(Exception):
    """Stops the tokenizer at ``<plaintext>``: the rest of the document is text."""


class _AnchorFinder(HTMLParser):
    """Finds the ``<a>`` start tags of an HTML text with their source offsets, but not in the
    elements whose content is text (``<textarea>``, ``<title>``, ``<script>``…: see
    :class:`HtmlContext`, which decides that, not ``html.parser``: its rules differ between
    Python releases)."""

    def __init__(self, text: str, context: HtmlContext) -> None:
        super().__init__(convert_charrefs=True)
        self._text = text
        self._lines = LineIndex(text)
        self.context = context
        self.anchors: list[tuple[int, str]] = []
        if context.text is not None:  # opened before (a Markdown HTML block after a paragraph)
            self._read_text(context.text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        self.context.end(tag)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag == "a":
            raw = self.get_starttag_text()
            line, column = self.getpos()
            offset = self._lines.offset(line, column + 1)
            if raw is not None and offset is not None and self._text.startswith(raw, offset):
                self.anchors.append((offset, raw))
        self.context.start(tag, dict(reversed(attrs)), closed)
        if self.context.text is not None:
            self._read_text(self.context.text)

    def _read_text(self, element: str) -> None:
        """Read what follows as the text content of ``element``, up to its end tag: ``</name``
        then a space, ``/`` or ``>``, as the HTML tokenizer ends it."""
        if element == "plaintext":
            raise _PlaintextError
        super().set_cdata_mode(element)
        if element == "script":
            self.interesting = cast("re.Pattern[str]", _ScriptEnd())
        else:
            self.interesting = re.compile(rf"</{element}(?=[\t\n\r\f />])", re.IGNORECASE)

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        """Ignored: :meth:`_read_text` is called where :class:`HtmlContext` says."""

    def parse_endtag(self, i: int) -> int:
        """The end tag of an element whose content is text ends it even with attributes
        (``</textarea class=x>``), as the HTML tokenizer reads it; Python 3.11's parser reads
        such a tag as more text."""
        if self.cdata_elem is not None and self.interesting.match(self.rawdata, i):
            rest = _END_TAG_REST.match(self.rawdata, i + 2 + len(self.cdata_elem))
            if rest is None:
                return -1  # not complete: text (at the end of the input)
            self.handle_endtag(self.cdata_elem)
            self.clear_cdata_mode()
            return rest.end()
        return super().parse_endtag(i)

    def parse_html_declaration(self, i: int) -> int:
        """``<![`` other than ``<![CDATA[`` is a bogus comment up to the next ``>`` (HTML's
        tokenizer); Python 3.11's parser raises an ``AssertionError`` on it."""
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)


def html_anchors(text: str, context: HtmlContext | None = None) -> list[tuple[int, str]]:
    """The ``<a>`` start tags of ``text`` (offset, source), with ``context`` as it stands
    before ``text``; ``context`` is left as it stands after it."""
    context = context if context is not None else HtmlContext()
    if context.text == "plaintext":
        return []
    finder = _AnchorFinder(text, context)
    try:
        finder.feed(text)
        finder.close()
    except AssertionError:  # the standard parser's last resort on malformed markup
        pass
    except _PlaintextError:
        pass
    return finder.anchors


def anchor_link(offset: int, tag: str) -> StatementLink:
    """The link of the ``<a …>`` start tag ``tag`` found at ``offset``: its ``href`` (empty
    when it has none)."""
    href = attribute_map(tag).get("href")
    return StatementLink("anchor", offset, offset + len(tag), href or "")


def html_links(source: str) -> tuple[StatementLink, ...]:
    """The ``<a>`` start tags of the HTML statement ``source`` that are links (not in the text
    content of a ``<textarea>``, ``<script>``…), in order."""
    return tuple(anchor_link(offset, tag) for offset, tag in html_anchors(source))
