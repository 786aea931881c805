"""Text extraction: the bytes of a source document -> the text claims are searched in.

:func:`extract_text` turns an HTML page, a PDF or a plain-text file into a :class:`Text`: one
string, the :class:`Region` s a verdict names when it says *where* a match lies ("title",
"article body", "page 3"), whether there is readable text at all
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
import codecs
import collections
import contextlib
import ctypes
import datetime as dt
import hashlib
import itertools
import re
import threading
from collections.abc import Callable, Mapping
from typing import Final, Literal, TypeAlias, cast

import attrs
import charset_normalizer
import htmldate
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from lxml import etree

from ..errors import TextExtractionError

__all__ = ["Region", "Text", "extract_text", "region_at", "text_from_string"]


def _words(*lines: str) -> frozenset[str]:
    """A set of names written as space-separated words (long tables stay readable)."""
    return frozenset(" ".join(lines).split())


HTML: Final = "text/html"
PDF: Final = "application/pdf"
PLAIN: Final = "text/plain"

_Kind = Literal["text/html", "application/pdf", "text/plain"]


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
      private-use characters), ``"script-only"`` (a page that renders with JavaScript) or
      ``"damaged"`` (a corrupt or truncated file).
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


# --- public API ---------------------------------------------------------------------------------


def extract_text(data: bytes, media_type: str | None = None, *, charset: str | None = None) -> Text:
    """Extract the searchable text of the document *data*.

    *media_type* is the value of a ``Content-Type`` header; its ``charset`` parameter is used to
    decode (an explicit *charset* argument wins over it, a byte-order mark over both, as in
    browsers). Without a media type, or with a generic one such as
    ``application/octet-stream``, the bytes are sniffed: ``%PDF-`` is a PDF, markup is HTML,
    anything else is plain text. The bytes also win over a declared type when they are
    unambiguous: a ``%PDF-`` file served as ``text/html`` is read as a PDF, and an HTML error
    page served as ``application/pdf`` as HTML.

    Results are cached: extracting the same bytes again (with the same media type and charset)
    returns the same :class:`Text` object without parsing again. The cache is a bounded LRU
    (the last 64 documents) keyed by a BLAKE2 hash of the bytes, so it does not keep the bytes
    themselves alive.

    Raises :class:`~claimcheck.TextExtractionError` only for input that is clearly not a document,
    such as an image or an archive; unreadable documents come back with
    :attr:`Text.unreadable` set.
    """
    data = bytes(data)
    declared, header_charset = _parse_media_type(media_type)
    charset = charset or header_charset
    key = (hashlib.blake2b(data, digest_size=20).digest(), "bytes", declared, charset)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    kind = _resolve_kind(data, declared)
    if kind == PDF:
        result = _extract_pdf(data)
    else:
        markup, used = _decode(data, charset, markup=kind == HTML)
        result = _parse_html(markup, used) if kind == HTML else _parse_plain(markup, used)
    _cache_put(key, result)
    return result


def text_from_string(text: str, media_type: str = PLAIN) -> Text:
    """Wrap an already-decoded string as a :class:`Text`.

    With an HTML media type (``text/html``, ``application/xhtml+xml``) the string is parsed as
    HTML exactly as :func:`extract_text` would after decoding; any other text type is taken as
    plain text. A PDF or other binary type raises :class:`~claimcheck.TextExtractionError`: those
    are bytes, not strings. Cached like :func:`extract_text`.
    """
    declared, _ = _parse_media_type(media_type)
    if declared == PDF or (declared is not None and _is_non_document_type(declared)):
        raise TextExtractionError(
            f"a {declared} document is bytes, not a string: use extract_text()"
        )
    kind: _Kind = HTML if declared is not None and _is_markup_type(declared) else PLAIN
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()
    key = (digest, "str", kind, None)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    result = _parse_html(text, None) if kind == HTML else _parse_plain(text, None)
    _cache_put(key, result)
    return result


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


# --- cache --------------------------------------------------------------------------------------

_CACHE_SIZE: Final = 64
_CacheKey = tuple[bytes, str, str | None, str | None]
_cache: collections.OrderedDict[_CacheKey, Text] = collections.OrderedDict()
_cache_lock = threading.Lock()


def _cache_get(key: _CacheKey) -> Text | None:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _cache_put(key: _CacheKey, value: Text) -> None:
    with _cache_lock:
        _cache[key] = value
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


# --- media types and sniffing -------------------------------------------------------------------

_HTML_TYPES: Final = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
)
_PDF_TYPES: Final = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
_NON_DOCUMENT_FAMILIES: Final = ("image/", "audio/", "video/", "font/", "model/")
_NON_DOCUMENT_TYPES: Final = _words(
    "application/zip application/gzip application/x-gzip application/x-tar application/x-bzip2",
    "application/x-xz application/x-7z-compressed application/vnd.rar",
    "application/x-rar-compressed application/wasm application/java-archive",
    "application/x-msdownload",
    "application/x-executable application/x-shockwave-flash application/vnd.ms-fontobject",
    "application/ogg",
)
# Magic numbers of common binary formats: bytes starting like this are not a text document,
# whatever they were served as.
_BINARY_MAGIC: Final = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh91AY&SY",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xfd7zXZ\x00",
    b"\x7fELF",
    b"OggS\x00",
    b"fLaC\x00",
    b"wOFF\x00",
    b"wOF2\x00",
    b"\x00asm",
)
# Bytes that never occur in text (C0 controls other than whitespace and ESC). Random binary has
# about 10% of them; text, even with a stray NUL, almost none.
_CONTROL_BYTES: Final = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27})
_BINARY_SHARE: Final = 0.05
# The tags that make bytes "look like HTML" (WHATWG MIME sniffing, section 7.1), and an
# XML declaration: any markup is better read without its tags.
_HTML_START: Final = re.compile(
    r"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    r"|!--|\?xml)[\s>]",
    re.IGNORECASE,
)
# ... or a document element after some junk (a server-side warning printed before the page).
_HTML_ANYWHERE: Final = re.compile(r"<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)


def _parse_media_type(media_type: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type value into the lower-cased type and its ``charset`` parameter."""
    if not media_type:
        return None, None
    essence, *params = media_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return essence.strip().lower() or None, charset


