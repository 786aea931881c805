"""Reading an audit history (:func:`claimcheck.auditing.load_audit`): what each run and each
citation says, replayed from the observations as the audit decided it; read-only, set-based
(a fixed number of queries), and clear errors for what is not a history. The histories are
``audit_histories.py``'s; rendering them is tested in ``tests/reports/test_audit_report.py``.

Internals tested directly (private modules): the reader's connection and replay step
(``claimcheck.auditing._history_report``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimcheck.auditing._history_report as audit_report
from audit_histories import (
    ARCHIVED,
    POLICY,
    RUNS,
    T0,
    Built,
    bulk_history,
    by_claim,
    expected_counts,
    report_schema,
)
from claimcheck.auditing import AuditHistory, AuditPolicy, advance, load_audit
from claimcheck.errors import HistoryError
from claimcheck.reports import history_to_json, render_history_html, render_history_markdown
from claimcheck.store import MIGRATIONS, SCHEMA_VERSION, Health, History, Outcome, State, migrate


def test_runs_count_each_status_and_the_changes_the_audit_reported(
    built_history: Built, audit_history: AuditHistory
) -> None:
    assert [run.id for run in audit_history.runs] == list(range(1, RUNS + 1))
    assert audit_history.statuses == ("verified", "drifted", "broken", "unchecked")
    assert audit_history.changes_exact
    for run, expected, reported in zip(
        audit_history.runs,
        expected_counts(built_history.scenarios),
        built_history.reported,
        strict=True,
    ):
        assert run.state.value == "complete"
        assert run.started == reported.run.started
        assert run.finished == run.started + dt.timedelta(minutes=5)
        assert run.claimcheck == "0.test"
        assert {s: n for s, n in run.statuses.items() if n} == dict(expected)
        assert set(run.statuses) == set(audit_history.statuses)  # zeros listed too
        assert run.observed == sum(expected.values()) == reported.observed
        assert run.outcomes["ok"] == expected["verified"]
        assert run.unchanged == reported.unchanged
        assert run.reused == reported.reused
        # What that night's audit reported as change, replayed from the observations.
        assert run.newly_broken == len(reported.newly_broken), run.id
        assert run.newly_drifted == len(reported.newly_drifted), run.id
        assert run.recovered == len(reported.recovered), run.id
        assert run.cpu_seconds == 1.5
    changes = {
        run.id: (run.newly_broken, run.newly_drifted, run.recovered)
        for run in audit_history.runs
        if run.newly_broken or run.newly_drifted or run.recovered
    }
    # recovers: broken at run 4 (4 failures over 3 days); drifts: drifted at run 5 (read on
    # the page); recovers: healthy again at run 6; dies: broken at run 7 (failing since 4).
    assert changes == {4: (1, 0, 0), 5: (0, 1, 0), 6: (0, 0, 1), 7: (1, 0, 0)}
    assert audit_history.runs[-1].states == {**audit_history.states}


def test_sources_have_their_current_state_since_and_replacement(
    audit_history: AuditHistory,
) -> None:
    sources = by_claim(audit_history)
    expected = {
        "dies": State.BROKEN,
        "drifts": State.DRIFTED,
        "flaps": State.FLAPPING,
        "stable": State.HEALTHY,
        "recovers": State.HEALTHY,
        "blocked": State.HEALTHY,
        "late": State.HEALTHY,
    }
    assert {name: source.state for name, source in sources.items()} == expected
    # Those needing attention first, worst first.
    assert [s.claim_id for s in audit_history.sources[:3]] == ["dies", "drifts", "flaps"]
    assert [s.claim_id for s in audit_history.attention] == ["dies", "drifts", "flaps"]

    dies = sources["dies"]
    assert dies.current_since == T0 + dt.timedelta(days=3)
    assert dies.failures == 7
    assert dies.replacement == ARCHIVED
    assert dies.archive_url == ARCHIVED
    assert dies.url_state is State.BROKEN
    assert dies.last is not None
    assert (dies.last.status, dies.last.reason, dies.last.http_status) == (
        "broken",
        "http-404",
        404,
    )
    assert dies.last.observed_at == T0 + dt.timedelta(days=9, seconds=1)
    assert dies.claims_file == "claims/statement.toml"
    assert dies.kind == "quote"

    recovers = sources["recovers"]
    assert recovers.previous_state is State.BROKEN
    assert recovers.replacement is None  # ok since: nothing to replace
    assert sources["flaps"].flips >= POLICY.flaps

    late = sources["late"]
    assert [entry.run_id for entry in late.timeline] == [6, 7, 8, 9, 10]
    stable = sources["stable"].timeline
    assert [(e.unchanged, e.reused) for e in stable[:2]] == [(False, False), (True, True)]
    assert all(e.final_url == "https://example.org/stable" for e in stable)
    assert [e.observed_at for e in stable] == sorted(e.observed_at for e in stable)


def test_an_empty_history_reads_and_renders(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    History(path).close()
    history = load_audit(path)
    assert history.runs == ()
    assert history.sources == ()
    assert history.schema_version == SCHEMA_VERSION
    jsonschema.Draft202012Validator(report_schema()).validate(history_to_json(history))
    assert "No runs yet" in render_history_markdown(history)
    page = lxml.html.document_fromstring(render_history_html(history))
    assert "No runs yet" in page.text_content()


def test_a_run_in_progress_and_a_schema_1_history_are_read(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, MIGRATIONS[:1])  # a history written by the claimcheck of schema 1
    connection.execute(
        "INSERT INTO runs (started, state) VALUES ('2026-03-01T02:00:00.000000Z', 'running')"
    )
    connection.execute(
        "INSERT INTO observations (run_id, statement, claim_id, kind, claim_hash, url, "
        "observed_at, status, reason, message, outcome) VALUES (1, 's', 'c', 'quote', 'h', "
        "'https://example.org/', '2026-03-01T02:00:01.000000Z', 'broken', 'http-410', 'gone', "
        "'broken')"
    )
    connection.execute(
        "INSERT INTO citations (statement, claim_id, url, state, failures, last_run, "
        "last_observation, failing_since) VALUES ('s', 'c', 'https://example.org/', "
        "'failing', 1, 1, 1, '2026-03-01T02:00:00.000000Z')"
    )
    connection.close()
    history = load_audit(path)
    assert history.schema_version == 1
    (run,) = history.runs
    assert run.state.value == "running"
    assert run.finished is None
    assert run.statuses["broken"] == 1
    (source,) = history.sources
    assert source.state is State.FAILING
    assert source.archive_url is None
    assert history.changes_exact
    jsonschema.Draft202012Validator(report_schema()).validate(history_to_json(history))


def test_a_history_that_lost_runs_says_its_changes_are_approximate(
    built_history: Built, tmp_path: Path
) -> None:
    """Runs deleted by hand (the sqlite3 shell enforces no foreign keys: their observations
    stay) leave the replay short of the recorded states; the reports say so."""
    path = tmp_path / "pruned.sqlite"
    shutil.copy(built_history.path, path)
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM runs WHERE id <= 4")
    connection.commit()
    connection.close()
    history = load_audit(path)
    assert [run.id for run in history.runs] == [5, 6, 7, 8, 9, 10]
    assert sum(len(source.timeline) for source in history.sources) == sum(
        run.observed for run in history.runs
    )
    assert not history.changes_exact
    assert by_claim(history)["dies"].state is State.BROKEN  # as recorded
    assert "approximate" in render_history_markdown(history)
    assert "approximate" in render_history_html(history)
    document = history_to_json(history)
    assert document["changes_exact"] is False
    jsonschema.Draft202012Validator(report_schema()).validate(document)


def test_the_reading_runs_a_fixed_number_of_queries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set-based: as many statements for 400 citations over 30 runs as for 5 over 3."""
    statements: list[str] = []
    connect = audit_report._connect

    def traced(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(audit_report, "_connect", traced)
    counts = []
    for sources, runs in ((5, 3), (400, 30)):
        path = tmp_path / f"{sources}.sqlite"
        bulk_history(path, sources, runs)
        statements.clear()
        history = load_audit(path)
        assert len(history.sources) == sources
        assert len(history.runs) == runs
        assert sum(run.observed for run in history.runs) == sources * runs
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 12


@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(list(Outcome)), st.booleans(), st.integers(min_value=0, max_value=4)
        ),
        max_size=40,
    ),
    failures=st.integers(min_value=1, max_value=3),
    span=st.integers(min_value=0, max_value=4),
    flaps=st.integers(min_value=2, max_value=5),
    window=st.integers(min_value=0, max_value=15),
)
def test_the_replay_shortcut_decides_as_the_state_machine_does(
    steps: list[tuple[Outcome, bool, int]], failures: int, span: int, flaps: int, window: int
) -> None:
    """The reader skips ``advance`` where it cannot change a decision; the states, series of
    failures and changes it replays are the state machine's own."""
    policy = AuditPolicy(
        failures=failures,
        span=dt.timedelta(days=span),
        flaps=flaps,
        flap_window=dt.timedelta(days=window),
    )
    full = short = Health()
    at = T0
    for run_id, (outcome, definite, gap) in enumerate(steps, start=1):
        at += dt.timedelta(days=gap)
        full = advance(full, outcome, at=at, run_id=run_id, policy=policy, definite=definite)
        short = audit_report._step(
            short, outcome, at=at, run_id=run_id, policy=policy, definite=definite
        )
        decided = ("state", "since", "failing_since", "failures", "previous_state", "changed_run")
        assert [getattr(short, name) for name in decided] == [
            getattr(full, name) for name in decided
        ]
        recent = at - policy.flap_window
        assert [f for f in short.flips if f >= recent] == [f for f in full.flips if f >= recent]
        assert (short.last_ok is None) == (full.last_ok is None)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("missing.sqlite", None, "does not exist"),
        ("folder", lambda path: path.mkdir(), "is a folder"),
        (
            "text.sqlite",
            lambda path: path.write_bytes(b"this is not a database at all\n" * 200),
            "not an SQLite database",
        ),
        ("empty.sqlite", lambda path: path.write_bytes(b""), "not a claimcheck audit history"),
        (
            "other.sqlite",
            lambda path: sqlite3.connect(path).execute("CREATE TABLE runs (x)").connection.close(),
            "not a claimcheck audit history (no observations, citations, url_state table)",
        ),
    ],
)
def test_what_is_not_a_history_is_refused_clearly(
    tmp_path: Path, name: str, make: Callable[[Path], Any] | None, message: str
) -> None:
    path = tmp_path / name
    if make is not None:
        make(path)
    with pytest.raises(HistoryError, match=re.escape(message)) as error:
        load_audit(path)
    assert str(path) in str(error.value)


