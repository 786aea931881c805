"""The claims model: what a statement asserts and the sources it rests on.

A :class:`Claim` is one checkable assertion of a statement: a verbatim quote, a figure ("around 189
Syrians") or a date ("October 2017"), with the sources (:class:`Source`) that the statement cites
for it. Claims are plain frozen values; loading them from files lives elsewhere.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

__all__ = ["Claim", "ClaimKind", "Source"]


class ClaimKind(enum.StrEnum):
    """What sort of assertion a claim is; decides how it is matched."""

    QUOTE = "quote"
    FIGURE = "figure"
    DATE = "date"


@attrs.frozen
class Source:
    """A source cited for a claim.

    ``accessed`` is when the author read it: it picks the archived copy "as cited".
    """

    url: str
    accessed: dt.date | None = None


def _to_kind(value: ClaimKind | str) -> ClaimKind:
    return ClaimKind(value)


def _to_sources(value: object) -> tuple[Source, ...]:
    if isinstance(value, Source):
        return (value,)
    if isinstance(value, str):
        return (Source(value),)
    items = value if isinstance(value, (list, tuple)) else ()
    return tuple(item if isinstance(item, Source) else Source(str(item)) for item in items)


@attrs.frozen
class Claim:
    """One checkable assertion of a statement.

    - ``text``: the claim as written in the statement (for a quote: the quoted words).
    - ``value``: for a figure the number (``189``), for a date ``"2017"``, ``"2017-10"`` or
      ``"2017-10-15"``; derived from ``text`` when not given.
    - ``context``: for figures and dates, words expected near the value in the source
      ("Syrians residency denied"); derived from ``text`` when not given.
    - ``reference_date``: the date relative expressions in the claim ("this month") refer to,
      usually the statement's publication date.
    """

    kind: ClaimKind = attrs.field(converter=_to_kind)
    text: str
    id: str | None = None
    value: Decimal | int | float | str | None = None
    context: str | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_sources)
    reference_date: dt.date | None = None
