"""A fake Wayback Machine, Memento archive and Save Page Now 2 on 127.0.0.1, for tests.

Every answer copies the format of a recorded or documented real one; the source is named at each
handler. The reference notes are ``../shared/reference/web-archives.md`` section 1.

Use::

    with FakeArchive() as archive:
        archive.add("https://example.org/a", "20210115120000", b"<html>…</html>")
        Wayback(ArchiveConfig(wayback=archive.base_url), limiter=...).nearest(...)

Switches: ``empty_availability`` (the availability API answers "nothing" even for archived
pages, as the real one sometimes does), ``answer_429(times, retry_after)`` (the next requests
are refused with 429), ``block(url)`` (the site is blocked: the CDX API answers 403 "Blocked
Site Error" and replays say the URL "has been excluded"), ``cdx_error`` (the CDX API answers
with an error status and text), ``stall(prefix)`` (answers come only when the test ends, as
from an archive too slow to wait for), ``spn_pending_polls``, ``spn_error``,
``spn_submit_reply``, ``listing_error`` (prefix, host and domain queries fail, exact ones
answer), ``rate_limit(calls, per)`` (the Internet Archive's own limit: 429 beyond ``calls`` in
any ``per`` seconds, counted in ``refused_429``); and, to test
claimcheck's guards against an archive that misbehaves, ``redirect(prefix, location)`` (answer
with a redirect anywhere) and ``pad(prefix, size)`` (answers longer than any sane one). The CDX
API also answers prefix, host and domain queries and pages them with resume keys, as the CDX
server does (see its handler). Every request is logged in ``requests`` (method, path with
query, headers, body, arrival time). ``FakeArchive(host="127.0.0.2")`` serves on another
loopback address (all of 127/8 is loopback on Linux), for an archive that is *not* the
configured endpoint.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote_plus, unquote_plus, urljoin, urlsplit

import attrs

from claimcheck.model import surt


@attrs.frozen
class FakeCapture:
    """One capture the fake archive holds: what the original server answered, and when."""

    url: str
    timestamp: str  # 14 digits, UTC
    body: bytes
    media_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()  # the original server's other headers
    # A revisit record: the crawler saw the payload of an earlier capture again and stored only
    # its own HTTP headers (WARC 1.1 section 6.7, "identical-payload-digest"). The CDX server
    # lists it as mimetype "warc/revisit", statuscode "-" (edgi cassettes
    # test_search_does_not_repeat_results.yaml, test_search_with_date.yaml; edgi _client.py:
    # "repeat captures have a status code of `-` and a mime type of `warc/revisit`"); replay
    # serves the earlier payload under the revisit's own time and status (a revisit of a
    # redirect, as most of dw.com's are in test_search_with_date.yaml, replays as that redirect).
    revisit: bool = False

    @property
    def digest(self) -> str:
        # The CDX digest is the base32 SHA-1 of the original payload (edgi wayback's
        # `cdx_hash = b32encode(sha1(content))`, reference notes 1.2).
        return base64.b32encode(hashlib.sha1(self.body).digest()).decode("ascii")

    @property
    def moment(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


@attrs.frozen
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = attrs.field(factory=time.monotonic)  # when it arrived

    @property
    def endpoint(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.path).query, keep_blank_values=True)


def _distance(timestamp: str, closest: str) -> tuple[int, float]:
    """A CDX row's rank under sort=closest (ClosestTimestampSorted.java: "-" prefers rows
    before the target, "^" rows after it, none ranks by distance alone)."""
    target = closest.lstrip("-^").ljust(14, "0")
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    gap = (moment - datetime.strptime(target, "%Y%m%d%H%M%S")).total_seconds()
    if closest.startswith("-"):
        return (0 if gap <= 0 else 1, abs(gap))
    if closest.startswith("^"):
        return (0 if gap >= 0 else 1, abs(gap))
    return (0, abs(gap))


def _scope(query: dict[str, list[str]]) -> tuple[str, str]:
    """A CDX query's URL and match type, its wildcards read as CDXServer.getCdx does: "*."
    first is a domain query, "*" last a prefix query, else ``matchType`` (exact by default)."""
    url = query.get("url", [""])[0]
    match = query.get("matchType", [""])[0]
    if not match:
        if url.startswith("*."):
            return url[2:], "domain"
        if url.endswith("*"):
            return url[:-1], "prefix"
        return url, "exact"
    return url, match


def _inc_last_char(text: str) -> str:
    """UrlSurtRangeComputer.incLastChar: the text with its last character's code plus one
    ("20010414005939" gives "2001041400593:", as the recorded resume keys show)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def http_date(moment: datetime) -> str:
    """RFC 1123, as Memento-Datetime and Accept-Datetime carry it (RFC 7089)."""
    return email.utils.format_datetime(moment, usegmt=True)


