"""The audit history as a report: how the citations fared, run after run (``claimcheck audit
report``).

``claimcheck audit`` tells each night what changed; this tells the story of the whole history:
the counts of each run over time (a chart), the current state of every citation with the
archived copy to cite in place of a dead link, and each citation's timeline. It reads the
SQLite history whose tables :mod:`claimcheck.store` (``_history``) documents, and only reads it.

- :func:`load_audit` opens the file read-only (an SQLite ``mode=ro`` URI: never written, never
  migrated, readable while an audit writes it, since WAL readers do not block the writer) and
  reads it in one read transaction, so that the report is a consistent snapshot. It runs a
  fixed handful of set-based queries whatever the size of the history (no query per citation:
  counts by ``GROUP BY``, the citations' states and last observations by joins, and one
  ordered scan of the observations) and returns an :class:`AuditHistory`. A missing file, a
  file that is not SQLite, an SQLite file that is not a claimcheck history, and a history of a
  newer schema than this claimcheck knows are each refused with a
  :class:`~claimcheck.HistoryError` that says which. Histories of older schema versions are
  read as they are.
- Per run it counts the observations by status and by outcome; the citations that *newly*
  broke or drifted in the run, and those that recovered, come from replaying the audit's state
  machine (:func:`claimcheck.auditing.advance`) over the observations with the policy each run
  recorded. :attr:`AuditHistory.changes_exact` says whether that replay reproduces every
  citation's recorded state (it does unless runs were deleted from the file or the state
  machine changed since); the renderings say so when it does not.
- :func:`render_history_html` is one self-contained page like :func:`~claimcheck.render_html`'s:
  an inline SVG chart drawn here (a bar per run, stacked by status, with axes, a legend, hover
  text per bar and a text alternative: the table of the chart's numbers), then every citation,
  those needing attention first, each as one line with a strip of its statuses run by run,
  its timeline folded in ``<details>``. Its Content-Security-Policy lets the page load nothing
  and run no script (there is none); the style sheet is allowed by its hash. Everything read
  from the history (URLs, messages and passages come from hostile pages) is escaped, its
  control and bidi characters shown rather than obeyed, and only plain http(s) URLs are links.
- :func:`render_history_markdown`: a table of the runs, the citations needing attention (broken,
  drifted, failing, flapping) with their replacement, then the rest, each with a row of status
  symbols for the latest runs.
- :func:`history_to_json`: a public, versioned structure (``"schema":
  "claimcheck.audit-report"``, ``"version": 1``), described by the JSON Schema shipped as
  ``claimcheck/schemas/audit-report.schema.json``. Fields are only ever added within a version.
  A citation's timeline is given as *segments* (consecutive observations that say the same
  thing), so that the document stays small for years of nightly runs; every single
  observation is in the SQLite file.

The same history always renders to the same bytes: nothing depends on the time of rendering.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import HistoryError
from ..model import Status
from ..store import SCHEMA_VERSION, Health, Outcome, RunState, State
from ._policy import AuditPolicy, advance

__all__ = [
    "AUDIT_REPORT_VERSION",
    "AuditHistory",
    "RunSummary",
    "Segment",
    "SourceSummary",
    "TimelineEntry",
    "load_audit",
    "timeline_segments",
]

AUDIT_REPORT_VERSION = 1

T = TypeVar("T")

# The statuses an audit's observations have, in the order reports show them (a chart stacks
# them from the bottom up); any other status found in a history is shown after them.
_STATUSES = (Status.VERIFIED.value, Status.DRIFTED.value, Status.BROKEN.value, "unchecked")
_OUTCOMES = tuple(outcome.value for outcome in Outcome)
_STATES = tuple(state.value for state in State)

# The states that need someone's attention, worst first; the others follow.
ATTENTION_STATES = (State.BROKEN, State.DRIFTED, State.FAILING, State.FLAPPING)
_RANK = {
    state: rank for rank, state in enumerate((*ATTENTION_STATES, State.UNKNOWN, State.HEALTHY))
}
FAILED_STATES = (State.BROKEN, State.DRIFTED, State.FAILING)

_TABLES = ("runs", "observations", "citations", "url_state")


# ---------------------------------------------------------------------------------------------
# The data


@attrs.frozen
class TimelineEntry:
    """One observation of a citation, as its timeline shows it (a row of ``observations``).

    ``status``, ``reason`` and ``outcome`` are the values of :class:`~claimcheck.Status`,
    :class:`~claimcheck.Reason` and :class:`~claimcheck.store.Outcome` (text, so that a
    history written by a later claimcheck of the same schema still reads)."""

    run_id: int
    observed_at: dt.datetime
    status: str
    reason: str
    outcome: str
    message: str
    http_status: int | None = None
    final_url: str | None = None
    unchanged: bool = False
    reused: bool = False
    definite: bool = False
    replacement: str | None = None


@attrs.frozen
class Segment:
    """Consecutive observations of a citation that say the same thing (status, reason,
    outcome, HTTP status and final URL): ``first`` and ``last`` of them, how many, and how many
    of those found the source unchanged or reused the previous verdict. ``message`` is the
    latest observation's."""

    first: TimelineEntry
    last: TimelineEntry
    count: int
    unchanged: int
    reused: int

    @property
    def message(self) -> str:
        """The latest observation's message."""
        return self.last.message


