"""The per-document state of matching: :class:`SourceIndex`, built once per source text and shared
by every claim checked against it.

Matching a quote needs the source normalised, with its token index; matching a figure or a date
needs the source split into sentences, with an index of the words of each. Both cost far more
than matching one claim, so they are made once per document, on first use, and kept by whoever
holds the index (the checker keeps one per cached text, and stores its :meth:`SourceIndex.state`
beside the text on disk). Nothing is cached in module globals: a matcher called without an index
builds a fresh one, and forgets it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..documents import Text
from ..errors import ConfigurationError
from ..language import (
    Figure,
    FoundDate,
    NormalizedText,
    find_dates,
    find_figures,
    normalize,
    sentence_ends,
)
from ..model import Evidence, Reason, Status

__all__ = ["WORD", "SourceIndex", "as_text", "resolve_index", "unreadable"]

WORD = re.compile(r"\w+")
"""A word, as the sentence index and the context words count them."""

_INFLECTIONS = ("s", "es", "ed", "d", "er", "ers", "'s", "ing", "n", "en", "e", "er", "r")
_MEMO_LIMIT = 8192  # figures or dates of this many sentences are remembered per document


def _same_word(a: str, b: str) -> bool:
    """Words match when equal, when one is the other plus a common ending ("year"/"years"), or
    when they share a long prefix ("residency"/"residence", "Syrians"/"Syrian"): a cheap,
    language-neutral stand-in for stemming."""
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 3 and longer.startswith(shorter) and longer[len(shorter) :] in _INFLECTIONS:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(5, math.ceil(0.75 * len(shorter)))


class SourceIndex:
    """What matching derives from one source text, made once and reused for every claim.

    ``SourceIndex(text)`` costs nothing until a matcher asks: :attr:`normalized` (the canonical
    form with its token index, for quotes) and the sentence split with its word index (for
    figures and dates) are each made on first use. :meth:`state` gives them as JSON-ready data,
    and :meth:`from_state` restores an index from it without computing them again. Pass an index
    to :func:`~claimcheck.matching.match_claim` (or ``match_quote``, ``match_figure``,
    ``match_date``) as ``index=``; it must be of that very source text.
    """

    __slots__ = (
        "_by_prefix",
        "_dates",
        "_ends",
        "_figures",
        "_holding",
        "_normalized",
        "_postings",
        "_quotes_asked",
        "_starts",
        "text",
    )

    text: str

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalized: NormalizedText | None = None
        self._quotes_asked = 0
        self._starts: list[int] | None = None  # sentence bounds, in order
        self._ends: list[int] = []
        self._postings: dict[str, list[int]] = {}  # word -> the sentences holding it
        self._by_prefix: dict[str, list[str]] | None = None
        self._holding: dict[str, frozenset[int]] = {}
        self._figures: dict[tuple[int, str | None, bool], tuple[Figure, ...]] = {}
        self._dates: dict[tuple[int, dt.date | None, str | None], tuple[FoundDate, ...]] = {}

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return f"SourceIndex({preview!r})"

    @property
    def normalized(self) -> NormalizedText:
        """The text in canonical form (:func:`~claimcheck.language.normalize`)."""
        if self._normalized is None:
            self._normalized = normalize(self.text)
        return self._normalized

    @property
    def has_normalized(self) -> bool:
        """Whether the normalised text has been made (one quote alone may not need it)."""
        return self._normalized is not None

    def first_quote(self) -> bool:
        """Whether a quote is asked of this text for the first time with nothing yet derived:
        one quote is cheaper checked in windows of the text than by normalising all of it, and
        from the second quote on, the normalised text (made once) is the cheaper."""
        self._quotes_asked += 1
        return self._quotes_asked == 1 and self._normalized is None

    def state(self) -> dict[str, Any]:
        """Everything this index derives from its text, as JSON-ready data (for an on-disk
        cache): ``{"normalized": ..., "analysis": {"sentences": ..., "postings": ...}}``."""
        self._split()
        assert self._starts is not None
        return {
            "normalized": self.normalized.state(),
            "analysis": {
                "sentences": [
                    [start, end] for start, end in zip(self._starts, self._ends, strict=True)
                ],
                "postings": self._postings,
            },
        }

    @classmethod
    def from_state(cls, text: str, state: dict[str, Any]) -> SourceIndex:
        """Restore an index of ``text`` from its :meth:`state`. Malformed state raises
        :class:`KeyError`, :class:`TypeError` or :class:`ValueError`."""
        index = cls(text)
        index._normalized = NormalizedText.from_state(text, state["normalized"])
        analysis = state["analysis"]
        bounds = [(int(start), int(end)) for start, end in analysis["sentences"]]
        index._starts = [start for start, _ in bounds]
        index._ends = [end for _, end in bounds]
        postings = analysis["postings"]
        if not isinstance(postings, dict):
            raise TypeError("the word index of a source is a mapping")
        index._postings = postings
        return index

    def _split(self) -> None:
        """Split the text into sentences (at sentence punctuation and line breaks) and index
        their words."""
        if self._starts is not None:
            return
        text = self.text
        starts: list[int] = []
        ends: list[int] = []
        postings: dict[str, list[int]] = {}

        def add(start: int, end: int) -> None:
            words = WORD.findall(text[start:end].casefold())
            if not words and not text[start:end].strip():
                return
            number = len(starts)  # one int object shared by all the sentence's postings
            for word in words:
                where = postings.setdefault(word, [])
                if not where or where[-1] != number:
                    where.append(number)
            starts.append(start)
            ends.append(end)

        start = 0
        for end, following in sentence_ends(text, line_breaks=True):
            add(start, end)
            start = following
        if text[start:].strip():
            add(start, len(text))
        self._ends, self._postings = ends, postings
        self._starts = starts  # last: the split is done once this is set

    @property
    def sentence_count(self) -> int:
        """How many sentences the text has."""
        self._split()
        assert self._starts is not None
        return len(self._starts)

    def sentence_at(self, position: int) -> int:
        """The index of the sentence that holds (or last starts before) ``position``."""
        self._split()
        assert self._starts is not None
        return max(0, bisect_right(self._starts, position) - 1)

    def sentence_span(self, index: int) -> tuple[int, int]:
        """The span of sentence ``index`` in the text."""
        self._split()
        assert self._starts is not None
        return self._starts[index], self._ends[index]

    def sentences_with(self, word: str) -> frozenset[int]:
        """The sentences that hold ``word`` or a form of it (:func:`_same_word`)."""
        held = self._holding.get(word)
        if held is None:
            self._split()
            if self._by_prefix is None:
                by_prefix: dict[str, list[str]] = {}
                for known in self._postings:  # _same_word relates only words sharing these
                    by_prefix.setdefault(known[:3], []).append(known)
                self._by_prefix = by_prefix
            forms = [
                other for other in self._by_prefix.get(word[:3], ()) if _same_word(word, other)
            ]
            held = frozenset(index for other in forms for index in self._postings[other])
            self._holding[word] = held
        return held

    def near_sentences(self, words: Sequence[str]) -> list[int]:
        """The sentences that hold at least two of ``words`` (or the one, when only one is
        given), in order; every sentence when no words are given."""
        if not words:
            return list(range(self.sentence_count))
        counts: dict[int, int] = {}
        for word in words:
            for index in self.sentences_with(word):
                counts[index] = counts.get(index, 0) + 1
        needed = min(2, len(words))
        return sorted(index for index, count in counts.items() if count >= needed)

    def figures_in(
        self, sentences: Iterable[int], language: str | None, keep_dates: bool
    ) -> tuple[Figure, ...]:
        """The figures of some sentences (offsets in the text). Numbers that are part of a date
        ("15 March 2021") are left out unless ``keep_dates``."""
        found: list[Figure] = []
        for index in sentences:
            key = (index, language, keep_dates)
            figures = self._figures.get(key)
            if figures is None:
                figures = self._sentence_figures(index, language, keep_dates)
                _remember(self._figures, key, figures)
            found.extend(figures)
        return tuple(found)

    def _sentence_figures(
        self, index: int, language: str | None, keep_dates: bool
    ) -> tuple[Figure, ...]:
        start, end = self.sentence_span(index)
        chunk = self.text[start:end]
        figures = find_figures(chunk, language=language)
        if not keep_dates:
            spans = [(d.start, d.end) for d in find_dates(chunk, language=language)]
            figures = [f for f in figures if not any(a <= f.start < b for a, b in spans)]
        return tuple(
            attrs.evolve(
                figure,
                start=figure.start + start,
                end=figure.end + start,
                hedge_start=None if figure.hedge_start is None else figure.hedge_start + start,
            )
            for figure in figures
        )

    def dates_in(
        self, sentences: Iterable[int], reference: dt.date | None, language: str | None
    ) -> tuple[FoundDate, ...]:
        """The dates of some sentences (offsets in the text)."""
        found: list[FoundDate] = []
        for index in sentences:
            key = (index, reference, language)
            dates = self._dates.get(key)
            if dates is None:
                start, end = self.sentence_span(index)
                dates = tuple(
                    attrs.evolve(date, start=date.start + start, end=date.end + start)
                    for date in find_dates(
                        self.text[start:end], reference=reference, language=language
                    )
                )
                _remember(self._dates, key, dates)
            found.extend(dates)
        return tuple(found)


def _remember(memo: dict[Any, Any], key: object, value: object) -> None:
    """Keep ``value`` in a per-document memo, forgetting the oldest entry beyond the limit."""
    if len(memo) >= _MEMO_LIMIT:
        memo.pop(next(iter(memo)))
    memo[key] = value


def as_text(source: Text | str) -> Text:
    """A string source is taken as it is, so spans are offsets into that very string."""
    return source if isinstance(source, Text) else Text(source, "text/plain")


def resolve_index(text: Text, index: SourceIndex | None) -> SourceIndex:
    """The index to match against ``text``: the one given, checked to be of that text, or a new
    one."""
    if index is None:
        return SourceIndex(text.text)
    if index.text is not text.text and index.text != text.text:
        raise ConfigurationError("the index given is of another text than the source matched")
    return index


def unreadable(text: Text) -> Evidence:
    """The evidence of a source with no readable text."""
    return Evidence(
        Status.BROKEN,
        Reason.UNREADABLE_SOURCE,
        f"the source has no readable text ({text.unreadable}), so the claim cannot be found in it",
    )
