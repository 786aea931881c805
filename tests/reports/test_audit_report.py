"""``claimcheck audit report``: reading an audit history (read-only, set-based, clear errors)
and rendering it as HTML (an inline SVG chart, escaped, under a strict CSP), Markdown and JSON
(validated against its schema). Histories are written through the real writer
(:class:`claimcheck.store.History`) with the audit's own state machine, never the network;
the large ones for the scale tests with sqlite3 directly, on the schema the module creates.

Internals tested directly (private modules): the history reader's connection and replay step
(``claimcheck.auditing._history_report``) and the history page's Content-Security-Policy
(``claimcheck.reports._history_html``)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import lxml.etree
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import claimcheck.auditing._history_report as audit_report
from claimcheck import Reason, Status
from claimcheck.auditing import (
    AuditHistory,
    AuditPolicy,
    AuditResult,
    advance,
    load_audit,
    summarize,
)
from claimcheck.cli import main
from claimcheck.errors import HistoryError
from claimcheck.reports import (
    history_chart_svg,
    history_to_json,
    render_history_html,
    render_history_markdown,
)
from claimcheck.reports._history_html import CONTENT_SECURITY_POLICY
from claimcheck.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    CitationKey,
    Health,
    History,
    Observation,
    Outcome,
    State,
    UrlState,
    migrate,
)

SVG = "{http://www.w3.org/2000/svg}"
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
POLICY = AuditPolicy()  # broken after 2 failing runs over 3 days; flapping at 4 flips in 14
RUNS = 10
ARCHIVED = "https://web.archive.org/web/20260101000000/https://example.org/dies"
PAYLOAD = '</script><script>alert(1)</script> " onmouseover="alert(2)" <img src=x onerror=alert(3)>'
HOSTILE_URL = 'https://example.org/"onmouseover="alert(4)'
BIDI_URL = "https://example.org/\u202egnp.exe"


@attrs.frozen
class Seen:
    """What one run's observation of a citation says."""

    status: Status
    reason: Reason
    http: int | None = 200
    definite: bool = False
    replacement: str | None = None
    message: str = ""
    final_url: str | None = None
    unchanged: bool = False
    reused: bool = False


OK = Seen(Status.VERIFIED, Reason.EXACT)
SAME = Seen(Status.VERIFIED, Reason.EXACT, unchanged=True, reused=True)  # a 304, reused
GONE = Seen(Status.BROKEN, Reason.HTTP_404, 404, replacement=ARCHIVED, message="HTTP 404")
CHANGED = Seen(Status.DRIFTED, Reason.FIGURE_CHANGED, definite=True, message="198, not 189")
BLOCKED = Seen(Status.UNCHECKED, Reason.BLOCKED, 403, message="a bot wall")

# Ten daily runs. What each citation is expected to end as is asserted in the tests.
SCENARIOS: dict[str, tuple[Seen | None, ...]] = {
    "stable": (OK, *[SAME] * 9),
    "dies": (OK, SAME, SAME, *[GONE] * 7),  # failing from run 4, broken at run 7 (3 days)
    "drifts": (OK, SAME, SAME, SAME, *[CHANGED] * 6),  # drift read on the page: at once
    "recovers": (*[GONE] * 5, OK, *[SAME] * 4),  # broken at run 4, recovered at run 6
    "flaps": (OK, GONE) * 5,  # four flips by run 5: flapping
    "blocked": (OK, BLOCKED, BLOCKED, SAME, BLOCKED, SAME, SAME, BLOCKED, SAME, SAME),
    "late": (*[None] * 5, OK, *[SAME] * 4),  # added to the claims in run 6
}


def _hostile() -> dict[CitationKey, tuple[Seen | None, ...]]:
    script = Seen(
        Status.BROKEN,
        Reason.INVALID_URL,
        None,
        definite=True,
        replacement="javascript:alert(5)",
        message=f"not a URL {PAYLOAD} \u202eevil\u202c",
        final_url="data:text/html,<script>alert(6)</script>",
    )
    quoted = Seen(
        Status.DRIFTED,
        Reason.QUOTE_EDITED,
        definite=True,
        message=f"the page says {PAYLOAD}",
        final_url=f"{HOSTILE_URL}#<script>",
        replacement=HOSTILE_URL,
    )
    return {
        CitationKey("<b>hostile</b>", "c|1`\u202e", "javascript:alert(7)"): (script,) * RUNS,
        CitationKey("<b>hostile</b>", '" onmouseover="alert(8)', HOSTILE_URL): (quoted,) * RUNS,
        CitationKey("<b>hostile</b>", "bidi", BIDI_URL): (OK,) * RUNS,
    }


