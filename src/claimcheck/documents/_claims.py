"""The claims a statement makes: its quotations, figures and dates, placed where a claims file
would locate them, each with the links of its sentence (:func:`find_claims`).

Nothing is guessed: a claim whose value cannot be read carries the ``problem`` and is found,
never dropped or given an invented value.

**Quotations** (:mod:`._quotations` finds them): a claim is the quoted words *without* their
marks ("gross human rights violations"), less a trailing comma, semicolon or colon (in American
style the sentence's comma goes inside the marks; a final full stop is kept: it may end the
quoted sentence). Only the outermost quotation is a claim: an inner one is part of it and is
checked with it. Figures and dates inside a quotation are no claims either: the quotation
checks them word for word (a changed digit is drift). An unclosed opening double mark makes a
claim with a problem, from the mark to the end of its sentence, unless it is within one so
found already (claims never nest, so that a long sentence of stray marks does not make claims
of quadratic total length).

Two quote-like claims without marks: a link's text right after "so-called" (also "sogenannte",
"soi-disant"): the writer is naming someone else's term, whose extent the link marks
("so-called [return centers](#)"); and the content of a norm, the clause after "guarantees
that", "stipulates that", "provides that" (and their German and French equivalents): it states
what a text says and is checked against that text's words.

**Figures**: see :mod:`._figures`. **Dates** come from
:func:`~claimcheck.language.find_dates`: absolute ("March 15, 2021", "October 2017", "in 1951"
as "1951"), qualified ("since 2019", "seit 2019") and relative ("this month", "Last month",
"diesen Monat"). A relative date, or one without a year, is resolved against
``reference_date`` (the statement's publication date); without it, it is found with a problem
and no value. Text shaped like a date that is none ("31 February 2021") is found with a
problem. "Recently" and other expressions ``find_dates`` does not resolve are no claims.

**Placing** (:mod:`._anchoring`): a claim's text that occurs earlier in the statement is widened
until a claims file would locate it where it was found.

**Time** is linear in the statement's length: where a text first occurs is looked up in an
index of the statement's words, quotation marks pair up without scanning the stack, and no
search runs from each candidate to the end of the statement.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from ..language import MONTH_WORDS, find_dates
from ..model import ClaimKind
from ._anchoring import Anchors, place
from ._candidates import NO_SUCH_DATE, RELATIVE, UNCLOSED, Candidate, FoundClaim, Spans
from ._figures import figure_candidates
from ._links import StatementLink
from ._prose import Prose
from ._quotations import sentence_index, strip_span
from ._statement import StatementText

__all__ = ["find_claims"]

_TRAILING_PUNCTUATION: Final = ",;:"
_SO_CALLED: Final = re.compile(
    r"(?<!\w)(?:so-called|so called|sogenannte[nmrs]?|so genannte[nmrs]?|soi-disante?s?)"
    r"[^\S\n]+$",
    re.IGNORECASE,
)
_NORM_CONTENT: Final = re.compile(
    r"(?<!\w)(?:guarantees?|guaranteed|guaranteeing|stipulates?|stipulated|stipulating|provides"
    r"|enshrines?|prescribes?|garantiert|garantieren|besagt|besagen|bestimmt|bestimmen"
    r"|stipuliert|sieht\s+vor|sehen\s+vor|legt\s+fest|legen\s+fest|garantit|garantissent"
    r"|stipule|stipulent|dispose|disposent|prévoit|prévoient|énonce|énoncent)"
    r",?\s+(?:that|dass|daß|que|qu['’])\s*",
    re.IGNORECASE,
)
_MIN_NORM_WORDS: Final = 3
# Only to find the spans of relative dates when no reference date is given; their values are
# then not reported.
_ANY_REFERENCE: Final = dt.date(2000, 1, 1)


def find_claims(
    statement: StatementText,
    *,
    language: str | None = None,
    reference_date: dt.date | None = None,
) -> tuple[FoundClaim, ...]:
    """The quotations, figures and dates of ``statement``, in source order (see the module
    documentation). ``language`` (such as ``"en"``, ``"de"``) selects the number and date
    words, all supported languages when None; ``reference_date``, usually the statement's
    publication date, resolves relative dates ("this month")."""
    taken = Spans()  # quotations: what is in them is no claim again
    candidates = _quotation_candidates(statement, taken)
    dated = Spans()
    candidates += _date_candidates(statement.prose.text, taken, dated, language, reference_date)
    candidates += figure_candidates(statement.prose, statement.sentences, (taken, dated), language)
    return _placed(statement, candidates)


def _placed(statement: StatementText, candidates: Iterable[Candidate]) -> tuple[FoundClaim, ...]:
    """The candidates placed in the source, each once, with their sentences and links."""
    prose, sentences = statement.prose, statement.sentences
    starts = [start for start, _ in sentences]
    anchors = Anchors(statement.source)
    claims = []
    seen: set[tuple[ClaimKind, int, int]] = set()
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        index = sentence_index(starts, candidate.start)
        sentence = sentences[index] if index is not None else (candidate.start, candidate.end)
        found = place(prose, candidate, sentence, anchors)
        key = (found.kind, found.start, found.end)
        if key in seen:
            continue
        seen.add(key)
        links = statement.sentence_links[index] if index is not None else ()
        claims.append(attrs.evolve(found, sentence=prose.span(*sentence), links=links))
    # In source order: widening may take a claim's start before an earlier one's.
    claims.sort(key=lambda claim: (claim.start, claim.end))
    return tuple(claims)


def _quotation_candidates(statement: StatementText, taken: Spans) -> list[Candidate]:
    """The quotations, the quote-like claims without marks and the unclosed quotations, each
    added to ``taken``."""
    plain, sentences = statement.prose.text, statement.sentences
    candidates: list[Candidate] = []
    for opening, closing in statement.quotations:
        first, last = strip_span(plain, opening + 1, closing)
        while last > first and plain[last - 1] in _TRAILING_PUNCTUATION:
            last -= 1
        taken.add(opening, closing + 1)
        if any(char.isalnum() for char in plain[first:last]):
            candidates.append(
                Candidate(ClaimKind.QUOTE, first, last, marked=(opening, closing + 1))
            )
    for candidate in _unmarked_quotes(statement.prose, statement.links, sentences, taken):
        taken.add(candidate.start, candidate.end)
        candidates.append(candidate)
    listed_to = 0  # the end of the last unclosed quotation listed
    for opening in statement.unclosed:
        if opening < listed_to or taken.overlaps(opening, opening + 1):
            continue  # part of an unclosed quotation (or a quote-like claim) already listed
        index = statement.sentence_at(opening)
        stop = sentences[index][1] if index is not None else opening + 1
        first, last = strip_span(plain, opening + 1, max(stop, opening + 1))
        if last > first:
            candidates.append(Candidate(ClaimKind.QUOTE, first, last, problem=UNCLOSED))
            listed_to = last
    return candidates


def _unmarked_quotes(
    prose: Prose,
    links: Sequence[StatementLink],
    sentences: Sequence[tuple[int, int]],
    taken: Spans,
) -> list[Candidate]:
    """Quote-like claims without quotation marks: a so-called term that is a link's text, and
    the content of a norm ("which guarantees that …")."""
    plain = prose.text
    found: list[Candidate] = []
    for link in links:
        if link.text_start is None or link.text_end is None:
            continue
        first, last = strip_span(plain, prose.at(link.text_start), prose.at(link.text_end))
        if (
            last > first
            and _SO_CALLED.search(plain, max(0, first - 30), first)
            and not taken.overlaps(first, last)
        ):
            found.append(Candidate(ClaimKind.QUOTE, first, last))
    for start, end in sentences:
        for match in _NORM_CONTENT.finditer(plain, start, end):
            first, last = strip_span(plain, match.end(), end)
            while last > first and plain[last - 1] in ".!?…" + _TRAILING_PUNCTUATION:
                last -= 1
            if len(plain[first:last].split()) >= _MIN_NORM_WORDS and not taken.overlaps(
                first, last
            ):
                found.append(Candidate(ClaimKind.QUOTE, first, last))
                break
    return found


def _date_candidates(
    plain: str,
    taken: Spans,
    dated: Spans,
    language: str | None,
    reference_date: dt.date | None,
) -> list[Candidate]:
    """The dates outside ``taken``, and the text shaped like a date that is none, each added to
    ``dated``."""
    candidates = []
    for found in find_dates(plain, reference=reference_date or _ANY_REFERENCE, language=language):
        if taken.overlaps(found.start, found.end):
            continue
        dated.add(found.start, found.end)
        if found.relative and reference_date is None:
            candidates.append(
                Candidate(ClaimKind.DATE, found.start, found.end, problem=RELATIVE, widen=True)
            )
        else:
            candidates.append(
                Candidate(ClaimKind.DATE, found.start, found.end, str(found.value), widen=True)
            )
    for shape in _date_shape().finditer(plain):
        if not dated.overlaps(*shape.span()) and not taken.overlaps(*shape.span()):
            dated.add(*shape.span())
            candidates.append(
                Candidate(ClaimKind.DATE, *shape.span(), problem=NO_SUCH_DATE, widen=True)
            )
    return candidates


@functools.cache
def _date_shape() -> re.Pattern[str]:
    """Text shaped like a date: a month name with a day and a year, or three numbers."""
    months = "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted(MONTH_WORDS, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w.])(?:\d{{1,2}}\.?\s+(?:{months})\s+\d{{4}}"
        rf"|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\w)",
        re.IGNORECASE,
    )
