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
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import accumulate, pairwise
from typing import Any, overload

import attrs

from ..documents import Text
from ..errors import ConfigurationError
from ..language import (
    Figure,
    FoundDate,
    NormalizedText,
    find_dates,
    find_figures,
    iter_sentence_ends,
    normalize,
)
from ..model import Evidence, Reason, Status

__all__ = ["WORD", "SourceIndex", "as_text", "resolve_index", "unreadable"]

WORD = re.compile(r"\w+")
"""A word, as the sentence index and the context words count them."""

_INFLECTIONS = ("s", "es", "ed", "d", "er", "ers", "'s", "ing", "n", "en", "e", "er", "r")
# Figures or dates of this many sentences are remembered per document: enough for the
# sentences near a claim's words, and a constant, whatever the document's size (issue 17: at
# 8,192 they took four times a 1 MB text). A claim whose words are in more sentences than
# this reads them all in order, which a memo of fewer than all of them never holds anyway:
# what it reads is not remembered (it took half a 1 MB text more while later claims ran).
_MEMO_LIMIT = 1024
_HOLDING_LIMIT = 256  # words whose sentences are remembered per document


class _Words(Sequence[str]):
    """The words of a word index, sorted, in one string: a string and a dict entry a word took
    1.4 times a 1 MB text of 13,000 distinct words (issue 17); a word is found by bisection."""

    __slots__ = ("_starts", "joined")

    def __init__(self, ordered: list[str]) -> None:
        self.joined = "\n".join(ordered)  # a word has no line break (it is \w+)
        self._starts = array(
            int_code(len(self.joined)), accumulate((len(w) + 1 for w in ordered), initial=0)
        )

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[str]: ...
    def __getitem__(self, at: int | slice) -> str | Sequence[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        at %= len(self)
        return self.joined[self._starts[at] : self._starts[at + 1] - 1]


class _Sentences:
    """A set of sentence numbers as one byte a sentence (:meth:`SourceIndex.sentences_with`
    for a word found in many sentences)."""

    __slots__ = ("_count", "_held")

    def __init__(self, count: int, numbers: Iterable[int]) -> None:
        held = bytearray(count)
        for number in numbers:
            held[number] = 1
        self._held = bytes(held)
        self._count = self._held.count(1)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and 0 <= number < len(self._held) and self._held[number] == 1

    def __iter__(self) -> Iterator[int]:
        held = self._held
        at = held.find(1)
        while at >= 0:
            yield at
            at = held.find(1, at + 1)

    def __len__(self) -> int:
        return self._count


_CODE = "i"  # the arrays of an index not split yet


def int_code(largest: int) -> str:
    """The :mod:`array` type code of 4-byte integers when ``largest`` fits in them (offsets in
    any text below 2 GiB characters), else of 8-byte ones."""
    return "i" if largest < 2**31 and array("i").itemsize == 4 else "q"


def _ints(value: object) -> array[int]:
    """``value`` when it is an array of integers an index keeps (:func:`int_code`)."""
    if not isinstance(value, array) or value.typecode not in ("i", "q"):
        raise TypeError("the sentence analysis of a source is arrays of integers")
    return value


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
    figures and dates) are each made on first use, and ``on_derived`` (when given) is called
    with the index after each is made: whoever keeps the index on disk saves what was made,
    and only that (one quote alone may never need the text normalised). :meth:`state` gives
    what was made, and :meth:`from_state` restores an index from it without computing it
    again. Pass an index to :func:`~claimcheck.matching.match_claim` (or ``match_quote``,
    ``match_figure``, ``match_date``) as ``index=``; it must be of that very source text.

    The sentence split is kept packed (issue 17: memory per document): sentence bounds in two
    arrays of machine integers, and the word index as one array of sentence numbers, word by
    word, with where each word's run starts (a list of Python ints would take some 36 bytes a
    posting, an array 4).
    """

    __slots__ = (
        "_dates",
        "_ends",
        "_figures",
        "_holding",
        "_normalized",
        "_offsets",
        "_on_derived",
        "_postings",
        "_quotes_asked",
        "_quotes_expected",
        "_starts",
        "_words",
        "text",
    )

    text: str

    def __init__(self, text: str, on_derived: Callable[[SourceIndex], None] | None = None) -> None:
        self.text = text
        self._on_derived = on_derived
        self._normalized: NormalizedText | None = None
        self._quotes_asked = 0
        self._quotes_expected = 0
        self._starts: array[int] | None = None  # sentence bounds, in order
        self._ends: array[int] = array(_CODE)
        self._words = _Words([])  # the words indexed, sorted: word number -> word
        self._offsets: array[int] = array(_CODE, [0])  # word number -> its run of postings
        self._postings: array[int] = array(_CODE)  # the sentences holding each word, in runs
        self._holding: dict[str, Collection[int]] = {}
        self._figures: dict[tuple[int, str | None, bool], tuple[Figure, ...]] = {}
        self._dates: dict[tuple[int, dt.date | None, str | None], tuple[FoundDate, ...]] = {}

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return f"SourceIndex({preview!r})"

    @property
    def normalized(self) -> NormalizedText:
        """The text in canonical form (:func:`~claimcheck.language.normalize`)."""
        if self._normalized is None:
            # Normalised for several quotes (the first alone is looked for in windows of the
            # text), it will map back several quotes' spans: the gaps between tokens are kept.
            several = max(self._quotes_asked, self._quotes_expected) > 1
            self._normalized = normalize(self.text, keep_gaps=several)
            if self._on_derived is not None:
                self._on_derived(self)
        return self._normalized

    @property
    def has_normalized(self) -> bool:
        """Whether the normalised text has been made (one quote alone may not need it)."""
        return self._normalized is not None

    @property
    def has_sentences(self) -> bool:
        """Whether the sentence split has been made (quotes alone do not need it)."""
        return self._starts is not None

    def expect_quotes(self, count: int) -> None:
        """Note that ``count`` quotes are about to be checked against this text. From two on,
        the text is normalised whole now, as for the second quote: checking the first in
        windows of the text would be work done twice (the evidence is the same either way)."""
        self._quotes_expected = max(self._quotes_expected, count)
        if count > 1:
            _ = self.normalized

    def first_quote(self) -> bool:
        """Whether a quote is asked of this text for the first time with nothing yet derived:
        one quote is cheaper checked in windows of the text than by normalising all of it, and
        from the second quote on, the normalised text (made once) is the cheaper."""
        self._quotes_asked += 1
        return self._quotes_asked == 1 and self._normalized is None

    def state(self) -> dict[str, Any]:
        """What this index has made of its text so far, nothing made for the asking:
        ``"normalized"`` (JSON-ready, :meth:`NormalizedText.state`) when it was normalised, and
        ``"analysis"`` when it was split into sentences: ``starts``, ``ends`` (the sentence
        bounds), ``words`` (the words indexed, joined by line breaks), ``offsets`` (where each
        word's run of sentence numbers starts in ``postings``, and where the last ends) and
        ``postings``, each an :class:`array.array` of integers but ``words``."""
        state: dict[str, Any] = {}
        if self._normalized is not None:
            state["normalized"] = self._normalized.state()
        if self._starts is not None:
            state["analysis"] = {
                "starts": self._starts,
                "ends": self._ends,
                "words": self._words.joined,
                "offsets": self._offsets,
                "postings": self._postings,
            }
        return state

    @classmethod
    def from_state(
        cls,
        text: str,
        state: dict[str, Any],
        on_derived: Callable[[SourceIndex], None] | None = None,
    ) -> SourceIndex:
        """Restore an index of ``text`` from its :meth:`state` (what is not in it is made on
        first use, as for a new index). Malformed or inconsistent state raises
        :class:`KeyError`, :class:`TypeError` or :class:`ValueError`: an index is never
        restored that would point outside its text or its sentences."""
        index = cls(text, on_derived)
        if "normalized" in state:
            index._normalized = NormalizedText.from_state(text, state["normalized"])
        if "analysis" in state:
            analysis = state["analysis"]
            starts, ends = _ints(analysis["starts"]), _ints(analysis["ends"])
            offsets, postings = _ints(analysis["offsets"]), _ints(analysis["postings"])
            words = analysis["words"]
            if not isinstance(words, str):
                raise TypeError("the words of a word index are a string")
            listed = words.split("\n") if words else []
            if (
                len(starts) != len(ends)
                or any(start > end for start, end in zip(starts, ends, strict=True))
                or (ends and (min(starts) < 0 or max(ends) > len(text)))
                or len(offsets) != len(listed) + 1
                or offsets[0] != 0
                or offsets[-1] != len(postings)
                or any(a > b for a, b in pairwise(offsets))
                or any(a > b for a, b in pairwise(starts))
                or (postings and (min(postings) < 0 or max(postings) >= len(starts)))
            ):
                raise ValueError("the sentence analysis of a source is inconsistent")
            index._ends, index._offsets, index._postings = ends, offsets, postings
            if any(a >= b for a, b in pairwise(listed)):
                raise ValueError("a word index lists each word once, in order")
            index._words = _Words(listed)
            index._starts = starts
        return index

    def _split(self) -> None:
        """Split the text into sentences (at sentence punctuation and line breaks) and index
        their words, once; then tell ``on_derived`` (the split's working data let go)."""
        if self._starts is None:
            self._make_split()
            if self._on_derived is not None:
                self._on_derived(self)

    def _make_split(self) -> None:
        text = self.text
        code = int_code(len(text))
        starts, ends = array(code), array(code)
        words: dict[str, int] = {}
        # The word numbers of each sentence (each word once), sentence by sentence, and where
        # each sentence's run starts: no sentence number kept a word, no Python int kept a word
        # or a posting (issue 17: the split peaked at 4.8 times a 1 MB text, now about 2).
        held, firsts = array(code), array(code)

        def add(start: int, end: int) -> None:
            found = WORD.findall(text[start:end].casefold())
            if not found and not text[start:end].strip():
                return
            firsts.append(len(held))
            for word in dict.fromkeys(found):  # each word once a sentence, in order
                held.append(words.setdefault(word, len(words)))
            starts.append(start)
            ends.append(end)

        start = 0
        for end, following in iter_sentence_ends(text, line_breaks=True):
            add(start, end)
            start = following
        if text[start:].strip():
            add(start, len(text))
        firsts.append(len(held))
        # Number the words in order, and let the words go before the postings are made.
        ordered = sorted(words)
        rank = array(code, [0]) * len(ordered)
        for number, word in enumerate(ordered):
            rank[words[word]] = number
        words.clear()  # cleared, not deleted: the closure above names it
        self._words = _Words(ordered)
        del ordered
        held = array(code, map(rank.__getitem__, held))
        del rank
        # Group the postings word by word (a counting sort: sentence order is kept in each run).
        counts = [0] * len(self._words)  # lists: faster, and small beside the postings
        for word_number in held:
            counts[word_number] += 1
        offsets = array(code, accumulate(counts, initial=0))
        del counts
        postings = array(code, [0]) * len(held)
        fill = list(offsets[:-1])
        for sentence, (first, stop) in enumerate(pairwise(firsts)):
            for run in held[first:stop]:
                postings[fill[run]] = sentence
                fill[run] += 1
        self._ends, self._offsets, self._postings = ends, offsets, postings
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

    def sentences_with(self, word: str) -> Collection[int]:
        """The sentences that hold ``word`` or a form of it (:func:`_same_word`)."""
        held = self._holding.get(word)
        if held is None:
            self._split()
            runs = self._forms(word)
            offsets, postings = self._offsets, self._postings
            found = (index for run in runs for index in postings[offsets[run] : offsets[run + 1]])
            total = sum(offsets[run + 1] - offsets[run] for run in runs)
            # A word in many sentences is kept as one byte a sentence, not as a set of them
            # (some 60 bytes an element): "people" in every sentence of a 1 MB text took 0.9 MB.
            if total * 64 > self.sentence_count:
                held = _Sentences(self.sentence_count, found)
            else:
                held = frozenset(found)
            _remember(self._holding, word, held, _HOLDING_LIMIT)
        return held

    def _forms(self, word: str) -> list[int]:
        """The numbers of the words of the text that are ``word`` or a form of it."""
        known = self._words
        if len(word) < 3:  # only the word itself shares its first three characters
            at = bisect_left(known, word)
            return [at] if at < len(known) and known[at] == word else []
        prefix = word[:3]  # _same_word relates only words sharing these
        first = bisect_left(known, prefix)
        last = bisect_left(known, prefix + "\U0010ffff", first)
        return [at for at in range(first, last) if _same_word(word, known[at])]

    def near_sentences(self, words: Sequence[str]) -> Sequence[int]:
        """The sentences that hold at least two of ``words`` (or the one, when only one is
        given), in order; every sentence when no words are given. An array or a range, not a
        list: a claim whose words are in every sentence would have an int object a sentence."""
        if not words:
            return range(self.sentence_count)
        needed = min(2, len(words))
        counts = bytearray(self.sentence_count)  # one byte a sentence, not a dict of them
        for word in words:
            for index in self.sentences_with(word):
                if counts[index] < needed:
                    counts[index] += 1
        held = bytes([needed])
        found = array(int_code(len(counts)))
        at = counts.find(held)
        while at >= 0:
            found.append(at)
            at = counts.find(held, at + 1)
        return found

    def figures_in(
        self, sentences: Collection[int], language: str | None, keep_dates: bool
    ) -> tuple[Figure, ...]:
        """The figures of some sentences (offsets in the text). Numbers that are part of a date
        ("15 March 2021") are left out unless ``keep_dates``."""
        found: list[Figure] = []
        remember = len(sentences) <= _MEMO_LIMIT
        for index in sentences:
            key = (index, language, keep_dates)
            figures = self._figures.get(key)
            if figures is None:
                figures = self._sentence_figures(index, language, keep_dates)
                if remember:
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
        self, sentences: Collection[int], reference: dt.date | None, language: str | None
    ) -> tuple[FoundDate, ...]:
        """The dates of some sentences (offsets in the text)."""
        found: list[FoundDate] = []
        remember = len(sentences) <= _MEMO_LIMIT
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
                if remember:
                    _remember(self._dates, key, dates)
            found.extend(dates)
        return tuple(found)


def _remember(memo: dict[Any, Any], key: object, value: object, limit: int = _MEMO_LIMIT) -> None:
    """Keep ``value`` in a per-document memo, forgetting the oldest entry beyond ``limit``."""
    if len(memo) >= limit:
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
