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

    [[ignore]]                  # a finding dismissed on purpose (:class:`Ignore`)
    text = "72"
    reason = "the number of bill L 72, not a figure"

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

__all__ = ["Claim", "ClaimKind", "ClaimSet", "Ignore", "Location", "Source", "Statement"]


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


def _to_optional_kind(value: ClaimKind | str | None) -> ClaimKind | None:
    return None if value is None else ClaimKind(value)


@attrs.frozen
class Ignore:
    """An ignore entry: one finding dismissed on purpose, and why.

    It names a finding of the coverage check (a quotation, figure or date of the statement that
    no claim covers) by its ``text`` as written in the statement and/or the statement ``line``
    it is on, optionally narrowed by ``kind``; or a claim of the claims file by its id
    (``claim``), e.g. a drift the editors accept. ``reason`` is required: a dismissal says why.
    ``file`` and ``file_line`` are where the entry is written (a claims file's ``[[ignore]]``
    table, or a config file's), for reports and for the warning about an entry that matches
    nothing. The matching rule: :func:`claimcheck.checking.ignore_matches`.
    """

    reason: str
    text: str | None = None
    line: int | None = None
    kind: ClaimKind | None = attrs.field(default=None, converter=_to_optional_kind)
    claim: str | None = None
    file: Path | None = None
    file_line: int | None = None

    @property
    def place(self) -> str:
        """Where the entry is written: ``file:line``, ``file``, or ``(given)`` for an entry
        made in Python."""
        if self.file is None:
            return "(given)"
        return f"{self.file}:{self.file_line}" if self.file_line else str(self.file)

    @property
    def target(self) -> str:
        """What the entry names, in words: ``claim 'year'``, ``figure '72' on line 3``."""
        if self.claim is not None:
            return f"claim {self.claim!r}"
        words = [self.kind.value if self.kind is not None else "finding"]
        if self.text is not None:
            words.append(repr(self.text))
        if self.line is not None:
            words.append(f"on line {self.line}")
        return " ".join(words)

    @property
    def unused(self) -> str:
        """What every report says of an entry that matched no finding (a stale dismissal),
        after the entry's :attr:`place` where the format has no place of its own for it."""
        return (
            f"ignore entry matches no finding ({self.target}; reason: {self.reason}): "
            "remove it, or correct its text or line"
        )


def to_ignores(value: Iterable[Ignore]) -> tuple[Ignore, ...]:
    """Ignore entries as a tuple (what :class:`ClaimSet` and a report hold)."""
    return tuple(value)


@attrs.frozen
class ClaimSet:
    """Everything one claims file says: the statement and its claims, in file order, and its
    ignore entries (:class:`Ignore`), which dismiss findings of this claim set only."""

    statement: Statement
    claims: tuple[Claim, ...]
    path: Path | None = None
    ignores: tuple[Ignore, ...] = attrs.field(default=(), converter=to_ignores)

    @property
    def name(self) -> str:
        """A short name for reports: the statement's id, else the file's stem."""
        if self.statement.id:
            return self.statement.id
        return self.path.stem if self.path is not None else "claims"
