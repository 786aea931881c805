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
reported in the original (:meth:`NormalizedText.to_original`).
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from itertools import accumulate, islice, repeat
from typing import Any, overload

__all__ = ["NormalizedText", "normalize"]

_SUPERSCRIPT_DIGITS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
}
_QUOTE_AND_DASH = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′‵´`‹›ʼ", "'"),
        **dict.fromkeys("“”„‟″‶«»〝〞", '"'),
        **dict.fromkeys("‐‑‒–—―−⁃﹘﹣－⸺⸻", "-"),
        "⁄": "/",  # fraction slash, from NFKC of vulgar fractions
        "٬": ",",  # Arabic thousands separator
        "٫": ".",  # Arabic decimal separator
        "،": ",",  # Arabic comma
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
_DELETED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_KEPT_CONTROLS = frozenset("\t\n\r")
_TATWEEL = "\u0640"
# Arabic short-vowel marks (harakat) are optional in writing: "لَنْ" and "لن" are one word.
_HARAKAT = frozenset(chr(code) for code in (*range(0x064B, 0x0660), 0x0670))
_NONCHARACTER_MARKERS = frozenset("\ufffe\uffff")


# Runs that need per-character attention: anything outside printable ASCII (other than tab and
# line breaks) and the backtick. A preceding ASCII character is included because a combining mark
# composes with it under NFKC.
def _combining_mark_class(below: int = 0x1E950) -> str:
    """A regex character class of every combining mark (Mn, Mc, Me): ``\\w`` leaves them out,
    which would split "كَتَبَ" or Devanagari words at each vowel sign. ``below``: only those
    below that code point."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, below):  # no combining marks above Adlam
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_MARKS = _combining_mark_class()
_WORD_CHARS = rf"[\w{_MARKS}]"
_TOKEN = re.compile(
    r"\^\d+"
    rf"|{_WORD_CHARS}+(?:(?:(?<=\d)[.,'](?=\d)|(?<=[^\W\d_])'(?=[^\W\d_])){_WORD_CHARS}+)*"
    r"|[^\w\s]"
)


def _is_combining(char: str) -> bool:
    return unicodedata.combining(char) != 0 or unicodedata.category(char) in ("Mn", "Me")


def _clusters(run: str) -> list[tuple[int, int]]:
    """Split a run into (start, end) clusters: a base character with its combining marks."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(run) + 1):
        if index == len(run) or not _is_combining(run[index]):
            bounds.append((start, index))
            start = index
    return bounds


@functools.lru_cache(maxsize=4096)
def _normalize_cluster(cluster: str, after_superscript: bool) -> str:
    base = cluster[0]
    if base in _SUPERSCRIPT_DIGITS:
        digit = _SUPERSCRIPT_DIGITS[base]
        return digit if after_superscript else "^" + digit
    if "VULGAR FRACTION" in unicodedata.name(base, ""):
        return " " + _fold(cluster) + " "
    if base == _TATWEEL or base in _NONCHARACTER_MARKERS or base in _HARAKAT:
        return ""
    if base not in _KEPT_CONTROLS and unicodedata.category(base) in _DELETED_CATEGORIES:
        return ""
    return _fold(cluster)


def _fold(cluster: str) -> str:
    folded = unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", cluster).casefold()
    ).translate(_QUOTE_AND_DASH)
    if any(unicodedata.category(char) == "Nd" and not char.isascii() for char in folded):
        folded = "".join(
            str(unicodedata.decimal(char)) if unicodedata.category(char) == "Nd" else char
            for char in folded
        )
    return "".join(
        char
        for char in folded
        if char in _KEPT_CONTROLS
        or (
            char != _TATWEEL
            and char not in _HARAKAT
            and unicodedata.category(char) not in _DELETED_CATEGORIES
        )
    )


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding single characters, filled on first sight of each."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _normalize_cluster(char, False)
        if len(folded) != 1:
            _NOT_ONE_TO_ONE.add(char)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()
_NOT_ONE_TO_ONE: set[str] = set()
# Characters whose folding depends on their neighbours: combining marks, superscripts (the
# caret goes before the first of a run only) and vulgar fractions.
_CLUSTERED = re.compile(
    rf"[{_MARKS}{''.join(_SUPERSCRIPT_DIGITS)}\u00bc-\u00be\u2150-\u215f\u2189]"
)


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
        "_chunk_starts",
        "_counts",
        "_index",
        "_lookups",
        "_pre_to_original",
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

    def __init__(self, original: str) -> None:
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
        self._index: dict[str, array[int]] | None = None
        self._counts: Counter[str] | None = None
        self._lookups = 0
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
            found = _patterns(pre)[0].findall(pre)
            if not found:
                continue
            at = length + 1 if pieces else 0  # after the space that joins the pieces
            pieces.append(" ".join(found))
            length = at + len(pieces[-1])
            starts = _wide_enough(starts, length)
            starts.extend(accumulate(map(_ONE.__add__, map(len, found[:-1])), initial=at))
            count += len(found)
        self.text = " ".join(pieces)
        del pieces
        self.token_starts = starts
        self.tokens = _Tokens(self.text, starts)

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"NormalizedText({preview!r})"

    def state(self) -> dict[str, list[Any]]:
        """Everything derived from ``original``, as JSON-ready lists (for an on-disk cache):
        the canonical text (its tokens are ``text.split(" ")``), the chunks it was made in
        (original start and end, where its folded text starts, its first token), and the
        offset map. Where each token starts in the folded text is not kept: it is worked out
        again a chunk at a time when asked, as for a text just normalised (issue 17: kept
        packed, it took 1.3 times a 1 MB text on disk and twice that while read)."""
        offsets = self._pre_to_original
        return {
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
        self._token_pre_starts = None
        if len(original) <= _CHUNK:
            self.tokens = text.split(" ") if text else []
        else:
            self.tokens = _Tokens(text, self.token_starts)
        self._index = None
        self._counts = None
        self._lookups = 0
        return self

    def _pre_start(self, token: int) -> int:
        """Where token number ``token`` starts in the character-folded text."""
        if self._token_pre_starts is not None:
            return self._token_pre_starts[token]
        chunk = bisect_right(self._chunk_firsts, token) - 1  # a chunk without tokens is skipped
        starts = self._chunk_starts.get(chunk)
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
        """Where each token of a chunk starts in the folded text: the chunk folded again (the
        same folding, without recording the offset map) and its tokens read with the
        whitespace before each."""
        start, end, base = self._chunk_bounds[chunk]
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
        which costs a tenth of building the index (issue 17: one quote on a fresh source). The
        index is built at the ninth lookup: one quote makes up to about eight (its fragments,
        a wider window, its quoted parts), and a source asked about more is asked again.
        """
        self._lookups += 1
        if self._index is None and self._lookups > _LOOKUPS_BEFORE_INDEX:
            self._index = self.index
            self._counts = None
        if self._index is not None:
            return {token: len(self._index.get(token, ())) for token in tokens}
        if self._counts is None:
            self._counts = Counter(self.tokens)
        counts = self._counts
        return {token: counts[token] for token in tokens}

    def positions(self, token: str, limit: int) -> Sequence[int]:
        """The first ``limit`` positions of ``token`` in ``tokens``, in order (what
        ``index[token][:limit]`` gives, without building the index: found in ``text``, where
        a token stands between spaces or the text's ends)."""
        if self._index is not None:
            return self._index.get(token, array("i"))[:limit]
        found: list[int] = []
        text = self.text
        if text.startswith(token) and (len(text) == len(token) or text[len(token)] == " "):
            found.append(0)
        if " " in token or not token:
            return found  # no token has a space (nor is empty): only the text's start holds it
        for place in islice(_spaced_places(text, token), max(0, limit - len(found))):
            found.append(bisect_right(self.token_starts, place + 1) - 1)
        return found[:limit]

    @property
    def index(self) -> dict[str, array[int]]:
        """Token -> positions in ``tokens``; built on first use, for fuzzy location."""
        if self._index is None:
            index: dict[str, array[int]] = {}
            code = _code(len(self.token_starts))
            for position, token in enumerate(self.tokens):
                positions = index.get(token)
                if positions is None:
                    index[token] = positions = array(code)
                positions.append(position)
            self._index = index
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
        text = self._text
        start = 0
        while start < len(text):  # a piece at a time: no list of every token at once
            end = text.find(" ", start + _CHUNK)
            end = len(text) if end < 0 else end
            yield from text[start:end].split(" ")
            start = end + 1

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


def _tokens_with_starts(pre: str, base: int) -> tuple[list[str], array[int]]:
    """The tokens of the folded chunk ``pre`` and where each starts in the folded text
    (``base``: where the chunk starts in it), read with the whitespace before each token."""
    pieces = _patterns(pre)[1].findall(pre)
    tokens = list(map(str.lstrip, pieces))
    ends = islice(accumulate(map(len, pieces), initial=base), 1, None)
    return tokens, array(_code(base + len(pre)), map(operator.sub, ends, map(len, tokens)))


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


_LOOKUPS_BEFORE_INDEX = 8
_CHUNK = 1 << 14  # characters of the original folded and tokenised at a time
_ONE = 1
# Characters that need more than ASCII lower-casing: outside printable ASCII (other than tab and
# line breaks), and the backtick. Split on, a text alternates plain ASCII and runs of these.
_SPECIAL = re.compile(r"([^\t\n\r\x20-\x5f\x61-\x7e]+)")
# A combining mark after a printable ASCII character composes with it ("e" + U+0301): a run
# that starts with one takes that character along (every combining character is one of these
# marks: Unicode has none with a combining class outside Mn, Mc and Me).
# A class of hundreds of ranges is slow to search when it reaches past the BMP (the regex
# engine then tries range by range): marks are looked for as the BMP's marks or any character
# past the BMP (rare: emoji, old scripts), the latter then checked one by one.
_BMP_MARKS = _combining_mark_class(0x10000)
_MAYBE_MARK = re.compile(f"[{_BMP_MARKS}\U00010000-\U0010ffff]")
_WORD_MARK = re.compile(f"[{_MARKS}]")
_BMP_MARK = re.compile(f"[{_BMP_MARKS}]")
_PAST_BMP = re.compile("[\U00010000-\U0010ffff]")
# The token pattern with the whitespace before each token: the text between tokens is all
# whitespace (every other character starts a token), so the pieces' lengths give the starts.
# Words are tried first (no other alternative starts with a word character: the same matches)
# and a separator is looked at only when one follows.
_JOINED = r"(?:(?=[.,'])(?:(?<=\d)[.,'](?=\d)|(?<=[^\W\d_])'(?=[^\W\d_]))WORD+)*"


def _token_patterns(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    token = rf"{word}+{_JOINED.replace('WORD', word)}|\^\d+|[^\w\s]"
    return re.compile(token), re.compile(rf"\s*(?:{token})")


_TOKENS = _token_patterns(_WORD_CHARS)
# The same for text without marks past the BMP, and for text without marks (faster each: a
# class of ranges reaching past the BMP is tried range by range).
_BMP_TOKENS = _token_patterns(f"[\\w{_BMP_MARKS}]")
_PLAIN_TOKENS = _token_patterns(r"\w")
_RUN_CACHE_LIMIT = 4096  # runs kept folded (a few hundred KB at most, shared by all texts)

# A folded run: its folded text, whether it maps character for character, and the offset map
# segments it adds, relative to its start (derived start, original start, end, copy).
_Fold = tuple[str, bool, tuple[tuple[int, int, int, bool], ...]]


class _RunFolds(dict[str, _Fold]):
    """Run of special characters -> its fold, computed on first sight (runs recur: a page's
    curly apostrophes and dashes are a few distinct runs)."""

    def __missing__(self, run: str) -> _Fold:
        adds: list[tuple[int, int, int, bool]] = []
        pieces: list[str] = []
        derived = 0
        for start, end, folded, linear in _fold_run(run):
            adds.append((derived, start, end, linear))
            pieces.append(folded)
            derived += len(folded)
        linear = adds == [(0, 0, len(run), True)]
        fold = ("".join(pieces), linear, () if linear else tuple(adds))
        self[run] = fold
        return fold


_RUN_FOLDS = _RunFolds()
_RUN_FOLD = _RUN_FOLDS.__getitem__
_FOLDED = operator.itemgetter(0)
_LINEAR = operator.itemgetter(1)


def _fold_run(run: str) -> list[tuple[int, int, str, bool]]:
    """Steps 1 and 2 of the module documentation for one run of special characters (with the
    ASCII character before it, if any): (start, end, folded, one-to-one) per cluster, or one
    for the whole run when it folds character for character. Deleted clusters are left out."""
    if _CLUSTERED.search(run) is None:
        # Most runs (accented Latin, Cyrillic, Greek, Arabic words) fold character by
        # character, one to one: translate them in C and keep one linear segment.
        folded_run = run.translate(_FOLD_TABLE)
        if len(folded_run) == len(run) and _NOT_ONE_TO_ONE.isdisjoint(run):
            return [(0, len(run), folded_run, True)]
    found = []
    after_superscript = False
    for start, end in _clusters(run):
        cluster = run[start:end]
        folded = _normalize_cluster(cluster, after_superscript)
        after_superscript = cluster[0] in _SUPERSCRIPT_DIGITS
        if folded:
            found.append((start, end, folded, len(folded) == len(cluster)))
    return found


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


def _word_marks(text: str) -> tuple[bool, bool]:
    """Whether ``text`` has combining marks of the token pattern's word characters, and whether
    any of them is past the BMP."""
    if _MAYBE_MARK.search(text) is None:
        return False, False
    if any(_WORD_MARK.match(match.group()) for match in _PAST_BMP.finditer(text)):
        return True, True
    return _BMP_MARK.search(text) is not None, False


def _with_composing_characters(parts: list[str]) -> None:
    """Move the printable ASCII character before each run of ``parts`` (plain and special
    alternately) that starts with a combining character into that run: the two compose."""
    for number in range(1, len(parts), 2):
        before = parts[number - 1]
        if before and "\x20" <= before[-1] <= "\x7e" and _is_combining(parts[number][0]):
            parts[number] = before[-1] + parts[number]
            parts[number - 1] = before[:-1]


def _folds(runs: list[str]) -> list[_Fold]:
    """Each run's fold (:class:`_RunFolds`). The runs are translated all at once in C, joined
    by tabs (which no run holds and which fold to themselves): a run without a character that
    folds with its neighbours (``_CLUSTERED``) or into other than one character
    (``_NOT_ONE_TO_ONE``) folds character for character, to its piece of that translation;
    only the others are folded one by one (issue 17: a page of many languages has thousands of
    distinct runs, each folded by a Python call and cached)."""
    if not runs:
        return []
    joined = "\t".join(runs)
    pieces = joined.translate(_FOLD_TABLE).split("\t")  # fills _NOT_ONE_TO_ONE as it goes
    if len(pieces) != len(runs):  # a character folded to a tab: never so far, but be safe
        return list(map(_RUN_FOLD, runs))
    folds: list[_Fold] = list(zip(pieces, repeat(True), repeat(())))
    odd = _odd_characters(len(_NOT_ONE_TO_ONE))
    found = odd.search(joined)
    if found is None:
        return folds
    bounds = list(accumulate(map(_ONE.__add__, map(len, runs))))  # where each run's tab ends
    while found is not None:
        number = bisect_right(bounds, found.start())
        folds[number] = _RUN_FOLD(runs[number])
        found = odd.search(joined, bounds[number])  # the next run's
    return folds


@functools.lru_cache(maxsize=1)
def _odd_characters(known: int) -> re.Pattern[str]:
    """A pattern of the characters that may keep a run from folding character for character:
    those of ``_CLUSTERED`` and of ``_NOT_ONE_TO_ONE`` (which only grows; ``known``: its size,
    so that the pattern is made again when it has grown), and any past the BMP (rare: a class
    reaching past the BMP is searched range by range, some 30 times slower)."""
    odd = "".join(re.escape(char) for char in sorted(_NOT_ONE_TO_ONE) if char < "\U00010000")
    return re.compile(
        f"[{_BMP_MARKS}{''.join(_SUPERSCRIPT_DIGITS)}\u00bc-\u00be\u2150-\u215f\u2189{odd}"
        "\U00010000-\U0010ffff]"
    )


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


def _patterns(pre: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern for a folded chunk (step 3), alone and with the whitespace before each
    token: the fastest of the equivalent ones that covers the chunk's combining marks."""
    marks, past_bmp = _word_marks(pre)
    return (_TOKENS if past_bmp else _BMP_TOKENS) if marks else _PLAIN_TOKENS


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` into its canonical form (see the module documentation).

    Nothing is cached here: whoever matches many claims against one text keeps its normalised
    form (a :class:`claimcheck.matching.SourceIndex` does).
    """
    return NormalizedText(text)
