"""Local HTTP(S) servers for tests: a route table on 127.0.0.1, and routes for every way a
source can fail (for the fetcher's tests, and for any test that needs a live origin).

    with serve({"/": page("<p>hello</p>"), "/gone": page("", status=410)}) as base_url:
        requests.get(base_url + "/gone")

    with LocalServer(standard_routes()) as server:     # when the test needs the statistics
        ...; server.stats.max_in_flight, server.stats.hits["/ok"]

A route is a function of the :class:`RequestHandler`; it writes the answer itself, so routes can
misbehave (trickle, hang, reset, lie about their length). Paths are matched exactly, then by the
longest ``"/prefix/*"`` pattern, then by ``"*"``; anything else is a 404. Every server counts
the requests in flight (from the request line read to the answer about to be written, so a
client that starts its next request only after reading an answer is never counted twice), the
peak, the hits per path, each request's headers and start time, and the bytes the routes sent
with :meth:`RequestHandler.send` (status line, headers and body). Servers bind port 0 on
127.0.0.1 only, and serve from a daemon thread until the ``with`` block ends.

:func:`conditional` answers ``304 Not Modified`` to a matching ``If-None-Match`` or
``If-Modified-Since``; a :class:`Switch` is a route a test changes between runs.
"""

from __future__ import annotations

import contextlib
import email.utils
import itertools
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import attrs

HTML = "text/html; charset=utf-8"

Route = Callable[["RequestHandler"], None]


@attrs.define
class InFlight:
    """Requests in flight now and at most; can be shared by several servers (global count)."""

    current: int = 0
    peak: int = 0
    lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def enter(self) -> None:
        with self.lock:
            self.current += 1
            self.peak = max(self.peak, self.current)

    def leave(self) -> None:
        with self.lock:
            self.current -= 1


@attrs.frozen
class Recorded:
    """One request as the server saw it."""

    path: str
    target: str
    headers: tuple[tuple[str, str], ...]
    started: float  # time.monotonic()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@attrs.define
class ServerStats:
    """What a server saw."""

    in_flight: InFlight = attrs.field(factory=InFlight)
    hits: Counter[str] = attrs.field(factory=Counter)
    requests: list[Recorded] = attrs.field(factory=list)
    bytes_sent: int = 0

    @property
    def max_in_flight(self) -> int:
        return self.in_flight.peak


class RequestHandler(BaseHTTPRequestHandler):
    """Answers with the server's route for the path; helpers for routes to answer with."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    # TCP_NODELAY, as real servers set: else headers and body, written separately, meet the
    # client's delayed ACK and every answer takes 40 ms longer.
    disable_nagle_algorithm = True
    timeout = 30  # an idle keep-alive connection's thread ends after this
    server: LocalServer

    def setup(self) -> None:
        super().setup()
        self.tls_failed = False
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.tls_failed = True  # the client refused our certificate: nothing to do

    def handle(self) -> None:
        if not self.tls_failed:
            with contextlib.suppress(OSError):  # the client went away
                super().handle()

    def do_GET(self) -> None:
        self.server.dispatch(self)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet

    def done(self) -> None:
        """Mark the request processed (idempotent); :meth:`send` calls it."""
        flights: list[InFlight] = getattr(self, "flights", [])
        self.flights: list[InFlight] = []
        for flight in flights:
            flight.leave()

    def send(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        headers: Iterable[tuple[str, str]] = (),
        content_type: str | None = HTML,
    ) -> None:
        """Answer with ``status``, ``headers`` and ``body`` (Content-Length added)."""
        data = body.encode() if isinstance(body, str) else body
        given = list(headers)
        names = {name.lower() for name, _ in given}
        lines = [("Date", email.utils.formatdate(usegmt=True))]
        if "server" not in names:
            lines.append(("Server", "claimcheck-test"))
        if content_type and "content-type" not in names:
            lines.append(("Content-Type", content_type))
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append(("Content-Length", str(len(data))))
        lines += given
        self.done()
        self.send_response_only(status)
        for name, value in lines:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        sent = len(f"HTTP/1.1 {status} \r\n") + sum(len(f"{n}: {v}\r\n") for n, v in lines) + 2
        self.server.count_sent(sent + len(data))


class LocalServer(ThreadingHTTPServer):
    """A threaded HTTP(S) server on 127.0.0.1 with a route table; a context manager."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        routes: Mapping[str, Route],
        *,
        tls: ssl.SSLContext | None = None,
        shared: InFlight | None = None,
        address: str = "127.0.0.1",
    ) -> None:
        # ``address``: another loopback address (all of 127.0.0.0/8 is loopback on Linux), for
        # benchmarks that need distinct hosts rather than ports of one host
        super().__init__((address, 0), RequestHandler)
        self.routes = dict(routes)
        self.stats = ServerStats()
        self.shared = shared
        self.closing = threading.Event()
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self.socket = tls.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash: ``http://127.0.0.1:PORT``."""
        return f"{self.scheme}://{self.server_address[0]}:{self.port}"

    def __enter__(self) -> LocalServer:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.closing.set()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # routes that reset or hang up on purpose would print tracebacks

    def route(self, path: str) -> Route:
        if path in self.routes:
            return self.routes[path]
        prefixes = [p for p in self.routes if p.endswith("/*") and path.startswith(p[:-1])]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return self.routes.get("*", not_found)

    def dispatch(self, handler: RequestHandler) -> None:
        path = urlsplit(handler.path).path
        with self._lock:
            self.stats.hits[path] += 1
            self.stats.requests.append(
                Recorded(path, handler.path, tuple(handler.headers.items()), time.monotonic())
            )
        # The counters entered are the ones left, even if the stats are reset meanwhile.
        handler.flights = [self.stats.in_flight] + ([self.shared] if self.shared else [])
        for flight in handler.flights:
            flight.enter()
        try:
            self.route(path)(handler)
        finally:
            handler.done()

    def count_sent(self, count: int) -> None:
        with self._lock:
            self.stats.bytes_sent += count

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = ServerStats()


