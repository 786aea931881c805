"""An audit keeps memory bounded whatever the number of large pages it fetches: fetches that end
faster than they are judged wait without their bodies, and the fetcher keeps none.

Never an absolute bound in bytes: an audit of a number of pages and of three times as many,
and the peak of the memory Python allocated meanwhile (``tracemalloc``) must grow by much less
than the pages themselves would add if they were all kept. All traffic stays on 127.0.0.1."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import attrs

import claimcheck
from claimcheck.auditing import AuditPolicy, audit
from servers import LocalServer, page
from support import LOCAL_FETCH, QUOTE

_MIB = 2**20
_FETCH = attrs.evolve(LOCAL_FETCH, concurrency=2)  # at most two bodies on their way at once


def _bulky_page(number: int, size: int) -> bytes:
    # Mostly a comment (no text to extract, so cheap to judge): the page's bytes are what an
    # audit must not keep.
    comment = f"<!-- page {number} {'x' * size} -->"
    return f"<html><body><p>Page {number}: {QUOTE}.</p>{comment}</body></html>".encode()


def _peak_of_audit(count: int, folder: Path) -> int:
    folder.mkdir()
    routes = {f"/p{number}": page(_bulky_page(number, 2 * _MIB)) for number in range(count)}
    with LocalServer(routes) as server:
        claims = tuple(
            claimcheck.Claim(
                "quote", QUOTE, id=f"c{n}", sources=(claimcheck.Source(f"{server.url}/p{n}"),)
            )
            for n in range(count)
        )
        claim_set = claimcheck.ClaimSet(claimcheck.Statement(id="memory"), claims)
        gc.collect()
        tracemalloc.start()
        try:
            result = audit(
                claim_set,
                history=folder / "audit.sqlite",
                snapshots=folder / "snapshots",
                fetch=_FETCH,
                policy=AuditPolicy(use_archives=False),
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.observed == count
    assert result.newly_broken == result.newly_drifted == result.pending == ()
    return peak


def test_an_audit_does_not_keep_the_bodies_of_the_pages_it_fetched(tmp_path: Path) -> None:
    # 4 and 12 pages of 2 MiB: keeping the bodies would add 16 MiB and more.
    small = _peak_of_audit(4, tmp_path / "small")
    large = _peak_of_audit(12, tmp_path / "large")
    assert large - small < 6 * _MIB, (small / _MIB, large / _MIB)