class FakeArchive:
    """The fake archive's state and its threaded HTTP server."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.captures: list[FakeCapture] = []
        self.requests: list[LoggedRequest] = []
        self.empty_availability = False
        self.cdx_body: str | None = None  # answer every CDX query with this text
        # Reorders every CDX answer (after limit), as a server whose order cannot be trusted.
        self.cdx_order: Callable[[list[dict[str, str]]], list[dict[str, str]]] | None = None
        self.cdx_ignores_sort = False  # answer sort=closest in index order (an older server)
        # Answer every CDX query with this status and plain text, as the CDX server's front end
        # does when it fails: "504 Gateway Time-out" (internetarchive/wayback#285).
        self.cdx_error: tuple[int, str] | None = None
        # The same, for prefix, host and domain queries only (the slow ones: "this query may be
        # slow at the moment", wayback-cdx-server/README.md, Collapsing), exact ones answered.
        self.listing_error: tuple[int, str] | None = None
        # The Internet Archive's own limit (rate_limit()): calls allowed per window of seconds.
        self._rate: tuple[int, float] | None = None
        self._arrivals: list[float] = []
        self.refused_429 = 0  # requests refused by that limit
        self.blocked: set[str] = set()  # SURT keys of the URLs the archive blocks (block())
        self.keys = ("test-access", "test-secret")
        self.spn_pending_polls = 1
        self.spn_error: dict[str, Any] | None = None
        self.spn_submit_reply: dict[str, Any] | None = None
        # URL -> the HTTP status its Save Page Now submission answers (520, 523: the origin
        # failed it), and whether the page is archived anyway (internetarchive/wayback#297).
        self.spn_origin_errors: dict[str, int] = {}
        self.spn_archived_anyway = False
        self.spn_jobs: dict[str, str] = {}  # job id -> url
        self.spn_capture_timestamp = "20260101120000"
        self._polls: dict[str, int] = {}
        self._429s = 0
        self._retry_after: str | None = None
        self._429_only: str | None = None
        self._redirects: dict[str, tuple[int, str]] = {}
        self._padding: dict[str, int] = {}
        self._stalled: list[str] = []
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeArchive:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()  # stalled answers end now
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- state ---------------------------------------------------------------------------

    def add(
        self,
        url: str,
        timestamp: str,
        body: bytes,
        *,
        media_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: tuple[tuple[str, str], ...] = (),
        revisit: bool = False,
    ) -> FakeCapture:
        """Hold a capture of ``url``; with ``revisit``, a revisit record of an earlier capture
        (of any URL) with the same payload, which must be held already."""
        capture = FakeCapture(url, timestamp, body, media_type, status, headers, revisit)
        with self._lock:
            if revisit and not any(
                c.digest == capture.digest and c.timestamp < timestamp for c in self.captures
            ):
                raise ValueError("a revisit repeats the payload of an earlier capture")
            self.captures.append(capture)
            self.captures.sort(key=lambda c: (surt(c.url), c.timestamp))
        return capture

    def answer_429(
        self, times: int = 1, retry_after: str | None = "60", *, only: str | None = None
    ) -> None:
        """Refuse the next ``times`` requests (whose path starts with ``only``, if given) with
        429 and this ``Retry-After``, if any."""
        with self._lock:
            self._429s = times
            self._retry_after = retry_after
            self._429_only = only

    def rate_limit(self, calls: int, per: float = 60.0) -> None:
        """Refuse, as the Internet Archive does, every request beyond ``calls`` in any ``per``
        seconds with 429 and a ``Retry-After`` of the seconds until a call is allowed again.
        Its staff have said the limit is an average of 15 (Wayback) to 60 (CDX) calls a minute
        per client, and that a client ignoring its 429s for a minute is blocked at the firewall
        (claimcheck's ``sources/_limits.py`` quotes them); a benchmark that cannot wait minutes
        shrinks ``per`` and scales the client's rate with it."""
        with self._lock:
            self._rate = (calls, per)
            self._arrivals = []

    def _over_rate(self) -> float | None:
        """Seconds to wait when this request is over the rate limit, else None (counted)."""
        with self._lock:
            if self._rate is None:
                return None
            calls, per = self._rate
            now = time.monotonic()
            self._arrivals = [t for t in self._arrivals if t > now - per]
            if len(self._arrivals) >= calls:
                self.refused_429 += 1
                return self._arrivals[0] + per - now
            self._arrivals.append(now)
            return None

    def block(self, url: str) -> None:
        """Block ``url``'s site, as the Internet Archive does at a site owner's request: the
        CDX API and the replay refuse it (see the handlers), whatever captures it holds."""
        with self._lock:
            self.blocked.add(surt(url))

    def is_blocked(self, url: str) -> bool:
        with self._lock:
            return surt(url) in self.blocked

    def stall(self, prefix: str) -> None:
        """Answer no request whose path starts with ``prefix`` until the test ends: an archive
        too slow to wait for. The Wayback Machine's CDX API often takes tens of seconds, or
        times out (internetarchive/wayback#285: "504 Gateway Time-out"; bitdruid/python-
        wayback-machine-downloader#52: "Read timed out. (read timeout=60)")."""
        with self._lock:
            self._stalled.append(prefix)

    def redirect(self, prefix: str, location: str, status: int = 302) -> None:
        """Answer every request whose path starts with ``prefix`` with a redirect to
        ``location``, wherever it points.

        Real archives redirect within themselves (Wayback to the closest capture, a TimeGate to
        its memento; see the handlers below), and a TimeGate may also hand over to a memento on
        another server: RFC 7089 section 4.2 (a TimeGate on another host than the original
        resource, whose 302 names the memento) and mementoweb/timegate's wiki, "The Big
        Picture" ("the Mementos do not necessary need to be in the same web server"). Where
        such a redirect leads (a private address, a non-http URL, another host) is up to the
        archive, which is why claimcheck checks every hop."""
        with self._lock:
            self._redirects[prefix] = (status, location)

    def pad(self, prefix: str, size: int) -> None:
        """Append ``size`` bytes of spaces (streamed, never held in memory) to every answer
        whose path starts with ``prefix``: still valid JSON, link-format or HTML, but longer
        than claimcheck's size cap. No documented answer of the real archives is this long;
        a misbehaving or hostile endpoint's may be (the CDX server alone answers up to 150,000
        rows by default: internetarchive/wayback, wayback-cdx-server/README.md)."""
        with self._lock:
            self._padding[prefix] = size

    def _redirect_for(self, path: str) -> tuple[int, str] | None:
        with self._lock:
            return next((v for k, v in self._redirects.items() if path.startswith(k)), None)

    def _padding_for(self, path: str) -> int:
        with self._lock:
            return next((v for k, v in self._padding.items() if path.startswith(k)), 0)

    def calls_to(self, endpoint_prefix: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.endpoint.startswith(endpoint_prefix)]

    def captures_of(self, url: str) -> list[FakeCapture]:
        key = surt(url)
        with self._lock:
            return [c for c in self.captures if surt(c.url) == key]

    def captures_in(self, url: str, match: str) -> list[FakeCapture]:
        """The captures a ``matchType`` query for ``url`` lists (see the CDX handler): every
        URL whose SURT key is under the prefix, the host or the domain, blocked URLs left
        out, in index order."""
        key = surt(url if "://" in url else f"http://{url}")
        host = key.split(")", 1)[0]
        with self._lock:
            captures = list(self.captures)
        if match == "prefix":
            chosen = [c for c in captures if surt(c.url).startswith(key)]
        elif match == "host":
            chosen = [c for c in captures if surt(c.url).startswith(host + ")")]
        else:
            chosen = [c for c in captures if surt(c.url).startswith((host + ")", host + ","))]
        return [c for c in chosen if not self.is_blocked(c.url)]

    def _take_429(self, path: str) -> str | bool | None:
        with self._lock:
            if self._429s <= 0 or not path.startswith(self._429_only or ""):
                return False
            self._429s -= 1
            return self._retry_after

    def _poll(self, job_id: str) -> int:
        with self._lock:
            self._polls[job_id] = self._polls.get(job_id, 0) + 1
            return self._polls[job_id]


_BLOCKED_SITE = (
    "org.archive.util.io.RuntimeIOException: "
    "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error"
)
# The recorded page, shortened to its error block.
_EXCLUDED_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><title>Wayback Machine</title></head><body>'
    b'<div id="error">\n\t      <h2>Sorry.</h2>\n'
    b"\t      <p>This URL has been excluded from the Wayback Machine.</p>\n</div></body></html>"
)


