"""Politeness: how often, and how many at once, requests go to one host or one archive.

Two mechanisms, for two kinds of server:

- **The live web** (:class:`Gate`): at most ``per_host`` requests in flight to one host (host and
  port, :func:`host_key`), request starts to one host at least ``host_spacing`` seconds apart,
  and at most ``concurrency`` requests in flight in all. Every single request takes a slot (each
  redirect hop, each retry, each soft-404 probe), so the limits hold whatever the URLs do.
- **Web archives** (:class:`RateLimiter`): calls spaced evenly to a rate per minute, and a stop
  for all callers after the archive answers 429. The Internet Archive publishes no rate-limit
  policy; its staff have said CDX queries are limited to an average of 60 a minute, and that an
  IP that ignores its 429 answers for more than a minute is blocked at the firewall for an hour,
  doubling on repeat. So every call to any archive.org host goes through one process-wide
  limiter (:data:`IA_LIMITER_KEY`, 15 calls a minute by default), other archives through one
  limiter per host (:func:`limiter_key`).
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import ClassVar
from urllib.parse import urlsplit

from ..errors import ConfigurationError, RateLimitedError

__all__ = [
    "IA_LIMITER_KEY",
    "ClosedError",
    "Gate",
    "Held",
    "RateLimiter",
    "archive_name",
    "host_key",
    "limiter_key",
]

IA_LIMITER_KEY = "internet-archive"
"""The key of the one limiter every call to an archive.org host goes through
(``RateLimiter.shared(key=IA_LIMITER_KEY)``; :func:`limiter_key` of any archive.org URL)."""


def host_key(url: str) -> str:
    """The host a request to ``url`` goes to, for per-host limits: ``"host:port"``, the host
    lower-cased and the scheme's default port filled in (``"example.org:443"``)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def limiter_key(endpoint: str) -> str:
    """Which shared limiter an endpoint's calls go through: :data:`IA_LIMITER_KEY` for any
    archive.org host, else one per host (``"host"``, or ``"host:port"`` with an explicit port:
    a national library, a local test archive)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if host == "archive.org" or host.endswith(".archive.org"):
        return IA_LIMITER_KEY
    return f"{host}:{parts.port}" if parts.port else host


def archive_name(key: str) -> str:
    """The archive a limiter key stands for, in words ("the Internet Archive", or the key)."""
    return "the Internet Archive" if key == IA_LIMITER_KEY else key


# ---------------------------------------------------------------------------------------------
# The live web


class ClosedError(Exception):
    """The Fetcher was closed while a fetch was waiting."""


class Gate:
    """Per-host and global limits on requests in flight, and spacing of starts per host."""

    def __init__(self, per_host: int, spacing: float, concurrency: int) -> None:
        self._per_host = per_host
        self._spacing = spacing
        self._concurrency = concurrency
        self._cond = threading.Condition()
        self._in_flight: collections.Counter[str] = collections.Counter()
        self._total = 0
        self._next_start: dict[str, float] = {}
        self._closed = False

    def _ready_at(self, host: str) -> float | None:
        """When ``host`` may start a request, or ``None`` while the limits are reached."""
        if self._total >= self._concurrency or self._in_flight[host] >= self._per_host:
            return None
        return self._next_start.get(host, 0.0)

    def _start(self, host: str, now: float) -> None:
        self._in_flight[host] += 1
        self._total += 1
        if self._spacing:
            self._next_start[host] = now + self._spacing

    def acquire(self, host: str, until: float | None) -> bool:
        """Take a slot for ``host``; ``False`` if none is free before ``until``."""
        with self._cond:
            while True:
                if self._closed:
                    raise ClosedError
                now = time.monotonic()
                ready = self._ready_at(host)
                if ready is not None and ready <= now:
                    self._start(host, now)
                    return True
                waits = [t - now for t in (ready, until) if t is not None]
                if until is not None and until <= now:
                    return False
                self._cond.wait(min(waits) if waits else None)

    def release(self, host: str) -> None:
        with self._cond:
            self._in_flight[host] -= 1
            if not self._in_flight[host]:
                del self._in_flight[host]
            self._total -= 1
            self._cond.notify_all()

    def take(self, pending: dict[str, collections.deque[str]]) -> tuple[str, str] | None:
        """Pop a URL of a host that may start now, with its slot taken; ``None`` when no URL
        is left. Hosts are served round robin."""
        with self._cond:
            while pending:
                if self._closed:
                    raise ClosedError
                now = time.monotonic()
                earliest: float | None = None
                for host in list(pending):
                    ready = self._ready_at(host)
                    if ready is None:
                        continue
                    if ready <= now:
                        queue = pending.pop(host)
                        url = queue.popleft()
                        if queue:
                            pending[host] = queue  # to the back of the line
                        self._start(host, now)
                        return host, url
                    earliest = ready if earliest is None else min(earliest, ready)
                self._cond.wait(None if earliest is None else earliest - now)
            return None

    def drop(self, pending: dict[str, collections.deque[str]]) -> None:
        with self._cond:
            pending.clear()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Held:
    """A slot :meth:`Gate.take` took for a URL's first request (or, handed on, for the first
    request of its folder's soft-404 probe)."""

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def take(self, host: str) -> bool:
        if self.host is not None and self.host == host:
            self.host = None
            return True
        return False


