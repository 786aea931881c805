"""Source text: HTML, PDF and plain text into a :class:`Text` (regions, language, publication
date)."""

from ._statement import MARKUP_SUFFIXES, SYNTAXES, Syntax, syntax_for
from ._text import Region, Text, extract_text, region_at, text_from_string

__all__ = [
    "MARKUP_SUFFIXES",
    "SYNTAXES",
    "Region",
    "Syntax",
    "Text",
    "extract_text",
    "region_at",
    "syntax_for",
    "text_from_string",
]
