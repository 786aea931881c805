"""Figures in a statement's prose: which numbers count something, and the words that make a
figure checkable.

Figures come from :func:`~claimcheck.language.find_figures` (digits in any convention, number
words, scale words, hedges). A figure claim runs from the hedge ("around", "rund") to the end of
the words that say what is counted: up to four words after the number, stopping at
punctuation, at a function word ("in", "who", "of"), before a verb it is the subject of ("500
died") and after the head noun (a plural or a capitalised word): "around 189 Syrians",
"Approximately 500 other Syrians", "100,000 Syrians", "26 states", "nine civil society
organizations", "ten-year anniversary", "rund 500 Syrer". A ratio or a range ("3 in 4
returnees", "10-12 people") is one claim, valued at its first number as the claims loader reads
such a text. Not figures: numbers in dates; section, article and other reference numbers
("section 7.3", "Article 33", "§ 7", "Nr. 5", and numbers listed after them); footnote markers
(superscripts, ``[1]``, ``<sup>``); list numbering; numbers in URLs, code and markup; times
("10:30", "3pm"); telephone numbers; numbers glued to a word ("COVID-19"). A four-digit number
that no date cue makes a year ("the 2019 decision") is a date with a problem: a year or a count,
the author decides.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final

import attrs

from ..language import (
    CURRENCY_SIGNS,
    HEDGE_WORDS,
    NUMBER_PAIR,
    PERCENT,
    STOPWORDS,
    Figure,
    find_figures,
)
from ..model import ClaimKind
from ._candidates import BARE_YEAR, Candidate, Spans
from ._prose import Prose
from ._quotations import sentence_index

__all__ = ["figure_candidates"]

_REFERENCE_WORDS: Final = frozenset(
    # English
    "section sections article articles paragraph paragraphs chapter chapters clause clauses "
    "rule rules resolution resolutions protocol protocols annex annexes appendix appendices "
    "volume volumes page pages number numbers item items footnote footnotes note notes table "
    "tables figure figures"
    # German
    " abschnitt abschnitte artikel absatz absätze kapitel ziffer ziffern seite seiten "
    "paragraf paragrafen anhang anlage resolutionen"
    # French
    " alinéa alinéas chapitre chapitres paragraphe paragraphes annexe annexes résolution".split()
)
# Abbreviations that name a reference only with their full stop ("No. 5", "S. 12").
_REFERENCE_ABBREVIATIONS: Final = frozenset(
    "art arts para paras sec secs ch chap cl no nos nr p pp vol vols fig figs abs s ziff "
    "kap art".split()
)
_WORD_BEFORE: Final = re.compile(r"([^\W\d_]+)(\.?)[^\S\n]*$")
_REFERENCE_SIGN: Final = re.compile(r"(?:§§?|¶|#|n°|nº|No\.?)[^\S\n]*$", re.IGNORECASE)
_REFERENCE_LIST: Final = re.compile(
    r"[^\S\n]*(?:,|,?[^\S\n]*(?:and|or|to|through|und|oder|bis|et|ou|à)|[-–—])[^\S\n]*",
    re.IGNORECASE,
)
_TIME_AFTER: Final = re.compile(
    r"[^\S\n]?(?:[ap]\.?[^\S\n]?m\.?(?![^\W\d_])|uhr(?![^\W\d_]))|:\d", re.IGNORECASE
)
_PHONE: Final = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,5}(?!\w)"
)
_PHONE_CUE: Final = re.compile(
    r"(?:tel|phone|telephone|fax|call|mobile|telefon|téléphone|tél)\.?:?[^\S\n]*$", re.IGNORECASE
)
_LIST_NUMBER: Final = re.compile(r"^[^\S\n]*\d{1,3}[.)](?=[^\S\n])", re.MULTILINE)
_COMPOUND: Final = re.compile(r"-[^\W\d_]+(?:-[^\W\d_]+)*")
_NEXT_WORD: Final = re.compile(r"[^\S\n]+(?:\n[^\S\n]*)?([^\W\d_][\w'’]*(?:-[\w'’]+)*)")
_NOUN_PHRASE_WORDS: Final = frozenset({"other", "more", "such", "own", "same", "further"})
_STOPS: Final = (STOPWORDS | HEDGE_WORDS) - _NOUN_PHRASE_WORDS
_PLURAL_HEADS: Final = frozenset(
    "people children men women staff police personnel persons cattle".split()
)
_NOT_PLURAL: Final = frozenset(
    "this was has his its is as us thus plus less across always perhaps news series species "
    "whereas".split()
)
_MAX_NOUN_WORDS: Final = 4


def _is_head(word: str) -> bool:
    """Whether a word after a number ends what is counted: a capitalised word (a people, a
    German noun) or a plural."""
    lower = word.casefold()
    if word[0].isupper() or lower in _PLURAL_HEADS:
        return True
    return (
        len(lower) > 3
        and lower.endswith("s")
        and not lower.endswith(("ss", "ous", "is", "us"))
        and lower not in _NOT_PLURAL
    )


def _is_verb(word: str, following: re.Match[str] | None) -> bool:
    """Whether a word after a number is the verb it is the subject of ("500 more waited.",
    "189 died, …"): a past form that no noun follows ("500 displaced people" goes on)."""
    ends_phrase = following is None or following.group(1).casefold() in _STOPS
    return ends_phrase and word.islower() and len(word) > 3 and word.endswith("ed")


def _figure_extent(view: Prose, figure: Figure, limit: int) -> tuple[int, int]:
    """The figure with its hedge (or currency sign) and the words after it that say what it
    counts, up to ``limit`` (the end of its sentence); only across text written as such."""
    plain = view.text
    start = figure.hedge_start if figure.hedge_start is not None else figure.start
    if start == figure.start and start > 0 and plain[start - 1] in CURRENCY_SIGNS:
        start -= 1
    end = figure.end
    percent = PERCENT.match(plain, end, limit)
    if percent is not None and "\n" not in percent.group():  # not across a line
        end = percent.end()
    compound = _COMPOUND.match(plain, end, limit)
    if compound is not None and view.verbatim(start, compound.end()):
        end = compound.end()
    words = 0
    while words < _MAX_NOUN_WORDS:
        match = _NEXT_WORD.match(plain, end, limit)
        if match is None or not view.verbatim(start, match.end()):
            break
        word = match.group(1)
        if word.casefold() in _STOPS:
            break
        following = _NEXT_WORD.match(plain, match.end(), limit)
        if _is_verb(word, following):
            break
        end = match.end()
        words += 1
        if _is_head(word):
            more_names = (
                word[0].isupper()
                and following is not None
                and following.group(1)[0].isupper()
                and following.group(1).casefold() not in _STOPS
            )
            if not more_names:
                break
    return start, end


def _reference_number(plain: str, start: int, previous_reference: int | None) -> bool:
    """Whether the number at ``start`` is a reference ("section 7.3", "Article 33", "§ 7",
    "No. 5"), or listed after one ("sections 7.2 and 7.3")."""
    before = plain[max(0, start - 40) : start]
    if _REFERENCE_SIGN.search(before):
        return True
    word = _WORD_BEFORE.search(before)
    if word is not None:
        lower = word.group(1).casefold()
        if lower in _REFERENCE_WORDS or (word.group(2) and lower in _REFERENCE_ABBREVIATIONS):
            return True
    return previous_reference is not None and (
        _REFERENCE_LIST.fullmatch(plain, previous_reference, start) is not None
    )


def _not_a_figure(
    plain: str,
    figure: Figure,
    phones: Sequence[tuple[int, int]],
    line_starts: Sequence[int],
) -> bool:
    """Numbers that count nothing: times, telephone numbers (``phones``, sorted and disjoint),
    footnote markers, list numbers, numbers glued to a word ("COVID-19"). ``line_starts`` are
    the offsets of the lines of ``plain``."""
    start, end = figure.start, figure.end
    before = plain[start - 1] if start > 0 else ""
    after = plain[end] if end < len(plain) else ""
    if _TIME_AFTER.match(plain, end) or (before == ":" and plain[start - 2 : start - 1].isdigit()):
        return True
    phone = bisect.bisect_right(phones, start, key=lambda span: span[0]) - 1
    if phone >= 0 and end <= phones[phone][1]:
        return True
    if (before, after) == ("[", "]") or (
        (before, after) == ("(", ")") and len(figure.surface) <= 2
    ):
        return True
    if figure.surface[:1].isdigit() and (
        re.search(r"[^\W\d_][-/]$", plain[max(0, start - 2) : start])
        or re.match(r"/[^\W\d_]", plain[end : end + 2])
    ):
        return True
    line_start = line_starts[bisect.bisect_right(line_starts, start) - 1]
    listed = _LIST_NUMBER.match(plain, line_start)
    return listed is not None and listed.end() - 1 == end


def _phones(plain: str) -> list[tuple[int, int]]:
    """Telephone numbers: a run of digit groups written with a country code, an area code in
    parentheses, as 555-1234, or after "tel", "phone", "fax"."""
    found = []
    for match in _PHONE.finditer(plain):
        digits = sum(char.isdigit() for char in match.group())
        text = match.group()
        if digits < 7:
            continue
        if (
            text.startswith("+")
            or "(" in text
            or re.fullmatch(r"\d{3}-\d{3}-\d{4}|\d{3}-\d{4}", text)
            or _PHONE_CUE.search(plain, max(0, match.start() - 20), match.start())
        ):
            found.append(match.span())
    return found


def figure_candidates(
    prose: Prose,
    sentences: Sequence[tuple[int, int]],
    skip: Sequence[Spans],
    language: str | None,
) -> list[Candidate]:
    """The figures of the prose that count something (see the module documentation), as
    candidates; numbers within ``skip`` (quotations, dates) are not figures."""
    plain = prose.text
    sentence_starts = [start for start, _ in sentences]
    phones = _phones(plain)
    plain_lines = [0, *(match.end() for match in re.finditer("\n", plain))]
    candidates: list[Candidate] = []
    previous_reference: int | None = None
    previous: tuple[Figure, int] | None = None  # the last figure proposed, and its candidate
    for figure in find_figures(plain, language=language):
        if any(spans.overlaps(figure.start, figure.end) for spans in skip):
            continue
        if _reference_number(plain, figure.start, previous_reference):
            previous_reference = figure.end
            continue
        if _not_a_figure(plain, figure, phones, plain_lines):
            continue
        if figure.looks_like_year:
            candidates.append(
                Candidate(ClaimKind.DATE, figure.start, figure.end, problem=BARE_YEAR)
            )
            continue
        index = sentence_index(sentence_starts, figure.start)
        limit = sentences[index][1] if index is not None else len(plain)
        start, end = _figure_extent(prose, figure, max(limit, figure.end))
        if previous is not None and NUMBER_PAIR.fullmatch(plain, previous[0].end, figure.start):
            # A ratio or a range ("3 in 4 returnees", "10-12 people") is one figure claim; its
            # value is its first number, as the claims loader reads such a text.
            joined = candidates[previous[1]]
            if joined.end <= figure.start:
                candidates[previous[1]] = attrs.evolve(joined, end=end)
                continue
        value = format(figure.value.normalize(), "f")
        previous = figure, len(candidates)
        candidates.append(Candidate(ClaimKind.FIGURE, start, end, value, widen=True))
    return candidates
