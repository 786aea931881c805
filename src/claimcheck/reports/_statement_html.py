"""The statement as the HTML report shows it: its claims highlighted where they stand, and, for a
statement written in Markdown, the Markdown rendered (headings, paragraphs, emphasis, lists,
block quotes, code, tables, links) rather than shown as written.

**Highlights.** Claims may overlap or nest: the statement is cut at every claim's start and end,
and each piece of text is one element, for the innermost claim that covers it (a piece covered
by several is marked ``nested``). So no element ever straddles another, and a claim inside
another keeps its own colour. A tag after each claim's end names its number and status in words.

**Markdown** is rendered by markdown-it-py (CommonMark, with GFM tables and strikethrough),
safely: raw HTML is shown as text, never passed through; only plain http(s) URLs become links
(:func:`~._display.plain_http_url`: anything else keeps its text, not linked); images show their
alternative text (the page loads nothing); hidden characters are shown as escapes
(:func:`~._display.display_safe`). To keep each highlight on the claim's words, a private-use
character marks each cut in the Markdown before it is rendered, and each text run of the
rendered HTML between two marks is wrapped in its piece's element. Should a mark not come out
once, in order, in text (a cut inside a link's destination, a reference definition, a
statement that holds such characters itself), the statement is shown as written instead: the
highlights are never misplaced.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from html import escape
from typing import Any, Final

from markdown_it import MarkdownIt

from ..model import ClaimResult
from ._display import display_safe, plain_http_url
from ._htmlkit import html_text

__all__ = ["DISPUTED_TAG", "Placed", "anchor", "statement_html"]

Placed = tuple[int, int, int, ClaimResult]
"""A claim placed in the statement: ``(start, end, index in the report, result)``."""

DISPUTED_TAG: Final = ", disputed"

# Supplementary Private Use Area-A: one code point per cut, none of which a statement may hold.
_MARK_BASE: Final = 0xF0000
_MARK_COUNT: Final = 0xFFFE
_MARKS: Final = re.compile("[\U000f0000-\U000ffffd]")
_MARK_OR_TEXT: Final = re.compile("([\U000f0000-\U000ffffd])")
_TAG: Final = re.compile(r"(<[^>]*>)")


def anchor(index: int) -> str:
    """The id of the claim entry of the report's ``index``-th claim."""
    return f"claim-{index + 1}"


def statement_html(
    text: str, placed: Sequence[Placed], *, markdown: bool
) -> tuple[str, set[int], bool]:
    """The statement ``text`` with its claims highlighted, which claims have a highlight, and
    whether the Markdown was rendered (``markdown`` asks for it; see the module
    documentation)."""
    highlights = _Highlights(text, placed)
    if markdown:
        rendered = highlights.markdown()
        if rendered is not None:
            return rendered, highlights.highlighted, True
        highlights = _Highlights(text, placed)
    return highlights.plain(), highlights.highlighted, False


