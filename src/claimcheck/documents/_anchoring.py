"""Where a claims file locates a claim's text, and claims placed so that it locates them
where they were found.

A claims file locates a claim by the first whole-word occurrence of its text in the
statement, ``(?<!\\w)text(?!\\w)`` (:class:`Anchors`). So a figure's or date's text that occurs
earlier is widened a word at a time (to the left, then to the right, across spaces and commas
but not line breaks, within its sentence, at most eight words of at most 200 characters each)
until it is unique: the second
"ten years" becomes "over the past ten years". When no wording of its sentence is unique (a
repeated sentence), it stays as short as it was, with a problem saying so. A quotation keeps its
marks when it is a single word (a scare quote: the bare word is too common to anchor, and it is
the marks that make it a quotation) or when its bare words occur earlier, and only when the
marks are characters of the file, not markup.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

import attrs

from ._candidates import EARLIER, Candidate, FoundClaim, markup_problem
from ._prose import Prose

__all__ = ["Anchors", "place"]


def _first_wordless(source: str, text: str) -> int | None:
    """:meth:`Anchors.first` for a text with no word character: its occurrences found by
    ``str.find`` (a scan many times faster than the regular expression's lookbehind at every
    offset), the first one not touching a word character."""
    start = source.find(text)
    while start >= 0:
        end = start + len(text)
        if not (start > 0 and _WORD_CHAR.match(source, start - 1)) and not _WORD_CHAR.match(
            source, end
        ):
            return start
        start = source.find(text, start + 1)
    return None


_WORD: Final = re.compile(r"\w+")
_WORD_CHAR: Final = re.compile(r"\w")
_COMMON: Final = 32  # a word this many places or fewer is looked for by its own places
_SCAN_WINDOW: Final = 1024  # characters scanned ahead of a place a text may start


@attrs.define
class Anchors:
    """Where a claims file would locate a text in the statement: its first occurrence as whole
    words, ``(?<!\\w)text(?!\\w)``, as :func:`claimcheck.load` finds it.

    Searching the statement from its start for each proposal would take time quadratic in the
    statement's length. Instead the statement's words (runs of ``\\w``) are indexed once: where
    a text occurs, each of its words is a whole word of the statement (the text is bounded by
    non-word characters, and so is each word in it), and each word is followed by the text's
    next word, so the text can only start where its rarest word occurs, at that word's offset
    in the text, and, when even that word is common, where a word of the text is followed by
    the text's next word. Only those places are tried, each in a bounded time: neither a text
    that occurs late (its words common before it) nor one that does not occur word for word (a
    claim that differs in typography or case) costs a scan of the statement. Answers are kept
    per text; the claims loader asks one of these for every claim of a file.
    """

    source: str
    words: dict[str, list[int]] | None = None
    found: dict[str, int | None] = attrs.Factory(dict)
    # For a common word: the places of the word, by the word that follows it (made on first use).
    followed: dict[str, dict[str, list[int]]] = attrs.Factory(dict)

    def first(self, text: str) -> int | None:
        """The offset of the first whole-word occurrence of ``text``, or None."""
        if text not in self.found:
            self.found[text] = self.search(text)
        return self.found[text]

    def search(self, text: str) -> int | None:
        raw = self.source
        tokens = [(match.group(), match.start()) for match in _WORD.finditer(text)]
        if not tokens:  # no word to look it up by (never a proposal's text)
            return _first_wordless(raw, text)
        if self.words is None:
            self.words = {}
            for match in _WORD.finditer(raw):
                self.words.setdefault(match.group(), []).append(match.start())
        positions, offset = self._places(tokens)
        # From each place, ``str.find`` scans a window ahead (at the speed of C): a window
        # passes over every place within it in one step, so even a text whose every word pair
        # the statement is full of costs a scan, not a step per place; and never more than a
        # window per place, where a scan to the statement's end for each of thousands of claims
        # took time quadratic in it.
        candidate = bisect.bisect_left(positions, offset)
        while candidate < len(positions):
            first = positions[candidate] - offset
            limit = first + len(text) + _SCAN_WINDOW
            start = raw.find(text, first, limit)
            if start < 0:
                candidate = bisect.bisect_right(positions, limit - len(text) + offset)
                continue
            if not (start > 0 and _WORD_CHAR.match(raw, start - 1)) and not _WORD_CHAR.match(
                raw, start + len(text)
            ):
                return start
            candidate = bisect.bisect_right(positions, start + offset)
        return None

    def _places(self, tokens: list[tuple[str, int]]) -> tuple[list[int], int]:
        """Where one word of a text occurs in the statement (in order), each a place the text
        may hold it, and that word's offset in the text: its rarest word's places, or, when
        that word is common, those of a word followed by the text's next word."""
        assert self.words is not None
        words = self.words
        counts = [len(words.get(word, ())) for word, _ in tokens]
        rarest = min(range(len(tokens)), key=counts.__getitem__)
        best = words.get(tokens[rarest][0], []), tokens[rarest][1]
        if counts[rarest] <= _COMMON or len(tokens) == 1:
            return best
        first = min(range(len(tokens) - 1), key=counts.__getitem__)
        word, offset = tokens[first]
        pairs = self.followed.get(word)
        if pairs is None:
            pairs = self.followed[word] = {}
            raw, size = self.source, len(word)
            for position in words[word]:
                after = _WORD.search(raw, position + size)
                if after is not None:
                    pairs.setdefault(after.group(), []).append(position)
        places = pairs.get(tokens[first + 1][0], [])
        return (places, offset) if len(places) < len(best[0]) else best


