"""An edited or absent quote located in windows of the source: the one-quote fuzzy path.

A quote that is not in its source verbatim is located by seed and extend (``_locate``): the
quote's rarest content words (its *seeds*) vote for where it starts, and the best-voted places
are aligned token by token. Normalising the whole source for that costs about 140 ms per MB, where
one whole-text ``partial_ratio_alignment`` costs a few. So a source checked for one quote has only
*windows* of it normalised, around every place its rarer seeds can come from, joined into a small
stand-in text (a separator token apart); the quote is located and classified in the stand-in, and
the evidence is moved back to the source's offsets. It is exactly the whole-text path's evidence:

1. *Every place of a covered seed is in a window.* A canonical token with the ASCII letters or
   digits ``p`` in it (its longest such run) comes from those characters in the raw text, in any
   case and with no ASCII letter or digit next to them but a letter a combining mark follows
   (the two compose: a decomposed ``cafe\u0301`` is the canonical ``café``, ``p`` being
   ``caf``), or from a character that folds unsafely (``_quick``): the raw bytes are searched
   for ``p`` and the unsafe characters' runs normalised (``_quick.RawSource``). A seed is
   *covered* when all its places are looked at. A ``p`` of one or two letters (or one found
   within words too often to look at each) standing alone is found between spaces in a copy of
   the bytes with every byte but the ASCII letters and digits a space (``RawSource.isolated``:
   the same places, found without looking at its occurrences within words), and before a
   letter a combining mark follows among those letters' places (``RawSource.composing``). A
   place's run of non-whitespace, normalised on its own, has the whole text's tokens there
   (2.): a place whose run has no such token is dropped, and the seed's count is those runs'
   count of it (:func:`_exact_counts`).
2. *Windows are the source's canonical tokens there.* A window is cut at ASCII whitespace, where
   normalisation is local, so its tokens are the whole text's tokens, mapped to the same offsets.
   Each window is checked (in the raw text, by a lower bound) to hold ``_reach(n)`` canonical
   tokens on both sides of every covered place in it, five more per citation mark in it, or to
   reach the text's edge: further than anything the whole-text path reads around a seed's place
   (see :func:`_reach`; the quote's length more when it does not resemble its passage and is
   looked for once more in longer windows: the windows are then made that much longer, once,
   and everything is decided again in them).
3. *The stand-in counts like the source.* The seed voting reads each seed's count and its first
   100 places, and uses the six seeds of lowest (count, token). The seeds are looked at longest
   first: in full until six are known, then each only until a lower bound of its count (its
   occurrences that are surely that canonical token) exceeds the sixth lowest known; every seed
   not shown to be commoner than the six is covered (when the exact counts leave fewer than six
   known, or one left out not shown commoner, every seed is looked at in full once more). A
   seed whose letters are too common to look at one by one is bounded by the runs where they
   stand alone, each normalised on its own (:func:`_lower_bound`: the tokens of some runs, so
   never more than its count). A covered seed's places are all in the
   windows: the same count, in the same order. An uncovered seed is counted in the stand-in at
   its lower bound, which (checked against the covered seeds' exact counts) keeps it out of the
   six, as its count does in the source. Any other count or place asked of the stand-in makes
   this path give up.
4. *Distances are kept where they matter.* Places in the stand-in are the source's shifted by
   a constant per window; the voting, the alignments and the classification compare places
   only within ``_reach(n)`` tokens of a seed's place, and places of two windows are at least
   twice that apart in both texts; the windows are in the source's order, so ties (the first
   place wins) fall the same way.
5. *What the whole-text path decides elsewhere is the same.* Nothing is found across the
   separator (no quote has its token). An exact occurrence holds every seed, so it is in a
   window: the first in the stand-in is the source's first (and one that skips citation marks
   is within a window's margin too). The stitched-quote checks: a quote whose alignment has a
   long unmatched edge and a matching middle has that edge and the rest of the quote looked
   for in the whole text, exactly and by seed and extend (``_split_stitched``): when each holds
   a covered seed (:func:`_edges_in_windows`), their exact occurrences are all in windows
   (each within the margin of that seed's place) and the first in both texts is the same, and
   their own seed voting is checked by the stand-in (``_StandIn.occurrences``: an uncovered
   seed counted at its bound must be shown to be none of the part's six voters, or this path
   gives up), else this path gives up; passages found in two windows are as far apart in
   both texts, and the evidence's span runs from one to the other (:func:`_moved`). A quote
   made of two verbatim passages is ruled out through the covered seeds
   (:func:`_no_verbatim_stitch`), or this path gives up. Quotes with brackets or several
   fragments are left to the whole-text path.
6. *Quoted parts.* A quote that puts parts in quotation marks of its own, and is not verified,
   has those parts looked for on their own only when its whole location does not stand
   (``_parts.whole_stands``): that reads nothing of the source but the whole quote's location,
   the same in both texts (1.-5.). When it stands, both paths keep the whole quote's evidence;
   else this path gives up.

Giving up (``None``) means taking the whole-text path, whose evidence is the definition.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from itertools import accumulate
from math import inf
from typing import NoReturn

import attrs

from ..documents import Text, region_at
from ..language import NormalizedText, normalize
from ..model import Evidence, Reason, Status
from ._locate import (
    _SEED_TOKENS,
    _STITCH_MIN_TOKENS,
    Alignment,
    _find_exact_near,
    _find_exact_trimmed,
    _fuzzy_alignment,
    _longest_found,
    _may_be_stitched,
    _part_found,
    _resembles,
    _seed_tokens,
    _unmatched_edge_runs,
    locate_quote,
)
from ._parts import whole_stands
from ._quick import RawSource, _cut_after, _cut_before, _windows, quick_evidence
from ._quote_parse import Fragment, ParsedQuote, quoted_parts
from ._tokens import WILD, is_content

__all__ = ["one_quote_evidence"]

# Raw places of one covered seed and of all together, at least and per character of the
# source: beyond, normalising the windows costs too much of what normalising the whole would.
_PER_SEED = (64, 1 / 50_000)
_PLACES = (192, 1 / 5_000)
_PIECE = re.compile(r"[a-z0-9]+")
_SCANNED = 4096  # occurrences of a seed's letters (within words too) looked at one by one
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
# Between two windows: a token no quote looked for here has (nor is a word), so that nothing
# found in the stand-in runs from one window into the next; line breaks keep it apart.
_SEPARATOR_TOKEN = "\u00b6"
_SEPARATOR = f"\n{_SEPARATOR_TOKEN}\n"
_SMALL = 48_000  # characters: a smaller text is normalised whole (the windows would be most of it)
_SHARE = 0.25  # of the text at most in windows (beyond, normalising them costs nearly as much)
_CHARS = 7  # characters of raw text tried per canonical token needed
# Letters and digits that never vanish in normalisation (ASCII, the Latin-1 letters, Cyrillic
# letters, Hangul syllables, CJK ideographs: each is checked by tests/matching/
# test_one_quote_windows.py); a run is counted from its first one on.
LASTING = (
    "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0400-\u0481\u048a-\u04ff"
    "\u4e00-\u9fff\uac00-\ud7a3"
)
_RUNS = re.compile(f"[{LASTING}][^ \t\n\r]*")
_WHITESPACE = frozenset(" \t\n\r")  # where windows are cut (``_quick._SAFE_CUT``)
_MARK = 5  # tokens of the longest citation mark (``citation_mark_at``)


def _reach(n: int) -> int:
    """Canonical tokens kept on both sides of a covered place for a quote of ``n`` tokens. A
    seed's diagonal lies within ``n`` tokens of its place; a candidate window runs from a
    diagonal less its padding (``n // 4``, at least 3) to a diagonal plus the quote's length and
    its padding (the wider window, looked at for a quote that does not resemble its passage,
    runs ``n`` further: :func:`_more_needed` adds that); an edge word is looked for 12 tokens
    beyond a passage, a passage then runs on by the quote's marks after its last word (fewer
    than ``n``); the classification looks 6 tokens around it (16 kept)."""
    return 2 * n + max(3, n // 4) + 32


class _StandIn(NormalizedText):
    """The joined windows' canonical form, counting seeds as the whole text does (see the module
    documentation, 3.): ``unknown`` is set when anything else is counted or looked for, and
    :class:`_UnknownError` raised (what it would count or find then is not the source's: a seed
    counted at its bound has no places here, and the seed voting cannot run on)."""

    __slots__ = ("_bounds", "_places", "unknown")

    _bounds: dict[str, int]
    _places: dict[str, list[int]]
    unknown: bool

    def occurrences(self, tokens: Collection[str]) -> dict[str, int]:
        counts = {}
        for token in tokens:
            if token in self._bounds:
                counts[token] = self._bounds[token]
            elif token in self._places:
                counts[token] = len(self._places[token])
            else:
                self._give_up()
        # the six of lowest (count, token) vote: a token counted at its bound must be shown
        # to be none of them in the source too (its count there is no lower than its bound)
        exact = sorted((counts[t], t) for t in tokens if t in self._places and counts[t])
        if any(
            len(exact) < _SEED_TOKENS or (self._bounds[t], t) <= exact[_SEED_TOKENS - 1]
            for t in tokens
            if t in self._bounds
        ):
            self._give_up()
        return counts

    def positions(self, token: str, limit: int) -> Sequence[int]:
        if token not in self._places:
            self._give_up()
        return self._places[token][:limit]

    def _give_up(self) -> NoReturn:
        self.unknown = True
        raise _UnknownError


class _UnknownError(Exception):
    """The stand-in was asked what only the whole text tells: this path gives up."""


def _token_positions(stand_in: NormalizedText, token: str) -> list[int]:
    """Where ``token`` is in ``stand_in.tokens``: what ``positions`` gives without a limit,
    found by ``str.find`` (a token is between spaces or the text's ends, and has none)."""
    text, found = stand_in.text, []
    at = text.find(token)
    while at >= 0:
        end = at + len(token)
        if (at == 0 or text[at - 1] == " ") and (end == len(text) or text[end] == " "):
            found.append(bisect_right(stand_in.token_starts, at) - 1)
        at = text.find(token, end)
    return found


@attrs.frozen
class _Window:
    start: int  # in the source
    end: int
    at: int  # where it starts in the stand-in's original


def one_quote_evidence(
    quote: ParsedQuote,
    text: Text,
    evidence_in: Callable[[ParsedQuote, Text, NormalizedText], Evidence],
) -> Evidence | None:
    """The evidence of the first quote asked of ``text``, found without normalising the whole
    text: verbatim (``_quick``) or located in windows (see the module documentation); ``None``
    when neither can tell and the whole-text path must decide."""
    raw = RawSource(text.text)
    found = quick_evidence(quote, text, evidence_in, raw)
    if found is None:
        try:
            found = _windowed_evidence(quote, text, evidence_in, raw)
        except _UnknownError:
            return None
    return found


def _token_places(word: bytes, raw: RawSource, above: float) -> tuple[list[int], int] | None:
    """Where in ``raw.lowered`` ``word`` stands with no ASCII letter or digit on either side (but
    a letter a combining mark follows, after it: :func:`_composes`) (byte offsets), and how
    often it stands between two characters that make it a canonical token of its own (a lower
    bound of its count, see :func:`_lower_bound`). Looking stops once that bound exceeds
    ``above`` (the places are then not all found); ``None`` when ``word`` stands alone over
    ``_SCANNED`` times first, or the text has too many letters a combining mark follows.

    A word of three letters or more is looked at wherever it is (rarely within other words);
    a shorter one, or one within words over ``_SCANNED`` times, where it stands alone:
    :func:`_isolated_places`."""
    if len(word) > 2:
        found = _scanned_places(word, raw.lowered, above)
        if found is not None:
            return found
    return _isolated_places(word, raw, above)


def _scanned_places(word: bytes, lowered: bytes, above: float) -> tuple[list[int], int] | None:
    """:func:`_token_places`, each occurrence of ``word`` looked at; ``None`` when it is there
    (within words too) over ``_SCANNED`` times."""
    places: list[int] = []
    alone = seen = 0
    after_ok = _AFTER_NUMBER if word[-1:].isdigit() else _AFTER
    at = lowered.find(word)
    while at >= 0 and alone <= above:
        seen += 1
        if seen > _SCANNED:
            return None
        end = at + len(word)
        before = lowered[at - 1] if at else 32
        after = lowered[end] if end < len(lowered) else 32
        if before not in _ALNUM and (after not in _ALNUM or _composes(lowered, end + 1)):
            places.append(at)
            alone += before in _BEFORE and after in after_ok
        at = lowered.find(word, at + 1)
    return places, alone


def _isolated_places(word: bytes, raw: RawSource, above: float) -> tuple[list[int], int] | None:
    """:func:`_token_places`, found between spaces in ``raw.isolated`` (every byte but the ASCII
    letters and digits a space there), one ``bytes.find`` per place, and before the letters a
    combining mark follows (``raw.composing``): a short word's many occurrences within words
    are never looked at one by one."""
    lowered, isolated, composing = raw.lowered, raw.isolated, raw.composing
    if composing is None:
        return None
    places: list[int] = []
    alone = 0
    after_ok = _AFTER_NUMBER if word[-1:].isdigit() else _AFTER
    needle = b" " + word + b" "
    size = len(lowered)
    at = 0 if isolated.startswith(needle[1:]) or isolated == word else _after(isolated, needle, 0)
    while at >= 0:
        if len(places) >= _SCANNED:
            return None
        end = at + len(word)
        places.append(at)
        before = lowered[at - 1] if at else 32
        alone += before in _BEFORE and (lowered[end] if end < size else 32) in after_ok
        if alone > above:
            return places, alone
        at = _after(isolated, needle, end - 1)
    if size > len(word) and isolated.endswith(needle[:-1]) and size - len(word) not in places:
        places.append(size - len(word))  # at the text's end, with no space after it
    for end in composing:  # before a letter a combining mark follows
        at = end - len(word)
        if at >= 0 and lowered.startswith(word, at) and (at == 0 or isolated[at - 1] == 32):
            places.append(at)
    return sorted(set(places)), alone


def _after(isolated: bytes, needle: bytes, start: int) -> int:
    """Where the word of ``needle`` (a word between two spaces) is next found from ``start``,
    or -1. A long word is looked for after a space alone (a search for a needle ending in a
    space, the commonest byte, skips ahead slowly), then checked for the space after it."""
    if len(needle) <= 6:
        at = isolated.find(needle, start)
        return at + 1 if at >= 0 else -1
    head = needle[:-1]
    at = isolated.find(head, start)
    while at >= 0 and at + len(head) < len(isolated) and isolated[at + len(head)] != 32:
        at = isolated.find(head, at + 1)
    return at + 1 if at >= 0 and at + len(head) < len(isolated) else -1


def _composes(data: bytes, at: int) -> bool:
    """Whether a combining mark starts at byte ``at`` of UTF-8 ``data``: the ASCII letter before
    it may compose with it into a letter of the canonical token ("e" and U+0301 are "é", so a
    decomposed "cafe\u0301" is the canonical "café", whose ASCII letters "caf" stand before an
    "e" in the raw text)."""
    if at >= len(data) or data[at] < 0xC0:
        return False
    char = data[at : at + 4].decode("utf-8", "ignore")[:1]
    return unicodedata.category(char).startswith("M") if char else False


def _char_offsets(data: bytes, offsets: list[int]) -> list[int]:
    """The character offsets of the (sorted) byte offsets ``offsets`` of UTF-8 ``data``."""
    found: list[int] = []
    chars = previous = 0
    for offset in offsets:
        chars += len(data[previous:offset].decode("utf-8", "surrogatepass"))
        previous = offset
        found.append(chars)
    return found


def _covered_places(
    seeds: list[str], raw: RawSource
) -> tuple[frozenset[str], dict[str, int], list[int]] | None:
    """Which seeds to cover, rarest first: the six of fewest places (at most), then any other
    whose count is not shown to be higher than theirs by a lower bound (each such one's bound
    kept); and every raw place the covered ones may come from, in order. ``None`` when that is
    too many places, or the source has too many unsafe characters.

    The seeds are scanned with early stops first; when that leaves fewer than six seeds found
    (their exact counts are lower than their places, see :func:`_exact_counts`) and others were
    left out, once more scanning each in full."""
    if raw.unsafe is None:
        return None
    scanned = _scanned(seeds, raw, full=False)
    if scanned == _TOO_FEW:
        scanned = _scanned(seeds, raw, full=True)
    if not isinstance(scanned, tuple):
        return None
    covered, bounds, places, most = scanned
    per_seed, places_at_most = (
        max(least, int(len(raw.text) * more)) for least, more in (_PER_SEED, _PLACES)
    )
    if (
        any(most[seed] > per_seed for seed in covered)
        or sum(most[s] for s in covered) > places_at_most
    ):
        return None
    offsets = sorted({offset for seed in covered for offset in places[seed]})
    held = {at for seed in covered for at in raw.holding(seed)}
    return frozenset(covered), bounds, sorted(held.union(_char_offsets(raw.data, offsets)))


_TOO_FEW = "too few"
_Scanned = tuple[list[str], dict[str, int], dict[str, list[int]], dict[str, int]]


def _scanned(seeds: list[str], raw: RawSource, *, full: bool) -> _Scanned | str | None:
    """The seeds to cover, the bounds of the others, the covered ones' byte places and counts
    (at most: the module documentation, 1.) (see :func:`_covered_places`); ``_TOO_FEW`` when
    fewer than six seeds are known to be there and some were left out, or (unless ``full``) a
    seed left out is not shown to be commoner than the voters; ``None`` when that is so though
    every seed was scanned in full. Unless ``full``, each seed is looked
    for in full until six are known, then only until it is shown to be commoner than the
    sixth rarest known (then left out, its lower bound kept): the seeds of the longest words
    first (the likeliest to be rare)."""
    places: dict[str, list[int]] = {}
    most: dict[str, int] = {}
    bounds: dict[str, int] = {}
    common: dict[str, str] = {}  # seeds whose letters are too common to scan, and those letters
    for seed in sorted(seeds, key=lambda seed: (-len(seed), seed)):
        pieces = _PIECE.findall(seed)
        if not pieces:
            return None  # no ASCII letter or digit to look for
        piece = max(pieces, key=len)
        known = sorted(count for count in most.values() if count)
        above = (
            known[_SEED_TOKENS - 1]
            if len(known) >= _SEED_TOKENS and piece == seed and not full
            else inf
        )
        found = _token_places(piece.encode("ascii"), raw, above)
        if found is None:  # a very common word: bounded once the voters' counts are known
            common[seed] = piece
        elif found[1] > above:
            bounds[seed] = found[1]
        else:
            places[seed] = found[0]
            most[seed] = len(found[0]) + len(raw.holding(seed))
            if piece == seed:
                bounds[seed] = found[1]
    exact = _exact_counts(places, raw)
    for seed, (kept, count) in exact.items():
        places[seed], most[seed] = kept, count
    known = sorted(count for count in most.values() if count)
    above = known[min(len(known), _SEED_TOKENS) - 1] if known else 0
    for seed, piece in common.items():
        bounds[seed] = _lower_bound(seed, piece, raw, above)
    for seed, count in most.items():  # commoner than the voters, unless shown to be rare
        if count > above and bounds.get(seed, 0) <= above:
            piece = max(_PIECE.findall(seed), key=len)
            bounds[seed] = count if seed in exact else _lower_bound(seed, piece, raw, above)
    covered = [
        seed for seed, count in most.items() if count <= above or bounds.get(seed, 0) <= above
    ]
    for seed in covered:
        bounds.pop(seed, None)
    if any(bound <= above for bound in bounds.values()):
        # a seed not shown to be commoner than the voters: too common to count, or left out
        # before the voters' exact counts were known
        return None if full else _TOO_FEW
    if bounds and sum(1 for seed in covered if most[seed]) < _SEED_TOKENS:
        return _TOO_FEW  # fewer than six voters known: a seed left out would vote
    return covered, bounds, places, most


# How a canonical token may stand in ASCII raw text: between two of these, lower-casing is all
# normalisation does to it (none of them joins a word: a full stop or comma joins two digits).
_BEFORE = frozenset(b' \n("')
_AFTER = frozenset(b' \n,.;:)"?!')
_AFTER_NUMBER = _AFTER - frozenset(b".,")


def _lower_bound(seed: str, piece: str, raw: RawSource, above: int) -> int:
    """A lower bound of how often a very common canonical token ``seed`` is in the source, found
    once it exceeds ``above`` (else all of it is counted): the canonical tokens of runs of
    non-whitespace where ``piece`` (its longest run of ASCII letters and digits) stands between
    two other characters. Each run is normalised on its own (a canonical token never spans
    ASCII whitespace, and normalisation is local there: the module documentation, 2.), so its
    tokens are the whole text's there; runs are counted once each (fewer, never more)."""
    isolated, data = raw.isolated, raw.data
    needle = b" " + piece.encode("ascii") + b" "
    count, last = 0, -1
    at = isolated.find(needle)
    while at >= 0 and count <= above:
        runs: list[tuple[int, int]] = []
        while at >= 0 and len(runs) < max(_BATCH, 2 * (above - count + 1)):
            run = _run_around(data, at + 1)
            if run is not None and run[0] > last:
                runs.append(run)
                last = run[1]
            at = isolated.find(needle, at + len(needle) - 1)
        if not runs:
            break
        joined = normalize("\n".join(data[a:b].decode("utf-8", "surrogatepass") for a, b in runs))
        count += joined.tokens.count(seed)
    return count


def _exact_counts(places: dict[str, list[int]], raw: RawSource) -> dict[str, tuple[list[int], int]]:
    """Of the seeds found at (byte offsets) ``places`` and nowhere else (no unsafe character's
    run holds them), those whose places' runs of non-whitespace are all found: each one's
    places whose run holds the seed, and how often the seed is in those runs. That is its
    count in the source (each run is normalised on its own: see :func:`_lower_bound`), where
    ``places`` (and ``_token_places``) tell only where it may be: "jenner" stands in
    "Jenner’s", whose canonical token is "jenner's"."""
    data = raw.data
    runs_of: dict[str, list[tuple[int, int]]] = {}
    for seed, found in places.items():
        if len(found) > _EXACT_MOST or raw.holding(seed):
            continue
        around = [_run_around(data, at) for at in found]
        if None not in around:
            runs_of[seed] = [run for run in around if run is not None]
    pieces = sorted({run for runs in runs_of.values() for run in runs})
    if not pieces:
        return {}
    tokens = _tokens_of([data[a:b].decode("utf-8", "surrogatepass") for a, b in pieces])
    of_run = dict(zip(pieces, tokens, strict=True))
    exact: dict[str, tuple[list[int], int]] = {}
    for seed, held in runs_of.items():
        kept = [at for at, run in zip(places[seed], held, strict=True) if seed in of_run[run]]
        exact[seed] = kept, sum(of_run[run].count(seed) for run in set(held))
    return exact


def _tokens_of(runs: list[str]) -> list[list[str]]:
    """The canonical tokens of each run of non-whitespace, normalised together a line break
    apart (normalisation is local there: ``_quick._run_tokens``)."""
    joined = normalize("\n".join(runs))
    ends = list(accumulate(len(run) + 1 for run in runs))
    tokens: list[list[str]] = [[] for _ in runs]
    for token, span in zip(joined.tokens, joined.token_spans(), strict=True):
        tokens[bisect_right(ends, span[0])].append(token)
    return tokens


_EXACT_MOST = 64  # places of one seed whose runs are normalised to count it exactly
_BATCH = 8  # runs normalised together at least, while a lower bound is counted
_RUN_MOST = 256  # bytes looked at on either side of a place for its run's ends


def _run_around(data: bytes, at: int) -> tuple[int, int] | None:
    """The run of non-whitespace (between ASCII whitespace, or the text's ends) holding byte
    ``at`` of ``data``, as byte offsets; ``None`` when an end is not within ``_RUN_MOST``."""
    low, high = max(0, at - _RUN_MOST), min(len(data), at + _RUN_MOST)
    start = max(data.rfind(space, low, at) for space in _SPACES) + 1
    ends = [end for end in (data.find(space, at, high) for space in _SPACES) if end >= 0]
    if (start == 0 and low > 0) or (not ends and high < len(data)):
        return None
    return start, min(ends, default=len(data))


_SPACES = (b" ", b"\n", b"\t", b"\r")


def _stand_in(
    text: str, places: list[int], needed: int
) -> tuple[_StandIn, list[_Window], list[float], list[int]] | None:
    """The stand-in made of windows around ``places``, each holding ``needed`` canonical tokens
    (and five more per citation mark in it) on both sides of every place in it, or reaching the
    text's edge; ``None`` when no window width tried does. Also each window's room
    (:func:`_room`) and citation marks."""
    for reach in (_CHARS * needed, 2 * _CHARS * needed, 4 * _CHARS * needed):
        windows: list[_Window] = []
        at = 0
        for start, end in _windows(text, places, reach):
            windows.append(_Window(start, end, at))
            at += end - start + len(_SEPARATOR)
        if at > len(text) * _SHARE:
            return None  # as costly as normalising the whole text
        room = _room(text, windows, places)
        if not _holds(room, needed, [0] * len(windows)):
            continue
        stand_in = _StandIn(_SEPARATOR.join(text[w.start : w.end] for w in windows))
        # a citation mark ("[12]": at most five tokens) lengthens a candidate window by itself
        marks = _marks(stand_in.text, len(windows))
        if _holds(room, needed, marks):
            return stand_in, windows, room, marks
    return None


def _marks(text: str, windows: int) -> list[int]:
    """How many "[" tokens (citation marks may start there) each window's part of the stand-in's
    canonical ``text`` has: windows are told apart by the separator's token, and when the
    source has that token too, every window is given all of them."""
    brackets, separators = _found(text, "["), _found(text, _SEPARATOR_TOKEN)
    if len(separators) != windows - 1:
        return [len(brackets)] * windows
    marks = [0] * windows
    for at in brackets:
        marks[bisect_right(separators, at)] += 1
    return marks


def _found(text: str, char: str) -> list[int]:
    """Where ``char`` is in ``text``."""
    found, at = [], text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _room(text: str, windows: list[_Window], places: list[int]) -> list[float]:
    """How many canonical tokens each window surely holds on both sides of every place in it
    (infinite on a side where it reaches the edge of the text). Counted in the raw text, as a
    lower bound: a run of non-whitespace with a letter or digit of ``LASTING`` in it holds a
    canonical token of its own (a canonical token never spans ASCII whitespace, and those
    never vanish), and the runs before (after) the one at a place hold tokens before (after)
    the place's token."""
    # where the text's first and last non-whitespace are: ASCII whitespace makes no token, so
    # a window reaching past them reaches the edge
    first, last = 0, len(text)
    while first < last and text[first] in _WHITESPACE:
        first += 1
    while last > first and text[last - 1] in _WHITESPACE:
        last -= 1
    room: list[float] = []
    for window in windows:
        low, high = bisect_left(places, window.start), bisect_left(places, window.end)
        before: float = inf
        after: float = inf
        if window.start > first:
            before = len(_RUNS.findall(text, window.start, _cut_before(text, places[low])))
        if window.end < last:
            after = len(_RUNS.findall(text, _cut_after(text, places[high - 1]), window.end))
        room.append(min(before, after))
    return room


def _holds(room: list[float], needed: int, marks: list[int]) -> bool:
    """Whether each window has room for ``needed`` tokens and five per citation mark in it."""
    return all(tokens >= needed + _MARK * count for tokens, count in zip(room, marks, strict=True))


def _windowed_evidence(
    quote: ParsedQuote,
    text: Text,
    evidence_in: Callable[[ParsedQuote, Text, NormalizedText], Evidence],
    raw: RawSource,
) -> Evidence | None:
    """The whole-text path's evidence of a quote, found in a stand-in made of windows of the
    source (see the module documentation), or ``None`` when this path cannot tell."""
    if len(text.text) < _SMALL or len(quote.fragments) != 1:
        return None
    fragment = quote.fragments[0]
    if fragment.brackets or {WILD, "[", _SEPARATOR_TOKEN} & set(fragment.tokens):
        return None
    seeds = _seed_tokens(fragment.tokens)
    chosen = _covered_places(seeds, raw)
    if chosen is None:
        return None
    covered, bounds, places = chosen
    needed = _reach(len(fragment.tokens))
    for _ in range(2):  # once more with longer windows, for a quote unlike its passage
        made = _stand_in(text.text, places, needed)
        if made is None:
            return None
        stand_in, windows, room, marks = made
        seed_places = {seed: _token_positions(stand_in, seed) for seed in covered}
        ranked = sorted((len(found), seed) for seed, found in seed_places.items() if found)
        if bounds and (
            len(ranked) < _SEED_TOKENS
            or min((bound, seed) for seed, bound in bounds.items()) <= ranked[_SEED_TOKENS - 1]
        ):
            return None  # an uncovered seed may be among the voters
        stand_in._bounds, stand_in._places, stand_in.unknown = bounds, seed_places, False
        more = _more_needed(fragment, stand_in, covered)
        if more is None:
            return None
        if _holds(room, _reach(len(fragment.tokens)) + more, marks):
            break
        needed = _reach(len(fragment.tokens)) + more
    else:
        return None
    evidence = evidence_in(quote, Text(stand_in.original, "text/plain"), stand_in)
    if stand_in.unknown or not _parts_unread(quote, evidence, stand_in):
        return None
    return _moved(evidence, windows, text)


def _parts_unread(quote: ParsedQuote, evidence: Evidence, stand_in: _StandIn) -> bool:
    """Whether the whole-text path looks for none of the quote's quoted parts on their own
    (see the module documentation, 6.): the quote has none, or is verified, or the whole
    quote's location matches most of the words between them (``locate_parts`` then stands by
    the whole quote's location before it reads anything)."""
    parts = quoted_parts(quote)
    if parts is None or evidence.status is Status.VERIFIED:
        return True
    return whole_stands(locate_quote(quote, stand_in), parts)


def _more_needed(fragment: Fragment, stand_in: _StandIn, covered: frozenset[str]) -> int | None:
    """How many canonical tokens the whole-text path reads beyond ``_reach`` around a seed's
    place when it locates ``fragment`` (a quote that does not resemble its passage is looked
    for once more in windows longer by its length), or ``None`` when it may search the whole
    text for parts of a stitched quote (see the module documentation, 5.)."""
    if _find_exact_near(fragment, stand_in, 0) or _find_exact_trimmed(fragment, stand_in, 0):
        return 0
    alignment = _fuzzy_alignment(fragment, stand_in)
    if alignment is None:
        return 0
    if _may_be_stitched(alignment, stand_in) and not _edges_in_windows(alignment, covered):
        return None  # its edges would be looked for in the whole text
    resembles = _resembles(alignment)
    if (max(_unmatched_edge_runs(alignment)) >= _STITCH_MIN_TOKENS or not resembles) and not (
        _no_verbatim_stitch(fragment, stand_in, covered)
    ):
        return None
    return 0 if resembles else len(fragment.tokens)


def _edges_in_windows(alignment: Alignment, covered: frozenset[str]) -> bool:
    """Whether every part of the quote that ``_split_stitched`` looks for in the whole text
    (an unmatched edge, and the rest of the quote) holds a covered seed: its occurrences are
    then all in the windows, within their margins (see the module documentation, 5.)."""
    fragment = alignment.fragment
    n = len(fragment.tokens)
    head, tail = _unmatched_edge_runs(alignment)
    for run_start, run_stop in ((0, head), (n - tail, n)):
        run = fragment.tokens[run_start:run_stop]
        if run_stop - run_start < _STITCH_MIN_TOKENS or sum(map(is_content, run)) < 2:
            continue  # not looked for
        rest = fragment.tokens[run_stop:] if run_start == 0 else fragment.tokens[:run_start]
        if not any(map(is_content, rest)):
            continue
        if covered.isdisjoint(run) or covered.isdisjoint(rest):
            return False
    return True


def _no_verbatim_stitch(fragment: Fragment, stand_in: _StandIn, covered: frozenset[str]) -> bool:
    """Whether the quote is shown not to be two verbatim passages of the source
    (``_split_verbatim_stitch`` gives ``None`` in the whole text, and so in the stand-in).

    A start (or end) of the quote holding a covered seed occurs in the source only where that
    seed does, inside a window, so whether it occurs is the same in both texts; one without is
    found in the stand-in only where it is in the source too (nothing found runs across the
    separator), so the longest start found in the stand-in is at most the source's. If the
    start through the first covered seed is not found, the source's longest start found is at
    most the tokens before it; else it is found exactly. The same for ends. Then the quote is
    no verbatim stitch when the longest start and end (or their bounds) are together shorter
    than the quote, or the start is shorter than ``_STITCH_MIN_TOKENS``, or leaves fewer."""
    tokens = fragment.tokens
    n = len(tokens)
    seeds = [q for q, token in enumerate(tokens) if token in covered]
    if not seeds:
        return False
    first, after = seeds[0] + 1, n - seeds[-1]  # the shortest start (end) holding a seed
    head = tail = None
    if _part_found(fragment, stand_in, first, prefix=True):
        head = _longest_found(fragment, stand_in, prefix=True, low=first)
    if _part_found(fragment, stand_in, after, prefix=False):
        tail = _longest_found(fragment, stand_in, prefix=False, low=after)
    most_head = first - 1 if head is None else head
    most_tail = after - 1 if tail is None else tail
    return (
        most_head + most_tail < n
        or most_head < _STITCH_MIN_TOKENS
        or (head is not None and n - head < _STITCH_MIN_TOKENS)
    )


def _moved(evidence: Evidence, windows: list[_Window], text: Text) -> Evidence | None:
    """Evidence found in the stand-in, told in offsets of the source; ``None`` if a span
    crosses from one window to another (it cannot: see the module documentation), but the
    span of a quote stitched from passages in two windows: it runs from one to the other, each
    end moved with its own window, and the passage is the source's between them."""
    if evidence.span is None:
        return evidence
    starts = [window.at for window in windows]

    def moved(span: tuple[int, int], crossing: bool = False) -> tuple[int, int] | None:
        first = windows[bisect_right(starts, span[0]) - 1]
        last = windows[bisect_right(starts, max(span[0], span[1] - 1)) - 1] if crossing else first
        if span[1] > last.at + last.end - last.start:
            return None
        return span[0] + first.start - first.at, span[1] + last.start - last.at

    diffs = []
    for diff in evidence.differences:
        source_span = moved(diff.source_span)
        if source_span is None:
            return None
        diffs.append(attrs.evolve(diff, source_span=source_span))
    span = moved(evidence.span, crossing=evidence.reason is Reason.STITCHED_QUOTE)
    if span is None:
        return None
    return attrs.evolve(
        evidence,
        passage=text.text[span[0] : span[1]],
        span=span,
        region=region_at(text, span[0]),
        differences=tuple(diffs),
    )
