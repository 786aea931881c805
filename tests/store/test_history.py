"""The audit history: schema, migrations, durability settings, rows in and out."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import attrs
import pytest

from claimcheck import Reason, Status
from claimcheck.errors import ClaimcheckError, HistoryError
from claimcheck.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    CitationKey,
    Health,
    History,
    Observation,
    Outcome,
    RunState,
    State,
    UrlState,
    migrate,
)

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
KEY = CitationKey("statement", "claim-1", "https://example.org/a", dt.date(2021, 4, 20))


def observation(run_id: int, key: CitationKey = KEY, **fields: object) -> Observation:
    values: dict[str, object] = {
        "run_id": run_id,
        "key": key,
        "kind": "quote",
        "claim_hash": "sha256:" + "0" * 64,
        "observed_at": T0 + dt.timedelta(seconds=1),
        "status": Status.VERIFIED,
        "reason": Reason.EXACT,
        "message": "the source has it",
        "outcome": Outcome.OK,
    }
    values.update(fields)
    return Observation(**values)  # type: ignore[arg-type]


def test_a_new_history_is_at_the_current_version_in_wal_mode(tmp_path: Path) -> None:
    with History(tmp_path / "audit.sqlite") as history:
        assert history.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert history.migrated_from == 0
        connection = history.connection
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert history.integrity_check() == "ok"
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert {"runs", "observations", "citations", "url_state"} <= tables


def test_an_older_history_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, MIGRATIONS[:1]) == 0  # a version-1 file, as claimcheck wrote it
    connection.execute(
        "INSERT INTO runs (started, state, options) VALUES ('2026-03-01T02:00:00.000000Z', "
        "'complete', '{}')"
    )
    connection.execute(
        "INSERT INTO observations (run_id, statement, claim_id, kind, claim_hash, url, "
        "observed_at, status, reason, message, outcome) VALUES (1, 's', 'c', 'quote', 'h', "
        "'https://example.org/a', '2026-03-01T02:00:01.000000Z', 'verified', 'exact', 'ok', 'ok')"
    )
    connection.execute(
        "INSERT INTO url_state (url, state, etag) VALUES ('https://example.org/a', 'healthy', "
        "'\"v1\"')"
    )
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    connection.close()

    with History(path) as history:
        assert history.migrated_from == 1
        assert history.schema_version == SCHEMA_VERSION
        [old] = history.observations()
        assert old.key == CitationKey("s", "c", "https://example.org/a")
        assert old.saved_archive_url is None  # the column version 2 added
        state = history.url_state("https://example.org/a")
        assert state is not None
        assert state.etag == '"v1"'
        assert state.health.state is State.HEALTHY
        assert state.archive_url is None
        assert history.integrity_check() == "ok"
    with History(path) as again:
        assert again.migrated_from == SCHEMA_VERSION  # nothing left to do


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    History(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    broken = (*MIGRATIONS, ("CREATE TABLE extra (a)", "SELECT * FROM no_such_table"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in names
    connection.close()


def test_a_history_from_a_newer_claimcheck_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    History(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer"):
        History(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_a_history_error(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    path.write_bytes(b"this is not SQLite at all, " * 100)
    with pytest.raises(HistoryError) as caught:
        History(path)
    assert isinstance(caught.value, ClaimcheckError)
    assert isinstance(caught.value, OSError)


def test_observations_and_states_round_trip(tmp_path: Path) -> None:
    with History(tmp_path / "audit.sqlite") as history:
        run = history.start_run(T0, {"policy": {"failures": 2}})
        assert run.state is RunState.RUNNING
        assert run.options == {"policy": {"failures": 2}}
        made = observation(
            run.id,
            status=Status.BROKEN,
            reason=Reason.DEAD_LINK,
            outcome=Outcome.BROKEN,
            fetch_reason=Reason.HTTP_404,
            http_status=404,
            redirects=((301, "https://example.org/b"),),
            final_url="https://example.org/b",
            digest="sha256:" + "1" * 64,
            etag='"v2"',
            last_modified="Sun, 01 Mar 2026 00:00:00 GMT",
            bytes=1234,
            elapsed=0.25,
            cpu_seconds=0.01,
            score=97.5,
            passage="it denied applications",
            found="189",
            snapshot="warc/" + "2" * 64 + ".warc.gz",
            archive_url="https://web.archive.org/web/2021/https://example.org/a",
            replacement="https://web.archive.org/web/2021/https://example.org/a",
            unchanged=True,
            reused=True,
            saved_archive_url="https://web.archive.org/web/2026/https://example.org/a",
            definite=True,
            claims_file="claims/x.toml",
        )
        health = Health(
            state=State.FAILING,
            since=T0,
            failing_since=T0,
            failures=1,
            last_outcome=Outcome.BROKEN,
            last_checked=T0,
            last_run=run.id,
            flips=(T0,),
            previous_state=State.HEALTHY,
            changed_run=run.id,
        )
        url_state = UrlState(
            "https://example.org/a",
            health,
            etag='"v2"',
            digest="sha256:" + "1" * 64,
            archive_captured=T0,
            archive_checked=T0,
        )
        stored = history.record(made, citation=health, url_state=url_state)
        assert stored.id is not None
        assert stored == attrs.evolve(made, id=stored.id)
        assert history.observations(run_id=run.id) == [stored]
        assert history.observations(key=KEY) == [stored]
        assert history.observations(url="https://example.org/other") == []
        assert history.observed(run.id) == {KEY}
        citation = history.citation(KEY)
        assert citation is not None
        assert citation.health == health
        assert citation.last_observation == stored.id
        assert history.url_state("https://example.org/a") == url_state
        assert history.run(run.id).bytes == 1234  # an observation's bytes add to its run's

        finished = history.finish_run(run.id, T0 + dt.timedelta(minutes=5), cpu_seconds=1.5)
        assert finished.state is RunState.COMPLETE
        assert finished.finished == T0 + dt.timedelta(minutes=5)
        assert finished.cpu_seconds == 1.5
        assert history.latest_run() == finished


def test_a_citation_is_observed_once_per_run(tmp_path: Path) -> None:
    with History(tmp_path / "audit.sqlite") as history:
        run = history.start_run(T0)
        history.record(observation(run.id), citation=Health())
        with pytest.raises(HistoryError, match="cannot record"):
            history.record(observation(run.id), citation=Health())
        # no accessed date is another citation than an accessed date, and is unique too
        undated = CitationKey(KEY.statement, KEY.claim_id, KEY.url)
        history.record(observation(run.id, undated), citation=Health())
        with pytest.raises(HistoryError):
            history.record(observation(run.id, undated), citation=Health())
        assert len(history.observations(run_id=run.id)) == 2
        assert len(history.citations()) == 2
        # the failed attempts left nothing behind: not the observation, not the state
        assert history.integrity_check() == "ok"
        second = history.start_run(T0 + dt.timedelta(days=1))
        history.record(observation(second.id), citation=Health(last_run=second.id))
        assert len(history.citations()) == 2
        assert [c.key for c in history.citations(last_run=second.id)] == [KEY]


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    with History(tmp_path / "audit.sqlite") as history, pytest.raises(HistoryError):
        history.record(observation(run_id=42), citation=Health())
    with History(tmp_path / "audit.sqlite") as history:
        assert history.observations() == []
        assert history.citations() == []


def test_one_audit_at_a_time_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    with History(path) as one, History(path) as two:
        with (
            one.exclusive(),
            pytest.raises(HistoryError, match="another audit"),
            two.exclusive(),
        ):
            pass
        with two.exclusive():
            pass  # released


def test_runs_can_be_abandoned_and_listed(tmp_path: Path) -> None:
    with History(tmp_path / "audit.sqlite") as history:
        first = history.start_run(T0)
        abandoned = history.abandon_run(first.id)
        assert abandoned.state is RunState.ABANDONED
        second = history.start_run(T0 + dt.timedelta(days=1))
        assert [run.id for run in history.runs()] == [first.id, second.id]
        assert history.latest_run() == second
        with pytest.raises(HistoryError, match="no run"):
            history.run(999)


def test_readers_see_committed_observations_while_a_writer_works(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    with History(path) as writer:
        run = writer.start_run(T0)
        writer.record(observation(run.id), citation=Health())
        writer.connection.execute("BEGIN IMMEDIATE")  # a write in progress
        writer.connection.execute("DELETE FROM citations")
        reader = sqlite3.connect(path)
        assert reader.execute("SELECT count(*) FROM observations").fetchone()[0] == 1
        assert reader.execute("SELECT count(*) FROM citations").fetchone()[0] == 1
        reader.close()
        writer.connection.execute("ROLLBACK")