def _closest(captures: list[FakeCapture], moment: datetime) -> FakeCapture:
    return min(captures, key=lambda c: abs((c.moment - moment).total_seconds()))


def _toolbar(captures: list[FakeCapture], capture: FakeCapture) -> bytes:
    """The banner the Wayback Machine inserts into a replay without ``id_``: its text, as
    internetarchive/wayback's WEB-INF/replay/Toolbar.jsp writes it with the formats of
    WaybackUI.properties ("ToolBar.numCapturesText={0} captures", "ToolBar.captureRangeText=
    {0,date,d MMM yy} - {1,date,d MMM yy}", the capture's month, day and year), between the
    "BEGIN/END WAYBACK TOOLBAR INSERT" comments."""
    first, last, now = captures[0].moment, captures[-1].moment, capture.moment
    text = (
        f'<div id="wm-ipp"><form name="wmtb">Wayback Machine</form>'
        f"<strong>{len(captures)} captures</strong>"
        f"<div>{first.day} {first:%b %y} - {last.day} {last:%b %y}</div>"
        f"<table><tr><td>{now:%b}</td></tr><tr><td>{now.day}</td></tr>"
        f"<tr><td>{now:%Y}</td></tr></table></div>"
    )
    return (
        b"<!-- BEGIN WAYBACK TOOLBAR INSERT -->"
        + text.encode()
        + b"<!-- END WAYBACK TOOLBAR INSERT -->"
    )


