"""Normalisation of claims and sources into a canonical, comparable form, with an offset map.

Both sides of every comparison go through :func:`normalize`. The canonical form is the text's
*tokens* (words, numbers and single punctuation marks), casefolded and joined by single spaces::

    "The “safe” zones—10,000 km² of them…"  ->  'the " safe " zones - 10,000 km ^2 of them ...'

so that differences of case, typography and spacing disappear before anything is located, and the
tokens are simply ``text.split(" ")``. What it does, in order:

1. Per character cluster (a base character and its combining marks): superscript digits become
   ``^`` + digits *before* NFKC, because NFKC turns ``10²`` into ``102``; vulgar fractions become
   ``1/2`` set apart by a space, because NFKC turns ``2½`` into ``21⁄2``; then NFKC, casefold and
   NFKC again (Unicode's NFKC_Casefold recipe, which is idempotent).
2. Curly quotes, guillemets, primes and backticks become ``'`` or ``"``; every dash and the minus
   sign become ``-``; soft hyphens, zero-width characters, the BOM, bidi marks, pdfium's
   soft-hyphen markers (U+0002, U+FFFE), other control characters and the Arabic tatweel are
   deleted; every decimal digit (Arabic-Indic, Persian, fullwidth, …) becomes its ASCII digit and
   the Arabic separators ``٬`` ``٫`` become ``,`` ``.``.
3. Tokenising: a token is a run of word characters (joined across an apostrophe between letters,
   ``don't``, and across a separator between digits, ``100,000``, ``3.5``), a superscript marker
   (``^2``), or one punctuation character. Whitespace only separates tokens, so ``word ,`` (an
   inline-tag artefact of HTML extraction) and ``word,`` normalise alike.

Every step keeps track of where its output came from, so a span found in the canonical text is
reported in the original (:meth:`NormalizedText.to_original`). Steps 1 and 2, and the token
patterns of step 3, are in ``_folding``; this module cuts the text into chunks, tokenises them and
keeps the offset map.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from itertools import accumulate, chain, islice
from typing import Any, overload

from ._folding import (
    _FOLDED,
    _LINEAR,
    _MAYBE_MARK,
    _RUN_FOLDS,
    _SPECIAL,
    _folds,
    _is_combining,
    _patterns,
    _with_composing_characters,
)

__all__ = ["NormalizedText", "normalize"]


class NormalizedText:
    """A text in canonical form, with the map back to the original.

    ``text`` is the canonical form (see the module documentation), ``tokens`` its tokens (a
    list for a short text; for a long one a sequence that reads each from ``text`` when
    asked, :class:`_Tokens`), and ``token_starts`` where each token starts in ``text``.
    Instances are made by :func:`normalize`; treat them as immutable.
    """

    __slots__ = (
        "_chunk_bounds",
        "_chunk_firsts",
        "_chunk_gaps",
        "_chunk_starts",
        "_counts",
        "_index",
        "_pre_to_original",
        "_scans",
        "_token_pre_starts",
        "original",
        "text",
        "token_starts",
        "tokens",
    )

    text: str
    original: str
    tokens: Sequence[str]
    token_starts: array[int]

    def __init__(self, original: str, *, keep_gaps: bool = False) -> None:
        self.original = original
        self._pre_to_original = _OffsetMap(len(original))
        derived = 0
        # A chunk at a time (issue 17: speed and memory): every step is local between two
        # chunks cut before an ASCII space or line break, and a chunk's transient lists stay
        # small whatever the text's size. Where each token starts in the folded text is
        # worked out for a chunk when first asked (a quote maps back a few tokens only).
        self._token_pre_starts: array[int] | None = None
        self._chunk_bounds: list[tuple[int, int, int]] = []
        self._chunk_firsts: list[int] = []
        self._chunk_starts: dict[int, array[int]] = {}
        self._chunk_gaps: dict[int, bytes] = {}
        self._index: dict[str, array[int]] | None = None
        self._counts: Counter[str] | None = None
        self._scans = 0
        if len(original) <= _CHUNK:
            # A text of one chunk (a quote, a window, a small page) has its tokens read with
            # their whitespace at once: as cheap as the tokens alone, where folding again
            # later would cost as much as this whole normalisation (issue 17: one quote's
            # fixed cost). Its tokens are a list: a quote's are read over and over.
            pre = _fold_chunk(original, 0, len(original), 0, self._pre_to_original)
            self._chunk_bounds.append((0, len(original), 0))
            self._chunk_firsts.append(0)
            tokens, self._chunk_starts[0] = _tokens_with_starts(pre, 0)
            self.tokens = tokens
            self.text = " ".join(tokens)
            self.token_starts = _starts_of(tokens)
            return
        # A long text keeps no string a token (issue 17: a token list and its strings took
        # 2.5 times a 1 MB text): each chunk's tokens are joined as they are found, and the
        # tokens are read from the joined text when asked.
        pieces: list[str] = []
        starts = array("i")
        count = length = 0
        for start, end in _chunks(original):
            pre = _fold_chunk(original, start, end, derived, self._pre_to_original)
            self._chunk_bounds.append((start, end, derived))
            self._chunk_firsts.append(count)
            derived += len(pre)
            found, gaps = _chunk_tokens(pre, keep_gaps)
            if not found:
                continue
            if gaps is not None:
                self._chunk_gaps[len(self._chunk_firsts) - 1] = gaps
            at = length + 1 if pieces else 0  # after the space that joins the pieces
            pieces.append(" ".join(found))
            length = at + len(pieces[-1])
            starts = _wide_enough(starts, length)
            starts.extend(_joined_starts(found, at))
            count += len(found)
        self.text = " ".join(pieces)
        del pieces
        self.token_starts = starts
        self.tokens = _Tokens(self.text, starts)

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"NormalizedText({preview!r})"

    def state(self) -> dict[str, list[Any]]:
        """Everything derived from ``original``, as lists (for an on-disk cache): the
        canonical text (its tokens are ``text.split(" ")``), the chunks it was made in
        (original start and end, where its folded text starts, its first token), the offset
        map, all JSON-ready; and ``"gaps"`` when the whitespace before each token is known
        without folding again (a short text, of one chunk, or one normalised with
        ``keep_gaps``): the chunks it is known of, and its length a byte a token of those
        chunks, as :class:`bytes` (issue 17: a text restored without them folded each chunk
        again when a span in it was first mapped back, a fifth of a check's second run).
        Where each token starts in the folded text is not kept: it is worked out from the
        gaps, or again a chunk at a time, when asked (kept packed, it took 1.3 times a 1 MB
        text on disk and twice that while read). The state depends on the text and
        ``keep_gaps`` only, never on what was asked of it."""
        offsets = self._pre_to_original
        state: dict[str, list[Any]] = {
            "text": [self.text],
            "chunks": [
                [start, end, base, first]
                for (start, end, base), first in zip(
                    self._chunk_bounds, self._chunk_firsts, strict=True
                )
            ],
            "segments": [
                offsets._derived_starts,
                offsets._original_starts,
                offsets._original_ends,
                [int(copy) for copy in offsets._copy],
            ],
        }
        known = self._known_gaps()
        if known:
            state["gaps"] = [sorted(known), b"".join(known[chunk] for chunk in sorted(known))]
        return state

    def _known_gaps(self) -> dict[int, bytes]:
        """The gaps before each token of the chunks where they are known from how the text
        was made: kept (``keep_gaps``), or read off the starts of a short text (of one chunk:
        always worked out when it is normalised); none of a chunk whose tokens have a gap
        longer than a byte holds."""
        if self._chunk_gaps or len(self.original) > _CHUNK or not self.token_starts:
            return dict(self._chunk_gaps)
        starts = self._chunk_starts.get(0) or self._token_pre_starts
        if starts is None:  # restored without them: they did not fit in bytes
            return {}
        ends = map(operator.add, starts, map(len, self.tokens))
        try:
            return {0: bytes(map(operator.sub, starts, chain((0,), ends)))}
        except ValueError:
            return {}

    @classmethod
    def from_state(cls, original: str, state: dict[str, list[Any]]) -> NormalizedText:
        """Rebuild a normalised text from :meth:`state` without normalising again.
        Malformed or inconsistent state (of an earlier format, say) raises :class:`KeyError`,
        :class:`TypeError` or :class:`ValueError`."""
        self = cls.__new__(cls)
        self.original = original
        offsets = _OffsetMap(len(original))
        derived, starts, ends, copies = state["segments"]
        offsets._derived_starts = list(derived)
        offsets._original_starts = list(starts)
        offsets._original_ends = list(ends)
        offsets._copy = [bool(copy) for copy in copies]
        self._pre_to_original = offsets
        (text,) = state["text"]
        if not isinstance(text, str):
            raise TypeError("a normalised text is a string")
        if text.startswith(" ") or text.endswith(" ") or "  " in text:
            raise ValueError("a normalised text's tokens are joined by single spaces")
        self.text = text
        self.token_starts = _starts_in(text)
        self._chunk_bounds, self._chunk_firsts = _restored_chunks(
            state["chunks"], len(original), len(self.token_starts)
        )
        self._chunk_starts = {}
        self._chunk_gaps = _restored_gaps(
            state.get("gaps"), self._chunk_bounds, self._chunk_firsts, self.token_starts, text
        )
        self._token_pre_starts = None
        if len(original) <= _CHUNK:
            self.tokens = text.split(" ") if text else []
        else:
            self.tokens = _Tokens(text, self.token_starts)
        self._index = None
        self._counts = None
        self._scans = 0
        return self

    def _pre_start(self, token: int) -> int:
        """Where token number ``token`` starts in the character-folded text."""
        if self._token_pre_starts is not None:
            return self._token_pre_starts[token]
        chunk = bisect_right(self._chunk_firsts, token) - 1  # a chunk without tokens is skipped
        starts = self._chunk_starts.get(chunk)
        gaps = self._chunk_gaps.get(chunk)
        if starts is None and gaps is not None and len(self.original) > _CHUNK:
            # the whitespace before it and each token before it in its chunk, and those
            # tokens (their lengths plus a space each in ``text``): summed in C, nothing kept
            # (a short text keeps its starts, worked out from its gaps, as when it is made)
            first = self._chunk_firsts[chunk]
            within = token - first
            before = self.token_starts[token] - self.token_starts[first] - within
            return self._chunk_bounds[chunk][2] + sum(gaps[: within + 1]) + before
        if starts is None:
            starts = self._chunk_starts[chunk] = self._starts_in_chunk(chunk)
        return starts[token - self._chunk_firsts[chunk]]

    def _pre_starts(self) -> array[int]:
        """Where every token starts in the character-folded text."""
        if self._token_pre_starts is None:
            starts = array("i")
            for chunk in range(len(self._chunk_firsts)):
                found = self._chunk_starts.get(chunk) or self._starts_in_chunk(chunk)
                starts = _wide_enough(starts, found[-1] if found else 0)
                starts.extend(found)
            self._token_pre_starts = starts
            self._chunk_starts = {}
        return self._token_pre_starts

    def _starts_in_chunk(self, chunk: int) -> array[int]:
        """Where each token of a chunk starts in the folded text: from the lengths of its
        tokens and of the whitespace before each when they were kept, else the chunk folded
        again (the same folding, without recording the offset map) and its tokens read with
        the whitespace before each."""
        start, end, base = self._chunk_bounds[chunk]
        gaps = self._chunk_gaps.get(chunk)
        if gaps is not None:
            # token k starts after the gaps up to its own and the tokens before it in the
            # chunk, whose lengths are where it starts in ``text`` less a space each: summed
            # in C, no string made a token (issue 17: a restored text's first span)
            first = self._chunk_firsts[chunk]
            stop = first + len(gaps)
            shift = base - self.token_starts[first] + first
            last = shift + sum(gaps) + self.token_starts[stop - 1] - (stop - 1)
            in_text = map(operator.sub, self.token_starts[first:stop], range(first, stop))
            starts = map(shift.__add__, map(operator.add, accumulate(gaps), in_text))
            return array(_code(last), starts)
        return _tokens_with_starts(
            _fold_chunk(self.original, start, end, base, _OffsetMap(0)), base
        )[1]

    def _token_end(self, token: int) -> int:
        """Where token number ``token`` ends in ``text``."""
        if token + 1 < len(self.token_starts):
            return self.token_starts[token + 1] - 1
        return len(self.text)

    def _pre_offset(self, offset: int, *, end: bool) -> int:
        """Map an offset of ``text`` to the character-folded text before tokenising."""
        token = bisect_right(self.token_starts, offset) - 1
        if token < 0:
            return 0
        within = offset - self.token_starts[token]
        length = self._token_end(token) - self.token_starts[token]
        if end:
            return self._pre_start(token) + min(within, length)
        if within >= length:  # the separating space: the next token's start
            return (
                self._pre_start(token + 1)
                if token + 1 < len(self.token_starts)
                else self._pre_start(token) + length
            )
        return self._pre_start(token) + within

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` to the span of ``original`` it came from."""
        if start >= end:
            point = self._pre_to_original.point(self._pre_offset(start, end=False))
            return point, point
        original_start = self._pre_to_original.start_of(self._pre_offset(start, end=False))
        original_end = self._pre_to_original.end_of(self._pre_offset(end, end=True) - 1)
        return original_start, max(original_start, original_end)

    def token_span_to_original(self, first: int, stop: int) -> tuple[int, int]:
        """Map the tokens ``tokens[first:stop]`` to the span of ``original`` they came from."""
        if first >= stop:
            point = self.token_starts[first] if first < len(self.token_starts) else len(self.text)
            return self.to_original(point, point)
        return self.to_original(self.token_starts[first], self._token_end(stop - 1))

    @property
    def has_index(self) -> bool:
        """Whether the token index has been built already."""
        return self._index is not None

    def token_spans(self) -> list[tuple[int, int]]:
        """The span of ``original`` each token came from, in order."""
        if self._pre_to_original.is_identity:
            return [
                (start, start + len(token))
                for start, token in zip(self._pre_starts(), self.tokens, strict=True)
            ]
        offsets = self._pre_to_original
        return [
            (offsets.start_of(start), offsets.end_of(start + len(token) - 1))
            for start, token in zip(self._pre_starts(), self.tokens, strict=True)
        ]

    def token_at(self, offset: int) -> int:
        """The index of the token that contains (or follows) ``offset`` of ``text``."""
        return max(0, bisect_right(self.token_starts, offset) - 1)

    def occurrences(self, tokens: Collection[str]) -> dict[str, int]:
        """How many times each of ``tokens`` occurs in the text (0 for one that does not).

        Through the token index once it is built; before, from the tokens counted once in C,
        which costs a fifth of building the index (issue 17: one quote on a fresh source).
        """
        if self._index is not None:
            return {token: len(self._index.get(token, ())) for token in tokens}
        if self._counts is None:
            self._counts = _counted(self.text)
        counts = self._counts
        return {token: counts[token] for token in tokens}

    def positions(self, token: str, limit: int) -> Sequence[int]:
        """The first ``limit`` positions of ``token`` in ``tokens``, in order (what
        ``index[token][:limit]`` gives, without building the index: found in ``text``, where
        a token stands between spaces or the text's ends).

        A search of the text costs about a hundredth of building the index: the index is
        built once the searches made have cost as much (then each costs microseconds), so
        that a text asked about many times costs at most about twice what it would with the
        index built at once, and one asked about by a few dozen quotes never builds it."""
        if self._index is None:
            self._scans += 1
            if self._scans > _SCANS_BEFORE_INDEX:
                _ = self.index
        if self._index is not None:
            return self._index.get(token, array("i"))[:limit]
        found: list[int] = []
        text = self.text
        if text.startswith(token) and (len(text) == len(token) or text[len(token)] == " "):
            found.append(0)
        if " " in token or not token:
            return found  # no token has a space (nor is empty): only the text's start holds it
        if self._counts is not None:  # no search past the last place when the count is known
            limit = min(limit, self._counts[token])
        for place in islice(_spaced_places(text, token), max(0, limit - len(found))):
            found.append(bisect_right(self.token_starts, place + 1) - 1)
        return found[:limit]

    @property
    def index(self) -> dict[str, array[int]]:
        """Token -> positions in ``tokens``; built on first use, for fuzzy location."""
        if self._index is None:
            index: dict[str, array[int]] = {}
            code = _code(len(self.token_starts))
            get = index.get
            position = 0
            for piece in _pieces(self.text):  # the tokens a piece at a time, split in C
                for token in piece:
                    positions = get(token)
                    if positions is None:
                        index[token] = positions = array(code)
                    positions.append(position)
                    position += 1
            self._index = index
            self._counts = None  # the index counts them
        return self._index


def _spaced_places(text: str, token: str) -> Iterator[int]:
    """Where `` token`` stands in ``text`` as a whole token after a space (followed by a space
    or the end), in order. With ``str.find``, not a regex compiled per token: most tokens asked
    are new, and compiling them was a sixth of a cached check. Two places never overlap: the
    second would start at a space inside the first, and a token has none."""
    needle = " " + token
    place = text.find(needle)
    while place >= 0:
        after = place + len(needle)
        if after == len(text) or text[after] == " ":
            yield place
        place = text.find(needle, after)


def _pieces(text: str) -> Iterator[list[str]]:
    """The tokens of a canonical ``text``, a piece of the text at a time (no list of every
    token at once), each piece split in C."""
    start = 0
    while start < len(text):
        end = text.find(" ", start + _CHUNK)
        end = len(text) if end < 0 else end
        yield text[start:end].split(" ")
        start = end + 1


def _counted(text: str) -> Counter[str]:
    """How many times each token of a canonical ``text`` occurs in it: counted in C a piece
    at a time (no Python code per token)."""
    counts: Counter[str] = Counter()
    for piece in _pieces(text):
        counts.update(piece)
    return counts


class _Tokens(Sequence[str]):
    """The tokens of a long canonical text, each read from the text when asked: as a list, a
    1 MB text's tokens took 1.4 times the text in references and about as much again in
    strings (issue 17: memory per document). A slice is a list (one ``split`` in C), and so
    is what equality compares."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str, starts: array[int]) -> None:
        self._text = text
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts)

    def _end(self, at: int) -> int:
        return self._starts[at + 1] - 1 if at + 1 < len(self._starts) else len(self._text)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        starts = self._starts
        if isinstance(at, slice):
            first, stop, step = at.indices(len(starts))
            if step != 1:
                return [self[number] for number in range(first, stop, step)]
            if first >= stop:
                return []
            return self._text[starts[first] : self._end(stop - 1)].split(" ")
        if at < 0:
            at += len(starts)
        if not 0 <= at < len(starts):
            raise IndexError("token index out of range")
        return self._text[starts[at] : self._end(at)]

    def __iter__(self) -> Iterator[str]:
        for piece in _pieces(self._text):  # a piece at a time: no list of every token at once
            yield from piece

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str) or not token or " " in token:
            return False
        text = self._text
        if text.startswith(token) and (len(text) == len(token) or text[len(token)] == " "):
            return True
        return next(_spaced_places(text, token), None) is not None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Tokens):
            return self._text == other._text
        if isinstance(other, list):
            return len(other) == len(self) and list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __repr__(self) -> str:
        return f"<{len(self)} tokens>"


def _code(largest: int) -> str:
    """The :mod:`array` type code of 4-byte integers when ``largest`` fits in them, else of
    8-byte ones: offsets and positions in any text below 2 GiB characters take 4 bytes."""
    return "i" if largest < 2**31 and array("i").itemsize == 4 else "q"


def _wide_enough(values: array[int], largest: int) -> array[int]:
    """``values``, or a copy of wider integers when ``largest`` does not fit in them."""
    if _code(largest) == "q" and values.typecode != "q":
        return array("q", values)
    return values


def _starts_in(text: str) -> array[int]:
    """Where each token of a canonical ``text`` starts in it (tokens joined by single spaces),
    read a piece at a time (no list of every token at once)."""
    starts = array(_code(len(text)))
    start = 0
    while start < len(text):
        end = text.find(" ", start + _CHUNK)
        end = len(text) if end < 0 else end
        lengths = map(_ONE.__add__, map(len, text[start:end].split(" ")))
        starts.extend(accumulate(lengths, initial=start))
        starts.pop()  # where the next piece starts
        start = end + 1
    return starts


def _restored_chunks(
    chunks: object, total: int, tokens: int
) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The chunk bounds and first tokens of :meth:`NormalizedText.state`'s ``chunks``, checked
    to cut a text of ``total`` characters and ``tokens`` tokens in order; :class:`TypeError`
    or :class:`ValueError` for anything else."""
    if not isinstance(chunks, list) or not chunks:
        raise TypeError("a normalised text's chunks are a list")
    bounds: list[tuple[int, int, int]] = []
    firsts: list[int] = []
    for chunk in chunks:
        if not (
            isinstance(chunk, list)
            and len(chunk) == 4
            and all(type(value) is int for value in chunk)
        ):
            raise TypeError("a normalised text's chunk is four whole numbers")
        start, end, base, first = chunk
        if bounds:
            _, last_end, last_base = bounds[-1]
            if start != last_end or base < last_base or first < firsts[-1]:
                raise ValueError("a normalised text's chunks follow one another")
        elif start != 0 or base != 0 or first != 0:
            raise ValueError("a normalised text's chunks start at its start")
        if end < start or first > tokens:
            raise ValueError("a normalised text's chunk lies within it")
        bounds.append((start, end, base))
        firsts.append(first)
    if bounds[-1][1] != total:
        raise ValueError("a normalised text's chunks end at its end")
    return bounds, firsts


def _restored_gaps(
    gaps: object,
    bounds: list[tuple[int, int, int]],
    firsts: list[int],
    starts: array[int],
    text: str,
) -> dict[int, bytes]:
    """The gaps of :meth:`NormalizedText.state`'s ``gaps`` (none when it has none), by chunk,
    checked against the chunks (``bounds``, ``firsts``) and the tokens (their ``starts`` in
    ``text``): each chunk named once, in order, with tokens, a byte for each, and no more
    whitespace than its folded text holds; :class:`TypeError` or :class:`ValueError` for
    anything else."""
    if gaps is None:
        return {}
    if not (
        isinstance(gaps, list)
        and len(gaps) == 2
        and isinstance(gaps[0], list)
        and all(type(chunk) is int for chunk in gaps[0])
        and isinstance(gaps[1], bytes | bytearray | memoryview)
    ):
        raise TypeError("a normalised text's gaps are its chunks' numbers and bytes")
    chunks, packed = gaps[0], bytes(gaps[1])
    found: dict[int, bytes] = {}
    at, last = 0, -1
    for chunk in chunks:
        if not last < chunk < len(firsts):
            raise ValueError("a normalised text's gaps name its chunks in order")
        last = chunk
        first = firsts[chunk]
        stop = firsts[chunk + 1] if chunk + 1 < len(firsts) else len(starts)
        if stop <= first or at + stop - first > len(packed):
            raise ValueError("a normalised text's gaps are a byte a token of their chunks")
        found[chunk] = packed[at : at + stop - first]
        at += stop - first
        end = starts[stop] - 1 if stop < len(starts) else len(text)
        spanned = sum(found[chunk]) + end - starts[first] - (stop - first - 1)
        if chunk + 1 < len(bounds) and spanned > bounds[chunk + 1][2] - bounds[chunk][2]:
            raise ValueError("a normalised text's gaps lie within their chunks")
    if at != len(packed):
        raise ValueError("a normalised text's gaps are a byte a token of their chunks")
    return found


def _chunk_tokens(pre: str, keep_gaps: bool) -> tuple[list[str], bytes | None]:
    """The tokens of the folded chunk ``pre`` and, when ``keep_gaps``, the length of the
    whitespace before each, a byte each (None when one is longer than a byte holds): with the
    tokens' lengths, where each token starts in the folded text (see :func:`normalize`)."""
    if not keep_gaps:
        return _patterns(pre)[0].findall(pre), None
    spaced = _patterns(pre)[1].findall(pre)
    tokens = list(map(str.lstrip, spaced))
    try:
        return tokens, bytes(map(operator.sub, map(len, spaced), map(len, tokens)))
    except ValueError:
        return tokens, None


def _tokens_with_starts(pre: str, base: int) -> tuple[list[str], array[int]]:
    """The tokens of the folded chunk ``pre`` and where each starts in the folded text
    (``base``: where the chunk starts in it), read with the whitespace before each token."""
    pieces = _patterns(pre)[1].findall(pre)
    tokens = list(map(str.lstrip, pieces))
    ends = islice(accumulate(map(len, pieces), initial=base), 1, None)
    return tokens, array(_code(base + len(pre)), map(operator.sub, ends, map(len, tokens)))


def _joined_starts(tokens: list[str], at: int) -> list[int]:
    """Where each of ``tokens`` starts when they are joined by single spaces from ``at`` on.
    Their lengths are made a byte each, plus one for the space, in C when every token is
    shorter than 255 characters (a fifth faster than adding one to each length)."""
    try:
        lengths = bytes(map(len, tokens))
    except ValueError:  # a token of 256 characters or more
        lengths = b"\xff"
    if b"\xff" in lengths:
        return list(accumulate(map(_ONE.__add__, map(len, tokens[:-1])), initial=at))
    return list(accumulate(lengths[:-1].translate(_PLUS_ONE), initial=at))


_PLUS_ONE = bytes(range(1, 256)) + b"\xff"  # a byte's value plus one (below 255)


def _starts_of(tokens: list[str]) -> array[int]:
    """Where each token starts in the tokens joined by single spaces."""
    if not tokens:
        return array("i")
    # each token's length plus its space, summed in C (no Python code per token)
    spaced = map(_ONE.__add__, map(len, islice(tokens, len(tokens) - 1)))
    return array(_code(sum(map(len, tokens)) + len(tokens)), accumulate(spaced, initial=0))


class _OffsetMap:
    """Where each character of a derived text came from in the original.

    Stored as segments rather than one entry per character: long stretches of plain ASCII map
    one to one and cost a single segment.
    """

    __slots__ = ("_copy", "_derived_starts", "_original_ends", "_original_starts", "_total")

    def __init__(self, total: int) -> None:
        self._derived_starts: list[int] = []
        self._original_starts: list[int] = []
        self._original_ends: list[int] = []
        self._copy: list[bool] = []
        self._total = total

    def add(self, derived_start: int, original_start: int, original_end: int, copy: bool) -> None:
        """Record that derived text from ``derived_start`` on came from
        ``original[original_start:original_end]``; ``copy`` when it maps character for
        character (same length). Contiguous character-for-character segments are merged."""
        if (
            copy
            and self._copy
            and self._copy[-1]
            and self._original_ends[-1] == original_start
            and derived_start - self._derived_starts[-1]
            == original_start - self._original_starts[-1]
        ):
            self._original_ends[-1] = original_end
            return
        self._derived_starts.append(derived_start)
        self._original_starts.append(original_start)
        self._original_ends.append(original_end)
        self._copy.append(copy)

    @property
    def is_identity(self) -> bool:
        """Whether every derived character is the original character at the same offset."""
        return not self._derived_starts or (
            len(self._derived_starts) == 1 and self._copy[0] and self._original_starts[0] == 0
        )

    def _segment(self, offset: int) -> int:
        return max(0, bisect_right(self._derived_starts, offset) - 1)

    def start_of(self, offset: int) -> int:
        """The original offset where the derived character at ``offset`` starts."""
        if not self._derived_starts:
            return 0
        segment = self._segment(offset)
        if self._copy[segment]:
            return self._original_starts[segment] + offset - self._derived_starts[segment]
        return self._original_starts[segment]

    def end_of(self, offset: int) -> int:
        """The original offset just after the derived character at ``offset``."""
        if not self._derived_starts:
            return 0
        segment = self._segment(offset)
        if self._copy[segment]:
            return self._original_starts[segment] + offset - self._derived_starts[segment] + 1
        return self._original_ends[segment]

    def point(self, offset: int) -> int:
        if not self._derived_starts:
            return min(offset, self._total)
        return self.start_of(offset)


_SCANS_BEFORE_INDEX = 100  # a search of the text costs about a hundredth of indexing it
_CHUNK = 1 << 14  # characters of the original folded and tokenised at a time
_ONE = 1
_RUN_CACHE_LIMIT = 4096  # runs kept folded (a few hundred KB at most, shared by all texts)


def _chunks(original: str) -> Iterator[tuple[int, int]]:
    """``original`` cut into stretches of about ``_CHUNK`` characters, each cut just before an
    ASCII space or line break that no combining character follows: folding and tokenising never
    reach across such a place (no run of special characters, no token, spans it)."""
    start, last = 0, len(original) - 1  # a cut needs a character after it
    while last - start > _CHUNK:
        cut = start + _CHUNK
        while cut < last:
            window = min(last, cut + 4096)
            places = [original.find(mark, cut, window) for mark in " \n"]
            if max(places) < 0:
                cut = window
                continue
            cut = min(at for at in places if at >= 0)
            if not _is_combining(original[cut + 1]):
                break
            cut += 1
        if cut >= last:
            break
        yield start, cut
        start = cut
    yield start, len(original)


def _fold_chunk(original: str, start: int, end: int, derived: int, offsets: _OffsetMap) -> str:
    """``original[start:end]`` folded (steps 1 and 2), its segments added to ``offsets``
    (``derived``: where the folded chunk starts in the whole folded text)."""
    if len(_RUN_FOLDS) > _RUN_CACHE_LIMIT:
        _RUN_FOLDS.clear()
    parts = _SPECIAL.split(original[start:end])
    if _MAYBE_MARK.search(original, start, end) is not None:
        _with_composing_characters(parts)
    folds = _folds(parts[1::2])
    linear = all(map(_LINEAR, folds))
    positions = None if linear else list(accumulate(map(len, parts), initial=start))
    parts[0::2] = map(str.lower, parts[0::2])  # plain ASCII: lower-casing keeps lengths
    parts[1::2] = map(_FOLDED, folds)
    if positions is None:
        # Everything maps character for character: one segment (merged with the one before).
        if end > start:
            offsets.add(derived, start, end, copy=True)
        return "".join(parts)
    # Segments where a run does not map character for character; what lies between them is
    # one linear stretch, which the offset map would merge into one segment anyway.
    copied, copied_derived = start, derived
    for number, fold in enumerate(folds):
        if fold[1]:
            continue
        at = positions[2 * number + 1]
        if at > copied:
            offsets.add(copied_derived, copied, at, copy=True)
            copied_derived += at - copied
        for derived_start, run_start, run_end, one_to_one in fold[2]:
            offsets.add(copied_derived + derived_start, at + run_start, at + run_end, one_to_one)
        copied_derived += len(fold[0])
        copied = positions[2 * number + 2]
    if end > copied:
        offsets.add(copied_derived, copied, end, copy=True)
    return "".join(parts)


def normalize(text: str, *, keep_gaps: bool = False) -> NormalizedText:
    """Normalise ``text`` into its canonical form (see the module documentation).

    ``keep_gaps``: for a text that many spans will be mapped back of (several quotes checked
    against it), keep the length of the whitespace before each token, a byte a token, so that
    a span is mapped back without folding its stretch of the text again (some 1.5 ms a span
    in a new stretch; keeping them costs about a tenth more normalising). The result is the
    same either way.

    Nothing is cached here: whoever matches many claims against one text keeps its normalised
    form (a :class:`claimcheck.matching.SourceIndex` does).
    """
    return NormalizedText(text, keep_gaps=keep_gaps)
