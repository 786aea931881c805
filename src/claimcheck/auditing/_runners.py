"""Who does an audit's fetch-and-judge step: an :class:`AuditRunner` (this process's threads:
:class:`LocalRunner`; a Dask cluster: :class:`~claimcheck.auditing.DaskRunner`)."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Generator, Mapping
from typing import Protocol

import attrs

from ..checking import (
    FetchCallbacks,
    ProgressCallback,
    fetch_progress,
)
from ..sources import (
    ArchiveConfig,
    Fetch,
    FetchConfig,
    Fetcher,
    RateLimiter,
    Validators,
)
from ..store import (
    CitationKey,
    Observation,
    SnapshotStore,
)
from ._citations import Citation
from ._policy import AuditPolicy

__all__ = [
    "AuditRunner",
    "Batch",
    "Fetched",
    "LocalRunner",
    "fetches_as_done",
]


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

    citations: Mapping[str, tuple[Citation, ...]]
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
        # Without its body (the capture is in the store): fetches that end faster than they
        # are judged wait in the queue, and must not hold their pages meanwhile.
        results.put(attrs.evolve(result, body=None))

    def work() -> None:
        try:
            fetcher.fetch_many(
                urls,
                on_start=callbacks.get("on_start"),
                on_done=done,
                validators=validators,
                keep_bodies=False,
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
