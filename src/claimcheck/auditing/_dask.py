"""Audits on a Dask cluster: one audit's fetching and judging spread over many processes.

An audit of a newsroom's whole archive (millions of citations) outgrows one process: fetching
is bound by latency and by the politeness limits per host, so more hosts at once need more
requests in flight than one process's threads should hold, and judging is bound by the CPU,
one core per Python process. :class:`DaskRunner` is an :class:`~claimcheck.auditing.AuditRunner`
that does both on a ``dask.distributed`` cluster (``claimcheck audit run … --dask
tcp://scheduler:8786``, or ``--dask local`` for a cluster of this machine's cores), while the
process that called :func:`~claimcheck.audit` (the *client*) alone writes the history and the
snapshot store, as in a local run.

Partitioning by host. The URLs are grouped by host (host and port, as the
:class:`~claimcheck.Fetcher`'s politeness counts them) into *parts*: one part per host while
there are no more hosts than ``buckets`` (by default four per thread of the cluster), else the
hosts are hashed into ``buckets`` parts (a stable hash: a host lands in the same part in every
run). Within a part, URLs alternate between its hosts. A part is worked through in chunks of
``chunk_size`` URLs, one task at a time: the next chunk is submitted when the previous one has
ended, with the time each host may next be asked (its last answer plus ``host_spacing``). So a
host's politeness state (requests in flight at most ``per_host``, starts spaced by
``host_spacing``, retries and their backoff) lives in one task at a time, whatever the size of
the cluster. A part's chunks are pinned to one worker, loosely: Dask may move a waiting one
(a lost worker, work stealing), which changes nothing of the above. ``FetchConfig.concurrency``
bounds each task's requests in flight.

A task (:func:`audit_chunk`) fetches its URLs into a scratch store of its own (temporary, not
flushed to disk) and judges, as each fetch ends, the citations of every page that changed (new
or failing; an unchanged page's previous verdict is reused, or the copy re-read, by the client,
which holds the copy). It returns the fetches (their bodies left out), the observations, and
every capture it made: its index entry and the WARC file its store wrote. The client's
archived copies "as cited" of the chunk's citations go with the task, so a worker asks the
archive no more than a local run would.
Workers may be other machines: they never touch the client's files.

The client adds the captures to its store (:meth:`~claimcheck.SnapshotStore.add_captures`:
the same file names and index entries, so an observation names the same ``snapshot`` as it
would locally) and records
the observations, each committed with its state changes, as each task ends
(``distributed.as_completed``). A crash loses at most the tasks in flight; the next audit
resumes the run as usual. Stopping (an error, Ctrl-C) cancels the tasks not yet ended.

One limit on the archives for the whole cluster. The Internet Archive's budget is per client,
not per process: :class:`ArchiveLimits`, hosted by one Dask actor (on a worker; the key
``claimcheck-archive-limits``, so audits of several clients on one cluster share it), keeps one
:class:`~claimcheck.RateLimiter` per archive, keyed as the process-wide ones are. Every archive
call, on any worker or on the client (Save Page Now), first reserves its slot there, then waits
where it runs; a 429 recorded by any of them stops all of them. Adding machines does not raise
the rate.

A Dask run and a local run over the same sources reach the same verdicts and record the same
observations (timings aside). What differs: the soft-404 probe is made once per host and folder
per task instead of per run, and the run's ``cpu_seconds`` adds the workers' processes' CPU time
over the run (Dask's own work included), measured on each worker before and after.

Workers on CPython 3.11 before 3.11.9 can freeze for good (a lock-ordering deadlock between
the GIL and the interpreter's thread list, CPython gh-106883, dask/distributed#8616) when Dask's
statistical profiler samples every thread's stack (every 10 ms) while threads come and go, as an
audit's fetch threads do. :func:`local_cluster` (``--dask local``) turns that profiler off; on
another cluster, the runner warns when a worker runs such a Python with it on (set
``distributed.worker.profile.enabled: false``, or use Python 3.11.9 or later).

Dask is an optional extra (``pip install 'claimcheck-citations[dask]'``): it is imported only when a
runner is made, and its absence is a :class:`~claimcheck.MissingDependencyError`.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import itertools
import os
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..checking import ArchiveLookup, Progress
from ..errors import (
    ClaimcheckError,
    ClusterError,
    MissingDependencyError,
    RateLimitedError,
)
from ..model import ClaimSet, Snapshot, Statement, check, whole_number
from ..sources import (
    ArchiveConfig,
    Fetch,
    FetchConfig,
    Fetcher,
    RateLimiter,
    Validators,
    archive_name,
    host_key,
    limiter_key,
)
from ..store import CitationKey, Observation, SnapshotStore
from ._citations import Citation, audit_judge, observe
from ._policy import AuditPolicy
from ._runners import Batch, Fetched, fetches_as_done

__all__ = ["ArchiveLimits", "DaskRunner", "audit_chunk", "local_cluster", "partition"]

LIMITS_KEY = "claimcheck-archive-limits"
# What the workers of a cluster claimcheck starts are configured with (see the module docs).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
_INSTALL = "pip install 'claimcheck-citations[dask]'"


def _distributed() -> Any:
    """The ``distributed`` package, or a clear error when the extra is not installed."""
    try:
        import distributed
    except ImportError as error:
        raise MissingDependencyError(
            f"--dask needs Dask (dask[distributed]), which is not installed: {_INSTALL} ({error})"
        ) from None
    return distributed


MAX_WORKERS = 4096
"""The most workers an audit asks a cluster for (or starts locally)."""


def check_workers(workers: int | None) -> None:
    """Refuse a number of workers no cluster could give (``None``: the default) with a
    :class:`~claimcheck.errors.ConfigurationError`."""
    if workers is not None:
        check("workers", workers, whole_number(1, MAX_WORKERS))


def local_cluster(workers: int | None = None, *, threads: int = 8) -> Any:
    """A ``distributed.LocalCluster`` for audits: ``workers`` worker processes (default: one
    per core) of ``threads`` threads each, on 127.0.0.1 only, without a dashboard, and without
    the workers' statistical profiler (see the module documentation)."""
    distributed = _distributed()
    import dask

    with dask.config.set(WORKER_CONFIG):
        return distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=threads,
            processes=True,
            host="127.0.0.1",
            protocol="tcp",
            dashboard_address=None,
        )