def test_a_history_of_a_newer_schema_is_refused_not_altered(
    built_history: Built, tmp_path: Path
) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copy(built_history.path, path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer than this claimcheck's"):
        load_audit(path)
    assert path.read_bytes() == before


def test_opening_is_read_only(built_history: Built, tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    shutil.copy(built_history.path, path)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    history = load_audit(path)
    render_history_html(history)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert len(history.runs) == RUNS


def test_a_history_being_written_is_read_as_committed(built_history: Built, tmp_path: Path) -> None:
    """WAL: the report reads while an audit writes, and sees what was committed."""
    path = tmp_path / "busy.sqlite"
    shutil.copy(built_history.path, path)
    with History(path) as log:
        run = log.start_run(T0 + dt.timedelta(days=RUNS))  # committed, in the WAL
        assert Path(f"{path}-wal").stat().st_size > 0
        log.connection.execute("BEGIN IMMEDIATE")  # the writer's lock, held
        log.connection.execute(
            "INSERT INTO runs (started, state) VALUES ('2027-01-01T00:00:00.000000Z', 'running')"
        )
        history = load_audit(path)
        assert [r.id for r in history.runs][-1] == run.id == RUNS + 1
        assert history.runs[-1].state.value == "running"
        log.connection.execute("COMMIT")
        assert len(load_audit(path).runs) == RUNS + 2


def test_a_history_that_cannot_have_its_wal_files_is_opened_immutable(
    built_history: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a read-only folder SQLite cannot create the ``-shm`` a WAL reader needs; with no
    ``-wal`` file nothing is writing, and the file is read as immutable."""
    path = tmp_path / "archived.sqlite"
    shutil.copy(built_history.path, path)
    connect = sqlite3.connect
    uris: list[str] = []

    def read_only_folder(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        uris.append(database)
        if "immutable=1" not in database:
            raise sqlite3.OperationalError("unable to open database file")
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_folder)
    assert len(load_audit(path).runs) == RUNS
    assert len(uris) == 2
    assert uris[0].endswith("?mode=ro")
    Path(f"{path}-wal").write_bytes(b"")  # a writer may be at work: not immutable then
    with pytest.raises(HistoryError, match="unable to open"):
        load_audit(path)


def test_odd_file_names_open_the_right_file(built_history: Built, tmp_path: Path) -> None:
    path = tmp_path / "a ?b#c%20d.sqlite"
    shutil.copy(built_history.path, path)
    assert len(load_audit(path).runs) == RUNS