@attrs.frozen
class RunSummary:
    """One audit run and what it observed.

    ``statuses`` and ``outcomes`` count the run's observations (every status of
    :attr:`AuditHistory.statuses`, every outcome, zeros included); ``states`` counts the
    citations known after the run in each state; ``newly_broken``, ``newly_drifted`` and
    ``recovered`` count the citations that changed so in this run (replayed: see
    :attr:`AuditHistory.changes_exact`). ``claimcheck`` is the version that ran it."""

    id: int
    started: dt.datetime
    state: RunState
    finished: dt.datetime | None = None
    observed: int = 0
    statuses: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    outcomes: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    states: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    unchanged: int = 0
    reused: int = 0
    newly_broken: int = 0
    newly_drifted: int = 0
    recovered: int = 0
    bytes: int = 0
    cpu_seconds: float = 0.0
    claimcheck: str | None = None


@attrs.frozen
class SourceSummary:
    """One citation (a claim's source: statement, claim id, URL, accessed date) now, and its
    timeline.

    The health fields are the audit's state machine's (``citations``): ``state`` since
    ``since``, ``failing_since`` and ``failures`` for the current series of failures,
    ``flips`` changes between ok and failing within the flapping window. ``last`` is the
    latest observation; ``replacement`` the archived URL suggested for it since it was last ok
    (one that supports the claim); ``archive_url`` and ``archive_captured`` the latest
    web-archive capture known of the URL (``url_state``: not checked against the claim), and
    ``url_state`` the URL's own state (its live fetches, over every citation of it)."""

    statement: str
    claim_id: str
    url: str
    accessed: dt.date | None = None
    claims_file: str | None = None
    kind: str | None = None
    state: State = State.UNKNOWN
    previous_state: State | None = None
    since: dt.datetime | None = None
    failing_since: dt.datetime | None = None
    failures: int = 0
    last_ok: dt.datetime | None = None
    flips: int = 0
    changed_run: int | None = None
    replacement: str | None = None
    archive_url: str | None = None
    archive_captured: dt.datetime | None = None
    url_state: State | None = None
    timeline: tuple[TimelineEntry, ...] = ()

    @property
    def label(self) -> str:
        """``statement/claim``, as the audit's own reports name a citation."""
        return f"{self.statement}/{self.claim_id}"

    @property
    def last(self) -> TimelineEntry | None:
        """The latest observation, if any."""
        return self.timeline[-1] if self.timeline else None

    @property
    def needs_attention(self) -> bool:
        """Whether the citation is broken, drifted, failing or flapping."""
        return self.state in ATTENTION_STATES

    @property
    def current_since(self) -> dt.datetime | None:
        """Since when it is as it is: the first failure of the current series for a failing
        citation (as the audit reports it), else when the state began."""
        if self.state in FAILED_STATES and self.failing_since is not None:
            return self.failing_since
        return self.since


