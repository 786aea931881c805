"""The audit history's SQLite schema: its :data:`MIGRATIONS` (applied in order by
:func:`migrate`; the version is ``user_version``) and the mapping of records to rows and back."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import HistoryError
from ..model import Reason, Status, well_formed
from ._records import (
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


def _parse_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


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


def _health_of(row: sqlite3.Row) -> Health:
    return Health(
        state=State(row["state"]),
        since=_parse_time(row["since"]),
        failing_since=_parse_time(row["failing_since"]),
        failures=int(row["failures"]),
        last_ok=_parse_time(row["last_ok"]),
        last_outcome=Outcome(row["last_outcome"]) if row["last_outcome"] else None,
        last_checked=_parse_time(row["last_checked"]),
        last_run=row["last_run"],
        flips=tuple(t for t in (_parse_time(v) for v in json.loads(row["flips"])) if t),
        previous_state=State(row["previous_state"]) if row["previous_state"] else None,
        changed_run=row["changed_run"],
    )


def _run_of(row: sqlite3.Row) -> Run:
    started = _parse_time(row["started"])
    assert started is not None
    return Run(
        id=int(row["id"]),
        started=started,
        state=RunState(row["state"]),
        finished=_parse_time(row["finished"]),
        options=json.loads(row["options"] or "{}"),
        bytes=int(row["bytes"]),
        cpu_seconds=float(row["cpu_seconds"]),
    )


def _key_of(row: sqlite3.Row) -> CitationKey:
    return CitationKey(row["statement"], row["claim_id"], row["url"], _parse_date(row["accessed"]))


def _observation_of(row: sqlite3.Row) -> Observation:
    observed_at = _parse_time(row["observed_at"])
    assert observed_at is not None
    return Observation(
        id=int(row["id"]),
        run_id=int(row["run_id"]),
        key=_key_of(row),
        kind=row["kind"],
        claim_hash=row["claim_hash"],
        observed_at=observed_at,
        status=Status(row["status"]),
        reason=Reason(row["reason"]),
        message=row["message"],
        outcome=Outcome(row["outcome"]),
        definite=bool(row["definite"]),
        claims_file=row["claims_file"],
        fetch_reason=Reason(row["fetch_reason"]) if row["fetch_reason"] else None,
        http_status=row["http_status"],
        redirects=tuple((int(s), str(u)) for s, u in json.loads(row["redirects"] or "[]")),
        final_url=row["final_url"],
        digest=row["digest"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        bytes=int(row["bytes"]),
        elapsed=float(row["elapsed"]),
        cpu_seconds=float(row["cpu_seconds"]),
        score=row["score"],
        passage=row["passage"],
        found=row["found"],
        snapshot=row["snapshot"],
        archive_url=row["archive_url"],
        replacement=row["replacement"],
        unchanged=bool(row["unchanged"]),
        reused=bool(row["reused"]),
        saved_archive_url=row["saved_archive_url"],
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
        url=row["url"],
        health=_health_of(row),
        etag=row["etag"],
        last_modified=row["last_modified"],
        digest=row["digest"],
        snapshot=row["snapshot"],
        archive_url=row["archive_url"],
        archive_captured=_parse_time(row["archive_captured"]),
        archive_checked=_parse_time(row["archive_checked"]),
    )


def _citation_of(row: sqlite3.Row) -> CitationState:
    return CitationState(_key_of(row), _health_of(row), row["last_observation"])


_KEY_WHERE = "statement = ? AND claim_id = ? AND url = ? AND ifnull(accessed, '') = ?"


def _key_params(key: CitationKey) -> tuple[str, str, str, str]:
    return key.statement, key.claim_id, key.url, _date(key.accessed) or ""