# A word to take in: across a space, or a comma, colon or semicolon ("Geneva, 7 May 2021"),
# within its sentence and a window of characters (a longer "word" is not taken in).
_WORD_AHEAD: Final = re.compile(r"[,;:]?[^\S\n]+[\w'’-]+")
_WORD_MARKS: Final = frozenset("_'’-")
_MAX_WIDENING: Final = 8
_WIDENING_WINDOW: Final = 200


def _is_word(char: str) -> bool:
    """Whether ``char`` is one of ``[\\w'’-]``, the characters of a word to take in."""
    return char.isalnum() or char in _WORD_MARKS


def _word_behind(plain: str, floor: int, position: int) -> int | None:
    """Where the word before ``position`` starts, taking in the space (and the comma, colon or
    semicolon) between, ``[\\w'’-]+[,;:]?[^\\S\\n]+``, not before ``floor`` (its sentence's
    start); None if there is none. Read backwards from ``position``, never more than
    ``_WIDENING_WINDOW`` characters."""
    bound = max(floor, position - _WIDENING_WINDOW)
    cursor = position
    while cursor > bound and plain[cursor - 1] != "\n" and plain[cursor - 1].isspace():
        cursor -= 1
    if cursor == position:
        return None
    if cursor > bound and plain[cursor - 1] in ",;:":
        cursor -= 1
    word_end = cursor
    while cursor > bound and _is_word(plain[cursor - 1]):
        cursor -= 1
    if cursor == word_end or (cursor == bound > floor and _is_word(plain[cursor - 1])):
        return None
    return cursor


def _word_ahead(plain: str, position: int, ceiling: int) -> int | None:
    """Where the word after ``position`` ends, with the space (and punctuation) before it, not
    after ``ceiling`` (its sentence's end); None if there is none within the window."""
    bound = min(ceiling, position + _WIDENING_WINDOW)
    match = _WORD_AHEAD.match(plain, position, bound)
    if match is None or (match.end() == bound < ceiling and _is_word(plain[bound])):
        return None
    return match.end()


def place(
    view: Prose, candidate: Candidate, sentence: tuple[int, int], anchors: Anchors
) -> FoundClaim:
    """The proposal for a candidate: its span in the input, widened or marked until a claims
    file would locate it there, and its problems."""
    raw = view.source
    start, end = candidate.start, candidate.end
    problem = candidate.problem
    first, last = view.span(start, end)
    if candidate.marked is not None:
        opening, closing = candidate.marked
        marks_written = view.verbatim(opening, opening + 1) and view.verbatim(closing - 1, closing)
        single_word = len(view.text[start:end].split()) == 1
        if marks_written and (single_word or anchors.first(raw[first:last]) != first):
            start, end = opening, closing
            first, last = view.span(start, end)
    elif candidate.widen and anchors.first(raw[first:last]) not in (None, first):
        wider = start, end
        for _ in range(_MAX_WIDENING):
            behind = _word_behind(view.text, sentence[0], wider[0])
            ahead = _word_ahead(view.text, wider[1], sentence[1])
            if behind is not None and view.verbatim(behind, wider[1]):
                wider = behind, wider[1]
            elif ahead is not None and view.verbatim(wider[0], ahead):
                wider = wider[0], ahead
            else:
                break  # no unique wording in its sentence: the shortest text it is
            wider_first, wider_last = view.span(*wider)
            if anchors.first(raw[wider_first:wider_last]) in (None, wider_first):
                start, end = wider
                first, last = wider_first, wider_last
                break
    written = raw[first:last]
    if problem is None and " ".join(written.split()) != " ".join(view.text[start:end].split()):
        problem = markup_problem(written)
    if problem is None and anchors.first(written) not in (None, first):
        problem = EARLIER
    return FoundClaim(candidate.kind, written, first, last, candidate.value, problem)