@attrs.frozen
class AuditHistory:
    """An audit history as read by :func:`load_audit`.

    ``runs`` oldest first; ``sources`` every citation, those needing attention first (broken,
    drifted, failing, flapping, then unknown and healthy; by statement, claim and URL within a
    state); ``statuses`` the statuses counted per run, in display order. ``changes_exact`` is
    true when replaying the state machine over the observations reproduces every citation's
    recorded state, so that each run's newly broken, newly drifted and recovered counts are
    what that night's audit reported; false when the history lost runs (deleted) or was
    written under other rules."""

    path: str
    schema_version: int
    runs: tuple[RunSummary, ...] = ()
    sources: tuple[SourceSummary, ...] = ()
    statuses: tuple[str, ...] = _STATUSES
    changes_exact: bool = True

    @property
    def states(self) -> dict[str, int]:
        """How many citations are in each state now (every state listed)."""
        counts = Counter(source.state.value for source in self.sources)
        return {state: counts.get(state, 0) for state in _STATES}

    @property
    def attention(self) -> tuple[SourceSummary, ...]:
        """The citations that need attention (broken, drifted, failing, flapping)."""
        return tuple(source for source in self.sources if source.needs_attention)


def timeline_segments(timeline: Iterable[TimelineEntry]) -> list[Segment]:
    """``timeline`` folded into :class:`Segment` s: consecutive observations with the same
    status, reason, outcome, HTTP status and final URL make one."""
    segments: list[Segment] = []
    for entry in timeline:
        if segments:
            previous = segments[-1]
            if _segment_key(previous.last) == _segment_key(entry):
                segments[-1] = Segment(
                    previous.first,
                    entry,
                    previous.count + 1,
                    previous.unchanged + entry.unchanged,
                    previous.reused + entry.reused,
                )
                continue
        segments.append(Segment(entry, entry, 1, int(entry.unchanged), int(entry.reused)))
    return segments


def _segment_key(entry: TimelineEntry) -> tuple[str, str, str, int | None, str | None]:
    return entry.status, entry.reason, entry.outcome, entry.http_status, entry.final_url


# ---------------------------------------------------------------------------------------------
# Reading


def _uri(path: Path, **parameters: str) -> str:
    """The ``file:`` URI of ``path`` with ``parameters``: every character that a URI gives a
    meaning (``?``, ``#``, ``%``) quoted, so that any file name opens that file."""
    query = urllib.parse.urlencode(parameters)
    return f"file:{urllib.parse.quote(str(path.absolute()))}?{query}"


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to the history at ``path``.

    A WAL database is read with its ``-wal`` and ``-shm`` files, which SQLite creates when
    absent (the database itself is never written). Where they cannot be created (a read-only
    folder) and there is no ``-wal`` file, nothing can be writing the file, and it is opened
    as immutable."""
    try:
        connection = sqlite3.connect(
            _uri(path, mode="ro"), uri=True, timeout=30.0, isolation_level=None
        )
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        except BaseException:
            connection.close()
            raise
    except sqlite3.OperationalError:
        if Path(f"{path}-wal").exists():
            raise
        connection = sqlite3.connect(
            _uri(path, mode="ro", immutable="1"), uri=True, isolation_level=None
        )
    return connection


def _refusal(shown: str, error: sqlite3.Error) -> HistoryError:
    """The error to raise for an SQLite error met opening or reading the history."""
    if "not a database" in str(error):
        return HistoryError(f"{shown}: not an SQLite database, so not a claimcheck audit history")
    return HistoryError(f"{shown}: cannot read the audit history: {error}")


def load_audit(path: str | os.PathLike[str]) -> AuditHistory:
    """Read the audit history at ``path`` (see the module documentation): read-only, in one
    read transaction, with a fixed number of queries.

    Raises :class:`~claimcheck.HistoryError` when the file does not exist, is not an SQLite
    database, is not a claimcheck audit history, or has a newer schema version than this
    claimcheck knows (upgrade claimcheck to read it)."""
    shown = os.fspath(path)
    file = Path(path)
    if not file.exists():
        raise HistoryError(f"{shown}: no such audit history (the file does not exist)")
    if file.is_dir():
        raise HistoryError(f"{shown}: is a folder, not an audit history")
    try:
        connection = _connect(file)
    except sqlite3.Error as error:
        raise _refusal(shown, error) from None
    try:
        connection.execute("BEGIN")  # one snapshot for every query, while an audit writes
        version = _schema_version(connection, shown)
        history = _read(connection, shown, version)
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        raise _refusal(shown, error) from None
    except _UnreadableError as error:
        raise HistoryError(f"{shown}: {error} (was the history edited by hand?)") from None
    finally:
        connection.close()
    return history


def _schema_version(connection: sqlite3.Connection, shown: str) -> int:
    """The history's schema version, once it is known to be a history this code can read."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if version > SCHEMA_VERSION and "runs" in tables:
        raise HistoryError(
            f"{shown}: the history is at schema version {version}, newer than this "
            f"claimcheck's {SCHEMA_VERSION}: upgrade claimcheck to read it"
        )
    missing = [table for table in _TABLES if table not in tables]
    if version < 1 or missing:
        what = f"no {', '.join(missing)} table" if missing else "no schema version"
        raise HistoryError(
            f"{shown}: an SQLite database but not a claimcheck audit history ({what})"
        )
    return version


