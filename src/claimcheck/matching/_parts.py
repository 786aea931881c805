"""The parts a quote puts in quotation marks of its own, located when they say more than the
whole quote ('"that's really good," he told the audience, "we will win"': the words between the
parts are the writer's)."""

from __future__ import annotations

import itertools

import attrs

from ..language import NormalizedText
from ._locate import _OMISSION_GAP, Located, locate_quote
from ._quote_parse import ParsedQuote
from ._tokens import is_word

__all__ = ["locate_parts", "whole_stands"]


def whole_stands(whole: Located, parts: ParsedQuote) -> bool:
    """Whether the whole quote's location stands without its parts looked for on their own
    (nothing more is read of the source): it was found, and matches most of the words between
    the parts (the framing is the source's too)."""
    return bool(whole.alignments) and _framing_matched(whole, parts) >= 0.5


def _framing_matched(whole: Located, parts: ParsedQuote) -> float:
    """The share of the words between the quoted parts (the framing) that the whole quote's
    location matches: high when the quote is a source sentence with quotation marks of its own
    ('they formed an "irregular" channel, known as the "Three Amigos"'), low when the framing is
    the writer's ('"that's really good," he told the audience, "we will win"')."""
    pieces = [
        (before.piece[1], after.piece[0]) for before, after in itertools.pairwise(parts.fragments)
    ]
    matched = total = 0
    for fragment in whole.quote.fragments:
        equal = [
            range(block.q1, block.q2)
            for alignment in whole.alignments
            if alignment.fragment is fragment
            for block in alignment.blocks
            if block.equal
        ]
        for q, (token, (a, b)) in enumerate(zip(fragment.tokens, fragment.spans, strict=True)):
            if not is_word(token) or not any(lo <= a and b <= hi for lo, hi in pieces):
                continue
            total += 1
            matched += any(q in block for block in equal)
    return matched / total if total else 0.0


def locate_parts(parts: ParsedQuote, source: NormalizedText, whole: Located) -> Located | None:
    """Where the parts a quote puts in quotation marks of its own are (see
    :func:`~._quote_parse.quoted_parts`), when that says more than where the whole quote is
    (``whole``): the whole is absent and a part is found, or the writer's words between the parts
    are mostly not in the source and the parts are found apart from each other (out of order, or
    further apart than a silent omission). Quoted parts from separate places are reported as
    stitched; None when the whole quote's location stands."""
    if whole_stands(whole, parts):
        return None  # the framing is the source's too: the whole quote's differences stand
    located = locate_quote(parts, source)
    if not located.alignments:
        return None
    pairs = list(itertools.pairwise(located.alignments))
    apart = any(not 0 <= b.start - a.stop <= _OMISSION_GAP for a, b in pairs)
    if whole.alignments and not (apart and not located.missing):
        return None
    return attrs.evolve(located, stitched=len(located.alignments) > 1)
