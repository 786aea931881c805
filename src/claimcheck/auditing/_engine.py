"""The audit itself: :func:`audit` opens or resumes a run, hands the fetching to a runner, judges
and records each citation as its fetch ends (see the package documentation)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterable

import attrs

from .._version import __version__
from ..checking import (
    ArchiveLookup,
    Progress,
    ProgressCallback,
    claim_sets_of,
    source_problem,
)
from ..errors import ArchiveError, MissingCredentialsError, RateLimitedError
from ..model import ClaimSet, Reason, Status, as_utc
from ..sources import (
    ArchiveConfig,
    Fetch,
    FetchConfig,
    Reachability,
    SavePageNow,
    Validators,
    Wayback,
)
from ..store import (
    CitationState,
    Health,
    History,
    Observation,
    Outcome,
    Run,
    RunState,
    SnapshotStore,
    UrlState,
)
from ._citations import Citation, _fetch_fields, _header, audit_judge, citations_of, observe
from ._listings import HostListings
from ._policy import AuditPolicy, advance
from ._result import AuditResult, summarize
from ._runners import AuditRunner, Batch, Fetched, LocalRunner

__all__ = [
    "audit",
]


# ---------------------------------------------------------------------------------------------
# The state machine


# ---------------------------------------------------------------------------------------------
# Citations


# ---------------------------------------------------------------------------------------------
# The audit


class _Clock:
    """The run's time: a given ``now`` (a test's fake clock) or the real one, moving on with
    the monotonic clock so that observations stay in order."""

    def __init__(self, now: dt.datetime | None) -> None:
        self.start = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
        self._origin = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._origin)


def audit(
    claim_sets: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
    *,
    history: History | str | os.PathLike[str],
    snapshots: SnapshotStore | str | os.PathLike[str],
    fetch: FetchConfig | None = None,
    archives: ArchiveConfig | None = None,
    policy: AuditPolicy | None = None,
    now: dt.datetime | None = None,
    progress: ProgressCallback | None = None,
    runner: AuditRunner | None = None,
) -> AuditResult:
    """Audit every citation of ``claim_sets`` online, record it in ``history``, and return
    what changed since the earlier runs (see the module documentation).

    ``history`` is a :class:`~claimcheck.store.History` or the path of its SQLite file
    (created when absent); ``snapshots`` the snapshot store captures are recorded in (created
    when absent). ``fetch`` and ``archives`` configure fetching and the web archives as for
    :func:`~claimcheck.check`; ``policy`` the state machine and Save Page Now. ``now`` is the
    run's time (by default the real time; tests pass a fake clock's). ``progress`` is called
    with :class:`~claimcheck.Progress` steps (``fetch`` from worker threads, then ``check``).
    ``runner`` does the fetching and judging: this process (:class:`LocalRunner`, the
    default) or a Dask cluster (:class:`~claimcheck.auditing.DaskRunner`); the history is written
    here either way.

    If the latest run died (still ``running``: its process was killed or interrupted) within
    ``policy.resume_within``, it is resumed instead of starting a new one. A run stopped by an
    error is ``abandoned`` as the error propagates (resuming would meet it again); claimcheck
    failing on one source is no such error, but that source's verdict (``internal-error``).

    Raises :class:`~claimcheck.MissingCredentialsError` when ``policy.save_before_death`` is
    set without archive.org keys, before any work, and :class:`~claimcheck.HistoryError` when
    the history cannot be used (another audit holds it).
    """
    policy = policy or AuditPolicy()
    archives = archives or ArchiveConfig()
    runner = runner or LocalRunner()
    limiter = runner.archive_limiter(archives)
    citations = citations_of(claim_sets_of(claim_sets))
    clock = _Clock(now)
    with contextlib.ExitStack() as stack:
        saver = wayback = None
        if policy.save_before_death:
            saver = stack.enter_context(
                SavePageNow(archives, limiter=limiter(archives.save_page_now) if limiter else None)
            )
            if not saver.has_keys:
                raise MissingCredentialsError(
                    "--save-before-death needs archive.org keys "
                    "(https://archive.org/account/s3.php) in CLAIMCHECK_IA_ACCESS_KEY and "
                    "CLAIMCHECK_IA_SECRET_KEY"
                )
            wayback = stack.enter_context(
                Wayback(archives, limiter=limiter(archives.wayback) if limiter else None)
            )
        log = history if isinstance(history, History) else stack.enter_context(History(history))
        store = (
            snapshots
            if isinstance(snapshots, SnapshotStore)
            else SnapshotStore(snapshots, create=True)
        )
        stack.enter_context(log.exclusive())
        run, resumed = _open_run(log, clock, policy, citations)
        auditor = _Auditor(
            log, store, run, policy, clock, fetch, archives, saver, wayback, progress, runner
        )
        stack.callback(auditor.close)
        cpu = time.process_time()
        try:
            auditor.observe(citations)
        except Exception:
            # Stopped by an error, not killed: resuming the run would meet the error again.
            with contextlib.suppress(Exception):
                log.abandon_run(run.id)
            raise
        cpu = time.process_time() - cpu + runner.cpu_seconds()
        run = log.finish_run(run.id, clock.now(), cpu_seconds=cpu)
        result = summarize(log, run, resumed=resumed)
        return attrs.evolve(result, store=str(store.root.resolve()))


def _open_run(
    log: History, clock: _Clock, policy: AuditPolicy, citations: list[Citation]
) -> tuple[Run, bool]:
    """The run to work in: the latest one if it died recently, else a new one."""

    latest = log.latest_run()
    if latest is not None and latest.state is RunState.RUNNING:
        if abs(clock.start - latest.started) <= policy.resume_within:
            return latest, True
        log.abandon_run(latest.id)
    files = sorted({c.claims_file for c in citations if c.claims_file is not None})
    options = {
        "policy": policy.to_json(),
        "claims_files": files,
        "citations": len(citations),
        "claimcheck": __version__,
    }
    return log.start_run(clock.start, options), False


# ---------------------------------------------------------------------------------------------
# Runners


# ---------------------------------------------------------------------------------------------
# Judging and recording


class _Auditor:
    """One process's work on a run: hand the fetching (and judging) to the runner, then judge
    what it left, record, one URL at a time as its results come."""

    def __init__(
        self,
        log: History,
        store: SnapshotStore,
        run: Run,
        policy: AuditPolicy,
        clock: _Clock,
        fetch: FetchConfig | None,
        archives: ArchiveConfig,
        saver: SavePageNow | None,
        wayback: Wayback | None,
        progress: ProgressCallback | None,
        runner: AuditRunner,
    ) -> None:
        self.log = log
        self.store = store
        self.run = run
        self.at = run.started  # the run's date, for the state machine
        self.policy = policy
        self.clock = clock
        self.fetch_config = fetch
        self.archives = archives
        self.saver = saver
        self.wayback = wayback
        self.progress = progress
        self.runner = runner
        self.network = Reachability(archive=policy.use_archives)
        self.lookup = ArchiveLookup(
            archives, store, limiter=runner.archive_limiter(archives), network=self.network
        )
        # The index is asked a host at a time, and its answers remembered (see _listings).
        self.listings = HostListings(
            log, self.lookup.wayback, now=lambda: self.at, fresh=policy.archive_recheck
        )
        self.lookup.listing = self.listings.captures
        self.judge = audit_judge(store, policy, self.lookup, self.network)
        self.archive_stopped = False
        self.asked_archive: set[str] = set()
        self.citation_states = {state.key: state for state in log.citations()}
        self.url_states = {state.url: state for state in log.url_states()}
        self.done = 0
        self.total = 0

    def close(self) -> None:
        self.lookup.close()

    def observe(self, citations: list[Citation]) -> None:
        observed = self.log.observed(self.run.id)
        todo = [c for c in citations if c.key not in observed]
        self.total = len(todo)
        by_url: dict[str, list[Citation]] = {}
        for citation in todo:
            if source_problem(citation.source.url) is not None:
                self._record(citation, None, None, first=False)
            else:
                by_url.setdefault(citation.key.url, []).append(citation)
        self.listings.plan(by_url)
        if by_url:
            batch = Batch(
                citations={url: tuple(group) for url, group in by_url.items()},
                validators={url: v for url in by_url if (v := self._validators(url)) is not None},
                store=self.store,
                fetch=self.fetch_config,
                archives=self.archives,
                policy=self.policy,
                run_id=self.run.id,
                progress=self.progress,
            )
            with contextlib.closing(self.runner.run(batch)) as results:
                # A URL that reached no server waits until the run is known to have a network
                # or not (an answer from anywhere, or the evidence of none): its host's
                # failure counts, the network's does not.
                held: list[Fetched] = []
                for fetched in results:
                    self.network.note(fetched.fetch)
                    if fetched.fetch.unreachable and not self.network.decided:
                        held.append(fetched)
                        continue
                    for ready in (*held, fetched):
                        self._observe_url(ready, by_url[ready.fetch.url])
                    held.clear()
                for ready in held:
                    self._observe_url(ready, by_url[ready.fetch.url])
        if self.progress is not None:
            self.progress(Progress("check", self.total, self.total))

    def _observe_url(self, fetched: Fetched, citations: list[Citation]) -> None:
        """Judge and record the citations of one fetched URL: the runner's observations are
        used, except for a URL that reached no server in a run not known to have a network,
        which is judged here (a runner's judge knows nothing of the run's other hosts; this
        one asks the web archive, whose answer tells)."""
        result = fetched.fetch
        cut_off = result.unreachable and not self.network.up
        state: UrlState | None = self._url_after(result)
        for number, citation in enumerate(citations):
            state = self._record(
                citation,
                result,
                state,
                first=number == 0,
                judged=None if cut_off else fetched.judged.get(citation.key),
            )

    def _validators(self, url: str) -> Validators | None:
        state = self.url_states.get(url)
        if state is None or state.snapshot is None or state.digest is None:
            return None
        snapshot = next((s for s in self.store.snapshots(url) if s.path == state.snapshot), None)
        if snapshot is None or snapshot.digest != state.digest:
            return None  # the store lost it: fetch afresh
        return Validators(state.etag, state.last_modified, state.digest, snapshot)

    def _url_after(self, result: Fetch) -> UrlState:
        """The URL's state after this run's fetch (validators of a good fetch kept for the
        next conditional request)."""
        url = result.url
        state = self.url_states.get(url) or UrlState(url)
        if result.ok:
            outcome = Outcome.OK
        elif result.reason is not None and result.reason.status is Status.BROKEN:
            outcome = Outcome.BROKEN
        else:
            outcome = Outcome.UNCHECKED
        health = advance(state.health, outcome, at=self.at, run_id=self.run.id, policy=self.policy)
        state = attrs.evolve(state, health=health)
        if result.ok and result.snapshot is not None:
            state = attrs.evolve(
                state,
                etag=_header(result.headers, "etag") or (state.etag if result.unchanged else None),
                last_modified=_header(result.headers, "last-modified")
                or (state.last_modified if result.unchanged else None),
                digest=result.snapshot.digest,
                snapshot=result.snapshot.path,
            )
        return state

    def _record(
        self,
        citation: Citation,
        result: Fetch | None,
        url_state: UrlState | None,
        *,
        first: bool,
        judged: Observation | None = None,
    ) -> UrlState | None:
        """Judge one citation (unless the runner ``judged`` it), move its state machine, and
        commit it all at once."""
        if self.progress is not None:
            self.progress(Progress("check", self.done, self.total, citation.key.url))
        cpu = time.thread_time()
        elsewhere = 0.0  # CPU time the runner spent judging it
        known = self.citation_states.get(citation.key)
        previous = None
        if known is not None and known.last_observation is not None:
            previous = self.log.observation(known.last_observation)
        observation = self._reuse(citation, result, previous)
        if observation is None and judged is not None:
            observation, elsewhere = judged, judged.cpu_seconds
        if observation is None:
            observation = observe(self.judge, citation, result, self.run.id)
        saved = None
        if (
            url_state is not None
            and observation.status is Status.VERIFIED
            and observation.snapshot is not None
        ):
            url_state, saved = self._archive_before_death(url_state)
        observation = attrs.evolve(
            observation,
            observed_at=self.clock.now(),
            bytes=result.transferred if result is not None and first else 0,
            cpu_seconds=time.thread_time() - cpu + elsewhere,
            saved_archive_url=saved,
        )
        if observation.reason is Reason.NO_NETWORK:
            # Nothing was observed: neither the citation's state nor its URL's moves.
            health = known.health if known is not None else Health()
            url_state = self.url_states.get(citation.key.url)
        else:
            health = advance(
                known.health if known is not None else Health(),
                observation.outcome,
                at=self.at,
                run_id=self.run.id,
                policy=self.policy,
                definite=observation.definite,
            )
        stored = self.log.record(observation, citation=health, url_state=url_state)
        self.citation_states[citation.key] = CitationState(citation.key, health, stored.id)
        if url_state is not None:
            self.url_states[url_state.url] = url_state
        self.done += 1
        return url_state

    def _reuse(
        self, citation: Citation, result: Fetch | None, previous: Observation | None
    ) -> Observation | None:
        """The previous observation's verdict, when it read this same unchanged copy for this
        same claim and decided something."""
        if (
            result is None
            or previous is None
            or not (result.ok and result.unchanged and result.snapshot is not None)
            or previous.claim_hash != citation.hash
            or previous.fetch_reason is not None
            or previous.digest != result.snapshot.digest
            or previous.outcome is Outcome.UNCHECKED
        ):
            return None
        return attrs.evolve(
            previous,
            id=None,
            run_id=self.run.id,
            claims_file=citation.claims_file,
            reused=True,
            **_fetch_fields(result),
        )

    def _archive_before_death(self, state: UrlState) -> tuple[UrlState, str | None]:
        """Save Page Now for a live page that verifies, unless a recent capture exists."""
        if self.saver is None or self.wayback is None or self.archive_stopped:
            return state, None
        url = state.url
        if url in self.asked_archive:
            return state, None
        window_start = self.at - self.policy.archive_window
        if state.archive_captured is not None and state.archive_captured >= window_start:
            return state, None
        if (
            state.archive_checked is not None
            and self.at - state.archive_checked < self.policy.archive_recheck
        ):
            return state, None
        self.asked_archive.add(url)
        listed = [c for c in self.listings.captures(url) or () if c.timestamp >= window_start]
        if listed:  # the host's listing has a recent capture: nothing to save, nothing to ask
            return attrs.evolve(
                state,
                archive_url=listed[-1].archive_url,
                archive_captured=listed[-1].timestamp,
                archive_checked=self.at,
            ), None
        try:
            captures = self.wayback.captures(url, since=window_start, limit=-1)
        except RateLimitedError:
            self.archive_stopped = True
            return state, None
        except ArchiveError:
            return state, None
        if captures:
            latest = captures[-1]
            return attrs.evolve(
                state,
                archive_url=latest.archive_url,
                archive_captured=latest.timestamp,
                archive_checked=self.at,
            ), None
        try:
            saved = self.saver.save(
                url,
                if_not_archived_within=str(int(self.policy.archive_window.total_seconds())),
                poll_interval=self.policy.save_poll_interval,
            )
        except ArchiveError:
            return attrs.evolve(state, archive_checked=self.at), None
        if saved.error == "rate-limited":
            self.archive_stopped = True
        if saved.ok and saved.archive_url:
            return attrs.evolve(
                state,
                archive_url=saved.archive_url,
                archive_captured=saved.timestamp or self.at,
                archive_checked=self.at,
            ), saved.archive_url
        return attrs.evolve(state, archive_checked=self.at), None


# ---------------------------------------------------------------------------------------------
# The result