@contextlib.contextmanager
def serve(routes: Mapping[str, Route], *, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve ``routes`` on 127.0.0.1 for the ``with`` block; yields the base URL."""
    with LocalServer(routes, tls=tls) as server:
        yield server.url


# ---------------------------------------------------------------------------------------------
# Routes


def page(
    body: bytes | str,
    *,
    status: int = 200,
    headers: Iterable[tuple[str, str]] = (),
    content_type: str | None = HTML,
    delay: float = 0.0,
) -> Route:
    """A fixed answer, after ``delay`` seconds."""
    fixed = list(headers)

    def route(handler: RequestHandler) -> None:
        if delay:
            time.sleep(delay)
        handler.send(status, body, headers=fixed, content_type=content_type)

    return route


def conditional(
    body: bytes | str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str | None = HTML,
) -> Route:
    """A 200 with ``ETag`` and ``Last-Modified`` (when given), and ``304 Not Modified`` without
    a body to a request whose ``If-None-Match`` names the ETag, or (without ``If-None-Match``,
    as RFC 9110 says) whose ``If-Modified-Since`` is not before ``last_modified``."""
    validators = [("ETag", etag)] if etag else []
    if last_modified:
        validators.append(("Last-Modified", last_modified))

    def route(handler: RequestHandler) -> None:
        none_match = handler.headers.get("If-None-Match")
        since = handler.headers.get("If-Modified-Since")
        if none_match is not None:
            fresh = etag is not None and etag in {tag.strip() for tag in none_match.split(",")}
        elif since is not None and last_modified is not None:
            fresh = email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                last_modified
            )
        else:
            fresh = False
        if fresh:
            handler.send(304, b"", headers=validators, content_type=None)
        else:
            handler.send(200, body, headers=validators, content_type=content_type)

    return route


class Switch:
    """A route that answers with whichever route it was last set to: a test changes what a
    source does between audit runs (``switch.route = page("…", status=404)``)."""

    def __init__(self, route: Route) -> None:
        self.route = route

    def __call__(self, handler: RequestHandler) -> None:
        self.route(handler)


def not_found(handler: RequestHandler) -> None:
    """A plain 404."""
    handler.send(404, "<html><title>Not found</title><h1>404 Not found</h1></html>")


def redirect(location: str, status: int = 302) -> Route:
    """A redirect to ``location`` (relative locations are sent as they are)."""
    return page("", status=status, headers=[("Location", location)])


def chain(status: int = 301) -> Route:
    """For ``/<prefix>/<n>``: redirects to ``n - 1`` until 0, which answers 200 (anything
    else under the prefix is a 404)."""

    def route(handler: RequestHandler) -> None:
        path = urlsplit(handler.path).path
        prefix, _, number = path.rpartition("/")
        if not number.isdigit():
            not_found(handler)
            return
        left = int(number)
        if left <= 0:
            handler.send(200, "<html><title>End</title><p>the end of the chain</p></html>")
        else:
            handler.send(status, "", headers=[("Location", f"{prefix}/{left - 1}")])

    return route


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route; the last one repeats."""
    counter = itertools.count()
    lock = threading.Lock()

    def route(handler: RequestHandler) -> None:
        with lock:
            index = next(counter)
        routes[min(index, len(routes) - 1)](handler)

    return route


def trickle(body: bytes, interval: float = 0.2, *, in_headers: bool = False) -> Route:
    """A slowloris: one byte of the body (or, ``in_headers``, of a header) every ``interval``."""

    def route(handler: RequestHandler) -> None:
        handler.done()
        handler.close_connection = True
        if in_headers:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            payload = b"a" * 10_000
        else:
            head = f"HTTP/1.1 200 OK\r\nContent-Type: {HTML}\r\nContent-Length: {len(body)}\r\n\r\n"
            handler.wfile.write(head.encode())
            payload = body
        for index in range(len(payload)):
            if handler.server.closing.wait(interval):
                return
            handler.wfile.write(payload[index : index + 1])
            handler.wfile.flush()

    return route


def hold(limit: float = 60.0) -> Route:
    """Accept the request and never answer (until the server closes or ``limit`` passes)."""

    def route(handler: RequestHandler) -> None:
        handler.done()
        handler.close_connection = True
        handler.server.closing.wait(limit)

    return route


def reset_mid_body(body: bytes) -> Route:
    """Announce ``2 * len(body)`` bytes, send ``body``, then reset the connection (RST)."""

    def route(handler: RequestHandler) -> None:
        handler.done()
        handler.close_connection = True
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {HTML}\r\nContent-Length: {2 * len(body)}\r\n\r\n"
        handler.wfile.write(head.encode() + body)
        handler.wfile.flush()
        time.sleep(0.05)  # let the client read what was sent before the reset
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()

    return route


def lying_length(body: bytes, claimed: int) -> Route:
    """Announce ``claimed`` bytes, send ``body`` (fewer), then close the connection."""

    def route(handler: RequestHandler) -> None:
        handler.close_connection = True
        handler.send(200, body, headers=[("Content-Length", str(claimed))])

    return route


def gzip_bomb(decoded_size: int) -> Route:
    """A small gzip body that expands to ``decoded_size`` bytes of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    parts.append(compressor.compress(bytes(decoded_size % len(block))))
    parts.append(compressor.flush())
    data = b"".join(parts)
    return page(data, headers=[("Content-Encoding", "gzip")])


def empty() -> Route:
    """A 200 with an empty body."""
    return page(b"")


NOT_FOUND_PAGE = (
    "<html><head><title>Page not found | Example News</title></head><body>"
    "<nav>Home News Sport Culture</nav><h1>Sorry, we couldn't find that page</h1>"
    "<p>The page you were looking for may have moved. Try the search.</p>"
    "<footer>Example News 2024</footer></body></html>"
)
ARTICLE_PAGE = (
    "<html><head><title>Council approves budget | Example News</title></head><body>"
    "<nav>Home News Sport Culture</nav><article><h1>Council approves the 2024 budget</h1>"
    "<p>The city council approved a budget of 189 million euros on Tuesday, after a debate "
    "that lasted well into the night. The opposition said the plan underfunds schools.</p>"
    "</article><footer>Example News 2024</footer></body></html>"
)
PARKED_PAGE = (
    "<html><head><title>example-news.test</title></head><body><h1>example-news.test</h1>"
    "<p>This domain is for sale!</p><a href='https://dan.com/buy-domain/example-news.test'>"
    "Buy now</a></body></html>"
)
CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<noscript>Enable JavaScript and cookies to continue</noscript>"
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    "</body></html>"
)


def standard_routes(*, bomb_size: int = 50 * 2**20) -> dict[str, Route]:
    """A route for every fetch outcome (stateless ones; a test builds its own sequences)."""
    cloudflare = [("Server", "cloudflare"), ("cf-mitigated", "challenge"), ("CF-RAY", "8f0-AMS")]
    return {
        "/": page("<html><title>Example News</title><h1>Front page</h1></html>"),
        "/ok": page(ARTICLE_PAGE),
        "/news/article": page(ARTICLE_PAGE),
        "/404": page("<h1>Not here</h1>", status=404),
        "/410": page("<h1>Gone</h1>", status=410),
        "/451": page("<h1>Unavailable for legal reasons</h1>", status=451),
        "/500": page("<h1>Internal error</h1>", status=500),
        "/503": page("<h1>Busy</h1>", status=503),
        "/503-later": page("<h1>Maintenance</h1>", status=503, headers=[("Retry-After", "86400")]),
        "/429": page("<h1>Slow down</h1>", status=429),
        "/429-later": page("<h1>Slow down</h1>", status=429, headers=[("Retry-After", "3600")]),
        "/429-date": page(
            "<h1>Slow down</h1>",
            status=429,
            headers=[("Retry-After", email.utils.formatdate(time.time() + 7200, usegmt=True))],
        ),
        "/403-challenge": page(CHALLENGE_PAGE, status=403, headers=cloudflare),
        "/200-challenge": page(CHALLENGE_PAGE),
        "/403": page("<h1>Forbidden</h1>", status=403),
        "/401": page(
            "<h1>Log in</h1>", status=401, headers=[("WWW-Authenticate", 'Basic realm="x"')]
        ),
        "/999": page("", status=999),
        "/chain/*": chain(),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/ftp": redirect("ftp://files.example.org/report.pdf"),
        "/javascript": redirect("javascript:alert(1)"),
        "/old-article": redirect("/", status=301),
        "/moved-article": redirect("/news/article", status=301),
        "/errors/gone": redirect("/errors/404.html"),
        "/errors/404.html": page(NOT_FOUND_PAGE),
        "/to-parking": redirect("https://www.sedo.com/search/details/?domain=example-news.test"),
        "/parked": page(PARKED_PAGE),
        "/trickle": trickle(b"x" * 200, 0.2),
        "/trickle-headers": trickle(b"", 0.2, in_headers=True),
        "/hold": hold(),
        "/reset": reset_mid_body(b"<html><p>the beginning of a long page"),
        "/lying-length": lying_length(b"<html><p>short</p></html>", 100_000),
        "/bomb": gzip_bomb(bomb_size),
        "/empty": empty(),
        "/no-location": page("", status=302),
        "/big": page(b"<html>" + b"x" * (2 * 2**20) + b"</html>"),
    }


def soft_404_routes() -> dict[str, Route]:
    """A site that answers every address with the same "not found" page and a 200."""
    return {
        "/": page("<html><title>Example News</title><h1>Front</h1></html>"),
        "*": page(NOT_FOUND_PAGE),
    }


# ---------------------------------------------------------------------------------------------
# TLS


def self_signed_context(folder: Path) -> ssl.SSLContext | None:
    """A server context with a fresh self-signed certificate for 127.0.0.1, or ``None`` when
    neither the ``cryptography`` package nor the ``openssl`` command can make one."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not _certificate_with_cryptography(cert, key) and not _certificate_with_openssl(cert, key):
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _certificate_with_cryptography(cert: Path, key: Path) -> bool:
    try:
        import datetime as dt
        import ipaddress

        from cryptography import x509  # type: ignore[import-not-found, unused-ignore]
        from cryptography.hazmat.primitives import hashes, serialization  # type: ignore[import-not-found, unused-ignore]
        from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore[import-not-found, unused-ignore]
        from cryptography.x509.oid import NameOID  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return False
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return True


def _certificate_with_openssl(cert: Path, key: Path) -> bool:
    openssl = shutil.which("openssl")
    if openssl is None:
        return False
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=False, timeout=30)
    return result.returncode == 0 and cert.exists() and key.exists()
