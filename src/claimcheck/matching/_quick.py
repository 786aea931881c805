"""A verbatim quote verified without normalising the whole source: the one-quote fast path.

Normalising a source costs about 300 ms per MB, far more than finding one quote in it; a document
checked for a single quote need not pay it. A quote that is in the source verbatim (after
normalisation) is found by normalising only *windows* of the source around the places its
longest word could be, and it gets exactly the evidence the whole-text path gives, because:

- a window is cut only at ASCII whitespace, where normalisation never joins or changes anything,
  so its canonical tokens are the whole text's tokens there, mapped to the same offsets;
- a canonical token made of ASCII letters and digits comes either from the same ASCII characters
  (in any case: the raw text is searched case-insensitively for the word) or from characters that
  fold into ASCII letters or digits or vanish (a ligature, a fullwidth digit, a soft hyphen, a
  zero-width space): every such character is a candidate place too;
- each candidate's window holds the quote's length in tokens and a margin on both sides (the
  classification looks a few words around a passage), or reaches the text's edge; windows are
  read in order, so the first occurrence found is the whole text's first, the one the whole-text
  path reports.

Anything else (the quote not found verbatim, found but not verified, elided or bracketed, a source
with too many candidate places) gives ``None``: the caller takes the whole-text path.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

import attrs

from ..documents import Text, region_at
from ..language import NormalizedText, normalize
from ..model import Evidence, Reason, Status
from ._quote_parse import ParsedQuote
from ._tokens import WILD

__all__ = ["RawSource", "quick_evidence"]

_MARGIN = 16  # canonical tokens kept around a passage: more than the classification looks at
_NARROW_REACH = 240  # characters beyond the quote's length: 16 tokens of prose, with room
_MAX_CANDIDATES = 48  # beyond this many places, the whole-text path is cheaper
_ANCHORS_TRIED = 3
_LETTERS = frozenset(("Lu", "Ll", "Lt", "Lo"))  # not Lm: the Arabic tatweel is deleted
_WORDS_CHECKED = 8  # the quote's longest words, each looked for in the raw text first
_MAX_UNSAFE = 2000  # characters that fold unsafely, each looked at on its own
_USUAL_BYTES = bytes([9, 10, 13, *range(0x20, 0x7F)])  # what lower-casing alone normalises
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_SAFE_CUT = frozenset(" \t\n\r")
_FOLDS_UNSAFELY: dict[str, bool] = {}  # a character property, the same for every text


def _folds_unsafely(char: str) -> bool:
    """Whether ``char`` may be part of a canonical ASCII word without being that word's letter
    in the raw text: it folds into ASCII letters or digits ("™", "½", a fullwidth "Ａ"), or
    vanishes between two letters (a soft hyphen, a zero-width space)."""
    known = _FOLDS_UNSAFELY.get(char)
    if known is None and unicodedata.category(char) in _LETTERS:
        # most are letters of other scripts, never deleted: only their folding can matter
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
        if not any(c.isascii() and c.isalnum() for c in folded):
            known = _FOLDS_UNSAFELY[char] = False
    if known is None:
        alone = normalize(char).text
        known = any(c.isascii() and c.isalnum() for c in alone) or (
            normalize(f"a{char}a").text == "aa"
        )
        _FOLDS_UNSAFELY[char] = known
    return known


# Characters that never fold unsafely, each checked by tests/matching/test_one_quote_windows.py:
# the Latin-1 letters but "ß" (it folds into "ss"), Cyrillic letters, curly quotes, CJK
# ideographs, Hangul syllables.
NEVER_UNSAFE = (
    "\u00c0-\u00d6\u00d8-\u00de\u00e0-\u00f6\u00f8-\u00ff\u0400-\u0482\u048a-\u04ff"
    "\u2018-\u201d\u4e00-\u9fff\uac00-\ud7a3"
)
_NEVER_UNSAFE = re.compile(f"[{NEVER_UNSAFE}]+")


def _unusual(data: bytes) -> set[str]:
    """The characters of UTF-8 ``data`` but printable ASCII and ``NEVER_UNSAFE``."""
    # deleting the printable ASCII bytes leaves whole UTF-8 sequences: the unusual characters,
    # less the runs of common ones that never fold unsafely (a set of every character of a
    # Russian or Korean page costs more than the rest of this function)
    left = data.translate(None, _USUAL_BYTES).decode("utf-8", "surrogatepass")
    return set(_NEVER_UNSAFE.sub("", left))


def _unsafe_positions(text: str, unusual: set[str]) -> list[int] | None:
    """Where ``text`` has characters that fold unsafely (:func:`_folds_unsafely`) of
    ``unusual``, its characters but the usual ones; ``None`` when there are too many to look
    at one by one."""
    positions: list[int] = []
    for char in unusual:
        if not _folds_unsafely(char):
            continue
        position = text.find(char)
        while position >= 0:
            if len(positions) >= _MAX_UNSAFE:
                return None
            positions.append(position)
            position = text.find(char, position + 1)
    return positions


def _cut_before(text: str, position: int) -> int:
    """The nearest safe cut at or before ``position``: an ASCII whitespace, or the start."""
    while position > 0 and text[position] not in _SAFE_CUT:
        position -= 1
    return max(position, 0)


def _cut_after(text: str, position: int) -> int:
    """The nearest safe cut at or after ``position``: an ASCII whitespace, or the end."""
    while position < len(text) and text[position] not in _SAFE_CUT:
        position += 1
    return min(position, len(text))


def _windows(text: str, candidates: list[int], reach: int) -> list[tuple[int, int]]:
    """Windows of ``reach`` characters either side of each candidate, cut safely, merged."""
    merged: list[tuple[int, int]] = []
    for candidate in candidates:
        start = _cut_before(text, max(0, candidate - reach))
        end = _cut_after(text, min(len(text), candidate + reach))
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covers(
    window: NormalizedText, start: int, end: int, total: int, where: list[int], needed: int
) -> bool:
    """Whether the window ``start:end`` of a text of ``total`` characters holds ``needed`` tokens
    on both sides of the token at each of the raw offsets ``where`` (or reaches the text's edge
    on that side)."""
    starts = [span[0] for span in window.token_spans()]
    count = len(starts)
    for position in where:
        token = bisect_right(starts, position - start) - 1
        if start > 0 and token < needed:
            return False
        if end < total and count - token - 1 < needed:
            return False
    return True


def _first_exact(needle: str, text: str) -> int | None:
    """Where the whole-token ``needle`` first occurs in canonical ``text``."""
    position = text.find(needle)
    while position >= 0:
        end = position + len(needle)
        if (position == 0 or text[position - 1] == " ") and (end == len(text) or text[end] == " "):
            return position
        position = text.find(needle, position + 1)
    return None


def _run_tokens(source: str, unsafe: list[int]) -> list[set[str]]:
    """The canonical tokens of each unsafe position's run of non-whitespace (in order). The
    canonical tokens through a character lie between two safe cuts; the runs are normalised
    together, a line break apart (normalisation is local at a line break, which composes with
    nothing): one call, not one per run."""
    if not unsafe:
        return []
    runs = [source[_cut_before(source, at) : _cut_after(source, at)] for at in unsafe]
    joined = normalize("\n".join(runs))
    ends = list(accumulate(len(run) + 1 for run in runs))  # each run's end, its break included
    tokens_of: list[set[str]] = [set() for _ in unsafe]
    for token, span in zip(joined.tokens, joined.token_spans(), strict=True):
        tokens_of[bisect_right(ends, span[0])].add(token)
    return tokens_of


def _runs_with(source: str, unsafe: list[int], anchor: str) -> list[int | None]:
    """Each unsafe position (in order) whose run of non-whitespace has the canonical token
    ``anchor``, else ``None`` (see :func:`_run_tokens`)."""
    return [
        at if anchor in tokens else None
        for at, tokens in zip(unsafe, _run_tokens(source, unsafe), strict=True)
    ]


_ISOLATING = bytes(
    byte if chr(byte) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for byte in range(256)
)


def _composing(data: bytes, unusual: set[str]) -> list[int] | None:
    """The byte offsets in UTF-8 ``data`` of the ASCII letters and digits a combining mark
    (of ``unusual``, its characters but the usual ones) follows, in order; ``None`` when more
    than ``_MAX_UNSAFE``. Found in one pass: a copy of ``data`` where an ASCII letter or digit
    is "a", the first byte of any of the marks' encodings "M", and any other byte a space, is
    searched for "M" after "a" (a mark's first byte starts other characters too: each is
    checked)."""
    leads = {
        char.encode("utf-8", "surrogatepass")[0]
        for char in unusual
        if unicodedata.category(char)[0] == "M"
    }
    if not leads:
        return []
    marked = data.translate(_marking(frozenset(leads)))
    found: list[int] = []
    at = marked.find(b"M", 1)
    while at >= 0:
        char = data[at : at + 4].decode("utf-8", "ignore")[:1]
        if marked[at - 1] == 97 and char and unicodedata.category(char)[0] == "M":
            found.append(at - 1)
            if len(found) > _MAX_UNSAFE:
                return None
        at = marked.find(b"M", at + 1)
    return found


@functools.lru_cache(maxsize=16)
def _marking(leads: frozenset[int]) -> bytes:
    """The table of :func:`_composing` for the marks' first bytes ``leads``."""
    return bytes(97 if b in _ASCII_ALNUM else 77 if b in leads else 32 for b in range(256))