def _worker_risk() -> str | None:
    """Why this worker may freeze (a CPython 3.11 before 3.11.9 with Dask's profiler on), or
    None."""
    import dask

    if sys.version_info[:2] == (3, 11) and sys.version_info[2] < 9:
        if dask.config.get("distributed.worker.profile.enabled", True):
            return f"Python {sys.version.split()[0]} with distributed.worker.profile.enabled"
    return None


# ---------------------------------------------------------------------------------------------
# One rate limit per archive for the whole cluster


class ArchiveLimits:
    """The cluster's rate limits on web archives, hosted by one Dask actor: a
    :class:`~claimcheck.RateLimiter` per archive key. A caller reserves its slot with
    :meth:`acquire`, which answers at once how long to wait (the caller sleeps, not the actor,
    so no caller holds the others up), and reports each answer with :meth:`record_429` or
    :meth:`record_success`. Asked with a stricter rate than it has, a limiter adopts it."""

    def __init__(self) -> None:
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()
        self._wait = 0.0
        self.granted: collections.Counter[str] = collections.Counter()

    def _note(self, seconds: float) -> None:
        self._wait = seconds

    def _limiter(self, key: str, requests_per_minute: float, backoff: float) -> RateLimiter:
        limiter = self._limiters.get(key)
        if limiter is None:
            limiter = RateLimiter(
                requests_per_minute,
                backoff_after_429=backoff,
                name=archive_name(key),
                sleep=self._note,
            )
            self._limiters[key] = limiter
        else:
            limiter.tighten(requests_per_minute, backoff)
        return limiter

    def acquire(
        self, key: str, requests_per_minute: float, backoff: float
    ) -> tuple[float, str | None, float | None]:
        """Reserve the next call to archive ``key``: ``(seconds to wait, None, None)``, or
        ``(0, message, retry_after)`` while the archive has stopped calls."""
        with self._lock:
            limiter = self._limiter(key, requests_per_minute, backoff)
            self._wait = 0.0
            try:
                limiter.acquire()
            except RateLimitedError as error:
                return 0.0, str(error), error.retry_after
            self.granted[key] += 1
            return self._wait, None, None

    def refund(self, key: str) -> None:
        """The call a slot was reserved for reached no server: the slot is free again."""
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is not None:
                limiter.refund()
                self.granted[key] -= 1

    def paused_for(self, key: str) -> float:
        """Seconds until calls to ``key`` are allowed again (0 when they are)."""
        with self._lock:
            limiter = self._limiters.get(key)
        return limiter.paused_for if limiter is not None else 0.0

    def record_429(self, key: str, retry_after: float | None = None) -> None:
        """An archive answered 429 (or 503 with ``Retry-After``): stop every caller."""
        with self._lock:
            limiter = self._limiters.get(key)
        if limiter is not None:
            limiter.record_429(retry_after)

    def record_success(self, key: str) -> None:
        """An archive answered: the run of 429s is over."""
        with self._lock:
            limiter = self._limiters.get(key)
        if limiter is not None:
            limiter.record_success()

    def counts(self) -> dict[str, int]:
        """Slots granted so far (and not given back), per archive key."""
        with self._lock:
            return dict(self.granted)


