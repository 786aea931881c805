"""Where sentences end: the one rule the matcher (a figure's sentence) and the statement reader
(a claim's sentence, its links) share.

A full stop, question or exclamation mark or ellipsis, then closing quotes or brackets, then
space, ends a sentence unless the period closes an abbreviation or an initial ("W. M. Keck",
"Nov. 15", "U.S. envoy") or a day number ("18. Oktober"), or the next word starts in lowercase or
with a digit. A line break always ends one.
"""

from __future__ import annotations

import re

__all__ = ["SENTENCE_END", "ends_sentence"]

_DAY_NUMBER = re.compile(r"(?<![\d.,])\d{1,2}\.$")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|\n")
"""A candidate sentence end: what :func:`ends_sentence` then confirms."""

# Words after which a period does not end a sentence ("W. M. Keck", "Nov. 15", "U.S. envoy").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt vol pp fig ed eds gen col lt sgt capt cmdr adm rep sen"
    " gov pres rev hon messrs jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp"
    " bros vs etc approx est ca cf al e.g i.e u.s u.k u.n e.u a.m p.m dept univ"
    " nr hr fr dhr mme mlle bzw ggf usw tsp tbsp oz lb lbs pt qt mio mia mrd kr tsd".split()
)


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
    while period >= 0 and text[period] in "\"'”’»)]":
        period -= 1
    if period < 0 or text[period] != ".":
        return False
    start = period
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:period].casefold()
    return len(word) == 1 or word in _ABBREVIATIONS
