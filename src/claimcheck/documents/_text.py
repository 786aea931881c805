"""Source text: what claims are searched in.

:func:`~claimcheck.documents.extract_text` turns an HTML page, a PDF or a plain-text file into
a :class:`Text`: one string, the :class:`Region` s a verdict names when it says *where* a match
lies ("title", "article body", "page 3"), whether there is readable text at all
(:attr:`Text.unreadable`), and what the document says about itself (title, language,
publication date).

The text is built for finding quotes, not for display, so recall comes first:

- HTML is extracted in full (navigation, captions and "related" boxes included): a quote that a
  main-text extractor drops is still on the page. The article body is only a *label*.
- Separators are inserted only at block boundaries, so ``<a>word</a>,`` stays ``word,``. Spaces
  at inline-tag boundaries are the largest single cause of exact-match misses on real news pages.
- PDF line-break hyphenation is undone (pdfium marks it), but no other normalisation happens
  here: spans are reported in this text, and the matcher normalises with its own offset map.

A source without readable text (a scanned PDF, an encrypted file, a JavaScript-only page) is a
finding, not an error: it comes back with :attr:`Text.unreadable` set. Only input that is clearly
not a document at all raises :class:`~claimcheck.TextExtractionError`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from typing import Final, Literal

import attrs

__all__ = [
    "GARBAGE_SHARE",
    "HTML",
    "PDF",
    "PLAIN",
    "Kind",
    "Region",
    "Text",
    "clean_language",
    "garbage_share",
    "name_set",
    "parse_plain",
    "region_at",
    "word_chars",
]


def name_set(*lines: str) -> frozenset[str]:
    """A set of names written as space-separated words (long tables stay readable)."""
    return frozenset(" ".join(lines).split())


HTML: Final = "text/html"
PDF: Final = "application/pdf"
PLAIN: Final = "text/plain"

Kind = Literal["text/html", "application/pdf", "text/plain"]


@attrs.frozen
class Region:
    """A named stretch of :attr:`Text.text`, for saying where a match lies.

    ``label`` is the kind of region (``"title"``, ``"article"`` or ``"page"``), ``name`` the
    human label a report shows (``"title"``, ``"article body"``, ``"page 3"``). ``start`` and
    ``end`` are offsets into :attr:`Text.text`, ``end`` exclusive.
    """

    label: str
    start: int
    end: int
    name: str


@attrs.frozen
class Text:
    """The searchable text of one source document.

    All spans anywhere in claimcheck are offsets into :attr:`text`.

    - ``media_type``: how the document was read: ``"text/html"``, ``"application/pdf"`` or
      ``"text/plain"``.
    - ``regions``: title and article body (HTML) or pages (PDF), in text order.
    - ``unreadable``: why there is no readable text, else ``None``: ``"empty"``,
      ``"no-text-layer"`` (a scan), ``"encrypted"``, ``"undecodable"`` (mostly replacement or
      private-use characters), ``"script-only"`` (a page that renders with JavaScript),
      ``"damaged"`` (a corrupt or truncated file) or ``"too-large"`` (HTML of more than 250
      million characters, beyond what its parser reads safely).
    - ``title``, ``language``: as the document declares them, ``None`` if it does not.
    - ``published``: the document's own publication date when detectable. Relative dates in the
      source ("last month") are resolved against it.
    - ``charset``: the character encoding the bytes were decoded with (HTML and plain text).
    """

    text: str
    media_type: str
    regions: tuple[Region, ...] = ()
    unreadable: str | None = None
    title: str | None = None
    language: str | None = None
    published: dt.date | None = None
    charset: str | None = None

    @property
    def readable(self) -> bool:
        """Whether the document has text worth searching (:attr:`unreadable` is ``None``)."""
        return self.unreadable is None


def region_at(text: Text, offset: int) -> str | None:
    """Name where *offset* lies in *text*, for reports.

    ``"title"`` or ``"article body"`` for HTML, ``"page furniture"`` for the rest of an HTML
    page (navigation, footers, related links), ``"page 3"`` for a PDF (the separator after a
    page counts as that page), ``None`` for plain text and for offsets outside the text.
    """
    if not 0 <= offset <= len(text.text) or text.media_type == PLAIN:
        return None
    if text.media_type == PDF:
        starts = [region.start for region in text.regions]
        index = bisect.bisect_right(starts, offset) - 1
        return text.regions[index].name if index >= 0 else None
    for region in text.regions:
        if region.start <= offset < region.end:
            return region.name
    return "page furniture"


# The share of replacement or private-use characters that makes a text unreadable: beyond it,
# no quote of any length can be matched.
GARBAGE_SHARE: Final = 0.3
_GARBAGE: Final = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
_WORD_CHAR: Final = re.compile(r"[^\W_]")


# Every character str.isspace() holds (what str.split() and r"\s" split at).
SPACES: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def garbage_share(text: str) -> float:
    """The share of replacement and private-use characters among the non-space ones.

    Spaces are counted character by character (``str.count``): splitting a page into its
    words to measure them took some eight times the page's size (issue 17)."""
    garbage = sum(1 for _ in _GARBAGE.finditer(text))
    if not garbage:  # the common case: no need to count the spaces
        return 0.0
    visible = len(text) - sum(text.count(space) for space in SPACES)
    return garbage / visible if visible else 0.0


def word_chars(text: str, *, limit: int) -> int:
    """How many letters and digits *text* has, counting no further than *limit*."""
    return sum(1 for _ in itertools.islice(_WORD_CHAR.finditer(text), limit))


def clean_language(value: str) -> str | None:
    value = value.split(",")[0].strip().replace("_", "-")
    return value or None


def parse_plain(text: str, charset: str | None) -> Text:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    unreadable = None
    if not text.strip():
        unreadable = "empty"
    elif garbage_share(text) >= GARBAGE_SHARE:
        unreadable = "undecodable"
    return Text(text=text, media_type=PLAIN, unreadable=unreadable, charset=charset)