class _UnreadableError(Exception):
    """A value of the history that is not of its kind (the file was edited by hand): which
    table, row and column, and what it is."""


# What reading a value that is not of its kind raises, turned into _UnreadableError with its row.
_BAD_VALUE = (ValueError, TypeError, KeyError, AttributeError, OverflowError)
_KINDS: Mapping[str, tuple[tuple[type, ...], str]] = {
    "t": ((str,), "text"),
    "i": ((int,), "a whole number"),
    "r": ((int, float), "a number"),
}


def _checked(row: Sequence[Any], kinds: str, names: Sequence[str]) -> None:
    """Every value of ``row`` of its kind, by ``kinds``: one letter per column, ``t`` text, ``i``
    a whole number, ``r`` a number, in upper case when NULL will not do. SQLite keeps whatever
    value a column is given (a number in a text column, a blob anywhere), and what is read here
    ends up in reports: :class:`ValueError` naming the first column that is not."""
    for value, kind, name in zip(row, kinds, names, strict=True):
        if value is None and kind.islower():
            continue
        types, what = _KINDS[kind.lower()]
        if not isinstance(value, types) or isinstance(value, bool):
            raise ValueError(f"{name} is {value!r:.60}, not {what}")


def _in(read: Callable[[Any], T], row: Sequence[Any], index: int, names: Sequence[str]) -> T:
    """``read`` of the value ``index`` of ``row``; :class:`ValueError` naming its column (in
    ``names``) when it cannot be read."""
    try:
        return read(row[index])
    except _BAD_VALUE as error:
        raise ValueError(f"{names[index]} is {row[index]!r:.60}: {error}") from None


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _state(value: str | None) -> State | None:
    return State(value) if value else None


def _options(text: str | None) -> dict[str, Any]:
    try:
        options = json.loads(text or "{}")
    except ValueError:
        return {}
    return options if isinstance(options, dict) else {}


def _policy(options: Mapping[str, Any]) -> AuditPolicy:
    """The policy a run recorded (durations in seconds), the default where it recorded none or
    one this code cannot read."""
    recorded = options.get("policy")
    if not isinstance(recorded, dict):
        return AuditPolicy()
    values: dict[str, Any] = {}
    try:
        for field in attrs.fields(AuditPolicy):
            if field.name in recorded:
                value = recorded[field.name]
                if isinstance(field.default, dt.timedelta):
                    value = dt.timedelta(seconds=float(value))
                values[field.name] = value
        return AuditPolicy(**values)
    except (TypeError, ValueError, OverflowError):
        return AuditPolicy()


_Key = tuple[str, str, str, str | None]

# Observations whose run is gone (deleted by hand where foreign keys were not enforced, as in
# the sqlite3 shell) are left out: there is no run to count them in.
_OF_A_RUN = "run_id IN (SELECT id FROM runs)"


def _step(
    health: Health,
    outcome: Outcome,
    *,
    at: dt.datetime,
    run_id: int,
    policy: AuditPolicy,
    definite: bool,
) -> Health:
    """:func:`~claimcheck.auditing.advance`, skipped where it cannot change the state machine's
    decisions: an ``unchecked`` outcome never counts, and an ``ok`` for a healthy citation with
    no failure keeps it healthy (its flips can only age). Only the times of the last check and
    of the last ok then go stale, which no rule reads (the last ok only as "there was one").
    Most observations of a long history are of these kinds, and ``advance`` is the dearest
    part of reading it."""
    if outcome is Outcome.UNCHECKED or (
        outcome is Outcome.OK
        and health.state is State.HEALTHY
        and health.failures == 0
        and health.last_ok is not None
    ):
        return health
    return advance(health, outcome, at=at, run_id=run_id, policy=policy, definite=definite)


@attrs.define
class _Changes:
    """The changes of state one run made, and the citations in each state after it."""

    newly_broken: int = 0
    newly_drifted: int = 0
    recovered: int = 0
    states: dict[str, int] | None = None