class _Highlights:
    """The pieces of a statement between its claims' boundaries, and the elements that show
    them."""

    def __init__(self, text: str, placed: Sequence[Placed]) -> None:
        self.text = text
        self.placed = placed
        self.cuts = sorted({p[0] for p in placed} | {p[1] for p in placed})
        self.ends: dict[int, list[tuple[int, ClaimResult]]] = {}
        for _, end, index, result in placed:
            self.ends.setdefault(end, []).append((index, result))
        self.highlighted: set[int] = set()

    def covering(self, start: int, end: int) -> tuple[Placed | None, bool]:
        """The innermost claim covering ``text[start:end]``, and whether several do."""
        covering = [p for p in self.placed if p[0] <= start and end <= p[1]]
        if not covering:
            return None, False
        return min(covering, key=lambda p: (p[1] - p[0], p[2])), len(covering) > 1

    def wrap(self, chunk: str, claim: Placed, nested: bool, *, link: bool = True) -> str:
        """``chunk`` (HTML text) as a highlight of ``claim``: a link to its entry, or, inside a
        link of the statement's own (links do not nest), a span."""
        _, _, index, result = claim
        status = result.status.value
        identifier = ""
        if index not in self.highlighted:
            self.highlighted.add(index)
            identifier = f' id="hl-{index + 1}"'
        title = html_text(
            f"{index + 1}. {result.claim.id or result.claim.kind.value}: "
            f"{status}{DISPUTED_TAG if result.disputed else ''}"
        )
        classes = f"hl st-{status}{' nested' if nested else ''}"
        if not link:
            return f'<span class="{classes}"{identifier} title="{title}">{chunk}</span>'
        return (
            f'<a class="{classes}"{identifier} href="#{anchor(index)}" title="{title}">{chunk}</a>'
        )

    def tags(self, offset: int) -> str:
        """The tags of the claims that end at ``offset``: number and status in words."""
        tags = []
        for index, result in sorted(self.ends.get(offset, []), key=lambda item: item[0]):
            status = result.status.value
            flag = DISPUTED_TAG if result.disputed else ""
            tags.append(
                f'<sup class="tag st-{status}"><a href="#{anchor(index)}">'
                f"{index + 1}\u00a0{status}{flag}</a></sup>"
            )
        return "".join(tags)

    def plain(self) -> str:
        """The statement as written (whitespace kept by the style), claims highlighted."""
        pieces: list[str] = []
        cuts = sorted({0, len(self.text), *self.cuts})
        for start, end in itertools.pairwise(cuts):
            claim, nested = self.covering(start, end)
            chunk = html_text(self.text[start:end])
            pieces.append(chunk if claim is None else self.wrap(chunk, claim, nested))
            pieces.append(self.tags(end))
        return "".join(pieces)

    def markdown(self) -> str | None:
        """The statement's Markdown rendered, claims highlighted; None when a cut's mark did
        not come out once, in order, in text (see the module documentation)."""
        if len(self.cuts) > _MARK_COUNT or _MARKS.search(self.text):
            return None
        marked = []
        position = 0
        for number, cut in enumerate(self.cuts):
            marked += [self.text[position:cut], chr(_MARK_BASE + number)]
            position = cut
        marked.append(self.text[position:])
        source = display_safe("".join(marked).replace("\r\n", "\n").replace("\r", "\n"))
        return self._highlight(_render_markdown(source))

    def _highlight(self, rendered: str) -> str | None:
        """``rendered`` with each text run wrapped in the element of its piece, the marks taken
        out; None when a mark is not where it should be."""
        out: list[str] = []
        piece: tuple[Placed | None, bool] = (None, False)
        expected = 0
        in_link = False
        deferred = ""  # tags met inside a link of the statement's, shown after it
        for segment in _TAG.split(rendered):
            if segment.startswith("<"):
                if _MARKS.search(segment):  # in an attribute: a link's destination or title
                    return None
                out.append(segment)
                if segment.startswith("<a "):
                    in_link = True
                elif segment == "</a>":
                    in_link = False
                    out.append(deferred)
                    deferred = ""
                continue
            for run in _MARK_OR_TEXT.split(segment):
                if _MARKS.fullmatch(run):  # the next cut
                    cut = ord(run) - _MARK_BASE
                    if cut != expected:
                        return None
                    expected += 1
                    tags = self.tags(self.cuts[cut])
                    if in_link:
                        deferred += tags
                    else:
                        out.append(tags)
                    following = self.cuts[cut + 1] if cut + 1 < len(self.cuts) else None
                    piece = (None, False)
                    if following is not None:
                        piece = self.covering(self.cuts[cut], following)
                    continue
                claim, nested = piece
                if claim is None or not run.strip():
                    out.append(run)
                else:
                    out.append(self.wrap(run, claim, nested, link=not in_link))
        return "".join(out) if expected == len(self.cuts) else None


class _Markdown(MarkdownIt):
    """markdown-it, which keeps every link for :func:`_safe_link` to judge and show (its own
    check would drop a refused URL without a trace)."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


def _render_markdown(source: str) -> str:
    """``source`` (Markdown) as HTML: raw HTML as text, only http(s) links, images as their
    alternative text."""
    parser = _Markdown("commonmark", {"html": False}).enable(["table", "strikethrough"])
    parser.add_render_rule("image", _image_as_text)
    tokens = parser.parse(source)
    for token in tokens:
        unlinked = False
        for child in token.children or ():
            if child.type == "link_open":
                unlinked = not _safe_link(child)
            elif child.type == "link_close" and unlinked:
                child.tag = "span"
                unlinked = False
    rendered: str = parser.renderer.render(tokens, parser.options, {})
    return rendered


def _safe_link(token: Any) -> bool:
    """Make a link of the statement safe; whether it stays a link: to its http(s) URL, with no
    referrer; any other URL (relative, ``mailto:``, ``javascript:``, none) becomes a span of its
    text that shows the URL on hover."""
    url = str(token.attrGet("href") or "")
    if plain_http_url(url):
        token.attrs = {
            "class": "url",
            "href": url,
            "rel": "noopener noreferrer nofollow",
            "referrerpolicy": "no-referrer",
        }
        return True
    token.tag = "span"
    token.attrs = {"class": "unlinked", "title": f"not linked: {url or 'no address'}"}
    return False


def _image_as_text(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    """An image as its alternative text, in brackets: the page loads no image."""
    alternative = renderer.renderInlineAsText(tokens[index].children or [], options, env)
    return f'<span class="image">[image: {escape(alternative)}]</span>'
