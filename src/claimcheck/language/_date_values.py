"""Date values: a year, a month or a day, as precise as its text, and how a found date relates
to a claimed one (:func:`compare_dates`): only as precisely as both of them speak. "October 2017"
is a month, never the first (or today's) day of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re

import attrs

__all__ = [
    "VALUE_FORMAT",
    "DateAgreement",
    "DateValue",
    "FoundDate",
    "Granularity",
    "compare_dates",
    "parse_date_value",
]


class Granularity(enum.IntEnum):
    """How precise a date is; a larger value is more precise."""

    YEAR = 1
    MONTH = 2
    DAY = 3


_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@attrs.frozen
class DateValue:
    """A calendar date as precise as its text: a year, a month of a year or a day.

    ``day`` requires ``month``, and the day must exist (there is no 31 February): an impossible
    date raises :class:`ValueError` when constructed.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range 1-9999")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a date with a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range 1-12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"{self.year:04d}-{self.month:02d} has no day {self.day}")

    @property
    def granularity(self) -> Granularity:
        """Whether this is a year, a month or a day."""
        if self.day is not None:
            return Granularity.DAY
        if self.month is not None:
            return Granularity.MONTH
        return Granularity.YEAR

    def __str__(self) -> str:
        """ISO 8601 at the date's own precision: ``2017``, ``2017-10`` or ``2017-10-15``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """The date in words for reports: ``2017``, ``October 2017`` or ``15 October 2017``."""
        if self.month is None:
            return str(self.year)
        month = f"{_ENGLISH_MONTHS[self.month - 1]} {self.year}"
        return month if self.day is None else f"{self.day} {month}"


class DateAgreement(enum.StrEnum):
    """How a date found in a source relates to a claimed date (see :func:`compare_dates`)."""

    AGREE = "agree"
    """Equal at the claim's granularity (the source may be more precise)."""
    DISAGREE = "disagree"
    """Different at a granularity both of them have."""
    COARSER = "coarser"
    """Consistent, but the source is less precise than the claim (claim 2017-10, source 2017)."""


@attrs.frozen
class FoundDate:
    """A date recognised in a text.

    - ``start``/``end``: the span in the text given, so ``surface == text[start:end]``; it covers a
      qualifier ("since 2019") but not a neutral cue ("in 2019" spans "2019").
    - ``qualifier``: "since", "until", "before", "after", "by", "early", "mid" or "late", in English
      whatever the language of the text.
    - ``relative``: the value depends on the reference date: a relative expression ("last month")
      or a date written without its year ("15 March").
    - ``until``: the end of a range ("2019-2020", "2-25 July 1952", "the 1990s", "this week"), of
      the same granularity as ``value``; ``None`` for a single date.
    - ``year_given``: False for a date written without its year ("15 March"), whose year was
      taken from the reference: compare such a date by month and day only.
    """

    value: DateValue
    start: int
    end: int
    surface: str
    qualifier: str | None = None
    relative: bool = False
    until: DateValue | None = None
    year_given: bool = True


def compare_dates(claimed: DateValue, found: DateValue) -> DateAgreement:
    """Compare a claimed date with one found in a source, at the precision both share.

    Claim 2017-10 and source 2017-10-15 agree (the claim is less precise, and right); claim
    2017-10-15 and source 2017-10 are :attr:`~DateAgreement.COARSER` (consistent, unconfirmed);
    claim 2017-10 and source 2017-09-30 disagree.
    """
    shared = min(claimed.granularity, found.granularity)
    if _truncate(claimed, shared) != _truncate(found, shared):
        return DateAgreement.DISAGREE
    if found.granularity < claimed.granularity:
        return DateAgreement.COARSER
    return DateAgreement.AGREE


def _truncate(value: DateValue, granularity: Granularity) -> tuple[int | None, ...]:
    return (value.year, value.month, value.day)[:granularity]


VALUE_FORMAT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)


def parse_date_value(value: str | int | dt.date) -> DateValue:
    """Read a claim's date value: ``"2017"``, ``"2017-10"`` or ``"2017-10-15"``.

    A TOML claims file may also give ``2017`` (an integer) or ``2017-10-15`` (a date), which are
    accepted as such. Anything else, or a date that does not exist, raises :class:`ValueError`.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DateValue(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise TypeError(f"a date value is a string, not {type(value).__name__}")
    match = VALUE_FORMAT.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a date value: {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (None if part is None else int(part) for part in match.groups())
    assert year is not None
    try:
        return DateValue(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r} ({exc})") from None
