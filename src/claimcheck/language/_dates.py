"""Dates in claims and in sources: recognition, granularity, relative dates and comparison.

A statement says "October 2017"; its source says "10 September 2017", "oktober 2017" or "last
month". This module finds such dates in text and reduces each one to a :class:`DateValue` that
keeps its *granularity*: "October 2017" is a month, never the first (or today's) day of it, so a
claim and a source are compared only as precisely as both of them speak (:func:`compare_dates`).

Recognition is a regex layer of our own, built from tables of month names, qualifier words and
relative expressions for English, Danish, Dutch, French, German and Arabic; values are computed from
what the patterns captured, never guessed. dateparser is used only as a last resort by
:func:`parse_date`, on a whole short claim text that the tables do not cover (another language);
it is never run over a source (``search_dates`` swallows neighbouring words and makes a bare year
inherit the day and month of an earlier date).

The rules, which are deliberate:

- **Month names** of every supported language are always recognised, whatever ``language`` says,
  but only next to a number: a day ("15 March", "March 15", "15. marts"), a year ("October 2017")
  or both. English "May", "March" and "Mar" count only when capitalised ("you may 15 …" is not a
  date). Years next to a month name may be 1000-2199.
- **Numeric dates** need all three parts and a four-digit year: ``2021-03-15`` (also with ``/`` or
  ``.``) is year-month-day; ``15.03.2021``, ``15/03/2021`` and ``15-03-2021`` are day-month-year
  unless the numbers rule it out (``03/15/2021`` is month-day-year because there is no month 15).
  A date both ways ambiguous (``03/04/2021``) is month-day-year only when ``language`` is ``"en"``
  or ``"en-US"`` (American usage, and dateparser's default for English), and day-month-year for
  any other language, for ``"en-GB"`` and for no language. Dotted dates are always day-month-year.
  Two-digit years (``15.03.21``) are not dates.
- **Bare years** (1800-2100) are dates only with a cue, so that "100,000 Syrians", "2,019 people"
  or "2019 people" never are: a preposition or qualifier right before it ("in 2019", "since 2011",
  "mid-2020", "by 2025", "i 2019", "seit 2019", "depuis 2019", "منذ 2019", "عام 2019"), possibly
  through articles and year words ("in the year 2019", "im Jahr 2019"), a year listed after such a
  year ("in 2018 and 2019"), parentheses ("(2019)"), a possessive ("2019's"), a range
  ("2019-2020", "2019/20", "between 2019 and 2020") or a decade ("the 1990s", "1990er",
  "1990'erne", "les années 1990"). A year followed by "%" or a time unit ("vor 2000 Jahren") is
  not one. :func:`parse_date` alone also accepts an uncued year as a claim's last resort.
- **Ranges** keep their start as ``value`` and their end as ``until``, at one granularity:
  "2019-2020" is 2019 until 2020, "2-25 July 1952" is 1952-07-02 until 1952-07-25, "15 December
  - 5 January 2021" is 2020-12-15 until 2021-01-05, "March-May 2021" is 2021-03 until 2021-05,
  "the 1990s" is 1990 until 1999. "2010-12" is 2010 until 2012, never December 2010.
- **Qualifiers** ("since", "until", "before", "after", "by", "early", "mid", "late" and their
  translations, "the end of", "Anfang", "fin", "مطلع" …) right before a date are reported in English
  in :attr:`FoundDate.qualifier`, and the span covers them ("since 2019"). Neutral cues ("in",
  "im", "en", "في") are not part of the span. A year or month after "the" qualifies a noun, not
  the word before it: "by the October 2017 statement" has no qualifier.
- **Relative dates** ("today", "yesterday", "this/last/next week|month|year", "N days|weeks|
  months|years ago" and their Danish, Dutch, French, German and Arabic equivalents) are resolved
  against ``reference`` at their natural granularity ("last month" is a month) and skipped when
  there is no reference. A week is the ISO week (Monday to Sunday): ``value`` is its Monday and
  ``until`` its Sunday. Dates without a year ("15 March", "February 21st") take the year that puts
  them closest to ``reference``, count as relative, and are skipped without a reference.
- **Language**: ``language`` (a tag such as ``"da"`` or ``"en-US"``) decides the order of ambiguous
  numeric dates and which language's cue, qualifier and relative words apply (that language and
  English). Without it, or for a language without tables, the words of every supported language
  apply, except a few that are ordinary words elsewhere (French "hier", yesterday, is German for
  "here" and is recognised only for ``language="fr"``).

Not recognised, on purpose or for now: a month without a day or year ("in March"), weekdays ("on
Tuesday"), seasons and periods ("last summer", "the past year"), two-digit years, lowercase
English month names, and calendars other than the Gregorian (Hijri dates).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from ._date_values import VALUE_FORMAT, DateValue, FoundDate, Granularity, parse_date_value
from ._date_words import (
    AGO,
    CAPITALISED_ONLY,
    COUNT_WORDS,
    FILLERS,
    LANGUAGES,
    MONTH_ABBREVIATIONS,
    MONTH_BY_WORD,
    MONTH_TOKENS,
    QUALIFIERS,
    RANGE_FROM,
    RANGE_TO,
    RELATIVE,
    RELATIVE_ANCHORS,
    UNITS,
    YEAR_CUES,
    all_forms,
)
from ._tags import language_tag, primary_language

if TYPE_CHECKING:  # dateparser is imported when first asked (start-up, issue 17)
    from dateparser.date import DateDataParser

__all__ = ["find_dates", "parse_date"]

_FLAGS = re.IGNORECASE | re.VERBOSE
_DASH = r"[-‐‑‒–—−]"
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _phrase(form: str) -> str:
    """A regex for a table phrase: escaped, any whitespace between its words."""
    return r"\s+".join(re.escape(word) for word in form.split())


def _alternation(forms: Iterable[str]) -> str:
    """A regex alternation of table phrases, longest first so that the longest one wins.

    Arabic phrases may carry an attached "و" (and) or "ف" (so) in front.
    """
    unique = sorted(set(forms), key=lambda form: (-len(form), form))
    return "|".join(
        f"(?:[وف])?{_phrase(form)}" if _ARABIC.match(form) else _phrase(form) for form in unique
    )


def _month_regex() -> str:
    abbreviations = {form for form, _ in all_forms(MONTH_ABBREVIATIONS)}
    items: list[tuple[str, str]] = []
    for form in MONTH_BY_WORD:
        dot = r"\.?" if form in abbreviations else ""
        regex = _phrase(form) + dot
        if form in CAPITALISED_ONLY:
            regex = f"(?-i:{re.escape(form.capitalize())}|{re.escape(form.upper())}){dot}"
            if dot:  # with its full stop an abbreviation is no English word ("15. mar. 2021")
                regex = rf"(?:{regex}|{_phrase(form)}\.)"
        items.append((form, regex))
    items.sort(key=lambda item: (-len(item[0]), item[0]))
    return r"(?<!\w)(?:" + "|".join(regex for _, regex in items) + r")(?!\w)"


_MONTH = _month_regex()
# A year next to a month name or in a numeric date.
_YEAR = r"[12][0-9]{3}(?![0-9])(?![.,][0-9])"
# A year standing alone.
_BARE_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2}|2100)(?![0-9])(?![.,][0-9])"
_DAY = r"[0-3]?[0-9](?![0-9])"
_RANGE = rf"(?:\s*{_DASH}\s*|\s+(?:to|and|through|til|og|tot|en|à|au|et|bis|und|إلى|الى)\s+)"
_RANGE_OF_MONTHS = (
    rf"(?:\s*{_DASH}\s*|\s+(?:to|and|through|until|til|og|tot|à|au|et|bis|und|إلى|الى)\s+)"
)

_RANGE_ACROSS = rf"(?:\s*{_DASH}\s*|\s+(?:to|through|until|til|tot|à|au|bis|إلى|الى)\s+)"
_SUFFIX = r"(?:st|nd|rd|th|er|\.)?"

# "15 March 2021", "15th of March, 2021", "15. marts 2021", "1er mars", "2-25 July 1952",
# "15 March – 2 April 2021".
_DAY_FIRST = re.compile(
    rf"""
    (?<![\w.,:/])(?<![0-9]{_DASH})
    (?P<d>{_DAY}){_SUFFIX}
    (?:{_RANGE}(?P<d2>{_DAY}){_SUFFIX})?
    \s*(?:of\s+)?
    (?P<m>{_MONTH})(?:\s*/\s*(?P<ma>{_MONTH}))?
    (?:
        {_RANGE_ACROSS}(?P<d3>{_DAY}){_SUFFIX}\s*(?:of\s+)?(?P<m3>{_MONTH})
        [\s,،]*(?:of\s+)?(?P<y3>{_YEAR})
      | (?:[\s,،]*(?:of\s+)?(?P<y>{_YEAR}))?
    )
    """,
    _FLAGS,
)

# "March 15, 2021", "March 15-18, 2021", "March 15 - April 2, 2021", "February 21st";
# "October 2017", "March-May 2021".
_MONTH_FIRST = re.compile(
    rf"""
    (?P<m>{_MONTH})(?:\s*/\s*(?P<ma>{_MONTH}))?
    (?:
        \s+(?P<d>{_DAY})(?:st|nd|rd|th)?(?!\w)
        (?:
            {_RANGE_ACROSS}(?P<m3>{_MONTH})\s+(?P<d3>{_DAY})(?:st|nd|rd|th)?(?!\w)
            [\s,]*(?P<y3>{_YEAR})
          | (?:{_RANGE}(?P<d2>{_DAY})(?:st|nd|rd|th)?(?!\w))?
            (?:[\s,]*(?P<y>{_YEAR}))?
        )
      |
        (?:{_RANGE_OF_MONTHS}(?P<m2>{_MONTH}))?
        [\s,،]*(?:of\s+)?(?P<y2>{_YEAR})
    )
    """,
    _FLAGS,
)

# "2021-03-15", "2021/03/15"; "15.03.2021", "15/03/2021", "03/15/2021".
_NUMERIC = re.compile(
    r"""
    (?<![\w.,/:-])
    (?:
        (?P<iy>[12][0-9]{3})(?P<isep>[-/.])(?P<im>[0-9]{1,2})(?P=isep)(?P<id>[0-9]{1,2})
      | (?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)(?P<ny>[12][0-9]{3})
    )
    (?![0-9])(?![.,/:-][0-9])
    """,
    _FLAGS,
)

# "2019-2020", "2019/20", "1939–45"; decades "1990s", "the 1990's", "1990er", "1990'erne".
_YEAR_SPAN = re.compile(
    rf"""
        (?<![\w.,/:-])(?P<y1>{_BARE_YEAR})\s*(?:{_DASH}|/)\s*(?P<y2>[12][0-9]{{3}}|[0-9]{{2}})
        (?![0-9])(?![.,/:-][0-9])
      | (?<![\w.,])(?P<dy>(?:1[89]|20)[0-9]0)(?:s|er|erne|'erne)(?!\w)
      | (?<=the\s)(?P<ay>(?:1[89]|20)[0-9]0)'s(?!\w)
      | (?<!\w)(?:années|annees)\s+(?P<fy>(?:1[89]|20)[0-9]0)(?![0-9])
    """,
    _FLAGS,
)

# "between 2019 and 2020", "von 2019 bis 2020", "بين 2019 و2020".
_FROM_TO = re.compile(
    rf"""
    (?<!\w)(?:{_alternation(RANGE_FROM)})\s+(?:(?:{_alternation(FILLERS)})\s+)*
    (?P<y1>{_BARE_YEAR})
    (?:\s*{_DASH}\s*|\s+(?:{_alternation(RANGE_TO)})\s+|\s+و\s*)
    (?P<y2>{_BARE_YEAR})
    """,
    _FLAGS,
)

# A number that might be a year on its own.
_LONE_YEAR = re.compile(rf"(?<![\w.,]){_BARE_YEAR}")
# What must not follow a year on its own: a percentage or a time unit ("by 2000%", "vor 2000
# Jahren", "2000 years"); French "an" is left out, as English "In 2019 an election" is common.
_DURATION_UNITS = {word for units in UNITS.values() for word in units} - {"an"}
_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|‰|per\s*cent|percent|procent|prozent|pour\s*cent|في\s*المئة)(?!\w)"
    rf"|\s*(?:{_alternation(_DURATION_UNITS)})(?!\w)",
    re.IGNORECASE,
)
# "in 2018 and 2019", "in 2017, 2018 or 2019": years listed after a cued one.
_LISTED = re.compile(
    rf"(?:\s*,\s*{_BARE_YEAR})*\s*,?\s*(?:and|or|&|og|eller|en|of|et|ou|und|oder|و)\s*{_BARE_YEAR}",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"'s(?!\w)", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")

_APOSTROPHES = "’‘ʼ′`´"
_NORMALISED = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended Arabic-Indic digits
    **dict.fromkeys(_APOSTROPHES, "'"),
}
_TO_NORMALISE = re.compile(f"[{re.escape(''.join(_NORMALISED))}]")


def _normalise(text: str) -> str:
    """Map Arabic-Indic digits to ASCII and typographic apostrophes to "'", one character for
    one, so that offsets in the result are offsets in the text."""
    # re.sub is several times faster than str.translate when few characters change.
    return _TO_NORMALISE.sub(lambda match: _NORMALISED[match[0]], text)


@attrs.frozen
class _Patterns:
    """The patterns that depend on the languages: cues, qualifiers and relative expressions."""

    languages: tuple[str, ...]
    cue: re.Pattern[str]  # ends at the date; group "q<i>" for a qualifier, "c" for a neutral cue
    qualifiers: Mapping[str, str]  # group name -> qualifier
    relative: re.Pattern[str]
    relative_meanings: Mapping[str, tuple[str, int]]  # group name -> (unit, offset)
    ago: re.Pattern[str]
    anchors: frozenset[str]  # words near which to try `relative` and `ago`


@functools.cache
def _patterns(languages: tuple[str, ...], explicit: str | None) -> _Patterns:
    """Compile the patterns for a set of languages (cached: compiling takes milliseconds)."""
    keys = [*languages, *([f"{explicit}!"] if explicit else [])]
    groups: list[str] = []
    qualifiers: dict[str, str] = {}
    for index, (qualifier, by_language) in enumerate(QUALIFIERS.items()):
        phrases = [phrase for key in keys for phrase in by_language.get(key, ())]
        groups.append(f"(?P<q{index}>{_alternation(phrases)})")
        qualifiers[f"q{index}"] = qualifier
    groups.append(f"(?P<c>{_alternation(c for lang in languages for c in YEAR_CUES[lang])})")
    fillers = rf"(?:(?:{_alternation(FILLERS)})\s+|l'\s*)*"
    cue = re.compile(
        rf"(?<!\w)(?:{'|'.join(groups)})(?:\s+|\s*{_DASH}\s*){fillers}$", re.IGNORECASE
    )

    groups = []
    meanings: dict[str, tuple[str, int]] = {}
    for index, (key, regex, unit, offset) in enumerate(RELATIVE):
        if key not in keys:
            continue
        if _ARABIC.search(regex):
            regex = f"(?:[وفب])?(?:{regex})"
        groups.append(f"(?P<r{index}>{regex})")
        meanings[f"r{index}"] = (unit, offset)
    relative = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)", re.IGNORECASE)

    branches = []
    for lang in languages:
        numbers = "|".join(["[0-9]{1,4}", *COUNT_WORDS[lang]])
        branches.append(AGO[lang].format(n=numbers, u=_alternation(UNITS[lang])))
    ago = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)", re.IGNORECASE)

    anchors = {word for lang in languages for word in (*UNITS[lang], *RELATIVE_ANCHORS[lang])}
    return _Patterns(
        languages=languages,
        cue=cue,
        qualifiers=qualifiers,
        relative=relative,
        relative_meanings=meanings,
        ago=ago,
        anchors=frozenset(word.casefold() for word in anchors),
    )


def _patterns_for(language: str | None) -> _Patterns:
    primary = primary_language(language)
    if primary in LANGUAGES:
        return _patterns(tuple(sorted({primary, "en"})), primary)
    return _patterns(LANGUAGES, primary)


# --- Recognition --------------------------------------------------------------------------------


@attrs.frozen
class _Candidate:
    """A span that reads as a date. ``value`` is None for text that has the shape of a date but
    is none ("31 February 2021"): it still keeps shorter readings of its text out."""

    start: int
    end: int
    value: DateValue | None
    until: DateValue | None = None
    relative: bool = False
    year_given: bool = True


def _date_or_none(year: int, month: int | None = None, day: int | None = None) -> DateValue | None:
    try:
        return DateValue(year, month, day)
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return MONTH_BY_WORD[" ".join(text.casefold().rstrip(".").split())]


def _months(match: re.Match[str]) -> tuple[int, int | None]:
    """The month of a match and the other one of "March/April" (None for "آذار/مارس")."""
    month = _month_number(match["m"])
    other = _month_number(match["ma"]) if match["ma"] else None
    return month, (None if other == month else other)


def _nearest_year(month: int, day: int, reference: dt.date) -> int | None:
    """The year that puts a day written without one closest to the reference date."""
    best: tuple[int, int] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        if not 1 <= year <= 9999 or day > calendar.monthrange(year, month)[1]:
            continue
        distance = abs((dt.date(year, month, day) - reference).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    return None if best is None else best[1]


def _day_candidate(match: re.Match[str], reference: dt.date | None) -> _Candidate | None:
    start, end = match.span()
    month, other_month = _months(match)
    if other_month is not None:  # "15 March/April" is no day
        return _Candidate(start, end, None)
    day = int(match["d"])
    if match["y3"]:
        return _across_months_candidate(match, month, day)
    last_day = int(match["d2"]) if match["d2"] else None
    year: int | None
    if match["y"] is None:
        if reference is None:
            return None
        year = _nearest_year(month, day, reference) if 1 <= day <= 31 else None
    else:
        year = int(match["y"])
        if not 1000 <= year <= 2199:
            year = None
    if year is None:
        return _Candidate(start, end, None)
    value = _date_or_none(year, month, day)
    until = None if last_day is None else _date_or_none(year, month, last_day)
    if last_day is not None and (until is None or last_day <= day):
        value = None
    no_year = match["y"] is None
    return _Candidate(start, end, value, until, relative=no_year, year_given=not no_year)


def _across_months_candidate(match: re.Match[str], month: int, day: int) -> _Candidate:
    """A range across months, whose start takes the year of its end: "15 March - 2 April 2021",
    or the year before it: "15 December - 5 January 2021"."""
    year, last_month, last_day = int(match["y3"]), _month_number(match["m3"]), int(match["d3"])
    first_year = year if (month, day) < (last_month, last_day) else year - 1
    value = until = None
    if first_year >= 1000 and year <= 2199 and not match["d2"]:
        value = _date_or_none(first_year, month, day)
        until = _date_or_none(year, last_month, last_day)
    if until is None:
        value = None
    return _Candidate(match.start(), match.end(), value, until)


def _month_year_candidate(match: re.Match[str]) -> _Candidate:
    start, end = match.span()
    month, last_month = _months(match)
    if match["m2"]:
        if last_month is not None:
            return _Candidate(start, end, None)
        last_month = _month_number(match["m2"])
    year = int(match["y2"])
    if not 1000 <= year <= 2199 or (last_month is not None and last_month <= month):
        return _Candidate(start, end, None)
    until = None if last_month is None else DateValue(year, last_month)
    return _Candidate(start, end, DateValue(year, month), until)


def _numeric_candidate(match: re.Match[str], month_first: bool) -> _Candidate:
    if match["iy"]:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        a, b, year = int(match["a"]), int(match["b"]), int(match["ny"])
        if match["sep"] == "." or a > 12 >= b:
            month_first = False
        elif b > 12 >= a:
            month_first = True
        month, day = (a, b) if month_first else (b, a)
    value = _date_or_none(year, month, day) if 1000 <= year <= 2199 else None
    return _Candidate(match.start(), match.end(), value)


def _year_span_candidate(match: re.Match[str]) -> _Candidate | None:
    if match["y1"]:
        first, second = int(match["y1"]), int(match["y2"])
        if len(match["y2"]) == 2:
            second += first // 100 * 100
        if not first < second <= min(first + 100, 2100):
            return None
        return _Candidate(match.start(), match.end(), DateValue(first), DateValue(second))
    decade = int(match["dy"] or match["ay"] or match["fy"])
    return _Candidate(match.start(), match.end(), DateValue(decade), DateValue(decade + 9))


def _shift(reference: dt.date, unit: str, offset: int) -> tuple[DateValue, DateValue | None]:
    """Resolve "offset units from the reference date", at the unit's granularity."""
    if unit == "day":
        day = reference + dt.timedelta(days=offset)
        return DateValue(day.year, day.month, day.day), None
    if unit == "week":
        monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=offset)
        sunday = monday + dt.timedelta(days=6)
        return (
            DateValue(monday.year, monday.month, monday.day),
            DateValue(sunday.year, sunday.month, sunday.day),
        )
    if unit == "month":
        year, month = divmod(reference.year * 12 + reference.month - 1 + offset, 12)
        return DateValue(year, month + 1), None
    return DateValue(reference.year + offset), None


