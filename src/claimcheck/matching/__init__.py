"""Finding a claim in a source text: quotes (parse, locate, then classify the word-level edit
script), figures and dates (by value, near their context words), each giving
:class:`~claimcheck.Evidence`.

The engine, in reading order: ``_quote_parse`` (ellipses, brackets, annotations), ``_locate``
(exact, indexed and fuzzy alignment, stitched quotes), ``_parts`` (the parts a quote puts in
quotation marks of its own), ``_classify`` (differences and the rules for numbers, dates,
negations and hedges), ``_quote``; ``_context``, ``_figure``, ``_date``; ``_claim``
(by kind). ``_index`` holds :class:`SourceIndex`, what matching derives from one source text, made
once per document and passed in by whoever keeps it; ``_quick`` checks the first quote asked of a
source in windows of it, without normalising the whole text, when the quote is there verbatim, and
``_windows`` locates an edited or absent one in windows of it too, where it can show that this
gives the whole-text evidence.
"""

from ._claim import decode_references, match_claim
from ._date import match_date
from ._figure import figure_value_conflict, match_figure
from ._index import SourceIndex
from ._locate import Located, locate_quote
from ._quote import match_quote
from ._quote_parse import ParsedQuote, parse_quote

__all__ = [
    "Located",
    "ParsedQuote",
    "SourceIndex",
    "decode_references",
    "figure_value_conflict",
    "locate_quote",
    "match_claim",
    "match_date",
    "match_figure",
    "match_quote",
    "parse_quote",
]
