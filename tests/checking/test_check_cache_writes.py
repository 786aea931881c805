"""A check writes each text's cache entry once, with everything its matching index made by
then, instead of once at extraction and again at each part the index makes (issue 17:
``check_speed.py``'s first run wrote 229 entries for 88 pages, each compressed anew). The
entries are the same, the verdicts too, and a text's entry is written once the check has moved
on from it, not held until the end (memory stays bounded). Internals counted where the check
makes them: ``SnapshotStore.write_cache`` and ``_cache.extract_text``."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path
from typing import Any

import pytest

import claimcheck
from claimcheck import Claim, ClaimSet, Source, Statement
from claimcheck.checking import TextCache, _cache, _deferred

PAGES = 5


def _page(number: int) -> str:
    return (
        f"<html><head><title>Council vote {number}</title></head><body><article>"
        f"<p>The council of town {number} approved the budget of {number},200 homes on"
        " Tuesday, said the mayor.</p>"
        f"<p>Work starts in March 202{number}, and the new school opens later.</p>"
        "</article></body></html>"
    )


def _url(number: int) -> str:
    return f"https://news.example/council-{number}"


def _claim_set() -> ClaimSet:
    claims = []
    for number in range(PAGES):
        source = (Source(_url(number)),)
        kinds = (
            ("quote", f"The council of town {number} approved the budget", None),
            ("quote", "the new school opens later", None),  # a second quote: normalised
            ("figure", f"{number},200 homes", "council budget"),  # figures: split
            ("date", f"March 202{number}", "work starts"),
        )
        claims += [
            Claim(kind, text, id=f"{number}-{k}", context=context, sources=source)
            for k, (kind, text, context) in enumerate(kinds)
        ]
    return ClaimSet(Statement(id="writes"), tuple(claims))


def _store(root: Path) -> claimcheck.SnapshotStore:
    store = claimcheck.SnapshotStore(root, create=True)
    for number in range(PAGES):
        store.add(
            _url(number), _page(number).encode(), media_type="text/html; charset=utf-8", status=200
        )
    return store


def _count(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The texts extracted and entries written, in order: ("extract", first characters) and
    ("write", entry name)."""
    events: list[tuple[str, str]] = []
    write, extract = claimcheck.SnapshotStore.write_cache, _cache.extract_text

    def written(store: Any, name: str, data: Any) -> None:
        events.append(("write", name))
        write(store, name, data)

    def extracted(data: bytes, media_type: str) -> Any:
        events.append(("extract", data.decode()[:40]))
        return extract(data, media_type)

    monkeypatch.setattr(claimcheck.SnapshotStore, "write_cache", written)
    monkeypatch.setattr(_cache, "extract_text", extracted)
    return events


def _entries(store: claimcheck.SnapshotStore) -> dict[str, bytes]:
    return {
        name: gzip.decompress((store.cache_dir / name).read_bytes())
        for name in store.cache_names("text")
    }


def test_each_entry_is_written_once_with_all_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path / "snapshots")
    events = _count(monkeypatch)
    first = claimcheck.check(_claim_set(), snapshots=store, copies="stored")
    writes = [name for kind, name in events if kind == "write"]
    assert len(writes) == len(set(writes)) == PAGES  # once each (three times each before)
    # Written as the check moves on, not all at the end: the first before the last extraction.
    last_extraction = max(n for n, (kind, _) in enumerate(events) if kind == "extract")
    assert events.index(("write", writes[0])) < last_extraction
    # The entries hold the whole index: a second check extracts, normalises and splits nothing
    # and writes nothing, with the same verdicts.
    events.clear()
    second = claimcheck.check(_claim_set(), snapshots=store, copies="stored")
    assert events == []
    assert [r.status for r in second.results] == [r.status for r in first.results]
    assert [r.message for r in second.results] == [r.message for r in first.results]
    cache = TextCache(store)
    for snapshot in store.snapshots():
        text = cache.text(snapshot, functools.partial(store.read, snapshot))
        assert cache.index(text).has_normalized
        assert cache.index(text).has_sentences


def test_the_entries_are_those_written_part_by_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry written once equals the last one the text cache writes part by part."""
    deferred = _store(tmp_path / "deferred")
    once = claimcheck.check(_claim_set(), snapshots=deferred, copies="stored")
    eager = _store(tmp_path / "eager")
    monkeypatch.setattr(_deferred, "PENDING", 0)  # every save written at once, as before
    events = _count(monkeypatch)
    part_by_part = claimcheck.check(_claim_set(), snapshots=eager, copies="stored")
    assert [r.message for r in once.results] == [r.message for r in part_by_part.results]
    assert len([kind for kind, _ in events if kind == "write"]) > PAGES
    assert _entries(deferred) == _entries(eager)
    assert len(_entries(eager)) == PAGES