def _relative_candidate(
    match: re.Match[str], patterns: _Patterns, reference: dt.date
) -> _Candidate | None:
    if match.re is patterns.relative:
        assert match.lastgroup is not None
        unit, offset = patterns.relative_meanings[match.lastgroup]
    else:
        lang = next(lang for lang in patterns.languages if match[f"n_{lang}"] is not None)
        number = match[f"n_{lang}"]
        count = int(number) if number.isdigit() else COUNT_WORDS[lang][number.casefold()]
        unit, offset = UNITS[lang][match[f"u_{lang}"].casefold()], -count
    try:
        value, until = _shift(reference, unit, offset)
    except (ValueError, OverflowError):  # before year 1 or after 9999
        return None
    return _Candidate(match.start(), match.end(), value, until, relative=True)


def _word_candidates(
    norm: str, patterns: _Patterns, reference: dt.date | None
) -> Iterator[_Candidate]:
    """Month-first and relative dates, tried only where a month or relative word is: one pass
    over the words is much faster than running their large alternations everywhere."""
    tried: set[int] = set()
    recent: list[int] = []  # where the last few words start
    for token in _TOKEN.finditer(norm):
        start, word = token.start(), token[0].casefold()
        if word in MONTH_TOKENS and (match := _MONTH_FIRST.match(norm, start)) is not None:
            if match["d"] is None:
                yield _month_year_candidate(match)
            elif (candidate := _day_candidate(match, reference)) is not None:
                yield candidate
        if reference is not None and (
            word in patterns.anchors or (word[0] in "وفب" and word[1:] in patterns.anchors)
        ):
            # A relative expression starts at most three words before its anchor word.
            for begin in (*recent[-3:], start):
                if begin in tried:
                    continue
                tried.add(begin)
                for pattern in (patterns.relative, patterns.ago):
                    if (match := pattern.match(norm, begin)) is not None and (
                        candidate := _relative_candidate(match, patterns, reference)
                    ) is not None:
                        yield candidate
        recent.append(start)
        del recent[:-3]


