"""Proxies: the address guard judges the *target* of a request, whether or not a proxy carries it.

A forward proxy (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, honoured by requests with its
``NO_PROXY`` exceptions) is part of the user's own set-up, like a configured archive endpoint:
claimcheck may connect to it wherever it is (a corporate proxy is usually on a private address).
What it is asked to reach is checked like any URL: a target that is, or resolves locally to, a
non-public address is refused with ``private-address`` before the proxy hears of it, on every
hop. A name that does not resolve locally (common behind a corporate proxy, whose network alone
resolves outside names) is left to the proxy, unless the name itself says it is not public
(``localhost``, ``.internal``, a single label, a numeric form of an address).

The proxy here is a small forward proxy on 127.0.0.1 that answers itself and records what it
was asked: absolute-form requests for http URLs (RFC 9112 section 3.2.2: "a client MUST send the
target URI in absolute-form as the request-target" to a proxy) and ``CONNECT host:port`` for
https URLs (RFC 9110 section 9.3.6), as squid or any forward proxy receives them. Connections
outside 127/8 are refused and recorded by the socket guard; name resolution is faked for the
public-looking names the tests use.
"""

from __future__ import annotations

import os
import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from claimcheck import Reason
from claimcheck.errors import ArchiveError
from claimcheck.sources import FetchConfig, Fetcher, MementoClient, RateLimiter
from servers import LocalServer, page

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
PUBLIC = "93.184.215.14"  # what the fake resolver answers for the public-looking names
PAGE = b"<html><body><p>The page, as the proxy fetched it.</p></body></html>"


