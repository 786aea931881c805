"""Text extraction: the bytes of a source document (or an already decoded string) into the
:class:`Text` claims are searched in (see :mod:`._text`); and :class:`ExtractionCache`, the
last texts extracted, for a caller that extracts the same bytes more than once."""

from __future__ import annotations

import collections
import hashlib
import threading
from typing import Final

from ..errors import ConfigurationError, TextExtractionError
from ..model import well_formed
from ._html_source import parse_html
from ._pdf_source import extract_pdf
from ._sniffing import decode, is_markup_type, is_non_document_type, parse_media_type, resolve_kind
from ._text import HTML, PDF, PLAIN, Kind, Text, parse_plain

__all__ = ["ExtractionCache", "extract_text", "text_from_string"]

_CacheKey = tuple[bytes, str, str | None, str | None]
_DEFAULT_SIZE: Final = 64


class ExtractionCache:
    """The last ``size`` texts extracted, by a BLAKE2 digest of what they were extracted from
    (so the bytes themselves are not kept alive) and how (media type, charset): extracting the
    same bytes again through it returns the same :class:`Text` without parsing again.

    An object its owner passes in (:func:`extract_text`'s ``cache``), not a module global: a
    check run has its own cache of texts by snapshot digest (``claimcheck.checking.TextCache``),
    a fetcher comparing pages keeps one of these. Thread-safe.
    """

    def __init__(self, size: int = _DEFAULT_SIZE) -> None:
        if size < 1:
            raise ConfigurationError(f"an extraction cache holds at least 1 text, not {size}")
        self.size = size
        self._texts: collections.OrderedDict[_CacheKey, Text] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, key: _CacheKey) -> Text | None:
        """The text extracted under ``key``, if it is still kept."""
        with self._lock:
            found = self._texts.get(key)
            if found is not None:
                self._texts.move_to_end(key)
            return found

    def put(self, key: _CacheKey, text: Text) -> None:
        """Keep ``text`` under ``key``, forgetting the least recently used beyond the size."""
        with self._lock:
            self._texts[key] = text
            self._texts.move_to_end(key)
            while len(self._texts) > self.size:
                self._texts.popitem(last=False)


def extract_text(
    data: bytes,
    media_type: str | None = None,
    *,
    charset: str | None = None,
    cache: ExtractionCache | None = None,
) -> Text:
    """Extract the searchable text of the document *data*.

    *media_type* is the value of a ``Content-Type`` header; its ``charset`` parameter is used to
    decode (an explicit *charset* argument wins over it, a byte-order mark over both, as in
    browsers; a charset browsers do not decode, such as UTF-7, is ignored like an unknown one).
    The text is well-formed Unicode (:func:`~claimcheck.model.well_formed`). Without a media
    type, or with a generic one such as ``application/octet-stream``, the bytes are sniffed:
    ``%PDF-`` is a PDF, markup is HTML, anything else is plain text. The bytes also win over a
    declared type when they are unambiguous: a ``%PDF-`` file served as ``text/html`` is read as
    a PDF, and an HTML error page served as ``application/pdf`` as HTML.

    With a *cache*, extracting the same bytes again (with the same media type and charset)
    returns the same :class:`Text` object without parsing again; without one, nothing is kept.

    Raises :class:`~claimcheck.TextExtractionError` only for input that is clearly not a document,
    such as an image or an archive; unreadable documents come back with
    :attr:`Text.unreadable` set.
    """
    data = bytes(data)
    declared, header_charset = parse_media_type(media_type)
    charset = charset or header_charset
    key = (hashlib.blake2b(data, digest_size=20).digest(), "bytes", declared, charset)
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return cached
    kind = resolve_kind(data, declared)
    if kind == PDF:
        result = extract_pdf(data)
    else:
        markup, used = decode(data, charset, markup=kind == HTML)
        result = parse_html(markup, used) if kind == HTML else parse_plain(markup, used)
    if cache is not None:
        cache.put(key, result)
    return result


def text_from_string(
    text: str, media_type: str = PLAIN, *, cache: ExtractionCache | None = None
) -> Text:
    """Wrap an already-decoded string as a :class:`Text`.

    With an HTML media type (``text/html``, ``application/xhtml+xml``) the string is parsed as
    HTML exactly as :func:`extract_text` would after decoding; any other text type is taken as
    plain text. A PDF or other binary type raises :class:`~claimcheck.TextExtractionError`: those
    are bytes, not strings. A *cache* is used as by :func:`extract_text`. Lone surrogates
    become U+FFFD (:func:`~claimcheck.model.well_formed`), as in decoded bytes.
    """
    declared, _ = parse_media_type(media_type)
    if declared == PDF or (declared is not None and is_non_document_type(declared)):
        raise TextExtractionError(
            f"a {declared} document is bytes, not a string: use extract_text()"
        )
    kind: Kind = HTML if declared is not None and is_markup_type(declared) else PLAIN
    text = well_formed(text)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()
    key = (digest, "str", kind, None)
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return cached
    result = parse_html(text, None) if kind == HTML else parse_plain(text, None)
    if cache is not None:
        cache.put(key, result)
    return result
