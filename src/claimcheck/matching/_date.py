"""Matching a date ("October 2017"): compared at the claim's precision (year, month or day) with
the dates near the context words; verified when one agrees, drifted when they disagree or are
less precise than the claim, not found otherwise."""

from __future__ import annotations

import datetime as dt

import attrs

from ..documents import Text
from ..errors import InvalidClaimError
from ..language import (
    DateAgreement,
    DateValue,
    FoundDate,
    compare_dates,
    parse_date,
    parse_date_value,
)
from ..model import Evidence, Reason, Status, quoted
from ._context import context_words, in_context, value_evidence
from ._index import SourceIndex, as_text, resolve_index, unreadable

__all__ = ["match_date"]

_PART_OF_PERIOD = frozenset({"early", "mid", "late"})


def match_date(
    claim: str,
    source: Text | str,
    *,
    value: str | None = None,
    context: str | None = None,
    reference: dt.date | None = None,
    language: str | None = None,
    index: SourceIndex | None = None,
) -> Evidence:
    """Check a date ("October 2017") against a source text.

    Compared at the claim's precision (year, month or day). ``reference`` resolves relative
    expressions in the claim ("this month"); relative dates in the source ("last month") are
    resolved against the source's own publication date when the extraction found one.
    ``index`` is the source's :class:`~claimcheck.matching.SourceIndex`, when one is kept for it.
    """
    text = as_text(source)
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
        return unreadable(text)
    qualifier = parsed.qualifier if parsed is not None else None
    exclude = ((parsed.start, parsed.end),) if parsed is not None and context is None else ()
    words = (
        context_words(context, explicit=True)
        if context is not None
        else context_words(claim, *exclude)
    )
    index = resolve_index(text, index)
    dates = index.dates_in(index.near_sentences(words), text.published, language or text.language)
    candidates = [
        (score, dates[which], sentence, _compare(claimed, dates[which], qualifier))
        for score, which, sentence in in_context(index, [found.start for found in dates], words)
    ]
    if not candidates:
        return Evidence(
            Status.BROKEN,
            Reason.NOT_FOUND,
            f"the source has no date near {quoted(' '.join(words) or 'the claim')}",
        )
    for agreement in (DateAgreement.AGREE, DateAgreement.DISAGREE, DateAgreement.COARSER):
        matching = [c for c in candidates if c[3] is agreement]
        if not matching:
            continue
        score, found, sentence, _ = max(matching, key=lambda c: c[0])
        label = found.value.human() if found.year_given else f"{found.surface} (no year given)"
        if agreement is DateAgreement.AGREE:
            reason = Reason.DATE_MATCH
            explanation = f"the source dates it {label} ({quoted(found.surface)})"
        elif agreement is DateAgreement.DISAGREE:
            reason = Reason.DATE_MISMATCH
            written = quoted(found.surface)
            explanation = (
                f"the source dates it {label} ({written}), the statement {claimed.human()}"
            )
        else:
            reason = Reason.DATE_MISMATCH
            explanation = (
                f"the source dates it only {label} ({quoted(found.surface)}), "
                f"not {claimed.human()} as the statement does"
            )
        return value_evidence(reason, explanation, score, text, sentence, found.start, label)
    raise AssertionError("unreachable")  # pragma: no cover


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
