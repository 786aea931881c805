"""Markdown's inline link syntax, as CommonMark reads it: the one scanner of links, images,
code spans, autolinks and raw HTML in a paragraph, a heading or a table cell.

:meth:`InlineScan.of` reads a range of inline content in one left-to-right pass that finds the
code spans and pairs the brackets, then resolves the links innermost first, following
CommonMark's precedence: code spans, autolinks and raw HTML bind first, then brackets; a link
may not contain another link (the inner one wins), an image may. The prose reader reads a
statement's text with it (``extract``, coverage), the link walk (:func:`markdown_links`) the
links that ``robustify`` rewrites.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Mapping
from typing import Final

import attrs

from ._links import StatementLink

__all__ = [
    "AUTOLINK",
    "CLOSE_TAG",
    "LINK_LABEL",
    "OPEN_TAG",
    "Definition",
    "InlineScan",
    "decode",
    "destination",
    "html_or_autolink_end",
    "normalise_label",
    "skip_space",
    "title",
]

ESCAPABLE: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DECODE: Final = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});"
)
AUTOLINK: Final = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x1f\x7f]*)>")
"""A CommonMark autolink, ``<scheme:…>``; its URL is group 1."""
_EMAIL_AUTOLINK: Final = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>")
_ATTRIBUTE: Final = (
    r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
)
OPEN_TAG: Final = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*){_ATTRIBUTE}*\s*/?>")
"""A start tag of CommonMark's raw HTML; its name is group 1."""
CLOSE_TAG: Final = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
"""An end tag of CommonMark's raw HTML; its name is group 1."""
_OTHER_HTML: Final = re.compile(
    r"<!-->|<!--->|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>", re.DOTALL
)
LINK_LABEL: Final = re.compile(r"\[((?:[^\\\[\]]|\\.){0,999})\]", re.DOTALL)
"""A link label, ``[…]``: at most 999 characters, brackets only escaped."""
_MAX_PARENTHESES: Final = 32  # nested in a link destination, as markdown-it-py reads one
_BLANK_LINE_AHEAD: Final = re.compile(r"[ \t]*[\r\n]")
_BLANK: Final = re.compile(r"\s*")


def decode(value: str) -> str:
    """Backslash escapes and character references decoded, as CommonMark does in link
    destinations and titles."""
    return _DECODE.sub(lambda m: m.group(1) or html.unescape(m.group(0)), value)


def normalise_label(label: str) -> str:
    """A link label as CommonMark matches it to a definition: whitespace collapsed, case
    folded (as markdown-it-py's ``normalizeReference``)."""
    return " ".join(label.split()).lower().upper()


def html_or_autolink_end(text: str, start: int, end: int) -> int | None:
    """Past the autolink or raw HTML at ``start`` (a ``<``), if there is one."""
    for pattern in (AUTOLINK, _EMAIL_AUTOLINK, OPEN_TAG, CLOSE_TAG, _OTHER_HTML):
        match = pattern.match(text, start, end)
        if match is not None:
            return match.end()
    return None


def skip_space(text: str, position: int, end: int) -> tuple[int, bool]:
    """Past spaces and tabs and at most one line ending; and whether any were skipped."""
    start = position
    newline = False
    while position < end:
        char = text[position]
        if char in " \t":
            position += 1
        elif char in "\r\n" and not newline:
            newline = True
            position += 2 if text.startswith("\r\n", position) else 1
        else:
            break
    return position, position > start


def destination(text: str, position: int, end: int) -> tuple[str, int] | None:
    """A link destination at ``position``: ``<…>`` or a run without spaces or control
    characters whose parentheses balance; as written, and the position after it."""
    if position < end and text[position] == "<":
        scan = position + 1
        while scan < end:
            char = text[scan]
            if char == "\\" and scan + 1 < end:
                scan += 2
                continue
            if char in "\n\r<":
                return None
            if char == ">":
                return text[position + 1 : scan], scan + 1
            scan += 1
        return None
    scan = position
    depth = 0
    while scan < end:
        char = text[scan]
        if char == "\\" and scan + 1 < end and text[scan + 1] in ESCAPABLE:
            scan += 2
            continue
        if char <= " " or char == "\x7f":
            break
        if char == "(":
            depth += 1
            if depth > _MAX_PARENTHESES:
                return None
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        scan += 1
    if scan == position or depth != 0:
        return None
    return text[position:scan], scan


