"""PDFs into a :class:`Text`, with pdfium: one region per page, columns in reading order,
line-break hyphenation undone (pdfium marks it), no other normalisation; the title, language
and creation date of the metadata. A scanned, encrypted or damaged PDF is a finding
(:attr:`Text.unreadable`), never an exception."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import re
import threading
from typing import TYPE_CHECKING, Final

from ._pdf_columns import reading_order_text
from ._text import GARBAGE_SHARE, PDF, Region, Text, clean_language, garbage_share, word_chars

# pypdfium2 is imported by each function that calls it, when a PDF is first read: a check of web
# pages, or ``import claimcheck``, never loads it (start-up, issue 17).
if TYPE_CHECKING:
    import pypdfium2 as pdfium

__all__ = ["extract_pdf"]


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
    import pypdfium2.raw as pdfium_raw

    get_language = getattr(pdfium_raw, "FPDFCatalog_GetLanguage", None)
    if get_language is None:
        return None
    size = int(get_language(pdf, None, 0))
    if size <= 2:  # just the UTF-16 terminator
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    get_language(pdf, buffer, size)
    return clean_language(bytes(buffer)[: size - 2].decode("utf-16-le", "replace"))


def _has_image(page: pdfium.PdfPage) -> bool:
    import pypdfium2.raw as pdfium_raw

    return any(True for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))


def extract_pdf(data: bytes) -> Text:
    """Read a PDF with pdfium; every failure becomes a finding, never an exception."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

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
            content = _clean_page(reading_order_text(textpage))
        finally:
            textpage.close()
        words = word_chars(content, limit=_SCANNED_PAGE_CHARS)
        return content, words >= _SCANNED_PAGE_CHARS or (words > 0 and not _has_image(page))
    finally:
        page.close()


def _read_pdf(pdf: pdfium.PdfDocument) -> Text:
    import pypdfium2 as pdfium

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
    elif garbage_share(text) >= GARBAGE_SHARE:
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
    import pypdfium2 as pdfium

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
