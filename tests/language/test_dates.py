"""Tests for date recognition: formats, languages, granularity, relative dates and comparison.

Internals tested directly (private modules): the month word tables
(``claimcheck.language._date_words``)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.language import (
    MONTH_WORDS,
    DateAgreement,
    DateValue,
    FoundDate,
    Granularity,
    compare_dates,
    find_dates,
    parse_date,
    parse_date_value,
)
from claimcheck.language._date_words import MONTH_ABBREVIATIONS, MONTH_NAMES

ENGLISH = (
    "January February March April May June July August September October November December".split()
)


def only(text: str, *, reference: dt.date | None = None, language: str | None = None) -> FoundDate:
    """The one date of a text."""
    dates = find_dates(text, reference=reference, language=language)
    assert len(dates) == 1, dates
    return dates[0]


def values(
    text: str, *, reference: dt.date | None = None, language: str | None = None
) -> list[str]:
    """The values of the dates of a text, as ISO strings."""
    return [str(d.value) for d in find_dates(text, reference=reference, language=language)]


# --- DateValue, parse_date_value, compare_dates --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "granularity", "iso", "human"),
    [
        (DateValue(2017), Granularity.YEAR, "2017", "2017"),
        (DateValue(2017, 10), Granularity.MONTH, "2017-10", "October 2017"),
        (DateValue(2017, 10, 15), Granularity.DAY, "2017-10-15", "15 October 2017"),
        (DateValue(987, 1, 2), Granularity.DAY, "0987-01-02", "2 January 987"),
    ],
)
def test_date_value_forms(value: DateValue, granularity: Granularity, iso: str, human: str) -> None:
    assert value.granularity is granularity
    assert str(value) == iso
    assert value.human() == human


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [
        (2021, None, 5),
        (2021, 13, None),
        (2021, 0, None),
        (2021, 2, 29),
        (2021, 4, 31),
        (0, None, None),
    ],
)
def test_date_value_rejects_impossible_dates(year: int, month: int | None, day: int | None) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the fault
        DateValue(year, month, day)


def test_date_value_accepts_leap_day() -> None:
    assert DateValue(2020, 2, 29).day == 29


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2017", DateValue(2017)),
        ("2017-10", DateValue(2017, 10)),
        ("2017-10-15", DateValue(2017, 10, 15)),
        ("  2017-10 ", DateValue(2017, 10)),
        (2017, DateValue(2017)),
        (dt.date(2017, 10, 15), DateValue(2017, 10, 15)),
        (dt.datetime(2017, 10, 15, 12, 30), DateValue(2017, 10, 15)),
    ],
)
def test_parse_date_value(given: str | int | dt.date, expected: DateValue) -> None:
    assert parse_date_value(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("October 2017", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2017-1", "expected YYYY"),
        ("17-10-15", "expected YYYY"),
        ("2021-02-29", "has no day 29"),
        ("2021-13", "month 13"),
        ("", "not a date value"),
    ],
)
def test_parse_date_value_errors_say_what_is_wrong(given: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date_value(given)


@pytest.mark.parametrize(
    ("claimed", "found", "agreement"),
    [
        ("2017", "2017", DateAgreement.AGREE),
        ("2017", "2017-10", DateAgreement.AGREE),
        ("2017", "2017-10-15", DateAgreement.AGREE),
        ("2017", "2018", DateAgreement.DISAGREE),
        ("2017", "2018-01-01", DateAgreement.DISAGREE),
        ("2017-10", "2017-10", DateAgreement.AGREE),
        ("2017-10", "2017-10-18", DateAgreement.AGREE),
        ("2017-10", "2017", DateAgreement.COARSER),
        ("2017-10", "2017-09", DateAgreement.DISAGREE),
        ("2017-10", "2017-09-30", DateAgreement.DISAGREE),
        ("2017-10", "2016", DateAgreement.DISAGREE),
        ("2017-10-15", "2017-10-15", DateAgreement.AGREE),
        ("2017-10-15", "2017-10-16", DateAgreement.DISAGREE),
        ("2017-10-15", "2017-10", DateAgreement.COARSER),
        ("2017-10-15", "2017", DateAgreement.COARSER),
        ("2017-10-15", "2017-11", DateAgreement.DISAGREE),
        ("2017-10-15", "2016", DateAgreement.DISAGREE),
    ],
)
def test_compare_dates(claimed: str, found: str, agreement: DateAgreement) -> None:
    assert compare_dates(parse_date_value(claimed), parse_date_value(found)) is agreement


def test_date_agreement_values_are_strings() -> None:
    assert [str(a) for a in DateAgreement] == ["agree", "disagree", "coarser"]


# --- Formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 15, 2021", "2021-03-15"),
        ("March 15th, 2021", "2021-03-15"),
        ("15 March 2021", "2021-03-15"),
        ("15th of March, 2021", "2021-03-15"),
        ("the 1st of May 2020", "2020-05-01"),
        ("2021-03-15", "2021-03-15"),
        ("2021/03/15", "2021-03-15"),
        ("15.03.2021", "2021-03-15"),
        ("15.3.2021", "2021-03-15"),
        ("15/03/2021", "2021-03-15"),
        ("15-03-2021", "2021-03-15"),
        ("03/15/2021", "2021-03-15"),
        ("13 September, 2017", "2017-09-13"),
        ("10 September 2017", "2017-09-10"),
        ("Sept. 13, 2017", "2017-09-13"),
        ("Wednesday, 13 Sep 2017", "2017-09-13"),
        ("October 2017", "2017-10"),
        ("Oct. 2017", "2017-10"),
        ("October of 2017", "2017-10"),
        ("OCTOBER 2017", "2017-10"),
        ("in 2019", "2019"),
        ("since 2019", "2019"),
        ("mid-2020", "2020"),
        ("early 2021", "2021"),
        ("2021-03-15T10:30:00Z", "2021-03-15"),
    ],
)
def test_english_formats(text: str, expected: str) -> None:
    assert str(only(text).value) == expected


def test_month_and_year_is_a_month_never_a_day() -> None:
    date = only("October 2017", reference=dt.date(2021, 3, 20))
    assert date.value == DateValue(2017, 10)
    assert date.value.granularity is Granularity.MONTH
    assert date.value.day is None


def test_year_is_a_year() -> None:
    date = only("in 2019", reference=dt.date(2021, 3, 20))
    assert date.value == DateValue(2019)
    assert date.value.granularity is Granularity.YEAR


def test_dates_inside_a_sentence_keep_their_spans() -> None:
    text = "It began on March 15, 2021 and has applied since 2019, not in October 2017."
    dates = find_dates(text)
    assert [d.surface for d in dates] == ["March 15, 2021", "since 2019", "October 2017"]
    assert all(text[d.start : d.end] == d.surface for d in dates)
    assert [str(d.value) for d in dates] == ["2021-03-15", "2019", "2017-10"]


def test_search_dates_pitfall_a_year_inherits_nothing() -> None:
    # dateparser's search_dates reads the "2019" here as 2019-03-15.
    dates = find_dates("on March 15, 2021 and has applied since 2019 in all cases")
    assert dates[1].value == DateValue(2019)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("03/04/2021", "en", "2021-03-04"),
        ("03/04/2021", "en-US", "2021-03-04"),
        ("03/04/2021", "en_us", "2021-03-04"),
        ("03/04/2021", "en-GB", "2021-04-03"),
        ("03/04/2021", None, "2021-04-03"),
        ("03/04/2021", "da", "2021-04-03"),
        ("03/04/2021", "fr", "2021-04-03"),
        ("03.04.2021", "en", "2021-04-03"),  # dots are always day-month-year
        ("03/15/2021", None, "2021-03-15"),  # no month 15: month-day-year whatever the language
        ("03/15/2021", "da", "2021-03-15"),
        ("15/03/2021", "en", "2021-03-15"),  # no month 15: day-month-year even for "en"
        ("04/04/2021", "en", "2021-04-04"),
    ],
)
def test_numeric_order(text: str, language: str | None, expected: str) -> None:
    assert str(only(text, language=language).value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "13/13/2021",
        "31 February 2021",
        "February 30, 2021",
        "31.04.2021",
        "15.03.21",
        "version 1.2.2021.4",
        "0 March 2021",
        "15 March/April 2021",
    ],
)
def test_no_date(text: str) -> None:
    assert find_dates(text, reference=dt.date(2021, 3, 20)) == []


def test_an_impossible_day_does_not_leave_its_month_behind() -> None:
    assert find_dates("on 31 February 2021") == []
    assert parse_date("31 February 2021") is None


# --- Bare years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "100,000 Syrians",
        "as has been the fate of 100,000 Syrians over the course of the 10 years of conflict",
        "2,019 people",
        "2019 people",
        "1,900 km",
        "2.019 Menschen",
        "a total of 2000 people",
        "up to 2000 people",
        "prices rose by 2000%",
        "in 2000 years",
        "section 7.3 Danish Aliens Act",
        "around 189 Syrians",
        "call 2019-555-0100",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "surface"),
    [
        ("in 2019", "2019", "2019"),
        ("since 2011", "2011", "since 2011"),
        ("during 2020", "2020", "2020"),
        ("in the year 2019", "2019", "2019"),
        ("the report (2019) says", "2019", "2019"),
        ("2019's election", "2019", "2019"),
        ("by 2025", "2025", "by 2025"),
        ("until 2047", "2047", "until 2047"),
        ("the end of 2019", "2019", "the end of 2019"),
        ("in 1951", "1951", "1951"),
        ("summer 2019", "2019", "2019"),
    ],
)
def test_cued_years(text: str, expected: str, surface: str) -> None:
    date = only(text)
    assert (str(date.value), date.surface) == (expected, surface)


def test_a_year_followed_by_an_article_is_a_year() -> None:
    assert values("In 2019 an election was held, in 2020 a new law") == ["2019", "2020"]


def test_listed_years() -> None:
    assert values("in 2018 and 2019, 2020 people came") == ["2018", "2019"]
    assert values("in 2017, 2018 or 2019") == ["2017", "2018", "2019"]
    assert values("seit 2017, 2018 und 2019") == ["2017", "2018", "2019"]


# --- Ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "until"),
    [
        ("2019-2020", "2019", "2020"),
        ("2019–20", "2019", "2020"),
        ("the 2019/20 season", "2019", "2020"),
        ("(1939–1945)", "1939", "1945"),
        ("in 2010-12", "2010", "2012"),  # a range, never December 2010
        ("between 2019 and 2020", "2019", "2020"),
        ("from 2004 to 2017", "2004", "2017"),
        ("von 2019 bis 2020", "2019", "2020"),
        ("بين 2019 و2020", "2019", "2020"),
        ("from 2 to 25 July 1952", "1952-07-02", "1952-07-25"),
        ("2–25 July 1952", "1952-07-02", "1952-07-25"),
        ("March 15–18, 2021", "2021-03-15", "2021-03-18"),
        ("March–May 2021", "2021-03", "2021-05"),
        ("15 March – 2 April 2021", "2021-03-15", "2021-04-02"),
        ("from 15 December to 5 January 2021", "2020-12-15", "2021-01-05"),
        ("March 15 - April 2, 2021", "2021-03-15", "2021-04-02"),
        ("du 2 au 25 juillet 1952", "1952-07-02", "1952-07-25"),
        ("2.-25. juli 1951", "1951-07-02", "1951-07-25"),
        ("between 15 and 18 March 2011", "2011-03-15", "2011-03-18"),
        ("the 1990s", "1990", "1999"),
        ("in the 1990's", "1990", "1999"),
        ("die 1990er Jahre", "1990", "1999"),
        ("i 1990'erne", "1990", "1999"),
        ("les années 1990", "1990", "1999"),
    ],
)
def test_ranges(text: str, start: str, until: str) -> None:
    date = only(text)
    assert (str(date.value), str(date.until)) == (start, until)


@pytest.mark.parametrize("text", ["2020-2019", "2019-2200", "25–2 July 1952", "2017-10"])
def test_backward_or_odd_ranges_are_no_ranges(text: str) -> None:
    assert all(date.until is None for date in find_dates(text))


# --- Languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Danish
        ("15. marts 2021", "2021-03-15"),
        ("den 15. marts 2021", "2021-03-15"),
        ("oktober 2017", "2017-10"),
        ("i juli 1951", "1951-07"),
        ("15. mar. 2021", "2021-03-15"),
        # Dutch
        ("15 maart 2021", "2021-03-15"),
        ("1 mei 2020", "2020-05-01"),
        ("15 mrt. 2021", "2021-03-15"),
        ("1 oktober 2017", "2017-10-01"),
        # French
        ("15 mars 2021", "2021-03-15"),
        ("1er mars 2021", "2021-03-01"),
        ("le 1er mars 2021", "2021-03-01"),
        ("octobre 2017", "2017-10"),
        ("15 févr. 2021", "2021-02-15"),
        ("15 août 2021", "2021-08-15"),
        ("15 aout 2021", "2021-08-15"),
        # German
        ("15. März 2011", "2011-03-15"),
        ("am 15. März 2011", "2011-03-15"),
        ("Am 15. März 2011, also genau vor zehn Jahren", "2011-03-15"),
        ("Oktober 2017", "2017-10"),
        ("15. Jänner 2021", "2021-01-15"),
        ("3. Dez. 2020", "2020-12-03"),
        # Arabic: Egyptian, Levantine and Maghreb month names, Arabic-Indic digits
        ("15 مارس 2021", "2021-03-15"),
        ("١٥ مارس ٢٠٢١", "2021-03-15"),
        ("۱۵ مارس ۲۰۲۱", "2021-03-15"),
        ("أكتوبر 2017", "2017-10"),
        ("في تشرين الأول 2017", "2017-10"),
        ("15 آذار/مارس 2021", "2021-03-15"),
        ("15 مارس/آذار 2021", "2021-03-15"),
        ("18 أوت 2019", "2019-08-18"),
        ("15 مارس، 2021", "2021-03-15"),
    ],
)
def test_languages_are_detected_from_month_words(text: str, expected: str) -> None:
    assert str(only(text).value) == expected


@pytest.mark.parametrize("language", ["da", "nl", "fr", "de", "ar", "en", "es"])
def test_month_words_of_every_language_work_whatever_the_language_given(language: str) -> None:
    assert (
        values("15. marts 2021, 15 maart 2021, 15 mars 2021, 15 مارس 2021", language=language)
        == ["2021-03-15"] * 4
    )


@pytest.mark.parametrize(
    ("text", "qualifier", "surface"),
    [
        ("siden 2019", "since", "siden 2019"),
        ("sinds 2019", "since", "sinds 2019"),
        ("depuis 2019", "since", "depuis 2019"),
        ("seit 2019", "since", "seit 2019"),
        ("منذ 2019", "since", "منذ 2019"),
        ("ومنذ عام 2019", "since", "ومنذ عام 2019"),
        ("since March 2011", "since", "since March 2011"),
        ("seit dem 15. März 2011", "since", "seit dem 15. März 2011"),
        ("depuis le 1er mars 2021", "since", "depuis le 1er mars 2021"),
        ("until October 31st 2018", "until", "until October 31st 2018"),
        ("jusqu'en 2020", "until", "jusqu'en 2020"),
        ("jusqu’en 2020", "until", "jusqu’en 2020"),
        ("bis 2020", "until", "bis 2020"),
        ("indtil 2020", "until", "indtil 2020"),
        ("before 2019", "before", "before 2019"),
        ("avant 2019", "before", "avant 2019"),
        ("after 2019", "after", "after 2019"),
        ("nach 2019", "after", "nach 2019"),
        ("by March 2021", "by", "by March 2021"),
        ("early 2021", "early", "early 2021"),
        ("in early 2021", "early", "early 2021"),
        ("Anfang 2021", "early", "Anfang 2021"),
        ("début 2021", "early", "début 2021"),
        ("primo 2021", "early", "primo 2021"),
        ("at the beginning of 2021", "early", "the beginning of 2021"),
        ("mid-2020", "mid", "mid-2020"),
        ("mid-March 2021", "mid", "mid-March 2021"),
        ("mi-2020", "mid", "mi-2020"),
        ("Mitte 2020", "mid", "Mitte 2020"),
        ("medio 2020", "mid", "medio 2020"),
        ("منتصف 2020", "mid", "منتصف 2020"),
        ("late 2019", "late", "late 2019"),
        ("late October 2017", "late", "late October 2017"),
        ("fin 2019", "late", "fin 2019"),
        ("Ende 2019", "late", "Ende 2019"),
        ("eind 2019", "late", "eind 2019"),
        ("i slutningen af 2019", "late", "slutningen af 2019"),
        ("أواخر 2019", "late", "أواخر 2019"),
        ("in 2019", None, "2019"),
        ("by the October 2017 statement", None, "October 2017"),
        ("until the 15th of March 2021", "until", "until the 15th of March 2021"),
        ("since the 1990s", "since", "since the 1990s"),
        ("im Jahr 2019", None, "2019"),
        ("en octobre 2017", None, "octobre 2017"),
    ],
)
def test_qualifiers(text: str, qualifier: str | None, surface: str) -> None:
    date = only(text)
    assert (date.qualifier, date.surface) == (qualifier, surface)


def test_dutch_begin_is_a_qualifier_only_in_dutch() -> None:
    assert only("begin 2021", language="nl").qualifier == "early"
    assert only("we begin in 2021", language="en").qualifier is None
    assert find_dates("we begin 2021 with a plan", language="en") == []


# --- Relative dates -------------------------------------------------------------------------------

REFERENCE = dt.date(2021, 3, 20)  # a Saturday


@pytest.mark.parametrize(
    ("text", "expected", "until"),
    [
        ("today", "2021-03-20", None),
        ("yesterday", "2021-03-19", None),
        ("tomorrow", "2021-03-21", None),
        ("this week", "2021-03-15", "2021-03-21"),
        ("last week", "2021-03-08", "2021-03-14"),
        ("next week", "2021-03-22", "2021-03-28"),
        ("this month", "2021-03", None),
        ("earlier this month", "2021-03", None),
        ("last month", "2021-02", None),
        ("next month", "2021-04", None),
        ("this year", "2021", None),
        ("last year", "2020", None),
        ("next year", "2022", None),
        ("three days ago", "2021-03-17", None),
        ("2 weeks ago", "2021-03-01", "2021-03-07"),
        ("a month ago", "2021-02", None),
        ("ten years ago", "2011", None),
        # Danish
        ("i dag", "2021-03-20", None),
        ("i går", "2021-03-19", None),
        ("i denne måned", "2021-03", None),
        ("i sidste måned", "2021-02", None),
        ("sidste år", "2020", None),
        ("i år", "2021", None),
        ("for 64 år siden", "1957", None),
        ("for en måned siden", "2021-02", None),
        # Dutch
        ("gisteren", "2021-03-19", None),
        ("deze maand", "2021-03", None),
        ("vorige maand", "2021-02", None),
        ("vorig jaar", "2020", None),
        ("twee jaar geleden", "2019", None),
        # French
        ("aujourd’hui", "2021-03-20", None),
        ("ce mois-ci", "2021-03", None),
        ("le mois dernier", "2021-02", None),
        ("l'année dernière", "2020", None),
        ("la semaine dernière", "2021-03-08", "2021-03-14"),
        ("il y a deux ans", "2019", None),
        # German
        ("gestern", "2021-03-19", None),
        ("diesen Monat", "2021-03", None),
        ("letzten Monat", "2021-02", None),
        ("im vergangenen Monat", "2021-02", None),
        ("letztes Jahr", "2020", None),
        ("im Vorjahr", "2020", None),
        ("vor einem Jahr", "2020", None),
        ("vor zehn Jahren", "2011", None),
        # Arabic
        ("أمس", "2021-03-19", None),
        ("هذا الشهر", "2021-03", None),
        ("الشهر الماضي", "2021-02", None),
        ("في الشهر الماضي", "2021-02", None),
        ("العام الماضي", "2020", None),
        ("منذ 3 سنوات", "2018", None),
        ("منذ عامين", "2019", None),
    ],
)
def test_relative_dates(text: str, expected: str, until: str | None) -> None:
    date = only(f"It happened {text}.", reference=REFERENCE)
    assert date.relative
    assert (str(date.value), None if date.until is None else str(date.until)) == (expected, until)
    assert date.surface.casefold().endswith(text.casefold().split()[-1])


def test_last_month_is_a_month() -> None:
    date = only("he said during the aired interview last month.", reference=dt.date(2017, 10, 20))
    assert date.value == DateValue(2017, 9)
    assert date.value.granularity is Granularity.MONTH


def test_last_month_across_a_year() -> None:
    assert only("last month", reference=dt.date(2021, 1, 5)).value == DateValue(2020, 12)


def test_relative_dates_need_a_reference() -> None:
    assert find_dates("this month, last year, yesterday, 3 days ago, 15 March") == []
    assert parse_date("this month") is None
    date = parse_date("this month", reference=dt.date(2021, 3, 20))
    assert date is not None
    assert (date.value, date.relative) == (DateValue(2021, 3), True)


def test_ordinary_words_are_not_relative_dates() -> None:
    text = "Richardson told USA Today. I de sidste år er det sket. Wir sind hier."
    assert find_dates(text, reference=REFERENCE) == []
    assert only("Il est venu hier.", reference=REFERENCE, language="fr").value == DateValue(
        2021, 3, 19
    )


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("15 March", dt.date(2021, 3, 20), "2021-03-15"),
        ("on 18 March", dt.date(2021, 3, 1), "2021-03-18"),
        ("February 21st", dt.date(2019, 2, 28), "2019-02-21"),
        ("15 December", dt.date(2021, 1, 10), "2020-12-15"),
        ("5 January", dt.date(2020, 12, 20), "2021-01-05"),
        ("29 February", dt.date(2021, 3, 1), "2020-02-29"),
        ("15. marts", dt.date(2021, 3, 20), "2021-03-15"),
    ],
)
def test_dates_without_a_year_take_the_nearest_year(
    text: str, reference: dt.date, expected: str
) -> None:
    date = only(text, reference=reference)
    assert (str(date.value), date.relative) == (expected, True)


def test_capitalised_only_english_months() -> None:
    assert find_dates("you may 15 times, they march 2 km", reference=REFERENCE) == []
    assert values("May 15, 2021 and March 2021") == ["2021-05-15", "2021-03"]


# --- parse_date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "granularity"),
    [
        ("2017", "2017", Granularity.YEAR),
        ("2017-10", "2017-10", Granularity.MONTH),
        ("2017-10-15", "2017-10-15", Granularity.DAY),
        ("October 2017", "2017-10", Granularity.MONTH),
        ("March 15, 2021", "2021-03-15", Granularity.DAY),
        ("the October 2017 statement by Issam Zahreddine", "2017-10", Granularity.MONTH),
        ("since 2019", "2019", Granularity.YEAR),
        ("the 2019 decision", "2019", Granularity.YEAR),
        ("15 de marzo de 2021", "2021-03-15", Granularity.DAY),
        ("octubre de 2017", "2017-10", Granularity.MONTH),
    ],
)
def test_parse_date(text: str, expected: str, granularity: Granularity) -> None:
    date = parse_date(text)
    assert date is not None
    assert (str(date.value), date.value.granularity) == (expected, granularity)
    assert text[date.start : date.end] == date.surface


def test_parse_date_with_a_language_nobody_knows() -> None:
    date = parse_date("15 brumaire 2021", language="xx")
    assert date is not None
    assert (date.value, date.surface) == (DateValue(2021), "2021")


def test_parse_date_keeps_the_qualifier() -> None:
    date = parse_date("has applied since 2019")
    assert date is not None
    assert (date.value, date.qualifier, date.surface) == (DateValue(2019), "since", "since 2019")


def test_parse_date_takes_the_first_date() -> None:
    date = parse_date("On 3 March 2021 Canada acted on violations since 2011")
    assert date is not None
    assert date.value == DateValue(2021, 3, 3)


@pytest.mark.parametrize(
    "text", ["", "   ", "100,000 Syrians", "around 189 Syrians", "2021-02-30", "no date at all"]
)
def test_parse_date_none(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_spans_are_in_the_text_given() -> None:
    date = parse_date("  2017-10 ")
    assert date is not None
    assert (date.start, date.end, date.surface) == (2, 9, "2017-10")


# --- MONTH_WORDS ----------------------------------------------------------------------------------


def test_month_words() -> None:
    for word in ["january", "jan", "jan.", "sept", "sept.", "may", "marts", "maart", "mars"]:
        assert word in MONTH_WORDS
    for word in ["märz", "mär.", "jänner", "février", "août", "déc.", "mei", "maj", "oktober"]:
        assert word in MONTH_WORDS
    for word in ["مارس", "آذار", "أكتوبر", "تشرين", "كانون", "تشرين الأول"]:
        assert word in MONTH_WORDS
    assert all(word == word.casefold() for word in MONTH_WORDS)
    assert not {"the", "in", "since", "2017", "الأول"} & MONTH_WORDS


def test_every_month_word_reads_as_its_month() -> None:
    for table in (MONTH_NAMES, MONTH_ABBREVIATIONS):
        for language, months in table.items():
            for number, forms in enumerate(months, start=1):
                for form in forms:
                    word = form.capitalize()
                    date = only(f"15 {word} 2021")
                    assert date.value == DateValue(2021, number, 15), (language, form)


# --- Worked example -------------------------------------------------------------------------------


def test_worked_example_statement() -> None:
    statement = (
        "March 15, 2021 marked the ten-year anniversary of the day when the Syrian people took to "
        "the streets. The regime has publicly stated this sentiment, evidenced by the October 2017 "
        "statement by Issam Zahreddine. In September 2020, the Dutch government announced it. "
        "Similarly, this month, the Canadian Minister [announced](#) that Canada acted since 2011. "
        "As has been the fate of 100,000 Syrians over the course of the 10 years of conflict.¹ "
        "Yet, in stark contrast, since 2019, Denmark has been declaring parts of Syria “safe” "
        "(section 7.3 Danish Aliens Act). Last month, it denied applications to around 189 "
        "Syrians. Approximately 500 other Syrians in Denmark await a similar fate. This from a "
        "country who was among the original 26 states who drafted the Refugee Convention in 1951."
    )
    dates = find_dates(statement, reference=dt.date(2021, 5, 7), language="en")
    assert [(d.surface, str(d.value)) for d in dates] == [
        ("March 15, 2021", "2021-03-15"),
        ("October 2017", "2017-10"),
        ("September 2020", "2020-09"),
        ("this month", "2021-05"),
        ("since 2011", "2011"),
        ("since 2019", "2019"),
        ("Last month", "2021-04"),
        ("1951", "1951"),
    ]


@pytest.mark.parametrize(
    ("passage", "reference", "language", "expected"),
    [
        (
            "Issam Zahreddine Major General of the Syrian Republican Guard, walks in the eastern "
            "city of Deir Ezzor on 10 September 2017 (AFP)",
            dt.date(2017, 9, 15),
            "en",
            ["2017-09-10"],
        ),
        ("13 September, 2017", dt.date(2017, 9, 13), "en", ["2017-09-13"]),
        (
            "Am 15. März 2011, also genau vor zehn Jahren, berichtete die BBC über einen "
            "Protestmarsch in der Altstadt von Damaskus.",
            dt.date(2021, 3, 15),
            "de",
            ["2011-03-15", "2011"],
        ),
        (
            "Though 15 March is usually referred to as the date of the initial anti-Assad "
            "protests, the street demonstrations that began in Daraa on 18 March marked an "
            "escalation.",
            dt.date(2021, 3, 20),
            "en",
            ["2021-03-15", "2021-03-18"],
        ),
        (
            "On March 3, 2021, the Government of Canada announced that it had invited the Syrian "
            "Arab Republic to enter into negotiations pursuant to Article 30 (1) of the UNCAT",
            dt.date(2021, 3, 12),
            "en",
            ["2021-03-03"],
        ),
        (
            "The decision was made on the basis of a report published by the Immigration Service "
            "on February 21st, the statement said. For the first time since 2013, the agency ...",
            dt.date(2019, 2, 28),
            "en",
            ["2019-02-21", "2013"],
        ),
        (
            "For 64 år siden blev den danske kontorchef Knud Larsen præsident for den "
            "FN-konference. Konferencen i Genève i juli 1951, hvor der deltog 17 stater, …",
            dt.date(2015, 10, 13),
            "da",
            ["1951", "1951-07"],
        ),
        (
            "The Conference met at the European Office of the United Nations in Geneva from 2 to "
            "25 July 1952.",
            None,
            "en",
            ["1952-07-02"],
        ),
        (
            "Over the past decade, it is estimated that over 200,000 Syrian civilians have died "
            "in the conflict and another 100,000 people are missing.",
            dt.date(2021, 3, 12),
            "en",
            [],
        ),
    ],
)
def test_worked_example_sources(
    passage: str, reference: dt.date | None, language: str, expected: list[str]
) -> None:
    assert values(passage, reference=reference, language=language) == expected
    # Without a language the month words alone are enough.
    assert values(passage, reference=reference) == expected


# --- Speed ----------------------------------------------------------------------------------------


def test_find_dates_grows_linearly_on_a_long_text() -> None:
    paragraph = (
        "WASHINGTON — The ministry said on Nov. 18 that 2,019 people, out of 100,000 applicants, "
        "had been denied since 2019. Last month the agency, which has met every week since "
        "March 2011, published a report (2020) dated 15.03.2021; in late 2019 it said that "
        "“nothing has changed” and that it would decide by the end of next year. Der Bericht vom "
        "15. März 2021 nennt 189 Fälle seit 2019, le rapport du 1er mars 2021 aussi. "
    )
    text = paragraph * (100_000 // len(paragraph) + 1)
    find_dates(text[:1000], reference=REFERENCE)  # compile the patterns first

    def timed(part: str) -> float:
        started = time.process_time()  # this process's processor time: other load adds none
        find_dates(part, reference=REFERENCE)
        return time.process_time() - started

    assert len(find_dates(text, reference=REFERENCE)) > 1000
    # A ratio, not a time: ten times the text takes about ten times as long (linear), at most
    # thirty (quadratic would take a hundred).
    small = min(timed(text[:10_000]) for _ in range(5))
    large = min(timed(text) for _ in range(3))
    assert large / small < 30, f"{large / small:.1f}x the time for 10x the text"


# --- Properties -----------------------------------------------------------------------------------

PIECES = [
    *ENGLISH,
    "marts",
    "oktober",
    "mars",
    "März",
    "مارس",
    "تشرين الأول",
    "Oct.",
    "since",
    "in",
    "mid-",
    "the",
    "of",
    "last month",
    "this week",
    "vor",
    "il y a",
    "ago",
    "years",
    "(",
    ")",
    "-",
    "–",
    "/",
    ".",
    ",",
    "'s",
    "15",
    "1er",
    "31",
    "2019",
    "2021",
    "1990s",
    "١٥",
    "100,000",
    "03/04/2021",
    "2021-02-29",
]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
)
references = st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
languages = st.sampled_from([None, "en", "en-US", "da", "nl", "fr", "de", "ar", "es", "xx"])


@settings(deadline=None, max_examples=300)
@given(text=texts, reference=references, language=languages)
def test_find_dates_never_raises_and_spans_are_exact(
    text: str, reference: dt.date | None, language: str | None
) -> None:
    dates = find_dates(text, reference=reference, language=language)
    previous_end = 0
    for date in dates:
        assert text[date.start : date.end] == date.surface
        assert previous_end <= date.start < date.end
        previous_end = date.end
        if date.until is not None:
            assert date.until.granularity == date.value.granularity
            assert str(date.until) > str(date.value)


@settings(deadline=None)
@given(text=texts, reference=references, language=languages)
def test_parse_date_never_raises(
    text: str, reference: dt.date | None, language: str | None
) -> None:
    date = parse_date(text, reference=reference, language=language)
    assert date is None or text[date.start : date.end] == date.surface


DATES = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2199, 12, 31))
DANISH = "januar februar marts april maj juni juli august september oktober november december"
FRENCH = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
ARABIC = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"
FORMATS: list[Callable[[dt.date], str]] = [
    lambda d: f"{d.day} {ENGLISH[d.month - 1]} {d.year}",
    lambda d: f"{ENGLISH[d.month - 1]} {d.day}, {d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.day}. {DANISH.split()[d.month - 1]} {d.year}",
    lambda d: f"{d.day} {FRENCH.split()[d.month - 1]} {d.year}",
    lambda d: f"{d.day} {ARABIC.split()[d.month - 1]} {d.year}",
]


@settings(deadline=None)
@given(date=DATES, form=st.sampled_from(FORMATS), reference=references)
def test_any_written_date_is_found_with_its_value(
    date: dt.date, form: Callable[[dt.date], str], reference: dt.date | None
) -> None:
    written = form(date)
    text = f"It was signed on {written}, they said."
    found = only(text, reference=reference)
    assert found.value == DateValue(date.year, date.month, date.day)
    assert found.surface == written


@given(date=DATES, granularity=st.sampled_from(Granularity))
def test_value_round_trips_and_agrees_with_itself(date: dt.date, granularity: Granularity) -> None:
    value = DateValue(*(date.year, date.month, date.day)[:granularity])
    assert parse_date_value(str(value)) == value
    assert compare_dates(value, value) is DateAgreement.AGREE
    day = DateValue(date.year, date.month, date.day)
    assert compare_dates(value, day) is DateAgreement.AGREE
    if granularity is not Granularity.YEAR:
        assert compare_dates(day, DateValue(date.year)) is DateAgreement.COARSER