def _read(connection: sqlite3.Connection, shown: str, version: int) -> AuditHistory:
    """Everything the reports need, in four queries whatever the size of the history: the
    runs, their counts (``GROUP BY``), the citations with their URL's state and their last
    observation (joins), and one ordered scan of the observations for the timelines and the
    replay of the state machine."""
    runs = _Runs(connection)
    counts = _Counts(connection)
    replay = _Replay(runs)
    replay.scan(connection)
    sources, recorded, recorded_exact = _recorded_sources(connection, replay)
    replayed = _unrecorded_sources(replay, recorded)
    sources.extend(replayed)
    sources.sort(key=_source_order)
    statuses = _STATUSES + tuple(sorted(counts.statuses - set(_STATUSES)))
    return AuditHistory(
        path=shown,
        schema_version=version,
        runs=tuple(_run_summaries(runs, counts, replay, statuses)),
        sources=tuple(sources),
        statuses=statuses,
        changes_exact=recorded_exact and not replayed,
    )


_RUN_COLUMNS = ("id", "started", "finished", "state", "options", "bytes", "cpu_seconds")


class _Runs:
    """The runs, each with its date and the policy it recorded (policies read once each)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.rows = connection.execute(
            "SELECT id, started, finished, state, options, bytes, cpu_seconds FROM runs ORDER BY id"
        ).fetchall()
        self.at: dict[int, dt.datetime] = {}
        self.policies: dict[int, AuditPolicy] = {}
        self.options: dict[int, dict[str, Any]] = {}
        known: dict[str, AuditPolicy] = {}
        for row in self.rows:
            run_id, options = row[0], row[4]
            try:
                _checked(row, "ITtTtIR", _RUN_COLUMNS)
                moment = _in(_time, row, 1, _RUN_COLUMNS)
                _in(_time, row, 2, _RUN_COLUMNS)
                _in(RunState, row, 3, _RUN_COLUMNS)
            except _BAD_VALUE as error:
                raise _UnreadableError(f"runs row {run_id!r:.40}: {error}") from None
            assert moment is not None
            self.at[run_id] = moment
            self.options[run_id] = _options(options)
            text = json.dumps(self.options[run_id].get("policy"), sort_keys=True, default=str)
            if text not in known:
                known[text] = _policy(self.options[run_id])
            self.policies[run_id] = known[text]


class _Counts:
    """Each run's observations counted by status and outcome, and how many were unchanged or
    reused (one ``GROUP BY``)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.by_run: dict[int, dict[str, Counter[str]]] = {}
        self.flags: dict[int, Counter[str]] = {}
        self.statuses: set[str] = set()
        for run_id, status, outcome, count, unchanged, reused in connection.execute(
            "SELECT run_id, status, outcome, count(*), total(unchanged), total(reused) "
            f"FROM observations WHERE {_OF_A_RUN} GROUP BY run_id, status, outcome"
        ):
            try:
                _checked((status, outcome), "TT", ("status", "outcome"))
            except _BAD_VALUE as error:
                raise _UnreadableError(f"observations of run {run_id!r:.40}: {error}") from None
            tally = self.by_run.setdefault(run_id, {"statuses": Counter(), "outcomes": Counter()})
            tally["statuses"][status] += count
            tally["outcomes"][outcome] += count
            flags = self.flags.setdefault(run_id, Counter())
            flags.update(unchanged=int(unchanged), reused=int(reused))
            self.statuses.add(status)


_OBSERVATION_COLUMNS = (
    *("statement", "claim_id", "url", "accessed", "run_id", "observed_at", "status", "reason"),
    *("outcome", "message", "http_status", "final_url", "unchanged", "reused", "definite"),
    *("replacement", "id"),
)


