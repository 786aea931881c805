"""The scheduled link-rot audit: check every citation online, remember, report what changed.

An organisation with hundreds of published statements runs ``claimcheck audit`` every night
and wants to hear only about change. :func:`audit` checks every citation (a claim's source)
online, exactly as :func:`~claimcheck.check` would (the live page, then the archived copy "as
cited" where the live page does not verify the claim), records each observation in a
:class:`~claimcheck._history.History` as it is made, moves each citation's state machine, and
returns an :class:`AuditResult`: what newly broke or drifted, what recovered, what is still
failing and since when, what flaps, with the archived replacement suggested for broken links.

The state machine (:func:`advance`), per citation, and per URL for the live fetch alone:

- Each run's observation is an :class:`~claimcheck._history.Outcome`: ``ok`` (verified),
  ``broken``, ``drifted``, or ``unchecked``.
- **Unchecked never counts**: a bot wall, a rate limit, a timeout says nothing about the
  source. It is neither a failure nor a success: it does not add to a run of failures, and it
  does not end one (the count and its first date stay as they were), so a source that fails,
  is blocked for a week, and fails again is broken, and a healthy one behind a bot wall stays
  healthy. A verdict that rests on the archived copy alone because the live page could not be
  read (``check`` calls it verified when the archive has the claim) counts as unchecked too:
  it tells nothing of the source now.
- **Broken only after N failing runs spanning T** (``AuditPolicy.failures``, default 2, and
  ``span``, default 3 days), as InternetArchiveBot re-tests a dead link before calling it dead:
  a failure is counted in every run until an ``ok`` ends the series; the citation is
  ``failing`` (reported as pending) until the series holds N runs and its first and latest
  failures are T apart, then ``broken`` (or ``drifted``).
- **How drift counts**: a failure that is *evidence read from the page* counts at once
  (``definite``): the live page has the claim's passage with another figure, date, wording or
  negation, so the source has drifted, and it is reported ``drifted`` the first time it is
  seen. So are citations that can never lead anywhere (a placeholder link, not a URL). A drift
  that rests on the claim's *absence* from the live page (``content-changed`` where the live
  page does not have the passage at all, a maintenance page say) is not evidence enough on its
  own and follows the N-runs-over-T rule, as broken links do. A citation's state is ``broken``
  or ``drifted`` by the kind of its latest failure; once confirmed, a later failure that is not
  yet confirmed itself (a drifted page that now answers 404 once) keeps the confirmed state.
- **Flapping**: every change between ok and failing (either way) is a flip; a source with at
  least ``flaps`` flips (default 4) within ``flap_window`` (default 14 days) is ``flapping``.
  Flapping silences the immediate drift alerts (a page rotating between two versions) and is
  reported as such, never as newly failing; a run of failures that meets the N-over-T rule is
  still reported ``broken`` (a flapping site that then dies for good).
- An ``ok`` ends the series of failures: the state becomes ``healthy`` (or stays
  ``flapping``); a citation that was ``broken`` or ``drifted`` and is now healthy has
  **recovered**.
- Each citation is counted once per run, dated by the run's start (``runs.started``), so a
  resumed run counts a citation the way an uninterrupted one would.

Exit status (the command line): 1 only when something *newly* failed (newly broken or newly
drifted), so that a nightly cron job alerts on change, not every night on known breakage.

Resume: a run whose process died stays ``running`` in the history. The next audit, if that run
started less than ``AuditPolicy.resume_within`` ago (12 hours), continues it: the citations it
already observed are skipped, the others observed, and the run completes. An older one is
marked ``abandoned`` (its observations stay and have counted) and a new run starts. One audit at
a time writes a history (an advisory lock on ``<history>.lock``).

Cheap re-runs: each URL's last good fetch leaves validators (``ETag``, ``Last-Modified``, the
body's digest, its capture) in ``url_state``. The next fetch is conditional; a ``304 Not
Modified``, or a body with the same digest, is *unchanged*: nothing is stored, no soft-404 probe
is made, and a citation whose previous observation read that same copy, for the same claim (its
``claim_hash``: the claim's text, value, context, dates and the claimcheck version), and decided
(not unchecked), reuses that observation's verdict without extracting or matching anything. A
changed claim over an unchanged source is matched again against the stored copy (whose
extracted text is cached by digest). Where the archived copy "as cited" is needed and the
snapshot store already holds one, it is used without asking the archive again.

Archive before death (``AuditPolicy.save_before_death``, opt-in): when a live page verifies its
claim and the Internet Archive holds no capture of it within ``archive_window`` (30 days), the
CDX index is asked to be sure, and Save Page Now to capture it (archive.org keys from
``CLAIMCHECK_IA_ACCESS_KEY``/``CLAIMCHECK_IA_SECRET_KEY``), within the process-wide archive rate
limit; the capture is recorded in ``url_state`` and on the observation. A URL is asked about at
most once per ``archive_recheck`` (a day), and not at all while its latest known capture is
within the window.

Runners: the fetch-and-judge step is done by an :class:`AuditRunner`. The default,
:class:`LocalRunner`, fetches on this process's threads and judges each citation here as its
fetch ends. :class:`~claimcheck._dask.DaskRunner` (``--dask``) does both on a Dask cluster,
the work partitioned by host, and hands back observations and the captures (index entries and
WARC files) for this process to add to its snapshot store: whatever the runner, only the
process that called :func:`audit` writes the history and the store, an observation at a time
as results arrive, so resume and crash safety are the same. A runner also says which rate
limiter every call to a web archive goes through (:meth:`AuditRunner.archive_limiter`): the
process-wide one, or one for the whole cluster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, Protocol

import attrs

from .._version import __version__
from ..checking import (
    ArchiveLookup,
    Copies,
    FetchCallbacks,
    Progress,
    ProgressCallback,
    TextCache,
    fetch_progress,
    judge,
    source_problem,
)
from ..claimsfile import load
from ..errors import ArchiveError, InvalidClaimError, MissingCredentialsError, RateLimitedError
from ..model import Claim, ClaimSet, Reason, Source, Status, Verdict, as_utc
from ..sources import (
    ArchiveConfig,
    Fetch,
    FetchConfig,
    Fetcher,
    RateLimiter,
    SavePageNow,
    Validators,
    Wayback,
)
from ..store import (
    CitationKey,
    CitationState,
    Health,
    History,
    Observation,
    Outcome,
    Run,
    RunState,
    SnapshotStore,
    State,
    UrlState,
)

__all__ = [
    "AuditPolicy",
    "AuditResult",
    "AuditRunner",
    "Batch",
    "Fetched",
    "Finding",
    "LocalRunner",
    "advance",
    "audit",
    "claim_hash",
    "summarize",
]

AUDIT_JSON_VERSION = 1

_DAY = dt.timedelta(days=1)


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: dt.timedelta) -> None:
    if value < dt.timedelta(0):
        raise ValueError(f"{attribute.name} must not be negative, not {value}")


@attrs.frozen
class AuditPolicy:
    """How an audit judges change (see the module documentation for the rules).

    - ``failures``, ``span``: a citation is broken after failing in at least ``failures`` runs
      whose first and latest are at least ``span`` apart (unchecked runs do not count).
    - ``flaps``, ``flap_window``: at least ``flaps`` changes between ok and failing within
      ``flap_window`` make a citation ``flapping``.
    - ``save_before_death``: ask Save Page Now to capture live pages that verify their claims
      and have no Internet Archive capture within ``archive_window``; a URL is asked about at
      most once per ``archive_recheck``; Save Page Now jobs are polled every
      ``save_poll_interval`` seconds.
    - ``use_archives``: consult the web archives for the copy "as cited" where the live page
      does not verify the claim (as ``check`` does).
    - ``resume_within``: a run that died less than this long ago is resumed, an older one
      abandoned.
    """

    failures: int = attrs.field(default=2, validator=attrs.validators.ge(1))
    span: dt.timedelta = attrs.field(default=dt.timedelta(days=3), validator=_non_negative)
    flaps: int = attrs.field(default=4, validator=attrs.validators.ge(2))
    flap_window: dt.timedelta = attrs.field(default=dt.timedelta(days=14), validator=_non_negative)
    save_before_death: bool = False
    archive_window: dt.timedelta = attrs.field(
        default=dt.timedelta(days=30), validator=_non_negative
    )
    archive_recheck: dt.timedelta = attrs.field(default=_DAY, validator=_non_negative)
    save_poll_interval: float = attrs.field(default=5.0, validator=attrs.validators.ge(0.0))
    use_archives: bool = True
    resume_within: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=12), validator=_non_negative
    )

    def to_json(self) -> dict[str, Any]:
        """The policy as JSON-ready data (durations in seconds), as runs record it."""
        return {
            field.name: value.total_seconds() if isinstance(value, dt.timedelta) else value
            for field, value in ((f, getattr(self, f.name)) for f in attrs.fields(AuditPolicy))
        }


@attrs.frozen
class Finding:
    """One citation in an audit's result.

    ``state`` is its state after the run and ``previous_state`` the one before its last change;
    ``new`` says whether that change happened in this run. ``since`` is when its current
    series of failures began (for a healthy or flapping citation: when the state began);
    ``failures`` how many runs failed in that series. ``observation`` is this run's observation
    (its verdict, message, evidence). ``replacement`` is the archived copy suggested in place
    of a dead link (one that supports the claim); ``archive_url`` the latest capture of the URL
    the history knows (a Save Page Now capture, say), not checked against the claim.
    """

    key: CitationKey
    state: State
    previous_state: State | None
    since: dt.datetime | None
    failures: int
    last_ok: dt.datetime | None
    observation: Observation | None
    replacement: str | None = None
    archive_url: str | None = None
    new: bool = False


@attrs.frozen
class AuditResult:
    """What one audit run found, as change since the runs before it.

    - ``newly_broken``, ``newly_drifted``: citations confirmed broken or drifted in this run
      (the exit status is 1 when there is any: :attr:`failed`);
    - ``recovered``: citations that were broken or drifted and are now healthy;
    - ``still_failing``: citations broken or drifted before this run and still (``since`` says
      from when);
    - ``flapping``: citations that alternate between ok and failing;
    - ``pending``: citations failing but not yet confirmed (fewer runs, or a shorter span, than
      the policy asks).

    ``observed`` counts this run's observations (resumed runs included), ``unchanged`` those of
    an unchanged source (304, or the same digest), ``reused`` those whose verdict was reused;
    the run's ``bytes`` and ``cpu_seconds`` are on :attr:`run`.
    """

    run: Run
    newly_broken: tuple[Finding, ...] = ()
    newly_drifted: tuple[Finding, ...] = ()
    recovered: tuple[Finding, ...] = ()
    still_failing: tuple[Finding, ...] = ()
    flapping: tuple[Finding, ...] = ()
    pending: tuple[Finding, ...] = ()
    observed: int = 0
    unchanged: int = 0
    reused: int = 0
    resumed: bool = False

    @property
    def failed(self) -> bool:
        """Whether something newly failed (newly broken or newly drifted)."""
        return bool(self.newly_broken or self.newly_drifted)


# ---------------------------------------------------------------------------------------------
# The state machine


def advance(
    health: Health,
    outcome: Outcome,
    *,
    at: dt.datetime,
    run_id: int,
    policy: AuditPolicy,
    definite: bool = False,
) -> Health:
    """The health of a citation (or URL) after one run's ``outcome``, observed in run
    ``run_id`` dated ``at``; see the module documentation for the rules. A run counts once:
    advancing again in the same run changes nothing. ``definite`` marks a failure that counts
    at once (evidence of drift read from the page, a citation that is not a link)."""
    if health.last_run == run_id:
        return health
    checked = attrs.evolve(health, last_checked=at, last_run=run_id, last_outcome=outcome)
    if outcome is Outcome.UNCHECKED:
        return checked
    was_failing = health.failures > 0
    was_ok = not was_failing and health.last_ok is not None
    flips = [flip for flip in health.flips if flip >= at - policy.flap_window]
    if (outcome.failed and was_ok) or (not outcome.failed and was_failing):
        flips.append(at)
    flapping = len(flips) >= policy.flaps
    if outcome.failed:
        failures = health.failures + 1
        failing_since = health.failing_since or at
        confirmed = State.BROKEN if outcome is Outcome.BROKEN else State.DRIFTED
        sustained = failures >= policy.failures and at - failing_since >= policy.span
        if sustained:
            state = confirmed
        elif flapping:
            state = State.FLAPPING
        elif definite:
            state = confirmed
        elif health.state in (State.BROKEN, State.DRIFTED):
            state = health.state
        else:
            state = State.FAILING
        last_ok = health.last_ok
    else:
        failures, failing_since, last_ok = 0, None, at
        state = State.FLAPPING if flapping else State.HEALTHY
    changed = state is not health.state
    return attrs.evolve(
        checked,
        state=state,
        since=at if changed else health.since,
        failing_since=failing_since,
        failures=failures,
        last_ok=last_ok,
        flips=tuple(flips),
        previous_state=health.state if changed else health.previous_state,
        changed_run=run_id if changed else health.changed_run,
    )


# ---------------------------------------------------------------------------------------------
# Citations


def claim_hash(claim: Claim, source: Source) -> str:
    """``sha256:<hex>`` of everything matching ``claim`` against ``source`` depends on, and of
    the claimcheck version (a new matching engine decides afresh): a previous verdict is
    reused only under the same hash."""

    parts = {
        "version": __version__,
        "kind": claim.kind.value,
        "text": claim.text,
        "value": None if claim.value is None else str(claim.value),
        "context": claim.context,
        "reference_date": claim.reference_date.isoformat() if claim.reference_date else None,
        "accessed": source.accessed.isoformat() if source.accessed else None,
        "source_context": source.context,
    }
    encoded = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(encoded).hexdigest()


@attrs.frozen
class _Citation:
    key: CitationKey
    claim_set: ClaimSet
    claim: Claim
    source: Source
    hash: str

    @property
    def claims_file(self) -> str | None:
        return str(self.claim_set.path) if self.claim_set.path is not None else None


def _citations(claim_sets: Iterable[ClaimSet]) -> list[_Citation]:
    citations: dict[CitationKey, _Citation] = {}
    for claim_set in claim_sets:
        for number, claim in enumerate(claim_set.claims, start=1):
            claim_id = claim.id or f"#{number}"
            for source in claim.sources:
                key = CitationKey(claim_set.name, claim_id, source.url.strip(), source.accessed)
                if key in citations:
                    raise InvalidClaimError(
                        f"{key} is cited twice (the same statement id, claim id, URL and "
                        "accessed date): an audit must tell its citations apart"
                    )
                citations[key] = _Citation(key, claim_set, claim, source, claim_hash(claim, source))
    return list(citations.values())


def _claim_sets(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
) -> list[ClaimSet]:
    if isinstance(claims, (str, os.PathLike)):
        return [load(claims)]
    if isinstance(claims, ClaimSet):
        return [claims]
    return list(claims)


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

    ``history`` is a :class:`~claimcheck._history.History` or the path of its SQLite file
    (created when absent); ``snapshots`` the snapshot store captures are recorded in (created
    when absent). ``fetch`` and ``archives`` configure fetching and the web archives as for
    :func:`~claimcheck.check`; ``policy`` the state machine and Save Page Now. ``now`` is the
    run's time (by default the real time; tests pass a fake clock's). ``progress`` is called
    with :class:`~claimcheck.Progress` steps (``fetch`` from worker threads, then ``check``).
    ``runner`` does the fetching and judging: this process (:class:`LocalRunner`, the
    default) or a Dask cluster (:class:`~claimcheck._dask.DaskRunner`); the history is written
    here either way.

    If the latest run died (still ``running``) within ``policy.resume_within``, it is resumed
    instead of starting a new one. Raises :class:`~claimcheck.MissingCredentialsError` when
    ``policy.save_before_death`` is set without archive.org keys, before any work, and
    :class:`~claimcheck.HistoryError` when the history cannot be used (another audit holds it).
    """
    policy = policy or AuditPolicy()
    archives = archives or ArchiveConfig()
    runner = runner or LocalRunner()
    limiter = runner.archive_limiter(archives)
    citations = _citations(_claim_sets(claim_sets))
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
        auditor.observe(citations)
        cpu = time.process_time() - cpu + runner.cpu_seconds()
        run = log.finish_run(run.id, clock.now(), cpu_seconds=cpu)
        return summarize(log, run, resumed=resumed)