_ASCII_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class RawSource:
    """What the one-quote paths read of a raw source, each made once when first needed: its
    UTF-8 bytes with the ASCII letters lower-cased, where its unsafe characters are
    (:func:`_unsafe_positions`, ``None`` when too many) and the canonical tokens of each one's
    run of non-whitespace."""

    __slots__ = (
        "_composing",
        "_isolated",
        "_looked",
        "_looked_composing",
        "_run_tokens",
        "_unsafe",
        "_unusual",
        "data",
        "lowered",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.lowered = self.data.lower()  # bytes: only the ASCII letters change
        self._looked = False
        self._unsafe: list[int] | None = None
        self._run_tokens: list[set[str]] | None = None
        self._isolated: bytes | None = None
        self._composing: list[int] | None = None
        self._looked_composing = False
        self._unusual: set[str] | None = None

    @property
    def unusual(self) -> set[str]:
        """The characters of the text but printable ASCII and ``NEVER_UNSAFE``."""
        if self._unusual is None:
            self._unusual = _unusual(self.data)
        return self._unusual

    @property
    def isolated(self) -> bytes:
        """``lowered`` with every byte but the ASCII letters and digits made a space: a word
        stands between two other characters where it is found between spaces here."""
        if self._isolated is None:
            self._isolated = self.lowered.translate(_ISOLATING)
        return self._isolated

    @property
    def composing(self) -> list[int] | None:
        """The byte offsets of the ASCII letters and digits a combining mark follows (they may
        compose into a letter of a canonical token: "cafe\u0301" is "café"), in order; ``None``
        when more than ``_MAX_UNSAFE``."""
        if not self._looked_composing:
            self._composing = _composing(self.data, self.unusual)
            self._looked_composing = True
        return self._composing

    @property
    def unsafe(self) -> list[int] | None:
        if not self._looked:
            self._unsafe, self._looked = _unsafe_positions(self.text, self.unusual), True
        return self._unsafe

    def holding(self, token: str) -> list[int]:
        """The unsafe positions whose run of non-whitespace has the canonical token ``token``
        (the unsafe positions must be known: :attr:`unsafe` not ``None``)."""
        unsafe = self.unsafe
        assert unsafe is not None
        if self._run_tokens is None:
            self._run_tokens = _run_tokens(self.text, unsafe)
        return [at for at, tokens in zip(unsafe, self._run_tokens, strict=True) if token in tokens]


def _anchor_candidates(
    source: str, lowered: bytes, anchor: str, holding: list[int], limit: int = _MAX_CANDIDATES
) -> list[int] | None:
    """Every raw offset where a canonical token ``anchor`` (or any canonical token with the
    ASCII letters and digits ``anchor`` in it) may come from, in order: the occurrences of
    ``anchor`` in any case, and ``holding``, the unsafe characters in a run of non-whitespace
    whose canonical tokens include the token looked for. ``None`` when more than ``limit``.
    ``lowered`` is the source in UTF-8 with its ASCII letters in lower case."""
    candidates = holding
    # An ASCII word occurs in UTF-8 bytes only as those ASCII characters: counting it in the
    # lowered bytes tells whether its usual spellings found in the text are all of them.
    expected = lowered.count(anchor.encode("ascii"))
    if expected + len(candidates) > limit:
        return None
    found = set()
    for spelling in {anchor, anchor.capitalize(), anchor.upper()}:
        position = source.find(spelling)
        while position >= 0:
            found.add(position)
            position = source.find(spelling, position + len(spelling))
    if len(found) != expected:  # other spellings ("iPhone"), or overlapping repeats
        found = {
            match.start()
            for match in re.finditer(re.escape(anchor), source, re.IGNORECASE | re.ASCII)
        }
        if len(found) + len(candidates) > limit:
            return None
    return sorted({*candidates, *found})


def quick_evidence(
    quote: ParsedQuote,
    text: Text,
    evidence_in: Callable[[ParsedQuote, Text, NormalizedText], Evidence],
    raw: RawSource | None = None,
) -> Evidence | None:
    """The evidence of a verbatim quote, found without normalising the whole of ``text``, or
    ``None`` when this path cannot tell (see the module documentation). ``evidence_in`` is the
    whole-text path's own evidence of a quote in a text (here: in one window); ``raw`` what is
    read of ``text``, when already made."""
    if len(quote.fragments) != 1:
        return None
    fragment = quote.fragments[0]
    if fragment.brackets or WILD in fragment.tokens:
        return None
    words = sorted(
        dict.fromkeys(token for token in fragment.tokens if _ASCII_WORD.fullmatch(token)),
        key=len,
        reverse=True,
    )
    source = text.text
    if not words:
        return None
    raw = raw or RawSource(source)
    lowered = raw.lowered
    # first, as the cheapest: an edited or absent quote usually leaves here
    if any(word.encode("ascii") not in lowered for word in words[:_WORDS_CHECKED]):
        return None  # not verbatim (or spelt with odd characters): the whole-text path decides
    if raw.unsafe is None:
        return None
    for anchor in words[:_ANCHORS_TRIED]:  # the longest words are the likeliest to be rare
        candidates = _anchor_candidates(source, lowered, anchor, raw.holding(anchor))
        if candidates is not None:
            break
    else:
        return None
    # Narrow windows first (normalising them is most of this path's cost); wider ones when a
    # narrow window does not hold enough tokens around a candidate (long words, many marks).
    for reach in (len(quote.raw) + _NARROW_REACH, 2 * len(quote.raw) + 200):
        found = _in_windows(quote, text, candidates, reach, evidence_in)
        if found is not _TOO_NARROW:
            return found
    return None


_TOO_NARROW = Evidence(Status.BROKEN, Reason.NOT_FOUND, "a window too narrow to tell", 0)


def _in_windows(
    quote: ParsedQuote,
    text: Text,
    candidates: list[int],
    reach: int,
    evidence_in: Callable[[ParsedQuote, Text, NormalizedText], Evidence],
) -> Evidence | None:
    """The evidence of a verbatim quote found in windows of ``reach`` characters either side of
    each candidate place, ``None`` when not found verbatim there or not verified, or
    ``_TOO_NARROW`` when a window does not hold enough tokens around a candidate to tell."""
    fragment = quote.fragments[0]
    source = text.text
    needle = " ".join(fragment.tokens)
    needed = len(fragment.tokens) + _MARGIN
    for start, end in _windows(source, candidates, reach):
        window = normalize(source[start:end])
        inside = [c for c in candidates if start <= c < end]
        if not _covers(window, start, end, len(source), inside, needed):
            return _TOO_NARROW  # an occurrence may run past this window: it cannot tell
        if _first_exact(needle, window.text) is None:
            continue
        evidence = evidence_in(quote, Text(source[start:end], "text/plain"), window)
        if evidence.status is not Status.VERIFIED or evidence.span is None:
            return None
        return _shifted(evidence, start, text)
    return None


def _shifted(evidence: Evidence, offset: int, text: Text) -> Evidence:
    """Evidence found in a window starting at ``offset``, told in offsets of the whole text."""
    assert evidence.span is not None
    span = (evidence.span[0] + offset, evidence.span[1] + offset)
    return attrs.evolve(
        evidence,
        span=span,
        region=region_at(text, span[0]),
        differences=tuple(
            attrs.evolve(
                diff, source_span=(diff.source_span[0] + offset, diff.source_span[1] + offset)
            )
            for diff in evidence.differences
        ),
    )