@attrs.define
class _TitleStops:
    """Where a title's scan stops, remembered for each closing mark and range end: a paragraph
    of a thousand unclosed titles is not searched a thousand times. A scan from ``start``
    stops where the answer for a scan from an earlier start did, if it started at or before
    that place: nothing between decides otherwise (an answer of -1, nowhere, holds for any
    later start)."""

    known: dict[tuple[str, int], tuple[int, int]] = attrs.Factory(dict)

    def stop(self, text: str, closer: str, start: int, end: int) -> int:
        found = self.known.get((closer, end))
        if found is not None and found[0] <= start and (found[1] < 0 or start <= found[1]):
            return found[1]
        stop = _title_stop(text, closer, start, end)
        self.known[closer, end] = (start, stop)
        return stop


def _title_stop(text: str, closer: str, start: int, end: int) -> int:
    """Where a title closed by ``closer`` and starting at ``start`` stops: at its closing mark,
    at an opening ``(`` (in a parenthesised title) or at a blank line; -1 when nothing stops it
    before ``end``."""
    scan = start
    while scan < end:
        char = text[scan]
        if char == "\\" and scan + 1 < end:
            scan += 2
            continue
        if char == closer or (closer == ")" and char == "("):
            return scan
        if char in "\r\n" and _BLANK_LINE_AHEAD.match(text, scan + 1, end):
            return scan
        scan += 1
    return -1


def title(
    text: str, position: int, end: int, stops: _TitleStops | None = None
) -> tuple[str, int] | None:
    """A link title at ``position``: ``"…"``, ``'…'`` or ``(…)``, without a blank line; as
    written, and the position after it."""
    if position >= end or text[position] not in "\"'(":
        return None
    closer = ")" if text[position] == "(" else text[position]
    if stops is None:
        stop = _title_stop(text, closer, position + 1, end)
    else:
        stop = stops.stop(text, closer, position + 1, end)
    if stop < 0 or text[stop] != closer:
        return None
    return text[position + 1 : stop], stop + 1


def _inline_tail(
    text: str, position: int, end: int, stops: _TitleStops | None = None
) -> tuple[str, str | None, int] | None:
    """The ``(destination "title")`` of an inline link at ``position`` (a ``(``): the decoded
    destination and title, and the position after the ``)``."""
    if position >= end or text[position] != "(":
        return None
    scan, _ = skip_space(text, position + 1, end)
    if scan < end and text[scan] == ")":
        return "", None, scan + 1
    found = destination(text, scan, end)
    if found is None:
        return None
    written, scan = found
    found_title: str | None = None
    after, spaced = skip_space(text, scan, end)
    if spaced and after < end and text[after] in "\"'(":
        titled = title(text, after, end, stops)
        if titled is None:
            return None
        found_title, scan = titled
        scan, _ = skip_space(text, scan, end)
    else:
        scan = after
    if scan >= end or text[scan] != ")":
        return None
    return decode(written), decode(found_title) if found_title is not None else None, scan + 1


@attrs.frozen
class Definition:
    """A link reference definition, ``[label]: url "title"``: its destination and title,
    decoded."""

    url: str
    title: str | None


class _MinTree:
    """The least value over a range of slots, with slots lowered one at a time (a segment
    tree): whether a range of brackets holds a link ending before a place, in logarithmic
    time."""

    def __init__(self, size: int) -> None:
        self.size = 1 << max(size - 1, 0).bit_length()
        self.values = [float("inf")] * (2 * self.size)

    def set(self, index: int, value: float) -> None:
        index += self.size
        self.values[index] = value
        while index > 1:
            index //= 2
            self.values[index] = min(self.values[2 * index], self.values[2 * index + 1])

    def least(self, low: int, high: int) -> float:
        """The least value of the slots ``low`` to ``high`` (exclusive)."""
        best = float("inf")
        low += self.size
        high += self.size
        while low < high:
            if low & 1:
                best = min(best, self.values[low])
                low += 1
            if high & 1:
                high -= 1
                best = min(best, self.values[high])
            low //= 2
            high //= 2
        return best


