"""An audit run without a network observes nothing: every citation is recorded unchecked
(``no-network``), its state (and its URL's) stays what it was, and nothing is reported as newly
failing. Without this, one night offline moved every citation towards "dead".

The network is cut by making every name (and address) fail to resolve (``cut_network``):
nothing leaves the machine.

Internals tested directly (private modules): none."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Generator
from pathlib import Path

from claimcheck import ArchiveConfig
from claimcheck.auditing import (
    AuditPolicy,
    AuditResult,
    Batch,
    Fetched,
    LocalRunner,
    audit,
    audit_judge,
    observe,
)
from claimcheck.checking import ArchiveLookup
from claimcheck.sources import RateLimiter
from claimcheck.store import History, RunState
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


def unbound_port() -> int:
    """A port of 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def states(db: Path) -> tuple[dict[object, object], dict[str, object]]:
    """Every citation's health and every URL's state, as the history holds them."""
    with History(db) as history:
        return (
            {citation.key: citation.health for citation in history.citations()},
            {state.url: state for state in history.url_states()},
        )


def test_an_audit_without_network_leaves_every_state_as_it_was(
    tmp_path: Path, cut_network: Callable[[], list[str]]
) -> None:
    db, store = tmp_path / "audit.sqlite", tmp_path / "snapshots"
    routes = {"/fine": page(ORIGINAL), "/gone": page("<h1>Not found</h1>", status=404)}
    with LocalServer(routes) as server, FakeArchive() as archive:
        claims = quote_claims({name: f"{server.url}/{name}" for name in ("fine", "gone")}, QUOTE)

        def night(number: int) -> AuditResult:
            return audit(
                claims,
                history=db,
                snapshots=store,
                fetch=LOCAL_FETCH,
                archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
                policy=AuditPolicy(),
                now=T0 + dt.timedelta(days=number),
            )

        night(0)
        before = states(db)
        cut_network()
        offline = night(1)

    assert states(db) == before
    assert offline.run.state is RunState.COMPLETE
    assert not offline.failed
    assert offline.newly_broken == offline.newly_drifted == offline.recovered == ()
    [pending] = offline.pending  # as it was: one failing run, not two
    assert (pending.key.claim_id, pending.failures) == ("gone", 1)
    with History(db) as history:
        reasons = {o.key.claim_id: o.reason.value for o in history.observations(run_id=2)}
    assert reasons == {"fine": "no-network", "gone": "no-network"}
    assert offline.no_network == 2


def test_a_dead_host_while_others_answer_still_counts(tmp_path: Path) -> None:
    """Only a run in which nothing answers is without network: a host that fails beside others
    that answer is that host's failure, in an audit as in a check."""
    db, store = tmp_path / "audit.sqlite", tmp_path / "snapshots"
    with LocalServer({"/fine": page(ORIGINAL)}) as server:
        gone = f"http://127.0.0.1:{unbound_port()}/page"  # nothing listens there
        claims = quote_claims({"fine": f"{server.url}/fine", "gone": gone}, QUOTE)
        result = audit(
            claims,
            history=db,
            snapshots=store,
            fetch=LOCAL_FETCH,
            policy=AuditPolicy(use_archives=False),
            now=T0,
        )
    assert [finding.key.claim_id for finding in result.pending] == ["gone"]
    assert result.no_network == 0


class WorkerLikeRunner:
    """Fetches on this process's threads and judges every citation as a Dask worker does, with
    a judge of its own that knows nothing of the run's other hosts."""

    def run(self, batch: Batch) -> Generator[Fetched, None, None]:
        lookup = ArchiveLookup(batch.archives, batch.store)
        judge = audit_judge(batch.store, batch.policy, lookup)
        try:
            for fetched in LocalRunner().run(batch):
                result = fetched.fetch
                judged = {
                    citation.key: observe(judge, citation, result, batch.run_id)
                    for citation in batch.citations[result.url]
                }
                yield Fetched(result, judged)
        finally:
            lookup.close()

    def archive_limiter(self, config: ArchiveConfig) -> Callable[[str], RateLimiter] | None:
        return None

    def cpu_seconds(self) -> float:
        return 0.0


def test_a_runner_that_judges_elsewhere_cannot_move_states_without_network(
    tmp_path: Path, cut_network: Callable[[], list[str]]
) -> None:
    """A worker's judge sees one dead host; the audit, which sees the whole run, decides."""
    db, store = tmp_path / "audit.sqlite", tmp_path / "snapshots"
    with LocalServer({"/fine": page(ORIGINAL)}) as server, FakeArchive() as archive:
        claims = quote_claims({"fine": f"{server.url}/fine"}, QUOTE)
        for number in range(2):
            if number == 1:
                before = states(db)
                cut_network()
            result = audit(
                claims,
                history=db,
                snapshots=store,
                fetch=LOCAL_FETCH,
                archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
                now=T0 + dt.timedelta(days=number),
                runner=WorkerLikeRunner(),
            )
    assert states(db) == before
    assert result.no_network == 1
