"""Locating a parsed quote in a normalised source, token by token.

Each fragment is looked for exactly first (whole tokens only: "men" is not found in "women"),
through the token index once the source has one; otherwise seed and extend: rare quote tokens
vote for where the quote starts, and the best few candidate windows are aligned token by token
(rapidfuzz's LCS and Levenshtein edit scripts, in C). An alignment that does not resemble the
quote (most of its content words unmatched) is no location at all. A quote whose unmatched part
is found elsewhere in the source was stitched together from separate passages: both passages are
returned.

A bracket is an editorial insertion unless the source prints it: a fragment with brackets is
first located with every bracket read literally, and a bracket whose words and marks all fall in
matched source text there ("a 45 min[ute] walk", "[1]") is the source's own; the others are then
read as editorial insertions.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

import attrs
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..language import NormalizedText
from ._quote_parse import Fragment, ParsedQuote, read_brackets
from ._tokens import PERCENT_WORDS, WILD, citation_mark_at, is_content, is_core, is_word

__all__ = ["Alignment", "Block", "Located", "locate_quote", "similarity"]

_MAX_ELLIPSIS_GAP = 20_000  # canonical characters between two fragments of an elided quote
_SEED_TOKENS = 6
_SEED_MAX_POSITIONS = 100
_CANDIDATE_WINDOWS = 3
_STITCH_MIN_TOKENS = 4
_OMISSION_GAP = 12  # source tokens a quote may silently skip before it counts as stitched
_SEPARATORS = re.compile(r"[.,']")
_KEPT_EDGES = frozenset((WILD, "[", "]"))  # not trimmed off a fragment's edges


class Block(NamedTuple):
    """One step of a token alignment: ``equal`` or ``diff`` (anything else), with token ranges
    in the fragment (``q1:q2``) and in the source (``s1:s2``). A named tuple rather than an
    attrs class: thousands are made per quote, and tuples are made in C."""

    equal: bool
    q1: int
    q2: int
    s1: int
    s2: int


@attrs.frozen
class Alignment:
    fragment: Fragment
    start: int  # source token range of the passage
    stop: int
    blocks: tuple[Block, ...]
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
                matched = [token for token in tokens if is_word(token)]
            else:
                joined = _joined(source_words)
                matched = [
                    token
                    for token in tokens
                    if is_word(token)
                    and (
                        token in source_words
                        or (len(token) >= 4 and token.replace("'", "") in joined)
                        or (token in PERCENT_WORDS and "%" in source_words)
                    )
                ]
            words += len(matched)
            content += sum(map(is_content, matched))
            core += sum(map(is_core, matched))
        object.__setattr__(self, "matched", words)
        object.__setattr__(self, "matched_content", content)
        object.__setattr__(self, "matched_core", core)


def _digits_joined(tokens: Sequence[str]) -> str:
    """The tokens' words run together without separators: "100 000" and "100,000" alike."""
    return _SEPARATORS.sub("", "".join(t for t in tokens if is_word(t)))


def _joined(tokens: Sequence[str]) -> str:
    joined = "".join(token.replace("'", "") for token in tokens if is_word(token))
    return joined + "%" if "%" in tokens else joined


def _exact_alignment(
    fragment: Fragment,
    source: NormalizedText,
    start: int,
    end: int,
    wild_groups: list[tuple[int, int]],
) -> Alignment:
    """Build the alignment of an exact hit ``source.text[start:end]``.

    ``wild_groups`` are the character spans the inner wildcards matched, in order.
    """
    tokens = fragment.tokens
    first, last = _literal_bounds(tokens)
    s_start = source.token_at(start)
    s_stop = source.token_at(end - 1) + 1
    blocks: list[Block] = [Block(False, q, q + 1, s_start, s_start) for q in range(first)]
    cursor_q, cursor_s = first, s_start
    groups = iter(wild_groups)
    for q in range(first, last):
        if tokens[q] != WILD:
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
            blocks.append(Block(True, cursor_q, q, cursor_s, g1))
        blocks.append(Block(False, q, q + 1, g1, g2))
        cursor_q, cursor_s = q + 1, g2
    if last > cursor_q:
        blocks.append(Block(True, cursor_q, last, cursor_s, s_stop))
    blocks.extend(Block(False, q, q + 1, s_stop, s_stop) for q in range(last, len(tokens)))
    return Alignment(fragment, s_start, s_stop, tuple(blocks), True, source.tokens)