class ClusterRateLimiter(RateLimiter):
    """A :class:`~claimcheck.RateLimiter` whose state is the cluster's (an
    :class:`ArchiveLimits` actor, from ``limits`` when first needed): what the archive clients
    of a Dask audit go through."""

    def __init__(
        self,
        limits: Callable[[], Any],
        key: str,
        requests_per_minute: float,
        backoff_after_429: float,
    ) -> None:
        super().__init__(requests_per_minute, backoff_after_429=backoff_after_429, name=key)
        self._limits = limits
        self._key = key
        self._rate = requests_per_minute
        self._backoff_seconds = backoff_after_429

    def __repr__(self) -> str:
        return f"ClusterRateLimiter({self._rate:g}/min, {self._key})"

    @property
    def paused_for(self) -> float:
        """Seconds until calls are allowed again, cluster-wide (0 when they are)."""
        return float(self._limits().paused_for(self._key).result())

    def acquire(self) -> None:
        """Reserve the cluster's next slot and wait for it here; raise
        :class:`~claimcheck.RateLimitedError` while the archive has stopped calls."""
        wait, stopped, retry_after = (
            self._limits().acquire(self._key, self._rate, self._backoff_seconds).result()
        )
        if stopped is not None:
            raise RateLimitedError(stopped, retry_after=retry_after)
        if wait > 0:
            time.sleep(wait)
            paused = self.paused_for
            if paused > 0:
                raise RateLimitedError(
                    f"{self._key} asked us to slow down: no calls for another {paused:.0f} s",
                    retry_after=paused,
                )

    def refund(self) -> None:
        """Give the cluster back the slot of a call that reached no server."""
        self._limits().refund(self._key).result()

    def record_429(self, retry_after: float | None = None) -> None:
        """Stop every caller in the cluster for as long as the archive asked."""
        self._limits().record_429(self._key, retry_after).result()

    def record_success(self) -> None:
        """The run of 429s is over, cluster-wide."""
        self._limits().record_success(self._key).result()


def cluster_limiter(
    limits: Callable[[], Any], config: ArchiveConfig
) -> Callable[[str], RateLimiter]:
    """The limiter of each archive endpoint, at ``config``'s rate, in the cluster's
    :class:`ArchiveLimits` (the actor handle ``limits`` gives)."""

    def limiter(endpoint: str) -> RateLimiter:
        return ClusterRateLimiter(
            limits, limiter_key(endpoint), config.requests_per_minute, config.backoff_after_429
        )

    return limiter


# ---------------------------------------------------------------------------------------------
# Partitioning


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def partition(urls: Iterable[str], buckets: int) -> list[list[str]]:
    """``urls`` in parts by host (host and port): one part per host while there are at most
    ``buckets`` hosts, else the hosts hashed (stably) into ``buckets`` parts. Within a part the
    URLs alternate between its hosts, in the order given, so that any run of them keeps all of
    its hosts busy. Parts are in the order of their first URL."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_key(url), []).append(url)
    if len(by_host) <= buckets:
        groups = [[host] for host in by_host]
    else:
        hashed: dict[int, list[str]] = {}
        for host in by_host:
            hashed.setdefault(_stable_hash(host) % buckets, []).append(host)
        groups = list(hashed.values())
    parts = []
    for hosts in groups:
        rounds = itertools.zip_longest(*(by_host[host] for host in hosts))
        parts.append([url for one_round in rounds for url in one_round if url is not None])
    return parts


# ---------------------------------------------------------------------------------------------
# A task


@attrs.frozen
class Chunk:
    """What a task is given: URLs of one part, their citations and validators, the archived
    copies "as cited" the client holds for them (``seeds``: index entries and WARC files), the
    run's settings, and when each host may next be asked (``not_before``, epoch seconds)."""

    part: int
    citations: Mapping[str, tuple[Citation, ...]]
    validators: Mapping[str, Validators]
    seeds: tuple[tuple[Snapshot, bytes], ...]
    fetch: FetchConfig
    archives: ArchiveConfig
    policy: AuditPolicy
    run_id: int
    not_before: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class ChunkResult:
    """What a task hands back: each URL's :class:`~claimcheck.auditing.Fetched` (bodies left
    out), every capture it made (index entries and WARC files), when each host may next be
    asked, and where it ran."""

    part: int
    fetched: tuple[Fetched, ...]
    captures: tuple[tuple[Snapshot, bytes], ...]
    not_before: Mapping[str, float]
    worker: str | None
    pid: int