class ForwardProxy(ThreadingHTTPServer):
    """A forward proxy on 127.0.0.1 that answers every request itself (200 with :data:`PAGE`,
    or the redirect set for a target URL) and refuses every ``CONNECT`` with 403, recording
    what it was asked in ``seen`` (``"GET http://host/path"``, ``"CONNECT host:443"``)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[str] = []
        self.redirects: dict[str, str] = {}
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ForwardProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in [("Content-Type", "text/html"), *headers]:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append(f"GET {self.path}")
        location = self.server.redirects.get(self.path)
        if location is not None:
            self._answer(302, b"", [("Location", location)])
        else:
            self._answer(200, PAGE, [])

    def do_CONNECT(self) -> None:
        self.server.seen.append(f"CONNECT {self.path}")
        self.close_connection = True
        self._answer(403, b"no tunnels here", [])


# Every test: no connection outside the loopback (the guard of conftest.py).
pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from no proxy settings, whatever the machine running the tests has."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, str | None]:
    """A fake resolver: the names in the returned table resolve to their address (or, for
    ``None``, do not resolve, as outside names behind a corporate proxy often do not);
    every other name is resolved for real (only numeric forms and ``localhost`` here)."""
    table: dict[str, str | None] = {
        "example.org": PUBLIC,
        "news.example.org": PUBLIC,
        "outside-only.example.com": None,
        "metadata.example.org": "169.254.169.254",
        "intranet.example.org": "10.1.2.3",
    }
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").lower() in table:
            address = table[name.rstrip(".").lower()]
            if address is None:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    with ForwardProxy() as server:
        monkeypatch.setenv("HTTP_PROXY", server.url)
        monkeypatch.setenv("HTTPS_PROXY", server.url)
        yield server


def fetcher(**changes: Any) -> Fetcher:
    settings: dict[str, Any] = {
        "retries": 0,
        "host_spacing": 0.0,
        "soft_404": False,
        "deadline": 10.0,
        **changes,
    }
    return Fetcher(FetchConfig(**settings))


# ---------------------------------------------------------------------------------------------
# (a) A non-public target is refused before the proxy hears of it


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://127.0.0.2:8080/internal",
        "https://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 of 169.254.169.254
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 as one number
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",
        "http://localhost/admin",
        "http://metadata.example.org/latest/meta-data/",  # a name resolving to link-local
        "https://intranet.example.org/",  # a name resolving to a private address
    ],
)
def test_a_non_public_target_is_refused_and_the_proxy_never_asked(
    proxy: ForwardProxy, names: dict[str, str | None], url: str
) -> None:
    with fetcher() as client:
        carried = client.fetch("http://example.org/page")  # the proxy is in use
        result = client.fetch(url)
    assert carried.ok, carried.message
    assert result.reason is Reason.PRIVATE_ADDRESS, result.message
    assert "not a public internet address" in result.message
    assert proxy.seen == ["GET http://example.org/page"]


@pytest.mark.parametrize(
    "url",
    [
        "http://intranet/wiki",  # one label: the proxy's search domains would complete it
        "http://admin.internal/",
        "http://printer.local/",
        "http://router.home.arpa/",
        "http://db.localhost/",
        "http://0x7f.1/",  # numeric forms are addresses, whether or not they resolve here
    ],
)
def test_a_name_that_says_it_is_not_public_is_refused_even_unresolved(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    def unresolved(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) == "127.0.0.1":  # the proxy itself
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", unresolved)
    with fetcher() as client:
        carried = client.fetch("http://outside-only.example.com/page")
        result = client.fetch(url)
    assert carried.ok, carried.message
    assert result.reason is Reason.PRIVATE_ADDRESS, result.message
    assert proxy.seen == ["GET http://outside-only.example.com/page"]


def test_all_proxy_alone_is_checked_too(
    monkeypatch: pytest.MonkeyPatch, names: dict[str, str | None]
) -> None:
    with ForwardProxy() as server:
        monkeypatch.setenv("ALL_PROXY", server.url)
        with fetcher() as client:
            refused = client.fetch("http://169.254.169.254/latest/meta-data/")
            carried = client.fetch("http://example.org/page")
    assert refused.reason is Reason.PRIVATE_ADDRESS
    assert carried.ok, carried.message
    assert server.seen == ["GET http://example.org/page"]


def test_every_redirect_hop_through_the_proxy_is_checked(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    proxy.redirects["http://example.org/moved"] = "http://169.254.169.254/latest/meta-data/"
    with fetcher() as client:
        result = client.fetch("http://example.org/moved")
    assert result.reason is Reason.PRIVATE_ADDRESS, result.message
    assert result.redirects == ((302, "http://169.254.169.254/latest/meta-data/"),)
    assert proxy.seen == ["GET http://example.org/moved"]


def test_an_archive_redirect_through_the_proxy_is_checked(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    # A TimeGate reached through the proxy hands over to an internal address.
    internal = "http://127.0.0.2:8080/internal-admin?action=drop"
    proxy.redirects["http://example.org/timegate/https://example.org/report"] = internal
    memento = MementoClient("http://example.org/timegate/", limiter=RateLimiter(60000))
    with memento, pytest.raises(ArchiveError, match="not a public internet address"):
        memento.timegate("https://example.org/report", date(2020, 1, 1))
    assert proxy.seen == ["GET http://example.org/timegate/https://example.org/report"]


def test_allowing_private_addresses_lets_the_proxy_carry_anything(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    with fetcher(allow_private_addresses=True) as client:
        result = client.fetch("http://10.0.0.1/admin")
    assert result.ok, result.message
    assert proxy.seen == ["GET http://10.0.0.1/admin"]


# ---------------------------------------------------------------------------------------------
# (b) A proxy on a private address carries requests for public targets


def test_a_proxy_on_a_private_address_carries_a_public_target(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    # The proxy is on 127.0.0.1, as "private" as 10.x; nothing goes to 93.184.215.14 directly
    # (the socket guard would fail the test).
    with fetcher() as client:
        result = client.fetch("http://example.org/page")
    assert result.ok, result.message
    assert result.body == PAGE
    assert proxy.seen == ["GET http://example.org/page"]


def test_a_proxy_is_asked_to_tunnel_to_a_public_https_target(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    with fetcher() as client:
        result = client.fetch("https://news.example.org/story")
    # This proxy refuses tunnels (403): what matters is that it was asked, not refused by us.
    assert result.reason is not Reason.PRIVATE_ADDRESS, result.message
    assert proxy.seen == ["CONNECT news.example.org:443"]


def test_a_name_that_resolves_only_beyond_the_proxy_is_left_to_it(
    proxy: ForwardProxy, names: dict[str, str | None]
) -> None:
    with fetcher() as client:
        result = client.fetch("http://outside-only.example.com/page")
    assert result.ok, result.message
    assert proxy.seen == ["GET http://outside-only.example.com/page"]


# ---------------------------------------------------------------------------------------------
# (c) NO_PROXY


def test_no_proxy_sends_the_request_directly(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LocalServer({"/page": page("<p>direct</p>")}) as origin:
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with fetcher(allow_private_addresses=True) as client:
            result = client.fetch(origin.url + "/page")
    assert result.ok, result.message
    assert origin.stats.hits["/page"] == 1
    assert proxy.seen == []


def test_no_proxy_for_a_private_target_meets_the_direct_guard(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Direct, and refused by the direct guard: no connection to 10.0.0.1 is even attempted.
    monkeypatch.setenv("NO_PROXY", "10.0.0.0/8,.example.org")
    with fetcher() as client:
        result = client.fetch("http://10.0.0.1/admin")
    assert result.reason is Reason.PRIVATE_ADDRESS, result.message
    assert proxy.seen == []


# ---------------------------------------------------------------------------------------------
# (d) The proxy environment is read when first needed, not on every request (issue 17)


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> Callable[[], float]:
    """How many times the proxy variables have been read (``*_PROXY``, or ``NO_PROXY`` for an
    origin: each a walk over the whole of ``os.environ``, decoding it, which requests made twice
    for every request), counted in walks of ``os.environ`` per ``urllib.request.getproxies()``."""
    walks = [0]
    kind = type(os.environ)
    real = kind.__iter__

    def counted(self: Any) -> Any:
        walks[0] += 1
        return real(self)

    monkeypatch.setattr(kind, "__iter__", counted)
    urllib.request.getproxies()
    one, walks[0] = walks[0], 0
    return lambda: walks[0] / one


def test_the_proxy_environment_is_read_once_per_origin_and_still_guarded(
    proxy: ForwardProxy, names: dict[str, str | None], readings: Callable[[], float]
) -> None:
    with fetcher() as client:
        carried = [client.fetch(f"http://example.org/page/{n}") for n in range(10)]
        refused = [client.fetch("http://metadata.example.org/latest/meta-data/") for _ in range(3)]
        read = readings()
    assert all(fetch.ok for fetch in carried)
    assert [fetch.reason for fetch in refused] == [Reason.PRIVATE_ADDRESS] * 3
    assert proxy.seen == [f"GET http://example.org/page/{n}" for n in range(10)]
    # *_PROXY once, and NO_PROXY once for each of the two origins (both for every request before)
    assert read <= 3


def test_an_origin_no_proxy_exempts_stays_direct(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, readings: Callable[[], float]
) -> None:
    with LocalServer({"/page": page("<p>direct</p>")}) as origin:
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with fetcher(allow_private_addresses=True) as client:
            results = [client.fetch(origin.url + "/page") for _ in range(5)]
            read = readings()
    assert all(result.ok for result in results)
    assert origin.stats.hits["/page"] == 5
    assert proxy.seen == []
    assert read <= 2


def test_a_session_given_by_the_caller_reads_the_environment_as_requests_does(
    monkeypatch: pytest.MonkeyPatch, names: dict[str, str | None]
) -> None:
    # The caller's session is requests' business: a proxy set between two requests is used.
    session = requests.Session()
    with ForwardProxy() as server, Fetcher(FetchConfig(retries=0), session=session) as client:
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        before = client.fetch("http://example.org/first")
        monkeypatch.setenv("HTTP_PROXY", server.url)
        after = client.fetch("http://example.org/second")
    session.close()
    assert before.reason is Reason.CONNECTION_REFUSED, before.message
    assert after.ok, after.message
    assert server.seen == ["GET http://example.org/second"]


def test_a_fetcher_keeps_the_proxy_environment_it_first_saw(
    monkeypatch: pytest.MonkeyPatch, names: dict[str, str | None]
) -> None:
    with ForwardProxy() as first, ForwardProxy() as second:
        monkeypatch.setenv("HTTP_PROXY", first.url)
        with fetcher() as client:
            client.fetch("http://example.org/a")
            monkeypatch.setenv("HTTP_PROXY", second.url)
            result = client.fetch("http://example.org/b")
    assert result.ok, result.message
    assert (first.seen, second.seen) == (
        ["GET http://example.org/a", "GET http://example.org/b"],
        [],
    )
