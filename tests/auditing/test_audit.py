"""The scheduled link-rot audit, against local servers that change between runs, with a fake
clock: "three days later" is a parameter, not a wait.

Internals tested directly (private modules): the command line's ``audit`` shorthand
(``claimcheck.cli._audit``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ArchiveConfig, FetchConfig, Progress, Reason, SnapshotStore, Status
from claimcheck.auditing import AuditPolicy, AuditResult, Finding, advance, audit
from claimcheck.checking import ProgressCallback
from claimcheck.cli import main
from claimcheck.cli._audit import audit_shorthand
from claimcheck.errors import InvalidClaimError, MissingCredentialsError
from claimcheck.reports import audit_to_json, render_audit_markdown, render_audit_text
from claimcheck.sources import ACCESS_KEY_ENV, SECRET_KEY_ENV
from claimcheck.store import Health, History, Outcome, RunState, State
from fake_archive import FakeArchive
from servers import CHALLENGE_PAGE, LocalServer, Route, Switch, conditional, page
from support import CHANGED, LOCAL_FETCH, ORIGINAL, QUOTE, UNRELATED, quote_claims

GONE = page("<h1>Not found</h1>", status=404)
SLOW_DOWN = page("<h1>Slow down</h1>", status=429)
BOT_WALL = page(
    CHALLENGE_PAGE, status=403, headers=[("cf-mitigated", "challenge"), ("server", "cloudflare")]
)
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
ARCHIVED = "20210301000000"


def day(number: float) -> dt.datetime:
    return T0 + dt.timedelta(days=number)


def wayback_stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


class Bench:
    """Local sources whose behaviour a test switches between runs, a fake Wayback Machine, and
    an audit history and snapshot store in a temporary folder."""

    def __init__(self, folder: Path, server: LocalServer, archive: FakeArchive) -> None:
        self.folder = folder
        self.server = server
        self.archive = archive
        self.db = folder / "audit.sqlite"
        self.store = folder / "snapshots"
        self.fetch = LOCAL_FETCH

    def source(self, name: str, route: Route) -> Switch:
        switch = Switch(route)
        self.server.routes[f"/{name}"] = switch
        return switch

    def url(self, name: str) -> str:
        return f"{self.server.url}/{name}"

    def claims(self, *names: str, text: str = QUOTE) -> claimcheck.ClaimSet:
        return quote_claims({name: self.url(name) for name in names}, text)

    def run(self, when: float, claims: claimcheck.ClaimSet, **policy: object) -> AuditResult:
        return audit(
            claims,
            history=self.db,
            snapshots=self.store,
            fetch=self.fetch,
            archives=ArchiveConfig(
                wayback=self.archive.base_url,
                save_page_now=f"{self.archive.base_url}/save",
                requests_per_minute=6000.0,
            ),
            policy=AuditPolicy(**policy),  # type: ignore[arg-type]
            now=day(when),
        )

    def history(self) -> History:
        return History(self.db)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    with LocalServer({}) as server, FakeArchive() as archive:
        yield Bench(tmp_path, server, archive)


def names(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.key.claim_id for finding in findings]


# ---------------------------------------------------------------------------------------------
# The state machine, end to end


def test_a_dead_link_is_newly_broken_once_two_failing_runs_span_three_days(bench: Bench) -> None:
    source = bench.source("a", page(ORIGINAL))
    bench.source("b", page(ORIGINAL))
    bench.archive.add(bench.url("a"), ARCHIVED, ORIGINAL.encode())
    claims = bench.claims("a", "b")

    first = bench.run(0, claims)
    assert first.observed == 2
    assert not first.failed
    assert first.pending == first.still_failing == first.newly_broken == ()

    source.route = GONE
    second = bench.run(1, claims)
    assert names(second.pending) == ["a"]
    assert not second.failed
    assert bench.run(2, claims).pending[0].failures == 2  # two runs, but one day apart

    fourth = bench.run(4, claims)  # three days after the first failure
    assert names(fourth.newly_broken) == ["a"]
    assert fourth.failed
    broken = fourth.newly_broken[0]
    assert broken.state is State.BROKEN
    assert broken.previous_state is State.FAILING
    assert broken.since == day(1)
    assert broken.failures == 3
    assert broken.observation is not None
    assert broken.observation.reason is Reason.DEAD_LINK
    assert broken.replacement is not None
    assert ARCHIVED in broken.replacement  # the archived copy that supports the claim

    fifth = bench.run(5, claims)
    assert fifth.newly_broken == ()
    assert not fifth.failed  # known breakage does not alert every night
    assert names(fifth.still_failing) == ["a"]
    assert fifth.still_failing[0].since == day(1)
    assert fifth.still_failing[0].replacement == broken.replacement


def test_unchecked_runs_neither_count_as_failures_nor_reset_them(bench: Bench) -> None:
    source = bench.source("a", page(ORIGINAL))
    bench.archive.add(bench.url("a"), ARCHIVED, ORIGINAL.encode())
    claims = bench.claims("a")
    bench.run(0, claims)
    for when, route in ((1, SLOW_DOWN), (2, BOT_WALL), (5, SLOW_DOWN)):
        source.route = route
        result = bench.run(when, claims)
        assert not result.failed
        assert result.pending == result.still_failing == result.flapping == ()
    with bench.history() as history:
        [state] = history.citations()
        assert state.health.state is State.HEALTHY
        assert state.health.last_ok == day(0)
        last = history.observations()[-1]
        # the archived copy has the claim, so the verdict is "verified" as check() says it,
        # but it tells nothing of the live page: it counts as unchecked
        assert last.status is Status.VERIFIED
        assert last.outcome is Outcome.UNCHECKED

    source.route = GONE
    assert names(bench.run(6, claims).pending) == ["a"]
    source.route = SLOW_DOWN
    assert names(bench.run(7, claims).pending) == ["a"]  # still one failure since day 6
    source.route = BOT_WALL
    assert bench.run(8, claims).pending[0].failures == 1
    source.route = GONE
    result = bench.run(9, claims)  # the second failure, three days after the first
    assert names(result.newly_broken) == ["a"]
    assert result.newly_broken[0].since == day(6)


def test_a_recovered_source_is_reported_once(bench: Bench) -> None:
    source = bench.source("a", GONE)
    claims = bench.claims("a")
    bench.run(0, claims)
    assert names(bench.run(3, claims).newly_broken) == ["a"]
    source.route = page(ORIGINAL)
    result = bench.run(4, claims)
    assert names(result.recovered) == ["a"]
    assert result.recovered[0].previous_state is State.BROKEN
    assert not result.failed
    assert bench.run(5, claims).recovered == ()


def test_a_source_that_keeps_coming_and_going_is_flapping_not_broken(bench: Bench) -> None:
    source = bench.source("a", page(ORIGINAL))
    claims = bench.claims("a")
    results = []
    for night in range(8):
        source.route = page(ORIGINAL) if night % 2 == 0 else GONE
        results.append(bench.run(night, claims))
    assert not any(result.failed for result in results)
    assert all(result.newly_broken == () for result in results)
    assert [bool(result.flapping) for result in results] == [False] * 4 + [True] * 4
    flapping = results[4].flapping[0]
    assert flapping.new
    assert flapping.state is State.FLAPPING


def test_a_changed_figure_is_newly_drifted_at_once(bench: Bench) -> None:
    source = bench.source("a", page(ORIGINAL))
    claims = bench.claims("a")
    bench.run(0, claims)
    source.route = page(CHANGED)
    drifted = bench.run(1, claims)
    assert names(drifted.newly_drifted) == ["a"]
    assert drifted.failed
    observation = drifted.newly_drifted[0].observation
    assert observation is not None
    assert observation.reason is Reason.FIGURE_CHANGED
    assert observation.definite
    again = bench.run(2, claims)
    assert names(again.still_failing) == ["a"]
    assert not again.failed
    source.route = page(ORIGINAL)
    assert names(bench.run(3, claims).recovered) == ["a"]


def test_a_page_that_lost_the_claim_waits_like_a_dead_link(bench: Bench) -> None:
    source = bench.source("a", page(ORIGINAL))
    bench.archive.add(bench.url("a"), ARCHIVED, ORIGINAL.encode())
    claims = bench.claims("a")
    bench.run(0, claims)
    source.route = page(UNRELATED)  # a maintenance page, say: the claim is simply absent
    first = bench.run(1, claims)
    assert names(first.pending) == ["a"]
    assert first.pending[0].observation is not None
    assert first.pending[0].observation.reason is Reason.CONTENT_CHANGED
    assert not first.failed
    assert names(bench.run(4, claims).newly_drifted) == ["a"]


def test_a_placeholder_link_is_broken_from_the_first_run(bench: Bench) -> None:
    claims = claimcheck.ClaimSet(
        claimcheck.Statement(id="letter"),
        (claimcheck.Claim("quote", QUOTE, id="nowhere", sources=(claimcheck.Source("#"),)),),
    )
    first = bench.run(0, claims)
    assert names(first.newly_broken) == ["nowhere"]
    assert first.newly_broken[0].observation is not None
    assert first.newly_broken[0].observation.reason is Reason.PLACEHOLDER_LINK
    assert not bench.run(1, claims).failed


def test_citations_must_be_told_apart(bench: Bench) -> None:
    claims = bench.claims("a")
    with pytest.raises(InvalidClaimError, match="cited twice"):
        audit(
            [claims, claims],
            history=bench.db,
            snapshots=bench.store,
            fetch=bench.fetch,
            now=T0,
        )


# ---------------------------------------------------------------------------------------------
# Cheap re-runs


LAST_MODIFIED = "Sun, 01 Mar 2026 00:00:00 GMT"


def test_a_second_run_asks_conditionally_and_reuses_unchanged_results(bench: Bench) -> None:
    bench.fetch = FetchConfig(
        deadline=10.0, host_spacing=0.0, retries=0, allow_private_addresses=True
    )  # with the soft-404 probe
    bench.source("etag", conditional(ORIGINAL, etag='"v1"'))
    bench.source("date", conditional(ORIGINAL, last_modified=LAST_MODIFIED))
    bench.source("plain", page(ORIGINAL))
    claims = bench.claims("etag", "date", "plain")
    first = bench.run(0, claims)
    assert first.reused == first.unchanged == 0
    captures = len(SnapshotStore(bench.store).snapshots())
    first_requests = len(bench.server.stats.requests)
    assert first_requests == 4  # three pages and one soft-404 probe of their folder

    bench.server.reset_stats()
    second = bench.run(1, claims)
    requests = {r.path: r for r in bench.server.stats.requests}
    assert set(requests) == {"/etag", "/date", "/plain"}  # no probe for pages that passed it
    assert requests["/etag"].header("If-None-Match") == '"v1"'
    assert requests["/date"].header("If-Modified-Since") == LAST_MODIFIED
    assert requests["/plain"].header("If-None-Match") is None
    assert second.observed == second.unchanged == second.reused == 3
    assert len(SnapshotStore(bench.store).snapshots()) == captures  # nothing new stored
    with bench.history() as history:
        observations = {o.key.claim_id: o for o in history.observations(run_id=second.run.id)}
    assert observations["etag"].http_status == observations["date"].http_status == 304
    assert observations["plain"].http_status == 200  # same bytes, same digest: unchanged too
    assert all(o.status is Status.VERIFIED for o in observations.values())
    assert second.run.bytes < first.run.bytes


def test_a_second_run_over_unchanged_sources_costs_a_tenth(bench: Bench) -> None:
    filler = "".join(f"<p>Paragraph {n} of the report, about other things.</p>" for n in range(400))
    body = ORIGINAL.replace("</article>", f"{filler}</article>")
    sources = [f"s{n}" for n in range(12)]
    for number, name in enumerate(sources):
        bench.source(name, conditional(body, etag=f'"{number}"'))
    claims = bench.claims(*sources)
    first = bench.run(0, claims)
    sent_first = bench.server.stats.bytes_sent
    bench.server.reset_stats()
    second = bench.run(1, claims)
    sent_second = bench.server.stats.bytes_sent
    assert second.reused == len(sources)
    assert sent_second <= sent_first / 10
    assert second.run.bytes <= first.run.bytes / 10
    with bench.history() as history:
        cpu = [
            sum(o.cpu_seconds for o in history.observations(run_id=run.run.id))
            for run in (first, second)
        ]
    assert cpu[1] < cpu[0] / 3  # no extraction, no matching: only the bookkeeping


def test_a_changed_claim_is_matched_again_over_an_unchanged_source(bench: Bench) -> None:
    bench.source("a", conditional(ORIGINAL, etag='"v1"'))
    bench.run(0, bench.claims("a"))
    edited = bench.run(1, bench.claims("a", text="who had found refuge"))
    with bench.history() as history:
        [observation] = history.observations(run_id=edited.run.id)
    assert observation.unchanged  # the source answered 304
    assert not observation.reused  # but the claim is another one
    assert observation.status is Status.VERIFIED
    absent = bench.run(2, bench.claims("a", text="the ministry denied every application"))
    with bench.history() as history:
        [observation] = history.observations(run_id=absent.run.id)
    assert observation.unchanged
    assert not observation.reused
    assert observation.reason is Reason.NOT_FOUND


# ---------------------------------------------------------------------------------------------
# Resuming


class CrashError(BaseException):
    """The process dying, simulated: a BaseException (as KeyboardInterrupt) that no handler of
    the audit sees. A run stopped by an error (an Exception) is abandoned instead
    (``test_audit_failures.py``)."""


def crash_after(count: int) -> ProgressCallback:
    def progress(step: Progress) -> None:
        if step.stage == "check" and step.url is not None and step.done == count:
            raise CrashError

    return progress


def test_an_audit_that_died_is_resumed_where_it_stopped(bench: Bench) -> None:
    sources = [f"s{n}" for n in range(5)]
    for name in sources:
        bench.source(name, page(ORIGINAL))
    claims = bench.claims(*sources)
    with pytest.raises(CrashError):
        audit(
            claims,
            history=bench.db,
            snapshots=bench.store,
            fetch=bench.fetch,
            now=T0,
            progress=crash_after(2),
        )
    with bench.history() as history:
        run = history.latest_run()
        assert run is not None
        assert run.state is RunState.RUNNING
        before = history.observations()
        assert len(before) == 2
        assert history.integrity_check() == "ok"

    resumed = bench.run(0.01, claims)
    assert resumed.resumed
    assert resumed.run.id == run.id
    assert resumed.run.state is RunState.COMPLETE
    assert resumed.run.started == T0  # the run keeps its own date
    assert resumed.observed == 5
    with bench.history() as history:
        after = history.observations(run_id=run.id)
        assert after[:2] == before  # nothing committed before the crash was lost or redone
        assert sorted(o.key.claim_id for o in after) == sources
        assert len(history.runs()) == 1


def test_an_audit_that_died_long_ago_is_abandoned(bench: Bench) -> None:
    bench.source("a", page(ORIGINAL))
    bench.source("b", page(ORIGINAL))
    claims = bench.claims("a", "b")
    with pytest.raises(CrashError):
        audit(
            claims,
            history=bench.db,
            snapshots=bench.store,
            fetch=bench.fetch,
            now=T0,
            progress=crash_after(1),
        )
    fresh = bench.run(1, claims)
    assert not fresh.resumed
    assert fresh.observed == 2
    with bench.history() as history:
        assert [run.state for run in history.runs()] == [RunState.ABANDONED, RunState.COMPLETE]


# ---------------------------------------------------------------------------------------------
# Save Page Now before death


@pytest.fixture
def keys(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ACCESS_KEY_ENV, bench.archive.keys[0])
    monkeypatch.setenv(SECRET_KEY_ENV, bench.archive.keys[1])


@pytest.mark.usefixtures("keys")
def test_a_verified_page_without_a_recent_capture_is_saved(bench: Bench) -> None:
    bench.source("unsaved", page(ORIGINAL))
    bench.source("recent", page(ORIGINAL))
    bench.archive.add(bench.url("unsaved"), ARCHIVED, ORIGINAL.encode())  # years ago
    recent = wayback_stamp(day(-3))
    bench.archive.add(bench.url("recent"), recent, ORIGINAL.encode())
    bench.archive.spn_capture_timestamp = wayback_stamp(day(0))
    claims = bench.claims("unsaved", "recent")
    policy = {"save_before_death": True, "save_poll_interval": 0.0}

    bench.run(0, claims, **policy)
    posts = [r for r in bench.archive.requests if r.method == "POST"]
    assert len(posts) == 1
    assert bench.url("unsaved").encode() in posts[0].body.replace(b"%3A", b":").replace(
        b"%2F", b"/"
    )
    saved = f"{bench.archive.base_url}/web/{wayback_stamp(day(0))}/{bench.url('unsaved')}"
    with bench.history() as history:
        unsaved = history.url_state(bench.url("unsaved"))
        assert unsaved is not None
        assert unsaved.archive_url == saved
        assert unsaved.archive_captured == day(0)
        [observation] = [o for o in history.observations() if o.key.claim_id == "unsaved"]
        assert observation.saved_archive_url == saved
        found = history.url_state(bench.url("recent"))
        assert found is not None
        assert found.archive_url is not None
        assert recent in found.archive_url  # a recent capture exists: nothing to save

    asked = len(bench.archive.requests)
    bench.run(1, claims, **policy)
    assert len(bench.archive.requests) == asked  # captures within the window: no calls at all


def test_save_before_death_without_keys_refuses_before_any_work(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ACCESS_KEY_ENV, raising=False)
    monkeypatch.delenv(SECRET_KEY_ENV, raising=False)
    bench.source("a", page(ORIGINAL))
    with pytest.raises(MissingCredentialsError):
        bench.run(0, bench.claims("a"), save_before_death=True)
    assert not bench.db.exists()
    assert bench.server.stats.requests == []


# ---------------------------------------------------------------------------------------------
# Renderings and the command line


def test_renderings_list_what_changed(bench: Bench) -> None:
    bench.source("a", GONE)
    bench.source("b", page(ORIGINAL))
    claims = bench.claims("a", "b")
    bench.run(0, claims)
    result = bench.run(3, claims)
    data = audit_to_json(result)
    assert data["schema"] == "claimcheck.audit"
    assert data["failed"] is True
    assert data["summary"]["newly_broken"] == 1
    [broken] = data["newly_broken"]
    assert broken["url"] == bench.url("a")
    assert broken["since"] == "2026-03-01T02:00:00Z"
    assert broken["reason"] == "no-archive"
    json.dumps(data)
    text = render_audit_text(result, color=False)
    assert "newly broken" in text
    assert "letter/a" in text
    assert "\x1b" not in text
    markdown = render_audit_markdown(result)
    assert "### newly broken (1)" in markdown
    assert "| letter/a |" in markdown
    # every rendering names the store the run recorded its captures in
    store = str(bench.store.resolve())
    assert result.store == data["store"] == store
    assert f"snapshot store: {store}" in text
    assert f"Snapshot store: `{store}`" in markdown


def test_the_command_line_exits_1_only_when_something_newly_failed(
    bench: Bench, capsys: pytest.CaptureFixture[str], write_quote_claims: Callable[..., Path]
) -> None:
    gone = bench.source("a", page(ORIGINAL))
    bench.source("b", page(ORIGINAL))
    claims = write_quote_claims(bench.folder, {"a": bench.url("a"), "b": bench.url("b")}, QUOTE)
    common = [
        "--db",
        str(bench.db),
        "--snapshots",
        str(bench.store),
        "--no-archive",
        "--allow-private-addresses",
        "--failures",
        "1",
        "--span",
        "0",
        "-q",
    ]
    assert main(["audit", str(claims), *common]) == 0
    capsys.readouterr()
    gone.route = GONE
    assert main(["audit", str(claims), *common, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["claim"] for f in report["newly_broken"]] == ["a"]
    output = bench.folder / "audit.md"
    assert (
        main(["audit", "run", str(claims), *common, "--format", "markdown", "-o", str(output)]) == 0
    )
    assert "### still broken (1)" in output.read_text(encoding="utf-8")
    assert main(["audit", "run", str(claims), *common]) == 0
    assert "still broken" in capsys.readouterr().out


def test_command_line_usage_errors_exit_2(
    bench: Bench,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_quote_claims: Callable[..., Path],
) -> None:
    claims = write_quote_claims(bench.folder, {"a": bench.url("a")}, QUOTE)
    with pytest.raises(SystemExit) as caught:
        main(["audit", str(claims), "--failures", "0"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["audit", str(claims), "--span", "soon"])
    assert caught.value.code == 2
    assert main(["audit", str(bench.folder / "missing.toml"), "--db", str(bench.db)]) == 2
    monkeypatch.delenv(ACCESS_KEY_ENV, raising=False)
    monkeypatch.delenv(SECRET_KEY_ENV, raising=False)
    assert main(["audit", str(claims), "--db", str(bench.db), "--save-before-death"]) == 2
    assert "CLAIMCHECK_IA_ACCESS_KEY" in capsys.readouterr().err


def test_audit_path_is_short_for_audit_run_path() -> None:
    assert audit_shorthand(["audit", "claims/"]) == ["audit", "run", "claims/"]
    assert audit_shorthand(["audit", "--db", "x", "claims/"]) == [
        "audit",
        "run",
        "--db",
        "x",
        "claims/",
    ]
    assert audit_shorthand(["audit", "run", "claims/"]) == ["audit", "run", "claims/"]
    assert audit_shorthand(["audit", "--help"]) == ["audit", "--help"]
    assert audit_shorthand(["check", "audit"]) == ["check", "audit"]
    assert audit_shorthand([]) == []


# ---------------------------------------------------------------------------------------------
# The state machine's rules, one by one


POLICY = AuditPolicy()


def step(health: Health, outcome: Outcome, when: float, run: int, **kw: bool) -> Health:
    return advance(health, outcome, at=day(when), run_id=run, policy=POLICY, **kw)


def test_a_run_counts_once() -> None:
    failed = step(Health(), Outcome.BROKEN, 0, 1)
    assert step(failed, Outcome.BROKEN, 5, 1) == failed


def test_unchecked_changes_nothing_but_the_last_check() -> None:
    failing = step(step(Health(), Outcome.OK, 0, 1), Outcome.BROKEN, 1, 2)
    after = step(failing, Outcome.UNCHECKED, 2, 3)
    assert (after.state, after.failures, after.failing_since) == (State.FAILING, 1, day(1))
    assert after.last_outcome is Outcome.UNCHECKED
    assert step(Health(), Outcome.UNCHECKED, 0, 1).state is State.UNKNOWN


def test_broken_needs_the_runs_and_the_span() -> None:
    health = step(Health(), Outcome.BROKEN, 0, 1)
    assert health.state is State.FAILING
    almost = step(health, Outcome.BROKEN, 2.99, 2)
    assert almost.state is State.FAILING
    assert step(almost, Outcome.BROKEN, 3, 3).state is State.BROKEN
    assert step(health, Outcome.BROKEN, 3, 2).state is State.BROKEN
    one_run = advance(
        Health(),
        Outcome.BROKEN,
        at=T0,
        run_id=1,
        policy=AuditPolicy(failures=1, span=dt.timedelta(0)),
    )
    assert one_run.state is State.BROKEN


def test_a_definite_failure_confirms_at_once_and_a_confirmed_state_holds() -> None:
    drifted = step(Health(), Outcome.DRIFTED, 0, 1, definite=True)
    assert drifted.state is State.DRIFTED
    assert drifted.changed_run == 1
    then_404 = step(drifted, Outcome.BROKEN, 1, 2)
    assert then_404.state is State.DRIFTED  # a single 404 does not unconfirm the drift
    assert then_404.changed_run == 1
    assert step(then_404, Outcome.BROKEN, 3, 3).state is State.BROKEN  # sustained: broken now
    healthy = step(then_404, Outcome.OK, 3, 3)
    assert (healthy.state, healthy.previous_state, healthy.failures) == (
        State.HEALTHY,
        State.DRIFTED,
        0,
    )


def test_flapping_needs_enough_flips_within_the_window() -> None:
    health = step(Health(), Outcome.OK, 0, 1)
    outcomes = [Outcome.BROKEN, Outcome.OK, Outcome.BROKEN, Outcome.OK]
    for number, outcome in enumerate(outcomes, start=1):
        health = step(health, outcome, number, number + 1)
    assert health.state is State.FLAPPING
    assert len(health.flips) == 4
    calm = step(health, Outcome.OK, 30, 10)  # the flips aged out of the window
    assert calm.state is State.HEALTHY
    assert calm.flips == ()