def _open_run(
    log: History, clock: _Clock, policy: AuditPolicy, citations: list[_Citation]
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


@attrs.frozen
class Batch:
    """A run's fetch-and-judge work, as an :class:`AuditRunner` is handed it.

    ``citations`` maps each URL to fetch (in this order) to its citations, which share the
    URL's fetch; ``validators`` holds the last good fetch of the URLs that had one, for
    conditional requests. ``store`` is the audit's snapshot store: a runner that captures
    elsewhere (on other machines) adds the captures to it here, in the audit's process, and
    writes it from nowhere else. ``fetch``, ``archives``, ``policy`` and ``run_id`` are the
    run's; ``progress`` is told of each fetch (``fetch`` steps).
    """

    citations: Mapping[str, tuple[_Citation, ...]]
    validators: Mapping[str, Validators]
    store: SnapshotStore
    fetch: FetchConfig | None
    archives: ArchiveConfig
    policy: AuditPolicy
    run_id: int
    progress: ProgressCallback | None = None


@attrs.frozen
class Fetched:
    """One URL's fetch as a runner hands it back, its capture (``fetch.snapshot``) in the
    audit's store, with the observations the runner already made of the URL's citations
    (``judged``, by citation, ``cpu_seconds`` the time judging took). The audit judges a
    citation that is not in ``judged`` itself: it reuses the previous verdict of an unchanged
    source, or reads the copy from its store."""

    fetch: Fetch
    judged: Mapping[CitationKey, Observation] = attrs.field(factory=dict)


class AuditRunner(Protocol):
    """What does an audit's fetch-and-judge step (see the module documentation)."""

    def run(self, batch: Batch) -> Generator[Fetched, None, None]:
        """Each URL of the batch, :class:`Fetched`, as its work ends; closing the generator
        stops the work."""
        ...

    def archive_limiter(self, config: ArchiveConfig) -> Callable[[str], RateLimiter] | None:
        """The rate limiter of each archive endpoint for every archive call of the audit, or
        ``None`` for the process-wide ones."""
        ...

    def cpu_seconds(self) -> float:
        """CPU seconds the latest :meth:`run` spent outside this process (added to the run's)."""
        ...


class LocalRunner:
    """Fetches on this process's threads and leaves every citation to the audit to judge, in
    this process, as its fetch ends: the audit of one machine."""

    def run(self, batch: Batch) -> Generator[Fetched, None, None]:
        """Fetch every URL of the batch (:meth:`~claimcheck.Fetcher.fetch_many`), each
        :class:`Fetched` as it ends, capturing into the batch's store."""
        # The fetcher writes captures through its own store object: the store's in-memory
        # index cache is not shared across threads, the files and their lock are.
        fetcher = Fetcher(
            batch.fetch, store=SnapshotStore(batch.store.root, durable=batch.store.durable)
        )
        callbacks = fetch_progress(batch.progress, len(batch.citations))
        fetches = fetches_as_done(fetcher, list(batch.citations), batch.validators, callbacks)
        with contextlib.closing(fetches):
            for result in fetches:
                yield Fetched(result)

    def archive_limiter(self, config: ArchiveConfig) -> Callable[[str], RateLimiter] | None:
        """None: each archive's process-wide limiter."""
        return None

    def cpu_seconds(self) -> float:
        """0: the work is done in this process, and counted with it."""
        return 0.0


def fetches_as_done(
    fetcher: Fetcher,
    urls: list[str],
    validators: Mapping[str, Validators],
    callbacks: FetchCallbacks,
) -> Generator[Fetch, None, None]:
    """Each URL's fetch as it ends, fetched by ``fetcher`` on its threads meanwhile, so that
    the caller judges one page while the next ones are fetched. The generator owns the
    fetcher: closing it closes the fetcher, which stops the fetches."""
    results: queue.Queue[Fetch | BaseException | None] = queue.Queue()
    reported = callbacks.get("on_done")

    def done(result: Fetch) -> None:
        if reported is not None:
            reported(result)
        results.put(result)

    def work() -> None:
        try:
            fetcher.fetch_many(
                urls, on_start=callbacks.get("on_start"), on_done=done, validators=validators
            )
        except BaseException as error:
            results.put(error)
        finally:
            results.put(None)

    worker = threading.Thread(target=work, name="claimcheck-audit-fetch", daemon=True)
    worker.start()
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        fetcher.close()
        worker.join(timeout=30)


# ---------------------------------------------------------------------------------------------
# Judging and recording


class _Judge:
    """Judges a citation from its live fetch: the live copy, then, where that does not verify
    the claim, the archived copy "as cited" too (the store's, else the web archives'). The
    audit judges here; a Dask worker judges its part of the run with one of its own."""

    def __init__(
        self, store: SnapshotStore, policy: AuditPolicy, run_id: int, lookup: ArchiveLookup
    ) -> None:
        self.store = store
        self.policy = policy
        self.run_id = run_id
        self.lookup = lookup
        self.cache = TextCache(store)

    def observe(self, citation: _Citation, result: Fetch | None) -> Observation:
        """The observation of ``citation`` (not yet timed: ``observed_at`` is a placeholder)."""
        claim, source = citation.claim, citation.source
        copies = Copies()
        if result is not None:
            problem = (
                None if result.ok else (result.reason or Reason.CONNECTION_ERROR, result.message)
            )
            copies = Copies(result.snapshot if result.ok else None, problem)
        verdict = judge(claim, source, copies, self.store, self.cache)
        if (
            result is not None
            and verdict.status is not Status.VERIFIED
            and self.policy.use_archives
        ):
            verdict = judge(claim, source, self._archived(copies, citation), self.store, self.cache)
        unreadable = (
            result is not None
            and not result.ok
            and result.reason is not None
            and result.reason.status is Status.UNCHECKED
        )
        return _observation(
            citation, self.run_id, verdict, _fetch_fields(result), unreadable=unreadable
        )

    def _archived(self, copies: Copies, citation: _Citation) -> Copies:
        """The copies with the archived copy "as cited": the store's, when it holds one, else
        the web archives'."""
        url, accessed = citation.key.url, citation.source.accessed
        stored = self.store.find(url, at=accessed, origin="archive")
        if stored is not None:
            return attrs.evolve(copies, archived=stored, archive_consulted=True)
        return self.lookup.complete(copies, url, accessed)


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
        lookup = ArchiveLookup(archives, store, limiter=runner.archive_limiter(archives))
        self.judge = _Judge(store, policy, run.id, lookup)
        self.archive_stopped = False
        self.asked_archive: set[str] = set()
        self.citation_states = {state.key: state for state in log.citations()}
        self.url_states = {state.url: state for state in log.url_states()}
        self.done = 0
        self.total = 0

    def close(self) -> None:
        self.judge.lookup.close()

    def observe(self, citations: list[_Citation]) -> None:
        observed = self.log.observed(self.run.id)
        todo = [c for c in citations if c.key not in observed]
        self.total = len(todo)
        by_url: dict[str, list[_Citation]] = {}
        for citation in todo:
            if source_problem(citation.source.url) is not None:
                self._record(citation, None, None, first=False)
            else:
                by_url.setdefault(citation.key.url, []).append(citation)
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
                for fetched in results:
                    result = fetched.fetch
                    state: UrlState | None = self._url_after(result)
                    for number, citation in enumerate(by_url[result.url]):
                        state = self._record(
                            citation,
                            result,
                            state,
                            first=number == 0,
                            judged=fetched.judged.get(citation.key),
                        )
        if self.progress is not None:
            self.progress(Progress("check", self.total, self.total))

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
        citation: _Citation,
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
            observation = self.judge.observe(citation, result)
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
        self, citation: _Citation, result: Fetch | None, previous: Observation | None
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


def _fetch_fields(result: Fetch | None) -> dict[str, Any]:
    """An observation's fields that come from the live fetch."""
    if result is None:
        return {}
    return {
        "fetch_reason": result.reason,
        "http_status": result.status,
        "redirects": result.redirects,
        "final_url": result.final_url,
        "digest": result.snapshot.digest if result.snapshot is not None else None,
        "etag": _header(result.headers, "etag"),
        "last_modified": _header(result.headers, "last-modified"),
        "elapsed": result.elapsed,
        "unchanged": result.unchanged,
    }


def _observation(
    citation: _Citation,
    run_id: int,
    verdict: Verdict,
    base: dict[str, Any],
    *,
    unreadable: bool = False,
) -> Observation:
    """The observation of a verdict; with ``unreadable`` (the live page could not be read: a
    bot wall, a rate limit, a timeout) it counts as unchecked whatever the archived copy says,
    since it tells nothing of the source now."""
    evidence = verdict.evidence or verdict.archived_evidence
    return Observation(
        run_id=run_id,
        key=citation.key,
        kind=citation.claim.kind.value,
        claim_hash=citation.hash,
        observed_at=dt.datetime.now(dt.UTC),
        status=verdict.status,
        reason=verdict.reason,
        message=verdict.message,
        outcome=Outcome.UNCHECKED if unreadable else Outcome.of(verdict.status),
        definite=_definite(verdict),
        claims_file=citation.claims_file,
        score=evidence.score if evidence is not None else None,
        passage=evidence.passage if evidence is not None else None,
        found=evidence.found if evidence is not None else None,
        snapshot=verdict.snapshot.path
        if verdict.snapshot is not None and verdict.snapshot.origin == "live"
        else None,
        archive_url=verdict.archived_snapshot.archive_url if verdict.archived_snapshot else None,
        replacement=verdict.replacement,
        **base,
    )


def _definite(verdict: Verdict) -> bool:
    """Whether a failing verdict counts at once: the live page shows the claim changed, or the
    citation can never lead anywhere."""
    if verdict.reason in (Reason.PLACEHOLDER_LINK, Reason.INVALID_URL):
        return True
    return (
        verdict.status is Status.DRIFTED
        and verdict.evidence is not None
        and verdict.evidence.status is Status.DRIFTED
    )


def _header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


# ---------------------------------------------------------------------------------------------
# The result


def summarize(log: History, run: Run, *, resumed: bool = False) -> AuditResult:
    """The :class:`AuditResult` of ``run`` as the history holds it: every citation the run
    observed, sorted into what changed. Usable on any run, after the fact; for a run that is
    not the latest, states reflect later runs only where those observed the citation again."""
    observations = {o.key: o for o in log.observations(run_id=run.id)}
    url_states = {state.url: state for state in log.url_states()}
    groups: dict[str, list[Finding]] = {
        name: [] for name in ("broken", "drifted", "recovered", "still", "flapping", "pending")
    }
    for citation in log.citations():
        health = citation.health
        observation = observations.get(citation.key)
        if observation is None:
            continue
        new = health.changed_run == run.id
        url_state = url_states.get(citation.key.url)
        failing = health.state in (State.BROKEN, State.DRIFTED, State.FAILING)
        finding = Finding(
            key=citation.key,
            state=health.state,
            previous_state=health.previous_state,
            since=health.failing_since if failing else health.since,
            failures=health.failures,
            last_ok=health.last_ok,
            observation=observation,
            replacement=observation.replacement,
            archive_url=url_state.archive_url if url_state is not None else None,
            new=new,
        )
        if health.state is State.BROKEN:
            groups["broken" if new else "still"].append(finding)
        elif health.state is State.DRIFTED:
            groups["drifted" if new else "still"].append(finding)
        elif health.state is State.FLAPPING:
            groups["flapping"].append(finding)
        elif health.state is State.FAILING:
            groups["pending"].append(finding)
        elif (
            health.state is State.HEALTHY
            and new
            and health.previous_state in (State.BROKEN, State.DRIFTED)
        ):
            groups["recovered"].append(finding)

    def ordered(name: str) -> tuple[Finding, ...]:
        return tuple(sorted(groups[name], key=lambda f: _order(f.key)))

    values = list(observations.values())
    return AuditResult(
        run=run,
        newly_broken=ordered("broken"),
        newly_drifted=ordered("drifted"),
        recovered=ordered("recovered"),
        still_failing=ordered("still"),
        flapping=ordered("flapping"),
        pending=ordered("pending"),
        observed=len(values),
        unchanged=sum(o.unchanged for o in values),
        reused=sum(o.reused for o in values),
        resumed=resumed,
    )


def _order(key: CitationKey) -> tuple[str, str, str, str]:
    return key.statement, key.claim_id, key.url, key.accessed.isoformat() if key.accessed else ""