def _is_markup_type(essence: str) -> bool:
    return essence in _HTML_TYPES or (essence.endswith("+xml") and not essence.startswith("image/"))


def _is_non_document_type(essence: str) -> bool:
    return essence.startswith(_NON_DOCUMENT_FAMILIES) or essence in _NON_DOCUMENT_TYPES


def _sniff_head(data: bytes) -> str:
    """The first KiB of *data* as text, for sniffing (BOM-aware, never fails)."""
    head = data[:1024]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore")
    return head.decode("latin-1")


def _looks_like_html(data: bytes) -> bool:
    head = _sniff_head(data)
    return bool(_HTML_START.match(head.lstrip()) or _HTML_ANYWHERE.search(head))


def _is_pdf(data: bytes) -> bool:
    # The PDF header may follow some junk; readers accept it anywhere in the first KiB.
    return b"%PDF-" in data[:1024]


def _has_binary_magic(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    return data[8:12] in (b"WEBP", b"WAVE", b"AVI ") or data[4:8] == b"ftyp"  # RIFF, ISO media


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample or any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls <= _BINARY_SHARE * len(sample):
        return False
    # UTF-16 without a BOM is full of NULs too, but only at every other position.
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return not (max(even, odd) > len(sample) / 8 and min(even, odd) < max(even, odd) / 10)


def _resolve_kind(data: bytes, declared: str | None) -> _Kind:
    """Decide how to read *data*; raise if it is clearly not a document."""
    if _is_pdf(data):
        return PDF
    if _has_binary_magic(data):
        raise TextExtractionError(f"not a document: binary data (declared {declared or 'no type'})")
    if declared is not None and declared in _PDF_TYPES:
        # Servers answer PDF links with HTML login and error pages; let pdfium judge the rest.
        return HTML if _looks_like_html(data) else PDF
    if declared is not None and _is_markup_type(declared):
        return HTML
    textual = declared is not None and declared.startswith("text/")
    if not textual and _looks_like_html(data):
        return HTML
    if _looks_binary(data):
        raise TextExtractionError(f"not a document: binary data (declared {declared or 'no type'})")
    if declared is not None and not textual and _is_non_document_type(declared):
        raise TextExtractionError(f"not a document: {declared}")
    return PLAIN


# --- decoding -----------------------------------------------------------------------------------

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET: Final = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING: Final = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
# Python codecs that are not character encodings of documents (they interpret escapes, or fail).
_NOT_CHARSETS: Final = frozenset(
    {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "charmap"}
)
# What browsers decode a label as (WHATWG Encoding): legacy labels mean their supersets.
_SUPERSETS: Final = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
# Single-byte Latin code pages that detectors cannot tell apart on short samples. Browsers
# default to windows-1252, and it is by far the most common legacy encoding on the web.
_LATIN_CODEPAGES: Final = _words(
    "cp1250 cp1252 cp1254 cp1257 iso8859-1 iso8859-2 iso8859-3 iso8859-4 iso8859-9 iso8859-10",
    "iso8859-13 iso8859-14 iso8859-15 iso8859-16 mac-roman mac-latin2 mac-iceland mac-turkish",
    "cp437 cp850 cp858",
)


def _codec(label: str, *, from_meta: bool = False) -> str | None:
    """The Python codec for a charset label, mapped as browsers map it, or ``None``."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except (LookupError, ValueError):
        return None
    if name in _NOT_CHARSETS:
        return None
    name = _SUPERSETS.get(name, name)
    if from_meta and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a <meta> that could be read as ASCII cannot be right about UTF-16
    return name


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        if codec == "cp1252":
            return data.decode("latin-1")  # cp1252 leaves five bytes undefined; Latin-1 none
        return None


def _decode(data: bytes, declared: str | None, *, markup: bool) -> tuple[str, str]:
    """Decode *data*: BOM, then the declared charset, then ``<meta>``, then detection.

    Never fails: a declaration that does not fit the bytes is ignored, and the last resort
    decodes with replacement characters. Returns the text and the codec used.
    """
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_codec, "replace"), bom_codec
    labels: list[tuple[str, bool]] = [(declared, False)] if declared else []
    if markup:
        head = data[:4096]
        for pattern in (_XML_ENCODING, _META_CHARSET):
            found = pattern.search(head)
            if found:
                labels.append((found.group(1).decode("ascii", "ignore"), True))
    for label, from_meta in labels:
        codec = _codec(label, from_meta=from_meta)
        if codec is not None:
            decoded = _try_decode(data, codec)
            if decoded is not None:
                return decoded, codec
    return _detect(data)


def _detect(data: bytes) -> tuple[str, str]:
    """Decode bytes whose charset is unknown or was declared wrongly."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray bytes (pasted legacy text) is still UTF-8.
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for char in lenient if char > "\x7f") - lenient.count("\ufffd")
    if good >= 10 * bad:
        return lenient, "utf-8"
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        codec = _codec(str(best.encoding))
        if codec in _LATIN_CODEPAGES:
            codec = "cp1252"
        if codec is not None:
            decoded = _try_decode(data, codec)
            if decoded is not None:
                return decoded, codec
    return data.decode("cp1252", "replace"), "cp1252"