class _Replay:
    """One scan of every observation, in the order they were made: the timelines, and the
    state machine replayed with each run's policy for the changes of state of each run."""

    def __init__(self, runs: _Runs) -> None:
        self.runs = runs
        self.timelines: dict[_Key, list[TimelineEntry]] = {}
        self.healths: dict[_Key, Health] = {}
        self.changes: dict[int, _Changes] = {run_id: _Changes() for run_id in runs.at}
        self.states: Counter[State] = Counter()
        self._outcomes = {outcome.value: outcome for outcome in Outcome}
        self._pool: dict[Any, Any] = {}

    def scan(self, connection: sqlite3.Connection) -> None:
        current: _Changes | None = None
        for row in connection.execute(
            "SELECT statement, claim_id, url, accessed, run_id, observed_at, status, reason, "
            "outcome, message, http_status, final_url, unchanged, reused, definite, replacement, "
            f"id FROM observations WHERE {_OF_A_RUN} ORDER BY id"
        ):
            key: _Key = row[:4]
            try:
                _checked(row, "TTTtITTTTTitIIItI", _OBSERVATION_COLUMNS)
                _in(_date, row, 3, _OBSERVATION_COLUMNS)
                _in(_time, row, 5, _OBSERVATION_COLUMNS)
                entry = self._entry(row)
                run = self.changes[entry.run_id]
                if entry.outcome not in self._outcomes:
                    raise ValueError(f"outcome is {entry.outcome!r:.60}, not an outcome")
            except _BAD_VALUE as error:
                raise _UnreadableError(f"observations row {row[16]}: {error}") from None
            timeline = self.timelines.get(key)
            if timeline is None:
                timeline = self.timelines[key] = []
                self.states[State.UNKNOWN] += 1
            timeline.append(entry)
            if run is not current:
                if current is not None:
                    current.states = {state.value: self.states[state] for state in State}
                current = run
            self._advance(key, entry, run)
        if current is not None:
            current.states = {state.value: self.states[state] for state in State}

    def _entry(self, row: tuple[Any, ...]) -> TimelineEntry:
        intern = self._pool.setdefault  # repeated messages and URLs held once
        observed = dt.datetime.fromisoformat(row[5])
        return TimelineEntry(
            row[4],
            observed if observed.tzinfo else observed.replace(tzinfo=dt.UTC),
            intern(row[6], row[6]),
            intern(row[7], row[7]),
            intern(row[8], row[8]),
            intern(row[9], row[9]),
            row[10],
            intern(row[11], row[11]),
            bool(row[12]),
            bool(row[13]),
            bool(row[14]),
            row[15],
        )

    def _advance(self, key: _Key, entry: TimelineEntry, run: _Changes) -> None:
        before = self.healths.get(key, Health())
        after = _step(
            before,
            self._outcomes[entry.outcome],
            at=self.runs.at[entry.run_id],
            run_id=entry.run_id,
            policy=self.runs.policies[entry.run_id],
            definite=entry.definite,
        )
        if after is before:
            return
        self.healths[key] = after
        if after.state is not before.state:
            self.states[before.state] -= 1
            self.states[after.state] += 1
            if after.state is State.BROKEN:
                run.newly_broken += 1
            elif after.state is State.DRIFTED:
                run.newly_drifted += 1
            elif after.state is State.HEALTHY and before.state in (State.BROKEN, State.DRIFTED):
                run.recovered += 1


def _run_summaries(
    runs: _Runs, counts: _Counts, replay: _Replay, statuses: tuple[str, ...]
) -> list[RunSummary]:
    summaries = []
    carried = {state.value: 0 for state in State}
    for run_id, _, finished, state, _, transferred, cpu in runs.rows:  # checked by _Runs
        change = replay.changes[run_id]
        if change.states is not None:
            carried = change.states
        tally = counts.by_run.get(run_id, {"statuses": Counter(), "outcomes": Counter()})
        flags = counts.flags.get(run_id, Counter())
        version_used = runs.options[run_id].get("claimcheck")
        summaries.append(
            RunSummary(
                id=run_id,
                started=runs.at[run_id],
                finished=_time(finished),
                state=RunState(state),
                observed=sum(tally["statuses"].values()),
                statuses={status: tally["statuses"][status] for status in statuses},
                outcomes={outcome: tally["outcomes"][outcome] for outcome in _OUTCOMES},
                states=dict(carried),
                unchanged=flags["unchanged"],
                reused=flags["reused"],
                newly_broken=change.newly_broken,
                newly_drifted=change.newly_drifted,
                recovered=change.recovered,
                bytes=int(transferred),
                cpu_seconds=float(cpu),
                claimcheck=version_used if isinstance(version_used, str) else None,
            )
        )
    return summaries


