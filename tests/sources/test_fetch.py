"""Live capture: every fetch outcome maps to its reason in bounded time, the redirect chain is
recorded, captures land in the store, and the politeness limits hold. Only servers on
127.0.0.1 that these tests start are ever contacted."""

from __future__ import annotations

import concurrent.futures
import gzip
import io
import itertools
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from warcio.archiveiterator import ArchiveIterator

import claimcheck
from claimcheck import Reason, SnapshotStore
from claimcheck.sources import Fetch, FetchConfig, Fetcher, Validators
from servers import (
    ARTICLE_PAGE,
    InFlight,
    LocalServer,
    RequestHandler,
    conditional,
    page,
    redirect,
    self_signed_context,
    sequence,
    soft_404_routes,
    standard_routes,
)

# Wall-clock bounds are at least three times what a fetch should take, so that a loaded
# machine cannot break them, and still far below what a hang would take (the slowest routes of
# servers.py trickle for 40 s and more, or hold for 60 s).
MARGIN = 3.0

FAST = FetchConfig(
    connect_timeout=1.0,
    read_timeout=1.0,
    deadline=1.5,
    retries=2,
    backoff=0.02,
    host_spacing=0.0,
    max_bytes=2**20,
    max_retry_after=5.0,
    max_redirects=10,
    allow_private_addresses=True,  # the test servers are on 127.0.0.1
)


@pytest.fixture(scope="module")
def origin() -> Iterator[LocalServer]:
    with LocalServer(standard_routes(bomb_size=50 * 2**20)) as server:
        yield server


@pytest.fixture(scope="module")
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as fetcher:
        yield fetcher


def timed(fetcher: Fetcher, url: str) -> tuple[Fetch, float]:
    started = time.monotonic()
    result = fetcher.fetch(url)
    return result, time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# The outcome table


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/ok", None),
        ("/moved-article", None),
        ("/404", Reason.HTTP_404),
        ("/410", Reason.HTTP_410),
        ("/451", Reason.HTTP_4XX),
        ("/500", Reason.HTTP_5XX),
        ("/503", Reason.HTTP_5XX),
        ("/503-later", Reason.RATE_LIMITED),
        ("/429", Reason.RATE_LIMITED),
        ("/429-later", Reason.RATE_LIMITED),
        ("/429-date", Reason.RATE_LIMITED),
        ("/403-challenge", Reason.BLOCKED),
        ("/200-challenge", Reason.BLOCKED),
        ("/403", Reason.BLOCKED),
        ("/401", Reason.BLOCKED),
        ("/999", Reason.BLOCKED),
        ("/chain/11", Reason.TOO_MANY_REDIRECTS),
        ("/loop/a", Reason.TOO_MANY_REDIRECTS),
        ("/ftp", Reason.BAD_REDIRECT),
        ("/javascript", Reason.BAD_REDIRECT),
        ("/no-location", Reason.BAD_REDIRECT),
        ("/old-article", Reason.REDIRECT_TO_HOMEPAGE),
        ("/errors/gone", Reason.SOFT_404),
        ("/to-parking", Reason.PARKED_DOMAIN),
        ("/parked", Reason.PARKED_DOMAIN),
        ("/trickle", Reason.TIMEOUT),
        ("/trickle-headers", Reason.TIMEOUT),
        ("/hold", Reason.TIMEOUT),
        ("/reset", Reason.CONNECTION_ERROR),
        ("/lying-length", Reason.CONNECTION_ERROR),
        ("/bomb", Reason.TOO_LARGE),
        ("/big", Reason.TOO_LARGE),
        ("/empty", Reason.UNREADABLE_SOURCE),
    ],
)
def test_each_outcome_maps_to_its_reason_in_bounded_time(
    origin: LocalServer, fetcher: Fetcher, path: str, reason: Reason | None
) -> None:
    result, elapsed = timed(fetcher, origin.url + path)
    assert result.reason is reason, result.message
    assert result.ok is (reason is None)
    assert result.message
    assert "\n" not in result.message
    assert elapsed < MARGIN * FAST.deadline
    assert result.elapsed <= elapsed


