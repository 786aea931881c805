"""Matching: find a claim in a source text and decide whether the source verifies it.

Quotes are *located, then classified*. A similarity score finds where a quote is, but cannot say
whether it holds: one changed digit or an inserted "not" still scores 95–99. So:

1. Parse the quote: strip enclosing quote marks, split it on ellipses (``...``, ``…``, ``[...]``,
   ``[…]``) into fragments that must occur in order, and turn bracketed editorial insertions
   (``[the minister]``, ``[T]he``) into wildcards standing for a few source words; annotations such
   as ``[sic]`` and ``[emphasis added]`` stand for nothing.
2. Locate each fragment in the normalised source: exact search first (whole tokens only: "men"
   is not found in "women"); otherwise seed and extend: rare quote tokens vote for where the quote
   starts, and the best few candidate windows are aligned token by token (rapidfuzz's LCS and
   Levenshtein edit scripts, in C).
3. Classify the word-level edit script. Differences of case, typography, punctuation and
   hyphenation are cosmetic; a changed number, date, negation or hedge, a substituted or added
   word, and source words left out without an ellipsis are material. A quote whose unmatched part
   is found elsewhere in the source was stitched together from separate passages.

Nothing resembling the quote (most of its content words unmatched) means the quote is absent:
``broken``/``not-found``, never ``drifted``.

Figures and dates are matched by *value* near their context words: verified when the value
(within the claim's hedge, at the claim's precision) occurs near the context, drifted when the
context is there with another value (which is reported), absent otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import attrs
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..documents import Text, region_at
from ..errors import InvalidClaimError
from ..language import (
    HEDGE_WORDS,
    MONTH_WORDS,
    NUMBER_WORDS,
    SENTENCE_END,
    STOPWORDS,
    DateAgreement,
    DateValue,
    Figure,
    FoundDate,
    HedgeKind,
    NormalizedText,
    compare_dates,
    ends_sentence,
    figure_agrees,
    find_dates,
    find_figures,
    is_negation,
    normalize,
    parse_date,
    parse_date_value,
    parse_figure,
)
from ..model import Claim, ClaimKind, DiffKind, Evidence, Reason, Status, WordDiff

__all__ = ["match_claim", "match_date", "match_figure", "match_quote"]

_WILD = "\x00"  # a token no source token can equal: the normaliser deletes control characters
_WILD_MAX_TOKENS = 6
_MAX_ELLIPSIS_GAP = 20_000  # canonical characters between two fragments of an elided quote
_SEED_TOKENS = 6
_SEED_MAX_POSITIONS = 100
_CANDIDATE_WINDOWS = 3
_STITCH_MIN_TOKENS = 4
_OMISSION_GAP = 12  # source tokens a quote may silently skip before it counts as stitched

_OPENING_QUOTES = "\"'“‘„‚«‹「『"
_CLOSING_QUOTES = "\"'”’“‘»›」』"
_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*…\s*[\])]|\.(?:\s?\.){2,}|…)\s*")
_BRACKET = re.compile(r"\[([^\[\]]{1,80})\]")
_ANNOTATION = re.compile(
    r"(?:sic!?|emphasis (?:added|mine|supplied|in (?:the )?original)|original emphasis"
    r"|italics (?:added|mine)|citation needed|sic passim)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[.,']")
_LEADING_NUMBER = re.compile(r"^[\d.,']+")


# --------------------------------------------------------------------------------------------
# Quote parsing


@attrs.frozen
class _Fragment:
    """A part of a quote between ellipses, as canonical tokens.

    ``spans`` locate each token in the raw quote; a wildcard token (``_WILD``) stands for between
    ``wild_min`` and ``wild_max`` source tokens, and ``wild_words`` are its own words (the
    bracket's, or the bracketed word's without brackets): they are still compared with the source
    words they stand for, so that ``[198]`` for "189" or ``[not]`` is drift, not editing.
    """

    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    wild_min: tuple[int, ...]
    wild_max: tuple[int, ...]
    wild_words: tuple[tuple[str, ...], ...]

    def sub(self, start: int, stop: int) -> _Fragment:
        return _Fragment(
            self.tokens[start:stop],
            self.spans[start:stop],
            self.wild_min[start:stop],
            self.wild_max[start:stop],
            self.wild_words[start:stop],
        )

    @property
    def has_wild(self) -> bool:
        return _WILD in self.tokens


@attrs.frozen
class _ParsedQuote:
    raw: str
    body: tuple[int, int]  # the quote without enclosing whitespace and quote marks
    fragments: tuple[_Fragment, ...]
    elided: bool
    bracketed: bool


def _strip_enclosing(quote: str) -> tuple[int, int]:
    start, end = 0, len(quote)
    while start < end and quote[start].isspace():
        start += 1
    while end > start and quote[end - 1].isspace():
        end -= 1
    while (
        end - start >= 2 and quote[start] in _OPENING_QUOTES and quote[end - 1] in _CLOSING_QUOTES
    ):
        start, end = start + 1, end - 1  # nested: "'We will not'" is quoted twice
        while start < end and quote[start].isspace():
            start += 1
        while end > start and quote[end - 1].isspace():
            end -= 1
    return start, end


def _tokens_of(raw: str, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
    normalized = NormalizedText(raw[start:end])  # quotes are short: not worth the cache
    return [
        (token, (start + a, start + b))
        for token, (a, b) in zip(normalized.tokens, normalized.token_spans(), strict=True)
    ]


def _parse_fragment(raw: str, start: int, end: int) -> tuple[_Fragment, bool]:
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    minimum: list[int] = []
    maximum: list[int] = []
    words: list[tuple[str, ...]] = []
    bracketed = False

    def add_text(a: int, b: int) -> None:
        for token, span in _tokens_of(raw, a, b):
            tokens.append(token)
            spans.append(span)
            minimum.append(0)
            maximum.append(0)
            words.append(())

    cursor = start
    for match in _BRACKET.finditer(raw, start, end):
        # a bracket glued to a word edits that word: take the whole word ("[T]he", "help[s]")
        left, right = match.start(), match.end()
        while left > cursor and (raw[left - 1].isalnum() or raw[left - 1] == "_"):
            left -= 1
        while right < end and (raw[right].isalnum() or raw[right] == "_"):
            right += 1
        add_text(cursor, left)
        cursor = right
        bracketed = True
        content = match.group(1).strip()
        attached = (left, right) != match.span()
        if _ANNOTATION.fullmatch(content):
            continue
        tokens.append(_WILD)
        spans.append((left, right))
        # "[T]he" or "help[s]" edit one word; "[the minister]" stands for a few source words.
        minimum.append(1 if attached else 0)
        maximum.append(1 if attached else _WILD_MAX_TOKENS)
        unbracketed = raw[left:right].replace("[", "").replace("]", "")
        words.append(tuple(NormalizedText(unbracketed).tokens))
    add_text(cursor, end)
    fragment = _Fragment(tuple(tokens), tuple(spans), tuple(minimum), tuple(maximum), tuple(words))
    return fragment, bracketed


def _parse_quote(quote: str) -> _ParsedQuote:
    start, end = _strip_enclosing(quote)
    fragments: list[_Fragment] = []
    bracketed = False
    cursor = start
    pieces: list[tuple[int, int]] = []
    for match in _ELLIPSIS.finditer(quote, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    for a, b in pieces:
        fragment, has_brackets = _parse_fragment(quote, a, b)
        bracketed = bracketed or has_brackets
        if any(token != _WILD for token in fragment.tokens):
            fragments.append(fragment)
    if not fragments:
        raise InvalidClaimError(f"the quote {quote!r} has no words to look for")
    return _ParsedQuote(quote, (start, end), tuple(fragments), len(pieces) > 1, bracketed)


# --------------------------------------------------------------------------------------------
# Locating


class _Block(NamedTuple):
    """One step of a token alignment: ``equal`` or ``diff`` (anything else), with token ranges
    in the fragment (``q1:q2``) and in the source (``s1:s2``). A named tuple rather than an
    attrs class: thousands are made per quote, and tuples are made in C."""

    equal: bool
    q1: int
    q2: int
    s1: int
    s2: int


@attrs.frozen
class _Alignment:
    fragment: _Fragment
    start: int  # source token range of the passage
    stop: int
    blocks: tuple[_Block, ...]
    exact: bool
    source_tokens: Sequence[str] = attrs.field(repr=False, eq=False)

    matched: int = attrs.field(init=False, eq=False)
    """How many of the fragment's words are matched: equal, or differing only in
    spelling-neutral ways (``co-operate`` for ``cooperate``)."""
    matched_content: int = attrs.field(init=False, eq=False)
    """The same for content words (not function words)."""
    matched_core: int = attrs.field(init=False, eq=False)
    """The same for content words that are not numbers, negations or hedges."""

    def __attrs_post_init__(self) -> None:
        words = content = core = 0
        for block in self.blocks:
            tokens = self.fragment.tokens[block.q1 : block.q2]
            source_words = self.source_tokens[block.s1 : block.s2]
            if block.equal or _digits_joined(tokens) == _digits_joined(source_words) != "":
                # equal, or the same characters: "100 000" for "100,000"
                matched = [token for token in tokens if _is_word(token)]
            else:
                joined = _joined(source_words)
                matched = [
                    token
                    for token in tokens
                    if _is_word(token)
                    and (
                        token in source_words
                        or (len(token) >= 4 and token.replace("'", "") in joined)
                        or (token in _PERCENT_WORDS and "%" in source_words)
                    )
                ]
            words += len(matched)
            content += sum(map(_is_content, matched))
            core += sum(map(_is_core, matched))
        object.__setattr__(self, "matched", words)
        object.__setattr__(self, "matched_content", content)
        object.__setattr__(self, "matched_core", core)


def _digits_joined(tokens: Sequence[str]) -> str:
    """The tokens' words run together without separators: "100 000" and "100,000" alike."""
    return _SEPARATORS.sub("", "".join(t for t in tokens if _is_word(t)))


