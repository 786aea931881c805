"""Checking that turning Markdown links into inline HTML leaves a paragraph's rendering as
it was (``robustify``).

Each paragraph is rendered (with ``markdown-it-py``, as a CommonMark renderer would) before and
after; a link whose conversion changes the rendering stays Markdown. When it does change, the
culprits are looked for near the links whose text holds Markdown syntax, then by bisection, so
a long paragraph takes near-linear time, not quadratic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final
from urllib.parse import unquote

import attrs
import lxml.html
from markdown_it import MarkdownIt

__all__ = ["Conversion", "Edit", "RenderCheck", "apply_edits"]

# Characters lxml refuses (it parses only what XML could hold); replaced alike on both sides.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@attrs.frozen
class Edit:
    """A change to the source: its span replaced by ``text`` (an empty span inserts)."""

    start: int
    end: int
    text: str


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    """``source`` with ``edits`` made (an edit overlapping an earlier one is refused rather
    than mangled: overlapping edits never happen)."""
    out: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            continue
        out.append(source[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(source[position:])
    return "".join(out)


@attrs.frozen
class Conversion:
    """A Markdown link made inline HTML: the edits, and the spans of the link and of its text
    in the source (``text`` is None for an autolink)."""

    edits: tuple[Edit, ...]
    start: int
    end: int
    text: tuple[int, int] | None


_RENDERS_DIFFERENTLY = "left as Markdown: as inline HTML it would render differently"
_NOT_CHECKED = (
    "left as Markdown: its paragraph has too many links that would render differently as"
    " inline HTML to check this one"
)
_WINDOW = 2048  # characters of risky links checked together near where they are
_MARGIN = 64  # characters of context around them
_SMALL = 1 << 15  # characters any paragraph may render for its checks, however few its links
# Markdown syntax in a link's text that could pair with syntax outside it (emphasis, code,
# brackets, raw HTML, escapes), once the link is inline HTML.
_RISKY = re.compile(r"[\\`*_\[\]<]")


def _windows(pending: Sequence[Conversion], indices: Sequence[int]) -> list[list[int]]:
    """The conversions ``indices`` name, in runs spanning at most :data:`_WINDOW` characters
    (or one longer link)."""
    windows: list[list[int]] = []
    for index in indices:
        if windows and pending[index].end - pending[windows[-1][0]].start <= _WINDOW:
            windows[-1].append(index)
        else:
            windows.append([index])
    return windows


def _render_budget(count: int, length: int) -> int:
    """How many renderings checking ``count`` links in ``length`` characters may take: enough
    to bisect to a few culprits (about 2 log2(count) each), and at least :data:`_SMALL`
    characters' worth (short paragraphs are checked link by link)."""
    return max(4 + 2 * count.bit_length(), _SMALL // max(length, 1))


@attrs.define
class _Trials:
    """Adaptive group testing: which items can be kept together, ``fits`` saying whether a set
    of items can (one rendering), within a budget of ``fits`` calls. With k culprits among n
    items, bisecting finds them in about 2k log2(n/k) calls, instead of n."""

    fits: Callable[[Sequence[int]], bool]
    budget: int
    kept: list[int] = attrs.Factory(list)
    failed: list[int] = attrs.Factory(list)
    unchecked: list[int] = attrs.Factory(list)

    def together(self, items: Sequence[int]) -> bool:
        """Keep ``items`` if they fit, all together, with those kept (one call)."""
        if not items:
            return True
        if self.budget <= 0:
            return False
        self.budget -= 1
        if not self.fits([*self.kept, *items]):
            return False
        self.kept += items
        return True

    def search(self, items: Sequence[int]) -> None:
        """Keep what fits of ``items``: a part that does not fit is halved, down to single
        items, which fail. What the budget leaves untried is unchecked."""
        stack = [list(items)]
        while stack:
            part = stack.pop()
            if not part:
                continue
            if self.budget <= 0:
                self.unchecked += part
            elif not self.together(part):
                if len(part) == 1:
                    self.failed += part
                else:
                    half = len(part) // 2
                    stack += [part[half:], part[:half]]


@attrs.define
class RenderCheck:
    """Renders stretches of a Markdown ``source`` with conversions made, to compare them (see
    the module documentation); ``env`` is the parser environment of its blocks (its link
    reference definitions)."""

    source: str
    env: dict[str, Any]
    parser: MarkdownIt = attrs.Factory(lambda: MarkdownIt("commonmark").enable("table"))
    normalised: dict[str, str] = attrs.Factory(dict)

    def undone(self, start: int, end: int, pending: Sequence[Conversion]) -> dict[int, str]:
        """The conversions of the region from ``start`` to ``end`` to undo (by index in
        ``pending``) and why: those that change its rendering.

        Inline HTML is not Markdown link syntax in every respect: an emphasis mark inside the
        link text may pair with one outside the ``</a>`` (a link's text is a boundary, raw HTML
        is not). So the region is rendered (with markdown-it-py) with and without the
        conversions; those that change the rendering are undone (:meth:`_settle` finds them)."""
        if not pending:
            return {}
        before = self._rendering(start, end, [])
        if self._rendering(start, end, pending) == before:
            return {}
        return self._settle(start, end, pending, before)

    def _settle(
        self, start: int, end: int, pending: Sequence[Conversion], before: list[tuple[str, ...]]
    ) -> dict[int, str]:
        """The conversions to undo (by index in ``pending``) and why, when together they change
        the region's rendering ``before``.

        Rendering the region once per link would take quadratic time on a long paragraph. But a
        link whose text holds no Markdown syntax (no ``*``, ``_``, backtick, bracket, ``<`` or
        backslash) and needs no escaped brackets renders the same as inline HTML: the
        characters on each side of it stay punctuation (``[``/``<``, ``)``/``>``), so emphasis
        around it pairs as before. The others, the risky ones, are checked so:

        1. near where they are: in windows of consecutive risky links (at most
           :data:`_WINDOW` characters, with :data:`_MARGIN` characters of context), rendered
           with and without their conversions; in a window that renders differently, each
           link alone. Those that change the rendering near them are the suspects;
        2. in the whole region: all the conversions but the suspects (one rendering, usually
           the last), or else the plain and the risky ones apart, each bisected to what does
           not fit (:class:`_Trials`); then each suspect (the first few only: one that changes
           the rendering near it is very likely to change the whole region's).

        What is kept is always checked by rendering the whole region: it renders as before.
        The renderings of the region are limited (:func:`_render_budget`), so a region costs
        O(length log links) however its links behave; links left unchecked are undone."""
        count = len(pending)
        if count == 1:
            return {0: _RENDERS_DIFFERENTLY}
        risky = [index for index, conversion in enumerate(pending) if self._risky(conversion)]
        suspects: list[int] = []
        for window in _windows(pending, risky):
            if not self._changes_near(pending, window, start, end):
                continue
            if len(window) == 1:
                suspects += window
            else:
                suspects += [i for i in window if self._changes_near(pending, [i], start, end)]
        suspected = set(suspects)
        trials = _Trials(
            lambda indices: self._rendering(start, end, [pending[i] for i in indices]) == before,
            _render_budget(count, end - start),
        )
        if not trials.together([i for i in range(count) if i not in suspected]):
            chosen = set(risky)
            trials.search([i for i in range(count) if i not in chosen])
            trials.search([i for i in risky if i not in suspected])
        retried = max(4, _SMALL // (end - start))
        for index in suspects[:retried]:
            trials.search([index])
        undone = dict.fromkeys(trials.failed + suspects[retried:], _RENDERS_DIFFERENTLY)
        for index in trials.unchecked:
            undone[index] = _RENDERS_DIFFERENTLY if index in suspected else _NOT_CHECKED
        return undone

    def _risky(self, conversion: Conversion) -> bool:
        """Whether the conversion could change the rendering on its own: its link's text holds
        Markdown syntax, or brackets around it are escaped."""
        if conversion.text is None:  # an autolink: its text is escaped
            return len(conversion.edits) > 1
        return len(conversion.edits) > 2 or bool(_RISKY.search(self.source, *conversion.text))

    def _changes_near(
        self, pending: Sequence[Conversion], indices: Sequence[int], start: int, end: int
    ) -> bool:
        """Whether the conversions change the rendering of the text around them (by
        :data:`_MARGIN` characters, within the region)."""
        low = max(start, pending[indices[0]].start - _MARGIN)
        high = min(end, pending[indices[-1]].end + _MARGIN)
        made = self._rendering(low, high, [pending[i] for i in indices])
        return made != self._rendering(low, high, [])

    def _rendering(
        self, start: int, end: int, conversions: Sequence[Conversion]
    ) -> list[tuple[str, ...]]:
        """What the text between ``start`` and ``end`` renders to with ``conversions`` made
        (their edits outside it left out): each element's tag, text and tail, and for links and
        images their (normalised) URL and title, not the Robust Links attributes."""
        edits = dict.fromkeys(e for c in conversions for e in c.edits)
        moved = [Edit(e.start - start, e.end - start, e.text) for e in edits if start <= e.start]
        fragment = apply_edits(self.source[start:end], [e for e in moved if e.end <= end - start])
        rendered = _NOT_XML.sub("\ufffd", self.parser.renderInline(fragment, self.env))
        tree = lxml.html.fragment_fromstring(rendered, create_parent="div")
        shape: list[tuple[str, ...]] = []
        for element in tree.iter():
            details: tuple[str, ...] = ()
            if element.tag in ("a", "img"):
                url = element.get("href" if element.tag == "a" else "src") or ""
                details = (
                    self._normalise(url),
                    element.get("title") or "",
                    element.get("alt") or "",
                )
            shape.append((str(element.tag), *details, element.text or "", element.tail or ""))
        return shape

    def _normalise(self, url: str) -> str:
        """``url`` as markdown-it-py normalises it, percent-decoded (memoised: a long paragraph
        is rendered several times)."""
        found = self.normalised.get(url)
        if found is None:
            found = self.normalised[url] = unquote(self.parser.normalizeLink(url))
        return found