def _key(name: str) -> CitationKey:
    return CitationKey("statement", name, f"https://example.org/{name}")


def all_scenarios(hostile: bool) -> dict[CitationKey, tuple[Seen | None, ...]]:
    scenarios = {_key(name): seen for name, seen in SCENARIOS.items()}
    return {**scenarios, **(_hostile() if hostile else {})}


def write_history(
    path: Path,
    scenarios: dict[CitationKey, tuple[Seen | None, ...]],
    *,
    runs: int = RUNS,
    policy: AuditPolicy = POLICY,
) -> list[AuditResult]:
    """Write ``runs`` daily runs as ``claimcheck audit`` does (the state machine advanced per
    observation, recorded with it in one transaction); return each run's summary as the audit
    reported it that night."""
    results = []
    with History(path) as log:
        healths: dict[CitationKey, Health] = {}
        for index in range(runs):
            at = T0 + dt.timedelta(days=index)
            run = log.start_run(at, {"policy": policy.to_json(), "claimcheck": "0.test"})
            for number, (key, timeline) in enumerate(scenarios.items()):
                seen = timeline[index]
                if seen is None:
                    continue
                outcome = Outcome.of(seen.status)
                health = advance(
                    healths.get(key, Health()),
                    outcome,
                    at=at,
                    run_id=run.id,
                    policy=policy,
                    definite=seen.definite,
                )
                healths[key] = health
                observation = Observation(
                    run_id=run.id,
                    key=key,
                    kind="quote",
                    claim_hash="sha256:" + "0" * 64,
                    observed_at=at + dt.timedelta(seconds=number),
                    status=seen.status,
                    reason=seen.reason,
                    message=seen.message or seen.reason.value,
                    outcome=outcome,
                    definite=seen.definite,
                    claims_file="claims/statement.toml",
                    http_status=seen.http,
                    final_url=seen.final_url or key.url,
                    unchanged=seen.unchanged,
                    reused=seen.reused,
                    replacement=seen.replacement,
                    bytes=0 if seen.unchanged else 1000,
                )
                archive = ARCHIVED if key.claim_id == "dies" else None
                log.record(
                    observation,
                    citation=health,
                    url_state=UrlState(key.url, health, archive_url=archive),
                )
            log.finish_run(run.id, at + dt.timedelta(minutes=5), cpu_seconds=1.5)
            results.append(summarize(log, log.run(run.id)))
    return results


@attrs.frozen
class Built:
    path: Path
    scenarios: dict[CitationKey, tuple[Seen | None, ...]]
    reported: list[AuditResult]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    path = tmp_path_factory.mktemp("history") / "audit.sqlite"
    scenarios = all_scenarios(hostile=False)
    return Built(path, scenarios, write_history(path, scenarios))


@pytest.fixture(scope="module")
def history(built: Built) -> AuditHistory:
    return load_audit(built.path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> AuditHistory:
    path = tmp_path_factory.mktemp("hostile") / "audit.sqlite"
    write_history(path, all_scenarios(hostile=True))
    return load_audit(path)


def by_claim(history: AuditHistory) -> dict[str, Any]:
    return {source.claim_id: source for source in history.sources}


def expected_counts(scenarios: dict[CitationKey, tuple[Seen | None, ...]]) -> list[Counter[str]]:
    return [
        Counter(seen[index].status.value for seen in scenarios.values() if seen[index])
        for index in range(RUNS)
    ]


def report_schema() -> dict[str, Any]:
    text = resources.files("claimcheck").joinpath("schemas/audit-report.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


# --------------------------------------------------------------------------------------------
# Reading


def test_runs_count_each_status_and_the_changes_the_audit_reported(
    built: Built, history: AuditHistory
) -> None:
    assert [run.id for run in history.runs] == list(range(1, RUNS + 1))
    assert history.statuses == ("verified", "drifted", "broken", "unchecked")
    assert history.changes_exact
    for run, expected, reported in zip(
        history.runs, expected_counts(built.scenarios), built.reported, strict=True
    ):
        assert run.state.value == "complete"
        assert run.started == reported.run.started
        assert run.finished == run.started + dt.timedelta(minutes=5)
        assert run.claimcheck == "0.test"
        assert {s: n for s, n in run.statuses.items() if n} == dict(expected)
        assert set(run.statuses) == set(history.statuses)  # zeros listed too
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
        for run in history.runs
        if run.newly_broken or run.newly_drifted or run.recovered
    }
    # recovers: broken at run 4 (4 failures over 3 days); drifts: drifted at run 5 (read on
    # the page); recovers: healthy again at run 6; dies: broken at run 7 (failing since 4).
    assert changes == {4: (1, 0, 0), 5: (0, 1, 0), 6: (0, 0, 1), 7: (1, 0, 0)}
    assert history.runs[-1].states == {**history.states}


def test_sources_have_their_current_state_since_and_replacement(history: AuditHistory) -> None:
    sources = by_claim(history)
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
    assert [s.claim_id for s in history.sources[:3]] == ["dies", "drifts", "flaps"]
    assert [s.claim_id for s in history.attention] == ["dies", "drifts", "flaps"]

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
    built: Built, tmp_path: Path
) -> None:
    """Runs deleted by hand (the sqlite3 shell enforces no foreign keys: their observations
    stay) leave the replay short of the recorded states; the reports say so."""
    path = tmp_path / "pruned.sqlite"
    shutil.copy(built.path, path)
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


