"""A URL with an internationalised host and a non-ASCII path (``http://bücher.test/café.html``)
is fetched and recorded as a browser sends it: the IDNA (punycode) host in ``Host`` and a
percent-encoded request line, while the capture, the index and the report keep the URL as
written. (Issue 14: warcio's ``to_ascii_bytes`` raised ``UnicodeEncodeError`` on such a request
record; later the host was recorded percent-encoded, ``b%C3%BCcher.test``, which no server
would ever have been sent.)"""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import SnapshotStore
from claimcheck.sources import Fetcher
from servers import LocalServer, page
from support import LOCAL_FETCH

HOST = "bücher.test"
WIRE_HOST = "xn--bcher-kva.test"  # "bücher".encode("idna"), as browsers send it (UTS #46)


@pytest.fixture
def idn_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A page at ``/café.html`` whose host name, in either spelling, resolves to 127.0.0.1."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (HOST, WIRE_HOST, WIRE_HOST.encode()):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with LocalServer({"/caf%C3%A9.html": page("<p>Le café est ouvert.</p>")}) as server:
        yield server


def test_an_idn_url_is_fetched_and_recorded_as_a_browser_sends_it(
    idn_server: LocalServer, tmp_path: Path
) -> None:
    url = f"http://{HOST}:{idn_server.port}/café.html"
    store = SnapshotStore(tmp_path / "store", create=True)
    result = Fetcher(LOCAL_FETCH, store=store).fetch(url)
    assert result.ok, result.message
    (seen,) = idn_server.stats.requests
    assert seen.header("Host") == f"{WIRE_HOST}:{idn_server.port}"
    (snapshot,) = store.snapshots(url)
    assert snapshot.url == url
    warc = gzip.decompress((store.root / snapshot.path).read_bytes()).decode("utf-8")
    assert "GET /caf%C3%A9.html HTTP/1.1" in warc
    assert f"Host: {WIRE_HOST}:{idn_server.port}" in warc
    assert f"WARC-Target-URI: {url}" in warc
    assert store.read(snapshot) == "<p>Le café est ouvert.</p>".encode()
