"""The Wayback Machine sometimes sends an empty ``content-encoding:`` header beside
``Content-Encoding: gzip`` (issue 14, seen in its replays); joined, they read "gzip, ", and
urllib3 decodes the empty coding as deflate, which fails (urllib3/urllib3 PR #5189, open): the
copy was unreadable. The body must decode as the one real coding says."""

from __future__ import annotations

import gzip

import pytest

from claimcheck.sources import Fetcher
from servers import LocalServer, page
from support import LOCAL_FETCH

TEXT = b"<html><body><p>The ministry denied applications to around 189 Syrians.</p></body></html>"


@pytest.mark.parametrize(
    "codings",
    [
        [("Content-Encoding", "gzip"), ("content-encoding", "")],
        [("content-encoding", ""), ("Content-Encoding", "gzip")],
        [("Content-Encoding", "gzip, ")],
        [("Content-Encoding", " , gzip")],
    ],
)
def test_an_empty_coding_beside_gzip_is_ignored(codings: list[tuple[str, str]]) -> None:
    routes = {"/": page(gzip.compress(TEXT), headers=codings)}
    with LocalServer(routes) as server, Fetcher(LOCAL_FETCH) as fetcher:
        result = fetcher.fetch(server.url + "/")
    assert result.ok, result.message
    assert result.body == TEXT


def test_an_empty_coding_alone_is_no_coding() -> None:
    routes = {"/": page(TEXT, headers=[("Content-Encoding", "")])}
    with LocalServer(routes) as server, Fetcher(LOCAL_FETCH) as fetcher:
        result = fetcher.fetch(server.url + "/")
    assert result.ok, result.message
    assert result.body == TEXT
