"""Audits on a Dask cluster (``--dask``): a ``LocalCluster`` of two worker processes on
127.0.0.1 against local origins (one server per host) and a fake Internet Archive.

A Dask audit must record what a local audit of the same sources records (timings aside), keep
each host's politeness in one place, hold the archive's rate limit across the workers, resume
after a crash, and say clearly when Dask is not installed. The workers are processes, so a
process-wide limiter could not pass the archive test by accident.

Internals tested directly (private modules): how URLs are partitioned into tasks, the risk a worker
may run and the local cluster (``claimcheck.auditing._dask``)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from claimcheck import ArchiveConfig, Progress, SnapshotStore, Status
from claimcheck.auditing import AuditPolicy, AuditResult, AuditRunner, DaskRunner, audit
from claimcheck.auditing._dask import _worker_risk, local_cluster, partition
from claimcheck.cli import main
from claimcheck.errors import ClaimcheckError, ClusterError, MissingDependencyError
from claimcheck.sources import ACCESS_KEY_ENV, SECRET_KEY_ENV
from claimcheck.store import History, RunState
from fake_archive import FakeArchive
from servers import CHALLENGE_PAGE, LocalServer, Route, Switch, conditional, page
from support import CHANGED, LOCAL_FETCH, ORIGINAL, QUOTE, UNRELATED, quote_claims

pytestmark = pytest.mark.slow

GONE = page("<h1>Not found</h1>", status=404)
BOT_WALL = page(CHALLENGE_PAGE, status=403, headers=[("cf-mitigated", "challenge")])
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
ARCHIVED = "20210301000000"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two worker processes of two threads, on 127.0.0.1, no dashboard."""
    distributed = pytest.importorskip("distributed")
    with local_cluster(2, threads=2) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def runner(client: Any) -> Iterator[DaskRunner]:
    dask = DaskRunner(client)
    yield dask
    dask.close()


class Sites:
    """Three hosts (a server each) whose pages a test sets, a fake Wayback Machine, and audit
    histories and snapshot stores by name in a temporary folder."""

    def __init__(self, folder: Path, hosts: list[LocalServer], archive: FakeArchive) -> None:
        self.folder = folder
        self.hosts = hosts
        self.archive = archive
        self.fetch = LOCAL_FETCH
        self.archives = ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0)

    def source(self, host: int, name: str, route: Route) -> str:
        self.hosts[host].routes[f"/{name}"] = route
        return f"{self.hosts[host].url}/{name}"

    def claims(self, urls: dict[str, str], texts: dict[str, str] | None = None) -> Any:
        return quote_claims(urls, QUOTE, texts=texts or {})

    def audit(
        self, name: str, when: float, claims: Any, runner: AuditRunner | None = None, **kw: Any
    ) -> AuditResult:
        return audit(
            claims,
            history=self.folder / f"{name}.sqlite",
            snapshots=self.folder / f"{name}-snapshots",
            fetch=kw.pop("fetch", self.fetch),
            archives=kw.pop("archives", self.archives),
            policy=AuditPolicy(span=dt.timedelta(days=1)),
            now=T0 + dt.timedelta(days=when),
            runner=runner,
            **kw,
        )

    def rows(self, name: str) -> dict[str, list[Any]]:
        """The history's rows, less what differs between any two runs: timings, row ids, and
        the capture file names (each capture is looked up in the store instead: it must be
        there, with the observed digest)."""
        store = SnapshotStore(self.folder / f"{name}-snapshots")
        captures = {snapshot.path: snapshot for snapshot in store.snapshots()}

        def capture(path: str | None) -> tuple[str, str] | None:
            if path is None:
                return None
            snapshot = captures[path]
            store.read(snapshot)  # the file is there, whole
            return snapshot.digest, snapshot.origin

        with History(self.folder / f"{name}.sqlite") as history:
            observations = [
                {
                    **attrs.asdict(o, recurse=False),
                    "id": None,
                    "observed_at": None,
                    "elapsed": None,
                    "cpu_seconds": None,
                    "snapshot": capture(o.snapshot),
                }
                for o in history.observations()
            ]
            citations = [(c.key, c.health) for c in history.citations()]
            urls = [attrs.evolve(u, snapshot=capture(u.snapshot)) for u in history.url_states()]
            runs = [(r.id, r.started, r.state, r.bytes) for r in history.runs()]

        def order(row: Any) -> str:
            return repr(row["run_id"]) + repr(row["key"]) if isinstance(row, dict) else repr(row)

        return {
            "observations": sorted(observations, key=order),
            "citations": sorted(citations, key=order),
            "urls": sorted(urls, key=order),
            "runs": runs,
        }


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[Sites]:
    with (
        LocalServer({}) as a,
        LocalServer({}) as b,
        LocalServer({}) as c,
        FakeArchive() as archive,
    ):
        yield Sites(tmp_path, [a, b, c], archive)


