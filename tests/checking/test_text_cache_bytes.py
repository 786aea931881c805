"""The text cache is bounded by bytes, not by a count of documents (issue 17: the cache used to
hold up to 128 indexes, about 6 GB of 1 MB pages)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

from claimcheck import SnapshotStore, check
from claimcheck.checking import TextCache
from claimcheck.checking import _cache as cache_module
from claimcheck.errors import ConfigurationError
from support import ORIGINAL, QUOTE, numbered_snapshot, quote_claims

_MIB = 2**20


def _fill(cache: TextCache, count: int, size: int) -> None:
    for number in range(count):
        body = f"{number} {'word ' * (size // 5)}".encode()
        read = functools.partial(lambda data: data, body)
        cache.index(cache.text(numbered_snapshot(number), read))


def test_the_default_budget_is_bytes_not_a_count_of_documents() -> None:
    # 200 texts of 64 KiB: 200 indexes would be over the old count (128); by bytes, the cache
    # keeps what fits in its budget, and its estimate of what it keeps stays within it.
    cache = TextCache(None)
    assert cache.budget == cache_module.MEMORY_BUDGET == 256 * _MIB
    _fill(cache, 200, 64 * 2**10)
    assert cache.memory.total + cache.indexes.total <= cache.budget
    assert 2 < len(cache.indexes) < 200
    assert len(cache.memory) == 200  # texts alone are small: 200 x 64 KiB within a quarter


def test_the_least_recently_used_are_let_go_past_the_budget() -> None:
    size = 2**16
    index_bytes = size * (cache_module.INDEX_FACTOR + 2)
    cache = TextCache(None, memory=6 * index_bytes)  # three quarters: 4.5 indexes
    _fill(cache, 3, size)
    # Use the first again: the second is now the least recently used.
    first = cache.text(numbered_snapshot(0), functools.partial(lambda: b"unused"))
    cache.index(first)
    _fill_from(cache, 3, 5, size)
    kept = set(cache.indexes._values)
    texts = {cache.memory.get(f"{numbered_snapshot(n).digest} text/plain") for n in range(5)}
    assert len(cache.indexes) == 4
    assert cache.indexes.total <= cache.budget - cache.budget // 4
    assert first.text in kept
    assert all(text is not None for text in texts)  # texts are small beside indexes
    second = cache.memory.get(f"{numbered_snapshot(1).digest} text/plain")
    assert second is not None
    assert second.text not in kept


def _fill_from(cache: TextCache, start: int, stop: int, size: int) -> None:
    for number in range(start, stop):
        body = f"{number} {'word ' * (size // 5)}".encode()
        read = functools.partial(lambda data: data, body)
        cache.index(cache.text(numbered_snapshot(number), read))


def test_a_text_is_weighed_by_its_bytes() -> None:
    # A string of characters beyond Latin-1 takes 2 or 4 bytes each: weighed as such.
    cache = TextCache(None)
    body = ("€" * 1000).encode()
    text = cache.text(numbered_snapshot(1), functools.partial(lambda: body))
    assert cache.memory.total == sys.getsizeof(text.text) >= 2000


def test_the_two_used_last_are_kept_whatever_they_weigh() -> None:
    cache = TextCache(None, memory=0)
    _fill(cache, 5, 2**12)
    assert len(cache.memory) == len(cache.indexes) == 2


@pytest.mark.parametrize("memory", [-1, 1.5, "256M", True])
def test_a_budget_that_is_no_whole_number_of_bytes_is_refused(memory: object) -> None:
    with pytest.raises(ConfigurationError, match="memory: must be a whole number"):
        TextCache(None, memory=memory)  # type: ignore[arg-type]


def test_check_takes_the_budget_and_a_small_one_changes_no_verdict(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    urls = {}
    for number in range(4):
        url = f"https://example.org/{number}"
        store.add(url, f"Page {number}. {ORIGINAL}".encode(), media_type="text/plain")
        urls[f"c{number}"] = url
    claims = quote_claims(urls, QUOTE)
    verdicts = [
        [
            (result.status, result.reason)
            for result in check(claims, copies="stored", snapshots=store, memory=memory).results
        ]
        for memory in (None, 0)
    ]
    assert verdicts[0] == verdicts[1]
    with pytest.raises(ConfigurationError, match="memory: must be a whole number"):
        check(claims, copies="stored", snapshots=store, memory=-5)
