"""Live capture: fetch a cited source over HTTP(S) and say precisely why it could not be had.

A link checker that only knows "200" and "not 200" calls bot walls broken and soft-404 pages
fine. :class:`Fetcher` sorts every outcome into the fixed :class:`~claimcheck.Reason`
vocabulary (after IABot's dead-link rules, the Bar-Yossef random-sibling soft-404 probe and the
link checkers' hard-won lessons about bot walls; see ``web-archives.md`` section 2):

====================== ===============================================================
reason                 when
====================== ===============================================================
(none: ok)             a 2xx answer with a body that is none of the below
``invalid-url``        the URL is not http(s) (no request is made)
``http-404``           404
``http-410``           410
``http-4xx``           any other 4xx, except the next three rows
``blocked``            401, 407, 403 (a bot wall far more often than a real refusal),
                       999, or a challenge page (``cf-mitigated: challenge``, Cloudflare's
                       "Just a moment...", DataDome, PerimeterX) whatever its status
``rate-limited``       429 (after retries), a 503 with ``Retry-After`` (after retries), or
                       a ``Retry-After`` beyond ``max_retry_after`` or the deadline
``http-5xx``           500-599 that persisted through the retries
``dns-failure``        the host name does not resolve
``connection-refused`` nothing listens at the address
``tls-error``          the TLS handshake or the certificate failed
``timeout``            connect or read timeout, or the per-URL deadline passed
``too-many-redirects`` more than ``max_redirects`` hops, or a loop
``bad-redirect``       a redirect to a non-http(s) address (or a 3xx without a usable one)
``redirect-to-homepage`` a deep link that now redirects to the site's root
``soft-404``           a redirect to a "/404" or "not-found" address, or the page equals
                       what the server answers for a made-up sibling address
``parked-domain``      a redirect to a domain-parking or for-sale service, or such a page
``too-large``          more than ``max_bytes`` of (decoded) body
``private-address``    the host resolves only to loopback, private, link-local or reserved
                       addresses (refused unless ``allow_private_addresses``)
``connection-error``   reset, a body shorter than announced, broken chunking or gzip,
                       a malformed answer, no route to the host
``unreadable-source``  a 2xx with an empty body
====================== ===============================================================

How it fetches, and why (the deadline, the size cap and the address guard are the one HTTP
transport's, ``_http.py``, shared with the archive clients; what an answer means is
``_pages.py``):

- **Redirects are followed by hand** (``allow_redirects=False``), so every hop is recorded in
  :attr:`Fetch.redirects`, checked for its scheme and for parking services before it is
  followed, and counted against the deadline. A URL reached a third time is a loop; a second
  visit is allowed, since sites bounce through a cookie-setting page and back.
- **The deadline is enforced**, not hoped for: per-socket timeouts cannot stop a server that
  sends one byte every second (each read succeeds), so a watchdog thread shuts down the sockets
  of a fetch whose deadline has passed, wherever it is blocked (headers, body, TLS). The clock
  starts at the URL's first request: time spent queued behind other URLs to the same host does
  not count, time spent in retries, redirects and the soft-404 probe does.
- **Bodies are streamed** and the decoded bytes counted, so a 50 KB gzip that expands to 1 GB
  stops at ``max_bytes`` with bounded memory (urllib3 >= 2.6 decompresses at most what is asked
  for).
- **Retries**: 429, 500, 502, 503, 504 and broken connections are retried ``retries`` times,
  after ``Retry-After`` (seconds or an HTTP date) when the server sends one, else after
  ``backoff`` seconds, doubling. A ``Retry-After`` beyond ``max_retry_after`` is not waited
  for: the outcome is ``rate-limited`` at once. Challenge pages are never retried.
- **Politeness**: at most ``per_host`` requests in flight to one host (host and port), request
  starts to one host at least ``host_spacing`` seconds apart, and at most ``concurrency``
  requests in flight in all. Every single request (each redirect hop, each retry, each probe)
  takes a slot, so the limits hold whatever the URLs do. :meth:`Fetcher.fetch_many` hands work
  to its threads host by host, round robin, taking only hosts with a free slot, so no thread
  sits waiting on a busy host while another host is idle.
- **Soft 404s** (Bar-Yossef et al. 2004; benhoyt/soft404): the URL's folder plus 25 random
  letters is fetched once per host and folder (cached for the Fetcher's life), alongside the
  first page of that folder (so it adds no latency; it costs one request per folder even when
  the page turns out to be an error), with its own deadline, under the same politeness limits
  (in ``fetch_many`` it takes the slot the folder's first page was given, so that pages never
  wait for a probe queued behind them).
  If a 2xx page below the site root has a made-up sibling that is not a 404 or 410 and ends at
  the same final URL, or whose text is near-identical (a token-sequence similarity of at least
  95, after whitespace collapse), the page is a soft 404. The similarity is computed over the
  word sequence rather than the word set: a short error page whose few words all occur in a
  real page must not match.
- **Storing**: with a :class:`~claimcheck.SnapshotStore`, every completed final answer (2xx and
  error pages alike, but not redirect hops or probes) is written as request and response
  records **under the requested URL**, the one a claims file cites and a check looks up; the
  final URL, when redirected, is in :attr:`Fetch.final_url` and the message. The payload is
  stored decoded, as read, so ``Content-Encoding`` and ``Transfer-Encoding`` are dropped from
  the stored headers and ``Content-Length`` is set to the stored length; ``Cookie`` and
  ``Authorization`` are left out of the stored request headers.
- **Conditional requests** (for re-runs such as ``claimcheck audit``): given the
  :class:`Validators` of a URL's last good fetch, the request carries ``If-None-Match`` and
  ``If-Modified-Since``; a ``304 Not Modified`` is a success that transfers no body, and a body
  whose SHA-256 equals the previous one is also unchanged. Either way :attr:`Fetch.unchanged` is
  set, :attr:`Fetch.snapshot` is the previous capture, nothing new is stored and no soft-404
  probe is made (the same content passed it before; a changed page is probed after its answer).
  :attr:`Fetch.transferred` counts the bytes received for the URL (bodies as they came over the
  wire, headers estimated), so a re-run can show what it saved.
"""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import random
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import attrs