# ---------------------------------------------------------------------------------------------
# Same verdicts


def test_a_dask_audit_records_what_a_local_audit_records(sites: Sites, runner: DaskRunner) -> None:
    moving = Switch(page(ORIGINAL))
    drifting = Switch(page(ORIGINAL))
    urls = {
        "ok": sites.source(0, "ok", conditional(ORIGINAL, etag='"v1"')),
        "gone": sites.source(0, "gone", GONE),
        "wall": sites.source(0, "wall", BOT_WALL),
        "changed": sites.source(1, "changed", page(CHANGED)),
        "unrelated": sites.source(1, "unrelated", page(UNRELATED)),
        "shared": sites.source(1, "shared", page(ORIGINAL)),
        "shared-too": sites.source(1, "shared", page(ORIGINAL)),
        "moving": sites.source(2, "moving", moving),
        "drifting": sites.source(2, "drifting", drifting),
        "reworded": sites.source(2, "reworded", conditional(ORIGINAL, etag='"r1"')),
        "placeholder": "#",
    }
    for name in ("gone", "wall", "changed"):
        sites.archive.add(urls[name], ARCHIVED, ORIGINAL.encode())
    claims = sites.claims(urls)
    local = sites.audit("local", 0, claims)
    remote = sites.audit("dask", 0, claims, runner)
    assert remote.run.state is RunState.COMPLETE
    assert remote.observed == local.observed == len(urls)
    assert sites.rows("dask") == sites.rows("local")
    with History(sites.folder / "dask.sqlite") as history:
        statuses = {o.key.claim_id: o.status for o in history.observations()}
    assert statuses["ok"] is statuses["shared"] is statuses["wall"] is Status.VERIFIED
    assert statuses["gone"] is statuses["placeholder"] is Status.BROKEN
    assert statuses["changed"] is Status.DRIFTED
    assert runner.cpu_seconds() > 0  # the workers' time is counted

    # Four days on: a page goes, a figure changes, a claim is reworded over an unchanged page
    # (judged by the client from its store), the rest is unchanged (verdicts reused).
    moving.route = GONE
    drifting.route = page(CHANGED)
    claims = sites.claims(urls, texts={"reworded": "who had found refuge"})
    local = sites.audit("local", 4, claims)
    remote = sites.audit("dask", 4, claims, runner)
    assert sites.rows("dask") == sites.rows("local")
    assert remote.reused == local.reused > 0
    assert remote.unchanged == local.unchanged > remote.reused
    assert [f.key.claim_id for f in remote.newly_drifted] == ["drifting"]


# ---------------------------------------------------------------------------------------------
# Partitioning by host


def test_urls_are_partitioned_by_host_and_interleaved_within_a_part() -> None:
    urls = [f"http://127.0.0.1:{port}/{n}" for n in range(3) for port in (8001, 8002, 8003)]
    assert partition(urls, 8) == [
        [f"http://127.0.0.1:{port}/{n}" for n in range(3)] for port in (8001, 8002, 8003)
    ]
    many = [f"https://host{h}.example/{n}" for n in range(4) for h in range(100)]
    parts = partition(many, 8)
    assert len(parts) <= 8
    assert sorted(url for part in parts for url in part) == sorted(many)
    owner = {url.split("/")[2]: index for index, part in enumerate(parts) for url in part}
    for index, part in enumerate(parts):
        assert all(owner[url.split("/")[2]] == index for url in part)  # a host in one part
    assert partition(many, 8) == parts  # the same parts in every run
    first = parts[0]
    assert first[0].split("/")[2] != first[1].split("/")[2]  # hosts alternate


def test_each_host_is_worked_on_by_one_task_at_a_time_within_its_limits(
    sites: Sites, client: Any
) -> None:
    urls = {
        f"h{host}-{n}": sites.source(host, f"p{n}", page(ORIGINAL))
        for host in range(3)
        for n in range(8)
    }
    spacing = 0.1
    fetch = attrs.evolve(sites.fetch, per_host=2, host_spacing=spacing, concurrency=16)
    # Chunks of 3: each host's 8 pages take three tasks, one after the other. Two tasks of a
    # host at once would put up to 4 requests in flight to it; a task that did not wait for the
    # spacing its predecessor left would start within a few ms of that one's last request.
    dask = DaskRunner(client, chunk_size=3)
    try:
        result = sites.audit("dask", 0, sites.claims(urls), dask, fetch=fetch)
    finally:
        dask.close()
    assert result.observed == 24
    for server in sites.hosts:
        assert server.stats.max_in_flight <= 2
        starts = sorted(request.started for request in server.stats.requests)
        assert len(starts) == 8
        gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
        # Across the chunks too; a quarter of the spacing: on a loaded 2-core machine an arrival
        # is seen up to ~55 ms late (measured: a 45 ms gap at load 7), while a task that ignored
        # the spacing would start within a few ms of the last request.
        assert min(gaps) > spacing / 4, gaps
    assert len(dask.placement) == 3
    assert len(set().union(*dask.placement.values())) == 2, dask.placement  # both workers