def _worker_address() -> str | None:
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        return str(get_worker().address)
    return None


def audit_chunk(chunk: Chunk, limits: Any | None) -> ChunkResult:
    """Fetch and judge a chunk on a worker (see the module documentation); ``limits`` is the
    cluster's :class:`ArchiveLimits` actor (``None`` when the archives are not used)."""
    spacing = chunk.fetch.host_spacing
    hosts = {host_key(url) for url in chunk.citations}
    now = time.time()
    wait = max((chunk.not_before.get(host, 0.0) for host in hosts), default=0.0) - now
    if wait > 0:
        time.sleep(min(wait, spacing))
    ended: dict[str, float] = {}

    def done(result: Fetch) -> None:
        ended[host_key(result.url)] = time.time()

    fetched = []
    with tempfile.TemporaryDirectory(prefix="claimcheck-dask-") as folder:
        store = SnapshotStore(folder, create=True, durable=False)
        seeded = {snapshot.path for snapshot in store.add_captures(chunk.seeds)}
        limiter = cluster_limiter(lambda: limits, chunk.archives) if limits is not None else None
        lookup = ArchiveLookup(chunk.archives, store, limiter=limiter)
        judge = audit_judge(store, chunk.policy, lookup)
        fetcher = Fetcher(chunk.fetch, store=SnapshotStore(folder, durable=False))
        fetches = fetches_as_done(
            fetcher, list(chunk.citations), chunk.validators, {"on_done": done}
        )
        try:
            for result in fetches:
                judged: dict[CitationKey, Observation] = {}
                if not result.unchanged:
                    for citation in chunk.citations[result.url]:
                        cpu = time.thread_time()
                        observation = observe(judge, citation, result, chunk.run_id)
                        judged[citation.key] = attrs.evolve(
                            observation, cpu_seconds=time.thread_time() - cpu
                        )
                fetched.append(Fetched(attrs.evolve(result, body=None), judged))
        finally:
            fetches.close()
            lookup.close()
        captures = tuple(
            (snapshot, store.warc(snapshot))
            for snapshot in store.snapshots()
            if snapshot.path not in seeded
        )
    now = time.time()
    not_before = {host: moment for host, moment in chunk.not_before.items() if moment > now}
    for host, moment in ended.items():
        not_before[host] = max(not_before.get(host, 0.0), moment + spacing)
    return ChunkResult(
        chunk.part, tuple(fetched), captures, not_before, _worker_address(), os.getpid()
    )


def _process_cpu() -> tuple[float, int]:
    """A worker's CPU time so far and its process id."""
    return time.process_time(), os.getpid()


# ---------------------------------------------------------------------------------------------
# The runner