def _literal_bounds(tokens: Sequence[str]) -> tuple[int, int]:
    """The range of ``tokens`` from the first to the last literal (non-wildcard) token."""
    first = 0
    while tokens[first] == WILD:
        first += 1
    last = len(tokens)
    while tokens[last - 1] == WILD:
        last -= 1
    return first, last


def _trim_wild(tokens: Sequence[str]) -> Sequence[str]:
    first, last = _literal_bounds(tokens)
    return tokens[first:last]


@functools.lru_cache(maxsize=256)
def _wild_pattern(fragment: Fragment) -> re.Pattern[str]:
    tokens = fragment.tokens
    first, last = _literal_bounds(tokens)
    parts: list[str] = []
    literal: list[str] = []
    for q in range(first, last):
        if tokens[q] == WILD:
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


def _find_exact(fragment: Fragment, source: NormalizedText, lo: int, hi: int) -> Alignment | None:
    """The first whole-token exact occurrence of ``fragment`` in ``source.text[lo:hi]``."""
    text = source.text
    literal = [token for token in fragment.tokens if token != WILD]
    if WILD not in _trim_wild(fragment.tokens):
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
    fragment: Fragment, literal: list[str], needle: str, source: NormalizedText, lo: int, hi: int
) -> Alignment | None:
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


def _seed_tokens(tokens: Sequence[str]) -> list[str]:
    """The tokens that vote for where a quote is: its content words, or all its words when it
    has fewer than two."""
    seeds = [token for token in set(tokens) if is_content(token)]
    return seeds if len(seeds) >= 2 else [token for token in set(tokens) if is_word(token)]