def test_a_fetched_page_has_its_body_status_and_headers(
    origin: LocalServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(origin.url + "/ok")
    assert result.ok
    assert result.status == 200
    assert result.body == ARTICLE_PAGE.encode()
    assert result.media_type == "text/html; charset=utf-8"
    assert ("Server", "claimcheck-test") in result.headers
    assert result.final_url == origin.url + "/ok"
    assert result.redirects == ()
    assert f"<{len(ARTICLE_PAGE)} bytes>" in repr(result)


def test_error_pages_keep_their_status_and_body(origin: LocalServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(origin.url + "/404")
    assert result.status == 404
    assert result.body == b"<h1>Not here</h1>"
    assert result.message == "the server answered 404 Not Found"


def test_a_bot_challenge_is_named_in_the_message(origin: LocalServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(origin.url + "/403-challenge")
    assert result.reason is Reason.BLOCKED
    assert "bot wall" in result.message
    assert "challenge" in result.message


def test_every_fetch_reason_has_a_status_in_the_vocabulary() -> None:
    for reason in (Reason.BLOCKED, Reason.RATE_LIMITED, Reason.TIMEOUT, Reason.TOO_LARGE):
        assert reason.status is claimcheck.Status.UNCHECKED
    for reason in (Reason.HTTP_404, Reason.SOFT_404, Reason.PARKED_DOMAIN, Reason.DNS_FAILURE):
        assert reason.status is claimcheck.Status.BROKEN


# ---------------------------------------------------------------------------------------------
# Network failures


def test_an_unresolvable_host_is_a_dns_failure(fetcher: Fetcher) -> None:
    # ".invalid" is reserved (RFC 6761): resolvers answer NXDOMAIN without asking anyone.
    outcome: list[BaseException | None] = []
    lookup = threading.Thread(
        target=lambda: outcome.append(_resolve("nonexistent.invalid")), daemon=True
    )
    lookup.start()
    lookup.join(3.0)
    if not outcome:
        pytest.skip("this sandbox's resolver hangs on .invalid names instead of failing")
    result, elapsed = timed(fetcher, "http://nonexistent.invalid/report")
    assert result.reason is Reason.DNS_FAILURE, result.message
    assert "nonexistent.invalid" in result.message
    assert elapsed < MARGIN * FAST.deadline


def _resolve(name: str) -> BaseException | None:
    try:
        socket.getaddrinfo(name, 80)
    except OSError as error:
        return error
    return None


def test_nothing_listening_is_connection_refused(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetcher.fetch(f"http://127.0.0.1:{port}/page")
    assert result.reason is Reason.CONNECTION_REFUSED, result.message


def test_a_connect_that_never_completes_times_out() -> None:
    # A listener whose accept queue is full drops further SYNs: a connect that hangs, locally.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.1)
        check = socket.socket()
        check.settimeout(0.3)
        try:
            check.connect(("127.0.0.1", port))
        except TimeoutError:
            pass
        else:
            pytest.skip("this kernel accepts connections beyond the listen backlog")
        finally:
            check.close()
        config = FetchConfig(
            connect_timeout=0.5,
            read_timeout=0.5,
            deadline=1.0,
            retries=0,
            allow_private_addresses=True,
        )
        with Fetcher(config) as fetcher:
            result, elapsed = timed(fetcher, f"http://127.0.0.1:{port}/")
        assert result.reason is Reason.TIMEOUT, result.message
        assert "connect" in result.message
        assert elapsed < MARGIN * config.deadline
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_a_self_signed_certificate_is_a_tls_error(tmp_path: Path, fetcher: Fetcher) -> None:
    context = self_signed_context(tmp_path)
    if context is None:
        pytest.skip("neither the cryptography package nor openssl is available")
    with LocalServer({"/": page(ARTICLE_PAGE)}, tls=context) as server:
        result = fetcher.fetch(server.url + "/")
        assert result.reason is Reason.TLS_ERROR, result.message
        assert "certificate" in result.message
        # Trusting the certificate (a session setting) makes the same server fine.
        session = requests.Session()
        session.verify = str(tmp_path / "cert.pem")
        with Fetcher(FAST, session=session) as trusting:
            assert trusting.fetch(server.url + "/").ok
        session.close()


def test_the_deadline_cuts_a_slowloris_that_read_timeouts_would_not(
    origin: LocalServer,
) -> None:
    # One byte every 0.2 s: each read succeeds, so only the deadline can stop it.
    config = FetchConfig(
        read_timeout=5.0, deadline=1.0, retries=0, host_spacing=0.0, allow_private_addresses=True
    )
    with Fetcher(config) as fetcher:
        for path in ("/trickle", "/trickle-headers"):
            result, elapsed = timed(fetcher, origin.url + path)
            assert result.reason is Reason.TIMEOUT, result.message
            assert "deadline" in result.message
            assert 0.9 < elapsed < MARGIN * config.deadline  # the trickles take 40 s and more


def test_a_server_that_never_answers_times_out(origin: LocalServer) -> None:
    config = FetchConfig(
        read_timeout=0.5, deadline=10.0, retries=0, host_spacing=0.0, allow_private_addresses=True
    )
    with Fetcher(config) as fetcher:
        result, elapsed = timed(fetcher, origin.url + "/hold")
    assert result.reason is Reason.TIMEOUT
    assert "read timeout" in result.message  # not the deadline
    assert elapsed < config.deadline / 2


@pytest.mark.parametrize("url", ["ftp://example.org/x", "mailto:a@example.org", "", "http://"])
def test_only_http_urls_are_fetched(fetcher: Fetcher, url: str) -> None:
    result = fetcher.fetch(url)
    assert result.reason is Reason.INVALID_URL
    assert result.status is None


def test_a_decompression_bomb_stops_at_the_cap_with_bounded_memory(
    origin: LocalServer, fetcher: Fetcher
) -> None:
    tracemalloc.start()
    try:
        result, elapsed = timed(fetcher, origin.url + "/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.reason is Reason.TOO_LARGE
    assert result.body is None
    assert peak < 8 * FAST.max_bytes  # the body expands to 50 MB
    assert elapsed < MARGIN * FAST.deadline


# ---------------------------------------------------------------------------------------------
# Redirects


def test_the_redirect_chain_is_recorded(origin: LocalServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(origin.url + "/chain/3")
    assert result.ok, result.message
    assert result.redirects == (
        (301, origin.url + "/chain/2"),
        (301, origin.url + "/chain/1"),
        (301, origin.url + "/chain/0"),
    )
    assert result.final_url == origin.url + "/chain/0"
    assert result.final_url in result.message


def test_more_redirects_than_allowed_stop_at_the_limit(origin: LocalServer) -> None:
    with Fetcher(attrs_evolve(FAST, max_redirects=3)) as fetcher:
        assert fetcher.fetch(origin.url + "/chain/3").ok
        result = fetcher.fetch(origin.url + "/chain/4")
    assert result.reason is Reason.TOO_MANY_REDIRECTS
    assert len(result.redirects) == 4


def attrs_evolve(config: FetchConfig, **changes: object) -> FetchConfig:
    import attrs

    return attrs.evolve(config, **changes)  # type: ignore[arg-type]


def test_a_redirect_loop_is_caught_after_a_few_requests() -> None:
    routes = {"/a": redirect("/b"), "/b": redirect("/a")}
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url + "/a")
        assert result.reason is Reason.TOO_MANY_REDIRECTS
        assert "loop" in result.message
        assert server.stats.hits["/a"] + server.stats.hits["/b"] <= 4


def test_a_cookie_bounce_is_not_a_loop() -> None:
    def article(handler: RequestHandler) -> None:
        if "seen=1" in (handler.headers.get("Cookie") or ""):
            handler.send(200, ARTICLE_PAGE)
        else:
            handler.send(302, "", headers=[("Location", "/consent")])

    routes = {
        "/article": article,
        "/consent": page(
            "", status=302, headers=[("Location", "/article"), ("Set-Cookie", "seen=1")]
        ),
    }
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url + "/article")
    assert result.ok, result.message
    assert len(result.redirects) == 2


def test_a_redirect_to_a_parking_service_is_not_followed(
    origin: LocalServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(origin.url + "/to-parking")
    assert result.reason is Reason.PARKED_DOMAIN
    assert result.redirects[-1][1].startswith("https://www.sedo.com/")
    assert "sedo.com" in result.message


# ---------------------------------------------------------------------------------------------
# Retries and Retry-After


def test_a_small_retry_after_is_honoured_then_the_page_fetched() -> None:
    routes = {
        "/busy": sequence(
            page("slow down", status=429, headers=[("Retry-After", "1")]),
            page(ARTICLE_PAGE),
        ),
        "/maintenance": sequence(
            page("back soon", status=503, headers=[("Retry-After", "1")]),
            page(ARTICLE_PAGE),
        ),
    }
    config = attrs_evolve(FAST, deadline=5.0)
    with LocalServer(routes) as server, Fetcher(config) as fetcher:
        for path in ("/busy", "/maintenance"):
            result, elapsed = timed(fetcher, server.url + path)
            assert result.ok, result.message
            assert 0.9 < elapsed < MARGIN * 1.0  # Retry-After: 1
            assert server.stats.hits[path] == 2


def test_a_huge_retry_after_gives_up_at_once() -> None:
    routes = {
        "/later": page("slow down", status=429, headers=[("Retry-After", "3600")]),
        "/closed": page("maintenance", status=503, headers=[("Retry-After", "86400")]),
    }
    # A deadline long enough that "at once" (well under a second) and "waited until the
    # deadline" are far apart, whatever the machine's load.
    config = attrs_evolve(FAST, deadline=30.0)
    with LocalServer(routes) as server, Fetcher(config) as fetcher:
        for path in ("/later", "/closed"):
            result, elapsed = timed(fetcher, server.url + path)
            assert result.reason is Reason.RATE_LIMITED
            assert "beyond" in result.message
            assert elapsed < config.deadline / 10
            assert server.stats.hits[path] == 1


def test_a_retry_after_past_the_deadline_is_not_waited_for() -> None:
    # Retry-After within what may be waited for (max_retry_after), but past the deadline;
    # waiting would take 30 s, the deadline 10 s.
    routes = {"/busy": page("slow down", status=429, headers=[("Retry-After", "30")])}
    config = attrs_evolve(FAST, deadline=10.0, max_retry_after=60.0)
    with LocalServer(routes) as server, Fetcher(config) as fetcher:
        result, elapsed = timed(fetcher, server.url + "/busy")
    assert result.reason is Reason.RATE_LIMITED
    assert "deadline" in result.message
    assert elapsed < config.deadline / 5


def test_a_connection_reset_is_retried_then_reported(origin: LocalServer) -> None:
    before = origin.stats.hits["/reset"]
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(origin.url + "/reset")
    assert result.reason is Reason.CONNECTION_ERROR
    assert "reset" in result.message
    assert origin.stats.hits["/reset"] - before == FAST.retries + 1


def test_server_errors_are_retried_then_reported() -> None:
    routes = {
        "/error": page("oops", status=500),
        "/flaky": sequence(page("oops", status=502), page(ARTICLE_PAGE)),
    }
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url + "/error")
        assert result.reason is Reason.HTTP_5XX
        assert server.stats.hits["/error"] == FAST.retries + 1
        assert f"({FAST.retries + 1} attempts)" in result.message
        assert fetcher.fetch(server.url + "/flaky").ok


# ---------------------------------------------------------------------------------------------
# Soft 404s


def test_a_server_that_answers_everything_with_the_same_page_is_a_soft_404() -> None:
    with LocalServer(soft_404_routes()) as server, Fetcher(FAST) as fetcher:
        first = fetcher.fetch(server.url + "/news/2020/article-one")
        second = fetcher.fetch(server.url + "/news/2020/article-two")
        other = fetcher.fetch(server.url + "/sport/report")
        assert first.reason is second.reason is other.reason is Reason.SOFT_404
        probes = [path for path in server.stats.hits if path not in _wanted()]
        assert len(probes) == 2, probes  # one per folder: cached for the second article
        assert {path.rsplit("/", 1)[0] for path in probes} == {"/news/2020", "/sport"}
        assert all(len(path.rsplit("/", 1)[1]) == 25 for path in probes)
        # A site's root cannot be a soft 404.
        assert fetcher.fetch(server.url + "/").ok


def _wanted() -> set[str]:
    return {"/news/2020/article-one", "/news/2020/article-two", "/sport/report", "/"}


def test_a_site_with_real_404s_is_not_a_soft_404(origin: LocalServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(origin.url + "/news/article")
    assert result.ok, result.message


def test_a_catch_all_redirect_is_a_soft_404() -> None:
    routes = {
        "/search": page("<html><h1>Search our site</h1></html>"),
        "*": redirect("/search"),
    }
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url + "/articles/budget-2021")
    assert result.reason is Reason.SOFT_404
    assert "/search" in result.message


def test_soft_404_detection_can_be_turned_off() -> None:
    with LocalServer(soft_404_routes()) as server:
        with Fetcher(attrs_evolve(FAST, soft_404=False)) as fetcher:
            assert fetcher.fetch(server.url + "/news/article").ok
        assert len(server.stats.hits) == 1


# ---------------------------------------------------------------------------------------------
# Capture into the store


def test_captures_land_in_the_store_with_request_and_response_records(
    origin: LocalServer, tmp_path: Path
) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    with Fetcher(FAST, store=store) as fetcher:
        ok = fetcher.fetch(origin.url + "/ok")
        missing = fetcher.fetch(origin.url + "/404")
        moved = fetcher.fetch(origin.url + "/moved-article")
        too_large = fetcher.fetch(origin.url + "/big")
    assert ok.snapshot is not None
    assert missing.snapshot is not None
    assert moved.snapshot is not None
    assert too_large.snapshot is None  # an incomplete body is not a capture
    assert store.read(ok.snapshot) == ARTICLE_PAGE.encode()
    assert ok.snapshot.origin == "live"
    assert ok.snapshot.status == 200
    assert missing.snapshot.status == 404
    # A redirected capture is stored under the URL that was asked for.
    assert moved.snapshot.url == origin.url + "/moved-article"
    assert store.find(origin.url + "/moved-article") == moved.snapshot

    data = (store.root / ok.snapshot.path).read_bytes()
    records = {
        record.rec_type: record
        for record in ArchiveIterator(io.BytesIO(data))
        if record.rec_type in ("request", "response")
    }
    assert set(records) == {"request", "response"}
    request = records["request"]
    assert request.rec_headers.get_header("WARC-Target-URI") == origin.url + "/ok"
    assert request.http_headers.get_header("User-Agent") == FAST.user_agent
    assert request.http_headers.get_header("Host") == f"127.0.0.1:{origin.port}"
    assert records["response"].http_headers.get_statuscode() == "200"


def test_a_compressed_page_is_stored_decoded_and_readable(tmp_path: Path) -> None:
    body = gzip.compress(ARTICLE_PAGE.encode())
    routes = {"/article": page(body, headers=[("Content-Encoding", "gzip")])}
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    with LocalServer(routes) as server, Fetcher(FAST, store=store) as fetcher:
        result = fetcher.fetch(server.url + "/article")
    assert result.ok
    assert result.snapshot is not None
    assert store.read(result.snapshot) == ARTICLE_PAGE.encode()
    stored = {name.lower(): value for name, value in result.snapshot.headers}
    assert "content-encoding" not in stored
    assert stored["content-length"] == str(len(ARTICLE_PAGE.encode()))


# ---------------------------------------------------------------------------------------------
# Politeness


def test_per_host_concurrency_never_exceeds_the_limit() -> None:
    shared = InFlight()
    config = attrs_evolve(FAST, per_host=2, concurrency=16, deadline=5.0, soft_404=False)
    routes = {"/page/*": page(ARTICLE_PAGE, delay=0.1)}
    with (
        LocalServer(routes, shared=shared) as one,
        LocalServer(routes, shared=shared) as two,
        LocalServer(routes, shared=shared) as three,
        Fetcher(config) as fetcher,
    ):
        servers = (one, two, three)
        # Host-major order: a naive pool would pile onto the first host.
        urls = [f"{server.url}/page/{n}" for server in servers for n in range(8)]
        started = time.monotonic()
        results = fetcher.fetch_many(urls)
        elapsed = time.monotonic() - started
    assert all(result.ok for result in results.values())
    for server in servers:
        assert server.stats.max_in_flight == 2
    assert shared.peak == 6  # all three hosts at once
    ideal = 8 * 0.1 / 2  # each host's 8 pages of 0.1 s, two at a time, the hosts together
    assert elapsed < MARGIN * ideal + 1.0  # and a second to start the pool


def test_the_global_limit_holds_across_hosts() -> None:
    shared = InFlight()
    config = attrs_evolve(FAST, per_host=2, concurrency=3, deadline=5.0, soft_404=False)
    routes = {"/page/*": page(ARTICLE_PAGE, delay=0.05)}
    with (
        LocalServer(routes, shared=shared) as one,
        LocalServer(routes, shared=shared) as two,
        Fetcher(config) as fetcher,
    ):
        urls = [f"{server.url}/page/{n}" for server in (one, two) for n in range(6)]
        assert all(result.ok for result in fetcher.fetch_many(urls).values())
    assert shared.peak <= 3


def test_fetch_from_many_threads_obeys_the_per_host_limit() -> None:
    config = attrs_evolve(FAST, per_host=2, deadline=5.0, soft_404=False)
    with (
        LocalServer({"/page/*": page(ARTICLE_PAGE, delay=0.05)}) as server,
        Fetcher(config) as fetcher,
        concurrent.futures.ThreadPoolExecutor(8) as pool,
    ):
        urls = [f"{server.url}/page/{n}" for n in range(12)]
        assert all(result.ok for result in pool.map(fetcher.fetch, urls))
    assert server.stats.max_in_flight == 2


def test_request_starts_to_one_host_are_spaced() -> None:
    spacing = 0.15
    config = attrs_evolve(FAST, per_host=4, host_spacing=spacing, deadline=5.0, soft_404=False)
    with LocalServer({"/page/*": page(ARTICLE_PAGE)}) as server, Fetcher(config) as fetcher:
        fetcher.fetch_many(f"{server.url}/page/{n}" for n in range(4))
        starts = sorted(request.started for request in server.stats.requests)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) == 3
    assert min(gaps) >= spacing - 0.02, gaps


def test_fetch_many_fetches_each_url_once(origin: LocalServer) -> None:
    routes = {"/page/*": page(ARTICLE_PAGE)}
    with LocalServer(routes) as server, Fetcher(attrs_evolve(FAST, soft_404=False)) as fetcher:
        urls = [f"{server.url}/page/{n % 5}" for n in range(20)] + ["ftp://example.org/x"]
        results = fetcher.fetch_many(urls)
        assert list(results) == list(dict.fromkeys(urls))
        assert all(results[url].url == url for url in results)
        assert results["ftp://example.org/x"].reason is Reason.INVALID_URL
        assert sorted(server.stats.hits.values()) == [1] * 5


def test_the_user_agent_is_sent() -> None:
    with LocalServer({"/": page(ARTICLE_PAGE)}) as server:
        with Fetcher(FAST) as fetcher:
            fetcher.fetch(server.url + "/")
        with Fetcher(attrs_evolve(FAST, user_agent="Research-Bot/1.0")) as fetcher:
            fetcher.fetch(server.url + "/")
        agents = [request.header("User-Agent") for request in server.stats.requests]
    assert agents[0] == f"claimcheck/{claimcheck.__version__} " + (
        "(+https://github.com/claimcheck/claimcheck; checks the sources of fact-checks)"
    )
    assert "link" not in agents[0].lower()  # mod_security rules refuse such User-Agents
    assert agents[1] == "Research-Bot/1.0"


def test_a_closed_fetcher_refuses_work(origin: LocalServer) -> None:
    fetcher = Fetcher(FAST)
    fetcher.close()
    with pytest.raises(RuntimeError, match="closed"):
        fetcher.fetch(origin.url + "/ok")
    with pytest.raises(RuntimeError, match="closed"):
        fetcher.fetch_many([origin.url + "/ok"])


# ---------------------------------------------------------------------------------------------
# Conditional requests


def test_a_304_is_an_unchanged_success_that_stores_nothing(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    routes = {
        "/etag": conditional(ARTICLE_PAGE, etag='"a1"'),
        "/dated": conditional(ARTICLE_PAGE, last_modified="Sun, 01 Mar 2026 00:00:00 GMT"),
    }
    with LocalServer(routes) as server, Fetcher(FAST, store=store) as fetcher:
        first = {p: fetcher.fetch(server.url + p) for p in routes}
        assert all(r.ok and not r.unchanged and r.snapshot is not None for r in first.values())
        assert all(r.transferred > len(ARTICLE_PAGE) for r in first.values())
        stored = len(store.snapshots())
        server.reset_stats()
        for path, previous in first.items():
            headers = dict(previous.headers)
            assert previous.snapshot is not None
            validators = Validators(
                headers.get("ETag"),
                headers.get("Last-Modified"),
                previous.snapshot.digest,
                previous.snapshot,
            )
            again = fetcher.fetch(server.url + path, validators=validators)
            assert again.ok, again.message
            assert again.status == 304
            assert again.not_modified
            assert again.unchanged
            assert again.body is None
            assert again.snapshot == previous.snapshot  # the page is the capture it was
            assert 0 < again.transferred < len(ARTICLE_PAGE)
        assert len(store.snapshots()) == stored
        sent = {r.path: r for r in server.stats.requests}
        assert sent["/etag"].header("If-None-Match") == '"a1"'
        assert sent["/dated"].header("If-Modified-Since") == "Sun, 01 Mar 2026 00:00:00 GMT"


def test_the_same_body_again_is_unchanged_and_not_stored_twice(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    bodies = iter([ARTICLE_PAGE, ARTICLE_PAGE, ARTICLE_PAGE.replace("189", "198")])

    def route(handler: RequestHandler) -> None:
        handler.send(200, next(bodies))

    with LocalServer({"/page": route}) as server, Fetcher(FAST, store=store) as fetcher:
        first = fetcher.fetch(server.url + "/page")
        assert first.snapshot is not None
        validators = Validators(digest=first.snapshot.digest, snapshot=first.snapshot)
        same = fetcher.fetch(server.url + "/page", validators=validators)
        assert same.ok
        assert same.unchanged
        assert not same.not_modified
        assert same.snapshot == first.snapshot
        assert "unchanged" in same.message
        changed = fetcher.fetch(server.url + "/page", validators=validators)
        assert not changed.unchanged
        assert changed.snapshot is not None
        assert changed.snapshot != first.snapshot
        assert len(store.snapshots()) == 2


def test_a_304_nobody_asked_for_is_still_a_bad_redirect(origin: LocalServer) -> None:
    with LocalServer({"/stale": page("", status=304)}) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url + "/stale")
    assert result.reason is Reason.BAD_REDIRECT
    assert not result.unchanged
