"""Matching a figure ("around 189 Syrians"): verified when the source gives a value within the
claim's hedge near the context words, drifted when the context is there with another value (which
is reported), not found otherwise."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import attrs

from ..documents import Text
from ..errors import InvalidClaimError
from ..language import (
    STOPWORDS,
    Figure,
    FigureAgreement,
    compare_figures,
    figure_agrees,
    figure_value_problem,
    find_figures,
    parse_figure,
    unit_agrees,
    unit_preference,
)
from ..model import Evidence, Reason, Status, quoted, shown
from ._context import context_words, in_context, value_evidence
from ._index import SourceIndex, as_text, resolve_index, unreadable

__all__ = ["match_figure"]


def _as_decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").replace("_", ""))
    except (InvalidOperation, ValueError) as error:  # ValueError: an int of 4,300+ digits
        raise InvalidClaimError(f"the figure value {shown(value)} is not a number") from error
    problem = figure_value_problem(number)
    if problem is not None:
        raise InvalidClaimError(f"the figure value {problem}, not {shown(value)}")
    return number


def _claimed_figure(claim: str, value: object, language: str | None) -> Figure:
    """The figure a claim states: its main figure; with ``value`` given, the figure of its text
    that has that value (or, for a text without a number, the value alone).
    :class:`InvalidClaimError` when the text has figures and none has the value
    (:func:`figure_value_conflict`)."""
    if value is None:
        parsed = parse_figure(claim, language=language)
        if parsed is None:
            raise InvalidClaimError(f"the figure claim {claim!r} has no number in it")
        return parsed
    number = _as_decimal(value)
    figures = find_figures(claim, language=language)
    agreeing = [figure for figure in figures if figure.value == number]
    if agreeing:
        return next((f for f in agreeing if not f.looks_like_year), agreeing[0])
    conflict = figure_value_conflict(claim, number, language=language)
    if conflict is not None:
        raise InvalidClaimError(conflict)
    parsed = parse_figure(claim, language=language)  # its hedge admits the value
    return attrs.evolve(parsed, value=number) if parsed is not None else Figure(number, 0, 0, "")


def figure_value_conflict(claim: str, value: Decimal, *, language: str | None = None) -> str | None:
    """Why a figure claim's ``value`` contradicts its text, or ``None``: the text states figures,
    none of them has the value, and the main one's hedge does not admit it (``value = 10``
    beside "10 million people"; "about two hundred" admits 189). Two readings of
    one claim: checking either would be checking something the author may not have meant, and
    the report would set the text's number against itself. A text without a number takes its
    value from ``value``."""
    figures = find_figures(claim, language=language)
    if not figures or any(figure.value == value for figure in figures):
        return None
    main = parse_figure(claim, language=language) or figures[0]
    if figure_agrees(main, value):  # "about two hundred" with the 189 it rounds
        return None
    return (
        f"the value {value} contradicts the text, which reads {main.surface!r} as "
        f"{main.value:f}; give the value the text states, or leave the value out"
    )


def match_figure(
    claim: str,
    source: Text | str,
    *,
    value: Decimal | int | float | str | None = None,
    context: str | None = None,
    language: str | None = None,
    index: SourceIndex | None = None,
) -> Evidence:
    """Check a figure ("around 189 Syrians") against a source text.

    The figure is verified when the source gives a value within the claim's hedge near the
    context words (``context``, or the claim's own words), drifted when the context is there
    with another value (reported in ``found``), and not found otherwise. ``index`` is the
    source's :class:`~claimcheck.matching.SourceIndex`, when one is kept for it.
    """
    text = as_text(source)
    parsed = _claimed_figure(claim, value, language)
    if value is None and language is None:
        parsed = _as_the_source_reads(parsed, text.language)
    if not text.readable:
        return unreadable(text)
    hedge_span = (
        parsed.hedge_start if parsed.hedge_start is not None else parsed.start,
        parsed.end,
    )
    words = (
        context_words(context, explicit=True)
        if context is not None
        else context_words(claim, hedge_span)
    )
    index = resolve_index(text, index)
    figures = index.figures_in(
        index.near_sentences(words), language or text.language, parsed.looks_like_year
    )
    candidates = [
        (score, figures[which], sentence)
        for score, which, sentence in in_context(index, [f.start for f in figures], words)
    ]
    claimed = _figure_label(parsed, claim)
    near = f"near {quoted(' '.join(words))}" if words else "anywhere"
    if not candidates:
        return Evidence(Status.BROKEN, Reason.NOT_FOUND, f"the source has no figure {near}")
    counted = _counted_word(claim, parsed)
    if counted is not None:
        # "up to 100 years" is about a number of years: when the source has numbers of years
        # near the context, only those are what the claim is about.
        same = [c for c in candidates if _counted_word(text.text, c[1]) == counted]
        candidates = same or candidates
    picked = _pick(parsed, candidates)
    if picked is None:
        return _ambiguous(candidates, text, claimed, near)
    reason, (score, figure, sentence) = picked
    found = _figure_label(figure, text.text)
    if reason is Reason.FIGURE_MATCH:
        explanation = f"the source gives {quoted(found)} {near}"
    else:
        explanation = f"the source says {quoted(found)}, the statement says {quoted(claimed)}"
    return value_evidence(reason, explanation, score, text, sentence, figure.start, found)


def _as_the_source_reads(claimed: Figure, language: str | None) -> Figure:
    """The claim's figure with the value its digits have in the source's language, when they
    are written alike and read otherwise there: an English page that writes a thousand as
    "1.000" means the claim's "1.000" too. Number words are left as the claim's language
    reads them ("ten" is no German word)."""
    surface = claimed.surface
    if language is None or not surface or any(char.isalpha() for char in surface):
        return claimed
    local = parse_figure(surface, language=language)
    if local is None or local.surface != surface or local.value == claimed.value:
        return claimed
    return attrs.evolve(claimed, value=local.value)


_Candidate = tuple[float, Figure, tuple[int, int]]
_NEXT_WORD = re.compile(r"\s*([^\W\d_]{3,})")


def _counted_word(text: str, figure: Figure) -> str | None:
    """What a figure counts: the word just after it ("years" in "up to 10 years"), folded and
    without a plural "s", or ``None`` when no word follows (a comma, the sentence's end) or the
    figure has no place in ``text``; a function word says nothing of it."""
    if figure.end <= figure.start:
        return None
    match = _NEXT_WORD.match(text, figure.end)
    if match is None:
        return None
    word = match.group(1).casefold()
    if word in STOPWORDS:  # "189 and", "12 the": says nothing of what is counted
        return None
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


_AGREE, _REHEDGED = FigureAgreement.AGREE, FigureAgreement.HEDGE_CHANGED


def _pick(claimed: Figure, candidates: list[_Candidate]) -> tuple[Reason, _Candidate] | None:
    """The figure near the context words that the claim is about, and the verdict: one that
    supports the claim, else one with the same number hedged otherwise, else the likeliest of
    those in the claim's unit or with its number (same currency, then same scale word, then
    best placed, then nearest in value), else the one figure there is. None when several
    figures stand near the context words and none is in the claim's unit or has its number:
    which one the claim is about cannot be told."""
    verdicts = [compare_figures(claimed, c[1]) for c in candidates]
    for kind, reason in ((_AGREE, Reason.FIGURE_MATCH), (_REHEDGED, Reason.HEDGE_CHANGED)):
        kept = [c for c, v in zip(candidates, verdicts, strict=True) if v is kind]
        if kept:
            return reason, max(kept, key=lambda c: (unit_preference(claimed, c[1]), c[0]))
    non_years = [c for c in candidates if not c[1].looks_like_year] or candidates
    related = [c for c in non_years if unit_agrees(claimed, c[1]) or c[1].value == claimed.value]
    if related:
        return Reason.FIGURE_CHANGED, max(
            related,
            key=lambda c: (
                unit_preference(claimed, c[1]),
                c[0],
                -abs(c[1].value - claimed.value),
            ),
        )
    if len({c[1].value for c in non_years}) == 1:
        return Reason.FIGURE_CHANGED, max(non_years, key=lambda c: c[0])
    return None


def _ambiguous(candidates: list[_Candidate], text: Text, claimed: str, near: str) -> Evidence:
    """Unchecked: several figures stand near the context words, none in the claim's unit."""
    score, _, (start, end) = max(candidates, key=lambda c: c[0])
    shown_figures = ", ".join(
        dict.fromkeys(quoted(_figure_label(c[1], text.text)) for c in candidates)
    )
    return Evidence(
        Status.UNCHECKED,
        Reason.AMBIGUOUS_FIGURE,
        f"the source has several figures {near} ({shown_figures}), none of them in the unit "
        f"of {quoted(claimed)}: which one the statement means cannot be told",
        round(100 * min(score, 1.0), 1),
        text.text[start:end],
        (start, end),
    )


def _figure_label(figure: Figure, text: str | None = None) -> str:
    """A figure as a report names it: as the source writes it, hedge included, or as the claim
    gives it."""
    if text is not None and figure.hedge_start is not None:
        return text[figure.hedge_start : figure.end]
    if figure.surface:
        return f"{figure.hedge} {figure.surface}" if figure.hedge else figure.surface
    hedge = f"{figure.hedge} " if figure.hedge else ""
    return f"{hedge}{figure.value}"