from .. import documents
from ..model import Reason, in_sentence
from ._config import FetchConfig, transport_settings
from ._http import (
    Answer,
    Problem,
    Transport,
    Watch,
    body_repr,
    deadline_problem,
    retry_after,
    url_problem,
)
from ._limits import ClosedError, Gate, Held, host_key
from ._pages import Chain, classify, is_challenge, is_root, near_identical, parking_service

if TYPE_CHECKING:  # types only: a fetch loads neither (start-up, issue 17)
    import requests

    from ..documents import ExtractionCache
    from ..model import Snapshot
    from ..store import SnapshotStore


__all__ = ["Fetch", "Fetcher", "Validators"]

_PROBE_MAX_BYTES = 2 * 2**20  # enough to compare a "not found" page with
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.9,"
    "text/plain;q=0.8,*/*;q=0.5"
)
_NOT_STORED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@attrs.frozen
class Validators:
    """What is known of a URL's last good fetch, for a conditional request.

    ``etag`` and ``last_modified`` are the ``ETag`` and ``Last-Modified`` values that answer
    carried (sent back as ``If-None-Match`` and ``If-Modified-Since``); ``digest`` is
    ``sha256:<hex>`` of its body and ``snapshot`` its capture in the store, which stands for the
    page when it turns out unchanged.
    """

    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    snapshot: Snapshot | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators give (none without validators)."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@attrs.frozen
