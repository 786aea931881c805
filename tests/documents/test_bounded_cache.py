"""The bounded caches of documents: a number of values and a total weight, the ones used last
kept; and the extraction cache bounded by the characters of its texts, not only their number."""

from __future__ import annotations

import uuid

import pytest

from claimcheck.documents import BoundedCache, ExtractionCache, extract_text


def _cache(*, items: int = 100, weight: int = 100, keep: int = 1) -> BoundedCache[str, str]:
    return BoundedCache(items=items, weight=weight, weigh=len, keep=keep)


def test_the_values_used_longest_ago_go_first_beyond_the_weight() -> None:
    cache = _cache(weight=10)
    for key in "abc":
        cache.put(key, key * 4)
    assert cache.get("a") is None  # 12 > 10: the oldest went
    assert cache.get("b") == "bbbb"
    cache.put("d", "dddd")  # "c" was used longest ago now
    assert (cache.get("c"), cache.get("b"), cache.get("d")) == (None, "bbbb", "dddd")
    assert cache.total == 8


def test_the_values_used_last_are_kept_whatever_they_weigh() -> None:
    cache = _cache(weight=10, keep=2)
    cache.put("a", "a" * 50)
    cache.put("b", "b" * 50)
    assert len(cache) == 2
    assert cache.total == 100
    cache.put("c", "c")
    assert cache.get("a") is None
    assert len(cache) == 2
    assert cache.total == 51


def test_the_number_of_values_is_bounded_too() -> None:
    cache = _cache(items=3)
    for number in range(10):
        cache.put(str(number), "x")
    assert len(cache) == 3
    assert cache.total == 3


def test_putting_a_key_again_replaces_its_weight() -> None:
    cache = _cache()
    cache.put("a", "a" * 30)
    cache.put("a", "a" * 5)
    assert cache.total == 5
    assert len(cache) == 1


@pytest.mark.parametrize("size", [2**10, 2**16])
def test_an_extraction_cache_is_bounded_by_the_characters_of_its_texts(size: int) -> None:
    # Twelve texts of a little more than ``size`` characters each: a budget of four times that
    # keeps the last three, however many the cache may hold by number.
    cache = ExtractionCache(size=64, characters=4 * size)
    for _ in range(12):
        extract_text(f"{uuid.uuid4()} {'y' * size}".encode(), "text/plain", cache=cache)
    assert len(cache) == 3