class DaskRunner:
    """Fetches and judges an audit's citations on a Dask cluster (see the module
    documentation), through ``client`` (a ``distributed.Client``).

    ``chunk_size`` is the most URLs a task takes; ``buckets`` the most parts the URLs are
    split into (default: four per thread of the cluster). Pass it to
    :func:`~claimcheck.audit` as ``runner``; :meth:`connect` makes one, and its cluster, for a
    ``with`` block. After a run, ``placement`` says which workers fetched each host (one,
    unless a worker was lost)."""

    def __init__(self, client: Any, *, chunk_size: int = 200, buckets: int | None = None) -> None:
        _distributed()
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        if buckets is not None and buckets < 1:
            raise ValueError(f"buckets must be at least 1, not {buckets}")
        self.client = client
        self.chunk_size = chunk_size
        self.buckets = buckets
        self._limits: Any = None
        self._limits_future: Any = None
        self._cpu = 0.0
        self._checked = False
        self.placement: dict[str, set[str]] = {}

    def __repr__(self) -> str:
        return f"DaskRunner({self.client!r}, chunk_size={self.chunk_size})"

    @classmethod
    @contextlib.contextmanager
    def connect(
        cls,
        address: str,
        *,
        workers: int | None = None,
        threads: int = 8,
        timeout: float = 30.0,
        **options: Any,
    ) -> Iterator[DaskRunner]:
        """A runner for the ``with`` block: on the scheduler at ``address``
        (``tcp://host:8786``), waiting for ``workers`` workers when given; or, with
        ``"local"``, on a :func:`local_cluster` of ``workers`` processes (default: one per
        core) of ``threads`` threads each, closed at the end.
        ``options`` go to :class:`DaskRunner`. Raises :class:`~claimcheck.ClusterError` when
        the cluster cannot be reached or started, and
        :class:`~claimcheck.errors.ConfigurationError` for a number of workers out of range."""
        check_workers(workers)
        distributed = _distributed()
        with contextlib.ExitStack() as stack:
            try:
                if address == "local":
                    cluster = stack.enter_context(local_cluster(workers, threads=threads))
                    client = stack.enter_context(distributed.Client(cluster, timeout=timeout))
                else:
                    client = stack.enter_context(distributed.Client(address, timeout=timeout))
                    if workers:
                        client.wait_for_workers(workers, timeout=timeout)
            except (OSError, TimeoutError, RuntimeError, ValueError) as error:
                where = "a local Dask cluster" if address == "local" else address
                raise ClusterError(f"cannot use {where}: {error}") from None
            runner = cls(client, **options)
            stack.callback(runner.close)
            yield runner

    def close(self) -> None:
        """Let go of the archive limits actor (the cluster drops it when no client holds it)."""
        if self._limits_future is not None:
            with contextlib.suppress(Exception):
                self._limits_future.release()
        self._limits = self._limits_future = None

    # -- the runner protocol --------------------------------------------------------------------

    def limits(self) -> Any:
        """The cluster's :class:`ArchiveLimits` actor (made on first use, or the one another
        client made)."""
        if self._limits is None:
            future = self.client.submit(ArchiveLimits, actor=True, key=LIMITS_KEY, pure=False)
            try:
                self._limits = future.result()
            except Exception as error:
                raise ClusterError(f"cannot start the archive rate limiter: {error}") from None
            self._limits_future = future
        return self._limits

    def archive_limiter(self, config: ArchiveConfig) -> Callable[[str], RateLimiter] | None:
        """Every archive call of the audit, here or on a worker, goes through the cluster's
        :class:`ArchiveLimits`."""
        return cluster_limiter(self.limits, config)

    def cpu_seconds(self) -> float:
        """The workers' processes' CPU time over the latest run (not this process's)."""
        return self._cpu

    def _check_workers(self) -> None:
        """Warn, once, of workers that may freeze (see the module documentation)."""
        if self._checked:
            return
        self._checked = True
        try:
            risks = {w: r for w, r in self.client.run(_worker_risk).items() if r is not None}
        except Exception:
            return
        if risks:
            worker, risk = sorted(risks.items())[0]
            warnings.warn(
                f"{len(risks)} Dask worker(s) (e.g. {worker}) run {risk}: such a worker can "
                "freeze (CPython gh-106883); set distributed.worker.profile.enabled to false "
                "or use Python 3.11.9 or later",
                RuntimeWarning,
                stacklevel=3,
            )

    def _workers_cpu(self) -> dict[str, float]:
        try:
            answers = self.client.run(_process_cpu)
        except Exception:  # a worker that left: its time is not counted
            return {}
        mine = os.getpid()
        return {address: cpu for address, (cpu, pid) in answers.items() if pid != mine}

    def run(self, batch: Batch) -> Generator[Fetched, None, None]:
        """Submit the batch's parts, chunk by chunk, and hand back each URL's
        :class:`~claimcheck.auditing.Fetched` as its task ends, after adding the task's
        captures to the batch's store."""
        self._check_workers()
        info = self.client.scheduler_info()
        workers = sorted(info.get("workers", {}))
        if not workers:
            raise ClusterError("the Dask cluster has no workers")
        threads = sum(int(w.get("nthreads", 1)) for w in info["workers"].values())
        parts = partition(batch.citations, self.buckets or 4 * threads)
        limits = self.limits() if batch.policy.use_archives else None
        tasks = _Tasks(self.client, batch, parts, self.chunk_size, limits)
        before = self._workers_cpu()
        self._cpu = 0.0
        self.placement = {}
        done, total = 0, len(batch.citations)
        try:
            for part in range(len(parts)):
                tasks.submit(part, {}, workers[part % len(workers)])
            for part, result in tasks.results():
                if tasks.chunks[part]:
                    tasks.submit(part, result.not_before, result.worker or workers[0])
                batch.store.add_captures(result.captures)
                for item in result.fetched:
                    where = self.placement.setdefault(host_key(item.fetch.url), set())
                    where.add(result.worker or "?")
                    done += 1
                    if batch.progress is not None:
                        batch.progress(Progress("fetch", done, total, item.fetch.url))
                    yield item
        finally:
            tasks.cancel()
            after = self._workers_cpu()
            self._cpu = sum(max(0.0, cpu - before.get(w, cpu)) for w, cpu in after.items())