def _joined(tokens: Sequence[str]) -> str:
    joined = "".join(token.replace("'", "") for token in tokens if _is_word(token))
    return joined + "%" if "%" in tokens else joined


@functools.lru_cache(maxsize=1 << 16)
def _is_word(token: str) -> bool:
    return token != _WILD and not token.startswith("^") and any(c.isalnum() for c in token)


@functools.lru_cache(maxsize=1 << 16)
def _is_content(token: str) -> bool:
    return _is_word(token) and token not in STOPWORDS


def _exact_alignment(
    fragment: _Fragment,
    source: NormalizedText,
    start: int,
    end: int,
    wild_groups: list[tuple[int, int]],
) -> _Alignment:
    """Build the alignment of an exact hit ``source.text[start:end]``.

    ``wild_groups`` are the character spans the inner wildcards matched, in order.
    """
    tokens = fragment.tokens
    first, last = _literal_bounds(tokens)
    s_start = source.token_at(start)
    s_stop = source.token_at(end - 1) + 1
    blocks: list[_Block] = [_Block(False, q, q + 1, s_start, s_start) for q in range(first)]
    cursor_q, cursor_s = first, s_start
    groups = iter(wild_groups)
    for q in range(first, last):
        if tokens[q] != _WILD:
            continue
        group_start, group_end = next(groups)
        if group_end > group_start:
            g1 = source.token_at(group_start + 1)
            g2 = source.token_at(group_end - 1) + 1
        else:
            g1 = g2 = (
                source.token_at(group_start + 1) if group_start + 1 < len(source.text) else s_stop
            )
        if q > cursor_q:
            blocks.append(_Block(True, cursor_q, q, cursor_s, g1))
        blocks.append(_Block(False, q, q + 1, g1, g2))
        cursor_q, cursor_s = q + 1, g2
    if last > cursor_q:
        blocks.append(_Block(True, cursor_q, last, cursor_s, s_stop))
    blocks.extend(_Block(False, q, q + 1, s_stop, s_stop) for q in range(last, len(tokens)))
    return _Alignment(fragment, s_start, s_stop, tuple(blocks), True, source.tokens)


def _literal_bounds(tokens: Sequence[str]) -> tuple[int, int]:
    """The range of ``tokens`` from the first to the last literal (non-wildcard) token."""
    first = 0
    while tokens[first] == _WILD:
        first += 1
    last = len(tokens)
    while tokens[last - 1] == _WILD:
        last -= 1
    return first, last


def _trim_wild(tokens: Sequence[str]) -> Sequence[str]:
    first, last = _literal_bounds(tokens)
    return tokens[first:last]


@functools.lru_cache(maxsize=256)
def _wild_pattern(fragment: _Fragment) -> re.Pattern[str]:
    tokens = fragment.tokens
    first, last = _literal_bounds(tokens)
    parts: list[str] = []
    literal: list[str] = []
    for q in range(first, last):
        if tokens[q] == _WILD:
            parts.append(re.escape(" ".join(literal)))
            literal = []
            low, high = fragment.wild_min[q], fragment.wild_max[q]
            parts.append(
                f"((?: [^ ]+){{{low},{high}}}) " if parts[-1] else f"((?:[^ ]+ ){{{low},{high}}})"
            )
        else:
            literal.append(tokens[q])
    parts.append(re.escape(" ".join(literal)))
    body = "".join(parts)
    return re.compile(r"(?<![^ ])" + body + r"(?![^ ])")


def _find_exact(fragment: _Fragment, source: NormalizedText, lo: int, hi: int) -> _Alignment | None:
    """The first whole-token exact occurrence of ``fragment`` in ``source.text[lo:hi]``."""
    text = source.text
    literal = [token for token in fragment.tokens if token != _WILD]
    if _WILD not in _trim_wild(fragment.tokens):
        needle = " ".join(literal)
        if source.has_index:
            return _find_exact_indexed(fragment, literal, needle, source, lo, hi)
        position = text.find(needle, lo, hi)
        while position >= 0:
            end = position + len(needle)
            if (position == 0 or text[position - 1] == " ") and (
                end == len(text) or text[end] == " "
            ):
                return _exact_alignment(fragment, source, position, end, [])
            position = text.find(needle, position + 1, hi)
        return None
    match = _wild_pattern(fragment).search(text, lo, hi)
    if match is None:
        return None
    groups = [match.span(group) for group in range(1, (match.lastindex or 0) + 1)]
    return _exact_alignment(fragment, source, match.start(), match.end(), groups)


def _find_exact_indexed(
    fragment: _Fragment, literal: list[str], needle: str, source: NormalizedText, lo: int, hi: int
) -> _Alignment | None:
    """Exact search through the token index: try only where the quote's rarest token occurs.

    Once a source is indexed this costs microseconds whatever the source's size, where
    ``str.find`` scans it all.
    """
    index = source.index
    counts = [len(index.get(token, ())) for token in literal]
    rarest = min(range(len(literal)), key=counts.__getitem__)
    text, starts = source.text, source.token_starts
    for position in index.get(literal[rarest], ()):
        first = position - rarest
        if first < 0 or starts[first] < lo:
            continue
        offset = starts[first]
        end = offset + len(needle)
        if end > hi:
            break
        if text.startswith(needle, offset) and (end == len(text) or text[end] == " "):
            return _exact_alignment(fragment, source, offset, end, [])
    return None


