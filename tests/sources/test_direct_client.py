"""The transport's own HTTP client is urllib3 directly (issue 17: a link check is CPU-bound in
one process, and requests cost about half of a fetch's CPU and a fifth of its start-up): what
goes on the wire is what requests sent, and a link check does not load requests at all.

Internals tested directly (private modules): the transport (``claimcheck.sources._http``)."""

from __future__ import annotations

import os
import subprocess
import sys

import requests

from claimcheck.sources._http import Answer, HttpSettings, Transport, Watch
from servers import LocalServer, page

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
