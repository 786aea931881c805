"""The transport's own HTTP client is urllib3 directly (issue 17: a link check is CPU-bound in
one process, and requests cost about half of a fetch's CPU and a fifth of its start-up): what
goes on the wire is what requests sent, and a link check does not load requests at all.

Internals tested directly (private modules): the transport (``claimcheck.sources._http``)."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from claimcheck import Reason
from claimcheck.sources import FetchConfig, Fetcher
from claimcheck.sources._direct import _prepare_url
from claimcheck.sources._http import Answer, HttpSettings, Transport, Watch
from servers import LocalServer, page, self_signed_context

SETTINGS = HttpSettings("claimcheck-test", 5.0, 5.0, 5.0, 10_000, allow_private_addresses=True)


def _exchange(transport: Transport, method: str, url: str, **kwargs: object) -> Answer:
    watch = Watch(5.0)
    try:
        outcome = transport.exchange(method, url, watch, **kwargs)  # type: ignore[arg-type]
    finally:
        watch.close()
    assert isinstance(outcome, Answer), outcome
    return outcome


def test_the_own_client_sends_what_requests_sends() -> None:
    """Request line and headers, in order, as the server saw them and as the capture records
    them: a path with non-ASCII text, an escaped unreserved character and a space, query
    parameters added to a query, a header of the caller's; then a form POST's headers."""
    with LocalServer({"/*": page("<p>ok</p>")}) as server:
        url = server.url + "/café/a%7Eb c?x=1"
        seen = []
        for session in (None, requests.Session()):
            transport = Transport(SETTINGS, session=session)
            try:
                answer = _exchange(
                    transport, "GET", url, headers={"Accept": "text/html"}, params=[("q", "é &")]
                )
                posted = _exchange(transport, "POST", url, data={"url": "https://example.org/ü"})
            finally:
                transport.close()
                if session is not None:
                    session.close()
            (recorded,) = server.stats.requests
            server.reset_stats()
            seen.append((recorded.target, recorded.headers, answer.request_headers, posted))
    (own_target, own_headers, own_record, own_post), (target, headers, record, post) = seen
    assert own_target == target == "/caf%C3%A9/a~b%20c?x=1&q=%C3%A9+%26"
    assert own_headers == headers
    assert own_record == record
    assert dict(own_record)["Accept"] == "text/html"
    assert own_post.request_headers == post.request_headers
    assert ("Content-Type", "application/x-www-form-urlencoded") in own_post.request_headers


def test_a_link_check_does_not_load_requests() -> None:
    """``fetch_many`` over honest pages, in a fresh interpreter: requests is never imported
    (it is loaded only for a session the caller gives, or a proxy in the environment)."""
    routes = {"/docs/a": page("<p>a page</p>"), "/docs/b": page("<p>another page</p>")}
    with LocalServer(routes) as server:
        script = f"""
import sys
from claimcheck.sources import FetchConfig, Fetcher
with Fetcher(FetchConfig(allow_private_addresses=True, retries=0)) as fetcher:
    results = fetcher.fetch_many(["{server.url}/docs/a", "{server.url}/docs/b"])
print(sorted(str(fetch.reason) for fetch in results.values()), "requests" in sys.modules)
"""
        environment = {
            name: value for name, value in os.environ.items() if not name.lower().endswith("proxy")
        }
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
            timeout=60,
        )
    assert (done.returncode, done.stdout) == (0, "['None', 'None'] False\n"), done.stderr


def test_a_ca_bundle_named_in_the_environment_is_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``REQUESTS_CA_BUNDLE`` names the certificates to trust, as it did with requests (a
    company's TLS-inspecting proxy, say); without it a self-signed certificate is refused."""
    context = self_signed_context(tmp_path)
    if context is None:
        pytest.skip("neither the cryptography package nor openssl is available")
    config = FetchConfig(allow_private_addresses=True, retries=0)
    with LocalServer({"/": page("<p>trusted</p>")}, tls=context) as server:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
        with Fetcher(config) as fetcher:
            refused = fetcher.fetch(server.url + "/")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "cert.pem"))
        with Fetcher(config) as fetcher:
            trusted = fetcher.fetch(server.url + "/")
    assert refused.reason is Reason.TLS_ERROR, refused.message
    assert trusted.ok, trusted.message


def test_a_proxy_is_sent_the_whole_url_and_its_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through an HTTP proxy named with credentials in ``HTTP_PROXY``: the request line is the
    absolute URL (credentials and fragment left out) and ``Proxy-Authorization`` carries the
    proxy's credentials, decoded (RFC 9110 section 11.7.1; requests' adapter did the same)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    received: list[bytes] = []

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            received.append(data)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        for spelling in (name, name.lower()):
            monkeypatch.delenv(spelling, raising=False)
    port = listener.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss@127.0.0.1:{port}")
    transport = Transport(SETTINGS)
    try:
        answer_ = _exchange(transport, "GET", "http://example.org/page?x=1#part")
    finally:
        transport.close()
        listener.close()
    thread.join(5)
    assert answer_.body == b"ok"
    (request,) = received
    lines = request.decode("latin1").split("\r\n")
    assert lines[0] == "GET http://example.org/page?x=1 HTTP/1.1"
    expected = "Basic " + base64.b64encode(b"user:p@ss").decode()
    assert f"Proxy-Authorization: {expected}" in lines


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/a%zzb c",
        "http://Example.ORG:80/%7euser/?q=a b&x=%41",
        "http://[::1]:8080/p?x#frag",
        "https://bücher.de/straße?ä=ö",
        "http://user:p%40ss@h.test/x",
        "http://h.test",
        "HTTP://h.test//double//slash",
        "http://h.test/%E2%82%AC/€",
    ],
)
@pytest.mark.parametrize("params", [None, [("q", "a&b"), ("z", "é")]])
def test_a_url_is_prepared_as_requests_prepares_it(
    url: str, params: list[tuple[str, str]] | None
) -> None:
    """The URL put on the wire (IDNA host, re-quoted path, parameters added) is the one
    requests would have sent: captures and servers see the same requests as before."""
    expected = requests.Request("GET", url, params=params).prepare().url
    assert _prepare_url(url, params) == expected
