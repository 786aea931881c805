"""The claims model: what a statement asserts and the sources it rests on, and claims files.

A :class:`Claim` is one checkable assertion of a statement: a verbatim quote, a figure ("around 189
Syrians") or a date ("October 2017"), with the sources (:class:`Source`) the statement cites for
it. A :class:`ClaimSet` is everything one claims file says about one statement.

Claims files are TOML (the format is documented in the README)::

    [statement]
    id = "denmark-syria-2021"
    text = "denmark-syria-2021.md"
    published = 2021-05-07

    [[claim]]
    id = "canada-quote"
    kind = "quote"
    text = "has requested formal negotiations, under …"

    [[claim.source]]
    url = "https://…"
    accessed = 2021-04-20

:func:`load` reads and validates one file. Every problem found is reported at once, each naming
the file, the line and the field, in one :class:`ClaimsFileError`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import attrs

__all__ = ["Claim", "ClaimKind", "ClaimSet", "Location", "Source", "Statement"]


class ClaimKind(enum.StrEnum):
    """What sort of assertion a claim is; decides how it is matched."""

    QUOTE = "quote"
    FIGURE = "figure"
    DATE = "date"


@attrs.frozen
class Location:
    """Where a claim's text is in a text file: ``line`` and ``column`` of its first character,
    all 1-based; ``end_line`` and ``end_column`` name the character just after its last one (as
    SARIF's regions do), when known."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@attrs.frozen
class Source:
    """A source cited for a claim.

    ``accessed`` is when the author read it: it picks the archived copy "as cited". ``context``
    overrides the claim's context words for this source (a source in another language). The URL is
    kept as written, even when it is a placeholder such as ``#``: that is a finding of the check
    (a broken citation), not an error in the claims file.
    """

    url: str
    accessed: dt.date | None = None
    context: str | None = None


def _to_kind(value: ClaimKind | str) -> ClaimKind:
    return ClaimKind(value)


def _to_sources(value: Iterable[Source | str] | Source | str) -> tuple[Source, ...]:
    if isinstance(value, (Source, str)):
        value = (value,)
    return tuple(item if isinstance(item, Source) else Source(item) for item in value)


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
    - ``location``: where the claim's text is in the statement, when the statement is known.
    - ``unsourced``: for a claim the statement gives no source for, why (``"common knowledge"``,
      ``"no link in the statement"``): listed as ``unsourced`` by the check, not an error.
    """

    kind: ClaimKind = attrs.field(converter=_to_kind)
    text: str
    id: str | None = None
    value: Decimal | int | float | str | None = None
    context: str | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_sources)
    reference_date: dt.date | None = None
    location: Location | None = None
    unsourced: str | None = None


@attrs.frozen
class Statement:
    """The statement a claims file is about.

    ``text`` is the statement's text (read from ``path``), when the claims file names it.
    """

    id: str | None = None
    title: str | None = None
    path: Path | None = None
    text: str | None = None
    published: dt.date | None = None


@attrs.frozen
class ClaimSet:
    """Everything one claims file says: the statement and its claims, in file order."""

    statement: Statement
    claims: tuple[Claim, ...]
    path: Path | None = None

    @property
    def name(self) -> str:
        """A short name for reports: the statement's id, else the file's stem."""
        if self.statement.id:
            return self.statement.id
        return self.path.stem if self.path is not None else "claims"
