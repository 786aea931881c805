"""How to read a source document's bytes: what kind of document they are (HTML, PDF or plain
text, by the declared media type and by sniffing the bytes, as browsers do) and how to decode
them (byte order mark, declared charset, ``<meta>``, then detection)."""

from __future__ import annotations

import codecs
import re
from typing import Final

import charset_normalizer

from ..errors import TextExtractionError
from ..model import well_formed
from ._text import HTML, PDF, PLAIN, Kind, name_set

__all__ = [
    "decode",
    "is_markup_type",
    "is_non_document_type",
    "parse_media_type",
    "resolve_kind",
    "web_codec",
]

# --- media types and sniffing -------------------------------------------------------------------

_HTML_TYPES: Final = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
)
_PDF_TYPES: Final = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
_NON_DOCUMENT_FAMILIES: Final = ("image/", "audio/", "video/", "font/", "model/")
_NON_DOCUMENT_TYPES: Final = name_set(
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


def parse_media_type(media_type: str | None) -> tuple[str | None, str | None]:
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


def is_markup_type(essence: str) -> bool:
    return essence in _HTML_TYPES or (essence.endswith("+xml") and not essence.startswith("image/"))


def is_non_document_type(essence: str) -> bool:
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


def resolve_kind(data: bytes, declared: str | None) -> Kind:
    """Decide how to read *data*; raise if it is clearly not a document."""
    if _is_pdf(data):
        return PDF
    if _has_binary_magic(data):
        raise TextExtractionError(f"not a document: binary data (declared {declared or 'no type'})")
    if declared is not None and declared in _PDF_TYPES:
        # Servers answer PDF links with HTML login and error pages; let pdfium judge the rest.
        return HTML if _looks_like_html(data) else PDF
    if declared is not None and is_markup_type(declared):
        return HTML
    textual = declared is not None and declared.startswith("text/")
    if not textual and _looks_like_html(data):
        return HTML
    if _looks_binary(data):
        raise TextExtractionError(f"not a document: binary data (declared {declared or 'no type'})")
    if declared is not None and not textual and is_non_document_type(declared):
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
# The encodings browsers decode (WHATWG Encoding Standard, section 4 "Encodings"), as the Python
# codecs that decode them after _SUPERSETS: a page is read as its readers see it. Every other
# label is ignored, as browsers ignore a label they do not know: UTF-7 (which turns "+2AA-" into
# a lone surrogate, and shows a reader other words than a browser does), the escape codecs
# ("unicode-escape"), EBCDIC, HZ and the rest.
_WEB_CODECS: Final = name_set(
    "utf-8 utf-16 utf-16-le utf-16-be cp866 iso8859-2 iso8859-3 iso8859-4 iso8859-5 iso8859-6",
    "iso8859-7 iso8859-8 iso8859-10 iso8859-13 iso8859-14 iso8859-15 iso8859-16 koi8-r koi8-u",
    "mac-roman mac-cyrillic cp874 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257",
    "cp1258 gb18030 big5hkscs euc_jp iso2022_jp cp932 cp949",
)
# WHATWG labels Python does not know by these names.
_WEB_LABELS: Final = {
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "logical": "iso8859-8",
}
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
_LATIN_CODEPAGES: Final = name_set(
    "cp1250 cp1252 cp1254 cp1257 iso8859-1 iso8859-2 iso8859-3 iso8859-4 iso8859-9 iso8859-10",
    "iso8859-13 iso8859-14 iso8859-15 iso8859-16 mac-roman mac-latin2 mac-iceland mac-turkish",
    "cp437 cp850 cp858",
)


def _codec(label: str, *, from_meta: bool = False, detected: bool = False) -> str | None:
    """The Python codec for a charset label, mapped as browsers map it, or ``None`` for a label
    browsers do not decode. A ``detected`` Latin code page is windows-1252."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_WEB_LABELS.get(label, label)).name
    except (LookupError, ValueError):
        return None
    name = _SUPERSETS.get(name, name)
    if detected and name in _LATIN_CODEPAGES:
        name = "cp1252"
    if name not in _WEB_CODECS:
        return None
    if from_meta and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a <meta> that could be read as ASCII cannot be right about UTF-16
    return name


def web_codec(label: str) -> str | None:
    """The Python codec that decodes the charset ``label`` as browsers do, or ``None`` for a
    label browsers do not decode (UTF-7, say): the one rule for every text claimcheck reads,
    pages and archive answers alike."""
    return _codec(label)


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        if codec == "cp1252":
            return data.decode("latin-1")  # cp1252 leaves five bytes undefined; Latin-1 none
        return None


def decode(data: bytes, declared: str | None, *, markup: bool) -> tuple[str, str]:
    """Decode *data*: BOM, then the declared charset, then ``<meta>``, then detection.

    Never fails: a declaration that does not fit the bytes, or names an encoding browsers do not
    decode, is ignored, and the last resort decodes with replacement characters. The text is
    well-formed (:func:`~claimcheck.model.well_formed`). Returns the text and the codec used.
    """
    text, codec = _decode(data, declared, markup=markup)
    return (text if codec in _UNICODE_CODECS else well_formed(text)), codec


# Python's decoders of the Unicode encodings never produce a lone surrogate (strict ones raise
# on an encoded surrogate, "replace" writes U+FFFD), so their text is well-formed already: a
# scan of a large page for surrogates saved (``tests/documents/test_decode_speed.py``).
_UNICODE_CODECS: Final = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)


def _decode(data: bytes, declared: str | None, *, markup: bool) -> tuple[str, str]:
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
        codec = _codec(str(best.encoding), detected=True)
        if codec is not None:
            decoded = _try_decode(data, codec)
            if decoded is not None:
                return decoded, codec
    return data.decode("cp1252", "replace"), "cp1252"