def bulk_history(
    path: Path, sources: int, runs: int, *, broken_every: int = 0, flapping_every: int = 0
) -> None:
    """A large history written with sqlite3 directly (the documented schema, created by the
    module's own migrations): every citation verified in every run, but every
    ``broken_every``-th one broken from the middle run on, and every ``flapping_every``-th
    one broken every other run."""
    History(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    observations = []
    for run in range(1, runs + 1):
        at = T0 + dt.timedelta(days=run - 1)
        connection.execute(
            "INSERT INTO runs (id, started, finished, state, options) VALUES (?, ?, ?, "
            "'complete', ?)",
            (run, at.strftime(stamp), at.strftime(stamp), json.dumps({"policy": {}})),
        )
        for number in range(sources):
            broken = (broken_every and number % broken_every == 0 and run > runs // 2) or (
                flapping_every and number % flapping_every == 1 and run % 2
            )
            observations.append(
                (
                    run,
                    "s",
                    f"c{number}",
                    f"https://example.org/{number}",
                    (at + dt.timedelta(seconds=number)).strftime(stamp),
                    "broken" if broken else "verified",
                    "http-404" if broken else "exact",
                    "broken" if broken else "ok",
                    404 if broken else 200,
                )
            )
    connection.executemany(
        "INSERT INTO observations (run_id, statement, claim_id, kind, claim_hash, url, "
        "observed_at, status, reason, message, outcome, http_status) "
        "VALUES (?, ?, ?, 'quote', 'h', ?, ?, ?, ?, 'message', ?, ?)",
        observations,
    )
    connection.execute(
        "INSERT INTO citations (statement, claim_id, url, state, last_run, last_observation) "
        "SELECT statement, claim_id, url, 'healthy', run_id, max(id) FROM observations "
        "GROUP BY statement, claim_id, url"
    )
    connection.execute("COMMIT")
    connection.close()


def test_per_source_html_stays_compact_over_many_runs(tmp_path: Path) -> None:
    """A citation that says the same thing run after run costs the same few bytes whatever the
    number of runs: its strip and timeline are stretches, not one mark per run; one that
    flaps run after run has a path per status and its latest stretches only in its table."""
    sizes = {}
    for runs in (20, 80):
        path = tmp_path / f"{runs}.sqlite"
        bulk_history(path, 300, runs, broken_every=10, flapping_every=50)
        sizes[runs] = len(render_history_html(load_audit(path)).encode("utf-8"))
    # 60 more runs add their chart bars and table rows, not 300 x 60 marks of the citations.
    assert sizes[80] - sizes[20] < 60 * 1500
    assert sizes[80] < 300 * 2500
    page = lxml.html.document_fromstring(render_history_html(load_audit(tmp_path / "80.sqlite")))
    flapping = next(
        d
        for d in page.xpath("//details[contains(@class, 'source')]")
        if d.xpath("./summary//code")[0].text_content() == "s/c1"
    )
    strip = flapping.xpath("./summary/svg")[0]
    assert strip.xpath("./rect[@class]") == []
    assert sorted(path.get("class") for path in strip.xpath("./path")) == [
        "st-broken",
        "st-verified",
    ]
    assert strip.xpath("./path[@class='st-broken']")[0].get("d").count("M") == 40
    assert len(flapping.xpath(".//table[@class='timeline']/tbody/tr")) == 12
    assert "68 earlier stretches of runs not listed" in flapping.text_content()


# --------------------------------------------------------------------------------------------
# Errors and read-only opening


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


def test_a_history_of_a_newer_schema_is_refused_not_altered(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copy(built.path, path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer than this claimcheck's"):
        load_audit(path)
    assert path.read_bytes() == before


def test_opening_is_read_only(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "copy.sqlite"
    shutil.copy(built.path, path)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    history = load_audit(path)
    render_history_html(history)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert len(history.runs) == RUNS


def test_a_history_being_written_is_read_as_committed(built: Built, tmp_path: Path) -> None:
    """WAL: the report reads while an audit writes, and sees what was committed."""
    path = tmp_path / "busy.sqlite"
    shutil.copy(built.path, path)
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
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a read-only folder SQLite cannot create the ``-shm`` a WAL reader needs; with no
    ``-wal`` file nothing is writing, and the file is read as immutable."""
    path = tmp_path / "archived.sqlite"
    shutil.copy(built.path, path)
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


def test_odd_file_names_open_the_right_file(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "a ?b#c%20d.sqlite"
    shutil.copy(built.path, path)
    assert len(load_audit(path).runs) == RUNS


# --------------------------------------------------------------------------------------------
# JSON


def test_json_is_versioned_and_validates_against_its_schema(
    history: AuditHistory, hostile: AuditHistory
) -> None:
    validator = jsonschema.Draft202012Validator(report_schema())
    for each in (history, hostile):
        document = history_to_json(each)
        validator.validate(document)
        json.dumps(document, allow_nan=False)
    document = history_to_json(history)
    assert (document["schema"], document["version"]) == ("claimcheck.audit-report", 1)
    assert document["summary"]["runs"] == RUNS
    assert document["summary"]["attention"] == 3
    assert document["summary"]["states"]["broken"] == 1
    sources = {source["claim"]: source for source in document["sources"]}
    dies = sources["dies"]
    assert dies["state"] == "broken"
    assert dies["replacement"] == ARCHIVED
    assert dies["since"] == "2026-03-04T02:00:00Z"
    assert [
        (s["first_run"], s["last_run"], s["observations"], s["status"]) for s in dies["timeline"]
    ] == [
        (1, 3, 3, "verified"),
        (4, 10, 7, "broken"),
    ]
    assert dies["timeline"][0]["unchanged"] == 2
    assert len(sources["flaps"]["timeline"]) == RUNS
    assert sources["late"]["observations"] == 5
    run = document["runs"][6]
    assert run["id"] == 7
    assert run["newly_broken"] == 1
    assert run["statuses"]["broken"] == 1


def test_same_history_renders_to_the_same_bytes(built: Built) -> None:
    first, second = load_audit(built.path), load_audit(built.path)
    assert render_history_html(first) == render_history_html(second)
    assert render_history_markdown(first) == render_history_markdown(second)
    assert history_to_json(first) == history_to_json(second)


# --------------------------------------------------------------------------------------------
# The chart


def test_chart_has_one_bar_group_per_run_with_its_counts(
    built: Built, history: AuditHistory
) -> None:
    svg = lxml.etree.fromstring(history_chart_svg(history))  # valid XML, standalone
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    texts = {element.get("id"): element.text for element in svg.iter(f"{SVG}title", f"{SVG}desc")}
    assert all(texts.get(identifier) for identifier in labelled)
    groups = svg.findall(f".//{SVG}g[@class='run']")
    assert len(groups) == RUNS
    scale = set()
    lefts = []
    for group, run, expected in zip(
        groups, history.runs, expected_counts(built.scenarios), strict=True
    ):
        assert group.get("data-run") == str(run.id)
        title = group.find(f"{SVG}title")
        assert title is not None
        assert title.text.startswith(f"Run {run.id}, ")
        bars = group.findall(f"{SVG}rect[@data-status]")
        counts = {bar.get("data-status"): int(bar.get("data-count")) for bar in bars}
        assert counts == dict(expected)
        for status, count in counts.items():
            assert f"{count} {status}" in title.text
        # Stacked: each bar sits on the one below, heights proportional to the counts.
        bottom = None
        for bar in bars:
            y, height = float(bar.get("y")), float(bar.get("height"))
            if bottom is not None:
                assert abs(y + height - bottom) < 0.02
            bottom = y
            scale.add(round(height / int(bar.get("data-count")), 1))
        lefts.append(float(bars[0].get("x")))
    assert len(scale) == 1
    assert lefts == sorted(lefts)  # oldest left
    legend = [
        item.get("data-status")
        for item in svg.iter(f"{SVG}g")
        if item.get("class") == "legend-item"
    ]
    assert legend == list(history.statuses)
    labels = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "citations observed" in labels
    assert "audit runs, by start date (UTC)" in labels
    assert "2026-03-01" in labels
    assert "0" in labels
    run_7 = groups[6].find(f"{SVG}title").text
    assert "1 newly broken" in run_7


def test_chart_of_hundreds_of_runs_stays_inside_its_plot(tmp_path: Path) -> None:
    path = tmp_path / "long.sqlite"
    bulk_history(path, 3, 400)
    svg = lxml.etree.fromstring(history_chart_svg(load_audit(path)))
    groups = svg.findall(f".//{SVG}g[@class='run']")
    assert len(groups) == 400
    width = float(svg.get("viewBox").split()[2])
    rects = [group.find(f"{SVG}rect[@data-status]") for group in groups]
    assert all(
        float(r.get("x")) > 0 and float(r.get("x")) + float(r.get("width")) <= width for r in rects
    )
    dates = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("20")]
    assert 2 <= len(dates) <= 10


# --------------------------------------------------------------------------------------------
# HTML


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_html_is_one_self_contained_page_under_a_strict_policy(history: AuditHistory) -> None:
    html = render_history_html(history, title="Nightly audit")
    page = lxml.html.document_fromstring(html)
    (meta,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']")
    policy = meta.get("content")
    assert policy == CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    (style,) = page.xpath("//style")
    assert f"style-src {_sha256(style.text)};" in policy
    assert page.xpath("//script | //link | //img | //iframe | //object | //embed") == []
    assert page.xpath("//*[@src] | //*[@style] | //*[@srcset]") == []
    for href in page.xpath("//a/@href"):
        assert href.startswith(("https://", "http://", "#")), href
    assert page.findtext(".//title") == "Nightly audit"
    assert html.count("<svg") == 1 + len(history.sources)  # the chart, a strip per citation
    # The runs table is the chart's text alternative.
    assert len(page.xpath("//table[@id='runs-table']/tbody/tr")) == RUNS


def test_html_lists_citations_needing_attention_first_with_their_timeline(
    history: AuditHistory,
) -> None:
    page = lxml.html.document_fromstring(render_history_html(history))
    attention = page.xpath("//section[@id='attention']//details[contains(@class, 'source')]")
    assert [d.get("data-state") for d in attention] == ["broken", "drifted", "flapping"]
    dies = attention[0]
    assert "statement/dies" in dies.xpath("./summary")[0].text_content()
    assert dies.xpath(".//p[@class='replacement']/a/@href") == [ARCHIVED]
    rows = dies.xpath(".//table[@class='timeline']/tbody/tr")
    assert len(rows) == 2  # three verified runs, then seven broken ones
    assert "runs 4\u201310" in rows[1].text_content()
    strip = dies.xpath("./summary/svg")[0]
    marks = strip.xpath("./rect[@class]")
    assert [(m.get("class"), m.get("x"), m.get("width")) for m in marks] == [
        ("st-verified", "0", "3"),
        ("st-broken", "3", "7"),
    ]
    others = page.xpath("//section[@id='others']//details[contains(@class, 'source')]")
    assert {d.get("data-state") for d in others} == {"healthy"}
    late = next(d for d in others if "statement/late" in d.text_content())
    (mark,) = late.xpath("./summary/svg/rect[@class]")
    assert (mark.get("x"), mark.get("width")) == ("5", "5")  # not observed in runs 1 to 5


def test_html_shows_hostile_urls_and_messages_without_obeying_them(hostile: AuditHistory) -> None:
    html = render_history_html(hostile, title="</title><script>alert(9)</script>")
    page = lxml.html.document_fromstring(html)
    assert page.xpath("//script | //img") == []
    for element in page.iter():
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    for href in page.xpath("//@href"):
        assert href.startswith(("https://", "http://", "#")), href
        assert "\u202e" not in href
    text = page.text_content()
    assert "\u202e" not in html
    assert "\\u202e" in text
    assert PAYLOAD in text  # shown as text
    assert "javascript:alert(7)" in text
    assert "javascript:alert(5)" in text
    assert "data:text/html,<script>alert(6)</script>" in text
    assert page.findtext(".//title") == "</title><script>alert(9)</script>"
    # The quoted URL is a link, its quotes escaped inside the attribute.
    assert HOSTILE_URL in page.xpath("//a/@href")


# --------------------------------------------------------------------------------------------
# Markdown


def markdown_html(markdown: str) -> Any:
    return lxml.html.document_fromstring(
        "<div>" + MarkdownIt("commonmark").enable("table").render(markdown) + "</div>"
    )


def test_markdown_has_the_runs_then_attention_then_the_rest(history: AuditHistory) -> None:
    markdown = render_history_markdown(history)
    page = markdown_html(markdown)
    headings = [h.text_content() for h in page.xpath("//h3")]
    assert headings == ["Runs", "Needs attention (3)", "Other citations (4)"]
    runs, attention, others = page.xpath("//table")
    run_rows = runs.xpath("./tbody/tr")
    assert len(run_rows) == RUNS
    header = [cell.text_content() for cell in runs.xpath("./thead/tr/th")]
    seventh = dict(
        zip(header, (cell.text_content() for cell in run_rows[6].xpath("./td")), strict=True)
    )
    assert seventh["run"] == "7"
    assert seventh["broken"] == "1"
    assert seventh["newly broken"] == "1"
    rows = attention.xpath("./tbody/tr")
    cells = [[cell.text_content() for cell in row.xpath("./td")] for row in rows]
    assert [row[0] for row in cells] == ["broken", "drifted", "flapping"]
    assert cells[0][1] == "2026-03-04, 7 failing runs"
    assert cells[0][5] == ARCHIVED
    assert rows[0].xpath("./td[6]/a/@href") == [ARCHIVED]
    assert cells[0][6] == "\u2713\u2713\u2713" + "\u2717" * 7
    late = next(row for row in others.xpath("./tbody/tr") if "statement/late" in row.text_content())
    assert late.xpath("./td[7]")[0].text_content() == "\u00b7" * 5 + "\u2713" * 5


def test_markdown_shows_hostile_text_as_written(hostile: AuditHistory) -> None:
    markdown = render_history_markdown(hostile)
    assert "\u202e" not in markdown
    page = markdown_html(markdown)
    assert page.xpath("//script | //img | //b") == []
    for href in page.xpath("//@href"):
        assert href.startswith(("https://", "http://")), href
    for table in page.xpath("//table"):
        width = len(table.xpath("./thead/tr/th"))
        for row in table.xpath("./tbody/tr"):
            assert len(row.xpath("./td")) == width  # no | from the history split a cell
    text = page.text_content()
    assert "<b>hostile</b>/c|1`\\u202e" in text
    assert "javascript:alert(7)" in text
    assert "javascript:alert(5)" in text
    assert PAYLOAD.replace("\u202e", "\\u202e") in text
    assert "https://example.org/\\u202egnp.exe" in text


# --------------------------------------------------------------------------------------------
# In a real browser


def test_browser_shows_the_chart_and_runs_nothing(
    browser: Any, hostile: AuditHistory, tmp_path: Path
) -> None:
    path = tmp_path / "audit.html"
    path.write_text(render_history_html(hostile), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        chart = page.locator("figure.chart svg")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 600
        assert box["height"] > 150
        bar = page.locator("svg.chart g.run rect[data-status]").first
        assert bar.is_visible()
        assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(26, 127, 55)"  # verified
        strips = page.locator("details.source svg.strip")
        assert strips.count() == len(hostile.sources)
        assert strips.first.is_visible()
        first = page.locator("details.source").first
        assert first.locator("table.timeline").is_hidden()  # folded
        first.locator("summary").click(position={"x": 5, "y": 5})
        assert first.locator("table.timeline").is_visible()
        for element in page.locator("details.source summary, .source-body p").all():
            if element.is_visible():
                element.hover()
        page.locator("g.run").nth(3).hover()
        screenshot = tmp_path / "audit.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert screenshot.stat().st_size > 20_000
        assert page.evaluate("document.scripts.length") == 0
        assert requests == [path.as_uri()]  # nothing is loaded from anywhere else
        assert errors == []  # a style blocked by the CSP would show here
        assert dialogs == []
    finally:
        context.close()


def test_the_command_line_writes_each_format(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = built.path.read_bytes()
    target = tmp_path / "report.html"
    assert main(["audit", "report", "--db", str(built.path), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["audit", "report", "--db", str(built.path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "claimcheck.audit-report"
    assert main(["audit", "report", "--db", str(built.path), "--format", "markdown"]) == 0
    assert "|" in capsys.readouterr().out
    assert built.path.read_bytes() == before  # read only
    assert main(["audit", "report", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "no such audit history" in capsys.readouterr().err
