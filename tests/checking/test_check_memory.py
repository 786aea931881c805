"""A check keeps memory bounded whatever the number of large pages it reads: the pages' bodies
are let go once stored, and the texts and matching indexes it keeps are bounded by their size.

Never an absolute bound in bytes: each case checks a number of pages and three times as many,
and the peak of the memory Python allocated meanwhile (``tracemalloc``) must grow by much less
than the pages themselves would add if they were all kept. All traffic stays on 127.0.0.1.

Internals tested directly (private modules): the check's text cache
(``claimcheck.checking._cache``), whose size budgets some cases lower and whose lookups by
capture (``TextCache._name``) one case counts."""

from __future__ import annotations

import functools
import gc
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import claimcheck
import claimcheck.checking._cache as cache_module
from claimcheck import SnapshotStore, Status
from claimcheck.checking._cache import TextCache
from claimcheck.model import Snapshot
from servers import LocalServer, page
from support import LOCAL_FETCH, QUOTE, numbered_snapshot

_MIB = 2**20
_FETCH = attrs.evolve(LOCAL_FETCH, concurrency=2)  # at most two bodies on their way at once


def _bulky_page(number: int, size: int) -> bytes:
    # Mostly a comment (no text to extract, so cheap to check): the page's bytes are what a
    # check must not keep.
    comment = f"<!-- page {number} {'x' * size} -->"
    return f"<html><body><p>Page {number}: {QUOTE}.</p>{comment}</body></html>".encode()


def _wordy_page(number: int, size: int) -> bytes:
    # Text all through (each paragraph its own words): the page's text and its matching index
    # are what a check must not keep.
    paragraphs, total = [], 0
    while total < size:
        line = f"<p>Section {len(paragraphs)} of page {number}: districts counted houses.</p>"
        paragraphs.append(line)
        total += len(line)
    return f"<html><body><p>{QUOTE}.</p>{''.join(paragraphs)}</body></html>".encode()


def _peak_of_check(pages: list[bytes], store: Path) -> int:
    """The peak of the memory allocated while checking one quote claim citing each page."""
    routes = {f"/p{number}": page(body) for number, body in enumerate(pages)}
    with LocalServer(routes) as server:
        claims = tuple(
            claimcheck.Claim(
                "quote", QUOTE, id=f"c{n}", sources=(claimcheck.Source(f"{server.url}/p{n}"),)
            )
            for n in range(len(pages))
        )
        claim_set = claimcheck.ClaimSet(claimcheck.Statement(id="memory"), claims)
        gc.collect()
        tracemalloc.start()
        try:
            report = claimcheck.check(
                claim_set,
                snapshots=SnapshotStore(store, create=True),
                fetch=_FETCH,
                copies="live-only",
                coverage=False,
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert [result.status for result in report.results] == [Status.VERIFIED] * len(pages)
    return peak


def _growth(
    make: Callable[[int, int], bytes], count: int, size: int, tmp_path: Path
) -> tuple[int, int]:
    """The peaks of checking ``count`` pages and three times as many."""
    small = _peak_of_check([make(n, size) for n in range(count)], tmp_path / "small")
    large = _peak_of_check([make(n, size) for n in range(3 * count)], tmp_path / "large")
    return small, large


def test_a_check_does_not_keep_the_bodies_of_the_pages_it_fetched(tmp_path: Path) -> None:
    # 4 and 12 pages of 2 MiB: keeping the bodies would add 16 MiB and more.
    small, large = _growth(_bulky_page, 4, 2 * _MIB, tmp_path)
    assert large - small < 6 * _MIB, (small / _MIB, large / _MIB)


def test_a_check_keeps_texts_and_indexes_within_their_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A budget of one character: only the floor is kept (the two used last), so 12 pages of text
    # take no more than 4 do (each page's text and index take about 5 MiB).
    monkeypatch.setattr(cache_module, "MEMORY_BUDGET", 1, raising=False)  # absent before
    small, large = _growth(_wordy_page, 4, 64 * 2**10, tmp_path)
    assert large - small < 10 * _MIB, (small / _MIB, large / _MIB)


def test_the_text_cache_keeps_texts_and_indexes_within_their_budgets() -> None:
    # Twenty-four texts of a million characters, with their indexes (made lazily: nothing is
    # computed here): within a budget of 16 MiB, the cache keeps the texts within their quarter
    # of it, and two indexes (each estimated beyond the rest).
    cache = TextCache(None, memory=16 * 2**20)
    size = 2**20
    for number in range(24):
        body = f"{number} {'word ' * (size // 5)}".encode()
        text = cache.text(numbered_snapshot(number), functools.partial(lambda data: data, body))
        cache.index(text)
    assert cache.memory.total <= cache.budget // 4
    assert 2 <= len(cache.memory) < 24
    assert len(cache.indexes) == 2


def test_a_check_reads_each_copy_once_for_all_the_claims_citing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Claims citing three pages in turn (a, b, c, a, b, c), and a cache that keeps only the two
    # texts used last: judged source by source, each page's text is looked up once, not twice.
    monkeypatch.setattr(cache_module, "MEMORY_BUDGET", 1)
    lookups: list[str] = []
    original = TextCache._name

    def counting(self: TextCache, snapshot: Snapshot) -> str | None:
        lookups.append(snapshot.digest)
        return original(self, snapshot)

    monkeypatch.setattr(TextCache, "_name", counting)
    routes = {f"/{name}": page(_wordy_page(number, 2**10)) for number, name in enumerate("abc")}
    with LocalServer(routes) as server:
        claims = tuple(
            claimcheck.Claim(
                "quote", QUOTE, id=f"c{n}", sources=(claimcheck.Source(f"{server.url}/{name}"),)
            )
            for n, name in enumerate("abcabc")
        )
        report = claimcheck.check(
            claimcheck.ClaimSet(claimcheck.Statement(id="order"), claims),
            snapshots=SnapshotStore(tmp_path / "store", create=True),
            fetch=_FETCH,
            copies="live-only",
            coverage=False,
        )
    assert [result.claim.id for result in report.results] == [f"c{n}" for n in range(6)]
    assert {result.status for result in report.results} == {Status.VERIFIED}
    assert len(lookups) == len(set(lookups)) == 3
