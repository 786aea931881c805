"""Matching a quote: parse it, locate it, classify the word-level edit script.

A similarity score finds where a quote is, but cannot say whether it holds: one changed digit or
an inserted "not" still scores 95–99. So a quote is *located, then classified* (``_locate``,
``_classify``). Nothing resembling the quote (most of its content words
unmatched) means the quote is absent: ``broken``/``not-found``, never ``drifted``.
"""

from __future__ import annotations

import attrs

from ..documents import Text, region_at
from ..language import NormalizedText
from ..model import Evidence, Reason, Status
from ._classify import quote_diffs, quote_finding
from ._index import SourceIndex, as_text, resolve_index, unreadable
from ._locate import Located, locate_quote, similarity
from ._parts import locate_parts
from ._quote_parse import ParsedQuote, parse_quote, quoted_parts
from ._windows import one_quote_evidence

__all__ = ["match_quote", "quote_evidence"]

_MEANING_CHANGED = frozenset(
    {Reason.FIGURE_CHANGED, Reason.DATE_MISMATCH, Reason.NEGATION, Reason.HEDGE_CHANGED}
)


def match_quote(quote: str, source: Text | str, *, index: SourceIndex | None = None) -> Evidence:
    """Check a verbatim quote against a source text.

    ``source`` is an extracted :class:`~claimcheck.Text` or a plain string; ``index`` its
    :class:`~claimcheck.matching.SourceIndex`, when one is kept for it. Returns the
    :class:`~claimcheck.Evidence`: verified (``exact``, ``normalised``, ``ellipsis``,
    ``editorial-brackets``), drifted (the reason of the most serious material difference), or
    broken (``not-found``, ``unreadable-source``). A quote that puts parts in quotation marks of
    its own ('"that's really good," he told the audience, "we will win"') is checked part by part
    when the whole is not verified: parts from separate places are a ``stitched-quote``. Raises
    :class:`~claimcheck.InvalidClaimError` for a quote with no words.
    """
    text = as_text(source)
    parsed = parse_quote(quote)
    if not text.readable:
        return unreadable(text)
    index = resolve_index(text, index)
    if index.first_quote():
        # one quote needs only windows of the text normalised; several share the whole text
        quick = one_quote_evidence(parsed, text, quote_evidence)
        if quick is not None:
            return quick
    return quote_evidence(parsed, text, index.normalized)


def quote_evidence(parsed: ParsedQuote, text: Text, normalized: NormalizedText) -> Evidence:
    """The evidence of a parsed quote in ``text``, whose normalised form is ``normalized``."""
    located = locate_quote(parsed, normalized)
    evidence = _evidence(located, text, normalized)
    parts = quoted_parts(parsed) if evidence.status is not Status.VERIFIED else None
    if parts is not None:
        # '"that's really good," he told the audience, "we will win"': the quoted parts
        # are what must be in the source, the words between them are the writer's
        apart = locate_parts(parts, normalized, located)
        if apart is not None:
            # a changed number, date, negation or hedge in a part says more than the stitch
            changed = _evidence(attrs.evolve(apart, stitched=False), text, normalized)
            if changed.reason in _MEANING_CHANGED:
                return changed
            return _evidence(apart, text, normalized)
    return evidence


def _evidence(located: Located, text: Text, normalized: NormalizedText) -> Evidence:
    """The evidence for a located quote: broken when nothing resembling it was found, else
    classified from its differences."""
    if not located.alignments:
        return Evidence(
            Status.BROKEN,
            Reason.NOT_FOUND,
            "nothing resembling the quote is in the source",
            located.best_score,
        )
    diffs = quote_diffs(located, normalized)
    start, end = located.span(normalized)
    passage = text.text[start:end]
    reason, explanation, found = quote_finding(located, diffs, passage, normalized)
    return Evidence(
        reason.status,
        reason,
        explanation,
        similarity(located.alignments, normalized),
        passage,
        (start, end),
        region_at(text, start),
        tuple(diffs),
        found,
    )
