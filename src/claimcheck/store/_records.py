"""What the audit history records: runs (:class:`Run`), observations (:class:`Observation`) and
the state of citations and URLs (:class:`Health`, :class:`CitationState`, :class:`UrlState`),
with their vocabularies (:class:`RunState`, :class:`State`, :class:`Outcome`)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from ..model import Reason, Status, well_formed

__all__ = [
    "ArchiveListing",
    "CitationKey",
    "CitationState",
    "Health",
    "Observation",
    "Outcome",
    "Run",
    "RunState",
    "State",
    "UrlState",
]


class RunState(enum.StrEnum):
    """Where a run is: ``running`` (or died: resumable), ``complete``, ``abandoned``."""

    RUNNING = "running"
    COMPLETE = "complete"
    ABANDONED = "abandoned"


class State(enum.StrEnum):
    """The state of a citation or a URL across runs (see :func:`claimcheck.auditing.advance`)."""

    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    FAILING = "failing"
    BROKEN = "broken"
    DRIFTED = "drifted"
    FLAPPING = "flapping"


class Outcome(enum.StrEnum):
    """What one observation counts as for the state machine."""

    OK = "ok"
    BROKEN = "broken"
    DRIFTED = "drifted"
    UNCHECKED = "unchecked"

    @classmethod
    def of(cls, status: Status) -> Outcome:
        """A verdict's status as an outcome: verified is ok, unchecked never a failure."""
        if status is Status.VERIFIED:
            return cls.OK
        if status is Status.DRIFTED:
            return cls.DRIFTED
        if status is Status.BROKEN:
            return cls.BROKEN
        return cls.UNCHECKED

    @property
    def failed(self) -> bool:
        """Whether the outcome is a failure (broken or drifted)."""
        return self in (Outcome.BROKEN, Outcome.DRIFTED)


@attrs.frozen
class Run:
    """One audit run (a row of ``runs``)."""

    id: int
    started: dt.datetime
    state: RunState
    finished: dt.datetime | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    bytes: int = 0
    cpu_seconds: float = 0.0


@attrs.frozen
class CitationKey:
    """What identifies a citation across runs: a claim's source. Its text is well-formed
    (:func:`~claimcheck.model.well_formed`), as the history stores it, so that a key read back
    equals the key it was written from."""

    statement: str = attrs.field(converter=well_formed)
    claim_id: str = attrs.field(converter=well_formed)
    url: str = attrs.field(converter=well_formed)
    accessed: dt.date | None = None

    def __str__(self) -> str:
        when = f" (accessed {self.accessed})" if self.accessed else ""
        return f"{self.statement}/{self.claim_id}: {self.url}{when}"


@attrs.frozen
class Health:
    """The state machine's memory for one citation or URL (the *health* columns)."""

    state: State = State.UNKNOWN
    since: dt.datetime | None = None
    failing_since: dt.datetime | None = None
    failures: int = 0
    last_ok: dt.datetime | None = None
    last_outcome: Outcome | None = None
    last_checked: dt.datetime | None = None
    last_run: int | None = None
    flips: tuple[dt.datetime, ...] = ()
    previous_state: State | None = None
    changed_run: int | None = None


@attrs.frozen
class Observation:
    """One run's observation of one citation (a row of ``observations``; see the schema).

    ``id`` is ``None`` until :meth:`History.record` stores it."""

    run_id: int
    key: CitationKey
    kind: str
    claim_hash: str
    observed_at: dt.datetime
    status: Status
    reason: Reason
    message: str
    outcome: Outcome
    definite: bool = False
    claims_file: str | None = None
    fetch_reason: Reason | None = None
    http_status: int | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    final_url: str | None = None
    digest: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    score: float | None = None
    passage: str | None = None
    found: str | None = None
    snapshot: str | None = None
    archive_url: str | None = None
    replacement: str | None = None
    unchanged: bool = False
    reused: bool = False
    saved_archive_url: str | None = None
    id: int | None = None


@attrs.frozen
class UrlState:
    """What is known of one fetched URL across runs (a row of ``url_state``)."""

    url: str
    health: Health = attrs.field(factory=Health)
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    snapshot: str | None = None
    archive_url: str | None = None
    archive_captured: dt.datetime | None = None
    archive_checked: dt.datetime | None = None


@attrs.frozen
class CitationState:
    """One citation's state across runs (a row of ``citations``)."""

    key: CitationKey
    health: Health = attrs.field(factory=Health)
    last_observation: int | None = None


@attrs.frozen
class ArchiveListing:
    """What the Internet Archive's CDX index listed under a URL ``prefix`` (its index key: one
    query for all the cited URLs of a host), as the audit history remembers it: when it was
    asked (``listed_at``), the index keys (SURT) of the cited URLs it answers for (``keys``:
    all it holds of them is in ``captures``, maybe nothing), and those ``captures`` as rows
    ``(original, timestamp, status, digest, media type)`` (14-digit timestamps; absent
    fields None)."""

    prefix: str
    listed_at: dt.datetime
    keys: tuple[str, ...] = ()
    captures: tuple[tuple[str, str, str | None, str | None, str | None], ...] = ()
