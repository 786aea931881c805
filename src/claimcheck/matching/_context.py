"""Values near their context: what figures and dates have in common.

A figure or a date is matched by *value* near its context words: the words a user gave as the
claim's ``context``, or the claim's own words. A value counts only in a sentence that holds
context words (or next to one that does), and only the best-placed values count at all: a value
far from its context is not evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..documents import Text, region_at
from ..language import CURRENCY_WORDS, HEDGE_WORDS, MONTH_WORDS, STOPWORDS
from ..model import Evidence, Reason
from ._index import WORD, SourceIndex

__all__ = ["context_words", "in_context", "value_evidence"]

_CONTEXT_THRESHOLD = 0.5
_CONTEXT_TIER = 0.75


def context_words(text: str, *exclude: tuple[int, int], explicit: bool = False) -> list[str]:
    """The words to look for near a figure or date. Words a user gave as ``context`` are all
    kept; words derived from the claim's text lose function words, numbers, hedges, currency
    names ("dollars": the source may write "$") and months, and the spans ``exclude`` (the
    claimed value itself)."""
    if explicit:
        return [match.group().casefold() for match in WORD.finditer(text)]
    kept = list(text)
    for start, end in exclude:
        for position in range(max(0, start), min(len(kept), end)):
            kept[position] = " "
    return [
        word
        for word in (match.group().casefold() for match in WORD.finditer("".join(kept)))
        if word not in STOPWORDS
        and not any(char.isdigit() for char in word)
        and word not in HEDGE_WORDS
        and word not in CURRENCY_WORDS
        and word not in MONTH_WORDS
    ]


def in_context(
    index: SourceIndex, positions: Sequence[int], context: Sequence[str]
) -> list[tuple[float, int, tuple[int, int]]]:
    """Which of ``positions`` lie near the context words: (score, which position, the span of
    its sentence) for each, keeping only the best-placed tier.

    The score is the share of context words in the sentence around the position, with words of
    the neighbouring sentences counting half (a figure and its subject are often split across
    two sentences); at least two context words (or the one given) must be in the sentence itself.
    """
    holding = [index.sentences_with(word) for word in context]
    found: list[tuple[float, int, tuple[int, int]]] = []
    for which, position in enumerate(positions):
        at = index.sentence_at(position)
        span = index.sentence_span(at) if index.sentence_count else (0, len(index.text))
        if not context:
            found.append((1.0, which, span))
            continue
        here = sum(1 for where in holding if at in where)
        if here < min(2, len(context)):
            continue
        near = sum(
            1 for where in holding if at not in where and (at - 1 in where or at + 1 in where)
        )
        score = (here + 0.5 * near) / len(context)
        if score >= _CONTEXT_THRESHOLD:
            found.append((score, which, span))
    if not found:
        return []
    best = max(score for score, _, _ in found)
    return [item for item in found if item[0] >= _CONTEXT_TIER * best]


def value_evidence(
    reason: Reason,
    explanation: str,
    score: float,
    text: Text,
    sentence: tuple[int, int],
    position: int,
    found: str,
) -> Evidence:
    """The evidence for a figure or date found at ``position``: the sentence it was read in is
    the passage."""
    start, end = sentence
    return Evidence(
        reason.status,
        reason,
        explanation,
        round(100 * min(score, 1.0), 1),
        text.text[start:end],
        (start, end),
        region_at(text, position),
        found=found,
    )