# ---------------------------------------------------------------------------------------------
# One archive rate limit for the cluster


def test_two_workers_together_keep_the_archive_rate_limit(sites: Sites, client: Any) -> None:
    urls = {
        f"h{host}-{n}": sites.source(host, f"gone{n}", GONE) for host in (0, 1) for n in range(5)
    }
    for url in urls.values():
        sites.archive.add(url, ARCHIVED, ORIGINAL.encode())
    interval = 0.1
    archives = attrs.evolve(sites.archives, requests_per_minute=60 / interval)
    dask = DaskRunner(client)
    try:
        result = sites.audit("dask", 0, sites.claims(urls), dask, archives=archives)
        granted = dask.limits().counts().result()[sites.archive.base_url.removeprefix("http://")]
    finally:
        dask.close()
    assert len(set().union(*dask.placement.values())) == 2  # both workers asked the archive
    assert all(f.observation and f.observation.replacement for f in result.pending)
    times = sorted(request.at for request in sites.archive.requests)
    assert len(times) == 2 * len(urls)  # a CDX query and a replay per dead link
    assert granted == len(times)  # every request had its slot from the cluster's limiter
    # The limiter spaces its grants (its own tests measure that); here, that the workers'
    # requests were held back at all: unpaced, they all arrive within a few milliseconds. A
    # busy machine only spreads them further, and network jitter moves each by far less than
    # half the span asserted.
    assert times[-1] - times[0] >= 0.5 * (len(times) - 1) * interval


def test_a_429_on_one_worker_stops_the_archive_calls_of_all(sites: Sites, client: Any) -> None:
    urls = {
        f"h{host}-{n}": sites.source(host, f"gone{n}", GONE) for host in (0, 1) for n in range(3)
    }
    for url in urls.values():
        sites.archive.add(url, ARCHIVED, ORIGINAL.encode())
    sites.archive.answer_429(times=1, retry_after="60")
    archives = attrs.evolve(sites.archives, requests_per_minute=60.0)
    dask = DaskRunner(client)
    started = time.monotonic()
    try:
        result = sites.audit("dask", 0, sites.claims(urls), dask, archives=archives)
        paused = dask.limits().paused_for(sites.archive.base_url.removeprefix("http://"))
        assert paused.result() > 30
    finally:
        dask.close()
    assert time.monotonic() - started < 0.9 * 60  # nobody waited out the 60 s pause
    assert len(sites.archive.requests) == 1  # the one that was refused
    assert result.observed == len(urls)
    assert len(set().union(*dask.placement.values())) == 2


def test_save_page_now_before_death_goes_through_the_cluster_limit(
    sites: Sites, runner: DaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ACCESS_KEY_ENV, sites.archive.keys[0])
    monkeypatch.setenv(SECRET_KEY_ENV, sites.archive.keys[1])
    url = sites.source(0, "unsaved", page(ORIGINAL))
    sites.archive.add(url, ARCHIVED, ORIGINAL.encode())  # years ago: save it now
    sites.archive.spn_capture_timestamp = "20260301020000"
    archives = attrs.evolve(sites.archives, save_page_now=f"{sites.archive.base_url}/save")
    result = audit(
        sites.claims({"unsaved": url}),
        history=sites.folder / "dask.sqlite",
        snapshots=sites.folder / "dask-snapshots",
        fetch=sites.fetch,
        archives=archives,
        policy=AuditPolicy(save_before_death=True, save_poll_interval=0.0),
        now=T0,
        runner=runner,
    )
    assert result.observed == 1
    with History(sites.folder / "dask.sqlite") as history:
        [observation] = history.observations()
    assert observation.saved_archive_url is not None
    assert "20260301020000" in observation.saved_archive_url
    calls = len(sites.archive.requests)  # CDX, the save, its status polls
    assert calls >= 3
    key = sites.archive.base_url.removeprefix("http://")  # the fake archive's limiter key
    assert runner.limits().counts().result()[key] == calls


# ---------------------------------------------------------------------------------------------
# Crash safety


class CrashError(BaseException):
    """The process dying, simulated: a BaseException (as KeyboardInterrupt) that no handler of
    the audit sees. A run stopped by an error (an Exception) is abandoned instead
    (``test_audit_failures.py``)."""


