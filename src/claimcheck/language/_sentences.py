"""Where sentences end: the one rule the matcher (a figure's sentence in a source) and the
statement reader (a claim's sentence, its links) share.

A run of full stops, question or exclamation marks or ellipses, then closing marks (quotation
marks, brackets, footnote markers: superscript digits, ``*``, ``†``, ``‡``), then space, ends a
sentence unless the last stop closes an abbreviation or an initial ("W. M. Keck", "Nov. 15",
"U.S. envoy", "10 Mio. Euro") or a day number ("18. Oktober"), or the next word starts in
lowercase or with a digit. The sentence ends after its closing marks.

Line breaks mean two things. In a source's text (:func:`claimcheck.documents.extract_text`) a
line break is a block boundary (a paragraph, a list item, a table cell): it always ends a
sentence. In a statement's prose (Markdown, or plain text written by hand) a single line break
is a wrapped line, and only a blank line (a paragraph's end, which the statement reader cuts at)
ends one. :func:`sentence_ends` takes which as ``line_breaks``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from ._date_words import MONTH_WORDS
from ._digits import DOTTED_SCALES

__all__ = ["SENTENCE_END", "ends_sentence", "iter_sentence_ends", "sentence_ends"]

_DAY_NUMBER: Final = re.compile(r"(?<![\d.,])\d{1,2}\.$")
_CLOSERS: Final = "\"'”’»›)]」』¹²³⁰⁴⁵⁶⁷⁸⁹*†‡"
SENTENCE_END: Final = re.compile(rf"[.!?…]+(?P<closers>[{re.escape(_CLOSERS)}]*)(?P<space>\s+)")
"""A candidate sentence end: the punctuation, its ``closers`` and the ``space`` after them; what
:func:`ends_sentence` then confirms."""
_END_OR_BREAK: Final = re.compile(rf"{SENTENCE_END.pattern}|\n")

# Words after which a period does not end a sentence ("W. M. Keck", "U.S. envoy"), the month
# abbreviations of every language ("Nov. 15", "5. Dez.") and the scale words written with a
# full stop ("10 Mio. Euro": the stop is the figure's).
_ABBREVIATIONS: Final = (
    frozenset(
        "mr mrs ms dr prof sr jr st mt vol pp fig ed eds gen col lt sgt capt cmdr adm rep sen"
        " gov pres rev hon messrs inc ltd co corp"
        " bros vs etc approx est ca cf al e.g i.e u.s u.k u.n e.u a.m p.m dept univ"
        " nr hr fr dhr mme mlle bzw ggf usw tsp tbsp oz lb lbs pt qt kr".split()
    )
    | frozenset(word.removesuffix(".") for word in MONTH_WORDS if word.endswith("."))
    | DOTTED_SCALES
)


def sentence_ends(text: str, *, line_breaks: bool) -> list[tuple[int, int]]:
    """Where the sentences of ``text`` end, in order, as ``(end, start of what follows)``: after
    the punctuation and its closing marks, and before the space that follows them. With
    ``line_breaks``, every line break ends a sentence too (a source's text); without, only
    punctuation does (a statement's prose: see the module documentation)."""
    return list(iter_sentence_ends(text, line_breaks=line_breaks))


def iter_sentence_ends(text: str, *, line_breaks: bool) -> Iterator[tuple[int, int]]:
    """:func:`sentence_ends`, one at a time: a source's sentences are many (a list of their
    ends took one and a half times a 1 MB text, issue 17), and its index reads them in turn."""
    for match in _END_OR_BREAK.finditer(text):
        space = match.group("space")
        if space is None:  # a line break without punctuation before it
            if line_breaks:
                yield match.start(), match.end()
        elif (line_breaks and "\n" in space) or ends_sentence(
            text, match.start("closers"), match.end()
        ):
            yield match.start("space"), match.end()


def ends_sentence(text: str, end: int, next_start: int) -> bool:
    """Whether punctuation just before ``end`` closes a sentence: not after an abbreviation or
    an initial, not after a day number ("18. Oktober"), not before a lowercase word or digit."""
    following = text[next_start : next_start + 1]
    if following and (following.islower() or following.isdigit()):
        return False
    if _is_abbreviation(text, end):
        return False
    digits = _DAY_NUMBER.search(text[max(0, end - 4) : end])
    return digits is None


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period just before ``end`` closes an abbreviation or an initial."""
    period = end - 1
    while period >= 0 and text[period] in _CLOSERS:
        period -= 1
    if period < 0 or text[period] != ".":
        return False
    start = period
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:period].casefold()
    return len(word) == 1 or word in _ABBREVIATIONS