def _candidate_windows(tokens: Sequence[str], source: NormalizedText) -> list[tuple[int, int, int]]:
    """Where in the source a quote may start, as diagonal ranges (source position - quote
    position) voted for by the quote's rarest tokens: (low, high, votes), best voted first."""
    index = source.index
    seeds = [token for token in set(tokens) if _is_content(token)]
    if len(seeds) < 2:
        seeds = [token for token in set(tokens) if _is_word(token)]
    present = sorted((len(index[token]), token) for token in seeds if token in index)[:_SEED_TOKENS]
    if not present:
        return []
    positions_in_quote: dict[str, list[int]] = {}
    for q, token in enumerate(tokens):
        positions_in_quote.setdefault(token, []).append(q)
    diagonals: list[int] = []
    for seeds_used, (count, token) in enumerate(present):
        if count > _SEED_MAX_POSITIONS and seeds_used >= 3:
            break  # common words add noise, not evidence, once rarer seeds have voted
        found = index[token][:_SEED_MAX_POSITIONS]
        for q in positions_in_quote[token]:
            diagonals.extend([p - q for p in found])
    diagonals.sort()
    width = max(6, len(tokens) // 3)
    # Votes for a window: the seed hits whose diagonal lies within ``width`` of its start
    # (counted with bisect, in C: this runs for every quote not found verbatim).
    ends = [bisect_right(diagonals, diagonal + width) for diagonal in diagonals]
    scored = [
        (end - start, diagonals[start], diagonals[end - 1])
        for start, end in enumerate(ends)
        if start == 0 or diagonals[start] != diagonals[start - 1]
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    windows: list[tuple[int, int, int]] = []
    best = scored[0][0]
    for distinct, low, high in scored:
        if distinct < max(1, best // 3):
            break
        if any(low <= h + len(tokens) and high >= lo - len(tokens) for lo, h, _ in windows):
            continue  # the same passage as a better-voted window
        windows.append((low, high, distinct))
        if len(windows) == _CANDIDATE_WINDOWS:
            break
    return windows


def _equal_blocks(tokens: Sequence[str], window: Sequence[str], offset: int) -> list[_Block]:
    return [
        _Block(True, op.src_start, op.src_end, offset + op.dest_start, offset + op.dest_end)
        for op in Indel.opcodes(tokens, window)
        if op.tag == "equal"
    ]


def _trim_weak_edges(blocks: list[_Block], tokens: Sequence[str]) -> list[_Block]:
    """Drop equal blocks at either edge that are weak (short or only function words) and
    detached from the rest (reached only by skipping source or quote tokens): LCS happily
    aligns a stray "the" or comma from the padding of the window."""

    def weak(block: _Block) -> bool:
        words = tokens[block.q1 : block.q2]
        return block.q2 - block.q1 <= 2 or not any(_is_content(token) for token in words)

    def detached(block: _Block, gap_q: int, gap_s: int) -> bool:
        size = block.q2 - block.q1
        return gap_s - gap_q > size + 1 or gap_q > size + 1

    while len(blocks) > 1:
        first, second = blocks[0], blocks[1]
        if weak(first) and detached(first, second.q1 - first.q2, second.s1 - first.s2):
            blocks = blocks[1:]
            continue
        last, before = blocks[-1], blocks[-2]
        if weak(last) and detached(last, last.q1 - before.q2, last.s1 - before.s2):
            blocks = blocks[:-1]
            continue
        break
    return blocks


def _script(fragment: _Fragment, source: NormalizedText, start: int, stop: int) -> _Alignment:
    """The Levenshtein edit script of the whole fragment against ``source.tokens[start:stop]``,
    with adjacent differences merged into one block."""
    window = source.tokens[start:stop]
    blocks: list[_Block] = []
    for op in Levenshtein.opcodes(list(fragment.tokens), window):
        block = _Block(
            op.tag == "equal", op.src_start, op.src_end, start + op.dest_start, start + op.dest_end
        )
        if blocks and not block.equal and not blocks[-1].equal:
            previous = blocks.pop()
            block = _Block(False, previous.q1, block.q2, previous.s1, block.s2)
        blocks.append(block)
    return _Alignment(fragment, start, stop, tuple(blocks), False, source.tokens)


def _fuzzy_alignment(fragment: _Fragment, source: NormalizedText) -> _Alignment | None:
    """Seed and extend: the best token alignment of ``fragment`` in ``source``, or None when no
    quote token occurs in the source at all."""
    tokens = fragment.tokens
    n = len(tokens)
    words = sum(map(_is_word, tokens))
    pad = max(3, n // 4)
    best: tuple[tuple[int, int, int], _Alignment] | None = None
    windows = _candidate_windows(tokens, source)
    for number, (low, high, votes) in enumerate(windows):
        w_start = max(0, low - pad)
        w_stop = min(len(source.tokens), high + n + pad)
        blocks = _trim_weak_edges(
            _equal_blocks(tokens, source.tokens[w_start:w_stop], w_start), tokens
        )
        if not blocks:
            continue
        first, last = blocks[0], blocks[-1]
        # A few unmatched quote tokens at an edge are taken to replace the source's tokens
        # there; a longer run is words the quote adds (or a stitched-on passage).
        head = sum(map(_is_word, tokens[: first.q1]))
        tail = sum(map(_is_word, tokens[last.q2 :]))
        start = first.s1 - head if head <= 3 else first.s1
        stop = last.s2 + tail if tail <= 3 else last.s2
        start, stop = max(w_start, start), min(w_stop, stop)
        # a word split by a line-break hyphen ("re- turned") counts as one at the edges
        while stop + 1 < w_stop and source.tokens[stop] == "-" and tail:
            stop += 2
        while start - 2 >= w_start and source.tokens[start - 1] == "-" and head:
            start -= 2
        alignment = _script(fragment, source, start, stop)
        key = (alignment.matched_content, alignment.matched, -(stop - start))
        if best is None or key > best[0]:
            best = (key, alignment)
        if alignment.matched == words and stop - start == n:
            break  # a complete match of the same length: no other window can do better
        rival = windows[number + 1][2] if number + 1 < len(windows) else 0
        if alignment.matched >= 0.7 * words and rival < 0.6 * votes:
            break  # a near-complete match, and no other passage is voted for nearly as much
    return None if best is None else best[1]


def _resembles(alignment: _Alignment) -> bool:
    """Whether an alignment is the quote's passage at all, rather than what unrelated text gets
    by chance: most of the quote's content words (and words overall) must be matched. Numbers,
    negations and hedges do not count here: they are what a drifted quote changes."""
    tokens = alignment.fragment.tokens
    core = [token for token in tokens if _is_core(token)]
    words = sum(1 for token in tokens if _is_word(token))
    matched_core = alignment.matched_core
    if len(core) <= 2:
        return matched_core == len(core) and alignment.matched >= 0.5 * words
    return matched_core >= 0.5 * len(core) and alignment.matched >= 0.5 * words


@functools.lru_cache(maxsize=1 << 16)
def _is_core(token: str) -> bool:
    return (
        _is_content(token)
        and not _is_number_token(token)
        and not is_negation(token)
        and token not in HEDGE_WORDS
    )


def _unmatched_edge_runs(alignment: _Alignment) -> tuple[int, int]:
    """How many fragment tokens before the first and after the last equal block are unmatched."""
    equal = [block for block in alignment.blocks if block.equal]
    if not equal:
        return len(alignment.fragment.tokens), 0
    return equal[0].q1, len(alignment.fragment.tokens) - equal[-1].q2


def _locate(
    fragment: _Fragment, source: NormalizedText, lo: int
) -> tuple[list[_Alignment], bool, float]:
    """Locate a fragment, preferably at or after canonical offset ``lo``.

    Returns its alignments (none when it is absent, two when it was stitched from separate
    passages), whether it was stitched, and the similarity of the best (possibly rejected)
    candidate passage.
    """
    exact = _find_exact_near(fragment, source, lo) or _find_exact_trimmed(fragment, source, lo)
    if exact is not None:
        return [exact], False, 100.0
    alignment = _fuzzy_alignment(fragment, source)
    if alignment is None:
        return [], False, 0.0
    score = _similarity([alignment], source)
    head, tail = _unmatched_edge_runs(alignment)
    stitched = _split_stitched(alignment, source)
    if stitched is None and (max(head, tail) >= _STITCH_MIN_TOKENS or not _resembles(alignment)):
        stitched = _split_verbatim_stitch(fragment, source)
    if stitched is not None:
        return stitched, True, score
    if not _resembles(alignment):
        return [], False, score
    return [alignment], False, score


def _find_exact_near(fragment: _Fragment, source: NormalizedText, lo: int) -> _Alignment | None:
    """An exact occurrence, looked for first in the ellipsis gap after ``lo``, then after it,
    then before it (an elided fragment found only before its predecessor is out of order)."""
    length = len(source.text)
    hi = min(length, lo + _MAX_ELLIPSIS_GAP) if lo else length
    for start, end in ((lo, hi), (hi, length), (0, lo)):
        if start < end:
            found = _find_exact(fragment, source, start, end)
            if found is not None:
                return found
    return None


def _find_exact_trimmed(fragment: _Fragment, source: NormalizedText, lo: int) -> _Alignment | None:
    """An exact occurrence of the fragment without the punctuation at its edges (a quote's own
    full stop or opening dash), which then shows as a cosmetic difference."""
    tokens = fragment.tokens
    first, last = 0, len(tokens)
    while first < last and not _is_word(tokens[first]) and tokens[first] != _WILD:
        first += 1
    while last > first and not _is_word(tokens[last - 1]) and tokens[last - 1] != _WILD:
        last -= 1
    if (first, last) == (0, len(tokens)) or not any(map(_is_word, tokens[first:last])):
        return None
    found = _find_exact_near(fragment.sub(first, last), source, lo)
    if found is None:
        return None
    shifted = _shift(found, fragment, first)
    blocks = (
        *(_Block(False, q, q + 1, found.start, found.start) for q in range(first)),
        *shifted.blocks,
        *(_Block(False, q, q + 1, found.stop, found.stop) for q in range(last, len(tokens))),
    )
    return attrs.evolve(shifted, blocks=blocks)


def _split_stitched(alignment: _Alignment, source: NormalizedText) -> list[_Alignment] | None:
    """If the quote's unmatched head or tail is a passage found elsewhere in the source, the
    quote was stitched together: return the alignments of both parts."""
    fragment = alignment.fragment
    head, tail = _unmatched_edge_runs(alignment)
    n = len(fragment.tokens)
    middle = fragment.sub(head, n - tail)
    if (
        max(head, tail) < _STITCH_MIN_TOKENS
        or len(middle.tokens) < _STITCH_MIN_TOKENS
        or sum(map(_is_content, middle.tokens)) < 2
        or not _resembles(_script(middle, source, alignment.start, alignment.stop))
    ):
        return None  # no long unmatched edge, or the matched middle is not the passage either
    for run_start, run_stop in ((0, head), (n - tail, n)):
        run = fragment.sub(run_start, run_stop)
        if run_stop - run_start < _STITCH_MIN_TOKENS or sum(map(_is_content, run.tokens)) < 2:
            continue
        rest = fragment.sub(run_stop, n) if run_start == 0 else fragment.sub(0, run_start)
        if not any(_is_content(token) for token in rest.tokens):
            continue
        located_rest = _find_exact(rest, source, 0, len(source.text)) or _fuzzy_alignment(
            rest, source
        )
        located_run = _find_exact(run, source, 0, len(source.text)) or _fuzzy_alignment(run, source)
        if located_rest is None or located_run is None:
            continue
        if not (_resembles(located_rest) and _resembles(located_run)):
            continue
        if run_start == 0:
            adjacent = 0 <= located_rest.start - located_run.stop <= 1
        else:
            adjacent = 0 <= located_run.start - located_rest.stop <= 1
        if adjacent:
            continue
        shifted_run = _shift(located_run, fragment, run_start)
        shifted_rest = _shift(located_rest, fragment, run_stop if run_start == 0 else 0)
        return [shifted_run, shifted_rest] if run_start == 0 else [shifted_rest, shifted_run]
    return None


def _longest_found(fragment: _Fragment, source: NormalizedText, *, prefix: bool) -> int:
    """How many tokens of the fragment's start (or end) occur verbatim somewhere in the source
    (a binary search: if a run occurs, so does every shorter run of its start)."""
    n = len(fragment.tokens)
    low, high = 0, n

    def found(k: int) -> bool:
        part = fragment.sub(0, k) if prefix else fragment.sub(n - k, n)
        if not any(map(_is_word, part.tokens)):
            return True
        return _find_exact(part, source, 0, len(source.text)) is not None

    while low < high:
        middle = (low + high + 1) // 2
        if found(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _split_verbatim_stitch(fragment: _Fragment, source: NormalizedText) -> list[_Alignment] | None:
    """A quote made of two verbatim passages of the source that are not next to each other."""
    if fragment.has_wild:
        return None
    n = len(fragment.tokens)
    head = _longest_found(fragment, source, prefix=True)
    tail = _longest_found(fragment, source, prefix=False)
    if head + tail < n or head < _STITCH_MIN_TOKENS or n - head < _STITCH_MIN_TOKENS:
        return None
    first = _find_exact(fragment.sub(0, head), source, 0, len(source.text))
    second = _find_exact(fragment.sub(head, n), source, 0, len(source.text))
    if first is None or second is None or 0 <= second.start - first.stop <= _OMISSION_GAP:
        return None  # in order and close: words left out (a silent omission), not a stitch
    return [_shift(first, fragment, 0), _shift(second, fragment, head)]


def _shift(alignment: _Alignment, fragment: _Fragment, offset: int) -> _Alignment:
    """Re-express a sub-fragment's alignment in the token positions of the whole fragment."""
    blocks = tuple(
        _Block(block.equal, block.q1 + offset, block.q2 + offset, block.s1, block.s2)
        for block in alignment.blocks
    )
    return attrs.evolve(alignment, fragment=fragment, blocks=blocks)


# --------------------------------------------------------------------------------------------
# Classifying


def _figure_values(text: str) -> list[Decimal]:
    return sorted(figure.value for figure in find_figures(text))


@functools.lru_cache(maxsize=1 << 14)
def _is_number_token(token: str) -> bool:
    return any(char.isdigit() for char in token) or token in NUMBER_WORDS


def _is_month(token: str) -> bool:
    return token in MONTH_WORDS or token.rstrip(".") in MONTH_WORDS


def _hedges(words: Sequence[str], following: str) -> list[str]:
    """The hedges among ``words`` (then ``following``, the token after them): a hedge word
    counts only right before a number ("over 100", not "over the border")."""
    sequence = [*words, following]
    found = []
    for start in range(len(words)):
        for width in (3, 2, 1):
            phrase = " ".join(sequence[start : start + width])
            if (
                start + width < len(sequence)
                and phrase in HEDGE_WORDS
                and _is_number_token(sequence[start + width])
            ):
                found.append(phrase)
                break
    return sorted(found)


_MEANINGFUL = frozenset({DiffKind.NUMBER, DiffKind.DATE, DiffKind.NEGATION, DiffKind.HEDGE})
_HEDGE_SYMBOLS = frozenset("~≈<>≤≥")
_NUMBER_SYMBOLS = frozenset("+±%‰$€£¥₹₽")
_PERCENT_WORDS = frozenset({"percent", "pct", "procent", "prozent", "pourcent"})
_SCALE_WORDS = frozenset(
    "k m bn mn tn b thousand thousands million millions billion billions trillion trillions"
    " mio mia mrd tsd tusind millioner milliard milliarder milliarden tausend millionen"
    " duizend miljoen miljard miljoenen mille milliards".split()
)
_UNIT_LIKE = re.compile(r"[^\W\d_]{1,3}")
_MAX_QUALIFIER_BLOCK = 4  # words: a longer change is rewording, even if it holds a "not"


def _number_words(words: Sequence[str]) -> list[str]:
    """Number words that no figure was read from ("six" alone); "one" is left out: it is as
    often a pronoun ("no one", "someone") as a number."""
    return [w for w in words if w in NUMBER_WORDS and w != "one" and not w[:1].isdigit()]


def _is_exponent(tokens: Sequence[str], index: int, preceding: str) -> bool:
    """Whether the superscript token at ``index`` is an exponent ("10²", "km²") rather than a
    footnote mark ("conflict.¹")."""
    before = tokens[index - 1] if index > 0 else preceding
    return _is_number_token(before) or bool(_UNIT_LIKE.fullmatch(before))


def _side(tokens: Sequence[str], preceding: str) -> tuple[list[str], list[str]]:
    """One side of a difference: its words (exponents kept, footnote marks dropped, "per cent"
    as "%"), and the number and hedge symbols among its punctuation ("%", "$", "~", "<")."""
    words: list[str] = []
    symbols: list[str] = []
    for index, token in enumerate(tokens):
        if token.startswith("^"):
            if _is_exponent(tokens, index, preceding):
                words.append(token)
        elif token in _PERCENT_WORDS or (
            token == "cent" and index > 0 and tokens[index - 1] in ("per", "pour")
        ):
            symbols.append("%")
        elif token in ("per", "pour") and index + 1 < len(tokens) and tokens[index + 1] == "cent":
            continue
        elif token in _HEDGE_SYMBOLS or token in _NUMBER_SYMBOLS:
            symbols.append(token)
        elif _is_word(token) and token != "sic":
            words.append(token)
    return words, sorted(symbols)


def _classify(
    claim_tokens: Sequence[str],
    source_tokens: Sequence[str],
    claim_text: str,
    source_text: str,
    following: str = "",
    preceding: str = "",
) -> DiffKind:
    """What one difference of the edit script amounts to (see the module documentation).

    Numbers are compared by value (with their percent sign, scale and unit), so "100,000" for
    "100 000" is cosmetic and "189" for "198", "10am" for "10pm" or "5%" for "<5%" is not.
    """
    claim_words, claim_symbols = _side(claim_tokens, preceding)
    source_words, source_symbols = _side(source_tokens, preceding)
    claim_figures = find_figures(claim_text) if any(map(_is_number_token, claim_words)) else []
    source_figures = find_figures(source_text) if any(map(_is_number_token, source_words)) else []
    claim_values = sorted((f.value, f.percent) for f in claim_figures)
    source_values = sorted((f.value, f.percent) for f in source_figures)
    numbers_changed = claim_values != source_values or (
        not claim_values
        and not source_values
        and _number_words(claim_words) != _number_words(source_words)
    )

    def plain(words: Sequence[str]) -> tuple[str, str]:
        """The words without numbers, and the units of the number tokens (scale words go: the
        values carry them)."""
        letters = []
        units = []
        for word in words:
            if word.startswith("^"):
                units.append(word)  # an exponent: km² is not km³
            elif word[:1].isdigit():
                unit = _LEADING_NUMBER.sub("", word)  # "10am", "5km", "2.3bn"
                if unit and unit not in _SCALE_WORDS:
                    units.append(unit)
            elif not (_is_number_token(word) or word in _SCALE_WORDS) or any(
                char.isdigit() for char in word
            ):
                letters.append(word.replace("'", ""))  # "G7", "H1N1" are names, not numbers
        return "".join(letters), "".join(units)

    claim_plain, claim_units = plain(claim_words)
    source_plain, source_units = plain(source_words)
    symbols_changed = claim_symbols != source_symbols
    units_changed = claim_units != source_units
    if not (numbers_changed or symbols_changed or units_changed) and claim_plain == source_plain:
        return DiffKind.COSMETIC
    claim_months = sorted(token for token in claim_words if _is_month(token))
    source_months = sorted(token for token in source_words if _is_month(token))
    changed = set(claim_figures).symmetric_difference(source_figures)
    years_changed = (
        bool(changed)
        and numbers_changed
        and all(
            figure.looks_like_year
            for figure in changed
            if (figure.value, figure.percent) not in set(claim_values) & set(source_values)
        )
    )
    if claim_months != source_months or years_changed:
        return DiffKind.DATE
    if numbers_changed or units_changed:
        return DiffKind.NUMBER
    if symbols_changed:
        hedged = [s for s in claim_symbols if s in _HEDGE_SYMBOLS] != [
            s for s in source_symbols if s in _HEDGE_SYMBOLS
        ]
        return DiffKind.HEDGE if hedged else DiffKind.NUMBER
    if max(len(claim_words), len(source_words)) <= _MAX_QUALIFIER_BLOCK:
        if sum(map(is_negation, claim_words)) != sum(map(is_negation, source_words)):
            return DiffKind.NEGATION
        if _hedges(claim_words, following) != _hedges(source_words, following):
            return DiffKind.HEDGE
    if not claim_words:
        return DiffKind.OMISSION
    return DiffKind.WORDING


def _typographic_diffs(
    block: _Block, fragment: _Fragment, quote: str, source: NormalizedText
) -> list[WordDiff]:
    """The cosmetic differences inside an equal block: words that normalise alike but are
    written otherwise (case, quote marks, ligatures, digits of another script)."""
    if block.q2 <= block.q1:
        return []
    claim_span = (fragment.spans[block.q1][0], fragment.spans[block.q2 - 1][1])
    source_span = source.token_span_to_original(block.s1, block.s2)
    claim_text = quote[claim_span[0] : claim_span[1]]
    source_text = source.original[source_span[0] : source_span[1]]
    if claim_text.split() == source_text.split():
        return []
    diffs = []
    for offset in range(block.q2 - block.q1):
        q_span = fragment.spans[block.q1 + offset]
        s_span = source.token_span_to_original(block.s1 + offset, block.s1 + offset + 1)
        claim_word = quote[q_span[0] : q_span[1]]
        source_word = source.original[s_span[0] : s_span[1]]
        if claim_word != source_word:
            diffs.append(WordDiff(DiffKind.COSMETIC, claim_word, source_word, q_span, s_span))
    return diffs


def _diffs(alignment: _Alignment, quote: str, source: NormalizedText) -> list[WordDiff]:
    fragment = alignment.fragment
    diffs: list[WordDiff] = []
    for block in alignment.blocks:
        if block.equal:
            diffs.extend(_typographic_diffs(block, fragment, quote, source))
            continue
        q_tokens = fragment.tokens[block.q1 : block.q2]
        s_tokens = source.tokens[block.s1 : block.s2]
        if block.q2 > block.q1:
            claim_span = (fragment.spans[block.q1][0], fragment.spans[block.q2 - 1][1])
        else:
            point = (
                fragment.spans[block.q1][0]
                if block.q1 < len(fragment.spans)
                else fragment.spans[-1][1]
            )
            claim_span = (point, point)
        source_span = source.token_span_to_original(block.s1, block.s2)
        claim_text = quote[claim_span[0] : claim_span[1]]
        source_text = source.original[source_span[0] : source_span[1]]
        following = source.tokens[block.s2] if block.s2 < len(source.tokens) else ""
        preceding = source.tokens[block.s1 - 1] if block.s1 > 0 else ""
        wild = [q for q in range(block.q1, block.q2) if fragment.tokens[q] == _WILD]
        literal = [token for token in q_tokens if token != _WILD]
        if wild and not literal:
            allowed = sum(fragment.wild_max[q] for q in wild)
            needed = sum(fragment.wild_min[q] for q in wild)
            bracket_words = [w for q in wild for w in fragment.wild_words[q]]
            kind = _classify(
                bracket_words, s_tokens, " ".join(bracket_words), source_text, following, preceding
            )
            if kind not in _MEANINGFUL:
                kind = (
                    DiffKind.EDITORIAL
                    if needed <= len(s_tokens) <= allowed
                    else _classify([], s_tokens, "", source_text, following, preceding)
                )
        else:
            literal = [*literal, *(w for q in wild for w in fragment.wild_words[q])]
            kind = _classify(literal, s_tokens, claim_text, source_text, following, preceding)
        diffs.append(WordDiff(kind, claim_text, source_text, claim_span, source_span))
    return diffs


def _qualifier_before(
    start: int, first: str, source: NormalizedText
) -> tuple[int, DiffKind] | None:
    """Whether the source words just before token ``start`` qualify what follows: a negation
    ("did not | say"), or a hedge word or symbol before a number ("approximately | 500",
    "~ | 500"). Returns where the qualifier starts and its kind."""
    if start > 0 and source.tokens[start - 1] in _HEDGE_SYMBOLS and _is_number_token(first):
        return start - 1, DiffKind.HEDGE
    for width in (3, 2, 1):
        if start - width < 0:
            continue
        before = source.tokens[start - width : start]
        if not all(_is_word(token) for token in before):
            continue
        phrase = " ".join(before)
        if width == 1 and is_negation(phrase):
            return start - 1, DiffKind.NEGATION
        if phrase in HEDGE_WORDS and _is_number_token(first):
            return start - width, DiffKind.HEDGE
    return None


def _qualifier_after(stop: int, last: str, source: NormalizedText) -> int | None:
    """Whether the source token just after ``stop`` completes a number the quote ends with
    ("500 | +", "5 | %"): where it ends, or None."""
    if stop < len(source.tokens) and _is_number_token(last):
        after = source.tokens[stop]
        if after in _NUMBER_SYMBOLS or after in _PERCENT_WORDS:
            return stop + 1
    return None


def _cut_qualifier(
    alignment: _Alignment, last: _Alignment, source: NormalizedText
) -> list[WordDiff]:
    """A quote that starts right after a negation ("did not | say he would resign"), or starts
    with a number right after its hedge ("approximately | 500 Syrians", "~ | 500"), or ends with
    a number right before its sign ("500 | +"), is verbatim yet drops what qualifies it: report
    the qualifier as an omission of that kind."""
    diffs = []
    first_block, last_block = alignment.blocks[0], last.blocks[-1]
    claim_start = alignment.fragment.spans[0][0]
    if first_block.equal and alignment.start < len(source.tokens):
        found = _qualifier_before(alignment.start, source.tokens[alignment.start], source)
        if found is not None:
            where, kind = found
            span = source.token_span_to_original(where, alignment.start)
            words = source.original[span[0] : span[1]]
            diffs.append(WordDiff(kind, "", words, (claim_start, claim_start), span))
    if last_block.equal and last.stop > 0:
        end = _qualifier_after(last.stop, source.tokens[last.stop - 1], source)
        if end is not None:
            span = source.token_span_to_original(last.stop, end)
            claim_end = last.fragment.spans[-1][1]
            words = source.original[span[0] : span[1]]
            diffs.append(WordDiff(DiffKind.NUMBER, "", words, (claim_end, claim_end), span))
    return diffs


def _gap_diffs(before: _Alignment, after: _Alignment, source: NormalizedText) -> list[WordDiff]:
    """What an ellipsis leaves out that changes the meaning: a negation, number or hedge right
    at the cut ("did ... confirm" for "did not confirm"), or anywhere in a short gap."""
    gap = range(before.stop, after.start)
    if not gap:
        return []
    edges = set(gap) if len(gap) <= 3 else {gap[0], gap[-1]}
    diffs = []
    claim_point = after.fragment.spans[0][0]
    for position in sorted(edges):
        token = source.tokens[position]
        if is_negation(token):
            kind = DiffKind.NEGATION
        elif _is_number_token(token) and _is_word(token) and len(gap) <= 2:
            kind = DiffKind.NUMBER  # an ellipsis that leaves out just a number
        elif token in _HEDGE_SYMBOLS or (
            token in HEDGE_WORDS
            and position + 1 < len(source.tokens)
            and _is_number_token(source.tokens[position + 1])
        ):
            kind = DiffKind.HEDGE
        else:
            continue
        span = source.token_span_to_original(position, position + 1)
        words = source.original[span[0] : span[1]]
        diffs.append(WordDiff(kind, "", words, (claim_point, claim_point), span))
    return diffs


_DRIFT_ORDER = (
    (DiffKind.NUMBER, Reason.FIGURE_CHANGED),
    (DiffKind.DATE, Reason.DATE_MISMATCH),
    (DiffKind.NEGATION, Reason.NEGATION),
    (DiffKind.HEDGE, Reason.HEDGE_CHANGED),
    (DiffKind.OMISSION, Reason.SILENT_OMISSION),
    (DiffKind.WORDING, Reason.QUOTE_EDITED),
)


def _describe(diff: WordDiff) -> str:
    if not diff.claim_words:
        return f"the statement leaves out {diff.source_words!r}"
    if not diff.source_words:
        return f"the statement adds {diff.claim_words!r}"
    return f"the source says {diff.source_words!r} where the statement says {diff.claim_words!r}"


# --------------------------------------------------------------------------------------------
# Sources


def _as_text(source: Text | str) -> Text:
    """A string source is taken as it is, so spans are offsets into that very string."""
    return source if isinstance(source, Text) else Text(source, "text/plain")


def _unreadable(text: Text) -> Evidence:
    return Evidence(
        Status.BROKEN,
        Reason.UNREADABLE_SOURCE,
        f"the source has no readable text ({text.unreadable}), so the claim cannot be found in it",
    )


def _region(text: Text, offset: int) -> str | None:
    return region_at(text, offset)


# --------------------------------------------------------------------------------------------
# Public functions


def match_quote(quote: str, source: Text | str) -> Evidence:
    """Check a verbatim quote against a source text.

    ``source`` is an extracted :class:`~claimcheck.Text` or a plain string. Returns the
    :class:`~claimcheck.Evidence`: verified (``exact``, ``normalised``, ``ellipsis``,
    ``editorial-brackets``), drifted (the reason of the most serious material difference), or
    broken (``not-found``, ``unreadable-source``). Raises :class:`~claimcheck.InvalidClaimError`
    for a quote with no words.
    """
    text = _as_text(source)
    parsed = _parse_quote(quote)
    if not text.readable:
        return _unreadable(text)
    normalized = normalize(text.text)
    alignments: list[_Alignment] = []
    stitched = False
    best_rejected = 0.0
    lo = 0
    for fragment in parsed.fragments:
        found, was_stitched, score = _locate(fragment, normalized, lo)
        best_rejected = max(best_rejected, score)
        if not found:
            continue
        stitched = stitched or was_stitched
        if alignments and found[0].start < alignments[-1].stop:
            stitched = True  # elided fragments out of order
        alignments.extend(found)
        last = found[-1].stop - 1
        lo = normalized.token_starts[last] + len(normalized.tokens[last]) if last >= 0 else 0
    if not alignments:
        return Evidence(
            Status.BROKEN,
            Reason.NOT_FOUND,
            "nothing resembling the quote is in the source",
            best_rejected,
        )
    missing = len(parsed.fragments) - len({id(a.fragment) for a in alignments})
    diffs = [diff for alignment in alignments for diff in _diffs(alignment, quote, normalized)]
    diffs[:0] = _cut_qualifier(alignments[0], alignments[-1], normalized)
    if not stitched:
        for before, after in itertools.pairwise(alignments):
            diffs.extend(_gap_diffs(before, after, normalized))
    first_token = min(alignment.start for alignment in alignments)
    last_token = max(alignment.stop for alignment in alignments)
    start, end = normalized.token_span_to_original(first_token, max(first_token, last_token))
    passage = text.text[start:end]
    score = _similarity(alignments, normalized)
    region = _region(text, start)
    material = [diff for diff in diffs if diff.material]
    if missing:
        absent = [f for f in parsed.fragments if all(a.fragment is not f for a in alignments)]
        words = " ".join(token for token in absent[0].tokens if token != _WILD)
        return Evidence(
            Status.DRIFTED,
            Reason.QUOTE_EDITED,
            f"part of the quote is not in the source: {words!r}",
            score,
            passage,
            (start, end),
            region,
            tuple(diffs),
        )
    if stitched:
        parts = " / ".join(
            repr(" ".join(normalized.tokens[a.start : a.stop])[:60]) for a in alignments
        )
        return Evidence(
            Status.DRIFTED,
            Reason.STITCHED_QUOTE,
            f"the quote joins separate passages of the source: {parts}",
            score,
            passage,
            (start, end),
            region,
            tuple(diffs),
        )
    if material:
        for kind, reason in _DRIFT_ORDER:
            first = next((diff for diff in material if diff.kind is kind), None)
            if first is not None:
                value = first.source_words if kind in (DiffKind.NUMBER, DiffKind.DATE) else ""
                return Evidence(
                    Status.DRIFTED,
                    reason,
                    _describe(first),
                    score,
                    passage,
                    (start, end),
                    region,
                    tuple(diffs),
                    value or None,
                )
    body = quote[parsed.body[0] : parsed.body[1]]
    if parsed.elided:
        reason, explanation = (
            Reason.ELLIPSIS,
            "every part of the elided quote is in the source, in order",
        )
    elif any(diff.kind is DiffKind.EDITORIAL for diff in diffs) or parsed.bracketed:
        reason, explanation = (
            Reason.EDITORIAL_BRACKETS,
            "the source has the quote; its bracketed insertions stand for source words",
        )
    elif " ".join(passage.split()) == " ".join(body.split()):
        reason, explanation = Reason.EXACT, "the source has the quote word for word"
    else:
        reason, explanation = (
            Reason.NORMALISED,
            "the source has the quote, up to case, typography and punctuation",
        )
    return Evidence(
        Status.VERIFIED, reason, explanation, score, passage, (start, end), region, tuple(diffs)
    )


def _similarity(alignments: Sequence[_Alignment], source: NormalizedText) -> float:
    """Character similarity (0–100) of the quote's words and the matched source words."""
    if all(alignment.exact for alignment in alignments):
        return 100.0
    fragments = {id(a.fragment): a.fragment for a in alignments}.values()
    claim = " ".join(t for fragment in fragments for t in fragment.tokens if t != _WILD)
    found = " ".join(" ".join(source.tokens[a.start : a.stop]) for a in alignments)
    return round(fuzz.ratio(claim, found), 1)


# --------------------------------------------------------------------------------------------
# Figures and dates


_WORD = re.compile(r"\w+")


def _context_words(text: str, *exclude: tuple[int, int], explicit: bool = False) -> list[str]:
    """The words to look for near a figure or date. Words a user gave as ``context`` are all
    kept; words derived from the claim's text lose function words, numbers, hedges and months."""
    if explicit:
        return [match.group().casefold() for match in _WORD.finditer(text)]
    kept = list(text)
    for start, end in exclude:
        for position in range(max(0, start), min(len(kept), end)):
            kept[position] = " "
    return [
        word
        for word in (match.group().casefold() for match in _WORD.finditer("".join(kept)))
        if word not in STOPWORDS
        and not any(char.isdigit() for char in word)
        and word not in HEDGE_WORDS
        and word not in MONTH_WORDS
    ]


_INFLECTIONS = ("s", "es", "ed", "d", "er", "ers", "'s", "ing", "n", "en", "e", "er", "r")


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


@attrs.frozen
class _Sentence:
    start: int
    end: int
    words: tuple[str, ...]


_PRIMED_ANALYSIS: dict[str, dict[str, Any]] = {}


def analysis_state(text: str) -> dict[str, Any]:
    """The sentence split and word index of ``text``, JSON-ready (for an on-disk cache)."""
    return {
        "sentences": [[sentence.start, sentence.end] for sentence in _sentences(text)[0]],
        "postings": _vocabulary(text)[0],
    }


def prime_analysis(text: str, state: dict[str, Any]) -> None:
    """Make the sentence split and word index of ``text`` come from ``state`` (restored from
    a cache) instead of being computed again."""
    if len(_PRIMED_ANALYSIS) >= 128:
        _PRIMED_ANALYSIS.pop(next(iter(_PRIMED_ANALYSIS)))
    _PRIMED_ANALYSIS[text] = state


@functools.lru_cache(maxsize=128)
def _sentences(text: str) -> tuple[tuple[_Sentence, ...], list[int]]:
    """The text's sentences (split at sentence punctuation and line breaks) and their starts."""
    primed = _PRIMED_ANALYSIS.get(text)
    if primed is not None:  # bounds only: the words are in the primed word index
        restored = tuple(_Sentence(start, end, ()) for start, end in primed["sentences"])
        return restored, [sentence.start for sentence in restored]
    sentences = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.start()
        if match.group() != "\n" and not ends_sentence(text, end, match.end()):
            continue
        words = tuple(_WORD.findall(text[start:end].casefold()))
        if words or text[start:end].strip():
            sentences.append(_Sentence(start, end, words))
        start = match.end()
    if text[start:].strip():
        words = tuple(_WORD.findall(text[start:].casefold()))
        sentences.append(_Sentence(start, len(text), words))
    return tuple(sentences), [sentence.start for sentence in sentences]


_CONTEXT_THRESHOLD = 0.5
_CONTEXT_TIER = 0.75


def _in_context(
    text: str, positions: Sequence[int], context: Sequence[str]
) -> list[tuple[float, int, _Sentence]]:
    """Which of ``positions`` lie near the context words: (score, index, sentence) for each,
    keeping only the best-placed tier (a value far from its context is not evidence).

    The score is the share of context words in the sentence around the position, with words of
    the neighbouring sentences counting half (a figure and its subject are often split across
    two sentences); at least one context word must be in the sentence itself.
    """
    sentences, starts = _sentences(text)
    holding = [_sentences_with(text, word) for word in context]
    found: list[tuple[float, int, _Sentence]] = []
    for index, position in enumerate(positions):
        at = max(0, bisect_right(starts, position) - 1)
        sentence = sentences[at] if sentences else _Sentence(0, len(text), ())
        if not context:
            found.append((1.0, index, sentence))
            continue
        here = sum(1 for where in holding if at in where)
        if here < min(2, len(context)):
            continue
        near = sum(
            1 for where in holding if at not in where and (at - 1 in where or at + 1 in where)
        )
        score = (here + 0.5 * near) / len(context)
        if score >= _CONTEXT_THRESHOLD:
            found.append((score, index, sentence))
    if not found:
        return []
    best = max(score for score, _, _ in found)
    return [item for item in found if item[0] >= _CONTEXT_TIER * best]


@functools.lru_cache(maxsize=4096)
def _sentences_with(text: str, word: str) -> frozenset[int]:
    """The indices of the sentences of ``text`` that hold ``word`` (by :func:`_same_word`)."""
    postings, by_prefix = _vocabulary(text)
    matching = [other for other in by_prefix.get(word[:3], ()) if _same_word(word, other)]
    return frozenset(index for other in matching for index in postings[other])


@functools.lru_cache(maxsize=128)
def _vocabulary(text: str) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    """The words of ``text`` with the sentences that hold each, and the words grouped by their
    first three letters (words that :func:`_same_word` relates always share those)."""
    primed = _PRIMED_ANALYSIS.get(text)
    postings: dict[str, list[int]] = primed["postings"] if primed is not None else {}
    for index, sentence in enumerate(() if primed is not None else _sentences(text)[0]):
        for word in sentence.words:
            where = postings.setdefault(word, [])
            if not where or where[-1] != index:
                where.append(index)
    by_prefix: dict[str, list[str]] = {}
    for word in postings:
        by_prefix.setdefault(word[:3], []).append(word)
    return postings, by_prefix


def _as_decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value).replace(",", "").replace("_", ""))
    except InvalidOperation as error:
        raise InvalidClaimError(f"the figure value {value!r} is not a number") from error


def _near_sentences(text: str, words: Sequence[str]) -> list[int]:
    """The sentences that may hold a value near the context words: those holding as many of
    them as :func:`_in_context` requires (all sentences when there are no context words)."""
    sentences = _sentences(text)[0]
    if not words:
        return list(range(len(sentences)))
    counts: dict[int, int] = {}
    for word in words:
        for index in _sentences_with(text, word):
            counts[index] = counts.get(index, 0) + 1
    needed = min(2, len(words))
    return sorted(index for index, count in counts.items() if count >= needed)


def _figures_near(
    text: str, words: Sequence[str], language: str | None, keep_dates: bool
) -> tuple[Figure, ...]:
    """The figures of the sentences near the context words. Recognising figures only where
    they can matter keeps a claim's cost independent of the source's length."""
    return tuple(
        figure
        for index in _near_sentences(text, words)
        for figure in _sentence_figures(text, index, language, keep_dates)
    )


def _dates_near(
    text: str, words: Sequence[str], reference: dt.date | None, language: str | None
) -> tuple[FoundDate, ...]:
    """The dates of the sentences near the context words."""
    return tuple(
        found
        for index in _near_sentences(text, words)
        for found in _sentence_dates(text, index, reference, language)
    )


@functools.lru_cache(maxsize=8192)
def _sentence_dates(
    text: str, index: int, reference: dt.date | None, language: str | None
) -> tuple[FoundDate, ...]:
    sentence = _sentences(text)[0][index]
    chunk = text[sentence.start : sentence.end]
    return tuple(
        attrs.evolve(found, start=found.start + sentence.start, end=found.end + sentence.start)
        for found in find_dates(chunk, reference=reference, language=language)
    )


@functools.lru_cache(maxsize=8192)
def _sentence_figures(
    text: str, index: int, language: str | None, keep_dates: bool
) -> tuple[Figure, ...]:
    """The figures of one sentence (offsets in ``text``); numbers that are part of a date
    ("15 March 2021") are left out unless the claimed figure itself looks like a year."""
    sentence = _sentences(text)[0][index]
    chunk = text[sentence.start : sentence.end]
    figures = find_figures(chunk, language=language)
    if not keep_dates:
        spans = [(d.start, d.end) for d in find_dates(chunk, language=language)]
        figures = [f for f in figures if not any(a <= f.start < b for a, b in spans)]
    shift = sentence.start
    return tuple(
        attrs.evolve(
            figure,
            start=figure.start + shift,
            end=figure.end + shift,
            hedge_start=None if figure.hedge_start is None else figure.hedge_start + shift,
        )
        for figure in figures
    )


def match_figure(
    claim: str,
    source: Text | str,
    *,
    value: Decimal | int | float | str | None = None,
    context: str | None = None,
    language: str | None = None,
) -> Evidence:
    """Check a figure ("around 189 Syrians") against a source text.

    The figure is verified when the source gives a value within the claim's hedge near the
    context words (``context``, or the claim's own words), drifted when the context is there
    with another value (reported in ``found``), and not found otherwise.
    """
    text = _as_text(source)
    parsed = parse_figure(claim, language=language)
    if value is not None:
        number = _as_decimal(value)
        parsed = (
            attrs.evolve(parsed, value=number) if parsed is not None else Figure(number, 0, 0, "")
        )
    if parsed is None:
        raise InvalidClaimError(f"the figure claim {claim!r} has no number in it")
    if not text.readable:
        return _unreadable(text)
    hedge_span = (
        parsed.hedge_start if parsed.hedge_start is not None else parsed.start,
        parsed.end,
    )
    words = (
        _context_words(context, explicit=True)
        if context is not None
        else _context_words(claim, hedge_span)
    )
    figures = _figures_near(text.text, words, language or text.language, parsed.looks_like_year)
    candidates = [
        (score, figures[index], sentence)
        for score, index, sentence in _in_context(text.text, [f.start for f in figures], words)
    ]
    claimed = _figure_label(parsed)
    near = f"near {' '.join(words)!r}" if words else "anywhere"
    if not candidates:
        return Evidence(Status.BROKEN, Reason.NOT_FOUND, f"the source has no figure {near}")
    agreeing = [c for c in candidates if _figures_agree(parsed, c[1])]
    drops_hedge = False
    if agreeing:
        score, figure, sentence = max(agreeing, key=lambda c: c[0])
        drops_hedge = parsed.hedge_kind is None and figure.hedge_kind is not None
    else:
        non_years = [c for c in candidates if not c[1].looks_like_year] or candidates
        score, figure, sentence = max(
            non_years, key=lambda c: (c[0], -abs(c[1].value - parsed.value))
        )
    found = _figure_label(figure, text.text)
    if agreeing and not drops_hedge:
        status, reason = Status.VERIFIED, Reason.FIGURE_MATCH
        explanation = f"the source gives {found!r} {near}"
    elif drops_hedge or figure.value == parsed.value:
        status, reason = Status.DRIFTED, Reason.HEDGE_CHANGED
        explanation = f"the source says {found!r}, the statement says {claimed!r}"
    else:
        status, reason = Status.DRIFTED, Reason.FIGURE_CHANGED
        explanation = f"the source says {found!r}, the statement says {claimed!r}"
    return _value_evidence(status, reason, explanation, score, text, sentence, figure.start, found)


def _value_evidence(
    status: Status,
    reason: Reason,
    explanation: str,
    score: float,
    text: Text,
    sentence: _Sentence,
    position: int,
    found: str,
) -> Evidence:
    """The evidence for a figure or date: the sentence it was read in is the passage."""
    return Evidence(
        status,
        reason,
        explanation,
        round(100 * min(score, 1.0), 1),
        text.text[sentence.start : sentence.end],
        (sentence.start, sentence.end),
        _region(text, position),
        found=found,
    )


def _figures_agree(claimed: Figure, found: Figure) -> bool:
    """A source figure supports the claim when the claim's hedge admits its value, or when both
    say the same thing the same way ("more than 100,000" for "more than 100,000")."""
    if claimed.percent != found.percent:
        return False  # "5%" is not "5 points"
    if found.hedge_kind is not None and found.hedge_kind is not HedgeKind.APPROXIMATE:
        # The source states a bound ("up to 10 years"): the claim must state the same bound.
        return claimed.hedge_kind is found.hedge_kind and claimed.value == found.value
    same_way = claimed.hedge_kind is not None and claimed.hedge_kind is found.hedge_kind
    if same_way and claimed.value == found.value:
        return True
    if claimed.hedge is not None and claimed.hedge.casefold() in _JUST_UNDER:
        return found.value <= claimed.value and figure_agrees(claimed, found.value)
    return figure_agrees(claimed, found.value)


# Approximations from below: "nearly 180" is not 189.
_JUST_UNDER = frozenset(
    [
        *"nearly almost knap næsten bijna presque beinahe knapp fast".split(),
        "just under",
        "close to",
        "not quite",
    ]
)


def _figure_label(figure: Figure, text: str | None = None) -> str:
    if text is not None and figure.hedge_start is not None:
        return text[figure.hedge_start : figure.end]
    if figure.surface:
        return f"{figure.hedge} {figure.surface}" if figure.hedge else figure.surface
    hedge = f"{figure.hedge} " if figure.hedge else ""
    return f"{hedge}{figure.value}"


def match_date(
    claim: str,
    source: Text | str,
    *,
    value: str | None = None,
    context: str | None = None,
    reference: dt.date | None = None,
    language: str | None = None,
) -> Evidence:
    """Check a date ("October 2017") against a source text.

    Compared at the claim's precision (year, month or day). ``reference`` resolves relative
    expressions in the claim ("this month"); relative dates in the source ("last month") are
    resolved against the source's own publication date when the extraction found one.
    """
    text = _as_text(source)
    parsed = parse_date(claim, reference=reference, language=language)
    claimed: DateValue
    if value is not None:
        try:
            claimed = parse_date_value(str(value))
        except ValueError as error:
            raise InvalidClaimError(str(error)) from error
    elif parsed is not None:
        claimed = parsed.value
    else:
        raise InvalidClaimError(f"the date claim {claim!r} names no date")
    if not text.readable:
        return _unreadable(text)
    qualifier = parsed.qualifier if parsed is not None else None
    exclude = ((parsed.start, parsed.end),) if parsed is not None and context is None else ()
    words = (
        _context_words(context, explicit=True)
        if context is not None
        else _context_words(claim, *exclude)
    )
    found_dates = _dates_near(text.text, words, text.published, language or text.language)
    candidates = [
        (score, found_dates[index], sentence, _compare(claimed, found_dates[index], qualifier))
        for score, index, sentence in _in_context(
            text.text, [found.start for found in found_dates], words
        )
    ]
    if not candidates:
        return Evidence(
            Status.BROKEN,
            Reason.NOT_FOUND,
            f"the source has no date near {' '.join(words) or 'the claim'!r}",
        )
    for agreement in (DateAgreement.AGREE, DateAgreement.DISAGREE, DateAgreement.COARSER):
        matching = [c for c in candidates if c[3] is agreement]
        if not matching:
            continue
        score, found, sentence, _ = max(matching, key=lambda c: c[0])
        label = found.value.human() if found.year_given else f"{found.surface} (no year given)"
        if agreement is DateAgreement.AGREE:
            status, reason = Status.VERIFIED, Reason.DATE_MATCH
            explanation = f"the source dates it {label} ({found.surface!r})"
        elif agreement is DateAgreement.DISAGREE:
            status, reason = Status.DRIFTED, Reason.DATE_MISMATCH
            explanation = (
                f"the source dates it {label} ({found.surface!r}), the statement {claimed.human()}"
            )
        else:
            status, reason = Status.DRIFTED, Reason.DATE_MISMATCH
            explanation = (
                f"the source dates it only {label} ({found.surface!r}), "
                f"not {claimed.human()} as the statement does"
            )
        return _value_evidence(
            status, reason, explanation, score, text, sentence, found.start, label
        )
    raise AssertionError("unreachable")  # pragma: no cover


_PART_OF_PERIOD = frozenset({"early", "mid", "late"})


def _compare(claimed: DateValue, found: FoundDate, qualifier: str | None = None) -> DateAgreement:
    """Compare at the claim's precision; a source date written without its year ("15 March")
    is compared by month and day only, and "early 2017" does not agree with "late 2017"."""
    if not found.year_given and claimed.month is not None:
        found = attrs.evolve(found, value=attrs.evolve(found.value, year=claimed.year))
    agreement = compare_dates(claimed, found.value)
    if (
        agreement is DateAgreement.AGREE
        and qualifier in _PART_OF_PERIOD
        and found.qualifier in _PART_OF_PERIOD
        and qualifier != found.qualifier
    ):
        return DateAgreement.DISAGREE
    return agreement


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_references(text: str) -> str:
    """``text`` with its HTML character references (``&rsquo;``, ``&nbsp;``, ``&#8217;``) read
    as the characters they stand for.

    A claim copied from an HTML statement keeps them (its place in the statement is found in the
    file as written), but it claims the characters, not the markup. Only complete references,
    ending in ``;``, are decoded: "AT&T" and "&copy 2021" stay as written."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda match: html.unescape(match.group()), text)


def match_claim(claim: Claim, source: Text | str, *, context: str | None = None) -> Evidence:
    """Check a :class:`~claimcheck.Claim` against one source text, by its kind.

    ``context`` replaces the claim's context words (for a source in another language)."""
    context = context if context is not None else claim.context
    text = decode_references(claim.text)
    if claim.kind is ClaimKind.QUOTE:
        return match_quote(text, source)
    if claim.kind is ClaimKind.FIGURE:
        return match_figure(text, source, value=claim.value, context=context)
    return match_date(
        text,
        source,
        value=None if claim.value is None else str(claim.value),
        context=context,
        reference=claim.reference_date,
    )