def _self_redirect(capture: FakeCapture, requested: str) -> bool:
    """Whether replaying ``capture`` for ``requested`` would redirect to itself: a captured 3xx
    (not 304) whose Location is the requested URL but for its scheme, case and a trailing slash,
    or has the capture's own SURT key (http://a.org/x -> https://www.a.org/x). Replay skips such
    captures for the closest other one, or the chain would loop: pywb's
    BaseLoader.raise_on_self_redirect (webrecorder/pywb, warcserver/resource/responseloader.py),
    internetarchive/wayback's SelfRedirectFilter.java; the recorded Wayback answer to
    /web/20200201020357id_/http://epa.gov/climatechange is a 302 "found capture at
    20200201023757", past the self-redirecting captures of epa.gov/climatechange between
    (edgi cassette test_get_memento_follows_historical_redirects.yaml)."""
    if not 300 <= capture.status < 400 or capture.status == 304:
        return False
    location = next((v for n, v in capture.headers if n.lower() == "location"), None)
    if location is None:
        return False
    target = urljoin(capture.url, location)

    def bare(url: str) -> str:
        return url.lower().split("://", 1)[-1].rstrip("/")

    return bare(target) == bare(requested) or surt(target) == surt(capture.url)


def _handler_for(archive: FakeArchive) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx/1.25.1"  # what the recorded Wayback answers say

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        # --- plumbing --------------------------------------------------------------------

        def _log(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            archive.requests.append(
                LoggedRequest(self.command, self.path, dict(self.headers.items()), body)
            )
            return body

        def _send(
            self,
            status: int,
            body: bytes = b"",
            headers: list[tuple[str, str]] | None = None,
            content_type: str | None = "text/plain; charset=utf-8",
        ) -> None:
            padding = archive._padding_for(self.path)
            self.send_response(status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            for name, value in headers or []:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) + padding))
            self.end_headers()
            if self.command == "HEAD":
                return
            with contextlib.suppress(OSError):  # the client stopped reading (a size cap)
                self.wfile.write(body)
                chunk = b" " * 65536
                while padding > 0:
                    self.wfile.write(chunk[:padding])
                    padding -= len(chunk)

        def _json(self, status: int, value: Any) -> None:
            self._send(status, json.dumps(value).encode(), content_type="application/json")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            self._log()
            if self._intercepted():
                return
            path = self.path
            if path.startswith("/cdx/search/cdx"):
                self._cdx()
            elif path.startswith("/web/"):
                self._replay(path[len("/web/") :])
            elif path.startswith("/wayback/available"):
                self._available()
            elif path.startswith("/timegate/"):
                self._timegate(path[len("/timegate/") :])
            elif path.startswith("/timemap/link/"):
                self._timemap(path[len("/timemap/link/") :])
            elif path.startswith("/save/status/"):
                self._spn_status(path[len("/save/status/") :])
            else:
                self._send(404, b"not found")

        def do_POST(self) -> None:
            body = self._log()
            if self._intercepted():
                return
            if self.path in ("/save", "/save/"):
                self._spn_submit(body)
            else:
                self._send(404, b"not found")

        def _intercepted(self) -> bool:
            with archive._lock:
                stalled = any(self.path.startswith(prefix) for prefix in archive._stalled)
            if stalled:
                archive._closing.wait(60)
                return True  # no answer at all: the client gave up long ago
            redirect = archive._redirect_for(self.path)
            if redirect is not None:
                self._send(redirect[0], headers=[("Location", redirect[1])])
                return True
            wait = archive._over_rate()
            if wait is not None:
                headers = [("Retry-After", str(max(1, round(wait + 0.5))))]
                self._send(429, b"Too Many Requests", headers, content_type="text/html")
                return True
            retry_after = archive._take_429(self.path)
            if retry_after is False:
                return False
            headers = [("Retry-After", retry_after)] if isinstance(retry_after, str) else []
            self._send(429, b"Too Many Requests", headers, content_type="text/html")
            return True

        # --- CDX -------------------------------------------------------------------------
        # Format: internetarchive/wayback, wayback-cdx-server/README.md (reference notes 1.2):
        # output=json is an array of arrays whose first row names the fields; fl picks and
        # orders fields; from/to are inclusive 1-14 digit timestamps; filter=[!]field:regex
        # (a whole-value Java regex match); collapse=field[:N] drops *adjacent* duplicates;
        # limit=N keeps the first N, limit=-N the last N. An empty JSON answer is [].
        # limit=-N with to= is a *reverse* scan that stops at the first row later than to
        # (internetarchive/wayback CDXServer.java l.261-264 and 581-587): it answers nothing
        # when the URL has any capture after to. The live service has answered it with a
        # capture years too old instead (remy/unrot.link#7); either way it is not "the latest
        # before to". sort=closest&closest=TS orders the rows by distance to TS, before and
        # after mixed, and keeps the first `limit` (ClosestTimestampSorted.java; answered so by
        # the production server in internetarchive/wayback#237); a "-"/"^" prefix ranks rows
        # before/after TS first. Every capture is a row, whatever its status: real answers are
        # full of 301/302 rows and revisit rows ("warc/revisit", status "-"); a page of dw.com's
        # holds no 200 at all (edgi cassettes test_search_with_date.yaml,
        # test_search_does_not_repeat_results.yaml). Only the client's filter leaves rows out.
        # A blocked site: HTTP 403, text/plain, the Java exception as the body's one line and in
        # X-Archive-Wayback-Runtime-Error (edgi-govdata-archiving/wayback's cassette
        # test_search_raises_for_blocked_urls.yaml; its client reads AdministrativeAccessControl-
        # Exception as BlockedSiteError, _client.py l.762).

        # Prefix, host and domain queries, and paging (CDX server README, "Url Match Scope" and
        # "Resumption Key"; CDXServer.java): matchType=prefix|host|domain, or a url ending in
        # "/*" (prefix) or starting with "*." (domain), lists every capture whose SURT key is
        # in the range, in index order (key, then timestamp); a blocked range start is refused
        # as a whole (accessChecker.includeUrl), a blocked URL inside the range is left out
        # (includeCapture); to= only skips the later rows (it stops an exact query's scan).
        # With showResumeKey=true, when `limit` rows were written, the key of the last one is
        # printed after them: URLEncoder.encode(urlkey + " " + incLastChar(timestamp)), in JSON
        # as `,\n[],\n["<key>"]` before the closing bracket (JsonWriter.writeResumeKey), in
        # text after a blank line: printed even when no row is left, so the next page may be
        # empty (edgi cassette test_search_multipage.yaml: its last answer is empty). resumeKey=
        # starts the scan at that key; the production server takes the key back as printed,
        # sent as a parameter value and so percent-encoded once more (the same cassette:
        # resumeKey=com%252Ccnn%2529%252F%2B2001041400593%253A). Collapsing and limits apply
        # to each answer afresh, so a page may start with the URL the previous one ended with.

        def _cdx(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            url, match = _scope(query)
            if archive.is_blocked(url):
                self._send(
                    403,
                    (_BLOCKED_SITE + "\n").encode(),
                    [("X-Archive-Wayback-Runtime-Error", _BLOCKED_SITE)],
                    content_type="text/plain;charset=UTF-8",
                )
                return
            failure = archive.cdx_error
            if failure is None and match != "exact":
                failure = archive.listing_error
            if failure is not None:
                status, text = failure
                self._send(status, text.encode(), content_type="text/plain;charset=UTF-8")
                return
            if archive.cdx_body is not None:
                self._send(200, archive.cdx_body.encode(), content_type="application/json")
                return
            fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"]
            fields.append("length")
            wanted = query["fl"][0].split(",") if "fl" in query else fields
            captures = (
                archive.captures_of(url) if match == "exact" else archive.captures_in(url, match)
            )
            rows = [
                {
                    "urlkey": surt(c.url),
                    "timestamp": c.timestamp,
                    "original": c.url,
                    "mimetype": "warc/revisit" if c.revisit else c.media_type.split(";")[0],
                    "statuscode": "-" if c.revisit else str(c.status),
                    "digest": c.digest,
                    "length": str(len(c.body)),
                }
                for c in captures
            ]
            if "resumeKey" in query:
                start = unquote_plus(query["resumeKey"][0])
                rows = [row for row in rows if f"{row['urlkey']} {row['timestamp']}" >= start]
            low = query.get("from", [""])[0].ljust(14, "0")
            high = query.get("to", [""])[0].ljust(14, "9") if "to" in query else "9" * 14
            scanned_later = match == "exact" and any(row["timestamp"] > high for row in rows)
            rows = [row for row in rows if low <= row["timestamp"] <= high]
            for expression in query.get("filter", []):
                negate = expression.startswith("!")
                name, _, pattern = expression.lstrip("!").partition(":")
                rows = [row for row in rows if bool(re.fullmatch(pattern, row[name])) != negate]
            for collapse in query.get("collapse", []):
                name, _, size = collapse.partition(":")
                kept: list[dict[str, str]] = []
                for row in rows:
                    value = row[name][: int(size)] if size else row[name]
                    previous = kept[-1][name] if kept else None
                    if previous is None or (previous[: int(size)] if size else previous) != value:
                        kept.append(row)
                rows = kept
            limit = int(query.get("limit", ["150000"])[0])
            closest = query.get("closest", [""])[0]
            if query.get("sort", [""])[0] == "closest" and closest and not archive.cdx_ignores_sort:
                rows = sorted(rows, key=lambda row: _distance(row["timestamp"], closest))
            if limit < 0 and "to" in query and scanned_later:
                rows = []  # the reverse scan broke at its first row, later than to
            rows = rows[:limit] if limit >= 0 else rows[limit:]
            if archive.cdx_order is not None:
                rows = archive.cdx_order(rows)
            resume = None
            if query.get("showResumeKey", [""])[0] == "true" and 0 < limit <= len(rows):
                last = rows[-1]
                resume = quote_plus(f"{last['urlkey']} {_inc_last_char(last['timestamp'])}")
            table = [[row[name] for name in wanted] for row in rows]
            if query.get("output", [""])[0] == "json":
                # One row per line, as the README's example shows it.
                lines = [json.dumps(wanted), *(json.dumps(row) for row in table)] if table else []
                if resume is not None:
                    lines += ["[]", json.dumps([resume])]
                text = "[" + ",\n".join(lines) + "]\n"
                self._send(200, text.encode(), content_type="application/json")
            else:
                text = "".join(" ".join(row) + "\n" for row in table)
                if resume is not None:
                    text += f"\n{resume}\n"
                self._send(200, text.encode())

        # --- replay ----------------------------------------------------------------------
        # Formats: recorded Wayback answers in edgi-govdata-archiving/wayback's cassettes
        # (test_get_memento_target_window): a request for a timestamp without a capture gets a
        # bare 302 (empty text/plain body, absolute Location, "x-archive-redirect-reason: found
        # capture at <ts>", no Memento-Datetime); the memento gets the original Content-Type,
        # "memento-datetime", a "link" header (original, timemap, timegate, first/prev/next/last
        # memento and memento, each memento with datetime=) and the original headers as
        # "x-archive-orig-*". A URL without captures gets 404 with
        # "X-Archive-Wayback-Runtime-Error: ResourceNotInArchiveException: … was not found"
        # (mk-pmb/apt-wayback-php doc/example-responses.md). id_ serves the original bytes;
        # without it the toolbar is inserted (skeptric.com, reference notes 1.3). A blocked
        # site's replay is HTTP 200 without Memento-Datetime, an HTML page saying "This URL has
        # been excluded from the Wayback Machine." (edgi cassette test_get_memento_raises_
        # blocked_error.yaml, .../20170929002712id_/https://nationalpost.com/health/; edgi's
        # client reads it as BlockedSiteError, _client.py l.1063-1069). Captures that
        # redirect to themselves are never served (see _self_redirect); a URL that has only
        # such captures is answered as one without captures (pywb tries each and finds none).

        def _replay(self, rest: str) -> None:
            match = re.match(r"(\d{1,14})(id_)?/(.+)$", rest)
            if match is None:
                self._send(404, b"not found")
                return
            stamp, raw, url = match.groups()
            if archive.is_blocked(url):
                self._send(200, _EXCLUDED_PAGE, content_type="text/html; charset=utf-8")
                return
            captures = [c for c in archive.captures_of(url) if not _self_redirect(c, url)]
            if not captures:
                self._send(
                    404,
                    b"<html>Hrm. The Wayback Machine has not archived that URL.</html>",
                    [
                        (
                            "X-Archive-Wayback-Runtime-Error",
                            f"ResourceNotInArchiveException: {url} was not found",
                        )
                    ],
                    content_type="text/html",
                )
                return
            wanted = datetime.strptime(stamp.ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            capture = next((c for c in captures if c.timestamp == stamp), None)
            if capture is None:
                capture = _closest(captures, wanted)
                location = f"{archive.base_url}/web/{capture.timestamp}{raw or ''}/{capture.url}"
                self._send(
                    302,
                    headers=[
                        ("location", location),
                        ("x-archive-redirect-reason", f"found capture at {capture.timestamp}"),
                    ],
                )
                return
            self._memento(capture, raw=bool(raw))

        def _memento(self, capture: FakeCapture, *, raw: bool) -> None:
            captures = archive.captures_of(capture.url)
            index = captures.index(capture)
            base = archive.base_url

            def entry(c: FakeCapture, rel: str) -> str:
                return (
                    f'<{base}/web/{c.timestamp}/{c.url}>; rel="{rel}"; '
                    f'datetime="{http_date(c.moment)}"'
                )

            links = [
                f'<{capture.url}>; rel="original"',
                f'<{base}/timemap/link/{capture.url}>; rel="timemap"; '
                'type="application/link-format"',
                f'<{base}/timegate/{capture.url}>; rel="timegate"',
                entry(captures[0], "first memento"),
            ]
            if index > 0:
                links.append(entry(captures[index - 1], "prev memento"))
            links.append(entry(capture, "memento"))
            if index + 1 < len(captures):
                links.append(entry(captures[index + 1], "next memento"))
            links.append(entry(captures[-1], "last memento"))
            headers = [
                ("link", ", ".join(links)),
                ("memento-datetime", http_date(capture.moment)),
                ("x-archive-orig-date", http_date(capture.moment)),
                ("x-archive-src", "fake-archive-00000.warc.gz"),
            ]
            for name, value in capture.headers:
                if name.lower() == "location":
                    # A captured redirect: Wayback rewrites its Location into the archive and
                    # keeps the status (edgi cassette test_get_memento_follows_historical_
                    # redirects: 301 with location https://web.archive.org/web/<ts>id_/<target>).
                    modifier = "id_" if raw else ""
                    headers.append(
                        ("location", f"{base}/web/{capture.timestamp}{modifier}/{value}")
                    )
                else:
                    headers.append((f"x-archive-orig-{name.lower()}", value))
            body = capture.body
            if not raw:
                body = body.replace(b"<body>", b"<body>" + _toolbar(captures, capture), 1)
            self._send(capture.status, body, headers, content_type=capture.media_type)

        # --- availability API ------------------------------------------------------------
        # Format: https://archive.org/help/wayback_api.php (reference notes 1.1), with the
        # top-level "url"/"timestamp" echo of newer answers (waybackpy #154); the empty answer
        # {"archived_snapshots": {}} is what the real API sometimes returns for archived pages.

        def _available(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            url = query.get("url", [""])[0]
            stamp = query.get("timestamp", [""])[0]
            captures = archive.captures_of(url)
            answer: dict[str, Any] = {"url": url, "archived_snapshots": {}}
            if stamp:
                answer["timestamp"] = stamp
            if captures and not archive.empty_availability:
                wanted = (
                    datetime.strptime(stamp.ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                    if stamp
                    else datetime.now(UTC)
                )
                c = _closest(captures, wanted)
                answer["archived_snapshots"] = {
                    "closest": {
                        "status": str(c.status),
                        "available": True,
                        "url": f"http://web.archive.org/web/{c.timestamp}/{c.url}",
                        "timestamp": c.timestamp,
                    }
                }
            self._json(200, answer)

        # --- Memento ---------------------------------------------------------------------
        # TimeGate: RFC 7089 pattern 2.1 as in the spec example the reference notes quote
        # (1.4): 302 Found, "Vary: accept-datetime", Location = the memento. Without
        # Accept-Datetime, the latest memento. As the Internet Archive's TimeGate
        # (https://web.archive.org/web/<url>) does:
        # - Location is the memento's *replay* URL, /web/<ts>/<url> without id_, which serves the
        #   toolbar and rewritten links: mementoweb/py-memento-client#2 (ikreymer, 2015) shows
        #   IA's TimeGate answer to Accept-Datetime naming only such URI-Ms
        #   (http://web.archive.org/web/20030320195439/http://www.lanl.gov); pywb's TimeGate
        #   too (harvard-lil/perma#907: "Location: https://user-content.perma.cc/warc/
        #   20140711221116/http://www.cnn.com/").
        # - the Link header (original, TimeMap of type application/link-format, the TimeGate)
        #   comes only with Accept-Datetime: the live service sends none to a request without it
        #   (issue 14; the one public transcript with a Link, py-memento-client#2, carries
        #   Accept-Datetime; ukwa/ukwa-pywb#37 asks pywb to behave "even in the absence of e.g. an
        #   Accept-Datetime header", which deployments did not). The memento's own Link names
        #   the TimeMap either way (edgi-govdata-archiving/wayback cassette test_get_memento).
        # TimeMap: application/link-format with self/original/timegate links and one entry per
        # memento (Arquivo.pt's real TimeMap, reference notes 1.4), each entry spread over lines
        # as in the RFC's examples.

        def _timegate(self, url: str) -> None:
            captures = archive.captures_of(url)
            if not captures:
                self._send(404, b"no mementos")
                return
            accept = self.headers.get("Accept-Datetime")
            if accept:
                wanted = email.utils.parsedate_to_datetime(accept)
                capture = _closest(captures, wanted)
            else:
                capture = captures[-1]
            base = archive.base_url
            headers = [
                ("Vary", "accept-datetime"),
                ("Location", f"{base}/web/{capture.timestamp}/{capture.url}"),
            ]
            if accept:
                link = ", ".join(
                    [
                        f'<{capture.url}>; rel="original"',
                        f'<{base}/timemap/link/{capture.url}>; rel="timemap"; '
                        f'type="application/link-format"; '
                        f'from="{http_date(captures[0].moment)}"; '
                        f'until="{http_date(captures[-1].moment)}"',
                        f'<{base}/timegate/{capture.url}>; rel="timegate"',
                    ]
                )
                headers.append(("Link", link))
            self._send(302, headers=headers)

        def _timemap(self, url: str) -> None:
            captures = archive.captures_of(url)
            if not captures:
                self._send(404, b"no mementos")
                return
            base = archive.base_url
            entries = [
                f'<{base}/timemap/link/{url}>\n  ; rel="self"; type="application/link-format"\n'
                f'  ; from="{http_date(captures[0].moment)}"\n'
                f'  ; until="{http_date(captures[-1].moment)}"',
                f'<{captures[0].url}>; rel="original"',
                f'<{base}/timegate/{url}>\n  ; rel="timegate"',
            ]
            for index, capture in enumerate(captures):
                rel = "memento"
                if index == 0:
                    rel = "first memento"
                elif index == len(captures) - 1:
                    rel = "last memento"
                entries.append(
                    f"<{base}/web/{capture.timestamp}/{capture.url}>\n"
                    f'  ; rel="{rel}"; datetime="{http_date(capture.moment)}"'
                )
            text = ",\n".join(entries) + "\n"
            self._send(200, text.encode(), content_type="application/link-format")

        # --- Save Page Now 2 -------------------------------------------------------------
        # Formats: the SPN2 API draft (Vangelis Banos, 2022-04-05) and clients quoting its
        # answers (reference notes 1.5): POST /save with "Authorization: LOW key:secret" and
        # form url=… answers {"url": …, "job_id": "spn2-…"}, or for a recent duplicate
        # {"url": …, "job_id": null, "message": "The same snapshot had been made …"}; a bad or
        # missing key gets 401 {"message": "You need to be logged in to use Save Page Now."}.
        # GET /save/status/<job_id> answers {"status": "pending", "job_id": …, "resources": []}
        # (forever for unknown ids), then {"status": "success", "job_id", "original_url",
        # "timestamp", "duration_sec", "http_status"} or, still with HTTP 200,
        # {"status": "error", "status_ext": "error:…", "message": …}.

        def _spn_submit(self, body: bytes) -> None:
            expected = f"LOW {archive.keys[0]}:{archive.keys[1]}"
            if self.headers.get("Authorization") != expected:
                self._json(401, {"message": "You need to be logged in to use Save Page Now."})
                return
            form = dict(parse_qsl(body.decode()))
            url = form.get("url", "")
            if url in archive.spn_origin_errors:
                # Cloudflare-style origin errors, per URL, in HTML (agude/wayback-machine-
                # archiver#17, #19: "520 Server Error: UNKNOWN for url: …/save/…" for some URLs
                # of a batch while the others save).
                if archive.spn_archived_anyway:
                    archive.add(
                        url, archive.spn_capture_timestamp, b"<html><body>saved</body></html>"
                    )
                status = archive.spn_origin_errors[url]
                page = f"<html><body><h1>{status}: origin error</h1></body></html>".encode()
                self._send(status, page, content_type="text/html")
                return
            if archive.spn_submit_reply is not None:
                self._json(200, {"url": url, **archive.spn_submit_reply})
                return
            job_id = "spn2-" + hashlib.sha1(f"{url} {len(archive.spn_jobs)}".encode()).hexdigest()
            archive.spn_jobs[job_id] = url
            self._json(200, {"url": url, "job_id": job_id})

        def _spn_status(self, job_id: str) -> None:
            polls = archive._poll(job_id)
            url = archive.spn_jobs.get(job_id)
            if url is None or polls <= archive.spn_pending_polls:
                self._json(200, {"status": "pending", "job_id": job_id, "resources": []})
            elif archive.spn_error is not None:
                self._json(200, {"job_id": job_id, **archive.spn_error})
            else:
                stamp = archive.spn_capture_timestamp
                if not any(c.timestamp == stamp for c in archive.captures_of(url)):
                    archive.add(url, stamp, b"<html><body>saved</body></html>")
                self._json(
                    200,
                    {
                        "status": "success",
                        "job_id": job_id,
                        "original_url": url,
                        "timestamp": stamp,
                        "duration_sec": 6.2,
                        "http_status": 200,
                        "resources": [url],
                    },
                )

    return Handler