class Fetch:
    """The outcome of fetching one URL.

    ``reason`` is ``None`` when the page was fetched fine (a 2xx answer with a body), else one
    of the fetch outcomes of :class:`~claimcheck.Reason`; ``message`` says the same in one
    sentence for people. ``status``, ``headers``, ``body`` and ``media_type`` (the
    ``Content-Type`` value) are those of the last answer, error pages included (``body`` is
    ``None`` when it was not read completely). ``redirects`` is the whole chain, one
    ``(status, absolute Location)`` per hop; ``final_url`` the last address requested.
    ``elapsed`` runs from the first request (queueing for a busy host excluded).
    ``snapshot`` is the capture written to the store, when there is one.

    With :class:`Validators` (a conditional request): ``not_modified`` when the server answered
    ``304 Not Modified``, ``unchanged`` when it did or when the body's digest equals the
    previous one; ``snapshot`` is then the previous capture (nothing new is stored) and ``body``
    is ``None`` after a 304. ``transferred`` is the bytes received for this URL over every hop
    and retry (bodies as sent on the wire, headers estimated from their length).

    ``unreachable``: no server answered anything for this URL: its host name did not resolve,
    the connection was refused, or there was no route to it (the first request failed so; a
    redirect is an answer). Alone it is that host's failure; every host of a run so, and none
    answering, is a run without network (:class:`~claimcheck.sources.Reachability`).
    """

    url: str
    reason: Reason | None
    message: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = attrs.field(default=None, repr=body_repr)
    media_type: str | None = None
    elapsed: float = 0.0
    snapshot: Snapshot | None = None
    not_modified: bool = False
    unchanged: bool = False
    transferred: int = 0
    unreachable: bool = False

    @property
    def ok(self) -> bool:
        """Whether the page was fetched fine (:attr:`reason` is ``None``)."""
        return self.reason is None


@attrs.frozen
class _Probe:
    status: int
    final_url: str
    media_type: str | None
    body: bytes | None


