"""Text extraction: the bytes of a source document (or an already decoded string) into the
:class:`Text` claims are searched in (see :mod:`._text`); :class:`ExtractionCache`, the last texts
extracted, for a caller that extracts the same bytes more than once; and :class:`BoundedCache`,
the bounded memory of such caches."""

from __future__ import annotations

import collections
import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import Final, Generic, TypeVar

from ..errors import ConfigurationError, TextExtractionError
from ..model import well_formed
from ._html_source import parse_html
from ._pdf_source import extract_pdf
from ._sniffing import decode, is_markup_type, is_non_document_type, parse_media_type, resolve_kind
from ._text import HTML, PDF, PLAIN, Kind, Text, parse_plain

__all__ = ["BoundedCache", "ExtractionCache", "extract_text", "text_from_string"]

_CacheKey = tuple[bytes, str, str | None, str | None]
_DEFAULT_SIZE: Final = 64
_DEFAULT_CHARACTERS: Final = 16 * 2**20

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class BoundedCache(Generic[_K, _V]):
    """The values used last, by key, within a number of them and a total weight (their size):
    a cache of documents whose memory does not grow with the number of documents a run reads.

    ``weigh`` gives a value's weight (say, its text's length). Beyond ``items`` values or a
    total weight of ``weight``, the values used longest ago are forgotten, except the ``keep``
    used last, whatever they weigh (the document being read, and the one read in turn with
    it). Thread-safe.
    """

    def __init__(
        self, *, items: int, weight: int, weigh: Callable[[_V], int], keep: int = 1
    ) -> None:
        self.items = items
        self.weight = weight
        self.keep = keep
        self._weigh = weigh
        self._values: collections.OrderedDict[_K, tuple[_V, int]] = collections.OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    @property
    def total(self) -> int:
        """The total weight of the values kept."""
        return self._total

    def get(self, key: _K) -> _V | None:
        """The value kept under ``key`` (now the one used last), if it is still kept."""
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[0]

    def put(self, key: _K, value: _V) -> None:
        """Keep ``value`` under ``key`` as the one used last, forgetting the values used
        longest ago beyond the bounds."""
        weight = self._weigh(value)
        with self._lock:
            previous = self._values.pop(key, None)
            if previous is not None:
                self._total -= previous[1]
            self._values[key] = (value, weight)
            self._total += weight
            while len(self._values) > self.keep and (
                len(self._values) > self.items or self._total > self.weight
            ):
                _, (_, forgotten) = self._values.popitem(last=False)
                self._total -= forgotten


class ExtractionCache:
    """The last texts extracted (at most ``size`` of them, of at most ``characters`` in all
    beyond the last one), by a BLAKE2 digest of what they were extracted from (so the bytes
    themselves are not kept alive) and how (media type, charset): extracting the same bytes
    again through it returns the same :class:`Text` without parsing again.

    An object its owner passes in (:func:`extract_text`'s ``cache``), not a module global: a
    check run has its own cache of texts by snapshot digest (``claimcheck.checking.TextCache``),
    a fetcher comparing pages keeps one of these. Thread-safe.
    """

    def __init__(self, size: int = _DEFAULT_SIZE, characters: int = _DEFAULT_CHARACTERS) -> None:
        if size < 1:
            raise ConfigurationError(f"an extraction cache holds at least 1 text, not {size}")
        self.size = size
        self._texts: BoundedCache[_CacheKey, Text] = BoundedCache(
            items=size, weight=characters, weigh=_length
        )

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, key: _CacheKey) -> Text | None:
        """The text extracted under ``key``, if it is still kept."""
        return self._texts.get(key)

    def put(self, key: _CacheKey, text: Text) -> None:
        """Keep ``text`` under ``key``, forgetting the least recently used beyond the bounds."""
        self._texts.put(key, text)


def _length(text: Text) -> int:
    return len(text.text)


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
    key: _CacheKey | None = None
    if cache is not None:  # without one, the bytes need no digest
        key = (hashlib.blake2b(data, digest_size=20).digest(), "bytes", declared, charset)
        cached = cache.get(key)
        if cached is not None:
            return cached
    kind = resolve_kind(data, declared)
    if kind == PDF:
        result = extract_pdf(data)
    else:
        markup, used = decode(data, charset, markup=kind == HTML)
        result = parse_html(markup, used) if kind == HTML else parse_plain(markup, used)
    if cache is not None and key is not None:
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