def _recorded_sources(
    connection: sqlite3.Connection, replay: _Replay
) -> tuple[list[SourceSummary], set[_Key], bool]:
    """The citations whose state the history records (with their URL's state and their last
    observation), their keys, and whether the replay reproduced every one of those states."""
    archive = "u.archive_url, u.archive_captured"
    if "archive_url" not in _columns(connection, "url_state"):  # schema version 1
        archive = "NULL, NULL"
    rows = connection.execute(
        "SELECT c.statement, c.claim_id, c.url, c.accessed, c.state, c.previous_state, c.since,"
        " c.failing_since, c.failures, c.last_ok, c.flips, c.changed_run, u.state, "
        f"{archive}, o.claims_file, o.kind, c.id FROM citations AS c "
        "LEFT JOIN url_state AS u ON u.url = c.url "
        "LEFT JOIN observations AS o ON o.id = c.last_observation ORDER BY c.id"
    ).fetchall()
    sources = []
    recorded: set[_Key] = set()
    exact = True
    for row in rows:
        key = (row[0], row[1], row[2], row[3])
        try:
            _checked(row, "TTTtTtttIttitttttI", _CITATION_COLUMNS)
            sources.append(_recorded_source(row, replay.timelines.get(key, [])))
        except _BAD_VALUE as error:
            raise _UnreadableError(f"citations row {row[17]}: {error}") from None
        recorded.add(key)
        state, failures = sources[-1].state, sources[-1].failures
        replayed = replay.healths.get(key)
        if replayed is not None and (replayed.state, replayed.failures) != (state, failures):
            exact = False
    return sources, recorded, exact


_CITATION_COLUMNS = (
    *("statement", "claim_id", "url", "accessed", "state", "previous_state", "since"),
    *("failing_since", "failures", "last_ok", "flips", "changed_run", "url_state.state"),
    *("url_state.archive_url", "url_state.archive_captured", "observations.claims_file"),
    *("observations.kind", "id"),
)


def _recorded_source(row: Sequence[Any], timeline: list[TimelineEntry]) -> SourceSummary:
    """A citation as the history records its state (a row of :func:`_recorded_sources`)."""
    flips = json.loads(row[10] or "[]")
    if not isinstance(flips, list):
        raise ValueError(f"flips is {row[10]!r:.60}, not a JSON list")
    return SourceSummary(
        statement=row[0],
        claim_id=row[1],
        url=row[2],
        accessed=_in(_date, row, 3, _CITATION_COLUMNS),
        claims_file=row[15],
        kind=row[16],
        state=_in(State, row, 4, _CITATION_COLUMNS),
        previous_state=_in(_state, row, 5, _CITATION_COLUMNS),
        since=_in(_time, row, 6, _CITATION_COLUMNS),
        failing_since=_in(_time, row, 7, _CITATION_COLUMNS),
        failures=row[8],
        last_ok=_in(_time, row, 9, _CITATION_COLUMNS),
        flips=len(flips),
        changed_run=row[11],
        replacement=_replacement(timeline),
        url_state=_in(_state, row, 12, _CITATION_COLUMNS),
        archive_url=row[13],
        archive_captured=_in(_time, row, 14, _CITATION_COLUMNS),
        timeline=tuple(timeline),
    )


def _unrecorded_sources(replay: _Replay, recorded: set[_Key]) -> list[SourceSummary]:
    """The citations observed with no state recorded (the history was edited): replayed."""
    sources = []
    for key, timeline in replay.timelines.items():
        if key in recorded:
            continue
        health = replay.healths.get(key, Health())
        oks = [entry for entry in timeline if entry.outcome == Outcome.OK.value]
        sources.append(
            SourceSummary(
                statement=key[0],
                claim_id=key[1],
                url=key[2],
                accessed=_date(key[3]),
                state=health.state,
                previous_state=health.previous_state,
                since=health.since,
                failing_since=health.failing_since,
                failures=health.failures,
                last_ok=replay.runs.at[oks[-1].run_id] if oks else None,
                flips=len(health.flips),
                changed_run=health.changed_run,
                replacement=_replacement(timeline),
                timeline=tuple(timeline),
            )
        )
    return sources


def _replacement(timeline: Sequence[TimelineEntry]) -> str | None:
    """The latest replacement suggested since the citation was last ok."""
    for entry in reversed(timeline):
        if entry.outcome == Outcome.OK.value:
            return None
        if entry.replacement:
            return entry.replacement
    return None


def _source_order(source: SourceSummary) -> tuple[int, str, str, str, str]:
    accessed = source.accessed.isoformat() if source.accessed else ""
    return _RANK[source.state], source.statement, source.claim_id, source.url, accessed