@attrs.define
class InlineScan:
    """The inline structure of ``source[start:end]``: code spans, paired brackets, links and
    images (see the module documentation).

    - ``code``: for each backtick run that starts a code span, where the span ends; for a run
      that closes none, where the run ends (reading resumes there either way).
    - ``closers``/``opened``: each ``[`` and its ``]``, and back.
    - ``links``: the links and images by the position of their ``[``; ``images`` which of them
      are images (the ``!`` is just before).
    - ``blocked``: the ``[`` of brackets that would make a link but hold one (links do not
      contain links), in order.
    """

    source: str
    start: int
    end: int
    definitions: Mapping[str, Definition]
    code: dict[int, int] = attrs.Factory(dict)
    closers: dict[int, int] = attrs.Factory(dict)
    opened: dict[int, int] = attrs.Factory(dict)
    images: set[int] = attrs.Factory(set)
    links: dict[int, StatementLink] = attrs.Factory(dict)
    blocked: list[int] = attrs.Factory(list)
    stops: _TitleStops = attrs.Factory(_TitleStops)

    @classmethod
    def of(
        cls, source: str, start: int, end: int, definitions: Mapping[str, Definition]
    ) -> InlineScan:
        scan = cls(source, start, end, definitions)
        scan._pair()
        scan._resolve()
        return scan

    def _pair(self) -> None:
        """One pass: code spans, raw HTML and autolinks stepped over, brackets paired."""
        text, start, end = self.source, self.start, self.end
        runs: dict[int, list[int]] = {}
        for match in re.finditer("`+", text[start:end]):
            runs.setdefault(len(match.group()), []).append(start + match.start())
        openers: list[int] = []
        escaped = -1
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                escaped = position + 1
                position += 2
            elif char == "`":
                stop = position
                while stop < end and text[stop] == "`":
                    stop += 1
                size = stop - position
                same = runs.get(size, [])
                following = bisect.bisect_right(same, position)
                closing = same[following] if following < len(same) else None
                self.code[position] = closing + size if closing is not None else stop
                position = self.code[position]
            elif char == "<":
                skip = html_or_autolink_end(text, position, end)
                position = skip if skip is not None else position + 1
            else:
                if char == "[":
                    openers.append(position)
                    if position > start and text[position - 1] == "!" and escaped != position - 1:
                        self.images.add(position)
                elif char == "]" and openers:
                    self.closers[openers.pop()] = position
                position += 1
        self.opened = {close: opener for opener, close in self.closers.items()}

    def _resolve(self) -> None:
        """The links, innermost first: a bracket pair holding a link (not an image) whose end
        is within it makes none."""
        inside = sorted(self.closers)
        slot = {opener: index for index, opener in enumerate(inside)}
        held = _MinTree(len(inside))  # each link's end, at its "[" (images are no links)
        for opener in sorted(self.closers, key=self.closers.__getitem__):
            close = self.closers[opener]
            first = bisect.bisect_right(inside, opener)
            last = bisect.bisect_left(inside, close)
            nested = first < last and held.least(first, last) <= close
            link = self._link_at(opener, close)
            if link is not None and nested and opener not in self.images:
                self.blocked.append(opener)
            elif link is not None:
                self.links[opener] = link
                if opener not in self.images:
                    held.set(slot[opener], link.end)
        self.blocked.sort()

    def _link_at(self, start: int, close: int) -> StatementLink | None:
        """The link (inline or reference) whose text is between ``start`` (a ``[``) and
        ``close`` (its ``]``)."""
        text, end = self.source, self.end
        tail = _inline_tail(text, close + 1, end, self.stops)
        if tail is not None:
            url, found_title, stop = tail
            return StatementLink("inline", start, stop, url, found_title, start + 1, close)
        if text.startswith("(", close + 1) and _BLANK.fullmatch(text, close + 2, end):
            return None  # "[ref](" ending the paragraph: markdown-it makes no link of it
        label = LINK_LABEL.match(text, close + 1, end)
        if label is not None:
            name = label.group(1) if label.group(1).strip() else text[start + 1 : close]
            definition = self.definition(name)
            stop = label.end()
        elif close + 1 in self.closers:  # "[ref][[x]]": not a shortcut reference either
            return None
        else:
            definition = self.definition(text[start + 1 : close])
            stop = close + 1
        if definition is None:
            return None
        return StatementLink(
            "reference", start, stop, definition.url, definition.title, start + 1, close
        )

    def definition(self, label: str) -> Definition | None:
        """The definition of ``label``, if the statement has one."""
        if not self.definitions:
            return None
        return self.definitions.get(normalise_label(label))

    def reference_before(self, position: int, labels: set[int]) -> int | None:
        """The ``[`` of the brackets just before ``position`` when they name a reference but
        are no link (they are followed by a link); ``labels`` are the ``[`` of the labels of
        the reference links read so far (``[text][label]``: "[label]" is no link either)."""
        before = self.opened.get(position - 1)
        if before is None or before in self.links or before in labels:
            return None
        label = self.source[before + 1 : position - 1]
        if label.strip() and self.definition(label) is not None:
            return before
        return None
