"""An audit history edited by hand (issue 13): a value of the wrong kind in any column is a
:class:`~claimcheck.HistoryError` naming the file, the table and the row, for the writer's
reads (what ``audit run`` reads back) and for the report's reader (``audit report``) alike,
never a traceback."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from claimcheck import Reason, Status
from claimcheck.auditing import load_audit
from claimcheck.errors import HistoryError
from claimcheck.store import CitationKey, Health, History, Observation, Outcome, State, UrlState
from support import run_cli

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
URL = "https://example.org/a"
KEY = CitationKey("statement", "claim-1", URL, dt.date(2021, 4, 20))


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    """A history of one complete run observing one citation, as the audit writes it."""
    path = tmp_path / "audit.sqlite"
    with History(path) as history:
        run = history.start_run(T0, {"policy": {"failures": 2}, "claimcheck": "1"})
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
        made = Observation(
            run_id=run.id,
            key=KEY,
            kind="quote",
            claim_hash="sha256:" + "0" * 64,
            observed_at=T0,
            status=Status.BROKEN,
            reason=Reason.DEAD_LINK,
            message="HTTP 404",
            outcome=Outcome.BROKEN,
            redirects=((301, URL + "/b"),),
        )
        history.record(made, citation=health, url_state=UrlState(URL, health, etag='"v"'))
        history.finish_run(run.id, T0 + dt.timedelta(minutes=1))
    return path


# (table, column, value): what a hand may write. A CHECK constraint would refuse some of them;
# the sqlite3 shell can turn those off (PRAGMA ignore_check_constraints), so the reader must
# not count on them.
EDITS = [
    ("runs", "started", "last tuesday"),
    ("runs", "started", 5),
    ("runs", "finished", "soon"),
    ("runs", "state", "paused"),
    ("runs", "options", "{not json"),
    ("runs", "bytes", "lots"),
    ("runs", "cpu_seconds", "a while"),
    ("observations", "observed_at", "yesterday"),
    ("observations", "status", "great"),
    ("observations", "reason", "because"),
    ("observations", "outcome", "meh"),
    ("observations", "accessed", "April"),
    ("observations", "redirects", "[[1]]"),
    ("observations", "redirects", "{"),
    ("observations", "http_status", "four hundred"),
    ("observations", "statement", b"\x00\xff"),
    ("observations", "url", b"https://example.org/a"),
    ("observations", "message", b"a blob"),
    ("observations", "score", "high"),
    ("observations", "elapsed", "slow"),
    ("citations", "state", "sleepy"),
    ("citations", "since", "then"),
    ("citations", "failures", "many"),
    ("citations", "flips", "[1, 2]"),
    ("citations", "flips", "nope"),
    ("citations", "last_outcome", "so-so"),
    ("citations", "previous_state", "other"),
    ("citations", "accessed", "2021-13-45"),
    ("citations", "claim_id", b"7"),
    ("citations", "last_run", "first"),
    ("url_state", "state", "dormant"),
    ("url_state", "archive_captured", "never"),
    ("url_state", "etag", b"12"),
    ("url_state", "failures", 1.5),
]


def edit(path: Path, table: str, column: str, value: object) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(f"UPDATE {table} SET {column} = ?", (value,))
    finally:
        connection.close()


def reads(history: History) -> list[Callable[[], object]]:
    """Every way the audit reads a history back."""
    return [
        history.runs,
        history.latest_run,
        lambda: history.run(1),
        history.observations,
        lambda: history.observation(1),
        lambda: history.observed(1),
        lambda: history.citation(KEY),
        history.citations,
        lambda: history.url_state(URL),
        history.url_states,
    ]


@pytest.mark.parametrize(("table", "column", "value"), EDITS)
def test_the_writer_reads_an_edited_value_as_a_history_error(
    history_file: Path, table: str, column: str, value: object
) -> None:
    edit(history_file, table, column, value)
    refused = 0
    with History(history_file) as history:
        for read in reads(history):
            try:
                read()
            except HistoryError as error:
                refused += 1
                message = str(error)
                assert message.startswith(f"{history_file}: ")
                assert f"{table} " in message
                assert column in message
    assert refused >= 1


@pytest.mark.parametrize(("table", "column", "value"), EDITS)
def test_the_report_reads_an_edited_value_as_a_history_error(
    history_file: Path, table: str, column: str, value: object
) -> None:
    edit(history_file, table, column, value)
    refusal = ""
    try:
        load_audit(history_file)
    except HistoryError as error:
        refusal = str(error)
    assert not refusal or refusal.startswith(f"{history_file}: ")
    assert not refusal or table in refusal
    code, out, err = run_cli("audit", "report", "--db", history_file, "--format", "json")
    assert "Traceback" not in err
    if code != 0:
        assert (code, out) == (2, "")
        assert err.startswith(f"claimcheck: {history_file}: ")


def test_an_edit_that_reads_fine_still_reports(history_file: Path) -> None:
    # A number in a text column is kept as text by SQLite (the column's affinity): it reads.
    edit(history_file, "observations", "message", 3.5)
    assert load_audit(history_file).sources[0].timeline[0].message == "3.5"
    with History(history_file) as history:
        assert history.observations()[0].message == "3.5"