def _year_candidates(norm: str, patterns: _Patterns) -> Iterator[_Candidate]:
    """Years on their own, where something marks them as years (see the module docs)."""
    listed: set[int] = set()  # where years listed after a cued one start
    for match in _LONE_YEAR.finditer(norm):
        start, end = match.span()
        if _NOT_A_YEAR_AFTER.match(norm, end):
            continue
        if (
            start in listed
            or (norm[start - 1 : start] == "(" and norm[end : end + 1] == ")")
            or _POSSESSIVE.match(norm, end)
            or patterns.cue.search(norm, max(0, start - _CUE_WINDOW), start)
        ):
            yield _Candidate(start, end, DateValue(int(match[0])))
            if (chain := _LISTED.match(norm, end)) is not None:
                listed.update(year.start() for year in _LONE_YEAR.finditer(norm, end, chain.end()))


def _candidates(
    norm: str, patterns: _Patterns, reference: dt.date | None, month_first: bool
) -> Iterator[_Candidate]:
    """Every reading of the text as a date, overlapping ones included."""
    for match in _DAY_FIRST.finditer(norm):
        if (candidate := _day_candidate(match, reference)) is not None:
            yield candidate
    yield from _word_candidates(norm, patterns, reference)
    for match in _NUMERIC.finditer(norm):
        yield _numeric_candidate(match, month_first)
    for match in _YEAR_SPAN.finditer(norm):
        if (candidate := _year_span_candidate(match)) is not None:
            yield candidate
    for match in _FROM_TO.finditer(norm):
        first, second = int(match["y1"]), int(match["y2"])
        if first < second:
            yield _Candidate(
                match.start("y1"), match.end("y2"), DateValue(first), DateValue(second)
            )
    yield from _year_candidates(norm, patterns)


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Resolve overlaps: the longest reading wins, then the earliest. Readings that are not dates
    ("31 February 2021") win too, so that their parts are not read as dates."""
    chosen: list[_Candidate] = []
    starts: list[int] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        index = bisect.bisect_right(starts, candidate.start)
        if index > 0 and chosen[index - 1].end > candidate.start:
            continue
        if index < len(chosen) and chosen[index].start < candidate.end:
            continue
        chosen.insert(index, candidate)
        starts.insert(index, candidate.start)
    return chosen


_THE_BEFORE = re.compile(r"(?<!\w)the\s+$", re.IGNORECASE)


def _attributive(norm: str, cue_start: int, candidate: _Candidate) -> bool:
    """Whether a year or month after "the" qualifies a noun, not a preceding qualifier word:
    "evidenced by the October 2017 statement" is no "by October 2017"."""
    assert candidate.value is not None
    return (
        candidate.value.granularity < Granularity.DAY
        and candidate.until is None
        and _THE_BEFORE.search(norm, cue_start, candidate.start) is not None
    )


# How far before a date its cue or qualifier may start ("au début de l'année 2019").
_CUE_WINDOW = 40


def _find(
    text: str, reference: dt.date | None, language: str | None
) -> tuple[list[FoundDate], bool]:
    """The dates of a text, and whether some date-like text was no date."""
    norm = _normalise(text)
    patterns = _patterns_for(language)
    month_first = language_tag(language) in {"en", "en-us"}
    found: list[FoundDate] = []
    invalid = False
    previous_end = 0
    for candidate in _select(_candidates(norm, patterns, reference, month_first)):
        if candidate.value is None:
            invalid = True
            previous_end = candidate.end
            continue
        start, qualifier = candidate.start, None
        lower = max(previous_end, start - _CUE_WINDOW)
        cue = patterns.cue.search(norm, lower, start)
        if (
            cue is not None
            and cue.lastgroup is not None
            and cue.lastgroup != "c"
            and not _attributive(norm, cue.start(), candidate)
        ):
            start, qualifier = cue.start(), patterns.qualifiers[cue.lastgroup]
        found.append(
            FoundDate(
                value=candidate.value,
                start=start,
                end=candidate.end,
                surface=text[start : candidate.end],
                qualifier=qualifier,
                relative=candidate.relative,
                until=candidate.until,
                year_given=candidate.year_given,
            )
        )
        previous_end = candidate.end
    return found, invalid


def find_dates(
    text: str, *, reference: dt.date | None = None, language: str | None = None
) -> list[FoundDate]:
    """Find every date in a text, sorted by position.

    ``reference`` is the date relative expressions refer to, usually the publication date of the
    source; without it relative dates and dates without a year are skipped. ``language`` decides
    the order of ambiguous numeric dates and which cue and relative words apply; see the module
    documentation for the rules.
    """
    return _find(text, reference, language)[0]


_ANY_YEAR = re.compile(r"(?<![0-9])[12][0-9]{3}(?![0-9])")
_DATEPARSER_MAX_LENGTH = 64
_DATEPARSER_GRANULARITY = {"year": Granularity.YEAR, "month": Granularity.MONTH}


def parse_date(
    text: str, *, reference: dt.date | None = None, language: str | None = None
) -> FoundDate | None:
    """Read the date of a claim's text: its first date, or None.

    A date value on its own ("2017-10") is read as one. Otherwise the text is searched like a
    source (:func:`find_dates`): "the October 2017 statement by ..." gives 2017-10 (a month),
    "since 2019" gives 2019 with the qualifier "since", "this month" the reference's month (None
    without a reference). A short text that the tables do not cover (another language) is then
    given to dateparser, whose reading is kept only when it is of a year written in the text, and
    at the precision dateparser read. Last, a claim's uncued year counts ("the 2019 decision").
    Text shaped like an impossible date ("31 February 2021") gives None.
    """
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    if VALUE_FORMAT.fullmatch(stripped):
        try:
            value = parse_date_value(stripped)
        except ValueError:
            return None
        return FoundDate(value, offset, offset + len(stripped), stripped)
    dates, invalid = _find(text, reference, language)
    if dates or invalid:
        return dates[0] if dates else None
    norm = _normalise(text)
    if len(stripped) <= _DATEPARSER_MAX_LENGTH:
        parsed = _parse_with_dateparser(norm.strip(), language)
        if parsed is not None:
            return FoundDate(parsed, offset, offset + len(stripped), stripped)
    for match in _LONE_YEAR.finditer(norm):
        start, end = match.span()
        if not _NOT_A_YEAR_AFTER.match(norm, end) and not norm[end : end + 1].isalnum():
            return FoundDate(DateValue(int(match[0])), start, end, text[start:end])
    return None


@functools.lru_cache(maxsize=32)
def _date_data_parser(language: str | None) -> DateDataParser | None:
    """A dateparser parser per language (building one costs tens of milliseconds).

    No RELATIVE_BASE: only readings of a year written in the text are kept, never relative ones.
    dateparser is imported here, when first needed: it is a last resort, and its import costs
    more than most checks of dates (issue 17).
    """
    from dateparser.date import DateDataParser

    try:
        return DateDataParser(
            languages=None if language is None else [language],
            settings={"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"},
        )
    except ValueError:  # an invalid language code
        return None


def _parse_with_dateparser(text: str, language: str | None) -> DateValue | None:
    years = {int(year) for year in _ANY_YEAR.findall(text)}
    if not years:
        return None
    parser = _date_data_parser(primary_language(language))
    if parser is None:
        return None
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):  # a language dateparser does not know, a year past 9999
        return None
    date, period = data.date_obj, data.period
    if date is None or date.year not in years:
        return None
    granularity = _DATEPARSER_GRANULARITY.get(period or "day", Granularity.DAY)
    return DateValue(*(date.year, date.month, date.day)[:granularity])
