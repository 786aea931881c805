"""Steps 1 and 2 of normalisation (see :mod:`._normalize`): folding characters and runs of
special characters into their canonical form, and the token patterns of step 3.

Plain ASCII is lower-cased in C; every other character is folded by a translation table filled
on first sight of each (:data:`_FOLD_TABLE`), and a run whose characters fold with their
neighbours (combining marks, superscripts, vulgar fractions) or into other than one character
is folded cluster by cluster, with the offset map segments that say where each came from.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate, repeat
from typing import cast

_ONE = 1
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
    """Each run's fold (:class:`_RunFolds`): from the cache when it holds them all; else the
    runs are translated all at once in C, joined by tabs (which no run holds and which fold to
    themselves): a run without a character that folds with its neighbours (``_CLUSTERED``) or
    into other than one character (``_NOT_ONE_TO_ONE``) folds character for character, to its
    piece of that translation; only the others are folded one by one. All are cached (issue
    17: a page of many languages has thousands of distinct runs, more than the cache holds,
    and each was folded by a Python call)."""
    folds: list[_Fold | None] = list(map(_RUN_FOLDS.get, runs))
    if None not in folds:  # runs seen before (curly quotes, dashes, common words)
        return cast(list[_Fold], folds)
    joined = "\t".join(runs)
    pieces = joined.translate(_FOLD_TABLE).split("\t")  # fills _NOT_ONE_TO_ONE as it goes
    if len(pieces) != len(runs):  # a character folded to a tab: never so far, but be safe
        return list(map(_RUN_FOLD, runs))
    made: list[_Fold] = list(zip(pieces, repeat(True), repeat(())))
    odd = _odd_characters(len(_NOT_ONE_TO_ONE))
    found = odd.search(joined)
    if found is not None:
        bounds = list(accumulate(map(_ONE.__add__, map(len, runs))))  # each run's tab's end
        while found is not None:
            number = bisect_right(bounds, found.start())
            made[number] = _RUN_FOLD(runs[number])
            found = odd.search(joined, bounds[number])  # the next run's
    _RUN_FOLDS.update(zip(runs, made, strict=True))
    return made


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


def _patterns(pre: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern for a folded chunk (step 3), alone and with the whitespace before each
    token: the fastest of the equivalent ones that covers the chunk's combining marks."""
    marks, past_bmp = _word_marks(pre)
    return (_TOKENS if past_bmp else _BMP_TOKENS) if marks else _PLAIN_TOKENS