def _candidate_windows(tokens: Sequence[str], source: NormalizedText) -> list[tuple[int, int, int]]:
    """Where in the source a quote may start, as diagonal ranges (source position - quote
    position) voted for by the quote's rarest tokens: (low, high, votes), best voted first."""
    seeds = _seed_tokens(tokens)
    # counted and found without the token index while a source is asked about once or twice
    # (building it costs more than locating one quote): the same counts and positions
    counts = source.occurrences(seeds)
    present = sorted((counts[token], token) for token in seeds if counts[token])[:_SEED_TOKENS]
    if not present:
        return []
    positions_in_quote: dict[str, list[int]] = {}
    for q, token in enumerate(tokens):
        positions_in_quote.setdefault(token, []).append(q)
    hits: list[tuple[int, str]] = []
    for seeds_used, (count, token) in enumerate(present):
        if count > _SEED_MAX_POSITIONS and seeds_used >= 3:
            break  # common words add noise, not evidence, once rarer seeds have voted
        found = source.positions(token, _SEED_MAX_POSITIONS)
        for q in positions_in_quote[token]:
            hits.extend((p - q, token) for p in found)
    hits.sort()
    width = max(6, len(tokens) // 3)
    # Votes for a window: the seed hits whose diagonal lies within ``width`` of its start, as
    # how many distinct quote tokens hit there, then how many hits: a passage where one word
    # recurs ("an online business … a viable online business") must not outvote the one where
    # every rare word of the quote stands (a quote that leaves words out shifts its diagonal
    # part-way, and repeats nothing).
    scored: list[tuple[int, int, int, int]] = []
    inside: Counter[str] = Counter()
    end = 0
    for start, (diagonal, _token) in enumerate(hits):
        while end < len(hits) and hits[end][0] <= diagonal + width:
            inside[hits[end][1]] += 1
            end += 1
        if start == 0 or diagonal != hits[start - 1][0]:
            scored.append((len(inside), end - start, diagonal, hits[end - 1][0]))
        left = hits[start][1]
        inside[left] -= 1
        if not inside[left]:
            del inside[left]
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    windows: list[tuple[int, int, int]] = []
    best = scored[0][1]
    for _distinct, votes, low, high in scored:
        if votes < max(1, best // 3):
            continue
        if any(low <= h + len(tokens) and high >= lo - len(tokens) for lo, h, _ in windows):
            continue  # the same passage as a better-voted window
        windows.append((low, high, votes))
        if len(windows) == _CANDIDATE_WINDOWS:
            break
    return windows


def _equal_blocks(tokens: Sequence[str], window: Sequence[str], offset: int) -> list[Block]:
    return [
        Block(True, op.src_start, op.src_end, offset + op.dest_start, offset + op.dest_end)
        for op in Indel.opcodes(tokens, window)
        if op.tag == "equal"
    ]


def _past_citation_marks(source: Sequence[str], start: int, stop: int) -> int:
    """``stop`` moved on by the length of the citation marks in ``start:stop`` (a quote leaves
    them out, so its passage is that much longer), at most to the source's end."""
    if "[" not in source[start:stop]:
        return min(len(source), stop)
    index = start
    while index < min(len(source), stop):
        skip = citation_mark_at(source, index)
        stop += skip
        index += skip or 1
    return min(len(source), stop)


def _source_gap(source: Sequence[str], start: int, stop: int) -> int:
    """How many source tokens lie in ``start:stop``, citation marks ("[1]") not counted: a quote
    leaves them out without skipping anything said."""
    count, index = 0, start
    while index < stop:
        skip = citation_mark_at(source, index)
        count += 0 if skip else 1
        index += skip or 1
    return count


def _trim_weak_edges(
    blocks: list[Block], tokens: Sequence[str], source: Sequence[str]
) -> list[Block]:
    """Drop equal blocks at either edge that are weak (short or only function words) and
    detached from the rest (reached only by skipping source or quote tokens): LCS happily
    aligns a stray "the" or comma from the padding of the window."""

    def weak(block: Block) -> bool:
        words = tokens[block.q1 : block.q2]
        return block.q2 - block.q1 <= 2 or not any(is_content(token) for token in words)

    def detached(block: Block, gap_q: int, gap_s: int) -> bool:
        size = block.q2 - block.q1
        return gap_s - gap_q > size + 1 or gap_q > size + 1

    while len(blocks) > 1:
        first, second = blocks[0], blocks[1]
        gap = _source_gap(source, first.s2, second.s1)
        if weak(first) and detached(first, second.q1 - first.q2, gap):
            blocks = blocks[1:]
            continue
        last, before = blocks[-1], blocks[-2]
        gap = _source_gap(source, before.s2, last.s1)
        if weak(last) and detached(last, last.q1 - before.q2, gap):
            blocks = blocks[:-1]
            continue
        break
    return blocks


def _script(fragment: Fragment, source: NormalizedText, start: int, stop: int) -> Alignment:
    """The Levenshtein edit script of the whole fragment against ``source.tokens[start:stop]``,
    with adjacent differences merged into one block."""
    window = source.tokens[start:stop]
    blocks: list[Block] = []
    for op in Levenshtein.opcodes(list(fragment.tokens), window):
        block = Block(
            op.tag == "equal", op.src_start, op.src_end, start + op.dest_start, start + op.dest_end
        )
        if blocks and not block.equal and not blocks[-1].equal:
            previous = blocks.pop()
            block = Block(False, previous.q1, block.q2, previous.s1, block.s2)
        blocks.append(block)
    return Alignment(fragment, start, stop, tuple(blocks), False, source.tokens)


def _fuzzy_alignment(
    fragment: Fragment, source: NormalizedText, slack: int = 0
) -> Alignment | None:
    """Seed and extend: the best token alignment of ``fragment`` in ``source``, or None when no
    quote token occurs in the source at all. ``slack``: source tokens beyond the quote's length
    a window may run to (room for words the quote leaves out)."""
    tokens = fragment.tokens
    n = len(tokens)
    words = sum(map(is_word, tokens))
    pad = max(3, n // 4)
    best: tuple[tuple[int, int, int], Alignment] | None = None
    windows = _candidate_windows(tokens, source)
    for number, (low, high, votes) in enumerate(windows):
        w_start = max(0, low - pad)
        w_stop = _past_citation_marks(source.tokens, w_start, high + n + pad + slack)
        blocks = _trim_weak_edges(
            _equal_blocks(tokens, source.tokens[w_start:w_stop], w_start), tokens, source.tokens
        )
        if not blocks:
            continue
        first, last = blocks[0], blocks[-1]
        # A few unmatched quote tokens at an edge are taken to replace the source's tokens
        # there; a longer run is words the quote adds (or a stitched-on passage).
        head = sum(map(is_word, tokens[: first.q1]))
        tail = sum(map(is_word, tokens[last.q2 :]))
        start = first.s1 - head if head <= 3 else first.s1
        stop = last.s2 + tail if tail <= 3 else last.s2
        start, stop = max(w_start, start), min(w_stop, stop)
        # a word split by a line-break hyphen ("re- turned") counts as one at the edges
        while stop + 1 < w_stop and source.tokens[stop] == "-" and tail:
            stop += 2
        while start - 2 >= w_start and source.tokens[start - 1] == "-" and head:
            start -= 2
        alignment = _reach_edge_words(_script(fragment, source, start, stop), source)
        start, stop = alignment.start, alignment.stop
        key = (alignment.matched_content, alignment.matched, -(stop - start))
        if best is None or key > best[0]:
            best = (key, alignment)
        if alignment.matched == words and stop - start == n:
            break  # a complete match of the same length: no other window can do better
        rival = windows[number + 1][2] if number + 1 < len(windows) else 0
        if alignment.matched >= 0.7 * words and rival < 0.6 * votes:
            break  # a near-complete match, and no other passage is voted for nearly as much
    return None if best is None else best[1]


def _reach_edge_words(alignment: Alignment, source: NormalizedText) -> Alignment:
    """The alignment with its passage run on to the quote's first or last word where the quote
    silently leaves out words next to it ("back to danger" for "back to a place of danger").

    The window gives the passage the quote's length, and a lone edge word cut off from the rest
    by the words left out is dropped as stray (see ``_trim_weak_edges``): the edge word then
    reads as put in place of the source's next word. So when an edge of the edit script is a
    substitution holding the quote's edge word, each occurrence of that word a few source tokens
    beyond the passage is tried as the passage's edge. A run-on passage is kept only if its
    script matches every word of that substitution (one matching just the edge word of a longer
    run is a passage found elsewhere: a stitch, see ``_split_stitched``); of those, the one
    matching most words, on a tie the shorter. A few tokens: no more than the quote has words (a
    short quote's word recurring further off is chance) and than ``_OMISSION_GAP`` (further off,
    words left out make a stitched quote). A run-on passage skips source words, so it is never
    the quote verbatim: a drifted quote stays drifted.
    """
    tokens = alignment.fragment.tokens
    words = [q for q, token in enumerate(tokens) if is_word(token)]
    if alignment.exact or not words or not alignment.blocks:
        return alignment
    reach = min(_OMISSION_GAP, len(words))
    best = alignment
    block = alignment.blocks[-1]
    if _substitutes(block, words[-1]):
        after = len(tokens) - 1 - words[-1]  # the quote's marks after its last word
        for p in range(alignment.stop, min(len(source.tokens), alignment.stop + reach)):
            if source.tokens[p] == tokens[words[-1]]:
                end = min(len(source.tokens), p + 1 + after)
                run_on = _script(alignment.fragment, source, alignment.start, end)
                best = _more_matched(best, run_on, block)
    start, block = best.start, best.blocks[0]
    if _substitutes(block, words[0]):
        for p in range(start - 1, max(-1, start - 1 - reach), -1):
            if source.tokens[p] == tokens[words[0]]:
                run_on = _script(alignment.fragment, source, max(0, p - words[0]), best.stop)
                best = _more_matched(best, run_on, block)
    return best


def _substitutes(block: Block, edge: int) -> bool:
    """Whether ``block`` puts quote tokens, the quote's edge word ``edge`` among them, in place
    of source tokens."""
    return not block.equal and block.q1 <= edge < block.q2 and block.s2 > block.s1


def _more_matched(kept: Alignment, run_on: Alignment, edge: Block) -> Alignment:
    """``run_on`` if it matches every quote word of the substitution ``edge`` and more of the
    quote's words than ``kept`` (or as many in a shorter passage); else ``kept``."""
    equal = [range(block.q1, block.q2) for block in run_on.blocks if block.equal]
    tokens = run_on.fragment.tokens
    if not all(
        any(q in matched for matched in equal)
        for q in range(edge.q1, edge.q2)
        if is_word(tokens[q])
    ):
        return kept
    if (run_on.matched, kept.stop - kept.start) > (kept.matched, run_on.stop - run_on.start):
        return run_on
    return kept


def _resembles(alignment: Alignment) -> bool:
    """Whether an alignment is the quote's passage at all, rather than what unrelated text gets
    by chance: most of the quote's content words (and words overall) must be matched. Numbers,
    negations and hedges do not count here: they are what a drifted quote changes."""
    tokens = alignment.fragment.tokens
    core = [token for token in tokens if is_core(token)]
    words = sum(1 for token in tokens if is_word(token))
    matched_core = alignment.matched_core
    if len(core) <= 2:
        return matched_core == len(core) and alignment.matched >= 0.5 * words
    return matched_core >= 0.5 * len(core) and alignment.matched >= 0.5 * words


def _unmatched_edge_runs(alignment: Alignment) -> tuple[int, int]:
    """How many fragment tokens before the first and after the last equal block are unmatched."""
    equal = [block for block in alignment.blocks if block.equal]
    if not equal:
        return len(alignment.fragment.tokens), 0
    return equal[0].q1, len(alignment.fragment.tokens) - equal[-1].q2


def _locate_fragment(
    fragment: Fragment, source: NormalizedText, lo: int
) -> tuple[list[Alignment], bool, float]:
    """Locate a fragment, preferably at or after canonical offset ``lo``.

    Returns its alignments (none when it is absent, two when it was stitched from separate
    passages), whether it was stitched, and the similarity of the best (possibly rejected)
    candidate passage.
    """
    exact = (
        _find_exact_near(fragment, source, lo)
        or _find_exact_trimmed(fragment, source, lo)
        or _find_exact_uncited(fragment, source)
    )
    if exact is not None:
        return [exact], False, 100.0
    alignment = _fuzzy_alignment(fragment, source)
    if alignment is None:
        return [], False, 0.0
    score = similarity([alignment], source)
    head, tail = _unmatched_edge_runs(alignment)
    stitched = _split_stitched(alignment, source)
    if stitched is None and (max(head, tail) >= _STITCH_MIN_TOKENS or not _resembles(alignment)):
        stitched = _split_verbatim_stitch(fragment, source)
    if stitched is not None:
        return stitched, True, score
    if not _resembles(alignment):
        # A quote that silently leaves many words out spans a longer passage than the window
        # gives it: looked for once more with room for them, before it is called absent.
        wider = _fuzzy_alignment(fragment, source, slack=len(fragment.tokens))
        if wider is not None and _resembles(wider):
            return [wider], False, similarity([wider], source)
        return [], False, score
    return [alignment], False, score


def _find_exact_near(fragment: Fragment, source: NormalizedText, lo: int) -> Alignment | None:
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


def _find_exact_trimmed(fragment: Fragment, source: NormalizedText, lo: int) -> Alignment | None:
    """An exact occurrence of the fragment without the punctuation at its edges (a quote's own
    full stop or opening dash), which then shows as a cosmetic difference. Bracket marks stay:
    read literally, they are the source's own text."""
    tokens = fragment.tokens
    first, last = 0, len(tokens)
    while first < last and not is_word(tokens[first]) and tokens[first] not in _KEPT_EDGES:
        first += 1
    while last > first and not is_word(tokens[last - 1]) and tokens[last - 1] not in _KEPT_EDGES:
        last -= 1
    if (first, last) == (0, len(tokens)) or not any(map(is_word, tokens[first:last])):
        return None
    found = _find_exact_near(fragment.sub(first, last), source, lo)
    if found is None:
        return None
    shifted = _shift(found, fragment, first)
    blocks = (
        *(Block(False, q, q + 1, found.start, found.start) for q in range(first)),
        *shifted.blocks,
        *(Block(False, q, q + 1, found.stop, found.stop) for q in range(last, len(tokens))),
    )
    return attrs.evolve(shifted, blocks=blocks)


@functools.lru_cache(maxsize=8)
def _uncited(source: NormalizedText) -> tuple[str, list[int], list[tuple[int, int]]] | None:
    """The source's canonical text without its citation marks ("[1]", "[citation needed]"),
    None when it has none: the text, and the runs of source tokens it is made of (first, stop),
    with where each run starts in it.

    Marks are looked for only where the text has a "[" (always a token of its own), not token
    by token: a source is mostly words (issue 17: one quote on a fresh source)."""
    tokens, text, starts = source.tokens, source.text, source.token_starts
    runs: list[tuple[int, int]] = []
    first = 0
    at = text.find("[")
    while at >= 0:
        index = bisect_right(starts, at) - 1
        skip = citation_mark_at(tokens, index) if index >= first else 0  # not inside a mark
        if skip:
            if index > first:
                runs.append((first, index))
            first = index + skip
        at = text.find("[", at + 1)
    if first == 0:
        return None
    if first < len(tokens):
        runs.append((first, len(tokens)))
    pieces = [text[starts[a] : starts[b - 1] + len(tokens[b - 1])] for a, b in runs]
    offsets = list(accumulate((len(piece) + 1 for piece in pieces[:-1]), initial=0))
    return " ".join(pieces), offsets, runs


def _uncited_positions(
    source: NormalizedText, offsets: list[int], runs: list[tuple[int, int]], at: int, count: int
) -> list[int]:
    """The source positions of ``count`` tokens of the text without citation marks, from the
    one at ``at`` in that text on."""
    run = bisect_right(offsets, at) - 1
    first, stop = runs[run]
    position = bisect_right(source.token_starts, source.token_starts[first] + at - offsets[run]) - 1
    mapped: list[int] = []
    while len(mapped) < count and run < len(runs):
        mapped.extend(range(position, min(stop, position + count - len(mapped))))
        run += 1
        if run < len(runs):
            position, stop = runs[run]
    return mapped


def _find_exact_uncited(fragment: Fragment, source: NormalizedText) -> Alignment | None:
    """An exact occurrence of a fragment that leaves out the source's citation marks ("long.[3]
    It floods" quoted as "long. It floods"); each mark left out is a difference of its own (a
    cosmetic one, see ``_classify``)."""
    if WILD in fragment.tokens or "[" not in source.text:
        return None
    uncited = _uncited(source)
    if uncited is None:
        return None
    text, offsets, runs = uncited
    needle = " ".join(fragment.tokens)
    at = text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or text[at - 1] == " ") and (end == len(text) or text[end] == " "):
            break
        at = text.find(needle, at + 1)
    if at < 0:
        return None
    mapped = _uncited_positions(source, offsets, runs, at, len(fragment.tokens))
    blocks: list[Block] = []
    run = 0
    for q in range(1, len(mapped) + 1):
        if q == len(mapped) or mapped[q] != mapped[q - 1] + 1:
            blocks.append(Block(True, run, q, mapped[run], mapped[q - 1] + 1))
            if q < len(mapped):
                blocks.append(Block(False, q, q, mapped[q - 1] + 1, mapped[q]))
            run = q
    return Alignment(fragment, mapped[0], mapped[-1] + 1, tuple(blocks), False, source.tokens)


def _may_be_stitched(alignment: Alignment, source: NormalizedText) -> bool:
    """Whether an alignment has a long unmatched edge and its matched middle is the passage:
    only then are its edges looked for elsewhere (see :func:`_split_stitched`)."""
    head, tail = _unmatched_edge_runs(alignment)
    middle = alignment.fragment.sub(head, len(alignment.fragment.tokens) - tail)
    return not (
        max(head, tail) < _STITCH_MIN_TOKENS
        or len(middle.tokens) < _STITCH_MIN_TOKENS
        or sum(map(is_content, middle.tokens)) < 2
        or not _resembles(_script(middle, source, alignment.start, alignment.stop))
    )


def _split_stitched(alignment: Alignment, source: NormalizedText) -> list[Alignment] | None:
    """If the quote's unmatched head or tail is a passage found elsewhere in the source, the
    quote was stitched together: return the alignments of both parts."""
    fragment = alignment.fragment
    head, tail = _unmatched_edge_runs(alignment)
    n = len(fragment.tokens)
    if not _may_be_stitched(alignment, source):
        return None
    for run_start, run_stop in ((0, head), (n - tail, n)):
        run = fragment.sub(run_start, run_stop)
        if run_stop - run_start < _STITCH_MIN_TOKENS or sum(map(is_content, run.tokens)) < 2:
            continue
        rest = fragment.sub(run_stop, n) if run_start == 0 else fragment.sub(0, run_start)
        if not any(is_content(token) for token in rest.tokens):
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


def _part_found(fragment: Fragment, source: NormalizedText, k: int, *, prefix: bool) -> bool:
    """Whether the fragment's first (or last) ``k`` tokens occur verbatim in the source (without
    words, they count as found)."""
    n = len(fragment.tokens)
    part = fragment.sub(0, k) if prefix else fragment.sub(n - k, n)
    if not any(map(is_word, part.tokens)):
        return True
    return _find_exact(part, source, 0, len(source.text)) is not None


def _longest_found(
    fragment: Fragment, source: NormalizedText, *, prefix: bool, low: int = 0
) -> int:
    """How many tokens of the fragment's start (or end) occur verbatim somewhere in the source
    (a binary search: if a run occurs, so does every shorter run of its start), ``low`` of them
    known to."""
    high = len(fragment.tokens)
    while low < high:
        middle = (low + high + 1) // 2
        if _part_found(fragment, source, middle, prefix=prefix):
            low = middle
        else:
            high = middle - 1
    return low


def _split_verbatim_stitch(fragment: Fragment, source: NormalizedText) -> list[Alignment] | None:
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


def _shift(alignment: Alignment, fragment: Fragment, offset: int) -> Alignment:
    """Re-express a sub-fragment's alignment in the token positions of the whole fragment."""
    blocks = tuple(
        Block(block.equal, block.q1 + offset, block.q2 + offset, block.s1, block.s2)
        for block in alignment.blocks
    )
    return attrs.evolve(alignment, fragment=fragment, blocks=blocks)


@attrs.frozen
class Located:
    """Where a parsed quote is in a source: the alignments of its fragments in source order
    (none when nothing resembling the quote is there; two for a fragment stitched from separate
    passages), whether the quote was stitched (or its elided fragments are out of order), and the
    similarity of the best candidate passage, even a rejected one."""

    quote: ParsedQuote
    alignments: tuple[Alignment, ...]
    stitched: bool
    best_score: float

    @property
    def missing(self) -> tuple[Fragment, ...]:
        """The fragments found nowhere in the source."""
        return tuple(
            fragment
            for fragment in self.quote.fragments
            if all(alignment.fragment is not fragment for alignment in self.alignments)
        )

    def span(self, source: NormalizedText) -> tuple[int, int]:
        """The span of ``source.original`` from the first to the last located token."""
        first = min(alignment.start for alignment in self.alignments)
        last = max(alignment.stop for alignment in self.alignments)
        return source.token_span_to_original(first, max(first, last))


def _own_brackets(fragment: Fragment, found: Sequence[Alignment]) -> frozenset[tuple[int, int]]:
    """The brackets of a literally read fragment that are the source's own: the source prints
    the bracket marks there (each ``[`` and ``]`` lies in an equal block of an alignment). Their
    words are then compared like any other ("[by 0.6%]" for "[by 0.7%]" is a changed figure)."""
    equal = [block for alignment in found for block in alignment.blocks if block.equal]
    own = set()
    for bracket in fragment.brackets:
        marks = [q for q in fragment.bracket_tokens(bracket) if fragment.tokens[q] in "[]"]
        if marks and all(any(b.q1 <= q < b.q2 for b in equal) for q in marks):
            own.add(bracket)
    return frozenset(own)


def _locate_reading(
    raw: str, fragment: Fragment, source: NormalizedText, lo: int
) -> tuple[Fragment, tuple[list[Alignment], bool, float]]:
    """Locate a fragment, its brackets read as the source's own text where the source has them
    at that place, as editorial insertions elsewhere. Returns the reading used and its
    location (see :func:`_locate_fragment`)."""
    if not fragment.brackets or "[" not in source.text:  # a source without brackets: editorial
        return fragment, _locate_fragment(fragment, source, lo)
    every = frozenset(fragment.brackets)
    literal = fragment if fragment.literal == every else read_brackets(raw, fragment, every)
    result = _locate_fragment(literal, source, lo)
    own = _own_brackets(literal, result[0])
    if own == literal.literal:
        return literal, result
    reading = read_brackets(raw, fragment, own) if own != fragment.literal else fragment
    if not any(map(is_word, reading.tokens)):
        return literal, result  # the brackets are all its words: read as the source's own
    return reading, _locate_fragment(reading, source, lo)


def locate_quote(quote: ParsedQuote, source: NormalizedText) -> Located:
    """Locate every fragment of ``quote`` in ``source``, each looked for first after the previous
    one (the order an ellipsis promises). The located quote holds the readings of its fragments
    that were used (brackets read as the source's own text or as editorial insertions)."""
    alignments: list[Alignment] = []
    readings: list[Fragment] = []
    stitched = False
    best_score = 0.0
    lo = 0
    for fragment in quote.fragments:
        reading, (found, was_stitched, score) = _locate_reading(quote.raw, fragment, source, lo)
        readings.append(reading)
        best_score = max(best_score, score)
        if not found:
            continue
        stitched = stitched or was_stitched
        if alignments and found[0].start < alignments[-1].stop:
            stitched = True  # elided fragments out of order
        alignments.extend(found)
        last = found[-1].stop - 1
        lo = source.token_starts[last] + len(source.tokens[last]) if last >= 0 else 0
    if any(r is not f for r, f in zip(readings, quote.fragments, strict=True)):
        bracketed = any(reading.editorial for reading in readings)
        quote = attrs.evolve(quote, fragments=tuple(readings), bracketed=bracketed)
    return Located(quote, tuple(alignments), stitched, best_score)


def similarity(alignments: Sequence[Alignment], source: NormalizedText) -> float:
    """Character similarity (0–100) of the quote's words and the matched source words."""
    if all(alignment.exact for alignment in alignments):
        return 100.0
    fragments = {id(a.fragment): a.fragment for a in alignments}.values()
    claim = " ".join(t for fragment in fragments for t in fragment.tokens if t != WILD)
    found = " ".join(" ".join(source.tokens[a.start : a.stop]) for a in alignments)
    return round(fuzz.ratio(claim, found), 1)