def test_a_dask_audit_that_died_is_resumed_where_it_stopped(
    sites: Sites, runner: DaskRunner
) -> None:
    urls = {
        f"h{host}-{n}": sites.source(host, f"p{n}", page(ORIGINAL))
        for host in range(3)
        for n in range(3)
    }
    urls["gone"] = sites.source(0, "gone", GONE)
    claims = sites.claims(urls)

    def crash(step: Progress) -> None:
        if step.stage == "check" and step.url is not None and step.done == 4:
            raise CrashError

    with pytest.raises(CrashError):
        sites.audit("dask", 0, claims, runner, progress=crash)
    with History(sites.folder / "dask.sqlite") as history:
        run = history.latest_run()
        assert run is not None
        assert run.state is RunState.RUNNING
        before = history.observations()
        assert len(before) == 4
        assert history.integrity_check() == "ok"

    resumed = sites.audit("dask", 0.01, claims, runner)
    assert resumed.resumed
    assert resumed.run.id == run.id
    assert resumed.run.state is RunState.COMPLETE
    assert resumed.observed == len(urls)
    with History(sites.folder / "dask.sqlite") as history:
        after = history.observations(run_id=run.id)
        assert after[:4] == before  # nothing committed before the crash was lost or redone
        assert sorted(o.key.claim_id for o in after) == sorted(urls)
    sites.audit("local", 0, claims)
    with (
        History(sites.folder / "dask.sqlite") as dask_history,
        History(sites.folder / "local.sqlite") as local_history,
    ):
        verdicts = {o.key: (o.status, o.reason) for o in dask_history.observations()}
        assert verdicts == {o.key: (o.status, o.reason) for o in local_history.observations()}


# ---------------------------------------------------------------------------------------------
# The command line and its errors


def test_the_command_line_audits_on_a_cluster(
    sites: Sites,
    client: Any,
    capsys: pytest.CaptureFixture[str],
    write_quote_claims: Callable[..., Path],
) -> None:
    urls = {"a": sites.source(0, "a", page(ORIGINAL)), "b": sites.source(1, "b", GONE)}
    claims = write_quote_claims(sites.folder, urls, QUOTE)
    arguments = [
        "audit",
        "run",
        str(claims),
        "--db",
        str(sites.folder / "audit.sqlite"),
        "--snapshots",
        str(sites.folder / "snapshots"),
        "--no-archive",
        "--allow-private-addresses",
        "--failures",
        "1",
        "--span",
        "0",
        "--format",
        "json",
        "-q",
        "--dask",
        client.scheduler.address,
        "--dask-workers",
        "2",
    ]
    assert main(arguments) == 1  # "b" is newly broken
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["observed"] == 2
    assert [finding["claim"] for finding in report["newly_broken"]] == ["b"]


def test_dask_workers_need_dask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_quote_claims: Callable[..., Path]
) -> None:
    claims = write_quote_claims(tmp_path, {"a": "https://example.org/a"}, QUOTE)
    assert main(["audit", "run", str(claims), "--dask-workers", "2", "-q"]) == 2
    assert "--dask-workers needs --dask" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_cluster_error() -> None:
    pytest.importorskip("distributed")
    with (
        pytest.raises(ClusterError, match=r"cannot use tcp://127\.0\.0\.1:1"),
        DaskRunner.connect("tcp://127.0.0.1:1", timeout=0.5),
    ):
        pass
    with pytest.raises(ClusterError), DaskRunner.connect("nonsense"):
        pass


def test_without_dask_installed_the_error_says_what_to_install(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_quote_claims: Callable[..., Path],
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    with pytest.raises(MissingDependencyError) as caught:
        DaskRunner(object())
    assert isinstance(caught.value, ImportError)
    assert isinstance(caught.value, ClaimcheckError)
    assert "pip install 'claimcheck-citations[dask]'" in str(caught.value)
    claims = write_quote_claims(tmp_path, {"a": "https://example.org/a"}, QUOTE)
    db = tmp_path / "audit.sqlite"
    assert main(["audit", "run", str(claims), "--db", str(db), "--dask", "local", "-q"]) == 2
    assert "pip install 'claimcheck-citations[dask]'" in capsys.readouterr().err
    assert not db.exists()  # refused before any work


def test_workers_that_may_freeze_are_warned_of(client: Any) -> None:
    import dask

    with dask.config.set({"distributed.worker.profile.enabled": True}):
        risky = _worker_risk()
    assert (risky is not None) == (sys.version_info[:2] == (3, 11) and sys.version_info[2] < 9)
    assert client.run(_worker_risk) == dict.fromkeys(client.run(lambda: None))  # profiler off

    class Frozen:
        def run(self, function: Any) -> dict[str, str]:
            return {"tcp://127.0.0.1:1": "Python 3.11.7 with distributed.worker.profile.enabled"}

    runner = DaskRunner(Frozen())
    with pytest.warns(RuntimeWarning, match="can freeze"):
        runner._check_workers()
