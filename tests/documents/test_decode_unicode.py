"""Decoding skips the surrogate scan for the Unicode encodings (a large page's text is not
scanned again, issue 17): Python's decoders of UTF-8, UTF-16 and UTF-32 never produce a lone
surrogate, strict ones raising on an encoded surrogate and "replace" writing U+FFFD. These tests
pin that premise for every codec the scan is skipped for, by every path that decodes with one
(declared charset, ``<meta>``, byte-order mark, detection). Internals tested directly: the
codec set and ``decode`` are the premise itself, not public behaviour."""

from __future__ import annotations

import codecs
import re

import pytest

from claimcheck.documents import _sniffing
from claimcheck.documents._sniffing import decode

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff", "\ud800\ud800", "\udc00\ud800")


def _encoded(text: str, codec: str) -> bytes:
    """``text`` in ``codec``, lone surrogates encoded as the code points they are."""
    if codec in ("utf-16", "utf-32"):  # with a byte-order mark: little-endian, as written
        bom = codecs.BOM_UTF16_LE if codec == "utf-16" else codecs.BOM_UTF32_LE
        return bom + text.encode(f"{codec}-le", "surrogatepass")
    return text.encode(codec, "surrogatepass")


@pytest.mark.parametrize("codec", sorted(_sniffing._UNICODE_CODECS))
@pytest.mark.parametrize("surrogate", SURROGATES)
def test_the_unicode_decoders_never_produce_a_lone_surrogate(codec: str, surrogate: str) -> None:
    data = _encoded(f"<p>before {surrogate} after</p>", codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode(codec)
    assert not LONE_SURROGATE.search(data.decode(codec, "replace"))


@pytest.mark.parametrize("codec", sorted(_sniffing._UNICODE_CODECS))
@pytest.mark.parametrize("surrogate", SURROGATES)
def test_decoded_text_is_well_formed_by_every_path(codec: str, surrogate: str) -> None:
    body = f'<meta charset="{codec}"><p>before {surrogate} after “quoted” é</p>'
    data = _encoded(body, codec)
    for declared in (codec, None, "utf-8", "windows-1252"):
        for with_bom in (False, True):
            bom = codecs.BOM_UTF8 if with_bom and codec == "utf-8" else b""
            text, used = decode(bom + data, declared, markup=True)
            assert not LONE_SURROGATE.search(text), (declared, used, ascii(text))
            text.encode("utf-8")  # what every writer does in the end


def test_a_declared_legacy_codec_is_still_scanned() -> None:
    # Not a Unicode codec: the scan stays (whatever a codec decodes to, the text is well-formed).
    text, used = decode("<p>caf\xe9</p>".encode("cp1252"), "windows-1252", markup=True)
    assert used == "cp1252"
    assert used not in _sniffing._UNICODE_CODECS
    assert text == "<p>caf\xe9</p>"