# --- HTML ---------------------------------------------------------------------------------------

# Subtrees that are never visible text. (The document <title> is written first, on its own.)
# <rt>/<rp> are ruby annotations (pronunciation), which a quote of the base text does not contain.
_DROP: Final = frozenset(
    {"script", "style", "template", "noscript", "svg", "head", "rt", "rp", "iframe"}
)
_PARAGRAPH: Final = _words(
    "p h1 h2 h3 h4 h5 h6 blockquote pre listing xmp plaintext table ul ol dl menu hr figure",
    "address article section header footer nav aside main form fieldset details hgroup search",
    "dialog center",
)
_LINE: Final = _words(
    "html body div li dt dd figcaption caption thead tbody tfoot tr summary legend option",
    "optgroup select button textarea video audio object canvas frameset frame noframes map",
    "output meter progress",
)
_CELL: Final = frozenset({"td", "th"})
_BLOCK: Final = _PARAGRAPH | _LINE | _CELL
_Separator = Literal["", " ", "\t", "\n", "\n\n"]
_BLOCK_SEPARATORS: Final[dict[str, _Separator]] = {
    **dict.fromkeys(_PARAGRAPH, "\n\n"),
    **dict.fromkeys(_LINE, "\n"),
    **dict.fromkeys(_CELL, "\t"),
}
_PREFORMATTED: Final = frozenset({"pre", "listing", "xmp", "plaintext", "textarea"})
# The elements whose start and end the text itself depends on.
_MARKED_UP: Final = _BLOCK | _PREFORMATTED | {"a"}
# For the article heuristic, as in readability: text inside elements marked like this does not
# count (unless also marked like an article: "comment_content" is not furniture).
_BOILERPLATE_TAGS: Final = frozenset({"nav", "aside", "footer"})
_BOILERPLATE_WORDS: Final = (
    r"comment|disqus|footer|sidebar|related|sponsor|promo|advert|banner|breadcrumb|masthead"
    r"|cookie|gdpr|newsletter|subscribe|outbrain|taboola|popup|modal|copyright|recommend"
    r"|trending|social|share|menu"
)
_BOILERPLATE_NAV: Final = r"(?:^|[\s_-])nav"
_BOILERPLATE_MARKS: Final = re.compile(f"{_BOILERPLATE_WORDS}|{_BOILERPLATE_NAV}", re.IGNORECASE)
# The same for lower-cased ASCII, split in two: without IGNORECASE and a leading group, the regex
# engine skips ahead to the letters the words start with (four times faster on real pages).
_BOILERPLATE_ASCII: Final = (re.compile(_BOILERPLATE_WORDS), re.compile(_BOILERPLATE_NAV))
_ARTICLE_MARKS: Final = re.compile(r"article|body|content|entry|main|post|story|text", re.I)
_HTML_SPACE: Final = re.compile(r"[ \t\n\r\f]+")
# Element ids single-page-application frameworks mount into; empty on a page served as a shell.
_MOUNT_IDS: Final = frozenset(
    {"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "react-root", "main-app", "q-app"}
)
_ENABLE_JS: Final = re.compile(r"javascript|\bjs\b", re.IGNORECASE)

_RANK: Final[dict[str, int]] = {"": 0, " ": 1, "\t": 2, "\n": 3, "\n\n": 4}


class _Builder:
    """Accumulates text with HTML whitespace semantics and records where elements land.

    Separators are *requested* and written lazily, just before the next visible character, so
    the strongest separator between two runs of text wins and none is written at the start or
    end. An element's start is the position of its first character (after that separator), its
    end the position after its last, which makes the offsets exact.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.pending: str = ""
        self.spans: dict[int, tuple[int, int]] = {}
        self._opened: list[int] = []
        self._starts: dict[int, int] = {}

    def request(self, separator: _Separator) -> None:
        if _RANK[separator] > _RANK[self.pending]:
            self.pending = separator

    def open(self, key: int) -> None:
        self._opened.append(key)

    def close(self, key: int) -> None:
        start = self._starts.pop(key, None)
        if start is None:  # nothing was written inside: still awaiting, and the latest to open
            self._opened.pop()
            start = self.pos
        self.spans[key] = (start, self.pos)

    def _emit(self, chunk: str) -> int:
        if self.pending and self.pos:
            last = self.parts[-1][-1]
            if self.pending != " " or last not in "\n\t":
                self.parts.append(self.pending)
                self.pos += len(self.pending)
        self.pending = ""
        for key in self._opened:
            self._starts[key] = self.pos
        self._opened.clear()
        self.parts.append(chunk)
        self.pos += len(chunk)
        return len(chunk)

    def write(self, text: str) -> int:
        """Write text in normal flow (whitespace runs collapse to one space); return its length."""
        words = _HTML_SPACE.split(text)  # empty strings only first and last, at whitespace
        lead = words[0] == ""
        trail = words[-1] == ""
        if lead:
            self.request(" ")
        content = " ".join(words[lead : len(words) - trail])
        if not content:
            return 0
        if trail:
            written = self._emit(content)
            self.request(" ")
            return written
        return self._emit(content)

    def write_preformatted(self, text: str) -> int:
        """Write text from ``<pre>``: kept as is, except CRLF; return its length."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return self._emit(text) if text else 0

    def result(self) -> str:
        return "".join(self.parts)


@attrs.frozen
class _Page:
    """What one walk over an HTML document found. Elements are keyed by their opening event."""

    text: str
    title: str | None
    body_start: int
    spans: dict[int, tuple[int, int]]  # of the blocks, candidates and mounts
    # How much text outside links each block element holds itself or in its child blocks.
    density: dict[int, int]
    # How much text outside page furniture each block element holds in all; its parent block.
    clean: dict[int, int]
    parents: dict[int, int]
    candidates: tuple[tuple[int, int], ...]  # (priority, key) of semantic article elements
    script_chars: int
    noscript_asks_js: bool
    empty_mount: bool


_Attrs: TypeAlias = Mapping[str, str]
# One step of a parse: a string is text, a (name, attributes) pair opens an element, and an int
# closes the element whose opening event is at that index.
_Event: TypeAlias = str | int | tuple[str, _Attrs]

# Text is read as Beautiful Soup (which built the tree before) read it, so that extraction
# results stay as they were: whitespace-only text outside these collapses to one space (one
# newline if it has any), which matters inside <listing>, <xmp> and <plaintext> ...
_KEEP_SPACE: Final = frozenset({"pre", "textarea"})
# ... and text inside these, at any depth, is theirs alone: a <title> or <noscript> around it
# does not count it as its own text.
_OWN_TEXT: Final = frozenset({"rt", "rp", "style", "script", "template"})
_ASCII_SPACE: Final = " \t\n\r\f"
# The elements the parse keeps track of (besides all being open or not).
_NOTED: Final = _KEEP_SPACE | _OWN_TEXT | {"svg", "title", "html", "meta"}
_XML_NAMESPACE: Final = "http://www.w3.org/XML/1998/namespace"
# What lxml raises for markup it cannot read as a str; such markup is retried as UTF-8 bytes.
_REJECTED: Final[tuple[type[Exception], ...]] = (
    UnicodeDecodeError,
    LookupError,
    etree.ParserError,
)


class _Events:
    """An lxml parser target that records a parse as a flat list of :data:`_Event` s.

    The parser's events are used rather than the tree lxml would build from them: libxml2 stops
    building a tree at 256 levels (2,048 with ``huge_tree``) and lxml returns what it has, the
    rest of the page lost, without raising; pages nest deeper. An end tag closes the innermost
    open element of its name and any still open inside it; text is merged up to the next tag or
    comment. Besides the events, the parse notes the document title and the attributes of the
    ``<html>`` and ``<meta>`` elements.
    """

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.ends: dict[int, int] = {}  # index of an element's opening event -> of its closing
        self.owned: dict[int, str] = {}  # index of a text inside an _OWN_TEXT element -> its name
        self.title = -1  # opening index of the document title (the first <title> not in <svg>)
        self.title_parts: list[str] = []
        self.root: _Attrs | None = None  # attributes of the first <html>
        self.metas: list[_Attrs] = []
        self._chunks: list[str] = []
        # lxml calls this for every piece of text (entities split them): no Python frame for it.
        self.data: Callable[[str], None] = self._chunks.append
        self._open: list[int] = []
        self._names: list[str] = []
        self._keep_space = 0
        self._owners: list[str] = []
        self._svg = 0
        self._in_title = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self._chunks:
            self._flush()
        attributes: _Attrs = attrib if "{" not in "".join(attrib) else _plain_attributes(attrib)
        index = len(self.events)
        self.events.append((tag, attributes))
        self._open.append(index)
        self._names.append(tag)
        if tag not in _NOTED:
            return
        if tag in _KEEP_SPACE:
            self._keep_space += 1
        elif tag in _OWN_TEXT:
            self._owners.append(tag)
        elif tag == "svg":
            self._svg += 1
        elif tag == "title":
            if self.title < 0 and not self._svg:
                self.title = index
                self._in_title = True
        elif tag == "html":
            if self.root is None:
                self.root = attributes
        else:
            self.metas.append(attributes)

    def end(self, tag: str) -> None:
        if self._chunks:
            self._flush()
        if tag in reversed(self._names):  # the innermost element: libxml2 reports them balanced
            while self._close() != tag:
                pass

    def comment(self, text: str) -> None:
        if self._chunks:
            self._flush()

    def pi(self, target: str, data: str) -> None:
        if self._chunks:
            self._flush()

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self._chunks:
            self._flush()

    def close(self) -> _Events:
        if self._chunks:
            self._flush()
        while self._open:
            self._close()
        return self

    def _close(self) -> str:
        index = self._open.pop()
        name = self._names.pop()
        self.ends[index] = len(self.events)
        self.events.append(index)
        if name not in _NOTED:
            return name
        if name in _KEEP_SPACE:
            self._keep_space -= 1
        elif name in _OWN_TEXT:
            self._owners.pop()
        elif name == "svg":
            self._svg -= 1
        elif index == self.title:
            self._in_title = False
        return name

    def _flush(self) -> None:
        text = "".join(self._chunks)
        self._chunks.clear()
        if not self._keep_space and not text.strip(_ASCII_SPACE):
            text = "\n" if "\n" in text else " "
        if self._owners:
            self.owned[len(self.events)] = self._owners[-1]
        elif self._in_title:
            self.title_parts.append(text)
        self.events.append(text)


def _plain_attributes(attrib: Mapping[str, str]) -> dict[str, str]:
    """Attributes with Clark-notation names (``{ns}id``) under their local name (``xml:`` kept)."""
    plain: dict[str, str] = {}
    for name, value in attrib.items():
        if name.startswith("{") and "}" in name:
            namespace, local = name[1:].split("}", 1)
            if not local:
                continue
            name = f"xml:{local}" if namespace == _XML_NAMESPACE else local
        plain[name] = value
    return plain


def _parse_events(markup: str) -> _Events:
    """Parse *markup* with libxml2's HTML parser, as a str or, if lxml rejects that, as UTF-8."""
    if markup.startswith("\ufeff"):
        markup = markup[1:]
    try:
        return _feed(markup, None)
    except _REJECTED:
        return _feed(markup.encode("utf-8"), "utf8")


def _feed(markup: str | bytes, encoding: str | None) -> _Events:
    events = _Events()
    parser = etree.HTMLParser(
        target=cast("etree.ParserTarget", events), recover=True, encoding=encoding
    )
    parser.feed(markup)
    parser.close()
    return events


def _attr(attrs: _Attrs, name: str) -> str:
    value = attrs.get(name, "")
    return " ".join(value.split()) if name == "class" else value


def _walk(doc: _Events) -> _Page:
    """Walk the parse once, building the text (the events are flat: no recursion at any depth).

    Besides the text and every element's span, the walk scores text density for the article
    heuristic: each block element is credited with the text outside links that it holds
    directly (text and inline elements, as ``<br>``-separated pages have it) and that its child
    blocks hold directly (``<p>`` paragraphs, and ``<div>`` s used as paragraphs).
    """
    out = _Builder()
    title = " ".join("".join(doc.title_parts).split()) or None if doc.title >= 0 else None
    if title:
        out.write(title)
        out.request("\n\n")
    body_start = out.pos
    candidates: list[tuple[int, int]] = []
    mounts: list[int] = []
    blocks: list[int] = []  # the open block elements, innermost last
    own: dict[int, int] = {}
    density: dict[int, int] = {}
    clean: dict[int, int] = {}
    parents: dict[int, int] = {}
    clean_total = 0  # characters written outside furniture so far
    script_chars = 0
    noscript_asks_js = False
    pre_depth = link_depth = boilerplate_depth = 0
    boilerplate: set[int] = set()
    pre_fresh = False
    events = doc.events
    ends = doc.ends
    names: list[str] = []  # the elements entered and not yet left, innermost last
    # Of those, the ones whose span counts (blocks, candidates, mounts), innermost last.
    spanned: list[int] = []
    furniture_marks: dict[tuple[str, str], bool] = {}  # (class, id) -> _is_boilerplate
    title_key = doc.title
    index = 0
    count = len(events)
    while index < count:
        event = events[index]
        if isinstance(event, str):
            if pre_depth:
                text = event
                if pre_fresh and text.startswith("\n"):  # as browsers do after <pre>
                    text = text[1:]
                pre_fresh = False
                written = out.write_preformatted(text)
            elif event == " " or event == "\n":  # what whitespace between tags is parsed as
                if not out.pending:
                    out.pending = " "
                index += 1
                continue
            else:
                written = out.write(event)
            if not boilerplate_depth:
                clean_total += written
                if blocks and not link_depth:
                    own[blocks[-1]] = own.get(blocks[-1], 0) + written
            index += 1
            continue
        if isinstance(event, int):
            key = event
            index += 1
            name = names.pop()
            if spanned and spanned[-1] == key:
                spanned.pop()
                out.close(key)
            if key in boilerplate:
                boilerplate_depth -= 1
            if name not in _MARKED_UP:
                continue
            if name in _PREFORMATTED:
                pre_depth -= 1
            elif name == "a":
                link_depth -= 1
            if name in _BLOCK:
                blocks.pop()
                clean[key] += clean_total
                held = own.get(key, 0)
                density[key] = density.get(key, 0) + held
                if blocks:
                    density[blocks[-1]] = density.get(blocks[-1], 0) + held
                out.request(_BLOCK_SEPARATORS[name])
            continue
        name, attrs = event
        key = index
        if name in _DROP:
            if name in ("script", "noscript", "head"):
                chars, asks_js = _script_signals(doc, key)
                script_chars += chars
                noscript_asks_js = noscript_asks_js or asks_js
            index = ends[key] + 1
            continue
        if key == title_key or (name == "input" and attrs.get("type", "").lower() == "hidden"):
            index = ends[key] + 1
            continue
        if name == "br":
            out.request("\n")
            index = ends[key] + 1
            continue
        index += 1
        names.append(name)
        span = False
        if name in _MARKED_UP:
            if name in _BLOCK:
                if blocks:
                    parents[key] = blocks[-1]
                blocks.append(key)
                clean[key] = -clean_total
                out.request(_BLOCK_SEPARATORS[name])
                span = True
            if name in _PREFORMATTED:
                pre_depth += 1
                pre_fresh = True
            elif name == "a":
                link_depth += 1
        # (Most elements have none of the attributes these look at.)
        if name in _BOILERPLATE_TAGS or (
            ("class" in attrs or "id" in attrs) and _is_boilerplate(name, attrs, furniture_marks)
        ):
            boilerplate.add(key)
            boilerplate_depth += 1
        if "itemprop" in attrs or "role" in attrs or name in ("article", "main"):
            priority = _candidate_priority(name, attrs)
            if priority is not None:
                candidates.append((priority, key))
                span = True
        if "id" in attrs and attrs["id"] in _MOUNT_IDS:
            mounts.append(key)
            span = True
        if span:
            spanned.append(key)
            out.open(key)
    spans = out.spans
    return _Page(
        text=out.result(),
        title=title,
        body_start=body_start,
        spans=spans,
        density=density,
        clean=clean,
        parents=parents,
        candidates=tuple(candidates),
        script_chars=script_chars,
        noscript_asks_js=noscript_asks_js,
        empty_mount=any(spans[key][0] == spans[key][1] for key in mounts),
    )


def _script_signals(doc: _Events, index: int) -> tuple[int, bool]:
    """How much script an element is or holds, and whether a ``<noscript>`` in it asks for JS.

    The element is the one opened at *index*: a ``<script>`` or ``<noscript>`` counts itself
    (not what it holds), a ``<head>`` the ones it holds.
    """
    events = doc.events
    name, attrs = cast("tuple[str, _Attrs]", events[index])
    nested = name == "head"
    chars = 0
    scripts = 0  # how many counted <script> s are open: their text counts for each
    noscripts: list[list[str]] = []  # the text of each counted <noscript> that is open
    if name == "script":
        # An external script counts as much as a big inline one.
        chars += _SCRIPT_HEAVY_CHARS if _attr(attrs, "src") else 0
        scripts = 1
    elif name == "noscript":
        noscripts.append([])
    asks_js = False
    inside: list[str] = []
    for position in range(index + 1, doc.ends[index]):
        event = events[position]
        if isinstance(event, str):
            owner = doc.owned.get(position)
            if owner is None:
                for parts in noscripts:
                    parts.append(event)
            elif owner == "script":
                chars += len(event) * scripts
        elif isinstance(event, int):
            closed = inside.pop()
            if nested and closed == "script":
                scripts -= 1
            elif nested and closed == "noscript":
                found = _ENABLE_JS.search("".join(noscripts.pop())) is not None
                asks_js = asks_js or found
        else:
            inside.append(event[0])
            if nested and event[0] == "script":
                chars += _SCRIPT_HEAVY_CHARS if _attr(event[1], "src") else 0
                scripts += 1
            elif nested and event[0] == "noscript":
                noscripts.append([])
    if name == "noscript":
        asks_js = _ENABLE_JS.search("".join(noscripts.pop())) is not None
    return chars, asks_js


def _is_boilerplate(name: str, attrs: _Attrs, seen: dict[tuple[str, str], bool]) -> bool:
    """Whether an element looks like page furniture (comments, footers, related links, sidebars).

    *seen* remembers the verdict on each (class, id) pair: pages repeat them a lot.
    """
    if name in _BOILERPLATE_TAGS:
        return True
    if not attrs or name in ("html", "body"):
        return False
    pair = (attrs.get("class", ""), attrs.get("id", ""))
    found = seen.get(pair)
    if found is None:
        found = seen[pair] = _marked_as_furniture(f"{' '.join(pair[0].split())} {pair[1]}")
    return found


def _marked_as_furniture(marks: str) -> bool:
    if marks.isascii():
        lowered = marks.lower()
        furniture = any(pattern.search(lowered) for pattern in _BOILERPLATE_ASCII)
    else:
        furniture = _BOILERPLATE_MARKS.search(marks) is not None
    return furniture and not _ARTICLE_MARKS.search(marks)


def _candidate_priority(name: str, attrs: _Attrs) -> int | None:
    """How surely an element marks the main article: 0 (schema.org articleBody) to 2 (<main>)."""
    if "articlebody" in attrs.get("itemprop", "").lower():
        return 0
    if name == "article":
        return 1
    if name == "main" or attrs.get("role", "").lower() == "main":
        return 2
    return None


def _article_span(page: _Page) -> tuple[int, int] | None:
    """The span of the main article text, or ``None`` when no element stands out.

    The densest block (readability-style: most text outside links in itself and its child
    blocks) finds the article; the semantic element enclosing it, if any, gives its extent
    (``itemprop=articleBody`` before ``<article>`` before ``<main>``, then the innermost). The
    semantic markup alone is not trusted to *find* the article: on real pages ``<article>`` as
    often marks comments, teasers or a related-posts box.
    """
    spans = page.spans
    densest = max(page.density, key=page.density.__getitem__, default=None)
    if densest is None or page.density[densest] < _MIN_ARTICLE_CHARS:
        # No dense text: the largest semantic element, if it holds enough text.
        largest = max(
            (spans[key] for _, key in page.candidates),
            key=lambda span: span[1] - span[0],
            default=None,
        )
        if largest is not None and largest[1] - largest[0] >= _MIN_ARTICLE_CHARS:
            return largest
        return None
    start, end = spans[densest]
    enclosing = [
        (priority, spans[key][1] - spans[key][0], key)
        for priority, key in page.candidates
        if spans[key][0] <= start and end <= spans[key][1]
    ]
    if not enclosing:
        return start, end
    outer = min(enclosing)[2]
    # Trim comments and related links that themes put inside <article>: the smallest block
    # between the densest one and the semantic element that holds nearly all its clean text.
    wanted = _ARTICLE_SHARE * page.clean.get(outer, 0)
    key: int | None = densest
    while key is not None and key != outer and spans[outer][0] <= spans[key][0]:
        if spans[key][1] > spans[outer][1]:
            break
        if page.clean.get(key, 0) >= wanted:
            return spans[key]
        key = page.parents.get(key)
    return spans[outer]


_MIN_ARTICLE_CHARS: Final = 200
_ARTICLE_SHARE: Final = 0.9
# Below this many letters and digits of body text, a page with JavaScript signals is a shell.
_SCRIPT_ONLY_CHARS: Final = 200
_SCRIPT_HEAVY_CHARS: Final = 2_000
# The share of replacement or private-use characters that makes a text unreadable: beyond it,
# no quote of any length can be matched.
_GARBAGE_SHARE: Final = 0.3


_GARBAGE: Final = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
_WORD_CHAR: Final = re.compile(r"[^\W_]")


def _garbage_share(text: str) -> float:
    """The share of replacement and private-use characters among the non-space ones."""
    visible = sum(map(len, text.split()))  # (str.split() splits at what r"\s" matches)
    return len(_GARBAGE.findall(text)) / visible if visible else 0.0


def _word_chars(text: str, *, limit: int) -> int:
    """How many letters and digits *text* has, counting no further than *limit*."""
    return sum(1 for _ in itertools.islice(_WORD_CHAR.finditer(text), limit))


def _parse_html(markup: str, charset: str | None) -> Text:
    """Parse decoded HTML into a :class:`Text` (the expensive step the cache saves)."""
    doc = _parse_events(markup)
    page = _walk(doc)
    text = page.text
    regions: list[Region] = []
    if page.title:
        regions.append(Region("title", 0, len(page.title), "title"))
    article = _article_span(page)
    if article is not None:
        regions.append(Region("article", article[0], article[1], "article body"))
    body = text[page.body_start :]
    words = _word_chars(body, limit=_SCRIPT_ONLY_CHARS)
    unreadable = None
    js_signals = (
        page.script_chars >= _SCRIPT_HEAVY_CHARS or page.noscript_asks_js or page.empty_mount
    )
    if words < _SCRIPT_ONLY_CHARS and js_signals:
        unreadable = "script-only"
    elif not body.strip():
        unreadable = "empty"
    elif _garbage_share(body) >= _GARBAGE_SHARE:
        unreadable = "undecodable"
    return Text(
        text=text,
        media_type=HTML,
        regions=tuple(regions),
        unreadable=unreadable,
        title=page.title,
        language=_html_language(doc),
        published=_meta_published(doc) or _html_published(markup),
        charset=charset,
    )


def _clean_language(value: str) -> str | None:
    value = value.split(",")[0].strip().replace("_", "-")
    return value or None


def _html_language(doc: _Events) -> str | None:
    if doc.root is not None:
        for name in ("lang", "xml:lang"):
            language = _clean_language(_attr(doc.root, name))
            if language:
                return language
    for meta in doc.metas:
        key = (_attr(meta, "http-equiv") or _attr(meta, "name")).lower()
        if key in ("content-language", "language", "dc.language"):
            language = _clean_language(_attr(meta, "content"))
            if language:
                return language
    return None


_PUBLISHED_META: Final = frozenset(
    {
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dcterms.issued",
        "article.published",
        "og:published_time",
    }
)


def _meta_published(doc: _Events) -> dt.date | None:
    """The publication date a page states in its ``<meta>`` tags (Open Graph, schema.org,
    Dublin Core, Parse.ly…), read without a second parse; htmldate is asked only without one."""
    for meta in doc.metas:
        key = (_attr(meta, "property") or _attr(meta, "name") or _attr(meta, "itemprop")).lower()
        if key in _PUBLISHED_META:
            try:
                return dt.date.fromisoformat(_attr(meta, "content").strip()[:10])
            except ValueError:
                continue
    return None


def _html_published(markup: str) -> dt.date | None:
    try:
        found = htmldate.find_date(
            markup, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
        return dt.date.fromisoformat(str(found)) if found else None
    except Exception:  # htmldate is a heuristic on arbitrary markup: it must never fail extraction
        return None


# --- plain text ---------------------------------------------------------------------------------


def _parse_plain(text: str, charset: str | None) -> Text:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    unreadable = None
    if not text.strip():
        unreadable = "empty"
    elif _garbage_share(text) >= _GARBAGE_SHARE:
        unreadable = "undecodable"
    return Text(text=text, media_type=PLAIN, unreadable=unreadable, charset=charset)


# --- PDF ----------------------------------------------------------------------------------------

# pdfium replaces the hyphen of a line-break hyphenation with U+0002 (bounded text) or U+FFFE
# (text range) and joins the halves.
_SOFT_HYPHEN: Final = re.compile(r"[\x02\ufffe]")
_PAGE_SEPARATOR: Final = "\n\n"
# A page with an image and fewer letters and digits than this is a scanned page (scanners and
# converters stamp a line or two of text on the image).
_SCANNED_PAGE_CHARS: Final = 100
# D:YYYYMMDDHHmmSS..., as the PDF standard has it, or an ISO date some producers write instead.
_PDF_DATE: Final = re.compile(r"(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")
# pdfium is not thread-safe, not even across documents.
_pdfium_lock = threading.Lock()


def _unhyphenate(match: re.Match[str]) -> str:
    # Before a capital or a digit the hyphen was a real one ("Schwarz-Weiß", "COVID-19"):
    # hyphenation never splits a word there. Elsewhere the word is joined ("Übungsaufgaben").
    following = match.string[match.end() : match.end() + 1]
    return "-" if following.isupper() or following.isdigit() else ""


def _clean_page(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return _SOFT_HYPHEN.sub(_unhyphenate, text).strip()


def _pdf_date(value: str) -> dt.date | None:
    found = _PDF_DATE.match(value.strip())
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _pdf_language(pdf: pdfium.PdfDocument) -> str | None:
    """The catalog's /Lang (pdfium exposes it only through its raw API)."""
    get_language = getattr(pdfium_raw, "FPDFCatalog_GetLanguage", None)
    if get_language is None:
        return None
    size = int(get_language(pdf, None, 0))
    if size <= 2:  # just the UTF-16 terminator
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    get_language(pdf, buffer, size)
    return _clean_language(bytes(buffer)[: size - 2].decode("utf-16-le", "replace"))


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))


def _extract_pdf(data: bytes) -> Text:
    """Read a PDF with pdfium; every failure becomes a finding, never an exception."""
    if not data.strip():
        return Text("", PDF, unreadable="empty")
    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            code = getattr(error, "err_code", None)
            locked = code in (pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY)
            return Text("", PDF, unreadable="encrypted" if locked else "damaged")
        try:
            return _read_pdf(pdf)
        finally:
            pdf.close()


def _read_page(pdf: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    """The cleaned text of a page and whether it has any (a scanned page has none)."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            content = _clean_page(str(textpage.get_text_range()))
        finally:
            textpage.close()
        words = _word_chars(content, limit=_SCANNED_PAGE_CHARS)
        return content, words >= _SCANNED_PAGE_CHARS or (words > 0 and not _has_image(page))
    finally:
        page.close()


def _read_pdf(pdf: pdfium.PdfDocument) -> Text:
    pages: list[str] = []
    with_text = 0
    damaged = False
    for index in range(len(pdf)):
        try:
            content, has_text = _read_page(pdf, index)
        except pdfium.PdfiumError:
            damaged = True  # one broken page should not cost the others
            content, has_text = "", False
        pages.append(content)
        with_text += has_text
    regions: list[Region] = []
    offset = 0
    for number, content in enumerate(pages, start=1):
        regions.append(Region("page", offset, offset + len(content), f"page {number}"))
        offset += len(content) + len(_PAGE_SEPARATOR)
    text = _PAGE_SEPARATOR.join(pages)
    unreadable = None
    if not with_text:
        unreadable = "damaged" if damaged else "no-text-layer" if pages else "empty"
    elif _garbage_share(text) >= _GARBAGE_SHARE:
        unreadable = "undecodable"
    title, published, language = _pdf_metadata(pdf)
    return Text(
        text=text,
        media_type=PDF,
        regions=tuple(regions),
        unreadable=unreadable,
        title=title,
        language=language,
        published=published,
    )


def _pdf_metadata(pdf: pdfium.PdfDocument) -> tuple[str | None, dt.date | None, str | None]:
    """Title, creation date and language, best effort: broken metadata is no metadata."""
    title = published = language = None
    try:
        metadata = pdf.get_metadata_dict()
        title = " ".join(str(metadata.get("Title") or "").replace("\x00", " ").split()) or None
        published = _pdf_date(str(metadata.get("CreationDate") or ""))
    except (pdfium.PdfiumError, ValueError, TypeError, AttributeError):
        pass
    with contextlib.suppress(pdfium.PdfiumError, ValueError, TypeError, ctypes.ArgumentError):
        language = _pdf_language(pdf)
    return title, published, language
