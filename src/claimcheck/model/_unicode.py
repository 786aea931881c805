"""Well-formed Unicode: the one rule every text entry point and every writer applies.

A Python string can hold lone surrogates (U+D800 to U+DFFF on their own): UTF-7 decodes
``+2AA-`` to one, ``os.fsdecode`` makes them of undecodable file-name bytes, a caller may pass
one. No UTF-8 writer can write them (JSON files, SQLite, XML, a terminal all raise
:class:`UnicodeEncodeError`), so one that slipped in would crash whatever writes it last.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["well_formed"]

_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with every surrogate code point replaced by U+FFFD (as JavaScript's
    ``String.prototype.toWellFormed`` does): valid Unicode any UTF-8 writer can write. One
    character for one, so offsets into ``text`` stay right. Noncharacters (U+FFFE, U+FFFF…) are
    valid Unicode and kept; the renderings that cannot hold them escape them."""
    if text.isascii():  # the common case, without a regular-expression scan
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)
