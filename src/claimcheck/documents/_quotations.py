"""Quotations and sentences in a statement's prose.

**Quotations.** Straight and typographic marks (``"…"``, ``“…”``, ``„…“``, ``‘…’``, ``'…'``,
``«…»`` and ``« … »`` with French spacing, ``»…«``, ``‹…›``, ``「…」``), and HTML's ``<q>``
(which the prose reader turns into ``“…”``). A mark opens when it follows a space, an opening
bracket or dash, or another mark, and is followed by a non-space (guillemets may be followed by
a space); it closes in the mirror position; marks pair up with a stack, so quotations nest. A
quotation may span lines but never paragraphs: a blank line ends every open one. Only the
outermost quotations are kept.

Single marks (``'``, ``‘``, ``’``) are apostrophes as often as quotation marks; British style
quotes with them. The rules, in order:

1. A single mark between two letters or digits is an apostrophe ("don't", "Syria's",
   "Denmark’s").
2. A single mark that begins an elided word, after no letter or digit, is an apostrophe and
   opens nothing: two digits, with an optional "s" ("the '90s", "in ’21"), "'tis", "'twas",
   "'em", "'til", and "'n" with its closing mark ("rock 'n' roll": both marks are apostrophes).
   A quotation that begins with such a word is missed ("'90 percent,' he said").
3. A single mark after a letter that would close no open quotation is an apostrophe ("the
   Syrians' rights").
4. A closing ``'`` or ``’`` that reads as a plural possessive (a letter, "s", the mark, a space,
   a word: "refugees' rights") closes its quotation only when no later mark of the same sentence
   would close it instead. The later mark counts when it is of the same kind, can close, does
   not read as a possessive itself, and comes before any mark that could open a quotation of
   that kind: "She said 'the refugees' rights matter' yesterday" quotes "the refugees' rights
   matter"; "the 'experts' views differ" and "the 'experts' say it is 'safe'" quote "experts".
   When the quotation's own closing mark reads as a possessive too ("…rights matters'
   yesterday"), the first one closes it.

An opening double mark (``"``, ``“``, ``„``, ``«``) that nothing closes before the end of its
paragraph is *unclosed*; unmatched single marks are left alone, since most of them are
apostrophes ("'90s", "’tis").

**Sentences** end as :func:`claimcheck.language.sentence_ends` says in a statement's prose (a
single line break does not end one), never inside a quotation, and at every paragraph or block
boundary.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final

__all__ = ["quotations", "sentence_index", "sentences", "strip_span"]

# Each opening mark, and the marks that close it.
_CLOSERS: Final[dict[str, str]] = {
    '"': '"',
    "“": "”",
    "„": "“”",
    "”": "”",
    "«": "»",
    "»": "«»",
    "‹": "›",
    "›": "‹›",
    "‘": "’",
    "‚": "‘’",
    "'": "'",
    "’": "’",
    "「": "」",
    "『": "』",
}
_MARKS: Final = frozenset("".join(_CLOSERS) + "".join(_CLOSERS.values()))
_SINGLE_MARKS: Final = frozenset("'‘’‚‹›")
_SPACED_MARKS: Final = frozenset("«»‹›")  # French typography puts a space inside them
_REPORTED_UNCLOSED: Final = frozenset('"“„«')
_OPEN_AFTER: Final = frozenset("([{—–-/")
_CLOSE_BEFORE: Final = frozenset(".,;:!?)]}…—–-/")
_MARK_OR_BREAK: Final = re.compile("\n[^\\S\n]*\n|[" + re.escape("".join(sorted(_MARKS))) + "]")


_OPENERS_OF: Final[dict[str, tuple[str, ...]]] = {
    mark: tuple(opening for opening, closers in _CLOSERS.items() if mark in closers)
    for mark in _MARKS
}
# Single marks that begin an elided word are apostrophes: a decade or a year ("'90s", "’21"),
# "'tis", "'twas", "'em", "'til", and "'n'" (both marks: "rock 'n' roll").
_ELISION: Final = re.compile(
    r"(?<!\w)['’‘](?:\d\d(?:s)?|tis|twas|em|til|n(?P<closing>['’])?)(?!\w)", re.IGNORECASE
)
_POSSESSIVE_MARKS: Final = "'’"


def _possessive(plain: str, position: int) -> bool:
    """Whether the mark at ``position`` reads as a plural possessive: a letter, an "s", the
    mark, a space and a word ("the refugees' rights")."""
    return (
        position >= 2
        and plain[position - 1] in "sS"
        and plain[position - 2].isalpha()
        and position + 2 < len(plain)
        and plain[position + 1] != "\n"
        and plain[position + 1].isspace()
        and plain[position + 2].isalnum()
    )


# A mark of the prose: its position, the mark ("" for a paragraph break), and whether it can
# open and close a quotation where it is.
_MarkEvent = tuple[int, str, bool, bool]


def quotations(plain: str, stops: Sequence[int] = ()) -> tuple[list[tuple[int, int]], list[int]]:
    """The quotation marks of the prose that pair up, as (opening, closing) positions, and the
    opening double marks that nothing closes in their paragraph. ``stops`` are where sentences
    may end (:func:`~claimcheck.language.sentence_ends`): a possessive-looking mark defers to a
    later closing mark of its sentence only."""
    elided: set[int] = set()
    for match in _ELISION.finditer(plain):
        elided.add(match.start())
        if match.group("closing"):
            elided.add(match.start("closing"))
    events: list[_MarkEvent] = []
    for match in _MARK_OR_BREAK.finditer(plain):
        position = match.start()
        mark = match.group()
        if len(mark) > 1:
            events.append((position, "", False, False))
            continue
        before = plain[position - 1] if position > 0 else " "
        after = plain[position + 1] if position + 1 < len(plain) else " "
        if mark in _SINGLE_MARKS and ((before.isalnum() and after.isalnum()) or position in elided):
            continue  # an apostrophe: "don't", "Syria's", "the '90s"
        bounded_before = before.isspace() or before in _OPEN_AFTER or before in _MARKS
        bounded_after = after.isspace() or after in _CLOSE_BEFORE or after in _MARKS
        if mark in _SPACED_MARKS:
            can_open, can_close = bounded_before, bounded_after
        else:
            can_open = bounded_before and not after.isspace()
            can_close = not before.isspace() and bounded_after
        events.append((position, mark, can_open, can_close))
    deferred = _deferred_closers(plain, events, stops)

    pairs: list[tuple[int, int]] = []
    unclosed: list[int] = []
    stack: list[tuple[int, str]] = []
    # For each opening mark, the indexes in ``stack`` where it is: the opener a closing mark
    # pairs with is found without scanning the stack.
    at: dict[str, list[int]] = {}

    def end_paragraph() -> None:
        unclosed.extend(position for position, mark in stack if mark in _REPORTED_UNCLOSED)
        stack.clear()
        at.clear()

    for position, mark, can_open, can_close in events:
        if not mark:
            end_paragraph()
            continue
        if can_close:
            opener = max(
                (at[opening][-1] for opening in _OPENERS_OF[mark] if at.get(opening)),
                default=None,
            )
            if opener is not None:
                if position in deferred:
                    continue  # "the refugees' rights matter'": the later mark closes it
                pairs.append((stack[opener][0], position))
                del stack[opener:]
                for indexes in at.values():
                    while indexes and indexes[-1] >= opener:
                        indexes.pop()
                continue
        if can_open and mark in _CLOSERS:
            at.setdefault(mark, []).append(len(stack))
            stack.append((position, mark))
    end_paragraph()
    pairs.sort()
    outermost: list[tuple[int, int]] = []
    for pair in pairs:
        if not outermost or pair[0] > outermost[-1][1]:
            outermost.append(pair)
    return outermost, unclosed


def _deferred_closers(plain: str, events: Sequence[_MarkEvent], stops: Sequence[int]) -> set[int]:
    """The possessive-looking closing marks ("refugees' rights") followed, in their sentence
    and before any mark that could open a quotation they close, by a closing mark of the same
    kind that does not look possessive ("matter' yesterday"): that one closes the quotation.

    Read backwards, once: for each kind of mark, whether such a closing mark lies ahead.
    """
    deferred: set[int] = set()
    ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)
    stop = len(stops) - 1
    for position, mark, can_open, can_close in reversed(events):
        while stop >= 0 and stops[stop] > position:
            ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)  # another sentence
            stop -= 1
        if not mark:
            ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)  # another paragraph
            continue
        if can_close and mark in _POSSESSIVE_MARKS and _possessive(plain, position):
            if ahead[mark]:
                deferred.add(position)
            continue  # it decides nothing for the marks before it
        for closing in _POSSESSIVE_MARKS:
            if can_close and mark == closing:
                ahead[closing] = True
            elif can_open and closing in _CLOSERS.get(mark, ""):
                ahead[closing] = False
    return deferred


_PARAGRAPH_BREAK: Final = re.compile(r"\n[^\S\n]*\n\s*")


def sentences(
    plain: str, quotations: Sequence[tuple[int, int]], ends: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The sentences of the prose (see the module documentation), trimmed of whitespace;
    ``ends`` are where they may end
    (:func:`~claimcheck.language.sentence_ends`)."""
    cuts = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(plain)]
    opens = [start for start, _ in quotations]
    for end, following in ends:
        index = bisect.bisect_left(opens, end) - 1
        if index >= 0 and end <= quotations[index][1]:
            continue  # inside a quotation: "forget. I advise you"
        cuts.append((end, following))
    cuts.sort()
    sentences = []
    start = 0
    for end, following in [*cuts, (len(plain), len(plain))]:
        if end >= start:
            first, last = strip_span(plain, start, end)
            if last > first:
                sentences.append((first, last))
        start = max(start, following)
    return sentences


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved in past the whitespace of ``text`` at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_index(starts: Sequence[int], position: int) -> int | None:
    """The sentence holding ``position``, or the one before it when it is between two (the
    first when it is before all); None when there are none. ``starts`` are the sentences'
    starts."""
    if not starts:
        return None
    return max(0, bisect.bisect_right(starts, position) - 1)