# ---------------------------------------------------------------------------------------------
# Web archives


class RateLimiter:
    """A thread-safe limit on calls to one archive, with a stop after the archive says 429.

    Calls are spaced evenly: at most ``burst`` at once, then one every ``60 /
    requests_per_minute`` seconds (:meth:`acquire` sleeps for the few seconds that takes).
    :meth:`record_429` stops all calls for the ``Retry-After`` the archive gave
    (``default_retry_after`` when it gave none); ``trip_after`` 429s in a row, with no successful
    call between, stop them for ``backoff_after_429`` seconds. While stopped, :meth:`acquire`
    raises :class:`~claimcheck.errors.RateLimitedError` at once rather than sleeping for minutes
    inside a check, so the caller can report the source as rate-limited and go on.

    ``RateLimiter.shared()`` is the one process-wide limiter for the Internet Archive.
    """

    _shared: ClassVar[dict[str, RateLimiter]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        requests_per_minute: float = 15.0,
        *,
        backoff_after_429: float = 300.0,
        burst: int = 1,
        trip_after: int = 2,
        default_retry_after: float = 60.0,
        name: str = "the archive",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not requests_per_minute > 0:
            raise ConfigurationError(
                f"requests_per_minute must be a positive number, not {requests_per_minute!r}"
            )
        if burst < 1 or trip_after < 1:
            raise ConfigurationError("burst and trip_after must be at least 1")
        self._interval = 60.0 / requests_per_minute
        self._burst = burst
        self._backoff = backoff_after_429
        self._trip_after = trip_after
        self._default_retry_after = default_retry_after
        self._name = name
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # Generic cell rate algorithm: the time the next call would be due with no burst.
        self._due = float("-inf")
        self._paused_until = float("-inf")
        self._consecutive_429 = 0

    def __repr__(self) -> str:
        return f"RateLimiter({self.requests_per_minute:g}/min, {self._name})"

    @property
    def requests_per_minute(self) -> float:
        """The sustained rate allowed."""
        return 60.0 / self._interval

    @property
    def paused_for(self) -> float:
        """Seconds until calls are allowed again after a 429 (0 when they are)."""
        with self._lock:
            return max(0.0, self._paused_until - self._clock())

    @classmethod
    def shared(
        cls,
        requests_per_minute: float = 15.0,
        *,
        backoff_after_429: float = 300.0,
        key: str = IA_LIMITER_KEY,
    ) -> RateLimiter:
        """The process-wide limiter for ``key`` (by default the Internet Archive), created on
        first use. Asked again with a lower rate or a longer backoff, it adopts them: the
        strictest configuration in the process wins."""
        with cls._shared_lock:
            limiter = cls._shared.get(key)
            if limiter is None:
                limiter = cls(
                    requests_per_minute, backoff_after_429=backoff_after_429, name=archive_name(key)
                )
                cls._shared[key] = limiter
            else:
                limiter.tighten(requests_per_minute, backoff_after_429)
            return limiter

    def tighten(self, requests_per_minute: float, backoff_after_429: float) -> None:
        """Adopt a lower rate or a longer backoff than this limiter has (never a looser one)."""
        with self._lock:
            self._interval = max(self._interval, 60.0 / requests_per_minute)
            self._backoff = max(self._backoff, backoff_after_429)

    def acquire(self) -> None:
        """Wait for the next slot for a call; raise
        :class:`~claimcheck.errors.RateLimitedError` while stopped."""
        with self._lock:
            now = self._clock()
            self._raise_if_paused(now)
            due = max(self._due, now)
            wait = max(0.0, due - (self._burst - 1) * self._interval - now)
            self._due = due + self._interval
        if wait > 0:
            self._sleep(wait)
            with self._lock:
                self._raise_if_paused(self._clock())

    def refund(self) -> None:
        """Give back the slot the latest :meth:`acquire` booked: the call it was for reached no
        server (its host name did not resolve, nothing listened, there was no route), so the
        archive saw nothing to be spared, and the next call need not wait for it. Without a
        network, lookups would otherwise be paced at the archive's rate for nothing."""
        with self._lock:
            self._due -= self._interval

    def _raise_if_paused(self, now: float) -> None:
        if now < self._paused_until:
            remaining = self._paused_until - now
            raise RateLimitedError(
                f"{self._name} asked us to slow down: no calls for another {remaining:.0f} s",
                retry_after=remaining,
            )

    def record_429(self, retry_after: float | None = None) -> None:
        """Note that the archive answered 429 (or 503 with ``Retry-After``): stop calls."""
        with self._lock:
            self._consecutive_429 += 1
            if self._consecutive_429 >= self._trip_after:
                pause = max(self._backoff, retry_after or 0.0)
            else:
                pause = self._default_retry_after if retry_after is None else retry_after
            self._paused_until = max(self._paused_until, self._clock() + pause)

    def record_success(self) -> None:
        """Note an answer that was not a 429: the run of 429s is over."""
        with self._lock:
            self._consecutive_429 = 0
