"""The audit history's SQLite schema: its :data:`MIGRATIONS` (applied in order by
:func:`migrate`; the version is ``user_version``) and the mapping of records to rows and back."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from ..errors import HistoryError
from ..model import Reason, Status, well_formed
from ._records import (
    ArchiveListing,
    CitationKey,
    CitationState,
    Health,
    Observation,
    Outcome,
    Run,
    RunState,
    State,
    UrlState,
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "migrate",
]

_HEALTH_COLUMNS = """
    state TEXT NOT NULL DEFAULT 'unknown'
        CHECK (state IN ('unknown', 'healthy', 'failing', 'broken', 'drifted', 'flapping')),
    since TEXT,
    failing_since TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_ok TEXT,
    last_outcome TEXT CHECK (last_outcome IN ('ok', 'broken', 'drifted', 'unchecked')),
    last_checked TEXT,
    last_run INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    flips TEXT NOT NULL DEFAULT '[]',
    previous_state TEXT,
    changed_run INTEGER REFERENCES runs (id) ON DELETE SET NULL"""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: runs, observations, citations, url_state.
    (
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'abandoned')),
            options TEXT NOT NULL DEFAULT '{}',
            bytes INTEGER NOT NULL DEFAULT 0,
            cpu_seconds REAL NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE observations (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            statement TEXT NOT NULL,
            claims_file TEXT,
            claim_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            claim_hash TEXT NOT NULL,
            url TEXT NOT NULL,
            accessed TEXT,
            observed_at TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            message TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'broken', 'drifted', 'unchecked')),
            definite INTEGER NOT NULL DEFAULT 0,
            fetch_reason TEXT,
            http_status INTEGER,
            redirects TEXT NOT NULL DEFAULT '[]',
            final_url TEXT,
            digest TEXT,
            etag TEXT,
            last_modified TEXT,
            bytes INTEGER NOT NULL DEFAULT 0,
            elapsed REAL NOT NULL DEFAULT 0,
            cpu_seconds REAL NOT NULL DEFAULT 0,
            score REAL,
            passage TEXT,
            found TEXT,
            snapshot TEXT,
            archive_url TEXT,
            replacement TEXT,
            unchanged INTEGER NOT NULL DEFAULT 0,
            reused INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE UNIQUE INDEX observations_once
            ON observations (run_id, statement, claim_id, url, ifnull(accessed, ''))""",
        """CREATE INDEX observations_url ON observations (url, id)""",
        f"""CREATE TABLE citations (
            id INTEGER PRIMARY KEY,
            statement TEXT NOT NULL,
            claim_id TEXT NOT NULL,
            url TEXT NOT NULL,
            accessed TEXT,{_HEALTH_COLUMNS},
            last_observation INTEGER REFERENCES observations (id) ON DELETE SET NULL
        )""",
        """CREATE UNIQUE INDEX citations_key
            ON citations (statement, claim_id, url, ifnull(accessed, ''))""",
        f"""CREATE TABLE url_state (
            url TEXT PRIMARY KEY,{_HEALTH_COLUMNS},
            etag TEXT,
            last_modified TEXT,
            digest TEXT,
            snapshot TEXT
        )""",
    ),
    # 1 -> 2: Save Page Now before death.
    (
        "ALTER TABLE url_state ADD COLUMN archive_url TEXT",
        "ALTER TABLE url_state ADD COLUMN archive_captured TEXT",
        "ALTER TABLE url_state ADD COLUMN archive_checked TEXT",
        "ALTER TABLE observations ADD COLUMN saved_archive_url TEXT",
    ),
    # 2 -> 3: the web archive's answers for a URL prefix (a host), remembered between runs.
    (
        """CREATE TABLE archive_listings (
            prefix TEXT PRIMARY KEY,
            listed_at TEXT NOT NULL,
            keys TEXT NOT NULL DEFAULT '[]',
            captures TEXT NOT NULL DEFAULT '[]'
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection, migrations: Sequence[Sequence[str]]) -> int:
    """Bring the database to ``len(migrations)`` in one transaction; return the version it had.

    The connection must be in autocommit mode (``isolation_level=None``). ``BEGIN IMMEDIATE``
    takes the write lock before the version is read, so two processes opening an old file at
    once migrate it once."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > len(migrations):
            raise HistoryError(
                f"the history is at schema version {version}, newer than this claimcheck's "
                f"{len(migrations)}: upgrade claimcheck to use it"
            )
        for number in range(version, len(migrations)):
            for statement in migrations[number]:
                connection.execute(statement)
        if version != len(migrations):
            connection.execute(f"PRAGMA user_version = {len(migrations)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return version


def _bindable(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with their text well-formed (:func:`~claimcheck.model.well_formed`): SQLite
    stores UTF-8, and a lone surrogate in a message, a passage or a header must not stop the
    audit from recording."""
    return {name: well_formed(v) if isinstance(v, str) else v for name, v in values.items()}


def _time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Reading rows back. A history may have been edited by hand (the sqlite3 shell can even turn
# CHECK constraints off), so every value is checked for its kind as it is read: a value that is
# not is a ValueError naming its column, which History turns into a HistoryError naming the
# file, the table and the row.

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def _value(row: sqlite3.Row, column: str, kind: type[T] | tuple[type, ...], what: str) -> T:
    value = row[column]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"{column} is {value!r:.60}, not {what}")
    return cast(T, value)


def _text(row: sqlite3.Row, column: str) -> str:
    return _value(row, column, str, "text")


def _text_or_none(row: sqlite3.Row, column: str) -> str | None:
    return None if row[column] is None else _text(row, column)


def _integer(row: sqlite3.Row, column: str) -> int:
    return _value(row, column, int, "a whole number")


def _integer_or_none(row: sqlite3.Row, column: str) -> int | None:
    return None if row[column] is None else _integer(row, column)


def _real(row: sqlite3.Row, column: str) -> float:
    return float(_value(row, column, (int, float), "a number"))


def _real_or_none(row: sqlite3.Row, column: str) -> float | None:
    return None if row[column] is None else _real(row, column)


def _parse_time(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _time_or_none(row: sqlite3.Row, column: str) -> dt.datetime | None:
    return None if row[column] is None else _time_at(row, column)


def _time_at(row: sqlite3.Row, column: str) -> dt.datetime:
    text = _text(row, column)
    try:
        return _parse_time(text)
    except ValueError:
        raise ValueError(f"{column} is {text!r:.60}, not a time") from None


def _date_or_none(row: sqlite3.Row, column: str) -> dt.date | None:
    text = _text_or_none(row, column)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} is {text!r:.60}, not a date") from None


def _choice(kind: type[E], row: sqlite3.Row, column: str) -> E:
    text = _text(row, column)
    try:
        return kind(text)
    except ValueError:
        known = ", ".join(str(member.value) for member in kind)
        raise ValueError(f"{column} is {text!r:.60}, not one of {known}") from None


def _choice_or_none(kind: type[E], row: sqlite3.Row, column: str) -> E | None:
    return _choice(kind, row, column) if row[column] else None


def _json(row: sqlite3.Row, column: str, kind: type[T], default: T) -> T:
    text = _text_or_none(row, column)
    try:
        value = json.loads(text) if text else default
    except (ValueError, RecursionError):
        raise ValueError(f"{column} is {text!r:.60}, not JSON") from None
    if not isinstance(value, kind):
        raise ValueError(f"{column} is {text!r:.60}, not a JSON {kind.__name__}")
    return value


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _health_values(health: Health) -> dict[str, Any]:
    return {
        "state": health.state.value,
        "since": _time(health.since),
        "failing_since": _time(health.failing_since),
        "failures": health.failures,
        "last_ok": _time(health.last_ok),
        "last_outcome": health.last_outcome.value if health.last_outcome else None,
        "last_checked": _time(health.last_checked),
        "last_run": health.last_run,
        "flips": json.dumps([_time(flip) for flip in health.flips]),
        "previous_state": health.previous_state.value if health.previous_state else None,
        "changed_run": health.changed_run,
    }


def _flips(row: sqlite3.Row) -> tuple[dt.datetime, ...]:
    flips = _json(row, "flips", list, [])
    try:
        return tuple(_parse_time(flip) for flip in flips if flip is not None)
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"flips is {row['flips']!r:.60}, not a list of times") from None


def _health_of(row: sqlite3.Row) -> Health:
    return Health(
        state=_choice(State, row, "state"),
        since=_time_or_none(row, "since"),
        failing_since=_time_or_none(row, "failing_since"),
        failures=_integer(row, "failures"),
        last_ok=_time_or_none(row, "last_ok"),
        last_outcome=_choice_or_none(Outcome, row, "last_outcome"),
        last_checked=_time_or_none(row, "last_checked"),
        last_run=_integer_or_none(row, "last_run"),
        flips=_flips(row),
        previous_state=_choice_or_none(State, row, "previous_state"),
        changed_run=_integer_or_none(row, "changed_run"),
    )


def _run_of(row: sqlite3.Row) -> Run:
    return Run(
        id=_integer(row, "id"),
        started=_time_at(row, "started"),
        state=_choice(RunState, row, "state"),
        finished=_time_or_none(row, "finished"),
        options=_json(row, "options", dict, {}),
        bytes=_integer(row, "bytes"),
        cpu_seconds=_real(row, "cpu_seconds"),
    )


def _key_of(row: sqlite3.Row) -> CitationKey:
    return CitationKey(
        _text(row, "statement"),
        _text(row, "claim_id"),
        _text(row, "url"),
        _date_or_none(row, "accessed"),
    )


def _redirects(row: sqlite3.Row) -> tuple[tuple[int, str], ...]:
    hops = _json(row, "redirects", list, [])
    if not all(
        isinstance(hop, list)
        and len(hop) == 2
        and isinstance(hop[0], int)
        and not isinstance(hop[0], bool)
        and isinstance(hop[1], str)
        for hop in hops
    ):
        raise ValueError(f"redirects is {row['redirects']!r:.60}, not [[status, url], ...]")
    return tuple((status, url) for status, url in hops)


def _observation_of(row: sqlite3.Row) -> Observation:
    return Observation(
        id=_integer(row, "id"),
        run_id=_integer(row, "run_id"),
        key=_key_of(row),
        kind=_text(row, "kind"),
        claim_hash=_text(row, "claim_hash"),
        observed_at=_time_at(row, "observed_at"),
        status=_choice(Status, row, "status"),
        reason=_choice(Reason, row, "reason"),
        message=_text(row, "message"),
        outcome=_choice(Outcome, row, "outcome"),
        definite=bool(_integer(row, "definite")),
        claims_file=_text_or_none(row, "claims_file"),
        fetch_reason=_choice_or_none(Reason, row, "fetch_reason"),
        http_status=_integer_or_none(row, "http_status"),
        redirects=_redirects(row),
        final_url=_text_or_none(row, "final_url"),
        digest=_text_or_none(row, "digest"),
        etag=_text_or_none(row, "etag"),
        last_modified=_text_or_none(row, "last_modified"),
        bytes=_integer(row, "bytes"),
        elapsed=_real(row, "elapsed"),
        cpu_seconds=_real(row, "cpu_seconds"),
        score=_real_or_none(row, "score"),
        passage=_text_or_none(row, "passage"),
        found=_text_or_none(row, "found"),
        snapshot=_text_or_none(row, "snapshot"),
        archive_url=_text_or_none(row, "archive_url"),
        replacement=_text_or_none(row, "replacement"),
        unchanged=bool(_integer(row, "unchanged")),
        reused=bool(_integer(row, "reused")),
        saved_archive_url=_text_or_none(row, "saved_archive_url"),
    )


def _observation_values(observation: Observation) -> dict[str, Any]:
    key = observation.key
    return {
        "run_id": observation.run_id,
        "statement": key.statement,
        "claims_file": observation.claims_file,
        "claim_id": key.claim_id,
        "kind": observation.kind,
        "claim_hash": observation.claim_hash,
        "url": key.url,
        "accessed": _date(key.accessed),
        "observed_at": _time(observation.observed_at),
        "status": observation.status.value,
        "reason": observation.reason.value,
        "message": observation.message,
        "outcome": observation.outcome.value,
        "definite": int(observation.definite),
        "fetch_reason": observation.fetch_reason.value if observation.fetch_reason else None,
        "http_status": observation.http_status,
        "redirects": json.dumps([list(hop) for hop in observation.redirects]),
        "final_url": observation.final_url,
        "digest": observation.digest,
        "etag": observation.etag,
        "last_modified": observation.last_modified,
        "bytes": observation.bytes,
        "elapsed": observation.elapsed,
        "cpu_seconds": observation.cpu_seconds,
        "score": observation.score,
        "passage": observation.passage,
        "found": observation.found,
        "snapshot": observation.snapshot,
        "archive_url": observation.archive_url,
        "replacement": observation.replacement,
        "unchanged": int(observation.unchanged),
        "reused": int(observation.reused),
        "saved_archive_url": observation.saved_archive_url,
    }


def _url_state_of(row: sqlite3.Row) -> UrlState:
    return UrlState(
        url=_text(row, "url"),
        health=_health_of(row),
        etag=_text_or_none(row, "etag"),
        last_modified=_text_or_none(row, "last_modified"),
        digest=_text_or_none(row, "digest"),
        snapshot=_text_or_none(row, "snapshot"),
        archive_url=_text_or_none(row, "archive_url"),
        archive_captured=_time_or_none(row, "archive_captured"),
        archive_checked=_time_or_none(row, "archive_checked"),
    )


def _citation_of(row: sqlite3.Row) -> CitationState:
    return CitationState(_key_of(row), _health_of(row), _integer_or_none(row, "last_observation"))


_KEY_WHERE = "statement = ? AND claim_id = ? AND url = ? AND ifnull(accessed, '') = ?"


def _key_params(key: CitationKey) -> tuple[str, str, str, str]:
    return key.statement, key.claim_id, key.url, _date(key.accessed) or ""


def _listing_of(row: sqlite3.Row) -> ArchiveListing:
    """An ``archive_listings`` row as a record (``ValueError`` for a value not of its kind)."""
    rows = json.loads(_text(row, "captures"))
    if not isinstance(rows, list):
        raise ValueError("captures: not a JSON list")
    captures = []
    for item in rows:
        if not (
            isinstance(item, list)
            and len(item) == 5
            and all(isinstance(v, str) for v in item[:2])
            and all(v is None or isinstance(v, str) for v in item[2:])
        ):
            raise ValueError(f"captures: not a capture row: {item!r:.80}")
        captures.append((item[0], item[1], item[2], item[3], item[4]))
    keys = json.loads(_text(row, "keys"))
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise ValueError("keys: not a JSON list of texts")
    return ArchiveListing(
        prefix=_text(row, "prefix"),
        listed_at=_time_at(row, "listed_at"),
        keys=tuple(keys),
        captures=tuple(captures),
    )