class _Tasks:
    """A run's tasks on the cluster: each part's URLs in chunks, submitted one chunk of a part
    at a time (the next when the last ends, so that the part's hosts are never asked by two
    tasks at once), and their results as they end."""

    def __init__(
        self,
        client: Any,
        batch: Batch,
        parts: list[list[str]],
        chunk_size: int,
        limits: Any | None,
    ) -> None:
        self.client = client
        self.batch = batch
        self.limits = limits
        self.fetch = batch.fetch or FetchConfig()
        self.chunks = [
            collections.deque(
                part[start : start + chunk_size] for start in range(0, len(part), chunk_size)
            )
            for part in parts
        ]
        self.pending: dict[Any, int] = {}
        self.finished = _distributed().as_completed()
        self._slim: dict[int, ClaimSet] = {}
        self._token = uuid.uuid4().hex[:8]
        self._counter = itertools.count()

    def submit(self, part: int, not_before: Mapping[str, float], worker: str) -> None:
        """Submit the next chunk of ``part``, preferably to ``worker``."""
        urls = self.chunks[part].popleft()
        batch = self.batch
        chunk = Chunk(
            part=part,
            citations={url: tuple(map(self._shipped, batch.citations[url])) for url in urls},
            validators={url: batch.validators[url] for url in urls if url in batch.validators},
            seeds=self._seeds(urls),
            fetch=self.fetch,
            archives=batch.archives,
            policy=batch.policy,
            run_id=batch.run_id,
            not_before=not_before,
        )
        future = self.client.submit(
            audit_chunk,
            chunk,
            self.limits,
            key=f"claimcheck-audit-{self._token}-{part}-{next(self._counter)}",
            workers=[worker],
            allow_other_workers=True,
            pure=False,
        )
        self.pending[future] = part
        self.finished.add(future)

    def results(self) -> Iterator[tuple[int, ChunkResult]]:
        """Each task's part and result as it ends (also those submitted meanwhile)."""
        for future in self.finished:
            part = self.pending.pop(future)
            try:
                result: ChunkResult = future.result()
            except ClaimcheckError:
                raise
            except Exception as error:
                raise ClusterError(f"a task of the audit failed on the cluster: {error}") from None
            finally:
                future.release()
            yield part, result

    def cancel(self) -> None:
        """Cancel the tasks not yet ended."""
        if self.pending:
            self.client.cancel(list(self.pending))

    def _seeds(self, urls: list[str]) -> tuple[tuple[Snapshot, bytes], ...]:
        """The archived copies "as cited" the store holds for ``urls``' citations."""
        if not self.batch.policy.use_archives:
            return ()
        found = {}
        for url in urls:
            for citation in self.batch.citations[url]:
                copy = self.batch.store.find(url, at=citation.source.accessed, origin="archive")
                if copy is not None:
                    found[copy.path] = copy
        return tuple((copy, self.batch.store.warc(copy)) for copy in found.values())

    def _shipped(self, citation: Citation) -> Citation:
        """The citation as a task needs it: its claim, source and file, not the whole claims
        file."""
        claim_set = citation.claim_set
        light = self._slim.get(id(claim_set))
        if light is None:
            statement = Statement(id=claim_set.statement.id)
            light = self._slim[id(claim_set)] = ClaimSet(statement, (), claim_set.path)
        return attrs.evolve(citation, claim_set=light)