class Fetcher:
    """Fetches URLs politely and sorts every outcome into a :class:`~claimcheck.Reason`.

    ``fetch`` is thread-safe; ``fetch_many`` fetches concurrently on a pool of ``concurrency``
    threads. With a ``store``, every completed answer is captured into it (see the module
    documentation). Requests go through the one HTTP transport (``_http.py``): a ``session``
    is used for its cookies, headers, proxies, certificates and authentication, its plain
    ``HTTPAdapter`` s replaced by the transport's, whose connections enforce the deadline and
    the address guard (an adapter of another kind is kept, and the deadline is then only
    checked between reads). A session the Fetcher made is closed by :meth:`close`; a given one
    is left open.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        store: SnapshotStore | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self.store = store
        self._settings = transport_settings(self.config)
        self._transport = Transport(
            self._settings,
            session=session,
            pool_connections=max(64, 2 * self.config.concurrency),
            # no more connections to a host than can be in flight to it (urllib3 fills a pool's
            # queue up front: --per-host 10**9 must not)
            pool_maxsize=min(self.config.per_host, self.config.concurrency) + 1,
        )
        self._headers = {"Accept": _ACCEPT}
        self._gate = Gate(self.config.per_host, self.config.host_spacing, self.config.concurrency)
        self._probes: dict[tuple[str, str, str], concurrent.futures.Future[_Probe | None]] = {}
        self._probes_lock = threading.Lock()
        # The pages and probes compared for soft 404s, made when a probe's answer first needs
        # its text (text extraction is loaded only then: start-up, issue 17).
        self._texts: ExtractionCache | None = None
        self._probe_pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.config.concurrency, thread_name_prefix="claimcheck-probe"
        )
        self._store_lock = threading.Lock()
        self._closed = threading.Event()

    # -- public API ---------------------------------------------------------------------------

    def fetch(self, url: str, *, validators: Validators | None = None) -> Fetch:
        """Fetch ``url`` (following redirects, retrying, probing for a soft 404) and return
        what came of it. Thread-safe; obeys the per-host and global limits. With
        ``validators``, the request is conditional (see the module documentation)."""
        return self._fetch(url, Held(), validators)

    def fetch_many(
        self,
        urls: Iterable[str],
        *,
        on_start: Callable[[str], None] | None = None,
        on_done: Callable[[Fetch], None] | None = None,
        validators: Mapping[str, Validators] | None = None,
        keep_bodies: bool = True,
    ) -> dict[str, Fetch]:
        """Fetch every distinct URL once, concurrently; the results in the order first given.

        Work is handed out host by host (see the module documentation), so the order of
        ``urls`` does not matter for speed. ``on_start`` and ``on_done`` are told when each
        URL's fetch starts and ends (for a progress display); they are called from the worker
        threads. ``validators`` makes the requests for the URLs it names conditional.

        Without ``keep_bodies`` the results come back without their bodies (``on_done`` still
        sees each whole; the store keeps the captures): fetching many large pages then holds
        only the bodies on their way, never all of them."""
        known = validators or {}
        self._check_open()
        order = list(dict.fromkeys(urls))
        results: dict[str, Fetch] = {}
        pending: dict[str, collections.deque[str]] = {}
        for url in order:
            problem = url_problem(url)
            if problem is not None:
                results[url] = Fetch(url, Reason.INVALID_URL, problem)
                if on_done is not None:
                    on_done(results[url])
            else:
                pending.setdefault(host_key(url), collections.deque()).append(url)
        count = sum(len(queue) for queue in pending.values())
        errors: list[BaseException] = []

        def work() -> None:
            try:
                while (taken := self._gate.take(pending)) is not None:
                    host, url = taken
                    if on_start is not None:
                        on_start(url)
                    result = self._fetch(url, Held(host), known.get(url), checked=True)
                    if on_done is not None:
                        on_done(result)
                    results[url] = result if keep_bodies else attrs.evolve(result, body=None)
                    del result  # its body is not held while this thread waits for work
            except BaseException as error:
                errors.append(error)
                self._gate.drop(pending)

        workers = [
            threading.Thread(target=work, name=f"claimcheck-fetch-{number}", daemon=True)
            for number in range(min(self.config.concurrency, count))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if errors:
            if isinstance(errors[0], ClosedError):
                raise RuntimeError("the Fetcher was closed during fetch_many") from None
            raise errors[0]
        return {url: results[url] for url in order}

    def close(self) -> None:
        """Stop: wake waiting fetches, stop the watchdog, close the session if it is ours."""
        self._closed.set()
        self._gate.close()
        self._probe_pool.shutdown(wait=False, cancel_futures=True)
        self._transport.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- one URL --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed.is_set():
            raise RuntimeError("this Fetcher is closed")

    def _fetch(
        self, url: str, held: Held, validators: Validators | None = None, *, checked: bool = False
    ) -> Fetch:
        """``checked``: ``url_problem(url)`` was found to be ``None`` (``fetch_many`` checks
        every URL before it queues it)."""
        try:
            self._check_open()
            problem = None if checked else url_problem(url)
            if problem is not None:
                return Fetch(url, Reason.INVALID_URL, problem)
            watch = Watch(self.config.deadline)
            try:
                return self._fetch_watched(url.strip(), url, watch, held, validators)
            finally:
                watch.close()
        except ClosedError:
            raise RuntimeError("the Fetcher was closed during the fetch") from None
        finally:
            if held.host is not None:
                self._gate.release(held.host)

    def _fetch_watched(
        self, target: str, url: str, watch: Watch, held: Held, validators: Validators | None
    ) -> Fetch:
        conditional = validators.headers() if validators is not None else {}
        # A page with validators passed the soft-404 probe before: it is probed again only if
        # it changed, after its answer, so that an unchanged page costs one request.
        probe = None if validators is not None else self._start_probe(target, held)
        chain, note, attempts = self._attempts(target, watch, held, conditional)
        reason, message = classify(target, chain, note, attempts, bool(conditional))
        answer = chain.answer
        not_modified = reason is None and answer is not None and answer.status == 304
        unchanged = not_modified or (
            reason is None
            and validators is not None
            and validators.digest is not None
            and answer is not None
            and answer.body is not None
            and "sha256:" + hashlib.sha256(answer.body).hexdigest() == validators.digest
        )
        if reason is None and not unchanged and answer is not None:
            if probe is None and validators is not None:
                probe = self._start_probe(target)
            if probe is not None:
                soft = self._soft_404(chain, answer, probe, watch)
                if soft is not None:
                    reason, message = Reason.SOFT_404, soft
        if unchanged and not not_modified:
            message = f"{message}, unchanged since the last fetch"
        snapshot = None
        if unchanged and validators is not None and validators.snapshot is not None:
            snapshot = validators.snapshot
        elif (
            self.store is not None
            and not not_modified
            and answer is not None
            and answer.location is None
            and answer.body is not None
            and answer.problem is None
        ):
            snapshot = self._store(target, answer)
        return Fetch(
            url=url,
            reason=reason,
            message=message,
            status=answer.status if answer is not None else None,
            final_url=chain.final_url,
            redirects=chain.redirects,
            headers=answer.headers if answer is not None else (),
            body=answer.body if answer is not None and not not_modified else None,
            media_type=answer.media_type if answer is not None else None,
            elapsed=watch.elapsed(),
            snapshot=snapshot,
            not_modified=not_modified,
            unchanged=unchanged,
            transferred=watch.transferred,
            unreachable=answer is None
            and not chain.redirects
            and chain.problem is not None
            and chain.problem.unreachable,
        )

    def _attempts(
        self, url: str, watch: Watch, held: Held, conditional: Mapping[str, str]
    ) -> tuple[Chain, str | None, int]:
        """Follow ``url`` until it gives an answer not worth retrying; return the last chain,
        a note on why retrying stopped early (or ``None``) and the number of attempts."""
        attempt = 0
        while True:
            chain = self._follow(url, watch, held, self.config.max_bytes, conditional)
            answer = chain.answer
            problem = chain.problem
            if problem is None and answer is not None and 200 <= answer.status < 300:
                problem = answer.problem  # a page whose body broke off
            retryable = (
                problem is not None
                and problem.reason is Reason.CONNECTION_ERROR
                and not problem.unreachable
            ) or (
                problem is None
                and answer is not None
                and answer.status in _RETRY_STATUSES
                and not is_challenge(answer)
            )
            if not retryable:
                return chain, None, attempt + 1
            asked = retry_after(answer.header("retry-after")) if answer is not None else None
            if asked is not None and asked > self.config.max_retry_after:
                return (
                    chain,
                    f"it asks to retry after {asked:g} s, beyond the "
                    f"{self.config.max_retry_after:g} s we wait",
                    attempt + 1,
                )
            if attempt >= self.config.retries:
                return chain, None, attempt + 1
            wait = asked if asked is not None else self.config.backoff * 2**attempt
            if wait >= watch.remaining():
                return (
                    chain,
                    f"a retry after {wait:g} s would pass the {self.config.deadline:g} s deadline",
                    attempt + 1,
                )
            if self._closed.wait(wait):
                raise ClosedError
            attempt += 1

    def _follow(
        self,
        url: str,
        watch: Watch,
        held: Held,
        cap: int,
        conditional: Mapping[str, str] | None = None,
    ) -> Chain:
        """Request ``url`` and follow its redirects by hand (every hop carries the conditional
        headers, if any: the validators are those of the chain's final answer)."""
        redirects: list[tuple[int, str]] = []
        visits: collections.Counter[str] = collections.Counter()
        current = url
        while True:
            visits[current] += 1
            outcome = self._exchange(current, watch, held, cap, conditional)
            if isinstance(outcome, Problem):
                return Chain(current, tuple(redirects), None, outcome)
            if outcome.location is None:
                return Chain(current, tuple(redirects), outcome)
            try:
                target = urljoin(current, outcome.location.strip())
                parts = urlsplit(target)
                target = urlunsplit(parts._replace(fragment=""))
                scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
            except ValueError:
                target, scheme, host = outcome.location, "", ""
            redirects.append((outcome.status, target))
            problem = self._redirect_problem(outcome.status, target, scheme, host, redirects)
            if problem is None and visits[target] >= 2:
                problem = Problem(
                    Reason.TOO_MANY_REDIRECTS,
                    f"the redirects loop: {in_sentence(target)} again and again",
                )
            if problem is not None:
                return Chain(current, tuple(redirects), outcome, problem)
            current = target

    def _redirect_problem(
        self, status: int, target: str, scheme: str, host: str, redirects: list[tuple[int, str]]
    ) -> Problem | None:
        """Why a redirect to ``target`` is not to be followed, or ``None``."""
        if scheme not in ("http", "https") or not host:
            return Problem(
                Reason.BAD_REDIRECT,
                f"a redirect ({status}) leads to {in_sentence(target)!r}, not an http(s) address",
            )
        parking = parking_service(target)
        if parking is not None:
            return Problem(
                Reason.PARKED_DOMAIN,
                f"the link redirects to {parking}, a domain parking or for-sale service",
            )
        if len(redirects) > self.config.max_redirects:
            return Problem(
                Reason.TOO_MANY_REDIRECTS, f"more than {self.config.max_redirects} redirects"
            )
        return None

    def _exchange(
        self,
        url: str,
        watch: Watch,
        held: Held,
        cap: int,
        conditional: Mapping[str, str] | None = None,
    ) -> Answer | Problem:
        """One request, with a slot for its host held until its body is read."""
        host = host_key(url)
        if not held.take(host) and not self._gate.acquire(host, watch.deadline):
            return deadline_problem(self._settings)
        try:
            headers = {**self._headers, **conditional} if conditional else self._headers
            return self._transport.exchange("GET", url, watch, headers=headers, cap=cap)
        finally:
            self._gate.release(host)

    # -- soft 404s ------------------------------------------------------------------------

    def _start_probe(
        self, url: str, held: Held | None = None
    ) -> concurrent.futures.Future[_Probe | None] | None:
        """The soft-404 probe of ``url``'s folder, started now unless it already was; ``None``
        when there is none to make (detection off, or a site's root, which cannot be a soft
        404). It runs alongside the page's own request, so it adds no latency.

        A slot ``held`` for the page's host (``fetch_many``'s) goes to the probe, and the page
        waits for a slot like any other request: on a host whose slots are all taken by its
        pages, a probe queued behind them would leave those pages waiting for it, and the host's
        slots idle, for a whole round trip (issue 17)."""
        if not self.config.soft_404 or is_root(url):
            return None
        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        key = (parts.scheme.lower(), parts.netloc.lower(), path[: path.rfind("/") + 1] or "/")
        with self._probes_lock:
            future = self._probes.get(key)
            if future is None:
                slot = Held(held.host if held is not None else None)
                future = self._probes[key] = self._probe_pool.submit(self._probe, key, slot)
                if held is not None:
                    held.host = None  # the probe's now
        return future

    def _probe(self, key: tuple[str, str, str], slot: Held) -> _Probe | None:
        """Fetch a made-up address in a folder (25 random letters), with its own deadline."""
        scheme, netloc, folder = key
        made_up = folder + "".join(random.choices(string.ascii_lowercase, k=25))
        watch = Watch(self.config.deadline)
        try:
            chain = self._follow(
                urlunsplit((scheme, netloc, made_up, "", "")), watch, slot, _PROBE_MAX_BYTES
            )
        except ClosedError:
            return None
        finally:
            watch.close()
            if slot.host is not None:  # never used (closed before the first request)
                self._gate.release(slot.host)
        answer = chain.answer
        if chain.problem is not None or answer is None:
            return None  # no telling
        return _Probe(answer.status, chain.final_url, answer.media_type, answer.body)

    def _soft_404(
        self,
        chain: Chain,
        answer: Answer,
        future: concurrent.futures.Future[_Probe | None],
        watch: Watch,
    ) -> str | None:
        """A message if the page is what the server answers for any address, else ``None``."""
        try:
            probe = future.result(timeout=max(watch.remaining(), 0.0))
        except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
            return None  # no telling within this URL's deadline
        if probe is None or probe.status in (404, 410):
            return None
        if probe.final_url == chain.final_url:
            return (
                "the server answers a made-up address in the same folder with the same "
                f"page as {in_sentence(chain.final_url)}: a soft 404"
            )
        if probe.body is None:
            return None
        with self._probes_lock:
            if self._texts is None:
                self._texts = documents.ExtractionCache()
        if near_identical(
            answer.body or b"", answer.media_type, probe.body, probe.media_type, self._texts
        ):
            return (
                "the page is the same as the server's answer for a made-up address in the "
                "same folder: a soft 404"
            )
        return None

    def _store(self, url: str, answer: Answer) -> Snapshot:
        assert self.store is not None
        assert answer.body is not None
        headers = [(k, v) for k, v in answer.headers if k.lower() not in _NOT_STORED]
        headers.append(("Content-Length", str(len(answer.body))))
        with self._store_lock:
            return self.store.add(
                url,
                answer.body,
                media_type=answer.media_type or "application/octet-stream",
                captured=answer.received,
                status=answer.status,
                headers=headers,
                request_headers=answer.request_headers,
                origin="live",
            )
