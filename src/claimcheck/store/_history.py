"""The audit history: every observation of every citation, run after run, in one SQLite file.

``claimcheck audit`` checks the same citations night after night and reports only what changed.
It keeps what it saw in an embedded SQLite database (stdlib :mod:`sqlite3`), written here and
read by anything that reports on it (``claimcheck audit report``, notebooks, ``sqlite3``). The
tables are the public interface for readers; :class:`History` is the way to write them.

Schema (version 3; ``PRAGMA user_version`` holds the version)
----------------------------------------------------------------

Times are ISO 8601 UTC text with microseconds (``2026-03-01T02:00:00.000000Z``: fixed width, so
they sort as text); dates ``YYYY-MM-DD``; booleans 0/1; JSON columns are text.

``runs``: one row per audit run.

============== ===================================================================================
id             INTEGER PRIMARY KEY, increasing
started        when the run started (the run's clock: the state machine dates its failures by it)
finished       when it completed, NULL while running
state          ``running`` (in progress, or the process died: the next audit resumes it),
               ``complete``, ``abandoned`` (died and too old to resume)
options        JSON: the audit's policy, the claims files, the claimcheck version
bytes          bytes received by the run's fetches (added up over resumed processes)
cpu_seconds    CPU time the run's processes spent (added when each ends; a killed one's is lost)
============== ===================================================================================

``observations``: one row per run × citation (a citation: a claim's source, keyed by statement,
claim id, URL and accessed date; unique per run, so a resumed run never observes one twice).

=================== ==============================================================================
id                  INTEGER PRIMARY KEY, in the order the observations were made
run_id              the run (``runs.id``; deleting a run deletes its observations)
statement           the statement's id (the claims file's stem when it has none)
claims_file         the claims file's path, as given to the audit (NULL for claims made in code)
claim_id            the claim's id (``#n``, its position, for a claim without one)
kind                ``quote`` | ``figure`` | ``date``
claim_hash          SHA-256 of everything matching depends on (kind, text, value, context, date,
                    the source's accessed date and context, the claimcheck version): a result is
                    reused only for the same claim
url, accessed       the cited URL as written, the source's accessed date (or NULL)
observed_at         when the observation was made
status, reason      the citation's verdict (``verified`` | ``drifted`` | ``broken`` |
                    ``unchecked``; the reasons of :class:`~claimcheck.Reason`)
message             the verdict in words
outcome             what the verdict counts as: ``ok`` (verified), ``broken``, ``drifted``,
                    ``unchecked`` (never a failure; also a verdict resting on the archived copy
                    alone because the live page could not be read)
definite            1 when the failure counts at once (the page shows the claim changed, or the
                    citation is a placeholder or not a URL), 0 when it needs repeating
fetch_reason        the live fetch's own outcome when it failed (``http-404``, ``blocked``, …)
http_status         the last HTTP status of the live fetch (304 when not modified)
redirects           JSON ``[[status, url], …]``: the redirect chain
final_url           the last URL requested
digest              ``sha256:<hex>`` of the live body the verdict read (the previous one after a
                    304)
etag, last_modified the validators the live answer carried (for the next conditional request)
bytes               bytes received for the URL's fetch, counted on the URL's first observation
                    of the run only (0 on the others), so a run's sum is its transfer
elapsed             seconds the URL's fetch took
cpu_seconds         CPU seconds spent judging this citation (reading, matching, archives)
score, passage,     the matching engine's evidence: score 0-100, the passage found, the value
found               found for a figure or date (from the live copy, else the archived one)
snapshot            the WARC file (in the snapshot store) of the live copy read
archive_url         the archived copy consulted, when one was
replacement         the archived URL suggested for a dead link (it supports the claim)
unchanged           1 when the source was unchanged since the last fetch (304, or same digest)
reused              1 when the verdict was copied from the previous observation of the citation
                    (unchanged source, same claim hash): no extraction, no matching
saved_archive_url   (v2) a capture Save Page Now made for the URL during this observation
=================== ==============================================================================

``citations`` and ``url_state``: the state machine's memory, one row per citation and per
fetched URL, updated in the same transaction as the observation that changes them. Their
common *health* columns:

============== ===================================================================================
state          ``unknown`` (only unchecked so far), ``healthy``, ``failing`` (failed, not yet
               confirmed), ``broken``, ``drifted`` (citations only), ``flapping``
since          when the current state began
failing_since  the first failure of the current run of failures (NULL when the last decisive
               outcome was ok)
failures       how many runs failed in the current run of failures
last_ok        the last run that was ok
last_outcome   ``ok`` | ``broken`` | ``drifted`` | ``unchecked``: the last run's
last_checked   the last run's time; ``last_run`` its id
flips          JSON list of times at which the outcome turned from ok to failing or back,
               within the flapping window
previous_state the state before the last change; ``changed_run`` the run that changed it
============== ===================================================================================

``citations`` adds ``statement``, ``claim_id``, ``url``, ``accessed`` (the key, unique) and
``last_observation`` (``observations.id``). ``url_state`` adds ``url`` (the key), and what the
next conditional request needs: ``etag``, ``last_modified``, ``digest`` and ``snapshot`` (the
WARC file) of the last good live fetch; and (v2) ``archive_url``, ``archive_captured`` (the
latest web-archive capture known of the URL and its time) and ``archive_checked`` (when the
Internet Archive was last asked, for Save Page Now before death).

``archive_listings`` (v3): what the Internet Archive's CDX index listed under a URL prefix (an
audit asks once for all the cited URLs of a host rather than once for each), kept so that the
next runs need not ask again while the answer is recent: ``prefix`` (the index key of the URL
prefix asked: ``org,example)/news/``), ``listed_at`` (when), ``keys`` (JSON: the index keys of
the cited URLs the listing answers for: what it holds of them is all the index holds) and
``captures`` (JSON ``[[original, timestamp, status, digest, media type], …]``, of those URLs
only).

Durability and safety: WAL journal, ``synchronous=NORMAL`` (a committed transaction survives
the process being killed; a power cut may lose the last ones, never the file's integrity),
foreign keys enforced, a busy timeout for concurrent readers. Each observation is committed
with its state changes as it is made, so a SIGKILL loses at most the one in flight.

Migrations: :data:`MIGRATIONS` lists, in order, the statements that take the schema from each
version to the next. Opening a history applies the missing ones in one transaction and sets
``user_version``; a file of a newer version than this claimcheck knows is refused
(:class:`~claimcheck.HistoryError`), never altered.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import attrs

from ..errors import HistoryError
from ..model import well_formed
from ._records import (
    ArchiveListing,
    CitationKey,
    CitationState,
    Health,
    Observation,
    Run,
    UrlState,
)
from ._schema import (
    _KEY_WHERE,
    MIGRATIONS,
    _bindable,
    _citation_of,
    _date,
    _health_values,
    _key_of,
    _key_params,
    _listing_of,
    _observation_of,
    _observation_values,
    _run_of,
    _time,
    _url_state_of,
    migrate,
)

__all__ = [
    "History",
]

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Rows


# ---------------------------------------------------------------------------------------------
# Schema


# ---------------------------------------------------------------------------------------------
# Conversions


# ---------------------------------------------------------------------------------------------
# The history


class History:
    """An audit history file: open (creating or migrating it), record, read.

    ``History(path)`` opens the SQLite file at ``path``, creating it when absent and applying
    any missing migrations. One History object is meant for one thread (SQLite connections are
    not shared across threads here); any number of processes may read the file while an audit
    writes it (WAL), and ``timeout`` is how long a write waits for another writer's lock.

    Raises :class:`~claimcheck.HistoryError` when the file is not an SQLite database (or is
    damaged), or was written by a newer claimcheck.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=True
            )
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: cannot open the audit history: {error}") from None
        connection.row_factory = sqlite3.Row
        self._connection = connection
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise HistoryError(f"{self.path}: the history needs WAL mode (got {mode})")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            self.migrated_from = migrate(connection, MIGRATIONS)
        except sqlite3.Error as error:
            connection.close()
            raise HistoryError(f"{self.path}: not a usable audit history: {error}") from None
        except BaseException:
            connection.close()
            raise

    def __repr__(self) -> str:
        return f"History({str(self.path)!r})"

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection, for ad-hoc reading queries (rows are :class:`sqlite3.Row`).
        Writing through it bypasses the state machine: use :meth:`record`."""
        return self._connection

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: cannot write the history: {error}") from None
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: cannot write the history: {error}") from None

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            text = tuple(well_formed(p) if isinstance(p, str) else p for p in params)
            return list(self._connection.execute(sql, text))
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: cannot read the history: {error}") from None

    def _records(
        self, table: str, rows: list[sqlite3.Row], convert: Callable[[sqlite3.Row], T]
    ) -> list[T]:
        """``rows`` of ``table`` read into records; :class:`~claimcheck.HistoryError` naming
        the file, the table, the row and the column for a value that is not of its kind (the
        history was edited by hand), never another error."""
        records = []
        for row in rows:
            try:
                records.append(convert(row))
            except (ValueError, TypeError, KeyError, OverflowError) as error:
                # a Row's `in` looks among its values: its column names are its keys()
                named = "id" in row.keys()  # noqa: SIM118
                which = f"row {row['id']}" if named else f"row {row[0]!r:.80}"
                raise HistoryError(
                    f"{self.path}: {table} {which}: {error} (was the history edited by hand?)"
                ) from None
        return records

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the audit lock (``<file>.lock``) for the ``with`` block: one audit at a time
        writes a history. Raises :class:`~claimcheck.HistoryError` at once when another
        process holds it. The lock is released when the process ends, killed or not."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise HistoryError(f"{self.path}: another audit is running on it") from None
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- runs -----------------------------------------------------------------------------

    def start_run(self, started: dt.datetime, options: Mapping[str, Any] | None = None) -> Run:
        """Record a new run, ``running`` from ``started``."""
        with self._transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO runs (started, state, options) VALUES (?, 'running', ?)",
                (_time(started), json.dumps(dict(options or {}), sort_keys=True, default=str)),
            )
            run_id = cursor.lastrowid
        assert run_id is not None
        return self.run(run_id)

    def run(self, run_id: int) -> Run:
        """The run ``run_id``; :class:`~claimcheck.HistoryError` when there is none."""
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise HistoryError(f"{self.path}: no run {run_id}")
        return self._records("runs", rows, _run_of)[0]

    def runs(self) -> list[Run]:
        """Every run, oldest first."""
        return self._records("runs", self._rows("SELECT * FROM runs ORDER BY id"), _run_of)

    def latest_run(self) -> Run | None:
        """The latest run, whatever its state, or ``None``."""
        rows = self._rows("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
        return self._records("runs", rows, _run_of)[0] if rows else None

    def finish_run(self, run_id: int, finished: dt.datetime, *, cpu_seconds: float = 0.0) -> Run:
        """Mark a run complete, adding the last process's CPU time."""
        self.add_cpu(run_id, cpu_seconds, finished=finished)
        return self.run(run_id)

    def add_cpu(
        self, run_id: int, cpu_seconds: float, *, finished: dt.datetime | None = None
    ) -> None:
        """Add a process's CPU time to a run (and complete it, given ``finished``). A run's
        ``bytes`` need no adding: :meth:`record` adds each observation's."""
        with self._transaction() as connection:
            connection.execute(
                "UPDATE runs SET cpu_seconds = cpu_seconds + ? WHERE id = ?",
                (cpu_seconds, run_id),
            )
            if finished is not None:
                connection.execute(
                    "UPDATE runs SET state = 'complete', finished = ? WHERE id = ?",
                    (_time(finished), run_id),
                )

    def abandon_run(self, run_id: int) -> Run:
        """Mark a run that died and will not be resumed ``abandoned`` (its observations stay)."""
        with self._transaction() as connection:
            connection.execute(
                "UPDATE runs SET state = 'abandoned' WHERE id = ? AND state = 'running'", (run_id,)
            )
        return self.run(run_id)

    # -- observations ---------------------------------------------------------------------

    def record(
        self,
        observation: Observation,
        *,
        citation: Health,
        url_state: UrlState | None = None,
    ) -> Observation:
        """Store an observation with the citation's new health (and the URL's new state, when
        given), in one transaction: either all of it is in the file, or none. The observation's
        ``bytes`` are added to its run's. Returns the observation with its ``id``."""
        values = _bindable(_observation_values(observation))
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        try:
            with self._transaction() as connection:
                cursor = connection.execute(
                    f"INSERT INTO observations ({columns}) VALUES ({marks})", values
                )
                observation_id = cursor.lastrowid
                assert observation_id is not None
                if observation.bytes:
                    connection.execute(
                        "UPDATE runs SET bytes = bytes + ? WHERE id = ?",
                        (observation.bytes, observation.run_id),
                    )
                self._save_citation(
                    connection, CitationState(observation.key, citation, observation_id)
                )
                if url_state is not None:
                    self._save_url_state(connection, url_state)
        except sqlite3.IntegrityError as error:
            raise HistoryError(
                f"{self.path}: cannot record {observation.key} in run {observation.run_id}: {error}"
            ) from None
        return attrs.evolve(observation, id=observation_id)

    def observation(self, observation_id: int) -> Observation | None:
        """The observation ``observation_id``, or ``None``."""
        rows = self._rows("SELECT * FROM observations WHERE id = ?", (observation_id,))
        return self._records("observations", rows, _observation_of)[0] if rows else None

    def observations(
        self,
        *,
        run_id: int | None = None,
        url: str | None = None,
        key: CitationKey | None = None,
    ) -> list[Observation]:
        """Observations in the order they were made: all, or those of a run, a URL, a
        citation (the filters combine)."""
        where: list[str] = []
        params: list[Any] = []
        if run_id is not None:
            where.append("run_id = ?")
            params.append(run_id)
        if url is not None:
            where.append("url = ?")
            params.append(url)
        if key is not None:
            where.append(_KEY_WHERE)
            params.extend(_key_params(key))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._rows(f"SELECT * FROM observations{clause} ORDER BY id", params)
        return self._records("observations", rows, _observation_of)

    def observed(self, run_id: int) -> set[CitationKey]:
        """The citations a run has observed so far (what a resumed run skips)."""
        rows = self._rows(
            "SELECT id, statement, claim_id, url, accessed FROM observations WHERE run_id = ?",
            (run_id,),
        )
        return set(self._records("observations", rows, _key_of))

    # -- state ----------------------------------------------------------------------------

    def citation(self, key: CitationKey) -> CitationState | None:
        """A citation's state, or ``None`` if it was never observed."""
        rows = self._rows(f"SELECT * FROM citations WHERE {_KEY_WHERE}", _key_params(key))
        return self._records("citations", rows, _citation_of)[0] if rows else None

    def citations(self, *, last_run: int | None = None) -> list[CitationState]:
        """Every citation's state (only those the run ``last_run`` observed, when given)."""
        if last_run is None:
            rows = self._rows("SELECT * FROM citations ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM citations WHERE last_run = ? ORDER BY id", (last_run,))
        return self._records("citations", rows, _citation_of)

    def url_state(self, url: str) -> UrlState | None:
        """What is known of ``url``, or ``None``."""
        rows = self._rows("SELECT * FROM url_state WHERE url = ?", (url,))
        return self._records("url_state", rows, _url_state_of)[0] if rows else None

    def url_states(self) -> list[UrlState]:
        """What is known of every URL, by URL."""
        rows = self._rows("SELECT * FROM url_state ORDER BY url")
        return self._records("url_state", rows, _url_state_of)

    def archive_listing(self, prefix: str) -> ArchiveListing | None:
        """The archive listing remembered for ``prefix``, or ``None``."""
        rows = self._rows("SELECT * FROM archive_listings WHERE prefix = ?", (prefix,))
        return self._records("archive_listings", rows, _listing_of)[0] if rows else None

    def save_archive_listing(self, listing: ArchiveListing) -> None:
        """Remember ``listing`` (replacing the one of its prefix)."""
        row = _bindable(
            {
                "prefix": listing.prefix,
                "listed_at": _time(listing.listed_at),
                "keys": json.dumps(list(listing.keys)),
                "captures": json.dumps([list(c) for c in listing.captures]),
            }
        )
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO archive_listings (prefix, listed_at, keys, captures) "
                "VALUES (:prefix, :listed_at, :keys, :captures)",
                row,
            )

    def _save_citation(self, connection: sqlite3.Connection, state: CitationState) -> None:
        values = _bindable(
            {**_health_values(state.health), "last_observation": state.last_observation}
        )
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        key = state.key
        updated = connection.execute(
            f"UPDATE citations SET {assignments} WHERE statement = :statement AND "
            "claim_id = :claim_id AND url = :url AND ifnull(accessed, '') = ifnull(:accessed, '')",
            {
                **values,
                "statement": key.statement,
                "claim_id": key.claim_id,
                "url": key.url,
                "accessed": _date(key.accessed),
            },
        )
        if updated.rowcount == 0:
            row = {
                "statement": key.statement,
                "claim_id": key.claim_id,
                "url": key.url,
                "accessed": _date(key.accessed),
                **values,
            }
            connection.execute(
                f"INSERT INTO citations ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + name for name in row)})",
                row,
            )

    def _save_url_state(self, connection: sqlite3.Connection, state: UrlState) -> None:
        row = _bindable(
            {
                "url": state.url,
                **_health_values(state.health),
                "etag": state.etag,
                "last_modified": state.last_modified,
                "digest": state.digest,
                "snapshot": state.snapshot,
                "archive_url": state.archive_url,
                "archive_captured": _time(state.archive_captured),
                "archive_checked": _time(state.archive_checked),
            }
        )
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "url")
        connection.execute(
            f"INSERT INTO url_state ({', '.join(row)}) "
            f"VALUES ({', '.join(':' + name for name in row)}) "
            f"ON CONFLICT (url) DO UPDATE SET {updates}",
            row,
        )

    # -- maintenance ----------------------------------------------------------------------

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``"ok"``, or the problems found."""
        rows = self._rows("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows)
